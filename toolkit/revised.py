"""A revised 任务分工表 in a workspace whose forms went out: each month's tasks as its forms
numbered them, and rows moved to the numbers the same tasks have in another month.

A task is its texts, not its number (`master.model.renumbered`): a revised plan that moved
对标对表提升整改 from 1.2 to 2.1 and gave 2.2 to the former 2.1 would otherwise prefill,
weigh (W606/W608) and chart one task with another's rows. `issued_month` judges a month by
its forms when today's plan renumbered them (`renumbered_since`); consolidate, issue and
collect follow rows across months with the rest.
"""

from __future__ import annotations

from typing import Any

from .ledger import Ledger
from .master import Master, Task
from .master.model import renumbered, task_sort_key
from .period import Period


def month_tasks(ledger: Ledger, period: Period, master: Master) -> list[Task]:
    """The tasks ``period``'s forms printed (ledger `issued_texts`): what `renumbered` reads a
    month's task ids by. A task its forms carried without texts kept (issued before version
    8; or one form issued again after, which kept its own tasks' only) is numbered as the next
    month whose forms kept their texts, else as ``master``: rows are filed by number, and no
    record says a plan was revised in between. Read by today's sheet, a June issued before
    version 8 took the numbers of a plan revised in September, and its 已完成 on 2.2 went to
    July's 1.1; read by its few texts alone, every other row of it lost its prefill and W606."""
    texts = ledger.issued_texts_of(period)
    carried = set().union(*ledger.issued_tasks_of(period).values()) or {t.id for t in master.tasks}
    untold = carried - texts.keys()
    if not untold:
        return list(texts.values())
    later = next((t for p in ledger.issued_periods() if p > period and (t := ledger.issued_texts_of(p))),
                 {t.id: t for t in master.tasks})
    return [*texts.values(), *(later[tid] for tid in sorted(untold, key=task_sort_key) if tid in later)]


def numbered(ledger: Ledger, period: Period, today: Master, month: Master) -> list[Task]:
    """``month``'s tasks (`as_issued` of ``period``) as its rows are numbered (`month_tasks`),
    and those no form carried (a task with no unit, as the demo's 16.1) as ``month`` has
    them: its 历次进展 keeps every task its 汇总表 judged."""
    tasks = month_tasks(ledger, period, today)
    ids = {t.id for t in tasks}
    return [*tasks, *(t for t in month.tasks if t.id not in ids)]


def by_new_ids(by_task: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """``by_task`` (task id → anything) under the ids its tasks have now (``ids``:
    `renumbered`); a task no longer in the plan is dropped."""
    return {ids[t]: v for t, v in by_task.items() if t in ids}


def carried(by_unit: dict[str, dict[str, Any]], ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each unit's rows by task (`by_new_ids`) under the ids their tasks have now."""
    return {unit: by_new_ids(rows, ids) for unit, rows in by_unit.items()}


def in_month(before: dict[str, dict[str, Any]], history: dict[Period, dict[str, Any]],
             printed: dict[Period, list[Task]], month: list[Task]) -> tuple[dict, dict]:
    """Earlier months' rows (``before``, by unit, under the ids of the latest month in
    ``printed``) and 历次进展 (``history``, each month under its own ids, ``printed``: each
    month's tasks as its forms printed them, `month_tasks`) under the ids ``month``'s tasks have."""
    if not printed:
        return before, history
    return (carried(before, renumbered(printed[max(printed)], month)),
            {p: by_new_ids(h, renumbered(printed[p], month)) for p, h in history.items()})


def renumbered_since(ledger: Ledger, period: Period, master: Master) -> bool:
    """Whether a revised 任务分工表 imported after ``period``'s forms went out (``master``,
    today's, is not the one they were made from) numbers their tasks otherwise: a task moved
    to another number, or dropped and its number given to another task.

    The month is then its forms' before the next month's go out too. The city published the
    revision on 28 July, July's returns still coming in on its forms: read by today's
    numbers, 市发展改革局's row for the old 2.1 (行政许可事项清单) was a task taken off it
    (W210) and the new 2.2 one added since (W208), and July's 汇总表 and 通报 showed the
    dropped 2.2's 已完成 under the new 2.2 and 跨域通办's rows under the split-off 2.6. A
    plan that only gained tasks, had texts edited in place or lost a task whose number no
    other took keeps the numbers: the month the office is on stays today's sheet's (W208
    for a task added, W210 for one deleted, today's texts)."""
    if master.fingerprint in ledger.issued_fingerprints(period):
        return False  # issued on today's plan (asked first: every collect and merge of a month asks)
    texts = ledger.issued_texts_of(period)
    if not texts:
        return False  # forms before version 8: nothing to judge by
    ids = renumbered(texts.values(), master.tasks)
    return any(ids.get(tid, tid) != tid or (tid not in ids and master.task(tid) is not None) for tid in texts)
