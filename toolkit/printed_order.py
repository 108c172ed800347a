"""A past month listed as its forms listed it: its tasks in the order of the plan they were made
from, each task's units as that plan named them (`Ledger.issued_order_of`, ledger version 25).

`issued_month.as_issued` builds a past month's master from today's 任务清单 and what its forms
recorded: today's tasks first, then those the plan dropped since, placed by their numbers, and
each task's units in today's order, then the ones no longer on it, by name. After a revised plan
renumbered everything that put December's 5-2 after 10 (a number with a dash sorts after every
plain one) and 任务1's leads in code-point order, 县住建局、县护城河指挥部、县水务局, where the plan
and December's own 通报 said 县水务局、县住建局、县护城河指挥部 (QA386). A month whose forms
recorded no order (issued before version 25) keeps the order it had.
"""

from __future__ import annotations

from collections.abc import Callable

from .master.model import Assignment, Task


def forms_order(tasks: list[Task], assignments: list[Assignment], order: tuple[dict[str, int], dict[str, list[str]]],
                resolve: Callable[[str], str | None]) -> tuple[list[Task], list[Assignment]]:
    """``tasks`` and ``assignments`` (a past month's, `as_issued`) in the order its forms' plan
    gave (``order``: `Ledger.issued_order_of`; ``resolve``: a name the forms went to → the unit's
    name now, as the month's assignments are named). A task no form placed (one no form carried,
    as the demo's 16.1) stays right after the task it followed; a unit the plan did not name on
    the task, after those it did, in the order it had."""
    places, units = order
    if places:
        key: dict[str, tuple[int, bool, int]] = {}
        last = -1
        for i, t in enumerate(tasks):
            last = places.get(t.id, last)
            key[t.id] = (last, t.id not in places, i)
        tasks = sorted(tasks, key=lambda t: key[t.id])
    if units:
        rank: dict[tuple[str, str], int] = {}
        for tid, names in units.items():
            for i, name in enumerate(names):
                rank.setdefault((tid, name), i)
                rank.setdefault((tid, resolve(name) or name), i)
        slots: dict[str, list[int]] = {}
        for i, a in enumerate(assignments):
            slots.setdefault(a.task, []).append(i)
        placed = list(assignments)
        for tid, at in slots.items():
            if tid in units:  # within the task's own rows: every other row stays where it was
                ordered = sorted((assignments[i] for i in at), key=lambda a: rank.get((tid, a.unit), len(rank)))
                for i, a in zip(at, ordered):
                    placed[i] = a
        assignments = placed
    return tasks, assignments
