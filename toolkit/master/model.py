"""The master list's model: tasks, who does what (assignments), and the directory.

The master list is the truth every return is checked against. It comes from a published
task-division table (`master.importer`) and lives in the master workbook
(`master.workbook`), where the coordinator may edit who does what.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..record import FACTORY, record
from ..report import Issue
from ..text import key
from ..units import Directory, of_sections
from ..vocab import EXPLICIT, Role

if TYPE_CHECKING:  # an import's, in its own module (`import_report` says why)
    from .import_report import ImportReport


#: `Task.dated_by`, when 任务清单's 完成时限 and 截止日期 give two days (`date_columns`): judged by
#: the words (the 截止日期 the import wrote, left when the words were edited), by the 截止日期 the
#: office set, or, who changed which unknown, by the later of the two (a wrong 超期 is the worse error)
BY_WORDS, BY_SET, LATER_WORDS, LATER_SET = "words", "set", "later_words", "later_set"
JUDGED_BY_SET = (BY_SET, LATER_SET)


@record(frozen=True)
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
    # 任务清单's 完成时限 and 截止日期 giving two days (`date_columns`): which ``deadline`` is
    # (`BY_WORDS`, `BY_SET`, `LATER_WORDS`, `LATER_SET`), and the other day, ISO (a
    # string: the cache and the ledger keep tasks as JSON). '' when they agree.
    dated_by: str = ""
    other_day: str = ""

    def __init__(self, id: str, level1: str, level2: str, name: str, content: str, deadline_text: str,
                 deadline: dt.date | None = None, ongoing: bool = False, note: str = "", departments_text: str = "",
                 open_ended: bool = False, complete: bool = True, dated_by: str = "", other_day: str = "") -> None:
        d = self.__dict__  # as `Assignment`: stored straight, not through object.__setattr__
        d["id"] = id
        d["level1"] = level1
        d["level2"] = level2
        d["name"] = name
        d["content"] = content
        d["deadline_text"] = deadline_text
        d["deadline"] = deadline
        d["ongoing"] = ongoing
        d["note"] = note
        d["departments_text"] = departments_text
        d["open_ended"] = open_ended
        d["complete"] = complete
        d["dated_by"] = dated_by
        d["other_day"] = other_day

    @property
    def master_text(self) -> tuple[str, str, str, str, str]:
        """The locked texts a return shows for this task, in column order."""
        return (self.level1, self.level2, self.name, self.content, self.deadline_text)

    @property
    def text_hash(self) -> str:
        return text_hash(self.master_text)

    @cached_property
    def identity(self) -> str:
        """What makes a task the same task across plans (`renumbered`): its 工作任务 and 具体工作
        内容; its numbering, headings and 完成时限 may change with a revised plan. Kept: every
        collect and consolidate compares each month's tasks by it."""
        return "\x1f".join(key(t) for t in (self.name, self.content)) if (self.name or self.content) else ""

    @property
    def dated(self) -> bool:
        """Due by a date: neither long-term (持续推进) nor without a date its 完成时限 gives."""
        return not self.ongoing and self.deadline is not None

    def deadline_in(self, year: int | None) -> str:
        """The published 完成时限 as a month of ``year`` shows it: with its year put in front
        where it names none (12月底前, 年底前, read in the plan's year) and that year is not
        ``year``. In January 2017, 大竹's 2016 task said 完成时限：12月底前；…已超过完成时限:
        a December still to come in 2017 (QA137). ``year`` None: as published. Judged by a
        截止日期 the words do not read as (`date_columns`), that day is said after them."""
        if self.deadline_text and self.dated and self.dated_by in JUDGED_BY_SET:
            # 12月底前 beside a 截止日期 of 2026-10-31 judged by the latter: "完成时限：12月底前；
            # …已超过完成时限" in October contradicted itself in public (QA369). The words as
            # written: the year they read in is no year anything is judged by
            day = self.deadline
            return f"{self.deadline_text}（按{day.year}年{day.month}月{day.day}日判断）"
        return self._words_in(year)

    def _words_in(self, year: int | None) -> str:
        """`deadline_in` without the day judged by beside words that read otherwise: as a form prints it."""
        text = self.deadline_text
        if not text or year is None or self.deadline is None or self.deadline.year == year \
                or re.search(r"\d{4}", text):
            return text
        return f"{self.deadline.year}年{text.removeprefix('年')}"

    def printed_text(self, year: int | None) -> tuple[str, str, str, str, str]:
        """The locked texts a form of a month of ``year`` prints, its 完成时限 as `deadline_in`
        says it: January 2017's form said 12月底前 of a 2016 task its 通报 called 逾期, and a
        department read a December of 2017 (QA153). Its `text_hash` is the form's _meta one."""
        return (*self.master_text[:-1], self._words_in(year))

    def overdue_at(self, day: dt.date) -> bool:
        """Past its deadline on ``day`` (never for long-term or undated tasks)."""
        return self.dated and self.deadline < day

    def due_by(self, day: dt.date) -> bool:
        """Deadline falls on or before ``day``."""
        return self.dated and self.deadline <= day


