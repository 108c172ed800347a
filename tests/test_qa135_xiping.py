"""西平县 (河南省驻马店市) addresses its 通报 (QA135).

The office's 单位名录 files its towns as README tells it to, 类别 镇, 乡 and 街道 (出山镇, 人和乡,
柏城街道), not as the importer's own 镇街. The 通报 then read "县直各有关单位：" alone: the towns it
names as 未报送 were not among those it was sent to, and they came after the departments only
by the directory's order. And a plan named …工作安排 (西平县2020年度法治政府建设工作安排, 西政办
〔2020〕20号) opened "根据西平县2020年度法治政府建设工作安排工作安排". The whole month is played in
test_qa135_xiping_month.py.
"""

from __future__ import annotations

import pytest

from toolkit.consolidate import UnitStatus
from toolkit.memo.addressees import recipients as _recipients
from toolkit.memo.context import _naming_rank, arrangement
from toolkit.units import town_kind


def _units(*kinds: tuple[str, str]) -> list[UnitStatus]:
    return [UnitStatus(unit, kind, 1, "未报送") for unit, kind in kinds]


XIPING = (("西平县司法局", "部门"), ("出山镇", "镇"), ("人和乡", "乡"), ("柏城街道", "街道"))


def test_towns_filed_as_镇_乡_街道_are_addressed_as_towns():
    assert _recipients(_units(*XIPING), "县") == "各乡镇街道，县直各有关单位："
    assert _recipients(_units(*XIPING[:3]), "县") == "各乡镇，县直各有关单位："
    assert _recipients(_units(("出山镇", "乡镇"), ("权寨镇", "乡镇")), "县") == "各镇："
    # the importer's own kind, as before
    assert _recipients(_units(("西平县司法局", "县直部门"), ("出山镇", "镇街")), "县") == "各镇，县直各有关单位："


def test_towns_of_such_kinds_are_named_after_the_departments():
    units = _units(("柏城街道", "街道"), ("西平县司法局", "部门"), ("人和乡", "乡"))
    assert [u.unit for u in sorted(units, key=_naming_rank)] == ["西平县司法局", "柏城街道", "人和乡"]


@pytest.mark.parametrize("kind, town", [
    ("镇街", True), ("镇", True), ("乡", True), ("街道", True), ("乡镇", True), ("苏木乡镇", True),
    ("镇（街道）", True), ("部门", False), ("县直部门", False), ("镇直部门", False), ("乡镇站所", False),
    ("街道科室", False), ("科室", False), ("县（市、区）", False),
])
def test_town_kind(kind, town):
    assert town_kind(kind) is town


def test_a_plan_named_as_an_arrangement_is_not_arranged_twice():
    assert arrangement("西平县2020年度法治政府建设工作安排") == "根据西平县2020年度法治政府建设工作安排"
    assert arrangement("东莞市2022年政务服务全域标准化专项行动") == "根据东莞市2022年政务服务全域标准化专项行动工作安排"
    assert arrangement("2024年政务公开重点工作") == "根据2024年政务公开重点工作安排"


def test_units_stationed_by_a_higher_level_are_addressed_as_such():
    """湖北's 通报 (QA136) named 人行武汉分行 and 湖北银监局, 类别 中央驻鄂单位, as 未报送 while
    addressing 各市州人民政府，省直各有关单位 only."""
    units = _units(("武汉市", "市州"), ("省财政厅", "省直部门"), ("人行武汉分行", "中央驻鄂单位"),
                   ("湖北银监局", "中央驻鄂单位"))
    assert _recipients(units, "省") == "各市州人民政府，省直各有关单位，中央驻鄂有关单位："
    assert _recipients(units[2:], "省") == "中央驻鄂有关单位："
    assert _recipients(_units(("东莞海关", "中直驻莞单位"), ("市府办", "市直部门")), "市") == \
        "市直各有关单位，中直驻莞有关单位："
