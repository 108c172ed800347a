"""duban's own 任务分工表 re-saved by an office suite in another format and given to ``init
--master``: WPS's own .et (the BIFF8 workbook an .xls is), Excel 97's .xls, LibreOffice's .ods.
Each keeps the hidden _meta, and is taken whole as the .xlsx is (QA170) — before, only .xlsx and
.xlsm were looked at, and a colleague's copy saved in WPS came in as a published table, its
单位名录's contacts and addresses dropped for the bundled directory's."""

from __future__ import annotations

import pytest
from test_own_workbook_import import _with_contacts

from toolkit.actions.init import init_workspace
from toolkit.master import read_master_workbook


@pytest.mark.parametrize(("fmt", "suffix"), [("xls:MS Excel 97", ".et"), ("xls:MS Excel 97", ".xls"),
                                             ("ods", ".ods")])
def test_a_duban_workbook_resaved_in_another_format_is_taken_whole(tmp_path, ws, lo, fmt, suffix):
    _with_contacts(ws.master_path, "石龙镇", "李明", "slz@dg.example.cn")
    before = read_master_workbook(ws.master_path)
    saved = lo(ws.master_path, fmt, tmp_path / "saved")
    resaved = saved.rename(saved.with_name("同事的任务分工表" + suffix))
    new, master = init_workspace(tmp_path / "新工作区", resaved)
    assert "原样沿用" in master.report.layout
    after = read_master_workbook(new.master_path)
    (row,) = [r for r in after.directory.to_rows() if r[0] == "石龙镇"]
    assert (row[3], row[5]) == ("李明", "slz@dg.example.cn")
    assert [(t.id, t.level1, t.name, t.content, t.deadline_text, t.deadline, t.ongoing) for t in after.tasks] == \
        [(t.id, t.level1, t.name, t.content, t.deadline_text, t.deadline, t.ongoing) for t in before.tasks]
    assert after.assignments == before.assignments
