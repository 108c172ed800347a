"""Feedback to a department: its return with every problem marked, and a mail draft.

The workbook is rebuilt from the master in the standard layout and refilled with what the
department typed, so it works the same for .xlsx, .xls and .ods, and nothing foreign
(formulas, links, macros) rides along. Errors are filled red, warnings yellow, each with a
comment; a 校验结果 sheet lists everything. It keeps the return's _meta, so the
department fixes it and sends it straight back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

from .addresses import parse_addresses
from .checks import ids_shown_as, read_numbered_ids
from .dates import cn_date, resubmit_by
from .extra_rows import EXTRA_ROW_CODES, row_number, sort_extra_rows
from .files import atomic_write
from .form_layout import label_value_cells
from .issued_month import issued_dues
from .ledger import Ledger, common_due
from .master import Master
from .on_time import unit_due
from .period import Period
from .rectification import is_rectification
from .report import CODES, Issue, Report
from .returns import (
    COLUMNS,
    CONTACT_LABELS,
    EDITABLE,
    FIRST_ROW,
    GUIDE_SHEET,
    HEADER_OF,
    INFO_LABELS,
    META_SHEET,
    SHEET,
    RawReturn,
    RawRow,
    ReadFailure,
    build_return,
    fit_rows,
    form_headers,
    read_return,
    task_id_text,
)
from .settings import Limits
from .style import color, load_style
from .text import column_letter, name_part
from .vocab import Outcome, Severity
from .workspace import FEEDBACK, Workspace
from .xlsx import atomic_save, fit_a4, row_height, set_text, style_cell

RESULT_SHEET = "校验结果"


def feedback_paths(ws: Workspace, unit: str, period: Period, day: dt.date | None = None) -> tuple[Path, Path]:
    """反馈/<期>/<收取日期>/<单位>_校验反馈.xlsx and .eml: each round of replies in its own
    dated folder, so what goes out today is never mixed with last week's."""
    day = day or ws.now().date()  # the office's day, not the machine's
    folder = ws.stage_dir(FEEDBACK, period) / day.isoformat()
    stem = f"{name_part(unit)}_校验反馈"  # `replies.unit_of_reply` reads the unit back
    return folder / f"{stem}.xlsx", folder / f"{stem}.eml"


