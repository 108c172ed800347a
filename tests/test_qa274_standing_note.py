"""QA274: a note for the tasks after it, inside one task's unit bracket, is no unit.

数字威海建设2023年工作要点 (威海市人民政府办公室, tests/corpus/masters) closes its first item with
``(牵头单位:市行政审批服务局;责任单位:市直有关部门、单位,各区市政府、开发区管委。以下任务均需各区市政府、
开发区管委落实,不再一一列出)``: 以下任务均需各区市政府 and 不再一一列出 were imported as units (forms
would go to them) and 开发区管委 twice. The note is dropped from the units and said, since the
importer does not add its units to the later tasks.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.master import import_master
from toolkit.master.grammar import parse_departments
from toolkit.vocab import Role

WEIHAI = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_weihai_szzf_2023.docx"
CELL = ("牵头单位:市行政审批服务局;责任单位:市直有关部门、单位,各区市政府、开发区管委。"
        "以下任务均需各区市政府、开发区管委落实,不再一一列出")


def test_the_note_is_no_unit():
    parsed = parse_departments(CELL)
    assert parsed.entries == [("市行政审批服务局", Role.LEAD), ("市直有关部门、单位", Role.COOP),
                              ("各区市政府", Role.COOP), ("开发区管委", Role.COOP)]
    assert parsed.problems == [
        "中的“以下任务均需各区市政府、开发区管委落实,不再一一列出”是对其后任务的说明，不是单位，未导入；"
        "其后任务不会自动加上这些单位，如需要请在“责任分工”表中逐项补填"]


def test_other_closing_notes_likewise():
    for note in ("以下各项任务均由各县(市、区)负责落实,不再列出", "下同", "其后任务同,不再一一注明"):
        parsed = parse_departments(f"市发改委牵头,市财政局配合。{note}")
        assert parsed.entries == [("市发改委", Role.LEAD), ("市财政局", Role.COOP)], note
        assert len(parsed.problems) == 1, note


def test_the_first_leads_convention_is_still_read():
    parsed = parse_departments("市发改委、市财政局(列第一位者为牵头单位,下同)")
    assert parsed.declares_first_leads and not parsed.problems


def test_weihai_imports_its_units_and_says_the_note():
    master = import_master(WEIHAI)
    units = {a.unit for a in master.assignments}
    assert units == {"市行政审批服务局", "开发区管委"}
    said = [i.message for i in master.issues if i.code == "M104"]
    assert said == [
        "任务 1 的责任部门“(牵头单位:市行政审批服务局;责任单位:市直有关部门、单位,各区市政府、开发区管委。"
        "以下任务均需各区市政府、开发区管委落实,不再一一列出)”中的“以下任务均需各区市政府、开发区管委落实,不再一一列出”"
        "是对其后任务的说明，不是单位，未导入；其后任务不会自动加上这些单位，如需要请在“责任分工”表中逐项补填。"
        "请在“责任分工”表中核对。"]


def test_one_task_without_deadline_is_said_without_jun():
    """M109 said "1 项任务均按“无时限”导入" of 威海's one task: 均 is for more than one."""
    said = [i.message for i in import_master(WEIHAI).issues if i.code == "M109"]
    assert said == ["分工表中没有完成时限，1 项任务按“无时限”导入，不判断超期。"
                    "请在任务清单工作簿“任务清单”表的“完成时限”列补填。"]
