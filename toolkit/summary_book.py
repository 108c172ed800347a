"""Layout of the consolidated workbook (汇总表): eight sheets an office can print and filter.

Written with openpyxl's write-only mode, which streams rows and keeps memory flat for a
province-sized month; every sheet is a title row, a subtitle, one header row and data.
The data rows of the big table sheets are serialised by `sheet_rows` and spliced in after
saving (`sheet_rows.inject_rows`): openpyxl's per-cell writer made a province's month take a
quarter of a minute.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .consolidate import Consolidation, TaskSummary
from .dates import cn_date
from .files import atomic_write
from .form_layout import unused_columns
from .returns import HEADER_OF
from .sheet_rows import Rows, inject_rows, table_rows
from .style import color
from .text import task_title
from .units import say_sections
from .vocab import (
    NOT_YET_DUE,
    OUTCOMES,
    TASK_STATUSES,
    UNIT_STATES,
    Role,
    Severity,
    Status,
    UnitState,
    evidence_word,
)
from .xlsx import (
    MAX_ROW_HEIGHT,
    cell_lines,
    cell_xml,
    fit_a4,
    height_of_lines,
    noting,
    one_line_chars,
    row_height,
    wo_cell,
)

LAGGING = Status.LAGGING
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
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        st = style["summary"]
        self.st = st
        #: how the book's own labels say 单位: 科室 in a bureau's own plan (`units.say_sections`)
        self.say = say
        self.title = Font(name=st["title_font"], size=st["title_size"], bold=True)
        self.subtitle = Font(name=st["font"], size=st["size"], color="595959")
        self.section = Font(name=st["header_font"], size=st["header_size"] + 1, bold=True)
        self.header = Font(name=st["header_font"], size=st["header_size"], bold=True)
        self.body = Font(name=st["font"], size=st["size"])
        self.red = Font(name=st["font"], size=st["size"], color="C00000", bold=True)
        self.header_fill = PatternFill("solid", fgColor=color(st["header_fill"], "D9E1F2"))
        thin = Side(style="thin", color="A6A6A6")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        # Top-aligned: a cell taller than Excel's 409 pt row limit then loses its last lines,
        # where centred text spilled over the rows above and below it.
        self.wrap = Alignment(vertical="top", wrap_text=True)
        self.left = Alignment(vertical="center")
        # One colour per status for cell fills and chart series alike (样式.toml).
        self.status_colours = {k: color(v, "FFFFFF") for k, v in st.get("status_fills", {}).items()}
        self.status_fills = {k: PatternFill("solid", fgColor=v, bgColor=v) for k, v in self.status_colours.items()}


def build_summary_workbook(cons: Consolidation, style: dict[str, Any], fast: bool = True):
    """(openpyxl write-only Workbook, rows to inject) for the consolidation.

    With ``fast`` the data rows of the table sheets are serialised by us, about twenty
    times faster than openpyxl's per-cell writer, and streamed into the saved file by
    `inject_rows`; without it openpyxl writes them. Both give the same workbook (tested).
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    s = Styles(style, say_sections if cons.of_sections else str)
    title = (s.st["title"] + s.st.get("subtitle", "")).format(
        project=cons.project, period=cons.period.label, unit="")
    subtitle = f"数据截至 {cons.as_of or '（尚无报送）'}；报送截止 {cn_date(cons.due)}"
    if own := cons.own_dues_text(cn_date):
        subtitle += f"（{s.say(own)}，按其填报表上的截止日期）"
    if cons.basis:  # a past month merged again after 责任分工 or 任务清单 was edited
        subtitle += f"；{cons.basis.heading()}"
    if cons.waiting:  # the book is forwarded: the day its 尚未截止 was true on goes with it
        subtitle += f"；{NOT_YET_DUE}按{cn_date(cons.today)}计"
    pending: Rows = {}
    _overview(wb, cons, s, title, subtitle, pending if fast else None)
    for build in (_tasks, _details, _units, _lagging, _issues, _history, _receipts):
        build(wb, cons, s, subtitle, pending if fast else None)
    return wb, pending


# ---------------------------------------------------------------------------
# generic table sheet


