//! byline's benchmarks, out of the product: the planted-truth evaluations of the library crates ([`graph`],
//! [`entities`], [`detect`]), the raw-limit baseline of the readers ([`parse_support`]), the suites of the
//! `byline-bench` binary ([`suites`]) and its synthetic-corpus generator ([`generate`]). The `byline` binary
//! links none of it (no generator, no `rand_chacha`, no training code). Not published.

pub mod detect;
pub mod entities;
pub mod generate;
pub mod graph;
pub mod parse_support;
pub mod suites;
