//! Corpus tables.
