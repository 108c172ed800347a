"""QA361: the kind guessed for a district, a county or a park a plan names on its own.

长沙's 2012 table (tests/corpus/masters, 长政发〔2012〕6号) names the districts 岳麓区 and 望城区 bare, the
park 高新区 and the zone 长沙先导区管委会: the importer made the districts and the zone 区直部门 (a
district's departments) and 高新区 a 镇街, so the 通报 was addressed "各园区，各区有关单位，市直各有关单位",
where the 市政府 writes 各区、县(市)人民政府 and 各园区管委会. 福建's 2015 table names 平潭综合实验区 beside
省直各部门 and 各设区市: it was a 省直部门, and a 单位名录 leaving its 类别 blank made it a 部门 that
省直各部门 took in. A place named alone is its government; a zone is a 园区 (功能区 in a province's plan),
neither a town nor a department.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from toolkit.master import import_master
from toolkit.memo.addressees import recipients
from toolkit.places import bare_place, plan_level
from toolkit.units import Directory, guess_kind

CORPUS = Path(__file__).parent / "corpus" / "masters"


@pytest.mark.parametrize("name, plan, place, kind", [
    # a city's districts, counties and county-level cities, named alone: their governments
    ("岳麓区", "市", "长沙市", "县（市、区）"),  # was 区直部门
    ("望城区", "市", "长沙市", "县（市、区）"),
    ("长沙市望城区", "市", "长沙市", "县（市、区）"),
    ("长沙县", "市", "长沙市", "县（市、区）"),  # was 县直部门
    ("浏阳市", "市", "长沙市", "县（市、区）"),  # was 市直部门
    ("越秀区", "市", "广州市", "县（市、区）"),  # 广州 2012 (prose_guangzhou_rencai_2012)
    ("郊区", "市", "阳泉市", "县（市、区）"),  # 阳泉's district of that name
    ("浦东新区", "市", "上海市", "县（市、区）"),  # a district named as zones are
    # a province's cities and counties
    ("福州市", "省", "福建省", "市"),  # was 市直部门
    ("沛县", "省", "江苏省", "县（市、区）"),
    # parks and zones (was 镇街, 区直部门, 省直部门, 市直部门)
    ("高新区", "市", "长沙市", "园区"),
    ("长沙先导区管委会", "市", "长沙市", "园区"),
    ("滁州经开区管委会", "市", "滁州市", "园区"),
    ("县示范区管委会", "县", "沁县", "园区"),
    ("平潭综合实验区", "省", "福建省", "功能区"),
    # what stays as it was: a body of a district or a zone, the plan's own place, an area's words
    ("岳麓区教育局", "市", "长沙市", "区直部门"),
    ("高新区财政局", "市", "长沙市", "市直部门"),
    ("高新区建设指挥部", "市", "长沙市", "市直部门"),
    ("长沙市", "市", "长沙市", "市直部门"),
    ("英德市", "市", "", "市直部门"),  # no place said: it may be the city itself (as 英德市人民政府)
    ("望城区", "区", "岳麓区", "区直部门"),  # a district's plan: nothing below it named so
    ("城区教育局", "市", "阳泉市", "区直部门"),
    ("城关镇", "县", "沁县", "镇街"),
])
def test_the_kind_guessed_for_a_place_or_a_zone(name, plan, place, kind):
    assert guess_kind(name, plan, place) == kind


@pytest.mark.parametrize("name, found", [
    ("岳麓区", ("区", "岳麓区")), ("湖南省长沙市岳麓区", ("区", "岳麓区")), ("沛县", ("县", "沛县")),
    ("岳麓区人民政府", ("", "")), ("高新区", ("", "")), ("辖区", ("", "")), ("全县", ("", "")), ("市区", ("", "")),
    ("县区", ("", "")), ("社区", ("", "")),
])
def test_a_place_named_alone(name, found):
    assert bare_place(name) == found


def test_a_directory_row_of_no_kind():
    """A 单位名录 row whose 类别 is blank is guessed with no plan: a district alone is a government,
    a zone a 园区 (was 区直部门 and 镇街; 平潭综合实验区 a 部门, which 省直各部门 took in)."""
    d = Directory.from_rows([["岳麓区"], ["英德市"], ["平潭综合实验区"], ["松山湖高新区"], ["省财政厅"]])
    assert [u.kind for u in d.units] == ["县（市、区）", "市", "园区", "园区", "省直部门"]


def _addressed(master) -> str:
    units = list(dict.fromkeys(a.unit for a in master.assignments))
    kinds = {u.name: u.kind for u in master.directory.units}
    level = plan_level(master.organiser, master.title, units)
    return recipients([SimpleNamespace(unit=u, kind=kinds[u]) for u in units], level)


def test_changsha_2012_is_addressed_as_its_government_addresses_it():
    master = import_master(CORPUS / "changsha_mbrw_2012.docx")
    kinds = {u.name: u.kind for u in master.directory.units}
    assert {n: kinds[n] for n in ("岳麓区", "望城区", "高新区", "长沙先导区管委会", "商务局")} == {
        "岳麓区": "县（市、区）", "望城区": "县（市、区）", "高新区": "园区", "长沙先导区管委会": "园区", "商务局": "市直部门"}
    # the 市政府's own letter reads 各区、县(市)人民政府 … (and its 各园区 in the table), addressing every
    # government of the city; the 通报 addresses those the plan names, two districts (QA365)
    assert _addressed(master) == "各区人民政府、各园区管委会，市直各有关单位："


def test_fujian_2015_addresses_pingtan_beside_the_provinces_departments():
    master = import_master(CORPUS / "fujian_zwgk_2015.docx")
    assert master.directory.get("平潭综合实验区").kind == "功能区"
    # the 办公厅's letter: 请各设区市、平潭综合实验区、省直各部门 …
    assert _addressed(master) == "平潭综合实验区管委会，省直各有关单位："  # as the real letter addresses it


def test_fujian_2015_with_a_directory_keeps_pingtan_out_of_the_departments():
    """省直各部门 expands to the 名录's 省直部门, 各设区市 to its 设区市: 平潭综合实验区, its 类别 left
    blank, is in neither and keeps the tasks the table names it for."""
    directory = Directory.from_rows([
        ["省编办", "省审改办", "省直部门"], ["省财政厅", "", "省直部门"], ["省发改委", "", "省直部门"],
        ["福州市", "", "设区市"], ["厦门市", "", "设区市"], ["平潭综合实验区", "", ""]])
    master = import_master(CORPUS / "fujian_zwgk_2015.docx", directory)
    groups = master.report.groups
    assert sorted(groups["省直各部门"]) == ["省发改委", "省编办", "省财政厅"]
    assert sorted(groups["各设区市"]) == ["厦门市", "福州市"]
    assert "平潭综合实验区" in {a.unit for a in master.assignments}
    assert master.directory.get("平潭综合实验区").kind == "园区"


def test_changsha_2012_reimported_with_its_own_directory_expands_its_groups():
    """The 单位名录 the import writes, used again (as 任务分工表.xlsx's sheet is): 各区县市 are the two
    districts (were none: 区直部门 is no government) and 各园区 both parks (was 高新区 alone, a 镇街)."""
    first = import_master(CORPUS / "changsha_mbrw_2012.docx")
    groups = import_master(CORPUS / "changsha_mbrw_2012.docx", first.directory).report.groups
    assert groups["各区县市"] == ["岳麓区", "望城区"]
    assert sorted(groups["各园区"]) == ["长沙先导区管委会", "高新区"]
    assert "长沙先导区管委会" not in groups["市直各单位"]


@pytest.mark.parametrize("name", ["临港工业区", "化工区", "自贸区", "中央商务区", "旅游度假区", "空港经济区", "风景名胜区"])
def test_a_zone_by_its_other_words_is_a_park_not_a_district(name):
    """QA363: `bare_place` read these as places, each a district's government (各县（市、区）人民政府)."""
    assert guess_kind(name, "市", "长沙市") == "园区"
