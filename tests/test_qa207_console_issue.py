"""QA207: the Excel console's 下发 says what `duban issue` says in yellow (a unit without a mail
address, a 完成时限 read as no date), under its own line in the result cell; before, the cell
said only how many forms were written, and the office mailed them none the wiser."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from toolkit.actions.excel_console import console_action
from toolkit.cli import cli

# issues a month's 54 forms twice (console and command line), about nine seconds: run in CI,
# out of the quick loop
pytestmark = pytest.mark.slow

YELLOW = re.compile(r"\x1b\[33m(.*?)\x1b\[0m")


def _undate_a_task(ws) -> str:
    """As an office types it in December: a row of 任务清单 given 完成时限 “12月底前” and no
    截止日期, in a plan whose title gives no year (so no date is read); its task id."""
    wb = load_workbook(ws.master_path)
    for meta in wb["_meta"].iter_rows():
        if meta[0].value == "project":
            meta[1].value = "政务服务全域标准化专项行动"
    sheet = wb["任务清单"]
    head = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[head.index("截止日期")].value)
    row[head.index("完成时限")].value, row[head.index("截止日期")].value = "12月底前", None
    wb.save(ws.master_path)
    return row[0].value


def _give_address(ws, unit: str, address: str) -> None:
    wb = load_workbook(ws.master_path)
    for row in wb["单位名录"].iter_rows(min_row=2):
        if row[0].value == unit:
            row[5].value = address
    wb.save(ws.master_path)


def test_console_issue_writes_the_warnings_of_the_command_line(issued_ws, monkeypatch):
    tid = _undate_a_task(issued_ws)
    _give_address(issued_ws, "市公安局", "gaj@dg.example.cn")  # one unit has one, 53 have none
    outcome = console_action(issued_ws, "下发", "2022-07")
    assert outcome.ok
    first, *checks = outcome.message.split("\n")
    assert first.startswith("已生成 2022年7月填报表 54 份及邮件草稿：")
    assert f"请核实：任务 {tid}“12月底前” 的完成时限无法识别为日期（如没有写年份），不判断是否超期，" \
           "也不列入下月到期任务。如需判断，请在任务分工表.xlsx“任务清单”的“截止日期”列填写日期（如 2022-12-31）。" in checks
    assert "其中 53 个单位在单位名录中没有邮箱，请在草稿中填写收件人，或在任务清单的“单位名录”表中补充邮箱。" in checks
    # information stays out of the cell: it is the command line's plain text, not a check
    assert not [c for c in checks if c.startswith(("邮件草稿", "当前期次", "本期免报"))]
    # the same issue at the command line: its yellow lines are the cell's, word for word
    monkeypatch.chdir(issued_ws.root)
    result = CliRunner().invoke(cli, ["issue", "--period", "2022-07", "--emails"], color=True,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # issued a second time, it says so besides (QA271): the rest word for word
    yellow = YELLOW.findall(result.stdout)
    [again] = [line for line in yellow if line.startswith("提醒：2022年7月的填报表已于")]
    assert [line for line in yellow if line != again] == checks
