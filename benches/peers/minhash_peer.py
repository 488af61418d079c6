#!/usr/bin/env python3
"""datasketch MinHashLSH and rensa on the JSONL byline's minhash suite writes: seconds and planted recall.

    minhash_peer.py --input texts.jsonl [--num-perm 128] [--bands 32] [--rows 4] [--threshold 0.5]
                    [--shingle-words 3] [--only datasketch,rensa]

Input lines are `{"id", "text", "duplicate_of"}`; `duplicate_of` names the record a planted near-duplicate
was made from. Shingles match byline-detect's MinHash: the text lowercased, tokens = maximal runs of
alphanumerics that keep `-`, `_`, `.` between two alphanumerics (`byline_detect::text::tokens`), shingles =
`shingle_words` consecutive tokens (all tokens when the text is shorter). Both peers use the same banding as
byline (bands × rows), and candidate pairs are verified at estimated Jaccard >= threshold, as byline does.
Timings cover shingling, signatures, LSH and verification, with the texts already in memory.
"""

import argparse
import json
import re

from _common import Clock, emit, peak_rss_bytes, version

TOKEN = re.compile(r"[^\W_]+(?:[-_.][^\W_]+)*")


def shingles(text, w):
    tokens = TOKEN.findall(text.lower())
    if not tokens:
        return []
    w = max(1, min(w, len(tokens)))
    return sorted({" ".join(tokens[i : i + w]) for i in range(len(tokens) - w + 1)})


def recall(found, planted):
    if not planted:
        return 0.0
    return sum(1 for p in planted if p in found) / len(planted)


def run_datasketch(texts, args):
    from datasketch import MinHash, MinHashLSH

    clock = Clock()
    sets = [[s.encode("utf-8") for s in shingles(t, args.shingle_words)] for t in texts]
    t_shingle = clock.lap()
    sigs = MinHash.bulk(sets, num_perm=args.num_perm)
    t_sig = clock.lap()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.num_perm, params=(args.bands, args.rows))
    with lsh.insertion_session() as session:
        for i, m in enumerate(sigs):
            if sets[i]:
                session.insert(i, m, check_duplication=False)
    pairs = set()
    for i, m in enumerate(sigs):
        if not sets[i]:
            continue
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= args.threshold:
                pairs.add((i, j))
    t_lsh = clock.lap()
    return pairs, {"shingle_s": t_shingle, "signature_s": t_sig, "lsh_verify_s": t_lsh}


def run_rensa(texts, args):
    from rensa import RMinHash, RMinHashLSH

    clock = Clock()
    sets = [shingles(t, args.shingle_words) for t in texts]
    t_shingle = clock.lap()
    sigs = []
    for s in sets:
        m = RMinHash(num_perm=args.num_perm, seed=42)
        m.update(s)
        sigs.append(m)
    t_sig = clock.lap()
    lsh = RMinHashLSH(threshold=args.threshold, num_perm=args.num_perm, num_bands=args.bands)
    for i, m in enumerate(sigs):
        if sets[i]:
            lsh.insert(i, m)
    pairs = set()
    for i, m in enumerate(sigs):
        if not sets[i]:
            continue
        for j in lsh.query(m):
            if j > i and m.jaccard(sigs[j]) >= args.threshold:
                pairs.add((i, j))
    t_lsh = clock.lap()
    return pairs, {"shingle_s": t_shingle, "signature_s": t_sig, "lsh_verify_s": t_lsh}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--bands", type=int, default=32)
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--shingle-words", type=int, default=3)
    ap.add_argument("--only", default="datasketch,rensa")
    args = ap.parse_args()

    ids, texts, dup_of = [], [], []
    with open(args.input, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            ids.append(str(rec["id"]))
            texts.append(rec.get("text") or "")
            dup_of.append(rec.get("duplicate_of"))
    index = {id_: i for i, id_ in enumerate(ids)}
    planted = set()
    for i, d in enumerate(dup_of):
        if d is not None and d in index:
            j = index[d]
            planted.add((min(i, j), max(i, j)))
    text_bytes = sum(len(t.encode("utf-8")) for t in texts)

    runners = {
        "datasketch": ("datasketch MinHashLSH", "datasketch", run_datasketch),
        "rensa": ("rensa RMinHash + RMinHashLSH", "rensa", run_rensa),
    }
    peers = []
    for key in [k.strip() for k in args.only.split(",") if k.strip()]:
        name, dist, fn = runners[key]
        # Imports (datasketch pulls in numpy and scipy) and first-call set-up are not timed.
        fn(texts[:2], args)
        clock = Clock()
        pairs, phases = fn(texts, args)
        seconds = clock.lap()
        hit = sum(1 for p in planted if p in pairs)
        peers.append(
            {
                "name": name,
                "package": dist,
                "version": version(dist),
                "threads": 1,
                "seconds": seconds,
                "records": len(texts),
                "bytes": text_bytes,
                "pairs": len(pairs),
                "planted_found": hit,
                "recall": recall(pairs, planted),
                "precision_vs_planted": hit / len(pairs) if pairs else 0.0,
                "phases": phases,
            }
        )
    emit({"docs": len(texts), "planted_pairs": len(planted), "peers": peers, "peak_rss_bytes": peak_rss_bytes()})


if __name__ == "__main__":
    main()
