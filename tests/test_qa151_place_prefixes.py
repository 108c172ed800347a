"""QA151: a unit's name resolves with its workspace's own place written or left out, in any city.

`Directory.resolve` tolerated 东莞市 and 东莞 only. Offices of other places keep their 单位名录 as
their documents write it, and their departments write their names as they sign them:

* 绍兴 (city; corpus ``shaoxing_zdgz_2020.xlsx``, 责任单位 市发改委): a 分工表 whose cell says
  绍兴市发改委, against a 名录 saying 市发改委, made a second unit of it (M102), with a form
  nobody would answer; ``issue --dept 绍兴发改委`` was refused.
* 大竹县 (county; corpus ``dazhu_mssx_2016.docx``, organiser 大竹县人民政府办公室): a 名录 of full
  names (大竹县水务局) knew no 县水务局, the way the table and every clerk write it: ``--dept``
  refused it, a form without its _meta whose 填报单位 says 县民政局 was 无法识别 (E201), and a
  form whose 填报单位 was typed over with a neighbour's name raised no W206.
* 蔡甸区 (district; corpus ``prose_caidian_2023.docx``, signed 蔡甸区人民政府办公室): a 责任分工
  row edited to 武汉市蔡甸区发展和改革局 became a unit of its own beside the 名录's 区发展和改革局.

东莞's tolerance is kept where the directory says no other place (tests/test_units*).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit
from openpyxl import load_workbook

from toolkit.actions.init import init_workspace
from toolkit.actions.issue import issue_returns, resolve_units
from toolkit.checks import CheckContext, check_return
from toolkit.cli import cli
from toolkit.filling import Filling, fill_return
from toolkit.period import Period
from toolkit.units import Directory, Unit

CORPUS = Path(__file__).resolve().parent / "corpus" / "masters"
JUNE = Period(2016, 6)

SHAOXING = """单位,简称/别名,类别,联系人,电话,邮箱
市发改委,市发展改革委,市直部门,,,fgw@sx.example.cn
市经信局,,市直部门,,,jxj@sx.example.cn
市财政局,,市直部门,,,czj@sx.example.cn
"""
# 大竹's units by their full names, as a 名录 kept from the county's address book lists them
DAZHU = """单位,简称/别名,类别,联系人,电话,邮箱
大竹县水务局,,县直部门,,,sw@dazhu.example.cn
大竹县住房和城乡建设局,大竹县住建局,县直部门,,,zj@dazhu.example.cn
大竹县护城河指挥部,,县直部门,,,hch@dazhu.example.cn
大竹县文体广新局,,县直部门,,,wt@dazhu.example.cn
大竹县代建中心,,县直部门,,,dj@dazhu.example.cn
大竹县残疾人联合会,大竹县残联,县直部门,,,cl@dazhu.example.cn
大竹县民政局,,县直部门,,,mz@dazhu.example.cn
大竹县政务服务中心,,县直部门,,,zw@dazhu.example.cn
大竹县教育科技局,大竹县教科局,县直部门,,,jk@dazhu.example.cn
大竹县商务局,,县直部门,,,sw2@dazhu.example.cn
"""
CAIDIAN = """单位,简称/别名,类别,联系人,电话,邮箱
区发展和改革局,区发改局,区直部门,,,fgj@caidian.example.cn
区科技和经信局,区科经局,区直部门,,,kjj@caidian.example.cn
"""


def _workspace(tmp_path: Path, source: Path, directory: str, organiser: str | None = None):
    csv = tmp_path / "名录.csv"
    csv.write_text(directory, encoding="utf-8")
    return init_workspace(tmp_path / "ws", source, period=JUNE, directory_csv=csv, organiser=organiser)


# ---- 绍兴: the master import ----

def test_shaoxing_table_naming_its_city_imports_the_directorys_unit(tmp_path):
    table = tmp_path / "shaoxing_zdgz_2020.xlsx"
    shutil.copy(CORPUS / table.name, table)
    wb = load_workbook(table)
    wb.active["D4"], wb.active["D5"] = "绍兴市发改委", "浙江省绍兴市发改委"
    wb.save(table)
    _, master = _workspace(tmp_path, table, SHAOXING, organiser="绍兴市人民政府办公室")
    assert master.units_with_tasks() == ["市发改委"]
    assert not [i for i in master.issues if i.code == "M102"]
    assert sorted(master.directory.names) == ["市发改委", "市经信局", "市财政局"]


def test_shaoxing_issue_dept_takes_the_city_written_short(tmp_path):
    ws, _ = _workspace(tmp_path, CORPUS / "shaoxing_zdgz_2020.xlsx", SHAOXING, organiser="绍兴市人民政府办公室")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "issue", "--period", "2016-06", "--dept", "绍兴发改委"])
    assert result.exit_code == 0, result.output
    assert (ws.root / "下发" / "2016年6月" / "2016年6月_市发改委_进展填报表.xlsx").exists()


# ---- 大竹县: issue --dept, the 填报单位 cell, a form without its _meta ----

@pytest.fixture
def dazhu(tmp_path):
    ws, master = _workspace(tmp_path, CORPUS / "dazhu_mssx_2016.docx", DAZHU)
    assert master.organiser == "大竹县人民政府办公室"
    issue_returns(ws, JUNE)
    return ws


def _form(ws, unit: str) -> Path:
    return ws.root / "下发" / "2016年6月" / f"2016年6月_{unit}_进展填报表.xlsx"


def _typed(data: bytes, label: str, meta: bool = True, drop_task: str = "") -> bytes:
    """``data`` with its 填报单位 cell typed over with ``label``, its _meta gone unless ``meta``
    and the row of task ``drop_task`` deleted, as a clerk deletes one."""
    def change(wb):
        sheet = wb["进展填报"]
        cell = next(c for row in sheet.iter_rows(max_row=3) for c in row if c.value == "填报单位")
        value = next(c for c in sheet[cell.row][cell.column:] if c.value)  # E2 on 大竹's form
        value.value = label
        if not meta:
            del wb["_meta"]
        if drop_task:
            sheet.delete_rows(next(r[0].row for r in sheet.iter_rows(min_row=5) if str(r[0].value) == drop_task))
    return edit(data, change)


def _check(ws, data: bytes, name: str):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=JUNE))


def test_dazhu_issue_dept_by_the_name_the_county_writes(dazhu):
    master = dazhu.load_master()
    assert resolve_units(master, ["县水务局"]) == ["大竹县水务局"]
    assert resolve_units(master, ["大竹水务局", "县住建局"]) == ["大竹县水务局", "大竹县住房和城乡建设局"]


def test_dazhu_form_without_meta_is_the_unit_its_cell_names(dazhu):
    # 水务局's form, its _meta lost, the row of task 7 deleted: its one row left (task 1) is
    # 护城河指挥部's whole form, which the rows alone named; the cell's 县水务局 holds that row too
    data = _typed(fill_return(_form(dazhu, "大竹县水务局"), Filling()), "县水务局", meta=False, drop_task="7")
    report = _check(dazhu, data, "6月进展.xlsx")
    assert (report.unit, report.identified_by) == ("大竹县水务局", "填报单位")


def test_dazhu_cell_typed_over_with_a_neighbour_is_said(dazhu):
    data = _typed(fill_return(_form(dazhu, "大竹县水务局"), Filling()), "县民政局")
    report = _check(dazhu, data, "2016年6月_大竹县水务局_进展填报表.xlsx")
    assert report.unit == "大竹县水务局"
    said = [i.message for i in report.issues if i.code == "W206"]
    assert len(said) == 1 and "大竹县民政局" in said[0], said


# ---- 蔡甸区: the master workbook and --dept ----

def test_caidian_assignment_edited_to_the_full_name_stays_the_directorys_unit(tmp_path):
    ws, master = _workspace(tmp_path, CORPUS / "prose_caidian_2023.docx", CAIDIAN)
    assert master.organiser == "蔡甸区人民政府办公室"
    wb = load_workbook(ws.master_path)
    sheet = wb["责任分工"]
    header = [c.value for c in sheet[1]]
    column = header.index("单位")
    rows = list(sheet.iter_rows(min_row=2))
    rows[0][column].value = "武汉市蔡甸区发展和改革局"
    rows[1][column].value = "蔡甸区科技和经信局"
    wb.save(ws.master_path)
    master = ws.load_master()
    assert sorted(master.units_with_tasks()) == ["区发展和改革局", "区科技和经信局"]
    assert sorted(master.directory.names) == ["区发展和改革局", "区科技和经信局"]


def test_caidian_issue_dept_by_the_districts_short_name(tmp_path):
    ws, _ = _workspace(tmp_path, CORPUS / "prose_caidian_2023.docx", CAIDIAN)
    assert resolve_units(ws.load_master(), ["蔡甸发改局", "蔡甸区科经局"]) == ["区发展和改革局", "区科技和经信局"]


# ---- never a guess, and no other city's place ----

def test_a_place_read_two_ways_names_no_unit():
    # a county's 名录 holding its 县司法局 and, by that bare name, a section of a bureau's own
    directory = Directory([Unit("县司法局"), Unit("司法局"), Unit("县民政局")])
    directory.locate("西平县人民政府办公室")
    assert directory.resolve("西平县民政局") == "县民政局"
    assert directory.resolve("西平民政局") == "县民政局"
    assert directory.resolve("驻马店市西平县民政局") == "县民政局"
    assert directory.resolve("西平县司法局") is None  # 县司法局 or 司法局: the office is asked
    assert directory.resolve("县司法局") == "县司法局"  # the name itself is never in doubt
    # 西平县's directory takes no 东莞 and no other county's name for its own
    assert directory.resolve("东莞市民政局") is None
    assert directory.resolve("上蔡县民政局") is None
    # a 督办 office of the county's party committee signs for the same county
    signed = Directory([Unit("县民政局")])
    signed.locate("中共西平县委督查室")
    assert signed.resolve("西平县民政局") == "县民政局"


def test_dongguan_prefixes_stay_where_no_place_is_said():
    directory = Directory([Unit("市公安局"), Unit("东莞市教育局")])
    assert directory.resolve("东莞市公安局") == "市公安局"
    assert directory.resolve("东莞公安局") == "市公安局"
    assert directory.resolve("市教育局") == "东莞市教育局"
