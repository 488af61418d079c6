//! Writers for the real formats, so generated corpora go through the same readers as real data.
//!
//! Only what the model holds is written; the output validates against the shapes the readers accept
//! (PubMed `PubmedArticleSet`, JATS `article`, OpenAlex works JSONL, Crossref works JSONL).

use std::io::{self, Write};

use byline_model::Work;
use serde_json::{Value, json};

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn tag(out: &mut String, name: &str, text: Option<&str>) {
    if let Some(t) = text {
        out.push_str(&format!("<{name}>{}</{name}>", xml_escape(t)));
    }
}

/// Writes works as one PubMed `PubmedArticleSet` document. Works without a PMID get none (the reader
/// rejects them: useful for negative tests only).
pub fn write_pubmed(works: &[Work], out: &mut dyn Write) -> io::Result<()> {
    write_pubmed_header(out)?;
    for w in works {
        write_pubmed_article(w, out)?;
    }
    write_pubmed_footer(out)
}

/// The XML declaration, DOCTYPE and opening `<PubmedArticleSet>` (streaming: header, articles, footer).
pub fn write_pubmed_header(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>")?;
    writeln!(
        out,
        "<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2019//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd\">"
    )?;
    writeln!(out, "<PubmedArticleSet>")
}

/// One `<PubmedArticle>`.
pub fn write_pubmed_article(w: &Work, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(pubmed_article(w).as_bytes())
}

/// The closing `</PubmedArticleSet>`.
pub fn write_pubmed_footer(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "</PubmedArticleSet>")
}

