//! The detector registry: every detector with its code, and `--select/--ignore` semantics like a linter's.

use byline_model::{Finding, Work};
use serde::{Deserialize, Serialize};

use crate::classifier::Model;
use crate::retraction::RetractionDb;
use crate::template::{Family, FamilyParams};
use crate::tortured::{Lexicon, TorturedThresholds};
use crate::{Error, Result};

/// A detector: a small type with a stable code that reads works and emits findings.
pub trait Detector: Sync + Send {
    /// Stable code, like a lint code (`TOR001`).
    fn code(&self) -> &'static str;
    /// Short kebab-case name (`tortured-phrases`).
    fn name(&self) -> &'static str;
    /// Runs over a whole set of works (detectors that compare works need them all).
    fn run(&self, works: &[Work], ctx: &DetectContext) -> Vec<Finding>;
    /// Other codes this detector can emit besides [`Detector::code`] (a family of related codes).
    fn extra_codes(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Everything detectors may need besides the works: loaded lists, thresholds, a trained model.
/// Missing inputs switch the detectors that need them off (they emit nothing) rather than failing.
#[derive(Default)]
pub struct DetectContext {
    pub lexicon: Option<Lexicon>,
    pub tortured_thresholds: TorturedThresholds,
    pub retractions: Option<RetractionDb>,
    pub family_params: FamilyParams,
    pub model: Option<Model>,
    /// `MIL001`'s threshold when the user chose one (`--mill-threshold`); `None` = the model's own.
    pub mill_threshold: Option<f64>,
}

/// All detectors in code order.
pub struct Registry {
    detectors: Vec<Box<dyn Detector>>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            detectors: vec![
                Box::new(crate::byline::AuthorCountAnomaly),
                Box::new(crate::byline::WebmailOnInstitutionalByline),
                Box::new(crate::byline::ManyCountries),
                Box::new(crate::byline::VenueBurst),
                Box::new(crate::classifier::PaperMillScore),
                Box::new(crate::retraction::RetractionLinks),
                Box::new(crate::tortured::TorturedPhrases),
                Box::new(crate::template::TemplateFamilies),
            ],
        }
    }
}

impl Registry {
    /// Every code a detector can emit, sorted.
    pub fn codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self
            .detectors
            .iter()
            .flat_map(|d| std::iter::once(d.code()).chain(d.extra_codes().iter().copied()))
            .collect();
        codes.sort_unstable();
        codes
    }

    pub fn detectors(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(|d| d.as_ref())
    }

    /// The detectors left after `--select` and `--ignore`, in ruff's manner: each entry is a code or a prefix
    /// (`RET`, `TOR0`, `ALL`); an empty select means all; ignore wins over select when it is at least as
    /// specific. Unknown codes are an error (a typo must not silently switch a check off).
    pub fn select(&self, select: &[String], ignore: &[String]) -> Result<Vec<&dyn Detector>> {
        let codes = self.codes();
        for s in select.iter().chain(ignore) {
            if s != "ALL" && !codes.iter().any(|c| c.starts_with(s.as_str())) {
                return Err(Error::UnknownCode(s.clone()));
            }
        }
        Ok(self.detectors().filter(|d| is_enabled(d.code(), select, ignore)).collect())
    }
}

/// Whether `code` is enabled by `select`/`ignore` (longest matching prefix wins; ties go to ignore).
pub fn is_enabled(code: &str, select: &[String], ignore: &[String]) -> bool {
    let best = |list: &[String]| -> Option<usize> {
        list.iter()
            .filter(|p| p.as_str() == "ALL" || code.starts_with(p.as_str()))
            .map(|p| if p == "ALL" { 0 } else { p.len() })
            .max()
    };
    let selected = if select.is_empty() { Some(0) } else { best(select) };
    match (selected, best(ignore)) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(s), Some(i)) => s > i,
    }
}

/// What a scan produces: findings sorted by (code, subject, reasons) for byte-identical output, and the
/// template families found (also reported as `TPL001` findings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanOutput {
    pub findings: Vec<Finding>,
    pub families: Vec<Family>,
}

/// Runs the selected detectors over `works`.
pub fn scan(works: &[Work], ctx: &DetectContext, select: &[String], ignore: &[String]) -> Result<ScanOutput> {
    let registry = Registry::default();
    let detectors = registry.select(select, ignore)?;
    let mut findings = Vec::new();
    // Families are computed once: reported and turned into TPL001 findings.
    let families = if detectors.iter().any(|d| d.code() == "TPL001") {
        crate::template::find_families(works, &ctx.family_params)
    } else {
        Vec::new()
    };
    for d in &detectors {
        if d.code() == "TPL001" {
            findings.extend(crate::template::family_findings(&families));
            continue;
        }
        if d.code() == "MIL001" {
            findings.extend(crate::classifier::score_works(works, ctx, ctx.mill_threshold));
            continue;
        }
        findings.extend(d.run(works, ctx).into_iter().filter(|f| is_enabled(&f.code, select, ignore)));
    }
    sort_findings(&mut findings);
    Ok(ScanOutput { findings, families })
}

pub use byline_model::sort_findings;
