"""The return workbook (进展填报表, schema ``duban.return/1``): writing it and reading it back.

Writing follows DESIGN.md's contract exactly. Reading tolerates what departments do to
a workbook (moved or renamed columns, extra rows, renamed sheets, .xls/.ods, values typed
as text) and reports what it could not tolerate as ``ReadFailure`` (unreadable file) or
as the structure issues E105/E301/W302. Cell values are returned raw; `checks` judges them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .dates import Period, cn_date
from .master import Master
from .report import Issue, make_issue
from .sniff import DEFAULT_ADVICE, SAVE_AS_ADVICE, detect, zip_kind
from .text import clean, column_letter, key

SCHEMA = "duban.return/1"
SHEET = "进展填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"
STATUSES = ("已完成", "序时推进", "滞后", "未启动")
STATUS_SYNONYMS = {
    "完成": "已完成", "已经完成": "已完成", "全部完成": "已完成", "完成了": "已完成", "已办结": "已完成",
    "进行中": "序时推进", "正常推进": "序时推进", "推进中": "序时推进", "按序时推进": "序时推进",
    "正在推进": "序时推进", "正常": "序时推进", "序时": "序时推进", "持续推进": "序时推进",
    "延期": "滞后", "滞后推进": "滞后", "延迟": "滞后", "落后": "滞后", "推迟": "滞后",
    "未开始": "未启动", "未开展": "未启动", "尚未启动": "未启动", "没开始": "未启动",
}

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
EDITABLE = tuple(f for f, _, e in COLUMNS if e)
MASTER_FIELDS = ("level1", "level2", "name", "content", "deadline")
REQUIRED = ("task", *EDITABLE)
TEXT_FIELDS = ("work", "problems", "next_plan", "evidence")
# Rows 2-3 of an issued return: label -> (label cell, value cell, last cell of the merged value).
INFO_CELLS = {"填报单位": ("A2", "B2", "D2"), "填报期": ("E2", "F2", "G2"), "报送截止": ("H2", "I2", "J2")}
CONTACT_CELLS = {"填报人": ("A3", "B3", "D3"), "联系电话": ("E3", "F3", "G3"), "审核人": ("H3", "I3", "J3"),
                 "填报日期": ("K3", "L3", "L3")}
INFO_LABELS = tuple(INFO_CELLS)
CONTACT_LABELS = tuple(CONTACT_CELLS)
VALUE_CELLS = {label: cells[1] for label, cells in {**INFO_CELLS, **CONTACT_CELLS}.items()}
HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1

# Header variants departments produce, matched after key(): NFKC, no spaces, lower case.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "task": ("任务编号", "编号", "任务序号", "序号", "任务id", "任务号"),
    "level1": ("一级任务", "一级任务名称", "一级"),
    "level2": ("二级任务", "二级任务名称", "二级"),
    "name": ("工作任务", "三级任务", "工作任务名称", "任务名称"),
    "content": ("具体工作内容", "工作内容", "具体内容"),
    "deadline": ("完成时限", "时限", "完成期限"),
    "role": ("责任类型", "责任分工", "牵头配合", "牵头/配合"),
    "status": ("完成状态", "状态", "进展状态", "完成情况", "推进状态"),
    "progress": ("完成进度", "进度", "完成比例", "完成率", "完成百分比"),
    "work": ("工作进展", "进展情况", "工作进展情况", "本期进展", "进展", "工作开展情况"),
    "problems": ("存在问题", "存在的问题", "问题", "困难问题", "存在困难"),
    "next_plan": ("下一步计划", "下步计划", "下一步工作计划", "下一步工作", "下步工作"),
    "eta": ("预计完成时间", "预计完成日期", "计划完成时间", "预计完成"),
    "evidence": ("佐证材料", "佐证", "证明材料", "佐证资料", "附件"),
}


def _header_key(label: object) -> str:
    k = key(label)
    k = re.sub(r"[(（\[【]?(%|％|百分比)[)）\]】]?", "", k)
    return k.strip("*★:：")


_FIELD_BY_KEY = {_header_key(s): f for f, syns in _SYNONYMS.items() for s in syns}


@lru_cache(maxsize=4096)
def _field_of_text(label: str) -> str | None:
    return _FIELD_BY_KEY.get(_header_key(label))


def field_of_header(label: object) -> str | None:
    """Which return field a header label means, or None."""
    return _field_of_text(label) if isinstance(label, str) else None


def return_filename(period: Period, unit: str) -> str:
    return f"{period.label}_{unit}_进展填报表.xlsx"


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


def build_return(master: Master, unit: str, period: Period, due: dt.date, project: str,
                 style: dict[str, Any], organiser: str = "", contact: str = "",
                 prefill: dict[str, Prefill] | None = None, generated_at: dt.datetime | None = None):
    """The openpyxl Workbook of one unit's return for ``period``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .style import color
    from .xlsx import set_text, style_cell

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
    locked_fill = PatternFill("solid", fgColor=color(st["locked_fill"], "F2F2F2"))
    input_fill = PatternFill("solid", fgColor=color(st["input_fill"], "FFFFFF"))
    due_fill = PatternFill("solid", fgColor=color(st["due_fill"], "FCE4D6"))
    wrap_top = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    unlocked = Protection(locked=False)
    fmt = {"project": project, "period": period.label, "unit": unit}

    # Row 1: title. Rows 2-3: who, which period, until when; contact inputs.
    ws.merge_cells(f"A1:{last}1")
    set_text(ws["A1"], (st["title"] + st.get("subtitle", "")).format(**fmt))
    style_cell(ws["A1"], font=Font(name=st["title_font"], size=st["title_size"], bold=True), alignment=center)
    ws.row_dimensions[1].height = 36
    info_values = {"填报单位": unit, "填报期": period.label, "报送截止": cn_date(due)}
    middle = Alignment(vertical="center")
    underline = Border(bottom=thin)
    for label, (label_ref, value_ref, end_ref) in INFO_CELLS.items():
        set_text(ws[label_ref], label)
        style_cell(ws[label_ref], font=bold_font, alignment=center)
        if end_ref != value_ref:
            ws.merge_cells(f"{value_ref}:{end_ref}")
        set_text(ws[value_ref], info_values[label])
        style_cell(ws[value_ref], font=body_font, alignment=middle)
    set_text(ws["K2"], st.get("due_legend", ""))
    ws.merge_cells(f"K2:{last}2")
    style_cell(ws["K2"], font=Font(name=st["font"], size=st["size"] - 1, color="C65911"),
               fill=due_fill if any(t.due_by(period.end) for t, _ in tasks) else None,
               alignment=Alignment(vertical="center", wrap_text=True))
    for label, (label_ref, value_ref, end_ref) in CONTACT_CELLS.items():
        set_text(ws[label_ref], label)
        style_cell(ws[label_ref], font=bold_font, alignment=center)
        if end_ref != value_ref:
            ws.merge_cells(f"{value_ref}:{end_ref}")
        style_cell(ws[value_ref], font=body_font, fill=input_fill, border=underline, protection=unlocked,
                   number_format="yyyy-mm-dd" if label == "填报日期" else None)
    for r in (2, 3):
        ws.row_dimensions[r].height = 22

    # Row 4: headers. Rows 5+: one per task.
    header_fill = PatternFill("solid", fgColor=color(st["header_fill"], "D9E1F2"))
    widths = st.get("widths", {})
    for c, header in enumerate(HEADERS, start=1):
        cell = ws.cell(HEADER_ROW, c)
        set_text(cell, header)
        style_cell(cell, font=bold_font, fill=header_fill, alignment=center, border=border)
        ws.column_dimensions[get_column_letter(c)].width = float(widths.get(header, 12))
    ws.row_dimensions[HEADER_ROW].height = 30

    due_font = Font(name=st["font"], size=st["size"], bold=True, color="C00000")
    formats = {"progress": "0", "eta": "yyyy-mm-dd"}
    for i, (task, role) in enumerate(tasks):
        r = FIRST_ROW + i
        due_now = task.due_by(period.end)
        values = [task.id, *task.master_text, role]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c)
            set_text(cell, v)
            marked = due_now and c in (1, 6)
            style_cell(cell, font=due_font if marked else body_font, fill=due_fill if marked else locked_fill,
                       border=border, alignment=center if c in (1, 6, 7) else wrap_top)
        p = prefill.get(task.id)
        for c, f in enumerate(EDITABLE, start=len(values) + 1):
            cell = ws.cell(r, c)
            style_cell(cell, font=body_font, fill=input_fill, border=border, protection=unlocked,
                       alignment=center if f in ("status", "progress", "eta") else wrap_top,
                       number_format=formats.get(f))
            if p is not None:
                v = getattr(p, f)
                if isinstance(v, str):
                    if v:
                        set_text(cell, v)
                elif v is not None:
                    cell.value = v

    fit_rows(ws, FIRST_ROW, FIRST_ROW + len(tasks) - 1, st["size"])
    end = FIRST_ROW + max(len(tasks), 1) - 1
    col = {f: get_column_letter(i) for i, (f, _, _) in enumerate(COLUMNS, start=1)}

    def rng(f: str) -> str:
        return f"{col[f]}{FIRST_ROW}:{col[f]}{end}"

    prompts = {
        "status": ("完成状态", "从下拉框选择：已完成 / 序时推进 / 滞后 / 未启动。"),
        "progress": ("完成进度", "填 0—100 的整数，如 80 表示完成 80%。已完成填 100。"),
        "work": ("工作进展", "必填。简述本期做了什么、取得什么成效，可写文号、数量。"),
        "problems": ("存在问题", "状态为“滞后”时必填：说明原因和困难。"),
        "next_plan": ("下一步计划", "下一期的具体安排。"),
        "eta": ("预计完成时间", "日期，如 2022-07-15。"),
        "evidence": ("佐证材料", "已完成的任务请填写文件文号、网址链接等。"),
    }
    validations = {
        "status": DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"',
                                 allow_blank=True, showDropDown=False),
        "progress": DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                                   allow_blank=True),
        # Serial numbers for 2020-01-01 .. 2035-12-31: every client reads plain numbers.
        "eta": DataValidation(type="date", operator="between", formula1="43831", formula2="49674",
                              allow_blank=True),
    }
    errors_ = {
        "status": "请从下拉框选择：已完成、序时推进、滞后、未启动。",
        "progress": "完成进度请填写 0 到 100 之间的整数。",
        "eta": "请填写日期，如 2022-07-15。",
    }
    for f in EDITABLE:
        title, prompt = prompts[f]
        dv = validations.get(f) or DataValidation(type="textLength", operator="lessThanOrEqual",
                                                 formula1="2000", allow_blank=True)
        dv.promptTitle, dv.prompt, dv.showInputMessage = title, prompt, True
        dv.errorTitle, dv.error = "填写有误", errors_.get(f, "内容请控制在 2000 字以内。")
        dv.showErrorMessage, dv.errorStyle = True, "stop"
        dv.add(rng(f))
        ws.add_data_validation(dv)
        # The same hint on the header, where a department looks first.
        head = DataValidation(allow_blank=True, showInputMessage=True)
        head.promptTitle, head.prompt = title, prompt
        head.add(f"{col[f]}{HEADER_ROW}")
        ws.add_data_validation(head)
    for label, (_, value_ref, _) in CONTACT_CELLS.items():
        dv = DataValidation(allow_blank=True, showInputMessage=True)
        dv.promptTitle = label
        dv.prompt = {"填报人": "填写本表经办人姓名。", "联系电话": "经办人手机或办公电话。",
                     "审核人": "单位分管领导或科室负责人。", "填报日期": "如 2022-07-04。"}[label]
        dv.add(value_ref)
        ws.add_data_validation(dv)

    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.protection.sheet = True
    # Let departments resize rows and columns, filter and select; not delete rows or edit tasks.
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.formatCells = False
    ws.protection.autoFilter = False
    ws.sheet_view.zoomScale = 100

    _write_guide(wb, unit, period, due, project, organiser, contact, st, tasks)
    _write_meta(wb, master, unit, period, due, project, tasks, generated_at)
    wb.active = 0
    return wb


