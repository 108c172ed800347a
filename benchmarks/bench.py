#!/usr/bin/env python3
"""Performance benchmark of duban against the scripts a data person would write.

    python benchmarks/bench.py [--quick] [--scale] [--reps N] [--only W1,W2,W3] [--workdir DIR]

Side by side, on the same received files, each as a whole process (interpreter start and
imports included):

- naive pandas (openpyxl), pandas + calamine + xlsxwriter, polars → xlsx, duckdb read_xlsx
  → xlsx: the read-concat-write job (benchmarks/peers/), each in its own virtual environment
  built under the work folder (peers.py);
- duban collect + merge (benchmarks/duban_job.py) and, on W1, `duban run`
  (collect + merge + memo);
- the calamine floor: reading each data sheet and nothing else (in process).

Workloads (workloads.py; built once, cached): W1 the default master, 54 returns; W2 a
synthetic master, 1,000 returns; W3 twelve months of W1 in one ledger; with ``--scale`` W2's
shape at 10,000 returns. Repetitions alternate the contenders; ratios are of the minimum of
the repetitions (the machine is shared: the least disturbed run is the best estimate), the
medians are printed beside them. Results also go to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    DATA_SHEET,
    ERROR,
    HERE,
    MISS,
    PASS,
    SKIPPED,
    Plan,
    TreeRss,
    child_env,
    fmt_mb,
    fmt_s,
    fresh_copy,
    inbox_files,
    make_plan,
    say,
    stats,
)
from peers import PEERS, duban_environment, environment, run_peer
from workloads import prepare_scale, prepare_w1, prepare_w2, prepare_w3

# Targets (issue 19), as ratios from one side-by-side run.
T_RUN_VS_DUCKDB = 2.0      # W1: duban run ≤ 2.0 × duckdb
T_W1_VS_NAIVE = 0.30       # W1: collect + merge ≤ 0.30 × naive pandas
T_W2_VS_DUCKDB = 1.25      # W2: collect + merge ≤ 1.25 × duckdb
T_CHECK_VS_FLOOR = 2.5     # per return: read + check ≤ 2.5 × calamine
T_SCALE_RSS = 700 * 1024**2
T_SCALE_LINEAR = 0.20      # ms per return 1k → 10k within ±20 %
T_STATUS_VS_PASS = 6.0     # `duban status` ≤ 6 × `python -c pass`
# W3 "at most linear": the marginal merge cost per extra period late in the history may not
# exceed this factor times the early marginal cost, plus a noise allowance.
W3_SLOPE_FACTOR = 1.5
W3_NOISE_SHARE = 0.02
NAIVE, DUCKDB = "naive pandas (openpyxl)", "duckdb read_xlsx → xlsx"
DUBAN, DUBAN_RUN, FLOOR = "duban collect + merge", "duban run (collect + merge + memo)", "calamine floor (read only)"


@dataclass
class Target:
    workload: str
    text: str
    measured: str
    status: str
    value: float | None = None
    limit: float | None = None


def judge(value: float | None, limit: float, *, below: bool = True) -> str:
    if value is None:
        return SKIPPED
    return PASS if (value <= limit if below else value >= limit) else MISS


# ---------------------------------------------------------------------------
# contenders as whole processes


# The interpreter of duban's timed processes: its own environment as users get it
# (peers.duban_environment), set by main(); this one until then.
DUBAN_PYTHON: list[Path] = [Path(sys.executable)]


def run_duban_job(root: Path) -> dict[str, Any]:
    """duban collect + merge in one fresh process; wall time and peak RSS of its process tree."""
    cmd = [str(DUBAN_PYTHON[0]), str(HERE / "duban_job.py"), str(root)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sampler = TreeRss(proc.pid) if TreeRss.available() else None
    if sampler:
        sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    tree = sampler.stop() if sampler else 0
    if proc.returncode != 0 or not stdout.strip():
        raise RuntimeError(f"duban_job failed ({proc.returncode}): {stderr.strip()[-800:]}")
    out = json.loads(stdout.strip().splitlines()[-1])
    out["wall"] = wall
    out["peak_rss"] = max(out["maxrss_self"], out["maxrss_children"], tree or 0)
    return out


def run_duban_cli(root: Path, *args: str) -> float:
    """Wall time of one `duban ...` command as a whole process."""
    cmd = [str(DUBAN_PYTHON[0]), "-m", "toolkit", "-q", "-w", str(root), *args]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=child_env(), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode not in (0, 1):
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(f"`duban {' '.join(args)}` exit {done.returncode}: {lines[-1] if lines else ''}")
    return wall


def run_floor(files: list[Path]) -> float:
    """The floor: calamine reading each data sheet and nothing else."""
    from python_calamine import CalamineWorkbook

    gc.collect()
    t0 = time.perf_counter()
    for p in files:
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name(DATA_SHEET).to_python()
    return time.perf_counter() - t0


def _cpu_children() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def side_by_side(label: str, template: Path, scratch: Path, reps: int, warmup: bool, peers: dict[str, Path],
                 with_run: bool) -> dict[str, Any]:
    """Alternate every contender ``reps`` times on the files of ``template``'s inbox.

    Each contender's wall time, and its CPU time (user + system, its workers included): on
    a loaded machine the CPU time is the steadier figure, though it counts duban's two
    checking processes twice where the wall time counts them once.
    """
    files = inbox_files(template)
    inbox = files[0].parent if files else template
    scratch.mkdir(parents=True, exist_ok=True)
    names = [p.label for p in PEERS if p.name in peers] + [DUBAN] + ([DUBAN_RUN] if with_run else []) + [FLOOR]
    times: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    jobs: list[dict[str, Any]] = []

    def once(timed: bool) -> None:
        got: dict[str, tuple[float, float]] = {}
        for p in PEERS:
            if p.name in peers:
                c0 = _cpu_children()
                wall = run_peer(peers[p.name], p, inbox, scratch / f"{p.name}.xlsx")
                got[p.label] = (wall, _cpu_children() - c0)
        root = fresh_copy(template, scratch / "a")
        c0 = _cpu_children()
        job = run_duban_job(root)
        got[DUBAN] = (job["wall"], _cpu_children() - c0)
        if job["accepted"] != len(files):
            say(f"  warning: duban accepted {job['accepted']} of {len(files)} returns "
                "(stale cached workspace? rerun with --rebuild)")
        if with_run:
            root = fresh_copy(template, scratch / "run")
            c0 = _cpu_children()
            wall = run_duban_cli(root, "run")
            got[DUBAN_RUN] = (wall, _cpu_children() - c0)
        c0 = time.process_time()
        wall = run_floor(files)
        got[FLOOR] = (wall, time.process_time() - c0)
        if timed:
            jobs.append(job)
            for name, (wall, used) in got.items():
                times[name].append(wall)
                cpu[name].append(used)

    if warmup:
        say(f"  {label}: warm-up (not timed)")
        once(False)
    for rep in range(reps):
        once(True)
        say(f"  {label} rep {rep + 1}/{reps}: " + ", ".join(f"{k.split(' (')[0]} {fmt_s(v[-1])} "
                                                            f"(CPU {fmt_s(cpu[k][-1])})" for k, v in times.items()))
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "times": {k: stats(v) for k, v in times.items()}, "cpu": {k: stats(v) for k, v in cpu.items()},
            "duban_collect": stats([j["collect_s"] for j in jobs]), "duban_merge": stats([j["merge_s"] for j in jobs]),
            "duban_imports": stats([j["imports_s"] for j in jobs]), "duban_work": stats([j["work_s"] for j in jobs]),
            "duban_peak_rss": stats([j["peak_rss"] for j in jobs])}


def best(result: dict[str, Any] | None, name: str, kind: str = "times") -> float | None:
    if not result or name not in result[kind]:
        return None
    return result[kind][name]["min"]


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


# ---------------------------------------------------------------------------
# `duban status` against the interpreter


# What any click command reading a SQLite ledger imports before it does anything: the floor
# under `duban status` that no work on duban's own code can go below.
CLI_FLOOR = "import click, sqlite3, json, pathlib, datetime"


def measure_status(root: Path, reps: int) -> dict[str, Any]:
    """`duban status` and `python -c pass` as whole processes, alternated; min of ``reps``.

    Beside the wall time, the CPU time (user + system) of each process: on a loaded machine
    it is the steadier of the two.
    """
    reps = max(reps, 5)
    py: list[float] = []
    st: list[float] = []
    floor: list[float] = []
    py_cpu: list[float] = []
    st_cpu: list[float] = []
    env = child_env()
    for _ in range(reps):
        c0, t0 = _cpu_children(), time.perf_counter()
        subprocess.run([str(DUBAN_PYTHON[0]), "-c", "pass"], env=env, check=True)
        py.append(time.perf_counter() - t0)
        py_cpu.append(_cpu_children() - c0)
        c0 = _cpu_children()
        st.append(run_duban_cli(root, "status"))
        st_cpu.append(_cpu_children() - c0)
        t0 = time.perf_counter()
        subprocess.run([str(DUBAN_PYTHON[0]), "-c", CLI_FLOOR], env=env, check=True)
        floor.append(time.perf_counter() - t0)
    return {"python": stats(py), "status": stats(st), "ratio": min(st) / min(py),
            "cli_floor": stats(floor), "cli_floor_ratio": min(floor) / min(py),
            "python_cpu": stats(py_cpu), "status_cpu": stats(st_cpu),
            "cpu_ratio": min(st_cpu) / max(min(py_cpu), 1e-3)}


# ---------------------------------------------------------------------------
# per return: read + check versus the calamine floor


def measure_check_vs_floor(template: Path, reps: int) -> dict[str, Any]:
    """Per return: read the file and `check_return` it, versus calamine reading its data sheet."""
    from python_calamine import CalamineWorkbook

    from toolkit.checks import CheckContext, check_return
    from toolkit.vocab import Outcome
    ACCEPTED = Outcome.ACCEPTED
    from toolkit.workspace import find_workspace

    ws = find_workspace(template, explicit=True)
    ctx = CheckContext(ws.load_master(), ws.limits, period=None, default_period=ws.period())
    files = inbox_files(template)
    check_means: list[float] = []
    floor_means: list[float] = []
    check_all: list[float] = []
    floor_all: list[float] = []
    rejected = 0
    for rep in range(reps):
        gc.collect()
        per: list[float] = []
        for p in files:
            t0 = time.perf_counter()
            report = check_return(p.read_bytes(), p.name, ctx)
            per.append(time.perf_counter() - t0)
            rejected += report.outcome != ACCEPTED
        check_means.append(statistics.fmean(per))
        check_all.extend(per)
        gc.collect()
        per = []
        for p in files:
            t0 = time.perf_counter()
            CalamineWorkbook.from_path(str(p)).get_sheet_by_name(DATA_SHEET).to_python()
            per.append(time.perf_counter() - t0)
        floor_means.append(statistics.fmean(per))
        floor_all.extend(per)
        say(f"  check-vs-floor rep {rep + 1}/{reps}: read+check {fmt_s(check_means[-1])}/file, "
            f"calamine {fmt_s(floor_means[-1])}/file")
    if rejected:
        say(f"  warning: check_return did not accept {rejected // reps} of {len(files)} returns")
    check, floor = stats(check_means), stats(floor_means)
    return {"files": len(files), "check_mean": check, "floor_mean": floor,
            "check_median_file": statistics.median(check_all), "floor_median_file": statistics.median(floor_all),
            "ratio": check["median"] / floor["median"]}


# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# W3: merge as history grows


def measure_w3(snaps: list[tuple[int, Path, str]], reps: int, warmup: bool) -> dict[str, Any]:
    from toolkit.actions.merge import merge
    from toolkit.workspace import find_workspace

    def once(root: Path, period: str) -> float:
        gc.collect()
        t0 = time.perf_counter()
        merge(find_workspace(root, explicit=True), period)
        return time.perf_counter() - t0

    if warmup:
        say("  W3: warm-up (not timed)")
        for _, root, period in snaps:
            once(root, period)
    times: dict[int, list[float]] = {n: [] for n, _, _ in snaps}
    for rep in range(reps):
        for n, root, period in snaps:
            times[n].append(once(root, period))
        say(f"  W3 rep {rep + 1}/{reps}: " + ", ".join(f"{n} mo {fmt_s(v[-1])}" for n, v in times.items()))
    med = {n: statistics.median(v) for n, v in times.items()}
    period_of = {n: period for n, _, period in snaps}
    points = sorted(med)
    rows = []
    for i, n in enumerate(points):
        marginal = None if i == 0 else (med[n] - med[points[i - 1]]) / (n - points[i - 1])
        rows.append({"periods": n, "period": period_of[n], "merge": stats(times[n]),
                     "per_period": med[n] / n, "marginal_per_period": marginal})
    verdict: dict[str, Any] = {"status": ERROR, "early": None, "late": None, "allowed": None}
    if len(points) >= 3:
        mid = points[len(points) // 2] if len(points) > 3 else points[1]
        first, last = points[0], points[-1]
        early = (med[mid] - med[first]) / (mid - first)
        late = (med[last] - med[mid]) / (last - mid)
        allowed = W3_SLOPE_FACTOR * max(early, 0.0) + W3_NOISE_SHARE * med[first]
        verdict = {"status": PASS if late <= allowed else MISS, "early": early, "late": late,
                   "allowed": allowed, "early_span": [first, mid], "late_span": [mid, last]}
    return {"rows": rows, "verdict": verdict}


def print_w3(result: dict[str, Any]) -> None:
    say(f"  {'periods':>7} {'last period':>11} {'merge median':>13} {'min':>10} {'max':>10} "
        f"{'time/period':>12} {'marginal/period':>16}")
    for r in result["rows"]:
        m = r["merge"]
        marginal = "-" if r["marginal_per_period"] is None else fmt_s(r["marginal_per_period"])
        say(f"  {r['periods']:>7} {r['period']:>11} {fmt_s(m['median']):>13} {fmt_s(m['min']):>10} "
            f"{fmt_s(m['max']):>10} {fmt_s(r['per_period']):>12} {marginal:>16}")


# ---------------------------------------------------------------------------
# the workloads


def peer_environments(workdir: Path, plan: Plan, results: dict[str, Any]) -> dict[str, Path]:
    """Python of each peer's environment; quick mode uses only ones already built."""
    pythons: dict[str, Path] = {}
    info: dict[str, Any] = {}
    for p in PEERS:
        python, versions, how = environment(workdir, p, build=plan.mode != "quick")
        say(f"  peer {p.label}: {how}" + (f" ({', '.join(f'{k} {v}' for k, v in versions.items())})"
                                          if versions else ""))
        info[p.name] = {"how": how, "versions": versions}
        if python is not None:
            pythons[p.name] = python
    results["peers"] = info
    return pythons


