//! Template families planted by the generator, recovered by `find_families` (the papermill suite's measure).

use byline_bench::detect::bench_papermill;
use byline_detect::template::FamilyParams;
use byline_synth::papermill::PapermillConfig;

#[test]
fn planted_families_are_recovered() {
    let config = PapermillConfig { genuine_works: 400, families: 12, ..PapermillConfig::default() };
    let r = bench_papermill(&config, &FamilyParams::default());
    assert!(r.family_recall >= 0.9, "{r:?}");
    assert!(r.family_precision >= 0.9, "{r:?}");
    assert!(r.pair_precision >= 0.95, "{r:?}");
}