def _write_guide(wb, unit, period, due, project, organiser, contact, st, tasks) -> None:
    from openpyxl.styles import Alignment, Font

    from .xlsx import set_text

    ws = wb.create_sheet(GUIDE_SHEET)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    due_now = [t.id for t, _ in tasks if t.due_by(period.end)]
    lines = [
        ("title", f"{project}进展填报说明"),
        ("填报单位", unit),
        ("填报期", f"{period.label}（反映截至 {cn_date(period.end)} 的工作进展）"),
        ("报送截止", f"{cn_date(due)}前，将本表以 Excel 文件（.xlsx）通过电子邮件报送。"),
        ("怎么填", "只填写白色单元格：完成状态、完成进度(%)、工作进展、存在问题、下一步计划、预计完成时间、佐证材料，"
                 "以及表头的填报人、联系电话、审核人、填报日期。灰色的任务内容不能修改。"),
        ("完成状态", "已完成：任务全部完成，完成进度填 100，并在“佐证材料”写明文号或链接。"),
        ("", "序时推进：按计划正常推进、尚未完成。"),
        ("", "滞后：进度落后于完成时限，必须在“存在问题”写明原因和困难。已超过完成时限仍未完成的，应选“滞后”。"),
        ("", "未启动：尚未开始，完成进度填 0。"),
        ("完成进度(%)", "填 0—100 的整数，如 80。不要写“80%”以外的文字说明。"),
        ("工作进展", "必填。写本期做了什么、成效如何，可列数量、文号；不要写“无”。"),
        ("本期到期", ("、".join(due_now) + " 的完成时限在本期或之前（表中橙色标注），请重点说明完成情况。")
         if due_now else "本期没有到期的任务。"),
        ("注意", "请勿增删行、列，请勿改动任务编号和灰色的任务内容。文件名可以修改。"
               "请保存为 .xlsx（WPS 用户请选择“Excel 工作簿”），不要转成 PDF、.et 或 Word 格式。"),
        ("咨询", "、".join(x for x in (organiser, contact) if x) or "督办部门"),
    ]
    for r, (label, text) in enumerate(lines, start=1):
        if label == "title":
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            set_text(ws.cell(r, 1), text)
            ws.cell(r, 1).font = Font(name=st["title_font"], size=st["title_size"] - 2, bold=True)
            ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
            ws.row_dimensions[r].height = 32
            continue
        set_text(ws.cell(r, 1), label)
        ws.cell(r, 1).font = Font(name=st["header_font"], size=st["size"] + 1, bold=True)
        ws.cell(r, 1).alignment = Alignment(vertical="top")
        set_text(ws.cell(r, 2), text)
        ws.cell(r, 2).font = Font(name=st["font"], size=st["size"] + 1)
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(ws, 2, len(lines), st["size"] + 1)
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True


