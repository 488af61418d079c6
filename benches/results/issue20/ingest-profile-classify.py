#!/usr/bin/env python3
"""Classify `perf script` samples (with call stacks) of a byline ingest into stages.

Usage: perf script -i perf.data | classify.py
A sample's stage comes from its stack (leaf first): the first rule that matches wins.
"""
import sys, re, collections

OWNERS = [
    (r'^(ZSTD_|BIT_|FSE_|HUF_|HIST_|ZSTD|zstd|LZ4|lz4)', 'encode side: compress (zstd)'),
    (r'polars_parquet.*(statistic|Statistic)|polars_compute::min_max', 'encode side: parquet encode (statistics)'),
    (r'^polars_parquet|polars_compute::cardinality|hyperloglog|polars_io::parquet::write|ValueMap', 'encode side: parquet encode (pages, levels, dictionary)'),
    (r'std::fs::File as std::io::Write|BufWriter|^(__GI___libc_write|__libc_write|write)$', 'encode side: write (syscalls, page cache)'),
    (r'TableBuf::take_frame|ColumnBuf::into_column|ColumnBuf::empty', 'encode side: row buffers -> DataFrame (build columns)'),
    (r'write_part', 'encode side: parquet encode (pages, levels, dictionary)'),
    (r'PartBuffers::push_work|PartBuffers::push_diagnostic|PartBuffers::push_deleted|byline_corpus::schema::Row|approx_text_bytes', 'read side: Work -> row buffers (build columns)'),
    (r'drop_in_place<byline_model|drop_in_place<alloc::boxed::Box<byline_model', 'read side: drop Work'),
    (r'^zlib_rs|^flate2|GzDecoder|crc32', 'read side: gunzip'),
    (r'^quick_xml|^<quick_xml', 'read side: XML tokenize (quick-xml)'),
    (r'byline_parse', 'read side: parse to model (Work)'),
    (r'manifest|replace_dir|remove_dir', 'other: manifest, rename'),
]

def stage(frames):
    for f in frames:
        for pat, name in OWNERS:
            if re.search(pat, f):
                return name
    stack = ' | '.join(frames)
    if re.search(r'rayon|crossbeam|futex|sched|schedule|idle|swapper', stack):
        return 'other: threads, scheduling'
    return 'other'

counts = collections.Counter()
leafs = collections.defaultdict(collections.Counter)
frames = []
comm = None
def flush():
    global frames
    if frames:
        s = stage(frames)
        counts[s] += 1
        leafs[s][frames[0][:90]] += 1
    frames = []
for line in sys.stdin:
    if not line.strip():
        flush(); continue
    if line[0] not in ' \t':
        flush(); comm = line.split()[0]; continue
    parts = line.strip().split(None, 1)
    if len(parts) == 2:
        sym = parts[1]
        sym = re.sub(r'\+0x[0-9a-f]+', '', sym)
        sym = re.sub(r' \(.*\)$', '', sym)
        frames.append(sym)
flush()
total = sum(counts.values())
print(f"samples: {total}")
for s, n in sorted(counts.items(), key=lambda kv: kv[0]):
    print(f"{100*n/total:6.1f}%  {n:7d}  {s}")
if '-v' in sys.argv:
    for s, c in leafs.items():
        print('\n##', s)
        for leaf, n in c.most_common(8):
            print(f"   {n:6d}  {leaf}")
