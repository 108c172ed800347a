"""The return workbook (进展填报表, schema ``duban.return/1``): writing it and reading it back.

Writing follows the contract in docs/design.md exactly. Reading tolerates what departments do to
a workbook (moved or renamed columns, extra rows, renamed sheets, .xls/.ods, values typed
as text) and reports what it could not tolerate as ``ReadFailure`` (unreadable file) or
as the structure issues E105/E301/W302. Cell values are returned raw; `checks` judges them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from .column_changes import column_changes
from .dates import cn_date, excel_serial
from .form_guide import GUIDE_SHEET, NOTHING_DUE, fit_rows, write_guide  # noqa: F401 (the contract's names)
from .form_layout import OPTIONAL_FIELDS, HeaderLayout, box, fitted_widths, lay_out, unused_columns
from .master import Master, text_hash
from .merged_rows import Merge, ods_merges, read_merges
from .period import Period
from .rectification import FORM_HEADERS, FORM_WIDTHS, KIND, is_rectification, memo_project, words_of
from .report import Issue, make_issue
from .settings import Limits
from .spreadsheet import ReadFailure, is_panic, native_stderr_silenced, open_spreadsheet, short_reason
from .style import color
from .text import clean, column_letter, key, name_part, short_key
from .vocab import REPORTABLE
from .xlsx import fit_a4, row_height, set_text, style_cell

SCHEMA = "duban.return/1"
SHEET = "进展填报"
META_SHEET = "_meta"

# (field, header as issued, editable). Order is the contract's column order.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("task", "任务编号", False),
    ("level1", "一级任务", False),
    ("level2", "二级任务", False),
    ("name", "工作任务", False),
    ("content", "具体工作内容", False),
    ("deadline", "完成时限", False),
    ("role", "责任类型", False),
    ("status", "完成状态", True),
    ("progress", "完成进度(%)", True),
    ("work", "工作进展", True),
    ("problems", "存在问题", True),
    ("next_plan", "下一步计划", True),
    ("eta", "预计完成时间", True),
    ("evidence", "佐证材料", True),
)
HEADERS = tuple(h for _, h, _ in COLUMNS)
HEADER_OF = {f: h for f, h, _ in COLUMNS}
#: The headers a 整改清单's form prints (`rectification`): made once, not per row checked.
RECTIFIED_HEADER_OF = {**HEADER_OF, **FORM_HEADERS}


def form_headers(master: Master) -> dict[str, str]:
    """Field -> header of ``master``'s forms: the contract's (`HEADER_OF`), or a 整改清单's."""
    return RECTIFIED_HEADER_OF if is_rectification(master) else HEADER_OF
EDITABLE = tuple(f for f, _, e in COLUMNS if e)
MASTER_FIELDS = ("level1", "level2", "name", "content", "deadline")
REQUIRED = ("task", *EDITABLE)
TEXT_FIELDS = ("work", "problems", "next_plan", "evidence")
# Rows 2-3 of an issued return: label -> (label cell, value cell, last cell of the merged value).
# A table leaving some of 一级任务/二级任务/工作任务 empty hides those columns and lays these rows
# out in the columns left to see (`form_layout.lay_out`); this is its layout with none hidden.
INFO_CELLS = lay_out().info
CONTACT_CELLS = lay_out().contact
INFO_LABELS = tuple(INFO_CELLS)
CONTACT_LABELS = tuple(CONTACT_CELLS)
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1

# Header variants departments produce, matched after key(): NFKC, no spaces, lower case.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "task": ("任务编号", "编号", "任务序号", "序号", "任务id", "任务号"),
    "level1": ("一级任务", "一级任务名称", "一级", "问题类别"),
    "level2": ("二级任务", "二级任务名称", "二级", "问题子类"),
    "name": ("工作任务", "三级任务", "工作任务名称", "任务名称"),
    "content": ("具体工作内容", "工作内容", "具体内容", "整改措施"),
    "deadline": ("完成时限", "时限", "完成期限", "整改时限"),
    "role": ("责任类型", "责任分工", "牵头配合", "牵头/配合"),
    "status": ("完成状态", "状态", "进展状态", "完成情况", "推进状态"),
    "progress": ("完成进度", "进度", "完成比例", "完成率", "完成百分比"),
    "work": ("工作进展", "进展情况", "工作进展情况", "本期进展", "进展", "工作开展情况", "整改进展",
             "整改进展情况"),
    "problems": ("存在问题", "存在的问题", "问题", "困难问题", "存在困难"),
    "next_plan": ("下一步计划", "下步计划", "下一步工作计划", "下一步工作", "下步工作"),
    "eta": ("预计完成时间", "预计完成日期", "计划完成时间", "预计完成"),
    "evidence": ("佐证材料", "佐证", "证明材料", "佐证资料", "附件"),
}


