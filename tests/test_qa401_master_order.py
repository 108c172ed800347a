"""QA401 (issue 19, `duban status` start-up): the master's per-unit task lists made by one sort
of whole numbers (`Master.__post_init__`): each as it was before."""

from __future__ import annotations

import random

from toolkit.master.model import Assignment, Master, Task, task_sort_key
from toolkit.units import Directory, Unit
from toolkit.vocab import Role


def _sorted_before(master: Master) -> dict[str, list]:
    """Each unit's pairs as `Master.__post_init__` sorted them before QA401: a sort per unit."""
    by_id, out = {t.id: t for t in master.tasks}, {}
    for a in master.assignments:
        if a.task in by_id:
            out.setdefault(a.unit, []).append((by_id[a.task], a.role))
    for pairs in out.values():
        pairs.sort(key=lambda p: (p[1] != Role.LEAD, task_sort_key(p[0].id)))
    return out


def test_each_units_tasks_are_in_the_order_one_sort_per_unit_gave() -> None:
    """Leads first, each part by task key; ids that make the same key ("1.2", "1．2") in the
    assignments' order; an assignment of a task not in the list left out."""
    rng = random.Random(401)
    ids = ["1.1", "1.2", "1．2", "1.10", "2", "2.1.3", "10.1", "a", "1.b", "3.2"]
    units = [f"单位{i}" for i in range(6)]
    for _ in range(40):
        rng.shuffle(ids)
        tasks = [Task(i, "一", "（一）", f"任务{i}", "内容", "2022年12月") for i in ids]
        assignments = [Assignment(rng.choice([*ids, "9.9"]), rng.choice(units), rng.choice(list(Role)))
                       for _ in range(60)]
        master = Master("计划", tasks, assignments, Directory([Unit(u) for u in units]))
        before = _sorted_before(master)
        assert {u: master.tasks_of(u) for u in units} == {u: before.get(u, []) for u in units}
        # the same Task objects, not equal copies
        assert all(a[0] is b[0] for u in units for a, b in zip(master.tasks_of(u), before.get(u, [])))
