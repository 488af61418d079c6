//! Integration tests for the readers, on real files from the shared data folder and on hostile inputs.

mod bib;
mod crossref;
mod jats;
mod jstage;
mod openalex;
mod pubmed;
mod support;
