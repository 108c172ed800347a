"""A kind of unit written as a plural without 各 (市住建局、县市区政府; 市农业农村局、乡镇) is a group.

县市区政府 was taken for one unit: with a 单位名录 listing the counties it was added as a new
县直部门 (M102), given the task and, a month later, named 未报送 in the 通报, while the counties
it names got no form; without a 名录 it became a unit of its own."""

from __future__ import annotations

import pytest
from conftest import sheet_table

from toolkit.groups import group_kind, is_group
from toolkit.master import import_master
from toolkit.units import Directory

ROWS = [["序号", "工作任务", "责任单位", "完成时限"],
        ["1", "建设数字政府。", "市住建局、县市区政府", "2024年6月底前"],
        ["2", "推进一网通办。", "县市区人民政府", "2024年6月底前"],
        ["3", "推进农村人居环境整治。", "市农业农村局、乡镇", "2024年6月底前"]]
DIRECTORY = [["市住建局", "", "市直部门"], ["市农业农村局", "", "市直部门"],
             ["荆州区人民政府", "", "县（市、区）"], ["沙市区人民政府", "", "县（市、区）"],
             ["城关镇", "", "镇街"]]
COUNTIES = ["荆州区人民政府", "沙市区人民政府"]


@pytest.mark.parametrize(("phrase", "family"), [
    ("县市区政府", "county"), ("县市区人民政府", "county"), ("县（市、区）政府", "county"),
    ("县区", "county"), ("市县政府", "county"), ("乡镇", "town"), ("镇街", "town"),
    ("乡镇（街道）", "town"), ("镇（街道）", "town")])
def test_plurals_are_groups(phrase, family):
    assert is_group(phrase) and group_kind(phrase) == family


@pytest.mark.parametrize("name", ["县发改局", "县区划办", "乡镇企业局", "市县域经济办", "城关镇", "县政府办"])
def test_units_are_not(name):
    assert not is_group(name)


def test_with_a_directory_they_are_its_counties_and_towns(tmp_path):
    master = import_master(sheet_table(tmp_path / "t.xlsx", ROWS), Directory.from_rows(DIRECTORY))
    assert [(a.task, a.unit) for a in master.assignments] == [
        ("1", "市住建局"), *(("1", c) for c in COUNTIES), *(("2", c) for c in COUNTIES),
        ("3", "市农业农村局"), ("3", "城关镇")]
    assert not [i for i in master.issues if i.code == "M102"]


def test_without_one_they_are_said_and_no_unit(tmp_path):
    master = import_master(sheet_table(tmp_path / "t.xlsx", ROWS))
    assert {a.unit for a in master.assignments} == {"市住建局", "市农业农村局"}
    assert [i.message.split("（")[0] for i in master.issues if i.code == "M108"] == [
        "“县市区政府”", "“县市区人民政府”", "“乡镇”"]


def test_towns_and_their_street_offices_reach_both_kinds():
    """相关乡镇办 (咸安 2023): the 办 is the 街道办事处's. Kept to the 乡 and 镇 kinds, it lost the 街道."""
    from toolkit.groups import group_members

    directory = Directory.from_rows([["横沟桥镇", "", "镇"], ["大幕乡", "", "乡"], ["温泉街道办事处", "", "街道"]])
    for phrase in ("相关乡镇办", "各镇办"):
        assert set(group_members(phrase, directory, "区")[0]) >= {"横沟桥镇", "温泉街道办事处"}, phrase
    assert group_members("各乡镇", directory, "区")[0] == ["横沟桥镇", "大幕乡"]
