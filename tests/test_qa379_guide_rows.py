"""QA379: the form's 填报说明 says what duban does with rows a unit adds.

Its 注意 line said 请勿增删行、列, while a text row a unit inserts under a task is read as that
task's text going on (W407) and a 合计 row is left out (W408, `extra_rows`): only a deleted task row
is refused (E404). It says so now, and asks for the cell's own line break, as W407 does. Nothing
reads the 填报说明 of a return, so a return on a form issued with the old words is taken as before.
"""

from __future__ import annotations

import io

from conftest import PERIOD, drop, issued_path, on_time, rewrite_zip
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.form_guide import GUIDE_SHEET
from toolkit.vocab import Outcome

UNIT = "石龙镇"
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
OLD = "请勿增删行、列，请勿改动任务编号和灰色的任务内容。文件名可以修改。"
NEW = ("请勿删除任务行、增删列，请勿改动任务编号和灰色的任务内容；一项任务写不下时，请在该格内换行（Alt+回车）"
       "接着写，不必插入行。文件名可以修改。")


def _xml(text: str) -> bytes:
    return text.encode("ascii", "xmlcharrefreplace")


def _notice(data: bytes) -> str:
    guide = load_workbook(io.BytesIO(data))[GUIDE_SHEET]
    return next(row[1] for row in guide.iter_rows(values_only=True) if row[0] == "注意")


def test_the_guide_asks_for_no_deleted_row_and_a_line_break_not_an_inserted_row(issued_ws):
    notice = _notice(issued_path(issued_ws, UNIT).read_bytes())
    assert notice.startswith(NEW) and "增删行" not in notice


def test_a_return_on_a_form_issued_with_the_old_words_is_taken(issued_ws, make_return):
    new = make_return(UNIT, Filling(answers={"1.2": DONE}))
    # the form's own bytes with the old words where the new are (its cells hold inline strings,
    # written as character references)
    old = rewrite_zip(new, lambda name, body: body.replace(_xml(NEW), _xml(OLD)))
    assert _notice(old).startswith(OLD)
    report = check_return(old, f"{UNIT}.xlsx", CheckContext(issued_ws.load_master(), issued_ws.limits, period=PERIOD))
    assert (report.unit, report.issues) == (UNIT, [])
    drop(issued_ws, f"{UNIT}.xlsx", old, on_time())
    result = collect(issued_ws, "2022-06")
    assert (result.accepted, result.returned, result.unreadable) == (1, 0, 0)
    assert result.items[0].outcome == Outcome.ACCEPTED
