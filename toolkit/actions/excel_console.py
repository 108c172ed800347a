"""`duban excel-console`: the Excel console (控制台.xlsm), a thin xlwings layer over plain functions.

What the buttons do is `console_action`, tested without Excel.

Built from xlwings' standalone quickstart workbook, whose VBA has ``SampleCall``: it runs
``import <workbook name>; <workbook name>.main()``. We add three form buttons that all
call SampleCall; ``main()`` in the generated 控制台.py asks Excel which button was
clicked (``Application.Caller``) and dispatches. xlwings drives Microsoft Excel on
Windows and macOS only; WPS is not supported.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from ..consolidate import consolidate
from ..files import atomic_write, check_writable
from ..issue_notes import issue_notes
from ..period import Period
from ..workspace import Workspace, find_workspace
from ..xlsx import set_text
from .collect import collect
from .issue import issue_returns
from .memo import write_memo
from .merge import merge
from .status import STATUS_COLUMNS, status_rows

ACTIONS = ("下发", "收取汇总", "生成通报")


@dataclass
class ConsoleOutcome:
    """One button press: a one-line message for the sheet and the 报送情况 table."""

    message: str
    ok: bool = True
    table: list[list[object]] = field(default_factory=list)


def period_from_cell(value: object) -> Period:
    """Excel gives a period cell back as text, a number (202206) or a date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return Period(value.year, value.month)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value in (None, ""):
        raise errors.BadPeriod("请在“期次”单元格填写期次，如 2022-06。")
    return Period.parse(str(value))


def status_table(ws: Workspace, period: Period) -> list[list[object]]:
    """The 报送情况 table (header + one row per unit), empty before anything is collected."""
    if not ws.ledger_path.exists():
        return []
    # as `duban status` and 报送情况 give it: a unit not yet due is 未报送（尚未截止） here too
    return [list(STATUS_COLUMNS), *(list(row.values()) for row in status_rows(consolidate(ws, period, tasks=False)))]


def console_action(ws: Workspace, action: str, period_value: object) -> ConsoleOutcome:
    """Run one console button. Never raises for a coordinator's mistake: the message says it."""
    try:
        period = period_from_cell(period_value)
        if action not in ACTIONS:
            raise errors.UsageError(f"不认识的操作“{action}”。")
        with ws.lock():
            message, notes = _act(ws, action, period)
        # what the command line says in yellow before the 填报表, 汇总表 and 通报 go out (请核实: a W206
        # file, a time read from a file's date, a mail too big to fetch): the console's user
        # sees no screen but this cell, and published a 通报 naming units on an unchecked verdict
        return ConsoleOutcome("\n".join([message, *dict.fromkeys(notes)]), True, status_table(ws, period))
    except errors.DubanError as exc:
        return ConsoleOutcome(f"未完成：{exc.message}", False)


def _act(ws: Workspace, action: str, period: Period) -> tuple[str, list[str]]:
    """The button's one-line result and the lines the office must check (`issue_notes`' warnings,
    `office_notes`)."""
    if action == "下发":
        result = issue_returns(ws, period, emails=True)
        # the command line's yellow lines (no mail address, a deadline already past, 完成时限
        # read as no date): said before the forms go out, or never
        warnings = [n.text for n in issue_notes(result, emails=True) if n.warning]
        return f"已生成 {period.label}填报表 {len(result.files)} 份及邮件草稿：{result.folder}", warnings
    if action == "收取汇总":
        collected = collect(ws, period)
        merged = merge(ws, period)
        # while some deadline has not passed, those past it and those not apart (`missing_counts`)
        missing = "，".join(f"{label} {n} 个单位" for label, n in merged.consolidation.missing_counts())
        notes = ([merged.kept.line] if merged.kept else []) + merged.consolidation.office_notes()
        # a W206 file collect spoke of that `disputed_notes` asks about opens with the same words:
        # the office's fuller line (who stands 未报送, the command that answers) says it once
        disputed = [f"请核实：{name}：{message}" for name, message in collected.disputed
                    if not any(n.startswith(f"请核实：{name}：") for n in notes)]
        return (f"收到 {collected.inputs} 个文件，采纳 {collected.accepted}，退回 {collected.returned}；"
                f"{missing}。汇总表：{merged.path}", disputed + notes)
    result = write_memo(ws, period)
    return f"通报：{result.path}", result.warnings