def _header_key(label: object) -> str:
    k = key(label)
    k = re.sub(r"[(（\[【]?(%|％|百分比)[)）\]】]?", "", k)
    return k.strip("*★:：")


# Each label's field, and how closely it names it: 0 for the form's own header, then each
# synonym in turn. Two columns may name one field: a department's own 序号 column (1, 2, 3 …)
# put in front of 任务编号 was taken for the task ids, and an honest return was refused (E401).
_FIELD_BY_KEY = {_header_key(s): (f, rank) for f, syns in _SYNONYMS.items() for rank, s in enumerate(syns)}


@lru_cache(maxsize=4096)
def _field_of_text(label: str) -> tuple[str, int] | None:
    return _FIELD_BY_KEY.get(_header_key(label))


def header_layout(master: Master, two_legends: bool = False) -> HeaderLayout:
    """Rows 2-3 of ``master``'s forms, and the columns they hide: those of 一级任务, 二级任务,
    工作任务 and 完成时限 no task of the table has (`form_layout.unused_columns`)."""
    unused = unused_columns(master)
    return lay_out([c for c, (f, _, _) in enumerate(COLUMNS, start=1) if f in unused], two_legends)


def return_filename(period: Period, unit: str) -> str:
    """``2022年6月_市公安局_进展填报表.xlsx``; a name Windows forbids in a file name is
    written as `name_part` makes it (市委宣传部/市新闻办 -> 市委宣传部／市新闻办)."""
    return f"{period.label}_{name_part(unit)}_进展填报表.xlsx"


# ---------------------------------------------------------------------------
# Writing


@dataclass
class Prefill:
    """Last accepted values for one task, to start a row from (``issue --prefill``)."""

    status: str = ""
    progress: int | None = None
    work: str = ""
    problems: str = ""
    next_plan: str = ""
    eta: dt.date | None = None
    evidence: str = ""


def eta_example_of(period: Period) -> dt.date:
    """The 预计完成时间 a form and its E505 reply give as an example: mid next month."""
    return period.end + dt.timedelta(days=15)


