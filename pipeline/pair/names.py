"""Names of people and places as keys both languages share: 김경진 = Kim Kyung-jin = KIM KYUNGJIN.

Hangul is romanised by koroman (Revised Romanization); both sides are then reduced to a loose
skeleton that the usual spellings share: g/k, d/t, b/p, j/ch and r/l are one consonant each, a
run of vowels (and the glides w, y) is one vowel, so Kyung = Gyeong, Byoung = Byeong, Chul = Cheol,
Soo = Su, Hee = Hui. Surnames have spellings no rule gives (이 = Lee, Yi, Rhee; 박 = Park, Pak;
최 = Choi, Choe; 정 = Jung, Jeong, Chung): a person's key names the surname in Hangul, through
the table below, and the given name by its skeleton.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache

from koroman import romanize

# The common surnames and the spellings used for them in English-language news.
_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"), "이": ("lee", "yi", "rhee", "rhie", "ri", "i", "yee"),
    "박": ("park", "pak", "bak", "bahk"), "최": ("choi", "choe", "chey"),
    "정": ("jung", "jeong", "chung", "cheong", "jeung"), "강": ("kang", "gang"),
    "조": ("cho", "jo", "joe"), "윤": ("yoon", "yun"), "장": ("jang", "chang"),
    "임": ("lim", "im", "yim", "rim"), "한": ("han",), "오": ("oh", "o"),
    "서": ("seo", "suh", "sur"), "신": ("shin", "sin"), "권": ("kwon", "gwon"),
    "황": ("hwang",), "안": ("ahn", "an"), "송": ("song",),
    "류": ("ryu", "yoo", "yu", "ryoo", "lyu", "rhyu"), "유": ("yoo", "yu", "ryu", "you"),
    "전": ("jeon", "jun", "chun", "chon"), "홍": ("hong",), "고": ("ko", "go", "koh"),
    "문": ("moon", "mun"), "양": ("yang",), "손": ("son", "sohn"), "배": ("bae", "pae"),
    "백": ("baek", "paik", "back", "paek", "baik"), "허": ("heo", "huh", "hur"),
    "남": ("nam",), "심": ("shim", "sim"), "노": ("noh", "roh", "no", "ro"), "하": ("ha",),
    "곽": ("kwak", "gwak"), "성": ("sung", "seong"), "차": ("cha",),
    "주": ("joo", "ju", "chu"), "우": ("woo", "u"), "구": ("koo", "ku", "gu"),
    "나": ("na", "ra"), "민": ("min",), "진": ("jin", "chin"), "지": ("ji", "chi"),
    "엄": ("eom", "um", "uhm"), "채": ("chae",), "원": ("won",),
    "천": ("cheon", "chun", "chon"), "방": ("bang", "pang"), "공": ("kong", "gong"),
    "현": ("hyun", "hyeon"), "함": ("ham",), "변": ("byun", "byeon", "pyun"),
    "염": ("yeom", "yum"), "여": ("yeo", "yuh"), "추": ("choo", "chu"),
    "도": ("do", "doh"), "소": ("so",), "석": ("seok", "suk"), "선": ("sun", "seon"),
    "설": ("seol", "sul"), "마": ("ma",), "길": ("gil", "kil"), "연": ("yeon", "yun"),
    "위": ("wi", "wee"), "표": ("pyo",), "명": ("myung", "myeong"), "기": ("ki", "gi"),
    "반": ("ban",), "왕": ("wang",), "금": ("keum", "geum"), "옥": ("ok",),
    "육": ("yook", "yuk"), "인": ("in",), "맹": ("maeng",), "제": ("je",), "모": ("mo",),
    "탁": ("tak",), "국": ("kook", "guk"), "어": ("eo",), "은": ("eun",),
    "편": ("pyeon", "pyun"), "용": ("yong",), "예": ("ye",), "봉": ("bong",),
    "경": ("kyung", "gyeong"), "부": ("boo", "bu"), "황보": ("hwangbo",),
    "남궁": ("namgung", "namkoong"), "선우": ("sunwoo", "seonwoo"), "제갈": ("jegal",),
}  # fmt: skip
_BY_SPELLING: dict[str, tuple[str, ...]] = {}
for _hangul, _spellings in _SURNAMES.items():
    for _spelling in _spellings:
        _BY_SPELLING[_spelling] = (*_BY_SPELLING.get(_spelling, ()), _hangul)

_CONSONANTS = str.maketrans({"k": "g", "t": "d", "p": "b", "l": "r", "f": "b", "v": "b", "q": "g",
                             "c": "g", "x": "s", "z": "j"})  # fmt: skip
_VOWELS = re.compile(r"[aeiouwy]+")
_DIGRAPHS = re.compile(r"tch|ch|sh|ph|th|ck")
_DIGRAPH = {"tch": "j", "ch": "j", "sh": "s", "ph": "b", "th": "d", "ck": "g"}
_SILENT_H = re.compile(r"(?<=[aeiou])h(?![aeiouwy])")
_REPEATS = re.compile(r"([^V])\1+")
_NOT_LETTERS = re.compile(r"[^a-z]+")
_HANGUL = re.compile(r"[가-힣]+")
_EN_WORD = re.compile(r"[A-Z][A-Za-z]*(?:-[A-Za-z]+)*")
# Particles glued to a Korean word (비안도에서, 김경진 기자가): left off before a word is romanised.
_PARTICLE = re.compile(
    r"(?:에서는|에서|에게|으로|로는|까지|부터|에는|와|과|의|은|는|이|가|을|를|에|도|로)$"
)


@lru_cache(maxsize=200_000)
def skeleton(latin: str) -> str:
    """The loose form of a romanised word that its usual spellings share: "Kyung-jin" and
    "gyeongjin" -> "gVngjVn", "Suh-yun" and "Seo-yeon" -> "sVn"."""
    # an h that only lengthens a vowel (Suh, Ahn, Oh), at the end of a word or part of it
    word = "".join(_SILENT_H.sub("", part) for part in _NOT_LETTERS.split(latin.lower()))
    word = _DIGRAPHS.sub(lambda m: _DIGRAPH[m.group(0)], word)
    word = _VOWELS.sub("V", word.translate(_CONSONANTS))
    return _REPEATS.sub(r"\1", word)


@lru_cache(maxsize=200_000)
def romanised(hangul: str, sounds: bool = False) -> str:
    """Hangul by Revised Romanization, syllable by syllable as names are written, or with the
    sound changes (`sounds`: 신라 -> silla) as place names are."""
    if sounds:
        found = _PRONOUNCED.get(hangul)
        return found if found is not None else str(romanize(hangul))
    return "".join(_syllable(ch) for ch in hangul)


@lru_cache(maxsize=20_000)
def _syllable(ch: str) -> str:
    return str(romanize(ch, use_pronunciation_rules=False))


# koroman applies its sound rules (some sixty) one re.sub at a time, whatever the length of the
# text: ~100 µs a word. `pronounce` romanises a batch's new words in one call, a newline between
# them: no rule reaches across a blank, so each comes out as alone (tests/pair/test_names.py).
_PRONOUNCED: dict[str, str] = {}
_SEEN: set[str] = set()  # the words whose forms are in _PRONOUNCED
_MAX_PRONOUNCED = 200_000


def pronounce(texts: Sequence[str]) -> None:
    """Romanise with the sound changes, in one call, what korean_words will romanise in these
    Korean texts and has not yet: an answer `romanised(…, sounds=True)` then looks up."""
    pronounce_words(_HANGUL.findall("\n".join(texts)))


def pronounce_words(words: Iterable[str]) -> None:
    """pronounce, given the Hangul words (as _HANGUL finds them) of the texts."""
    new = set(words).difference(_SEEN)
    if not new:
        return
    if len(_PRONOUNCED) > _MAX_PRONOUNCED:  # a long-lived worker's memory stays bounded
        _PRONOUNCED.clear()
        _SEEN.clear()
    _SEEN.update(new)
    forms = [f for f in dict.fromkeys(f for w in new for f in _forms(w)) if f not in _PRONOUNCED]
    if forms:
        spoken = str(romanize("\n".join(forms))).split("\n")
        _PRONOUNCED.update(zip(forms, spoken, strict=True))


def _surname_keys(surname: str) -> tuple[str, ...]:
    """A surname as keys: its Hangul where the table knows the spelling, and its skeleton."""
    return (*_BY_SPELLING.get(surname.lower(), ()), skeleton(surname))


def korean_name_keys(name: str) -> list[str]:
    """The keys of a Korean personal name in Hangul (김경진, 남궁민수); none if it is not
    name-shaped."""
    name = name.replace(" ", "")
    if not _HANGUL.fullmatch(name) or not 2 <= len(name) <= 5:
        return []
    sur = name[:2] if name[:2] in _SURNAMES and len(name) >= 4 else name[0]
    given = name[len(sur) :]
    if not given:
        return []
    head = sur if sur in _SURNAMES else skeleton(romanised(sur))
    # written whole (Guha) or with its syllables apart (Guh-a: an h that ends a syllable is
    # silent there), which differ only where a syllable ends in ㅎ before a vowel
    tails = dict.fromkeys(
        (skeleton(romanised(given)), skeleton("-".join(romanised(ch) for ch in given)))
    )
    return [f"{head}|{tail}" for tail in tails]


def english_name_keys(surname: str, given: str) -> list[str]:
    """The keys of a romanised Korean name: ("Kim", "Kyung-jin"), ("LEE", "WONHEE")."""
    tail = skeleton(given)
    return [f"{head}|{tail}" for head in _surname_keys(surname)] if tail else []


def english_names(text: str) -> list[str]:
    """The keys of the Korean personal names in an English text, surname first or last
    ("Kim Kyung-jin", "KIM JIN-TAE", "Kyung-jin Kim")."""
    return _names_in([m.group(0) for m in _EN_WORD.finditer(text)])


def _names_in(words: list[str]) -> list[str]:
    """english_names of a text's capitalised words, in order."""
    keys: list[str] = []
    i = 0
    while i < len(words) - 1:
        a, b = words[i], words[i + 1]
        if a.lower() in _BY_SPELLING and ("-" in b or b.lower() not in _BY_SPELLING):
            keys += english_name_keys(a, b)
        elif "-" in a and b.lower() in _BY_SPELLING:
            keys += english_name_keys(b, a)
        else:
            i += 1
            continue
        i += 2
    return keys


