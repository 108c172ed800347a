"""QA383's review of the day's changes (stop 56): a 补发 month merged again after the plan was
edited keeps its tasks; 报送截止 is the date most forms carry; a unit merged into another is not
said to have lost its tasks; the 本期免报 hint can be pasted as it stands.

大竹县 2016 民生实事 (corpus: tests/corpus/masters/dazhu_mssx_2016.docx, its source in that
folder's README.md), as tests/test_qa377_public_words.py plays it.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from conftest import invoke_cli, set_clock
from openpyxl import load_workbook
from test_qa377_public_words import DAZHU, NOVEMBER, OCTOBER

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.filling import Filling, fill_return


def _edit_first_deadline(ws) -> None:
    """The office's edit in Excel: task 1's 完成时限, a task 县民政局's form does not carry."""
    wb = load_workbook(ws.master_path)
    sheet = wb["任务清单"]
    header = [c.value for c in sheet[1]]
    col = header.index("完成时限")
    first = next(r for r in sheet.iter_rows(min_row=2) if r[0].value not in (None, ""))
    first[col].value = "2026年12月底前"
    wb.save(ws.master_path)


@pytest.mark.slow
def test_a_month_issued_to_one_unit_keeps_its_tasks_after_the_plan_is_edited(tmp_path, monkeypatch):
    """October issued to 县民政局 alone, November to everyone; then a 完成时限 edited: October
    merged again said 任务 2 项 (9 tasks of the units left out read as added since, QA383)."""
    root = tmp_path / "大竹"
    set_clock(monkeypatch, dt.date(2026, 11, 1))
    ws, _ = init_workspace(root, DAZHU, period=str(NOVEMBER))
    issue_returns(ws, OCTOBER, units=["县民政局"])
    set_clock(monkeypatch, dt.date(2026, 11, 3))
    ws.inbox.mkdir(exist_ok=True)
    path = ws.inbox / "县民政局10月.xlsx"
    path.write_bytes(fill_return(next((root / "下发" / OCTOBER.label).glob("*.xlsx")), Filling()))
    t = dt.datetime(2026, 11, 3, 10).timestamp()
    os.utime(path, (t, t))
    collect(ws, OCTOBER, received=dt.date(2026, 11, 3))
    before = invoke_cli(["-w", str(root), "merge", "--period", "2026-10"]).output
    assert "任务 11 项，" in before and "本期未下发 9" in before, before
    issue_returns(ws, NOVEMBER)
    _edit_first_deadline(ws)
    after = invoke_cli(["-w", str(root), "merge", "--period", "2026-10"]).output
    assert "任务 11 项，" in after and "本期未下发 9" in after, after
    # the Word 通报's table has no 本期未下发 column: its rows said 11 tasks and summed to 2, unsaid
    from docx import Document

    assert invoke_cli(["-w", str(root), "memo", "--period", "2026-10"]).exit_code in (0, 1)
    memo = next((root / "通报" / OCTOBER.label).glob("*.docx"))
    texts = [p.text for p in Document(str(memo)).paragraphs]
    assert "注：上表任务数含本期未向牵头单位下发填报表的任务9项，未列入各状态。" in texts, texts


@pytest.mark.slow
def test_the_month_s_deadline_is_the_one_most_forms_carry_not_the_earliest(tmp_path, monkeypatch):
    """Three units given the 10th, 县民政局 (its first issue) the 7th: the month's 报送截止 was
    stated as the 7th and the three named as the exceptions (QA383)."""
    from toolkit.consolidate import consolidate
    from toolkit.memo.context import build_context
    from toolkit.workspace import find_workspace

    root = tmp_path / "大竹"
    set_clock(monkeypatch, dt.date(2026, 11, 28))
    assert invoke_cli(["init", str(root), "--master", str(DAZHU), "--period", "2026-11"]).exit_code == 0
    for args in (["issue", "--dept", "县住建局", "--dept", "县水务局", "--dept", "县教科局", "--due", "2026-12-10"],
                 ["issue", "--dept", "县民政局", "--due", "2026-12-07"]):
        done = invoke_cli(["-w", str(root), *args])
        assert done.exit_code == 0, done.output
    status = invoke_cli(["-w", str(root), "status"]).output
    assert "2026年11月报送情况（截止 2026-12-10；县民政局 2026-12-07）：应报 4，" in status, status
    ctx = build_context(consolidate(find_workspace(root), NOVEMBER))
    assert ctx.due_text == "本期报送截止日为2026年12月10日，其中县民政局为2026年12月7日。"


@pytest.mark.slow
def test_a_unit_merged_into_another_in_the_month_is_not_said_to_have_lost_its_tasks(tmp_path, _session_workspace):
    """市林业局 merged into 市自然资源局 on 30 June, June still the office's month: merge said
    "请核实：市林业局（…）在2022年6月的填报表上，现行任务分工表已取消或调整这些分工" though June still
    holds it to its own form (`kept_apart`, QA125) and names it if silent (QA383)."""
    from test_qa96_done_units_exempt import on_day
    from test_qa119_reorganised_quarter import june_issued, reorganise

    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        on_day(mp, dt.date(2022, 6, 30))
        reorganise(ws)
        on_day(mp, dt.date(2022, 7, 6))
        merged = invoke_cli(["merge", "--period", "2022-06"], ws.root)
    assert "现行任务分工表已取消或调整这些分工" not in merged.output, merged.output
    assert "应报 54 个单位" in merged.output  # 市林业局 still owed June on its own form
