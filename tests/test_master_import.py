"""Issue 13: any city's 任务分工表 imports right, or says exactly why not.

Small tables built here exercise one rule each: column roles by meaning, heading rows,
merges, groups against the directory in use, the organiser, the import report.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from toolkit import errors
from toolkit.actions.init import init_workspace
from toolkit.actions.master_import import import_master_file
from toolkit.groups import group_kind, is_group
from toolkit.master import (
    import_master,
    issuing_body,
    parse_departments,
    read_master_workbook,
    split_units,
    summary_lines,
    write_master_workbook,
)
from toolkit.master.workbook import REPORT_SHEET
from toolkit.units import Directory, Unit, default_directory
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP
CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"


def xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    for m in merges:
        wb.active.merge_cells(m)
    wb.save(path)
    return path


def docx(path: Path, blocks: list) -> Path:
    """``blocks``: strings are paragraphs, lists of rows are tables."""
    import docx as python_docx

    d = python_docx.Document()
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
            continue
        t = d.add_table(rows=len(b), cols=len(b[0]))
        for r, row in enumerate(b):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    d.save(str(path))
    return path


def roles(master, task_id: str) -> dict[str, str]:
    return {a.unit: a.role for a in master.assignments if a.task == task_id}


# ---------------------------------------------------------------------------- the unit grammar


@pytest.mark.parametrize("text, pieces", [
    ("各县(市、区)政府、市直相关部门", ["各县(市、区)政府", "市直相关部门"]),
    ("各县（市、区）人民政府，各乡镇（街道）；市公安局\n市司法局", ["各县（市、区）人民政府", "各乡镇（街道）", "市公安局", "市司法局"]),
    ("市委（市政府（含（派出）机构）、办公室）、市财政局", ["市委（市政府（含（派出）机构）、办公室）", "市财政局"]),
    ("市经信局、中新苏滁高新区管委会等,各县、市、区政府", ["市经信局", "中新苏滁高新区管委会等", "各县、市、区政府"]),
    ("市直相关部门、单位", ["市直相关部门、单位"]),
])
def test_units_split_never_inside_brackets(text, pieces):
    assert split_units(text) == pieces


@pytest.mark.parametrize("text, entries", [
    ("市公安局牵头，市司法局配合", [("市公安局", LEAD), ("市司法局", COOP)]),
    ("市公安局牵头市司法局配合", [("市公安局", LEAD), ("市司法局", COOP)]),
    ("市公安局（牵头）、市司法局、市民政局", [("市公安局", LEAD), ("市司法局", COOP), ("市民政局", COOP)]),
    ("各县（市、区）按职责分工负责", [("各县（市、区）", LEAD)]),
    ("牵头单位：区发改局；责任单位：各街道、区直各部门", [("区发改局", LEAD), ("各街道", COOP), ("区直各部门", COOP)]),
    ("责任单位:市人力社保局、市农业农村局分别牵头", [("市人力社保局", LEAD), ("市农业农村局", LEAD)]),
    ("牵头负责领导:金力。\n牵头责任单位:市财政局。\n协同责任单位:市税务局等,各县、市、区政府。",
     [("市财政局", LEAD), ("市税务局", COOP), ("各县、市、区政府", COOP)]),
    ("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）", [("人力资源社会保障部", LEAD), ("财政部", COOP)]),
    # 潍坊 2017 (tests/corpus/masters): a role word followed by 落实, never a unit called 落实.
    ("市发改委牵头落实", [("市发改委", LEAD)]),
    ("市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实",
     [("市金融办", LEAD), ("人民银行潍坊市中心支行", LEAD), ("潍坊银监分局", LEAD)]),
    ("市公安局负责落实", [("市公安局", LEAD)]),
    ("办公室牵头落实,各科室配合落实", [("办公室", LEAD), ("各科室", COOP)]),
    # the role said as a predicate (a QA helper's probe): not units named 市发改委为牵头单位, both leading
    ("市发改委为牵头单位，市财政局、市税务局为配合单位", [("市发改委", LEAD), ("市财政局", COOP), ("市税务局", COOP)]),
    ("市发改委为主办单位，市财政局为协办单位", [("市发改委", LEAD), ("市财政局", COOP)]),
    ("市发改委为责任单位", [("市发改委", LEAD)]),
    # A role word alone as a label, and marks beyond 牵头/配合: the label stayed in the unit's name
    # and every unit led; X（主办） became a unit called so, cooperating.
    ("牵头：市发改委；配合：市财政局、市自然资源局", [("市发改委", LEAD), ("市财政局", COOP), ("市自然资源局", COOP)]),
    ("主责：市发改委 协办：市财政局", [("市发改委", LEAD), ("市财政局", COOP)]),
    ("牵头科室：办公室；配合科室：各科室", [("办公室", LEAD), ("各科室", COOP)]),
    ("市发改委（主办）、市财政局（协办）", [("市发改委", LEAD), ("市财政局", COOP)]),
    ("市发改委（主责）、市财政局", [("市发改委", LEAD), ("市财政局", COOP)]),
    # Only the cooperating unit marked: the unmarked one leads (it cooperated before: M106).
    ("市发改委，市财政局（配合）", [("市发改委", LEAD), ("市财政局", COOP)]),
])
def test_unit_grammar_of_published_tables(text, entries):
    assert parse_departments(text).entries == entries


def test_the_first_leads_convention_holds_for_the_rest_of_the_document():
    first = parse_departments("（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）")
    assert first.declares_first_leads
    later = parse_departments("（海关总署、商务部负责）", first_leads=True)
    assert later.entries == [("海关总署", LEAD), ("商务部", COOP)]
    both = parse_departments("（农业农村部、工业和信息化部牵头负责）", first_leads=True)
    assert both.entries == [("农业农村部", LEAD), ("工业和信息化部", LEAD)]


@pytest.mark.parametrize("phrase, family", [
    ("各镇街（园区）", "town"), ("各乡镇(街道)", "town"), ("各街道(功能区)", "town"),
    ("各县(市、区)政府", "county"), ("各县、市、区政府", "county"),
    ("市直有关部门", "dept"), ("市直相关部门", "dept"), ("市各有关部门", "dept"), ("区直各部门", "dept"),
    ("各科室", "section"), ("各省级人民政府", "province"), ("全区经济运行各专班", "other"),
    # 崇川 2023 (tests/corpus/masters): 相关街道 beside 各街道. A phrase led by 相关/有关/涉及/属地
    # names the concerned units, never one: made a unit, the 通报 would name it 未报送.
    ("相关街道", "town"), ("有关乡镇", "town"), ("相关镇（街道）", "town"), ("涉及乡镇", "town"),
    ("属地街道", "town"), ("有关县（市、区）", "county"), ("相关市直部门", "dept"), ("有关县直单位", "dept"),
    ("市公安局", None), ("东莞市税务局", None), ("办公室", None),
])
def test_groups_recognised_by_shape(phrase, family):
    assert group_kind(phrase) == family
    assert is_group(phrase) is (family is not None)


# ---------------------------------------------------------------------------- columns and rows


def test_a_minsheng_shishi_column_is_the_task_and_a_merged_number_keeps_the_numbering(tmp_path):
    """大竹 2016 (tests/corpus/masters): a 民生实事 column holds the tasks; 序号 5 merged over two
    rows is 5 and 5-2, and the other tasks keep their printed numbers."""
    path = xlsx(tmp_path / "t.xlsx", [
        ["序号", "民生实事", "责任单位", "完成时限"],
        [4, "建成县残疾人综合服务中心。", "县残联", "5月底前动工"],
        [5, "开工建设县老年养护楼。", "县民政局", "5月底前动工"],
        [None, "开工建设老年大学。", None, "12月底前"],
        [6, "迁建县政务服务中心。", "县政务服务中心\n县代建中心", "12月底前"],
    ], merges=("A3:A4", "C3:C4"))
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["4", "5", "5-2", "6"]
    assert m.task("5-2").content == "开工建设老年大学。"
    assert m.units_of("5-2", LEAD) == ["县民政局"]
    assert m.units_of("6", LEAD) == ["县政务服务中心", "县代建中心"]
    assert not [i for i in m.issues if i.code == "M105"]


def test_lead_and_responsible_columns_both_count(tmp_path):
    """牵头单位 leads and 责任单位 beside it supports; a 工作任务 merged over rows is a group."""
    path = xlsx(tmp_path / "t.xlsx", [
        ["某市2023年政务公开重点任务分工表"],
        ["序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限"],
        ["（一）推进政府门户网站群建设"],
        [1, "集约建设", "整合部门网站。", "市信息化办", "市直各部门", "2023年6月底前"],
        [2, None, "统一技术平台。", "市行政审批局（牵头）、市大数据中心", "各县(市、区)政府", "2023年12月"],
        ["（二）深化政策解读"],
        [3, "政策解读", "同步解读。", "市政府办公室", None, "长期"],
    ], merges=("A1:F1", "A3:F3", "B4:B5", "A6:F6"))
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["1", "2", "3"]
    assert [t.level1 for t in m.tasks] == ["（一）推进政府门户网站群建设"] * 2 + ["（二）深化政策解读"]
    assert m.task("1").level2 == "集约建设" and m.task("2").level2 == "集约建设"
    assert m.task("2").content == "统一技术平台。"
    assert roles(m, "1") == {"市信息化办": LEAD}
    assert m.report.named["1"] == [("市信息化办", LEAD), ("市直各部门", COOP)]
    assert m.report.named["2"] == [("市行政审批局", LEAD), ("市大数据中心", COOP), ("各县(市、区)政府", COOP)]
    assert not {a.unit for a in m.assignments} & {"（一）推进政府门户网站群建设", "各县(市", "区)政府", "单位"}
    assert m.task("3").ongoing


def test_a_text_column_merged_down_over_its_rows_is_a_heading_not_the_task(tmp_path):
    """潍坊 2017 (tests/corpus/masters): 目标 | 任务 | 主要内容 | 责任单位, 目标 and 任务 merged
    down over their rows. 目标 reads like a text header, but its merged cells are headings."""
    path = xlsx(tmp_path / "t.xlsx", [
        ["目标", "任务", "主要内容", "责任单位"],
        ["一、以政务公开助力稳增长", "(一)加强预期引导", "及时宣传解读。", "市发改委牵头落实"],
        [None, None, "加强就业创业政策信息公开。", "市人社局牵头落实"],
        [None, "(二)加强政策解读", "深入解读政策。", "市财政局牵头落实"],
    ], merges=("A2:A4", "B2:B3"))
    m = import_master(path)
    assert [(t.id, t.level1, t.level2, t.content) for t in m.tasks] == [
        ("1.1", "一、以政务公开助力稳增长", "(一)加强预期引导", "及时宣传解读。"),
        ("1.2", "一、以政务公开助力稳增长", "(一)加强预期引导", "加强就业创业政策信息公开。"),
        ("2.1", "一、以政务公开助力稳增长", "(二)加强政策解读", "深入解读政策。"),
    ]
    assert m.report.named["1.2"] == [("市人社局", LEAD)]
    assert not [i for i in m.issues if i.code in ("M104", "M107")]


@pytest.mark.parametrize("labels", [("主要目标", "工作内容"), ("工作目标", "工作措施"), ("目标任务", "具体内容")])
def test_of_two_text_columns_the_first_names_the_task_and_the_last_is_its_text(tmp_path, labels):
    """Both read as text columns: only the first was read, and the second's words were lost
    without a warning. A text repeated in two rows (not merged) is still the text."""
    path = xlsx(tmp_path / "t.xlsx", [
        ["序号", *labels, "责任单位"],
        [1, "优化营商环境", "按季度报送进展情况。", "市发改局"],
        [2, "深化放管服改革", "按季度报送进展情况。", "市政数局"],
        [3, "推进数字政府", "建设一网通办平台。", "市政数局"],
    ])
    m = import_master(path)
    assert [(t.id, t.name, t.content) for t in m.tasks] == [
        ("1", "优化营商环境", "按季度报送进展情况。"), ("2", "深化放管服改革", "按季度报送进展情况。"),
        ("3", "推进数字政府", "建设一网通办平台。")]


def docx_merged(path: Path, rows: list[list], merges: tuple[tuple[int, int, int, int], ...] = ()) -> Path:
    """One Word table; ``merges``: (row, col, last row, last col) keeping the first cell's text."""
    import docx as python_docx

    d = python_docx.Document()
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = "" if text is None else str(text)
    for r0, c0, r1, c1 in merges:
        keep = t.cell(r0, c0).text
        merged = t.cell(r0, c0).merge(t.cell(r1, c1))
        for p in merged.paragraphs[1:]:
            p._element.getparent().remove(p._element)
        merged.paragraphs[0].text = keep
    d.save(str(path))
    return path


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("labels, units", [
    (("牵头单位", "责任单位", "配合单位"), [("市政数局", LEAD), ("市市场监管局", COOP), ("市司法局", COOP)]),
    (("牵头单位", "协同单位", "配合单位"), [("市政数局", LEAD), ("市市场监管局", COOP), ("市司法局", COOP)]),
])
def test_every_unit_column_counts(tmp_path, suffix, labels, units):
    """A third unit column was dropped without a warning: only one cooperating column was read."""
    rows = [["序号", "工作任务", *labels, "完成时限"], ["1", "推行告知承诺制。", "市政数局", "市市场监管局", "市司法局", "2024年6月底前"]]
    path = xlsx(tmp_path / "t.xlsx", rows) if suffix == "xlsx" else docx(tmp_path / "t.docx", [rows])
    assert import_master(path).report.named["1"] == units


