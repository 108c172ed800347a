"""A province's plan (QA round 70): its cities as a group, its 主送 and its 未报送 list.

A provincial table names the cities as one group (各地级以上市人民政府, 各设区市人民政府,
各市、县（市、区）人民政府, 各地): it stayed 未展开 even with a 单位名录 listing the cities, so
no city got a form. The memo addressed only 省直各有关单位, and named cities and 省直 units in
one mixed run.

The fixtures are published texts, word for word as the stored copies give them (half-width
punctuation as stored), put in a table here:

* ``GD2021``: 广东省人民政府《2021年省〈政府工作报告〉重点任务分工方案》(粤府〔2021〕22号), items
  1–4 of 一 (all the stored copy gives complete), its 分管省领导 and 部门分工 lines as columns.
  https://dara.gd.gov.cn/ztzx/xczxgzt/xwgk/tzgg/content/post_4379712.html
* ``GD2023``: 广东省人民政府办公厅《广东省进一步加大力度支持民间投资发展的实施方案》
  (粤府办〔2023〕5号), items 1–2 (the rest is cut off in the stored copies), each item's bracketed
  responsibility as its 责任单位 cell. http://www.gd.gov.cn/gdywdt/zwzt/2023dwqzsdh/xgzc/content/post_4277963.html
  (stored as a mirror in traditional characters, yuasa-tqdc.cn/…/post_4277963.html; given here in the
  published simplified characters).

The 主送 follows the provinces' own documents: 广东 "各地级以上市人民政府，省政府各部门、各直属
机构", 浙江 "各市、县（市、区）人民政府，省政府直属各单位", 清远 (a city) "各县(市、区)人民政府，
市政府各部门、各直属机构"; 浙江's 通报 names "省发展改革委等9个省级部门、杭州市等5个设区市".
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from openpyxl import Workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.actions.merge import merge
from toolkit.consolidate import UnitStatus
from toolkit.filling import Answer, Filling, fill_return
from toolkit.groups import group_kind, group_members
from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.memo.addressees import recipients as _recipients
from toolkit.period import Period
from toolkit.places import plan_level
from toolkit.units import Directory, Unit, government_kind
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP

GD2021 = [
    ["2021年省《政府工作报告》重点任务分工方案"],
    ["序号", "工作任务", "分管省领导", "部门分工"],
    ["一、2021年经济社会发展主要预期目标"],
    [1, "地区生产总值增长6%以上。", "林克庆", "省发展改革委牵头,各地、各部门配合。"],
    [2, "地方一般公共预算收入增长5%左右。", "林克庆", "省财政厅牵头,各地、各部门配合。"],
    [3, "固定资产投资增长8%左右。", "林克庆", "省发展改革委牵头,各地、各部门配合。"],
    [4, "社会消费品零售总额增长6%以上。", "张新", "省商务厅牵头,各地、各部门配合。"],
]
GD2023 = [
    ["广东省进一步加大力度支持民间投资发展的实施方案"],
    ["序号", "具体措施", "责任单位"],
    ["一、发挥重大项目牵引和政府投资撬动作用"],
    [1, "聚焦国家“十四五”规划102项重大工程、国家重大战略以及省委、省政府明确的重点建设任务,依托省投资项目"
        "在线审批监管平台(以下简称在线平台),梳理筛选具备一定收益水平、条件相对成熟的项目,常态化向民间资本进行"
        "推介,多种方式吸引民间资本参与。", "省发展改革委牵头负责"],
    [2, "对具有稳定收益、可获得较好预期投资回报的交通及相关站场服务设施、水利、城市基础设施、节能降碳等领域"
        "重点项目,原则上推行市场化运作,鼓励支持民间资本参与。",
     "省发展改革委、交通运输厅、水利厅、住房城乡建设厅、能源局等省有关部门和各地级以上市人民政府按职责分工负责"],
]
CITIES = ["广州市", "深圳市", "珠海市", "汕头市", "佛山市", "韶关市", "河源市", "梅州市", "惠州市", "汕尾市", "东莞市",
          "中山市", "江门市", "阳江市", "湛江市", "茂名市", "肇庆市", "清远市", "潮州市", "揭阳市", "云浮市"]
PROVINCE_DEPTS = [("广东省发展和改革委员会", "省发展改革委"), ("广东省财政厅", "省财政厅"), ("广东省商务厅", "省商务厅"),
                  ("广东省交通运输厅", "交通运输厅"), ("广东省水利厅", "水利厅"), ("广东省住房和城乡建设厅", "住房城乡建设厅"),
                  ("广东省能源局", "能源局")]


def _directory_csv() -> str:
    """省直 units first, then the 21 cities (类别 地级以上市, the word 广东 uses for them)."""
    rows = ["单位,简称/别名,类别,联系人,电话,邮箱,督办单位落款"]
    rows += [f"{name},{short},省直部门,,,d{i}@gd.gov.cn," for i, (name, short) in enumerate(PROVINCE_DEPTS)]
    rows += [f"{city}人民政府,{city}政府,地级以上市,,,c{i}@gd.gov.cn," for i, city in enumerate(CITIES)]
    rows.append("广东省人民政府办公厅,省政府办公厅,省直部门,,,ban@gd.gov.cn,广东省人民政府办公厅")
    return "\n".join(rows) + "\n"


def _xlsx(path, rows):
    """The rows on a sheet; a title or heading (one cell) merged across the table, as printed."""
    wb = Workbook()
    ws = wb.active
    width = max(len(r) for r in rows)
    for i, r in enumerate(rows, 1):
        ws.append(r)
        if len(r) == 1:
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    wb.save(path)
    return path


def _directory() -> Directory:
    units = [Unit(n, "省直部门", (s,)) for n, s in PROVINCE_DEPTS]
    return Directory(units + [Unit(f"{c}人民政府", "地级以上市", (f"{c}政府",)) for c in CITIES])


# ---------------------------------------------------------------- the cities as a group


@pytest.mark.parametrize("phrase", ["各地级以上市人民政府", "各市人民政府", "各设区市人民政府", "各市（州）人民政府",
                                    "各地级以上市政府", "各地", "有关地级以上市"])
def test_a_provinces_city_group_is_a_group_of_its_cities(phrase):
    assert group_kind(phrase) == "city"
    members, kinds = group_members(phrase, _directory())
    assert members == [f"{c}人民政府" for c in CITIES] and kinds == ["地级以上市"]


@pytest.mark.parametrize("phrase, family", [("各市直部门", "dept"), ("各市场主体", "other"), ("市直各有关单位", "dept"),
                                            ("各县（市、区）人民政府", "county"), ("各区人民政府", "county")])
def test_what_is_not_a_city_group(phrase, family):
    assert group_kind(phrase) == family


def test_cities_and_counties_together_and_a_citys_counties():
    d = Directory([Unit("杭州市人民政府", "设区市"), Unit("淳安县人民政府", "县（市、区）"), Unit("省发展改革委", "省直部门")])
    assert group_members("各市、县（市、区）人民政府", d)[0] == ["杭州市人民政府", "淳安县人民政府"]
    assert group_members("各设区市人民政府", d)[0] == ["杭州市人民政府"]
    # a city's plan, one level down: its counties and districts, whatever the 类别 says of them
    city = Directory([Unit("市发改局", "市直部门"), Unit("英德市人民政府", "县（市、区）"), Unit("清城区人民政府", "区")])
    assert group_members("各县（市、区）人民政府", city)[0] == ["英德市人民政府", "清城区人民政府"]
    assert group_members("各区人民政府", city)[0] == ["英德市人民政府", "清城区人民政府"]
    # a department's kind is never a government's
    assert [government_kind(k) for k in ("市直部门", "省直部门", "县直部门", "镇街", "地级以上市", "市（州）", "县区")] \
        == ["", "", "", "", "city", "city", "county"]


def test_x等省有关部门和a_group_names_both():
    """粤府办〔2023〕5号 item 2: "能源局等省有关部门和各地级以上市人民政府" was one unit of that name."""
    parsed = parse_departments(GD2023[4][2])
    assert parsed.entries == [("省发展改革委", LEAD), ("交通运输厅", LEAD), ("水利厅", LEAD), ("住房城乡建设厅", LEAD),
                              ("能源局", LEAD), ("各地级以上市人民政府", LEAD)]
    assert parsed.open_ended


def test_a_province_table_imports_its_cities(tmp_path):
    m = import_master(_xlsx(tmp_path / "gd2023.xlsx", GD2023), _directory())
    assert m.units_of("2", LEAD)[:5] == ["广东省发展和改革委员会", "广东省交通运输厅", "广东省水利厅",
                                        "广东省住房和城乡建设厅", "广东省能源局"]
    assert m.units_of("2", LEAD)[5:] == [f"{c}人民政府" for c in CITIES]
    assert not [i for i in m.issues if i.code in ("M102", "M106", "M108")]
    assert m.display_units("2", LEAD).endswith("广东省能源局、各地级以上市人民政府")
    m = import_master(_xlsx(tmp_path / "gd2021.xlsx", GD2021), _directory())
    # 部门分工 is its unit column; the heading under the header (…主要预期目标) is a group, not
    # more header (its 目标 made it a label over every column: the table was refused)
    t = m.tasks[0]
    assert (t.id, t.level1, t.content) == ("1", "一、2021年经济社会发展主要预期目标",
                                                                "地区生产总值增长6%以上。")
    assert m.units_of("1", LEAD) == ["广东省发展和改革委员会"]
    assert set(m.units_of("1", COOP)) == {f"{c}人民政府" for c in CITIES} | {n for n, _ in PROVINCE_DEPTS[1:]}
    assert not [i for i in m.issues if i.code == "M108"]


# ---------------------------------------------------------------- levels


@pytest.mark.parametrize("organiser, level", [("延边州政务服务局", "州"), ("黔东南州发展和改革委员会", "州"),
                                              ("贵州省黔东南州人民政府", "州"), ("杭州市人民政府", "市"),
                                              ("杭州海关", "市"), ("苏州工业园区管理委员会", "")])
def test_a_prefectures_short_name_is_its_own_level(organiser, level):
    """延边州政务服务局 read as a 市 (州 only counted before 人民政府 or after 自治): its memo said
    市直各有关单位 and 需市级层面协调. A city's 州 follows one character (杭州, 苏州)."""
    assert plan_level(organiser) == level


