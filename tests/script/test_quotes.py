"""Quotes from blocks and from reported speech, with their speakers; and what is not a quote."""

from __future__ import annotations

import pytest

from pipeline.script import Quote, RoleBook, quotes, roles


def _roles(book: RoleBook, lines: list[str], lang: str = "ko") -> list[str]:
    return roles(lines, [lang] * len(lines), book)


def _quotes(book: RoleBook, lines: list[str], lang: str = "ko", outlet: str | None = None):
    text = "\n".join(lines)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    langs = [lang] * len(lines)
    found = quotes(lines, starts, langs, roles(lines, langs, book, outlet), book)
    for q in found:  # the offsets hold the quoted words
        assert " ".join(text[q.start : q.end].split()) == " ".join(q.text.split())
    return found


def _who(q: Quote) -> tuple[str | None, str | None, str, str]:
    return q.speaker, q.affiliation, q.kind, q.form


def test_a_korean_quote_block(book: RoleBook) -> None:
    [q] = _quotes(
        book, ["[리포트]", '[김달래/물빛 이주노동자센터 대표 : "숙소 사정은 그대로입니다."]']
    )
    assert _who(q) == ("김달래", "물빛 이주노동자센터 대표", "person", "block")
    assert q.text == "숙소 사정은 그대로입니다."
    assert q.line == 1


def test_a_block_without_quotation_marks(book: RoleBook) -> None:
    [q] = _quotes(book, ["[정하람 / 물빛당 원내대표 : 예산이 부족하다는 점이 드러났습니다.]"])
    assert _who(q) == ("정하람", "물빛당 원내대표", "person", "block")
    assert q.text == "예산이 부족하다는 점이 드러났습니다."


def test_a_block_with_several_slashes_keeps_the_affiliation_as_written(book: RoleBook) -> None:
    [q] = _quotes(book, ['[다나카 미오/일본 바둑 기사/15살 : "더 강해지고 싶습니다."]'])
    assert _who(q) == ("다나카 미오", "일본 바둑 기사/15살", "person", "block")


def test_an_interview_marker_and_a_bare_head(book: RoleBook) -> None:
    [q] = _quotes(book, ["[인터뷰] 홍길동 / 시민 : 요금이 그대로라 다행이에요."])
    assert _who(q) == ("홍길동", "시민", "person", "block")
    assert q.text == "요금이 그대로라 다행이에요."


def test_an_english_block_with_a_spokesperson(book: RoleBook) -> None:
    line = '[Han Da-in/Spokesperson for the Ministry of Oceans: "We will respond firmly to any violation."]'
    [q] = _quotes(book, ["[Report]", line], "en")
    assert _who(q) == ("Han Da-in", "Spokesperson for the Ministry of Oceans", "person", "block")
    assert q.text == "We will respond firmly to any violation."


def test_an_organisation_as_the_speaker(book: RoleBook) -> None:
    line = '[Mulbit Central Television: "Our units displayed high combat spirit."]'
    [q] = _quotes(book, [line], "en")
    assert _who(q) == ("Mulbit Central Television", None, "organisation", "block")
    [k] = _quotes(book, ['[물빛중앙통신 : "훈련은 계속될 것이다."]'])
    assert _who(k) == ("물빛중앙통신", None, "organisation", "block")


def test_an_unnamed_speaker_has_no_name(book: RoleBook) -> None:
    [q] = _quotes(book, ['[물빛경찰서 관계자/음성변조 : "신고는 어제 들어왔습니다."]'])
    assert _who(q) == (None, "물빛경찰서 관계자/음성변조", "unknown", "block")


def test_a_quote_over_several_lines_is_one_row(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        '[김달래/물빛 이주노동자센터 대표 : "일자리는 늘었지만',
        "숙소 사정은 그대로입니다.",
        'KBS 뉴스 홍화경입니다."]',
        "센터는 다음 달 실태 조사를 발표합니다.",
    ]
    [q] = _quotes(book, lines)
    assert q.text == "일자리는 늘었지만 숙소 사정은 그대로입니다. KBS 뉴스 홍화경입니다."
    assert (q.speaker, q.line) == ("김달래", 1)


def test_a_head_in_brackets_and_the_words_after_it(book: RoleBook) -> None:
    [q] = _quotes(book, ['[Lee Ha-na/Market analyst]"Rates will not fall this year."'], "en")
    assert _who(q) == ("Lee Ha-na", "Market analyst", "person", "block")
    [k] = _quotes(
        book, ["<하도윤 / 물빛당 의원>", '"끝까지 함께 가겠습니다.', '여러분을 믿습니다."']
    )
    assert _who(k) == ("하도윤", "물빛당 의원", "person", "block")
    assert k.text == "끝까지 함께 가겠습니다. 여러분을 믿습니다."


