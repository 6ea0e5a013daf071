"""The signal stage: each English and Korean article as pairing reads it, in the workers; its
rows are what the library reads of the published clean bodies, and empty with pair off."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import registry
from pipeline.config import Config, PairConfig
from pipeline.context import Context
from pipeline.pair import read_doc
from pipeline.pair.table import docs
from pipeline.runner import run_stages
from pipeline.script import load_roles
from pipeline.stages import signal
from pipeline.stages.signal import body_lines
from tests.conftest import FIXTURES, published

CONFIG = Config(batch_docs=3)


def _signals(out: Path) -> pd.DataFrame:
    parts = sorted((out / ".state" / "parts" / "signals").glob("*/*.parquet"))
    return pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)


@pytest.fixture(scope="module")
def pair_run(tmp_path_factory: pytest.TempPathFactory, kiwi: Any) -> Path:
    """The pair fixtures (English reports, their originals, distractors) in one run."""
    base = tmp_path_factory.mktemp("signal")
    raw = base / "raw"
    raw.mkdir()
    for p in sorted((FIXTURES / "pairs" / "docs").glob("*.txt")):
        (raw / p.name).write_text(p.read_text("utf-8"), encoding="utf-8")
    run_stages(registry.STAGES, Context(raw, base / "out", CONFIG, threads=1))
    return base / "out"


def test_rows_are_the_published_english_and_korean_articles_as_the_library_reads_them(
    pair_run: Path,
) -> None:
    articles = published(pair_run)["articles"]
    rows = _signals(pair_run)
    wanted = articles[articles.lang.isin(["en", "ko"])]
    assert sorted(rows.doc_id) == sorted(wanted.doc_id) and len(wanted) >= 10
    lang = dict(zip(articles.doc_id, articles.lang, strict=True))
    assert all(lang[d] == got for d, got in zip(rows.doc_id, rows.lang, strict=True))
    book = load_roles()
    parts = sorted((pair_run / ".state" / "parts" / "signals").glob("*/*.parquet"))
    for doc, _ in (read for p in parts for read in docs(pq.read_table(p))):
        article = articles[articles.doc_id == doc.doc_id].iloc[0]
        lines = [line for line in article.body.split("\n") if line.strip()]
        date = article.published_date if pd.notna(article.published_date) else None
        assert doc == read_doc(doc.doc_id, lines, doc.lang, date, book)


def test_pair_off_writes_empty_parts(tmp_path: Path, kiwi: Any) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    p = sorted((FIXTURES / "pairs" / "docs").glob("*.txt"))[0]
    (raw / p.name).write_text(p.read_text("utf-8"), encoding="utf-8")
    config = Config(batch_docs=3, pair=PairConfig(enabled=False))
    run_stages(registry.STAGES, Context(raw, tmp_path / "out", config, threads=1))
    assert _signals(tmp_path / "out").empty


def test_body_lines_are_the_clean_body_with_the_first_kept_segment_of_each() -> None:
    segs = {
        "seg_id": [0, 1, 2, 3],
        "start": [0, 10, 30, 40],
        "line": [0, 1, 1, 3],
        "text": ["[Anchor]", "Twelve thousand", "KakaoTalk: @kbs", "  "],
        "role": ["marker", "anchor", "anchor", "anchor"],
    }
    texts, ids = body_lines(segs, {})
    assert texts == ["[Anchor]", "Twelve thousand KakaoTalk: @kbs"] and ids == [0, 1]
    # a segment strip took all of is no line; one it cut keeps the rest
    texts, ids = body_lines(segs, {1: [(10, 25)], 2: [(40, 46)]})
    assert texts == ["[Anchor]", "KakaoTalk:"] and ids == [0, 2]


def test_the_stage_reads_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    # reading makes many small objects and no cycle: the collector's passes are time lost
    seen = []
    monkeypatch.setattr(signal, "signal_batch", lambda *_: seen.append(gc.isenabled()) or "rows")
    tables = {name: None for name in ("documents", "segments", "removed")}
    assert signal.batch(None, tables) == {"signals": "rows"}  # type: ignore[arg-type]
    assert seen == [False] and gc.isenabled()
