//! Topic vectors: TF-IDF over a work's title, abstract, MeSH terms and keywords, compared by cosine.

use std::collections::BTreeMap;

use byline_model::Work;

use crate::names::fold;

/// English function words and boilerplate that carry no topic.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "from",
    "that",
    "this",
    "are",
    "was",
    "were",
    "been",
    "has",
    "have",
    "had",
    "not",
    "but",
    "its",
    "into",
    "than",
    "then",
    "there",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "their",
    "they",
    "our",
    "can",
    "may",
    "also",
    "between",
    "among",
    "after",
    "before",
    "during",
    "about",
    "all",
    "any",
    "both",
    "each",
    "more",
    "most",
    "other",
    "such",
    "only",
    "over",
    "under",
    "using",
    "use",
    "used",
    "based",
    "study",
    "studies",
    "results",
    "result",
    "methods",
    "method",
    "conclusion",
    "conclusions",
    "background",
    "objective",
    "aim",
    "patients",
    "analysis",
    "data",
    "new",
    "via",
    "two",
    "one",
    "three",
    "however",
    "here",
    "we",
    "were",
    "showed",
    "show",
    "shown",
    "found",
    "whether",
    "high",
    "higher",
    "low",
    "lower",
    "associated",
    "effect",
    "effects",
];

/// A sparse term-weight vector (term → weight), normalized to unit length when built by [`TfIdf::vector`].
pub type TopicVector = BTreeMap<String, f64>;

/// Term counts of one work. MeSH descriptors and keywords count as whole terms, twice (they are curated).
pub fn work_terms(work: &Work) -> BTreeMap<String, u32> {
    let mut terms: BTreeMap<String, u32> = BTreeMap::new();
    let add_text = |text: &str, terms: &mut BTreeMap<String, u32>| {
        for token in fold(text).split(|c: char| !c.is_alphanumeric()) {
            if token.chars().count() >= 3 && !token.chars().all(|c| c.is_ascii_digit()) && !STOPWORDS.contains(&token) {
                *terms.entry(token.to_owned()).or_default() += 1;
            }
        }
    };
    if let Some(t) = &work.title {
        add_text(t, &mut terms);
    }
    if let Some(a) = &work.abstract_text {
        add_text(a, &mut terms);
    }
    for curated in work.mesh.iter().chain(work.keywords.iter()) {
        let key = format!("#{}", fold(curated.trim()));
        if key.len() > 1 {
            *terms.entry(key).or_default() += 2;
        }
        add_text(curated, &mut terms);
    }
    terms
}

/// Document frequencies over a set of works; turns term counts into TF-IDF vectors.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    document_frequency: BTreeMap<String, u32>,
    documents: u32,
}

impl TfIdf {
    /// Learns document frequencies from the term counts of each document.
    pub fn fit<'a>(documents: impl IntoIterator<Item = &'a BTreeMap<String, u32>>) -> TfIdf {
        let mut model = TfIdf::default();
        for doc in documents {
            model.documents += 1;
            for term in doc.keys() {
                *model.document_frequency.entry(term.clone()).or_default() += 1;
            }
        }
        model
    }

    /// A unit-length TF-IDF vector (sublinear tf, smoothed idf as in scikit-learn's `smooth_idf`).
    pub fn vector(&self, terms: &BTreeMap<String, u32>) -> TopicVector {
        let n = f64::from(self.documents);
        let mut v: TopicVector = terms
            .iter()
            .map(|(term, count)| {
                let df = f64::from(self.document_frequency.get(term).copied().unwrap_or(0));
                let idf = ((1.0 + n) / (1.0 + df)).ln() + 1.0;
                (term.clone(), (1.0 + f64::from(*count).ln()) * idf)
            })
            .collect();
        normalize(&mut v);
        v
    }
}

/// Scales a vector to unit length (no-op for the zero vector).
pub fn normalize(v: &mut TopicVector) {
    let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in v.values_mut() {
            *x /= norm;
        }
    }
}

/// Cosine similarity of two vectors (0 when either is empty).
pub fn cosine(a: &TopicVector, b: &TopicVector) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let dot: f64 = small.iter().filter_map(|(t, x)| large.get(t).map(|y| x * y)).sum();
    let na = a.values().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.values().map(|x| x * x).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similar_titles_are_closer_than_unrelated_ones() {
        let w = |title: &str| Work { title: Some(title.to_owned()), ..Work::default() };
        let docs: Vec<_> = [
            "Endoscopic retrograde cholangiopancreatography after gastric bypass",
            "Transgastric ERCP after Roux-en-Y gastric bypass",
            "Graphene oxide nanosheets for supercapacitor electrodes",
        ]
        .iter()
        .map(|t| work_terms(&w(t)))
        .collect();
        let model = TfIdf::fit(docs.iter());
        let v: Vec<_> = docs.iter().map(|d| model.vector(d)).collect();
        assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
        assert_eq!(cosine(&v[0], &TopicVector::new()), 0.0);
    }
}
