"""`duban master import` over a workspace's own 任务分工表.xlsx keeps the one it replaces (QA351).

A new coordinator (QA349, 大竹县) corrected a 截止日期 and added units in Excel, then imported
the revised table: 任务清单 and 责任分工 were rewritten from it, the corrections gone and the old
file kept nowhere (README told the office to save a copy first). The workbook replaced is now
copied beside it first, named as `office_edits` names what it keeps (``任务分工表（旧版，7月20日
09时05分保存）.xlsx``, the time it was last saved: `is_kept_copy`, never read as the master), and
one line says so; the same table imported again over what it wrote keeps nothing. A copy
that cannot be made stops the import, the master untouched; an import that fails keeps nothing.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from zoneinfo import ZoneInfo

from conftest import sheet_table
from openpyxl import load_workbook

from toolkit import office_edits
from toolkit.actions import master_import
from toolkit.actions.master_import import import_master_file
from toolkit.office_edits import is_kept_copy

SAVED = dt.datetime(2022, 7, 20, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
KEPT = "任务分工表（旧版，7月20日09时05分保存）.xlsx"
LINE = (f"原任务分工表已另存为“{KEPT}”（同一文件夹）：在其中做过的修改（补填的截止日期、"
        "责任分工中增删的单位等）没有带入新表，如有请对照补回。")


def _revised(tmp_path):
    return sheet_table(tmp_path / "新分工表.xlsx", [
        ["东莞市2022年政务服务全域标准化专项行动主要任务分工表（修订）"],
        ["序号", "工作任务", "具体工作内容", "完成时限", "责任单位"],
        [1, "加快出台系列规范性文件", "出台政务服务标准化系列文件。", "2022年9月", "市政务服务数据管理局负责"],
        [2, "统一办事指南", "统一全市办事指南。", "2022年12月", "市政务服务数据管理局负责，市司法局配合"]])


def _edited(ws) -> bytes:
    """The office's corrections in Excel: 1.1's 截止日期, a unit added to it; saved at ``SAVED``."""
    wb = load_workbook(ws.master_path)
    wb["任务清单"]["G2"] = dt.datetime(2022, 8, 31)
    wb["责任分工"].append(["1.1", "市财政局", "配合", "手工添加"])
    wb.save(ws.master_path)
    os.utime(ws.master_path, (SAVED, SAVED))
    return ws.master_path.read_bytes()


def test_a_reimport_keeps_the_office_edited_master_beside_it_and_says_so(ws, tmp_path, run):
    edited = _edited(ws)
    out = run(["-w", str(ws.root), "master", "import", str(_revised(tmp_path))])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[lines.index(f"已写入：{ws.master_path}") + 1] == LINE
    kept = ws.root / KEPT
    assert kept.read_bytes() == edited and is_kept_copy(kept)
    assert kept.stat().st_mtime == SAVED  # the time its name says
    # the master is the new table; the copy is not read for it
    assert [t.id for t in ws.load_master().tasks] == ["1", "2"]
    assert sorted(p.name for p in ws.root.glob("任务分工表*.xlsx")) == ["任务分工表.xlsx", KEPT]


def test_a_copy_is_never_overwritten_and_the_same_table_again_keeps_nothing(ws, tmp_path):
    table = _revised(tmp_path)
    _edited(ws)
    first = master_import.import_keeping(table, ws.master_path, tz=ws.tz).kept
    assert first == ws.root / KEPT
    # the same table imported again over what it wrote: nothing of the office's to keep (a run
    # repeated after a fault it survived, the table checked once more)
    assert master_import.import_keeping(table, ws.master_path, tz=ws.tz).kept is None
    _edited(ws)  # edited again, saved in the same minute
    second = master_import.import_keeping(table, ws.master_path, tz=ws.tz).kept
    assert second == ws.root / "任务分工表（旧版，7月20日09时05分保存，2）.xlsx"
    assert first.read_bytes() != second.read_bytes() and is_kept_copy(second)
    # kept already (an import that then could not write, run again): not kept twice
    ws.master_path.write_bytes(second.read_bytes())
    os.utime(ws.master_path, (SAVED, SAVED))
    assert master_import.keep_previous(ws.master_path, table, ws.tz) == second
    assert len(list(ws.root.glob("任务分工表（*.xlsx"))) == 2


def test_a_copy_that_cannot_be_made_stops_the_import_and_the_master_stays(ws, tmp_path, run, monkeypatch):
    edited = _edited(ws)

    def full(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(office_edits, "_copy", full)  # the copy every kept file is made by
    out = run(["-w", str(ws.root), "master", "import", str(_revised(tmp_path))])
    assert out.exit_code == 2, out.output
    assert "“任务分工表.xlsx”原样保留，没有导入：导入前要先把它另存一份，但" in out.output
    assert ws.master_path.read_bytes() == edited and not (ws.root / KEPT).exists()


def test_an_import_that_fails_keeps_nothing_and_the_library_call_replaces_as_before(ws, tmp_path, run):
    _edited(ws)
    out = run(["-w", str(ws.root), "master", "import", str(tmp_path / "没有这个文件.docx")])
    assert out.exit_code == 2, out.output
    assert not (ws.root / KEPT).exists()
    target = tmp_path / "任务清单.xlsx"
    import_master_file(_revised(tmp_path), target)
    import_master_file(_revised(tmp_path), target)  # `import_master_file`: no copy (`import_keeping` keeps)
    assert [p.name for p in tmp_path.glob("任务清单*.xlsx")] == ["任务清单.xlsx"]
