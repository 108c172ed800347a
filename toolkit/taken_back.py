"""A lead's earlier 已完成 that its refused return of the month takes back (QA387).

`task_rule.done_before` carries a lead's earlier 已完成 into a month it has no accepted row in: a
lead silent this month does not undo a task it finished. A lead whose every file this month was
refused (退回待改) is not silent. 平湖's task 3 has two leads: in October 发改局 reported 已完成,
and 农业农村局's October return said 序时推进 90 (存在问题 "城镇居民数据尚未发布"), refused only
because another task's row was blank; its September 已完成 was carried, and the 通报 announced
task 3 本期新完成 with nothing said.

What a refused return says is not published (docs/design.md: a refused return is not merged; its
unit is 退回待改 until it corrects it), so it does not make the task 序时推进 either. But the
lead's own newest word on the task is that it is not done, so its older 已完成 is not carried: the
task is judged as if that lead had no row this month (任务汇总 names it 退回待改) and is not
counted 已完成 in public until its correction says so. The office is asked (merge, memo, run:
`Consolidation.office_notes`; status reads no tasks), the file, the row and what the 通报 counts
named. A refused return that says 已完成 too, or has no row for the task, carries it as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .month_receipts import refused_of
from .vocab import REPORTABLE, Outcome, Role, Status

if TYPE_CHECKING:  # annotations only
    from .consolidate import Consolidation
    from .ledger import Ledger, Receipt
    from .report import Row


class TakenBack(NamedTuple):
    """A lead's earlier 已完成 on a task that its refused return of the month says is not done."""

    unit: str
    task: str
    file: str  # the refused file
    row: Row   # its row for the task


def taken_back(ledger: Ledger, before: dict[str, dict[str, Row]], received: dict[str, list[Receipt]],
               accepted: dict | set, not_theirs: frozenset[int] = frozenset()
               ) -> tuple[dict[str, dict[str, Row]], list[TakenBack]]:
    """``before`` (each unit's latest earlier row per task, `task_rule.done_before`) without the
    已完成 rows a unit's latest refused return of the month says are not done, and those; a unit
    with an ``accepted`` return is judged by it. ``received``: the month's receipts per unit."""
    found = []
    for unit, recs in received.items():
        earlier = before.get(unit)
        refused = [r for r in refused_of(recs, not_theirs) if r.outcome == Outcome.RETURNED]
        if unit in accepted or not earlier or not refused:
            continue
        last = max(refused, key=lambda r: (r.received_at, r.id))
        found += [TakenBack(unit, row.task, last.name, row) for row in ledger.rows_of(last.id)
                  if row.role == Role.LEAD and row.status in REPORTABLE and row.status != Status.DONE
                  and (done := earlier.get(row.task)) is not None and done.status == Status.DONE]
    if not found:
        return before, []
    kept = dict(before)
    for unit in {t.unit for t in found}:
        kept[unit] = {task: row for task, row in before[unit].items()
                      if not any(t.unit == unit and t.task == task for t in found)}
    return kept, found


def taken_back_notes(cons: Consolidation) -> list[str]:
    """A 请核实 line per `TakenBack` of ``cons``: the task, the lead, its refused file's row and
    what the 汇总表 and 通报 count."""
    states = {ts.task.id: ts.status for ts in cons.tasks}
    out = []
    for t in cons.taken_back:
        row = t.row
        said = "，".join(x for x in (f"进度{row.progress:g}%" if row.progress is not None else "",
                                     f"存在问题：{row.problems}" if row.problems else "") if x)
        now = f"本期计为“{states[t.task]}”" if t.task in states else "本期不计为已完成"
        out.append(f"请核实：任务 {t.task} 的牵头单位{t.unit}此前报送为“已完成”，本期报来的“{t.file}”已退回，"
                   f"其中该任务报送为“{row.status}”{f'（{said}）' if said else ''}。汇总表和通报不采用退回的报送，"
                   f"也不再按其此前的“已完成”计，该任务{now}，不列为本期新完成；请与{t.unit}核实，"
                   "其改正重报后按重报计。")
    return out
