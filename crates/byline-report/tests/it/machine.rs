//! JSON and CSV of findings, snapshotted.

#[test]
fn findings_json_of_sample_audit() {
    let input = byline_report::sample_input();
    let json = byline_report::findings_json(&input.findings).expect("serializes");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    insta::assert_json_snapshot!(value);
}

#[test]
fn findings_csv_of_sample_audit() {
    insta::assert_snapshot!(byline_report::findings_csv(&byline_report::sample_input().findings));
}

#[test]
fn findings_csv_has_one_row_per_finding_in_report_order() {
    let input = byline_report::sample_input();
    let csv = byline_report::findings_csv(&input.findings);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), input.findings.len() + 1);
    assert!(rows[0].starts_with("rank,code,severity,score"));
    assert!(rows[1].starts_with("1,COA001,high,0.9100,work,W08,"));
    assert!(rows[5].starts_with("5,TOR001,low,"));
}
