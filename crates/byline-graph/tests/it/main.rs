//! Integration tests of byline-graph: real PubMed identities, known graphs, the planted-truth audit bench.

mod audit_bench;
mod codes;
mod communities;
mod real_identities;
