"""The Python API: one text cleaned in memory, a run, a dataset read back with its dtypes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.errors import UsageError
from tests.conftest import FIXTURES, SHARED

SEED = SHARED / "seed" / "kbs_2025-04-28_north-korea-troops.txt"
GOLDEN = FIXTURES / "golden"


def test_clean_text_of_the_seed_loses_the_footer_and_keeps_the_report(kiwi: object) -> None:
    if not SEED.is_file():
        pytest.skip("../shared/seed is absent")
    result = pipeline.clean_text(SEED.read_text(encoding="utf-8"))
    for footer in ("제보하기", "kbs1234@kbs.co.kr", "구독해주세요", "동영상 고정 취소"):
        assert footer not in result.body
    assert "KBS News, Kim Kyung-jin." in result.body and "[Anchor]" in result.body
    assert (result.lang, result.broadcaster) == ("en", "KBS")
    assert result.published_date == dt.date(2025, 4, 28) and result.title is None
    assert set(result.removed.rule_id) >= {"kbs_tipline_head_v1", "generic_ui_unpin_v1"}
    footer = result.tokens[result.tokens.part == "footer"]
    assert ("제보", "NNG") in set(zip(footer.form, footer.tag, strict=True))


def test_clean_text_takes_the_packs_and_the_detector(kiwi: object) -> None:
    text = (
        "시는 심야버스를 네 개 노선 늘린다고 밝혔습니다.\n"
        "※ 여러분의 제보가 뉴스가 됩니다\n▷ 카카오톡 : @한빛제보\n"
    )
    found = pipeline.clean_text(text, packs="generic")
    assert "@한빛제보" not in found.body and "심야버스를" in found.body
    assert set(found.removed.rule_id) == {"detector_tipline_v1", "detector_link_v1"}
    assert found.removed.score.notna().all()
    assert "@한빛제보" in pipeline.clean_text(text, packs="generic", detector=False).body
    with pytest.raises(UsageError, match="the text is empty"):
        pipeline.clean_text("  \n")


def test_run_returns_its_report_and_read_gives_sensible_dtypes(
    kiwi: object, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = pipeline.run(GOLDEN, out, workers=1)
    ingest = next(s for s in report.stages if s.name == "ingest")
    assert ingest.counts["new"] == 5
    articles = pipeline.read(out, "articles")
    assert len(articles) == 5
    assert pd.api.types.is_datetime64_any_dtype(articles.published_date)
    assert isinstance(articles.lang.dtype, pd.CategoricalDtype)
    segments = pipeline.read(out, "segments")
    assert isinstance(segments.part.dtype, pd.CategoricalDtype)
    assert set(segments.part.cat.categories) <= {"header", "body", "footer", "promo", "artefact"}
    with pytest.raises(UsageError, match="unknown dataset 'article'; available: articles"):
        pipeline.read(out, "article")
    with pytest.raises(UsageError, match="not found: run newspipe on"):
        pipeline.read(tmp_path / "nothing", "articles")
