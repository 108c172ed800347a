"""The replies a `collect` writes: which file each unit's reply is about, and the reply
drafts' life (written, recorded in the ledger, retired when a later return makes them
pointless). One rule decides which file a unit's reply is about, for this run's replies and
those an earlier run owes: `owed.answered`, by the order of `ledger.ReturnOrder`.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import owed, parallel
from .drafts import addressed, retire_drafts, write_draft
from .feedback import write_feedback
from .issued_month import EarlierMonths
from .ledger import Ledger
from .logs import log
from .period import Period
from .progress import Progress, no_progress
from .report import Report
from .text import name_part
from .unpack import Item, read_back
from .vocab import Outcome
from .workspace import FEEDBACK, Workspace

ACCEPTED, RETURNED, UNREADABLE = Outcome.ACCEPTED, Outcome.RETURNED, Outcome.UNREADABLE
SUPERSEDED = Outcome.SUPERSEDED


def resume(ws: Workspace, ledger: Ledger, master, run_id: int) -> list[Path]:
    """Replies that a stopped run owed: its receipts were committed (and its inbox files
    removed) but it died before writing them. Rebuilt from ledger and archive, by the rule of
    `choose` and `owed.settle` (`owed.answered`): a reply about the return the unit's reply
    is about when that one was refused, even if an earlier return of the period stays accepted."""
    theirs: dict[tuple[str, Period], set[int]] = {}
    stopped_runs = ledger.unfinished_runs("collect", before=run_id)
    for stopped in stopped_runs:
        for rec in ledger.receipts_of_run(stopped):
            if rec.outcome in (ACCEPTED, SUPERSEDED, RETURNED, UNREADABLE) and rec.unit and rec.period:
                theirs.setdefault((rec.unit, rec.period), set()).add(rec.id)
    written = _resumed(ws, ledger, master, theirs)
    # finished once their replies are written (or owed): a run stopped again before that, a
    # second power cut, left the first one's replies to no one (test_crash, under load)
    for stopped in stopped_runs:
        ledger.finish_run(stopped, {"interrupted": True, "feedback_resumed_by": run_id})
    return written


def _resumed(ws: Workspace, ledger: Ledger, master, theirs: dict[tuple[str, Period], set[int]]) -> list[Path]:
    """`resume`'s replies: per unit and month a stopped run took returns of, the one it owes."""
    written: list[Path] = []
    months = EarlierMonths(ledger, master)
    boxes = owed.mailboxes(ws, master)  # once: every 名录 address parsed
    for (unit, period), ids in sorted(theirs.items(), key=lambda kv: (str(kv[0][1]), kv[0][0])):
        names = months.names_of(unit, period)
        rec = owed.answered(ledger, names, period)
        if rec is None or rec.id not in ids:
            continue  # a return of another run has its own reply, or nothing asks for one
        if rec.outcome not in (RETURNED, UNREADABLE):
            # the stopped run's latest was accepted: as in `choose`, the reply an earlier
            # refusal left, and a 催报 draft, must not go out
            retire(ws, ledger, names, period, reason="该单位的报送已采纳")
            _retire_reminders(ws, ledger, names, _reminders(ledger, period))
        rep = owed.report_of(ledger, rec, ws.settings.reply_to_warnings)
        if rep is None:
            continue  # nothing to say
        try:
            written.extend(write_feedback(ws, master, rep, (ws.root / rec.archive_path).read_bytes(), rec.name,
                                          owed.sender_of(ws, ledger, rec, *boxes),
                                          owed.documents_beside(ledger, names, rec)))
        except Exception as exc:  # the receipt is already safe; the feedback is owed
            owed.record(ledger, [(rec.id, rec.name, owed.reason(exc))])
    return written


_CTX: tuple | None = None


def _job(job: tuple) -> tuple[list[Path], str]:
    """The paths written, or why none were (the receipt is already safe: it is owed)."""
    assert _CTX is not None
    ws, master = _CTX
    rep, data, name, sender, _receipt_id, beside = job
    try:
        return write_feedback(ws, master, rep, read_back(ws.root, data), name, sender, beside), ""
    except Exception as exc:
        log.info("反馈表未能写出：%s", name, exc_info=exc)
        return [], owed.reason(exc)


