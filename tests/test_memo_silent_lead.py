"""A task every reporting lead finished, still open because one lead stayed silent: the 通报
said "滞后，平均进度100%…；尚有1个牵头单位未报送", which reads as a contradiction (QA114's
three-month play-through). It says the reporting leads finished."""
from __future__ import annotations

import datetime as dt

from test_qa92_plan_edges import DONE, LEADS_3_1, send

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Filling
from toolkit.memo.context import build_context
from toolkit.period import Period

JUNE = Period(2022, 6)


def test_a_task_its_reporting_leads_finished_says_so(issued_ws, collecting_on):
    """3.1 (due 2022年6月): five of its six leads report it 已完成 in July, 市公安局 says nothing."""
    for unit in LEADS_3_1[1:]:
        send(issued_ws, JUNE, unit, Filling(default=DONE), dt.date(2022, 7, 4))
    collecting_on(dt.date(2022, 7, 4))
    collect(issued_ws, JUNE)
    # on the 8th, 市公安局 past the 5th: on the 4th the task waits on it (QA194, `task_rule.task_status`)
    collecting_on(dt.date(2022, 7, 8))
    ctx = build_context(consolidate(issued_ws, JUNE), dt.date(2022, 7, 8))
    item = next(i for i in ctx.overdue if i.id == "3.1")
    assert item.status_text == "滞后，已报送的5个牵头单位均已完成", item.status_text
    assert "平均进度100%" not in item.summary and "尚有1个牵头单位未报送（市公安局）" in item.summary, item.summary
