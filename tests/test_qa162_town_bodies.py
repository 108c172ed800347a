"""QA162: a file named after a body located in a town is not the town's return.

A file without ``_meta`` (a department's own table, a Word file, a retyped form) goes to the unit
its name, subject or sender names (`Directory.find_in`). A town's name found there counted even
where it went on into another body's name: ``塘厦公安分局6月进展.xlsx`` (the city police's 分局 in
塘厦) made 塘厦镇 退回待改, or 按时 once readable, by a file it never sent; ``樟木头林场6月`` was
樟木头镇's, ``东城区6月`` (北京's district) 东城街道's, ``西安市长安区`` 长安镇's. Such a name now
names nobody, and collect asks the office whose it is (请核实); what a town's own office writes
after its name (人民政府, 党政办, 经济发展局, （代报）) is still the town.

Names from public pages (search corpus "pages"):
* 东莞市公安局's site, 警情通报 (gaj.dg.gov.cn …/post_716420.html, post_716402.html): 横沥分局,
  横沥公安分局, 田坑派出所, 麻涌公安分局; 中国报道 2024-01-10 (cxzg.apcreports.org.cn …/46047.html):
  东莞虎门公安分局.
* 东莞+ 2025-09-23 on 长安 (pub.timedg.com …/AP68d24732e4b0d5088a615423.html): 东莞市城市管理和综合
  执法局长安分局, 东莞市交通运输局长安分局, 锦厦社区, and the town's own 长安镇经济发展局.
* a 东莞 complaint page (yqyb.porsven.com/324301872179.html): 广东电网樟木头供电分局.
* 兴山县 (宜昌), 360docs.net/doc/3c6094184.html: 水月寺镇政府关于解决派出所警力严重不足的请示 (the
  town's own letter about its 派出所) and 水月寺镇派出所.
Other places' 名录: 兴义市 (QA149's, from prose_xingyi_zwgk_2021.docx) and 兴山县's towns.
"""

from __future__ import annotations

import csv
import io

import pytest
from conftest import drop, on_time
from openpyxl import Workbook
from test_evidence import receipts, state
from test_qa149_xingyi import DIRECTORY as XINGYI_CSV

from toolkit.actions.collect import collect
from toolkit.bodies import body_after_town
from toolkit.evidence import unit_in_names
from toolkit.units import Directory, Unit, default_directory
from toolkit.vocab import UnitState

DONGGUAN = default_directory()

# a name a body located in a town sends under: nobody's
BODIES = [
    "塘厦公安分局6月进展.xlsx",
    "樟木头林场6月.xlsx",
    "东城区6月.xlsx",            # 北京's district, not 东城街道
    "西安市长安区6月.xlsx",       # 西安's district, not 长安镇
    "虎门公安分局6月进展.xlsx",
    "东莞虎门公安分局6月工作进展.docx",
    "长安镇派出所6月.xlsx",
    "石龙镇中心小学6月.xlsx",
    "大岭山林场6月.xlsx",
    "东坑供电所6月.xlsx",
    "东坑镇供电局进展情况.xlsx",
    "樟木头供电分局6月.xlsx",
    "横沥分局6月工作进展.xlsx",
    "麻涌公安分局进展情况.docx",
    "横沥镇田坑派出所6月.xlsx",
    "长安镇锦厦社区6月工作进展.xlsx",
    "塘厦镇卫生院6月.xlsx",
    "塘厦税务分局6月.xlsx",
    "塘厦市场监督管理分局6月进展.xlsx",
    "长安自然资源分局6月.xlsx",
    "凤岗镇社区卫生服务中心6月.xlsx",
    "东城街道派出所6月.xlsx",
    "东城派出所6月.xlsx",
    "企石水库管理处6月.xlsx",
    "关于报送塘厦公安分局6月工作进展的函.docx",
]

