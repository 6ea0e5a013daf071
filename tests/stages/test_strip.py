"""Every case asserts both sides: the promotion is gone and the body next to it is kept."""

from typing import Any

import pyarrow as pa
import pytest

from pipeline.config import Config
from pipeline.rules import RuleSet
from pipeline.schemas import DOCUMENTS
from pipeline.stages.detect import detect_batch
from pipeline.stages.strip import (
    removed_rows,
    strip_batch,
    strip_document,
    strip_promotions,
)
from pipeline.stages.tokenize import tokenize_batch
from pipeline.text import collapse_ws

KBS_BLOCK = (
    "■ 제보하기\n▷ 전화 : 02-781-1234, 4444\n▷ 이메일 : kbs1234@kbs.co.kr\n"
    "▷ 카카오톡 : 'KBS제보' 검색, 채널 추가\n▷ 네이버, 유튜브에서 KBS뉴스를 구독해주세요!"
)


def _clean(text: str, rules: RuleSet) -> str:
    return collapse_ws(strip_promotions(text, rules).body)


def test_kbs_footer_block_goes_and_the_byline_after_it_stays(rules: RuleSet) -> None:
    text = f"시장은 하락했습니다.\nKBS 뉴스 박일중입니다.\n\n{KBS_BLOCK}\n\n\n박일중 기자 (ilj@kbs.co.kr)"
    body = _clean(text, rules)
    assert "제보하기" not in body and "구독해주세요" not in body and "02-781-1234" not in body
    assert "KBS 뉴스 박일중입니다." in body and "박일중 기자 (ilj@kbs.co.kr)" in body


def test_crawled_footer_without_markers_is_cut_as_a_span(rules: RuleSet) -> None:
    text = (
        "대통령은 세금 도입을 거두라고 요구했습니다. 영상편집 백성현 제보하기 전화 02 781 1234, 4444 "
        "이메일 카카오톡 KBS제보 검색, 채널 추가 네이버, 유튜브에서 KBS뉴스를 구독해주세요!"
    )
    body = _clean(text, rules)
    assert body == "대통령은 세금 도입을 거두라고 요구했습니다. 영상편집 백성현"


def test_footer_glued_to_the_last_sentence(rules: RuleSet) -> None:
    text = "면허가 취소된 상태입니다.※ '당신의 제보가 뉴스가 됩니다'[카카오톡] YTN 검색해 채널 추가[전화] 02-398-8585"
    assert _clean(text, rules) == "면허가 취소된 상태입니다."


def test_translated_footer_glued_to_an_english_sign_off(rules: RuleSet) -> None:
    text = "Stocks fell.I'm Kang Na-rim from New York.▷ Call 02-784-4000▷ Email mbcjebo@mbc.co.kr"
    assert _clean(text, rules) == "Stocks fell.I'm Kang Na-rim from New York."


def test_youtube_description_with_a_link_and_a_glued_byline(rules: RuleSet) -> None:
    text = (
        "KBS 뉴스 홍화경입니다.\n▣ KBS 기사 원문보기 : http://news.kbs.co.kr/news/view.do?ncd=7654321\n"
        "▣ 제보 하기\n◇ 카카오톡 : 'KBS제보' 검색\n◇ 홈페이지 : https://goo.gl/4bWbkG홍화경 기자 (vivid@kbs.co.kr)"
    )
    body = _clean(text, rules)
    assert "원문보기" not in body and "goo.gl" not in body and "카카오톡" not in body
    assert "KBS 뉴스 홍화경입니다." in body and "홍화경 기자 (vivid@kbs.co.kr)" in body


@pytest.mark.parametrize(
    "sentence",
    [
        "카카오톡이 4일 오후 메시지 송수신 장애를 일으켰다.",
        "피해 사례는 이메일(help@example.com)이나 전화 02-123-4567로 받는다고 밝혔다.",
        "YTN은 유튜브 구독자 수가 400만 명을 넘었다고 밝혔습니다.",
        "경찰은 시민의 제보를 받고 현장에 출동했습니다.",
        "KBS뉴스와 MBC뉴스, SBS뉴스 채널의 구독자 수를 비교했습니다.",
    ],
)
def test_body_that_talks_about_channels_stays(rules: RuleSet, sentence: str) -> None:
    text = f"첫 문장입니다.\n{sentence}\n마지막 문장입니다."
    assert strip_promotions(text, rules).spans == []
    assert _clean(text, rules) == collapse_ws(text)