def fit_rows(ws, first: int, last: int, size: float) -> None:
    """Give rows ``first..last`` heights that show their wrapped text (see xlsx.row_height)."""
    from openpyxl.utils import get_column_letter

    from .xlsx import row_height

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 9
              for c in range(1, ws.max_column + 1)}
    for r in range(first, last + 1):
        cells = [(ws.cell(r, c).value, w) for c, w in widths.items()]
        ws.row_dimensions[r].height = row_height(cells, size)


def _write_meta(wb, master, unit, period, due, project, tasks, generated_at) -> None:
    from .xlsx import set_text

    ws = wb.create_sheet(META_SHEET)
    generated_at = generated_at or dt.datetime.now().replace(microsecond=0)
    rows: list[list[str]] = [
        ["schema", SCHEMA], ["project", project], ["department", unit],
        ["period", str(period)], ["due", due.isoformat()],
        ["master_fingerprint", master.fingerprint], ["generated_at", generated_at.isoformat()],
    ]
    rows += [["task", t.id, role, t.text_hash] for t, role in tasks]
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            set_text(ws.cell(r, c), v)
    ws.column_dimensions["B"].width = 30
    # Plain hidden: LibreOffice turns veryHidden into hidden on save anyway.
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


# ---------------------------------------------------------------------------
# Reading


