//! One module per subcommand.

pub mod audit;
pub mod demo;
pub mod explain;
pub mod fetch;
pub mod index;
pub mod ingest;
pub mod lists;
pub mod network;
pub mod report;
pub mod scan;
pub mod screen;
pub mod serve;
pub mod stats;
