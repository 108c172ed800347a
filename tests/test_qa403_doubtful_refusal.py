"""QA403 (QA402's findings 2 and 4): a refused file whose own time is doubtful (W207) keeps its reply.

`on_time.correction_by` skipped every refusal timed by its collect (`TimeSource.DOUBTFUL`): a town
whose refused file (a hand-unzipped file's 1980 time) was collected on 6 July, the reply asking by
the 11th, and whose correction came on the 8th stood 逾期报送 with nothing asked, and
``received --on`` said 无需核实; one collected on the 4th, before the deadline, the reply asking by
the 7th, was 逾期 on the 6th while a town with an ordinary time beside it was 按时. Now a refused
file collected by the date came by it; one collected after gives its reply's date on the doubt
(README 存疑的时间: no 逾期 on a doubt) and is asked about (`file_time.refused_on_doubt`) until
``received --on`` (the day it came) or ``--confirm`` answers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, status_notes
from test_evidence import clean, mail, state

from toolkit.actions.verify import Kind, open_questions
from toolkit.filling import Answer
from toolkit.period import Period
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # each plays collect, status and answers

JUNE = Period.parse("2022-06")
WRONG = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}  # E603
RECEIVED = ["received", "--period", "2022-06", "--dept"]
OLD = dt.datetime(1980, 1, 1, 10).timestamp()  # a hand-unzipped file's time: before the month
AHEAD = dt.datetime(2030, 1, 1, 10).timestamp()  # a PC's clock in the future


def _refused(ws, make_return, collecting_on, unit: str, mtime: float, day: dt.date) -> None:
    drop(ws, f"{unit}.xlsx", make_return(unit, **WRONG), mtime=mtime)
    collecting_on(day)
    from toolkit.actions.collect import collect

    collect(ws)
    assert state(ws, unit) == UnitState.TO_FIX


def _corrected(ws, make_return, collecting_on, run, unit: str, day: dt.date):
    drop(ws, f"{unit}改.eml", mail([(f"{unit}改.xlsx", make_return(unit, clean()))],
                                  date=day.strftime("%a, %d %b %Y") + " 10:00:00 +0800"))
    collecting_on(day)
    return run(["collect"], cwd=ws.root)


def test_a_doubtful_refusal_collected_after_the_deadline_keeps_its_reply_and_is_asked(
        issued_ws, make_return, collecting_on, run):
    ws, unit = issued_ws, "石龙镇"
    _refused(ws, make_return, collecting_on, unit, OLD, dt.date(2022, 7, 6))  # asks by the 11th
    _corrected(ws, make_return, collecting_on, run, unit, dt.date(2022, 7, 8))
    assert state(ws, unit) == UnitState.ON_TIME
    code, notes, _ = status_notes(run, ws)
    [line] = [x for x in notes if "此前退回的“石龙镇.xlsx”报送时间存疑" in x]
    assert code == 1 and "暂计为按时报送" in line and "收取时间已过截止日期（2022-07-05）" in line, line
    assert f"duban received --period 2022-06 --dept {unit} --on 收到日期" in line
    [q] = [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME]
    assert q.unit == unit and "暂计为按时报送：此前退回的" in q.facts and q.facts in line, q  # one text (QA407)
    # the refused file came after the deadline: no reply's date, 逾期
    on = run([*RECEIVED, unit, "--on", "2022-07-07"], cwd=ws.root)
    assert on.exit_code == 0 and "改计为逾期报送" in on.output, on.output
    assert state(ws, unit) == UnitState.LATE
    assert status_notes(run, ws)[:2] == (0, [])
    # by the deadline: 按时 by the reply's date
    assert run([*RECEIVED, unit, "--on", "2022-07-04"], cwd=ws.root).exit_code == 0
    assert state(ws, unit) == UnitState.ON_TIME and status_notes(run, ws)[:2] == (0, [])
    # taken back, then confirmed: 按时, said instead of asked
    assert run([*RECEIVED, unit, "--undo"], cwd=ws.root).exit_code == 0
    assert status_notes(run, ws)[0] == 1
    assert run([*RECEIVED, unit, "--confirm"], cwd=ws.root).exit_code == 0
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and "督办部门已确认是按时收到的，其后的报送“石龙镇改.xlsx”计为按时报送" in told[0], told
    assert state(ws, unit) == UnitState.ON_TIME


def test_a_doubtful_refusal_collected_before_the_deadline_gives_its_replys_date(
        issued_ws, make_return, collecting_on, run):
    """QA402's d1: both towns refused on 4 July (one file's time in 2030), asked by the 7th, corrected on
    the 6th: both 按时, nothing asked (the office had the refused file by the deadline)."""
    ws = issued_ws
    _refused(ws, make_return, collecting_on, "石龙镇", AHEAD, dt.date(2022, 7, 4))
    _refused(ws, make_return, collecting_on, "虎门镇", dt.datetime(2022, 7, 4, 9).timestamp(), dt.date(2022, 7, 4))
    for unit in ("石龙镇", "虎门镇"):
        _corrected(ws, make_return, collecting_on, run, unit, dt.date(2022, 7, 6))
    assert state(ws, "石龙镇") == state(ws, "虎门镇") == UnitState.ON_TIME
    assert status_notes(run, ws)[:2] == (0, [])


def test_a_doubtful_version_collected_after_a_late_return_keeps_it_late_and_asks(
        issued_ws, make_return, collecting_on, run):
    """QA402's finding 5: a late return that stands (collected 8 July), then a 修改版 whose own time is
    doubtful collected on the 11th: 逾期 stands (the doubt turned it 按时), asked whether the 修改版 came
    by the deadline; ``--on`` a day by it makes the unit 按时, ``--confirm`` keeps 逾期, said."""
    from toolkit.actions.collect import collect

    ws, unit = issued_ws, "石龙镇"
    _corrected(ws, make_return, collecting_on, run, unit, dt.date(2022, 7, 8))
    assert state(ws, unit) == UnitState.LATE
    drop(ws, f"{unit}修改版.xlsx", make_return(unit, clean(), **{"1_2": Answer(status="已完成", progress=100,
                                                                              work="已完成全部工作。")}), mtime=OLD)
    collecting_on(dt.date(2022, 7, 11))
    assert collect(ws).accepted == 1
    assert state(ws, unit) == UnitState.LATE
    code, notes, _ = status_notes(run, ws)
    [line] = [x for x in notes if "其后收取的“石龙镇修改版.xlsx”报送时间存疑" in x]
    assert code == 1 and "不据此由逾期改为按时" in line and "--on 收到日期" in line, line
    [q] = [q for q in open_questions(ws, JUNE).asked if q.kind is Kind.FILE_TIME]
    assert "确是其后收到的：仍计为逾期报送" in q.choices and q.facts in line, q
    assert run([*RECEIVED, unit, "--on", "2022-07-04"], cwd=ws.root).exit_code == 0
    assert state(ws, unit) == UnitState.ON_TIME
    assert run([*RECEIVED, unit, "--undo"], cwd=ws.root).exit_code == 0
    confirmed = run([*RECEIVED, unit, "--confirm"], cwd=ws.root)
    assert "确是在“石龙镇改.xlsx”之后收到的" in confirmed.output, confirmed.output
    code, notes, told = status_notes(run, ws)
    assert (code, notes) == (0, []) and "仍计为逾期报送" in told[0], told
    assert state(ws, unit) == UnitState.LATE
