"""`duban check`: check returns without recording them (a department's self-check)."""

from __future__ import annotations

from pathlib import Path

from .. import errors
from ..checks import CheckContext, check_return, history_issues, master_from_return
from ..issued_month import EarlierMonths, check_as_printed
from ..ledger import Ledger
from ..master import Master
from ..period import Period
from ..report import Report
from ..settings import DEFAULT_LIMITS
from ..units import Directory
from ..vocab import Outcome
from ..workspace import Workspace


def check_paths(paths: list[Path], ws: Workspace | None = None, period: Period | None = None) -> list[Report]:
    """Check files without touching the ledger.

    With a workspace, against its master list (and its history for W606); without one,
    against the task list the return carries in its _meta.
    """
    for p in paths:
        if p.is_dir():
            raise errors.FileMissing(f"“{p}”是文件夹，不是文件。请给出要检查的填报表，"
                                     f"如 {p / '石龙镇.xlsx'}；检查整个文件夹可写 {p}/*.xlsx")
        if not p.is_file():
            raise errors.FileMissing(f"找不到文件：{p}")
    period = Period.parse(period) if period else None
    if ws is not None:
        return _check_in_workspace(paths, ws, period)
    reports = []
    for p in paths:
        data = p.read_bytes()
        master = master_from_return(data, p.name, DEFAULT_LIMITS) or Master("", [], [], Directory([]))
        reports.append(check_return(data, p.name, CheckContext(master, DEFAULT_LIMITS, period=period,
                                                               check_fingerprint=False)))
    return reports


def _check_in_workspace(paths: list[Path], ws: Workspace, period: Period | None) -> list[Report]:
    ledger = Ledger(ws.ledger_path, readonly=True) if ws.ledger_path.exists() else None
    # what each unit was issued, as collect has it: W208/W210 rather than E404/E402 for a
    # form the office changed after issuing, so that `check` and `collect` agree
    ctx = CheckContext(ws.load_master(), ws.limits, period=period, default_period=period,
                       issued=ledger.issued_tasks() if ledger else {})
    try:
        jobs = [(p.read_bytes(), p.name) for p in paths]
        reports = [check_return(data, name, ctx) for data, name in jobs]
        if ledger:  # a past month's form, as collect checks it: against what its month printed
            reports = check_as_printed(ledger, ctx, jobs, reports)
        months = EarlierMonths(ledger, ctx.master) if ledger else None
        for rep in reports:
            if months and rep.unit and rep.period and rep.outcome != Outcome.UNREADABLE:
                rep.issues.extend(history_issues(rep, months.previous(rep.unit, rep.period), ctx.master))
    finally:
        if ledger:
            ledger.close()
    return reports
