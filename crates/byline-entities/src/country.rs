//! Countries: ISO 3166-1 alpha-2 codes from names, affiliation strings and e-mail domains. The implementation
//! is byline-norm's ([`byline_norm::country`]), the one every crate asks; this module keeps the paths
//! (`byline_entities::country::country_code`…) its callers use.

pub use byline_norm::country::*;
