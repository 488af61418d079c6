//! The affiliations benchmark on the real lists in shared data (ASPI tracker, METI Russia list).

use byline_bench::entities::{bench_affiliations, listed_organisations};
use byline_entities::screening::ScreeningMatcher;
use byline_synth::affiliations::{AffiliationsConfig, generate_affiliations};

use crate::support::{aspi, entities_dir, matcher, meti_russia};

#[test]
fn affiliations_bench_on_real_lists() {
    let (Some(dir), Some(ror)) = (entities_dir(), matcher()) else { return };
    let lists = vec![aspi(&dir), meti_russia(&dir)];
    let cfg = AffiliationsConfig { researchers: 300, ..AffiliationsConfig::default() };
    let corpus = generate_affiliations(&cfg, &listed_organisations(&lists));
    let screening = ScreeningMatcher::new(lists).with_registry(ror.registry());
    let b = bench_affiliations(&corpus, &screening, None);
    println!("{}", serde_json::to_string_pretty(&b).expect("serializes"));
    assert!(b.list_matches.precision >= 0.98, "list precision {:?}", b.list_matches);
    assert!(b.list_matches.recall >= 0.9, "list recall {:?}", b.list_matches);
    assert!(b.undisclosed_affiliations.precision >= 0.95 && b.undisclosed_affiliations.recall >= 0.95);
    assert!(b.undisclosed_funders.precision >= 0.95 && b.undisclosed_funders.recall >= 0.9);
}
