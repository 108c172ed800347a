"""QA369: 任务清单's 完成时限 and 截止日期 giving two days.

大竹 2016 reused for 2026: the office made 完成时限 12月底前 read 2026年12月底前 and left 截止日期 as
the import wrote it (2016-12-31). duban judged by the stale day and said nothing: merge counted 8
超期, the 通报 printed "完成时限：2026年12月底前；…已超过完成时限". The other way round (截止日期
2026-10-31 set, the words still 12月底前) printed "完成时限：12月底前 … 已超过完成时限" in October.
Now: which column was changed decides (the import's own record, else the day the import would
have written), the office is told at issue, merge and memo, and the public texts say the day
judged by beside words that read otherwise. A 2016 plan's year-less words read in 2016 in 2026
are said too; and the 通报 no longer asks its readers (the units) to fill in a 任务清单.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import drop, issued_path, played_month, set_clock, sheet_table

from toolkit.filling import Answer, Filling, fill_return
from toolkit.master import import_master
from toolkit.master.date_columns import RECORD_SHEET, column_notes, judge
from toolkit.master.model import BY_SET, BY_WORDS, LATER_SET, LATER_WORDS, plain_task, task_of_plain
from toolkit.master.workbook import read_master_workbook, write_master_workbook
from toolkit.period import Period

D = dt.date
NOVEMBER = Period(2026, 11)
PLAN = [["2016年民生实事分工表"],
        ["序号", "工作任务", "具体内容", "牵头单位", "完成时限"],
        [1, "东柳河治理", "启动建设东柳河城区段综合治理工程。", "县水务局", "12月底前"],
        [2, "图书馆新馆", "启动县图书馆新馆建设。", "县文体广新局", "12月底前"],
        [3, "人行天桥", "新建2座人行天桥。", "县住建局", "2026年6月底前"]]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    master = import_master(sheet_table(tmp_path_factory.mktemp("plan") / "分工表.xlsx", PLAN))
    assert [t.deadline for t in master.tasks] == [D(2016, 12, 31), D(2016, 12, 31), D(2026, 6, 30)]
    return write_master_workbook(master, tmp_path_factory.mktemp("ws") / "任务分工表.xlsx")


def _edited(written: Path, tmp_path: Path, edits: dict[str, tuple[str | None, dt.date | None]],
            keep_record: bool = True):
    """The workbook with task id → (完成时限, 截止日期) typed over (None: left), read back."""
    wb = openpyxl.load_workbook(written)
    ws = wb["任务清单"]
    for row in ws.iter_rows(min_row=2):
        if str(row[0].value) in edits:
            words, day = edits[str(row[0].value)]
            if words is not None:
                row[5].value = words
            if day is not None:
                row[6].value = dt.datetime.combine(day, dt.time())
    if not keep_record:  # a workbook written before QA369
        del wb[RECORD_SHEET]
    path = tmp_path / "任务分工表.xlsx"
    wb.save(path)
    master = read_master_workbook(path)
    return {t.id: t for t in master.tasks}


def test_judge_goes_by_the_column_changed():
    words, old, new = D(2026, 12, 31), D(2016, 12, 31), D(2026, 10, 31)
    # recorded: the 截止日期 still the import's under edited words is stale; one changed is meant
    assert judge("2026年12月底前", words, old, ("12月底前", old), 2016) == (words, BY_WORDS)
    assert judge("12月底前", D(2016, 12, 31), new, ("12月底前", old), 2016) == (new, BY_SET)
    # not recorded: the import's day of the words without their year is the import's
    assert judge("2026年12月底前", words, old, None, 2016) == (words, BY_WORDS)
    # else the later of the two, a wrong 超期 being the worse error
    assert judge("10月底前", D(2016, 10, 31), old, None, 2016) == (old, LATER_SET)
    assert judge("2026年12月底前", words, D(2026, 9, 30), None, 2016) == (words, LATER_WORDS)


def test_words_edited_date_left_is_judged_by_the_words(written, tmp_path):
    tasks = _edited(written, tmp_path, {"1": ("2026年12月底前", None), "2": ("2026年12月底前", None)})
    one = tasks["1"]
    assert one.deadline == D(2026, 12, 31) and not one.overdue_at(NOVEMBER.end)
    assert (one.dated_by, one.other_day) == (BY_WORDS, "2016-12-31")
    assert one.deadline_in(2026) == "2026年12月底前"
    notes = column_notes(tasks.values(), NOVEMBER)
    assert len(notes) == 1, notes
    assert notes[0].startswith("请核实：任务分工表.xlsx“任务清单”中任务 1、2 的完成时限已改为“2026年12月底前”"
                               "（2026年12月31日），“截止日期”列却仍是导入时按原来的完成时限填写的 2016年12月31日；"
                               "现按完成时限 2026年12月31日 判断是否超期。"), notes
    assert "“截止日期”改为 2026-12-31（或清空）" in notes[0]


def test_same_without_the_record_of_a_workbook_written_before(written, tmp_path):
    tasks = _edited(written, tmp_path, {"1": ("2026年12月底前", None)}, keep_record=False)
    assert tasks["1"].deadline == D(2026, 12, 31) and tasks["1"].dated_by == BY_WORDS


def test_date_set_is_judged_by_and_said_beside_the_words(written, tmp_path):
    tasks = _edited(written, tmp_path, {"1": (None, D(2026, 10, 31))})
    one = tasks["1"]
    assert one.deadline == D(2026, 10, 31) and one.overdue_at(NOVEMBER.end)
    assert (one.dated_by, one.other_day) == (BY_SET, "2016-12-31")
    # the 通报, the 汇总表, the reminder: never "12月底前 … 已超过完成时限" without the day
    assert one.deadline_in(2026) == "12月底前（按2026年10月31日判断）"
    assert one.printed_text(2026)[-1] == "12月底前"  # the form's locked text: as it was
    # the ledger keeps the month's tasks as JSON (`issued_texts`): the choice goes with them
    assert task_of_plain(json.loads(json.dumps(plain_task(one)))) == one
    assert "dated_by" not in plain_task(tasks["3"])  # an ordinary task's record as before
    notes = column_notes(tasks.values(), NOVEMBER)
    assert notes[0] == ("提醒：任务分工表.xlsx“任务清单”中任务 1 的完成时限“12月底前”读作 2016年12月31日，“截止日期”列"
                        "填写的是 2026年10月31日，按“截止日期” 2026年10月31日 判断是否超期，通报和汇总表写作"
                        "“12月底前（按2026年10月31日判断）”。如应按完成时限判断，请清空或改正“截止日期”。")


def test_unknown_provenance_takes_the_later_and_asks(written, tmp_path):
    tasks = _edited(written, tmp_path, {"1": ("10月底前", None)}, keep_record=False)
    one = tasks["1"]
    assert one.deadline == D(2016, 12, 31) and one.dated_by == LATER_SET
    assert one.deadline_in(2016) == "10月底前（按2016年12月31日判断）"
    (note, *_) = column_notes(tasks.values(), Period(2016, 11))
    assert note.startswith("请核实：") and "看不出哪一个是后来改的；为免误判超期，暂按较晚的 2016年12月31日 判断" in note


def test_agreeing_columns_say_nothing(written, tmp_path):
    tasks = _edited(written, tmp_path, {"1": ("2026年12月底前", D(2026, 12, 31))})
    assert tasks["1"].dated_by == "" and tasks["1"].deadline == D(2026, 12, 31)
    assert column_notes([tasks["1"], tasks["3"]], NOVEMBER) == []


def test_a_plan_reused_years_later_is_said(written, tmp_path):
    tasks = _edited(written, tmp_path, {})
    assert tasks["1"].deadline == D(2016, 12, 31)  # the plan's year, as ever: judged, and said
    assert tasks["1"].deadline_in(2026) == "2016年12月底前"
    (note,) = column_notes(tasks.values(), NOVEMBER)
    assert note.startswith("提醒：任务 1、2 的完成时限没有写年份（如“12月底前”），按任务清单标题的年份读作 2016 年的日期"
                           "（如 2016年12月31日），早于2026年11月一年以上，未完成的均按已超过完成时限判断"), note
    assert "（如“2026年12月底前”）" in note
    assert column_notes(tasks.values(), Period(2017, 1)) == []  # the next January: overdue, plainly


CORPUS = Path(__file__).parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"


@pytest.mark.slow
def test_dazhu_reused_for_2026(tmp_path):
    """The reviewer's month, played: no task 超期 by the stale 2016 day, the office told at issue,
    merge and memo, and the 通报 says nothing of a 任务清单 to its readers."""
    root = tmp_path / "dz"
    mp, log, run = played_month(root, dt.date(2026, 11, 25), "--master", str(CORPUS), "--period", "2026-11")
    try:
        wb = openpyxl.load_workbook(root / "任务分工表.xlsx")
        edited = []
        for row in wb["任务清单"].iter_rows(min_row=2):
            if row[5].value == "12月底前":
                row[5].value = "2026年12月底前"
                edited.append(str(row[0].value))
        wb.save(root / "任务分工表.xlsx")
        assert len(edited) == 8, edited
        set_clock(mp, dt.date(2026, 12, 1))
        run("issue")
        said = "的完成时限已改为“2026年12月底前”（2026年12月31日），“截止日期”列却仍是导入时按原来的完成时限填写的 2016年12月31日"
        assert said in log["issue"], log["issue"]
        unit = "县住建局"
        from toolkit.workspace import find_workspace

        ws = find_workspace(root)
        data = fill_return(issued_path(ws, unit, NOVEMBER), Filling(default=Answer("序时推进", 80, "按计划推进。")))
        drop(ws, f"{unit}.xlsx", data, dt.datetime(2026, 12, 3, 10).timestamp())
        set_clock(mp, dt.date(2026, 12, 6))
        run("collect", "--received", "2026-12-03")
        run("merge")
        run("memo", "--format", "md")
        assert said in log["merge"] and said in log["memo"]
        assert "超期未完成 8" not in log["merge"]
        memo = next((root / "通报" / NOVEMBER.label).glob("*.md")).read_text("utf-8")
        for line in memo.splitlines():
            if "完成时限：2026年12月底前" in line:
                assert "已超过完成时限" not in line, line
        assert "请在任务清单中补充截止日期" not in memo
        assert "提醒：通报写明 任务 4“5月底前动工”、任务 5“5月底前动工” 的完成时限没有可判断的日期" in log["memo"]
    finally:
        mp.undo()


def test_a_workbook_written_again_keeps_the_date_its_office_set(written, tmp_path):
    # QA375: ws1's office set task 1's 截止日期 to 2016-10-31 (words 12月底前); `init --master
    # ws1/任务分工表.xlsx` wrote a workbook whose record holds both columns as they stood, and judge
    # fell to the later day: 2016-12-31, the task's 超期 gone
    tasks = _edited(written, tmp_path, {"1": (None, D(2016, 10, 31))})
    assert tasks["1"].deadline == D(2016, 10, 31) and tasks["1"].dated_by == BY_SET
    again = read_master_workbook(write_master_workbook(read_master_workbook(tmp_path / "任务分工表.xlsx"),
                                                       tmp_path / "again" / "任务分工表.xlsx"))
    one = next(t for t in again.tasks if t.id == "1")
    assert one.deadline == D(2016, 10, 31) and one.dated_by == BY_SET
    assert judge("12月底前", D(2016, 12, 31), D(2016, 10, 31), ("12月底前", D(2016, 10, 31)), 2016) == (
        D(2016, 10, 31), BY_SET)
