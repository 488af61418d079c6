//! Gradient-boosted decision trees for binary classification: logistic loss, Newton leaf values, splits
//! searched on per-feature histograms, trees grown level by level to a fixed depth. Small, deterministic
//! (the same data and parameters give the same model, byte for byte) and free of dependencies; the
//! institution matcher uses it to rank its candidates ([`crate::ror`]).

use serde::{Deserialize, Serialize};

/// Training parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub trees: usize,
    pub depth: usize,
    pub learning_rate: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Smallest sum of hessians a child may have.
    pub min_child_hessian: f64,
    /// Most histogram bins per feature.
    pub bins: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params { trees: 400, depth: 5, learning_rate: 0.05, lambda: 1.0, min_child_hessian: 1.0, bins: 64 }
    }
}

/// One node: `(feature, threshold, left, right, value)`; a leaf has feature −1 and adds its value to the
/// log-odds. A row goes left when its feature value is below the threshold. An inner node's value is the
/// one it would have had as a leaf, so that a prediction can be split into what each split added
/// ([`Model::contributions`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Node(pub i32, pub f64, pub u32, pub u32, pub f64);

/// A trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Feature names, in the order rows give them.
    pub features: Vec<String>,
    /// Log-odds before the first tree.
    pub base: f64,
    pub trees: Vec<Vec<Node>>,
}

impl Model {
    /// Log-odds of a row.
    pub fn margin(&self, row: &[f64]) -> f64 {
        let mut m = self.base;
        for tree in &self.trees {
            let mut i = 0usize;
            loop {
                let Node(f, t, l, r, v) = tree[i];
                if f < 0 {
                    m += v;
                    break;
                }
                let v = row.get(f as usize).copied().unwrap_or(0.0);
                i = if v < t { l as usize } else { r as usize };
            }
        }
        m
    }

    /// Probability of the positive class.
    pub fn predict(&self, row: &[f64]) -> f64 {
        sigmoid(self.margin(row))
    }

