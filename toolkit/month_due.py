"""The deadline a month's 汇总表 and 通报 state as its 报送截止, and the units they name beside it.

`Consolidation.due` is the date most forms carry (`ledger.common_due`), the later on a tie: the
date no unit is judged 逾期 before. Stated as the month's 报送截止 it misled: in a month of two
units, one given its own later deadline (`issue --dept 县民政局 --due 2026-12-20`), the 汇总表
said 报送截止 2026年12月20日 and named the other unit, whose form said the 5th, as the one with a
deadline of its own (QA377). The month's ordinary deadline is the one most units owing it are
judged by (the earlier on a tie: one unit given longer of two), and the units with another are
named with theirs: the earliest of all (QA377's first rule) stated one unit's shortened date as
the month's and named the nine others as the exceptions (QA383).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .vocab import UnitState

if TYPE_CHECKING:
    from .consolidate import Consolidation, UnitStatus


def stated_due(cons: Consolidation) -> tuple[dt.date, list[tuple[str, dt.date]]]:
    """The month's ordinary 报送截止 and the units (in 报送情况's order) judged by another one of
    their own, with it; (``cons.due``, []) when every unit owing the month shares one date."""
    from collections import Counter

    dues = [(u.unit, cons.due_of(u.unit)) for u in cons.units if u.unit not in cons.exempt]
    if not dues:
        return cons.due, []
    counts = Counter(d for _, d in dues)
    ordinary = min(counts, key=lambda d: (-counts[d], d))
    return ordinary, [(unit, d) for unit, d in dues if d != ordinary]


def units_not_yet_due(units: list[UnitStatus], due_of: Callable[[str], dt.date], today: dt.date,
                      sent_back: bool = False, fix_by: dict[str, dt.date] | None = None) -> list[str]:
    """`Consolidation.not_yet_due`, of ``units`` judged by ``due_of``; one 退回待改 by the later
    date its reply asked the correction by (``fix_by``: `Consolidation.fix_by`)."""
    states = (UnitState.NOT_REPORTED, UnitState.TO_FIX) if sent_back else (UnitState.NOT_REPORTED,)
    later = fix_by or {}
    return [u.unit for u in units if u.state in states
            and ((u.state == UnitState.TO_FIX and later.get(u.unit)) or due_of(u.unit)) >= today]
