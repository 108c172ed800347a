"""`duban collect`: inbox → archive → ledger → check → feedback.

Every file in 收件箱 (and every file inside a mail or zip) is archived byte for byte,
recorded in the ledger with its outcome, and only then removed from the inbox. The order
makes a crash at any point recoverable: before the one commit a re-run redoes everything
(archiving is idempotent), after it a re-run only finishes clearing the inbox.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import owed, parallel
from ..checks import CheckContext, check_return, history_issues
from ..feedback import write_feedback
from ..inbox import archive, read_input, remove_from_inbox, scan_inbox
from ..ledger import Ledger
from ..master import Master
from ..period import Period
from ..progress import Progress, no_progress
from ..report import Report, make_issue
from ..text import clean, unescape_name
from ..unpack import Item, expand
from ..vocab import Outcome
from ..workspace import Workspace

log = logging.getLogger("duban")

ACCEPTED, RETURNED, UNREADABLE = Outcome.ACCEPTED, Outcome.RETURNED, Outcome.UNREADABLE
DUPLICATE, SUPERSEDED = Outcome.DUPLICATE, Outcome.SUPERSEDED
PARALLEL_FROM = 200  # returns to check before a second core pays for its start-up


@dataclass
class CollectResult:
    """What one `collect` did, for the summary line and the tests."""

    inputs: int = 0
    receipts: int = 0
    returns: int = 0
    accepted: int = 0
    returned: int = 0
    unreadable: int = 0
    duplicates: int = 0
    superseded: int = 0
    recovered: int = 0
    periods: list[Period] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    owed: list[owed.Missing] = field(default_factory=list)  # feedback not written; a later run will
    not_removed: list[str] = field(default_factory=list)  # recorded, but could not leave 收件箱

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("items", "feedback", "periods", "owed")} | {
            "feedback": [str(p) for p in self.feedback], "periods": [str(p) for p in self.periods],
            "owed": [m.name for m in self.owed]}


# ---------------------------------------------------------------------------
# checking leaves (optionally on several cores)

_WORKER_CTX: CheckContext | None = None


def _init_worker(ctx: CheckContext) -> None:
    global _WORKER_CTX
    _WORKER_CTX = ctx


def _check_job(job: tuple[bytes, str]) -> Report:
    assert _WORKER_CTX is not None
    return check_return(job[0], job[1], _WORKER_CTX)


def check_many(jobs: list[tuple[bytes, str]], ctx: CheckContext, workers: int | None = None,
               progress: Progress = no_progress) -> list[Report]:
    """Check returns, in parallel when it pays; results are in input order either way."""
    if workers is None:
        # Starting workers costs more than checking a city's month on one core (measured).
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= PARALLEL_FROM else 1
    if workers <= 1 or len(jobs) < 2:
        return [check_return(d, n, ctx) for d, n in progress(jobs, "校验")]
    return list(progress(parallel.run(_check_job, jobs, workers, _init_worker, (ctx,)), "校验"))


def collect(ws: Workspace, period: Period | None = None, progress: Progress = no_progress,
            workers: int | None = None, feedback: bool = True) -> CollectResult:
    """Collect everything in 收件箱: archive, record, check, write feedback. See module doc."""
    master: Master = ws.load_master()
    limits = ws.limits
    expected = Period.parse(period) if period else None
    result = CollectResult()
    with Ledger(ws.ledger_path) as ledger:
        run_id = ledger.start_run(f"collect {expected or ''}".strip())
        tops: list[Item] = []
        present: set[tuple[str, str]] = set()
        for path in progress(scan_inbox(ws.inbox), "读取收件箱"):
            rel = unescape_name(path.relative_to(ws.inbox).as_posix())
            try:
                item = read_input(path, rel, limits)
            except OSError as exc:
                log.warning("无法读取收件箱文件 %s：%s", rel, exc)
                continue
            if item is None:
                continue
            present.add((rel, item.sha256))
            pending = ledger.uncleared(rel, item.sha256)
            if pending is not None:
                if _finish_removal(ws, ledger, path, pending.id, pending.archive_path, item.sha256,
                                   result.not_removed):
                    result.recovered += 1
                continue
            if not item.outcome:
                expand(item, limits)
            tops.append(item)
        # A run stopped between removing an inbox file and noting it: note it now.
        for rec in ledger.uncleared_all():
            if (rec.inbox_path, rec.sha256) not in present:
                ledger.mark_cleared(rec.id)
        result.inputs = len(tops)

        # Leaves to check: spreadsheets and anything unknown; duplicates are not re-checked.
        seen: dict[str, tuple[str, str]] = {}
        jobs: list[Item] = []
        for top in tops:
            for it in top.walk():
                if it.outcome:
                    continue
                earlier = ledger.find_sha(it.sha256)
                if earlier or it.sha256 in seen:
                    when, name = ((earlier[0].received_at[:16], earlier[0].name) if earlier
                                  else seen[it.sha256])
                    it.outcome = DUPLICATE
                    it.issues.append(make_issue("W204", file=it.name, when=when, name=name))
                    continue
                seen[it.sha256] = (it.received_at.isoformat(sep=" ")[:16], it.name)
                jobs.append(it)
        ctx = CheckContext(master, limits, period=expected, default_period=expected or ws.period())
        reports = check_many([(it.data, it.name) for it in jobs], ctx, workers, progress)
        for it, rep in zip(jobs, reports):
            if rep.unit and rep.period and rep.outcome != UNREADABLE:
                rep.issues.extend(history_issues(rep, ledger.previous_progress(rep.unit, rep.period)))
            if expected and any(i.code == "E202" for i in rep.issues):
                rep.period = expected  # rejected for this period; filed with it
            it.report, it.outcome = rep, rep.outcome
            it.kind = rep.kind or it.kind

        # Archive every byte first (idempotent), record everything in one transaction, then
        # clear the inbox: a crash anywhere leaves work a re-run finishes exactly once, and
        # one durable commit instead of one per file keeps a month's collect quick.
        for top in progress(tops, "归档"):
            archive(ws, top, expected)
        touched: set[tuple[str, Period]] = set()
        with ledger.transaction():
            for top in tops:
                _insert(ledger, top, None, run_id, touched)
            for unit, period_key in sorted(touched):
                ledger.resolve_superseded(unit, period_key)
        cleared = []
        for top in tops:
            path = top.inbox_file or ws.inbox / (top.inbox_path or "")
            if top.receipt_id is not None and remove_from_inbox(ws, path, top.archive_rel, top.sha256,
                                                                failed=result.not_removed):
                cleared.append(top.receipt_id)
            for it in top.walk():
                result.receipts += 1
                if it.report is not None:
                    result.returns += 1
                result.duplicates += it.outcome == DUPLICATE
                result.unreadable += it.outcome == UNREADABLE
            result.items.append(top)
        ledger.mark_cleared(*cleared)

        # Outcomes after superseding are in the ledger; count from there.
        for top in tops:
            for it in top.walk():
                if it.report is None:
                    continue
                row = ledger.get(it.receipt_id) if it.receipt_id else None
                outcome = row.outcome if row else it.outcome
                it.outcome = outcome
                result.accepted += outcome == ACCEPTED
                result.returned += outcome == RETURNED
                result.superseded += outcome == SUPERSEDED
        result.periods = sorted({it.report.period for t in tops for it in t.walk()
                                 if it.report and it.report.period})
        if feedback:
            settled, result.owed = owed.settle(ws, ledger, master, write_feedback)
            written, failed = _write_feedback(ws, master, tops, progress)
            result.feedback = settled + _resume_feedback(ws, ledger, master, run_id) + written
            result.owed += owed.record(ledger, failed)
        ledger.finish_run(run_id, result.to_dict())
    log.info("收取完成：输入 %d 个，登记 %d 条，采纳 %d，退回 %d，无法读取 %d，重复 %d",
             result.inputs, result.receipts, result.accepted, result.returned,
             result.unreadable, result.duplicates)
    return result


def _insert(ledger: Ledger, item: Item, parent: int | None, run_id: int,
            touched: set[tuple[str, Period]]) -> None:
    issues = list(item.issues) + (item.report.issues if item.report else [])
    outcome = item.outcome or UNREADABLE
    if not item.report and not item.outcome:
        outcome = UNREADABLE
    kind = item.kind or "unknown"
    rid = ledger.insert(sha256=item.sha256, name=item.name, kind=kind, source=_one_line(item.source),
                        received_at=item.received_at.isoformat(sep=" "), archive_path=item.archive_rel,
                        size=item.size, outcome=outcome, report=item.report, parent_id=parent,
                        inbox_path=item.inbox_path if parent is None else None, run_id=run_id,
                        note=_one_line(item.note), issues=issues)
    item.receipt_id = rid
    if item.report and outcome == ACCEPTED and item.report.unit and item.report.period:
        touched.add((item.report.unit, item.report.period))
    for child in item.children:
        _insert(ledger, child, rid, run_id, touched)


def _one_line(text: str) -> str:
    """Provenance for the ledger and the 收件登记 sheet: names from mails and zips arrive
    with bidi overrides, control characters and line breaks; none of them is kept."""
    return " ".join(clean(text).split("\n"))


def _finish_removal(ws: Workspace, ledger: Ledger, path: Path, receipt_id: int,
                    archive_rel: str, sha256: str, failed: list[str]) -> bool:
    """Remove an inbox file that an earlier run recorded but did not get to remove."""
    if remove_from_inbox(ws, path, archive_rel, sha256, verify=True, failed=failed):
        ledger.mark_cleared(receipt_id)
        return True
    return False



def _resume_feedback(ws: Workspace, ledger: Ledger, master, run_id: int) -> list[Path]:
    """Feedback that a stopped run owed: its receipts were committed (and its inbox files
    removed) but it died before writing their feedback. Rebuilt from ledger and archive."""
    written: list[Path] = []
    for stopped in ledger.unfinished_runs("collect", before=run_id):
        for rec in ledger.receipts_of_run(stopped):
            if rec.outcome not in (ACCEPTED, RETURNED, SUPERSEDED) or not rec.unit or not rec.period:
                continue
            # as the run would have written it: W205 came later, from superseding
            issues = [i for i in ledger.issues_of(rec.id) if i.code != "W205"]
            if not issues or not rec.archive_path:
                continue
            rep = Report(rec.name, rec.kind, rec.unit, rec.period, rec.identified_by, contact=rec.contact,
                         rows=ledger.rows_of(rec.id), issues=issues)
            try:
                written.extend(write_feedback(ws, master, rep, (ws.root / rec.archive_path).read_bytes(), rec.name))
            except Exception as exc:  # the receipt is already safe; the feedback is owed
                owed.record(ledger, [(rec.id, rec.name, owed.reason(exc))])
        ledger.finish_run(stopped, {"interrupted": True, "feedback_resumed_by": run_id})
    return written


_FEEDBACK_CTX: tuple | None = None


def _feedback_job(job: tuple) -> tuple[list[Path], str]:
    """The paths written, or why none were (the receipt is already safe: it is owed)."""
    assert _FEEDBACK_CTX is not None
    ws, master = _FEEDBACK_CTX
    rep, data, name, _receipt_id = job
    try:
        return write_feedback(ws, master, rep, data, name), ""
    except Exception as exc:
        log.info("反馈表未能写出：%s", name, exc_info=exc)
        return [], owed.reason(exc)


def _write_feedback(ws: Workspace, master, tops: list[Item], progress: Progress = no_progress
                    ) -> tuple[list[Path], list[tuple[int, str, str]]]:
    """Feedback for every checked return with issues; on several cores when there are many.
    Returns the paths written and (receipt id, name, reason) of those that failed."""
    global _FEEDBACK_CTX

    jobs = [(it.report, it.data, it.name, it.receipt_id) for top in tops for it in top.walk()
            if it.report is not None and it.report.issues and it.report.outcome != UNREADABLE
            and it.report.unit and it.report.period]
    _FEEDBACK_CTX = (ws, master)
    workers = min(os.cpu_count() or 1, 4)
    # Only with fork: spawning fresh interpreters (Windows) costs more than it saves.
    if len(jobs) < 16 or workers < 2 or not parallel.can_fork():
        done = [_feedback_job(job) for job in progress(jobs, "反馈表")]
    else:
        done = list(progress(parallel.run(_feedback_job, jobs, workers), "反馈表"))
    failed = [(job[3], job[2], why) for job, (_, why) in zip(jobs, done) if why and job[3] is not None]
    return [p for paths, _ in done for p in paths], failed
