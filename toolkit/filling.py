"""Filling an issued return the way a department does, for the demo and the tests.

Works on the issued workbook itself (openpyxl keeps protection, validation and _meta), so
what comes back is what a department would send.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .form_layout import label_value_cells
from .returns import COLUMNS, CONTACT_LABELS, FIRST_ROW, SHEET, fit_rows
from .text import column_letter

# Column letter of each editable field in an issued return.
FIELD_COLUMNS = {f: column_letter(i) for i, (f, _, editable) in enumerate(COLUMNS, start=1) if editable}


@dataclass
class Answer:
    """What a department types for one task; ``raw`` values go in as typed (e.g. "80%")."""

    status: Any = "序时推进"
    progress: Any = 50
    work: Any = "按计划推进。"
    problems: Any = ""
    next_plan: Any = ""
    eta: Any = None
    evidence: Any = ""


@dataclass
class Filling:
    """A whole return's answers: per task id, plus the header contact cells."""

    answers: dict[str, Answer] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=lambda: {
        "填报人": "张敏", "联系电话": "0769-22830000", "审核人": "李强", "填报日期": dt.date(2022, 7, 4)})
    default: Answer | None = field(default_factory=Answer)
    delete_tasks: tuple[str, ...] = ()


def fill_return(source: bytes | Path, filling: Filling) -> bytes:
    """Fill an issued return; returns the saved .xlsx bytes."""
    from openpyxl import load_workbook

    data = Path(source).read_bytes() if isinstance(source, Path) else source
    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    # each value in the first column to see right of its label, wherever the form has it
    value_at = label_value_cells(ws, CONTACT_LABELS)
    for label in CONTACT_LABELS:
        if label in filling.contact:
            _put(value_at[label], filling.contact[label])
    to_delete = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        tid = ws.cell(r, 1).value
        if not tid:
            continue
        if tid in filling.delete_tasks:
            to_delete.append(r)
            continue
        answer = filling.answers.get(tid, filling.default)
        if answer is None:
            continue
        for f, col in FIELD_COLUMNS.items():
            _put(ws[f"{col}{r}"], getattr(answer, f))
    for r in reversed(to_delete):
        ws.delete_rows(r)
    # the rows as tall as what is in them now, and left to the office suite to fit, as Excel does for
    # a department typing: openpyxl reads every height back as set by hand, and LibreOffice printed a
    # long 工作进展 cut at the height the bare form had (and a deleted row's height moved to the next)
    size = ws.cell(FIRST_ROW, 1).font.sz or 10
    fit_rows(ws, FIRST_ROW, ws.max_row, size, custom=False)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(cell, value: Any) -> None:
    if value is None or value == "":
        cell.value = None
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # typed text, even "=..." (Excel keeps it as text after ')
