"""duban's own 任务分工表.xlsx given to ``init --master`` or ``master import`` (last year's
workspace, a colleague's copy): read whole, its 单位名录's contacts and addresses kept.

Found by QA170: ``init --master 督办演示/任务分工表.xlsx`` imported the workbook as a published
table, so its 单位名录 became the bundled directory's, every 邮箱 empty: ``issue --emails`` said
53 units had no address, and no mail was matched to a unit by its sender.
"""

from __future__ import annotations

import openpyxl
import pytest

from toolkit.actions.init import init_workspace
from toolkit.actions.master_import import import_master_file
from toolkit.master import read_master_workbook
from toolkit.workspace import find_workspace


def _with_contacts(path, unit: str, contact: str, email: str) -> None:
    """The office's own work in its 单位名录: a contact and an address for ``unit``."""
    wb = openpyxl.load_workbook(path)
    sheet = wb["单位名录"]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == unit]
    row[3].value, row[5].value = contact, email
    wb.save(path)


@pytest.fixture(scope="module")
def _last_years_bytes(tmp_path_factory, _session_workspace) -> bytes:
    """The workbook `last_years` writes, made once (openpyxl loads and saves it twice)."""
    path = tmp_path_factory.mktemp("last_years") / "任务分工表.xlsx"
    path.write_bytes(find_workspace(_session_workspace).master_path.read_bytes())  # `ws`'s master
    _with_contacts(path, "石龙镇", "李明", "slz@dg.example.cn")
    _with_contacts(path, "市公安局", "王芳", "gaj@dg.example.cn")
    return path.read_bytes()


@pytest.fixture
def last_years(ws, _last_years_bytes):
    """A workspace's master workbook with the office's contacts in its 单位名录."""
    ws.master_path.write_bytes(_last_years_bytes)
    return ws.master_path


def test_init_from_a_duban_workbook_keeps_its_directory_and_tasks(tmp_path, last_years):
    before = read_master_workbook(last_years)
    ws, master = init_workspace(tmp_path / "新工作区", last_years)
    after = read_master_workbook(ws.master_path)
    assert after.directory.to_rows() == before.directory.to_rows()
    (row,) = [r for r in after.directory.to_rows() if r[0] == "石龙镇"]
    assert (row[3], row[5]) == ("李明", "slz@dg.example.cn")
    assert [(t.id, t.name, t.content, t.deadline_text) for t in after.tasks] == \
        [(t.id, t.name, t.content, t.deadline_text) for t in before.tasks]
    assert after.assignments == before.assignments
    assert after.fingerprint == before.fingerprint  # the same plan: last year's forms still read
    assert master.organiser == before.organiser
    assert "原样沿用" in master.report.layout
    # the tasks' gaps said as importing the table said them (QA172, one rule: QA176): 16.1 has
    # no text, five tasks no 完成时限
    from toolkit.master import import_master
    from toolkit.resources import resource

    table = import_master(resource("workbooks", "任务分工表.docx"))
    assert {(i.code, i.task) for i in master.issues} == {(i.code, i.task) for i in table.issues if i.code == "M101"}


def test_the_organiser_given_on_the_command_line_signs_it(tmp_path, last_years):
    _, master = init_workspace(tmp_path / "新工作区", last_years, organiser="东莞市人民政府办公室")
    assert master.organiser == "东莞市人民政府办公室"
    assert master.report.organiser_source == "命令行"


def test_a_directory_named_on_the_command_line_is_imported_as_a_table(tmp_path, last_years):
    csv = tmp_path / "名录.csv"
    csv.write_text("单位,简称/别名,类别,联系人,电话,邮箱\n石龙镇,,镇街,张三,,zhang@example.cn\n", encoding="utf-8-sig")
    _, master = init_workspace(tmp_path / "新工作区", last_years, directory_csv=csv)
    assert "原样沿用" not in master.report.layout
    (row,) = [r for r in master.directory.to_rows() if r[0] == "石龙镇"]
    assert row[5] == "zhang@example.cn"


def test_master_import_of_a_duban_workbook_takes_it_whole(tmp_path, ws, last_years):
    copy = tmp_path / "同事的任务分工表.xlsx"
    copy.write_bytes(last_years.read_bytes())
    _with_contacts(copy, "石龙镇", "李明", "new@dg.example.cn")  # the colleague's newer address
    master = import_master_file(copy, ws.master_path, signer="东莞市政务服务数据管理局")
    (row,) = [r for r in read_master_workbook(ws.master_path).directory.to_rows() if r[0] == "石龙镇"]
    assert row[5] == "new@dg.example.cn"
    assert master.organiser == "东莞市政务服务数据管理局"


def test_a_published_table_in_xlsx_is_still_imported_as_one(tmp_path):
    """A workbook without duban's _meta (a city's own 分工表 in Excel) is read as a table."""
    path = tmp_path / "分工表.xlsx"
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.append(["序号", "工作任务", "牵头单位", "完成时限"])
    sheet.append([1, "推进一网通办", "市政务服务数据管理局", "2022年12月底前"])
    meta = wb.create_sheet("_meta")
    meta.append(["schema", "someone.else/1"])
    wb.save(path)
    _, master = init_workspace(tmp_path / "ws", path)
    assert "原样沿用" not in master.report.layout
    assert [t.id for t in master.tasks] == ["1"]
