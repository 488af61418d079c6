//! Seeded generators of synthetic corpora with planted ground truth, and writers for the real formats.
//!
//! Every generator takes a seed and is deterministic (ChaCha8, never the OS RNG). Generated works are written
//! in real formats (PubMed XML, OpenAlex JSONL…) by [`writers`] so that benchmarks exercise the same readers
//! as real data.

pub mod affiliations;
pub mod audit;
pub mod corpus;
pub mod generate;
pub mod japanese;
pub mod papermill;
pub mod scenario;
pub mod writers;
