"""When a month's forms went out is when they first went out (QA132): the demo's 东莞 plan,
June issued 28 June, July issued 20 July (due 5 August).

东城街道 opens June's file, overwrites the progress and mails it on 25 July as
东城街道7月进展.xlsx: July's progress on the wrong form, refused as July's (E202, QA129).
On 28 July the office issues every form of July again: after correcting 任务清单 (a task's
deadline and wording), or from the same 任务清单 with a later deadline. The ledger kept
one row per unit and master (``INSERT OR REPLACE``, ``issued_at`` = now), so July's forms
"went out" on 28 July: the file of 25 July, collected after the re-issue, became June's 补报
(a June 重报 of July's progress and July 未报送, nobody told), and June's, collected before,
stayed July's; the verdict hung on the day the office collected. Now the ledger keeps when
each form first went out (``issued.first_issued_at``, migration 10): a re-issue moves
nothing. A unit issued July later than the others (``issue --dept``) was asked July from its
own form's first day: its June form named 7月进展 sent before that is June's.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import invoke_cli, ledger_at, set_clock
from test_qa103_past_month_deadlines import move_deadlines
from test_qa129_last_months_form import DC, JULY_WORK, JUNE_WORK, _filled, _mail, june_issued

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.issued_month import vouches
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.period import Period
from toolkit.vocab import Outcome, UnitState

JUNE, JULY = Period(2022, 6), Period(2022, 7)
NAME = "东城街道7月进展.xlsx"


def _july_issued(mp, session_workspace, folder):
    ws = june_issued(mp, session_workspace, folder)
    set_clock(mp, dt.date(2022, 7, 20))
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
    _mail(ws, DC, NAME, _filled(ws, DC, JULY_WORK), "7月份进展情况", "Mon, 25 Jul 2022 10:00:00 +0800")
    return ws


def _verdict(ws):
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == NAME)
        codes = {i.code for i in ledger.issues_of(rec.id)}
    states = {p: next(u.state for u in consolidate(ws, p).units if u.unit == DC) for p in (JUNE, JULY)}
    return rec.period, rec.outcome, "E202" in codes, states[JUNE], states[JULY]


REFUSED_FOR_JULY = (JULY, Outcome.RETURNED, True, UnitState.NOT_REPORTED, UnitState.TO_FIX)


def _reissue_corrected(ws):
    move_deadlines(ws)  # 任务清单 corrected: another master, forms of it for every unit
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))


def _reissue_later_due(ws):
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 10))  # the same master, a later deadline


def _reissue_one(ws):
    issue_returns(ws, "2022-07", units=[DC])  # its form alone, as lost


@pytest.mark.parametrize("reissue", [_reissue_corrected, _reissue_later_due, _reissue_one])
def test_a_file_collected_after_julys_forms_went_out_again_is_still_julys(tmp_path, _session_workspace, reissue):
    with pytest.MonkeyPatch.context() as mp:
        ws = _july_issued(mp, _session_workspace, tmp_path)
        set_clock(mp, dt.date(2022, 7, 28))
        reissue(ws)
        set_clock(mp, dt.date(2022, 7, 29))
        collected = invoke_cli(["collect"], ws.root)
    assert _verdict(ws) == REFUSED_FOR_JULY, collected.output
    assert f"补报：{DC}" not in collected.output, collected.output


def test_a_verdict_given_before_the_reissue_stands_after_it(tmp_path, _session_workspace):
    """Collected on 26 July (refused for July), July issued again on 28 July, then collected
    and merged again: the same verdict, and one a file collected only now is given too."""
    with pytest.MonkeyPatch.context() as mp:
        ws = _july_issued(mp, _session_workspace, tmp_path)
        set_clock(mp, dt.date(2022, 7, 26))
        collect(ws)
        before = _verdict(ws)
        set_clock(mp, dt.date(2022, 7, 28))
        _reissue_later_due(ws)
        set_clock(mp, dt.date(2022, 7, 29))
        assert invoke_cli(["collect"], ws.root).exit_code == 0
        assert invoke_cli(["merge"], ws.root).exit_code == 0
    assert before == _verdict(ws) == REFUSED_FOR_JULY
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.issued_at(JULY).date() == ledger.issued_first_of(JULY)[DC].date() == dt.date(2022, 7, 20)
        assert ledger.issued_dues(JULY)[DC] == dt.date(2022, 8, 10)  # the re-issue's deadline holds
        # recorded before the first return was collected, the ledger still vouches for who
        # July asked: a unit given no form is not named 未报送 (`consolidate._not_issued`)
        received = {DC: [r for r in ledger.receipts() if r.name == NAME]}
        assert vouches(ledger, JULY, received)


def test_a_unit_first_issued_july_after_its_file_was_sent_is_asked_from_then(tmp_path, _session_workspace):
    """July's forms go out on 20 July to every unit but 东城街道, whose form the office sends on
    28 July (``issue --dept``): its June form named 7月进展, sent on 25 July, could not have
    been July's; it is June's 补报, not refused for a month it was not yet asked."""
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        set_clock(mp, dt.date(2022, 7, 20))
        others = [u for u in ws.load_master().units_with_tasks() if u != DC]
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5), units=others)
        _mail(ws, DC, NAME, _filled(ws, DC, JUNE_WORK), "东城街道7月进展", "Mon, 25 Jul 2022 10:00:00 +0800")
        set_clock(mp, dt.date(2022, 7, 28))
        issue_returns(ws, "2022-07", units=[DC])
        set_clock(mp, dt.date(2022, 7, 29))
        collect(ws)
    period, outcome, refused, june, _ = _verdict(ws)
    assert (period, outcome, refused, june) == (JUNE, Outcome.ACCEPTED, False, UnitState.LATE)


def test_a_version_9_ledger_keeps_when_its_forms_went_out(tmp_path):
    """Forms recorded by the release before migration 10: each row's issue time is the first
    known; a form issued again keeps it, a new one has its own."""
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO issued(period, unit, fingerprint, tasks, issued_at, due, roles) VALUES"
              " ('2022-07', ?, 'f1', '[\"7.1\"]', ?, '2022-08-05', '{\"7.1\": \"牵头\"}')")
    ledger_at(path, 9, (insert, (DC, "2022-07-20 09:00:00")), (insert, ("南城街道", "2022-07-21 09:00:00")))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 10
        assert ledger.issued_at(JULY) == dt.datetime(2022, 7, 20, 9)
        ledger.record_issued(JULY, DC, "f1", ["7.1"], dt.date(2022, 8, 10), roles={"7.1": "牵头"})
        ledger.record_issued(JULY, "东坑镇", "f1", ["7.1"], dt.date(2022, 8, 5), roles={"7.1": "牵头"})
        assert ledger.issued_at(JULY) == dt.datetime(2022, 7, 20, 9)
        first = ledger.issued_first_of(JULY)
        assert first[DC] == dt.datetime(2022, 7, 20, 9) and first["南城街道"] == dt.datetime(2022, 7, 21, 9)
        assert first["东坑镇"] > dt.datetime(2022, 7, 21, 9)  # issued now
        assert ledger.issued_dues(JULY)[DC] == dt.date(2022, 8, 10)
    assert (tmp_path / "ledger.sqlite3.v9.bak").exists()


def test_a_unit_exempt_at_the_first_issue_is_asked_from_its_form(tmp_path, monkeypatch):
    """市税务局 exempt on 20 July (every task done: no form), asked again on 28 July
    (``issue --dept … --no-skip-done``): its July form went out on 28 July, not 20 July."""
    tax = "国家税务总局东莞市税务局"
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        set_clock(monkeypatch, dt.date(2022, 7, 20))
        ledger.record_issued(JULY, DC, "f1", ["7.1"], dt.date(2022, 8, 5))
        ledger.record_issued(JULY, tax, "f1", ["6.2"], dt.date(2022, 8, 5), exempt=True)
        assert tax not in ledger.issued_first_of(JULY)
        set_clock(monkeypatch, dt.date(2022, 7, 28))
        ledger.record_issued(JULY, tax, "f1", ["6.2"], dt.date(2022, 8, 5))
        ledger.record_issued(JULY, DC, "f1", ["7.1"], dt.date(2022, 8, 5))
        first = ledger.issued_first_of(JULY)
        assert (first[DC].date(), first[tax].date()) == (dt.date(2022, 7, 20), dt.date(2022, 7, 28))
        assert ledger.issued_at(JULY).date() == dt.date(2022, 7, 20)


# plays July issued, re-issued and collected: about 10 s a test
pytestmark = pytest.mark.slow
