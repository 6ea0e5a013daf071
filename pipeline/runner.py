"""Run a selection of stages in order, skipping those whose inputs and settings have not changed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from pipeline import __version__
from pipeline.context import Context
from pipeline.errors import MissingInputError
from pipeline.registry import Stage, maker

log = logging.getLogger(__name__)


@dataclass
class StageResult:
    name: str
    ran: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def fingerprint(stage: Stage, ctx: Context) -> str:
    """What a stage's output depends on: its inputs, the settings, the rules, the libraries."""
    parts: dict[str, object] = {
        "newspipe": __version__,
        "config": ctx.config.digest,
        "rules": ctx.rules.digest if stage.name in ("detect", "strip", "export") else "",
        "kiwi": [_version("kiwipiepy"), _version("kiwipiepy_model")]
        if stage.name == "tokenize"
        else "",
    }
    if stage.name == "ingest":
        listing = []
        for root, _, files in sorted(os.walk(ctx.raw, followlinks=False)):
            for name in sorted(files):
                if name.endswith(".txt"):
                    try:
                        st = os.stat(os.path.join(root, name))
                    except OSError:
                        continue
                    listing.append((os.path.join(root, name), st.st_size, st.st_mtime_ns))
        parts["raw"] = listing
    for name in stage.reads:
        st = ctx.store.staged(name).stat()
        parts[name] = (st.st_size, st.st_mtime_ns)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _stamp(stage: Stage, ctx: Context) -> Path:
    return ctx.store.staging / f"{stage.name}.stamp.json"


def _outputs_present(stage: Stage, ctx: Context) -> bool:
    return all(ctx.store.has(n) for n in stage.writes) and all(
        ctx.store.published(n).is_file() for n in stage.publishes
    )


def check_inputs(stages: tuple[Stage, ...], ctx: Context) -> None:
    """Every dataset a stage reads is made by an earlier selected stage or is already there."""
    made: set[str] = set()
    for stage in stages:
        for name in stage.reads:
            if name not in made and not ctx.store.has(name):
                made_by = maker(name).name
                raise MissingInputError(
                    f"{stage.name} needs {name}, which the stage {made_by} makes: run it first"
                )
        made.update(stage.writes)


def run_stages(
    stages: tuple[Stage, ...], ctx: Context, *, force: bool = False
) -> list[StageResult]:
    check_inputs(stages, ctx)
    results = []
    for stage in stages:
        stamp = _stamp(stage, ctx)
        fp = fingerprint(stage, ctx)
        if (
            not force
            and _outputs_present(stage, ctx)
            and stamp.is_file()
            and stamp.read_text() == fp
        ):
            log.info("%s: up to date", stage.name)
            results.append(StageResult(stage.name, ran=False))
            continue
        t0 = time.perf_counter()
        counts = stage.run(ctx)
        seconds = time.perf_counter() - t0
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(fp)  # as the inputs were when the stage started
        log.info(
            "%s: %s in %.1f s",
            stage.name,
            ", ".join(f"{k} {v}" for k, v in counts.items()),
            seconds,
        )
        results.append(StageResult(stage.name, ran=True, seconds=seconds, counts=counts))
    return results