def bench_w1(plan: Plan, cache: Path, scratch: Path, peers: dict[str, Path], results: dict[str, Any],
             targets: list[Target]) -> Path:
    say("\n== W1: default master, every unit returns"
        + (f" (quick: first {plan.w1_units} units only)" if plan.w1_units else ""))
    t0 = time.perf_counter()
    root, info = prepare_w1(cache, plan)
    say(f"  setup: {fmt_s(time.perf_counter() - t0)} ({'cached' if info['cached'] else 'built'}; "
        f"{info['returns']} returns)")
    sbs = side_by_side("W1", root, scratch / "w1", plan.reps_w1, plan.warmup, peers, with_run=True)
    status_root = fresh_copy(root, scratch / "status")
    run_duban_cli(status_root, "collect")
    status = measure_status(status_root, plan.reps_w1)
    say(f"  status: `duban status` {fmt_s(status['status']['min'])}, `python -c pass` "
        f"{fmt_s(status['python']['min'])} (min of {status['status']['n']}); ratio {status['ratio']:.1f}x; "
        f"CPU time {fmt_s(status['status_cpu']['min'])} vs {fmt_s(status['python_cpu']['min'])}, "
        f"{status['cpu_ratio']:.1f}x; `python -c \"{CLI_FLOOR}\"` {fmt_s(status['cli_floor']['min'])} "
        f"({status['cli_floor_ratio']:.1f}x)")
    results["W1"] = {"setup": info, **sbs, "status": status}
    duckdb, naive = best(sbs, DUCKDB), best(sbs, NAIVE)
    r = ratio(best(sbs, DUBAN_RUN), duckdb)
    rc = ratio(best(sbs, DUBAN_RUN, "cpu"), best(sbs, DUCKDB, "cpu"))
    targets.append(Target("W1", f"duban run <= {T_RUN_VS_DUCKDB}x duckdb", _x(r, rc), judge(r, T_RUN_VS_DUCKDB), r,
                          T_RUN_VS_DUCKDB))
    r = ratio(best(sbs, DUBAN), naive)
    rc = ratio(best(sbs, DUBAN, "cpu"), best(sbs, NAIVE, "cpu"))
    targets.append(Target("W1", f"collect+merge <= {T_W1_VS_NAIVE}x naive pandas", _x(r, rc),
                          judge(r, T_W1_VS_NAIVE), r, T_W1_VS_NAIVE))
    r = status["ratio"]
    targets.append(Target("W1", f"duban status <= {T_STATUS_VS_PASS:.0f}x python -c pass",
                          f"{r:.1f}x ({fmt_s(status['status']['min'])}; CPU {status['cpu_ratio']:.1f}x; "
                          f"click+sqlite3 alone {status['cli_floor_ratio']:.1f}x)",
                          judge(r, T_STATUS_VS_PASS), r, T_STATUS_VS_PASS))
    return root


