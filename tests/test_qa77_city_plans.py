"""Plans of provinces and cities (QA round 77): what a 州 is, what 各地 means, and a city's
county-level cities.

* 广东惠州…, 惠州人民政府 (a city's name written without 市) read as a 州's plan: every
  department it named became a 州直部门 and the memo said 州直各有关单位. Only an autonomous
  prefecture (延边州, 黔东南州, …自治州) or a 州 alone before its government is one.
* The M108 hint for 各地 said 类别如“地”. It names what 各地 means at the plan's level: a
  province's cities (市), a city's counties and county-level cities (县（市、区）), a county's towns,
  and 各地 expands to those in a directory that has them.
* In 清远市's plan, 英德市人民政府 was guessed a 市直部门: it is a county-level city's government.
* A city directory giving 英德市 and 连州市 the 类别 市 left them out of 各县（市、区） and 各县市区.

The 广东 table is 粤府〔2021〕22号's excerpt (tests/test_qa70_province_groups.py, source named
there); the 清远 tables are small constructed ones, with 清远's own county-level cities and districts.
"""

from __future__ import annotations

import pytest
from test_qa70_province_groups import GD2021, _xlsx

from toolkit.consolidate import UnitStatus
from toolkit.groups import group_members
from toolkit.master import import_master
from toolkit.master.importer import _kind_hint
from toolkit.memo.addressees import recipients as _recipients
from toolkit.places import plan_level, plan_place
from toolkit.units import Directory, Unit, guess_kind

# ---------------------------------------------------------------- a. 州 or a city


@pytest.mark.parametrize("organiser, level", [
    ("广东惠州市场监督管理局", "市"), ("惠州人民政府办公室", "市"), ("广东广州发展改革委", "市"),
    ("浙江杭州人民政府", "市"), ("河南郑州人民政府", "市"), ("福建福州人民政府", "市"), ("江苏徐州人民政府", "市"),
    ("惠州仲恺高新区管委会", ""),  # a zone, of no level said
    # autonomous prefectures, however written
    ("延边州政务服务局", "州"), ("吉林延边州人民政府", "州"), ("贵州黔东南州人民政府", "州"),
    ("恩施土家族苗族自治州发展和改革委员会", "州"), ("西双版纳州人民政府", "州"), ("新疆博州人民政府", "州"),
    ("州人民政府办公室", "州"), ("巴中市巴州区人民政府", "区"),
])
def test_a_州_is_an_autonomous_prefecture_not_a_citys_name(organiser, level):
    assert plan_level(organiser) == level


@pytest.mark.parametrize("title, level", [("2024年惠州政府重点工作", "市"), ("2024年延边州政府重点工作", "州"),
                                          ("2024年州政府重点工作", "州"), ("广东惠州2024年重点工作", "市")])
def test_a_titles_州_government(title, level):
    assert plan_level("", title) == level


def test_a_惠州_plan_names_its_departments_市直(tmp_path):
    rows = [["2024年重点工作任务分工"], ["序号", "工作任务", "责任单位"], [1, "推进营商环境改革。", "改革办"]]
    master = import_master(_xlsx(tmp_path / "惠州.xlsx", rows), organiser="广东惠州市场监督管理局")
    assert master.directory.get("改革办").kind == "市直部门"  # was 州直部门


# ---------------------------------------------------------------- b. 各地 at the plan's level


def test_the_hint_for_各地_names_the_governments_below_the_plan():
    assert _kind_hint("各地", "省") == "市"
    assert _kind_hint("各地", "市") == "县（市、区）"
    assert _kind_hint("各地", "州") == "县（市、区）"
    assert _kind_hint("各地", "县") == "镇街"
    assert _kind_hint("各地", "") == "市”或“县（市、区）"
    # phrases naming their own kind keep it
    assert _kind_hint("各地级以上市人民政府", "省") == "地级以上市"
    assert _kind_hint("各县(市、区)政府", "市") == "县(市、区)"


def test_a_province_table_without_a_directory_hints_市_for_各地(tmp_path):
    """粤府〔2021〕22号: its units are 省发展改革委, 省财政厅, 省商务厅 (a province's plan)."""
    m = import_master(_xlsx(tmp_path / "gd2021.xlsx", GD2021))
    hint = next(i.message for i in m.issues if i.code == "M108" and "“各地”" in i.message)
    assert "类别如“市”" in hint and "“地”" not in hint


