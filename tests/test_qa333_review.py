"""QA333: other places' task tables, and who is given which task.

1. 扶余 (吉林, a county-level city; tests/corpus/masters/prose_fuyu_rjhj_dcs.docx): item 5 prints its
   label with a semicolon, ``(责任单位;住建局、畜牧局、各乡镇场)``: 责任单位 was made a unit and the
   task's units lost; the issuer in the title, 扶余市人民政府督查室, was no organiser (M111); with a 单位名录
   ``各乡镇场`` gave the task to the towns and 乡 but to no state farm (场).
2. ``城关镇党委、政府`` became the units 城关镇 and 政府 (政府 added to the 名录, issued a form and named
   未报送); ``河口镇党委、政府`` a new unit 河口镇党委 and 政府; ``城关镇党委、镇政府`` gave every town the
   task (镇政府 read as the towns' group); ``城关镇党委、政府（牵头）`` made 政府 the lead.
3. ``镇党委、政府`` in a town's own plan, its 名录 listing 镇党委 and 镇政府: read as every town of a
   county (M108) and lost.
4. ``各乡镇人民政府、街道办事处（开发区）``: 街道办事处（开发区） became a unit; no 街道 and no 开发区
   was given the task.
5. ``各试点村`` gave the task to every village of the 名录; ``全镇各村`` to none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import sheet_table

from toolkit.groups import group_members
from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.master.importer import issuing_body
from toolkit.units import Directory, Unit
from toolkit.vocab import Role

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
FUYU = CORPUS / "prose_fuyu_rjhj_dcs.docx"

# An office's 单位名录 written for this test (the names of the towns and farms are made up).
FUYU_DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
扶余市城市管理行政执法大队,城市管理执法大队,市直部门,,,a@fy.gov.cn
扶余市国土资源局,国土局,市直部门,,,b@fy.gov.cn
扶余市住房和城乡建设局,住建局,市直部门,,,c@fy.gov.cn
扶余市农业局,农业局,市直部门,,,d@fy.gov.cn
扶余市林业局,林业局,市直部门,,,e@fy.gov.cn
扶余市农机服务中心,农机服务中心,市直部门,,,f@fy.gov.cn
扶余市交通运输局,交通局,市直部门,,,g@fy.gov.cn
扶余市畜牧业管理局,畜牧局,市直部门,,,h@fy.gov.cn
扶余市市场监督管理局,市场监管局,市直部门,,,i@fy.gov.cn
东岭镇,东岭镇人民政府,镇,,,j@fy.gov.cn
西岭镇,西岭镇人民政府,镇,,,k@fy.gov.cn
南湖乡,南湖乡人民政府,乡,,,l@fy.gov.cn
北山农场,,国有农场,,,m@fy.gov.cn
"""
FARMS_TOWNS = ["东岭镇", "西岭镇", "南湖乡", "北山农场"]


def _directory(tmp: Path, text: str) -> Directory:
    path = tmp / "名录.csv"
    path.write_text(text, encoding="utf-8")
    return Directory.from_csv(path)


@pytest.fixture(scope="module")
def fuyu(tmp_path_factory):
    return import_master(FUYU, _directory(tmp_path_factory.mktemp("fuyu"), FUYU_DIRECTORY))


def test_fuyu_with_its_directory_gives_each_task_its_departments_and_every_town_and_farm(fuyu):
    spec = json.loads((CORPUS / "prose_fuyu_rjhj_dcs.expected.json").read_text(encoding="utf-8"))
    for want in spec["tasks"]:
        leads = [a.unit for a in fuyu.assignments if a.task == want["id"] and a.role == Role.LEAD]
        named = [fuyu.directory.resolve(n) for n in want["leads"] if n != "各乡镇场"]
        assert leads == named + FARMS_TOWNS, want["id"]
    assert not [a for a in fuyu.assignments if a.role == Role.COOP]
    assert not [i.message for i in fuyu.issues if i.code in ("M101", "M102", "M106", "M108")]
    assert fuyu.organiser == "扶余市人民政府督查室"


def test_a_label_written_with_a_semicolon_is_the_label():
    parsed = parse_departments("(责任单位;住建局、畜牧局、各乡镇场)")
    assert parsed.entries == [("住建局", Role.LEAD), ("畜牧局", Role.LEAD), ("各乡镇场", Role.LEAD)]
    # a unit list with a semicolon in it stays two clauses of units
    assert [n for n, _ in parse_departments("市住建局；市财政局").entries] == ["市住建局", "市财政局"]


def test_an_office_of_a_government_issuing_in_the_title_is_the_organiser():
    assert issuing_body("扶余市人民政府督查室关于对全市开展农村人居环境综合整治工作专项督查的通知") == "扶余市人民政府督查室"
    assert issuing_body("青山县人民政府办公室关于印发任务清单的通知") == "青山县人民政府办公室"


def test_farms_are_of_a_phrase_that_names_them_only():
    d = Directory([Unit("东岭镇", "镇"), Unit("南湖乡", "乡"), Unit("北山农场", "国有农场"), Unit("青山林场", "林场"),
                   Unit("东岭市场监管所", "市场监管所"), Unit("东城街道", "街道")])
    assert group_members("各乡镇场", d)[0] == ["东岭镇", "南湖乡", "北山农场", "青山林场"]
    assert group_members("各乡、镇(场)人民政府", d)[0] == ["东岭镇", "南湖乡", "北山农场", "青山林场"]
    assert group_members("各乡镇", d)[0] == ["东岭镇", "南湖乡"]
    assert not {"北山农场", "青山林场", "东岭市场监管所"} & set(group_members("各镇（街道）", d)[0])


