"""QA337: who is given which task when other places' plans are imported.

1. A numbered prose plan printing a role label alone on its line and the unit on the next
   (``牵头单位：`` / ``县纪委监委``): the unit was lost and the task had no lead (M106), or had no
   配合单位. A table cell written so was read right, and stays so.
2. A 名录 filing state farms (农场, 林场) beside its towns (吉林, 黑龙江: 扶余's 各乡镇场): the 通报
   addressed them as 市直各有关单位 (各乡镇，市直各有关单位：) and named the farm among the departments.
3. ``各镇（街道）`` gave the task to the 名录's 乡 too, where it files 乡 apart from 镇.
4. A bureau's own plan among its 科室 (人事股, 计划财务股), with no 名录: 机关党委 and 局办公室 were made
   县直部门, so the 通报 said 县直各有关单位 and the mails 贵单位.
"""

from __future__ import annotations

import datetime as dt
import email
from pathlib import Path

import pytest
from conftest import collect_merge_memo, played_month, sheet_table
from docx import Document
from test_qa333_review import FUYU, FUYU_DIRECTORY

from toolkit.groups import group_members
from toolkit.master import import_master
from toolkit.master.prose import prose_tasks
from toolkit.master.tables import Paragraph
from toolkit.units import SECTION, Directory, Unit, guess_kind, town_kind, town_phrase
from toolkit.vocab import Role

# ---------------------------------------------------------------- 1. a label alone on its line

PROSE = ["青山县2026年作风建设重点任务分工方案",
         "一、全面从严治党",
         "（一）加强作风建设。开展形式主义、官僚主义专项整治。", "牵头单位：", "县纪委监委", "责任单位：",
         "县委组织部、县委宣传部",
         "（二）推进政务公开。", "牵头单位：县政府办公室", "配合单位：", "县司法局",
         "（三）深化放管服改革。", "牵头单位：", "县发改局", "配合单位：", "县财政局", "县市场监管局",
         "（四）优化营商环境。", "牵头单位：\n县营商环境局\n配合单位：\n各乡镇（街道）"]
WANT = {"1": (["县纪委监委"], ["县委组织部", "县委宣传部"]),
        "2": (["县政府办公室"], ["县司法局"]),
        "3": (["县发改局"], ["县财政局", "县市场监管局"]),
        "4": (["县营商环境局"], ["各乡镇（街道）"])}


def _prose_docx(path: Path, lines: list[str]) -> Path:
    """A Word document as the corpus's prose ones are built (tests/corpus/masters/_build.py): a
    paragraph a line, a line break inside a paragraph where the source has one."""
    doc = Document()
    for text in lines:
        p = doc.add_paragraph()
        for i, line in enumerate(text.split("\n")):
            run = p.add_run(line)
            if i < text.count("\n"):
                run.add_break()
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def prose(tmp_path_factory):
    return import_master(_prose_docx(tmp_path_factory.mktemp("prose") / "方案.docx", PROSE))


@pytest.mark.parametrize("task", list(WANT))
def test_a_label_alone_on_its_line_labels_the_units_below_it(prose, task):
    leads = [a.unit for a in prose.assignments if a.task == task and a.role == Role.LEAD]
    coops = [a.unit for a in prose.assignments if a.task == task and a.role == Role.COOP]
    named = [n for n, r in prose.report.named[task] if r == Role.COOP]
    assert (leads, coops or named) == WANT[task]


def test_no_task_of_the_prose_plan_is_left_without_its_lead(prose):
    assert [i.code for i in prose.issues if i.code in ("M101", "M104", "M106")] == []


def _tasks(*lines: str):
    return prose_tasks([Paragraph(text, i) for i, text in enumerate(lines)], "t.docx")


def test_the_next_sentence_after_a_label_is_no_unit():
    # not a name: the label has nothing, as before (M104 says so), never a unit 各单位要加强协调
    tasks = _tasks("1.完善机制。", "牵头单位：县发改局", "责任单位：", "各单位要加强协调。")
    assert tasks[0].units[0][0] == "牵头单位：县发改局\n责任单位："
    # a unit list a line ends at the next item or label
    tasks = _tasks("1.完善机制。", "牵头单位：", "县发改局", "县财政局", "2.强化保障。", "牵头单位：县财政局")
    assert [t.units[0][0] for t in tasks] == ["牵头单位：县发改局、县财政局", "牵头单位：县财政局"]


def test_a_clause_below_a_bare_label_is_read_with_its_roles():
    tasks = _tasks("1.完善机制。", "责任单位：", "县发改局牵头，县财政局配合")
    assert tasks[0].units[0][0] == "责任单位：县发改局牵头，县财政局配合"


