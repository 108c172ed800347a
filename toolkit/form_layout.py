"""Rows 2-3 of a return form (进展填报表): where each label, its value and the legends stand.

A form keeps every column of the contract (`returns.COLUMNS`). Those of 一级任务, 二级任务,
工作任务 and 完成时限 that no task of the table fills (`unused_columns`: 大竹's has no title,
most county tables only 工作任务, 国办's 一级任务 and 工作任务; most tables found give no
完成时限) are hidden, not left out: the header row stays the contract's and is read as every
form is. Rows 2-3 then stand in the columns left to see, by one
rule (`lay_out`): left to right, a label takes one column, its value the columns after it until
they are as wide as the value needs, and row 2's legends what is left. With nothing hidden that
is the contract's own layout (`returns.INFO_CELLS`, `returns.CONTACT_CELLS`).

Its columns of short texts (一级任务 and 二级任务, a 整改清单's 问题类别; 完成时限) are as wide as
their texts need (`fitted_widths`), as the 汇总表's are (`fitted_width`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .text import column_letter, display_width

#: The return fields of the columns a table may leave empty (B, C, D, F), in column order,
#: each with the task's attribute that fills it.
OPTIONAL_FIELDS = {"level1": "level1", "level2": "level2", "name": "name", "deadline": "deadline_text"}

#: The widths rows 2-3 are laid out by, columns A to N: the shipped 样式.toml's
#: ``[return.widths]`` (a test keeps them equal). Fixed, so an office widening a column in its
#: own 样式.toml never moves a label off the contract's cell.
LAYOUT_WIDTHS = (9, 11, 12, 14, 32, 9, 8, 9, 8, 32, 18, 18, 11, 15)

#: Each row's labels, with the width their value needs: a unit's full name (鞍山市立山区工业和
#: 信息化局) or the 填报人's, a period, a date or a phone number, and 填报日期's date.
INFO_WIDTHS = (("填报单位", 24), ("填报期", 15), ("报送截止", 15))
CONTACT_WIDTHS = (("填报人", 24), ("联系电话", 15), ("审核人", 15), ("填报日期", 10))
LABEL_ROWS = (2, 3)

#: label -> (label cell, value cell, last cell of the merged value)
Cells = dict[str, tuple[str, str, str]]


@dataclass(frozen=True)
class HeaderLayout:
    """Rows 2-3 of one table's forms (`lay_out`)."""

    hidden: tuple[int, ...]                 # 1-based columns hidden (of B:D and F)
    info: Cells                             # row 2: 填报单位, 填报期, 报送截止
    contact: Cells                          # row 3: the department's inputs
    legends: tuple[tuple[str, str], ...]    # row 2's legends' cells: the due one's, then the prefill one's


def unused_columns(master: Any) -> tuple[str, ...]:
    """Which of 一级任务, 二级任务, 工作任务 and 完成时限 (`OPTIONAL_FIELDS`) no task of
    ``master`` has: its forms hide those columns, which would print empty, and its 汇总表
    leaves out all but 工作任务."""
    return tuple(f for f, attr in OPTIONAL_FIELDS.items() if not any(getattr(t, attr) for t in master.tasks))


def lay_out(hidden: Collection[int] = (), two_legends: bool = False) -> HeaderLayout:
    """Rows 2-3 of a form whose columns ``hidden`` (1-based) are hidden; ``two_legends``: row 2
    has the prefill legend beside the due one, each in half the columns left."""
    visible = [c for c in range(1, len(LAYOUT_WIDTHS) + 1) if c not in hidden]
    info, rest = _row(2, INFO_WIDTHS, visible, keep=2)
    contact, _ = _row(3, CONTACT_WIDTHS, visible, keep=0)
    cut = (len(rest) + 1) // 2 if two_legends else len(rest)
    parts = [p for p in (rest[:cut], rest[cut:]) if p]
    legends = tuple((f"{column_letter(p[0])}2", f"{column_letter(p[-1])}2") for p in parts)
    return HeaderLayout(tuple(sorted(hidden)), info, contact, legends)


def box(ws: Any, first: str, last: str, side: Any) -> None:
    """Cells ``first``..``last`` of one row (a contact input, merged or not) edged as one box of
    ``side``: an underline alone ran into the header row's top under it, and 填报人 / 联系电话
    read as no input at all, inviting W509 (QA391)."""
    from openpyxl.styles import Border

    a, b = ws[first], ws[last]
    for c in range(a.column, b.column + 1):
        ws.cell(a.row, c).border = Border(top=side, bottom=side, left=side if c == a.column else None,
                                          right=side if c == b.column else None)