    /// The log-odds split by feature (Saabas' path attribution): each split a row passes adds the change
    /// in value from the node to the child it takes to the split's feature. Returns the part no feature
    /// explains (the prior and the trees' root values) and one contribution per feature; they sum to
    /// [`Model::margin`].
    pub fn contributions(&self, row: &[f64]) -> (f64, Vec<f64>) {
        let mut by_feature = vec![0.0; self.features.len()];
        let mut bias = self.base;
        for tree in &self.trees {
            let mut i = 0usize;
            bias += tree[0].4;
            loop {
                let Node(f, t, l, r, v) = tree[i];
                if f < 0 {
                    break;
                }
                let x = row.get(f as usize).copied().unwrap_or(0.0);
                let next = if x < t { l as usize } else { r as usize };
                if let Some(c) = by_feature.get_mut(f as usize) {
                    *c += tree[next].4 - v;
                }
                i = next;
            }
        }
        (bias, by_feature)
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Cut points of one feature: a value's bin is the number of cuts at or below it.
fn cuts(values: &mut [f64], bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut unique: Vec<f64> = values.to_vec();
    unique.dedup();
    if unique.len() <= bins {
        return unique.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect();
    }
    let n = values.len();
    let mut out: Vec<f64> = (1..bins).map(|k| values[k * n / bins]).collect();
    out.dedup();
    // A cut equal to the smallest value splits nothing off.
    out.retain(|c| *c > values[0]);
    out
}

/// Trains on rows (`x[i]` has one value per name in `features`) and labels.
pub fn train(x: &[Vec<f64>], y: &[bool], features: Vec<String>, p: &Params) -> Model {
    let n = x.len();
    let nf = features.len();
    let positives = y.iter().filter(|v| **v).count() as f64;
    let rate = ((positives + 0.5) / (n as f64 + 1.0)).clamp(1e-6, 1.0 - 1e-6);
    let base = (rate / (1.0 - rate)).ln();
    let mut model = Model { features, base, trees: Vec::with_capacity(p.trees) };
    if n == 0 {
        return model;
    }
    let cut: Vec<Vec<f64>> = (0..nf)
        .map(|f| {
            let mut v: Vec<f64> = x.iter().map(|r| r[f]).collect();
            cuts(&mut v, p.bins.max(2))
        })
        .collect();
    let binned: Vec<Vec<u8>> =
        x.iter().map(|r| (0..nf).map(|f| cut[f].partition_point(|c| *c <= r[f]) as u8).collect()).collect();
    let mut margin = vec![base; n];
    let mut g = vec![0.0; n];
    let mut h = vec![0.0; n];
    for _ in 0..p.trees {
        for i in 0..n {
            let q = sigmoid(margin[i]);
            g[i] = q - f64::from(u8::from(y[i]));
            h[i] = (q * (1.0 - q)).max(1e-12);
        }
        let mut nodes: Vec<Node> = vec![Node(-1, 0.0, 0, 0, 0.0)];
        // (node index, its rows) for the current level.
        let mut level: Vec<(usize, Vec<u32>)> = vec![(0, (0..n as u32).collect())];
        for depth in 0..=p.depth {
            let mut next = Vec::new();
            for (node, rows) in level {
                let (gs, hs) = rows.iter().fold((0.0, 0.0), |(a, b), r| (a + g[*r as usize], b + h[*r as usize]));
                let value = -gs / (hs + p.lambda) * p.learning_rate;
                let split = if depth < p.depth { best_split(&rows, &binned, &g, &h, &cut, gs, hs, p) } else { None };
                match split {
                    Some((f, b)) => {
                        let (left, right): (Vec<u32>, Vec<u32>) =
                            rows.iter().partition(|r| usize::from(binned[**r as usize][f]) <= b);
                        let (l, r) = (nodes.len(), nodes.len() + 1);
                        nodes.push(Node(-1, 0.0, 0, 0, 0.0));
                        nodes.push(Node(-1, 0.0, 0, 0, 0.0));
                        nodes[node] = Node(f as i32, cut[f][b], l as u32, r as u32, value);
                        next.push((l, left));
                        next.push((r, right));
                    }
                    None => {
                        nodes[node] = Node(-1, 0.0, 0, 0, value);
                        for r in &rows {
                            margin[*r as usize] += value;
                        }
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            level = next;
        }
        model.trees.push(nodes);
    }
    model
}

/// The best (feature, last bin going left) by gain, or `None` when no split gains.
#[allow(clippy::too_many_arguments)]
fn best_split(
    rows: &[u32],
    binned: &[Vec<u8>],
    g: &[f64],
    h: &[f64],
    cut: &[Vec<f64>],
    gs: f64,
    hs: f64,
    p: &Params,
) -> Option<(usize, usize)> {
    let parent = gs * gs / (hs + p.lambda);
    let mut best: Option<(f64, usize, usize)> = None;
    for (f, cf) in cut.iter().enumerate() {
        if cf.is_empty() {
            continue;
        }
        let mut hist = vec![(0.0f64, 0.0f64); cf.len() + 1];
        for r in rows {
            let e = &mut hist[usize::from(binned[*r as usize][f])];
            e.0 += g[*r as usize];
            e.1 += h[*r as usize];
        }
        let (mut gl, mut hl) = (0.0, 0.0);
        for (b, (hg, hh)) in hist.iter().enumerate().take(cf.len()) {
            gl += hg;
            hl += hh;
            let (gr, hr) = (gs - gl, hs - hl);
            if hl < p.min_child_hessian || hr < p.min_child_hessian {
                continue;
            }
            let gain = gl * gl / (hl + p.lambda) + gr * gr / (hr + p.lambda) - parent;
            if gain > 1e-9 && best.is_none_or(|(bg, _, _)| gain > bg) {
                best = Some((gain, f, b));
            }
        }
    }
    best.map(|(_, f, b)| (f, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A label no single threshold learns (x0 and x1) beside a noise feature: the trees learn it, and
    /// training twice gives the same model.
    #[test]
    fn learns_a_conjunction_and_is_deterministic() {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..400u32 {
            let (a, b) = (f64::from(i % 2), f64::from((i / 2) % 2));
            let noise = f64::from(i.wrapping_mul(2_654_435_761) % 97) / 97.0;
            x.push(vec![a, b, noise]);
            y.push(a > 0.5 && b > 0.5);
        }
        let names = vec!["a".to_string(), "b".to_string(), "noise".to_string()];
        let p = Params { trees: 50, depth: 2, learning_rate: 0.3, ..Params::default() };
        let m = train(&x, &y, names.clone(), &p);
        for (row, label) in x.iter().zip(&y) {
            assert_eq!(m.predict(row) > 0.5, *label, "{row:?}");
        }
        assert!(m.predict(&[1.0, 1.0, 0.5]) > 0.9);
        assert!(m.predict(&[1.0, 0.0, 0.5]) < 0.1);
        assert_eq!(m, train(&x, &y, names, &p));
        // The contributions add up to the log-odds, and the noise feature explains little of it.
        for row in x.iter().take(8) {
            let (bias, c) = m.contributions(row);
            assert!((bias + c.iter().sum::<f64>() - m.margin(row)).abs() < 1e-9);
            assert!(c[2].abs() < c[0].abs().max(c[1].abs()), "{c:?}");
        }
        let json = serde_json::to_string(&m).expect("serializes");
        let back: Model = serde_json::from_str(&json).expect("parses");
        assert_eq!(back.predict(&[0.0, 1.0, 0.2]), m.predict(&[0.0, 1.0, 0.2]));
    }

    #[test]
    fn no_rows_give_the_prior_and_a_constant_feature_never_splits() {
        let m = train(&[], &[], vec!["a".into()], &Params::default());
        assert!(m.trees.is_empty());
        assert!((m.predict(&[1.0]) - 0.5).abs() < 1e-9);
        let x = vec![vec![1.0]; 10];
        let y: Vec<bool> = (0..10).map(|i| i < 3).collect();
        let m = train(&x, &y, vec!["a".into()], &Params { trees: 5, ..Params::default() });
        assert!(m.trees.iter().all(|t| t.len() == 1), "a constant feature has no cut");
        assert!((m.predict(&[1.0]) - 0.3).abs() < 0.1);
    }
}
