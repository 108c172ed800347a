"""QA154: places whose names end or start like a level word.

Real places break a naive reading of levels from names: 景德镇市 ends 镇 before its 市, 镇江市 and
镇原县 start with 镇, 鞍山 is inside 马鞍山, 济南, 内江 and 枣庄 each have a district named 市中区
(青岛 a 市南区 and 市北区), 阳泉 has districts named 城区, 矿区 and 郊区, and an autonomous
prefecture's offices sign both 黔东南苗族侗族自治州… and 黔东南州…. Each case goes through the
public paths: a 分工表 imported with its organiser or title naming the place (the plan's place,
the kinds guessed for units no 名录 lists, the 通报's 主送), `Directory.resolve` with and without
the place, and `Directory.find_in` on a file name.

What was wrong before (see the report of QA154):

* 济南市市中区人民政府办公室's plan had the place 中区 (the 市 of 市中区 read as a level): its
  名录's 市中区财政局 was not 区财政局; a table titled 市中区… naming 市中区财政局 read as a city's
  plan, its 主送 各区有关单位，各街道： instead of 各街道，区直各有关单位：.
* 阳泉市矿区 was a zone (矿区 of a mine): 矿区人民政府 in 阳泉市's plan was a 市直部门, the 矿区's
  own plan had no place.
* 黔东南苗族侗族自治州's 名录 did not know 黔东南州教育局, 黔东南州's not 黔东南苗族侗族自治州教育局.
* A 名录 of 阿拉善盟教育局 and 盟财政局 said nothing of its place (a 盟 was no level leading a name).
* 阳泉's 城区教育局 in the city's plan was a 市直部门 (城区 read as a city's built-up area).
* 景德镇 (the city written without 市) was a town.

Names are those the places' governments use (济南市市中区人民政府办公室 hosts shizhong.gov.cn;
阳泉市矿区人民政府 yqkq.gov.cn; 景德镇's 昌江区, 珠山区, 浮梁县, 乐平市; 黔南州人民政府办公室 writes
to 州政府各部门).
"""

from __future__ import annotations

import pytest
from test_qa70_province_groups import _xlsx

from toolkit.consolidate import UnitStatus
from toolkit.master import import_master
from toolkit.memo.addressees import recipients as _recipients
from toolkit.places import plan_level, plan_place
from toolkit.units import Directory, Unit, guess_kind, is_town

# ---------------------------------------------------------------- the 分工表, imported

