"""Score the pipeline against a gold-labelled folder (`<id>.txt` + `<id>.gold.json`).

The measures are those of ../shared/tools/score_corpus.py, overall and per broadcaster:
promotion recall (gold promotion lines or inline substrings absent from the body), body
retention (every other non-empty line present in it, whitespace collapsed; bare section markers
and listed page widgets not counted; in one-line documents, the listed body mentions), language
accuracy, and date accuracy where the first line is a `date YYYY-MM-DD` header.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.config import Config
from pipeline.context import Context
from pipeline.errors import UsageError
from pipeline.registry import STAGES
from pipeline.rules import Pack, RuleSet, load_rules
from pipeline.runner import run_stages
from pipeline.text import collapse_ws

MARKER = re.compile(r"^(\[[^\]]{1,24}\]|◀\s*[^▶]{1,20}\s*▶)$")
HEADER = re.compile(r"^date (\d{4}-\d{2}-\d{2})\b")


@dataclass
class Tally:
    docs: int = 0
    covered: int = 0
    promo_total: int = 0
    promo_gone: int = 0
    body_total: int = 0
    body_kept: int = 0
    lang_ok: int = 0
    dated: int = 0
    date_ok: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def promo_recall(self) -> float:
        return self.promo_gone / self.promo_total if self.promo_total else 1.0

    @property
    def body_retention(self) -> float:
        return self.body_kept / self.body_total if self.body_total else 1.0

    @property
    def lang_accuracy(self) -> float:
        return self.lang_ok / self.docs if self.docs else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.date_ok / self.dated if self.dated else 1.0


@dataclass
class Evaluation:
    overall: Tally = field(default_factory=Tally)
    by_broadcaster: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def load_gold(folder: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(file name, text, gold labels) for every `<id>.txt` that has an `<id>.gold.json`."""
    if not folder.is_dir():
        raise UsageError(f"gold folder {folder} not found")
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        gold_path = txt.with_name(f"{txt.stem}.gold.json")
        if gold_path.is_file():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            docs.append((txt.name, txt.read_text(encoding="utf-8"), gold))
    if not docs:
        raise UsageError(f"no <id>.txt with <id>.gold.json in {folder}")
    return docs


def score_document(
    text: str, gold: dict[str, Any], row: dict[str, Any] | None, name: str
) -> tuple[Tally, list[str]]:
    """The tally of one document against its gold labels, and its misses."""
    tally, misses = Tally(docs=1), []
    promos = [p for p in (collapse_ws(x) for x in gold.get("promo_lines", [])) if p]
    if row is None:
        tally.promo_total = len(promos)
        return tally, [f"{name}: no row in articles"]
    tally.covered = 1
    body = collapse_ws(row["body"] or "")
    if row["lang"] == gold.get("body_language"):
        tally.lang_ok = 1
    else:
        misses.append(f"{name}: lang {row['lang']!r}, gold {gold.get('body_language')!r}")
    for promo in promos:
        tally.promo_total += 1
        if promo in body:
            misses.append(f"{name}: promotion kept: {promo[:90]}")
        else:
            tally.promo_gone += 1
    lines = text.splitlines()
    header = HEADER.match(collapse_ws(lines[0])) if lines else None
    if header:
        tally.dated = 1
        got = str(row["published_date"] or "")[:10]
        if got == header.group(1):
            tally.date_ok = 1
        else:
            misses.append(f"{name}: published_date {got!r}, header says {header.group(1)}")
        lines = lines[1:]
    if gold.get("inline"):
        lines = gold.get("body_mentions", [])
    skip = set(promos) | {collapse_ws(c) for c in gold.get("ui_chrome_lines", [])}
    for line in map(collapse_ws, lines):
        if not line or line in skip or MARKER.match(line):
            continue
        tally.body_total += 1
        if line in body:
            tally.body_kept += 1
        else:
            misses.append(f"{name}: body line lost: {line[:90]}")
    return tally, misses


Gold = tuple[str, str, dict[str, Any]]


