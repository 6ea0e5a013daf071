"""What a run did, stage by stage: the reports the loop fills in, and runs/<run id>.json."""

from __future__ import annotations

import os
import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.context import Context
from pipeline.registry import package_version
from pipeline.runner.plan import fingerprints
from pipeline.store import write_json


@dataclass
class StageReport:
    name: str
    batches_run: int = 0
    batches_skipped: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class RunReport:
    run_id: str
    started: float
    stages: list[StageReport] = field(default_factory=list)
    published: bool = False
    ended: float = 0.0


def new_run_id() -> str:
    """UTC time to the millisecond and the process id: sortable, and unique on one machine."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{stamp}.{int(now * 1000) % 1000:03d}Z-{os.getpid()}"


def versions() -> dict[str, str]:
    packages = (
        "kiwipiepy",
        "kiwipiepy_model",
        "spacy",
        "simplemma",
        "langdetect",
        "pyarrow",
        "pandas",
    )
    return {"python": platform.python_version(), "newspipe": __version__} | {
        p: package_version(p) for p in packages
    }


def write_manifest(ctx: Context, report: RunReport, status: str, error: str | None = None) -> Path:
    """runs/<run id>.json: what the run did, stage by stage, and with what."""
    path = ctx.catalog.manifest(report.run_id)
    write_json(path, {
        "run_id": report.run_id,
        "status": status,
        "error": error,
        "started": _iso(report.started),
        "ended": _iso(report.ended or time.time()),
        "seconds": round((report.ended or time.time()) - report.started, 3),
        "raw": str(ctx.raw),
        "out": str(ctx.out),
        "published": report.published,
        "stages": {
            s.name: {"batches_run": s.batches_run, "batches_skipped": s.batches_skipped,
                     "rows_written": dict(s.rows), "documents": dict(s.counts),
                     "seconds": round(s.seconds, 3)}
            for s in report.stages
        },
        "versions": versions(),
        "config": {
            "path": str(ctx.config.path) if ctx.config.path else None,
            "sha256": ctx.config.digest,
            "packs": ctx.config.packs,
            "own_packs": str(ctx.config.channels_dir) if ctx.config.channels_dir else None,
            "detector": ctx.config.detector,
        },
        "rules": ctx.rules.digest,
        "fingerprints": fingerprints(ctx),
    })  # fmt: skip
    return path


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
