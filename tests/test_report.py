"""`newspipe report`: the tables hold the fixtures' numbers, and the page renders offline."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.errors import NewspipeError
from pipeline.report import ReportError, _hbar, over_time, parallel, table, write_report
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"
EXPECTED: dict[str, dict[str, Any]] = json.loads((GOLDEN / "expected.json").read_text())
ODD_NAME = '<b>empty & "x".txt'  # an empty raw file whose name is HTML: quarantined, shown
PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)  # a binary raw file: quarantined
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: the page must not need one
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=5000",
]
CONSOLE = re.compile(r":CONSOLE[:(]|Uncaught")


# fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, kiwi: Any) -> Path:
    """The golden fixtures plus two files for quarantine, run twice, then reported on."""
    from pipeline.cli import main

    raw = tmp_path_factory.mktemp("raw")
    for src in GOLDEN.glob("*.txt"):
        shutil.copy(src, raw / src.name)
    (raw / ODD_NAME).write_bytes(b"")
    (raw / "image.txt").write_bytes(PNG)
    folder = tmp_path_factory.mktemp("out")
    for _ in range(2):  # two manifests
        assert main(["run", "--raw", str(raw), "--out", str(folder), "-q"]) == 0
    assert write_report(folder) == folder / "report.html"
    return folder


@pytest.fixture(scope="module")
def page(out: Path) -> str:
    return (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's headless Chromium; installed with apt-get when missing and we are root."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and apt-get cannot install it (not root)")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode:
            pytest.skip(f"`{' '.join(cmd)}` failed: {done.stderr.strip()[-300:]}")
    return shutil.which("chromium") or pytest.skip("chromium is still missing after apt-get")


# helpers ------------------------------------------------------------------------------------
class Tables(HTMLParser):
    """The tables of a page by section id: a list of rows of cell texts each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[list[list[str]]]] = {}
        self.section = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.section = dict(attrs).get("id") or ""
        elif tag == "table":
            self.sections.setdefault(self.section, []).append([])
        elif tag == "tr":
            self.sections[self.section][-1].append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "li" and self.cell is not None and self.cell:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.sections[self.section][-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(page: str, section: str) -> list[dict[str, list[str]]]:
    """A section's tables as {first cell: row} (header row under its first cell too)."""
    parser = Tables()
    parser.feed(page)
    return [{row[0]: row for row in rows} for rows in parser.sections[section]]


class Charts(HTMLParser):
    """What each plotly chart div holds once rendered: SVGs, drawn bars and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, Counter[str]] = {}
        self.text: dict[str, list[str]] = {}
        self.current = ""
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and not self.current and "plotly-graph-div" in classes:
            self.current = dict(attrs).get("id") or f"chart{len(self.charts)}"
            self.charts[self.current], self.text[self.current] = Counter(), []
            self.depth = 0
        if not self.current:
            return
        if tag == "div":
            self.depth += 1
        self.charts[self.current].update(f"{tag}.{c}" for c in classes)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.current:
            classes = (dict(attrs).get("class") or "").split()
            self.charts[self.current].update(f"{tag}.{c}" for c in classes)

    def handle_endtag(self, tag: str) -> None:
        if self.current and tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.current = ""

    def handle_data(self, data: str) -> None:
        if self.current:
            self.text[self.current].append(data)


def browse(chromium: str, page: Path, tmp_path: Path, *extra: str) -> tuple[str, list[str]]:
    """Load a page in headless Chromium: (the DOM it dumps, its console lines).

    On a loaded machine Chromium's virtual-time budget now and then never runs out and the
    process waits forever (seen once in a full suite while two other suites ran): one more try
    with a fresh profile, then the timeout fails the test."""
    for attempt in (1, 2):
        try:
            done = subprocess.run(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp_path / f'chromium-profile-{attempt}'}",
                    *extra,
                    page.resolve().as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=90,
                check=False,
            )
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, console_problems(done.stderr)


def markup(page: str) -> str:
    """A page without its scripts' code (plotly.js holds URLs and markup in strings)."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)


def console_problems(stderr: str) -> list[str]:
    """The page's console lines and uncaught errors in Chromium's log (it logs every level)."""
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


# the numbers --------------------------------------------------------------------------------
def test_languages_are_the_fixtures(page: str) -> None:
    langs = Counter(doc["lang"] for doc in EXPECTED.values())
    assert langs == {"en": 1, "ko": 4}
    (rows,) = tables(page, "langs")
    for lang in ("ko", "en", "mixed", "und"):
        assert rows[lang][1] == str(langs.get(lang, 0)), rows[lang]
    assert rows["all"][1] == str(len(EXPECTED))


def test_dates_count_the_undated(page: str) -> None:
    dates = Counter(doc["published_date"] for doc in EXPECTED.values())
    (rows,) = tables(page, "dates")
    assert rows["(no date)"][1] == str(dates.pop(None))
    assert {k: int(v[1]) for k, v in rows.items() if k[:1].isdigit()} == dates
    undated = sum(1 for d in EXPECTED.values() if d["published_date"] is None)
    assert f"<b>{undated}</b> of them without a published date" in page


def test_long_spans_are_counted_by_month() -> None:
    dates = [dt.date(2024, 1, 5), dt.date(2024, 1, 20), None, dt.date(2024, 6, 2)]
    section = over_time(pd.DataFrame({"published_date": dates}))
    (rows,) = tables(f'<section id="x">{section.parts[1]}</section>', "x")
    assert list(rows) == ["month", "2024-01", "2024-06", "(no date)", "all"]
    assert [rows[k][1] for k in ("2024-01", "2024-06", "(no date)", "all")] == ["2", "1", "1", "4"]
    bars = section.parts[0].data[0]
    assert list(bars.x) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert list(bars.y) == [2, 0, 0, 0, 0, 1]  # the empty months are there


def test_promotion_per_broadcaster_and_rule(page: str) -> None:
    per_rule = Counter(rule for doc in EXPECTED.values() for rule, _ in doc["removed"])
    per_broadcaster = Counter[str]()
    for doc in EXPECTED.values():
        per_broadcaster[doc["broadcaster"] or "(unknown)"] += len(doc["removed"])
    by_broadcaster, by_rule = tables(page, "promo")
    for name, spans in per_broadcaster.items():
        assert by_broadcaster[name][3] == str(spans), by_broadcaster[name]
    assert {k: int(v[3]) for k, v in by_rule.items() if k not in ("rule", "all")} == per_rule
    examples = by_rule["kbs_tipline_phone_v1"][5].split("\n")
    assert examples == ["▷ 전화 : 02-781-1234, 4444"]  # distinct texts only, at most 3
    assert all(len(row[5].split("\n")) <= 3 for row in by_rule.values())


def test_quarantine_reasons(page: str) -> None:
    (rows,) = tables(page, "quarantine")
    assert rows["empty"][1] == "1" and rows["binary"][1] == "1" and rows["all"][1] == "2"
    assert rows["empty"][2].startswith(ODD_NAME)  # shown as text, not as markup


def _top20(values: pd.Series) -> list[list[str]]:
    """[value, count] of the 20 most frequent, ties by value: what the report promises."""
    counts = Counter(values.astype(str))
    return [[v, str(n)] for v, n in sorted(counts.items(), key=lambda vn: (-vn[1], vn[0]))[:20]]


def test_token_tops(out: Path, page: str) -> None:
    tokens = pd.read_parquet(
        out / "tokens.parquet", columns=["form", "tag", "lemma", "lang", "part"]
    )
    body = tokens[tokens["part"] == "body"]
    nouns = body[body["tag"].isin(["NNG", "NNP"]) & body["lang"].isin(["ko", "mixed"])]["form"]
    en = body[(body["tag"] == "SL") & (body["lang"] == "en")]
    words = en["lemma"].fillna(en["form"]).str.lower()
    words = words[~words.isin(STOP_WORDS)]  # "the", "a", "be" say nothing of a corpus
    ko_rows, en_rows = tables(page, "tokens")
    assert "the" not in {row[1] for row in en_rows.values()}
    assert [row[1:] for key, row in ko_rows.items() if key != "#"] == _top20(nouns)
    assert [row[1:] for key, row in en_rows.items() if key != "#"] == _top20(words)
    assert len(ko_rows) == len(en_rows) == 21  # the golden texts have 20 of each and more


def test_parallel_reports_name_the_links_and_show_their_lines(page: str) -> None:
    en, ko, lone = "e" * 16, "k" * 16, "l" * 16
    pairs = pd.DataFrame(
        {
            "en_doc_id": [en, lone],
            "ko_doc_id": [ko, None],
            "score": [9.5, None],
            "evidence": [["numbers 2", "reporter", "lines 2"], []],
        }
    )
    alignments = pd.DataFrame(
        {"en_doc_id": [en, en], "en_seg_id": [0, 1], "ko_doc_id": [ko, ko],
         "ko_seg_id": [0, 2], "score": [1.5, 2.25]}
    )  # fmt: skip
    articles = pd.DataFrame(
        {
            "doc_id": [en, ko, lone],
            "title": ["Bus <overhaul>", "버스 노선 개편", None],
            "published_date": [dt.date(2025, 5, 13), dt.date(2025, 5, 12), None],
        }
    )
    lines = pd.DataFrame(
        {"doc_id": [en, en, ko, ko], "seg_id": [0, 1, 0, 2],
         "text": ["[Anchor]", "12,000 riders", "[앵커]", "1만 2천 명"]}
    )  # fmt: skip
    sec = parallel(pairs, alignments, articles, lines)
    assert "<b>1</b> of 2 English articles linked" in sec.note and "2 lines aligned" in sec.note
    html = "".join(p for p in sec.parts if isinstance(p, str))
    [linked, example] = tables(f'<section id="x">{html}</section>', "x")
    row = linked[f"Bus <overhaul> ({en})"]
    assert row[1:5] == [f"버스 노선 개편 ({ko})", "2025-05-12 → 2025-05-13", "9.5", "2"]
    assert row[5].split("\n") == ["numbers 2", "reporter", "lines 2"]
    assert example["12,000 riders"] == ["12,000 riders", "1만 2천 명", "2.2"]
    assert "<overhaul>" not in html  # escaped
    # the page has the section, counted from the fixtures' pairs
    assert 'id="parallel"' in page and "Parallel reports" in page


def test_runs_newest_first(page: str) -> None:
    (rows,) = tables(page, "runs")
    header = rows.pop("run id")
    assert header[:9] == [
        "run id", "status", "started", "seconds", "files", "new", "changed", "removed",
        "quarantined",
    ]  # fmt: skip
    newest, oldest = rows.values()  # dicts keep the page's order
    assert newest[0] > oldest[0]
    files = len(EXPECTED) + 2
    assert newest[4:9] == [str(files), "0", "0", "0", "2"]  # nothing new the second time
    assert oldest[4:9] == [str(files), str(len(EXPECTED)), "0", "0", "2"]
    assert oldest[header.index("tokenize")] == "1" and newest[header.index("tokenize")] == "0"


def test_a_failed_run_shows_its_error(out: Path, tmp_path: Path) -> None:
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    failed = {"run_id": "99999999T000000.000Z-1", "status": "failed", "stages": {}}
    failed["error"] = "Traceback …\nValueError: <img src=x onerror=alert(1)> & more"
    (copy / "runs" / "99999999T000000.000Z-1.json").write_text(json.dumps(failed))
    html = write_report(copy, runs=1).read_text(encoding="utf-8")
    (rows,) = tables(html, "runs")
    assert list(rows) == ["run id", failed["run_id"]]
    assert rows[failed["run_id"]][1:4] == ["failed", "", ""]  # no start, no seconds
    errors = re.findall(r'<ul class="errors"><li>(.*?)</li></ul>', html)
    assert errors == [
        f"<code>{failed['run_id']}</code>: "
        + "ValueError: &lt;img src=x onerror=alert(1)&gt; &amp; more"
    ]
    assert "<img" not in markup(html)
    assert '<td class="bad">failed</td>' in html


# the page -----------------------------------------------------------------------------------
def test_self_contained_and_escaped(out: Path, page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S | re.I)
    assert scripts and all("src" not in attrs for attrs, _ in scripts)  # all inline
    outside = markup(page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(\w+:)?//""", outside)
    assert "<link" not in outside and "@import" not in outside
    assert page.count("* plotly.js v") == 1  # the library inlined once
    assert page.count('class="plotly-graph-div"') == 7
    assert "<b>empty" not in outside and "&lt;b&gt;empty &amp; &quot;x&quot;.txt" in page
    assert not list(out.glob(".*.tmp"))


def test_table_escapes_every_cell() -> None:
    html = table(["<h>"], [["<script>x</script>"], [["a&b", "<i>"]], [7]], numeric=[0])
    assert "<script>" not in html and "<i>" not in html and "<h>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<li>a&amp;b</li>" in html
    assert '<td class="num">7</td>' in html


def test_missing_datasets_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"no published datasets in .*: run `newspipe run` first"):
        write_report(tmp_path / "nowhere")
    assert issubclass(ReportError, NewspipeError) and ReportError.exit_code == 2
    assert not (tmp_path / "nowhere").exists()


def test_renders_in_chromium(out: Path, page: str, chromium: str, tmp_path: Path) -> None:
    dom, problems = browse(chromium, out / "report.html", tmp_path, "--dump-dom")
    assert problems == []
    parser = Charts()
    parser.feed(dom)
    assert len(parser.charts) == page.count('class="plotly-graph-div"') == 7
    for chart, found in parser.charts.items():
        assert found["svg.main-svg"] >= 1, chart  # plotly drew it
        assert found["g.point"] >= 1, chart  # with its bars
    ko = tables(page, "tokens")[0]["1"][1]
    text = {chart: " ".join(words) for chart, words in parser.text.items()}
    assert any(ko in t for c, t in text.items() if c.startswith("chart-tokens")), ko
    assert any("KBS" in t for c, t in text.items() if c.startswith("chart-promo"))
    assert any("no original found" in t for c, t in text.items() if c.startswith("chart-parallel"))


def test_console_check_catches_errors(chromium: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><p>x</p>'
        '<script>console.error("logged")</script><script>throw new Error("boom")</script>'
    )
    _, problems = browse(chromium, broken, tmp_path, "--dump-dom")
    assert any("Uncaught Error: boom" in p for p in problems), problems
    assert any('"logged"' in p for p in problems), problems
    # and a page without errors has none: test_renders_in_chromium and the test below


def test_chart_labels_show_markup_as_text(chromium: str, tmp_path: Path) -> None:
    label = """a<b>x</b>'q"&z"""
    chart = tmp_path / "chart.html"
    fig = _hbar([label, "뉴스"], [2, 1], "title <i>", "n")
    chart.write_text(
        '<!DOCTYPE html><meta charset="utf-8">' + fig.to_html(full_html=False), encoding="utf-8"
    )
    dom, problems = browse(chromium, chart, tmp_path, "--dump-dom")
    parser = Charts()
    parser.feed(dom)
    (text,) = parser.text.values()
    assert label in text and "뉴스" in text and "title <i>" in text, text
    assert problems == []  # the console check is quiet on a good page