# a town's own return, named as its clerks name it
TOWNS = [
    ("塘厦镇6月进展.xlsx", "塘厦镇"),
    ("塘厦6月.xlsx", "塘厦镇"),
    ("塘厦镇人民政府报送.xlsx", "塘厦镇"),
    ("塘厦镇党政办6月", "塘厦镇"),
    ("塘厦镇（代报）", "塘厦镇"),
    ("塘厦镇政府办6月进展.xlsx", "塘厦镇"),
    ("塘厦镇办公室6月.xlsx", "塘厦镇"),
    ("长安镇经济发展局6月进展.xlsx", "长安镇"),
    ("东城街道办事处6月.xlsx", "东城街道"),
    ("2022年6月_东城街道_进展填报表.xlsx", "东城街道"),
    # words of its own work after its name, not a body's name
    ("塘厦镇中心工作推进情况.xlsx", "塘厦镇"),
    ("塘厦镇智慧社区建设进展.xlsx", "塘厦镇"),
    ("塘厦镇中小学校舍改造进展.xlsx", "塘厦镇"),
    ("塘厦镇中学生资助6月进展.xlsx", "塘厦镇"),
    ("塘厦镇农村人居环境整治6月进展.xlsx", "塘厦镇"),
    ("塘厦镇配合公安分局开展专项整治进展.xlsx", "塘厦镇"),
    ("塘厦镇所辖村6月进展.xlsx", "塘厦镇"),
    ("虎门村级工业园改造进展.xlsx", "虎门镇"),  # QA109: 村级 is the town's villages
    ("松山湖园区6月.xlsx", "松山湖高新区"),
]


@pytest.mark.parametrize("name", BODIES)
def test_a_body_located_in_a_dongguan_town_is_not_the_town(name):
    found = unit_in_names([name], DONGGUAN)
    assert found is None, (name, found)


@pytest.mark.parametrize("name, unit", TOWNS)
def test_a_towns_own_return_is_still_the_towns(name, unit):
    assert unit_in_names([name], DONGGUAN) == unit
    assert DONGGUAN.find_in(name) == unit


def test_a_city_bureaus_branch_in_a_town_is_not_the_town():
    # 东莞+ on 长安: the city's bureau named, its 长安分局 after it; whatever it is, not 长安镇
    for name in ("东莞市城市管理和综合执法局长安分局6月.xlsx", "东莞市交通运输局长安分局6月进展.xlsx"):
        assert unit_in_names([name], DONGGUAN) != "长安镇", name


def test_a_mail_subject_naming_a_body_names_no_town():
    # a mail whose attachment says nothing: its subject is read next, as a file name is
    assert unit_in_names(["进展表.xlsx", "虎门公安分局6月进展情况"], DONGGUAN) is None
    assert unit_in_names(["进展表.xlsx", "虎门镇6月进展情况"], DONGGUAN) == "虎门镇"


def test_a_body_that_is_a_unit_of_the_directory_is_that_unit():
    """A 名录 listing the police's 分局 in 塘厦 as its own unit: the file is that unit's."""
    directory = Directory([Unit("市公安局"), Unit("市公安局塘厦分局", "市直部门", ("塘厦公安分局", "塘厦分局")),
                           Unit("塘厦镇", "镇街", ("塘厦",)), Unit("长安镇", "镇街", ("长安",))])
    for name in ("塘厦公安分局6月进展.xlsx", "市公安局塘厦分局6月.xlsx", "塘厦分局6月进展.xlsx"):
        assert unit_in_names([name], directory) == "市公安局塘厦分局", name
    assert unit_in_names(["塘厦镇6月进展.xlsx"], directory) == "塘厦镇"
    assert unit_in_names(["长安镇派出所6月.xlsx"], directory) is None


def _from_csv(text: str, organiser: str) -> Directory:
    directory = Directory.from_rows(list(csv.reader(io.StringIO(text)))[1:])
    directory.locate(organiser)
    return directory


XINGYI = _from_csv(XINGYI_CSV, "兴义市人民政府办公室")


