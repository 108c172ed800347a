"""`duban collect`: inbox → archive → ledger → check → feedback.

Every file in 收件箱 (and every file inside a mail or zip) is archived byte for byte,
recorded in the ledger with its outcome, and only then removed from the inbox. The order
makes a crash at any point recoverable: before the one commit a re-run redoes everything
(archiving is idempotent), after it a re-run only finishes clearing the inbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import errors, owed, parallel, replies, set_aside
from ..addresses import office_mailboxes
from ..after_merge import after_merge
from ..checked_again import saved_at, unless_master_fixed, unless_wrong_period
from ..checks import SAID, CheckContext, check_return, evidence_words, history_issues
from ..downloads import downloaded_from_links
from ..earlier_form import beside_own_forms, its_own_month
from ..evidence import (
    address_index,
    bare_mail_message,
    bare_mails,
    doubt,
    local,
    meant_later,
    named_where,
    own_later_form,
    period_in,
    sent_for_another,
    settle_time,
    unit_hints,
    unit_in_names,
    unit_of_address,
    weak_kind,
)
from ..file_time import refuse_after_today, refuse_before_month, stated_floor
from ..inbox import archive, read_input, remove_from_inbox, scan_inbox
from ..issued_month import EarlierMonths, check_as_printed
from ..ledger import Ledger
from ..ledger.mail_records import MailRecords
from ..ledger.time_basis import record_weak_time
from ..master import Master
from ..merge_time import merged_at
from ..misfiled_owed import returns_of
from ..office_copies import notices, office_copies, record_office
from ..other_forms import owed_after, owed_before
from ..period import Period
from ..progress import Progress, no_progress
from ..report import ERROR, Report, make_issue
from ..text import clean, unescape_name
from ..units import Directory
from ..unpack import Item, expand
from ..versions import order_versions, unless_answer
from ..vocab import Outcome, TimeSource
from ..weak_times import Deadlines, by_own_deadline, capped_doubt, weak_time_notes
from ..workspace import Workspace

log = logging.getLogger("duban")

ACCEPTED, RETURNED, UNREADABLE = Outcome.ACCEPTED, Outcome.RETURNED, Outcome.UNREADABLE
DUPLICATE, SUPERSEDED, CONTAINER = Outcome.DUPLICATE, Outcome.SUPERSEDED, Outcome.CONTAINER
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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (inbox path, why not read)
    late: list[tuple[str, Period]] = field(default_factory=list)    # 补报 (W209): unit, period
    disputed: list[tuple[str, str]] = field(default_factory=list)   # W206: file, message
    owed: list[owed.Missing] = field(default_factory=list)  # feedback not written; a later run will
    not_removed: list[str] = field(default_factory=list)  # recorded, but could not leave 收件箱
    period: Period | None = None  # the run's period: a file that names none is filed under it
    # accepted returns filed under another period than the run's (补报 of a merged one too):
    # unit, period, file; a department that sent last month's form must not vanish silently
    elsewhere: list[tuple[str, Period, str]] = field(default_factory=list)
    # of ``elsewhere``, by (unit, file): the month whose progress it may hold when not the run's
    # (`other_forms.owed_after`: July, still owed, when August's forms went out before July's deadline)
    meant: dict[tuple[str, str], Period] = field(default_factory=dict)
    # accepted forms of an earlier month that came by its deadline: said by the month, not asked
    own_time: list[tuple[str, Period]] = field(default_factory=list)
    # those of ``late`` whose unit had an accepted return for the month before this run: sent
    # again (重报, a correction), not a first return after the month (补报)
    resent: list[tuple[str, Period]] = field(default_factory=list)
    # those of ``late`` sent by the month's deadline, merged early (next month's forms went out
    # before it): 按时, never 补报 (`after_merge`); the merge is out of date all the same
    on_time: list[tuple[str, Period]] = field(default_factory=list)
    # a unit exempt for a month (本期免报) that sent a return after the month was merged: it
    # owed nothing, so it is neither in ``late`` (补报) nor 逾期; the merge is out of date all the same
    volunteered: list[tuple[str, Period]] = field(default_factory=list)
    # units whose reply draft names no one to send it to (no 邮箱 in 单位名录, a loose file)
    no_email: list[str] = field(default_factory=list)
    # files refused or not read that ask nothing (`set_aside`: 佐证材料 of a unit whose return was
    # taken), by receipt id: why; not in ``returned`` or ``unreadable``
    aside: dict[int, str] = field(default_factory=dict)

    @property
    def needs_attention(self) -> bool:
        """Whether the office must act (the command exits 1): files refused or not read, a
        unit or a time to check, a 补报 to merge, replies owed, files left in 收件箱."""
        return self.attention_after(None)

    def attention_after(self, remerged: Period | None) -> bool:
        """`needs_attention` once the same command merged ``remerged`` again (`collect --merge`,
        `run`): its returns after the earlier merge (W209) are in the new 汇总表, and asking the
        office to merge it made 2-收取并汇总 say 未成功 of an on-time return (QA273)."""
        return bool(self.returned or self.unreadable or self.skipped or self.disputed or self.owed
                    or self.not_removed or self.elsewhere
                    or any(p != remerged for _, p in self.late + self.volunteered))

    def tally(self) -> str:
        """What the files came to, "采纳 47，退回 5，无法读取 0，重复 0": collect's, run's and
        verify's lines say it (collect adds 已被替代)."""
        return (f"采纳 {self.accepted}，退回 {self.returned}，无法读取 {self.unreadable}，"
                f"重复 {self.duplicates}" + (f"，无需处理 {len(self.aside)}" if self.aside else ""))

    def to_dict(self) -> dict[str, Any]:
        """The run's summary for the ledger, keys in field order (as the first round wrote them)."""
        as_text = {"feedback": lambda v: [str(p) for p in v], "periods": lambda v: [str(p) for p in v],
                   "late": lambda v: [[u, str(p)] for u, p in v], "owed": lambda v: [m.name for m in v],
                   "period": lambda v: str(v) if v else None,
                   "elsewhere": lambda v: [[u, str(p), n] for u, p, n in v],
                   "meant": lambda v: [[u, n, str(p)] for (u, n), p in v.items()],
                   "resent": lambda v: [[u, str(p)] for u, p in v],
                   "on_time": lambda v: [[u, str(p)] for u, p in v], "own_time": lambda v: [[u, str(p)] for u, p in v],
                   "volunteered": lambda v: [[u, str(p)] for u, p in v], "aside": sorted}
        # ``aside`` only when there is one: a month's run summaries stay as they were (the demo's golden ledger)
        return {k: as_text[k](v) if k in as_text else v for k, v in self.__dict__.items()
                if k != "items" and (v or k != "aside")}


