"""A unit renamed by a revised 任务分工表, followed up (QA306, after QA302).

1. The revised table's group phrases (市各有关部门) expand against 单位名录 as it was before the
   import, which did not know 市卫生健康委员会: 2.1, 2.3, 2.4, 4.1 and 14.1 went on naming
   市卫生健康局 only. With the old name made an alias they are the new unit's; without it (a
   unit really new, or the advice ignored) the new unit owed nothing on them and `master import`
   said nothing of them. Now it names them, and how a new unit joins the group (import again).
2. The bureau's June return collected BEFORE the import, no alias made: its rows on the four
   tasks handed to the new name (2.6, 3.1, 3.2, 6.2) were dropped from June's 汇总表 in silence
   (no W210: it was read before the tasks moved), 3.1's 通报 line saying its leads 均未报送.
   Merge and status said only that 市卫生健康委员会 was issued no June form. Now that line says
   whose rows on its tasks are not counted, and asks for the alias."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import set_clock
from openpyxl import load_workbook
from test_qa302_plan_changes import NEW, OLD, Played, june_issued, make_alias, renamed_table

from toolkit.actions.master_import import compared
from toolkit.master import import_master
from toolkit.period import Period

JUN = "2022年6月"
GROUPED = (f"注意：{OLD}还作为“市各有关部门”中的单位负责任务 2.1、2.3、2.4、4.1、14.1，“{NEW}”不在其中。"
           f"设了上述别名，这些任务即由“{NEW}”负责；如“{NEW}”是新设的单位，请在“单位名录”中"
           f"核对它的类别后再导入一次本表，它才计入“市各有关部门”，否则这些任务不向它下发，通报也不列它。")
LOST = (f"请核实：{NEW} 在任务清单中有任务，但没有下发过2022年6月的填报表，本期不计入应报单位，通报也不列为未报送。"
        f"如需本期报送，请运行 duban issue --dept {NEW}。{OLD} 已采纳的回件报送了其中的任务 2.6、3.1、3.2、6.2，"
        f"这些任务现在不由它负责，未计入汇总：如“{NEW}”是“{OLD}”更名而来，请在“单位名录”中把“{OLD}”"
        f"写进“{NEW}”的简称/别名并删去原名称的行，保存任务分工表后重新汇总。")


def test_the_import_names_the_group_tasks_the_new_unit_is_left_out_of(ws, tmp_path):
    before = ws.load_master()
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx", {OLD: NEW}), before.directory)
    revision = compared(before, after, [], [Period(2022, 6)])
    assert revision.grouped == {((OLD,), NEW): (["市各有关部门"], ["2.1", "2.3", "2.4", "4.1", "14.1"])}
    assert GROUPED in revision.lines()


def test_a_table_the_same_names_no_group(ws, tmp_path):
    before = ws.load_master()
    after = import_master(renamed_table(ws.master_path, tmp_path / "修订.docx", {}), before.directory)
    assert compared(before, after, [], [Period(2022, 6)]).grouped == {}


def _play(root: Path, *, alias: bool) -> Played:
    """June issued; the bureau's return on June's form (under its old name, 9 tasks) collected on
    27 June; the revised table imported on 28 June; the alias made or not; June merged."""
    mp = pytest.MonkeyPatch()
    said: dict[str, str] = {}
    try:
        run, send = june_issued(root, mp, said)
        send(dt.date(2022, 6, 26))
        set_clock(mp, dt.date(2022, 6, 27))
        run("collect", "collect")
        set_clock(mp, dt.date(2022, 6, 28))
        run("import", "master", "import", str(renamed_table(root / "任务分工表.xlsx", root.parent / "修订.docx",
                                                            {OLD: NEW})))
        if alias:
            make_alias(root / "任务分工表.xlsx", OLD, NEW)
        set_clock(mp, dt.date(2022, 7, 8))
        run("merge", "merge", "--period", "2022-06")
        run("status", "status", "--period", "2022-06")
        return Played(root, said)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def unaliased(tmp_path_factory):
    root = tmp_path_factory.mktemp("qa306") / "ws"
    yield _play(root, alias=False)
    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def aliased(tmp_path_factory):
    root = tmp_path_factory.mktemp("qa306a") / "ws"
    yield _play(root, alias=True)
    shutil.rmtree(root.parent, ignore_errors=True)


@pytest.mark.slow  # plays a month: run in CI, out of the quick loop
def test_the_import_said_the_group_tasks(unaliased):
    assert GROUPED in unaliased.said["import"]


@pytest.mark.slow
def test_merge_and_status_say_whose_rows_are_not_counted(unaliased):
    assert LOST in unaliased.said["merge"], unaliased.said["merge"]
    assert LOST in unaliased.said["status"], unaliased.said["status"]


@pytest.mark.slow
def test_the_old_name_stays_on_time_on_its_group_tasks(unaliased):
    (book,) = (unaliased.root / "汇总" / JUN).glob("*_进展汇总表.xlsx")
    wb = load_workbook(book, read_only=True)
    status = {r[0]: r for r in wb["报送情况"].iter_rows(min_row=4, values_only=True) if r and r[0]}
    assert status[OLD][2:4] == (5, "按时报送") and NEW not in status


@pytest.mark.slow
def test_with_the_alias_every_row_counts_and_nothing_is_asked(aliased):
    (book,) = (aliased.root / "汇总" / JUN).glob("*_进展汇总表.xlsx")
    wb = load_workbook(book, read_only=True)
    rows = {(r[0], r[4]): r for r in wb["单位明细"].iter_rows(min_row=4, values_only=True) if r and r[0]}
    for tid in ("2.1", "2.3", "2.4", "2.6", "3.1", "3.2", "4.1", "6.2", "14.1"):
        assert rows[(tid, NEW)][6:8] == ("序时推进", 60), rows[(tid, NEW)]
    assert "请核实" not in aliased.said["merge"] and "请核实" not in aliased.said["status"]
