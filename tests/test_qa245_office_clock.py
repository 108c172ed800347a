"""QA245: the times duban writes itself (``issued_at``, ``collected_at``, the answers': the
machine's naive wall clock, `store.now`) were compared with times of receipt (a mail's Date, a
file's time: the office's wall clock, duban.toml ``timezone``) as if on one clock. On a laptop
left on UTC, June's forms issued at 09:00 Beijing time were stored as 01:00: a file received
at 08:00, before the issue, was after it. Each such reading goes through
`ledger.answers.office_time`: the ledger's time on the office's clock; stored values unchanged.

Each case runs on a machine west of the office (UTC: stored times 8 hours early) and one east
of it (Etc/GMT-14: 6 hours late), and would give the other verdict read as stored.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest
from conftest import drop, shanghai
from test_evidence import _move_period, mail

from toolkit.actions.collect import collect
from toolkit.issued_month import EarlierMonths
from toolkit.ledger import Ledger
from toolkit.ledger.answers import office_time
from toolkit.period import Period
from toolkit.vocab import TimeSource
from toolkit.workspace import Workspace

CST = ZoneInfo("Asia/Shanghai")
JUNE, JULY = Period(2022, 6), Period(2022, 7)
SL = "石龙镇"
WEST, EAST = "UTC", "Etc/GMT-14"


def _stored(instant: dt.datetime) -> str:
    """``instant`` as the ledger writes it on this machine (`store.now`: naive local wall time)."""
    return instant.astimezone().replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


def _at(monkeypatch, instant: dt.datetime) -> None:
    """Run what follows at ``instant`` (aware): the ledger's stamps and the workspace's clock."""
    monkeypatch.setattr("toolkit.ledger.store.now", lambda: _stored(instant))
    monkeypatch.setattr(Workspace, "now", lambda self: instant.astimezone(self.tz))


def _issued_on(ws, period: Period, instant: dt.datetime) -> None:
    """``period``'s forms recorded as first issued at ``instant``, as this machine stored it."""
    with sqlite3.connect(ws.ledger_path) as conn:
        conn.execute("UPDATE issued SET issued_at=?, first_issued_at=? WHERE period=?",
                     (_stored(instant),) * 2 + (str(period),))
    conn.close()


def _july_issued_on(ws, instant: dt.datetime) -> None:
    """July's forms recorded as issued at ``instant`` to the units June's went to, as this
    machine stored it (what `issue_returns` records, without writing 100 forms: 4 s a test)."""
    with sqlite3.connect(ws.ledger_path) as conn:
        conn.execute("INSERT INTO issued(period, unit, fingerprint, tasks, issued_at, first_issued_at, due, roles,"
                     " exempt) SELECT '2022-07', unit, fingerprint, tasks, ?, ?, '2022-08-05', roles, exempt"
                     " FROM issued WHERE period='2022-06'", (_stored(instant),) * 2)
    conn.close()


def test_office_time_reads_the_machines_stamp_on_the_offices_clock(machine_tz):
    machine_tz(WEST)
    assert office_time("2022-07-08 01:00:00", CST) == dt.datetime(2022, 7, 8, 9, 0)
    assert office_time("2022-07-08 20:30:00.000005", CST) == dt.datetime(2022, 7, 9, 4, 30, 0, 5)
    assert office_time(dt.datetime(2022, 7, 8, 1, 0), CST) == dt.datetime(2022, 7, 8, 9, 0)
    # a stamp that says its zone is read as it says (none written so yet)
    assert office_time("2022-07-08 09:00:00+08:00", CST) == dt.datetime(2022, 7, 8, 9, 0)
    assert office_time("2022-07-08 01:00:00", None) == dt.datetime(2022, 7, 8, 1, 0)
    machine_tz(EAST)
    assert office_time("2022-07-08 15:00:00", CST) == dt.datetime(2022, 7, 8, 9, 0)
    with pytest.raises(ValueError):
        office_time("not a time", CST)


# ---------------------------------------------------------------------------
# W207: a time before the month's forms went out is doubted, by the office's clock


