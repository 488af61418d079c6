//! Integration tests for the readers, on real files from the shared data folder and on hostile inputs.

mod support;
