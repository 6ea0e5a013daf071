"""`newspipe report`: one self-contained HTML page of charts and tables about an output folder.

The page reads only the published datasets and the run manifests. Plotly's JavaScript is inlined
once, so the file opens without a network; every chart's numbers are also in a table below it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from pipeline.catalog import Catalog
from pipeline.errors import NewspipeError
from pipeline.registry import NAMES
from pipeline.schemas import LANGS, PUBLISHED


class ReportError(NewspipeError):
    """The output folder has nothing to report on."""

    exit_code = 2


TOP = 20  # most frequent nouns and words shown
EXAMPLES = 3  # removed texts shown per rule
DAILY_MAX = 92  # a date span longer than this is counted by month
UNKNOWN = "(unknown)"
NUM = ' class="num"'
NO_DATE = "(no date)"
FONT = (
    '"Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", '
    '"NanumGothic", sans-serif'
)
COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d"]
PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoomIn2d", "zoomOut2d"],
}
ERROR_CHARS = 160  # of a failed run's last error line
INGEST_COUNTS = ("files", "new", "changed", "removed", "quarantined")
CSS = (
    f"body {{ font-family: {FONT}; margin: 0; color: #222; background: #f6f7f9; }}"
    + """
header { background: #1f2d3d; color: #fff; padding: 1.2em 2em; }
header h1 { margin: 0 0 .3em; font-size: 1.6em; }
header p { margin: .2em 0; color: #cfd8e3; font-size: .9em; }
nav { padding: .6em 2em; background: #fff; border-bottom: 1px solid #dde; font-size: .9em; }
nav a { margin-right: 1.2em; color: #1f5fa8; text-decoration: none; }
main { max-width: 1240px; margin: 0 auto; padding: 1em 2em 3em; }
section { background: #fff; border: 1px solid #dde; border-radius: 6px; padding: 1em 1.5em;
  margin: 1.2em 0; }
h2 { margin: .2em 0 .5em; font-size: 1.25em; }
h3 { margin: 1em 0 .4em; font-size: 1em; color: #444; }
.cards { display: flex; flex-wrap: wrap; gap: .8em; margin-top: .8em; }
.card { background: #2c3e50; border-radius: 4px; padding: .4em .9em; }
.card b { display: block; font-size: 1.3em; color: #fff; }
.card span { font-size: .8em; color: #cfd8e3; }
.note { color: #555; font-size: .92em; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .88em; }
th, td { border-bottom: 1px solid #e4e6ea; padding: .3em .7em; text-align: left;
  vertical-align: top; }
th { background: #f0f2f5; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #ccd; }
td ul { margin: 0; padding-left: 1.1em; }
.side { display: flex; flex-wrap: wrap; gap: 2em; }
.bad { color: #b00020; font-weight: bold; }
.chart { margin: .5em 0; }
.scroll { overflow-x: auto; }
#runs table { font-size: .8em; }
#runs td { white-space: nowrap; }
.errors { font-size: .88em; color: #b00020; }
"""
)


# data ---------------------------------------------------------------------------------------
def _require(out: Path) -> None:
    """Raise ReportError unless every published dataset is in `out`."""
    if not all((out / f"{name}.parquet").exists() for name in PUBLISHED):
        raise ReportError(f"no published datasets in {out}: run `newspipe run` first")


def _read(out: Path, name: str, columns: list[str], **kwargs: Any) -> pd.DataFrame:
    """Read some columns of a published dataset."""
    return pd.read_parquet(out / f"{name}.parquet", columns=columns, **kwargs)


def _manifests(out: Path, runs: int) -> list[dict[str, Any]]:
    """The newest `runs` manifests, newest first; an unreadable one keeps its run id."""
    found = []
    for path in Catalog(out).manifests()[::-1][: max(runs, 0)]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            data = {"run_id": path.stem, "status": "unreadable", "error": str(exc)}
        found.append(data if isinstance(data, dict) else {"run_id": path.stem})
    return found


# html ---------------------------------------------------------------------------------------
def _esc(value: object) -> str:
    """Escape one piece of data for HTML (quotes too)."""
    return html.escape(str(value), quote=True)


Cell = str | int | float | None | list[str]


def _cell(value: Cell) -> str:
    """One table cell: numbers right-aligned, lists as bullets, all text escaped."""
    if isinstance(value, bool) or value is None:
        return f"<td>{'' if value is None else _esc(value)}</td>"
    if isinstance(value, int):
        return f"<td{NUM}>{value:,}</td>"
    if isinstance(value, float):
        return f"<td{NUM}>{value:,.1f}</td>"
    if isinstance(value, list):
        items = "".join(f"<li>{_esc(v)}</li>" for v in value)
        return f"<td><ul>{items}</ul></td>" if value else "<td></td>"
    return f"<td>{_esc(value)}</td>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    numeric: Iterable[int] = (),
    total: Sequence[Cell] | None = None,
    caption: str = "",
) -> str:
    """An HTML table with escaped headers and cells; `total` is a bold last row."""
    num = set(numeric)
    head = "".join(
        f'<th{NUM if i in num else ""} scope="col">{_esc(h)}</th>' for i, h in enumerate(headers)
    )
    body = ["<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows]
    if total is not None:
        body.append('<tr class="total">' + "".join(_cell(v) for v in total) + "</tr>")
    cap = f"<caption>{_esc(caption)}</caption>" if caption else ""
    rows_html = "".join(body)
    inner = f"{cap}<thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody>"
    return f'<div class="scroll"><table>{inner}</table></div>'


def _label(value: object) -> str:
    """A label for plotly, which reads `<b>`-style markup and entities (not &quot;) in text."""
    return html.escape(str(value), quote=False)


@dataclass
class Section:
    """One part of the page: a heading, a note, charts and the tables of their numbers."""

    key: str
    title: str
    note: str = ""  # already HTML
    parts: list[go.Figure | str] = field(default_factory=list)  # figures and HTML, in order


def _layout(fig: go.Figure, title: str, height: int = 360, **kwargs: Any) -> go.Figure:
    """Give every chart the same look."""
    fig.update_layout(
        title={"text": _label(title), "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": FONT, "size": 13},
        template="plotly_white",
        colorway=COLORS,
        **kwargs,
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def _counts_axis(values: Iterable[int]) -> dict[str, Any]:
    """Axis settings for counts: whole numbers only, from zero."""
    top = max(values, default=0)
    return {"rangemode": "tozero", "tickformat": ",d"} | ({"dtick": 1} if top <= 10 else {})


def _hbar(labels: list[str], values: list[int], title: str, axis: str) -> go.Figure:
    """A horizontal bar chart, largest bar on top."""
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[_label(v) for v in labels],
            orientation="h",
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    height = max(240, 26 * len(labels) + 100)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title_text=axis, **_counts_axis(values))
    return _layout(fig, title, height=height)


def _vbar(labels: list[str], values: list[int], title: str, axis: str) -> go.Figure:
    """A vertical bar chart over categories in the order given."""
    fig = go.Figure(
        go.Bar(
            x=[_label(v) for v in labels],
            y=values,
            text=values,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=axis, **_counts_axis(values))
    return _layout(fig, title)


# sections -----------------------------------------------------------------------------------
def _periods(dates: pd.Series) -> tuple[str, pd.Series]:
    """Articles per day (or per month for a long span), with the empty periods in between."""
    stamps = pd.to_datetime(dates)
    first, last = stamps.min(), stamps.max()
    if (last - first).days <= DAILY_MAX:
        unit, freq, fmt = "day", "D", "%Y-%m-%d"
    else:
        unit, freq, fmt = "month", "MS", "%Y-%m"
        stamps = stamps.dt.to_period("M").dt.to_timestamp()
        first = first.to_period("M").to_timestamp()
    counts = stamps.value_counts()
    span = pd.date_range(first, last, freq=freq)
    full = counts.reindex(span, fill_value=0)
    full.index = full.index.strftime(fmt)
    return unit, full.astype(int)


def over_time(articles: pd.DataFrame) -> Section:
    """Articles per published date; how many have none."""
    sec = Section("dates", "Articles over time")
    dates = articles["published_date"].dropna()
    n_none = len(articles) - len(dates)
    sec.note = (
        f"{len(articles):,} articles, <b>{n_none:,}</b> of them without a published date "
        "(no <code>date YYYY-MM-DD</code> scraper header)."
    )
    if dates.empty:
        sec.parts.append('<p class="note">No article has a date.</p>')
    else:
        unit, counts = _periods(dates)
        sec.note += (
            f" Dated articles are counted per {unit}, {counts.index[0]} to {counts.index[-1]}."
        )
        fig = _vbar(list(counts.index), counts.tolist(), f"Articles per {unit}", "articles")
        sec.parts.append(fig)
        rows: list[list[Cell]] = [[p, int(n)] for p, n in counts.items() if n]
        rows.append([NO_DATE, n_none])
        sec.parts.append(table([unit, "articles"], rows, numeric=[1], total=["all", len(articles)]))
    return sec


def languages(articles: pd.DataFrame) -> Section:
    """The language mix of the articles' bodies."""
    counts = articles["lang"].value_counts()
    order = [*LANGS, *sorted(set(counts.index) - set(LANGS))]
    values = [int(counts.get(lang, 0)) for lang in order]
    n = max(len(articles), 1)
    sec = Section(
        "langs",
        "Language mix",
        "Language of each article's body: <code>ko</code>, <code>en</code>, <code>mixed</code>, "
        "<code>und</code> (undetermined).",
    )
    sec.parts.append(_vbar(order, values, "Articles by language", "articles"))
    rows: list[list[Cell]] = [[lang, v, 100 * v / n] for lang, v in zip(order, values, strict=True)]
    sec.parts.append(
        table(["lang", "articles", "%"], rows, numeric=[1, 2], total=["all", len(articles), 100.0])
    )
    return sec


def _examples(texts: pd.Series) -> list[str]:
    """Up to EXAMPLES distinct removed texts, in data order."""
    return [str(t) for t in texts.drop_duplicates().head(EXAMPLES)]


def promotion(articles: pd.DataFrame, removed: pd.DataFrame) -> Section:
    """Spans stripped per broadcaster and per rule, with examples."""
    who = articles[["doc_id", "broadcaster"]].drop_duplicates("doc_id")
    spans = removed.merge(who, on="doc_id", how="left")
    spans["broadcaster"] = spans["broadcaster"].fillna(UNKNOWN).astype(str)
    sec = Section(
        "promo",
        "Promotion stripped",
        f"{len(spans):,} spans removed from {spans['doc_id'].nunique():,} of "
        f"{len(articles):,} articles by {spans['rule_id'].nunique():,} rules. The broadcaster is "
        f"the article's; {_esc(UNKNOWN)} where none was found.",
    )
    if spans.empty:
        sec.parts.append('<p class="note">Nothing was removed.</p>')
        return sec
    per_rule = spans.groupby("rule_id").size()
    rules = sorted(per_rule.index, key=lambda r: (-int(per_rule[r]), str(r)))
    grid = spans.groupby(["rule_id", "broadcaster"]).size().unstack(fill_value=0).reindex(rules)
    fig = go.Figure(
        [
            go.Bar(
                name=_label(b),
                y=[_label(r) for r in rules],
                x=grid[b].tolist(),
                orientation="h",
                hovertemplate=f"{_label(b)} · %{{y}}: %{{x}}<extra></extra>",
            )
            for b in sorted(grid.columns)
        ]
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title_text="spans removed", **_counts_axis(per_rule.tolist()))
    height = max(300, 22 * len(rules) + 140)
    fig = _layout(fig, "Spans removed per rule and broadcaster", height, barmode="stack")
    fig.update_layout(legend={"traceorder": "normal", "title": {"text": "broadcaster"}})
    if len(grid.columns) > len(COLORS):  # one colour per broadcaster
        fig.update_layout(colorway=qualitative.Dark24 + qualitative.Light24)
    sec.parts.append(fig)
    sec.parts.append("<h3>Per broadcaster</h3>")
    sec.parts.append(_per_broadcaster(articles, spans))
    sec.parts.append("<h3>Per rule</h3>")
    rows: list[list[Cell]] = []
    for rule in rules:
        group = spans[spans["rule_id"] == rule]
        by = group["broadcaster"].value_counts()
        rows.append(
            [
                str(rule),
                ", ".join(sorted(group["kind"].astype(str).unique())),
                ", ".join(f"{b} {n}" for b, n in by.items()),
                len(group),
                int(group["doc_id"].nunique()),
                _examples(group["text"]),
            ]
        )
    head = ["rule", "kind", "broadcasters", "spans", "articles", f"examples (≤{EXAMPLES})"]
    sec.parts.append(table(head, rows, numeric=[3, 4], total=["all", "", "", len(spans), None, []]))
    return sec


def _per_broadcaster(articles: pd.DataFrame, spans: pd.DataFrame) -> str:
    """The table of articles and removed spans per broadcaster."""
    names = articles["broadcaster"].fillna(UNKNOWN).astype(str)
    n_articles = names.value_counts()
    touched = spans.groupby("broadcaster")["doc_id"].nunique()
    n_spans = spans.groupby("broadcaster").size()
    n_rules = spans.groupby("broadcaster")["rule_id"].nunique()
    rows: list[list[Cell]] = []
    for b in sorted(set(n_articles.index) | set(n_spans.index)):
        rows.append(
            [
                b,
                int(n_articles.get(b, 0)),
                int(touched.get(b, 0)),
                int(n_spans.get(b, 0)),
                int(n_rules.get(b, 0)),
            ]
        )
    total: list[Cell] = [
        "all",
        len(articles),
        int(spans["doc_id"].nunique()),
        len(spans),
        int(spans["rule_id"].nunique()),
    ]
    head = ["broadcaster", "articles", "with removals", "spans", "rules"]
    return table(head, rows, numeric=[1, 2, 3, 4], total=total)


def quarantine(frame: pd.DataFrame) -> Section:
    """Why raw files were quarantined."""
    sec = Section(
        "quarantine",
        "Quarantine",
        f"{len(frame):,} raw files were set aside instead of being processed.",
    )
    if frame.empty:
        sec.parts.append('<p class="note">No file was quarantined.</p>')
        return sec
    counts = frame["reason"].value_counts()
    sec.parts.append(
        _hbar(list(counts.index), counts.tolist(), "Quarantined files by reason", "files")
    )
    rows: list[list[Cell]] = []
    for reason, n in counts.items():
        group = frame[frame["reason"] == reason].head(EXAMPLES)
        examples = [f"{p}: {d}" for p, d in zip(group["source_path"], group["detail"], strict=True)]
        rows.append([str(reason), int(n), examples])
    head = ["reason", "files", f"examples (≤{EXAMPLES})"]
    sec.parts.append(table(head, rows, numeric=[1], total=["all", len(frame), []]))
    return sec


def quoted(frame: pd.DataFrame) -> Section:
    """Who is quoted: each speaker (with affiliation and kind) and how often, most quoted first."""
    named = frame[frame["speaker"].notna()]
    sec = Section(
        "quoted",
        "Who is quoted",
        f"{len(frame):,} quotes, {len(named):,} of them with a named speaker "
        f"({(frame['form'] == 'block').sum():,} in quote blocks, "
        f"{(frame['form'] == 'inline').sum():,} reported in a sentence).",
    )
    if named.empty:
        sec.parts.append('<p class="note">No quote names its speaker.</p>')
        return sec
    keys = named[["speaker", "affiliation", "speaker_kind"]].fillna("")
    counts = keys.value_counts().reset_index(name="n")
    counts = counts.sort_values(["n", "speaker", "affiliation"], ascending=[False, True, True])
    rows: list[list[Cell]] = [
        [str(r.speaker), str(r.affiliation) or "-", str(r.speaker_kind), int(r.n)]
        for r in counts.head(TOP * 2).itertuples()
    ]
    head = ["speaker", "affiliation", "kind", "quotes"]
    sec.parts.append(table(head, rows, numeric=[3], total=["all named", "", "", len(named)]))
    return sec


def _name(doc_id: str, titles: dict[str, str]) -> str:
    """An article as the report names it: its title, else its doc_id."""
    title = titles.get(doc_id)
    return f"{title} ({doc_id})" if title else doc_id


def parallel(
    pairs: pd.DataFrame, alignments: pd.DataFrame, articles: pd.DataFrame, lines: pd.DataFrame
) -> Section:
    """Parallel reports: which English articles the pair stage linked to a Korean original, with
    score, evidence and aligned lines, and a few of them line by line.

    `articles` holds doc_id, title, published_date; `lines` the segments (doc_id, seg_id, text)
    of the examples."""
    linked = pairs[pairs["ko_doc_id"].notna()]
    n_lines = alignments.groupby("en_doc_id").size()
    sec = Section(
        "parallel",
        "Parallel reports",
        f"<b>{len(linked):,}</b> of {len(pairs):,} English articles linked to their Korean "
        f"original, with {len(alignments):,} lines aligned; the others have none in the corpus.",
    )
    if pairs.empty:
        sec.parts.append('<p class="note">No English article (or the pair stage is off).</p>')
        return sec
    counts = [len(linked), len(pairs) - len(linked)]
    sec.parts.append(_hbar(["linked", "no original found"], counts, "English articles", "articles"))
    titles = {
        d: t
        for d, t in zip(articles["doc_id"], articles["title"], strict=True)
        if isinstance(t, str)
    }
    dates = dict(zip(articles["doc_id"], articles["published_date"], strict=True))
    ranked = linked.sort_values(["score", "en_doc_id"], ascending=[False, True])
    rows: list[list[Cell]] = [
        [
            _name(r.en_doc_id, titles),
            _name(r.ko_doc_id, titles),
            f"{_date(dates.get(r.ko_doc_id))} → {_date(dates.get(r.en_doc_id))}",
            float(r.score),
            int(n_lines.get(r.en_doc_id, 0)),
            [str(e) for e in r.evidence],
        ]
        for r in ranked.head(TOP * 2).itertuples()
    ]
    head = ["English article", "Korean original", "dates", "score", "lines", "evidence"]
    sec.parts.append(table(head, rows, numeric=[3, 4], total=None))
    text = {
        (d, s): t for d, s, t in zip(lines["doc_id"], lines["seg_id"], lines["text"], strict=True)
    }
    for r in ranked.head(EXAMPLES).itertuples():
        links = alignments[alignments["en_doc_id"] == r.en_doc_id].head(6)
        shown: list[list[Cell]] = [
            [text.get((a.en_doc_id, a.en_seg_id)), text.get((a.ko_doc_id, a.ko_seg_id)), a.score]
            for a in links.itertuples()
        ]
        sec.parts.append(f"<h3>{_esc(_name(r.en_doc_id, titles))}</h3>")
        sec.parts.append(table(["English line", "Korean line", "score"], shown, numeric=[2]))
    return sec


def _date(value: object) -> str:
    return str(value) if isinstance(value, dt.date) else NO_DATE


def example_lines(out: Path, pairs: pd.DataFrame, alignments: pd.DataFrame) -> pd.DataFrame:
    """The segments the examples of `parallel` show: of the best-scored linked pairs."""
    linked = pairs[pairs["ko_doc_id"].notna()]
    top = linked.sort_values(["score", "en_doc_id"], ascending=[False, True]).head(EXAMPLES)
    docs = sorted(set(top["en_doc_id"]) | set(top["ko_doc_id"]))
    if not docs:
        return pd.DataFrame({"doc_id": [], "seg_id": [], "text": []})
    return _read(out, "segments", ["doc_id", "seg_id", "text"], filters=[("doc_id", "in", docs)])


def _top(values: pd.Series) -> tuple[list[str], list[int]]:
    """The TOP most frequent values and their counts (ties by value)."""
    counts = values.value_counts()
    frame = pd.DataFrame({"v": counts.index.astype(str), "n": counts.to_numpy()})
    frame = frame.sort_values(["n", "v"], ascending=[False, True]).head(TOP)
    return frame["v"].tolist(), [int(n) for n in frame["n"]]


def token_stats(tokens: pd.DataFrame) -> Section:
    """The most frequent Korean nouns and English words of the bodies."""
    ko = tokens[tokens["tag"].isin(["NNG", "NNP"]) & tokens["lang"].isin(["ko", "mixed"])]
    en = tokens[(tokens["tag"] == "SL") & (tokens["lang"] == "en")]
    from spacy.lang.en.stop_words import STOP_WORDS

    words = en["lemma"].where(en["lemma"].notna() & (en["lemma"] != ""), en["form"]).str.lower()
    words = words[~words.isin(STOP_WORDS)]
    nouns, n_nouns = _top(ko["form"])
    eng, n_eng = _top(words)
    sec = Section(
        "tokens",
        "Token statistics",
        f"Body tokens only. Korean nouns: tags NNG and NNP in ko and mixed segments, "
        f"{len(ko):,} tokens, {ko['form'].nunique():,} distinct. English words: tag SL in en "
        f"segments, counted by lower-cased lemma (the form where there is none), stop words "
        f"left out, {len(words):,} "
        f"tokens, {words.nunique():,} distinct. Top {TOP} of each.",
    )
    tables = []
    for title, labels, counts, what in (
        ("Korean nouns", nouns, n_nouns, "noun"),
        ("English words", eng, n_eng, "word"),
    ):
        if labels:
            sec.parts.append(_hbar(labels, counts, f"Most frequent {title}", "tokens"))
        rows: list[list[Cell]] = [
            [i + 1, w, n] for i, (w, n) in enumerate(zip(labels, counts, strict=True))
        ]
        note = "" if labels else f'<p class="note">No {what} tokens.</p>'
        tables.append(
            f"<div><h3>{title}</h3>{note}{table(['#', what, 'tokens'], rows, numeric=[0, 2])}</div>"
        )
    sec.parts.append(f'<div class="side">{"".join(tables)}</div>')
    return sec


def _run_row(data: dict[str, Any], stages: list[str]) -> list[Cell]:
    """One manifest as a row of the runs table."""
    seen = data.get("stages") or {}
    ingest = (seen.get("ingest") or {}).get("documents") or {}
    seconds = data.get("seconds")
    row: list[Cell] = [
        str(data.get("run_id", "")),
        str(data.get("status", "")),
        str(data.get("started", "")),
        float(seconds) if isinstance(seconds, int | float) else None,
    ]
    row += [int(ingest[k]) if k in ingest else (0 if ingest else None) for k in INGEST_COUNTS]
    for name in stages:
        stage = seen.get(name)
        row.append(int(stage.get("batches_run", 0)) if isinstance(stage, dict) else None)
    return row


def _errors(manifests: list[dict[str, Any]]) -> str:
    """The last line of each failed run's error, as a list (empty when none failed)."""
    items = []
    for data in manifests:
        lines = str(data.get("error") or "").strip().splitlines()
        if lines:
            run, last = _esc(data.get("run_id", "")), _esc(lines[-1][:ERROR_CHARS])
            items.append(f"<li><code>{run}</code>: {last}</li>")
    return f'<h3>Errors</h3><ul class="errors">{"".join(items)}</ul>' if items else ""


def runs_section(manifests: list[dict[str, Any]]) -> Section:
    """The last runs, newest first."""
    sec = Section(
        "runs",
        "Last runs",
        f"The newest {len(manifests)} run manifests (<code>runs/*.json</code>), newest first. "
        "Files to quarantined are the ingest stage's counts; the stage columns are batches run "
        "(blank: the stage was not part of the run).",
    )
    names = {n for m in manifests for n in (m.get("stages") or {})}
    stages = [n for n in NAMES if n in names] + sorted(names - set(NAMES))
    head = ["run id", "status", "started", "seconds", *INGEST_COUNTS, *stages]
    rows = [_run_row(m, stages) for m in manifests]
    numeric = range(3, len(head))
    html_table = table(head, rows, numeric=numeric) if rows else '<p class="note">No runs.</p>'
    # the status cell is escaped text, so this marks exactly the failed runs' status cells
    sec.parts.append(html_table.replace("<td>failed</td>", '<td class="bad">failed</td>'))
    sec.parts.append(_errors(manifests))
    return sec


# page ---------------------------------------------------------------------------------------
def _chart(fig: go.Figure, key: str, first: bool) -> str:
    """A figure as a div; plotly's JavaScript goes inline with the first one only."""
    div = fig.to_html(
        full_html=False, include_plotlyjs=first, config=PLOTLY_CONFIG, div_id=f"chart-{key}"
    )
    return f'<div class="chart">{div}</div>'


def render(out: Path, sections: list[Section], cards: list[tuple[str, int]]) -> str:
    """The whole page."""
    body, first, n = [], True, 0
    for sec in sections:
        parts = [f'<section id="{sec.key}"><h2>{_esc(sec.title)}</h2>']
        parts.append(f'<p class="note">{sec.note}</p>' if sec.note else "")
        for part in sec.parts:
            if isinstance(part, go.Figure):
                n += 1
                parts.append(_chart(part, f"{sec.key}-{n}", first))
                first = False
            else:
                parts.append(part)
        body.append("".join(parts) + "</section>")
    nav = "".join(f'<a href="#{s.key}">{_esc(s.title)}</a>' for s in sections)
    chips = "".join(f'<div class="card"><b>{v:,}</b><span>{_esc(k)}</span></div>' for k, v in cards)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    version = Catalog(out).current_version() or "unknown"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newspipe report: {_esc(out.name or out)}</title><style>{CSS}</style></head>"
        f"<body><header><h1>newspipe report</h1><p>{_esc(out.resolve())} · version "
        f'{_esc(version)} · made {now}</p><div class="cards">{chips}</div></header>'
        f"<nav>{nav}</nav><main>{''.join(body)}</main></body></html>\n"
    )


def _write(path: Path, text: str) -> None:
    """Write a file atomically: a temporary name in the same folder, then a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_report(out: Path, *, runs: int = 10) -> Path:
    """Write `<out>/report.html` from the published datasets and the last `runs` manifests."""
    out = Path(out)
    _require(out)
    articles = _read(
        out, "articles", ["doc_id", "broadcaster", "published_date", "lang", "n_tokens"]
    )
    removed = _read(out, "removed", ["doc_id", "text", "rule_id", "kind"])
    quarantined = _read(out, "quarantine", ["source_path", "reason", "detail"])
    said = _read(out, "quotes", ["speaker", "affiliation", "speaker_kind", "form"])
    tokens = _read(
        out,
        "tokens",
        ["form", "tag", "lemma", "lang"],
        filters=[("part", "==", "body"), ("tag", "in", ["NNG", "NNP", "SL"])],
    )
    sentences = _read(out, "sentences", ["part"], filters=[("part", "==", "body")])
    pairs = _read(out, "pairs", ["en_doc_id", "ko_doc_id", "score", "evidence"])
    alignments = _read(
        out, "alignments", ["en_doc_id", "en_seg_id", "ko_doc_id", "ko_seg_id", "score"]
    )
    titles = _read(out, "articles", ["doc_id", "title", "published_date"])
    sections = [
        over_time(articles),
        languages(articles),
        promotion(articles, removed),
        quarantine(quarantined),
        quoted(said),
        parallel(pairs, alignments, titles, example_lines(out, pairs, alignments)),
        token_stats(tokens),
        runs_section(_manifests(out, runs)),
    ]
    cards = [
        ("articles", len(articles)),
        ("quarantined", len(quarantined)),
        ("spans removed", len(removed)),
        ("quotes", len(said)),
        ("parallel reports", int(pairs["ko_doc_id"].notna().sum())),
        ("body tokens", int(articles["n_tokens"].sum())),
        ("body sentences", len(sentences)),
    ]
    path = out / "report.html"
    _write(path, render(out, sections, cards))
    return path
