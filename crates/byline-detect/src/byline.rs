//! Byline signals that need no co-author graph (`BYL001`–`BYL004`). Graph-based signals (unconnected
//! co-authors, one-off teams, hyper-prolific authors) belong to byline-graph.

use std::collections::{BTreeMap, BTreeSet};

use byline_model::{Evidence, Finding, Severity, Subject, Work};
use serde::{Deserialize, Serialize};

use crate::detector::{Detector, Scope};
use crate::tortured::venue_name;

/// `BYL001`: a venue needs this many works with bylines before its author-count distribution is trusted.
pub const AUTHOR_COUNT_MIN_VENUE_WORKS: usize = 20;
/// `BYL001`: Tukey's far-out fence (Q3 + 3·IQR, Tukey 1977 "Exploratory Data Analysis").
pub const AUTHOR_COUNT_IQR_FACTOR: f64 = 3.0;
/// `BYL001`: never flag bylines shorter than this (a 6-author paper in a venue of single authors is normal).
pub const AUTHOR_COUNT_MIN_FLAGGED: usize = 10;
/// `BYL003`: distinct countries at or above which a small byline is flagged; heuristic, not calibrated.
pub const MANY_COUNTRIES_MIN: usize = 4;
/// `BYL003`: bylines longer than this are consortia, where many countries are expected.
pub const MANY_COUNTRIES_MAX_AUTHORS: usize = 12;
/// `BYL003`: at least this many countries per author (almost every author in a different country).
pub const MANY_COUNTRIES_MIN_PER_AUTHOR: f64 = 0.5;
/// `BYL004`: a venue-month is a burst at this multiple of the venue's median month…
pub const BURST_FACTOR: f64 = 5.0;
/// …and with at least this many works (heuristic; special issues of 10+ papers in one month are what
/// publishers investigated in the 2023 Hindawi mass retractions).
pub const BURST_MIN_WORKS: usize = 10;

/// Free webmail domains (`BYL002`): byline-norm's list, the one `AFF004` reads too.
pub use byline_norm::WEBMAIL_DOMAINS;

/// ## What it does
/// Flags works whose number of authors is far above their venue's usual (beyond Q3 + 3·IQR of the venue's
/// author counts, and at least 10 authors).
///
/// ## Why it matters
/// Mills sell author slots; purchased positions inflate bylines beyond what a venue's papers normally carry.
///
/// ## Known false positives
/// Multicentre trials, consortium and guideline papers; venues mixing article types.
///
/// ## Example
/// A 24-author case report in a journal whose papers have 3–6 authors.
pub struct AuthorCountAnomaly;

impl AuthorCountAnomaly {
    pub const CODE: &'static str = "BYL001";
}

impl Detector for AuthorCountAnomaly {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    /// Compares a work's author count with its venue's.
    fn scope(&self) -> Scope {
        Scope::Corpus
    }
    fn name(&self) -> &'static str {
        "author-count-anomaly"
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        let mut by_venue: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, w) in works.iter().enumerate() {
            if !w.authors.is_empty() {
                by_venue.entry(venue_name(w)).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        for (venue, idx) in by_venue {
            if idx.len() < AUTHOR_COUNT_MIN_VENUE_WORKS {
                continue;
            }
            let mut counts: Vec<usize> = idx.iter().map(|i| works[*i].authors.len()).collect();
            counts.sort_unstable();
            let (q1, q3) = (quantile(&counts, 0.25), quantile(&counts, 0.75));
            let fence = q3 + AUTHOR_COUNT_IQR_FACTOR * (q3 - q1);
            for i in idx {
                let w = &works[i];
                let n = w.authors.len();
                if n >= AUTHOR_COUNT_MIN_FLAGGED && n as f64 > fence {
                    out.push(author_count_finding(&WorkRef::of(w), n, &venue, q3, fence, counts.len()));
                }
            }
        }
        out
    }
}