def build_return(master: Master, unit: str, period: Period, due: dt.date, project: str,
                 style: dict[str, Any], organiser: str = "", contact: str = "",
                 prefill: dict[str, Prefill] | None = None, generated_at: dt.datetime | None = None,
                 max_text: int = 2000):
    """The openpyxl Workbook of one unit's return for ``period``; ``max_text`` is the
    workspace's ``max_text_chars``, which the form's text cells announce and enforce."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation


    st = style["return"]
    tasks = master.tasks_of(unit)
    prefill = prefill or {}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body_font = Font(name=st["font"], size=st["size"])
    bold_font = Font(name=st["header_font"], size=st["header_size"], bold=True)
    locked_fill = PatternFill("solid", fgColor=color(st["locked_fill"], "D9D9D9"))
    input_fill = PatternFill("solid", fgColor=color(st["input_fill"], "FFFFFF"))
    due_fill = PatternFill("solid", fgColor=color(st["due_fill"], "FCE4D6"))
    wrap_top = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    unlocked = Protection(locked=False)
    # a 整改清单's form says its own words (`rectification`): 存在问题 | 整改措施 | 整改时限 …
    rectify, heads = is_rectification(master), form_headers(master)
    shown_project = memo_project(project) if rectify else project  # …问题整改进展填报表
    fmt = {"project": shown_project, "period": period.label, "unit": unit}

    # Row 1: title. Rows 2-3: who, which period, until when; contact inputs.
    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], (st["title"] + st.get("subtitle", "")).format(**fmt))
    style_cell(ws["A1"], font=Font(name=st["title_font"], size=st["title_size"], bold=True), alignment=center)
    ws.row_dimensions[1].height = 36
    info_values = {"填报单位": unit, "填报期": period.label, "报送截止": cn_date(due)}
    middle = Alignment(vertical="center")
    # Row 2's legends. The due one names the orange rows; with none, it would point at nothing:
    # it then says that none is due, or nothing for a unit whose tasks give no 完成时限.
    # Prefilled cells are visibly last month's text: a legend next to the due one (row 3's
    # free cells would be read as the 填报日期 value), the cells in the same fill.
    legend_size = st["size"] - 1
    prefill_fill = PatternFill("solid", fgColor=color(st.get("prefill_fill"), "FFF2CC"))
    any_due = any(t.due_by(period.end) for t, _ in tasks)
    # a 整改清单's legend is its own in 样式.toml (rectification_due_legend: 整改时限 … 的问题)
    words = words_of(master)
    due_legend = (st.get(words.due_legend, "") if any_due else
                  words.nothing_due if any(t.dated for t, _ in tasks) else "")
    prefilled = any(prefill.get(t.id) for t, _ in tasks)
    legends = [(text, font, fill) for text, font, fill in (
        (due_legend, Font(name=st["font"], size=legend_size, color="C65911"), due_fill if any_due else None),
        (st.get("prefill_legend", "") if prefilled else "",
         Font(name=st["font"], size=legend_size, bold=True, color="7F6000"), prefill_fill)) if text]
    layout = header_layout(master, two_legends=len(legends) == 2)
    # a 整改清单's problem is a sentence or two, not a task's short name: its column is wider
    widths = {**st.get("widths", {}), **({HEADER_OF[f]: w for f, w in FORM_WIDTHS.items()} if rectify else {})}
    # a category or a deadline on one line where it can (2024年7月底前 went over three)
    widths = fitted_widths(widths, (t for t, _ in tasks), period.year, st)
    shown = {c: 0.0 if c in layout.hidden else float(widths.get(h, 12)) for c, h in enumerate(HEADERS, start=1)}

    def labelled(label: str, label_ref: str, value_ref: str, end_ref: str):
        """The label in its cell; its value's cell, merged to ``end_ref``."""
        set_text(ws[label_ref], label)
        style_cell(ws[label_ref], font=bold_font, alignment=center)
        if end_ref != value_ref:
            ws.merge_cells(f"{value_ref}:{end_ref}")
        return ws[value_ref]

    for label, refs in layout.info.items():
        value = labelled(label, *refs)
        set_text(value, info_values[label])
        style_cell(value, font=body_font, alignment=middle)
    legend_widths = []
    for (start, end), (text, font, fill) in zip(layout.legends, legends):
        set_text(ws[start], text)
        if end != start:
            ws.merge_cells(f"{start}:{end}")
        style_cell(ws[start], font=font, fill=fill, alignment=Alignment(vertical="center", wrap_text=True))
        first, stop = ws[start].column, ws[end].column
        legend_widths.append((text, sum(shown[c] for c in range(first, stop + 1))))
    for label, refs in layout.contact.items():
        style_cell(labelled(label, *refs), font=body_font, fill=input_fill, protection=unlocked,
                   number_format="yyyy-mm-dd" if label == "填报日期" else None)
        box(ws, refs[1], refs[2], thin)
    # as tall as the legends need in the columns they got, never less than the row below
    ws.row_dimensions[2].height = row_height(legend_widths, legend_size, 22)
    ws.row_dimensions[3].height = 22

    # Row 4: headers. Rows 5+: one per task.
    header_fill = PatternFill("solid", fgColor=color(st["header_fill"], "D9E1F2"))
    for c, (f, header, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, c)
        set_text(cell, heads[f])
        style_cell(cell, font=bold_font, fill=header_fill, alignment=center, border=border)
        ws.column_dimensions[get_column_letter(c)].width = float(widths.get(header, 12))
        # hidden, not left out: the header row stays the contract's, read as every form is
        if c in layout.hidden:
            ws.column_dimensions[get_column_letter(c)].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 30

    due_font = Font(name=st["font"], size=st["size"], bold=True, color="C00000")
    formats = {"progress": "0", "eta": "yyyy-mm-dd"}
    for i, (task, role) in enumerate(tasks):
        r = FIRST_ROW + i
        due_now = task.due_by(period.end)
        values = [task.id, *task.printed_text(period.year), role]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c)
            set_text(cell, v)
            marked = due_now and c in (1, 6)
            style_cell(cell, font=due_font if marked else body_font, fill=due_fill if marked else locked_fill,
                       border=border, alignment=center if c in (1, 6, 7) else wrap_top)
        p = prefill.get(task.id)
        for c, f in enumerate(EDITABLE, start=len(values) + 1):
            cell = ws.cell(r, c)
            v = getattr(p, f) if p is not None else None
            style_cell(cell, font=body_font, fill=input_fill if v in (None, "") else prefill_fill,
                       border=border, protection=unlocked,
                       alignment=center if f in ("status", "progress", "eta") else wrap_top,
                       number_format=formats.get(f))
            if isinstance(v, str):
                if v:
                    set_text(cell, v)
            elif v is not None:
                cell.value = v

    # heights not marked custom: a department's long 工作进展 grows its row (QA124)
    fit_rows(ws, FIRST_ROW, FIRST_ROW + len(tasks) - 1, st["size"], custom=False)
    end = FIRST_ROW + max(len(tasks), 1) - 1
    col = {f: get_column_letter(i) for i, (f, _, _) in enumerate(COLUMNS, start=1)}

    def rng(f: str) -> str:
        return f"{col[f]}{FIRST_ROW}:{col[f]}{end}"

    eta_example = eta_example_of(period)  # a day of the form's own time, not a fixed 2022 one
    eta_first = dt.date(min(2020, period.year - 1), 1, 1)
    eta_last = dt.date(max(2035, period.year + 10), 12, 31)
    prompts = {
        "status": ("完成状态", "从下拉框选择：已完成 / 序时推进 / 滞后 / 未启动。"),
        "progress": ("完成进度", "填 0—100 的整数，如 80 表示完成 80%。已完成填 100。"),
        "work": (heads["work"], "必填。简述本期做了什么、取得什么成效，可写文号、数量。"),
        "problems": (heads["problems"], "状态为“滞后”时必填：说明原因和困难。"),
        "next_plan": ("下一步计划", "下一期的具体安排。"),
        "eta": ("预计完成时间", f"日期，如 {eta_example:%Y-%m-%d}。"),
        "evidence": ("佐证材料", "已完成的任务请填写文件文号、网址链接等。"),
    }
    validations = {
        "status": DataValidation(type="list", formula1='"' + ",".join(REPORTABLE) + '"',
                                 allow_blank=True, showDropDown=False),
        "progress": DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                                   allow_blank=True),
        # Serial numbers (every client reads plain numbers) from 2020-01-01, or the year before
        # the period's, to 2035-12-31, or ten years after it: 大竹's 2016 plan refused the
        # 2016-07-15 its own prompt gave as the example.
        "eta": DataValidation(type="date", operator="between", formula1=str(excel_serial(eta_first)),
                              formula2=str(excel_serial(eta_last)), allow_blank=True),
    }
    errors_ = {
        "status": "请从下拉框选择：已完成、序时推进、滞后、未启动。",
        "progress": "完成进度请填写 0 到 100 之间的整数。",
        "eta": f"请填写日期，如 {eta_example:%Y-%m-%d}。",
    }
    for f in EDITABLE:
        title, prompt = prompts[f]
        dv = validations.get(f) or DataValidation(type="textLength", operator="lessThanOrEqual",
                                                 formula1=str(max_text), allow_blank=True)
        dv.promptTitle, dv.prompt, dv.showInputMessage = title, prompt, True
        dv.errorTitle, dv.error = "填写有误", errors_.get(f, f"内容请控制在 {max_text} 字以内。")
        dv.showErrorMessage, dv.errorStyle = True, "stop"
        dv.add(rng(f))
        ws.add_data_validation(dv)
        # The same hint on the header, where a department looks first.
        head = DataValidation(allow_blank=True, showInputMessage=True)
        head.promptTitle, head.prompt = title, prompt
        head.add(f"{col[f]}{HEADER_ROW}")
        ws.add_data_validation(head)
    for label, (_, value_ref, _) in layout.contact.items():
        dv = DataValidation(allow_blank=True, showInputMessage=True)
        dv.promptTitle = label
        dv.prompt = {"填报人": "填写本表经办人姓名。", "联系电话": "经办人手机或办公电话。",
                     "审核人": "单位分管领导或科室负责人。",
                     "填报日期": f"如 {due - dt.timedelta(days=1):%Y-%m-%d}。"}[label]
        dv.add(value_ref)
        ws.add_data_validation(dv)

    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    fit_a4(ws, numbered=True)
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    # the 第 N 页 footer below the table's last row, not into it: at openpyxl's 0.5 it sat 0.1 inch
    # under the body and LibreOffice and WPS printed it cut in half
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.protection.sheet = True
    # Let departments resize rows and columns, filter and select; not delete rows or edit tasks.
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False
    ws.protection.autoFilter = False
    ws.sheet_view.zoomScale = 100

    write_guide(wb, unit, period, due, shown_project, organiser, contact, st, tasks, prefilled, heads, rectify)
    _write_meta(wb, master, unit, period, due, project, tasks, generated_at)
    wb.active = 0
    return wb