def test_following_the_hint_expands_各地_in_a_citys_plan(tmp_path):
    rows = [["清远市人民政府办公室关于印发2024年重点工作任务分工的通知"], ["序号", "工作任务", "责任单位"],
            [1, "稳定农业生产。", "市农业农村局牵头,各地配合"]]
    table = _xlsx(tmp_path / "清远.xlsx", rows)
    m = import_master(table, Directory([Unit("市农业农村局", "市直部门")]))
    hint = next(i.message for i in m.issues if i.code == "M108")
    assert "类别如“县（市、区）”" in hint
    counties = Directory([Unit("市农业农村局", "市直部门"), Unit("英德市人民政府", "县（市、区）"),
                          Unit("清城区人民政府", "县（市、区）")])
    m = import_master(table, counties)
    assert m.units_of("1", "配合") == ["英德市人民政府", "清城区人民政府"]
    assert not [i for i in m.issues if i.code == "M108"]


def test_各地_in_a_province_or_a_county():
    d = Directory([Unit("广州市人民政府", "地级以上市"), Unit("英德市人民政府", "县（市、区）"), Unit("城关镇", "镇街")])
    assert group_members("各地", d, "省")[0] == ["广州市人民政府"]
    assert group_members("各地", d, "市")[0] == ["英德市人民政府"]
    assert group_members("各地", d, "县")[0] == ["城关镇"]
    assert group_members("各地", d)[0] == ["广州市人民政府"]  # as before when nothing says
    assert group_members("各地", Directory([Unit("英德市人民政府", "县（市、区）")]))[0] == ["英德市人民政府"]


# ---------------------------------------------------------------- c. a county-level city's government


def test_a_county_level_citys_government_in_a_citys_plan(tmp_path):
    rows = [["清远市人民政府办公室关于印发2024年重点工作任务分工的通知"], ["序号", "工作任务", "责任单位"],
            [1, "推进北江航道扩能升级。", "清远市交通运输局牵头,英德市人民政府、连州市人民政府、清城区人民政府配合"],
            [2, "办好民生实事。", "市发展改革局、清远市教育局"]]
    m = import_master(_xlsx(tmp_path / "清远.xlsx", rows))
    kinds = {u.name: u.kind for u in m.directory.units}
    assert kinds == {"清远市交通运输局": "市直部门", "英德市人民政府": "县（市、区）", "连州市人民政府": "县（市、区）",
                     "清城区人民政府": "县（市、区）", "市发展改革局": "市直部门", "清远市教育局": "市直部门"}
    units = [UnitStatus(u.name, u.kind, 1, "未报送") for u in m.directory.units]
    # two 县级市 and a 区 named, no 县 (QA365; 广州's form, QA122)
    assert _recipients(units, "市") == "各区、县级市人民政府，市直各有关单位："


def test_the_citys_own_government_and_departments_stay_its_own():
    assert plan_place("清远市人民政府办公室") == plan_place("", "2024年清远市重点工作") == "清远市"
    for own in ("清远市人民政府", "广东清远市人民政府", "市人民政府", "清远市政府", "清远市教育局", "市发展改革局"):
        assert guess_kind(own, "市", "清远市") == "市直部门", own
    assert guess_kind("清远市英德市人民政府", "市", "清远市") == "县（市、区）"
    assert guess_kind("英德市人民政府", "省", "广东省") == "市"  # a province's: a city's, as before
    assert guess_kind("英德市人民政府", "市") == "市直部门"  # no place said: nothing to tell it by


# ---------------------------------------------------------------- d. a directory's 市 in a city's plan


@pytest.mark.parametrize("phrase", ["各县（市、区）人民政府", "各县市区", "各县(市、区)政府", "各县（市、区）"])
def test_a_city_directorys_市_are_its_county_level_cities(phrase):
    d = Directory([Unit("市发展改革局", "市直部门"), Unit("英德市人民政府", "市"), Unit("连州市人民政府", "市"),
                   Unit("清城区人民政府", "区"), Unit("佛冈县人民政府", "县")])
    assert group_members(phrase, d, "市")[0] == ["英德市人民政府", "连州市人民政府", "清城区人民政府", "佛冈县人民政府"]
    # a province's 市 are its cities, never its counties
    assert "英德市人民政府" not in group_members(phrase, d, "省")[0]


def test_a_city_tables_county_group_takes_the_directorys_市(tmp_path):
    rows = [["清远市人民政府办公室关于印发2024年重点工作任务分工的通知"], ["序号", "工作任务", "责任单位"],
            [1, "抓好森林防火。", "市应急管理局牵头,各县(市、区)人民政府负责"]]
    d = Directory([Unit("市应急管理局", "市直部门"), Unit("英德市人民政府", "市"), Unit("清城区人民政府", "区")])
    m = import_master(_xlsx(tmp_path / "清远.xlsx", rows), d)
    assert m.report.groups["各县(市、区)人民政府"] == ["英德市人民政府", "清城区人民政府"]