def _table(wb, name: str, title: tuple[str, str], subtitle: str, columns: list[Column], items: list[Any],
           s: Styles, status_values: tuple[str, ...] = (), pending: Rows | None = None,
           landscape: bool = True):
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    columns = [replace(c, header=s.say(c.header), too_long=s.say(c.too_long)) for c in columns]
    columns = [replace(c, get=noting(c.get, c.width, s.st["size"], c.too_long, ROW_SLACK)) if c.too_long else c
               for c in columns]
    ws = wb.create_sheet(name)
    n = len(columns)
    last = get_column_letter(n)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    # Write-only sheets emit views and sheet properties with the first row: set them now.
    ws.freeze_panes = "B4" if n > 6 else "A4"
    _print_setup(ws, landscape)
    title_text = sheet_title(*title, sum(c.width for c in columns), s.st["title_size"])
    ws.row_dimensions[1].height = title_height(title_text, sum(c.width for c in columns), s.st["title_size"])
    ws.append([wo_cell(ws, title_text, font=s.title, alignment=s.center)])
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.row_dimensions[2].height = row_height([(subtitle, sum(c.width for c in columns))], s.st["size"], 16)
    ws.append([wo_cell(ws, subtitle, font=s.subtitle, alignment=s.wrap)])
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    ws.row_dimensions[3].height = 30
    ws.append([wo_cell(ws, c.header, font=s.header, fill=s.header_fill, alignment=s.center, border=s.border)
               for c in columns])
    widths = [c.width for c in columns]
    formats = [{"percent": "0.0%", "number": "0.0", "date": "yyyy-mm-dd"}.get(c.kind) for c in columns]
    aligns = [s.wrap if c.kind == "text" else s.center for c in columns]
    overdue_col = {i for i, c in enumerate(columns) if c.header == "是否超期"}
    status_col = {i for i, c in enumerate(columns) if c.kind == "status"}
    letters = [get_column_letter(i) for i in range(1, n + 1)]
    style_ids: dict[tuple[int, bool, Any], int] = {}

    def style_args(i: int, value: Any) -> dict[str, Any]:
        red = i in overdue_col and value == "是"
        # Status cells are filled directly (every viewer shows it); the conditional rules
        # below only re-colour a status someone edits by hand.
        fill = s.status_fills.get(value) if i in status_col and isinstance(value, str) else None
        return {"font": s.red if red else s.body, "fill": fill, "alignment": aligns[i], "border": s.border,
                "number_format": formats[i]}

    def key(i: int, value: Any) -> tuple[int, bool, Any]:
        return (i, i in overdue_col and value == "是", value if i in status_col and value in s.status_fills else None)

    def style_id(i: int, value: Any) -> int:
        k = key(i, value)
        sid = style_ids.get(k)
        if sid is None:
            sid = style_ids[k] = wo_cell(ws, None, **style_args(i, value)).style_id
        return sid

    size = s.st["size"]

    def height(lines: int) -> float:
        # A little taller than estimated: LibreOffice's CJK serif has taller lines than
        # SimSun, and a long 各单位进展 cell then spilled over the row below.
        return min(MAX_ROW_HEIGHT, round(height_of_lines(lines, size, 16) * ROW_SLACK, 1))

    if pending is not None:
        # Styles go into styles.xml when the workbook is saved, before the rows are written:
        # register them now, in the order the cells use them (the cell-by-cell order of the
        # slow path, so both give the same styles.xml). Only the status and 是否超期 values
        # choose a style; the other columns are not evaluated here.
        special = sorted(overdue_col | status_col)
        for j, item in enumerate(items):
            # after the first row only the value-dependent columns can bring a new style
            for i in special if j else range(n):
                style_id(i, columns[i].get(item) if i in special else None)

        # A column's style depends on its value only for the status and 是否超期 columns;
        # looking the others up per cell was 0.2 s of a 1,000-return merge (W2 profile).
        fixed = [None if i in special or not items else style_ids[key(i, None)] for i in range(n)]

        def style_of(i: int, v: Any) -> int:
            return style_ids[key(i, v)] if fixed[i] is None else fixed[i]

        pending[name] = table_rows(items, [c.get for c in columns], letters, widths, size, style_of, height)
    else:  # openpyxl's writer, cell by cell: what `table_rows` is tested against
        measured = [(w, one_line_chars(w, size)) for w in widths]

        def lines_of(v: Any, w: float, fits: int) -> int:
            return cell_lines(v, w, size) if isinstance(v, str) and (len(v) > fits or "\n" in v) else 1

        for r, item in enumerate(items, start=4):
            values = [c.get(item) for c in columns]
            cells = [wo_cell(ws, "" if v is None else v, **style_args(i, v)) for i, v in enumerate(values)]
            ws.row_dimensions[r].height = height(max(lines_of(v, *m) for v, m in zip(values, measured)))
            ws.append(cells)
    end = 3 + max(len(items), 1)
    ws.auto_filter.ref = f"A3:{last}{end}"
    ws.print_title_rows = "3:3"
    for i, col in enumerate(columns, start=1):
        if col.kind != "status":
            continue
        letter = get_column_letter(i)
        for value in status_values:
            fill = s.status_fills.get(value)
            if fill is not None:
                ws.conditional_formatting.add(
                    f"{letter}4:{letter}{end}",
                    CellIsRule(operator="equal", formula=[f'"{value}"'], fill=fill))
    return ws


