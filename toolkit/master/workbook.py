"""The master workbook (任务清单 / 责任分工 / 单位名录): writing it and reading it back.

The 责任分工 sheet is the coordinator's to edit; once written, it is the truth for who does
what. Writing uses openpyxl (imported when writing: reading the master must stay quick
for every command).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from .. import errors
from ..addresses import bad_addresses
from ..dates import parse_deadline, title_year
from ..files import atomic_write
from ..places import plan_level, plan_place
from ..report import Issue, make_issue
from ..text import clean, key, squash
from ..units import DIRECTORY_HEADERS, Directory, Unit, guess_kind, split_aliases
from ..vocab import EXPLICIT, Role
from ..xlsx import atomic_save, set_text
from . import cache
from .cells import cell_text
from .date_columns import RECORD_HEADERS, RECORD_SHEET, judge, read_record, record_rows
from .model import Assignment, Master, Task, missing_fields

# `summary` (with `rectification`'s 22-field `Words`): imported where the import report is
# written. Reading the master, which every command does, never needs it: 1.4 ms of `duban status`
# (its two modules, per-module import time, min of 8 runs, 2-core EPYC, Python 3.11).

LEAD, COOP = Role.LEAD, Role.COOP
TASK_HEADERS = ("任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限",
                "截止日期", "长期", "牵头单位", "配合单位", "备注", "责任部门（原文）")
ASSIGN_HEADERS = ("任务编号", "单位", "责任类型", "来源")
#: The import report; written for the coordinator to read, never read back.
REPORT_SHEET = "导入报告"
ISSUE_HEADERS = ("序号", "代码", "级别", "位置", "任务", "说明")


def _report_sheet(ws, master: Master, header_font, header_fill, wrap) -> None:
    """The import report: the summary lines, then the problems ranked by what they break."""
    from openpyxl.styles import Alignment

    from .summary import summary_lines  # deferred: reading the master never needs it (see the imports)

    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 16
    ws.column_dimensions["E"].width = 9
    ws.column_dimensions["F"].width = 90
    for line in summary_lines(master):
        ws.append([None] * 5 + [line])
    ws.append([])
    ws.append(["问题（按影响从大到小）"] if master.issues else ["导入时未发现问题。"])
    ws.cell(ws.max_row, 1).font = header_font
    if master.issues:
        ws.append(list(ISSUE_HEADERS))
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for n, issue in enumerate(master.issues, start=1):
            ws.append([n, issue.code, str(issue.severity), issue.location, issue.task, None])
            set_text(ws.cell(ws.max_row, 6), issue.message)
            for cell in ws[ws.max_row]:
                cell.alignment = wrap

def write_master_workbook(master: Master, path: str | Path, before: Callable[[Path], object] | None = None) -> Path:
    """Write the master workbook atomically; returns its path. ``before(tmp)``, if given, runs
    once the new workbook is made and before it replaces ``path`` (`files.atomic_write`: a
    re-import keeps the workbook it replaces there, `actions.master_import.keep_previous`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    header_font = Font(name="黑体", bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(ws, headers, rows, widths):
        ws.append(list(headers))
        for c, cell in enumerate(ws[1], start=1):
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[cell.column_letter].width = widths[c - 1]
        for r, values in enumerate(rows, start=2):
            for c, v in enumerate(values, start=1):
                cell = ws.cell(r, c)
                set_text(cell, v) if isinstance(v, str) else setattr(cell, "value", v)
                cell.alignment = wrap
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions

    ws = wb.active
    ws.title = "任务清单"
    rows = []
    for t in master.tasks:
        rows.append([t.id, t.level1, t.level2, t.name, t.content, t.deadline_text,
                     t.deadline, "是" if t.ongoing else "否",
                     master.display_units(t.id, LEAD), master.display_units(t.id, COOP),
                     t.note if t.complete else ("【信息不完整】" + t.note).rstrip("；"),
                     t.departments_text])
    sheet(ws, TASK_HEADERS, rows, [9, 20, 22, 24, 60, 12, 12, 6, 30, 30, 24, 40])
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].number_format = "yyyy-mm-dd"

    ws2 = wb.create_sheet("责任分工")
    sheet(ws2, ASSIGN_HEADERS, [[a.task, a.unit, a.role, a.source] for a in master.assignments],
          [9, 28, 10, 18])
    dv = DataValidation(type="list", formula1='"牵头,配合"', allow_blank=False)
    ws2.add_data_validation(dv)
    dv.add(f"C2:C{max(2, len(master.assignments) + 200)}")

    ws3 = wb.create_sheet("单位名录")
    sheet(ws3, ("单位", "简称/别名", "类别", "联系人", "电话", "邮箱"), master.directory.to_rows(),
          [26, 40, 10, 10, 16, 28])

    _report_sheet(wb.create_sheet(REPORT_SHEET), master, header_font, header_fill, wrap)

    meta = wb.create_sheet("_meta")
    for k, v in (("schema", "duban.master/1"), ("project", master.title),
                 ("source", master.source), ("fingerprint", master.fingerprint),
                 ("organiser", master.organiser)):
        meta.append([k, v])
    if master.kind:  # a 整改清单 (`rectification`); a plan's workbook as before
        meta.append(["kind", master.kind])
    meta.sheet_state = "hidden"
    # what the import wrote in 完成时限 and 截止日期: a 截止日期 left as written under words the
    # office edited since is stale, one it changed is meant (`date_columns.judge`)
    record = wb.create_sheet(RECORD_SHEET)
    for row in (list(RECORD_HEADERS), *record_rows(master.tasks)):
        record.append(row)
    record.sheet_state = "hidden"
    if before is None:  # init, `import_master_file`: as ever
        return atomic_save(wb, Path(path))
    return atomic_write(Path(path), wb.save, before=before)


DIRECTORY_SHEET = "单位名录"
_EMAIL_COLUMN = "F"  # 邮箱, the 6th column of DIRECTORY_HEADERS
assert DIRECTORY_HEADERS[5] == "邮箱"


def directory_address_issues(rows: list[list], file: str = "", first_row: int = 2) -> list[Issue]:
    """Problems of 单位名录 rows (sheet row ``first_row`` onwards), each with its row: M112 for
    a bad 邮箱; M113 for a name or alias an earlier row already has as the lookup compares
    names (`text.key`: 市委宣传部（市新闻办） is 市委宣传部(市新闻办)). Such rows were one
    unit, silently: the returns went to one, the other's contacts were never used."""
    out = []
    seen: dict[str, tuple[int, str, str]] = {}  # key -> (row, unit, name as written there)
    for n, r in enumerate(rows, start=first_row):
        r = list(r) + [None] * 6
        unit = clean(r[0])
        for value in dict.fromkeys((unit, *split_aliases(r[1])) if unit else ()):
            first = seen.setdefault(key(value), (n, unit, value))
            if first[0] != n:
                column = "A" if value == unit else "B"
                out.append(make_issue("M113", file=file, sheet=DIRECTORY_SHEET, cell=f"{column}{n}", row=n,
                                      unit=unit, what=_naming(unit, value), other_row=first[0],
                                      other_unit=first[1], other_what=_naming(first[1], first[2])))
                break  # one line per row is enough to send the coordinator to it
        for bad in bad_addresses(r[5]):
            out.append(make_issue("M112", file=file, sheet=DIRECTORY_SHEET, cell=f"{_EMAIL_COLUMN}{n}",
                                  row=n, unit=unit or "（无名称）", value=bad))
    return out


def _naming(unit: str, value: str) -> str:
    """How M113 points at a name in a row: the unit's own name, or one of its aliases."""
    return "的名称" if value == unit else f"的简称“{value}”"


# The last master read, by file identity. `duban run` and `collect` then `merge` in one
# process read the same workbook twice: at 200 tasks and 1,000 units a read is 4 % of the
# run (W2 profile). The identity includes the inode, so a workbook saved since (always a new
# file: saves are atomic renames) is read again. Callers treat the master as read-only.
_last: tuple[tuple, Master] | None = None


def read_master_workbook(path: str | Path) -> Master:
    """Read the master workbook; the 责任分工 sheet is the truth for who does what."""
    global _last
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        raise errors.NoTasks(f"找不到任务清单工作簿：{path}。请先运行 duban master import 导入任务分工表。") from None
    identity = (str(path.resolve()), st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns)
    if _last is not None and _last[0] == identity:
        return _last[1]
    try:
        data = path.read_bytes()  # parsed and hashed alike: a save meanwhile cannot split them
    except OSError:
        data = None  # the read below says what is wrong
    where = cache.cache_path(path) if data is not None else None
    key = cache.cache_key(data) if where is not None else ""
    master = cache.load(where, key) if where is not None else None
    if master is None:
        master = _read_master_workbook(path, data)
        if where is not None:
            cache.store(where, key, master)
    _last = (identity, master)
    return master


def _read_master_workbook(path: Path, data: bytes | None = None) -> Master:
    """The model from the workbook at ``path``, or from its bytes ``data`` when already read."""
    import io

    from python_calamine import CalamineError, CalamineWorkbook, load_workbook

    try:
        wb = load_workbook(str(path)) if data is None else CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = {squash(n): n for n in wb.sheet_names}

        def table(name: str) -> list[list]:
            if name not in sheets:
                raise errors.NoTasks(f"任务清单工作簿“{path.name}”缺少“{name}”工作表。")
            return wb.get_sheet_by_name(sheets[name]).to_python(skip_empty_area=False)

        task_rows = table("任务清单")
        assign_rows = table("责任分工")
        unit_rows = table(DIRECTORY_SHEET)
        meta_rows = table("_meta") if "_meta" in sheets else []
        imported = read_record(table(RECORD_SHEET)) if RECORD_SHEET in sheets else {}
    except CalamineError as exc:
        # calamine's own text is English ("Cannot detect file format"): it goes to the log
        raise errors.NoTasks(f"任务清单工作簿“{path.name}”无法读取：文件已损坏，或不是 Excel 工作簿。"
                             "请用 Excel 或 WPS 打开检查，必要时另存为 .xlsx，"
                             "或用备份的任务分工表替换后重新运行。") from exc
    meta = {clean(r[0]): clean(r[1]) for r in meta_rows if len(r) >= 2}
    directory = Directory.from_rows(unit_rows[1:])
    tasks = []
    idx = _column_index(task_rows[0] if task_rows else [], TASK_HEADERS)
    # a row the office adds or edits with 完成时限 “12月底前” and no 截止日期 is dated as the
    # import dates the table's own rows, by the title's year: read without it, the task was
    # never 超期 and never 下月到期, and nothing said so
    plan_year = title_year(meta.get("project", ""))
    for r in task_rows[1:]:
        get = _getter(r, idx)
        tid = cell_text(get("任务编号"))
        if not tid:
            continue
        deadline_text = clean(get("完成时限"))
        parsed, ongoing = parse_deadline(deadline_text)
        if deadline_text and parsed is None and not ongoing and plan_year:
            parsed, _ = parse_deadline(deadline_text, plan_year)
        explicit = get("截止日期")
        explicit = explicit.date() if isinstance(explicit, dt.datetime) else explicit
        dated_by, other = "", None
        if isinstance(explicit, dt.date):
            if parsed is not None and parsed != explicit and not ongoing:
                # the words and the day disagree: which was changed decides (QA369), and it is said
                words_day = parsed
                parsed, dated_by = judge(deadline_text, words_day, explicit, imported.get(tid), plan_year)
                other = explicit if parsed == words_day else words_day
            else:
                parsed = explicit
        if "长期" in idx:
            # 是 makes any task ongoing; 否, written at import, does not make a 持续推进 the
            # office typed into 完成时限 later (no 截止日期) a task with no date, which issue
            # called 无法识别 and the 汇总表 called 否超期 instead of 长期
            ongoing = clean(get("长期")) in ("是", "Y", "y", "yes", "1", "√") or (ongoing and parsed is None)
        note = clean(get("备注"))
        complete = not note.startswith("【信息不完整】")
        note = note.removeprefix("【信息不完整】")
        tasks.append(Task(tid, clean(get("一级任务")), clean(get("二级任务")), clean(get("工作任务")),
                          clean(get("具体工作内容")), deadline_text, None if ongoing else parsed,
                          ongoing, note, clean(get("责任部门（原文）")),
                          "等有关部门" in note or "等有关部门" in clean(get("责任部门（原文）")),
                          complete, *((dated_by, other.isoformat()) if dated_by and not ongoing else ())))
    if not tasks:
        raise errors.NoTasks(f"任务清单工作簿“{path.name}”中没有任务。请先导入任务分工表。")
    aidx = _column_index(assign_rows[0] if assign_rows else [], ASSIGN_HEADERS)
    assignments = []
    # The same unit names recur on every task they share: resolve each once (10,000
    # assignments resolved 20,000 times took 30 ms of a W2 master read).
    canonical_of: dict[str, str] = {}
    directory.locate(meta.get("organiser", ""), meta.get("project", ""))  # 宜昌市教育局 is 名录's 市教育局
    plan, place = None, ""  # the plan's level and place, found when a unit the 单位名录 sheet lacks needs a kind
    # A unit named twice on one task (a row pasted twice, or its name typed another way:
    # half-width brackets, an alias) holds it once, as 牵头 if either row says so; else its
    # form lists the task twice and its own correct return is refused (E403).
    seen: dict[tuple[str, str], int] = {}
    for r in assign_rows[1:]:
        get = _getter(r, aidx)
        tid, unit, role = cell_text(get("任务编号")), clean(get("单位")), clean(get("责任类型"))
        if not (tid and unit):
            continue
        canonical = canonical_of.get(unit)
        if canonical is None:
            canonical = canonical_of[unit] = directory.resolve(unit) or unit
            if canonical not in directory:
                if plan is None:  # read as the import read it: organiser, the units' names, the title
                    named = {clean(_getter(row, aidx)("单位")) for row in assign_rows[1:]} - {""}
                    plan = plan_level(meta.get("organiser", ""), meta.get("project", ""), sorted(named))
                    place = plan_place(meta.get("organiser", ""), meta.get("project", ""))
                directory.add(Unit(canonical, guess_kind(canonical, plan, place)))
        at = seen.get((tid, canonical))
        if at is not None:
            if role == LEAD and assignments[at].role != LEAD:
                assignments[at] = Assignment(tid, canonical, LEAD, assignments[at].source)
            continue
        seen[(tid, canonical)] = len(assignments)
        assignments.append(Assignment(tid, canonical, LEAD if role == LEAD else COOP,
                                      clean(get("来源")) or EXPLICIT))
    # Directory problems travel with the master so every command that reads it can say so.
    return Master(meta.get("project") or path.stem, tasks, assignments, directory,
                  directory_address_issues(unit_rows[1:], path.name),
                  meta.get("source", path.name), organiser=meta.get("organiser", ""),
                  kind=meta.get("kind", ""))  # '' in a workbook written before QA322: a plan


def read_own_workbook(path: Path) -> Master | None:
    """The master of a master workbook duban wrote (its hidden ``_meta`` says
    ``duban.master/…``), read whole: its tasks, 责任分工 and 单位名录 with the contacts and
    addresses; None for any other file. Given to ``init --master`` or ``master import`` (last
    year's workspace, a colleague's), it was imported as a published table: its 单位名录's
    addresses and contacts were dropped for the bundled directory's, and no mail was ever
    matched to a unit by its sender (QA170)."""
    # deferred as in `_read_master_workbook`: most commands read the master from its cache
    import io

    from python_calamine import CalamineError, CalamineWorkbook

    try:
        # by its bytes: calamine reads a workbook by its content, where from_path goes by the
        # name's extension and refused WPS's .et (an .xls inside: QA183)
        data = path.read_bytes()
    except OSError as exc:  # not "not ours": imported as a table, its 单位名录 was lost (QA276)
        raise (errors.os_fault(exc, path, op="read") or exc) from exc
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        meta = next((n for n in wb.sheet_names if squash(n) == "_meta"), None)
        rows = wb.get_sheet_by_name(meta).to_python() if meta else []
    except (CalamineError, OSError, ValueError):
        return None  # not a workbook calamine reads: the import says what it is
    schema = next((clean(r[1]) for r in rows if len(r) >= 2 and clean(r[0]) == "schema"), "")
    if not schema.startswith("duban.master/"):
        return None
    master = _read_master_workbook(path, data)
    # said where it is written: the 单位名录's problems by `master import` of the sheet it
    # writes (once, QA172), as for a table; the tasks' gaps as a re-import said them
    master.issues = [i for i in master.issues if i.code not in ("M112", "M113")] + _task_gaps(master, path.name)
    return master


def _task_gaps(master: Master, file: str) -> list[Issue]:
    """What importing a published table says of its tasks, said of a master workbook taken
    whole: a task missing its text, its 完成时限 or its units (M101: `missing_fields`, the
    import's rule), one no unit leads (M106).
    Without it a colleague's workbook whose tasks had no 完成时限 came in without a word, where
    importing its table had said so (QA172). Said of the tasks as they stand now."""
    roles: dict[str, set[str]] = {}
    for a in master.assignments:
        roles.setdefault(a.task, set()).add(a.role)
    issues = []
    dated = any(t.deadline_text for t in master.tasks)  # a table with no 完成时限 at all: said once at import
    for t in master.tasks:
        loc = dict(file=file, sheet="任务清单", task=t.id)
        missing = missing_fields(t.name, t.content, t.deadline_text, dated, t.id in roles, t.ongoing)
        if missing:
            issues.append(make_issue("M101", name=t.name or t.level2 or t.level1, missing="、".join(missing), **loc))
        if t.id in roles and LEAD not in roles[t.id]:
            issues.append(make_issue("M106", name=t.name or t.content[:20], why="只写了配合单位", **loc))
    return issues


def _getter(row: list, index: dict[str, int]):
    def get(header: str):
        c = index.get(header)
        return row[c] if c is not None and c < len(row) else None
    return get


def _column_index(header: list, wanted: tuple[str, ...]) -> dict[str, int]:
    keys = [key(h) for h in header]
    return {h: keys.index(key(h)) for h in wanted if key(h) in keys}
