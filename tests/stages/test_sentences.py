"""The sentences tokenize writes: Kiwi's and spaCy's sentences, cut at segments, over the tokens."""

import itertools
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.schemas import SEGMENTS, SENTENCES
from pipeline.stages.tokenize import english, sentencizer_starts, tokenize_batch


def _segments(rows: list[tuple[str, str]], role: list[str | None] | None = None) -> pa.Table:
    """One document's segments (text, lang), all body; with their roles when given."""
    table = pa.Table.from_pylist(
        [
            {"doc_id": "d", "seg_id": i, "start": 0, "end": len(t), "line": i, "para": 0,
             "text": t, "lang": lang, "part": "body", "promo": False, "rule_id": None}
            for i, (t, lang) in enumerate(rows)
        ],
        schema=SEGMENTS,
    )  # fmt: skip
    if role is not None:
        table = table.set_column(
            table.schema.get_field_index("role"),
            SEGMENTS.field("role"),
            pa.array(role, pa.string()),
        )
    return table


def _split(rows: list[tuple[str, str]]) -> list[list[str]]:
    """The sentences of each segment, as text."""
    sentences = tokenize_batch(_segments(rows), 2)["sentences"].to_pylist()
    found: list[list[str]] = [[] for _ in rows]
    for s in sentences:
        found[s["seg_id"]].append(s["text"])
    return found


KOREAN_LINES = [
    ("[앵커]", ["[앵커]"]),
    ("KBS 뉴스 홍화경입니다.", ["KBS 뉴스 홍화경입니다."]),
    (
        '김 장관은 "대화의 문은 열려 있습니다. 북한이 호응해야 합니다"라고 말했습니다.',
        ['김 장관은 "대화의 문은 열려 있습니다. 북한이 호응해야 합니다"라고 말했습니다.'],
    ),
    (
        "코스피는 2.63% 오른 2,650.28에 마감했습니다. 환율은 4.28원 내렸습니다",
        ["코스피는 2.63% 오른 2,650.28에 마감했습니다.", "환율은 4.28원 내렸습니다"],
    ),
    (
        '[박영수/서울 마포구 주민 : "물이 갑자기 들어왔어요... 손쓸 틈이 없었습니다."]',
        ['[박영수/서울 마포구 주민 : "물이 갑자기 들어왔어요... 손쓸 틈이 없었습니다."]'],
    ),
    (
        "정말 그럴까요? 아닙니다! 그런데… 문제는 남습니다",
        ["정말 그럴까요?", "아닙니다!", "그런데… 문제는 남습니다"],
    ),
    ("(4.28)", ["(4.28)"]),
    ("촬영기자 : 이수진 / 영상편집 : 장민호", ["촬영기자 : 이수진 / 영상편집 : 장민호"]),
    (
        '그는 "안 된다"고 했다. 그러나 결과는 달랐다.',
        ['그는 "안 된다"고 했다.', "그러나 결과는 달랐다."],
    ),
    (  # Kiwi would leave the second △ at the end of the first sentence
        "△ 첫째, 안전입니다. △ 둘째, 비용입니다.",
        ["△ 첫째, 안전입니다.", "△ 둘째, 비용입니다."],
    ),
    ("1. 벚꽃 축제 개막", ["1. 벚꽃 축제 개막"]),
    ("ⓒ 한빛방송", ["ⓒ 한빛방송"]),
]