def build_feedback(master: Master, report: Report, data: bytes, name: str, *, project: str,
                   due: dt.date, style: dict[str, Any], limits: Limits,
                   organiser: str = "", contact: str = "", resubmit: dt.date | None = None
                   ) -> tuple[Any, list[tuple[Issue, str]]]:
    """The annotated workbook for one checked return, and each issue (errors first) with the
    cell it marks there; ``resubmit``: the day the reply asks a refused return back by."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils import coordinate_to_tuple, get_column_letter

    try:
        raw = read_return(data, name, limits)
    except ReadFailure:  # a refused file (encrypted, damaged, a PDF): a fresh form to fill in
        raw = RawReturn(name, "")
    period = report.period
    # the rows the check read: 1.10 that Excel made the number 1.1 goes back into 1.10's row
    read_numbered_ids(raw, master, year=period and period.year)
    heads = form_headers(master)  # the headers of the form rebuilt (a 整改清单's: `rectification`)
    # as the check read them: a task's second line in its row, a row it refused kept apart (QA372)
    refused = [e.row for e in sort_extra_rows(raw, heads) if e.kind == "refused"]
    unit = report.unit or ""
    generated = raw.meta.get("generated_at")
    try:
        generated_at = dt.datetime.fromisoformat(generated) if generated else None
    except ValueError:
        generated_at = None
    wb = build_return(master, unit, period, due, project, style, organiser, contact,
                      generated_at=generated_at, max_text=limits.max_text_chars)
    ws = wb[SHEET]
    row_of = {ws.cell(r, 1).value: r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value}
    col_of = {f: i + 1 for i, (f, _, _) in enumerate(COLUMNS)}
    field_at = {c + 1: f for f, c in raw.columns.items()}

    filled: set[str] = set()
    apart: list[RawRow] = list(refused)
    # a row refused for its task id (E401, E402), not one the office moved away since (W210)
    wrong = {row_number(i.cell) for i in report.issues if i.code in ("E401", "E402")}
    for rr in raw.rows:
        tid = task_id_text(rr.values.get("task"))
        r = row_of.get(tid)
        if r is None and rr.row in wrong:
            apart.append(rr)
        if r is None or tid in filled or len(ids_shown_as(rr.values.get("task"), master)) > 1:
            # a number its row could not tell (1.1 or 1.10, E403): copied into the first id's
            # row, a sorted form's 1.10 came back as 1.1's report (QA296); left for the department
            continue
        filled.add(tid)
        for f in EDITABLE:
            v = rr.values.get(f)
            if v in (None, ""):
                continue
            cell = ws.cell(r, col_of[f])
            if isinstance(v, (int, float, dt.date, dt.datetime)) and not isinstance(v, bool):
                cell.value = v
            else:
                set_text(cell, v)
    # the rows as tall as the department's own text, not the bare form's: a long 工作进展 copied
    # back showed cut until edited (QA124)
    if row_of:
        fit_rows(ws, FIRST_ROW, max(row_of.values()), style["return"]["size"], custom=False)
    # where this form's labels have their values: the first column to see right of each
    values_at = {label: cell.coordinate for label, cell in
                 label_value_cells(ws, (*INFO_LABELS, *CONTACT_LABELS)).items()}
    for label in CONTACT_LABELS:
        v = raw.labels.get(label)
        if v not in (None, ""):
            target = ws[values_at[label]]
            if isinstance(v, (dt.date, dt.datetime)):
                target.value = v
            else:
                set_text(target, v)
    if (resubmit and resubmit != due and (report.errors or report.outcome == Outcome.UNREADABLE)
            and "报送截止" in values_at):
        _owed_by(wb, values_at["报送截止"], due, resubmit, style["return"]["size"])
    label_at = {ref: label for label, ref in raw.label_cells.items()}

    def locate(issue: Issue) -> str:
        if issue.code == "E301":  # the deleted column is back in its place here: its header
            f = _deleted_field(issue, heads)
            return f"{get_column_letter(col_of[f])}{FIRST_ROW - 1}" if f else ""
        if issue.cell in label_at:
            return values_at.get(label_at[issue.cell], "")
        if issue.cell in values_at.values():  # W509 names the cell the layout shows (D3), not B3
            return issue.cell
        r = row_of.get(issue.task) or placed.get(row_number(issue.cell))
        if r is None:
            return ""
        if issue.cell and issue.cell[0].isalpha():
            try:
                _, col = coordinate_to_tuple(issue.cell)
            except (ValueError, TypeError):
                col = None
            f = field_at.get(col) if col else None
            if f in col_of:
                return f"{get_column_letter(col_of[f])}{r}"
        return f"A{r}"

    fb = style.get("feedback", {})
    fills = {Severity.ERROR: PatternFill("solid", fgColor=color(fb.get("error_fill"), "FFC7CE")),
             Severity.WARNING: PatternFill("solid", fgColor=color(fb.get("warning_fill"), "FFEB9C"))}
    # rows the form has no place for, under its last row as the unit wrote them, red: the reply's
    # marks are the cells its messages name, and nothing the unit typed is lost (QA372)
    placed = _place_rows(ws, apart, col_of, max(row_of.values(), default=FIRST_ROW - 1), style["return"]["size"],
                        fills[Severity.ERROR])
    notes: dict[str, list[Issue]] = {}
    located: list[tuple[Issue, str]] = []
    for issue in ordered(report.issues):
        ref = locate(issue)
        if issue.code == "E301" and ref:
            issue = replace(issue, message=_RESTORED.format(column=heads[_deleted_field(issue, heads)],
                                                            letter=ref.rstrip("0123456789")))
        elif issue.code in EXTRA_ROW_CODES:  # a row of the unit's file, elsewhere or gone in the reply
            was = f"第 {row_number(issue.cell)} 行"
            now = f"报送的文件{was}" + (f"（本表第 {row_number(ref)} 行）" if issue.code == "E406" and ref else "")
            issue = replace(issue, message=issue.message.replace(was, now, 1))
        elif issue.code == "E401" and placed.get(row_number(issue.cell)):
            issue = replace(issue, message=issue.message + _ROW_KEPT.format(
                row=row_number(issue.cell), here=placed[row_number(issue.cell)]))
        elif issue.code == "E404" and ref and issue.message.endswith(_E404_ADVICE):
            issue = replace(issue, message=_ROW_RESTORED.format(
                missing=issue.message.removesuffix(_E404_ADVICE), row=ref.lstrip("A")))
        located.append((issue, ref))
        if ref:
            notes.setdefault(ref, []).append(issue)
    for ref, issues in notes.items():
        cell = ws[ref]
        worst = Severity.ERROR if any(i.is_error for i in issues) else Severity.WARNING
        cell.fill = fills[worst]
        text = "\n".join(f"【{i.severity} {i.code}】{i.message}" for i in issues)
        comment = Comment(text, "督办校验")
        comment.width, comment.height = 320, min(60 + 40 * len(issues), 400)
        cell.comment = comment

    if located or report.outcome == Outcome.UNREADABLE:
        _banner(ws, report, located, style)
    _result_sheet(wb.create_sheet(RESULT_SHEET, 1), report, located, unit, period, name, style, fills, resubmit)

    meta = wb[META_SHEET]
    # refused as another month's (E202: last month's form sent as this month's) the reply is the
    # month it was filed under, as its 填报期 says: June's _meta sent back would be refused again
    kept = (("project", "department", "period", "due", "generated_at")
            if raw.meta.get("period") in (None, "", str(period)) else ("project", "department"))
    for r in range(1, meta.max_row + 1):
        k = meta.cell(r, 1).value
        if k in kept and raw.meta.get(k):
            set_text(meta.cell(r, 2), raw.meta[k])
    wb.active = 0
    return wb, located


#: E301 as the reply says it: the department deleted the column, and the workbook attached has
#: it back in place, so "copy it from the issued form" (the check's advice) sent it looking for a
#: form it need not open (QA139)
_RESTORED = ("报送的文件删除了“{column}”列，本表已在 {letter} 列恢复该列（标红的列名）。"
             "请在该列补填后重新报送，今后请勿删除填报表的列。")


#: E404 likewise: the workbook attached has the deleted task's row back (the form is rebuilt from
#: the task list), so "请补回该行" sent the clerk to restore a row already there (QA179)
_ROW_RESTORED = ("报送的文件{missing}，本表已在第 {row} 行补回该任务（标红的任务编号）。"
                 "请填写该行后重新报送，今后请勿删除填报表的行。")
_E404_ADVICE = CODES["E404"].template.rsplit("{name}", 1)[1]

#: E401 in the reply: the row is not the task list's, so the form rebuilt from it has its
#: place under the table, red (QA372); the unit clears it there (the sheet is protected: no deleting rows)
_ROW_KEPT = "报送的文件第 {row} 行已放在本表第 {here} 行（标红），不需要的请清空这一行。"


def banner_text(report: Report, located: list[tuple[Issue, str]]) -> str:
    """What the reply's 进展填报 says under its title: the verdict, how many problems, what its
    pink and yellow cells are and where all of them are listed. It opened on coloured cells and
    comments with nothing on the sheet saying why (QA391)."""
    marked = {i.severity for i, ref in located if ref}
    errors = sum(i.is_error for i, _ in located)
    warnings = len(located) - errors
    red = "（标红的单元格）" if Severity.ERROR in marked else ""
    yellow = "（标黄的单元格）" if Severity.WARNING in marked else ""
    see = "鼠标指向标色的单元格可看说明，" if marked else ""
    if report.outcome == Outcome.UNREADABLE:
        return "校验反馈：报送的文件无法读取，未采纳。原因见“校验结果”表；可在本表重新填写后报送。"
    told = f"{warnings}处警告{yellow}请核实；"
    if errors:
        told = f"共{errors}处错误{red}须改正" + (f"，{told}" if warnings else "；")
        return f"校验反馈：已退回。{told}{see}全部问题见“校验结果”表。改正后请重新报送本文件。"
    return f"校验反馈：已采纳。{told}{see}全部问题见“校验结果”表。"


def _banner(ws, report: Report, located: list[tuple[Issue, str]], style: dict[str, Any]) -> None:
    """`banner_text` as a second line of the title (A1, merged across the form): the first thing a
    department sees, and no cell the return is read by (a row inserted above the form would move
    every cell a message names). Red for a return sent back, dark yellow for one accepted."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    st = style["return"]
    title = ws["A1"].value
    refused = report.outcome == Outcome.UNREADABLE or any(i.is_error for i, _ in located)
    ws["A1"].value = CellRichText(
        TextBlock(InlineFont(rFont=st["title_font"], sz=st["title_size"], b=True), title),
        TextBlock(InlineFont(rFont=st["font"], sz=st["size"] + 1, b=True, color="C00000" if refused else "9C5700"),
                  "\n" + banner_text(report, located)))
    # the title's own alignment wraps (`returns.build_return`): one more line, as tall as its font
    ws.row_dimensions[1].height = (ws.row_dimensions[1].height or 36) + 2 * (st["size"] + 1)