def _write_meta(wb, master, unit, period, due, project, tasks, generated_at) -> None:
    ws = wb.create_sheet(META_SHEET)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    rows: list[list[str]] = [
        ["schema", SCHEMA], ["project", project], ["department", unit],
        ["period", str(period)], ["due", due.isoformat()],
        ["master_fingerprint", master.fingerprint], ["generated_at", generated_at.isoformat()],
    ]
    rows += [["kind", master.kind]] if is_rectification(master) else []  # the reader's words (`rectification`)
    rows += [["task", t.id, role, text_hash(t.printed_text(period.year))] for t, role in tasks]
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            set_text(ws.cell(r, c), v)
    ws.column_dimensions["B"].width = 30
    # Plain hidden: LibreOffice turns veryHidden into hidden on save anyway.
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


@dataclass
class RawRow:
    """One data row as found in the file, values untouched."""

    row: int                      # 1-based sheet row
    values: dict[str, Any]        # field -> raw cell value
    letters: dict[str, str]       # field -> column letter (one dict for all rows of a return)

    def cell(self, fld: str) -> str:
        """A1 reference of ``fld``'s cell in this row, "" for a field the return lacks. Made
        when asked (an issue, the progress cell): fourteen references made for every row
        were half of `_read_rows` (callgrind, a W2 return: 385,000 → 198,000 instructions)."""
        letter = self.letters.get(fld)
        return f"{letter}{self.row}" if letter else ""


