//! One module per subcommand.

pub mod bench;
pub mod demo;
pub mod generate;
pub mod ingest;
pub mod lists;
pub mod stats;