class ReadFailure(Exception):
    """Internal: the file cannot be read as a return. Carries the Issue code to record."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class RawRow:
    """One data row as found in the file, values untouched."""

    row: int                      # 1-based sheet row
    values: dict[str, Any]        # field -> raw cell value
    cells: dict[str, str]         # field -> A1 reference


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

    def cell_of(self, fld: str, row: int | None = None) -> str:
        c = self.columns.get(fld)
        if c is None:
            return ""
        return f"{column_letter(c + 1)}{row if row is not None else self.header_row}"


SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")


MAX_CELLS = 2_000_000  # cells of one sheet's used range; limits["max_cells"] overrides

# Start tags of rows and cells in SpreadsheetML (any namespace prefix) and in ODF content,
# and the end of an ODF row; attributes are parsed only for these.
_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*)>')
_CELL_START = re.compile(rb"<c[\s/>]")
_ROW_REF = re.compile(rb'<row r="(\d{1,7})"')
_ROW_START = re.compile(rb"<row[\s/>]")
_PREFIXED_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row)[\s/>]")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{0,3})\$?(\d{0,7})["']""")
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d{1,9})["']""")
_COLS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d{1,9})["']""")


class _Extent:
    """The rectangle of cells a sheet part makes a reader allocate, from its XML stream.

    calamine builds a dense grid spanning the used range, so one cell at XFD1048576 (or an
    ODF cell repeated a million times) would need tens of gigabytes: the process aborts
    instead of raising. This scan bounds that grid before calamine sees the file. Cells
    without a value (self-closing) are not counted, as calamine does not place them.
    """

    def __init__(self, ods: bool, cap: int):
        self.ods, self.cap = ods, cap
        self.carry = b""
        self.row = self.col = -1
        self.min_row = self.min_col = 1 << 40
        self.max_row = self.max_col = -1
        self.repeat = 1  # ODF: how often the current row repeats

    def feed(self, chunk: bytes) -> None:
        buf = self.carry + chunk
        cut = buf.rfind(b"<")
        if cut >= 0 and buf.find(b">", cut) < 0:
            buf, self.carry = buf[:cut], buf[cut:][:4096]
        else:
            self.carry = b""
        (self._ods if self.ods else self._xlsx)(buf)
        if self.area > self.cap:
            raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {self.rows} 行 × {self.cols} 列，"
                                             f"超过 {self.cap} 个单元格），请删除多余的行列后重新保存")

    @property
    def rows(self) -> int:
        return max(0, self.max_row - min(self.min_row, self.max_row) + 1)

    @property
    def cols(self) -> int:
        return max(0, self.max_col - min(self.min_col, self.max_col) + 1)

    @property
    def area(self) -> int:
        return self.rows * self.cols

    def _place(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self.min_row, self.max_row = min(self.min_row, row), max(self.max_row, row + rows - 1)
        self.min_col, self.max_col = min(self.min_col, col), max(self.max_col, col + cols - 1)

    def _xlsx(self, buf: bytes) -> None:
        prefixed = b":c" in buf or b":row" in buf
        if not prefixed and b"<c" not in buf and b"<row" not in buf:
            return
        if not prefixed or _PREFIXED_TAG.search(buf) is None:
            cells, rows = _CELL_REF.findall(buf), _ROW_REF.findall(buf)
            if len(cells) == len(_CELL_START.findall(buf)) and len(rows) == len(_ROW_START.findall(buf)):
                # Every row and cell says where it is (Excel, WPS, LibreOffice and openpyxl
                # write ``<row r="5"`` and ``<c r="A5"`` first): no walk needed.
                valued = [(c, r) for c, r, rest in cells if not rest.endswith(b"/")]
                if valued:
                    numbers = [int(r) - 1 for _, r in valued]
                    cols = [_column_number(c) - 1 for c in {c for c, _ in valued}]
                    self._place(min(numbers), min(cols))
                    self._place(max(numbers), max(cols))
                # where a later cell without ``r`` would go: the row element's row (a cell's
                # own reference never moves it), one column after the previous cell
                if rows:
                    self.row = int(rows[-1]) - 1
                if rows and buf.rfind(b"<row ") > buf.rfind(b"<c r="):
                    self.col = -1
                elif cells:
                    self.col = _column_number(cells[-1][0]) - 1
                return
        self._walk_xlsx(_XLSX_TAG.findall(buf))

    def _walk_xlsx(self, tags: list[tuple[bytes, bytes]]) -> None:
        """Cells placed one after another, as calamine does for cells without an ``r``: a row
        without ``r`` follows the previous row element, a cell without ``r`` sits in its row
        element's row, one column right of the previous cell."""
        row, col = self.row, self.col
        min_r, max_r, min_c, max_c = self.min_row, self.max_row, self.min_col, self.max_col
        for n, (name, attrs) in enumerate(tags):
            ref = _R_ATTR.search(attrs)
            if name == b"row":
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            r = row
            if ref and ref.group(1):
                col = _column_number(ref.group(1)) - 1
                if ref.group(2):
                    r = int(ref.group(2)) - 1  # this cell's row; the row counter stays
            else:
                col += 1
            if attrs.endswith(b"/"):
                continue
            r = r if r > 0 else 0
            min_r, max_r = (r if r < min_r else min_r), (r if r > max_r else max_r)
            min_c, max_c = (col if col < min_c else min_c), (col if col > max_c else max_c)
            if n % 4096 == 0 and (max_r - min_r + 1) * (max_c - min_c + 1) > self.cap:
                break
        self.row, self.col = row, col
        self.min_row, self.max_row, self.min_col, self.max_col = min_r, max_r, min_c, max_c

    def _ods(self, buf: bytes) -> None:
        for m in _ODS_TAG.finditer(buf):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"table":
                if not closing:
                    self.row, self.col = 0, 0
                continue
            if name == b"table-row":
                if closing:
                    self._end_row()
                    continue
                rep = _ROWS_REPEATED.search(attrs)
                self.repeat = max(1, int(rep.group(1))) if rep else 1
                self.col = 0
                if attrs.endswith(b"/"):
                    self._end_row()
                continue
            if closing:
                continue
            rep = _COLS_REPEATED.search(attrs)
            n = max(1, int(rep.group(1))) if rep else 1
            if b"value-type" in attrs or not attrs.endswith(b"/"):
                self._place(max(self.row, 0), self.col, self.repeat, n)
                if self.area > self.cap:
                    return
            self.col += n

    def _end_row(self) -> None:
        self.row = max(self.row, 0) + self.repeat
        self.repeat = 1


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


# Parts that never hold cell positions; every other part is scanned like a sheet, so a
# sheet hidden under an unusual name is still bounded.
_CELL_FREE = ("[Content_Types].xml", "docProps/", "_rels/", "xl/_rels/", "xl/styles.xml", "xl/theme/",
              "xl/sharedStrings.xml", "xl/calcChain.xml", "xl/drawings/", "xl/media/", "xl/printerSettings/",
              "xl/vbaProject.bin", "xl/worksheets/_rels/", "customXml/", "mimetype", "META-INF/",
              "styles.xml", "meta.xml", "settings.xml", "Thumbnails/", "Configurations2/")


def _may_hold_cells(name: str, kind: str) -> bool:
    if kind == "ods":
        return name == "content.xml"
    return not name.startswith(_CELL_FREE)


def guard_zip(z: zipfile.ZipFile, limits: dict[str, int], kind: str = "") -> None:
    """Refuse decompression bombs and oversized sheets before any parser sees the bytes.

    Declared sizes are checked first; then every entry is inflated in a bounded stream
    (a crafted header can understate the size; zipfile and calamine both stop at the
    declared size, so the stream counts what a parser can get), and the rows and cells
    of sheet parts are scanned so that no sheet makes calamine allocate a huge grid.
    """
    max_total = limits["max_unpacked_mb"] * 1024 * 1024
    max_cells = limits.get("max_cells", MAX_CELLS)
    try:
        infos = [i for i in z.infolist() if not i.is_dir()]
        if len(infos) > 5000:
            raise ReadFailure("E104", detail=f"压缩包内有 {len(infos)} 个文件")
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            raise ReadFailure("E104", detail=f"解压后约 {declared // 1048576} MB")
        for i in infos:
            if i.file_size > 1048576 and i.compress_size and i.file_size / i.compress_size > limits["max_ratio"]:
                raise ReadFailure("E104", detail=f"压缩比 {i.file_size // max(i.compress_size, 1)}:1")
        total = sum(i.file_size for i in infos if not _may_hold_cells(i.filename, kind))
        for i in infos:
            if not _may_hold_cells(i.filename, kind):
                continue  # bounded by its declared size, which zipfile and calamine stop at
            extent = _Extent(kind == "ods", max_cells)
            with z.open(i) as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
                    if total > max_total:
                        raise ReadFailure("E104", detail=f"解压后超过 {limits['max_unpacked_mb']} MB")
                    if extent is not None:
                        extent.feed(chunk)
    except ReadFailure:
        raise
    except RuntimeError as exc:  # zipfile: "encrypted, password required"
        raise ReadFailure("E102") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise ReadFailure("E101", reason=f"压缩结构损坏：{type(exc).__name__}") from exc
    except Exception as exc:  # zlib.error and friends from a mangled stream
        raise ReadFailure("E101", reason=f"内容损坏：{type(exc).__name__}") from exc


_ENDOFCHAIN = 0xFFFFFFFE
# BIFF records holding a value at (row, col): NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA,
# RSTRING (BLANK/MULBLANK carry no value: calamine does not place them); MULRK spans columns.
_BIFF_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}
_BIFF_MULRK, _BIFF_BOF, _BIFF_DIMENSIONS = 0x00BD, 0x0809, 0x0200


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first of ``names`` in an OLE2 compound file (an .xls), read with no library.

    Follows the FAT (and mini FAT) chains with loop protection; None if not found.
    Raises ValueError/struct.error for a damaged file.
    """
    import struct

    if len(data) < 512:
        raise ValueError("short OLE header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 4 <= mini_shift < shift:
        raise ValueError("bad sector size")
    size, mini_size = 1 << shift, 1 << mini_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    n_sectors = max(0, len(data) // size - 1)

    def sector(n: int) -> bytes:
        if n >= n_sectors:
            raise ValueError("sector out of range")
        return data[(n + 1) * size:(n + 2) * size]

    # A damaged header makes calamine's own reader allocate gigabytes and abort the
    # process: the FAT sector list must be exactly what the header says, each sector once.
    header_ids = struct.unpack_from("<109I", data, 0x4C)
    fat_ids = list(header_ids[:n_fat])
    if any(x != 0xFFFFFFFF for x in header_ids[n_fat:]):
        raise ValueError("DIFAT entries past the FAT count")
    d, seen = first_difat, 0
    while len(fat_ids) < n_fat and seen < n_difat:
        entries = struct.unpack(f"<{size // 4}I", sector(d))
        fat_ids += entries[:-1][:n_fat - len(fat_ids)]
        d, seen = entries[-1], seen + 1
    if (len(fat_ids) != n_fat or n_fat == 0 or len(set(fat_ids)) != n_fat
            or any(x >= n_sectors for x in fat_ids)):
        raise ValueError("inconsistent FAT sector list")
    fat: list[int] = []
    for f in fat_ids:
        fat += struct.unpack(f"<{size // 4}I", sector(f))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out = []
        while start < len(table) and len(out) <= limit:
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(first_dir, fat, n_sectors))
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root_start = struct.unpack_from("<I", entries[0], 0x74)[0]
    wanted = {n: i for i, n in enumerate(names)}
    found = []
    for e in entries:
        if e[0x42] in (1, 2, 5) and struct.unpack_from("<I", e, 0x78)[0] > len(data) * 8:
            raise ValueError("stream larger than the file could hold")
        length = min(struct.unpack_from("<H", e, 0x40)[0], 64)
        name = e[:max(0, length - 2)].decode("utf-16-le", "replace")
        if e[0x42] == 2 and name in wanted:
            found.append((wanted[name], e))
    if not found:
        return None
    e = min(found, key=lambda x: x[0])[1]
    start, length = struct.unpack_from("<II", e, 0x74)
    if length >= cutoff:
        return b"".join(sector(n) for n in chain(start, fat, n_sectors))[:length]
    mini_fat: list[int] = []
    for n in chain(first_minifat, fat, n_sectors):
        mini_fat += struct.unpack(f"<{size // 4}I", sector(n))
    mini_stream = b"".join(sector(n) for n in chain(root_start, fat, n_sectors))
    parts = [mini_stream[m * mini_size:(m + 1) * mini_size] for m in chain(start, mini_fat, len(mini_fat))]
    return b"".join(parts)[:length]


def guard_xls(data: bytes, limits: dict[str, int]) -> None:
    """Refuse an .xls whose value cells span a grid calamine cannot allocate.

    A 6 KB .xls with values in A1 and IV65536 makes calamine build 16.7 million cells
    (over 1 GB). The BIFF cell records of each sheet are scanned for their extent.
    """
    import struct

    cap = limits.get("max_cells", MAX_CELLS)
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
    except (ValueError, struct.error, IndexError) as exc:
        raise ReadFailure("E101", reason=f"文件结构损坏：{type(exc).__name__}") from exc
    if stream is None:
        return  # calamine says what is wrong
    pos, end = 0, len(stream)
    box = [1 << 20, -1, 1 << 20, -1]  # min row, max row, min col, max col
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if kind == _BIFF_BOF:
            box = [1 << 20, -1, 1 << 20, -1]
            continue
        if kind == _BIFF_DIMENSIONS and length in (10, 14) and pos <= end:
            # calamine sizes its cell buffer from this record: it must be sane and bounded
            fmt = "<IIHH" if length == 14 else "<HHHH"
            first_row, end_row, first_col, end_col = struct.unpack_from(fmt, stream, body)
            if first_row > end_row or first_col > end_col or end_row > 65536 or end_col > 256:
                raise ReadFailure("E101", reason="工作表尺寸记录损坏")
            rows, cols = end_row - first_row, end_col - first_col
            if rows * cols > cap:
                raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {rows} 行 × {cols} 列，"
                                                 f"超过 {cap} 个单元格），请删除多余的行列后重新保存")
            continue
        if kind in _BIFF_CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            last = col
        elif kind == _BIFF_MULRK and length >= 6 and pos <= end:
            row, col = struct.unpack_from("<HH", stream, body)
            last = struct.unpack_from("<H", stream, pos - 2)[0]
        else:
            continue
        box = [min(box[0], row), max(box[1], row), min(box[2], col), max(box[3], last, col)]
        rows, cols = box[1] - box[0] + 1, box[3] - box[2] + 1
        if rows * cols > cap:
            raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {rows} 行 × {cols} 列，"
                                             f"超过 {cap} 个单元格），请删除多余的行列后重新保存")


def open_spreadsheet(data: bytes, name: str, limits: dict[str, int]):
    """(calamine workbook, kind) for bytes that should be a spreadsheet; else ReadFailure."""
    from python_calamine import CalamineWorkbook, PasswordError

    if len(data) > limits["max_file_mb"] * 1024 * 1024:
        raise ReadFailure("E104", detail=f"文件 {len(data) // 1048576} MB，超过 {limits['max_file_mb']} MB")
    package = None
    if data.startswith(b"PK"):
        # One parse of the zip directory serves both the kind and the bomb guard.
        try:
            package = zipfile.ZipFile(io.BytesIO(data))
            kind = zip_kind(package, name)
        except Exception:  # BadZipFile, zlib.error, RuntimeError (encrypted entry), ...
            kind = "broken-zip"
    else:
        kind = detect(data, name)
    ext = Path(name).suffix.lower()
    if kind == "encrypted":
        raise ReadFailure("E102")
    if kind == "empty":
        raise ReadFailure("E101", reason="文件是空的")
    if kind not in ("xlsx", "xlsm", "xls", "ods"):
        if kind in ("broken-zip", "unknown", "ole") and ext in SPREADSHEET_EXTS:
            raise ReadFailure("E101", reason="文件已损坏或不是 Excel 文件")
        shown = {"docx": ".docx", "pdf": ".pdf", "doc": ".doc", "et": ".et", "numbers": ".numbers",
                 "xlsb": ".xlsb", "odf": ext or ".odt"}.get(kind, ext or "（无扩展名）")
        raise ReadFailure("E103", ext=shown, advice=SAVE_AS_ADVICE.get(shown, DEFAULT_ADVICE))
    if package is not None:
        guard_zip(package, limits, kind)
    elif kind == "xls":
        guard_xls(data, limits)
    try:
        with native_stderr_silenced():
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise ReadFailure("E102") from exc
    except BaseException as exc:  # calamine raises several types for damaged files, and panics
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise  # KeyboardInterrupt, SystemExit
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise ReadFailure("E102") from exc
        raise ReadFailure("E101", reason=_short(text)) from exc
    return wb, kind


@contextlib.contextmanager
def native_stderr_silenced():
    """Keep calamine's Rust panic message ("thread panicked at …") off the console.

    The panic itself is caught and recorded as E101; its message is written by Rust
    straight to file descriptor 2, where it would alarm a coordinator for nothing.
    """
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # no console at all (pythonw under Excel): nothing to protect
        yield
        return
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic inside calamine: pyo3 raises PanicException, a BaseException (not an
    Exception), which would otherwise pass every ``except Exception`` up to the user."""
    return type(exc).__name__ == "PanicException"


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return (text[:60] + "…") if len(text) > 60 else (text or "格式错误")


