//! OpenAlex reader: works as JSON Lines (API harvests, S3 snapshot part files), API list pages
//! (`{"meta": ..., "results": [...]}`), single work objects and arrays; current and 2022 schemas.
//!
//! OpenAlex does not split author names, so `given`/`family` stay `None`. Other OpenAlex entities
//! (institutions, authors, sources…) found in a works stream are rejected with their kind named.

use byline_model::{
    Affiliation, Author, Diagnostic, DiagnosticKind, Format, Funding, Position, PubDate, Reference, Work,
    normalize_issn, normalize_orcid, normalize_pmcid, normalize_ror,
};
use serde::Deserialize;

use crate::Event;
use crate::input::Input;
use crate::json::{self, Flag, List, Num, Obj, Objects, Strings, Text};
use crate::text;

/// At most this many (position, word) pairs are read from an `abstract_inverted_index`. Real abstracts run
/// to a few thousand words; the cap bounds what a hostile index can make us hold.
const MAX_ABSTRACT_TOKENS: usize = 100_000;

/// Streams OpenAlex works from `input` to `sink`.
pub fn read(input: &mut Input, path: &str, sink: &mut dyn FnMut(Event)) -> Result<(), Diagnostic> {
    json::read_records::<OpenalexWork>(input, path, &mut |found| match found {
        json::Found::Record(Ok(raw), position) => convert(raw, path, position, sink),
        json::Found::Record(Err(reason), position) => {
            sink(Event::Rejected(Diagnostic::new(DiagnosticKind::RecordRejected, path, position, reason)))
        }
        json::Found::Warning(reason, position) => {
            sink(Event::Warning(Diagnostic::new(DiagnosticKind::Warning, path, position, reason)))
        }
    })
}

