"""An earlier month's form collected under a later period (QA279): when it is that month's own.

Under the period the office gave (``collect --period``, the double-click's), last month's form
of a month its unit already reported stays refused as the period's (E202, QA172): last month's
file with this month's progress typed in is the commonest reuse, and as last month's it would
replace the return the 通报 published and leave this month 未报送. One thing says it is not
this month's return on the wrong form but last month's own, to be filed there (a 重报, W209
once merged, as a collect without --period files it): the unit's own form of the period came
in the same mail or archive. 石龙镇 mailed its June form and, beside it, its May form re-saved;
refused as June's it left a "June 退回" row for a May form, the May correction lost, and in
another order a June reply or 退回待改.

What the sender wrote (a file name saying 5月) is not enough alone: a department that copies
last month's file keeps its name, 2022年5月_石龙镇_进展填报表.xlsx, and filed as May's its June
progress would make June 未报送 in the 通报, the worst mistake duban can make.
"""
from __future__ import annotations

from collections.abc import Iterable

from .period import Period


def beside_own_forms(tops: Iterable, reports: dict[int, object], expected: Period) -> set[int]:
    """The ids of the files (`unpack.Item`) in ``tops`` that came in a mail or archive carrying
    their unit's own form of ``expected`` (by its `_meta`, not refused as another month's):
    ``reports``, each file's check by its id."""
    found: set[int] = set()
    for top in tops:
        leaves = [(id(it), reports[id(it)]) for it in top.walk() if id(it) in reports]
        units = {rep.unit for _, rep in leaves
                 if rep.unit and rep.period == expected and rep.period_by == "_meta"
                 and not any(i.code == "E202" for i in rep.issues)}
        found.update(key for key, rep in leaves if rep.unit in units and rep.period != expected)
    return found


def its_own_month(rep, expected: Period, beside: bool) -> bool:
    """Whether ``rep``, a form of a month before ``expected`` by its `_meta`, is that month's own:
    its unit's own form of ``expected`` came with it (``beside``: `beside_own_forms`)."""
    return beside and rep.period_by == "_meta" and rep.period is not None and rep.period < expected