def bench_w2(plan: Plan, cache: Path, scratch: Path, peers: dict[str, Path], results: dict[str, Any],
             targets: list[Target]) -> None:
    say(f"\n== W2: synthetic master, {plan.w2_tasks} tasks, {plan.w2_units} units "
        f"(~{plan.w2_tasks_per_unit} tasks each)")
    t0 = time.perf_counter()
    root, info = prepare_w2(cache, plan)
    say(f"  setup: {fmt_s(time.perf_counter() - t0)} ({'cached' if info['cached'] else 'built'}; "
        f"{info['returns']} returns)")
    sbs = side_by_side("W2", root, scratch / "w2", plan.reps_w2, False, peers, with_run=False)
    cvf = measure_check_vs_floor(root, plan.reps_w2)
    say(f"  per return: read+check {fmt_s(cvf['check_mean']['median'])} (median file "
        f"{fmt_s(cvf['check_median_file'])}), calamine {fmt_s(cvf['floor_mean']['median'])} "
        f"(median file {fmt_s(cvf['floor_median_file'])}); ratio {cvf['ratio']:.1f}x")
    results["W2"] = {"setup": info, **sbs, "check_vs_floor": cvf}
    r = ratio(best(sbs, DUBAN), best(sbs, DUCKDB))
    rc = ratio(best(sbs, DUBAN, "cpu"), best(sbs, DUCKDB, "cpu"))
    targets.append(Target("W2", f"collect+merge <= {T_W2_VS_DUCKDB}x duckdb", _x(r, rc), judge(r, T_W2_VS_DUCKDB),
                          r, T_W2_VS_DUCKDB))
    r = cvf["ratio"]
    targets.append(Target("W2", f"read+check per return <= {T_CHECK_VS_FLOOR}x calamine",
                          f"{r:.2f}x ({fmt_s(cvf['check_mean']['median'])} vs {fmt_s(cvf['floor_mean']['median'])})",
                          judge(r, T_CHECK_VS_FLOOR), r, T_CHECK_VS_FLOOR))


