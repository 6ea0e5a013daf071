"""How lines make blocks, and the fast path held to reading every line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.detector import find, judge
from pipeline.rules import RuleSet, find_promotions, load_rules
from pipeline.stages.ingest import parse_header
from tests.conftest import FIXTURES, SHARED

BODY = "정부는 내년 예산안을 국회에 제출했다고 밝혔습니다."


def removed(text: str, taken: list[tuple[int, int]] | None = None) -> list[str]:
    return [text[f.start : f.end] for f in find(text, 0, taken or [])]


def test_a_weak_line_goes_with_a_seed_at_the_end_of_the_document() -> None:
    text = f"{BODY}\n▶ 인기 무료만화\n© 한빛일보, 무단전재 및 재배포 금지"
    assert removed(text) == ["▶ 인기 무료만화", "© 한빛일보, 무단전재 및 재배포 금지"]


def test_the_same_weak_line_stays_in_the_middle_of_a_report() -> None:
    text = f"{BODY}\n▶ 인기 무료만화\n© 한빛일보, 무단전재 및 재배포 금지\n{BODY}"
    assert removed(text) == ["© 한빛일보, 무단전재 및 재배포 금지"]


def test_a_weak_line_between_two_seeds_goes_anywhere() -> None:
    text = (
        f"{BODY}\n▷ 전화 : 031-000-0000\n▶ 오늘의 추천\n▷ 이메일 : jebo@hanbit.example.kr\n{BODY}"
    )
    assert removed(text) == [
        "▷ 전화 : 031-000-0000",
        "▶ 오늘의 추천",
        "▷ 이메일 : jebo@hanbit.example.kr",
    ]


def test_a_body_sentence_breaks_a_block() -> None:
    text = f"▶ 오늘의 추천\n{BODY}\n© 한빛일보, 무단전재 및 재배포 금지"
    assert removed(text) == ["© 한빛일보, 무단전재 및 재배포 금지"]


def test_a_phone_number_alone_does_not_join_a_footer() -> None:
    # An event's inquiry line over the copyright notice is the article's, not the footer's.
    text = f"{BODY}\n문의 : 031-000-0000(대회 사무국)\n© 한빛일보, 무단전재 및 재배포 금지"
    assert removed(text) == ["© 한빛일보, 무단전재 및 재배포 금지"]


def test_furniture_is_kept_inside_a_block() -> None:
    text = (
        f"{BODY}\n※ 여러분의 제보가 세상을 바꿉니다.\n강지호 기자 jiho@hanbit.example.kr\n"
        "▶ 기자와 카톡 채팅하기"
    )
    assert removed(text) == ["※ 여러분의 제보가 세상을 바꿉니다.", "▶ 기자와 카톡 채팅하기"]


def test_a_pack_removal_seeds_a_block_for_the_weak_lines_beside_it() -> None:
    notice = "<저작권자 한빛일보, 무단전재 금지>"
    text = f"{BODY}\n▶ 오늘의 추천\n{notice}"
    at = text.index(notice)
    assert removed(text, [(at, at + len(notice))]) == ["▶ 오늘의 추천"]


def test_a_line_away_from_the_ends_seeds_only_with_a_strong_cue() -> None:
    # Names alone (a platform, a channel, an outlet) never make a seed in the middle.
    text = f"{BODY}\n▶ 한빛뉴스 유튜브 채널\n{BODY}"
    assert removed(text) == []


def test_the_end_of_the_document_after_the_byline_counts_as_evidence() -> None:
    text = f"{BODY}\n강지호 기자 jiho@hanbit.example.kr\nⓒ 세상을 보는 창, 한빛일보"
    assert removed(text) == ["ⓒ 세상을 보는 창, 한빛일보"]
    [verdict] = [v for v in judge(text, 0) if v.removed]
    assert verdict.score is not None and "after_byline" in verdict.score.describe()


# --- the fast path is the reference ------------------------------------------------------------

BLOCKS = [
    "▶ 인기 무료만화",
    "© 한빛일보, 무단전재 및 재배포 금지",
    "▷ 전화 : 031-000-0000",
    "※ 여러분의 제보가 세상을 바꿉니다.",
    "강지호 기자 jiho@hanbit.example.kr",
    "한빛방송 박지훈입니다.",
    "#한빛방송 #한빛뉴스",
    "#환경 #플라스틱",
    "[앵커]",
    "------------",
    "팟빵 앱에서 더 편하게 들어보세요",
    "▶ 네이버에서 한빛일보 구독하기",
    "Follow us on Instagram.",
    "촬영기자 : 김하늘 / 영상편집 : 이도윤",
    "(끝)",
    "",
    "문의 : 031-000-0000",
    "▶ 부동산의 모든것 '한빛TV'가 펼칩니다",
]
SENTENCES = [
    BODY, "시민들은 \"카톡이 안 된다\"며 불편을 호소했습니다.", "The city said it would extend the service.",
    "구독자 120만 명을 둔 유튜버가 벌금을 물게 됐다.", "도는 배차 간격이 줄어들 것으로 내다봤다.",
]  # fmt: skip

documents = st.lists(st.sampled_from(BLOCKS + SENTENCES), min_size=1, max_size=14).map("\n".join)
glue = st.lists(st.sampled_from(BLOCKS + SENTENCES), min_size=1, max_size=5).map("".join)


def _same(text: str, taken: list[tuple[int, int]]) -> None:
    fast = [(v.unit.start, v.unit.end, v.reason) for v in judge(text, 0, taken) if v.removed]
    every = [
        (v.unit.start, v.unit.end, v.reason)
        for v in judge(text, 0, taken, every_line=True)
        if v.removed
    ]
    assert fast == every


@settings(max_examples=300, deadline=None)
@given(text=documents)
def test_reading_only_the_lines_that_matter_finds_what_reading_every_line_finds(
    text: str,
) -> None:
    _same(text, [])


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(st.one_of(documents, glue), min_size=1, max_size=4))
def test_the_fast_path_holds_on_glued_lines_too(lines: list[str]) -> None:
    _same("\n".join(lines), [])


def _real_documents() -> list[Path]:
    found = sorted((FIXTURES / "wild").glob("*.txt")) + sorted(
        (FIXTURES / "variants").glob("*.txt")
    )
    return found + sorted((SHARED / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def packs() -> list[RuleSet]:
    return [load_rules(None, "all", detector=False), load_rules(None, "generic", False)]


def test_the_fast_path_holds_on_every_fixture_and_real_document(packs: list[RuleSet]) -> None:
    for path in _real_documents():
        text = path.read_text(encoding="utf-8")
        _, _, header_end = parse_header(text)
        for rules in packs:
            taken = [(s.start, s.end) for s in find_promotions(text, rules, body_start=header_end)]
            fast = [v.unit for v in judge(text, header_end, taken) if v.removed]
            every = [v.unit for v in judge(text, header_end, taken, every_line=True) if v.removed]
            assert fast == every, path.name
