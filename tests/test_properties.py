"""Properties of the text functions, over generated documents built from real footer pieces."""

from __future__ import annotations

import itertools
import random
import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.config import DetectConfig
from pipeline.rules import RuleSet, load_rules
from pipeline.rules.engine import _blanked
from pipeline.schemas import DOCUMENTS, LANGS
from pipeline.stages.detect import detect_batch, segment, segment_lang
from pipeline.stages.strip import strip_promotions
from pipeline.text import (
    letter_counts_many,
    normalise,
    script_counts,
    script_counts_many,
    scripts,
)

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
# found by hypothesis: a chain over a line break whose first item does not start its line and
# whose last does not end its line was kept, and its second half went on a second pass
@example(
    text="■ 제보하기\n■ 제보하기\nKBS News, Kim Kyung-jin.▷ 전화 : 02-781-1234, 4444\n"
    "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>00카카오톡 메시지 장애가 이어졌다.\n"
)
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
@example(text="a\ud800b\udfff")  # lone surrogates (JSON escapes) become U+FFFD
def test_normalise_is_idempotent_and_clean(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once and "\u200b" not in once and "\x00" not in once
    once.encode("utf-8")  # what Parquet stores: no lone surrogate left


@SETTINGS
@given(text=texts)
def test_spans_never_overlap(rules: RuleSet, text: str) -> None:
    spans = sorted(strip_promotions(text, rules).spans, key=lambda s: s.start)
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start


# The definition script_counts_many implements with arrays, written the plain way: addresses
# out, then letters counted by script with regular expressions.
_ORACLE_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+|\b[\w-]+(?:\.[a-z]{2,})+(?:/\S*)?",
    re.IGNORECASE,
)
_ORACLE_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_ORACLE_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_ORACLE_LETTER = re.compile(r"[^\W\d_]")


def _oracle(text: str) -> tuple[int, int, int]:
    text = _ORACLE_ADDRESS.sub(" ", text)
    hangul = len(_ORACLE_HANGUL.findall(text))
    latin = len(_ORACLE_LATIN.findall(text))
    return hangul, latin, max(0, len(_ORACLE_LETTER.findall(text)) - hangul - latin)


segment_texts = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=40),
        st.text(alphabet="가힣ㄱㅏ abZé@.:/_-1www http ①²𠀀一", max_size=40),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(texts=segment_texts)
