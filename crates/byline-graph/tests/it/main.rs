//! Integration tests of byline-graph: real PubMed identities, known graphs.

mod audit_export;
mod blocks;
mod codes;
mod communities;
mod real_identities;
mod s2and;
