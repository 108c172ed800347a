"""A ★ before (or after) a unit marks the lead among the units of one cell (QA355).

平湖 2023 prints ``★发改局、经信局、建设局、农业农村局`` in its 牵头单位 column: 发改局 leads, the
others cooperate, as ``发改局（牵头）、经信局…`` reads. Read as part of the name before,
``★发改局`` became a unit of its own beside ``发改局`` (its tasks split between two units that
are one), and every unit of the cell led, without a word. 平湖 2025 heads a column of people
``分管市长``: said as a column duban does not import (M115) where 分管领导 is read as people.
"""

from __future__ import annotations

import pytest

from tests.conftest import sheet_table
from toolkit.master import import_master, parse_departments
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


@pytest.mark.parametrize("text, default, entries", [
    ("★发改局、经信局、建设局", LEAD, [("发改局", LEAD), ("经信局", COOP), ("建设局", COOP)]),
    ("经信局、★发改局", LEAD, [("经信局", COOP), ("发改局", LEAD)]),
    ("发改局★、经信局", LEAD, [("发改局", LEAD), ("经信局", COOP)]),
    ("★ 财政局、税务局", LEAD, [("财政局", LEAD), ("税务局", COOP)]),
    # in a 责任单位 column of its own the star still names the lead
    ("★市府办、市政府各部门、各镇街道", LEAD,
     [("市府办", LEAD), ("市政府各部门", COOP), ("各镇街道", COOP)]),
    # no star: the column's role, as before
    ("发改局、农业农村局", LEAD, [("发改局", LEAD), ("农业农村局", LEAD)]),
])
def test_a_star_marks_the_lead_of_the_cell(text, default, entries):
    assert parse_departments(text, default).entries == entries


def test_a_starred_unit_is_the_same_unit_as_written_without_the_star(tmp_path):
    path = sheet_table(tmp_path / "平湖.xlsx", [
        ("分管市长", "序号", "主要工作任务", "责任单位"),
        ("周军波", "1", "生产总值增长6%。", "★发改局、经信局"),
        (None, "2", "城乡居民人均可支配收入增长与经济增长同步。", "发改局、农业农村局"),
    ], merges=("A2:A3",))
    master = import_master(path)
    assert [u.name for u in master.directory.units] == ["发改局", "经信局", "农业农村局"]
    assert master.units_of("1", LEAD) == ["发改局"] and master.units_of("1", COOP) == ["经信局"]
    assert master.units_of("2", LEAD) == ["发改局", "农业农村局"]
    # 分管市长 is a column of people, read by nothing and not said as a column left out
    assert not [i for i in master.issues if i.code == "M115"]
