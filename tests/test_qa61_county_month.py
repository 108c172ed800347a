"""A month run by a district office (QA round 61), with 立山区's published tasks.

立山区's plan gives every task its text and no 工作任务 name and no 完成时限, and its units
carry full names (鞍山市立山区工业和信息化局) wider than Dongguan's. The office still reads
every task by a name, in the 催报 drafts and on every sheet of the 汇总表, and the screen
lines up.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import shutil
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.actions.remind import write_reminders
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.period import Period
from toolkit.text import display_width, task_title

CORPUS = Path(__file__).parent / "corpus" / "masters"
JUNE = Period(2025, 6)
DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
鞍山市立山区发展和改革局,区发改局,区直部门,,,fgj@ls.gov.cn
鞍山市立山区工业和信息化局,区工信局,区直部门,,,gxj@ls.gov.cn
鞍山市立山区商务局,区商务局,区直部门,,,swj@ls.gov.cn
鞍山市立山区市场监督管理局,区市场局,区直部门,,,scj@ls.gov.cn
鞍山市立山区财政局,区财政局,区直部门,,,czj@ls.gov.cn
国家税务总局鞍山市立山区税务局,税务局,区直部门,,,sw@ls.gov.cn
立山经济开发区,,园区,,,kfq@ls.gov.cn
友好街道,,街道,,,yh@ls.gov.cn
曙光街道,,街道,,,sg@ls.gov.cn
"""


@pytest.fixture(scope="module")
def _lishan_month(tmp_path_factory) -> Path:
    """立山区 2025-06: 区财政局 reports task 5 滞后, 区工信局 sends a return with errors, 友好街道
    reports on time; the rest say nothing. Built once; tests copy it."""
    root = tmp_path_factory.mktemp("lishan") / "ws"
    directory = root.parent / "名录.csv"
    directory.write_text(DIRECTORY, encoding="utf-8")
    ws, _ = init_workspace(root, CORPUS / "prose_lishan_2023.docx", period="2025-06",
                           directory_csv=directory)
    issue_returns(ws, JUNE)
    issued = ws.root / "下发" / "2025年6月"
    ws.inbox.mkdir(exist_ok=True)
    lag = Answer(status="滞后", progress=30, work="收入下滑。", problems="减税降费影响，需区政府协调。")
    fills = {"鞍山市立山区财政局": Filling(default=lag),
             "鞍山市立山区工业和信息化局": Filling(default=Answer(status="滞后", work="", problems="")),
             "友好街道": Filling()}
    for unit, filling in fills.items():
        (ws.inbox / f"{unit}.xlsx").write_bytes(fill_return(issued / f"2025年6月_{unit}_进展填报表.xlsx", filling))
    on_time = dt.datetime(2025, 7, 3, 10, 0).timestamp()
    for f in ws.inbox.iterdir():
        os.utime(f, (on_time, on_time))
    collect(ws, JUNE, received=dt.date(2025, 7, 3))
    merge(ws, JUNE)
    write_reminders(ws, JUNE)
    return root


@pytest.fixture
def lishan(tmp_path, _lishan_month) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(_lishan_month, root)
    return root


def _body(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return next(p.get_content() for p in message.walk() if p.get_content_type() == "text/plain")


def test_a_reminder_names_every_task_and_no_deadline_the_plan_never_set(_lishan_month):
    # 立山's table gives no 完成时限: its reminders said 完成时限：未明确 on every line (QA 99)
    drafts = _lishan_month / "汇总" / "2025年6月" / "催报邮件"
    body = _body(drafts / "催报_鞍山市立山区工业和信息化局.eml")
    assert "2（牵头）规模上工业增加值增长5%左右\n" in body
    assert "6（配合）居民收入增长与经济增长基本同步\n" in body
    assert not re.search(r"（(牵头|配合)），", body)   # never a task without its name
    assert "完成时限" not in body


def test_the_lagging_sheet_names_a_task_the_table_gives_only_text(_lishan_month):
    (book,) = (_lishan_month / "汇总" / "2025年6月").glob("*_进展汇总表.xlsx")
    sheet = load_workbook(book)["滞后超期"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["5"][1] == "一般公共预算收入增长8%左右"
    assert rows["5"][2] == "一般公共预算收入增长8%左右。"


def test_status_lines_up_the_times_after_long_unit_names(lishan):
    result = CliRunner().invoke(cli, ["-w", str(lishan), "status", "--all"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "2025-07-03" in line]
    assert len(lines) == 3
    starts = {display_width(line[:line.index("2025-07-03")]) for line in lines}
    assert len(starts) == 1, result.output


def test_a_task_title_never_ends_in_a_sentence_mark():
    # 崇川's table gives each task only its sentence, imported as its 工作任务
    assert task_title("优化提升50条背街后巷交通组织。", "优化提升50条背街后巷交通组织。") \
        == "优化提升50条背街后巷交通组织"
    assert task_title("全流程动态管理事项", "……") == "全流程动态管理事项"
    assert task_title("。", "加强财政政策信息公开，按月公开。") == "加强财政政策信息公开"



def test_the_overview_of_a_table_without_一级任务_names_all_tasks(tmp_path):
    """大竹 2016's tasks have no 一级任务: 总览 三 is one row of all tasks, not "（未分类）"."""
    ws, _ = init_workspace(tmp_path / "ws", CORPUS / "dazhu_mssx_2016.docx", period="2016-06")
    june = Period(2016, 6)
    issue_returns(ws, june)
    (form,) = (ws.root / "下发" / "2016年6月").glob("*县住建局*.xlsx")
    ws.inbox.mkdir(exist_ok=True)
    (ws.inbox / form.name).write_bytes(fill_return(form, Filling()))
    collect(ws, june, received=dt.date(2016, 7, 1))
    merge(ws, june)
    (book,) = (ws.root / "汇总" / "2016年6月").glob("*_进展汇总表.xlsx")
    cells = [c for row in load_workbook(book)["总览"].iter_rows(values_only=True) for c in row if c]
    assert "三、任务进展（任务数）" in cells and "全部任务" in cells
    assert "（未分类）" not in cells and "三、各一级任务进展（任务数）" not in cells