# ---------------------------------------------------------------------------
# checking leaves (optionally on several cores)

_WORKER_CTX: CheckContext | None = None


def _init_worker(ctx: CheckContext) -> None:
    global _WORKER_CTX
    _WORKER_CTX = ctx


def _check_job(job: tuple[bytes, str, str]) -> Report:
    assert _WORKER_CTX is not None
    return check_return(*job[:2], _WORKER_CTX, *job[2:])


def check_many(jobs: list[tuple[bytes, str, str]], ctx: CheckContext, workers: int | None = None,
               progress: Progress = no_progress, pool: parallel.Pool | None = None) -> list[Report]:
    """Check returns, in parallel when it pays; results are in input order either way.

    ``pool``: workers already started with ``ctx`` (`check_pool`)."""
    if pool is not None and len(jobs) >= 2:
        return list(progress(pool.map(jobs), "校验"))
    if workers is None:
        # Starting workers costs more than checking a city's month on one core (measured).
        workers = min(os.cpu_count() or 1, 4) if len(jobs) >= PARALLEL_FROM else 1
    if workers <= 1 or len(jobs) < 2:
        return [check_return(*job[:2], ctx, *job[2:]) for job in progress(jobs, "校验")]
    return list(progress(parallel.run(_check_job, jobs, workers, _init_worker, (ctx,)), "校验"))


def _sender_for_check(it: Item, ctx: CheckContext) -> str:
    """The sender the check weighs as evidence of ``it``'s unit: none when the subject or a
    path says that mailbox's unit only passed the file on (（东城街道代报）, `sent_for_another`):
    a form without _meta from 东城街道's mailbox went to 东城街道, and 东坑镇 stood 未报送."""
    unit = ctx.unit_of_sender(it.sender)
    return "" if unit and sent_for_another(unit, it.hints, ctx.master.directory) is None else it.sender


