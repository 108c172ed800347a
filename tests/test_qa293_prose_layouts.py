"""QA293: two prose layouts from the corpus (沁县 2025, 石景山 2019) and the guards around them."""

from __future__ import annotations

from toolkit.master.prose import prose_tasks
from toolkit.master.tables import Paragraph


def _tasks(*lines: str):
    return prose_tasks([Paragraph(text, i) for i, text in enumerate(lines)], "t.docx")


def test_a_heading_naming_the_lead_and_a_count_leads_its_items():
    tasks = _tasks("一、县示范区管委会牵头工作(8项)", "1.打造食用菌酵素生产基地。", "2.建设产业园。")
    assert [(t.explicit_id, t.level1, t.units[0][0]) for t in tasks] == [
        ("1", "一、县示范区管委会牵头工作(8项)", "县示范区管委会牵头"),
        ("2", "一、县示范区管委会牵头工作(8项)", "县示范区管委会牵头"),
    ]


def test_a_heading_without_a_count_names_no_lead():
    assert _tasks("一、县示范区管委会牵头工作", "1.打造食用菌酵素生产基地。") == []


def test_a_unit_list_wrapped_onto_the_next_line_is_one_list():
    tasks = _tasks("1.完善机制。", "牵头单位:区委组织部", "协办单位:区委编办、园区党工", "委、各街道党工委")
    assert tasks[0].units[0][0] == "牵头单位:区委组织部\n协办单位:区委编办、园区党工委、各街道党工委"


def test_a_signature_or_page_number_after_the_units_is_no_unit():
    tasks = _tasks("1.完善机制。", "责任单位:区发改局", "— — — 3 —", "立山区人民政府")
    assert tasks[0].units[0][0] == "责任单位:区发改局"


def test_a_numbered_heading_after_the_units_continues_no_list():
    tasks = _tasks("9.完成省定任务。", "责任单位:市人力社保局、市发改委分别牵头", "二、重点抓好六方面工作",
                   "10.实施招商引资。", "责任单位:市发改委")
    assert tasks[0].units[0][0] == "责任单位:市人力社保局、市发改委分别牵头"


def test_a_wrapped_heading_is_one_group():
    tasks = _tasks("一、提高城市基层党建工作水平,加强党对基层治理的全面", "领导", "1.完善机制。",
                   "责任单位:区委组织部")
    assert tasks[0].level1 == "一、提高城市基层党建工作水平,加强党对基层治理的全面领导"
