"""QA314: 安徽 2022 names its 协同责任单位 ``省政府各部门、各直属机构`` – the 主送 of every province's
documents, which plans also write whole: ``省政府各直属机构``. Written whole it was no group and
became a unit of its own: a form to nobody and a 未报送 in the memo for a unit that does not
exist. ``各直属机构`` (``各`` first) was a group already."""

from __future__ import annotations

import pytest

from tests.test_master_import import xlsx
from toolkit.groups import group_kind, is_group
from toolkit.master import import_master
from toolkit.vocab import Role


@pytest.mark.parametrize("phrase", ["省政府各直属机构", "市政府各直属单位", "区政府各直属机构", "县政府各直属事业单位",
                                    "省政府各所属单位"])
def test_a_government_s_direct_bodies_are_a_group_of_departments(phrase):
    assert is_group(phrase) and group_kind(phrase) == "dept"


def test_a_unit_cell_naming_them_gives_no_unit(tmp_path):
    path = xlsx(tmp_path / "plan.xlsx", [["序号", "重点任务", "牵头单位", "配合单位"],
                                         ["1", "全省生产总值增长7%以上。", "省发展改革委", "省政府各部门、省政府各直属机构"]])
    master = import_master(path)
    assert [(a.unit, a.role) for a in master.assignments] == [("省发展改革委", Role.LEAD)]
    assert master.report.groups == {"省政府各部门": [], "省政府各直属机构": []}
