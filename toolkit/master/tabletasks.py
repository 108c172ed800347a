"""Rows of a task table into `RawTask` records: heading rows, merges, split rows, numbers.

Heading rows ("一、…", "（二）…", a row merged across the table) set the group of the rows
below and are never tasks. A header repeated at a page start is skipped; a row Word split
across a page joins the task above.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import clean, squash
from ..vocab import Role
from .columns import Columns, Header
from .raw import RawTask, numbering
from .tables import Grid

_TEXT_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．](?!\d)\s*")


def _is_heading(own: list[str], cols: Columns, cells: dict[str, str]) -> str | None:
    """The heading text if this row (its own, not merged-down, texts) is a heading row."""
    if any(cells.get(role) for role in ("lead", "support", "deadline")) and len(set(own)) > 1:
        return None
    distinct = list(dict.fromkeys(own))
    if len(distinct) == 1:
        text = distinct[0]
        merged_across = len(own) >= max(2, cols.width // 2)
        n = numbering(text)
        if merged_across or (n and n[0] <= 2):
            return text
        return None
    # 一 | 知识产权保护 | … : a Chinese numeral in the number column opens a part.
    first = cells.get("id", "")
    n = numbering(first + "、") if first and not first[0].isdigit() else None
    if n and n[0] == 1 and not any(cells.get(r) for r in ("lead", "support", "deadline")):
        rest = [t for t in distinct if t != first]
        return f"{first}、{rest[0]}" if rest else first
    return None


def grid_tasks(grid: Grid, header: Header, header_texts: set[str], levels: dict[str, str]) -> list[RawTask]:
    """Tasks of one grid under ``header`` (its columns may come from an earlier table).

    ``levels`` carries the current heading texts from table to table (a table split across
    pages continues the group of its first part) and is updated in place.
    """
    cols = header.columns

    def cell(r: int, c: int | None) -> tuple[str, bool]:
        if c is None or c >= len(grid.rows[r]):
            return "", False
        return grid.rows[r][c], grid.cont[r][c]

    tasks: list[RawTask] = []
    for r in range(header.end, len(grid.rows)):
        row = grid.rows[r]
        own = [t for t, c in zip(row, grid.cont[r]) if t and not c]
        if not own:
            continue  # blank, or only cells merged down from above
        if sum(1 for t in own if t in header_texts) >= 2:
            continue  # the header repeated at a page start
        cells = {role: cell(r, getattr(cols, role))[0] for role in
                 ("id", "level1", "level2", "name", "content", "lead", "support", "deadline", "note")}
        conts = {role: cell(r, getattr(cols, role))[1] for role in cells}
        heading = _is_heading(own, cols, cells)
        if heading is not None:
            n = numbering(heading)
            level = str(n[0]) if n else "1"
            if levels.get("h1") and level > levels.get("h1_level", "1"):
                levels["h2"] = squash(heading)  # （一） under 一、
            else:
                levels.update(h1=squash(heading), h1_level=level, h2="")
            continue
        for role in ("level1", "level2"):
            t = cells[role]
            # A header repeated inside the table leaves merged cells below it pointing at it.
            if t and t not in header_texts:
                levels[role] = squash(t)
        content, name = cells["content"], cells["name"]
        units_blank = all(not cells[ro] or conts[ro] for ro in ("lead", "support"))
        if (tasks and content and not conts["content"] and not cells["id"] and (not name or conts["name"])
                and (not cells["deadline"] or conts["deadline"]) and units_blank):
            # A row Word split across a page: its text continues the task above.
            tasks[-1].content = (tasks[-1].content + content).strip()
            continue
        explicit_id = squash(cells["id"])
        if explicit_id and conts["id"]:
            # A 序号 merged over several rows (大竹 2016: 5 over two 实事): each row is a part of
            # that item, 5 then 5-2, not a second 5 that would read as numbering restarting.
            base = unicodedata.normalize("NFKC", explicit_id)
            explicit_id = f"{base}-{sum(1 for t in tasks if t.explicit_id.split('-')[0] == base) + 1}"
        if not explicit_id and cols.id is None:
            for attr in ("content", "name"):
                m = _TEXT_NUMBER.match(cells[attr])
                if m:  # 江门: "1.积极推进…" – the number printed in the text is the task's
                    explicit_id = m.group(1)
                    cells[attr] = cells[attr][m.end():]
                    break
        heads: list[str] = []
        for k in ("h1", "h2", "level1", "level2"):
            if levels.get(k) and levels[k] not in heads:
                heads.append(levels[k])
        level1 = heads[0] if heads else ""
        level2 = " / ".join(heads[1:]) if len(heads) > 1 else ""
        text = squash(cells["name"]) or clean(cells["content"])
        number = numbering(text)
        sheet, where = grid.where(r)
        units = []
        if cols.lead is not None:
            units.append((cells["lead"], Role.LEAD))
        if cols.support is not None:
            units.append((cells["support"], Role.COOP))
        tasks.append(RawTask(
            sheet, where, explicit_id=unicodedata.normalize("NFKC", explicit_id), level1=level1, level2=level2,
            name=squash(cells["name"]), content=clean(cells["content"]), deadline_text=squash(cells["deadline"]),
            units=units, note=clean(cells["note"]),
            heading_like=bool(number and number[0] <= 2 and not (cells["name"] and cells["content"]))))
    return tasks
