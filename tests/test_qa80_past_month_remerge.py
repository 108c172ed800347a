"""A month already reported, merged again after the office edited 任务分工表.xlsx (a QA helper
played Oct 2022 → Jan 2023; after a 补报 the tool itself asks for ``duban merge --period``).

Between months the office adds a task, gives a task's only lead to another unit, renames a
unit (its old name kept as an alias) and removes one. June and July, merged again once
August's forms are out, must be what they were: who was asked what is what their forms
held (ledger ``issued``), not today's 责任分工. The month the office is on keeps reading
today's 责任分工, and a month the ledger recorded no forms for keeps today's behaviour."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from conftest import drop, issued_path, late, on_time
from openpyxl import load_workbook
from test_renamed_units import rename

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import UnitState

JUNE, JULY, AUGUST = Period(2022, 6), Period(2022, 7), Period(2022, 8)
SZ = "市政务服务数据管理局"
REMOVED = "市残联"  # a lead of 2.1, 2.3, 2.4, 4.1, 7.1, 7.2
OLD, NEW = "市金融工作局", "市地方金融监督管理局"
NEW_LEAD = "市发展改革局"  # 2.2's only lead from the edit on (SZ's before)
ADDED = "16.2"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
LAGGING = Answer(status="滞后", progress=30, work="已启动。", problems="经费未落实。")


def send(ws, period, unit, filling=None, mtime=None):
    data = fill_return(issued_path(ws, unit, period), filling or Filling())
    drop(ws, f"{period}_{unit}.xlsx", data, mtime)


def play_june_and_july(ws, collecting_on):
    """June: SZ and 市金融工作局 on time, 市残联 late. July: SZ, 市残联 (滞后 on 2.4, where
    no other lead reports), SZ with 2.2 已完成, and 市发展改革局, dated by ``collect --received``."""
    send(ws, JUNE, SZ, mtime=on_time())
    send(ws, JUNE, OLD, mtime=on_time())
    send(ws, JUNE, REMOVED, mtime=late())
    collect(ws, JUNE)  # (on the real clock: June's forms were issued on it)
    collecting_on(dt.date(2022, 7, 20))
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
    send(ws, JULY, SZ, Filling(answers={"2.2": DONE}))
    send(ws, JULY, REMOVED, Filling(answers={"2.4": LAGGING}))
    send(ws, JULY, NEW_LEAD)
    collecting_on(dt.date(2022, 8, 4))
    collect(ws, JULY, received=dt.date(2022, 8, 4))


def edit_master(ws):
    """What the office does in Excel mid-year (README: 责任分工 may be edited)."""
    wb = load_workbook(ws.master_path)
    tasks, duty, directory = wb["任务清单"], wb["责任分工"], wb["单位名录"]
    for row in reversed(list(duty.iter_rows(min_row=2))):
        if row[1].value == REMOVED:
            duty.delete_rows(row[0].row)
        elif row[0].value == "2.2" and row[1].value == SZ:
            row[1].value = NEW_LEAD
    for row in directory.iter_rows(min_row=2):
        if row[0].value == REMOVED:
            directory.delete_rows(row[0].row)
            break
    last = [c.value for c in tasks[tasks.max_row]]
    tasks.append([ADDED, last[1], last[2], "新增工作任务", "年内新增的具体工作内容。", "2022年12月",
                  dt.datetime(2022, 12, 31), "否", NEW_LEAD, None, None, f"{NEW_LEAD}负责"])
    duty.append([ADDED, NEW_LEAD, "牵头", "明确"])
    wb.save(ws.master_path)
    rename(ws, OLD, NEW)


def picture(cons):
    """What a month's 汇总表 and 通报 say, unit names as they are now (in lists sorted: a unit
    removed since comes last among a task's units, its row in 责任分工 being gone)."""
    def name(unit):
        return {OLD: NEW}.get(unit, unit)

    def names(units):
        return sorted(map(name, units))

    ctx = build_context(cons)
    return {
        "tasks": {t.task.id: (t.status, t.avg_progress, t.overdue, names(t.leads), names(t.coops),
                              names(t.missing), names(t.not_asked), names(t.sent_back),
                              sorted((name(u), str(state)) for u, state in t.lead_states.items()))
                  for t in cons.tasks},
        "units": {name(u.unit): (u.state, u.tasks, u.done, u.lagging) for u in cons.units},
        "figures": cons.figures(),
        "by_level1": [(r.name, r.total, r.done, r.on_track, r.lagging, r.not_started, r.not_reported)
                      for r in ctx.by_level1],
        "overview": ctx.overview_text.replace(OLD, NEW),
    }


