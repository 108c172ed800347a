"""The benchmark's workloads, built once and cached in the work folder.

- W1: the default master (seed), every unit returns;
- W2: a synthetic master (200 tasks, 1,000 units) imported with ``duban master import``;
- W3: twelve monthly periods of W1 in one ledger;
- scale: W2's shape at 10,000 units (2,000 tasks), for memory and linearity.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from common import PERIOD, READY, Plan, child_env, fresh_copy, inbox_files, say


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
    from toolkit.ledger import Ledger
    from toolkit.workspace import find_workspace

    ws = find_workspace(root, explicit=True)
    # Create the ledger before the workers start: two processes creating it at once race on
    # its schema (the CLI's workspace lock prevents that for users; the workers bypass it).
    with Ledger(ws.ledger_path):
        pass
    master = ws.load_master()
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


def current_master_cache(root: Path) -> Path:
    """Load the workspace's master once with this checkout's code, as the month's `duban issue`
    would have, so that the master cache in `.duban/` is keyed to the code being timed.

    A workload built by an older checkout keeps a cache keyed to the old reading code; every
    timed run would then read the workbook again (W1: 23 ms of collect) where a user's month,
    issued and collected by one duban, reads the cache. Loading a current cache writes nothing.
    """
    from toolkit.workspace import find_workspace

    find_workspace(root, explicit=True).load_master()
    return root


def prepare_w1(cache: Path, plan: Plan) -> tuple[Path, dict[str, Any]]:
    """Workspace with the default master and every unit's filled 2022-06 return in the inbox."""
    from toolkit.actions.init import init_workspace
    from toolkit.workspace import find_workspace

    folder = cache / "w1"
    root = folder / "ws"
    info = _cached(folder)
    if info is not None:
        return current_master_cache(root), info
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
    w = max(4, len(str(n)))  # equal widths: no unit's name is the start of another's
    return [f"测试{i + 1:0{w}d}镇" if i % 3 == 0 else f"市测试{i + 1:0{w}d}局" for i in range(n)]


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
    return prepare_synthetic(cache / "w2", plan.w2_tasks, plan.w2_units, plan.w2_tasks_per_unit)


def prepare_scale(cache: Path, plan: Plan) -> tuple[Path, dict[str, Any]]:
    """W2's shape (50 units per task, 10 tasks per unit) at ten times the units."""
    return prepare_synthetic(cache / f"scale_{plan.scale_tasks}x{plan.scale_units}", plan.scale_tasks,
                             plan.scale_units, plan.w2_tasks_per_unit)


def prepare_synthetic(folder: Path, tasks: int, units: int, per_unit: int) -> tuple[Path, dict[str, Any]]:
    from toolkit.actions.init import init_workspace

    root = folder / "ws"
    info = _cached(folder)
    if info is not None:
        return current_master_cache(root), info
    folder.mkdir(parents=True)
    source, directory = folder / "分工表.xlsx", folder / "单位名录.csv"
    t0 = time.perf_counter()
    names = write_w2_master(source, tasks, units, per_unit)
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
            "issue_fill_s": t4 - t3, "returns": n, "tasks": tasks, "units": units}
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
        for _, snap, _ in snaps:
            current_master_cache(snap)
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

