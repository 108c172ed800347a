"""Data rows of the 汇总表's table sheets: serialised by duban, streamed into the workbook.

openpyxl spends ~90 µs per cell, which made a province's month take a quarter of a minute:
`summary_book` gives its sheets' data rows to `table_rows` (cells: `xlsx.cell_xml`), which
`xlsx_book` writes into the file (`xlsx_book.write_rows`). Rows are built a chunk at a time while the
file is written, so that memory holds no sheet's rows (10,000 returns: `duban merge` peaked
at 878 MB holding every sheet's XML, twice over).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice, repeat
from typing import Any

from .xlsx import cell_lines, cell_xml, line_cells, lines_at_most, one_line_chars

#: rows built together, column by column: what memory holds of a sheet while it is written
ROWS_PER_CHUNK = 256
#: cells (any value but a bool) remembered per column; cleared between chunks when full
SEEN_PER_COLUMN = 4096


def table_rows(items: Iterable[Any], gets: list[Callable[[Any], Any]], letters: list[str], widths: list[float],
               size: float, style_of: Callable[[int, Any], int], height: Callable[[int], float],
               first: int = 4) -> Callable[[], Iterator[str]]:
    """The data rows of a table sheet, from row ``first``: column ``i`` of an item's row is
    ``gets[i](item)`` in column ``letters[i]``, ``widths[i]`` characters wide, styled
    ``style_of(i, value)``; a row is ``height(lines)`` points high for its tallest cell.

    Built column by column for a chunk of rows: a column's values, their cells and their
    lines come from C-level passes (`map` over the chunk, dicts of the column's values seen)
    where cell by cell each took a Python loop step, a lookup, a comparison and an f-string;
    a value's cell is remembered with the next cell's opening behind it, so that a row is one
    ``join`` on its number; a text is measured only when it may be its row's tallest. W2's
    12,500 rows, the rows alone: 0.345 → 0.222 s CPU (min of 9; merge 0.647 → 0.515 s).
    """
    n = len(gets)
    # what follows a cell's XML: the next cell's opening up to its row number, or the row's end
    follows = [f'<c r="{letter}' for letter in letters[1:]] + ["</row>"]
    fits = [one_line_chars(w, size) for w in widths]
    per_line = [line_cells(w, size) for w in widths]
    # From this many lines on every row is as high (Excel's 409 pt): a text of more paragraphs
    # needs no measuring (任务汇总's 各单位进展, a paragraph per unit: W2's 200 rows 66 → 46 ms,
    # and → 24 ms with `xlsx.noting` doing the same)
    top, cap = height(1 << 16), 1
    while height(cap) < top:
        cap += 1

    def measure(i: int, text: str) -> int:
        """The lines of ``text`` in column ``i``, or past ``cap`` any count past it."""
        paragraphs = text.count("\n") + 1
        return paragraphs if paragraphs >= cap else cell_lines(text, widths[i], size)

    def rows() -> Iterator[str]:
        # per column: value → its cell (but the reference); value → its lines once measured
        # (a long text only); value → the bound on its lines while not measured
        cells: list[dict[Any, str]] = [{} for _ in range(n)]
        measured: list[dict[Any, int]] = [{} for _ in range(n)]
        unsure: list[dict[Any, float]] = [{} for _ in range(n)]
        heights: dict[int, str] = {}
        # items may be made as they are read (`details.Details`): taken in turn, never sliced
        each = iter(items)
        start = first
        while chunk := list(islice(each, ROWS_PER_CHUNK)):
            tallest = [1] * len(chunk)
            columns = []
            for i, get in enumerate(gets):
                values = list(map(get, chunk))
                seen, known, bounds = cells[i], measured[i], unsure[i]
                if len(seen) >= SEEN_PER_COLUMN:  # between chunks: a chunk's hits keep their lines
                    seen.clear()
                    known.clear()
                    bounds.clear()
                made = list(map(seen.get, values))
                # a bool is never looked up: True == 1, but its cell is t="b"
                if None in made or bool in set(map(type, values)):
                    for j, v in enumerate(values):
                        if made[j] is not None and type(v) is not bool:
                            continue
                        if type(v) is not bool and (hit := seen.get(v)) is not None:
                            made[j] = hit  # met earlier in this chunk
                            continue
                        made[j] = cell = cell_xml("", v, style_of(i, v))[6:] + follows[i]  # after '<c r="'
                        if type(v) is bool:
                            continue
                        seen[v] = cell
                        if isinstance(v, str) and (len(v) > fits[i] or "\n" in v):
                            # Measured only when it may be the row's tallest: a 存在问题 or a
                            # 下一步计划 under a longer 工作进展 is not (its bound, `lines_at_most`,
                            # as in `xlsx.noting`).
                            bound = lines_at_most(v, per_line[i])
                            if bound <= tallest[j] or tallest[j] >= cap:
                                bounds[v] = bound
                            else:
                                known[v] = lines = measure(i, v)
                                if lines > tallest[j]:
                                    tallest[j] = lines
                if known:
                    tallest = list(map(max, tallest, map(known.get, values, repeat(1))))
                if bounds:  # a value not measured yet, in a row where it may be the tallest
                    for j, bound in enumerate(list(map(bounds.get, values))):  # all read before a pop
                        if bound is not None and bound > tallest[j] < cap:
                            v = values[j]
                            known[v] = lines = known.get(v) or measure(i, v)
                            bounds.pop(v, None)
                            if lines > tallest[j]:
                                tallest[j] = lines
                columns.append(made)
            out = []
            for r, lines, row_cells in zip(range(start, start + len(chunk)), tallest, zip(*columns)):
                row = str(r)
                ht = heights.get(lines)
                if ht is None:
                    ht = heights[lines] = str(height(lines))
                out.append(f'<row r="{row}" ht="{ht}" customHeight="1"><c r="{letters[0]}{row}' + row.join(row_cells))
            start += len(chunk)
            yield "".join(out)

    return rows

