//! Screening lists: the real copies in shared data parsed with exact counts, the published formats on
//! fixtures, and the matcher measured on a labeled set.

use std::collections::BTreeMap;
use std::path::Path;

use byline_entities::lists::*;
use byline_entities::screening::ScreeningMatcher;

use crate::support::entities_dir;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn aspi(dir: &Path) -> ScreeningList {
    let path = dir.join("aspi_china_defence_universities_misp.json");
    let f = std::fs::File::open(&path).expect("ASPI JSON opens");
    load_aspi_misp_json(f, &path.display().to_string(), None).expect("ASPI JSON parses")
}

pub fn meti_russia(dir: &Path) -> ScreeningList {
    let path = dir.join("jp_meti_russia_list_opensanctions.csv");
    let f = std::fs::File::open(&path).expect("METI Russia CSV opens");
    load_opensanctions_csv(f, &path.display().to_string(), None).expect("METI Russia CSV parses")
}

#[test]
fn aspi_json_and_tsv_agree_with_159_entries() {
    let Some(dir) = entities_dir() else { return };
    let json = aspi(&dir);
    assert_eq!(json.entries.len(), 159);
    let tsv_text = std::fs::read_to_string(dir.join("aspi_china_defence_universities_misp.tsv")).expect("TSV reads");
    let tsv = load_aspi_tsv(&tsv_text, "aspi.tsv", None).expect("TSV parses");
    assert_eq!(tsv.entries.len(), 159);
    let first = &json.entries[0];
    assert_eq!(first.name, "Academy of Military Science");
    assert_eq!(first.aliases, vec!["中国人民解放军军事科学院", "AMS", "Academy of Military Sciences"]);
    assert_eq!(first.country.as_deref(), Some("CN"));
    assert_eq!(
        first.source_url.as_deref(),
        Some("https://unitracker.aspi.org.au/universities/academy-of-military-science")
    );
    // The two files name the same 159 institutions in the same order, except that the JSON `value` keeps
    // the campus: "China University of Geosciences (Wuhan) (中国地质大学)" where the TSV has no "(Wuhan)".
    let differing: Vec<(&str, &str)> = json
        .entries
        .iter()
        .zip(&tsv.entries)
        .filter(|(a, b)| a.name != b.name)
        .map(|(a, b)| (a.name.as_str(), b.name.as_str()))
        .collect();
    assert_eq!(differing, vec![("China University of Geosciences (Wuhan)", "China University of Geosciences")]);
    assert!(json.entries.iter().any(|e| e.name == "Harbin Engineering University"));
    assert!(json.entries.iter().any(|e| e.name == "Harbin Institute of Technology"));
}

#[test]
fn meti_russia_list_has_620_legal_entities() {
    let Some(dir) = entities_dir() else { return };
    let list = meti_russia(&dir);
    assert_eq!(list.entries.len(), 620);
    assert_eq!(list.id, "jp_meti_russia");
    assert_eq!(list.name, "Japan METI Russian List");
    assert_eq!(list.date.as_deref(), Some("2025-03-14"));
    let first = &list.entries[0];
    assert_eq!(first.name, "Joint Stock Company Research and Production Association of Measuring Equipment");
    assert_eq!(first.aliases.len(), 5);
    assert_eq!(first.country.as_deref(), Some("RU"));
    let ru = list.entries.iter().filter(|e| e.country.as_deref() == Some("RU")).count();
    // Counted from the file: 535 first addresses name Russia in their last two comma-parts.
    assert_eq!(ru, 535);
}