CONSOLE_NAME = "控制台"
SHEET = "控制台"
PERIOD_CELL = "B3"
ACTION_CELL = "B4"
MESSAGE_CELL = "B5"
TABLE_CELL = "A8"

MODULE_SOURCE = '''"""督办 Excel 控制台：由 duban excel-console 生成，按钮通过 xlwings 的 RunPython 调用这里。"""

import xlwings as xw

from toolkit.actions.excel_console import run_button


def main():
    run_button(xw.Book.caller())
'''


def quickstart_template() -> Path:
    """xlwings' standalone quickstart workbook (VBA included, no add-in needed)."""
    try:
        import xlwings
    except ImportError as exc:
        raise errors.UsageError('生成 Excel 控制台需要 xlwings：pip install "duban[excel]"') from exc
    path = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    if not path.exists():
        raise errors.UsageError(f"xlwings 安装不完整，找不到 {path.name}。请重新安装：pip install -U xlwings")
    return path


def _interpreters(root: Path) -> tuple[str, str]:
    """Absolute interpreter paths for xlwings.conf: the workspace's .venv from 0-首次安装,
    else the Python running now (xlwings does not resolve relative paths reliably)."""
    win = root / ".venv" / "Scripts" / "pythonw.exe"
    mac = root / ".venv" / "bin" / "python"
    if not win.exists() and sys.platform.startswith("win"):
        win = Path(sys.executable).with_name("pythonw.exe")
    if not mac.exists() and sys.platform == "darwin":
        mac = Path(sys.executable)
    return str(win), str(mac)


