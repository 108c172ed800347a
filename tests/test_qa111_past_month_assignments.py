"""A 补报 of a past month is checked against who its month's forms asked for what (the seed
plan, 东莞市2022年政务服务全域标准化专项行动, June and July as test_qa94 plays them).

June's forms gave 3.2 (落实容缺受理、告知承诺制和限时办结制) to 市交通运输局 as a lead, and not
to 市住房城乡建设局. After July's forms went out the office hands 3.2 over in 责任分工: from
市交通运输局 to 市住房城乡建设局. On 23 July both send June's form late, as June's forms printed
them: 市交通运输局's with a row for 3.2.

- June's 汇总表 and 通报 judge June by its forms (`issued_month.as_issued`): 市交通运输局 is a
  lead of 3.2 for June. collect checks its 补报 the same way (`check_as_printed`): no W210
  ("下发后调整任务"), and its 3.2 row is June's, in June's 汇总表 with its figures, counted in
  June's verdict on 3.2.
- 市住房城乡建设局's June form never carried 3.2: no W208 ("下发后新增任务") either.
- July, the month the office is on, is checked against today's 责任分工: 市交通运输局's July
  form, issued before the edit, still gets W210 for 3.2.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import invoke_cli, set_clock, shanghai
from openpyxl import load_workbook
from test_qa94_past_month_after_edits import JULY, JUNE, played, send, sheet_rows  # noqa: F401  (played: a fixture)
from test_qa107_past_month_checked_as_printed import codes, edited_copy

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling

MOVED = "3.2"
FROM, TO = "市交通运输局", "市住房城乡建设局"
ONGOING = Answer(status="序时推进", progress=60, work="已梳理交通运输领域容缺受理事项清单，推行告知承诺制。")
LATE = shanghai(dt.datetime(2022, 7, 23, 9, 0))


def hand_over(ws):
    """The office's edit in Excel, after July's forms went out: 3.2's row for 市交通运输局 in
    责任分工 now names 市住房城乡建设局."""
    wb = load_workbook(ws.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if (row[0].value, row[1].value) == (MOVED, FROM):
            row[1].value = TO
    wb.save(ws.master_path)


@pytest.fixture
def handed_ws(played, tmp_path):  # noqa: F811
    return edited_copy(played, tmp_path, hand_over)


def test_a_late_june_return_keeps_its_row_for_a_task_handed_over_since(handed_ws, monkeypatch):
    ws = handed_ws
    send(ws, JUNE, FROM, Filling(answers={MOVED: ONGOING}), LATE)
    send(ws, JUNE, TO, None, LATE)
    set_clock(monkeypatch, dt.date(2022, 7, 23))
    result = collect(ws)
    moved, took = codes(result, FROM, JUNE), codes(result, TO, JUNE)
    # judged by June's forms: 3.2 was 市交通运输局's, and was not on 市住房城乡建设局's form
    assert not {(c, t) for c, t in moved if c in ("W208", "W210")}, moved
    assert not {(c, t) for c, t in took if c in ("W208", "W210")}, took
    rep = next(it.report for t in result.items for it in t.walk()
               if it.report and it.report.unit == FROM and it.report.period == JUNE)
    row = next(r for r in rep.rows if r.task == MOVED)
    assert (row.status, str(row.role)) == ("序时推进", "牵头")

    merged = invoke_cli(["merge", "--period", "2022-06"], ws.root)
    assert merged.exit_code in (0, 1), merged.output
    june = consolidate(ws, JUNE)
    task = next(t for t in june.tasks if t.task.id == MOVED)
    assert FROM in task.leads and FROM not in task.missing, (task.leads, task.missing)
    assert TO not in task.leads
    book = load_workbook(ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    detail = [r for r in sheet_rows(book, "单位明细") if (r["任务编号"], r["单位"]) == (MOVED, FROM)]
    assert [(r["责任类型"], r["完成状态"], r["完成进度(%)"]) for r in detail] == [("牵头", "序时推进", 60)], detail
    # the office is told June keeps 市交通运输局 on 3.2, as June's forms gave it
    assert f"{FROM}（3.2 牵头" in merged.output, merged.output


def test_july_is_checked_against_todays_assignments(handed_ws, monkeypatch):
    ws = handed_ws
    send(ws, JULY, FROM, Filling(answers={MOVED: ONGOING}), LATE)
    set_clock(monkeypatch, dt.date(2022, 7, 23))
    july = codes(collect(ws), FROM, JULY)
    assert ("W210", MOVED) in july, july


# months played through collect, merge and issue: several seconds a module, run by CI, not the quick loop
pytestmark = pytest.mark.slow