def _print_setup(ws, landscape: bool = True) -> None:
    fit_a4(ws, landscape, numbered=True)
    # The footer needs its own strip above the bottom margin, or its page numbers are cut.
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.65
    ws.page_margins.header, ws.page_margins.footer = 0.2, 0.25


def title_height(title: str, width: float, size: float) -> float:
    """Row height (points) showing a merged title across ``width`` characters in full."""
    from .text import display_width  # deferred with the rest of the sheet-building imports

    lines = sum(max(1, math.ceil(display_width(part) * size / 11 * 1.1 / max(width - 1, 1)))
                for part in title.split("\n"))
    return round(lines * size * 1.45 + 10, 1)


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
CHART_COL = 8  # column I, 0-based
CHART_WIDTH_CM = 14.0


def _overview(wb, cons: Consolidation, s: Styles, title: str, subtitle: str, pending: Rows | None = None) -> None:
    """Key figures in four small tables (A:G), each with its chart beside it in column I.

    The per-unit table starts on a page of its own so that its chart, sized to one printed
    page for a city's units, is not cut by a page break. Its rows, one per unit and the
    sheet's last, are serialised by us with ``pending`` (1,000 units: 0.15 s through
    openpyxl's per-cell writer).
    """
    from openpyxl.chart import Reference
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.pagebreak import Break

    from . import summary_charts as charts  # deferred: it imports openpyxl's chart modules

    ws = wb.create_sheet("总览")
    # 报送状态 (F, 四) holds 未报送（尚未截止） on one line: its fixed-height rows cut a second
    widths = (30, 11, 11, 11, 11, _status_width(cons, 11, s), 11)
    for letter, width in zip("ABCDEFG", widths):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    _print_setup(ws, landscape=True)
    font, colours = s.st["font"], s.status_colours
    row_no = [0]

    def cell_style(i: int, v: Any, kind: str, status: str | None, n: int) -> dict[str, Any]:
        fmt = "0.0%" if isinstance(v, float) and kind == "pct" and i == 2 else (
            "0.0" if isinstance(v, float) else None)
        coloured = i == (n - 1 if kind == "units" else 0)
        fill = s.status_fills.get(status) if status and coloured else None
        return {"font": s.body, "border": s.border, "fill": fill, "alignment": s.left if i == 0 else s.center,
                "number_format": fmt}

    def add(values: list, kind: str = "body", status: str | None = None) -> int:
        """Append a row; ``status`` colours the label cell (or a units row's 报送状态)."""
        cells = []
        for i, v in enumerate(values):
            if isinstance(v, str) and (kind in ("section", "header") or (kind == "pct" and i == 0)):
                v = s.say(v)  # the labels, never a unit's or a task's name
            if kind == "title":
                cells.append(wo_cell(ws, v, font=s.title, alignment=s.center))
            elif kind == "subtitle":
                cells.append(wo_cell(ws, v, font=s.subtitle, alignment=s.left))
            elif kind == "section":
                cells.append(wo_cell(ws, v, font=s.section, alignment=s.left))
            elif kind == "header":
                cells.append(wo_cell(ws, v, font=s.header, fill=s.status_fills.get(v, s.header_fill),
                                     alignment=s.center, border=s.border))
            else:
                cells.append(wo_cell(ws, v, **cell_style(i, v, kind, status, len(values))))
        row_no[0] += 1
        if row_no[0] > 1:
            ws.row_dimensions[row_no[0]].height = OVERVIEW_ROW_PT
        ws.append(cells)
        return row_no[0]

    # The title spans the tables only: columns under the charts differ in width between
    # Excel and LibreOffice, and a wider merge shrinks the printed page.
    last = "G"
    ws.row_dimensions[1].height = title_height(title, sum(widths), s.st["title_size"])
    add([title], "title")
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    add([subtitle], "subtitle")
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    add([])
    tc, total = cons.task_counts(), len(cons.tasks)
    first_section = add(["一、任务进展"], "section")
    add(["指标", "任务数", "占比"], "header")
    first_status = row_no[0] + 1
    add(["任务总数", total, 1.0 if total else 0.0], "pct")
    for status in TASK_STATUSES:
        add([status, tc[status], _pct(tc[status], total)], "pct", status)
    last_status = row_no[0]
    add(["超期未完成（完成时限已过）", len(cons.overdue), _pct(len(cons.overdue), total)], "pct")
    add([])
    uc, units = cons.unit_counts(), cons.owing
    add(["二、报送情况"], "section")
    add(["指标", "单位数", "占比"], "header")
    add(["应报单位", units, 1.0 if units else 0.0], "pct")
    for state, label in zip(UNIT_STATES, ("按时报送", "逾期报送", "尚未报送", "退回待改")):
        # 未报送 before a deadline: those past it and those not yet due apart (`missing_counts`)
        for said, n in cons.missing_counts(label) if state == UnitState.NOT_REPORTED else [(label, uc[state])]:
            add([said, n, _pct(n, units)], "pct", NOT_YET_DUE if said == NOT_YET_DUE else state)
    if cons.exempt:  # beside 应报, not of it: every task reported 已完成 before, no form issued
        add(["本期免报（不计入应报）", len(cons.exempt), ""], "pct", UnitState.EXEMPT)
    pie_rows = row_no[0] - first_section + 1
    add([])
    # a table without 一级任务 (大竹, 崇川) has one row: all its tasks, not "（未分类）"
    grouped = cons.grouped
    level_section = add(["三、各一级任务进展（任务数）" if grouped else "三、任务进展（任务数）"], "section")
    level_header = add(["一级任务", *TASK_STATUSES, "合计"], "header")
    levels = cons.by_level1()
    for level1, counts in levels:
        add([level1 if grouped else "全部任务", *[counts[k] for k in TASK_STATUSES], sum(counts.values())])
    level_last = row_no[0]
    level_cm = max(charts.level_chart_height(len(levels)), (level_last - level_section + 1) * ROW_CM)
    # Blank rows until the level chart ends, then a page break: 四 starts a fresh page.
    while (row_no[0] - level_section + 1) * ROW_CM < level_cm + 0.3:
        add([])
    ws.row_breaks.append(Break(id=row_no[0]))
    unit_section = add(["四、各单位完成情况"], "section")
    unit_header = add(["单位", "应报任务数", "已完成数", "滞后数", "平均进度(%)", "报送状态"], "header")
    unit_rows = [([u.unit, u.tasks, u.done, u.lagging, u.avg_progress if u.avg_progress is not None else "",
                   said], said) for u in cons.units for said in [cons.said(u.unit, u.state)]]
    if pending is None:
        for values, state in unit_rows:
            add(values, "units", state)
    else:
        # Styles register in the order the cells use them, as `add` would (same styles.xml).
        sids: dict[tuple, int] = {}
        ids = []
        for values, state in unit_rows:
            row_ids = []
            for i, v in enumerate(values):
                k = (i, type(v) is float, state)
                if k not in sids:
                    sids[k] = wo_cell(ws, None, **cell_style(i, v, "units", state, len(values))).style_id
                row_ids.append(sids[k])
            ids.append(row_ids)
        first_unit, letters = row_no[0] + 1, "ABCDEF"

        def rows() -> Iterator[str]:
            for r, ((values, _), row_ids) in enumerate(zip(unit_rows, ids), start=first_unit):
                row = str(r)
                cells = "".join(cell_xml(letters[i] + row, v, row_ids[i]) for i, v in enumerate(values))
                yield f'<row r="{r}" ht="{OVERVIEW_ROW_PT}" customHeight="1">{cells}</row>'

        pending["总览"] = rows
        row_no[0] += len(unit_rows)
    unit_last = row_no[0]
    ws.print_title_rows = f"{unit_header}:{unit_header}"

    pie = charts.status_pie(ws, Reference(ws, min_col=2, min_row=first_status + 1, max_row=last_status),
                            Reference(ws, min_col=1, min_row=first_status + 1, max_row=last_status),
                            TASK_STATUSES, colours, font)
    charts.anchor(ws, pie, CHART_COL, first_section - 1, CHART_WIDTH_CM, pie_rows * ROW_CM - 0.2)
    top = max((sum(c.values()) for _, c in levels), default=1)
    bar = charts.level_bars(
        ws, Reference(ws, min_col=2, max_col=1 + len(TASK_STATUSES), min_row=level_header, max_row=level_last),
        Reference(ws, min_col=1, min_row=level_header + 1, max_row=level_last), TASK_STATUSES, colours, font, top,
        "各一级任务进展" if grouped else "任务进展")
    charts.anchor(ws, bar, CHART_COL, level_section - 1, CHART_WIDTH_CM, level_cm)
    units_bar = charts.unit_bars(ws, Reference(ws, min_col=5, min_row=unit_header, max_row=unit_last),
                                 Reference(ws, min_col=1, min_row=unit_header + 1, max_row=unit_last),
                                 len(cons.units), color(s.st.get("progress_fill"), "5B6F8C"), font, s.say)
    charts.anchor(ws, units_bar, CHART_COL, unit_section - 1, CHART_WIDTH_CM,
                  math.floor(charts.unit_chart_height(len(cons.units)) * 10) / 10)