def test_a_past_month_merged_again_after_the_master_was_edited_is_as_it_was(issued_ws, collecting_on):
    play_june_and_july(issued_ws, collecting_on)
    # past July's deadline, as on 1 September: before it the 通报 says apart a task past its 完成时限
    # whose leads are still due (QA203), a fact of the day, not of the re-merge
    collecting_on(dt.date(2022, 8, 6))
    before = {p: picture(consolidate(issued_ws, p)) for p in (JUNE, JULY)}
    june = before[JUNE]
    assert june["units"][REMOVED][0] == UnitState.LATE and ADDED not in june["tasks"]
    assert before[JULY]["tasks"]["2.4"][0] == "滞后" and before[JULY]["tasks"]["2.2"][0] == "已完成"

    edit_master(issued_ws)
    collecting_on(dt.date(2022, 9, 1))
    issue_returns(issued_ws, "2022-08", due=dt.date(2022, 9, 5))
    for p in (JUNE, JULY):
        after = picture(consolidate(issued_ws, p))
        for part in before[p]:
            assert after[part] == before[p][part], (p, part)

    # what a coordinator reads in the 汇总表 merged again: the removed unit still 逾期报送 in
    # June, no row (and no 未报送) for the task added since, 2.4 still 滞后 in July
    june_book = load_workbook(merge(issued_ws, JUNE).path)
    assert any(REMOVED in r and "逾期报送" in r for r in june_book["报送情况"].iter_rows(values_only=True))
    july_book = load_workbook(merge(issued_ws, JULY).path)
    status = {r[0]: r[7] for r in july_book["任务汇总"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert ADDED not in status and status["2.4"] == "滞后" and status["2.2"] == "已完成"


def test_the_month_the_office_is_on_reads_todays_master(issued_ws, collecting_on):
    """August, the month the forms just went out for, is judged by today's 责任分工: the added
    task is asked, 2.2 waits for its new lead, the removed unit owes nothing."""
    play_june_and_july(issued_ws, collecting_on)
    edit_master(issued_ws)
    collecting_on(dt.date(2022, 9, 1))
    issue_returns(issued_ws, "2022-08", due=dt.date(2022, 9, 5))
    august = consolidate(issued_ws, AUGUST)
    tasks = {t.task.id: t for t in august.tasks}
    assert tasks[ADDED].leads == [NEW_LEAD] and tasks["2.2"].leads == [NEW_LEAD]
    assert REMOVED not in [u.unit for u in august.units] and NEW in [u.unit for u in august.units]


def test_a_past_month_without_an_issued_record_keeps_todays_reading(issued_ws, collecting_on):
    """A ledger that recorded no forms for June (older than version 4) cannot say who was
    asked then: June is read from today's 责任分工 as before."""
    play_june_and_july(issued_ws, collecting_on)
    edit_master(issued_ws)
    collecting_on(dt.date(2022, 9, 1))
    issue_returns(issued_ws, "2022-08", due=dt.date(2022, 9, 5))
    with sqlite3.connect(issued_ws.ledger_path) as conn:
        conn.execute("DELETE FROM issued WHERE period='2022-06'")
    june = consolidate(issued_ws, JUNE)
    assert REMOVED not in [u.unit for u in june.units]
    assert next(t for t in june.tasks if t.task.id == "2.2").leads == [NEW_LEAD]


def test_a_late_return_whose_task_moved_since_names_no_one_unreported_for_it(issued_ws, collecting_on):
    """市民政局 sends its July form in September (补报, W209), after the office took 4.2 from
    it. July merged again, as the tool asks, must not list 市民政局 未报送 for the row it sent:
    the row is July's, as July's form asked for it (QA111: it was set aside as W210 before,
    today's 责任分工 deciding a past month's row)."""
    play_june_and_july(issued_ws, collecting_on)
    edit_master(issued_ws)
    wb = load_workbook(issued_ws.master_path)
    duty = wb["责任分工"]
    duty.delete_rows(next(r[0].row for r in duty.iter_rows(min_row=2) if r[0].value == "4.2" and r[1].value == "市民政局"))
    wb.save(issued_ws.master_path)
    collecting_on(dt.date(2022, 9, 1))
    issue_returns(issued_ws, "2022-08", due=dt.date(2022, 9, 5))
    send(issued_ws, JULY, "市民政局")
    collecting_on(dt.date(2022, 9, 8))
    collect(issued_ws, received=dt.date(2022, 9, 8))
    july = consolidate(issued_ws, JULY)
    assert next(u.state for u in july.units if u.unit == "市民政局") == UnitState.LATE
    task = next(t for t in july.tasks if t.task.id == "4.2")
    assert "市民政局" not in task.missing and task.lead_states.get("市民政局") != "未报送"
    assert [d["status"] for d in july.details if d["task"] == "4.2" and d["unit"] == "市民政局"] == ["序时推进"]


def test_a_lead_that_sent_nothing_is_still_the_lead_of_its_month_after_its_task_moved(issued_ws):
    """June's only lead of 2.2 (SZ) sent nothing; 2.2 was then given to 市发展改革局. June,
    merged again, names SZ as the lead that did not report, not a unit June's forms never
    asked for 2.2 (the role its June form gave, recorded in the ledger's ``issued``; a form
    issued before roles were recorded infers it: a unit no longer on a task that has no other
    lead that month was its lead)."""
    wb = load_workbook(issued_ws.master_path)
    next(r for r in wb["责任分工"].iter_rows(min_row=2) if r[0].value == "2.2")[1].value = NEW_LEAD
    wb.save(issued_ws.master_path)
    issue_returns(issued_ws, "2022-07", due=dt.date(2022, 8, 5))
    task = next(t for t in consolidate(issued_ws, JUNE).tasks if t.task.id == "2.2")
    assert task.leads == [SZ] and task.missing == [SZ] and task.status == "未报送"
    assert build_context(consolidate(issued_ws, JUNE)).task_not_reported_not_issued == 0


def june_to_three_units(ws, collecting_on) -> None:
    """June issued on 28 June to three units only (`issue --dept`); 市公安局's return collected
    on 3 July."""
    collecting_on(dt.date(2022, 6, 28))
    issue_returns(ws, "2022-06", units=["市公安局", "市人力资源社会保障局", "石龙镇"])
    collecting_on(dt.date(2022, 7, 3))
    send(ws, JUNE, "市公安局", mtime=on_time())
    collect(ws, JUNE)


@pytest.mark.slow  # plays a month (1.7 s): CI runs it, the quick loop need not
def test_a_month_issued_to_some_units_only_is_as_it_was_when_merged_again(ws, collecting_on):
    """June went to three units only (`issue --dept`): its 汇总表 and 通报 said the others'
    tasks were 尚未下发填报, their leads named as the table has them. Merged again once July's
    forms are out, June says the same: not 未明确牵头单位 for a task whose leads got no form,
    not fewer tasks, not shorter lists of leads."""
    june_to_three_units(ws, collecting_on)
    # read past June's deadline, as on the 20th: before it, a task whose leads were still due is
    # said apart in the 通报 (QA203), a fact of the day, not of the re-merge
    collecting_on(dt.date(2022, 7, 6))
    before = picture(consolidate(ws, JUNE))
    before_ctx = build_context(consolidate(ws, JUNE))
    collecting_on(dt.date(2022, 7, 20))
    issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
    after = picture(consolidate(ws, JUNE))
    for part in before:
        assert after[part] == before[part], part
    assert build_context(consolidate(ws, JUNE)).task_not_reported_not_issued == before_ctx.task_not_reported_not_issued > 0
