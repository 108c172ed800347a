"""QA206: a plan written as numbered paragraphs keeps every heading level, as a table does (QA202).

丽水市 市政府工作报告重点工作责任分解(2023年), https://www.lishui.gov.cn/art/2023/7/11/art_1229738349_57348087.html
(tests/corpus/masters/prose_lishui_2023.docx): 一、 › 1. tasks, then 二、重点抓好六方面工作 ›
(一)全力以赴拼经济稳增长促发展。 › 10. task, each task followed by a 责任单位 line. The part from
1.实施招商引资“百千”行动 on is made up in the same layout, one level deeper (task 10's own words
split into (1) (2) sub-items with their units, as county plans write 一、 › （一） › 1. › （1）): the
innermost heading alone was the 二级任务, so (一) was lost and every 1. of every part read as one group.
"""

from __future__ import annotations

from test_master_import import docx

from toolkit.master.importer import import_master
from toolkit.master.prose import prose_tasks
from toolkit.master.summary import summary_lines
from toolkit.master.tables import Paragraph

TITLE = "市政府工作报告重点工作责任分解(2023年)"
TARGETS = "一、全市经济社会发展主要预期目标"
SECTION = "二、重点抓好六方面工作"
PART = "(一)全力以赴拼经济稳增长促发展。"
LISHUI = [
    TITLE, TARGETS,
    "1.生产总值增长6%以上,高质量前提下能快则快。", "责任单位:市发改委",
    "2.规上工业增加值增长8%。", "责任单位:市经信局",
    SECTION, PART,
    "10.实施招商引资“百千”行动,每年招引亿元以上制造业项目100个,带动未来五年制造业投资1000亿元以上。",
    "责任单位:市双招双引办、市发改委、市经信局,各县(市、区)政府、丽水开发区管委会",
]
ITEM = "1.实施招商引资“百千”行动"
DEEPER = [
    *LISHUI[:-2], ITEM,
    "(1)每年招引亿元以上制造业项目100个。(责任单位:市双招双引办)",
    "(2)带动未来五年制造业投资1000亿元以上。(责任单位:市发改委、市经信局)",
]


def _levels(lines):
    return [(t.level1, t.level2) for t in prose_tasks([Paragraph(t, i) for i, t in enumerate(lines)], "丽水.docx")]


def test_lishui_tasks_under_a_section_and_a_part_keep_both_as_before():
    """一、 › （一） › 10. : two headings over the task, imported exactly as before."""
    assert _levels(LISHUI) == [(TARGETS, ""), (TARGETS, ""), (SECTION, PART)]


def test_a_fourth_level_keeps_the_part_between_section_and_item():
    assert _levels(DEEPER)[2:] == [(SECTION, f"{PART} / {ITEM}")] * 2


def test_unnumbered_tasks_under_three_headings_keep_them_all():
    """A task paragraph with no number of its own, its units in a clause, under 1. of (一) of 二、."""
    lines = [*LISHUI[:-2], ITEM, "每年招引亿元以上制造业项目100个。(责任单位:市双招双引办)"]
    assert _levels(lines)[2:] == [(SECTION, f"{PART} / {ITEM}")]


def test_the_same_item_under_two_parts_stays_two_groups():
    """(一) and a made-up (二) both open with 1.实施…: their tasks were one 二级任务 group."""
    lines = [*DEEPER, "(二)统筹推进城乡一体发展。", ITEM, "(1)每年招引亿元以上制造业项目100个。(责任单位:市双招双引办)"]
    levels = _levels(lines)
    assert levels[-1] == (SECTION, f"(二)统筹推进城乡一体发展。 / {ITEM}")
    assert levels[-1][1] != levels[2][1]


def test_the_imported_docx_keeps_the_levels_and_the_summary_says_they_were_joined(tmp_path):
    master = import_master(docx(tmp_path / "丽水.docx", DEEPER))
    assert master.report.layout == "正文编号段落"
    levels = {t.level2 for t in master.tasks if t.level1 == SECTION}
    assert levels == {f"{PART} / {ITEM}"}
    lines = summary_lines(master)
    assert f"  {SECTION}：2 项" in lines
    assert any(line.startswith("分工表的标题有三级或以上") and "（2 项任务）" in line for line in lines)


def test_the_two_level_docx_says_nothing_of_levels(tmp_path):
    master = import_master(docx(tmp_path / "丽水.docx", LISHUI))
    assert [(t.level1, t.level2) for t in master.tasks] == [(TARGETS, ""), (TARGETS, ""), (SECTION, PART)]
    assert not any("三级" in line for line in summary_lines(master))
