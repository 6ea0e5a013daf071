"""Cut a line into units, the pieces the detector judges, and name the ones that are body furniture.

A footer glued to the last sentence ("…했다.박철응 기자 hero@…▶ 네이버에서 …<ⓒ … 금지>") is
many units on one line: cuts go before bullets, around bracketed groups, before a copyright
sign, around bylines and after sentence ends. Each unit keeps its offsets in the document.

Furniture is what a broadcast or article carries that is body by definition, however much it
looks like a footer: bylines (also with an e-mail address), sign-offs, staff and photo credits,
part markers, wire end markers, transmission times, and hashtag lines.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.detector.evidence import BULLET_START, is_sentence

_BULLETS = "▶▷►☞※■□▣◆◇●•☑✔✅👉📢📌🔔📺📱🎧💬◈➤➜"
_EMAIL = (
    r"[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # ASCII: fast to rule out in Korean text
)
_NAME = r"[가-힣]{2,3}"  # a Korean personal name; four syllables are rare and eat into outlets
_EN_NAME = r"[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+|-[A-Za-z]+){1,3}"  # Choi Ji-won, Kim Kyung-jin

# Where a unit starts or ends inside a line (zero-width or matched spans).
_GROUP = re.compile(
    r"\[[^\[\]\n]{1,80}\]|<[^<>\n]{1,100}>|＜[^＜＞\n]{1,100}＞|〈[^〈〉\n]{1,100}〉|【[^【】\n]{1,80}】"
    r"|◀[^▶\n]{1,20}▶"
)
_OUTLET_WORD = r"(?:[A-Z][A-Za-z0-9]{1,9}|[가-힣A-Za-z0-9]{1,8}(?:뉴스|일보|신문|방송|경제|TV))\s?"
_BYLINE = re.compile(
    rf"(?:{_OUTLET_WORD})?(?:/\s*)?{_NAME}\s?(?:인턴\s?|수습\s?|객원\s?|선임\s?)?(?:기자|특파원)"
    rf"(?:\s*[(\[<]?\s*{_EMAIL}\s*[)\]>]?)?"
    rf"|(?:{_OUTLET_WORD})?{_NAME}\s?(?:인턴\s?)?(?:기자|특파원)?\s*[(\[<]\s*{_EMAIL}\s*[)\]>]"
    rf"|(?i:by)\s+{_EN_NAME}\s*[(\[<]?\s*{_EMAIL}\s*[)\]>]?"
    rf"|{_EMAIL}"
)
_LABELS = (
    r"이메일|메일|전화|문자|팩스|카카오톡|카톡|라인|홈페이지|사이트|유튜브|페이스북|인스타그램|트위터|틱톡"
    r"|텔레그램|블로그|네이버|앱|애플리케이션|라이브|커뮤니티|제보|기사\s?원문|원문|구독|채널|문의|주소"
)
_LABEL_BEFORE = re.compile(r"(?:메일|(?i:e-?mail)|제보|문의|이메일)\s*[:：\]]?\s*$")
# Cuts before a run of bullets or a copyright notice, and after a sentence's end: its full stop,
# or a Korean final ending where a crawler stripped the full stop ("…했습니다 지원 대상은 …").
# Each is its own pattern that opens with a fixed character or class, which `re` finds fast.
_BULLET_RUN = re.compile(rf"[{_BULLETS}]+")
_NOTICE_START = re.compile(r"Copyrights?\b|저작권자|[ⓒ©Ⓒ]|\([cC]\)(?=\s)")
_FULL_STOP = re.compile(r"[.!?。](?=[\s가-힣\"“'‘(\[<＜〈【])")
_FINAL_DA = re.compile(r"(?<=[니었았였했됐된한있없이겠])다\s+(?=[가-힣A-Z\[(<\"“'‘#])")
_SIGNED = re.compile(r"(?:[Cc]opyrights?|저작권자)\s?$")  # a sign right after the word: one notice
# Staff credits run into what follows when a crawler drops the line break
# ("영상편집 김도윤 제보하기").
_CREDIT_RUN = re.compile(
    r"(?:촬영(?:기자)?|영상\s?(?:편집|취재|그래픽)|그래픽|자료\s?조사|취재)\s*[:：/]?\s*[가-힣]{2,3}"
    r"(?:\s*[,/·]\s*[가-힣]{2,3})*(?=\s)"
)
_END_MARK = re.compile(r"\((?:끝|END|End)\)")
_HAS_GROUP = re.compile(r"[\[<＜〈【◀]")
# Any sign of a cut but at the very end: a short piece without one is a single unit.
_SHORT_LINE = 80
_ANY_CUT = re.compile(
    rf"[{_BULLETS}\[<＜〈【◀ⓒ©Ⓒ#@(.!?。]|다\s|Copyright|저작권자|기자|특파원|촬영|영상|그래픽|자료|취재"
)
_HAS_CREDIT = re.compile(r"촬영|영상|그래픽|자료|취재")
_HAS_BYLINE = re.compile(r"기자|특파원|@")
_BYLINE_BEFORE, _BYLINE_AFTER = 40, 60  # how far a byline reaches around its 기자, 특파원 or @
_HASHTAG_RUN = re.compile(r"(?:#(?!\d+(?:\W|$))\w+[ \t]*)+")


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str


def units(text: str, start: int, end: int, taken: Sequence[tuple[int, int]] = ()) -> list[Unit]:
    """The units of the line text[start:end], trimmed, in order, with document offsets.

    What the packs removed (`taken`) is a unit of its own, and the rest is cut around it: a unit
    is either wholly taken or not at all."""
    inside = sorted((max(a, start), min(b, end)) for a, b in taken if a < end and start < b)
    if not inside:
        return _cut(text, start, end)
    found: list[Unit] = []
    pos = start
    for a, b in inside:
        if a > pos:
            found += _cut(text, pos, a)
        piece = _trim(text, max(a, pos), b)
        if piece is not None:
            found.append(piece)
        pos = max(pos, b)
    if pos < end:
        found += _cut(text, pos, end)
    return found


def _trim(text: str, a: int, b: int) -> Unit | None:
    piece = text[a:b]
    stripped = piece.strip()
    if not stripped:
        return None
    a += len(piece) - len(piece.lstrip())
    return Unit(a, a + len(stripped), stripped)


def _cut(text: str, start: int, end: int) -> list[Unit]:
    """The units of text[start:end], which no pack's removal touches."""
    return [
        Unit(start + a, start + b, text[start + a : start + b])
        for a, b in _cut_offsets(text[start:end])
    ]


