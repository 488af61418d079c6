//! `byline audit`: one researcher's record, the works that may not belong, and what needs a conversation.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFilter};
use byline_detect::tortured::SHIPPED_ALLOWLIST;
use byline_detect::{DetectContext, Lexicon, Model, RetractionDb, scan as detect_scan};
use byline_entities::disclosure::{
    AuditContext, audit_disclosure, default_programmes, parse_disclosure, parse_programmes,
};
use byline_entities::funders::FunderDictionary;
use byline_entities::ror::{InstitutionMatcher, RorRegistry};
use byline_entities::screening::{ListRelation, ScreeningMatcher, list_match_finding};
use byline_graph::audit::{AuditOptions, AuditReport, AuditTarget, ClaimedWorks, audit_works};
use byline_graph::names::{normalize_author, normalize_name_text};
use byline_model::{Author, Finding, Severity, Work, normalize_orcid};
use serde::Serialize;

use crate::cmd::lists::{ListArgs, load_lists, warn_stale};
use crate::cmd::report::{ReportArgs, write_report};
use crate::exit;
use crate::output::{OutputFormat, errln, outln, print_json};
use crate::progress::Context;

/// Audit one researcher's record: which works carry their name but may not be theirs (no shared co-author,
/// new countries and institutions, foreign topics, odd bylines, bursts), which affiliations and funders are
/// undisclosed, and which affiliations match a screening list. Every flag comes with its reasons.
///
/// The researcher is found by ORCID, or by name ("Family, Given", optionally narrowed by an affiliation).
/// Only the researcher's neighbourhood is read from the corpus, so a corpus of millions of works is fine.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    byline audit --orcid 0000-0002-1825-0097 --fetch --report audit.html      from the APIs, nothing to ingest\n  \
    byline audit --orcid 0000-0002-1825-0097 --fetch --offline --disclosure orcid --report audit.html\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097\n  \
    byline audit --corpus corpus/ --name \"Tanaka, Hiroshi\" --affiliation \"University of Tokyo\" --report audit.html\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097 --disclosure disclosure.yaml --list consolidated.csv --format json\n  \
    byline audit --corpus corpus/ --orcid 0000-0002-1825-0097 --disclosure disclosure.yaml --ror ror-v2.json.gz\n\n\
Exit codes: 0 no flag at or above --fail-on; 3 at least one; 1 error.")]
pub struct Args {
    /// A corpus written by `byline ingest` (a whole database export or just this researcher's works).
    #[arg(long, required_unless_present = "fetch")]
    pub corpus: Option<PathBuf>,
    /// Fetch the researcher's record (OpenAlex, Crossref, PubMed, their ORCID record, their recurring
    /// co-authors' works) through the cache into `CACHE/corpora/`, then audit it: no corpus needed. The ORCID
    /// record's works list becomes the researcher's claim (ORC001/ORC002).
    #[arg(long, conflicts_with = "corpus")]
    pub fetch: bool,
    #[command(flatten)]
    pub fetch_args: crate::cmd::fetch::FetchArgs,
    /// The researcher's ORCID iD.
    #[arg(long, required_unless_present = "name")]
    pub orcid: Option<String>,
    /// The researcher's name as "Family, Given" (or "Given Family").
    #[arg(long)]
    pub name: Option<String>,
    /// Text of the researcher's home affiliation, to pick the right person among namesakes.
    #[arg(long)]
    pub affiliation: Option<String>,
    /// The researcher's disclosure (YAML or JSON: appointments, affiliations, funders with dates), or `orcid`:
    /// the employments, educations and fundings of their ORCID record (with `--fetch`).
    #[arg(long)]
    pub disclosure: Option<PathBuf>,
    /// The ROR registry (a ROR data dump in schema v2: the JSON array, plain or .gz; unzip the published
    /// dump first, see datasets/fetch-ror.sh). With it, the disclosure is compared by organisation: every
    /// institution an affiliation string names is matched to a ROR record, aliases and other-language names
    /// included, a declared organisation covers its parent's and children's records, and e-mail domains are
    /// checked against the institutions listed (AFF004). Without it, by the institution's name as written.
    #[arg(long, value_name = "FILE", requires = "disclosure")]
    pub ror: Option<PathBuf>,
    /// Programmes of concern to look for in acknowledgements (YAML/JSON list); default: a built-in example list.
    #[arg(long)]
    pub programmes: Option<PathBuf>,
    #[command(flatten)]
    pub lists: ListArgs,
    /// Tortured-phrase lexicons for the paper-mill signals on the researcher's works (TOR001; see `byline scan`).
    #[arg(long = "lexicon", value_name = "FILE")]
    pub lexicons: Vec<PathBuf>,
    /// Retraction Watch data for RET001–RET004, recognised by header: Crossref's CSV, a `doi,retractionwatch`
    /// list or the retractiondatabase.org scrape (datasets/README.md).
    #[arg(long, value_name = "CSV")]
    pub retractions: Option<PathBuf>,
    /// A year with at least this many works is hyper-prolific (Ioannidis et al. 2018: 72 a year = one every
    /// five days).
    #[arg(long, default_value_t = 73)]
    pub hyper_prolific: usize,
    /// Show works at or above this severity in the table.
    #[arg(long, value_enum, default_value_t = SeverityArg::Low)]
    pub show: SeverityArg,
    /// Exit 3 when any flag reaches this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::High)]
    pub fail_on: SeverityArg,
    /// Rows in the table.
    #[arg(long, default_value_t = 25)]
    pub top: usize,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: OutputFormat,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
        }
    }
}

