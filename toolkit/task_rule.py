"""The 综合状态 rule: a task's status from its lead units' rows, and a unit's word for a task
it has no row for (docs/design.md, "Consolidation").

`consolidate` judges the month and every earlier month of 历次进展 by it; 单位明细, 任务汇总,
滞后超期 and the memo's task sentences name a unit without a row by `missing_word`.
"""

from __future__ import annotations

from typing import NamedTuple

from .master import Master, Task
from .period import Period
from .report import Row
from .vocab import Owed, Role, Status, UnitState

DONE, ON_TRACK, LAGGING, NOT_STARTED, NOT_REPORTED = (
    Status.DONE, Status.ON_TRACK, Status.LAGGING, Status.NOT_STARTED, Status.NOT_REPORTED)
TO_FIX = UnitState.TO_FIX


def effective_progress(row: Row) -> float | None:
    """A row's progress as 平均进度 counts it: as typed, else 100 for 已完成 and 0 for 未启动 left blank."""
    if row.progress is not None:
        return float(row.progress)
    if row.status == DONE:
        return 100.0
    if row.status == NOT_STARTED:
        return 0.0
    return None


def task_status(task: Task, leads: list[str], rows: dict[str, Row], period: Period,
                waiting: frozenset[str] = frozenset()) -> str:
    """The 综合状态 rule of docs/design.md ("Consolidation"), from the lead units' accepted rows;
    ``waiting``: the units 未报送 or 退回待改 that may still report or correct on time (`Consolidation.awaited`)."""
    reported = [rows[u] for u in leads if u in rows]
    if not reported:
        return NOT_REPORTED
    if len(reported) == len(leads) and all(r.status == DONE for r in reported):
        return DONE
    if any(r.status == LAGGING for r in reported):
        return LAGGING
    if task.due_by(period.end):
        # 滞后 by its 完成时限 only on the word of leads whose verdict is in: every one that
        # reported says 已完成 and the rest may still, on time: 未报送 until they do or their
        # deadline passes (东莞 1.2 on 3 July: 石龙镇 已完成, 33 towns due on the 5th, read 滞后);
        # one sent back may still correct on time (虎门镇 on 3 August made a done 1.2 滞后)
        silent = [u for u in leads if u not in rows]
        return NOT_REPORTED if all(r.status == DONE for r in reported) and all(u in waiting for u in silent) \
            else LAGGING
    if all(r.status == NOT_STARTED for r in reported):
        return NOT_STARTED
    return ON_TRACK


def owes(unit: str, task: str, asked: dict[str, set[str]], rows: dict[str, dict[str, Row]]) -> bool:
    """Whether ``unit`` owes a row for ``task``: it has one, or its forms of the period carried
    the task (``asked``: `Ledger.issued_tasks_of`; a unit with no form recorded is owed all)."""
    return unit not in asked or task in asked[unit] or task in rows.get(unit, {})


def missing_word(unit: str, task: str, asked: dict[str, set[str]], rows: dict[str, dict[str, Row]],
                 sent_back: frozenset[str], exempt: frozenset[str] = frozenset()) -> str:
    """A unit's state for a task it has no accepted row for: 本期未下发 when its forms of the
    period did not carry the task, 本期免报 for an ``exempt`` unit, 退回待改 when every file it
    sent was refused, else 未报送. The one rule behind 任务汇总, 滞后超期, 单位明细 and the memo's task sentences."""
    if not owes(unit, task, asked, rows):
        return Owed.NOT_ISSUED
    return Owed.EXEMPT if unit in exempt else TO_FIX if unit in sent_back else NOT_REPORTED


def done_before(before: dict[str, dict[str, Row]], unit: str, task: str) -> Row | None:
    """The unit's latest row for ``task`` in an earlier month (``before``), when it said
    已完成: a lead silent this month does not undo a task it finished. Taken as 未报送, a
    2022 plan's tasks all done in December stood 超期未完成 in January's 通报 for every lead
    that did not write 已完成 again."""
    row = before.get(unit, {}).get(task)
    return row if row is not None and row.status == DONE else None


class Verdict(NamedTuple):
    """A task as `judged`: its 综合状态, 平均进度 of the lead units that gave one, how many gave
    one, and the leads it has no row from (none this month, no earlier 已完成)."""

    status: str
    avg: float | None
    averaged: int
    silent: list[str]
    #: whether any of the task's leads owed a row for it that month (`owes`): a month whose forms
    #: went to other units only (`issue --period … --dept`, a 补发) asked nothing of them
    asked: bool = True


def history_of(judged: dict[str, Verdict], earlier: bool = False) -> dict[str, tuple[str, float | None]]:
    """A month's `judged` as 历次进展 keeps it: (综合状态, 平均进度) per task. An ``earlier``
    month's task none of whose leads was issued a form then is 本期未下发 there, not 未报送: one
    October form sent to 县民政局 alone made 9 of 大竹's tasks 未报送 in November's 历次进展 (QA368)."""
    return {t: (Owed.NOT_ISSUED if earlier and not v.asked else v.status, v.avg) for t, v in judged.items()}


def judged(master: Master, accepted_rows: dict[str, dict[str, Row]], period: Period,
           skip: set[str] | frozenset[str] = frozenset(), asked: dict[str, set[str]] | None = None,
           before: dict[str, dict[str, Row]] | None = None, waiting: frozenset[str] = frozenset()
           ) -> dict[str, Verdict]:
    """Per task its `Verdict`; ``skip``: units not owed a return this period; ``asked``: the
    tasks each unit's forms carried (a lead whose form lacked the task, added to the master
    after issue, is not waited for); ``before``: each unit's latest earlier row per task
    (`done_before`); ``waiting``: as `task_status` (the month merged; an earlier one has none)."""
    asked, before = asked or {}, before or {}
    out = {}
    for t in master.tasks:
        units = [u for u in master.units_of(t.id, Role.LEAD)
                 if u not in skip and owes(u, t.id, asked, accepted_rows)]
        rows = {u: r for u in units
                if (r := accepted_rows.get(u, {}).get(t.id) or done_before(before, u, t.id)) is not None}
        values = [p for p in (effective_progress(r) for r in rows.values()) if p is not None]
        avg = round(sum(values) / len(values), 1) if values else None
        out[t.id] = Verdict(task_status(t, units, rows, period, waiting), avg, len(values),
                            [u for u in units if u not in rows], bool(units) or not master.units_of(t.id, Role.LEAD))
    return out
