"""QA311: 荆州 2022 (corpus: jingzhou_zwgk_2022.docx) imported with the city's 单位名录.

``市政府各有关部门,各县市区人民政府、功能区管委会负责落实``: 各 is written once for the list, and
功能区管委会 names the 功能区 the directory lists under that kind (荆州经开区, 纪南文旅区, 荆州高新区
管委会). It was added to the directory as one new 市直部门 (M102) and given both tasks, while the
three zones got none: a form for a body that does not exist, and 功能区管委会 named 未报送.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.master import import_master
from toolkit.units import Directory
from toolkit.vocab import Role

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
ROWS = [["市发展改革委", "市发改委", "市直部门"], ["市住建局", "", "市直部门"],
        ["荆州区人民政府", "", "县市区"], ["沙市区人民政府", "", "县市区"],
        ["荆州经开区管委会", "荆州经开区", "功能区"], ["纪南文旅区管委会", "纪南文旅区", "功能区"],
        ["荆州高新区管委会", "荆州高新区", "功能区"]]
ZONES = ["荆州经开区管委会", "纪南文旅区管委会", "荆州高新区管委会"]


def test_a_phrase_naming_a_directory_kind_is_that_kinds_units():
    master = import_master(CORPUS / "jingzhou_zwgk_2022.docx", Directory.from_rows(ROWS))
    assert master.report.groups["功能区管委会"] == ZONES
    assert "功能区管委会" not in {a.unit for a in master.assignments}
    assert not [i for i in master.issues if i.code == "M102"]
    assert master.units_of("1", Role.LEAD) == [
        "市发展改革委", "市住建局", "荆州区人民政府", "沙市区人民政府", *ZONES]


def test_without_a_directory_it_stays_as_written():
    master = import_master(CORPUS / "jingzhou_zwgk_2022.docx")
    assert "功能区管委会" in {a.unit for a in master.assignments}


def test_a_unit_the_directory_lists_is_never_its_kind():
    """A unit named like a kind (办公室 of kind 办公室) stays that one unit."""
    rows = [["办公室", "", "办公室"], ["财务处", "", "处室"]]
    from toolkit.groups import group_members

    directory = Directory.from_rows(rows)
    assert directory.resolve("办公室") == "办公室"
    assert group_members("处室", directory) == (["财务处"], ["处室"])