def bench_scale(plan: Plan, cache: Path, scratch: Path, results: dict[str, Any], targets: list[Target],
                enabled: bool) -> None:
    label = f"{plan.scale_units:,} returns"
    if not enabled:
        say(f"\n== Scale: {label} (skipped: pass --scale)")
        targets.append(Target("scale", f"{label}: peak RSS < {fmt_mb(T_SCALE_RSS)}", "not run (--scale)", SKIPPED))
        targets.append(Target("scale", f"ms/return {plan.w2_units:,} -> {plan.scale_units:,} within "
                                       f"+-{T_SCALE_LINEAR:.0%}", "not run (--scale)", SKIPPED))
        return
    say(f"\n== Scale: W2's shape at {label} ({plan.scale_tasks} tasks)")
    t0 = time.perf_counter()
    big, info = prepare_scale(cache, plan)
    small, _ = prepare_w2(cache, plan)
    say(f"  setup: {fmt_s(time.perf_counter() - t0)} ({'cached' if info['cached'] else 'built'}; "
        f"{info['returns']} returns)")
    runs: dict[str, list[dict[str, Any]]] = {"small": [], "big": []}
    for rep in range(max(1, min(plan.reps_w2, 2))):
        for name, root in (("small", small), ("big", big)):
            job = run_duban_job(fresh_copy(root, scratch / "scale"))
            runs[name].append(job)
            say(f"  scale rep {rep + 1} {name}: {job['returns']} returns, collect+merge {fmt_s(job['work_s'])} "
                f"({job['work_s'] * 1000 / max(job['returns'], 1):.2f} ms/return), peak RSS {fmt_mb(job['peak_rss'])}")
    shutil.rmtree(scratch / "scale", ignore_errors=True)
    per = {k: min(j["work_s"] / max(j["returns"], 1) for j in v) for k, v in runs.items()}
    rss = max(j["peak_rss"] for j in runs["big"])
    drift = per["big"] / per["small"] - 1
    results["scale"] = {"setup": info, "runs": runs, "ms_per_return": {k: v * 1000 for k, v in per.items()},
                        "drift": drift, "peak_rss": rss}
    targets.append(Target("scale", f"{label}: peak RSS < {fmt_mb(T_SCALE_RSS)}", fmt_mb(rss),
                          judge(rss, T_SCALE_RSS), rss, T_SCALE_RSS))
    targets.append(Target("scale", f"ms/return {plan.w2_units:,} -> {plan.scale_units:,} within +-{T_SCALE_LINEAR:.0%}",
                          f"{per['small'] * 1000:.2f} -> {per['big'] * 1000:.2f} ms ({drift:+.0%})",
                          judge(abs(drift), T_SCALE_LINEAR), drift, T_SCALE_LINEAR))


