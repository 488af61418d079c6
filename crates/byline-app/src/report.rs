//! Report inputs: what the HTML/Markdown/JSON report of an audit or a scan shows, built from the pipelines'
//! outputs; and writing a report in the format its file name asks for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use byline_entities::affiliation::parse_affiliation;
use byline_graph::names::normalize_author;
use byline_model::{Finding, Severity, Work};
use byline_norm::affiliation_country;
use byline_report::{
    ChartData, CoauthorEdge, CoauthorGraph, CoauthorNode, EvidenceWork, GeneratedBy, InstitutionYearCount, KeyValue,
    LabeledScore, ReportInput, ReportKind, YearCategoryCount, findings_csv, render_markdown, report_json,
};

use crate::audit::{AuditOutput, FetchCitation};

/// Writes a report in the format its extension names, atomically (temp file + rename).
pub fn write_report(input: &ReportInput, path: &Path) -> anyhow::Result<()> {
    write_report_lang(input, path, byline_report::Lang::En)
}

/// [`write_report`] in a language: the HTML report is rendered in `lang` (`byline_report::i18n`); the other
/// formats are data or e-mail text in English, so another language for them is an error, not a silent English.
pub fn write_report_lang(input: &ReportInput, path: &Path, lang: byline_report::Lang) -> anyhow::Result<()> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("html").to_ascii_lowercase();
    if lang != byline_report::Lang::En && !matches!(ext.as_str(), "html" | "htm") {
        anyhow::bail!(
            "--lang {} renders the HTML report; {} is written in English (use a .html file, or --lang en)",
            lang.tag(),
            path.display()
        );
    }
    let content = match ext.as_str() {
        "html" | "htm" => byline_report::render_html_lang(input, lang)?,
        "md" | "markdown" => render_markdown(input),
        "json" => report_json(input)?,
        "csv" => findings_csv(&input.findings),
        other => anyhow::bail!("unknown report format '.{other}': use .html, .md, .json or .csv"),
    };
    crate::files::write_atomic(path, content.as_bytes())
}

/// How many co-authors the network chart shows (the most frequent, plus every flagged one).
const NETWORK_COAUTHORS: usize = 40;

