"""The 汇总表 written by `xlsx_book` (duban's own SpreadsheetML), read by others.

`xlsx_book` replaced openpyxl's writer for the 汇总表 (issue 19: openpyxl's import and layout
were two thirds of W1's merge). What a reader sees of the demo month's book — every cell's
value and style, row heights, column widths, merges, panes, print setup, filters,
conditional fills, page breaks, charts and defined names, as openpyxl reads them — is pinned
in ``tests/golden/summary_book.json.gz``, first written from openpyxl's writer (commit
edf100c) and identical for `xlsx_book`'s. After a deliberate change of layout::

    DUBAN_REFRESH_GOLDEN=1 python -m pytest tests/test_xlsx_book.py -n0

LibreOffice renders the book in tests/test_summary_book_pixels.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import ROOT, drop, on_time
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from toolkit.actions.collect import collect
from toolkit.filling import Filling
from toolkit.xlsx_book import Align, Book, Border, Fill, Font

GOLDEN = Path(__file__).parent / "golden" / "summary_book.json.gz"
TRICKY = "<b>&\"' 'x'"
_HASH = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}(?=[_-])")  # sha256s and archive names vary by run


def _color(c):
    return None if c is None else (c.rgb if c.type == "rgb" else f"{c.type}:{c.value}")


def _style(c):
    f, fl, a, b = c.font, c.fill, c.alignment, c.border
    sides = [(s.style, _color(s.color)) if s is not None and s.style else None
             for s in (b.left, b.right, b.top, b.bottom)]
    return [c.number_format, [f.name, f.sz, bool(f.b), _color(f.color)],
            [fl.patternType, _color(fl.fgColor) if fl.patternType else None,
             _color(fl.bgColor) if fl.patternType else None],
            [a.horizontal, a.vertical, bool(a.wrapText)], sides]


def _value(v):
    if isinstance(v, str):
        return _HASH.sub("<hash>", v)
    return v if v is None or isinstance(v, (int, float, bool)) else str(v)


def _fill(props):
    fill = props.solidFill if props is not None else None
    if fill is None:
        return None
    return fill if isinstance(fill, str) else getattr(fill, "srgbClr", None) and (
        fill.srgbClr if isinstance(fill.srgbClr, str) else fill.srgbClr.val)


def describe(path) -> dict:
    wb = load_workbook(path)
    out = {"sheets": wb.sheetnames, "names": sorted((n, str(d.attr_text)) for n, d in wb.defined_names.items())}
    for ws in wb:
        styles = {}
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                key = repr(_style(c))
                styles.setdefault(key, len(styles))
                cells.append([c.coordinate, _value(c.value), c.data_type, styles[key]])
            rows.append(cells)
        charts = []
        for ch in ws._charts:
            a = ch.anchor
            charts.append({"type": type(ch).__name__, "at": [a._from.col, a._from.row, a._from.rowOff],
                           "size": [a.ext.width, a.ext.height],
                           "title": ch.title.tx.rich.p[0].r[0].t if ch.title else None,
                           "series": [[s.tx.strRef.f if s.tx and s.tx.strRef else None,
                                       s.cat.numRef.f if s.cat and s.cat.numRef else None, s.val.numRef.f,
                                       _fill(s.graphicalProperties), [_fill(p.graphicalProperties) for p in s.dPt]]
                                      for s in ch.series]})
        out[ws.title] = {
            "styles": list(styles), "rows": rows,
            "heights": [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)],
            "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items())},
            "merges": sorted(map(str, ws.merged_cells.ranges)), "freeze": ws.freeze_panes,
            "print_rows": ws.print_title_rows, "filter": ws.auto_filter.ref,
            "conditions": [[str(r.sqref), [[x.type, x.operator, x.formula, x.priority,
                                            _color(x.dxf.fill.fgColor), _color(x.dxf.fill.bgColor)]
                                           for x in r.rules]] for r in ws.conditional_formatting],
            "page": [ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                     ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
                     ws.print_options.horizontalCentered, ws.oddFooter.center.text],
            "margins": [ws.page_margins.left, ws.page_margins.right, ws.page_margins.top,
                        ws.page_margins.bottom, ws.page_margins.header, ws.page_margins.footer],
            "breaks": [b.id for b in ws.row_breaks.brk], "charts": charts}
    return out


@pytest.mark.slow
def test_the_demo_book_reads_as_openpyxl_wrote_it(tmp_path):
    from summary_demo import build

    book, _ = build(tmp_path)
    seen = describe(book)
    if os.environ.get("DUBAN_REFRESH_GOLDEN"):
        GOLDEN.write_bytes(gzip.compress(json.dumps(seen, ensure_ascii=False, indent=0, sort_keys=True).encode(),
                                         mtime=0))
    pinned = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    seen = json.loads(json.dumps(seen))  # tuples as lists, as pinned
    assert list(seen) == list(pinned) or sorted(seen) == sorted(pinned)
    for part in sorted(pinned):
        if seen[part] == pinned[part] or not isinstance(pinned[part], dict):
            assert seen[part] == pinned[part], part
            continue
        for key in pinned[part]:
            assert seen[part][key] == pinned[part][key], (part, key)


def test_a_merge_reads_and_writes_without_openpyxl(issued_ws, make_return):
    """openpyxl's import alone was 61 ms of W1's 147 ms merge: a merge never imports it, and
    every part of the book it writes is well-formed XML."""
    drop(issued_ws, "市政数局.xlsx", make_return("市政务服务数据管理局", Filling()), on_time())
    collect(issued_ws)
    code = ("import sys; from toolkit.actions.merge import merge; from toolkit.workspace import find_workspace; "
            f"r = merge(find_workspace({str(issued_ws.root)!r}, explicit=True)); "
            "print(r.path); print('openpyxl' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    path, imported = done.stdout.split()
    assert imported == "False"
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))  # raises on a malformed part
    assert "市政务服务数据管理局" in {row[0] for row in CalamineWorkbook.from_path(path).get_sheet_by_name(
        "报送情况").to_python()}


def test_names_and_text_with_markup_characters_read_back_as_written(tmp_path):
    """A sheet name, a cell and a chart reference holding & < > " ' are escaped where they go."""
    from toolkit.summary_charts import anchor, status_pie

    book = Book()
    sheet = book.sheet("A&B'C")
    sheet.widths = [12, 8]
    sheet.freeze = "B2"
    sid = book.style(Font("宋体", 10, bold=True, color="C00000"), Fill("A9D18E"), Border("A6A6A6"),
                     Align("center", "center", wrap=True), "0.0%")
    sheet.append([(TRICKY, sid), (0.5, sid)], 20)
    sheet.append([("已完成", 0), (1, 0)])
    sheet.merges.append("A3:B3")
    sheet.auto_filter = "A1:B2"
    sheet.print_rows = (1, 1)
    sheet.condition("A1:A2", [("已完成", Fill("A9D18E"))])
    sheet.charts = [anchor(status_pie(sheet.name, 2, 2, ("已完成",), {"已完成": "A9D18E"}, "宋体"), 3, 0, 10, 6)]
    path = tmp_path / "book.xlsx"
    book.save(path)

    wb = load_workbook(path)
    ws = wb["A&B'C"]
    assert ws["A1"].value == TRICKY and ws["B1"].value == 0.5 and ws["B1"].number_format == "0.0%"
    assert ws["A1"].font.b and ws["A1"].font.color.rgb.endswith("C00000") and ws["A1"].alignment.wrapText
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:B2" and ws.row_dimensions[1].height == 20
    assert [r.rules[0].formula for r in ws.conditional_formatting] == [['"已完成"']]
    [chart] = ws._charts
    assert chart.series[0].val.numRef.f == "'A&B''C'!$B$2"
    assert CalamineWorkbook.from_path(str(path)).get_sheet_by_name("A&B'C").to_python()[0][0] == TRICKY


