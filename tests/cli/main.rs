//! End-to-end tests through the `byline` binary, on real shared data, the bundled sample and hostile inputs.

mod architecture;
mod audit;
mod browser;
mod explain;
mod fetch;
mod hostile;
mod ingest;
mod jp_sources;
mod lists;
mod report_png;
mod scan;
mod serve;
mod support;
mod terminal;
