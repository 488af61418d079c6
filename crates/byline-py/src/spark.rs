//! The kernels of the Spark job (`byline.spark`, pure Python on top of these): what runs inside
//! `mapInArrow` tasks and in the final step, so that the job computes what `byline scan` computes.
//!
//! - [`PartKernel::run`]: one corpus part (the tables are identically partitioned, so a part's works are rebuilt
//!   with their authors and affiliations by byline-corpus, with the fields `byline scan` reads) → the
//!   per-work findings of scan's stage 1 (the registry's per-work detectors and the screening lists, the same
//!   calls as `byline_app::scan`), and per work its corpus position, ids, masked-skeleton MinHash signature
//!   (`TPL001`'s, [`family_signature`]) and LSH band keys;
//! - [`_spark_verify`]: candidate pairs → their MinHash estimate when it reaches the threshold and the two are
//!   not one work's records ([`same_record`](byline_detect::template::same_record));
//! - [`_spark_family`]: the members of one connected component → the family `find_families` reports for it;
//! - [`_spark_finish`]: families and findings → `families.json` and `findings.json` in scan's order.
//!
//! The corpus-wide steps between them (band buckets → candidate pairs → components) are Spark's.
//!
//! The co-author network (`byline.spark.network`, `byline network --kind coauthor`):
//!
//! - [`_spark_authorships`]: one corpus part → one row per person authorship, its blocking key and what its
//!   block's resolution reads (`byline_graph::BlockMember`, JSON), read with `byline network`'s fields;
//! - [`_spark_resolve_blocks`]: whole blocks (after Spark's shuffle by blocking key) → each authorship's person
//!   id and display name, by `byline_graph::resolve_block`, which gives what `resolve_identities` gives;
//! - [`_spark_network`]: the nodes and the edges Spark aggregated → the graph
//!   (`CollaborationGraph::from_nodes_and_edges`), its Leiden communities and the files `byline network`
//!   writes (`byline_app::network::network_of`, `write_network`).

use std::path::PathBuf;

use byline_app::network::{NETWORK_FIELDS, network_of, write_network};
use byline_app::scan::{LIST_CODE, SCAN_FIELDS};
use byline_corpus::{CorpusReader, WorkFilter};
use byline_detect::minhash::{band_key, jaccard_estimate};
use byline_detect::registry::{Registry, Scope, is_enabled, sort_findings};
use byline_detect::template::{
    Family, FamilyParams, SlotMasker, TemplateFamilies, family_findings, family_of, family_signature, same_ids,
    sort_families,
};
use byline_detect::tortured::SHIPPED_ALLOWLIST;
use byline_detect::{DetectContext, Lexicon, Model, scan};
use byline_entities::screening::{ScreeningMatcher, screen_works};
use byline_graph::graph::{CollaborationGraph, GraphNode, SharedWorks};
use byline_graph::{BlockMember, IdentityOptions, block_members, resolve_block};
use byline_model::{Finding, Work};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::{BylineError, CorpusError, byline_err, list_options, parse_works, to_json};

/// Stage 1 of a scan for one part at a time, built once per executor process.
#[pyclass(frozen, module = "byline._native")]
pub struct PartKernel {
    corpus: PathBuf,
    ctx: DetectContext,
    screening: Option<ScreeningMatcher>,
    select: Vec<String>,
    ignore_stage1: Vec<String>,
    masker: SlotMasker,
    params: FamilyParams,
}

/// One work's row: corpus position, work_id, DOI, PMID, signature, band keys.
type WorkRow = (i64, String, Option<String>, Option<String>, Option<Vec<u8>>, Option<Vec<i64>>);

