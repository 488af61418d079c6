//! Building the screening index of a corpus (`byline index`), a part at a time.

use std::path::Path;

use anyhow::Context as _;
use byline_corpus::{CorpusReader, WorkFields, WorkFilter};
use byline_detect::IndexParams;
use byline_detect::screen::IndexBuilder;

use crate::scan::DetectorFiles;
use crate::ui::{Ui, Unit};

/// What an index build wrote.
#[derive(Debug, serde::Serialize)]
pub struct IndexRun {
    pub works: u64,
    pub bytes: u64,
    /// Tortured phrases in the index's lexicon (0: screens against it do not check them).
    pub lexicon_phrases: usize,
}

/// Builds the index of `corpus` into `out`. One part at a time: the builder keeps signatures, metadata and band
/// entries in scratch files next to the target and sorts each band at the end, so memory stays at one part
/// plus one band table. Written next to the target and renamed, so a failed build never leaves a truncated
/// index in place.
pub fn build_index(corpus: &Path, out: &Path, inputs: &DetectorFiles, ui: &dyn Ui) -> anyhow::Result<IndexRun> {
    let reader = CorpusReader::open(corpus).context("opening the corpus")?;
    let lexicon = inputs.load_lexicon()?;
    let model = inputs.load_model()?;
    let parts = &reader.manifest().parts;
    let bar = ui.bar(parts.len() as u64, "index", Unit::Parts);
    let tmp = out.with_extension("bylidx.tmp");
    let scratch = out.with_extension("bylidx.scratch");
    let mut builder = IndexBuilder::new(&IndexParams::default(), lexicon.as_ref(), Some(&model), &scratch)
        .context("starting the index")?;
    for part in parts {
        let in_part = reader
            .works_in_part_with(part, &WorkFilter::All, &INDEX_FIELDS)
            .with_context(|| format!("reading part {part}"))?;
        builder.add(&in_part).with_context(|| format!("indexing part {part}"))?;
        bar.inc(1);
    }
    let works = builder.works();
    bar.set_message("bands");
    builder.finish(&tmp).context("writing the index")?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    bar.finish();
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    Ok(IndexRun { works, bytes, lexicon_phrases: lexicon.as_ref().map_or(0, |l| l.entries().len()) })
}

/// What the index reads of a work: ids, title, abstract, date, venue and byline.
const INDEX_FIELDS: WorkFields =
    WorkFields { authors: true, affiliations: true, abstract_text: true, ..WorkFields::RECORD };
