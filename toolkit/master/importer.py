"""From a published task-division table to a `Master`: headers, rows, ids, assignments.

The published table is a Word table (or an Excel sheet) with a two-row header, vertically
merged 一级/二级 cells and a free-text 责任部门 column. Problems are `Issue` records; only an
unusable file raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from .. import errors
from ..dates import parse_deadline
from ..report import Issue, make_issue
from ..text import clean, key, squash
from ..units import Directory, Unit, default_directory, guess_kind
from ..vocab import Role
from .grammar import ParsedDepartments, expand_assignments, parse_departments
from .model import Assignment, Master, Task
from .tables import Grid, check_openable, docx_grids, xlsx_grids

LEAD, COOP = Role.LEAD, Role.COOP

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
    path = Path(path)
    check_openable(path, (".docx", ".xlsx", ".xlsm", ".xls", ".ods"))
    directory = Directory(list((directory or default_directory()).units))
    if path.suffix.lower() == ".docx":
        grids, title = docx_grids(path)
        if not grids:
            raise errors.NotAMasterList(f"“{path.name}”里没有表格。请确认这是任务分工表（含完成时限、责任部门两列）。")
    else:
        grids, title = xlsx_grids(path)
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
