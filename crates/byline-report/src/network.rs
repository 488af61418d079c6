//! Network exports for the tools analysts already use: GraphML, GEXF 1.3 (Gephi) and VOSviewer map and network
//! files, from one generic [`Network`] (co-author, institution or country graphs alike).
//!
//! Output is deterministic: nodes are written sorted by id, edges by (source, target); edges whose ends are not
//! nodes are dropped (GraphML and GEXF readers would invent nodes for them, VOSviewer would reject the file).
//! Attribute types are declared once per key (GraphML `<key>`, GEXF `<attribute>`), so Gephi imports them as
//! typed columns; a key whose values mix types is declared as a string.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::escape::{escape_tsv, escape_xml as esc};
use crate::input::CoauthorGraph;
use crate::layout::{LAYOUT_ITERATIONS, LAYOUT_SEED, force_layout};

/// An undirected weighted graph with typed node attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub label: String,
    /// Typed attributes (`works`, `flagged`, `country`, `cluster`…), exported as declared columns.
    #[serde(default)]
    pub attrs: BTreeMap<String, AttrValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub weight: f64,
}

/// A node attribute value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

/// The declared type of an attribute key across all nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrType {
    Bool,
    Int,
    Float,
    Text,
}

impl AttrType {
    fn of(value: &AttrValue) -> Self {
        match value {
            AttrValue::Bool(_) => AttrType::Bool,
            AttrValue::Int(_) => AttrType::Int,
            AttrValue::Float(_) => AttrType::Float,
            AttrValue::Text(_) => AttrType::Text,
        }
    }

    /// Two types one key can share: integers widen to doubles, anything else becomes a string.
    fn join(self, other: Self) -> Self {
        match (self, other) {
            (a, b) if a == b => a,
            (AttrType::Int, AttrType::Float) | (AttrType::Float, AttrType::Int) => AttrType::Float,
            _ => AttrType::Text,
        }
    }

    /// The GraphML `attr.type` and the GEXF `type` (the names coincide for these four).
    fn name(self) -> &'static str {
        match self {
            AttrType::Bool => "boolean",
            AttrType::Int => "long",
            AttrType::Float => "double",
            AttrType::Text => "string",
        }
    }
}

impl AttrValue {
    fn render(&self) -> String {
        match self {
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(f) => format_number(*f),
            AttrValue::Text(s) => s.clone(),
        }
    }

    fn as_number(&self) -> Option<f64> {
        match self {
            AttrValue::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            AttrValue::Int(i) => Some(*i as f64),
            AttrValue::Float(f) => f.is_finite().then_some(*f),
            AttrValue::Text(_) => None,
        }
    }
}

impl Network {
    /// GraphML (graphml.graphdrawing.org), undirected; `label` and every attribute declared as a `<key>`,
    /// edge weights as the `weight` key Gephi and NetworkX read.
    pub fn to_graphml(&self) -> String {
        let (nodes, edges) = self.sorted();
        let keys = attribute_keys(&nodes);
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
             http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        );
        out.push_str("  <key id=\"d0\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
        for (i, (name, kind)) in keys.iter().enumerate() {
            let _ = writeln!(
                out,
                "  <key id=\"d{}\" for=\"node\" attr.name=\"{}\" attr.type=\"{}\"/>",
                i + 1,
                esc(name),
                kind.name()
            );
        }
        let weight_key = keys.len() + 1;
        let _ = writeln!(out, "  <key id=\"d{weight_key}\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>");
        out.push_str("  <graph id=\"G\" edgedefault=\"undirected\">\n");
        for node in &nodes {
            let _ = writeln!(out, "    <node id=\"{}\">", esc(&node.id));
            let _ = writeln!(out, "      <data key=\"d0\">{}</data>", esc(&node.label));
            for (i, (name, _)) in keys.iter().enumerate() {
                if let Some(value) = node.attrs.get(*name) {
                    let _ = writeln!(out, "      <data key=\"d{}\">{}</data>", i + 1, esc(&value.render()));
                }
            }
            out.push_str("    </node>\n");
        }
        for (i, edge) in edges.iter().enumerate() {
            let _ = writeln!(
                out,
                "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"d{weight_key}\">{}</data></edge>",
                esc(&edge.source),
                esc(&edge.target),
                format_number(edge.weight)
            );
        }
        out.push_str("  </graph>\n</graphml>\n");
        out
    }

