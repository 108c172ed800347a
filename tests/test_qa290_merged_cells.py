"""QA round 290: a department merged the 工作进展 cells of three tasks (J5:J7, 合并后居中) to give
them one text. Excel showed that text across the three rows; duban read rows 6 and 7 as empty
(E506 twice), sent the return back, and the 通报 named 万江街道 among the units whose returns
were wrong.

A merge within one column of the table, over the unit's own task rows, is now read as its value
for each row it covers, with W511 saying so. A merge whose value cannot be told row by row (two
columns, the header, the task ids, another unit's row) is E512 where it covers a cell a row
needs (任务编号, 完成状态, 工作进展) — the refusal it was, in words that say why — and W513
where it covers only cells a row may leave blank.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, edit, on_time
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.merge import merge
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.period import Period
from toolkit.report import CODES

UNIT = "万江街道"  # rows 5, 6, 7, 8 … are tasks 1.2, 4.3, 5.1, 5.2 …
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
WORK = "三项任务统筹推进：召开专题会议 2 次，印发工作方案。"


def _merged(make_return, *merges: tuple[str, object], filling: Filling | None = None) -> bytes:
    """万江街道's return, each (range, value) put in the range's first cell and merged."""
    def change(wb):
        sheet = wb["进展填报"]
        for ref, value in merges:
            if value is not None:
                sheet[ref.split(":")[0]] = value
            sheet.merge_cells(ref)
    return edit(make_return(UNIT, filling or Filling(answers={"1.2": DONE})), change)


def _check(ws, data: bytes, name: str = "万江街道.xlsx"):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


def _coded(report, code: str):
    return [i for i in report.issues if i.code == code]


def _row(report, task: str):
    return next(r for r in report.rows if r.task == task)


def test_a_merged_工作进展_is_each_rows_text_with_a_warning(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("J5:J7", WORK)))
    assert report.outcome == "采纳", [(i.code, i.cell) for i in report.issues]
    assert [_row(report, t).work for t in ("1.2", "4.3", "5.1", "5.2")] == [WORK, WORK, WORK, "按计划推进。"]
    [issue] = _coded(report, "W511")
    assert (issue.severity, issue.cell, issue.task) == ("警告", "J5", "1.2")
    assert issue.message == ("J5:J7 是合并单元格，其中的“工作进展”已作为任务 1.2、4.3、5.1 各自的“工作进展”读取。"
                             "如各任务情况不同，请取消合并后逐行填写。")
    assert not _coded(report, "E506")


def test_a_merged_status_and_progress_are_each_rows(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("H6:H8", "滞后"), ("I6:I8", 40), ("K6:K8", "资金未到位")))
    assert report.outcome == "采纳", [(i.code, i.cell) for i in report.issues]
    for t in ("4.3", "5.1", "5.2"):
        row = _row(report, t)
        assert (row.status, row.progress, row.problems) == ("滞后", 40, "资金未到位")
    assert [i.cell for i in _coded(report, "W511")] == ["H6", "I6", "K6"]
    assert not _coded(report, "E603")


def test_a_merge_into_a_column_duban_does_not_read_is_its_first_columns(issued_ws, make_return):
    """佐证材料 (N) merged with the empty column beside the table (O): still one column's value."""
    report = _check(issued_ws, _merged(make_return, ("N6:O8", "东政数〔2022〕9号")))
    assert [_row(report, t).evidence for t in ("4.3", "5.1", "5.2")] == ["东政数〔2022〕9号"] * 3
    [issue] = _coded(report, "W511")
    assert issue.message.startswith("N6:O8 是合并单元格，其中的“佐证材料”已作为任务 4.3、5.1、5.2 各自的“佐证材料”读取。")


def test_a_merged_locked_text_is_each_rows_without_a_word(issued_ws, make_return):
    """A merged 责任类型 (the same word on every row) is no change to the task's text."""
    report = _check(issued_ws, _merged(make_return, ("G6:G8", None)))
    assert report.outcome == "采纳"
    assert not [i for i in report.issues if i.code in ("W405", "W511", "E512", "W513")]


def test_a_merge_across_完成进度_and_工作进展_is_refused_saying_why(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("I6:J8", WORK)))
    assert report.outcome == "退回"
    [issue] = _coded(report, "E512")
    assert (issue.cell, issue.task) == ("I6", "4.3")
    assert issue.message == ("I6:J8 是合并单元格（跨“完成进度(%)”“工作进展”两列），无法分清任务 4.3、5.1、5.2 各自的"
                             "“完成进度(%)”“工作进展”。请选中 I6:J8 取消合并，逐行填写后重新报送。")
    # the rows under it are that one refusal, not also 未填写工作进展 each
    assert not _coded(report, "E506")


def test_a_merge_with_the_header_is_refused_saying_why(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("J4:J6", None)))
    assert report.outcome == "退回"
    [issue] = _coded(report, "E512")
    assert (issue.cell, issue.task) == ("J5", "1.2")
    assert issue.message.startswith("J4:J6 是合并单元格（连同表头一起合并），无法分清任务 1.2、4.3 各自的“工作进展”。")
    assert not _coded(report, "E506")


def test_merged_task_ids_are_refused_saying_why(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("A6:A7", None)))
    assert report.outcome == "退回"
    [issue] = _coded(report, "E512")
    assert issue.message.startswith("A6:A7 是合并单元格（合并了任务编号），无法分清第 6、7 行各自的“任务编号”。")
    assert not _coded(report, "E401")  # the blank id under the merge is that refusal, said once


