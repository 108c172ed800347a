"""QA406 F2: 金乡县's plan names its parks 新材料产业园, 高端装备产业园, 食品产业园 and 商贸物流园, no 区 in
their names: the importer made them 县直部门, and the 通报's 主送 read 县直各有关单位 alone, where
README says a 园区 is addressed beside the departments (各园区管委会). A 公园, 植物园 or 幼儿园 is none."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit.memo.addressees import recipients
from toolkit.units import Directory, guess_kind


@pytest.mark.parametrize("name", [
    "新材料产业园", "高端装备产业园", "食品产业园", "商贸物流园",  # 金乡县 2025 (QA406)
    "金乡县新材料产业园", "化工产业园管委会", "滨江科技园", "临港工业园", "中关村软件园", "大学生创业园"])
def test_a_park_named_with_yuan_is_a_park(name):
    assert guess_kind(name, "县", "金乡县") == "园区"


@pytest.mark.parametrize("name, kind", [
    ("县植物园", "县直部门"), ("人民公园", "县直部门"), ("县实验幼儿园", "县直部门"), ("烈士陵园", "县直部门"),
    ("县动物园", "县直部门"), ("县园林局", "县直部门"), ("产业园服务中心", "县直部门"), ("物流园建设指挥部", "县直部门"),
    ("县政府园区发展服务中心", "县直部门")])
def test_a_garden_or_a_parks_office_is_no_park(name, kind):
    assert guess_kind(name, "县", "金乡县") == kind


def test_jinxiang_2025_addresses_its_parks():
    """A 单位名录 row of no 类别 too; the 主送 names the parks' 管委会 before the departments."""
    d = Directory.from_rows([["新材料产业园"], ["商贸物流园"], ["县财政局"]])
    assert [u.kind for u in d.units] == ["园区", "园区", "县直部门"]
    units = [("县财政局", "县直部门"), ("县政府园区发展服务中心", "县直部门"), *((n, guess_kind(n, "县", "金乡县")) for n in (
        "新材料产业园", "高端装备产业园", "食品产业园", "商贸物流园"))]
    assert recipients([SimpleNamespace(unit=u, kind=k) for u, k in units], "县") == "各园区管委会，县直各有关单位："