@contextmanager
def scratch_run(config: Config, raw: Path | None = None) -> Iterator[Context]:
    """The context of a run that writes into a scratch folder, removed afterwards. It reads
    `raw`, or, without one, a `raw/` in the scratch folder for the caller to fill."""
    work = Path(tempfile.mkdtemp(prefix="newspipe-eval-"))
    try:
        if raw is None:
            raw = work / "raw"
            raw.mkdir()
        yield Context(raw=raw, out=work / "out", config=config)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _articles(docs: list[Gold], config: Config) -> dict[str, dict[str, Any]]:
    """The pipeline's articles for some gold documents, by file name (a run in a scratch folder)."""
    with scratch_run(config) as ctx:
        for name, text, _ in docs:
            (ctx.raw / name).write_text(text, encoding="utf-8")
        run_stages(STAGES, ctx, force=True)
        rows = pq.read_table(ctx.catalog.published("articles")).to_pylist()
    return {Path(r["source_path"]).name: r for r in rows}


def _score(
    result: Evaluation, docs: list[Gold], rows: dict[str, dict[str, Any]], label: str = ""
) -> None:
    """Add the documents' tallies to the result, per broadcaster (its short name with a label,
    when one is given: "KBS (without kbs)")."""
    for name, text, gold in docs:
        tally, misses = score_document(text, gold, rows.get(name), name)
        result.overall.add(tally)
        key = str(gold.get("broadcaster") or "unknown")
        if label:
            key = f"{key.split(' (')[0]} {label}"
        result.by_broadcaster.setdefault(key, Tally()).add(tally)
        result.misses += misses


def evaluate(folder: Path, config: Config) -> Evaluation:
    """Run the whole pipeline on the folder's texts in a scratch folder and score the articles."""
    docs = load_gold(folder)
    result = Evaluation()
    _score(result, docs, _articles(docs, config))
    return result


def pack_for(broadcaster: str, rules: RuleSet) -> Pack | None:
    """The rule pack of a gold broadcaster ("KBS (entertainment YouTube channel …)" -> kbs)."""
    name = broadcaster.split(" (")[0].strip().casefold()
    for pack in rules.packs:
        if pack.id != "generic" and name in {
            pack.id,
            pack.name.casefold(),
            *(a.casefold() for a in pack.aliases),
        }:
            return pack
    return None


def leave_one_out(folder: Path, config: Config) -> Evaluation:
    """Each broadcaster's documents scored with its own pack switched off (the others on).

    This is how the pipeline does on an outlet whose pack does not exist yet, or whose footer
    changed: the rows say which pack was off. Documents of outlets without a pack are scored
    with every pack on, which is already their case."""
    docs = load_gold(folder)
    every = dataclasses.replace(config, packs="all")
    rules = load_rules(config.channels_dir, "all", config.detector)
    groups: dict[str | None, list[Gold]] = {}
    for doc in docs:
        pack = pack_for(str(doc[2].get("broadcaster") or ""), rules)
        groups.setdefault(pack.id if pack else None, []).append(doc)
    names = [p.id for p in rules.packs if p.id != "generic"]
    result = Evaluation()
    for pack_id, group in sorted(groups.items(), key=lambda kv: kv[0] or ""):
        if pack_id is None:
            _score(result, group, _articles(group, every), "(no pack)")
            continue
        others = ",".join(n for n in names if n != pack_id) or "generic"
        off = dataclasses.replace(config, packs=others)
        _score(result, group, _articles(group, off), f"(without {pack_id})")
    return result


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-1]
    return text + " " * (width - _width(text))


def table(result: Evaluation) -> str:
    """The evaluation as a terminal table, one row per broadcaster and one for all."""

    def cell(value: float, part: int, whole: int, width: int) -> str:
        return f"{value:>6.3f} {f'({part}/{whole})':>{width}}"

    def row(name: str, t: Tally) -> str:
        return "  ".join(
            [
                _pad(name, 28) + f"{t.docs:>5}",
                cell(t.promo_recall, t.promo_gone, t.promo_total, 11),
                cell(t.body_retention, t.body_kept, t.body_total, 11),
                cell(t.lang_accuracy, t.lang_ok, t.docs, 9),
                cell(t.date_accuracy, t.date_ok, t.dated, 9),
            ]
        )

    head = "  ".join(
        [
            _pad("broadcaster", 28) + " docs",
            f"{'promo recall':>18}",
            f"{'body retention':>18}",
            f"{'language':>16}",
            f"{'date':>16}",
        ]
    )
    rule = "-" * _width(head)
    rows = [head, rule, *(row(n, t) for n, t in sorted(result.by_broadcaster.items()))]
    return "\n".join([*rows, rule, row("all", result.overall)])
