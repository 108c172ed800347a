"""QA359: two more provinces' tables (长沙 2012, 福建 2015, in tests/corpus/masters), read right.

长沙's 牵头单位 column comes first and is merged down over its tasks, each name broken by hand
down the narrow cell (``市\\n监\\n察\\n局``): read one unit a line, the tasks went to 市, 监, 察 and
局, each with a form nobody would answer. Rows under merged unit cells (市发改委's four targets;
福建's 2. and 3. under 1.'s lead) were glued onto the task above as one text, their tasks lost.
``财政局和市直各单位`` was one group, 财政局 lost. All without a word.
"""

from __future__ import annotations

import pytest
from conftest import sheet_table

from toolkit.master import import_master, parse_departments
from toolkit.master.titles import issuing_body, project_name
from toolkit.master.vertical import down_the_column
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


@pytest.mark.parametrize("text, name", [
    ("市政\n府办\n公厅", "市政府办公厅"),
    ("长沙\n先导\n区管委会", "长沙先导区管委会"),
    ("市\n监\n察\n局", "市监察局"),
    ("市\n发\n改\n委", "市发改委"),
])
def test_a_name_written_down_a_narrow_cell_is_one_unit(text, name):
    assert parse_departments(text).entries == [(name, LEAD)]


@pytest.mark.parametrize("text", [
    "县水务局\n县住建局\n县护城河指挥部",  # 大竹 2016: a unit a line
    "区财政局\n区税务局",
    "发改局\n统计局",
    "妇联\n团委",  # units of two characters each
    "财政\n税务\n人行",  # bare sectors: no name together
    "各镇\n街道",  # a group
    "高新园\n(邹区镇)",  # a bracket's line: `join_wrapped_brackets`' to read
    "发改局、\n统计局",
    "县发改\n县财政局",  # review: two names, the second opening with the first's level
    "市发改\n市统计局",
])
def test_a_unit_a_line_stays_a_unit_a_line(text):
    assert down_the_column(text) == text


@pytest.mark.parametrize("text, entries", [
    ("审计局、财政局和市直各单位、各区县市",
     [("审计局", COOP), ("财政局", COOP), ("市直各单位", COOP), ("各区县市", COOP)]),
    ("工信委、岳麓区和市直相关单位", [("工信委", COOP), ("岳麓区", COOP), ("市直相关单位", COOP)]),
    ("省财政厅及各设区市", [("省财政厅", COOP), ("各设区市", COOP)]),
    ("市委宣传部和市直各单位", [("市委宣传部", COOP), ("市直各单位", COOP)]),  # review: 部 ends a unit too
    # 和 inside a name is no separator
    ("市住房和城乡建设局", [("市住房和城乡建设局", COOP)]),
    ("人力资源和社会保障局、自然资源和规划局", [("人力资源和社会保障局", COOP), ("自然资源和规划局", COOP)]),
])
def test_a_unit_and_a_group_joined_by_he_are_two(text, entries):
    assert parse_departments(text, COOP).entries == entries


def test_rows_under_merged_unit_cells_are_tasks_of_their_own(tmp_path):
    """长沙 2012: the lead first, merged over its targets, and one 责任单位 cell merged over them."""
    path = sheet_table(tmp_path / "长沙.xlsx", [
        ("牵头单位", "目标任务", "责任单位"),
        ("市\n发\n改\n委", "地区生产总值增长13%", "统计局和市直相关单位、各区县市"),
        (None, "固定资产投资增长20%", None),
        (None, "单位地区生产总值综合能耗下降3.5%", None),
        ("市\n监\n察\n局", "严肃查处利用职权或公共资源谋取私利的腐败行为", "审计局、财政局"),
    ], merges=("A2:A4", "C2:C4"))
    master = import_master(path)
    assert [(t.id, t.content) for t in master.tasks] == [
        ("1", "地区生产总值增长13%"), ("2", "固定资产投资增长20%"), ("3", "单位地区生产总值综合能耗下降3.5%"),
        ("4", "严肃查处利用职权或公共资源谋取私利的腐败行为")]
    for tid in ("1", "2", "3"):
        assert master.units_of(tid, LEAD) == ["市发改委"] and master.units_of(tid, COOP) == ["统计局"]
    assert master.units_of("4", LEAD) == ["市监察局"]
    assert sorted(u.name for u in master.directory.units) == ["审计局", "市发改委", "市监察局", "统计局", "财政局"]


def test_a_numbered_row_under_merged_cells_is_its_own_task(tmp_path):
    """福建 2015: 2. and 3. under 1.'s merged lead and 责任单位, numbered in their text."""
    path = sheet_table(tmp_path / "福建.xlsx", [
        ("工作任务", "牵头单位", "责任单位"),
        ("(一)推进行政权力清单公开", None, None),
        ("1.政府工作部门行政审批项目取消、下放信息公开", "省编办", "省直各部门"),
        ("2.政府工作部门权力清单信息公开", None, None),
        ("3.行政审批事项信息公开", None, None),
    ], merges=("A2:C2", "B3:B5", "C3:C5"))
    master = import_master(path)
    assert [(t.id, t.content) for t in master.tasks] == [
        ("1", "政府工作部门行政审批项目取消、下放信息公开"), ("2", "政府工作部门权力清单信息公开"),
        ("3", "行政审批事项信息公开")]
    assert all(master.units_of(t.id, LEAD) == ["省编办"] for t in master.tasks)


def test_a_text_continued_on_a_row_of_its_own_still_continues_the_task(tmp_path):
    """A row Word split across a page, its unit cells empty (not merged): the task above's text."""
    path = sheet_table(tmp_path / "续行.xlsx", [
        ("序号", "工作任务", "牵头单位", "配合单位"),
        ("1", "推进政务服务事项标准化，", "市政数局", "市司法局"),
        (None, "编制并公布实施清单。", None, None),
        ("2", "推进一网通办。", "市政数局", None),
    ])
    master = import_master(path)
    assert [(t.id, t.content) for t in master.tasks] == [
        ("1", "推进政务服务事项标准化，编制并公布实施清单。"), ("2", "推进一网通办。")]


@pytest.mark.parametrize("title, body, name", [
    ("长沙市人民政府关于对2012年《政府工作报告》目标任务实施责任分解管理的通知", "长沙市人民政府",
     "2012年《政府工作报告》目标任务"),
    ("长沙市人民政府2012年《政府工作报告》目标任务责任分解表", "长沙市人民政府", "2012年《政府工作报告》目标任务"),
    ("某某县人民政府办公室2024年重点工作任务分工表", "某某县人民政府办公室", "2024年重点工作任务"),
    # a department's extract of the government's table names no issuer (谯城区教育局, QA321)
    ("谯城区教育局2025年政府工作报告重点工作任务分解表", "", None),
    ("2024年《政府工作报告》重点工作目标任务分解表", "", "2024年《政府工作报告》重点工作"),
])
def test_a_government_named_before_the_year_issued_the_table(title, body, name):
    assert issuing_body(title) == body
    if name is not None:
        assert project_name(title, "x") == name
