"""Every kind of line gets its role, on lines written in the shapes broadcasters use; and the
lines that look like one but are not keep theirs."""

from __future__ import annotations

import pytest

from pipeline.script import RoleBook, roles


def _roles(book: RoleBook, lines: list[str], lang: str = "ko", outlet: str | None = None):
    return roles(lines, [lang] * len(lines), book, outlet)


def test_korean_markers_carry_down_to_the_lines_they_govern(book: RoleBook) -> None:
    lines = [
        "[앵커]",
        "물빛시가 내년부터 시내버스 요금을 동결합니다.",
        "시의회도 예산안을 통과시켰습니다.",
        "[리포트]",
        "아침 출근길 정류장은 평소처럼 붐볐습니다.",
        "[기자]",
        "시는 적자를 보조금으로 메울 계획입니다.",
    ]
    assert _roles(book, lines) == [
        "marker", "anchor", "anchor", "marker", "report", "marker", "report",
    ]  # fmt: skip


def test_english_markers_carry_down(book: RoleBook) -> None:
    lines = [
        "[Anchor]",
        "The city of Mulbit will freeze bus fares next year.",
        "[Report]",
        "Commuters at the main terminal welcomed the decision.",
    ]
    assert _roles(book, lines, "en") == ["marker", "anchor", "marker", "report"]


def test_before_any_marker_a_line_is_text(book: RoleBook) -> None:
    assert _roles(book, ["물빛시가 버스 요금을 동결합니다."]) == ["text"]


def test_a_marker_with_words_after_it_gives_that_line_its_role(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "시는 요금을 동결했습니다.",
        "[앵커] 김 기자 수고했습니다.",
        "다음 소식입니다.",
    ]
    assert _roles(book, lines) == ["marker", "report", "anchor", "anchor"]


def test_an_interview_marker_governs_its_bite_and_the_report_goes_on(book: RoleBook) -> None:
    lines = [
        "[기자]",
        "상인들은 반겼습니다.",
        "[인터뷰]",
        "도하람 / 물빛시장 상인 : 손님이 조금 늘 것 같아요.",
        "시는 다음 달부터 시행합니다.",
        "시의회도 예산을 통과시켰습니다.",
        "지금까지 물빛에서 YTN 염서진입니다.",
    ]
    assert _roles(book, lines) == [
        "marker", "report", "marker", "interview", "report", "report", "signoff",
    ]  # fmt: skip


def test_a_soundbite_marker_gives_its_bite_the_quote_role(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "시는 입장을 냈습니다.",
        "[녹취]",
        "물빛시 관계자 : 예산 범위 안에서 검토하겠습니다.",
        "시는 다음 달 시행합니다.",
    ]
    assert _roles(book, lines) == ["marker", "report", "marker", "quote", "report"]


def test_a_bite_in_brackets_over_lines_then_the_anchor_goes_on(book: RoleBook) -> None:
    lines = [
        "[Anchor]",
        "Bus fares in Mulbit will stay the same.",
        "[Interview]",
        '[Noh Ga-eun/Mulbit commuter: "I take two buses a day.',
        'A freeze helps."]',
        "The council approved the budget on Friday.",
        "[Soundbite]",
        '[Mulbit Transit Authority: "Service will not be cut."]',
        "Fares will be reviewed next year.",
    ]
    assert _roles(book, lines, "en") == [
        "marker", "anchor", "marker", "interview", "interview", "anchor", "marker", "quote",
        "anchor",
    ]  # fmt: skip


def test_two_speakers_in_a_row_under_one_interview_marker(book: RoleBook) -> None:
    lines = [
        "[기자]",
        "상인들의 반응은 엇갈렸습니다.",
        "[인터뷰]",
        "도하람 / 새솔시장 상인 : 손님이 늘 것 같아요.",
        "염지후 / 새솔시장 상인 : 주차장이 먼저예요.",
        "시는 다음 달 시행합니다.",
    ]
    assert _roles(book, lines) == [
        "marker", "report", "marker", "interview", "interview", "report",
    ]  # fmt: skip