@pytest.mark.parametrize("cell", ["牵头单位：\n县纪委监委\n责任单位：\n县委组织部", "牵头单位:\n县纪委监委\n配合单位:\n县委组织部"])
def test_a_table_cell_with_the_label_and_the_unit_on_two_lines_stays_right(tmp_path, cell):
    path = sheet_table(tmp_path / "分工表.xlsx", [["青山县2026年测试任务分工表"],
                                                 ["序号", "工作任务", "具体措施", "责任单位", "完成时限"],
                                                 [1, "作风建设", "开展专项整治。", cell, "2026年12月底前"]])
    master = import_master(path)
    assert [(a.unit, a.role) for a in master.assignments] == [("县纪委监委", Role.LEAD), ("县委组织部", Role.COOP)]
    # a Word table's cell, its lines separate paragraphs
    doc = Document()
    doc.add_paragraph("青山县2026年测试任务分工表")
    table = doc.add_table(rows=2, cols=4)
    for i, text in enumerate(["序号", "工作任务", "责任单位", "完成时限"]):
        table.cell(0, i).text = text
    for i, text in enumerate(["1", "作风建设", "", "2026年12月底前"]):
        table.cell(1, i).text = text
    lines = cell.split("\n")
    table.cell(1, 2).text = lines[0]
    for line in lines[1:]:
        table.cell(1, 2).add_paragraph(line)
    doc.save(tmp_path / "分工表.docx")
    master = import_master(tmp_path / "分工表.docx")
    assert [(a.unit, a.role) for a in master.assignments] == [("县纪委监委", Role.LEAD), ("县委组织部", Role.COOP)]


# ---------------------------------------------------------------- 2. state farms are addressed as towns


def test_a_state_farms_kind_files_towns_and_a_market_or_a_bureau_none():
    assert [k for k in ("农场", "国有农场", "国营林场", "乡镇场") if town_kind(k)] == ["农场", "国有农场", "国营林场", "乡镇场"]
    assert not [k for k in ("市场监管所", "农场管理局", "林场管理站", "农场直属单位", "机场") if town_kind(k)]


@pytest.mark.parametrize("names, phrase", [
    (["东岭镇", "西岭镇", "南湖乡", "北山农场"], "各乡镇场"),   # as 吉林's 通报 write it (扶余 2018)
    (["东岭镇", "北山农场人民政府"], "各镇场"),
    (["北山农场"], "各农场"),
    (["北山农场", "青山林场"], "各农场、林场"),
    (["东岭镇", "北山农场管理委员会"], "各镇场"),
    (["东岭镇", "东城街道", "北山农场"], "各镇（街道）、各农场"),
    (["东岭镇", "南湖乡"], "各乡镇"),                       # no farm: as before
])
def test_the_memo_addresses_farms_with_the_towns(names, phrase):
    assert town_phrase(names) == phrase


@pytest.mark.slow  # plays a whole month: run in CI, out of the quick loop
def test_fuyus_month_addresses_its_towns_and_farm_as_its_notice_does(tmp_path):
    directory = tmp_path / "名录.csv"
    directory.write_text(FUYU_DIRECTORY, encoding="utf-8")
    root = tmp_path / "ws"
    mp, log, run = played_month(root, dt.date(2026, 10, 8), "--master", str(FUYU), "--period", "2026-10",
                                "--directory", str(directory))
    try:
        assert "各乡镇场 → 4 个单位：东岭镇、西岭镇、南湖乡、北山农场" in log["init"]
        run("issue", "--period", "2026-10")
        collect_merge_memo(mp, run, dt.date(2026, 11, 9))
        (memo,) = (root / "通报" / "2026年10月").glob("*.md")
        text = memo.read_text(encoding="utf-8")
        # 市直相关部门、各乡、镇(场)人民政府 in its own notice; the farm was among 市直各有关单位
        assert "\n各乡镇场，市直各有关单位：\n" in text
        # the farm after the departments, with the towns (it was named among the departments)
        assert "扶余市畜牧业管理局、东岭镇、西岭镇、南湖乡、北山农场。" in text
    finally:
        mp.undo()


# ---------------------------------------------------------------- 3. 各镇（街道） and the 名录's 乡

COUNTY = Directory([Unit("青山县财政局", "县直部门"), Unit("城关镇", "镇"), Unit("河口镇", "镇"), Unit("石门乡", "乡"),
                    Unit("东城街道", "街道"), Unit("北山农场", "国有农场")])


@pytest.mark.parametrize("phrase, members", [
    ("各镇（街道）", ["城关镇", "河口镇", "东城街道"]),     # was with 石门乡
    ("各镇、街道", ["城关镇", "河口镇", "东城街道"]),
    ("各镇人民政府、街道办事处", ["城关镇", "河口镇", "东城街道"]),
    ("各镇", ["城关镇", "河口镇"]),
    ("各乡", ["石门乡"]),
    ("各乡镇（街道）", ["城关镇", "河口镇", "石门乡", "东城街道"]),  # all three, as before
    ("各乡（镇）、街道", ["城关镇", "河口镇", "石门乡", "东城街道"]),
    ("各镇街", ["城关镇", "河口镇", "石门乡", "东城街道"]),   # Guangdong's word for them all
    ("各乡镇", ["城关镇", "河口镇", "石门乡"]),
    ("各乡镇场", ["城关镇", "河口镇", "石门乡", "北山农场"]),
])
def test_a_town_phrase_says_whether_it_means_the_xiang(phrase, members):
    assert group_members(phrase, COUNTY, "县")[0] == members


