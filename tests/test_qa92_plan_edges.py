"""The months at the edges of a plan's life (QA helper 92), on the Dongguan seed, a 2022 plan
whose dated tasks are all due by 2022年12月底: December 2022 → January 2023, the month after
every 完成时限 passed, and the tasks that have none (长期开展, 持续推进, 2022—2025年)."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, issued_path, shanghai
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import Status, UnitState

DEC, JAN = Period(2022, 12), Period(2023, 1)
DONE = Answer(status="已完成", progress=100, work="已全面完成，“收件即受理”在全市推行。", evidence="东府办〔2022〕8号")
POLICE = "市公安局"
#: the leads of 3.1 落实“收件即受理” (完成时限 2022年6月)
LEADS_3_1 = ("市公安局", "市交通运输局", "市市场监管局", "市卫生健康局", "市文化广电旅游体育局", "市人力资源社会保障局")


def send(ws, period, unit, filling, day):
    filling.contact["填报日期"] = day
    data = fill_return(issued_path(ws, unit, period), filling)
    drop(ws, f"{period.label}_{unit}_进展填报表.xlsx", data, shanghai(dt.datetime.combine(day, dt.time(10))))


def december_all_done(ws, collecting_on, units=LEADS_3_1):
    """December issued on the 20th; ``units`` answer every task 已完成 on 4 January."""
    collecting_on(dt.date(2022, 12, 20))
    issue_returns(ws, DEC)
    for unit in units:
        send(ws, DEC, unit, Filling(default=DONE), dt.date(2023, 1, 4))
    collecting_on(dt.date(2023, 1, 4))
    collect(ws, DEC)


def test_a_task_done_in_december_is_not_overdue_in_january_for_a_lead_that_stays_silent(
        issued_ws, collecting_on):
    """3.1 (due 2022年6月) was 已完成 by all six leads in December. In January 市公安局, all of
    whose tasks were done, sends nothing: 3.1 stood 滞后, 已超过完成时限, “尚有1个牵头单位未报送
    （市公安局）” in January's 通报, a finished task published as overdue. Completion is not
    undone by silence; 市公安局 itself, asked and silent, stays 未报送 in 报送情况 (and is named
    so beside the task, as 单位明细 names its row)."""
    december_all_done(issued_ws, collecting_on)
    collecting_on(dt.date(2023, 1, 20))
    issue_returns(issued_ws, JAN)
    for unit in LEADS_3_1[1:]:
        send(issued_ws, JAN, unit, Filling(default=DONE), dt.date(2023, 2, 3))
    collecting_on(dt.date(2023, 2, 3))
    collect(issued_ws, JAN)
    cons = consolidate(issued_ws, JAN)
    task = next(t for t in cons.tasks if t.task.id == "3.1")
    assert task.status == Status.DONE and not task.overdue, (task.status, task.overdue)
    # the task is done, but this month's row of 市公安局 is still 未报送, in 任务汇总 as in 单位明细
    assert POLICE in task.missing
    assert cons.history[DEC]["3.1"][0] == cons.history[JAN]["3.1"][0] == Status.DONE
    ctx = build_context(cons, dt.date(2023, 2, 6))
    assert "3.1" not in {i.id for i in ctx.overdue} | {i.id for i in ctx.completed}
    assert next(u for u in cons.units if u.unit == POLICE).state == UnitState.NOT_REPORTED


def test_a_lead_that_reopens_a_done_task_is_read_by_its_latest_return(issued_ws, collecting_on):
    """Only the unit's latest row counts: 市交通运输局, 已完成 in December, reports 3.1 序时推进
    in January; the task is open again, and past its 完成时限 it is 超期."""
    december_all_done(issued_ws, collecting_on)
    collecting_on(dt.date(2023, 1, 20))
    issue_returns(issued_ws, JAN)
    reopened = Answer(status="滞后", progress=90, work="复查发现部分窗口未落实。", problems="窗口人员变动。")
    for unit in LEADS_3_1:
        send(issued_ws, JAN, unit, Filling(answers={"3.1": reopened}, default=DONE) if unit == "市交通运输局"
             else Filling(default=DONE), dt.date(2023, 2, 3))
    collecting_on(dt.date(2023, 2, 3))
    collect(issued_ws, JAN)
    task = next(t for t in consolidate(issued_ws, JAN).tasks if t.task.id == "3.1")
    assert task.status == Status.LAGGING and task.overdue


def test_issue_tells_the_office_which_units_it_asks_again_though_all_their_tasks_are_done(
        issued_ws, collecting_on, run):
    """January of a 2022 plan: 市公安局's December return gave every task 已完成. Its form goes
    out again (the office may want the year closed in writing) and, silent, it will be named
    未报送: issue says so, naming it, and names no unit with a task still open."""
    december_all_done(issued_ws, collecting_on, units=(POLICE, "市交通运输局"))
    collecting_on(dt.date(2023, 1, 20))
    tasks = issued_ws.load_master().tasks_of("市交通运输局")
    # 市交通运输局 keeps one task open in December: sent again, with 3.1 not done
    send(issued_ws, DEC, "市交通运输局", Filling(answers={tasks[0][0].id: Answer(status="滞后", progress=80,
         problems="资金未到位。")}, default=DONE), dt.date(2023, 1, 4))
    collect(issued_ws, DEC)
    r = run(["issue", "--period", "2023-01"], cwd=issued_ws.root)
    assert r.exit_code == 0, r.stdout
    assert f"请注意：{POLICE}上次报送的任务均为“已完成”" in r.stdout, r.stdout
    assert "否则将在通报中列为未报送" in r.stdout and "市交通运输局上次" not in r.stdout


def _set_deadline(ws, task: str, text: str) -> None:
    wb = load_workbook(ws.master_path)
    sheet = wb["任务清单"]
    head = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if str(r[0].value) == task)
    row[head.index("完成时限")].value, row[head.index("截止日期")].value = text, None
    wb.save(ws.master_path)


def test_ongoing_and_multi_year_deadlines_are_never_overdue_after_the_plans_year(
        issued_ws, collecting_on):
    """January 2023, a plan of 2022: 1.1 “持续推进”, 2.2 “2022—2025年” and 3.3 “长期开展” are 滞后
    but not 超期, in the 通报 and in both sheets of the 汇总表; 滞后超期 said 否 for 3.3 where
    任务汇总 said 长期, and 1.1, its 长期 column left 否 from import, was a date issue could
    not read (完成时限无法识别) and 否 in both sheets."""
    _set_deadline(issued_ws, "1.1", "持续推进")
    _set_deadline(issued_ws, "2.2", "2022—2025年")
    collecting_on(dt.date(2023, 1, 20))
    assert not issue_returns(issued_ws, JAN).undated  # 持续推进 is no date issue cannot read
    lagging = Answer(status="滞后", progress=60, work="推进中。", problems="经费未落实。")
    send(issued_ws, JAN, "市政务服务数据管理局", Filling(default=lagging), dt.date(2023, 2, 3))
    collecting_on(dt.date(2023, 2, 3))
    collect(issued_ws, JAN)
    cons = consolidate(issued_ws, JAN)
    by_id = {t.task.id: t for t in cons.tasks}
    for tid in ("1.1", "2.2", "3.3"):
        assert by_id[tid].status == Status.LAGGING and not by_id[tid].overdue, tid
    assert by_id["2.1"].overdue  # 2022年12月, the same lead, 滞后: 超期
    ctx = build_context(cons, dt.date(2023, 2, 6))
    assert {"1.1", "2.2", "3.3"}.isdisjoint(i.id for i in ctx.overdue)
    book = load_workbook(merge(issued_ws, JAN).path, read_only=True)
    for name in ("任务汇总", "滞后超期"):
        rows = list(book[name].iter_rows(values_only=True))
        head = next(r for r in rows if r and r[0] == "任务编号")
        col = head.index("是否超期")
        words = {r[0]: r[col] for r in rows if r and r[0] in ("1.1", "2.2", "3.3", "2.1")}
        assert words == {"1.1": "长期", "2.2": "否", "3.3": "长期", "2.1": "是"}, (name, words)


@pytest.mark.slow  # plays a month (1.7 s): CI runs it, the quick loop need not
def test_the_memo_after_the_last_deadline_says_every_deadline_has_passed(issued_ws, collecting_on):
    """December and January of a 2022 plan: 五、下月到期任务 said only “2023年1月没有到期的任务”,
    as in any quiet month; every dated task's 完成时限 has passed (the last 2022年12月31日),
    and the 长期开展 tasks go on. June's memo, with tasks due later, says nothing of it."""
    december_all_done(issued_ws, collecting_on, units=(POLICE,))
    text = build_context(consolidate(issued_ws, DEC), dt.date(2023, 1, 6)).due_next_text
    assert text == ("2023年1月没有到期的任务。有明确完成时限的任务，时限均已届满（最晚为2022年12月31日），"
                    "长期开展的任务仍须持续推进。"), text
    june = build_context(consolidate(issued_ws, Period(2022, 6)), dt.date(2022, 7, 6)).due_next_text
    assert "届满" not in june