@pytest.mark.parametrize("machine, received, doubted", [
    (WEST, dt.datetime(2022, 5, 19, 8, 30), True),    # stored 01:00: read as stored, within the day's grace
    (EAST, dt.datetime(2022, 5, 19, 10, 0), False),   # stored 15:00: read as stored, before it
], ids=["utc machine", "far east machine"])
def test_a_file_before_the_issue_is_doubted_by_the_offices_clock(issued_ws, make_return, machine_tz,
                                                                 machine, received, doubted):
    """June's forms went out on 20 May at 09:00 Beijing time (before the month began: the
    earlier of the two bounds W207); a file time more than a day before it cannot be right."""
    machine_tz(machine)
    _issued_on(issued_ws, JUNE, dt.datetime(2022, 5, 20, 9, 0, tzinfo=CST))
    drop(issued_ws, "石龙镇.xlsx", make_return(SL), shanghai(received))
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        (rec,) = ledger.receipts()
        said = [i.message for i in ledger.issues_of(rec.id) if i.code == "W207"]
    assert len(said) == doubted and (rec.received_how == TimeSource.DOUBTFUL) is doubted
    if doubted:
        assert f"时间 {received:%Y-%m-%d %H:%M} 早于本期开始或填报表下发（2022-05-20）" in said[0], said


# ---------------------------------------------------------------------------
# a refused file of no month: June's when sent before July's forms went out (`_owed_before`)


@pytest.mark.parametrize("machine, sent, month", [
    (WEST, "Fri, 08 Jul 2022 08:00:00 +0800", JUNE),   # an hour before July's forms: June's
    (EAST, "Fri, 08 Jul 2022 10:00:00 +0800", JULY),   # an hour after: July's
], ids=["utc machine", "far east machine"])
def test_a_stamped_pdf_goes_to_the_month_asked_when_it_was_sent(issued_ws, monkeypatch, machine_tz,
                                                                machine, sent, month):
    """July's forms went out on 8 July at 09:00 Beijing time; 石龙镇, which sent no June, mails
    a stamped PDF of no month. Before the issue it can only be June's (July not yet asked)."""
    machine_tz(machine)
    _issued_on(issued_ws, JUNE, dt.datetime(2022, 6, 28, 9, 0, tzinfo=CST))
    _july_issued_on(issued_ws, dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST))
    ws = _move_period(issued_ws, "2022-07")
    _at(monkeypatch, dt.datetime(2022, 7, 10, 18, 0, tzinfo=CST))
    name = "石龙镇进展情况（盖章版）.pdf"
    drop(ws, "盖章版.eml", mail([(name, b"%PDF-1.4\n%%EOF\n")], date=sent))
    collect(ws)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == name)
    assert (rec.unit, rec.period) == (SL, month)


# ---------------------------------------------------------------------------
# whether a month was asked of a unit by a day (`EarlierMonths.was_asked`, `was_exempt`)


@pytest.mark.parametrize("machine, issued, by, asked", [
    # 07:00 on the 21st Beijing: 23:00 on the 20th stored; a file of the 20th was before it
    (WEST, dt.datetime(2022, 7, 21, 7, 0), dt.datetime(2022, 7, 20, 20, 0), False),
    # 20:00 on the 20th Beijing: 02:00 on the 21st stored; a file of 21:00 on the 20th was after it
    (EAST, dt.datetime(2022, 7, 20, 20, 0), dt.datetime(2022, 7, 20, 21, 0), True),
], ids=["utc machine", "far east machine"])
def test_was_asked_reads_the_issue_day_on_the_offices_clock(issued_ws, machine_tz,
                                                            machine, issued, by, asked):
    machine_tz(machine)
    _july_issued_on(issued_ws, issued.replace(tzinfo=CST))
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        master = issued_ws.load_master()
        months = EarlierMonths(ledger, master, issued_ws.tz)
        assert months.was_asked(SL, JULY, by) is asked
        assert months.issued_at(JULY) == issued
        # read as stored (no zone), the day was the other one
        assert EarlierMonths(ledger, master).was_asked(SL, JULY, by) is not asked
