"""The script scorer on tables built here, and the script gold fixtures themselves."""

from __future__ import annotations

import csv
import html
import importlib.util
import io
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import UsageError
from pipeline.evaluate_script import (
    ROLES,
    GoldDoc,
    format_scores,
    load_gold,
    overlap,
    score,
    score_tables,
)
from tests.conftest import FIXTURES

SCRIPT = FIXTURES / "script"
GOLD = SCRIPT / "gold.jsonl"
CREDITS = pa.map_(pa.string(), pa.list_(pa.string()))


def _doc_id(d: GoldDoc) -> str:
    return f"id-{d.name}"


def perfect(gold: list[GoldDoc]) -> dict[str, list[dict[str, Any]]]:
    """Rows a flawless run would give: every line a body segment with its role, and so on."""
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("articles", "segments", "quotes", "sentences")}  # fmt: skip
    for d in gold:
        doc = _doc_id(d)
        rows["articles"].append({
            "doc_id": doc, "source_path": d.source, "record": d.record,
            "reporters": list(d.reporters), "credits": list(d.credits.items()),
        })  # fmt: skip
        rows["segments"].append({"doc_id": doc, "seg_id": 0, "text": "header", "part": "header", "role": None})  # fmt: skip
        for n, (text, role) in enumerate(d.lines, 1):
            rows["segments"].append({"doc_id": doc, "seg_id": n, "text": text, "part": "body", "role": role})  # fmt: skip
        for q in d.quotes:
            rows["quotes"].append({"doc_id": doc, "speaker": q.speaker, "speaker_kind": q.speaker_kind, "text": q.text})  # fmt: skip
        seg_of = {text: n for n, (text, _) in reversed(list(enumerate(d.lines, 1)))}
        for line, sents in d.sentences:
            for k, sent in enumerate(sents):
                rows["sentences"].append({"doc_id": doc, "seg_id": seg_of[line], "sent_id": k, "text": sent})  # fmt: skip
    return rows


def tables(rows: dict[str, list[dict[str, Any]]]) -> dict[str, pa.Table | None]:
    """The rows as Arrow tables, `credits` as the map the contract gives it."""
    out: dict[str, pa.Table | None] = {}
    for name, r in rows.items():
        if name == "articles":
            types = {"credits": CREDITS, "record": pa.int32()}
            out[name] = pa.table(
                {k: pa.array([row[k] for row in r], type=types.get(k)) for k in r[0]}
            )
        else:
            out[name] = pa.Table.from_pylist(r)
    return out


def _gold_file(tmp_path: Path, docs: list[dict[str, Any]]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs))
    return path


SMALL = [
    {
        "source": "a.txt", "record": None,
        "lines": [
            {"text": "[앵커]", "role": "marker"},
            {"text": "첫 소식입니다. 비가 옵니다.", "role": "anchor"},
            {"text": "[기자]", "role": "marker"},
            {"text": "우산을 챙기세요.", "role": "report"},
            {"text": '[홍길동/시민 : "정말 많이 오네요."]', "role": "quote"},
            {"text": "KBS 뉴스 김기자입니다.", "role": "signoff"},
        ],
        "quotes": [
            {"speaker": "홍길동", "affiliation": "시민", "speaker_kind": "person",
             "text": "정말 많이 오네요.", "form": "block"},
            {"speaker": None, "affiliation": None, "speaker_kind": "unknown",
             "text": "우산은 필수", "form": "inline"},
        ],
        "reporters": ["김기자"], "credits": {"촬영기자": ["이촬영"]},
        "sentences": [{"line": "첫 소식입니다. 비가 옵니다.", "sents": ["첫 소식입니다.", "비가 옵니다."]}],
    },
    {
        "source": "feed.jsonl", "record": 1,
        "lines": [{"text": '"We will reopen," said Kim Min-su.', "role": "text"}],
        "quotes": [{"speaker": "Kim Min-su", "affiliation": None, "speaker_kind": "person",
                    "text": "We will reopen,", "form": "inline"}],
        "reporters": [], "credits": {},
        "sentences": [],
    },
]  # fmt: skip


