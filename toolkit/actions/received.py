"""`duban received`: the office's answer to the 请核实 line about a unit 逾期 on its file's
modification time, on a weak time a mail gave (a forward's, the mailbox's), or on a refused
file's that denied its correction the reply's grace (`file_time`): the day it really got the
file, that the time is right, or take the answer back.

The answer is kept in the ledger (``time_answers``, by receipt) and read by every
consolidation: a stated day times the file as a day ``collect --received`` states does
(`file_time.stated_times`), so the unit is judged by it with no file dug out of 归档; a time
confirmed leaves 逾期 standing and is said instead of the question. The result says the verdict
before and after, so that a 按时 or 逾期 the answer makes is never silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import errors
from ..file_time import DOUBTFUL, FileTime, refuse_after_today, refuse_before_month, refused
from ..ledger import Ledger
from ..ledger.answers import answer_time, office_time
from ..period import Period
from ..workspace import Workspace
from .sender import ASKED_AGAIN, then, unit_verdict


@dataclass
class TimeAnswer:
    """What `answer_received` recorded: the file answered about (as asked or answered before),
    the day stated (None: the file's time is right), whether it was taken back, and the unit's
    报送状态 and 报送时间 before and after."""

    period: Period
    unit: str
    file: FileTime
    on: dt.date | None
    undone: bool
    before: tuple[str, str]
    after: tuple[str, str]
    #: taken back, the unit stands 逾期 on the file's time again: the question is asked again
    asked_again: bool = False

    @property
    def changed(self) -> bool:
        """The answer changed the unit's verdict: no 汇总表 or 通报 made before says it yet."""
        return self.after != self.before

    def line(self) -> str:
        """What was recorded, and the verdict it leaves (`duban received`, `duban verify`)."""
        f, unit = self.file, self.unit  # the 名录's name of --dept
        file = f"{unit} {self.period.label}的“{f.receipt.name}”"
        verdict = then(unit, self.before, self.after)
        if self.undone:
            what = f"的收到日期 {f.stated_on}" if f.stated_on else f"{f.how}无误的核实"
            return f"已撤销：{file}{what}；{verdict}。{ASKED_AGAIN if self.asked_again else ''}"
        if self.on is not None:
            # a refused file's day times its refusal, from which the reply's grace runs (`file_time`)
            what = "收到" if refused(f.receipt) else "报送"
            return (f"已记录：{file}（{f.how} {f.receipt.received_at[:16]}）实际于 {self.on.isoformat()} 收到，"
                    f"按该日期计{what}时间；{verdict}。")
        if f.how == DOUBTFUL and f.late_return is not None and not refused(f.receipt):  # QA403
            return (f"已记录：{file}（报送时间存疑，收取时间 {f.receipt.received_at[:16]}）确是在“{f.late_return.name}”"
                    f"之后收到的；{verdict}。汇总、查看报送情况和生成通报时不再提示。")
        if f.how == DOUBTFUL:  # the collect's time is no answer: the file came on time (QA388)
            return (f"已记录：{file}（报送时间存疑，收取时间 {f.receipt.received_at[:16]}）确是按时收到的；{verdict}。"
                    "汇总、查看报送情况和生成通报时不再提示。")
        return (f"已记录：{file}的{f.how}（{f.receipt.received_at[:16]}）无误；{verdict}。"
                "汇总、查看报送情况和生成通报时不再提示。")


def answer_received(ws: Workspace, period: Period, unit: str, on: dt.date | None, undo: bool = False,
                    receipt_id: int | None = None) -> TimeAnswer:
    """Record when the office really got the file ``unit`` stands 逾期 on by its modification
    time or a weak mail time (`FileTime.how`) (``on``), or that the time is right (None);
    ``undo`` takes back the latest answer.
    Answering again changes the answer (a day stated for the file, then --confirm).
    ``receipt_id``: the file the office was shown (`duban verify`): refused (`FileChanged`)
    when the unit stands 逾期 on another file by now, never recorded against that one; with
    ``undo``, the answer about that file is taken back (verify lists each answer recorded),
    not the unit's latest."""
    unit, before, cons = unit_verdict(ws, period, unit)
    mine = [f for f in cons.file_times if f.unit == unit]
    answered = max((f for f in mine if f.answered_at and receipt_id in (None, f.receipt.id)),
                   key=lambda f: f.answered_at, default=None)
    if undo:
        if answered is None:
            raise errors.UsageError(f"{unit} 在{period.label}没有已记录的收到日期或报送时间核实，无需撤销。")
        target = answered
    else:
        # the file the unit stands 逾期 on; else the one a day was stated for (answered again)
        target = next((f for f in mine if f.due), None) or max(
            (f for f in mine if f.stated_on), key=lambda f: f.answered_at, default=None)
        if receipt_id is not None and target is not None:
            if not target.due:  # a day a colleague stated meanwhile: answered, not asked
                target = None
            elif target.receipt.id != receipt_id:
                raise errors.FileChanged(
                    f"{unit} {period.label}计为逾期报送所依据的文件已变为“{target.receipt.name}”"
                    f"（{target.receipt.received_at[:16]}），不是刚才显示的那一份（可能有同事刚收取了文件），"
                    "此项没有记录。")
        if target is None:
            # neutral: `received` also answers a 按时 on a forwarded message's own time (QA374)
            raise errors.UsageError(f"{unit} 在{period.label}没有需要核实报送时间的报送（按文件修改时间、转发邮件或"
                                    "邮箱收到时间计为逾期，或只按被转发的原邮件的发送时间、存疑的报送时间计为按时的），"
                                    "无需核实（见 duban status 的“请核实”）。")
        if on is None and target.due and target.answered_at:
            raise errors.UsageError(f"{unit} {period.label}的“{target.receipt.name}”的{target.how}已记录为无误，"
                                    "无需再次运行。")
        today = ws.now().date()
        refuse_after_today(on, today)
        refuse_before_month(on, period)  # a return of June received in May: a typo (QA222)
    with Ledger(ws.ledger_path) as ledger:
        issued = None if on is None or undo else issue_day(ledger, period, target, today, ws.tz)
        if issued is not None and on is not None and on < issued:
            raise errors.UsageError(f"收到日期 {on.isoformat()} 早于{period.label}的填报表下发"
                                    f"（{issued.isoformat()}），填报表下发之前不会收到报送，请写实际收到报送的日期。")
        answer_time(ledger.conn, target.receipt.id, on.isoformat() if on else None, not undo)
    _, after, cons = unit_verdict(ws, period, unit)
    again = undo and any(f.unit == unit and f.due and not f.answered_at for f in cons.file_times)
    return TimeAnswer(period, unit, target, on, undo, before, after, again)


def issue_day(ledger: Ledger, period: Period, file: FileTime, today: dt.date,
              tz: dt.tzinfo | None) -> dt.date | None:
    """The day ``period``'s forms first went out (`Ledger.issued_at`), before which no return of
    it was received (collect doubts such a time, W207); None when it bounds nothing: not
    recorded (a ledger before version 4), or recorded after the file's own time or today. A
    month replayed or caught up on later (the demo, forms first sent by hand) recorded its
    issue after its returns came: as collect does (`collect`'s ``issued_at``), such an issue
    refuses no day, and the period's start still does; nor does a day after a return of the
    month the ledger holds from before the issue was recorded."""
    issued = ledger.issued_at(period)
    if issued is None:
        return None
    day = office_time(issued, tz).date()  # the machine's clock, read on the office's (`office_time`)
    if day > min(today, dt.date.fromisoformat(file.receipt.received_at[:10])):
        return None  # recorded after the file came, or after today: it bounds nothing
    # a return of the month received before the issue was recorded: the forms were out by then
    # (sent by hand, duban taken up mid-month), and a day before the record may be true (QA250).
    # It only ever lowers the bound: a month whose issue bounds nothing (replayed later) is not
    # given one by its earliest return (a mail of 8 July refused the 4 July its link's file came)
    first = ledger.first_return_at(period, file.receipt.id)
    if first and first[:10] < day.isoformat():
        day = dt.date.fromisoformat(first[:10])
    return day
