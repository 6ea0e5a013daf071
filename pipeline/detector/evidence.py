"""What a piece of text shows of promotion: named evidence, each with a weight, and a score.

The evidence is what holds across outlets, not any outlet's wording: what the text does (a call
to subscribe, follow, tip off, download or visit; a notice of copyright or of quotation terms),
what it is made of (links, e-mail addresses, handles, phone numbers, platform names, bullets,
the shape of a button label) and how much ordinary sentence it holds (a finite predicate,
reported speech, quotation marks, length). Weights are log-odds: a unit's score is the logistic
of their sum, so every score can be read back as the evidence that made it.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from pipeline.rules.prefilter import PatternSet

# --- Lexicon -------------------------------------------------------------------------------------

# Platforms and services outlets send their audience to. Korean words that are also ordinary
# words (다음 "next", 줌, 포스트, 라인 "line" inside other words) are left out or fenced.
_PLATFORM = (
    r"유튜브|네이버\s?TV|네이버|카카오톡|카카오\s?TV|카카오|카톡|페이스북|인스타그램|인스타|트위터|틱톡"
    r"|텔레그램|SNS|(?<![가-힣])라인(?![가-힣])|웨이브|티빙|팟빵|팟캐스트|스포티파이|블로그|뉴스스탠드"
    r"|(?i:youtube|naver|kakao\s?talk|kakao|facebook|instagram|twitter|tiktok|telegram|wavve"
    r"|tving|podbbang|podcasts?|spotify|threads|google\s?news|apple\s?podcasts?)"
)
# Words for the places themselves.
_CHANNEL = (
    r"채널|구독자|뉴스레터|홈페이지|웹사이트|사이트|커뮤니티|라이브|애플리케이션|(?<![가-힣])(?:앱|어플)(?=에서|으로|을|이|의|[^가-힣]|$)"
    r"|공식\s?(?:계정|페이지)"
    r"|(?i:homepage|website|channel|newsletter|community)"
)
# Actions an outlet asks of its audience (Korean stems that take 하다).
_ACTION = (
    r"구독|팔로우|좋아요|알림\s?설정|시청|청취|참여|후원|제보|방문|설치|다운로드|다운|신청|검색"
    r"|(?:친구|채널)\s?추가|클릭|접속|공유|응원|가입"
)
_URL = (
    r"https?://[^\s<>\]\[)(]+|www\.[^\s<>\]\[)(]+"
    r"|\b(?:bit\.ly|goo\.gl|url\.kr|han\.gl|me2\.do|naver\.me|youtu\.be|t\.me|vo\.la|linktr\.ee)/\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|kr|tv|io|me)\b(?:/[^\s<>\]\[)(]*)?"
)
_EMAIL = (
    r"[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"  # ASCII: fast to rule out in Korean text
)
_HANDLE = r"(?<![\w@.])@[\w가-힣][\w가-힣.]{1,}"
_PHONE = (
    r"(?<![\d-])(?:\+82[-\s]?)?\(?0\d{1,2}\)?[-.\s]?\d{3,4}[-.\s]\d{4}(?![\d-])"
    r"|(?<![\d-])1[5-9]\d{2}[-.\s]\d{4}(?![\d-])|(?<![\w#])#\d{4}(?!\d)"
)
# A label that introduces a way to reach the outlet ("▷ 이메일 : …", "[전화] …", "Homepage : …").
_CONTACT_LABEL = (
    r"이메일|메일|전화|☎|팩스|문자|카카오톡|카톡|(?<![가-힣])라인|홈페이지|사이트|유튜브|페이스북"
    r"|인스타그램|트위터|틱톡|텔레그램|블로그|네이버|앱|애플리케이션|라이브|커뮤니티|제보|기사\s?원문|원문"
    r"|구독|채널|웨이브|팟캐스트"
    r"|(?i:e-?mail|tel|phone|call|fax|kakao\s?talk|homepage|website|site|youtube|facebook"
    r"|instagram|twitter|tiktok|telegram|blog|naver|app|live|community|subscribe|channel"
    r"|wavve|podcast)|X(?=\s*[:：])"
)
_MESSENGER = r"카카오톡|카톡|(?<![가-힣])라인|텔레그램|(?i:kakao\s?talk|telegram)"
_LABELLED = (
    rf"(?:^|(?<=[\s▶▷►☞※■□▣◆◇●•◈\[]))(?:{_CONTACT_LABEL})\s*(?:[:：]|\])?\s*"
    rf"(?:{_URL}|{_EMAIL}|{_HANDLE}|{_PHONE}|['‘\"]?[^\s'’\"]{{1,20}}['’\"]?\s?검색"
    rf"|(?:{_PLATFORM})(?:\s*[/,]\s*(?:{_PLATFORM}))*\s*[:：]?\s*@?[A-Za-z0-9_.]{{3,}})"
    # A messenger and the outlet's id on it ("카톡/라인 jebo23", "카카오톡 okjebo").
    rf"|(?:^|(?<=[\s▶▷►☞※■□▣◆◇●•◈\[]))(?:{_MESSENGER})(?:\s*[/,]\s*(?:{_MESSENGER}))*"
    r"\s*[:：]?\s*@?[A-Za-z][A-Za-z0-9_.]{2,}(?=\s*(?:$|[,)\]▶▷■※]))"
)
# The outlet's own name: broadcasters' call signs, and the shapes Korean outlet names take.
_OUTLET = (
    r"(?<![A-Za-z])(?:KBS|MBC|SBS|YTN|JTBC|MBN|EBS|OBS|KTV|TBS|tbs|CBS|BBS|PBC|KNN|TJB|UBC|CJB|TBC"
    r"|JIBS|G1|채널A|TV조선|아리랑|Arirang)(?![A-Za-z])"
    r"|[가-힣A-Za-z0-9]{1,8}(?:뉴스|일보|신문|방송|데일리|투데이|닷컴|미디어|통신|타임즈|타임스|저널)(?![가-힣])"
)

_BULLET_CHARS = "▶▷►☞※■□▣◆◇●•☑✔✅👉📢📌🔔📺📱🎧💬◈➤➜★☆✨🔥⭐"
BULLET_START = re.compile(rf"^\s*(?:[{_BULLET_CHARS}]|[\U0001F300-\U0001FAFF])")

# --- Evidence, with weights ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    name: str
    weight: float
    category: str  # copyright, notice, tipline, subscribe, link, channel, plug, body
    pattern: str
    cap: int = 1  # how many matches count


CUES: tuple[Cue, ...] = (
    # What the text does.
    Cue("notice", 4.5, "notice",
        r"인용\s?(?:시|할\s?때|하실\s?때|보도\s?시|하는\s?경우|하실\s?경우)|출처를\s?(?:꼭\s?|반드시\s?)?밝혀"
        r"|(?:정확하게|정확히|반드시|꼭)\s?밝혀\s?주|밝혀\s?주시기\s?바랍니다|밝혀\s?주십시오"
        r"|실제\s?방송\s?내용과\s?(?:차이|다를)"
        r"|(?i:when\s+quot(?:ing|ed)|please\s+(?:credit|cite|attribute)\b|must\s+(?:be\s+)?"
        r"(?:credited|attributed|cited)|credit\s+(?:should|must)\s+be\s+given)"),
    # A notice worded as a sentence ("저작권은 …에 있습니다", "… 금지합니다") is still a notice.
    Cue("rights_sentence", 4.0, "copyright",
        r"저작권은\s?[^\n]{1,20}에\s?(?:있습니다|있으며|있음)"
        r"|(?:전재|배포|복제|복사)[^\n]{0,20}(?:금지합니다|금합니다|금지됩니다)"),
    Cue("rights", 4.0, "copyright",
        r"무단\s?(?:전재|복제|복사|배포|전송|수집|사용|이용|게재|도용)|재배포|배포\s?금지|재판매|DB\s?금지"
        r"|AI\s?(?:학습|데이터)[^\n]{0,12}금지"
        r"|(?i:all\s+rights\s+reserved|unauthori[sz]ed\s+(?:reproduction|copying|redistribution|use)"
        r"|may\s+not\s+be\s+(?:reproduced|republished|redistributed|copied))"),
    Cue("copyright_sign", 2.0, "copyright", r"ⓒ|©|Ⓒ|\([cC]\)|저작권자|(?i:copyrights?\b)", cap=2),
    Cue("tip_call", 4.0, "tipline",
        r"(?:여러분|당신)(?:의|들의)?\s?(?:소중한\s?|작은\s?)?제보"
        r"|제보(?:를|는|가|로)?\s?(?:기다립니다|받습니다|환영합니다|뉴스가\s?됩니다|세상을\s?바꿉니다)"
        r"|제보\s?(?:해\s?주세요|해\s?주십시오|바랍니다|부탁)"
        r"|(?i:send\s+(?:us\s+)?(?:your\s+)?(?:news\s+)?tips?|have\s+a\s+(?:news\s+)?tip|tip\s+us)"),
    Cue("call", 3.0, "subscribe",
        rf"(?:{_ACTION})\s?(?:해|하)\s?(?:주세요|주십시오|주시기\s?바랍니다|주시면|보세요|세요|십시오"
        r"|시기\s?바랍니다|시려면|시면)|(?:받아|만나|들어|찾아|둘러)\s?보(?:세요|십시오|시려면|시기)"
        rf"|(?:{_ACTION})\s?(?:부탁\s?드립니다|부탁\s?드려요|부탁해요|부탁합니다)"
        rf"|(?:{_ACTION})\s?하고\s[^.!?\n]{{0,30}}?(?:세요|십시오)"),
    Cue("imperative", 1.2, "subscribe", r"(?<!안녕)(?:하|보|드|오|주|가)(?:세요|십시오)[!.~]*\s*$"),
    Cue("subscribe_button", 3.5, "subscribe",
        r"구독\s?(?:하기|신청|클릭)|(?i:subscribe\s+(?:now|here|today)\b)"),
    Cue("button", 2.5, "link",
        r"(?:제보|후원|정기후원|채팅|신청|참여|결제|다운로드|설치|공유|응원|가입|확인)\s?하기"
        r"|(?:더|원문|전체|기사|영상|다시|자세히|크게|모아|연재|이어서|전문|생방송|라이브)\s?보기"
        r"|바로\s?가기|보러\s?가기|(?:에서|로)\s?듣기|구독\s?(?:신청|클릭)|\(\s?클릭\s?\)|\[\s?클릭\s?\]"),
    Cue("label_end", 1.5, "link", r"[가-힣](?:하기|보기|가기)\s*[▶>»]*\s*[\])>】]?\s*$"),
    # English calls: an imperative that opens the unit ("Subscribe to …", "Please follow …"), or
    # phrases that only a call uses ("follow us", "like and subscribe", "contact us").
    Cue("en_call", 2.5, "subscribe",
        r"(?i:^[^\w\s]{0,3}\s*(?:please\s+|and\s+)?(?:subscribe|follow|like|download|visit|sign\s+up"
        r"|click|tap|watch|join|support|donate|contact|e-?mail|write|call|listen|stay\s+tuned"
        r"|turn\s+on|hit|check\s+out|find\s+us|send|share|get\s+(?:the|our))\b"
        r"|\b(?:follow\s+us|like\s+(?:and|&)\s+subscribe|(?:please\s+)?(?:write|advise|contact|e-?mail)"
        r"\s+us|please\s+(?:subscribe|write\s+to|visit|follow|contact)|subscribe\s+(?:to\s+)?(?:our|us)"
        r"|download\s+our\s+(?:\w+\s+)?app|visit\s+our\s+(?:\w+\s+)?(?:website|site|homepage|page)"
        r"|hit\s+the\s+bell|turn\s+on\s+notifications|unsubscribe|no\s+longer\s+(?:wish|want|desired)"
        r"|for\s+more\s+(?:news|stories|videos|updates)|contact\s+(?:phones?|numbers?)\s+(?:is|are)"
        r"|your\s+(?:tips?|reports?|stories)\s+(?:become|becomes|make|makes)\s+(?:the\s+)?news"
        r"|(?:our|the|free|daily|weekly)\s+(?:[\w-]+\s+){0,3}newsletter|in(?:to)?\s+your\s+inbox"
        r"|log\s+in|sign\s+in|create\s+an\s+account)\b)", cap=2),
    Cue("labelled_contact", 3.5, "link", _LABELLED),
    Cue("support", 1.5, "subscribe",
        r"구독료|정기\s?후원|후원\s?(?:계좌|회원)|CMS|멤버십|회원\s?가입|결제"),
    Cue("subscribe_word", 1.5, "subscribe", r"구독(?!자)"),
    # What it is made of.
    Cue("tip", 1.2, "tipline", r"제보(?!자)|기사\s?문의|(?i:\btips?\b)"),
    Cue("url", 1.5, "link", _URL),
    Cue("email", 1.0, "link", _EMAIL),
    Cue("handle", 1.5, "link", _HANDLE),
    Cue("phone", 1.2, "link", _PHONE, cap=2),
    Cue("platform", 0.7, "channel", _PLATFORM, cap=2),
    Cue("channel_word", 0.5, "channel", _CHANNEL),
    Cue("outlet", 0.4, "channel", _OUTLET),
    # How much ordinary sentence it holds.
    Cue("reported", -5.0, "body",
        r"(?:라고|이라고|고|며|면서|라며|다며|냐며)\s?(?:말|밝|했|전했|전하|전해|설명|강조|덧붙|주장"
        r"|지적|당부|요청|호소|언급|토로|비판|답했|답하|물었|묻|알렸|알리|전해졌)"
        r"|(?i:\b(?:he|she|they|officials?|police|spokesperson)\s+(?:said|says|told|added|stated)\b"
        r"|\bsaid\s+(?:on|in|that)\b|\baccording\s+to\b)"),
    Cue("quoted", -1.5, "body", r"[“\"][^”\"\n]{4,}[”\"]"),
)  # fmt: skip

BIAS = -3.0
SHORT, SHORT_BONUS = 40, 0.5
BULLET_BONUS = 1.0
FINITE_PENALTY = -1.5
LONG_FROM, LONG_PER = 100, 50.0  # every LONG_PER characters past LONG_FROM: -1

# A Korean declarative predicate ends the unit (imperatives, -세요 -십시오, are calls, not this).
_FINITE_KO = re.compile(r"(?:다|(?<![세시])요|죠|까)[.!?。\"”’')\]]*\s*$")
_CALLS = frozenset({"notice", "tip_call", "call", "imperative", "en_call", "rights_sentence"})
_LATIN = re.compile(r"[A-Za-z]")
_CLOSERS = "\"”’')] \t"


def is_sentence(text: str) -> bool:
    """Whether the unit ends as a sentence does: a Korean declarative predicate, or an English
    sentence of six words or more ending in a full stop, question or exclamation mark."""
    tail = text[-12:]
    if _FINITE_KO.search(tail):
        return True
    end = text.rstrip(_CLOSERS)
    return bool(end) and end[-1] in ".!?" and len(text.split()) >= 6 and bool(_LATIN.search(text))


_BY_NAME = {c.name: c for c in CUES}
_NAMING = frozenset({"phone", "email", "platform", "channel_word", "outlet", "after_byline"})
# Cues anchored at the end of a unit are searched on their own, and only where a stronger cue of
# their kind is absent (a call already counted is not counted again as an imperative).
_ENDS = {"imperative": "call", "label_end": "button"}
_END_PATTERNS = {name: re.compile(_BY_NAME[name].pattern) for name in _ENDS}


_COMPILED = {c.name: re.compile(c.pattern) for c in CUES}
_ORDER = {c.name: i for i, c in enumerate(CUES)}


def _lex(text: str, names: frozenset[str]) -> list[tuple[str, int, int]]:
    """The named cues' matches in text as one lexer finds them: from left to right, at each place
    the first cue (in CUES order) that matches there, then on from the end of its match.

    Done with each cue's own pattern: the leftmost match of any cue is where the lexer stops next,
    and the cues that match exactly there are those whose own leftmost match starts there."""
    found: list[tuple[str, int, int]] = []
    order = sorted(names, key=_ORDER.__getitem__)
    nxt = {n: _COMPILED[n].search(text) for n in order}
    pos = 0
    while True:
        live = [(m.start(), _ORDER[n], n, m) for n, m in nxt.items() if m is not None]
        if not live:
            return found
        start, _, name, m = min(live)
        found.append((name, start, m.end()))
        pos = m.end()
        for n, other in nxt.items():  # a match that began before pos is gone: look again
            if other is not None and other.start() < pos:
                nxt[n] = _COMPILED[n].search(text, pos)


class _Candidates:
    """Which cues may occur in a text, in one RE2 pass (see pipeline/rules/prefilter.py).

    RE2 runs each cue's pattern without its lookarounds, so it may let a cue through that then
    finds nothing, never stop one that would match; the lexer of the cues it lets through gives
    the same matches as the lexer of all cues, because a cue that cannot match anywhere in the
    text never wins a place. Without RE2 every cue is a candidate."""

    def __init__(self) -> None:
        self.names = [c.name for c in CUES]
        self._set = PatternSet([re.compile(c.pattern) for c in CUES])

    def __call__(self, text: str) -> frozenset[str]:
        return frozenset(self.names[i] for i, _ in self._set.candidates_fast(text))


_CANDIDATES = _Candidates()

# Strong cues: away from the opening and closing lines of a document, only a line that holds one
# can seed a block (blocks.judge). They are literal enough for RE2 to find every one of them in a
# document in one linear pass, and they cover every cue that can lift a unit to a seed there.
_STRONG = (
    r"ⓒ|©|Ⓒ|\([cC]\)|(?i:copyright)|저작권|무단|재배포|배포\s?금지|재판매|DB\s?금지|AI\s?(?:학습|데이터)"
    r"|(?i:all\s+rights|unauthori[sz]ed|reproduc|redistribut|republish)"
    r"|인용|밝혀|방송\s?내용|(?i:quot(?:e|ing)|credit|cite|attribut)"
    r"|제보|기사\s?문의|(?i:\btips?\b|your\s+(?:tip|report|stor))"
    r"|주세요|주십시오|세요|십시오|바랍니다|부탁|보시려면|보시기|드려요"
    r"|구독|클릭|바로\s?가기|보러\s?가기|듣기|더\s?보기|원문|후원|결제|CMS|멤버십|회원\s?가입"
    r"|(?:하기|보기|가기)\s*[▶>»\])>】]*\s*(?:$|[▶▷►☞※■□▣◆◇●•\[<＜〈【]|https?:|www\.)"
    r"|https?:|www\.|\.(?:com|net|org|kr|tv|io|me)\b|(?:bit\.ly|goo\.gl|url\.kr|han\.gl|me2\.do|naver\.me"
    r"|youtu\.be|t\.me|vo\.la|linktr\.ee)/|@|\d{3,4}[-.\s]\d{4}|#\d{4}|#[^\s#\d]"
    r"|(?:이메일|메일|전화|팩스|문자|카카오톡|카톡|라인|홈페이지|사이트|유튜브|페이스북|인스타그램|트위터|틱톡"
    r"|텔레그램|블로그|네이버|앱|라이브|커뮤니티|채널|웨이브|팟캐스트)\s*[:：\]/]"
    r"|(?:카카오톡|카톡|라인|텔레그램)\s+@?[A-Za-z]"
    r"|(?i:subscri|follow\s+us|newsletter|inbox|sign\s+(?:up|in)|log\s+in|download|visit\s+(?:our|the)"
    r"|click|contact|write\s+to|advise\s+us|e-?mail\s+us|watch\s+(?:more|the\s+full)"
    r"|hit\s+the\s+bell|notifications|no\s+longer|for\s+more|donate|support\s+(?:us|our)"
    r"|create\s+an\s+account|please)"
)
# One match per line at most: what follows a strong cue on its line is taken with it.
_TRIGGER = PatternSet([re.compile(f"(?m)(?:{_STRONG})[^\n]*")])


def triggered_lines(text: str, start: int = 0) -> set[int]:
    """The numbers (0-based, in the whole text) of the lines from `start` on with a strong cue."""
    return _TRIGGER.lines(text, start)


@dataclass(frozen=True)
class Score:
    """A unit's evidence, its log-odds and the category the evidence points to."""

    logit: float
    evidence: tuple[tuple[str, float], ...]
    category: str
    text: str = ""

    @property
    def probability(self) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit))

    def describe(self) -> str:
        return " ".join(f"{name}{weight:+.1f}" for name, weight in self.evidence)

    @property
    def shaped(self) -> bool:
        """Whether it looks like a footer item by form or function, not only by what it names
        (a phone number, an outlet, a platform): what a weak line needs to join a block's edge."""
        return any(w > 0 and name not in _NAMING for name, w in self.evidence if name != "short")

    @property
    def cued(self) -> bool:
        """Whether any cue speaks for promotion (not only the shape: a bullet, shortness)."""
        return any(w > 0 and name in _BY_NAME for name, w in self.evidence)

    def plus(self, name: str, weight: float) -> Score:
        """The same evidence and one more item (where the unit stands, say)."""
        return _scored([*self.evidence, (name, weight)], self.text)


