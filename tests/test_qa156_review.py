"""QA156: a senior review of QA148-QA154's changes.

中堂镇 answered about (QA148's month: 潢涌村's copy of 2 July, the town's own return of 8 July
after the 5 July deadline), then renamed 中堂街道 in 单位名录 with its old name kept as an
alias (as `test_renamed_units` does it): the ledger's receipts keep the name they came in
under, but the month counts them under the current name (`issued_month.month_name`). The
office's answer must be said, and taken back, under that name too.

The Excel console's 报送情况 table said 未报送 of a unit whose deadline had not passed, where
`duban status` and the 汇总表 say 未报送（尚未截止） (QA150): it now is `status_rows`.
"""

from __future__ import annotations

from conftest import PERIOD, set_clock
from test_qa123_due_changes import JULY
from test_qa148_sender_answer import COPY, _lines, _month
from test_qa150_not_yet_due import _sent_on_the_2nd
from test_renamed_units import rename

from toolkit.actions.excel_console import status_table
from toolkit.actions.status import STATUS_COLUMNS
from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

NEW = "中堂街道"


def _answered_then_renamed(ws, make_return, collecting_on, run, answer: str):
    _month(ws, make_return, collecting_on)
    done = run(["-w", str(ws.root), "sender", "--period", "2022-06", "--dept", "中堂镇", answer])
    assert done.exit_code == 0, done.output
    rename(ws, "中堂镇", NEW)


def test_an_answer_is_said_under_the_units_current_name(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _answered_then_renamed(ws, make_return, collecting_on, run, "--not-theirs")
    unit = next(u for u in consolidate(ws).units if u.unit == NEW)
    assert unit.state == UnitState.LATE
    (line,) = _lines(run(["-w", str(ws.root), "status"]), "已核实：")
    assert line.startswith(f"已核实：{NEW} 2022年6月的“{COPY}”"), line
    # the verdict it leaves, which the line said before the rename, is said after it too
    assert f"{NEW} 计为逾期报送（报送时间 2022-07-08 11:00）。" in line, line
    assert line.endswith(f"duban sender --period 2022-06 --dept {NEW} --undo"), line


def test_an_answer_can_be_taken_back_under_the_units_current_name(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _answered_then_renamed(ws, make_return, collecting_on, run, "--not-theirs")
    undone = run(["-w", str(ws.root), "sender", "--period", "2022-06", "--dept", NEW, "--undo"])
    assert undone.exit_code == 0, undone.output
    assert undone.output.startswith(f"已撤销：{NEW} 2022年6月的“{COPY}”（2022-07-02 16:00）的发件人核实；"
                                    f"{NEW} 由逾期报送"), undone.output
    assert next(u for u in consolidate(ws).units if u.unit == NEW).state == UnitState.ON_TIME


def test_the_excel_consoles_table_says_not_yet_due_as_status_does(issued_ws, make_return, monkeypatch):
    """On 3 July (东莞's forms: 报送截止 5 July) the console's 报送情况 table named 53 departments
    未报送 beside a message counting them 未报送（尚未截止）, the word status and the 汇总表 use."""
    _sent_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    table = status_table(issued_ws, PERIOD)
    assert table[0] == list(STATUS_COLUMNS)
    states = {row[0]: row[3] for row in table[1:]}
    assert states["石龙镇"] == "按时报送" and states["麻涌镇"] == "未报送（尚未截止）"
    assert sum(s == "未报送（尚未截止）" for s in states.values()) == 53
    set_clock(monkeypatch, JULY[6])  # after the deadline, as before
    assert {row[3] for row in status_table(issued_ws, PERIOD)[1:]} == {"按时报送", "未报送"}
