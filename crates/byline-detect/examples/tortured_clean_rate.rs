//! Measures tortured-phrase hits on the clean real PubMed abstracts in `shared/data/pubmed`: how many works
//! have any hit, how many are graded suspicious or high, and which phrases hit most (the input of the
//! allow-list review in `data/allowlist.txt`).
//!
//! ```text
//! cargo run --release -p byline-detect --example tortured_clean_rate -- [SHARED_DATA_DIR] [--no-allowlist]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use byline_detect::text::work_text;
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST, TorturedGrade, TorturedThresholds};
use byline_parse::{Event, read_path};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = args
        .get(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let allow = if args.iter().any(|a| a == "--no-allowlist") { "" } else { SHIPPED_ALLOWLIST };
    let lex = Lexicon::from_shared_dir(&data.join("lexicons"), allow).expect("lexicons");
    println!("lexicon: {} active phrases, {} excluded", lex.entries().len(), lex.excluded().len());
    let mut files: Vec<PathBuf> = std::fs::read_dir(data.join("pubmed"))
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().contains(".xml"));
    files.sort();
    let t = TorturedThresholds::default();
    let (mut n, mut any, mut susp, mut high) = (0usize, 0usize, 0usize, 0usize);
    let mut phrase_docs: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        read_path(&f, None, &mut |e| {
            if let Event::Work(w) = e
                && w.abstract_text.is_some()
                && !w.is_retracted()
            {
                n += 1;
                let a = lex.assess(&work_text(&w), &t);
                if a.total_hits > 0 {
                    any += 1;
                }
                match a.grade {
                    TorturedGrade::Suspicious => susp += 1,
                    TorturedGrade::High => high += 1,
                    _ => {}
                }
                for (p, e, _) in a.phrases {
                    *phrase_docs.entry(format!("{p} → {e}")).or_default() += 1;
                }
            }
        });
    }
    println!(
        "clean PubMed abstracts: {n}; any hit: {any} ({:.3}%); suspicious: {susp}; high: {high}",
        100.0 * any as f64 / n.max(1) as f64
    );
    let mut top: Vec<(usize, String)> = phrase_docs.into_iter().map(|(p, c)| (c, p)).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (c, p) in top.iter().take(40) {
        println!("{c:>6}  {p}");
    }
}
