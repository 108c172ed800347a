"""QA164: another place's name, a mark, then a department is not the local department.

A file without ``_meta`` goes to the unit its name or mail subject names (`Directory.find_in`).
``广州市民政局6月.xlsx`` named nobody in 东莞's workspace: 广州市 leads the name, the body is
Guangzhou's. With a mark between, the mark started a name: ``广州市-民政局6月进展.xlsx``,
``广州市 民政局6月.xlsx``, ``广州市_民政局.xlsx`` and ``（广州市）民政局`` were 东莞's 市民政局, which
the 通报 then named 按时 for a file it never sent, and whose own silence nobody saw; in 大竹县's
``渠县-水务局`` was 大竹县水务局, in 宜昌's ``大连市_教育局`` 宜昌市教育局. A mark after another place
(`places.after_other_place`) now starts no name, as its absence did not; after the plan's own
place (东莞市-民政局, 大竹县-水务局) and after a clerk's words (复件 市司法局, 6月-市民政局: QA158)
it still does.

Names from public pages (search corpus "pages"):
* 广州市民政局, its 2025 政务公开 annual report (plomaipel.com …/bm/2025n/content/post_10658598.html,
  a copy of gz.gov.cn's); 广州市花都区人民政府办公室 and 广州市黄埔区人民政府 (gz.gov.cn
  …/hdq/qfb/content/post_5489098.html, …/hpq/qf/content/post_7999920.html): 区农林局, 财政局.
* 大连市's 2023 self-evaluation of its 教育 duties (foodeducation.cn/sydt/show.php?itemid=2813).
* 达州市通川区人民政府 (wz.zwzzw.com/html/site_tchuan.gov.cn.html): 大竹县's neighbour in 达州市;
  渠县 and 达州市 as QA157 reads them (``dazhu_mssx_2016.docx``).
* 兴义市 (QA149's ``prose_xingyi_zwgk_2021.docx``) in 黔西南州, beside 安龙县.
"""

from __future__ import annotations

import csv
import io

import pytest
from conftest import drop, on_time
from test_evidence import receipts, state
from test_qa149_xingyi import DIRECTORY as XINGYI_CSV
from test_qa157_file_names_any_city import DAZHU, DAZHU_SHORT, YICHANG_FULL, YICHANG_SHORT, _directory
from test_qa162_town_bodies import own_table

from toolkit.actions.collect import collect
from toolkit.places import after_other_place
from toolkit.units import Directory, default_directory
from toolkit.vocab import UnitState

DONGGUAN = default_directory()
# what a clerk puts between a place and a body: a hyphen, an underscore, a space (ASCII and
# full-width), a middle dot, a full-width slash, an enumeration comma
MARKS = ("-", "_", " ", "\u3000", "·", "／", "、")

FOREIGN_DONGGUAN = [
    "广州市-民政局6月进展.xlsx",
    "广州市 民政局6月.xlsx",
    "广州市_民政局.xlsx",
    "广州市_市民政局.xlsx",
    "（广州市）民政局6月进展.xlsx",
    "广州市 6月-民政局.xlsx",           # a date between: still Guangzhou's
    "广州市报送民政局6月进展.docx",      # a subject's word between
    "广州市花都区-司法局6月.xlsx",       # a district of another city
    "广州市黄埔区 民政局.xlsx",
    "广东省-民政局6月.xlsx",            # the province's own department
    "深圳市_公安局6月.xlsx",
]

OWN_DONGGUAN = [
    ("东莞市-民政局6月.xlsx", "市民政局"),
    ("东莞 民政局6月.xlsx", "市民政局"),
    ("东莞市_市民政局.xlsx", "市民政局"),
    ("广东省东莞市-民政局.xlsx", "市民政局"),
    ("广东省-东莞市民政局6月.xlsx", "市民政局"),   # the province, then our own place
    ("（东莞市）市民政局.xlsx", "市民政局"),
    ("市-民政局6月.xlsx", "市民政局"),
    ("本市-民政局6月.xlsx", "市民政局"),           # 本市 is ours, no other place
    # QA158's: a clerk's words before the name
    ("复件 市司法局6月.wps", "市司法局"),
    ("附件市公安局6月.xlsx", "市公安局"),
    ("6月-市民政局.xlsx", "市民政局"),
    ("2022年6月_东莞市公安局_进展填报表.xlsx", "市公安局"),
]


@pytest.mark.parametrize("name", FOREIGN_DONGGUAN)
def test_dongguan_another_places_department_through_a_mark_is_nobodys(name):
    assert DONGGUAN.find_in(name) is None


@pytest.mark.parametrize(("name", "unit"), OWN_DONGGUAN)
def test_dongguan_own_place_or_a_clerks_word_through_a_mark_is_still_ours(name, unit):
    assert DONGGUAN.find_in(name) == unit


@pytest.mark.parametrize("mark", MARKS)
@pytest.mark.parametrize(("place", "body", "own"), [
    ("广州市", "民政局", None),
    ("大连市", "司法局", None),
    ("湖北省宜昌市", "公安局", None),
    ("西安市长安区", "民政局", None),
    ("东莞市", "民政局", "市民政局"),
    ("广东省东莞市", "司法局", "市司法局"),
])
def test_dongguan_a_mark_reads_as_no_mark(place, body, mark, own):
    """Whatever the mark, the name reads as written without it (广州市民政局: nobody's)."""
    name = f"{place}{mark}{body}6月进展.xlsx"
    assert DONGGUAN.find_in(name) == DONGGUAN.find_in(f"{place}{body}6月进展.xlsx") == own, name


