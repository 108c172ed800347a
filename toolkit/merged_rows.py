"""Merged cells in a return's table (合并后居中): what the department saw, read row by row.

A department that gives three tasks one 工作进展 selects J5:J7 and merges it: Excel and WPS show
J5's text across the three rows and keep nothing in J6 and J7. Read cell by cell, rows 6 and 7
were empty (E506 twice), the return was sent back and the 通报 named the unit among those whose
returns were wrong (QA290). A merge within one column of the table is read as its first cell's
value for each row it covers (`read_merges`, when the return is read); the check then says so
(W511), or, where a row-by-row value cannot be told (two columns, the header, the task ids,
another unit's task), why the rows under it read as blank (`judge_merges`: E512 where a row
needs the cell, W513 where it may be blank).

calamine gives an .xlsx's and an .xls's merges (`merged_cell_ranges`), not an .ods's: that one's
content.xml is walked for them (`ods_merges`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .report import Issue, make_issue
from .text import clean, column_letter

if TYPE_CHECKING:
    from .returns import RawReturn, RawRow

#: calamine's form of a merge: ((first row, first column), (last row, last column)), 0-based
Range = tuple[tuple[int, int], tuple[int, int]]

#: the cells a task row must have filled: a blank one under a merge is E512's, not E401/E501/E506's
_NEEDED = ("task", "status", "work")


@dataclass
class Merge:
    """A merge over more than one row of a return's table, as read."""

    ref: str                    # J5:J7
    fields: tuple[str, ...]     # the table's columns it covers, left to right
    rows: list[RawRow]          # the data rows it covers, top first
    #: why its value was not read for each row ("" when it was): a merge of two columns, …
    reason: str = ""


def read_merges(raw: RawReturn, ranges: list[Range] | None, headers: dict[str, str],
                editable: tuple[str, ...], task_text: Callable[[Any], str]) -> None:
    """Record the merges over data rows of ``raw``'s table in ``raw.merges``; a merge within one
    column, under the header, not of the task ids, gives each row it covers its first cell's
    value (what the department saw there). ``headers``: each field's column header as issued;
    ``editable``: the fields whose value makes a row under the table a task row, not a note;
    ``task_text``: a task id cell's text (`returns.task_id_text`)."""
    if not ranges or not raw.rows:
        return
    field_at = {c: f for f, c in raw.columns.items()}
    by_row = {rr.row: rr for rr in raw.rows}
    # a merge down to row 1048576 is read as far as the table goes, not walked to the sheet's end
    # (200 of them took 9 s, QA296)
    last = raw.rows[-1].row
    for (r0, c0), (r1, c1) in sorted(ranges):  # as the sheet reads, whatever order the file lists them
        top, bottom = r0 + 1, r1 + 1
        if bottom <= raw.header_row or top == bottom:
            continue  # rows 1-3's labels, or one row's cells side by side: read as they stand
        fields = tuple(field_at[c] for c in range(c0, c1 + 1) if c in field_at)
        if not fields:
            continue
        rows = [by_row[r] for r in range(max(top, raw.header_row + 1), min(bottom, last) + 1) if r in by_row]
        if not rows:
            continue
        ref = f"{column_letter(c0 + 1)}{top}:{column_letter(c1 + 1)}{bottom}"
        names = "".join(f"“{headers.get(f, f)}”" for f in fields)
        # one field's column with a column duban does not read, its value in the first: that field's
        alone = len(fields) == 1 and raw.columns[fields[0]] == c0
        reason = ("连同表头一起合并" if top <= raw.header_row
                  else f"跨{names}{_count(len(fields))}列" if len(fields) > 1
                  else f"跨{_count(c1 - c0 + 1)}列" if not alone
                  else "合并了任务编号" if fields == ("task",) else "")
        if not reason:
            # a 填表说明 under the table the merge runs into stays a note: given the task's
            # 工作进展 it read as a task row (E401) and the merge as over another unit's (QA296)
            rows = [rr for rr in rows if not is_note(task_text(rr.values.get("task")), rr.values, editable)]
            if len(rows) < 2 or rows[0].row != top:
                continue  # its first cell on a blank row: nothing shown to spread
            (f,) = fields
            value = rows[0].values.get(f)
            for rr in rows[1:]:
                rr.values[f] = value
        raw.merges.append(Merge(ref, fields, rows, reason))


