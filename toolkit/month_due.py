"""The deadline a month's 汇总表 and 通报 state as its 报送截止, and the units they name beside it.

`Consolidation.due` is the date most forms carry (`ledger.common_due`), the later on a tie: the
date no unit is judged 逾期 before. Stated as the month's 报送截止 it misled: in a month of two
units, one given its own later deadline (`issue --dept 县民政局 --due 2026-12-20`), the 汇总表
said 报送截止 2026年12月20日 and named the other unit, whose form said the 5th, as the one with a
deadline of its own (QA377). A unit is given its own deadline to have longer (an extension):
the month's ordinary one is the earliest any unit owing it is judged by, and the units given a
later one are named with theirs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .consolidate import Consolidation


def stated_due(cons: Consolidation) -> tuple[dt.date, list[tuple[str, dt.date]]]:
    """The month's ordinary 报送截止 and the units (in 报送情况's order) judged by a later one
    of their own, with it; (``cons.due``, []) when every unit owing the month shares one date."""
    dues = [(u.unit, cons.due_of(u.unit)) for u in cons.units if u.unit not in cons.exempt]
    ordinary = min((d for _, d in dues), default=cons.due)
    return ordinary, [(unit, d) for unit, d in dues if d != ordinary]