# organiser, title, 责任单位 cells -> the plan's place, the kinds guessed, the 通报's 主送
IMPORTS = [
    ("景德镇市人民政府办公室", "景德镇市2024年重点工作任务分工",
     ["景德镇市教育局牵头，景德镇市昌江区人民政府、浮梁县人民政府、乐平市人民政府配合", "市财政局"],
     "景德镇市", {"景德镇市教育局": "市直部门", "景德镇市昌江区人民政府": "县（市、区）", "浮梁县人民政府": "县（市、区）",
                 "乐平市人民政府": "县（市、区）", "市财政局": "市直部门"},
     "各县（市、区）人民政府，市直各有关单位："),
    ("镇原县人民政府办公室", "镇原县2024年重点工作任务分工", ["县教育局牵头，城关镇、屯字镇配合", "镇原县财政局"],
     "镇原县", {"县教育局": "县直部门", "城关镇": "镇街", "屯字镇": "镇街", "镇原县财政局": "县直部门"},
     "各镇，县直各有关单位："),
    ("", "镇江市2024年重点工作任务分工", ["镇江市教育局牵头，丹阳市人民政府、京口区人民政府配合", "市财政局"],
     "镇江市", {"镇江市教育局": "市直部门", "丹阳市人民政府": "县（市、区）", "京口区人民政府": "县（市、区）",
               "市财政局": "市直部门"},
     # QA365: a 县级市 and a 区 named, no 县
     "各区、县级市人民政府，市直各有关单位："),
    ("", "马鞍山市2024年重点工作任务分工", ["马鞍山市教育局牵头，花山区人民政府、含山县人民政府配合", "市财政局"],
     "马鞍山市", {"马鞍山市教育局": "市直部门", "花山区人民政府": "县（市、区）", "含山县人民政府": "县（市、区）",
                 "市财政局": "市直部门"},
     # QA365: a 区 and a 县, no 县级市
     "各县（区）人民政府，市直各有关单位："),
    ("", "阿拉善盟2024年重点工作任务分工", ["盟教育局牵头，阿拉善左旗人民政府、额济纳旗人民政府配合", "阿拉善盟财政局"],
     "阿拉善盟", {"盟教育局": "盟直部门", "阿拉善左旗人民政府": "县（市、区）", "额济纳旗人民政府": "县（市、区）",
                 "阿拉善盟财政局": "盟直部门"},
     # QA365: 旗 only
     "各旗人民政府，盟直各有关单位："),
    ("", "恩施土家族苗族自治州2024年重点工作任务分工", ["州教育局牵头，恩施市人民政府、利川市人民政府配合", "恩施州财政局"],
     "恩施土家族苗族自治州", {"州教育局": "州直部门", "恩施市人民政府": "县（市、区）", "利川市人民政府": "县（市、区）",
                            "恩施州财政局": "州直部门"},
     # QA365: two 县级市 only
     "各县级市人民政府，州直各有关单位："),
    ("", "中山市2024年重点工作任务分工", ["市教育局牵头，小榄镇、石岐街道、火炬开发区配合", "中山市财政局"],
     # 火炬开发区 is a zone, its 管委会 addressed as such (中山's notices: 各镇人民政府、区办事处，火炬开发区管委会;
     # QA361: it was a 镇街, in 各镇街（园区）)
     "中山市", {"市教育局": "市直部门", "小榄镇": "镇街", "石岐街道": "镇街", "火炬开发区": "园区", "中山市财政局": "市直部门"},
     "各镇（街道）、火炬开发区管委会，市直各有关单位："),
    ("宜昌市人民政府办公室", "宜昌市2024年重点工作任务分工",
     ["宜昌市教育局牵头，宜都市人民政府、当阳市人民政府配合", "宜都市教育局", "当阳市教育局"],
     "宜昌市", {"宜昌市教育局": "市直部门", "宜都市人民政府": "县（市、区）", "当阳市人民政府": "县（市、区）",
               "宜都市教育局": "县直部门", "当阳市教育局": "县直部门"},
     # QA365: two 县级市 only
     "各县级市人民政府，市直各有关单位："),
    # was: place 中区
    ("济南市市中区人民政府办公室", "市中区2024年重点工作任务分工", ["区教育和体育局牵头，七里山街道、二七新村街道配合", "市中区财政局"],
     "市中区", {"区教育和体育局": "区直部门", "七里山街道": "镇街", "二七新村街道": "镇街", "市中区财政局": "区直部门"},
     "各街道，区直各有关单位："),
    # was: place 中区, read as a city's plan from its units' 市中区…: 主送 各区有关单位，各街道：
    ("", "市中区2024年重点工作任务分工",
     ["区教育和体育局牵头，七里山街道、二七新村街道配合", "市中区财政局", "市中区发展和改革局"],
     "市中区", {"区教育和体育局": "区直部门", "七里山街道": "镇街", "二七新村街道": "镇街", "市中区财政局": "区直部门",
               "市中区发展和改革局": "区直部门"},
     "各街道，区直各有关单位："),
    ("济南市人民政府办公室", "济南市2024年重点工作任务分工", ["市教育局牵头，市中区人民政府、历下区人民政府配合", "市中区教育和体育局"],
     "济南市", {"市教育局": "市直部门", "市中区人民政府": "县（市、区）", "历下区人民政府": "县（市、区）",
               "市中区教育和体育局": "区直部门"},
     # QA365: 区 only
     "各区人民政府，市直各有关单位："),
    # was: 矿区人民政府 a 市直部门
    ("", "阳泉市2024年重点工作任务分工", ["市教育局牵头，城区人民政府、矿区人民政府、郊区人民政府、平定县人民政府配合"],
     "阳泉市", {"市教育局": "市直部门", "城区人民政府": "县（市、区）", "矿区人民政府": "县（市、区）",
               "郊区人民政府": "县（市、区）", "平定县人民政府": "县（市、区）"},
     # QA365: three 区 and a 县 (阳泉's 城区, 矿区, 郊区, 平定县)
     "各县（区）人民政府，市直各有关单位："),
    # was: no place
    ("阳泉市矿区人民政府办公室", "矿区2024年重点工作任务分工", ["区教育局牵头，沙坪街道、赛鱼街道配合", "区财政局"],
     "矿区", {"区教育局": "区直部门", "沙坪街道": "镇街", "赛鱼街道": "镇街", "区财政局": "区直部门"},
     "各街道，区直各有关单位："),
    ("阳泉市郊区人民政府办公室", "郊区2024年重点工作任务分工", ["区教育局牵头，荫营镇、河底镇配合"],
     "郊区", {"区教育局": "区直部门", "荫营镇": "镇街", "河底镇": "镇街"}, "各镇，区直各有关单位："),
]