def check_pool(inputs: int, ctx: CheckContext, workers: int | None) -> parallel.Pool | None:
    """Checking workers started before the inbox is read, when ``inputs`` files will likely
    need them (the rule of `check_many`); None otherwise. Forked later, each worker would
    start as a copy of a parent holding every file's bytes."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if inputs >= PARALLEL_FROM else 1
    if workers <= 1 or inputs < 2 or not parallel.can_fork():
        return None
    return parallel.Pool(_check_job, workers, _init_worker, (ctx,))


def refuse_received(ws: Workspace, period: Period | None, received: dt.date | None) -> None:
    """Refuse a received day ``collect --received`` states that cannot be true for ``period`` (the
    run's month, else the workspace's): after today, or before the month began (`file_time`).
    The CLI asks it before ``--fetch`` too, so that nothing is fetched for a collect refused."""
    refuse_after_today(received, ws.now().date())
    refuse_before_month(received, Period.parse(period) if period else ws.period(),
                        "；如收件箱中是更早月份的报送，请用 --period 指明月份")


def collect(ws: Workspace, period: Period | None = None, progress: Progress = no_progress,
            workers: int | None = None, feedback: bool = True,
            received: dt.date | None = None, file_owed: bool = False) -> CollectResult:
    """Collect everything in 收件箱: archive, record, check, write feedback. See module doc.

    ``received`` is the date the coordinator states for loose files (``--received``): it
    replaces their modification time as evidence of when they were sent. ``file_owed``: with
    ``period`` (the double-click's, `run`, `collect --fetch`), an earlier month's form its
    unit still owes is filed under that month (`own_later_form`), not refused as ``period``'s."""
    expected = Period.parse(period) if period else None
    run_period = expected or ws.period()
    refuse_received(ws, run_period, received)  # before anything leaves 收件箱
    master: Master = ws.load_master()
    limits, tz = ws.limits, ws.tz
    result = CollectResult()
    with Ledger(ws.ledger_path) as ledger, contextlib.ExitStack() as stack:
        run_id = ledger.start_run(f"collect {expected or ''}".strip())
        mailbox = MailRecords(ledger.conn)
        tops: list[Item] = []
        present: set[tuple[str, str]] = set()
        ctx = CheckContext(master, limits, period=expected, default_period=run_period,
                           issued=ledger.issued_tasks())
        paths = scan_inbox(ws.inbox, result.skipped)
        pool = check_pool(len(paths), ctx, workers)
        if pool is not None:
            stack.enter_context(pool)
        mailboxes = office_mailboxes(ws.settings.mail.addresses, master.directory, ws.organiser)  # once a run
        copies = office_copies(ws.root, ledger.conn)  # the office's own files coming back are no return
        for path in progress(paths, "读取收件箱"):
            rel = unescape_name(path.relative_to(ws.inbox).as_posix())
            try:
                item = read_input(path, rel, limits)
            except OSError as exc:
                log.warning("无法读取收件箱文件 %s：%s", rel, exc)
                result.skipped.append((rel, f"无法读取（{errors.os_reason(exc)}）"))
                continue
            if item is None:
                continue
            present.add((rel, item.sha256))
            pending = ledger.uncleared(rel, item.sha256)
            if pending is not None:
                if _finish_removal(ws, ledger, path, pending.id, pending.archive_path, item.sha256, result):
                    result.recovered += 1
                continue
            if not item.outcome:
                # whose mail a forwarded one was (`unpack`)
                item.office, item.units, item.copies = *mailboxes, copies
                expand(item, limits)
            fetched = mailbox.fetched_by_sha(item.sha256) if item.kind == "eml" else None
            if fetched is not None:  # fetched by duban mail fetch: the server knows when it arrived
                if item.time_source == TimeSource.MAIL:  # kept to say when the two disagree
                    item.mail_date = local(item.received_at, tz)
                item.received_at, item.time_source = fetched.internaldate, TimeSource.MAILBOX
            tops.append(item)
        for item in tops:
            _settle_time(item, tz, received)
        # A run stopped between removing an inbox file and noting it: note it now.
        for rec in ledger.uncleared_all():
            if (rec.inbox_path, rec.sha256) not in present:
                ledger.mark_cleared(rec.id)
        result.inputs = len(tops)

        # Leaves to check: spreadsheets and anything unknown; duplicates are not re-checked.
        master_saved = saved_at(ws.master_path)
        seen: dict[str, Item] = {}
        twins: dict[int, Any] = {}  # a duplicate → the receipt or item it repeats
        jobs: list[Item] = []
        # in the order received, not by name: of two copies, the later is the 重复 (“发改局9月 - 副本” of
        # 4 October sorted before “发改局9月” of the 3rd, which 报送情况 then called the copy, QA387); but
        # first a file beside others in its archive or mail, whose versions are weighed together (W212, QA285)
        bundled = {id(c) for t in tops for p in t.walk() if len(p.children) > 1 for c in p.children}
        for top, it in sorted(((t, i) for t in tops for i in t.walk()),
                              key=lambda pair: (id(pair[1]) not in bundled, pair[1].received_at)):
            if it.outcome:
                continue
            earlier = unless_answer(ledger, ws.root, top, it, unless_master_fixed(ledger, unless_wrong_period(  # W212
                ledger, ledger.find_sha(it.sha256), expected or run_period, it.hints, it.received_at), master_saved))
            if it.data and (earlier or it.sha256 in seen):  # empty files are all alike: each its own
                first = earlier[0] if earlier else None
                when, name = ((first.received_at[:16], first.name) if first
                              else (seen[it.sha256].received_at.isoformat(sep=" ")[:16], seen[it.sha256].name))
                it.outcome = DUPLICATE
                it.issues.append(make_issue("W204", file=it.name, when=when, name=name))
                twins[id(it)] = first or seen[it.sha256]
                continue
            seen[it.sha256] = it
            jobs.append(it)
        checks = [(it.data, it.name, _sender_for_check(it, ctx)) for it in jobs]
        reports = check_many(checks, ctx, workers, progress, pool)
        if pool is not None:
            pool.close()
        reports = check_as_printed(ledger, ctx, checks, reports)
        del checks  # every file's bytes: released after archiving (below), not kept to the end
        months = EarlierMonths(ledger, master, tz)  # once a run: `meant_later`, history, `_weigh_evidence`
        # last month's form beside the unit's own of the period: last month's, not refused (QA279)
        beside = beside_own_forms(tops, dict(zip(map(id, jobs), reports)), run_period)
        for it, rep in zip(jobs, reports):
            refiled = expected is not None and own_later_form(
                rep, expected, it.hints, it.received_at, months.was_asked, months.owes if file_owed else None,
                its_own_month(rep, expected, id(it) in beside))
            if refiled:
                # a July form mailed early, in 收件箱 as June's 补报 is caught up: filed as July's
                # and said (`elsewhere`); refused as June's, June named the unit 退回待改 for
                # nothing it sent and July 未报送 (QA170)
                rep.issues = [i for i in rep.issues if i.code != "E202"]
            if not expected or refiled:  # last month's form sent as a later month's: refused there
                result.disputed += meant_later(rep, it.name, it.hints, it.received_at, months.was_asked,
                                               months.was_exempt, lambda p: ws.due(p, ledger.issued_due(p)),
                                               months.owes)
            if rep.unit and rep.period and rep.outcome != UNREADABLE:
                rep.issues.extend(history_issues(rep, months.previous(rep.unit, rep.period), master))
            if expected and not refiled and any(i.code == "E202" for i in rep.issues):
                rep.period = expected  # rejected for this period; filed with it
            it.report, it.outcome = rep, rep.outcome
            it.kind = rep.kind or it.kind
        _name_renamed_units(ledger, master, jobs, result)
        addresses = address_index(master.directory)  # once a run: every mail's sender is looked up
        # once read: a unit's own file, of the month its form says
        result.disputed += downloaded_from_links(ws, ledger, master.directory, tops, addresses, run_period)
        _weigh_evidence(ws, ledger, master, tops, twins, run_period, tz, result, addresses, months, expected is None)
        # two versions of a return in one archive or mail: the one meant is recorded last (QA263)
        result.disputed += order_versions(tops)
        # no file, or one behind a link (超大附件, W211): the unit wrote, its return is not here
        now = ws.now().replace(tzinfo=None, microsecond=0)  # has a link expired (W211)
        bare = bare_mails(tops, master.directory, run_period, addresses, tz, now)
        # a bounce (the unit's address did not take the office's mail), a blank form sent back
        result.disputed += notices(tops, addresses, months)

        # Archive every byte first (idempotent), record everything in one transaction, then
        # clear the inbox: a crash anywhere leaves work a re-run finishes exactly once, and
        # one durable commit instead of one per file keeps a month's collect quick.
        for top in progress(tops, "归档"):
            archive(ws, top, run_period)
            for it in top.walk():
                # Archived and checked: only a reply needs the bytes again, and it reads them
                # back from the archive (10,000 returns kept 170 MB alive into the merge).
                it.release()
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
                                                                failed=result.not_removed, lost=result.disputed):
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
        due_of: dict[Period, Deadlines] = {}
        doubted: dict[Period, frozenset[str]] = {}
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
                rep = it.report
                # a form of another month than the run's, 补报 of a merged month or not, a
                # first return for it or not: as likely this month's progress on the form the
                # unit had at hand as that month's, so the coordinator is asked; not when the
                # unit's form of the run's month came with it (QA279), nor when an earlier month's
                # came by that month's own deadline (the run's forms went out early, QA288)
                if (outcome == ACCEPTED and rep.unit and rep.period and rep.period != run_period
                        and id(it) not in beside):
                    if rep.period < run_period and by_own_deadline(ws, ledger, master, it, rep, due_of):
                        result.own_time.append((rep.unit, rep.period))
                    else:
                        result.elsewhere.append((rep.unit, rep.period, it.name))
                        # the first later month it owes, up to the run's (QA288)
                        if (meant := owed_after(months, rep.unit, rep.period, it.received_at)) and meant < run_period:
                            result.meant[(rep.unit, it.name)] = meant
                elif (outcome == ACCEPTED and rep.unit and rep.period == run_period
                      and (meant := owed_before(months, rep.unit, rep.period, it.received_at))):
                    # the run's form before its month was over from a unit owing an earlier month (QA370)
                    result.elsewhere.append((rep.unit, rep.period, it.name))
                    result.meant[(rep.unit, it.name)] = meant
                if outcome == ACCEPTED and rep.unit and rep.period:
                    result.disputed += weak_time_notes(ws, ledger, master, it, rep, due_of, doubted)
        # 佐证材料 of a unit whose return was taken, a blank form beside it: said, not refused (QA345)
        result.aside = set_aside.of_run(tops, lambda u, p: months.reported(months.names_of(u, p), p), run_period)
        aside = Counter(it.outcome for top in tops for it in top.walk() if it.receipt_id in result.aside)
        result.returned, result.unreadable = result.returned - aside[RETURNED], result.unreadable - aside[UNREADABLE]
        result.disputed += [(it.name, bare_mail_message(it, tz, now)) for it in bare if not it.unit or not
                            returns_of(ledger, master, it.period, master.directory.names_of(it.unit))]
        result.period = run_period
        result.periods = sorted({it.report.period for t in tops for it in t.walk()
                                 if it.report and it.report.period})
        if feedback:
            settled, result.owed = owed.settle(ws, ledger, master, replies.write_feedback)
            written, failed = replies.write(ws, master, replies.choose(ws, ledger, master, tops), progress)
            result.feedback = settled + replies.resume(ws, ledger, master, run_id) + written
            result.owed += owed.record(ledger, failed)
            result.no_email = replies.record(ws, ledger, master, result.feedback)
            replies.drop_empty_rounds(ws)
        ledger.finish_run(run_id, result.to_dict())
    log.info("收取完成：输入 %d 个，登记 %d 条，采纳 %d，退回 %d，无法读取 %d，重复 %d",
             result.inputs, result.receipts, result.accepted, result.returned,
             result.unreadable, result.duplicates)
    return result


