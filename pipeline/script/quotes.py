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

from pipeline.script.blocks import Block, Speaker, block, speaker
from pipeline.script.book import RoleBook
from pipeline.script.roles import match

_INLINE_ROLES = frozenset({"anchor", "report", "interview", "text"})
_BITE_ROLES = frozenset({"quote", "interview"})  # the roles of a block's lines
_HANGUL = re.compile(r"[가-힣]")
_QUOTED = re.compile(r"\"([^\"\n]{2,600})\"|“([^“”\n]{2,600})”")
# A sentence ends at . ! ? followed by a blank (or the end), outside quotation marks.
# Not at an abbreviation: after a Latin letter, a full stop followed by a lower-case word or a
# number ("10 p.m. from July"), or after a title ("Dr. Kim").
_END = re.compile(  # the stop first: the engine skips to the next stop
    r"[.!?。](?=\s|$)(?:(?<=[가-힣].)|(?!\s+[a-z0-9])"
    r"(?<!\bMr.)(?<!\bMs.)(?<!\bMrs.)(?<!\bDr.)(?<!\bGov.)(?<!\bRep.)(?<!\bSen.)(?<!\bGen.)"
    r"(?<!\bProf.)(?<!\bSt.)(?<!\b[A-Z]\.[A-Z].))"
)
# A quotation followed at once by a quoting ending ("…"라고, "…"며) is reported speech; a verb
# of saying after a few words tells where a subject named after the quotation ends.
_KO_SAY = re.compile(
    r"(?:이)?라고|(?:이)?라며|(?:이)?라면서|며|고|면서|(?:(?:이)?라는|는)(?=\s*입장)"
)  # "…"는 입장이다, "…"이라는 입장문을 냈다: a stated position is reported speech too
_KO_VERB = re.compile(
    r"\s+(?P<mid>(?:[^\s\"“”.]+\s+){1,4}?)"
    r"(?:말했|밝혔|전했|강조했|주장했|설명했|덧붙였|지적했|비판했|말한|밝힌|당부했|호소했|답했|촉구했|경고했"
    r"|언급했|토로했|반박했|말합니다|밝힙니다|말하|밝히|전하|강조하|주장하)"
)
# Between two quotations of one speaker: "…"라며 "…", "…"고 말하고 "…"
_KO_CHAIN = re.compile(
    r"\s*(?:이)?(?:라며|라면서|라고|며|면서|고)\s*,?\s*(?:또|이어|다시|특히)?\s*"
)
# The subject: up to four words (none across a full stop a crawler glued to the next sentence).
_KO_SUBJECT = re.compile(r"(?P<head>(?:[^\s\"“”.]+\s+){0,3}?[^\s\"“”.]+?)(?:은|는|이|가)\s*$")
# A word with a topic ending first (은, 는), else a subject ending (이, 가: "국토부가 3일 "…"").
_KO_TOPICS = tuple(
    re.compile(rf"(?<![^\s\"“”])(?P<stem>[^\s\"“”.]+?)(?:{ending})(?=\s)")
    for ending in ("은|는", "이|가")
)
_PARENTHESES = re.compile(r"\s*\([^()]{0,20}\)")
# A word that is no part of a subject's noun phrase: a date, an adverbial, the end of a clause.
_NOT_IN_PHRASE = re.compile(r"\d|[,.)]$|(?:에서|에게|에|로|와|과|고|며|서|다|해|면|을|를)$")
_EN_VERBS = (
    r"said|says|added|stated|noted|explained|wrote|asked|announced|insisted|warned|told\s+\w+"
)
# A name, an organisation, or a title and a name ("Vice Education Minister Na Seong-jin", "Foreign
# Ministry spokesperson Lim Soo-ah"): capitalised words, a few small words and titles between.
_EN_WHO = (
    r"(?:[Tt]he\s+)?[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|for|the|and"
    r"|spokes(?:person|man|woman)|minister|official|director|chief|chair(?:man|woman)?)){0,6}"
)
# One or two lower-case words before a name that say who they are ("said protester Woo Da-bin"),
# not a preposition or an adverb ("said on Monday").
_EN_LEAD = (
    r"(?:(?!(?:on|in|at|by|for|from|to|of|after|before|during|with|without|that|this|it|he|she"
    r"|they|we|the|a|an|and|but|so|then|also|not|only|again|yesterday|today|tomorrow|earlier"
    r"|later|last|next|previously|recently)\b)[a-z][\w-]{2,20}\s+){1,2}(?=[A-Z])"
)
_EN_LEAD_WORDS = re.compile(_EN_LEAD)
# A full stop that belongs to the last word of a name: an initial, an initialism, Jr.
_EN_INITIALS = re.compile(r"(?:\b[A-Z]\.)+$|\b(?:Jr|Sr|Inc|Ltd|Co|Corp)\.$")
# Words in lower case that describe the speaker without naming them ("an official at the city's
# housing office", "police"): the row says unknown.
_EN_DESIGNATION = r"(?:(?:an?|the)\s+)?[a-z][\w'’-]*(?:\s+[\w'’-]+){0,7}?"
_PRONOUN = r"(?:he|she|they|it|we|I)"
_EN_AFTER = re.compile(
    rf"\s*,?\s*(?:(?P<verb1>{_EN_VERBS})\s+(?P<who1>(?:{_EN_LEAD})?{_EN_WHO}|{_PRONOUN})"
    rf"|(?P<who2>(?:{_EN_LEAD})?{_EN_WHO}|{_PRONOUN})\s+(?P<verb2>{_EN_VERBS})"
    rf"|(?P<who3>{_EN_DESIGNATION})\s+(?P<verb3>{_EN_VERBS}))(?=[\s,.;]|$)"
    r"(?:,\s+(?P<aff>(?:a|an|the)\s[^,.\"“”]{2,100}))?"
)
# "Kim told reporters …, saying: "…"": the speaker is the subject the sentence opens with.
_EN_SAYING = re.compile(r",?\s+(?:saying|adding)\s*[,:]?\s*$")
_EN_SUBJECT = re.compile(
    r"\s*(?!(?:A|An|In|On|At|By|For|After|Before|When|While|If|But|And|So|Then|This|That|It|Last"
    r"|Next|Earlier|Later|Meanwhile|However)\b)(?![Tt]he\s+[a-z])"
    rf"(?P<who>{_EN_WHO})(?:,\s[^,\"“”]{{2,100}},)?\s+[a-z]"
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
    blocks = {b.first: b for b in bite_blocks(lines, langs, roles, book)}
    found: list[Quote] = []
    until = 0
    for i, (text, role) in enumerate(zip(lines, roles, strict=True)):
        if i < until:
            continue
        b = blocks.get(i)
        if b is not None:
            until = i + b.n_lines
            words = " ".join(lines[k][a:e] for k, a, e in b.pieces)
            k0, a0, _ = b.pieces[0]
            k1, _, e1 = b.pieces[-1]
            found.append(
                Quote(i, starts[k0] + a0, starts[k1] + e1, b.speaker.name, b.speaker.affiliation,
                      b.speaker.kind, words, langs[i], "block")
            )  # fmt: skip
        elif role in _INLINE_ROLES and ('"' in text or "“" in text or "”" in text):
            found += [
                Quote(i, starts[i] + a, starts[i] + e, who.name, who.affiliation, who.kind,
                      text[a:e], langs[i], "inline")
                for a, e, who in inline(text, book)
            ]  # fmt: skip
    return found


def bite_blocks(
    texts: Sequence[str], langs: Sequence[str], roles: Sequence[str], book: RoleBook
) -> list[Block]:
    """The quote blocks of one document's body lines (with the roles `roles` gave them), in
    order: where a line of a bite's role (quote, interview) opens one."""
    lines = list(texts)
    found: list[Block] = []
    until = 0
    for i, (text, role) in enumerate(zip(lines, roles, strict=True)):
        if i < until or role not in _BITE_ROLES:
            continue
        hit = match(text, langs[i], None, book)
        at = hit[1] if hit is not None and hit[0].role == "marker" else 0
        b = block(lines, i, at, book, bare=True)  # roles found a block here, or a bite
        if b is not None:
            until = i + b.n_lines
            found.append(b)
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
    before: tuple[int, int, Speaker | None] = (-1, -1, None)  # the last quotation: sentence, end
    for m in _QUOTED.finditer(text):
        a, b = m.span(1) if m.group(1) is not None else m.span(2)
        s_start, s_end = _sentence(text, m.start(), m.end())
        sentence_start = s_start
        words = text[a:b]
        korean = _HANGUL.search(text, m.end(), m.end() + 12) is not None
        if korean:
            chain = None
            if before[0] == s_start:  # a quotation before it in the sentence
                s_start = before[1]
                if before[2] is not None and _KO_CHAIN.fullmatch(text, before[1], m.start()):
                    chain = before[2]
            who = _korean(text, s_start, m.start(), m.end(), s_end, book, chain)
        else:
            who = _english(text, s_start, m.start(), m.end(), s_end, book)
            if who is None and before[2] is not None and _whole_sentence(text, s_start, m, s_end):
                # "…," said Kim. "…": a quoted sentence of its own after a quotation that has its
                # speaker goes on the same speech, but it does not name them.
                who = Speaker(None, None, "unknown")
        before = (sentence_start, m.end(), who)
        if who is None:
            continue
        while b > a and text[b - 1] in ", ":
            b -= 1
        if words.strip():
            found.append((a, b, who))
    return found


def _closes_speech(text: str, qb: int) -> bool:
    """Speech reported before its verb ends with a comma, ? or ! inside or after the closing
    quotation mark ("…," police said)."""
    return text[qb - 2 : qb - 1] in (",", "?", "!") or text[qb : qb + 1] == ","


def _whole_sentence(text: str, s0: int, m: re.Match[str], s1: int) -> bool:
    return not text[s0 : m.start()].strip() and text[m.end() : s1].strip() in ("", ".")


def _korean(
    text: str, s0: int, qa: int, qb: int, s1: int, book: RoleBook, chain: Speaker | None = None
) -> Speaker | None:
    """The speaker of the reported speech text[qa:qb] in the sentence text[s0:s1]; `chain`: the
    speaker of the quotation just before it in the sentence, where only a quoting ending stands
    between them ("…"라며 "…"고 주장했다)."""
    said = _KO_SAY.match(text, qb, s1)
    if said is None:
        return None
    verb = _KO_VERB.match(text, said.end(), s1)
    mid = verb.group("mid").strip() if verb is not None else ""
    subject = _KO_SUBJECT.search(mid + " ") if mid else None
    if subject is None:
        subject = _KO_SUBJECT.search(text, s0, qa)
    if subject is None and chain is not None:
        return chain
    head = subject.group("head") if subject is not None else _topic(text, s0, qa, book)
    if head is None:
        return Speaker(None, None, "unknown")
    return _korean_head(head, book)


def _topic(text: str, s0: int, qa: int, book: RoleBook) -> str | None:
    """The subject of the sentence before a quotation when words stand between them ("정태성
    물빛군수는 3일 기자회견에서 "…""): the first word with a topic ending (else a subject ending)
    that names someone, with the words of its noun phrase before it."""
    for m in (m for pattern in _KO_TOPICS for m in pattern.finditer(text, s0, qa)):
        stem = m.group("stem")
        if (
            stem in book.pronouns
            or book.unnamed.search(stem)
            or stem.endswith(book.titles)
            or book.is_organisation(stem)
        ):
            words = text[s0 : m.start()].replace(".", ". ").split()[-3:]
            phrase: list[str] = []
            for w in reversed(words):  # a phrase is the words right before the subject
                if w in book.not_name or _NOT_IN_PHRASE.search(w):
                    break
                phrase.insert(0, w)
            return " ".join([*phrase, stem])
    return None


def _korean_head(head: str, book: RoleBook) -> Speaker:
    """Who a Korean subject names: 허인 은행장 (a name and a title), 문혜린 물빛군 보건소장
    (a name, an organisation and a title), 류하진 씨 (a name and an honorific), 시민단체
    한빛교통연대 (an organisation), 은행업계 관계자 (nobody by name). A name without a title is
    no evidence enough (경찰은, 소유주는 have a surname's shape too): unknown."""
    words = _PARENTHESES.sub("", head).split()  # 오세린(42) 씨: an age is no part of a name
    cut = [n for n, w in enumerate(words[:-1]) if w in book.not_name or _NOT_IN_PHRASE.search(w)]
    words = words[cut[-1] + 1 :] if cut else words  # 이에 대해 한결전력 측, 특히 한국기자협회
    head, last = " ".join(words), words[-1]
    if book.designates(last):
        return Speaker(None, head, "unknown")
    if last in book.pronouns:
        return Speaker(None, None, "unknown")
    if book.is_unit(words):  # 한국농어촌공사 물빛지사: a unit, though 지사 is a title too
        return _organisation(words, book)
    title = (
        next((t for t in book.titles if last.endswith(t)), None)
        if last.endswith(book.titles)
        else None
    )  # one C-level test first: most words end with no title
    if title is not None or last in book.honorifics:
        stem = last[: -len(title)] if title is not None else ""
        # The name is the word before the title (정태성 물빛군수: 물빛 is the county of
        # the title), or one before organisations between them (문혜린 물빛군 보건소장), or
        # the first word of the phrase (이도윤 물빛투자 연구원); else a name glued to the title
        # (김철수대표). A surname alone ("이 대표") names nobody in full.
        if len(words) >= 2 and len(words[-2]) == 1:
            return Speaker(None, head, "unknown")
        for n in range(len(words) - 2, max(-1, len(words) - 5), -1):
            if book.is_korean_name(words[n]):
                rest = [w for w in words[:n] + words[n + 1 :] if w not in book.honorifics]
                return Speaker(words[n], " ".join(rest) or None, "person")
            if n > 1 and not book.is_organisation(words[n]):
                break
        if stem and book.is_korean_name(stem):
            assert title is not None
            rest = [w for w in [*words[:-1], title] if w not in book.honorifics]
            return Speaker(stem, " ".join(rest) or None, "person")
        return Speaker(None, head, "unknown")  # a title and no name: "한 연구원은"
    if book.is_organisation(last):
        return _organisation(words, book)
    if book.is_organisation(head):
        return Speaker(head, None, "organisation")
    return Speaker(None, None, "unknown")


def _organisation(words: list[str], book: RoleBook) -> Speaker:
    """An organisation's name, after the words for its kind (시민단체 한빛교통연대)."""
    n = 0
    while n < len(words) - 1 and words[n] in book.categories:
        n += 1
    return Speaker(" ".join(words[n:]), " ".join(words[:n]) or None, "organisation")


def _english(text: str, s0: int, qa: int, qb: int, s1: int, book: RoleBook) -> Speaker | None:
    after = _EN_AFTER.match(text, qb, s1)
    if after is not None and after.group("who3") is not None and not _closes_speech(text, qb):
        after = None  # the "Fair Roads" plan said: a title before a noun, no speech
    if after is not None and after.group("who3") is not None:
        described = re.sub(r"^(?:an?|the)\s+", "", after.group("who3"))
        return Speaker(None, described if book.unnamed.search(described) else None, "unknown")
    if after is not None:
        who = after.group("who1") or after.group("who2")
        return _english_who(who, after.group("aff"), book)
    before = _EN_BEFORE.search(text, s0, qa)
    if before is not None:
        return _english_who(before.group("who"), before.group("aff"), book)
    saying = _EN_SAYING.search(text, s0, qa)
    if saying is not None:
        subject = _EN_SUBJECT.match(text, s0)
        if subject is not None:
            return _english_who(subject.group("who"), None, book)
        return Speaker(None, None, "unknown")
    return None


def _english_who(who: str, affiliation: str | None, book: RoleBook) -> Speaker:
    who = who.strip()
    if who.endswith(".") and not _EN_INITIALS.search(who):  # said Tak Mi-rae. "…"
        who = who[:-1]
    lead = _EN_LEAD_WORDS.match(who)  # protester Woo Da-bin
    if lead is not None:
        who, affiliation = who[lead.end() :], affiliation or lead.group(0).strip()
    # The words up to the last title before a name are the affiliation: Mayor Jeon Sang-woo,
    # Vice Education Minister Na Seong-jin, Foreign Ministry spokesperson Lim Soo-ah, U.N.
    # Secretary-General Ban Ki-moon (a title in a hyphenated word).
    words = who.split()
    titles = book.lower_titles
    for n in range(len(words) - 1, 0, -1):
        lower = [w.lower() for w in words[max(0, n - 3) : n]]  # a title has up to three words
        rest = " ".join(words[n:])
        hyphenated = "-" in lower[-1] and any(w in titles for w in lower[-1].split("-"))
        if hyphenated or any(" ".join(lower[k:]) in titles for k in range(len(lower))):
            if not book.is_organisation(rest):
                who, affiliation = rest, affiliation or " ".join(words[:n])
            break
    if who.lower().startswith("the ") and book.is_organisation(who):  # the Teachers' Union
        who = who[4:].strip()
    if who.lower() in book.pronouns or who.lower().startswith("the "):
        return Speaker(None, None, "unknown")
    if book.unnamed.search(who):
        return Speaker(None, who, "unknown")
    if book.is_organisation(who):
        return Speaker(who, affiliation, "organisation")
    named = speaker(who, book)
    if named is not None and named.kind == "person":
        return Speaker(who, affiliation, "person")
    return Speaker(None, None, "unknown")