@pytest.mark.parametrize("organiser, title, cells, place, kinds, recipients", IMPORTS,
                         ids=[c[3] + ("" if c[0] else "（标题）") for c in IMPORTS])
def test_a_plan_of_the_place_imports_its_place_kinds_and_recipients(tmp_path, organiser, title, cells, place,
                                                                    kinds, recipients):
    rows = [[title], ["序号", "工作任务", "责任单位"]] + [[i, f"任务{i}。", c] for i, c in enumerate(cells, 1)]
    master = import_master(_xlsx(tmp_path / "分工.xlsx", rows), organiser=organiser or None)
    assert master.directory.place == place
    assert {u.name: u.kind for u in master.directory.units} == kinds
    level = plan_level(organiser, title, [u.name for u in master.directory.units])
    units = [UnitStatus(u.name, u.kind, 1, "未报送") for u in master.directory.units]
    assert _recipients(units, level) == recipients


@pytest.mark.parametrize("organiser, place, level", [
    ("济南市市中区人民政府办公室", "市中区", "区"), ("内江市市中区人民政府办公室", "市中区", "区"),
    ("山东省枣庄市市中区人民政府", "市中区", "区"), ("青岛市市南区人民政府办公室", "市南区", "区"),
    ("市北区人民政府办公室", "市北区", "区"), ("阳泉市矿区人民政府办公室", "矿区", "区"),
    ("阳泉市城区人民政府办公室", "城区", "区"), ("阳泉市城区住房和城乡建设局", "城区", "区"), ("阳泉市郊区人民政府办公室", "郊区", "区"),
    ("景德镇市人民政府办公室", "景德镇市", "市"), ("镇江市人民政府办公室", "镇江市", "市"),
    ("平顶山市人民政府办公室", "平顶山市", "市"), ("石家庄市人民政府办公室", "石家庄市", "市"),
    ("乌鲁木齐市人民政府办公室", "乌鲁木齐市", "市"), ("阿拉善盟行政公署办公室", "阿拉善盟", "盟"),
    ("黔东南苗族侗族自治州人民政府办公室", "黔东南苗族侗族自治州", "州"), ("黔东南州人民政府办公室", "黔东南州", "州"),
    ("宜都市人民政府办公室", "宜都市", "市"),
    ("神东矿区管理委员会", "", ""),  # a mine's area, named: a zone, as before
])
def test_the_place_and_level_an_organiser_names(organiser, place, level):
    assert (plan_place(organiser), plan_level(organiser)) == (place, level)


# ---------------------------------------------------------------- kinds of units no 名录 lists

