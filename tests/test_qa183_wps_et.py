"""QA round 183: a return saved by WPS in its own .et format is read, not refused.

A county office that opens our .xlsx form in WPS and saves it with WPS's default format sends
大朗镇.et. duban refused every such file (E103, "这是 WPS 表格格式，请另存为 .xlsx"), though an .et
is the BIFF8 workbook WPS also writes as .xls: the real one in tests/corpus/foreign
(SheetJS/test_files wps/fn.et, "WPS Spreadsheets") has the same OLE streams as WPS's .xls there
(Workbook, ETExtData and the two property sets), and calamine reads both. The department was
told to redo a file that could be read, and could miss the deadline doing it.

An .et (or .ett, WPS's template) is now read and checked as the .xls it holds (or the .xlsx,
when it is one renamed); only one calamine cannot read stays refused with WPS's advice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import drop, issued_path, numbered_table, on_time
from toolkit import errors
from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.errors import ReadFailure
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.master import import_master
from toolkit.period import Period
from toolkit.settings import Limits
from toolkit.sniff import SAVE_AS_ADVICE, detect
from toolkit.spreadsheet import open_spreadsheet

CORPUS = Path(__file__).parent / "corpus" / "foreign"
REAL_ET = (CORPUS / "wps-spreadsheets.et").read_bytes()  # WPS Spreadsheets, BIFF8 in OLE
WPS_XLS = (CORPUS / "wps-office_cjk.xls").read_bytes()  # WPS Office zh-CN, saved as .xls
EXCEL_XLS = (CORPUS / "excel2016-win_cjk-header.xls").read_bytes()  # Excel 2016, no ETExtData
WPS_XLSX = (CORPUS / "wps-office_cjk.xlsx").read_bytes()
#: what the tests of refused .et files before this round sent: OLE naming a Workbook, no workbook
NO_WORKBOOK = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\0" * 600


def _check(ws, data: bytes, name: str):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


def _rows(wb, sheet: int = 0) -> list[list]:
    return wb.get_sheet_by_index(sheet).to_python()


# ---------------------------------------------------------------------------
# the real .et and real .xls files named .et: read as the .xls they are


def test_the_real_wps_et_is_read_as_the_xls_it_holds():
    wb, kind = open_spreadsheet(REAL_ET, "大朗镇.et", Limits())
    assert kind == "xls"
    assert wb.sheet_names == ["Sheet1"]
    assert _rows(wb)[0] == ["Name", "Example", "Result"]
    assert detect(REAL_ET, "大朗镇.et") == detect(REAL_ET, "大朗镇.xls") == "xls"


@pytest.mark.parametrize("name", ["大朗镇.et", "大朗镇.ett", "大朗镇.ET"])
@pytest.mark.parametrize("data, first", [(WPS_XLS, "第一列"), (EXCEL_XLS, "姓名")])
def test_a_real_xls_named_et_is_read(name, data, first):
    """WPS's .xls and Excel's .xls of the corpus, renamed: OLE content, read by what it is."""
    wb, kind = open_spreadsheet(data, name, Limits())
    assert kind == "xls"
    assert wb.sheet_names == ["Sheet1", "Sheet2", "Sheet3"]
    assert _rows(wb)[0][0] == first


def test_an_xlsx_named_et_is_read_as_xlsx():
    wb, kind = open_spreadsheet(WPS_XLSX, "大朗镇.et", Limits())
    assert kind == "xlsx" and _rows(wb)[0] == ["第一列", "第二列"]


def test_a_real_et_that_is_not_the_form_is_told_so_not_to_save_as(issued_ws):
    """Read, the real .et is a sheet of formulas, not our form: E105 (使用下发的填报表), where
    E103 told the department to save it again as .xlsx, which would not have helped."""
    report = _check(issued_ws, REAL_ET, "大朗镇.et")
    assert [i.code for i in report.issues if i.is_error] == ["E105"], report.issues


# ---------------------------------------------------------------------------
# an .et calamine cannot read: refused as before, with WPS's advice


@pytest.mark.parametrize("data", [NO_WORKBOOK, REAL_ET[:5000], b"WPS private format " * 40],
                         ids=["ole-without-workbook", "cut-short", "not-ole"])
@pytest.mark.parametrize("ext", [".et", ".ett"])
def test_an_et_calamine_cannot_read_stays_refused_with_the_wps_advice(issued_ws, data, ext):
    with pytest.raises(ReadFailure) as refused:
        open_spreadsheet(data, f"大朗镇{ext}", Limits())
    assert (refused.value.code, refused.value.params) == ("E103", {"ext": ext, "advice": SAVE_AS_ADVICE[ext]})
    report = _check(issued_ws, data, f"大朗镇{ext}")
    assert [i.code for i in report.issues] == ["E103"]
    assert "WPS" in report.issues[0].message and f"“{ext}”" in report.issues[0].message


def test_a_damaged_xls_is_still_e101():
    """Only WPS's own extensions get WPS's advice: a cut .xls stays 文件无法读取."""
    with pytest.raises(ReadFailure) as refused:
        open_spreadsheet(REAL_ET[:5000], "大朗镇.xls", Limits())
    assert refused.value.code == "E101"


def test_a_password_protected_et_is_e102():
    """An .et with an open password (BIFF8 FILEPASS, as Excel's of the corpus): the department
    is told to remove the password, not that the format is not supported."""
    data = (CORPUS / "encrypted-rc4-cryptoapi_excel2002.xls").read_bytes()
    with pytest.raises(ReadFailure) as refused:
        open_spreadsheet(data, "大朗镇.et", Limits())
    assert refused.value.code == "E102"


# ---------------------------------------------------------------------------
# mail and master import


def test_mail_fetch_takes_a_wps_template_attachment():
    from toolkit.actions.mail import RETURN_EXTENSIONS

    assert {".et", ".ett"} <= set(RETURN_EXTENSIONS)


def test_master_import_reads_an_et_instead_of_refusing_its_extension(tmp_path):
    """The real .et holds no task table: it is read and found to be none (NotAMasterList),
    where its extension alone was refused before (UnsupportedFile)."""
    path = tmp_path / "任务分工表.et"
    path.write_bytes(REAL_ET)
    with pytest.raises(errors.InputFileError) as refused:
        import_master(path)
    assert not isinstance(refused.value, errors.UnsupportedFile), refused.value.message


def test_master_import_refuses_an_unreadable_et_with_the_wps_advice(tmp_path):
    path = tmp_path / "任务分工表.et"
    path.write_bytes(NO_WORKBOOK)
    with pytest.raises(errors.UnsupportedFile) as refused:
        import_master(path)
    assert refused.value.message == ("不支持“.et”格式的任务分工表，请使用 Word(.docx) 或 Excel(.xlsx)。"
                                     "这是 WPS 表格文件，请用 WPS 打开后另存为 .xlsx 再导入。")


def test_the_form_no_longer_tells_departments_not_to_send_et(issued_ws):
    sheet = CalamineWorkbook.from_path(str(issued_path(issued_ws, "大朗镇"))).get_sheet_by_name("填报说明")
    text = "".join(str(c) for row in sheet.to_python() for c in row)
    assert ".et" not in text and "请保存为 .xlsx（WPS 用户请选择“Excel 工作簿”）" in text


# ---------------------------------------------------------------------------
# our own form, saved as BIFF8 (by LibreOffice: WPS cannot run here) and named .et


def _as_et(lo, data: bytes, tmp_path: Path, unit: str) -> bytes:
    src = tmp_path / "src" / f"{unit}.xlsx"
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    saved = lo(src, "xls:MS Excel 97", tmp_path / "xls")
    et = saved.read_bytes()
    assert detect(et, f"{unit}.et") == "xls"
    return et


def test_a_form_saved_as_et_is_collected_archived_and_merged_as_its_values(lo, issued_ws, tmp_path):
    from toolkit.actions.merge import merge

    answers = {"1.2": Answer(status="已完成", progress=100, work="完成整改，共 33 个大厅", evidence="东政数〔2022〕8号"),
               "4.3": Answer(status="序时推进", progress=60, work="推进中", next_plan="7月完成")}
    xlsx = fill_return(issued_path(issued_ws, "大朗镇"), Filling(answers=answers))
    et = _as_et(lo, xlsx, tmp_path, "大朗镇")
    reference = _check(issued_ws, xlsx, "大朗镇.xlsx")
    report = _check(issued_ws, et, "2022年6月_大朗镇_进展填报表.et")
    # its hidden _meta survived BIFF8: recognised as 大朗镇's June form by it, as the .xlsx is
    assert (report.unit, str(report.period), report.identified_by) == ("大朗镇", "2022-06", reference.identified_by)
    assert report.valid and report.kind == "xls", report.issues
    assert [r.to_dict() for r in report.rows] == [r.to_dict() for r in reference.rows]

    drop(issued_ws, "2022年6月_大朗镇_进展填报表.et", et, on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        (rec,) = ledger.receipts()
    assert (rec.unit, rec.outcome, rec.kind) == ("大朗镇", "采纳", "xls")
    assert rec.name == "2022年6月_大朗镇_进展填报表.et" and rec.archive_path.endswith(".et")
    assert (issued_ws.root / rec.archive_path).read_bytes() == et  # the original, byte for byte
    book = CalamineWorkbook.from_path(str(merge(issued_ws, Period(2022, 6)).path))
    cells = {str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row}
    assert {"完成整改，共 33 个大厅", "东政数〔2022〕8号", "2022年6月_大朗镇_进展填报表.et"} <= cells


def test_a_form_saved_as_et_with_a_mistake_gets_its_values_back_in_the_reply(lo, issued_ws, tmp_path):
    """The reply rebuilds the form from what the .et holds, as for an .xls: the department's
    text is there, the empty 工作进展 marked, not a blank form for a file "无法读取"."""
    answers = {"1.2": Answer(status="已完成", progress=100, work="完成整改，共 33 个大厅", evidence="东政数〔2022〕8号"),
               "4.3": Answer(status="序时推进", progress=60, work="")}
    et = _as_et(lo, fill_return(issued_path(issued_ws, "大朗镇"), Filling(answers=answers)), tmp_path, "大朗镇")
    drop(issued_ws, "大朗镇.et", et, on_time())
    collect(issued_ws)
    workbook = next((issued_ws.root / "反馈").rglob("大朗镇_校验反馈.xlsx"))
    book = CalamineWorkbook.from_path(str(workbook))
    form = {str(c) for row in book.get_sheet_by_name("进展填报").to_python() for c in row}
    assert "完成整改，共 33 个大厅" in form
    codes = [row[2] for row in book.get_sheet_by_name("校验结果").to_python()[3:] if len(row) > 2]
    assert "E103" not in codes and "E101" not in codes


def test_master_import_reads_a_task_table_saved_as_et(lo, tmp_path):
    rows = [["推进政务服务大厅整改", "市政务服务数据管理局", "2022年6月底前"],
            ["建设城市更新项目库", "市自然资源局、市住房城乡建设局", "2022年12月底前"]]
    xlsx = numbered_table(tmp_path / "分工表.xlsx", "东莞市2022年重点工作任务分工表",
                          ["序号", "工作任务", "责任单位", "完成时限"], rows)
    saved = lo(xlsx, "xls:MS Excel 97", tmp_path / "xls")
    et = tmp_path / "任务分工表.et"
    shutil.copyfile(saved, et)
    tasks = [(t.id, t.content, t.departments_text, t.deadline) for t in import_master(et).tasks]
    assert tasks == [(t.id, t.content, t.departments_text, t.deadline) for t in import_master(xlsx).tasks]
    assert len(tasks) == 2
