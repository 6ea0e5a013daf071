"""Write a seeded synthetic corpus shaped like scraped Korean broadcast news.

    python benchmarks/generate.py OUT_DIR N [--seed 0]

Every text is composed here from word and phrase pools with one seeded ``random.Random``, so
the same N and seed give the same files, byte for byte, and the first N documents of a larger
corpus are the documents of a smaller one. Mix: about half Korean bodies with a Korean footer,
a third English bodies with a Korean footer, the rest without a footer; 1.5-3 KB each. The
shapes follow the development corpus (scraper header ``date YYYY-MM-DD <title>``, anchor and
report markers, ``[Name/Role : "..."]`` quotes, sign-offs, staff credits, footers as blocks or
glued inline to the last sentence, bylines after the footer), but no real text is reused.

After the N documents come N // 20 bilingual stories (pair_corpus.py, a Random of their own): a
Korean KBS report, its English translation and, for half, a next-day follow-up, about 0.125 N
more files (`pairNNNNNN_ko.txt`, `_en`, `_ko_next`). The N documents are byte for byte those of
version 1; their English third has no original, and the whole corpus is the pair stage's haystack.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

GENERATOR_VERSION = 2  # 2: the bilingual stories of pair_corpus.py added after the N documents
MANIFEST = "_manifest.json"
PAIR_SHARE = 20  # one bilingual story (pair_corpus.py) per this many documents

# --- Korean particles -----------------------------------------------------------------------

# Whether a digit, read in Sino-Korean, ends in a consonant (영 일 이 삼 사 오 육 칠 팔 구).
_DIGIT_FINAL = dict(zip("0123456789", (1, 1, 0, 1, 0, 0, 1, 1, 1, 0), strict=True))
_PARTICLES = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와")}


def _final(word: str) -> int:
    """0 for no final consonant, 8 for ㄹ, another positive number for the other finals."""
    ch = word[-1]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28
    if ch.isdigit():
        return 8 if ch in "178" else _DIGIT_FINAL[ch]
    return 0


def j(word: str, particle: str) -> str:
    """The word with the particle form its last sound asks for: j("정부", "은") == "정부는"."""
    final = _final(word)
    if particle == "으로":
        return word + ("으로" if final and final != 8 else "로")
    with_final, without = _PARTICLES[particle]
    return word + (with_final if final else without)


# --- Pools ----------------------------------------------------------------------------------


def _items(block: str) -> tuple[str, ...]:
    """One item per non-blank line."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _pairs(block: str) -> tuple[tuple[str, str], ...]:
    """One `Korean | English` (or `한글 | romanisation`) pair per non-blank line."""
    pairs = []
    for line in _items(block):
        ko, en = line.split("|")
        pairs.append((ko.strip(), en.strip()))
    return tuple(pairs)


