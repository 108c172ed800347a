"""A past month merged again after the office moved a task's 完成时限 (the seed plan,
东莞市2022年政务服务全域标准化专项行动, June and July as test_qa94 plays them).

June's forms printed 3.2 (落实容缺受理、告知承诺制和限时办结制) due 2022年6月 and 7.3
(智能化设备进行适老化改造, the 政数局's alone) due 2022年9月. June's 通报 said 3.2 was past its
deadline, and 7.3 was not. After July's forms went out the office moves 3.2 to 2022年9月, 7.3 to
2022年6月 and rewords 7.3's 工作任务; 市市场监管局's 补报 of June then has June merged again.

- June is judged by the deadlines its forms printed (recorded at issue, ledger version 8):
  任务汇总, 滞后超期 and the 通报's sentences say what June's first 汇总表 and 通报 said, and show
  the task as the forms printed it.
- The office is told, task by task, what today's 任务清单 says otherwise.
- July, the month the office is on, is judged by today's deadlines.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

import docx
import pytest
from conftest import invoke_cli, set_clock, workspace_copy
from openpyxl import load_workbook
from test_qa94_past_month_after_edits import JULY, JUNE, played, sheet_rows  # noqa: F401  (played: a fixture)

from toolkit.consolidate import consolidate
from toolkit.memo.context import build_context

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

MOVED_LATER = "3.2"     # 2022年6月 → 2022年9月: June's 通报 said 已超过完成时限
MOVED_EARLIER = "7.3"   # 2022年9月 → 2022年6月: June's 通报 did not
REWORDED = "智能化自助设备适老化改造"  # 7.3's 工作任务 today; June's forms printed 智能化设备进行适老化改造


def move_deadlines(ws):
    """The office's edit in Excel, after July's forms went out: 完成时限 and 截止日期 of 3.2 and
    7.3, and 7.3's 工作任务."""
    wb = load_workbook(ws.master_path)
    sheet = wb["任务清单"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in ("工作任务", "完成时限", "截止日期")}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == MOVED_LATER:
            row[col["完成时限"]].value, row[col["截止日期"]].value = "2022年9月", dt.date(2022, 9, 30)
        elif row[0].value == MOVED_EARLIER:
            row[col["完成时限"]].value, row[col["截止日期"]].value = "2022年6月", dt.date(2022, 6, 30)
            row[col["工作任务"]].value = REWORDED
    wb.save(ws.master_path)


@pytest.fixture(scope="module")
def moved(played, tmp_path_factory):  # noqa: F811
    """test_qa94's June and July, the deadlines moved, June merged again and its 通报 written."""
    with pytest.MonkeyPatch.context() as mp:
        ws = workspace_copy(played.root, tmp_path_factory.mktemp("qa103") / "ws")
        move_deadlines(ws)
        set_clock(mp, dt.date(2022, 7, 23))
        merged = invoke_cli(["merge", "--period", "2022-06"], ws.root)
        memo = invoke_cli(["memo", "--period", "2022-06"], ws.root)
    return ws, merged, memo


def by_id(cons):
    return {t.task.id: t for t in cons.tasks}


