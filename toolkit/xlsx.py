"""Cell helpers shared by every workbook duban writes: openpyxl's (the forms, the replies, the
master workbook) and duban's own SpreadsheetML (the 汇总表: `cell_xml`, `xlsx_book`).

Text from departments goes into cells as text, never as a formula, and without the
control characters that make openpyxl refuse to save. Saves go through `files.atomic_write`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import atomic_write
from .text import LazyPattern, clean, display_width

CELL_LIMIT = 32767
MAX_ROW_HEIGHT = 409  # points: Excel's limit
# The characters openpyxl refuses to save (its ILLEGAL_CHARACTERS_RE), spelled here so that
# importing this module does not import openpyxl (about 100 ms, paid by every command).
ILLEGAL_CHARACTERS_RE = LazyPattern(r"[\000-\010]|[\013-\014]|[\016-\037]")


_ESCAPE_LOOKALIKE = LazyPattern(r"_(x[0-9A-Fa-f]{4}_)")


def text_value(value: object) -> str:
    """Department text made safe for a cell.

    Text such as ``_x0041_`` is how xlsx escapes a character; openpyxl writes it as is, so
    Excel and calamine would show "A". Escaping the underscore keeps the text literal.
    """
    s = clean(value)
    # Each pass only when it can change something: two regex passes were 1 µs a cell, and a
    # 汇总表 cell is most often new text (W2's 单位明细: 10,000 工作进展)
    if not s.isprintable():  # the illegal characters are controls, never printable
        s = ILLEGAL_CHARACTERS_RE.sub("", s)
    s = s[:CELL_LIMIT]
    return _ESCAPE_LOOKALIKE.sub(r"_x005F_\1", s) if "_x" in s else s


def set_text(cell, value: object) -> None:
    """Put text in a cell as a plain string, even when it starts with = + - @."""
    cell.value = text_value(value)
    cell.data_type = "s"


def atomic_save(wb, path: Path) -> Path:
    """Save an openpyxl workbook atomically."""
    return atomic_write(path, lambda tmp: wb.save(tmp))


def row_height(cells: list[tuple[object, float]], size: float = 10, minimum: float = 18) -> float:
    """Row height (points) that shows every wrapped ``(value, column width)`` in full.

    Excel and LibreOffice do not re-fit row heights of a generated file when it opens,
    so we estimate them: lines per cell from display width, the tallest cell wins.
    """
    lines = 1
    for value, width in cells:
        if value is None or value == "":
            continue
        text = str(value)
        if len(text) > one_line_chars(width, size) or "\n" in text:
            lines = max(lines, cell_lines(text, width, size))
    return height_of_lines(lines, size, minimum)


def set_height(ws, row: int, height: float, custom: bool = True) -> None:
    """Make row ``row`` of openpyxl sheet ``ws`` ``height`` points high; ``custom=False``: as a
    height the office suite worked out itself, so that it grows the row when a cell changes.

    openpyxl marks every row with a height ``customHeight="1"``, ECMA-376's "set by hand", and
    Excel, WPS and LibreOffice then keep that height whatever is typed: a department's long
    工作进展 printed cut off for the leader's stamp (QA124). Without the mark they show the
    height as given when the file opens and re-fit the row once one of its cells is edited.
    """
    if custom:
        ws.row_dimensions[row].height = height
    else:
        ws.row_dimensions[row] = _fitted_row()(ws, index=row, ht=height)


@functools.cache
def _fitted_row() -> type:
    """openpyxl's RowDimension writing its height without ``customHeight``: openpyxl serialises
    every truthy field a row dimension yields, and says custom whenever there is a height."""
    from openpyxl.worksheet.dimensions import RowDimension

    class FittedRow(RowDimension):
        @property
        def customHeight(self) -> bool:
            return False

    return FittedRow


def height_of_lines(lines: int, size: float, minimum: float) -> float:
    return max(minimum, round(lines * size * 1.4 + 5, 1))


@functools.lru_cache(maxsize=256)
def one_line_chars(width: float, size: float) -> int:
    """Text of at most this many characters (and no line break) fits on one line of a column
    ``width`` wide even when every character is wide, one to spare for rounding: it needs no
    measuring. Most cells of a consolidated sheet are that short (W2 merge: the row heights
    took 0.15 s of 0.67 s measuring them all)."""
    return max(0, math.floor(line_cells(width, size) / 2) - 1)


def line_cells(width: float, size: float) -> float:
    """Display cells (a wide character takes two) on one line of a column ``width`` wide:
    the widths are in 11-point characters, less a cell's padding."""
    return max(width - 1.2, 1) / (size / 11)


@functools.lru_cache(maxsize=16)
def most_lines(size: float, slack: float = 1.0) -> int:
    """Wrapped lines that a row of Excel's maximum height shows at ``size`` points, when
    heights are made ``slack`` times taller than estimated."""
    n = 1
    while round(height_of_lines(n + 1, size, 16) * slack, 1) < MAX_ROW_HEIGHT:
        n += 1
    return n


