use byline_detect::template::{FamilyParams, find_families};
use byline_model::{Affiliation, Author, Format, Work};

const SKELETON: &str = "{MIR} promotes proliferation and invasion of {DIS} cells by targeting {GENE}. The expression \
    of {MIR} was detected in {N} paired {DIS} tissues and {CELL} cells by qRT-PCR. Cell proliferation was measured \
    with CCK-8 assay and migration with transwell assay. Luciferase reporter assay confirmed that {GENE} was a \
    direct target of {MIR}. Overexpression of {MIR} increased the viability of {CELL} cells while knockdown reduced \
    it. These results suggest that the {MIR} {GENE} axis may be a therapeutic target for {DIS}.";

fn member(i: u64, mir: &str, gene: &str, dis: &str, cell: &str, team: &str) -> Work {
    let mut w = Work::new(Format::Pubmed, "template-fixture.xml", i);
    w.ids.doi = Some(format!("10.5555/tpl.{i}"));
    let text = SKELETON
        .replace("{MIR}", mir)
        .replace("{GENE}", gene)
        .replace("{DIS}", dis)
        .replace("{CELL}", cell)
        .replace("{N}", &(30 + i).to_string());
    w.title = Some(format!("{mir} promotes {dis} progression by targeting {gene}"));
    w.abstract_text = Some(text);
    w.venue.title = Some(if i.is_multiple_of(2) { "Eur Rev Med Pharmacol Sci" } else { "Oncol Lett" }.into());
    w.authors = vec![Author {
        raw_name: format!("{team} Author"),
        given: Some(team.into()),
        family: Some("Author".into()),
        affiliations: vec![Affiliation { raw: format!("{team} University"), ..Affiliation::default() }],
        ..Author::default()
    }];
    w
}

#[test]
fn slot_swapped_members_form_one_family_with_the_strong_pattern() {
    let mut works = vec![
        member(0, "miR-21", "PTEN", "gastric cancer", "SGC-7901", "Alpha"),
        member(1, "miR-155", "SOCS1", "breast cancer", "MCF-7", "Beta"),
        member(2, "miR-34a", "SIRT1", "osteosarcoma", "U2OS", "Gamma"),
    ];
    let mut other = Work::new(Format::Pubmed, "template-fixture.xml", 9);
    other.title = Some("Seasonal influenza vaccination coverage among health care workers".into());
    other.abstract_text = Some(
        "We surveyed 1,200 nurses and physicians in twelve hospitals about their vaccination \
        history, attitudes and barriers during three consecutive seasons, and modelled coverage with mixed effects \
        logistic regression, finding that workplace clinics and reminders were associated with higher uptake while \
        concerns about side effects remained the main reason for refusal among younger staff members overall."
            .into(),
    );
    works.push(other);
    let families = find_families(&works, &FamilyParams::default());
    assert_eq!(families.len(), 1);
    let f = &families[0];
    assert_eq!(f.members.len(), 3);
    assert!(f.strong_papermill_pattern);
    assert!(f.skeleton.contains("<mirna> promotes proliferation and invasion of <disease> cells by targeting <sym>"));
    insta::assert_json_snapshot!(f);
}