/// Everything the audit found, as printed with `--format json`.
#[derive(Debug, Serialize)]
pub struct AuditOutput {
    pub corpus_works: u64,
    pub works_read: usize,
    /// Copies of the same work (same DOI, or same PMID) from several sources, counted once.
    pub duplicates_merged: usize,
    pub audit: AuditReport,
    /// Disclosure and screening-list findings.
    pub disclosure_findings: Vec<Finding>,
    pub list_findings: Vec<Finding>,
    /// Paper-mill signals (byline-detect) on the researcher's own works: retraction links, template families,
    /// tortured phrases, byline anomalies, the classifier. Shown beside the audit, and fed into its scores
    /// (`VEN002`).
    pub papermill_findings: Vec<Finding>,
    /// With `--fetch`: which sources answered and the cache entries the researcher's works came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchCitation>,
}

/// The fetch behind an audit: per-source answers, failures, and the cache entries the record's works cite.
#[derive(Debug, Serialize)]
pub struct FetchCitation {
    pub complete: bool,
    pub sources: Vec<byline_fetch::SourceSummary>,
    pub failures: Vec<byline_fetch::RequestFailure>,
    /// Cache entries holding the researcher's works (and the ORCID record), with URL and fetch time.
    pub entries_cited: Vec<byline_fetch::UsedEntry>,
}

impl FetchCitation {
    fn new(report: &byline_fetch::FetchReport, authored: &[(&Work, usize)]) -> FetchCitation {
        let used: BTreeSet<&str> = authored.iter().map(|(w, _)| w.source.path.as_str()).collect();
        let entries_cited = report
            .entries
            .iter()
            .filter(|e| e.source == "orcid" || e.file.to_str().is_some_and(|f| used.contains(f)))
            .cloned()
            .collect();
        FetchCitation {
            complete: report.complete(),
            sources: report.sources.clone(),
            failures: report.failures.clone(),
            entries_cited,
        }
    }
}

/// The ORCID works list as the audit's claim keys (`doi:…`, `pmid:…`), with who added each work.
fn claimed_works(record: &byline_fetch::orcid::OrcidRecord) -> ClaimedWorks {
    let mut works = BTreeMap::new();
    for w in &record.works {
        let claim = (w.added_by_researcher(), w.added_by());
        for key in w.doi.iter().map(|d| format!("doi:{d}")).chain(w.pmid.iter().map(|p| format!("pmid:{p}"))) {
            works.insert(key, claim.clone());
        }
    }
    ClaimedWorks { works, last_modified_year: record.works_last_modified_year() }
}

