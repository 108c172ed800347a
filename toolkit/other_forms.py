"""Returns a unit sent on another month's form while it stands 未报送 in the month (QA370).

`collect` registers a return under the month its form says (`_meta`) and says once, on that
run's screen, that it is another month's form than the one collected (`CollectResult.elsewhere`:
"…是2026年10月的填报表，已登记为2026年10月的报送；如果填的是2026年11月的进展…"). 县民政局, sent
October's form again (`issue --period 2026-10 --dept 县民政局`), filled it and mailed it on 3
December, before November's deadline; a week later status, the 汇总表 and the 通报 listed it among
November's 未报送的单位 with nothing said since, and memo's own 请核实 said no return at all had
been registered for the month. After a Ctrl-C in collect that line was never shown at all.

While a unit stands 未报送 in the month, a file of its on another month's form that may hold the
month's progress is asked about again before the 汇总表 and 通报 go out (`mail_notes.chase_notes`,
so `Consolidation.office_notes`: status, merge, memo, run, verify; exit 1, and remind), as a mail
with no file is (`mail_notes.bare_mail_notes`). A file may hold the month's progress when the
month's form had gone to the unit when it came (`EarlierMonths.was_asked`) and no month between
the two was then asked of the unit and is still owed by it (the month it is the nearer
candidate for): an earlier month's form is read as the first month after it (`owed_after`, as
collect reads it, QA288) and only when the unit had reported that month already (last month's file
used again: a unit's first return of a month, however late, is that month's, QA375) and it came after
the unit's deadline for that month (by it, a correction of that month's return, QA387), a later
month's only when sent before that month was over (its own progress could not be reported yet) and
read as the latest month before it (`owed_before`, which collect asks of its own month's form too).

A file sent again byte for byte is such a file too (重复, W204: 鱼岳镇's May file mailed as
"鱼岳镇6月进展" on 3 July, QA376), read as its form's month's return sent that day; the office's own
form coming back is not (`office_copies`, QA373).

No command takes such a file as the month's return: its rows are the other month's form. The
unit resends on the month's form, or the office copies its text into the month's form and
collects that with the day the file came (``collect --received``); the question goes when the
month's return is registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .dates import day_text
from .issued_month import EarlierMonths, month_name
from .ledger.answers import DISOWNED
from .on_time import unit_due
from .period import Period
from .vocab import Outcome, UnitState

if TYPE_CHECKING:
    from .ledger import Ledger, Receipt
    from .master import Master
    from .workspace import Workspace

#: the outcomes of a file that was a return of its form's month (refused or not)
_RETURNS = (Outcome.ACCEPTED, Outcome.SUPERSEDED, Outcome.RETURNED)
#: whether a receipt's unit (as the ledger names it) had a return of the receipt's month taken
#: before it (taken, or taken and superseded since): a column of `other_forms`' one query, not
#: a query per file (the index on unit and period finds them)
_REPORTED_BEFORE = ("EXISTS(SELECT 1 FROM receipts b WHERE b.unit=r.unit AND b.period=r.period"
                    " AND b.received_at<r.received_at AND b.id<>r.id AND b.outcome IN (?,?))")
#: a unit's return sent again byte for byte (重复, W204), as another month's, is one too: 鱼岳镇
#: mailed "鱼岳镇6月进展" on 3 July with its May file attached, and June's 通报 listed it 未报送
#: with nothing said (QA380). Not the office's own copy coming back (`office_copies`: 重复 too,
#: ``receipts.office``), nor a copy of a file that was no return (disowned, W206)
_RESENT = (f"(r.outcome=? AND r.office='' AND r.sha256 IN (SELECT sha256 FROM receipts"
           f" WHERE outcome IN (?,?,?) AND id NOT IN ({DISOWNED})))")
_RESENT_ARGS = (Outcome.DUPLICATE, *_RETURNS)


def other_forms(ledger: Ledger, period: Period, master: Master, tz: dt.tzinfo | None,
                apart: frozenset[str] = frozenset(),
                due: Callable[[str, Period], dt.date] | None = None) -> dict[str, list[Receipt]]:
    """Per unit (as ``period`` names it), its returns on another month's form that may hold
    ``period``'s progress (the module's rule), in the order received; the office's disowned W206
    files are no unit's. Every unit's: the notes keep those 未报送 (`other_form_notes`).
    ``due``: a unit's deadline for a month (`deadlines`); an earlier month's form that came by it
    is that month's own."""
    # a file that came before the month's forms first went out is none of its returns (`was_asked`):
    # read from a day before (the ledger's clock and the office's may differ by hours), not the whole
    # history, which on a year's ledger cost merge and status 30 ms (W3's 12 months, 594 returns)
    first = ledger.issued_at(period)
    since = (first - dt.timedelta(days=1)).isoformat(sep=" ") if first is not None else ""
    # each with whether its unit had a return of the form's month taken before it (`_REPORTED_BEFORE`)
    rows = ledger.conn.execute(
        f"SELECT id, unit, period, received_at, {_REPORTED_BEFORE} FROM receipts r WHERE unit IS NOT NULL"
        f" AND period IS NOT NULL AND period<>? AND received_at>=? AND id NOT IN ({DISOWNED})"
        f" AND (outcome IN (?,?,?) OR {_RESENT}) ORDER BY received_at, id",
        (Outcome.ACCEPTED, Outcome.SUPERSEDED, str(period), since, *_RETURNS, *_RESENT_ARGS)).fetchall()
    if not rows:
        return {}
    months = EarlierMonths(ledger, master, tz, {period: apart})
    out: dict[str, list[Receipt]] = {}
    for receipt_id, name, form_text, at, reported_before in rows:
        unit, form, came = month_name(name, master, apart), Period.parse(form_text), dt.datetime.fromisoformat(at)
        meant = owed_before(months, unit, form, came) if form > period else owed_after(months, unit, form, came)
        # an earlier month's form is that month's return when it is the unit's first of it (a late
        # 补报): asked only when the unit had reported that month already (last month's file used
        # again). A late October return on October's form was asked about in November for good (QA375)
        if form < period and not reported_before:
            continue
        # nor when it came by the unit's deadline for its form's month: a correction of that month's
        # return, as collect takes it (`weak_times.by_own_deadline`, QA288). 税务局's November return
        # of 2 December and its 修改版 of the 4th (November due the 5th) were asked about all December
        # as if December's progress (QA387)
        if form < period and due is not None and came.date() <= due(name, form):
            continue
        if meant == period and (rec := ledger.get(receipt_id)) is not None:
            out.setdefault(unit, []).append(rec)
    return out