/// Turns one deserialized OpenAlex object into a [`Work`] (or rejects it when it is another entity).
fn convert(raw: OpenalexWork, path: &str, position: Position, sink: &mut dyn FnMut(Event)) {
    let warn = |sink: &mut dyn FnMut(Event), reason: String| {
        sink(Event::Warning(Diagnostic::new(DiagnosticKind::Warning, path, position.clone(), reason)));
    };
    let short_id = raw.id.get().map(short_openalex_id);
    if let Some((id, kind)) = short_id.as_deref().and_then(|id| Some((id, non_work_entity(id)?))) {
        let reason = format!("an OpenAlex {kind} record ({id}), not a work");
        sink(Event::Rejected(Diagnostic::new(DiagnosticKind::RecordRejected, path, position, reason)));
        return;
    }
    let ids = raw.ids.0.unwrap_or_default();
    let mut work = Work::new(Format::Openalex, path, position.record_index.unwrap_or(0));
    work.source.line = position.line;
    work.source.byte_offset = position.byte_offset;
    work.ids.openalex = short_id.or_else(|| ids.openalex.get().map(short_openalex_id));
    work.ids.doi = raw.doi.get().or(ids.doi.get()).and_then(byline_model::normalize_doi);
    work.ids.pmid = ids
        .pmid
        .get()
        .map(last_segment)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned);
    // `normalize_pmcid` slices its first 3 bytes: only ASCII reaches it.
    work.ids.pmcid = ids.pmcid.get().map(last_segment).filter(|p| p.is_ascii()).and_then(normalize_pmcid);
    if let Some(mag) = ids.mag.get() {
        work.ids.other.push(("mag".to_owned(), mag.to_owned()));
    }

    work.title = raw.title.non_empty().or_else(|| raw.display_name.non_empty());
    work.abstract_text = raw.abstract_inverted_index.to_text();
    work.date = parse_iso_date(raw.publication_date.get())
        .or_else(|| raw.publication_year.0.and_then(|y| i32::try_from(y).ok()).map(|y| PubDate::new(y, None, None)));

    let source = raw.primary_location.0.and_then(|l| l.source.0).or(raw.host_venue.0);
    if let Some(source) = source {
        work.venue.title = source.display_name.non_empty();
        work.venue.publisher = source.host_organization_name.non_empty().or_else(|| source.publisher.non_empty());
        for issn in source.issn_l.get().into_iter().chain(source.issn.0.iter().map(String::as_str)) {
            match normalize_issn(issn) {
                Some(n) if !work.venue.issns.contains(&n) => work.venue.issns.push(n),
                Some(_) => {}
                None => warn(sink, format!("ISSN {issn:?} is malformed; dropped")),
            }
        }
    }
    if let Some(biblio) = raw.biblio.0 {
        work.venue.volume = biblio.volume.non_empty();
        work.venue.issue = biblio.issue.non_empty();
        work.venue.pages = match (biblio.first_page.non_empty(), biblio.last_page.non_empty()) {
            (Some(first), Some(last)) if first != last => Some(format!("{first}-{last}")),
            (Some(first), _) => Some(first),
            (None, last) => last,
        };
    }
    work.language = raw.language.non_empty();
    for t in [raw.work_type.non_empty(), raw.type_crossref.non_empty()].into_iter().flatten() {
        if !work.publication_types.contains(&t) {
            work.publication_types.push(t);
        }
    }
    work.retracted = raw.is_retracted.0;
    for k in &raw.keywords.0 {
        if let Some(k) =
            k.display_name.non_empty().or_else(|| k.keyword.non_empty()).filter(|k| !work.keywords.contains(k))
        {
            work.keywords.push(k);
        }
    }
    for m in &raw.mesh.0 {
        if let Some(d) = m.descriptor_name.non_empty().filter(|d| !work.mesh.contains(d)) {
            work.mesh.push(d);
        }
    }
    work.references = raw
        .referenced_works
        .0
        .iter()
        .map(|w| Reference { openalex: Some(short_openalex_id(w.trim())), ..Reference::default() })
        .collect();
    work.funding = funding(&raw.grants.0, &raw.awards.0, &raw.funders.0);

    for (index, a) in raw.authorships.0.iter().enumerate() {
        let author_obj = a.author.0.as_ref();
        let raw_name = a.raw_author_name.non_empty().or_else(|| author_obj.and_then(|x| x.display_name.non_empty()));
        if raw_name.is_none() {
            warn(sink, format!("authorship {}: no name given", index + 1));
        }
        let orcid_raw = author_obj.and_then(|x| x.orcid.get());
        let orcid = orcid_raw.and_then(normalize_orcid);
        if let (Some(given), None) = (orcid_raw, &orcid) {
            warn(
                sink,
                format!("authorship {}: ORCID {given:?} fails its checksum or is malformed; dropped", index + 1),
            );
        }
        work.authors.push(Author {
            raw_name: raw_name.unwrap_or_default(),
            orcid,
            corresponding: a.is_corresponding.0,
            affiliations: affiliations(a),
            ..Author::default()
        });
    }
    sink(Event::Work(Box::new(work)));
}

/// The kind of a non-work OpenAlex entity from its id letter (`I…` institution), `None` for a work.
fn non_work_entity(short_id: &str) -> Option<&'static str> {
    let kind = match short_id.chars().next()?.to_ascii_uppercase() {
        'W' => return None,
        'A' => "author",
        'I' => "institution",
        'S' => "source",
        'P' => "publisher",
        'F' => "funder",
        'C' => "concept",
        'T' => "topic",
        'K' => "keyword",
        'G' => "award",
        _ => return None,
    };
    // Only a letter followed by digits is an OpenAlex id; anything else is left to be read as a work.
    short_id[1..].bytes().all(|b| b.is_ascii_digit()).then_some(kind)
}

/// `https://openalex.org/W2741809807` → `W2741809807`.
fn short_openalex_id(id: &str) -> String {
    last_segment(id).to_owned()
}

/// The text after the last `/` of a URL-style id (`https://pubmed.ncbi.nlm.nih.gov/15721479` → `15721479`).
fn last_segment(s: &str) -> &str {
    let s = s.trim().trim_end_matches('/');
    s.rsplit('/').next().unwrap_or(s)
}

