"""QA372: rows of a return's table that are no task's.

A unit unprotects the sheet and inserts a row under a task to go on with its 工作进展, adds a 合计
row, or types a remark below the table. Each was E401 “任务编号“（空白）”不在任务清单中” and the
whole return refused, while the reply, rebuilt from the task list, dropped what the unit wrote
there, marked nothing red and named no cell, yet its mail said to fix the red cells. Now a row of
text right under a task is that task's text going on (W407, joined and quoted), a 合计 row or a
remark apart is left out and said (W408), and a row of figures without a task id is E406, kept
in the reply, red (`toolkit.extra_rows`).
"""

from __future__ import annotations

import email
import email.policy

import pytest
from conftest import PERIOD, drop, edit, on_time
from openpyxl import load_workbook
from test_qa74_columns import unprotected

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling

UNIT = "石龙镇"  # its tasks: 1.2 on row 5, then 4.3, 5.1, … (牵头 first)
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
FIRST = Answer(status="已完成", progress=100, work="新址主体工程已封顶。", evidence="东政数〔2022〕8号")


def check(ws, data: bytes, name: str = "石龙镇.xlsx"):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=PERIOD))


def inserted(**cells):
    """A row inserted under the first task (row 6), the cells typed in it."""
    def change(sheet):
        sheet.insert_rows(6)
        for ref, value in cells.items():
            sheet[ref] = value
    return unprotected(change)


def returned(make_return, change, **answers) -> bytes:
    return edit(make_return(UNIT, Filling(answers={"1.2": FIRST, **answers})), change)


def codes(report):
    return [(i.code, i.cell, i.task) for i in report.issues]


def test_a_row_of_text_under_a_task_goes_on_with_that_task(issued_ws, make_return):
    report = check(issued_ws, returned(make_return, inserted(J6="配套道路已完成招标")))
    assert report.outcome == "采纳" and codes(report) == [("W407", "J6", "1.2")]
    (issue,) = report.issues
    assert "第 6 行没有任务编号" in issue.message and "工作进展“配套道路已完成招标”" in issue.message
    assert "任务 1.2" in issue.message
    row = next(r for r in report.rows if r.task == "1.2")
    assert row.work == "新址主体工程已封顶。\n配套道路已完成招标"
    assert {r.task for r in report.rows} == {r.task for r in check(issued_ws, make_return(
        UNIT, Filling(answers={"1.2": FIRST}))).rows}


def test_two_lines_under_a_task_each_join_its_own_column(issued_ws, make_return):
    def change(sheet):
        sheet.insert_rows(6, 2)
        sheet["J6"], sheet["N6"], sheet["L7"] = "配套道路已完成招标", "大竹府发〔2026〕3号", "下月开工"

    report = check(issued_ws, returned(make_return, unprotected(change)))
    assert report.outcome == "采纳" and codes(report) == [("W407", "J6", "1.2"), ("W407", "L7", "1.2")]
    row = next(r for r in report.rows if r.task == "1.2")
    assert row.evidence == "东政数〔2022〕8号\n大竹府发〔2026〕3号"
    assert row.next_plan == "下月开工"


def test_a_total_row_is_left_out_and_said(issued_ws, make_return):
    def change(sheet):
        last = sheet.max_row
        sheet.cell(last + 1, 1).value = "合计"
        sheet.cell(last + 1, 9).value = 300

    report = check(issued_ws, returned(make_return, unprotected(change)))
    assert report.outcome == "采纳"
    (issue,) = report.issues
    assert issue.code == "W408" and "是合计行，不是任务行" in issue.message and "300" in issue.message


def test_text_below_the_table_apart_is_left_out_and_said(issued_ws, make_return):
    holder = {}

    def change(sheet):
        holder["row"] = sheet.max_row + 3
        sheet.cell(holder["row"], 10).value = "以上情况属实"

    report = check(issued_ws, returned(make_return, unprotected(change)))
    assert report.outcome == "采纳"
    (issue,) = report.issues
    assert issue.code == "W408" and issue.cell == f"J{holder['row']}"
    assert f"第 {holder['row']} 行没有任务编号，与上面的任务行之间隔有空行，未读取（J{holder['row']}“以上情况属实”）" \
        in issue.message
    assert all("以上情况属实" not in r.work for r in report.rows)


def test_a_note_in_column_a_is_still_a_note(issued_ws, make_return):
    def change(sheet):
        sheet.cell(sheet.max_row + 1, 1).value = "备注：新址位于城东。"

    assert check(issued_ws, returned(make_return, unprotected(change))).issues == []


def test_a_row_of_figures_without_an_id_is_refused_saying_where(issued_ws, make_return):
    report = check(issued_ws, returned(make_return, inserted(H6="序时推进", J6="配套道路已完成招标")))
    assert report.outcome == "退回" and codes(report) == [("E406", "H6", "")]
    message = report.issues[0].message
    assert "第 6 行没有任务编号" in message and "“完成状态”“工作进展”" in message and "任务 1.2 的同一格" in message
    assert all("配套道路" not in r.work for r in report.rows)


