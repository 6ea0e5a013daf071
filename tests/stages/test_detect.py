from collections.abc import Callable

import pyarrow as pa
import pytest

from pipeline.config import Config
from pipeline.rules import RuleSet
from pipeline.schemas import DOCUMENTS, LANGS
from pipeline.script import roles
from pipeline.stages.detect import body_lang, body_roles, detect_batch, segment_lang
from pipeline.stages.ingest import parse_header


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("KBS News, Kim Kyung-jin.", "en"),
        ("[Anchor]", "en"),
        ("I'm Kang Na-rim from New York.", "en"),
        ("▷ 전화 : 02-781-1234, 4444", "ko"),
        ("▷ 이메일 : kbs1234@kbs.co.kr", "ko"),  # the address is no evidence of English
        ("■ 제보하기", "ko"),
        ("KBS 뉴스 공민경입니다.", "ko"),
        ("00:00", "und"),
        ("182", "und"),
        ("", "und"),
        ("미국의 SAT와 LSAT, GRE 시험에서 부정행위가 적발됐습니다.", "ko"),
    ],
)
def test_short_lines_get_the_right_language(config: Config, text: str, lang: str) -> None:
    assert segment_lang(text, config.detect) == lang


def test_labels_are_deterministic_and_allowed(config: Config) -> None:
    lines = ["Seoul 서울 Busan 부산 Daegu", "대구 Daegu 광주 Gwangju", "Ukraine 우크라이나"]
    first = [segment_lang(t, config.detect) for t in lines]
    again = [segment_lang(t, config.detect) for t in reversed(lines)][::-1]
    assert first == again
    assert set(first) <= set(LANGS)


def test_body_language_ignores_nothing_it_is_not_given(config: Config) -> None:
    english = ["The union says talks broke down.", "KBS News, Park Min-ji."]
    assert body_lang(english, config.detect) == "en"
    assert body_lang(
        english + ["■ 제보하기", "▷ 카카오톡 : 'KBS제보' 검색, 채널 추가"] * 3, config.detect
    ) in {
        "mixed",
        "ko",
    }
    assert (
        body_lang(
            ["한국어 문장입니다."] * 3 + ["An English sentence of similar length."] * 3,
            config.detect,
        )
        == "mixed"
    )
    assert body_lang([], config.detect) == "und"


def _docs(*texts: str, header_end: int = 0) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": f"d{i}",
                "source_path": f"{i}.txt",
                "text": t,
                "encoding": "utf-8",
                "published_date": None,
                "title": None,
                "header_end": header_end,
            }
            for i, t in enumerate(texts)
        ],
        schema=DOCUMENTS,
    )


def test_segments_are_lines_with_offsets_and_parts(rules: RuleSet, config: Config) -> None:
    text = (
        "The port was closed.\n\nKBS News, Park Min-ji.\n\n■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n"
    )
    segs = detect_batch(_docs(text), rules, config.detect).to_pylist()
    assert [s["text"] for s in segs] == [
        "The port was closed.",
        "KBS News, Park Min-ji.",
        "■ 제보하기",
        "▷ 전화 : 02-781-1234, 4444",
    ]
    assert [s["part"] for s in segs] == ["body", "body", "footer", "footer"]
    assert [s["para"] for s in segs] == [0, 1, 2, 2]
    assert [s["lang"] for s in segs] == ["en", "en", "ko", "ko"]
    for s in segs:
        assert text[s["start"] : s["end"]] == s["text"]


def test_a_footer_run_into_the_body_is_its_own_segment(rules: RuleSet, config: Config) -> None:
    text = "요금이 오릅니다.※ '당신의 제보가 뉴스가 됩니다'[카카오톡] YTN 검색해 채널 추가[전화] 02-398-8585"
    segs = detect_batch(_docs(text), rules, config.detect).to_pylist()
    assert segs[0]["text"] == "요금이 오릅니다."
    assert segs[0]["part"] == "body"
    assert {s["part"] for s in segs[1:]} == {"footer"}
    assert all(s["line"] == 0 for s in segs)
    assert "".join(s["text"] for s in segs) == text


def test_header_line_and_its_interface_string(rules: RuleSet, config: Config) -> None:
    text = "date 2025-04-28 동영상 고정 취소\nBody line."
    header_end = parse_header(text)[2]
    segs = detect_batch(_docs(text, header_end=header_end), rules, config.detect).to_pylist()
    assert [(s["text"], s["part"]) for s in segs] == [
        ("date 2025-04-28", "header"),
        ("동영상 고정 취소", "artefact"),
        ("Body line.", "body"),
    ]


def test_a_one_line_document_is_cut_after_its_date(rules: RuleSet, config: Config) -> None:
    body = "SEOUL (Newswire) — The city opened a library that stays open until midnight. " * 4
    text = f" date 2024-10-21 {body.strip()}"
    header_end = parse_header(text)[2]
    segs = detect_batch(_docs(text, header_end=header_end), rules, config.detect).to_pylist()
    assert [(s["text"], s["part"]) for s in segs] == [
        ("date 2024-10-21", "header"),
        (body.strip(), "body"),
    ]


_INT = "[리포트]\n시민들은 반겼습니다.\n◀ INT ▶\n박서연 / 주민 : 다행이에요.\n"


def test_an_outlets_own_marker_reads_by_the_records_outlet(rules: RuleSet, config: Config) -> None:
    """◀ INT ▶ is MBC's interview marker: in an MBC record and where the outlet is unknown it
    announces an interview; in a KBS record it is furniture, and the report goes on."""
    docs = _docs(_INT, _INT, _INT)
    docs = docs.set_column(
        DOCUMENTS.get_field_index("outlet"), "outlet", pa.array(["MBC", "KBS", None])
    )
    segs = detect_batch(docs, rules, config.detect).to_pylist()
    by_doc = [[s["role"] for s in segs if s["doc_id"] == d] for d in ("d0", "d1", "d2")]
    assert by_doc[0] == by_doc[2] == ["marker", "report", "marker", "interview"]
    assert by_doc[1] == ["marker", "report", "marker", "report"]
    lines = _INT.split("\n")[:-1]
    assert by_doc[1] == roles(lines, ["ko"] * 4, rules.book, "KBS")


def test_the_outlet_is_looked_up_only_for_a_line_an_outlets_own_rule_may_read(
    rules: RuleSet,
) -> None:
    lines = ["[리포트]", "시민들은 반겼습니다.", "[인터뷰] 박서연 / 주민 : 다행이에요.", "◀ SYN ▶"]
    columns = {"part": ["body"] * 5, "text": [*lines, lines[0]], "lang": ["ko"] * 5}
    asked: list[int] = []

    def outlet(n: int) -> Callable[[], str | None]:
        return lambda: asked.append(n) or "MBC"  # type: ignore[func-returns-value]

    found = body_roles(columns, [(0, 3, outlet(0)), (3, 2, outlet(1))], rules)
    assert asked == [1]
    assert found == ["marker", "report", "interview", "marker", "marker"]
