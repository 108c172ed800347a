"""Tasks the month before called 已完成 that a lead now reports as not done.

The 通报 of the month before said such a task 本期新完成; this month it counts as the lead's
return says (序时推进, 滞后, 未启动), and past its 完成时限 it is 超期. Nothing was said: a
coordinator found task 1 of 嘉鱼's plan "已完成" in June's 通报 and "滞后，已超过完成时限" in
July's, and the count of 已完成 fall by one, without a word on screen (QA376). It may be a
correction (the task was not done after all) or a mistake in this month's return: the office is
told (merge, memo, run: `Consolidation.told`; status reads no tasks) and decides; nothing changes
in the sheets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .vocab import REPORTABLE, Status

if TYPE_CHECKING:  # annotations only
    from .consolidate import Consolidation


def previous_statuses(cons: Consolidation) -> dict[str, tuple[str, float | None]] | None:
    """The latest earlier month's 历次进展 of ``cons`` (task id → (综合状态, 平均进度)); None when
    ``cons.history`` has no earlier month. What the 通报's 本期新完成 is measured against too."""
    earlier = [p for p in cons.history if p < cons.period]
    return cons.history[max(earlier)] if earlier else None


def reopened_told(cons: Consolidation) -> list[str]:
    """One line per task 已完成 in the latest earlier month of ``cons.history`` whose leads now
    report it not done (a lead not reporting leaves it as it was: `task_rule.done_before`)."""
    before = previous_statuses(cons)
    if before is None:
        return []
    out = []
    for ts in cons.tasks:
        if ts.status == Status.DONE or before.get(ts.task.id, ("",))[0] != Status.DONE:
            continue
        now = {unit: state for unit, state in ts.lead_states.items()
               if state in REPORTABLE and state != Status.DONE}
        if not now:
            continue
        said = "、".join(f"{unit}报送为“{state}”" for unit, state in now.items())
        units = "、".join(now)
        out.append(f"说明：任务 {ts.task.id} 上期为“已完成”，本期{said}，汇总表和通报按本期报送计，不再计为已完成"
                   f"{'（已超过完成时限）' if ts.overdue else ''}；如系填报有误，请与{units}核实。")
    return out