/// ## What it does
/// Flags authors with a free webmail address (gmail.com, 163.com, qq.com…) whose affiliation is an
/// institution (university, hospital, institute).
///
/// ## Why it matters
/// Mills register correspondence addresses they control; an institutional byline with a webmail contact is
/// one of the checks in the COPE/STM paper-mill guidance.
///
/// ## Known false positives
/// Many honest researchers use webmail, especially where institutional mail is unreliable; treat as context.
///
/// ## Example
/// "Department of Oncology, X University Hospital" with `lucky.paper2019@163.com`.
pub struct WebmailOnInstitutionalByline;

impl WebmailOnInstitutionalByline {
    pub const CODE: &'static str = "BYL002";
}

impl Detector for WebmailOnInstitutionalByline {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    fn scope(&self) -> Scope {
        Scope::PerWork
    }
    fn name(&self) -> &'static str {
        "webmail-on-institutional-byline"
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        let mut out = Vec::new();
        for w in works {
            for (pos, a) in w.authors.iter().enumerate() {
                let emails: BTreeSet<String> = a
                    .email
                    .iter()
                    .cloned()
                    .chain(a.affiliations.iter().flat_map(|af| emails_in(&af.raw)))
                    .map(|e| e.to_lowercase())
                    .collect();
                let institutional = a
                    .affiliations
                    .iter()
                    .find(|af| byline_norm::has_institution_word(&af.raw) || byline_norm::has_unit_word(&af.raw));
                let Some(inst) = institutional else { continue };
                for e in emails {
                    let domain = e.rsplit('@').next().unwrap_or("");
                    if byline_norm::is_webmail(domain) {
                        let corresponding = a.corresponding == Some(true);
                        out.push(Finding {
                            code: WebmailOnInstitutionalByline::CODE.into(),
                            subject: Subject::Authorship { work_id: w.work_id.clone(), position: pos as u32 + 1 },
                            severity: if corresponding { Severity::Low } else { Severity::Info },
                            score: if corresponding { 0.4 } else { 0.2 },
                            reasons: vec![format!(
                                "{}{} gives the free webmail address {e} with the institutional affiliation \"{}\".",
                                a.display_name(),
                                if corresponding { " (corresponding author)" } else { "" },
                                inst.raw
                            )],
                            evidence: vec![Evidence {
                                kind: "string".into(),
                                work_id: Some(w.work_id.clone()),
                                doi: w.ids.doi.clone(),
                                pmid: w.ids.pmid.clone(),
                                text: Some(e.clone()),
                            }],
                        });
                    }
                }
            }
        }
        out
    }
}

/// E-mail addresses inside a string (PubMed writes "Electronic address: x@y.org" into affiliations), lower-cased:
/// byline-norm's [`byline_norm::emails_in`].
pub use byline_norm::emails_in;

/// ## What it does
/// Flags small bylines spread over many countries (≥ 4 countries, ≥ 0.5 countries per author, ≤ 12 authors).
///
/// ## Why it matters
/// Sold author slots go to buyers who never worked together; small teams spanning many countries without a
/// shared project are one trace of that (the co-authorship graph in byline-graph tells the rest).
///
/// ## Known false positives
/// Genuine international collaborations, visiting researchers listing home and host institutions.
///
/// ## Example
/// Five authors in China, Iran, Saudi Arabia, Pakistan and Malaysia on a single-lab bench study.
pub struct ManyCountries;

impl ManyCountries {
    pub const CODE: &'static str = "BYL003";
}