@dataclass
class RawReturn:
    """A return workbook as read: where things are and what they hold, not yet judged."""

    file: str
    kind: str
    sheet: str = ""
    header_row: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    meta_tasks: dict[str, tuple[str, str]] = field(default_factory=dict)
    labels: dict[str, Any] = field(default_factory=dict)
    label_cells: dict[str, str] = field(default_factory=dict)
    header_labels: dict[str, str] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: merges over more than one row of the table (`merged_rows`)
    merges: list[Merge] = field(default_factory=list)



def _sheet_rows(wb, name: str, limit: int, merges: list | None = None) -> tuple[list[list[Any]], int]:
    """Rows of a sheet from A1 (indexes are cell addresses), at most ``limit``; and how
    many used rows lie beyond the limit. ``merges`` is given the sheet's merged ranges
    (`merged_rows`; none for an .ods, whose calamine reports none)."""
    with native_stderr_silenced():
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False, nrows=limit)
        if merges is not None:
            merges.extend(sheet.merged_cell_ranges or ())
    used = sheet.end[0] + 1 if sheet.end else 0
    return rows, max(0, used - limit)


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row index, field -> column, field -> label as found) of the header row; of two
    columns naming one field, the closer name wins (任务编号 over 序号), else the first."""
    for r, row in enumerate(rows[:40]):
        found: dict[str, int] = {}
        labels: dict[str, str] = {}
        ranks: dict[str, int] = {}
        # each label read once, through the cache: 整改措施 among them makes 存在问题 the problem
        fields = [_field_of_text(v) if isinstance(v, str) and v else None for v in row]
        rectify = _MEASURES in fields
        for c, (v, named) in enumerate(zip(row, fields)):
            if rectify and named == ("problems", 0):  # 存在问题 beside 整改措施: the problem (QA322)
                named = ("name", 0)
            if named:
                f, rank = named
                if f not in found or rank < ranks[f]:
                    found[f], labels[f], ranks[f] = c, clean(v), rank
        if "task" in found and len(found) >= 3:
            return r, found, labels
    return None


def read_return(data: bytes, name: str, limits: Limits) -> RawReturn:
    """Read a return's structure and raw values. Raises ReadFailure for E101–E105."""
    with native_stderr_silenced():
        return _read_return(data, name, limits)