    /// GEXF 1.3 (gexf.net), Gephi's native format: typed node attributes, edge weights, and a deterministic
    /// force-directed starting position (`viz:position`) so the graph opens laid out.
    pub fn to_gexf(&self) -> String {
        let (nodes, edges) = self.sorted();
        let keys = attribute_keys(&nodes);
        let positions = self.layout(&nodes, &edges);
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" \
             xmlns:viz=\"http://gexf.net/1.3/viz\" version=\"1.3\">\n  <meta>\n    <creator>byline</creator>\n  \
             </meta>\n  <graph mode=\"static\" defaultedgetype=\"undirected\">\n",
        );
        if !keys.is_empty() {
            out.push_str("    <attributes class=\"node\" mode=\"static\">\n");
            for (i, (name, kind)) in keys.iter().enumerate() {
                let _ = writeln!(out, "      <attribute id=\"{i}\" title=\"{}\" type=\"{}\"/>", esc(name), kind.name());
            }
            out.push_str("    </attributes>\n");
        }
        out.push_str("    <nodes>\n");
        for (node, (x, y)) in nodes.iter().zip(&positions) {
            let _ = writeln!(out, "      <node id=\"{}\" label=\"{}\">", esc(&node.id), esc(&node.label));
            if keys.iter().any(|(name, _)| node.attrs.contains_key(*name)) {
                out.push_str("        <attvalues>\n");
                for (i, (name, _)) in keys.iter().enumerate() {
                    if let Some(value) = node.attrs.get(*name) {
                        let _ = writeln!(out, "          <attvalue for=\"{i}\" value=\"{}\"/>", esc(&value.render()));
                    }
                }
                out.push_str("        </attvalues>\n");
            }
            let _ = writeln!(
                out,
                "        <viz:position x=\"{:.2}\" y=\"{:.2}\" z=\"0.0\"/>",
                x * GEXF_SCALE,
                y * GEXF_SCALE
            );
            out.push_str("      </node>\n");
        }
        out.push_str("    </nodes>\n    <edges>\n");
        for (i, edge) in edges.iter().enumerate() {
            let _ = writeln!(
                out,
                "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{}\"/>",
                esc(&edge.source),
                esc(&edge.target),
                format_number(edge.weight)
            );
        }
        out.push_str("    </edges>\n  </graph>\n</gexf>\n");
        out
    }

    /// The VOSviewer map file (tab-separated, with header): `id label x y cluster weight<Links>
    /// weight<Total link strength>`, then a `weight<…>` column per numeric attribute and a `score<…>` column per
    /// boolean one. VOSviewer wants positive integer ids, so nodes are numbered 1.. in id order; the network
    /// file uses the same numbers. `cluster` comes from an integer `cluster` attribute, else 1.
    pub fn to_vosviewer_map(&self) -> String {
        let (nodes, edges) = self.sorted();
        let keys = attribute_keys(&nodes);
        let positions = self.layout(&nodes, &edges);
        let mut links: BTreeMap<&str, (u64, f64)> = BTreeMap::new();
        for edge in &edges {
            for end in [edge.source.as_str(), edge.target.as_str()] {
                let entry = links.entry(end).or_default();
                entry.0 += 1;
                entry.1 += edge.weight;
            }
        }
        let columns: Vec<(&str, AttrType)> =
            keys.iter().copied().filter(|(name, kind)| *name != CLUSTER_KEY && *kind != AttrType::Text).collect();
        let mut out = String::from("id\tlabel\tx\ty\tcluster\tweight<Links>\tweight<Total link strength>");
        for (name, kind) in &columns {
            let prefix = if *kind == AttrType::Bool { "score" } else { "weight" };
            let _ = write!(out, "\t{prefix}<{}>", escape_tsv(name).replace(['<', '>'], ""));
        }
        out.push('\n');
        for (i, (node, (x, y))) in nodes.iter().zip(&positions).enumerate() {
            let cluster = match node.attrs.get(CLUSTER_KEY) {
                Some(AttrValue::Int(c)) if *c >= 1 => *c,
                _ => 1,
            };
            let (link_count, strength) = links.get(node.id.as_str()).copied().unwrap_or_default();
            let label = if node.label.is_empty() { &node.id } else { &node.label };
            let _ = write!(
                out,
                "{}\t{}\t{x:.4}\t{y:.4}\t{cluster}\t{link_count}\t{}",
                i + 1,
                escape_tsv(label),
                format_number(strength)
            );
            for (name, _) in &columns {
                let value = node.attrs.get(*name).and_then(AttrValue::as_number).unwrap_or(0.0);
                let _ = write!(out, "\t{}", format_number(value));
            }
            out.push('\n');
        }
        out
    }

    /// The VOSviewer network file: `id id strength` per edge, tab-separated, no header; ids as in the map file.
    pub fn to_vosviewer_network(&self) -> String {
        let (nodes, edges) = self.sorted();
        let number: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i + 1)).collect();
        let mut out = String::new();
        for edge in &edges {
            let _ = writeln!(
                out,
                "{}\t{}\t{}",
                number[edge.source.as_str()],
                number[edge.target.as_str()],
                format_number(edge.weight)
            );
        }
        out
    }

    /// Nodes sorted by id (first occurrence kept on duplicate ids), edges sorted and restricted to known nodes.
    fn sorted(&self) -> (Vec<&Node>, Vec<&Edge>) {
        let mut nodes: Vec<&Node> = self.nodes.iter().collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        nodes.dedup_by(|a, b| a.id == b.id);
        let known = |id: &str| nodes.binary_search_by(|n| n.id.as_str().cmp(id)).is_ok();
        let mut edges: Vec<&Edge> = self.edges.iter().filter(|e| known(&e.source) && known(&e.target)).collect();
        edges.sort_by(|a, b| {
            (a.source.as_str(), a.target.as_str())
                .cmp(&(b.source.as_str(), b.target.as_str()))
                .then(a.weight.total_cmp(&b.weight))
        });
        (nodes, edges)
    }

    fn layout(&self, nodes: &[&Node], edges: &[&Edge]) -> Vec<(f64, f64)> {
        let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
        let layout_edges: Vec<(usize, usize, f64)> =
            edges.iter().map(|e| (index[e.source.as_str()], index[e.target.as_str()], e.weight)).collect();
        force_layout(nodes.len(), &layout_edges, None, LAYOUT_SEED, LAYOUT_ITERATIONS)
    }
}

