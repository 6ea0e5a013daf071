"""Numbers as values both languages share."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.pair.numbers import (
    _CLOCK,
    _EN_NUMBER,
    _EN_SCALE,
    _EN_WORDS,
    _KO_FIGURES,
    _KO_NUMBER,
    _clocks,
    canonical,
    english_numbers,
    korean_numbers,
    korean_value,
    may_hold_numbers,
    numbers,
    numbers_many,
)


def test_twelve_thousand_written_three_ways_is_one_value() -> None:
    assert korean_numbers("1만 2천 명 규모의 파병") == ["12000"]
    assert english_numbers("a deployment of 12,000 troops") == ["12000"]
    assert english_numbers("about 12 thousand troops") == ["12000"]


def test_millions_percentages_and_units_of_ten_thousand() -> None:
    assert english_numbers("2.63 million tons, up 4.28%") == ["2630000", "4.28"]
    assert korean_numbers("263만 톤으로 4.28% 늘었습니다") == ["2630000", "4.28"]
    assert korean_numbers("3만 부, 15만 부") == ["30000", "150000"]
    assert korean_numbers("2조 5천억 원") == ["2500000000000"]
    assert english_numbers("2.5 trillion won") == ["2500000000000"]


def test_an_article_number_is_also_its_figure() -> None:
    # 51조 is Article 51 as often as 51 trillion: both values, so either translation meets it
    assert korean_numbers("유엔헌장 51조") == ["51000000000000", "51"]
    assert "51" in english_numbers("Article 51 of the UN Charter")


def test_clock_times_give_the_hour_and_the_minutes() -> None:
    assert english_numbers("at 10:30 PM") == ["10", "30"]
    assert korean_numbers("밤 10시 30분") == ["10", "30"]


def test_number_words_and_plain_text() -> None:
    assert english_numbers("six months after") == ["6"]
    assert english_numbers("no figures here") == []
    assert korean_numbers("숫자가 없습니다") == []


def _korean(n: int) -> str:
    """n written as a Korean newsroom writes it: 1억 2천3백만 → "1억 2300만" style groups."""
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        if n >= size:
            parts.append(f"{n // size}{unit}")
            n %= size
    if n:
        parts.append(f"{n // 1000}천" if n % 1000 == 0 else str(n))
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=10**15))
@example(25 * 10**12)  # 25조
@example(10**15)  # 1000조: too large to be an article's number
def test_korean_units_read_back_as_the_value(n: int) -> None:
    # whole 조 read as the figure too (51조: an article number as often as 51 trillion)
    article = [str(n // 10**12)] if n % 10**12 == 0 and n < 10**15 else []
    assert korean_numbers(f"모두 {_korean(n)} 명") == [str(n), *article]


@given(st.integers(min_value=0, max_value=10**12))
def test_english_figures_with_commas_read_back_as_the_value(n: int) -> None:
    assert english_numbers(f"a total of {n:,} people") == [str(n)]
    assert english_numbers(f"about {n} thousand") == [str(n * 1000)]


@given(st.text(max_size=200), st.sampled_from(["ko", "en"]))
def test_any_text_gives_canonical_values(text: str, lang: str) -> None:
    for value in numbers(text, lang):
        assert value == value.strip() and not value.endswith(".")
        float(value)  # a number, never an exponent or a stray comma
        assert "," not in value and "e" not in value.lower()


def _decimal_value(words: str) -> Decimal:
    """korean_value in Decimal arithmetic throughout (its int path must agree)."""
    total = group = Decimal(0)
    for figure, small, big in re.findall(
        r"(\d+(?:,\d{3})*(?:\.\d+)?)\s?(천|백)?(조|억|만)?", words
    ):
        group += Decimal(figure.replace(",", "")) * {"천": 1000, "백": 100}.get(small, 1)
        if big:
            total += group * {"조": 10**12, "억": 10**8, "만": 10**4}[big]
            group = Decimal(0)
    return total + group


_FIGURE = st.integers(0, 99_999).map(lambda n: f"{n:,}" if n % 2 else str(n))
_GROUP = st.tuples(
    _FIGURE, st.sampled_from(["", "천", "백"]), st.sampled_from(["", "조", "억", "만"])
)


@given(st.lists(_GROUP, min_size=1, max_size=4), st.sampled_from(["", " "]))
def test_whole_korean_quantities_are_read_as_in_decimal(groups, gap: str) -> None:
    words = gap.join(f"{figure}{small}{big}" for figure, small, big in groups)
    value = korean_value(words)
    assert value == _decimal_value(words)
    assert canonical(value) == canonical(_decimal_value(words))


_CLOCKISH = st.text(alphabet="0123456789: 시분at.,", max_size=40) | st.text(max_size=60)


@settings(max_examples=500)
@given(_CLOCKISH)
@example("1:23 123:45 12:345 a1:23 9:5 ١٢:٣٤ 07:00:00 :12 1::23")
def test_clock_times_are_read_as_the_plain_scan_reads_them(text: str) -> None:
    """_clocks skips lines without a colon, and _CLOCK its look-behind until a digit; it gives
    what scanning every line with the plain pattern gives."""
    hours = [
        str(int(v))
        for m in re.finditer(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", text)
        for v in m.groups()
    ]
    blanked = re.sub(r"(?<!\d)(\d{1,2}):(\d{2})(?!\d)", " ", text)
    assert _clocks(text) == (hours, blanked)


def _plain_numbers(text: str, lang: str) -> list[str]:
    """numbers as one plain loop over the matches: nothing skipped, nothing remembered."""
    found = []
    for m in _CLOCK.finditer(text):
        found += [str(int(m.group(1))), str(int(m.group(2)))]
    text = _CLOCK.sub(" ", text)
    if lang == "ko":
        for m in _KO_NUMBER.finditer(text):
            value = korean_value(m.group(0))
            if value is not None:
                found.append(canonical(value))
                if m.group(0).endswith("조") and value < 10**15:
                    found.append(m.group(0)[:-1].strip())
        return found
    for m in _EN_NUMBER.finditer(text):
        figure, word, scale = m.groups()
        if figure is None:
            value = next(v for w, v in _EN_WORDS.items() if re.fullmatch(w, word, re.I))
        elif "." in figure:
            value = Decimal(figure.replace(",", ""))
        else:
            value = int(figure.replace(",", ""))
        if scale is not None:
            value *= next(v for w, v in _EN_SCALE.items() if re.fullmatch(w, scale, re.I))
        found.append(canonical(value))
    return found


_NUMBERISH = st.lists(
    st.sampled_from(
        ["1", "2", "12", "2026", "0", "٣", ",", ".", ":", " ", "-", "\n", "만", "천", "억", "조",
         "백", "명", "a", "x", "five", "SIX", "ſix", "fıve", "FİVE", "twenty", " million",
         "thouſand", "Hundred", "3.5", "10:30", "1,000", "%", "people", "_", "가", "é", "tennis",
         "\u212a", "sevenTY"]
    ),
    max_size=14,
).map("".join) | st.text(max_size=80)  # fmt: skip


@settings(max_examples=500)
@given(_NUMBERISH, st.sampled_from(["ko", "en"]))
def test_numbers_are_what_the_plain_loop_over_the_matches_reads(text: str, lang: str) -> None:
    assert numbers(text, lang) == _plain_numbers(text, lang)


@settings(max_examples=500)
@given(_NUMBERISH)
@example("1.5만 2,000천억 3,00 .4 ,5 ٣٣만")
def test_the_quick_korean_scan_finds_what_the_plain_pattern_finds(text: str) -> None:
    assert _KO_FIGURES.findall(text) == _KO_NUMBER.findall(text)


def test_number_words_with_letters_that_case_folding_takes_for_ascii() -> None:
    assert english_numbers("ſix thouſand and fıve") == ["6000", "5"]


@settings(max_examples=500)
@given(st.lists(_NUMBERISH, max_size=6), st.sampled_from(["ko", "en"]))
@example(["five", "", "a\nsix", "ſix", "1만", "ten:", "FİVE"], "en")
def test_the_texts_numbers_may_hold_are_all_that_hold_any(texts: list[str], lang: str) -> None:
    maybe = set(may_hold_numbers(texts, lang))
    assert all(numbers(text, lang) == [] for n, text in enumerate(texts) if n not in maybe)
    assert sorted(maybe) == may_hold_numbers(texts, lang) and maybe <= set(range(len(texts)))


@settings(max_examples=500)
@given(st.lists(_NUMBERISH, max_size=6), st.sampled_from(["ko", "en"]))
@example(["five", "", "a\nsix 10:30", "ſix", "1만", "ten:", "FİVE", "\u212aa 3"], "en")
@example(["10:30 1만 2천", "", "유엔헌장 51조", "٣만"], "ko")
def test_the_numbers_of_many_texts_are_each_texts_own(texts: list[str], lang: str) -> None:
    at, found = numbers_many(texts, lang)
    assert at == sorted(at)
    by_text: list[list[str]] = [[] for _ in texts]
    for n, value in zip(at, found, strict=True):
        by_text[n].append(value)
    assert by_text == [numbers(text, lang) for text in texts]
