"""``byline scan`` and ``byline network --kind coauthor`` on Apache Spark: the per-part kernels in
``mapInArrow`` tasks, the corpus-wide steps as Spark shuffles, the same families, findings and network files as
the single machine.

The job (:func:`scan`):

1. **Per part** (``mapInArrow`` over the manifest's parts, one task a part): a corpus's tables are partitioned
   identically, so a part's works are rebuilt with their authors and affiliations by byline-corpus, with the
   fields the scan reads; the kernel runs scan's stage 1 on them (the per-work detectors ``TOR001``,
   ``BYL002``, ``BYL003`` and the screening lists' ``LST001``, the same calls as ``byline scan``) and emits, per
   work, its corpus position, ids, the masked-skeleton MinHash signature ``TPL001`` indexes and its 32 LSH
   band keys (no text: ≈ 550 bytes a work).
2. **Band buckets → candidate pairs** (shuffle on ``(band, key)``): each bucket's members, sorted by corpus
   position, give every pair, or a star from the first member when the bucket has more than 64 members
   (as ``byline_detect::minhash``).
3. **Verification** (shuffle: the pairs joined with both members' signatures): the MinHash estimate must reach
   the threshold and the two must not be one work's records (same DOI or PMID).
4. **Components** (min-label propagation, one join + group-by per round until no label changes).
5. **Families** (shuffle on the component): the members are rebuilt from their parts (one task a part
   holding members) and, in corpus order with the pairs' similarities, go to the kernel that builds the
   family exactly as ``find_families`` does; the driver sorts families and
   findings as ``byline scan`` does and writes ``families.json`` and ``findings.json``.

Corpus-wide detectors other than ``TPL001`` (``BYL001``, ``BYL004``, ``RET*``, ``MIL001``) are not part of
the job: pass them in ``ignore`` (the job refuses to start otherwise, rather than answer differently).

The co-author network (:func:`network`, what ``byline network --kind coauthor`` writes):

1. **Per part** (``mapInArrow``, one task a part): each person authorship with its blocking key (folded family
   name + first initial, or its ORCID's block) and what its block's resolution reads (name, ORCID, e-mail,
   affiliation words and text, the work's venue, topic words and co-authors' keys; JSON).
2. **Identities** (shuffle on the blocking key): each block, whole, goes to the kernel that resolves it as
   ``byline network``'s identity resolution does (``byline_graph::resolve_block``; nothing a block reads
   depends on another block, so the person ids are the same).
3. **Nodes** (shuffle on the person id): label (the display name on the person's first work), works.
4. **Edges** (shuffle on the work id, then on the edge): each work's distinct persons, when at most 100, give
   every pair; the pairs are counted per edge.
5. **Communities and files** (one task, on the driver): the graph from the nodes and edges, Leiden with the
   seed, the files ``byline network`` writes.

Raw files into the corpus schema (:func:`read`): one ``mapInArrow`` task a file runs ``byline.read`` (the
readers ``byline ingest`` uses) and hands its record batches to Spark as they come, so a folder of PubMed
baseline files, Crossref or OpenAlex dumps becomes a DataFrame of one corpus table (``works``, ``authorships``…)
with ``byline ingest``'s columns; ``df.write.parquet(…)`` keeps it. A file byline cannot read fails its task
with byline's message (file and position).

The corpus directory must be readable at the same path by every executor (a shared file system, ``/dbfs``,
an NFS mount); the options' files (lexicons, lists) too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from . import _native

#: Buckets with more members are linked as a star (``byline_detect::minhash::MAX_BUCKET_PAIRS_MEMBERS``).
MAX_BUCKET_PAIRS_MEMBERS = 64

_KERNELS: dict[str, Any] = {}


@dataclass(frozen=True)
class ScanOptions:
    """What ``byline scan`` is given besides the corpus: the same meaning as its flags."""

    lexicons: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    list_format: str | None = None
    list_date: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def kernel(self, corpus: str) -> Any:
        """The stage-1 kernel, built once per Python worker process and options."""
        key = json.dumps([corpus, self.lexicons, self.lists, self.list_format, self.list_date, self.select, self.ignore])
        k = _KERNELS.get(key)
        if k is None:
            k = _native._spark_part_kernel(
                corpus,
                lexicons=list(self.lexicons),
                lists=list(self.lists),
                list_format=self.list_format,
                list_date=self.list_date,
                select=list(self.select),
                ignore=list(self.ignore),
            )
            _KERNELS[key] = k
        return k


@dataclass
class ScanResult:
    """What the job found: the two files' text (as ``byline scan`` writes them) and their parsed content."""

    families_json: str
    findings_json: str
    parts: int
    works: int
    #: With ``measure=True``: rows and bytes of each step (extra Spark actions; for planning a cluster).
    steps: dict[str, Any] | None = None

    @property
    def families(self) -> list[dict[str, Any]]:
        return json.loads(self.families_json)

    @property
    def findings(self) -> list[dict[str, Any]]:
        return json.loads(self.findings_json)