def _read_return(data: bytes, name: str, limits: Limits) -> RawReturn:
    wb, kind = open_spreadsheet(data, name, limits)
    raw = RawReturn(file=name, kind=kind)
    max_rows = limits.max_rows
    header_cells: list[Any] = []
    try:
        visible = []
        meta_name = None
        sheets = wb.sheets_metadata  # made anew at each use: read once
        for m in sheets:
            if short_key(m.name) == _META_KEY:
                meta_name = m.name
            elif "Visible" in str(m.visible) or kind == "ods":
                visible.append(m.name)
        if meta_name:
            meta_rows, _ = _sheet_rows(wb, meta_name, 2000)
            for row in meta_rows:
                # our own plain text: no need for the full cleaning of department input; only
                # the cells a row uses are made text (a task row: four, any other: two), a
                # text cell stripped here (`_meta_text`'s first case: 54 calls a W2 return)
                a, b, c, d = row[:4] if len(row) >= 4 else [*row, "", "", "", ""][:4]
                name = a.strip() if type(a) is str else _meta_text(a)
                if name == "task":
                    tid = b.strip() if type(b) is str else _meta_text(b)
                    if tid:
                        raw.meta_tasks[tid] = (c.strip() if type(c) is str else _meta_text(c),
                                               d.strip() if type(d) is str else _meta_text(d))
                        continue
                if name:
                    raw.meta[name] = b.strip() if type(b) is str else _meta_text(b)
        candidates = sorted(visible, key=lambda n: short_key(n) != _DATA_KEY)
        hidden_others = [m.name for m in sheets if m.name not in visible and m.name != meta_name]
        for sheet in candidates + hidden_others:
            merges: list = []
            rows, extra = _sheet_rows(wb, sheet, max_rows + 40, merges)
            found = _find_header(rows)
            if found is None:
                continue
            header_row, columns, labels = found
            raw.sheet, raw.header_row, raw.columns = sheet, header_row + 1, columns
            raw.header_labels = labels
            data_rows = rows[header_row + 1:]
            if len(data_rows) > max_rows or extra:
                raise ReadFailure("E104", detail=f"工作表超过 {max_rows} 行")
            _read_labels(raw, rows[:header_row])
            _read_rows(raw, rows, header_row)
            _read_percent_ones(raw, data, kind)
            # what the department saw in a merged cell, for each row it covers (QA290)
            read_merges(raw, ods_merges(data, sheet, len(rows)) if kind == "ods" else merges, form_headers_of(raw),
                        EDITABLE, task_id_text)
            header_cells = rows[header_row]
            break
    except ReadFailure:
        raise
    except BaseException as exc:  # a sheet calamine cannot decode (or panics on)
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        raise ReadFailure("E101", reason=short_reason(str(exc))) from exc
    if not raw.sheet:
        raise ReadFailure("E105")
    _column_issues(raw, header_cells)
    return raw


def _num_text(v: float) -> str:
    return str(int(v)) if v.is_integer() else repr(v)


def _meta_text(v: Any) -> str:
    """A _meta cell as text."""
    return v.strip() if isinstance(v, str) else _num_text(v) if isinstance(v, float) else str(v)


_META_KEY, _DATA_KEY = key(META_SHEET), key(SHEET)


_LABEL_KEYS = {key(x): x for x in (*INFO_LABELS, *CONTACT_LABELS)}


def _label_of(text: str) -> str | None:
    """The info or contact label a cell's text is (填报单位, 填报单位：), else None."""
    return _short_label(text) if len(text) <= 16 else _LABEL_KEYS.get(key(text).rstrip(":："))


@lru_cache(maxsize=4096)
def _short_label(text: str) -> str | None:
    # Remembered: rows 1-3 hold the same labels and mostly the same values in every return;
    # one lookup where a key, a strip and a dict lookup were (W2: 42 cells a return).
    return _LABEL_KEYS.get(short_key(text).rstrip(":："))