def bench_w3(plan: Plan, cache: Path, w1_root: Path, results: dict[str, Any], targets: list[Target]) -> None:
    say(f"\n== W3: {max(plan.w3_points)} monthly periods of W1 in one ledger, merge of the last month"
        + (f" (first {plan.w3_units} units only)" if plan.w3_units else ""))
    t0 = time.perf_counter()
    snaps, info = prepare_w3(cache, plan, w1_root)
    say(f"  setup: {fmt_s(time.perf_counter() - t0)} ({'cached' if info['cached'] else 'built'})")
    w3 = measure_w3(snaps, plan.reps_w3, plan.warmup)
    print_w3(w3)
    v = w3["verdict"]
    if v["late"] is not None:
        say(f"  marginal cost per period: {v['early_span'][0]}-{v['early_span'][1]} mo {fmt_s(v['early'])}, "
            f"{v['late_span'][0]}-{v['late_span'][1]} mo {fmt_s(v['late'])} (allowed {fmt_s(v['allowed'])})")
        measured = f"late {fmt_s(v['late'])}/period vs allowed {fmt_s(v['allowed'])}"
    else:
        measured = "not enough points"
    results["W3"] = {"setup": info, **w3}
    targets.append(Target("W3", "merge time grows at most linearly with periods", measured, v["status"],
                          v["late"], v["allowed"]))


