"""A 通报 made before a unit's deadline has passed names it 未报送 (东莞, June 2022, forms
printed 报送截止 5 July).

An office that double-clicks 一键月报 on 3 July to see where things stand gets a 通报 ready to
print that names every unit yet to send as 未报送, in public, two days before they are due;
so does one printed on 6 July for 麻涌镇, whose form was re-issued with the 10th. The memo is
still written (the office may want to read it), but the office is told, and the command
exits 1, until every unit named 未报送 is past its deadline.
"""

from __future__ import annotations

import datetime as dt

from conftest import set_clock
from test_qa123_due_changes import JULY, send

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import not_yet_due_notes
from toolkit.consolidate import consolidate


def _notes(ws, day: int) -> list[str]:
    return not_yet_due_notes(consolidate(ws), JULY[day])


def test_a_memo_before_the_deadline_says_the_units_may_still_report(issued_ws, make_return, monkeypatch, run):
    send(issued_ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[3])
    collect(issued_ws)
    (line,) = _notes(issued_ws, 3)
    # and the tasks it calls 未报送 for them alone (QA181): the 汇总表 says them 未报送（尚未截止）;
    # 1.2 among them, 石龙镇's 已完成 its only report (QA194: not 滞后 on leads due on the 5th)
    assert line == ("请核实：通报列为未报送的 53 个单位，今天（2022年7月3日）尚未过其报送截止日期，仍可按时报送"
                    "（本期截止2022年7月5日）；通报列为未报送的任务1.1、1.2、2.1、2.2、2.3等26项，其未报送的牵头单位"
                    "均在其中。正式印发的通报，请在截止日期过后重新收取、生成；如需现在印发，请先删去或注明这些单位和任务。")
    result = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert line in result.output.splitlines() and result.exit_code == 1
    # on the day itself a unit may still send: said too; the day after, not
    assert _notes(issued_ws, 5) and _notes(issued_ws, 6) == []


def test_a_units_own_extension_is_named_after_the_months_deadline(issued_ws, make_return, monkeypatch, run):
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    send(issued_ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[6])
    collect(issued_ws)
    (line,) = _notes(issued_ws, 6)
    assert "通报列为未报送的 1 个单位，今天（2022年7月6日）尚未过其报送截止日期，仍可按时报送（麻涌镇截止2022年7月10日）" in line
    set_clock(monkeypatch, JULY[11])
    assert _notes(issued_ws, 11) == []
    result = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert "尚未过其报送截止日期" not in result.output


def test_units_that_reported_are_not_named_and_none_after_the_month(issued_ws, make_return, monkeypatch):
    send(issued_ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[3])
    collect(issued_ws)
    cons = consolidate(issued_ws)
    assert "石龙镇" not in not_yet_due_notes(cons, JULY[3])[0]
    assert not_yet_due_notes(cons, dt.date(2022, 8, 1)) == []