ROWS_SCHEMA = (
    "kind string, pos long, work_id string, doi string, pmid string, sig binary, bands array<long>, payload string"
)


def _part_rows(corpus: str, options: ScanOptions):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        kernel = options.kernel(corpus)
        for batch in batches:
            for rank, part in zip(batch.column("rank").to_pylist(), batch.column("part").to_pylist(), strict=True):
                findings, works = kernel.run(part, rank)
                cols: dict[str, list[Any]] = {k: [] for k in ("kind", "pos", "work_id", "doi", "pmid", "sig", "bands", "payload")}
                for i, f in enumerate(findings):
                    # A finding's position keeps the part's order of findings (scan appends them part by part).
                    for k, v in zip(cols, ("finding", (rank << 32) | i, None, None, None, None, None, f), strict=True):
                        cols[k].append(v)
                for pos, work_id, doi, pmid, sig, bands in works:
                    for k, v in zip(cols, ("work", pos, work_id, doi, pmid, sig, bands, None), strict=True):
                        cols[k].append(v)
                yield pa.RecordBatch.from_pydict(
                    cols,
                    schema=pa.schema(
                        [
                            ("kind", pa.string()),
                            ("pos", pa.int64()),
                            ("work_id", pa.string()),
                            ("doi", pa.string()),
                            ("pmid", pa.string()),
                            ("sig", pa.binary()),
                            ("bands", pa.list_(pa.int64())),
                            ("payload", pa.string()),
                        ]
                    ),
                )

    return run


def _member_rows(corpus: str, options: ScanOptions):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        kernel = options.kernel(corpus)
        for batch in batches:
            pos_out: list[int] = []
            payload: list[str] = []
            for rank, part, rows in zip(*(batch.column(c).to_pylist() for c in ("rank", "part", "rows")), strict=True):
                rows = sorted(rows)
                payload.extend(kernel.members(part, rows))
                pos_out.extend((rank << 32) | r for r in rows)
            yield pa.RecordBatch.from_pydict(
                {"pos": pos_out, "payload": payload}, schema=pa.schema([("pos", pa.int64()), ("payload", pa.string())])
            )

    return run


def _bucket_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        a: list[int] = []
        b: list[int] = []
        for members in batch.column("m").to_pylist():
            if len(members) <= MAX_BUCKET_PAIRS_MEMBERS:
                for i in range(len(members)):
                    for j in range(i + 1, len(members)):
                        a.append(members[i])
                        b.append(members[j])
            else:
                for m in members[1:]:
                    a.append(members[0])
                    b.append(m)
        yield pa.RecordBatch.from_pydict({"a": a, "b": b}, schema=pa.schema([("a", pa.int64()), ("b", pa.int64())]))


def _verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        c = {name: batch.column(name).to_pylist() for name in batch.schema.names}
        pairs = list(zip(c["sig_a"], c["sig_b"], c["doi_a"], c["pmid_a"], c["doi_b"], c["pmid_b"], strict=True))
        js = _native._spark_verify(pairs)
        keep = [i for i, j in enumerate(js) if j is not None]
        yield pa.RecordBatch.from_pydict(
            {"a": [c["a"][i] for i in keep], "b": [c["b"][i] for i in keep], "j": [js[i] for i in keep]},
            schema=pa.schema([("a", pa.int64()), ("b", pa.int64()), ("j", pa.float64())]),
        )


