"""Ledger copies that do not make a file put back in 收件箱 a 重复 (W204): the file is checked
again. Each undoes a refusal the office can fix without the unit sending anything new: a
mistyped `collect --period` (E202), or a master fixed since (a renamed unit's alias). Used by
`actions.collect` when it looks for earlier copies of a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .evidence import months_named
from .ledger import Ledger, Receipt
from .period import Period
from .vocab import Outcome

ACCEPTED, RETURNED = Outcome.ACCEPTED, Outcome.RETURNED


def unless_wrong_period(ledger: Ledger, earlier: list[Receipt], period: Period,
                        hints: Iterable[str] = (), received: dt.datetime | None = None) -> list[Receipt]:
    """The ledger copies that make a file a duplicate (W204): none when every one was refused
    only as another period's (E202) and either this run is for a different period (``collect
    --period`` mistyped: put back in 收件箱, the file is checked again for this run's period;
    else a typo would keep the department 未报送 with no way back) or its words now name another
    month than the one it was refused as (``hints``: `unpack.Item.hints`, its name, archive path,
    subject; ``received``: when, for a month written without its year). A form refused as another
    month's had its period settled by its words (`evidence.meant_later`): 经信局's September form
    named 经信局10月进展 was refused as October's; sent again unchanged as 经信局9月补报 it was skipped
    as 重复 and September stayed 未报送 with nothing asked (QA387). Words naming no other month
    ("(1)", "Re: …") leave it a 重复: read again, each copy was one more refusal, each moving the
    date its correction was owed (QA394)."""
    named = months_named([h for h in hints if h], received) if received else []

    def said_otherwise(r: Receipt) -> bool:
        return any(p != r.period for p in named)

    if earlier and all(r.outcome == RETURNED and (r.period != period or said_otherwise(r))
                       and {i.code for i in ledger.issues_of(r.id) if i.is_error} == {"E202"}
                       for r in earlier):
        return []
    return earlier


# Refusals the master decides: no unit of that name (E201; a renamed unit whose old name is
# not yet an alias), tasks not found, not the unit's, or missing (E401, E402, E404)
_MASTER_CODES = frozenset({"E201", "E401", "E402", "E404"})


def saved_at(path) -> str:
    """When the file was last saved, as the ledger writes times (local, to the microsecond)."""
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(sep=" ")
    except (OSError, ValueError, OverflowError):
        return ""


def unless_master_fixed(ledger: Ledger, earlier: list[Receipt], master_saved: str) -> list[Receipt]:
    """The ledger copies that make a file a duplicate: none when every one was refused only
    for what the master decides, or accepted with rows set aside as tasks taken off its unit
    (W210), and the master workbook was saved after the last of them was collected. The
    coordinator fixed the master (a renamed unit's old name an alias) and put the file back: it is
    read again, else the unit stays 未报送, or its rows on the tasks it holds under its new name
    were lost (QA302). The copy read first still decides 按时 (`on_time.timeliness`)."""
    def master_only(r: Receipt) -> bool:
        found = ledger.issues_of(r.id)
        if r.outcome == ACCEPTED:
            return any(i.code == "W210" for i in found)
        errors = {i.code for i in found if i.is_error}
        return r.outcome == RETURNED and bool(errors) and errors <= _MASTER_CODES
    if earlier and master_saved and all(r.collected_at < master_saved and master_only(r) for r in earlier):
        return []
    return earlier
