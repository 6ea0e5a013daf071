"""Write a seeded synthetic corpus shaped like scraped Korean broadcast news.

    python benchmarks/generate.py OUT_DIR N [--seed 0]

Every text is composed here from word and phrase pools with one seeded ``random.Random``, so
the same N and seed give the same files, byte for byte, and the first N documents of a larger
corpus are the documents of a smaller one. Each report has its own story (an org, a topic, a
place, a district, a site, a cause, an institute and three people, `Story`) that its sentences
keep to, and each sentence is one of some 80 shapes whose wordings, names and figures are drawn
afresh: unrelated reports share stock phrases, as real news does, not whole sentences
(benchmarks/candidates.py measures how alike they are, against real news).

Mix: about half Korean bodies with a Korean footer, a third English bodies with a Korean footer,
the rest without a footer; 1.5-3 KB each. The shapes follow the development corpus (scraper
header ``date YYYY-MM-DD <title>``, anchor and report markers, ``[Name/Role : "..."]`` quotes,
sign-offs, staff credits, footers as blocks or glued inline to the last sentence, bylines after
the footer), but no real text is reused.

After the N documents come N // 20 bilingual stories (pair_corpus.py, a Random of their own): a
Korean KBS report, its English translation and, for half, a next-day follow-up, about 0.125 N
more files (`pairNNNNNN_ko.txt`, `_en`, `_ko_next`). The stories are byte for byte those of
version 2; the N documents' English third has no original, and the whole corpus is the pair
stage's haystack.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import string
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

T = TypeVar("T")
# 2: the bilingual stories of pair_corpus.py added after the N documents; 3: each report keeps
# its own story through sentences of many shapes, so unrelated reports are as unlike as real ones
GENERATOR_VERSION = 3
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


def _shapes(block: str) -> tuple[str, ...]:
    """One sentence shape per line; a line indented deeper continues the one before."""
    shapes: list[str] = []
    for line in block.strip("\n").splitlines():
        if line.startswith("        "):
            shapes[-1] += " " + line.strip()
        elif line.strip():
            shapes.append(line.strip())
    return tuple(shapes)


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
# Each report keeps its own story (story(): its org, topic, place, district, site, cause,
# institute and people) through its sentences, and its sentences are many shapes whose slots
# draw from the pools below with their own names and figures: unrelated reports then share
# stock phrases, as real ones do, rather than whole sentences (benchmarks/candidates.py).
EXTRA_TOPICS = _pairs("""
    노후 교량 안전 | the safety of ageing bridges
    싱크홀 발생 | sinkholes
    전세버스 불법 운행 | illegal charter-bus operations
    공공요금 인상 | higher utility charges
    소상공인 폐업 | small-business closures
    마약 범죄 | drug crime
    응급실 과밀 | crowded emergency rooms
    아동 학대 | child abuse
    빈집 증가 | the rise in empty houses
    층간 소음 | noise between apartment floors
    외국인 계절 근로자 | seasonal foreign workers
    식중독 | food poisoning
    고독사 | lonely deaths
    하천 범람 | river flooding
    해양 쓰레기 | marine litter
    택배 과로 | overwork among parcel couriers
    불법 촬영 | illegal filming
    노인 일자리 | jobs for older people
    돌봄 공백 | gaps in childcare
    항공편 지연 | flight delays
    지하철 파업 | the subway strike
    공공 의대 설립 | a public medical school
    학원비 부담 | the cost of private tutoring
    쌀값 하락 | falling rice prices
""")
EXTRA_ORGS = _pairs("""
    부산시 | the Busan Metropolitan Government
    경기도 | Gyeonggi Province
    인천시 | the Incheon Metropolitan Government
    대구시 | the Daegu Metropolitan Government
    해양수산부 | the Ministry of Oceans and Fisheries
    농림축산식품부 | the Ministry of Agriculture, Food and Rural Affairs
    고용노동부 | the Ministry of Employment and Labor
    식품의약품안전처 | the Ministry of Food and Drug Safety
    국토안전관리원 | the Korea Authority of Land and Infrastructure Safety
    한국전력 | KEPCO
    소비자단체협의회 | the Consumers Korea council
    감사원 | the Board of Audit and Inspection
