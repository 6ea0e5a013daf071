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
from pipeline.errors import ConfigError, NewspipeError, RawFolderError
from pipeline.lock import RunLock
from pipeline.registry import NAMES, STAGES, select
from pipeline.rules import load_rules
from pipeline.rules.check import check_backtracking, check_examples
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

    rules = sub.add_parser("rules", help="work with the rule packs")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    check = rules_sub.add_parser("check", help="validate every rule pack")
    check.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings")
    check.add_argument("--budget", type=float, default=1.0, help="seconds a pattern may take (1)")

    ev = sub.add_parser("eval", help="score the pipeline against a gold-labelled folder")
    ev.add_argument("gold", type=Path, metavar="DIR", help="folder of <id>.txt and <id>.gold.json")
    ev.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings")
    ev.add_argument("--details", action="store_true", help="list every miss")
    for measure in ("promo-recall", "body-retention", "lang-accuracy", "date-accuracy"):
        ev.add_argument(
            f"--min-{measure}",
            type=float,
            default=0.0,
            metavar="X",
            help=f"exit 1 when {measure.replace('-', ' ')} is below X",
        )
    return parser


def _run(args: argparse.Namespace) -> int:
    if args.stage and (args.first or args.last):
        raise NewspipeError("give --stage or --from/--to, not both")
    config = load_config(args.config)
    ctx = Context(raw=args.raw, out=args.out, config=config)
    chosen = select(args.stage, args.first, args.last)
    if chosen[0].name == "ingest" and not args.raw.is_dir():
        raise RawFolderError(f"raw folder {args.raw} not found")
    problems = check_examples(ctx.rules)  # a bad pack is reported before any data is touched
    if problems:
        raise ConfigError(f"{problems[0]} (newspipe rules check lists every problem)")
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


def _rules_check(args: argparse.Namespace) -> int:
    rules = load_rules(load_config(args.config).channels_dir)
    from pipeline.stages.tokenize import kiwi, threads

    def tokenize(text: str) -> tuple[list[str], list[str], list[int], list[int]]:
        toks = kiwi(threads(0)).tokenize(text)
        ends = [t.start + t.len for t in toks]
        return [t.form for t in toks], [t.tag for t in toks], [t.start for t in toks], ends

    problems = check_examples(rules, tokenize) + check_backtracking(rules, args.budget)
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    if problems:
        return 2
    n_rules = sum(len(p.rules) for p in rules.packs)
    print(
        f"{len(rules.packs)} packs, {n_rules} rules: every pattern compiles, every example is "
        f"removed, every keep-example stays, none runs over {args.budget:g} s"
    )
    return 0


def _eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, table

    result = evaluate(args.gold, load_config(args.config))
    if args.details and result.misses:
        print("\n".join(result.misses))
    print(table(result))
    t = result.overall
    short = (
        t.promo_recall < args.min_promo_recall
        or t.body_retention < args.min_body_retention
        or t.lang_accuracy < args.min_lang_accuracy
        or t.date_accuracy < args.min_date_accuracy
        or t.covered < t.docs
    )
    return 1 if short else 0


COMMANDS = {"run": _run, "stages": _stages, "rules": _rules_check, "eval": _eval}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.command == "run" and not args.quiet else logging.WARNING,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    try:
        return COMMANDS[args.command](args)
    except NewspipeError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