def _x(r: float | None, cpu: float | None = None) -> str:
    if r is None:
        return "skipped (peer not available)"
    return f"{r:.2f}x" + (f" (CPU {cpu:.2f}x)" if cpu is not None else "")


# ---------------------------------------------------------------------------
# report


def print_table(results: dict[str, Any]) -> None:
    """The side-by-side table of issue 19, in Markdown (README's performance section takes it)."""
    w1, w2 = (r if r and "times" in r else None for r in (results.get("W1"), results.get("W2")))
    say("\n== Side by side (whole processes, interpreter start included; wall time, min of the repetitions; "
        "in brackets the median and the least CPU time)")
    head1 = f"W1 ({w1['files']} returns)" if w1 else "W1"
    head2 = f"W2 ({w2['files']:,} returns)" if w2 else "W2"
    say(f"| script | {head1} | {head2} |")
    say("|---|---|---|")
    names = [p.label for p in PEERS] + [DUBAN, DUBAN_RUN, FLOOR]
    for name in names:
        cells = []
        for r in (w1, w2):
            s = r["times"].get(name) if r else None
            c = r["cpu"].get(name) if r else None
            cells.append(f"{fmt_s(s['min'])} ({fmt_s(s['median'])}; CPU {fmt_s(c['min'])})" if s and c
                         else "skipped" if r and name != DUBAN_RUN else "-")
        say(f"| {name} | {cells[0]} | {cells[1]} |")
    for key, r in (("W1", w1), ("W2", w2)):
        if r:
            say(f"  {key} duban split: imports {fmt_s(r['duban_imports']['min'])}, collect "
                f"{fmt_s(r['duban_collect']['min'])}, merge {fmt_s(r['duban_merge']['min'])}; "
                f"peak RSS {fmt_mb(r['duban_peak_rss']['max'])}")


