//! End-to-end tests through the `byline-bench` binary: the suites at small sizes as correctness tests (tables,
//! quality bars, the scaling CSV) and `byline-bench generate`.

mod affiliations;
mod bench;
mod generate;
mod suites;
mod support;
