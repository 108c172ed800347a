"""Shared by the benchmark's modules: paths, the plan, formatting, workspace copies, RSS sampling."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Benchmark the code of this clone, installed or not.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Bump when the generated workloads change: cached workspaces of other versions are ignored.
# 2: built by a duban that keeps the master cache (.duban/master_cache.json), as `issue` leaves it
BENCH_VERSION = "2"
PERIOD = "2022-06"
READY = ".ready"
DATA_SHEET = "进展填报"

PASS, MISS, ERROR, SKIPPED = "met", "missed", "ERROR", "skipped"


@dataclass(frozen=True)
class Plan:
    """Sizes and repetitions of one benchmark run."""

    mode: str
    reps_w1: int
    reps_w2: int
    reps_w3: int
    w2_tasks: int
    w2_units: int
    w2_tasks_per_unit: int
    w1_units: int | None  # None: every unit with tasks returns
    w3_points: tuple[int, ...]
    w3_units: int | None  # None: every unit of W1
    warmup: bool
    scale_tasks: int = 2000
    scale_units: int = 10000

    @property
    def cache_key(self) -> str:
        """The cached workloads' folder name. It names the ledger's schema: a workload issued
        at an older schema was migrated (a backup copy and the new tables) in every timed
        collect, 5-7 ms of W1's, which a month issued and collected by one duban never pays."""
        from toolkit import __version__
        from toolkit.ledger.migrations import LATEST

        return (f"v{BENCH_VERSION}-duban{__version__}-ledger{LATEST}-w1_{self.w1_units or 'all'}"
                f"-w2_{self.w2_tasks}x{self.w2_units}x{self.w2_tasks_per_unit}"
                f"-w3_{max(self.w3_points)}x{self.w3_units or 'all'}")


def make_plan(quick: bool, reps: int | None) -> Plan:
    if quick:  # proves every step runs; the figures mean little
        n = reps or 1
        return Plan("quick", n, n, n, w2_tasks=10, w2_units=10, w2_tasks_per_unit=3,
                    w1_units=10, w3_points=(1, 2, 3), w3_units=4, warmup=False, scale_tasks=20, scale_units=20)
    n = reps or 5
    return Plan("full", n, min(n, 3), min(n, 3), w2_tasks=200, w2_units=1000, w2_tasks_per_unit=10,
                w1_units=None, w3_points=(1, 3, 6, 12), w3_units=None, warmup=True)


def say(text: str = "") -> None:
    print(text, flush=True)


def stats(values: Sequence[float]) -> dict[str, Any]:
    vals = list(values)
    return {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "n": len(vals),
            "values": [round(v, 6) for v in vals]}


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(nbytes: float | None) -> str:
    return "-" if nbytes is None else f"{nbytes / 1024**2:.0f} MB"


def fresh_copy(src: Path, dst: Path) -> Path:
    """A fresh copy of a prepared workspace (collect consumes the inbox)."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)
    return dst


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("PYTHONIOENCODING", "utf-8")
    # Users' installs carry bytecode; recompiling every module at each start would add
    # tens of milliseconds to every whole-process figure.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def inbox_files(root: Path) -> list[Path]:
    from toolkit.inbox import scan_inbox
    from toolkit.workspace import INBOX

    return scan_inbox(root / INBOX)

class TreeRss(threading.Thread):
    """Samples the summed RSS of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.halt = threading.Event()
        self.page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

    @staticmethod
    def available() -> bool:
        return Path("/proc/self/statm").exists()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(name))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(children.get(p, []))
        return out

    def _rss(self, pid: int) -> int:
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self.page
        except (OSError, IndexError, ValueError):
            return 0

    def run(self) -> None:
        while not self.halt.is_set():
            self.peak = max(self.peak, sum(self._rss(p) for p in self._tree()))
            self.halt.wait(self.interval)

    def stop(self) -> int:
        self.halt.set()
        self.join()
        return self.peak