ENGLISH_LINES = [
    ("[Anchor]", ["[Anchor]"]),
    ("KBS News, Kim Kyung-jin.", ["KBS News, Kim Kyung-jin."]),
    ("(4.28)", ["(4.28)"]),
    (
        "The talks resumed on Apr. 26 in Seoul. Mr. Kim said the U.S. would join.",
        ["The talks resumed on Apr. 26 in Seoul.", "Mr. Kim said the U.S. would join."],
    ),
    (
        "Lt. Col. Han arrived at 9 a.m. on Jan. 5. He was ranked No. 1 in the unit.",
        ["Lt. Col. Han arrived at 9 a.m. on Jan. 5.", "He was ranked No. 1 in the unit."],
    ),
    (
        '[Park Min-ho/Spokesperson for the Ministry: "We regret it. We urge a reply."]',
        ['[Park Min-ho/Spokesperson for the Ministry: "We regret it.', 'We urge a reply."]'],
    ),
    (
        'He said, "No." Then he left! Shares rose 2.63 percent',
        ['He said, "No."', "Then he left!", "Shares rose 2.63 percent"],
    ),
    ("Prices rose... and then fell", ["Prices rose... and then fell"]),
    ("Is it over? Not yet.", ["Is it over?", "Not yet."]),
    (  # the sentencizer would leave "(" and "[" at the end of the sentence before
        "He left. (Photo: KBS) Done. [Report] Next.",
        ["He left.", "(Photo: KBS) Done.", "[Report] Next."],
    ),
    (
        "Lee Da-eun is reporting from Tokyo. ◀ Report ▶Shares fell.",
        ["Lee Da-eun is reporting from Tokyo.", "◀ Report ▶Shares fell."],
    ),
    ("1. Harbour festival", ["1. Harbour festival"]),
    (  # a quotation that opens a sentence starts it; a closing one ends the sentence before
        '"Fares will stay," said Ro Ha-eun on Friday. "It is a start." Others doubt it.',
        ['"Fares will stay," said Ro Ha-eun on Friday.', '"It is a start."', "Others doubt it."],
    ),
    (
        'Drivers were angry. "We lose money," one said. He quoted the "Fair Roads" plan.',
        ["Drivers were angry.", '"We lose money," one said.', 'He quoted the "Fair Roads" plan.'],
    ),
    (
        "Asked why, he said: 'Later.' Then he left.",
        ["Asked why, he said: 'Later.'", "Then he left."],
    ),
]


@pytest.mark.parametrize(("line", "expected"), KOREAN_LINES)
def test_korean_broadcast_lines_are_split_as_kiwi_splits_them(
    kiwi: Any, line: str, expected: list[str]
) -> None:
    assert _split([(line, "ko")]) == [expected]


@pytest.mark.parametrize(("line", "expected"), ENGLISH_LINES)
def test_english_broadcast_lines_are_split_where_a_reader_would(
    line: str, expected: list[str]
) -> None:
    assert _split([(line, "en")]) == [expected]


def test_a_sentence_never_crosses_a_segment(kiwi: Any) -> None:
    rows = [
        ("대통령은 오늘", "ko"),  # no final period: the line still ends its sentence
        ("담화를 발표했습니다.", "ko"),
        ("The minister said", "en"),
        ("nothing more.", "en"),
        ("Seoul 서울에서 열린 회의", "mixed"),
    ]
    assert _split(rows) == [[t] for t, _ in rows]


def test_a_marker_line_after_a_sentence_stays_whole(kiwi: Any) -> None:
    # One text per document goes to Kiwi, which ends the first line's sentence after the "◀".
    rows = [("철도 노조가 파업을 철회했습니다.", "ko"), ("◀ 리포트 ▶", "ko"), ("▲ 좋아요 0", "ko")]
    assert _split(rows) == [[t] for t, _ in rows]


def test_english_sentences_are_the_sentencizers_where_no_rule_of_ours_applies() -> None:
    nlp = english()
    from spacy.pipeline import Sentencizer

    text = 'He said, "No." Then he left! Sales rose... Prices fell? Yes. Done (KBS) today. End'
    expected = [s.text for s in Sentencizer()(nlp.make_doc(text)).sents]
    assert _split([(text, "en")]) == [expected]


def test_korean_sentences_are_kiwis_own(kiwi: Any) -> None:
    text = (
        '정부는 오늘 대책을 발표했습니다. 시민들은 "늦었다"고 말합니다! 왜일까요? 다음 소식입니다'
    )
    expected = [text[s[0].start : s[-1].end] for s in kiwi.tokenize(text, split_sents=True)]
    assert _split([(text, "ko")]) == [expected] and len(expected) == 4