@pytest.mark.parametrize("name, unit", [
    ("敬南镇派出所6月.xlsx", None),
    ("敬南镇卫生院6月进展.xlsx", None),
    ("则戎镇中心学校6月进展.xlsx", None),
    ("黄草街道派出所6月.xlsx", None),
    ("丰都街道社区卫生服务中心6月.xlsx", None),
    ("敬南镇6月进展.xlsx", "敬南镇人民政府"),
    ("则戎镇人民政府6月进展.xlsx", "则戎镇人民政府"),
    ("黄草街道办事处6月.xlsx", "黄草街道办事处"),
    ("2021年7月_丰都街道办事处_进展填报表.xlsx", "丰都街道办事处"),
])
def test_xingyi(name, unit):
    assert unit_in_names([name], XINGYI) == unit


XINGSHAN = Directory([Unit("县公安局", "县直部门"), Unit("县教育局", "县直部门"),
                      Unit("古夫镇", "镇"), Unit("水月寺镇", "镇"), Unit("高桥乡", "乡")])
XINGSHAN.locate("兴山县人民政府办公室")


@pytest.mark.parametrize("name, unit", [
    ("水月寺镇派出所6月.xlsx", None),
    ("高桥乡卫生院6月进展.docx", None),
    ("古夫镇中心学校6月.xlsx", None),
    ("水月寺镇政府关于解决派出所警力严重不足的请示.docx", "水月寺镇"),  # the town's own letter
    ("水月寺镇6月进展.xlsx", "水月寺镇"),
    ("高桥乡6月.xlsx", "高桥乡"),
])
def test_xingshan(name, unit):
    assert unit_in_names([name], XINGSHAN) == unit


def test_xingshan_county_bureaus_station_is_not_the_town():
    assert unit_in_names(["兴山县公安局水月寺派出所6月.xlsx"], XINGSHAN) != "水月寺镇"


@pytest.mark.parametrize("text, end, short, body", [
    ("塘厦公安分局6月", 2, True, True),
    ("塘厦镇派出所", 3, False, True),
    ("塘厦镇派出所", 2, True, True),      # the short name, the town's level, the body
    ("东城区6月", 2, True, True),
    ("东城区6月", 2, False, False),       # only a short name is another place's before 区
    ("塘厦区域6月", 2, True, False),
    ("塘厦镇6月", 3, False, False),
    ("塘厦镇", 3, False, False),
    ("塘厦镇锦厦社区", 3, False, True),
    ("塘厦镇社区", 3, False, False),      # the town's communities: a topic of its own return
])
def test_body_after_town(text, end, short, body):
    assert body_after_town(text, end, short) is body


# ---------------------------------------------------------------------------
# end to end: the 分局's own table in 收件箱


def own_table(title: str, task: str, progress: str) -> bytes:
    """A body's own table, as a department keeps its work: no _meta, none of the form's columns."""
    wb = Workbook()
    sheet = wb.active
    sheet.append([title])
    sheet.append(["序号", "工作任务", "进展情况", "备注"])
    sheet.append([1, task, progress, ""])
    data = io.BytesIO()
    wb.save(data)
    return data.getvalue()


def _police_table() -> bytes:
    """The 分局's own table."""
    return own_table("塘厦公安分局2022年6月重点工作进展情况", "推进智慧新警务建设", "已完成辖区视频监控点位建设")


NAME = "塘厦公安分局6月进展.xlsx"


def test_the_police_table_leaves_the_town_not_reported(issued_ws):
    drop(issued_ws, NAME, _police_table(), on_time())
    collect(issued_ws)
    (rec,) = [r for r in receipts(issued_ws) if r.name == NAME]
    assert rec.unit is None  # listed in 收件登记, nobody's
    assert state(issued_ws, "塘厦镇") == UnitState.NOT_REPORTED  # not 退回待改


def test_collect_says_whose_it_is_must_be_checked(issued_ws, run):
    drop(issued_ws, NAME, _police_table(), on_time())
    out = run(["-w", str(issued_ws.root), "collect"]).output
    assert f"{NAME}（单位未识别）" in out
    (line,) = [x.strip() for x in out.splitlines() if x.strip().startswith("请核实")]
    assert line.startswith(f"请核实：{NAME} 看不出是哪个单位报送的") and "未计入任何单位" in line
    assert "塘厦镇" not in out.split("请核实")[0].replace(NAME, "")
    assert state(issued_ws, "塘厦镇") == UnitState.NOT_REPORTED
