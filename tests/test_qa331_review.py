"""QA331 review of QA330's town groups.

A bare 镇, 乡, 街道 (with 政府, 办事处) became a group phrase in QA330; a 单位名录 that lists a
unit by such a name (a town's own plan: 青山镇人民政府, alias 镇政府) lost it: the group was
tried before the directory, expanded to nothing (M108) and the task had no lead (M106).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sheet_table

from toolkit.master import import_master
from toolkit.units import Directory

DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
青山镇党政办公室,党政办,镇直部门,,,a@qs.gov.cn
青山镇经济发展办公室,经发办,镇直部门,,,b@qs.gov.cn
青山镇人民政府,镇政府,镇直部门,,,c@qs.gov.cn
青山街道办事处,街道办事处,镇直部门,,,d@qs.gov.cn
青山乡人民政府,乡政府,镇直部门,,,e@qs.gov.cn
"""
CELLS = {
    "镇政府": ["青山镇人民政府"],
    "街道办事处": ["青山街道办事处"],
    "乡政府": ["青山乡人民政府"],
    "党政办、镇政府": ["青山镇党政办公室", "青山镇人民政府"],
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("named")
    (tmp / "名录.csv").write_text(DIRECTORY, encoding="utf-8")
    rows = [["青山镇2026年测试任务分工表"], ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"]]
    rows += [[i, f"任务{i}", "内容。", cell, "经发办", "2026年12月底前"] for i, cell in enumerate(CELLS, 1)]
    return import_master(sheet_table(tmp / "分工表.xlsx", rows), Directory.from_csv(tmp / "名录.csv"))


@pytest.mark.parametrize("n, cell", list(enumerate(CELLS, 1)), ids=list(CELLS))
def test_a_directory_unit_named_like_a_town_group_is_that_unit(imported, n, cell):
    leads = [a.unit for a in imported.assignments if a.task == str(n) and a.role.value == "牵头"]
    assert leads == CELLS[cell]


def test_no_task_is_left_without_its_named_lead(imported):
    assert [i.code for i in imported.issues if i.code in ("M106", "M108", "M102")] == []


TOWN_DIRECTORY = """单位,简称/别名,类别,联系人,电话,邮箱
青山县财政局,县财政局,县直部门,,,czj@qs.gov.cn
城关镇,,镇,,,cgz@qs.gov.cn
石门乡,,乡,,,smx@qs.gov.cn
东城街道,,街道办事处,,,dc@qs.gov.cn
南关镇,,镇（街道）,,,ng@qs.gov.cn
青山高新园区,,园区,,,yq@qs.gov.cn
"""
TOWNS, STREETS, ZONES = ["城关镇", "石门乡", "南关镇"], ["东城街道", "南关镇"], ["青山高新园区"]
# 各园区 gave every 乡镇 and 街道 the task and its 园区 none; 各乡镇（街道、园区）, 各镇街（园区）
# gave the 园区 none (the town family's kinds were those with 镇, 乡 or 街 only)
PHRASES = {
    "各园区": ZONES,
    "有关园区": ZONES,
    "各乡镇（街道、园区）": [*TOWNS, "东城街道", *ZONES],
    "各镇街（园区）": [*TOWNS, "东城街道", *ZONES],
    # the 镇 and 街道: this 名录 files its 乡 apart (QA337: 石门乡 was given the task)
    "各镇（街道）": ["城关镇", "南关镇", "东城街道"],
    "相关镇街": [*TOWNS, "东城街道"],
    "属地乡镇": TOWNS,
    "有关街道社区": STREETS,
    "各街道": STREETS,
    "各乡镇": TOWNS,
}


@pytest.mark.parametrize("phrase", list(PHRASES))
def test_a_town_phrase_takes_the_kinds_it_says(tmp_path: Path, phrase):
    from toolkit.groups import group_members

    (tmp_path / "名录.csv").write_text(TOWN_DIRECTORY, encoding="utf-8")
    members, _kinds = group_members(phrase, Directory.from_csv(tmp_path / "名录.csv"), "县")
    assert sorted(members) == sorted(PHRASES[phrase])
