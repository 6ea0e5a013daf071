"""Benchmark newspipe against the Kiwi limit and a naive script on generated corpora.

    python benchmarks/bench.py                 # N = 2000 and 20000
    BENCH_N=200000 python benchmarks/bench.py  # any comma-separated list

For each N: generate benchmarks/out/raw-N (kept and reused while N, seed and generator version
match), warm the page cache, then run each measurement in its own process, timing it from the
outside and taking its peak RSS from os.wait4:

* pipeline: ``newspipe run --raw RAW --out benchmarks/out/proc-N --force``; stage seconds come
  from its log lines (``HH:MM:SS INFO tokenize: tokens 6070 in 4.5 s``).
* limit: workloads.py limit, Kiwi's batch API on all cores straight to Parquet.
* naive: workloads.py naive on the first min(N, BENCH_NAIVE_MAX=2000) documents; for a larger N
  its time is extrapolated linearly (load time + per-document time x N), which understates it,
  as the per-document concat grows with the frame.

Prints the machine, the library versions and a table; writes benchmarks/out/results.json.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import generate, is_generated

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
OUT = HERE / "out"
DEFAULT_N = (2000, 20000)
SEED = 0
STAGES = ("ingest", "detect", "tokenize", "strip", "export")
LIBRARIES = ("newspipe", "kiwipiepy", "kiwipiepy_model", "pyarrow", "pandas", "langdetect", "spacy")
# `05:02:23 INFO tokenize: tokens 865027 in 14.9 s`, the runner's line for each stage that ran.
STAGE_LINE = re.compile(r"^\d\d:\d\d:\d\d INFO (\w+): (.*) in ([0-9.]+) s$", re.MULTILINE)


@dataclass
class Measurement:
    """One process: wall seconds, peak RSS and what it printed."""

    seconds: float
    peak_rss_mb: float
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)


def measure(cmd: list[str]) -> Measurement:
    """Run cmd from the repository root; its wall time and peak RSS (ru_maxrss via wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        tail = "\n".join(stderr.splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{tail}")
    return Measurement(seconds, usage.ru_maxrss / 1024, stdout, stderr)  # Linux: KiB


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


def newspipe_cmd() -> list[str]:
    script = Path(sys.executable).parent / "newspipe"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "pipeline"]


def run_pipeline(raw: Path, n: int) -> dict[str, Any]:
    cmd = [*newspipe_cmd(), "run", "--raw", str(raw), "--out", str(OUT / f"proc-{n}"),
           "--config", str(ROOT / "config" / "pipeline.toml"), "--force"]
    m = measure(cmd)
    stages: dict[str, float] = {}
    counts: dict[str, str] = {}
    for name, what, seconds in STAGE_LINE.findall(m.stderr):
        stages[name] = float(seconds)
        counts[name] = what
    tokens = re.search(r"tokens (\d+)", counts.get("tokenize", ""))
    return {"seconds": m.seconds, "peak_rss_mb": m.peak_rss_mb, "stages": stages,
            "outside_stages": m.seconds - sum(stages.values()),
            "tokens": int(tokens[1]) if tokens else None, "counts": counts}


def run_workload(name: str, raw: Path, n: int, max_docs: int | None = None) -> dict[str, Any]:
    out = OUT / f"{name}-{n}.parquet"
    cmd = [sys.executable, str(HERE / "workloads.py"), name, str(raw), str(out)]
    if max_docs is not None:
        cmd += ["--max-docs", str(max_docs)]
    m = measure(cmd)
    report = json.loads(m.stdout.strip().splitlines()[-1])
    return {"seconds": m.seconds, "peak_rss_mb": m.peak_rss_mb, **report}


def naive_for(n: int, measured: dict[str, Any]) -> dict[str, Any]:
    """The naive run's figures for n documents: as measured, or extrapolated from `measured`."""
    if measured["documents"] == n:
        return {**measured, "extrapolated": False}
    fixed = measured["seconds"] - measured["work_seconds"]  # start-up, imports, model load
    per_doc = measured["work_seconds"] / measured["documents"]
    return {"seconds": fixed + per_doc * n, "extrapolated": True,
            "measured_documents": measured["documents"], "measured_seconds": measured["seconds"],
            "peak_rss_mb": measured["peak_rss_mb"]}


def machine() -> dict[str, Any]:
    model = ram_gb = None
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or None
    try:
        kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
        ram_gb = round(kib / 1024**2, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "cpu": model,
            "ram_gb": ram_gb, "platform": platform.platform(), "python": platform.python_version()}


def versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def bench_one(n: int, naive_max: int, naive_cache: dict[int, dict[str, Any]]) -> dict[str, Any]:
    raw, size = corpus(n)
    print(f"N={n}: {size / 1e6:.1f} MB; pipeline ...", file=sys.stderr)
    pipeline = run_pipeline(raw, n)
    print(f"N={n}: pipeline {pipeline['seconds']:.1f} s; limit ...", file=sys.stderr)
    limit = run_workload("limit", raw, n)
    k = min(n, naive_max)
    # The corpus of a larger N starts with the documents of a smaller one (one seeded stream),
    # so a naive run on the first k documents serves every N.
    if k not in naive_cache:
        print(f"N={n}: limit {limit['seconds']:.1f} s; naive on {k} documents ...", file=sys.stderr)
        naive_cache[k] = run_workload("naive", raw, n, max_docs=k)
    naive = naive_for(n, naive_cache[k])
    mb = size / 1e6
    return {
        "n": n, "seed": SEED, "documents": n, "input_mb": mb,
        "pipeline": pipeline, "limit": limit, "naive": naive,
        "docs_per_s": n / pipeline["seconds"], "mb_per_s": mb / pipeline["seconds"],
        "limit_docs_per_s": n / limit["seconds"], "limit_mb_per_s": mb / limit["seconds"],
        "pipeline_over_limit": pipeline["seconds"] / limit["seconds"],
        "naive_over_pipeline": naive["seconds"] / pipeline["seconds"],
    }


def table(runs: list[dict[str, Any]]) -> str:
    """The results as rows of metrics and one column per N."""
    def row(label: str, values: list[str]) -> str:
        return f"{label:<30}" + "".join(f"{v:>14}" for v in values)

    def fmt(value: float | None, spec: str = ".1f") -> str:
        return "-" if value is None else format(value, spec)

    lines = [row("N", [str(r["n"]) for r in runs]),
             row("input MB", [fmt(r["input_mb"]) for r in runs]),
             row("pipeline documents/s", [fmt(r["docs_per_s"]) for r in runs]),
             row("pipeline MB/s", [fmt(r["mb_per_s"], ".2f") for r in runs])]
    for stage in STAGES:
        lines.append(row(f"  {stage} s", [fmt(r["pipeline"]["stages"].get(stage)) for r in runs]))
    lines += [
        row("  start-up, load, summary s", [fmt(r["pipeline"]["outside_stages"]) for r in runs]),
        row("pipeline s", [fmt(r["pipeline"]["seconds"]) for r in runs]),
        row("limit s", [fmt(r["limit"]["seconds"]) for r in runs]),
        row("  of which Kiwi load s", [fmt(r["limit"]["load_seconds"]) for r in runs]),
        row("limit documents/s", [fmt(r["limit_docs_per_s"]) for r in runs]),
        row("pipeline / limit", [fmt(r["pipeline_over_limit"], ".2f") for r in runs]),
        row("naive s", [fmt(r["naive"]["seconds"]) + ("*" if r["naive"]["extrapolated"] else "")
                        for r in runs]),
        row("naive / pipeline (speed-up)", [fmt(r["naive_over_pipeline"], ".1f") for r in runs]),
        row("tokens: pipeline", [str(r["pipeline"]["tokens"]) for r in runs]),
        row("tokens: limit", [str(r["limit"]["tokens"]) for r in runs]),
        row("peak RSS MB: pipeline", [fmt(r["pipeline"]["peak_rss_mb"], ".0f") for r in runs]),
        row("peak RSS MB: limit", [fmt(r["limit"]["peak_rss_mb"], ".0f") for r in runs]),
        row("peak RSS MB: naive", [fmt(r["naive"]["peak_rss_mb"], ".0f") for r in runs]),
    ]
    notes = [r for r in runs if r["naive"]["extrapolated"]]
    if notes:
        k = notes[0]["naive"]["measured_documents"]
        lines.append(f"* extrapolated linearly from a naive run on the first {k} documents "
                     "(load + per-document time x N); a lower bound, as its concat grows with N")
    return "\n".join(lines)


def main() -> int:
    ns = env_ints("BENCH_N", DEFAULT_N)
    naive_max = env_ints("BENCH_NAIVE_MAX", (2000,))[0]
    OUT.mkdir(parents=True, exist_ok=True)
    info, libs = machine(), versions()
    naive_cache: dict[int, dict[str, Any]] = {}
    runs = [bench_one(n, naive_max, naive_cache) for n in sorted(set(ns))]
    print(f"machine: {info['nproc']} CPUs ({info['usable_cpus']} usable), {info['cpu']}, "
          f"{info['ram_gb']} GB RAM, {info['platform']}, Python {info['python']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in libs.items()))
    print(table(runs))
    results = {"machine": info, "versions": libs, "seed": SEED, "naive_max": naive_max,
               "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "runs": runs}
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {(OUT / 'results.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
