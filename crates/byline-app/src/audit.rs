//! One researcher's audit: the record and its neighbourhood read from the corpus (or fetched), copies merged,
//! the works assessed (byline-graph), the disclosure and screening lists compared, the paper-mill signals on
//! the researcher's own works fed back into the works' scores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFilter};
use byline_detect::tortured::SHIPPED_ALLOWLIST;
use byline_detect::{DetectContext, Lexicon, Model, RetractionDb, scan as detect_scan};
use byline_entities::disclosure::{
    AuditContext, audit_disclosure, default_programmes, parse_disclosure, parse_programmes,
};
use byline_entities::funders::FunderDictionary;
use byline_entities::kaken_institutions::{KakenMatcher, RegistryKeys};
use byline_entities::ror::{InstitutionMatcher, RorRegistry};
use byline_entities::screening::{ListRelation, ScreeningMatcher, list_match_finding};
use byline_graph::DeclaredPerson;
use byline_graph::audit::{AuditOptions, AuditReport, AuditTarget, ClaimList, ClaimedWorks, audit_works};
use byline_graph::identity::author_name_forms;
use byline_graph::names::{normalize_author, normalize_name_text};
use byline_model::{Author, Finding, Severity, Work, normalize_orcid};
use byline_norm::japanese::{NameVariants, name_keys};
use serde::Serialize;

use crate::fetch::{FetchSettings, fetch_to_corpus, kaken_disclosure, kaken_researcher, orcid_disclosure};
use crate::lists::{ListOptions, stale_warnings};
use crate::ui::{Ui, Unit};

/// Where the researcher's declared side comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisclosureSource {
    /// A disclosure file (YAML or JSON: appointments, affiliations, funders with dates).
    File(PathBuf),
    /// The employments, educations and fundings of the fetched ORCID record.
    Orcid,
    /// A KAKEN researcher record (NII researcher API JSON): affiliation history, KAKENHI grants, project
    /// members; with several researchers in the file, the one `name` names.
    Kaken(PathBuf),
    /// A researchmap record: one or more answers of its API (`crate::fetch::load_researchmap`).
    Researchmap(Vec<PathBuf>),
    /// The KAKEN (by e-Rad number) and researchmap (by permalink) records, fetched through the cache
    /// (`crate::fetch::registry_disclosure`).
    Registry(byline_fetch::registry::RegistryTarget, Box<FetchSettings>),
}

impl DisclosureSource {
    /// The spellings `--disclosure` takes: `orcid`, `kaken:FILE`, `researchmap:FILE[,FILE…]`, or a disclosure file.
    pub fn from_arg(arg: &Path) -> Self {
        let text = arg.to_str();
        if arg.as_os_str() == "orcid" {
            DisclosureSource::Orcid
        } else if let Some(file) = text.and_then(|t| t.strip_prefix("kaken:")) {
            DisclosureSource::Kaken(PathBuf::from(file))
        } else if let Some(files) = text.and_then(|t| t.strip_prefix("researchmap:")) {
            DisclosureSource::Researchmap(files.split(',').map(PathBuf::from).collect())
        } else {
            DisclosureSource::File(arg.to_path_buf())
        }
    }
}

/// What to audit, and against what.
#[derive(Debug, Clone)]
pub struct AuditRequest {
    /// A corpus written by `byline ingest`; with `fetch`, the fetched corpus is used instead.
    pub corpus: Option<PathBuf>,
    /// Fetch the record through the cache first (its ORCID works list becomes the researcher's claim).
    pub fetch: Option<FetchSettings>,
    pub orcid: Option<String>,
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub disclosure: Option<DisclosureSource>,
    /// The ROR registry dump: the disclosure is then compared by organisation.
    pub ror: Option<PathBuf>,
    /// The KAKEN institution master (CSV): Japanese institutions compared by their KAKEN code (or ROR id,
    /// with `ror`) however they are written.
    pub kaken_institutions: Option<PathBuf>,
    /// Programmes of concern (YAML/JSON list); default: the built-in example list.
    pub programmes: Option<PathBuf>,
    pub lists: ListOptions,
    pub lexicons: Vec<PathBuf>,
    pub retractions: Option<PathBuf>,
    /// A year with at least this many works is hyper-prolific.
    pub hyper_prolific: usize,
}

impl AuditRequest {
    /// An audit of `corpus` for the researcher with this ORCID and/or name, with every other option at its default.
    pub fn new(corpus: PathBuf, orcid: Option<String>, name: Option<String>) -> AuditRequest {
        AuditRequest {
            corpus: Some(corpus),
            fetch: None,
            orcid,
            name,
            affiliation: None,
            disclosure: None,
            ror: None,
            kaken_institutions: None,
            programmes: None,
            lists: ListOptions::default(),
            lexicons: Vec::new(),
            retractions: None,
            hyper_prolific: DEFAULT_HYPER_PROLIFIC,
        }
    }
}