@pytest.mark.parametrize(
    "line",
    [
        '[단독] 물빛시 "요금 동결"',
        "[속보] 물빛시 버스 요금 동결",
        "[사진 출처 : 연합뉴스]",
        "[한결 / 물빛방송 취재 기자]",
        "[2025 국정감사 : 여야 공방]",
        "[저작권자(c) 물빛방송 무단전재 금지]",
        "[Photo : Yonhap News]",
    ],
)
def test_a_bracketed_headline_or_credit_is_not_a_quote(book: RoleBook, line: str) -> None:
    assert _quotes(book, [line]) == []
    assert roles([line], ["ko"], book)[0] != "quote"


def test_korean_reported_speech_with_a_named_speaker(book: RoleBook) -> None:
    [q] = _quotes(book, ['허진 물빛은행장은 "고객 불편을 끼쳐 죄송하다"며 고개를 숙였다.'])
    assert q.form == "inline" and q.text == "고객 불편을 끼쳐 죄송하다"
    [k] = _quotes(book, ['정하람 대표는 "예산을 다시 짜겠다"고 말했습니다.'])
    assert _who(k) == ("정하람", "대표", "person", "inline")


def test_korean_reported_speech_from_an_organisation(book: RoleBook) -> None:
    [q] = _quotes(book, ['노조 측은 "교섭을 이어가겠다"고 밝혔다.'])
    assert _who(q) == ("노조 측", None, "organisation", "inline")


def test_korean_reported_speech_without_a_named_speaker_is_unknown(book: RoleBook) -> None:
    [q] = _quotes(book, ['"내일 다시 논의하겠다"고 말했습니다.'])
    assert _who(q) == (None, None, "unknown", "inline")
    [k] = _quotes(book, ['한 시민은 "불편이 크다"고 말했습니다.'])
    assert (k.speaker, k.kind) == (None, "unknown")


def test_english_reported_speech(book: RoleBook) -> None:
    [q] = _quotes(
        book, ['"We will not raise fares," said Kim Do-yun, a spokesperson for the city.'], "en"
    )
    assert _who(q) == ("Kim Do-yun", "a spokesperson for the city", "person", "inline")
    assert q.text == "We will not raise fares"
    [k] = _quotes(book, ['"The plan is fair," Lee Ha-na said.'], "en")
    assert (k.speaker, k.kind) == ("Lee Ha-na", "person")
    [h] = _quotes(book, ['"The plan is fair," he said.'], "en")
    assert _who(h) == (None, None, "unknown", "inline")
    [m] = _quotes(book, ['The Mulbit Ministry of Finance said, "Growth will slow."'], "en")
    assert (m.speaker, m.kind) == ("Mulbit Ministry of Finance", "organisation")


def test_quotation_marks_without_a_verb_of_saying_are_no_quote(book: RoleBook) -> None:
    assert _quotes(book, ['The ministry called the cap a "first step" in its plan.'], "en") == []
    assert _quotes(book, ['이른바 "깜깜이 요금"이 문제로 떠올랐습니다.']) == []


def test_korean_speaker_named_after_the_quotation(book: RoleBook) -> None:
    [q] = _quotes(book, ['"예산을 다시 짜겠다"고 정하람 대표는 말했습니다.'])
    assert _who(q) == ("정하람", "대표", "person", "inline")


def test_a_speaker_under_a_soundbite_marker_with_the_title_in_parentheses(book: RoleBook) -> None:
    lines = [
        "[Report]",
        "The adviser spoke after the meeting.",
        "[Soundbite]",
        "Park Se-ri (Nat'l Security Adviser): We will stay ready for any provocation.",
        "The adviser also said talks with Beijing would resume.",
    ]
    # The sound bite is the speaker's block; the report goes on after it.
    assert roles(lines, ["en"] * 5, book) == ["marker", "report", "marker", "quote", "report"]
    [q] = _quotes(book, lines, "en")
    assert _who(q) == ("Park Se-ri", "Nat'l Security Adviser", "person", "block")
    assert q.text == "We will stay ready for any provocation."


def test_a_block_in_braces(book: RoleBook) -> None:
    [q] = _quotes(book, ['{한가람/배우/"더 좋은 방송이 되길 바랍니다."}'])
    assert _who(q) == ("한가람", "배우", "person", "block")
    assert q.text == "더 좋은 방송이 되길 바랍니다."


