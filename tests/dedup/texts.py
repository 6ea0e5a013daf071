"""Reports written for these tests in the shapes of scraped copies (no real text reused)."""

ORIGINAL = """서울시가 다음 달부터 심야 자율주행 버스 노선을 세 곳 더 늘리기로 했습니다.
새로 생기는 노선은 합정역과 동대문, 신림역과 강남역을 잇는 구간 등으로, 밤 11시 30분부터 새벽 5시까지 운행합니다.
서울시는 지난해 시범 운행 기간에 하루 평균 탑승객이 412명으로 예상보다 38% 많았다고 설명했습니다.
오세진 서울시 교통정책과장은 "심야 이동이 잦은 시민들의 불편을 줄이는 데 효과가 컸다"며 "안전 요원을 모든 차량에 계속 태우겠다"고 말했습니다.
요금은 기존 심야버스와 같은 2,500원이며, 교통카드로만 낼 수 있습니다.
시는 운행 결과를 분석해 내년 상반기에 노선을 추가로 확대할지 결정할 계획입니다."""

# The same text, other whitespace and quote marks: an exact copy once folded.
EXACT_COPY = ORIGINAL.replace('"', "“", 1).replace('"', "”", 1).replace("\n", "\n\n")

# A portal's copy: written endings, a summary notice and a byline around the same sentences.
PORTAL_COPY = """이 기사는 포털의 자동 요약 기능을 거치지 않은 원문입니다.
서울시가 다음 달부터 심야 자율주행 버스 노선을 세 곳 더 늘리기로 했다.
새로 생기는 노선은 합정역과 동대문, 신림역과 강남역을 잇는 구간 등으로, 밤 11시 30분부터 새벽 5시까지 운행한다.
서울시는 지난해 시범 운행 기간에 하루 평균 탑승객이 412명으로 예상보다 38% 많았다고 설명했다.
오세진 서울시 교통정책과장은 “심야 이동이 잦은 시민들의 불편을 줄이는 데 효과가 컸다”며 “안전 요원을 모든 차량에 계속 태우겠다”고 말했다.
요금은 기존 심야버스와 같은 2,500원이며, 교통카드로만 낼 수 있다.
시는 운행 결과를 분석해 내년 상반기에 노선을 추가로 확대할지 결정할 계획이다.
한지운 기자"""

# A truncated preview: the first sentences, cut mid-sentence.
PREVIEW = ORIGINAL[: ORIGINAL.index("412명") + 4]

# Another outlet's report of the same announcement: same numbers, same quote, its own words.
RETOLD = """심야에 운행하는 자율주행 버스가 다음 달 서울 세 개 구간에 새로 투입된다.
시에 따르면 작년 시범 사업 당시 이용객은 하루 412명꼴로, 당초 예측치를 38% 웃돌았다.
신설 구간은 합정~동대문, 신림~강남 등이며 운행 시간은 자정 전후부터 이른 새벽까지다.
오세진 교통정책과장은 "심야 이동이 잦은 시민들의 불편을 줄이는 데 효과가 컸다"고 평가했다.
다만 일부 시민단체는 차량 결함이 생겼을 때의 책임 소재가 아직 분명하지 않다며 보완을 요구하고 있다.
요금 2,500원은 그대로 유지되고 현금 승차는 받지 않는다."""

# A flash that is little more than the official's two quoted sentences.
FLASH = """[속보] 서울시 "심야 이동이 잦은 시민들의 불편을 줄이는 데 효과가 컸다…안전 요원을 모든 차량에 계속 태우겠다"
시 교통정책과장 브리핑"""

# Two closing-market reports from one template, on other days: other numbers, not copies.
MARKET_MONDAY = """코스피는 어제보다 12.41포인트, 0.47% 오른 2,641.35로 장을 마쳤습니다.
외국인이 3,214억 원어치를 순매수했고 기관은 1,087억 원어치를 팔았습니다.
코스닥은 5.12포인트 오른 861.20으로 마감했고, 원·달러 환율은 1,318.40원에 거래를 마쳤습니다."""
MARKET_TUESDAY = """코스피는 어제보다 43.23포인트, 1.64% 내린 2,598.12로 장을 마쳤습니다.
외국인이 5,908억 원어치를 순매도했고 기관은 2,466억 원어치를 샀습니다.
코스닥은 9.87포인트 내린 851.33으로 마감했고, 원·달러 환율은 1,331.90원에 거래를 마쳤습니다."""

EN_FIRST = """SEOUL, South Korea — Seoul will add three late-night driverless bus routes next month, city officials said Tuesday.
The new routes link Hapjeong and Dongdaemun and run from 11:30 p.m. until 5 a.m., with a safety officer on every bus.
Daily ridership during last year's trial averaged 412, about 38% above forecasts, the city said."""
EN_UPDATE = (
    EN_FIRST
    + """
Fares stay at 2,500 won and can only be paid by transit card.
The city plans to decide in the first half of next year whether to expand the service further."""
)
EN_OTHER = """Driverless buses are coming to three more of Seoul's late-night corridors, the capital announced.
Officials pointed to a trial last year in which an average of 412 riders a day used the buses, 38% more than expected.
Critics say liability rules for crashes involving autonomous vehicles remain unclear."""
