"""QA165: a name the 名录 lists led by no place is another government's after another place.

A file without ``_meta`` goes to the unit its name or mail subject names (`Directory.find_in`).
QA164 made a mark after another place (广州市-民政局) start no name; a name led by the plan's
place or level (市民政局) was already found only where such a name may start. The bundled 名录
also lists 市市场监管局 by the bare alias 市场监管局, led by nothing: it was found anywhere in a
file's name, so ``广州市市场监管局6月.xlsx``, ``广州市-市场监管局6月.xlsx`` and
``广东省市场监管局.xlsx`` were 东莞's 市市场监管局, which the 通报 then named 按时 for another
city's or the province's file. Such a name now names nobody when the words right before it, or
before the marks before it, end with another place's name (`places.follows_other_place`), as
``广州市市场监督管理局`` (led by 市) already did; a province written without its level alone
(广东, 湖北 before a mark) is another place too.

Left: a city or a county written without its level (深圳 市场监管局, 深圳 公安局): the code keeps
no list of them, and a bare name of two characters is no place the code can tell from a
clerk's words.

Names from public pages (search corpus "pages"):
* 广州市市场监管局, the short name 广州市市场监督管理局 goes by in its 2024 work report
  (difang.gmw.cn/gd/2025-03/08/content_37893289.htm; gz.gov.cn …/bmgzzj/2024n/content/post_10169856.html).
* 深圳市市场监督管理局2024年工作总结和2025年工作计划 (sz.gov.cn …/lsqkgk/content/post_12006023.html).
* 国家税务总局嘉兴市税务局 (zhejiang.chinatax.gov.cn/col/col25901/index.html): another city's 税务局.
* 长安镇 of 海宁市 (浙江嘉兴), a town of the same name as 东莞's 长安镇.
"""

from __future__ import annotations

import pytest
from conftest import drop, on_time
from test_evidence import receipts, state
from test_qa157_file_names_any_city import YICHANG_SHORT, _directory
from test_qa162_town_bodies import own_table

from toolkit.actions.collect import collect
from toolkit.places import follows_other_place
from toolkit.units import Directory, Unit, default_directory
from toolkit.vocab import UnitState

DONGGUAN = default_directory()

FOREIGN_DONGGUAN = [
    "广州市市场监管局6月.xlsx",
    "广州市-市场监管局6月.xlsx",
    "广州市 6月-市场监管局.xlsx",          # a date between: still Guangzhou's
    "广州-市场监管局6月进展.xlsx",          # 广州's 州 reads as a level
    "广州市花都区市场监管局.xlsx",          # a district of another city
    "广东省市场监管局6月.xlsx",             # the province's own bureau
    "广东省-市场监管局.xlsx",
    "广东市场监管局6月.xlsx",               # the province without its level
    "广东-市民政局6月.xlsx",
    "湖北 民政局.xlsx",
    "县市场监管局6月.xlsx",                 # a county's, none in 东莞
    "海宁市长安镇6月进展.xlsx",             # 浙江's 长安镇, not 东莞's
    # another city's 税务局 (QA164 already; kept)
    "广州市-市税务局.xlsx",
    "嘉兴市-税务局6月.xlsx",
    "国家税务总局嘉兴市税务局6月.xlsx",
]

OWN_DONGGUAN = [
    ("市场监管局6月.xlsx", "市市场监管局"),
    ("东莞市市场监管局6月.xlsx", "市市场监管局"),
    ("东莞市-市场监管局.xlsx", "市市场监管局"),
    ("东莞 市场监管局.xlsx", "市市场监管局"),
    ("东莞市场监管局6月.xlsx", "市市场监管局"),
    ("广东省东莞市市场监管局.xlsx", "市市场监管局"),
    ("广东东莞市场监管局.xlsx", "市市场监管局"),
    ("广东 东莞市民政局.xlsx", "市民政局"),       # the province, then our own place
    ("本市市场监管局6月.xlsx", "市市场监管局"),   # 本市 is ours
    ("2022年6月市场监管局.xlsx", "市市场监管局"),
    ("复件 市场监管局6月.wps", "市市场监管局"),
    ("关于报送市场监管局6月进展.xlsx", "市市场监管局"),
    ("市-税务局.xlsx", "东莞市税务局"),
    ("税务局6月.xlsx", "东莞市税务局"),
    ("国家税务总局东莞市税务局6月.xlsx", "东莞市税务局"),
    ("广东省东莞市长安镇6月进展.xlsx", "长安镇"),
    ("长安镇6月进展.xlsx", "长安镇"),
]


