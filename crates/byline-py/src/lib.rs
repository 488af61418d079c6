//! The Python module `byline` (its native part, `byline._native`): pyo3 bindings over the same crates the CLI
//! uses. Nothing here re-implements a detector: each function converts its arguments, releases the GIL
//! (`Python::detach`), calls the library, and converts the result back. Structured results cross as JSON text
//! (the same serde types the CLI prints; `python/byline/__init__.py` parses them), tables as Arrow through the
//! C stream interface: out through [`stream`], and in through [`arrow_in`] (a column of texts — a polars Series, a
//! pyarrow Array — is read in place). Errors become `byline.BylineError` (or a subclass) carrying the message the
//! CLI prints (`{error:#}`: the context chain).
//!
//! The Spark job's kernels (`byline.spark`) are the `_spark_*` functions ([`spark`]).

use std::path::PathBuf;

use byline_detect::minhash::{self, MinHashParams};
use byline_detect::template::{FamilyParams, SlotMasker, find_families};
use byline_detect::tortured::{Lexicon, SHIPPED_ALLOWLIST, TorturedThresholds};
use byline_model::Work;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

mod arrow_in;
mod spark;
mod stream;

use arrow_in::Texts;

create_exception!(byline, BylineError, PyException, "An error from byline, with the message the CLI prints.");
create_exception!(
    byline,
    InputError,
    BylineError,
    "A file byline cannot read (malformed or of no known format): the message names the file and the position."
);
create_exception!(byline, CorpusError, BylineError, "A corpus directory that cannot be opened or read.");

/// The message the CLI prints for an error: the context chain, outermost first.
pub(crate) fn message(e: &anyhow::Error) -> String {
    format!("{e:#}")
}

pub(crate) fn byline_err(e: anyhow::Error) -> PyErr {
    BylineError::new_err(message(&e))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| BylineError::new_err(format!("serializing the result: {e}")))
}

/// MinHash signatures of `texts` (`num_perm` 16-bit values each; `None` for a text with no shingle).
///
/// With `masked`, a text is first masked as template families mask it (genes, miRNAs, diseases, cell lines,
/// materials, numbers → slot tokens), so the signature is the one `TPL001` indexes.
#[pyfunction]
#[pyo3(signature = (texts, *, masked = false, num_perm = 128, shingle_words = 3, seed = None))]
fn _minhash(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    masked: bool,
    num_perm: usize,
    shingle_words: usize,
    seed: Option<u64>,
) -> PyResult<Vec<Option<Vec<u16>>>> {
    if num_perm == 0 || shingle_words == 0 {
        return Err(pyo3::exceptions::PyValueError::new_err("num_perm and shingle_words must be at least 1"));
    }
    let defaults = MinHashParams::default();
    let params = MinHashParams { num_perm, shingle_words, seed: seed.unwrap_or(defaults.seed), ..defaults };
    let texts = Texts::extract(texts, "texts")?;
    Ok(py.detach(|| {
        let masker = masked.then(SlotMasker::default);
        texts
            .iter()
            .map(|t| {
                let t = t.unwrap_or_default();
                let hashes = match &masker {
                    Some(m) => {
                        let toks = m.mask(t);
                        minhash::token_hashes(toks.iter().map(String::as_str), params.seed)
                    }
                    None => {
                        let mut out = Vec::new();
                        minhash::lowercase_token_hashes(t, params.seed, &mut out);
                        out
                    }
                };
                minhash::signature(&hashes, &params)
            })
            .collect()
    }))
}

