"""QA403 (QA402's finding 6): a received day stated before the month's forms went out is doubted.

``collect --received 2022-06-14`` (a typo for 07-14; June's forms went out on 1 July) was taken
silently: the day is in June, after the period began, and W207 bounded a stated day by the earlier of
the issue and the period's start. Now a stated day before the forms first went out is a W207 (暂计为
按时, asked), unless the month's issue was recorded after its deadline (a month caught up on later:
`file_time.stated_floor`). ``received --on`` refused such a day already (`received.issue_day`).
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop
from test_evidence import clean, receipts, state

from toolkit.actions.collect import collect
from toolkit.ledger import Ledger
from toolkit.vocab import TimeSource, UnitState

UNIT = "石龙镇"


@pytest.mark.parametrize(("issued", "day", "stated", "how"), [
    # 2022-06-14 typed for 07-14, forms out on 1 July: doubted, 暂计为按时 and asked (test_qa388_doubtful_on_time.py)
    ("2022-07-01 09:00:00", dt.date(2022, 7, 14), dt.date(2022, 6, 14), TimeSource.DOUBTFUL),
    # forms recorded as issued after the deadline (a month caught up on, sent by hand before): the day stands
    ("2022-08-01 09:00:00", dt.date(2022, 8, 2), dt.date(2022, 7, 4), TimeSource.STATED),
], ids=["before the issue", "a month caught up on"])
def test_a_day_stated_before_the_forms_went_out_is_doubted(issued_ws, make_return, collecting_on,
                                                         issued, day, stated, how):
    with Ledger(issued_ws.ledger_path) as ledger, ledger.conn:
        ledger.conn.execute("UPDATE issued SET issued_at=?, first_issued_at=NULL", (issued,))
    drop(issued_ws, f"{UNIT}.xlsx", make_return(UNIT, clean()))
    collecting_on(day)
    collect(issued_ws, received=stated)
    [r] = [r for r in receipts(issued_ws) if r.name == f"{UNIT}.xlsx"]
    taken = day if how == TimeSource.DOUBTFUL else stated  # a doubtful day: the collect's instead
    assert r.received_how == how and r.received_at.startswith(taken.isoformat()), r
    assert state(issued_ws, UNIT) == UnitState.ON_TIME