def _read_labels(raw: RawReturn, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v or len(v) > 12:
                continue
            label = _label_of(v)
            if not label or label in raw.labels:
                continue
            value: Any = ""
            ref = f"{column_letter(c + 2)}{r + 1}"
            # within the cells a value's merge spans, past the columns a form may hide
            # between label and value (填报单位 A2 -> E2 on a form of 大竹's: `form_layout`)
            for c2 in range(c + 1, min(c + 2 + len(OPTIONAL_FIELDS), len(row))):
                nxt = row[c2]
                if isinstance(nxt, str) and _label_of(nxt):
                    break
                if nxt not in (None, ""):
                    value, ref = nxt, f"{column_letter(c2 + 1)}{r + 1}"
                    break
            raw.labels[label] = value
            raw.label_cells[label] = ref


def _read_rows(raw: RawReturn, rows: list[list[Any]], header_row: int) -> None:
    fields, columns = tuple(raw.columns), tuple(raw.columns.values())
    letters = {f: column_letter(c + 1) for f, c in raw.columns.items()}
    width = max(columns) + 1
    pick = itemgetter(*columns)  # a tuple: the header names three columns at least
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        found = pick(row) if len(row) >= width else tuple(row[c] if c < len(row) else None for c in columns)
        for v in found:
            if v is not None and v != "" and not (type(v) is str and v.isspace()):
                break
        else:
            continue  # a blank row
        raw.rows.append(RawRow(r + 1, dict(zip(fields, found)), letters))


def _read_percent_ones(raw: RawReturn, data: bytes, kind: str) -> None:
    """A 1 in 完成进度 under a percent format is "100%", as the department typed and saw it
    (see `cell_formats`); looked up only for a 1, which no other value can be mistaken for."""
    col = raw.columns.get("progress")
    ones = [r for r in raw.rows if type(r.values.get("progress")) in (int, float) and r.values["progress"] == 1]
    if col is None or not ones:
        return
    from .cell_formats import percent_cells  # imports openpyxl: only for a form with a 1 in it

    shown = percent_cells(data, raw.sheet, [(r.row, col + 1) for r in ones], kind)
    for r in ones:
        if (r.row, col + 1) in shown:
            r.values["progress"] = "100%"


_AS_ISSUED = {f: c for c, (f, _, _) in enumerate(COLUMNS)}
_MEASURES = _field_of_text(FORM_HEADERS["content"])  # a 整改清单's form (`rectification`) has it


def form_headers_of(raw: RawReturn) -> dict[str, str]:
    """Field -> header of the form ``raw`` is: a 整改清单's (its _meta ``kind``, or 整改措施 in its
    header row: `rectification`), else the contract's (`HEADER_OF`)."""
    rectify = raw.meta.get("kind") == KIND or _field_of_text(raw.header_labels.get("content", "")) == _MEASURES
    return RECTIFIED_HEADER_OF if rectify else HEADER_OF


def _column_issues(raw: RawReturn, header_cells: list[Any]) -> None:
    heads = form_headers_of(raw)  # a 整改清单's 存在问题 is no renamed 工作任务
    if raw.columns == _AS_ISSUED and raw.header_labels == heads:
        return  # every column where the form put it, under its own name (W2: 8 → 1 µs)
    template = tuple((f, heads[f]) for f, _, _ in COLUMNS)
    # one inserted column shifts every later one: said once, as the department made it
    moved = column_changes(template, raw.columns, header_cells)
    # a required column deleted and nothing else changed is its E301 alone: "已按列名读取"
    # beside the refusal for the same column said it twice, and contradicted it (QA139)
    kept = tuple((f, h) for f, h in template if f in raw.columns or f not in REQUIRED)
    if moved and column_changes(kept, raw.columns, header_cells):
        c, change = moved
        raw.issues.append(make_issue("W302", file=raw.file, sheet=raw.sheet,
                                     cell=f"{column_letter(c + 1)}{raw.header_row}", change=change))
    for f, _, _ in COLUMNS:
        c, header = raw.columns.get(f), heads[f]
        if c is None:
            if f in REQUIRED:
                raw.issues.append(make_issue("E301", file=raw.file, sheet=raw.sheet,
                                             cell=f"{raw.header_row}:{raw.header_row}", column=header))
            continue
        found = raw.header_labels.get(f, header)
        if found != header:
            at, shown = column_letter(c + 1), found.replace("\n", "")
            raw.issues.append(make_issue("W302", file=raw.file, sheet=raw.sheet, cell=f"{at}{raw.header_row}",
                                         change=f"列“{header}”改名为“{shown}”（现为 {at} 列），已自动识别"))


def task_id_text(value: Any) -> str:
    """Task id as typed: ``1.1``; floats from .xls/.ods and full-width digits tolerated."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _num_text(value)
    if isinstance(value, int):
        return str(value)
    return (short_key(value) if type(value) is str else key(value)).replace("．", ".").replace("。", ".")