def test_a_bracketed_quote_right_after_an_interview_bite_is_a_quote(book: RoleBook) -> None:
    lines = [
        "[Report]",
        "Residents queued from 9 a.m.",
        "[Interview]",
        '[Noh Ga-eun/Saesol resident: "The fans help a lot."]',
        '[Saesol District Office: "Shelters stay open until 9 p.m."]',
        "The heat is forecast to ease on Friday.",
    ]
    assert _roles(book, lines, "en") == [
        "marker", "report", "marker", "interview", "quote", "report",
    ]  # fmt: skip


def test_a_bite_without_a_named_speaker_is_one_line(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "상인들은 반겼습니다.",
        "[녹취]",
        "손님이 조금 늘 것 같아요.",
        "시는 다음 달 시행합니다.",
    ]
    assert _roles(book, lines) == ["marker", "report", "marker", "quote", "report"]


def test_an_interview_marker_before_a_speaker_governs_that_line_only(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "시민들의 반응은 엇갈렸습니다.",
        "[인터뷰] 박서연 / 물빛시 주민 : 요금이 그대로라 다행이에요.",
        "시는 다음 달 시행합니다.",
        "[녹취] 물빛시 관계자 : 예산 범위 안에서 검토하겠습니다.",
        "시의회는 다음 주 표결합니다.",
    ]
    assert _roles(book, lines) == ["marker", "report", "interview", "report", "quote", "report"]


def test_markers_in_every_bracket_family(book: RoleBook) -> None:
    mbc = ["◀ 앵커 ▶", "물빛시가 요금을 동결합니다.", "◀ 리포트 ▶", "정류장은 붐볐습니다."]
    assert _roles(book, mbc, outlet="MBC") == ["marker", "anchor", "marker", "report"]
    assert _roles(book, mbc, outlet=None) == ["marker", "anchor", "marker", "report"]
    sbs = ["<앵커>", "물빛시가 요금을 동결합니다.", "<기자>", "정류장은 붐볐습니다."]
    assert _roles(book, sbs, outlet="SBS") == ["marker", "anchor", "marker", "report"]
    assert _roles(book, sbs, outlet="KBS") == ["marker", "anchor", "marker", "report"]
    mbn = [
        "【 앵커멘트 】",
        "새벽 국도에서 차량 9대가 부딪혔습니다.",
        "【 기자 】",
        "도로가 얼었습니다.",
    ]
    assert _roles(book, mbn) == ["marker", "anchor", "marker", "report"]
    other = ["〔앵커〕", "한빛군이 축제를 엽니다.", "‹리포트›", "행사장은 붐볐습니다."]
    assert _roles(book, other) == ["marker", "anchor", "marker", "report"]
    english = ["【 Anchor 】", "Fares will rise.", "〔Report〕", "Commuters sighed."]
    assert _roles(book, english, "en") == ["marker", "anchor", "marker", "report"]


@pytest.mark.parametrize(
    "line",
    ["<앵커의 시선> 코너에서 다룹니다.", "<기자의 눈> 이번 주제는 물가입니다.", "【 속보 】",
     "【 단독 】 한빛시 예산 유용 의혹", "〔사진 출처 : 한빛일보〕"],
)  # fmt: skip
def test_bracketed_titles_and_tags_are_no_markers(book: RoleBook, line: str) -> None:
    assert _roles(book, [line]) != ["marker"]
    assert _roles(book, ["[리포트]", line])[1] in ("report", "caption")


def test_an_mbn_interview_marker_with_its_speaker(book: RoleBook) -> None:
    lines = [
        "【 기자 】",
        "다리 위가 먼저 얼었습니다.",
        '【 인터뷰 : 변지호 / 화물차 운전기사 】 "핸들이 말을 안 들었어요."',
        "경찰은 속도를 줄이라고 당부했습니다.",
    ]
    assert _roles(book, lines) == ["marker", "report", "interview", "report"]


def test_a_marker_glued_to_its_words(book: RoleBook) -> None:
    assert _roles(book, ["◀ Anchor ▶Markets fell sharply today."], "en", "MBC") == ["anchor"]


