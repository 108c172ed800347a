"""QA 160: the 汇总表's own SpreadsheetML writer (`xlsx_book`) against openpyxl's, off the demo.

Compared with openpyxl's writer at edf100c on months other than the demo (no return at all,
未报送（尚未截止）, 本期免报, a bureau's 科室 without 一级任务, 20 months of 历次进展, 1,350
units, markup and control characters, a restyled 样式.toml), both read the same in openpyxl
and calamine and LibreOffice printed the same pages, pixel for pixel. Two things differed.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import load_workbook

from toolkit.xlsx_book import Align, Book, Border, Font


def test_a_style_font_that_is_calibri_11_is_written_as_named_not_as_the_theme_font(tmp_path):
    """样式.toml with font = "Calibri", size = 11: the body cells took style 0's font, which is
    the theme's (color theme 1, scheme minor, so Excel may swap in the theme's font for
    Chinese text), where openpyxl wrote Calibri 11 as named, without a colour."""
    book = Book()
    sheet = book.sheet("报送情况")
    body = book.style(Font("Calibri", 11), border=Border("A6A6A6"), align=Align(vertical="top", wrap=True))
    sheet.append([("市政务服务数据管理局", body), ("按时报送", 0)])
    book.save(tmp_path / "b.xlsx")

    ws = load_workbook(tmp_path / "b.xlsx")["报送情况"]
    named, plain = ws["A1"].font, ws["B1"].font
    assert (named.name, named.sz, named.color, named.scheme) == ("Calibri", 11, None, None)
    assert plain.color is not None and plain.color.theme == 1 and plain.scheme == "minor"  # Excel's default
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        assert '<font><name val="Calibri"/><sz val="11"/></font>' in z.read("xl/styles.xml").decode()


def test_every_part_of_the_book_is_dated_when_it_was_written(tmp_path):
    """The sheets streamed into the zip were dated 1 January 1980 with no file mode, beside
    parts dated when the book was written (openpyxl's book dated them all)."""
    book = Book()
    sheet = book.sheet("任务汇总")
    sheet.append([("任务编号", 0)])
    sheet.rows = lambda: iter(['<row r="2"><c r="A2" t="inlineStr"><is><t>1.1</t></is></c></row>'])
    sheet.skip(1)
    book.save(tmp_path / "b.xlsx")

    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        infos = z.infolist()
        assert z.read("xl/worksheets/sheet1.xml").decode().count("<row ") == 2
    today = dt.date.today()
    for info in infos:
        assert abs((dt.date(*info.date_time[:3]) - today).days) <= 1, info.filename
        assert info.external_attr >> 16 == 0o600, info.filename
        assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
