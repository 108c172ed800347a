"""QA250 (review of ca4a33a, ad262f4, 7f5f603)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import clean, mail
from test_qa216_weak_times import _saved_late, _unit
from test_qa243_review import send
from test_qa244_verify import _issued_on

from toolkit.actions.received import answer_received
from toolkit.vocab import UnitState

# plays a month of collects and answers: run in CI, out of the quick loop
pytestmark = pytest.mark.slow


def test_undated_forms_keep_due_day_when_most_units_got_a_later_due(run, issued_ws, monkeypatch):
    """June's forms recorded before ledger version 6 (no date: they printed the 5th); after the
    upgrade most units (the towns) are given the 10th. 市司法局's form still said the 5th: it sent
    on the 8th and stood 按时报送, judged by the towns' date."""
    import sqlite3

    with sqlite3.connect(issued_ws.ledger_path) as conn:
        conn.execute("UPDATE issued SET due = NULL")
    conn.close()
    units = issued_ws.load_master().units_with_tasks()
    towns = [u for u in units if u.endswith("镇")][:28] or units[-28:]
    assert "市司法局" not in towns and len(towns) == 28
    set_clock(monkeypatch, dt.date(2022, 7, 1))
    args = ["issue", "--period", "2022-06", "--due", "2022-07-10"]
    for t in towns:
        args += ["--dept", t]
    run(args, cwd=issued_ws.root)
    send(issued_ws, "市司法局", 8)
    set_clock(monkeypatch, dt.date(2022, 7, 11))
    run(["collect"], cwd=issued_ws.root)
    lines = run(["status"], cwd=issued_ws.root).stdout.splitlines()
    assert "  逾期报送 市司法局              2022-07-08 10:00" in lines, lines[:6]


def test_an_issue_recorded_after_returns_came_in_refuses_no_day_they_prove(issued_ws, make_return, monkeypatch, run):
    """June's forms went out by hand; duban recorded the issue on 28 June (the office took duban
    up then). 市司法局's return, mailed on 22 June, was collected: the forms were out by then.
    石龙镇's file, saved into 收件箱 on 6 July, came on 24 June: the office's true day was refused
    as before the forms went out, and 石龙镇 could only stand 逾期."""
    data = make_return("市司法局", clean())
    drop(issued_ws, "sj.eml", mail([("2022年6月_市司法局_进展填报表.xlsx", data)],
                                   date="Wed, 22 Jun 2022 10:00:00 +0800"))
    _saved_late(issued_ws, make_return, monkeypatch, run)
    _issued_on(issued_ws, "2022-06-28 09:00:00")
    done = answer_received(issued_ws, PERIOD, "石龙镇", dt.date(2022, 6, 24))
    assert done.after[0] == UnitState.ON_TIME
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-06-24 00:00")