/// Template families (`TPL001`) among texts: `ids[i]` names text `i`, `titles[i]` is its title (the scan reads
/// title + abstract); returns the families as JSON text (a list), in the order `byline scan` writes them.
#[pyfunction]
fn _template_families(
    py: Python<'_>,
    ids: Vec<String>,
    titles: Vec<Option<String>>,
    texts: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let texts = Texts::extract(texts, "texts")?;
    if ids.len() != texts.len() || titles.len() != texts.len() {
        return Err(pyo3::exceptions::PyValueError::new_err("ids, titles and texts must have the same length"));
    }
    let works: Vec<Work> = ids
        .into_iter()
        .zip(titles)
        .zip(texts.iter())
        .map(|((work_id, title), text)| Work {
            work_id,
            title,
            abstract_text: text.map(str::to_owned),
            ..Work::default()
        })
        .collect();
    let families = py.detach(|| find_families(&works, &FamilyParams::default()));
    to_json(&families)
}

pub(crate) fn parse_works(works_json: &[String]) -> PyResult<Vec<Work>> {
    works_json
        .iter()
        .enumerate()
        .map(|(i, s)| {
            serde_json::from_str::<Work>(s)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("work {i}: not a byline work: {e}")))
        })
        .collect()
}

/// Tortured phrases in each text, against the lexicon files (PPS CSV, torturedcheck JSON or TSV) minus the
/// shipped allow-list: one assessment (JSON) per text, `None` for a null text.
#[pyfunction]
fn _tortured_phrases(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    lexicons: Vec<PathBuf>,
) -> PyResult<Vec<Option<String>>> {
    let texts = Texts::extract(texts, "texts")?;
    let assessed = py.detach(|| -> anyhow::Result<Vec<Option<String>>> {
        anyhow::ensure!(!lexicons.is_empty(), "no lexicon given: byline ships no tortured-phrase lexicon");
        let lexicon = Lexicon::from_files(&lexicons, SHIPPED_ALLOWLIST)
            .map_err(anyhow::Error::from)
            .map_err(|e| e.context("loading the lexicon"))?;
        anyhow::ensure!(!lexicon.entries().is_empty(), "no tortured phrase found in the given lexicon files");
        let t = TorturedThresholds::default();
        texts.iter().map(|text| Ok(text.map(|x| serde_json::to_string(&lexicon.assess(x, &t))).transpose()?)).collect()
    });
    assessed.map_err(byline_err)
}

/// Screening-list matches of each affiliation string: one JSON list of matches per string (empty for a null).
#[pyfunction]
#[pyo3(signature = (affiliations, lists, *, list_format = None, list_date = None))]
fn _match_lists(
    py: Python<'_>,
    affiliations: &Bound<'_, PyAny>,
    lists: Vec<String>,
    list_format: Option<String>,
    list_date: Option<String>,
) -> PyResult<Vec<String>> {
    let affiliations = Texts::extract(affiliations, "affiliations")?;
    let matched = py.detach(|| -> anyhow::Result<Vec<String>> {
        let options = list_options(lists, list_format, list_date)?;
        let matcher = byline_entities::screening::ScreeningMatcher::new(options.load()?);
        affiliations
            .iter()
            .map(|a| Ok(serde_json::to_string(&matcher.match_affiliation(a.unwrap_or_default()))?))
            .collect()
    });
    matched.map_err(byline_err)
}

pub(crate) fn list_options(
    specs: Vec<String>,
    format: Option<String>,
    date: Option<String>,
) -> anyhow::Result<byline_app::lists::ListOptions> {
    let format = match format {
        Some(f) => Some(
            byline_entities::lists::ListFormat::from_id(&f)
                .ok_or_else(|| anyhow::anyhow!("unknown list format '{f}'"))?,
        ),
        None => None,
    };
    Ok(byline_app::lists::ListOptions { specs, format, date })
}

/// The best ROR organisation of each affiliation string (JSON, or `None`; `None` for a null), from a ROR
/// registry dump.
#[pyfunction]
fn _match_ror(py: Python<'_>, affiliations: &Bound<'_, PyAny>, registry: PathBuf) -> PyResult<Vec<Option<String>>> {
    let affiliations = Texts::extract(affiliations, "affiliations")?;
    let matched = py.detach(|| -> anyhow::Result<Vec<Option<String>>> {
        let reg = byline_entities::ror::RorRegistry::load(&registry)
            .map_err(anyhow::Error::from)
            .map_err(|e| e.context("loading the ROR registry"))?;
        let matcher = byline_entities::ror::InstitutionMatcher::new(reg);
        affiliations
            .iter()
            .map(|a| {
                a.and_then(|a| matcher.best_match(a, None))
                    .map(|m| serde_json::to_string(&m))
                    .transpose()
                    .map_err(Into::into)
            })
            .collect()
    });
    matched.map_err(byline_err)
}

