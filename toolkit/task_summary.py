"""One row of 任务汇总 (`TaskSummary`), as `consolidate` computes it with the tasks.

Apart from `consolidate`, which `duban status` loads: status computes the units' states alone
(``tasks=False``) and makes no TaskSummary, and creating its dataclass at import (Python 3.11
compiles each generated method) was 3.3 M instructions of a W1 status's 401.6 M (callgrind;
QA347, issue 19).
`consolidate.TaskSummary` still names it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .vocab import NOT_YET_DUE, REPORTABLE, Owed, Status, UnitState

if TYPE_CHECKING:
    from .master import Task

NOT_REPORTED, TO_FIX, NOT_ISSUED = Status.NOT_REPORTED, UnitState.TO_FIX, Owed.NOT_ISSUED


@dataclass(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class TaskSummary:
    """One row of 任务汇总."""

    task: Task
    leads: list[str]
    coops: list[str]
    status: str
    avg_progress: float | None
    overdue: bool
    progress_text: str
    problems: str
    #: units (leads, then cooperating) with no accepted row for the task that sent nothing
    missing: list[str]
    #: per lead: its row's status, 未报送, or 退回待改 when every file it sent was sent back
    lead_states: dict[str, str] = field(default_factory=dict)
    #: units (leads, then cooperating) whose every file this period was sent back (退回待改):
    #: they did report, so no sheet or memo may list them as 未报送
    sent_back: list[str] = field(default_factory=list)
    #: units whose forms of the period did not carry the task (added to the master after
    #: they went out): not owed its row, so never listed as 未报送 for it
    not_asked: list[str] = field(default_factory=list)
    #: whether the master gives the task a lead at all (``leads`` leaves out the units whose
    #: forms of the period were not issued): 未明确牵头单位 in the memo when not
    has_lead: bool = True
    #: how many lead units' progress ``avg_progress`` is the mean of: of one, it is that
    #: unit's own progress, no average (苍南's one lead a task)
    averaged: int = 0
    #: the leads owing a row that the status had none from (`task_rule.Verdict.silent`): no row
    #: this month and no 已完成 of an earlier one
    silent: list[str] = field(default_factory=list)

    @property
    def issued_none(self) -> bool:
        """Whether no lead owed the task a row this month: the master names leads, and none was
        issued a form carrying it (a 补发 month's forms went to other units, or it was added after
        issue). Its 综合状态 is then said 本期未下发, never 未报送 (`Consolidation.task_said`)."""
        return self.status == NOT_REPORTED and self.has_lead and all(
            self.lead_states.get(u) == NOT_ISSUED for u in self.leads)  # (``leads``: of units issued a form)

    def heard(self, exempt: frozenset[str] | list[str] = frozenset()) -> list[str]:
        """The leads that reported on the task this month: ``lead_states`` holds their row's
        status. One silent on a task it said 已完成 earlier holds 未报送 there, though the task
        stays 已完成 (`task_rule.done_before`); one ``exempt`` (本期免报) holds 已完成, an earlier
        month's word too: neither is this month's (QA386: 县商务局's December 已完成 counted in
        January's 已报送任务的平均进度)."""
        return [u for u in self.leads if u not in exempt and self.lead_states.get(u) in REPORTABLE]

    def not_yet_due(self, waiting: frozenset[str]) -> bool:
        """Whether its 综合状态 未报送 is only of leads whose deadline has not passed: every lead
        it has no row from is among ``waiting`` (`Consolidation.waiting`: said `NOT_YET_DUE`),
        none having reported, or each that did 已完成 past the 完成时限 (`task_rule.task_status`).
        ``waiting`` holds the leads sent back whose deadline has not passed too (`Consolidation.awaited`):
        a correction may still come in time. One past its deadline keeps it 未报送; so does a
        task no lead owes (none named, none asked): nobody will report it by a deadline."""
        return self.status == NOT_REPORTED and bool(self.silent) and all(u in waiting for u in self.silent)

    def missing_text(self, waiting: frozenset[str] = frozenset()) -> str:
        """任务汇总's 未报送单位: the units that sent nothing, then, said so, those whose deadline
        has not passed (``waiting``, `Consolidation.waiting`), those sent back (they reported)
        and those not asked: a coordinator must not read any of them as having missed it."""
        late = [u for u in self.missing if u not in waiting]
        # a task the master gives no lead (东莞 16.1): 未报送 with both unit columns empty named
        # no one who owes it, where the 通报 says 未明确牵头单位 (QA215)
        parts = ["、".join(late)] if late else [] if self.has_lead else ["未明确牵头单位"]
        for word, units in ((NOT_YET_DUE, [u for u in self.missing if u in waiting]), (TO_FIX, self.sent_back),
                            (NOT_ISSUED, self.not_asked)):
            if units:
                parts.append(f"{word}：" + "、".join(units))
        return "；".join(parts)


#: A lead's words 滞后超期 names it by: what keeps its task behind
BEHIND = (Status.LAGGING, NOT_REPORTED, TO_FIX, Status.NOT_STARTED)
#: Leads not behind named one by one up to this many; more are counted by status
NAMED_AT_MOST = 5


def lead_states_text(states: dict[str, str], said: Callable[[str, str], str]) -> str:
    """滞后超期's 牵头单位状态 for a task's ``states`` (lead -> its word, `TaskSummary.lead_states`),
    each word as ``said`` says it (`Consolidation.said`): every lead not done, as "单位：状态";
    past `NAMED_AT_MOST` of them, the leads behind (`BEHIND`) named under their word, a line each
    ("滞后2个：甲、乙"), and the rest counted on a line of their own ("其余31个单位：序时推进28、
    已完成3"). A plan's 42 leads per task made one run-on string and rows a page tall, the lagging
    leads lost in it (QA391)."""
    words = {unit: said(unit, word) for unit, word in states.items()}
    if sum(w != Status.DONE for w in words.values()) <= NAMED_AT_MOST:
        return "；".join(f"{u}：{w}" for u, w in words.items() if w != Status.DONE)
    behind = [f"{w}{len(units)}个：" + "、".join(units) for w in BEHIND
              for units in [[u for u, said in words.items() if said == w]] if units]
    rest = [w for w in words.values() if w not in BEHIND]
    counts = Counter(rest)
    order = sorted(counts, key=lambda w: (w != Status.ON_TRACK, w != Status.DONE, rest.index(w)))
    tail = [f"其余{len(rest)}个单位：" + "、".join(f"{w}{counts[w]}" for w in order)] if rest else []
    return "\n".join(behind + tail)
