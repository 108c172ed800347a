"""QA314: 安徽 2022 names 省农业农村厅 in item 2 and 省农村农业厅 in item 3 (the published text's slip).
Taken as written, they were two units without a word: the department got two forms, and the
memo would name a 省农村农业厅 未报送 that does not exist. Said now (M116), still imported as
written: which one is right is the coordinator's call."""

from __future__ import annotations

from pathlib import Path

from toolkit.master import import_master

ANHUI = Path(__file__).resolve().parent / "corpus" / "masters" / "prose_anhui_zdgz_2022.docx"


def test_two_units_written_with_the_same_characters_in_another_order_are_said():
    master = import_master(ANHUI)
    said = [i for i in master.issues if i.code == "M116"]
    assert [i.message for i in said] == [
        "“省农村农业厅”（任务 3）与“省农业农村厅”（任务 2）用字相同、只是顺序不同，已按两个单位导入，"
        "各下发一份填报表，未报送的会分别点名。若是同一单位的笔误，请在“责任分工”表中改成同一名称。"]
    assert {"省农村农业厅", "省农业农村厅"} <= {u.name for u in master.directory.units}


def test_units_of_different_characters_are_not_said(tmp_path):
    master = import_master(Path(__file__).resolve().parent / "corpus" / "masters" / "prose_chuzhou_2020.docx")
    assert not [i for i in master.issues if i.code == "M116"]
