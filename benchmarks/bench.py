#!/usr/bin/env python3
"""Performance benchmark of duban: builds its own workloads, times them, checks the targets.

    python benchmarks/bench.py [--quick] [--reps N] [--only W1,W2,W3] [--workdir DIR]

Three contenders on the same received files:

- A: ``duban collect`` + ``duban merge`` (library calls; W2 runs A in a child process to
  read its peak RSS);
- B: the naive coordinator script: ``pandas.read_excel`` (default engine) on every
  return, ``concat``, ``to_excel``;
- C: the floor: python-calamine reading each data sheet and nothing else.

Workloads (built once, cached in the work folder, copied fresh before each run of A):

- W1: the default master (seed), every unit returns;
- W2: a synthetic master (200 tasks, 1,000 units) imported with ``duban master import``;
- W3: twelve monthly periods of W1 in one ledger, then ``merge`` of the last month.

Repetitions alternate (A, B, C, A, B, C, ...); medians are reported. Results also go to
``benchmarks/results/latest.json``. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Benchmark the code of this clone, installed or not.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Bump when the generated workloads change: cached workspaces of other versions are ignored.
BENCH_VERSION = "1"
PERIOD = "2022-06"
READY = ".ready"
CHILD_TAG = "BENCH_CHILD_RESULT "
DATA_SHEET = "进展填报"
HEADER_ROW_INDEX = 3  # pandas header= for the return's header row (row 4)

# Targets (from the issue).
TARGET_W1_AB = 0.33
TARGET_W1_RUN_S = 3.0
TARGET_W2_CHECK_RATIO = 2.0
TARGET_W2_A_S = 15.0
TARGET_W2_RSS_BYTES = 1024**3
# W3 "at most linear": the marginal merge cost per extra period late in the history may
# not exceed this factor times the early marginal cost, plus a noise allowance relative
# to the one-period merge time.
W3_SLOPE_FACTOR = 1.5
W3_NOISE_SHARE = 0.02

PASS, MISS, ERROR = "PASS", "MISS", "ERROR"


# ---------------------------------------------------------------------------
# plan


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

    @property
    def cache_key(self) -> str:
        from toolkit import __version__

        return (f"v{BENCH_VERSION}-duban{__version__}-w1_{self.w1_units or 'all'}"
                f"-w2_{self.w2_tasks}x{self.w2_units}x{self.w2_tasks_per_unit}"
                f"-w3_{max(self.w3_points)}x{self.w3_units or 'all'}")


def make_plan(quick: bool, reps: int | None) -> Plan:
    if quick:  # proves every step runs; the figures mean little
        n = reps or 1
        return Plan("quick", n, n, n, w2_tasks=10, w2_units=10, w2_tasks_per_unit=3,
                    w1_units=10, w3_points=(1, 2, 3), w3_units=4, warmup=False)
    n = reps or 5
    return Plan("full", n, min(n, 3), min(n, 3), w2_tasks=200, w2_units=1000, w2_tasks_per_unit=10,
                w1_units=None, w3_points=(1, 3, 6, 12), w3_units=None, warmup=True)


# ---------------------------------------------------------------------------
# small helpers


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
    return env


def inbox_files(root: Path) -> list[Path]:
    from toolkit.inbox import scan_inbox
    from toolkit.workspace import INBOX

    return scan_inbox(root / INBOX)


# ---------------------------------------------------------------------------
# building workloads


def make_filling(tasks: list[tuple[Any, str]], unit: str, period: Any, due: dt.date,
                 month_index: int, index: int) -> Any:
    """A plausible, valid department fill: tasks due by the period end are done, others move on.

    Progress only grows with ``month_index`` (no W606 across W3's months); every ninth unit
    types the synonym 进行中 once (a W503 warning, so some feedback files are written too).
    """
    from toolkit.filling import Answer, Filling

    answers = {}
    synonym_used = index % 9 != 4
    short = unit[:12]
    for n, (task, _role) in enumerate(tasks):
        seed = index * 31 + n * 17
        name = (task.name or task.level2 or task.id)[:24]
        if task.due_by(period.end):
            answers[task.id] = Answer(
                status="已完成", progress=100,
                work=f"{period.label}，{short}围绕“{name}”已全部完成：印发实施方案，"
                     f"梳理事项清单{5 + seed % 40}项，完成系统上线和人员培训。",
                next_plan="巩固成果，做好常态化运行和跟踪评估。",
                evidence=f"东政数函〔{period.year}〕{10 + seed % 90}号")
            continue
        status = "序时推进"
        if not synonym_used:
            status, synonym_used = "进行中", True
        answers[task.id] = Answer(
            status=status, progress=min(95, 10 + seed % 25 + 6 * month_index),
            work=f"{period.label}，{short}围绕“{name}”召开专题推进会{1 + seed % 3}次，"
                 f"梳理事项清单{5 + seed % 40}项，工作方案已印发，专人跟进落实。",
            next_plan="按时间节点推进，下月完成阶段性目标。",
            eta=task.deadline)
    contact = {"填报人": "张敏", "联系电话": "0769-22830000", "审核人": "李强",
               "填报日期": due - dt.timedelta(days=1)}
    return Filling(answers=answers, contact=contact)


def _tasks_by_unit(master: Any) -> dict[str, list[tuple[Any, str]]]:
    from toolkit.master import task_sort_key
    from toolkit.vocab import Role
    LEAD = Role.LEAD

    out: dict[str, list[tuple[Any, str]]] = {}
    for a in master.assignments:
        task = master.task(a.task)
        if task is not None:
            out.setdefault(a.unit, []).append((task, a.role))
    for pairs in out.values():
        pairs.sort(key=lambda p: (p[1] != LEAD, task_sort_key(p[0].id)))
    return out


def _issue_fill_chunk(job: tuple[str, str, list[str], int, dict[str, int]]) -> int:
    """Worker: issue the returns of some units, fill them, drop them in the inbox."""
    from toolkit.actions.issue import issue_returns
    from toolkit.filling import fill_return
    from toolkit.period import Period
    from toolkit.workspace import find_workspace

    root, period_text, units, month_index, index_of = job
    ws = find_workspace(root, explicit=True)
    issued = issue_returns(ws, period_text, units=units)
    master = ws.load_master()
    tasks = _tasks_by_unit(master)
    period = Period.parse(period_text)
    due = ws.due(period)
    ws.inbox.mkdir(parents=True, exist_ok=True)
    for unit, path in zip(issued.units, issued.files):
        i = index_of[unit]
        data = fill_return(path, make_filling(tasks[unit], unit, period, due, month_index, i))
        target = ws.inbox / path.name
        target.write_bytes(data)
        received = (dt.datetime.combine(due - dt.timedelta(days=1 + i % 4), dt.time(9, 0))
                    + dt.timedelta(minutes=(i * 37) % 480))
        stamp = received.timestamp()
        os.utime(target, (stamp, stamp))
    return len(issued.files)


def issue_and_fill(root: Path, period: str, units: list[str] | None = None, month_index: int = 0,
                   workers: int = 2) -> int:
    """Issue, fill and drop every return of ``period`` (on ``workers`` processes)."""
    from toolkit.workspace import find_workspace

    master = find_workspace(root, explicit=True).load_master()
    all_units = master.units_with_tasks()
    index_of = {u: i for i, u in enumerate(all_units)}
    chosen = units or all_units
    chunks = [c for c in (chosen[i::workers] for i in range(workers)) if c]
    jobs = [(str(root), period, c, month_index, index_of) for c in chunks]
    if len(jobs) == 1:
        return _issue_fill_chunk(jobs[0])
    with ProcessPoolExecutor(len(jobs)) as pool:
        return sum(pool.map(_issue_fill_chunk, jobs))


def _mark_ready(folder: Path, info: dict[str, Any]) -> None:
    (folder / READY).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")


def _cached(folder: Path) -> dict[str, Any] | None:
    """The cached workload's setup info; None after clearing the folder for a rebuild."""
    marker = folder / READY
    if marker.exists():
        return json.loads(marker.read_text(encoding="utf-8")) | {"cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    return None


def prepare_w1(cache: Path, plan: Plan) -> tuple[Path, dict[str, Any]]:
    """Workspace with the default master and every unit's filled 2022-06 return in the inbox."""
    from toolkit.actions.init import init_workspace
    from toolkit.workspace import find_workspace

    folder = cache / "w1"
    root = folder / "ws"
    info = _cached(folder)
    if info is not None:
        return root, info
    t0 = time.perf_counter()
    init_workspace(root, period=PERIOD)
    units = None
    if plan.w1_units:
        units = find_workspace(root, explicit=True).load_master().units_with_tasks()[: plan.w1_units]
    t1 = time.perf_counter()
    n = issue_and_fill(root, PERIOD, units)
    t2 = time.perf_counter()
    info = {"init_s": t1 - t0, "issue_fill_s": t2 - t1, "returns": n}
    _mark_ready(folder, info)
    return root, info | {"cached": False}


W2_LEVEL1 = ("优化营商环境", "推进政务服务标准化", "深化一网通办", "强化数据共享", "提升基层服务能力",
             "完善监督评价", "加强队伍建设", "强化组织保障")
W2_DEADLINES = ("2022年6月", "2022年9月", "2022年12月", "长期开展", "2022年底前", "2022年6月30日", "2022.10")


def w2_unit_names(n: int) -> list[str]:
    return [f"测试{i + 1:04d}镇" if i % 3 == 0 else f"市测试{i + 1:04d}局" for i in range(n)]


def write_w2_master(path: Path, tasks: int, units: int, per_unit: int) -> list[str]:
    """Generate the published table (.xlsx) of a big action plan; returns the unit names."""
    from openpyxl import Workbook

    if units % tasks or (units * per_unit) % tasks:
        raise ValueError("units must be a multiple of tasks")
    names = w2_unit_names(units)
    step, per_task = units // tasks, units * per_unit // tasks
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分工"
    headers = ["任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "牵头单位", "配合单位"]
    ws.append(["某市2022年政务服务提质增效专项行动主要任务分工表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    per_level1 = max(1, tasks // len(W2_LEVEL1))
    for t in range(tasks):
        l2 = t // 5 + 1
        theme = W2_LEVEL1[min(t // per_level1, len(W2_LEVEL1) - 1)]
        assigned = [names[(t * step + j) % units] for j in range(per_task)]
        leads, coops = assigned[:2], assigned[2:]
        ws.append([
            f"{l2}.{t % 5 + 1}", theme, f"{l2}. {theme}重点工作（第{l2}组）", f"{theme}第{t + 1}项措施",
            f"围绕{theme}，梳理第{t + 1}项措施涉及的事项清单和办事指南，统一受理条件、申请材料、办理时限和"
            f"收费标准，推动线上线下同标准办理，按月通报推进情况，确保按期完成并形成可复制经验。",
            W2_DEADLINES[t % len(W2_DEADLINES)], "、".join(leads), "、".join(coops)])
    wb.save(path)
    return names


def write_w2_directory(path: Path, names: list[str]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["单位", "简称/别名", "类别", "联系人", "电话", "邮箱"])
        for i, name in enumerate(names):
            kind = "镇街" if name.endswith("镇") else "市直部门"
            w.writerow([name, "", kind, "联络员", f"0769-2{i:07d}", f"unit{i + 1:04d}@example.gov.cn"])


def prepare_w2(cache: Path, plan: Plan) -> tuple[Path, dict[str, Any]]:
    """Synthetic big master via `duban master import`, every unit's filled return in the inbox."""
    from toolkit.actions.init import init_workspace

    folder = cache / "w2"
    root = folder / "ws"
    info = _cached(folder)
    if info is not None:
        return root, info
    folder.mkdir(parents=True)
    source, directory = folder / "分工表.xlsx", folder / "单位名录.csv"
    t0 = time.perf_counter()
    names = write_w2_master(source, plan.w2_tasks, plan.w2_units, plan.w2_tasks_per_unit)
    write_w2_directory(directory, names)
    t1 = time.perf_counter()
    init_workspace(root, master_file=source, period=PERIOD)
    t2 = time.perf_counter()
    cmd = [sys.executable, "-m", "toolkit", "-q", "-w", str(root), "master", "import", str(source),
           "--directory", str(directory)]
    done = subprocess.run(cmd, cwd=root, env=child_env(), capture_output=True, text=True)
    t3 = time.perf_counter()
    if done.returncode not in (0, 1):
        raise RuntimeError(f"duban master import failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    n = issue_and_fill(root, PERIOD)
    t4 = time.perf_counter()
    info = {"generate_s": t1 - t0, "init_s": t2 - t1, "master_import_cli_s": t3 - t2,
            "issue_fill_s": t4 - t3, "returns": n, "tasks": plan.w2_tasks, "units": plan.w2_units}
    _mark_ready(folder, info)
    return root, info | {"cached": False}


def w3_periods(n: int) -> list[str]:
    from toolkit.period import Period

    first = Period.parse(PERIOD)
    return [str(first.shift(k)) for k in range(n)]


def prepare_w3(cache: Path, plan: Plan, w1_root: Path) -> tuple[list[tuple[int, Path, str]], dict[str, Any]]:
    """Ledgers after 1, 3, 6, 12 collected months (snapshots of one growing workspace)."""
    from toolkit.actions.collect import collect
    from toolkit.workspace import find_workspace

    folder = cache / "w3"
    periods = w3_periods(max(plan.w3_points))
    snaps = [(n, folder / f"after-{n:02d}", periods[n - 1]) for n in plan.w3_points]
    info = _cached(folder)
    if info is not None:
        return snaps, info
    build = fresh_copy(w1_root, folder / "build")
    ws = find_workspace(build, explicit=True)
    units: list[str] | None = None
    if plan.w3_units:
        units = ws.load_master().units_with_tasks()[: plan.w3_units]
        keep = {f"_{u}_" for u in units}
        for p in inbox_files(build):
            if not any(k in p.name for k in keep):
                p.unlink()
    t_issue = t_collect = 0.0
    for k, period in enumerate(periods, start=1):
        if k > 1:
            t0 = time.perf_counter()
            issue_and_fill(build, period, units, month_index=k - 1)
            t_issue += time.perf_counter() - t0
        t0 = time.perf_counter()
        result = collect(ws, period)
        t_collect += time.perf_counter() - t0
        if result.accepted != result.returns:
            say(f"  warning: W3 {period}: accepted {result.accepted} of {result.returns} returns")
        if k in plan.w3_points:
            fresh_copy(build, folder / f"after-{k:02d}")
    shutil.rmtree(build)
    info = {"issue_fill_s": t_issue, "collect_s": t_collect, "periods": periods,
            "units": len(units) if units else "all"}
    _mark_ready(folder, info)
    return snaps, info | {"cached": False}


# ---------------------------------------------------------------------------
# the contenders


def run_a_inprocess(root: Path) -> dict[str, Any]:
    """A: what `duban collect` then `duban merge` do, as library calls."""
    from toolkit.actions.collect import collect
    from toolkit.actions.merge import merge
    from toolkit.workspace import find_workspace

    gc.collect()
    t0 = time.perf_counter()
    ws = find_workspace(root, explicit=True)
    result = collect(ws)
    t1 = time.perf_counter()
    merge(ws)
    t2 = time.perf_counter()
    return {"total": t2 - t0, "collect": t1 - t0, "merge": t2 - t1, "accepted": result.accepted,
            "returns": result.returns}


def child_main(root: str) -> None:
    """Entry of ``--child-a``: run A once and print its figures as one JSON line."""
    import importlib
    import resource

    # Warm imports, as in the in-process runs: A's time is the work, not the imports.
    for module in ("openpyxl", "pandas", "python_calamine", "toolkit.consolidate", "toolkit.feedback",
                   "toolkit.actions.collect", "toolkit.summary_book"):
        importlib.import_module(module)
    out = run_a_inprocess(Path(root))
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    out["maxrss_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    out["maxrss_children"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    print(CHILD_TAG + json.dumps(out), flush=True)


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


def run_a_child(root: Path) -> dict[str, Any]:
    """A in a child process, for its peak memory; times measured inside the child."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-a", str(root)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    sampler = TreeRss(proc.pid) if TreeRss.available() else None
    if sampler:
        sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    tree_peak = sampler.stop() if sampler else None
    line = next((x for x in stdout.splitlines() if x.startswith(CHILD_TAG)), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"A child failed ({proc.returncode}): {stderr.strip()[-800:]}")
    out = json.loads(line[len(CHILD_TAG):])
    out["wall_with_startup"] = wall
    out["tree_rss_peak"] = tree_peak
    out["peak_rss"] = max(x for x in (out["maxrss_self"], out["maxrss_children"], tree_peak or 0))
    return out


def pandas_engine() -> str:
    try:
        from pandas.io.excel._util import get_default_engine

        return str(get_default_engine("xlsx", mode="reader"))
    except Exception:  # private API; only used for the label
        return "default"


def run_b(files: list[Path], out: Path) -> float:
    """B: the script a coordinator writes with pandas' defaults."""
    import pandas as pd

    gc.collect()
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas 3 announces its future default engine
        frames = [pd.read_excel(p, sheet_name=DATA_SHEET, header=HEADER_ROW_INDEX) for p in files]
        pd.concat(frames, ignore_index=True).to_excel(out, index=False)
    return time.perf_counter() - t0


def run_c(files: list[Path]) -> float:
    """C: the floor, calamine reading each data sheet and nothing else."""
    from python_calamine import CalamineWorkbook

    gc.collect()
    t0 = time.perf_counter()
    for p in files:
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name(DATA_SHEET).to_python()
    return time.perf_counter() - t0


def measure_abc(label: str, template: Path, scratch: Path, reps: int, warmup: bool,
                run_a: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Alternate A, B, C ``reps`` times on the files of ``template``'s inbox."""
    files = inbox_files(template)
    a_runs: list[dict[str, Any]] = []
    b_times: list[float] = []
    c_times: list[float] = []
    scratch.mkdir(parents=True, exist_ok=True)
    if warmup:
        say(f"  {label}: warm-up (not timed)")
        run_a(fresh_copy(template, scratch / "a"))
        run_b(files[:3], scratch / "b.xlsx")
        run_c(files[:3])
    for rep in range(reps):
        a = run_a(fresh_copy(template, scratch / "a"))
        if a["accepted"] != len(files):
            say(f"  warning: A accepted {a['accepted']} of {len(files)} returns "
                "(stale cached workspace? rerun with --rebuild)")
        a_runs.append(a)
        b_times.append(run_b(files, scratch / "b.xlsx"))
        c_times.append(run_c(files))
        say(f"  {label} rep {rep + 1}/{reps}: A {fmt_s(a['total'])} (collect {fmt_s(a['collect'])}, "
            f"merge {fmt_s(a['merge'])}), B {fmt_s(b_times[-1])}, C {fmt_s(c_times[-1])}")
    shutil.rmtree(scratch / "a", ignore_errors=True)
    a_total = stats([a["total"] for a in a_runs])
    result: dict[str, Any] = {
        "files": len(files), "bytes": sum(p.stat().st_size for p in files),
        "A": a_total, "A_collect": stats([a["collect"] for a in a_runs]),
        "A_merge": stats([a["merge"] for a in a_runs]), "B": stats(b_times), "C": stats(c_times),
        "B_engine": pandas_engine(),
    }
    result["A/B"] = a_total["median"] / result["B"]["median"]
    result["A/C"] = a_total["median"] / result["C"]["median"]
    if "peak_rss" in a_runs[0]:
        result["A_peak_rss"] = stats([a["peak_rss"] for a in a_runs])
        result["A_tree_rss"] = stats([a["tree_rss_peak"] or 0 for a in a_runs])
        result["A_maxrss_self"] = stats([a["maxrss_self"] for a in a_runs])
        result["A_maxrss_workers"] = stats([a["maxrss_children"] for a in a_runs])
        result["A_wall_with_startup"] = stats([a["wall_with_startup"] for a in a_runs])
    return result


def print_abc(result: dict[str, Any]) -> None:
    say(f"  {'':34} {'median':>10} {'min':>10} {'max':>10} {'reps':>5}")

    def row(name: str, s: dict[str, Any], fmt: Callable[[float], str] = fmt_s) -> None:
        say(f"  {name:34} {fmt(s['median']):>10} {fmt(s['min']):>10} {fmt(s['max']):>10} {s['n']:>5}")

    row("A  duban collect + merge", result["A"])
    row("     collect", result["A_collect"])
    row("     merge", result["A_merge"])
    row(f"B  pandas read_excel ({result['B_engine']})", result["B"])
    row("C  calamine floor", result["C"])
    if "A_peak_rss" in result:
        row("A  peak RSS (whole process tree)", result["A_peak_rss"], fmt_mb)
        row("     main process", result["A_maxrss_self"], fmt_mb)
        row("     largest worker", result["A_maxrss_workers"], fmt_mb)
        row("A  wall incl. interpreter start", result["A_wall_with_startup"])
    n = result["files"]
    say(f"  per file: A {fmt_s(result['A']['median'] / n)}, B {fmt_s(result['B']['median'] / n)}, "
        f"C {fmt_s(result['C']['median'] / n)}")
    say(f"  A/B = {result['A/B']:.2f}   A/C = {result['A/C']:.1f}")


# ---------------------------------------------------------------------------
# W1: duban run end to end


def run_commands() -> tuple[list[list[str]], str]:
    """The CLI steps of one monthly run: `duban run` if it exists, else collect, merge, memo."""
    from toolkit.cli import cli

    if "run" in cli.commands:
        return [["run"]], "duban run"
    return [["collect"], ["merge"], ["memo"]], "duban collect && duban merge && duban memo (no `duban run` yet)"


def measure_e2e(template: Path, scratch: Path, reps: int) -> dict[str, Any]:
    """Wall time of the monthly run as subprocesses, interpreter start included."""
    steps, how = run_commands()
    times: list[float] = []
    step_times: dict[str, list[float]] = {" ".join(s): [] for s in steps}
    failure = failed_step = ""
    for rep in range(reps):
        root = fresh_copy(template, scratch / "e2e")
        total = 0.0
        for step in steps:
            cmd = [sys.executable, "-m", "toolkit", "-q", "-w", str(root), *step]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, cwd=root, env=child_env(), capture_output=True, text=True)
            elapsed = time.perf_counter() - t0
            total += elapsed
            step_times[" ".join(step)].append(elapsed)
            ok = done.returncode == 0 or (done.returncode == 1 and step[0] in ("collect", "run"))
            if not ok:
                lines = (done.stderr or done.stdout).strip().splitlines()
                failure = f"`duban {' '.join(step)}` exit {done.returncode}: {lines[-1] if lines else ''}"
                failed_step = " ".join(step)
                break
        if failure:
            say(f"  e2e rep {rep + 1}: {failure}")
            break
        times.append(total)
        say(f"  e2e rep {rep + 1}/{reps}: {fmt_s(total)} ("
            + ", ".join(f"{k} {fmt_s(v[-1])}" for k, v in step_times.items()) + ")")
    shutil.rmtree(scratch / "e2e", ignore_errors=True)
    out: dict[str, Any] = {"how": how, "failure": failure, "failed_step": failed_step,
                           "steps": {k: stats(v) for k, v in step_times.items() if v}}
    if times:
        out["total"] = stats(times)
    elif step_times:
        # Failed on the first repetition: what did the steps that ran cost?
        out["partial_s"] = sum(v[0] for v in step_times.values() if v)
    return out


# ---------------------------------------------------------------------------
# W2: read + check per return versus the calamine floor


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
# main


@dataclass
class Target:
    workload: str
    text: str
    measured: str
    status: str
    value: float | None = None
    limit: float | None = None


def bench_w1(plan: Plan, cache: Path, scratch: Path, results: dict[str, Any], targets: list[Target]) -> Path:
    say("\n== W1: default master, every unit returns"
        + (f" (quick: first {plan.w1_units} units only)" if plan.w1_units else ""))
    t0 = time.perf_counter()
    root, info = prepare_w1(cache, plan)
    setup = time.perf_counter() - t0
    say(f"  setup: {fmt_s(setup)} ({'cached' if info['cached'] else 'built'}; {info['returns']} returns)")
    abc = measure_abc("W1", root, scratch / "w1", plan.reps_w1, plan.warmup, run_a_inprocess)
    say(f"  {abc['files']} returns, {abc['bytes'] / 1024:.0f} KiB")
    print_abc(abc)
    e2e = measure_e2e(root, scratch / "w1", plan.reps_w1)
    say(f"  end to end: {e2e['how']}")
    if "total" in e2e:
        s = e2e["total"]
        say(f"    median {fmt_s(s['median'])}  min {fmt_s(s['min'])}  max {fmt_s(s['max'])}  reps {s['n']}")
        for k, v in e2e["steps"].items():
            say(f"      duban {k:8} median {fmt_s(v['median'])}")
    else:
        say(f"    failed: {e2e['failure']}")
    results["W1"] = {"setup_s": setup, "setup": info, "abc": abc, "e2e": e2e}
    ab = abc["A/B"]
    targets.append(Target("W1", f"A/B <= {TARGET_W1_AB}", f"{ab:.2f}", PASS if ab <= TARGET_W1_AB else MISS,
                          ab, TARGET_W1_AB))
    label = "duban run" if e2e["how"] == "duban run" else "collect+merge+memo (no `run`)"
    if "total" in e2e:
        v = e2e["total"]["median"]
        targets.append(Target("W1", f"{label} end to end < {TARGET_W1_RUN_S:.0f} s", fmt_s(v),
                              PASS if v < TARGET_W1_RUN_S else MISS, v, TARGET_W1_RUN_S))
    else:
        partial = e2e.get("partial_s", 0.0)
        status = MISS if partial >= TARGET_W1_RUN_S else ERROR
        targets.append(Target("W1", f"{label} end to end < {TARGET_W1_RUN_S:.0f} s",
                              f">= {fmt_s(partial)}, then `duban {e2e['failed_step']}` failed", status, partial,
                              TARGET_W1_RUN_S))
    return root


def bench_w2(plan: Plan, cache: Path, scratch: Path, results: dict[str, Any], targets: list[Target]) -> None:
    say(f"\n== W2: synthetic master, {plan.w2_tasks} tasks, {plan.w2_units} units "
        f"(~{plan.w2_tasks_per_unit} tasks each)")
    t0 = time.perf_counter()
    root, info = prepare_w2(cache, plan)
    setup = time.perf_counter() - t0
    say(f"  setup: {fmt_s(setup)} ({'cached' if info['cached'] else 'built'}; {info['returns']} returns)")
    if not info["cached"]:
        say(f"    generate {fmt_s(info['generate_s'])}, init {fmt_s(info['init_s'])}, "
            f"`duban master import` {fmt_s(info['master_import_cli_s'])}, issue+fill {fmt_s(info['issue_fill_s'])}")
    abc = measure_abc("W2", root, scratch / "w2", plan.reps_w2, False, run_a_child)
    say(f"  {abc['files']} returns, {abc['bytes'] / 1024:.0f} KiB")
    print_abc(abc)
    cvf = measure_check_vs_floor(root, plan.reps_w2)
    say(f"  per return: read+check {fmt_s(cvf['check_mean']['median'])} (median file "
        f"{fmt_s(cvf['check_median_file'])}), calamine {fmt_s(cvf['floor_mean']['median'])} "
        f"(median file {fmt_s(cvf['floor_median_file'])}); ratio {cvf['ratio']:.1f}x")
    results["W2"] = {"setup_s": setup, "setup": info, "abc": abc, "check_vs_floor": cvf}
    r = cvf["ratio"]
    targets.append(Target("W2", f"read+check per return <= {TARGET_W2_CHECK_RATIO:.0f}x calamine",
                          f"{r:.1f}x ({fmt_s(cvf['check_mean']['median'])} vs {fmt_s(cvf['floor_mean']['median'])})",
                          PASS if r <= TARGET_W2_CHECK_RATIO else MISS, r, TARGET_W2_CHECK_RATIO))
    a = abc["A"]["median"]
    targets.append(Target("W2", f"A (collect+merge) <= {TARGET_W2_A_S:.0f} s", fmt_s(a),
                          PASS if a <= TARGET_W2_A_S else MISS, a, TARGET_W2_A_S))
    rss = abc["A_peak_rss"]["max"]
    targets.append(Target("W2", "A peak RSS < 1 GB", fmt_mb(rss), PASS if rss < TARGET_W2_RSS_BYTES else MISS,
                          rss, TARGET_W2_RSS_BYTES))


def bench_w3(plan: Plan, cache: Path, w1_root: Path, results: dict[str, Any], targets: list[Target]) -> None:
    say(f"\n== W3: {max(plan.w3_points)} monthly periods of W1 in one ledger, merge of the last month"
        + (f" (first {plan.w3_units} units only)" if plan.w3_units else ""))
    t0 = time.perf_counter()
    snaps, info = prepare_w3(cache, plan, w1_root)
    setup = time.perf_counter() - t0
    say(f"  setup: {fmt_s(setup)} ({'cached' if info['cached'] else 'built'})")
    w3 = measure_w3(snaps, plan.reps_w3, plan.warmup)
    print_w3(w3)
    v = w3["verdict"]
    if v["late"] is not None:
        say(f"  marginal cost per period: {v['early_span'][0]}-{v['early_span'][1]} mo {fmt_s(v['early'])}, "
            f"{v['late_span'][0]}-{v['late_span'][1]} mo {fmt_s(v['late'])} (allowed {fmt_s(v['allowed'])})")
        measured = f"late {fmt_s(v['late'])}/period vs allowed {fmt_s(v['allowed'])}"
    else:
        measured = "not enough points"
    results["W3"] = {"setup_s": setup, "setup": info, **w3}
    targets.append(Target("W3", "merge time grows at most linearly with periods", measured, v["status"],
                          v["late"], v["allowed"]))


def print_targets(targets: list[Target]) -> None:
    say("\n== Targets")
    width = max(len(t.text) for t in targets) + 2
    say(f"  {'':4} {'target':{width}} {'measured':40} status")
    for t in targets:
        say(f"  {t.workload:4} {t.text:{width}} {t.measured:40} {t.status}")


def machine_info() -> dict[str, Any]:
    from importlib.metadata import version

    import openpyxl
    import pandas

    from toolkit import __version__

    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
            "duban": __version__, "pandas": pandas.__version__, "openpyxl": openpyxl.__version__,
            "python_calamine": version("python-calamine")}


def load_average() -> float | None:
    """1-minute load average (other processes compete with the benchmark for 2 cores)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="duban performance benchmark (A: duban, B: naive pandas, "
                                            "C: calamine floor) on workloads W1, W2, W3.")
    p.add_argument("--quick", action="store_true", help="tiny run: 1 repetition, small W2/W3 (smoke test)")
    p.add_argument("--reps", type=int, help="repetitions (default 5 for W1, at most 3 for W2/W3; quick: 1)")
    p.add_argument("--only", default="W1,W2,W3", help="workloads to run, e.g. W1,W3")
    p.add_argument("--workdir", type=Path, default=HERE / ".work",
                   help="cache of prepared workspaces and scratch space (default benchmarks/.work)")
    p.add_argument("--results", type=Path, default=HERE / "results" / "latest.json",
                   help="machine-readable results (default benchmarks/results/latest.json)")
    p.add_argument("--rebuild", action="store_true", help="rebuild the cached workloads")
    p.add_argument("--child-a", metavar="WORKSPACE", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.reps is not None and args.reps < 1:
        p.error("--reps must be at least 1")
    args.only = {w.strip().upper() for w in args.only.split(",") if w.strip()}
    unknown = args.only - {"W1", "W2", "W3"}
    if unknown:
        p.error(f"unknown workload(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_a:
        child_main(args.child_a)
        return 0
    plan = make_plan(args.quick, args.reps)
    cache = args.workdir.resolve() / plan.cache_key
    scratch = args.workdir.resolve() / "scratch"
    if args.rebuild:
        shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    info = machine_info()
    say(f"duban benchmark ({plan.mode}): duban {info['duban']}, Python {info['python']}, {info['cpus']} CPUs, "
        f"pandas {info['pandas']}, openpyxl {info['openpyxl']}, python-calamine {info['python_calamine']}")
    say(f"workdir {cache}")
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

    w1_root: Path | None = None
    if "W1" in args.only:
        w1_root = guarded("W1", lambda: bench_w1(plan, cache, scratch, results, targets))
    if "W2" in args.only:
        guarded("W2", lambda: bench_w2(plan, cache, scratch, results, targets))
    if "W3" in args.only:
        guarded("W3", lambda: bench_w3(plan, cache, w1_root or prepare_w1(cache, plan)[0], results, targets))
    shutil.rmtree(scratch, ignore_errors=True)
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
