"""QA 102: three ways an imported 任务分工表 made units that do not exist, or a task that is none.

Each such unit gets a 填报表 nobody answers and is named 未报送 in the public 通报.

1. The first-listed-leads rule worded as 区/县 分工方案 word it after a list — ``（排名第一为牵头
   单位）``, ``（排名第一的为牵头单位）``, ``（第一个为牵头单位）`` — or in a 注 | text row under an
   .xlsx table: the bracket stayed in the last unit's name (市商务局（排名第一为牵头单位）) and
   every unit led; the 注 row was not heard (only a one-text row was).
2. A 填表说明 / 说明 / 注 row between the header and the first task of an .xlsx 任务清单 (as 区
   sheets print their filling notes, QA 100's layout): merged across, it was read as more header
   and the table was refused; as 注： | 1.… it became a task 注: whose words were units.
3. ``哈尔滨、黑河、绥芬河市政府负责``: 黑龙江 documents write the level and 政府 once, after the
   last place of a list (口岸 and 对俄合作 tasks); 哈尔滨 and 黑河 were units of their own.
"""

from __future__ import annotations

import pytest
from test_master_import import docx, xlsx

from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.units import Directory, Unit
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


# -- 1. the first-listed-leads rule worded otherwise ------------------------------------------

@pytest.mark.parametrize("cell", [
    "县发改局、县财政局、县商务局（排名第一为牵头单位）",
    "县发改局、县财政局、县商务局（排名第一的为牵头单位）",
    "县发改局、县财政局、县商务局（第一个为牵头单位）",
    "县发改局、县财政局、县商务局（排在第一位的为牵头单位）",
    "县发改局、县财政局、县商务局(排名第一位的为牵头单位)",
])
def test_first_listed_leads_bracketed_after_a_list(cell):
    parsed = parse_departments(cell)
    assert parsed.entries == [("县发改局", LEAD), ("县财政局", COOP), ("县商务局", COOP)]
    assert parsed.declares_first_leads and parsed.problems == []


def test_first_listed_leads_said_in_a_prose_clause_holds_from_there_on(tmp_path):
    """（X、Y负责，排名第一的为牵头单位） closing a numbered paragraph: 排名第一的 was a unit that led."""
    path = docx(tmp_path / "分工.docx", [
        "某县2024年优化营商环境工作任务分工方案",
        "一、提升政务服务效能",
        "（一）推进高频事项网上办理。（县政务服务中心、县数据局负责，排名第一的为牵头单位）",
        "（二）推行“免证办”服务。（县公安局、县民政局负责）",
    ])
    m = import_master(path)
    assert m.report.named == {"1": [("县政务服务中心", LEAD), ("县数据局", COOP)],
                              "2": [("县公安局", LEAD), ("县民政局", COOP)]}


TABLE = [["序号", "工作任务", "责任单位", "完成时限"],
         [1, "推进高频事项网上办理。", "区政务服务中心、区数据局", "2024年12月底前"],
         [2, "推行“免证办”服务。", "区公安分局、区民政局、区人社局", "2024年第三季度"]]


@pytest.mark.parametrize("notes", [
    [["注", "责任单位中排名第一的为牵头单位。", None, None]],
    [["注：", "1.责任单位排名第一的为牵头单位。", None, None], [None, "2.本表由区营商办负责解释。", None, None]],
])
def test_first_listed_leads_in_a_note_row_under_the_table(tmp_path, notes):
    merges = tuple(f"B{r}:D{r}" for r in range(len(TABLE) + 1, len(TABLE) + len(notes) + 1))
    m = import_master(xlsx(tmp_path / "t.xlsx", [*TABLE, *notes], merges))
    assert m.report.named["1"] == [("区政务服务中心", LEAD), ("区数据局", COOP)]
    assert m.report.named["2"] == [("区公安分局", LEAD), ("区民政局", COOP), ("区人社局", COOP)]
    assert len(m.tasks) == 2


def test_first_in_a_task_text_is_no_rule():
    """第一 elsewhere (争创全省第一) says nothing about who leads."""
    assert parse_departments("县发改局、县财政局").entries == [("县发改局", LEAD), ("县财政局", LEAD)]
    assert not parse_departments("县发改局、县财政局（第一季度完成）").declares_first_leads


# -- 2. notes between the header and the first task --------------------------------------------