KO_SURNAMES = _pairs("""
    김 | kim
    이 | lee
    박 | park
    최 | choi
    정 | jung
    강 | kang
    조 | cho
    윤 | yoon
    장 | jang
    임 | lim
    한 | han
    오 | oh
    서 | seo
    신 | shin
    권 | kwon
    황 | hwang
    안 | ahn
    송 | song
    홍 | hong
    유 | yoo
""")
KO_GIVEN = _pairs("""
    민 | min
    지 | ji
    현 | hyun
    서 | seo
    준 | jun
    우 | woo
    연 | yeon
    수 | soo
    영 | young
    호 | ho
    은 | eun
    재 | jae
    성 | sung
    경 | kyung
    희 | hee
    나 | na
    림 | rim
    진 | jin
    혜 | hye
    태 | tae
    동 | dong
    하 | ha
    윤 | yun
    규 | gyu
    아 | a
    석 | seok
    훈 | hoon
    원 | won
    철 | cheol
    미 | mi
""")
PLACES = _pairs("""
    서울 | Seoul
    부산 | Busan
    대구 | Daegu
    인천 | Incheon
    광주 | Gwangju
    대전 | Daejeon
    울산 | Ulsan
    세종 | Sejong
    수원 | Suwon
    청주 | Cheongju
    전주 | Jeonju
    춘천 | Chuncheon
    제주 | Jeju
    창원 | Changwon
    포항 | Pohang
    강릉 | Gangneung
""")
ABROAD = _pairs("""
    워싱턴 | Washington
    뉴욕 | New York
    도쿄 | Tokyo
    베이징 | Beijing
    파리 | Paris
    런던 | London
    베를린 | Berlin
    하노이 | Hanoi
""")
ORGS = _pairs("""
    정부 | the government
    국토교통부 | the Ministry of Land, Infrastructure and Transport
    기획재정부 | the Ministry of Economy and Finance
    보건복지부 | the Ministry of Health and Welfare
    교육부 | the Ministry of Education
    환경부 | the Ministry of Environment
    산업통상자원부 | the Ministry of Trade, Industry and Energy
    금융위원회 | the Financial Services Commission
    한국은행 | the Bank of Korea
    통계청 | Statistics Korea
    기상청 | the Korea Meteorological Administration
    경찰청 | the National Police Agency
    소방청 | the National Fire Agency
    서울시 | the Seoul Metropolitan Government
    국회 | the National Assembly
    검찰 | prosecutors
    질병관리청 | the Korea Disease Control and Prevention Agency
    관세청 | the Korea Customs Service
    통일부 | the Ministry of Unification
    공정거래위원회 | the Fair Trade Commission
    행정안전부 | the Ministry of the Interior and Safety
""")
TOPICS = _pairs("""
    전세 사기 피해 | rental fraud
    소비자 물가 상승 | rising consumer prices
    집중호우 피해 | damage from heavy rain
    대형 산불 | large wildfires
    청년 고용 | youth employment
    저출생 문제 | the low birth rate
    반도체 수출 | semiconductor exports
    의료 공백 | the gap in medical services
    출퇴근길 교통 혼잡 | rush-hour congestion
    고농도 미세먼지 | high levels of fine dust
    가계 부채 | household debt
    해외 직구 제품 안전 | the safety of goods bought abroad online
    전기요금 인상 | higher electricity rates
    농산물 가격 | farm produce prices
    폭염 대책 | measures against the heat wave
    지방 소멸 | the decline of rural towns
    학교 폭력 | school violence
    보이스피싱 범죄 | voice-phishing crimes
    전기차 화재 | electric-vehicle fires
    북한 미사일 발사 | North Korean missile launches
    수도권 집값 | housing prices in the capital area
    개인정보 유출 | personal data leaks
    불법 주정차 | illegal parking
    어린이 통학로 안전 | the safety of children's routes to school
""")
KO_PLANS = _items("""
    대책
    방안
    계획
    지원책
    개편안
    가이드라인
    종합 대책
    특별 점검 결과
    실태 조사 결과
    후속 조치
""")
EN_PLANS = _items("""
    measures
    a plan
    new guidelines
    a support package
    a reform proposal
    the results of a special inspection
    the findings of a survey
    follow-up steps
""")
KO_ANNOUNCE = ("발표했습니다", "내놓았습니다", "공개했습니다", "마련했습니다", "확정했습니다")
EN_ANNOUNCE = ("announced", "unveiled", "released", "presented", "laid out")
KO_TIMES = ("오늘", "어제", "오늘 오전", "어제 오후", "이번 주", "지난주", "오늘 새벽", "그제")
KO_PERIODS = _items("""
    올해 상반기
    지난해
    지난달
    최근 3년 동안
    올해 1분기
    지난 한 해
    최근 한 달 사이
""")
EN_PERIODS = _items("""
    in the first half of this year
    last year
    last month
    over the past three years
    in the first quarter
    over the past month
""")
# (what is counted, its unit)
KO_COUNTS = _pairs("""
    피해 신고 | 건
    적발 건수 | 건
    신고 건수 | 건
    이용객 | 명
    신청자 | 명
    피해액 | 억 원
    거래액 | 억 원
    예산 | 억 원
""")
EN_COUNTS = ("reported cases", "violations", "applicants", "users", "damage claims")
KO_METRICS = ("가격", "거래량", "이용률", "발생 건수", "수출액", "실업률", "평균 기온")
EN_METRICS = ("prices", "trading volume", "usage", "the number of incidents", "exports")
KO_UPDOWN = ("증가", "감소", "상승", "하락")
KO_REACTION = ("불편을 호소하는 목소리", "우려의 목소리", "대책을 촉구하는 목소리", "비판의 목소리")
KO_ADVERBS = ("당분간", "한동안", "올 하반기까지", "내년까지", "장기간")
EN_ADVERBS = ("for some time", "into next year", "through the summer", "for months")
KO_ROLES = _items("""
    장관
    차관
    대변인
    청장
    국장
    과장
    위원장
    연구위원
    교수
    주민
    상인
    시민
    학부모
    변호사
    소방관
    의사
""")
EN_ROLES = _items("""
    Minister
    Vice Minister
    Spokesperson
    Commissioner
    Director
    Senior Researcher
    Professor
    Resident
    Shop Owner
    Lawyer
    Doctor
""")
KO_INSTITUTES = _items("""
    한국개발연구원
    서울대학교
    한국교통연구원
    시민단체
    대한상공회의소
    한국소비자원
    고려대학교
    연세대학교
""")
EN_INSTITUTES = _items("""
    the Korea Development Institute
    Seoul National University
    the Korea Transport Institute
    the Korea Consumer Agency
    Yonsei University
""")
KO_QUOTES = _items("""
    {t} 문제를 해결하기 위해 가능한 모든 방안을 검토하고 있습니다
    현장의 목소리를 충분히 듣고 실효성 있는 대책을 마련하겠습니다
    국민 여러분의 불편이 없도록 최선을 다하겠습니다
    솔직히 이렇게까지 상황이 나빠질 줄은 몰랐습니다
    {t} 상황은 생각보다 훨씬 심각하다고 봅니다
    제도를 고치지 않으면 같은 일이 또 반복될 수밖에 없습니다
    하루하루가 걱정입니다. 빨리 대책이 나왔으면 좋겠습니다
    지금은 속도보다 정확한 점검이 더 중요하다고 생각합니다
""")
EN_QUOTES = _items("""
    We are reviewing every possible option to deal with {t}.
    We will listen closely to people on the ground and prepare measures that actually work.
    Honestly, I did not expect things to get this bad.
    The situation is far more serious than many people think.
    Unless the system is changed, the same thing will keep happening.
    Every day is a worry for us. We hope the measures come soon.
    Right now, careful checks matter more than speed.
""")
KO_HEADLINE_TAILS = ("대책 발표", "긴급 점검", "논란 확산", "피해 잇따라", "대응 나서", "역대 최대")
EN_HEADLINE_TAILS = ("measures announced", "emergency checks", "concerns grow", "record high")
UI_TITLES = ("동영상 고정 취소", "재생", "KBS뉴스")  # interface strings scrapers took for titles
KO_ANCHOR, KO_REPORT = ("[앵커]", "◀ 앵커 ▶"), ("[리포트]", "◀ 리포트 ▶")
EN_ANCHOR, EN_REPORT = ("[Anchor]", "◀ Anchor ▶"), ("[Report]", "◀ Report ▶")
KO_INTROS = (
    "{name} 기자가 보도합니다.",
    "{place}에서 {name} 기자입니다.",
    "자세한 내용 {name} 기자가 전합니다.",
)
EN_INTROS = (
    "We have reporter {name}.",
    "{name} reports.",
    "Reporter {name} has more from {place}.",
)
KO_CREDITS = (
    "촬영기자:{0}/영상편집:{1}",
    "영상취재:{0} / 영상편집:{1}",
    "촬영기자:{0} 영상편집:{1} 그래픽:{2}",
)

