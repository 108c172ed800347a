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
    "== W1", "== W2", "== W3", "== Targets",
    "A  duban collect + merge", "collect", "merge", "B  pandas read_excel", "C  calamine floor",
    "A/B =", "A/C =", "end to end:",
    "A  peak RSS (whole process tree)", "largest worker", "per return: read+check",
    "time/period", "marginal cost per period",
    "setup:", "results:",
)
TARGETS = (
    ("W1", "A/B <= 0.33"),
    ("W1", "end to end < 3 s"),
    ("W2", "read+check per return <= 2x calamine"),
    ("W2", "A (collect+merge) <= 15 s"),
    ("W2", "A peak RSS < 1 GB"),
    ("W3", "merge time grows at most linearly"),
)


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
        assert line.rstrip().endswith(("PASS", "MISS", "ERROR")), line

    doc = json.loads(results.read_text(encoding="utf-8"))
    assert doc["mode"] == "quick"
    assert {"W1", "W2", "W3"} <= set(doc["workloads"])
    assert len(doc["targets"]) == len(TARGETS)
    assert all(t["status"] in ("PASS", "MISS", "ERROR") for t in doc["targets"])
    w1 = doc["workloads"]["W1"]["abc"]
    for contender in ("A", "B", "C"):
        assert w1[contender]["n"] == 1 and w1[contender]["median"] > 0
    assert w1["A/B"] > 0 and w1["A/C"] > 0
    assert doc["workloads"]["W2"]["abc"]["A_peak_rss"]["median"] > 0
    assert [r["periods"] for r in doc["workloads"]["W3"]["rows"]] == [1, 2, 3]


def test_options_are_validated() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--only", "W9"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "W9" in done.stderr