def _owed_by(wb, ref: str, due: dt.date, resubmit: dt.date, size: float) -> None:
    """A refused return's form says at its top the date the correction is owed by (``resubmit``, as
    its 校验结果 sheet and the mail do), not the period's 报送截止 (``due``), long past when the reply
    is read (or, refused just before it, sooner than the working days the correction is given:
    `dates.resubmit_by`): a department reading the top saw a passed deadline. Its 填报说明 names both."""
    from openpyxl.styles import Alignment

    ws = wb[SHEET]
    text = f"{cn_date(resubmit)}（改正后报送）"
    set_text(ws[ref], text)
    ws[ref].alignment = Alignment(vertical="center", wrap_text=True)
    # a form with columns hidden gives the value a date's width (`form_layout`): wrapped, as tall as it needs
    merged = next((m for m in ws.merged_cells.ranges if ref in m), None)
    first, last = (merged.min_col, merged.max_col) if merged else (ws[ref].column, ws[ref].column)
    width = sum(ws.column_dimensions[column_letter(c)].width or 9 for c in range(first, last + 1))
    row = ws[ref].row  # 报送截止 is on the second or third row (`form_layout.LABEL_ROWS`)
    ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 22, row_height([(text, width)], size, 22))
    guide = wb[GUIDE_SHEET]
    for r in range(1, guide.max_row + 1):
        if guide.cell(r, 1).value == "报送截止":
            set_text(guide.cell(r, 2), f"本期报送已退回，请于{cn_date(resubmit)}前将改正后的本表以 Excel 文件（.xlsx）"
                                       f"通过电子邮件重新报送（本期原报送截止日为{cn_date(due)}）。")
            fit_rows(guide, r, r, size + 1)  # as `form_guide.write_guide` sizes its rows


