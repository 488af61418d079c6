//! Institution matching against the ROR ids that real OpenAlex records carry: every affiliation string
//! OpenAlex links to exactly one institution with a ROR id is read by byline's own OpenAlex reader, the
//! id is hidden, the string matched, and the match compared with it.

use byline_entities::eval::{Outcome, format_curve, pr_at, pr_curve};
use byline_parse::{Event, read_path};

use crate::support::{matcher, shared_data};

const FILES: [&str; 4] = [
    "openalex-works-openalexPro.jsonl.gz",
    "openalex-works-herreio-tu9-2022schema.jsonl.gz",
    "snapshot-sample/go-openalex-works-updated_date-2023-05-16-part_000.gz",
    "snapshot-sample/omid-openalex-works-part_test.gz",
];

#[test]
fn openalex_ror_ids_hidden_and_matched() {
    let (Some(dir), Some(m)) = (shared_data().map(|d| d.join("openalex")), matcher()) else { return };
    // (raw string, ROR id) once per distinct pair; strings that only repeat the institution's own display
    // name (the reader's fallback when a record has no raw string) are left out: they would test nothing.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut works = 0usize;
    for file in FILES {
        let summary = read_path(&dir.join(file), None, &mut |event| {
            if let Event::Work(w) = event {
                works += 1;
                for a in &w.authors {
                    for af in &a.affiliations {
                        let Some(ror) = &af.ror else { continue };
                        if af.institution.as_deref() == Some(af.raw.as_str()) {
                            continue;
                        }
                        let pair = (af.raw.clone(), ror.clone());
                        if !pairs.contains(&pair) {
                            pairs.push(pair);
                        }
                    }
                }
            }
        });
        assert_eq!(summary.rejected, 0, "{file}: {summary:?}");
    }
    // SOURCE.md: 339 + 410 + 27 + 29 works.
    assert_eq!(works, 805);
    let in_registry: Vec<&(String, String)> = pairs.iter().filter(|(_, r)| m.registry().get(r).is_some()).collect();
    let outcomes: Vec<Outcome> = {
        use rayon::prelude::*;
        in_registry
            .par_iter()
            .map(|(raw, ror)| Outcome {
                gold: Some(ror.clone()),
                predicted: m.best_match(raw, None).map(|b| (b.ror_id, b.confidence)),
            })
            .collect()
    };
    println!(
        "OpenAlex: {works} works, {} distinct (string, ROR id) pairs, {} with the id in the registry subset",
        pairs.len(),
        in_registry.len()
    );
    println!("{}", format_curve(&pr_curve(&outcomes, &[0.3, 0.5, 0.6, 0.7, 0.8, 0.9])));
    assert!(in_registry.len() >= 100, "too few pairs to measure: {}", in_registry.len());
    let at = pr_at(&outcomes, m.threshold());
    println!("at the matcher's threshold {:.4}: precision {:.4} recall {:.4}", m.threshold(), at.precision, at.recall);
    assert!(at.precision >= 0.90, "precision fell: {at:?}");
    assert!(at.recall >= 0.70, "recall fell: {at:?}");
}
