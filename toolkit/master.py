"""The master task list (任务分工表): import from the published table, the master workbook.

The published table is a Word table (or an Excel sheet) with a two-row header, vertically
merged 一级/二级 cells and a free-text 责任部门 column. Both formats are first turned into a
plain grid of cell texts, and one parser reads tasks from the grid. Problems are `Issue`
records; only an unusable file raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import errors
from .dates import parse_deadline
from .report import Issue, make_issue
from .text import clean, key, squash
from .units import CITY, GROUP_NAME_BY_KIND, Directory, Unit, group_kind, guess_kind

LEAD = "牵头"
COOP = "配合"
EXPLICIT = "明确"

TASK_HEADERS = ("任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限",
                "截止日期", "长期", "牵头单位", "配合单位", "备注", "责任部门（原文）")
ASSIGN_HEADERS = ("任务编号", "单位", "责任类型", "来源")


@dataclass(frozen=True)
class Task:
    """One task (三级 row of the published table)."""

    id: str
    level1: str
    level2: str
    name: str
    content: str
    deadline_text: str
    deadline: dt.date | None = None
    ongoing: bool = False
    note: str = ""
    departments_text: str = ""
    open_ended: bool = False
    complete: bool = True

    @property
    def master_text(self) -> tuple[str, str, str, str, str]:
        """The locked texts a return shows for this task, in column order."""
        return (self.level1, self.level2, self.name, self.content, self.deadline_text)

    @property
    def text_hash(self) -> str:
        return text_hash(self.master_text)

    def overdue_at(self, day: dt.date) -> bool:
        """Past its deadline on ``day`` (never for long-term or undated tasks)."""
        return not self.ongoing and self.deadline is not None and self.deadline < day

    def due_by(self, day: dt.date) -> bool:
        """Deadline falls on or before ``day``."""
        return not self.ongoing and self.deadline is not None and self.deadline <= day


def text_hash(texts: tuple[str, ...] | list[str]) -> str:
    """sha256 of a task's master texts; tolerant of whitespace differences."""
    joined = "\x1f".join(key(t) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Assignment:
    """One unit's responsibility for one task."""

    task: str
    unit: str
    role: str
    source: str = EXPLICIT


@dataclass
class Master:
    """The master list: tasks, who does what, and the directory of units."""

    title: str
    tasks: list[Task]
    assignments: list[Assignment]
    directory: Directory
    issues: list[Issue] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        self._by_id = {t.id: t for t in self.tasks}
        # Checking a thousand returns asks for the same unit's tasks over and over.
        self._by_unit: dict[str, list[tuple[Task, str]]] = {}
        self._by_task: dict[str, list[Assignment]] = {}
        for a in self.assignments:
            self._by_task.setdefault(a.task, []).append(a)
            if a.task in self._by_id:
                self._by_unit.setdefault(a.unit, []).append((self._by_id[a.task], a.role))
        for pairs in self._by_unit.values():
            pairs.sort(key=lambda p: (p[1] != LEAD, task_sort_key(p[0].id)))

    def task(self, task_id: str) -> Task | None:
        return self._by_id.get(task_id)

    @cached_property
    def task_order(self) -> dict[str, int]:
        """Position of each task id in natural id order (1.2 before 1.10)."""
        return {tid: i for i, tid in enumerate(sorted(self._by_id, key=task_sort_key))}

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of the canonical task rows and assignments, as in each return's _meta."""
        rows = []
        for t in sorted(self.tasks, key=lambda t: task_sort_key(t.id)):
            units = sorted((a.unit, a.role) for a in self._by_task.get(t.id, []))
            rows.append([t.id, *(key(x) for x in t.master_text), units])
        blob = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def units_of(self, task_id: str, role: str | None = None) -> list[str]:
        return [a.unit for a in self._by_task.get(task_id, []) if role is None or a.role == role]

    def tasks_of(self, unit: str) -> list[tuple[Task, str]]:
        """A unit's tasks with its role, 牵头 first, then 配合, each by task id."""
        return list(self._by_unit.get(unit, []))

    def units_with_tasks(self) -> list[str]:
        """Units that have at least one task, in directory order."""
        having = {a.unit for a in self.assignments}
        ordered = [u for u in self.directory.names if u in having]
        return ordered + sorted(having - set(ordered))

    def display_units(self, task_id: str, role: str) -> str:
        """Compact unit list: explicit names, and group phrases instead of 33 town names."""
        names: list[str] = []
        for a in self._by_task.get(task_id, []):
            if a.role != role:
                continue
            label = a.unit if a.source == EXPLICIT else a.source
            if label not in names:
                names.append(label)
        return "、".join(names)


def task_sort_key(task_id: str) -> tuple:
    parts = re.split(r"[.．]", str(task_id))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


# ---------------------------------------------------------------------------
# Department grammar


@dataclass
class ParsedDepartments:
    """Result of reading one 责任部门 cell."""

    entries: list[tuple[str, str]]  # (unit or group phrase, role) in order of appearance
    open_ended: bool
    problems: list[str]


_ROLE_WORDS = {"负责": LEAD, "牵头": LEAD, "配合": COOP, "协助": COOP, "参与": COOP}
_SEPARATORS = r"[、，,；;／/\s]+"
_OPEN_ENDED = re.compile(r"(等有关部门|等相关部门|等部门|等有关单位|等单位|等)$")


def parse_departments(text: str, default_role: str = LEAD) -> ParsedDepartments:
    """Split a 责任部门 cell into (unit, role) pairs.

    Clauses end in 负责 (lead) or 配合 (cooperating); units inside a clause are separated by
    、，； . ``X等有关部门`` keeps X and marks the task open-ended. Group phrases (各镇街（园区）,
    市各有关部门) are returned as they are; expansion happens against the directory.
    """
    s = clean(text).replace("\n", "、")
    parts = re.split("(" + "|".join(_ROLE_WORDS) + ")", s)
    entries: list[tuple[str, str]] = []
    problems: list[str] = []
    open_ended = False
    clauses: list[tuple[str, str]] = []
    for i in range(0, len(parts), 2):
        body = parts[i]
        role_word = parts[i + 1] if i + 1 < len(parts) else None
        if role_word is None:
            if body.strip("、，,；;。. \t"):
                if clauses:
                    problems.append(f"末尾“{body.strip('、，,；;。 ')}”缺少“负责”或“配合”，已按配合处理")
                    clauses.append((body, COOP))
                else:
                    clauses.append((body, default_role))
            continue
        if not body.strip("、，,；;。 "):
            problems.append(f"“{role_word}”前没有单位")
            continue
        clauses.append((body, _ROLE_WORDS[role_word]))
    for body, role in clauses:
        for name in re.split(_SEPARATORS, body):
            name = name.strip("。.:：")
            if not name:
                continue
            m = _OPEN_ENDED.search(name)
            if m and group_kind(name) is None:
                open_ended = True
                name = name[: m.start()]
                if not name:
                    continue
            entries.append((name, role))
    return ParsedDepartments(entries, open_ended, problems)


def expand_assignments(task_id: str, parsed: ParsedDepartments,
                       directory: Directory) -> tuple[list[Assignment], list[str]]:
    """Resolve names to canonical units and expand group phrases.

    Named units win over group members: ``市各有关部门负责，市政数局配合`` makes 市政数局 配合 only.
    A unit named both as lead and cooperating stays lead. Returns (assignments, unknown names).
    """
    explicit: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    unknown: list[str] = []
    for name, role in parsed.entries:
        kind = group_kind(name)
        if kind:
            groups.append((kind, role))
            continue
        unit = directory.resolve(name)
        if unit is None:
            unknown.append(name)
            unit = clean(name)
        if explicit.get(unit) != LEAD:
            explicit[unit] = role
    result = [Assignment(task_id, u, r) for u, r in explicit.items()]
    seen = set(explicit)
    for kind, role in sorted(groups, key=lambda g: g[1] != LEAD):
        source = GROUP_NAME_BY_KIND[kind]
        for unit in directory.of_kind(kind):
            if unit not in seen:
                seen.add(unit)
                result.append(Assignment(task_id, unit, role, source))
    result.sort(key=lambda a: a.role != LEAD)
    return result, unknown


# ---------------------------------------------------------------------------
# Reading the published table into a grid


@dataclass
class Grid:
    """Cell texts of a table with merges filled in; ``cont`` marks merge continuations."""

    rows: list[list[str]]
    cont: list[list[bool]]
    sheet: str
    file: str
    docx: bool = False

    def where(self, r: int) -> tuple[str, str]:
        """(sheet, cell) location of grid row ``r`` for an Issue."""
        return self.sheet, (f"第{r + 1}行" if self.docx else f"A{r + 1}")


def _check_openable(path: Path, suffixes: tuple[str, ...]) -> bytes:
    if not path.exists():
        raise errors.FileMissing(f"找不到文件：{path}")
    if not path.is_file():
        raise errors.FileMissing(f"不是文件：{path}")
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        from .sniff import is_encrypted_ole

        if is_encrypted_ole(path.read_bytes()):
            raise errors.EncryptedFile(f"“{path.name}”设置了打开密码，请先取消密码后另存，再导入。")
    if path.suffix.lower() not in suffixes:
        raise errors.UnsupportedFile(
            f"不支持“{path.suffix or path.name}”格式的任务分工表，请使用 Word(.docx) 或 Excel(.xlsx)。")
    return head


def _docx_grids(path: Path) -> tuple[list[Grid], str]:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise errors.NotAMasterList(f"“{path.name}”无法作为 Word 文档打开（{type(exc).__name__}）。"
                                    "请用 Word 或 WPS 打开后另存为 .docx 再导入。") from exc
    title = ""
    for p in document.paragraphs:
        t = squash(p.text)
        if t and t != "附件" and not re.fullmatch(r"附件\d*", t):
            title = t
            break
    grids = []
    for n, table in enumerate(document.tables, start=1):
        rows: list[list[str]] = []
        cont: list[list[bool]] = []
        for tr in table._tbl.tr_lst:
            texts: list[str] = []
            flags: list[bool] = []
            trpr = tr.trPr
            before = 0
            if trpr is not None:
                gb = trpr.find(qn("w:gridBefore"))
                if gb is not None:
                    before = int(gb.get(qn("w:val"), "0") or 0)
            texts.extend([""] * before)
            flags.extend([False] * before)
            for tc in tr.tc_lst:
                span = tc.grid_span
                vmerge = tc.vMerge
                col = len(texts)
                continued = vmerge == "continue" or (vmerge is not None and vmerge != "restart")
                if continued and rows and col < len(rows[-1]):
                    text = rows[-1][col]
                else:
                    continued = False
                    text = "\n".join(
                        "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                for _ in range(span):
                    texts.append(clean(text))
                    flags.append(continued)
            rows.append(texts)
            cont.append(flags)
        width = max((len(r) for r in rows), default=0)
        for r, c in zip(rows, cont):
            r.extend([""] * (width - len(r)))
            c.extend([False] * (width - len(c)))
        grids.append(Grid(rows, cont, f"表格{n}", path.name, docx=True))
    return grids, title


def _xlsx_grids(path: Path) -> tuple[list[Grid], str]:
    from python_calamine import CalamineError, load_workbook

    try:
        wb = load_workbook(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise errors.NotAMasterList(f"“{path.name}”无法作为 Excel 工作簿打开（{exc}）。"
                                    "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from exc
    grids = []
    title = ""
    for meta in wb.sheets_metadata:
        if str(meta.visible) != str(type(meta.visible).Visible):
            continue
        sheet = wb.get_sheet_by_name(meta.name)
        data = sheet.to_python(skip_empty_area=False)
        width = max((len(r) for r in data), default=0)
        rows = [[_cell_text(v) for v in r] + [""] * (width - len(r)) for r in data]
        cont = [[False] * width for _ in rows]
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
            if r0 >= len(rows):
                continue
            value = rows[r0][c0] if c0 < width else ""
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, min(c1, width - 1) + 1):
                    rows[r][c] = value
                    cont[r][c] = r > r0
        grids.append(Grid(rows, cont, meta.name, path.name))
        if not title:
            for r in rows[:5]:
                texts = [t for t in r if t]
                if len(set(texts)) == 1 and re.search(r"分工|任务|专项", texts[0]):
                    title = squash(texts[0])
                    break
    return grids, title


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return f"{v.year}年{v.month}月" if v.day == 1 else f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    return clean(v)


# ---------------------------------------------------------------------------
# From grid to tasks

_ROLE_PATTERNS: list[tuple[str, str]] = [
    ("id", r"^(任务)?(编号|序号|id)$"),
    ("level1", r"一级"),
    ("level2", r"二级"),
    ("deadline", r"时限|完成时间|截止时间"),
    ("leads", r"牵头(单位|部门)"),
    ("coops", r"配合(单位|部门)"),
    ("departments", r"责任(部门|单位)"),
    ("note", r"备注"),
    ("name", r"三级|工作任务名称|任务名称|工作事项|重点任务"),
    ("content", r"具体工作内容|工作内容|主要内容|具体内容|工作措施|具体任务"),
]


def _role_of(label: str) -> str | None:
    k = key(label)
    if not k:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if re.search(pattern, k):
            return role
    return None


def _header_roles(labels: list[str]) -> dict[str, int]:
    roles: dict[str, list[int]] = {}
    for c, label in enumerate(labels):
        role = _role_of(label)
        if role:
            roles.setdefault(role, []).append(c)
    # A header spanning two columns (具体工作内容 over name + content) names both.
    if "name" not in roles and len(roles.get("content", [])) >= 2:
        first, second = roles["content"][:2]
        roles["name"], roles["content"] = [first], [second]
    # The seed's 工作任务 header spans 一级/二级; a lone 工作任务 column is the task name.
    if "name" not in roles:
        for c, label in enumerate(labels):
            if key(label) == "工作任务" and all(c not in cols for cols in roles.values()):
                roles["name"] = [c]
    return {role: cols[0] for role, cols in roles.items()}


def _find_header(grid: Grid) -> tuple[int, int, dict[str, int]] | None:
    for r, row in enumerate(grid.rows):
        roles = _header_roles(row)
        if "deadline" in roles and ("departments" in roles or "leads" in roles):
            end = r + 1
            while end < len(grid.rows):
                nxt = grid.rows[end]
                own = [t for t, c in zip(nxt, grid.cont[end]) if t and not c]
                if own and all(_role_of(t) for t in own):
                    end += 1
                else:
                    break
            labels = []
            for c in range(len(row)):
                parts: list[str] = []
                for rr in range(r, end):
                    t = grid.rows[rr][c]
                    if t and t not in parts:
                        parts.append(t)
                labels.append("/".join(parts))
            # Prefer the most specific part of a stacked label (二级任务名称 under 工作任务).
            specific = [lab.split("/")[-1] if _role_of(lab.split("/")[-1]) else lab for lab in labels]
            return r, end, _header_roles(specific)
    return None


_LEVEL2_NUMBER = re.compile(r"^\s*(\d+)\s*[.、．]")


def _grid_tasks(grid: Grid, header_end: int, cols: dict[str, int],
                header_texts: set[str]) -> list[dict]:
    def cell(r: int, role: str) -> tuple[str, bool]:
        c = cols.get(role)
        if c is None or c >= len(grid.rows[r]):
            return "", False
        return grid.rows[r][c], grid.cont[r][c]

    tasks: list[dict] = []
    level1 = level2 = ""
    for r in range(header_end, len(grid.rows)):
        row = grid.rows[r]
        if not any(row):
            continue
        deadline, deadline_cont = cell(r, "deadline")
        if _role_of(deadline) == "deadline":
            continue  # a header repeated at a page start
        name, name_cont = cell(r, "name")
        content, content_cont = cell(r, "content")
        depts, depts_cont = cell(r, "departments")
        leads, leads_cont = cell(r, "leads")
        coops, _ = cell(r, "coops")
        explicit_id, _ = cell(r, "id")
        l1, _ = cell(r, "level1")
        l2, _ = cell(r, "level2")
        # A header repeated inside the table leaves merged cells below it pointing at it.
        level1 = squash(l1) if l1 and l1 not in header_texts else level1
        level2 = squash(l2) if l2 and l2 not in header_texts else level2
        if (tasks and content and not content_cont and not explicit_id
                and _blank(name, name_cont) and _blank(deadline, deadline_cont)
                and _blank(depts, depts_cont) and _blank(leads, leads_cont)):
            # A row Word split across a page: its text continues the task above.
            tasks[-1]["content"] = (tasks[-1]["content"] + content).strip()
            continue
        sheet, where = grid.where(r)
        tasks.append(dict(row=r, sheet=sheet, cell=where, explicit_id=squash(explicit_id),
                          level1=level1, level2=level2, name=squash(name),
                          content=content, deadline_text=squash(deadline), departments=depts,
                          leads=leads, coops=coops, note=cell(r, "note")[0]))
    return tasks


def _blank(text: str, continued: bool) -> bool:
    """Empty, or merely the continuation of a merged cell above."""
    return not text or continued


def _assign_ids(raw: list[dict], file: str, issues: list[Issue]) -> None:
    counters: Counter[str] = Counter()
    level2_numbers: dict[str, str] = {}
    used: set[str] = set()
    for t in raw:
        if t["explicit_id"]:
            tid = unicodedata.normalize("NFKC", t["explicit_id"])
        else:
            m = _LEVEL2_NUMBER.match(unicodedata.normalize("NFKC", t["level2"]))
            if m:
                group = str(int(m.group(1)))
            else:
                group = level2_numbers.setdefault(t["level2"], str(len(level2_numbers) + 1))
            counters[group] += 1
            tid = f"{group}.{counters[group]}"
        if tid in used:
            new = f"{tid}-{sum(1 for u in used if u.split('-')[0] == tid) + 1}"
            issues.append(make_issue("M105", file=file, sheet=t["sheet"], cell=t["cell"],
                                     task=tid, new=new))
            tid = new
        used.add(tid)
        t["id"] = tid


def _build(raw: list[dict], title: str, source: str, directory: Directory,
           issues: list[Issue]) -> Master:
    tasks: list[Task] = []
    assignments: list[Assignment] = []
    for t in raw:
        loc = dict(file=source, sheet=t["sheet"], cell=t["cell"], task=t["id"])
        deadline, ongoing = parse_deadline(t["deadline_text"])
        if t["deadline_text"] and deadline is None and not ongoing:
            issues.append(make_issue("M103", value=t["deadline_text"], **loc))
        if t["departments"] or not (t["leads"] or t["coops"]):
            parsed = parse_departments(t["departments"])
        else:
            lead = parse_departments(t["leads"], LEAD)
            coop = parse_departments(t["coops"], COOP)
            parsed = ParsedDepartments(
                [(n, LEAD) for n, _ in lead.entries] + [(n, COOP) for n, _ in coop.entries],
                lead.open_ended or coop.open_ended, lead.problems + coop.problems)
        text = t["departments"] or "；".join(x for x in (t["leads"], t["coops"]) if x)
        for problem in parsed.problems:
            issues.append(make_issue("M104", value=text, detail=problem, **loc))
        found, unknown = expand_assignments(t["id"], parsed, directory)
        for name in unknown:
            unit = clean(name)
            if directory.resolve(unit) is None:
                kind = guess_kind(unit)
                directory.add(Unit(unit, kind))
                issues.append(make_issue("M102", unit=unit, kind=kind, **loc))
        if text and not found:
            issues.append(make_issue("M104", value=text, detail="没有识别出任何单位", **loc))
        missing = [label for label, value in (("工作任务名称", t["name"]), ("具体工作内容", t["content"]),
                                              ("完成时限", t["deadline_text"]), ("责任部门", text))
                   if not value]
        if missing:
            issues.append(make_issue("M101", name=t["name"] or t["level2"],
                                     missing="、".join(missing), **loc))
        note = clean(t["note"])
        if parsed.open_ended:
            extra = "责任单位含“等有关部门”，可能不止所列单位"
            note = f"{note}；{extra}" if note else extra
        tasks.append(Task(t["id"], t["level1"], t["level2"], t["name"], t["content"],
                          t["deadline_text"], deadline, ongoing, note, text,
                          parsed.open_ended, not missing))
        assignments.extend(found)
    return Master(title, tasks, assignments, directory, issues, source)


def project_name(title: str, fallback: str) -> str:
    t = re.sub(r"(主要)?(工作)?任务(分工)?(表|清单)$|分工(方案|表)$", "", squash(title))
    return t or fallback


def import_master(path: str | Path, directory: Directory | None = None) -> Master:
    """Read a published task-division table (.docx or .xlsx/.xlsm/.xls/.ods) into a Master.

    Raises an `InputFileError` when the file cannot be used at all; everything else it
    finds is an Issue in ``master.issues``.
    """
    from .units import default_directory

    path = Path(path)
    _check_openable(path, (".docx", ".xlsx", ".xlsm", ".xls", ".ods"))
    directory = Directory(list((directory or default_directory()).units))
    if path.suffix.lower() == ".docx":
        grids, title = _docx_grids(path)
        if not grids:
            raise errors.NotAMasterList(f"“{path.name}”里没有表格。请确认这是任务分工表（含完成时限、责任部门两列）。")
    else:
        grids, title = _xlsx_grids(path)
    issues: list[Issue] = []
    raw: list[dict] = []
    columns: dict[str, int] | None = None
    header_texts: set[str] = set()
    for grid in grids:
        found = _find_header(grid)
        if found is None:
            if columns is not None and grid.docx and grid.rows and len(grid.rows[0]) > max(columns.values()):
                # A Word table split in two at a page break: the second part has no header.
                raw.extend(_grid_tasks(grid, 0, columns, header_texts))
            continue
        start, end, columns = found
        header_texts |= {t for row in grid.rows[start:end] for t in row if t}
        raw.extend(_grid_tasks(grid, end, columns, header_texts))
    if columns is None:
        raise errors.NotAMasterList(
            f"“{path.name}”中找不到任务分工表的表头（需要“完成时限”和“责任部门”等列）。")
    if not raw:
        raise errors.NotAMasterList(f"“{path.name}”的任务分工表没有任务行。")
    _assign_ids(raw, path.name, issues)
    return _build(raw, project_name(title, path.stem), path.name, directory, issues)


# ---------------------------------------------------------------------------
# The master workbook (任务清单 / 责任分工 / 单位名录)


def write_master_workbook(master: Master, path: str | Path) -> Path:
    """Write the master workbook atomically; returns its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .xlsx import atomic_save, set_text

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

    meta = wb.create_sheet("_meta")
    for k, v in (("schema", "duban.master/1"), ("project", master.title),
                 ("source", master.source), ("fingerprint", master.fingerprint)):
        meta.append([k, v])
    meta.sheet_state = "hidden"
    return atomic_save(wb, Path(path))


def read_master_workbook(path: str | Path) -> Master:
    """Read the master workbook; the 责任分工 sheet is the truth for who does what."""
    from python_calamine import CalamineError, load_workbook

    path = Path(path)
    if not path.exists():
        raise errors.NoTasks(f"找不到任务清单工作簿：{path}。请先运行 duban master import 导入任务分工表。")
    try:
        wb = load_workbook(str(path))
        sheets = {squash(n): n for n in wb.sheet_names}

        def table(name: str) -> list[list]:
            if name not in sheets:
                raise errors.NoTasks(f"任务清单工作簿“{path.name}”缺少“{name}”工作表。")
            return wb.get_sheet_by_name(sheets[name]).to_python(skip_empty_area=False)

        task_rows = table("任务清单")
        assign_rows = table("责任分工")
        unit_rows = table("单位名录")
        meta_rows = table("_meta") if "_meta" in sheets else []
    except CalamineError as exc:
        raise errors.NoTasks(f"任务清单工作簿“{path.name}”无法读取（{exc}）。") from exc
    meta = {clean(r[0]): clean(r[1]) for r in meta_rows if len(r) >= 2}
    directory = Directory.from_rows(unit_rows[1:])
    tasks = []
    idx = _column_index(task_rows[0] if task_rows else [], TASK_HEADERS)
    for r in task_rows[1:]:
        get = _getter(r, idx)
        tid = _cell_text(get("任务编号"))
        if not tid:
            continue
        deadline_text = clean(get("完成时限"))
        parsed, ongoing = parse_deadline(deadline_text)
        explicit = get("截止日期")
        if isinstance(explicit, dt.datetime):
            parsed = explicit.date()
        elif isinstance(explicit, dt.date):
            parsed = explicit
        if "长期" in idx:
            ongoing = clean(get("长期")) in ("是", "Y", "y", "yes", "1", "√")
        note = clean(get("备注"))
        complete = not note.startswith("【信息不完整】")
        note = note.removeprefix("【信息不完整】")
        tasks.append(Task(tid, clean(get("一级任务")), clean(get("二级任务")), clean(get("工作任务")),
                          clean(get("具体工作内容")), deadline_text, None if ongoing else parsed,
                          ongoing, note, clean(get("责任部门（原文）")),
                          "等有关部门" in note or "等有关部门" in clean(get("责任部门（原文）")),
                          complete))
    if not tasks:
        raise errors.NoTasks(f"任务清单工作簿“{path.name}”中没有任务。请先导入任务分工表。")
    aidx = _column_index(assign_rows[0] if assign_rows else [], ASSIGN_HEADERS)
    assignments = []
    for r in assign_rows[1:]:
        get = _getter(r, aidx)
        tid, unit, role = _cell_text(get("任务编号")), clean(get("单位")), clean(get("责任类型"))
        if not (tid and unit):
            continue
        canonical = directory.resolve(unit) or unit
        if canonical not in directory:
            directory.add(Unit(canonical, guess_kind(canonical)))
        assignments.append(Assignment(tid, canonical, LEAD if role == LEAD else COOP,
                                      clean(get("来源")) or EXPLICIT))
    return Master(meta.get("project") or path.stem, tasks, assignments, directory, [],
                  meta.get("source", path.name))


def _getter(row: list, index: dict[str, int]):
    def get(header: str):
        c = index.get(header)
        return row[c] if c is not None and c < len(row) else None
    return get


def _column_index(header: list, wanted: tuple[str, ...]) -> dict[str, int]:
    keys = [key(h) for h in header]
    return {h: keys.index(key(h)) for h in wanted if key(h) in keys}


def summarize(master: Master) -> dict:
    """Figures the import prints: tasks per 一级任务, units by kind, open-ended tasks."""
    per_level1: dict[str, int] = {}
    for t in master.tasks:
        per_level1[t.level1] = per_level1.get(t.level1, 0) + 1
    units = master.units_with_tasks()
    kinds = Counter((master.directory.get(u) or Unit(u)).kind for u in units)
    return {
        "project": master.title,
        "tasks": len(master.tasks),
        "complete": sum(t.complete for t in master.tasks),
        "per_level1": per_level1,
        "units": len(units),
        "city_units": kinds.get(CITY, 0),
        "town_units": len(units) - kinds.get(CITY, 0),
        "open_ended": [t.id for t in master.tasks if t.open_ended],
        "ongoing": [t.id for t in master.tasks if t.ongoing],
        "fingerprint": master.fingerprint,
    }