/// The report of an audit: summary, every flag with its reasons and evidence, the charts, the method.
pub fn audit_report_input(o: &AuditOutput, works: &[Work], command: &str) -> ReportInput {
    let a = &o.audit;
    let by_id: BTreeMap<&str, &Work> = works.iter().map(|w| (w.work_id.as_str(), w)).collect();
    // One finding per assessed work, carrying the combined verdict and every signal's reasons: the unit a
    // committee discusses is the work, not the signal.
    let mut findings: Vec<Finding> = a.works.iter().filter(|w| w.severity >= Severity::Low).map(work_finding).collect();
    findings.extend(a.record_findings.iter().cloned());
    findings.extend(o.disclosure_findings.iter().cloned());
    findings.extend(o.list_findings.iter().cloned());
    findings.extend(o.papermill_findings.iter().cloned());

    let flagged: BTreeSet<&str> =
        a.works.iter().filter(|w| w.severity >= Severity::Medium).map(|w| w.work_id.as_str()).collect();
    let evidence_ids: BTreeSet<&str> = findings
        .iter()
        .flat_map(|f| f.evidence.iter().filter_map(|e| e.work_id.as_deref()))
        .chain(a.works.iter().filter(|w| !w.findings.is_empty()).map(|w| w.work_id.as_str()))
        .collect();
    let evidence: Vec<EvidenceWork> =
        evidence_ids.iter().filter_map(|id| by_id.get(id)).map(|w| evidence_work(w)).collect();

    // Works per year stacked by collaborator country; institutions over time; the co-author network.
    let mut per_year: BTreeMap<(i32, String), u32> = BTreeMap::new();
    let mut lanes: BTreeMap<(String, i32), u32> = BTreeMap::new();
    let mut coauthors: BTreeMap<String, (String, u32, u32)> = BTreeMap::new();
    let mut pairs: BTreeMap<(String, String), (u32, bool)> = BTreeMap::new();
    for assessed in &a.works {
        let Some(w) = by_id.get(assessed.work_id.as_str()) else { continue };
        let year = w.date.map(|d| d.year);
        let is_flagged = flagged.contains(w.work_id.as_str());
        if let Some(y) = year {
            let countries: BTreeSet<String> = w
                .authors
                .iter()
                .flat_map(|au| au.affiliations.iter().filter_map(|af| affiliation_country(af).map(|(c, _)| c)))
                .collect();
            if countries.is_empty() {
                *per_year.entry((y, "unknown".to_owned())).or_default() += 1;
            }
            for c in countries {
                *per_year.entry((y, c)).or_default() += 1;
            }
            if let Some(me) = w.authors.get(assessed.position as usize) {
                for af in &me.affiliations {
                    let inst = parse_affiliation(&af.raw).institution.or_else(|| af.institution.clone());
                    if let Some(inst) = inst {
                        *lanes.entry((inst, y)).or_default() += 1;
                    }
                }
            }
        }
        let mut on_work: Vec<String> = Vec::new();
        for (i, au) in w.authors.iter().enumerate() {
            if i == assessed.position as usize {
                continue;
            }
            let Some(key) = normalize_author(au).and_then(|n| n.blocking_key()) else { continue };
            let entry = coauthors.entry(key.clone()).or_insert_with(|| (au.display_name().to_owned(), 0, 0));
            entry.1 += 1;
            entry.2 += u32::from(is_flagged);
            on_work.push(key);
        }
        on_work.sort();
        on_work.dedup();
        for (i, x) in on_work.iter().enumerate() {
            for y in &on_work[i + 1..] {
                let e = pairs.entry((x.clone(), y.clone())).or_default();
                e.0 += 1;
                e.1 |= is_flagged;
            }
        }
    }
    let mut ranked: Vec<(&String, &(String, u32, u32))> = coauthors.iter().collect();
    ranked.sort_by(|x, y| y.1.1.cmp(&x.1.1).then(x.0.cmp(y.0)));
    let shown: BTreeSet<&String> = ranked
        .iter()
        .enumerate()
        .filter(|(i, (_, (_, _, flagged_works)))| *i < NETWORK_COAUTHORS || *flagged_works > 0)
        .take(NETWORK_COAUTHORS * 2)
        .map(|(_, (k, _))| *k)
        .collect();
    let subject_id = "subject".to_owned();
    let mut nodes = vec![CoauthorNode {
        id: subject_id.clone(),
        label: a.display_name.clone(),
        weight: a.works.len() as f64,
        flagged: false,
        is_subject: true,
    }];
    let mut edges = Vec::new();
    for key in &shown {
        if let Some((label, n, f)) = coauthors.get(*key) {
            // A co-author seen only on flagged works is the pattern a committee should see.
            nodes.push(CoauthorNode {
                id: (*key).clone(),
                label: label.clone(),
                weight: f64::from(*n),
                flagged: *f == *n && *f > 0,
                is_subject: false,
            });
            edges.push(CoauthorEdge {
                source: subject_id.clone(),
                target: (*key).clone(),
                weight: f64::from(*n),
                flagged: *f > 0,
            });
        }
    }
    for ((x, y), (n, f)) in &pairs {
        if shown.contains(x) && shown.contains(y) {
            edges.push(CoauthorEdge { source: x.clone(), target: y.clone(), weight: f64::from(*n), flagged: *f });
        }
    }
    let flag_scores: Vec<LabeledScore> = a
        .works
        .iter()
        .filter(|w| w.severity >= Severity::Low)
        .take(20)
        .map(|w| LabeledScore {
            label: w.title.clone().unwrap_or_else(|| w.work_id.clone()).chars().take(60).collect(),
            score: w.score,
            severity: w.severity,
        })
        .collect();

    let count = |s: Severity| a.works.iter().filter(|w| w.severity == s).count();
    let mut summary = vec![format!(
        "{} works carry this researcher's name in the corpus; {} high, {} medium and {} low flags.",
        a.works.len(),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    )];
    if let Some(top) = a.works.first().filter(|w| w.severity >= Severity::Medium) {
        summary.push(format!(
            "Highest-ranked: \"{}\" ({}), score {:.2}: {}",
            top.title.as_deref().unwrap_or("untitled"),
            top.year.map(|y| y.to_string()).unwrap_or_else(|| "year unknown".into()),
            top.score,
            top.findings.first().and_then(|f| f.reasons.first()).cloned().unwrap_or_default()
        ));
    }
    if !o.disclosure_findings.is_empty() {
        summary.push(format!(
            "{} items differ from the disclosure (to discuss, not verdicts).",
            o.disclosure_findings.len()
        ));
    }
    if !o.list_findings.is_empty() {
        let own = o.list_findings.iter().filter(|f| f.code == "LST001").count();
        let coauthors = o.list_findings.len() - own;
        summary.push(format!(
            "Screening lists: {own} of the researcher's own affiliations (LST001) and {coauthors} co-authors' \
             affiliations on their works (LST002, a collaboration, not an affiliation) name a listed organisation."
        ));
    }
    summary.push("Flags are about works, organisations and facts, never a person's name or nationality; each needs a conversation, not a conclusion.".to_owned());

    let opt = &a.options;
    let method = vec![
        KeyValue::new(
            "Record",
            "works found by ORCID, and by name key (family + first initial) without a conflicting ORCID",
        ),
        KeyValue::new("Combined score", "1 − Π(1 − weight × signal score); severity needs converging signals"),
        KeyValue::new("Minimum record for network signals", format!("{} works", opt.min_record_works)),
        KeyValue::new(
            "Hyper-prolific year (PRO001)",
            format!("≥ {} works (Ioannidis et al. 2018)", opt.hyper_prolific_works_per_year),
        ),
        KeyValue::new(
            "One-off co-authors (COA002)",
            format!(
                "≥ {} new countries and ≥ {:.0}% one-off co-authors",
                opt.one_off_countries,
                opt.one_off_coauthor_share * 100.0
            ),
        ),
        KeyValue::new(
            "Topic outlier (TOP001)",
            format!("cosine < {:.2} × the record's median", opt.topic_outlier_fraction),
        ),
        KeyValue::new(
            "Byline outlier (BYL005)",
            format!("≥ {}× the median author count and ≥ {} more", opt.byline_ratio, opt.byline_excess),
        ),
        KeyValue::new("Venue burst (VEN001)", format!("≥ {} works in one venue in one year", opt.venue_burst_works)),
        KeyValue::new("Corpus", format!("{} works; {} read for this audit", o.corpus_works, o.works_read)),
    ];
    let mut method = method;
    if let Some(f) = &o.fetch {
        method.extend(fetch_citation(f));
    }
    ReportInput {
        kind: ReportKind::Audit,
        title: format!("Byline audit: {}", if a.display_name.is_empty() { "researcher" } else { &a.display_name }),
        subject: Some(match (&a.target.orcid, &a.target.name) {
            (Some(o), Some(n)) => format!("{n} (ORCID {o})"),
            (Some(o), None) => format!("{} (ORCID {o})", a.display_name),
            (None, Some(n)) => n.clone(),
            (None, None) => a.display_name.clone(),
        }),
        generated_by: GeneratedBy {
            version: format!("byline {}", env!("CARGO_PKG_VERSION")),
            command: command.to_owned(),
            method,
        },
        summary,
        findings,
        works: evidence,
        charts: ChartData {
            works_per_year: per_year
                .into_iter()
                .map(|((year, category), count)| YearCategoryCount { year, category, count })
                .collect(),
            institutions_over_time: lanes
                .into_iter()
                .map(|((institution, year), count)| InstitutionYearCount { institution, year, count })
                .collect(),
            coauthor_network: Some(CoauthorGraph { nodes, edges }),
            flag_scores,
            ..ChartData::default()
        },
    }
}

