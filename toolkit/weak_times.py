"""What collect says of a return whose verdict rests on weak evidence of its time: judged
逾期 by a file's modification time, a forward's time or the mailbox's receive time
(`evidence.late_on_weak_evidence`), or 按时 by a forwarded message's own Date while the forward
reached the office after the deadline (`evidence.on_time_on_weak_evidence`). Moved out of
`actions.collect`, which the 700-line limit holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .evidence import late_on_weak_evidence, on_time_on_weak_evidence, weak_kind
from .file_time import doubt_beside_late_note, doubt_reasons, on_time_on_doubt, refused, refused_on_doubt
from .issued_month import exempt_of, issued_dues, kept_apart, received_of
from .ledger import Ledger, Receipt, common_due
from .ledger.answers import DISOWNED, time_answers
from .master import Master
from .misfiled import unit_refused
from .on_time import held_to, replied_on, reply_date, timeliness, unit_due
from .period import Period
from .report import Report
from .vocab import Outcome, TimeSource, UnitState
from .workspace import Workspace

# per period: its deadline, each unit's own (`issued_month.issued_dues`), each unit's receipts,
# the day each reply was written (`on_time.replied_on`) and the units exempt at issue
# (本期免报: given no deadline, never 逾期), as consolidate reads them
Deadlines = tuple[dt.date, dict[str, dt.date], dict[str, list[Receipt]], dict[int, dt.date], frozenset[str]]


def weak(it: Any) -> bool:
    """Whether ``it`` (an `unpack.Item`) was timed by weak evidence: worth `weak_time_note`. A
    mail's weak time is the one collect keeps (`evidence.weak_kind`): said and asked alike."""
    return (it.time_source in (TimeSource.MTIME, TimeSource.FORWARDED, TimeSource.DOUBTFUL)
            or weak_kind(it) is not None)


def weak_time_notes(ws: Workspace, ledger: Ledger, master: Master, it: Any, rep: Report,
                    due_of: dict[Period, Deadlines], doubted: dict[Period, frozenset[str]]) -> list[tuple[str, str]]:
    """(file, 请核实 text) collect says of ``it``, an accepted return of ``rep.unit``: of its own weak
    time (`weak_time_note`), or of the unit 按时 on it only by the reply to a refused file whose own
    time was doubtful (`doubted_refusal`). ``doubted``: the run's, filled here, a period's units
    with a refused file of doubtful time."""
    said = weak_time_note(ws, ledger, master, it, rep, due_of) if weak(it) else ""
    if said:
        return [(it.name, said)]
    if rep.period not in doubted:
        # one query a period, not the unit's returns for each return taken (1,000 W2 returns: 170 ms
        # on a loaded machine, about 3 % of collect + merge, for a case most months never have)
        doubted[rep.period] = frozenset(u for (u,) in ledger.conn.execute(
            "SELECT DISTINCT unit FROM receipts WHERE period=? AND received_how=? AND outcome IN (?,?)",
            (str(rep.period), TimeSource.DOUBTFUL, Outcome.RETURNED, Outcome.UNREADABLE)))
        # a W206 file said not its unit's is the refused return of the unit it named (`misfiled`), which
        # the ledger does not say: of such a file of doubtful time, any unit is asked (`doubted_refusal` reads it)
        if ledger.conn.execute(f"SELECT 1 FROM receipts WHERE period=? AND received_how=? AND id IN ({DISOWNED})",
                               (str(rep.period), TimeSource.DOUBTFUL)).fetchone():
            doubted[rep.period] |= frozenset(u.name for u in master.directory.units)
    if doubted[rep.period].isdisjoint(master.directory.names_of(rep.unit)):
        return []
    return doubted_refusal(ws, ledger, master, it, rep, due_of)


def doubted_refusal(ws: Workspace, ledger: Ledger, master: Master, it: Any, rep: Report,
                    due_of: dict[Period, Deadlines]) -> list[tuple[str, str]]:
    """The line the month's notes say of ``rep.unit`` 按时 on ``it`` only by the reply to a refused
    file whose own time was doubtful (W207; `file_time.refused_on_doubt`), said on the collect that
    takes ``it`` too, by that file's name as status says it (`run` says it once): status, merge,
    memo, run and verify asked, collect's own screen did not (QA407). Read as consolidate reads the
    unit (`misfiled.unit_refused`), and not said once the office answered (``received --confirm``),
    as status no longer says it (QA413). `weak_time_notes` asks only of a unit with such a file."""
    period, unit = rep.period, rep.unit
    if not it.receipt_id:
        return []
    common, dues, received, replied, exempt = read_once(due_of, ws, ledger, master, period)
    latest, due = ledger.get(it.receipt_id), unit_due(ws, period, dues, common, unit)
    if latest is None or unit in exempt:
        return []
    # as consolidate reads them (`weak_time_note`): a W206 file said not its unit's is the named unit's refused return
    theirs, replied = unit_refused(ledger, received, master, period, unit, ws.tz, replied)
    if not any(r.received_how == TimeSource.DOUBTFUL and refused(r) for r in theirs):
        return []
    reply_by = reply_date(ws, due, replied)
    state, sent = timeliness(latest, theirs, due, reply_by)
    asked = (refused_on_doubt(doubt_reasons(ledger, {unit: theirs}), latest, sent, theirs, due, reply_by)
             if state == UnitState.ON_TIME and sent.id == latest.id else None)
    # answered (``received --confirm``; ``--on`` timed it as stated, in ``received``): status asks no more
    # (`file_time.file_time_notes`), nor does collect
    if asked is None or asked[0].id in time_answers(ledger.conn):
        return []
    doubtful, _, late, (_, reason, _) = asked
    return [(doubtful.name, doubt_beside_late_note(unit, doubtful, reason, due, period, late))]