@pytest.mark.parametrize(
    "line",
    [
        "KBS 뉴스 홍화경입니다.",
        "YTN 김철수입니다.",
        "MBC뉴스 이재민입니다",
        "연합뉴스TV 박지훈입니다.",
        "지금까지 사회부 김성기 기자였습니다.",
        "지금까지 물빛에서 YTN 염서진입니다.",
        "지금까지 물빛군청에서 KBS 뉴스 탁하윤입니다.",
    ],
)
def test_korean_sign_offs(book: RoleBook, line: str) -> None:
    assert _roles(book, ["[리포트]", "본문입니다.", line, "다음 줄입니다."]) == [
        "marker", "report", "signoff", "text",
    ]  # fmt: skip


@pytest.mark.parametrize("line", ["KBS News, Kim Kyung-jin.", "I'm Lee Ha-na from Busan."])
def test_english_sign_offs(book: RoleBook, line: str) -> None:
    assert _roles(book, [line], "en") == ["signoff"]


@pytest.mark.parametrize(
    "line",
    [
        "홍길동 기자 (gildong@kbs.co.kr)",
        "=홍길동 기자",
        "물빛뉴스 박가온 기자 gaon@mulbit.example",
        "[한결 / 물빛방송 취재 기자]",
    ],
)
def test_korean_bylines(book: RoleBook, line: str) -> None:
    assert _roles(book, [line]) == ["byline"]


def test_english_byline(book: RoleBook) -> None:
    assert _roles(book, ["By Choi Ji-won (jiwon@example.co.kr)"], "en") == ["byline"]


@pytest.mark.parametrize(
    "line",
    [
        "촬영기자 : 김동현",
        "영상편집 : 박소영",
        "그래픽 : 이다은",
        "영상취재: 최민호",
        "촬영기자:김동현/영상편집:박소영/그래픽:이다은",
    ],
)
def test_staff_credits(book: RoleBook, line: str) -> None:
    assert _roles(book, [line]) == ["credit"]


@pytest.mark.parametrize(
    "line", ["[사진 출처 : 연합뉴스]", "(사진=물빛시 제공)", "[자료 제공 : 물빛시청]"]
)
def test_captions(book: RoleBook, line: str) -> None:
    assert _roles(book, [line]) == ["caption"]


def test_english_credit_and_caption(book: RoleBook) -> None:
    assert _roles(book, ["Camera: Kim Min-su / Video editing: Lee Ha-na", "[Photo : Yonhap News]"], "en") == [
        "credit", "caption",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        '[단독] 물빛시, 버스 요금 동결 "적자는 보조금으로"',
        "[속보] 물빛시 버스 요금 동결",
        "[앵커 출신 의원들] 정치권 진출 늘어",
        "촬영기자들이 현장에 도착했습니다.",
        "홍길동 기자가 현장을 다녀왔습니다.",
        "KBS 뉴스 시청자 여러분 반갑습니다.",
        "지금까지 피해 신고는 30건이었습니다.",
        "지금까지 물빛에서 MBC 뉴스였습니다.",
        "<기자의 눈> 이번 주제는 물가입니다.",
    ],
)
def test_lines_that_look_like_furniture_but_are_not(book: RoleBook, line: str) -> None:
    assert _roles(book, [line]) == ["text"]


def test_a_sign_off_ends_the_report(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "본문입니다.",
        "KBS 뉴스 홍화경입니다.",
        "물빛시청 제공 자료를 참고했습니다.",
    ]
    assert _roles(book, lines)[-1] == "text"


def test_a_quote_over_several_lines_is_quote_on_every_line(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        '[김달래/물빛 이주노동자센터 대표 : "일자리는 늘었지만',
        "숙소 사정은 그대로입니다.",
        'KBS 뉴스 홍화경입니다."]',
        "센터는 다음 달 실태 조사를 발표합니다.",
    ]
    # The sign-off inside the quote is the speaker's words, not a sign-off.
    assert _roles(book, lines) == ["marker", "quote", "quote", "quote", "report"]


def test_a_sign_off_from_a_place(book: RoleBook) -> None:
    assert (
        _roles(book, ["[리포트]", "본문입니다.", "뉴욕에서 KBS 뉴스 박하늘입니다."])[-1]
        == "signoff"
    )


def test_the_furniture_read_for_roles_is_the_furniture_whose_cue_is_looked_for() -> None:
    from pipeline.detector.units import ROLE_KINDS
    from pipeline.script.roles import _FURNITURE_ROLE

    assert set(_FURNITURE_ROLE) == ROLE_KINDS
