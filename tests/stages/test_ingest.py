import codecs
import datetime as dt
import os
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.config import Config, IngestConfig
from pipeline.context import Context
from pipeline.formats.base import Item
from pipeline.stages import ingest
from pipeline.stages.ingest import (
    Document,
    Rejected,
    list_raw,
    parse_header,
    plan,
    read_document,
)

KOREAN = "북한이 러시아 파병을 공식 인정했습니다.\n■ 제보하기\n"
CFG = IngestConfig()


def _read(tmp_path: Path, data: bytes, name: str = "a.txt") -> Document | Rejected:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path, name, CFG)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KOREAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + KOREAN.encode("utf-8"), "utf-8-sig"),
        (KOREAN.encode("cp949"), "cp949"),
        (KOREAN.encode("euc-kr"), "cp949"),  # EUC-KR is a subset of CP949
        (codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"), "utf-16"),
    ],
)
def test_decodes_every_korean_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    doc = _read(tmp_path, data)
    assert isinstance(doc, Document)
    assert doc.text == KOREAN
    assert doc.encoding == encoding


def test_normalises_nfd_crlf_and_zero_width(tmp_path: Path) -> None:
    raw = unicodedata.normalize("NFD", "제보\u200b하기\r\n둘째 줄\r셋째\ufeff")
    doc = _read(tmp_path, raw.encode("utf-8"))
    assert isinstance(doc, Document)
    assert doc.text == "제보하기\n둘째 줄\n셋째"


def test_doc_id_comes_from_the_content(tmp_path: Path) -> None:
    a = _read(tmp_path, "같은 글".encode(), "a.txt")
    b = _read(tmp_path, "같은 글".encode("cp949"), "b.txt")
    c = _read(tmp_path, "다른 글".encode(), "c.txt")
    assert isinstance(a, Document) and isinstance(b, Document) and isinstance(c, Document)
    assert a.doc_id == b.doc_id != c.doc_id
    assert len(a.doc_id) == 16


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        ("\u200b\u200b".encode(), "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        (b"\xff\xfe\xfa" * 10 + b"\x81", "undecodable"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    result = _read(tmp_path, data)
    assert isinstance(result, Rejected)
    assert result.reason == reason
    assert result.detail


def test_too_large_and_vanished_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 100)
    result = read_document(big, "big.txt", IngestConfig(max_bytes=10))
    assert isinstance(result, Rejected) and result.reason == "too_large"
    gone = read_document(tmp_path / "gone.txt", "gone.txt", CFG)
    assert isinstance(gone, Rejected) and gone.reason == "unreadable"


def test_header_gives_date_and_title() -> None:
    assert parse_header(" date 2025-04-28 동영상 고정 취소\n\n본문") == (
        dt.date(2025, 4, 28),
        "동영상 고정 취소",
        len(" date 2025-04-28 동영상 고정 취소\n"),
    )
    assert parse_header("date 2025-02-30 제목\n")[:2] == (None, "제목")
    assert parse_header("date 2024-01-05\n본문")[:2] == (dt.date(2024, 1, 5), None)
    assert parse_header("본문에 date 2024-01-05 가 있다") == (None, None, 0)


def test_a_document_on_one_line_after_its_date_is_body_not_title() -> None:
    body = "서울 물빛구가 오늘 새 도서관을 열었습니다. " * 10
    text = f" date 2024-10-21 {body}"
    date, title, end = parse_header(text)
    assert (date, title) == (dt.date(2024, 10, 21), None)
    assert text[end:] == body
    # a short one-line header is still a title
    assert parse_header("date 2024-10-21 짧은 제목")[:2] == (dt.date(2024, 10, 21), "짧은 제목")


def test_lists_recursively_in_order_and_survives_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b" / "c" / "뉴스 파일.txt").write_text("b")
    (tmp_path / "b" / "skip.json").write_text("{}")
    os.symlink(tmp_path / "b", tmp_path / "b" / "c" / "loop")
    assert [rel for _, rel in list_raw(tmp_path)] == ["a.txt", "b/c/뉴스 파일.txt"]


def test_batch_quarantines_duplicates_and_keeps_going(tmp_path: Path) -> None:
    for name, data in [("1.txt", "본문".encode()), ("2.txt", b""), ("3.txt", "본문".encode())]:
        (tmp_path / name).write_bytes(data)
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("1.txt", "2.txt", "3.txt"):
        (tmp_path / name).rename(raw / name)
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    plan(ctx, "fp")
    [batch] = ctx.catalog.batches() or []
    docs = ctx.catalog.read_part("documents", "fp", batch)
    quarantine = pq.read_table(ctx.catalog.whole("quarantine"))
    assert docs["source_path"].to_pylist() == ["1.txt"]
    assert quarantine.to_pylist() == [
        {"source_path": "2.txt", "record": None, "reason": "empty", "detail": "0 bytes, no text"},
        {
            "source_path": "3.txt",
            "record": None,
            "reason": "duplicate",
            "detail": "same text as 1.txt",
        },
    ]