impl From<&CoauthorGraph> for Network {
    /// The co-author chart's graph as a network: attributes `works` (works in common), `flagged` and `subject`.
    fn from(graph: &CoauthorGraph) -> Self {
        Network {
            nodes: graph
                .nodes
                .iter()
                .map(|n| Node {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    attrs: BTreeMap::from([
                        ("works".to_owned(), AttrValue::Float(n.weight)),
                        ("flagged".to_owned(), AttrValue::Bool(n.flagged)),
                        ("subject".to_owned(), AttrValue::Bool(n.is_subject)),
                    ]),
                })
                .collect(),
            edges: graph
                .edges
                .iter()
                .map(|e| Edge { source: e.source.clone(), target: e.target.clone(), weight: e.weight })
                .collect(),
        }
    }
}

/// The attribute VOSviewer reads as the cluster number.
pub const CLUSTER_KEY: &str = "cluster";

/// GEXF positions are in Gephi's pixel-like units; the layout's `[-1, 1]` is scaled to a few hundred.
const GEXF_SCALE: f64 = 400.0;

/// Every attribute key used by any node, with its joined type, in key order.
fn attribute_keys<'a>(nodes: &[&'a Node]) -> Vec<(&'a str, AttrType)> {
    let mut keys: BTreeMap<&str, AttrType> = BTreeMap::new();
    for node in nodes {
        for (name, value) in &node.attrs {
            let kind = AttrType::of(value);
            keys.entry(name.as_str()).and_modify(|k| *k = k.join(kind)).or_insert(kind);
        }
    }
    keys.into_iter().collect()
}

/// Numbers as every reader here parses them: integers without a fraction, others as Rust prints them, and
/// non-finite values as 0 (none of the formats has a NaN).
fn format_number(value: f64) -> String {
    if !value.is_finite() {
        "0".to_owned()
    } else if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}
