"""Rows of a task table into `RawTask` records: heading rows, merges, split rows, numbers.

Heading rows ("一、…", "（二）…", a row merged across the table) set the group of the rows
below and are never tasks. A header repeated at a page start is skipped; a row Word split
across a page joins the task above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text import clean, column_letter, squash
from ..vocab import Role
from .columns import Columns, Header, note_row
from .raw import DOTS, RawTask, numbering, task_levels
from .tables import Grid

_DITTO = re.compile(r"^\s*同上\s*[。.]?\s*$")
_TEXT_NUMBER = re.compile(rf"^\s*(\d{{1,3}})\s*[{DOTS}、](?!\d)\s*")


_BUSY = ("lead", "support", "more", "deadline")


def _numeral(first: str) -> tuple[int, str, str] | None:
    """`numbering` of a number-column cell written with a Chinese numeral (一, （一）); None
    for digits (1, 1.1) and blanks."""
    return numbering(first + "、") if first and not first[0].isdigit() else None


def _is_heading(own: list[str], cols: Columns, cells: dict[str, str], parents: set[str] = frozenset(),
                task_levels: set[int] = frozenset()) -> str | None:
    """The heading text if this row (its own, not merged-down, texts) is a heading row.

    ``parents``: numbers the table's dotted numbers start with (1 of 1.1, 1.2): a row numbered
    so, with no unit or deadline, is their heading. ``task_levels``: numbering levels that
    rows with units use in the number column: （一） there numbers tasks, and a （二） without
    units is a task missing them (M101), not a heading that hides it."""
    if any(cells.get(role) for role in _BUSY) and len(set(own)) > 1:
        return None
    distinct = list(dict.fromkeys(own))
    if len(distinct) == 1:
        text = distinct[0]
        merged_across = len(own) >= max(2, cols.width // 2)
        n = numbering(text)
        if merged_across or (n and n[0] <= 2):
            return text
        return None
    # 一 | 知识产权保护 | … : a Chinese numeral in the number column opens a part, and so does
    # （一） (a task row before) or the 1 of 1.1, 1.2 below it.
    first = cells.get("id", "")
    n = _numeral(first)
    heading_number = (n and n[0] <= 2 and n[0] not in task_levels) \
        or unicodedata.normalize("NFKC", squash(first)) in parents
    if heading_number and not any(cells.get(r) for r in _BUSY):
        rest = [t for t in distinct if t != first]
        sep = "" if first[-1] in "）)、.．" else "、"  # 一 | 稳增长, not 一、、稳增长
        return f"{first}{sep}{rest[0]}" if rest else first
    return None


@dataclass
class Headings:
    """The heading rows over the current row, outermost first, and the current cells of the
    一级/二级任务 columns. Carried from table to table: a table split across pages continues
    the group of its first part."""

    rows: list[tuple[float, str]] = field(default_factory=list)  #: (depth, text)
    level1: str = ""
    level2: str = ""

    def reset(self, text: str) -> None:
        """A numbered paragraph right above a table: the table's only heading."""
        n = numbering(text)
        self.rows, self.level1, self.level2 = [(n[0] if n else 1, text)], "", ""

    def open(self, text: str, directly_under: bool) -> None:
        """A heading row: it closes those at its depth or deeper and sits under the rest.

        A numbered heading's depth is its numbering's (一、 1, （一） 2, 1. 3). An unnumbered
        one (加强基础设施建设, merged across) right under another heading row is nested in it
        (咸安 2023: 二、 › （一） › 加强基础设施建设 – it overwrote both and the task lost its
        section); after tasks it is a sibling of an unnumbered heading nested so, else a part
        of its own, as before."""
        n = numbering(text)
        top = self.rows[-1][0] if self.rows else 0
        if n:
            depth: float = n[0]
        elif directly_under and self.rows:
            depth = top + 0.1
        elif self.rows and top != int(top):
            depth = top
        else:
            depth = 1
        self.rows = [(d, t) for d, t in self.rows if d < depth] + [(depth, text)]

    def task_levels(self) -> tuple[str, str]:
        """(一级任务, 二级任务) of a task under these headings (`raw.task_levels`), the 一级/二级任务
        cells last."""
        return task_levels([t for _d, t in self.rows] + [self.level1, self.level2])


