"""Smoke test of the performance benchmark: the one command runs in --quick mode and prints
every figure. No timing assertions: the figures of a quick run mean little."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench.py"

FIGURES = (
    "== duban and the peers", "== W1", "== W2", "== Scale", "== W3", "== Side by side", "== Targets",
    "| naive pandas (openpyxl) |", "| pandas + calamine + xlsxwriter |", "| polars → xlsx |",
    "| duckdb read_xlsx → xlsx |", "| duban collect + merge |", "| duban run (collect + merge + memo) |",
    "| calamine floor (read only) |", "duban split:", "status: `duban status`", "per return: read+check",
    "time/period", "marginal cost per period", "setup:", "results:",
)
# Every target of issue 19 is printed with its verdict, even when a peer is skipped.
TARGETS = (
    ("W1", "duban run <= 2.0x duckdb"),
    ("W1", "collect+merge <= 0.3x naive pandas"),
    ("W1", "duban status <= 6x python -c pass"),
    ("W2", "collect+merge <= 1.25x duckdb"),
    ("W2", "read+check per return <= 2.5x calamine"),
    ("scale", "peak RSS < 700 MB"),
    ("scale", "ms/return"),
    ("W3", "merge time grows at most linearly"),
)
VERDICTS = ("met", "missed", "skipped", "ERROR")


@pytest.mark.slow
def test_quick_benchmark_prints_every_figure(tmp_path: Path) -> None:
    results = tmp_path / "latest.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--workdir", str(tmp_path / "work"), "--results", str(results)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-3000:] + out[-3000:]
    for figure in FIGURES:
        assert figure in out, f"missing {figure!r} in output:\n{out}"
    for workload, text in TARGETS:
        line = next((x for x in out.splitlines() if text in x and x.strip().startswith(workload)), None)
        assert line is not None, f"target {text!r} not printed:\n{out}"
        assert line.rstrip().endswith(VERDICTS), line

    doc = json.loads(results.read_text(encoding="utf-8"))
    assert doc["mode"] == "quick"
    assert {"W1", "W2", "W3"} <= set(doc["workloads"])
    assert len(doc["targets"]) == len(TARGETS)
    assert all(t["status"] in VERDICTS for t in doc["targets"])
    w1 = doc["workloads"]["W1"]
    for contender in ("duban collect + merge", "duban run (collect + merge + memo)", "calamine floor (read only)"):
        assert w1["times"][contender]["n"] == 1 and w1["times"][contender]["min"] > 0
    assert w1["status"]["ratio"] > 0
    assert doc["workloads"]["W2"]["duban_peak_rss"]["max"] > 0
    assert doc["workloads"]["W2"]["check_vs_floor"]["ratio"] > 0
    assert [r["periods"] for r in doc["workloads"]["W3"]["rows"]] == [1, 2, 3]
    # Quick mode builds no peer environment: duban's own stays as users get it, and the
    # smoke test stays quick.
    assert not (tmp_path / "work" / "venvs").exists()
    assert "skipped" in doc["workloads"]["peers"]["duckdb"]["how"]


def test_options_are_validated() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--only", "W9"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "W9" in done.stderr
