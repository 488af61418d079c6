//! Integration tests of byline-entities: real data from `../shared/data/entities` and fixtures.

mod disclosure;
mod lists;
mod ror_gold;
mod screening_eval;
mod support;
