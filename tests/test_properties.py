"""Properties of the text functions, over generated documents built from real footer pieces."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import DetectConfig
from pipeline.rules import RuleSet
from pipeline.schemas import LANGS
from pipeline.stages.detect import segment, segment_lang
from pipeline.stages.strip import strip_promotions
from pipeline.text import normalise

PIECES = [
    "■ 제보하기",
    "▷ 전화 : 02-781-1234, 4444",
    "▷ 이메일 : kbs1234@kbs.co.kr",
    "▷ 카카오톡 : 'KBS제보' 검색, 채널 추가",
    "▷ 네이버, 유튜브에서 KBS뉴스를 구독해주세요!",
    "※ '당신의 제보가 뉴스가 됩니다'",
    "[전화] 02-398-8585",
    "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>",
    "동영상 고정 취소",
    "KBS News, Kim Kyung-jin.",
    "카카오톡 메시지 장애가 이어졌다.",
    "경찰은 제보를 받고 출동했습니다.",
    "The treaty was signed.",
    "(끝)",
    "홍길동 기자 (hong@kbs.co.kr)",
]
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(min_size=0, max_size=30)), min_size=0, max_size=12
).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["\n", "\n\n", "", " "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: normalise("".join(p + s for p, s in zip(parts, seps, strict=True))))
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _visible(text: str) -> str:
    return "".join(text.split())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@SETTINGS
@given(text=texts)
def test_stripping_is_idempotent_and_never_adds_text(rules: RuleSet, text: str) -> None:
    once = strip_promotions(text, rules).body
    assert strip_promotions(once, rules).body == once
    assert _is_subsequence(_visible(once), _visible(text))


@SETTINGS
@given(text=texts)
def test_spans_and_segments_lie_inside_their_text(rules: RuleSet, text: str) -> None:
    spans = strip_promotions(text, rules).spans
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    for seg in segment(text, 0, spans):
        assert 0 <= seg["start"] < seg["end"] <= len(text)
        assert text[seg["start"] : seg["end"]] == seg["text"] == seg["text"].strip()


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_language_labels_come_from_the_allowed_set_and_repeat(text: str) -> None:
    cfg = DetectConfig()
    label = segment_lang(text, cfg)
    assert label in LANGS
    assert segment_lang(text, cfg) == label


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80))
def test_normalise_is_idempotent_and_clean(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once and "\u200b" not in once and "\x00" not in once


@SETTINGS
@given(text=texts)
def test_spans_never_overlap(rules: RuleSet, text: str) -> None:
    spans = sorted(strip_promotions(text, rules).spans, key=lambda s: s.start)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
