"""The inputs people have: JSON lines, JSON, CSV, HTML and WARC, each record one document."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import Config, Fields, IngestConfig, load_config
from pipeline.errors import ConfigError
from pipeline.formats import READERS
from pipeline.formats.base import Document, Rejected
from pipeline.formats.records import parse_date
from pipeline.rules import RuleSet
from pipeline.rules.broadcaster import name_outlet
from tests.conftest import FIXTURES, ROOT, published

FORMATS = FIXTURES / "formats"
sys.path.insert(0, str(FORMATS))
import make_warc  # noqa: E402  the fixture's own builder, beside it

ALL = '["txt", "jsonl", "json", "csv", "html", "htm", "warc", "warc.gz"]'

# One made-up article, to be written in every format: two paragraphs, a line break inside the
# second, a byline, and a KBS tip-line footer that strip removes.
TITLE = "한빛시, 시내버스 첫차 30분 앞당긴다"
DATE = "2026-03-24"
URL = "https://news.kbs.example/news/view.do?ncd=1250"
PARAGRAPHS = [
    ["한빛시가 다음 달부터 시내버스 첫차를 30분 앞당겨 새벽 5시에 운행합니다."],
    [
        "시는 새벽에 일터로 나가는 시민이 늘었다며 노선 20개의 첫차 시간을 바꾸기로 했습니다.",
        "막차 시간은 지금과 같습니다.",
    ],
    ["KBS 뉴스 이도윤입니다."],
    ["■ 제보하기", "▷ 전화 : 02-781-1234, 4444", "▷ 이메일 : kbs1234@kbs.co.kr"],
]
TEXT = "\n\n".join("\n".join(lines) for lines in PARAGRAPHS)
BODY = "\n\n".join("\n".join(lines) for lines in PARAGRAPHS[:3])


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "pipeline.toml"
    channels = (ROOT / "config" / "channels").as_posix()
    path.write_text(
        f"[pipeline]\nbatch_docs = 2\n[ingest]\nformats = {ALL}\n{extra}"
        f'[strip]\nchannels = "{channels}"\n'
    )
    return path


def _html() -> str:
    paragraphs = "\n".join(f"<p>{'<br>'.join(lines)}</p>" for lines in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{TITLE} | KBS 뉴스</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="KBS 뉴스">
<meta property="og:url" content="{URL}">
<meta property="article:published_time" content="{DATE}T06:00:00+09:00">
</head><body><nav><a href="/">홈</a> <a href="/news">뉴스</a></nav>
<article><h1>{TITLE}</h1>
{paragraphs}
</article><footer>KBS</footer></body></html>
"""


