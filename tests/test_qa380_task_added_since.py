"""A task added to the plan after a month's forms went out is not that month's (README: 之后新增
的任务不计入该期), whoever has it (QA376, 嘉鱼县 plan: a revised plan imported on 20 August
added task (六) led by 县人社局, a unit new to the plan; July merged again counted 6 tasks, one
尚未向牵头单位下发填报, and asked for a July form of 县人社局).

The seed plan as test_qa94 plays it: June and July issued, the office's July edits made. The
office then adds 16.2, led by a unit new to the plan (市退役军人事务局), and merges June again.

July, the month the office is on, is merged by today's sheet: merge and memo say what its forms
carried that the edited plan leaves out or adds (QA376: 嘉鱼县's July merged after a revised plan
gave task 4 to another lead and dropped task 5 said nothing, exit 0).
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import invoke_cli, set_clock
from openpyxl import load_workbook
from test_qa94_past_month_after_edits import JULY, JUNE, played  # noqa: F401  (played: a fixture)
from test_qa107_past_month_checked_as_printed import edited_copy

from toolkit.consolidate import consolidate
from toolkit.issued_month import added_since_issue
from toolkit.ledger import Ledger
from toolkit.master import read_master_workbook

NEW_TASK, NEW_UNIT = "16.2", "市退役军人事务局"
COOP = "市司法局"  # issued June's form, 16.2 never on it


def add_task(ws, coop: str | None = None):
    """The office adds 16.2 in Excel (its row in 任务清单, 责任分工, 单位名录), led by a unit new
    to the plan, with ``coop`` (a unit June's forms went to) as 配合 if given."""
    wb = load_workbook(ws.master_path)
    tasks = wb["任务清单"]
    last = [c.value for c in tasks[tasks.max_row]]
    tasks.append([NEW_TASK, *last[1:3], "开展退役军人政务服务专项培训", "组织退役军人服务站工作人员参加政务服务培训。",
                  "2022年12月", dt.datetime(2022, 12, 31), "否", NEW_UNIT, coop, None, None])
    duty = wb["责任分工"]
    duty.append([NEW_TASK, NEW_UNIT, "牵头", "明确"])
    if coop:
        duty.append([NEW_TASK, coop, "配合", "明确"])
    wb["单位名录"].append([NEW_UNIT, "市退役军人局", "市直部门", None, None, None])
    wb.save(ws.master_path)


@pytest.mark.parametrize("coop", [None, COOP])
def test_a_task_added_since_is_not_a_past_months(played, tmp_path, monkeypatch, coop):  # noqa: F811
    ws = edited_copy(played, tmp_path, lambda w: add_task(w, coop))
    set_clock(monkeypatch, dt.date(2022, 7, 25))
    with Ledger(ws.ledger_path) as ledger:
        assert added_since_issue(ledger, JUNE, read_master_workbook(ws.master_path)) == {NEW_TASK}
    merged = invoke_cli(["merge", "--period", "2022-06"], ws.root)
    memo = invoke_cli(["memo", "--period", "2022-06", "--format", "md"], ws.root)
    june = consolidate(ws, JUNE)
    assert NEW_TASK not in {t.task.id for t in june.tasks}
    assert june.figures()["任务总数"] == played.june_before.figures()["任务总数"] == 43
    for out in (merged.output, memo.output):
        assert NEW_UNIT not in out and f"--dept {NEW_UNIT}" not in out, out
    book = load_workbook(ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")
    assert not [r for sheet in book for r in sheet.iter_rows(values_only=True) if NEW_UNIT in r]
    # July, the month the office is on, is today's sheet: 16.2 is in it, its lead not issued
    july = consolidate(ws, JULY)
    assert NEW_TASK in {t.task.id for t in july.tasks}


def test_the_month_the_office_is_on_says_where_its_forms_differ_from_the_revised_plan(played, tmp_path,  # noqa: F811
                                                                                     monkeypatch):
    """July, the month the office is on, is merged by today's sheet; its forms went out before the
    office's edits (2.2 deleted, 市林业局 off 3.2) and 16.2 added: merge and memo say what that
    leaves out or adds (QA376: 嘉鱼县's July merged after a revised plan, exit 0, nothing said)."""
    ws = edited_copy(played, tmp_path, lambda w: add_task(w, COOP))
    set_clock(monkeypatch, dt.date(2022, 8, 8))
    merged = invoke_cli(["merge", "--period", "2022-07"], ws.root)
    memo = invoke_cli(["memo", "--period", "2022-07", "--format", "md"], ws.root)
    assert merged.exit_code == 1, merged.output
    for out in (merged.output, memo.output):
        assert "请核实：2022年7月的填报表下发后，任务分工表已修改（如导入了修订版）；2022年7月按现行任务分工表汇总" in out, out
        assert "请核实：任务 2.2（全流程动态管理事项）已从任务清单删除，但2022年7月的填报表上有这项任务" in out, out
        assert "请核实：市林业局（3.2 " in out, out
        assert f"说明：任务 {NEW_TASK}（开展退役军人政务服务专项培训）是2022年7月的填报表下发后新增的" in out, out
        assert f"说明：{COOP}（{NEW_TASK} 配合）" not in out  # said with the task added, not again
    book = load_workbook(ws.root / "汇总" / "2022年7月" / "2022年7月_进展汇总表.xlsx")
    assert any("按现行任务分工表核定（与2022年7月下发的填报表不同）" in str(c) for row in book.worksheets[0].iter_rows(
        max_row=3, values_only=True) for c in row if c)
    # July issued again on today's plan: the office chose what July asks, nothing to say
    assert invoke_cli(["issue", "--period", "2022-07"], ws.root).exit_code in (0, 1)
    again = invoke_cli(["merge", "--period", "2022-07"], ws.root)
    assert "任务分工表已修改（如导入了修订版）" not in again.output, again.output


# months played through collect, merge and issue: several seconds a module, run by CI, not the quick loop
pytestmark = pytest.mark.slow
