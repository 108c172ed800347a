"""Units the plan gained after a past month's forms went out: not the month's (QA406).

金乡县: March's forms went out on 3 March; after March was reported, the office added 县统计局 as
配合 on task 1 and issued April. March, merged again in May, gave 县统计局 today's tasks as a
unit the office forgot to issue (`issued_month.as_issued`): every status, merge and memo of
March exited 1 asking for a March form (duban issue --period 2025-03 --dept 县统计局), and
following that advice named 县统计局 未报送 for a month it had no task in.

A unit in no version of the plan the month's forms were made from (`joined_since`) was asked for
nothing that month: the month leaves it out, and tells the office (`joined_of`, `Basis.joined`)
as one more difference from today's plan, asking nothing. A unit the plan had when the forms
went out and that got none (the office forgot it) is still 本期未下发 and asked about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ledger import Ledger
    from .master import Master
    from .period import Period


def known_then(ledger: Ledger, made_from: Iterable[str], resolve: Callable[[str], str | None]) -> set[str]:
    """The units (current names) issued a form, of any month, made from one of the plans
    ``made_from`` (their fingerprints): units those plans had."""
    made_from = tuple(made_from)
    marks = ",".join("?" * len(made_from))
    return {resolve(u) or u for (u,) in ledger.conn.execute(
        f"SELECT DISTINCT unit FROM issued WHERE fingerprint IN ({marks})", made_from)}


def joined_since(ledger: Ledger, period: Period, master: Master, apart: frozenset[str] = frozenset()
                 ) -> frozenset[str]:
    """``master``'s units with tasks (current names) that no version of the plan ``period``'s
    forms were made from had: on none of its tasks' unit lists as recorded at issue
    (`Ledger.issued_order_of`) and issued no form made from those plans. Empty when every form
    of the month was made from today's plan (every unit of it was known then: one not issued
    was left out), or when the forms recorded no unit lists (before ledger version 25: who
    the plan had is not known, and a unit left out is asked about, as ever), or when a name on
    those lists is unknown today (a unit renamed with no alias kept). A form issued
    again from today's plan (`issue --period --dept` for a unit left out) makes no other unit
    known: its task's lists stay those of the forms not issued again (`issue_returns`' kept)."""
    made_from = ledger.issued_fingerprints(period)
    if not made_from or made_from == {master.fingerprint}:
        return frozenset()
    _, lists = ledger.issued_order_of(period)
    if not lists:
        return frozenset()
    resolve = master.directory.resolve
    if any(u not in apart and resolve(u) is None for names in lists.values() for u in names):
        # a name the month's forms listed that today's plan does not know: renamed without its
        # old name kept as an alias (县水务局 → 县水利局), or gone; the new name would look joined,
        # and is asked about as ever (QA409)
        return frozenset()

    def now(unit: str) -> str:  # its name in the month (`issued_month.month_name`)
        return unit if unit in apart else resolve(unit) or unit

    # Today's plan knows every unit today's forms went to: a form of the month issued again
    # from it (`issue --period 2025-03 --dept 县统计局`) made every unit of April known then
    # (QA409). The units the month's forms went to are the month's whichever plan made them.
    then_plans = made_from - {master.fingerprint}
    then = ({now(u) for names in lists.values() for u in names} | known_then(ledger, then_plans, now)
            | {now(u) for u in ledger.issued_tasks_of(period)})
    return frozenset(u for u in master.units_with_tasks() if u not in then)


def joined_of(month: Master, today: Master, ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """(unit, task id as the month's forms numbered it, role today) for each task today's
    ``责任分工`` gives a unit the month (`as_issued`) left out as joined since (`joined_since`).
    ``ids``: the month's task ids → today's (`renumbered`); a task added since is none of
    the month's, and no difference to tell."""
    in_month = set(month.units_with_tasks())
    then_of = {now: then for then, now in ids.items()}
    return [(a.unit, then_of[a.task], str(a.role)) for a in today.assignments
            if a.unit not in in_month and a.task in then_of]
