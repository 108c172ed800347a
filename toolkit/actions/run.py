"""`duban run` (一键月报): fetch the office mailbox (when set up), collect, merge, memo, for one period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import errors, parallel
from ..consolidate import Consolidation, consolidate
from ..ledger import Ledger
from ..logs import log
from ..period import Period
from ..progress import Progress, no_progress
from ..vocab import UnitState
from ..workspace import Workspace, earlier_due, last_due
from .collect import CollectResult, collect
from .memo import MemoResult, add_pdf, write_memo
from .merge import MergeResult, merge

if TYPE_CHECKING:  # the mailbox's modules (keyring, imaplib, ssl) load only for an office that has one
    from .mail import FetchResult

#: `run --no-fetch` collects 收件箱 only: an office whose returns arrive in its mailbox must
#: hear that its mail was not looked at, not "put files in 收件箱" or "nothing new came", on
#: every such run (with new files in 收件箱 too: the way on the fetch error itself gives)
FETCH_HINT = "本次没有收取邮箱（--no-fetch）：邮箱中新到的报送，去掉 --no-fetch 再运行 duban run 即可收取。"
#: what a run that went on without the mailbox adds (it merged, and wrote a 通报)
NOT_READ = "未收取的报送没有计入，其单位可能被误列为未报送。"
#: said where `run` stops because the mailbox could not be fetched (`mail.fetch_first`)
NOT_RUN = "没有汇总，也没有生成通报"
#: how `run` finding nothing of the month says to make the earlier one due (`earlier_due`)
RERUN = "请重新运行，询问期次时输入 {period}。"


@dataclass
class RunResult:
    """What one monthly run did and where its outputs are."""

    period: Period
    collected: CollectResult
    merged: MergeResult
    memo: MemoResult | None
    memo_error: str = ""
    #: returns come by mail ([mail] imap_host set)
    mailbox: bool = False
    #: what was fetched from the mailbox before collecting (None: no mailbox, or --no-fetch)
    fetched: FetchResult | None = None

    @property
    def fetch_hint(self) -> str:
        """That a mailbox office's mail was not fetched (`FETCH_HINT`, '' else): its 通报 may
        name 未报送 a unit whose return waits there."""
        return FETCH_HINT + NOT_READ if self.mailbox and self.fetched is None else ""

    @property
    def missing_units(self) -> list[str]:
        """The units 未报送 past their deadline (those not yet due: `waiting_units`)."""
        cons = self.merged.consolidation
        return [u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED and u.unit not in cons.waiting]

    @property
    def waiting_units(self) -> list[str]:
        """The units 未报送 whose deadline has not passed (`Consolidation.waiting_units`)."""
        return self.merged.consolidation.waiting_units

    @property
    def returned_units(self) -> list[str]:
        return [u.unit for u in self.merged.consolidation.units if u.state == UnitState.TO_FIX]


class NothingReceived(errors.NothingToDo):
    """Nothing of the period was received: the run stops before merging (exit 1, 提示), after
    saying what it fetched and collected (``fetched``, ``collected``: a June 补报 filed under
    June by July's run, a mail too big to fetch)."""

    def __init__(self, message: str, fetched: FetchResult | None, collected: CollectResult):
        super().__init__(message)
        self.fetched, self.collected = fetched, collected


def run_cycle(ws: Workspace, period: Period | None = None, pdf: bool = False,
              progress: Progress = no_progress, fetch: bool = True, issue_date: dt.date | None = None) -> RunResult:
    """Fetch the office mailbox (``fetch``, when [mail] sets one up), collect the inbox for
    ``period``, merge, and write the memo (one consolidation for both), dated ``issue_date``
    (the office's today when None; `duban demo` gives its simulated day).

    A mailbox that cannot be fetched stops the run before anything is merged
    (`mail.fetch_first`): the 通报 would name 未报送 units whose returns sit in it.
    """
    target = ws.period(period)
    mailbox = bool(ws.settings.mail.imap_host)
    fetched = None
    if fetch and mailbox:
        from . import mail  # keyring, imaplib and ssl: only for an office that has a mailbox

        fetched = mail.fetch_first(ws, NOT_RUN, "duban run --no-fetch", progress, target)
    # the period the office confirmed at the double-click's prompt: a June 补报 that July's run
    # fetched is June's, as a collect without --period files it (QA188)
    collected = collect(ws, target if period else None, progress, file_owed=True)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        received = ledger.receipts(target)
    if not received and collected.inputs:  # it read files, but none was this period's
        filed = "、".join(f"{unit}（{period.label}）" for unit, period, _ in collected.elsewhere)
        raise NothingReceived(
            f"{target.label}还没有收到任何报送：本次收到的 {collected.inputs} 个文件已登记，"
            + (f"但是其他期次的填报表：{filed}。" if filed else "但都不是本期的报送。")
            + f"请核实；如果填的是{target.label}的进展，请相关单位用本期下发的填报表重报。", fetched, collected)
    if not received:
        # past the deadline, a month nobody reported is still a month to report (均未报送):
        # merge and memo make it, once the office has checked that nothing was missed; not
        # while a mail too big to fetch may hold a return (its line said with the summary)
        due = last_due(ws, target)
        big = fetched is not None and bool(fetched.too_big or fetched.too_big_before)
        past = (f"报送截止日（{due.month}月{due.day}日）已过：核实确实无人报送后，可运行 duban merge 和 "
                "duban memo（或双击“2-收取并汇总”和“3-生成通报”），"
                "生成各单位均未报送的汇总表和通报。" if due and ws.now().date() > due and not big else "")
        if fetched is not None:  # and what it could not take (a mail too big): said nowhere else
            put = "".join([fetched.summary(), *fetched.problems, *fetched.big_before()])
        else:
            put = FETCH_HINT if mailbox else f"请把报送的文件、邮件或压缩包放进“{ws.inbox.name}”文件夹后再运行。"
        raise NothingReceived(f"收件箱是空的，{target.label}还没有收到任何报送。{put}{past}"
                              f"{earlier_due(ws, target, '汇总表和通报', RERUN)}",
                              fetched, collected)
    cons = consolidate(ws, target)
    # The memo is filled in a second process while this one writes the workbook: both come
    # from the one consolidation and touch different files (W1: run 100 ms shorter). The
    # PDF is made here afterwards, so that LibreOffice is never a worker's child.
    job = (ws, target, cons, issue_date)
    with parallel.Background(_memo_job, job) as memo_job:
        merged = merge(ws, target, cons)
        memo_result, memo_error = None, ""
        try:
            try:
                memo_result = memo_job.result()
            except parallel.WorkerLost:  # its process died (memory?): fill it here instead
                log.warning("通报进程意外退出，改在主进程中生成通报")
                memo_result = _memo_job(job)
        except errors.DubanError as exc:
            # The consolidated workbook is safe; a broken memo template must not hide it.
            memo_error = exc.message
            log.error("通报未生成：%s", exc.message)
    if memo_result is not None and pdf:
        memo_result = add_pdf(memo_result)
    return RunResult(target, collected, merged, memo_result, memo_error, mailbox, fetched)


def _memo_job(job: tuple[Workspace, Period, Consolidation, dt.date | None]) -> MemoResult:
    ws, period, cons, issue_date = job
    return write_memo(ws, period, None, False, issue_date=issue_date, consolidation=cons)
