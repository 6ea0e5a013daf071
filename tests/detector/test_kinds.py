"""The detector on every kind of promotion no pack names, and on bodies that only talk about it.

The texts are written for these tests in the shapes real pages take (outlets made up or without a
pack); every case asserts both sides: the promotion is gone and the body next to it stays. Only
the generic pack runs beside the detector, as for an outlet nobody wrote a pack for.
"""

from __future__ import annotations

import pytest

from pipeline.rules import RuleSet, load_rules
from pipeline.stages.strip import strip_promotions
from pipeline.text import collapse_ws


@pytest.fixture(scope="module")
def generic() -> RuleSet:
    return load_rules(None, "generic", detector=True)


def clean(text: str, rules: RuleSet) -> str:
    return collapse_ws(strip_promotions(text, rules).body)


BODY = (
    "경기도는 다음 달부터 버스 준공영제를 시 군 노선으로 넓힌다고 밝혔습니다.\n"
    "도는 이번 확대로 배차 간격이 평균 5분가량 줄어들 것으로 내다봤습니다.\n"
)
EN_BODY = (
    "The city will extend late-night bus service to four more routes from next month.\n"
    "Officials said the change would cut average waiting times by about five minutes.\n"
)

# (name, text, what must go, what must stay)
PROMOTION = [
    (
        "youtube link list under bullets, with a lead line",
        BODY + "한빛방송 박지훈입니다.\n\n"
        "▶ 한빛방송 더 보기\n▶ 홈페이지 : https://www.hanbit-tv.example.kr\n"
        "▶ 앱 다운로드 : https://app.hanbit-tv.example.kr\n▶ 라이브 : https://live.hanbit.example\n"
        "▶ Facebook : https://facebook.com/hanbittv\n▶ Instagram : https://instagram.com/hanbit_tv\n"
        "▶ X : https://x.com/hanbit_news",
        [
            "홈페이지 : https",
            "앱 다운로드",
            "라이브 : https",
            "facebook.com",
            "instagram.com",
            "x.com/hanbit_news",
            "▶ 한빛방송 더 보기",
        ],
        ["배차 간격이", "한빛방송 박지훈입니다."],
    ),
    (
        "emoji bullets and a dashed frame",
        BODY + "------------------------------\n📢 구독 ▶ https://youtube.com/@hanbitnews\n"
        "📌 제보 : hanbit@example.kr\n------------------------------",
        ["youtube.com/@hanbitnews", "hanbit@example.kr", "------"],
        ["준공영제를"],
    ),
    (
        "a closing line of the outlet's own hashtags",
        BODY + "#한빛방송 #한빛뉴스 #HBN뉴스",
        ["#한빛방송 #한빛뉴스"],
        ["배차 간격이"],
    ),
    (
        "portal and newsletter calls",
        BODY + "강지호 기자 jiho@hanbit.example.kr\n▶ 네이버에서 한빛일보를 받아보세요\n"
        "▶ 한빛일보 뉴스레터 '아침 한 잔' 구독하기\n[한빛일보 바로가기]",
        ["받아보세요", "뉴스레터", "바로가기"],
        ["강지호 기자 jiho@hanbit.example.kr", "준공영제를"],
    ),
    (
        "special-coverage links and verb-less plugs over a copyright line",
        BODY + "강지호 기자\n▶ 2026 지방선거 한눈에 보기\n▶ [속보] 실시간 뉴스 모음\n"
        "▶ 알기 쉬운 경제 '돈 이야기'\n© 한빛일보, 무단전재 및 재배포 금지",
        ["한눈에 보기", "실시간 뉴스 모음", "돈 이야기", "무단전재"],
        ["강지호 기자", "준공영제를"],
    ),
    (
        "a quotation notice under a radio transcript",
        "◇ 진행자> 오늘 나와주셔서 감사합니다.\n◆ 최민수> 네, 감사합니다.\n"
        "※ 인터뷰 내용을 인용하실 때는 '한빛라디오 <아침 현장>'으로 출처를 밝혀주시기 바랍니다.",
        ["인용하실 때는", "출처를 밝혀"],
        ["◇ 진행자> 오늘 나와주셔서 감사합니다.", "◆ 최민수> 네, 감사합니다."],
    ),
    (
        "an English quotation notice",
        EN_BODY + "Please credit Hanbit Radio when quoting this interview.",
        ["Please credit"],
        ["extend late-night bus service"],
    ),
    (
        "copyright without a sign, with the new clauses",
        BODY + "한빛일보 무단전재 및 수집 금지, AI 학습 이용 금지",
        ["무단전재 및 수집 금지"],
        ["배차 간격이"],
    ),
    (
        "an English copyright line",
        EN_BODY
        + "By Park Jun-ho (jhpark@example.com)\nCopyright © Hanbit Herald. All rights reserved.",
        ["All rights reserved", "Copyright ©"],
        ["By Park Jun-ho (jhpark@example.com)", "cut average waiting times"],
    ),
    (
        "a tip-line call of an outlet without a pack",
        BODY
        + "※ 여러분의 제보가 세상을 바꿉니다.\n카카오톡 : @한빛제보\n이메일 : jebo@hanbit.example.kr\n"
        "전화 : 031-000-0000",
        ["여러분의 제보가", "@한빛제보", "jebo@hanbit", "031-000-0000"],
        ["준공영제를", "배차 간격이"],
    ),
    (
        "a podcast platform's boilerplate at the head and the tail",
        "팟빵 앱에서 더 편하게 들어보세요\n" + BODY + "▶ 구독과 좋아요, 알림 설정 부탁드려요!\n"
        "Copyright © 팟빵. All rights reserved.",
        ["팟빵 앱에서", "구독과 좋아요", "All rights reserved"],
        ["준공영제를", "배차 간격이"],
    ),
    (
        "a footer glued to the last sentence",
        "도는 배차 간격이 줄어들 것으로 내다봤다.강지호 기자 jiho@hanbit.example.kr"
        "▶ 네이버에서 한빛일보 구독하기▶ 오늘의 운세<ⓒ한빛일보, 무단전재 및 재배포 금지>",
        ["구독하기", "오늘의 운세", "무단전재"],
        ["내다봤다.", "강지호 기자 jiho@hanbit.example.kr"],
    ),
    (
        "a footer whose bullets a crawler stripped",
        "도는 배차 간격이 줄어들 것으로 내다봤습니다 영상편집 김하늘 제보하기 전화 031 000 0000 "
        "카카오톡 한빛제보 검색 채널 추가 유튜브에서 한빛뉴스를 구독해주세요",
        ["제보하기 전화", "구독해주세요"],
        ["내다봤습니다", "영상편집 김하늘"],
    ),
    (
        "English calls to follow and subscribe",
        EN_BODY + "Follow us on Instagram and X for the latest news.\n"
        "Subscribe to our newsletter to get the day's stories in your inbox.",
        ["Follow us", "Subscribe to our newsletter"],
        ["extend late-night bus service"],
    ),
    (
        "reader-support and app calls",
        BODY + "이 기사가 좋았다면 한빛일보를 후원해주세요\n▶ 정기후원하기\n▶ 한빛일보 앱 설치하기",
        ["후원해주세요", "정기후원하기", "앱 설치하기"],
        ["준공영제를"],
    ),
]