def test_korean_name_organisation_and_title(book: RoleBook) -> None:
    [q] = _quotes(book, ['이도윤 물빛투자 연구원은 "증시가 오를 것"이라고 말했다.'])
    assert _who(q) == ("이도윤", "물빛투자 연구원", "person", "inline")
    [k] = _quotes(book, ['물빛투자 한 연구원은 "증시가 오를 것"이라고 말했다.'])
    assert (k.speaker, k.kind) == (None, "unknown")
    [d] = _quotes(book, ['당시 현장 소장은 "문제가 없었다"고 말했다.'])
    assert (d.speaker, d.kind) == (None, "unknown")


def test_a_subject_is_not_taken_across_a_glued_full_stop(book: RoleBook) -> None:
    [q] = _quotes(book, ['회의는 끝났다.물빛시 관계자는 "다시 논의한다"고 말했다.'])
    assert q.affiliation == "물빛시 관계자"


# Reported speech in newspaper prose: the subject and the quotation apart, a title after the name,
# an organisation's stated position, one speaker's quotations in a row.


def test_a_subject_with_words_between_it_and_the_quotation(book: RoleBook) -> None:
    line = '강도윤 새솔군수는 12일 군청 브리핑에서 "다리 공사를 올해 안에 끝내겠다"고 말했다.'
    [q] = _quotes(book, [line])
    # 새솔 is the county of the title, not the name.
    assert _who(q) == ("강도윤", "새솔군수", "person", "inline")


@pytest.mark.parametrize(
    ("line", "who"),
    [
        (
            '심하준 한결시 도시계획국장은 "공원 부지를 늘리겠다"고 밝혔다.',
            ("심하준", "한결시 도시계획국장"),
        ),
        (
            '탁예린 새솔군 보건소장은 "검진 버스를 두 대 더 들이겠다"고 설명했다.',
            ("탁예린", "새솔군 보건소장"),
        ),
        (
            '편주안 한결전자 선임연구원은 "수율이 오르고 있다"고 말했다.',
            ("편주안", "한결전자 선임연구원"),
        ),
    ],
)
def test_the_name_is_the_person_shaped_word_before_the_title(
    book: RoleBook, line: str, who: tuple[str, str]
) -> None:
    [q] = _quotes(book, [line])
    assert (q.speaker, q.affiliation, q.kind) == (*who, "person")


@pytest.mark.parametrize(
    ("line", "who"),
    [
        (
            '한결택시운송조합은 "요금을 올리지 않으면 버틸 수 없다"는 입장을 냈다.',
            ("한결택시운송조합", None),
        ),
        ('한결대학교는 "장학금을 줄이지 않겠다"이라는 입장문을 냈다.', ("한결대학교", None)),
        ('새솔군의사회는 "응급실 당직을 나눠 맡겠다"고 요구했다.', ("새솔군의사회", None)),
        (
            '환경단체 새솔강지킴이연대는 "보 개방을 미뤄선 안 된다"는 입장이다.',
            ("새솔강지킴이연대", "환경단체"),
        ),
        ('해양안전부는 "점검을 마칠 때까지 운항을 멈춘다"고 밝혔다.', ("해양안전부", None)),
    ],
)
def test_an_organisation_and_its_stated_position(
    book: RoleBook, line: str, who: tuple[str, str | None]
) -> None:
    [q] = _quotes(book, [line])
    assert (q.speaker, q.affiliation, q.kind) == (*who, "organisation")


def test_one_speakers_quotations_in_a_row(book: RoleBook) -> None:
    line = (
        '학생회장 모다인 씨는 "식당 가격이 너무 올랐다"라며 "학교가 보조금을 늘려야 한다"고 말했다.'
    )
    first, second = _quotes(book, [line])
    assert _who(first) == _who(second) == ("모다인", "학생회장", "person", "inline")


def test_a_second_speaker_in_the_same_sentence_is_not_the_first(book: RoleBook) -> None:
    line = '노조 측은 "교섭을 잇겠다"고, 사측은 "안을 다시 내겠다"고 말했다.'
    first, second = _quotes(book, [line])
    assert first.speaker == "노조 측"
    assert second.speaker != "노조 측"


