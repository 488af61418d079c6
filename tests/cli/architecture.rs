//! ARCHITECTURE.md is checked against the tree: its code map names every crate, its dependency list is each
//! crate's `[dependencies]` on the workspace's crates exactly, no library crate links the data generator, and
//! no crate's modules import each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::root;

/// The workspace's crates and their `byline-*` dependencies: `(normal, dev)`. The root package is `byline`.
fn workspace_deps() -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    let mut manifests = vec![("byline".to_owned(), root().join("Cargo.toml"))];
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/ reads") {
        let dir = entry.expect("entry").path();
        if dir.join("Cargo.toml").is_file() {
            let name = dir.file_name().expect("a name").to_string_lossy().into_owned();
            manifests.push((name, dir.join("Cargo.toml")));
        }
    }
    for (name, path) in manifests {
        let text = std::fs::read_to_string(&path).expect("Cargo.toml reads");
        out.insert(name, (section_deps(&text, "[dependencies]"), section_deps(&text, "[dev-dependencies]")));
    }
    out
}

/// The `byline-*` names declared in one section of a manifest.
fn section_deps(manifest: &str, header: &str) -> BTreeSet<String> {
    let mut deps = BTreeSet::new();
    let mut inside = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == header;
            continue;
        }
        if inside && line.starts_with("byline-") {
            let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            deps.insert(name);
        }
    }
    deps
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md reads")
}

/// The fenced block under `## Dependencies`: `crate ← dep, dep` lines (`(none)` for a leaf).
fn documented_deps(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let section = doc.split("\n## Dependencies").nth(1).expect("ARCHITECTURE.md has a `## Dependencies` section");
    let block = section.split("```").nth(1).expect("a fenced block in the Dependencies section");
    let mut out = BTreeMap::new();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("text")) {
        let (name, deps) = line.split_once('←').unwrap_or_else(|| panic!("`crate ← deps` expected: {line}"));
        let deps: BTreeSet<String> = deps
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty() && *d != "(none)")
            .map(|d| if d.starts_with("byline") { d.to_owned() } else { format!("byline-{d}") })
            .collect();
        assert!(out.insert(name.trim().to_owned(), deps).is_none(), "{} listed twice", name.trim());
    }
    out
}

#[test]
fn the_documented_dependencies_are_the_manifests() {
    let actual = workspace_deps();
    let documented = documented_deps(&architecture());
    let actual_normal: BTreeMap<String, BTreeSet<String>> =
        actual.iter().map(|(k, (normal, _))| (k.clone(), normal.clone())).collect();
    assert_eq!(
        documented, actual_normal,
        "ARCHITECTURE.md's Dependencies block differs from the Cargo.toml files (left: the document)"
    );
}

#[test]
fn the_code_map_names_every_crate_and_only_those() {
    let doc = architecture();
    let map = doc.split("\n## Code map").nth(1).expect("a Code map section");
    let map = map.split("\n## ").next().unwrap_or(map);
    let rows: BTreeSet<String> = map
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect();
    let crates: BTreeSet<String> = workspace_deps().into_keys().collect();
    assert_eq!(rows, crates, "ARCHITECTURE.md's code map rows differ from the workspace's packages");
}

#[test]
fn no_library_links_the_generator_or_the_benches() {
    for (name, (normal, _)) in workspace_deps() {
        if name == "byline-bench" {
            continue;
        }
        assert!(!normal.contains("byline-synth"), "{name} depends on byline-synth outside [dev-dependencies]");
        assert!(!normal.contains("byline-bench"), "{name} depends on byline-bench");
    }
}

/// A crate's top-level modules (or, with `within`, the modules inside that one: the binary's `cmd`) and the
/// others each one names through `crate::` (`crate::cmd::`), outside comments and test modules.
fn module_graph(src: &Path, within: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let prefix = match within {
        Some(m) => format!("crate::{m}::"),
        None => "crate::".to_owned(),
    };
    let src = &within.map_or_else(|| src.to_path_buf(), |m| src.join(m));
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source dir reads") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let top = rel.components().next().expect("a component").as_os_str().to_string_lossy();
            let top = top.trim_end_matches(".rs").to_owned();
            if top == "lib" || top == "main" || top == "mod" {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source reads");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let refs = graph.entry(top.clone()).or_default();
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or("");
                for (i, _) in line.match_indices(prefix.as_str()) {
                    let rest = &line[i + prefix.len()..];
                    let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                        group.split('}').next().unwrap_or("").split(',').map(|n| n.trim().to_owned()).collect()
                    } else {
                        vec![rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()]
                    };
                    for n in names {
                        let n: String = n.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        if !n.is_empty() && n != top {
                            refs.insert(n);
                        }
                    }
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for refs in graph.values_mut() {
        refs.retain(|r| modules.contains(r));
    }
    graph
}

/// One module circle, if there is any: a path `a → … → a`.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut circle = path[i..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_crate_has_an_import_circle_between_its_modules() {
    let mut sources = vec![("byline".to_owned(), root().join("src"), Some("cmd"))];
    for name in workspace_deps().into_keys().filter(|n| n != "byline") {
        sources.push((name.clone(), root().join("crates").join(&name).join("src"), None));
    }
    for (name, src, within) in sources {
        let graph = module_graph(&src, within);
        assert!(!graph.is_empty(), "{name}: no module found under {}", src.display());
        if let Some(circle) = find_circle(&graph) {
            panic!("{name}: modules import each other in a circle: {}", circle.join(" → "));
        }
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
        ("d".to_owned(), BTreeSet::new()),
    ]
    .into_iter()
    .collect();
    assert_eq!(find_circle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let acyclic: BTreeMap<String, BTreeSet<String>> =
        [("a".to_owned(), BTreeSet::from(["b".to_owned()])), ("b".to_owned(), BTreeSet::new())].into_iter().collect();
    assert_eq!(find_circle(&acyclic), None);
}