def test_perfect_predictions_score_one(tmp_path: Path) -> None:
    gold = load_gold(_gold_file(tmp_path, SMALL))
    s = score_tables(gold, tables(perfect(gold)))
    figures = [s.roles, s.quote_precision, s.quote_recall, s.quote_kind, s.sentences, s.reporters, s.credits]  # fmt: skip
    assert [f.value for f in figures if f is not None] == [1.0] * 7
    totals = [f.total for f in (s.roles, s.quote_recall, s.quote_kind, s.sentences) if f]
    assert totals == [7, 2, 3, 2]
    assert s.misses == [] and s.absent == {}


def test_known_errors_give_the_exact_figures(tmp_path: Path) -> None:
    gold = load_gold(_gold_file(tmp_path, SMALL))
    rows = perfect(gold)
    segs = rows["segments"]
    segs[2]["role"] = "report"  # the anchor line called report
    del segs[5]  # the quote line is not a body segment at all
    segs.append({"doc_id": _doc_id(gold[0]), "seg_id": 9, "text": "■ 제보하기", "part": "body", "role": "text"})  # fmt: skip
    q = rows["quotes"]
    q[1]["speaker"], q[1]["speaker_kind"] = "그", "person"  # a pronoun taken for a speaker
    q[2]["speaker"] = "Kim"  # the right words, the wrong name
    q.append({"doc_id": _doc_id(gold[1]), "speaker": "Lee", "speaker_kind": "person", "text": "Nothing like it"})  # fmt: skip
    rows["sentences"] = [r for r in rows["sentences"] if r["text"] != "비가 옵니다."]
    rows["sentences"].append({"doc_id": _doc_id(gold[0]), "seg_id": 2, "sent_id": 1, "text": "비가 옵니다"})  # fmt: skip
    rows["articles"][0]["reporters"] = ["김기자", "이촬영"]
    s = score_tables(gold, tables(rows))
    assert (s.roles.hit, s.roles.total) == (5, 7)
    assert (s.by_role["anchor"].hit, s.by_role["quote"].hit, s.by_role["marker"].hit) == (0, 0, 2)
    assert (s.quote_precision.hit, s.quote_precision.total) == (1, 4)
    assert (s.quote_recall.hit, s.quote_recall.total) == (1, 2)
    assert (s.quote_kind.hit, s.quote_kind.total) == (2, 3)
    assert (s.sentences.hit, s.sentences.total) == (1, 2)
    assert (s.reporters.hit, s.reporters.total) == (1, 2)
    assert (s.credits.hit, s.credits.total) == (2, 2)
    text = format_scores(s, details=True)
    assert "role accuracy              0.714 (5/7)" in text
    assert "quote speaker precision    0.250 (1/4)" in text
    assert "miss: a.txt: no body segment for quote line" in text
    assert "miss: a.txt: role report for anchor line '첫 소식입니다. 비가 옵니다.'" in text


def test_a_missing_document_counts_wrong_everywhere(tmp_path: Path) -> None:
    gold = load_gold(_gold_file(tmp_path, SMALL))
    rows = perfect(gold)
    gone = _doc_id(gold[1])
    for name in rows:
        rows[name] = [r for r in rows[name] if r["doc_id"] != gone]
    s = score_tables(gold, tables(rows))
    assert (s.roles.hit, s.roles.total) == (6, 7)
    assert (s.quote_recall.hit, s.quote_recall.total) == (1, 2)
    assert (s.reporters.hit, s.reporters.total) == (1, 2)
    assert "feed.jsonl#1: no such document in articles" in s.misses


def test_repeated_lines_are_matched_in_order(tmp_path: Path) -> None:
    doc = {"source": "b.txt", "record": None, "quotes": [], "reporters": [], "credits": {},
           "lines": [{"text": "◀ 앵커 ▶", "role": "marker"}, {"text": "하나.", "role": "anchor"},
                     {"text": "◀ 앵커 ▶", "role": "marker"}, {"text": "둘.", "role": "anchor"}]}  # fmt: skip
    gold = load_gold(_gold_file(tmp_path, [doc]))
    rows = perfect(gold)
    rows["segments"][3]["role"] = "anchor"  # the second marker
    s = score_tables(gold, tables(rows))
    assert (s.roles.hit, s.by_role["marker"].hit) == (3, 1)