/// `--fetch`: the record through the cache into `CACHE/corpora/<iD or name>`.
fn fetch_record(args: &Args, ctx: &Context) -> anyhow::Result<(byline_fetch::FetchReport, PathBuf)> {
    let target = byline_fetch::FetchTarget {
        orcid: args.orcid.clone(),
        name: args.name.clone(),
        affiliation: args.affiliation.clone(),
        openalex_author: args.fetch_args.openalex_author.clone(),
    };
    let key: String = args
        .orcid
        .clone()
        .or_else(|| args.name.clone())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let dir = args.fetch_args.cache.join("corpora").join(key);
    let (report, _) = crate::cmd::fetch::fetch_to_corpus(&target, &args.fetch_args, &dir, ctx)?;
    if !ctx.quiet && args.format == OutputFormat::Text {
        crate::cmd::fetch::print_summary(&report);
    } else {
        for f in &report.failures {
            errln!("{} failed: {}: {}", f.source, f.url, f.reason);
        }
    }
    Ok((report, dir))
}

/// Runs the audit described by `args` and returns its output and the works it read.
pub fn execute(args: &Args, ctx: &Context) -> anyhow::Result<(AuditOutput, Vec<Work>)> {
    // Inputs first: a list or retraction file byline cannot read stops the audit before the corpus is read.
    let lists = load_lists(&args.lists)?;
    warn_stale(&lists);
    let retractions = match &args.retractions {
        Some(p) => {
            let db = RetractionDb::from_csv_path(p).context("loading --retractions")?;
            errln!("{}", db.load_summary());
            Some(db)
        }
        None => None,
    };
    let fetched = if args.fetch { Some(fetch_record(args, ctx)?) } else { None };
    let corpus = match (&fetched, &args.corpus) {
        (Some((_, dir)), _) => dir.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => anyhow::bail!("give --corpus, or --fetch to fetch the record from the APIs"),
    };
    let reader = CorpusReader::open(&corpus)?;
    let target =
        AuditTarget { orcid: args.orcid.clone(), name: args.name.clone(), affiliation: args.affiliation.clone() };
    if let Some(o) = &args.orcid {
        anyhow::ensure!(normalize_orcid(o).is_some(), "'{o}' is not a valid ORCID iD (checksum or format)");
    }
    let bar = ctx.bytes_bar(0, "reading");
    let (works, duplicates) =
        dedupe(neighbourhood(&reader, &target).context("reading the researcher's neighbourhood")?);
    bar.finish_and_clear();
    let claims = fetched.as_ref().and_then(|(r, _)| r.orcid_record.as_ref()).map(claimed_works);
    let options =
        AuditOptions { hyper_prolific_works_per_year: args.hyper_prolific, claims, ..AuditOptions::default() };
    let audit = audit_works(&works, &target, &options);

    // The researcher's byline positions, as the audit found them.
    let by_id: BTreeMap<&str, &Work> = works.iter().map(|w| (w.work_id.as_str(), w)).collect();
    let authored: Vec<(&Work, usize)> =
        audit.works.iter().filter_map(|a| by_id.get(a.work_id.as_str()).map(|w| (*w, a.position as usize))).collect();

    let screening = (!lists.is_empty()).then(|| ScreeningMatcher::new(lists));
    let mut list_findings = Vec::new();
    if let Some(matcher) = &screening {
        for (w, pos) in &authored {
            for (i, a) in w.authors.iter().enumerate() {
                // The researcher's own affiliation (LST001) or a co-author's on their work (LST002).
                let relation = if i == *pos { ListRelation::Affiliated } else { ListRelation::Collaborated };
                for af in &a.affiliations {
                    for m in matcher.match_affiliation(&af.raw) {
                        let f = list_match_finding(&w.work_id, w.ids.doi.as_deref(), i as u32, &af.raw, &m, relation);
                        if !list_findings.contains(&f) {
                            list_findings.push(f);
                        }
                    }
                }
            }
        }
    }
    let mut disclosure_findings = Vec::new();
    if let Some(path) = &args.disclosure {
        let disclosure = if path.as_os_str() == "orcid" {
            let record = fetched
                .as_ref()
                .and_then(|(r, _)| r.orcid_record.as_ref())
                .ok_or_else(|| anyhow::anyhow!("--disclosure orcid needs the ORCID record: add --fetch and --orcid"))?;
            crate::cmd::fetch::orcid_disclosure(record)
        } else {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            parse_disclosure(&text, &path.display().to_string())?
        };
        let programmes = match &args.programmes {
            Some(p) => parse_programmes(&std::fs::read_to_string(p)?, &p.display().to_string())?,
            None => default_programmes(),
        };
        let funders = FunderDictionary::builtin();
        let institutions = match &args.ror {
            Some(p) => {
                let registry =
                    RorRegistry::load(p).with_context(|| format!("loading the ROR registry {}", p.display()))?;
                anyhow::ensure!(!registry.is_empty(), "{}: no ROR record in it", p.display());
                Some(InstitutionMatcher::new(registry))
            }
            None => None,
        };
        let actx = AuditContext {
            institutions: institutions.as_ref(),
            screening: screening.as_ref(),
            funders: &funders,
            programmes: &programmes,
        };
        disclosure_findings = audit_disclosure(&authored, &disclosure, &actx);
        // List matches are reported once, from the list pass above.
        disclosure_findings.retain(|f| f.code != "LST001");
    }

    // The paper-mill detectors over the researcher's own works.
    let mut detect = DetectContext {
        model: Some(Model::shipped().context("loading the shipped model")?),
        ..DetectContext::default()
    };
    if !args.lexicons.is_empty() {
        detect.lexicon = Some(Lexicon::from_files(&args.lexicons, SHIPPED_ALLOWLIST).context("loading --lexicon")?);
    }
    detect.retractions = retractions;
    let own: Vec<Work> = authored.iter().map(|(w, _)| (*w).clone()).collect();
    let papermill_findings = detect_scan(&own, &detect, &[], &[]).map(|o| o.findings).unwrap_or_default();
    // They feed the works' scores (VEN002): the record is audited again with them.
    let audit = if papermill_findings.is_empty() {
        audit
    } else {
        let mill_findings = byline_graph::audit::mill_findings_by_work(&papermill_findings);
        audit_works(&works, &target, &AuditOptions { mill_findings, ..options })
    };

    let output = AuditOutput {
        corpus_works: reader.manifest().totals.works,
        works_read: works.len(),
        duplicates_merged: duplicates,
        audit,
        disclosure_findings,
        list_findings,
        papermill_findings,
        fetch: fetched.as_ref().map(|(report, _)| FetchCitation::new(report, &authored)),
    };
    Ok((output, works))
}