def lines_at_most(text: str, per_line: float) -> float:
    """A bound `cell_lines` never exceeds for ``text`` in a column of ``per_line`` display cells
    (`line_cells`): a line per paragraph more than its width needs were every character wide."""
    return text.count("\n") + 1 + 2 * len(text) / per_line


def noting(get: Callable[[Any], Any], width: float, size: float, note: str,
           slack: float = 1.0) -> Callable[[Any], Any]:
    """``get`` with ``note`` put in front of a text that needs more lines than `most_lines`:
    the row is cut at Excel's maximum height, on screen and on paper, and a reader must
    know that the rest is there."""
    most = most_lines(size, slack)
    per_line = line_cells(width, size)

    def noted(item: Any) -> Any:
        value = get(item)
        if not isinstance(value, str):
            return value
        # Most texts are settled by bounds: at most one line per paragraph more than their
        # width needs, at least a line per paragraph (任务汇总's 各单位进展, a paragraph per
        # unit: measuring W2's 200 took 20 ms), so no measuring unless between the two.
        if lines_at_most(value, per_line) <= most:
            return value
        if value.count("\n") + 1 <= most and cell_lines(value, width, size) <= most:
            return value
        return f"{note}\n{value}"

    return noted


@functools.lru_cache(maxsize=4096)
def cell_lines(text: str, width: float, size: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` wide. Cached: a consolidated sheet
    repeats task names, units and statuses on every row (W2 merge: see `summary_book`)."""
    usable = max(width - 1.2, 1)
    scale = size / 11
    if "\n" not in text:  # most cells: no split, no generator (1 µs of 2.7 for a 工作进展)
        return max(1, math.ceil(display_width(text) * scale / usable))
    return sum(max(1, math.ceil(display_width(p) * scale / usable)) for p in text.split("\n"))


PAGE_FOOTER = "第 &P 页，共 &N 页"


def fit_a4(ws, landscape: bool = True, numbered: bool = False) -> None:
    """Print on A4, every column on one page wide, as many pages down as it takes;
    ``numbered``: a table centred between 0.4-inch side margins, 第 N 页 in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if numbered:
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.oddFooter.center.text = PAGE_FOOTER


def style_cell(cell, *, font=None, fill=None, alignment=None, border=None, protection=None,
               number_format: str | None = None) -> None:
    """Give a cell exactly this style combination (unnamed parts stay default).

    Each combination is resolved once per workbook and then copied as an index array:
    assigning style objects cell by cell makes openpyxl hash them every time, which
    dominated the time to write returns.
    """
    from copy import copy

    key = (id(font), id(fill), id(alignment), id(border), id(protection), number_format)
    cache = cell.parent.parent.__dict__.setdefault("_duban_style_cache", {})
    cached = cache.get(key)
    if cached is not None:
        cell._style = copy(cached[0])
        return
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if border is not None:
        cell.border = border
    if protection is not None:
        cell.protection = protection
    if number_format:
        cell.number_format = number_format
    # keep the style objects alive beside their ids, so an id is never reused for another style
    cache[key] = (copy(cell._style), font, fill, alignment, border, protection)


# ---------------------------------------------------------------------------
# cells serialised directly (the 汇总表's cells: see xlsx_book and sheet_rows)

# xml.sax.saxutils would do, but it imports urllib.request, http.client and ssl: 7.9 ms of
# every merge's start-up (-X importtime, warm) for three replacements.


def escape(text: str) -> str:
    """XML character data: what xml.sax.saxutils.escape does (three replaces: 0.42 µs for a
    100-character cell, against 4.3 µs for str.translate with a table)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def cell_xml(ref: str, value: Any, style_id: int) -> str:
    """One <c> element as openpyxl's writer would emit it; text always an inline string."""
    if value is None or value == "":
        return f'<c r="{ref}" s="{style_id}" t="inlineStr"/>'
    if isinstance(value, str):
        inner = _inline_text(value)
        if not inner:
            return f'<c r="{ref}" s="{style_id}" t="inlineStr"/>'
        return f'<c r="{ref}" s="{style_id}" t="inlineStr">{inner}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style_id}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        delta = value - dt.datetime(1899, 12, 30)
        return f'<c r="{ref}" s="{style_id}" t="n"><v>{delta.days + delta.seconds / 86400:.16g}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{style_id}" t="n"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    # openpyxl's own number format ("%.16g"), so both writers give the same bytes: 68.0 is "68"
    text = f"{value:.16g}" if not isinstance(value, float) or math.isfinite(value) else ""
    return f'<c r="{ref}" s="{style_id}" t="n"><v>{text}</v></c>'


@functools.lru_cache(maxsize=4096)
def _inline_text(value: str) -> str:
    """``<is>…</is>`` of a text cell ('' when empty). Cached: task names, units and statuses
    repeat on every row of 单位明细 and 任务汇总."""
    text = escape(text_value(value))
    if not text:
        return ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<is><t{space}>{text}</t></is>"