HEADER = ["序号", "一级任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
TASKS = [[None, "一、提升政务服务效能", None, None, None, None],
         [1, None, "推进高频事项网上办理，网上可办率达到95%以上。", "区政务服务中心", "区数据局", "2024年12月底前"],
         [2, None, "推行“免证办”服务。", "区公安分局", "区民政局", "2024年第三季度"]]


@pytest.mark.parametrize("notes, merges", [
    ([["填表说明：牵头单位负责汇总报送进展；完成时限为“持续推进”的按季度报送。"] + [None] * 5], ("A2:F2",)),
    ([["说明", "牵头单位负责汇总报送进展，配合单位按职责分工负责。"] + [None] * 4], ("B2:F2",)),
    ([["注：", "1.牵头单位负责汇总报送进展。"] + [None] * 4, [None, "2.配合单位按职责分工负责。"] + [None] * 4],
     ("B2:F2", "B3:F3")),
])
def test_notes_under_the_header_are_no_task_and_the_tasks_follow(tmp_path, notes, merges):
    heading = len(notes) + 2
    rows = [HEADER, *notes, *TASKS]
    m = import_master(xlsx(tmp_path / "任务清单.xlsx", rows, (*merges, f"B{heading}:F{heading}")))
    assert [t.id for t in m.tasks] == ["1", "2"]
    assert {t.level1 for t in m.tasks} == {"一、提升政务服务效能"}
    assert m.report.named["1"] == [("区政务服务中心", LEAD), ("区数据局", COOP)]
    assert [i.code for i in m.issues if i.code in ("M101", "M104", "M105")] == []


def test_a_note_column_label_under_a_spanning_header_is_still_header(tmp_path):
    """备注 | 联系人 under 其他: a second header row, not notes (the 说明 label is the header's)."""
    rows = [["序号", "工作任务", "责任单位", "完成时限", "其他", None],
            [None, None, None, None, "备注", "联系人"],
            [1, "推进高频事项网上办理。", "区政务服务中心", "2024年12月底前", "按月报送", "张三"]]
    m = import_master(xlsx(tmp_path / "t.xlsx", rows, ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1")))
    assert [t.id for t in m.tasks] == ["1"]
    assert m.report.named["1"] == [("区政务服务中心", LEAD)]


# -- 3. the level written once at the end of a list of places -----------------------------------

@pytest.mark.parametrize("cell, entries, restored", [
    ("哈尔滨、黑河、绥芬河市政府负责", [("哈尔滨市政府", LEAD), ("黑河市政府", LEAD), ("绥芬河市政府", LEAD)], True),
    ("省商务厅牵头，黑河、绥芬河、东宁市人民政府配合",
     [("省商务厅", LEAD), ("黑河市人民政府", COOP), ("绥芬河市人民政府", COOP), ("东宁市人民政府", COOP)], True),
    ("道里、道外、南岗区政府", [("道里区政府", LEAD), ("道外区政府", LEAD), ("南岗区政府", LEAD)], True),
    ("责任单位：抚远、饶河县政府", [("抚远县政府", LEAD), ("饶河县政府", LEAD)], True),
    # not places: a sector written bare, a group, a unit
    ("海关、国税、哈尔滨市政府", [("海关", LEAD), ("国税", LEAD), ("哈尔滨市政府", LEAD)], False),
    ("各县、市、区政府", [("各县、市、区政府", LEAD)], False),
    ("省发改委、黑河市政府", [("省发改委", LEAD), ("黑河市政府", LEAD)], False),
])
def test_the_level_written_once_after_a_list_of_places(cell, entries, restored):
    parsed = parse_departments(cell)
    assert parsed.entries == entries
    assert any("省略了单位级别" in p for p in parsed.problems) == restored


def border_cities() -> list[Unit]:
    """The three city governments a 黑龙江 directory lists by full name, the document by short."""
    return [Unit(f"{place}市人民政府", "市政府", aliases=(f"{place}市政府",)) for place in ("哈尔滨", "黑河", "绥芬河")]


def test_places_of_a_province_document_are_their_governments(tmp_path):
    """The directory lists the cities' governments; 哈尔滨 and 黑河 got forms of their own (M102)."""
    directory = Directory([Unit("黑龙江省商务厅", "省直部门", aliases=("省商务厅",)), *border_cities()])
    path = docx(tmp_path / "意见.docx", [
        "黑龙江省人民政府关于落实《政府工作报告》重点工作部门分工的意见",
        "一、扩大对外开放",
        "（一）推进对俄口岸建设。（省商务厅、哈尔滨、黑河、绥芬河市政府负责）",
    ])
    m = import_master(path, directory)
    assert {a.unit for a in m.assignments} == {"黑龙江省商务厅", "哈尔滨市人民政府", "黑河市人民政府", "绥芬河市人民政府"}
    assert "M102" not in {i.code for i in m.issues}


@pytest.mark.parametrize("pieces", [["市财政局", "发改", "虎门镇政府"], ["宣传", "统战", "某某县政府"]])
def test_a_department_written_bare_before_a_government_is_no_place(pieces):
    """发改、财政、某某镇政府: a department's short name before a town's government is a unit of
    its own; it became 发改镇政府 (review of QA 102)."""
    from toolkit.master.grammar import restore_trailing_levels

    problems: list[str] = []
    assert restore_trailing_levels(pieces, problems) == pieces and problems == []