# ---------------------------------------------------------------- the memo


def _status(unit, kind, state="未报送"):
    return UnitStatus(unit, kind, 1, state)


def test_the_province_memo_addresses_its_cities_then_its_departments():
    units = [_status("广东省发展和改革委员会", "省直部门"), _status("广州市人民政府", "地级以上市")]
    assert _recipients(units, "省") == "各地级以上市人民政府，省直各有关单位："
    assert _recipients(units[1:], "省") == "各地级以上市人民政府："
    counties = [_status("市发改局", "市直部门"), _status("英德市人民政府", "县（市、区）"), _status("连州镇", "镇街")]
    assert _recipients(counties, "市") == "各县级市人民政府，各镇，市直各有关单位："  # 英德市 alone (QA365)
    zhejiang = [_status("省发展改革委", "省直部门"), _status("淳安县人民政府", "县（市、区）"),
                _status("杭州市人民政府", "设区市")]
    # 淳安县 the only county-level government named (QA365)
    assert _recipients(zhejiang, "省") == "各设区市人民政府，各县人民政府，省直各有关单位："
    # an autonomous region's departments are 区直 (广西)
    assert _recipients(units, "省", "区") == "各地级以上市人民政府，区直各有关单位："
    # as before for a city's and a bureau's plans
    assert _recipients([_status("市民政局", "市直部门"), _status("虎门镇", "镇街")], "市") == "各镇，市直各有关单位："
    assert _recipients([], "市") == "各有关单位："


