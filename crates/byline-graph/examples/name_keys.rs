//! How the number of distinct name blocks grows with the authorships read (Heaps' law, D = K·A^β): reads
//! PubMed (or any) files, takes the works in a fixed pseudo-random order (a hash of each work's position,
//! so the curve is a sample of the whole input, not of its first file), and prints, at doubling prefixes of
//! the authorships, the distinct blocking keys (folded family name + first initial, the resolver's blocks),
//! the largest block and the exponent between successive points and over the whole range (least squares on
//! log D vs log A over the points from `MIN_AUTHORSHIPS`, 10,000 unless set):
//! `cargo run --release -p byline-graph --example name_keys -- FILE.xml.gz...`.

use std::collections::HashMap;

use byline_graph::names::normalize_author;
use byline_model::{Work, stable_hash64};
use byline_parse::Event;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut works: Vec<Work> = Vec::new();
    for f in &files {
        byline_parse::read_path(std::path::Path::new(f), None, &mut |e| {
            if let Event::Work(mut w) = e {
                w.abstract_text = None;
                w.references = Vec::new();
                works.push(*w);
            }
        });
    }
    let min_authorships: usize = std::env::var("MIN_AUTHORSHIPS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let mut order: Vec<usize> = (0..works.len()).collect();
    order.sort_by_key(|&i| (stable_hash64(format!("order{i}").as_bytes()), i));
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut authorships = 0usize;
    let mut largest = 0usize;
    let mut next_mark = 1000usize;
    let mut points: Vec<(usize, usize, usize)> = Vec::new();
    for &i in &order {
        for a in &works[i].authors {
            let Some(key) = normalize_author(a).and_then(|n| n.blocking_key()) else { continue };
            authorships += 1;
            let c = counts.entry(key).or_insert(0);
            *c += 1;
            largest = largest.max(*c);
            if authorships == next_mark {
                points.push((authorships, counts.len(), largest));
                next_mark *= 2;
            }
        }
    }
    if points.last().is_none_or(|p| p.0 != authorships) {
        points.push((authorships, counts.len(), largest));
    }
    println!("{} works, {authorships} authorships with a blocking key, {} distinct keys", works.len(), counts.len());
    // What a block's size means for the resolver: each authorship scores at most `max_candidates` (24) others of
    // its block, so the candidates an authorship can have, min(block − 1, 24), averaged over authorships.
    let cap = 24usize;
    let reachable: usize = counts.values().map(|&b| b * (b - 1).min(cap)).sum();
    let in_large = counts.values().filter(|&&b| b > cap).sum::<usize>();
    println!(
        "mean block (per authorship) {:.1}; candidates reachable per authorship {:.2} of {cap}; {:.1}% of authorships in blocks over {cap}",
        counts.values().map(|&b| b * b).sum::<usize>() as f64 / authorships.max(1) as f64,
        reachable as f64 / authorships.max(1) as f64,
        100.0 * in_large as f64 / authorships.max(1) as f64
    );
    println!("{:>12} {:>12} {:>10} {:>8}", "authorships", "keys", "largest", "beta");
    let mut previous: Option<(usize, usize)> = None;
    for &(a, d, l) in &points {
        let beta = previous.map_or(String::new(), |(pa, pd)| {
            format!("{:.3}", (d as f64 / pd as f64).ln() / (a as f64 / pa as f64).ln())
        });
        println!("{a:>12} {d:>12} {l:>10} {beta:>8}");
        previous = Some((a, d));
    }
    let fit: Vec<(f64, f64)> =
        points.iter().filter(|p| p.0 >= min_authorships).map(|p| ((p.0 as f64).ln(), (p.1 as f64).ln())).collect();
    if fit.len() >= 2 {
        let n = fit.len() as f64;
        let (sx, sy) = fit.iter().fold((0.0, 0.0), |(sx, sy), (x, y)| (sx + x, sy + y));
        let (mx, my) = (sx / n, sy / n);
        let sxy: f64 = fit.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = fit.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
        let beta = sxy / sxx;
        println!(
            "Heaps fit over {} points from {min_authorships} authorships: beta {beta:.3}, K {:.2}",
            fit.len(),
            (my - beta * mx).exp()
        );
    }
}