def _row(row: int, items: tuple[tuple[str, int], ...], visible: list[int], keep: int) -> tuple[Cells, list[int]]:
    """(cells, columns left over) of one row: each label in a column, its value in the columns
    after it until they are ``want`` wide, leaving the later labels, values and ``keep`` more
    one column each."""
    cells: Cells = {}
    at = 0
    for k, (label, want) in enumerate(items):
        after = 2 * (len(items) - k - 1) + keep
        first = last = at + 1
        width = LAYOUT_WIDTHS[visible[first] - 1]
        while width < want and last + 1 < len(visible) - after:
            last += 1
            width += LAYOUT_WIDTHS[visible[last] - 1]
        cells[label] = tuple(f"{column_letter(visible[i])}{row}" for i in (at, first, last))  # type: ignore[assignment]
        at = last + 1
    return cells, visible[at:]


#: The form's columns of short texts, each with its text's place in `Task.printed_text`: what
#: 样式.toml's ``[return.fit_widths]`` may widen (`fitted_widths`).
FITTED_TEXTS = {"一级任务": 0, "二级任务": 1, "完成时限": 4}


#: A cell's margins in 11-point characters (`xlsx.line_cells`' 1.2) and a little for the serif
#: LibreOffice draws Chinese in, wider than SimSun (as `summary_book` gives a status column)
PAD = 1.2 + 0.6


def fitted_width(texts: Iterable[str], width: float, most: float, size: float) -> float:
    """The width (11-point characters, as `xlsx.cell_lines` counts) of a column of short texts at
    ``size`` points: ``width`` when each fits on one line; else wide enough that the longest
    does (a deadline, 2024年7月底前: at 9 it went over three lines), up to ``most``; past that,
    its lines as even as the fewest that fit (一、全面从严治党方面 broke as …方 / 面). Never
    narrower than ``width``."""
    longest = max(map(display_width, texts), default=0)
    scale = size / 11
    if longest * scale + PAD <= width:
        return width
    need, lines = longest * scale + PAD, 1
    while need > most and lines < longest:
        lines += 1
        # a line of whole Chinese characters (two cells each)
        need = 2 * math.ceil(longest / lines / 2) * scale + PAD
    return max(width, round(need, 1))


def fit_limits(style: dict[str, Any]) -> dict[str, float]:
    """样式.toml's ``fit_widths`` of one sheet (header -> the most characters), each a positive
    number: an office's Notepad edit may quote it ("16", read as 16), or write a word, a table
    set to 0 or a negative width (each read as 0: not widened), and the month is still issued
    and merged (a string compared with a width stopped the merge with a traceback)."""
    table = style.get("fit_widths")
    out: dict[str, float] = {}
    for header, most in (table.items() if isinstance(table, dict) else ()):
        try:
            width = float(most)
        except (TypeError, ValueError):
            continue
        if 0 < width < math.inf:
            out[header] = width
    return out


def fitted_widths(widths: dict[str, float], tasks: Iterable[Any], year: int | None,
                  style: dict[str, Any]) -> dict[str, float]:
    """A form's column widths (header -> characters, 样式.toml's ``[return.widths]``) with its
    columns of short texts (`FITTED_TEXTS`) as wide as ``tasks``' texts need, each up to its
    ``[return.fit_widths]`` width (`fitted_width`); one the office's 样式.toml sets to 0 is left
    as it is."""
    fit = {h: most for h, most in fit_limits(style).items() if h in FITTED_TEXTS and h in widths}
    printed = [t.printed_text(year) for t in tasks] if fit else []
    return {**widths, **{h: fitted_width([p[FITTED_TEXTS[h]] for p in printed], float(widths[h]), most,
                                         style["size"]) for h, most in fit.items()}}


def hidden_columns(ws) -> set[int]:
    """The 1-based columns an openpyxl sheet hides (a range saved as one entry counts whole)."""
    from openpyxl.utils import column_index_from_string

    out: set[int] = set()
    for letter, dim in ws.column_dimensions.items():
        if dim.hidden:
            lo = dim.min or column_index_from_string(letter)
            out.update(range(lo, (dim.max or lo) + 1))
    return out


def label_value_cells(ws, labels: Iterable[str]) -> dict[str, Any]:
    """Label -> the openpyxl cell of its value on a form's sheet: the first column to see right
    of the label, wherever the form has it (the contract's cells, a form laid out by `lay_out`
    or one issued before with B:D hidden and 填报单位 in E2)."""
    wanted = set(labels)
    hidden = hidden_columns(ws)
    found: dict[str, Any] = {}
    for r in LABEL_ROWS:
        for cell in ws[r]:
            if cell.value in wanted and cell.value not in found:
                c = cell.column + 1
                while c in hidden:
                    c += 1
                found[cell.value] = ws.cell(r, c)
    return found
