"""Benchmark newspipe against the Kiwi limit and a naive script on generated corpora.

    python benchmarks/bench.py                 # N = 2000 and 20000
    BENCH_N=200000 python benchmarks/bench.py  # any comma-separated list

For each N: generate benchmarks/out/raw-N (kept and reused while N, seed and generator version
match), warm the page cache, then run each contender in a fresh process (measure.py: wall and
CPU seconds, peak memory of its whole process tree, other processes' CPU use meanwhile):

* pipeline: ``newspipe run --raw RAW --out benchmarks/out/proc-N --force``; stage seconds come
  from its log (JSON events when it has ``--log-format``, else ``… INFO tokenize: … in 4.5 s``).
* limit: workloads.py limit, Kiwi's batch API on all cores straight to Parquet.
* naive: workloads.py naive on the first min(N, BENCH_NAIVE_MAX) documents (2000); for a larger
  N its time is extrapolated linearly (load time + per-document time x N), which understates it,
  as the per-document concat grows with the frame.

BENCH_CONFIG=FILE runs the pipeline with another config than config/pipeline.toml (e.g. the
corpus stages off, to time the batch stages alone).

BENCH_ADDED=1 measures what each corpus stage adds to the run, as issues 14 and 16 ask: each
round also runs the pipeline with pair off, and with pair and dedup off (each into its own
folder, the same config otherwise), in turn with the full run; pair adds (full - without pair) /
without pair, dedup adds (without pair - without either) / without either, per round (median
and worst printed). BENCH_ADDED=pair runs only the variant without pair (a round a third
shorter), for pair's figure alone. Every run also reports what pair adds by its stages' seconds
within each full run (its signal seconds over the workers, plus pair's, over the rest of the
run): no second run, so none of the machine's drift between runs. The shares above (a stage's
seconds over the run's) count a batch stage's seconds summed over the workers, so they overstate
what it adds; these measure it.

BENCH_REPEAT=k (1) runs the pipeline and the limit in turn, k rounds, and keeps the fastest of
each (it also prints the median and the worst of the rounds' ratios): on a shared or throttled
machine wall times wander over minutes, CPU seconds much less, and taking turns exposes both
sides to the same drift. Prints the machine, the library versions, the code revision and a
table; writes benchmarks/out/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import generate, is_generated
from measure import Measurement, fastest, measure, measure_rounds

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
OUT = HERE / "out"
DEFAULT_N = (2000, 20000)
SEED = 0
# tokenize's time includes Kiwi's load
STAGES = ("ingest", "detect", "tokenize", "strip", "shingle", "signal", "dedup", "export", "pair")
LIBRARIES = ("newspipe", "kiwipiepy", "kiwipiepy_model", "pyarrow", "pandas", "langdetect", "spacy")
# `05:02:23 INFO tokenize: 8 batches run, 0 up to date; tokens 865027 in 14.9 s`: a stage's
# text log line (older versions: `tokenize: tokens 865027 in 14.9 s`); JSON logs are preferred.
STAGE_LINE = re.compile(r"^\d\d:\d\d:\d\d INFO (\w+): (.*) in ([0-9.]+) s$")


def env_ints(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        numbers = tuple(int(x) for x in value.split(",") if x.strip())
    except ValueError:
        sys.exit(f"{name} must be comma-separated integers, not {value!r}")
    if not numbers or min(numbers) < 1:
        sys.exit(f"{name} must list positive integers")
    return numbers


def corpus(n: int) -> tuple[Path, int]:
    """The generated corpus for n (made if missing or stale) and its size in bytes."""
    raw = OUT / f"raw-{n}"
    if not is_generated(raw, n, SEED):
        t0 = time.perf_counter()
        generate(raw, n, SEED)
        print(f"generated {n} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    size = 0
    for path in raw.glob("*.txt"):  # also warms the page cache, so every run reads from memory
        size += len(path.read_bytes())
    return raw, size


def parse_stages(log: str) -> dict[str, dict[str, Any]]:
    """Seconds and row counts of each stage from the pipeline's log, JSON or text lines."""
    stages: dict[str, dict[str, Any]] = {}
    for line in log.splitlines():
        if line.startswith("{"):
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "stage" and event.get("stage") in STAGES:
                rows = {**event.get("counts", {}), **event.get("rows", {})}
                stages[event["stage"]] = {"seconds": float(event["seconds"]), "rows": rows}
        elif m := STAGE_LINE.match(line):
            name, what, seconds = m.groups()
            if name in STAGES:
                rows = {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", what)}
                stages[name] = {"seconds": float(seconds), "rows": rows}
    return stages


def figures(m: Measurement) -> dict[str, float]:
    """What results.json keeps of a measurement."""
    return {
        "seconds": m.seconds,
        "cpu_seconds": m.cpu_seconds,
        "peak_rss_mb": m.peak_rss_mb,
        "peak_tree_mb": m.peak_tree_mb,
        "others_cpu_seconds": m.others_cpu_seconds,
    }


def newspipe_cmd() -> list[str]:
    script = Path(sys.executable).parent / "newspipe"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline"]


def base_config() -> Path:
    return Path(os.environ.get("BENCH_CONFIG") or ROOT / "config" / "pipeline.toml")


def switched_off(text: str, sections: tuple[str, ...]) -> str:
    """A TOML config's text with `enabled = false` in each of these sections (replacing an
    `enabled` line there, or opening the section)."""
    lines = text.splitlines()
    for section in sections:
        head = next((i for i, line in enumerate(lines) if line.strip() == f"[{section}]"), None)
        if head is None:
            lines += ["", f"[{section}]", "enabled = false"]
            continue
        end = next(
            (i for i in range(head + 1, len(lines)) if lines[i].lstrip().startswith("[")),
            len(lines),
        )
        lines = [
            line
            for i, line in enumerate(lines)
            if not (head < i < end and re.match(r"\s*enabled\s*=", line))
        ]
        lines.insert(head + 1, "enabled = false")
    return "\n".join(lines) + "\n"


def pipeline_cmd(raw: Path, n: int, off: tuple[str, ...] = ()) -> list[str]:
    """`newspipe run` on raw into out/proc-n, with JSON logs where this version has them; with
    `off`, these corpus stages switched off, into a folder of its own."""
    config = base_config()
    out = OUT / f"proc-{n}"
    if off:
        out = OUT / f"proc-{n}-{'-'.join(off)}-off"
        derived = OUT / f"config-{'-'.join(off)}-off.toml"
        derived.write_text(switched_off(config.read_text(encoding="utf-8"), off), "utf-8")
        config = derived
    cmd = [*newspipe_cmd(), "run", "--raw", str(raw), "--out", str(out), "--config", str(config)]
    helptext = subprocess.run(
        [*newspipe_cmd(), "run", "--help"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    if "--log-format" in helptext:
        cmd += ["--log-format", "json"]
    return cmd


def pipeline_figures(raw: Path, n: int, cmd: list[str], m: Measurement) -> dict[str, Any]:
    """The pipeline's figures from its full run m (cmd with --force), then the reruns."""
    incremental = rerun_figures(raw, n, cmd)
    stages = parse_stages(m.stderr)
    if not stages:
        raise RuntimeError(f"no stage times in the pipeline's log:\n{m.stderr[-2000:]}")
    # With several worker processes the stages' seconds add up over workers, past the wall time.
    outside = m.seconds - sum(st["seconds"] for st in stages.values())
    return {
        **figures(m),
        "stages": {name: st["seconds"] for name, st in stages.items()},
        "outside_stages": outside if outside >= 0 else None,
        "tokens": stages.get("tokenize", {}).get("rows", {}).get("tokens"),
        **incremental,
        "noop_over_full": incremental["noop_seconds"] / m.seconds,
        # issue 14's target: dedup adds at most 10 % to the run: the dedup stage (alone, in the
        # runner) and the shingle stage that does its per-document work, whose seconds are
        # summed over the workers (so the share is an upper bound)
        "dedup_share": (
            (stages["dedup"]["seconds"] + stages.get("shingle", {}).get("seconds", 0.0)) / m.seconds
            if "dedup" in stages
            else None
        ),
        # issue 16's target: pair adds at most 10 % to the run: the pair stage (in the runner,
        # its links on the local pool's cores) and the signal stage that reads the articles for
        # it, whose seconds are summed over the workers (an upper bound, as for dedup)
        "pair_share": (
            (stages["pair"]["seconds"] + stages.get("signal", {}).get("seconds", 0.0)) / m.seconds
            if "pair" in stages
            else None
        ),
        "rows": {name: st["rows"] for name, st in stages.items()},
    }


def workload_cmd(name: str, raw: Path, n: int, max_docs: int | None = None) -> list[str]:
    out = OUT / f"{name}-{n}.parquet"
    cmd = [sys.executable, str(HERE / "workloads.py"), name, str(raw), str(out)]
    return cmd if max_docs is None else [*cmd, "--max-docs", str(max_docs)]


def workload_figures(m: Measurement) -> dict[str, Any]:
    """A workload's figures: the measurement and the JSON line it printed."""
    return {**figures(m), **json.loads(m.stdout.strip().splitlines()[-1])}


def naive_for(n: int, measured: dict[str, Any]) -> dict[str, Any]:
    """The naive run's figures for n documents: as measured, or extrapolated from `measured`."""
    if measured["documents"] == n:
        return {**measured, "extrapolated": False}
    fixed = measured["seconds"] - measured["work_seconds"]  # start-up, imports, model load
    per_doc = measured["work_seconds"] / measured["documents"]
    return {
        "seconds": fixed + per_doc * n,
        "cpu_seconds": None,
        "extrapolated": True,
        "measured_documents": measured["documents"],
        "measured_seconds": measured["seconds"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "peak_tree_mb": measured["peak_tree_mb"],
        "others_cpu_seconds": measured["others_cpu_seconds"],
    }


def _proc_field(path: str, key: str) -> str | None:
    """The value of the first `key : value` line of a /proc file, if there is one."""
    try:
        text = Path(path).read_text()
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return None


def machine() -> dict[str, Any]:
    mem = _proc_field("/proc/meminfo", "MemTotal")  # "24683716 kB"
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or None,
        "ram_gb": round(int(mem.split()[0]) / 1024**2, 1) if mem else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def rerun_figures(raw: Path, n: int, cmd: list[str]) -> dict[str, float]:
    """After a full run: a rerun with nothing new, and one with 50 new files (and those alone).

    The 50 files are generated with another seed; the n originals are hard-linked into a second
    raw folder, so to the pipeline they are the same unchanged files.
    """
    noop = measure(cmd, ROOT, 1)
    extra = OUT / "extra-50"
    if not is_generated(extra, 50, SEED + 1, stories=False):
        generate(extra, 50, SEED + 1, stories=False)
    grown = OUT / f"raw-{n}-plus-50"
    if grown.exists():
        shutil.rmtree(grown)
    grown.mkdir()
    for path in raw.glob("*.txt"):
        os.link(path, grown / path.name)
    for path in extra.glob("*.txt"):
        shutil.copy2(path, grown / f"new_{path.name}")
    raw_at = cmd.index("--raw") + 1
    added = measure([*cmd[:raw_at], str(grown), *cmd[raw_at + 1 :]], ROOT, 1)
    alone_out = OUT / "proc-extra-50"
    shutil.rmtree(alone_out, ignore_errors=True)
    out_at = cmd.index("--out") + 1
    alone = [
        *cmd[:raw_at],
        str(extra),
        *cmd[raw_at + 1 : out_at],
        str(alone_out),
        *cmd[out_at + 1 :],
    ]
    fifty = measure(alone, ROOT, 1)
    shutil.rmtree(grown)
    return {
        "noop_seconds": noop.seconds,
        "add50_seconds": added.seconds,
        "fifty_alone_seconds": fifty.seconds,
    }


def bench_one(
    n: int, naive_max: int, repeat: int, naive_cache: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    """Generate (or reuse) the corpus of n documents and measure the three contenders on it."""
    raw, size = corpus(n)
    print(f"N={n}: {size / 1e6:.1f} MB; pipeline ...", file=sys.stderr)
    cmd = pipeline_cmd(raw, n)
    contenders = [[*cmd, "--force"], workload_cmd("limit", raw, n)]
    added = os.environ.get("BENCH_ADDED", "").strip()
    if added not in ("", "0"):
        contenders.append([*pipeline_cmd(raw, n, ("pair",)), "--force"])
    if added not in ("", "0", "pair"):
        contenders.append([*pipeline_cmd(raw, n, ("pair", "dedup")), "--force"])
    pipeline_runs, limit_runs, *without = measure_rounds(contenders, ROOT, repeat)
    pipeline = pipeline_figures(raw, n, cmd, fastest(pipeline_runs))
    limit = workload_figures(fastest(limit_runs))
    rounds = [p.seconds / q.seconds for p, q in zip(pipeline_runs, limit_runs, strict=True)]
    print(
        f"N={n}: pipeline {pipeline['seconds']:.1f} s, limit {limit['seconds']:.1f} s",
        file=sys.stderr,
    )
    k = min(n, naive_max)
    # The corpus of a larger N starts with the documents of a smaller one (one seeded stream),
    # so a naive run on the first k documents serves every N.
    if k not in naive_cache:
        print(f"N={n}: naive on {k} documents ...", file=sys.stderr)
        naive_cmd = workload_cmd("naive", raw, n, max_docs=k)
        naive_cache[k] = workload_figures(measure(naive_cmd, ROOT, 1))
    naive = naive_for(n, naive_cache[k])
    mb = size / 1e6
    pipeline["pair_by_stages"] = by_stages(pipeline_runs, cores())
    if without:
        pipeline["added"] = added_figures(pipeline_runs, *without)
    return {
        "n": n,
        "input_mb": mb,
        "pipeline": pipeline,
        "limit": limit,
        "naive": naive,
        "docs_per_s": n / pipeline["seconds"],
        "mb_per_s": mb / pipeline["seconds"],
        "limit_docs_per_s": n / limit["seconds"],
        "limit_mb_per_s": mb / limit["seconds"],
        "pipeline_over_limit": pipeline["seconds"] / limit["seconds"],
        "pipeline_over_limit_rounds": rounds,
        "pipeline_over_limit_median_round": statistics.median(rounds),
        "pipeline_over_limit_worst_round": max(rounds),
        "pipeline_over_limit_cpu": pipeline["cpu_seconds"] / limit["cpu_seconds"],
        "naive_over_pipeline": naive["seconds"] / pipeline["seconds"],
    }


def added_figures(
    full: list[Measurement], no_pair: list[Measurement], neither: list[Measurement] | None = None
) -> dict[str, Any]:
    """What pair (and, where the runs without either were made, dedup) add to the run, round by
    round (runs of one round ran in turn)."""
    pair = [(f.seconds - p.seconds) / p.seconds for f, p in zip(full, no_pair, strict=True)]
    figures: dict[str, Any] = {
        "without_pair_seconds": [m.seconds for m in no_pair],
        "full_seconds": [m.seconds for m in full],
        "pair_rounds": pair,
        "pair_median": statistics.median(pair),
        "pair_worst": max(pair),
    }
    if neither is not None:
        dedup = [(p.seconds - q.seconds) / q.seconds for p, q in zip(no_pair, neither, strict=True)]
        figures |= {
            "without_either_seconds": [m.seconds for m in neither],
            "dedup_rounds": dedup,
            "dedup_median": statistics.median(dedup),
            "dedup_worst": max(dedup),
        }
    return figures


def by_stages(full: list[Measurement], workers: int) -> dict[str, Any] | None:
    """What pair adds to each full run by the run's own stage seconds: the signal stage's
    seconds on each worker (summed over `workers`, a batch stage's share of each one's time)
    and the pair stage's, over the rest of the run. A round against itself: no second run, so
    none of the drift of this machine's speed between runs that the rounds of BENCH_ADDED
    show (the same run took 140 and 189 s within an hour)."""
    rounds = []
    for m in full:
        stages = parse_stages(m.stderr)
        if "pair" not in stages:
            return None
        pair = stages["signal"]["seconds"] / workers + stages["pair"]["seconds"]
        rounds.append(pair / (m.seconds - pair))
    return {"rounds": rounds, "median": statistics.median(rounds), "worst": max(rounds)}


def cores() -> int:
    """The worker processes the pipeline starts by default: one per usable CPU."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def revision() -> str:
    """The commit measured, with -dirty when the working tree differs from it."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def _get(run: dict[str, Any], path: str) -> Any:
    value: Any = run
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


# (label, dotted path into a run, format); the table has one column per N.
ROWS: tuple[tuple[str, str, str], ...] = (
    ("input MB", "input_mb", ".1f"),
    ("pipeline documents/s", "docs_per_s", ".1f"),
    ("pipeline MB/s", "mb_per_s", ".3f"),
    *((f"  {stage} s (a)", f"pipeline.stages.{stage}", ".1f") for stage in STAGES),
    ("  outside the stages s", "pipeline.outside_stages", ".1f"),
    ("  dedup + shingle / pipeline s", "pipeline.dedup_share", ".3f"),
    ("  pair + signal / pipeline s", "pipeline.pair_share", ".3f"),
    ("  dedup adds, median round (e)", "pipeline.added.dedup_median", ".3f"),
    ("    the worst round", "pipeline.added.dedup_worst", ".3f"),
    ("  pair adds, median round (e)", "pipeline.added.pair_median", ".3f"),
    ("    the worst round", "pipeline.added.pair_worst", ".3f"),
    ("  pair adds by its stages, median (f)", "pipeline.pair_by_stages.median", ".3f"),
    ("    the worst round", "pipeline.pair_by_stages.worst", ".3f"),
    ("pipeline s", "pipeline.seconds", ".1f"),
    ("limit s", "limit.seconds", ".1f"),
    ("  of which Kiwi load s", "limit.load_seconds", ".1f"),
    ("limit documents/s", "limit_docs_per_s", ".1f"),
    ("limit MB/s", "limit_mb_per_s", ".3f"),
    ("pipeline / limit", "pipeline_over_limit", ".2f"),
    ("  the median round (d)", "pipeline_over_limit_median_round", ".2f"),
    ("  the worst round (d)", "pipeline_over_limit_worst_round", ".2f"),
    ("rerun, nothing new s", "pipeline.noop_seconds", ".1f"),
    ("  rerun / full run", "pipeline.noop_over_full", ".3f"),
    ("rerun, 50 files added s", "pipeline.add50_seconds", ".1f"),
    ("the same 50 files alone s", "pipeline.fifty_alone_seconds", ".1f"),
    ("naive s", "naive.seconds", ".1f"),
    ("naive / pipeline (speed-up)", "naive_over_pipeline", ".1f"),
    ("CPU s: pipeline", "pipeline.cpu_seconds", ".1f"),
    ("CPU s: limit", "limit.cpu_seconds", ".1f"),
    ("CPU s: naive", "naive.cpu_seconds", ".1f"),
    ("pipeline / limit, CPU s", "pipeline_over_limit_cpu", ".2f"),
    ("tokens: pipeline", "pipeline.tokens", "d"),
    ("tokens: limit", "limit.tokens", "d"),
    ("peak memory MB (b): pipeline", "pipeline.peak_tree_mb", ".0f"),
    ("peak memory MB (b): limit", "limit.peak_tree_mb", ".0f"),
    ("peak memory MB (b): naive", "naive.peak_tree_mb", ".0f"),
    ("peak RSS MB, one process: pipeline", "pipeline.peak_rss_mb", ".0f"),
    ("peak RSS MB, one process: limit", "limit.peak_rss_mb", ".0f"),
    ("peak RSS MB, one process: naive", "naive.peak_rss_mb", ".0f"),
    ("others' CPU s (c): pipeline", "pipeline.others_cpu_seconds", ".1f"),
    ("others' CPU s (c): limit", "limit.others_cpu_seconds", ".1f"),
    ("others' CPU s (c): naive", "naive.others_cpu_seconds", ".1f"),
)
NOTES = (
    "(a) as the pipeline logs them: summed over its worker processes, so they can add up to",
    "    more than its wall time; ingest's include loading the models (Kiwi, spaCy, language",
    "    profiles), which a first run does while it reads the files and then detects batches",
    "    (their seconds count under detect)",
    "(b) PSS of the process and all its children together, sampled every 0.2 s",
    "(c) CPU seconds other processes used during the run: when large, wall times are inflated",
    "    (CPU seconds much less)",
    "(d) with BENCH_REPEAT=k, the pipeline and the limit run in turn, k rounds: the ratio above",
    "    is the fastest of each; these are the median and the highest of the k rounds' ratios",
    "(e) with BENCH_ADDED=1: the run's seconds with the stage over those without it (pair off;",
    "    pair and dedup off), less 1, from runs made in turn in each round (=pair: pair's alone)",
    "(f) each full run's signal seconds over the workers plus its pair seconds, over the rest",
    "    of that run (no second run: the machine's drift between runs does not enter)",
)


def table(runs: list[dict[str, Any]]) -> str:
    """The results as rows of metrics and one column per N, with the notes."""
    lines = [f"{'N':<36}" + "".join(f"{r['n']:>12}" for r in runs)]
    for label, path, spec in ROWS:
        cells = []
        for r in runs:
            value = _get(r, path)
            cell = "-" if value is None else format(value, spec)
            if path == "naive.seconds" and r["naive"]["extrapolated"]:
                cell += "*"
            cells.append(cell)
        lines.append(f"{label:<36}" + "".join(f"{c:>12}" for c in cells))
    lines += NOTES
    extrapolated = [r for r in runs if r["naive"]["extrapolated"]]
    if extrapolated:
        k = extrapolated[0]["naive"]["measured_documents"]
        lines.append(
            f"*   extrapolated linearly from a naive run on the first {k} documents "
            "(load + per-document time x N):\n    a lower bound, as its concat grows with N"
        )
    return "\n".join(lines)


def main() -> int:
    ns = env_ints("BENCH_N", DEFAULT_N)
    naive_max = env_ints("BENCH_NAIVE_MAX", (2000,))[0]
    repeat = env_ints("BENCH_REPEAT", (1,))[0]
    OUT.mkdir(parents=True, exist_ok=True)
    info, libs, code = machine(), versions(), revision()
    naive_cache: dict[int, dict[str, Any]] = {}
    runs: list[dict[str, Any]] = []
    failed: dict[int, str] = {}
    for n in sorted(set(ns)):
        try:
            runs.append(bench_one(n, naive_max, repeat, naive_cache))
        except RuntimeError as exc:  # a measured process failed: report it, go on with the next N
            print(f"N={n}: {exc}", file=sys.stderr)
            failed[n] = str(exc)
    print(
        f"machine: {info['nproc']} CPUs ({info['usable_cpus']} usable), {info['cpu']}, "
        f"{info['ram_gb']} GB RAM, {info['platform']}, Python {info['python']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in libs.items()) + f"; code {code}")
    if runs:
        print(table(runs))
    results = {
        "machine": info,
        "versions": libs,
        "seed": SEED,
        "naive_max": naive_max,
        "repeat": repeat,
        "code": code,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "runs": runs,
        "failed": failed,
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {(OUT / 'results.json').relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
