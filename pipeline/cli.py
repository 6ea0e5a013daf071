"""The command line: parse, call the runner, report. No pipeline logic lives here."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.api import execute, settings
from pipeline.config import DEFAULT_CONFIG, Config
from pipeline.context import Context
from pipeline.errors import NewspipeError, RawFolderError, UsageError
from pipeline.fingerprints import of
from pipeline.logs import configure
from pipeline.progress import Bars, make_progress
from pipeline.registry import NAMES, STAGES, select
from pipeline.rules import load_rules
from pipeline.rules.check import check_backtracking, check_examples, check_roles
from pipeline.runner import fingerprints
from pipeline.runner.plan import marked
from pipeline.summary import print_summary, status

log = logging.getLogger("pipeline")


PATHS: dict[str, tuple[Path | None, str]] = {
    "raw": (Path("data/raw"), "folder of raw *.txt (data/raw)"),
    "out": (Path("data/processed"), "output folder (data/processed)"),
    "config": (
        None,
        f"settings (default: {DEFAULT_CONFIG} here when there is one, else the built-in defaults)",
    ),
}


def _paths(parser: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        default, help_text = PATHS[name]
        parser.add_argument(f"--{name}", type=Path, default=default, help=help_text)
        if name == "config":
            parser.add_argument(
                "--packs-dir",
                type=Path,
                metavar="DIR",
                help="your own rule packs, beside the built-in ones (default: the config's "
                "strip.channels); a pack there replaces the built-in pack of its channel name",
            )


def _cleaning(parser: argparse.ArgumentParser) -> None:
    """--packs and --no-detector: which rules find promotion (they override the config)."""
    parser.add_argument(
        "--packs",
        metavar="CHOICE",
        help="rule packs: all (default), generic, none, or NAME[,NAME…] (generic comes too)",
    )
    parser.add_argument(
        "--no-detector", action="store_true", help="switch the generic promotion detector off"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newspipe", description="Clean datasets from scraped Korean broadcast-news texts."
    )
    parser.add_argument("--version", action="version", version=f"newspipe {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run the pipeline, or some of its stages")
    _paths(run, "raw", "out", "config")
    run.add_argument("--stage", metavar="NAME", help=f"run one stage: {', '.join(NAMES)}")
    run.add_argument("--from", dest="first", metavar="NAME", help="first stage of a slice")
    run.add_argument("--to", dest="last", metavar="NAME", help="last stage of a slice")
    run.add_argument(
        "--force", action="store_true", help="redo the work even where it is up to date"
    )
    run.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    run.add_argument("--workers", type=int, metavar="N", help="cores to use (default: all)")
    run.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local (default) or dask, a Dask cluster (pip install '.[dask]')",
    )
    run.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler; without it a LocalCluster starts"
    )
    _cleaning(run)
    run.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json: one event a line for schedulers",
    )

    stages = sub.add_parser(
        "stages", help="list the stages, what they read and write, what is there"
    )
    _paths(stages, "out", "config")

    st = sub.add_parser("status", help="the last runs and the datasets' rows and freshness")
    _paths(st, "out")
    st.add_argument("--json", action="store_true", help="for machines")
    st.add_argument("--runs", type=int, default=5, help="how many runs to list (5)")

    rep = sub.add_parser("report", help="write <out>/report.html: the corpus in charts and tables")
    _paths(rep, "out")
    rep.add_argument("--runs", type=int, default=10, help="how many runs to show (10)")

    rules = sub.add_parser("rules", help="work with the rule packs")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="COMMAND")
    check = rules_sub.add_parser("check", help="validate every rule pack")
    _paths(check, "config")
    check.add_argument("--budget", type=float, default=1.0, help="seconds a pattern may take (1)")
    sug = rules_sub.add_parser(
        "suggest", help="draft rules for lines that recur at the edges of an outlet's documents"
    )
    sug.add_argument(
        "--raw", type=Path, required=True, metavar="DIR", help="folder of raw *.txt to mine"
    )
    sug.add_argument(
        "--min-docs",
        type=int,
        default=3,
        metavar="N",
        help="documents of one outlet a line must recur at the edges of (3)",
    )
    sug.add_argument(
        "--outlet",
        metavar="NAME",
        help="draft for this outlet (default: the one with most suggestions)",
    )
    sug.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the draft pack here (default: print it)",
    )
    sug.add_argument("--force", action="store_true", help="overwrite FILE")
    _paths(sug, "config")

    ev = sub.add_parser("eval", help="score the pipeline against a gold-labelled folder")
    ev.add_argument(
        "gold",
        type=Path,
        metavar="DIR",
        help="folder of <id>.txt and <id>.gold.json (promotion), "
        "or of raw/ and gold.jsonl (roles, quotes, sentences)",
    )
    _paths(ev, "config")
    _cleaning(ev)
    ev.add_argument(
        "--leave-one-out",
        action="store_true",
        help="score each broadcaster with its own pack switched off",
    )
    ev.add_argument("--details", action="store_true", help="list every miss")
    for measure in ("promo-recall", "body-retention", "lang-accuracy", "date-accuracy"):
        ev.add_argument(
            f"--min-{measure}",
            type=float,
            default=0.0,
            metavar="X",
            help=f"exit 1 when {measure.replace('-', ' ')} is below X",
        )
    dd = sub.add_parser("eval-dedup", help="score dedup against a labelled folder of copies")
    dd.add_argument(
        "gold", type=Path, metavar="DIR", help="docs/<id>.txt, clusters.jsonl, hard_negatives.jsonl"
    )
    _paths(dd, "config")
    dd.add_argument("--details", action="store_true", help="list every miss")
    dd.add_argument(
        "--untuned", action="store_true", help="score the rule set before any tuning, to compare"
    )
    ep = sub.add_parser("eval-pairs", help="score the pairing of English reports with their "
                        "Korean originals against a labelled folder")  # fmt: skip
    ep.add_argument(
        "gold", type=Path, metavar="DIR", help="docs/<id>.txt, docs.jsonl, pairs.jsonl, lines.jsonl"
    )
    ep.add_argument("--details", action="store_true", help="list every miss")
    ep.add_argument(
        "--part",
        type=int,
        choices=(1, 2),
        help="score only the English documents of one half (fixed by their ids), for a "
        "held-out check",
    )
    ini = sub.add_parser("init", help="write a starter project: settings, a pack, data folders")
    ini.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                     help="where (default: here)")  # fmt: skip
    ini.add_argument("--force", action="store_true", help="overwrite the files it writes")

    ex = sub.add_parser("explain", help="one document line by line: what was removed, and why")
    ex.add_argument("file", type=Path, metavar="FILE", help="a raw text file")
    _paths(ex, "config")
    _cleaning(ex)
    ex.add_argument("--json", action="store_true", help="for machines")
    return parser  # fmt: skip


def _config(args: argparse.Namespace) -> Config:
    """The settings with the command line's --packs-dir, --packs and --no-detector on top."""
    return settings(
        args.config,
        packs=getattr(args, "packs", None),
        detector=False if getattr(args, "no_detector", False) else None,
        packs_dir=getattr(args, "packs_dir", None),
    )