def _settle_time(item: Item, tz: ZoneInfo, stated: dt.date | None,
                 carrier: Item | None = None) -> None:
    """Each received time as wall-clock time in the workspace's zone, with its source (`evidence.settle_time`,
    which times a download from a forwarded message's link too), what carries a file before the file."""
    settle_time(item, tz, stated, carrier)
    for child in item.children:
        _settle_time(child, tz, stated, item)


def _weigh_evidence(ws: Workspace, ledger: Ledger, master: Master, tops: list[Item],
                    twins: dict[int, Any], run_period: Period, tz: ZoneInfo,
                    result: CollectResult, addresses: dict[str, set[str]], months: EarlierMonths,
                    own_period: bool = False) -> None:
    """docs/design.md "Evidence rules": give every file a unit and a period, say where the
    evidence disagrees (W206), doubt impossible times (W207), mark 补报 (W209). ``own_period``:
    no --period was given, so a refused file of no readable month may go to one it was sent for.
    ``months``: the run's view of earlier months, read once (`meant_later` used it already)."""
    directory = master.directory
    now = dt.datetime.now(tz).replace(tzinfo=None, microsecond=0)
    # the collect's time on the office's clock (`Workspace.now`, as collected_at): a doubtful time's stand-in
    taken = ws.now().astimezone(tz).replace(tzinfo=None, microsecond=0)
    issued_at: dict[Period, dt.datetime | None] = {}
    deadlines: dict[Period, Deadlines] = {}  # a merged month's, read once for its 补报 (`after_merge`)
    current = ws.settings.period
    # this run's accepted returns: a unit whose June return came in this run no longer owes June
    # and the first of them to arrive, per unit and month: a second return of a merged month
    # in the same run is sent again (重报), though the first is not in the ledger yet
    first: dict[tuple[str, Period], Item] = {}
    for top in tops:
        for d in top.walk():
            if d.report is not None and d.report.unit and d.report.period and d.outcome == ACCEPTED:
                was = first.setdefault((d.report.unit, d.report.period), d)
                if d.received_at < was.received_at:
                    first[(d.report.unit, d.report.period)] = d
    weighed = unit_hints(tops, directory)  # an archive bundling several units' files names none (QA258)
    for top in tops:
        for it in top.walk():
            if it.outcome == CONTAINER or it.copy_of:  # the office's copy: its unit and period are known
                continue
            rep, hints = it.report, weighed.get(id(it), it.hints)
            by_address = sent_for_another(unit_of_address(it.sender, addresses) if it.sender else None,
                                          it.hints, directory)
            by_name = unit_in_names(hints, directory)
            # a month the file itself says: read by the check, or in its name, archive path or
            # subject for a file of no return (2022年7月_石龙镇_进展填报表.pdf)
            said = rep is not None and bool(rep.period_by)
            if rep is not None and rep.unit:
                _disagreement(it, rep, by_address, by_name, result, directory.resolve(rep.unit) or rep.unit,
                              directory, hints)
            else:
                twin = twins.get(id(it))  # a duplicate belongs where its first copy went
                unit, how, twin_period = None, "", None
                if twin is not None:
                    src = twin.report if getattr(twin, "report", None) is not None else twin
                    unit, how, twin_period = src.unit, src.identified_by, src.period
                    own = by_address or by_name
                    if own and unit and own != unit and _own_copy(twin, how):
                        _refuse_as_twin(ledger, it, twin)
                        unit, how = own, "发件人地址" if by_address else "文件名"
                if not unit and by_address:
                    unit, how = by_address, "发件人地址"
                if not unit and by_name:
                    unit, how = by_name, "文件名"
                if how == "发件人地址" and by_name and by_name != unit:
                    issue = make_issue("W206", said=evidence_words(how, it.sender, it.name), unit=unit,
                                       other=by_name, evidence=named_where(it, by_name, directory, hints),
                                       file=it.name)
                    it.issues.append(issue)
                    result.disputed.append((it.name, issue.message))
                hinted = period_in(it.hints)
                if rep is not None:
                    said = said or (rep.period is None and hinted is not None)
                    rep.unit, rep.identified_by = unit, how
                    rep.period = rep.period or hinted or run_period
                else:
                    said = hinted is not None
                    it.unit, it.identified_by = unit, how
                    it.period = twin_period or hinted or run_period
            period = rep.period if rep is not None else it.period
            if period is None:
                continue
            if own_period and period == run_period and not said:
                period = (_carried_with(top, it, rep) or _owed_before(months, directory, it, rep, run_period, first)
                          or period)
                if rep is not None:
                    rep.period = period
                else:
                    it.period = period
            if period not in issued_at:
                # The earlier of the issue and the period's first day: a month replayed later
                # (the demo, a coordinator catching up) must not doubt every return in it.
                start = dt.datetime.combine(period.start, dt.time())
                issued = months.issued_at(period)
                issued_at[period] = min(issued, start) if issued else start
            floor = (stated_floor(ledger, period, months.issued_at(period), ws.due(period))
                     if it.time_source == TimeSource.STATED else None)
            why = doubt(it.received_at, it.time_source, now=now, issued=floor or issued_at[period]) or (
                it.capped_from and doubt(it.capped_from, it.time_source, now=now, issued=issued_at[period]))
            capped = "" if why else capped_doubt(ws, ledger, master, it, rep)
            if why or capped:
                it.doubt = why or capped
                it.issues.append(make_issue("W207", reason=it.doubt, file=it.name))
                # ordered by arrival (a capped one by the forward's), decides no 逾期 (consolidate reads the source)
                it.received_at, it.time_source = it.received_at if capped else taken, TimeSource.DOUBTFUL
            if (rep is not None and rep.unit and rep.outcome == ACCEPTED and current
                    and period < current):
                merged = merged_at(ws, period, ledger.conn)  # the 汇总表's own time, on the office's clock
                if merged:
                    after_merge(ws, ledger, master, it, rep, period, merged,
                                first.get((rep.unit, period), it) is not it, months, result, deadlines)


