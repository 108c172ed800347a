"""QA 194: a task is 滞后 by its 完成时限 only on the word of leads whose verdict is in.

Before, a lead not yet reported counted as "not done": on 3 July 东莞's 1.2 (完成时限 2022年6月),
石龙镇 the only one of its 34 leads to report, 已完成, read 滞后 in the 汇总表 and the 通报 while
33 towns had until the 5th (tests/test_qa192_review.py plays it through). Now, while every lead
that reported says 已完成 and the rest are not yet due, the task waits (未报送, said
未报送（尚未截止）); a lead's 滞后, or one reporting anything else past the 完成时限, or a silent
lead past its deadline (or sent back and past it, QA203), makes it 滞后 as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from test_qa92_plan_edges import JAN, LEADS_3_1, december_all_done

from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import not_yet_due_notes
from toolkit.consolidate import consolidate
from toolkit.master import Task
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.report import Row
from toolkit.style import load_style
from toolkit.summary_book import build_summary_workbook
from toolkit.summary_charts import UNIT_CHART_MAX
from toolkit.task_rule import task_status
from toolkit.vocab import NOT_YET_DUE, Status

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE = Period(2022, 6)
DUE_NOW = Task("1.2", "一", "二", "对标对表提升整改", "内容", "2022年6月", dt.date(2022, 6, 30), False)
DUE_LATER = dataclasses.replace(DUE_NOW, deadline_text="2022年12月", deadline=dt.date(2022, 12, 31))


def _row(status: str) -> Row:
    return Row("1.2", "牵头", status, None, "进展", "", "", None, "")


@pytest.mark.parametrize("task, rows, waiting, expected", [
    (DUE_NOW, {"石龙镇": "已完成"}, {"虎门镇", "长安镇"}, "未报送"),             # the rest may still report 已完成
    (DUE_NOW, {"石龙镇": "已完成"}, set(), "滞后"),                              # after their deadline: as before
    (DUE_NOW, {"石龙镇": "已完成"}, {"虎门镇"}, "滞后"),                         # 长安镇 past its deadline
    (DUE_NOW, {"石龙镇": "序时推进"}, {"虎门镇", "长安镇"}, "滞后"),             # its own word: not done in time
    (DUE_NOW, {"石龙镇": "未启动"}, {"虎门镇", "长安镇"}, "滞后"),
    (DUE_LATER, {"石龙镇": "滞后"}, {"虎门镇", "长安镇"}, "滞后"),               # a lead's 滞后, whatever the day
    (DUE_LATER, {"石龙镇": "已完成"}, {"虎门镇", "长安镇"}, "序时推进"),         # 完成时限 ahead: unchanged
    (DUE_NOW, {u: "已完成" for u in ("石龙镇", "虎门镇", "长安镇")}, set(), "已完成"),
])
def test_a_task_waits_only_on_leads_not_yet_due(task, rows, waiting, expected):
    leads = ["石龙镇", "虎门镇", "长安镇"]
    assert task_status(task, leads, {u: _row(s) for u, s in rows.items()}, JUNE, frozenset(waiting)) == expected


def test_an_earlier_done_of_a_lead_past_its_deadline_leaves_the_task_waiting_on_the_others(
        issued_ws, collecting_on):
    """3.1 (完成时限 2022年6月): 市交通运输局 said 已完成 in December and is silent in January, past
    the 5th; its five co-leads were given the 10th (`issue --dept … --due 2023-02-10`). On the 8th
    the task's verdict rests on them alone: it waits, and everything that says it agrees (the
    silent lead that finished earlier is no lead it waits on). On the 11th it is 滞后 (QA117)."""
    december_all_done(issued_ws, collecting_on, units=("市交通运输局",))
    collecting_on(dt.date(2023, 1, 20))
    issue_returns(issued_ws, JAN)
    others = [u for u in LEADS_3_1 if u != "市交通运输局"]
    issue_returns(issued_ws, JAN, due=dt.date(2023, 2, 10), units=others)
    collecting_on(dt.date(2023, 2, 8))
    cons = consolidate(issued_ws, JAN)
    task = next(t for t in cons.tasks if t.task.id == "3.1")
    assert task.status == Status.NOT_REPORTED and sorted(task.silent) == sorted(others)
    assert "3.1" in cons.waiting_tasks and cons.task_said("3.1", task.status) == NOT_YET_DUE
    assert "3.1" in not_yet_due_notes(cons, dt.date(2023, 2, 8))[0]
    item = next(i for i in build_context(cons, dt.date(2023, 2, 8)).attention if i.id == "3.1")
    assert "滞后" not in item.status_text, item.status_text
    collecting_on(dt.date(2023, 2, 11))
    assert next(t for t in consolidate(issued_ws, JAN).tasks if t.task.id == "3.1").status == Status.LAGGING


def _overview(cons, units: int):
    base = cons.units[0]
    many = [dataclasses.replace(base, unit=f"第{i}村") for i in range(units)]
    return build_summary_workbook(dataclasses.replace(cons, units=many), load_style()).sheets[0]


def test_overview_without_a_unit_chart_prints_portrait_its_charts_under_the_tables(issued_ws):
    """Past `UNIT_CHART_MAX` units 四 has no chart: one scale prints the sheet, and fitted to the
    charts beside 一 and 三 its table printed in the left half of each page. The charts go under
    their tables (column A), the sheet portrait; up to the limit, as before."""
    cons = consolidate(issued_ws, JUNE)
    at_limit, past = _overview(cons, UNIT_CHART_MAX), _overview(cons, UNIT_CHART_MAX + 10)
    assert at_limit.name == past.name == "总览"
    assert at_limit.landscape and {c.col for c in at_limit.charts} == {len(at_limit.widths) + 1}
    assert not past.landscape and len(past.charts) == 2 and {c.col for c in past.charts} == {0}
    # each chart below the last row of its table, the pie before 三's page break
    pie, bars = sorted(past.charts, key=lambda c: c.row)
    assert pie.row < past.breaks[0] < bars.row
