"""Text of a spreadsheet cell as the master's readers compare it.

Its own module so that reading the master workbook (every command) does not import the
table readers of `master import` (tables, with zip sniffing: 2.6 ms of `duban status`'s
start, ``-X importtime``).
"""

from __future__ import annotations

import datetime as dt

from ..text import clean


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return f"{v.year}年{v.month}月" if v.day == 1 else f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    return clean(v)