COUNTY_DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
青山县财政局,县财政局,县直部门,,,czj@qs.gov.cn
城关镇,城关镇人民政府,乡镇,,,cgz@qs.gov.cn
河口镇,,乡镇,,,hkz@qs.gov.cn
东城街道,东城街道办事处,街道,,,dc@qs.gov.cn
青山经济开发区管理委员会,县开发区管委会,开发区,,,kfq@qs.gov.cn
"""
COUNTY_CELLS = {
    "城关镇党委、政府": ["城关镇"],
    "河口镇党委、政府": ["河口镇"],
    "城关镇党委政府": ["城关镇"],
    "城关镇党委和政府": ["城关镇"],
    "各乡镇人民政府、街道办事处（开发区）": ["城关镇", "河口镇", "东城街道", "青山经济开发区管理委员会"],
    "各乡镇党委、政府": ["城关镇", "河口镇"],
    "城关镇党委、镇政府": ["城关镇"],  # 镇政府 alone was every town's: 河口镇 was given the task
    "东城街道党工委、办事处": ["东城街道"],
    "各乡（镇）人民政府、街道办事处": ["城关镇", "河口镇", "东城街道"],
}


def _table(path: Path, title: str, lead: str, cells) -> Path:
    rows = [[title], ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"]]
    rows += [[i, f"任务{i}", "内容。", lead, cell, "2026年12月底前"] for i, cell in enumerate(cells, 1)]
    return sheet_table(path, rows)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("county")
    path = _table(tmp / "分工表.xlsx", "青山县2026年测试任务分工表", "县财政局", COUNTY_CELLS)
    return import_master(path, _directory(tmp, COUNTY_DIRECTORY)), import_master(path)


@pytest.mark.parametrize("n, cell", list(enumerate(COUNTY_CELLS, 1)), ids=list(COUNTY_CELLS))
def test_a_towns_committee_and_government_is_the_town(county, n, cell):
    with_directory, without = county
    coop = [a.unit for a in with_directory.assignments if a.task == str(n) and a.role == Role.COOP]
    assert coop == COUNTY_CELLS[cell]
    # without a 名录: one unit or one group, as written, never a unit called 政府
    assert [name for name, role in without.report.named[str(n)] if role == Role.COOP] == [cell]


def test_no_unit_is_invented_from_the_pair_or_the_zone(county):
    with_directory, without = county
    assert not [i.message for i in with_directory.issues if i.code in ("M102", "M108")]
    assert "政府" not in {a.unit for a in without.assignments}
    assert sorted(without.report.groups) == sorted(
        ["各乡镇人民政府、街道办事处（开发区）", "各乡镇党委、政府", "各乡（镇）人民政府、街道办事处"])


def test_a_mark_after_the_pair_is_the_pairs():
    assert parse_departments("城关镇党委、政府（牵头）、县财政局", Role.COOP).entries == [
        ("城关镇党委、政府", Role.LEAD), ("县财政局", Role.COOP)]
    # a government of another level is no committee's partner
    assert [n for n, _ in parse_departments("城关镇党委、县政府").entries] == ["城关镇党委", "县政府"]


TOWN_DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
镇党委,,镇直部门,,,a@x.cn
镇政府,,镇直部门,,,b@x.cn
青山镇党政办公室,党政办,镇直部门,,,c@x.cn
东村,东村村委会,村,,,e@x.cn
西村,西村村委会,试点村,,,f@x.cn
南村,,村,,,g@x.cn
"""
TOWN_CELLS = {
    "镇党委、政府": ["镇党委", "镇政府"],
    "各试点村": ["西村"],
    "各村": ["东村", "西村", "南村"],
    "全镇各村": ["东村", "西村", "南村"],
    "各建制村": ["东村", "西村", "南村"],
}


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("town")
    path = _table(tmp / "分工表.xlsx", "青山镇2026年重点工作任务分工表", "党政办", TOWN_CELLS)
    return import_master(path, _directory(tmp, TOWN_DIRECTORY))


@pytest.mark.parametrize("n, cell", list(enumerate(TOWN_CELLS, 1)), ids=list(TOWN_CELLS))
def test_a_towns_own_plan_gives_its_committee_government_and_villages_as_written(town, n, cell):
    coop = [a.unit for a in town.assignments if a.task == str(n) and a.role == Role.COOP]
    assert coop == TOWN_CELLS[cell]


def test_some_villages_are_asked_for_when_the_directory_does_not_say_which(tmp_path):
    directory = _directory(tmp_path, TOWN_DIRECTORY.replace("试点村", "村"))
    path = _table(tmp_path / "分工表.xlsx", "青山镇2026年重点工作任务分工表", "党政办", ["各试点村", "各示范社区"])
    master = import_master(path, directory)
    assert [a.unit for a in master.assignments if a.role == Role.COOP] == []
    said = [i.message for i in master.issues if i.code == "M108"]
    assert len(said) == 2 and "“各试点村”" in said[0] and "试点村" in said[0].split("类别如")[1]
