"""QA 105: four more ways an imported 任务分工 gave a unit a form it never answers, lost a task's
lead, or made a task 逾期 for good, each ending in a wrong public 未报送 or 逾期.

1. 黑龙江 2009 (黑政办发〔2009〕17号 style): the units are the item's last sentence, bare,
   ``…。省水利厅牵头，省发改委等单位配合。``, with no bracket and no 责任单位： label; the item
   was no task (or the document was refused as naming no units).
2. ``2024年6月底前完成，长期坚持``: a first milestone, then work kept up. Read as due on
   2024-06-30, the task was 逾期 every month after, whatever its units reported.
3. A 说明 / 填表说明 row between a Word table's header and its first task (QA 102 fixed .xlsx).
4. ``哈尔滨牵头，黑河、绥芬河市政府配合``: the bare 哈尔滨, closed by its own role word, stayed a
   unit of its own beside the 哈尔滨市政府 the document names elsewhere.
"""

from __future__ import annotations

import datetime as dt

import pytest
from test_master_import import docx, docx_merged
from test_qa102_master_faults import border_cities

from toolkit.dates import parse_deadline
from toolkit.master import import_master
from toolkit.units import Directory
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP
D = dt.date

TITLE = "黑龙江省人民政府办公厅关于印发黑龙江省十大工程推进工作方案的通知"


# -- 1. the units as the item's last sentence ---------------------------------------------------

def test_units_in_a_bare_last_sentence_of_an_item(tmp_path):
    path = docx(tmp_path / "方案.docx", [
        TITLE,
        "一、重点任务",
        "（一）加快水利基础设施建设。推进尼尔基水利枢纽配套工程和三江平原灌区建设，"
        "加强病险水库除险加固。省水利厅牵头，省发改委等单位配合。",
        "（二）加快公路建设。建成哈尔滨至同江等高速公路，改造国省干线公路1000公里。省交通运输厅负责。",
    ])
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["1", "2"]
    assert m.report.named["1"] == [("省水利厅", LEAD), ("省发改委", COOP)]
    assert m.report.named["2"] == [("省交通运输厅", LEAD)]
    first = m.task("1")
    assert first.content.endswith("加强病险水库除险加固。") and "牵头" not in first.content
    assert first.open_ended  # 等单位: maybe more than named


def test_a_sentence_that_mentions_a_department_is_no_unit(tmp_path):
    """Only a sentence that is nothing but units and role words names units: 由省财政厅负责 …
    inside the text, or 各级政府要对本地区水利建设负责, says who does what, not the item's units."""
    path = docx(tmp_path / "方案.docx", [
        TITLE,
        "一、重点任务",
        "（一）加快水利基础设施建设。推进三江平原灌区建设。各级政府要对本地区水利建设负责。"
        "（省水利厅负责）",
        "（二）加强资金保障。资金缺口较大的项目，由省财政厅会同省发改委统筹安排。省财政厅牵头，省发改委配合。",
        "（三）强化组织领导。各地要把十大工程列入重要议事日程，主要领导亲自负责。",
        "（四）加强水利建设。推进灌区续建配套。各级政府要对本地区水利建设负责。",
    ])
    m = import_master(path)
    assert m.report.named["1"] == [("省水利厅", LEAD)]
    assert "各级政府要对本地区水利建设负责" in m.task("1").content
    assert m.report.named["2"] == [("省财政厅", LEAD), ("省发改委", COOP)]
    assert "3" not in m.report.named or m.report.named["3"] == []
    assert "4" not in m.report.named or m.report.named["4"] == []  # a group's sentence, not a group
    assert {a.unit for a in m.assignments} == {"省水利厅", "省财政厅", "省发改委"}


def test_names_with_words_a_sentence_uses_are_units():
    """应急管理局 and 对外贸易 hold 应 and 对, words that otherwise mark a sentence about the work."""
    from toolkit.master.grammar import is_unit_sentence

    assert is_unit_sentence("市应急管理局牵头，市消防救援支队配合")
    assert is_unit_sentence("省商务厅、省对外贸易经济合作厅负责")
    assert is_unit_sentence("省发展改革委牵头，省对口支援办配合")
    assert is_unit_sentence("省供应链办牵头，省商务厅配合")
    assert not is_unit_sentence("各级政府要对本地区水利建设负责")