def _families(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        out: list[str] = []
        for members, edges in zip(batch.column("members").to_pylist(), batch.column("edges").to_pylist(), strict=True):
            members = sorted(members, key=lambda m: m["pos"])
            edges = sorted(edges, key=lambda e: (e["a"], e["b"]))
            # The sum in corpus order of the pairs, as find_families adds them.
            total = 0.0
            for e in edges:
                total += e["j"]
            mean = total / len(edges) if edges else 0.0
            out.append(_native._spark_family([m["payload"] for m in members], mean))
        yield pa.RecordBatch.from_pydict({"family": out}, schema=pa.schema([("family", pa.string())]))


def _components(spark: Any, edges: Any, steps: dict[str, Any] | None = None) -> Any:
    """Connected components of ``edges(a, b)``: ``(v, root)`` with ``root`` the smallest position in the
    component, by min-label propagation (each round one join and one group-by)."""
    from pyspark.sql import functions as F

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).unionByName(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    labels = both.select(F.col("src").alias("v")).distinct().withColumn("root", F.col("v")).localCheckpoint()
    rounds = 0
    while True:
        rounds += 1
        pushed = both.join(labels, both.src == labels.v).select(F.col("dst").alias("v"), F.col("root"))
        new = pushed.unionByName(labels).groupBy("v").agg(F.min("root").alias("root")).localCheckpoint()
        changed = new.alias("n").join(labels.alias("o"), "v").where(F.col("n.root") != F.col("o.root")).count()
        labels = new
        if changed == 0:
            if steps is not None:
                steps["component_rounds"] = rounds
                steps["works_in_families"] = labels.count()
            return labels


def scan(
    spark: Any,
    corpus: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    lexicons: Sequence[str | os.PathLike[str]] = (),
    lists: Sequence[str | os.PathLike[str]] = (),
    list_format: str | None = None,
    list_date: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    measure: bool = False,
) -> ScanResult:
    """Run the scan of ``corpus`` (a directory written by ``byline ingest``) on ``spark``; with ``out``, write
    ``families.json`` and ``findings.json`` there as ``byline scan --out`` does. With ``measure``, count the
    rows and bytes of each step (``ScanResult.steps``; extra Spark jobs)."""
    from pyspark.sql import functions as F

    corpus = os.path.abspath(os.fspath(corpus))
    options = ScanOptions(
        lexicons=tuple(os.path.abspath(os.fspath(p)) for p in lexicons),
        lists=tuple(os.fspath(p) for p in lists),
        list_format=list_format,
        list_date=list_date,
        select=tuple(select),
        ignore=tuple(ignore),
    )
    options.kernel(corpus)  # the options are checked on the driver before any task starts
    with open(os.path.join(corpus, "manifest.json"), encoding="utf-8") as f:
        parts = sorted(json.load(f)["parts"])
    if not parts:
        return ScanResult("[]\n", "[]\n", 0, 0)
    part_df = spark.createDataFrame([(i, p) for i, p in enumerate(parts)], "rank int, part string").repartition(
        len(parts), "rank"
    )
    rows = part_df.mapInArrow(_part_rows(corpus, options), ROWS_SCHEMA).persist()
    works = rows.where(F.col("kind") == "work").select("pos", "doi", "pmid", "sig", "bands")
    n_works = works.count()

    keys = works.where(F.col("sig").isNotNull()).select("pos", F.posexplode("bands").alias("band", "key"))
    buckets = (
        keys.groupBy("band", "key").agg(F.array_sort(F.collect_list("pos")).alias("m")).where(F.size("m") > 1).select("m")
    )
    candidates = buckets.mapInArrow(_bucket_pairs, "a long, b long").distinct()
    sigs = works.select("pos", "sig", "doi", "pmid")
    sa = sigs.select(
        F.col("pos").alias("a"), F.col("sig").alias("sig_a"), F.col("doi").alias("doi_a"), F.col("pmid").alias("pmid_a")
    )
    sb = sigs.select(
        F.col("pos").alias("b"), F.col("sig").alias("sig_b"), F.col("doi").alias("doi_b"), F.col("pmid").alias("pmid_b")
    )
    verified = candidates.join(sa, "a").join(sb, "b").mapInArrow(_verify, "a long, b long, j double").persist()

    steps: dict[str, Any] | None = None
    if measure:
        w = works.select(
            F.sum(F.coalesce(F.length("sig"), F.lit(0))).alias("sig"),
            F.sum(F.coalesce(F.size("bands"), F.lit(0))).alias("bands"),
            F.sum(F.coalesce(F.length("doi"), F.lit(0)) + F.coalesce(F.length("pmid"), F.lit(0))).alias("ids"),
        ).first()
        steps = {
            "works": n_works,
            "signature_bytes": int(w["sig"] or 0),
            "band_rows": int(w["bands"] or 0),
            "doi_pmid_bytes": int(w["ids"] or 0),
            "buckets_with_pairs": buckets.count(),
            "candidate_pairs": candidates.count(),
            "verified_pairs": verified.count(),
        }
    families_json: list[str] = []
    if verified.limit(1).count() > 0:
        comp = _components(spark, verified, steps)
        # Only the members are rebuilt, from their parts (one task a part): the per-work rows carry no text.
        wanted = (
            comp.select(F.shiftright("v", 32).cast("int").alias("rank"), (F.col("v") % (1 << 32)).alias("row"))
            .groupBy("rank")
            .agg(F.collect_list("row").alias("rows"))
            .join(part_df, "rank")
        )
        member_rows = wanted.mapInArrow(_member_rows(corpus, options), "pos long, payload string")
        if steps is not None:
            steps["member_payload_bytes"] = int(member_rows.select(F.sum(F.length("payload"))).first()[0] or 0)
        members = (
            comp.join(member_rows.select(F.col("pos").alias("v"), "payload"), "v")
            .groupBy("root")
            .agg(F.collect_list(F.struct(F.col("v").alias("pos"), "payload")).alias("members"))
        )
        edges = (
            verified.join(comp.select(F.col("v").alias("a"), "root"), "a")
            .groupBy("root")
            .agg(F.collect_list(F.struct("a", "b", "j")).alias("edges"))
        )
        fam = members.join(edges, "root").select("members", "edges").mapInArrow(_families, "family string")
        families_json = [r.family for r in fam.collect()]
    findings = [
        r.payload for r in rows.where(F.col("kind") == "finding").select("pos", "payload").orderBy("pos").collect()
    ]
    rows.unpersist()
    verified.unpersist()
    fam_text, find_text = _native._spark_finish(families_json, findings)
    if out is not None:
        os.makedirs(out, exist_ok=True)
        for name, text in (("families.json", fam_text), ("findings.json", find_text)):
            tmp = os.path.join(out, f".{name}.tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, os.path.join(out, name))
    return ScanResult(fam_text, find_text, len(parts), n_works, steps)


@dataclass
class NetworkResult:
    """What :func:`network` built: the summary ``byline network --format json`` prints and the files written."""

    summary: dict[str, Any]
    files: list[str]
    parts: int
    #: With ``measure=True``: rows and bytes of each step (extra Spark actions; for planning a cluster).
    steps: dict[str, Any] | None = None


def _authorship_rows(corpus: str):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for rank, part in zip(batch.column("rank").to_pylist(), batch.column("part").to_pylist(), strict=True):
                rows = _native._spark_authorships(corpus, part, rank)
                yield pa.RecordBatch.from_arrays(
                    [pa.array([r[0] for r in rows], pa.string()), pa.array([r[1] for r in rows], pa.string())],
                    names=["block", "member"],
                )

    return run


def _resolve_blocks(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        out = _native._spark_resolve_blocks(batch.column("members").to_pylist())
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([a[0] for a in out], pa.string()),
                pa.array([a[1] for a in out], pa.int32()),
                pa.array([a[2] for a in out], pa.string()),
                pa.array([a[3] for a in out], pa.string()),
            ],
            names=["work_id", "position", "person", "name"],
        )


def network(
    spark: Any,
    corpus: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    seed: int = 7,
    measure: bool = False,
) -> NetworkResult:
    """The co-author network of ``corpus`` (``byline network --corpus CORPUS --kind coauthor --out OUT --seed
    SEED``) on ``spark``: identities resolved block by block, the edges aggregated by Spark, the communities and
    files on the driver. ``out`` is one path or several (the extension picks the format: ``.graphml``,
    ``.gexf``, ``.vosviewer``); each file is written as ``byline network`` writes it. With ``measure``, count
    the rows and bytes of each step (``NetworkResult.steps``; extra Spark jobs)."""
    from pyspark.sql import functions as F

    corpus = os.path.abspath(os.fspath(corpus))
    outs = [os.fspath(out)] if isinstance(out, (str, os.PathLike)) else [os.fspath(o) for o in out]
    with open(os.path.join(corpus, "manifest.json"), encoding="utf-8") as f:
        parts = sorted(json.load(f)["parts"])
    if not parts:
        summary_json, files = _native._spark_network([], [], seed, outs)
        return NetworkResult(json.loads(summary_json), files, 0)
    part_df = spark.createDataFrame([(i, p) for i, p in enumerate(parts)], "rank int, part string").repartition(
        len(parts), "rank"
    )
    authorships = part_df.mapInArrow(_authorship_rows(corpus), "block string, member string")
    blocks = authorships.groupBy("block").agg(F.collect_list("member").alias("members")).select("members")
    assigned = blocks.mapInArrow(
        _resolve_blocks, "work_id string, position int, person string, name string"
    ).persist()
    # A person's label: the name on their first work (smallest work id, then smallest name there).
    nodes = assigned.groupBy("person").agg(
        F.min(F.struct("work_id", "name")).getField("name").alias("label"),
        F.countDistinct("work_id").alias("works"),
    )
    on_work = assigned.select("work_id", "person").distinct()
    kept = (
        on_work.groupBy("work_id")
        .agg(F.count("*").alias("n"))
        .where(F.col("n") <= _native._MAX_AUTHORS_PER_WORK)
        .select("work_id")
    )
    members = on_work.join(kept, "work_id")
    pairs = (
        members.alias("x")
        .join(members.alias("y"), "work_id")
        .where(F.col("x.person") < F.col("y.person"))
        .select(F.col("x.person").alias("a"), F.col("y.person").alias("b"))
    )
    edges = pairs.groupBy("a", "b").agg(F.count("*").alias("works"))
    steps: dict[str, Any] | None = None
    if measure:
        a = authorships.select(
            F.count("*").alias("rows"), F.sum(F.length("block") + F.length("member")).alias("bytes")
        ).first()
        s = assigned.select(
            F.count("*").alias("rows"),
            F.sum(F.length("work_id") + F.length("person") + F.length("name") + F.lit(4)).alias("bytes"),
        ).first()
        p = pairs.select(F.count("*").alias("rows"), F.sum(F.length("a") + F.length("b")).alias("bytes")).first()
        e = edges.select(F.count("*").alias("rows"), F.sum(F.length("a") + F.length("b") + F.lit(8)).alias("bytes")).first()
        steps = {
            "authorship_rows": int(a["rows"]),
            "authorship_bytes": int(a["bytes"] or 0),
            "blocks": blocks.count(),
            "assignment_rows": int(s["rows"]),
            "assignment_bytes": int(s["bytes"] or 0),
            "work_person_rows": on_work.count(),
            "pair_rows": int(p["rows"]),
            "pair_bytes": int(p["bytes"] or 0),
            "edge_rows": int(e["rows"]),
            "edge_bytes": int(e["bytes"] or 0),
        }
    node_rows = [(r.person, r.label, r.works) for r in nodes.collect()]
    edge_rows = [(r.a, r.b, r.works) for r in edges.collect()]
    assigned.unpersist()
    for o in outs:
        parent = os.path.dirname(os.path.abspath(o))
        os.makedirs(parent, exist_ok=True)
    summary_json, files = _native._spark_network(node_rows, edge_rows, seed, outs)
    return NetworkResult(json.loads(summary_json), files, len(parts), steps)


def _signed(t: pa.DataType) -> pa.DataType:
    """``t`` with every unsigned integer as the signed type Spark has (uint8→short, uint16→int, uint32 and
    uint64→long; a uint64 beyond a long fails the cast rather than wrap)."""
    if pa.types.is_unsigned_integer(t):
        return {8: pa.int16(), 16: pa.int32()}.get(t.bit_width, pa.int64())
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return pa.list_(pa.field(t.value_field.name, _signed(t.value_type), t.value_field.nullable))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, _signed(f.type), f.nullable) for f in t])
    return t


