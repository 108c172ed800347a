"""QA169: real 任务分工表 from places the corpus did not cover, imported task by task.

Tables (built from ``tests/corpus/masters/sources``; see that folder's README for the portions):

* 常州市钟楼区 2024年《政府工作报告》主要目标任务责任分解表 (``zhonglou_mbrw_2024.xlsx``),
  https://www.zhonglou.gov.cn/html/czzl/2024/FPJALMLN_0311/21514.html — targets (1)–(5) under one
  merged 序号, leader / lead / 配合单位 cells merged over several targets, and a 配合单位 cell whose
  unit wraps before its bracket: ``高新园`` / ``(邹区镇)``. The importer made ``(邹区镇)`` a unit of its
  own (and ``高新园`` another), so a form went out to “(邹区镇)” and none to 高新园(邹区镇).
* 常州市钟楼区 2021年重大民生实事项目目标任务责任分解表 (``zhonglou_mssx_2021.docx``),
  https://1wenmi.com/doc/507125.html — project 3 merged over two contents with their own leads.
* 杭州市上城区 2019年《政府工作报告》目标任务分解表 (``shangcheng_mbrw_2019.docx``),
  https://www.hzsc.gov.cn/art/2019/8/23/art_1229231327_1983682.html — a note line above the header,
  spaced-out headers, a 目标类型 column (A类) that is no deadline.

The corpus test (``test_master_corpus.py``) holds all three to their ``.expected.json``; this file
names the failures found and the neighbouring cell shapes the fix must keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.vocab import Role

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


def _named(master, task_id, role):
    return [n for n, r in master.report.named[task_id] if r == role]


@pytest.fixture(scope="module")
def zhonglou_2024():
    return import_master(CORPUS / "zhonglou_mbrw_2024.xlsx")


def test_a_bracket_wrapped_onto_its_own_line_stays_with_its_unit(zhonglou_2024):
    """配合单位 “经开区 / 高新园 / (邹区镇) / 各街道 / 统计局”: 高新园(邹区镇) is one unit."""
    for task in zhonglou_2024.tasks:
        assert _named(zhonglou_2024, task.id, Role.COOP) == ["经开区", "高新园(邹区镇)", "各街道", "统计局"]
    units = {a.unit for a in zhonglou_2024.assignments}
    assert "高新园(邹区镇)" in units
    assert not units & {"(邹区镇)", "高新园"}


def test_merged_leads_carry_to_every_target_they_span(zhonglou_2024):
    leads = {t.id: _named(zhonglou_2024, t.id, Role.LEAD) for t in zhonglou_2024.tasks}
    assert leads == {"1": ["发改局"], "1-2": ["财政局"], "1-3": ["商务局"], "1-4": ["商务局"], "1-5": ["商务局"]}
    assert [t.content[:3] for t in zhonglou_2024.tasks] == ["(1)", "(2)", "(3)", "(4)", "(5)"]


def test_the_same_page_s_safety_row_keeps_its_bracket():
    """Row (7) of the same table: 牵头单位 “应急管理局 / (安委办)”, 配合单位 “区安委会各成员单位”."""
    from toolkit.master.grammar import join_wrapped_brackets

    parsed = parse_departments("应急管理局\n(安委办)")
    join_wrapped_brackets(parsed, lambda name: False)  # no 单位名录, as 钟楼's table is imported
    assert [n for n, _r in parsed.entries] == ["应急管理局(安委办)"]
    # a 单位名录 listing 应急管理局: the bureau keeps its task, the bracket is a note, said (QA172,
    # QA176); one naming a listed unit is that unit
    parsed = parse_departments("应急管理局\n(安委办)")
    join_wrapped_brackets(parsed, lambda name: name == "应急管理局")
    assert [n for n, _r in parsed.entries] == ["应急管理局"]
    assert parsed.problems == ["中“应急管理局”后的“(安委办)”不是单位名录中的单位，已作为说明去掉"]
    parsed = parse_departments("应急管理局\n(安委办)")
    join_wrapped_brackets(parsed, lambda name: name in ("应急管理局", "安委办"))
    assert [n for n, _r in parsed.entries] == ["应急管理局", "安委办"]


@pytest.mark.parametrize("cell", ["发改局\n(牵头)\n统计局", "发改局\n（牵头）\n统计局"])
def test_a_lead_mark_wrapped_onto_its_own_line_still_marks_the_unit_before(cell):
    """The 钟楼 cells wrap at the bracket; a wrapped （牵头） mark was dropped, so 统计局 led too."""
    parsed = parse_departments(cell)
    assert parsed.entries == [("发改局", Role.LEAD), ("统计局", Role.COOP)]


def test_people_on_their_own_line_are_still_the_unit_s_contacts():
    parsed = parse_departments("市发改委\n（张三、李四）\n市财政局")
    assert [n for n, _r in parsed.entries] == ["市发改委", "市财政局"]
    assert any("联系人" in p for p in parsed.problems)


def test_a_project_merged_over_two_contents_is_two_tasks():
    master = import_master(CORPUS / "zhonglou_mssx_2021.docx")
    assert [t.id for t in master.tasks] == ["1", "2", "3", "3-2"]
    assert _named(master, "3", Role.LEAD) == ["文体旅局"]
    assert _named(master, "3-2", Role.LEAD) == ["住建局"]
    assert _named(master, "3-2", Role.COOP) == ["五星街道", "南大街街道", "荷花池街道"]


def test_a_target_class_column_is_no_deadline():
    master = import_master(CORPUS / "shangcheng_mbrw_2019.docx")
    (task,) = master.tasks
    assert (task.name, task.content, task.deadline_text) == ("地区生产总值", "增长5.5%(市下达指标)", "")
    assert master.report.has_deadline_column is False
    assert master.organiser == "杭州市上城区人民政府办公室"


def test_numbered_targets_in_one_cell_are_said_not_silently_one_task(tmp_path):
    """钟楼 2024 section 2 prints targets (8), (9), (10) as lines of one 工作标准 cell (the stored
    copy cuts the row before its units: the units here stand in for them). One task for the
    three, one progress report a month: the import says so (M114) instead of keeping quiet."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年《政府工作报告》主要目标任务责任分解表"])
    ws.append(["序号", "目标名称", "工 作 标 准", "区政府\n分管领导", "牵头单位", "配合单位"])
    ws.append(["2", "聚焦产业强区不动摇,高效统筹存量和增量,以更实举措推动产城融合",
               "(8)健全驻点招商、基金招商等机制,优化招商图谱,提升招引精度。\n"
               "(9)强化重大项目要素保障,新增入库省、市重大项目7个以上,区重点产业项目完成投资超60亿元。",
               "王旭锋", "商务局", "发改局"])
    path = tmp_path / "钟楼2024.xlsx"
    wb.save(path)
    master = import_master(path)
    assert [t.id for t in master.tasks] == ["2"]
    (said,) = [i for i in master.issues if i.code == "M114"]
    assert said.task == "2"
    assert "2 个编号事项（(8)、(9)）" in said.message and "拆成多项任务" in said.message


def test_one_numbered_target_per_cell_says_nothing():
    master = import_master(CORPUS / "zhonglou_mbrw_2024.xlsx")
    assert not [i for i in master.issues if i.code == "M114"]