/// Screens submission files against an index built by `byline index`: the verdicts as JSON (`byline screen
/// --format json`'s `results`).
#[pyfunction]
fn _screen(py: Python<'_>, submissions: Vec<PathBuf>, index: PathBuf) -> PyResult<String> {
    let run = py.detach(|| {
        byline_app::screen::run_screen(&index, &submissions, byline_detect::Verdict::Flag, None)
            .map(|run| serde_json::to_string(&run.screened).map_err(anyhow::Error::from))
    });
    run.and_then(|r| r).map_err(byline_err)
}

/// The audit of one researcher (`byline audit --format json`), through byline-app's `run_audit`: its JSON.
#[pyfunction]
#[pyo3(signature = (corpus, *, orcid = None, name = None, affiliation = None, disclosure = None, ror = None,
    kaken_institutions = None, programmes = None, lists = Vec::new(), list_format = None, list_date = None, lexicons = Vec::new(),
    retractions = None, hyper_prolific = None))]
#[allow(clippy::too_many_arguments)]
fn _audit(
    py: Python<'_>,
    corpus: PathBuf,
    orcid: Option<String>,
    name: Option<String>,
    affiliation: Option<String>,
    disclosure: Option<PathBuf>,
    ror: Option<PathBuf>,
    kaken_institutions: Option<PathBuf>,
    programmes: Option<PathBuf>,
    lists: Vec<String>,
    list_format: Option<String>,
    list_date: Option<String>,
    lexicons: Vec<PathBuf>,
    retractions: Option<PathBuf>,
    hyper_prolific: Option<usize>,
) -> PyResult<String> {
    use byline_app::audit::{AuditRequest, DisclosureSource, run_audit};
    let out = py.detach(|| -> anyhow::Result<String> {
        let mut req = AuditRequest::new(corpus, orcid, name);
        req.affiliation = affiliation;
        // The same spellings as `--disclosure`: `orcid`, `kaken:FILE`, `researchmap:FILE[,FILE…]`, or a file.
        req.disclosure = disclosure.as_deref().map(DisclosureSource::from_arg);
        req.ror = ror;
        req.kaken_institutions = kaken_institutions;
        req.programmes = programmes;
        req.lists = list_options(lists, list_format, list_date)?;
        req.lexicons = lexicons;
        req.retractions = retractions;
        if let Some(h) = hyper_prolific {
            req.hyper_prolific = h;
        }
        let run = run_audit(&req, &byline_app::ui::Silent)?;
        Ok(serde_json::to_string(&run.output)?)
    });
    out.map_err(byline_err)
}

/// The native part of the `byline` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("BylineError", py.get_type::<BylineError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("CorpusError", py.get_type::<CorpusError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<stream::ArrowStream>()?;
    m.add_function(wrap_pyfunction!(stream::_read, m)?)?;
    m.add_function(wrap_pyfunction!(stream::_count, m)?)?;
    m.add_function(wrap_pyfunction!(_minhash, m)?)?;
    m.add_function(wrap_pyfunction!(_template_families, m)?)?;
    m.add_function(wrap_pyfunction!(_tortured_phrases, m)?)?;
    m.add_function(wrap_pyfunction!(_match_lists, m)?)?;
    m.add_function(wrap_pyfunction!(_match_ror, m)?)?;
    m.add_function(wrap_pyfunction!(_screen, m)?)?;
    m.add_function(wrap_pyfunction!(_audit, m)?)?;
    spark::register(m)?;
    Ok(())
}
