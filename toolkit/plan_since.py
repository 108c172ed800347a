"""The month the office is on, when 任务分工表 changed after its forms went out (QA376).

The month the office is on is judged by today's sheet (`issued_month.as_issued`: its forms may
still be issued again). 嘉鱼县: July's forms went out on 26 July; on 20 August, August's not yet
issued, the office imported a revised plan that gave task 4 to 县财政局 (县发改局 had it), dropped
task 5 and added task 6. A 补报 came and July was merged again: its 通报 dropped 县发改局's real
July report of task 4 (now 未报送 by 县财政局, whose form never carried it) and task 5 with
县经济和信息化局's report, and merge and memo exited 0 saying nothing.

`since_forms` tells the office (`Basis` with ``current``: 请核实, exit 1) what the month's forms
carried that today's sheet gives otherwise, as `basis_of` tells it of a past month: the month
is still merged by today's sheet (the office may have revised the plan for this month on
purpose, and issues the changed units' forms again), but never in silence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .issued_month import _assigned_of, kept_apart
from .master.model import renumbered, task_sort_key

if TYPE_CHECKING:
    from .basis import Basis
    from .ledger import Ledger
    from .master import Master
    from .period import Period


def since_forms(ledger: Ledger, period: Period, today: Master, state: Callable[[str, str], str]) -> Basis | None:
    """Where ``period``'s forms, all made from a plan other than ``today``'s, differ from it; None
    when a form of the month was made from today's plan (the office issued it again: it chose
    what to ask), when its forms kept no texts (before ledger version 8) or nothing they carried
    differs. ``state``: (unit, task id) → the unit's state on the task, as the month's sheets give it."""
    made_from = ledger.issued_fingerprints(period)
    if not made_from or today.fingerprint in made_from:
        return None
    texts = ledger.issued_texts_of(period)
    if not texts:
        return None
    ids = renumbered(texts.values(), today.tasks)  # a task is its texts (`renumbered`)
    then_of = {now: then for then, now in ids.items()}
    apart = kept_apart(ledger, period, today)
    forms = _assigned_of(ledger, period, today, apart)
    now = {(a.task, a.unit): a.role for a in today.assignments}
    # a unit merged into another since (机构改革, its name an alias) is still held to its own form
    # (`kept_apart`): its 分工 were not taken away, though today's sheet gives them to the other (QA383)
    changed = [(unit, tid, str(role), state(unit, ids[tid])) for unit, given in forms.items() if unit not in apart
               for tid, role in sorted(given.items(), key=lambda g: task_sort_key(g[0]))
               if tid in ids and role is not None and now.get((ids[tid], unit)) != role]
    deleted = sorted((t for t in texts.values() if t.id not in ids), key=lambda t: task_sort_key(t.id))
    added = [t for t in today.tasks if t.id not in then_of and today.units_of(t.id)]
    # a unit issued the month's form, now on a task that form did not carry (县财政局 on 4)
    gained = [(a.unit, a.task, str(a.role)) for a in today.assignments
              if a.task in then_of and a.unit in forms and then_of[a.task] not in forms[a.unit]]
    if not (changed or deleted or added or gained):
        return None
    from .basis import Basis  # deferred: `basis` says why

    return Basis(period, None, changed, deleted, current=True, added=added, gained=gained)