@example(texts=["see http://123 now", "WWW.1 then", "mail a@b.kr 기자", "@handle 님"])
@example(texts=["site.\u212a\u212a 기사", "x.\u0130\u0131 y.\u017fk", "ab", "a", ""])
def test_script_counts_of_a_batch_are_each_text_counted_alone(texts: list[str]) -> None:
    counts = script_counts_many(texts).tolist()
    assert counts == [list(_oracle(t)) for t in texts]
    assert [tuple(c) for c in counts] == [script_counts(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(segment_texts, max_size=5))
@example(lines=[["mail a@b", ".kr x"], ["www.", "kbs.co.kr", "http://", "x.y 기자"]])
def test_a_body_counted_by_its_lines_is_the_body_counted_whole(lines: list[list[str]]) -> None:
    # the signal stage counts each line (its pieces joined by a blank) and adds the lines up
    # where body_langs counts the pieces joined by newlines
    pieces = [piece for line in lines for piece in line]
    whole = letter_counts_many(["\n".join(pieces)])
    by_line = letter_counts_many([" ".join(line) for line in lines]).sum(axis=0, keepdims=True)
    assert by_line.tolist() == whole.tolist()
    assert scripts(by_line).tolist() == script_counts_many(["\n".join(pieces)]).tolist()


@SETTINGS
@given(text=texts)
def test_the_prefilter_changes_no_rule_match(rules: RuleSet, text: str) -> None:
    # Every rule the prefilter leaves out finds nothing; every rule it lets through finds, from
    # the start it gives, exactly what a scan of the whole text finds.
    assert rules.prefilter.active
    given_start = {r.id: start for r, start in rules.prefilter.candidates(text)}
    for rule in rules.rules:
        if rule.pattern is None:
            continue
        whole = [m.span() for m in rule.pattern.finditer(text)]
        if rule.id not in given_start:
            assert whole == [], rule.id
        else:
            assert whole == [m.span() for m in rule.pattern.finditer(text, given_start[rule.id])]


@SETTINGS
@given(text=texts)
def test_the_sign_off_search_finds_the_first_pack_a_plain_search_finds(
    rules: RuleSet, text: str
) -> None:
    plain = next((p for p in rules.packs if any(s.search(text) for s in p.signoffs)), None)
    assert rules.signed_off(text) is plain


@given(
    text=st.text(max_size=50),
    pairs=st.lists(st.tuples(st.integers(0, 55), st.integers(0, 55)), max_size=6),
)
def test_blanking_spaces_out_the_ranges_and_nothing_else(
    text: str, pairs: list[tuple[int, int]]
) -> None:
    ranges = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    blanked = _blanked(text, ranges)
    covered = {i for a, b in ranges for i in range(a, b)}
    assert len(blanked) == len(text)
    assert all((c == " ") if i in covered else (c == text[i]) for i, c in enumerate(blanked))


# --- the generic detector ------------------------------------------------------------------------

# Footer shapes of outlets no pack names, bodies that talk about the same things, furniture.
WILD_PIECES = [
    "▶ 인기 무료만화",
    "© 한빛일보, 무단전재 및 재배포 금지",
    "※ 여러분의 제보가 세상을 바꿉니다.",
    "카카오톡 : @한빛제보",
    "▷ 이메일 jebo@hanbit.example.kr",
    "▶ 네이버에서 한빛일보 구독하기",
    "📢 구독 ▶ https://youtube.com/@hanbitnews",
    "#한빛방송 #한빛뉴스",
    "#환경 #플라스틱",
    "Follow us on Instagram and X.",
    "------------",
    "인용 시 '한빛라디오'로 출처를 밝혀주시기 바랍니다.",
    "강지호 기자 jiho@hanbit.example.kr",
    "한빛방송 박지훈입니다.",
    '그는 "구독과 좋아요 부탁드립니다"라고 말했습니다.',
    "경찰은 시민들의 제보를 당부했습니다.",
    "Millions subscribe to streaming services.",
]
wild_texts = st.lists(
    st.one_of(st.sampled_from(WILD_PIECES), st.text(min_size=0, max_size=20)),
    min_size=0,
    max_size=12,
).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["\n", "\n\n", "", " "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: normalise("".join(p + s for p, s in zip(parts, seps, strict=True))))
)


@pytest.fixture(scope="module")
def generic_rules() -> RuleSet:
    return load_rules(None, "generic", detector=True)


@SETTINGS
@given(text=wild_texts)
# found by hypothesis: the byline's outlet word ("Follow 강지호 기자") cut into the hashtag before it
@example(
    text="▶ 인기 무료만화\n© 한빛일보, 무단전재 및 재배포 금지#한빛방송 #한빛뉴스"
    "Follow us on Instagram and X.강지호 기자 jiho@hanbit.example.kr\n"
)
def test_the_detector_is_idempotent_and_never_adds_text(generic_rules: RuleSet, text: str) -> None:
    once = strip_promotions(text, generic_rules).body
    assert strip_promotions(once, generic_rules).body == once, repr(text)
    assert _is_subsequence(_visible(once), _visible(text))


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(wild_texts, min_size=2, max_size=8, unique=True),
    order=st.randoms(use_true_random=False),
    size=st.integers(1, 4),
)
def test_a_documents_segments_do_not_depend_on_its_batch(
    texts: list[str], order: random.Random, size: int
) -> None:
    rules = load_rules(None, "generic", detector=True)
    docs = [(f"d{i}", t) for i, t in enumerate(texts)]

    def segments(batches: list[list[tuple[str, str]]]) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        for batch in batches:
            table = pa.table(
                {
                    "doc_id": [d for d, _ in batch],
                    "source_path": [f"{d}.txt" for d, _ in batch],
                    "text": [t for _, t in batch],
                    "encoding": ["utf-8"] * len(batch),
                    "published_date": [None] * len(batch),
                    "title": [None] * len(batch),
                    "header_end": [0] * len(batch),
                    "record": [None] * len(batch),
                    "url": [None] * len(batch),
                    "outlet": [None] * len(batch),
                },
                schema=DOCUMENTS,
            )
            for row in detect_batch(table, rules, DetectConfig()).to_pylist():
                found.setdefault(row["doc_id"], []).append(row)
        return found

    alone = segments([[d] for d in docs])
    shuffled = list(docs)
    order.shuffle(shuffled)
    together = segments([shuffled[i : i + size] for i in range(0, len(shuffled), size)])
    assert together == alone