""")
DISTRICTS = _pairs("""
    중구 | Jung District
    동구 | Dong District
    서구 | Seo District
    남구 | Nam District
    북구 | Buk District
    강서구 | Gangseo District
    해운대구 | Haeundae District
    수성구 | Suseong District
    유성구 | Yuseong District
    덕진구 | Deokjin District
    성산구 | Seongsan District
    분당구 | Bundang District
    일산동구 | Ilsandong District
    달서구 | Dalseo District
    연수구 | Yeonsu District
    광산구 | Gwangsan District
    상당구 | Sangdang District
    완산구 | Wansan District
    영도구 | Yeongdo District
    팔달구 | Paldal District
    노원구 | Nowon District
    마포구 | Mapo District
    송파구 | Songpa District
    관악구 | Gwanak District
    은평구 | Eunpyeong District
    금정구 | Geumjeong District
    대덕구 | Daedeok District
    계양구 | Gyeyang District
""")
SITES = _pairs("""
    노후 아파트 단지 | an ageing apartment complex
    전통시장 | a traditional market
    물류센터 | a logistics centre
    지하차도 | an underpass
    초등학교 앞 | the front of an elementary school
    공공 도서관 | a public library
    임대주택 | a public rental block
    산업단지 | an industrial park
    버스 차고지 | a bus depot
    요양병원 | a care hospital
    하수처리장 | a sewage plant
    공영 주차장 | a public car park
    해수욕장 | a beach
    어린이집 | a daycare centre
    농산물 도매시장 | a wholesale produce market
    한옥마을 | a hanok village
    터널 공사 현장 | a tunnel construction site
    수변 공원 | a riverside park
    대학가 원룸촌 | a student housing area
    고속도로 휴게소 | a highway rest stop
    항만 부두 | a harbour pier
    주상복합 건물 | a mixed-use tower
    노인복지관 | a senior welfare centre
    지하상가 | an underground shopping arcade
""")
CAUSES = _pairs("""
    관리 인력 부족 | a shortage of staff
    노후 설비 | ageing equipment
    허술한 규정 | loose rules
    예산 삭감 | budget cuts
    경기 둔화 | the economic slowdown
    이상 기후 | extreme weather
    수요 급증 | a surge in demand
    감독 소홀 | lax oversight
    인구 유출 | people moving away
    고금리 | high interest rates
    원자재 가격 상승 | rising material costs
    정보 부족 | a lack of information
    부실 시공 | shoddy construction
    인허가 지연 | slow permits
    신고 체계 미비 | a weak reporting system
    업체 간 담합 | collusion between firms
""")
KO_ACTIONS = _items("""
    현장 점검을 벌입니다
    긴급 안전 진단을 실시합니다
    단속 인력을 두 배로 늘립니다
    전담 상담 창구를 운영합니다
    피해 가구에 생활 안정 자금을 지원합니다
    야간 순찰을 강화합니다
    무료 검사를 진행합니다
    이동식 민원실을 엽니다
    합동 단속에 나섭니다
    시범 사업을 시작합니다
    주민 설명회를 엽니다
    CCTV를 추가로 설치합니다
""")
EN_ACTIONS = _items("""
    run on-site inspections
    carry out emergency safety checks
    double the number of inspectors
    open a dedicated help desk
    pay living-support funds to affected households
    step up night patrols
    offer free testing
    send out mobile service counters
    launch joint crackdowns
    start a pilot project
    hold briefings for residents
    install more CCTV cameras
""")
KO_PURPOSES = _items("""
    시설 보강
    피해 복구
    인력 충원
    노후 장비 교체
    임대료 지원
    안전 교육
    방역 소독
    배수로 정비
    무료 법률 상담
    긴급 생계비 지원
""")
EN_PURPOSES = _items("""
    repairs
    recovery work
    new hires
    replacing old equipment
    rent support
    safety training
    disinfection
    drainage work
    free legal advice
    emergency living costs
""")
KO_DAMAGES = _items("""
    운영을 멈췄습니다
    출입이 통제됐습니다
    문을 닫았습니다
    침수 피해를 입었습니다
    긴급 보수에 들어갔습니다
    사용 중지 명령을 받았습니다
""")
EN_DAMAGES = _items("""
    have stopped operating
    have been closed off
    have shut their doors
    were flooded
    are under emergency repair
    were ordered out of use
""")
KO_INCIDENTS = _items("""
    천장 마감재가 무너져 내렸습니다
    불이 나 {n}명이 대피했습니다
    가스 누출 신고가 접수됐습니다
    바닥이 갑자기 꺼졌습니다
    정전으로 엘리베이터가 멈춰 섰습니다
    외벽 일부가 떨어져 나갔습니다
""")
EN_INCIDENTS = _items("""
    part of a ceiling collapsed
    a fire forced {n} people out
    a gas leak was reported
    the ground suddenly gave way
    a power cut stopped the lifts
    a section of the outer wall came loose
