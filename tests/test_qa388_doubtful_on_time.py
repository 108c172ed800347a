"""QA388: a return whose own time was doubtful (W207: a PC's clock a year behind, a Date in the
future) collected after the deadline stands 按时 on the doubt, and the office is asked about it.

Collect replaces a doubtful time by its own (`TimeSource.DOUBTFUL`) and, as README's 存疑的时间
says, names no unit 逾期 on it. A January return mailed from a PC whose clock read a year earlier,
collected after the deadline, stood 按时报送 in 报送情况 beside a 报送时间 after the deadline, the
通报 said 均已按时报送, and collect, status, memo and ``verify --check`` all exited 0: the W207 in
校验问题 was the only trace. Now it is asked as a 按时 on a forwarded message's Date is (QA374):
collect once, then status, merge, memo, run and 5-逐条核实 until answered; ``received --on`` times
the unit by the day stated (逾期 after the deadline), ``--confirm`` keeps 按时 and is said instead,
``--undo`` asks again. 报送情况 says why the time past the deadline is 按时.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, status_notes
from test_evidence import clean, mail, state

from toolkit.actions.verify import Kind, answer, open_questions
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.on_time import DOUBT_WORDS
from toolkit.period import Period
from toolkit.vocab import TimeSource, UnitState

pytestmark = pytest.mark.slow  # each plays collect, status and answers

JUNE = Period.parse("2022-06")
NAME = "石龙镇.xlsx"
RECEIVED = ["received", "--period", "2022-06", "--dept", "石龙镇"]
YEAR_BEHIND = "Mon, 04 Jul 2021 16:20:00 +0800"  # the PC's clock a year behind: before the month
AHEAD = "Sat, 04 Jul 2099 16:20:00 +0800"  # a Date in the future (collect doubts by the real clock)


def _collect(ws, make_return, collecting_on, run, date: str, day: dt.date = dt.date(2022, 7, 8)):
    collecting_on(day)
    drop(ws, "石龙镇.eml", mail([(NAME, make_return("石龙镇", clean()))], date=date))
    return run(["collect"], cwd=ws.root)


def _asked(lines: list[str]) -> list[str]:
    return [x for x in lines if x.startswith(f"请核实：{NAME}：石龙镇的报送时间存疑")]


@pytest.mark.parametrize("date", [YEAR_BEHIND, AHEAD], ids=["a year behind", "in the future"])
def test_a_doubtful_time_collected_after_the_deadline_is_asked_until_answered(
        issued_ws, make_return, collecting_on, run, date):
    ws = issued_ws
    collected = _collect(ws, make_return, collecting_on, run, date)
    [line] = _asked([x.strip() for x in collected.output.splitlines()])
    assert collected.exit_code == 1, collected.output
    assert "收取时间已过截止日期（2022-07-05）" in line and "暂计为按时报送" in line, line
    assert "duban received --period 2022-06 --dept 石龙镇 --on 收到日期" in line
    assert "2021-07-04 16:20" in line or "晚于现在" in line, line  # the time doubted, and why
    assert state(ws, "石龙镇") == UnitState.ON_TIME  # the benefit of the doubt (README 存疑的时间)
    # 报送情况 (and status) say why a 报送时间 past the deadline is 按时
    unit = next(u for u in consolidate(ws, JUNE, tasks=False).units if u.unit == "石龙镇")
    assert unit.graced == DOUBT_WORDS and DOUBT_WORDS in unit.file_text, unit
    # asked again by status, merge, memo and 5-逐条核实
    assert status_notes(run, ws) == (1, [line], [])
    merged = run(["merge"], cwd=ws.root)
    assert line in merged.output and merged.exit_code == 1, merged.output
    memo = run(["memo"], cwd=ws.root)
    assert line in memo.output, memo.output
    assert run(["verify", "--check"], cwd=ws.root).exit_code == 1
    [q] = [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME]
    assert (q.unit, q.wants_day, q.due) == ("石龙镇", 1, dt.date(2022, 7, 5)) and "报送时间存疑" in q.facts, q
    # a day after the deadline: 逾期, said instead of asked
    done = answer(ws, q, 1, dt.date(2022, 7, 7))
    assert done.changed and "改计为逾期报送" in done.lines[0], done.lines
    assert state(ws, "石龙镇") == UnitState.LATE
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and len(told) == 1 and "按督办部门指定的收到日期 2022-07-07" in told[0], told
    # taken back: asked again
    assert run([*RECEIVED, "--undo"], cwd=ws.root).exit_code == 0
    assert status_notes(run, ws) == (1, [line], [])
    # came on time: 按时 stands, said
    confirmed = run([*RECEIVED, "--confirm"], cwd=ws.root)
    assert confirmed.exit_code == 0 and "确是按时收到的；石龙镇 计为按时报送" in confirmed.output, confirmed.output
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and len(told) == 1 and "督办部门已确认是按时收到的" in told[0], told
    assert state(ws, "石龙镇") == UnitState.ON_TIME
    assert [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME] == []


def test_run_says_it_once(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    collecting_on(dt.date(2022, 7, 8))
    drop(ws, "石龙镇.eml", mail([(NAME, make_return("石龙镇", clean()))], date=YEAR_BEHIND))
    ran = run(["run"], cwd=ws.root)
    assert len(_asked([x.strip() for x in ran.output.splitlines()])) == 1 and ran.exit_code == 1, ran.output


def test_a_doubtful_time_collected_by_the_deadline_asks_nothing(issued_ws, make_return, collecting_on, run):
    """The office had the file by the deadline: 按时 whatever its own time says (W207 stays in 校验问题).
    Collect doubts by the machine's clock, not the test's (`set_clock`): the collect's time is set
    in the ledger as a collect on 4 July would have written it."""
    ws = issued_ws
    _collect(ws, make_return, collecting_on, run, YEAR_BEHIND, dt.date(2022, 7, 4))
    with Ledger(ws.ledger_path) as ledger, ledger.conn:
        ledger.conn.execute("UPDATE receipts SET received_at='2022-07-04 18:00:00' WHERE received_how=?",
                            (TimeSource.DOUBTFUL,))
    assert status_notes(run, ws) == (0, [], [])
    unit = next(u for u in consolidate(ws, JUNE, tasks=False).units if u.unit == "石龙镇")
    assert (unit.state, unit.graced) == (UnitState.ON_TIME, "")
    assert any(i.get("code") == "W207" for i in consolidate(ws, JUNE).issues)
