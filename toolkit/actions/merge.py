"""`duban merge`: the consolidated workbook (汇总表) of a period, from the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..consolidate import Consolidation, consolidate
from ..ledger.answers import office_time
from ..logs import log
from ..merge_time import merged_at, merged_path
from ..office_edits import Kept, write_output
from ..period import Period
from ..style import load_style
from ..summary_book import build_summary_workbook
from ..workspace import Workspace, refuse_if_nothing_received


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
    run of a merge; when the 汇总表 was last written (`merge_time.merged_at`) is when it last said
    the month."""
    written = merged_at(ws, cons.period)
    if written is None:  # never merged (or unreadable): no 汇总表 to be behind
        return None
    return answered_after(cons, written, ws.tz)


def answered_after(cons: Consolidation, written: dt.datetime, tz: dt.tzinfo) -> list[str]:
    """The unit of each of `answered` recorded after ``written`` (`merge_time.merged_at`'s time,
    on the office's clock, zone ``tz``): each answer, kept on the machine's clock (`answered_now`),
    is read on the office's (`office_time`) before it is compared, as `merged_at` asks."""
    return [unit for unit, at in answered(cons) if _later(at, written, tz)]


def _later(stamp: str, than: dt.datetime, tz: dt.tzinfo) -> bool:
    try:
        return office_time(stamp, tz) > than
    except (ValueError, OverflowError, OSError):  # not a time the ledger wrote: no merge to compare it with
        return False