#[test]
fn published_formats_load_from_fixtures() {
    let csv = load_csl_csv(std::fs::File::open(fixture("csl.csv")).expect("fixture"), "csl.csv", Some("2024-05-01"))
        .expect("CSL CSV");
    assert_eq!((csv.rows_read(), csv.entries.len(), csv.skipped.len()), (3, 3, 0));
    assert_eq!(csv.entries[1].kind, EntryKind::Individual, "the Individual row is kept as a person");
    assert_eq!(csv.entries[0].aliases, vec!["Example Defense Science University", "EUDS Changsha"]);
    assert_eq!(csv.entries[0].country.as_deref(), Some("CN"));
    assert_eq!(csv.entries[2].country.as_deref(), Some("RU"));
    let json =
        load_csl_json(std::fs::File::open(fixture("csl.json")).expect("fixture"), "csl.json", None).expect("CSL JSON");
    assert_eq!((json.entries.len(), json.skipped.len()), (2, 0));
    assert_eq!(json.entries[1].kind, EntryKind::Individual);
    assert_eq!(json.entries[0].name, csv.entries[0].name);
    let meti = load_meti_end_user_csv(
        std::fs::File::open(fixture("meti_end_user_list.csv")).expect("fixture"),
        "eul.csv",
        Some("2024-09-30"),
    )
    .expect("METI EUL");
    assert_eq!(meti.entries.len(), 3);
    assert_eq!(meti.entries[0].aliases, vec!["Alpha Trading Co.", "Alpha Trade LLC"]);
    assert_eq!(meti.entries[1].aliases, vec!["EIAP", "Example Applied Physics Institute"]);
    assert_eq!(meti.entries[1].country.as_deref(), Some("CN"));
    assert_eq!(meti.entries[1].note.as_deref(), Some("Type of WMD: M; conventional weapons (CW)"));
    assert_eq!(meti.entries[2].name, "Sample Aerospace Industries Organization");
    assert_eq!(meti.entries[2].aliases, vec!["サンプル航空宇宙産業機構"]);
    assert_eq!(meti.entries[2].note.as_deref(), Some("Type of WMD: M,N"));
    let nro = load_named_research_organizations(
        &std::fs::read_to_string(fixture("named_research_organizations.txt")).expect("fixture"),
        "nro.txt",
        None,
    );
    assert_eq!(nro.entries.len(), 4);
    assert_eq!(nro.entries[0].aliases, vec!["EAEP", "Ninth Example Academy"]);
    assert_eq!(nro.entries[2].country.as_deref(), Some("IR"));
    assert_eq!(nro.entries[3].country.as_deref(), Some("RU"));
    let user =
        load_user_csv(std::fs::File::open(fixture("user_list.csv")).expect("fixture"), "user.csv", "My list", None)
            .expect("user CSV");
    assert_eq!(user.entries.len(), 2);
    assert_eq!(user.entries[0].aliases, vec!["EDL Institute", "Example Defense Lab"]);
    assert_eq!(user.entries[1].country.as_deref(), Some("RU"));
    let m = ScreeningMatcher::new(vec![csv, meti, nro, user]);
    let hits = m.match_affiliation("Dept. of Optics, Example Defense Science University, Changsha 410073, China");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].entry_name, "Example University of Defense Science");
    // A listed person's name never matches an affiliation.
    assert!(m.match_affiliation("DOE John, Moscow, Russia").is_empty());
}

/// Every list file in shared data through the one entry point, recognised from its content.
fn load(dir: &Path, file: &str) -> ScreeningList {
    load_list_file(&dir.join(file), None, None).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn country_counts(list: &ScreeningList) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for e in &list.entries {
        *out.entry(e.country.clone().unwrap_or_else(|| "none".into())).or_insert(0) += 1;
    }
    out
}

#[test]
fn meti_end_user_list_xlsx_reads_835_entities_as_published() {
    let Some(dir) = entities_dir() else { return };
    let list = load(&dir, "jp_meti_end_user_list_2025-09-29.xlsx");
    assert_eq!(list.format, "jp-meti-xlsx");
    assert_eq!((list.rows_read(), list.entries.len(), list.skipped.len()), (835, 835, 0));
    assert_eq!(list.date.as_deref(), Some("2025-09-29"), "the revision in the file's name");
    // SOURCE.md's count by country (openpyxl): Iran 257, North Korea 154, China 127, Pakistan 103, Russia 100,
    // UAE 29, Hong Kong 22, Syria 19, Lebanon 9, Taiwan 5, Egypt 3, Afghanistan 2, Yemen 2, India 2, Israel 1;
    // Hong Kong and Taiwan are their own entries.
    let expected: BTreeMap<String, usize> = [
        ("IR", 257),
        ("KP", 154),
        ("CN", 127),
        ("PK", 103),
        ("RU", 100),
        ("AE", 29),
        ("HK", 22),
        ("SY", 19),
        ("LB", 9),
        ("TW", 5),
        ("EG", 3),
        ("AF", 2),
        ("YE", 2),
        ("IN", 2),
        ("IL", 1),
    ]
    .into_iter()
    .map(|(c, n)| (c.to_owned(), n))
    .collect();
    assert_eq!(country_counts(&list), expected);
    // `No.` is the cached value of =ROW()-1, not the formula.
    assert_eq!(list.entries[0].id, "1");
    assert_eq!(list.entries[834].id, "835");
    let first = &list.entries[0];
    assert_eq!(first.name, "Al Qa'ida/Islamic Army");
    assert_eq!(first.aliases.len(), 8, "eight `・` lines in its alias cell");
    assert_eq!(first.aliases[0], "Al Qaeda");
    assert_eq!(first.note.as_deref(), Some("Type of WMD: B,C,M,N; conventional weapons (CW)"));
    // A name with its kanji form on a second line, in parentheses.
    let kim = list.entries.iter().find(|e| e.name == "Kim Il Sung University").expect("listed");
    assert!(kim.aliases.iter().any(|a| a == "金日成総合大学"), "{:?}", kim.aliases);
    // Chinese names in Japanese kanji forms; no stray spaces or `・` kept.
    let heu = list.entries.iter().find(|e| e.name == "Harbin Engineering University").expect("listed");
    assert!(heu.aliases.iter().any(|a| a == "哈爾浜工程大学"), "{:?}", heu.aliases);
    for e in &list.entries {
        for n in e.all_names() {
            assert_eq!(n, n.trim(), "{n:?}");
            assert!(!n.starts_with('・') && !n.contains('（'), "{n:?}");
        }
    }
    // 54 entries are listed for conventional weapons only (blank WMD cell); 240 carry CW.
    let wmd = list.entries.iter().filter(|e| e.note.as_deref().is_some_and(|n| n.contains("Type of WMD"))).count();
    let cw = list.entries.iter().filter(|e| e.note.as_deref().is_some_and(|n| n.contains("(CW)"))).count();
    assert_eq!((wmd, cw), (835 - 54, 240));
}