def _sheet_rows(wb, name: str, limit: int) -> tuple[list[list[Any]], int]:
    """Rows of a sheet from A1 (indexes are cell addresses), at most ``limit``; and how
    many used rows lie beyond the limit."""
    with native_stderr_silenced():
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False, nrows=limit)
    used = sheet.end[0] + 1 if sheet.end else 0
    return rows, max(0, used - limit)


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row index, field -> column, field -> label as found) of the header row."""
    for r, row in enumerate(rows[:40]):
        found: dict[str, int] = {}
        labels: dict[str, str] = {}
        for c, v in enumerate(row):
            if isinstance(v, str) and v:
                f = field_of_header(v)
                if f and f not in found:
                    found[f] = c
                    labels[f] = clean(v)
        if "task" in found and len(found) >= 3:
            return r, found, labels
    return None


def read_return(data: bytes, name: str, limits: dict[str, int]) -> RawReturn:
    """Read a return's structure and raw values. Raises ReadFailure for E101–E105."""
    wb, kind = open_spreadsheet(data, name, limits)
    raw = RawReturn(file=name, kind=kind)
    max_rows = limits["max_rows"]
    try:
        visible = []
        meta_name = None
        for m in wb.sheets_metadata:
            if key(m.name) == key(META_SHEET):
                meta_name = m.name
            elif "Visible" in str(m.visible) or kind == "ods":
                visible.append(m.name)
        if meta_name:
            meta_rows, _ = _sheet_rows(wb, meta_name, 2000)
            for row in meta_rows:
                # our own plain text: no need for the full cleaning of department input
                cells = [v.strip() if isinstance(v, str) else _num_text(v) if isinstance(v, float) else str(v)
                         for v in row[:4]] + ["", "", "", ""]
                if cells[0] == "task" and cells[1]:
                    raw.meta_tasks[cells[1]] = (cells[2], cells[3])
                elif cells[0]:
                    raw.meta[cells[0]] = cells[1]
        candidates = sorted(visible, key=lambda n: key(n) != key(SHEET))
        hidden_others = [m.name for m in wb.sheets_metadata if m.name not in visible and m.name != meta_name]
        for sheet in candidates + hidden_others:
            rows, extra = _sheet_rows(wb, sheet, max_rows + 40)
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
            break
    except ReadFailure:
        raise
    except BaseException as exc:  # a sheet calamine cannot decode (or panics on)
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise ReadFailure("E101", reason=_short(str(exc))) from exc
    if not raw.sheet:
        raise ReadFailure("E105")
    _column_issues(raw)
    return raw