def test_a_cover_letter_sentence_is_no_task(tmp_path):
    path = docx(tmp_path / "方案.docx", [
        TITLE,
        "各市（地）人民政府，省政府各直属单位：",
        "经省政府同意，现将《黑龙江省十大工程推进工作方案》印发给你们，请认真贯彻落实。",
        "一、重点任务",
        "（一）加快水利基础设施建设。推进三江平原灌区建设。省水利厅牵头，省发改委配合。",
    ])
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["1"]


# -- 2. a milestone, then kept up ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["2024年6月底前完成，长期坚持", "2024年6月底（长期坚持）", "2024年12月底前建成并持续推进",
                                  "2024年—2025年，长期坚持"])
def test_a_milestone_kept_up_afterwards_is_ongoing(text):
    assert parse_deadline(text) == (None, True)
    assert parse_deadline("6月底前完成并长效运行", 2024) == (None, True)


def test_a_milestone_task_is_never_overdue_and_the_import_says_so(tmp_path):
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "建立企业诉求“接诉即办”机制。", "区营商办", "2024年6月底前完成，长期坚持"],
            ["2", "推行“免证办”服务。", "区政务服务中心", "2024年12月底前"]]
    m = import_master(docx(tmp_path / "t.docx", [rows]))
    t = m.task("1")
    assert t.ongoing and t.deadline_text == "2024年6月底前完成，长期坚持"
    assert not t.overdue_at(D(2024, 7, 31)) and not t.overdue_at(D(2026, 1, 1))
    assert m.task("2").overdue_at(D(2025, 1, 31))
    assert any("任务 1" in n and "长期" in n and "截止日期" in n for n in m.report.notes), m.report.notes
    assert "M103" not in {i.code for i in m.issues}


def test_an_office_can_still_date_the_milestone_in_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from toolkit.master.workbook import read_master_workbook, write_master_workbook

    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "建立企业诉求“接诉即办”机制。", "区营商办", "2024年6月底前完成，长期坚持"]]
    m = import_master(docx(tmp_path / "t.docx", [rows]))
    book = tmp_path / "任务清单.xlsx"
    write_master_workbook(m, book)
    assert read_master_workbook(book).task("1").ongoing
    wb = load_workbook(book)
    ws = wb["任务清单"]
    heads = [c.value for c in ws[1]]
    ws.cell(2, heads.index("截止日期") + 1).value = dt.datetime(2024, 6, 30)
    ws.cell(2, heads.index("长期") + 1).value = "否"
    wb.save(book)
    t = read_master_workbook(book).task("1")
    assert not t.ongoing and t.deadline == D(2024, 6, 30)


# -- 3. notes under a Word table's header ---------------------------------------------------------