def _place_rows(ws, rows: list[RawRow], col_of: dict[str, int], last: int, size: float, fill) -> dict[int, int]:
    """Write ``rows`` (what the unit typed in a row the reply's form has no place for: E401, E402,
    E406) under the form's ``last`` task row, a blank row between, so a row left there is no task's
    second line when the form comes back (W407, `extra_rows`); each cell unlocked, the unit may
    clear it, and each it filled given ``fill`` (red: nothing of the row was taken). Returns the
    unit's row -> the reply's row, for the issues' marks."""
    from openpyxl.styles import Protection

    placed: dict[int, int] = {}
    unlocked = Protection(locked=False)
    for rr in sorted({rr.row: rr for rr in rows}.values(), key=lambda rr: rr.row):
        r = placed[rr.row] = last + 2 + len(placed)
        for f, c in col_of.items():
            cell = ws.cell(r, c)
            if last >= FIRST_ROW:  # the table's borders and fonts, as the unit's row had them
                cell._style = copy(ws.cell(last, c)._style)
            cell.protection = unlocked
            v = rr.values.get(f)
            if v is None or v == "":
                continue
            if isinstance(v, str):
                set_text(cell, v)
            else:
                cell.value = v
            cell.fill = fill
        fit_rows(ws, r, r, size, custom=False)
    return placed


