"""A unit's returns of a month with the W206 files that are its refused returns (`misfiled`, QA405),
for the paths that read the month through the ledger, not through `consolidate` (QA412).

石排镇 filled in 石碣镇's form and the office answered ``sender --dept 石碣镇 --not-theirs``: the
file is no return of 石碣镇's (`ledger.answers.DISOWNED`, left out by `Ledger.returns_of`) but
石排镇's refused one, and consolidate makes 石排镇 退回待改. collect, on 石排镇's blank form sent
back, said "石排镇仍计为未报送"; on a mail from it with no file, "该单位暂计为未报送"; and
``remind --attach`` gave it the blank form beside "请按校验反馈修改后重新报送", not the form its
reply pre-filled. They read the unit's returns here, as consolidate counts them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import owed
from .disputed import disputed_returns
from .issued_month import kept_apart, month_name
from .ledger import Ledger, Receipt, ReturnOrder
from .ledger.answers import disowned_files
from .misfiled import misfiled, refused_by_unit

if TYPE_CHECKING:
    from .master import Master
    from .period import Period


def misfiled_returns(ledger: Ledger, master: Master, period: Period, names: tuple[str, ...]) -> list[Receipt]:
    """The W206 files of ``period`` that are refused returns (退回) of the unit ``names`` (its names in
    the month, current first): files the office said were not their registered unit's whose other
    evidence named this unit alone (`misfiled.misfiled`), in the order received. One query when the
    ledger holds no such answer, as most never do."""
    disowned = disowned_files(ledger.conn)
    if not disowned:
        return []
    files = [r for r in map(ledger.get, sorted(disowned)) if r is not None and r.period == period]
    if not files:
        return []
    apart = kept_apart(ledger, period, master)
    received: dict[str, list[Receipt]] = {}
    for r in files:  # under the names the month counts them by, as consolidate's `received`
        received.setdefault(month_name(r.unit, master, apart), []).append(r)
    mine = refused_by_unit(misfiled(disputed_returns(ledger, received, master, apart), names))
    return sorted((r for n in names for r in mine.get(n, [])), key=lambda r: (r.received_at, r.id))


def returns_of(ledger: Ledger, master: Master, period: Period, names: tuple[str, ...]) -> list[Receipt]:
    """`Ledger.returns_of` of the unit ``names`` with its `misfiled_returns` among them, the latest last."""
    own = ledger.returns_of(names[0], period, names[1:])
    return sorted([*own, *misfiled_returns(ledger, master, period, names)], key=ReturnOrder.of)


def answered(ledger: Ledger, master: Master, names: tuple[str, ...], period: Period) -> Receipt | None:
    """The return the unit's reply is about (`owed.answered`), or a later file of `misfiled_returns`:
    the file its reply (`misfiled_reply`) is recorded against, refused."""
    about = owed.answered(ledger, names, period)
    latest = [*([about] if about else []), *misfiled_returns(ledger, master, period, names)]
    return max(latest, key=ReturnOrder.of, default=None)
