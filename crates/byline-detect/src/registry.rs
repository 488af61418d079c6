//! The detector registry: every detector with its code, and `--select/--ignore` semantics like a linter's.

use byline_model::{Finding, Work};
use serde::{Deserialize, Serialize};

use crate::byline::{AuthorCountAnomaly, ManyCountries, VenueBurst, WebmailOnInstitutionalByline};
use crate::classifier::{Model, PaperMillScore};
pub use crate::detector::{Detection, Detector, Scope};
use crate::retraction::{RetractionDb, RetractionLinks};
use crate::template::{Family, FamilyParams, TemplateFamilies};
use crate::tortured::{Lexicon, TorturedPhrases, TorturedThresholds};
use crate::{Error, Result};

/// Everything detectors may need besides the works: loaded lists, thresholds, a trained model. The registry
/// builds each detector with its part ([`Registry::new`]). Missing inputs switch the detectors that need them
/// off (they emit nothing) rather than failing.
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

impl DetectContext {
    /// The classifier (`MIL001`) built with this context's model, lexicon and threshold: its
    /// [`PaperMillScore::score_all`] gives every work's probability besides the findings.
    pub fn classifier(&self) -> PaperMillScore<'_> {
        PaperMillScore { model: self.model.as_ref(), lexicon: self.lexicon.as_ref(), threshold: self.mill_threshold }
    }
}

/// All detectors in code order, each built with its inputs.
pub struct Registry<'a> {
    detectors: Vec<Box<dyn Detector + 'a>>,
}

/// The detectors without inputs: enough to list and select codes; those that need a lexicon, a model or
/// Retraction Watch emit nothing.
impl Default for Registry<'_> {
    fn default() -> Self {
        Registry::from_detectors(
            TorturedPhrases::default(),
            RetractionLinks::default(),
            TemplateFamilies::default(),
            PaperMillScore::default(),
        )
    }
}

impl<'a> Registry<'a> {
    /// Every detector, built with what it needs from `ctx`.
    pub fn new(ctx: &'a DetectContext) -> Registry<'a> {
        Registry::from_detectors(
            TorturedPhrases { lexicon: ctx.lexicon.as_ref(), thresholds: ctx.tortured_thresholds },
            RetractionLinks { retractions: ctx.retractions.as_ref() },
            TemplateFamilies { params: ctx.family_params },
            ctx.classifier(),
        )
    }

    fn from_detectors(
        tortured: TorturedPhrases<'a>,
        retraction: RetractionLinks<'a>,
        template: TemplateFamilies,
        classifier: PaperMillScore<'a>,
    ) -> Registry<'a> {
        Registry {
            detectors: vec![
                Box::new(AuthorCountAnomaly),
                Box::new(WebmailOnInstitutionalByline),
                Box::new(ManyCountries),
                Box::new(VenueBurst),
                Box::new(classifier),
                Box::new(retraction),
                Box::new(tortured),
                Box::new(template),
            ],
        }
    }

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

    pub fn detectors(&self) -> impl Iterator<Item = &(dyn Detector + 'a)> {
        self.detectors.iter().map(|d| d.as_ref())
    }

    /// The codes of the detectors of one scope, sorted: a scan runs the [`Scope::PerWork`] ones part by part
    /// and the [`Scope::Corpus`] ones over every work at once. A detector's own code stands for the family of
    /// codes it emits (`RET001` for `RET001`–`RET004`), as in `--select/--ignore`.
    pub fn codes_in(&self, scope: Scope) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.detectors().filter(|d| d.scope() == scope).map(|d| d.code()).collect();
        codes.sort_unstable();
        codes
    }

    /// Whether `--select/--ignore` leave the classifier (`MIL001`, [`DetectContext::classifier`]) on.
    pub fn classifier_enabled(&self, select: &[String], ignore: &[String]) -> bool {
        is_enabled(PaperMillScore::CODE, select, ignore)
    }

    /// The detectors left after `--select` and `--ignore`, in ruff's manner: each entry is a code or a prefix
    /// (`RET`, `TOR0`, `ALL`); an empty select means all; ignore wins over select when it is at least as
    /// specific. Unknown codes are an error (a typo must not silently switch a check off).
    pub fn select(&self, select: &[String], ignore: &[String]) -> Result<Vec<&(dyn Detector + 'a)>> {
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
    let registry = Registry::new(ctx);
    let mut findings = Vec::new();
    let mut families = Vec::new();
    for d in registry.select(select, ignore)? {
        let found = d.detect(works);
        findings.extend(found.findings.into_iter().filter(|f| is_enabled(&f.code, select, ignore)));
        families.extend(found.families);
    }
    sort_findings(&mut findings);
    Ok(ScanOutput { findings, families })
}

pub use byline_model::sort_findings;