def create_console(ws: Workspace) -> Path:
    """Write 控制台.xlsm and 控制台.py into the workspace; returns the workbook path."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation


    target = ws.root / f"{CONSOLE_NAME}.xlsm"
    check_writable(target)
    wb = load_workbook(quickstart_template(), keep_vba=True)
    sheet = wb.worksheets[0]
    sheet.title = SHEET
    set_text(sheet["A1"], f"{ws.project or '专项行动'}督办控制台")
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    labels = (("A3", "期次"), ("A4", "操作"), ("A5", "结果"))
    for ref, text in labels:
        set_text(sheet[ref], text)
        sheet[ref].font = Font(name="黑体", bold=True)
    set_text(sheet[PERIOD_CELL], str(ws.period()))
    sheet[PERIOD_CELL].fill = PatternFill("solid", fgColor="FFF2CC")
    dv = DataValidation(type="list", formula1='"' + ",".join(ACTIONS) + '"', allow_blank=True)
    dv.add(ACTION_CELL)
    sheet.add_data_validation(dv)
    set_text(sheet["C3"], "填写期次（如 2022-06），再点击右侧按钮。")
    set_text(sheet["C4"], "按钮无效时（如 macOS），在此选择操作后点任一按钮。")
    sheet[MESSAGE_CELL].alignment = Alignment(wrap_text=True, vertical="top")
    set_text(sheet["A7"], "报送情况")
    sheet["A7"].font = Font(name="黑体", bold=True)
    for col, width in zip("ABCDEFGHIJ", (22, 10, 10, 10, 16, 30, 7, 7, 8, 7)):
        sheet.column_dimensions[col].width = width
    interpreter_win, interpreter_mac = _interpreters(ws.root)
    conf_name = next((n for n in wb.sheetnames if n.lstrip("_") == "xlwings.conf"), None)
    conf = wb[conf_name] if conf_name else wb.create_sheet("xlwings.conf")
    conf.title = "xlwings.conf"  # without the underscore the settings are active
    settings = {"Interpreter_Win": interpreter_win, "Interpreter_Mac": interpreter_mac,
                "PYTHONPATH": str(ws.root)}
    for row in conf.iter_rows():
        name = row[0].value
        if name in settings and len(row) > 1:
            row[1].value = settings.pop(name)
    for name, value in settings.items():
        conf.append([name, value])
    buf = io.BytesIO()
    wb.save(buf)
    data = _add_buttons(buf.getvalue(), sheet_index=1)
    atomic_write(target, lambda tmp: tmp.write_bytes(data))
    module = ws.root / f"{CONSOLE_NAME}.py"
    module.write_text(MODULE_SOURCE, encoding="utf-8")
    return target


_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel">'
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
    '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" '
    'o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>')
_VML_BUTTON = (
    '<v:shape id="_x0000_s{sid}" type="#_x0000_t201" style="position:absolute;margin-left:{left}pt;'
    'margin-top:30pt;width:80pt;height:26pt;z-index:{z};mso-wrap-style:tight" o:button="t" '
    'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
    '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/><o:lock v:ext="edit" rotation="t"/>'
    '<v:textbox style="mso-direction-alt:auto" o:singleclick="f"><div style="text-align:center">'
    '<font face="SimHei" size="240" color="#000000">{caption}</font></div></v:textbox>'
    '<x:ClientData ObjectType="Button"><x:Anchor>{col}, 0, 2, 0, {col2}, 0, 4, 0</x:Anchor>'
    '<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill>'
    '<x:FmlaMacro>[0]!SampleCall</x:FmlaMacro><x:TextHAlign>Center</x:TextHAlign>'
    '<x:TextVAlign>Center</x:TextVAlign></x:ClientData></v:shape>')


def _add_buttons(data: bytes, sheet_index: int) -> bytes:
    """Add legacy (VML) form buttons calling SampleCall, as XlsxWriter's insert_button does."""
    vml = _VML_HEAD + "".join(
        _VML_BUTTON.format(sid=1025 + i, left=360 + 96 * i, z=i + 1, caption=caption, col=5 + 2 * i, col2=6 + 2 * i)
        for i, caption in enumerate(ACTIONS)) + "</xml>"
    src = zipfile.ZipFile(io.BytesIO(data))
    sheet_path = f"xl/worksheets/sheet{sheet_index}.xml"
    rels_path = f"xl/worksheets/_rels/sheet{sheet_index}.xml.rels"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        names = src.namelist()
        for name in names:
            content = src.read(name)
            if name == sheet_path:
                text = content.decode("utf-8")
                # legacyDrawing must precede tableParts/extLst in the schema's element order
                anchor = next((m.start() for m in (re.search(p, text) for p in
                                                   (r"<tableParts", r"<extLst", r"</worksheet>")) if m), len(text))
                text = text[:anchor] + '<legacyDrawing r:id="rIdDubanVml"/>' + text[anchor:]
                if 'xmlns:r="' not in text[:500]:
                    text = text.replace("<worksheet ", '<worksheet xmlns:r="http://schemas.openxmlformats.org/'
                                        'officeDocument/2006/relationships" ', 1)
                content = text.encode("utf-8")
            elif name == rels_path:
                content = content.replace(b"</Relationships>", _VML_REL + b"</Relationships>")
            elif name == "[Content_Types].xml" and b'Extension="vml"' not in content:
                content = content.replace(b"<Default ", b'<Default Extension="vml" ContentType='
                                          b'"application/vnd.openxmlformats-officedocument.vmlDrawing"/><Default ', 1)
            z.writestr(name, content)
        if rels_path not in names:
            z.writestr(rels_path, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                                  b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       + _VML_REL + b"</Relationships>")
        z.writestr("xl/drawings/vmlDrawingDuban1.vml", vml.encode("utf-8"))
    return out.getvalue()


_VML_REL = (b'<Relationship Id="rIdDubanVml" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/vmlDrawing" Target="../drawings/vmlDrawingDuban1.vml"/>')


def clicked_action(book) -> str:
    """Which button was clicked: its caption via Application.Caller, else the 操作 cell."""
    sheet = book.sheets[SHEET]
    try:
        caller = book.app.api.Caller
        caption = sheet.api.Buttons(caller).Caption
        if caption in ACTIONS:
            return caption
    except Exception:  # macOS, or run from the VBA editor: no caller button
        pass
    chosen = sheet[ACTION_CELL].value
    return str(chosen or "")


def run_button(book) -> None:
    """Entry point for the buttons (called from 控制台.py through RunPython)."""
    sheet = book.sheets[SHEET]
    ws = find_workspace(Path(book.fullname).parent, explicit=True)
    outcome = console_action(ws, clicked_action(book), sheet[PERIOD_CELL].value)
    sheet[MESSAGE_CELL].value = outcome.message
    table_area = sheet.range(TABLE_CELL).expand()
    table_area.clear_contents()
    if outcome.table:
        sheet[TABLE_CELL].value = outcome.table
