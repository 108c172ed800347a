"""东莞's office plays June and July 2022 as departments send (QA170): the verdicts the 通报
publishes (按时报送, 逾期报送, 未报送, 退回待改) checked against the rules by hand.

Right, kept as regressions: a mail whose ``Date`` is written in UTC or in a US zone is timed
by the office's clock (23:50 on the due day is on time, 00:10 the next day is late).

Wrong until the lead's fix: the office catches up June's 补报 with ``collect --period 2022-06``
on 28 July while 寮步镇's July form, filled and mailed early, sits in 收件箱. The July form was
refused E202 and filed under June, so June named 寮步镇 退回待改 (it sent nothing for June) and
July's 通报 named it 未报送 though its valid July form came a week before the deadline. Now the
form is filed as July's and said on screen (`elsewhere`).
"""

from __future__ import annotations

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Filling, fill_return
from toolkit.period import Period
from toolkit.vocab import UnitState

JULY = Period.parse("2022-07")

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("date, verdict", [
    ("Tue, 05 Jul 2022 15:50:00 +0000", UnitState.ON_TIME),   # 23:50 in 东莞
    ("Tue, 05 Jul 2022 08:50:00 -0700", UnitState.ON_TIME),   # 23:50 in 东莞, sent from a US client
    ("Tue, 05 Jul 2022 16:10:00 +0000", UnitState.LATE),      # 00:10 on 6 July in 东莞
    ("Tue, 05 Jul 2022 23:50:00 +0800", UnitState.ON_TIME),
])
def test_a_mail_on_the_due_day_is_timed_by_the_offices_clock(issued_ws, make_return, date, verdict):
    drop(issued_ws, "石龙镇.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))], date=date))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == verdict


def test_a_july_form_collected_with_period_june_does_not_name_its_unit_unreported(
        issued_ws, make_return, monkeypatch):
    import datetime as dt

    set_clock(monkeypatch, dt.date(2022, 7, 25))
    issue_returns(issued_ws, JULY, units=["寮步镇", "石龙镇"])
    (form,) = (issued_ws.root / "下发" / JULY.label).glob("*_寮步镇_进展填报表.xlsx")
    set_clock(monkeypatch, dt.date(2022, 7, 28))
    drop(issued_ws, "寮步镇.eml", mail([(form.name, fill_return(form, Filling()))],
                                     date="Thu, 28 Jul 2022 10:00:00 +0800"))
    result = collect(issued_ws, PERIOD)  # the office catching up June's 补报
    assert state(issued_ws, "寮步镇", "2022-07") == UnitState.ON_TIME
    assert state(issued_ws, "寮步镇") == UnitState.NOT_REPORTED  # nothing of June's came
    assert result.elsewhere == [("寮步镇", JULY, form.name)]  # said: 已登记为2022年7月的报送
    assert not result.returned
