"""``collect --received`` with a day before the month began (a year typed wrong: 2022-05-06 for
2022-07-06, the office collecting June's returns): the stated day was trusted as every stated
day is, and a unit that sent after its deadline stood 按时报送 in the 通报, without a word.
``duban received --on`` refuses such a day (QA222); so does collect now, before anything leaves
收件箱 (a file of an earlier month received then is collected under its month, ``--period``).
A file of a month later than the run's, stated received before its own month began, is
doubted as any other time before its month is (W207)."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, issued_path

from toolkit import errors
from toolkit.actions.collect import collect
from toolkit.evidence import doubt
from toolkit.filling import Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.vocab import TimeSource


def _receipts(ws):
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return ledger.receipts()


def test_collect_refuses_a_received_day_before_the_month(issued_ws, run):
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()))
    said = run(["collect", "--received", "2022-05-06"], cwd=ws.root)
    assert said.exit_code == 2, said.output
    assert said.stderr.strip() == ("错误：收到日期 2022-05-06 早于2022年6月开始（2022-06-01），2022年6月的报送不会在此之前"
                                   "收到，请写实际收到报送的日期；如收件箱中是更早月份的报送，请用 --period 指明月份。")
    assert (ws.inbox / "民政.xlsx").exists() and not _receipts(ws)


def test_the_month_given_bounds_the_day(issued_ws):
    ws = issued_ws
    drop(ws, "民政.xlsx", fill_return(issued_path(ws, "市民政局"), Filling()))
    with pytest.raises(errors.UsageError, match="早于2022年7月开始"):
        collect(ws, "2022-07", received=dt.date(2022, 6, 30), feedback=False)
    assert collect(ws, received=PERIOD.start, feedback=False).accepted == 1  # its first day: taken
    (rec,) = _receipts(ws)
    assert rec.received_how == TimeSource.STATED and rec.received_at.startswith("2022-06-01")


def test_a_stated_day_before_a_files_own_month_is_doubted():
    start = dt.datetime(2022, 7, 1)
    now = dt.datetime(2022, 7, 20, 10)
    assert doubt(dt.datetime(2022, 6, 30), TimeSource.STATED, now=now, issued=start) == (
        "所写收到日期 2022-06-30 早于本期开始或填报表下发（2022-07-01）")
    assert doubt(dt.datetime(2022, 7, 1), TimeSource.STATED, now=now, issued=start) == ""
    assert doubt(dt.datetime(2022, 6, 30), TimeSource.STATED, now=now, issued=None) == ""


def test_collect_fetch_refuses_the_day_before_reading_the_mailbox(issued_ws, run, monkeypatch):
    from toolkit.actions import mail

    def fetched(*args, **kwargs):
        raise AssertionError("the mailbox was read for a collect refused")

    monkeypatch.setattr(mail, "fetch_first", fetched)
    for day, said in (("2022-05-06", "早于2022年6月开始"), ((dt.date.today() + dt.timedelta(days=2)).isoformat(), "晚于今天")):
        result = run(["collect", "--fetch", "--received", day], cwd=issued_ws.root)
        assert result.exit_code == 2 and said in result.stderr, result.output
