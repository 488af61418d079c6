use byline_detect::byline::{AuthorCountAnomaly, ManyCountries, VenueBurst, WebmailOnInstitutionalByline};
use byline_detect::registry::Detector;
use byline_model::{Affiliation, Author, Format, PubDate, Work};

fn author(name: &str, country: &str, email: Option<&str>) -> Author {
    Author {
        raw_name: name.into(),
        email: email.map(str::to_owned),
        corresponding: Some(email.is_some()),
        affiliations: vec![Affiliation {
            raw: format!("Department of Surgery, University of {country}"),
            country: Some(country.into()),
            ..Affiliation::default()
        }],
        ..Author::default()
    }
}

fn corpus() -> Vec<Work> {
    let mut works = Vec::new();
    for i in 0..30u64 {
        let mut w = Work::new(Format::Pubmed, "fixture.xml", i);
        w.venue.title = Some("J Example".into());
        w.date = Some(PubDate::new(
            2021,
            Some(if i < 2 {
                1
            } else if i < 14 {
                3
            } else {
                (i % 12) as u8 + 1
            }),
            None,
        ));
        w.authors = (0..3 + (i % 3)).map(|a| author(&format!("A{a} B{i}"), "Spain", None)).collect();
        works.push(w);
    }
    // An inflated byline.
    works[5].authors = (0..25).map(|a| author(&format!("C{a} D"), "Spain", None)).collect();
    // Webmail + many countries.
    works[6].authors = vec![
        author("Ann Lee", "China", Some("lucky2019@163.com")),
        author("Bo Ray", "Iran", None),
        author("Cy Dee", "Egypt", None),
        author("Di Fox", "Brazil", None),
    ];
    works
}

#[test]
fn byline_signals_snapshot() {
    let works = corpus();
    let mut out = Vec::new();
    for d in [&AuthorCountAnomaly as &dyn Detector, &WebmailOnInstitutionalByline, &ManyCountries, &VenueBurst] {
        out.extend(d.run(&works));
    }
    let codes: Vec<&str> = out.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["BYL001", "BYL002", "BYL003", "BYL004"]);
    insta::assert_json_snapshot!(out);
}
