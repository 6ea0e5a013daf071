"""Reporters from the sign-off and bylines; credits from staff and photo credits."""

from __future__ import annotations

import pytest

from pipeline.script import RoleBook, credits, reporters, roles
from pipeline.script.people import credit_pairs


def _people(book: RoleBook, lines: list[str], lang: str = "ko"):
    got = roles(lines, [lang] * len(lines), book)
    return reporters(lines, got, book), credits(lines, got)


def test_reporters_from_sign_off_and_byline_each_once_in_order(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "시는 요금을 동결했습니다.",
        "KBS 뉴스 홍화경입니다.",
        "촬영기자 : 김동현 / 영상편집 : 박소영",
        "홍화경 기자 (hwa@kbs.co.kr)",
        "=이도윤 기자",
    ]
    names, staff = _people(book, lines)
    assert names == ["홍화경", "이도윤"]
    assert staff == {"촬영기자": ["김동현"], "영상편집": ["박소영"]}


def test_english_reporter(book: RoleBook) -> None:
    names, _ = _people(book, ["[Report]", "Markets fell.", "KBS News, Kim Kyung-jin."], "en")
    assert names == ["Kim Kyung-jin"]


def test_an_english_sign_off_after_this_is(book: RoleBook) -> None:
    lines = ["[Report]", "Exports rose.", "This is KBS News, Seo Min-ji."]
    names, _ = _people(book, lines, "en")
    assert names == ["Seo Min-ji"]


def test_a_sign_off_inside_a_quote_is_not_the_reporter(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        '[한소망/전직 아나운서 : "마지막 방송에서 저는',
        'MBC뉴스 이재민입니다."]',
        "YTN 김철수입니다.",
    ]
    names, _ = _people(book, lines)
    assert names == ["김철수"]


def test_credits_several_on_a_line_and_photo_credits(book: RoleBook) -> None:
    lines = ["촬영기자:김동현 이서준/영상편집:박소영/그래픽:이다은", "(사진=물빛시 제공, 연합뉴스)"]
    _, staff = _people(book, lines)
    assert staff == {
        "촬영기자": ["김동현", "이서준"],
        "영상편집": ["박소영"],
        "그래픽": ["이다은"],
        "사진": ["물빛시 제공", "연합뉴스"],
    }


def test_credit_pairs_in_english() -> None:
    assert credit_pairs("Camera: Kim Min-su / Video editing: Lee Ha-na") == [
        ("Camera", ["Kim Min-su"]),
        ("Video editing", ["Lee Ha-na"]),
    ]


def test_no_sign_off_no_reporters(book: RoleBook) -> None:
    assert _people(book, ["시는 요금을 동결했습니다."]) == ([], {})


def test_credit_names_without_addresses_or_job_words(book: RoleBook) -> None:
    _, staff = _people(book, ["제작 : 한결 PD(gyeol@example.co.kr)", "촬영 : 한결 PD 유다온PD"])
    assert staff == {"제작": ["한결"], "촬영": ["한결", "유다온"]}


def test_a_byline_of_a_call_sign_a_name_and_an_address(book: RoleBook) -> None:
    assert _people(book, ["YTN 한가온 (gaon@ytn.example)"])[0] == ["한가온"]
    assert _people(book, ["YTN 문의 (help@ytn.example)"])[0] == []


def test_several_credits_on_a_line_separated_by_commas(book: RoleBook) -> None:
    lines = ["(영상취재 : 성무진, 영상편집 : 편하율)", "영상취재 : 성무진 · 그래픽 : 도아름"]
    _, staff = _people(book, lines)
    assert staff == {"영상취재": ["성무진"], "영상편집": ["편하율"], "그래픽": ["도아름"]}


def test_names_after_one_label_separated_by_commas_stay_together(book: RoleBook) -> None:
    # A comma followed by a name, not by a label of its own, is one more name of the same credit.
    _, staff = _people(book, ["영상편집 : 편하율, 도아름"])
    assert staff == {"영상편집": ["편하율", "도아름"]}


def test_reporter_of_a_sign_off_with_a_lead_in(book: RoleBook) -> None:
    lines = ["[기자]", "비는 그쳤습니다.", "지금까지 물빛에서 YTN 염서진입니다."]
    assert _people(book, lines)[0] == ["염서진"]


@pytest.mark.parametrize("outlet", ["Arirang News", "Yonhap News", "KBS News"])
def test_an_english_sign_off_with_the_name_first(book: RoleBook, outlet: str) -> None:
    lines = ["[Report]", "Exports rose for a fifth month.", f"Seo Ha-yoon, {outlet}."]
    assert _people(book, lines, "en")[0] == ["Seo Ha-yoon"]
    assert roles(lines, ["en"] * 3, book)[2] == "signoff"
    kbs = ["[Report]", "Exports rose.", "KBS News, Seo Ha-yoon."]
    assert _people(book, kbs, "en")[0] == ["Seo Ha-yoon"]


def test_a_name_and_a_clause_before_an_outlet_is_no_sign_off(book: RoleBook) -> None:
    lines = ["[Report]", "Moon Ji-ah, Yonhap News reported, had already resigned."]
    assert _people(book, lines, "en")[0] == []


def test_a_credit_with_the_place_filed_from(book: RoleBook) -> None:
    lines = ["영상취재 : 경하람(한빛) / 영상편집 : 용다인", "영상취재 : 라윤서 (물빛)"]
    assert _people(book, lines)[1] == {"영상취재": ["경하람", "라윤서"], "영상편집": ["용다인"]}