def grid_tasks(grid: Grid, header: Header, header_texts: set[str], levels: Headings) -> list[RawTask]:
    """Tasks of one grid under ``header`` (its columns may come from an earlier table);
    ``levels`` is updated in place."""
    cols = header.columns

    def cell(r: int, c: int | None) -> tuple[str, bool]:
        if c is None or c >= len(grid.rows[r]):
            return "", False
        return grid.rows[r][c], grid.cont[r][c]

    unit_columns = [(cols.lead, Role.LEAD), (cols.support, Role.COOP)] + [(c, Role.COOP) for c in cols.more_support]
    unit_columns = [(c, role) for c, role in unit_columns if c is not None]
    numbers = {unicodedata.normalize("NFKC", squash(cell(r, cols.id)[0])) for r in range(header.end, len(grid.rows))}
    parents = {n.rsplit(".", 1)[0] for n in numbers if re.fullmatch(r"\d{1,3}(\.\d{1,3})+", n)}
    task_levels = set()
    for r in range(header.end, len(grid.rows)):
        n = _numeral(cell(r, cols.id)[0])
        if n and any(cell(r, c)[0] for c in (*[c for c, _role in unit_columns], cols.deadline) if c is not None):
            task_levels.add(n[0])
    tasks: list[RawTask] = []
    # a heading row since the last task: units on a row of their own after it are not the
    # task before the heading's (they were added to it as cooperating units, unsaid)
    after_heading = False
    in_notes = False  # notes under the header, before the first task
    for r in range(header.end, len(grid.rows)):
        row = grid.rows[r]
        own = [t for t, c in zip(row, grid.cont[r]) if t and not c]
        if not own:
            continue  # blank, or only cells merged down from above
        if sum(1 for t in own if t in header_texts) >= 2:
            continue  # the header repeated at a page start
        if note_row(own) and own[0] not in header_texts:
            if tasks:
                # 注： | 1.配合单位按职责分工负责。 – it was a task named after its note (no unit, M101)
                # whose id 注: kept 序号 restarting per 一级任务 from reading as 2.1, 2.2 (1-2, 2-2, M105).
                break
            # 填表说明 between the header and the first task: the tasks follow it. It was a task 注:
            # with its words as units (1.牵头单位, 汇总报送进展), or merged across, every task's heading.
            in_notes = True
            continue
        cells = {role: cell(r, getattr(cols, role))[0] for role in
                 ("id", "level1", "level2", "name", "content", "lead", "support", "deadline", "note")}
        conts = {role: cell(r, getattr(cols, role))[1] for role in cells}
        cells["more"] = "".join(cell(r, c)[0] for c in cols.more_support)
        line = numbering(own[0])
        if in_notes and len(set(own)) == 1 and line and line[0] >= 3 and not any(cells[k] for k in ("id", *_BUSY)):
            continue  # the notes' 2. 3. lines (a heading 一、 or a task ends them)
        in_notes = False
        heading = _is_heading(own, cols, cells, parents, task_levels)
        if heading is not None:
            levels.open(squash(heading), directly_under=after_heading)
            after_heading = True
            continue
        for role in ("level1", "level2"):
            t = cells[role]
            # A header repeated inside the table leaves merged cells below it pointing at it.
            if t and t not in header_texts:
                setattr(levels, role, squash(t))
        content, name = cells["content"], cells["name"]
        units_blank = all(not cell(r, c)[0] or cell(r, c)[1] for c, _role in unit_columns)
        text_above = (conts["content"] or not content) and (conts["name"] or not name) and (content or name)
        own_columns = {c for c, (t, m) in enumerate(zip(row, grid.cont[r])) if t and not m}
        if tasks and not after_heading and not units_blank and (
                # the task's text merged down over rows listing its units one row each (a second
                # task with the same text before, its unit leading)
                (text_above and (not cells["id"] or conts["id"]) and (not cells["deadline"] or conts["deadline"]))
                # or a row with only units, not merged (a task without text before, and the next
                # task renumbered)
                or own_columns <= {c for c, _role in unit_columns}):
            # more units of the task above
            for i, (c, _role) in enumerate(unit_columns):
                more, merged = cell(r, c)
                if more and not merged:
                    before, role = tasks[-1].units[i]
                    tasks[-1].units[i] = ("\n".join(t for t in (before, more) if t), role)
            continue
        if (tasks and content and not conts["content"] and not cells["id"] and (not name or conts["name"])
                and (not cells["deadline"] or conts["deadline"]) and units_blank
                and not any(cell(r, c)[0] for c, _role in unit_columns) and not _TEXT_NUMBER.match(content)):
            # A row Word split across a page: its text continues the task above. Not a row under
            # unit cells merged down over it (长沙 2012: 市发改委 over four targets, each a task),
            # nor one printing its own number (福建 2015: 2.…, 3.… under 1.'s merged units): both
            # were glued onto the task above, their tasks lost without a word (QA359).
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
        level1, level2 = levels.task_levels()
        text = squash(cells["name"]) or clean(cells["content"])
        number = numbering(text)
        sheet, where = grid.where(r)
        units = [(cell(r, c)[0], role) for c, role in unit_columns]
        if tasks:
            # 同上 (ditto) in a unit or deadline cell: the task above's, never a unit called 同上.
            units = [(tasks[-1].units[i][0] if _DITTO.match(t) else t, role) for i, (t, role) in enumerate(units)]
            if _DITTO.match(cells["deadline"]):
                cells["deadline"] = tasks[-1].deadline_text
        milestones = [(label, squash(cell(r, c)[0])) for c, label in cols.milestones if cell(r, c)[0]]
        if milestones:
            # 时间节点 by quarter: due by the end of the last milestone's quarter (the year its
            # text gives, else the plan's), all of them kept in the note.
            label, text = milestones[-1]
            year = re.match(r"\d{4}年", unicodedata.normalize("NFKC", text))
            cells["deadline"] = label if not year or re.search(r"\d{4}", label) else year.group() + label
            plan = cols.labels.get("deadline", "时间节点") + "：" + "；".join(f"{lab}：{t}" for lab, t in milestones)
            cells["note"] = "；".join(x for x in (cells["note"], plan) if x)
        notes = [clean(cells["note"])] + [f"{squash(label)}：{clean(cell(r, c)[0])}" for c, label in cols.extras
                                          if cell(r, c)[0]]
        after_heading = False
        unread = [(place, label, cell(r, c)[0], _cell(grid, r, c)) for c, label, place in cols.unread
                  if _own_text(grid, r, c)]
        tasks.append(RawTask(
            sheet, where, explicit_id=unicodedata.normalize("NFKC", explicit_id), level1=level1, level2=level2,
            name=squash(cells["name"]), content=clean(cells["content"]), deadline_text=squash(cells["deadline"]),
            units=units, note="；".join(n for n in notes if n),
            heading_like=bool(number and number[0] <= 2 and not (cells["name"] and cells["content"])),
            unread=unread))
    return tasks


def _own_text(grid: Grid, r: int, c: int) -> bool:
    """Whether a cell has a text of its own: not merged down from the row above, nor across
    from the cell before (a merged cell's text fills every column it spans)."""
    if c >= len(grid.rows[r]) or not grid.rows[r][c] or grid.cont[r][c]:
        return False
    return c == 0 or grid.rows[r][c] != grid.rows[r][c - 1]


def _cell(grid: Grid, r: int, c: int) -> str:
    """A cell's place for an Issue: E7 in a sheet; in a Word table its row (第7行), as
    `Grid.where` says it."""
    return grid.where(r)[1] if grid.docx else f"{column_letter(c + 1)}{r + 1}"
