//! Network exports parse back with their declared, typed attributes (what Gephi and VOSviewer read).

use std::collections::BTreeMap;

use crate::parse_xml;
use byline_report::{AttrValue, Edge, Network, Node};

/// Elements with their attributes, and the text of `<data>` elements keyed by their `key`.
#[allow(clippy::type_complexity)]
fn parse(xml: &str) -> (Vec<(String, BTreeMap<String, String>)>, Vec<(String, String)>) {
    let elements = parse_xml(xml);
    let data = elements
        .iter()
        .filter(|e| e.name == "data")
        .map(|e| (e.attrs.get("key").cloned().unwrap_or_default(), e.text.clone()))
        .collect();
    (elements.into_iter().map(|e| (e.name, e.attrs)).collect(), data)
}

/// A small country graph with every attribute type and hostile labels.
fn country_network() -> Network {
    let node = |id: &str, label: &str, works: i64, share: f64, flagged: bool, cluster: i64| Node {
        id: id.into(),
        label: label.into(),
        attrs: BTreeMap::from([
            ("works".to_owned(), AttrValue::Int(works)),
            ("share".to_owned(), AttrValue::Float(share)),
            ("flagged".to_owned(), AttrValue::Bool(flagged)),
            ("region".to_owned(), AttrValue::Text(format!("{label} & co"))),
            ("cluster".to_owned(), AttrValue::Int(cluster)),
        ]),
    };
    Network {
        nodes: vec![
            node("SA", "Saudi Arabia\t<السعودية>", 3, 0.2, false, 2),
            node("CN", "China \"中国\"", 14, 1.0, false, 1),
            node("CZ", "Czechia", 4, 0.3, true, 1),
        ],
        edges: vec![
            Edge { source: "CN".into(), target: "SA".into(), weight: 3.0 },
            Edge { source: "CN".into(), target: "CZ".into(), weight: 4.5 },
            Edge { source: "CN".into(), target: "XX".into(), weight: 1.0 },
        ],
    }
}

#[test]
fn graphml_declares_typed_keys_and_parses_back() {
    let graphml = country_network().to_graphml();
    let (elements, data) = parse(&graphml);
    let keys: BTreeMap<String, (String, String)> = elements
        .iter()
        .filter(|(name, _)| name == "key")
        .map(|(_, a)| (a["id"].clone(), (a["attr.name"].clone(), a["attr.type"].clone())))
        .collect();
    let by_name: BTreeMap<&str, (&str, &str)> =
        keys.iter().map(|(id, (name, kind))| (name.as_str(), (id.as_str(), kind.as_str()))).collect();
    assert_eq!(by_name["label"].1, "string");
    assert_eq!(by_name["works"].1, "long");
    assert_eq!(by_name["share"].1, "double");
    assert_eq!(by_name["flagged"].1, "boolean");
    assert_eq!(by_name["region"].1, "string");
    assert_eq!(by_name["weight"].1, "double");
    let nodes: Vec<&str> = elements.iter().filter(|(n, _)| n == "node").map(|(_, a)| a["id"].as_str()).collect();
    assert_eq!(nodes, ["CN", "CZ", "SA"], "nodes sorted by id");
    let edges: Vec<(&str, &str)> = elements
        .iter()
        .filter(|(n, _)| n == "edge")
        .map(|(_, a)| (a["source"].as_str(), a["target"].as_str()))
        .collect();
    assert_eq!(edges, [("CN", "CZ"), ("CN", "SA")], "edge to unknown node XX dropped");
    let label_key = by_name["label"].0;
    assert!(data.iter().any(|(k, v)| k == label_key && v == "China \"中国\""), "{data:?}");
    assert!(data.iter().any(|(k, v)| k == by_name["weight"].0 && v == "4.5"));
    assert!(data.iter().any(|(k, v)| k == by_name["flagged"].0 && v == "true"));
}

#[test]
fn gexf_declares_attributes_and_values_gephi_reads() {
    let gexf = country_network().to_gexf();
    let (elements, _) = parse(&gexf);
    let root = &elements[0];
    assert_eq!(root.0, "gexf");
    assert_eq!(root.1["xmlns"], "http://gexf.net/1.3");
    assert_eq!(root.1["version"], "1.3");
    let attributes: BTreeMap<&str, (&str, &str)> = elements
        .iter()
        .filter(|(n, _)| n == "attribute")
        .map(|(_, a)| (a["title"].as_str(), (a["id"].as_str(), a["type"].as_str())))
        .collect();
    assert_eq!(attributes["works"].1, "long");
    assert_eq!(attributes["flagged"].1, "boolean");
    assert_eq!(attributes["share"].1, "double");
    let labels: Vec<&str> = elements.iter().filter(|(n, _)| n == "node").map(|(_, a)| a["label"].as_str()).collect();
    // XML attribute-value normalization turns the tab into a space, as Gephi will see it.
    assert_eq!(labels, ["China \"中国\"", "Czechia", "Saudi Arabia <السعودية>"]);
    let flagged_id = attributes["flagged"].0;
    let flagged_values: Vec<&str> = elements
        .iter()
        .filter(|(n, a)| n == "attvalue" && a["for"] == flagged_id)
        .map(|(_, a)| a["value"].as_str())
        .collect();
    assert_eq!(flagged_values, ["false", "true", "false"]);
    let weights: Vec<&str> = elements.iter().filter(|(n, _)| n == "edge").map(|(_, a)| a["weight"].as_str()).collect();
    assert_eq!(weights, ["4.5", "3"]);
    assert_eq!(elements.iter().filter(|(n, _)| n == "viz:position").count(), 3);
}

#[test]
fn vosviewer_map_and_network_use_documented_columns_and_shared_ids() {
    let network = country_network();
    let map = network.to_vosviewer_map();
    let rows: Vec<Vec<&str>> = map.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "id",
            "label",
            "x",
            "y",
            "cluster",
            "weight<Links>",
            "weight<Total link strength>",
            "score<flagged>",
            "weight<share>",
            "weight<works>"
        ]
    );
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "every row has every column (tab in label replaced)");
    assert_eq!(rows[1][..2], ["1", "China \"中国\""]);
    assert_eq!(rows[1][4..7], ["1", "2", "7.5"]);
    assert_eq!(rows[3][1], "Saudi Arabia <السعودية>");
    assert_eq!(rows[3][4], "2", "cluster from the cluster attribute");
    assert_eq!(rows[2][7], "1", "flagged Czechia scores 1");
    for row in &rows[1..] {
        let (x, y): (f64, f64) = (row[2].parse().expect("x"), row[3].parse().expect("y"));
        assert!(x.abs() <= 1.0 && y.abs() <= 1.0);
    }
    assert_eq!(network.to_vosviewer_network(), "1\t2\t4.5\n1\t3\t3\n");
}

#[test]
fn coauthor_graph_converts_with_flags() {
    let input = byline_report::sample_input();
    let network = Network::from(input.charts.coauthor_network.as_ref().expect("sample has a network"));
    let gexf = network.to_gexf();
    assert!(gexf.contains("title=\"flagged\" type=\"boolean\""));
    assert!(gexf.contains("label=\"R. Doe&lt;img src=x onerror=&quot;"));
    parse(&gexf);
    parse(&network.to_graphml());
    assert_eq!(network.to_gexf(), gexf, "deterministic");
}