def _run(args: argparse.Namespace) -> int:
    if args.stage and (args.first or args.last):
        raise UsageError("give --stage or --from/--to, not both")
    ctx = Context(raw=args.raw, out=args.out, config=_config(args))
    chosen = select(args.stage, args.first, args.last)
    progress = make_progress(not args.quiet and args.log_format == "text")
    if isinstance(progress, Bars):
        logging.getLogger().handlers[:] = [progress.log_handler()]
    try:
        report = execute(
            ctx, chosen, force=args.force, engine=args.engine, workers=args.workers,
            scheduler=args.scheduler, progress=progress,
        )  # fmt: skip
    finally:
        progress.close()  # also when the run is refused before it starts
    if not args.quiet:
        print_summary(ctx, report)
    return 0


def _stages(args: argparse.Namespace) -> int:
    ctx = Context(raw=Path("."), out=args.out, config=_config(args))
    fps = fingerprints(ctx)
    batches = ctx.catalog.batches()
    live = marked(ctx, batches or [])
    for s in STAGES:
        listed = batches is not None if s.name == "ingest" else bool(batches)
        present = listed and all(ctx.catalog.done(s, of(fps, s.name, b), b) for b in live)
        print(f"{s.name:<9} {s.about}")
        print(f"          reads:  {', '.join(s.reads) or 'the raw folder'}")
        print(f"          writes: {', '.join(s.writes)}  [{'present' if present else 'missing'}]")
    return 0


def _status(args: argparse.Namespace) -> int:
    data = status(args.out, args.runs)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    if not data["runs"]:
        print(f"no runs in {args.out} yet")
        return 0
    print(f"last runs in {args.out}:")
    for r in data["runs"]:
        print(
            f"  {r['run_id']}  {r['status']:<6} {r['started']}  {r['seconds']:>7.1f} s  "
            f"{r['summary']}"
        )
    print(f"datasets (version {data['version'] or 'none'}, published {data['published'] or '-'}):")
    for name, d in data["datasets"].items():
        print(f"  {name:<11} {d['rows']:>10} rows")
    return 0  # fmt: skip


def _report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    print(f"wrote {write_report(args.out, runs=args.runs)}")
    return 0


def _rules_check(args: argparse.Namespace) -> int:
    rules = load_rules(_config(args).channels_dir)  # every pack, whatever runs use
    from pipeline.stages.tokenize import morphemes

    problems = (
        check_examples(rules, morphemes)
        + check_roles(rules)
        + check_backtracking(rules, args.budget)
    )
    for problem in problems:
        print(f"Error: {problem}", file=sys.stderr)
    if problems:
        return 2
    n_rules = sum(len(p.rules) for p in rules.packs)
    print(
        f"{len(rules.packs)} packs, {n_rules} rules: every pattern compiles, every example is "
        f"removed, every keep-example stays, none runs over {args.budget:g} s"
    )
    print(
        f"{len(rules.book.paths)} role files, {len(rules.book.rules)} role rules: every example "
        "gets its role, no keep-example does"
    )
    return 0


