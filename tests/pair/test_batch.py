"""Many lines' signals at once are each line's `line_signals`, sorted."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.pair import line_signals
from pipeline.pair.batch import mixed_signal_lists, signal_lists

# Words that make signals (surnames, names, places, number words, figures, clock times) and
# the characters around them that decide where a word or a number ends.
_PIECES = st.sampled_from(
    ["김경진", "기자가", "비안도에서", "이", "박서연", "남궁민수", "정부는", "서울", "1만 2천",
     "263만", "3.5", "10:30", "2026년", "Kim", "Kyung-jin", "KIM", "Lee", "Park", "Seo-yeon",
     "Biando", "Jeollabuk-do", "In", "Seoul", "five", "Twelve", " million", "12,000", "ſix",
     " ", "  ", "\n", "\x00", "-", ",", ".", ":", "[", "]", "\"", "a", "é", "가", "1", "0"]
)  # fmt: skip
_TEXT = st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=60)
_LINES = st.lists(st.none() | _TEXT, max_size=8)


def _one_by_one(texts: list[str | None], lang: str) -> list[list[str]]:
    return [[] if t is None else sorted(line_signals(t, lang)) for t in texts]


@settings(max_examples=400, deadline=None)
@given(_LINES, st.sampled_from(["ko", "en"]))
@example(["김경진 기자가 1만 2천", None, "", "박서연"], "ko")
@example(["Kim Kyung-jin", "said Lee", "Seo-yeon Park and Biando, 12,000"], "en")
@example(["Kim\x00Kyung-jin", "이\x00김경진"], "en")
@example(["Lee Kim Park Choi Kyung-jin Lee Seo-yeon Park In Seoul", "Kim", "Lee"], "en")
def test_the_signals_of_many_lines_are_each_lines_own_sorted(
    texts: list[str | None], lang: str
) -> None:
    assert signal_lists(texts, lang).to_pylist() == _one_by_one(texts, lang)


# Runs of surnames' spellings and given names: which neighbours make a name.
_NAMES = st.lists(
    st.sampled_from(["Kim", "Lee", "Park", "In", "I", "So", "Yi", "KIM", "Kyung-jin", "Seo-yeon",
                     "Seoul", "Biando", " ", ", ", "\n", "\x00", "-"]),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | _NAMES, max_size=6))
def test_names_of_neighbouring_words_are_each_lines_own(texts: list[str | None]) -> None:
    assert signal_lists(texts, "en").to_pylist() == _one_by_one(texts, "en")


def test_no_lines_no_lists() -> None:
    assert signal_lists([], "ko").to_pylist() == []
    assert signal_lists([None, None], "en").to_pylist() == [[], []]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.none() | _TEXT, st.sampled_from(["ko", "en"])), max_size=10))
@example(
    [("김경진 기자가 1만 2천", "ko"), ("Kim Kyung-jin, 12,000", "en"), (None, "ko"), ("Lee", "en")]
)
def test_the_signals_of_lines_in_both_languages_are_each_lines_own_sorted(
    lines: list[tuple[str | None, str]],
) -> None:
    texts = [t for t, _ in lines]
    langs = [lang for _, lang in lines]
    expected = [[] if t is None else sorted(line_signals(t, lang)) for t, lang in lines]
    assert mixed_signal_lists(texts, langs).to_pylist() == expected