@pytest.mark.parametrize("header, row, name, content, note", [
    (["重点任务", "具体措施", "预期目标"], ["优化审批服务", "推行告知承诺制。", "审批时限压缩50%"],
     "优化审批服务", "推行告知承诺制。", "预期目标：审批时限压缩50%"),
    (["工作任务", "工作目标"], ["推行告知承诺制。", "审批时限压缩50%"], "", "推行告知承诺制。", "工作目标：审批时限压缩50%"),
    (["重点任务", "工作目标", "具体措施"], ["稳就业", "新增就业1万人", "开展招聘活动。"],
     "稳就业", "开展招聘活动。", "工作目标：新增就业1万人"),
    (["重点任务", "工作措施", "工作成效", "考核指标"], ["优化审批服务", "推行告知承诺制。", "企业满意度提升", "压缩50%"],
     "优化审批服务", "推行告知承诺制。", "工作成效：企业满意度提升；考核指标：压缩50%"),
    (["年度目标"], ["新增就业1万人。"], "", "新增就业1万人。", ""),  # the only text column is the text
])
def test_a_goal_column_after_the_task_is_kept_in_its_note(tmp_path, header, row, name, content, note):
    """预期目标 after 具体措施 became the task's text (the last text column), 工作成效 its name."""
    path = xlsx(tmp_path / "t.xlsx", [["序号", *header, "责任单位", "完成时限"], [1, *row, "市政数局", "2024年6月底前"]])
    t = import_master(path).task("1")
    assert (t.name, t.content, t.note) == (name, content, note)


