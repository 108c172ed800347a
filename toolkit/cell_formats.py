"""Number formats of a few cells, for the one value calamine cannot tell apart.

python-calamine gives a cell's value and not its number format. Nearly always the value
is enough: "80%" typed into 完成进度 (formatted "0") is stored as 0.8, which can only be
80 %. "100%" is stored as 1, under a percent format that Excel, WPS and LibreOffice put on
the cell as it is typed; read without the format it is 1 %. So, for a 1 in that column
only, the workbook is opened again with openpyxl to read the cell's format. A department
that typed 1 meaning 1 % keeps the cell's "0" format and is read as it stands.

openpyxl reads no .xls or .ods. An .xls (BIFF8) is read here: the cell's XF record names
its format, built in (9 and 10 are "0%" and "0.00%") or a FORMAT record. An .ods says it in
the cell itself: ``office:value-type="percentage"``. Any other file, or one that cannot be
read this way, keeps its values: a 1 in a 已完成 row is still read as 100 (`checks`), and
any other 1 as 1 %.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from collections.abc import Callable
from contextlib import suppress

from .logs import log
from .ole import _biff_records, _ole_stream  # the .xls walk calamine's own reader makes

# Parts of a format code that show as they are, not as the number: quoted text ("%"), an
# escaped character (\%), a space as wide as a character (_%), a character repeated to fill
# the cell (*%), a colour or condition ([Red], [>=100]). A % outside them is the percent
# format, which shows the value times 100.
_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def shows_percent(number_format: str | None) -> bool:
    """Whether a cell with ``number_format`` shows its value as a percentage: "0%", "0.0%",
    a custom "0%;-0%"; not "0", not 0"%" or 0\\% (a literal sign after the number)."""
    return "%" in _LITERAL.sub("", number_format or "")


def percent_cells(data: bytes, sheet: str, cells: list[tuple[int, int]], kind: str = "xlsx"
                  ) -> set[tuple[int, int]]:
    """Those of ``cells`` ((row, column), 1-based, on ``sheet``) whose number format shows a
    percentage, in a workbook of ``kind`` (xlsx, xlsm, xls or ods). Empty when the workbook
    cannot be read this way (openpyxl is stricter than calamine): the values are then read
    as they stand, as before this lookup existed."""
    if not cells:
        return set()
    if kind == "xls":
        return _guarded(_xls_percent_cells, data, sheet, cells)
    if kind == "ods":
        return _guarded(_ods_percent_cells, data, sheet, cells)
    if kind not in ("xlsx", "xlsm"):
        return set()
    wanted = set(cells)
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    try:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            # "Data Validation extension is not supported" and the like: about parts this
            # lookup does not read, and no one's concern on screen
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True)
            try:
                found = set()
                for row in wb[sheet].iter_rows(min_row=min(rows), max_row=max(rows),
                                               min_col=min(cols), max_col=max(cols)):
                    for cell in row:
                        at = (getattr(cell, "row", None), getattr(cell, "column", None))
                        if at in wanted and shows_percent(getattr(cell, "number_format", None)):
                            found.add(at)
                return found
            finally:
                wb.close()
    except Exception as exc:  # a workbook calamine reads and openpyxl refuses
        log.debug("单元格格式读取失败（按原值读取）：%s: %s", type(exc).__name__, exc)
        return set()


def _guarded(lookup, data: bytes, sheet: str, cells: list[tuple[int, int]]) -> set[tuple[int, int]]:
    try:
        return lookup(data, sheet, set(cells))
    except Exception as exc:  # a damaged record or part: the values stand, as for openpyxl
        log.debug("单元格格式读取失败（按原值读取）：%s: %s", type(exc).__name__, exc)
        return set()


# ---------------------------------------------------------------------------
# .xls (BIFF8)

_BOUNDSHEET, _FORMAT, _XF, _EOF, _BOF = 0x0085, 0x041E, 0x00E0, 0x000A, 0x0809
_NUMBER, _RK, _MULRK, _FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
_BUILTIN_PERCENT = {9, 10}  # "0%" and "0.00%": built in, never written as FORMAT records


def _biff8_text(body: bytes, at: int, count_bytes: int) -> str:
    """An XLUnicodeString (``count_bytes`` 2) or ShortXLUnicodeString (1) at ``at``."""
    cch = int.from_bytes(body[at:at + count_bytes], "little")
    flags = body[at + count_bytes]
    start = at + count_bytes + 1
    if flags & 1:
        return body[start:start + 2 * cch].decode("utf-16-le", "replace")
    return body[start:start + cch].decode("latin-1")


def _xls_globals(stream: bytes) -> tuple[dict[int, str], list[int], dict[str, int]] | None:
    """The workbook globals of a BIFF8 stream: FORMAT codes by number, each XF record's
    format number (in record order: a cell's XF index), and each sheet's stream offset by
    name. None when the stream is not BIFF8."""
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    sheets: dict[str, int] = {}
    for kind, body, _ in _biff_records(stream, 0):
        if kind == _BOF and _biff_before_8(body):
            return None  # BIFF5 or older (Excel 95): strings and records differ
        if kind == _EOF:
            break
        if kind == _FORMAT:
            formats[struct.unpack_from("<H", body)[0]] = _biff8_text(body, 2, 2)
        elif kind == _XF:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _BOUNDSHEET:
            # calamine drops NULs from a sheet's name, and of two sheets with one name keeps
            # the later one's cells
            sheets[_biff8_text(body, 6, 1).replace("\x00", "")] = struct.unpack_from("<I", body)[0]
    return formats, xf_formats, sheets


def _biff_before_8(bof: bytes) -> bool:
    """A BOF record's version as calamine's parse_bof reads it: BIFF2 to BIFF5 by number, a 0
    with the globals type 0x1000 BIFF5, anything else BIFF8."""
    version, dt = struct.unpack_from("<HH", bof.ljust(4, b"\x00"))
    return version in (0x0002, 0x0007, 0x0200, 0x0300, 0x0400, 0x0500) or (version == 0 and dt == 0x1000)


def _xls_percent_cells(data: bytes, sheet: str, wanted: set[tuple[int, int]]) -> set[tuple[int, int]]:
    stream = _ole_stream(data)
    found_globals = _xls_globals(stream) if stream is not None else None
    if found_globals is None:
        return set()
    formats, xf_formats, sheets = found_globals
    offset = sheets.get(sheet)
    if offset is None:
        return set()
    percent_xfs = {i for i, f in enumerate(xf_formats)
                   if f in _BUILTIN_PERCENT or shows_percent(formats.get(f))}
    wanted0 = {(r - 1, c - 1) for r, c in wanted}
    found: set[tuple[int, int]] = set()
    seen_bof, depth = False, 0  # as calamine walks a sheet: from its offset to its own EOF
    for kind, body, _ in _biff_records(stream, offset):
        if kind == _BOF:
            depth += seen_bof
            seen_bof = True
        elif kind == _EOF:
            if depth == 0:
                break
            depth -= 1
        elif depth:
            continue  # a chart's or an embedded object's own substream
        elif kind in (_NUMBER, _RK, _FORMULA) and len(body) >= 6:
            row, col, xf = struct.unpack_from("<HHH", body)
            if (row, col) in wanted0 and xf in percent_xfs:
                found.add((row + 1, col + 1))
        elif kind == _MULRK and len(body) >= 12:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                xf = struct.unpack_from("<H", body, 4 + 6 * i)[0]
                if (row, first + i) in wanted0 and xf in percent_xfs:
                    found.add((row + 1, first + i + 1))
    return found


# ---------------------------------------------------------------------------
# .ods (OpenDocument)

_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")


class _StopWalk(Exception):
    """Past the last row asked about: the rest of content.xml is not needed."""


def walk_ods_cells(data: bytes, sheet: str, cell: Callable[[int, int, int, int, dict], None],
                   last_row: int) -> None:
    """The cells of ``sheet`` in an .ods's content.xml, counted as calamine's Ods reader counts
    them: element names as written (``table:table-row``, prefix and all), every row and cell
    outside a cell's own content counted, the table read up to its first end tag. ``cell(row,
    rows, col, cols, attrs)`` for each cell element: its first row and column (0-based), how
    many rows its row element repeats and how many columns it repeats (a million repeated rows
    are one element). The walk stops once the rows walked pass ``last_row`` (0-based).

    expat streams the part with a callback per element and keeps no tree: a large sheet before
    the wanted one costs time, not memory. A DOCTYPE is refused (ValueError), so no entity is
    ever declared or expanded. Shared by the percent formats here and `merged_rows`' merges."""
    import zipfile
    from xml.parsers import expat

    # the sheet's table is open; rows before the current one; columns before the current
    # cell; the current row element's repeat (0 outside one); elements open inside a cell
    # (its content, where calamine counts nothing)
    st = {"in": False, "row": 0, "col": 0, "repeat": 0, "inner": 0}

    def start(name, attrs):
        if st["inner"]:
            st["inner"] += 1
            return
        if name in _ODS_CELLS:
            st["inner"] = 1
            if st["in"]:
                span = int(attrs.get("table:number-columns-repeated", "1"))
                cell(st["row"], st["repeat"], st["col"], span, attrs)
                st["col"] += span
        elif name == "table:table-row" and st["in"]:
            st["repeat"], st["col"] = int(attrs.get("table:number-rows-repeated", "1")), 0
        elif name == "table:table" and not st["in"] and attrs.get("table:name") == sheet:
            st["in"] = True

    def end(name):
        if st["inner"]:
            st["inner"] -= 1
        elif st["in"] and name == "table:table-row":
            st["row"], st["repeat"] = st["row"] + st["repeat"], 0
            if st["row"] > last_row:
                raise _StopWalk
        elif st["in"] and name == "table:table":
            raise _StopWalk

    def refuse(*args):
        raise ValueError("DTD in content.xml")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("content.xml") as content, suppress(_StopWalk):
        parser.ParseFile(content)


def _ods_percent_cells(data: bytes, sheet: str, wanted: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of ``wanted`` (1-based row and column), the cells an .ods stores as percentages
    (`walk_ods_cells`), its sheet walked no further than the last row asked about."""
    import bisect

    rows = sorted({r for r, _ in wanted})
    cols_of: dict[int, list[int]] = {}
    for r, c in sorted(wanted):
        cols_of.setdefault(r, []).append(c)
    found: set[tuple[int, int]] = set()

    def cell(row: int, repeat: int, col: int, span: int, attrs: dict) -> None:
        if attrs.get("office:value-type") == "percentage":
            # the wanted rows and columns this element stands for
            hits = rows[bisect.bisect_right(rows, row):bisect.bisect_right(rows, row + repeat)]
            found.update((r, c) for r in hits for c in cols_of[r] if col < c <= col + span)

    walk_ods_cells(data, sheet, cell, rows[-1] - 1)
    return found