def _disagreement(it: Item, rep: Report, by_address: str | None, by_name: str | None,
                  result: CollectResult, now: str, directory: Directory, hints: list[str]) -> None:
    """W206: the form says one unit, the sender's address or the file name another (or its
    填报单位 cell another than its _meta, found by the check: said on screen here). ``now``:
    the form's unit as 单位名录 names it today (the address and file name are read so): a
    merged unit's form of a past month is counted under the name it went to (`kept_apart`)."""
    found = next((i for i in rep.issues if i.code == "W206"), None)
    if found is not None:
        result.disputed.append((it.name, found.message))
        return
    for other, how in ((by_address, "发件人地址"), (by_name if rep.identified_by != "文件名" else None, "文件名")):
        if other and other not in (rep.unit, now):
            evidence = (named_where(it, other, directory, hints) if how == "文件名"
                        else evidence_words(how, it.sender, it.name))
            said = SAID.get(rep.identified_by, rep.identified_by or "填报表")
            issue = make_issue("W206", said=said, unit=rep.unit, other=other, evidence=evidence, file=it.name)
            rep.issues.append(issue)
            result.disputed.append((it.name, issue.message))
            return


def _own_copy(twin: Any, how: str) -> bool:
    """Whether a duplicate of an unreadable file another unit sent is its own sender's refused
    file (`_refuse_as_twin` makes it so). 石龙镇 and 石排镇 each mailed the same PDF from their own
    addresses: 石排镇's went in as a 重复 of 石龙镇's, 石排镇 stood 未报送 with no reply, and the
    office was told its address was 石龙镇's (QA252). Only a file known by its sender or name,
    never a form its _meta or rows name: those bytes are that unit's."""
    return twin.outcome == UNREADABLE and how in ("发件人地址", "文件名")