def _num_text(v: float) -> str:
    return str(int(v)) if v.is_integer() else repr(v)


_LABEL_KEYS = {key(x): x for x in (*INFO_LABELS, *CONTACT_LABELS)}


def _read_labels(raw: RawReturn, rows: list[list[Any]]) -> None:
    wanted = _LABEL_KEYS
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if not isinstance(v, str) or not v or len(v) > 12:
                continue
            label = wanted.get(key(v).rstrip(":："))
            if not label or label in raw.labels:
                continue
            value: Any = ""
            ref = f"{column_letter(c + 2)}{r + 1}"
            for c2 in range(c + 1, min(c + 4, len(row))):
                nxt = row[c2]
                if isinstance(nxt, str) and key(nxt).rstrip(":：") in wanted:
                    break
                if nxt not in (None, ""):
                    value, ref = nxt, f"{column_letter(c2 + 1)}{r + 1}"
                    break
            raw.labels[label] = value
            raw.label_cells[label] = ref


def _read_rows(raw: RawReturn, rows: list[list[Any]], header_row: int) -> None:
    letters = [(f, c, column_letter(c + 1)) for f, c in raw.columns.items()]
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        width = len(row)
        values = {f: (row[c] if c < width else None) for f, c, _ in letters}
        if not any(v not in (None, "") and not (type(v) is str and v.isspace()) for v in values.values()):
            continue
        n = str(r + 1)
        raw.rows.append(RawRow(r + 1, values, {f: letter + n for f, _, letter in letters}))


def _column_issues(raw: RawReturn) -> None:
    for i, (f, header, _) in enumerate(COLUMNS):
        c = raw.columns.get(f)
        if c is None:
            if f in REQUIRED:
                raw.issues.append(make_issue("E301", file=raw.file, sheet=raw.sheet,
                                             cell=f"{raw.header_row}:{raw.header_row}", column=header))
            continue
        found = raw.header_labels.get(f, header)
        if c != i or found != header:
            raw.issues.append(make_issue("W302", file=raw.file, sheet=raw.sheet,
                                         cell=f"{column_letter(c + 1)}{raw.header_row}",
                                         column=header, found_col=column_letter(c + 1),
                                         found=found.replace("\n", "")))


def task_id_text(value: Any) -> str:
    """Task id as typed: ``1.1``; floats from .xls/.ods and full-width digits tolerated."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _num_text(value)
    if isinstance(value, int):
        return str(value)
    return key(value).replace("．", ".").replace("。", ".")