impl Detector for ManyCountries {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    fn scope(&self) -> Scope {
        Scope::PerWork
    }
    fn name(&self) -> &'static str {
        "many-countries"
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        let mut out = Vec::new();
        for w in works {
            let n = w.authors.len();
            if n == 0 || n > MANY_COUNTRIES_MAX_AUTHORS {
                continue;
            }
            let countries: BTreeSet<String> = w
                .authors
                .iter()
                .flat_map(|a| &a.affiliations)
                .filter_map(byline_norm::affiliation_country_code)
                .collect();
            let c = countries.len();
            if c >= MANY_COUNTRIES_MIN && c as f64 / n as f64 >= MANY_COUNTRIES_MIN_PER_AUTHOR {
                out.push(work_finding(
                    Self::CODE,
                    w,
                    Severity::Low,
                    (c as f64 / n as f64).min(1.0),
                    format!(
                        "{n} authors from {c} countries ({}): a small byline spread unusually wide.",
                        countries.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        out
    }
}

/// ## What it does
/// Flags venue-months with a burst of works: at least 10 and at least 5× the venue's median month.
///
/// ## Why it matters
/// Mills place batches in guest-edited special issues; the 2023 Hindawi/Wiley mass retractions followed
/// such bursts.
///
/// ## Known false positives
/// Conference supplements, a venue's launch, back-issue catch-up, records dated only to the month of an issue.
///
/// ## Example
/// A journal with a median of 4 papers a month publishing 38 in March 2022.
pub struct VenueBurst;

impl VenueBurst {
    pub const CODE: &'static str = "BYL004";
}

impl Detector for VenueBurst {
    fn code(&self) -> &'static str {
        Self::CODE
    }
    /// Counts a venue's works by month.
    fn scope(&self) -> Scope {
        Scope::Corpus
    }
    fn name(&self) -> &'static str {
        "venue-burst"
    }
    fn run(&self, works: &[Work]) -> Vec<Finding> {
        let mut by_venue: BTreeMap<String, BTreeMap<(i32, u8), Vec<usize>>> = BTreeMap::new();
        for (i, w) in works.iter().enumerate() {
            if let Some(d) = w.date
                && let Some(m) = d.month
            {
                by_venue.entry(venue_name(w)).or_default().entry((d.year, m)).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        for (venue, months) in by_venue {
            let mut counts: Vec<usize> = months.values().map(Vec::len).collect();
            counts.sort_unstable();
            let median = quantile(&counts, 0.5);
            for ((y, m), idx) in months {
                let n = idx.len();
                if n >= BURST_MIN_WORKS && n as f64 >= BURST_FACTOR * median {
                    let burst = Burst { venue: venue.clone(), year: y, month: m, works: n, median };
                    let evidence: Vec<WorkRef> =
                        idx.iter().take(BURST_EVIDENCE).map(|i| WorkRef::of(&works[*i])).collect();
                    out.push(burst_finding(&burst, &evidence));
                }
            }
        }
        out
    }
}

fn work_finding(code: &str, w: &Work, severity: Severity, score: f64, reason: String) -> Finding {
    work_ref_finding(code, &WorkRef::of(w), severity, score, reason)
}

fn work_ref_finding(code: &str, w: &WorkRef, severity: Severity, score: f64, reason: String) -> Finding {
    Finding {
        code: code.into(),
        subject: Subject::Work { work_id: w.work_id.clone() },
        severity,
        score: score.clamp(0.0, 1.0),
        reasons: vec![reason],
        evidence: vec![w.evidence()],
    }
}

/// `BYL001` for a work of `n` authors in `venue`, whose `works` works with a byline put the fence at `fence`.
fn author_count_finding(w: &WorkRef, n: usize, venue: &str, q3: f64, fence: f64, works: usize) -> Finding {
    work_ref_finding(
        AuthorCountAnomaly::CODE,
        w,
        Severity::Low,
        ((n as f64 - fence) / fence.max(1.0)).min(1.0),
        format!("{n} authors, above the far-out fence {fence:.1} (Q3 {q3:.1} + 3·IQR) of {works} works in {venue}."),
    )
}

/// `BYL004`'s evidence: the first works of a burst month, in corpus order.
pub const BURST_EVIDENCE: usize = 50;

/// A venue-month that bursts (`BYL004`).
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    pub venue: String,
    pub year: i32,
    pub month: u8,
    pub works: usize,
    /// The venue's median month.
    pub median: f64,
}

/// `BYL004` for a burst, with its first [`BURST_EVIDENCE`] works.
pub fn burst_finding(b: &Burst, evidence: &[WorkRef]) -> Finding {
    let (venue, y, m, n, median) = (&b.venue, b.year, b.month, b.works, b.median);
    Finding {
        code: VenueBurst::CODE.into(),
        subject: Subject::Family { family_id: format!("burst:{venue}:{y:04}-{m:02}") },
        severity: Severity::Low,
        score: (n as f64 / (BURST_FACTOR * 2.0 * median.max(1.0))).min(1.0),
        reasons: vec![format!(
            "{venue} has {n} works in {y:04}-{m:02}, {:.1}× its median month ({median:.1}).",
            n as f64 / median.max(1.0)
        )],
        evidence: evidence.iter().take(BURST_EVIDENCE).map(WorkRef::evidence).collect(),
    }
}

/// A work as a finding names it: id, DOI, PMID, title. What the corpus-wide byline detectors keep of the works
/// they may flag when a corpus is counted part by part ([`VenueCounts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkRef {
    pub work_id: String,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub title: Option<String>,
}

impl WorkRef {
    pub fn of(w: &Work) -> WorkRef {
        WorkRef { work_id: w.work_id.clone(), doi: w.ids.doi.clone(), pmid: w.ids.pmid.clone(), title: w.title.clone() }
    }
    fn evidence(&self) -> Evidence {
        Evidence {
            kind: "work".into(),
            work_id: Some(self.work_id.clone()),
            doi: self.doi.clone(),
            pmid: self.pmid.clone(),
            text: self.title.clone(),
        }
    }
}

/// What `BYL001` and `BYL004` need of a corpus, counted part by part and merged ([`VenueCounts::merge`]), so
/// that no work is held: per venue, the works with a byline by author count, and the works by month. What
/// they may flag is kept apart by the caller, part by part ([`VenueCounts::add`]): the works with at least
/// [`AUTHOR_COUNT_MIN_FLAGGED`] authors (the only ones `BYL001` can flag) and the first works of each
/// venue-month (`BYL004`'s evidence; only the months that burst need them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VenueCounts {
    /// venue → authors → works with that many authors.
    pub author_counts: BTreeMap<String, BTreeMap<usize, u64>>,
    /// venue → year → month → works.
    pub months: BTreeMap<String, BTreeMap<i32, BTreeMap<u8, u64>>>,
}

/// venue → year → month → its first [`BURST_EVIDENCE`] works in corpus order.
pub type MonthWorks = BTreeMap<String, BTreeMap<i32, BTreeMap<u8, Vec<WorkRef>>>>;

/// A work with at least [`AUTHOR_COUNT_MIN_FLAGGED`] authors: (venue, authors, work).
pub type LongByline = (String, usize, WorkRef);

/// [`AuthorCountAnomaly`]'s fence of one venue: (Q3, fence, works with a byline).
pub type Fence = (f64, f64, usize);

impl VenueCounts {
    /// Counts `works` (one part, in corpus order); returns what of them the detectors may flag: the works
    /// with a long byline and the first works of each venue-month, both in corpus order.
    pub fn add(&mut self, works: &[Work]) -> (Vec<LongByline>, MonthWorks) {
        let mut long = Vec::new();
        let mut month_works = MonthWorks::new();
        for w in works {
            let venue = venue_name(w);
            let n = w.authors.len();
            if n > 0 {
                *self.author_counts.entry(venue.clone()).or_default().entry(n).or_default() += 1;
                if n >= AUTHOR_COUNT_MIN_FLAGGED {
                    long.push((venue.clone(), n, WorkRef::of(w)));
                }
            }
            if let Some(d) = w.date
                && let Some(m) = d.month
            {
                *self.months.entry(venue.clone()).or_default().entry(d.year).or_default().entry(m).or_default() += 1;
                let list = month_works.entry(venue).or_default().entry(d.year).or_default().entry(m).or_default();
                if list.len() < BURST_EVIDENCE {
                    list.push(WorkRef::of(w));
                }
            }
        }
        (long, month_works)
    }

