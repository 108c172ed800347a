"""单位明细's rows, one per task and unit, made as they are read (`Details`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .ledger import Receipt
from .report import Row
from .task_rule import missing_word
from .text import task_title
from .vocab import Role

if TYPE_CHECKING:  # the consolidation's own model: read, never built here
    from .consolidate import TaskSummary

LEAD, COOP = Role.LEAD, Role.COOP


class Details(Sequence):
    """The rows of 单位明细 (one per task and unit), made one at a time as they are read.

    At 1,000 units and 10 tasks each, the rows as a list of dicts were about 10,000 dicts
    of 16 keys, kept alive for the whole merge beside the rows serialised from them. Built
    on iteration, only the row being written exists; every read gives equal rows.
    """

    def __init__(self, tasks: list[TaskSummary], accepted: dict[str, Receipt],
                 accepted_rows: dict[str, dict[str, Row]], sent_back: frozenset[str] = frozenset(),
                 asked: dict[str, set[str]] | None = None, exempt: frozenset[str] = frozenset(),
                 year: int | None = None):
        self._tasks, self._accepted, self._rows = tasks, accepted, accepted_rows
        self._year = year  # the period's: a 完成时限 of another year says its year (`Task.deadline_in`)
        self._sent_back, self._asked, self._exempt = sent_back, asked or {}, exempt
        self._len = sum(len(t.leads) + len(t.coops) for t in tasks)

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for ts in self._tasks:
            t, leads = ts.task, ts.leads
            title = task_title(t.name, t.content)
            for unit in leads + ts.coops:
                row = self._rows.get(unit, {}).get(t.id)
                rec = self._accepted.get(unit)
                yield {
                    "task": t.id, "level1": t.level1, "name": title, "deadline": t.deadline_in(self._year),
                    "unit": unit, "role": LEAD if unit in leads else COOP,
                    "status": row.status if row else missing_word(unit, t.id, self._asked, self._rows,
                                                                 self._sent_back, self._exempt),
                    "progress": row.progress if row else None, "work": row.work if row else "",
                    "problems": row.problems if row else "", "next_plan": row.next_plan if row else "",
                    "eta": row.eta if row else None, "evidence": row.evidence if row else "",
                    "file": rec.name if rec and row else "", "received_at": rec.received_at if rec and row else "",
                }

    def rows_held_by(self, master, units: list[str]) -> dict[str, tuple[list[str], list[str]]]:
        """unit → the tasks its accepted return has rows on that ``units`` (issued no form of the
        month) hold in ``master`` and it does not, and which of ``units`` hold them: rows read
        before a revised 任务分工表 handed the tasks to a name new to 单位名录 (a rename with no
        alias made), in no sheet of the month (QA306)."""
        holders: dict[str, list[str]] = {}  # task id → the units of ``units`` holding it
        for u in units:
            for t, _ in master.tasks_of(u):
                holders.setdefault(t.id, []).append(u)
        out = {}
        for unit, rows in self._rows.items():
            own = {t.id for t, _ in master.tasks_of(unit)}
            if ids := [tid for tid in rows if tid in holders and tid not in own]:
                by = {u for tid in ids for u in holders[tid]}
                out[unit] = (sorted(ids, key=lambda i: master.task_order.get(i, len(master.task_order))),
                             [u for u in units if u in by])
        return out

    def __getitem__(self, index):  # type: ignore[override]
        # Random access is for tests and small tables; the writers iterate.
        return list(self)[index]
