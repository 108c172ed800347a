"""QA257 review of QA254 (M115 表格列未导入) and QA255 (X会同Y): a column without a header is
said too; X会同Y、Z lists Z with Y, as cooperating, where the cell shows the clause ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_master_unread_columns import xlsx

from toolkit.master import import_master
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


def _units(tmp_path: Path, cell: str):
    m = import_master(xlsx(tmp_path / "t.xlsx", [
        ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "推进部门预算决算公开", cell, "2024年6月底前"],
    ]))
    said = [i.message for i in m.issues if i.code == "M104"]
    return sorted((a.unit, a.role) for a in m.assignments), said


@pytest.mark.parametrize("cell", ["市发改委会同市财政局、市住建局", "市发改委会同市财政局、市住建局等部门"])
def test_every_unit_listed_after_huitong_cooperates(tmp_path, cell):
    """Split at 、 before 会同 was read, 市住建局 led beside 市发改委 (QA257)."""
    units, said = _units(tmp_path, cell)
    assert units == [("市住建局", COOP), ("市发改委", LEAD), ("市财政局", COOP)]
    assert said == [f"任务 1 的责任部门“{cell}”中“市发改委会同市财政局”的“会”按“会同”读作“市发改委”牵头、"
                    "“市财政局”配合，其后的“市住建局”同为配合。请在“责任分工”表中核对。"]


@pytest.mark.parametrize("cell", [
    "市发改委会同市财政局；市住建局",          # another clause
    "市发改委会同市财政局、市住建局（牵头）",  # a mark of its own
    "市发改委会同市财政局、市住建局负责",      # a role word after it: not known to be the clause's
])
def test_a_unit_not_known_in_the_clause_keeps_its_role(tmp_path, cell):
    units, _ = _units(tmp_path, cell)
    assert ("市住建局", LEAD) in units and ("市财政局", COOP) in units