#[pymethods]
impl PartKernel {
    /// Runs stage 1 on part `part` (its rank in the manifest's sorted parts is `rank`): the part's per-work
    /// findings (JSON), and one row per work. A work's corpus position is `rank << 32 | row`, so that
    /// positions sort as `byline scan` orders works (parts in manifest order, rows in part order).
    fn run<'py>(&self, py: Python<'py>, part: String, rank: u32) -> PyResult<(Vec<String>, Vec<Bound<'py, PyAny>>)> {
        let out = py.detach(|| -> anyhow::Result<(Vec<String>, Vec<WorkRow>)> {
            let reader = CorpusReader::open(&self.corpus)?;
            let works = reader.works_in_part_with(&part, &WorkFilter::All, &SCAN_FIELDS)?;
            let mut found = scan(&works, &self.ctx, &self.select, &self.ignore_stage1)?;
            if let Some(m) = &self.screening {
                found.findings.extend(screen_works(m, &works));
            }
            let findings = found.findings.iter().map(serde_json::to_string).collect::<Result<Vec<_>, _>>()?;
            let p = &self.params.minhash;
            let bands = p.bands.min(p.num_perm / p.rows.max(1));
            let mut rows = Vec::with_capacity(works.len());
            for (i, w) in works.into_iter().enumerate() {
                let sig = family_signature(&w, &self.masker, &self.params);
                let keys = sig
                    .as_ref()
                    .map(|s| (0..bands).map(|b| i64::from_ne_bytes(band_key(s, b, p.rows).to_ne_bytes())).collect());
                let bytes = sig.map(|s| s.iter().flat_map(|v| v.to_le_bytes()).collect());
                let pos = (i64::from(rank) << 32) | i64::try_from(i).unwrap_or(i64::MAX);
                let (id, doi, pmid) = (w.work_id.clone(), w.ids.doi.clone(), w.ids.pmid.clone());
                rows.push((pos, id, doi, pmid, bytes, keys));
            }
            Ok((findings, rows))
        });
        let (findings, rows) = out.map_err(|e| CorpusError::new_err(crate::message(&e)))?;
        let rows = rows
            .into_iter()
            .map(|(pos, id, doi, pmid, sig, keys)| {
                let sig = sig.map(|b| PyBytes::new(py, &b));
                (pos, id, doi, pmid, sig, keys).into_pyobject(py).map(Bound::into_any)
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok((findings, rows))
    }

    /// The works at `rows` of part `part`, as JSON (what a family is built from), read as [`PartKernel::run`]
    /// reads them: the family step rebuilds only its members, so the per-work rows carry no text.
    fn members(&self, py: Python<'_>, part: String, rows: Vec<usize>) -> PyResult<Vec<String>> {
        let out = py.detach(|| -> anyhow::Result<Vec<String>> {
            let reader = CorpusReader::open(&self.corpus)?;
            let mut works: Vec<Option<Work>> =
                reader.works_in_part_with(&part, &WorkFilter::All, &SCAN_FIELDS)?.into_iter().map(Some).collect();
            rows.iter()
                .map(|&r| {
                    let w = works
                        .get_mut(r)
                        .and_then(Option::take)
                        .ok_or_else(|| anyhow::anyhow!("part {part} has no row {r} (or it was asked twice)"))?;
                    Ok(serde_json::to_string(&family_input(w))?)
                })
                .collect()
        });
        out.map_err(|e| CorpusError::new_err(crate::message(&e)))
    }
}

/// What a family is built from (`find_families` reads ids, title, abstract, date, venue and the byline with
/// affiliations): the rest is left out of the rows that travel.
fn family_input(mut w: Work) -> Work {
    w.references.clear();
    w.relations.clear();
    w.funding.clear();
    w.keywords.clear();
    w.mesh.clear();
    w.funding_statement = None;
    w.acknowledgements = None;
    w
}

/// A stage-1 kernel for `corpus` with the scan's options. Corpus-wide detectors other than `TPL001` are not
/// computed by the Spark job: they must be switched off with `ignore`, else this is an error naming them.
#[pyfunction]
#[pyo3(signature = (corpus, *, lexicons = Vec::new(), lists = Vec::new(), list_format = None, list_date = None,
    select = Vec::new(), ignore = Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn _spark_part_kernel(
    py: Python<'_>,
    corpus: PathBuf,
    lexicons: Vec<PathBuf>,
    lists: Vec<String>,
    list_format: Option<String>,
    list_date: Option<String>,
    select: Vec<String>,
    ignore: Vec<String>,
) -> PyResult<PartKernel> {
    let built = py.detach(|| -> anyhow::Result<PartKernel> {
        CorpusReader::open(&corpus)?;
        let lists = list_options(lists, list_format, list_date)?.load()?;
        let lists_enabled = !lists.is_empty() && is_enabled(LIST_CODE, &select, &ignore);
        let screening = lists_enabled.then(|| ScreeningMatcher::new(lists));
        // As `byline_app::scan::run_scan`: the list code is not a registry detector.
        let is_list_code = |c: &String| c != "ALL" && LIST_CODE.starts_with(c.as_str());
        let sel: Vec<String> = select.iter().filter(|c| !is_list_code(c)).cloned().collect();
        let mut ign: Vec<String> = ignore.iter().filter(|c| !is_list_code(c)).cloned().collect();
        if !select.is_empty() && sel.is_empty() {
            ign.push("ALL".to_owned());
        }
        let registry = Registry::default();
        let enabled: Vec<&str> = registry.select(&sel, &ign)?.iter().map(|d| d.code()).collect();
        let mut not_here: Vec<&str> = registry
            .codes_in(Scope::Corpus)
            .into_iter()
            .filter(|c| *c != TemplateFamilies::CODE && enabled.contains(c))
            .collect();
        if registry.classifier_enabled(&sel, &ign) && !not_here.contains(&"MIL001") {
            not_here.push("MIL001");
        }
        not_here.dedup();
        anyhow::ensure!(
            not_here.is_empty(),
            "the Spark job computes the per-work detectors and TPL001 only: ignore {} (as `byline scan --ignore`)",
            not_here.join(",")
        );
        let lexicon = if lexicons.is_empty() {
            None
        } else {
            let l = Lexicon::from_files(&lexicons, SHIPPED_ALLOWLIST)
                .map_err(|e| anyhow::anyhow!("loading --lexicon: {e}"))?;
            anyhow::ensure!(!l.entries().is_empty(), "--lexicon: no tortured phrase found in the given files");
            Some(l)
        };
        let ctx = DetectContext { lexicon, model: Some(Model::shipped()?), ..DetectContext::default() };
        let corpus_wide = registry.codes_in(Scope::Corpus);
        let mut ignore_stage1 = ign.clone();
        ignore_stage1.extend(corpus_wide.iter().map(|c| (*c).to_owned()));
        Ok(PartKernel {
            corpus,
            params: ctx.family_params,
            ctx,
            screening,
            select: sel,
            ignore_stage1,
            masker: SlotMasker::default(),
        })
    });
    built.map_err(byline_err)
}

/// Whether two works with these ids are one work's records (same DOI or PMID): such pairs join no family.
fn same(a: (Option<String>, Option<String>), b: (Option<String>, Option<String>)) -> bool {
    same_ids((a.0.as_deref(), a.1.as_deref()), (b.0.as_deref(), b.1.as_deref()))
}

type PairIn = (Vec<u8>, Vec<u8>, Option<String>, Option<String>, Option<String>, Option<String>);

/// For each candidate pair (signature a, signature b, DOI a, PMID a, DOI b, PMID b): the MinHash estimate when
/// it reaches the family threshold and the two are not one work's records, else `None`.
#[pyfunction]
fn _spark_verify(py: Python<'_>, pairs: Vec<PairIn>) -> PyResult<Vec<Option<f64>>> {
    let threshold = FamilyParams::default().minhash.threshold;
    Ok(py.detach(|| {
        pairs
            .into_iter()
            .map(|(a, b, doi_a, pmid_a, doi_b, pmid_b)| {
                let sig =
                    |v: &[u8]| -> Vec<u16> { v.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect() };
                let j = jaccard_estimate(&sig(&a), &sig(&b));
                (j >= threshold && !same((doi_a, pmid_a), (doi_b, pmid_b))).then_some(j)
            })
            .collect()
    }))
}

/// The family of one component: its members' rows (JSON, in corpus order) and the mean similarity of the
/// pairs that joined them (summed in corpus order of the pairs, as `find_families` does). JSON.
#[pyfunction]
fn _spark_family(py: Python<'_>, members_json: Vec<String>, mean_similarity: f64) -> PyResult<String> {
    let works = parse_works(&members_json)?;
    let family = py.detach(|| family_of(&works, mean_similarity, &FamilyParams::default()));
    to_json(&family)
}

/// Families and the per-work findings (in part order) → (`families.json`, `findings.json`) as `byline scan`
/// writes them: the families sorted as `find_families` sorts them, their `TPL001` findings added, all
/// findings in scan's order.
#[pyfunction]
fn _spark_finish(py: Python<'_>, families_json: Vec<String>, findings_json: Vec<String>) -> PyResult<(String, String)> {
    let mut families = families_json
        .iter()
        .map(|s| serde_json::from_str::<Family>(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BylineError::new_err(format!("not a family: {e}")))?;
    let mut findings = findings_json
        .iter()
        .map(|s| serde_json::from_str::<Finding>(s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BylineError::new_err(format!("not a finding: {e}")))?;
    let out = py.detach(|| -> serde_json::Result<(String, String)> {
        sort_families(&mut families);
        // As `run_scan`: the corpus stage's findings (sorted), then every part's in part order, then one sort.
        let mut all = family_findings(&families);
        sort_findings(&mut all);
        all.append(&mut findings);
        sort_findings(&mut all);
        let findings = all;
        let mut f = serde_json::to_string_pretty(&families)?;
        f.push('\n');
        let mut g = serde_json::to_string_pretty(&findings)?;
        g.push('\n');
        Ok((f, g))
    });
    out.map_err(|e| BylineError::new_err(e.to_string()))
}

/// One corpus part's person authorships (part `part`, rank `rank` in the manifest's sorted parts), read as
/// `byline network` reads works: (blocking key, block member as JSON) per authorship.
#[pyfunction]
fn _spark_authorships(py: Python<'_>, corpus: PathBuf, part: String, rank: u32) -> PyResult<Vec<(String, String)>> {
    let out = py.detach(|| -> anyhow::Result<Vec<(String, String)>> {
        let reader = CorpusReader::open(&corpus)?;
        let works = reader.works_in_part_with(&part, &WorkFilter::All, &NETWORK_FIELDS)?;
        let options = IdentityOptions::default();
        let mut rows = Vec::new();
        for (i, w) in works.iter().enumerate() {
            let pos = (u64::from(rank) << 32) | u64::try_from(i).unwrap_or(u64::from(u32::MAX));
            for m in block_members(w, pos, &options) {
                rows.push((m.block().to_owned(), serde_json::to_string(&m)?));
            }
        }
        Ok(rows)
    });
    out.map_err(|e| CorpusError::new_err(crate::message(&e)))
}

/// One assignment: (work id, position, person id, display name).
type Assigned = (String, u32, String, String);

/// Whole blocks, each the JSON members of one blocking key (every member of it) → every member's person id,
/// as `byline network`'s identity resolution assigns it.
#[pyfunction]
fn _spark_resolve_blocks(py: Python<'_>, blocks: Vec<Vec<String>>) -> PyResult<Vec<Assigned>> {
    let out = py.detach(|| -> anyhow::Result<Vec<Assigned>> {
        let options = IdentityOptions::default();
        let mut out = Vec::new();
        for block in blocks {
            let members = block
                .iter()
                .map(|j| serde_json::from_str::<BlockMember>(j))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| anyhow::anyhow!("not a block member: {e}"))?;
            for a in resolve_block(members, &options)? {
                out.push((a.work_id, a.position, a.person_id, a.display_name));
            }
        }
        Ok(out)
    });
    out.map_err(byline_err)
}

/// The co-author graph from its nodes (person id, label, works) and its aggregated edges (person id a, person
/// id b, shared works), its communities with `seed`, and the files `byline network --out` writes for each of
/// `outs` (the extension picks the format). Returns (the summary `byline network --format json` prints,
/// without its `files`, as JSON; the files written).
#[pyfunction]
fn _spark_network(
    py: Python<'_>,
    nodes: Vec<(String, String, u32)>,
    edges: Vec<(String, String, u32)>,
    seed: u64,
    outs: Vec<PathBuf>,
) -> PyResult<(String, Vec<String>)> {
    let out = py.detach(|| -> anyhow::Result<(String, Vec<String>)> {
        let nodes = nodes.into_iter().map(|(id, label, works)| GraphNode { id, label, works }).collect();
        let edges = edges.into_iter().map(|(a, b, works)| (a, b, SharedWorks { works, years: Vec::new() })).collect();
        let graph = CollaborationGraph::from_nodes_and_edges(nodes, edges)?;
        let run = network_of(&graph, seed);
        let mut files = Vec::new();
        for out in &outs {
            files.extend(write_network(&run.network, out)?.iter().map(|p| p.display().to_string()));
        }
        Ok((serde_json::to_string(&run)?, files))
    });
    out.map_err(byline_err)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("_MAX_AUTHORS_PER_WORK", byline_graph::graph::DEFAULT_MAX_AUTHORS_PER_WORK)?;
    m.add_function(wrap_pyfunction!(_spark_authorships, m)?)?;
    m.add_function(wrap_pyfunction!(_spark_resolve_blocks, m)?)?;
    m.add_function(wrap_pyfunction!(_spark_network, m)?)?;
    m.add_class::<PartKernel>()?;
    m.add_function(wrap_pyfunction!(_spark_part_kernel, m)?)?;
    m.add_function(wrap_pyfunction!(_spark_verify, m)?)?;
    m.add_function(wrap_pyfunction!(_spark_family, m)?)?;
    m.add_function(wrap_pyfunction!(_spark_finish, m)?)?;
    Ok(())
}
