"""QA227: the 通报's overview counts a task waiting on its leads as 任务汇总 says it (东莞, June 2022,
报送截止 5 July).

市政务服务数据管理局's file of 2 July could not be opened (退回待改). On the 4th, a day before the
deadline, it may still correct on time: 任务汇总 said its twelve tasks (1.1, 2.2, …, it their one
lead) 未报送（尚未截止）, while the 通报 counted them "牵头单位报送有误已退回、尚无合格进展的12项", and
the fourteen waiting on leads that had sent nothing yet "牵头单位未报送进展的14项" (1.2 among them,
石龙镇's 已完成 its one report). Now the overview says "牵头单位报送尚未截止、暂未报送进展的26项", as 任务汇总 does;
after the deadline the tasks are counted by their leads' states as before. The same holds while a
reply's later date keeps the lead awaited past the deadline (`Consolidation.fix_by`, QA212).
Each figure of the memo is checked against the sheets the office forwards with it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import PERIOD, drop, set_clock
from test_evidence import mail
from test_qa123_due_changes import JULY, send
from test_qa181_task_not_yet_due import _book, _column, _section

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.memo.context import build_context

# months played through the CLI: run in CI, out of the quick loop
pytestmark = pytest.mark.slow

SZ = "市政务服务数据管理局"
WAITING = "未报送（尚未截止）"
#: the tasks whose one lead is 市政务服务数据管理局
SZ_ALONE = ("1.1", "2.2", "3.3", "7.3", "8.3", "9.2", "10.1", "12.1", "12.2", "13.2", "13.3", "14.1")


def _month(ws, make_return, monkeypatch, run, collected: int, day: int):
    """SZ's broken file and 石龙镇's good return, both of 2 July, collected on ``collected`` July;
    the 汇总表 merged and the memo's context built on ``day`` July."""
    broken = make_return(SZ)
    drop(ws, "sz.eml", mail([(f"{SZ}6月进展.xlsx", broken[: len(broken) // 2])], date="02 Jul 2022 09:00:00 +0800"))
    send(ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[collected])
    collect(ws)
    set_clock(monkeypatch, JULY[day])
    assert run(["merge"], cwd=ws.root).exit_code == 0
    cons = consolidate(ws, PERIOD)
    return cons, build_context(cons, JULY[day]), _book(ws)


def _agree(ctx, book) -> Counter:
    """Every count of the memo's 一, 三 and 四 against 任务汇总, 滞后超期, 总览 and 报送情况; the
    words of 任务汇总 counted."""
    said = Counter(_column(book["任务汇总"], "综合状态").values())
    assert (ctx.task_done, ctx.task_on_track, ctx.task_lagging, ctx.task_not_started) == (
        said["已完成"], said["序时推进"], said["滞后"], said["未启动"])
    assert ctx.task_not_reported == said["未报送"] + said[WAITING] and ctx.task_total == sum(said.values())
    assert ctx.task_not_reported_waiting == said[WAITING]
    overview = {r[0]: r[1] for r in _section(book["总览"], "一、任务进展")[1:]}
    assert overview.get(WAITING, 0) == ctx.task_not_reported_waiting
    assert overview["未报送"] == ctx.task_not_reported - ctx.task_not_reported_waiting
    # 三: the same tasks, those waiting on their leads counted apart as 总览 counts them
    lagging = _column(book["滞后超期"], "综合状态")
    assert [t.id for t in ctx.attention] == list(lagging)
    assert ctx.task_overdue_waiting == overview.get("完成时限已过、报送尚未截止", 0)
    assert ctx.task_overdue == len(ctx.overdue) == overview["超期未完成（完成时限已过）"]
    # 四: the units as 报送情况 names them
    states = Counter(_column(book["报送情况"], "报送状态", "单位").values())
    assert (ctx.unit_on_time, ctx.unit_late, ctx.unit_returned) == (states["按时报送"], states["逾期报送"],
                                                                  states["退回待改"])
    assert ctx.unit_missing == states["未报送"] + states[WAITING]
    return said


def test_before_the_deadline_the_memo_counts_the_tasks_waiting_on_a_lead_sent_back_as_the_workbook(
        issued_ws, make_return, monkeypatch, run):
    cons, ctx, book = _month(issued_ws, make_return, monkeypatch, run, 4, 4)
    assert SZ in cons.awaited - cons.waiting
    status, missing = _column(book["任务汇总"], "综合状态"), _column(book["任务汇总"], "未报送单位")
    assert {t: status[t] for t in SZ_ALONE} == dict.fromkeys(SZ_ALONE, WAITING)
    assert missing["1.1"] == f"退回待改：{SZ}"
    said = _agree(ctx, book)
    assert (said[WAITING], said["未报送"]) == (26, 1)  # 16.1 names no lead: 未报送 before any deadline
    assert (ctx.task_not_reported_waiting, ctx.task_not_reported_sent_back, ctx.task_not_reported_no_lead,
            ctx.task_not_reported_not_issued) == (26, 0, 1, 0)
    assert ctx.overview_text.startswith(
        "东莞市2022年政务服务全域标准化专项行动共43项任务。截至2022年6月底，尚无已完成的任务，序时推进16项（占37.2%），"
        "牵头单位报送尚未截止、暂未报送进展的26项（占60.5%），未明确牵头单位、未报送进展的1项（占2.3%）。上述任务中，有6项已过完成时限、"
        "牵头单位报送尚未截止。"), ctx.overview_text
    assert "报送有误已退回、尚无合格进展" not in ctx.overview_text and "牵头单位未报送进展的" not in ctx.overview_text
    # the task's own sentence says what happened to its lead, as 任务汇总's 未报送单位 does
    item = next(t for t in ctx.attention if t.id == "1.1")
    assert item.summary == (f"牵头单位：{SZ}；完成时限：2022年6月；进展情况：牵头单位尚无合格的报送，完成时限已过、报送尚未截止；"
                            f"1个牵头单位报送有误已退回修改（{SZ}）。")
    assert ctx.attention_text == "本期有6项任务已过完成时限、牵头单位报送尚未截止，具体如下："
    # 报送情况 names the unit 退回修改, the others 未报送 (the 请核实 line tells the office)
    assert ctx.returned_names == SZ and ctx.unit_missing == 52


def test_after_the_deadline_the_tasks_are_counted_by_their_leads_again(issued_ws, make_return, monkeypatch, run):
    # refused on the 4th: its reply asks by the 7th, three working days on (QA398); read on the 8th
    cons, ctx, book = _month(issued_ws, make_return, monkeypatch, run, 4, 8)
    assert not cons.awaited and not cons.waiting_tasks
    assert _column(book["任务汇总"], "综合状态")["1.1"] == "未报送"
    said = _agree(ctx, book)
    assert WAITING not in said and ctx.task_not_reported_waiting == 0
    assert "牵头单位报送有误已退回、尚无合格进展的12项（占27.9%）" in ctx.overview_text, ctx.overview_text
    assert "尚未截止" not in ctx.overview_text


def test_a_lead_awaited_past_the_deadline_by_its_replys_date_keeps_its_tasks_waiting_alone(
        issued_ws, make_return, monkeypatch, run):
    """Collected on the 6th, after the deadline: the reply asks the correction by the 11th (QA212).
    SZ's twelve tasks wait; the others' leads missed the 5th and are counted by their states."""
    cons, ctx, book = _month(issued_ws, make_return, monkeypatch, run, 6, 7)
    assert cons.fix_by == {SZ: JULY[11]} and cons.waiting_tasks == frozenset(SZ_ALONE)
    said = _agree(ctx, book)
    assert said[WAITING] == ctx.task_not_reported_waiting == 12 and ctx.task_not_reported_sent_back == 0
    assert "牵头单位报送尚未截止、暂未报送进展的12项（占27.9%），牵头单位未报送进展的" in ctx.overview_text, ctx.overview_text
