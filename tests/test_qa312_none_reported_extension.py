"""The memo's all-未报送 请核实 stands when one unit has a later deadline of its own (QA312).

June 2022, forms printed 报送截止 5 July; 麻涌镇's re-issued with the 10th (`issue --dept 麻涌镇
--due 2022-07-10`). On 8 July the office makes the 通报 before collecting, the returns still in
its mail client: the 53 units past their deadline are named 未报送 in public with nothing
collected. The note asking it to collect first was silenced by 麻涌镇 alone, and only the
not-yet-due 请核实 was said.
"""

from __future__ import annotations

from conftest import drop, set_clock
from test_qa123_due_changes import JULY

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import none_reported_notes, not_yet_due_notes
from toolkit.consolidate import consolidate

PAST = ("请核实：通报把2022年6月已过报送截止日期的 53 个单位全部列为未报送，本期没有收取登记任何单位的报送。"
        "如已收到报送（邮件或收件箱中），请先收取登记（duban collect，或双击“2-收取并汇总”），再重新生成通报；"
        "确实无人报送的，可照常印发。")
WAITING = ("请核实：通报列为未报送的 1 个单位，今天（2022年7月8日）尚未过其报送截止日期，仍可按时报送"
           "（麻涌镇截止2022年7月10日）。正式印发的通报，请在截止日期过后重新收取、生成；"
           "如需现在印发，请先删去或注明这些单位。")


def test_one_unit_on_an_extension_does_not_hide_that_the_rest_are_named_unreported(issued_ws):
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    cons = consolidate(issued_ws)
    assert none_reported_notes(cons, JULY[8]) + not_yet_due_notes(cons, JULY[8]) == [PAST, WAITING]
    # once 麻涌镇's deadline has passed too, every unit is: the note as it always was
    assert none_reported_notes(cons, JULY[11]) == [PAST.replace("已过报送截止日期的 53", "应报送的 54")]
    # before the month's deadline no unit is past its own: not_yet_due_notes says why alone
    assert none_reported_notes(cons, JULY[5]) == []


def test_memo_says_both_and_exits_1(issued_ws, monkeypatch, run):
    issue_returns(issued_ws, "2022-06", due=JULY[10], units=["麻涌镇"])
    # a workspace that has received a file before (here one of no unit): memo is not refused as
    # one of a plan that never received anything would be until the last deadline had passed
    drop(issued_ws, "说明.txt", "请查收".encode())
    set_clock(monkeypatch, JULY[8])
    collect(issued_ws)
    result = run(["memo", "--format", "md"], cwd=issued_ws.root)
    lines = result.output.splitlines()
    assert result.exit_code == 1 and PAST in lines and WAITING in lines, result.output
    assert lines.index(PAST) < lines.index(WAITING)
