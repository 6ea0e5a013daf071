"""Numbers and quantities as values both languages share: 12,000 = 1만 2천 = 12 thousand.

A value is written as a canonical string (`"12000"`, `"4.28"`, `"2630000"`), so that a set of
them can be indexed and compared. The unit words themselves (명, tons, %) are not compared: a
translation keeps the figure but may drop or change its unit.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_KO_BIG = {"조": 10**12, "억": 10**8, "만": 10**4}
_KO_SMALL = {"천": 1000, "백": 100}
# A Korean quantity: figures with unit words, several groups in a row ("1만 2천", "2조 5천억",
# "263만"), each figure directly before its unit (or a blank between).
_KO_TAIL = r"(?:,\d{3})*(?:\.\d+)?\s?(?:천|백)?(?:조|억|만)?"  # what follows a group's first digits
_KO_PART = rf"\d+{_KO_TAIL}"
_KO_NUMBER = re.compile(rf"(?<![\d.,]){_KO_PART}(?:\s?{_KO_PART})*")
# The same pattern, the look-behind moved after the first digit as in _EN_FIGURE: the engine then
# skips from digit to digit (tests/pair/test_numbers.py holds it to _KO_NUMBER).
_KO_FIGURES = re.compile(rf"\d(?<![\d.,]\d)\d*{_KO_TAIL}(?:\s?{_KO_PART})*")
_KO_GROUP = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s?(천|백)?(조|억|만)?")
_EN_SCALE = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_EN_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "fifty": 50, "hundred": 100,
}  # fmt: skip
_EN_NUMBER = re.compile(
    r"(?<![\w.,])(?:(\d+(?:,\d{3})*(?:\.\d+)?)|("
    + "|".join(_EN_WORDS)
    + r"))(?:[\s-]+(hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# The figures alone: what _EN_NUMBER matches in a text where no number word can stand (most
# lines). The look-behind comes after the first digit, where it means the same, so that the
# engine skips from digit to digit instead of trying the pattern at every position (5x faster).
_EN_FIGURE = re.compile(
    r"(\d(?<![\w.,]\d)\d*(?:,\d{3})*(?:\.\d+)?)"
    r"(?:[\s-]+(hundred|thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# What a number word's letters may be besides ASCII ones: re.IGNORECASE takes İ and ı for i,
# ſ for s and the Kelvin sign for k (see the re module's docs).
_FOLDS_TO_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})
_FOLDING = re.compile("[İıſ\u212a]")
_DIGIT = re.compile(r"\d")
# An hour and minutes: 10:30 (each a number of its own, as 10시 30분 gives two). The look-behind
# (no digit before the hour) comes after the first digit, as in _EN_FIGURE, where it means the
# same: the engine then skips from digit to digit (tests/pair/test_numbers.py holds it to the
# plain pattern, `(?<!\d)(\d{1,2}):(\d{2})(?!\d)`).
_CLOCK = re.compile(r"(\d(?<!\d\d)\d?):(\d{2})(?!\d)")


def canonical(value: Decimal | int) -> str:
    """`Decimal` -> "12000", "4.28" (no exponent, no trailing zeros); an int as it is."""
    if isinstance(value, int):
        return str(value)
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _decimal(figure: str) -> Decimal | None:
    try:
        return Decimal(figure.replace(",", ""))
    except InvalidOperation:
        return None


def korean_value(words: str) -> Decimal | int | None:
    """The value of a Korean quantity: "1만 2천" -> 12000, "263만" -> 2630000, "4.28" -> 4.28
    (an int where no figure has a decimal point: the same value, without Decimal's cost)."""
    if "." not in words:
        whole = 0
        part = 0
        for figure, small, big in _KO_GROUP.findall(words):
            part += int(figure.replace(",", "")) * _KO_SMALL.get(small, 1)
            if big:
                whole += part * _KO_BIG[big]
                part = 0
        return whole + part
    total = Decimal(0)
    group = Decimal(0)  # the figures below the last 만/억/조
    for figure, small, big in _KO_GROUP.findall(words):
        value = _decimal(figure)
        if value is None:
            return None
        group += value * _KO_SMALL.get(small, 1)
        if big:
            total += group * _KO_BIG[big]
            group = Decimal(0)
    return total + group


def _clocks(text: str) -> tuple[list[str], str]:
    """The hours and minutes of a text's clock times, and the text with each time a blank."""
    if ":" not in text:  # most lines: a time has a colon (and the scan for one costs)
        return [], text
    found = []
    for m in _CLOCK.finditer(text):
        found += [str(int(m.group(1))), str(int(m.group(2)))]
    # a line with a colon and no time (most): nothing to blank, no second scan
    return found, _CLOCK.sub(" ", text) if found else text


def korean_numbers(text: str) -> list[str]:
    """The values written in a Korean text, in order."""
    if _DIGIT.search(text) is None:  # most lines: every number here is written in figures
        return []
    found, text = _clocks(text)
    for words in _KO_FIGURES.findall(text):
        found += _korean_figures(words)
    return found


@lru_cache(maxsize=100_000)
def _korean_figures(words: str) -> tuple[str, ...]:
    """What a Korean quantity gives korean_numbers (once per distinct quantity: the same few
    years, days and counts recur in every batch)."""
    value = korean_value(words)
    if value is None:
        return ()
    if words.endswith("조") and value < 10**15:
        return canonical(value), words[:-1].strip()  # 51조: Article 51 as often as 51 trillion
    return (canonical(value),)


def english_numbers(text: str) -> list[str]:
    """The values written in an English text, in order: "12,000", "12 thousand", "2.63 million",
    "4.28%", "six months" (the number words two to twelve and a few round ones)."""
    found, text = _clocks(text)
    if _may_hold_words(text):
        matches = _EN_NUMBER.findall(text)
    else:  # where no word can match, the pattern is its figures' branch alone
        matches = [(figure, "", scale) for figure, scale in _EN_FIGURE.findall(text)]
    for figure, word, scale in matches:
        value = _english_figure(figure, word, scale)
        if value is not None:
            found.append(value)
    return found


def _may_hold_words(text: str) -> bool:
    """False only where _EN_NUMBER matches no number word: the letters its case-blind words
    match are ASCII ones, which lower() keeps in place, or the four of _FOLDING."""
    if not text.isascii() and _FOLDING.search(text):
        return True
    lower = text.lower()
    return any(word in lower for word in _EN_WORDS)


@lru_cache(maxsize=100_000)
def _english_figure(figure: str, word: str, scale: str) -> str | None:
    """The value of an English number's parts (findall's groups, "" where one is absent), once
    per distinct number."""
    value: Decimal | int | None
    if not figure:
        value = _EN_WORDS[word.translate(_FOLDS_TO_ASCII).lower()]
    elif "." in figure:
        value = _decimal(figure)
    else:
        value = int(figure.replace(",", ""))
    if value is None:
        return None
    if scale:
        value *= _EN_SCALE[scale.translate(_FOLDS_TO_ASCII).lower()]
    return canonical(value)


def numbers(text: str, lang: str) -> list[str]:
    """The values of a text in `lang` ("ko" or anything else for English)."""
    return korean_numbers(text) if lang == "ko" else english_numbers(text)


def may_hold_numbers(texts: Sequence[str], lang: str) -> list[int]:
    """Which of the texts `numbers` may find something in (the others it finds nothing in):
    those with a digit, and in English those that may hold a number word (_may_hold_words, each
    word looked for once in the texts lowered and joined)."""
    digits, words = _may_hold(texts, lang)
    return sorted(words.union(digits))


def _may_hold(texts: Sequence[str], lang: str) -> tuple[list[int], set[int]]:
    """may_hold_numbers in two: the texts with a digit (in order), and (English) those that may
    hold a number word, where _may_hold_words is true."""
    search = _DIGIT.search
    digits = [n for n, text in enumerate(texts) if search(text) is not None]
    words: set[int] = set()
    if lang != "ko":
        lowered = [text.lower() for text in texts]
        joined = "\n".join(lowered)  # no word holds a newline: none is found across two texts
        ends = list(itertools.accumulate(len(text) + 1 for text in lowered))
        for word in _EN_WORDS:
            at = joined.find(word)
            while at >= 0:
                n = bisect.bisect_right(ends, at)
                words.add(n)
                at = joined.find(word, ends[n])  # on from the next text
        words.update(
            n for n, text in enumerate(texts) if not text.isascii() and _FOLDING.search(text)
        )
    return digits, words


def numbers_many(texts: Sequence[str], lang: str) -> tuple[list[int], list[str]]:
    """`numbers(text, lang)` of each text, laid end to end: the text each value is in, and the
    value. Only the texts that may hold any are read (_may_hold), and what `numbers` would ask
    of each again is known from that: a Korean text's digit, an English text's number words
    (most have none: their pattern is the figures' alone)."""
    digits, words = _may_hold(texts, lang)
    at: list[int] = []
    found: list[str] = []
    if lang == "ko":
        figures = _KO_FIGURES.findall
        for n in digits:
            text = texts[n]
            if ":" in text:
                values, text = _clocks(text)
            else:
                values = []
            for quantity in figures(text):
                values += _korean_figures(quantity)
            at += [n] * len(values)
            found += values
        return at, found
    figures = _EN_FIGURE.findall
    for n in sorted(words.union(digits)):
        text = texts[n]
        if ":" in text:
            values, text = _clocks(text)
        else:
            values = []
        if n in words:
            for figure, word, scale in _EN_NUMBER.findall(text):
                value = _english_figure(figure, word, scale)
                if value is not None:
                    values.append(value)
        else:  # no number word: the pattern is its figures' branch alone
            for figure, scale in figures(text):
                value = _english_figure(figure, "", scale)
                if value is not None:
                    values.append(value)
        at += [n] * len(values)
        found += values
    return at, found