def _matches(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    names = _CANDIDATES(text)
    if not names:
        return counts
    for name, _, _ in _lex(text, names.difference(_ENDS)):
        counts[name] = counts.get(name, 0) + 1
    for name, stronger in _ENDS.items():
        if name in names and stronger not in counts and _END_PATTERNS[name].search(text):
            counts[name] = 1
    return counts


def first_cue(text: str) -> int | None:
    """Where the first cue that speaks for promotion starts in the text, or None."""
    names = frozenset(n for n in _CANDIDATES(text).difference(_ENDS) if _BY_NAME[n].weight > 0)
    found = _lex(text, names)
    return found[0][1] if found else None


@functools.lru_cache(maxsize=16384)  # footer lines recur verbatim across an outlet's documents
def score(text: str) -> Score:
    """The evidence that a unit of text (a line or a piece of one) is promotion."""
    text = text.strip()
    evidence: list[tuple[str, float]] = []
    found = _matches(text)
    for name, n in found.items():
        cue = _BY_NAME[name]
        evidence.append((name, cue.weight * min(n, cue.cap)))
    if BULLET_START.match(text):
        evidence.append(("bullet", BULLET_BONUS))
    if len(text) <= SHORT:
        evidence.append(("short", SHORT_BONUS))
    calls = not _CALLS.isdisjoint(found)  # a call or notice is a sentence by nature
    if not calls and len(text) >= 20 and is_sentence(text):
        evidence.append(("sentence", FINITE_PENALTY))
    if len(text) > LONG_FROM:
        evidence.append(("long", -round((len(text) - LONG_FROM) / LONG_PER, 1)))
    return _scored(evidence, text)


def _scored(evidence: list[tuple[str, float]], text: str) -> Score:
    logit = BIAS + sum(w for _, w in evidence)
    totals: dict[str, float] = {}
    for name, weight in evidence:  # the category comes from cues, not from shape or place
        if weight > 0 and name in _BY_NAME:
            cat = _BY_NAME[name].category
            totals[cat] = totals.get(cat, 0.0) + weight
    category = max(totals.items(), key=lambda kv: (kv[1], kv[0]))[0] if totals else "plug"
    evidence.sort(key=lambda e: -abs(e[1]))
    return Score(round(logit, 2), tuple(evidence), category, text)