# --- Footers --------------------------------------------------------------------------------

KBS_FOOTERS = (
    _items("""
        ■ 제보하기
        ▷ 전화 : 02-781-1234, 4444
        ▷ 이메일 : kbs1234@kbs.co.kr
        ▷ 카카오톡 : 'KBS제보' 검색, 채널 추가
        ▷ 네이버, 유튜브에서 KBS뉴스를 구독해주세요!
    """),
    _items("""
        ■ 제보하기
        ▷ 카카오톡 : 'KBS제보' 검색, 채널 추가
        ▷ 전화 : 02-781-1234, 4444
        ▷ 이메일 : kbs1234@kbs.co.kr
        ▷ 유튜브, 네이버, 카카오에서도 KBS뉴스를 구독해주세요!
    """),
    _items("""
        ■ 제보하기
        ▷ 전화 : 02-781-1234, 4444
        ▷ 이메일 : kbs1234@kbs.co.kr
        ▷ 카카오톡 : 'KBS제보' 검색, 채널 추가
        ▷ 카카오 '마이뷰', 유튜브에서 KBS뉴스를 구독해주세요!
    """),
    _items("""
        ▣ KBS 기사 원문보기 : http://news.kbs.co.kr/news/view.do?ncd={ncd}
        ▣ 제보 하기
        ◇ 카카오톡 : 'KBS제보' 검색
        ◇ 전화 : 02-781-1234
        ◇ 이메일 : kbs1234@kbs.co.kr
    """),
)
YTN_FOOTER = _items("""
    ※ '당신의 제보가 뉴스가 됩니다'
    [카카오톡] YTN 검색해 채널 추가
    [전화] 02-398-8585
    [메일] social@ytn.co.kr
""")
YTN_COPYRIGHT = "[저작권자(c) YTN 무단전재, 재배포 및 AI 데이터 활용 금지]"
MBC_FOOTER = _items("""
    MBC 뉴스는 24시간 여러분의 제보를 기다립니다.
    ▷ 전화 02-784-4000
    ▷ 이메일 mbcjebo@mbc.co.kr
    ▷ 카카오톡 @mbc제보
""")
MBC_COPYRIGHT = "ⓒ MBC&iMBC 무단 전재, 재배포 및 이용(AI학습 포함) 금지"
YONHAP_TIP = "▶제보는 카카오톡 okjebo"
YONHAP_COPYRIGHT = "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>"
YONHAPTV_FOOTER = "연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23"

