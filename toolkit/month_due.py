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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .consolidate import Consolidation


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