def _read_files(table: str, records_per_batch: int, format: str | None, schema: pa.Schema):
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from . import read as read_file

        for batch in batches:
            for path in batch.column("path").to_pylist():
                for rb in read_file(path, table=table, records_per_batch=records_per_batch, format=format):
                    yield rb.cast(schema)

    return run


def read(
    spark: Any,
    paths: Sequence[str | os.PathLike[str]],
    *,
    table: str = "works",
    records_per_batch: int = 20_000,
    format: str | None = None,
) -> Any:
    """Raw input files (PubMed/MEDLINE XML, JATS, Crossref/OpenAlex JSON(L), … as ``byline ingest`` reads them) as
    a Spark DataFrame of one corpus table with ``byline ingest``'s columns (unsigned integers as the next signed
    type: Spark has none): one task a file, each running
    :func:`byline.read` in a ``mapInArrow``. The files must be readable at the same path by every executor.
    Rows come in file order within a task; sort or write as you need."""
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    from . import TABLES
    from . import read as read_file

    if table not in TABLES:
        raise ValueError(f"unknown table '{table}': byline's corpus tables are {', '.join(TABLES)}")
    files = [os.path.abspath(os.fspath(p)) for p in paths]
    if not files:
        raise ValueError("no input file given")
    for f in files:
        if not os.path.isfile(f):
            raise FileNotFoundError(f"{f}: no such file")
    # The table's schema, from the readers themselves (the first batch of the first file is not waited for).
    native = read_file(files[0], table=table, records_per_batch=1, format=format).schema
    spark_schema = from_arrow_schema(pa.schema([pa.field(f.name, _signed(f.type), f.nullable) for f in native]))
    arrow_schema = to_arrow_schema(spark_schema)
    paths_df = spark.createDataFrame([(i, f) for i, f in enumerate(files)], "i int, path string").repartition(
        len(files), "i"
    )
    return paths_df.mapInArrow(_read_files(table, records_per_batch, format, arrow_schema), spark_schema)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m byline.spark CORPUS --out DIR [--lexicon F] [--list F] [--ignore CODES]`` (``spark-submit``);
    ``python -m byline.spark CORPUS --network FILE [--seed N]`` writes the co-author network instead."""
    import argparse

    from pyspark.sql import SparkSession

    p = argparse.ArgumentParser(prog="byline.spark", description=__doc__.split("\n\n")[0])
    p.add_argument("corpus")
    p.add_argument("--out")
    p.add_argument("--network", help="write the co-author network here (.graphml, .gexf, .vosviewer)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--lexicon", action="append", default=[])
    p.add_argument("--list", action="append", default=[])
    p.add_argument("--select", default="")
    p.add_argument("--ignore", default="")
    a = p.parse_args(argv)
    if (a.out is None) == (a.network is None):
        p.error("give --out (the scan) or --network (the co-author network)")
    spark = SparkSession.builder.appName("byline-scan" if a.network is None else "byline-network").getOrCreate()
    if a.network is not None:
        n = network(spark, a.corpus, out=a.network, seed=a.seed)
        s = n.summary
        print(f"{s['nodes']} nodes, {s['edges']} edges, {s['components']} components, {s['communities']} "
              f"communities → {', '.join(n.files)}")
        return 0
    split = lambda s: [c for c in s.split(",") if c]  # noqa: E731
    r = scan(spark, a.corpus, out=a.out, lexicons=a.lexicon, lists=a.list, select=split(a.select), ignore=split(a.ignore))
    print(f"{r.works} works in {r.parts} parts: {len(r.families)} families, {len(r.findings)} findings → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
