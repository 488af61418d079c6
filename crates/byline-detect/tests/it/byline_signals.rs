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

/// `BYL003` counts ISO codes only: one country written as a code, a name and a variant is one country.
#[test]
fn many_countries_counts_one_country_once_however_it_is_written() {
    let aff = |raw: &str, code: Option<&str>, name: Option<&str>| Affiliation {
        raw: raw.into(),
        country_code: code.map(str::to_owned),
        country: name.map(str::to_owned),
        ..Affiliation::default()
    };
    let mut w = Work::new(Format::Pubmed, "fixture.xml", 1);
    w.authors = [
        aff("Department of Surgery, Peking University, Beijing", Some("CN"), None),
        aff("Department of Surgery, Fudan University", None, Some("China")),
        aff("School of Medicine, Zhejiang University, Hangzhou, PR China.", None, None),
        aff("Tehran University of Medical Sciences, Tehran, Iran.", None, None),
    ]
    .into_iter()
    .map(|a| Author { raw_name: "A B".into(), affiliations: vec![a], ..Author::default() })
    .collect();
    // Three are China (a code, a name, a variant in the text): two countries, not flagged. Before one
    // normalization home the code and the lower-cased name were two and the text was not read.
    assert!(ManyCountries.run(&[w.clone()]).is_empty());
    w.authors[1].affiliations[0].country = Some("Egypt".into());
    w.authors[2].affiliations[0].raw = "Universidade de São Paulo, São Paulo, Brazil.".into();
    let found = ManyCountries.run(&[w]);
    assert_eq!(found.len(), 1);
    assert!(found[0].reasons[0].contains("(BR, CN, EG, IR)"), "{:?}", found[0].reasons);
}

/// Works for the part-by-part counts: a venue of small bylines with long ones (BYL001), a venue with two
/// bursts, one of more works than BYL004 keeps as evidence, and works of both venues interleaved.
fn venue_corpus() -> Vec<Work> {
    let mut works = Vec::new();
    for i in 0..400u64 {
        let mut w = Work::new(Format::Pubmed, "venues.xml", i);
        w.title = Some(format!("Work {i}"));
        let (venue, authors, month) = match i % 4 {
            0 => (
                "J Small Teams",
                if i % 36 == 0 { 14 + (i % 5) as usize } else { 2 + (i % 3) as usize },
                (i % 12) as u8,
            ),
            1 if i < 300 => ("J Bursts", 3, if i % 5 == 1 { 7 } else { 5 }),
            1 => ("J Bursts", 3, (i % 12) as u8),
            _ => ("J Other", 4 + (i % 9) as usize, (i % 12) as u8),
        };
        w.venue.title = Some(venue.into());
        w.authors = (0..authors).map(|a| author(&format!("Author {a}"), "Japan", None)).collect();
        // The burst venue's other works are spread over years, so that its median month is small.
        let year = if i % 4 == 1 && i >= 300 { 2000 + (i % 17) as i32 } else { 2020 + (i % 2) as i32 };
        w.date = Some(PubDate::new(year, Some(1 + month), None));
        works.push(w);
    }
    works
}

#[test]
fn venue_counts_part_by_part_find_what_the_detectors_find_over_all_works() {
    use byline_detect::byline::{LongByline, VenueCounts, author_count_flag, burst_finding};
    let works = venue_corpus();
    let sorted = |mut f: Vec<byline_model::Finding>| {
        byline_model::sort_findings(&mut f);
        f
    };
    let expected_byl001 = sorted(AuthorCountAnomaly.run(&works));
    let expected_byl004 = sorted(VenueBurst.run(&works));
    assert!(expected_byl001.len() >= 3, "{expected_byl001:#?}");
    assert!(expected_byl004.len() >= 2, "{expected_byl004:#?}");
    assert!(expected_byl004.iter().any(|f| f.evidence.len() == 50), "a burst over the evidence cap");

    for part in [1, 37, 400] {
        let mut counts = VenueCounts::default();
        let mut long: Vec<LongByline> = Vec::new();
        let mut months = Vec::new();
        for chunk in works.chunks(part) {
            let mut c = VenueCounts::default();
            let (l, m) = c.add(chunk);
            counts.merge(c);
            long.extend(l);
            months.push(m);
        }
        let fences = counts.author_count_fences();
        let byl001 = sorted(long.iter().filter_map(|l| author_count_flag(&fences, l)).collect());
        assert_eq!(byl001, expected_byl001, "parts of {part}");
        let byl004 = sorted(
            counts
                .bursts()
                .iter()
                .map(|b| {
                    let evidence: Vec<_> = months
                        .iter()
                        .filter_map(|m| m.get(&b.venue)?.get(&b.year)?.get(&b.month))
                        .flatten()
                        .cloned()
                        .collect();
                    burst_finding(b, &evidence)
                })
                .collect(),
        );
        assert_eq!(byl004, expected_byl004, "parts of {part}");
    }
}
