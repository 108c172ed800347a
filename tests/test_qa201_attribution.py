"""QA201: a mark between a town's words and a body's name hid the body (QA180's strict xfail).

``塘厦镇人民政府派出所.xlsx`` and ``塘厦镇人民政府 派出所.xlsx`` (`key` drops the space) were
nobody's, the police station's file, but ``塘厦镇人民政府_派出所.xlsx`` and
``南城街道办事处-派出所.xlsx`` were the towns': the mark stopped `body_after_town` before the
station's name, and the town was 按时 by a file it never sent. A separator a clerk types where a
space would go (_ - － — · 、 / and an opening bracket: `bodies._SEPARATOR`) is now read past, after
the town's name, its level and its government's word, and between a department's name and a town
with its branch (市公安局-塘厦镇派出所, as 东莞市公安局塘厦分局: QA168). What the town's own office
writes after a mark is still the town (塘厦镇_党政办, 塘厦镇（代报）, 东城街道办事处-城管中队).

Names: 东莞's towns and police stations as in test_qa162/test_qa168 (gaj.dg.gov.cn pages);
兴义市's 名录 (test_qa149), 兴山县's (test_qa162) and 大竹县's towns (test_qa166).
"""

from __future__ import annotations

import pytest
from test_qa162_town_bodies import XINGSHAN, XINGYI
from test_qa166_town_service_centres import DAZHU_TOWNS

from toolkit.bodies import body_after_town
from toolkit.evidence import unit_in_names
from toolkit.text import key
from toolkit.units import default_directory

DONGGUAN = default_directory()
DONGGUAN.locate("东莞市政务服务数据管理局", "东莞市2022年政务服务全域标准化专项行动")

# a body's file, a separator between the town's words and its name: nobody's (asked about)
BODIES = [
    (DONGGUAN, "塘厦镇人民政府、派出所6月.xlsx"),
    (DONGGUAN, "塘厦镇人民政府·派出所.xlsx"),
    (DONGGUAN, "塘厦镇人民政府（派出所）6月进展.xlsx"),
    (DONGGUAN, "塘厦镇人民政府【派出所】.xlsx"),
    (DONGGUAN, "南城街道办事处－派出所.xlsx"),       # full-width, NFKC's -
    (DONGGUAN, "南城街道办事处——社区卫生服务中心.xlsx"),
    (DONGGUAN, "塘厦镇政府 _ 供电所.xlsx"),           # a space and a mark
    (DONGGUAN, "塘厦镇_派出所6月.xlsx"),
    (DONGGUAN, "长安镇-锦厦社区6月工作进展.xlsx"),
    (DONGGUAN, "横沥镇·田坑派出所6月.xlsx"),
    (DONGGUAN, "塘厦_公安分局6月进展.xlsx"),
    (DONGGUAN, "虎门镇/村委会.xlsx"),
    (DONGGUAN, "长安-社区6月进展.xlsx"),             # as 长安社区6月进展 (QA168): a community's name
    (DONGGUAN, "东莞市公安局-塘厦分局6月.xlsx"),       # a department's branch (QA168), a mark between
    (DONGGUAN, "市公安局_樟木头镇派出所6月.xlsx"),
    (DONGGUAN, "东莞市公安局（塘厦分局）6月.xlsx"),
    (XINGYI, "敬南镇人民政府-派出所6月.xlsx"),
    (XINGYI, "黄草街道办事处（派出所）.xlsx"),
    (XINGYI, "则戎镇_中心学校6月进展.xlsx"),
    (XINGSHAN, "水月寺镇·派出所6月.xlsx"),
    (XINGSHAN, "高桥乡、卫生院6月进展.docx"),
    (XINGSHAN, "兴山县公安局-水月寺镇派出所6月.xlsx"),
    (DAZHU_TOWNS, "庙坝镇人民政府_派出所.xlsx"),
]

# the town's (or the department's) own return, a mark after its name
OWN = [
    (DONGGUAN, "塘厦镇_党政办6月.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇（代报）.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇-6月进展.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇人民政府_规划管理所.xlsx", "塘厦镇"),       # the town government's own (QA172)
    (DONGGUAN, "东城街道办事处-城管中队6月.xlsx", "东城街道"),
    (DONGGUAN, "塘厦镇人民政府-派出所周边环境整治6月进展.xlsx", "塘厦镇"),  # a topic (QA180)
    (DONGGUAN, "塘厦镇-社区6月进展.xlsx", "塘厦镇"),              # its communities (QA168)
    (DONGGUAN, "塘厦镇_政务服务中心6月.xlsx", "塘厦镇"),          # QA166
    (DONGGUAN, "市公安局-塘厦镇治安整治6月进展.xlsx", "市公安局"),
    (DONGGUAN, "市交通运输局_长安镇大队营房6月.xlsx", "市交通运输局"),
    (XINGYI, "敬南镇人民政府_6月进展.xlsx", "敬南镇人民政府"),
    (XINGYI, "黄草街道办事处（代报）.xlsx", "黄草街道办事处"),
    (XINGSHAN, "水月寺镇政府-关于解决派出所警力严重不足的请示.docx", "水月寺镇"),
    (DAZHU_TOWNS, "庙坝镇-党群服务中心6月.xlsx", "庙坝镇"),
]


@pytest.mark.parametrize(("directory", "name"), BODIES)
def test_a_body_after_a_mark_is_nobodys(directory, name):
    assert directory.find_in(name) is None, name
    assert unit_in_names(["进展表.xlsx", name], directory) is None  # a mail's subject, read as a name


@pytest.mark.parametrize(("directory", "name", "unit"), OWN)
def test_an_own_return_after_a_mark_is_still_its_units(directory, name, unit):
    assert directory.find_in(name) == unit


@pytest.mark.parametrize(("text", "end", "short", "body"), [
    ("塘厦镇人民政府_派出所", 3, False, True),
    ("塘厦镇人民政府_派出所", 7, False, True),      # 塘厦镇人民政府 found whole (兴义's names)
    ("塘厦镇-派出所", 3, False, True),
    ("塘厦镇(派出所)", 3, False, True),
    ("塘厦镇(代报)", 3, False, False),
    ("塘厦镇&派出所联合整治", 3, False, False),     # & joins two senders: no separator
    ("长安-社区", 2, True, True),
    ("长安镇-社区", 3, False, False),
])
def test_body_after_town_reads_past_a_separator(text, end, short, body):
    assert body_after_town(key(text), end, short) is body