@pytest.mark.parametrize("where", ["header", "note row", "title row", "bracketed paragraph"])
def test_first_listed_leads_stated_beside_a_table(tmp_path, where):
    """Said in a header, a note or title row of a sheet, or a bracketed paragraph above a Word
    table, the convention was not read: all three led."""
    unit = "责任单位（排第一位的为牵头单位）" if where == "header" else "责任单位"
    rows = [["序号", "工作任务", unit, "完成时限"], [1, "推行告知承诺制。", "市政数局、市司法局、市市场监管局", "2024年6月底前"]]
    statement = "注：责任单位中排在第一位的为牵头单位。"
    if where == "note row":
        path = xlsx(tmp_path / "t.xlsx", [*rows, [statement]], merges=("A3:D3",))
    elif where == "title row":
        path = xlsx(tmp_path / "t.xlsx", [["某市任务分工表（列第一位者为牵头单位）"], *rows], merges=("A1:D1",))
    elif where == "bracketed paragraph":
        path = docx(tmp_path / "t.docx", ["某市任务分工表", "（责任单位列第一位者为牵头单位）",
                                           [[str(c) for c in r] for r in rows]])
    else:
        path = xlsx(tmp_path / "t.xlsx", rows)
    m = import_master(path)
    assert m.report.named["1"] == [("市政数局", LEAD), ("市司法局", COOP), ("市市场监管局", COOP)]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_units_listed_one_row_each_beside_a_merged_task_are_that_tasks(tmp_path, suffix):
    """The task's 序号, text and deadline merged over two rows, one unit a row: it was two tasks
    (1 and 1-2) with the same text, and the cooperating unit led the second."""
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", "推进重大项目建设。", "县发改局（牵头）", "2024年12月底前"],
            [None, None, "县财政局", None],
            ["2", "举办消费季活动。", "县商务局", "2024年6月底前"]]
    path = (xlsx(tmp_path / "t.xlsx", rows, merges=("A2:A3", "B2:B3", "D2:D3")) if suffix == "xlsx"
            else docx_merged(tmp_path / "t.docx", rows, ((1, 0, 2, 0), (1, 1, 2, 1), (1, 3, 2, 3))))
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["1", "2"]
    assert m.report.named["1"] == [("县发改局", LEAD), ("县财政局", COOP)]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_numbered_heading_rows_in_the_number_column(tmp_path, suffix):
    """（一） in the 序号 column, and 1 above 1.1 and 1.2, head the rows below; they were tasks
    without units (M101) and the rows below had no group."""
    rows = [["序号", "工作任务", "牵头单位", "完成时限"],
            ["一", "稳住经济大盘", "", ""],
            ["（一）", "扩大有效投资", "", ""],
            ["1", "推进重大项目建设。", "县发改局", "2024年12月底前"],
            ["（二）", "提振消费", "", ""],
            ["2", "举办消费季活动。", "县商务局", "2024年6月底前"]]
    dotted = [["序号", "工作任务", "牵头单位", "完成时限"],
              ["1", "稳住经济大盘", "", ""],
              ["1.1", "推进重大项目建设。", "县发改局", "2024年12月底前"],
              ["1.2", "抓好项目谋划。", "县发改局", "2024年6月底前"],
              ["2", "保障改善民生", "", ""],
              ["2.1", "稳定就业。", "县人社局", "长期坚持"]]
    build = (lambda name, r: xlsx(tmp_path / f"{name}.xlsx", r)) if suffix == "xlsx" else (
        lambda name, r: docx(tmp_path / f"{name}.docx", [r]))
    m = import_master(build("a", rows))
    assert [(t.id, t.level1, t.level2) for t in m.tasks] == [
        ("1", "一、稳住经济大盘", "（一）扩大有效投资"), ("2", "一、稳住经济大盘", "（二）提振消费")]
    m = import_master(build("b", dotted))
    assert [(t.id, t.level1) for t in m.tasks] == [
        ("1.1", "1、稳住经济大盘"), ("1.2", "1、稳住经济大盘"), ("2.1", "2、保障改善民生")]
    assert not [i for i in m.issues if i.code == "M101"]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_a_sub_header_without_a_role_of_its_own_is_read_with_the_label_over_it(tmp_path, suffix):
    """牵头 over 领导 | 单位: the second header row was a task, and the people the lead."""
    rows = [["序号", "工作任务", "牵头", "牵头", "配合单位", "完成时限"],
            [None, None, "领导", "单位", None, None],
            ["1", "推行告知承诺制。", "张三", "市政数局", "市司法局", "2024年6月底前"]]
    path = (xlsx(tmp_path / "t.xlsx", rows, merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2")) if suffix == "xlsx"
            else docx_merged(tmp_path / "t.docx", rows, ((0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4),
                                                        (0, 5, 1, 5))))
    m = import_master(path)
    assert [t.id for t in m.tasks] == ["1"]
    assert m.report.named["1"] == [("市政数局", LEAD), ("市司法局", COOP)]


def test_ditto_takes_the_task_above_and_more_header_wordings(tmp_path):
    """同上 was a unit called 同上; 时间进度 was no deadline column (M109); a 类别 column merged
    over its rows was left out, and its tasks had no group."""
    path = xlsx(tmp_path / "t.xlsx", [
        ["类别", "序号", "工作任务", "责任单位", "时间进度"],
        ["营商环境", 1, "推行告知承诺制。", "市政数局", "2024年6月底前"],
        [None, 2, "推行容缺受理。", "同上", "同上"],
    ], merges=("A2:A3",))
    m = import_master(path)
    assert m.report.named["2"] == [("市政数局", LEAD)]
    assert m.task("2").deadline == dt.date(2024, 6, 30) and m.report.has_deadline_column
    assert [t.level1 for t in m.tasks] == ["营商环境", "营商环境"]


def test_a_dated_deadline_kept_up_afterwards_is_ongoing_and_its_milestone_known():
    """2024年6月底前完成，长期坚持 is ongoing (QA 105: due on the milestone, it was 逾期 every
    month after); the milestone is what the import names (`milestone`)."""
    from toolkit.dates import milestone, parse_deadline

    assert parse_deadline("2024年6月底前完成，长期坚持") == (None, True)
    assert milestone("2024年6月底前完成，长期坚持") == dt.date(2024, 6, 30)
    assert milestone("2024年6月底（长期坚持）") == dt.date(2024, 6, 30)
    assert milestone("6月底前完成并长效运行", 2024) == dt.date(2024, 6, 30)
    assert milestone("长期坚持") is None and milestone("2024年6月底前") is None
    assert parse_deadline("2024年起持续推进") == (None, True)
    assert parse_deadline("长期坚持，2024年底前见效") == (None, True)


def test_heading_rows_are_never_tasks_and_a_heading_with_units_is_flagged(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "责任单位", "完成时限"],
        ["一", "加强平台建设", None, None],
        [1, "建设平台", "市数据局", "2023年12月"],
        [None, "（三）推进数据共享", "市数据局", None],
    ])
    m = import_master(path)
    assert [(t.id, t.level1) for t in m.tasks] == [("1", "一、加强平台建设"), ("1.1", "一、加强平台建设")]
    flagged = [i for i in m.issues if i.code == "M107"]
    assert len(flagged) == 1 and "（三）推进数据共享" in flagged[0].message
    assert [i.code for i in m.issues][:2] == ["M107", "M101"]  # ranked above everything else found


