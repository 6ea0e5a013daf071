"""Every footer variant, through the whole pipeline: the promotion is gone, the body next to it
stays, and the broadcaster is recognised. Fixtures: tests/fixtures/variants/<pack>_<variant>.txt
with a .json of {"promo": [...], "keep": [...], "broadcaster": name or null}."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.rules.pack import BUILTIN
from pipeline.text import collapse_ws
from tests.conftest import FIXTURES

VARIANTS = FIXTURES / "variants"
CASES = sorted(p.stem for p in VARIANTS.glob("*.txt"))


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from pipeline.cli import main

    raw = tmp_path_factory.mktemp("variants")
    for name in CASES:
        shutil.copy(VARIANTS / f"{name}.txt", raw)
    out = tmp_path_factory.mktemp("out")
    assert main(["run", "--raw", str(raw), "--out", str(out), "-q"]) == 0
    frame = pd.read_parquet(out / "articles.parquet")
    return {Path(r["source_path"]).stem: r for r in frame.to_dict("records")}


def test_there_are_variants_for_every_pack() -> None:
    packs = {p.stem for p in BUILTIN.glob("*.toml")}
    for pack in packs:
        assert any(c.startswith(f"{pack}_") for c in CASES), pack


@pytest.mark.parametrize("case", CASES)
def test_variant(articles: dict[str, dict], case: str) -> None:
    spec = json.loads((VARIANTS / f"{case}.json").read_text())
    row = articles[case]
    body = collapse_ws(row["body"])
    for promo in spec["promo"]:
        assert collapse_ws(promo) not in body, promo
    for keep in spec["keep"]:
        assert collapse_ws(keep) in body, keep
    broadcaster = None if pd.isna(row["broadcaster"]) else row["broadcaster"]
    assert broadcaster == spec.get("broadcaster")