def korean_names(text: str) -> list[str]:
    """The keys of the words of a Korean text that may be personal names: a known surname and
    one or two syllables (a word's first two or three syllables; particles need no stripping)."""
    keys: list[str] = []
    for word in _HANGUL.findall(text):
        if word[0] in _SURNAMES:
            keys += _word_name_keys(word[:3])
    return keys


@lru_cache(maxsize=200_000)
def _word_name_keys(head: str) -> tuple[str, ...]:
    return tuple(k for n in (2, 3) if len(head) >= n for k in korean_name_keys(head[:n]))


def english_words(text: str) -> list[str]:
    """The skeletons of the capitalised words of an English text that may be Korean place or
    organisation names (Biando, Jeollabuk-do), three consonants or more."""
    return [key for m in _EN_WORD.finditer(text) if (key := _place_key(m.group(0)))]


@lru_cache(maxsize=200_000)
def _place_key(word: str) -> str:
    """The skeleton of an English word that may be a Korean name, or "" (under three
    consonants)."""
    key = skeleton(word)
    return key if len(key) - key.count("V") >= 3 else ""  # three consonants or more


def korean_words(text: str) -> list[str]:
    """The skeletons of the words of a Korean text as place names are romanised (비안도에 ->
    Biando), three consonants or more."""
    out: list[str] = []
    for word in _HANGUL.findall(text):
        out += _word_keys(word)
    return out