def choose(ws: Workspace, ledger: Ledger, master, tops: list[Item]) -> list[tuple]:
    """One reply per unit and period this run touched, about the unit's current state.

    A unit whose reply is about an accepted return gets none (its warnings are in 校验问题;
    the ``reply_to_warnings`` setting brings such replies back), and the reply an earlier
    refusal left is retired (removed, marked 已作废 in the ledger). A unit whose reply is
    about a refused file gets one reply about it (errors first), even when an earlier return
    of the period stays accepted. Which file the reply is about is `owed.answered`'s (a
    stamped PDF beside the unit's form is not; a file sent before one an earlier run
    collected, a mail fetched late, is not either): when that file came in an earlier run,
    its reply (or none) stands."""
    mine: dict[int, Item] = {}
    touched: set[tuple[str, Period]] = set()
    for top in tops:
        for it in top.walk():
            unit = it.report.unit if it.report else it.unit
            period = it.report.period if it.report else it.period
            if it.outcome in (ACCEPTED, RETURNED, UNREADABLE) and unit and period and it.receipt_id:
                mine[it.receipt_id] = it
                touched.add((unit, period))
    accepted: dict[Period, dict[str, Any]] = {}
    exempt: dict[Period, set[str]] = {}
    reminders: dict[Period, dict[str, list]] = {}
    months = EarlierMonths(ledger, master)  # a merged unit's forms of a past month: each its own
    jobs = []
    for unit, period in sorted(touched, key=lambda k: (str(k[1]), k[0])):
        if period not in accepted:  # one query a period, not one a unit
            accepted[period], exempt[period] = ledger.accepted(period), ledger.exempt_units(period)
            reminders[period] = _reminders(ledger, period)
        names = months.names_of(unit, period)
        now_accepted = accepted[period].get(unit)
        if now_accepted is not None:
            _retire_reminders(ws, ledger, names, reminders[period])
        about = owed.answered(ledger, names, period, exempt[period])
        it = mine.pop(about.id, None) if about is not None else None  # once: a unit under two names
        if it is None:
            continue  # a return of an earlier run stands, its reply (or none) too; or nothing to correct
        rep = it.report or Report(it.name, it.kind, unit, period, it.identified_by)
        rep = replace(rep, issues=list(it.issues) + [i for i in rep.issues if i not in it.issues])
        # A refused correction sent after an accepted return still gets its reply (the
        # accepted one stays in force, but the department must learn its correction failed).
        if now_accepted is not None and it.outcome not in (RETURNED, UNREADABLE):
            retire(ws, ledger, names, period, reason="该单位的报送已采纳")
            if not (ws.settings.reply_to_warnings and now_accepted.id == it.receipt_id and rep.issues):
                continue
        jobs.append((rep, it.bytes_ref, it.name, it.sender, it.receipt_id, owed.documents_beside(ledger, names, about)))
    return jobs


def _reminders(ledger: Ledger, period: Period) -> dict[str, list]:
    """The period's 催报 drafts, by unit."""
    by_unit: dict[str, list] = {}
    for d in ledger.drafts("remind", period):
        by_unit.setdefault(d.unit, []).append(d)
    return by_unit


def _retire_reminders(ws: Workspace, ledger: Ledger, names: tuple[str, ...], reminders: dict[str, list]) -> None:
    """A unit that reported: a 催报 draft written before, under any of its ``names`` (a unit
    renamed since was reminded under its old one), must not go out."""
    stale = [d for name in names for d in reminders.pop(name, [])]
    if stale:
        retire_drafts(ws, ledger, stale, "该单位已报送，催报作废")


def retire(ws: Workspace, ledger: Ledger, names: tuple[str, ...], period: Period, keep: str = "",
           reason: str = "已收到该单位更新的报送") -> None:
    """Remove the unit's earlier reply drafts for the period (and their workbooks): a later
    return made them pointless. The ledger keeps them, marked obsolete (已作废). Those under
    each of its ``names`` (`EarlierMonths.names_of`): a unit renamed since was answered under
    its old one, and `mail send feedback` would send that stale reply beside the new one."""
    stale = [d for d in ledger.drafts("feedback", period) if d.unit in names and d.path != keep]
    for d in stale:
        with contextlib.suppress(OSError):
            (ws.root / d.path).with_suffix(".xlsx").unlink()
    retire_drafts(ws, ledger, stale, reason)