def _reply(ws):
    (eml,) = (ws.root / "反馈").rglob(f"{UNIT}_校验反馈.eml")
    body = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default).get_body(("plain",)).get_content()
    return load_workbook(eml.with_suffix(".xlsx")), body


def test_the_reply_keeps_a_refused_row_red_where_its_message_says(issued_ws, make_return):
    drop(issued_ws, "石龙镇.xlsx", returned(make_return, inserted(H6="序时推进", J6="配套道路已完成招标")), on_time())
    collect(issued_ws)
    book, body = _reply(issued_ws)
    form = book["进展填报"]
    last = max(r for r in range(5, form.max_row + 1) if form.cell(r, 1).value)  # the form's last task
    placed = last + 2
    assert form.cell(placed, 8).value == "序时推进" and form.cell(placed, 10).value == "配套道路已完成招标"
    red = {c.coordinate for row in form.iter_rows(min_row=5) for c in row
           if c.fill.fill_type == "solid" and c.fill.fgColor.rgb.endswith("FFC7CE")}
    assert red == {f"H{placed}", f"J{placed}"}
    assert form[f"H{placed}"].comment is not None and not form[f"J{placed}"].protection.locked
    [result] = [r for r in book["校验结果"].iter_rows(min_row=4, values_only=True) if r[2] == "E406"]
    assert result[3] == f"H{placed}" and f"报送的文件第 6 行（本表第 {placed} 行）" in result[5]
    assert f"H{placed}：报送的文件第 6 行" in body and "标红的单元格" in body


def test_the_reply_keeps_a_row_whose_id_is_not_in_the_list(issued_ws, make_return):
    # a typed-over id (E401): its row was dropped from the reply, its cell blank in 校验结果
    drop(issued_ws, "石龙镇.xlsx", returned(make_return, inserted(A6="99.9", H6="序时推进", J6="自行增加的工作")),
         on_time())
    collect(issued_ws)
    book, body = _reply(issued_ws)
    form = book["进展填报"]
    [result] = [r for r in book["校验结果"].iter_rows(min_row=4, values_only=True) if r[2] == "E401"]
    ref = result[3]
    assert ref.startswith("A") and form[ref].value == "99.9"
    assert form[ref.replace("A", "J")].value == "自行增加的工作" and form[ref].fill.fgColor.rgb.endswith("FFC7CE")
    assert result[5].endswith(f"报送的文件第 6 行已放在本表第 {ref[1:]} 行（标红），不需要的请清空这一行。")
    assert f"{ref}：" in body


def test_a_refused_returns_reply_holds_the_joined_text_marked(issued_ws, make_return):
    # refused for another task (滞后 without 存在问题): the task's second line is in its cell, yellow
    drop(issued_ws, "石龙镇.xlsx", returned(make_return, inserted(J6="配套道路已完成招标"),
                                            **{"4.3": Answer(status="滞后", problems="")}), on_time())
    collect(issued_ws)
    book, _ = _reply(issued_ws)
    form = book["进展填报"]
    assert form["A5"].value == "1.2" and form["J5"].value == "新址主体工程已封顶。\n配套道路已完成招标"
    assert form["J5"].fill.fgColor.rgb.endswith("FFEB9C") and "W407" in form["J5"].comment.text
    [result] = [r for r in book["校验结果"].iter_rows(min_row=4, values_only=True) if r[2] == "W407"]
    assert result[3] == "J5" and result[5].startswith("报送的文件第 6 行没有任务编号")


def test_a_row_of_slashes_under_a_task_adds_nothing_and_is_said(issued_ws, make_return):
    # "/" in a row of its own is no figure to refuse and no text to join
    report = check(issued_ws, returned(make_return, inserted(H6="/", I6="/", J6="无")))
    assert report.outcome == "采纳" and codes(report) == [("W408", "H6", "")]
    assert "只写了“/”“无”一类内容" in report.issues[0].message
    assert next(r for r in report.rows if r.task == "1.2").work == "新址主体工程已封顶。"


@pytest.mark.parametrize(("cells", "where"), [
    ({"J6": "填报人：张三  联系电话：13800138000"}, "J6"),
    ({"J6": "以上情况属实"}, "J6"),
    ({"N6": "审核人：李四"}, "N6"),
])
def test_a_sign_off_under_the_last_task_is_no_part_of_it(issued_ws, make_return, cells, where):
    # QA375: typed in a text column right under a task, a 填报人 line, 以上情况属实 or 审核人 was
    # joined into its 工作进展 or 佐证材料, and so into 任务汇总 and the 通报
    report = check(issued_ws, returned(make_return, inserted(**cells)))
    assert report.outcome == "采纳" and [(i.code, i.cell) for i in report.issues] == [("W408", where)]
    assert "像是落款或说明，不是任务内容" in report.issues[0].message
    row = next(r for r in report.rows if r.task == "1.2")
    assert row.work == "新址主体工程已封顶。" and "李四" not in (row.evidence or "")