def plain_task(task: Task) -> dict[str, Any]:
    """A task as JSON values by field name (its deadline in ISO): the ledger keeps the tasks
    each month's forms printed (`Ledger.record_issued_texts`)."""
    plain = asdict(task)
    plain["deadline"] = task.deadline.isoformat() if task.deadline else None
    # kept only when 完成时限 and 截止日期 disagree: otherwise a record as before QA369
    # (`task_of_plain` gives the defaults back)
    for name in ("dated_by", "other_day"):
        if not plain[name]:
            del plain[name]
    return plain


def task_of_plain(plain: dict[str, Any]) -> Task:
    """The task `plain_task` gave, by field name: a record made by another duban, whose Task
    had other fields, still reads (a field it lacks takes its default, one unknown is dropped)."""
    known = {f.name for f in fields(Task)}
    values = {k: v for k, v in plain.items() if k in known}
    if values.get("deadline"):
        values["deadline"] = dt.date.fromisoformat(values["deadline"])
    return Task(**values)


def renumbered(then: Iterable[Task], now: Iterable[Task]) -> dict[str, str]:
    """Each task of an earlier month (``then``, as its forms printed it) → the id the same
    task has ``now``; a task of ``then`` no longer in the plan is absent.

    A task is its texts (工作任务 and 具体工作内容), not its number: a revised plan that
    moved 对标对表提升整改 from 1.2 to 2.1 and dropped 2.2 gave 2.2 to the former 2.1, and
    by number July's 已完成 on the dropped task was prefilled into August's 2.2, weighed
    against it (W606) and shown as its history. A number whose texts were edited in place
    (no other task of ``then`` had the new texts) is still the same task; a split keeps the
    history on the number that stayed, the new part starts without one."""
    then, now = list(then), list(now)
    # the usual month: the same tasks, field by field (W3: comparing normalised texts first was
    # 16 ms of a 12-month merge's 262), then the same texts under the same numbers
    if then == now or [(t.id, t.identity) for t in then] == [(t.id, t.identity) for t in now]:
        return {t.id: t.id for t in then}
    out: dict[str, str] = {}
    now_by_id = {t.id: t for t in now}
    # unchanged first: two tasks with the same texts keep their own numbers
    for t in then:
        if t.id in now_by_id and t.identity and now_by_id[t.id].identity == t.identity:
            out[t.id] = t.id
    taken = set(out.values())
    then_texts: dict[str, list[str]] = {}
    for t in then:
        if t.id not in out and t.identity:
            then_texts.setdefault(t.identity, []).append(t.id)
    now_texts: dict[str, list[str]] = {}
    for t in now:
        if t.id not in taken and t.identity:
            now_texts.setdefault(t.identity, []).append(t.id)
    for text, ids in then_texts.items():  # moved: the texts under another number, one each side
        if len(ids) == 1 and len(now_texts.get(text, ())) == 1:
            out[ids[0]] = now_texts[text][0]
    taken = set(out.values())
    for t in then:  # edited in place: the number's new texts are no other earlier task's
        if t.id not in out and t.id in now_by_id and t.id not in taken \
                and now_by_id[t.id].identity not in then_texts:
            out[t.id] = t.id
    return out