BROADCASTERS_KO = ("KBS", "KBS", "YTN", "MBC", "연합뉴스", "연합뉴스TV")  # weights by repetition
BROADCASTERS_EN = ("KBS", "KBS", "KBS", "KBS", "MBC", "YTN")
DOMAINS = {"KBS": "kbs.co.kr", "YTN": "ytn.co.kr", "MBC": "mbc.co.kr", "연합뉴스": "yna.co.kr"}
DOMAINS["연합뉴스TV"] = DOMAINS["연합뉴스"]
KO_SIGNOFF = {"KBS": "KBS 뉴스", "YTN": "YTN", "MBC": "MBC뉴스", "연합뉴스TV": "연합뉴스TV"}
EN_SIGNOFF = {"KBS": "KBS News", "YTN": "YTN", "MBC": "MBC News"}
FILE_PREFIX = {
    "KBS": "kbs",
    "YTN": "ytn",
    "MBC": "mbc",
    "연합뉴스": "yonhap",
    "연합뉴스TV": "yonhaptv",
}


class Composer:
    """Composes documents from the pools; all randomness comes from one seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.choice = rng.choice
        self.randint = rng.randint
        self.random = rng.random

    # -- small pieces --

    def ko_name(self) -> tuple[str, str]:
        """A Korean name and an e-mail local part that goes with it."""
        (sur, rsur), (a, ra), (b, rb) = (
            self.choice(KO_SURNAMES),
            self.choice(KO_GIVEN),
            self.choice(KO_GIVEN),
        )
        local = rsur + ra + rb if self.random() < 0.5 else rsur + ra[0] + rb[0]
        return sur + a + b, local

    def en_name(self) -> str:
        (_, sur), (_, a), (_, b) = (
            self.choice(KO_SURNAMES),
            self.choice(KO_GIVEN),
            self.choice(KO_GIVEN),
        )
        return f"{sur.capitalize()} {a.capitalize()}-{b}"

    def pct(self) -> str:
        return (
            f"{self.randint(2, 89)}.{self.randint(0, 9)}%"
            if self.random() < 0.4
            else f"{self.randint(2, 89)}%"
        )

    def ko_number(self, unit: str) -> str:
        if unit == "억 원":
            return f"{self.randint(3, 980)}{unit}"
        if self.random() < 0.5:
            return f"{self.randint(12, 999)}{unit}"
        return f"{self.randint(1, 9)}천{self.randint(1, 9)}백 {unit}"

    def date(self) -> tuple[int, int, int]:
        return self.randint(2019, 2025), self.randint(1, 12), self.randint(1, 28)

    # -- Korean --

    def ko_sentence(self) -> str:
        c = self.choice
        org, topic = c(ORGS)[0], c(TOPICS)[0]
        k = self.randint(0, 11)
        if k == 0:
            plan = j(c(KO_PLANS), "을")
            return f"{c(KO_TIMES)} {j(org, '은')} {topic} 관련 {plan} {c(KO_ANNOUNCE)}."
        if k == 1:
            what, unit = c(KO_COUNTS)
            return (
                f"{org}에 따르면 {c(KO_PERIODS)} {topic} 관련 {j(what, '은')} "
                f"{j(self.ko_number(unit), '으로')} 1년 전보다 {self.pct()} 늘었습니다."
            )
        if k == 2:
            return f"이에 따라 {topic}에 대한 우려도 커지고 있습니다."
        if k == 3:
            return f"전문가들은 {j(topic, '이')} {c(KO_ADVERBS)} 이어질 수 있다고 지적했습니다."
        if k == 4:
            return f"{j(org, '은')} 앞으로 {topic} 상황을 면밀히 점검하겠다고 밝혔습니다."
        if k == 5:
            return f"현장에서는 {topic} 때문에 {j(c(KO_REACTION), '이')} 이어졌습니다."
        if k == 6:
            place = c(PLACES)[0]
            return (
                f"특히 {place} 지역의 경우 {j(c(KO_METRICS), '이')} {c(KO_PERIODS)}보다 "
                f"{self.pct()} {c(KO_UPDOWN)}한 것으로 나타났습니다."
            )
        if k == 7:
            return f'{org} 관계자는 "{c(KO_QUOTES).format(t=topic)}"라고 말했습니다.'
        if k == 8:
            return (
                f"{j(org, '은')} 이달 {self.randint(1, 28)}일부터 {self.randint(2, 12)}주 동안 "
                f"{j(c(PLACES)[0], '과')} {c(PLACES)[0]} 등 {self.randint(3, 17)}곳에서 "
                "현장 점검을 벌입니다."
            )
        if k == 9:
            return (
                f"{j(org, '은')} 카카오톡 채널과 유튜브를 통해서도 관련 정보를 안내할 계획입니다."
            )
        if k == 10:
            return (
                f"{j(c(KO_INSTITUTES), '은')} {topic} 문제를 풀려면 {c(KO_PLANS)}만으로는 "
                f"부족하다는 분석을 내놨습니다."
            )
        return f"{c(KO_TIMES)} {c(PLACES)[0]}에서는 {j(topic, '과')} 관련한 설명회가 열렸습니다."

    def ko_quote(self) -> str:
        name, _ = self.ko_name()
        who = (
            f"{self.choice(ORGS)[0]} {self.choice(KO_ROLES)}"
            if self.random() < 0.6
            else (f"{self.choice(KO_INSTITUTES)} {self.choice(KO_ROLES)}")
        )
        sep = self.choice((" : ", " : ", ": "))
        return f'[{name}/{who}{sep}"{self.choice(KO_QUOTES).format(t=self.choice(TOPICS)[0])}"]'

    def ko_title(self) -> str:
        return f"{self.choice(TOPICS)[0]}…{self.choice(ORGS)[0]} {self.choice(KO_HEADLINE_TAILS)}"

    # -- English --

    def en_sentence(self) -> str:
        c = self.choice
        org, topic = c(ORGS)[1], c(TOPICS)[1]
        org_cap = org[0].upper() + org[1:]
        k = self.randint(0, 10)
        if k == 0:
            _, m, d = self.date()
            return f"{org_cap} {c(EN_ANNOUNCE)} {c(EN_PLANS)} on {topic} today ({m}.{d})."
        if k == 1:
            return (
                f"According to {org}, the number of {c(EN_COUNTS)} linked to {topic} reached "
                f"{self.randint(120, 98000):,} {c(EN_PERIODS)}, "
                f"up {self.pct()} from a year earlier."
            )
        if k == 2:
            return f"Concerns about {topic} are growing as a result."
        if k == 3:
            return f"Experts warn that problems with {topic} could continue {c(EN_ADVERBS)}."
        if k == 4:
            return f"{org_cap} said it would closely monitor {topic} in the coming weeks."
        if k == 5:
            return (
                f"Residents in {c(PLACES)[1]} say daily life has become harder because of {topic}."
            )
        if k == 6:
            verb = c(("rose", "fell", "climbed", "dropped"))
            change = f"{verb} {self.pct()} {c(EN_PERIODS)}"
            return f"In {c(PLACES)[1]} in particular, {c(EN_METRICS)} {change}."
        if k == 7:
            return f'An official from {org} said, "{c(EN_QUOTES).format(t=topic)}"'
        if k == 8:
            return (
                f"Starting on the {_ordinal(self.randint(1, 28))}, inspections will run for "
                f"{self.randint(2, 12)} weeks at {self.randint(3, 17)} sites, including "
                f"{c(PLACES)[1]} and {c(PLACES)[1]}."
            )
        if k == 9:
            return (
                f"Researchers at {c(EN_INSTITUTES)} said {c(EN_PLANS)} alone would not be "
                f"enough to solve {topic}."
            )
        return (
            f"{org_cap} also plans to share updates through its KakaoTalk channel and on YouTube."
        )

    def en_quote(self) -> str:
        role = self.choice(EN_ROLES)
        who = f"{role}, {self.choice(ORGS)[1]}" if self.random() < 0.5 else role
        sep = self.choice((": ", " : "))
        said = self.choice(EN_QUOTES).format(t=self.choice(TOPICS)[1])
        return f'[{self.en_name()}/{who}{sep}"{said}"]'

    def en_title(self) -> str:
        topic = self.choice(TOPICS)[1]
        return f"{topic[0].upper()}{topic[1:]}: {self.choice(EN_HEADLINE_TAILS)}"

    # -- bodies --

    def body(self, english: bool, broadcaster: str | None, budget: int) -> list[str]:
        """Body paragraphs (one string each) of about `budget` UTF-8 bytes."""
        sentence: Callable[[], str] = self.en_sentence if english else self.ko_sentence
        quote: Callable[[], str] = self.en_quote if english else self.ko_quote
        reporter_ko, _ = self.ko_name()
        reporter_en = self.en_name()
        place_ko, place_en = self.choice(PLACES + ABROAD)
        paras: list[str] = []
        size = 0

        def add(text: str) -> None:
            nonlocal size
            paras.append(text)
            size += len(text.encode()) + 2

        yonhap = broadcaster == "연합뉴스"
        anchored = broadcaster not in (None, "연합뉴스") and self.random() < 0.7
        if anchored:
            add(self.choice(EN_ANCHOR if english else KO_ANCHOR))
            for _ in range(self.randint(2, 3)):
                add(sentence())
            intros = EN_INTROS if english else KO_INTROS
            reporter = reporter_en if english else reporter_ko
            place = place_en if english else place_ko
            add(self.choice(intros).format(name=reporter, place=place))
            add(self.choice(EN_REPORT if english else KO_REPORT))
        signoff = ""
        if broadcaster and not yonhap and self.random() < 0.8:
            if english:
                name = EN_SIGNOFF.get(broadcaster, "KBS News")
                signoff = self.choice(
                    (f"{name}, {reporter_en}.", f"I'm {reporter_en} from {place_en}.")
                )
            else:
                name = KO_SIGNOFF[broadcaster]
                signoff = self.choice(
                    (f"{name} {reporter_ko}입니다.", f"{place_ko}에서 {name} {reporter_ko}입니다.")
                )
        reserve = len(signoff.encode()) + 2
        first = True
        while size + reserve < budget:
            text = quote() if self.random() < 0.12 else sentence()
            if yonhap and not text.startswith("["):
                text = _written_style(text)
                if first:
                    text = f"({place_ko}=연합뉴스) {reporter_ko} 기자 = {text}"
            first = False
            add(text)
        if signoff:
            add(signoff)
        if not english and self.random() < 0.3:
            names = [self.ko_name()[0] for _ in range(3)]
            add(self.choice(KO_CREDITS).format(*names))
        elif not broadcaster and self.random() < 0.3:
            add(f"(사진={self.choice(ORGS)[0]} 제공)" if not english else "(END)")
        return paras

    # -- footers --

    def footer(self, broadcaster: str) -> list[str]:
        if broadcaster == "KBS":
            lines = list(self.choice(KBS_FOOTERS))
            lines[0] = lines[0].format(ncd=self.randint(1000000, 9999999))
            return lines
        if broadcaster == "YTN":
            return [*YTN_FOOTER, YTN_COPYRIGHT] if self.random() < 0.5 else list(YTN_FOOTER)
        if broadcaster == "MBC":
            return [*MBC_FOOTER, MBC_COPYRIGHT] if self.random() < 0.3 else list(MBC_FOOTER)
        if broadcaster == "연합뉴스TV":
            return [YONHAPTV_FOOTER]
        return [YONHAP_TIP, YONHAP_COPYRIGHT] if self.random() < 0.4 else [YONHAP_COPYRIGHT]

    def byline(self, broadcaster: str) -> str:
        name, local = self.ko_name()
        email = f"{local}@{DOMAINS[broadcaster]}"
        return self.choice(
            (f"{name} 기자 ({email})", f"{name} ({email})", f"{broadcaster} {name} ({email})")
        )

    # -- documents --

    def document(self) -> tuple[str, str]:
        """(file-name prefix, text) of one document."""
        r = self.random()
        if r < 0.5:
            english = False
            broadcaster: str | None = self.choice(BROADCASTERS_KO)
        elif r < 0.83:
            english = True
            broadcaster = self.choice(BROADCASTERS_EN)
        else:
            english = self.random() < 0.25
            broadcaster = None
        target = self.randint(1550, 2750)

        header = ""
        if self.random() < 0.4:
            y, m, d = self.date()
            title = (
                self.choice(UI_TITLES)
                if self.random() < 0.1
                else (self.en_title() if english else self.ko_title())
            )
            header = f"{' ' if self.random() < 0.2 else ''}date {y}-{m:02d}-{d:02d} {title}\n"

        footer = self.footer(broadcaster) if broadcaster else []
        byline = self.byline(broadcaster) if broadcaster and self.random() < 0.45 else ""
        extra = (
            len(header.encode()) + sum(len(x.encode()) + 1 for x in footer) + len(byline.encode())
        )
        paras = self.body(english, broadcaster, target - extra)

        if byline and self.random() < 0.3:  # before the footer, like YTN's
            paras.append(byline)
            byline = ""
        gap = (
            self.choice(("\n\n", "\n\n", "\n", "\n\n\n\n"))
            if self.random() < 0.92
            else self.choice(("", " "))
        )
        block = ""
        if footer:
            if gap in ("", " ") or self.random() < 0.2:  # inline: glued to the last sentence
                paras[-1] += self.choice(("", " ")).join(["", *footer])
            else:
                block = (gap if "\n" in gap else "\n") + self.choice(("\n", gap)).join(footer)
        text = header + gap.join(paras) + block
        if byline:
            text += self.choice(("\n\n\n\n", "\n\n", "\n")) + byline
        prefix = FILE_PREFIX[broadcaster] if broadcaster else "news"
        return (f"en_{prefix}" if english else prefix), text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _written_style(sentence: str) -> str:
    """Turn broadcast endings (…습니다.) into the written ones of wire copy (…다.)."""
    for spoken, written in (
        ("습니다.", "다."),
        ("됩니다.", "된다."),
        ("합니다.", "한다."),
        ("벌입니다.", "벌인다."),
        ("입니다.", "이다."),
    ):
        if sentence.endswith(spoken):
            return sentence[: -len(spoken)] + written
    return sentence


def _manifest(n: int, seed: int, stories: bool) -> dict[str, int]:
    made = n // PAIR_SHARE if stories else 0
    return {"generator_version": GENERATOR_VERSION, "n": n, "seed": seed, "stories": made}


def is_generated(out_dir: Path, n: int, seed: int, stories: bool = True) -> bool:
    """Whether out_dir holds a complete corpus of this generator, N, seed and stories."""
    try:
        return json.loads((out_dir / MANIFEST).read_text()) == _manifest(n, seed, stories)
    except (OSError, ValueError):
        return False


def generate(out_dir: Path, n: int, seed: int = 0, stories: bool = True) -> int:
    """Write n documents and (with `stories`) n // 20 bilingual stories to out_dir (replacing
    it); return the bytes written.

    The corpus is built next to out_dir and renamed into place, with its manifest written last,
    so an interrupted run never leaves a folder that passes for complete.
    """
    try:  # pair_corpus composes from this module's pools: imported here, not at the top
        from pair_corpus import bilingual
    except ImportError:  # imported as benchmarks.generate (from the tests)
        from benchmarks.pair_corpus import bilingual

    composer = Composer(random.Random(seed))
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    total = 0
    width = max(6, len(str(n - 1)))
    for i in range(n):
        prefix, text = composer.document()
        data = text.encode("utf-8")
        (tmp / f"{i:0{width}d}_{prefix}.txt").write_bytes(data)
        total += len(data)
    for i, story in enumerate(bilingual(n // PAIR_SHARE if stories else 0, seed)):
        texts = {"ko": story.ko, "en": story.en, "ko_next": story.follow_up}
        for kind, text in texts.items():
            if text is not None:
                data = text.encode("utf-8")
                (tmp / f"pair{i:0{width}d}_{kind}.txt").write_bytes(data)
                total += len(data)
    (tmp / MANIFEST).write_text(json.dumps(_manifest(n, seed, stories)))
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a seeded synthetic broadcast-news corpus.")
    parser.add_argument("out_dir", type=Path, help="folder to write (replaced if present)")
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be positive")
    total = generate(args.out_dir, args.n, args.seed)
    print(f"{args.n} documents, {total / 1e6:.1f} MB in {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