# Bodies that talk about what footers are made of: every line stays.
HARD_NEGATIVES = [
    (
        "a KakaoTalk outage",
        "카카오톡 메시지 수발신이 한 시간 넘게 멈췄습니다.\n"
        '카카오는 공식 트위터를 통해 "긴급 점검 중"이라고 밝혔습니다.\n'
        '이용자들은 "카톡이 안 된다"며 불편을 호소했습니다.',
    ),
    (
        "a YouTuber and subscribers",
        "구독자 120만 명을 둔 유튜버가 저작권법 위반으로 벌금을 물게 됐습니다.\n"
        '그는 영상 끝마다 "구독과 좋아요 부탁드립니다"라고 말해 왔습니다.\n'
        "법원은 저작권자 동의 없이 영상을 올린 점을 지적했습니다.",
    ),
    (
        "tips to the police, with a phone number",
        "경찰은 실종된 70대 남성을 찾는다며 시민들의 제보를 당부했습니다.\n"
        "제보는 국번 없이 112나 한빛경찰서 031-000-0000으로 하면 된다고 경찰은 밝혔습니다.",
    ),
    (
        "a copyright dispute quoting the clause",
        "법원은 '무단 전재 및 재배포 금지' 문구가 있어도 짧은 인용은 허용된다고 판단했습니다.\n"
        "업체 세 곳이 무단 복제로 적발됐다고 문화체육관광부는 밝혔습니다.",
    ),
    (
        "phone scams and an e-mail leak",
        "금융감독원은 '02-000-0000' 번호로 걸려오는 전화는 받지 말라고 당부했습니다.\n"
        "유출된 이메일 주소 중에는 admin@example.kr 같은 관리자 계정도 있었습니다.",
    ),
    (
        "a newsletter as the news",
        "지역 신문들이 유료 뉴스레터로 독자를 모으고 있습니다.\n"
        "한빛일보는 뉴스레터 구독자가 1년 만에 두 배로 늘었다고 밝혔습니다.",
    ),
    (
        "the outlet's own anniversary",
        "한빛방송이 개국 30주년을 맞았습니다.\n"
        "한빛방송은 유튜브 채널 구독자가 50만 명을 넘었다고 밝혔습니다.\n"
        "한빛방송 박지훈입니다.",
    ),
    (
        "an event with an inquiry line",
        "한빛마라톤이 다음 달 열립니다.\n참가 신청 : 10월 5일까지 누리집에서\n"
        "문의 : 031-000-0000(대회 사무국)\n한빛일보 강지호 기자",
    ),
    (
        "English about subscriptions",
        "Millions of people subscribe to streaming services in Korea, a survey showed.\n"
        "Viewers who follow the channel on YouTube can watch the show with subtitles.",
    ),
    (
        "topical hashtags and a sign-off",
        "시민들이 '플라스틱 없는 하루' 캠페인에 참여하고 있습니다.\n#플라스틱 #환경 #한빛뉴스\n"
        "한빛방송 박지훈입니다.",
    ),
    (
        "credits and a byline after a footer",
        "도는 배차 간격이 줄어들 것으로 내다봤습니다.\n© 한빛일보, 무단전재 및 재배포 금지\n"
        "촬영기자 : 김하늘 / 영상편집 : 이도윤\n강지호 기자 (jiho@hanbit.example.kr)",
    ),
]