def test_libreoffice_reads_it_as_a_book_excel_made(tmp_path):
    """LibreOffice lays out a book another application made with other defaults: the demo's
    汇总表 printed on 50 pages instead of the 49 its layout was fitted to (rows moved from one
    page to the next). The book says "Microsoft Excel" first, as openpyxl's did."""
    book = Book()
    book.sheet("表").append([("x", 0)])
    book.save(tmp_path / "b.xlsx")
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        app = ElementTree.fromstring(z.read("docProps/app.xml"))
    [name] = [e.text for e in app if e.tag.endswith("Application")]
    assert name.startswith("Microsoft Excel")


def test_a_head_row_after_the_data_rows_is_refused():
    """The data rows are written after the head rows: a row appended after them would come
    first in the file, out of order, which Excel refuses."""
    sheet = Book().sheet("表")
    sheet.append([("标题", 0)])
    sheet.rows = lambda: iter(['<row r="2"></row>'])
    with pytest.raises(ValueError):
        sheet.append([("又一行", 0)])
    other = Book().sheet("表")
    other.skip(3)
    with pytest.raises(ValueError):
        other.append([("又一行", 0)])


def test_a_second_stop_while_a_sheet_closes_is_the_stop_not_an_internal_error(tmp_path, monkeypatch):
    """A signal sweep over `run --pdf` ended in 内部错误: a second stop inside the close of a
    sheet's zip entry left it open, and closing the zip raised ValueError ("open writing
    handle") over the KeyboardInterrupt. The stop is what the caller sees; the file is left
    for `atomic_write` to remove."""
    book = Book()
    sheet = book.sheet("表")
    sheet.append([("标题", 0)])
    sheet.rows = lambda: iter(['<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'])
    real_close = zipfile._ZipWriteFile.close

    def stopped(self):
        monkeypatch.setattr(zipfile._ZipWriteFile, "close", real_close)
        raise KeyboardInterrupt

    monkeypatch.setattr(zipfile._ZipWriteFile, "close", stopped)
    with pytest.raises(KeyboardInterrupt):
        book.save(tmp_path / "b.xlsx")
