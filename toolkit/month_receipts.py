"""The receipts a period's consolidation stands on (`consolidate.consolidate`): those of the
period with the files they came in, a unit's refused ones, the merged one of a unit under two
names, the tasks each unit was asked, and the files waiting in 收件箱 uncollected."""

from __future__ import annotations

import contextlib  # loaded, as sqlite3, before this module by `ledger`: no cost to `duban status`
import sqlite3

from . import files
from .issued_month import renamed
from .ledger import Ledger, Receipt
from .ledger.connect import open_readonly
from .master import Master
from .period import Period
from .vocab import Outcome
from .workspace import Workspace


def of_period(receipts: list[Receipt], period: Period) -> list[Receipt]:
    """The receipts of ``period``, with every file each came in (its mail, its zip)."""
    by_id = {r.id: r for r in receipts}
    keep: set[int] = set()
    for r in receipts:
        if r.period == period:
            node: Receipt | None = r
            while node is not None and node.id not in keep:
                keep.add(node.id)
                node = by_id.get(node.parent_id) if node.parent_id else None
    return [r for r in receipts if r.id in keep]


def refused_of(received: list[Receipt], not_theirs: frozenset[int] = frozenset()) -> list[Receipt]:
    """The refused files among a unit's receipts: sent back for errors, or unreadable; not one the
    office said was not the unit's (a W206 file another unit filled in: no unit's return)."""
    return [r for r in received if r.outcome in (Outcome.RETURNED, Outcome.UNREADABLE) and r.id not in not_theirs]


def later_of(a: Receipt, b: Receipt) -> Receipt:
    """Of two accepted returns of one unit under two names, the one merged: the later (not
    of a merged unit's two forms of a past month: each is its own, `kept_apart`)."""
    return max(a, b, key=lambda r: (r.received_at, r.id))


def asked_of(ledger: Ledger, period: Period, accepted: dict[str, Receipt], master: Master,
             apart: frozenset[str] = frozenset(), excused: dict[int, list] | None = None) -> dict[str, set[str]]:
    """`Ledger.issued_tasks_of`, less the tasks the unit's accepted return was excused (its issues,
    ``excused`` if read; W208: its form, from an older master, did not carry them; W210: the office
    took the task from the unit after issue, and collect set its row aside). A unit re-issued a newer
    form that sent the older one back in is then not 未报送 for what collect said it could not fix, nor
    one whose late return for a past month (`as_issued`) had a row for a task moved since."""
    asked = renamed(ledger.issued_tasks_of(period), master, lambda a, b: a | b, apart)
    excused = ledger.issues_of_many([r.id for r in accepted.values()]) if excused is None else excused
    for unit, rec in accepted.items():
        late = {i.task for i in excused.get(rec.id, []) if i.code in ("W208", "W210") and i.task}
        if late:
            base = asked.get(unit) or {t.id for t, _ in master.tasks_of(unit)}
            asked[unit] = base - late
    return asked


def look_in_inbox(ws: Workspace):
    """`inbox.look`, before the ledger is read (`uncollected_files`), or None when 收件箱 holds
    nothing; imported only when it may hold anything (one that cannot be listed may too:
    not_collected names it, QA276): its module's imports (archives, unpack, sniff) made every
    `duban status` 17 ms slower (importtime)."""
    if files.nothing_in(ws.inbox):
        return None
    from .inbox import look  # its imports cost every status 17 ms (importtime)
    return look(ws.inbox)


def uncollected_files(ws: Workspace, ledger: Ledger, looked=None) -> list[str]:
    """`inbox.not_collected` of what `look_in_inbox` saw (None: nothing) before ``ledger``'s
    reading began. Listed after it, a file a collect registered and took away in between was in
    neither, and status named its unit 未报送 with nothing to check (QA397)."""
    if looked is None:
        return []
    from .inbox import not_collected  # loaded already by `look_in_inbox`
    return not_collected(ws.inbox, lambda sha: bool(ledger.find_sha(sha)), ledger.sizes(), looked,
                         lambda: _settled(ledger))


def _settled(ledger: Ledger) -> bool:
    """Whether no receipt was committed since ``ledger``'s reading (one transaction) began, as a
    fresh reading tells: asked only of a file gone from 收件箱 since it was listed."""
    newest = "SELECT COALESCE(MAX(id), 0) FROM receipts"
    try:
        with contextlib.closing(open_readonly(ledger.path)) as fresh:
            return fresh.execute(newest).fetchone()[0] == ledger.conn.execute(newest).fetchone()[0]
    except sqlite3.Error:  # not known: waiting, as it may be
        return False


def inbox_notes(uncollected: list[str]) -> list[str]:
    """`mail fetch` stores mails in 收件箱 and only `collect` registers them: a status,
    汇总表 or 通报 made in between named their units 未报送 (past the deadline) in silence."""
    if not uncollected:
        return []
    some = "、".join(uncollected[:3]) + ("等" if len(uncollected) > 3 else "")
    return [f"请核实：收件箱中还有 {len(uncollected)} 个文件尚未收取登记（{some}），其中的报送没有计入"
            "报送情况，其单位可能被误列为未报送。请先运行 duban collect（或双击“2-收取并汇总”），再查看报送情况、"
            "生成汇总表和通报。"]