def test_numbered_paragraphs_above_tables_give_the_group(tmp_path):
    head = ["序号", "工作任务", "牵头单位", "完成时限"]
    path = docx(tmp_path / "分工.docx", [
        "某县2023年重点工作任务分工表",
        "一、稳住经济大盘",
        [head, ["1", "抓项目建设。", "县发改局", "2023年底"]],
        "二、保障改善民生",
        [head, ["1", "稳定就业。", "县人社局", "2023年底"], ["2", "办好教育。", "县教育局", "2023年9月"]],
    ])
    m = import_master(path)
    assert [(t.id, t.level1) for t in m.tasks] == [("1.1", "一、稳住经济大盘"), ("2.1", "二、保障改善民生"),
                                                   ("2.2", "二、保障改善民生")]
    assert m.directory.get("县发改局").kind == "县直部门"


def test_no_deadline_column_imports_with_one_warning(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["工作任务", "责任单位"], ["做好公开。", "办公室"], ["做好解读。", "办公室"]])
    m = import_master(path)
    assert len(m.tasks) == 2 and all(t.complete for t in m.tasks)
    assert all(t.deadline is None and not t.overdue_at(dt.date(2099, 1, 1)) for t in m.tasks)
    assert [i.code for i in m.issues].count("M109") == 1
    assert not any(i.code == "M101" for i in m.issues)
    assert not m.report.has_deadline_column


