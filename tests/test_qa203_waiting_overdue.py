"""QA203: before the deadline, a 通报 must not call a task 已超过完成时限仍未完成 while its leads may
still report on time, and a lead sent back may still correct on time (东莞, June 2022, 报送截止 5 July).

On 3 July 石龙镇's return (1.2 已完成) is in and 虎门镇's file of the 2nd could not be opened (退回待改).
1.2 read 滞后 (汇总表 and 通报, "平均进度100%") only for 虎门镇, whose good return could still come by
the 5th; and the 通报 counted every task past its 完成时限 whose leads were all still due, 1.1 and 2.2
among them, "已超过完成时限仍未完成", where 总览 kept them apart (完成时限已过、报送尚未截止).
tests/test_qa197_review.py plays the month through the CLI (slow); these read the objects.
"""

from __future__ import annotations

import dataclasses

from conftest import PERIOD, drop, set_clock
from test_evidence import mail
from test_qa123_due_changes import JULY, send

from toolkit.actions.collect import collect
from toolkit.actions.memo import not_yet_due_notes
from toolkit.consolidate import consolidate
from toolkit.memo import sentences
from toolkit.memo.context import build_context
from toolkit.vocab import OVERDUE_WAITING, Status

HUMEN = "虎门镇"


def _sent_back_on_the_2nd(ws, make_return, monkeypatch, day: int):
    """石龙镇's good return and 虎门镇's broken one, both of 2 July, collected on Sunday the 3rd (the
    reply asks for the correction by Wednesday the 6th, three working days on: later than the
    deadline of the 5th, QA398) and read on ``day`` July."""
    broken = make_return(HUMEN)
    drop(ws, "hm.eml", mail([(f"{HUMEN}6月进展.xlsx", broken[: len(broken) // 2])], date="02 Jul 2022 09:00:00 +0800"))
    send(ws, make_return, "石龙镇", 2)
    set_clock(monkeypatch, JULY[min(day, 3)])
    collect(ws)
    set_clock(monkeypatch, JULY[day])
    return consolidate(ws, PERIOD)


def _task(cons, tid: str):
    return next(t for t in cons.tasks if t.task.id == tid)


def test_a_lead_sent_back_waits_like_a_silent_one_until_its_deadline(issued_ws, make_return, monkeypatch):
    cons = _sent_back_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    assert next(u for u in cons.units if u.unit == HUMEN).state == "退回待改"  # named as what happened
    task = _task(cons, "1.2")
    assert task.status == Status.NOT_REPORTED and task.lead_states[HUMEN] == "退回待改", task.status
    assert HUMEN in task.silent and "1.2" in cons.waiting_tasks and HUMEN in cons.awaited - cons.waiting
    (note,) = not_yet_due_notes(cons, JULY[3])
    assert "通报列为退回修改的虎门镇尚未过报送截止日期，仍可按时改报；通报列为未报送的任务1.1、1.2、" in note, note
    item = next(i for i in build_context(cons, JULY[3]).attention if i.id == "1.2")
    assert item.status_text == "已报送的牵头单位已完成", item.status_text
    assert f"，{OVERDUE_WAITING}；尚有32个牵头单位未报送" in item.summary and "退回修改（虎门镇）" in item.summary


def test_after_the_date_its_reply_asked_a_lead_sent_back_makes_the_task_lagging_as_before(
        issued_ws, make_return, monkeypatch):
    cons = _sent_back_on_the_2nd(issued_ws, make_return, monkeypatch, 6)
    assert HUMEN in cons.awaited and cons.awaited_by(HUMEN) == JULY[6]  # still on time on the 6th
    set_clock(monkeypatch, JULY[7])
    cons = consolidate(issued_ws, PERIOD)
    assert _task(cons, "1.2").status == Status.LAGGING and not cons.awaited and not cons.waiting_tasks


def test_before_the_deadline_the_memo_counts_the_overdue_tasks_waiting_on_leads_apart(
        issued_ws, make_return, monkeypatch):
    cons = _sent_back_on_the_2nd(issued_ws, make_return, monkeypatch, 3)
    overview = dict(cons.overdue_counts())
    ctx = build_context(cons, JULY[3])
    # 1.2 (石龙镇 已完成), 1.1, 2.2 (市政务服务数据管理局 alone), 2.3, 3.1, 3.2: every lead still due
    assert (ctx.task_overdue, ctx.task_overdue_waiting) == (overview.get("超期未完成", 0), overview[OVERDUE_WAITING])
    assert (ctx.task_overdue, ctx.task_overdue_waiting) == (0, 6)
    assert not ctx.overdue and len(ctx.attention) == 6
    assert "上述任务中，有6项已过完成时限、牵头单位报送尚未截止。" in ctx.overview_text, ctx.overview_text
    assert "仍未完成" not in ctx.overview_text + ctx.attention_text
    assert ctx.attention_text == "本期有6项任务已过完成时限、牵头单位报送尚未截止，具体如下：", ctx.attention_text
    assert all(OVERDUE_WAITING in t.summary and "已超过完成时限" not in t.summary for t in ctx.attention)
    # nothing known late: no 加快推进滞后任务 of tasks whose leads may still report in time
    assert not any(p.title == "加快推进滞后任务。" for p in ctx.requirements)


def test_the_memo_says_known_overdue_and_waiting_tasks_each_by_their_count(issued_ws, make_return, monkeypatch):
    ctx = build_context(_sent_back_on_the_2nd(issued_ws, make_return, monkeypatch, 3), JULY[3])
    # as if 1.1 and 2.2 were reported 滞后 (QA197's 3 August): two known, four waiting
    ctx = dataclasses.replace(ctx, task_lagging=2, task_overdue=2, task_overdue_waiting=4, attention=[
        dataclasses.replace(t, status=Status.LAGGING) if t.id in ("1.1", "2.2") else t for t in ctx.attention])
    assert sentences.attention_text(ctx) == ("本期进展滞后且已超过完成时限的任务共2项；另有4项任务已过完成时限、牵头单位报送"
                                             "尚未截止，一并列出，具体如下：")
    assert "上述任务中，已超过完成时限仍未完成的有2项，另有4项已过完成时限、牵头单位报送尚未截止。" \
        in sentences.overview_text(ctx, 1)
