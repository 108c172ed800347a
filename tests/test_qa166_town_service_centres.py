"""QA166: a town's own service centre (政务服务中心, 便民服务中心, 党群服务中心, 综治中心) is the town.

QA162 made a town's name carried on into a body located in it (塘厦公安分局, 长安镇派出所, a
社区卫生服务中心) name nobody in a file's name or a mail's subject (`bodies.body_after_town`).
Its ending 中心 also took the town government's own centres: ``塘厦镇政务服务中心6月进展.xlsx``,
``东城街道便民服务中心6月.xlsx`` and ``大竹县庙坝镇党群服务中心6月`` were the town's at edf100c and
nobody's after: a .wps or a form without ``_meta`` sent so was counted for no unit, and the town
stood 未报送 in the 通报 for a return it sent. A 乡镇政务（服务）中心 is set up by the town
government itself ("乡镇政务中心是乡镇政府设立的综合性政务服务平台", fudaoke.com/exam/2567157.html;
a 镇's 政务公开 report: "领导小组…办公室(设在镇党政办)", biganzizhijia.com/fanwen/hbcl/10197.html),
and in a 政务公开 plan the return is often its own. A clinic's 社区卫生服务中心, a school, a
派出所 and a 财政所 (a 名录 may list 庙坝镇财政所 as its own unit, QA82) stay nobody's.

Found comparing `find_in` and `unit_in_names` at edf100c and after QA165 on 249,053 names over
69 名录 the tests build (东莞, 大竹 with its towns, 兴义, 西平, 兴山, the corpus masters' …).
"""

from __future__ import annotations

import csv
import io

import pytest
from test_qa95_memo_counts_and_appendix import DAZHU, TOWNS
from test_qa162_town_bodies import XINGYI

from toolkit.evidence import unit_in_names
from toolkit.units import Directory, Unit, default_directory

DONGGUAN = default_directory()


def _dazhu() -> Directory:
    """大竹's 名录 of QA95 with its towns, located as the workspace locates it."""
    directory = Directory.from_rows(list(csv.reader(io.StringIO(DAZHU)))[1:])
    for town in TOWNS:
        directory.add(Unit(town, "乡镇（街道）"))
    directory.locate("大竹县人民政府办公室")
    return directory


DAZHU_TOWNS = _dazhu()

OWN = [
    (DONGGUAN, "塘厦镇政务服务中心6月进展.xlsx", "塘厦镇"),
    (DONGGUAN, "东莞市塘厦镇政务服务中心6月.wps", "塘厦镇"),
    (DONGGUAN, "东城街道便民服务中心6月.xlsx", "东城街道"),
    (DONGGUAN, "莞城政务服务中心6月.xlsx", "莞城街道"),
    (DONGGUAN, "塘厦镇党群服务中心6月.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇综治中心6月.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇公共服务中心6月进展.xlsx", "塘厦镇"),
    (DONGGUAN, "塘厦镇行政服务中心6月.xlsx", "塘厦镇"),
    (DONGGUAN, "转发：长安镇政务服务中心6月进展情况", "长安镇"),
    (DAZHU_TOWNS, "庙坝镇政务服务中心6月进展.xlsx", "庙坝镇"),
    (DAZHU_TOWNS, "大竹县庙坝镇党群服务中心6月.xlsx", "庙坝镇"),
    (DAZHU_TOWNS, "竹阳街道便民服务中心6月.xlsx", "竹阳街道"),
    (XINGYI, "黄草街道政务服务中心6月.xlsx", "黄草街道办事处"),
    (XINGYI, "兴义市则戎镇便民服务中心6月进展.xlsx", "则戎镇人民政府"),
]

BODIES = [
    (DONGGUAN, "凤岗镇社区卫生服务中心6月.xlsx"),
    (DONGGUAN, "塘厦公安分局6月进展.xlsx"),
    (DONGGUAN, "塘厦镇财政所6月.xlsx"),
    (DONGGUAN, "长安镇锦厦社区6月工作进展.xlsx"),
    (DAZHU_TOWNS, "庙坝镇卫生院6月.xlsx"),
    (DAZHU_TOWNS, "庙坝镇中心学校6月进展.xlsx"),
    (XINGYI, "丰都街道社区卫生服务中心6月.xlsx"),
]


@pytest.mark.parametrize("directory, name, unit", OWN, ids=[r[1] for r in OWN])
def test_a_towns_service_centre_sends_the_towns_return(directory, name, unit):
    assert directory.find_in(name) == unit
    assert unit_in_names([name], directory) == unit


@pytest.mark.parametrize("directory, name", BODIES, ids=[r[1] for r in BODIES])
def test_a_body_located_in_the_town_is_still_nobodys(directory, name):
    assert unit_in_names([name], directory) is None


def test_a_mail_subject_of_the_centre_names_the_town():
    # the attachment says nothing; the subject is read next, as collect reads a mail
    assert unit_in_names(["进展表.xlsx", "塘厦镇政务服务中心报送6月进展"], DONGGUAN) == "塘厦镇"


# a province's 名录 (thousands of names): `find_in` looks each substring up instead, by the same rule
LARGE = Directory([*DONGGUAN.units, *(Unit(f"测试{i:04d}镇", "镇街", ()) for i in range(3000))],
                  DONGGUAN.organiser, DONGGUAN.place)


@pytest.mark.parametrize("name, unit", [(n, u) for d, n, u in OWN if d is DONGGUAN]
                         + [(n, None) for d, n in BODIES if d is DONGGUAN])
def test_a_large_directory_reads_alike(name, unit):
    assert LARGE.find_in(name) == unit