def test_a_merge_over_another_units_task_is_refused_saying_why(issued_ws, make_return):
    def add_row(wb):
        sheet = wb["进展填报"]
        for c, v in enumerate(["1.1", None, None, None, None, None, None, "序时推进", 50], start=1):
            sheet.cell(23, c).value = v
        sheet["J22"] = WORK
        sheet.merge_cells("J22:J23")
    report = _check(issued_ws, edit(make_return(UNIT, Filling(answers={"1.2": DONE})), add_row))
    assert report.outcome == "退回"
    assert _coded(report, "E402")
    [issue] = _coded(report, "E512")
    assert issue.message.startswith("J22:J23 是合并单元格（含非本单位任务 1.1 的行），")


def test_a_merge_of_two_optional_columns_reads_its_first_row_with_a_warning(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("K6:L8", "资金未到位")))
    assert report.outcome == "采纳"
    [issue] = _coded(report, "W513")
    assert issue.message == ("K6:L8 是合并单元格（跨“存在问题”“下一步计划”两列），只读作任务 4.3 的“存在问题”，"
                             "任务 5.1、5.2 的“存在问题”“下一步计划”按空白处理。如需填写，请取消合并后逐行填写。")
    assert [_row(report, t).problems for t in ("4.3", "5.1")] == ["资金未到位", ""]


def test_a_merge_within_one_row_is_read_as_before(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("J6:K6", WORK)))
    assert report.outcome == "采纳" and _row(report, "4.3").work == WORK
    assert not [i for i in report.issues if i.code in ("W511", "E512", "W513")]


def test_a_note_merged_under_the_table_is_no_task_row(issued_ws, make_return):
    report = _check(issued_ws, _merged(make_return, ("A24:N26", "填表说明：本表由街道党政办汇总填报。")))
    assert report.outcome == "采纳", [(i.code, i.cell) for i in report.issues]
    assert not [i for i in report.issues if i.code in ("W511", "E512", "W513")]


def test_codes_are_in_the_table():
    assert (CODES["W511"].severity, CODES["E512"].severity, CODES["W513"].severity) == ("警告", "错误", "警告")


def test_the_reply_to_a_refused_return_has_each_rows_text_and_no_merge(issued_ws, make_return):
    from toolkit.feedback import build_feedback
    from toolkit.resources import resource
    from toolkit.style import load_style

    data = _merged(make_return, ("J5:J7", WORK), ("A9:A10", None))
    master = issued_ws.load_master()
    report = _check(issued_ws, data)
    assert report.outcome == "退回"
    wb, located = build_feedback(master, report, data, "万江街道.xlsx", project="测试方案", due=dt.date(2022, 7, 5),
                                 style=load_style(resource("templates", "样式.toml")), limits=issued_ws.limits)
    sheet = wb["进展填报"]
    assert [sheet[f"J{r}"].value for r in (5, 6, 7)] == [WORK, WORK, WORK]
    assert not [m for m in sheet.merged_cells.ranges if m.min_row >= 5]
    where = {i.code: ref for i, ref in located}
    assert where["W511"] == "J5" and "W511" in sheet["J5"].comment.text
    assert where["E512"] == "A9" and "E512" in sheet["A9"].comment.text


def test_the_汇总表_has_the_merged_text_for_each_task(issued_ws, make_return):
    drop(issued_ws, "万江街道.xlsx", _merged(make_return, ("J5:J7", WORK)), on_time())
    collect(issued_ws)
    book = load_workbook(merge(issued_ws, "2022-06").path)
    sheet = book["单位明细"]
    header = [c.value for c in sheet[3]]
    unit, task, work = header.index("单位"), header.index("任务编号"), header.index("工作进展")
    works = {r[task]: r[work] for r in sheet.iter_rows(min_row=4, values_only=True) if r[unit] == UNIT}
    assert [works[t] for t in ("1.2", "4.3", "5.1")] == [WORK, WORK, WORK]
    # the warning is the office's to see, among the month's 校验问题, on an accepted return
    sheet = book["校验问题"]
    header = [c.value for c in sheet[3]]
    listed = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=4, values_only=True)]
    [row] = [r for r in listed if r["单位"] == UNIT and r["代码"] == "W511"]
    assert (row["单元格"], row["级别"], row["处理结果"]) == ("J5", "警告", "采纳")
    assert row["说明"].startswith("J5:J7 是合并单元格")


def test_duban_check_accepts_it(issued_ws, make_return, run, tmp_path):
    path = tmp_path / "万江街道.xlsx"
    path.write_bytes(_merged(make_return, ("J5:J7", WORK)))
    result = run(["check", str(path)], cwd=issued_ws.root)
    assert result.exit_code == 0, result.stdout
    assert "W511" in result.stdout


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_as_libreoffice_saves_it(issued_ws, make_return, tmp_path, lo, fmt):
    src = tmp_path / "万江街道.xlsx"
    src.write_bytes(_merged(make_return, ("J5:J7", WORK), ("K9:L10", "资金未到位")))
    saved = lo(src, fmt, tmp_path / fmt)
    report = _check(issued_ws, saved.read_bytes(), saved.name)
    assert report.outcome == "采纳", [(i.code, i.cell) for i in report.issues]
    assert [_row(report, t).work for t in ("1.2", "4.3", "5.1")] == [WORK, WORK, WORK]
    assert [i.code for i in report.issues if i.code in ("W511", "W513")] == ["W511", "W513"]
