"""What a department did to the return's columns, said once (W302).

One column inserted in the middle shifts every column after it; told column by column, that
was fourteen warnings for one 备注 column, in the reply mail, the feedback workbook and the
汇总表 alike. Here the header as found is compared with the form as issued and the change
is named as the department made it: columns inserted or deleted (each run once, where it
is), and columns genuinely moved out of order (each such column once).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .text import clean, cn_number, column_letter


def _count(n: int) -> str:
    return "两" if n == 2 else cn_number(n)


def _kept_in_order(expected: list[str], actual: list[str]) -> set[str]:
    """The longest run of fields found in the issued order (their longest common subsequence):
    the rest are the columns that were moved, as few as explain the order found."""
    n, m = len(expected), len(actual)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = (best[i + 1][j + 1] + 1 if expected[i] == actual[j]
                          else max(best[i + 1][j], best[i][j + 1]))
    kept: set[str] = set()
    i = j = 0
    while i < n and j < m:
        if expected[i] == actual[j]:
            kept.add(expected[i])
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _label(value: Any) -> str:
    # a number typed as a header reads as a float (2022.0): say it as typed
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(value).replace("\n", "")


def _cell(cells: Sequence[Any], c: int) -> Any:
    return cells[c] if c < len(cells) else None


def _inserted(cells: Sequence[Any], at: list[int]) -> str:
    """“备注”列, 一列 (no header), “序号”“备注”两列, “备注”等两列 (one without a header)."""
    names = [_label(_cell(cells, c)) for c in at]
    quoted = "".join(f"“{n}”" for n in names if n)
    if len(at) == 1:
        return f"{quoted}列" if quoted else "一列"
    return f"{quoted}{'等' if quoted and not all(names) else ''}{_count(len(at))}列"


def column_changes(template: Sequence[tuple[str, str]], columns: dict[str, int],
                   header_cells: Sequence[Any]) -> tuple[int, str] | None:
    """(0-based column to mark, what changed in Chinese) when a found column is not where the
    form put it, else None. ``template`` is (field, header) in the issued order, ``columns``
    field -> 0-based column as found, ``header_cells`` the header row as found."""
    issued = {f: i for i, (f, _) in enumerate(template)}
    header = dict(template)
    if all(c == issued[f] for f, c in columns.items() if f in issued):
        return None
    expected = [f for f, _ in template if f in columns]
    actual = sorted(expected, key=columns.__getitem__)
    kept = _kept_in_order(expected, actual)
    taken = set(columns.values())
    events: list[tuple[int, str, int]] = []  # (column to mark, phrase, signed shift)
    prev_t = prev_c = -1
    for f in (f for f in expected if f in kept):
        t, c = issued[f], columns[f]
        deleted = [g for g, _ in template[prev_t + 1:t] if g not in columns]
        # a column dragged elsewhere leaves its own place (as far from the column before) empty:
        # no column was inserted there
        vacated = {prev_c + issued[g] - prev_t for g, _ in template[prev_t + 1:t] if g in columns and g not in kept}
        inserted = [x for x in range(prev_c + 1, c)
                    if x not in taken and not (x in vacated and not _label(_cell(header_cells, x)))]
        if deleted:
            letters = "、".join(column_letter(issued[g] + 1) for g in deleted)
            names = "".join(f"“{header[g]}”" for g in deleted)
            events.append((c, f"删除了第{letters}列{names}", -len(deleted)))
        if inserted:
            events.append((inserted[0], f"第{column_letter(t + 1)}列前插入了{_inserted(header_cells, inserted)}",
                           len(inserted)))
        prev_t, prev_c = t, c
    for f in actual:
        if f not in kept:
            events.append((columns[f], f"“{header[f]}”列移到了{column_letter(columns[f] + 1)}列", 0))
    events.sort(key=lambda e: e[0])
    text = "，".join(phrase for _, phrase, _ in events)
    shifts = [s for _, _, s in events]
    if len(events) == 1 and shifts[0]:
        text += f"，其后各列{'右' if shifts[0] > 0 else '左'}移{_count(abs(shifts[0]))}列"
    elif shifts and (all(s > 0 for s in shifts) or all(s < 0 for s in shifts)):
        text += f"，其后各列随之{'右' if shifts[0] > 0 else '左'}移"
    return (events[0][0] if events else min(columns.values())), text + "：已按列名读取"
