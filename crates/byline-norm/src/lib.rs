//! One normalization home for byline: every crate that asks "which country does this affiliation name?",
//! "which institution?", "is this domain webmail?" or "how is this text folded for comparison?" asks here, so
//! that a flag and the chart beside it in one report cannot disagree.
//!
//! - [`text`]: the folds ([`fold`] for names and keys, [`fold_words`] for word comparisons,
//!   [`fold_affiliation`] for organisation text), affiliation segments and e-mail addresses.
//! - [`country`]: ISO 3166-1 alpha-2 codes (always upper case) from names, affiliation strings and domains;
//!   [`affiliation_country`] is the one answer for an affiliation, with its [`CountrySource`].
//! - [`institution`]: the comparable key of an affiliation's institution ([`institution_key`]).
//! - [`words`]: the shared word lists (webmail domains, institution words).
//! - [`japanese`]: one Japanese person across scripts: kana to Hepburn romaji, the romaji key that makes the
//!   usual spellings of a name equal, and whether an author name is one of a record's name variants (kanji
//!   meets romaji only through the record's own variants, never a guessed reading).

pub mod country;
pub mod institution;
pub mod japanese;
pub mod text;
pub mod words;

pub use country::{
    CountrySource, affiliation_country, affiliation_country_code, country_code, country_hint, country_in_affiliation,
    country_in_text, country_name, country_of_domain,
};
pub use institution::{institution_key, institution_key_in, institution_key_of_text};
pub use text::{email_domain, emails_in, fold, fold_affiliation, fold_words, segments, without_email_clause};
pub use words::{
    INSTITUTION_WORDS, UNIT_WORDS, WEBMAIL_DOMAINS, has_institution_word, has_unit_word, is_institution_word,
    is_unit_word, is_webmail, matches_word_list,
};
