"""QA round 179: what a department sees of duban, read as its clerk reads it.

Dongguan's towns fill June's form with the usual mistakes; each reply (校验反馈.xlsx and its
mail) and `duban check` were read side by side. Three said something untrue or hid the problem:

* 中堂镇 deleted the row of task 5.2: the reply's workbook has the row back (it is rebuilt from
  the task list, A8 marked red), and still said "请补回该行并填报", a row already there;
* 大朗镇 sent its form saved by WPS as .et: the reply's 校验结果 and mail told it to fix "标红的
  单元格" of a form with nothing red, blank (nothing of an unreadable file can be put back);
* 南城街道 typed 2022.12 for its 预计完成时间 into the date cell, which shows it as 1905年7月14日:
  `check` and `collect` took the return with 1905-07-14 as the planned date, while the same
  2022.12 in a cell without the date format was refused (E505).
"""

from __future__ import annotations

import email
import email.policy
import hashlib

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import drop, issued_path, on_time
from toolkit.actions.check import check_paths
from toolkit.actions.collect import collect
from toolkit.feedback import RESULT_SHEET
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.resources import resource
from toolkit.workspace import SUPERSEDED_TEMPLATES


def _reply(ws, unit: str) -> tuple[list[list], str]:
    """The 校验结果 sheet (rows as values) and the mail's text of the reply to ``unit``."""
    workbook = next((ws.root / "反馈").rglob(f"{unit}_校验反馈.xlsx"))
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name(RESULT_SHEET).to_python()
    eml = workbook.with_suffix(".eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    return rows, msg.get_body(("plain",)).get_content()


def _collected(ws) -> list[tuple[str, str, str]]:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        latest = max(ledger.receipts(), key=lambda r: r.id)
        return sorted((i.code, i.cell, i.task) for i in ledger.issues_of(latest.id))


def test_a_deleted_row_is_said_to_be_back_in_the_reply(issued_ws):
    data = fill_return(issued_path(issued_ws, "中堂镇"), Filling(delete_tasks=("5.2",)))
    drop(issued_ws, "中堂镇.xlsx", data, on_time())
    collect(issued_ws)
    rows, body = _reply(issued_ws, "中堂镇")
    line = next(r for r in rows if r[2] == "E404")
    assert line[3:5] == ["A8", "5.2"], line
    assert line[5] == ("报送的文件缺少本单位任务 5.2（拓展、规范村级事项），本表已在第 8 行补回该任务（标红的任务编号）。"
                       "请填写该行后重新报送，今后请勿删除填报表的行。"), line[5]
    assert "请补回该行" not in body
    assert "A8：报送的文件缺少本单位任务 5.2（拓展、规范村级事项），本表已在第 8 行补回该任务" in body, body


def test_an_unreadable_file_is_not_told_to_fix_red_cells(issued_ws):
    # WPS's own .et: refused (E103), so the reply's form is blank and nothing in it is red
    drop(issued_ws, "大朗镇.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 600,
         on_time())
    collect(issued_ws)
    rows, body = _reply(issued_ws, "大朗镇")
    verdict = rows[1][0]
    assert "标红" not in verdict and "文件无法读取，未采纳" in verdict and "空白的填报表" in verdict, verdict
    assert rows[3][2] == "E103"
    assert "标红" not in body and "文件无法读取，请按下列说明处理后" in body, body


def reply_template_before_qa179(text: str) -> str:
    """The reply template as shipped before its words for an unreadable file (QA140's test
    takes its own earlier text from this one)."""
    from test_qa312_reply_names_documents import reply_template_before_qa312

    return reply_template_before_qa312(text).replace("{% if unreadable %}文件无法读取，请按下列说明处理后，于{{ due_text }}前重新报送；"
                        "附件是本期空白的填报表，也可在其中重新填写后报送。{% else %}", "").replace(
        "以附件文件重新报送。{% endif %}", "以附件文件重新报送。")


def test_a_workspaces_unedited_reply_template_of_before_gives_way(issued_ws):
    shipped = resource("templates", "反馈邮件.txt")
    old = reply_template_before_qa179(shipped.read_text(encoding="utf-8"))
    assert hashlib.sha256(old.encode()).hexdigest() in SUPERSEDED_TEMPLATES["反馈邮件.txt"]
    (issued_ws.templates_dir / "反馈邮件.txt").write_text(old, encoding="utf-8")
    assert issued_ws.template("反馈邮件.txt") == shipped


@pytest.mark.parametrize("typed", [2022.12, 2022.9])
def test_a_month_typed_as_a_number_into_the_date_cell_is_refused_by_check_and_collect(issued_ws, typed):
    data = fill_return(issued_path(issued_ws, "南城街道"),
                       Filling(answers={"5.2": Answer(eta=typed), "5.3": Answer(eta="2022.12"),
                                        "4.3": Answer(eta="年底")}))
    path = issued_ws.root / "南城街道.xlsx"
    path.write_bytes(data)
    report = check_paths([path], issued_ws)[0]
    e505 = [i for i in report.issues if i.code == "E505"]
    assert [(i.cell, i.task) for i in e505] == [("M8", "5.2")], report.issues
    assert f"预计完成时间“{typed:g}（表中显示为 1905年" in e505[0].message, e505[0].message
    assert {r.task: r.eta for r in report.rows}["5.2"] is None
    drop(issued_ws, "南城街道.xlsx", data, on_time())
    collect(issued_ws)
    assert _collected(issued_ws) == sorted((i.code, i.cell, i.task) for i in report.issues)


def test_a_real_date_in_the_date_cell_is_still_taken(issued_ws):
    import datetime as dt

    data = fill_return(issued_path(issued_ws, "南城街道"),
                       Filling(answers={"5.2": Answer(eta=dt.date(2022, 12, 31))}))
    path = issued_ws.root / "南城街道.xlsx"
    path.write_bytes(data)
    report = check_paths([path], issued_ws)[0]
    assert not [i for i in report.issues if i.code == "E505"]
    assert {r.task: r.eta for r in report.rows}["5.2"] == dt.date(2022, 12, 31)