/// A year with at least this many works is hyper-prolific (Ioannidis et al. 2018: 72 a year = one every five
/// days).
pub const DEFAULT_HYPER_PROLIFIC: usize = 73;

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
    /// With a KAKEN disclosure: the project members the record declares (e-Rad id, names, institutions, the
    /// grants shared).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declared_collaborators: Vec<byline_fetch::kaken::DeclaredCollaborator>,
    /// With `--fetch`: which sources answered and the cache entries the researcher's works came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch: Option<FetchCitation>,
}

impl AuditOutput {
    /// Whether any work or finding reaches `level`.
    pub fn reaches(&self, level: Severity) -> bool {
        self.audit.works.iter().any(|w| w.severity >= level)
            || self.audit.record_findings.iter().any(|f| f.severity >= level)
            || self.disclosure_findings.iter().chain(&self.list_findings).any(|f| f.severity >= level)
            || self.papermill_findings.iter().any(|f| f.severity >= level)
    }
}

/// An audit's output, the works it read (for the report), and the fetch behind it.
pub struct AuditRun {
    pub output: AuditOutput,
    pub works: Vec<Work>,
    pub fetch_report: Option<byline_fetch::FetchReport>,
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
    ClaimedWorks { works, last_modified_year: record.works_last_modified_year(), list: ClaimList::Orcid }
}

/// A researchmap record's published papers as the audit's claim keys (`doi:…`). researchmap does not say
/// who entered a paper (the researcher, or an import the researcher accepted), so none counts as added by the
/// researcher themself; nor when the list last changed, so every work of the record could be in it.
fn researchmap_claims(record: &byline_fetch::researchmap::ResearchmapRecord) -> ClaimedWorks {
    let works =
        record.claimed_keys().into_iter().map(|k| (k, (false, "researchmap (published papers)".to_owned()))).collect();
    ClaimedWorks { works, last_modified_year: None, list: ClaimList::Researchmap }
}

/// `fetch`: the record through the cache into `CACHE/corpora/<iD or name>`.
fn fetch_record(
    req: &AuditRequest,
    settings: &FetchSettings,
    ui: &dyn Ui,
) -> anyhow::Result<(byline_fetch::FetchReport, PathBuf)> {
    let target = byline_fetch::FetchTarget {
        orcid: req.orcid.clone(),
        name: req.name.clone(),
        affiliation: req.affiliation.clone(),
        openalex_author: settings.openalex_author.clone(),
    };
    let key: String = req
        .orcid
        .clone()
        .or_else(|| req.name.clone())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let dir = settings.cache.join("corpora").join(key);
    let (report, _) = fetch_to_corpus(&target, settings, &dir, ui)?;
    Ok((report, dir))
}

