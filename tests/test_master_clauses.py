"""A role word ending a unit cell's clause is that clause's only (QA259).

``X、Y，Z配合`` in a 责任单位 column: X and Y are the responsible units (the column's role),
only Z cooperates. Read as one clause all three cooperated, nobody led, and the task was
imported with no unit to report it (M106).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.master import import_master, parse_departments
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP


@pytest.mark.parametrize("text, entries", [
    ("市发改委、市财政局，市统计局配合", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("市发改委、市财政局；市统计局配合。", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("市发改委、市财政局。市统计局配合", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("市发改委，市财政局，市统计局配合", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("市发改委、市财政局，市统计局为配合单位", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("市发改委、市财政局，市统计局（配合）", [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]),
    ("各县（市、区）政府，市发改委、市财政局配合",
     [("各县（市、区）政府", LEAD), ("市发改委", COOP), ("市财政局", COOP)]),
    # a unit left after the last clause is still said and cooperates
    ("市发改委、市财政局，市统计局配合，市住建局",
     [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP), ("市住建局", COOP)]),
])
def test_units_before_a_clause_with_its_own_role_word_take_the_columns_role(text, entries):
    assert parse_departments(text).entries == entries


@pytest.mark.parametrize("text, entries", [
    ("市发改委、市财政局，市统计局配合", [("市发改委", COOP), ("市财政局", COOP), ("市统计局", COOP)]),
    ("市发改委，市财政局负责，市统计局配合", [("市发改委", COOP), ("市财政局", LEAD), ("市统计局", COOP)]),
])
def test_in_a_cooperating_column_those_units_cooperate(text, entries):
    assert parse_departments(text, COOP).entries == entries


@pytest.mark.parametrize("text, entries", [
    # unchanged: within one clause the role word is every unit's
    ("市发改委、市财政局配合", [("市发改委", COOP), ("市财政局", COOP)]),
    ("市发改委牵头，市财政局、市统计局配合", [("市发改委", LEAD), ("市财政局", COOP), ("市统计局", COOP)]),
    # after a clause with its own word, ， lists: Y cooperates with Z
    ("市发改委牵头，市财政局，市统计局配合", [("市发改委", LEAD), ("市财政局", COOP), ("市统计局", COOP)]),
    # a word for many is every waiting unit's, whatever the marks between them
    ("市发改委、市财政局，市统计局、市住建局分别牵头",
     [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", LEAD), ("市住建局", LEAD)]),
    ("市发改委、市财政局，市统计局、市住建局（并列牵头）",
     [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", LEAD), ("市住建局", LEAD)]),
    # 落实 says who carries the task out, not a role: as before
    ("市发改委、市财政局，各街道落实", [("市发改委", LEAD), ("市财政局", LEAD), ("各街道", LEAD)]),
    # a line break lists units, it closes no clause: all cooperate, and the import says M106
    ("市发改委、市财政局\n市统计局配合", [("市发改委", COOP), ("市财政局", COOP), ("市统计局", COOP)]),
])
def test_words_for_the_whole_cell_still_reach_back(text, entries):
    assert parse_departments(text).entries == entries


def test_under_the_first_listed_leads_convention_the_first_of_the_columns_units_leads():
    got = parse_departments("市发改委、市财政局，市统计局配合", first_leads=True)
    assert got.entries == [("市发改委", LEAD), ("市财政局", COOP), ("市统计局", COOP)]
    # a clause with its own 负责: both named responsible, as before
    got = parse_departments("市发改委、市财政局负责，市统计局配合", first_leads=True)
    assert got.entries == [("市发改委", LEAD), ("市财政局", LEAD), ("市统计局", COOP)]


def _table(path: Path, header: list[str], rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(header)
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _roles(master, task: str) -> dict[str, str]:
    return {a.unit: a.role for a in master.assignments if a.task == task}


@pytest.mark.parametrize("column", ["责任单位", "牵头单位"])
def test_a_lead_column_imports_the_units_before_the_cooperating_clause_as_leads(tmp_path, column):
    path = _table(tmp_path / "t.xlsx", ["序号", "工作任务", column, "完成时限"], [
        [1, "编制方案。", "市发改委、市财政局，市统计局配合", "2024年12月底前"],
        [2, "开展评估。", "市发改委、市财政局；市统计局配合", "2024年12月底前"],
        [3, "建设平台。", "市发改委会同市财政局、市住建局，市统计局配合", "2024年12月底前"],
    ])
    m = import_master(path)
    assert _roles(m, "1") == {"市发改委": LEAD, "市财政局": LEAD, "市统计局": COOP}
    assert _roles(m, "2") == {"市发改委": LEAD, "市财政局": LEAD, "市统计局": COOP}
    assert _roles(m, "3") == {"市发改委": LEAD, "市财政局": COOP, "市住建局": COOP, "市统计局": COOP}
    assert not [i for i in m.issues if i.code == "M106"]


def test_a_cooperating_column_keeps_its_units_cooperating(tmp_path):
    path = _table(tmp_path / "t.xlsx", ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"], [
        [1, "编制方案。", "市政府办", "市发改委、市财政局，市统计局配合", "2024年12月底前"],
    ])
    m = import_master(path)
    assert _roles(m, "1") == {"市政府办": LEAD, "市发改委": COOP, "市财政局": COOP, "市统计局": COOP}
