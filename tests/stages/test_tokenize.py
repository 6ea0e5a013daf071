from typing import Any

import pyarrow as pa

from pipeline.schemas import SEGMENTS
from pipeline.stages.tokenize import english_tokens, korean_tokens, tokenize_batch


def _segments(*rows: tuple[str, str, str]) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": "d",
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
    tokens = tokenize_batch(segs, 2).to_pylist()
    texts = {s["seg_id"]: s["text"] for s in segs.to_pylist()}
    for tok in tokens:
        assert texts[tok["seg_id"]][tok["start"] : tok["end"]] == tok["form"] or tok[
            "tag"
        ].startswith("V")
    footer = [(t["form"], t["tag"]) for t in tokens if t["part"] == "footer"]
    assert ("제보", "NNG") in footer and ("카카오톡", "NNP") in footer
    assert [t["tok_id"] for t in tokens if t["seg_id"] == 0] == list(range(8))
