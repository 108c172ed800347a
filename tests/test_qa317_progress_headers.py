"""QA317: QA314 gave headers that name how the work went (工作进展, 推进情况, 存在问题, 下一步) a
role of their own, read by nothing (M115). Headers of a plan that only mention progress lost
their column with it, though they hold the task or what it is to achieve: 进展目标 (the target a
plan sets), 工作进展要求, 存在问题及整改措施 (a 整改 list's measures, the task's text), 工作任务及推进
情况 (a 台账's task with its progress beside it). They are read as they were before QA314."""

from __future__ import annotations

import pytest
from conftest import sheet_table

from toolkit.master import import_master
from toolkit.master.columns import role_of


@pytest.mark.parametrize(("label", "role"), [
    ("进展目标", "goal"), ("年度进展目标", "goal"), ("一季度进展目标", "goal"),
    ("工作进展要求", "content"), ("工作目标及进展要求", "content"),
    ("存在问题及整改措施", "content"), ("存在的问题和整改措施", "content"),
    ("工作任务及推进情况", "task"), ("主要任务及完成情况", "task"), ("建设内容及进展", "content"),
])
def test_a_plan_header_that_mentions_progress_keeps_its_role(label, role):
    assert role_of(label) == role


@pytest.mark.parametrize("label", [
    "进展情况、存在问题及下一步工作建议", "工作进展", "完成情况", "推进情况", "落实情况", "办理情况",
    "完成情况及下一步打算", "工作进展及成效", "下一步工作计划",
])
def test_a_header_of_progress_alone_is_still_read_by_nothing(label):
    assert role_of(label) is None


def _master(tmp_path, rows):
    return import_master(sheet_table(tmp_path / "t.xlsx", rows))


def test_a_rectification_lists_measures_are_its_tasks(tmp_path):
    """序号 | 存在问题及整改措施 | 责任单位 | 整改时限: refused as a table with no task text."""
    master = _master(tmp_path, [["序号", "存在问题及整改措施", "责任单位", "整改时限"],
                                ["1", "老旧小区消防通道堵塞，开展集中清理。", "县住建局", "2024年6月底"],
                                ["2", "农贸市场占道经营，建立长效管理机制。", "县市场监管局", "2024年9月底"]])
    assert [(t.id, t.content) for t in master.tasks] == [
        ("1", "老旧小区消防通道堵塞，开展集中清理。"), ("2", "农贸市场占道经营，建立长效管理机制。")]
    assert [a.unit for a in master.assignments] == ["县住建局", "县市场监管局"]


def test_a_plans_progress_target_is_kept_in_the_tasks_note(tmp_path):
    master = _master(tmp_path, [["序号", "重点任务", "进展目标", "牵头单位", "完成时限"],
                                ["1", "建成城市书房10家。", "6月底前建成5家。", "县文广旅体局", "2024年12月底"]])
    assert [(t.content, t.note) for t in master.tasks] == [("建成城市书房10家。", "进展目标：6月底前建成5家。")]
    assert not [i for i in master.issues if i.code == "M115"]