def test_june_merged_again_keeps_the_deadlines_its_forms_printed(played, moved):  # noqa: F811
    ws, merged, _ = moved
    assert merged.exit_code in (0, 1), merged.output
    june, before = by_id(consolidate(ws, JUNE)), by_id(played.june_before)
    for tid in (MOVED_LATER, MOVED_EARLIER):
        assert june[tid].task == before[tid].task
        assert (june[tid].status, june[tid].overdue) == (before[tid].status, before[tid].overdue)
    assert june[MOVED_LATER].overdue and june[MOVED_LATER].task.deadline_text == "2022年6月"
    assert not june[MOVED_EARLIER].overdue and june[MOVED_EARLIER].status == "序时推进"
    assert june[MOVED_EARLIER].task.name == "智能化设备进行适老化改造"

    book = load_workbook(ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    summary = {r["任务编号"]: r for r in sheet_rows(book, "任务汇总")}
    assert (summary[MOVED_LATER]["完成时限"], summary[MOVED_LATER]["是否超期"]) == ("2022年6月", "是")
    assert (summary[MOVED_EARLIER]["完成时限"], summary[MOVED_EARLIER]["是否超期"]) == ("2022年9月", "否")
    assert summary[MOVED_EARLIER]["工作任务"] == "智能化设备进行适老化改造"
    late = {r["任务编号"]: r for r in sheet_rows(book, "滞后超期")}
    assert MOVED_LATER in late and late[MOVED_LATER]["是否超期"] == "是"
    assert MOVED_EARLIER not in late


def test_june_memo_says_what_it_said_when_first_written(played, moved):  # noqa: F811
    ws, _, memo = moved
    assert memo.exit_code in (0, 1), memo.output
    ctx, first = build_context(consolidate(ws, JUNE)), build_context(played.june_before)
    # written on 4 July, before the deadline, the first counted apart those whose leads were still
    # due (QA203); merged again on the 23rd, past it, the same tasks past their 完成时限
    past = [t.id for t in ctx.overdue]
    assert past == [t.id for t in first.attention if t.overdue] == [t.id for t in ctx.attention if t.overdue]
    assert MOVED_LATER in past and MOVED_EARLIER not in past
    # 市市场监管局's 补报 moves the counts of 序时推进 and 未报送, not of the tasks past their deadline
    said = f"已超过完成时限仍未完成的有{len(past)}项"
    assert said in ctx.overview_text, ctx.overview_text
    assert len(first.overdue) + first.task_overdue_waiting == len(past) and (
        f"已超过完成时限仍未完成的有{len(first.overdue)}项，另有{first.task_overdue_waiting}项已过完成时限"
        in first.overview_text), first.overview_text
    # section 三 lists 3.2 (滞后, past its printed deadline), not 7.3 (序时推进, due in September)
    assert MOVED_LATER in [t.id for t in ctx.attention] and MOVED_EARLIER not in [t.id for t in ctx.attention]
    item = next(t for t in ctx.attention if t.id == MOVED_LATER)
    assert "完成时限：2022年6月；" in item.summary and "已超过完成时限" in item.summary, item.summary
    # the 通报 as written
    path = next((ws.root / "通报" / "2022年6月").glob("*.docx"))
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    text += "\n".join(c.text for t in docx.Document(str(path)).tables for r in t.rows for c in r.cells)
    assert "智能化自助设备" not in text
    assert said in text


def test_the_office_is_told_where_todays_sheet_differs(moved):
    ws, merged, memo = moved
    notes = consolidate(ws, JUNE).basis_notes()
    later = next(n for n in notes if f"任务 {MOVED_LATER} " in n)
    assert "完成时限已由2022年6月改为2022年9月" in later and "2022年6月仍按下发时的2022年6月核定" in later, later
    earlier = next(n for n in notes if f"任务 {MOVED_EARLIER} " in n)
    assert "工作任务" in earlier and "完成时限已由2022年9月改为2022年6月" in earlier, earlier
    assert len([n for n in notes if f"任务 {MOVED_EARLIER} " in n]) == 1  # one line a task
    for out in (merged.output, memo.output):
        assert "完成时限已由2022年6月改为2022年9月" in out, out
    book = load_workbook(ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    assert "按2022年6月下发的填报表核定" in book["任务汇总"]["A2"].value


def test_july_the_month_the_office_is_on_uses_todays_deadlines(moved):
    ws, _, _ = moved
    july = consolidate(ws, JULY)
    tasks = by_id(july)
    assert tasks[MOVED_LATER].task.deadline_text == "2022年9月" and not tasks[MOVED_LATER].overdue
    assert tasks[MOVED_EARLIER].task.deadline_text == "2022年6月" and tasks[MOVED_EARLIER].overdue
    assert tasks[MOVED_EARLIER].task.name == REWORDED
    # today's deadlines are July's: nothing said of them (qa94's edits are, `plan_since`)
    assert not [n for n in july.basis_notes() if "完成时限" in n or MOVED_EARLIER in n], july.basis_notes()


def test_forms_issued_before_texts_were_kept_use_todays_deadlines(moved, tmp_path):
    """A ledger older than version 8 kept no texts: June is judged by today's deadlines, as
    before, and no note claims what the forms printed."""
    ws = workspace_copy(moved[0].root, tmp_path / "ws")
    with sqlite3.connect(ws.ledger_path) as conn:
        conn.execute("DELETE FROM issued_texts WHERE period='2022-06'")
    conn.close()
    june = consolidate(ws, JUNE)
    tasks = by_id(june)
    assert not tasks[MOVED_LATER].overdue and tasks[MOVED_EARLIER].overdue
    assert not any("完成时限已由" in n for n in june.basis_notes())
