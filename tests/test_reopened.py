"""A task 已完成 last month that a lead now reports not done is said on screen (QA376): the
通报 of the month before called it 本期新完成, this one counts it as the lead's return says."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from conftest import workspace_copy
from test_qa96_done_units_exempt import _june_template  # noqa: F401 (fixture)

from toolkit.period import Period
from toolkit.reopened import reopened_told
from toolkit.vocab import Status


def _cons(before: dict, tasks: list) -> SimpleNamespace:
    june, july = Period(2021, 6), Period(2021, 7)
    now = {t.task.id: (t.status, None) for t in tasks}
    return SimpleNamespace(period=july, history={june: before, july: now}, tasks=tasks)


def _task(tid: str, status: str, leads: dict, overdue: bool = False) -> SimpleNamespace:
    return SimpleNamespace(task=SimpleNamespace(id=tid), status=status, lead_states=leads, overdue=overdue)


def test_a_task_done_last_month_reported_lagging_now_is_said_with_its_lead():
    cons = _cons({"1": (Status.DONE, 100.0), "2": (Status.DONE, 100.0), "3": (Status.ON_TRACK, 50.0)}, [
        _task("1", Status.LAGGING, {"县财政局": Status.LAGGING}, overdue=True),
        _task("2", Status.DONE, {"县发改局": Status.DONE}),
        _task("3", Status.LAGGING, {"县民政局": Status.LAGGING}),
    ])
    assert reopened_told(cons) == [
        "说明：任务 1 上期为“已完成”，本期县财政局报送为“滞后”，汇总表和通报按本期报送计，不再计为已完成（已超过完成时限）；"
        "如系填报有误，请与县财政局核实。"]


def test_a_lead_that_did_not_report_or_was_sent_back_is_not_said():
    cons = _cons({"1": (Status.DONE, 100.0)}, [_task("1", Status.NOT_REPORTED, {"县财政局": "退回待改"})])
    assert reopened_told(cons) == []


def test_the_first_month_and_a_month_after_one_not_issued_say_nothing():
    task = _task("1", Status.ON_TRACK, {"县财政局": Status.ON_TRACK})
    assert reopened_told(SimpleNamespace(period=Period(2021, 7), history={Period(2021, 7): {}}, tasks=[task])) == []
    assert reopened_told(_cons({"1": ("本期未下发", None)}, [task])) == []


# ---------------------------------------------------------------------------
# a month played: 6.2 已完成 in June (both leads), 市卫生健康局 reports it 序时推进 in July

@pytest.mark.slow
def test_merge_says_a_task_done_in_june_is_reported_on_track_in_july(tmp_path, request, run):
    from test_qa96_done_units_exempt import HEALTH, JULY, ONGOING, at, on_day, send

    from toolkit.actions.collect import collect
    from toolkit.actions.issue import issue_returns
    from toolkit.filling import Filling

    ws = workspace_copy(request.getfixturevalue("_june_template"), tmp_path / "ws")
    with pytest.MonkeyPatch.context() as mp:
        on_day(mp, dt.date(2022, 7, 6))
        assert run(["merge", "--period", "2022-06"], cwd=ws.root).exit_code in (0, 1)
        on_day(mp, dt.date(2022, 7, 20))
        issue_returns(ws, JULY)
        on_day(mp, dt.date(2022, 8, 4))
        send(ws, JULY, HEALTH, Filling(answers={"6.2": ONGOING}, default=ONGOING), at(2022, 8, 4, 9))
        collect(ws, JULY)
        merged = run(["merge", "--period", "2022-07"], cwd=ws.root)
    assert ("说明：任务 6.2 上期为“已完成”，本期市卫生健康局报送为“序时推进”，汇总表和通报按本期报送计，"
            "不再计为已完成；如系填报有误，请与市卫生健康局核实。") in merged.output.splitlines(), merged.output