def weak_time_note(ws: Workspace, ledger: Ledger, master: Master, it: Any, rep: Report,
                   due_of: dict[Period, Deadlines]) -> str:
    """A return (``it``, accepted, of ``rep.unit``) judged late on its file's modification time
    alone is said on screen: the time a file was saved into 收件箱 (from a mail client, a USB
    stick) is often days after the department sent it, and the 通报 would name the unit 逾期 on
    that alone. So is one judged late on the Date of a mail forwarded inline (a colleague
    passing it on days later), or on the mailbox's receive time while the mail's own Date is on
    time (`late_on_weak_evidence`); and one judged on time by a forwarded message's Date whose
    forward came after the deadline (`on_time_on_weak_evidence`). A unit exempt for the month
    (本期免报) that volunteers a return is never late: none is said. ``due_of``: read once per
    period, not per file (an office copying a month's files into 收件箱 after the deadline
    makes every one of them late by its modification time). A return whose own time was doubtful
    (W207: the collect's time taken instead) collected after the deadline stands 按时 on the doubt:
    said too (`file_time.on_time_on_doubt`, QA388)."""
    if not weak(it):
        return ""
    period = rep.period
    common, dues, received, replied, exempt = read_once(due_of, ws, ledger, master, period)
    due = unit_due(ws, period, dues, common, rep.unit)
    doubtful = it.time_source == TimeSource.DOUBTFUL
    late = it.received_at.date() > due and not doubtful
    if rep.unit in exempt or not (late or on_time_on_weak_evidence(it, rep.unit, due, period)
                                  or (doubtful and it.received_at.date() > due)):
        return ""
    # Said only when this file decides the verdict: an earlier valid return (on time, or
    # late by stronger evidence) decides it whatever this one's time (`timeliness`).
    latest = ledger.get(it.receipt_id) if it.receipt_id else None
    if latest is None:
        return ""
    # as consolidate reads them: a W206 file said not its unit's is the named unit's refused return (QA405)
    theirs, replied = unit_refused(ledger, received, master, period, rep.unit, ws.tz, replied)
    reply_by = reply_date(ws, due, replied)
    state, decided = timeliness(latest, theirs, due, reply_by)
    if decided.id != latest.id or state != (UnitState.LATE if late else UnitState.ON_TIME):
        return ""
    if late:  # by the date the unit was held to: a reply's, for a correction (`on_time.held_to`)
        return late_on_weak_evidence(it, rep.unit, held_to(theirs, due, reply_by, decided), period)
    if doubtful:
        return on_time_on_doubt(rep.unit, f"{it.received_at:%Y-%m-%d %H:%M}", it.doubt, due, period)
    return on_time_on_weak_evidence(it, rep.unit, due, period)


def read_once(due_of: dict[Period, Deadlines], ws: Workspace, ledger: Ledger, master: Master,
              period: Period) -> Deadlines:
    """``period``'s `month_deadlines`, read into ``due_of`` (the months a collect has read so
    far) the first time a file of it asks, then taken from there."""
    if period not in due_of:
        due_of[period] = month_deadlines(ws, ledger, master, period)
    return due_of[period]


def month_deadlines(ws: Workspace, ledger: Ledger, master: Master, period: Period) -> Deadlines:
    """``period``'s `Deadlines`, as consolidate reads them."""
    apart = kept_apart(ledger, period, master)
    dues = issued_dues(ledger, period, master, apart, ws.due(period))
    due = ws.due(period, common_due(dues))
    return (due, dues, received_of(ledger, period, master, apart), replied_on(ledger, period, ws.tz),
            exempt_of(ledger, period, master, apart))


def capped_doubt(ws: Workspace, ledger: Ledger, master: Master, it: Any, rep: Report | None) -> str:
    """Why an accepted return's time is doubtful (W207, as a time in the future is) when only
    its cap at the forward that carried it (`evidence.cap_at_carrier`) makes it 按时: its own
    Date after the deadline, the forward's by it. One of the two clocks is wrong and which
    cannot be told; a wrong 逾期 is the worse, so 按时 stands, said, and a date the office
    states (``collect --received``) decides instead. '' otherwise: a cap on the same side of
    the deadline changes no verdict (a late one is said by `late_on_weak_evidence`)."""
    if it.capped_from is None or rep is None or rep.outcome != Outcome.ACCEPTED or not (rep.unit and rep.period):
        return ""
    common, dues, _, _, exempt = month_deadlines(ws, ledger, master, rep.period)  # rare: not cached
    due = unit_due(ws, rep.period, dues, common, rep.unit)
    if rep.unit in exempt or not it.received_at.date() <= due < it.capped_from.date():
        return ""
    return (f"被转发的原邮件的发送时间 {it.capped_from:%Y-%m-%d %H:%M} 晚于转发它的邮件"
            f"（{it.received_at:%Y-%m-%d %H:%M}），两者必有一个时钟或时区有误，已按转发邮件的时间计为按时报送")


def by_own_deadline(ws: Workspace, ledger: Ledger, master: Master, it: Any, rep: Report,
                    due_of: dict[Period, Deadlines]) -> bool:
    """Whether ``it``, an accepted return of ``rep.unit`` for ``rep.period``, came by the unit's
    deadline for that month: then it is that month's own return, not the next month's progress
    on last month's form (the next month's forms went out early, QA288), and collect asks
    nothing about it. ``due_of``: as `weak_time_note`'s."""
    common, dues, _received, _replied, _exempt = read_once(due_of, ws, ledger, master, rep.period)
    return it.received_at.date() <= unit_due(ws, rep.period, dues, common, rep.unit)