# ---- a county (大竹县 of 达州市, 四川), a city (宜昌市), a county-level city (兴义市) ----

@pytest.mark.parametrize(("names", "file", "unit"), [
    (DAZHU, "渠县-水务局6月.xlsx", None),
    (DAZHU, "达州市_水务局.xlsx", None),                 # the city's, above the county
    (DAZHU, "达州市通川区 民政局6月.xlsx", None),
    (DAZHU, "四川省-民政局.xlsx", None),
    (DAZHU, "大竹县-水务局6月.xlsx", "大竹县水务局"),
    (DAZHU, "达州市大竹县 水务局.xlsx", "大竹县水务局"),
    (DAZHU, "四川省达州市-大竹县水务局.xlsx", "大竹县水务局"),
    (DAZHU, "水务局-2016年6月.xlsx", "大竹县水务局"),
    (DAZHU_SHORT, "渠县-水务局6月.xlsx", None),
    (DAZHU_SHORT, "达州市_县水务局.xlsx", None),
    (DAZHU_SHORT, "大竹县_县水务局.xlsx", "县水务局"),
    (DAZHU_SHORT, "大竹 水务局6月.xlsx", "县水务局"),
    (DAZHU_SHORT, "县-民政局6月.xlsx", "县民政局"),
])
def test_dazhu(names, file, unit):
    assert _directory(names, "大竹县人民政府办公室").find_in(file) == unit


@pytest.mark.parametrize(("names", "file", "unit"), [
    (YICHANG_FULL, "大连市_教育局6月.xlsx", None),
    (YICHANG_FULL, "大连市-市教育局.xlsx", None),
    (YICHANG_FULL, "宜都市 教育局6月.xlsx", None),        # a county-level city of 宜昌's own
    (YICHANG_FULL, "武汉市_财政局.xlsx", None),
    (YICHANG_FULL, "湖北省-教育局6月.xlsx", None),
    (YICHANG_FULL, "湖北省宜昌市-教育局6月.xlsx", "宜昌市教育局"),
    (YICHANG_FULL, "湖北省-宜昌市教育局6月.xlsx", "宜昌市教育局"),
    (YICHANG_FULL, "宜昌 教育局6月.xlsx", "宜昌市教育局"),
    (YICHANG_SHORT, "当阳市 教育局6月进展.xlsx", None),
    (YICHANG_SHORT, "大连市_市教育局.xlsx", None),
    (YICHANG_SHORT, "宜昌市_市教育局.xlsx", "市教育局"),
])
def test_yichang(names, file, unit):
    assert _directory(names, "宜昌市人民政府办公室").find_in(file) == unit


def _xingyi() -> Directory:
    directory = Directory.from_rows(list(csv.reader(io.StringIO(XINGYI_CSV)))[1:])
    directory.locate("兴义市人民政府办公室")
    return directory


@pytest.mark.parametrize(("file", "unit"), [
    ("安龙县-财政局6月.xlsx", None),
    ("黔西南州_财政局6月.xlsx", None),          # the prefecture above the city
    ("贵阳市 发改局6月.xlsx", None),
    ("兴义市-财政局6月.xlsx", "兴义市财政局"),
    ("兴义 发改局6月.xlsx", "兴义市发展和改革局"),
    ("复件 市财政局6月.wps", "兴义市财政局"),
])
def test_xingyi(file, unit):
    assert _xingyi().find_in(file) == unit


@pytest.mark.parametrize(("text", "marks", "place", "after"), [
    ("广州市-民政局", [(3, 4)], "东莞市", {4}),
    ("东莞市-民政局", [(3, 4)], "东莞市", set()),
    ("广州市6月-民政局", [(3, 6)], "东莞市", {6}),
    ("广州市民政局6月", [(6, 8)], "东莞市", set()),   # a name's words, not a place alone
    ("广州市", [(3, 3), (3, 4), (4, 4)], "东莞市", {3, 4}),  # marks in a row all follow it
    ("复件市司法局", [(2, 2)], "东莞市", set()),
    ("全县-水务局", [(2, 3)], "大竹县", set()),
])
def test_after_other_place(text, marks, place, after):
    assert after_other_place(text, marks, place) == after


# ---------------------------------------------------------------------------
# end to end: Guangzhou's form in 收件箱

NAME = "广州市-民政局6月进展.xlsx"


def _guangzhous_form() -> bytes:
    """广州市民政局's own progress table (no _meta, none of 东莞's tasks), forwarded into 东莞's
    inbox. (东莞's form with its _meta deleted would still be 市民政局's by its task rows:
    only 市民政局 was issued them.)"""
    return own_table("广州市民政局2022年6月重点工作进展情况", "推进养老服务设施建设", "已完成街镇综合养老服务中心建设")


def test_guangzhous_form_leaves_the_local_bureau_not_reported(issued_ws):
    drop(issued_ws, NAME, _guangzhous_form(), on_time())
    collect(issued_ws)
    (rec,) = [r for r in receipts(issued_ws) if r.name == NAME]
    assert rec.unit is None
    assert state(issued_ws, "市民政局") == UnitState.NOT_REPORTED


def test_collect_asks_whose_guangzhous_form_is(issued_ws, run):
    drop(issued_ws, NAME, _guangzhous_form(), on_time())
    out = run(["-w", str(issued_ws.root), "collect"]).output
    (line,) = [x.strip() for x in out.splitlines() if x.strip().startswith("请核实")]
    assert line.startswith(f"请核实：{NAME} 看不出是哪个单位报送的") and "未计入任何单位" in line
    assert state(issued_ws, "市民政局") == UnitState.NOT_REPORTED