def deadlines(ws: Workspace, ledger: Ledger) -> Callable[[str, Period], dt.date]:
    """A unit's deadline for a month as collect judges it (`on_time.unit_due`: the date printed on
    its own form, else the month's), each month's read once: `other_forms`' ``due``."""
    read: dict[Period, tuple[dict[str, dt.date], dt.date]] = {}

    def due(unit: str, month: Period) -> dt.date:
        if month not in read:
            read[month] = ledger.issued_dues(month), ws.due(month, ledger.issued_due(month))
        return unit_due(ws, month, *read[month], unit)
    return due


def owed_before(months: EarlierMonths, unit: str, form: Period, came: dt.datetime) -> Period | None:
    """The month a return on ``form``'s form that came at ``came``, before that month was over
    (its own progress could not be reported yet), may hold instead: the latest earlier month whose
    form had gone to ``unit`` by then and that it still owes; None when there is none, or the
    form's month was over. `collect` asks of such a form of its own month (QA370)."""
    if came.date() > form.end:
        return None
    return next((m for m in reversed(months.periods())
                 if m < form and months.was_asked(unit, m, came) and months.owes(unit, m)), None)


def owed_after(months: EarlierMonths, unit: str, form: Period, came: dt.datetime) -> Period | None:
    """The month a return on the earlier ``form``'s form that came at ``came`` may hold instead:
    the first later month whose form had gone to ``unit`` by then and that it still owes (as
    collect did before, QA288); None when there is none."""
    return next((m for m in months.periods()
                 if m > form and months.was_asked(unit, m, came) and months.owes(unit, m)), None)


def other_form_notes(cons) -> list[str]:
    """A 请核实 line per unit of ``cons.other_forms`` (`Consolidation`) that stands 未报送 in
    the month: what it sent, and what the office does (the module says why)."""
    from .mail_notes import Note  # deferred: `mail_notes` says these lines among its own

    label, today = cons.period.label, cons.today or dt.date.today()
    out = []
    for unit in asked_units(cons):
        recs = cons.other_forms[unit]
        sent = "；".join(_sent(r, today) for r in recs)
        last = recs[-1]
        out.append(Note(
            f"请核实：{unit} 在{label}计为未报送，但收到了其用其他期次填报表的报送：{sent}。"
            f"如填的是{label}的进展，请该单位用{label}下发的填报表重报（这份的内容可复制过去），或由督办人员把其内容"
            f"填入“下发/{label}”中该单位填报表的副本，收件箱中只放这一份（--received 对收件箱中的每个文件"
            f"都按这一天计），运行 duban collect --received {last.received_at[:10]}（按这份收到的日期计报送时间），"
            "再重新汇总和生成通报；"
            f"如确是{last.period.label}的进展，{unit}{label}确未报送，通报照列为未报送。"
            f"收到其{label}的报送后此提示即不再出现。", (r.name for r in recs)))
    return out


def _sent(rec: Receipt, today: dt.date) -> str:
    """One file of `other_forms` as a note says it: when it came, its name, and where it went."""
    form = rec.period.label
    went = (f"已按{form}退回" if rec.outcome == Outcome.RETURNED
            else f"与此前收到的{form}报送完全相同，记为重复" if rec.outcome == Outcome.DUPLICATE
            else f"已登记为{form}的报送" + ("（后被一份新的替代）" if rec.outcome == Outcome.SUPERSEDED else ""))
    early = f"，其时{form}尚未结束" if rec.received.date() <= rec.period.end else ""
    return f"{day_text(rec.received.date(), today)}收到的“{rec.name}”是{form}的填报表{early}，{went}"


def asked_units(cons) -> list[str]:
    """The units `other_form_notes` asks about (those 未报送), in the units' order (memo says them where it says
    no return was registered)."""
    return [u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED and u.unit in cons.other_forms]
