"""Whether a unit's return of a period was on time: the deadline it is judged by (its own
form's, `issued_month.issued_dues`), the first valid return that decides 按时 or 逾期 (`timeliness`), and
the date a reply to a refused file asked for its correction by (`correction_by`, `reply_date`, `replied_on`).
Read by `consolidate` (the month's verdicts), collect (a late file's reply) and `feedback`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .dates import CLOCK_SLACK, cn_date, resubmit_by
from .ledger import Ledger, Receipt
from .ledger.answers import office_time
from .period import Period
from .vocab import Outcome, TimeSource, UnitState
from .workspace import Workspace

if TYPE_CHECKING:  # a type only: `duban status` makes no Draft class (test_qa347_status_start)
    from .ledger import Draft

ON_TIME, LATE = UnitState.ON_TIME, UnitState.LATE


def unit_due(ws: Workspace, period: Period, dues: dict[str, dt.date], due: dt.date, unit: str) -> dt.date:
    """The deadline ``unit`` is judged against: the date printed on its own form (``dues``:
    `Ledger.issued_dues`) as `Workspace.due` takes it, else the period's ``due``."""
    return ws.due(period, dues[unit]) if unit in dues else due


def timeliness(latest: Receipt, received: list[Receipt], due: dt.date,
               reply_by: ReplyDates | None = None) -> tuple[UnitState, Receipt]:
    """按时报送 or 逾期报送, and the receipt whose time decided it.

    The latest accepted return is what is merged; when the unit first sent a valid return
    decides whether it was late: an update sent after an on-time return, or the same file sent
    again (重复, whichever copy was read first), names no department 逾期. A doubtful time
    (W207) names none either: the coordinator checks it first, and a copy of the same bytes
    with the date the coordinator states (``collect --received``, as W207 asks) decides for
    it, as it does for a forwarded message's Date (`TimeSource.FORWARDED`). ``received``: the
    unit's receipts for the period, in the order received.

    A refused file does not count as a return, but the reply to it asked for the correction
    by a date (``reply_by``: `reply_date`), and a correction by the date the office's own
    reply named is on time: a file refused though sent on time, then each file refused
    before the date the reply before it asked for, names the date (a town that did as the
    reply asked stood 逾期报送 in the 通报). Only a correction sent after the refusal was
    collected answers a reply (`_answers`: on the office's clock, a sender's minutes behind
    given the benefit): one already sent by then (two mails collected in one run, or in two
    runs one after the other) is the unit's own late fix, judged by the deadline (QA264).
    A refusal answered by no reply at all still names the date a reply the day it was collected
    would have."""
    shas = {r.sha256 for r in received if r.outcome in (Outcome.ACCEPTED, Outcome.SUPERSEDED)}
    valid = [r for r in received if r.outcome in (Outcome.ACCEPTED, Outcome.SUPERSEDED)
             or (r.outcome == Outcome.DUPLICATE and r.sha256 in shas)] or [latest]
    # only a date the coordinator states: the same file sent again after the deadline by a
    # department that fixed its clock, or saved into the inbox today, says nothing of when
    # the first copy came
    stated = {r.sha256 for r in valid if r.received_how == TimeSource.STATED}
    # so does it of a forwarded message's own Date (`TimeSource.FORWARDED`): the office, asked
    # whether the message was sent to it, states when the forward brought it
    valid = [r for r in valid if r.received_how != TimeSource.FORWARDED or r.sha256 not in stated] or valid
    strong_at = ""  # when the office collected the first return found late on a time that stands
    for r in valid:
        if r.received_how == TimeSource.DOUBTFUL:
            # one collected after such a return came after it as far as anyone knows: the late return
            # stands, and the office is asked whether this one came earlier (`denied_grace`, QA403)
            if r.sha256 not in stated and not (strong_at and r.collected_at and strong_at < r.collected_at):
                return ON_TIME, r
        elif r.received.date() <= due:
            return ON_TIME, r
        elif r.collected_at and (not strong_at or r.collected_at < strong_at):
            strong_at = r.collected_at
    first = next((r for r in valid if r.received_how != TimeSource.DOUBTFUL), valid[0])
    asked = correction_by(received, due, reply_by, first) if reply_by is not None else None
    if asked and first.received_how != TimeSource.DOUBTFUL and first.received.date() <= asked:
        return ON_TIME, first
    return LATE, first