""")
KO_TEAMS = ("공동 조사단", "전담팀", "민관 협의체", "특별 대책반", "합동 점검반", "자문위원회")
EN_TEAMS = ("a joint inquiry team", "a task force", "a public-private council", "an advisory panel")
KO_JOBS = ("식당", "세탁소", "편의점", "꽃집", "철물점", "분식집", "정육점", "약국", "미용실")
EN_JOBS = (
    "a restaurant",
    "a laundry",
    "a corner shop",
    "a florist",
    "a hardware store",
    "a pharmacy",
)
KO_FOLLOWS = _items("""
    과태료를 부과했습니다
    경찰에 수사를 의뢰했습니다
    시정 명령을 내렸습니다
    영업 정지 처분을 내렸습니다
    현장 조사를 마쳤습니다
""")
EN_FOLLOWS = _items("""
    imposed fines
    asked the police to investigate
    ordered corrections
    suspended the businesses
    finished site checks
""")
KO_SAID = (
    "말했습니다",
    "밝혔습니다",
    "강조했습니다",
    "설명했습니다",
    "덧붙였습니다",
    "지적했습니다",
)
EN_SAID = ("said", "told reporters", "stressed", "explained", "added", "noted")
KO_TALLIED = ("접수됐습니다", "확인됐습니다", "집계됐습니다", "보고됐습니다")
KO_GREW = ("늘었습니다", "줄었습니다", "증가했습니다", "감소했습니다", "뛰었습니다")
KO_QUOTE_OPENS = _items("""
    {t} 문제는 하루아침에 생긴 게 아닙니다.
    {s} 주변은 이미 한계에 왔습니다.
    {c} 때문에 손을 쓸 수가 없었습니다.
    지난 {y}년 동안 이런 일은 처음입니다.
    {p} 주민들이 가장 큰 피해를 보고 있습니다.
    {n}곳을 모두 둘러봤는데 상황이 제각각입니다.
    작년에도 같은 민원이 {n}건이나 들어왔습니다.
    예산이 {n}억 원 넘게 모자랍니다.
""")
KO_QUOTE_CLOSES = _items("""
    이번에는 반드시 바꾸겠습니다
    가능한 모든 방안을 검토하고 있습니다
    현장의 목소리를 먼저 듣겠습니다
    누가 책임질 건지 묻고 싶습니다
    빨리 대책이 나왔으면 좋겠습니다
    속도보다 정확한 점검이 중요합니다
    제도부터 고쳐야 합니다
    주민 안전이 최우선입니다
    더는 기다릴 수 없습니다
""")
EN_QUOTE_OPENS = _items("""
    This problem with {t} did not start overnight.
    The area around {s} has reached its limit.
    We could do nothing because of {c}.
    In {y} years, I have never seen anything like this.
    People in {p} are the ones paying for it.
    We visited all {n} sites, and each one is different.
    Last year we had {n} complaints about the same thing.
    We are more than {n} billion won short.
    Nobody told us about {c} until it was too late.
    I have lived near {s} for {y} years.
    My shop lost {n} percent of its customers.
    We asked for help {n} times.
    The figures for {p} are the worst we have seen.
    {t} is not something one office can solve.
""")
EN_QUOTE_CLOSES = _items("""
    This time we will change it.
    We are looking at every option.
    We will listen to people on the ground first.
    I want to know who is responsible.
    We hope the measures come soon.
    Careful checks matter more than speed.
    The rules have to be fixed first.
    Residents' safety comes first.
    We cannot wait any longer.
    Someone has to answer for this.
    We will report back within a month.
    It should have been done years ago.
    Money alone will not fix it.
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