@pytest.fixture(scope="module")
def province_month(tmp_path_factory):
    """广东 2021, June: 省财政厅 and 广州 report on time, 深圳 late; the rest send nothing."""
    root = tmp_path_factory.mktemp("gd") / "ws"
    csv = root.parent / "名录.csv"
    csv.write_text(_directory_csv(), encoding="utf-8")
    table = _xlsx(root.parent / "粤府〔2021〕22号分工.xlsx", GD2021)
    june = Period(2021, 6)
    ws, _ = init_workspace(root, table, period="2021-06", directory_csv=csv)
    issue_returns(ws, june)
    issued = ws.root / "下发" / "2021年6月"
    ws.inbox.mkdir(exist_ok=True)
    fine = Filling(default=Answer(status="序时推进", progress=50, work="按计划推进。"))
    for unit in ("广东省财政厅", "广州市人民政府", "深圳市人民政府"):
        (ws.inbox / f"{unit}.xlsx").write_bytes(fill_return(issued / f"2021年6月_{unit}_进展填报表.xlsx", fine))
    for f in ws.inbox.iterdir():
        when = dt.datetime(2021, 7, 9 if "深圳" in f.name else 3, 10, 0).timestamp()
        os.utime(f, (when, when))
    collect(ws, june, received=dt.date(2021, 7, 3))
    merge(ws, june)
    return ws, june


def test_a_province_month_names_its_departments_then_its_cities(province_month):
    from toolkit.consolidate import consolidate
    from toolkit.memo.context import build_context

    ws, june = province_month
    ctx = build_context(consolidate(ws, june), dt.date(2021, 7, 12))
    assert ctx.recipients == "各地级以上市人民政府，省直各有关单位："
    assert ctx.coordination == "需省级层面协调解决的"
    names = ctx.missing_names.split("、")
    kinds = ["city" if n.endswith("人民政府") and n != "广东省人民政府办公厅" else "dept" for n in names]
    assert kinds == sorted(kinds, key=lambda k: k != "dept")  # one run of 省直 units, then the cities
    assert names[0] == "广东省发展和改革委员会" and "广州市人民政府" not in names
    assert names[-1] == "云浮市人民政府"


def test_hainans_cities_and_counties_and_a_leagues_administration():
    """海南's 市县 are both under the province: 各市县人民政府 names the cities too (it took the
    counties only); a league's or a prefecture's government is its 行政公署 (各盟行政公署)."""
    d = Directory([Unit("海口市", "市"), Unit("文昌市", "县（市、区）"), Unit("澄迈县", "县（市、区）"),
                   Unit("省发展改革委", "省直部门")])
    assert group_members("各市县人民政府", d)[0] == ["海口市", "文昌市", "澄迈县"]
    city = Directory([Unit("英德市", "县（市、区）"), Unit("市发改局", "市直部门")])
    assert group_members("各市县人民政府", city)[0] == ["英德市"]  # a city's plan: its counties
    leagues = [_status("锡林郭勒盟", "盟"), _status("呼和浩特市", "市"), _status("自治区发展改革委", "省直部门")]
    assert _recipients(leagues, "省", "区") == "各盟行政公署，各市人民政府，区直各有关单位："