def _refuse_as_twin(ledger: Ledger, it: Item, twin: Any) -> None:
    """Make ``it`` 无法读取 with the reasons of ``twin``, its first copy (an Item of this run or
    a receipt of the ledger), instead of its 重复 (W204)."""
    if isinstance(twin, Item):
        found = twin.report.issues if twin.report is not None else twin.issues
    else:
        found = ledger.issues_of(twin.id)
    it.outcome = UNREADABLE
    it.issues = [i for i in it.issues if i.code != "W204"]
    it.issues += [replace(i, file=it.name) for i in found if i.severity == ERROR]


def _refused_unit(it: Item, rep: Report | None) -> str | None:
    """The unit of a refused or unreadable file, None for any other."""
    unit = rep.unit if rep is not None else it.unit
    outcome = rep.outcome if rep is not None else it.outcome or UNREADABLE
    return unit if outcome in (RETURNED, UNREADABLE) else None


def _carried_with(top: Item, it: Item, rep: Report | None) -> Period | None:
    """The period of a refused or unreadable file of no readable month sent in one mail or
    archive (``top``) with returns of its unit that say theirs: the scanned, stamped PDF beside
    June's form. Filed under the run's month, July, it made the town 退回待改 for July (a reply
    asked it for July's form) whatever its June return. None when they say several periods."""
    unit = _refused_unit(it, rep)
    periods = {d.report.period for d in top.walk() if d is not it and d.report is not None
               and d.report.unit == unit and d.report.period_by and d.report.period} if unit else set()
    return periods.pop() if len(periods) == 1 else None