/// Runs the audit: inputs first (a list or retraction file byline cannot read stops it before the corpus is
/// read), then the neighbourhood, the assessment, the disclosure and lists, the paper-mill signals.
pub fn run_audit(req: &AuditRequest, ui: &dyn Ui) -> anyhow::Result<AuditRun> {
    let lists = req.lists.load()?;
    for w in stale_warnings(&lists) {
        ui.note(&w);
    }
    let retractions = match &req.retractions {
        Some(p) => {
            let db = RetractionDb::from_csv_path(p).context("loading --retractions")?;
            ui.note(&db.load_summary());
            Some(db)
        }
        None => None,
    };
    let fetched = match &req.fetch {
        Some(settings) => Some(fetch_record(req, settings, ui)?),
        None => None,
    };
    let corpus = match (&fetched, &req.corpus) {
        (Some((_, dir)), _) => dir.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => anyhow::bail!("give --corpus, or --fetch to fetch the record from the APIs"),
    };
    let reader = CorpusReader::open(&corpus)?;
    // The researcher's own records are read first. A KAKEN record's names (kanji, kana, romaji) find the
    // researcher's works, and its project members are the declared collaborators, one co-author whatever the
    // script; a researchmap record's published papers are the researcher's claim (ORC001/ORC002), as an
    // ORCID works list is.
    let registry = match &req.disclosure {
        Some(DisclosureSource::Registry(target, settings)) => {
            crate::fetch::fetch_registry_records(target, settings, req.name.as_deref(), ui)?
        }
        _ => crate::fetch::RegistryRecords::default(),
    };
    let researchmap = match &req.disclosure {
        Some(DisclosureSource::Researchmap(paths)) => Some(crate::fetch::load_researchmap(paths)?),
        _ => registry.researchmap,
    };
    let kaken = match &req.disclosure {
        Some(DisclosureSource::Kaken(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let shown = path.display().to_string();
            let file = byline_fetch::kaken::parse_kaken(&text).with_context(|| shown.clone())?;
            Some(kaken_researcher(file, req.name.as_deref(), &shown)?)
        }
        _ => registry.kaken,
    };
    let target = AuditTarget {
        orcid: req.orcid.clone(),
        name: req.name.clone(),
        affiliation: req.affiliation.clone(),
        name_variants: kaken.as_ref().map(|r| r.full_names()).unwrap_or_default(),
    };
    let declared = kaken.as_ref().map(declared_people).unwrap_or_default();
    if let Some(o) = &req.orcid {
        anyhow::ensure!(normalize_orcid(o).is_some(), "'{o}' is not a valid ORCID iD (checksum or format)");
    }
    let bar = ui.bar(0, "reading", Unit::Bytes);
    let (works, duplicates) =
        dedupe(neighbourhood(&reader, &target).context("reading the researcher's neighbourhood")?);
    bar.finish();
    let claims = fetched
        .as_ref()
        .and_then(|(r, _)| r.orcid_record.as_ref())
        .map(claimed_works)
        .or_else(|| researchmap.as_ref().map(researchmap_claims));
    // The ROR registry (read once) and the KAKEN master: one key per Japanese institution however written.
    let ror_registry = match &req.ror {
        Some(p) if req.disclosure.is_some() => {
            let registry = RorRegistry::load(p).with_context(|| format!("loading the ROR registry {}", p.display()))?;
            anyhow::ensure!(!registry.is_empty(), "{}: no ROR record in it", p.display());
            Some(registry)
        }
        _ => None,
    };
    let kaken_matcher = match &req.kaken_institutions {
        Some(p) => Some(
            KakenMatcher::load(p).with_context(|| format!("loading the KAKEN institution master {}", p.display()))?,
        ),
        None => None,
    };
    let ror_links = match (&kaken_matcher, &ror_registry) {
        (Some(m), Some(r)) => m.ror_links(r),
        _ => BTreeMap::new(),
    };
    let mut registry_keys = RegistryKeys::default();
    if let Some(m) = &kaken_matcher {
        let strings = works.iter().flat_map(|w| &w.authors).flat_map(|a| &a.affiliations).map(|a| a.raw.as_str());
        m.add_registry_keys(&mut registry_keys, strings, &ror_links);
    }
    let options = AuditOptions {
        hyper_prolific_works_per_year: req.hyper_prolific,
        claims,
        declared,
        institution_keys: registry_keys.keys.clone(),
        ..AuditOptions::default()
    };
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
    let mut declared_collaborators = Vec::new();
    if let Some(source) = &req.disclosure {
        let disclosure = match source {
            DisclosureSource::Orcid => {
                let record = fetched.as_ref().and_then(|(r, _)| r.orcid_record.as_ref()).ok_or_else(|| {
                    anyhow::anyhow!("--disclosure orcid needs the ORCID record: add --fetch and --orcid")
                })?;
                orcid_disclosure(record)
            }
            DisclosureSource::File(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                parse_disclosure(&text, &path.display().to_string())?
            }
            DisclosureSource::Kaken(_) => {
                let record = kaken.as_ref().ok_or_else(|| anyhow::anyhow!("the KAKEN record was not read"))?;
                declared_collaborators = record.collaborators();
                kaken_disclosure(record)
            }
            DisclosureSource::Researchmap(_) => {
                let record =
                    researchmap.as_ref().ok_or_else(|| anyhow::anyhow!("the researchmap record was not read"))?;
                crate::fetch::researchmap_disclosure(record)
            }
            DisclosureSource::Registry(..) => {
                let (d, collaborators) =
                    crate::fetch::registry_records_disclosure(kaken.as_ref(), researchmap.as_ref());
                declared_collaborators = collaborators;
                d
            }
        };
        let programmes = match &req.programmes {
            Some(p) => parse_programmes(&std::fs::read_to_string(p)?, &p.display().to_string())?,
            None => default_programmes(),
        };
        let funders = FunderDictionary::builtin();
        let institutions = ror_registry.map(InstitutionMatcher::new);
        // The declared organisations get registry keys too.
        if let Some(m) = &kaken_matcher {
            let declared = disclosure.appointments.iter().chain(&disclosure.affiliations);
            m.add_registry_keys(&mut registry_keys, declared.map(|d| d.organization.as_str()), &ror_links);
        }
        let actx = AuditContext {
            registry: kaken_matcher.as_ref().map(|_| &registry_keys),
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
    if !req.lexicons.is_empty() {
        detect.lexicon = Some(Lexicon::from_files(&req.lexicons, SHIPPED_ALLOWLIST).context("loading --lexicon")?);
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
    // Institutions the registry keyed are shown by their name, with the key (`Osaka University (kaken:0014401)`).
    let mut audit = audit;
    for span in &mut audit.summary.institutions {
        if let Some(name) = registry_keys.names.get(&span.institution) {
            span.institution = format!("{name} ({})", span.institution);
        }
    }

    let output = AuditOutput {
        corpus_works: reader.manifest().totals.works,
        works_read: works.len(),
        duplicates_merged: duplicates,
        audit,
        disclosure_findings,
        list_findings,
        papermill_findings,
        declared_collaborators,
        fetch: fetched.as_ref().map(|(report, _)| FetchCitation::new(report, &authored)),
    };
    Ok(AuditRun { output, works, fetch_report: fetched.map(|(r, _)| r) })
}

/// The record's project members as declared people (by e-Rad id, else by their first name as written), with
/// every name KAKEN gives them. KAKEN lists some members without an e-Rad id and with more scripts than their
/// entries that have one (`鈴木 康之` / `SUZUKI Yasuyuki` beside `鈴木 康之`, e-Rad 30631874): such a member's
/// names join the one member with an e-Rad id who has one of those names written identically.
fn declared_people(record: &byline_fetch::kaken::KakenResearcher) -> Vec<DeclaredPerson> {
    let collaborators = record.collaborators();
    let mut people: Vec<(String, Vec<String>)> =
        collaborators.iter().filter_map(|c| Some((format!("erad:{}", c.erad.as_ref()?), c.names.clone()))).collect();
    for c in collaborators.iter().filter(|c| c.erad.is_none() && !c.names.is_empty()) {
        let same: Vec<usize> = (0..people.len()).filter(|i| people[*i].1.iter().any(|n| c.names.contains(n))).collect();
        match same.as_slice() {
            [i] => {
                for n in &c.names {
                    if !people[*i].1.contains(n) {
                        people[*i].1.push(n.clone());
                    }
                }
            }
            _ => people.push((format!("name:{}", c.names[0]), c.names.clone())),
        }
    }
    people.iter().filter(|(_, names)| !names.is_empty()).map(|(id, names)| DeclaredPerson::new(id, names)).collect()
}

/// Reads the works of the researcher and of their co-authors (the 2-hop neighbourhood the audit compares
/// against), scanning only the authorship name columns and then only the parts that hold those works.
fn neighbourhood(reader: &CorpusReader, target: &AuditTarget) -> anyhow::Result<Vec<Work>> {
    let orcid = target.orcid.as_deref().and_then(normalize_orcid);
    let mut keys: HashSet<String> = HashSet::new();
    if let Some(k) = target.name.as_deref().and_then(normalize_name_text).and_then(|n| n.blocking_key()) {
        keys.insert(k);
    }
    // The names a record declares (any script, any order): a work carrying one is the researcher's.
    let variants = NameVariants::new(&target.name_variants);
    let variant_keys: HashSet<&str> = variants.lookup_keys().iter().map(String::as_str).collect();
    let declared_name = |author: &Author| {
        !variant_keys.is_empty()
            && author_name_forms(author)
                .iter()
                .any(|f| name_keys(f).iter().any(|k| variant_keys.contains(k.as_str())) && variants.matches(f))
    };
    // Scan 1: the researcher's works (ORCID or name key). With an ORCID, its names join the keys.
    let mut record: BTreeSet<String> = BTreeSet::new();
    let mut parts_needed: BTreeSet<String> = BTreeSet::new();
    scan_authorships(reader, |part, work_id, author| {
        let by_orcid = orcid.is_some() && author.orcid == orcid;
        let key = normalize_author(author).and_then(|n| n.blocking_key());
        if by_orcid && let Some(k) = &key {
            keys.insert(k.clone());
        }
        if by_orcid || key.as_ref().is_some_and(|k| keys.contains(k)) || declared_name(author) {
            record.insert(work_id.to_owned());
            parts_needed.insert(part.to_owned());
        }
    })?;
    // An ORCID may have revealed name keys after some works were scanned: a second pass finds those works
    // and collects the co-authors' keys.
    let mut coauthor_keys: HashSet<String> = HashSet::new();
    scan_authorships(reader, |part, work_id, author| {
        let key = normalize_author(author).and_then(|n| n.blocking_key());
        let own = key.as_ref().is_some_and(|k| keys.contains(k)) || declared_name(author);
        if own && record.insert(work_id.to_owned()) {
            parts_needed.insert(part.to_owned());
        }
        if record.contains(work_id)
            && !own
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
