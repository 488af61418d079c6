//! Reading only some fields of a work ([`WorkFields`]) gives the same values for those fields as reading the
//! whole work, and leaves the others empty.

use std::path::Path;

use byline_corpus::{CorpusReader, IngestOptions, WorkFields, WorkFilter, ingest};
use byline_model::Work;

fn sample_corpus(out: &Path) -> CorpusReader {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/sample");
    ingest(&[sample], out, &IngestOptions::default(), &()).expect("the bundled sample ingests");
    CorpusReader::open(out).expect("the corpus opens")
}

fn read(reader: &CorpusReader, fields: &WorkFields) -> Vec<Work> {
    let mut works = Vec::new();
    reader.for_each_work_with(&WorkFilter::All, fields, |w| works.push(w)).expect("the corpus reads");
    works
}

#[test]
fn a_projection_keeps_what_it_asks_for_and_reads_nothing_else() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let reader = sample_corpus(&dir.path().join("corpus"));
    let all = reader.works(&WorkFilter::All).expect("the corpus reads");
    assert_eq!(read(&reader, &WorkFields::ALL), all);
    // The sample has every kind of field, or the comparisons below would prove nothing.
    assert!(all.iter().any(|w| w.abstract_text.is_some()));
    assert!(all.iter().any(|w| !w.keywords.is_empty() || !w.mesh.is_empty()));
    assert!(all.iter().any(|w| !w.funding.is_empty()));
    assert!(all.iter().any(|w| w.references.iter().any(|r| r.raw.is_some())));
    assert!(all.iter().any(|w| w.authors.iter().any(|a| !a.affiliations.is_empty())));

    let record = read(&reader, &WorkFields::RECORD);
    assert_eq!(record.len(), all.len());
    for (r, w) in record.iter().zip(&all) {
        let expected = Work {
            abstract_text: None,
            keywords: Vec::new(),
            mesh: Vec::new(),
            funding_statement: None,
            acknowledgements: None,
            authors: Vec::new(),
            funding: Vec::new(),
            references: Vec::new(),
            relations: Vec::new(),
            ..w.clone()
        };
        assert_eq!(r, &expected);
    }

    let by_id = WorkFields { authors: true, affiliations: true, references: true, ..WorkFields::RECORD };
    for (r, w) in read(&reader, &by_id).iter().zip(&all) {
        assert_eq!(r.authors, w.authors);
        let cited: Vec<_> = w
            .references
            .iter()
            .filter(|x| x.doi.is_some() || x.pmid.is_some())
            .map(|x| (x.doi.clone(), x.pmid.clone(), None, None))
            .collect();
        let got: Vec<_> =
            r.references.iter().map(|x| (x.doi.clone(), x.pmid.clone(), x.raw.clone(), x.openalex.clone())).collect();
        assert_eq!(got, cited);
    }

    // Authors without their affiliations.
    let names = WorkFields { authors: true, ..WorkFields::RECORD };
    let names = read(&reader, &names);
    assert!(names.iter().flat_map(|w| &w.authors).all(|a| a.affiliations.is_empty()));
    assert_eq!(
        names.iter().map(|w| w.authors.len()).sum::<usize>(),
        all.iter().map(|w| w.authors.len()).sum::<usize>()
    );
}
