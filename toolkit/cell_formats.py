"""Number formats of a few cells, for the one value calamine cannot tell apart.

python-calamine gives a cell's value and not its number format. Nearly always the value
is enough: "80%" typed into 完成进度 (formatted "0") is stored as 0.8, which can only be
80 %. "100%" is stored as 1, under a percent format that Excel, WPS and LibreOffice put on
the cell as it is typed; read without the format it is 1 %. So, for a 1 in that column
only, the workbook is opened again with openpyxl to read the cell's format. A department
that typed 1 meaning 1 % keeps the cell's "0" format and is read as it stands.

Only .xlsx and .xlsm: openpyxl reads no .xls or .ods. There, a 1 in a 已完成 row is still
read as 100 (`checks`), and any other 1 as 1 %.
"""

from __future__ import annotations

import io
import logging
import re
import warnings

log = logging.getLogger("duban")

# Parts of a format code that show as they are, not as the number: quoted text ("%"), an
# escaped character (\%), a space as wide as a character (_%), a character repeated to fill
# the cell (*%), a colour or condition ([Red], [>=100]). A % outside them is the percent
# format, which shows the value times 100.
_LITERAL = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')


def shows_percent(number_format: str | None) -> bool:
    """Whether a cell with ``number_format`` shows its value as a percentage: "0%", "0.0%",
    a custom "0%;-0%"; not "0", not 0"%" or 0\\% (a literal sign after the number)."""
    return "%" in _LITERAL.sub("", number_format or "")


def percent_cells(data: bytes, sheet: str, cells: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of ``cells`` ((row, column), 1-based, on ``sheet``) whose number format shows a
    percentage. Empty when openpyxl cannot read the workbook (it is stricter than calamine):
    the values are then read as they stand, as before this lookup existed."""
    if not cells:
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
