"""QA157: a file's name names its unit in any city, read as `Directory.resolve` reads a name.

The file name is the evidence left where nothing else is readable: a .wps, a damaged .xlsx, a
form retyped without its ``_meta`` must still go to its unit, which becomes 退回待改 and gets a
reply, or it silently counts as 未报送. `Directory.find_in` knew only the names as listed:

* 宜昌 (its 名录 of full names, 宜昌市教育局): ``宜昌教育局6月.wps``, ``市教育局6月进展.xlsx`` and
  ``教育局-6月.xlsx`` found nothing; the .wps was nobody's, and 宜昌市教育局 stood 未报送.
* 鞍山 (名录 市财政局): ``马鞍山市财政局.xlsx``, another city's file, was 鞍山's 市财政局, which it
  made 退回待改 (or 按时) by a file not its own; ``大连市教育局.xlsx`` likewise in a 宜昌 workspace
  whose 名录 says 市教育局.
* 大竹县 (名录 大竹县水务局) and 蔡甸区 (名录 区发展和改革局): 县水务局, 大竹水务局, 蔡甸发改局 found
  nothing, 江夏区发改局 was 蔡甸's.

Places from the corpus (``tests/corpus/masters``): 大竹 (``dazhu_mssx_2016.docx``), 蔡甸
(``prose_caidian_2023.docx``), 鞍山's 立山 (``lishan_2023``); 宜昌 and 鞍山 as QA154 reads them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import drop, shanghai
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.evidence import unit_in_names
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.units import Directory, Unit
from toolkit.vocab import UnitState

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
JUNE = Period(2016, 6)
ON_TIME = shanghai(dt.datetime(2016, 7, 4, 10, 0))
# what departments send that cannot be read as a return: a WPS 文字 document (an OLE file) and
# half an .xlsx
WPS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600
DAMAGED = b"PK\x03\x04\x14\x00\x06\x00" + b"\0" * 300


def drop_file(ws, name: str) -> None:
    """A refused file of its own content (never another's duplicate), sent on time."""
    drop(ws, name, (WPS if name.endswith(".wps") else DAMAGED) + name.encode(), ON_TIME)


def _directory(names, place: str, aliases: dict[str, tuple[str, ...]] | None = None) -> Directory:
    directory = Directory([Unit(n, "市直部门", (aliases or {}).get(n, ())) for n in names])
    directory.locate(place)
    return directory


YICHANG_FULL = ["宜昌市教育局", "宜昌市财政局", "宜昌市发展和改革委员会"]
YICHANG_SHORT = ["市教育局", "市财政局", "宜都市人民政府"]
ANSHAN = ["市教育局", "市财政局", "立山区人民政府"]
DAZHU = ["大竹县水务局", "大竹县民政局", "大竹县残疾人联合会"]
DAZHU_SHORT = ["县水务局", "县民政局"]
CAIDIAN = ["区发展和改革局", "区科技和经信局"]
CAIDIAN_ALIASES = {"区发展和改革局": ("区发改局",), "区科技和经信局": ("区科经局",)}

# the 名录's names, the organiser naming the place -> a file name -> its unit (None: nobody's)
FILES = [
    # the place written short, its level alone, or nothing before the body
    (YICHANG_FULL, "宜昌市人民政府办公室", "宜昌教育局6月", "宜昌市教育局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "市教育局6月进展", "宜昌市教育局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "教育局-6月", "宜昌市教育局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "2016年6月_财政局_进展填报表", "宜昌市财政局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "湖北宜昌财政局6月进展", "宜昌市财政局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "湖北省宜昌市财政局", "宜昌市财政局"),
    (YICHANG_FULL, "宜昌市人民政府办公室", "关于报送宜昌市教育局6月工作进展的函", "宜昌市教育局"),
    # another place: a neighbour city, a county of the city's own, a district
    (YICHANG_FULL, "宜昌市人民政府办公室", "大连市教育局", None),
    (YICHANG_FULL, "宜昌市人民政府办公室", "大连教育局6月", None),
    (YICHANG_FULL, "宜昌市人民政府办公室", "宜都市教育局6月", None),
    (YICHANG_FULL, "宜昌市人民政府办公室", "区教育局6月", None),
    (YICHANG_SHORT, "宜昌市人民政府办公室", "大连市教育局", None),
    (YICHANG_SHORT, "宜昌市人民政府办公室", "当阳市教育局6月进展", None),
    (YICHANG_SHORT, "宜昌市人民政府办公室", "宜昌教育局6月", "市教育局"),
    (YICHANG_SHORT, "宜昌市人民政府办公室", "宜都市人民政府6月", "宜都市人民政府"),
    # 马鞍山 is no 鞍山
    (ANSHAN, "鞍山市人民政府办公室", "马鞍山市财政局", None),
    (ANSHAN, "鞍山市人民政府办公室", "2024年6月马鞍山市财政局进展", None),
    (ANSHAN, "鞍山市人民政府办公室", "鞍山市财政局6月", "市财政局"),
    (ANSHAN, "鞍山市人民政府办公室", "辽宁省鞍山市财政局", "市财政局"),
    (ANSHAN, "鞍山市人民政府办公室", "鞍山财政局", "市财政局"),
    (ANSHAN, "鞍山市人民政府办公室", "立山区人民政府6月", "立山区人民政府"),
    # a county: 大竹县 of 达州市
    (DAZHU, "大竹县人民政府办公室", "县水务局6月进展", "大竹县水务局"),
    (DAZHU, "大竹县人民政府办公室", "大竹水务局", "大竹县水务局"),
    (DAZHU, "大竹县人民政府办公室", "四川省达州市大竹县水务局", "大竹县水务局"),
    (DAZHU, "大竹县人民政府办公室", "水务局-2016年6月", "大竹县水务局"),
    (DAZHU, "大竹县人民政府办公室", "渠县水务局", None),
    (DAZHU_SHORT, "大竹县人民政府办公室", "渠县水务局", None),
    (DAZHU_SHORT, "大竹县人民政府办公室", "达州市水务局", None),
    (DAZHU_SHORT, "大竹县人民政府办公室", "大竹水务局6月", "县水务局"),
    # a district: 蔡甸区 of 武汉市
    (CAIDIAN, "蔡甸区人民政府办公室", "蔡甸发改局6月", "区发展和改革局"),
    (CAIDIAN, "蔡甸区人民政府办公室", "武汉市蔡甸区科经局", "区科技和经信局"),
    (CAIDIAN, "蔡甸区人民政府办公室", "发改局6月", "区发展和改革局"),
    (CAIDIAN, "蔡甸区人民政府办公室", "江夏区发改局6月", None),
    (CAIDIAN, "蔡甸区人民政府办公室", "武汉市发改局6月", None),
]


@pytest.mark.parametrize("names, organiser, file, unit", FILES, ids=[f"{r[1][:3]}:{r[2]}" for r in FILES])
def test_a_file_name_is_read_with_the_workspaces_place(names, organiser, file, unit):
    aliases = CAIDIAN_ALIASES if names is CAIDIAN else None
    assert _directory(names, organiser, aliases).find_in(file) == unit


def test_a_body_alone_is_no_general_word():
    # 政府 of 市政府 in a sentence about the work, 委 of 市委: too short to be read alone
    directory = _directory(["市政府办公室", "市委", "市政府"], "宜昌市人民政府办公室")
    assert directory.find_in("6月政府工作报告") is None
    assert directory.find_in("委员会6月") is None
    assert directory.find_in("中共宜昌市委6月") == "市委"


def test_a_place_read_two_ways_is_none_in_a_file_name_as_in_resolve():
    directory = Directory([Unit("县司法局"), Unit("司法局"), Unit("县民政局")])
    directory.locate("西平县人民政府办公室")
    assert directory.resolve("西平司法局") is directory.find_in("西平司法局6月") is None
    assert directory.find_in("西平县司法局6月") == "县司法局"  # as written in it, a name longer than 司法局
    assert directory.find_in("县司法局6月") == "县司法局"
    assert directory.find_in("司法局6月") == "司法局"
    assert directory.find_in("西平民政局6月") == directory.resolve("西平民政局") == "县民政局"


def test_a_place_only_assumed_rejects_no_place():
    # no 落款, no place in the title, names listed one way: 绍兴市财政局 may be the plan's own, and
    # is found as before; told the place, 马鞍山's is none
    directory = Directory([Unit("市财政局"), Unit("市教育局")])
    assert directory.find_in("绍兴市财政局6月") == directory.find_in("财政局6月") == "市财政局"
    directory.locate("鞍山市人民政府办公室")
    assert directory.find_in("马鞍山市财政局") is None
    assert directory.find_in("鞍山财政局6月") == "市财政局"


def test_a_quoted_word_in_the_name_keeps_the_place_reading():
    # a name with quotes is read by a copy of the 名录 with its quotes straight: with its place
    directory = _directory(YICHANG_FULL, "宜昌市人民政府办公室")
    assert unit_in_names(["宜昌教育局“双减”工作6月进展"], directory) == "宜昌市教育局"
    assert unit_in_names(["马鞍山市财政局“放管服”6月"], _directory(ANSHAN, "鞍山市人民政府办公室")) is None


# ---------------------------------------------------------------- through collect


def _workspace(tmp_path: Path, directory: str, organiser: str, units: tuple[str, str, str]):
    """A city's workspace: the 绍兴 table (``shaoxing_zdgz_2020.xlsx``) with its three tasks given
    to ``units`` as the city's table writes them, and ``directory`` as its 名录."""
    table = tmp_path / "zdgz.xlsx"
    shutil.copy(CORPUS / "shaoxing_zdgz_2020.xlsx", table)
    wb = load_workbook(table)
    wb.active["D3"], wb.active["D4"], wb.active["D5"] = units
    wb.save(table)
    csv = tmp_path / "名录.csv"
    csv.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + directory, encoding="utf-8")
    ws, _ = init_workspace(tmp_path / "ws", table, period=JUNE, directory_csv=csv, organiser=organiser)
    issue_returns(ws, JUNE)
    return ws


def _receipt(ws, name: str):
    with Ledger(ws.ledger_path) as ledger:
        return next(r for r in ledger.receipts() if r.name == name)


def _state(ws, unit: str) -> str:
    return next(u.state for u in consolidate(ws, JUNE).units if u.unit == unit)


def _reply(ws, unit: str) -> list[Path]:
    return sorted((ws.root / "反馈" / JUNE.label).glob(f"*/{unit}_校验反馈.eml"))


YICHANG_CSV = ("宜昌市教育局,,市直部门,,,jyj@yichang.example.cn\n"
               "宜昌市财政局,,市直部门,,,czj@yichang.example.cn\n"
               "宜昌市发展和改革委员会,宜昌市发改委,市直部门,,,fgw@yichang.example.cn\n")


def test_yichang_refused_wps_named_short_is_its_units_to_fix_with_a_reply(tmp_path):
    ws = _workspace(tmp_path, YICHANG_CSV, "宜昌市人民政府办公室", ("市教育局", "市财政局", "市发改委"))
    assert sorted(ws.load_master().units_with_tasks()) == sorted(YICHANG_FULL)
    drop_file(ws, "宜昌教育局6月.wps")
    drop_file(ws, "市财政局6月进展.xlsx")
    result = collect(ws)
    for name, unit in (("宜昌教育局6月.wps", "宜昌市教育局"), ("市财政局6月进展.xlsx", "宜昌市财政局")):
        rec = _receipt(ws, name)
        assert (rec.unit, rec.identified_by, str(rec.period)) == (unit, "文件名", "2016-06")
        assert _state(ws, unit) == UnitState.TO_FIX  # not 未报送
        assert _reply(ws, unit) and _reply(ws, unit)[-1] in result.feedback
    assert _state(ws, "宜昌市发展和改革委员会") == UnitState.NOT_REPORTED


ANSHAN_CSV = ("市教育局,,市直部门,,,jyj@anshan.example.cn\n"
              "市财政局,,市直部门,,,czj@anshan.example.cn\n"
              "市发改委,,市直部门,,,fgw@anshan.example.cn\n")


def test_anshan_workspace_takes_no_maanshan_file_for_its_own(tmp_path, run):
    ws = _workspace(tmp_path, ANSHAN_CSV, "鞍山市人民政府办公室", ("市教育局", "市财政局", "市发改委"))
    drop_file(ws, "马鞍山市财政局.xlsx")
    drop_file(ws, "大连市教育局6月.wps")
    out = run(["collect"], cwd=ws.root).stdout
    for name in ("马鞍山市财政局.xlsx", "大连市教育局6月.wps"):
        assert _receipt(ws, name).unit is None
        assert f"{name}（单位未识别）" in out
    assert [r.unit for r in consolidate(ws, JUNE).receipts] == [None, None]  # listed in 收件登记
    assert _state(ws, "市财政局") == _state(ws, "市教育局") == UnitState.NOT_REPORTED
    assert not _reply(ws, "市财政局") and not _reply(ws, "市教育局")
    # the city's own file, its place written in full, is 市财政局's
    drop_file(ws, "辽宁省鞍山市财政局6月.xlsx")
    collect(ws)
    assert _receipt(ws, "辽宁省鞍山市财政局6月.xlsx").unit == "市财政局"
    assert _state(ws, "市财政局") == UnitState.TO_FIX and _reply(ws, "市财政局")


DAZHU_CSV = ("大竹县水务局,,县直部门,,,sw@dazhu.example.cn\n"
             "大竹县住房和城乡建设局,大竹县住建局,县直部门,,,zj@dazhu.example.cn\n"
             "大竹县护城河指挥部,,县直部门,,,hch@dazhu.example.cn\n"
             "大竹县文体广新局,,县直部门,,,wt@dazhu.example.cn\n"
             "大竹县代建中心,,县直部门,,,dj@dazhu.example.cn\n"
             "大竹县残疾人联合会,大竹县残联,县直部门,,,cl@dazhu.example.cn\n"
             "大竹县民政局,,县直部门,,,mz@dazhu.example.cn\n"
             "大竹县政务服务中心,,县直部门,,,zw@dazhu.example.cn\n"
             "大竹县教育科技局,大竹县教科局,县直部门,,,jk@dazhu.example.cn\n"
             "大竹县商务局,,县直部门,,,sw2@dazhu.example.cn\n")
CAIDIAN_CSV = ("区发展和改革局,区发改局,区直部门,,,fgj@caidian.example.cn\n"
               "区科技和经信局,区科经局,区直部门,,,kjj@caidian.example.cn\n")


@pytest.mark.parametrize("source, directory, mine, theirs, unit", [
    ("dazhu_mssx_2016.docx", DAZHU_CSV, "县水务局6月进展.wps", "渠县水务局6月进展.wps", "大竹县水务局"),
    ("dazhu_mssx_2016.docx", DAZHU_CSV, "大竹民政局.xlsx", "达州市民政局.xlsx", "大竹县民政局"),
    ("prose_caidian_2023.docx", CAIDIAN_CSV, "蔡甸发改局6月.wps", "江夏区发改局6月.wps", "区发展和改革局"),
], ids=["县水务局", "大竹民政局", "蔡甸发改局"])
def test_a_county_and_a_district_read_their_own_place_only(tmp_path, source, directory, mine, theirs, unit):
    csv = tmp_path / "名录.csv"
    csv.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n" + directory, encoding="utf-8")
    ws, master = init_workspace(tmp_path / "ws", CORPUS / source, period=JUNE, directory_csv=csv)
    assert unit in master.units_with_tasks()
    issue_returns(ws, JUNE)
    drop_file(ws, mine)
    drop_file(ws, theirs)
    collect(ws)
    assert (_receipt(ws, mine).unit, _receipt(ws, mine).identified_by) == (unit, "文件名")
    assert _receipt(ws, theirs).unit is None
    assert _state(ws, unit) == UnitState.TO_FIX and _reply(ws, unit)


def test_a_one_character_place_is_no_name_after_another_place():
    """阳泉's 城区 (its stem 城): 晋城市城区教育局 is 晋城's district's bureau (QA156's note)."""
    from toolkit.units import Directory, Unit

    d = Directory([Unit("城区教育局"), Unit("城区财政局")], organiser="阳泉市城区人民政府办公室")
    assert d.resolve("区教育局") == "城区教育局"
    assert d.resolve("晋城市城区教育局") is None
    assert d.resolve("阳泉市城区教育局") == "城区教育局"  # as its 落款 writes it
    assert d.find_in("晋城市城区教育局6月进展.xlsx") is None
    assert d.find_in("城区教育局6月进展.xlsx") == "城区教育局"
