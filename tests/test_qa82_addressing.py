"""How units are grouped and addressed (QA helper qa82, from a review).

1. A government group phrase (各县（市、区）人民政府, 各镇人民政府) took in a county's own
   departments: their 类别 县直部门 holds 县, the word the county family looks for.
2. A city's 主送 listed its county-level governments one kind at a time (各市人民政府，各区人民政府，
   各县人民政府) where its 通报 reads 各县（市、区）人民政府.
3. The M108 hint for 县各有关单位 (南陵's table) suggested a 类别 “县各单位”, a kind nothing
   gives: the importer itself calls such units 县直部门.
4. A unit named after a county-level city (英德市教育局 in 清远市's plan) was guessed 市直部门: only
   the name's first character was read. 团市委 and 中共英德市委宣传部 lead with a party's word.

Names are real: 清远市's counties and departments, 池州市's districts and counties, the corpus
tables of 南陵县 and 立山区.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.consolidate import UnitStatus
from toolkit.groups import group_members
from toolkit.master import import_master
from toolkit.memo.addressees import recipients as _recipients
from toolkit.units import Directory, Unit, dept_kind, guess_kind

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
TITLE = "清远市人民政府办公室关于印发2024年重点工作任务分工的通知"


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _status(name: str, kind: str) -> UnitStatus:
    return UnitStatus(name, kind, 1, "未报送")


def _qingyuan() -> Directory:
    """清远's directory as its office keeps it: the county-level governments, and a county's own
    departments filed as 县直部门 beside the city's 市直部门."""
    return Directory([Unit("市教育局", "市直部门"), Unit("市应急管理局", "市直部门"),
                      Unit("英德市人民政府", "县（市、区）"), Unit("连州市人民政府", "县（市、区）"),
                      Unit("清城区人民政府", "县（市、区）"), Unit("佛冈县人民政府", "县（市、区）"),
                      Unit("英德市教育局", "县直部门"), Unit("佛冈县教育局", "县直部门")])


# ---------------------------------------------------------------- 1. governments, not departments


@pytest.mark.parametrize("phrase", ["各县（市、区）人民政府", "各县(市、区)政府", "各县（市、区）", "各县区"])
def test_a_government_group_takes_no_county_department(phrase):
    members, kinds = group_members(phrase, _qingyuan(), "市")
    assert members == ["英德市人民政府", "连州市人民政府", "清城区人民政府", "佛冈县人民政府"]
    assert kinds == ["县（市、区）"]


def test_a_group_naming_departments_still_takes_them():
    # 各县区有关部门 may well mean the counties' own departments: left as it was
    assert "英德市教育局" in group_members("各县（市、区）有关部门", _qingyuan(), "市")[0]


def test_a_town_group_takes_no_department_of_a_town():
    d = Directory([Unit("竹阳街道", "乡镇（街道）"), Unit("庙坝镇", "乡镇（街道）"), Unit("县财政局", "县直部门"),
                   Unit("庙坝镇财政所", "乡镇直属单位")])
    assert group_members("各乡镇（街道）人民政府", d, "县")[0] == ["竹阳街道", "庙坝镇"]


def test_a_city_table_expands_its_county_governments_only(tmp_path):
    rows = [[TITLE], ["序号", "工作任务", "责任单位"],
            [1, "抓好森林防火。", "市应急管理局牵头,各县(市、区)人民政府负责"],
            [2, "推进义务教育优质均衡发展。", "市教育局牵头,英德市教育局、佛冈县教育局配合"]]
    m = import_master(_xlsx(tmp_path / "清远.xlsx", rows), _qingyuan())
    assert m.report.groups["各县(市、区)人民政府"] == ["英德市人民政府", "连州市人民政府", "清城区人民政府",
                                                 "佛冈县人民政府"]
    assert {a.unit for a in m.assignments if a.task == "1"} == {
        "市应急管理局", "英德市人民政府", "连州市人民政府", "清城区人民政府", "佛冈县人民政府"}


# ---------------------------------------------------------------- 2. one phrase for the counties


def test_a_citys_county_level_governments_are_one_phrase():
    units = [_status("市发展改革局", "市直部门"), _status("英德市人民政府", "市"), _status("连州市人民政府", "市"),
             _status("清城区人民政府", "区"), _status("佛冈县人民政府", "县")]
    assert _recipients(units, "市") == "各县（市、区）人民政府，市直各有关单位："
    # 池州市: 贵池区 and three counties (池州's own 通报: 各县（区）人民政府)
    chizhou = [_status("贵池区人民政府", "区"), _status("东至县人民政府", "县"), _status("石台县人民政府", "县"),
               _status("青阳县人民政府", "县"), _status("市信访局", "市直部门")]
    assert _recipients(chizhou, "市") == "各县（区）人民政府，市直各有关单位："
    # one kind stays as it was; a province keeps its cities apart from its counties
    assert _recipients(units[:3], "市") == "各市人民政府，市直各有关单位："
    zhejiang = [_status("杭州市人民政府", "设区市"), _status("淳安县人民政府", "县"), _status("临安区人民政府", "区")]
    assert _recipients(zhejiang, "省") == "各设区市人民政府，各县（区）人民政府："


