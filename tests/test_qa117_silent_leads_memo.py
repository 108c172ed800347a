"""QA117: the silent-lead wording (已报送的…牵头单位已完成) is for a month some lead reported
in. 3.1 (due 2022年6月): 市交通运输局 said 已完成 in December; in January none of its six leads
reports. The task stays 滞后 on that earlier 已完成 (`task_rule.done_before`), and the 通报
said "滞后，已报送的牵头单位已完成" of a month no lead of it reported in."""
from __future__ import annotations

import datetime as dt

import pytest
from test_qa92_plan_edges import DONE, JAN, december_all_done, send

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import Filling
from toolkit.memo.context import build_context
from toolkit.vocab import Status

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow


def test_no_lead_reported_this_month_is_not_said_to_have_finished(issued_ws, collecting_on):
    december_all_done(issued_ws, collecting_on, units=("市交通运输局",))
    collecting_on(dt.date(2023, 1, 20))
    issue_returns(issued_ws, JAN)
    send(issued_ws, JAN, "石龙镇", Filling(default=DONE), dt.date(2023, 2, 3))  # no lead of 3.1
    collecting_on(dt.date(2023, 2, 3))
    collect(issued_ws, JAN)
    # on the 8th, its five other leads past the 5th: on the 3rd the task waits on them (QA194)
    collecting_on(dt.date(2023, 2, 8))
    cons = consolidate(issued_ws, JAN)
    task = next(t for t in cons.tasks if t.task.id == "3.1")
    assert task.status == Status.LAGGING and set(task.missing) >= set(task.leads)
    ctx = build_context(cons, dt.date(2023, 2, 8))
    item = next(i for i in ctx.overdue + ctx.attention if i.id == "3.1")
    assert "已报送的" not in item.status_text, item.status_text
    assert item.status_text.startswith("滞后"), item.status_text