def _deleted_field(issue: Issue, heads: dict[str, str] = HEADER_OF) -> str | None:
    """The field an E301 names (its message quotes the column's header as ``heads`` gives it:
    a 整改清单's form's, `rectification`)."""
    return next((f for f, h in heads.items() if f"“{h}”" in issue.message), None)


def _result_sheet(res, report: Report, located: list[tuple[Issue, str]], unit: str, period: Period,
                  name: str, style: dict[str, Any], fills: dict, resubmit: dt.date | None = None) -> None:
    """校验结果: the verdict, then one bordered row per problem; printed like the return
    itself (A4 landscape, one page wide, the header repeated), as departments print it. A
    refused return is asked back by ``resubmit``, the mail's day, and so is it at the top of the
    form beside it (`_owed_by`)."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    st = style["return"]
    errors = sum(i.is_error for i in report.issues)
    warnings = len(report.issues) - errors
    headers = ("序号", "级别", "代码", "单元格", "任务编号", "问题说明")
    widths = (6, 6, 7, 9, 9, 80)
    for c, w in enumerate(widths, start=1):
        res.column_dimensions[column_letter(c)].width = w
    res.merge_cells("A1:F1")
    set_text(res["A1"], f"{unit} {period.label}进展填报表校验结果")
    res["A1"].font = Font(name=st["title_font"], size=14, bold=True)
    res["A1"].alignment = Alignment(horizontal="center", vertical="center")
    res.row_dimensions[1].height = 28
    res.merge_cells("A2:F2")
    by = f"于{cn_date(resubmit)}前" if resubmit else ""
    if report.outcome == Outcome.UNREADABLE:  # nothing of the file is in the form: none of it is red
        verdict = (f"文件无法读取，未采纳。请按下表的说明处理后，{by}重新报送；“进展填报”表是本期空白的填报表，"
                   "也可在其中重新填写后报送。")
    elif errors:
        verdict = f"有错误，未采纳。请修改“进展填报”表中标红的单元格后，{by}重新报送本文件。"
    else:
        verdict = "已采纳。标黄的单元格请核实，如需更正请修改后重新报送。"
    text = f"共 {errors} 个错误、{warnings} 个警告。{verdict}（原文件：{name}）"
    text_font = Font(name=st["font"], size=st["size"])
    set_text(res["A2"], text)
    res["A2"].font = text_font
    res["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    res.row_dimensions[2].height = row_height([(text, sum(widths))], st["size"], 22)
    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor=color(st.get("header_fill"), "D9E1F2"))
    for c, h in enumerate(headers, start=1):
        set_text(res.cell(3, c), h)
        style_cell(res.cell(3, c), font=Font(name=st["header_font"], bold=True), fill=header_fill,
                   alignment=Alignment(horizontal="center", vertical="center"), border=border)
    res.row_dimensions[3].height = 20
    body = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(horizontal="center", vertical="top")
    for n, (issue, ref) in enumerate(located, start=1):
        values = (n, issue.severity, issue.code, ref, issue.task, issue.message)
        for c, v in enumerate(values, start=1):
            cell = res.cell(3 + n, c)
            if isinstance(v, int):
                cell.value = v
            else:
                set_text(cell, v)
            style_cell(cell, font=text_font, alignment=body if c == 6 else centred, border=border,
                       fill=fills.get(issue.severity) if c == 2 else None)
        res.row_dimensions[3 + n].height = row_height([(issue.message, widths[5])], st["size"])
    res.freeze_panes = "A4"
    res.print_title_rows = "3:3"
    fit_a4(res, numbered=True)


def ordered(issues: list[Issue]) -> list[Issue]:
    """Errors first: a reply must never hide what sends the return back behind warnings."""
    return sorted(issues, key=lambda i: not i.is_error)


def write_feedback(ws: Workspace, master: Master, report: Report, data: bytes, name: str,
                   sender: str = "", beside: Sequence[str] = ()) -> list[Path]:
    """Write 反馈/<期>/<单位>_校验反馈.xlsx and its .eml draft; returns both paths.

    The draft goes to whoever sent the return when that is known (``sender``), with the
    单位名录 address in Cc; else to the 单位名录 address. ``beside``: the documents the unit
    sent in the same round (`owed.documents_beside`), named as received, not as its return."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import build_draft, render_mail_template

    period = report.period
    # the workspace's day, not the machine's, read once: the draft's folder, its date and the
    # resubmission date must not move with TZ (a laptop left on UTC would ask for "today" in
    # Dongguan's terms), nor disagree when the office's midnight passes while it is written
    today = ws.now().date()
    xlsx_path, eml_path = feedback_paths(ws, report.unit or "", period, today)
    with Ledger(ws.ledger_path, readonly=True) as ledger:  # the deadline printed on the forms
        # under the unit's current name, as the verdict reads it (`on_time.timeliness`
        # holds a correction to the date this reply names): a unit renamed since its form
        # went out was asked by the period's deadline, not its own
        dues = issued_dues(ledger, period, master, undated=ws.due(period))
        project = ledger.issued_project(period) or ws.project or master.title  # the month's name (QA386)
    due = unit_due(ws, period, dues, ws.due(period, common_due(dues)), report.unit or "")
    resubmit = resubmit_by(due, today, ws.settings.resubmit_working_days)
    wb, located = build_feedback(master, report, data, name, project=project, due=due,
                                 style=load_style(ws.template("样式.toml")), limits=ws.limits,
                                 organiser=ws.organiser, contact=ws.contact, resubmit=resubmit)
    atomic_save(wb, xlsx_path)
    unit = master.directory.get(report.unit or "")
    subject, body = render_mail_template(ws.template("反馈邮件.txt"), {
        "project": project, "unit": report.unit, "period_label": period.label,
        "file_name": name, "beside": list(beside), "errors": report.errors, "warnings": report.warnings,
        "unreadable": report.outcome == Outcome.UNREADABLE, "rectification": is_rectification(master),
        # The cells of the attached workbook, which the mail asks to fix and send back: the
        # return's own cells were elsewhere once a unit had sorted its rows, inserted a row or
        # a 序号 column (its W302 columns are back in place there, so they name none).
        "issues": [replace(issue, cell=ref) for issue, ref in located],
        "due_text": cn_date(resubmit),
        "organiser": ws.organiser, "contact": ws.contact, "today_text": cn_date(today)},
        sections=master.of_sections)
    directory_to, _ = parse_addresses(unit.email if unit else "")
    sent_from, _ = parse_addresses(sender)
    if sent_from:
        known = {a.lower() for _, a in sent_from}
        to, cc = sent_from, [p for p in directory_to if p[1].lower() not in known]
    else:
        to, cc = directory_to, []
    eml = build_draft(to=to, cc=cc, subject=subject, body=body,
                      attachments=[(xlsx_path.name, xlsx_path.read_bytes())], sender=ws.sender)
    atomic_write(eml_path, lambda tmp: tmp.write_bytes(eml))
    return [xlsx_path, eml_path]
