"""大竹县's 2016年民生实事 (tests/corpus/masters) issued again for January 2017, through the CLI
(QA153; QA137 made the 通报 and 汇总表 say 2016年12月底前 in a 2017 month).

January's 填报表 still printed a 2016 task's 完成时限 as the plan wrote it, 12月底前: 县商务局,
reading its form, had until December 2017, while the 通报 of the same month called the task
逾期. A form of a month of a later year than the deadline's prints it with its year, as the
通报 says it (`Task.printed_text`); the form's _meta hash is of what it printed, so W405 still
accepts it untouched and still catches a department's edit, and a form issued before (12月底前,
its hash the plan's) is still the office's own.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from conftest import collect_merge_memo, set_clock
from openpyxl import load_workbook
from test_qa137_year_turn_month import DEC, JAN, december

from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.master.model import Task
from toolkit.returns import FIRST_ROW, HEADER_ROW, SHEET
from toolkit.workspace import Workspace

pytestmark = pytest.mark.slow


def deadlines(book: Path | bytes) -> dict[str, str]:
    """Task id → the 完成时限 cell of a 填报表 (or a reply workbook in its layout)."""
    ws = load_workbook(io.BytesIO(book) if isinstance(book, bytes) else book)[SHEET]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, c).value == "完成时限")
    return {str(ws.cell(r, 1).value): ws.cell(r, col).value for r in range(FIRST_ROW, ws.max_row + 1)
            if ws.cell(r, 1).value}


def form(root: Path, label: str, unit: str) -> Path:
    (path,) = (root / "下发" / label).glob(f"*_{unit}_进展填报表.xlsx")
    return path


@pytest.fixture(scope="module")
def dazhu(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("dazhu153") / "ws"
    try:
        run, send = december(mp, root)
        set_clock(mp, dt.date(2017, 1, 20))
        run("issue", "--period", "2017-01", "--prefill")
        # 县住建局's form as a duban before QA153 printed it (12月底前, its _meta hash the plan's):
        # issued again for it alone, the month's other forms as they are
        with pytest.MonkeyPatch.context() as old:
            old.setattr(Task, "printed_text", lambda self, year: self.master_text, raising=False)
            run("issue", "--period", "2017-01", "--dept", "县住建局", "--prefill")
        send(JAN, "县商务局", "2017-02-03 10:00")  # untouched
        send(JAN, "县住建局", "2017-02-03 10:00")  # the form issued before, untouched
        # 县水务局 gives itself a year: task 1 back to the plan's 12月底前 (a December still to
        # come, on a form that printed 2016年), task 7 due 2017年12月底前
        send(JAN, "县水务局", "2017-02-03 11:00", edit=lambda ws: (
            setattr(ws.cell(FIRST_ROW, 6), "value", "12月底前"),
            setattr(ws.cell(FIRST_ROW + 1, 6), "value", "2017年12月底前")))
        # 县民政局 leaves 完成状态 blank: refused, a reply workbook goes back
        send(JAN, "县民政局", "2017-02-03 12:00", Filling(default=Answer(status="", progress=80, work="按计划推进。")))
        collect_merge_memo(mp, run, dt.date(2017, 2, 7))
        yield root
    finally:
        mp.undo()
        shutil.rmtree(root.parent, ignore_errors=True)


def issues(root: Path, unit: str) -> list:
    ws = Workspace(root)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        (rec,) = [r for r in ledger.receipts() if r.unit == unit and str(r.period) == "2017-01"]
        return ledger.issues_of(rec.id)


def codes(root: Path, unit: str) -> set[str]:
    return {i.code for i in issues(root, unit)}


def test_januarys_form_says_the_2016_deadline_with_its_year(dazhu):
    assert deadlines(form(dazhu, JAN, "县商务局")) == {"10": "2016年12月底前"}
    assert deadlines(form(dazhu, JAN, "县水务局")) == {"1": "2016年12月底前", "7": "2016年12月底前"}
    # 县住建局's form is issued as a duban before QA153 printed it (the fixture): as published
    # (9月投入使用 has a date since QA367, 30 September 2016; it was the unread example here)
    assert deadlines(form(dazhu, JAN, "县住建局"))["2"] == "9月投入使用"
    # December's, in the plan's own year: as published
    assert deadlines(form(dazhu, DEC, "县商务局")) == {"10": "12月底前"}


def test_the_form_says_what_the_memo_and_the_summary_say(dazhu):
    (md,) = (dazhu / "通报" / JAN).glob("*.md")
    assert "牵头单位：县商务局；完成时限：2016年12月底前；" in md.read_text(encoding="utf-8")
    (book,) = (dazhu / "汇总" / JAN).glob("*_进展汇总表.xlsx")
    rows = list(load_workbook(book, read_only=True)["任务汇总"].iter_rows(min_row=3, values_only=True))
    said = {row[0]: row[rows[0].index("完成时限")] for row in rows[1:] if row[0]}
    printed = {**deadlines(form(dazhu, JAN, "县商务局")), **deadlines(form(dazhu, JAN, "县水务局")),
               **deadlines(form(dazhu, JAN, "县民政局"))}
    assert {t: said[t] for t in printed} == printed  # one text a task


def test_an_untouched_form_is_accepted_and_an_edit_is_caught(dazhu):
    assert "W405" not in codes(dazhu, "县商务局")
    edited = [(i.task, i.cell) for i in issues(dazhu, "县水务局") if i.code == "W405"]
    assert edited == [("1", f"F{FIRST_ROW}"), ("7", f"F{FIRST_ROW + 1}")]


def test_a_form_issued_before_is_still_the_offices_own(dazhu):
    assert deadlines(form(dazhu, JAN, "县住建局"))["9"] == "12月底前"
    assert "W405" not in codes(dazhu, "县住建局")


def test_the_reply_workbook_says_it_as_the_form(dazhu):
    assert "E501" in codes(dazhu, "县民政局")
    (reply,) = (dazhu / "反馈" / JAN).rglob("*县民政局*.xlsx")
    assert deadlines(reply) == {"5": "5月底前动工", "5-2": "2016年12月底前"}