def _rules_suggest(args: argparse.Namespace) -> int:
    from pipeline.rules.draft import draft, finish
    from pipeline.rules.suggest import choose, suggest

    if args.min_docs < 2:
        raise UsageError("--min-docs must be 2 or more")
    if args.output is not None and args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists; add --force to overwrite it")
    if not args.raw.is_dir():
        raise RawFolderError(f"raw folder {args.raw} not found")
    config = _config(args)
    rules = load_rules(config.channels_dir)  # every pack and the detector, as rules check has them
    mined = suggest(args.raw, rules, config.ingest, args.min_docs)
    for r in mined.skipped:
        print(f"warning: skipped {r.source_path}: {r.reason} ({r.detail})", file=sys.stderr)
    chosen = choose(mined, args.outlet)
    if chosen is not None:  # keep-examples picked and checked for the outlet written only
        chosen = finish(chosen, mined, rules)
    if chosen is None or not chosen.suggestions:
        where = f"of one outlet ({mined.documents} documents read)"
        if args.outlet and chosen:
            where = f"of outlet {chosen.name!r} ({chosen.docs} of {mined.documents} documents)"
        print(
            f"nothing to suggest: no line the packs miss recurs at the edges of {args.min_docs} "
            f"or more documents {where}"
        )
        return 0
    others = [
        f"{o.name} ({len(o.suggestions)})"
        for o in mined.outlets
        if o.name != chosen.name and o.suggestions
    ]
    if others:
        print(f"also suggestions for: {', '.join(others)}; choose with --outlet", file=sys.stderr)
    text = draft(chosen, mined, rules, args.min_docs)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    print(
        f"wrote {args.output}: {len(chosen.suggestions)} rules for {chosen.name} "
        f"({chosen.docs} of {mined.documents} documents)"
    )
    return 0


def _rules(args: argparse.Namespace) -> int:
    return _rules_suggest(args) if args.rules_command == "suggest" else _rules_check(args)


def _eval(args: argparse.Namespace) -> int:
    from pipeline import evaluate_script as script_gold
    from pipeline.evaluate import evaluate, leave_one_out, table

    if args.leave_one_out and args.packs:
        raise UsageError("--leave-one-out chooses the packs itself: give it without --packs")
    if script_gold.is_script_gold(args.gold):
        return _eval_script(args)
    config = _config(args)
    result = (leave_one_out if args.leave_one_out else evaluate)(args.gold, config)
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


def _eval_script(args: argparse.Namespace) -> int:
    """A script gold folder (raw/ + gold.jsonl): roles, quotes, sentences, reporters, credits."""
    from pipeline.evaluate_script import evaluate, format_scores

    if args.leave_one_out:
        raise UsageError("--leave-one-out scores promotion: give it a folder of gold.json files")
    own = args.gold / "pipeline.toml"
    if args.config is None and own.is_file():
        args.config = own
    scores = evaluate(args.gold, _config(args))
    print(format_scores(scores, details=args.details))
    return 0


def _eval_dedup(args: argparse.Namespace) -> int:
    from pipeline.dedup.evaluate import evaluate, format_scores
    from pipeline.dedup.verify import UNTUNED

    scores = evaluate(args.gold, _config(args), UNTUNED if args.untuned else None)
    if args.details and scores.misses:
        print("\n".join(scores.misses))
    print(format_scores(scores))
    return 0


def _eval_pairs(args: argparse.Namespace) -> int:
    from pipeline.pair.evaluate import evaluate, format_scores

    scores = evaluate(args.gold, args.part)
    if args.details and scores.misses:
        print("\n".join(scores.misses))
    print(format_scores(scores))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from pipeline.explain import explain, render

    config = _config(args)
    ctx = Context(raw=args.file.parent, out=Path("."), config=config)
    result = explain(args.file, ctx)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(render(result, shutil.get_terminal_size((120, 24)).columns - 30))
    return 0


def _init(args: argparse.Namespace) -> int:
    from pipeline.project import FOLDERS, init_project

    for path in init_project(args.folder, args.force):
        print(f"wrote {path}")
    raw, out = (args.folder / f for f in FOLDERS)
    print(
        f"made {raw}/ and {out}/: put your raw files in {raw}, then, in {args.folder}: newspipe run"
    )
    return 0


COMMANDS = {
    "init": _init,
    "run": _run,
    "stages": _stages,
    "status": _status,
    "report": _report,
    "rules": _rules,
    "eval": _eval,
    "eval-dedup": _eval_dedup,
    "eval-pairs": _eval_pairs,
    "explain": _explain,
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run = args.command == "run"
    configure(args.log_format if run else "text", quiet=not run or args.quiet)
    try:
        status = COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader that has gone is found here, not at exit
        return status
    except NewspipeError as exc:
        if run and args.log_format == "json":
            log.error("%s", exc, extra={"event": "error", "exit_status": exc.exit_code})
        else:
            print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newspipe eval … | head`: the reader has gone, say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
