"""When a month's 汇总表 was last written (`merged_at`): one answer for each command that asks.

`collect` quotes it in W209 (a return of a month already merged: 重报, 补报, …: `after_merge`);
`memo` compares it with what was collected and answered since (its 汇总表不是最新的 note,
`actions.memo.behind_notes`), and `verify` merges again by it (`actions.merge.answers_since_merge`).
They asked it two ways: W209 the newest workbook in the month's 汇总 folder by its modification
time; memo the 汇总表's own path, by the later of that time and duban's record of writing it
(QA344). A file's time is the file system's: FAT32 (a USB stick) keeps it to 2 s, rounded down,
and a file server stamps it on its own clock; W209 said a month merged at 10:00 on a server 5
minutes behind was merged at 09:55, and quoted a workbook of the office's own saved in the folder
a day later as the merge (QA348). Here apart from `actions.merge`, whose summary workbook and
consolidation `collect` never loads (start-up).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

from . import errors
from .ledger import Ledger
from .ledger.answers import office_time
from .ledger.outputs import written_at
from .period import Period
from .workspace import MERGED, Workspace


def merged_path(ws: Workspace, period: Period) -> Path:
    """The 汇总表 `duban merge` writes: 汇总/<期>/<期>_进展汇总表.xlsx."""
    return ws.stage_dir(MERGED, period) / f"{period.label}_进展汇总表.xlsx"


def merged_at(ws: Workspace, period: Period, conn: sqlite3.Connection | None = None) -> dt.datetime | None:
    """When ``period``'s 汇总表 (`merged_path`; never a copy the office saved beside it, nor a
    workbook of its own there) was last written: the later of its modification time and duban's
    record of writing it (`ledger.outputs`, read on ``conn`` when the caller holds the ledger
    open). The record is the machine's clock at the write: an answer or a return recorded just
    before the merge is before it, whatever the file system stamped (see the module doc). The file's
    time serves where there is no record (written before the ledger kept one) or a later save
    (Excel's); the record alone where the office renamed or moved the 汇总表 away: the month was
    merged all the same, and a return since is not in what it sends. None: neither (never merged).

    One clock for every comparison made with it, the office's: the time returned is its wall clock
    (duban.toml ``timezone``), naive, as every time of receipt is kept. W209 quotes it to the
    minute (TZ changes no output); memo compares it with receipts' ``collected_at`` and the office's
    answers (`actions.merge.answered_after`), which the ledger keeps on the machine's wall clock:
    each is brought to the office's by `office_time` before it is compared."""
    path = merged_path(ws, period)
    stamp = None
    with contextlib.suppress(OSError, ValueError, OverflowError):  # not there, or of a time no calendar has
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, ws.tz).replace(tzinfo=None)
    recorded = _recorded(ws, path, conn)
    times = [t for t in (stamp, recorded) if t is not None]
    return max(times) if times else None


def _recorded(ws: Workspace, path: Path, conn: sqlite3.Connection | None) -> dt.datetime | None:
    """duban's record of writing ``path`` (`ledger.outputs.written_at`) on the office's clock;
    None: none, or a ledger that cannot be read (its time is then the file's alone)."""
    where = path.relative_to(ws.root).as_posix()  # as `office_edits.write_output` records it
    with contextlib.suppress(sqlite3.Error, OSError, ValueError, OverflowError, errors.DubanError):
        if conn is not None:
            recorded = written_at(conn, where)
        else:
            with Ledger(ws.ledger_path, readonly=True) as ledger:
                recorded = written_at(ledger.conn, where)
        return office_time(recorded, ws.tz) if recorded else None
    return None
