"""QA round 139: the replies duban writes, read from a department's side.

A month of the demo's Dongguan table: 市林业局 sends its form back on an old copy whose
“存在问题” column it deleted. What the 林业局's clerk got back was wrong and unclear:

* the reply counted 7 errors for one deleted column: each of its six task rows, all present,
  was also "缺少本单位任务 2.1…请补回该行并填报" (E404), as if the rows were gone;
* beside the refusal (E301 缺少必填列“存在问题”) a warning said of the same column
  "删除了第K列“存在问题”，其后各列左移一列：已按列名读取" (W302): said twice, and "read by
  column name" contradicted "not accepted";
* the E301 line named no cell and marked none, and told the clerk to copy the column from the
  issued form, while the workbook attached already had it back in place, empty.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import drop, on_time
from toolkit.actions.collect import collect
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.returns import SHEET

FORESTRY = "市林业局"
OVERDUE = Answer(status="滞后", progress=70, work="清单初稿已形成。", problems="需征求各部门意见。",
                 next_plan="7月底前印发。")
CONTACT = {"填报人": "黄伟", "联系电话": "0769-22110000", "审核人": "李强", "填报日期": dt.date(2022, 7, 4)}


def _without_columns(data: bytes, *headers: str, insert_before: str = "") -> bytes:
    """The form as a clerk re-saved it: columns deleted, maybe a 备注 column inserted."""
    wb = load_workbook(io.BytesIO(data))
    sheet = wb[SHEET]
    for header in headers:
        sheet.delete_cols([c.value for c in sheet[4]].index(header) + 1)
    if insert_before:
        at = [c.value for c in sheet[4]].index(insert_before) + 1
        sheet.insert_cols(at)
        sheet.cell(4, at).value = "备注"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _forestry_return(ws, delete_tasks: tuple[str, ...] = ()) -> bytes:
    form = ws.root / "下发" / "2022年6月" / f"2022年6月_{FORESTRY}_进展填报表.xlsx"
    return fill_return(form, Filling(answers={"2.3": OVERDUE, "3.2": OVERDUE}, contact=CONTACT,
                                     delete_tasks=delete_tasks))


def _issues(ws) -> list[tuple[str, str]]:
    """The codes (and tasks) of the latest return collected."""
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        latest = max(ledger.receipts(), key=lambda r: r.id)
        return [(i.code, i.task) for i in ledger.issues_of(latest.id)]


def _reply(ws) -> tuple[str, Path]:
    eml = next((ws.root / "反馈").rglob(f"{FORESTRY}_校验反馈.eml"))
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return msg.get_body(("plain",)).get_content(), eml.with_suffix(".xlsx")


def test_a_deleted_column_is_one_error_marked_where_the_reply_put_it_back(issued_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 4))
    drop(issued_ws, "林业局填报表.xlsx", _without_columns(_forestry_return(issued_ws), "存在问题"), on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert _issues(issued_ws) == [("E301", "")]
    body, workbook = _reply(issued_ws)
    assert "发现 1 处错误，暂未采纳" in body, body
    problems = body.split("主要问题：\n", 1)[1].split("\n\n", 1)[0]
    assert problems == ("1. K4：报送的文件删除了“存在问题”列，本表已在 K 列恢复该列（标红的列名）。"
                        "请在该列补填后重新报送，今后请勿删除填报表的列。"), problems
    for word in ("已按列名读取", "请补回该行", "复制该列"):
        assert word not in body, body
    wb = load_workbook(workbook)
    header = wb[SHEET]["K4"]
    assert header.value == "存在问题" and header.fill.fgColor.rgb.endswith("FFC7CE")
    assert "【错误 E301】报送的文件删除了“存在问题”列" in header.comment.text
    # the rows came back with what the clerk typed, each in its own column
    assert wb[SHEET]["L6"].value == "7月底前印发。" and wb[SHEET]["K6"].value is None
    result = [r for r in wb["校验结果"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert [(r[2], r[3]) for r in result] == [("E301", "K4")]

    # the clerk fills the column in the attachment and sends it back: accepted
    collecting_on(dt.date(2022, 7, 6))
    drop(issued_ws, "林业局填报表(1).xlsx", fill_return(workbook, Filling(
        answers={"2.3": OVERDUE, "3.2": OVERDUE}, contact=CONTACT, default=None)))
    summary = collect(issued_ws, received=dt.date(2022, 7, 6))
    assert _issues(issued_ws) == [], summary


def test_a_row_really_missing_beside_a_deleted_column_is_still_named(issued_ws):
    data = _without_columns(_forestry_return(issued_ws, delete_tasks=("4.1",)), "存在问题")
    drop(issued_ws, "林业局填报表.xlsx", data, on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert _issues(issued_ws) == [("E301", ""), ("E404", "4.1")]


def test_a_column_inserted_beside_a_deleted_one_is_still_told(issued_ws):
    data = _without_columns(_forestry_return(issued_ws), "存在问题", insert_before="任务编号")
    drop(issued_ws, "林业局填报表.xlsx", data, on_time())
    collect(issued_ws, received=dt.date(2022, 7, 4))
    assert sorted(_issues(issued_ws)) == [("E301", ""), ("W302", "")]
    body, _ = _reply(issued_ws)
    assert "第A列前插入了“备注”列" in body and "删除了第K列“存在问题”" in body, body
