"""Returns 逾期 on a file's modification time, for the office until it answers (QA216).

(`weak_times` holds what collect says once of any weak time; this module, the question kept
open for a file's modification time and the office's answers to it.)

A file put into 收件箱 by hand (saved from a mail client, copied from a USB stick) is timed by
its modification time (`vocab.TimeSource.MTIME`): often the day it was saved, days after the
department sent it. `collect` says so once, on that run's screen (`evidence.late_on_weak_evidence`);
a week later status, the 汇总表 and the 通报 named the unit 逾期 in public with nothing said
since (the demo month: five units). While a unit stands 逾期 on such a time, the question is
asked again before they go out (`Consolidation.office_notes`: status, merge, memo, run; exit 1),
as for a W206 file (`disputed`) or a mail too big to fetch (`too_big`).

The office answers without digging the file out of 归档 (`actions.received`, kept in the
ledger's ``time_answers``): ``duban received --on 2022-07-04`` states when it really got the
file, which then times the unit as a date ``collect --received`` states does (`stated_times`,
read by `issued_month.received_of`: one rule for `on_time.timeliness`); ``--confirm`` says the
file's time is right: 逾期 stands, and the answer is said instead (`Consolidation.told`, exit 0).
``--undo`` takes either back.

A refused file so timed (QA231) is asked about too: saved into 收件箱 after the deadline, its
refusal gives the correction no grace (`on_time.correction_by`), and a correction sent within
the working days the reply named stood 逾期 with nothing said. While the unit stands 逾期 on
that alone (`on_time.denied_grace`), the office is asked about the refused file
(`FileTime.late_return`: the return judged late), and answers it as above: a day stated times
the refused file, and the reply's date then holds the correction to it.

So is a unit 逾期 on a weak time a mail gave (QA234; `weak_how`, `FileTime.how`): the Date of a
mail forwarded inline (转发：, a colleague passing it on days later), the forward's time where the
forwarded message has no usable Date of its own (none, or one later than the forward: capped,
`evidence.cap_at_carrier`), or the mailbox's receive time (IMAP INTERNALDATE: a server's queue,
a client's upload) while the mail's own Date is by the deadline. Collect, which alone reads the
mail, keeps why by receipt (`ledger.time_basis`); the question and its answers are the same.

So, the other way, is a unit 按时 on a forwarded message's own Date whose forward reached the
office after the deadline (QA374; `forwarded_on_time`, `FileTime.forward_at`): whom the message
was for cannot be told (`TimeSource.FORWARDED`: to a clerk's own mailbox, or a town's forward of
its village's mail), and collect said so once. ``--on`` the forward's day times the unit by the
forward; ``--confirm`` says the message was sent to the office: 按时 stands, said instead.

So is a unit 按时 on a doubtful time (W207: a PC's clock a year behind, a Date in the future) that
collect replaced by its own, after the deadline (QA388; `doubtful_on_time`): no 逾期 is named on a
doubt, but the office had the file only then. ``--on`` states when it came; ``--confirm`` says it
came on time: 按时 stands, said instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import errors
from .ledger import Ledger, Receipt
from .ledger.answers import on_office_clock, time_answers, undo_hint
from .ledger.time_basis import FORWARD, FORWARDED, INLINE, MAILBOX, weak_times
from .on_time import timed_as
from .period import Period
from .vocab import Outcome, TimeSource, UnitState

if TYPE_CHECKING:  # made where there is one (`office_cases` says why)
    from .office_cases import FileTime

#: after a question's commands: 5-逐条核实 asks the same question (`actions.verify`), and an office
#: that works by double-click has no ``duban`` to type (QA283's lines, QA299)
BY_CLICK = "也可双击“5-逐条核实”逐条回答。"


def command(period: Period, unit: str, answer: str) -> str:
    """The command that answers the question about ``unit`` (``answer``: --on 日期, --confirm, --undo)."""
    return f"duban received --period {period} --dept {unit} {answer}"


def refuse_after_today(day: dt.date | None, today: dt.date) -> None:
    """A received day the office states (``collect --received``, ``received --on``) that has not
    come: a typo, trusted as stated (W207 doubts no stated day), and a unit would stand 逾期报送
    in the 通报 on it (QA342: ``collect --received`` took it without a word)."""
    if day is not None and day > today:
        raise errors.UsageError(f"收到日期 {day.isoformat()} 晚于今天（{today.isoformat()}），请写实际收到报送的日期。")


def refuse_before_month(day: dt.date | None, period: Period, then: str = "") -> None:
    """A received day the office states before ``period`` began (``received --on``, QA222; the
    run's month for ``collect --received``): a year typed wrong (2026-01-05 for 2027-01-05), and
    a unit late by its deadline would stand 按时报送 on it. ``then``: what else to do, said after
    (collect: a file of an earlier month received then is collected under its month)."""
    if day is not None and day < period.start:
        raise errors.UsageError(f"收到日期 {day.isoformat()} 早于{period.label}开始（{period.start.isoformat()}），"
                                f"{period.label}的报送不会在此之前收到，请写实际收到报送的日期{then}。")


def stated_floor(ledger: Ledger, period: Period, issued: dt.datetime | None, due: dt.date) -> dt.datetime | None:
    """The earliest a day the office states for a return of ``period`` (``collect --received``) may be,
    W207 doubting one before it: when its forms first went out (``issued``: `EarlierMonths.issued_at`),
    or the month's earliest return the ledger holds if earlier (forms sent by hand before duban
    recorded the issue, as `received.issue_day` takes it for ``received --on``). Not the period's
    start: 2022-06-14 typed for 07-14, forms out on 1 July, made a late unit 按时 unasked (QA403).
    None: no issue recorded, or recorded after the deadline ``due``: a month caught up on later (the
    demo, forms sent by hand), whose returns came before duban knew of its forms."""
    if issued is None or issued.date() > due:
        return None
    first = ledger.first_return_at(period, 0)
    return min(issued, dt.datetime.fromisoformat(first)) if first else issued


def stated_time(day: dt.date) -> dt.datetime:
    """The time a day the office states stands for (``collect --received``, ``received --on``):
    its midnight, so that a return that day is never later than another of the same day."""
    return dt.datetime.combine(day, dt.time())


def late_on_file_time(unit: str, when: str, due: dt.date, period: Period) -> str:
    """What is said of ``unit`` 逾期 on its file's modification time (``when``: 2022-07-06 10:52),
    by collect once and by `file_time_notes` until answered: one text, said once by `run`."""
    return (f"{unit}按文件修改时间（{when}）计为逾期报送（截止 {due:%Y-%m-%d}）。如实际按时收到，请运行 "
            f"{command(period, unit, '--on 收到日期')}，按收到日期计报送时间；如文件修改时间就是收到时间，请运行 "
            f"{command(period, unit, '--confirm')}，此提示即不再出现。" + BY_CLICK)


def late_on_weak_time(unit: str, how: str, when: str, but: str, due: dt.date, period: Period) -> str:
    """What is said of ``unit`` 逾期 on a weak time a mail gave (``how``: 转发邮件的发送时间; ``but``:
    why it may not be when the department sent it; `weak_words`), by collect once and by
    `file_time_notes` until answered: one text, said once by `run`."""
    # "may be later" said of ``how`` by name: after ``but``, which ends on another time (the
    # mail's own Date, on time), it read as said of that one (QA236)
    return (f"{unit}按{how}（{when}）计为逾期报送（截止 {due:%Y-%m-%d}）{but}；{how}可能晚于单位实际报送的时间。"
            f"如实际按时收到，请运行 {command(period, unit, '--on 收到日期')}，按收到日期计报送时间；"
            f"如按{how}计为逾期报送无误，请运行 {command(period, unit, '--confirm')}，此提示即不再出现。" + BY_CLICK)


#: what a forwarded message's own Date is called where the unit stands 按时 on it (`forwarded_on_time`)
FORWARDED_DATE = "被转发的原邮件的发送时间"


def on_time_on_forward(unit: str, when: str, forward_at: str, due: dt.date, period: Period) -> str:
    """What is said of ``unit`` 按时 on a forwarded message's own Date (``when``) not known to have
    been sent to the office, whose forward reached it after ``due`` (``forward_at``), by collect
    once (`evidence.on_time_on_weak_evidence`) and by `file_time_notes` until answered: one text,
    said once by `run`. Only the office knows whom the message was for."""
    return (f"{unit}按{FORWARDED_DATE}（{when}）计为按时报送（截止 {due:%Y-%m-%d}），转发邮件到督办部门的时间是 "
            f"{forward_at}；原邮件的收件人不是 duban.toml [mail] 中的邮箱，也不全是单位名录中的单位邮箱，"
            "不能确认它是发给督办部门的。如原邮件不是发给督办部门的（如单位内部转给领导审核、村委会发给镇里，"
            f"再由其转发），请运行 {command(period, unit, '--on ' + forward_at[:10])}，按转发邮件到督办部门的日期计"
            f"报送时间；如原邮件是发给督办部门的，请运行 {command(period, unit, '--confirm')}，此提示即不再出现。"
            + BY_CLICK)


#: what a doubtful time (W207) is called where a unit stands 按时 on it (`doubtful_on_time`): the
#: time collect took instead, the collect's own
DOUBTFUL = str(TimeSource.DOUBTFUL)


def on_time_on_doubt(unit: str, when: str, reason: str, due: dt.date, period: Period) -> str:
    """What is said of ``unit`` 按时 on a doubtful time (W207: ``reason``, the file's own time in the
    future or before the month) that collect replaced by its own (``when``), after ``due``, by
    collect once (`weak_times.weak_time_note`) and by `file_time_notes` until answered: one text,
    said once by `run`. A doubtful time names no unit 逾期 (README 存疑的时间: the benefit of the
    doubt), but the office had the file only after the deadline, and only it can say when it came."""
    why = f"：{reason}" if reason else ""
    return (f"{unit}的报送时间存疑{why}；已按收取时间（{when}）登记，收取时间已过截止日期（{due:%Y-%m-%d}），"
            "但存疑的时间不作逾期依据，暂计为按时报送。如知道实际收到的日期，请运行 "
            f"{command(period, unit, '--on 收到日期')}，按收到日期计报送时间（截止后收到的计为逾期报送）；"
            f"如确是按时收到的，请运行 {command(period, unit, '--confirm')}，仍计为按时报送，此提示即不再出现。"
            + BY_CLICK)


def doubt_beside_late(unit: str, doubtful: Receipt, reason: str, due: dt.date, late: Receipt) -> str:
    """The facts of ``doubtful``, a file of ``unit`` whose own time was doubtful (W207: ``reason``), timed
    by its collect after ``due``, beside ``late``, the return judged by it: a refused file, ``late`` 按时
    only by its reply (`refused_on_doubt`), or a return collected after ``late``, 逾期 (`on_time.timeliness`:
    a doubt turns no 逾期 proved by a time that stands into 按时, QA403). One text for the line said until
    answered (`doubt_beside_late_note`, its commands after) and 5-逐条核实's question (`actions.verify`,
    its choices after): written twice, the two had drifted apart."""
    collected = f"已按收取时间（{doubtful.received_at[:16]}）登记"
    if refused(doubtful):
        why = f"：{reason}" if reason else ""
        return (f"{unit}的报送“{late.name}”（{late.received_at[:16]}）暂计为按时报送：此前退回的“{doubtful.name}”"
                f"报送时间存疑{why}，{collected}，收取时间已过截止日期（{due:%Y-%m-%d}），但存疑的时间不作逾期依据，"
                "退回通知给的更正期限照计。")
    return (f"{unit}按“{late.name}”（{late.received_at[:16]}）计为逾期报送（截止 {due:%Y-%m-%d}）；其后收取的"
            f"“{doubtful.name}”报送时间存疑，{collected}，不据此由逾期改为按时。")


def doubt_beside_late_note(unit: str, doubtful: Receipt, reason: str, due: dt.date, period: Period,
                           late: Receipt) -> str:
    """What is said of ``unit`` until answered (`doubt_beside_late`): the facts, then the commands."""
    if refused(doubtful):
        answers = (f"如知道退回的文件实际收到的日期，请运行 {command(period, unit, '--on 收到日期')}，"
                   f"按该日期计其收到时间（截止后收到的，更正期限不计）；如确是按时收到的，请运行 "
                   f"{command(period, unit, '--confirm')}，仍计为按时报送")
    else:
        answers = (f"如“{doubtful.name}”实际在截止前收到，请运行 {command(period, unit, '--on 收到日期')}，"
                   f"按该日期计报送时间（截止前收到的计为按时报送）；如确是其后收到的，请运行 "
                   f"{command(period, unit, '--confirm')}，仍计为逾期报送")
    return doubt_beside_late(unit, doubtful, reason, due, late) + answers + "，此提示即不再出现。" + BY_CLICK


def doubt_reasons(ledger: Ledger, received: dict[str, list[Receipt]]) -> dict[int, str]:
    """Receipt id → why collect doubted its time (the W207 issue's reason), of each of ``received``
    timed by a doubtful time (`TimeSource.DOUBTFUL`; most months none, and nothing is read)."""
    doubtful = [r.id for recs in received.values() for r in recs if r.received_how == TimeSource.DOUBTFUL]
    issues = ledger.issues_of_many(doubtful) if doubtful else {}
    return {i: next((doubt_reason(x.message) for x in found if x.code == "W207"), "") for i, found in issues.items()}


def doubt_reason(message: str) -> str:
    """The reason W207's ``message`` gives (`codes`: 报送时间存疑：{reason}。未据此判定逾期…); '' when
    it gives none a reader can take out (a message of an older wording)."""
    from .codes import CODES  # deferred: read only of a doubtful time; `duban status` loads no codes

    # the text around {reason} in W207's template, to its first clause: its own words, not a copy
    before, after = CODES["W207"].template.split("{reason}")
    head, _, rest = message.partition(before)
    reason, found, _ = rest.partition(after.split("，")[0])
    return reason if found and not head else ""


def doubtful_on_time(doubts: dict[int, str], sent: Receipt,
                     due: dt.date) -> tuple[Receipt, dt.date, None, tuple[str, str, str]] | None:
    """`consolidate`'s ``on_file_time`` entry for a unit 按时 (`on_time.timeliness`) on ``sent``, a
    return whose own time was doubtful (W207, ``doubts``: `doubt_reasons`), collected after ``due``:
    asked (`on_time_on_doubt`) until the office answers, as a 按时 on a forwarded message's Date is
    (QA388: a year-behind PC's mail collected after the deadline stood 按时 in the 通报, the W207 in
    校验问题 its only trace). None: no such doubt (collected by the deadline, 按时 whatever it says)."""
    if sent.received_how != TimeSource.DOUBTFUL or sent.id not in doubts or sent.received.date() <= due:
        return None
    return sent, due, None, (DOUBTFUL, doubts[sent.id], "")


#: per month: (`forward_times`, `doubt_reasons`), what `on_time_asked` asks about
OnTimeTimes = tuple[dict[int, str], dict[int, str]]


def on_time_times(ledger: Ledger, received: dict[str, list[Receipt]]) -> OnTimeTimes:
    """What `on_time_asked` needs of ``received`` (a month's receipts by unit), read once."""
    return forward_times(ledger, received), doubt_reasons(ledger, received)


def on_time_asked(times: OnTimeTimes, latest: Receipt, sent: Receipt, theirs: list[Receipt], due: dt.date,
                  reply_by) -> tuple[Receipt, dt.date, None, tuple[str, str, str]] | None:
    """`consolidate`'s ``on_file_time`` entry for a unit 按时 on a time the office is asked about: a
    forwarded message's own Date (`forwarded_on_time`, QA374) or a doubtful one (`doubtful_on_time`,
    QA388). None: its 按时 stands unasked."""
    forwards, doubts = times
    return (forwarded_on_time(forwards, latest, sent, theirs, due, reply_by) or doubtful_on_time(doubts, sent, due)
            or refused_on_doubt(doubts, latest, sent, theirs, due, reply_by))


def refused_on_doubt(doubts: dict[int, str], latest: Receipt, sent: Receipt, theirs: list[Receipt], due: dt.date,
                     reply_by) -> tuple[Receipt, dt.date, Receipt, tuple[str, str, str]] | None:
    """`consolidate`'s ``on_file_time`` entry for a unit 按时 on ``sent`` only by the reply to a refused
    file whose own time was doubtful (W207) and whose collect, the time taken instead, was too late to
    give the reply's date (`on_time.correction_by` gives it: no 逾期 on a doubt): asked about that file
    (`doubt_beside_late_note`) until the office answers, as a doubtful return is (QA403: the town stood
    逾期 on it, nothing asked, and ``received --on`` said 无需核实). None: no such file."""
    for r in theirs:
        if r.received_how != TimeSource.DOUBTFUL or not refused(r):
            continue
        # timed by its collect as any other file's time: would the unit be 逾期?
        if timed_as(latest, theirs, due, reply_by, r, TimeSource.MAIL) == UnitState.LATE:
            return r, due, sent, (DOUBTFUL, doubts.get(r.id, ""), "")
    return None


def forward_times(ledger: Ledger, received: dict[str, list[Receipt]]) -> dict[int, str]:
    """Receipt id → when the forward carrying it reached the office, of each of ``received`` timed
    by a forwarded message's own Date (`TimeSource.FORWARDED`; most months none), as collect kept it
    (`ledger.time_basis`: a file downloaded from the message's link too, a loose file of its own),
    else, collected before it kept it, the time of the nearest receipt above it not so timed (as
    `evidence.settle_time` took it: a forward of a forward reached the office by the outer one)."""
    forwarded = [r for recs in received.values() for r in recs if r.received_how == TimeSource.FORWARDED]
    kept = weak_times(ledger.conn) if forwarded else {}
    out = {}
    for r in forwarded:
        if kept.get(r.id, ("", ""))[0] == FORWARDED and kept[r.id][1]:
            out[r.id] = kept[r.id][1]
            continue
        at: Receipt | None = r
        while at is not None and at.received_how == TimeSource.FORWARDED:
            at = ledger.get(at.parent_id) if at.parent_id else None
        if at is not None:
            out[r.id] = at.received_at
    return out


def forwarded_on_time(forwards: dict[int, str], latest: Receipt, sent: Receipt, theirs: list[Receipt],
                      due: dt.date, reply_by) -> tuple[Receipt, dt.date, None, tuple[str, str, str]] | None:
    """`consolidate`'s ``on_file_time`` entry for a unit 按时 (`on_time.timeliness`: ``latest``, the
    return that decided it ``sent``, of ``theirs``) on a forwarded message's own Date, when timed by
    its forward's time (``forwards``: `forward_times`) it would be 逾期: asked (`on_time_on_forward`)
    until the office answers, as a 逾期 on a weak time is (QA374: collect said it once, then status,
    the 汇总表 and the 通报 named the unit 按时 with the question dropped). None: no such doubt."""
    if not (at := forwards.get(sent.id)):
        return None
    if timed_as(latest, theirs, due, reply_by, sent, TimeSource.MAIL, at) != UnitState.LATE:
        return None
    return sent, due, None, (FORWARDED_DATE, "", at)


def weak_words(kind: str, other: str | None, source: str, due: dt.date) -> tuple[str, str]:
    """(the time a receipt timed by a mail (``source``: `TimeSource.MAIL`, `MAILBOX`) is taken
    from, why it may not be when the department sent it) for a weak ``kind`` (`ledger.time_basis`;
    ``other``: the time set aside); ('', '') when it is no weak evidence of a 逾期 by ``due``:
    the mailbox's time beside a mail's own Date that is late too."""
    whose = "邮箱收到时间" if source == TimeSource.MAILBOX else "发送时间"
    if kind == INLINE:
        return "转发邮件的" + whose, "，原邮件是转发的，其发送时间不详"
    if kind == FORWARD:
        return "转发邮件的" + whose, (f"，被转发的原邮件的发送时间（{other[:16]}）晚于转发邮件，不可用" if other
                                   else "，被转发的原邮件没有可用的发送时间")
    if kind == MAILBOX and other and dt.date.fromisoformat(other[:10]) <= due:
        return "邮箱收到时间", f"，但邮件自身的发送时间是 {other[:16]}"
    return "", ""


def weak_kept(ledger: Ledger) -> Callable[[Receipt, dt.date], tuple[str, str] | None]:
    """`weak_how` of what collect kept of weak mail times (`ledger.time_basis`), read once."""
    return functools.partial(weak_how, weak_times(ledger.conn))


def weak_how(kept: dict[int, tuple[str, str]], receipt: Receipt, due: dt.date) -> tuple[str, str] | None:
    """(how, but: `FileTime.how`, `FileTime.but`) when the receipt that times a unit 逾期 by
    ``due`` is weak evidence of it: a file's modification time, or a weak time a mail gave
    (`weak_words`, of what collect ``kept``: `weak_kept`). None: the time stands unasked."""
    if receipt.received_how == TimeSource.MTIME:
        return str(TimeSource.MTIME), ""
    if receipt.received_how == TimeSource.DOUBTFUL:  # a later return's, collected after the late one (QA403)
        return DOUBTFUL, ""
    if receipt.received_how not in (TimeSource.MAIL, TimeSource.MAILBOX) or receipt.id not in kept:
        return None
    how, but = weak_words(*kept[receipt.id], receipt.received_how, due)
    return (how, but) if how else None


def late_on_refused_time(unit: str, when: str, due: dt.date, period: Period, late: Receipt,
                         how: str = str(TimeSource.MTIME), but: str = "") -> str:
    """What is said of ``unit`` 逾期 (its return ``late``) only because the file refused before it
    is timed by its modification time (``when``; or a weak mail time: ``how``, ``but``,
    `weak_words`) after ``due``: the reply's grace did not count."""
    return (f"{unit}的报送“{late.name}”（{late.received_at[:16]}）计为逾期报送（截止 {due:%Y-%m-%d}），只因此前退回的"
            f"文件按{how}（{when}）计为截止后收到{but}，退回通知给的更正期限因此不计。如该文件实际按时收到，请运行 "
            f"{command(period, unit, '--on 收到日期')}，按收到日期计，在更正期限内收到的报送即为按时报送；"
            f"如{how + '就是收到时间' if how == TimeSource.MTIME else '按' + how + '计无误'}，请运行 "
            f"{command(period, unit, '--confirm')}，此提示即不再出现。" + BY_CLICK)


def stated_times(ledger: Ledger, received: dict[str, list[Receipt]]) -> dict[str, list[Receipt]]:
    """``received`` (unit → its receipts of a month, in the order received) with each file whose
    receipt day the office stated (``duban received --on``) timed by that day as `TimeSource.STATED`,
    as a copy ``collect --received`` recorded with it would be, and put in its place in the order."""
    stated = {i: on for i, (on, _) in _answers(ledger).items() if on}
    if not stated:
        return received
    at = {i: stated_time(dt.date.fromisoformat(on)).isoformat(sep=" ") for i, on in stated.items()}
    return {unit: sorted((dataclasses.replace(r, received_at=at[r.id], received_how=TimeSource.STATED)
                          if r.id in at else r for r in recs), key=lambda r: (r.received_at, r.id))
            for unit, recs in received.items()}


def _answers(ledger: Ledger) -> dict[int, tuple[str, str]]:
    """The ledger's ``time_answers``, read once from a read-only ledger: a consolidation asks
    for them in `stated_times` (each month's `received_of`) and in `answered_times`. One that
    can be written is read each time (``duban received`` writes an answer, then judges by it)."""
    if not getattr(ledger, "readonly", False):
        return time_answers(ledger.conn)
    if (answers := ledger.__dict__.get("_time_answers")) is None:
        answers = ledger.__dict__["_time_answers"] = time_answers(ledger.conn)
    return answers


def answered_times(ledger: Ledger, received: dict[str, list[Receipt]]) -> list[tuple[str, Receipt, str, str]]:
    """Of ``received`` (under the month's names), each file the office answered about: (unit,
    its receipt as the ledger keeps it, the day stated or '', when answered)."""
    answers = _answers(ledger)
    return [(unit, ledger.get(r.id) or r, *answers[r.id]) for unit, recs in received.items()
            for r in recs if r.id in answers]


def file_times(answered: list[tuple[str, Receipt, str, str]],
               late: dict[str, tuple[Receipt, dt.date, Receipt | None, tuple[str, ...]]]) -> list[FileTime]:
    """The units 逾期 on a file's modification time or a weak mail time (``late``: unit → the receipt
    that times it, its deadline, the return judged late when that receipt is a refused file that
    denied it its grace, and `weak_how`'s words; or 按时 on a forwarded message's Date, with its
    forward's time: `forwarded_on_time`), with the office's word that the time is right
    if it gave it; then each other
    file the office answered about (``answered``: `answered_times`): a day stated, or a time
    confirmed of a file that no longer decides (a copy collected with --received since), kept
    so that ``--undo`` still finds it (收件登记 says it), though neither asked nor told."""
    if not late and not answered:  # most months: the class is not made (`office_cases` says why)
        return []
    from .office_cases import FileTime  # deferred: `office_cases` says why

    confirmed = {r.id: at for _, r, on, at in answered if not on}
    deciding = {r.id for r, *_ in late.values()}
    return ([FileTime(unit, r, due, "", confirmed.get(r.id, ""), to, *words)
             for unit, (r, due, to, words) in late.items()]
            + [FileTime(unit, r, None, on, at, how=FORWARDED_DATE if r.received_how == TimeSource.FORWARDED
                        else r.received_how or str(TimeSource.MTIME))
               for unit, r, on, at in answered if on or r.id not in deciding])


def file_time_notes(cons) -> list[str]:
    """A 请核实 line per unit of ``cons.file_times`` (`Consolidation`) 逾期 on a file's time (or a
    weak mail time) the office has not confirmed."""
    return [f"请核实：{f.receipt.name}：" + (
        on_time_on_forward(f.unit, f.receipt.received_at[:16], f.forward_at[:16], f.due, cons.period)
        if f.forward_at else
        doubt_beside_late_note(f.unit, f.receipt, f.but, f.due, cons.period, f.late_return)
        if f.how == DOUBTFUL and f.late_return else
        on_time_on_doubt(f.unit, f.receipt.received_at[:16], f.but, f.due, cons.period) if f.how == DOUBTFUL
        else
        late_on_refused_time(f.unit, f.receipt.received_at[:16], f.due, cons.period, f.late_return, f.how, f.but)
        if f.late_return
        else late_on_file_time(f.unit, f.receipt.received_at[:16], f.due, cons.period) if f.how == TimeSource.MTIME
        else late_on_weak_time(f.unit, f.how, f.receipt.received_at[:16], f.but, f.due, cons.period))
        for f in cons.file_times if f.due and not f.answered_at]


def file_time_told(cons) -> list[str]:
    """The office's answers (`Consolidation.told`: said, exit 0): a file time confirmed while the
    unit stands 逾期 on it, and each day stated, with the verdict it leaves."""
    return [line for _, line in file_time_answers(cons)]


def file_time_answers(cons) -> list[tuple[FileTime, str]]:
    """`file_time_told`'s lines, each with the answer it says (5-逐条核实 takes one back)."""
    states = {u.unit: (u.state, u.received_at) for u in cons.units}
    out = []
    for f in cons.file_times:
        at = on_office_clock(f.answered_at, cons.tz)
        head = f"已核实：{f.unit} {cons.period.label}的“{f.receipt.name}”"
        undo = undo_hint(command(cons.period, f.unit, '--undo'))
        if f.due and f.answered_at and f.late_return and f.how == DOUBTFUL and not refused(f.receipt):  # QA403
            out.append((f, f"{head}报送时间存疑，收取时间 {f.receipt.received_at[:16]} 晚于计为逾期报送的"
                        f"“{f.late_return.name}”（{f.late_return.received_at[:16]}），督办部门已确认其后收到，"
                        f"仍计为逾期报送（{at} 记录）。{undo}"))
        elif f.due and f.answered_at and f.late_return and f.how == DOUBTFUL:  # a refused file's (QA403)
            why = "：" + f.but if f.but else ""
            out.append((f, f"{head}（已退回）的报送时间存疑{why}；收取时间 {f.receipt.received_at[:16]} 已过截止日期"
                        f"（{f.due:%Y-%m-%d}），督办部门已确认是按时收到的，其后的报送“{f.late_return.name}”"
                        f"计为按时报送（{at} 记录）。{undo}"))
        elif f.due and f.answered_at and f.late_return:
            out.append((f, f"{head}（已退回）按{f.how}（{f.receipt.received_at[:16]}）计为截止（{f.due:%Y-%m-%d}）"
                        f"后收到{f.but}，其后的报送“{f.late_return.name}”（{f.late_return.received_at[:16]}）计为逾期报送，"
                        f"督办部门已确认该时间无误（{at} 记录）。{undo}"))
        elif f.due and f.answered_at and f.forward_at:  # 按时 on a forwarded message's Date (QA374)
            out.append((f, f"{head}按{f.how}（{f.receipt.received_at[:16]}）计为按时报送（截止 {f.due:%Y-%m-%d}），"
                        f"转发邮件到督办部门的时间是 {f.forward_at[:16]}，督办部门已确认原邮件是发给督办部门的"
                        f"（{at} 记录）。{undo}"))
        elif f.due and f.answered_at and f.how == DOUBTFUL:  # 按时 on a doubtful time (QA388)
            why = "：" + f.but if f.but else ""
            out.append((f, f"{head}的报送时间存疑{why}；收取时间 {f.receipt.received_at[:16]} 已过截止日期"
                        f"（{f.due:%Y-%m-%d}），督办部门已确认是按时收到的，计为按时报送（{at} 记录）。{undo}"))
        elif f.due and f.answered_at:
            out.append((f, f"{head}按{f.how}（{f.receipt.received_at[:16]}）计为逾期报送"
                        f"（截止 {f.due:%Y-%m-%d}）{f.but}，督办部门已确认该时间无误（{at} 记录）。{undo}"))
        elif f.stated_on and f.unit in states:
            state, when = states[f.unit]
            out.append((f, f"{head}（{'已退回，' if refused(f.receipt) else ''}{f.how} {f.receipt.received_at[:16]}）"
                        f"按督办部门指定的收到日期 {f.stated_on} 计{'收到' if refused(f.receipt) else '报送'}时间"
                        f"（{at} 记录），{f.unit} 计为{state}"
                        + (f"（报送时间 {when}）" if when else "") + f"。{undo}"))
    return out


def refused(receipt: Receipt) -> bool:
    """``receipt`` is a refused file (退回, 无法读取): stating its day times its refusal, from which
    the reply's grace for the correction runs, not a return."""
    return receipt.outcome in (Outcome.RETURNED, Outcome.UNREADABLE)


def time_marked(receipts: list[Receipt], answered: list[tuple[str, Receipt, str, str]]) -> list[Receipt]:
    """``receipts`` with the office's answer beside the 时间依据 of each answered one (收件登记):
    文件修改时间（督办部门指定收到日期 2022-07-04）, 文件修改时间（已核实无误）."""
    # a doubtful time confirmed is not "right": the office said the file came on time (QA388)
    said = {r.id: f"（督办部门指定收到日期 {on}）" if on else "（已核实按时收到）" if r.received_how == DOUBTFUL
            else "（已核实无误）" for _, r, on, _ in answered}
    return [dataclasses.replace(r, received_how=r.received_how + said[r.id]) if r.id in said else r
            for r in receipts]


def __getattr__(name: str) -> Any:
    """`FileTime`, from `office_cases` (which says why it is apart) when first asked for."""
    if name == "FileTime":
        from .office_cases import FileTime  # deferred: `office_cases` says why

        return FileTime
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