INSTITUTES = _pairs("""
    한국개발연구원 | the Korea Development Institute
    서울대학교 | Seoul National University
    한국교통연구원 | the Korea Transport Institute
    한국소비자원 | the Korea Consumer Agency
    연세대학교 | Yonsei University
    고려대학교 | Korea University
    대한상공회의소 | the Korea Chamber of Commerce and Industry
    한국노동연구원 | the Korea Labor Institute
    국토연구원 | the Korea Research Institute for Human Settlements
    참여연대 | the civic group People's Solidarity
    경실련 | the Citizens' Coalition for Economic Justice
    한국건설기술연구원 | the Korea Institute of Civil Engineering
""")
ROLES = _pairs("""
    장관 | Minister
    차관 | Vice Minister
    대변인 | Spokesperson
    청장 | Commissioner
    국장 | Director
    과장 | Section Chief
    팀장 | Team Leader
    시장 | Mayor
    구청장 | District Head
    연구위원 | Senior Researcher
    교수 | Professor
    사무총장 | Secretary General
""")
# Sentence shapes. A field is drawn when a shape names it (Slots); `_은`, `_이`, `_을`, `_과`,
# `_으로` after a field add the particle its last sound asks for (j); `{a|b|c}` is one of the
# wordings, drawn each time.
KO_SHAPES = _shapes("""
    {time} {org_은} {topic} 관련 {plan_을} {announce}.
    {org}에 따르면 {period} {place} 지역의 {what_은} {count_으로} {1년 전보다|지난해 같은
        기간보다|전년 대비} {pct} {grew}.
    {org_은} {month}월 {day}일부터 {weeks}주 동안 {site_과} {site2} 등 {n}곳에서 {action}.
    {inst} {person} {role_은} {topic}의 {원인으로|가장 큰 원인으로|배경으로} {cause_을}
        {꼽았습니다|지목했습니다}.
    {district}에 사는 {age}대 {citizen} 씨는 "{quote}"라고 {said}.
    {org_은} {올해|내년까지|연말까지} {amount_을} {purpose}에 {투입할 방침입니다|쓰기로
        했습니다|배정했습니다}.
    {place}에서만 {period} {what} {count_이} {tallied}.
    {district} {site}의 경우 {metric_이} {period}보다 {pct} {updown}한 것으로
        {나타났습니다|조사됐습니다|파악됐습니다}.
    {이번 일로|이 여파로|이 때문에} {district} 일대 {site} {n}곳이 {damage}.
    {person} {role_은} "{quote}"라고 {said}.
    {org_은} {cause} 문제를 {풀기 위해|해결하려고|바로잡기 위해} {inst_과} {함께|손잡고}
        {team_을} {꾸렸습니다|구성했습니다|출범시켰습니다}.
    {org} {집계 결과|자료를 보면|통계에 따르면} {year}년 이후 {topic} 관련 {what_은} {모두|누적}
        {count}에 {이릅니다|달합니다}.
    {time} {hour}시쯤 {place} {district}의 한 {site}에서 {incident}.
    {inst_은} {cause_이} {해소되지 않으면|개선되지 않으면|그대로라면} {topic} 문제가 {adverb}
        이어질 {수 있다고|가능성이 크다고} {내다봤습니다|경고했습니다}.
    {org_은} {month}월 말까지 {site} {n}곳을 {대상으로|상대로} {plan} 이행 여부를
        {살필|점검할|확인할} 계획입니다.
    {citizen} 씨는 {years}년째 {district}에서 {job_을} {운영하고 있습니다|꾸려 왔습니다|하고
        있습니다}.
    {topic}에 대한 {reaction_이} 커지자 {org_이} {뒤늦게|부랴부랴|서둘러} 대응에 나섰습니다.
    {place}시는 {pct}인 {metric_을} {later}년까지 {pct2}로 {낮추겠다는|줄이겠다는} 목표를
        {세웠습니다|내걸었습니다}.
    {org_은} {신고된|접수된|적발된} {n}건 가운데 {m}건에 대해 {follow}.
    {person} {role_은} {time} {district} {site_을} 찾아 {현장을 직접 둘러봤습니다|상황을
        점검했습니다|주민들을 만났습니다}.
    {org_은} 카카오톡 채널과 유튜브로도 {topic} 관련 정보를 {안내할|알릴} 계획입니다.
    {inst_은} {topic} 문제를 풀려면 {plan}만으로는 {부족하다는|한계가 있다는} 분석을
        {내놨습니다|냈습니다}.
    {site2} 주변 {n}가구는 {weeks}주째 {cause} 탓에 {불편을 겪고 있습니다|속을 태우고 있습니다}.
    {org_은} {amount} 규모의 {purpose} 예산을 {month}월 추경에 {반영하기로 했습니다|담았습니다}.
    {year}년 {month}월에도 {place}에서 {비슷한|같은 유형의} {topic} 사례가 {n}건
        {있었습니다|보고됐습니다}.
    {person} {role_은} {cause}에 대해 {time} {공식 사과했습니다|고개를 숙였습니다}.
    {org_은} {what} {count} 가운데 {pct_이} {district}에 {몰려 있다고|집중됐다고} 설명했습니다.
    {year}년 {place}에 문을 연 {site_은} {years}년 만에 {다시|처음으로} {점검 대상에
        올랐습니다|보수 공사에 들어갑니다}.
    {person} {role_은} {org} {내부 회의에서|브리핑에서|간담회에서} {cause} 문제를 {가장
        먼저|거듭} {언급했습니다|꺼냈습니다}.
    {district} 주민 {n}명은 {time} {org} 앞에서 {집회를 열고|기자회견을 열고} {purpose_을}
        요구했습니다.
    {age}대 {citizen} 씨는 {site}에서 {years}년 넘게 {일해 왔지만|지내 왔지만} {이런 일은
        처음이라고|이번이 가장 심각하다고} {said}.
    {org_은} {hour}시간 {상황실을|비상 대응 체계를} {가동하고 있습니다|유지하고 있습니다}.
    {inst} {조사에서는|분석에서는} {응답자의|주민의} {pct_이} {topic_을} {가장 시급한 문제로|큰
        걱정거리로} {꼽았습니다|들었습니다}.
    {place} {district_은} {n}억 원을 들여 {site2} {n2}곳을 {고치기로|새로 짓기로} 했습니다.
    {person} {role_은} {later}년까지 {what_을} {pct} {줄이겠다고|낮추겠다고}
        {약속했습니다|밝혔습니다}.
    {day}일 {org_과} {inst}의 {회의에서는|협의에서는} {plan} {초안이|세부 내용이}
        {공개됐습니다|논의됐습니다}.
""")
EN_SHAPES = _shapes("""
    {Org} {announce} {plan} on {topic} {time} ({month}.{day}).
    {According to|Data from|Figures released by} {org} {show|suggest|indicate} {what} in {place}
        {reached|hit|came to} {count} {period}, {up|a rise of|an increase of} {pct} {from a year
        earlier|on the year|year on year}.
    {From the|Starting on the|Beginning on the} {nth}, {org} will {action} {for|over} {weeks}
        weeks at {n} {sites|locations}, {including|among them} {site} in {district}.
    {Person}, {role} at {inst}, {blamed|pinned} {topic} on {cause}.
    A {age}-year-old {resident|shop owner|commuter|parent} in {district}, {citizen}, {said|told
        us|put it this way}: "{quote}"
    {Org} {plans to spend|has set aside|will put|has earmarked} {amount} won {on|toward|for}
        {purpose} {this year|by December|over two years}.
    In {place} alone, {count} {what} were {logged|recorded|counted|filed} {period}.
    At {site} in {district}, {metric} {updown} {pct} {period}.
    {Since then|As a result|Because of this|In the meantime}, {n} {facilities|buildings|venues}
        near {site2} in {district} {damage}.
    "{quote}" {person} {said}.
    {Org} has {set up|formed|launched|put together} {team} with {inst} to {deal with|tackle|look
        into|get to the bottom of} {cause}.
    {Org}'s {figures|data|records|own count} {show|put} {count} {what} {tied to|linked
        to|connected with} {topic} since {year}.
    At around {hour} p.m. {time}, {incident} at {site} in {place}'s {district}.
    {Inst} {warned|said|cautioned} that {topic} could {drag on|last|persist} {adverb} unless
        {cause} {is dealt with|is fixed|gets addressed}.
    {By the end of|Before the end of|Within} {monthname}, {org} will
        {check|inspect|review|audit} {n} {sites|locations|facilities} for {plan}.
    {Citizen} has {run|kept|owned|managed} {job} in {district} for {years} years.
    {Org} only {moved|acted|stepped in|responded} after {complaints|protests|reports} about
        {topic} {piled up|mounted|kept coming}.
    {Place} {aims|wants|has pledged} to {cut|bring down|lower} {metric} from {pct} to {pct2} by
        {later}.
    Of the {n} cases {reported|filed|found|uncovered}, {org} {follow} in {m}.
    {Person} {visited|toured|went to} {site} in {district} {time} to {see the damage|meet
        residents|check the work|hear complaints}.
    {Org} will also {post|share|publish} updates on {topic} {on|through} its KakaoTalk channel
        and on YouTube.
    {Researchers at|Analysts at|A team at} {inst} {said|argued|found} {plan} alone {would not be
        enough|will fall short|cannot work} to {solve|fix|end} {topic}.
    {n} households near {site2} have {had trouble|struggled|complained|been stuck} for {weeks}
        weeks {because of|due to|owing to} {cause}.
    There {were|had been} {n} {similar|comparable|related} cases of {topic} in {place} in
        {monthname} {year}.
    {Person} {apologised|said sorry|offered an apology} {time} for {cause}.
    {Site} in {place}, {opened|built|completed} in {year}, {is being checked again|will be
        repaired|faces a new inspection} after {years} years.
    {Person} {raised|brought up|pointed to} {cause} {first|again|repeatedly} at {a briefing|an
        internal meeting|a press conference}.
    {n} residents of {district} {rallied|gathered|held a press conference} outside {org}'s
        office {time}, {demanding|calling for|asking for} {purpose}.
    {Citizen}, who has {worked|lived|spent} {years} years at {site}, {said|told us|says} {it is
        the worst yet|this has never happened before|nobody warned them}.
    {Org} is running a {situation room|24-hour response team|hotline} {around the clock|until
        further notice|for now}.
    In a {survey|poll|study} by {inst}, {pct} of {respondents|residents|those asked}
        {named|picked|chose} {topic} as {the most urgent issue|their biggest worry|a top
        concern}.
    {District} will spend {n} billion won to {repair|rebuild|upgrade} {n2} {sites|facilities}
        like {site2}.
    {Person} {promised|pledged|vowed} to {cut|reduce|halve} {what} by {pct} by {later}.
    A draft of {plan} was {shown|discussed|circulated} at a meeting of {org} and {inst} on the
        {nth}.
    {Officials|Inspectors|Investigators} found {n} {problems|violations|defects} at {site2}
        {time}, {org} {said|reported|confirmed}.
    {The|This} {move|decision|step} {follows|comes after} {n} {complaints|incidents|reports}
        {at|near|around} {site2} {period}.
    {Lawmakers|Opposition lawmakers|City council members} {questioned|grilled|criticised}
        {person} over {cause} {time}.
    {Budget|Spending} for {purpose} in {place} {rose|fell|was cut} to {amount} won {period}.
    {Most|Many|About half} of the {what} came from {district}, where {site2} {stands|sits|is
        located}.
    {Person} said {org} would {release|publish|share} {the full figures|a detailed report|its
        findings} {in|by} {monthname}.
    {Local media|Residents|Unions} had {warned about|flagged|raised} {cause} at {site} {as early
        as|back in} {year}.
    {Org} {expects|predicts|estimates} {metric} to {recover|stabilise|settle} {adverb}.
    {Witnesses|Passers-by|Neighbours} said {incident} {shortly after|just before|around} {hour}
        p.m.
    {Inst} {puts|estimates|sets} the {cost|damage|bill} at {amount} won, {about|nearly|almost}
        {pct} {more|less} than {year}.
""")
SITES_KO, SITES_EN = tuple(k for k, _ in SITES), tuple(e for _, e in SITES)
PLACES_KO, PLACES_EN = tuple(k for k, _ in PLACES), tuple(e for _, e in PLACES)
KO_AGES = ("20", "30", "40", "50", "60", "70")
EN_AGES = tuple(str(age) for age in range(24, 80))
EN_TIMES = ("today", "yesterday", "this morning", "on Tuesday", "on Friday", "last week")
EN_UPDOWN = ("rose", "fell", "climbed", "dropped", "jumped")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Story:
    """What one report is about: every sentence of it draws its names and places from here."""

    org: tuple[str, str]
    topic: tuple[str, str]
    place: tuple[str, str]
    district: tuple[str, str]
    site: tuple[str, str]
    cause: tuple[str, str]
    inst: tuple[str, str]
    people: tuple[tuple[str, str, str, str], ...]  # (Korean name, English name, role ko, en)


