//! Chinese and Japanese names on the real lists: a name inside another organisation's name is no match
//! (`电子科技大学` in `杭州电子科技大学`), and one university written in simplified or traditional Chinese, in
//! Japanese kanji (as METI writes it) or in English matches the same entries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use byline_entities::lists::{ScreeningList, load_list_file};
use byline_entities::screening::ScreeningMatcher;
use byline_entities::text;

use crate::support::entities_dir;

/// Every real list file of the shared data.
const LIST_FILES: [&str; 7] = [
    "aspi_china_defence_universities_misp.json",
    "jp_meti_russia_list_opensanctions.csv",
    "jp_meti_end_user_list_2025-09-29.xlsx",
    "ca_nro_2024-09-09.html",
    "us_bis_entity_list_nsfreg_2026-07-09.json",
    "us_dod_1286_nsfreg_2026-07-09.json",
    "us_csl_consolidated_sample.csv",
];

fn load(dir: &Path, file: &str) -> ScreeningList {
    load_list_file(&dir.join(file), None, None).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn all_lists(dir: &Path) -> Vec<ScreeningList> {
    LIST_FILES.iter().map(|f| load(dir, f)).collect()
}

/// `list_id/entry_name` of every match.
fn hits(m: &ScreeningMatcher, raw: &str) -> BTreeSet<String> {
    m.match_affiliation(raw).into_iter().map(|h| format!("{}/{}", h.list_id, h.entry_name)).collect()
}

/// The entry of `list` whose names include `name` as written (an independent look-up: exact string equality).
fn entry_named<'a>(list: &'a ScreeningList, name: &str) -> &'a byline_entities::lists::ListEntry {
    list.entries
        .iter()
        .find(|e| e.all_names().contains(&name))
        .unwrap_or_else(|| panic!("{} has no entry named {name}", list.id))
}

#[test]
fn a_listed_cjk_name_inside_another_universitys_name_is_no_match() {
    let Some(dir) = entities_dir() else {
        println!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return;
    };
    let aspi = load(&dir, "aspi_china_defence_universities_misp.json");
    // The lists carry UESTC as 电子科技大学 and Hangzhou Dianzi University (a different university, also on the
    // ASPI tracker) as 杭州电子科技大学.
    let uestc = entry_named(&aspi, "电子科技大学").name.clone();
    let hdu = entry_named(&aspi, "杭州电子科技大学").name.clone();
    let xidian = entry_named(&aspi, "西安电子科技大学").name.clone();
    assert_ne!(uestc, hdu);
    let m = ScreeningMatcher::new(vec![aspi.clone()]);
    let found = hits(&m, "杭州电子科技大学，中国");
    assert_eq!(found, BTreeSet::from([format!("{}/{hdu}", aspi.id)]), "only Hangzhou Dianzi University");
    assert_eq!(hits(&m, "西安电子科技大学通信工程学院，西安"), BTreeSet::from([format!("{}/{xidian}", aspi.id)]));
    // Without the HDU entry, the string names no listed organisation at all.
    let mut without_hdu = aspi.clone();
    without_hdu.entries.retain(|e| e.name != hdu);
    let m = ScreeningMatcher::new(vec![without_hdu]);
    assert!(hits(&m, "杭州电子科技大学，中国").is_empty());
    // A unit of the university keeps the match; UESTC written with a unit after it.
    assert_eq!(hits(&m, "电子科技大学物理学院，成都 611731").len(), 1);
    assert_eq!(hits(&m, "电子科技大学，成都").len(), 1);
}

/// Pairs of CJK names on the real lists where one holds the other after a place or other characters in front
/// (`杭州电子科技大学` ⊃ `电子科技大学`), found by scanning the lists, not chosen by hand: the longer name must never
/// match the shorter name's entry unless the two entries share a name (the same organisation on two lists).
#[test]
fn no_cjk_name_on_the_lists_matches_an_entry_whose_name_it_merely_contains() {
    let Some(dir) = entities_dir() else {
        println!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return;
    };
    let lists = all_lists(&dir);
    // Every CJK name (one run of CJK characters after folding) → the entries carrying it.
    let mut owners: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut names_of: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for l in &lists {
        for e in l.entries.iter().filter(|e| e.matches_affiliations()) {
            let key = (l.id.clone(), e.id.clone());
            for n in e.all_names() {
                let folded = text::fold_affiliation(n).trim().to_owned();
                names_of.entry(key.clone()).or_default().insert(text::name_key(n));
                if folded.chars().count() >= 4 && folded.chars().all(text::is_cjk) {
                    owners.entry(folded).or_default().insert(key.clone());
                }
            }
        }
    }
    let m = ScreeningMatcher::new(lists.clone());
    let mut pairs = 0;
    for (long, long_owners) in &owners {
        for (short, short_owners) in &owners {
            // The short name ends the long one or stands inside it, with other characters in front.
            if long == short || !long.contains(short.as_str()) || long.starts_with(short.as_str()) {
                continue;
            }
            for s in short_owners {
                let same_org = long_owners.iter().any(|l| {
                    l == s || !names_of[l].is_disjoint(&names_of[s]) || names_of[s].contains(&text::name_key(long))
                });
                if same_org {
                    continue;
                }
                pairs += 1;
                let found: Vec<_> = m
                    .match_affiliation(long)
                    .into_iter()
                    .filter(|h| (h.list_id.clone(), h.entry_id.clone()) == *s)
                    .collect();
                assert!(found.is_empty(), "{long} matched {s:?} through {short}: {found:?}");
            }
        }
    }
    println!("{pairs} CJK names on the lists that hold another entry's name after other characters");
    assert!(pairs >= 3, "the scan found only {pairs} pairs: the lists or their loading changed");
}

