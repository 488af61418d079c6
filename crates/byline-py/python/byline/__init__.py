"""byline from Python: the readers and detectors of the `byline` CLI, without re-implementing any.

- :func:`read` — an input file (PubMed/MEDLINE XML, JATS, Crossref/OpenAlex JSON(L), WoS, Scopus CSV, RIS,
  BibTeX, MEDLINE text; gzip or not) as a :class:`pyarrow.RecordBatchReader` with the corpus schema
  (``byline ingest``'s tables); :func:`count` — a file's accounting.
- :func:`minhash`, :func:`template_families`, :func:`tortured_phrases` — paper-mill signals of texts.
- :func:`match_lists`, :func:`match_ror` — affiliation strings against screening lists and the ROR registry.
- :func:`screen` — submissions against an index built by ``byline index``.
- :func:`audit` — one researcher's audit: the same JSON as ``byline audit --format json``.
- :mod:`byline.spark` — the scan's kernels on Apache Spark (``mapInArrow``).

The text arguments (``texts``, ``affiliations``) take a sequence of ``str`` or an Arrow string column — a polars
``Series``, a pyarrow ``Array`` or ``ChunkedArray``, anything with ``__arrow_c_stream__`` or ``__arrow_c_array__``
— which is read in place, with no Python string made (a null is a missing text). Every function releases the GIL
while it works. Errors raise :class:`BylineError` (or :class:`InputError`,
:class:`CorpusError`) with the message the CLI prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from . import _native
from ._native import BylineError, CorpusError, InputError

__all__ = [
    "BylineError",
    "CorpusError",
    "InputError",
    "__version__",
    "audit",
    "count",
    "match_lists",
    "match_ror",
    "minhash",
    "read",
    "screen",
    "template_families",
    "tortured_phrases",
]

__version__: str = _native.__version__

PathLike = str | os.PathLike[str]

# A text column: a sequence of str, or any object with the Arrow PyCapsule interface (read without copying).
Texts = Sequence[str | None] | Any


def _texts(texts: Texts) -> Any:
    """An Arrow column as it is (the native side imports it through the C interface), else a list."""
    if hasattr(texts, "__arrow_c_stream__") or hasattr(texts, "__arrow_c_array__"):
        return texts
    if isinstance(texts, (str, bytes)):
        raise TypeError("expected a sequence of texts, got one string")
    return list(texts)


TABLES = ("works", "authorships", "affiliations", "funding", "references", "relations", "diagnostics", "deleted")


def read(
    path: PathLike,
    *,
    table: str = "works",
    records_per_batch: int = 20_000,
    format: str | None = None,
) -> pa.RecordBatchReader:
    """Read an input file as record batches of one corpus table (default ``works``).

    The file is read in a background thread, one record at a time, and a batch is handed over every
    ``records_per_batch`` works, so memory stays bounded. ``table="diagnostics"`` gives the records the file
    rejected and the warnings (file, position, reason), as ``byline ingest`` stores them. The batches cross
    into pyarrow through the Arrow C stream interface: numeric columns are not copied.

    ``format`` forces a reader (``pubmed``, ``jats``, ``crossref``, ``openalex``, ``wos``, ``scopus``, ``ris``,
    ``bibtex``, ``medline``) instead of sniffing the content.

    Raises :class:`InputError` when the file cannot be read (the message names the file and the position, as
    ``byline ingest`` does), after the batches read before the failure; :class:`ValueError` for an unknown
    table or format.
    """
    stream = _native._read(os.fspath(path), table, records_per_batch, format)
    inner = pa.RecordBatchReader.from_stream(stream)

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from inner
        except pa.ArrowException as e:  # the C stream failed: keep byline's message
            raise InputError(stream.error() or str(e)) from e
        err = stream.error()
        if err is not None:
            raise InputError(err)

    return pa.RecordBatchReader.from_batches(inner.schema, batches())


def count(path: PathLike, *, format: str | None = None) -> dict[str, Any]:
    """Read a file to its end and return its accounting, as ``byline ingest`` records it in the manifest.

    Keys: ``path``, ``format``, ``bytes``, ``records_seen`` (= ``works`` + ``rejected``), ``works``,
    ``rejected``, ``warnings``, ``deleted``, ``file_error``, ``skipped``. Raises :class:`InputError` for a file
    that fails or that is of no format byline reads.
    """
    return dict(_native._count(os.fspath(path), format))


def minhash(
    texts: Texts,
    *,
    masked: bool = False,
    num_perm: int = 128,
    shingle_words: int = 3,
    seed: int | None = None,
) -> list[list[int] | None]:
    """MinHash signatures (``num_perm`` 16-bit values) of each text; ``None`` for a text without a token.

    With ``masked=True`` the text is masked first as template families (``TPL001``) mask it, so two texts
    built from one template with the gene, miRNA, disease or cell line swapped get near-equal signatures.
    The fraction of equal values estimates the Jaccard similarity of the texts' word-3-shingles.
    """
    return _native._minhash(_texts(texts), masked=masked, num_perm=num_perm, shingle_words=shingle_words, seed=seed)


def template_families(
    texts: Texts,
    *,
    ids: Sequence[str] | None = None,
    titles: Sequence[str | None] | None = None,
) -> list[dict[str, Any]]:
    """Template families (``TPL001``) among texts (abstracts; with ``titles``, title + abstract as the scan reads
    them). Each family is a dict as in ``byline scan``'s ``families.json``: ``family_id``, ``members`` (with
    ``work_id`` = the given id, or the text's index), ``skeleton``, ``mean_similarity``, …
    """
    if ids is not None and len(ids) != len(texts):
        raise ValueError("ids must have one id per text")
    if titles is not None and len(titles) != len(texts):
        raise ValueError("titles must have one title per text")
    id_list = [str(ids[i]) if ids is not None else str(i) for i in range(len(texts))]
    title_list = list(titles) if titles is not None else [None] * len(texts)
    return json.loads(_native._template_families(id_list, title_list, _texts(texts)))


def tortured_phrases(texts: Texts, lexicons: Sequence[PathLike]) -> list[dict[str, Any] | None]:
    """Tortured phrases (``TOR001``) in each text against lexicon files (a Problematic Paper Screener CSV, the
    torturedcheck JSON or a TSV; byline ships none), minus byline's reviewed allow-list. One dict per text:
    ``words``, ``total_hits``, ``distinct``, ``per_1k_words``, ``grade``, ``phrases`` as
    ``[tortured, expected, count]``; ``None`` for a null text.
    """
    return [
        None if s is None else json.loads(s)
        for s in _native._tortured_phrases(_texts(texts), [os.fspath(p) for p in lexicons])
    ]


def match_lists(
    affiliations: Texts,
    lists: Sequence[PathLike],
    *,
    list_format: str | None = None,
    list_date: str | None = None,
) -> list[list[dict[str, Any]]]:
    """Screening-list matches (``LST001``) of each affiliation string: for each, the list entries it names.

    ``lists`` are files as ``byline scan --list`` takes them (``FILE`` or ``FORMAT:FILE``), each recognised
    from its content; a file of no known list format raises :class:`BylineError`.
    """
    return [
        json.loads(s)
        for s in _native._match_lists(
            _texts(affiliations), [os.fspath(p) for p in lists], list_format=list_format, list_date=list_date
        )
    ]


def match_ror(affiliations: Texts, registry: PathLike) -> list[dict[str, Any] | None]:
    """The best ROR organisation of each affiliation string (``None`` when none is good enough), from a ROR
    registry data dump (JSON or the zip)."""
    return [None if s is None else json.loads(s) for s in _native._match_ror(_texts(affiliations), os.fspath(registry))]


def screen(submissions: PathLike | Sequence[PathLike], index: PathLike) -> list[dict[str, Any]]:
    """Screen submission files (JSON/TOML as ``byline screen`` takes them, or JATS/PubMed…) against an index
    built by ``byline index``: one verdict per submission, as in ``byline screen --format json``."""
    paths = [submissions] if isinstance(submissions, (str, os.PathLike)) else list(submissions)
    return json.loads(_native._screen([os.fspath(p) for p in paths], os.fspath(index)))


def audit(
    corpus: PathLike,
    *,
    orcid: str | None = None,
    name: str | None = None,
    affiliation: str | None = None,
    disclosure: PathLike | None = None,
    ror: PathLike | None = None,
    kaken_institutions: PathLike | None = None,
    programmes: PathLike | None = None,
    lists: Sequence[PathLike] = (),
    list_format: str | None = None,
    list_date: str | None = None,
    lexicons: Sequence[PathLike] = (),
    retractions: PathLike | None = None,
    hyper_prolific: int | None = None,
) -> dict[str, Any]:
    """Audit one researcher in a corpus written by ``byline ingest``: the dict ``byline audit --format json``
    prints for the same options (computed by the same function, byline-app's ``run_audit``).

    ``disclosure`` is spelled as ``byline audit --disclosure`` takes it: a disclosure file (YAML or JSON:
    appointments, affiliations, funders with dates); ``"kaken:FILE"``, a KAKEN researcher record (NII
    researcher API JSON; with several researchers in the file, the one ``name`` names);
    ``"researchmap:FILE[,FILE…]"``, a researchmap record (its API's JSON: the whole record, or list answers
    such as ``published_papers`` and ``research_projects``); or ``"orcid"``, which needs the ORCID record only
    the CLI's ``--fetch`` provides (here it raises :class:`BylineError`). Records are read from files only:
    fetching a KAKEN or researchmap record (the CLI's ``--kaken-id``, ``--researchmap``) is not offered here.

    ``ror`` (a ROR data dump) compares the disclosure by organisation; ``kaken_institutions`` (the KAKEN
    institution master CSV, ``--kaken-institutions``) makes a Japanese institution one institution however it
    is written (Japanese, English, abbreviated).
    """
    fs = lambda p: None if p is None else os.fspath(p)  # noqa: E731
    out = _native._audit(
        os.fspath(corpus),
        orcid=orcid,
        name=name,
        affiliation=affiliation,
        disclosure=fs(disclosure),
        ror=fs(ror),
        kaken_institutions=fs(kaken_institutions),
        programmes=fs(programmes),
        lists=[os.fspath(p) for p in lists],
        list_format=list_format,
        list_date=list_date,
        lexicons=[os.fspath(p) for p in lexicons],
        retractions=fs(retractions),
        hyper_prolific=hyper_prolific,
    )
    return json.loads(out)
