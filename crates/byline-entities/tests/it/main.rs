//! Integration tests of byline-entities: real data from `../shared/data/entities` and fixtures.

mod cjk_screening;
mod disclosure;
mod kaken_institutions;
mod lists;
mod openalex_ror;
mod ror_gold;
mod screening_eval;
mod support;