def text_hash(texts: tuple[str, ...] | list[str]) -> str:
    """sha256 of a task's master texts; tolerant of whitespace differences."""
    import hashlib  # here: `duban status` reads no text hash, and hashlib loads OpenSSL (master.cache)

    joined = "\x1f".join(key(t) for t in texts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@record(frozen=True)
class Assignment:
    """One unit's responsibility for one task."""

    task: str
    unit: str
    role: Role
    source: str = EXPLICIT

    def __init__(self, task: str, unit: str, role: Role, source: str = EXPLICIT) -> None:
        # the frozen fields stored in the instance's dict, as object.__setattr__ stores them (the class
        # has no descriptor of these names): W1's 788 assignments were 5.4 M instructions a master
        # read through four object.__setattr__ calls each, 3.1 M so (callgrind, repeated reads); with
        # `Task`'s and `units.Unit`'s, a W1 `duban status` 0.85 M fewer (QA401)
        d = self.__dict__
        d["task"] = task
        d["unit"] = unit
        d["role"] = role
        d["source"] = source


def missing_fields(name: str, content: str, deadline_text: str, dated: bool, has_units: bool,
                   ongoing: bool = False) -> list[str]:
    """What a task lacks, as M101 says it: its name and text, its 完成时限 (where the table has
    that column: ``dated``; not of a task marked 长期 in a master workbook, ``ongoing``), its
    units. One rule for a table imported and a master workbook taken whole
    (`workbook.read_own_workbook`)."""
    missing = ((["工作任务名称"] if not name else []) + ["具体工作内容"]) if not content else []
    missing += ["完成时限"] if dated and not deadline_text and not ongoing else []
    return missing + ([] if has_units else ["责任部门"])


@record(eq=False)  # never compared: start-up (docs/design.md)
class Master:
    """The master list: tasks, who does what, and the directory of units."""

    title: str
    tasks: list[Task]
    assignments: list[Assignment]
    directory: Directory
    issues: list[Issue] = field(default_factory=list)
    source: str = ""
    #: The coordinating office as it signs the memo (通报落款); '' when nobody said.
    organiser: str = ""
    report: ImportReport | None = None
    #: What the plan is: '' for a plan of tasks, 整改清单 for a rectification list
    #: (`rectification.KIND`, decided at import), whose outputs speak of problems put right.
    kind: str = ""

    def __init__(self, title: str, tasks: list[Task], assignments: list[Assignment], directory: Directory,
                 issues: list[Issue] = FACTORY, source: str = "", organiser: str = "",
                 report: ImportReport | None = None, kind: str = "") -> None:
        self.title = title
        self.tasks = tasks
        self.assignments = assignments
        self.directory = directory
        self.issues = [] if issues is FACTORY else issues
        self.source = source
        self.organiser = organiser
        self.report = report
        self.kind = kind
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.directory.place:  # a master read from the cache, or made by a caller
            self.directory.locate(self.organiser, self.title)
        by_id = self._by_id = {t.id: t for t in self.tasks}
        by_task: dict[str, list[Assignment]] = {}
        for a in self.assignments:
            if (same := by_task.get(a.task)) is None:
                by_task[a.task] = [a]
            else:
                same.append(a)
        self._by_task = by_task
        # Checking a thousand returns asks for the same unit's tasks over and over: each unit's
        # (task, role) pairs, its leads first, each part in task order. Every unit sorts by the
        # same few hundred task keys: each computed once (10,000 assignments computed 10,000
        # keys, 15 ms of a W2 master read), then ranked, so that one stable sort of whole numbers
        # (the leads' ranks below the others') puts every unit's pairs in that order at once,
        # equal keys in the assignments' order as before. A key function called per pair and a
        # sort per unit: 7.3 M instructions a call, W1's 788 assignments, 4.9 M so (callgrind,
        # repeated calls); a W1 `duban status` 1.4 M fewer (QA401)
        id_key = {tid: task_sort_key(tid) for tid in by_id}
        rank = {k: i for i, k in enumerate(sorted(set(id_key.values())))}
        task_rank = {tid: rank[k] for tid, k in id_key.items()}  # a key tuple hashed once a task, not a pair
        owed = [a for a in self.assignments if a.task in by_id]
        lead, others = Role.LEAD, len(rank)
        order = [task_rank[a.task] + (others if a.role != lead else 0) for a in owed]
        by_unit: dict[str, list[tuple[Task, str]]] = {}
        for i in sorted(range(len(owed)), key=order.__getitem__):
            a = owed[i]
            if (pairs := by_unit.get(a.unit)) is None:
                by_unit[a.unit] = [(by_id[a.task], a.role)]
            else:
                pairs.append((by_id[a.task], a.role))
        self._by_unit = by_unit

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
        import hashlib  # here: `duban status` takes the fingerprint from the cache (master.cache)

        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def units_of(self, task_id: str, role: str | None = None) -> list[str]:
        return [a.unit for a in self._by_task.get(task_id, []) if role is None or a.role == role]

    def tasks_of(self, unit: str) -> list[tuple[Task, str]]:
        """A unit's tasks with its role, 牵头 first, then 配合, each by task id."""
        return list(self._by_unit.get(unit, []))

    def units_with_tasks(self) -> list[str]:
        """Units that have at least one task, in directory order; a name not in it after
        the unit it is now a name of (a merged unit's form of a past month,
        `issued_month.kept_apart`), else last."""
        having = {a.unit for a in self.assignments}
        ordered = [u for u in self.directory.names if u in having]
        beside: dict[str | None, list[str]] = {}
        for u in sorted(having - set(ordered)):
            beside.setdefault(self.directory.resolve(u), []).append(u)
        if not beside:
            return ordered
        return [n for u in ordered for n in (u, *beside.pop(u, ()))] + [u for us in beside.values() for u in us]

    @cached_property
    def has_coop(self) -> bool:
        """Whether any task has a cooperating unit: 大竹's and 池州's plans name only who leads,
        and a mail counting 配合 0 项 would speak of a role the plan does not have."""
        return any(a.role == Role.COOP for a in self.assignments)

    @cached_property
    def of_sections(self) -> bool:
        """Whether the plan's units are all a bureau's own 科室 (`units.of_sections`, read as
        `Consolidation.of_sections` reads them): its mails then say 贵科室, not 贵单位."""
        return of_sections(e.kind if (e := self.directory.get(u)) else "" for u in self.units_with_tasks())

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
    # the full-width stop made a plain one and split there: what re.split(r"[.．]") gives, without
    # compiling that pattern in every status (0.1 ms, QA339)
    parts = str(task_id).replace("．", ".").split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
