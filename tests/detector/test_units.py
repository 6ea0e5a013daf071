"""Units: how a line is cut where a footer runs into it, and what is body furniture."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.detector.blocks import judge
from pipeline.detector.evidence import triggered_lines
from pipeline.detector.units import (
    ROLE_KINDS,
    furniture,
    lines,
    may_be_role_furniture,
    plain_body,
    units,
)


def cut(line: str, taken: list[tuple[int, int]] | None = None) -> list[str]:
    return [u.text for u in units(line, 0, len(line), taken or [])]


def test_a_glued_footer_is_cut_at_its_bullets_brackets_and_byline() -> None:
    line = (
        "노조는 교섭을 이어가기로 했다.박철수 기자 cs@hanbit.example.kr▶ 네이버에서 한빛일보 구독하기"
        "▶ 오늘의 운세<ⓒ한빛일보, 무단전재 및 재배포 금지>"
    )
    assert cut(line) == [
        "노조는 교섭을 이어가기로 했다.",
        "박철수 기자 cs@hanbit.example.kr",
        "▶ 네이버에서 한빛일보 구독하기",
        "▶ 오늘의 운세",
        "<ⓒ한빛일보, 무단전재 및 재배포 금지>",
    ]


def test_a_crawler_stripped_sentence_end_and_a_credit_run_are_cuts() -> None:
    line = "지원 대상을 늘리기로 했습니다 영상편집 김하늘 제보하기 전화 031 000 0000"
    assert cut(line) == [
        "지원 대상을 늘리기로 했습니다",
        "영상편집 김하늘",
        "제보하기 전화 031 000 0000",
    ]


def test_a_copyright_word_and_its_sign_stay_one_unit() -> None:
    assert cut("본문입니다. Copyright © Hanbit Herald.") == [
        "본문입니다.",
        "Copyright © Hanbit Herald.",
    ]


def test_an_address_after_a_contact_label_is_not_a_byline() -> None:
    assert cut("▷ 이메일 jebo@hanbit.example.kr") == ["▷ 이메일 jebo@hanbit.example.kr"]


def test_what_a_pack_took_is_a_unit_of_its_own() -> None:
    line = "본문입니다. ■ 제보하기 ▷ 전화 : 031-000-0000"
    at = line.index("■")
    assert cut(line, [(at, at + len("■ 제보하기"))]) == [
        "본문입니다.",
        "■ 제보하기",
        "▷ 전화 : 031-000-0000",
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("강지호 기자 (jiho@hanbit.example.kr)", "byline"),
        ("[한빛일보 강지호 기자]", "byline"),
        ("By Choi Ji-won (jwchoi@example.com)", "byline"),
        ("jiho@hanbit.example.kr", "byline"),
        ("한빛방송 박지훈입니다.", "signoff"),
        ("Hanbit News, Park Ji-hoon.", "signoff"),
        ("촬영기자 : 김하늘 / 영상편집 : 이도윤", "credit"),
        ("■ 진행 : 최민수 앵커", "credit"),
        ("(사진=한빛일보 제공)", "photo"),
        ("[앵커]", "marker"),
        ("◀ 리포트 ▶", "marker"),
        ("(끝)", "end"),
        ("2026/03/14 18:49 송고", "end"),
        ("#플라스틱 #환경", "hashtags"),
        ("▷최민수 : 올해 폭염일수가 역대 최다였습니다.", "speech"),
    ],
)
def test_furniture_is_named(text: str, kind: str) -> None:
    assert furniture(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "▷ 이메일 : jebo@hanbit.example.kr",
        "▷ 전화 : 031-000-0000",
        "#한빛방송 #한빛뉴스",  # the outlet's own names: its brand, not a topic
        "정부는 내년 예산안을 국회에 제출했다고 밝혔습니다.",
    ],
)
def test_what_is_not_furniture(text: str) -> None:
    assert furniture(text) is None


def test_lines_are_the_non_blank_lines_trimmed_with_their_numbers() -> None:
    text = "date 2026-03-14 제목\n\n  첫 줄 \n\n둘째 줄"
    assert lines(text, 19) == [(2, 22, 25), (4, 28, 32)]


SENTENCE = st.sampled_from(
    [
        "정부는 내년 예산안을 국회에 제출했다고 밝혔습니다.", "시민들은 불편을 호소했습니다.",
        "The city said it would extend the late-night service.", "▶ 오늘의 추천",
        "한빛방송 박지훈입니다.", "카카오톡 채널과 유튜브로도 안내할 계획입니다.", "(사진=한빛일보 제공)",
        "구독해주세요!", "Follow us on X.", "김하늘 기자", "그렇다.", "#환경", "도는 내다봤다 ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(SENTENCE, min_size=1, max_size=6))
def test_a_line_plain_body_vouches_for_ends_in_a_body_unit(pieces: list[str]) -> None:
    line = " ".join(pieces)
    if not triggered_lines(line) and plain_body(
        line
    ):  # it is asked only of lines with no strong cue
        verdicts = judge(line, 0, every_line=True)
        assert verdicts and verdicts[-1].cls == "B"


# Pieces of the furniture that gives a script's line a role, and of lines that only look like it.
ROLE_PIECE = st.sampled_from(
    [
        "강지호 기자", "jiho@hanbit.example.kr", "By Choi Ji-won", "BY", "by ", "Reporter", "reporter",
        "촬영기자 : 김하늘", "영상편집:", "Camera: Kim", "(사진=한빛일보 제공)", "[사진 출처 : 연합뉴스]",
        "ⓒ 연합뉴스", "© Yonhap", "/ 한빛일보", "[앵커]", "◀ 리포트 ▶", "[Anchor]", "PD", "특파원",
        "앵커", "：", "=", "시민들은 불편을 호소했습니다.", "Fares will rise.", "BYE", "Ｂy", "ſ",
        " ", "\t", "\u3000",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(pieces=st.lists(ROLE_PIECE, min_size=1, max_size=4), other=st.text(max_size=12))
def test_furniture_with_a_role_always_has_a_role_cue(pieces: list[str], other: str) -> None:
    for text in ("".join(pieces), " ".join(pieces), other + " ".join(pieces), other):
        if furniture(text) in ROLE_KINDS:
            assert may_be_role_furniture(text), text


@pytest.mark.parametrize(
    "text",
    [
        "정부는 내년 예산안을 국회에 제출했다고 밝혔습니다.",
        "The city said it would extend service.",
    ],
)
def test_a_plain_sentence_has_no_role_cue(text: str) -> None:
    assert not may_be_role_furniture(text)