@functools.lru_cache(maxsize=8192)  # bylines, sign-offs and credits recur across documents
def _cut_offsets(line: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each unit of a piece of a line, in the piece.

    Each kind of cut is looked for only where its sign is present: most pieces have no bracket,
    no hashtag, no byline, and a short one with no sign of any cut is one unit."""
    if len(line) <= _SHORT_LINE and not _ANY_CUT.search(line, 0, len(line.rstrip()) - 1):
        piece = _trim(line, 0, len(line))
        return ((piece.start, piece.end),) if piece is not None else ()
    start, end, text = 0, len(line), line
    cuts = {start, end}
    groups: list[tuple[int, int]] = []
    if _HAS_GROUP.search(line):
        groups = [(start + m.start(), start + m.end()) for m in _GROUP.finditer(line)]
        cuts.update(p for g in groups for p in g)
    found_cuts = [m.start() for m in _BULLET_RUN.finditer(line)]
    found_cuts += [
        m.start()
        for m in _NOTICE_START.finditer(line)
        if m.group()[0] not in "ⓒ©Ⓒ(" or not _SIGNED.search(line, max(0, m.start() - 12), m.start())
    ]
    found_cuts += [m.end() for m in _FULL_STOP.finditer(line)]
    found_cuts += [m.end() for m in _FINAL_DA.finditer(line)]
    for at in found_cuts:
        at += start
        if not any(a < at < b for a, b in groups):
            cuts.add(at)
    if "(" in line:
        for m in _END_MARK.finditer(line):
            cuts |= {start + m.start(), start + m.end()}
    if _HAS_CREDIT.search(line):
        cuts.update(start + m.end() for m in _CREDIT_RUN.finditer(line))
    tags = _hashtag_runs(line) if "#" in line else []
    for a, b in tags:
        cuts |= {start + a, start + b}
    for a, b in _bylines(line):
        if _LABEL_BEFORE.search(line, max(0, a - 12), a):
            continue  # "이메일 : x@y" is a contact, not a byline
        # a byline's outlet word does not reach into a hashtag ("#한빛뉴스Follow 강지호 기자")
        a = max([a, *(t1 for t0, t1 in tags if t0 < a < t1)])
        a, b = start + a, start + b
        if not any(g0 < a < g1 or g0 < b < g1 for g0, g1 in groups):
            cuts |= {a, b}
    ordered = sorted(cuts)
    found = [
        piece for a, b in itertools.pairwise(ordered) if (piece := _trim(text, a, b)) is not None
    ]
    if len(found) > 1:
        found = _rejoin_bullets(found)
    return tuple((u.start, u.end) for u in found)


def _hashtag_runs(line: str) -> list[tuple[int, int]]:
    """(start, end) of each run of hashtags that starts a line or follows a space."""
    found: list[tuple[int, int]] = []
    at = line.find("#")
    while at >= 0:
        m = _HASHTAG_RUN.match(line, at) if at == 0 or line[at - 1].isspace() else None
        if m is not None and m.end() > at:
            found.append(m.span())
            at = line.find("#", m.end())
        else:
            at = line.find("#", at + 1)
    return found


def _bylines(line: str) -> list[tuple[int, int]]:
    """(start, end) of the bylines in a line, looked for only around the words every byline has
    (기자, 특파원, an address's @): the pattern is slow to try at every place of a long line."""
    found: list[tuple[int, int]] = []
    end = 0
    for k in _HAS_BYLINE.finditer(line):
        if k.start() < end:
            continue
        m = _BYLINE.search(line, max(end, k.start() - _BYLINE_BEFORE), k.end() + _BYLINE_AFTER)
        if m is not None and m.end() > m.start():
            found.append(m.span())
            end = m.end()
    return found


def _rejoin_bullets(found: list[Unit]) -> list[Unit]:
    """A bullet left alone (▶ before a bracketed group) goes with the unit after it."""
    out: list[Unit] = []
    pending: Unit | None = None
    for unit in found:
        if pending is not None:
            unit = Unit(pending.start, unit.end, pending.text + " " * (unit.start - pending.end)
                        + unit.text)  # fmt: skip
            pending = None
        if BULLET_START.match(unit.text) and len(unit.text.strip()) == 1:
            pending = unit
            continue
        out.append(unit)
    if pending is not None:
        out.append(pending)
    return out


# --- Furniture -----------------------------------------------------------------------------------

_FURNITURE = (
    ("byline", re.compile(r"기자|특파원|PD|앵커|@|(?i:by\s|reporter)"), re.compile(
        rf"^[(\[【<]?\s*(?:[가-힣A-Za-z0-9]{{1,10}}\s)?(?:[가-힣]{{1,6}}\s?=\s?)?(?:/\s*)?{_NAME}"
        rf"\s?(?:인턴\s?|수습\s?|객원\s?|선임\s?)?(?:기자|특파원|PD|앵커)\s*[)\]】>]?"
        rf"(?:\s*[(\[<]?\s*{_EMAIL}\s*[)\]>]?)?\s*=?\s*$"
        rf"|^(?:[가-힣A-Za-z0-9]{{1,10}}\s)?(?:{_NAME}\s?)?[(\[<]?\s*{_EMAIL}\s*[)\]>]?\s*$"
        rf"|^(?i:by|reporter|written by|reported by)\s+{_EN_NAME}"
        rf"(?:\s*[(\[<]?\s*{_EMAIL}\s*[)\]>]?)?\s*$")),
    ("signoff", re.compile(r"입니다|였습니다|, [A-Z]|I'm|지금까지|reports?"), re.compile(
        r"^(?:[A-Za-z0-9가-힣]+\s?){0,4}[가-힣]{2,4}(?:입니다|였습니다|이었습니다)\.?\s*(?:\(\S+@\S+\))?$"
        r"|^[A-Z][A-Za-z0-9]{1,10}(?: News| NEWS| World)?, [A-Z][a-z]+(?:[ -][A-Za-z]+){0,3}\.$"
        r"|^I'm [A-Z][a-z]+(?:[ -][A-Za-z]+){1,3}(?: (?:from|in|at) [A-Z][\w .-]{1,30})?\.$"
        r"|^지금까지 [^\n]{1,30}(?:였습니다|이었습니다|입니다)\.?$"
        r"|^[A-Z][A-Za-z0-9]{1,10}'s [A-Z][a-z]+(?:[ -][A-Za-z]+){1,3} reports?\.?$")),
    ("photo", re.compile(r"^[(\[/ⓒ©]"), re.compile(
        r"^[(\[]\s*(?:사진|자료|그래픽|영상|출처|사진\s?출처|사진\s?제공)\s*[=:：][^)\]\n]{1,60}[)\]]$"
        r"|^/\s*[^\n/]{1,40}$|^(?:ⓒ|©)\s*(?:연합뉴스|뉴스1|뉴시스|AP|AFP|로이터|EPA|Yonhap|Reuters)\s*$")),
    ("credit", re.compile(r"[:：/=]|(?i:\sby\s)"), re.compile(
        rf"^[{_BULLETS}]?\s*[(\[]?\s*(?:방송|출연|촬영(?:기자)?|영상\s?(?:편집|취재|그래픽|디자인)|편집|그래픽|CG|제작|구성|연출"
        r"|취재(?:기자|지원)?|자료\s?조사|디자인|글\s?·\s?사진|사진|진행|대담|작가|조연출|프로듀서"
        r"|기획|총괄\s?기획|녹음|동시녹음|자막|번역|감수|(?i:camera|video\s+edit(?:ing|or)|graphics"
        r"|produced\s+by|photo\s+by))\s*[:：/=]\s*(?!https?://)[^\n]{1,200}$"
        r"|^(?i:edited|produced|photo(?:graph)?s?|written|reporting|additional\s+reporting)\s+by\s+"
        r"[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+){1,3}\.?$")),
    # A speaker's turn in a transcript ("▷한도윤 : …", "◇ 김영수 앵커(이하 김영수)> …").
    ("speech", re.compile(rf"^[{_BULLETS}]"), re.compile(
        rf"^[{_BULLETS}]\s*(?![^:：>\n]*(?:{_LABELS}))[가-힣]{{2,4}}(?:\s?[가-힣]{{1,8}})?\s?"
        r"(?:[:：>]|\(이하)\s*(?!https?://|www\.|\S+@|[\d(+])")),
    ("credit", re.compile(r":"), re.compile(
        r"^[가-힣]{2,6}\s?:\s?[가-힣]{2,4}(?:\s*[/,·]\s*[가-힣]{2,6}\s?:\s?[가-힣]{2,4})+$")),
    ("marker", re.compile(r"^\s*[\[◀]"), re.compile(
        r"^\s*(?:\[\s*(?:앵커|리포트|기자|인터뷰|녹취|앵커\s?멘트|자막|현장음|스탠딩|브릿지|클로징|오프닝"
        r"|Anchor|Report|Reporter|Pkg|Soundbite|Interview|Q|A)\s*\]|◀\s*[^▶]{1,20}\s*▶)\s*$")),
    ("end", re.compile(r"\(|송고|입력|수정|승인|등록"), re.compile(
        r"^\s*\((?:끝|END|End)\)\s*$|^\s*\d{4}[/.-]\d{2}[/.-]\d{2}\.?\s+\d{2}:\d{2}(?::\d{2})?\s*송고\s*$"
        r"|^\s*(?:입력|수정|승인|기사\s?입력|등록)\s*:?\s*\d{4}[-./]\d{2}[-./]\d{2}[^\n]{0,40}$")),
)  # fmt: skip

# Every kind of furniture has one of these; most units have none and are done with at once.
_MAY_BE_FURNITURE = re.compile(
    rf"^[{_BULLETS}(\[/ⓒ©◀#]|[:：/=@]|기자|특파원|PD|앵커|입니다|였습니다|(?i:\sby\s|^by\s|reporter)|I'm"
    r"|reports?\b|지금까지|송고|입력|수정|승인|등록|, [A-Z]|\(끝\)|\(END\)"
)
_LONG_FURNITURE = 80  # longer than this, a unit can only be a credit list, a turn of speech or tags
_HASHTAG_LINE = re.compile(r"^\s*(?:#(?!\d+(?:\W|$))\w+\s*)+$")
_TAG = re.compile(r"#(\w+)")
_BRAND_TAG = re.compile(
    r"(?:KBS|MBC|SBS|YTN|JTBC|MBN|EBS|OBS|KTV|TBS|CBS|BBS|PBC|KNN|TJB|UBC|CJB|TBC|JIBS|G1|채널A"
    r"|TV조선|아리랑|Arirang)[A-Za-z가-힣0-9]{0,8}"
    r"|[가-힣A-Za-z0-9]{1,8}(?:뉴스|일보|신문|방송|데일리|투데이|닷컴|미디어|통신|타임즈|타임스|TV|티비)"
    r"|뉴스|속보|라이브|공식|(?i:news|live|official|shorts|breaking)",
    re.IGNORECASE,
)


# What a line's last sentence must not hold for plain_body to vouch for it: any sign of a cut
# (bullets, brackets, copyright signs, hashtags, addresses, credits, end marks) or of furniture.
_NOT_PLAIN = re.compile(
    rf"[{_BULLETS}\[\]<>＜＞〈〉【】◀#@ⓒ©Ⓒ:：/=]|\([cC]\)|(?i:copyright|\bby\s|reporter)|I'm|저작권자"
    r"|기자|특파원|PD|앵커|촬영|영상|그래픽|자료|취재|\(끝\)|\(END\)|송고|입력|수정|승인|등록"
    r"|, [A-Z]|reports?\."
)
_SENTENCE_CUT = re.compile(
    r"[.!?。](?=[\s가-힣\"“'‘(\[<＜〈【])"
    r"|(?:니다|었다|았다|였다|했다|됐다|된다|한다|있다|없다|이다|겠다)\s+(?=[가-힣A-Z\[(<\"“'‘#])"
)
_EN_START = re.compile(
    r"(?i:[^\w\s]{0,3}\s*(?:please\s+|and\s+)?(?:subscribe|follow|like|download|visit|sign\s+up|click"
    r"|tap|watch|join|support|donate|contact|e-?mail|write|call|listen|stay\s+tuned|turn\s+on|hit"
    r"|check\s+out|find\s+us|send|share|get\s+(?:the|our))\b)"
)
_SIGNOFF_END = re.compile(r"(?:입니다|였습니다|이었습니다)\.?\s*$")
_TAIL = 160


def plain_body(line: str) -> bool:
    """Whether a line that holds no strong cue surely ends in a body sentence, so that it has no
    closing run and ends a block: its last sentence is 20 characters or more, ends as a sentence
    ends, and holds nothing that would cut it or make it furniture or a call.

    Such a sentence scores below evidence.WEAK whatever it names (naming cues give 2.3 at most,
    a sentence takes 1.5 off), so reading its units would find the same (tests/detector hold
    this against reading every unit)."""
    tail_start = max(0, len(line) - _TAIL)
    cut = tail_start
    for m in _SENTENCE_CUT.finditer(line, tail_start):
        if m.end() < len(line):
            cut = m.end()
    last = line[cut:]
    if len(last) < 20 or _NOT_PLAIN.search(last) or _EN_START.match(last):
        return False
    if _SIGNOFF_END.search(last) and len(last.split()) <= 6:
        return False
    return is_sentence(last)


@functools.lru_cache(maxsize=8192)
def furniture(text: str, before: str = "") -> str | None:
    """The kind of body furniture a unit is (byline, signoff, credit, …), or None.

    `before` is what precedes the unit on its line: an address after "이메일 :" or "[메일]" is
    how to reach the outlet, not a byline."""
    text = text.strip()
    if not _MAY_BE_FURNITURE.search(text):
        return None
    long = len(text) > _LONG_FURNITURE
    for name, guard, pattern in _FURNITURE:
        if long and name not in ("credit", "speech"):
            continue
        if guard.search(text) and pattern.match(text):
            if name == "byline" and _LABEL_BEFORE.search(before):
                return None
            return name
    if "#" in text and _HASHTAG_LINE.match(text) and not own_hashtags(text):
        return "hashtags"
    return None


# What the guards of the furniture that gives a line of a script its role (byline, credit, photo,
# marker) look for, as plain strings: `in` tests them many times faster than a regular expression.
_ROLE_CUE_START = "([/ⓒ©◀"
_ROLE_CUE_WORDS = ("기자", "특파원", "PD", "앵커", "@", ":", "：", "/", "=")  # and by, reporter
ROLE_KINDS = frozenset({"byline", "credit", "photo", "marker"})


def may_be_role_furniture(text: str) -> bool:
    """False only where furniture(text) is none of ROLE_KINDS: no cue their guards look for."""
    text = text.strip()
    if text[:1] in _ROLE_CUE_START:
        return True
    for word in _ROLE_CUE_WORDS:  # a loop, not any(): this runs for every line of a script
        if word in text:
            return True
    lower = text.lower()
    return "by" in lower or "reporter" in lower


def own_hashtags(text: str) -> bool:
    """A hashtag line made only of the outlet's own names: the outlet's brand, not a topic."""
    tags = _TAG.findall(text)
    return (
        bool(_HASHTAG_LINE.match(text))
        and bool(tags)
        and all(_BRAND_TAG.fullmatch(t) for t in tags)
    )


def lines(text: str, start: int) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every non-blank line of text from `start` on, trimmed."""
    found = []
    line_no = text.count("\n", 0, start)
    pos = start
    for piece in text[start:].split("\n"):
        if piece and not piece.isspace():
            a, b = pos, pos + len(piece)
            if piece[0].isspace():
                a += len(piece) - len(piece.lstrip())
            if piece[-1].isspace():
                b -= len(piece) - len(piece.rstrip())
            found.append((line_no, a, b))
        pos += len(piece) + 1
        line_no += 1
    return found