def correction_by(received: list[Receipt], due: dt.date, reply_by: ReplyDates,
                  first: Receipt | None = None) -> dt.date | None:
    """The date the office's replies asked a correction by, that a correction received by is
    按时报送 (`timeliness`), or None when no reply asked one: a file refused though sent by
    ``due``, then each file refused by the date the reply before it asked for, names the date
    (``reply_by``: `reply_date`). ``received``: the unit's receipts in the order received;
    ``first``: its first valid return, before which the refusals came. Only a refusal the office
    had collected before ``first`` was sent counts (`_answers`): a file sent before anyone could
    have replied is no answer to a reply. Decided by when, not by which run: one collect taking
    both, or two one after the other the same day, named the unit 逾期 and 按时 (QA264). Without
    ``first``, a unit 退回待改 may still correct on time until this date (`consolidate`)."""
    asked = None
    for r in received:
        if first is not None and r.id == first.id:
            break
        # a refused file whose own time was doubtful (W207) is timed by its collect: collected by the
        # date, it came by it; collected after, when it came is not known, and a doubt names no unit
        # 逾期 (README 存疑的时间): its reply's date counts, and the office is asked
        # (`file_time.refused_on_doubt`: a town stood 逾期, nothing asked, QA403)
        if (r.outcome in (Outcome.RETURNED, Outcome.UNREADABLE)
                and (r.received_how == TimeSource.DOUBTFUL or r.received.date() <= (asked or due))
                and (first is None or _answers(first, r, reply_by))):
            asked = reply_by(r)
    return asked


def later_correction(received: list[Receipt], due: dt.date, reply_by: ReplyDates) -> dt.date | None:
    """`correction_by` of a unit 退回待改, when later than ``due``: until then it may still correct on
    time (`Consolidation.fix_by`)."""
    asked = correction_by(received, due, reply_by)
    return asked if asked and asked > due else None


def graced_by(received: list[Receipt], due: dt.date, reply_by: ReplyDates, first: Receipt) -> dt.date | None:
    """The date a reply to a refused file asked the correction by (`correction_by`), when ``first``,
    the unit's first valid return (`timeliness`), is 按时报送 only by it: sent after ``due``, by that
    date. None for any other: on time by ``due``, by a doubtful time (W207), or late. A 报送时间 past
    the deadline beside 按时报送 read as duban's mistake: 报送情况 and `status` say why (`grace_words`)."""
    if first.received_how == TimeSource.DOUBTFUL or first.received.date() <= due:
        return None
    asked = correction_by(received, due, reply_by, first)
    return asked if asked and first.received.date() <= asked else None


def grace_words(received: list[Receipt], due: dt.date, reply_by: ReplyDates, first: Receipt) -> str:
    """Why ``first`` is 按时报送 when `graced_by` a reply's date, its 报送时间 past ``due``, in the
    words the 通报 uses of a unit still 退回待改 (`actions.memo`: 退回意见要求于…前改报); or when
    ``first``'s own time was doubtful (W207) and the collect's, taken instead, is past ``due``: no
    逾期 on a doubt (QA388); '' for any other: 报送情况's 报送文件 and `duban status` say it beside
    the time (QA346)."""
    if first.received_how == TimeSource.DOUBTFUL:
        return DOUBT_WORDS if first.received.date() > due else ""
    asked = graced_by(received, due, reply_by, first)
    return f"退回后于退回意见要求的{cn_date(asked)}前改报，算按时报送" if asked else ""


#: why a 报送时间 past the deadline is 按时 when it is the collect's, the file's own doubtful (`grace_words`)
DOUBT_WORDS = "原报送时间存疑，报送时间为收取时间，已过截止日期，未据此判定逾期"


def held_to(received: list[Receipt], due: dt.date, reply_by: ReplyDates, first: Receipt) -> dt.date:
    """The date a unit's ``first`` valid return was judged by (`timeliness`): the date a reply to a
    refused file asked its correction by (`correction_by`), when later than ``due``. A weak time
    (the mailbox's, beside the mail's own Date) is weak evidence of a 逾期 by this date, not by
    ``due``: a correction dated by the reply's date is asked about, not named 逾期 (QA300)."""
    return max(due, correction_by(received, due, reply_by, first) or due)


def _answers(correction: Receipt, refused: Receipt, reply_by: ReplyDates) -> bool:
    """Whether ``correction`` may have answered the reply to ``refused``: sent after the office
    collected it (`ReplyDates.collected`, its clock). A file the office already held then (taken
    by the same collect or an earlier one) answered nothing, whatever its time says (a sender's
    clock ahead, a day stated for the collect's day). One collected later is given the benefit
    of its clock: a time within `dates.CLOCK_SLACK` before the collect (a department's PC
    minutes behind the office's, answering at once) may be after it; a day the office stated
    (``collect --received``, no hour) on the collect's day may too."""
    if correction.run_id is not None and refused.run_id is not None:
        if correction.run_id <= refused.run_id:
            return False
    elif reply_by.collected(correction) <= reply_by.collected(refused):
        return False
    collected = reply_by.collected(refused)
    if correction.received_how == TimeSource.STATED:
        return correction.received.date() >= collected.date()
    return correction.received > collected - CLOCK_SLACK


