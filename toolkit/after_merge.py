"""What collect calls an accepted return of a month already merged (W209): 重报, 补报, a
return from a unit exempt for the month, or one sent by the month's deadline.

The next month's forms may go out before this month's deadline (July's on 3 July, June due on
5 July, QA270): June is then an earlier month than the workspace's, and merged already when a
town's June return comes on the 4th. Collect called it 补报 in front of the office, though a
return sent by its own deadline is never late (QA273): only one sent after it is 补报; the
merge is out of date all the same, and said so. Moved out of `actions.collect`, which the
700-line limit holds.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from .issued_month import EarlierMonths
from .ledger import Ledger, Receipt, store
from .ledger.answers import disowned_files
from .master import Master
from .misfiled import unit_refused
from .on_time import reply_date, timeliness, unit_due
from .period import Period
from .report import Report, make_issue
from .senders import disowned
from .vocab import Outcome, UnitState
from .weak_times import Deadlines, read_once
from .workspace import Workspace

if TYPE_CHECKING:  # collect imports this module
    from .actions.collect import CollectResult
    from .unpack import Item

#: W209's word for a unit exempt for the month (本期免报) that sent a return after its merge: it
#: owed nothing, so it is neither 补报 (late) nor 逾期; said as the 汇总表 says why it got no form
EXEMPT_RETURN = "本期免报（任务均已报告完成，未下发填报表），仍报送了填报表"
#: W209's word for a unit's first return of the month that is no 补报 (`_timely`), after an early merge
ON_TIME = "按时报送"


def after_merge(ws: Workspace, ledger: Ledger, master: Master, it: Item, rep: Report, period: Period,
                merged: dt.datetime, later: bool, months: EarlierMonths, result: CollectResult,
                deadlines: dict[Period, Deadlines]) -> None:
    """W209 on an accepted return of ``period`` received after the month was merged, and the
    unit said on screen: 重报 when it had reported the month (accepted: in the ledger, or an
    earlier file of this run, ``later``), which 补报 (reporting late) would deny in front of the
    office; for a unit exempt for the month (本期免报) that had not, `EXEMPT_RETURN`, never 补报;
    for one consolidate counts 按时报送 (`_timely`), `ON_TIME`: 补报 only when sent too late.
    ``merged``: when the month's 汇总表 was last written, quoted (`merge_time.merged_at`).
    ``deadlines``: the run's months' `Deadlines` read so far (the ledger as before this run's
    receipts), filled here."""
    names = months.names_of(rep.unit, period)
    before = months.reported(names, period)
    exempt = not before and months.exempt(names, period)
    timely = not (before or later or exempt) and _timely(ws, ledger, master, it, rep.unit, period, deadlines)
    what = "重报" if before or later else EXEMPT_RETURN if exempt else ON_TIME if timely else "补报"
    issue = make_issue("W209", what=what, period=period.label, period_key=str(period),
                       merged=f"{merged:%Y-%m-%d %H:%M}", file=it.name)
    rep.issues.append(issue)
    if exempt:
        if (rep.unit, period) not in result.volunteered:
            result.volunteered.append((rep.unit, period))
        return
    if (rep.unit, period) not in result.late:  # one line a unit and month, however many files
        result.late.append((rep.unit, period))
        if before:
            result.resent.append((rep.unit, period))
        elif timely:
            result.on_time.append((rep.unit, period))


def _timely(ws: Workspace, ledger: Ledger, master: Master, it: Item, unit: str, period: Period,
            deadlines: dict[Period, Deadlines]) -> bool:
    """Whether ``it``, ``unit``'s first accepted return of ``period``, is 按时报送 as consolidate
    judges it: by consolidate's own rule (`on_time.timeliness`) on the unit's receipts with ``it``
    among them as the ledger will record it. Sent by the unit's deadline, at a doubtful time (W207,
    which names no unit 逾期), or by the date a reply to its refused file asked a correction by,
    when sent after the office collected that file (`on_time.correction_by`): one sent before it
    is the unit's own late fix, 逾期 in the 通报, and so 补报 here (QA285)."""
    common, dues, received, replied, exempt = read_once(deadlines, ws, ledger, master, period)
    if unit in exempt:  # given no deadline, never 逾期 (consolidate's exempt at issue)
        return True
    due = unit_due(ws, period, dues, common, unit)
    # not a file the office said was not the unit's (`sender --not-theirs`), as consolidate reads them:
    # 建设局's return on 经信局's form, of 5 October, made 经信局's 补报 of 9 November 按时报送 (QA387)
    not_theirs = disowned_files(ledger.conn) | disowned(ledger.sender_checks(period))
    # but a W206 file said not its unit's is the refused return of the unit it named (QA405)
    theirs, replied = unit_refused(ledger, received, master, period, unit, ws.tz, replied,
                                   [r for r in received.get(unit, []) if r.id not in not_theirs])
    this = _as_recorded(it, unit, period, theirs)
    ordered = sorted([*theirs, this], key=lambda r: (r.received_at, r.id))  # as `issued_month.received_of`
    return timeliness(this, ordered, due, reply_date(ws, due, replied))[0] == UnitState.ON_TIME


def _as_recorded(it: Item, unit: str, period: Period, received: list[Receipt]) -> Receipt:
    """``it`` as the ledger will record it (`actions.collect`, after this): its time and how it
    was known, accepted, collected now by a run after every one that recorded ``received``
    (this run's own receipts are not in the ledger yet), its id after theirs."""
    return Receipt(id=sys.maxsize, parent_id=None, sha256=it.sha256, name=it.name, kind=it.kind or "",
                   source="", received_at=it.received_at.isoformat(sep=" "), collected_at=store.now(),
                   archive_path="", size=it.size, period=period, unit=unit, outcome=Outcome.ACCEPTED,
                   errors=0, warnings=0, identified_by="", contact={}, superseded_by=None, note="",
                   received_how=it.time_source,
                   run_id=1 + max((r.run_id or 0 for r in received), default=0))
