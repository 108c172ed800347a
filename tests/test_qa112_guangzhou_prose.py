"""QA112: 广州 2012 关于推进人才集聚工程的实施意见 (tests/corpus/masters/prose_guangzhou_rencai_2012.docx).

Items numbered 1.–45. straight through 一、/（一）, each ending ``（牵头单位：X，配合单位：Y，各区、县级市）``.
Before: ``11.121人才梯队项目`` was no item (a digit after the dot), so item 10 became a heading,
11 took id 10 and every id got its heading's number (1.2, 2.9 …); ``各区、县级市`` became the
group 各区 and a unit 县级市; each group was its heading's whole 80-character paragraph.
"""

from __future__ import annotations

from toolkit.master.grammar import parse_departments
from toolkit.master.prose import prose_tasks
from toolkit.master.tables import Paragraph
from toolkit.vocab import Role

LINES = [
    "二、实施六大人才行动计划",
    "（二）科技创新人才行动计划。围绕加快建设国家创新型城市，突出培养造就创新型科技人才，大力引进科研"
    "创新团队和领军人才来穗发展，大力开发青年英才，实施如下重点项目：",
    "9.“百人计划”拓展项目。深入实施“创新创业领军人才百人计划”。（牵头单位：市委组织部，配合单位："
    "市科技和信息化局、市人力资源和社会保障局）",
    "10.“羊城学者”特聘岗位项目。面向全市高校、科研机构和企事业单位择优设立50个“羊城学者”特聘岗位。"
    "（牵头单位：市委组织部，配合单位：各有关单位）",
    "11.121人才梯队项目。重点培养不少于10名站在世界科技前沿的中国科学院、中国工程院院士后备人才。"
    "（牵头单位：市人力资源和社会保障局，配合单位：各区、县级市）",
    "12.博士后培养项目。深入实施博士后培养工程，5年内培养资助博士后研究人员不少于400名。"
    "（牵头单位：市人力资源和社会保障局，配合单位：各区、县级市）",
]


def _tasks(lines=LINES):
    return prose_tasks([Paragraph(t, i) for i, t in enumerate(lines)], "广州.docx")


def test_an_item_whose_name_starts_with_a_digit_is_the_next_item():
    tasks = _tasks()
    assert [t.explicit_id for t in tasks] == ["9", "10", "11", "12"]
    eleven = tasks[2]
    assert eleven.name == "121人才梯队项目"
    assert eleven.content.startswith("重点培养不少于10名")


def test_a_number_with_a_decimal_out_of_sequence_stays_text():
    # 2.5亿元 right after item 9 is no item 2 (nor 10): it continues item 9's text.
    lines = [*LINES[:3], "2.5亿元用于人才专项资金。", *LINES[3:]]
    tasks = _tasks(lines)
    assert [t.explicit_id for t in tasks] == ["9", "10", "11", "12"]


def test_a_heading_that_describes_its_items_is_named_by_its_first_sentence():
    tasks = _tasks()
    assert {t.level2 for t in tasks} == {"（二）科技创新人才行动计划。"}
    assert {t.level1 for t in tasks} == {"二、实施六大人才行动计划"}


def test_districts_and_county_level_cities_stay_one_group_phrase():
    for clause, supports in [
        ("（牵头单位：市人力资源和社会保障局，配合单位：各区、县级市）", ["各区、县级市"]),
        ("（牵头单位：市农业局，配合单位：市科协，各有关区、县级市）", ["市科协", "各有关区、县级市"]),
        ("（牵头单位：市委组织部，配合单位：市科技和信息化局、市财政局、越秀区）",
         ["市科技和信息化局", "市财政局", "越秀区"]),
    ]:
        entries = parse_departments(clause).entries
        assert [n for n, r in entries if r == Role.COOP] == supports, clause


def test_a_label_before_a_broken_group_phrase_no_longer_splits_it():
    # 滁州's 各县、市、区政府 was put back only when no label opened the list.
    entries = parse_departments("牵头单位：市商务局，配合单位：各县、市、区政府").entries
    assert entries == [("市商务局", Role.LEAD), ("各县、市、区政府", Role.COOP)]