@pytest.mark.parametrize(
    "line",
    [
        '그는 "감염 관리 인력을 먼저 뽑겠다"고 말했다.',  # a pronoun
        '회견을 마치고 나온 이 대표는 "답하지 않겠다"고 말했다.',  # a surname alone
        '소유주는 "차를 빼지 않겠다"고 말했다.',  # a noun in a surname's shape, no title
        '현장 소장은 "공사를 멈추겠다"고 말했다.',  # a title, no name
    ],
)
def test_a_subject_that_names_nobody_in_full_is_unknown(book: RoleBook, line: str) -> None:
    [q] = _quotes(book, [line])
    assert (q.speaker, q.kind) == (None, "unknown")


def test_a_quoted_phrase_before_a_noun_is_no_stated_position(book: RoleBook) -> None:
    assert _quotes(book, ['시는 "먼저 온 사람이 먼저"는 원칙을 지켰다.']) == []


def test_english_title_before_the_name_and_saying_after_a_clause(book: RoleBook) -> None:
    line = (
        "Governor Ryu Ha-eun told reporters the island would get a second ferry at 7 a.m. daily,"
        ' saying: "Nobody should wait a week for a boat."'
    )
    [q] = _quotes(book, [line], "en")
    assert _who(q) == ("Ryu Ha-eun", "Governor", "person", "inline")
    [m] = _quotes(book, ['Mayor Seo Jin-ho said, "The pool will open in June."'], "en")
    assert _who(m) == ("Seo Jin-ho", "Mayor", "person", "inline")


def test_english_saying_after_a_subject_that_names_nobody(book: RoleBook) -> None:
    line = 'The port told reporters it would add sailings, saying: "Nobody should wait a week."'
    [q] = _quotes(book, [line], "en")
    assert (q.speaker, q.kind) == (None, "unknown")


@pytest.mark.parametrize(
    ("line", "lang", "speaker"),
    [
        ('[새솔교육청 : "방과후 강사를 더 뽑겠습니다."]', "ko", "새솔교육청"),
        ('[산림보호청 : "입산을 통제합니다."]', "ko", "산림보호청"),
        (
            '[Hanbit Metropolitan City: "The bridge will reopen on Monday."]',
            "en",
            "Hanbit Metropolitan City",
        ),
        ('[Saesol Ferry Company: "Sailings resume at noon."]', "en", "Saesol Ferry Company"),
    ],
)
def test_organisations_quoted_in_a_block(
    book: RoleBook, line: str, lang: str, speaker: str
) -> None:
    [q] = _quotes(book, [line], lang)
    assert (q.speaker, q.kind) == (speaker, "organisation")


def test_a_person_quoted_in_a_block_without_a_title(book: RoleBook) -> None:
    [q] = _quotes(book, ['[남궁도현 : "다시 뛰겠습니다."]'])
    assert (q.speaker, q.kind) == ("남궁도현", "person")


def test_a_soundbite_of_an_unnamed_speaker_without_a_slash(book: RoleBook) -> None:
    [q] = _quotes(
        book,
        ["[리포트]", "시는 입장을 냈습니다.", "[녹취] 새솔시 관계자 : 예산 안에서 검토하겠습니다."],
    )
    assert _who(q) == (None, "새솔시 관계자", "unknown", "block")
    assert q.text == "예산 안에서 검토하겠습니다."


def test_interview_bites_are_quotes_too(book: RoleBook) -> None:
    lines = [
        "[기자]",
        "상인들은 반겼습니다.",
        "[인터뷰]",
        "도하람 / 새솔시장 상인 : 손님이 늘 것 같아요.",
        "시는 다음 달 시행합니다.",
    ]
    [q] = _quotes(book, lines)
    assert _who(q) == ("도하람", "새솔시장 상인", "person", "block")


def test_a_subject_ending_apart_from_the_quotation_and_the_topic_first(book: RoleBook) -> None:
    [q] = _quotes(book, ['해양안전부가 12일 보도자료에서 "점검을 늘리겠다"고 밝혔다.'])
    assert (q.speaker, q.kind) == ("해양안전부", "organisation")
    line = '해양안전부가 내놓은 안에 대해 염지후 새솔대 교수는 12일 "실효성이 낮다"고 말했다.'
    [k] = _quotes(book, [line])
    assert (k.speaker, k.affiliation) == ("염지후", "새솔대 교수")


