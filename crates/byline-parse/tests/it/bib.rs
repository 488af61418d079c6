//! Readers for the exports an integrity officer downloads about one researcher (WoS plain and tab-delimited,
//! Scopus CSV, RIS, BibTeX, MEDLINE text), on the real files in `shared/data/bib` and `shared/data/pubmed`,
//! and on hostile inputs. Expected values were read from the files themselves (grep, Python's csv module).

use std::io::Write;
use std::path::Path;

use byline_model::{Format, Work};
use byline_parse::{Event, FileSummary, input::Input, read_path, read_stream};

use crate::support::{Read, by_doi, read_all, shared_data};

/// Reads `bib/<name>` and checks format, record count (from SOURCE.md, re-counted) and rejections.
fn read_bib(data: &Path, name: &str, format: Format, records: u64, rejected: u64) -> Read {
    let r = read_all(&data.join("bib").join(name));
    assert_eq!(r.summary.format, Some(format), "{name}");
    assert_eq!(r.summary.file_error, None, "{name}");
    assert_eq!(r.summary.records_seen, records, "{name}: records");
    assert_eq!(r.summary.rejected, rejected, "{name}: rejected {:?}", r.rejected);
    r
}

fn reads(format: Format, bytes: &[u8]) -> (Vec<Work>, Vec<String>, Vec<String>, FileSummary) {
    let mut input = Input::from_reader(Box::new(std::io::Cursor::new(bytes.to_vec())));
    let (mut works, mut rejected, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let result = read_stream(format, &mut input, "mem", &mut |e| match e {
        Event::Work(w) => works.push(*w),
        Event::Rejected(d) => rejected.push(format!("{}: {}", d.position.line.unwrap_or(0), d.reason)),
        Event::Warning(d) => warnings.push(d.reason),
        Event::Deleted { .. } => {}
    });
    assert!(result.is_ok(), "{result:?}");
    (works, rejected, warnings, FileSummary::default())
}

/// Reads bytes through `read_path`, so format sniffing is exercised too.
fn reads_file(bytes: &[u8]) -> Read {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("export");
    std::fs::File::create(&path).and_then(|mut f| f.write_all(bytes)).expect("write");
    read_all(&path)
}

#[test]
fn wos_plain_files_count_every_record() {
    let Some(data) = shared_data() else { return };
    for (name, n) in [
        ("metaknowledge-testFile.isi", 34),
        ("metaknowledge-ManyAuthors.isi.gz", 500),
        ("metaknowledge-savedrecs.txt", 32),
        ("bibliometrix-wos_sample.txt", 8),
        ("refsplitr-example_data.txt", 49),
        ("refsplitr-BITR_test.txt", 10),
        ("synthesisr-WoS_txt_example.txt", 4),
        ("synthesisr-WoS_ciw_example.ciw", 5),
        ("synthesisr-zoorec.txt.gz", 134),
    ] {
        let r = read_bib(&data, name, Format::WosPlain, n, 0);
        assert_eq!(r.works.len() as u64, n);
    }
}

#[test]
fn wos_plain_maps_byline_c1_rp_em_oi() {
    let Some(data) = shared_data() else { return };
    let r = read_bib(&data, "bibliometrix-wos_sample.txt", Format::WosPlain, 8, 0);
    let w = by_doi(&r.works, "10.21031/epod.1069307");
    assert_eq!(
        w.title.as_deref(),
        Some("A Bibliometric Analysis: A Tutorial for the Bibliometrix Package in R Using IRT Literature")
    );
    assert_eq!(w.authors.len(), 1);
    let a = &w.authors[0];
    assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Buyukkidik"), Some("Serap")));
    assert_eq!(a.affiliations[0].raw, "Sinop Univ, Fac Educ, Sinop, Turkey.");
    assert_eq!(a.affiliations[0].country.as_deref(), Some("Turkey"));
    assert_eq!(a.corresponding, Some(true), "RP Büyükkidik, S matches AF Buyukkidik, Serap");
    assert_eq!(a.email.as_deref(), Some("sbuyukkidik@gmail.com"));
    assert_eq!(w.date.map(|d| d.year), Some(2022));
    assert_eq!(w.venue.issns, vec!["1309-6575"]);

    let w = by_doi(&r.works, "10.1016/j.joi.2017.08.007");
    let names: Vec<&str> = w.authors.iter().map(|a| a.raw_name.as_str()).collect();
    assert_eq!(names, ["Aria, Massimo", "Cuccurullo, Corrado"]);
    assert_eq!(w.authors[0].corresponding, Some(true));
    assert_eq!(w.authors[1].corresponding, None);
    // OI "CUCCURULLO, Corrado/0000-0002-7401-8575; Aria,\n   Massimo/0000-0002-8517-9411" (wrapped).
    assert_eq!(w.authors[0].orcid.as_deref(), Some("0000-0002-8517-9411"));
    assert_eq!(w.authors[1].orcid.as_deref(), Some("0000-0002-7401-8575"));
    // Two e-mails, one corresponding author: which e-mail is whose is not stated.
    assert_eq!(w.authors[0].email, None);
    assert_eq!(w.authors[1].affiliations[0].country.as_deref(), Some("Italy"));
}

#[test]
fn wos_plain_old_records_and_malformed_lines() {
    let Some(data) = shared_data() else { return };
    let r = read_bib(&data, "metaknowledge-testFile.isi", Format::WosPlain, 34, 0);
    let w = by_doi(&r.works, "10.1016/0370-1573(79)90074-7");
    assert_eq!(
        w.title.as_deref(),
        Some("EXPERIMENTS IN PHENOMENOLOGICAL ELECTRODYNAMICS AND THE ELECTROMAGNETIC ENERGY-MOMENTUM TENSOR")
    );
    assert_eq!(w.authors.len(), 1);
    // A sole author gets the unbracketed 1979 address; its last segment is the country.
    assert_eq!(w.authors[0].affiliations[0].country.as_deref(), Some("NORWAY"));
    // This record's CR tag sits after its citations (they continue C1 in the file): only the one line
    // tagged CR is a reference, nothing is invented.
    assert_eq!(w.references.len(), 1);
    let w = by_doi(&r.works, "10.1364/josa.67.001307");
    assert_eq!(w.references.len(), 34, "NR 34");
    assert_eq!(w.references[0].doi.as_deref(), Some("10.1103/physrev.171.1385"));
    // Two authors, two 1977 addresses without brackets: not attached to anyone.
    assert!(w.authors.iter().all(|a| a.affiliations.is_empty()));
    // Line 416 "AUGilles, H" has no space after its tag: dropped with a warning, the record kept (AF has the name).
    assert!(r.warnings.iter().any(|d| d.reason.contains("AUGilles") && d.position.line == Some(416)));
    let gilles =
        r.works.iter().find(|w| w.authors.first().is_some_and(|a| a.raw_name == "Gilles, H")).expect("Gilles record");
    assert_eq!(gilles.authors.len(), 3);
}

#[test]
fn wos_tab_delimited_files() {
    let Some(data) = shared_data() else { return };
    read_bib(&data, "scientopy-wos_2026_04_02_1000.txt.gz", Format::WosTab, 1000, 0);
    let r = read_bib(&data, "scientopy-wos_2026_04_02_4071.txt", Format::WosTab, 71, 0);
    let w = by_doi(&r.works, "10.1002/adsr.202300058");
    assert_eq!(w.authors.len(), 11);
    let first = &w.authors[0];
    assert_eq!(first.raw_name, "Sheeja Prakash, Karthika");
    assert_eq!(first.orcid.as_deref(), Some("0000-0002-3279-9713"));
    assert_eq!(first.corresponding, Some(true), "RP Prakash, KS is AU position 1");
    assert_eq!(first.email.as_deref(), Some("karthikasprakash@gmail.com"));
    assert_eq!(first.affiliations[0].country.as_deref(), Some("Germany"));
    assert_eq!(w.venue.title.as_deref(), Some("ADVANCED SENSOR RESEARCH"));
    assert_eq!(w.funding[0].agency.as_deref(), Some("German Science Foundation"));
    assert_eq!(w.funding[0].grant_id.as_deref(), Some("ECCS-1651438"));
    // SOURCE.md: 4 book-chapter rows have an empty AU.
    assert_eq!(r.works.iter().filter(|w| w.authors.is_empty()).count(), 4);
}

#[test]
fn scopus_csv_files() {
    let Some(data) = shared_data() else { return };
    read_bib(&data, "metaknowledge-scopus_testing.csv.gz", Format::ScopusCsv, 220, 0);
    let r = read_bib(&data, "bibliometrix-scopus_sample.csv", Format::ScopusCsv, 8, 0);
    let w = by_doi(&r.works, "10.1177/20552076261415846");
    let names: Vec<&str> = w.authors.iter().map(|a| a.raw_name.as_str()).collect();
    assert_eq!(names, ["Liu, Fengyuan", "Li, Chunyun", "Liu, Yong", "Li, Yufei"]);
    // "Y. Li; …; email: Liyufei666@163.com" fits only Li, Yufei.
    assert_eq!(w.authors[3].corresponding, Some(true));
    assert_eq!(w.authors[3].email.as_deref(), Some("Liyufei666@163.com"));
    assert_eq!(
        w.authors[0].affiliations[0].raw,
        "Department of Clinical Medicine, Hunan Normal University Health Science Center, Hunan, Changsha, China"
    );
    assert_eq!(w.funding[0].grant_id.as_deref(), Some("2022JJ30412"));

    // 56 of 58 rows carry a header-less "Funding Text 2" cell: realigned, not rejected.
    let r = read_bib(&data, "litstudy-scopus.csv", Format::ScopusCsv, 58, 0);
    let w = by_doi(&r.works, "10.1002/jcc.20289");
    assert_eq!(w.title.as_deref(), Some("Scalable molecular dynamics with NAMD"));
    assert_eq!(w.authors.len(), 10);
    assert_eq!(w.authors[0].family.as_deref(), Some("Phillips"));
    assert_eq!(w.authors[9].corresponding, Some(true));
    assert_eq!(w.authors[9].email.as_deref(), Some("kschulte@ks.uiuc.edu"));
    assert_eq!(w.venue.issns, vec!["0192-8651"]);
    let shifted = by_doi(&r.works, "10.1038/s41598-022-04849-0");
    assert_eq!(shifted.ids.pmid.as_deref(), Some("35064163"));
    assert_eq!(shifted.language.as_deref(), Some("English"));
    assert_eq!(shifted.authors[0].corresponding, Some(true));
    assert!(r.warnings.iter().any(|d| d.reason.starts_with("56 row(s)")));
}

#[test]
fn other_csv_exports_are_skipped_not_misread() {
    let Some(data) = shared_data() else { return };
    for name in ["bibliometrix-lens_sample.csv", "litstudy-ieee.csv", "litstudy-springer.csv"] {
        let r = read_all(&data.join("bib").join(name));
        assert!(r.summary.skipped.is_some(), "{name}");
        assert_eq!(r.summary.records_seen, 0);
    }
}

#[test]
fn ris_files() {
    let Some(data) = shared_data() else { return };
    // CR CR LF before each TY: 25 records, not 1.
    read_bib(&data, "litstudy-example.ris", Format::Ris, 25, 0);
    read_bib(&data, "synthesisr-citesource_issue_24.ris", Format::Ris, 17, 0);
    read_bib(&data, "synthesisr-scopus.ris.gz", Format::Ris, 92, 0);
    let r = read_bib(&data, "synthesisr-Scopus_ris_example.ris", Format::Ris, 3, 0);
    let w = by_doi(&r.works, "10.1080/20964129.2020.1722034");
    assert_eq!(w.authors.len(), 10);
    assert_eq!((w.authors[2].family.as_deref(), w.authors[2].given.as_deref()), (Some("Cui"), Some("L.")));
    assert_eq!(w.authors[2].corresponding, Some(true));
    assert_eq!(w.authors[2].email.as_deref(), Some("wetlands108@126.com"));
    assert_eq!(w.venue.title.as_deref(), Some("Ecosystem Health and Sustainability"));
    let r = read_bib(&data, "synthesisr-ASP_ris_example.ris", Format::Ris, 4, 0);
    let w = by_doi(&r.works, "10.1016/j.agee.2016.06.041");
    assert_eq!(w.authors[0].raw_name, "Rodríguez-Pastor, Ruth");
    assert_eq!(w.date.map(|d| (d.year, d.month)), Some((2016, Some(9))));
    let r = read_bib(&data, "synthesisr-Ovid_ris_example.ris", Format::Ris, 4, 0);
    assert_eq!(by_doi(&r.works, "10.4236/ojf.2020.101008").authors.len(), 4);
}

#[test]
fn bibtex_files() {
    let Some(data) = shared_data() else { return };
    // Scopus writes illegal field names ("funding_text 1"); all entries still read.
    read_bib(&data, "pybibx-scopus.bib.gz", Format::Bibtex, 263, 0);
    read_bib(&data, "pybibx-scopus_m.bib", Format::Bibtex, 24, 0);
    let r = read_bib(&data, "synthesisr-Scopus_bib_example.bib", Format::Bibtex, 3, 0);
    assert_eq!(by_doi(&r.works, "10.1080/20964129.2020.1722034").authors.len(), 10);

    let r = read_bib(&data, "pybibx-wos_m.bib", Format::Bibtex, 29, 0);
    let w = by_doi(&r.works, "10.1016/j.amc.2010.04.009");
    assert_eq!(w.authors.len(), 3);
    let a = &w.authors[0];
    assert_eq!((a.family.as_deref(), a.given.as_deref()), (Some("Antonio Gomez-Ruiz"), Some("Jose")));
    assert_eq!(a.corresponding, Some(true), "Gomez-Ruiz, JA (Corresponding Author)");
    assert_eq!(a.orcid.as_deref(), Some("0000-0001-7469-8112"));
    assert_eq!(a.email.as_deref(), Some("janto@lcc.uma.es"));
    // `\&` decoded.
    assert!(
        a.affiliations
            .iter()
            .any(|f| f.raw == "Univ Malaga, Dept Comp Sci & Artificial Intelligence, E-29071 Malaga, Spain.")
    );
    assert_eq!(a.affiliations[0].country.as_deref(), Some("Spain"));
    assert_eq!(w.authors[1].affiliations[0].country.as_deref(), Some("Argentina"));

    // WOS:000380468600005 writes `\{` inside Cited-References: an escaped brace, so the entry balances.
    let r = read_bib(&data, "pybibx-wos.bib.gz", Format::Bibtex, 236, 0);
    let w = r.works.iter().find(|w| w.ids.other.iter().any(|(_, v)| v == "WOS:000380468600005")).expect("entry");
    assert_eq!(
        w.title.as_deref(),
        Some("A Hybrid Multi-objective GRASP plus SA Algorithm with Incorporation of Preferences")
    );
    assert!(w.references.iter().any(|r| r.doi.as_deref() == Some("10.1162/evco_a_00038")), "`\\_` decoded in a DOI");
    let henggeler = w.authors.iter().find(|a| a.raw_name == "Henggeler Antunes, Carlos").expect("author");
    assert_eq!(henggeler.orcid.as_deref(), Some("0000-0003-4754-2168"));
}

#[test]
fn medline_text_files() {
    let Some(data) = shared_data() else { return };
    let read = |n: u32| read_all(&data.join(format!("pubmed/biopython__pubmed_result{n}.txt")));
    let r = read(1);
    assert_eq!((r.summary.format, r.summary.works, r.summary.rejected), (Some(Format::Medline), 1, 0));
    let w = &r.works[0];
    assert_eq!(w.ids.pmid.as_deref(), Some("12230038"));
    assert_eq!(w.title.as_deref(), Some("The Bio* toolkits--a brief overview."));
    assert_eq!(w.authors[0].family.as_deref(), Some("Mangalam"));
    // Pre-2014 MEDLINE: one AD before the authors, the first author's.
    assert_eq!(w.authors[0].affiliations[0].raw, "tacg Informatics, Irvine, CA 92612, USA. hjm@tacgi.com");
    assert_eq!(w.date.map(|d| d.to_iso()), Some("2002-09".to_owned()));
    assert!(w.mesh.iter().any(|m| m == "Computational Biology"));
    assert!(w.abstract_text.as_deref().is_some_and(|a| a.ends_with("beginning biologist programmer.")));

    let r = read(2);
    assert_eq!((r.summary.works, r.summary.rejected), (4, 0));
    let w = by_doi(&r.works, "10.1186/1471-2105-7-10");
    assert_eq!(w.ids.pmid.as_deref(), Some("16403221"));
    assert_eq!(w.ids.pmcid.as_deref(), Some("PMC1373603"));
    assert_eq!(w.authors.len(), 3);
    assert_eq!(w.authors[2].given.as_deref(), Some("Mansoor A S"));

    let r = read(3);
    let w = by_doi(&r.works, "10.1118/1.4748329");
    assert_eq!(w.authors.len(), 4);
    assert_eq!(
        w.authors[0].affiliations[0].raw,
        "School of Biomedical Engineering, Shanghai Jiao Tong University, Shanghai, People's Republic of China."
    );
    assert!(w.authors[1].affiliations.is_empty());
}

#[test]
fn hostile_bibtex_unbalanced_braces_resynchronize_at_next_entry() {
    let bib = b"@article{a,\n title = {Open {brace never closed},\n year = 2020,\n\n@article{b,\n author = {M{\\\"o}ller, J{\\'e}r{\\^o}me and {CALGB Investigators}},\n title = {Fine},\n}\n";
    let r = reads_file(bib);
    assert_eq!(r.summary.format, Some(Format::Bibtex));
    assert_eq!((r.summary.works, r.summary.rejected), (1, 1));
    assert!(r.rejected[0].reason.contains("unbalanced"), "{:?}", r.rejected);
    assert_eq!(r.rejected[0].position.line, Some(1));
    let w = &r.works[0];
    assert_eq!(w.authors[0].family.as_deref(), Some("Möller"));
    assert_eq!(w.authors[0].given.as_deref(), Some("Jérôme"));
    assert_eq!(w.authors[1].collective.as_deref(), Some("CALGB Investigators"));
}

#[test]
fn hostile_ris_record_without_er_is_rejected_and_the_next_kept() {
    let ris = b"TY  - JOUR\nTI  - No end\nAU  - Doe, J\nTY  - JOUR\nTI  - Complete\nER  - \nTY  - JOUR\nTI  - Truncated at EOF\n";
    let r = reads_file(ris);
    assert_eq!((r.summary.works, r.summary.rejected), (1, 2));
    assert_eq!(r.works[0].title.as_deref(), Some("Complete"));
    assert_eq!(r.rejected[0].position.line, Some(1));
    assert_eq!(r.rejected[1].position.line, Some(7));
}

#[test]
fn hostile_crlf_bom_and_latin1() {
    let wos = "\u{feff}FN Clarivate Analytics Web of Science\r\nVR 1.0\r\nPT J\r\nAF Doe, Jane\r\nTI A title\r\n   continued\r\nER\r\n\r\nEF\r\n";
    let r = reads_file(wos.as_bytes());
    assert_eq!(r.summary.format, Some(Format::WosPlain));
    assert_eq!(r.works[0].title.as_deref(), Some("A title continued"));
    // Latin-1 bytes (0xF6 = ö): decoded, kept, warned.
    let mut latin1 = b"PT J\nAF M".to_vec();
    latin1.push(0xF6);
    latin1.extend_from_slice(b"ller, Jan\nTI T\nER\n");
    let r = reads_file(&latin1);
    assert_eq!(r.works.len(), 1);
    assert_eq!(r.works[0].authors[0].family.as_deref(), Some("Möller"));
    assert!(r.warnings.iter().any(|d| d.reason.contains("Latin-1")));
    let (works, rejected, warnings, _) = reads(Format::Medline, b"PMID- 1\r\nTI  - Caf\xe9\r\n");
    assert_eq!((works.len(), rejected.len()), (1, 0));
    assert_eq!(works[0].title.as_deref(), Some("Café"));
    assert_eq!(warnings.len(), 1);
}

#[test]
fn hostile_empty_and_garbage_inputs() {
    for format in [Format::WosPlain, Format::WosTab, Format::ScopusCsv, Format::Ris, Format::Bibtex, Format::Medline] {
        let (works, rejected, _, _) = reads(format, b"");
        assert_eq!((works.len(), rejected.len()), (0, 0), "{format}");
        let (works, _, _, _) = reads(format, &[0xff, 0xfe, 0x00, b'\n', b'@', b'{', 0x80]);
        assert!(works.len() <= 1, "{format}");
    }
    let r = reads_file(b"");
    assert!(r.summary.file_error.as_ref().is_some_and(|e| e.reason.contains("empty")), "{:?}", r.summary);
    // A MEDLINE record that does not start with PMID is rejected; the next one is read.
    let (works, rejected, _, _) = reads(Format::Medline, b"TI  - orphan\n\nPMID- 2\nTI  - kept\n");
    assert_eq!((works.len(), rejected.len()), (1, 1));
    // A Scopus row with too few cells is rejected with its line; the file goes on.
    let csv = "Authors,Title,Year,Source title,DOI,EID\nDoe J.,One,2020,J,10.1/a,2-s2.0-1\nbroken,row\nRoe K.,Two,2021,J,10.1/b,2-s2.0-2\n";
    let (works, rejected, _, _) = reads(Format::ScopusCsv, csv.as_bytes());
    assert_eq!(works.len(), 2);
    assert_eq!(rejected, vec!["3: row has 2 fields, header has 6".to_owned()]);
}

#[test]
fn read_path_sniffs_each_text_format() {
    let Some(data) = shared_data() else { return };
    let summary = read_path(&data.join("pubmed/biopython__pubmed_result2.txt"), None, &mut |_| {});
    assert_eq!(summary.format, Some(Format::Medline));
}