def record(ws: Workspace, ledger: Ledger, master, paths: list[Path]) -> list[str]:
    """Record each reply draft written (so `duban mail send feedback` finds it) and retire
    the earlier ones it replaces. Returns the units whose reply names no one to send it to
    (`drafts.addressed`: a loose file from a unit with no 邮箱 in 单位名录), for the office."""
    emls = [p for p in paths if p.suffix == ".eml"]
    if not emls:
        return []
    months = EarlierMonths(ledger, master)
    unaddressed: list[str] = []
    for eml in emls:
        unit = unit_of_reply(master, eml.name.rsplit("_校验反馈", 1)[0])
        try:
            period = Period.parse(eml.parent.parent.name)
            data = eml.read_bytes()
        except Exception:  # not where replies are written: nothing to record
            continue
        rel = eml.relative_to(ws.root).as_posix()
        names = months.names_of(unit, period)
        retire(ws, ledger, names, period, keep=rel, reason="已被新的回复替代")
        # the return it answers, every receipt of this run being recorded (`remind --attach`
        # sends its workbook again only while the unit's reply is about that return); written
        # again through `write_draft`: a reply made again to a return whose reply went out (an
        # interrupted run's, resumed) is that mail, and keeps its Message-ID
        about = owed.answered(ledger, names, period)
        write_draft(ws, ledger, kind="feedback", period=period, unit=unit, path=eml, eml=data,
                    receipt_id=about.id if about is not None else None, names=names)
        if not addressed(data):
            unaddressed.append(unit)
    return unaddressed


_ROUND = re.compile(r"\d{4}-\d\d-\d\d")  # 反馈/<期>/<收取日期>/, `feedback.feedback_paths`
_PERIOD_FOLDER = re.compile(r"\d{4}年\d{1,2}月")  # Period.label: a folder of the office's own is left alone


def drop_empty_rounds(ws: Workspace) -> list[Path]:
    """Remove the dated folders of 反馈/<期>/ left empty: every reply of an earlier round
    retired (the unit's correction was accepted), or a reply whose folder was made but whose
    workbook could not be written (a full disk: it is owed). An empty dated folder would
    say a round of replies went out that day. `os.rmdir` removes only an empty folder, so
    one holding anything at all (the coordinator's own file, a hidden one) stays. Run once
    the run's replies are all written: never while a worker may be writing into one."""
    removed = []
    try:
        periods = [p for p in (ws.root / FEEDBACK).iterdir()
                   if _PERIOD_FOLDER.fullmatch(p.name) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return removed
    for period in periods:
        with contextlib.suppress(OSError):
            for folder in period.iterdir():
                if _ROUND.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink():
                    with contextlib.suppress(OSError):
                        folder.rmdir()
                        removed.append(folder)
    return removed


def unit_of_reply(master, part: str) -> str:
    """The unit a reply's file is named after (`feedback.feedback_paths`): its name as
    `text.name_part` wrote it, the characters Windows forbids made full-width, a long name
    cut and hashed."""
    found = master.directory.resolve(part)
    if found and name_part(found) == part:
        return found
    return next((u for u in master.directory.names if name_part(u) == part), part)


def write(ws: Workspace, master, jobs: list[tuple], progress: Progress = no_progress
          ) -> tuple[list[Path], list[tuple[int, str, str]]]:
    """Write the replies; on several cores when there are many. Returns the paths written
    and (receipt id, name, reason) of those that failed (they are owed)."""
    global _CTX

    _CTX = (ws, master)
    workers = min(os.cpu_count() or 1, 4)
    # Only with fork: spawning fresh interpreters (Windows) costs more than it saves.
    if len(jobs) < 16 or workers < 2 or not parallel.can_fork():
        done = [_job(job) for job in progress(jobs, "反馈表")]
    else:
        done = list(progress(parallel.run(_job, jobs, workers), "反馈表"))
    failed = [(job[4], job[2], why) for job, (_, why) in zip(jobs, done) if why and job[4] is not None]
    return [p for paths, _ in done for p in paths], failed
