"""Quotes: who says what, from quote blocks and from reported speech inside a sentence.

A block names its speaker in its head (blocks.py). Reported speech is found where a verb of saying
follows the quotation in the same sentence ("…"라고 말했습니다, "…," he said, said Kim …, Kim said
"…"); its speaker is the subject named in that sentence (a name with its title, an organisation),
else the row says unknown rather than guessing from other sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.script.blocks import Speaker, block, name_shaped, speaker
from pipeline.script.book import RoleBook
from pipeline.script.roles import match

_INLINE_ROLES = frozenset({"anchor", "report", "interview", "text"})
_BITE_ROLES = frozenset({"quote", "interview"})  # the roles of a block's lines
_HAS_QUOTE = re.compile(r"[\"“”]")
_QUOTED = re.compile(r"\"([^\"\n]{2,600})\"|“([^“”\n]{2,600})”")
# A sentence ends at . ! ? followed by a blank (or the end), outside quotation marks.
_END = re.compile(r"[.!?。](?=\s|$)")
# A quotation followed at once by a quoting ending ("…"라고, "…"며) is reported speech; a verb
# of saying after a few words tells where a subject named after the quotation ends.
_KO_SAY = re.compile(r"(?:이)?라고|(?:이)?라며|(?:이)?라면서|며|고|면서")
_KO_VERB = re.compile(
    r"\s+(?P<mid>(?:[^\s\"“”.]+\s+){1,4}?)"
    r"(?:말했|밝혔|전했|강조했|주장했|설명했|덧붙였|지적했|비판했|말한|밝힌|당부했|호소했|답했|촉구했|경고했"
    r"|언급했|토로했|반박했|말합니다|밝힙니다|말하|밝히|전하|강조하|주장하)"
)
# The subject: up to four words (none across a full stop a crawler glued to the next sentence).
_KO_SUBJECT = re.compile(r"(?P<head>(?:[^\s\"“”.]+\s+){0,3}?[^\s\"“”.]+?)(?:은|는|이|가)\s*$")
_KO_GIVEN = re.compile(r"[가-힣]{2,3}")  # a Korean name before the organisation and title
_EN_VERBS = (
    r"said|says|added|stated|noted|explained|wrote|asked|announced|insisted|warned|told\s+\w+"
)
_EN_WHO = r"(?:[Tt]he\s+)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|for|the|and)){0,6}"
_PRONOUN = r"(?:he|she|they|it|we|I)"
_EN_AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<verb1>{_EN_VERBS})\s+(?P<who1>{_EN_WHO}|{_PRONOUN})"
    rf"|(?P<who2>{_EN_WHO}|{_PRONOUN})\s+(?P<verb2>{_EN_VERBS}))(?=[\s,.;]|$)"
    r"(?:,\s+(?P<aff>(?:a|an|the)\s[^,.\"“”]{2,100}))?"
)
_EN_BEFORE = re.compile(
    rf"(?:^|[\s(])(?P<who>{_EN_WHO}|{_PRONOUN})(?:,\s+(?P<aff>(?:a|an|the)\s[^,\"“”]{{2,100}}),)?"
    rf"\s+(?:{_EN_VERBS})(?:\s+that)?\s*[,:]?\s*$"
)


@dataclass(frozen=True)
class Quote:
    line: int  # the first line of the quote, among the lines given
    start: int  # offsets of the quoted words in the document
    end: int
    speaker: str | None
    affiliation: str | None
    kind: str  # person, organisation, unknown
    text: str
    lang: str
    form: str  # block, inline


def quotes(
    texts: Sequence[str],
    starts: Sequence[int],
    langs: Sequence[str],
    roles: Sequence[str],
    book: RoleBook,
) -> list[Quote]:
    """The quotes of one document's body lines (texts at document offsets `starts`, with the
    roles `roles` gave them), in order."""
    lines = list(texts)
    found: list[Quote] = []
    until = 0
    for i, (text, role) in enumerate(zip(lines, roles, strict=True)):
        if i < until:
            continue
        b = None
        if role in _BITE_ROLES:
            hit = match(text, langs[i], None, book)
            at = hit[1] if hit is not None and hit[0].role == "marker" else 0
            b = block(lines, i, at, book, bare=True)  # roles found a block here, or a bite
        if b is not None:
            until = i + b.n_lines
            words = " ".join(lines[k][a:e] for k, a, e in b.pieces)
            k0, a0, _ = b.pieces[0]
            k1, _, e1 = b.pieces[-1]
            found.append(
                Quote(i, starts[k0] + a0, starts[k1] + e1, b.speaker.name, b.speaker.affiliation,
                      b.speaker.kind, words, langs[i], "block")
            )  # fmt: skip
        elif role in _INLINE_ROLES and _HAS_QUOTE.search(text):
            found += [
                Quote(i, starts[i] + a, starts[i] + e, who.name, who.affiliation, who.kind,
                      text[a:e], langs[i], "inline")
                for a, e, who in inline(text, book)
            ]  # fmt: skip
    return found


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    """The bounds of the sentence that holds text[a:b] (a quotation)."""
    start = 0
    for m in _END.finditer(text, 0, a):
        start = m.end()
    end = _END.search(text, b)
    return start, end.end() if end is not None else len(text)


def inline(text: str, book: RoleBook) -> list[tuple[int, int, Speaker]]:
    """(start, end, speaker) of the reported speech in one line."""
    found = []
    for m in _QUOTED.finditer(text):
        a, b = m.span(1) if m.group(1) is not None else m.span(2)
        s_start, s_end = _sentence(text, m.start(), m.end())
        words = text[a:b]
        korean = any("가" <= c <= "힣" for c in text[m.end() : m.end() + 12])
        who = (
            _korean(text, s_start, m.start(), m.end(), s_end, book)
            if korean
            else _english(text, s_start, m.start(), m.end(), s_end, book)
        )
        if who is None:
            continue
        while b > a and text[b - 1] in ", ":
            b -= 1
        if words.strip():
            found.append((a, b, who))
    return found


def _korean(text: str, s0: int, qa: int, qb: int, s1: int, book: RoleBook) -> Speaker | None:
    said = _KO_SAY.match(text, qb, s1)
    if said is None:
        return None
    verb = _KO_VERB.match(text, said.end(), s1)
    mid = verb.group("mid").strip() if verb is not None else ""
    subject = _KO_SUBJECT.search(mid + " ") if mid else None
    if subject is None:
        subject = _KO_SUBJECT.search(text, s0, qa)
    if subject is None:
        return Speaker(None, None, "unknown")
    return _korean_head(subject.group("head"), book)


def _korean_head(head: str, book: RoleBook) -> Speaker:
    """Who a Korean subject names: 허인 은행장 (a name and a title), 노조 측 (an organisation),
    은행업계 관계자 (nobody by name)."""
    words = head.split()
    last = words[-1]
    if book.unnamed.search(last):
        return Speaker(None, head, "unknown")
    title = next((t for t in book.titles if last.endswith(t)), None)
    if title is not None:
        stem = last[: -len(title)]
        if stem and name_shaped(stem) and len(stem) <= 4:  # 김철수씨, 김철수대표
            return Speaker(stem, " ".join([*words[:-1], title]) if len(words) > 1 else title,
                           "person")  # fmt: skip
        name = words[-2] if len(words) >= 2 else ""
        if (
            not stem
            and _KO_GIVEN.fullmatch(name)
            and name not in book.not_name
            and not book.is_organisation(name)
        ):
            rest = " ".join([*words[:-2], last])
            return Speaker(name, rest, "person")
        first = words[0]
        if (
            not stem
            and len(words) >= 3
            and _KO_GIVEN.fullmatch(first)
            and "한" not in words
            and first not in book.not_name
            and not book.is_organisation(first)
        ):  # 이영곤 물빛투자 연구원: a name, an organisation, a title
            return Speaker(first, " ".join(words[1:]), "person")
        if not stem:  # a title and no name: "한 연구원은", "노조 위원장은"
            return Speaker(None, head, "unknown")
    if book.is_organisation(head):
        return Speaker(head, None, "organisation")
    return Speaker(None, None, "unknown")


def _english(text: str, s0: int, qa: int, qb: int, s1: int, book: RoleBook) -> Speaker | None:
    after = _EN_AFTER.match(text, qb, s1)
    if after is not None:
        who = after.group("who1") or after.group("who2")
        return _english_who(who, after.group("aff"), book)
    before = _EN_BEFORE.search(text, s0, qa)
    if before is not None:
        return _english_who(before.group("who"), before.group("aff"), book)
    return None


def _english_who(who: str, affiliation: str | None, book: RoleBook) -> Speaker:
    who = who.strip()
    if who.lower() in book.pronouns or (
        who.lower().startswith("the ") and not book.is_organisation(who)
    ):
        return Speaker(None, None, "unknown")
    if book.unnamed.search(who):
        return Speaker(None, who, "unknown")
    if book.is_organisation(who):
        return Speaker(who, affiliation, "organisation")
    named = speaker(who, book)
    if named is not None and named.kind == "person":
        return Speaker(who, affiliation, "person")
    return Speaker(None, None, "unknown")
