"""Seeded bilingual stories for the benchmark: a Korean KBS report, its English translation, and
by chance a next-day follow-up by the same reporter (a distractor with other figures).

The two sides are composed together from parallel templates, so they carry what a translation
keeps: the figures (1만 2천 = 12,000), the reporter and the speakers (김민지 = Kim Min-ji), the
places, the part markers and the quote blocks, line by line. All randomness comes from one
seeded Random of its own, so adding these stories leaves generate.py's documents unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

try:
    from generate import KO_GIVEN, KO_SURNAMES, ORGS, PLACES, TOPICS, Composer, _ordinal, j
except ImportError:  # imported as benchmarks.pair_corpus (from the tests)
    from benchmarks.generate import (
        KO_GIVEN,
        KO_SURNAMES,
        ORGS,
        PLACES,
        TOPICS,
        Composer,
        _ordinal,
        j,
    )

# (Korean, English) quote pairs and speaker titles.
QUOTES = (
    ("현장의 목소리를 충분히 듣고 대책을 마련하겠습니다",
     "We will listen closely to people on the ground and prepare measures."),
    ("솔직히 이렇게까지 상황이 나빠질 줄은 몰랐습니다",
     "Honestly, I did not expect things to get this bad."),
    ("제도를 고치지 않으면 같은 일이 또 반복될 수밖에 없습니다",
     "Unless the system is changed, the same thing will keep happening."),
    ("하루하루가 걱정입니다. 빨리 대책이 나왔으면 좋겠습니다",
     "Every day is a worry. We hope the measures come soon."),
    ("지금은 속도보다 정확한 점검이 더 중요합니다",
     "Right now, careful checks matter more than speed."),
)  # fmt: skip
TITLES = (("대변인", "Spokesperson"), ("국장", "Director"), ("주민", "Resident"),
          ("교수", "Professor"), ("상인", "Shop Owner"))  # fmt: skip
METRICS = (("이용객", "the number of users"), ("거래량", "trading volume"),
           ("신고 건수", "the number of reports"), ("출동 건수", "call-outs"))  # fmt: skip


@dataclass(frozen=True)
class Story:
    """One report in both languages, and its follow-up (or None)."""

    ko: str
    en: str
    follow_up: str | None


class Bilingual:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.composer = Composer(rng)

    def name(self) -> tuple[str, str]:
        """A Korean name and its romanisation as KBS's English pages spell it."""
        c = self.rng.choice
        (sur, rsur), (a, ra), (b, rb) = c(KO_SURNAMES), c(KO_GIVEN), c(KO_GIVEN)
        return sur + a + b, f"{rsur.capitalize()} {ra.capitalize()}-{rb}"

    def count(self) -> tuple[str, str]:
        """A count in thousands: ("1만 2천", "12,000") or ("8천", "8,000")."""
        k = self.rng.randint(3, 99)
        ko = f"{k // 10}만" + (f" {k % 10}천" if k % 10 else "") if k >= 10 else f"{k}천"
        return ko, f"{k * 1000:,}"

    def pct(self) -> str:
        return f"{self.rng.randint(2, 60)}.{self.rng.randint(1, 9)}"

    def lines(self, reporter: tuple[str, str], org: tuple[str, str], topic: tuple[str, str],
              place: tuple[str, str]) -> tuple[list[str], list[str]]:  # fmt: skip
        """A report's body lines in Korean and in English, line for line."""
        r = self.rng
        ko_org, en_org = org
        en_org_cap = en_org[0].upper() + en_org[1:]
        (ko_topic, en_topic), (ko_place, en_place) = topic, place
        n_ko, n_en = self.count()
        pct = self.pct()
        ko = ["[앵커]", f"{j(ko_org, '은')} 오늘 {ko_topic} 관련 대책을 발표했습니다.",
              f"{reporter[0]} 기자가 보도합니다.", "[리포트]"]  # fmt: skip
        en = ["[Anchor]", f"{en_org_cap} announced measures on {en_topic} today.",
              f"Reporter {reporter[1]} has the story.", "[Report]"]  # fmt: skip
        ko.append(f"{ko_org}에 따르면 올해 상반기 {ko_topic} 관련 신고는 {n_ko} 건으로, "
                  f"1년 전보다 {pct}% 늘었습니다.")  # fmt: skip
        en.append(f"According to {en_org}, reports linked to {en_topic} reached {n_en} in the "
                  f"first half of this year, up {pct} percent from a year earlier.")  # fmt: skip
        for _ in range(r.randint(2, 5)):
            k = r.randint(0, 3)
            if k == 0:
                (mk, me), p = r.choice(METRICS), self.pct()
                ko.append(f"특히 {ko_place} 지역에서는 {j(mk, '이')} {p}% 늘었습니다.")
                en.append(f"In {en_place} in particular, {me} rose {p} percent.")
            elif k == 1:
                who, (qk, qe), (tk, te) = self.name(), r.choice(QUOTES), r.choice(TITLES)
                ko.append(f'[{who[0]}/{ko_org} {tk} : "{qk}"]')
                en.append(f'[{who[1]}/{te}, {en_org}: "{qe}"]')
            elif k == 2:
                d, w, s = r.randint(1, 28), r.randint(2, 12), r.randint(13, 90)
                ko.append(f"{j(ko_org, '은')} 다음 달 {d}일부터 {w}주 동안 {s}곳에서 "
                          "현장 점검을 벌입니다.")  # fmt: skip
                en.append(f"{en_org_cap} will inspect {s} sites for {w} weeks starting on the "
                          f"{_ordinal(d)} of next month.")  # fmt: skip
            else:
                ko.append(f"이에 따라 {ko_topic}에 대한 우려도 커지고 있습니다.")
                en.append(f"Concerns about {en_topic} are growing as a result.")
        ko.append(f"KBS 뉴스 {reporter[0]}입니다.")
        en.append(f"KBS News, {reporter[1]}.")
        return ko, en

    def story(self) -> Story:
        r = self.rng
        day = dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 6 * 365))
        reporter, org, topic, place = (
            self.name(),
            r.choice(ORGS),
            r.choice(TOPICS),
            r.choice(PLACES),
        )
        ko, en = self.lines(reporter, org, topic, place)
        footer = self.composer.footer("KBS")
        after = day + dt.timedelta(days=r.choice((0, 0, 1)))
        ko_text = (f"date {day.isoformat()} {topic[0]}…{org[0]} 대책 발표\n"
                   + "\n\n".join(ko) + "\n\n" + "\n".join(footer) + "\n")  # fmt: skip
        en_text = (f"date {after.isoformat()} {topic[1][0].upper()}{topic[1][1:]}: measures\n"
                   + "\n\n".join(en) + "\n")  # fmt: skip
        follow = None
        if r.random() < 0.5:  # the next day, the same reporter, the same subject, new figures
            ko2, _ = self.lines(reporter, org, topic, place)
            nxt = day + dt.timedelta(days=1)
            follow = (f"date {nxt.isoformat()} {topic[0]}…{org[0]} 후속 조치\n"
                      + "\n\n".join(ko2) + "\n")  # fmt: skip
        return Story(ko_text, en_text, follow)


def bilingual(n: int, seed: int) -> list[Story]:
    """n stories; the first k of n are the k of a smaller n."""
    maker = Bilingual(random.Random(f"pairs-{seed}"))
    return [maker.story() for _ in range(n)]