@pytest.mark.parametrize(
    ("line", "who"),
    [
        ('오세린(42) 씨는 "물이 순식간에 찼다"고 말했다.', ("오세린", None, "person")),
        ('주민 오세린(42)씨는 "물이 순식간에 찼다"고 말했다.', ("오세린", "주민", "person")),
        (
            '이에 대해 한결전력 측은 "규정대로 했다"고 해명했다.',
            ("한결전력 측", None, "organisation"),
        ),
        ('경찰은 "수사를 넓히겠다"고 밝혔다.', ("경찰", None, "organisation")),
    ],
)
def test_what_stands_around_a_subject_is_no_part_of_it(
    book: RoleBook, line: str, who: tuple[str, str | None, str]
) -> None:
    [q] = _quotes(book, [line])
    assert (q.speaker, q.affiliation, q.kind) == who


def test_an_mbn_bite_names_its_speaker_inside_the_marker(book: RoleBook) -> None:
    lines = [
        "【 기자 】",
        "교량 위는 먼저 얼어붙습니다.",
        '【 인터뷰 : 변지호 / 한빛교통연구소 책임연구원 】 "다리 위에서는 속도를 줄여야 합니다."',
        "【 인터뷰 : 도로공사 관계자 】 제설차를 더 보내겠습니다.",
    ]
    first, second = _quotes(book, lines)
    assert _who(first) == ("변지호", "한빛교통연구소 책임연구원", "person", "block")
    assert first.text == "다리 위에서는 속도를 줄여야 합니다."
    assert (second.speaker, second.kind, second.text) == (
        None,
        "unknown",
        "제설차를 더 보내겠습니다.",
    )


def test_a_bracketed_head_closed_after_an_interview_marker(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        '[인터뷰] 탁서진 / 한빛해양경찰서 구조계장] "구명조끼를 꼭 입어야 합니다."',
    ]
    [q] = _quotes(book, lines)
    assert _who(q) == ("탁서진", "한빛해양경찰서 구조계장", "person", "block")


def test_a_bracket_in_a_bare_bite_is_no_end_of_its_head(book: RoleBook) -> None:
    [q] = _quotes(book, ["[인터뷰]", "봉하율 / 한빛시 주민 : 그건 [지원금] 얘기가 아니에요."])
    assert _who(q) == ("봉하율", "한빛시 주민", "person", "block")
    assert q.text == "그건 [지원금] 얘기가 아니에요."


def test_a_speaker_line_and_a_quotation_line_are_one_block(book: RoleBook) -> None:
    lines = [
        "[리포트]",
        "택배 문자를 가장한 사기가 늘었습니다.",
        "[한빛경찰청 금융범죄수사대]",
        '"모르는 주소는 누르지 마십시오."',
        "[마은채 / 자영업자]",
        '"저도 하마터면 누를 뻔했어요."',
    ]
    assert _roles(book, lines) == ["marker", "report", "quote", "quote", "quote", "quote"]
    org, person = _quotes(book, lines)
    assert _who(org) == ("한빛경찰청 금융범죄수사대", None, "organisation", "block")
    assert org.text == "모르는 주소는 누르지 마십시오."
    assert _who(person) == ("마은채", "자영업자", "person", "block")


@pytest.mark.parametrize(
    "lines",
    [
        ["[단독]", '"한빛시 예산 어디로 갔나"'],
        ["【 속보 】", '"물빛댐 수문 개방"'],
        ["[사진 출처 : 한빛일보]", '"이번 주말이 고비"'],
    ],
)
def test_a_tag_over_a_quoted_headline_is_no_quote(book: RoleBook, lines: list[str]) -> None:
    assert _quotes(book, lines) == []


def test_an_honorific_is_no_part_of_the_name(book: RoleBook) -> None:
    [q] = _quotes(book, ['[녹취] 채다온 씨 / 한빛시 주민 : "장바구니가 가벼워졌어요."'])
    assert (q.speaker, q.kind) == ("채다온", "person")
    [r] = _quotes(book, ['한빛시장에서 만난 채다온 씨는 "장바구니가 가벼워졌다"고 말했다.'])
    assert (r.speaker, r.kind) == ("채다온", "person")


def test_an_organisation_whose_name_holds_a_designation_is_named(book: RoleBook) -> None:
    [q] = _quotes(book, ['[한빛농민회총연맹 : "쌀값을 보장하라."]'])
    assert (q.speaker, q.kind) == ("한빛농민회총연맹", "organisation")
    [r] = _quotes(book, ['[한빛시 농민 : "쌀값을 보장하라."]'])
    assert (r.speaker, r.kind) == (None, "unknown")


def test_a_voice_altered_speaker_is_not_named(book: RoleBook) -> None:
    [q] = _quotes(book, ['[녹취] 공장 경비 직원 (음성변조)] "아무도 못 들어갑니다."'])
    assert (q.speaker, q.kind) == (None, "unknown")