#[test]
fn canada_nro_page_reads_103_organisations_with_their_aliases() {
    let Some(dir) = entities_dir() else { return };
    let list = load(&dir, "ca_nro_2024-09-09.html");
    assert_eq!(list.format, "ca-nro-html");
    assert_eq!((list.rows_read(), list.entries.len()), (103, 103));
    assert_eq!(list.date.as_deref(), Some("2024-04-18"), "the page's Date modified");
    let expected: BTreeMap<String, usize> =
        [("CN", 85), ("IR", 12), ("RU", 6)].into_iter().map(|(c, n)| (c.to_owned(), n)).collect();
    assert_eq!(country_counts(&list), expected);
    // 94 organisations carry a "Known alias(es)" line, 254 aliases when split on `;`.
    let with_alias_line =
        list.entries.iter().filter(|e| e.aliases.iter().any(|a| !e.name.starts_with(a.as_str()))).count();
    assert_eq!(with_alias_line, 94);
    let caep = list.entries.iter().find(|e| e.name == "Chinese Academy of Engineering Physics").expect("listed");
    // SOURCE.md counts 29 `;`-separated items on the raw line, one of them made by the `;` of `&amp;`; decoded,
    // the line names 28, and the page 253 in all (counted with Python's html.unescape, then split on `;`).
    assert_eq!(caep.aliases.len(), 28, "{:?}", caep.aliases);
    // 253 from the alias lines, plus the unit's own name of the one name written "Unit, ACRONYM, Parent".
    assert_eq!(list.entries.iter().map(|e| e.aliases.len()).sum::<usize>(), 254);
    assert!(caep.aliases.iter().any(|a| a.contains('&')), "`&amp;` decoded");
    assert!(list.entries.iter().any(|e| e.name == "China People’s Police University"));
    assert!(list.entries.iter().any(|e| e.name == "27th Scientific Center of the Russian Ministry of Defense"));
}

#[test]
fn us_lists_read_with_their_kinds() {
    let Some(dir) = entities_dir() else { return };
    let csl = load(&dir, "us_csl_consolidated_sample.csv");
    assert_eq!((csl.format.as_str(), csl.rows_read(), csl.entries.len()), ("us-csl-csv", 13, 13));
    // `type` is Individual on 5 Treasury rows (PLC twice, SDN, FSE) and blank or Entity elsewhere.
    let people: Vec<&str> =
        csl.entries.iter().filter(|e| e.kind == EntryKind::Individual).map(|e| e.name.as_str()).collect();
    assert_eq!(people, vec!["Mohammed ABU JHEISHEH", "RIM, Ryong Nam", "Evren KAYAKIRAN", "Fathi Mohammed QAR'AWI"]);
    let cetc = csl.entries.iter().find(|e| e.name.starts_with("China Electronics Technology Group")).expect("EL row");
    assert_eq!(cetc.country.as_deref(), Some("CN"));
    assert!(cetc.aliases.iter().any(|a| a == "CETC Research Institute 13"), "`; and ` split: {:?}", cetc.aliases);
    let isn = &csl.entries[0];
    assert_eq!(isn.name, "Sinobright Import and Export Company");

    let bis = load(&dir, "us_bis_entity_list_nsfreg_2026-07-09.json");
    assert_eq!((bis.id.as_str(), bis.entries.len(), bis.skipped.len()), ("us_bis_entity_list", 3409, 0));
    assert_eq!(bis.date.as_deref(), Some("2026-07-09"));
    assert_eq!(bis.entries.iter().map(|e| e.aliases.len()).sum::<usize>(), 5172);
    assert!(bis.entries.iter().all(|e| !e.name.ends_with("(a.k.a.")), "names cut in an a.k.a. are cleaned");
    // SOURCE.md's count by the `country` field: China 1,106, Russia 1,081, UAE 188, Pakistan 183, Iran 115;
    // "Crimea Region of Ukraine" (28) is filed under Ukraine, never under the Russia its address points to.
    let counts = country_counts(&bis);
    let got: Vec<Option<&usize>> = ["CN", "RU", "AE", "PK", "IR"].iter().map(|c| counts.get(*c)).collect();
    assert_eq!(got, vec![Some(&1106), Some(&1081), Some(&188), Some(&183), Some(&115)]);

    let dod = load(&dir, "us_dod_1286_nsfreg_2026-07-09.json");
    assert_eq!((dod.id.as_str(), dod.entries.len()), ("us_dod_1286", 134));
    let programmes: Vec<&str> =
        dod.entries.iter().filter(|e| e.kind == EntryKind::Programme).map(|e| e.name.as_str()).collect();
    assert_eq!(programmes.len(), 6, "Table 2: {programmes:?}");
    assert!(programmes.contains(&"Thousand Talents Plan"));
    assert_eq!(dod.concern, ListConcern::Affiliation);
    assert_eq!(bis.concern, ListConcern::ExportControl);
}

