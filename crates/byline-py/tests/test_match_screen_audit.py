"""ROR matching on real gold pairs, screening against a CLI-built index, and the audit's file-based Japanese
disclosures (researchmap, the KAKEN institution master): answers compared with the CLI's or with gold data."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import polars as pl
import pytest

import byline

from conftest import run

REPO = Path(__file__).resolve().parents[3]
RESEARCHMAP = REPO / "crates/byline-fetch/tests/fixtures/researchmap"


def test_match_ror_finds_the_gold_organisation(shared: Path) -> None:
    """The first 40 pairs of the Springer Nature gold file whose gold ROR id is in the (partial) registry."""
    entities = shared / "entities"
    registry = entities / "ror_records_v2.json.gz"
    with gzip.open(registry, "rt", encoding="utf-8") as f:
        known = {r["id"].removeprefix("https://ror.org/") for r in json.load(f)}
    with (entities / "ror_gold_springer_nature.tsv").open(encoding="utf-8") as f:
        gold = [
            (r["affiliation"], r["ror_id"].removeprefix("https://ror.org/"))
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        ]
    rows = [(a, g) for a, g in gold if g in known][:40]
    assert len(rows) == 40
    found = byline.match_ror([a for a, _ in rows] + ["zzzz qqqq xxxx"], registry)
    assert len(found) == 41
    assert found[-1] is None  # no organisation in a string of no words
    right = [g for (_, g), m in zip(rows, found) if m is not None and m["ror_id"] == g]
    wrong = [(a, g, m["ror_id"]) for (a, g), m in zip(rows, found) if m is not None and m["ror_id"] != g]
    # The matcher accepts only confident matches: most pairs found, and few found wrong.
    print(f"match_ror: {len(right)} right, {len(wrong)} wrong, {40 - len(right) - len(wrong)} unmatched of 40")
    assert len(right) >= 36, (len(right), wrong)
    assert len(wrong) <= 2, wrong
    for m in found[:-1]:
        if m is not None:
            assert 0.0 <= m["score"] <= 1.0 and m["display_name"]


SUBMISSION_AUTHORS = [
    {"name": "Quentin Arbuthnot", "affiliations": ["Department of Zoology, Nowhere Institute, Iceland"],
     "email": "q.arbuthnot@nowhere.is", "country": "IS"},
]


def test_screen_equals_the_cli_json(generated_corpus: Path, byline_bin: Path, tmp_path: Path) -> None:
    index = tmp_path / "corpus.bylidx"
    run([byline_bin, "index", "-q", "--corpus", generated_corpus, "--out", index])
    works = pl.read_parquet(generated_corpus / "works" / "*.parquet").filter(
        pl.col("abstract").is_not_null() & pl.col("title").is_not_null()
    ).sort("work_id")
    work = works.row(0, named=True)
    resubmitted = tmp_path / "resubmitted.json"
    resubmitted.write_text(json.dumps({"title": work["title"], "abstract": work["abstract"],
                                       "authors": SUBMISSION_AUTHORS}))
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({
        "title": "Seasonal nitrogen fixation by cyanobacterial crusts in a subarctic heath",
        "abstract": "We measured acetylene reduction in biological soil crusts at twelve plots over three growing "
                    "seasons. Fixation peaked after snowmelt and declined with summer drought, and crust cover "
                    "explained most of the variation between plots.",
        "authors": SUBMISSION_AUTHORS,
    }))
    cli = json.loads(run([byline_bin, "screen", resubmitted, clean, "--index", index, "--format", "json"]).stdout)
    py = byline.screen([resubmitted, clean], index)
    strip = lambda subs: [{k: v for k, v in s.items() if k != "elapsed_ms"} for s in subs]  # noqa: E731
    assert strip(py) == strip(cli["submissions"])
    assert [s["path"] for s in py] == [str(resubmitted), str(clean)]
    # The resubmitted work finds itself in the index; the unrelated text finds nothing and is cleared.
    assert any(m["work"]["work_id"] == work["work_id"] for m in py[0]["matches"]), py[0]["matches"]
    assert py[1]["verdict"] == "clear" and py[1]["matches"] == []
    assert byline.screen(clean, index)[0]["verdict"] == "clear"
    with pytest.raises(byline.BylineError):
        byline.screen([clean], tmp_path / "missing.bylidx")


def _pubmed(tmp: Path, byline_bin: Path, articles: list[tuple[int, int, str, str, str]]) -> Path:
    """A corpus of PubMed records: (pmid, year, author "Family, Given", affiliation, GrantList XML)."""
    recs = []
    for pmid, year, author, aff, grants in articles:
        family, given = author.split(", ")
        recs.append(
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
            f'<Article PubModel="Print"><Journal><JournalIssue><PubDate><Year>{year}</Year></PubDate>'
            f"</JournalIssue><Title>J</Title></Journal><ArticleTitle>Study {pmid}</ArticleTitle><AuthorList>"
            f'<Author ValidYN="Y"><LastName>{family}</LastName><ForeName>{given}</ForeName>'
            f"<AffiliationInfo><Affiliation>{aff}</Affiliation></AffiliationInfo></Author>"
            f"</AuthorList>{grants}</Article></MedlineCitation></PubmedArticle>"
        )
    xml = tmp / "works.xml"
    xml.write_text('<?xml version="1.0"?>\n<PubmedArticleSet>' + "\n".join(recs) + "</PubmedArticleSet>\n",
                   encoding="utf-8")
    run([byline_bin, "ingest", "-q", xml, "--out", tmp / "corpus"], ok=(0,))
    return tmp / "corpus"


def _codes(out: dict, code: str) -> list[str]:
    return sorted(f["subject"]["raw"] for f in out["disclosure_findings"] if f["code"] == code)


def test_audit_researchmap_disclosure_equals_the_cli_json(tmp_path: Path, byline_bin: Path) -> None:
    """Kyosuke Takami's real researchmap items (the fixtures' SOURCE.md): his KAKENHI grant JP23K17012 is in
    the research projects, an NIH grant is not."""
    jsps = ("<GrantList CompleteYN=\"Y\"><Grant><GrantID>JP23K17012</GrantID><Agency>Japan Society for the "
            "Promotion of Science</Agency><Country>Japan</Country></Grant></GrantList>")
    nih = ("<GrantList CompleteYN=\"Y\"><Grant><GrantID>R01 NS000002</GrantID><Agency>NIH HHS</Agency>"
           "<Country>United States</Country></Grant></GrantList>")
    corpus = _pubmed(tmp_path, byline_bin, [
        (9200001, 2024, "Takami, Kyosuke", "National Institute for Educational Policy Research, Tokyo, Japan.", jsps),
        (9200002, 2024, "Takami, Kyosuke", "Shenzhen Institute of Neural Engineering, Shenzhen, China.", nih),
    ])
    files = [RESEARCHMAP / "takami-lab-site-published_papers-items.json",
             RESEARCHMAP / "takami-lab-site-research_projects-items.json"]
    projects = json.loads(files[1].read_text(encoding="utf-8"))
    assert "JP23K17012" in json.dumps(projects) or "23K17012" in json.dumps(projects)
    disclosure = "researchmap:" + ",".join(str(f) for f in files)
    cli = json.loads(run([byline_bin, "audit", "-q", "--corpus", corpus, "--name", "Takami, Kyosuke",
                          "--disclosure", disclosure, "--format", "json"]).stdout)
    py = byline.audit(corpus, name="Takami, Kyosuke", disclosure=disclosure)
    assert py == cli
    assert _codes(py, "FUN001") == ["NIH HHS"]
    # Another format under researchmap: the CLI's error, naming the file.
    kaken = tmp_path / "kaken.json"
    kaken.write_text('{"researchers": [{"id:person:erad": ["1"]}]}')
    p = run([byline_bin, "audit", "-q", "--corpus", corpus, "--name", "Takami, Kyosuke", "--disclosure",
             f"researchmap:{kaken}"], ok=(1,))
    with pytest.raises(byline.BylineError) as e:
        byline.audit(corpus, name="Takami, Kyosuke", disclosure=f"researchmap:{kaken}")
    assert str(e.value) == p.stderr.strip().removeprefix("byline: error: ")
    assert str(kaken) in str(e.value)


def test_audit_kaken_institutions_equals_the_cli_json(shared: Path, tmp_path: Path, byline_bin: Path) -> None:
    """Taishin Nomura's KAKEN record declares Osaka University; his works write it in Japanese, abbreviated
    and in English. With the KAKEN institution master the Japanese forms are the declared institution."""
    kaken = shared / "jp/kaken_researchers_sample.json"
    master = shared / "jp/kaken_institution_master.csv"
    affs = ["大阪大学 大学院・基礎工学研究科", "Osaka University, Graduate School of Engineering Science, Professor",
            "Osaka Univ., Grad. Sch. Eng. Sci.", "阪大", "Shenzhen Institute of Neural Engineering, Shenzhen, China."]
    corpus = _pubmed(tmp_path, byline_bin,
                     [(9300001 + i, 2014 + i, "Nomura, Taishin", a, "") for i, a in enumerate(affs)])
    args = [byline_bin, "audit", "-q", "--corpus", corpus, "--name", "Nomura, Taishin", "--disclosure",
            f"kaken:{kaken}", "--format", "json"]
    with_cli = json.loads(run(args + ["--kaken-institutions", master]).stdout)
    without_cli = json.loads(run(args).stdout)
    with_py = byline.audit(corpus, name="Nomura, Taishin", disclosure=f"kaken:{kaken}",
                           kaken_institutions=master)
    without_py = byline.audit(corpus, name="Nomura, Taishin", disclosure=f"kaken:{kaken}")
    assert with_py == with_cli
    assert without_py == without_cli
    assert _codes(with_py, "AFF002") == ["Shenzhen Institute of Neural Engineering"]
    assert len(_codes(without_py, "AFF002")) > 1
    with pytest.raises(byline.BylineError, match="KAKEN institution master"):
        byline.audit(corpus, name="Nomura, Taishin", kaken_institutions=kaken)