    /// Adds the counts of another part.
    pub fn merge(&mut self, other: VenueCounts) {
        for (venue, hist) in other.author_counts {
            let e = self.author_counts.entry(venue).or_default();
            for (n, c) in hist {
                *e.entry(n).or_default() += c;
            }
        }
        for (venue, years) in other.months {
            let e = self.months.entry(venue).or_default();
            for (y, months) in years {
                let ey = e.entry(y).or_default();
                for (m, c) in months {
                    *ey.entry(m).or_default() += c;
                }
            }
        }
    }

    /// `BYL001`'s fence of each venue with enough works (as [`AuthorCountAnomaly`] computes it).
    pub fn author_count_fences(&self) -> BTreeMap<String, Fence> {
        let mut out = BTreeMap::new();
        for (venue, hist) in &self.author_counts {
            let total: u64 = hist.values().sum();
            if total < AUTHOR_COUNT_MIN_VENUE_WORKS as u64 {
                continue;
            }
            let (q1, q3) = (hist_quantile(hist, total, 0.25), hist_quantile(hist, total, 0.75));
            out.insert(venue.clone(), (q3, q3 + AUTHOR_COUNT_IQR_FACTOR * (q3 - q1), total as usize));
        }
        out
    }

    /// The venue-months that burst (`BYL004`), in venue then month order.
    pub fn bursts(&self) -> Vec<Burst> {
        let mut out = Vec::new();
        for (venue, years) in &self.months {
            let mut counts: Vec<usize> = years.values().flat_map(|m| m.values().map(|c| *c as usize)).collect();
            counts.sort_unstable();
            let median = quantile(&counts, 0.5);
            for (y, months) in years {
                for (m, c) in months {
                    let n = *c as usize;
                    if n >= BURST_MIN_WORKS && n as f64 >= BURST_FACTOR * median {
                        out.push(Burst { venue: venue.clone(), year: *y, month: *m, works: n, median });
                    }
                }
            }
        }
        out
    }
}

/// `BYL001` for a work with a long byline, given the venues' fences ([`VenueCounts::author_count_fences`]).
pub fn author_count_flag(fences: &BTreeMap<String, Fence>, long: &LongByline) -> Option<Finding> {
    let (venue, n, w) = long;
    let (q3, fence, works) = fences.get(venue)?;
    (*n >= AUTHOR_COUNT_MIN_FLAGGED && *n as f64 > *fence)
        .then(|| author_count_finding(w, *n, venue, *q3, *fence, *works))
}

/// The value at `idx` of the sorted values a histogram counts.
fn hist_nth(hist: &BTreeMap<usize, u64>, idx: u64) -> usize {
    let mut seen = 0;
    for (v, c) in hist {
        seen += c;
        if idx < seen {
            return *v;
        }
    }
    0
}

/// [`quantile`] of the sorted values a histogram of `total` values counts.
fn hist_quantile(hist: &BTreeMap<usize, u64>, total: u64, q: f64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let pos = q * (total - 1) as f64;
    let (lo, hi) = (pos.floor() as u64, pos.ceil() as u64);
    let f = pos - lo as f64;
    hist_nth(hist, lo) as f64 * (1.0 - f) + hist_nth(hist, hi) as f64 * f
}

/// Linear-interpolated quantile of sorted values.
fn quantile(sorted: &[usize], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let f = pos - lo as f64;
    sorted[lo] as f64 * (1.0 - f) + sorted[hi] as f64 * f
}
