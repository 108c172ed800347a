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


# ---------------------------------------------------------------------------
# .ods and .xls read where calamine reads them (QA: shapes a department's save can take)

def _ods(*tables: tuple[str, str]) -> bytes:
    """An .ods of (name, rows) tables, in order."""
    import io
    import zipfile

    body = "".join(f'<table:table table:name="{name}">{rows}</table:table>' for name, rows in tables)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
               "</office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", "")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _ones(data: bytes, sheet: str) -> list[tuple[int, int]]:
    """(row, column), 1-based, of every 1 calamine reads on ``sheet``, as returns.py numbers them."""
    import io

    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [(r + 1, c + 1) for r, row in enumerate(rows) for c, v in enumerate(row)
            if type(v) in (int, float) and v == 1]


_PCT = '<table:table-cell office:value-type="percentage" office:value="1"{}><text:p>100%</text:p></table:table-cell>'
_ONE = '<table:table-cell office:value-type="float" office:value="1"{}><text:p>1</text:p></table:table-cell>'
_TXT = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def test_an_ods_lookup_counts_rows_and_columns_as_calamine_does():
    """Repeated rows and columns, merged (covered) cells before the column, header rows, a
    row group, a cell's own markup, a comment; and another sheet, before the
    return's, with its own percentages at the same addresses."""
    rep = ' table:number-columns-repeated="{}"'.format
    form = (
        '<table:table-header-rows><table:table-row>' + _TXT * 3 + '</table:table-row></table:table-header-rows>'
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'  # rows 2-4
        '<table:table-row>' + _TXT + '<table:covered-table-cell' + rep(2) + '/>' + _PCT.format("")  # D5
        + _ONE.format("") + '</table:table-row>'  # E5
        '<table:table-row table:number-rows-repeated="2">' + _TXT + _PCT.format(rep(3))  # B6:D7
        + '</table:table-row>'
        '<table:table-row-group><table:table-row><table:table-cell' + rep(3) + '/>'
        + _ONE.format("") + '</table:table-row></table:table-row-group>'  # D8
        '<!-- <table:table-row><table:table-cell/></table:table-row> -->'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>x<text:span>y</text:span>'
        '</text:p></table:table-cell><table:covered-table-cell/><table:table-cell/>' + _PCT.format("")  # D9
        + '</table:table-row>'
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell' + rep(1024) + '/></table:table-row>'
    )
    other = ('<table:table-row table:number-rows-repeated="4"><table:table-cell/></table:table-row>'
             '<table:table-row><table:table-cell' + rep(3) + '/>' + _ONE.format("") + _PCT.format("")
             + '</table:table-row>')  # D5 a 1 under "0", E5 a percentage
    data = _ods(("说明", other), ("进展填报", form))
    ones = _ones(data, "进展填报")
    assert ones == [(5, 4), (5, 5), (6, 2), (6, 3), (6, 4), (7, 2), (7, 3), (7, 4), (8, 4), (9, 4)]
    assert percent_cells(data, "进展填报", ones, "ods") == set(ones) - {(5, 5), (8, 4)}
    assert percent_cells(data, "说明", _ones(data, "说明"), "ods") == {(5, 5)}


def test_an_ods_return_after_a_large_sheet_is_looked_up_without_building_that_sheet():
    """content.xml is streamed: a department's 20,000-cell ledger before the form costs no
    memory (the tree the lookup built of it was 30 MB per 60,000 cells)."""
    import tracemalloc

    ledger = ('<table:table-row>' + ''.join(
        f'<table:table-cell office:value-type="float" office:value="{i}"><text:p>{i}</text:p></table:table-cell>'
        for i in range(20)) + '</table:table-row>') * 1000
    data = _ods(("台账", ledger), ("进展填报", '<table:table-row>' + _PCT.format("") + '</table:table-row>'))
    tracemalloc.start()
    try:
        found = percent_cells(data, "进展填报", [(1, 1)], "ods")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == {(1, 1)}
    assert peak < 4 << 20