def test_role_comes_from_the_segments(kiwi: Any) -> None:
    rows = [("[Anchor]", "en"), ("The talks resumed. Both sides met.", "en"), ("끝.", "ko")]
    with_role = tokenize_batch(_segments(rows, ["marker", "anchor", None]), 2)["sentences"]
    assert with_role.schema == SENTENCES
    assert with_role["role"].to_pylist() == ["marker", "anchor", "anchor", None]
    without = tokenize_batch(_segments(rows), 2)["sentences"]
    assert without.schema == SENTENCES and without["role"].null_count == 4  # no roles: nulls
    assert without.drop(["role"]) == with_role.drop(["role"])


def test_segments_without_tokens_have_no_sentences(kiwi: Any) -> None:
    out = tokenize_batch(_segments([("", "und"), ("   ", "en")]), 2)
    assert out["tokens"].num_rows == 0 and out["sentences"].num_rows == 0
    assert out["sentences"].schema == SENTENCES


# Properties: every token lies in exactly one sentence of its segment -----------------------

PIECES = [
    "정부는", "오늘", "발표했습니다.", "말했습니다", '"안 된다"고', "했다.", "…", "?", "!", "2.63%",
    "(4.28)", "[앵커]", "KBS", "News,", "Kim", "Kyung-jin.", "Mr.", "Apr.", "26", "U.S.", "Lt.",
    "Col.", "No.", "1", "said", '"No."', "...", "서울", "Seoul", ":", "/", "'", "“", "”",
]  # fmt: skip
lines = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet="가나다라 .?!\"'()…abc ABC 123", max_size=12),
    ),
    max_size=10,
).map(" ".join)
documents = st.lists(
    st.tuples(lines, st.sampled_from(["ko", "en", "mixed"])), min_size=1, max_size=5
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=documents)
def test_every_token_lies_in_exactly_one_sentence(kiwi: Any, rows: list[tuple[str, str]]) -> None:
    out = tokenize_batch(_segments(rows), 2)
    tokens, sentences = out["tokens"].to_pylist(), out["sentences"].to_pylist()
    by_segment = {
        seg: list(group) for seg, group in itertools.groupby(sentences, key=lambda s: s["seg_id"])
    }
    for seg, group in by_segment.items():
        text = rows[seg][0]
        assert [s["sent_id"] for s in group] == list(range(len(group)))
        for s in group:
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert s["text"] == text[s["start"] : s["end"]] == s["text"].strip()
            assert s["lang"] == rows[seg][1] and s["part"] == "body"
        assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(group))
    used = {(s["seg_id"], s["sent_id"]): 0 for s in sentences}
    for tok in tokens:
        holding = [s for s in by_segment[tok["seg_id"]] if s["start"] <= tok["start"] < s["end"]]
        assert len(holding) == 1, tok
        assert tok["end"] <= holding[0]["end"]
        used[(tok["seg_id"], holding[0]["sent_id"])] += 1
    assert all(used.values())  # no sentence without a token
    assert {s["seg_id"] for s in sentences} == {t["seg_id"] for t in tokens}


sentencizer_pieces = st.lists(
    st.sampled_from(
        ["He", "said", ".", "!", "?", "...", "…", '"', "'", ")", "(", "]", "[", " ", "  ", "\n",
         "U.S.", "Apr.", "2.63", "no.", "?!", "。", "！", ",", "—", "“", "”", "😀", "(4.28)", "a.m."]
    ),
    max_size=16,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(sentencizer_pieces, max_size=4))
def test_sentence_starts_are_spacys_sentencizers(texts: list[str]) -> None:
    from spacy.attrs import IS_PUNCT, ORTH
    from spacy.pipeline import Sentencizer

    nlp, reference = english(), Sentencizer()
    docs = [nlp.make_doc(t) for t in texts]
    columns = [d.to_array([ORTH, IS_PUNCT]).reshape(-1, 2) for d in docs]
    first = [i == 0 for c in columns for i in range(len(c))]
    arrays = np.concatenate([np.zeros((0, 2), dtype=np.uint64), *columns])
    starts = sentencizer_starts(arrays[:, 0], arrays[:, 1], np.asarray(first, dtype=bool))
    expected = [bool(t.is_sent_start) for d in docs for t in reference(nlp.make_doc(d.text))]
    assert starts.tolist() == expected