HEADER = ["序号", "一级任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
TASKS = [["", "一、提升政务服务效能", "", "", "", ""],
         ["1", "", "推进高频事项网上办理，网上可办率达到95%以上。", "区政务服务中心", "区数据局", "2024年12月底前"],
         ["2", "", "推行“免证办”服务。", "区公安分局", "区民政局", "2024年第三季度"]]


@pytest.mark.parametrize("notes, merges", [
    ([["填表说明：牵头单位负责汇总报送进展；完成时限为“持续推进”的按季度报送。"] + [""] * 5], ((1, 0, 1, 5),)),
    ([["说明", "牵头单位负责汇总报送进展，配合单位按职责分工负责。"] + [""] * 4], ((1, 1, 1, 5),)),
    ([["注：", "1.牵头单位负责汇总报送进展。"] + [""] * 4, ["", "2.配合单位按职责分工负责。"] + [""] * 4],
     ((1, 1, 1, 5), (2, 1, 2, 5))),
])
def test_notes_under_a_word_tables_header_are_no_task(tmp_path, notes, merges):
    heading = len(notes) + 1
    rows = [HEADER, *notes, *TASKS]
    m = import_master(docx_merged(tmp_path / "任务清单.docx", rows, (*merges, (heading, 1, heading, 5))))
    assert [t.id for t in m.tasks] == ["1", "2"]
    assert {t.level1 for t in m.tasks} == {"一、提升政务服务效能"}
    assert m.report.named["1"] == [("区政务服务中心", LEAD), ("区数据局", COOP)]
    assert [i.code for i in m.issues if i.code in ("M101", "M104", "M105")] == []


# -- 4. a bare place closed by its own role word --------------------------------------------------

def test_a_bare_place_that_leads_takes_the_government_the_document_names(tmp_path):
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、扩大对外开放",
        "（一）推进对俄口岸建设。（哈尔滨牵头，黑河、绥芬河市政府配合）",
        "（二）建设哈尔滨新区。（哈尔滨市政府负责）",
    ])
    m = import_master(path)
    assert m.report.named["1"] == [("哈尔滨市政府", LEAD), ("黑河市政府", COOP), ("绥芬河市政府", COOP)]
    assert {a.unit for a in m.assignments} == {"哈尔滨市政府", "黑河市政府", "绥芬河市政府"}
    said = [i.message for i in m.issues if i.code == "M104" and i.task == "1"]
    assert any("“哈尔滨”" in s and "哈尔滨市政府" in s for s in said), said


def test_a_bare_place_that_leads_takes_the_directorys_government(tmp_path):
    directory = Directory(border_cities())
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、扩大对外开放",
        "（一）推进对俄口岸建设。（哈尔滨牵头，黑河、绥芬河市政府配合）",
    ])
    m = import_master(path, directory)
    assert {(a.unit, a.role) for a in m.assignments} == {
        ("哈尔滨市人民政府", LEAD), ("黑河市人民政府", COOP), ("绥芬河市人民政府", COOP)}
    assert "M102" not in {i.code for i in m.issues}


def test_a_bare_place_nobody_names_otherwise_is_said(tmp_path):
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、扩大对外开放",
        "（一）推进对俄口岸建设。（哈尔滨牵头，黑河、绥芬河市政府配合）",
    ])
    m = import_master(path)
    said = [i.message for i in m.issues if i.code == "M104" and i.task == "1"]
    assert any("“哈尔滨”" in s for s in said), said



def test_a_prefecture_written_bare_takes_its_administration(tmp_path):
    """大兴安岭 is governed by 大兴安岭地区行署, which the document names elsewhere."""
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、加快林区发展",
        "（一）推进林区转型。（大兴安岭牵头，伊春市政府配合）",
        "（二）建设寒地试车基地。（大兴安岭地区行署负责）",
    ])
    m = import_master(path)
    assert m.report.named["1"] == [("大兴安岭地区行署", LEAD), ("伊春市政府", COOP)]


@pytest.mark.parametrize("cell", ["海关牵头，黑河、绥芬河市政府配合", "省商务厅牵头，黑河、绥芬河市政府配合"])
def test_a_unit_or_sector_beside_places_is_left_alone(tmp_path, cell):
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、扩大对外开放",
        f"（一）推进对俄口岸建设。（{cell}）",
    ])
    m = import_master(path)
    first = m.report.named["1"][0][0]
    assert first == cell.split("牵头")[0]
    assert not [i for i in m.issues if i.code == "M104" and "只写了地名" in i.message]


def test_the_2009_task_division_sentence_names_the_lead_not_the_leader(tmp_path):
    """黑政办发〔2009〕17号 closes each 工程 with ``任务分工：吕维峰副省长负责，省农委总牵头。``."""
    path = docx(tmp_path / "方案.docx", [
        TITLE,
        "（一）千亿斤粮食产能工程。到2012年粮食综合生产能力达到1000亿斤。任务分工：吕维峰副省长负责，省农委总牵头。",
    ])
    m = import_master(path)
    assert m.report.named["1"] == [("省农委", LEAD)]
    assert m.task("1").content.endswith("达到1000亿斤。")
