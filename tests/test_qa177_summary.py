"""QA round 177: the 汇总表 of county plans (苍南, 大竹) prints no column that is empty on every row.

苍南's 2022 民生实事 table has no 完成时限 and names lead units only: its 任务汇总 left the
完成时限 out (`used_columns`), but its 滞后超期 still printed an empty 完成时限 column, and
its 任务汇总 an empty 配合单位 column, as did 大竹's; a reader forwarded the book took the
empty cells for missing data.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.filling import Answer, Filling, fill_return

CORPUS = Path(__file__).parent / "corpus" / "masters"
MARCH = "2023年3月"

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow


def _month(root: Path, master: str) -> dict[str, list[list]]:
    """March 2023 of ``master``: every unit but the last reports on 2 April, the first task
    of each a 滞后 one (滞后超期 has rows); the 汇总表's sheets as read."""
    ws, _ = init_workspace(root, CORPUS / master, period="2023-03")
    issue_returns(ws, "2023-03")
    forms = sorted((ws.root / "下发" / MARCH).glob("*.xlsx"))
    when = dt.datetime(2023, 4, 2, 10, 0).timestamp()
    for i, form in enumerate(forms[:-1]):
        answer = Answer(status="滞后", progress=20, work="推进中", problems="资金不足") if i % 2 else \
            Answer(status="序时推进", progress=50, work="按计划推进")
        path = ws.inbox / form.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fill_return(form, Filling(default=answer)))
        os.utime(path, (when, when))
    collect(ws)
    merge(ws)
    book = CalamineWorkbook.from_path(next((ws.root / "汇总").rglob("*进展汇总表.xlsx")))
    return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}


def _empty_columns(rows: list[list]) -> list[str]:
    return [h for i, h in enumerate(rows[2]) if all(r[i] in ("", None) for r in rows[3:])]


@pytest.mark.parametrize("master", ["cangnan_mssx_2022.docx", "dazhu_mssx_2016.docx"])
def test_a_county_plans_task_sheets_print_no_empty_plan_column(tmp_path, master):
    sheets = _month(tmp_path / "ws", master)
    tasks, lagging = sheets["任务汇总"], sheets["滞后超期"]
    assert len(lagging) > 3, "the month has lagging tasks"
    # the plan's own columns (no 配合单位 named, no 完成时限 in 苍南's) are left out when empty
    plan_columns = {"一级任务", "二级任务", "完成时限", "配合单位", "具体工作内容"}
    assert not plan_columns & set(_empty_columns(tasks)), _empty_columns(tasks)
    assert not plan_columns & set(_empty_columns(lagging)), _empty_columns(lagging)
    assert "配合单位" not in tasks[2] and "牵头单位" in tasks[2]
    if master.startswith("cangnan"):  # no deadline column in the published table
        assert "完成时限" not in tasks[2] and "完成时限" not in lagging[2]
    else:  # 大竹's has one: kept on both sheets
        assert "完成时限" in tasks[2] and "完成时限" in lagging[2]


def test_a_plan_with_cooperating_units_keeps_the_column(tmp_path):
    """东莞's plan names 配合单位 for 13 of its 43 tasks: the column stays."""
    ws, _ = init_workspace(tmp_path / "ws", period="2022-06")
    issue_returns(ws, "2022-06")
    merge(ws)  # nobody reported, past the deadline: the book is still written
    book = CalamineWorkbook.from_path(next((ws.root / "汇总").rglob("*进展汇总表.xlsx")))
    tasks = book.get_sheet_by_name("任务汇总").to_python()
    assert "配合单位" in tasks[2] and "配合单位" not in _empty_columns(tasks)
