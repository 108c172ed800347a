"""Review of QA143/QA144 (a task followed across a revised plan by its texts): an ordinary
month must lose nothing it had by number.

东莞's June forms went out from a ledger older than version 8 (no task texts kept); after the
upgrade the office issued June's form again to 市司法局 alone (a corrected deadline), which
recorded the texts of 市司法局's tasks only. June's texts are then those few tasks, and every
other June row (市政务服务数据管理局's 2.2, say) had no task to follow: July's prefill and W606
lost it, though by number it was right."""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace

import pytest
from conftest import drop, issued_path, on_time, set_clock, workspace_copy
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns, last_accepted_values, prefill_ids
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.issued_month import Basis, EarlierMonths
from toolkit.ledger import Ledger
from toolkit.master.model import Task
from toolkit.period import Period
from toolkit.revised import month_tasks

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE, JULY = Period(2022, 6), Period(2022, 7)
SZ, SFJ = "市政务服务数据管理局", "市司法局"
DONE = Answer(status="已完成", progress=100, work="已建立事项日常巡检机制，按月开展督导检查。",
              evidence="东政数〔2022〕15号")


def _june_collected(mp, ws) -> None:
    """June issued on the 28th and 市政务服务数据管理局's return (2.2 已完成) collected on 4 July."""
    set_clock(mp, dt.date(2022, 6, 28))
    issue_returns(ws, "2022-06")
    set_clock(mp, dt.date(2022, 7, 4))
    drop(ws, f"2022-06_{SZ}.xlsx", fill_return(issued_path(ws, SZ, JUNE), Filling(answers={"2.2": DONE})),
         on_time())
    collect(ws, JUNE)


@pytest.fixture(scope="module")
def june(tmp_path_factory, _session_workspace):
    """June issued and 市政务服务数据管理局's return collected; June's texts as a form issued
    again after the upgrade left them: 市司法局's tasks only."""
    with pytest.MonkeyPatch.context() as mp:
        ws = workspace_copy(_session_workspace, tmp_path_factory.mktemp("qa145") / "ws")
        _june_collected(mp, ws)
        with sqlite3.connect(ws.ledger_path) as conn:
            sfj = set(conn.execute("SELECT tasks FROM issued WHERE period='2022-06' AND unit=?", (SFJ,)).fetchone()[0]
                      .strip("[]").replace('"', "").replace(" ", "").split(","))
            assert "2.2" not in sfj
            conn.execute(f"DELETE FROM issued_texts WHERE period='2022-06' AND task NOT IN ({','.join('?' * len(sfj))})",
                         tuple(sfj))
        conn.close()
    return ws


def test_a_month_whose_texts_cover_part_of_its_forms_keeps_the_other_tasks(june):
    master = june.load_master()
    with Ledger(june.ledger_path, readonly=True) as ledger:
        assert "2.2" in {t.id for t in month_tasks(ledger, JUNE, master)}
        prefill = last_accepted_values(ledger, SZ, JULY, (), prefill_ids(ledger, master))
        assert prefill["2.2"].status == "已完成"  # by number it was: July's form starts from it
        # W606/W608 weigh July's 2.2 against June's
        assert EarlierMonths(ledger, master).previous(SZ, JULY)["2.2"].status == "已完成"


def swap_1_1_and_2_2(ws):
    """The office's revision: 全流程动态管理事项 (2.2) and 加快出台系列规范性文件 (1.1), both
    the 政数局's alone, trade numbers (texts, 完成时限 and all)."""
    wb = load_workbook(ws.master_path)
    rows = {r[0].value: r for r in wb["任务清单"].iter_rows(min_row=2)}
    for a, b in zip(rows["1.1"][1:], rows["2.2"][1:]):
        a.value, b.value = b.value, a.value
    wb.save(ws.master_path)


def test_a_month_issued_before_texts_were_kept_is_numbered_as_the_next_forms(tmp_path, _session_workspace):
    """June issued before version 8, July and August after; the plan revised between July's
    and August's issue. June's rows are numbered as July's forms (nothing renumbered the plan
    then), not as today's sheet: July merged again keeps 2.2 已完成 by the 政数局's June
    row (its lead silent in July), and 1.1 does not take it. Read by today's texts, June's 2.2
    went to July's 1.1 and 2.2, due in March, stood 超期 with its lead 未报送."""
    with pytest.MonkeyPatch.context() as mp:
        ws = workspace_copy(_session_workspace, tmp_path / "ws")
        _june_collected(mp, ws)
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07")
        set_clock(mp, dt.date(2022, 8, 20))
        swap_1_1_and_2_2(ws)
        issue_returns(ws, "2022-08")
        with sqlite3.connect(ws.ledger_path) as conn:
            conn.execute("DELETE FROM issued_texts WHERE period='2022-06'")
        conn.close()
        july = {t.task.id: t for t in consolidate(ws, JULY).tasks}
    assert july["2.2"].task.name == "全流程动态管理事项" and july["2.2"].status == "已完成"
    assert july["1.1"].status != "已完成"


def test_a_moved_task_whose_deadline_moved_is_not_said_to_have_changed_only_its_number():
    """1.2 (对标对表提升整改) became 2.1 and its 完成时限 moved from 2022年12月 to 2022年9月:
    the note on the numbers said 只改了编号 just above the line saying the deadline moved."""
    then = Task("1.2", "一、加强政务服务体系建设标准化", "1．健全落实系列标准制度", "对标对表提升整改",
                "各级政务服务大厅对标对表优化提升。", "2022年12月", dt.date(2022, 12, 31))
    now = replace(then, id="2.1", level2="2．推动事项标准管理", deadline_text="2022年9月", deadline=dt.date(2022, 9, 30))
    notes = Basis(JUNE, JULY, edited=[(then, now)], moved={"1.2": "2.1"}).notes()
    assert "只改了编号" not in "".join(notes)
    assert "原1.2现为2.1（工作任务和具体工作内容未变）" in notes[1]
    assert "完成时限已由2022年12月改为2022年9月" in notes[-1]