def _owed_before(months: EarlierMonths, directory, it: Item, rep: Report | None, current: Period,
                 accepted: dict[tuple[str, Period], Item]) -> Period | None:
    """The period a refused or unreadable file of no readable month belongs to when it was
    sent before ``current``'s forms went out: that of its unit's latest accepted return sent
    since that period's forms went out and before it, unless the unit owes a later month, else
    the latest earlier one its unit was issued a form for and has no accepted return of (in the
    ledger or in this run, ``accepted``: collected in one run or two, the file goes to one
    month), else the latest earlier one it was issued at all. Filed under ``current`` it made
    the unit 退回待改 (and its June 未报送 stay) in a month it was not yet asked for; None otherwise."""
    unit = _refused_unit(it, rep)
    issued = months.issued_at(current)
    if not unit or issued is None or it.received_at >= issued:
        return None
    names = directory.names_of(unit)
    # the months a form went to it: not one it was exempt for (本期免报), which it owed nothing
    asked = [p for p, units in months.asked().items() if p < current and set(names) & units]
    # the stamped PDF mailed after July's form is its companion, as in one mail (`_carried_with`)
    sent = [(t, p) for p in asked for t in (months.accepted_at(names, p), *(
            accepted[(n, p)].received_at for n in names if (n, p) in accepted))
            if t is not None and months.issued_at(p) <= t < it.received_at]
    owed = next((p for p in asked if (unit, p) not in accepted and not months.reported(names, p)), None)
    # a June 补报 on 20 July is no companion of a file of 4 August while July is owed: filed
    # beside June's accepted return, it left July 未报送 though the unit had sent something
    if sent and (owed is None or max(sent)[1] > owed):
        return max(sent)[1]
    return owed or (asked[0] if asked else None)