_STORY_FIELDS = frozenset(("org", "topic", "place", "district", "site", "cause", "inst"))
_NUMBERS = {
    "n": (3, 60), "n2": (2, 30), "m": (1, 3), "month": (1, 12), "day": (1, 28), "weeks": (2, 12),
    "year": (2014, 2023), "later": (2026, 2035), "years": (2, 35), "hour": (1, 11),
}  # fmt: skip
_POOLS = {
    "time": (KO_TIMES, EN_TIMES), "period": (KO_PERIODS, EN_PERIODS),
    "plan": (KO_PLANS, EN_PLANS), "announce": (KO_ANNOUNCE, EN_ANNOUNCE),
    "adverb": (KO_ADVERBS, EN_ADVERBS), "metric": (KO_METRICS, EN_METRICS),
    "updown": (KO_UPDOWN, EN_UPDOWN), "said": (KO_SAID, EN_SAID),
    "action": (KO_ACTIONS, EN_ACTIONS), "purpose": (KO_PURPOSES, EN_PURPOSES),
    "damage": (KO_DAMAGES, EN_DAMAGES), "team": (KO_TEAMS, EN_TEAMS),
    "job": (KO_JOBS, EN_JOBS), "follow": (KO_FOLLOWS, EN_FOLLOWS),
    "reaction": (KO_REACTION, KO_REACTION), "tallied": (KO_TALLIED, KO_TALLIED),
    "grew": (KO_GREW, KO_GREW), "site2": (SITES_KO, SITES_EN), "place2": (PLACES_KO, PLACES_EN),
    "monthname": (MONTHS, MONTHS), "age": (KO_AGES, EN_AGES),
}  # fmt: skip
_QUOTE_PARTS = ((KO_QUOTE_OPENS, KO_QUOTE_CLOSES), (EN_QUOTE_OPENS, EN_QUOTE_CLOSES))


