//! Planted-truth generator (filled in by its issue's work).
