//! Synthetic sample reports: a realistic audit and a scan, used by the tests, the README screenshot and
//! `byline report --sample`. Every person, work, venue and institution is invented; DOIs use the `10.5555`
//! test prefix. The audit deliberately carries hostile metadata (a work title and an author name holding
//! `<script>` and an `onerror` handler) so every renderer is exercised against injection.

use byline_model::{Evidence, Finding, Severity, Subject};

use crate::input::{
    ChartData, CoauthorEdge, CoauthorGraph, CoauthorNode, EvidenceWork, FamilyTimeline, GeneratedBy,
    InstitutionYearCount, KeyValue, LabeledCount, ReportInput, ReportKind, ScoreDistribution, YearCategoryCount,
};

/// The injected work title in [`sample_input`]; a browser that ran it would retitle the page and add an element.
pub const INJECTED_TITLE: &str = "Serum biomarkers after minor stroke <script>document.title='PWNED';\
document.body.insertAdjacentHTML('beforeend','<p id=\"pwned\">pwned</p>')</script>";

/// The injected author name in [`sample_input`].
pub const INJECTED_AUTHOR: &str = "R. Doe<img src=x onerror=\"document.title='PWNED-IMG'\">";

const SUBJECT_ID: &str = "P:0000-0002-1825-0097";

/// A synthetic audit of one researcher: 14 works, 3 institutions, co-authors with CJK, Arabic and Latin names,
/// and five flags of graded severity.
pub fn sample_input() -> ReportInput {
    let works = sample_works();
    ReportInput {
        kind: ReportKind::Audit,
        title: "Wei Zhang (张伟): authorship audit, 2014–2023".into(),
        subject: Some("Wei Zhang 张伟 · ORCID 0000-0002-1825-0097 · 14 works".into()),
        generated_by: GeneratedBy {
            version: "byline 0.1.0".into(),
            command: "byline audit corpus/ --orcid 0000-0002-1825-0097 --report audit.html".into(),
            method: vec![
                KeyValue::new("Corpus", "corpus/ (synthetic sample, 14 works of the researcher, 412 works in all)"),
                KeyValue::new("Identity", "ORCID on the byline, else name + affiliation match (score ≥ 0.85)"),
                KeyValue::new(
                    "COA001 threshold",
                    "no co-author of the work appears on any other work of the researcher",
                ),
                KeyValue::new(
                    "AFF002 threshold",
                    "affiliation on ≤ 1 work and absent from the researcher's other records",
                ),
                KeyValue::new("LST001 list", "screening list “synthetic-institutions-2024” (3 entries), ROR-matched"),
                KeyValue::new("TOR001 threshold", "≥ 2 tortured phrases per 1k words (Cabanac et al. 2021 lexicon)"),
                KeyValue::new("Network layout", "Fruchterman–Reingold, 300 iterations, fixed seed"),
            ],
        },
        summary: vec![
            "2 high-severity flags: one work whose six co-authors appear nowhere else in the record, and an \
             affiliation that matches a screening-list entry."
                .into(),
            "Affiliations span 3 institutions; one (Hainan Institute of Advanced Medical Sciences) appears on a \
             single 2021 work only."
                .into(),
            "Co-authors are affiliated in 7 countries; 4 of 14 works are single-country.".into(),
        ],
        findings: sample_findings(),
        charts: ChartData {
            works_per_year: works_per_year(&works),
            institutions_over_time: institutions_over_time(),
            coauthor_network: Some(coauthor_network()),
            ..ChartData::default()
        },
        works,
    }
}