fn pubmed_article(w: &Work) -> String {
    let mut s = String::with_capacity(4096);
    s.push_str("<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">");
    tag(&mut s, "PMID", w.ids.pmid.as_deref());
    s.push_str("<Article PubModel=\"Print\"><Journal>");
    for issn in &w.venue.issns {
        s.push_str(&format!("<ISSN IssnType=\"Print\">{}</ISSN>", xml_escape(issn)));
    }
    s.push_str("<JournalIssue CitedMedium=\"Internet\">");
    tag(&mut s, "Volume", w.venue.volume.as_deref());
    tag(&mut s, "Issue", w.venue.issue.as_deref());
    if let Some(d) = w.date {
        s.push_str(&format!("<PubDate><Year>{}</Year>", d.year));
        if let Some(m) = d.month {
            const M: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
            s.push_str(&format!("<Month>{}</Month>", M[usize::from(m.clamp(1, 12)) - 1]));
        }
        if let Some(day) = d.day {
            s.push_str(&format!("<Day>{day:02}</Day>"));
        }
        s.push_str("</PubDate>");
    }
    s.push_str("</JournalIssue>");
    tag(&mut s, "Title", w.venue.title.as_deref());
    tag(&mut s, "ISOAbbreviation", w.venue.abbreviation.as_deref());
    s.push_str("</Journal>");
    tag(&mut s, "ArticleTitle", w.title.as_deref());
    if let Some(p) = &w.venue.pages {
        s.push_str(&format!("<Pagination><MedlinePgn>{}</MedlinePgn></Pagination>", xml_escape(p)));
    }
    if let Some(doi) = &w.ids.doi {
        s.push_str(&format!("<ELocationID EIdType=\"doi\" ValidYN=\"Y\">{}</ELocationID>", xml_escape(doi)));
    }
    if let Some(a) = &w.abstract_text {
        s.push_str("<Abstract>");
        for para in a.split('\n') {
            s.push_str(&format!("<AbstractText>{}</AbstractText>", xml_escape(para)));
        }
        s.push_str("</Abstract>");
    }
    if !w.authors.is_empty() {
        s.push_str("<AuthorList CompleteYN=\"Y\">");
        for a in &w.authors {
            s.push_str("<Author ValidYN=\"Y\">");
            if let Some(c) = &a.collective {
                tag(&mut s, "CollectiveName", Some(c));
            } else {
                tag(&mut s, "LastName", a.family.as_deref().or(Some(&a.raw_name)));
                tag(&mut s, "ForeName", a.given.as_deref());
                tag(&mut s, "Initials", a.initials.as_deref());
            }
            if let Some(o) = &a.orcid {
                s.push_str(&format!("<Identifier Source=\"ORCID\">{}</Identifier>", xml_escape(o)));
            }
            for (i, af) in a.affiliations.iter().enumerate() {
                let mut raw = af.raw.clone();
                if i == 0
                    && let Some(e) = &a.email
                {
                    raw.push_str(&format!(" Electronic address: {e}."));
                }
                s.push_str(&format!(
                    "<AffiliationInfo><Affiliation>{}</Affiliation></AffiliationInfo>",
                    xml_escape(&raw)
                ));
            }
            s.push_str("</Author>");
        }
        s.push_str("</AuthorList>");
    }
    tag(&mut s, "Language", w.language.as_deref());
    if !w.funding.is_empty() {
        s.push_str("<GrantList CompleteYN=\"Y\">");
        for f in &w.funding {
            s.push_str("<Grant>");
            tag(&mut s, "GrantID", f.grant_id.as_deref());
            tag(&mut s, "Agency", f.agency.as_deref());
            tag(&mut s, "Country", f.country.as_deref());
            s.push_str("</Grant>");
        }
        s.push_str("</GrantList>");
    }
    s.push_str("<PublicationTypeList>");
    for t in &w.publication_types {
        s.push_str(&format!("<PublicationType>{}</PublicationType>", xml_escape(t)));
    }
    s.push_str("</PublicationTypeList></Article>");
    if !w.mesh.is_empty() {
        s.push_str("<MeshHeadingList>");
        for m in &w.mesh {
            s.push_str(&format!(
                "<MeshHeading><DescriptorName MajorTopicYN=\"N\">{}</DescriptorName></MeshHeading>",
                xml_escape(m)
            ));
        }
        s.push_str("</MeshHeadingList>");
    }
    if !w.keywords.is_empty() {
        s.push_str("<KeywordList Owner=\"NOTNLM\">");
        for k in &w.keywords {
            s.push_str(&format!("<Keyword MajorTopicYN=\"N\">{}</Keyword>", xml_escape(k)));
        }
        s.push_str("</KeywordList>");
    }
    s.push_str("</MedlineCitation><PubmedData><ArticleIdList>");
    if let Some(p) = &w.ids.pmid {
        s.push_str(&format!("<ArticleId IdType=\"pubmed\">{}</ArticleId>", xml_escape(p)));
    }
    if let Some(d) = &w.ids.doi {
        s.push_str(&format!("<ArticleId IdType=\"doi\">{}</ArticleId>", xml_escape(d)));
    }
    s.push_str("</ArticleIdList>");
    if !w.references.is_empty() {
        s.push_str("<ReferenceList>");
        for r in &w.references {
            s.push_str("<Reference>");
            tag(&mut s, "Citation", r.raw.as_deref().or(Some("")));
            s.push_str("<ArticleIdList>");
            if let Some(d) = &r.doi {
                s.push_str(&format!("<ArticleId IdType=\"doi\">{}</ArticleId>", xml_escape(d)));
            }
            if let Some(p) = &r.pmid {
                s.push_str(&format!("<ArticleId IdType=\"pubmed\">{}</ArticleId>", xml_escape(p)));
            }
            s.push_str("</ArticleIdList></Reference>");
        }
        s.push_str("</ReferenceList>");
    }
    s.push_str("</PubmedData></PubmedArticle>\n");
    s
}

/// One OpenAlex work object (current schema) for a work.
pub fn openalex_json(w: &Work) -> Value {
    let mut inverted: serde_json::Map<String, Value> = serde_json::Map::new();
    if let Some(a) = &w.abstract_text {
        for (i, word) in a.split_whitespace().enumerate() {
            let entry = inverted.entry(word.to_owned()).or_insert_with(|| json!([]));
            if let Some(arr) = entry.as_array_mut() {
                arr.push(json!(i));
            }
        }
    }
    let authorships: Vec<Value> = w
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let institutions: Vec<Value> = a
                .affiliations
                .iter()
                .map(|af| {
                    json!({
                        "id": af.ror.as_ref().map(|r| format!("https://openalex.org/I{}", byline_model::stable_hash64(r.as_bytes()) % 1_000_000_000)),
                        "display_name": af.institution,
                        "ror": af.ror.as_ref().map(|r| format!("https://ror.org/{r}")),
                        "country_code": af.country_code,
                    })
                })
                .collect();
            json!({
                "author_position": if i == 0 { "first" } else if i + 1 == w.authors.len() { "last" } else { "middle" },
                "author": {"display_name": a.display_name(), "orcid": a.orcid.as_ref().map(|o| format!("https://orcid.org/{o}"))},
                "institutions": institutions,
                "raw_author_name": a.raw_name,
                "is_corresponding": a.corresponding.unwrap_or(false),
                "raw_affiliation_strings": a.affiliations.iter().map(|af| af.raw.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": w.ids.openalex.as_ref().map(|id| format!("https://openalex.org/{id}")),
        "doi": w.ids.doi.as_ref().map(|d| format!("https://doi.org/{d}")),
        "title": w.title,
        "display_name": w.title,
        "publication_year": w.date.map(|d| d.year),
        "publication_date": w.date.map(|d| d.to_iso()),
        "ids": {"pmid": w.ids.pmid.as_ref().map(|p| format!("https://pubmed.ncbi.nlm.nih.gov/{p}"))},
        "language": w.language,
        "primary_location": {"source": {"display_name": w.venue.title, "issn": w.venue.issns, "host_organization_name": w.venue.publisher}},
        "type": "article",
        "authorships": authorships,
        "abstract_inverted_index": if inverted.is_empty() { Value::Null } else { Value::Object(inverted) },
        "keywords": w.keywords.iter().map(|k| json!({"display_name": k})).collect::<Vec<_>>(),
        "mesh": w.mesh.iter().map(|m| json!({"descriptor_name": m})).collect::<Vec<_>>(),
        "grants": w.funding.iter().map(|f| json!({"funder_display_name": f.agency, "award_id": f.grant_id})).collect::<Vec<_>>(),
    })
}

/// Writes works as OpenAlex JSON Lines.
pub fn write_openalex_jsonl(works: &[Work], out: &mut dyn Write) -> io::Result<()> {
    for w in works {
        serde_json::to_writer(&mut *out, &openalex_json(w))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One Crossref work object for a work.
pub fn crossref_json(w: &Work) -> Value {
    let authors: Vec<Value> = w
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut o = json!({
                "sequence": if i == 0 { "first" } else { "additional" },
                "affiliation": a.affiliations.iter().map(|af| json!({"name": af.raw})).collect::<Vec<_>>(),
            });
            if let Some(c) = &a.collective {
                o["name"] = json!(c);
            } else {
                o["given"] = json!(a.given);
                o["family"] = json!(a.family.as_deref().unwrap_or(&a.raw_name));
            }
            if let Some(orcid) = &a.orcid {
                o["ORCID"] = json!(format!("https://orcid.org/{orcid}"));
            }
            o
        })
        .collect();
    let mut date_parts = vec![];
    if let Some(d) = w.date {
        date_parts.push(json!(d.year));
        if let Some(m) = d.month {
            date_parts.push(json!(m));
        }
    }
    json!({
        "DOI": w.ids.doi,
        "type": "journal-article",
        "title": w.title.iter().collect::<Vec<_>>(),
        "abstract": w.abstract_text.as_ref().map(|a| format!("<jats:p>{}</jats:p>", xml_escape(a))),
        "container-title": w.venue.title.iter().collect::<Vec<_>>(),
        "ISSN": w.venue.issns,
        "publisher": w.venue.publisher,
        "issued": {"date-parts": [date_parts]},
        "author": authors,
        "funder": w.funding.iter().map(|f| json!({"name": f.agency, "award": f.grant_id.iter().collect::<Vec<_>>()})).collect::<Vec<_>>(),
        "reference": w.references.iter().map(|r| json!({"key": "ref", "DOI": r.doi, "unstructured": r.raw})).collect::<Vec<_>>(),
    })
}

/// Writes works as Crossref JSON Lines.
pub fn write_crossref_jsonl(works: &[Work], out: &mut dyn Write) -> io::Result<()> {
    for w in works {
        serde_json::to_writer(&mut *out, &crossref_json(w))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
