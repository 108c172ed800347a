"""QA220: a column of a quarter's, month's or stage's plan beside the task is a stage of the task,
kept in its note, never the task's text.

Modelled on 宁波市象山县泗洲头镇《2024年度重点工作计划二季度执行情况》 (see test_qa219_review): the
task is named in 重点工作, the quarter's arrangement sits in 工作任务安排/第二季度. Matched by 任务,
that column took the task's text and pushed 重点工作 up into a 一级 heading; bare quarter columns
(一季度 … 四季度) had no role and were dropped without a word.
"""

from __future__ import annotations

import pytest
from test_master_import import docx_merged, xlsx

from toolkit.master import import_master
from toolkit.master.columns import role_of

TASKS = [("1", "白仙山水库工程政策处理", "白仙山水库工程政策处理工作领导小组"),
         ("2", "现代化美丽城镇", "乡村振兴办")]
PLANS = {"1": ["完成政策处理方案", "推进坟墓迁移工作。", "完成库区清理", "大坝主体完工"],
         "2": ["项目立项", "按照时间节点开展项目建设。", "完成投资3000万元", "通过省级验收"]}


def _by_id(m):
    return {t.id: t for t in m.tasks}


@pytest.mark.parametrize("header", ["工作任务安排\n第二季度", "第二季度", "二季度", "季度安排", "2024年6月工作安排",
                                    "上半年工作计划", "阶段性任务"])
def test_a_period_plan_is_a_stage_column(header):
    assert role_of(header) == "stage"


@pytest.mark.parametrize("header, role", [("重点工作", "task"), ("工作任务", "task"), ("攻坚目标任务", "content"),
                                          ("进度安排", "deadline"), ("时间节点", "deadline"), ("阶段目标", "goal"),
                                          ("完成情况", None), ("2024年度重点工作", "task")])
def test_other_headers_keep_their_role(header, role):
    assert role_of(header) == role


def test_four_quarter_columns_are_notes_and_the_key_work_the_task(tmp_path):
    rows = [["序号", "重点工作", "责任科室", "一季度", "二季度", "三季度", "四季度"]]
    rows += [[i, name, unit, *PLANS[i]] for i, name, unit in TASKS]
    t = _by_id(import_master(xlsx(tmp_path / "t.xlsx", rows)))
    assert [t[i].name or t[i].content for i, _n, _u in TASKS] == [n for _i, n, _u in TASKS]
    assert not any(x.level1 for x in t.values())
    assert "二季度：推进坟墓迁移工作。" in t["1"].note and "四季度：通过省级验收" in t["2"].note
    assert all(x.deadline is None for x in t.values())  # plans, not dates


def test_quarters_under_a_task_arrangement_header_are_notes(tmp_path):
    rows = [["序号", "重点工作", "责任科室", "攻坚目标任务", "工作任务安排", "", "", ""],
            ["", "", "", "", "第一季度", "第二季度", "第三季度", "第四季度"]]
    rows += [[i, name, unit, "完成年度目标。", *PLANS[i]] for i, name, unit in TASKS]
    path = docx_merged(tmp_path / "t.docx", rows, merges=((0, 4, 0, 7), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2),
                                                          (0, 3, 1, 3)))
    t = _by_id(import_master(path))
    assert sorted(t) == ["1", "2"]
    assert t["1"].name == "白仙山水库工程政策处理" and t["1"].content == "完成年度目标。"
    assert not t["1"].level1
    assert "第二季度：推进坟墓迁移工作。" in t["1"].note and "第四季度：大坝主体完工" in t["1"].note


def test_a_months_arrangement_is_a_note_beside_the_task(tmp_path):
    rows = [["序号", "工作任务", "2024年6月工作安排", "责任单位", "完成时限"],
            ["1", "白仙山水库工程政策处理", "推进坟墓迁移工作。", "白仙山水库工程政策处理工作领导小组", "2024年12月底前"]]
    (task,) = import_master(xlsx(tmp_path / "t.xlsx", rows)).tasks
    assert "推进坟墓迁移工作。" not in (task.name, task.content)
    assert "白仙山水库工程政策处理" in (task.name, task.content)
    assert task.note == "2024年6月工作安排：推进坟墓迁移工作。"
    assert str(task.deadline) == "2024-12-31"


@pytest.mark.parametrize("header", ["工作任务", "二季度工作任务"])
def test_the_only_text_column_stays_the_task(tmp_path, header):
    rows = [["序号", header, "责任单位"], ["1", "现代化美丽城镇", "乡村振兴办"]]
    (task,) = import_master(xlsx(tmp_path / "t.xlsx", rows)).tasks
    assert "现代化美丽城镇" in (task.name, task.content) and not task.note