@pytest.mark.parametrize("rows, words", [
    ([["工作任务", "具体要求", "时限要求"], ["公开", "全面公开。", "年底前"]], ["找不到任务分工表的表头", "没有牵头单位或责任单位列"]),
    ([["序号", "牵头单位", "完成时限"], ["1", "市公安局", "2023年"]], ["找不到任务分工表的表头", "没有工作任务或具体内容列"]),
    ([["姓名", "电话"], ["张三", "123"]], ["找不到任务分工表的表头"]),
    ([["工作任务", "责任单位", "完成时限"]], ["只有表头，没有任务行"]),
])
def test_a_layout_that_cannot_be_understood_is_refused_naming_what_is_missing(tmp_path, rows, words):
    with pytest.raises(errors.NotAMasterList) as caught:
        import_master(xlsx(tmp_path / "x.xlsx", rows))
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in words)


# ---------------------------------------------------------------------------- the directory in use


def test_another_citys_group_is_flagged_not_expanded_to_dongguan(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [
        ["某市任务分工表"],
        ["工作任务", "牵头单位", "配合单位", "完成时限"],
        ["整合窗口。", "市行政审批局", "市直有关部门", "2023年6月"],
        ["统一办理。", "市直有关部门", None, "2023年6月"],
    ])
    m = import_master(path)
    assert m.units_of("1", COOP) == [] and m.units_of("2") == []  # a flat table is numbered 1, 2, …
    assert [i.code for i in m.issues][:2] == ["M106", "M108"]
    asked = import_master(path, use_bundled_directory=True)
    assert len(asked.units_of("1", COOP)) == 21 and "市行政审批局" in asked.units_of("1", LEAD)


