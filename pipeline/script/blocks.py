"""Quote blocks: a speaker, their title and organisation, and what they said, in brackets.

The shapes broadcasters write ("head" is who speaks, "/" parts name from title and organisation):

    [김달성/포천 이주노동자센터 대표 : "…"]          the head and the words in one bracket
    [North Korea Korean Central Television: "…"]     an organisation as the speaker
    [Janet Yellen/U.S. Treasury Secretary]"…"        the head in brackets, the words after it
    <하태경 / 바른미래당 의원> "…"                     the same in angle brackets
    {진선규/배우/"…"}                                  braces, the words after a slash
    [인터뷰] 홍길동 / 시민 : …                         after an interview marker, no bracket
    Kim Min-su (Security Adviser): …                   the same, the title in parentheses

A bracket may stay open over several lines, and the words after a head may run on over several
lines until their closing quotation mark. A head must name someone: a person's name, an
organisation, or a designation of an unnamed person (then the speaker is null); a headline tag
("[단독]"), a photo credit or a head that names nobody is no quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.script.book import RoleBook

OPEN_QUOTES = "\"“'‘"
CLOSE_QUOTES = "\"”'’"
# The bracket families of quote heads: [ ], < >, ＜ ＞, { }, MBN's 【 】, 〔 〕, ‹ › and ◀ ▶.
_CLOSE = {"[": "]", "<": ">", "＜": "＞", "{": "}", "【": "】", "〔": "〕", "‹": "›", "◀": "▶"}
_CLOSERS = frozenset(_CLOSE.values())
_MAX_LINES = 8  # a block longer than this is not a block
_MAX_HEAD = 80
_KO_NAME = re.compile(r"[가-힣]{2,5}|[가-힣]{1,6}(?: [가-힣]{1,6}){1,3}")
_EN_NAME = re.compile(r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|de|van|von|bin|al|der|la|le)){0,5}")
# Where the head ends and the words start: a colon, or a slash before the opening quotation mark
# ({진선규/배우/"…"}).
_HEAD_COLON = re.compile(r"\s*[:：]\s*|\s*/\s*(?=[\"“])")
_PAREN = re.compile(
    r"(?P<who>[^()/]+?)\s*\((?P<aff>[^()]+)\)"
)  # Kim Min-su (Nat'l Security Adviser)


@dataclass(frozen=True)
class Speaker:
    name: str | None
    affiliation: str | None
    kind: str  # person, organisation, unknown


@dataclass(frozen=True)
class Block:
    """A quote block: its lines, and the quoted words as (line, start, end) pieces of line text."""

    first: int
    n_lines: int
    speaker: Speaker
    pieces: tuple[tuple[int, int, int], ...]
    bare: bool = False  # its head stands without brackets (홍길동 / 시민 : …)


def name_shaped(who: str) -> bool:
    return bool(_KO_NAME.fullmatch(who) or _EN_NAME.fullmatch(who))


def speaker(head: str, book: RoleBook, slashed_only: bool = False) -> Speaker | None:
    """Who a block's head names, or None when it names nobody.

    `slashed_only`: a head without a "/" is a speaker only if it names an organisation."""
    head = head.strip()
    if not head or len(head) > _MAX_HEAD or any(c in head for c in '"“”'):
        return None
    paren = _PAREN.fullmatch(head)
    if paren is not None:
        who, slash, rest = paren.group("who"), "/", paren.group("aff")
    else:
        who, slash, rest = head.partition("/")
    who, rest = who.strip(), rest.strip()
    parts = who.split()
    if len(parts) == 2 and parts[1] in book.honorifics:  # 용순덕 씨 / 서울 은평구: 용순덕
        who = parts[0]
    if not who or book.is_headline(who):
        return None
    if book.designates(who) or book.anonymous.search(head):  # 해경 대원 (음성변조)
        return Speaker(None, head, "unknown")
    if book.is_organisation(who):
        return Speaker(who, rest or None, "organisation")
    if slash and name_shaped(who):
        return Speaker(who, rest or None, "person")
    if not slash and not slashed_only and name_shaped(who):
        return Speaker(who, None, "person")
    return None


def _words(line: str, a: int, b: int) -> tuple[int, int]:
    """line[a:b] without surrounding blanks and one pair of quotation marks (or an open or a
    close one where the words run over lines)."""
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    if a < b and line[a] in OPEN_QUOTES:
        a += 1
    if b > a and line[b - 1] in CLOSE_QUOTES:
        b -= 1
    while a < b and line[a].isspace():
        a += 1
    while b > a and line[b - 1].isspace():
        b -= 1
    return a, b


def _closing(texts: list[str], i: int, char: str) -> int | None:
    """The first line from i+1 on (within _MAX_LINES) that ends with `char`, unless a line that
    opens another bracket comes first ("<앵커>" does not close "<촬영기자 : …")."""
    for j in range(i + 1, min(len(texts), i + _MAX_LINES)):
        if texts[j].lstrip()[:1] in _CLOSE:  # another bracket opens: this one never closed
            return None
        if texts[j].rstrip().endswith(char):
            return j
    return None


def _run_on(texts: list[str], i: int, a: int) -> list[tuple[int, int, int]] | None:
    """The pieces of words that open with a quotation mark at texts[i][a] and close at the end of
    the same line or of a later one."""
    line = texts[i]
    if line.rstrip()[-1:] in CLOSE_QUOTES and len(line.rstrip()) > a + 1:
        return [(i, *_words(line, a, len(line)))]
    for j in range(i + 1, min(len(texts), i + _MAX_LINES)):
        if texts[j].rstrip()[-1:] in CLOSE_QUOTES:
            pieces = [(i, *_words(line, a, len(line)))]
            pieces += [(k, *_words(texts[k], 0, len(texts[k]))) for k in range(i + 1, j + 1)]
            return pieces
    return None


def block(texts: list[str], i: int, at: int, book: RoleBook, bare: bool = False) -> Block | None:
    """The quote block that starts at texts[i][at:], or None.

    `bare`: after an interview marker, where a head may stand without a bracket."""
    line = texts[i]
    while at < len(line) and line[at].isspace():
        at += 1
    if at >= len(line):
        return None
    opener = line[at]
    if opener in _CLOSE:
        return _bracketed(texts, i, at, _CLOSE[opener], book)
    if bare:
        return _bare(texts, i, at, book)
    return None


def _bracketed(texts: list[str], i: int, at: int, close: str, book: RoleBook) -> Block | None:
    line = texts[i]
    end = line.find(close, at + 1)
    colon = _HEAD_COLON.search(line, at + 1, end if end >= 0 else len(line))
    if colon is not None and colon.start() - at - 1 <= _MAX_HEAD:
        who = speaker(line[at + 1 : colon.start()], book)
        if who is None:
            return None
        if end >= 0 and line[end + 1 :].strip() == "":  # [head : words]
            a, b = _words(line, colon.end(), end)
            return Block(i, 1, who, ((i, a, b),)) if a < b else None
        if end < 0:  # [head : words … over lines …]
            j = _closing(texts, i, close)
            if j is None:
                return None
            closing = texts[j].rstrip()
            spread = [(i, *_words(line, colon.end(), len(line)))]
            spread += [(k, *_words(texts[k], 0, len(texts[k]))) for k in range(i + 1, j)]
            spread.append((j, *_words(closing, 0, len(closing) - 1)))
            spread = [p for p in spread if p[1] < p[2]]
            return Block(i, j - i + 1, who, tuple(spread)) if spread else None
        return None
    if end < 0:
        return None
    who = speaker(line[at + 1 : end], book, slashed_only="/" not in line[at + 1 : end])
    if who is None or ("/" not in line[at + 1 : end] and who.kind != "organisation"):
        return None
    after = end + 1
    while after < len(line) and line[after].isspace():
        after += 1
    if after < len(line):  # [head]"words"
        if line[after] not in OPEN_QUOTES:
            return None
        pieces = _run_on(texts, i, after)
    elif i + 1 < len(texts) and texts[i + 1].lstrip()[:1] in OPEN_QUOTES:  # [head] / "words"
        nxt = texts[i + 1]
        pieces = _run_on(texts, i + 1, len(nxt) - len(nxt.lstrip()))
    else:
        return None
    if not pieces:
        return None
    return Block(i, pieces[-1][0] - i + 1, who, tuple(p for p in pieces if p[1] < p[2]))


def _bare(texts: list[str], i: int, at: int, book: RoleBook) -> Block | None:
    """홍길동 / 시민 : words (or 홍길동/시민 on its line and the words on the next); 시 관계자 :
    words."""
    line = texts[i]
    closed = _closed_head(texts, i, at, book)
    if closed is not None:
        return closed
    colon = _HEAD_COLON.search(line, at)
    if colon is not None and colon.start() - at <= _MAX_HEAD:
        head = line[at : colon.start()]
        # Without a "/", a head names an organisation or an unnamed person ("시 관계자 : …").
        named = "/" in head or _PAREN.fullmatch(head.strip())
        who = speaker(head, book, slashed_only=not named)
        if who is None:
            return None
        a, b = _words(line, colon.end(), len(line))
        return Block(i, 1, who, ((i, a, b),), bare=True) if a < b else None
    head = line[at:]
    who = speaker(head, book) if "/" in head or _PAREN.fullmatch(head.strip()) else None
    if who is None or i + 1 >= len(texts) or texts[i + 1].lstrip()[:1] not in OPEN_QUOTES:
        return None
    nxt = texts[i + 1]
    pieces = _run_on(texts, i + 1, len(nxt) - len(nxt.lstrip()))
    if not pieces:
        return None
    return Block(i, pieces[-1][0] - i + 1, who, tuple(p for p in pieces if p[1] < p[2]), bare=True)


def _closed_head(texts: list[str], i: int, at: int, book: RoleBook) -> Block | None:
    """A head after a bite marker that its bracket closes: "【 인터뷰 : 오경숙 / 운전자 】 "…"",
    "[인터뷰] 석지훈 / 해경 과장] "…"", the words after it on the line or on the next."""
    line = texts[i]
    end = next((k for k in range(at, min(len(line), at + _MAX_HEAD + 1)) if line[k] in _CLOSERS),
               -1)  # fmt: skip
    # The head holds no quotation, colon or bracket of its own ("홍길동 / 시민 : 그건 [무슨] 말").
    if end < 0 or any(c in OPEN_QUOTES or c in ":：" or c in _CLOSE for c in line[at:end]):
        return None
    head = line[at:end]
    named = "/" in head or _PAREN.fullmatch(head.strip())
    who = speaker(head, book, slashed_only=not named)
    if who is None:
        return None
    after = end + 1
    while after < len(line) and line[after].isspace():
        after += 1
    if after < len(line):
        if line[after] in OPEN_QUOTES:
            pieces = _run_on(texts, i, after)
        else:  # the words without quotation marks
            pieces = [(i, *_words(line, after, len(line)))]
    elif i + 1 < len(texts) and texts[i + 1].lstrip()[:1] in OPEN_QUOTES:
        nxt = texts[i + 1]
        pieces = _run_on(texts, i + 1, len(nxt) - len(nxt.lstrip()))
    else:
        return None
    pieces = [p for p in pieces or [] if p[1] < p[2]]
    if not pieces:
        return None
    return Block(i, pieces[-1][0] - i + 1, who, tuple(pieces), bare=True)
