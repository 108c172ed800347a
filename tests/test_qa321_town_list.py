"""QA321: 各 written once for a list of towns and 街道 (谯城 2025) is one group, never a unit.

谯城区2025年政府工作报告重点工作任务分解表 (tests/corpus/masters/qiaocheng_zdgz_2025.xlsx) writes
``各乡镇人民政府、街道办事处`` in its 协同配合单位 cells: every 街道办事处 of the district, the 各
covering both. Split at the 、, ``街道办事处`` was imported as one unit of its own, without a
word, and would have been named 未报送 in the 通报.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.vocab import Role

COOP = Role.COOP


@pytest.mark.parametrize("cell, entries", [
    ("区政府各部门,各乡镇人民政府、街道办事处,谯城经开区管委会,魏武国控集团。",
     [("区政府各部门", COOP), ("各乡镇人民政府、街道办事处", COOP), ("谯城经开区管委会", COOP),
      ("魏武国控集团", COOP)]),
    ("各镇人民政府、街道办事处", [("各镇人民政府、街道办事处", COOP)]),
    ("各乡镇、街道", [("各乡镇、街道", COOP)]),
    # the other order, as 长清 and 洪山 write their 主送 (各街道办事处、镇人民政府)
    ("区发改委,各街道办事处、镇人民政府", [("区发改委", COOP), ("各街道办事处、镇人民政府", COOP)]),
    # a named unit after the group is a unit: only a bare 乡/镇/街道 body joins the 各
    ("各镇人民政府、区发改委", [("各镇人民政府", COOP), ("区发改委", COOP)]),
    ("各乡镇人民政府、城东街道办事处", [("各乡镇人民政府", COOP), ("城东街道办事处", COOP)]),
])
def test_a_town_list_under_one_ge_stays_one_group(cell, entries):
    assert parse_departments(cell, COOP).entries == entries


@pytest.fixture(scope="module")
def master():
    return import_master(Path(__file__).parent / "corpus" / "masters" / "qiaocheng_zdgz_2025.xlsx")


def test_the_whole_group_is_flagged_and_no_unit_is_made(master):
    assert "街道办事处" not in {a.unit for a in master.assignments}
    assert "各乡镇人民政府、街道办事处" in master.report.groups


def test_the_group_message_names_the_kinds_to_add(master):
    said = [i.message for i in master.issues if i.code == "M108" and i.message.startswith("“各乡镇")]
    assert said == ["“各乡镇人民政府、街道办事处”（任务 1、2、3、5）是一组单位，但单位名录中没有这类单位，"
                    "未展开，也未当作单位。请在单位名录中补齐这些单位（类别如“乡镇、街道”）后重新导入，"
                    "或在“责任分工”表中逐个填写。"]