@pytest.mark.parametrize(
    ("line", "who", "kind"),
    [
        ('문을 닫은 변태오 약사는 "인건비가 너무 올랐다"고 말했다.', "변태오", "person"),
        ('한국수자원공사 한빛지사는 "격일로 물을 공급한다"고 밝혔다.', "한국수자원공사 한빛지사",
         "organisation"),
        ('한빛시배드민턴연맹은 "대회를 미룰 수밖에 없다"고 지적했다.', "한빛시배드민턴연맹",
         "organisation"),
        ('한빛경찰청 사이버수사국은 "링크를 누르지 말라"고 당부했다.', "한빛경찰청 사이버수사국",
         "organisation"),
        ('한빛농민회총연맹은 "쌀값을 보장하라"고 촉구했다.', "한빛농민회총연맹", "organisation"),
        ('한빛시 주민은 "버스가 없다"고 말했다.', None, "unknown"),
    ],
)  # fmt: skip
def test_korean_titles_units_and_federations(
    book: RoleBook, line: str, who: str | None, kind: str
) -> None:
    [q] = _quotes(book, [line])
    assert (q.speaker, q.kind) == (who, kind)


def test_a_person_after_an_organisation_is_not_its_unit(book: RoleBook) -> None:
    [q] = _quotes(book, ['한빛전자 구지사 대표는 "감산은 없다"고 말했다.'])
    assert (q.speaker, q.kind) == ("구지사", "person")


def test_a_quoted_title_that_nobody_says_is_no_quote(book: RoleBook) -> None:
    assert _quotes(book, ['"한빛시 안전조례"가 오늘부터 시행됩니다.']) == []
    assert _quotes(book, ['The "Safe Harbor Act" takes effect on Monday.'], "en") == []
    assert _quotes(book, ['The "Fair Roads" plan said nothing about fares.'], "en") == []
    [q] = _quotes(book, ['"Is it fair?" residents asked.'], "en")
    assert (q.speaker, q.kind) == (None, "unknown")


@pytest.mark.parametrize(
    ("line", "who", "aff", "kind"),
    [
        ('"We need more time," Deputy Trade Minister Ro Ha-eun told reporters.', "Ro Ha-eun",
         "Deputy Trade Minister", "person"),
        ('"It is too early," Foreign Ministry spokesperson Yeo Min-gyu said.', "Yeo Min-gyu",
         "Foreign Ministry spokesperson", "person"),
        ('"The lifts break every week," said commuter Pyo Seo-ah, who uses a cane.', "Pyo Seo-ah",
         "commuter", "person"),
        ('"The lifts break every week," Pyo Seo-ah said.', "Pyo Seo-ah", None, "person"),
        ('"We welcome it. It is a start," U.N. Secretary-General Cho Yi-an said.', "Cho Yi-an",
         "U.N. Secretary-General", "person"),
        ('"It is late," U.S. Ambassador Tak Mi-rae said on Friday.', "Tak Mi-rae",
         "U.S. Ambassador", "person"),
        ('"Nobody asked us," the Hanbit Nurses\' Union said in a statement.',
         "Hanbit Nurses' Union", None, "organisation"),
    ],
)  # fmt: skip
def test_english_titles_before_names_and_organisations_without_the(
    book: RoleBook, line: str, who: str, aff: str | None, kind: str
) -> None:
    [q] = _quotes(book, [line], "en")
    assert (q.speaker, q.affiliation, q.kind) == (who, aff, kind)


def test_english_said_and_a_day_is_no_speaker(book: RoleBook) -> None:
    found = _quotes(book, ['"Prices will fall," said on Monday the head of the board.'], "en")
    assert all(q.speaker is None for q in found)
    [q] = _quotes(book, ['"Prices will fall," officials said on Monday.'], "en")
    assert (q.speaker, q.kind) == (None, "unknown")


def test_a_quoted_sentence_after_an_attributed_one_is_unknown(book: RoleBook) -> None:
    line = '"It is late," said U.S. Ambassador Tak Mi-rae. "But it is welcome."'
    first, second = _quotes(book, [line], "en")
    assert (first.speaker, first.affiliation) == ("Tak Mi-rae", "U.S. Ambassador")
    assert (second.speaker, second.kind, second.text) == (None, "unknown", "But it is welcome.")
    # Without a speaker before it, a quoted sentence alone is no row at all.
    assert _quotes(book, ['Drivers were angry. "We lose money."'], "en") == []
