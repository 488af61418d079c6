//! End-to-end tests through the `byline` binary, on real shared data, the bundled sample and hostile inputs.

mod audit;
mod bench;
mod browser;
mod explain;
mod fetch;
mod generate;
mod hostile;
mod ingest;
mod lists;
mod report_png;
mod scan;
mod serve;
mod suites;
mod support;
mod terminal;