@lru_cache(maxsize=200_000)
def _word_keys(word: str) -> tuple[str, ...]:
    keys = []
    for w in _forms(word):
        key = skeleton(romanised(w, sounds=True))
        if len(key) - key.count("V") >= 3:  # three consonants or more
            keys.append(key)
    return tuple(keys)


def _forms(word: str) -> list[str]:
    """What of a Hangul word is romanised as a place name: the word, and the word without its
    particle, of two syllables or more."""
    bare = _PARTICLE.sub("", word) if len(word) > 2 else word
    return [w for w in sorted({word, bare}) if len(w) >= 2]


def signals(text: str, lang: str) -> list[str]:
    """The names ("p:" and a person key) and name-like words ("w:" and a skeleton) of a text in
    `lang` ("ko", else English) as pairing's signals: what korean_names and korean_words (or
    english_names and english_words) give, prefixed, in one pass over its words, each word's
    signals computed once (the strings interned: a state holds each once)."""
    if lang == "ko":
        return [s for word in _HANGUL.findall(text) for s in _korean_signals(word)]
    words = _EN_WORD.findall(text)
    out = [_signal("p", key) for key in _names_in(words)]
    out += [s for s in map(_place_signal, words) if s]
    return out


@lru_cache(maxsize=200_000)
def _place_signal(word: str) -> str:
    """The "w:" signal of an English word that may be a Korean name, or ""."""
    key = _place_key(word)
    return _signal("w", key) if key else ""


@lru_cache(maxsize=200_000)
def _korean_signals(word: str) -> tuple[str, ...]:
    """A Hangul word's signals: the name keys of its head when it starts with a surname, then
    its place-name skeletons."""
    names = _word_name_keys(word[:3]) if word[0] in _SURNAMES else ()
    return (*(_signal("p", k) for k in names), *(_signal("w", k) for k in _word_keys(word)))


@lru_cache(maxsize=200_000)
def _signal(kind: str, key: str) -> str:
    return sys.intern(f"{kind}:{key}")