def test_a_directory_filing_xiang_and_zhen_as_one_kind_gives_them_all():
    directory = Directory([Unit("城关镇", "乡镇"), Unit("石门乡", "乡镇"), Unit("东城街道", "街道")])
    assert group_members("各镇（街道）", directory, "县")[0] == ["城关镇", "石门乡", "东城街道"]


# ---------------------------------------------------------------- 4. a bureau's plan among its 科室

BUREAU_PLAN = [["青山县农业农村局2026年重点工作任务分工表"],
               ["序号", "工作任务", "具体措施", "牵头科室", "配合科室", "完成时限"],
               [1, "党建工作", "开展主题党日活动。", "机关党委", "人事股", "2026年12月底前"],
               [2, "公文办理", "提高办文质量。", "局办公室", "", "2026年12月底前"],
               [3, "项目建设", "推进高标准农田建设。", "计划财务股", "农田建设股", "2026年12月底前"],
               [4, "干部培训", "组织培训2期。", "人事股", "机关党委", "2026年12月底前"]]


def test_a_bureaus_own_bodies_are_sections_in_a_plan_of_sections_only():
    for name in ("机关党委", "局办公室", "局机关党委", "党组办公室", "机关工会", "财务室"):
        assert guess_kind(name, "县", sections=True) == SECTION, name
        assert guess_kind(name, "县") == "县直部门", name
    # a level's or a government's body is none of a bureau's
    for name in ("县委办公室", "县政府办公室", "政府办公室", "县纪委监委"):
        assert guess_kind(name, "县", sections=True) == "县直部门", name


def test_a_bureaus_plan_makes_every_unit_a_section(tmp_path):
    master = import_master(sheet_table(tmp_path / "分工表.xlsx", BUREAU_PLAN))
    assert {u.name: u.kind for u in master.directory.units} == dict.fromkeys(
        ["机关党委", "人事股", "局办公室", "计划财务股", "农田建设股"], SECTION)
    assert master.of_sections
    # a county's plan naming no 科室 keeps its 机关工委 a department
    rows = [*BUREAU_PLAN[:2], [1, "党建工作", "开展主题党日活动。", "县委组织部", "机关党委", "2026年12月底前"]]
    master = import_master(sheet_table(tmp_path / "县.xlsx", rows))
    assert {u.name: u.kind for u in master.directory.units} == {"县委组织部": "县直部门", "机关党委": "县直部门"}


@pytest.mark.slow  # plays a whole month: run in CI, out of the quick loop
def test_a_bureaus_month_speaks_of_its_sections(tmp_path):
    plan = sheet_table(tmp_path / "分工表.xlsx", BUREAU_PLAN)
    root = tmp_path / "ws"
    mp, log, run = played_month(root, dt.date(2026, 10, 8), "--master", str(plan), "--period", "2026-10")
    try:
        assert log["init"].replace(str(root), "WS") == (
            "已创建工作区：WS\n"
            "专项行动：2026年重点工作任务\n"  # was 青山县农业农村局2026年 (QA338)
            "任务 4 项\n"
            "  （未分类）：4 项\n"
            "责任单位 5 个：科室 5 个\n"  # was 县直部门 2 个，科室 3 个
            "督办单位（通报落款）：青山县农业农村局（分工表标题中的单位，表中单位都是它的科室）\n"  # was M111 (QA338)
            "读取方式：Excel 表格；单位名录：无（单位按表中写法建立，单位集合不展开）\n"
            "各任务牵头单位：\n"
            "  1 机关党委\n"
            "  2 局办公室\n"
            "  3 计划财务股\n"
            "  4 人事股\n"
            "问题：错误 0 个，警告 1 个\n"
            "  [警告 M110] 分工表.xlsx：导入时没有使用单位名录：5 个单位按表中写法建立，单位集合不展开。"
            "请用 --directory 指定本地的单位名录（CSV）后重新导入。\n"
            "任务清单：WS/任务分工表.xlsx\n"
            "下一步：运行 duban issue 下发2026年10月的填报表（当前期次，已写入 duban.toml；其他月份用 --period 指定）。\n")
        run("issue", "--period", "2026-10", "--emails")
        mail = email.message_from_bytes(next((root / "下发").rglob("*_机关党委_*.eml")).read_bytes())
        body = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
        assert "现将贵科室2026年10月进展填报表" in body.decode("utf-8")
        collect_merge_memo(mp, run, dt.date(2026, 11, 9))
        (memo,) = (root / "通报" / "2026年10月").glob("*.md")
        assert "\n各有关科室：\n" in memo.read_text(encoding="utf-8")  # was 县直各有关单位
    finally:
        mp.undo()