/// `2019-05-07` → the date; a missing or odd month/day keeps the year only.
fn parse_iso_date(s: Option<&str>) -> Option<PubDate> {
    let mut parts = s?.split('-');
    let year = parts.next()?.parse::<i32>().ok().filter(|y| (1..=9999).contains(y))?;
    let month = parts.next().and_then(|m| m.parse::<u8>().ok());
    let day = parts.next().and_then(|d| d.get(..2).unwrap_or(d).parse::<u8>().ok());
    Some(PubDate::new(year, month, day))
}

/// One funding record per grant (2023–2025 `grants[]`) or award (`awards[]`), then one per listed funder
/// that no grant or award named. A funder's ROR id is used when OpenAlex gives it, else its OpenAlex id.
fn funding(grants: &[Grant], awards: &[Award], funders: &[OpenalexFunder]) -> Vec<Funding> {
    let funder_ror = |funder_id: &str| {
        funders
            .iter()
            .find(|f| f.id.get().map(last_segment) == Some(funder_id))
            .and_then(|f| f.ror.get())
            .and_then(normalize_ror)
    };
    let mut out: Vec<Funding> = Vec::new();
    let mut push = |agency: Option<String>, grant_id: Option<String>, funder: Option<&str>| {
        let funder = funder.map(last_segment).filter(|f| !f.is_empty());
        let funder_id = funder.map(|f| funder_ror(f).unwrap_or_else(|| f.to_owned()));
        let funding = Funding { agency, grant_id, country: None, funder_id };
        if !out.contains(&funding) {
            out.push(funding);
        }
    };
    let mut named: Vec<&str> = Vec::new();
    for g in grants {
        named.extend(g.funder.get().map(last_segment));
        push(g.funder_display_name.non_empty(), g.award_id.non_empty(), g.funder.get());
    }
    for a in awards {
        let nested = a.funder.0.as_ref();
        let agency = a.funder_display_name.non_empty().or_else(|| nested.and_then(|f| f.display_name.non_empty()));
        let funder = a.funder_id.get().or_else(|| nested.and_then(|f| f.id.get()));
        named.extend(funder.map(last_segment));
        push(agency, a.funder_award_id.non_empty(), funder);
    }
    for f in funders {
        if f.id.get().map(last_segment).is_some_and(|id| named.contains(&id)) {
            continue;
        }
        push(f.display_name.non_empty(), None, f.id.get());
    }
    out
}

/// One affiliation per raw affiliation string, filled from the institution it is tied to when OpenAlex ties
/// it to exactly one (`affiliations[].institution_ids`, or one string and one institution). An institution
/// tied to no single string gets its own affiliation (raw = its name), so that no ROR id is lost.
fn affiliations(a: &Authorship) -> Vec<Affiliation> {
    let mut strings: Vec<String> = Vec::new();
    let plural = a.raw_affiliation_strings.0.iter().filter_map(|s| text::non_empty(s));
    let singular = a.raw_affiliation_string.non_empty();
    for s in plural.chain(if a.raw_affiliation_strings.0.is_empty() { singular } else { None }) {
        if !strings.contains(&s) {
            strings.push(s);
        }
    }
    // The 2022 schema pads some lists with `{}`: an institution with no id, name or ROR is no institution.
    let institutions: Vec<&Institution> = a
        .institutions
        .0
        .iter()
        .filter(|i| i.id.get().is_some() || i.display_name.get().is_some() || i.ror.get().is_some())
        .collect();
    let institution_key = |i: &&Institution| i.id.get().map(last_segment).map(str::to_owned);
    let mut used = vec![false; institutions.len()];
    let mut out = Vec::new();
    for s in &strings {
        let mut linked: Vec<String> = Vec::new();
        for link in &a.affiliations.0 {
            if link.raw_affiliation_string.non_empty().as_deref() == Some(s.as_str()) {
                for id in &link.institution_ids.0 {
                    let id = last_segment(id).to_owned();
                    if !linked.contains(&id) {
                        linked.push(id);
                    }
                }
            }
        }
        let pick = match linked.as_slice() {
            [one] => institutions.iter().position(|i| institution_key(i).as_deref() == Some(one.as_str())),
            [] if strings.len() == 1 && institutions.len() == 1 => Some(0),
            _ => None,
        };
        let mut affiliation = Affiliation { raw: s.clone(), ..Affiliation::default() };
        if let Some(i) = pick {
            fill_from_institution(&mut affiliation, institutions[i]);
            used[i] = true;
        }
        out.push(affiliation);
    }
    for (i, institution) in institutions.iter().enumerate() {
        if used[i] {
            continue;
        }
        let raw = institution.display_name.non_empty().or_else(|| institution.ror.non_empty());
        if let Some(raw) = raw {
            let mut affiliation = Affiliation { raw, ..Affiliation::default() };
            fill_from_institution(&mut affiliation, institution);
            out.push(affiliation);
        }
    }
    out
}

