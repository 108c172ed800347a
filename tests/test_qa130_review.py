"""Second reading of QA125-QA129 (QA130): the demo's 东莞 plan, June issued 28 June (due 5 July),
July issued 20 July (due 5 August).

1. 南城街道 reported two months at once on June's form, 南城街道2022年6-7月进展.xlsx mailed as
   南城街道6-7月份进展情况: the name says June (a range, and "2022年6-7" looked like a date), so
   by QA129's own rule ("never the form's own month", 6月进展（7月补报）) it is June's 补报, not
   refused for July (July then named it 退回待改, June 未报送).
2. `remind --attach` read the month's mergers (`kept_apart`) once per 退回待改 unit.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import issued_path, set_clock
from test_qa129_last_months_form import _mail, june_issued

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.evidence import later_month_named, months_named
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import Outcome, UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE, JULY = Period(2022, 6), Period(2022, 7)
NC, SL, DK = "南城街道", "石龙镇", "东坑镇"
JUNE_WORK = Answer(status="序时推进", progress=40, work="6月：已完成窗口人员培训。")


@pytest.mark.parametrize("texts, expected", [
    (["南城街道6-7月进展"], None),            # names June: June's, as 6月进展（7月补报）
    (["南城街道2022年6-7月进展"], None),      # not the date 2022-6-7
    (["南城街道6、7月份进展情况"], None),
    (["南城街道6月至7月进展"], None),
    (["南城街道1-7月工作进展"], JULY),        # 1至7月: July's cumulative progress, not June's
    (["东城街道7月进展", "7月份进展情况"], JULY),
    (["东城街道7月1日-5日报送"], None),       # days, not months
])
def test_a_range_of_months_names_both_ends(texts, expected):
    assert later_month_named(JUNE, months_named(texts, dt.datetime(2022, 8, 3))) == expected


@pytest.mark.parametrize("hints, refused", [
    (["东城街道7月补报", "", ""], False),                 # June's 补报, sent in July
    (["东城街道", "", "六月份进展（7月补报）"], False),
    (["东城街道", "", "关于报送7月份以前工作进展的函"], False),
    (["东城街道", "", "截至6月30日（7月补报）"], False),
    (["东城街道", "", "7月10日报送进展"], False),           # a day
    (["东城街道7月进展", "", "7月份进展情况"], True),       # July's progress on June's form
])
def test_a_month_said_as_when_a_file_went_is_not_the_month_it_reports(hints, refused):
    """QA130: 东城街道 mails June's progress on 8 July as "东城街道7月补报"; refused for July it
    would stand 未报送 for June and 退回待改 for July, both in public."""
    from toolkit.evidence import meant_later
    from toolkit.report import Report

    rep = Report("x.xlsx", unit="东城街道", period=JUNE, period_by="_meta")
    said = meant_later(rep, "x.xlsx", hints, dt.datetime(2022, 7, 21, 9), lambda unit, period, by: True)
    assert bool(said) == refused and rep.period == (JULY if refused else JUNE), said


@pytest.fixture(scope="module")
def played(tmp_path_factory, _session_workspace):
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path_factory.mktemp("qa130"))
        june = fill_return(issued_path(ws, NC, JUNE), Filling(default=JUNE_WORK))
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
        # 1. two months on June's form
        _mail(ws, NC, "南城街道2022年6-7月进展.xlsx", june, "南城街道6-7月份进展情况",
                   "Wed, 27 Jul 2022 10:00:00 +0800")
        # 2. two towns whose July files cannot be read: 退回待改, reminded with --attach
        for unit in (SL, DK):
            _mail(ws, unit, f"{unit}7月进展.pdf", f"%PDF-1.4 {unit}".encode(), f"{unit}7月进展",
                       "Mon, 25 Jul 2022 10:00:00 +0800")
        set_clock(mp, dt.date(2022, 7, 28))
        collect(ws)
    return ws


def _receipt(ws, name):
    with Ledger(ws.ledger_path) as ledger:
        return next(r for r in ledger.receipts() if r.name == name)


def _state(ws, unit, period):
    return next(u.state for u in consolidate(ws, period).units if u.unit == unit)


@pytest.mark.slow
def test_june_and_july_on_junes_form_is_junes(played):
    rec = _receipt(played, "南城街道2022年6-7月进展.xlsx")
    assert (str(rec.period), rec.outcome) == ("2022-06", Outcome.ACCEPTED), rec
    assert _state(played, NC, JUNE) == UnitState.LATE
    assert _state(played, NC, JULY) == UnitState.NOT_REPORTED


@pytest.mark.slow
def test_remind_reads_the_months_mergers_once(played, monkeypatch):
    from toolkit import issued_month
    from toolkit.actions.remind import write_reminders

    assert {_state(played, u, JULY) for u in (SL, DK)} == {UnitState.TO_FIX}
    calls = []
    real = issued_month.kept_apart
    monkeypatch.setattr(issued_month, "kept_apart", lambda *a: calls.append(a[1]) or real(*a))
    set_clock(monkeypatch, dt.date(2022, 7, 29))
    write_reminders(played, JULY, attach=True)
    # once for the reminders' names, not once per 退回待改 unit (consolidate reads its own)
    assert len(calls) == 1, calls


def test_a_file_sent_before_the_later_months_forms_is_no_return_of_that_month(tmp_path, _session_workspace):
    """东城街道 mails June's progress on 8 July as 东城街道7月进展; July's forms go out on 20 July
    and the office collects on 21 July. It could not have been a July return on the wrong
    form: it is June's (a 补报), not refused for July (June 未报送 and July 退回待改 in public)."""
    from test_qa129_last_months_form import DC, JUNE_WORK, _filled

    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
        _mail(ws, DC, "东城街道7月进展.xlsx", _filled(ws, DC, JUNE_WORK), "东城街道7月进展",
              "Fri, 08 Jul 2022 10:00:00 +0800")
        set_clock(mp, dt.date(2022, 7, 21))
        collect(ws)
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == "东城街道7月进展.xlsx")
        codes = {i.code for i in ledger.issues_of(rec.id)}
    assert (rec.period, rec.outcome) == (JUNE, Outcome.ACCEPTED) and "E202" not in codes, (rec.period, codes)