/// A synthetic scan of a corpus for paper-mill signals: template families, one family's timeline, tortured
/// phrases per venue and two score distributions.
pub fn sample_scan_input() -> ReportInput {
    let family_members: Vec<YearCategoryCount> = [
        (2019, "Journal of Applied Bioinformatics Letters", 2),
        (2020, "Journal of Applied Bioinformatics Letters", 5),
        (2020, "Computational Oncology Reports", 3),
        (2021, "Computational Oncology Reports", 7),
        (2021, "International Journal of Smart Healthcare", 4),
        (2022, "International Journal of Smart Healthcare", 6),
        (2022, "Journal of Applied Bioinformatics Letters", 1),
    ]
    .into_iter()
    .map(|(year, venue, count)| YearCategoryCount { year, category: venue.into(), count })
    .collect();
    ReportInput {
        kind: ReportKind::Scan,
        title: "Paper-mill scan of corpus/ (412 works)".into(),
        subject: Some("corpus/ · 412 works · 2015–2023".into()),
        generated_by: GeneratedBy {
            version: "byline 0.1.0".into(),
            command: "byline scan corpus/ --report scan.html".into(),
            method: vec![
                KeyValue::new("TPL001 threshold", "template similarity ≥ 0.80 and family size ≥ 5"),
                KeyValue::new("TOR001 threshold", "≥ 2 tortured phrases per 1k words"),
            ],
        },
        summary: vec!["One template family of 28 works across 3 venues.".into()],
        findings: vec![Finding {
            code: "TPL001".into(),
            subject: Subject::Family { family_id: "F-0007".into() },
            severity: Severity::High,
            score: 0.93,
            reasons: vec!["28 works share one title and abstract template (mean similarity 0.91).".into()],
            evidence: vec![],
        }],
        works: vec![],
        charts: ChartData {
            template_families: [("F-0007", 28), ("F-0012", 9), ("F-0003", 6), ("F-0019", 5)]
                .into_iter()
                .map(|(label, count)| LabeledCount { label: label.into(), count })
                .collect(),
            family_timeline: Some(FamilyTimeline { family_id: "F-0007".into(), members: family_members }),
            tortured_phrases_per_venue: [
                ("International Journal of Smart Healthcare", 41),
                ("Computational Oncology Reports", 17),
                ("Journal of Applied Bioinformatics Letters", 6),
                ("Clinical Neurology Notes", 1),
            ]
            .into_iter()
            .map(|(label, count)| LabeledCount { label: label.into(), count })
            .collect(),
            score_distributions: vec![
                ScoreDistribution {
                    name: "TPL001 template similarity".into(),
                    scores: pseudo_scores(412, 11, 0.35),
                    threshold: Some(0.8),
                },
                ScoreDistribution {
                    name: "TOR001 tortured-phrase score".into(),
                    scores: pseudo_scores(412, 23, 0.15),
                    threshold: Some(0.5),
                },
            ],
            ..ChartData::default()
        },
    }
}

fn sample_works() -> Vec<EvidenceWork> {
    let work = |id: &str, year: i32, title: &str, venue: &str, authors: &[&str], countries: &[&str]| EvidenceWork {
        work_id: id.into(),
        doi: Some(format!("10.5555/byline.{}", id.to_lowercase())),
        pmid: Some(format!("3{}", 1_000_000 + year * 10 + id[1..].parse::<i32>().unwrap_or(0))),
        title: title.into(),
        year: Some(year),
        venue: Some(venue.into()),
        authors: authors.iter().map(|a| (*a).to_owned()).collect(),
        countries: countries.iter().map(|c| (*c).to_owned()).collect(),
    };
    vec![
        work(
            "W01",
            2014,
            "Carotid plaque imaging in a rural cohort",
            "Stroke Imaging",
            &["Wei Zhang", "李娜", "王芳"],
            &["CN"],
        ),
        work(
            "W02",
            2015,
            "Cohort follow-up of carotid plaque progression",
            "Stroke Imaging",
            &["李娜", "Wei Zhang", "王芳"],
            &["CN"],
        ),
        work(
            "W03",
            2016,
            "Plaque texture features and recurrent stroke",
            "Neuroradiology Letters",
            &["Wei Zhang", "Jana Nováková", "李娜"],
            &["CN", "CZ"],
        ),
        work(
            "W04",
            2017,
            "Multi-centre validation of plaque texture scores",
            "Neuroradiology Letters",
            &["Wei Zhang", "Jana Nováková", "佐藤健二", "李娜"],
            &["CN", "CZ", "JP"],
        ),
        work(
            "W05",
            2017,
            "Inter-reader agreement for plaque texture",
            "Clinical Neurology Notes",
            &["佐藤健二", "Wei Zhang"],
            &["JP", "CN"],
        ),
        work(
            "W06",
            2018,
            "Plaque imaging after thrombectomy",
            "Stroke Imaging",
            &["Wei Zhang", "محمد العلي", "王芳"],
            &["CN", "SA"],
        ),
        work(
            "W07",
            2018,
            "Texture scores in a Gulf stroke registry",
            "Neuroradiology Letters",
            &["محمد العلي", "فاطمة الزهراء", "Wei Zhang"],
            &["SA", "CN"],
        ),
        work(
            "W08",
            2019,
            "Deep learning for lung nodule triage",
            "International Journal of Smart Healthcare",
            &["Wei Zhang", "A. Kowalczyk", "B. Okafor", "C. Mendes", "D. Larsen", "E. Haddad", "F. Rossi"],
            &["CN", "PL", "NG", "BR", "DK", "LB", "IT"],
        ),
        work(
            "W09",
            2019,
            "Registry-based outcomes after minor stroke",
            "Stroke Imaging",
            &["Wei Zhang", "王芳", "Jana Nováková"],
            &["CN", "CZ"],
        ),
        work(
            "W10",
            2020,
            "Plaque texture and cognitive decline",
            "Clinical Neurology Notes",
            &["Wei Zhang", "李娜", "佐藤健二"],
            &["CN", "JP"],
        ),
        work(
            "W11",
            2021,
            INJECTED_TITLE,
            "Journal of Applied Bioinformatics Letters",
            &["Wei Zhang", INJECTED_AUTHOR, "Hamid Rahimi"],
            &["CN", "IR"],
        ),
        work(
            "W12",
            2021,
            "Vessel-wall MRI in young stroke",
            "Stroke Imaging",
            &["Wei Zhang", "王芳", "محمد العلي"],
            &["CN", "SA"],
        ),
        work(
            "W13",
            2022,
            "Ten-year outcomes of the rural plaque cohort",
            "Stroke Imaging",
            &["李娜", "Wei Zhang", "王芳"],
            &["CN"],
        ),
        work(
            "W14",
            2023,
            "Plaque texture as a trial enrichment marker",
            "Neuroradiology Letters",
            &["Wei Zhang", "Jana Nováková", "فاطمة الزهراء"],
            &["CN", "CZ", "SA"],
        ),
    ]
}