fn fill_from_institution(affiliation: &mut Affiliation, institution: &Institution) {
    affiliation.institution = institution.display_name.non_empty();
    affiliation.ror = institution.ror.get().and_then(normalize_ror);
    affiliation.country_code = institution
        .country_code
        .get()
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase);
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenalexWork {
    id: Text,
    doi: Text,
    ids: Obj<OpenalexIds>,
    title: Text,
    display_name: Text,
    abstract_inverted_index: InvertedIndex,
    publication_date: Text,
    publication_year: Num,
    primary_location: Obj<Location>,
    /// The 2022 schema's venue.
    host_venue: Obj<Source>,
    biblio: Obj<Biblio>,
    language: Text,
    #[serde(rename = "type")]
    work_type: Text,
    type_crossref: Text,
    is_retracted: Flag,
    keywords: Objects<Keyword>,
    mesh: Objects<Mesh>,
    referenced_works: Strings,
    grants: Objects<Grant>,
    awards: Objects<Award>,
    funders: Objects<OpenalexFunder>,
    authorships: Objects<Authorship>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenalexIds {
    openalex: Text,
    doi: Text,
    pmid: Text,
    pmcid: Text,
    mag: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Location {
    source: Obj<Source>,
}

/// `primary_location.source` (current schema) or `host_venue` (2022 schema, which says `publisher`).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Source {
    display_name: Text,
    issn_l: Text,
    issn: Strings,
    host_organization_name: Text,
    publisher: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Biblio {
    volume: Text,
    issue: Text,
    first_page: Text,
    last_page: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Keyword {
    display_name: Text,
    /// The 2023 schema's `{"keyword": "...", "score": ...}`.
    keyword: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Mesh {
    descriptor_name: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Grant {
    funder: Text,
    funder_display_name: Text,
    award_id: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Award {
    funder_id: Text,
    funder_display_name: Text,
    funder_award_id: Text,
    funder: Obj<OpenalexFunder>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenalexFunder {
    id: Text,
    display_name: Text,
    ror: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Authorship {
    author: Obj<OpenalexAuthor>,
    raw_author_name: Text,
    is_corresponding: Flag,
    raw_affiliation_strings: Strings,
    /// The 2022 schema's single string.
    raw_affiliation_string: Text,
    institutions: Objects<Institution>,
    affiliations: Objects<AffiliationLink>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OpenalexAuthor {
    display_name: Text,
    orcid: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Institution {
    id: Text,
    display_name: Text,
    ror: Text,
    country_code: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AffiliationLink {
    raw_affiliation_string: Text,
    institution_ids: Strings,
}

/// `abstract_inverted_index`: `{"word": [positions]}`, or (snapshot files) the same as a JSON string
/// `{"IndexLength": n, "InvertedIndex": {...}}`. Held as (position, word) pairs: nothing is ever allocated
/// by a position number, so gaps, duplicates and huge positions cost nothing.
#[derive(Default)]
struct InvertedIndex {
    words: Vec<String>,
    /// (position, index into `words`).
    tokens: Vec<(i64, usize)>,
}

impl InvertedIndex {
    /// The abstract text: words in position order, a duplicated position keeping its first word.
    fn to_text(&self) -> Option<String> {
        let mut tokens = self.tokens.clone();
        tokens.sort_by_key(|t| t.0);
        tokens.dedup_by_key(|t| t.0);
        let text: Vec<&str> = tokens.iter().map(|&(_, w)| self.words[w].as_str()).collect();
        text::non_empty(&text.join(" "))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SnapshotAbstract {
    #[serde(rename = "InvertedIndex")]
    inverted_index: InvertedIndex,
}

impl<'de> Deserialize<'de> for InvertedIndex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<InvertedIndex, D::Error> {
        use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = InvertedIndex;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an inverted index")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<InvertedIndex, A::Error> {
                let mut index = InvertedIndex::default();
                while let Some(word) = map.next_key::<String>()? {
                    let positions = map.next_value::<List<Num>>()?;
                    let room = MAX_ABSTRACT_TOKENS.saturating_sub(index.tokens.len());
                    let positions: Vec<i64> =
                        positions.0.iter().filter_map(|p| p.0).filter(|p| *p >= 0).take(room).collect();
                    if positions.is_empty() {
                        continue;
                    }
                    let w = index.words.len();
                    index.words.push(word);
                    index.tokens.extend(positions.into_iter().map(|p| (p, w)));
                }
                Ok(index)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<InvertedIndex, E> {
                // A malformed embedded index is dropped, not allowed to reject the work.
                Ok(serde_json::from_str::<SnapshotAbstract>(v).map(|s| s.inverted_index).unwrap_or_default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<InvertedIndex, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(InvertedIndex::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<InvertedIndex, E> {
                Ok(InvertedIndex::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<InvertedIndex, E> {
                Ok(InvertedIndex::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<InvertedIndex, E> {
                Ok(InvertedIndex::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<InvertedIndex, E> {
                Ok(InvertedIndex::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<InvertedIndex, E> {
                Ok(InvertedIndex::default())
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abstract_of(json: &str) -> Option<String> {
        serde_json::from_str::<InvertedIndex>(json).expect("index").to_text()
    }

    #[test]
    fn inverted_index_rebuilds_text_through_gaps_duplicates_and_huge_positions() {
        assert_eq!(abstract_of(r#"{"world": [1], "Hello": [0], "again": [3]}"#).as_deref(), Some("Hello world again"));
        assert_eq!(abstract_of(r#"{"a": [0, 0], "b": [0]}"#).as_deref(), Some("a"));
        assert_eq!(
            abstract_of(r#"{"end": [18446744073709551615, 9000000000000], "start": [0]}"#).as_deref(),
            Some("start end")
        );
        assert_eq!(abstract_of(r#"{"x": [-1, "two", null]}"#), None);
        let snapshot = r#""{\"IndexLength\": 2, \"InvertedIndex\": {\"Hi\": [0], \"there\": [1]}}""#;
        assert_eq!(abstract_of(snapshot).as_deref(), Some("Hi there"));
        assert_eq!(abstract_of(r#""not json""#), None);
        assert_eq!(abstract_of("null"), None);
    }

    #[test]
    fn non_work_entities_are_named_by_their_id_letter() {
        assert_eq!(non_work_entity("I27837315"), Some("institution"));
        assert_eq!(non_work_entity("A5023888391"), Some("author"));
        assert_eq!(non_work_entity("W2741809807"), None);
        assert_eq!(non_work_entity("Indigo"), None);
    }

    #[test]
    fn iso_dates_keep_the_precision_given() {
        assert_eq!(parse_iso_date(Some("2000-02-01")), Some(PubDate::new(2000, Some(2), Some(1))));
        assert_eq!(parse_iso_date(Some("2000")), Some(PubDate::new(2000, None, None)));
        assert_eq!(parse_iso_date(Some("x")), None);
    }
}
