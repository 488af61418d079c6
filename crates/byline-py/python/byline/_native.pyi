"""Type stubs of the native part of `byline` (Rust, pyo3). Use the wrappers in `byline` and `byline.spark`."""

from typing import Any

__version__: str

class BylineError(Exception):
    """An error from byline, with the message the CLI prints."""

class InputError(BylineError):
    """A file byline cannot read: the message names the file and the position."""

class CorpusError(BylineError):
    """A corpus directory that cannot be opened or read."""

class ArrowStream:
    """An Arrow C stream of one table of a file's records (the Arrow PyCapsule interface)."""
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    def error(self) -> str | None: ...
    def summary(self) -> dict[str, Any] | None: ...

def _read(path: str, table: str = "works", records_per_batch: int = 20000, format: str | None = None) -> ArrowStream: ...
def _count(path: str, format: str | None = None) -> dict[str, Any]: ...
def _minhash(
    texts: Any, *, masked: bool = False, num_perm: int = 128, shingle_words: int = 3, seed: int | None = None
) -> list[list[int] | None]: ...
def _template_families(ids: list[str], titles: list[str | None], texts: Any) -> str: ...
def _tortured_phrases(texts: Any, lexicons: list[str]) -> list[str | None]: ...
def _match_lists(
    affiliations: Any, lists: list[str], *, list_format: str | None = None, list_date: str | None = None
) -> list[str]: ...
def _match_ror(affiliations: Any, registry: str) -> list[str | None]: ...
def _screen(submissions: list[str], index: str) -> str: ...
def _audit(
    corpus: str,
    *,
    orcid: str | None = None,
    name: str | None = None,
    affiliation: str | None = None,
    disclosure: str | None = None,
    ror: str | None = None,
    kaken_institutions: str | None = None,
    programmes: str | None = None,
    lists: list[str] = ...,
    list_format: str | None = None,
    list_date: str | None = None,
    lexicons: list[str] = ...,
    retractions: str | None = None,
    hyper_prolific: int | None = None,
) -> str: ...

class PartKernel:
    """Scan's stage 1 for one corpus part at a time (the Spark job's `mapInArrow` kernel)."""
    def run(
        self, part: str, rank: int
    ) -> tuple[list[str], list[tuple[int, str, str | None, str | None, bytes | None, list[int] | None]]]: ...
    def members(self, part: str, rows: list[int]) -> list[str]: ...

def _spark_part_kernel(
    corpus: str,
    *,
    lexicons: list[str] = ...,
    lists: list[str] = ...,
    list_format: str | None = None,
    list_date: str | None = None,
    select: list[str] = ...,
    ignore: list[str] = ...,
) -> PartKernel: ...
def _spark_verify(
    pairs: list[tuple[bytes, bytes, str | None, str | None, str | None, str | None]],
) -> list[float | None]: ...
def _spark_family(members_json: list[str], mean_similarity: float) -> str: ...
def _spark_finish(families_json: list[str], findings_json: list[str]) -> tuple[str, str]: ...

_MAX_AUTHORS_PER_WORK: int

def _spark_authorships(corpus: str, part: str, rank: int) -> list[tuple[str, str]]: ...
def _spark_resolve_blocks(blocks: list[list[str]]) -> list[tuple[str, int, str, str]]: ...
def _spark_network(
    nodes: list[tuple[str, str, int]], edges: list[tuple[str, str, int]], seed: int, outs: list[str]
) -> tuple[str, list[str]]: ...
