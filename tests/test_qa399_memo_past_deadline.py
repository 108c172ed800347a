"""QA398, 2: a task 滞后 only because its 完成时限 has passed (`task_rule.task_status`) was said in the 通报
as "进展情况：滞后，进度70%，已超过完成时限", as if its lead had reported 滞后; the lead had reported
序时推进, as the 汇总表's 滞后超期 said ("县产业园区管委会：序时推进"). The sentence now says what the
leads reported and why it counts as 滞后: "进展情况：牵头单位报告序时推进，进度70%，已超过完成时限".
A lead that reported 滞后 itself, or leads in different states (`memo.joint.breakdown`), read as before.
"""
from __future__ import annotations

import datetime as dt

from test_qa92_plan_edges import _set_deadline, send

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.memo import joint
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import Status

JUNE = Period(2022, 6)
ON_TRACK = Answer(status="序时推进", progress=60, work="按计划推进。")


def _attention(ws, collecting_on, answers: dict[str, Answer], task: str):
    """Each unit of ``answers`` reports ``task`` so (the rest 序时推进) on 4 July; the task's item in
    section 三 of a 通报 of 8 July, and the task as the 汇总表 has it."""
    for unit, answer in answers.items():
        send(ws, JUNE, unit, Filling(answers={task: answer}, default=ON_TRACK), dt.date(2022, 7, 4))
    collecting_on(dt.date(2022, 7, 4))
    collect(ws, JUNE)
    collecting_on(dt.date(2022, 7, 8))
    cons = consolidate(ws, JUNE)
    item = next(t for t in build_context(cons, dt.date(2022, 7, 8)).attention if t.id == task)
    return item, next(t for t in cons.tasks if t.task.id == task)


def test_one_lead_on_track_past_the_deadline_is_said_on_track_and_why_it_is_behind(issued_ws, collecting_on):
    # 2.2, one lead (市政务服务数据管理局), due 2022年6月
    item, task = _attention(issued_ws, collecting_on, {"市政务服务数据管理局": Answer(
        status="序时推进", progress=70, work="推进中。")}, "2.2")
    assert task.status == Status.LAGGING and task.overdue  # the task rule stays: counted as 滞后超期
    assert task.lead_states == {"市政务服务数据管理局": "序时推进"}  # what 滞后超期 prints
    assert item.status_text == "牵头单位报告序时推进，进度70%", item.status_text
    assert "；进展情况：牵头单位报告序时推进，进度70%，已超过完成时限。" in item.summary, item.summary
    assert "滞后" not in item.summary


def test_two_leads_on_track_one_silent_and_one_not_started(issued_ws, collecting_on):
    # 6.2 (市卫生健康局, 东莞市税务局) due 2022年6月
    _set_deadline(issued_ws, "6.2", "2022年6月")
    item, _ = _attention(issued_ws, collecting_on, {
        "市卫生健康局": Answer(status="序时推进", progress=70, work="推进中。"),
        "东莞市税务局": Answer(status="序时推进", progress=90, work="推进中。")}, "6.2")
    assert "；进展情况：牵头单位均报告序时推进，平均进度80%，已超过完成时限。" in item.summary, item.summary


def test_one_lead_silent_the_other_on_track(issued_ws, collecting_on):
    _set_deadline(issued_ws, "6.2", "2022年6月")
    item, _ = _attention(issued_ws, collecting_on, {
        "东莞市税务局": Answer(status="序时推进", progress=90, work="推进中。")}, "6.2")
    assert item.summary.endswith("；进展情况：已报送的牵头单位报告序时推进，进度90%，已超过完成时限；"
                                 "尚有1个牵头单位未报送（市卫生健康局）。"), item.summary


def test_wording_by_the_leads_states():
    said = joint.past_deadline
    leads = ["甲", "乙", "丙"]
    assert said({"甲": Status.NOT_STARTED}, ["甲"], "进度0%") == "牵头单位报告未启动"
    assert said(dict.fromkeys(leads, Status.ON_TRACK), leads, "平均进度50%") == "牵头单位均报告序时推进，平均进度50%"
    assert said({"甲": Status.ON_TRACK, "乙": Status.ON_TRACK, "丙": Status.NOT_REPORTED}, leads, "平均进度50%") \
        == "已报送的2个牵头单位均报告序时推进，平均进度50%"
    # a lead's own 滞后, leads in two states, or every one that reported done: the sentence as before
    assert said({"甲": Status.LAGGING}, ["甲"], "进度30%") == ""
    assert said({"甲": Status.ON_TRACK, "乙": Status.DONE}, ["甲", "乙"], "平均进度80%") == ""
    assert said({"甲": Status.DONE, "乙": Status.NOT_REPORTED}, ["甲", "乙"], "进度100%") == ""


def test_a_lead_that_reported_lagging_is_said_lagging_as_before(issued_ws, collecting_on):
    item, _ = _attention(issued_ws, collecting_on, {"市政务服务数据管理局": Answer(
        status="滞后", progress=30, work="推进中。", problems="资金未到位。")}, "2.2")
    assert "；进展情况：滞后，进度30%，已超过完成时限。" in item.summary, item.summary
