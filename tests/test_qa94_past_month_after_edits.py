"""A past month merged again after the office edited 任务分工表 (a QA helper played June and
July of the seed plan, 东莞市2022年政务服务全域标准化专项行动).

June is issued, collected, merged and its 通报 written. July's forms go out on 20 July. The
office then edits the master: 市林业局 is taken off 3.2 (落实容缺受理、告知承诺制和限时办结制;
the table's 等有关部门 had put it there), and 2.2 (全流程动态管理事项, the 政数局's alone, due
March and reported 已完成 in June) is deleted from 任务清单. On 22 July 市市场监管局, which never
sent June, sends June's form: a 补报. The office collects, runs ``duban merge --period
2022-06`` and ``duban memo --period 2022-06`` as collect tells it to.

- June keeps 2.2 as its forms gave it (its text recorded at issue, ledger version 8), with
  the 政数局's row: the 汇总表 does not lose a task and a return's row.
- 市林业局 stays on 3.2 for June: June's form did ask it, and June's 通报 said so. duban cannot
  tell a wrong assignment corrected from a task handed over later, so the month is judged by
  its forms, and every re-merged output says so and names what today's sheet no longer
  gives: a past 通报's verdicts never change, or stay, without the office being told.
- 市市场监管局's first June return, sent after July's forms went out, gets the 请核实 line the
  other cases of last month's form get: it may be July's progress on June's form.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

import pytest
from conftest import drop, invoke_cli, issued_path, ledger_at, on_time, set_clock, shanghai, workspace_copy
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.actions.memo import write_memo
from toolkit.actions.merge import merge
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.master.model import Task
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.vocab import UnitState

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE, JULY = Period(2022, 6), Period(2022, 7)
SZ = "市政务服务数据管理局"
WRONG = "市林业局"            # on 3.2 in June; taken off it in July
DELETED = "2.2"              # 全流程动态管理事项: the 政数局 its only lead
LATE_UNIT = "市市场监管局"     # sent nothing for June until 22 July
DONE = Answer(status="已完成", progress=100, work="已建立事项日常巡检机制，按月开展督导检查。",
              evidence="东政数〔2022〕15号")


def send(ws, period, unit, filling=None, mtime=None):
    drop(ws, f"{period}_{unit}.xlsx", fill_return(issued_path(ws, unit, period), filling or Filling()), mtime)


def edit_master(ws):
    """The office's July edit in Excel: 市林业局 off 3.2, task 2.2 deleted (its row in 任务清单
    and in 责任分工)."""
    wb = load_workbook(ws.master_path)
    tasks, duty = wb["任务清单"], wb["责任分工"]
    for row in reversed(list(duty.iter_rows(min_row=2))):
        if row[0].value == DELETED or (row[0].value == "3.2" and row[1].value == WRONG):
            duty.delete_rows(row[0].row)
    tasks.delete_rows(next(r[0].row for r in tasks.iter_rows(min_row=2) if r[0].value == DELETED))
    wb.save(ws.master_path)


@dataclass
class Played:
    root: object
    june_before: object     # June's consolidation as first merged (4 July)
    quiet: object           # June's, once July was issued, before any edit
    collect: object         # `duban collect` on 22 July (the 补报)
    merge: object           # `duban merge --period 2022-06` after it
    memo: object            # `duban memo --period 2022-06`


@pytest.fixture(scope="module")
def played(tmp_path_factory, _session_workspace):
    """June and July played once for the module (issuing twice takes most of it)."""
    with pytest.MonkeyPatch.context() as mp:
        ws = workspace_copy(_session_workspace, tmp_path_factory.mktemp("qa94") / "ws")
        set_clock(mp, dt.date(2022, 6, 28))
        issue_returns(ws, "2022-06")
        set_clock(mp, dt.date(2022, 7, 4))
        send(ws, JUNE, SZ, Filling(answers={DELETED: DONE}), on_time())
        send(ws, JUNE, "市司法局", mtime=on_time())
        collect(ws, JUNE)
        merge(ws, JUNE)
        write_memo(ws, JUNE)
        june_before = consolidate(ws, JUNE)
        set_clock(mp, dt.date(2022, 7, 20))
        issue_returns(ws, "2022-07", due=dt.date(2022, 8, 5))
        quiet = consolidate(ws, JUNE)
        edit_master(ws)
        send(ws, JUNE, LATE_UNIT, mtime=shanghai(dt.datetime(2022, 7, 22, 9, 0)))
        set_clock(mp, dt.date(2022, 7, 22))
        collected = invoke_cli(["collect"], ws.root)
        merged = invoke_cli(["merge", "--period", "2022-06"], ws.root)
        memo = invoke_cli(["memo", "--period", "2022-06"], ws.root)
    return Played(ws.root, june_before, quiet, collected, merged, memo)


@pytest.fixture
def june_ws(played, tmp_path):
    return workspace_copy(played.root, tmp_path / "ws")


def sheet_rows(book, name, key="任务编号"):
    sheet = book[name]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == key)
    return [dict(zip(header, r)) for r in sheet.iter_rows(values_only=True) if r and r[0] and r[0] != key]


def test_a_task_deleted_since_stays_in_its_month_with_its_rows(played, june_ws):
    """2.2 was on the 政数局's June form, which reported it 已完成: June merged again shows it as
    the form gave it (its text, deadline, lead) with that row, in 任务汇总, 单位明细, the
    figures and the 通报, exactly as June's first 汇总表 did."""
    assert played.merge.exit_code == 1, played.merge.output  # 请核实 below
    june = consolidate(june_ws, JUNE)
    tasks = {t.task.id: t for t in june.tasks}
    before = {t.task.id: t for t in played.june_before.tasks}
    assert DELETED in tasks and tasks[DELETED].task == before[DELETED].task
    assert (tasks[DELETED].leads, tasks[DELETED].status) == ([SZ], "已完成")
    assert tasks[DELETED].progress_text == before[DELETED].progress_text
    assert june.figures()["任务总数"] == played.june_before.figures()["任务总数"] == 43
    assert june.history[JUNE][DELETED] == ("已完成", 100.0)

    book = load_workbook(june_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    row = next(r for r in sheet_rows(book, "任务汇总") if r["任务编号"] == DELETED)
    assert (row["工作任务"], row["综合状态"]) == ("全流程动态管理事项", "已完成")
    detail = [r for r in sheet_rows(book, "单位明细") if r["任务编号"] == DELETED]
    assert [(r["单位"], r["完成状态"]) for r in detail] == [(SZ, "已完成")]
    ctx = build_context(june)
    assert DELETED in [t.id for t in ctx.completed]
    # the office is told why a task it deleted is in June's tables
    for out in (played.merge.output, played.memo.output):
        assert "任务 2.2（全流程动态管理事项）已从任务清单删除" in out, out

    # July, the month the office is on, has no 2.2
    assert DELETED not in [t.task.id for t in consolidate(june_ws, JULY).tasks]


def test_a_unit_taken_off_a_task_since_is_judged_by_its_form_and_the_office_is_told(played, june_ws):
    """市林业局's June form carried 3.2 and it sent nothing: June's 通报 named it. Taken off 3.2
    in July (wrongly assigned, or handed over: the sheet cannot say which), June merged again
    still names it for 3.2, as published; the screen of merge and memo, and the 汇总表's
    subtitle, say June is judged by its forms and name 市林业局 on 3.2, so that an office that
    corrected a wrong assignment knows to correct the 通报 before it goes out again."""
    june = consolidate(june_ws, JUNE)
    task = next(t for t in june.tasks if t.task.id == "3.2")
    first = next(t for t in played.june_before.tasks if t.task.id == "3.2")
    assert WRONG in task.leads and WRONG in task.missing and WRONG in first.missing
    assert next(u.state for u in june.units if u.unit == WRONG) == UnitState.NOT_REPORTED
    for out in (played.merge.output, played.memo.output):
        assert "2022年6月按当月下发的填报表核定" in out, out
        assert f"{WRONG}（3.2 牵头，未报送）" in out, out
    book = load_workbook(june_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    subtitle = book["任务汇总"]["A2"].value
    assert "按2022年6月下发的填报表核定" in subtitle, subtitle

    # July reads today's sheet: 市林业局 is not on 3.2; the office is told what July's forms, made
    # before the edits, carried that July no longer counts (QA376: `plan_since`)
    july = consolidate(june_ws, JULY)
    assert WRONG not in next(t for t in july.tasks if t.task.id == "3.2").leads
    notes = july.basis_notes()
    assert notes[0].startswith("请核实：2022年7月的填报表下发后，任务分工表已修改"), notes
    assert any(n.startswith(f"请核实：{WRONG}（3.2 ") for n in notes), notes
    assert any("任务 2.2（全流程动态管理事项）已从任务清单删除" in n for n in notes), notes


def test_a_past_month_nobody_edited_says_nothing(played):
    """June merged again after July's forms went out, with 责任分工 as it was: no note."""
    assert played.quiet.basis_notes() == [] and played.june_before.basis_notes() == []


def test_a_first_time_late_return_on_last_months_form_is_asked_about(played):
    """市市场监管局 never sent June; its June form arrives on 22 July, after July's forms went
    out. It is 补报 (W209), and just as likely July's progress typed into the form it had: the
    coordinator is asked, as for a unit that had sent June already."""
    out = played.collect.output
    assert played.collect.exit_code == 1, out
    assert "补报：市市场监管局 报送了2022年6月的填报表，该期已汇总" in out, out
    assert ("请核实：2022-06_市市场监管局.xlsx（市市场监管局）是2022年6月的填报表，已登记为2022年6月的报送；"
            "如果填的是2022年7月的进展，请该单位用2022年7月下发的填报表重报") in out, out


def test_a_deleted_task_of_forms_issued_before_texts_were_kept_keeps_its_rows(june_ws):
    """June's forms issued by a ledger older than version 8 kept no task texts: 2.2 cannot be
    shown by its name, but its row stays (no task of June lost), under a title that says so,
    and the note tells the office the text was not recorded."""
    with sqlite3.connect(june_ws.ledger_path) as conn:
        conn.execute("DELETE FROM issued_texts WHERE period='2022-06'")
    conn.close()
    june = consolidate(june_ws, JUNE)
    task = next(t for t in june.tasks if t.task.id == DELETED)
    assert task.leads == [SZ] and task.status == "已完成" and "已从任务清单删除" in task.task.name
    assert [d["unit"] for d in june.details if d["task"] == DELETED] == [SZ]
    assert any("任务 2.2 已从任务清单删除" in n and "未记录" in n for n in june.basis_notes())


def test_a_ledger_before_task_texts_is_upgraded_and_keeps_its_forms(tmp_path):
    """A version-7 ledger upgraded to 8: its issued rows stay, no texts; a form issued after
    records the texts of its tasks, the latest issue's where two differ."""
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 7, ("INSERT INTO issued(period, unit, fingerprint, tasks, issued_at, due, roles) VALUES"
                        " ('2022-06', ?, 'f1', '[\"2.2\"]', '2022-06-28 09:00:00', '2022-07-05', '{\"2.2\": \"牵头\"}')",
                        (SZ,)))
    old = Task("2.2", "一、加强政务服务体系建设标准化", "2．推动事项标准管理", "全流程动态管理事项", "规范事项管理。",
               "2022年3月", dt.date(2022, 3, 31))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 8
        assert ledger.issued_tasks_of(JUNE) == {SZ: {"2.2"}} and ledger.issued_texts_of(JUNE) == {}
        ledger.record_issued_texts(JUNE, [old])
        ledger.record_issued_texts(JUNE, [Task(**{**old.__dict__, "content": "规范事项全生命周期管理。"})])
        assert ledger.issued_texts_of(JUNE)["2.2"].content == "规范事项全生命周期管理。"
        assert ledger.issued_texts_of(JUNE)["2.2"].deadline == dt.date(2022, 3, 31)
    assert (tmp_path / "ledger.sqlite3.v7.bak").exists()
