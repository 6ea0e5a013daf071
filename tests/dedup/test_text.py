"""What dedup compares: exact keys fold what copies change, shingles keep what reports differ in."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.dedup.text import (
    _ALONE,
    _MARK,
    _QUOTED,
    _SENTENCE_END,
    Shingled,
    _key_mask_ends,
    _key_mask_ends_slowly,
    _mark_sentences,
    exact_key,
    fold,
    shingle,
    shingle_many,
)
from tests.dedup.texts import EXACT_COPY, MARKET_MONDAY, ORIGINAL, RETOLD


def test_the_exact_key_folds_quotes_and_whitespace() -> None:
    assert exact_key(EXACT_COPY) == exact_key(ORIGINAL)
    assert exact_key(" 정부는  “대응하겠다”고\n밝혔다 ") == exact_key(
        '정부는 "대응하겠다"고 밝혔다'
    )


def test_the_exact_key_keeps_digits_and_words() -> None:
    assert exact_key("코스피는 2,641.35로 마감") != exact_key("코스피는 2,598.12로 마감")
    assert exact_key(ORIGINAL) != exact_key(ORIGINAL + " 덧붙였습니다.")


def test_decomposed_hangul_reads_as_composed_syllables() -> None:
    nfd = unicodedata.normalize("NFD", ORIGINAL)
    assert nfd != ORIGINAL
    assert exact_key(nfd) == exact_key(ORIGINAL)
    assert (shingle(nfd).grams == shingle(ORIGINAL).grams).all()


def test_the_narration_leaves_out_what_is_quoted() -> None:
    said = (
        '서울시 교통정책과장은 오늘 브리핑에서 "심야 이동이 잦은 시민들의 불편을 줄이겠다"고 말했다'
    )
    quoted = shingle(said)
    assert 0 < len(quoted.narration) < len(quoted.grams)
    assert len(shingle(said.replace('"', "")).narration) > len(quoted.narration)


def test_an_apostrophe_opens_no_quote() -> None:
    text = "South Korea's spy agency said the city's buses and the country's trains will run late"
    assert len(shingle(text).narration) == len(shingle(text).grams)


def test_chunks_cover_a_long_body_and_a_short_one() -> None:
    assert len(shingle(RETOLD).chunks) >= 3
    assert len(shingle("짧은 속보 한 줄입니다").chunks) == 1
    assert shingle("").chunks == [] and len(shingle("").grams) == 0


def test_digits_are_shingled() -> None:
    assert not set(shingle(MARKET_MONDAY).grams) <= set(
        shingle(MARKET_MONDAY.replace("2,641.35", "2,598.12")).grams
    )


@given(st.text(max_size=300), st.sampled_from([" ", "\n", "\t", "  \n "]))
def test_whitespace_never_changes_the_exact_key(text: str, space: str) -> None:
    assert exact_key(text.replace(" ", space)) == exact_key(text)


@given(st.text(max_size=400))
def test_shingles_are_sorted_unique_and_the_narration_is_among_them(text: str) -> None:
    s = shingle(text)
    assert (s.grams[1:] > s.grams[:-1]).all()
    assert set(s.narration.tolist()) <= set(s.grams.tolist())
    for chunk in s.chunks:
        assert set(chunk.tolist()) <= set(s.grams.tolist())


@given(
    st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from("\"“”‘’'.!?…\n _ΣσİẞＡ１가힣😀"),
        ),
        max_size=300,
    )
)
@example("\ud800 가")  # found by hypothesis: a lone surrogate (JSON's "\ud800") broke the fast path
def test_the_fast_key_is_the_regular_expressions_key(text: str) -> None:
    """The code-point table path gives what the piece-by-piece regular expressions give."""
    folded = fold(text)
    fast = _key_mask_ends(folded)
    slow = _key_mask_ends_slowly(_SENTENCE_END.sub(_MARK, folded))
    assert fast[0] == slow[0]
    assert fast[1].tolist() == slow[1].tolist() and fast[2].tolist() == slow[2].tolist()


# The reference forms of two expressions text.py writes for speed: the look behind first.
_QUOTED_REFERENCE = re.compile(r"\"[^\"\n]{1,600}\"|(?<![^\W_])'[^'\n]{1,300}'(?![^\W_])")
_TRICKY = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from("\"'.!?…。\n1٣a가_ ")), max_size=400
)


@given(_TRICKY)
@example("a.\n'b'.1 '가'_'c' x'y' .")
def test_marking_sentences_in_two_passes_marks_what_the_expression_marks(text: str) -> None:
    assert _mark_sentences(text) == _SENTENCE_END.sub(_MARK, text)


@given(_TRICKY)
@example("'a' b'c' _'d' 'e'f \"g\" '' '\n'")
def test_the_quote_first_expression_finds_the_reference_s_spans(text: str) -> None:
    marked = _SENTENCE_END.sub(_MARK, text)
    for t in (text, marked):
        assert [m.span() for m in _QUOTED.finditer(t)] == [
            m.span() for m in _QUOTED_REFERENCE.finditer(t)
        ]


@given(
    _TRICKY
    | st.text(alphabet=st.sampled_from("“”‘’«»「」\u0301\u0308e가\u1100\u1161 "), max_size=60)
)
def test_fold_is_idempotent_so_a_folded_body_is_not_folded_again(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    if not any("\ud800" <= c <= "\udfff" for c in text):  # ingest leaves no lone surrogate
        assert exact_key(folded, folded=True) == exact_key(text)
    again, once = shingle(folded, folded=True), shingle(text)
    assert again.grams.tolist() == once.grams.tolist()
    assert again.narration.tolist() == once.narration.tolist()


def _same(a: Shingled, b: Shingled) -> bool:
    return (
        a.grams.tolist() == b.grams.tolist()
        and a.narration.tolist() == b.narration.tolist()
        and [c.tolist() for c in a.chunks] == [c.tolist() for c in b.chunks]
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        _TRICKY
        | st.text(alphabet=st.sampled_from("가나다라 \"“”'.?\n1Σσİ😀a"), max_size=200)
        | st.sampled_from([ORIGINAL, RETOLD, MARKET_MONDAY, ""]),
        max_size=8,
    ),
    st.sampled_from([(7, 40), (3, 5), (1, 1)]),
)
@example(["a.", "", '"b" c', "Σ x", "😀"], (7, 40))
def test_shingling_many_bodies_at_once_is_shingling_each(texts: list, sizes: tuple) -> None:
    n, min_chunk = sizes
    many = shingle_many(texts, n, min_chunk)
    assert len(many) == len(texts)
    for text, got in zip(texts, many, strict=True):
        assert _same(got, shingle(text, n, min_chunk))


def test_the_bodies_shingled_alone_are_those_the_fast_key_cannot_take() -> None:
    """Every character of the plane whose lower case is not one character, or is a sigma."""
    odd = [
        chr(c)
        for c in range(0x10000)
        if not 0xD800 <= c < 0xE000 and (len(chr(c).lower()) != 1 or "σ" in chr(c).lower())
    ]
    assert odd and all(_ALONE.search(c) for c in odd)
    assert _ALONE.search("😀") and not _ALONE.search("가나 ABC ς")


def test_many_bodies_go_in_blocks_and_come_back_in_order() -> None:
    texts = [
        f"{i}번째 보도. {RETOLD if i % 3 else ORIGINAL}" + (" Σ" if i % 50 == 7 else "")
        for i in range(300)
    ]
    many = shingle_many(texts)
    assert len(many) == len(texts)
    assert all(_same(got, shingle(text)) for text, got in zip(texts, many, strict=True))