#[test]
fn simplified_traditional_japanese_and_english_forms_match_the_same_entries() {
    let Some(dir) = entities_dir() else {
        println!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return;
    };
    let aspi = load(&dir, "aspi_china_defence_universities_misp.json");
    let meti = load(&dir, "jp_meti_end_user_list_2025-09-29.xlsx");
    // ASPI writes the simplified name, METI the Japanese kanji form: the same university.
    let aspi_heu = entry_named(&aspi, "哈尔滨工程大学");
    let meti_heu = entry_named(&meti, "哈爾浜工程大学");
    let expected: BTreeSet<(String, String)> =
        BTreeSet::from([(aspi.id.clone(), aspi_heu.id.clone()), (meti.id.clone(), meti_heu.id.clone())]);
    let m = ScreeningMatcher::new(vec![aspi.clone(), meti.clone()]);
    for written in [
        "哈尔滨工程大学，哈尔滨",
        "哈爾濱工程大學，哈爾濱",
        "哈爾浜工程大学",
        "College of Nuclear Science and Technology, Harbin Engineering University, Harbin 150001, China",
        "哈尔滨工程大学水声工程学院，哈尔滨 150001",
    ] {
        let found: BTreeSet<(String, String)> =
            m.match_affiliation(written).into_iter().map(|h| (h.list_id, h.entry_id)).collect();
        assert_eq!(found, expected, "{written}");
    }
    // A different university sharing most characters matches neither.
    for other in ["哈尔滨工业大学，哈尔滨", "哈尔滨理工大学", "哈尔滨医科大学"] {
        let found: BTreeSet<(String, String)> =
            m.match_affiliation(other).into_iter().map(|h| (h.list_id, h.entry_id)).collect();
        assert!(found.is_disjoint(&expected), "{other}: {found:?}");
    }
}

#[test]
fn the_pla_prefix_and_campuses_keep_the_match() {
    let Some(dir) = entities_dir() else {
        println!("skipped: no shared data (BYLINE_SHARED_DATA)");
        return;
    };
    let aspi = load(&dir, "aspi_china_defence_universities_misp.json");
    let hit_names = |m: &ScreeningMatcher, raw: &str| -> Vec<String> {
        m.match_affiliation(raw).into_iter().map(|h| h.entry_name).collect()
    };
    // ASPI writes 空军工程大学 and 中国人民解放军空军工程大学 for one entry (and the same for a dozen others): the PLA
    // prefix is the parent's name. A list that writes only the short name still matches the prefixed form.
    let afeu = entry_named(&aspi, "空军工程大学").clone();
    assert!(afeu.all_names().contains(&"中国人民解放军空军工程大学"));
    let mut short_only = aspi.clone();
    for e in &mut short_only.entries {
        if e.id == afeu.id {
            e.aliases.retain(|a| a != "中国人民解放军空军工程大学");
        }
    }
    let m = ScreeningMatcher::new(vec![short_only]);
    assert_eq!(hit_names(&m, "中国人民解放军空军工程大学，西安"), vec![afeu.name.clone()]);
    // A place in front is another name, even one an entry writes in front of its own name (成都 + 电子科技大学).
    assert!(hit_names(&m, "西安空军工程大学").is_empty());
    // A campus in parentheses is the same university (HIT Weihai is a campus of HIT).
    let hit = entry_named(&aspi, "哈尔滨工业大学").name.clone();
    let m = ScreeningMatcher::new(vec![aspi]);
    assert_eq!(hit_names(&m, "哈尔滨工业大学（威海），威海 264209"), vec![hit.clone()]);
    assert_eq!(hit_names(&m, "Harbin Institute of Technology (Weihai), Weihai, China"), vec![hit]);
}
