//! Integration tests of the bench library: the planted-truth evaluations of byline-graph, byline-entities and
//! byline-detect, on generated corpora and on the shared real data (skipped with a printed reason when it is
//! absent; a failure with `BYLINE_REQUIRE_SHARED_DATA=1`).

mod support;

mod affiliations_bench;
mod audit_bench;
mod fairness;
mod papermill;