@pytest.mark.parametrize("name, plan, place, kind", [
    ("市中区人民政府", "", "", "区直部门"),  # was 市直部门: no plan said, the 区 is its level
    ("市中区教育和体育局", "市", "济南市", "区直部门"),
    ("济南市市中区人民政府", "市", "济南市", "县（市、区）"),
    ("市南区人民政府", "市", "青岛市", "县（市、区）"),
    ("矿区人民政府", "市", "阳泉市", "县（市、区）"),  # was 市直部门
    ("阳泉市矿区人民政府", "市", "阳泉市", "县（市、区）"),  # was 市直部门
    ("城区教育局", "市", "阳泉市", "区直部门"),  # was 市直部门
    ("阳泉市城区教育局", "市", "阳泉市", "区直部门"),  # was 市直部门
    ("城市管理局", "市", "阳泉市", "市直部门"),  # 城市 is still no place
    ("景德镇", "市", "景德镇市", "市直部门"),  # was 镇街
    ("江西省景德镇", "省", "江西省", "省直部门"),  # was 镇街
    ("萍乡", "省", "江西省", "省直部门"),  # was 镇街
    ("景德镇市教育局", "市", "景德镇市", "市直部门"),
    ("景德镇市人民政府", "省", "江西省", "市"),
    ("镇江市人民政府", "省", "江苏省", "市"),
    ("镇原县人民政府", "市", "庆阳市", "县（市、区）"),
    ("城关镇", "县", "镇原县", "镇街"),
    ("马鞍山市教育局", "市", "马鞍山市", "市直部门"),
    ("阿拉善盟行政公署", "省", "内蒙古自治区", "市"),
    ("黔东南州人民政府", "省", "贵州省", "市"),
    ("黔东南州教育局", "州", "黔东南州", "州直部门"),
    ("宜都市教育局", "市", "宜昌市", "县直部门"),
])
def test_the_kind_guessed_for_a_unit(name, plan, place, kind):
    assert guess_kind(name, plan, place) == kind


@pytest.mark.parametrize("name, town", [
    ("景德镇", False), ("江西景德镇", False), ("景德镇市", False), ("景德镇市教育局", False), ("萍乡", False),
    ("固镇", False), ("湘乡", False), ("镇江市", False), ("镇原县", False), ("桐乡", False), ("浙江桐乡", False),
    ("丰镇", False), ("濮院镇", True), ("乌镇", True),
    ("城关镇", True), ("屯字镇人民政府", True), ("小榄镇", True), ("七里山街道办事处", True), ("义井镇", True),
    ("河东乡", True),  # ends as 东乡 (a county) does, but is a 乡
])
def test_a_place_ending_镇_or_乡_is_no_town(name, town):
    assert is_town(name) is town


# ---------------------------------------------------------------- names resolved

def _directory(names: list[str], place: str = "") -> Directory:
    return Directory([Unit(n, "市直部门") for n in names], "", place)


