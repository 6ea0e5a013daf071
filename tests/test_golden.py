"""Golden end-to-end test: small fixtures through every stage, compared with reviewed output.

After a deliberate change, regenerate with `NEWSPIPE_UPDATE_GOLDEN=1 pytest tests/test_golden.py`
and review the diff of tests/fixtures/golden/expected.json before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"
EXPECTED = GOLDEN / "expected.json"


def _null(value: object) -> object:
    return None if pd.isna(value) else value


def _observed(out: Path) -> dict[str, dict]:
    articles = pd.read_parquet(out / "articles.parquet").sort_values("source_path")
    removed = pd.read_parquet(out / "removed.parquet")
    segments = pd.read_parquet(out / "segments.parquet")
    quotes = pd.read_parquet(out / "quotes.parquet")
    sentences = pd.read_parquet(out / "sentences.parquet")
    sentences = sentences[sentences.part == "body"].sort_values(["doc_id", "seg_id", "sent_id"])
    result = {}
    for row in articles.itertuples():
        rem = removed[removed.doc_id == row.doc_id].sort_values("start")
        body = segments[(segments.doc_id == row.doc_id) & (segments.part == "body")]
        said = quotes[quotes.doc_id == row.doc_id].sort_values("start")
        result[row.source_path] = {
            "broadcaster": None if pd.isna(row.broadcaster) else row.broadcaster,
            "published_date": None if pd.isna(row.published_date) else str(row.published_date),
            "title": None if pd.isna(row.title) else row.title,
            "lang": row.lang,
            "body": row.body,
            "removed": [[r.rule_id, r.text] for r in rem.itertuples()],
            "roles": [[s.role, s.text] for s in body.sort_values("seg_id").itertuples()],
            "reporters": list(row.reporters),
            "credits": {label: list(names) for label, names in row.credits},
            "quotes": [
                [_null(q.speaker), _null(q.affiliation), q.speaker_kind, q.form, q.text]
                for q in said.itertuples()
            ],
            "sentences": sentences[sentences.doc_id == row.doc_id]["text"].tolist(),
        }
    return result


def test_fixtures_give_the_reviewed_output(tmp_path: Path, run_cli) -> None:
    code, _, err = run_cli("run", "--raw", GOLDEN, "--out", tmp_path / "out", "-q")
    assert code == 0, err
    observed = _observed(tmp_path / "out")
    if os.environ.get("NEWSPIPE_UPDATE_GOLDEN"):
        EXPECTED.write_text(json.dumps(observed, ensure_ascii=False, indent=1) + "\n")
    assert observed == json.loads(EXPECTED.read_text())


def test_two_runs_give_the_same_rows(tmp_path: Path, run_cli) -> None:
    for out in ("a", "b"):
        assert run_cli("run", "--raw", GOLDEN, "--out", tmp_path / out, "-q")[0] == 0
    for name in ("articles", "segments", "tokens", "sentences", "removed", "quotes", "quarantine"):
        a = pd.read_parquet(tmp_path / "a" / f"{name}.parquet")
        b = pd.read_parquet(tmp_path / "b" / f"{name}.parquet")
        pd.testing.assert_frame_equal(a, b)