class Field(NamedTuple):
    name: str
    particle: str
    capital: bool


Part = str | tuple[str, ...] | Field  # literal text, one of the wordings, a field


def _compile(shape: str) -> tuple[Part, ...]:
    """A shape cut into its parts once, so that filling it is a loop over them."""
    parts: list[Part] = []
    for literal, field, _, _ in string.Formatter().parse(shape):
        if literal:
            parts.append(literal)
        if field is None:
            continue
        if "|" in field:
            parts.append(tuple(field.split("|")))
        else:
            name, _, particle = field.partition("_")
            parts.append(Field(name.lower(), particle, name[0].isupper()))
    return tuple(parts)


_COMPILED = {shape: _compile(shape) for shape in KO_SHAPES + EN_SHAPES}


class Slots(dict[str, str]):
    """A shape's fields, each drawn on first use: from the story, or fresh for the sentence.

    Draws go through `random()` (Composer.pick, .between): one C call, where `choice` and
    `randint` loop in Python."""

    def __init__(self, composer: Composer, story: Story, english: bool) -> None:
        super().__init__()
        self.c, self.story, self.en = composer, story, int(english)
        self.random, self.pick, self.number = composer.random, composer.pick, composer.between

    def fill(self, shape: str) -> str:
        """The shape with its fields drawn (what str.format_map(self) gives, faster)."""
        out = []
        for part in _COMPILED[shape]:
            if type(part) is str:
                out.append(part)
            elif type(part) is tuple:
                out.append(part[int(self.random() * len(part))])
            else:
                name, particle, capital = part  # type: ignore[misc]
                value = dict.get(self, name) or self._draw(name)
                self[name] = value
                if particle:
                    value = j(value, particle)
                out.append(value[0].upper() + value[1:] if capital else value)
        return "".join(out)

    def __missing__(self, key: str) -> str:
        if "|" in key:  # one of the wordings
            return self.pick(key.split("|"))
        name, _, particle = key.partition("_")
        if name[0].isupper():  # English, capitalised
            value = self[name.lower()]
            return value[0].upper() + value[1:]
        value = dict.get(self, name) or self._draw(name)
        self[name] = value
        return j(value, particle) if particle else value

    def _draw(self, name: str) -> str:
        s, en = self.story, self.en
        if name in _POOLS:
            return self.pick(_POOLS[name][en])
        if name in _NUMBERS:
            return str(self.number(*_NUMBERS[name]))
        if name in _STORY_FIELDS:
            return getattr(s, name)[en]  # type: ignore[no-any-return]
        if name in ("person", "role"):
            person = s.people[int(self.random() * len(s.people))]
            self["person"], self["role"] = person[en], person[2 + en]
            return self[name]
        if name in ("what", "count"):
            if en:
                self["what"] = self.pick(EN_COUNTS)
                self["count"] = f"{self.number(12, 98000):,}"
            else:
                what, unit = KO_COUNTS[int(self.random() * len(KO_COUNTS))]
                self["what"], self["count"] = what, self.c.ko_number(unit)
            return self[name]
        if name in ("pct", "pct2"):
            whole = self.number(2, 89)
            return f"{whole}.{self.number(0, 9)}%" if self.random() < 0.4 else f"{whole}%"
        if name == "citizen":
            return self.c.en_name() if en else self.c.ko_name()[0]
        if name == "quote":
            opens, closes = _QUOTE_PARTS[en]
            return f"{self.pick(opens)} {self.pick(closes)}".format(
                t=s.topic[en], s=s.site[en], c=s.cause[en], p=s.district[en],
                y=self.number(3, 30), n=self.number(2, 90),
            )  # fmt: skip
        if name == "amount":
            return f"{self.number(3, 980)}" + (" billion" if en else "억 원")
        if name == "nth":
            return _ordinal(self.number(1, 28))
        if name == "incident":
            return self.pick((KO_INCIDENTS, EN_INCIDENTS)[en]).format(n=self.number(3, 60))
        raise KeyError(name)