def denied_grace(latest: Receipt, received: list[Receipt], due: dt.date,
                 reply_by: ReplyDates, weak: Callable[[Receipt], bool]) -> Receipt | None:
    """Of a unit `timeliness` judges 逾期, the refused file timed by weak evidence (``weak``: its
    modification time, `TimeSource.MTIME`, saved into 收件箱 by hand, often days after it was sent;
    consolidate's also a weak mail time, `file_time.weak_how`: an inline forward's Date, QA235)
    past ``due`` that alone denied the correction the date its reply would have asked
    (`correction_by`): had it come by ``due``, as a day the office states for it would time it
    (`file_time.stated_times`), the unit would be 按时报送; or a return timed by its collect, its own
    time doubtful, collected after the return the unit stands 逾期 on (QA403). None: no such file."""
    for r in received:
        # or a return whose own time was doubtful (W207), collected after one found late (`timeliness`)
        if (r.received.date() > due and (r.received_how == TimeSource.DOUBTFUL
                                         or (r.outcome in (Outcome.RETURNED, Outcome.UNREADABLE) and weak(r)))
                and timed_as(latest, received, due, reply_by, r, TimeSource.STATED, f"{due} 00:00:00") == ON_TIME):
            return r
    return None


def timed_as(latest: Receipt, received: list[Receipt], due: dt.date, reply_by: ReplyDates, r: Receipt,
             how: TimeSource, at: str = "") -> UnitState:
    """`timeliness`'s verdict had ``r``, one of ``received``, been timed by ``how`` (at ``at``, a
    ledger time: 2022-07-04 00:00:00; '' keeps its own): the probe of a file whose time the office
    is asked about, as a day it states would time it (`denied_grace`), as any other file's time
    (`file_time.refused_on_doubt`), or as its forward's time would (`file_time.forwarded_on_time`).
    A time moved moves the file to its turn (``received``: in the order received)."""
    moved = dataclasses.replace(r, received_how=how, **({"received_at": at} if at else {}))
    again = [moved if x.id == r.id else x for x in received]
    if at:
        again.sort(key=lambda x: (x.received_at, x.id))
    return timeliness(moved if latest.id == r.id else latest, again, due, reply_by)[0]


class ReplyDates:
    """The date the reply to a refused receipt asked for its correction by (`dates.resubmit_by`
    from the day the reply was written, ``replied``: `replied_on`; else the day the receipt
    was collected, in the workspace's zone), called with the receipt; `collected`: when the
    office had it, before which no correction answers its reply (`correction_by`)."""

    def __init__(self, ws: Workspace, due: dt.date, replied: dict[int, dt.date] | None = None):
        self.due, self.tz, self.days = due, ws.tz, ws.settings.resubmit_working_days
        self.replied = replied or {}

    def __call__(self, receipt: Receipt) -> dt.date:
        day = self.replied.get(receipt.id)
        if day is None:
            day = self.collected(receipt).date()
        return resubmit_by(self.due, day, self.days)

    def collected(self, receipt: Receipt) -> dt.datetime:
        """When ``receipt`` was collected, on the office's clock (the ledger keeps the machine's
        wall time, `office_time`), as times of receipt are kept."""
        return office_time(receipt.collected_at, self.tz)


def reply_date(ws: Workspace, due: dt.date, replied: dict[int, dt.date] | None = None) -> ReplyDates:
    """`ReplyDates` of ``due``'s month."""
    return ReplyDates(ws, due, replied)


def replied_on(ledger: Ledger, period: Period, tz: dt.tzinfo | None) -> dict[int, dt.date]:
    """Per receipt, the day the (last) reply answering it was written: a reply a stopped or
    failed run owed is written by a later run and asks from that day, not the collect's
    (the town that did as it asked stood 逾期报送). The day is the reply's dated folder
    (反馈/<期>/<日期>/, `feedback.feedback_paths`: the workspace's day, whatever the clock's zone;
    else when the ledger recorded it, on the office's clock, ``tz``: `office_time`)."""
    out: dict[int, dt.date] = {}
    for d in ledger.drafts("feedback", period, live_only=False):
        if d.receipt_id is None:
            continue
        day = reply_day(d, tz)
        out[d.receipt_id] = max(day, out.get(d.receipt_id, day))
    return out


def reply_day(d: Draft, tz: dt.tzinfo | None) -> dt.date:
    """The day the reply draft ``d`` was written: its dated folder (反馈/<期>/<日期>/), else
    when the ledger recorded it, on the office's clock (`replied_on`, `drafts.passed_date`)."""
    try:
        return dt.date.fromisoformat(d.path.split("/")[-2])  # posix, relative to the root
    except (ValueError, IndexError):
        return office_time(d.created_at, tz).date()