@pytest.mark.parametrize("name", FOREIGN_DONGGUAN)
def test_dongguan_another_places_bureau_is_nobodys(name):
    assert DONGGUAN.find_in(name) is None


@pytest.mark.parametrize(("name", "unit"), OWN_DONGGUAN)
def test_dongguan_own_place_level_or_a_clerks_word_is_still_ours(name, unit):
    assert DONGGUAN.find_in(name) == unit


# a province's 名录 (thousands of names): `find_in` looks each substring up instead, by the same rule
LARGE = Directory([*DONGGUAN.units, *(Unit(f"测试{i:04d}镇", "镇街", ()) for i in range(3000))],
                  DONGGUAN.organiser, DONGGUAN.place)


@pytest.mark.parametrize(("name", "unit"), [*((n, None) for n in FOREIGN_DONGGUAN), *OWN_DONGGUAN])
def test_a_large_directory_reads_alike(name, unit):
    assert LARGE.find_in(name) == unit


@pytest.mark.parametrize(("file", "unit"), [
    ("武汉市市场监管局6月.xlsx", None),
    ("湖北省-市场监管局.xlsx", None),
    ("湖北 市场监管局6月.xlsx", None),
    ("宜都市市场监管局.xlsx", None),           # a county-level city of 宜昌's own
    ("市场监管局6月.xlsx", "市市场监管局"),
    ("宜昌市场监管局6月.xlsx", "市市场监管局"),
    ("湖北省宜昌市市场监管局.xlsx", "市市场监管局"),
    ("湖北-宜昌市市场监管局.xlsx", "市市场监管局"),
])
def test_yichang_bare_alias(file, unit):
    names = [*YICHANG_SHORT, "市市场监管局"]
    directory = _directory(names, "宜昌市人民政府办公室", {"市市场监管局": ("市场监管局",)})
    assert directory.find_in(file) == unit


@pytest.mark.parametrize(("text", "at", "marks", "place", "follows"), [
    ("广州市市场监管局", 3, [], "东莞市", True),
    ("广州市-市场监管局", 4, [(3, 4)], "东莞市", True),
    ("广州市6月-市场监管局", 6, [(3, 6)], "东莞市", True),
    ("东莞市市场监管局", 3, [], "东莞市", False),
    ("东莞市场监管局", 2, [], "东莞市", False),
    ("本市市场监管局", 2, [], "东莞市", False),
    ("6月市场监管局", 2, [(0, 2)], "东莞市", False),
    ("广东市场监管局", 2, [], "东莞市", True),          # a province, its level left out
    ("广东-民政厅", 3, [(2, 3)], "广东省", False),       # the province's own plan
    ("广西-民政厅", 3, [(2, 3)], "广西壮族自治区", False),
    ("广东-民政厅", 3, [(2, 3)], "广西壮族自治区", True),
    ("深圳市场监管局", 2, [], "东莞市", False),          # left: no list of cities (深圳)
])
def test_follows_other_place(text, at, marks, place, follows):
    assert follows_other_place(text, at, marks, place) is follows


# ---------------------------------------------------------------------------
# end to end: Guangzhou's 市场监管局 table in 收件箱

NAME = "广州市市场监管局6月.xlsx"


def _guangzhous_table() -> bytes:
    """广州市市场监管局's own progress table (no _meta, none of 东莞's tasks)."""
    return own_table("广州市市场监管局2022年6月重点工作进展情况", "推进数字化市场监管示范城市建设",
                     "“市场监管在线”已上线试运行")


def test_guangzhous_table_leaves_the_local_bureau_not_reported(issued_ws):
    drop(issued_ws, NAME, _guangzhous_table(), on_time())
    collect(issued_ws)
    (rec,) = [r for r in receipts(issued_ws) if r.name == NAME]
    assert rec.unit is None
    assert state(issued_ws, "市市场监管局") == UnitState.NOT_REPORTED


def test_collect_asks_whose_guangzhous_table_is(issued_ws, run):
    drop(issued_ws, NAME, _guangzhous_table(), on_time())
    out = run(["-w", str(issued_ws.root), "collect"]).output
    (line,) = [x.strip() for x in out.splitlines() if x.strip().startswith("请核实")]
    assert line.startswith(f"请核实：{NAME} 看不出是哪个单位报送的") and "未计入任何单位" in line
    assert state(issued_ws, "市市场监管局") == UnitState.NOT_REPORTED
