//! Integration tests of byline-graph: real PubMed identities, known graphs.

mod communities;
mod real_identities;