def test_absent_datasets_and_columns_are_said_not_raised(tmp_path: Path) -> None:
    gold = load_gold(_gold_file(tmp_path, SMALL))
    t = tables(perfect(gold))
    t["segments"] = t["segments"].drop(["role"])
    t["articles"] = t["articles"].drop(["reporters", "credits"])
    t["quotes"] = None
    t["sentences"] = t["sentences"].drop(["seg_id"])
    s = score_tables(gold, t)
    text = format_scores(s)
    assert "roles: not produced (segments have no role column)" in text
    assert "quote speaker recall       quotes: not produced (no quotes dataset)" in text
    assert "sentences: not produced (sentences have no seg_id column)" in text
    assert "reporters: not produced (articles have no reporters column)" in text
    s = score_tables(gold, {"articles": None})
    assert format_scores(s).count("not produced (no articles") == 7


def test_score_reads_a_processed_folder(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    gold_path = _gold_file(tmp_path, SMALL)
    out = tmp_path / "out"
    for name, table in tables(perfect(load_gold(gold_path))).items():
        (out / f"{name}.parquet").mkdir(parents=True)
        pq.write_table(table, out / f"{name}.parquet" / "part-0.parquet")
    assert score(gold_path, out).roles.value == 1.0
    with pytest.raises(UsageError, match=r"processed folder .* not found"):
        score(gold_path, tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{", "line 1: not JSON"),
        (
            '{"source": "a.txt", "lines": [{"text": "x", "role": "headline"}]}',
            "role 'headline' is not one of",
        ),
        (
            '{"source": "a.txt", "lines": [], "quotes": [{"speaker": "A", "speaker_kind": "unknown", "text": "x", "form": "block"}]}',
            "a speaker exactly when",
        ),
        (
            '{"source": "a.txt", "lines": [], "quotes": [{"speaker": null, "speaker_kind": "unknown", "text": "x", "form": "said"}]}',
            "form 'said'",
        ),
        ('{"lines": []}', "no 'source'"),
    ],
)
def test_a_bad_gold_file_is_one_line_naming_the_line(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(UsageError, match=message):
        load_gold(path)


def test_an_unreadable_dataset_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "articles.parquet").write_bytes(b"not parquet")
    with pytest.raises(UsageError, match=r"cannot read .*articles\.parquet"):
        score(_gold_file(tmp_path, SMALL), tmp_path / "out")


@given(st.text(max_size=40), st.text(max_size=40))
def test_overlap_is_symmetric_and_a_share(a: str, b: str) -> None:
    o = overlap(a, b)
    assert 0.0 <= o <= 1.0 and o == overlap(b, a)
    if any(c.isalnum() for c in a):
        assert overlap(a, a) == 1.0


def test_overlap_is_a_share_of_the_shorter_text() -> None:
    assert overlap('"We will reopen,"', "We will reopen, and soon") == 1.0
    assert overlap("abcd", "abxy") == 0.5
    assert overlap("", "abc") == 0.0


# ---------------------------------------------------------------------------------------------
# The fixtures: tests/fixtures/script/ (the gold the rules are worked against),
# tests/fixtures/script_blind/ and tests/fixtures/script_holdout/ (held-out golds nobody tunes
# to), each raw/ and gold.jsonl.


@dataclass(frozen=True)
class GoldSet:
    folder: Path
    formats: frozenset[str]
    docs: range
    speaker_quotes: int  # at least this many gold quotes with a speaker
    sentence_lines: int  # at least this many lines with gold sentences
    sentences: int  # and this many sentences in them

    def __str__(self) -> str:
        return self.folder.name


GOLD_SETS = [
    GoldSet(SCRIPT, frozenset({"txt", "jsonl", "csv", "html", "warc"}), range(20, 31), 40, 40, 60),
    GoldSet(FIXTURES / "script_blind", frozenset({"txt", "jsonl", "csv", "html"}), range(12, 17), 30, 40, 60),
    GoldSet(FIXTURES / "script_holdout", frozenset({"txt", "jsonl", "csv", "html"}), range(10, 13), 25, 30, 50),
]  # fmt: skip
each_gold = pytest.mark.parametrize("gs", GOLD_SETS, ids=str)


def _raw_texts(raw: Path) -> dict[tuple[str, int | None], str]:
    """Each gold document's text as its raw file holds it (pages as their HTML, unescaped)."""
    from warcio.archiveiterator import ArchiveIterator

    texts: dict[tuple[str, int | None], str] = {}
    for path in raw.iterdir():
        name = path.name
        if name.endswith(".txt"):
            texts[(name, None)] = path.read_text(encoding="utf-8")
        elif name.endswith(".html"):
            texts[(name, None)] = html.unescape(path.read_text(encoding="utf-8"))
        elif name.endswith(".jsonl"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                texts[(name, n)] = json.loads(line)["maintext"]
        elif name.endswith(".csv"):
            rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
            for n, row in enumerate(rows):
                texts[(name, n)] = row[4]
        elif name.endswith(".warc"):
            with open(path, "rb") as f:
                for n, rec in enumerate(ArchiveIterator(f)):
                    texts[(name, n)] = html.unescape(rec.content_stream().read().decode("utf-8", "replace"))  # fmt: skip
    return texts


@each_gold
def test_the_gold_is_well_formed(gs: GoldSet) -> None:
    gold = load_gold(gs.folder / "gold.jsonl")
    texts = _raw_texts(gs.folder / "raw")
    assert {d.source.rsplit(".", 1)[1] for d in gold} == gs.formats
    assert len(gold) in gs.docs
    quotes = [q for d in gold for q in d.quotes]
    assert sum(1 for q in quotes if q.speaker) >= gs.speaker_quotes
    assert {q.speaker_kind for q in quotes} == {"person", "organisation", "unknown"}
    roles = Counter(role for d in gold for _, role in d.lines)
    assert set(roles) == set(ROLES)
    for d in gold:
        text = texts[(d.source, d.record)]
        lines = [t for t, _ in d.lines]
        joined = " ".join(lines)
        for line in lines:
            assert line and line == line.strip() and line in text, (d.name, line)
        for q in d.quotes:
            assert q.text in joined, (d.name, q.text)
        for line, sents in d.sentences:
            assert line in lines and " ".join(sents) == line, (d.name, line)
    assert sum(1 for d in gold for _ in d.sentences) >= gs.sentence_lines
    assert sum(len(s) for d in gold for _, s in d.sentences) >= gs.sentences


@each_gold
def test_the_gold_is_what_make_fixtures_writes(
    gs: GoldSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = gs.folder / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_fixtures", module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    records = module.build(tmp_path)
    gold = gs.folder / "gold.jsonl"
    assert [json.loads(line) for line in gold.read_text().splitlines()] == records
    for path in (gs.folder / "raw").iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert {p.name for p in tmp_path.iterdir()} == {p.name for p in (gs.folder / "raw").iterdir()}


@each_gold
def test_every_gold_line_is_a_body_segment_of_a_real_run(
    gs: GoldSet, tmp_path: Path, run_cli
) -> None:
    import pandas as pd

    out = tmp_path / "out"
    args = (
        "run",
        "--raw",
        gs.folder / "raw",
        "--out",
        out,
        "--config",
        gs.folder / "pipeline.toml",
    )
    code, _, err = run_cli(*args, "-q")
    assert code == 0, err
    articles = pd.read_parquet(out / "articles.parquet")
    segments = pd.read_parquet(out / "segments.parquet")
    body = segments[segments.part == "body"].groupby("doc_id").text.apply(list).to_dict()
    ids = {(r.source_path, None if pd.isna(r.record) else int(r.record)): r.doc_id for r in articles.itertuples()}  # fmt: skip
    gold = gs.folder / "gold.jsonl"
    for d in load_gold(gold):
        seen = body[ids[(d.source, d.record)]]
        assert [t for t, _ in d.lines] == seen, d.name
    s = score(gold, out)  # whatever the run made, figures or reasons, never a traceback
    assert len(format_scores(s, details=True).splitlines()) >= 8
    # The targets on the sets the rules were developed on; a floor on the held-out one.
    least = MINIMUM[gs.folder.name]
    got = {
        "roles": s.roles.value,
        "precision": s.quote_precision.value,
        "recall": s.quote_recall.value,
        "sentences": s.sentences.value,
    }
    assert all(got[k] is not None and got[k] >= v for k, v in least.items()), (got, s.misses)


TARGETS = {"roles": 0.98, "precision": 0.98, "recall": 0.95, "sentences": 0.95}
MINIMUM = {
    "script": TARGETS,
    "script_blind": TARGETS,
    "script_holdout": {"roles": 0.98, "precision": 0.98, "recall": 0.90, "sentences": 0.95},
}
