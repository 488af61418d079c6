//! byline-fetch against an in-process server on 127.0.0.1 serving recorded API responses
//! (`tests/fixtures/SOURCE.md`), with 429s, paging and broken bodies injected. No test touches the network.

mod fetch;
mod kaken;
mod orcid;
mod registry;
mod researchmap;