# the 名录's names, the plan's place ('' when only the names can tell) -> a name written -> its unit
RESOLVE = [
    (["市教育局", "市财政局"], "景德镇市", "景德镇市教育局", "市教育局"),
    (["市教育局", "市财政局"], "景德镇市", "景德镇教育局", "市教育局"),
    (["市教育局", "市财政局"], "景德镇市", "江西省景德镇市财政局", "市财政局"),
    (["镇江市教育局", "镇江市财政局"], "镇江市", "市教育局", "镇江市教育局"),
    (["鞍山市教育局", "市财政局"], "鞍山市", "马鞍山市教育局", None),  # 马鞍山 is no 鞍山
    (["鞍山市教育局", "市财政局"], "鞍山市", "辽宁省鞍山市财政局", "市财政局"),
    (["马鞍山市教育局"], "马鞍山市", "鞍山市教育局", None),
    (["石家庄市教育局", "市财政局"], "石家庄市", "河北省石家庄市财政局", "市财政局"),
    (["乌鲁木齐市教育局", "市财政局"], "乌鲁木齐市", "新疆维吾尔自治区乌鲁木齐市财政局", "市财政局"),
    # was None: a 盟 leading the 名录's names said no place
    (["阿拉善盟教育局", "阿拉善盟财政局", "盟财政局"], "", "盟教育局", "阿拉善盟教育局"),
    (["阿拉善盟教育局", "阿拉善盟财政局", "盟财政局"], "", "内蒙古自治区阿拉善盟教育局", "阿拉善盟教育局"),
    (["阿拉善盟教育局", "盟财政局"], "阿拉善盟", "阿拉善盟财政局", "盟财政局"),
    # was None: the prefecture's short and full names
    (["黔东南苗族侗族自治州教育局", "州财政局"], "黔东南苗族侗族自治州", "黔东南州教育局", "黔东南苗族侗族自治州教育局"),
    (["黔东南苗族侗族自治州教育局", "州财政局"], "黔东南苗族侗族自治州", "黔东南州财政局", "州财政局"),
    (["州教育局", "州财政局"], "黔东南州", "黔东南苗族侗族自治州教育局", "州教育局"),
    (["州教育局", "州财政局"], "黔东南州", "贵州省黔东南州财政局", "州财政局"),
    (["恩施州教育局", "州财政局"], "恩施土家族苗族自治州", "州教育局", "恩施州教育局"),
    (["恩施州教育局", "州财政局"], "恩施土家族苗族自治州", "恩施土家族苗族自治州教育局", "恩施州教育局"),
    (["州教育局"], "黔东南州", "黔南州教育局", None),  # a neighbour
    # was None: the place read as 中区
    (["市中区教育和体育局", "市中区财政局"], "济南市市中区人民政府办公室", "区财政局", "市中区财政局"),
    (["市中区教育和体育局", "市中区财政局"], "济南市市中区人民政府办公室", "济南市市中区教育和体育局", "市中区教育和体育局"),
    (["区教育和体育局", "区财政局"], "市中区", "山东省济南市市中区财政局", "区财政局"),
    (["市教育局", "市中区人民政府"], "济南市", "济南市市中区人民政府", "市中区人民政府"),
    (["市教育局", "市中区人民政府"], "济南市", "济南市教育局", "市教育局"),
    (["区教育局", "区财政局"], "阳泉市矿区人民政府办公室", "矿区教育局", "区教育局"),
    (["区教育局", "区财政局"], "阳泉市城区人民政府办公室", "阳泉市城区财政局", "区财政局"),
    (["宜昌市教育局", "宜都市人民政府", "宜都市教育局"], "宜昌市", "市教育局", "宜昌市教育局"),
    (["宜昌市教育局", "宜都市人民政府", "宜都市教育局"], "宜昌市", "湖北省宜昌市宜都市教育局", "宜都市教育局"),
    (["宜昌市教育局", "宜都市人民政府", "宜都市教育局"], "宜昌市", "当阳市教育局", None),
]


@pytest.mark.parametrize("names, place, written, unit", RESOLVE, ids=[f"{r[1] or r[0][0]}:{r[2]}" for r in RESOLVE])
def test_a_name_resolves_with_or_without_the_place(names, place, written, unit):
    directory = _directory(names)
    if place:  # a place or the organiser naming it, as the importer gives it
        directory.locate(place)
    assert directory.resolve(written) == unit


@pytest.mark.parametrize("names, place, file, unit", [
    (["景德镇市教育局", "景德镇市昌江区人民政府"], "", "景德镇市教育局6月进展.xlsx", "景德镇市教育局"),
    (["景德镇市教育局", "景德镇市昌江区人民政府"], "", "景德镇6月报表.xlsx", None),  # 景德镇 is no unit
    (["镇江市教育局", "丹阳市人民政府"], "", "丹阳市人民政府.xlsx", "丹阳市人民政府"),
    (["州教育局", "州财政局"], "黔东南州", "黔东南州教育局6月.xlsx", "州教育局"),
    (["区教育和体育局", "区财政局"], "市中区", "市中区财政局6月.xlsx", "区财政局"),
    (["市教育局", "市中区人民政府", "市中区教育和体育局"], "济南市", "市中区教育和体育局6月.xlsx", "市中区教育和体育局"),
    (["宜昌市教育局", "宜都市人民政府", "宜都市教育局"], "宜昌市", "宜都市教育局.xlsx", "宜都市教育局"),
    (["宜昌市教育局", "宜都市人民政府", "宜都市教育局"], "宜昌市", "宜昌市教育局.xlsx", "宜昌市教育局"),
])
def test_a_unit_found_in_a_file_name(names, place, file, unit):
    assert _directory(names, place).find_in(file) == unit
