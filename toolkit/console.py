"""What the Excel console's buttons do, as plain functions (no Excel, no xlwings).

The xlwings layer in `excel_console` only reads the clicked button and the period cell,
calls `console_action`, and writes the returned message and table back into the sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import errors
from .dates import Period
from .workspace import Workspace

ACTIONS = ("下发", "收取汇总", "生成通报")
STATUS_HEADER = ["单位", "类别", "应报任务数", "报送状态", "报送时间", "报送文件", "错误数", "警告数",
                 "已完成数", "滞后数"]


@dataclass
class ConsoleOutcome:
    """One button press: a one-line message for the sheet and the 报送情况 table."""

    message: str
    ok: bool = True
    table: list[list[object]] = field(default_factory=list)


def period_from_cell(value: object) -> Period:
    """Excel gives a period cell back as text, a number (202206) or a date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return Period(value.year, value.month)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value in (None, ""):
        raise errors.BadPeriod("请在“期次”单元格填写期次，如 2022-06。")
    return Period.parse(str(value))


def status_table(ws: Workspace, period: Period) -> list[list[object]]:
    """The 报送情况 table (header + one row per unit), empty before anything is collected."""
    from .consolidate import consolidate

    if not ws.ledger_path.exists():
        return []
    cons = consolidate(ws, period)
    rows: list[list[object]] = [list(STATUS_HEADER)]
    for u in cons.units:
        rows.append([u.unit, u.kind, u.tasks, u.state, u.received_at, u.file, u.errors, u.warnings,
                     u.done, u.lagging])
    return rows


def console_action(ws: Workspace, action: str, period_value: object) -> ConsoleOutcome:
    """Run one console button. Never raises for a coordinator's mistake: the message says it."""
    try:
        period = period_from_cell(period_value)
        if action not in ACTIONS:
            raise errors.UsageError(f"不认识的操作“{action}”。")
        with ws.lock():
            message = _act(ws, action, period)
        return ConsoleOutcome(message, True, status_table(ws, period))
    except errors.DubanError as exc:
        return ConsoleOutcome(f"未完成：{exc.message}", False)


def _act(ws: Workspace, action: str, period: Period) -> str:
    if action == "下发":
        from .dispatch import issue_returns

        result = issue_returns(ws, period, emails=True)
        return f"已生成 {period.label}填报表 {len(result.files)} 份及邮件草稿：{result.folder}"
    if action == "收取汇总":
        from .consolidate import merge
        from .intake import collect

        collected = collect(ws, str(period))
        merged = merge(ws, period)
        counts = merged.consolidation.unit_counts()
        return (f"收到 {collected.inputs} 个文件，采纳 {collected.accepted}，退回 {collected.returned}；"
                f"未报送 {counts['未报送']} 个单位。汇总表：{merged.path}")
    from .memo import write_memo

    result = write_memo(ws, period)
    return f"通报：{result.path}"