def test_copyright_notice_inline_after_the_end_marker(rules: RuleSet) -> None:
    text = "규제 조치에 나서고 있다. firstcircle@yna.co.kr (끝) <저작권자(c) 연합뉴스, 무단 전재-재배포 금지>"
    assert _clean(text, rules) == "규제 조치에 나서고 있다. firstcircle@yna.co.kr (끝)"


def _docs(text: str) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "doc_id": "d",
                "source_path": "d.txt",
                "text": text,
                "encoding": "utf-8",
                "published_date": None,
                "title": None,
                "header_end": 0,
            }
        ],
        schema=DOCUMENTS,
    )


@pytest.mark.parametrize(
    "call", ["OBC 채널을 구독하세요!", "OBC 채널을 구독해 주세요!", "구독 부탁드립니다!"]
)
def test_token_rules_catch_every_inflection(
    rules: RuleSet, config: Config, kiwi: Any, call: str
) -> None:
    text = f"시민들은 불편을 호소했습니다.\n{call}"
    docs = _docs(text)
    segments = detect_batch(docs, rules, config.detect)
    tokens = tokenize_batch(segments, 2)["tokens"]
    removed = strip_batch(docs, segments, tokens, rules).to_pylist()
    assert [r["text"] for r in removed] == [call]
    assert removed[0]["rule_id"] == "generic_subscribe_call_v1"


def test_a_quoted_request_in_the_body_is_not_a_subscription_call(
    rules: RuleSet, config: Config, kiwi: Any
) -> None:
    text = '그는 "구독해 주세요"라고 말하며 웃었습니다.'
    docs = _docs(text)
    segments = detect_batch(docs, rules, config.detect)
    removed = strip_batch(docs, segments, tokenize_batch(segments, 2)["tokens"], rules)
    assert removed.num_rows == 0


def test_every_removal_names_its_rule_and_lies_in_its_segment(
    rules: RuleSet, config: Config, kiwi: Any
) -> None:
    text = f"본문 첫 줄입니다.\n{KBS_BLOCK}"
    docs = _docs(text)
    segments = detect_batch(docs, rules, config.detect)
    removed = strip_batch(docs, segments, tokenize_batch(segments, 2)["tokens"], rules).to_pylist()
    assert len(removed) == 5
    bounds = {s["seg_id"]: (s["start"], s["end"]) for s in segments.to_pylist()}
    for r in removed:
        assert r["rule_id"] and text[r["start"] : r["end"]] == r["text"]
        lo, hi = bounds[r["seg_id"]]
        assert lo <= r["start"] < r["end"] <= hi


def test_a_chain_left_at_a_line_end_by_another_removal_goes_in_the_same_pass(
    rules: RuleSet,
) -> None:
    # Hypothesis found it: the second "■ 제보하기" of the third line goes with the block under
    # it, after which the first chain ends its line at "(끝)" and is a footer too.
    text = "KBS News, Kim Kyung-jin.■ 제보하기\n■ 제보하기\n■ 제보하기(끝)■ 제보하기\n■ 제보하기\n"
    once = strip_promotions(text, rules).body
    assert once == "KBS News, Kim Kyung-jin.\n(끝)"
    assert strip_promotions(once, rules).body == once


def test_a_batch_removes_what_the_engine_finds_document_by_document(
    rules: RuleSet, config: Config, kiwi: Any
) -> None:
    texts = [
        f"본문 첫 줄입니다.\n{KBS_BLOCK}",
        f"구독 소식을 전합니다.\n채널을 구독해 주세요!\n{KBS_BLOCK}",
        "아무것도 지울 것이 없는 본문입니다.",
        "동영상 고정 취소\n본문입니다.\n▶ 제보하기\n▷ 카카오톡 : 'KBS제보' 검색",
    ]
    docs = pa.concat_tables(
        [_docs(t).set_column(0, "doc_id", pa.array([f"d{i}"])) for i, t in enumerate(texts)]
    )
    segments = detect_batch(docs, rules, config.detect)
    tokens = tokenize_batch(segments, 2)["tokens"]
    expected = []
    for doc_id, text in zip(docs["doc_id"].to_pylist(), texts, strict=True):
        segs = [s for s in segments.to_pylist() if s["doc_id"] == doc_id]
        toks = [t for t in tokens.to_pylist() if t["doc_id"] == doc_id]
        spans = strip_document(text, 0, segs, toks, rules)
        expected += removed_rows(doc_id, text, spans, segs)
    removed = strip_batch(docs, segments, tokens, rules).to_pylist()
    assert removed == expected
    assert {r["doc_id"] for r in removed} == {"d0", "d1", "d3"}
    assert "채널을 구독해 주세요!" in [r["text"] for r in removed]
