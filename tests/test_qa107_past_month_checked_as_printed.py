"""A 补报 of a past month is checked against the tasks its month's forms printed (the seed
plan, 东莞市2022年政务服务全域标准化专项行动, June and July as test_qa94 plays them, the
deadlines moved as test_qa103 moves them).

June's forms printed 3.2 (落实容缺受理、告知承诺制和限时办结制) due 2022年6月 and 7.3
(智能化设备进行适老化改造, the 政数局's alone) due 2022年9月. After July's forms went out the
office moves 3.2 to 2022年9月, 7.3 to 2022年6月 and rewords 7.3's 工作任务. On 23 July
市交通运输局, a lead of 3.2 that sent nothing for June, sends June's form late, 3.2 序时推进;
the 政数局 sends its June form again, 7.3 序时推进.

- June's 汇总表 and 通报 call 3.2 超期 and 7.3 not (what June's forms printed,
  `issued_month.as_issued`): collect's 校验问题 say the same, W604 on 3.2 and none on 7.3.
- The forms are June's own: no 旧版模板 (W203, "checked against today's 任务清单, use the new
  form next time") and no 任务内容被改动 (W405) for 7.3's wording.
- July, the month the office is on, and months issued before the ledger kept texts
  (version 8), are checked against today's sheet.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import issued_path, set_clock, shanghai, workspace_copy
from test_qa94_past_month_after_edits import JULY, JUNE, SZ, played, send  # noqa: F401  (played: a fixture)
from test_qa103_past_month_deadlines import MOVED_EARLIER, MOVED_LATER, move_deadlines

from toolkit.actions.check import check_paths
from toolkit.actions.collect import collect
from toolkit.filling import Answer, Filling, fill_return

TRANSPORT = "市交通运输局"  # a lead of 3.2; sent nothing for June
ONGOING = Answer(status="序时推进", progress=60, work="已梳理容缺受理事项清单。")
LATE = shanghai(dt.datetime(2022, 7, 23, 9, 0))


def codes(result, unit, period):
    """(code, task) of every issue of ``unit``'s return of ``period`` in a collect's result."""
    reps = [it.report for t in result.items for it in t.walk()
            if it.report and it.report.unit == unit and it.report.period == period]
    assert len(reps) == 1, reps
    return {(i.code, i.task) for i in reps[0].issues}


def collected(ws, mp, *sends):
    for period, unit in sends:
        send(ws, period, unit, Filling(answers={MOVED_LATER: ONGOING, MOVED_EARLIER: ONGOING}), LATE)
    set_clock(mp, dt.date(2022, 7, 23))
    return collect(ws)


def edited_copy(played, tmp_path, edit):  # noqa: F811
    """A copy of qa94's played workspace, edited by the office as ``edit`` does."""
    ws = workspace_copy(played.root, tmp_path / "ws")
    edit(ws)
    return ws


@pytest.fixture
def moved_ws(played, tmp_path):  # noqa: F811
    return edited_copy(played, tmp_path, move_deadlines)


def test_a_late_return_of_june_is_checked_against_junes_deadlines(moved_ws, monkeypatch):
    result = collected(moved_ws, monkeypatch, (JUNE, TRANSPORT), (JUNE, SZ))
    transport, sz = codes(result, TRANSPORT, JUNE), codes(result, SZ, JUNE)
    # 3.2 was due in June as June's forms printed it: 序时推进 is questioned, as June's 通报 says 超期
    assert ("W604", MOVED_LATER) in transport, transport
    assert ("W604", MOVED_LATER) in sz, sz
    # 7.3 was due in September on June's form: today's 2022年6月 is not June's
    assert ("W604", MOVED_EARLIER) not in sz, sz
    w604 = next(i for t in result.items for it in t.walk() if it.report and it.report.unit == TRANSPORT
                for i in it.report.issues if i.code == "W604")
    assert "完成时限为 2022年6月30日" in w604.message, w604.message
    # June's own forms: not an old template, and 7.3's wording is the one the form printed
    for found in (transport, sz):
        assert not {c for c, _ in found} & {"W203", "W405"}, found


def test_july_is_checked_against_todays_deadlines(moved_ws, monkeypatch):
    result = collected(moved_ws, monkeypatch, (JULY, SZ))
    july = codes(result, SZ, JULY)
    assert ("W604", MOVED_EARLIER) in july and ("W604", MOVED_LATER) not in july, july
    assert "W203" in {c for c, _ in july}  # July's form, made before the edit: an old template


def test_a_month_issued_before_texts_were_kept_is_checked_against_todays_sheet(moved_ws, monkeypatch):
    """A ledger older than version 8 kept no texts: today's sheet, as June's 汇总表 uses it too."""
    with sqlite3.connect(moved_ws.ledger_path) as conn:
        conn.execute("DELETE FROM issued_texts WHERE period='2022-06'")
    conn.close()
    result = collected(moved_ws, monkeypatch, (JUNE, SZ))
    sz = codes(result, SZ, JUNE)
    assert ("W604", MOVED_EARLIER) in sz and ("W604", MOVED_LATER) not in sz, sz
    assert "W203" in {c for c, _ in sz}  # checked against today's 任务清单, as it says


def test_duban_check_in_the_workspace_agrees_with_collect(moved_ws, tmp_path):
    path = tmp_path / "2022年6月_市交通运输局.xlsx"
    path.write_bytes(fill_return(issued_path(moved_ws, TRANSPORT, JUNE), Filling(answers={MOVED_LATER: ONGOING})))
    [rep] = check_paths([path], moved_ws)
    found = {(i.code, i.task) for i in rep.issues}
    assert ("W604", MOVED_LATER) in found and "W203" not in {c for c, _ in found}, found


# months played through collect, merge and issue: several seconds a module, run by CI, not the quick loop
pytestmark = pytest.mark.slow