def test_groups_expand_against_the_workspace_directory_with_its_own_kinds(tmp_path):
    directory = Directory([Unit("甲县人民政府", "县(市、区)"), Unit("乙区人民政府", "县(市、区)"),
                           Unit("市发展改革委", "市直部门"), Unit("丙镇", "乡镇(街道)")])
    path = xlsx(tmp_path / "t.xlsx", [
        ["工作任务", "牵头单位", "配合单位", "完成时限"],
        ["抓投资。", "市发改委", "各县(市、区)政府、各乡镇（街道）", "2023年"],
    ])
    m = import_master(path, directory)
    assert m.units_of("1", COOP) == ["甲县人民政府", "乙区人民政府", "丙镇"]
    assert m.report.groups == {"各县(市、区)政府": ["甲县人民政府", "乙区人民政府"], "各乡镇（街道）": ["丙镇"]}
    assert [i.code for i in m.issues] == ["M111", "M102"]  # 市发改委 is not how the directory spells it
    assert [u for u in directory.names] == ["甲县人民政府", "乙区人民政府", "市发展改革委", "丙镇"]


def test_import_into_a_dongguan_workspace_keeps_its_directory_out_of_other_cities(ws, tmp_path, seed_docx):
    target = tmp_path / "m.xlsx"
    shutil.copy(ws.master_path, target)
    again = import_master_file(seed_docx, target)
    assert len(again.units_with_tasks()) == 54  # a Dongguan table uses the workspace's Dongguan directory
    m = import_master_file(CORPUS / "prose_lishan_2023.docx", target)
    assert not any(a.unit in default_directory().names for a in m.assignments)
    assert any("内置的东莞市单位名录" in n for n in m.report.notes)


# ---------------------------------------------------------------------------- organiser


@pytest.mark.parametrize("title, body", [
    ("XX市人民政府办公室关于印发XX市2023年政务公开重点任务分工的通知", "XX市人民政府办公室"),
    ("国务院关于做好当前和今后一个时期促进就业工作的若干意见", "国务院"),
    ("运城市人民政府办公厅关于印发运城市突发事件应急体系建设“十三五”规划责任分解的通知", "运城市人民政府办公厅"),
    ("东莞市2022年政务服务全域标准化专项行动主要任务分工表", ""),
    ("市政府工作报告重点工作责任分解(2023年)", ""),
])
def test_organiser_is_the_issuing_body_in_the_title(title, body):
    assert issuing_body(title) == body


def test_organiser_is_never_invented(tmp_path, seed_docx):
    assert import_master(seed_docx).organiser == "东莞市政务服务数据管理局"  # the directory marks it
    path = xlsx(tmp_path / "t.xlsx", [["工作任务", "牵头单位", "完成时限"], ["整合。", "市公安局", "2023年"]])
    blank = import_master(path)
    assert blank.organiser == "" and "M111" in [i.code for i in blank.issues]
    named = import_master(path, organiser="某市政务服务中心")
    assert named.organiser == "某市政务服务中心" and "M111" not in [i.code for i in named.issues]


def test_init_takes_the_organiser_from_the_document_or_leaves_it_blank(tmp_path):
    ws, m = init_workspace(tmp_path / "a", CORPUS / "prose_chuzhou_2020.docx", period="2020-06")
    assert m.organiser == "滁州市人民政府" and ws.organiser == "滁州市人民政府"
    ws, _ = init_workspace(tmp_path / "b", CORPUS / "jiangmen_tdcb_zwgk_tasks.xlsx", period="2020-06")
    assert ws.organiser == ""
    ws, _ = init_workspace(tmp_path / "c", CORPUS / "jiangmen_tdcb_zwgk_tasks.xlsx", period="2020-06",
                           organiser="江门市土地储备中心")
    assert ws.organiser == "江门市土地储备中心"
    assert read_master_workbook(ws.master_path).organiser == "江门市土地储备中心"


# ---------------------------------------------------------------------------- the import report