def used_columns(columns: list[Column], cons: Consolidation) -> list[Column]:
    """``columns`` without the 一级任务, 二级任务 and 完成时限 no task of the table has
    (`unused_columns`), which would print empty; 工作任务 stays, a task's text standing in for
    its name."""
    empty = {HEADER_OF[f] for f in unused_columns(cons.master) if f != "name"}
    return [c for c in columns if c.header not in empty]


def _tasks(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
    master = cons.master
    cols = [
        Column("任务编号", 8, lambda t: t.task.id, "center"),
        Column("一级任务", 14, lambda t: t.task.level1),
        Column("二级任务", 16, lambda t: t.task.level2),
        Column("工作任务", 18, lambda t: task_title(t.task.name, t.task.content)),
        Column("完成时限", 10, lambda t: t.task.deadline_in(cons.period.year), "center"),
        Column("牵头单位", 20, lambda t: master.display_units(t.task.id, LEAD)),
        Column("配合单位", 16, lambda t: master.display_units(t.task.id, Role.COOP)),
        Column("综合状态", 9, lambda t: t.status, "status"),
        Column("平均进度(%)" if any(len(t.leads) > 1 for t in cons.tasks) else "进度(%)", 9,  # one lead: its own
               lambda t: t.avg_progress, "number"),
        Column("是否超期", 7, overdue_word, "center"),
        Column("各单位进展", 60, lambda t: t.progress_text, too_long=SEE_DETAILS),
        Column("存在问题", 30, lambda t: t.problems, too_long=SEE_DETAILS),
        Column("未报送单位", 24, lambda t: t.missing_text(cons.waiting)),
    ]
    _table(wb, "任务汇总", (cons.project, f"任务汇总（{cons.period.label}）"), subtitle, used_columns(cols, cons),
           cons.tasks, s, TASK_STATUSES, pending)


def _details(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
    cols = [
        Column("任务编号", 8, lambda d: d["task"], "center"),
        Column("一级任务", 14, lambda d: d["level1"]),
        Column("工作任务", 18, lambda d: d["name"]),
        Column("完成时限", 10, lambda d: d["deadline"], "center"),
        Column("单位", 16, lambda d: d["unit"]),
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
    _table(wb, "单位明细", (cons.project, f"单位明细（{cons.period.label}）"), subtitle, used_columns(cols, cons),
           cons.details, s, TASK_STATUSES + _waiting(cons), pending)


def _units(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
    cols = [
        Column("单位", 22, lambda u: u.unit),
        Column("类别", 9, lambda u: u.kind, "center"),
        Column("应报任务数", 9, lambda u: u.tasks, "center"),
        Column("报送状态", _status_width(cons, 10, s), lambda u: cons.said(u.unit, u.state), "status"),
        Column("报送时间", 16, lambda u: u.received_at, "center"),
        Column("报送文件", 34, lambda u: u.file_text),
        Column("错误数", 7, lambda u: u.errors, "center"),
        Column("警告数", 7, lambda u: u.warnings, "center"),
        Column("已完成数", 8, lambda u: u.done, "center"),
        Column("滞后数", 7, lambda u: u.lagging, "center"),
        Column("平均进度(%)", 9, lambda u: u.avg_progress, "number"),
    ]
    _table(wb, "报送情况", (cons.project, f"报送情况（{cons.period.label}）"), subtitle, cols, cons.units, s,
           UNIT_STATES + _waiting(cons), pending)


def _status_width(cons: Consolidation, width: float, s: Styles) -> float:
    """A status column wide enough for `NOT_YET_DUE` on one line while some unit is said so (on
    two, every row of 报送情况 and 单位明细 doubled in height: 41 printed pages became 51);
    ``width`` otherwise, as before the word came."""
    if not cons.waiting:
        return width
    while cell_lines(NOT_YET_DUE, width, s.st["size"]) > 1:
        width += 1
    return width + 1  # LibreOffice's CJK serif is a little wider than SimSun


def _waiting(cons: Consolidation) -> tuple[str, ...]:
    """`NOT_YET_DUE` among a status column's words while some unit is not yet due; after every
    deadline the book is as it was before the word came."""
    return (NOT_YET_DUE,) if cons.waiting else ()


def overdue_word(t: TaskSummary) -> str:
    """是否超期 in 任务汇总 and 滞后超期 alike: 长期 for an ongoing task (长期开展, 持续推进),
    which 滞后超期 gave as 否 beside 任务汇总's 长期."""
    return "长期" if t.task.ongoing else ("是" if t.overdue else "否")


def _lagging(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
    items = [t for t in cons.tasks if t.status == LAGGING or t.overdue]
    cols = [
        Column("任务编号", 8, lambda t: t.task.id, "center"),
        Column("工作任务", 20, lambda t: task_title(t.task.name, t.task.content)),
        Column("具体工作内容", 40, lambda t: t.task.content),
        Column("完成时限", 10, lambda t: t.task.deadline_in(cons.period.year), "center"),
        Column("综合状态", 9, lambda t: t.status, "status"),
        Column("是否超期", 7, overdue_word, "center"),
        Column("牵头单位", 22, lambda t: cons.master.display_units(t.task.id, LEAD)),
        Column("牵头单位状态", 26, lambda t: "；".join(
            f"{u}：{cons.said(u, st)}" for u, st in t.lead_states.items() if st != Status.DONE)),
        Column("存在问题", 40, lambda t: t.problems, too_long=SEE_DETAILS),
    ]
    _table(wb, "滞后超期", (cons.project, f"滞后及超期任务（{cons.period.label}）"), subtitle, cols, items, s,
           TASK_STATUSES, pending)


def _issues(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
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
    _table(wb, "校验问题", (cons.project, f"校验问题（{cons.period.label}）"), subtitle, cols, cons.issues, s,
           tuple(Severity), pending)


def _history(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
    periods = sorted(cons.history)
    cols = [Column("任务编号", 8, lambda t: t.id, "center"),
            Column("工作任务", 22, lambda t: task_title(t.name, t.content))]
    for p in periods:
        label = p.label
        # the month on a line of its own: "2024年6月进度" in 8 characters broke as "2024年6" / "月进度"
        cols.append(Column(f"{label}\n状态", 10, lambda t, p=p: cons.history[p].get(t.id, ("", None))[0], "status"))
        cols.append(Column(f"{label}\n进度", 10, lambda t, p=p: cons.history[p].get(t.id, ("", None))[1], "number"))
    _table(wb, "历次进展", (cons.project, "历次进展"), subtitle, cols, cons.master.tasks, s, TASK_STATUSES, pending)


def _receipts(wb, cons: Consolidation, s: Styles, subtitle: str, pending: Rows | None) -> None:
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
        Column("sha256", 34, lambda r: r.sha256),  # two lines, not four: rows stay short
    ]
    _table(wb, "收件登记", (cons.project, f"收件登记（{cons.period.label}）"), subtitle, cols, cons.receipts, s,
           OUTCOMES, pending)


def write_workbook(cons: Consolidation, path, style: dict[str, Any], fast: bool = True):
    """Lay the consolidation out as the 汇总表 at ``path`` (write-only openpyxl, atomic save)."""

    def write(tmp) -> None:
        wb, pending = build_summary_workbook(cons, style, fast)
        wb.save(tmp)
        inject_rows(tmp, pending)

    return atomic_write(path, write)
