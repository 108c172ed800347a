"""QA365: the 通报's 主送 built from the places its units are, and the kinds of districts named by a
plain word (城区, 矿区, 郊区) or as zones are (浦东新区).

1. A city of districts only was addressed 各县（市、区）人民政府, naming counties it has none of: 北京's
   own letters read 各区人民政府，市政府各委、办、局，各市属机构 (京政办发〔2016〕26号; 京政办发〔2006〕4号,
   when it still had counties, 各区、县人民政府), 深圳's 各区人民政府，市政府直属各单位 (深府办〔1998〕116号),
   新余's (one 区, one 县) 各县(区)人民政府、管委会，市政府各部门 (2023年新余市政务公开工作要点). The
   importer's kind 县（市、区） is read by the units' own names: 区 only → 各区, 县 and 区 → 各县（区）,
   县级市 too → 各县（市、区）.
2. 阳泉市's districts are 城区, 矿区 and 郊区: 城区 (and 阳泉市城区) stayed a 市直部门; 建成区, a word of
   task text, read as a district.
3. 浦东新区人民政府 read as a zone's body (a 市直部门): a 新区 governed by a 人民政府 is a district.
4. The memo's 未报送 lists named zones (园区, 功能区) among the 市直 departments; a 通报 addresses them
   after the governments (新余 2023 above; 贵阳's 各区、市、县政府，高新开发区…管委会，市政府各工作部门,
   筑府办发〔2018〕10号).
5. A 单位名录 row of a zone with a blank 类别 is a 园区: 各镇街 is the towns and 街道 (东莞's own
   各镇人民政府（街道办事处）, 东府办〔2011〕65号), 各镇街（园区） takes the zone in; documented.

The letters, as found with the search tool (copies kept by third-party sites): 京政办发〔2016〕26号
https://0798ci.com/policy/70942.html; 京政办发〔2006〕4号
http://galtzs.cn/new/63/74/117/2006/6/wa6967446492166002396-0.htm; 深府办〔1998〕116号
https://law1.110.com/law_261924.html; 2023年新余市政务公开工作要点 http://echinagov.com/policy/346701.htm;
筑府办发〔2018〕10号 http://www.angelgibson.com/rule/37668.html; 东府办〔2011〕65号
https://www.doczj.com/doc/6618845857.html.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.consolidate import UnitStatus
from toolkit.groups import group_members
from toolkit.memo.addressees import recipients
from toolkit.memo.context import _naming_rank
from toolkit.places import bare_place, plan_level
from toolkit.units import Directory, guess_kind


def _addressed(names: list[str], level: str, place: str) -> str:
    return recipients([SimpleNamespace(unit=n, kind=guess_kind(n, level, place)) for n in names], level)


# ---------------------------------------------------------------- 1. the places that occur


@pytest.mark.parametrize("names, level, place, said", [
    # 北京, 深圳: districts only (京政办发〔2016〕26号; 深府办〔1998〕116号)
    (["东城区", "西城区", "朝阳区", "市财政局"], "市", "北京市", "各区人民政府，市直各有关单位："),
    (["福田区人民政府", "南山区人民政府", "市发展改革委"], "市", "深圳市", "各区人民政府，市直各有关单位："),
    # a 区 and a 县 (新余 2023: 各县(区)人民政府)
    (["渝水区", "分宜县", "市财政局"], "市", "新余市", "各县（区）人民政府，市直各有关单位："),
    # all three
    (["岳麓区", "长沙县", "浏阳市"], "市", "长沙市", "各县（市、区）人民政府："),
    # 阳泉's 城区, 矿区, 郊区 and a county
    (["城区", "矿区", "阳泉市郊区", "盂县"], "市", "阳泉市", "各县（区）人民政府："),
    # 上海's districts, one of them named as zones are
    (["浦东新区人民政府", "黄浦区人民政府", "市经济信息化委"], "市", "上海市", "各区人民政府，市直各有关单位："),
    # a league's 旗
    (["阿拉善左旗人民政府", "额济纳旗人民政府"], "盟", "阿拉善盟", "各旗人民政府："),
])
def test_the_governments_are_addressed_by_the_places_named(names, level, place, said):
    assert _addressed(names, level, place) == said


def test_an_offices_own_kind_of_one_word_is_kept():
    """A 名录 that writes 区 or 县 is addressed by it, as before; one that writes 县（市、区） for every
    government is read by the names (a 名录 of 北京's districts so written: 各区)."""
    units = [SimpleNamespace(unit="黄埔区", kind="区"), SimpleNamespace(unit="从化区", kind="区")]
    assert recipients(units, "市") == "各区人民政府："
    units = [SimpleNamespace(unit=n, kind="县（市、区）") for n in ("东城区", "西城区")]
    assert recipients(units, "市") == "各区人民政府："
    # a name saying no place keeps the kind's words
    units = [SimpleNamespace(unit=n, kind="县（市、区）") for n in ("一分区", "东片")]
    assert recipients(units, "市") == "各县（市、区）人民政府："


def test_a_countys_departments_are_reached_through_their_governments():
    """A district's bureau beside a 县级市's government: the phrase names both places (it named the
    县级市's alone, which does not reach 清城区教育局)."""
    units = [SimpleNamespace(unit="英德市人民政府", kind="县（市、区）"), SimpleNamespace(unit="清城区教育局", kind="区直部门"),
             SimpleNamespace(unit="市教育局", kind="市直部门")]
    assert recipients(units, "市") == "各区、县级市人民政府，市直各有关单位："


@pytest.mark.parametrize("names, said", [
    # a county's own plan addressing its towns: by the towns it names (already so; pinned)
    (["城关镇", "新城镇", "县财政局"], "各镇，县直各有关单位："),
    (["城关镇", "新城乡", "县财政局"], "各乡镇，县直各有关单位："),
    (["城关镇", "东城街道", "县财政局"], "各镇（街道），县直各有关单位："),
    (["东城街道", "西城街道", "县财政局"], "各街道，县直各有关单位："),
])
def test_a_countys_plan_addresses_the_towns_it_names(names, said):
    assert _addressed(names, "县", "沁县") == said


# ---------------------------------------------------------------- 2. 城区, 矿区, 郊区; 建成区


@pytest.mark.parametrize("name, kind", [
    ("城区", "县（市、区）"),  # was 市直部门
    ("阳泉市城区", "县（市、区）"),  # was 市直部门
    ("山西省阳泉市城区", "县（市、区）"),
    ("矿区", "县（市、区）"), ("郊区", "县（市、区）"), ("城区人民政府", "县（市、区）"),
    ("城区教育局", "区直部门"),  # the district's bureau, as before
    ("建成区", "市直部门"),  # was 县（市、区）: no government's name
    ("城区管理局", "区直部门"),  # a body, no government
])
def test_a_district_named_by_a_plain_word(name, kind):
    assert guess_kind(name, "市", "阳泉市") == kind


@pytest.mark.parametrize("name, found", [
    ("城区", ("区", "城区")), ("阳泉市矿区", ("区", "矿区")), ("建成区", ("", "")), ("市区", ("", "")),
    ("主城区", ("", "")), ("城区管理局", ("", "")), ("城区绿化", ("", "")),
])
def test_bare_place_of_a_plain_word(name, found):
    assert bare_place(name) == found


# ---------------------------------------------------------------- 3. 新区: 人民政府 or 管委会


@pytest.mark.parametrize("name, plan, place, kind", [
    ("浦东新区人民政府", "市", "上海市", "县（市、区）"),  # was 市直部门
    ("上海市浦东新区人民政府", "市", "上海市", "县（市、区）"),
    ("滨海新区人民政府", "市", "天津市", "县（市、区）"),
    ("浦东新区", "市", "上海市", "县（市、区）"),
    ("浦东新区教育局", "市", "上海市", "区直部门"),  # was 市直部门
    ("贵安新区管委会", "省", "贵州省", "功能区"),
    ("雄安新区管理委员会", "省", "河北省", "功能区"),
    ("兰州新区", "市", "兰州市", "园区"),
    ("浦东新区管委会", "市", "上海市", "园区"),  # named with a 管委会: a zone's body, as 1990's 浦东 had
    ("高新区人民政府", "市", "长沙市", "市直部门"),  # 高新区 is no 新区: as before
])
def test_a_new_area_by_the_words_around_it(name, plan, place, kind):
    assert guess_kind(name, plan, place) == kind


def test_a_new_areas_own_plan_is_a_districts():
    assert plan_level("上海市浦东新区人民政府办公室") == "区"  # was '' (区直各有关单位 now)
    assert plan_level("天津市滨海新区人民政府") == "区"
    assert plan_level("贵安新区管委会办公室") == ""


# ---------------------------------------------------------------- 4. zones after the governments


def test_zones_are_named_after_the_governments_not_among_departments():
    units = [UnitStatus("高新区", "园区", 1, "未报送"), UnitStatus("市财政局", "市直部门", 1, "未报送"),
             UnitStatus("岳麓区", "县（市、区）", 1, "未报送"), UnitStatus("经开区管委会", "市直部门", 1, "未报送"),
             UnitStatus("平潭综合实验区", "功能区", 1, "未报送"), UnitStatus("城关镇", "镇街", 1, "未报送"),
             UnitStatus("市教育局", "市直部门", 1, "未报送")]
    assert [u.unit for u in sorted(units, key=_naming_rank)] == [
        "市财政局", "市教育局", "岳麓区", "高新区", "经开区管委会", "平潭综合实验区", "城关镇"]


# ---------------------------------------------------------------- 5. a zone of no 类别


def test_a_zone_of_no_kind_is_taken_by_its_own_phrases_not_by_the_towns():
    """各镇街 is the towns and 街道; 各镇街（园区） and 各园区 take a zone whose 类别 was left blank. An
    office that counts its zone among 各镇街 files it 镇街, as the bundled 东莞 名录 files 松山湖."""
    d = Directory.from_rows([["虎门镇", "", "镇街"], ["东城街道", "", "镇街"], ["松山湖高新区", "", ""]])
    assert d.get("松山湖高新区").kind == "园区"
    assert group_members("各镇街", d, "市")[0] == ["虎门镇", "东城街道"]
    assert group_members("各镇街（园区）", d, "市")[0] == ["虎门镇", "东城街道", "松山湖高新区"]
    assert group_members("各园区", d, "市")[0] == ["松山湖高新区"]
    filed = Directory.from_rows([["虎门镇", "", "镇街"], ["东城街道", "", "镇街"], ["松山湖高新区", "", "镇街"]])
    assert group_members("各镇街", filed, "市")[0] == ["虎门镇", "东城街道", "松山湖高新区"]