def is_note(tid: str, values: dict[str, Any], editable: tuple[str, ...]) -> bool:
    """A line of text under the table (填表说明、签字) rather than a task row: nothing typed where a
    task is reported (``editable``), and no task id (``tid``, as `returns.task_id_text` reads
    it). The check tells its rows so, and `read_merges` before it gives a merge's value."""
    return not any(clean(values.get(f)) for f in editable) and not re.fullmatch(r"[\d.]+", tid)


def _count(n: int) -> str:
    return "两三四五六七八九十"[n - 2] if 2 <= n <= 10 else str(n)


def judge_merges(raw: RawReturn, own: set[str] | None, headers: dict[str, str], editable: tuple[str, ...],
                 task_of: Callable[[RawRow], str | None], at: dict[str, str]) -> tuple[list[Issue], set[str]]:
    """The issues on ``raw``'s merges, and the cells under them whose blank is said by E512
    (no E401/E501/E506 of their own). ``own``: the task ids the unit reports (None: unknown);
    ``task_of``: a row's task id, None for a line of text under the table (a 填表说明 merged
    across the sheet is no task row)."""
    issues: list[Issue] = []
    hidden: set[str] = set()
    for m in raw.merges:
        rows = [rr for rr in m.rows if task_of(rr) is not None]
        if not rows:
            continue
        ids = [task_of(rr) for rr in rows]
        names = "".join(f"“{headers.get(f, f)}”" for f in m.fields)
        top = m.ref.split(":")[0]
        where = dict(at, cell=rows[0].cell(m.fields[0]) or top, task=ids[0])
        reason = m.reason
        others = [t for t in ids if t and own is not None and t not in own]
        if not reason and others:
            reason = f"含非本单位任务 {'、'.join(others)} 的行"
        if not reason:
            if m.fields[0] in editable:
                issues.append(make_issue("W511", cells=m.ref, column=names, tasks=_tasks(rows, ids), **where))
            continue
        # Every cell but the merge's first shows nothing of its own: the rows below the first,
        # all of them under a merge with the header, and the first row's other columns.
        first = rows[0] if rows[0].cell(m.fields[0]) == top else None
        under = [(rr, i) for rr, i in zip(rows, ids) if rr is not first]
        blank = {rr.cell(f) for rr in rows for f in m.fields if f in _NEEDED} - {top}
        if blank:
            hidden.update(blank)
            issues.append(make_issue("E512", cells=m.ref, reason=reason, columns=names,
                                     tasks=_tasks(rows, ids), **where))
        elif under:
            read = (f"只读作{_tasks([first], ids[:1])}的“{headers.get(m.fields[0], m.fields[0])}”，"
                    if first is not None else "")
            issues.append(make_issue("W513", cells=m.ref, reason=reason, read=read, columns=names,
                                     others=_tasks([rr for rr, _ in under], [i for _, i in under]), **where))
    return issues, hidden


def _tasks(rows: list[RawRow], ids: list[str]) -> str:
    """"任务 1.2、4.3 " — or "第 6、7 行" when a row has no task id to name it by; spaced as the
    messages put it before 各自 or 的."""
    if all(ids):
        return "任务 " + "、".join(ids) + " "
    return "第 " + "、".join(str(rr.row) for rr in rows) + " 行"


def ods_merges(data: bytes, sheet: str, last_row: int) -> list[Range]:
    """The merges of ``sheet`` in an .ods's content.xml (calamine gives none for .ods), down to
    row ``last_row`` (0-based); none when the part cannot be walked (read cell by cell, as before).
    Walked as the percent formats are (`cell_formats.walk_ods_cells`): expat, no tree, no DOCTYPE."""
    try:
        return _ods_merges(data, sheet, last_row)
    except Exception:
        return []


def _ods_merges(data: bytes, sheet: str, last_row: int) -> list[Range]:
    from .cell_formats import walk_ods_cells  # only an .ods's merges need the walk

    found: list[Range] = []

    def cell(row: int, _repeat: int, col: int, _span: int, attrs: dict) -> None:
        rows = int(attrs.get("table:number-rows-spanned", "1"))
        cols = int(attrs.get("table:number-columns-spanned", "1"))
        if rows > 1 or cols > 1:
            found.append(((row, col), (row + rows - 1, col + cols - 1)))

    walk_ods_cells(data, sheet, cell, last_row)
    return found
