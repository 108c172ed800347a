"""`duban status`: each unit's reporting state for a period, read-only."""

from __future__ import annotations

from typing import Any

from ..consolidate import Consolidation, consolidate
from ..period import Period
from ..vocab import figures
from ..workspace import Workspace

#: Columns of ``duban status --format csv|json``, and what each holds.
STATUS_COLUMNS = ("单位", "类别", "应报任务数", "报送状态", "报送时间", "报送文件", "错误数", "警告数",
                  "已完成数", "滞后数")


def status(ws: Workspace, period: Period | None = None) -> Consolidation:
    """The units' states of ``period`` (a consolidation without its tasks), computed from a
    ledger opened read-only."""
    return consolidate(ws, period, tasks=False)


def status_rows(cons: Consolidation, said: bool = True) -> list[dict[str, Any]]:
    """One row per unit, keyed by `STATUS_COLUMNS`; 报送文件 as 报送情况 gives it, saying
    whose time 报送时间 is when the file merged is not the one that decided it. 报送状态 as
    报送情况 says it (`Consolidation.said`), or with ``said`` False the state's own word (JSON,
    read by programs, which find the units not yet due in `not_yet_due`). A figure the unit has
    none of (`vocab.figures`: 未报送's 已完成数, QA299) is None, an empty csv cell and a json null,
    as the 汇总表 leaves it blank: its 0 read as "reported, none done"."""
    return [dict(zip(STATUS_COLUMNS, (u.unit, u.kind, u.tasks, cons.said(u.unit, u.state) if said else u.state,
                                      u.received_at, u.file_text, *figures(u, *_FIGURES))))
            for u in cons.units]


#: 错误数, 警告数, 已完成数, 滞后数: the `STATUS_COLUMNS` after 报送文件
_FIGURES = ("errors", "warnings", "done", "lagging")


def not_yet_due(cons: Consolidation) -> dict[str, str]:
    """The units 未报送 whose deadline has not passed (`Consolidation.waiting_units`), each with its
    deadline (YYYY-MM-DD): ``status --format json``'s ``not_yet_due``."""
    return {unit: cons.due_of(unit).isoformat() for unit in cons.waiting_units}
