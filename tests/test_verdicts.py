"""The 通报 names units in public: situations where a unit that did nothing wrong was named
逾期报送 or 未报送 (found by a QA pass acting as departments and as the office, round 2).

Each test plants the situation and asserts the unit's 报送状态 as the memo would print it.
"""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop
from test_evidence import clean, mail, state

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

# ---------------------------------------------------------------------------
# the deadline is the one printed on the forms


def test_a_deadline_issued_with_due_decides_lateness(issued_ws, make_return):
    """`duban issue --due 2022-07-10` prints 10 July on the form and in the mail: a unit
    that sends on 8 July met it (it was judged against duban.toml's day 5)."""
    issue_returns(issued_ws, "2022-06", due=dt.date(2022, 7, 10), units=["石龙镇"])
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    cons = consolidate(issued_ws, PERIOD)
    assert cons.due == dt.date(2022, 7, 10)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_the_later_of_the_printed_and_the_configured_deadline_applies(issued_ws):
    """An office may extend the deadline in duban.toml after printing the forms; it cannot
    shorten what it printed."""
    june = PERIOD
    assert issued_ws.due(june) == dt.date(2022, 7, 5)
    assert issued_ws.due(june, dt.date(2022, 7, 10)) == dt.date(2022, 7, 10)
    assert issued_ws.due(june, dt.date(2022, 7, 1)) == dt.date(2022, 7, 5)


def test_forms_issued_before_the_deadline_was_recorded_keep_the_configured_one(issued_ws):
    with Ledger(issued_ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE issued SET due = NULL")
        assert ledger.issued_due(PERIOD) is None
    assert consolidate(issued_ws, PERIOD).due == dt.date(2022, 7, 5)
