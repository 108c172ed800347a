"""QA 100: an .xlsx 任务清单 whose notes sit under the table as 注 | text rows.

Real sheets (区/县 任务清单 sent as Excel) end with a notes row whose 注： stands in the 序号
column and whose text is merged across the other columns, often followed by numbered lines
1. / 2. in the same way. That row was read as a task named after its note (id 注:, no unit,
M101), and because the 序号 column no longer held only digits, 序号 restarting in each 一级任务
(1, 2, 3 / 1, 2, 3) gave 1-2, 2-2, 3-2 with three M105 warnings instead of 2.1, 2.2, 2.3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from toolkit.master import import_master, parse_departments
from toolkit.vocab import Role

LEAD, COOP = Role.LEAD, Role.COOP

HEADER = ["序号", "一级任务", "二级任务", "具体措施", "分管领导", "牵头单位", "配合单位", "完成时限"]


def sheet(path: Path, notes: list[list]) -> Path:
    """Title row, 填表说明 row, header, two 一级任务 merged down with 序号 restarting, then notes."""
    wb = Workbook()
    ws = wb.active
    rows = [
        ["2024年优化营商环境重点任务清单"] + [None] * 7,
        ["填表说明：牵头单位负责汇总报送进展；完成时限为“持续推进”的按季度报送。"] + [None] * 7,
        HEADER,
        [1, "一、提升政务服务效能", "（一）深化“一网通办”", "推进高频事项网上办理，网上可办率达到95%以上。",
         "张三", "区政务服务中心", "区数据局", "2024年12月底前"],
        [2, None, None, "推行“免证办”服务。", None, None, "区公安分局、区民政局", "2024年第三季度"],
        [3, None, "（二）优化审批流程", "压减工程建设项目审批时限。", "李四", "区住建局", "区自然资源局\n区发改局",
         "2024年上半年"],
        [1, "二、强化要素保障", "（一）保障用地", "盘活存量土地200亩。", "王五", "区自然资源局", "各街道", "2024年年底前"],
        [2, None, "（二）保障融资", "开展政银企对接活动。", None, "区金融办", "人行区支行", "每季度"],
        [3, None, None, "落实普惠小微贷款支持政策。", None, None, None, "持续推进"],
        *notes,
    ]
    for r in rows:
        ws.append(r)
    for m in ("A1:H1", "A2:H2", "B4:B6", "C4:C5", "E4:E5", "F4:F5", "B7:B9", "C8:C9", "E7:E9", "F8:F9"):
        ws.merge_cells(m)
    for r in range(len(rows) - len(notes) + 1, len(rows) + 1):
        ws.merge_cells(f"B{r}:H{r}")
    wb.save(path)
    return path


NOTES = [["注：", "1.配合单位按职责分工负责。"] + [None] * 6,
         [None, "2.本表由区营商办负责解释。"] + [None] * 6]


def test_note_rows_are_no_tasks_and_restarting_numbers_take_their_section(tmp_path):
    m = import_master(sheet(tmp_path / "营商环境任务清单.xlsx", NOTES))
    assert [t.id for t in m.tasks] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert {t.level1 for t in m.tasks} == {"一、提升政务服务效能", "二、强化要素保障"}
    assert [i.code for i in m.issues if i.code in ("M101", "M105")] == []
    last = m.tasks[-1]
    assert last.content == "落实普惠小微贷款支持政策。" and last.ongoing
    assert [(a.unit, a.role) for a in m.assignments if a.task == "2.3"] == [("区金融办", Role.LEAD)]


def test_note_row_of_one_line_after_the_table(tmp_path):
    m = import_master(sheet(tmp_path / "t.xlsx", [["注", "各配合单位于每季度末报送进展。"] + [None] * 6]))
    assert len(m.tasks) == 6 and "注" not in {t.id for t in m.tasks}



# One 责任单位 column holding lead and cooperating units, as 区/县 任务清单 write it. Each of these
# made a unit of a role phrase: 区市场监管局（并列牵头）, 区财政局（按职责分工负责）, 各街道落实 and
# 责任：各镇（街道） each got a 填报表 of their own, never answered, and were named 未报送.
@pytest.mark.parametrize(("cell", "expected"), [
    ("区商务局、区市场监管局（并列牵头），各街道配合",
     [("区商务局", LEAD), ("区市场监管局", LEAD), ("各街道", COOP)]),
    ("区发改局、区财政局（按职责分工负责）", [("区发改局", LEAD), ("区财政局", LEAD)]),
    ("区住建局、区城管局（共同牵头）", [("区住建局", LEAD), ("区城管局", LEAD)]),
    ("区发改局牵头，各街道落实", [("区发改局", LEAD), ("各街道", COOP)]),
    ("区农业农村局牵头，各镇（街道）具体落实", [("区农业农村局", LEAD), ("各镇（街道）", COOP)]),
    ("各镇（街道）落实", [("各镇（街道）", LEAD)]),
    ("牵头：区教育局\n责任：各镇（街道）", [("区教育局", LEAD), ("各镇（街道）", COOP)]),
    ("责任：区民政局", [("区民政局", LEAD)]),
])
def test_role_phrases_in_one_unit_cell(cell, expected):
    parsed = parse_departments(cell, LEAD)
    assert parsed.entries == expected
    assert parsed.problems == []


def test_a_sheet_with_role_phrases_gives_forms_to_units_only(tmp_path):
    wb = Workbook()
    ws = wb.active
    for r in (["序号", "重点任务", "责任单位", "完成时限"],
              [1, "推进农贸市场改造提升。", "区商务局、区市场监管局（并列牵头），各街道配合", "2024年12月底前"],
              [2, "开展养老服务质量提升行动。", "牵头：区民政局\n责任：区卫健委", "持续推进"],
              [3, "推进老旧小区改造。", "区住建局牵头，区城管局落实", "2024年10月底前"]):
        ws.append(r)
    wb.save(tmp_path / "t.xlsx")
    m = import_master(tmp_path / "t.xlsx")
    assert sorted(m.units_with_tasks()) == sorted(
        ["区商务局", "区市场监管局", "区民政局", "区卫健委", "区住建局", "区城管局"])


def test_a_sentence_ending_in_luoshi_is_no_unit_clause():
    from toolkit.master.grammar import is_unit_clause

    assert not is_unit_clause("（确保各项政策落实）")
    assert is_unit_clause("（区发改局牵头，各街道落实）")


def test_luoshi_in_a_cooperating_column_cooperates():
    assert parse_departments("各街道落实", COOP).entries == [("各街道", COOP)]