pub fn run(args: Args, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (output, works) = execute(&args, ctx)?;
    if let Some(path) = &args.report.report {
        let input =
            crate::cmd::report::audit_report_input(&output, &works, &std::env::args().collect::<Vec<_>>().join(" "));
        write_report(&input, path)?;
        if !ctx.quiet && args.format == OutputFormat::Text {
            errln!("report written: {}", path.display());
        }
    }
    match args.format {
        OutputFormat::Json => print_json(&output)?,
        OutputFormat::Text => print_text(&output, args.show.into(), args.top),
    }
    let fail_on: Severity = args.fail_on.into();
    let crossed = output.audit.works.iter().any(|w| w.severity >= fail_on)
        || output.audit.record_findings.iter().any(|f| f.severity >= fail_on)
        || output.disclosure_findings.iter().chain(&output.list_findings).any(|f| f.severity >= fail_on)
        || output.papermill_findings.iter().any(|f| f.severity >= fail_on);
    Ok(if crossed { ExitCode::from(exit::FLAGGED) } else { ExitCode::SUCCESS })
}

/// Reads the works of the researcher and of their co-authors (the 2-hop neighbourhood the audit compares
/// against), scanning only the authorship name columns and then only the parts that hold those works.
fn neighbourhood(reader: &CorpusReader, target: &AuditTarget) -> anyhow::Result<Vec<Work>> {
    let orcid = target.orcid.as_deref().and_then(normalize_orcid);
    let mut keys: HashSet<String> = HashSet::new();
    if let Some(k) = target.name.as_deref().and_then(normalize_name_text).and_then(|n| n.blocking_key()) {
        keys.insert(k);
    }
    // Scan 1: the researcher's works (ORCID or name key). With an ORCID, its names join the keys.
    let mut record: BTreeSet<String> = BTreeSet::new();
    let mut parts_needed: BTreeSet<String> = BTreeSet::new();
    scan_authorships(reader, |part, work_id, author| {
        let by_orcid = orcid.is_some() && author.orcid == orcid;
        let key = normalize_author(author).and_then(|n| n.blocking_key());
        if by_orcid && let Some(k) = &key {
            keys.insert(k.clone());
        }
        if by_orcid || key.as_ref().is_some_and(|k| keys.contains(k)) {
            record.insert(work_id.to_owned());
            parts_needed.insert(part.to_owned());
        }
    })?;
    // An ORCID may have revealed name keys after some works were scanned: a second pass finds those works
    // and collects the co-authors' keys.
    let mut coauthor_keys: HashSet<String> = HashSet::new();
    scan_authorships(reader, |part, work_id, author| {
        let key = normalize_author(author).and_then(|n| n.blocking_key());
        if key.as_ref().is_some_and(|k| keys.contains(k)) && record.insert(work_id.to_owned()) {
            parts_needed.insert(part.to_owned());
        }
        if record.contains(work_id)
            && let Some(k) = key
            && !keys.contains(&k)
        {
            coauthor_keys.insert(k);
        }
    })?;
    // Scan 3: the co-authors' other works, at most `max_per_coauthor` per co-author name key (the audit's
    // 2-hop check reads no more: `AuditOptions::max_two_hop_works`), so a common name such as "Wang W"
    // cannot pull every namesake's works of a large corpus into the audit.
    let max_per_coauthor = AuditOptions::default().max_two_hop_works;
    // And at most this many neighbour works in all: enough for the 2-hop check of a record of hundreds of
    // works, small enough that an audit on a corpus of millions stays in seconds and a few GB.
    const MAX_NEIGHBOURHOOD_WORKS: usize = 50_000;
    let mut per_key: HashMap<String, usize> = HashMap::new();
    let mut neighbours: BTreeSet<String> = BTreeSet::new();
    if !coauthor_keys.is_empty() {
        scan_authorships(reader, |part, work_id, author| {
            if neighbours.len() >= MAX_NEIGHBOURHOOD_WORKS || record.contains(work_id) || neighbours.contains(work_id) {
                return;
            }
            let Some(k) = normalize_author(author).and_then(|n| n.blocking_key()) else { return };
            if !coauthor_keys.contains(&k) {
                return;
            }
            let seen = per_key.entry(k).or_default();
            if *seen < max_per_coauthor {
                *seen += 1;
                neighbours.insert(work_id.to_owned());
                parts_needed.insert(part.to_owned());
            }
        })?;
    }
    let ids: HashSet<String> = record.into_iter().chain(neighbours).collect();
    let filter = WorkFilter::Ids(ids);
    let mut works = Vec::new();
    for part in &parts_needed {
        works.extend(reader.works_in_part(part, &filter)?);
    }
    Ok(works)
}

