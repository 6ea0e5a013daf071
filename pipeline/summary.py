"""What a run prints when it ends, and what `newspipe status` reports."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.context import Context
from pipeline.runner import RunReport
from pipeline.schemas import PUBLISHED
from pipeline.store import Store


def _read(path: Path, column: str) -> list[Any]:
    return pq.read_table(path, columns=[column])[column].to_pylist()


def summarise(ctx: Context, report: RunReport) -> str:
    store = ctx.store
    seconds = report.ended - report.started
    lines = [f"newspipe run {report.run_id}: {ctx.raw} -> {ctx.out} in {seconds:.1f} s"]
    for rep in report.stages:
        if rep.name == "ingest":
            c = rep.counts
            what = f"{c['files']} files: " + ", ".join(
                f"{c[k]} {k}" for k in ("new", "changed", "unchanged", "removed", "quarantined")
            )
        else:
            rows = ", ".join(f"{k} {v}" for k, v in rep.rows.items())
            what = f"{rep.batches_run} batches run, {rep.batches_skipped} up to date" + (
                f"; {rows}" if rows else ""
            )
        lines.append(f"  {rep.name:<9} {what}  ({rep.seconds:.1f} s)")
    if report.published:
        articles = store.published("articles")
        langs = Counter(_read(articles, "lang"))
        reasons = Counter(_read(store.published("quarantine"), "reason"))
        rules = _read(store.published("removed"), "rule_id")
        n_articles, n_quarantined = sum(langs.values()), sum(reasons.values())
        why = f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else ""
        lines.append(
            f"  documents {n_articles + n_quarantined}: {n_articles} articles, "
            f"{n_quarantined} quarantined{why}"
        )
        lines.append("  languages " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
        lines.append(f"  stripped  {len(rules)} spans by {len(set(rules))} rules")
    return "\n".join(lines)


def status(out: Path, n_runs: int) -> dict[str, Any]:
    """The last runs (newest first) and each published dataset's rows, for `newspipe status`."""
    store = Store(out)
    runs = []
    for path in sorted((out / "runs").glob("*.json"), reverse=True)[:n_runs]:
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
    version = store.current_version()
    published = None
    datasets: dict[str, dict[str, Any]] = {}
    if version:
        link = out / "current"
        published = dt.datetime.fromtimestamp(link.lstat().st_mtime, dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        for name in PUBLISHED:
            datasets[name] = {
                "rows": pq.ParquetDataset(store.published(name)).read(columns=[]).num_rows
            }
    return {
        "out": str(out),
        "version": version,
        "published": published,
        "runs": runs,
        "datasets": datasets,
    }
