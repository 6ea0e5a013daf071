"""The Python API, for notebooks and scripts: clean one text in memory, run the pipeline, read
what it wrote.

    import pipeline
    result = pipeline.clean_text(text)  # body, lang, segments, tokens, sentences, quotes, …
    report = pipeline.run("data/raw", "data/processed")
    articles = pipeline.read("data/processed", "articles")

The command line is a thin layer over these: `newspipe run` is `run`, with progress bars and a
summary printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.config import Config, project_config
from pipeline.context import Context
from pipeline.engine.choose import make_engine
from pipeline.errors import ConfigError, NewspipeError, RawFolderError, RunFailed, UsageError
from pipeline.lock import RunLock
from pipeline.progress import Progress, Silent
from pipeline.registry import Stage, select
from pipeline.rules.check import check_examples
from pipeline.runner import RunReport, new_run_id, run_stages, write_manifest
from pipeline.schemas import PUBLISHED

log = logging.getLogger("pipeline")

PathLike = str | Path


def settings(
    config: PathLike | None = None,
    *,
    packs: str | None = None,
    detector: bool | None = None,
    packs_dir: PathLike | None = None,
) -> Config:
    """The settings a run uses: the config file (else config/pipeline.toml where it runs, else
    the built-in defaults) with a choice of packs, the detector and a folder of own packs on top."""
    found = project_config(Path(config) if config is not None else None)
    if packs_dir is not None:
        if not Path(packs_dir).is_dir():
            raise ConfigError(f"rule pack folder {packs_dir} not found")
        found = dataclasses.replace(found, channels_dir=Path(packs_dir))
    if packs:
        found = dataclasses.replace(found, packs=packs)
    if detector is not None:
        found = dataclasses.replace(found, detector=detector)
    return found


def execute(
    ctx: Context,
    stages: tuple[Stage, ...],
    *,
    force: bool = False,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Run the stages under the output folder's lock, write the run's manifest, return its report.

    A bad rule pack or a missing raw folder is reported before any data is touched."""
    if stages[0].name == "ingest" and not ctx.raw.is_dir():
        raise RawFolderError(f"raw folder {ctx.raw} not found")
    problems = check_examples(ctx.rules)
    if problems:
        raise ConfigError(f"{problems[0]} (newspipe rules check lists every problem)")
    progress = progress or Silent()
    with RunLock(ctx.out):
        chosen = make_engine(engine, workers, scheduler)
        report = RunReport(new_run_id(), time.time())
        names = [s.name for s in stages]
        log.info(
            "run %s: %s", report.run_id, " ".join(names),
            extra={"event": "start", "run_id": report.run_id, "stages": names},
        )  # fmt: skip
        try:
            ctx = ctx.with_threads(chosen.kiwi_threads)
            run_stages(stages, ctx, force=force, report=report, engine=chosen, progress=progress)
        except NewspipeError:
            raise
        except Exception as exc:
            manifest = write_manifest(ctx, report, "failed", traceback.format_exc())
            raise RunFailed(
                f"run {report.run_id} failed: {type(exc).__name__}: {exc} (details in {manifest})"
            ) from None
        finally:
            progress.close()
            chosen.close()
        manifest = write_manifest(ctx, report, "ok")
    log.info(
        "run %s done in %.1f s", report.run_id, report.ended - report.started,
        extra={"event": "end", "run_id": report.run_id, "manifest": str(manifest)},
    )  # fmt: skip
    return report


def run(
    raw: PathLike = "data/raw",
    out: PathLike = "data/processed",
    *,
    config: PathLike | None = None,
    packs: str | None = None,
    detector: bool | None = None,
    packs_dir: PathLike | None = None,
    stage: str | None = None,
    first: str | None = None,
    last: str | None = None,
    force: bool = False,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> RunReport:
    """Do what `newspipe run` does, with the same options; return the run's report (its stages'
    batches, rows and seconds, and what ingest found: files new, changed, removed, quarantined)."""
    if stage and (first or last):
        raise UsageError("give stage or first/last, not both")
    found = settings(config, packs=packs, detector=detector, packs_dir=packs_dir)
    ctx = Context(raw=Path(raw), out=Path(out), config=found)
    chosen = select(stage, first, last)
    return execute(ctx, chosen, force=force, engine=engine, workers=workers, scheduler=scheduler)


def read(out: PathLike = "data/processed", name: str = "articles") -> pd.DataFrame:
    """A published dataset as a DataFrame: dates as dates (datetime64), the columns of few
    values (lang, part, kind, broadcaster, rule_id, reason) as categories."""
    if name not in PUBLISHED:
        raise UsageError(f"unknown dataset {name!r}; available: {', '.join(PUBLISHED)}")
    path = Path(out) / f"{name}.parquet"
    if not path.exists():
        raise UsageError(f"{path} not found: run newspipe on {out} first")
    frame = pd.read_parquet(path)
    for column in frame.columns:
        if column == "published_date":
            frame[column] = pd.to_datetime(frame[column])
        elif column in ("lang", "part", "kind", "broadcaster", "rule_id", "reason"):
            frame[column] = frame[column].astype("category")
    return frame


# --- one document in memory ------------------------------------------------------------------


@dataclass(frozen=True)
class Cleaned:
    """One document's result: what `run` would write for it, without writing anything."""

    body: str
    lang: str
    broadcaster: str | None
    title: str | None
    published_date: dt.date | None
    segments: pd.DataFrame  # with each body line's role
    tokens: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    quotes: pd.DataFrame
    reporters: list[str]
    credits: dict[str, list[str]]


def process(documents: pa.Table, ctx: Context) -> dict[str, pa.Table]:
    """Every dataset the batch stages make of some documents, in memory (the same functions a
    run uses on a batch)."""
    from pipeline.stages import detect, export, strip, tokenize

    tables: dict[str, pa.Table] = {"documents": documents}
    for stage in (detect, tokenize, strip, export):
        tables.update(stage.batch(ctx, tables))
    return tables


def clean_text(
    text: str,
    *,
    packs: str | None = None,
    detector: bool | None = None,
    config: PathLike | None = None,
    packs_dir: PathLike | None = None,
    source_path: str = "<text>",
) -> Cleaned:
    """Clean one text in memory: its body, language, segments (with roles), tokens, sentences,
    what was removed, its quotes, reporters and credits.

    The text may start with the scraper header `date YYYY-MM-DD <title>`; it goes through the
    stages a run uses, with the same settings, packs and detector."""
    from pipeline.stages.ingest import document_table, make_document

    if not text.strip():
        raise UsageError("the text is empty")
    found = settings(config, packs=packs, detector=detector, packs_dir=packs_dir)
    ctx = Context(raw=Path("."), out=Path("."), config=found)
    doc = make_document(text, source_path, "utf-8")
    tables = process(document_table([doc]), ctx)
    [article] = tables["articles"].to_pylist()
    return Cleaned(
        body=article["body"],
        lang=article["lang"],
        broadcaster=article["broadcaster"],
        title=article["title"],
        published_date=article["published_date"],
        segments=tables["final_segments"].to_pandas(),
        tokens=tables["tokens"].to_pandas(),
        sentences=tables["sentences"].to_pandas(),
        removed=tables["removed"].to_pandas(),
        quotes=tables["quotes"].to_pandas(),
        reporters=list(article["reporters"]),
        credits={label: list(names) for label, names in article["credits"]},
    )
