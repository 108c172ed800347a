"""QA317: M116 (QA314) says two units written with the same characters in another order, as
安徽 2022's 省农业农村厅 and 省农村农业厅. Two towns of one county are often so (城东街道 and
东城街道): written side by side in one task's cell they are two units, which no slip makes."""

from __future__ import annotations

from conftest import sheet_table

from toolkit.master import import_master


def _master(tmp_path, rows):
    return import_master(sheet_table(tmp_path / "t.xlsx", [["序号", "工作任务", "责任单位", "完成时限"], *rows]))


def test_two_towns_named_in_one_task_are_not_said_to_be_a_slip(tmp_path):
    master = _master(tmp_path, [["1", "推进老旧小区改造。", "城东街道、东城街道", "2024年12月底"],
                                ["2", "推进背街小巷整治。", "东城街道", "2024年12月底"]])
    assert not [i for i in master.issues if i.code == "M116"]
    assert {a.unit for a in master.assignments} == {"城东街道", "东城街道"}


def test_two_such_names_in_different_tasks_are_still_said(tmp_path):
    master = _master(tmp_path, [["1", "推进乡村振兴。", "区农业农村局", "2024年12月底"],
                                ["2", "推进高标准农田建设。", "区农村农业局", "2024年12月底"]])
    assert [i.message for i in master.issues if i.code == "M116"] == [
        "“区农村农业局”（任务 2）与“区农业农村局”（任务 1）用字相同、只是顺序不同，已按两个单位导入，"
        "各下发一份填报表，未报送的会分别点名。若是同一单位的笔误，请在“责任分工”表中改成同一名称。"]
