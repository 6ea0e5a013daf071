import pyarrow as pa

from pipeline.config import Config
from pipeline.rules import RuleSet
from pipeline.rules.broadcaster import infer_broadcaster
from pipeline.schemas import DOCUMENTS, REMOVED, TOKENS
from pipeline.stages.detect import detect_batch
from pipeline.stages.export import export_batch
from pipeline.stages.ingest import parse_header
from pipeline.stages.strip import build_body


def _seg(seg_id: int, line: int, para: int, text: str, start: int, part: str = "body") -> dict:
    return {
        "seg_id": seg_id,
        "line": line,
        "para": para,
        "text": text,
        "start": start,
        "part": part,
    }


def test_body_keeps_lines_in_order_and_paragraphs_apart() -> None:
    segments = [
        _seg(0, 0, 0, "첫 줄.", 0), _seg(1, 1, 0, "둘째 줄.", 5),
        _seg(2, 3, 1, "새 문단.", 20), _seg(3, 4, 1, "■ 제보하기", 30, "footer"),
    ]  # fmt: skip
    body, kept = build_body(segments, [])
    assert body == "첫 줄.\n둘째 줄.\n\n새 문단."
    assert kept == ["첫 줄.", "둘째 줄.", "새 문단."]


def test_a_span_removed_inside_a_line_leaves_the_rest_of_the_line() -> None:
    segments = [_seg(0, 0, 0, "본문입니다. 구독하세요! 다음 문장.", 100)]
    removed = [{"seg_id": 0, "start": 107, "end": 113}]
    body, _ = build_body(segments, removed)
    assert body == "본문입니다. 다음 문장."


def _documents(text: str, path: str = "x.txt") -> pa.Table:
    date, title, header_end = parse_header(text)
    return pa.Table.from_pylist(
        [{"doc_id": "d", "source_path": path, "text": text, "encoding": "utf-8",
          "published_date": date, "title": title, "header_end": header_end}],
        schema=DOCUMENTS,
    )  # fmt: skip


def test_articles_row_title_counts_and_verdicts(rules: RuleSet, config: Config) -> None:
    text = "date 2025-04-28 동영상 고정 취소\nThe port was closed.\nKBS News, Park Min-ji.\n■ 제보하기\n▷ 전화 : 02-781-1234, 4444"
    docs = _documents(text)
    segments = detect_batch(docs, rules, config.detect)
    promo = [s for s in segments.to_pylist() if s["rule_id"]]
    removed = pa.Table.from_pylist(
        [{"doc_id": "d", "seg_id": s["seg_id"], "start": s["start"], "end": s["end"],
          "text": s["text"], "rule_id": s["rule_id"], "kind": "tipline"} for s in promo],
        schema=REMOVED,
    )  # fmt: skip
    tokens = pa.Table.from_pylist(
        [{"doc_id": "d", "seg_id": 2, "tok_id": i, "form": f, "tag": "SL", "lemma": None,
          "start": 0, "end": 1, "lang": "en", "part": "body"} for i, f in enumerate("abc")],
        schema=TOKENS,
    )  # fmt: skip
    articles, final, quotes = export_batch(docs, segments, removed, tokens, rules, config.detect)
    [row] = articles.to_pylist()
    assert row["title"] is None  # "동영상 고정 취소" is YouTube's, not a title
    assert str(row["published_date"]) == "2025-04-28"
    assert row["body"] == "The port was closed.\nKBS News, Park Min-ji."
    assert (row["lang"], row["broadcaster"]) == ("en", "KBS")
    assert (row["n_lines"], row["n_tokens"], row["n_removed"]) == (2, 3, 3)
    assert row["n_chars"] == len(row["body"])
    assert (row["reporters"], row["credits"], quotes.num_rows) == (["Park Min-ji"], [], 0)
    roles = {s["text"]: s["role"] for s in final.to_pylist()}
    assert (roles["The port was closed."], roles["KBS News, Park Min-ji."]) == ("text", "signoff")
    assert roles["■ 제보하기"] is None  # the footer has no role
    verdicts = {s["text"]: (s["promo"], s["rule_id"]) for s in final.to_pylist()}
    assert verdicts["■ 제보하기"] == (True, "kbs_tipline_head_v1")
    assert verdicts["The port was closed."] == (False, None)


def test_broadcaster_from_footer_then_sign_off_then_path(rules: RuleSet) -> None:
    assert (
        infer_broadcaster("본문", "a.txt", ["ytn_tipline_item_v1", "generic_copyright_v1"], rules)
        == "YTN"
    )
    assert infer_broadcaster("뉴욕에서 KBS 뉴스 박일중입니다.", "a.txt", [], rules) == "KBS"
    assert infer_broadcaster("본문", "mbc/2024/a.txt", [], rules) == "MBC"
    assert (
        infer_broadcaster("(사진=연합뉴스) 본문", "a.txt", ["generic_copyright_v1"], rules) is None
    )