/// `AUD001`: a work that may not belong to the researcher's record, with the combined score and severity of
/// the audit and the reasons of every signal that contributed.
pub fn work_finding(w: &byline_graph::audit::WorkAssessment) -> Finding {
    let mut reasons = Vec::new();
    let mut evidence = Vec::new();
    for f in &w.findings {
        for r in &f.reasons {
            reasons.push(format!("{} ({}): {r}", f.code, f.severity.as_str()));
        }
        for e in &f.evidence {
            if !evidence.contains(e) {
                evidence.push(e.clone());
            }
        }
    }
    if evidence.is_empty() {
        evidence.push(byline_model::Evidence {
            kind: "work".to_owned(),
            work_id: Some(w.work_id.clone()),
            doi: w.doi.clone(),
            pmid: w.pmid.clone(),
            text: w.title.clone(),
        });
    }
    Finding {
        code: "AUD001".to_owned(),
        subject: byline_model::Subject::Work { work_id: w.work_id.clone() },
        severity: w.severity,
        score: w.score,
        reasons,
        evidence,
    }
}

/// A work as evidence in a report.
pub fn evidence_work(w: &Work) -> EvidenceWork {
    let countries: BTreeSet<String> = w
        .authors
        .iter()
        .flat_map(|a| a.affiliations.iter().filter_map(|af| affiliation_country(af).map(|(c, _)| c)))
        .collect();
    EvidenceWork {
        work_id: w.work_id.clone(),
        doi: w.ids.doi.clone(),
        pmid: w.ids.pmid.clone(),
        title: w.title.clone().unwrap_or_default(),
        year: w.date.map(|d| d.year),
        venue: w.venue.title.clone(),
        authors: w.authors.iter().map(|a| a.display_name().to_owned()).collect(),
        countries: countries.into_iter().collect(),
    }
}

/// Most cache entries named one by one in the report; the JSON output lists them all.
const CITED_ENTRIES_SHOWN: usize = 25;

/// The report's method lines for a fetched record: which sources answered, what failed, and the cache entries
/// (URL and fetch date) the researcher's works came from, so a committee can see where each work was read.
fn fetch_citation(f: &FetchCitation) -> Vec<KeyValue> {
    let sources: Vec<String> = f
        .sources
        .iter()
        .map(|s| {
            format!(
                "{}: {} works from {} requests ({} from the cache, {} failed)",
                s.source, s.works, s.requests, s.from_cache, s.failed
            )
        })
        .collect();
    let mut out = vec![KeyValue::new("Fetched from", sources.join("; "))];
    if !f.failures.is_empty() {
        out.push(KeyValue::new(
            "Requests without an answer",
            format!("{} (listed in the JSON output)", f.failures.len()),
        ));
    }
    for e in f.entries_cited.iter().take(CITED_ENTRIES_SHOWN) {
        out.push(KeyValue::new(
            format!("Cache entry ({}, {})", e.source, e.role),
            format!(
                "{} fetched {} ({})",
                e.url,
                byline_entities::lists::iso_date_of_unix(e.fetched_at_unix as i64),
                e.file.display()
            ),
        ));
    }
    if f.entries_cited.len() > CITED_ENTRIES_SHOWN {
        out.push(KeyValue::new(
            "More cache entries",
            format!("{} more (the JSON output lists them all)", f.entries_cited.len() - CITED_ENTRIES_SHOWN),
        ));
    }
    out
}
