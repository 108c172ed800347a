"""QA285: W209's word for a return of a month merged early agrees with consolidate's verdict.

July's forms went out on 3 July, before June's deadline (5 July), and June was merged: a town's
June return that comes later is said on screen (W209) 按时报送 or 补报. A file of the town's
refused though sent on time may be corrected by the date its reply asked, but only a correction
sent after the office collected the refused file answers the reply (`on_time._answers`, QA264):
one sent before is the town's own late fix. W209 granted the reply's date to both, so the screen
said 按时报送 where the 通报 and 汇总表 said 逾期报送.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import LATE_NO_REASON, clean, mail, merged_on
from test_qa270_review import _july_issued_on_the_3rd

from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays issue and collects across two months: run in CI, out of the quick loop

ZT_FORM = f"{PERIOD.label}_中堂镇_进展填报表.xlsx"


def _w209(ws, name: str) -> str:
    with Ledger(ws.ledger_path) as ledger:
        [rec] = [r for r in ledger.receipts(PERIOD) if r.name == name]
        return next(i.message for i in ledger.issues_of(rec.id) if i.code == "W209")


@pytest.mark.parametrize("sent_at, word, state", [
    # sent four hours before the office collected the refused file (6 July, 18:00): no reply
    # could have asked it; after the deadline: 逾期, and so 补报 on screen
    ("14:00", "补报", UnitState.LATE),
    # sent after the office collected it, by the date the reply asked: 按时 both
    ("20:00", "按时报送", UnitState.ON_TIME),
])
def test_a_correction_of_a_month_merged_early_is_said_as_consolidate_judges_it(
        run, issued_ws, make_return, monkeypatch, sent_at, word, state):
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    merged_on(issued_ws, dt.datetime(2022, 7, 2, 18, 0))  # merged on the 2nd, as the clock said
    # sent on the 4th (by June's deadline), refused, collected on the 6th at 18:00
    drop(issued_ws, "zt1.eml", mail([("中堂镇6月进展.xlsx", make_return("中堂镇", **LATE_NO_REASON))],
                                    sender="zt@example.cn", date="Mon, 04 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    run(["collect", "--period", "2022-06"], cwd=issued_ws.root)
    drop(issued_ws, "zt2.eml", mail([(ZT_FORM, make_return("中堂镇", clean()))], sender="zt@example.cn",
                                    date=f"Wed, 06 Jul 2022 {sent_at}:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 7))
    collected = run(["collect", "--period", "2022-06"], cwd=issued_ws.root)
    zt = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "中堂镇")
    assert (zt.state, zt.file) == (state, ZT_FORM)
    assert _w209(issued_ws, ZT_FORM).startswith(f"{word}：2022年6月已于 2022-07-02 18:00 汇总"), collected.output
    assert any(line.startswith(f"  {word}：中堂镇 报送了2022年6月的填报表") for line in collected.output.splitlines())