def test_import_report_on_screen_ranks_problems_by_what_they_break():
    m = import_master(CORPUS / "prose_yuncheng_2017.docx")
    codes = [i.code for i in m.issues]
    assert codes == sorted(codes, key=["M106", "M108", "M109", "M110"].index)
    lines = summary_lines(m)
    assert "读取方式：正文编号段落；单位名录：无（单位按表中写法建立，单位集合不展开）" in lines
    assert "  市直各有关单位 → 未展开（单位名录中没有这类单位）" in lines
    assert "  1 市直各有关单位（未展开）、各县(市、区)人民政府（未展开）、各开发区管委会（未展开）" in lines
    assert lines[lines.index("各任务牵头单位：") - 4].startswith("单位集合 3 个")


def test_import_report_names_headings_without_their_copied_full_stop():
    """江门's headings are copied with their 。: the report said "一、做好财政信息公开。：1 项"."""
    lines = summary_lines(import_master(CORPUS / "jiangmen_tdcb_zwgk_tasks.xlsx"))
    assert "  一、做好财政信息公开：1 项" in lines


def test_import_report_sheet_is_written_and_ignored_on_reading(tmp_path, seed_docx):
    from openpyxl import load_workbook

    seed = import_master(seed_docx)
    path = write_master_workbook(seed, tmp_path / "m.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["任务清单", "责任分工", "单位名录", REPORT_SHEET]
    report = [r[5] for r in wb[REPORT_SHEET].iter_rows(values_only=True) if r and len(r) > 5 and r[5]]
    assert report[:2] == summary_lines(seed)[:2]
    assert any("缺少具体工作内容" in (v or "") for v in report)
    back = read_master_workbook(path)
    assert back.fingerprint == seed.fingerprint and back.organiser == "东莞市政务服务数据管理局"


def test_cli_import_of_another_city_prints_report_and_ranked_issues(run, tmp_path):
    out = tmp_path / "m.xlsx"
    result = run(["master", "import", str(CORPUS / "chizhou_zwgk_tasks.docx"), "--out", str(out),
                  "--organiser", "池州市信访局"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "督办单位（通报落款）：池州市信访局（命令行 --organiser）" in text
    assert text.index("[错误 M106]") < text.index("[警告 M108]") < text.index("[警告 M110]")
    assert read_master_workbook(out).organiser == "池州市信访局"


# ---------------------------------------------------------------------------- .doc


@pytest.mark.libreoffice
@pytest.mark.slow
def test_doc_master_is_converted_with_libreoffice_then_imported(tmp_path):
    from toolkit.office import convert, soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    src = tmp_path / "池州.docx"
    shutil.copy(CORPUS / "chizhou_zwgk_tasks.docx", src)
    # Straight from .docx, LibreOffice 7.4 writes a .doc without the table; through .odt it keeps it.
    doc = convert(convert(src, "odt", tmp_path / "odt"), "doc", tmp_path / "doc")
    assert doc.suffix == ".doc"
    m = import_master(doc)
    ref = import_master(CORPUS / "chizhou_zwgk_tasks.docx")
    assert [(t.id, t.level1, t.content, t.deadline_text) for t in m.tasks] == \
        [(t.id, t.level1, t.content, t.deadline_text) for t in ref.tasks]
    assert m.report.named == ref.report.named
    assert m.source == "池州.doc"


def test_a_dongguan_table_without_its_title_is_still_dongguans(tmp_path, seed_docx):
    from openpyxl import load_workbook
    from test_master import seed_as_xlsx

    seed = import_master(seed_docx)
    path = seed_as_xlsx(seed, tmp_path / "无标题.xlsx")
    wb = load_workbook(path)
    wb.active["A1"] = None  # no 东莞 anywhere now, but its towns are named
    wb.save(path)
    m = import_master(path)
    assert m.fingerprint == seed.fingerprint
    assert m.organiser == "东莞市政务服务数据管理局"


# ------------------------------------------- probe: units with their people, milestones, unit rows


@pytest.mark.parametrize("label, role", [("牵头单位及责任人", LEAD), ("责任单位及责任人", LEAD),
                                         ("配合单位及责任人", COOP), ("配合单位和联系人", COOP)])
def test_a_column_of_units_and_their_people_names_units(tmp_path, label, role):
    rows = [["序号", "工作任务", "完成时限", label], ["1", "做好甲", "2024年12月底前", "市发改委（张三）"]]
    if role == COOP:
        rows = [[*r, u] for r, u in zip(rows, ["牵头单位", "市财政局"])]
    m = import_master(xlsx(tmp_path / "t.xlsx", rows))
    assert roles(m, "1")["市发改委"] == role
    assert "市发改委（张三）" not in roles(m, "1")


@pytest.mark.parametrize("cell, units, warned", [
    # dropped by the shape of a name (a short place after a unit has it too): said
    ("市发改委（张三）", ["市发改委"], True),
    ("市发改委\n（张三、李四）", ["市发改委"], True),
    # said to be people (同志, 联系人：): dropped without a word
    ("市发改委（张三同志）、市财政局（联系人：李四 13800000000）", ["市发改委", "市财政局"], False),
    ("市发改委（张三）（牵头）、市财政局", ["市发改委", "市财政局"], True),
    ("市政府办（市大数据局）", ["市政府办（市大数据局）"], False),  # an alias, not people
    ("市委（市府办）、市发改委（牵头）", ["市委（市府办）", "市发改委"], False),
    ("市发改委 张三", ["市发改委", "张三"], True),  # unsure: kept, and said
])
def test_people_written_in_a_unit_cell_are_not_units(tmp_path, cell, units, warned):
    m = import_master(xlsx(tmp_path / "t.xlsx", [["序号", "工作任务", "责任单位", "完成时限"],
                                                 ["1", "做好甲", cell, "2024年12月底前"]]))
    assert [n for n, _r in m.report.named["1"]] == units
    assert any(i.code == "M104" and "人名" in i.message for i in m.issues) == warned


def test_milestones_by_quarter_make_the_last_ones_quarter_the_deadline(tmp_path):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "责任单位", "时间节点", "", "", ""],
        ["", "", "", "一季度", "二季度", "三季度", "四季度"],
        ["1", "做好甲", "市财政局", "启动调研", "形成初稿", "2024年征求意见", ""],
        ["2", "做好乙", "市教育局", "2025年启动", "", "", "全面完成"],
        ["3", "做好丙", "市公安局", "启动", "", "", ""]], merges=("D1:G1", "A1:A2", "B1:B2", "C1:C2")))
    t = {t.id: t for t in m.tasks}
    assert t["1"].deadline == dt.date(2024, 9, 30) and "二季度：形成初稿" in t["1"].note
    assert t["2"].deadline_text == "四季度" and t["2"].deadline is None  # no year: not guessed
    assert t["3"].deadline_text == "一季度"
    assert {i.task for i in m.issues if i.code == "M103"} == {"2", "3"}
    assert "启动调研" not in {x.deadline_text for x in m.tasks}


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_a_row_with_only_units_continues_the_task_above(tmp_path, suffix):
    rows = [["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "做好甲", "市财政局", "市税务局", "2024年12月底前"],
            ["", "", "", "市发改委", ""],
            ["2", "做好乙", "市教育局", "", "2024年6月底前"]]
    path = tmp_path / f"t{suffix}"
    m = import_master(xlsx(path, rows) if suffix == ".xlsx" else docx(path, [rows]))
    assert [t.id for t in m.tasks] == ["1", "2"]
    assert roles(m, "1") == {"市财政局": LEAD, "市税务局": COOP, "市发改委": COOP}
    assert not [i for i in m.issues if i.code in ("M101", "M105", "M106")]


def test_a_task_numbered_like_its_neighbours_but_without_units_is_kept_and_flagged(tmp_path):
    """（一）…（三） number tasks here (rows with units use them): （二）, missing its units and
    deadline, is a task to flag (M101), not a heading that hides it (final review)."""
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["（一）", "做好甲", "市财政局", "2024年12月底前"], ["（二）", "做好乙", "", ""],
        ["（三）", "做好丙", "市教育局", "2024年12月底前"]]))
    assert [(t.name or t.content, t.level1) for t in m.tasks] == [("做好甲", ""), ("做好乙", ""), ("做好丙", "")]
    assert [i.code for i in m.issues if i.code == "M101"] == ["M101"]


