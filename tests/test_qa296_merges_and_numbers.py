"""QA round 296: an adversarial read of QA289 (task ids Excel made numbers) and QA290 (merged
cells in a return).

- A merge over the last task row and the 填表说明 under the table gave the note the task's
  工作进展: the note became a task row, the return was refused with E401 for the note and an
  E512 calling it 非本单位任务.
- The reply form to a return whose 1.1 and 1.10 rows could not be told apart put whichever row
  came first into 1.1's row: a department that sorted its rows got 1.10's report back as 1.1's.
- A merge down to row 1048576 was walked row by row to the sheet's end: 200 of them took 9 s.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

from conftest import edit
from test_qa289_department_files import UNIT as EDU
from test_qa289_department_files import _as_numbers, _form, _master
from test_qa289_department_files import _check as _check_edu
from test_qa290_merged_cells import DONE, UNIT, WORK, _check, _coded, _row

from toolkit.filling import Filling
from toolkit.style import load_style


def test_a_merge_over_the_last_task_and_the_note_under_the_table_is_the_tasks_alone(issued_ws, make_return):
    def merge_down(wb):
        sheet = wb["进展填报"]  # 14.1 is the last task row, 22
        sheet["A24"] = "填表说明：本表由街道党政办汇总填报。"
        sheet["J22"] = WORK
        sheet.merge_cells("J22:J25")

    report = _check(issued_ws, edit(make_return(UNIT, Filling(answers={"1.2": DONE})), merge_down))
    assert report.outcome == "采纳", [(i.code, i.cell) for i in report.issues]
    assert _row(report, "14.1").work == WORK
    assert not [i for i in report.issues if i.code in ("E401", "E512", "W511")]


def test_the_reply_form_leaves_a_row_it_cannot_tell_blank_not_in_the_first_ids_row(ws):
    """1.1 and 1.10 both the unit's, sorted with 1.10 first, their texts gone: which row is
    which cannot be told; 1.10's 89 must not come back under 1.1."""
    from toolkit.feedback import build_feedback

    master = _master({EDU: ["1.1", "1.10"]})

    def sorted_numbers_without_texts(wb):
        _as_numbers(wb)
        sheet = wb["进展填报"]
        for c in range(1, 15):
            sheet.cell(5, c).value, sheet.cell(6, c).value = sheet.cell(6, c).value, sheet.cell(5, c).value
        for r in (5, 6):
            for c in range(2, 6):
                sheet.cell(r, c).value = None

    data = edit(_form(ws, master), sorted_numbers_without_texts)
    report = _check_edu(ws, master, data)
    assert report.outcome == "退回" and _coded(report, "E403")
    wb, _ = build_feedback(master, report, data, f"{EDU}.xlsx", project="测试方案", due=dt.date(2022, 7, 5),
                           style=load_style(ws.template("样式.toml")), limits=ws.limits)
    sheet = wb["进展填报"]
    assert {sheet.cell(r, 1).value: sheet.cell(r, 9).value for r in (5, 6)} == {"1.1": None, "1.10": None}


def _with_merges(data: bytes, refs: list[str]) -> bytes:
    """``data`` with its first sheet's merges replaced by ``refs``, written into the XML as a
    hand-made file would have them (openpyxl makes a cell object for each merged cell)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            part = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(r"<mergeCells[^>]*>.*?</mergeCells>", "", part.decode(), flags=re.S)
                at = re.search(r"<(?:conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins)", xml)
                cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
                part = f'{xml[:at.start()]}<mergeCells count="{len(refs)}">{cells}</mergeCells>{xml[at.start():]}'.encode()
            zout.writestr(item, part)
    return out.getvalue()


def test_merges_down_to_the_sheets_last_row_are_read_as_far_as_the_table_goes(issued_ws, make_return):
    data = _with_merges(make_return(UNIT, Filling(answers={"1.2": DONE})),
                        [f"P{r}:P1048576" for r in range(5, 205)] + ["J5:J1048576"])
    start = time.perf_counter()
    report = _check(issued_ws, data)
    assert time.perf_counter() - start < 3
    [issue] = _coded(report, "W511")
    assert issue.message.startswith("J5:J1048576 是合并单元格，其中的“工作进展”已作为任务 1.2、4.3、5.1、")


def test_a_number_read_as_another_units_task_is_not_to_be_deleted(ws):
    """1.1 is 卫健局's, 1.10 教育局's own; 1.10 kept as the number 1.1 with its texts edited
    (W405) cannot be told by them: E402's 请删除该行 would lose 1.10's report."""
    from test_qa289_department_files import OTHER

    master = _master({OTHER: ["1.1"], EDU: ["1.10", "1.11"]})

    def numbers_and_an_edited_text(wb):
        _as_numbers(wb)
        wb["进展填报"]["D5"] = "改过的工作任务"

    report = _check_edu(ws, master, edit(_form(ws, master), numbers_and_an_edited_text))
    assert report.outcome == "退回"
    [issue] = _coded(report, "E402")
    assert issue.message == ("任务 1.1 不是本单位的任务。任务编号被存成了数字，1.1、1.10 都显示为 1.1：请勿删除该行，"
                             "请把任务编号列设为文本格式，按下发的填报表重新填写本行的任务编号。")


def test_an_ods_merge_spanning_a_billion_rows_is_read_as_far_as_the_table_goes(issued_ws, make_return):
    """An .ods's number-rows-spanned has no 1048576 to stop at (`ods_merges` gives it as written)."""
    from toolkit.merged_rows import read_merges
    from toolkit.returns import EDITABLE, HEADER_OF, read_return, task_id_text

    raw = read_return(make_return(UNIT, Filling(answers={"1.2": DONE})), "万江街道.xlsx", issued_ws.limits)
    raw.merges.clear()
    raw.rows[0].values["work"] = WORK
    start = time.perf_counter()
    read_merges(raw, [((4, 9), (10**12 - 1, 9))], HEADER_OF, EDITABLE, task_id_text)
    assert time.perf_counter() - start < 1
    [merge] = raw.merges
    assert merge.ref == "J5:J1000000000000" and {rr.values["work"] for rr in merge.rows} == {WORK}
