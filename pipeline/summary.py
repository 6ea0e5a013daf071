"""The short report a run prints: documents, quarantine, languages, what was stripped, time."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq

from pipeline.context import Context
from pipeline.runner import StageResult


def summarise(ctx: Context, results: list[StageResult], seconds: float) -> str:
    store = ctx.store
    lines = [f"newspipe: {ctx.raw} -> {ctx.out} in {seconds:.1f} s"]
    for r in results:
        what = ", ".join(f"{k} {v}" for k, v in r.counts.items()) if r.ran else "up to date"
        lines.append(f"  {r.name:<9} {what}" + (f"  ({r.seconds:.1f} s)" if r.ran else ""))
    articles = store.published("articles")
    if articles.is_file():
        table = pq.read_table(articles, columns=["lang"])
        langs = Counter(table["lang"].to_pylist())
        quarantine = pq.read_table(store.published("quarantine"), columns=["reason"])
        reasons = Counter(quarantine["reason"].to_pylist())
        removed = pq.read_table(store.published("removed"), columns=["rule_id"])
        lines.append(
            f"  documents {table.num_rows + quarantine.num_rows}: {table.num_rows} articles, "
            f"{quarantine.num_rows} quarantined"
            + (f" ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})" if reasons else "")
        )
        lines.append("  languages " + ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
        n_rules = len(set(removed["rule_id"].to_pylist()))
        lines.append(f"  stripped  {removed.num_rows} spans by {n_rules} rules")
    return "\n".join(lines)
