"""A seeded corpus of clean bodies with known copies, for dedup's tests and benchmark.

Each story is an original body from the benchmark's composer (generate.py) and, by chance, its
copies: the same body under another wrapper line (a portal notice, a byline, a photo credit),
a truncated preview cut mid-sentence, a light edit (broadcast endings to written ones, curly
quotes, a sentence dropped or added), an exact copy; and its hard negatives: a report of the same
event in other words that carries the original's quote and numbers, and a short flash that is
little more than that quote.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

try:
    from generate import Composer, _written_style
except ImportError:  # imported as benchmarks.dedup_corpus (from the tests)
    from benchmarks.generate import Composer, _written_style

WRAPPERS_KO = (
    "이 글자크기로 변경됩니다. 본문 보기를 권장합니다.",
    "사진=연합뉴스 제공",
    "[앵커]",
    "※ 이 기사는 포털 화면에 맞게 편집되었습니다.",
)
_QUOTE = re.compile(r'"([^"]{20,})"')
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WRAPPERS_EN = ("Photo: Yonhap", "Listen to this article", "(c) all rights reserved")


@dataclass(frozen=True)
class Generated:
    doc_id: str
    body: str
    published_date: dt.date
    lang: str
    story: int
    kind: str  # original, wrapper, preview, edit, exact, retold, flash


def _word(rng: random.Random, english: bool) -> str:
    if english:
        return "".join(rng.choice("bcdfghjklmnprstvz") + rng.choice("aeiou") for _ in range(3))
    return "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(2, 3)))


def _vary(paragraph: str, rng: random.Random, english: bool) -> str:
    """The composer's pools repeat phrases across documents far more than real reports do: a
    few made-up names in each sentence make every body its own text."""
    words = paragraph.split(" ")
    for _ in range(max(2, len(words) // 3)):
        words.insert(rng.randrange(len(words) + 1), _word(rng, english))
    return " ".join(words)


def _edit(paras: list[str], rng: random.Random, english: bool) -> list[str]:
    out = [p.replace('"', "“", 1).replace('"', "”", 1) if rng.random() < 0.5 else p for p in paras]
    if not english:
        out = [_written_style(p) for p in out]
    if len(out) > 4:
        del out[rng.randrange(1, len(out) - 1)]
    return out


def stories(n: int, seed: int = 0, copies: float = 0.5, negatives: float = 0.3) -> list[Generated]:
    """About n documents: originals, their copies and their hard negatives."""
    rng = random.Random(seed)
    composer = Composer(rng)
    docs: list[Generated] = []
    story = 0
    while len(docs) < n:
        english = rng.random() < 0.3
        lang = "en" if english else "ko"
        paras = [
            _vary(p, rng, english) for p in composer.body(english, None, rng.randint(700, 2200))
        ]
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600))
        body = "\n".join(paras)

        made = [("original", body, 0)]
        if rng.random() < copies:
            wrappers = WRAPPERS_EN if english else WRAPPERS_KO
            made.append(("wrapper", f"{rng.choice(wrappers)}\n{body}\n{rng.choice(wrappers)}", 0))
        if rng.random() < copies:
            made.append(
                ("preview", body[: int(len(body) * rng.uniform(0.45, 0.75))], rng.randrange(2))
            )
        if rng.random() < copies:
            made.append(("edit", "\n".join(_edit(paras, rng, english)), rng.randrange(3)))
        if rng.random() < copies / 3:
            made.append(("exact", body, rng.randrange(2)))
        quotes = [m.group(1) for p in paras for m in [_QUOTE.search(p)] if m]
        if quotes and rng.random() < negatives:
            # the same statement, quoted in the outlet's own words around it
            said = (
                f'{_word(rng, english).capitalize()} officials said on {rng.choice(_DAYS)}: "{{}}"'
                if english
                else f'{_word(rng, english)} 관계자는 이날 "{{}}"라고 강조했다.'
            ).format(quotes[0])
            other = composer.body(english, None, rng.randint(600, 1600))
            other = [_vary(p, rng, english) for p in other]
            other.insert(rng.randrange(len(other) + 1), said)
            made.append(("retold", "\n".join(other), rng.randrange(2)))
            lead = _vary(
                composer.en_sentence() if english else composer.ko_sentence(), rng, english
            )
            made.append(("flash", f"{lead}\n{said}", 0))
        for kind, text, days in made:
            doc_id = f"s{story:06d}-{kind}-{rng.randrange(16**6):06x}"
            docs.append(Generated(doc_id, text, day + dt.timedelta(days), lang, story, kind))
        story += 1
    return docs[:n]