def test_a_countys_departments_in_a_citys_memo_are_not_市直():
    units = [_status("市教育局", "市直部门"), _status("英德市教育局", "县直部门"), _status("清城区教育局", "区直部门")]
    assert _recipients(units, "市") == "各县（区）有关单位，市直各有关单位："
    # beside their governments they are reached through them
    units.append(_status("英德市人民政府", "县（市、区）"))
    # the places named: a 县级市 and a 区, no 县 (QA365; 广州's form, QA122)
    assert _recipients(units, "市") == "各区、县级市人民政府，市直各有关单位："
    # a county's own plan: its 县直部门 are its own
    assert _recipients([_status("县财政局", "县直部门")], "县") == "县直各有关单位："


# ---------------------------------------------------------------- 3. the M108 hint


@pytest.mark.parametrize("level, kind", [("省", "省直部门"), ("市", "市直部门"), ("县", "县直部门"), ("区", "区直部门"),
                                         ("州", "州直部门"), ("", "部门")])
def test_the_department_kind_of_a_level(level, kind):
    assert dept_kind(level) == kind


@pytest.mark.parametrize("stem, phrase, kind", [("nanling_mbrw_2024", "县各有关单位", "县直部门"),
                                                ("prose_lishan_2023", "各相关单位", "区直部门"),
                                                ("prose_gangcheng_2021", "区政府有关部门", "区直部门"),
                                                ("prose_guofa_2018_39", "各有关部门和单位", "部门")])
def test_the_hint_for_a_department_group_is_the_plans_department_kind(stem, phrase, kind):
    path = next(p for p in CORPUS.glob(stem + ".*") if p.suffix in (".docx", ".xlsx"))
    hints = [i.message for i in import_master(path).issues if i.code == "M108" and f"“{phrase}”" in i.message]
    assert hints and all(f"类别如“{kind}”" in h for h in hints)


def test_the_hint_for_各有关单位_in_a_county_table(tmp_path):
    rows = [["大竹县人民政府办公室关于印发2016年民生实事分工方案的通知"], ["序号", "工作任务", "责任单位"],
            [1, "新建农村公路100公里。", "县交通运输局牵头,各有关单位配合"]]
    m = import_master(_xlsx(tmp_path / "大竹.xlsx", rows))  # no directory: groups stay unexpanded
    [hint] = [i.message for i in m.issues if i.code == "M108"]
    assert "类别如“县直部门”" in hint


# ---------------------------------------------------------------- 4. the place a unit's name leads with


@pytest.mark.parametrize("name, kind", [("英德市教育局", "县直部门"), ("连州市市场监督管理局", "县直部门"),
                                        ("中共英德市委宣传部", "县直部门"), ("清城区教育局", "区直部门"),
                                        ("佛冈县教育局", "县直部门"), ("团市委", "市直部门"), ("共青团清远市委员会", "市直部门"),
                                        ("民革清远市委员会", "市直部门"), ("清远市教育局", "市直部门"),
                                        ("市发展改革局", "市直部门"), ("规划建设局", "市直部门")])
def test_a_units_leading_place_in_a_citys_plan(name, kind):
    assert guess_kind(name, "市", "清远市") == kind


def test_a_units_leading_place_elsewhere():
    # a county's plan: its own, and its city's department above it
    assert guess_kind("大竹县财政局", "县", "大竹县") == "县直部门"
    assert guess_kind("达州市生态环境局", "县", "大竹县") == "市直部门"
    assert guess_kind("团县委", "县", "大竹县") == "县直部门"
    assert guess_kind("团风县教育局", "市", "黄冈市") == "县直部门"  # 团风县 is a county, not 团
    # a prefecture's county-level city; its own 州直
    assert guess_kind("延吉市教育局", "州", "延边州") == "县直部门"
    assert guess_kind("州教育局", "州", "延边州") == "州直部门"
    # no place of the plan said: a named 市 may be the city itself
    assert guess_kind("英德市教育局", "市") == "市直部门"


def test_a_city_table_guesses_its_county_departments(tmp_path):
    rows = [[TITLE], ["序号", "工作任务", "责任单位"],
            [1, "推进义务教育优质均衡发展。", "清远市教育局牵头,英德市教育局、清城区教育局、团市委配合"]]
    m = import_master(_xlsx(tmp_path / "清远.xlsx", rows))
    kinds = {u.name: u.kind for u in m.directory.units}
    assert kinds == {"清远市教育局": "市直部门", "英德市教育局": "县直部门", "清城区教育局": "区直部门",
                     "团市委": "市直部门"}