/// Keeps one work per DOI (else PMID): the same paper exported from PubMed, Scopus and Web of Science must
/// count once in a record. The copy with the most affiliation data is kept (ties: corpus order).
fn dedupe(works: Vec<Work>) -> (Vec<Work>, usize) {
    let richness = |w: &Work| w.authors.iter().map(|a| a.affiliations.len()).sum::<usize>() + w.authors.len();
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    for (i, w) in works.iter().enumerate() {
        let key = match (&w.ids.doi, &w.ids.pmid) {
            (Some(d), _) => format!("doi:{d}"),
            (None, Some(p)) => format!("pmid:{p}"),
            (None, None) => format!("id:{}", w.work_id),
        };
        match best.get(&key) {
            Some(&j) if richness(&works[j]) >= richness(w) => {}
            _ => {
                best.insert(key, i);
            }
        }
    }
    let keep: BTreeSet<usize> = best.into_values().collect();
    let merged = works.len() - keep.len();
    let kept = works.into_iter().enumerate().filter(|(i, _)| keep.contains(i)).map(|(_, w)| w).collect();
    (kept, merged)
}

/// Calls `f(part, work_id, author)` for every person authorship, reading only the name and ORCID columns.
fn scan_authorships(reader: &CorpusReader, mut f: impl FnMut(&str, &str, &Author)) -> anyhow::Result<()> {
    reader.scan_authorship_names(|part, n| {
        if n.collective.is_some() {
            return;
        }
        let author = Author {
            raw_name: n.raw_name.unwrap_or_default().to_owned(),
            given: n.given.map(str::to_owned),
            family: n.family.map(str::to_owned),
            orcid: n.orcid.map(str::to_owned),
            ..Author::default()
        };
        f(part, n.work_id, &author);
    })?;
    Ok(())
}

