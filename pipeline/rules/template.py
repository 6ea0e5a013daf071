"""One line as `rules suggest` sees it: its template, a pattern for it, whether it is body
furniture, and the footer evidence it holds."""

from __future__ import annotations

import re

from pipeline.rules.pack import RuleSet
from pipeline.text import collapse_ws

# What varies per document but not per outlet. A URL keeps its host and an e-mail address its
# domain (the outlet's own, and the best evidence) and lose their path or user. The alternatives
# are tried in this order at each position, so an address inside a URL is the URL's. URLs are
# ASCII only, so a byline glued after one ("…/4bWbkG홍화경 기자") is not taken into it. A bare
# domain and an address start only where a run of their characters starts: tried inside the run
# too, a long one (a base64 blob) would take quadratic time.
_MASK = re.compile(
    r"(?P<url>(?:https?://|www\.)[\x21-\x7e]+"
    r"|(?<![A-Za-z0-9-])(?:[A-Za-z0-9-]+\.){1,4}(?:com|net|org|kr|tv|be|gl|ly|me|io|co)"
    r"(?![A-Za-z0-9-])(?:/[\x21-\x7e]*)?)"
    r"|(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+){1,4})"
    r"|(?P<handle>(?<![\w@/])@[\w.]+)"
    r"|(?P<num>\d+)"
)
_HOST = re.compile(r"(?:https?://)?([A-Za-z0-9.-]*)")
LETTER = re.compile(r"[가-힣A-Za-z]")

# Body furniture that recurs in an outlet's documents and must stay: sign-offs, titles of
# bylines, staff and photo credits, section markers, wire end markers (timestamps: see below).
_TITLE = (
    r"(?:기자|특파원|앵커|캐스터|리포터|논설위원|에디터|통신원|PD|reporter|correspondent)"
    r"(?![가-힣A-Za-z])"
)
_FURNITURE = re.compile(
    r"(?<![가-힣A-Za-z])[가-힣A-Za-z]+\s*뉴스\s*[가-힣]{2,4}\s*입니다|전해\s*드렸습니다|\bNews,\s*[A-Z][a-z]+"
    rf"|{_TITLE}"
    r"|촬영|영상\s*(?:편집|취재|디자인)|그래픽|자료\s*조사|(?:편집|구성|연출|디자인|CG)\s*[:：]"
    r"|사진\s*(?:=|:|제공|출처)|[\[(]\s*사진|자료\s*사진|(?:이미지|영상)\s*(?:=|제공|출처)"
    r"|출처\s*[:=]|게티\s*이미지|Getty|Photo\s*(?:by|courtesy|credit)?\s*[:=]|Courtesy"
    r"|^\s*[\[<〈◀【(]\s*(?:앵커|기자|리포트|인터뷰|녹취|현장음|싱크|자막|멘트|클로징|오프닝|스튜디오)"
    r"|◀[^▶\n]{1,15}▶|\((?:끝|END)\)|<끝>|\[끝\]|^\s*-?\s*끝\s*-?\s*$",
    re.IGNORECASE,
)
_TIMESTAMP_WORDS = re.compile(
    r"송고|최종\s*수정|기사\s*입력|입력|수정|업데이트|등록|승인|발행|오전|오후|현재|기준"
    r"|[년월일시분초]|KST|AM|PM|Posted|Updated|Published|Edited|on|at",
    re.IGNORECASE,
)

# Footer evidence. A line without any is never suggested, however often it recurs; a line that
# reads as a sentence of news ("…했습니다.") needs strong evidence, not just a word such as 의견.
_STRONG_WORDS = re.compile(
    r"제보|구독|저작권|무단|전재|재배포|바로\s*가기|뉴스레터|copyright|subscribe|ⓒ|©", re.I
)
_WEAK_WORDS = re.compile(
    r"카카오|카톡|유튜브|채널|홈페이지|문의|전화|메일|시청자|의견|다운로드|클릭|네이버|페이스북"
    r"|인스타그램|트위터|텔레그램|틱톡|후원|원문|링크|좋아요|알림|팔로우|금지|앱"
    r"|\b(?:follow\s+us|youtube|facebook|instagram|twitter|telegram|kakao|download|click)\b",
    re.I,
)
_SENTENCE = re.compile(r"(?:[다요죠까]|[a-z]{2})[.!?]?[\"'”’)]*$")
_FOOTER_MARKS = "■□▣▶▷►◆◇◈●○•※☞☎▪"
_PHONE = re.compile(r"(?<!\d)(?:0\d{1,2}[-.)]\s?\d{3,4}[-.]\d{4}|1[5-9]\d{2}-\d{4})(?!\d)")
# The kind a line's evidence points to (in the line or its template); the first that fits wins.
_KINDS = (
    ("copyright", r"저작권|무단|전재|재배포|copyright|ⓒ|©|rights"),
    ("subscribe", r"구독|좋아요|알림|subscribe"),
    ("tipline", r"제보|의견|시청자|문의|전화|메일|tip|☎|<EMAIL"),
    ("app", r"앱|어플|다운로드|설치|download|\bapp\b"),
    ("channel", r"유튜브|채널|카카오|카톡|네이버|페이스북|인스타그램|트위터|텔레그램|틱톡|팔로우"
                r"|뉴스레터|youtube|facebook|instagram|twitter|telegram|<@>"),
    ("link", r"<URL|바로\s*가기|원문|링크|클릭|홈페이지|click"),
)  # fmt: skip


