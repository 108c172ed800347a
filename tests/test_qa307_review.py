"""QA307's review of the session's landings: the faults found, each pinned before its fix."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import test_scripts

from toolkit.actions.memo import none_reported_notes
from toolkit.period import Period
from toolkit.vocab import UnitState

script_ws = test_scripts.script_ws  # the fixture (see mailservers.py on ruff's F811)


def _cons(*states: str) -> SimpleNamespace:
    units = [SimpleNamespace(unit=f"单位{i}", state=s) for i, s in enumerate(states)]
    return SimpleNamespace(units=units, period=Period.parse("2022-06"), not_yet_due=lambda today: [], other_forms={})


def test_a_unit_exempt_this_month_does_not_hide_that_every_other_unit_is_named_unreported():
    # skip_done_units: a unit whose every task is 已完成 is 本期免报, owed nothing and counted in
    # no 应报; the 通报 still names the other 3 未报送 when the office made it before collecting
    cons = _cons(UnitState.EXEMPT, UnitState.NOT_REPORTED, UnitState.NOT_REPORTED, UnitState.NOT_REPORTED)
    assert none_reported_notes(cons, dt.date(2022, 7, 8)) == [
        "请核实：通报把2022年6月应报送的 3 个单位全部列为未报送，本期没有收取登记任何单位的报送。"
        "如已收到报送（邮件或收件箱中），请先收取登记（duban collect，或双击“2-收取并汇总”），再重新生成通报；"
        "确实无人报送的，可照常印发。"]


def test_every_unit_exempt_is_no_month_named_unreported():
    assert none_reported_notes(_cons(UnitState.EXEMPT, UnitState.EXEMPT), dt.date(2022, 7, 8)) == []


def test_one_unit_reported_and_the_note_is_not_said():
    cons = _cons(UnitState.EXEMPT, UnitState.ON_TIME, UnitState.NOT_REPORTED)
    assert none_reported_notes(cons, dt.date(2022, 7, 8)) == []


def test_a_unit_still_in_the_plan_taken_off_a_task_the_new_name_holds_is_no_name_to_alias(ws, tmp_path):
    # the revision renames 市卫生健康局 and, on one of its tasks, also takes a 配合 unit off that
    # keeps its other tasks: the import told the office to make that unit an alias of the new
    # name and delete its row (its every other task then gone with it)
    from docx import Document
    from openpyxl import load_workbook
    from test_qa302_plan_changes import HANDED, NEW, OLD

    from toolkit.actions.master_import import compared
    from toolkit.master import import_master

    before = ws.load_master()
    task, other = "6.2", "东莞市税务局"  # 市卫生健康局、东莞市税务局负责 → 市卫生健康委员会负责
    doc = Document()
    doc.add_paragraph("东莞市2022年政务服务全域标准化专项行动主要任务分工表（修订）")
    table = doc.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ("一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "责任部门")):
        cell.text = text
    for r in load_workbook(ws.master_path)["任务清单"].iter_rows(min_row=2, values_only=True):
        units = (r[11] or "").replace(OLD, NEW)
        if str(r[0]) == task:
            units = units.replace(f"、{other}", "")
        for cell, text in zip(table.add_row().cells, (*r[1:6], units)):
            cell.text = text or ""
    doc.save(tmp_path / "修订.docx")
    after = import_master(tmp_path / "修订.docx", before.directory)
    assert after.units_of(task) and other not in after.units_of(task) and after.tasks_of(other)
    lines = compared(before, after, [], [Period.parse("2022-06")]).lines()
    assert HANDED in lines, lines
    assert not any(f"“{other}”" in line for line in lines), lines


def test_a_rename_the_drafter_missed_in_one_row_is_still_said(ws, tmp_path):
    # the old name left in 6.2 only: still named, it is the only unit the new one took tasks from
    from test_qa302_plan_changes import NEW, OLD, renamed_table

    from toolkit.actions.master_import import compared
    from toolkit.master import import_master

    before = ws.load_master()
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx", {OLD: NEW, f"{NEW}、东莞市税务局负责":
                                                                                 f"{OLD}、东莞市税务局负责"}),
                          before.directory)
    assert OLD in after.units_of("6.2")
    lines = compared(before, after, [], [Period.parse("2022-06")]).lines()
    assert lines[-2].startswith(f"注意：{OLD}原负责的任务 2.6、3.1、3.2 在新表中改由单位名录中原来没有的“{NEW}”负责。"), lines


def test_a_link_on_the_desktop_runs_in_the_workspace_where_readlink_has_no_f(script_ws, tmp_path):
    # macOS before 12.3 (Monterey): readlink has no -f ("illegal option -- f"), the scripts fell
    # back to the link's own folder and said 本文件旁边没有“_公共.sh”, their own advice the cause
    import shutil
    import subprocess

    bsd = script_ws.parent / "bin" / "readlink"
    bsd.write_text('#!/bin/bash\n[ "$1" = -f ] && { echo "readlink: illegal option -- f" >&2; exit 1; }\n'
                   f'exec {shutil.which("readlink")} "$@"\n', encoding="utf-8")
    bsd.chmod(0o755)
    desktop = tmp_path / "桌面"
    desktop.mkdir()
    (desktop / "月报.sh").symlink_to(script_ws / "3-生成通报.sh")  # absolute
    (desktop / "核实.sh").symlink_to("../督办 工作区（测试）/5-逐条核实.sh")  # relative, as ln -s makes it
    env = {"PATH": f"{script_ws.parent / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "FAKE_LOG": str(tmp_path / "duban-calls.log")}
    for link in ("月报.sh", "核实.sh"):
        result = subprocess.run(["bash", str(desktop / link)], input="\n", text=True, capture_output=True,
                                env=env, timeout=60, cwd=tmp_path)
        assert result.stdout.splitlines()[0] == f"工作区：{script_ws}", (link, result.stdout, result.stderr)
