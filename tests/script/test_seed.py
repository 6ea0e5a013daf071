"""The user's document (../shared/seed): what issue 15 says it must show, through the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.api import clean_text
from tests.conftest import SHARED

SEED = SHARED / "seed" / "kbs_2025-04-28_north-korea-troops.txt"
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is absent")


@pytest.fixture(scope="module")
def cleaned(kiwi):
    return clean_text(Path(SEED).read_text(encoding="utf-8"))


def test_the_central_television_quote_is_an_organisations(cleaned) -> None:
    quotes = cleaned.quotes
    kctv = quotes[quotes.speaker == "North Korea Korean Central Television"]
    assert len(kctv) == 1
    row = kctv.iloc[0]
    assert (row.speaker_kind, row.form) == ("organisation", "block")
    assert row.text.startswith("Our military units that participated")


def test_the_spokespersons_quote_names_him_and_his_post(cleaned) -> None:
    quotes = cleaned.quotes
    koo = quotes[quotes.speaker == "Koo Byoung-sam"]
    assert len(koo) == 1
    row = koo.iloc[0]
    assert row.affiliation == "Spokesperson for the Ministry of Unification"
    assert (row.speaker_kind, row.lang) == ("person", "en")
    assert row.text.startswith("We urge the immediate withdrawal")
    assert len(quotes) == 2  # and nothing else is taken for a quote


def test_the_reporter(cleaned) -> None:
    assert cleaned.reporters == ["Kim Kyung-jin"]


def test_markers_and_the_lines_under_them(cleaned) -> None:
    body = cleaned.segments[cleaned.segments.part == "body"]
    roles = dict(zip(body.text, body.role, strict=True))
    assert roles["[Anchor]"] == "marker" and roles["[Report]"] == "marker"
    assert roles["First, we have reporter Kim Kyung-jin."] == "anchor"
    anchor = body.iloc[1 : list(body.text).index("[Report]")]
    assert set(anchor.role) == {"anchor"}
    after = list(body.text).index("[Report]")
    report = [r for t, r in zip(body.text[after + 1 :], body.role[after + 1 :], strict=True)
              if not t.startswith("[") and t != "KBS News, Kim Kyung-jin."]  # fmt: skip
    assert report and set(report) == {"report"}
    assert roles["KBS News, Kim Kyung-jin."] == "signoff"
    others = cleaned.segments[cleaned.segments.part != "body"]
    assert others.role.isna().all()  # the tip-line footer has no role
