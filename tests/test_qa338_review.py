"""QA338: a review of QA333 and QA337 (how plans are imported and who is given which task).

1. ``各村社区`` (各村、社区 written without the 、) gave the task to the 村 only: 村 was read as which
   villages (各试点村). ``各城市社区`` and ``各自然村`` asked for a 类别 (M108) no 名录 has and the task had no
   lead; a 自然村 has no office, its 村 answers for it.
2. ``党委、政府`` in a town's own plan whose 名录 lists 镇党委 and 镇政府: a unit called 党委、政府 was made
   (M102) and neither was given the task.
3. ``城关镇党委、政府`` beside a row that made 城关镇党委 a unit (城关镇党委、政府办公室): the pair gave the
   task to that made-up unit as well as to 城关镇.
4. ``各乡、镇（场）人民政府`` (扶余's wording, towns.py): a unit 镇（场）人民政府 was made and no 镇 nor
   farm was given the task (各乡 its 乡 only).
5. ``各乡镇市场监管所`` gave the task to the towns; ``各农场`` and ``各市场监管所`` asked (M108) for the
   kind the 名录 had (国有农场, 市场监管所).
6. A county's plan naming one 办公室 or one 信访科 made its 政研室, 督查室, 机关党委 and 纪检组 科室 (QA337's
   rule for a bureau's plan among its 科室).
7. Prose: a clause broken across two lines (``（牵头单位：`` / ``县纪委监委）``) lost the task's lead; the
   task's next sentence after its units under a bare label (``成立工作领导小组``) was made a unit.
8. A bureau's own plan among its 科室 (``青山县农业农村局2026年…``): the project was cut to
   ``青山县农业农村局2026年`` and the 通报 had no 落款 (M111). A bureau's extract of another's table
   (谯城区教育局2025年政府工作报告…, in the corpus) still names no organiser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sheet_table
from test_qa337_review import BUREAU_PLAN

from toolkit.groups import group_members
from toolkit.master import import_master
from toolkit.master.prose import prose_tasks
from toolkit.master.tables import Paragraph
from toolkit.units import SECTION, Directory
from toolkit.vocab import Role

HEADER = ["序号", "工作任务", "具体措施", "责任单位", "完成时限"]


def _directory(tmp: Path, rows: str) -> Directory:
    path = tmp / "名录.csv"
    path.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + rows, encoding="utf-8")
    return Directory.from_csv(path)


def _import(tmp: Path, title: str, cells: list[str], directory: Directory | None = None):
    rows = [[title], HEADER, *[[i, f"任务{i}", "开展工作。", c, "2026年12月底前"] for i, c in enumerate(cells, 1)]]
    path = sheet_table(tmp / "分工表.xlsx", rows)
    return import_master(path, directory) if directory is not None else import_master(path)


def _leads(master, task: str) -> list[str]:
    return [a.unit for a in master.assignments if a.task == task and a.role == Role.LEAD]


# ---------------------------------------------------------------- 1, 2: a town's own plan

TOWN = """镇党委,党委,镇领导班子,,,a@x.cn
镇政府,人民政府,镇领导班子,,,b@x.cn
党政办,党政办公室,镇直部门,,,c@x.cn
东村,东村村委会,村,,,d@x.cn
西村,西村村委会,村,,,e@x.cn
南村,南村村委会,试点村,,,f@x.cn
新城社区,新城社区居委会,社区,,,g@x.cn
"""
VILLAGES, COMMUNITIES = ["东村", "西村", "南村"], ["新城社区"]


@pytest.mark.parametrize(("phrase", "members"), [
    ("各村社区", VILLAGES + COMMUNITIES),  # was the 村 only
    ("各城市社区", COMMUNITIES),  # was M108
    ("各自然村", VILLAGES),  # was M108
    ("各村（社区）", VILLAGES + COMMUNITIES),
    ("各试点村", ["南村"]),  # QA333: some villages stay some
    ("各贫困村", []),  # asked (M108): the 名录 says none is
])
def test_a_towns_villages_said_as_a_whole_reach_them(tmp_path, phrase, members):
    assert group_members(phrase, _directory(tmp_path, TOWN))[0] == members


def test_a_towns_own_committee_and_government_written_bare(tmp_path):
    master = _import(tmp_path, "城关镇2026年重点工作任务分工方案", ["党委、政府", "镇党委、政府"], _directory(tmp_path, TOWN))
    assert _leads(master, "1") == _leads(master, "2") == ["镇党委", "镇政府"]
    assert not [i for i in master.issues if i.code == "M102"]  # was a unit called 党委、政府


# ---------------------------------------------------------------- 3-5: a county's towns, farms, stations

COUNTY = """县发改局,发改局,县直部门,,,a@x.cn
县市场监管局,市场监管局,县直部门,,,b@x.cn
城关市场监管所,,市场监管所,,,c@x.cn
河口市场监管所,,市场监管所,,,d@x.cn
城关镇,城关镇人民政府,镇,,,e@x.cn
南湖乡,南湖乡人民政府,乡,,,f@x.cn
北山农场,,国有农场,,,g@x.cn
东城街道,东城街道办事处,街道,,,h@x.cn
"""


def test_a_pair_is_not_given_a_unit_another_row_made(tmp_path):
    master = _import(tmp_path, "青山县2026年重点工作任务分工方案", ["城关镇党委、政府办公室", "城关镇党委、政府、县发改局"],
                     _directory(tmp_path, COUNTY))
    assert _leads(master, "2") == ["城关镇", "县发改局"]  # was 城关镇党委 too


@pytest.mark.parametrize(("phrase", "members"), [
    ("各乡、镇（场）人民政府", ["城关镇", "南湖乡", "北山农场"]),  # was 南湖乡 and a unit 镇（场）人民政府
    ("各乡镇市场监管所", ["城关市场监管所", "河口市场监管所"]),  # was 城关镇 and 南湖乡
    ("各市场监管所", ["城关市场监管所", "河口市场监管所"]),  # was M108
    ("各农场", ["北山农场"]),  # was M108
    ("各乡镇", ["城关镇", "南湖乡"]),
    ("各乡镇场", ["城关镇", "南湖乡", "北山农场"]),
])
def test_towns_farms_and_the_stations_in_the_towns(tmp_path, phrase, members):
    master = _import(tmp_path, "青山县2026年重点工作任务分工方案", [phrase], _directory(tmp_path, COUNTY))
    assert _leads(master, "1") == members
    assert not [i for i in master.issues if i.code in ("M102", "M106", "M108")]


# ---------------------------------------------------------------- 6. 科室 only in a bureau's plan

def test_one_office_in_a_countys_plan_makes_no_department_a_section(tmp_path):
    master = _import(tmp_path, "青山县2026年重点工作任务分工方案",
                     ["县发改局、办公室", "政研室、督查室", "机关党委、纪检组", "县信访局、信访科"])
    kinds = {u.name: u.kind for u in master.directory.units}
    assert [n for n in ("政研室", "督查室", "机关党委", "纪检组") if kinds[n] == SECTION] == []
    assert not master.of_sections


# ---------------------------------------------------------------- 7. prose

def _units(*lines: str) -> list[str]:
    return [t.units[0][0] for t in prose_tasks([Paragraph(x, i) for i, x in enumerate(lines)], "t.docx")]


@pytest.mark.parametrize(("lines", "first"), [
    (("1.完善机制。（牵头单位：", "县纪委监委）"), "（牵头单位：县纪委监委）"),
    (("1.完善机制。（牵头单位：县纪委监委；", "配合单位：县委组织部）"), "（牵头单位：县纪委监委；配合单位：县委组织部）"),
    (("1.完善机制。（", "牵头单位：县纪委监委）"), "（牵头单位：县纪委监委）"),
    (("1.完善机制。（县发改局、", "县财政局负责）"), "（县发改局、县财政局负责）"),
])
def test_a_clause_broken_across_two_lines_is_read_whole(lines, first):
    assert _units(*lines, "2.强化保障。（牵头单位：县财政局）") == [first, "（牵头单位：县财政局）"]


def test_a_bracket_left_open_by_a_name_is_no_clause():
    assert _units("1.完善机制（试行", "版）。（县发改局负责）") == ["（县发改局负责）"]


@pytest.mark.parametrize("sentence", ["成立工作领导小组", "每季度召开一次调度会"])
def test_the_tasks_next_sentence_below_its_units_is_no_unit(sentence):
    assert _units("1.完善机制。", "牵头单位：", "县发改局", sentence, "2.强化保障。", "牵头单位：县财政局") == [
        "牵头单位：县发改局", "牵头单位：县财政局"]


# ---------------------------------------------------------------- 8. a bureau's own plan

def test_a_bureaus_own_plan_is_signed_by_the_bureau(tmp_path):
    master = import_master(sheet_table(tmp_path / "分工表.xlsx", BUREAU_PLAN))
    assert (master.organiser, master.title) == ("青山县农业农村局", "2026年重点工作任务")
    assert "M111" not in [i.code for i in master.issues]
    # the same title over a plan of the county's departments: maybe the bureau's extract of the
    # county's table (谯城区教育局2025年政府工作报告…): said (M111), never signed by the bureau
    rows = [BUREAU_PLAN[0], HEADER, [1, "项目建设", "推进项目。", "县发改局", "2026年12月底前"],
            [2, "资金保障", "落实资金。", "县财政局", "2026年12月底前"]]
    master = import_master(sheet_table(tmp_path / "县.xlsx", rows))
    assert master.organiser == ""
    assert "M111" in [i.code for i in master.issues]


def test_a_bureaus_own_bodies_named_after_it_count_as_its_sections():
    """机关党委, 局办公室 and 组织人事科 (QA322's 整改清单): a bureau's three, 局办公室 named after it;
    one 办公室 beside a county's 政研室 and 督查室 makes no plan of sections (above)."""
    from toolkit.master.importer import _of_sections

    assert _of_sections(["机关党委", "局办公室", "组织人事科"], "县", "")
    assert not _of_sections(["办公室", "政研室", "督查室", "县发改局", "县财政局"], "县", "")