fn sample_findings() -> Vec<Finding> {
    let work_evidence = |id: &str| Evidence {
        kind: "work".into(),
        work_id: Some(id.into()),
        doi: Some(format!("10.5555/byline.{}", id.to_lowercase())),
        pmid: None,
        text: None,
    };
    vec![
        Finding {
            code: "COA001".into(),
            subject: Subject::Work { work_id: "W08".into() },
            severity: Severity::High,
            score: 0.91,
            reasons: vec![
                "None of the 6 co-authors of this work appears on any other of Wei Zhang's 14 works.".into(),
                "It is the researcher's only work in this venue and the only one outside stroke and neuroimaging."
                    .into(),
            ],
            evidence: vec![work_evidence("W08")],
        },
        Finding {
            code: "LST001".into(),
            subject: Subject::Affiliation { raw: "Hainan Institute of Advanced Medical Sciences, Haikou".into() },
            severity: Severity::High,
            score: 0.88,
            reasons: vec![
                "The affiliation matches entry 2 of the screening list “synthetic-institutions-2024” (same ROR id, \
                 name similarity 0.97)."
                    .into(),
            ],
            evidence: vec![
                Evidence {
                    kind: "list_entry".into(),
                    work_id: None,
                    doi: None,
                    pmid: None,
                    text: Some("synthetic-institutions-2024 #2: Hainan Institute of Advanced Medical Sciences".into()),
                },
                work_evidence("W11"),
            ],
        },
        Finding {
            code: "AFF002".into(),
            subject: Subject::Authorship { work_id: "W11".into(), position: 1 },
            severity: Severity::Medium,
            score: 0.64,
            reasons: vec![
                "This affiliation appears on 1 of the researcher's 14 works and on none of their other records.".into(),
            ],
            evidence: vec![work_evidence("W11")],
        },
        Finding {
            code: "RET001".into(),
            subject: Subject::Work { work_id: "W11".into() },
            severity: Severity::Medium,
            score: 0.55,
            reasons: vec!["The work cites 3 works that have since been retracted; one of them twice.".into()],
            evidence: vec![
                Evidence {
                    kind: "work".into(),
                    work_id: None,
                    doi: Some("10.5555/retracted.0042".into()),
                    pmid: None,
                    text: Some("Retracted 2022: data fabrication".into()),
                },
                work_evidence("W11"),
            ],
        },
        Finding {
            code: "TOR001".into(),
            subject: Subject::Work { work_id: "W08".into() },
            severity: Severity::Low,
            score: 0.34,
            reasons: vec!["2.4 tortured phrases per 1k words, above the threshold of 2.".into()],
            evidence: vec![
                Evidence {
                    kind: "phrase".into(),
                    work_id: Some("W08".into()),
                    doi: None,
                    pmid: None,
                    text: Some("“counterfeit consciousness” for artificial intelligence".into()),
                },
                Evidence {
                    kind: "phrase".into(),
                    work_id: Some("W08".into()),
                    doi: None,
                    pmid: None,
                    text: Some("“profound learning” for deep learning".into()),
                },
            ],
        },
    ]
}