def _pieces(line: str) -> list[tuple[str, str]]:
    """The line as (mask name or "", text) pieces, in order."""
    out, pos = [], 0
    for m in _MASK.finditer(line):
        if m.start() > pos:
            out.append(("", line[pos : m.start()]))
        out.append((m.lastgroup or "", m.group()))
        pos = m.end()
    if pos < len(line):
        out.append(("", line[pos:]))
    return out


def _host(url: str) -> str:
    m = _HOST.match(url)
    return m[1] if m else ""


def template(line: str) -> str:
    """The line with what varies per document masked: <N>, <URL host>, <EMAIL domain>, <@>;
    whitespace collapsed."""
    shown = {
        "url": lambda t: f"<URL {_host(t)}>",
        "email": lambda t: f"<EMAIL {t.split('@')[1]}>",
        "handle": lambda t: "<@>",
        "num": lambda t: "<N>",
    }
    return collapse_ws("".join(shown[k](t) if k else t for k, t in _pieces(line)))


def _escape(text: str) -> str:
    # A quote as \x27, so that a pattern always fits in a TOML literal string '''…'''.
    return re.escape(text).replace("'", r"\x27")


def pattern_of(line: str) -> str:
    """A regex for the line's template: literal text escaped, masked parts as bounded classes.

    No group is repeated (only the optional scheme of a URL is a group), so a match cannot
    backtrack without end; `rules check` also runs every pattern on adversarial input."""
    parts = []
    for kind, text in _pieces(line.strip()):
        if kind == "url":
            parts.append(rf"(?:https?://)?{_escape(_host(text))}[\x21-\x7e]*")
        elif kind == "email":
            parts.append(rf"[A-Za-z0-9._%+-]+@{_escape(text.split('@')[1])}")
        elif kind == "handle":
            parts.append(r"@[\w.]+")
        elif kind == "num":
            parts.append(r"\d+")
        else:
            parts += [r"\s+" if w.isspace() else _escape(w) for w in re.split(r"(\s+)", text) if w]
    return "".join(parts)


def _footer_word(word: str) -> bool:
    return bool(_STRONG_WORDS.search(word) or _WEAK_WORDS.search(word))


def is_byline(line: str) -> bool:
    """A line with an e-mail address and, besides it, only a name or a reporter's title."""
    if "@" not in line or not _MASK.search(line):
        return False
    rest = re.sub(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", " ", line)
    words = re.findall(r"[가-힣]+|[A-Za-z][A-Za-z'-]*", rest)
    return (
        not words
        # "서다은 (…@kbs.co.kr)" is a name; "이메일 : …" is not
        or (len(words) == 1 and 2 <= len(words[0]) <= 5 and not _footer_word(words[0]))
        or (len(words) <= 4 and all(w[0].isupper() for w in words))
        or re.search(_TITLE, rest, re.IGNORECASE) is not None
    )


def _is_timestamp(line: str) -> bool:
    """Digits with only date and time words around them: "2024.01.02 10:00 송고", "입력 …"."""
    rest = _TIMESTAMP_WORDS.sub("", line)
    return bool(re.search(r"\d", line)) and not re.search(r"[^\W\d_]", rest)


def is_furniture(line: str, rules: RuleSet) -> bool:
    """Whether a line is body furniture that must stay, however often it recurs."""
    return (
        _FURNITURE.search(line) is not None
        or is_byline(line)
        or _is_timestamp(line)
        or rules.signed_off(line) is not None
    )


def is_sentence(line: str) -> bool:
    """Whether a line reads as a sentence of news: it ends like one (…니다., …했다, …ed.) or
    runs to eight words or more, which a footer line seldom does."""
    return _SENTENCE.search(line) is not None or len(line.split()) >= 8


def kind_of(line: str) -> str | None:
    """The kind of promotion a line's evidence points to; None when it holds too little."""
    shape = template(line)
    literal = re.sub(r"<[^<>]*>", "", shape)
    address = "<URL" in shape or "<EMAIL" in shape or "<@>" in shape or _PHONE.search(line)
    if len(LETTER.findall(literal)) < 2 and not address:
        return None  # too little text of its own to make a rule specific to the outlet
    marked = line.lstrip()[:1] in _FOOTER_MARKS
    strong = address or marked or _STRONG_WORDS.search(line)
    if not (strong or (_WEAK_WORDS.search(line) and not is_sentence(line))):
        return None
    probe = f"{line} {shape}"
    return next((k for k, words in _KINDS if re.search(words, probe, re.I)), "channel")