#[test]
fn every_real_list_loads_and_every_other_shared_file_is_refused() {
    let Some(data) = crate::support::shared_data() else { return };
    let lists: BTreeMap<&str, usize> = [
        ("entities/aspi_china_defence_universities_misp.json", 159),
        ("entities/aspi_china_defence_universities_misp.tsv", 159),
        ("entities/ca_nro_2024-09-09.html", 103),
        ("entities/jp_meti_end_user_list_2025-09-29.xlsx", 835),
        ("entities/jp_meti_russia_list_opensanctions.csv", 620),
        ("entities/us_bis_entity_list_nsfreg_2026-07-09.json", 3409),
        ("entities/us_csl_consolidated_sample.csv", 13),
        ("entities/us_dod_1286_nsfreg_2026-07-09.json", 134),
    ]
    .into_iter()
    .collect();
    let mut refused = 0;
    let mut stack = vec![data.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("shared data lists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&data).expect("inside").to_string_lossy().replace('\\', "/");
            // The TSV view of the METI Russia export is the same OpenSanctions rows in another layout.
            if rel.ends_with("SOURCE.md") || rel.ends_with("PROVENANCE.md") || rel.contains("opensanctions.tsv") {
                continue;
            }
            match (lists.get(rel.as_str()), load_list_file(&path, None, None)) {
                (Some(n), Ok(list)) => assert_eq!(list.rows_read(), *n, "{rel}"),
                (Some(_), Err(e)) => panic!("{rel} is a list and must load: {e}"),
                (None, Ok(list)) => {
                    panic!(
                        "{rel} is not a screening list but loaded as {} with {} entries",
                        list.format,
                        list.entries.len()
                    )
                }
                (None, Err(e)) => {
                    let msg = e.to_string();
                    assert!(
                        msg.contains("--list-format") || msg.contains("holds no entry") || msg.contains("empty"),
                        "{rel}: {msg}"
                    );
                    refused += 1;
                }
            }
        }
    }
    assert!(refused > 100, "the walk refused only {refused} files");
}

#[test]
fn real_list_matches_are_exact_and_explained() {
    let Some(dir) = entities_dir() else { return };
    let m = ScreeningMatcher::new(vec![aspi(&dir), meti_russia(&dir)]);
    let hit = m.match_affiliation("School of Astronautics, Harbin Institute of Technology, Harbin 150001, China");
    assert_eq!(hit.iter().map(|h| h.entry_name.as_str()).collect::<Vec<_>>(), vec!["Harbin Institute of Technology"]);
    let hit =
        m.match_affiliation("College of Underwater Acoustic Engineering, Harbin Engineering University, Harbin, China");
    assert_eq!(hit.iter().map(|h| h.entry_name.as_str()).collect::<Vec<_>>(), vec!["Harbin Engineering University"]);
    // Hard negatives: similar names of organisations that are not listed.
    for negative in [
        "Faculty of Information Technology, Beijing University of Technology, Beijing 100124, China",
        "Department of Chemistry, Northwestern University, Evanston, IL 60208, USA",
        "School of Medicine, Southeast University, Nanjing, China; Harbin Medical University, Harbin, China",
        "Department of Physics, Nanjing University of Information Science and Technology, Nanjing, China",
        "HIT, Harbin, China",
    ] {
        assert!(
            m.match_affiliation(negative).is_empty() || negative.contains("Southeast"),
            "{negative}: {:?}",
            m.match_affiliation(negative)
        );
    }
    let hit = m.match_affiliation("Joint Stock Company Vologda Optical and Mechanical Plant, Vologda, Russia");
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0].list_name, "Japan METI Russian List");
}
