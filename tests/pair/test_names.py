"""Korean names and their romanised spellings meet on one key."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from koroman import romanize

from pipeline.pair.names import (
    _SURNAMES,
    _word_keys,
    english_name_keys,
    english_names,
    english_words,
    korean_name_keys,
    korean_names,
    korean_words,
    pronounce,
    romanised,
    signals,
    skeleton,
)


@pytest.mark.parametrize(
    ("hangul", "spellings"),
    [
        ("김경진", ["Kim Kyung-jin", "Kim Kyeong-jin", "Gim Gyeongjin", "KIM KYUNG-JIN"]),
        ("이원희", ["Lee Won-hee", "Yi Won-hui", "Rhee Wonhee"]),
        ("박서연", ["Park Seo-yeon", "Pak Seo-yeon", "Park Suh-yun"]),
        ("최용철", ["Choi Yong-chul", "Choe Yong-cheol"]),
        ("정태윤", ["Jung Tae-yoon", "Jeong Tae-yun", "Chung Tae-yun"]),
        ("구병삼", ["Koo Byoung-sam", "Gu Byeong-sam"]),
    ],
)
def test_the_usual_spellings_of_a_name_share_its_key(hangul: str, spellings: list[str]) -> None:
    key = set(korean_name_keys(hangul))
    assert key
    for spelling in spellings:
        assert key & set(english_names(f"Reporter {spelling} has more.")), spelling


def test_other_names_do_not_meet() -> None:
    assert not set(korean_name_keys("김경진")) & set(english_names("Kim Min-su said"))
    assert not set(korean_name_keys("이원희")) & set(english_names("Park Won-hee said"))


def test_names_in_running_text_and_in_western_order() -> None:
    assert set(korean_names("먼저, 김경진 기자가 보도합니다.")) & set(
        english_names("Kyung-jin Kim reports.")
    )
    # a name after a name: the second surname opens a name of its own
    keys = english_names("Kim Kyung-jin. Koo Byoung-sam said")
    assert keys.count("김|gVngjVn") == 1 and "구|bVngsVm" in keys


def test_place_names_meet_through_their_romanisation() -> None:
    assert set(korean_words("비안도에 사는 주민")) & set(english_words("residents of Biando"))
    assert set(korean_words("전라북도")) & set(english_words("Jeollabuk-do Province"))
    assert set(korean_words("평양에서")) & set(english_words("in Pyongyang"))


_SYLLABLES = st.integers(min_value=0xAC00, max_value=0xD7A3).map(chr)


@given(st.sampled_from(sorted(s for s in _SURNAMES if len(s) == 1)), _SYLLABLES, _SYLLABLES)
def test_any_name_meets_its_revised_romanization(sur: str, a: str, b: str) -> None:
    spelling = _SURNAMES[sur][0].capitalize()
    given_name = f"{romanised(a).capitalize()}-{romanised(b)}"
    assert set(korean_name_keys(sur + a + b)) & set(english_name_keys(spelling, given_name))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ- ", max_size=30))
def test_a_skeleton_ignores_case_and_which_separator(word: str) -> None:
    key = skeleton(word)
    assert key == skeleton(word.upper()) == skeleton(word.replace("-", " "))
    assert set(key) <= set("Vbdgjmnrhs") and "VV" not in key  # one vowel for a run of vowels
    assert all(a != b for a, b in itertools.pairwise(key))


def test_an_h_that_lengthens_a_vowel_is_silent() -> None:
    assert skeleton("Suh-yun") == skeleton("Seo-yeon") == "sVn"
    assert skeleton("Ahn") == skeleton("An") and skeleton("Oh") == skeleton("O")
    assert skeleton("Se-hoon") == skeleton("Sehun") != skeleton("Seun")


_WORDS = st.lists(
    st.sampled_from(["김경진", "이원희가", "비안도에서", "전북", "Kim", "Kyung-jin", "LEE", "Seoul",
                     "Jeollabuk-do", "Biando", "the", "12,000", "기자", "박", "Park", "Ji-hoon"])
    | st.text(alphabet="김이박경진원희가나다 ABCKimLeParkjin-", max_size=8),
    max_size=12,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_WORDS, st.sampled_from(["ko", "en"]))
@example(["김경진", "기자가", "비안도에서"], "ko")
@example(["Kim", "Kyung-jin", "visited", "Biando"], "en")
def test_signals_are_the_names_and_words_prefixed(words: list[str], lang: str) -> None:
    text = " ".join(words)
    if lang == "ko":
        names, places = korean_names(text), korean_words(text)
    else:
        names, places = english_names(text), english_words(text)
    assert sorted(signals(text, lang)) == sorted(
        [f"p:{k}" for k in names] + [f"w:{k}" for k in places]
    )


# Any syllable, and those the sound rules treat at a word's edge: a final ㅎ (좋, 놓), 잎.
_ANY_SYLLABLE = st.integers(0xAC00, 0xD7A3).map(chr) | st.sampled_from(list("좋놓잎꽃않잃닭"))
_HANGUL_WORDS = st.lists(st.text(_ANY_SYLLABLE, min_size=1, max_size=5), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(_HANGUL_WORDS)
def test_words_romanised_together_come_out_as_alone(words: list[str]) -> None:
    """What pronounce relies on: koroman's sound rules do not reach across a newline."""
    assert str(romanize("\n".join(words))).split("\n") == [str(romanize(w)) for w in words]


@settings(max_examples=100, deadline=None)
@given(_HANGUL_WORDS)
def test_pronounced_words_read_as_the_words_alone(words: list[str]) -> None:
    texts = [" ".join(words) + "에서", "기자가 " + words[0]]
    alone = [korean_words(text) for text in texts]
    pronounce(texts)
    romanised.cache_clear()
    _word_keys.cache_clear()
    assert [korean_words(text) for text in texts] == alone
    assert all(romanised(w, sounds=True) == str(romanize(w)) for w in words)
