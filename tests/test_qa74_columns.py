"""QA round 74: one column a department inserts, deletes or moves is one W302 saying so, not
one W302 per column it shifted (fourteen for one 备注 column, in the reply mail, the feedback
workbook and the 汇总表 alike)."""

from __future__ import annotations

from conftest import PERIOD, edit

from toolkit.checks import CheckContext, check_return
from toolkit.column_changes import column_changes
from toolkit.filling import Answer, Filling
from toolkit.returns import COLUMNS

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
TEMPLATE = [(f, h) for f, h, _ in COLUMNS]
HEADERS = [h for _, h in TEMPLATE]


def check(ws, data: bytes):
    return check_return(data, "石龙镇.xlsx", CheckContext(ws.load_master(), ws.limits, period=PERIOD))


def unprotected(change):
    def edit_sheet(wb):
        ws = wb["进展填报"]
        ws.protection.sheet = False
        change(ws)
    return edit_sheet


def test_one_inserted_column_is_one_warning(issued_ws, make_return):
    def insert_remarks(ws):
        ws.insert_cols(6)  # before 完成时限
        ws["F4"] = "备注"

    reference = check(issued_ws, make_return("石龙镇", Filling(answers={"1.2": DONE})))
    report = check(issued_ws, edit(make_return("石龙镇", Filling(answers={"1.2": DONE})), unprotected(insert_remarks)))
    assert [(i.code, i.cell, i.message) for i in report.issues] == [
        ("W302", "F4", "第F列前插入了“备注”列，其后各列右移一列：已按列名读取。")]
    assert report.outcome == reference.outcome == "采纳"
    assert [r.to_dict() | {"progress_cell": ""} for r in report.rows] == \
        [r.to_dict() | {"progress_cell": ""} for r in reference.rows]


def test_a_deleted_optional_column_is_one_warning(issued_ws, make_return):
    report = check(issued_ws, edit(make_return("石龙镇", Filling(answers={"1.2": DONE})),
                                   unprotected(lambda ws: ws.delete_cols(7))))  # 责任类型
    assert [(i.code, i.message) for i in report.issues] == [
        ("W302", "删除了第G列“责任类型”，其后各列左移一列：已按列名读取。")]
    assert report.outcome == "采纳"


def _found(header: list) -> dict[str, int]:
    return {f: header.index(h) for f, h in TEMPLATE if h in header}


def test_the_form_as_issued_is_no_change():
    assert column_changes(TEMPLATE, _found(HEADERS), HEADERS) is None


def test_shuffled_columns_are_named_in_one_issue():
    swapped = [*HEADERS[:7], HEADERS[8], HEADERS[7], *HEADERS[9:]]  # 完成进度 before 完成状态
    assert column_changes(TEMPLATE, _found(swapped), swapped) == (8, "“完成状态”列移到了I列：已按列名读取")
    moved = [*HEADERS[:3], *HEADERS[4:10], HEADERS[3], *HEADERS[10:]]  # 工作任务 after 工作进展
    assert column_changes(TEMPLATE, _found(moved), moved) == (9, "“工作任务”列移到了J列：已按列名读取")


def test_several_changes_are_each_named_once():
    header = ["序号", *HEADERS[:9], None, *HEADERS[9:]]
    found = _found(header)
    assert column_changes(TEMPLATE, found, header) == (
        0, "第A列前插入了“序号”列，第J列前插入了一列，其后各列随之右移：已按列名读取")
    header = [*HEADERS[:5], "备注", "说明", *HEADERS[5:6], *HEADERS[7:]]
    assert column_changes(TEMPLATE, _found(header), header) == (
        5, "第F列前插入了“备注”“说明”两列，删除了第G列“责任类型”：已按列名读取")