@pytest.mark.parametrize(("name", "text", "gone", "kept"), PROMOTION, ids=[c[0] for c in PROMOTION])
def test_promotion_no_pack_names_goes_and_the_body_stays(
    generic: RuleSet, name: str, text: str, gone: list[str], kept: list[str]
) -> None:
    body = clean(text, generic)
    for piece in gone:
        assert piece not in body, piece
    for piece in kept:
        assert piece in body, piece


@pytest.mark.parametrize(("name", "text"), HARD_NEGATIVES, ids=[c[0] for c in HARD_NEGATIVES])
def test_a_body_that_talks_about_promotion_keeps_every_line(
    generic: RuleSet, name: str, text: str
) -> None:
    body = clean(text, generic)
    for line in text.splitlines():
        if "무단전재 및 재배포 금지" in line:  # the one footer line of the last case
            assert line not in body
            continue
        assert collapse_ws(line) in body, line


def test_every_removal_names_the_detector_and_its_score(generic: RuleSet) -> None:
    text = BODY + "※ 여러분의 제보가 세상을 바꿉니다.\n카카오톡 : @한빛제보"
    spans = [s for s in strip_promotions(text, generic).spans if s.rule.pack == "detector"]
    assert spans
    for span in spans:
        assert span.rule.id.startswith("detector_") and span.rule.id.endswith("_v1")
        assert span.score is not None and 0.5 <= span.score <= 1.0


def test_the_detector_can_be_switched_off() -> None:
    text = BODY + "※ 여러분의 제보가 세상을 바꿉니다.\n카카오톡 : @한빛제보"
    off = load_rules(None, "generic", detector=False)
    assert "여러분의 제보가" in clean(text, off)