/// Works per year stacked by country, computed from the works themselves (a work counts once per country).
fn works_per_year(works: &[EvidenceWork]) -> Vec<YearCategoryCount> {
    let mut counts: std::collections::BTreeMap<(i32, &str), u32> = std::collections::BTreeMap::new();
    for work in works {
        let Some(year) = work.year else { continue };
        let mut countries: Vec<&str> = work.countries.iter().map(String::as_str).collect();
        countries.sort_unstable();
        countries.dedup();
        for country in countries {
            *counts.entry((year, country)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((year, country), count)| YearCategoryCount { year, category: country.into(), count })
        .collect()
}

fn institutions_over_time() -> Vec<InstitutionYearCount> {
    let rows: &[(&str, i32, u32)] = &[
        ("Zhejiang Provincial Stroke Centre", 2014, 1),
        ("Zhejiang Provincial Stroke Centre", 2015, 1),
        ("Zhejiang Provincial Stroke Centre", 2016, 1),
        ("Zhejiang Provincial Stroke Centre", 2017, 2),
        ("Zhejiang Provincial Stroke Centre", 2018, 1),
        ("Eastern Coast Medical University", 2018, 1),
        ("Eastern Coast Medical University", 2019, 2),
        ("Eastern Coast Medical University", 2020, 1),
        ("Eastern Coast Medical University", 2021, 1),
        ("Eastern Coast Medical University", 2022, 1),
        ("Eastern Coast Medical University", 2023, 1),
        ("Hainan Institute of Advanced Medical Sciences", 2021, 1),
        ("Visiting scholar, Brno Neuroimaging Lab", 2016, 1),
        ("Visiting scholar, Brno Neuroimaging Lab", 2017, 1),
    ];
    rows.iter().map(|&(name, year, count)| InstitutionYearCount { institution: name.into(), year, count }).collect()
}

fn coauthor_network() -> CoauthorGraph {
    // (id, label, works in common, flagged)
    let people: &[(&str, &str, f64, bool)] = &[
        ("P:li-na", "李娜 (Li Na)", 6.0, false),
        ("P:wang-fang", "王芳 (Wang Fang)", 6.0, false),
        ("P:novakova", "Jana Nováková", 4.0, false),
        ("P:sato", "佐藤健二 (Sato Kenji)", 3.0, false),
        ("P:al-ali", "محمد العلي (Mohammed Al-Ali)", 3.0, false),
        ("P:al-zahraa", "فاطمة الزهراء (Fatima Al-Zahraa)", 2.0, false),
        ("P:kowalczyk", "A. Kowalczyk", 1.0, true),
        ("P:okafor", "B. Okafor", 1.0, true),
        ("P:mendes", "C. Mendes", 1.0, true),
        ("P:larsen", "D. Larsen", 1.0, true),
        ("P:haddad", "E. Haddad", 1.0, true),
        ("P:rossi", "F. Rossi", 1.0, true),
        ("P:doe", INJECTED_AUTHOR, 1.0, false),
        ("P:rahimi", "Hamid Rahimi", 1.0, false),
    ];
    let mut nodes = vec![CoauthorNode {
        id: SUBJECT_ID.into(),
        label: "Wei Zhang (张伟)".into(),
        weight: 14.0,
        flagged: false,
        is_subject: true,
    }];
    nodes.extend(people.iter().map(|&(id, label, weight, flagged)| CoauthorNode {
        id: id.into(),
        label: label.into(),
        weight,
        flagged,
        is_subject: false,
    }));
    let mut edges: Vec<CoauthorEdge> = people
        .iter()
        .map(|&(id, _, weight, flagged)| CoauthorEdge { source: SUBJECT_ID.into(), target: id.into(), weight, flagged })
        .collect();
    let pairs: &[(&str, &str, f64, bool)] = &[
        ("P:li-na", "P:wang-fang", 4.0, false),
        ("P:li-na", "P:novakova", 2.0, false),
        ("P:li-na", "P:sato", 2.0, false),
        ("P:novakova", "P:sato", 1.0, false),
        ("P:wang-fang", "P:al-ali", 2.0, false),
        ("P:al-ali", "P:al-zahraa", 1.0, false),
        ("P:novakova", "P:al-zahraa", 1.0, false),
        ("P:wang-fang", "P:novakova", 1.0, false),
        ("P:doe", "P:rahimi", 1.0, false),
    ];
    edges.extend(pairs.iter().map(|&(a, b, weight, flagged)| CoauthorEdge {
        source: a.into(),
        target: b.into(),
        weight,
        flagged,
    }));
    // The six co-authors of the flagged work W08 all wrote it together.
    let flagged: Vec<&str> = people.iter().filter(|p| p.3).map(|p| p.0).collect();
    for (i, a) in flagged.iter().enumerate() {
        for b in &flagged[i + 1..] {
            edges.push(CoauthorEdge { source: (*a).into(), target: (*b).into(), weight: 1.0, flagged: true });
        }
    }
    CoauthorGraph { nodes, edges }
}

/// Deterministic scores in `[0, 1]` skewed towards `centre`, with a small tail near 1 (a linear congruential
/// generator, so the sample never changes).
fn pseudo_scores(count: usize, seed: u64, centre: f64) -> Vec<f64> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|i| {
            if i % 29 == 0 {
                0.82 + 0.17 * next()
            } else {
                let spread = (next() + next() + next()) / 3.0 - 0.5;
                (centre + spread * 0.6).clamp(0.0, 1.0)
            }
        })
        .collect()
}
