//! The romaji key on the real KAKEN sample (`jp/kaken_researchers_sample.json`): every name object that gives
//! a person's name in kana (`ja-Kana`) and in romaji (`en`) is a pair the key should make equal. Read with
//! `serde_json::Value`, not byline's reader, and the script of each text taken from its characters.

use byline_norm::japanese::{Script, is_name_of, romaji_key, same_romaji_name, script_of};
use serde_json::Value;

/// (kana, romaji) full-name pairs from one name object: `humanReadableValue` (or `person:name`) full names,
/// and family + given built per script from `name:familyName` / `name:givenName`.
fn pairs(obj: &Value, out: &mut Vec<(String, String)>) {
    let texts = |key: &str| -> Vec<String> {
        obj.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|t| t["text"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let first = |v: &[String], s: Script| v.iter().find(|t| script_of(t) == s).cloned();
    let full: Vec<String> = [texts("humanReadableValue"), texts("person:name")].concat();
    let (fam, giv) = (texts("name:familyName"), texts("name:givenName"));
    let built = |s: Script| Some(format!("{} {}", first(&fam, s)?, first(&giv, s)?));
    let kana = first(&full, Script::Kana).or_else(|| built(Script::Kana));
    let latin = first(&full, Script::Latin).or_else(|| built(Script::Latin));
    if let (Some(k), Some(l)) = (kana, latin) {
        out.push((k, l));
    }
}

#[test]
fn kana_and_romaji_variants_meet() {
    let Some(dir) = byline_testdata::shared_data() else { return };
    let body = std::fs::read_to_string(dir.join("jp/kaken_researchers_sample.json")).expect("sample");
    let raw: Value = serde_json::from_str(&body).expect("JSON");
    let arr = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let (mut researcher, mut member, mut creator) = (Vec::new(), Vec::new(), Vec::new());
    let mut member_kana = 0;
    for r in arr(&raw, "researchers") {
        pairs(&r["name"], &mut researcher);
        for n in arr(&r, "names") {
            pairs(&n, &mut researcher);
        }
        for p in arr(&r, "work:project") {
            for m in arr(&p, "member") {
                member_kana += arr(&m, "person:name").iter().filter(|t| t["lang"] == "ja-Kana").count();
                pairs(&m, &mut member);
            }
        }
        for p in arr(&r, "work:product") {
            for c in arr(&p, "attribute:creator:candidate") {
                for person in arr(&c, "list") {
                    pairs(&person, &mut creator);
                }
            }
        }
    }
    let misses = |v: &[(String, String)]| -> Vec<(String, String)> {
        v.iter().filter(|(k, l)| romaji_key(k) != romaji_key(l) && !same_romaji_name(k, l)).cloned().collect()
    };
    let (rm, mm, cm) = (misses(&researcher), misses(&member), misses(&creator));
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!(
            "researchers: {}/{} pairs meet, misses {rm:?}\nmembers: {} kana variants, {} pairs\nproduct creators: {}/{} pairs meet, misses {cm:?}\n",
            researcher.len() - rm.len(),
            researcher.len(),
            member_kana,
            member.len(),
            creator.len() - cm.len(),
            creator.len()
        )
        .as_bytes(),
    );
    // Project members carry no kana in KAKEN (kanji and romaji only): nothing to compare there.
    assert_eq!((member_kana, member.len(), mm.len()), (0, 0, 0));
    assert_eq!(researcher.len(), RESEARCHER_PAIRS);
    assert_eq!(rm.len(), RESEARCHER_MISSES, "{rm:?}");
    assert_eq!(rm, [("ハシグチ ヨウコ".to_owned(), "YOKO".to_owned())]);
    assert_eq!(creator.len(), CREATOR_PAIRS);
    assert_eq!(cm.len(), CREATOR_MISSES, "{cm:?}");
    // And through is_name_of, every researcher's romaji name is one of their kana-and-kanji record's names.
    for r in arr(&raw, "researchers") {
        let names: Vec<String> = arr(&r["name"], "humanReadableValue")
            .iter()
            .filter_map(|t| t["text"].as_str().map(str::to_owned))
            .collect();
        for n in &names {
            assert!(is_name_of(&names, n), "{n}");
        }
    }
}

/// Name objects of the 7 researchers (`name` and `names`) with both a kana and a romaji name: 19.
const RESEARCHER_PAIRS: usize = 19;
/// One miss: Hashiguchi's `names[0]` gives the full romaji name as "YOKO" alone (given name only), while its
/// kana is "ハシグチ ヨウコ". The maiden-name form "Hashiguchi(Ono) Yoko" does meet "ハシグチ ヨウコ".
const RESEARCHER_MISSES: usize = 1;
/// Products' estimated creators (`attribute:creator:candidate`) with both: 123.
const CREATOR_PAIRS: usize = 123;
/// Five misses, all non-Japanese names written in katakana, which Hepburn does not give back
/// (ミロセビッチ マティヤ / MILOSEVIC MATIJA twice, ゴーシュ サミック / GHOSH Samik, マナロ エマニュエル / MANALO
/// Emmanuel twice).
const CREATOR_MISSES: usize = 5;
