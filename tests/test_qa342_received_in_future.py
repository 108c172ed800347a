"""``collect --received`` with a day that has not come (QA342's month: on 7 December the office
typed 2027-01-08 for a file of December, whose deadline is 5 January): the file was recorded as
received on 8 January, and the unit stood 逾期报送 in status, the 汇总表 and the 通报, on a day
still in the future, without a word. A stated day is trusted (W207 doubts every other time
later than now), so it is refused as ``duban received --on`` refuses it: exit 2, nothing taken
from 收件箱, nothing registered."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, issued_path

from toolkit import errors
from toolkit.actions.collect import collect
from toolkit.filling import Filling, fill_return
from toolkit.ledger import Ledger


def _today(ws) -> dt.date:
    return ws.now().date()


def test_collect_refuses_a_received_day_after_today(issued_ws, run):
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()))
    tomorrow = _today(ws) + dt.timedelta(days=1)
    said = run(["collect", "--received", tomorrow.isoformat()], cwd=ws.root)
    assert said.exit_code == 2, said.output
    assert said.stderr.strip() == (f"错误：收到日期 {tomorrow.isoformat()} 晚于今天（{_today(ws).isoformat()}），"
                                   "请写实际收到报送的日期。")
    assert (ws.inbox / "民政.xlsx").exists()
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.conn.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] == 0


def test_collect_takes_today_as_the_received_day(issued_ws):
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()))
    assert collect(ws, received=_today(ws), feedback=False).accepted == 1


def test_the_library_refuses_it_too(issued_ws):
    with pytest.raises(errors.UsageError, match="晚于今天"):
        collect(issued_ws, received=_today(issued_ws) + dt.timedelta(days=40), feedback=False)