def test_units_on_a_row_of_their_own_after_a_heading_are_not_the_task_befores(tmp_path):
    """A row of units alone joins the task above, but not across a heading (final review):
    市发改委 under 二、民生 was added to task 1 as a cooperating unit, unsaid. Now it is a task
    without text, flagged (M101)."""
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "牵头单位", "完成时限"], ["一、", "稳增长", "", ""],
        ["1", "做好甲", "市财政局", "2024年12月底前"], ["二、民生", "", "", ""], ["", "", "市发改委", ""],
        ["2", "做好乙", "市教育局", "2024年12月底前"]]))
    assert m.report.named["1"] == [("市财政局", LEAD)]
    assert m.tasks[0].level1 == "一、稳增长"
    assert "M101" in {i.code for i in m.issues}


def test_reimport_into_a_workspace_says_the_project_keeps_its_duban_toml_name(run, tmp_path):
    """A workspace made before project names were trimmed keeps 对2016年民生实事进行重点督办 in
    duban.toml; re-importing prints 专项行动：2016年民生实事, yet forms, 汇总表 and 通报 keep the
    old name. The import says so instead of promising a rename that does not happen."""
    source = CORPUS / "dazhu_mssx_2016.docx"
    ws, _ = init_workspace(tmp_path / "ws", master_file=source)
    cfg = ws.root / "duban.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        'name = "2016年民生实事"', 'name = "对2016年民生实事进行重点督办"'), encoding="utf-8")
    result = run(["-w", str(ws.root), "master", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "专项行动：2016年民生实事" in result.output
    assert ("duban.toml 中的专项行动名称仍是“对2016年民生实事进行重点督办”" in result.output
            and "如要改用“2016年民生实事”" in result.output)
    # the same name in both: nothing to say
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        'name = "对2016年民生实事进行重点督办"', 'name = "2016年民生实事"'), encoding="utf-8")
    again = run(["-w", str(ws.root), "master", "import", str(source)])
    assert again.exit_code == 0 and "仍是" not in again.output
