//! Integration tests of byline-detect: one module per detector, plus real-data proofs.

mod support;

mod byline_signals;
mod real_data;
mod registry;
mod retraction;
mod retraction_real;
mod screen;
mod template;
mod tortured;
