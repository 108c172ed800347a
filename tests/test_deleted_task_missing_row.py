"""A 补报 of a past month that leaves out the row of a task the office has deleted since (QA117's
note): June's forms asked the 政数局 for 2.2, the office then deleted 2.2 from 任务清单, and the
department sends June again without that row. E404 ("任务缺失") refused the whole return, a
refusal the department cannot sensibly fix (the task is no longer in the plan), so June stood
退回待改 for it. A task no longer in the master is not asked for."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, edit, issued_path, set_clock, shanghai, workspace_copy
from test_qa94_past_month_after_edits import DELETED, DONE, JUNE, SZ, played  # noqa: F401  (played: a fixture)
from test_qa107_past_month_checked_as_printed import codes

from toolkit.actions.collect import collect
from toolkit.filling import Filling, fill_return
from toolkit.vocab import Outcome


def _without_row(task_id: str):
    def change(wb):
        sheet = wb["进展填报"]
        row = next(r[0].row for r in sheet.iter_rows() if str(r[0].value).strip() == task_id)
        sheet.delete_rows(row)
    return change


def test_a_late_return_without_the_row_of_a_deleted_task_is_taken(played, tmp_path, monkeypatch):  # noqa: F811
    ws = workspace_copy(played.root, tmp_path / "ws")
    data = edit(fill_return(issued_path(ws, SZ, JUNE), Filling(default=DONE)), _without_row(DELETED))
    drop(ws, f"{JUNE}_{SZ}_重报.xlsx", data, shanghai(dt.datetime(2022, 7, 25, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 25))
    result = collect(ws)
    found = codes(result, SZ, JUNE)
    assert ("E404", DELETED) not in found, found
    rep = next(it.report for t in result.items for it in t.walk() if it.report and it.report.unit == SZ)
    assert rep.outcome == Outcome.ACCEPTED, found


# plays June and July once for the module: run by CI, not the quick loop
pytestmark = pytest.mark.slow
