"""`duban merge`: the consolidated workbook (汇总表) of a period, from the ledger."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .. import errors
from ..consolidate import Consolidation, consolidate
from ..ledger import Ledger
from ..ledger.outputs import written_at
from ..office_edits import Kept, write_output
from ..period import Period
from ..style import load_style
from ..summary_book import build_summary_workbook
from ..workspace import MERGED, Workspace, refuse_if_nothing_received

log = logging.getLogger("duban")


def merged_path(ws: Workspace, period: Period) -> Path:
    return ws.stage_dir(MERGED, period) / f"{period.label}_进展汇总表.xlsx"


@dataclass
class MergeResult:
    """What `merge` wrote and the figures it found."""

    path: Path
    consolidation: Consolidation
    #: the office's edited 汇总表, kept beside the new one before it was written (`office_edits`)
    kept: Kept | None = None


def merge(ws: Workspace, period: Period | None = None, consolidation: Consolidation | None = None
          ) -> MergeResult:
    """Write 汇总/<期>/<期>_进展汇总表.xlsx from the ledger's accepted returns.

    ``consolidation`` reuses one already computed for the same period (`duban run`).
    """
    if consolidation is None:
        refuse_if_nothing_received(ws, period, "merge")
    cons = consolidation or consolidate(ws, period)
    path = merged_path(ws, cons.period)
    kept = write_output(ws, path, build_summary_workbook(cons, load_style(ws.template("样式.toml"))).save, "汇总表")
    log.info("汇总完成：%s，任务 %d 项，单位 %d 个", path, len(cons.tasks), len(cons.units))
    return MergeResult(path, cons, kept)


def answered(cons: Consolidation) -> list[tuple[str, str]]:
    """The office's answers about ``cons``'s month (a file's time, a sender, a W206 file, a mail
    too big), each as (its unit, "" for a mail naming none; when it was recorded)."""
    answers = [(r.unit, at) for (r, _, at), _ in cons.sender_checks]
    answers += [(f.unit, f.answered_at) for f in cons.file_times] + [(d.unit, d.checked_at) for d in cons.disputed]
    answers += [(m.unit, m.checked_at) for m in cons.too_big]
    return [(unit, at) for unit, at in answers if at]


def answers_since_merge(ws: Workspace, cons: Consolidation) -> list[str] | None:
    """The unit of each of `answered` recorded after the month's 汇总表 was last written; None
    when it never was. A walk of `duban verify` stopped by Ctrl-C left them out of the 汇总表,
    and so did ``duban received`` or ``duban sender`` followed by 3-生成通报 alone: the 通报, made
    from the ledger, then says what the 汇总表 sent with it does not (QA342). The ledger keeps no
    run of a merge; when the 汇总表 was last written (`merged_at`) is when it last said the month,
    on the machine's wall clock as the answers are (`answers.answered_now`)."""
    written = merged_at(ws, cons.period)
    if written is None:  # never merged (or unreadable): no 汇总表 to be behind
        return None
    return answered_after(cons, written)


def answered_after(cons: Consolidation, written: dt.datetime) -> list[str]:
    """The unit of each of `answered` recorded after ``written`` (`merged_at`'s time)."""
    return [unit for unit, at in answered(cons) if _later(at, written)]


def merged_at(ws: Workspace, period: Period) -> dt.datetime | None:
    """When the period's 汇总表 was last written, on the machine's wall clock (naive, as the
    ledger keeps the answers and receipts): the later of its modification time and duban's
    record of writing it (`ledger.outputs`). The file's time alone is the file system's: FAT32
    (a USB stick) keeps it to 2 s, rounded down, and a file server stamps it on its own clock;
    an answer recorded just before the merge (a `duban verify` walk, `received` then `run`)
    was later than the 汇总表 that holds it, and memo said it behind (QA344). None: never merged."""
    path = merged_path(ws, period)
    try:
        stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, ValueError, OverflowError):
        return None
    with contextlib.suppress(sqlite3.Error, OSError, ValueError, errors.DubanError):
        where = path.relative_to(ws.root).as_posix()  # as `office_edits.write_output` records it
        with Ledger(ws.ledger_path, readonly=True) as ledger:
            recorded = written_at(ledger.conn, where)
        if recorded:
            stamp = max(stamp, dt.datetime.fromisoformat(recorded))
    return stamp


def _later(stamp: str, than: dt.datetime) -> bool:
    try:
        return dt.datetime.fromisoformat(stamp) > than
    except ValueError:  # not a time the ledger wrote: said by no merge it can be compared with
        return False
