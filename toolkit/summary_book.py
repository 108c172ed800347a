"""Layout of the consolidated workbook (汇总表): eight sheets an office can print and filter.

Every sheet is a title row, a subtitle, one header row and data. The book is written by
`xlsx_book` (not openpyxl: see there), its data rows made by `sheet_rows` as the file is
written, so that memory stays flat for a province-sized month (openpyxl's per-cell writer
had made that month take a quarter of a minute).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .consolidate import Consolidation, TaskSummary, UnitStatus
from .dates import cn_date
from .files import atomic_write
from .form_layout import fit_limits, fitted_width, unused_columns
from .rectification import FORM_HEADERS, is_rectification, memo_project, words_of
from .returns import HEADER_OF
from .sheet_rows import table_rows
from .style import color
from .task_summary import lead_states_text
from .text import column_letter, task_title
from .units import say_sections
from .vocab import (
    NOT_YET_DUE,
    OUTCOMES,
    TASK_STATUSES,
    UNIT_STATES,
    Outcome,
    Owed,
    Role,
    Severity,
    Status,
    UnitState,
    evidence_word,
    figures,
)
from .xlsx import MAX_ROW_HEIGHT, cell_lines, cell_xml, height_of_lines, noting, row_height
from .xlsx_book import Align, Book, Border, Fill, Font, Sheet

LAGGING, NOT_REPORTED = Status.LAGGING, Status.NOT_REPORTED
LEAD = Role.LEAD

ROW_SLACK = 1.05


@dataclass
class Column:
    """A column of a table sheet: header, width, how to get the value, and its kind."""

    header: str
    width: float
    get: Callable[[Any], Any]
    kind: str = "text"  # text | center | number | percent | date | status
    #: said first in a text too long for the tallest row Excel allows (409 pt): its last
    #: lines are cut off on screen and on paper, and a reader must know the rest is there
    too_long: str = ""


SEE_DETAILS = "【内容较长，本表显示不全，各单位的完整内容见“单位明细”表】"
SEE_CELL = "【内容较长，本表显示不全，请选中单元格查看全文】"


class Styles:
    """Fonts and fills built once per workbook from 样式.toml."""

    def __init__(self, style: dict[str, Any], say: Callable[[str], str] = str):
        st = style["summary"]
        self.st = st
        #: how the book's own labels say 单位: 科室 in a bureau's own plan (`units.say_sections`)
        self.say = say
        self.title = Font(st["title_font"], st["title_size"], bold=True)
        self.subtitle = Font(st["font"], st["size"], color="595959")
        self.section = Font(st["header_font"], st["header_size"] + 1, bold=True)
        self.header = Font(st["header_font"], st["header_size"], bold=True)
        self.body = Font(st["font"], st["size"])
        self.red = Font(st["font"], st["size"], bold=True, color="C00000")
        self.header_fill = Fill(color(st["header_fill"], "D9E1F2"), background=False)
        self.border = Border("A6A6A6")
        self.center = Align("center", "center", wrap=True)
        # Top-aligned: a cell taller than Excel's 409 pt row limit then loses its last lines,
        # where centred text spilled over the rows above and below it.
        self.wrap = Align(vertical="top", wrap=True)
        self.left = Align(vertical="center")
        self.wrap_left = Align(vertical="center", wrap=True)
        # One colour per status for cell fills and chart series alike (样式.toml).
        self.status_colours = {k: color(v, "FFFFFF") for k, v in st.get("status_fills", {}).items()}
        self.status_fills = {k: Fill(v) for k, v in self.status_colours.items()}


def build_summary_workbook(cons: Consolidation, style: dict[str, Any]) -> Book:
    """The 汇总表 of the consolidation, ready to save (its data rows are made as it is saved)."""
    book = Book()
    s = Styles(style, say_sections if cons.of_sections else str)
    # a 整改清单's: …问题整改进展汇总表, as its forms and 通报 name it
    title = (s.st["title"] + s.st.get("subtitle", "")).format(project=_named(cons), period=cons.period.label, unit="")
    # the month's ordinary deadline, not the last --due given (QA377)
    subtitle = f"数据截至 {cons.as_of or '（尚无报送）'}；报送截止 {cn_date(cons.stated_due)}"
    if own := cons.own_dues_text(cn_date):
        subtitle += f"（{s.say(own)}，按其填报表上的截止日期）"
    if cons.basis:  # a past month merged again after 责任分工 or 任务清单 was edited
        subtitle += f"；{cons.basis.heading()}"
    if cons.waiting:  # the book is forwarded: the day its 尚未截止 was true on goes with it
        subtitle += f"；{NOT_YET_DUE}按{cn_date(cons.today)}计"
    if early := cons.overdue_early():  # made before a deadline it counts as passed (QA352)
        deadline = words_of(cons.master).deadline
        subtitle += (f"；超期按期末（{cn_date(cons.period.end)}）计，其中 {len(early)} 项的{deadline}"
                     f"在{cn_date(cons.today)}尚未过")
    _overview(book, cons, s, title, subtitle)
    for build in (_tasks, _details, _units, _lagging, _issues, _history, _receipts):
        build(book, cons, s, subtitle)
    return book


# ---------------------------------------------------------------------------
# generic table sheet


def _table(book: Book, name: str, title: tuple[str, str], subtitle: str, columns: list[Column], items: list[Any],
           s: Styles, status_values: tuple[str, ...] = (), landscape: bool = True, empty: str = "") -> Sheet:
    if not items and empty:  # said above the header: a bare header printed as if rows were lost (QA292)
        subtitle = f"{subtitle}。{empty}"
    columns = [replace(c, header=s.say(c.header), too_long=s.say(c.too_long)) for c in columns]
    columns = [replace(c, get=noting(c.get, c.width, s.st["size"], c.too_long, ROW_SLACK)) if c.too_long else c
               for c in columns]
    ws = book.sheet(name)
    n = len(columns)
    last = column_letter(n)
    ws.widths = widths = [c.width for c in columns]
    ws.freeze = "B4" if n > 6 else "A4"
    ws.landscape = landscape
    total = sum(widths)
    title_text = sheet_title(*title, total, s.st["title_size"])
    ws.append([(title_text, book.style(s.title, align=s.center))], title_height(title_text, total, s.st["title_size"]))
    ws.merges.append(f"A1:{last}1")
    ws.append([(subtitle, book.style(s.subtitle, align=s.wrap))], row_height([(subtitle, total)], s.st["size"], 16))
    ws.merges.append(f"A2:{last}2")
    header = book.style(s.header, s.header_fill, s.border, s.center)
    ws.append([(c.header, header) for c in columns], 30)
    formats = [{"percent": "0.0%", "number": "0.0", "date": "yyyy-mm-dd"}.get(c.kind) for c in columns]
    aligns = [s.wrap if c.kind == "text" else s.center for c in columns]
    overdue_col = {i for i, c in enumerate(columns) if c.header == "是否超期"}
    status_col = {i for i, c in enumerate(columns) if c.kind == "status"}
    # Only the status and 是否超期 values choose a cell's style; every other column has one.
    # All are registered now, in column order, so that a style's number depends on the table's
    # columns alone (not on which value the rows meet first, which depends on their chunks).
    styles: dict[tuple[int, bool, Fill | None], int] = {}
    for i in range(n):
        reds = (False, True) if i in overdue_col else (False,)
        fills = (None, *s.status_fills.values()) if i in status_col else (None,)
        for red in reds:
            for fill in fills:
                # Status cells are filled directly (every viewer shows it); the conditional
                # rules below only re-colour a status someone edits by hand.
                styles[i, red, fill] = book.style(s.red if red else s.body, fill, s.border, aligns[i], formats[i])

    def style_of(i: int, value: Any) -> int:
        fill = s.status_fills.get(value) if i in status_col and isinstance(value, str) else None
        return styles[i, i in overdue_col and value == "是", fill]

    size = s.st["size"]

    def height(lines: int) -> float:
        # A little taller than estimated: LibreOffice's CJK serif has taller lines than
        # SimSun, and a long 各单位进展 cell then spilled over the row below.
        return min(MAX_ROW_HEIGHT, round(height_of_lines(lines, size, 16) * ROW_SLACK, 1))

    letters = [column_letter(i) for i in range(1, n + 1)]
    ws.rows = table_rows(items, [c.get for c in columns], letters, widths, size, style_of, height)
    end = 3 + max(len(items), 1)
    ws.auto_filter = f"A3:{last}{end}"
    ws.print_rows = (3, 3)
    for i, col in enumerate(columns, start=1):
        if col.kind == "status":
            letter = column_letter(i)
            ws.condition(f"{letter}4:{letter}{end}",
                         [(value, s.status_fills[value]) for value in status_values if value in s.status_fills])
    return ws


def title_height(title: str, width: float, size: float) -> float:
    """Row height (points) showing a merged title across ``width`` characters in full."""
    from .text import display_width  # deferred with the rest of the sheet-building imports

    lines = sum(max(1, math.ceil(display_width(part) * size / 11 * 1.1 / max(width - 1, 1)))
                for part in title.split("\n"))
    return round(lines * size * 1.45 + 10, 1)


def _named(cons: Consolidation) -> str:
    """The project as the 汇总表's titles name it: a 整改清单's as …问题整改 (`rectification`)."""
    return memo_project(cons.project) if is_rectification(cons.master) else cons.project


def sheet_title(project: str, what: str, width: float, size: float) -> str:
    """A table sheet's title: the project and what the sheet is, the latter on a line of its
    own when the two do not fit on one (a narrow 历次进展 broke as "…专项行动历" / "次进展")."""
    # A plan named …重点任务 or …工作任务 reads "…重点任务汇总", not "…重点任务任务汇总".
    joined = project + (what[2:] if project.endswith("任务") and what.startswith("任务") else what)
    one_line = title_height(joined, width, size) <= title_height("", width, size)
    return joined if one_line else f"{project}\n{what}"


def _pct(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# ---------------------------------------------------------------------------
# sheets


OVERVIEW_ROW_PT = 16  # every 总览 row is this high, so chart sizes can follow the tables
ROW_CM = OVERVIEW_ROW_PT / 72 * 2.54
CHART_WIDTH_CM = 14.0
PIE_CM = 8.0  # the pie's height under 一 and 二 (portrait 总览, `_overview`)


def _overview(book: Book, cons: Consolidation, s: Styles, title: str, subtitle: str) -> None:
    """Key figures in four small tables (A:G), each with its chart beside it in column I.

    The per-unit table starts on a page of its own, each of its printed pages with a chart of
    its units beside it (`summary_charts.unit_pages`), so that no chart is cut by a page break.
    Its rows, one per unit and the sheet's last, are made while the file is written (1,000 units). Past `UNIT_CHART_MAX`
    units it has no chart: the sheet prints portrait, 一's and 三's charts under their tables.
    """
    from . import summary_charts as charts  # deferred: only a merge draws charts

    ws = book.sheet("总览")
    # One scale prints a sheet (fitted to width): with charts beside the tables, a table of
    # 160 村 with none beside it printed in the left half of each page, small. Under them,
    # the sheet is as wide as its tables, and a long narrow list prints portrait, at full size.
    beside = len(cons.units) <= charts.UNIT_CHART_MAX
    ws.landscape = beside
    words = cons.task_words  # 三's columns: 未报送（尚未截止） after 未报送 while some task is said so
    # 报送状态 (F, 四) and 三's 未报送 columns hold 未报送（尚未截止） on one line: fixed-height rows cut a second.
    # F says it of a unit (`waiting`); G is 三's 未报送（尚未截止） column, there while a task is said so
    # (`waiting_tasks`), also when no unit is: a lead sent back after the deadline, with days left to
    # correct (广东省卫健委 2021: its header printed cut in half at 11, QA265)
    ws.widths = widths = [30, 11, 11, 11, 11, *(_status_width(cons, 11, s, tasks=i > 4) for i in range(4, len(words))),
                          11]
    last = column_letter(len(widths))
    chart_col = len(widths) + 1  # 0-based: one column clear of the tables (I; J beside a 合计 in H)
    ws.freeze = "A3"
    # 本期未下发's slice and bars (a 补发 month, QA377) grey unless 样式.toml colours it: a fill of its
    # own in every book would restyle every ordinary month's cells for a word they never hold
    font, colours = s.st["font"], {Owed.NOT_ISSUED: "D9D9D9", **s.status_colours}

    def cell_style(i: int, v: Any, kind: str, status: str | None, n: int) -> int:
        fmt = "0.0%" if isinstance(v, float) and kind == "pct" and i == 2 else (
            "0.0" if isinstance(v, float) else None)
        coloured = i == (n - 1 if kind == "units" else 0)
        fill = s.status_fills.get(status) if status and coloured else None
        return book.style(s.body, fill, s.border, s.left if i == 0 else s.center, fmt)

    def add(values: list, kind: str = "body", status: str | None = None, height: float = OVERVIEW_ROW_PT) -> int:
        """Append a row; ``status`` colours the label cell (or a units row's 报送状态)."""
        cells = []
        for i, v in enumerate(values):
            if isinstance(v, str) and (kind in ("section", "header") or (kind == "pct" and i == 0)):
                v = s.say(v)  # the labels, never a unit's or a task's name
            if kind == "title":
                sid = book.style(s.title, align=s.center)
            elif kind == "subtitle":
                sid = book.style(s.subtitle, align=s.left)
            elif kind == "section":
                sid = book.style(s.section, align=s.left)
            elif kind == "header":
                sid = book.style(s.header, s.status_fills.get(v, s.header_fill), s.border, s.center)
            elif kind == "wrapped" and i == 0:
                sid = book.style(s.body, None, s.border, s.wrap_left)
            else:
                sid = cell_style(i, v, kind, status, len(values))
            cells.append((v, sid))
        first = not ws.last_row
        return ws.append(cells, title_height(title, sum(widths), s.st["title_size"]) if first else height)

    # The title spans the tables only: columns under the charts differ in width between
    # Excel and LibreOffice, and a wider merge shrinks the printed page.
    add([title], "title")
    ws.merges.append(f"A1:{last}1")
    # one line, as every 总览 row is (the charts follow the rows): a subtitle longer than the tables
    # are wide (an early book's 超期 clause, a past month's basis) was cut at their edge; the rest
    # goes on the blank row under it, wrapped when it needs to be (`_rest_row`)
    first, rest = _one_line(subtitle, sum(widths), s.st["size"])
    add([first], "subtitle")
    ws.merges.append(f"A2:{last}2")
    if rest:
        _rest_row(ws, book.style(s.subtitle, align=s.left), book.style(s.subtitle, align=s.wrap), rest,
                  sum(widths), s.st["size"])
        ws.merges.append(f"A3:{last}3")
    else:
        add([])
    tc, total = cons.task_counts(), len(cons.tasks)
    plan = words_of(cons.master)  # a 整改清单's counts 整改任务, as its 通报 does (`rectification.Words`)
    first_section = add([f"一、{plan.task}进展"], "section")
    add(["指标", f"{plan.task}数", "占比"], "header")
    first_status = ws.last_row + 1
    add([f"{plan.task}总数", total, 1.0 if total else 0.0], "pct")
    slices = []  # each row's status: its pie slice's colour
    for status in TASK_STATUSES:
        # 未报送 before its leads' deadlines: those not yet due apart (`missing_counts`), as units are
        for said, n in cons.missing_counts(status, tasks=True) if status == NOT_REPORTED else [(status, tc[status])]:
            slices.append(said if said in (NOT_YET_DUE, Owed.NOT_ISSUED) else status)
            add([said, n, _pct(n, total)], "pct", slices[-1])
    last_status = ws.last_row
    # those waiting on leads not yet due apart (`overdue_counts`): not known unfinished yet
    for label, n in cons.overdue_counts(plan.overdue, plan.overdue_waiting, plan.overdue_early):
        add([label, n, _pct(n, total)], "pct")
    add([])
    uc, units = cons.unit_counts(), cons.owing
    add(["二、报送情况"], "section")
    add(["指标", "单位数", "占比"], "header")
    add(["应报单位", units, 1.0 if units else 0.0], "pct")
    # 尚未报送, not 未报送: 一's row of that name counts tasks, this one units, and the charts
    # and readers find each row by its label (a decision, QA215)
    for state, label in zip(UNIT_STATES, ("按时报送", "逾期报送", "尚未报送", "退回待改")):
        # 未报送 before a deadline: those past it and those not yet due apart (`missing_counts`)
        for said, n in cons.missing_counts(label) if state == UnitState.NOT_REPORTED else [(label, uc[state])]:
            add([said, n, _pct(n, units)], "pct", NOT_YET_DUE if said == NOT_YET_DUE else state)
    if cons.exempt:  # beside 应报, not of it: every task reported 已完成 before, no form issued
        add(["本期免报（不计入应报）", len(cons.exempt), ""], "pct", UnitState.EXEMPT)
    pie_rows = ws.last_row - first_section + 1
    add([])
    # the pie beside 一 and 二, else under them (0-based row, column; height)
    pie_at = (first_section - 1, chart_col, pie_rows * ROW_CM - 0.2) if beside else (ws.last_row, 0, PIE_CM)
    if not beside:
        _room(ws, add, pie_at[0], PIE_CM)
        ws.breaks.append(ws.last_row)  # 三 and its chart on the next page: 一, 二 and the pie fill this one
    # a table without 一级任务 (大竹, 崇川) has one row: all its tasks, not "（未分类）"
    grouped = cons.grouped  # a 整改清单's by 问题类别
    level_words = plan.summary_by_level1 if grouped else plan.summary_ungrouped
    level_section = add([f"三、{level_words}（{plan.task}数）"], "section")
    level_header = add([plan.level1, *words, "合计"], "header")
    levels = cons.by_level1(said=True)
    # a long 一级任务 wraps in a taller row (cut at the column's edge, QA391); the charts beside
    # and under 三 follow its rows (`_room`)
    size, taller = s.st["size"], 0.0
    for level1, counts in levels:
        name = level1 if grouped else f"全部{plan.task}"
        lines = cell_lines(name, widths[0], size)
        height = (OVERVIEW_ROW_PT if lines == 1 else
                  max(OVERVIEW_ROW_PT, round(height_of_lines(lines, size, OVERVIEW_ROW_PT) * ROW_SLACK, 1)))
        add([name, *[counts[k] for k in words], sum(counts.values())], "wrapped" if lines > 1 else "body",
            height=height)
        taller += (height - OVERVIEW_ROW_PT) / 72 * 2.54
    level_last = ws.last_row
    level_cm = charts.level_chart_height(len(levels))
    # Blank rows until the level chart ends (beside the table, as tall as it, or under it), then,
    # with a chart of 四 beside its table, a page break: 四 starts a fresh page
    if beside:
        level_cm = max(level_cm, (level_last - level_section + 1) * ROW_CM + taller)
        level_at = (level_section - 1, chart_col)
    else:
        level_at = (add([]), 0)  # the 0-based row after the blank one
    _room(ws, add, level_at[0], level_cm - (taller if beside else 0))
    if beside:
        ws.breaks.append(ws.last_row)
    add(["四、各单位完成情况"], "section")
    unit_header = add(["单位", f"应报{plan.task}数", "已完成数", "滞后数", "平均进度(%)", "报送状态"], "header")
    unit_rows = [([u.unit, u.tasks, *_counts(u, "done", "lagging"),
                   u.avg_progress if u.avg_progress is not None else "", said], said)
                 for u in cons.units for said in [cons.said(u.unit, u.state)]]
    sids: dict[tuple, int] = {}
    ids = []
    for values, state in unit_rows:
        row_ids = []
        for i, v in enumerate(values):
            k = (i, type(v) is float, state)
            if k not in sids:
                sids[k] = cell_style(i, v, "units", state, len(values))
            row_ids.append(sids[k])
        ids.append(row_ids)
    first_unit, letters = ws.last_row + 1, "ABCDEF"

    def rows() -> Iterator[str]:
        for r, ((values, _), row_ids) in enumerate(zip(unit_rows, ids), start=first_unit):
            row = str(r)
            cells = "".join(cell_xml(letters[i] + row, v, row_ids[i]) for i, v in enumerate(values))
            yield f'<row r="{r}" ht="{OVERVIEW_ROW_PT}" customHeight="1">{cells}</row>'

    ws.rows = rows
    ws.skip(len(unit_rows))
    unit_last = ws.last_row
    ws.print_rows = (unit_header, unit_header)

    pie = charts.status_pie(ws.name, first_status + 1, last_status, tuple(slices), colours, font, plan.task)
    top = max((sum(c.values()) for _, c in levels), default=1)
    bar = charts.level_bars(ws.name, level_header, level_last, words, colours, font, top,
                            level_words, plan.task)
    ws.charts = [charts.anchor(pie, pie_at[1], pie_at[0], CHART_WIDTH_CM, pie_at[2]),
                 charts.anchor(bar, level_at[1], level_at[0], CHART_WIDTH_CM, level_cm)]
    if beside:  # a chart beside each printed page of the table, a page break after each but the last
        rgb = color(s.st.get("progress_fill"), "5B6F8C")
        per_page = charts.page_rows(widths, chart_col - len(widths), CHART_WIDTH_CM, OVERVIEW_ROW_PT)
        # the first page's section and header rows, or a later one's repeated header, and one spare
        # for a scale rounded up
        top = first_unit
        for n in charts.unit_pages(len(unit_rows), per_page - 3):
            # anchored beside the units, not the header: LibreOffice draws whatever overlaps a row
            # repeated on every page (`print_rows`) on every page, a sliver of the title (QA391)
            ws.charts.append(charts.anchor(
                charts.unit_bars(ws.name, unit_header, top, top + n - 1, rgb, font, s.say), chart_col, top - 1,
                CHART_WIDTH_CM, math.floor(charts.unit_chart_height(n, ROW_CM, per_page - 3) * 10) / 10))
            top += n
            if top <= unit_last:
                ws.breaks.append(top - 1)


def _rest_row(ws: Sheet, one_line: int, wrapped: int, rest: str, width: float, size: float) -> None:
    """总览's third row: the subtitle's clauses that did not fit on its second (`_one_line`), on one
    line of `OVERVIEW_ROW_PT` when they fit, else wrapped in a row as tall as they need. An early
    book's units' own deadlines, 尚未截止 and 超期 clauses were cut at the tables' edge, its 超期
    clause lost (QA366). The charts are anchored to rows under this one and sized by theirs
    (`_room`): a taller row moves them down with their tables."""
    if cell_lines(rest, width, size) == 1:
        ws.append([(rest, one_line)], OVERVIEW_ROW_PT)
    else:  # a little taller than estimated, as the tables' rows (LibreOffice's CJK serif)
        ws.append([(rest, wrapped)], round(row_height([(rest, width)], size, OVERVIEW_ROW_PT) * ROW_SLACK, 1))


def _room(ws: Sheet, add: Callable[[list], int], row: int, cm: float) -> None:
    """Blank rows from 0-based ``row`` on until ``cm`` of a chart anchored there is covered."""
    while (ws.last_row - row) * ROW_CM < cm + 0.3:
        add([])


def used_columns(columns: list[Column], cons: Consolidation, s: Styles) -> list[Column]:
    """``columns`` without the 一级任务, 二级任务 and 完成时限 no task of the table has
    (`unused_columns`), nor the 配合单位 of a table naming lead units only (大竹's, 苍南's),
    which would print empty on every row; 工作任务 stays, a task's text standing in for its
    name. Those three as wide as the plan's texts need (`fitted`)."""
    empty = {HEADER_OF[f] for f in unused_columns(cons.master) if f != "name"}
    if not any(a.role == Role.COOP for a in cons.master.assignments):
        empty.add("配合单位")
    return worded(fitted([c for c in columns if c.header not in empty], cons, s), cons)


def fitted(columns: list[Column], cons: Consolidation, s: Styles) -> list[Column]:
    """``columns`` with those of short texts (一级任务, 二级任务, 完成时限) as wide as the plan's
    texts need, each up to 样式.toml's ``[summary.fit_widths]`` (`form_layout.fitted_width`): a
    问题类别 broke as 一、全面从严治党方 / 面, a deadline as 2024年6月底 / 前."""
    most = fit_limits(s.st)
    if not any(most.get(c.header) for c in columns):
        return columns
    year = cons.period.year
    texts = {"一级任务": lambda t: t.level1, "二级任务": lambda t: t.level2, "完成时限": lambda t: t.deadline_in(year)}
    return [replace(c, width=fitted_width(map(texts[c.header], cons.master.tasks), c.width, most[c.header],
                                          s.st["size"])) if most.get(c.header) and c.header in texts else c
            for c in columns]


def worded(columns: list[Column], cons: Consolidation) -> list[Column]:
    """``columns`` under the headers ``cons``'s plan says: a 整改清单's 存在问题 | 整改措施 |
    整改时限 … (`rectification`), else as given."""
    if not is_rectification(cons.master):
        return columns
    # a header grown longer (应报整改任务数) keeps to one line: wrapped, its last character stood alone
    return [replace(c, header=new, width=max(c.width, HEADER_CHAR_WIDTH * len(new)) if len(new) > len(c.header)
                    else c.width) for c in columns for new in [_RECTIFIED.get(c.header, c.header)]]


#: The column width (characters) a header's Chinese character takes, bold, with the cell's margins
HEADER_CHAR_WIDTH = 2.2
#: A 整改清单's 汇总表 headers in place of a plan's: its form's (`rectification.FORM_HEADERS`), and
#: its own 各单位整改进展 and 应报整改任务数 (as 总览 counts them)
_RECTIFIED = {HEADER_OF[f]: h for f, h in FORM_HEADERS.items()} | {"各单位进展": "各单位整改进展",
                                                                   "应报任务数": "应报整改任务数"}


def _tasks(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    master = cons.master
    cols = [
        Column("任务编号", 8, lambda t: t.task.id, "center"),
        Column("一级任务", 14, lambda t: t.task.level1),
        Column("二级任务", 16, lambda t: t.task.level2),
        Column("工作任务", 18, lambda t: task_title(t.task.name, t.task.content)),
        Column("完成时限", 10, lambda t: t.task.deadline_in(cons.period.year), "center"),
        Column("牵头单位", 20, lambda t: master.display_units(t.task.id, LEAD)),
        Column("配合单位", 16, lambda t: master.display_units(t.task.id, Role.COOP)),
        _task_status_column(cons, s),
        Column("平均进度(%)" if any(len(t.leads) > 1 for t in cons.tasks) else "进度(%)", 9,  # one lead: its own
               lambda t: t.avg_progress, "number"),
        Column("是否超期", 7, overdue_word, "center"),
        Column("各单位进展", 60, lambda t: t.progress_text, too_long=SEE_DETAILS),
        Column("存在问题", 30, lambda t: t.problems, too_long=SEE_DETAILS),
        Column("未报送单位", 24, lambda t: t.missing_text(cons.waiting)),
    ]
    _table(book, "任务汇总", (_named(cons), f"任务汇总（{cons.period.label}）"), subtitle, used_columns(cols, cons, s),
           cons.tasks, s, cons.task_words)


def _details(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    cols = [
        Column("任务编号", 8, lambda d: d["task"], "center"),
        Column("一级任务", 14, lambda d: d["level1"]),
        Column("工作任务", 18, lambda d: d["name"]),
        Column("完成时限", 10, lambda d: d["deadline"], "center"),
        # its units from the tasks: the rows themselves are made only as the sheet is written (`details`)
        Column("单位", _fit({u for t in cons.tasks for u in (*t.leads, *t.coops)}, 16, s), lambda d: d["unit"]),
        Column("责任类型", 7, lambda d: d["role"], "center"),
        Column("完成状态", _status_width(cons, 9, s), lambda d: cons.said(d["unit"], d["status"]), "status"),
        Column("完成进度(%)", 8, lambda d: d["progress"], "center"),
        Column("工作进展", 50, lambda d: d["work"], too_long=SEE_CELL),
        Column("存在问题", 28, lambda d: d["problems"], too_long=SEE_CELL),
        Column("下一步计划", 28, lambda d: d["next_plan"], too_long=SEE_CELL),
        Column("预计完成时间", 11, lambda d: d["eta"], "date"),
        Column("佐证材料", 20, lambda d: d["evidence"]),
        Column("报送文件", 22, lambda d: d["file"]),
        Column("报送时间", 16, lambda d: d["received_at"][:16], "center"),
    ]
    _table(book, "单位明细", (_named(cons), f"单位明细（{cons.period.label}）"), subtitle, used_columns(cols, cons, s),
           cons.details, s, TASK_STATUSES + _waiting(cons))


def _units(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    cols = [
        Column("单位", _fit([u.unit for u in cons.units], 22, s), lambda u: u.unit),
        Column("类别", _fit({u.kind for u in cons.units}, 9, s), lambda u: u.kind, "center"),  # 省级人民政府
        Column("应报任务数", 9, lambda u: u.tasks, "center"),
        Column("报送状态", _status_width(cons, 10, s), lambda u: cons.said(u.unit, u.state), "status"),
        Column("报送时间", 16, lambda u: u.received_at, "center"),
        Column("报送文件", _file_width(cons, s), lambda u: u.file_text),
        Column("错误数", 7, lambda u: _counts(u, "errors")[0], "center"),
        Column("警告数", 7, lambda u: _counts(u, "warnings")[0], "center"),
        Column("已完成数", 8, lambda u: _counts(u, "done")[0], "center"),
        Column("滞后数", 7, lambda u: _counts(u, "lagging")[0], "center"),
        Column("平均进度(%)", 9, lambda u: u.avg_progress, "number"),
    ]
    _table(book, "报送情况", (_named(cons), f"报送情况（{cons.period.label}）"), subtitle, worded(cols, cons),
           cons.units, s, UNIT_STATES + _waiting(cons))


#: The widest a 单位 column grows (characters) for a long name on one line: 宁夏回族自治区人民政府
#: broke as …人民政 / 府 in 单位明细's 16 (QA391); longer names wrap in even lines
UNIT_MOST = 24
#: and 报送情况's 报送文件, whose names (2026年10月_中央统战部_进展填报表.xlsx) just past its 34
#: doubled some rows and not others where nothing needed to wrap
FILE_MOST = 46


def _fit(texts, width: float, s: Styles, most: float = UNIT_MOST) -> float:
    """A column of ``texts`` as wide as its longest needs on one line, ``width`` at least, ``most`` at
    most (`form_layout.fitted_width`)."""
    return fitted_width(texts, width, most, s.st["size"])


def _file_width(cons: Consolidation, s: Styles) -> float:
    """报送情况's 报送文件 as wide as its longest name needs on one line, up to `FILE_MOST`: the
    names past that wrap, the rest stay on one line (not split evenly as `_fit` splits a name)."""
    names = [line for u in cons.units for line in u.file_text.split("\n")]
    return min(FILE_MOST, fitted_width(names, 34, math.inf, s.st["size"]))


def _counts(u: UnitStatus, *fields: str) -> list[int | str]:
    """``u``'s ``fields``, blank where it has no such figure (`vocab.figures`), as its 平均进度 is."""
    return ["" if v is None else v for v in figures(u, *fields)]


def _task_status_column(cons: Consolidation, s: Styles) -> Column:
    """综合状态 as 任务汇总 and 滞后超期 say it (`Consolidation.task_said`), wide enough for its words."""
    return Column("综合状态", _status_width(cons, 9, s, tasks=True), lambda t: cons.task_said(t.task.id, t.status),
                  "status")


def _status_width(cons: Consolidation, width: float, s: Styles, tasks: bool = False) -> float:
    """A status column wide enough for `NOT_YET_DUE` on one line while some unit (``tasks``: some
    task, `Consolidation.waiting_tasks`) is said so (on two, every row of 报送情况 and 单位明细
    doubled in height: 41 printed pages became 51); ``width`` otherwise, as before the word came."""
    if not (cons.waiting_tasks if tasks else cons.waiting):
        return width
    while cell_lines(NOT_YET_DUE, width, s.st["size"]) > 1:
        width += 1
    return width + 1  # LibreOffice's CJK serif is a little wider than SimSun


def _one_line(text: str, width: float, size: float) -> tuple[str, str]:
    """``text`` (clauses joined by ；) as the clauses that fit on one line of ``width`` at ``size``,
    and the rest ('' when all fit; the first clause stays first however long)."""
    clauses = text.split("；")
    fit = 1
    while fit < len(clauses) and cell_lines("；".join(clauses[:fit + 1]), width, size) == 1:
        fit += 1
    return "；".join(clauses[:fit]), "；".join(clauses[fit:])


def _waiting(cons: Consolidation) -> tuple[str, ...]:
    """`NOT_YET_DUE` among a status column's words while some unit is not yet due; after every
    deadline the book is as it was before the word came."""
    return (NOT_YET_DUE,) if cons.waiting else ()


def overdue_word(t: TaskSummary) -> str:
    """是否超期 in 任务汇总 and 滞后超期 alike: 长期 for an ongoing task (长期开展, 持续推进),
    which 滞后超期 gave as 否 beside 任务汇总's 长期."""
    return "长期" if t.task.ongoing else ("是" if t.overdue else "否")


def _lagging(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    items = [t for t in cons.tasks if t.status == LAGGING or t.overdue]
    cols = [
        Column("任务编号", 8, lambda t: t.task.id, "center"),
        Column("工作任务", 20, lambda t: task_title(t.task.name, t.task.content)),
        Column("具体工作内容", 40, lambda t: t.task.content),
        Column("完成时限", 10, lambda t: t.task.deadline_in(cons.period.year), "center"),
        _task_status_column(cons, s),
        Column("是否超期", 7, overdue_word, "center"),
        Column("牵头单位", 22, lambda t: cons.master.display_units(t.task.id, LEAD)),
        Column("牵头单位状态", 26, lambda t: lead_states_text(t.lead_states, cons.said)),
        Column("存在问题", 40, lambda t: t.problems, too_long=SEE_DETAILS),
    ]
    _table(book, "滞后超期", (_named(cons), f"滞后及超期任务（{cons.period.label}）"), subtitle,
           used_columns(cols, cons, s), items, s, cons.task_words, empty="本期无滞后或超期任务。")


def _issues(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    cols = [
        Column("单位", 18, lambda i: i["unit"]),
        Column("文件", 30, lambda i: i["file"]),
        Column("工作表", 10, lambda i: i["sheet"], "center"),
        Column("单元格", 8, lambda i: i["cell"], "center"),
        Column("代码", 7, lambda i: i["code"], "center"),
        Column("级别", 6, lambda i: i["severity"], "status"),
        Column("说明", 70, lambda i: i["message"]),
        Column("处理结果", 9, lambda i: i["outcome"], "center"),
    ]
    _table(book, "校验问题", (_named(cons), f"校验问题（{cons.period.label}）"), subtitle, cols,
           sorted(cons.issues, key=issue_rank), s, tuple(Severity),
           empty="本期收到的报送未发现校验问题。" if cons.receipts else "本期尚未收到报送文件。")


#: 校验问题's order: what sent a return back, then other errors (a file unreadable), warnings,
#: and last the W604 said once per unit and overdue task (161 of a 171-row sheet, the 7 errors
#: that refused returns among them, sorted by unit: QA391). One row per Issue still: each its cell.
_OVERDUE_UNMARKED = "W604"


def issue_rank(issue: dict) -> int:
    """Where ``issue`` (a 校验问题 row, `set_aside.issue_rows`) goes in the sheet; the sort is
    stable, so each group keeps the units' order."""
    if issue["severity"] == Severity.ERROR:
        return 0 if issue["outcome"] == Outcome.RETURNED else 1
    return 3 if issue["code"] == _OVERDUE_UNMARKED else 2


def _history(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    periods = sorted(cons.history)
    cols = [Column("任务编号", 8, lambda t: t.id, "center"),
            Column("工作任务", 22, lambda t: task_title(t.name, t.content))]
    for p in periods:
        label = p.label
        # the month merged says its tasks as 任务汇总 does (`task_said`); earlier months as judged
        said = cons.task_said if p == cons.period else lambda _, word: word
        # the month on a line of its own: "2024年6月进度" in 8 characters broke as "2024年6" / "月进度"
        cols.append(Column(f"{label}\n状态", _status_width(cons, 10, s, tasks=p == cons.period),
                           lambda t, p=p, said=said: said(t.id, cons.history[p].get(t.id, ("", None))[0]), "status"))
        cols.append(Column(f"{label}\n进度", 10, lambda t, p=p: cons.history[p].get(t.id, ("", None))[1], "number"))
    _table(book, "历次进展", (_named(cons), "历次进展"), subtitle, worded(cols, cons), cons.master.tasks, s,
           cons.task_words)


def _receipts(book: Book, cons: Consolidation, s: Styles, subtitle: str) -> None:
    cols = [
        Column("序号", 6, lambda r: r.id, "center"),
        Column("原文件名", 30, lambda r: r.name),
        Column("来源", 44, lambda r: r.source),
        Column("报送时间", 16, lambda r: r.received_at[:16], "center"),
        Column("时间依据", 14, lambda r: r.received_how),
        Column("单位", 18, lambda r: r.unit or ""),
        Column("单位依据", 10, lambda r: evidence_word(r.identified_by)),
        Column("结果", 9, lambda r: r.outcome, "status"),
        Column("错误数", 7, lambda r: r.errors, "center"),
        Column("警告数", 7, lambda r: r.warnings, "center"),
        Column("归档文件", 36, lambda r: r.archive_path),
        Column("文件校验码（SHA-256）", 34, lambda r: r.sha256),  # two lines, not four: rows stay short
    ]
    _table(book, "收件登记", (_named(cons), f"收件登记（{cons.period.label}）"), subtitle, cols, cons.receipts, s,
           OUTCOMES, empty="本期尚未收到报送文件。")


def write_workbook(cons: Consolidation, path, style: dict[str, Any]):
    """Lay the consolidation out as the 汇总表 at ``path`` (atomic save)."""
    return atomic_write(path, build_summary_workbook(cons, style).save)