@pytest.mark.parametrize("keep_bytes", [ingest.KEEP_BYTES, 0])
def test_a_first_run_reads_each_file_once_within_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_bytes: int
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for n in range(3):
        (raw / f"{n}.txt").write_text(f"본문 {n}번째 글", encoding="utf-8")
    reads: list[str] = []

    def counted(path: Path, source_path: str, cfg: IngestConfig) -> Document | Rejected:
        reads.append(source_path)
        if len(reads) == 5:  # past the budget the second read finds 1.txt changed meanwhile
            path.write_text("바뀐 글", encoding="utf-8")
        return read_document(path, source_path, cfg)

    monkeypatch.setattr(ingest, "KEEP_BYTES", keep_bytes)
    monkeypatch.setattr(ingest, "read_document", counted)
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    plan(ctx, "fp")
    [batch] = ctx.catalog.batches() or []
    kept = ctx.catalog.read_part("documents", "fp", batch)["source_path"].to_pylist()
    quarantine = pq.read_table(ctx.catalog.whole("quarantine")).to_pylist()
    if keep_bytes:
        assert reads == ["0.txt", "1.txt", "2.txt"] and kept == ["0.txt", "1.txt", "2.txt"]
        assert quarantine == []
    else:
        assert reads == ["0.txt", "1.txt", "2.txt", "0.txt", "1.txt", "2.txt"]
        assert kept == ["0.txt", "2.txt"]
        assert quarantine == [
            {
                "source_path": "1.txt",
                "record": None,
                "reason": "unreadable",
                "detail": "it changed while it was read",
            }
        ]


def _feed(raw: Path) -> None:
    lines = [
        '{"title": "첫째", "content": "첫째 기사입니다.", "date": "2026-03-01"}',
        "{not json",
        '{"title": "셋째", "content": "셋째 기사입니다.", "url": "https://a.example/3"}',
        '{"title": "넷째", "content": "첫째 기사입니다."}',
    ]
    (raw / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_files_state_lists_its_records(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _feed(raw)
    (raw / "a.txt").write_text("본문입니다.\n", encoding="utf-8")
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    plan(ctx, "fp")
    state = ctx.catalog.ingest_state() or {}
    feed, txt = state["files"]["feed.jsonl"], state["files"]["a.txt"]
    assert [record for record, _ in feed["docs"]] == [0, 2, 3]
    assert feed["docs"][0][1] == feed["docs"][2][1]  # the same text twice: one id
    assert [r[:2] for r in feed["rejected"]] == [[1, "bad_json"]]
    assert [record for record, _ in txt["docs"]] == [None] and "rejected" not in txt
    [batch] = state["batches"]
    assert [d[1:] for d in batch["docs"]] == [["a.txt", None], ["feed.jsonl", 0], ["feed.jsonl", 2]]
    quarantine = pq.read_table(ctx.catalog.whole("quarantine")).to_pylist()
    assert [(q["source_path"], q["record"], q["reason"]) for q in quarantine] == [
        ("feed.jsonl", 1, "bad_json"),
        ("feed.jsonl", 3, "duplicate"),
    ]
    assert quarantine[1]["detail"] == "same text as feed.jsonl record 0"
    docs = ctx.catalog.read_part("documents", "fp", batch["id"]).to_pylist()
    assert [(d["record"], d["title"], d["url"]) for d in docs] == [
        (None, None, None),
        (0, "첫째", None),
        (2, "셋째", "https://a.example/3"),
    ]
    assert docs[1]["published_date"] == dt.date(2026, 3, 1)


def test_lists_the_formats_it_is_asked_for_and_counts_the_others(tmp_path: Path) -> None:
    for name in ("a.txt", "b.jsonl", "c.json", "d.warc.gz", "e.gz", "f.html", "g.csv"):
        (tmp_path / name).write_text("x")
    left_out: Counter[str] = Counter()
    listed = [rel for _, rel in list_raw(tmp_path, ("txt", "warc.gz", "csv"), left_out)]
    assert listed == ["a.txt", "d.warc.gz", "g.csv"]
    assert left_out == Counter({"jsonl": 1, "json": 1, "html": 1})


def test_past_its_budget_a_file_of_records_is_read_once_more_not_once_a_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    _feed(raw)
    opened: list[str] = []
    real = ingest.READERS["jsonl"]

    def counted(path: Path, source_path: str, cfg: IngestConfig) -> Iterator[Item]:
        opened.append(source_path)
        return real(path, source_path, cfg)

    monkeypatch.setattr(ingest, "KEEP_BYTES", 0)
    monkeypatch.setitem(ingest.READERS, "jsonl", counted)
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    plan(ctx, "fp")
    assert opened == ["feed.jsonl", "feed.jsonl"]
    [batch] = ctx.catalog.batches() or []
    assert len(batch) == 2
