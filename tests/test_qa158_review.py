"""QA158: a review of b2c797e (file names read with the plan's place), fc90a1f (收件箱's
uncollected files said 请核实), e2273fa (a write-protected ledger read through a copy).

b2c797e reads a name led by the plan's level (市公安局) only where its 市 starts at a boundary,
so that 马鞍山市财政局 is not 鞍山's 市财政局. A clerk's file name puts other words there too:
Windows' copy (复件 市司法局6月.wps, Copy of 市司法局), 附件, 副本, 定稿 … At fe1929b these were
the unit's; after b2c797e nobody's, and a unit whose only file is a .wps or a damaged form
stood 未报送 where it was 退回待改 with a reply. `key` drops the space the clerk typed, and
the words were no boundary.
"""

from __future__ import annotations

import pytest

from toolkit.units import Directory, Unit, default_directory


def _yichang() -> Directory:
    directory = Directory([Unit(n, "市直部门") for n in ("市教育局", "市财政局", "市民政局", "市司法局")])
    directory.locate("宜昌市人民政府办公室")
    return directory


# Dongguan's bundled 名录: a file name -> its unit
DONGGUAN = [
    ("复件 市司法局6月.wps", "市司法局"),          # Windows XP's copy of a file
    ("Copy of 市司法局.xlsx", "市司法局"),         # English Windows' copy
    ("复件 东莞市公安局.xlsx", "市公安局"),
    ("附件市公安局6月.xlsx", "市公安局"),
    ("附件东莞市公安局6月.xlsx", "市公安局"),
    ("副本市公安局6月.xlsx", "市公安局"),
    ("定稿东莞市司法局.xlsx", "市司法局"),
    ("最终版市公安局6月.xlsx", "市公安局"),
    ("修改后市司法局6月.xlsx", "市司法局"),
    ("请查收市公安局6月进展.xlsx", "市公安局"),
    ("进展情况市民政局.xlsx", "市民政局"),
    # as before: another city's name is nobody's, a town's its own
    ("深圳市公安局6月.xlsx", None),
    ("附件深圳市公安局6月.xlsx", None),
    ("广州市市场监督管理局.xlsx", None),
    ("2022年6月_东莞市公安局_进展填报表.xlsx", "市公安局"),
    ("虎门镇6月.xlsx", "虎门镇"),
    ("中堂村6月进展.xlsx", None),
]


@pytest.mark.parametrize(("name", "unit"), DONGGUAN)
def test_dongguan_file_names_after_a_clerks_word_or_space(name, unit):
    assert default_directory().find_in(name) == unit


@pytest.mark.parametrize(("name", "unit"), [
    ("复件 市司法局6月.wps", "市司法局"),
    ("附件市教育局6月.xlsx", "市教育局"),
    ("副本宜昌市财政局.xlsx", "市财政局"),
    ("马鞍山市财政局.xlsx", None),        # still another city's (QA157)
    ("附件马鞍山市财政局.xlsx", None),
    ("大连市教育局6月.xlsx", None),
])
def test_yichang_file_names_after_a_clerks_word_or_space(name, unit):
    assert _yichang().find_in(name) == unit


def test_a_space_inside_a_name_still_reads_it():
    """The space is a boundary, not a wall: 东莞市 公安局 and 市 公安局 are still 市公安局's."""
    directory = default_directory()
    assert directory.find_in("东莞市 公安局 6月.xlsx") == "市公安局"
    assert directory.find_in("市 公安局6月.xlsx") == "市公安局"
