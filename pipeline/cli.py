"""The command line: parse, call the runner, report. No pipeline logic lives here."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.config import DEFAULT_CONFIG, load_config
from pipeline.context import Context
from pipeline.errors import NewspipeError
from pipeline.lock import RunLock
from pipeline.registry import NAMES, STAGES, select
from pipeline.runner import StageResult, run_stages
from pipeline.summary import summarise


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newspipe", description="Clean datasets from scraped Korean broadcast-news texts."
    )
    parser.add_argument("--version", action="version", version=f"newspipe {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the pipeline, or some of its stages")
    run.add_argument(
        "--raw", type=Path, default=Path("data/raw"), help="folder of raw *.txt (data/raw)"
    )
    run.add_argument(
        "--out", type=Path, default=Path("data/processed"), help="output folder (data/processed)"
    )
    run.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="settings (config/pipeline.toml)"
    )
    which = run.add_mutually_exclusive_group()
    which.add_argument("--stage", metavar="NAME", help=f"run one stage: {', '.join(NAMES)}")
    run.add_argument("--from", dest="first", metavar="NAME", help="first stage of a slice")
    run.add_argument("--to", dest="last", metavar="NAME", help="last stage of a slice")
    run.add_argument("--force", action="store_true", help="rerun stages even when nothing changed")
    run.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    stages = sub.add_parser(
        "stages", help="list the stages, what they read and write, what is there"
    )
    stages.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder")
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.stage and (args.first or args.last):
        raise NewspipeError("give --stage or --from/--to, not both")
    config = load_config(args.config)
    ctx = Context(raw=args.raw, out=args.out, config=config)
    chosen = select(args.stage, args.first, args.last)
    if chosen[0].name == "ingest" and not args.raw.is_dir():
        from pipeline.errors import RawFolderError

        raise RawFolderError(f"raw folder {args.raw} not found")
    ctx.rules  # noqa: B018  (a bad rule pack is reported before any data is touched)
    t0 = time.perf_counter()
    with RunLock(args.out):
        results: list[StageResult] = run_stages(chosen, ctx, force=args.force)
    if not args.quiet:
        print(summarise(ctx, results, time.perf_counter() - t0))
    return 0


def _stages(args: argparse.Namespace) -> int:
    from pipeline.store import Store

    store = Store(args.out)
    for s in STAGES:
        outputs = s.writes + tuple(f"{n} (published)" for n in s.publishes)
        present = all(store.has(n) for n in s.writes) and all(
            store.published(n).is_file() for n in s.publishes
        )
        print(f"{s.name:<9} {s.about}")
        print(f"          reads:  {', '.join(s.reads) or 'the raw folder'}")
        print(f"          writes: {', '.join(outputs)}  [{'present' if present else 'missing'}]")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    try:
        return _run(args) if args.command == "run" else _stages(args)
    except NewspipeError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
