"""A town's or 街道's own plan gives tasks to its villages and communities: 各村（社区）, 辖区各社区,
各行政村, 村（社区）. They were groups of no family: never expanded, even with a 单位名录 listing
its 村 and 社区 (M108 asked for the kind the 名录 already had, and the 社区 got no form); 辖区各社区
was no group at all, but a unit of its own that would be named 未报送."""

from __future__ import annotations

import re

import pytest
from conftest import sheet_table

from toolkit.groups import group_kind, is_group
from toolkit.master import import_master
from toolkit.units import Directory

ROWS = [["序号", "工作任务", "责任单位", "完成时限"],
        ["1", "推进人居环境整治。", "镇农办、各村（社区）", "2024年6月底前"],
        ["2", "开展安全生产检查。", "镇安监办、辖区各社区", "2024年6月底前"],
        ["3", "推进垃圾分类。", "各行政村", "2024年9月底前"]]
DIRECTORY = [["镇农办", "", "镇直部门"], ["镇安监办", "", "镇直部门"], ["东风社区居委会", "东风社区", "社区"],
             ["西湖社区居委会", "", "社区"], ["红星村委会", "红星村", "村"]]
COMMUNITIES = ["东风社区居委会", "西湖社区居委会"]


@pytest.mark.parametrize("phrase", ["各村", "各行政村", "各社区", "各社区居委会", "各村（社区）", "各村居", "有关社区",
                                    "辖区各社区", "村（社区）", "社区", "各村（居）委会"])
def test_villages_and_communities_are_groups(phrase):
    assert is_group(phrase) and group_kind(phrase) == "village"


@pytest.mark.parametrize(("name", "family"), [("农村公路办", None), ("社区卫生服务中心", None),
                                              ("各农村工作部门", "dept"), ("各社区卫生服务中心", "other")])
def test_departments_named_with_those_words_are_not(name, family):
    assert group_kind(name) == family


def test_with_a_directory_they_are_its_villages_and_communities(tmp_path):
    master = import_master(sheet_table(tmp_path / "t.xlsx", ROWS), Directory.from_rows(DIRECTORY))
    assert [(a.task, a.unit) for a in master.assignments] == [
        ("1", "镇农办"), *(("1", c) for c in COMMUNITIES), ("1", "红星村委会"),
        ("2", "镇安监办"), *(("2", c) for c in COMMUNITIES), ("3", "红星村委会")]
    assert not [i for i in master.issues if i.code in ("M102", "M106", "M108")]


def test_without_one_they_are_said_and_no_unit(tmp_path):
    master = import_master(sheet_table(tmp_path / "t.xlsx", ROWS))
    assert {a.unit for a in master.assignments} == {"镇农办", "镇安监办"}
    hints = [re.search("类别如“(.+?)”）", i.message)[1] for i in master.issues if i.code == "M108"]
    assert hints == ["村（社区）", "社区", "行政村"]


@pytest.mark.parametrize(("kinds", "said"), [
    (("镇直部门", "社区", "村"), "各村（社区），镇直各有关单位："),
    (("镇直部门", "村"), "各村，镇直各有关单位："),
    (("科室", "社区居委会"), "各社区，各有关科室："),
])
def test_the_memo_addresses_the_villages_it_names(kinds, said):
    """They were under 镇直各有关单位 alone (街道直各有关单位 beside a 街道's 科室), which addresses none of them."""
    from types import SimpleNamespace

    from toolkit.memo.addressees import recipients

    units = [SimpleNamespace(unit=f"单位{i}", kind=k) for i, k in enumerate(kinds)]
    assert recipients(units, "街道" if "科室" in kinds else "镇") == said


# QA332: kinds that say 村, 社区 or 居 without being villages; plans above a town's
NAMED_AFTER = [*DIRECTORY, ["东风社区卫生服务中心", "", "社区卫生服务中心"], ["某某村镇银行", "", "村镇银行"],
               ["镇农村经济站", "", "农村工作部门"], ["居家养老服务中心", "", "居家养老"]]


@pytest.mark.parametrize(("phrase", "members"), [
    ("各村（社区）", ["东风社区居委会", "西湖社区居委会", "红星村委会"]), ("各村", ["红星村委会"]),
    ("辖区各社区", COMMUNITIES), ("各居委会", COMMUNITIES)])
def test_units_named_after_villages_are_none_of_them(phrase, members):
    """社区卫生服务中心, 村镇银行, 农村工作部门, 居家养老 were given every 各村（社区） task."""
    from toolkit.groups import group_members

    assert group_members(phrase, Directory.from_rows(NAMED_AFTER))[0] == members


@pytest.mark.parametrize(("kinds", "level", "said"), [
    (("县直部门", "镇", "村"), "县", "各镇，县直各有关单位："),  # was 各镇，各村: every village for one
    (("区直部门", "街道", "社区"), "区", "各街道，区直各有关单位："),
    (("市直部门", "县（市、区）", "社区"), "市", "各县（市、区）人民政府，市直各有关单位："),
    (("县直部门", "村"), "县", "有关村，县直各有关单位："),
    (("县直部门", "镇", "社区卫生服务中心"), "县", "各镇，县直各有关单位："),  # was 各镇，各社区
    (("县直部门", "农村商业银行"), "县", "县直各有关单位："),  # was 各村，县直各有关单位
    (("镇直部门", "社区卫生服务中心"), "", "各有关单位："),  # was 各社区，各有关单位
    (("镇直部门", "社区", "村"), "", "各村（社区），各有关单位："),  # a town's plan (plan_level '')
])
def test_the_memo_addresses_villages_only_in_their_towns_plan(kinds, level, said):
    from types import SimpleNamespace

    from toolkit.memo.addressees import recipients

    names = {"镇": "城关镇", "街道": "东湖街道"}
    units = [SimpleNamespace(unit=names.get(k, f"单位{i}"), kind=k) for i, k in enumerate(kinds)]
    assert recipients(units, level) == said
