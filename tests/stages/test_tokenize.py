import itertools
from typing import Any

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from pipeline.schemas import SEGMENTS
from pipeline.stages.tokenize import (
    _substrings,
    english,
    english_tokens,
    korean_chunk,
    korean_tokens,
    tokenize_batch,
)


def _segments(*rows: tuple[str, str, str], doc_of: Any = None) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": doc_of(i) if doc_of else "d",
                "seg_id": i,
                "start": 0,
                "end": len(t),
                "line": i,
                "para": 0,
                "text": t,
                "lang": lang,
                "part": part,
                "promo": False,
                "rule_id": None,
            }
            for i, (t, lang, part) in enumerate(rows)
        ],
        schema=SEGMENTS,
    )


def test_korean_goes_to_kiwi_as_morphemes(kiwi: Any) -> None:
    [toks] = list(korean_tokens(["■ 제보하기"], 2))
    assert [(f, t) for f, t, *_ in toks] == [
        ("■", "SW"),
        ("제보", "NNG"),
        ("하", "XSV"),
        ("기", "ETN"),
    ]


def test_english_is_split_as_english() -> None:
    [toks] = list(english_tokens(["It cites the treaty. U.S. troops left on Apr. 26."]))
    forms = [f for f, *_ in toks]
    assert "treaty" in forms and "." in forms and "U.S." in forms and "Apr." in forms
    lemmas = {f: lemma for f, _, lemma, *_ in toks}
    assert lemmas["troops"] == "troop"
    assert lemmas["."] is None


def test_tokens_carry_part_and_offsets_into_their_segment(kiwi: Any) -> None:
    segs = _segments(
        ("KBS News, Kim Kyung-jin.", "en", "body"),
        ("▷ 카카오톡 : 'KBS제보' 검색, 채널 추가", "ko", "footer"),
    )
    tokens = tokenize_batch(segs, 2)["tokens"].to_pylist()
    texts = {s["seg_id"]: s["text"] for s in segs.to_pylist()}
    for tok in tokens:
        assert texts[tok["seg_id"]][tok["start"] : tok["end"]] == tok["form"] or tok[
            "tag"
        ].startswith("V")
    footer = [(t["form"], t["tag"]) for t in tokens if t["part"] == "footer"]
    assert ("제보", "NNG") in footer and ("카카오톡", "NNP") in footer
    assert [t["tok_id"] for t in tokens if t["seg_id"] == 0] == list(range(8))


def test_tokens_of_many_documents_come_back_to_their_segments_in_order(kiwi: Any) -> None:
    rows = [
        ("[앵커]", "ko", "body"),
        ("The talks broke down on Monday.", "en", "body"),
        ("정부는 오늘 대책을 발표했습니다.", "ko", "body"),
        ("", "und", "body"),
        ("▷ 전화 : 02-781-1234", "ko", "footer"),
        ("Seoul 서울 Busan 부산", "mixed", "body"),
        ("KBS 뉴스 공민경입니다.", "ko", "body"),
    ]
    segs = _segments(*rows, doc_of=lambda i: "a" if i < 4 else "b")
    tokens = tokenize_batch(segs, 2)["tokens"].to_pylist()
    order = [(t["doc_id"], t["seg_id"], t["tok_id"]) for t in tokens]
    assert order == sorted(order, key=lambda k: (k[0], k[1])) and order
    for (doc, seg), group in itertools.groupby(tokens, key=lambda t: (t["doc_id"], t["seg_id"])):
        toks = list(group)
        text, lang, part = rows[seg]
        assert (doc == "a") == (seg < 4)
        assert [t["tok_id"] for t in toks] == list(range(len(toks)))
        assert all(t["lang"] == lang and t["part"] == part for t in toks)
        for t in toks:
            assert 0 <= t["start"] < t["end"] <= len(text)
            if not t["tag"].startswith(("V", "XS", "E")):
                assert text[t["start"] : t["end"]] == t["form"]
    assert {t["seg_id"] for t in tokens} == {0, 1, 2, 4, 5, 6}


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60))))
def test_substrings_are_the_texts_slices(text: str, pairs: list[tuple[int, int]]) -> None:
    pairs = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    text = text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates: ingest decodes
    starts = np.asarray([a for a, _ in pairs], dtype=np.int64)
    ends = np.asarray([b for _, b in pairs], dtype=np.int64)
    assert _substrings(text, starts, ends).to_pylist() == [text[a:b] for a, b in pairs]


def test_english_chunk_reads_what_spacy_made_token_by_token() -> None:
    texts = [
        "Contact: tips@ytn.co.kr or https://www.ytn.co.kr/ — “quoted” (2024) 😀 U.S.-led talks…",
        "",
        "  Seoul 서울 Busan: 3.5% rise, $12 and #tag; it's done!  ",
    ]
    nlp = english()
    expected = [
        [(t.text, t.idx, t.idx + len(t.text)) for t in nlp.make_doc(text) if not t.is_space]
        for text in texts
    ]
    got = [[(f, s, e) for f, _, _, s, e in toks] for toks in english_tokens(texts)]
    assert got == expected
    tagged = {f: (tag, lemma) for toks in english_tokens(texts) for f, tag, lemma, *_ in toks}
    assert tagged["tips@ytn.co.kr"] == ("W_EMAIL", None)
    assert tagged["https://www.ytn.co.kr/"] == ("W_URL", None)
    assert tagged["2024"] == ("SN", None) and tagged["…"] == ("SE", None)
    assert tagged["“"] == ("SS", None) and tagged["😀"] == ("SW", None)
    assert tagged["talks"] == ("SL", "talk") and tagged["done"] == ("SL", "do")


def test_computed_lemmas_are_kiwis_own(kiwi: Any) -> None:
    text = (
        "그것은 사실이 아니다. 날씨가 추워서 걸어 갔다. 친구를 도와주었다. 얼굴이 하얘졌다. "
        "가고 싶어 했다. 그렇지 않습니다. 이건 책이에요. 물었다. 지어 놓은 집. 공부했다. "
        "깨끗하다. 날씨가 좋다. 집이 크다. ■ 제보하기 ▷ 카카오톡 : 'KBS제보' 검색, 채널 추가 구독해 주세요"
    )
    toks = kiwi.tokenize(text)
    chunk = korean_chunk([text], 2)
    assert chunk.lemma.to_pylist() == [t.lemma for t in toks]
    assert {t.tag for t in toks} >= {"VV", "VA", "VX", "VCP", "VCN", "VV-I", "VA-I", "XSV"}
