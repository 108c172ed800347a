"""A 1 in 完成进度 is "100%" when the cell shows a percentage, and 1 % when it does not.

Excel, WPS and LibreOffice store "100%" typed into a cell as 1 and give the cell a percent
format; calamine reads the 1 without the format (`toolkit.cell_formats`). Before, a row not
marked 已完成 with "100%" typed went into the 汇总表 as 1 %.
"""

from __future__ import annotations

import pytest
from conftest import edit

from toolkit import cell_formats
from toolkit.cell_formats import percent_cells, shows_percent
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.period import Period

ON_TRACK = Answer(status="序时推进", progress=50, work="已完成方案起草，正在征求意见。")


def check(ws, data: bytes, name: str = "石龙镇.xlsx"):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


def typed(value, number_format: str):
    """What the office suite keeps in 石龙镇's cell I5 (task 1.2's 完成进度)."""
    def change(wb):
        cell = wb["进展填报"]["I5"]
        cell.value, cell.number_format = value, number_format
    return change


def progress_of(report, task: str = "1.2"):
    return next(r for r in report.rows if r.task == task).progress


def test_100_percent_typed_in_a_row_not_done_is_100_and_its_status_is_questioned(issued_ws, make_return):
    form = make_return("石龙镇", Filling(answers={"1.2": ON_TRACK}))
    as_typed = check(issued_ws, edit(form, typed(1, "0%")))
    one = check(issued_ws, edit(form, typed(1, "0")))
    assert progress_of(as_typed) == 100
    assert progress_of(one) == 1
    # 100 in a row marked 序时推进 is asked about (W602), as if 100 had been typed
    assert sorted(i.code for i in as_typed.issues) == sorted([i.code for i in one.issues] + ["W602"])


@pytest.mark.parametrize("number_format", ['0"%"', "0\\%", "0", "General"])
def test_a_1_shown_without_a_percentage_stays_1(issued_ws, make_return, number_format):
    form = make_return("石龙镇", Filling(answers={"1.2": ON_TRACK}))
    assert progress_of(check(issued_ws, edit(form, typed(1, number_format)))) == 1


@pytest.mark.parametrize("number_format, percent", [
    ("0%", True), ("0.00%", True), ("0%;-0%", True), ("[Red]0%", True), ('"完成"0%', True),
    ('0"%"', False), ("0\\%", False), ("0", False), ("General", False), ("", False), (None, False),
    ('[$-804]0"%"', False), ("0%_)", True), ("0_%", False), ("0*%", False),
])
def test_which_formats_show_a_percentage(number_format, percent):
    assert shows_percent(number_format) is percent


def test_a_workbook_openpyxl_cannot_read_keeps_its_values():
    assert percent_cells(b"PK\x03\x04 not really a workbook", "进展填报", [(5, 9)]) == set()


@pytest.mark.parametrize("kind, data", [
    ("xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 cut short"), ("ods", b"PK\x03\x04 cut short"),
    ("xlsb", b"PK\x03\x04"),
])
def test_an_xls_or_ods_this_lookup_cannot_read_keeps_its_values(kind, data):
    assert percent_cells(data, "进展填报", [(5, 9)], kind) == set()


def test_a_form_without_a_1_never_opens_the_workbook_again(issued_ws, make_return, monkeypatch):
    def opened(*args):
        raise AssertionError("a second read was not needed")

    monkeypatch.setattr(cell_formats, "percent_cells", opened)
    report = check(issued_ws, make_return("石龙镇", Filling(answers={"1.2": ON_TRACK})))
    assert progress_of(report) == 50


def test_libreoffice_keeps_the_percentage_it_was_given(lo, issued_ws, make_return, tmp_path):
    """LibreOffice as the third-party writer: its own styles.xml, its own format codes."""
    def two_ones(wb):
        sheet = wb["进展填报"]
        sheet["I5"].value, sheet["I5"].number_format = 1, "0%"  # task 1.2: "100%"
        sheet["I6"].value, sheet["I6"].number_format = 1, "0"  # task 4.3: 1 %

    src = tmp_path / "石龙镇.xlsx"
    src.write_bytes(edit(make_return("石龙镇", Filling(answers={"1.2": ON_TRACK, "4.3": ON_TRACK})), two_ones))
    saved = lo(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    report = check(issued_ws, saved.read_bytes(), saved.name)
    assert (progress_of(report, "1.2"), progress_of(report, "4.3")) == (100, 1)


@pytest.mark.parametrize("target", ["xls:MS Excel 97", "ods:calc8"])
def test_a_form_saved_as_xls_or_ods_keeps_the_percentage(lo, issued_ws, make_return, tmp_path, target):
    """A department that saves its form as .xls (Excel 97-2003) or .ods, written here by
    LibreOffice: the .xls names the format in its XF and FORMAT records, the .ods marks the
    cell ``office:value-type="percentage"``; neither is read by openpyxl."""
    def ones(wb):
        sheet = wb["进展填报"]
        sheet["I5"].value, sheet["I5"].number_format = 1, "0%"  # task 1.2: "100%"
        sheet["I6"].value, sheet["I6"].number_format = 1, "0"  # task 4.3: 1 %
        sheet["I7"].value, sheet["I7"].number_format = 1, "0.00%"  # task 5.1: "100.00%"

    src = tmp_path / "石龙镇.xlsx"
    answers = {"1.2": ON_TRACK, "4.3": ON_TRACK, "5.1": ON_TRACK}
    src.write_bytes(edit(make_return("石龙镇", Filling(answers=answers)), ones))
    saved = lo(src, target, tmp_path / "lo")
    assert saved.suffix == "." + target.split(":")[0]
    report = check(issued_ws, saved.read_bytes(), saved.name)
    assert [progress_of(report, t) for t in ("1.2", "4.3", "5.1")] == [100, 1, 100]


@pytest.mark.parametrize("name, sheets, xf_count, yuan", [
    ("excel2016-win_cjk-header.xls", ["Sheet1", "Sheet2", "Sheet3"], 63, '"¥"#,##0;"¥"\\-#,##0'),
    ("wps-office_cjk.xls", ["Sheet1", "Sheet2", "Sheet3"], 66, '"￥"#,##0;"￥"\\-#,##0'),
])
def test_the_xls_reader_reads_the_format_tables_excel_and_wps_wrote(name, sheets, xf_count, yuan):
    """Real .xls files written by Excel 2016 and by WPS (tests/corpus/foreign): their
    FORMAT records (UTF-16, with the yuan sign each writes), XF records and sheet names."""
    from conftest import ROOT

    from toolkit.cell_formats import _xls_globals
    from toolkit.ole import _ole_stream

    formats, xf_formats, offsets = _xls_globals(_ole_stream((ROOT / "tests/corpus/foreign" / name).read_bytes()))
    assert list(offsets) == sheets
    assert len(xf_formats) == xf_count
    assert formats[5] == yuan
    assert not any(shows_percent(f) for f in formats.values())  # none of their own formats is a percentage
