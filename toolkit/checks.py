"""Checking one return against the master list: every rule of the code table (docs/design.md).

`check_return` never raises for anything inside the file: a file it cannot open is a
report with one E1xx issue, like frictionless' ``validate()``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .dates import cn_date, number_shown_as_date, parse_deadline, parse_planned_date
from .evidence import (
    address_index,
    month_digits,
    period_in,
    sent_for_another,
    unit_in_names,
    unit_of_address,
    without_senders,
)
from .extra_rows import sort_extra_rows
from .master import Assignment, Master, Task, task_sort_key, text_hash
from .merged_rows import is_note, judge_merges
from .period import Period
from .report import Issue, Previous, Report, Row, make_issue
from .returns import (
    EDITABLE,
    MASTER_FIELDS,
    TEXT_FIELDS,
    RawReturn,
    eta_example_of,
    form_headers,
    form_headers_of,
    header_layout,
    read_return,
    task_id_text,
)
from .settings import Limits
from .spreadsheet import ReadFailure
from .text import FORMULA_STARTS, clean, column_letter, column_number, key, looks_like_formula, squash, task_title
from .typed_values import (
    TRAILING_MARKS,
    cell_text,
    parse_progress,
    parse_status,
    progress_meant,
    quoted,
    says_no_problem,
    says_nothing,
)
from .units import Directory, Unit, guess_kind, spells
from .vocab import Role, Status

if TYPE_CHECKING:
    from .issued_month import Printed

# globals: a member read from its class is 65 ns on 3.11, seven a row in _check_values (W2: 4 µs)
LEAD, DONE, LAGGING, NOT_STARTED = Role.LEAD, Status.DONE, Status.LAGGING, Status.NOT_STARTED


# ---------------------------------------------------------------------------
# identification


def _period_of(raw: RawReturn, name: str) -> tuple[Period | None, str]:
    if raw.meta.get("period"):
        try:
            return Period.parse(raw.meta["period"]), "_meta"
        except Exception:
            pass
    label = _label_period(raw)
    if label:
        return label, "填报期"
    found = period_in([name])
    return (found, "文件名") if found else (None, "")


def _label_period(raw: RawReturn) -> Period | None:
    """The month the 填报期 cell says, None when it says none."""
    label = raw.labels.get("填报期")
    if label in (None, ""):
        return None
    if isinstance(label, (dt.date, dt.datetime)):
        return Period(label.year, label.month)
    try:
        return Period.parse(month_digits(str(label)).replace("份", ""))
    except Exception:
        return None


def _label_unit(raw: RawReturn, directory: Directory) -> str | None:
    """The unit the 填报单位 cell names (its name, alias or a name inside it, not the messenger a
    bracket names: 东坑镇（东城街道代报）), None when it names none."""
    label = without_senders(clean(raw.labels.get("填报单位")))
    return (directory.resolve(label) or directory.find_in(label)) if label else None


def _names_other(label: str, unit: str | None, other: str, directory: Directory) -> bool:
    """Whether the 填报单位 cell names ``other`` better than the form's own ``unit``: by its
    name or alias, or by a longer name inside the cell than any of the unit's names the cell
    writes (`units.spells`: a 简称 keeps its 全称's characters in order, 交警支队 of 交通警察支队).
    东莞市公安局交通警察支队, the official name of 市公安局交警支队, holds 市公安局 but is not
    that unit's: a W206 on the honest return asked the office to check a form that was right."""
    if directory.resolve(label) == other or not unit:
        return True
    cell = key(label)
    inside = max((len(key(n)) for n in directory.names_of(other) if key(n) in cell), default=0)
    spelled = max((len(key(n)) for n in directory.names_of(unit) if spells(key(n), cell)), default=0)
    return inside >= spelled


#: how a form named its unit, as the W206 message says it (`actions.collect` too)
SAID = {"_meta": "填报表内置的单位信息", "填报单位": "表中的填报单位", "文件名": "文件名", "任务行": "表中的任务行",
        "发件人地址": "发件人地址"}


def evidence_words(how: str, sender: str, name: str) -> str:
    """One piece of evidence as a W206 message names it: the sender's address and the file name
    spelled out, the others as `SAID` says them."""
    return {"发件人地址": f"发件人地址（{sender}）", "文件名": f"文件名“{name}”"}.get(how) or SAID[how]


def _unit_of(raw: RawReturn, name: str, ctx: CheckContext, sent_by: str = ""
             ) -> tuple[str | None, str, str, Issue | None]:
    """(canonical unit, how it was identified, what was written if not recognised, the W206
    saying what other evidence named).

    A form without its _meta is weighed: the unit whose issued form its task rows match (the
    one unit) > the sender's mailbox in 单位名录 > the file name > the 填报单位 cell, each read
    by `Directory.find_in` (the longer name). 东莞市公安局 typed on 交警支队's rows was refused as
    市公安局's (E402) and the squad called 未报送. The rows speak only against the units whose
    forms do not hold them all: a unit that deleted a row of its form (卫健局's 1-4 sent as 1-3)
    may match another's form exactly (教育局's 1-3), and its sender, file name and cell, all
    saying 卫健局, lost to those rows (review). Evidence of one rank naming two units says
    nothing (a shared mailbox, two names alike); none left names no unit: the office is asked."""
    directory = ctx.master.directory
    meta_unit = raw.meta.get("department", "")
    resolved = directory.resolve(meta_unit) if meta_unit else None
    if resolved:
        return resolved, "_meta", "", None
    written = meta_unit or clean(raw.labels.get("填报单位"))
    # a mailbox a file name says only carried another unit's form (（东城街道代报）) names no one
    said = {"任务行": ctx.unit_of_rows(raw),
            "发件人地址": sent_for_another(ctx.unit_of_sender(sent_by), [Path(name).stem], directory),
            "文件名": unit_in_names([Path(name).stem], directory),  # quotes of either shape
            "填报单位": _label_unit(raw, directory)}
    named = next((u for h, u in said.items() if h != "任务行" and u), None)
    if said["任务行"] and named and named != said["任务行"] and ctx.holds_rows(named, raw):
        said["任务行"] = None  # the rows are a part of the named unit's form: they accuse no one
    how = next((h for h, u in said.items() if u), "")
    if not how:
        return None, "", written, None
    unit = said[how]
    cell = clean(raw.labels.get("填报单位"))
    other = next((h for h, u in said.items() if u and u != unit
                  and (h != "填报单位" or _names_other(cell, unit, u, directory))), None)
    issue = None
    if other:
        issue = make_issue("W206", said=SAID[how], unit=unit, other=said[other],
                           evidence=evidence_words(other, sent_by, name), file=name,
                           cell=raw.label_cells.get("填报单位", "") if other == "填报单位" else "", sheet=raw.sheet)
    return unit, how, "", issue


# ---------------------------------------------------------------------------
# the check


@dataclass
class CheckContext:
    """What a check needs besides the file: master list, expected period, limits, history."""

    master: Master
    limits: Limits
    period: Period | None = None              # expected period (collect --period / check --period)
    default_period: Period | None = None      # used when the file does not say
    check_fingerprint: bool = True
    #: (master fingerprint, unit) → task ids of the form issued to the unit (ledger `issued`)
    issued: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    #: a past month → its tasks as its forms printed them (`issued_month.printed_months`): a
    #: 补报 is checked against the texts, 完成时限 and 责任分工 its month's 汇总表 and 通报 judge
    #: it by
    printed: dict[Period, Printed] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The ledger keeps the name a unit had when its form went out; the check looks it up
        # by the name it resolves to now. A unit renamed after issue (old name an alias) whose
        # task was also moved would otherwise lose W210 and be sent back (E402) for a row
        # the office put in its form. A merged unit's forms of a past month stay under the
        # names they went to (`Printed.apart`), each its own. ``issued`` is kept as given, so
        # that the context made again with the past months (`check_as_printed`) reads it anew.
        resolve = self.master.directory.resolve
        apart = frozenset().union(*(m.apart for m in self.printed.values()))
        #: ``issued`` under the names a check knows the units by
        self.issued_to: dict[tuple[str, str], set[str]] = {}
        for (fingerprint, unit), tasks in self.issued.items():
            name = unit if unit in apart else resolve(unit) or unit
            self.issued_to.setdefault((fingerprint, name), set()).update(tasks)
        self._forms: dict[frozenset[str], set[str]] | None = None
        self._addresses: dict[str, set[str]] | None = None

    def unit_of_rows(self, raw: RawReturn) -> str | None:
        """The one unit whose form, as issued or as the master assigns it now, holds exactly
        the task rows of ``raw``; None when none or several do (the towns' forms alike)."""
        if self._forms is None:
            self._forms = {}
            for (_, unit), tasks in self.issued_to.items():
                self._forms.setdefault(frozenset(tasks), set()).add(unit)
            for unit in self.master.units_with_tasks():
                tasks = frozenset(t.id for t, _ in self.master.tasks_of(unit))
                self._forms.setdefault(tasks, set()).add(unit)
        rows = _task_ids(raw)
        units = self._forms.get(rows, set()) if rows else set()
        return next(iter(units)) if len(units) == 1 else None

    def holds_rows(self, unit: str, raw: RawReturn) -> bool:
        """Whether one of ``unit``'s forms, as issued or as the master assigns it now, holds
        every task row of ``raw``."""
        rows = _task_ids(raw)
        forms = [tasks for (_, u), tasks in self.issued_to.items() if u == unit]
        forms.append({t.id for t, _ in self.master.tasks_of(unit)})
        return bool(rows) and any(rows <= set(tasks) for tasks in forms)

    def unit_of_sender(self, sent_by: str) -> str | None:
        """The unit whose 单位名录 mailbox sent the file (`evidence.unit_of_address`)."""
        if not sent_by:
            return None
        if self._addresses is None:
            self._addresses = address_index(self.master.directory)
        return unit_of_address(sent_by, self._addresses)


def _empty_value_cell(raw: RawReturn, master: Master, label: str) -> str:
    """The cell an empty labelled value belongs in: the reader can only say the one right of
    the label, which on a form hiding title columns (崇川's: B:C) is hidden; where the form
    is laid out as the master's forms are, the layout's visible value cell (D3, not B3)."""
    ref = raw.label_cells.get(label, "")
    cells = header_layout(master).contact.get(label)
    at = re.fullmatch(r"([A-Z]+)(\d+)", cells[0]) if cells else None
    if at and ref == f"{column_letter(column_number(at[1]) + 1)}{at[2]}":
        return cells[1]
    return ref


def read_numbered_ids(raw: RawReturn, master: Master, printed: Printed | None = None,
                      year: int | None = None) -> None:
    """Task ids that Excel turned into numbers, each read as the task of its row. "1.10"
    typed or pasted into a cell not set to text is kept as 1.1 and shown as 1.1, the same as
    task 1.1: read as a second 1.1, the return was refused with E403's advice to merge the two
    rows (losing 1.10's report). A number only one task's id equals (1.10 on a form without
    1.1) is that task; of several (1.1 and 1.10), the one whose locked texts (as ``year``'s
    form printed them, or as the plan has them) the row holds. A row that cannot tell keeps
    its number, and the check says what it found."""
    rows = [rr for rr in raw.rows if type(rr.values.get("task")) in (int, float)]
    if not rows:
        return
    tasks = {t.id: t for t in master.tasks}
    tasks.update(printed.tasks if printed else {})
    by_number: dict[float, list[Task]] = {}
    for tid, task in tasks.items():
        if (x := _as_number(tid)) is not None:
            by_number.setdefault(x, []).append(task)
    present = [i for i, f in enumerate(MASTER_FIELDS) if f in raw.columns]
    for rr in rows:
        found = by_number.get(_as_number(rr.values["task"]), [])
        if len(found) > 1 and present:
            row = [key(cell_text(rr.values.get(MASTER_FIELDS[i]))) for i in present]
            found = [t for t in found if any(row == [key(texts[i]) for i in present]
                                             for texts in (t.printed_text(year), t.master_text))]
        if len(found) == 1:
            rr.values["task"] = found[0].id


_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _as_number(value: Any) -> float | None:
    """The number a task id is as Excel keeps it (1.10 and 1.1 both 1.1): of a number cell, or of
    an id written as a plain decimal; None for any other id (1.1.1, 一)."""
    if type(value) in (int, float):
        return round(float(value), 9)
    return round(float(value), 9) if type(value) is str and _DECIMAL.fullmatch(value) else None


def ids_shown_as(typed: Any, master: Master) -> list[str]:
    """The plan's task ids a task id cell holding the number ``typed`` may have been (1.1 and
    1.10 for 1.1); none for a cell holding text."""
    if type(typed) not in (int, float):
        return []
    x = _as_number(typed)
    return sorted((t.id for t in master.tasks if _as_number(t.id) == x), key=task_sort_key)


def _twice_advice(values: dict[str, Any], master: Master) -> str:
    """E403's advice: to merge the two rows; but for an id Excel made a number that its row
    could not tell (`read_numbered_ids`), merging would lose a task's report (1.10 made 1.1)."""
    typed = values.get("task")
    like = ids_shown_as(typed, master)
    if len(like) > 1:
        return (f"任务编号被存成了数字，{'、'.join(like)} 都显示为 {task_id_text(typed)}：请勿合并，"
                "请把任务编号列设为文本格式，按下发的填报表重新填写各行的任务编号。")
    return "请合并为一行。"


def _not_ours_advice(values: dict[str, Any], master: Master, assigned: dict[str, Any]) -> str:
    """E402's advice: to delete the row; but for an id Excel made a number that one of the
    unit's own tasks shows as too (1.10 made 1.1, its texts edited so its row could not tell),
    deleting it would lose that task's report (QA296)."""
    typed = values.get("task")
    like = ids_shown_as(typed, master)
    if any(t in assigned for t in like):
        return (f"任务编号被存成了数字，{'、'.join(like)} 都显示为 {task_id_text(typed)}：请勿删除该行，"
                "请把任务编号列设为文本格式，按下发的填报表重新填写本行的任务编号。")
    return "请删除该行，或与督办部门核实分工。"


def _task_ids(raw: RawReturn) -> frozenset[str]:
    """The task ids of a return's rows."""
    return frozenset(filter(None, (task_id_text(rr.values.get("task")) for rr in raw.rows)))


def check_return(data: bytes, name: str, ctx: CheckContext, sent_by: str = "") -> Report:
    """Read and check one return. Never raises for problems in the file. ``sent_by``: the
    From of the mail that carried it, evidence of its unit when the form has no _meta."""
    report = Report(file=name)
    try:
        raw = read_return(data, name, ctx.limits)
    except ReadFailure as failure:
        report.issues.append(make_issue(failure.code, file=name, **_failure_params(failure)))
        return report
    except Exception as exc:  # last line of defence: a file must never stop a run
        report.issues.append(make_issue("E101", file=name, reason=f"无法解析（{type(exc).__name__}）"))
        return report
    try:
        _check(raw, name, ctx, report, sent_by)
    except Exception as exc:  # pragma: no cover - a bug, recorded instead of crashing
        report.issues.append(make_issue("E101", file=name, reason=f"校验时出错（{type(exc).__name__}: {exc}）"))
    return report


def _failure_params(failure: ReadFailure) -> dict[str, Any]:
    defaults = {"E101": {"reason": "格式错误"}, "E104": {"detail": "超出限制"},
                "E103": {"ext": "", "advice": ""}}
    return {**defaults.get(failure.code, {}), **failure.params}


def _check(raw: RawReturn, name: str, ctx: CheckContext, report: Report, sent_by: str = "") -> None:
    master = ctx.master
    report.kind, report.sheet = raw.kind, raw.sheet
    issues = report.issues
    at = dict(file=name, sheet=raw.sheet)
    if raw.kind == "xlsm":
        issues.append(make_issue("W106", file=name, ext=".xlsm"))
    issues.extend(raw.issues)

    period, period_by = _period_of(raw, name)
    period = period or ctx.default_period or ctx.period
    printed = ctx.printed.get(period) if period else None
    read_numbered_ids(raw, master, printed, period and period.year)
    # a task's second line joined, a 合计 row or a note apart left out, each said (QA372)
    issues.extend(e.issue for e in sort_extra_rows(raw, form_headers(master), at))
    unit, how, written, disputed = _unit_of(raw, name, ctx, sent_by)
    report.unit, report.identified_by = unit, how
    if disputed is not None:
        issues.append(disputed)
    other = _label_unit(raw, master.directory) if how == "_meta" else None
    if other and other != unit and _names_other(clean(raw.labels.get("填报单位")), unit, other, master.directory):
        # a neighbour's form with the 填报单位 typed over (the cell unprotected): recorded by
        # its _meta, but the unit typed in it would otherwise be 未报送 with no one told
        issues.append(make_issue("W206", cell=raw.label_cells.get("填报单位", ""), said="填报表内置的单位信息",
                                 unit=unit, other=other, evidence="表中的填报单位", **at))
    if unit and printed is not None:
        # a merged unit's return of a past month is the one form's it was issued on
        written = (clean(raw.meta.get("department", "")), without_senders(clean(raw.labels.get("填报单位"))))
        unit = report.unit = printed.form_of(unit, written, master)
    assigned: dict[str, Role | None] = {}
    if unit:
        # a past month's return: the tasks and roles its month's forms gave the unit, as the
        # month's 汇总表 counts them (`as_issued`), not a 责任分工 edited since (W208/W210)
        month = printed.assigned_of(unit, master) if printed else None
        assigned = month if month is not None else {t.id: role for t, role in master.tasks_of(unit)}
        if not assigned:
            issues.append(make_issue("E201", cell=raw.label_cells.get("填报单位", ""),
                                     found=f"：“{unit}”在任务清单中没有任务", **at))
    else:
        shown = f"（表中写的是“{quoted(written)}”）" if written else ""
        issues.append(make_issue("E201", cell=raw.label_cells.get("填报单位", ""), found=shown, **at))

    report.period, report.period_by, report.label_period = period, period_by, _label_period(raw)
    if ctx.period and period and period != ctx.period:
        issues.append(make_issue("E202", cell=raw.label_cells.get("填报期", ""),
                                 found=period.label, expected=ctx.period.label, **at))

    report.fingerprint = raw.meta.get("master_fingerprint", "")
    # a past month's own form, checked against what it printed: not an old template, and
    # not checked against today's 任务清单 as W203 would say
    own_form = printed is not None and report.fingerprint in printed.fingerprints
    if ctx.check_fingerprint and report.fingerprint and report.fingerprint != master.fingerprint and not own_form:
        issues.append(make_issue("W203", **at))

    report.contact = {k: cell_text(raw.labels.get(k)) for k in ("填报人", "联系电话", "审核人", "填报日期")}
    missing = [k for k in ("填报人", "联系电话") if not report.contact.get(k)]
    if missing:
        issues.append(make_issue("W509", cell=_empty_value_cell(raw, master, missing[0]),
                                 missing="、".join(missing), **at))

    # The form was made from an older master: tasks added since were never in it.
    in_form: set[str] | None = None
    if unit and report.fingerprint and report.fingerprint != master.fingerprint:
        in_form = ctx.issued_to.get((report.fingerprint, unit)) or (set(raw.meta_tasks) or None)
    if not raw.rows or any(i.code == "E301" for i in raw.issues):
        # a deleted column (E301) leaves every row in place: only a row really missing is
        # E404, not each task of a form that lost its 存在问题 column (QA139)
        seen = ({task_id_text(rr.values.get("task")) for rr in raw.rows} if "task" in raw.columns
                else set(assigned))
        _missing_tasks(assigned, seen, master, issues, at, in_form, printed)
        return

    # Only the ledger's record of what this unit's form held, never the form's own _meta
    # task list: relaxing E401/E402 on the file's word would let a form vouch for any row.
    issued = ctx.issued_to.get((report.fingerprint, unit), set()) if unit and report.fingerprint else set()
    present = [f for f in MASTER_FIELDS if f in raw.columns]
    # merged cells (QA290): read for each row, or said why not; the blanks under one it could not
    # read are its E512, not each row's E401/E501/E506 too
    merged, under = judge_merges(raw, set(assigned) | issued if unit and assigned else None, form_headers_of(raw),
                                 EDITABLE, _row_task, at) if raw.merges else ([], set())
    issues.extend(merged)
    heads = form_headers(master)  # the form's own words: a 整改清单's 整改进展, 存在困难
    seen: dict[str, int] = {}
    for rr in raw.rows:
        v = rr.values
        tid = task_id_text(v.get("task"))
        here = dict(at, task=tid)
        # texts and 完成时限 as the month's forms printed them, for a past month (a task
        # deleted since included)
        task = ((printed.tasks.get(tid) if printed else None) or master.task(tid)) if tid else None
        if task is None and is_note(tid, v, EDITABLE):
            continue
        # The office gave the unit this row, then moved the task away or deleted it: the
        # department cannot have known, so no E402/E401 (a refusal it cannot fix).
        moved = tid in issued and (tid not in assigned or task is None)
        if task is None and not moved:
            issues.append(make_issue("E401", cell=rr.cell("task"), **dict(here, task=quoted(tid) or "（空白）")))
            continue
        if tid in seen:
            issues.append(make_issue("E403", cell=rr.cell("task"), other=seen[tid], advice=_twice_advice(v, master),
                                     **here))
            continue
        seen[tid] = rr.row
        if moved:
            # Not the unit's task any more: its figures must not count as the unit's
            # progress, so the row is noted for the coordinator and left out of report.rows.
            change = "已从任务清单删除" if task is None else "已调整分工，不再由本单位负责"
            issues.append(make_issue("W210", cell=rr.cell("task"), change=change, **here))
            continue
        if unit and assigned and tid not in assigned:
            issues.append(make_issue("E402", cell=rr.cell("task"), advice=_not_ours_advice(v, master, assigned),
                                     **here))
        _check_master_text(raw, rr, task, here, issues, present, period)
        row = _check_values(rr, task, assigned.get(tid) or clean(v.get("role")), period,
                            ctx, here, issues, heads)
        report.rows.append(row)
    _missing_tasks(assigned, set(seen), master, issues, at, in_form, printed)
    if under:
        issues[:] = [i for i in issues if i.code not in ("E401", "E501", "E506") or i.cell not in under]
    order = master.task_order
    report.rows.sort(key=lambda r: (r.role != LEAD, order.get(r.task, len(order))))


def _row_task(rr) -> str | None:
    """A row's task id for `judge_merges`; None for a line of text under the table."""
    tid = task_id_text(rr.values.get("task"))
    return None if is_note(tid, rr.values, EDITABLE) else tid


def _missing_tasks(assigned: dict[str, Role | None], seen: set[str], master: Master,
                   issues: list[Issue], at: dict, in_form: set[str] | None = None,
                   printed: Printed | None = None) -> None:
    for tid in sorted(set(assigned) - seen, key=task_sort_key):
        if master.task(tid) is None:
            # deleted from 任务清单 since a past month's forms asked for it: a row left out is
            # no refusal (E404) a department could fix, the task being out of the plan
            continue
        task = (printed.tasks.get(tid) if printed else None) or master.task(tid)
        late = in_form is not None and tid not in in_form  # added to the master after issue
        title = task_title(task.name, task.content)
        issues.append(make_issue("W208" if late else "E404", task=tid, name=f"（{title}）" if title else "", **at))


def _check_master_text(raw: RawReturn, rr, task: Task, here: dict, issues: list[Issue],
                       present: list[str], period: Period | None) -> None:
    """W405 when a locked text (``present``: the master fields the return has) differs from
    the master's as ``period``'s form prints it (`Task.printed_text`)."""
    if not present:
        return
    values, texts = rr.values, task.printed_text(period and period.year)
    if len(present) == len(MASTER_FIELDS) and _master_cells(values) == texts and _as_stored(texts):
        # A row as issued holds the master's own texts; when each is already as `_text`
        # leaves it, the raw cells compare equal without cleaning five texts a row
        # (callgrind, a W2 return's ten rows: 400,000 instructions before, 153,000 now).
        return
    found = [cell_text(values.get(f)) for f in present]
    issued = raw.meta_tasks.get(task.id)
    # a form not issued with the 完成时限's year (before QA153, a copy without _meta) printed
    # it as the plan did; untouched text is identical, normalising only for rows that differ
    plain = not issued or issued[1] == task.text_hash
    for shown in dict.fromkeys((texts, task.master_text) if plain else (texts,)):
        expected = [t for f, t in zip(MASTER_FIELDS, shown) if f in raw.columns]
        if found == expected or all(key(a) == key(b) for a, b in zip(found, expected)):
            return
    if len(present) == len(MASTER_FIELDS) and issued and issued[1] == text_hash(found):
        return  # unchanged since issue; the master moved on (W203 says so)
    expected = [t for f, t in zip(MASTER_FIELDS, texts) if f in raw.columns]
    for f, a, b in zip(present, found, expected):
        if key(a) != key(b):
            issues.append(make_issue("W405", cell=rr.cell(f), column=form_headers_of(raw)[f], **here))
            break


# a row's five master cells as one tuple, compared with the task's own (a list of each was
# made for every row)
_master_cells = itemgetter(*MASTER_FIELDS)


@lru_cache(maxsize=4096)
def _as_stored(texts: tuple[str, ...]) -> bool:
    """Whether every one of a task's master texts is as `_text` reads a cell holding it."""
    return all(cell_text(t) == t for t in texts)


def _check_values(rr, task: Task, role: str, period: Period | None, ctx: CheckContext,
                  here: dict, issues: list[Issue], heads: dict[str, str]) -> Row:
    v, cell = rr.values, rr.cell

    def add(code: str, f: str, **params: Any) -> None:
        issues.append(make_issue(code, cell=cell(f), **here, **params))

    status, synonym = parse_status(v.get("status"))
    if status == "":
        add("E501", "status")
    elif status == "?":
        add("E502", "status", value=quoted(clean(v.get("status"))))
        status = ""
    elif synonym:
        add("W503", "status", value=synonym, normal=status)

    typed = v.get("progress")
    progress, ok = parse_progress(typed)
    if progress == 1 and status == DONE and type(typed) in (int, float):
        # "100%" typed into the cell: Excel, WPS and LibreOffice store 1 in a percent format
        # (the whole-number validation lets it in), which the reader cannot see; 已完成 says 100.
        progress = 100
    if not ok:
        value = quoted(cell_text(v.get("progress")))
        meant = progress_meant(value)
        add("E504", "progress", value=value,
            advice=f"如指 {meant}%，请只填数字 {meant}。" if meant is not None else "请填写数字，如 80 表示 80%。")

    texts: dict[str, str] = {}
    limit = ctx.limits.max_text_chars
    for f in TEXT_FIELDS:
        # `cell_text`'s first case inlined, and a formula looked for only in a text starting
        # as one: four texts a row (callgrind, a W2 return's ten rows: 770,000 → 738,000
        # instructions for the whole check, with the form's headers looked up once a return)
        s = x.strip() if type(x := v.get(f)) is str and x.isprintable() else cell_text(x)
        if s.startswith(FORMULA_STARTS) and looks_like_formula(s):
            add("W508", f, column=heads[f], char=s[0])
        if len(s) > limit:
            add("W507", f, column=heads[f], limit=limit)
            s = s[:limit]
        texts[f] = s
    if not texts["work"]:
        add("E506", "work", column=heads["work"])
    elif status != DONE and says_nothing(texts["work"]):
        # not on 已完成: a finished task has nothing further to report (a month later "无"
        # is the honest answer, as W608 lets its copied text be), its status says it is done
        # and W607 asks for the 佐证材料 that shows how
        add("W510", "work", column=heads["work"], value=quoted(texts["work"]))

    eta = None
    raw_eta = v.get("eta")
    if raw_eta not in (None, "") and not (isinstance(raw_eta, str) and not raw_eta.strip()):
        eta = parse_planned_date(raw_eta, period.start if period else None, task.deadline)
        shown = number_shown_as_date(raw_eta)
        if shown or (eta is None and not _no_date_owed(raw_eta, status, task)):
            # an example of the return's own time: "2022-07-15" on a 2026 form looked stale
            example = eta_example_of(period) if period else dt.date.today()
            add("E505", "eta", value=shown or quoted(cell_text(raw_eta)), example=f"{example:%Y-%m-%d}")
            eta = None

    if status == DONE and progress is not None and progress < 100:
        add("E601", "progress", value=progress)
    if progress == 100 and status and status != DONE:
        add("W602", "progress", status=status)
    if status == LAGGING and (not texts["problems"] or says_no_problem(texts["problems"])):
        # "无", "暂无", "/" states no reason either: the 通报 leaves it out of what units 反映 (QA377)
        add("E603", "problems", said=f"{heads['problems']}只填写了“{texts['problems']}”" if texts["problems"]
            else f"未填写{heads['problems']}")
    if (period and status and status not in (DONE, LAGGING) and task.due_by(period.end)):
        # judged at the period's end, as the 汇总表 is; the file may come before the deadline
        by = "（即本期末）" if task.deadline == period.end else f"，早于本期末（{cn_date(period.end)}）"
        add("W604", "status", deadline=cn_date(task.deadline), by=by, status=status, column=heads["deadline"])
    if status == NOT_STARTED and progress:
        add("W605", "progress", value=progress)
    if status == DONE and not texts["evidence"]:
        add("W607", "evidence")
    return Row(task.id, role, status, progress, texts["work"], texts["problems"],
               texts["next_plan"], eta, texts["evidence"], rr.row, cell("progress"))


# What a 预计完成时间 says where no date is owed, read as blank: a mark for "not applicable"
# (after key(): NFKC made ／ and － half-width), 已完成 on a done row, 长期 on an ongoing
# task. An office takes them; E505 sent such honest returns back.
_NO_DATE_MARKS = frozenset({"/", "-", "—", "——", "无", "暂无", "不适用", "无需"})


def _no_date_owed(value: Any, status: str, task: Task) -> bool:
    k = key(cell_text(value)).rstrip(TRAILING_MARKS)
    if k in _NO_DATE_MARKS:
        return True
    if status == Status.DONE and parse_status(k)[0] == Status.DONE:
        return True
    return task.ongoing and parse_deadline(k)[1]


def history_issues(report: Report, previous: dict[str, Previous], master: Master | None = None) -> list[Issue]:
    """History checks against the unit's previous accepted return: W606 for progress that
    fell, W608 for 工作进展 or 下一步计划 copied unchanged (copy-paste reporting), named as
    ``master``'s form prints them (a 整改清单's 整改进展: `rectification`).

    Separate from `check_return` because history lives in the ledger, not in the file.
    """
    out = []
    heads = form_headers(master)
    for row in report.rows:
        before = previous.get(row.task)
        if before is None:
            continue
        # another unit's figure (a unit merged into this one): the department is told whose
        period = f"{before.period}，原{before.by}报送" if before.by else before.period
        if before.progress is not None and row.progress is not None and row.progress < before.progress:
            out.append(make_issue("W606", file=report.file, sheet=report.sheet, cell=row.progress_cell,
                                  task=row.task, value=row.progress, previous=before.progress,
                                  period=period))
        # A task done last month and still done has nothing new to say; repeating it is honest.
        if row.status == Status.DONE and before.status == Status.DONE:
            continue
        # "无" again is W510's to ask about (or, on a task done, nothing to say), not 照抄上期
        work = "" if says_nothing(row.work) else row.work
        same = [heads[f] for f, now, then in (("work", work, before.work),
                                               ("next_plan", row.next_plan, before.next_plan))
                if squash(now) and squash(now) == squash(then)]
        if same:
            # The row, not a cell: Row keeps only the progress cell, and feedback marks the
            # task's first cell for a row-level location.
            out.append(make_issue("W608", file=report.file, sheet=report.sheet, cell=f"第 {row.row} 行",
                                  task=row.task, columns="和".join(f"“{c}”" for c in same),
                                  period=period))
    return out


def master_from_return(data: bytes, name: str, limits: Limits) -> Master | None:
    """A stand-in master list built from a return's own _meta and locked columns.

    Lets a department self-check a return with ``duban check`` without a workspace.
    """
    try:
        raw = read_return(data, name, limits)
    except Exception:
        return None
    if not raw.meta_tasks or not raw.meta.get("department"):
        return None
    unit = raw.meta["department"]
    tasks, assignments = [], []
    for rr in raw.rows:
        tid = task_id_text(rr.values.get("task"))
        texts = [cell_text(rr.values.get(f)) for f in MASTER_FIELDS]
        if type(rr.values.get("task")) in (int, float):
            # 1.10 made the number 1.1 (`read_numbered_ids`): the id whose issued texts these are
            x = _as_number(rr.values["task"])
            found = [m for m in raw.meta_tasks if _as_number(m) == x]
            found = [m for m in found if raw.meta_tasks[m][1] == text_hash(texts)] if len(found) > 1 else found
            tid = found[0] if len(found) == 1 else tid
        if tid in raw.meta_tasks and tid not in {t.id for t in tasks}:
            deadline, ongoing = parse_deadline(texts[4])
            tasks.append(Task(tid, *texts, deadline=deadline, ongoing=ongoing))
    for tid, (role, _) in raw.meta_tasks.items():
        if tid not in {t.id for t in tasks}:
            tasks.append(Task(tid, "", "", "", "", ""))
        assignments.append(Assignment(tid, unit, Role.LEAD if role == Role.LEAD else Role.COOP))
    directory = Directory([Unit(unit, guess_kind(unit))])
    return Master(raw.meta.get("project", ""), tasks, assignments, directory, kind=raw.meta.get("kind", ""))
