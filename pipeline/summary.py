"""What a run prints when it ends, and what `newspipe status` reports."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
from rich import box
from rich.console import Console
from rich.table import Table

from pipeline.catalog import Catalog
from pipeline.context import Context
from pipeline.runner import RunReport
from pipeline.schemas import PUBLISHED

if TYPE_CHECKING:
    import pandas as pd


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    import pandas as pd  # a fifth of a second to import: only when a summary reads a dataset

    return pd.read_parquet(path, columns=columns)


def _table(title: str, head: list[str], rows: list[list[Any]], right: int = 1) -> Table:
    """A small table; columns from `right` on are numbers, aligned right."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for i, name in enumerate(head):
        table.add_column(name, justify="right" if i >= right else "left")
    for row in rows:
        table.add_row(*(f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row))
    return table


def summary_parts(ctx: Context, report: RunReport) -> list[Any]:
    """What the end of a run prints: lines and tables (rich renderables)."""
    seconds = report.ended - report.started
    parts: list[Any] = [f"newspipe run {report.run_id}: {ctx.raw} -> {ctx.out} in {seconds:.1f} s"]
    rows = []
    for rep in report.stages:
        if rep.name == "ingest":
            c = rep.counts
            parts.append(
                f"  {c['files']} files: "
                + ", ".join(f"{c[k]} {k}" for k in ("new", "changed", "unchanged", "removed"))
                + f", {c['quarantined']} quarantined"
                + (f", {c['skipped']} records skipped" if c["skipped"] else "")
            )
        written = ", ".join(f"{k} {v:,}" for k, v in rep.rows.items())
        rows.append([rep.name, rep.batches_run, rep.batches_skipped, written, rep.seconds])
    parts.append(
        _table("stages", ["stage", "batches run", "up to date", "rows written", "s"], rows)
    )
    if not report.published:
        return parts
    catalog = ctx.catalog
    articles = _read(catalog.published("articles"), ["doc_id", "broadcaster", "lang", "n_tokens"])
    quarantine = _read(catalog.published("quarantine"), ["reason"])
    reasons = Counter(quarantine["reason"])
    why = f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else ""
    parts.append(
        f"  documents {len(articles) + len(quarantine)}: {len(articles)} articles, "
        f"{len(quarantine)} quarantined{why}"
    )
    langs = Counter(articles["lang"])
    parts.append("  languages " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    parts.append(f"  tokens    {int(articles['n_tokens'].sum()):,} in article bodies")
    removed = _read(catalog.published("removed"), ["doc_id", "seg_id", "rule_id"])
    parts.append(f"  stripped  {len(removed)} spans by {removed['rule_id'].nunique()} rules")
    if len(removed):
        joined = removed.merge(articles[["doc_id", "broadcaster"]], on="doc_id", how="left")
        joined["broadcaster"] = joined["broadcaster"].fillna("(unknown)")
        groups = joined.groupby(["broadcaster", "rule_id"])
        by_rule = groups.agg(spans=("seg_id", "size"), documents=("doc_id", "nunique"))
        rows = [[b, r, int(x.spans), int(x.documents)] for (b, r), x in by_rule.iterrows()]
        parts.append(_table("stripped", ["broadcaster", "rule", "spans", "documents"], rows, 2))
    return parts


def print_summary(ctx: Context, report: RunReport) -> None:
    """The summary on stdout: tables for people, the same words when piped."""
    console = Console(highlight=False, soft_wrap=True)
    for part in summary_parts(ctx, report):
        console.print(part)


def status(out: Path, n_runs: int) -> dict[str, Any]:
    """The last runs (newest first) and each published dataset's rows, for `newspipe status`."""
    catalog = Catalog(out)
    runs = []
    for path in catalog.manifests()[::-1][:n_runs]:
        data = json.loads(path.read_text())
        ingest = data["stages"].get("ingest", {}).get("documents", {})
        summary = (
            f"{ingest.get('files', 0)} files, {ingest.get('new', 0)} new, "
            f"{ingest.get('changed', 0)} changed, {ingest.get('removed', 0)} removed"
            if ingest
            else ", ".join(data["stages"])
        )
        runs.append(
            {k: data[k] for k in ("run_id", "status", "started", "ended", "seconds")}
            | {"summary": summary}
        )
    version = catalog.current_version()
    published = None
    datasets: dict[str, dict[str, Any]] = {}
    if version:
        published = dt.datetime.fromtimestamp(catalog.current().lstat().st_mtime, dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        for name in PUBLISHED:
            datasets[name] = {
                "rows": pq.ParquetDataset(catalog.published(name)).read(columns=[]).num_rows
            }
    return {
        "out": str(out),
        "version": version,
        "published": published,
        "runs": runs,
        "datasets": datasets,
    }
