"""QA helper 273: a return sent by its month's deadline is never 补报, though the month was
merged and the next month's forms went out before that deadline (July's on 3 July, June due on
5 July: tests/test_qa270_review.py). Collect on the 4th called 中堂镇's on-time June return
补报 (W209) in front of the office."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail, merged_on
from test_qa270_review import _july_issued_on_the_3rd

from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays issue and collect across two months: run in CI, out of the quick loop

ZT_FORM = f"{PERIOD.label}_中堂镇_进展填报表.xlsx"
MERGE = "请运行 duban merge --period 2022-06（或双击“2-收取并汇总”，期次输入 2022-06）更新"


def _june_from_zhongtang(run, ws, make_return, monkeypatch, day: int):
    _july_issued_on_the_3rd(run, ws, make_return, monkeypatch)
    merged_on(ws, dt.datetime(2022, 7, 2, 18, 0))  # merged on the 2nd, as the clock said
    drop(ws, "zt.eml", mail([(ZT_FORM, make_return("中堂镇", clean()))], sender="zt@example.cn",
                            date=f"Mon, {day:02d} Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, day))
    return run(["collect", "--period", "2022-06"], cwd=ws.root)


def _w209(ws) -> str:
    with Ledger(ws.ledger_path) as ledger:
        [rec] = [r for r in ledger.receipts(PERIOD) if r.name == ZT_FORM]
        return next(i.message for i in ledger.issues_of(rec.id) if i.code == "W209")


def test_a_june_return_sent_before_junes_deadline_is_no_late_return(run, issued_ws, make_return, monkeypatch):
    collected = _june_from_zhongtang(run, issued_ws, make_return, monkeypatch, 4)
    assert "补报" not in collected.output, collected.output
    assert f"  按时报送：中堂镇 报送了2022年6月的填报表（在规定时限内收到），该期已汇总；{MERGE}。" in collected.output.splitlines()
    assert collected.exit_code == 1  # June's 汇总表 is out of date: the double-click must not say 成功
    assert _w209(issued_ws) == (
        "按时报送：2022年6月已于 2022-07-02 18:00 汇总，这份报送在之后收到。已登记到2022年6月，"
        "请重新运行 duban merge --period 2022-06（或双击“2-收取并汇总”，期次输入 2022-06）"
        "更新该期汇总表，需要时再按该期重新生成通报。")
    zt = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "中堂镇")
    assert (zt.state, zt.file) == (UnitState.ON_TIME, ZT_FORM)
    status = run(["status", "--period", "2022-06"], cwd=issued_ws.root)
    assert "补报" not in status.output and "中堂镇" not in " ".join(
        x for x in status.output.splitlines() if "逾期" in x), status.output
    merged = run(["merge", "--period", "2022-06"], cwd=issued_ws.root)
    assert "补报" not in merged.output, merged.output
    memo = run(["memo", "--period", "2022-06"], cwd=issued_ws.root)
    assert "补报" not in memo.output, memo.output


def test_a_june_return_sent_after_junes_deadline_is_still_a_late_return(run, issued_ws, make_return, monkeypatch):
    collected = _june_from_zhongtang(run, issued_ws, make_return, monkeypatch, 8)
    assert f"  补报：中堂镇 报送了2022年6月的填报表，该期已汇总；{MERGE}。" in collected.output.splitlines()
    assert _w209(issued_ws).startswith("补报：2022年6月已于 2022-07-02 18:00 汇总")
    zt = next(u for u in consolidate(issued_ws, PERIOD).units if u.unit == "中堂镇")
    assert zt.state == UnitState.LATE


@pytest.mark.parametrize("command", [["collect", "--merge"], ["run", "--no-fetch"]])
def test_a_command_that_merges_the_month_again_asks_no_merge_of_it(run, issued_ws, make_return, monkeypatch, command):
    """collect --merge (2-收取并汇总) and run merge the month they were given right after: their
    line asked the office to merge it by hand, and 2-收取并汇总 ended 未成功 (exit 1) for an
    on-time return."""
    _july_issued_on_the_3rd(run, issued_ws, make_return, monkeypatch)
    merged_on(issued_ws, dt.datetime(2022, 7, 2, 18, 0))
    drop(issued_ws, "zt.eml", mail([(ZT_FORM, make_return("中堂镇", clean()))], sender="zt@example.cn",
                                   date="Mon, 04 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    done = run([*command, "--period", "2022-06"], cwd=issued_ws.root)
    assert "  按时报送：中堂镇 报送了2022年6月的填报表（在规定时限内收到），该期已汇总；本次已重新汇总。" in done.output.splitlines()
    assert MERGE not in done.output
    # run's 通报 asks its 请核实 (52 units not yet due on the 4th): exit 1 for that alone
    assert done.exit_code == (0 if command[0] == "collect" else 1), done.output
