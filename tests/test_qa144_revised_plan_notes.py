"""东莞's revised 任务分工表 over a workspace with issued months (QA144), played by QA143's
fixture: June and July issued on the 2022 plan, the revision imported on 15 August (1.2 moved
to 2.1, the old 2.1 to 2.2, 2.6 to 2.7, the old 2.2 dropped, 2.5 split), August issued on it.

A past month merged again is compared with today's plan task by task (`renumbered`), not by
number: July's 通报 was right, and merge, memo and status no longer ask the office to correct
it. The import says what the revision changed and where the issued months stand, and the
通报 keeps the workspace's 落款."""

from __future__ import annotations

import shutil

import pytest
import test_qa143_revised_plan as qa143
from click.testing import CliRunner
from docx import Document

from toolkit.cli import cli
from toolkit.master import import_master, read_master_workbook, write_master_workbook

pytestmark = pytest.mark.slow
revised = qa143.revised  # QA143's month, played once a module

ZSJ = "东莞市政务服务数据管理局"
MOVED = "任务分工表已修订，原1.2现为2.1、原2.1现为2.2、原2.6现为2.7（工作任务和具体工作内容未变）"


def _run(root, *args):
    return CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)


def _import_said(played) -> str:
    return played.said[f"master import {played.root.parent / '修订分工表.docx'}"].output


@pytest.mark.parametrize("command", ["merge", "memo", "status"])
def test_a_moved_task_is_neither_deleted_nor_edited(revised, command):
    result = _run(revised.root, command, "--period", "2022-07")
    said = result.output  # (stdout and stderr: the memo says its notes on stderr)
    assert said.count(MOVED) == 1, said  # said once, plainly
    # 1.2 moved to 2.1: not deleted; 2.1 is another task now: not edited; their units are
    # on the same tasks under the new numbers: no 分工 cancelled, no 通报 to correct
    assert "任务 1.2（对标对表提升整改）已从任务清单删除" not in said
    assert "任务 2.1 的" not in said and "任务 2.2 的" not in said
    assert "请核实" not in said and "已取消或调整这些分工" not in said
    # what the revision really did is said as before
    assert "说明：任务 2.2（全流程动态管理事项）已从任务清单删除，但2022年7月的填报表上有这项任务" in said
    assert "说明：任务 2.5 的具体工作内容已修改；2022年7月的汇总表和通报仍按下发时的内容列出。" in said
    assert result.exit_code == 1  # (a task deleted, one edited: as before)


def test_a_plan_only_renumbered_asks_nothing(revised, tmp_path):
    """The same revision without the edits: July's 通报 stands as it went out; said, exit 0."""
    root = tmp_path / "ws"
    shutil.copytree(revised.root, root)
    july = tmp_path / "七月任务分工表.xlsx"  # the plan June's and July's forms were made from
    write_master_workbook(import_master(qa143.DONGGUAN), july)
    qa143._revised_plan(july, tmp_path / "只改编号.docx", renumbered_only=True)
    assert _run(root, "master", "import", str(tmp_path / "只改编号.docx")).exit_code == 0
    result = _run(root, "merge", "--period", "2022-07")
    assert result.exit_code == 0, result.output
    assert ("说明：2022年7月按当月下发的填报表核定（2022年8月的填报表已下发）。任务分工表已修订，原1.2现为2.1、原2.1现为2.2、"
            "原2.2现为2.3、原2.3现为2.4、原2.4现为2.5、原2.5现为2.6、原2.6现为2.7（工作任务和具体工作内容未变）：2022年7月的汇总表"
            "和通报仍按当月填报表上的编号列出；编号的变化不改变各单位的报送情况，无需为此更正。") in result.output.splitlines()
    assert "请核实" not in result.output and "已从任务清单删除" not in result.output
    memo = _run(root, "memo", "--period", "2022-07")
    assert memo.exit_code == 0 and "工作任务和具体工作内容未变" in memo.stderr, memo.stderr


def test_the_import_says_what_the_revision_changed(revised):
    said = _import_said(revised)
    assert ("与原任务分工表相比：未变 37 项；改了编号 3 项（1.2→2.1、2.1→2.2、2.6→2.7）；内容或完成时限有修改 1 项（2.5）；"
            "新增 1 项（2.6）；删除 2 项（2.2、16.1）。") in said
    # June: July's forms went out, so June keeps its own; July, the latest issued month, too:
    # the revision renumbered the tasks its forms printed (QA146, `renumbered_since`)
    assert "已下发填报表的2022年6月、2022年7月不受影响：仍按当月下发的填报表核定" in said
    assert "注意：2022年7月的填报表按原任务分工表下发" not in said


def test_the_memo_keeps_its_signature(revised):
    said = _import_said(revised)
    assert f"督办单位（通报落款）：{ZSJ}（duban.toml 中的督办单位）" in said
    assert "未确定" not in said and "M111" not in said
    assert read_master_workbook(revised.root / "任务分工表.xlsx").organiser == ZSJ
    for period in ("2022-07", "2022-08"):
        result = _run(revised.root, "memo", "--period", period)
        assert "通报没有落款" not in result.stderr
        (memo,) = (revised.root / "通报").glob(f"{period[:4]}年{int(period[5:])}月/*.docx")
        assert ZSJ in [p.text.strip() for p in Document(memo).paragraphs]
