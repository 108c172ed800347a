"""A city that is not Dongguan, as its coordinator sees it (QA helper qa122): 广州市's 2012
关于推进人才集聚工程的实施意见 (corpus), 39 items, 配合单位 written 各区、县级市.

1. 各区、县级市 and 各有关区、县级市 (27 and 2 tasks) stayed unexpanded with M108, even with a
   单位名录 giving the ten 区 and the two 县级市 (增城市, 从化市) as 类别 区 and 县级市: the county
   family read 各区 only when nothing followed it. The districts got no form for 27 tasks.
2. The 通报's 主送 read 各市（区）人民政府 for those twelve: 市 first reads as cities in a
   city's own 通报; 广州's documents say 各区、县级市人民政府.
3. Every issued form printed 第 N 页 cut in half at the page's foot (LibreOffice, WPS): the
   footer sat at openpyxl's 0.5 inch, 0.1 inch under a body ending at 0.6 inch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.consolidate import UnitStatus
from toolkit.master.importer import import_master
from toolkit.memo.addressees import recipients as _recipients
from toolkit.period import Period
from toolkit.resources import resource
from toolkit.returns import SHEET, build_return
from toolkit.style import load_style
from toolkit.units import Directory, Unit

GUANGZHOU = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_guangzhou_rencai_2012.docx"
DISTRICTS = ["越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "萝岗区"]
CITIES = ["增城市", "从化市"]
DEPARTMENTS = ["市委组织部", "市人力资源和社会保障局", "市教育局", "市科技和信息化局", "市发展改革委"]


def _directory() -> Directory:
    units = [Unit(d, "市直部门") for d in DEPARTMENTS]
    units += [Unit(f"{d}人民政府", "区", (d,)) for d in DISTRICTS]
    units += [Unit(f"{c}人民政府", "县级市", (c,)) for c in CITIES]
    return Directory(units)


@pytest.fixture(scope="module")
def master():
    return import_master(GUANGZHOU, _directory(), organiser="广州市人民政府办公厅")


def test_districts_and_county_level_cities_are_the_members_of_ge_qu_xianjishi(master):
    assert not [i for i in master.issues if i.code == "M108" and "县级市" in i.message]
    # 任务 2: 市发展改革委 leads; 市委组织部, 市人力资源和社会保障局 and 各区、县级市 配合
    units = {a.unit for a in master.assignments if a.task == "2"}
    assert {f"{d}人民政府" for d in DISTRICTS + CITIES} <= units
    # 各有关区、县级市 (任务 19, 36) likewise
    assert "从化市人民政府" in {a.unit for a in master.assignments if a.task == "19"}


def test_memo_addresses_districts_and_county_level_cities_as_guangzhou_does():
    units = [UnitStatus(f"{d}人民政府", "区", 1, "未报送") for d in DISTRICTS[:3]]
    units += [UnitStatus(f"{c}人民政府", "县级市", 1, "未报送") for c in CITIES]
    units.append(UnitStatus("市教育局", "市直部门", 1, "未报送"))
    assert _recipients(units, "市") == "各区、县级市人民政府，市直各有关单位："


def test_issued_forms_footer_sits_below_the_table(master):
    wb = build_return(master, "越秀区人民政府", Period(2012, 9), dt.date(2012, 10, 5), "推进人才集聚工程的实施意见",
                      load_style(resource("templates", "样式.toml")), organiser="广州市人民政府办公厅",
                      generated_at=dt.datetime(2012, 10, 1))
    margins = wb[SHEET].page_margins
    assert wb[SHEET].oddFooter.center.text  # 第 N 页，共 N 页
    # a 9-point footer line needs about 0.15 inch between its margin and the body's
    assert margins.bottom - margins.footer >= 0.25
    assert margins.top - margins.header >= 0.25