def _name_renamed_units(ledger: Ledger, master: Master, items: list[Item], result: CollectResult) -> None:
    """A form refused as of no known unit (E201) whose unit name is one duban issued forms to,
    no longer in 单位名录: most likely the unit was renamed. Said on screen with what to do;
    the department's reply says only that the form was not recognised."""
    unknown = [it for it in items if it.report is not None and not it.report.unit
               and any(i.code == "E201" for i in it.report.issues)]
    if not unknown:
        return
    stale = {u for _, u in ledger.issued_tasks() if master.directory.resolve(u) is None}
    for it in unknown:
        message = next(i.message for i in it.report.issues if i.code == "E201")
        for name in sorted(stale):
            if f"“{name}”" in message:
                result.disputed.append((it.name, (
                    f"表中的单位“{name}”下发过填报表，但已不在单位名录中。如该单位已改名，请在单位名录中把"
                    f"“{name}”写进新名称的简称/别名，保存任务分工表后把文件放回收件箱，"
                    "再运行 duban collect（或双击“2-收取并汇总”）。")))
                break


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
                        note=_one_line(item.note), issues=issues, received_how=item.time_source,
                        unit=item.unit, period=item.period, identified_by=item.identified_by)
    item.receipt_id = rid
    record_office(ledger.conn, rid, item)  # the office's own file or mail back: by kind (`set_aside`)
    if (weak := weak_kind(item)) is not None:  # asked about while a unit stands 逾期 on it (`file_time`)
        record_weak_time(ledger.conn, rid, *weak)
    if item.report and outcome == ACCEPTED and item.report.unit and item.report.period:
        touched.add((item.report.unit, item.report.period))
    for child in item.children:
        _insert(ledger, child, rid, run_id, touched)


def _one_line(text: str) -> str:
    """Provenance for the ledger and the 收件登记 sheet: names from mails and zips arrive
    with bidi overrides, control characters and line breaks; none of them is kept."""
    return " ".join(clean(text).split("\n"))


def _finish_removal(ws: Workspace, ledger: Ledger, path: Path, receipt_id: int,
                    archive_rel: str, sha256: str, result: CollectResult) -> bool:
    """Remove an inbox file that an earlier run recorded but did not get to remove."""
    if remove_from_inbox(ws, path, archive_rel, sha256, verify=True, failed=result.not_removed,
                         lost=result.disputed):
        ledger.mark_cleared(receipt_id)
        return True
    return False
