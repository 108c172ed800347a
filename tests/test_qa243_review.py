"""QA243 (review): verdicts after the office changes the month's deadline, two lead units, periods.

1. `duban issue --due` after returns came in: a later date for a unit that sent after the first
   one turns its 逾期报送 into 按时报送 in status, but the 汇总表 and 通报 already made still name
   it 逾期, and issue said nothing of it (`duban received` and `duban sender` say the verdict an
   answer changes and ask for merge and memo again). Issue now says it the same way.
2. `duban period --for-issue`: a return of the month that came before the month ended moved
   1-下发填报表's Enter to next month, whose forms (and the current period) would go out a month
   early; it moves on once the month has ended.
3. A ledger whose forms were recorded before version 6 (no deadline per form): one unit's later
   --due given after the upgrade was the only date recorded, so it became every unit's deadline
   and a unit that sent after its form's date stood 按时报送.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, issued_path, set_clock
from test_evidence import mail

from toolkit.filling import Filling, fill_return

# plays a month of collects and answers: run in CI, out of the quick loop
pytestmark = pytest.mark.slow


def send(ws, unit: str, day: int) -> None:
    """``unit`` mails its filled June form on ``day`` July at 10:00."""
    data = fill_return(issued_path(ws, unit), Filling())
    drop(ws, f"{unit}_{day}.eml", mail([(f"{PERIOD.label}_{unit}_进展填报表.xlsx", data)],
                                       date=f"{day:02d} Jul 2022 10:00:00 +0800"))


def test_a_later_due_after_the_memo_says_the_verdict_it_changed(run, issued_ws, monkeypatch):
    send(issued_ws, "市司法局", 7)
    send(issued_ws, "市公安局", 4)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    assert "按时 1，逾期 1" in run(["merge"], cwd=issued_ws.root).stdout
    out = run(["issue", "--period", "2022-06", "--dept", "市司法局", "--dept", "市公安局", "--due", "2022-07-08"],
              cwd=issued_ws.root).stdout
    assert ("本次下发改变了报送状态：市司法局 由逾期报送（报送时间 2022-07-07 10:00）改计为按时报送"
            "（报送时间 2022-07-07 10:00）。请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。\n") in out
    assert "市公安局 由" not in out  # on time before and after: nothing said of it
    # a month issued again with no verdict changed says nothing
    assert "本次下发改变了报送状态" not in run(["issue", "--period", "2022-06"], cwd=issued_ws.root).stdout


def test_a_month_with_no_return_yet_says_nothing_and_reads_no_verdicts(run, issued_ws, monkeypatch):
    import toolkit.consolidate as consolidate

    def refuse(*args, **kwargs):
        raise AssertionError("no verdicts to read before any return came in")

    monkeypatch.setattr(consolidate, "consolidate", refuse)
    out = run(["issue", "--period", "2022-06", "--dept", "市司法局", "--due", "2022-07-08"], cwd=issued_ws.root).stdout
    assert "已生成 2022年6月进展填报表 1 份（报送截止：2022年7月8日）" in out


# ---------------------------------------------------------------------------
# 2. `duban period --for-issue` (1-下发填报表's Enter) when a return comes before its month ends


def test_an_early_return_does_not_move_enter_to_next_month_before_this_one_ends(run, issued_ws, monkeypatch):
    """June's forms out on 28 June; 市司法局 sends June's return on 29 June. On the 30th the office
    double-clicks 1-下发填报表 to send a unit its form again: Enter offered July, whose forms (and
    the current period) would have gone out a month early. From 1 July it offers July."""
    data = fill_return(issued_path(issued_ws, "市司法局"), Filling())
    drop(issued_ws, "sj.eml", mail([(f"{PERIOD.label}_市司法局_进展填报表.xlsx", data)],
                                  date="Wed, 29 Jun 2022 10:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 6, 30))
    run(["collect"], cwd=issued_ws.root)
    assert run(["period", "--for-issue"], cwd=issued_ws.root).output == "2022-06\n"
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    assert run(["period", "--for-issue"], cwd=issued_ws.root).output == "2022-07\n"


# ---------------------------------------------------------------------------
# 3. a ledger whose forms were recorded before version 6 (no deadline kept), then one unit's --due


def test_one_units_later_due_after_an_upgrade_is_not_everyones(run, issued_ws, monkeypatch):
    """June's forms went out from a release whose ledger kept no deadline per form (before
    version 6: the ``due`` column NULL after the upgrade; they printed duban.toml's due_day, the
    5th). The office then gave 市司法局 the 10th: that one recorded date was taken for the
    month's, and 虎门镇, which sent on the 8th against its form's 5th, stood 按时报送."""
    import sqlite3

    with sqlite3.connect(issued_ws.ledger_path) as conn:
        conn.execute("UPDATE issued SET due = NULL")  # as migration 6 leaves a version-5 ledger's forms
    conn.close()
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    run(["issue", "--period", "2022-06", "--dept", "市司法局", "--due", "2022-07-10"], cwd=issued_ws.root)
    send(issued_ws, "虎门镇", 8)
    send(issued_ws, "市司法局", 8)
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    run(["collect"], cwd=issued_ws.root)
    lines = run(["status"], cwd=issued_ws.root).stdout.splitlines()
    assert lines[0] == ("2022年6月报送情况（截止 2022-07-05；市司法局 2022-07-10）：应报 54，按时报送 1，逾期报送 1，"
                        "未报送 52，退回待改 0")
    assert "  逾期报送 虎门镇                2022-07-08 10:00" in lines
    # issued again without --due, the others' forms print the 5th they were given
    assert "报送截止：2022年7月5日；市司法局 2022年7月10日" in run(["issue", "--period", "2022-06"],
                                                                 cwd=issued_ws.root).stdout
