"""Two real notices: 成都 2019 and 三门峡 2023 (tests/corpus/masters/prose_*).

成都 2019 (成办发〔2019〕5号): a 数据提供单位 label, and a notice title quoted whole in 《》.

The reprint of the 成都市人民政府办公厅 notice (tests/corpus/masters/prose_chengdu_2019.docx) closes
each target with ``(牵头领导:X,牵头单位:Y,责任单位:Z,数据提供单位:W)`` and prints the title as
``《成都市人民政府办公厅关于印发…的通知》``. Before: 数据提供单位:市统计局 was a unit of that name
(leading where no 责任单位 came before it), and the issuer was 《成都市人民政府办公厅.

三门峡 2023 (三政办〔2023〕1号) closes each target with a bare list ``(市发展改革委,各县〔市、区〕政府)``,
no role word or label: the whole document was refused as naming no units.
"""

from __future__ import annotations

from docx import Document

from toolkit.master import import_master
from toolkit.master.grammar import is_unit_clause, parse_departments
from toolkit.master.importer import issuing_body, project_name
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP
def _docx(tmp_path, name, *paragraphs):
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / name
    doc.save(str(path))
    return path


TITLE = "《成都市人民政府办公厅关于印发2019年〈政府工作报告〉确定的主要目标任务责任分解方案的通知》"


def test_data_provider_cooperates_after_a_lead():
    parsed = parse_departments("(牵头领导:谢瑞武,牵头单位:市发改委,数据提供单位:市统计局)")
    assert parsed.entries == [("市发改委", LEAD), ("市统计局", COOP)]


def test_data_provider_after_a_semicolon_and_a_cooperating_unit():
    parsed = parse_departments("(牵头领导:刘筱柳,牵头单位:市人社局,责任单位:市农业农村局;数据提供单位:成调队)")
    assert parsed.entries == [("市人社局", LEAD), ("市农业农村局", COOP), ("成调队", COOP)]


def test_title_quoted_whole_names_its_issuer_and_work():
    assert issuing_body(TITLE) == "成都市人民政府办公厅"
    assert project_name(TITLE, "x") == "2019年〈政府工作报告〉确定的主要目标任务责任分解方案"
    # 《》 inside a title still names the work it issues
    inner = "立山区人民政府关于印发《立山区政府2023年重点工作任务分解和责任分工方案》的通知"
    assert issuing_body(inner) == "立山区人民政府"
    assert project_name(inner, "x") == "立山区政府2023年重点工作"
    # a title that only starts with a quoted name is not quoted whole (unchanged)
    assert project_name("《2023年政府工作报告》重点工作任务分解表", "x") == "《2023年政府工作报告》重点工作任务"


def test_chengdu_items_import_without_label_units(tmp_path):
    master = import_master(_docx(
        tmp_path, "成都.docx", TITLE, "一、 经济社会发展主要预期目标",
        "(一) 地区生产总值增长7.5%左右。(牵头领导:谢瑞武,牵头单位:市发改委,数据提供单位:市统计局)",
        "(四) 一般公共预算收入与经济保持同步增长。(牵头领导:谢瑞武,牵头单位:市财政局,责任单位:市税务局)"))
    assert master.organiser == "成都市人民政府办公厅"
    assert {a.unit for a in master.assignments} == {"市发改委", "市统计局", "市财政局", "市税务局"}
    assert master.units_of(master.tasks[0].id, Role.LEAD) == ["市发改委"]


def test_bare_list_of_units_closes_an_item():
    assert is_unit_clause("(市发展改革委,各县〔市、区〕政府)")
    assert is_unit_clause("(市人力资源社会保障局、农业农村局,各县〔市、区〕政府)")
    # a bracketed place, scope or note is no list of units
    for note in ("（含高新区）", "（市本级）", "（市高新区）", "（试行）", "(此件公开发布)", "（2023—2025年）", "（各县区）"):
        assert not is_unit_clause(note), note
    # an unbracketed sentence of bare names still needs a role word
    assert not is_unit_clause("市发展改革委，市财政局")


def test_sanmenxia_items_import_with_their_units(tmp_path):
    master = import_master(_docx(
        tmp_path, "三门峡.docx", "三门峡市人民政府办公室\n关于明确政府工作报告提出的2023年重点工作\n责任单位的通知",
        "一、2023年经济社会发展主要预期目标分解", "1.地区生产总值增长7%以上。(市发展改革委,各县〔市、区〕政府)",
        "10.居民人均可支配收入与经济增长基本同步。(市人力资源社会保障局、农业农村局,各县〔市、区〕政府)"))
    assert [t.id for t in master.tasks] == ["1", "10"]
    assert master.tasks[0].content == "地区生产总值增长7%以上。"
    assert master.units_of("1", Role.LEAD) == ["市发展改革委"]
    assert master.units_of("10", Role.LEAD) == ["市人力资源社会保障局", "农业农村局"]
    assert "各县〔市、区〕政府" in master.report.groups