def _warc(html: str) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("a.warc.gz", {"software": "test"}))
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], "HTTP/1.1")
    record = writer.create_warc_record(
        URL, "response", payload=io.BytesIO(html.encode()), http_headers=http
    )
    writer.write_record(record)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def _as(fmt: str) -> tuple[str, bytes]:
    """The article as a file of the format: its name and bytes, in the shape a tool writes."""
    record = {"title": TITLE, "maintext": TEXT, "date_publish": f"{DATE} 06:00:00", "url": URL,
              "source_domain": "news.kbs.co.kr"}  # fmt: skip
    if fmt == "txt":
        return "kbs_bus.txt", f"date {DATE} {TITLE}\n{TEXT}\n".encode()
    if fmt == "jsonl":
        return "feed.jsonl", (json.dumps(record, ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        rows = [["date", "outlet", "title", "text", "url"], [DATE, "KBS", TITLE, TEXT, URL]]
        return "export.csv", _csv(rows).encode("utf-8")
    if fmt == "html":
        return "page.html", _html().encode()
    return "crawl.warc.gz", _warc(_html())


@pytest.mark.parametrize("fmt", ["txt", "jsonl", "csv", "html", "warc"])
def test_the_same_article_gives_the_same_body_in_every_format(
    run_cli, tmp_path: Path, fmt: str
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    name, data = _as(fmt)
    (raw / name).write_bytes(data)
    code, _, err = run_cli("run", "--raw", raw, "--out", out, "--config", _config(tmp_path), "-q")
    assert code == 0, err
    [row] = pd.read_parquet(out / "articles.parquet").to_dict("records")
    assert row["body"] == BODY
    assert "제보하기" not in row["body"] and "막차 시간은 지금과 같습니다." in row["body"]
    assert row["published_date"] == dt.date(2026, 3, 24)
    assert row["title"] == TITLE
    assert row["broadcaster"] == "KBS"
    assert row["source_path"] == name
    assert (None if pd.isna(row["url"]) else row["url"]) == (None if fmt == "txt" else URL)
    record = None if pd.isna(row["record"]) else row["record"]
    assert record == {"txt": None, "jsonl": 0, "csv": 0, "html": None, "warc": 1}[fmt]


def _plan(raw: Path, tmp_path: Path, extra: str = "") -> tuple[list[dict], list[dict], dict]:
    """ingest alone over raw: the documents (all batches) and the quarantine rows, with counts."""
    from pipeline.context import Context
    from pipeline.stages.ingest import plan

    ctx = Context(raw, tmp_path / "out", load_config(_config(tmp_path, extra)))
    result = plan(ctx, "fp")
    docs = [
        row
        for b in result.batches
        for row in ctx.catalog.read_part("documents", "fp", b).to_pylist()
    ]
    quarantine = pd.read_parquet(ctx.catalog.whole("quarantine")).to_dict("records")
    return docs, quarantine, dict(result.counts)


def test_every_fixture_is_ingested_or_quarantined_by_record(tmp_path: Path) -> None:
    docs, quarantine, counts = _plan(FORMATS, tmp_path, 'csv_preset = "koreanewscrawler"\n')
    assert sorted((d["source_path"], d["record"]) for d in docs) == [
        ("crawl.warc", 2), ("crawl.warc", 3),
        ("koreanewscrawler_euckr.csv", 0), ("koreanewscrawler_euckr.csv", 1),
        ("koreanewscrawler_euckr.csv", 3),
        ("newsplease/news.hanbit.example_bus-routes.json", None),
        ("scrapy_export_bom.csv", 0),
        ("scrapy_feed.jsonl", 0), ("scrapy_feed.jsonl", 1), ("scrapy_feed.jsonl", 5),
        ("scrapy_items.json", 0), ("scrapy_items.json", 2),
    ]  # fmt: skip
    rows = [(q["source_path"], None if pd.isna(q["record"]) else q["record"], q["reason"])
            for q in quarantine]  # fmt: skip
    assert rows == [
        ("crawl.warc", 6, "no_text"),  # the section front: no article
        ("crawl.warc", 7, "truncated"),  # the file ends inside it
        ("hanbit_night_market.html", None, "duplicate"),  # the page of crawl.warc record 2
        ("hanbit_section_front.html", None, "no_text"),
        ("koreanewscrawler_euckr.csv", 2, "no_text"),
        ("newsplease/news.hanbit.example_gallery.json", None, "no_text"),  # maintext null
        ("scrapy_export_bom.csv", 1, "bad_date"),  # 2026-02-30
        ("scrapy_feed.jsonl", 2, "bad_date"),  # "어제 오후"
        ("scrapy_feed.jsonl", 3, "no_text"),
        ("scrapy_feed.jsonl", 4, "bad_json"),  # a line cut short
        ("scrapy_items.json", 1, "bad_json"),  # an item whose quote is not closed
    ]
    details = {(q["source_path"], q["reason"]): q["detail"] for q in quarantine}
    assert details["hanbit_night_market.html", "duplicate"] == "same text as crawl.warc record 2"
    assert details["crawl.warc", "truncated"].startswith("the file ends ")
    assert details["scrapy_feed.jsonl", "bad_date"] == "'어제 오후' is not a date"
    assert details["koreanewscrawler_euckr.csv", "no_text"] == "no text in column 4"
    # The 404 and the JPEG of crawl.warc are skipped and counted, not quarantined.
    assert (counts["skipped_status"], counts["skipped_not_html"], counts["skipped"]) == (1, 1, 2)
    by_place = {(d["source_path"], d["record"]): d for d in docs}
    knc = by_place["koreanewscrawler_euckr.csv", 0]
    assert (knc["published_date"], knc["title"], knc["outlet"], knc["encoding"]) == (
        dt.date(2026, 3, 17), "한빛시 공공자전거 천 대 늘린다", "한빛일보", "cp949",
    )  # fmt: skip
    assert knc["url"] == "https://news.hanbit.example/article/1201"
    page = by_place["crawl.warc", 3]  # EUC-KR, as its HTTP header says
    assert page["encoding"] == "cp949" and page["title"] == "물빛군, 마을버스 세 노선 새로 연다"
    assert page["text"].startswith("물빛군이 다음 달부터 마을버스 세 노선을 새로 운행합니다.\n\n")
    assert page["url"] == "https://www.mulbit.example/news/20260323-bus"
    news = by_place["newsplease/news.hanbit.example_bus-routes.json", None]
    assert (news["published_date"], news["outlet"]) == (dt.date(2026, 3, 20), "news.hanbit.example")


def test_json_is_read_only_when_listed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from pipeline.context import Context
    from pipeline.stages.ingest import plan

    raw = tmp_path / "raw"
    shutil.copytree(FORMATS / "newsplease", raw)
    (raw / "a.txt").write_text("본문입니다.\n")
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    with caplog.at_level("INFO", logger="pipeline.stages.ingest"):
        counts = plan(ctx, "fp").counts
    assert counts["files"] == 1
    assert "not read, as ingest.formats leaves them out: 2 .json" in caplog.text


def _records(n: int, start: int = 0) -> str:
    lines = []
    for i in range(start, start + n):
        lines.append(json.dumps({
            "title": f"한빛시 소식 {i}", "content": f"한빛시 {i}번째 소식입니다.\n구청은 {i}일에 발표했습니다.",
            "date": f"2026-03-{i + 1:02d}", "url": f"https://news.hanbit.example/{i}", "source": "한빛일보",
        }, ensure_ascii=False))  # fmt: skip
    return "\n".join(lines) + "\n"


def test_a_file_that_grows_by_records_adds_only_the_new_documents(run_cli, tmp_path: Path) -> None:
    raw, out, fresh = tmp_path / "raw", tmp_path / "out", tmp_path / "fresh"
    raw.mkdir()
    feed = raw / "feed.jsonl"
    feed.write_text(_records(3), encoding="utf-8")
    (raw / "a.txt").write_text("date 2026-03-01 따로 있는 글\n한빛시 따로 있는 글입니다.\n")
    config = _config(tmp_path)

    def run(target: Path) -> dict:
        code, _, err = run_cli("run", "--raw", raw, "--out", target, "--config", config, "-q")
        assert code == 0, err
        manifest = sorted((target / "runs").glob("*.json"))[-1]
        return json.loads(manifest.read_text())["stages"]

    first = run(out)
    assert first["ingest"]["documents"]["new"] == 4
    with open(feed, "a", encoding="utf-8") as f:
        f.write(_records(2, start=3))
    stages = run(out)
    counts = stages["ingest"]["documents"]
    assert (counts["new"], counts["unchanged"], counts.get("changed", 0)) == (2, 4, 0)
    assert stages["tokenize"]["batches_run"] == 1  # the new records' batch alone
    articles = pd.read_parquet(out / "articles.parquet")
    assert sorted(articles.record.dropna().astype(int)) == [0, 1, 2, 3, 4]
    run(fresh)
    again, anew = published(out), published(fresh)
    for name in again:
        pd.testing.assert_frame_equal(again[name], anew[name], check_like=False)


def test_a_changed_record_is_changed_and_the_others_keep_their_batches(
    run_cli, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    feed = raw / "feed.jsonl"
    feed.write_text(_records(4), encoding="utf-8")
    config = _config(tmp_path)
    assert run_cli("run", "--raw", raw, "--out", tmp_path / "out", "--config", config, "-q")[0] == 0
    lines = feed.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("소식입니다", "새 소식입니다")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli("run", "--raw", raw, "--out", tmp_path / "out", "--config", config)
    assert code == 0, err
    manifest = sorted((tmp_path / "out" / "runs").glob("*.json"))[-1]
    stages = json.loads(manifest.read_text())["stages"]
    counts = stages["ingest"]["documents"]
    assert (counts["changed"], counts["unchanged"], counts.get("new", 0)) == (1, 2, 0)
    assert counts["rebatched"] == 1  # record 2 shared a batch of two with the changed record 3
    assert stages["tokenize"]["batches_run"] == 1


def test_an_ingest_state_of_the_single_document_kind_is_read_as_none(tmp_path: Path) -> None:
    from pipeline.context import Context
    from pipeline.stages.ingest import STATE_VERSION, last_state, plan

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("본문입니다.\n")
    ctx = Context(raw, tmp_path / "out", Config(path=tmp_path / "pipeline.toml"))
    old = {"fingerprint": "fp", "files": {"a.txt": {"stamp": [1, 2], "doc_id": "x"}},
           "batches": [{"id": "b", "docs": [["x", "a.txt"]]}]}  # fmt: skip
    ctx.catalog.write_ingest_state(old)
    assert last_state(ctx, "fp") == {}
    assert plan(ctx, "fp").counts["new"] == 1
    assert (ctx.catalog.ingest_state() or {})["version"] == STATE_VERSION


def _knc_rows() -> list[list[str]]:
    # 똠 and 햏 are in CP949 and not in EUC-KR.
    return [["20260317", "사회", "한빛일보", "똠방각하 햏 이야기", "한빛시 똠 햏 이야기입니다.",
             "https://news.hanbit.example/1"]]  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "bom", "seen"),
    [("utf-8", b"", "utf-8"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig"), ("cp949", b"", "cp949")],
)
def test_koreanewscrawler_csv_in_each_encoding(
    tmp_path: Path, encoding: str, bom: bytes, seen: str
) -> None:
    path = tmp_path / "Article_사회_20260317_20260317.csv"
    path.write_bytes(bom + _csv(_knc_rows()).encode(encoding))
    cfg = load_config(_config(tmp_path, 'csv_preset = "koreanewscrawler"\n')).ingest
    [doc] = READERS["csv"](path, path.name, cfg)
    assert isinstance(doc, Document)
    assert (doc.text, doc.title, doc.encoding, doc.record) == (
        "한빛시 똠 햏 이야기입니다.", "똠방각하 햏 이야기", seen, 0,
    )  # fmt: skip


def test_a_csv_row_in_another_encoding_is_read_alone(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    rows = [
        ["20260317", "사회", "한빛일보", f"제목 {i}", f"본문 {i}입니다.", "u"] for i in range(2)
    ]
    path.write_bytes(_csv(rows[:1]).encode("utf-8") + _csv(rows[1:]).encode("cp949"))
    cfg = load_config(_config(tmp_path, 'csv_preset = "koreanewscrawler"\n')).ingest
    docs = list(READERS["csv"](path, path.name, cfg))
    assert [(d.record, d.text, d.encoding) for d in docs if isinstance(d, Document)] == [
        (0, "본문 0입니다.", "utf-8"), (1, "본문 1입니다.", "cp949"),
    ]  # fmt: skip


def test_a_csv_field_past_max_bytes_is_too_large_and_the_rows_after_it_are_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.csv"
    rows = [["title", "content"], ["긴 글", "가" * 300], ["짧은 글", "짧은 본문입니다."]]
    path.write_text(_csv(rows), encoding="utf-8")
    big, small = READERS["csv"](path, path.name, IngestConfig(max_bytes=200))
    assert isinstance(big, Rejected) and (big.reason, big.record) == ("too_large", 0)
    assert isinstance(small, Document) and (small.record, small.title) == (1, "짧은 글")


def test_csv_columns_by_name_and_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(_csv([["기사 본문", "제목"], ["본문입니다.", "제목입니다"]]), encoding="utf-8")
    extra = '[ingest.csv_columns]\ntext = "기사 본문"\ntitle = ["제목"]\n'
    cfg = load_config(_config(tmp_path, "csv_header = true\n" + extra)).ingest
    [doc] = READERS["csv"](path, path.name, cfg)
    assert isinstance(doc, Document) and (doc.text, doc.title) == ("본문입니다.", "제목입니다")
    # No header and no positions (no preset): the file cannot be read.
    [why] = READERS["csv"](path, path.name, IngestConfig(csv_header=False))
    assert isinstance(why, Rejected) and why.reason == "bad_csv" and why.record is None


def test_a_json_file_too_large_to_parse_whole_is_read_a_line_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    lines = [json.dumps({"title": f"제목 {i}", "content": f"본문 {i}입니다."}, ensure_ascii=False)
             for i in range(3)]  # fmt: skip
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    small = IngestConfig(max_bytes=100)
    docs = list(READERS["json"](path, path.name, small))
    assert [(d.record, d.text) for d in docs if isinstance(d, Document)] == [
        (0, "본문 0입니다."), (1, "본문 1입니다."), (2, "본문 2입니다."),
    ]  # fmt: skip
    path.write_text(json.dumps({"a": [1, 2]}, indent=2) + "x", encoding="utf-8")
    [why] = READERS["json"](path, path.name, IngestConfig())
    assert isinstance(why, Rejected) and (why.reason, why.record) == ("bad_json", None)


def test_a_file_that_is_not_warc_is_quarantined_whole(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_text("이것은 WARC 파일이 아닙니다.\n\n")
    [why] = READERS["warc"](path, path.name, IngestConfig())
    assert isinstance(why, Rejected) and (why.reason, why.record) == ("bad_warc", None)


def test_the_committed_warc_is_what_its_script_writes() -> None:
    assert (FORMATS / "crawl.warc").read_bytes() == make_warc.build()


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2026-03-20", dt.date(2026, 3, 20)),
        ("2026-03-20 09:30:00", dt.date(2026, 3, 20)),
        ("2026-03-20T23:30:00-05:00", dt.date(2026, 3, 20)),  # as written, not converted
        ("2026.03.20", dt.date(2026, 3, 20)),
        ("2026. 3. 20.", dt.date(2026, 3, 20)),
        ("2026/3/20", dt.date(2026, 3, 20)),
        ("2026년 3월 20일 오전 9:30", dt.date(2026, 3, 20)),
        ("20260320", dt.date(2026, 3, 20)),
        ("202603200930", dt.date(2026, 3, 20)),
        ("Fri, 20 Mar 2026 09:30:00 +0900", dt.date(2026, 3, 20)),
        (None, None),
        ("", None),
        ("None", None),
    ],
)
def test_dates_as_scrapers_write_them(value: str | None, date: dt.date | None) -> None:
    assert parse_date(value) == date


@pytest.mark.parametrize("value", ["2026-02-30", "어제 오후", "1773964800", "3월 20일"])
def test_what_is_not_a_date(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_an_outlet_is_named_as_its_pack_names_it(rules: RuleSet) -> None:
    assert name_outlet("www.ytn.co.kr", rules) == "YTN"
    assert name_outlet("news.kbs.co.kr", rules) == "KBS"
    assert name_outlet("KBS 뉴스", rules) == "KBS"
    assert name_outlet("연합뉴스", rules) == "연합뉴스"
    assert name_outlet("en.yna.co.kr", rules) == "Yonhap (English)"
    assert name_outlet(" 한빛일보 ", rules) == "한빛일보"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[ingest]\nformats = ["txt", "xml"]', "ingest.formats: unknown format 'xml'"),
        ("[ingest]\nformats = 'txt'", "ingest.formats must be a list of strings"),
        ("[ingest.json_fields]\nbody = 'content'", "unknown key ingest.json_fields.body"),
        ("[ingest.json_fields]\ntext = 3", "ingest.json_fields.text must be a field name"),
        ("[ingest.json_fields]\ntext = []", "ingest.json_fields.text needs at least one field"),
        ("[ingest.csv_columns]\ntext = -1", "ingest.csv_columns.text must be a column name"),
        ("[ingest]\ncsv_columns = 4", "ingest.csv_columns must be a table"),
        ("[ingest]\ncsv_preset = 'naver'", "ingest.csv_preset must be koreanewscrawler"),
        ("[ingest]\ncsv_header = 'yes'", 'ingest.csv_header must be true, false or "auto"'),
        ("[ingest]\nmax_bytes = 'big'", "ingest.max_bytes must be int"),
    ],
)
def test_bad_ingest_settings_name_the_file_and_key(
    run_cli, tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "pipeline.toml"
    config.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}: ") and message in str(caught.value)
    code, _, err = run_cli("run", "--raw", FORMATS, "--out", tmp_path / "out", "--config", config)
    assert code == 2 and err.count("Error:") == 1 and "Traceback" not in err


def test_the_settings_as_read() -> None:
    config = load_config(ROOT / "config" / "pipeline.toml")
    assert "json" not in config.ingest.formats and "warc.gz" in config.ingest.formats
    assert config.ingest.json_fields == Fields()


def test_a_lone_surrogate_in_a_json_record_becomes_the_replacement_character(
    tmp_path: Path,
) -> None:
    """JSON may escape half a surrogate pair ("\\ud800"), which no UTF-8 (so no Parquet) holds:
    the record is read with U+FFFD in its place, and the run goes on."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "items.jsonl").write_text(
        '{"text": "\\ud800 본문입니다."}\n{"text": "다른 본문입니다."}\n', encoding="utf-8"
    )
    docs, quarantine, _ = _plan(raw, tmp_path)
    assert sorted(d["text"] for d in docs) == ["다른 본문입니다.", "\ufffd 본문입니다."]
    assert quarantine == []