def print_targets(targets: list[Target]) -> None:
    say("\n== Targets")
    width = max(len(t.text) for t in targets) + 2
    say(f"  {'':6} {'target':{width}} {'measured':42} status")
    for t in targets:
        say(f"  {t.workload:6} {t.text:{width}} {t.measured:42} {t.status}")


def machine_info() -> dict[str, Any]:
    from importlib.metadata import version

    from toolkit import __version__

    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(), "cpu": cpu,
            "duban": __version__, "openpyxl": version("openpyxl"), "python_calamine": version("python-calamine")}


def load_average() -> float | None:
    """1-minute load average (other processes compete with the benchmark for 2 cores)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="duban performance benchmark: duban beside pandas, polars and duckdb "
                                            "scripts on workloads W1, W2, W3 (and --scale).")
    p.add_argument("--quick", action="store_true",
                   help="tiny run: 1 repetition, small workloads, peers only if their environments are cached")
    p.add_argument("--scale", action="store_true", help="also 10,000 returns (slow to build the first time; cached)")
    p.add_argument("--reps", type=int, help="repetitions (default 5 for W1, at most 3 for W2/W3; quick: 1)")
    p.add_argument("--only", default="W1,W2,W3", help="workloads to run, e.g. W1,W3 (or scale)")
    p.add_argument("--workdir", type=Path, default=HERE / ".work",
                   help="cache of workloads and peer environments, scratch space (default benchmarks/.work)")
    p.add_argument("--results", type=Path, default=HERE / "results" / "latest.json",
                   help="machine-readable results (default benchmarks/results/latest.json)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached workloads")
    args = p.parse_args(argv)
    if args.reps is not None and args.reps < 1:
        p.error("--reps must be at least 1")
    args.only = {w.strip().upper() for w in args.only.split(",") if w.strip()}
    unknown = args.only - {"W1", "W2", "W3", "SCALE"}
    if unknown:
        p.error(f"unknown workload(s): {', '.join(sorted(unknown))}")
    if args.scale:
        args.only.add("SCALE")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args.quick, args.reps)
    workdir = args.workdir.resolve()
    cache = workdir / plan.cache_key
    scratch = workdir / "scratch"
    if args.rebuild:
        shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    say(f"duban benchmark ({plan.mode}): duban {info['duban']}, Python {info['python']}, {info['cpus']} CPUs "
        f"({info['cpu'] or 'cpu unknown'}), {info['platform']}")
    say(f"workdir {cache}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        say("PYTHONDONTWRITEBYTECODE is set here; it is unset for the timed processes (users have bytecode)")
    load_before = load_average()
    if load_before is not None:
        say(f"load average {load_before:.2f}" + (" (busy machine: other processes inflate the timings)"
                                                 if load_before > 0.5 else ""))
    started = time.perf_counter()
    results: dict[str, Any] = {}
    targets: list[Target] = []
    crashed: list[str] = []

    def guarded(name: str, run: Callable[[], Any]) -> Any:
        """One workload failing (duban is a moving target) must not hide the others."""
        try:
            return run()
        except Exception:
            crashed.append(name)
            text = traceback.format_exc()
            say(f"  {name} FAILED:\n{text}")
            results[name] = {"error": text}
            targets.append(Target(name, "workload ran", "failed (see traceback above)", ERROR))
            return None

    say("\n== duban and the peers (each in its own virtual environment)")
    DUBAN_PYTHON[0], how = duban_environment(workdir, build=plan.mode != "quick")
    say(f"  duban (pip install of this checkout, run-time dependencies only): {how}")
    results["duban_environment"] = {"how": how, "python": str(DUBAN_PYTHON[0])}
    peers = guarded("peers", lambda: peer_environments(workdir, plan, results)) or {}
    w1_root: Path | None = None
    if "W1" in args.only:
        w1_root = guarded("W1", lambda: bench_w1(plan, cache, scratch, peers, results, targets))
    if "W2" in args.only:
        guarded("W2", lambda: bench_w2(plan, cache, scratch, peers, results, targets))
    guarded("scale", lambda: bench_scale(plan, cache, scratch, results, targets, "SCALE" in args.only))
    if "W3" in args.only:
        guarded("W3", lambda: bench_w3(plan, cache, w1_root or prepare_w1(cache, plan)[0], results, targets))
    shutil.rmtree(scratch, ignore_errors=True)
    print_table(results)
    print_targets(targets)
    elapsed = time.perf_counter() - started
    load_after = load_average()
    say(f"\ntotal benchmark time {fmt_s(elapsed)}"
        + (f"; load average {load_after:.2f} at the end" if load_after is not None else ""))
    info["load_average_start"], info["load_average_end"] = load_before, load_after
    doc = {"created": dt.datetime.now().isoformat(timespec="seconds"), "mode": plan.mode, "plan": plan.__dict__,
           "machine": info, "elapsed_s": elapsed, "workloads": results,
           "targets": [t.__dict__ for t in targets]}
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    say(f"results: {args.results}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