fn print_text(o: &AuditOutput, show: Severity, top: usize) {
    let a = &o.audit;
    let s = &a.summary;
    outln!(
        "{}: {} works in the record ({} read of {} in the corpus), {} distinct co-authors ({} recurring)",
        if a.display_name.is_empty() { "researcher" } else { &a.display_name },
        s.works,
        o.works_read,
        o.corpus_works,
        s.distinct_coauthors,
        s.recurring_coauthors
    );
    if let (Some(first), Some(last)) = (s.works_by_year.keys().next(), s.works_by_year.keys().last()) {
        outln!(
            "years {first}–{last}; institutions: {}",
            s.institutions.iter().map(|i| i.institution.as_str()).take(5).collect::<Vec<_>>().join("; ")
        );
    }
    let counts = |sev: Severity| a.works.iter().filter(|w| w.severity == sev).count();
    outln!(
        "works flagged: {} high, {} medium, {} low",
        counts(Severity::High),
        counts(Severity::Medium),
        counts(Severity::Low)
    );
    outln!();
    outln!("{:>4} {:<7} {:>5} {:>5}  {:<60} why", "rank", "sev", "score", "year", "work");
    for w in a.works.iter().filter(|w| w.severity >= show).take(top) {
        let title: String = w.title.as_deref().unwrap_or("(no title)").chars().take(58).collect();
        let id = w.doi.as_deref().map(|d| format!("doi:{d}")).or_else(|| w.pmid.as_ref().map(|p| format!("pmid:{p}")));
        outln!(
            "{:>4} {:<7} {:>5.2} {:>5}  {:<60} {}",
            w.rank,
            w.severity.as_str(),
            w.score,
            w.year.map(|y| y.to_string()).unwrap_or_default(),
            title,
            id.unwrap_or_default()
        );
        for f in &w.findings {
            for r in &f.reasons {
                outln!("{:>24} {}: {r}", "", f.code);
            }
        }
    }
    for f in a.record_findings.iter().chain(&o.disclosure_findings).chain(&o.list_findings).chain(&o.papermill_findings)
    {
        outln!();
        outln!("{} [{}] {}", f.code, f.severity.as_str(), f.reasons.first().map(String::as_str).unwrap_or(""));
        for r in f.reasons.iter().skip(1) {
            outln!("    {r}");
        }
    }
}
