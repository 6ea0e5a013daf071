"""Measure one command in its own process: wall time, CPU time, memory, and the company it had.

* wall seconds: from start to exit, timed here;
* CPU seconds and the largest single RSS: from os.wait4, which covers the process and every
  descendant it waited for (pool workers included);
* peak memory: the process tree's summed PSS (proportional set size, so pages that forked
  workers share are counted once), sampled from /proc every 0.2 s. A pipeline that runs one
  worker per core needs this: the largest single RSS would hide all but one of them;
* other CPU seconds: what the rest of the machine used meanwhile (/proc/stat), the sign that the
  wall time was stretched by someone else's work.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.2


@dataclass
class Measurement:
    """One process run: times, memory, and what it printed."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float  # the largest single process
    peak_tree_mb: float  # all its processes together (PSS), sampled
    others_cpu_seconds: float  # CPU time the rest of the machine used meanwhile
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all CPUs, from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """root and every process below it, from the parent ids in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the command name may hold spaces
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def pss_kib(pid: int) -> int:
    """A process's proportional set size in KiB (its RSS where smaps_rollup is missing)."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_SECONDS):
            total = sum(pss_kib(p) for p in descendants(self.pid))
            self.peak_kib = max(self.peak_kib, total)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kib


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_once(cmd: list[str], cwd: Path) -> Measurement:
    """Run cmd in cwd to its end; raise RuntimeError with its last words if it fails."""
    busy0, own0 = busy_seconds(), _own_cpu_seconds()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True)
        sampler = TreeMemory(proc.pid)
        sampler.start()
        # Stop sampling when the child is a zombie (exited, not yet reaped), so /proc still
        # lists it while it runs; wait4 then reaps it and gives its resource usage.
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        seconds = time.perf_counter() - t0
        tree_kib = sampler.stop()
        _, status, usage = os.wait4(proc.pid, 0)
        # Everything busy meanwhile, less the child and this process (the sampler).
        others = busy_seconds() - busy0 - (_own_cpu_seconds() - own0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        tail = "\n".join(stderr.splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}:\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(
        seconds=seconds,
        cpu_seconds=cpu,
        peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
        peak_tree_mb=tree_kib / 1024,
        others_cpu_seconds=max(0.0, others - cpu),
        stdout=stdout,
        stderr=stderr,
    )


def fastest(runs: list[Measurement]) -> Measurement:
    """The fastest run: the slower ones met more interference."""
    return min(runs, key=lambda m: m.seconds)


def measure(cmd: list[str], cwd: Path, repeat: int = 1) -> Measurement:
    """The fastest of `repeat` runs."""
    return fastest([measure_once(cmd, cwd) for _ in range(repeat)])


def measure_rounds(cmds: list[list[str]], cwd: Path, repeat: int = 1) -> list[list[Measurement]]:
    """Every command once per round, in turn, for `repeat` rounds; each command's runs.

    Commands compared with each other are interleaved, not run k times each in a row: on a
    shared or throttled machine the speed drifts over minutes, and a drift should slow both
    sides of a ratio, not one of them.
    """
    rounds = [[measure_once(cmd, cwd) for cmd in cmds] for _ in range(repeat)]
    return [list(runs) for runs in zip(*rounds, strict=True)]
