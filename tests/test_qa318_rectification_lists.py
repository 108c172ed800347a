"""QA318: a 整改清单 (巡察反馈问题整改清单, 审计整改台账: 序号 | 存在问题 | 整改措施 | 责任单位 | 整改时限)
lost its problems: 存在问题, 问题描述, 反馈问题, 主要问题 were read by nothing (M115), and only the
measures became the tasks, which the form prints and the 通报 names. A table whose only text header is
下一步整改措施 was refused. The problem is the task's name, the measures its text. 立行立改 was said
as an unreadable 完成时限 (M103), and 立行立改，2024年6月底前完成 lost its date."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import sheet_table

from toolkit import errors
from toolkit.master import import_master
from toolkit.master.columns import role_of


def _master(tmp_path, rows):
    return import_master(sheet_table(tmp_path / "t.xlsx", rows))


@pytest.mark.parametrize("header", ["存在问题", "问题描述", "反馈问题", "主要问题", "问题清单", "存在的问题"])
def test_the_problem_is_the_tasks_name_and_the_measures_its_text(tmp_path, header):
    master = _master(tmp_path, [["序号", header, "整改措施", "责任单位", "整改时限"],
                                ["1", "老旧小区消防通道堵塞。", "开展集中清理。", "县住建局", "2024年6月底前"],
                                ["2", "农贸市场占道经营。", "建立长效管理机制。", "县市场监管局", "长期坚持"]])
    assert [(t.id, t.name, t.content) for t in master.tasks] == [
        ("1", "老旧小区消防通道堵塞。", "开展集中清理。"), ("2", "农贸市场占道经营。", "建立长效管理机制。")]
    assert [(t.deadline, t.ongoing) for t in master.tasks] == [(dt.date(2024, 6, 30), False), (None, True)]
    assert not [i for i in master.issues if i.code in ("M115", "M103")]


def test_a_list_whose_only_text_is_the_next_measures_is_imported(tmp_path):
    """序号 | 存在问题 | 下一步整改措施 | 责任单位 | 整改时限: refused (没有工作任务或具体内容列)."""
    master = _master(tmp_path, [["序号", "存在问题", "下一步整改措施", "责任单位", "整改时限"],
                                ["1", "资金拨付进度慢。", "加快拨付进度。", "县财政局", "2024年9月底前"]])
    assert [(t.name, t.content) for t in master.tasks] == [("资金拨付进度慢。", "加快拨付进度。")]


def test_at_once_is_no_date_and_said_as_such(tmp_path):
    master = _master(tmp_path, [["序号", "反馈问题", "整改措施", "责任单位", "整改时限"],
                                ["1", "消防通道堵塞。", "集中清理。", "县住建局", "立行立改"],
                                ["2", "占道经营。", "建立长效机制。", "县市场监管局", "立行立改，长期坚持"],
                                ["3", "资金拨付慢。", "加快拨付。", "县财政局", "立行立改，2024年6月底前完成"]])
    assert [(t.deadline_text, t.deadline, t.ongoing) for t in master.tasks] == [
        ("立行立改", None, False), ("立行立改，长期坚持", None, True),
        ("立行立改，2024年6月底前完成", dt.date(2024, 6, 30), False)]
    assert not [i for i in master.issues if i.code == "M103"]
    # a 整改清单's: 整改任务 and 整改时限, as its form says them (QA334)
    assert ("1 项整改任务的整改时限为“立行立改”（没有写日期），按无时限导入，不判逾期：任务 1。"
            "如要到期未完成即判逾期，请在“任务清单”表中填写该任务的“截止日期”。") in master.report.notes


def test_a_progress_reports_problems_are_still_read_by_nothing(tmp_path):
    """No 整改 column: 存在问题 is how the work went, as 进展情况 beside it is (QA314, QA317)."""
    master = _master(tmp_path, [["序号", "工作任务", "责任单位", "进展情况", "存在问题", "下一步工作计划"],
                                ["1", "建成城市书房10家。", "县文广旅体局", "已建成3家。", "选址难。", "加快选址。"]])
    assert [(t.name, t.content) for t in master.tasks] == [("", "建成城市书房10家。")]
    assert [i.message.split("”")[0] for i in master.issues if i.code == "M115"] == [
        "第4列（D列）“进展情况", "第5列（E列）“存在问题", "第6列（F列）“下一步工作计划"]


@pytest.mark.parametrize("label", ["问题类别", "问题整改情况", "整改进展", "整改完成情况"])
def test_no_other_header_is_a_problem(label):
    assert role_of(label) != "problem"


def test_one_problem_over_two_measures_is_the_name_of_both(tmp_path):
    """审计发现的问题 merged down over two measures, each with its own unit and 整改时限: two tasks."""
    master = import_master(sheet_table(tmp_path / "t.xlsx", [
        ["序号", "审计发现的问题", "整改措施", "责任单位", "整改时限"],
        ["1", "议事决策不规范。", "修订议事规则。", "县委办", "立行立改"],
        ["", "", "开展专项检查。", "县纪委监委", "2024年6月底前"]], ("A2:A3", "B2:B3")))
    assert [(t.id, t.name, t.content) for t in master.tasks] == [
        ("1", "议事决策不规范。", "修订议事规则。"), ("1-2", "议事决策不规范。", "开展专项检查。")]
    assert [a.unit for a in master.assignments] == ["县委办", "县纪委监委"]


def test_how_the_measures_went_is_no_measures(tmp_path):
    """序号 | 存在问题 | 整改措施落实情况 | 责任单位: a report of how the 整改 went, no list of tasks."""
    with pytest.raises(errors.NotAMasterList, match="没有工作任务或具体内容列"):
        _master(tmp_path, [["序号", "存在问题", "整改措施落实情况", "责任单位"],
                           ["1", "资金拨付进度慢。", "已拨付80%。", "县财政局"]])