class Composer:
    """Composes documents from the pools; all randomness comes from one seeded Random."""

    def __init__(self, rng: random.Random) -> None:
        self.choice = rng.choice
        self.randint = rng.randint
        self.random = rng.random
        self.shuffle = rng.shuffle
        self._story: Story | None = None
        self._deck: list[str] = []  # the current story's shapes not used yet, in a drawn order

    # -- small pieces --

    def pick(self, pool: Sequence[T]) -> T:
        """choice() in one C call to random() (the sentences draw some 300 values a report)."""
        return pool[int(self.random() * len(pool))]

    def between(self, lo: int, hi: int) -> int:
        """randint() in one call to random()."""
        return lo + int(self.random() * (hi - lo + 1))

    def ko_name(self) -> tuple[str, str]:
        """A Korean name and an e-mail local part that goes with it."""
        (sur, rsur), (a, ra), (b, rb) = (
            self.pick(KO_SURNAMES),
            self.pick(KO_GIVEN),
            self.pick(KO_GIVEN),
        )
        local = rsur + ra + rb if self.random() < 0.5 else rsur + ra[0] + rb[0]
        return sur + a + b, local

    def en_name(self) -> str:
        (_, sur), (_, a), (_, b) = (
            self.pick(KO_SURNAMES),
            self.pick(KO_GIVEN),
            self.pick(KO_GIVEN),
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
            return f"{self.between(3, 980)}{unit}"
        if self.random() < 0.5:
            return f"{self.between(12, 999)}{unit}"
        return f"{self.between(1, 9)}천{self.between(1, 9)}백 {unit}"

    def date(self) -> tuple[int, int, int]:
        return self.randint(2019, 2025), self.randint(1, 12), self.randint(1, 28)

    # -- stories and sentences --

    def story(self) -> Story:
        """A new report's subject: its org, topic, place, site, cause and three people."""
        c = self.choice
        people = []
        for _ in range(3):
            ko, _ = self.ko_name()
            role_ko, role_en = c(ROLES)
            people.append((ko, self.en_name(), role_ko, role_en))
        return Story(
            org=c(ORGS + EXTRA_ORGS),
            topic=c(TOPICS + EXTRA_TOPICS),
            place=c(PLACES),
            district=c(DISTRICTS),
            site=c(SITES),
            cause=c(CAUSES),
            inst=c(INSTITUTES),
            people=tuple(people),
        )

    def _current(self) -> Story:
        if self._story is None:
            self._story = self.story()
        return self._story

    def _shape(self, shapes: tuple[str, ...]) -> str:
        """The next shape of a shuffled deck: a report says each thing once before repeating."""
        if not self._deck or self._deck[0] not in shapes:
            self._deck = list(shapes)
            self.shuffle(self._deck)
        return self._deck.pop()

    def ko_sentence(self) -> str:
        """A Korean sentence of the current story (a new one if there is none yet)."""
        return Slots(self, self._current(), english=False).fill(self._shape(KO_SHAPES))

    def en_sentence(self) -> str:
        """An English sentence of the current story (a new one if there is none yet)."""
        return Slots(self, self._current(), english=True).fill(self._shape(EN_SHAPES))

    def ko_quote(self) -> str:
        slots = Slots(self, self._current(), english=False)
        if self.random() < 0.6:
            name, who = slots["person"], f"{slots['org']} {slots['role']}"
        else:
            name, who = self.ko_name()[0], f"{slots['inst']} {self.choice(KO_ROLES)}"
        sep = self.choice((" : ", " : ", ": "))
        return f'[{name}/{who}{sep}"{slots["quote"]}"]'

    def ko_title(self) -> str:
        story = self._current()
        return f"{story.place[0]} {story.topic[0]}…{story.org[0]} {self.choice(KO_HEADLINE_TAILS)}"

    def en_quote(self) -> str:
        slots = Slots(self, self._current(), english=True)
        role = slots["role"] if self.random() < 0.6 else self.choice(EN_ROLES)
        who = f"{role}, {slots['org']}" if self.random() < 0.5 else role
        sep = self.choice((": ", " : "))
        return f'[{slots["person"]}/{who}{sep}"{slots["quote"]}"]'

    def en_title(self) -> str:
        topic = self._current().topic[1]
        return f"{topic[0].upper()}{topic[1:]}: {self.choice(EN_HEADLINE_TAILS)}"

    # -- bodies --

    def body(
        self, english: bool, broadcaster: str | None, budget: int, story: Story | None = None
    ) -> list[str]:
        """Body paragraphs (one string each) of about `budget` UTF-8 bytes, about story (a new
        one when none is given)."""
        self._story, self._deck = story or self.story(), []
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
        story = self._story = self.story()

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
        paras = self.body(english, broadcaster, target - extra, story)

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
        ("이릅니다.", "이른다."),
        ("달합니다.", "달한다."),
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