def test_thousands_of_ones_in_an_ods_are_all_found():
    """Each row's percentage cells are matched against that row's 1s only (bisect over the
    rows asked about): comparing every cell with every 1 took 6 s for these 5,000 rows, and
    41 s for 4,900 rows of 30 (measured; the speed itself is the benchmark's business)."""
    data = _ods(("进展填报", ('<table:table-row>' + _PCT.format("") * 3 + '</table:table-row>') * 5000))
    wanted = [(r, 2) for r in range(1, 5001)]
    assert percent_cells(data, "进展填报", wanted, "ods") == set(wanted)


def test_an_ods_with_a_doctype_keeps_its_values():
    data = _ods(("进展填报", '<table:table-row>' + _PCT.format("") + '</table:table-row>'))
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        content = z.read("content.xml")
    content = content.replace(b"?><office:document-content",
                              b'?><!DOCTYPE x [<!ENTITY a "1">]><office:document-content', 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    assert percent_cells(buf.getvalue(), "进展填报", [(1, 1)], "ods") == set()


def _biff8(sheets: list[tuple[str, bytes]], bof_version: int = 0x0600) -> bytes:
    """An .xls (tests/xls_build) with XF 0 General, 1 "0%" (built in 9), 2 a FORMAT "0.0%",
    3 a FORMAT 0"%" (a literal sign), 4 "0"; ``sheets``: (name, records between BOF and EOF)."""
    import struct

    import xls_build as X

    def fmt(i: int, code: str) -> bytes:
        return X.rec(0x041E, struct.pack("<HHB", i, len(code), 1) + code.encode("utf-16-le"))

    def boundsheet(pos: int, name: str) -> bytes:
        return X.rec(0x0085, struct.pack("<IBB", pos, 0, 0) + bytes([len(name), 1]) + name.encode("utf-16-le"))

    bof = X.rec(0x0809, struct.pack("<HHHHII", bof_version, 5, 0x0DBB, 0x07CC, 0, 6))
    table = fmt(164, "0.0%") + fmt(165, '0"%"') + b"".join(
        X.rec(0x00E0, struct.pack("<HH", 0, f) + b"\x00" * 16) for f in (0, 9, 164, 165, 1))
    head = len(bof) + len(table) + sum(len(boundsheet(0, n)) for n, _ in sheets) + len(X.eof())
    bodies = [X.sheet(recs) for _, recs in sheets]
    offsets = [head + sum(len(b) for b in bodies[:i]) for i in range(len(bodies))]
    return X.xls(bof + table + b"".join(boundsheet(o, n) for o, (n, _) in zip(offsets, sheets))
                 + X.eof() + b"".join(bodies))


def test_an_xls_lookup_reads_mulrk_runs_formulas_and_each_sheet_alone():
    import struct

    import xls_build as X

    def rk1(xf: int) -> bytes:
        return struct.pack("<HI", xf, (1 << 2) | 2)

    def mulrk(row: int, first: int, xfs: list[int]) -> bytes:
        return X.rec(0x00BD, struct.pack("<HH", row, first) + b"".join(map(rk1, xfs))
                     + struct.pack("<H", first + len(xfs) - 1))

    def number(row: int, col: int, xf: int) -> bytes:
        return X.rec(0x0203, struct.pack("<HHHd", row, col, xf, 1.0))

    chart = X.bof(0x0020) + number(5, 8, 1) + X.eof()  # an embedded chart's cells are not the sheet's
    form = (mulrk(4, 6, [4, 0, 1, 4]) + mulrk(5, 7, [1, 4]) + number(6, 8, 2) + number(7, 8, 3)
            + X.rec(0x0006, struct.pack("<HHHdHIH", 8, 8, 1, 1.0, 0, 0, 3) + b"\x1e\x01\x00")  # =1 as 0%
            + X.rec(0x027E, struct.pack("<HHH", 5000, 8, 0) + rk1(1)[2:]) + number(5001, 8, 1) + chart)
    other = number(4, 8, 4) + number(5, 8, 1)
    for bof_version in (0x0600, 0):  # calamine reads a BOF of version 0 as BIFF8 too
        data = _biff8([("说明", other), ("进展填报\x00", form)], bof_version)  # calamine drops the NUL
        ones = _ones(data, "进展填报")
        assert ones == [(5, 7), (5, 8), (5, 9), (5, 10), (6, 8), (6, 9), (7, 9), (8, 9), (9, 9), (5001, 9), (5002, 9)]
        assert percent_cells(data, "进展填报", ones, "xls") == {(5, 9), (6, 8), (7, 9), (9, 9), (5002, 9)}
        assert percent_cells(data, "说明", _ones(data, "说明"), "xls") == {(6, 9)}


def test_an_excel_95_xls_keeps_its_values():
    """BIFF5 (LibreOffice no longer writes it; made by hand): calamine reads the values, this
    lookup reads no formats."""
    import struct

    import xls_build as X

    def bof(dt: int) -> bytes:
        return X.rec(0x0809, struct.pack("<HHHH", 0x0500, dt, 0x0DBB, 0x07CC))

    def boundsheet(pos: int) -> bytes:
        return X.rec(0x0085, struct.pack("<IBBB", pos, 0, 0, 4) + b"Form")  # a byte string: no flags

    table = b"".join(X.rec(0x00E0, struct.pack("<HH", 0, f) + b"\x00" * 12) for f in (0, 9))
    head = len(bof(5)) + len(table) + len(boundsheet(0)) + len(X.eof())
    sheet = bof(0x10) + X.rec(0x0203, struct.pack("<HHHd", 4, 8, 1, 1.0)) + X.eof()
    data = X.xls(bof(5) + table + boundsheet(head) + X.eof() + sheet, name="Book")
    assert _ones(data, "Form") == [(5, 9)]
    assert percent_cells(data, "Form", [(5, 9)], "xls") == set()


@pytest.mark.parametrize("target", ["xls:MS Excel 97", "ods:calc8"])
def test_a_form_renamed_moved_and_merged_keeps_its_percentages(lo, issued_ws, make_return, tmp_path, target):
    """The form's sheet renamed and put second, after a sheet with its own percentages at the
    same addresses; cells merged before 完成进度; custom formats; a formula; a row after
    hundreds of blank ones."""
    def reshape(wb):
        sheet = wb["进展填报"]
        sheet.title = "石龙镇填报"
        cover = wb.create_sheet("封面", 0)
        for cell, value, number_format in [("I5", 1, "0%"), ("I6", 1, "0%"), ("I7", 1, "0"), ("A1", "封面", "@")]:
            cover[cell].value, cover[cell].number_format = value, number_format
        sheet.merge_cells("B6:D6")
        for col in range(1, 15):  # task 5.1 (row 7) moved to row 600
            sheet.cell(600, col).value, sheet.cell(7, col).value = sheet.cell(7, col).value, None
        for cell, value, number_format in [("I5", 1, "0.0%"), ("I6", 1, '0"%"'), ("I600", "=1", "0%")]:
            sheet[cell].value, sheet[cell].number_format = value, number_format

    src = tmp_path / "石龙镇.xlsx"
    answers = {"1.2": ON_TRACK, "4.3": ON_TRACK, "5.1": ON_TRACK}
    src.write_bytes(edit(make_return("石龙镇", Filling(answers=answers)), reshape))
    saved = lo(src, target, tmp_path / "lo")
    report = check(issued_ws, saved.read_bytes(), saved.name)
    assert [progress_of(report, t) for t in ("1.2", "4.3", "5.1")] == [100, 1, 100]
