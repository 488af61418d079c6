//! Person names in bibliographic exports: splitting "Family, Given", folding for comparison, and finding
//! which byline position a short form ("Toh, ML", "Y. Li", "Gomez-Ruiz, JA") refers to.
//!
//! Exports name the same person several ways in one record (WoS `AF` full names, `AU`/`RP` abbreviated,
//! `C1` brackets, `OI` "Name/ORCID"). Matching is deliberately strict: a short form is attached only when
//! exactly one author fits it, so a corresponding-author flag or an ORCID is never put on the wrong person.

use byline_model::Author;
/// Names are compared folded by byline-norm's [`fold_words`]: lower case, accents removed, apostrophes dropped,
/// other punctuation turned into spaces, whitespace squashed ("Büyükkidik, S." → "buyukkidik s").
pub use byline_norm::fold_words;

use crate::text::{initials_of, squash_whitespace};

/// Longest run of capitals read as packed initials ("ML", "JJ", "GEH") rather than a given name, as WoS
/// `AU` and MEDLINE `AU` write them. Four is already ambiguous with short upper-case given names.
const MAX_PACKED_INITIALS: usize = 3;

/// An author from a name written "Family, Given" (split at the first comma) or, without a comma, kept whole
/// in `raw_name` with `given`/`family` left `None`.
pub fn person_from_name(raw: &str) -> Author {
    let raw_name = squash_whitespace(raw);
    let mut author = Author { raw_name: raw_name.clone(), ..Author::default() };
    if let Some((family, given)) = raw_name.split_once(',') {
        let family = family.trim();
        let given = given.trim();
        if !family.is_empty() {
            author.family = Some(family.to_owned());
        }
        if !given.is_empty() {
            author.initials = initials_of_given(given);
            author.given = Some(given.to_owned());
        }
    }
    author
}

/// Initials of a given name; packed capitals ("ML") are already initials.
pub fn initials_of_given(given: &str) -> Option<String> {
    let g = given.trim();
    if is_packed_initials(g) { Some(g.to_owned()) } else { initials_of(g) }
}

fn is_packed_initials(s: &str) -> bool {
    let n = s.chars().count();
    (2..=MAX_PACKED_INITIALS).contains(&n) && s.chars().all(|c| c.is_uppercase())
}

fn tokens(s: &str) -> Vec<String> {
    fold_words(s).split(' ').filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

/// True when two written names are the same apart from case, accents, punctuation and spacing.
pub fn same_name(a: &str, b: &str) -> bool {
    let fa = fold_words(a).replace(' ', "");
    !fa.is_empty() && fa == fold_words(b).replace(' ', "")
}

/// What a short name form tells: the family-name tokens and the first given initial.
struct ShortName {
    family: Vec<String>,
    first_initial: Option<char>,
}

fn short_name(s: &str) -> Option<ShortName> {
    let s = s.trim();
    if let Some((family, given)) = s.split_once(',') {
        let family = tokens(family);
        let given = given.trim();
        let first_initial = if is_packed_initials(given) {
            given.chars().next().and_then(|c| c.to_lowercase().next())
        } else {
            tokens(given).first().and_then(|t| t.chars().next())
        };
        return (!family.is_empty()).then_some(ShortName { family, first_initial });
    }
    // "Y.-C. Hu", "S.M. Abdullah": initials first, family last.
    let toks = tokens(s);
    let (last, rest) = toks.split_last()?;
    Some(ShortName { family: vec![last.clone()], first_initial: rest.first().and_then(|t| t.chars().next()) })
}

fn fits(short: &ShortName, author: &Author) -> bool {
    if author.collective.is_some() {
        return false;
    }
    let family_tokens = tokens(author.family.as_deref().unwrap_or(&author.raw_name));
    let all_tokens = tokens(&author.raw_name);
    if !short.family.iter().all(|t| all_tokens.contains(t) || family_tokens.contains(t)) {
        return false;
    }
    let Some(initial) = short.first_initial else { return true };
    match &author.given {
        Some(given) => tokens(given).first().and_then(|t| t.chars().next()) == Some(initial),
        None => all_tokens.iter().any(|t| !short.family.contains(t) && t.starts_with(initial)),
    }
}

/// The one author a name refers to: an exact (folded) match of the full name first, else the only author
/// whose family name and first initial fit. `None` when no author or more than one fits.
pub fn find_author(authors: &[Author], name: &str) -> Option<usize> {
    let exact: Vec<usize> =
        authors.iter().enumerate().filter(|(_, a)| same_name(&a.raw_name, name)).map(|(i, _)| i).collect();
    if exact.len() == 1 {
        return exact.first().copied();
    }
    let short = short_name(name)?;
    let mut found = authors.iter().enumerate().filter(|(_, a)| fits(&short, a)).map(|(i, _)| i);
    let first = found.next()?;
    if found.next().is_some() { None } else { Some(first) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_names_split_and_others_stay_whole() {
        let a = person_from_name("Toh, Ming Liang");
        assert_eq!(a.family.as_deref(), Some("Toh"));
        assert_eq!(a.given.as_deref(), Some("Ming Liang"));
        assert_eq!(a.initials.as_deref(), Some("ML"));
        let b = person_from_name("G. Kalbe");
        assert_eq!(b.raw_name, "G. Kalbe");
        assert_eq!((b.family, b.given), (None, None));
        // WoS AU packs initials.
        assert_eq!(person_from_name("Toh, ML").initials.as_deref(), Some("ML"));
        assert_eq!(person_from_name("Phillips, J.C.").initials.as_deref(), Some("JC"));
    }

    #[test]
    fn short_forms_find_exactly_one_author() {
        let authors: Vec<Author> = ["Antonio Gomez-Ruiz, Jose", "Karanik, Marcelo", "Ignacio Pelaez, Jose"]
            .iter()
            .map(|n| person_from_name(n))
            .collect();
        assert_eq!(find_author(&authors, "Gomez-Ruiz, JA"), Some(0));
        assert_eq!(find_author(&authors, "M. Karanik"), Some(1));
        assert_eq!(find_author(&authors, "KARANIK, MARCELO"), Some(1));
        assert_eq!(find_author(&authors, "Smith, J"), None);
        let twins: Vec<Author> = ["Li, Yong", "Li, Yufei"].iter().map(|n| person_from_name(n)).collect();
        assert_eq!(find_author(&twins, "Li, Y"), None, "ambiguous short form must not be attached");
        assert_eq!(find_author(&twins, "Li, Yufei"), Some(1));
        let accented = vec![person_from_name("Buyukkidik, Serap")];
        assert_eq!(find_author(&accented, "Büyükkidik, S"), Some(0));
    }
}
