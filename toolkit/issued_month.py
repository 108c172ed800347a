"""A month as its forms gave it: who was asked what, once a later month's forms went out.

A month already reported is merged again after a 补报, often after the office edited
责任分工 or 任务清单. Its 汇总表 and 通报 are then judged by what the ledger recorded its forms
held (`as_issued`), not by today's sheet, and the office is told where the two differ
(`Basis`): a past 通报's verdicts neither change nor stay against today's sheet unsaid.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from .dates import cn_date
from .file_time import stated_times
from .joined_since import joined_of, joined_since, known_then
from .ledger import Ledger, Receipt
from .ledger.answers import office_time
from .master import Assignment, Master, Task
from .master.model import renumbered, task_sort_key
from .period import Period
from .printed_order import forms_order
from .report import Previous, Report, Row
from .revised import month_tasks, renumbered_since
from .text import clean, key
from .vocab import EXPLICIT, Role

if TYPE_CHECKING:
    from .basis import Basis
    from .checks import CheckContext

LEAD, COOP = Role.LEAD, Role.COOP
MOST_NAMED = 10  # units named one by one in a note; more are counted
#: the title of a deleted task whose texts no record kept (`_untold`)
UNTOLD_TITLE = "（已从任务清单删除，下发时未记录任务内容）"
#: a task's texts as the forms print them, by the name its column has (`Basis.edited`)
TEXT_FIELDS = (("level1", "一级任务"), ("level2", "二级任务"), ("name", "工作任务"), ("content", "具体工作内容"))


def renamed(by_unit: dict[str, Any], master: Master, merge, apart: frozenset[str] = frozenset()) -> dict[str, Any]:
    """``by_unit`` keyed by each unit's name in the month (`month_name`: its current name, an
    old name kept as an alias of a renamed unit being resolved); values under two names of
    one unit are ``merge``d. A name in ``apart`` (`kept_apart`) stays itself."""
    out: dict[str, Any] = {}
    for unit, value in by_unit.items():
        now = month_name(unit, master, apart)
        out[now] = merge(out[now], value) if now in out else value
    return out


def issued_dues(ledger: Ledger, period: Period, master: Master, apart: frozenset[str] | None = None,
                undated: dt.date | None = None) -> dict[str, dt.date]:
    """`Ledger.issued_dues` under each unit's name in the month (`month_name`: a
    unit renamed since its form went out keeps that form's deadline, the later of its two
    names'; ``apart``: `kept_apart`, read when not given). ``undated``: the date a form
    recorded with none printed (`Ledger.undated_units`, before ledger version 6: duban.toml's
    due_day), given to its unit: else, once most units had a later --due, that date was the
    period's and so theirs (QA250)."""
    apart = kept_apart(ledger, period, master) if apart is None else apart
    dues = ledger.issued_dues(period)
    if undated is not None:
        dues = {**dict.fromkeys(ledger.undated_units(period), undated), **dues}
    return renamed(dues, master, max, apart)


def month_name(unit: str, master: Master, apart: frozenset[str] = frozenset()) -> str:
    """The name a month counts ``unit`` (as the ledger holds it) under: its current name
    (`Directory.resolve`), unless the month keeps it apart (`kept_apart`)."""
    return unit if unit in apart else master.directory.resolve(unit) or unit


def kept_apart(ledger: Ledger, period: Period, master: Master,
               issuing: dict[str, list[str]] | None = None) -> frozenset[str]:
    """The names ``period``'s forms went to that the month keeps as issued: units that were
    two in the master the forms were made from and that 单位名录 now gives as one (机构改革:
    市林业局 merged into 市自然资源局 after June's forms went out, its name an alias). Each
    form is its own, whether the month is judged by its forms (`judged_by_forms`) or is the
    one the office is on (merged on 30 June, June's returns mailed on 2 July): a return on
    市林业局's form is checked against that form, counted under its name, and replaces no
    return of 市自然资源局's; the month's 汇总表 and 通报 give each form's state, as its first
    通报 named (or will name) each. Read under one name, the two forms were one task list
    that neither form held (E404), and the later return replaced the other's on-time one
    and its rows.
    Empty for a unit renamed (one form, counted under its current name) and for a renamed
    unit issued again under its new name (a form of another master: not two units); and
    once the merged unit was issued the month again (`issue --dept 市自然资源局` after the
    merger) a form carrying every task of the split ones: that form is the month's, as a
    renamed unit's, and 市林业局's old one owes nothing (it stood 未报送 beside a return that
    covered all its tasks).
    ``issuing``: the forms an issue is about to record (unit → its task ids, from ``master``),
    read as recorded after every other: the names as the month will read them once it is."""
    resolve = master.directory.resolve
    by_master = ledger.issued_units_by_master(period)
    if issuing:
        by_master.setdefault(master.fingerprint, {}).update(
            {u: ("9999", json.dumps(ids)) for u, ids in issuing.items()})  # (after any issued_at)
    names: set[str] = set()
    for fingerprint, forms in by_master.items():
        now: dict[str, set[str]] = {}
        for unit in forms:
            now.setdefault(resolve(unit) or unit, set()).add(unit)
        for current, same in now.items():
            if len(same) < 2:
                continue
            split_at = max(forms[n][0] for n in same)
            tasks = {t for n in same for t in json.loads(forms[n][1]) if master.task(t) is not None}
            if not any(at > split_at and set(json.loads(held)) >= tasks
                       for other, later in by_master.items() if other != fingerprint
                       for unit, (at, held) in later.items() if (resolve(unit) or unit) == current):
                names.update(same)
    return frozenset(names)


def own_aliases(ledger: Ledger, master: Master, before: Period) -> Callable[[str], tuple[str, ...]]:
    """A unit → its aliases under which the ledger holds its own earlier returns (`issue
    --prefill`, `all_done`): a renamed unit's old name, not a unit merged into it whose forms
    of a month before ``before`` were their own (`kept_apart`). 市自然资源局's July form
    prefilled from 市林业局's June return (later than its own, every task 已完成) would print
    another unit's progress as its own, and could exempt it (本期免报) for a month it owes.
    The months are read once: asked per unit, a 1,000-unit issue spent 4 s of its 20 on it."""
    months = EarlierMonths(ledger, master)
    return lambda unit: months.own_aliases(unit, before)


def vouches(ledger: Ledger, period: Period, received: dict[str, list[Receipt]]) -> bool:
    """Whether the ledger's record of ``period``'s forms is the whole issue: recorded before
    any of its returns was collected (`consolidate._not_issued`)."""
    first = ledger.issued_at(period)
    issued_first = first.isoformat(sep=" ") if first else ""
    collected = min((r.collected_at for recs in received.values() for r in recs), default="")
    return first is not None and (not collected or issued_first < collected)  # (to the second)


class Printed(NamedTuple):
    """A past month's tasks as its forms printed them (ledger `issued_texts`; empty for forms
    issued before version 8), the fingerprints of the masters those forms were made from
    (empty with no texts: an older form is then checked against today's texts, as W203
    says), and who the forms asked for what (`Ledger.issued_tasks_of`, under current names:
    unit → task id → the role its form gave, None when not recorded, before version 7), a
    merged unit's forms under the names they went to (``apart``: `kept_apart`)."""

    tasks: dict[str, Task]
    fingerprints: frozenset[str]
    assigned: dict[str, dict[str, Role | None]]
    apart: frozenset[str] = frozenset()

    def form_of(self, unit: str, written: tuple[str, ...], master: Master) -> str:
        """The name whose form a return of ``unit`` is: of a merged unit (`kept_apart`), the
        one its form was issued to, as ``written`` on it (its _meta, its 填报单位); else ``unit``."""
        if not self.merged(unit, master):
            return unit
        now = month_name(unit, master)
        # as written, or inside what is written (东莞市林业局 on a form without _meta holds
        # 市林业局): the longest such name; another form's would replace the other's return
        found = [(len(key(n)), n) for n in self.apart if month_name(n, master) == now
                 and any(key(n) in key(w) for w in written if w)]
        return max(found)[1] if found else unit

    def merged(self, unit: str | None, master: Master) -> bool:
        """Whether ``unit`` is one the month gave two or more forms under other names (`kept_apart`)."""
        return bool(unit and self.apart) and month_name(unit, master) in {month_name(n, master) for n in self.apart}

    def assigned_of(self, unit: str, master: Master) -> dict[str, Role | None] | None:
        """Task id → role for ``unit`` as the month's forms gave it (a role not recorded is
        today's, else None: the row's own 责任类型 then); None when no form of the month went
        to the unit (it keeps today's tasks, as `issued_month.as_issued` keeps it)."""
        given = self.assigned.get(unit)
        if given is None:
            return None
        now = {t.id: role for t, role in master.tasks_of(unit)}
        return {tid: role or now.get(tid) for tid, role in given.items()}


def judged_by_forms(ledger: Ledger, period: Period, received: dict[str, list[Receipt]],
                    master: Master | None = None) -> bool:
    """Whether ``period`` is judged by what its forms gave (`as_issued`, `printed_months`): a
    later month's forms went out, or ``master`` (today's) renumbered the tasks they printed
    (`renumbered_since`); and the ledger vouches for the issue (`vouches`)."""
    past = later_issue(ledger, period) is not None or (master is not None and renumbered_since(ledger, period, master))
    return past and vouches(ledger, period, received)


def later_issue(ledger: Ledger, period: Period) -> Period | None:
    """The first month after ``period`` whose forms went out: ``period`` is then a past month."""
    return min((p for p in ledger.issued_periods() if p > period), default=None)


def printed_months(ledger: Ledger, periods: set[Period], master: Master) -> dict[Period, Printed]:
    """Each of ``periods`` judged by its forms (`judged_by_forms`: a later month's went out or
    ``master`` renumbered their tasks, and the ledger vouches for the issue) → its tasks as
    its forms printed them, and who they asked for what (under ``master``'s current names);
    a month whose forms recorded neither
    (issued before version 4) is absent: checked against today's sheet, as its 汇总表 is
    merged with it. A month whose forms recorded no texts (before version 8) is checked
    against today's texts, as its 汇总表 shows them. The month the office is on is checked
    against today's sheet (unless ``master`` renumbered its forms' tasks), but for a merged
    unit's forms (`kept_apart`, `merged_forms`)."""
    out: dict[Period, Printed] = {}
    for period in sorted(periods):
        apart = kept_apart(ledger, period, master)
        if not judged_by_forms(ledger, period, ledger.units_received(period), master):
            if apart:
                out[period] = Printed({}, frozenset(), merged_forms(ledger, period, master, apart), apart)
            continue
        texts = ledger.issued_texts_of(period)
        assigned = _assigned_of(ledger, period, master, apart)
        if texts or assigned:
            out[period] = Printed(texts, frozenset(ledger.issued_fingerprints(period) if texts else ()), assigned,
                                  apart)
    return out


def _assigned_of(ledger: Ledger, period: Period, master: Master, apart: frozenset[str] = frozenset()
                 ) -> dict[str, dict[str, Role | None]]:
    """Unit (its name in the month, `month_name`) → task id → the role ``period``'s forms
    gave it (None: issued before version 7, none recorded), as `as_issued` reads them."""
    given = renamed(ledger.issued_roles_of(period), master, lambda a, b: {**a, **b}, apart)
    # a dict, not ``Role(role)``: the enum's call, once a task of each form (788 in the demo), was
    # 4.1 M instructions of `duban status`'s 512 M (callgrind)
    roles = {LEAD: LEAD, COOP: COOP}
    return {unit: {tid: roles.get(given.get(unit, {}).get(tid)) for tid in ids}
            for unit, ids in renamed(ledger.issued_tasks_of(period), master, lambda a, b: a | b, apart).items()}


def merged_forms(ledger: Ledger, period: Period, master: Master, apart: frozenset[str]
                 ) -> dict[str, dict[str, Role | None]]:
    """For the month the office is on (not `judged_by_forms`): ``apart``'s forms (`kept_apart`)
    as `_assigned_of` gives them, of the tasks 任务清单 still has. Every other unit is judged
    by today's 责任分工, which the office may still edit and issue again; 市林业局's June form,
    whose unit 责任分工 no longer has, and 市自然资源局's, which did not carry 市林业局's tasks,
    are each judged by what it asked (a task deleted since is gone from the month, as for
    everyone)."""
    if not apart:  # no merged unit (most months): every form's roles and tasks were read for none,
        return {}  # 7.2 M instructions of `duban status`'s 465 M (callgrind, demo workspace)
    return {unit: {tid: role for tid, role in given.items() if master.task(tid) is not None}
            for unit, given in _assigned_of(ledger, period, master, apart).items() if unit in apart}


def check_as_printed(ledger: Ledger, ctx: CheckContext, jobs: list[tuple[bytes, str, str]] | list[tuple[bytes, str]],
                     reports: list[Report]) -> list[Report]:
    """``reports`` (of ``jobs``, checked with ``ctx``), those of a past month checked again
    against what its forms printed and whom they asked for what (`printed_months`): a 补报
    after the office moved a 完成时限 is questioned (W604) as the month's 通报 judges it, not
    by today's sheet, and its row for a task handed to another unit since is the month's
    (no W210), as the month's 汇总表 counts it. Only a return that either could change is
    checked again: a row or an issue of a task printed otherwise than today's sheet, a
    unit the month asked for other tasks or roles than today's 责任分工 gives it, or a
    merged unit's (`kept_apart`: which of its forms the return is on, `Printed.form_of`)."""
    # deferred: the checker brings the spreadsheet readers, which `duban status` (this module's
    # as_issued, no file read) need not load: 10 modules, ~12 ms of its start
    from .checks import check_return

    printed = printed_months(ledger, {r.period for r in reports if r.period}, ctx.master)
    # Only the tasks printed otherwise than today's sheet can change a check: June's returns
    # collected after July's forms went out (a month's usual last days) are a past month's,
    # and checking every one again, on one core, doubled a run of thousands for nothing.
    printed = {p: m._replace(tasks={t: task for t, task in m.tasks.items() if ctx.master.task(t) != task})
               for p, m in printed.items()}
    if not printed:
        return reports
    out, again = [], replace(ctx, printed=printed)
    for job, rep in zip(jobs, reports):
        month = printed.get(rep.period) if rep.period else None
        if month is None:
            out.append(rep)
        elif (any(r.task in month.tasks for r in rep.rows) or any(i.task in month.tasks for i in rep.issues)
              or _asked_otherwise(month, rep.unit, ctx.master) or month.merged(rep.unit, ctx.master)):
            out.append(check_return(*job[:2], again, *job[2:]))
        else:  # the same check: only W203 differs, none for a form of the month's own master
            if rep.fingerprint in month.fingerprints:
                rep.issues = [i for i in rep.issues if i.code != "W203"]
            out.append(rep)
    return out


def _asked_otherwise(month: Printed, unit: str | None, master: Master) -> bool:
    """Whether the month's forms asked ``unit`` for other tasks or roles than today's 责任分工."""
    if not unit:
        return False
    given = month.assigned_of(unit, master)
    return given is not None and given != {t.id: role for t, role in master.tasks_of(unit)}


class EarlierMonths:
    """What the ledger says of earlier months, each asked once a run (collect's
    `_weigh_evidence` asked it for every refused or late file): when each month's forms went
    out, the units they went to and those exempt, the accepted returns. ``tz``: the office's
    zone, whose clock issue times are read on (`office_time`), as times of receipt are kept."""

    def __init__(self, ledger: Ledger, master: Master, tz: dt.tzinfo | None = None,
                 apart: dict[Period, frozenset[str]] | None = None) -> None:
        self.ledger, self.master, self.tz = ledger, master, tz
        # ``apart``: `kept_apart` of months the caller read already (a consolidation reads its own)
        self._apart: dict[Period, frozenset[str]] = dict(apart or {})
        self._asked: dict[Period, set[str]] | None = None
        self._exempt: dict[Period, set[str]] = {}
        self._issued: dict[Period, dt.datetime | None] = {}
        self._first: dict[Period, dict[str, dt.datetime]] = {}
        self._accepted: dict[Period, dict[str, Receipt]] = {}
        self._periods: list[Period] | None = None
        self._merged: dict[Period, frozenset[str]] = {}
        self._tasks: dict[Period, list[Task]] = {}
        self._ids: dict[tuple[Period, Period], dict[str, str]] = {}

    def periods(self) -> list[Period]:
        """The months whose forms went out, earliest first."""
        if self._periods is None:
            self._periods = sorted(self.ledger.issued_periods())
        return self._periods

    def apart(self, period: Period) -> frozenset[str]:
        """`kept_apart` of ``period``."""
        if period not in self._apart:
            self._apart[period] = kept_apart(self.ledger, period, self.master)
        return self._apart[period]

    def own_aliases(self, unit: str, before: Period) -> tuple[str, ...]:
        """``unit``'s aliases under which the ledger holds its own returns of the months before
        ``before`` (`own_aliases`): not a name a month kept apart (`kept_apart`), another unit's."""
        if before not in self._merged:
            self._merged[before] = frozenset().union(*(self.apart(p) for p in self.periods() if p < before))
        return tuple(a for a in self.master.directory.aliases_of(unit) if a not in self._merged[before])

    def month_tasks(self, period: Period) -> list[Task]:
        """The tasks ``period``'s forms printed (`month_tasks`)."""
        if period not in self._tasks:
            self._tasks[period] = month_tasks(self.ledger, period, self.master)
        return self._tasks[period]

    def ids_in(self, period: Period) -> Callable[[Period], dict[str, str]]:
        """An earlier month's task ids → ``period``'s, the same task under its new number
        after a revised plan (`renumbered`); each pair of months compared once a run, not
        once a return."""
        def ids(then: Period) -> dict[str, str]:
            if (then, period) not in self._ids:
                self._ids[(then, period)] = renumbered(self.month_tasks(then), self.month_tasks(period))
            return self._ids[(then, period)]
        return ids

    def previous(self, unit: str, period: Period) -> dict[str, Previous]:
        """What W606 and W608 weigh ``unit``'s return of ``period`` against: each task as the
        unit's own latest accepted return of an earlier month gave it (`Ledger.previous_progress`,
        under its own names, `own_aliases`). 市林业局 merged into 市自然资源局: its returns are
        not 市自然资源局's history. Read as one unit, the later of June's two returns was
        the history of both: against 市林业局's 30% on 2.1, 市自然资源局's July 60% (its own
        June: 80%) went unwarned, and its copy of 市林业局's June text was 照抄上期. A task only a merged
        unit's return gave (it moved with the merger: 3.2 was 市林业局's alone) is weighed
        against that unit's figure, said so (``Previous.by``): the task went backwards
        whoever reports it now. Not when two merged units gave it (whose figure was the
        task's is not known), nor for a form of the merged month (`kept_apart`: each form
        its own unit's) or a return under a merged unit's old name."""
        after = period.shift(1)  # the names kept apart up to ``period`` itself
        own = self.own_aliases(unit, after)
        ids = self.ids_in(period)  # a task renumbered by a revised plan is weighed against itself
        before = self.ledger.previous_progress(unit, period, own, ids)
        if unit in self.apart(period) or self.master.directory.resolve(unit) != unit:
            return before
        moved: dict[str, list[Previous]] = {}
        for name in self.master.directory.aliases_of(unit):
            if name not in own:
                for tid, then in self.ledger.previous_progress(name, period, ids=ids).items():
                    moved.setdefault(tid, []).append(then._replace(by=name))
        return {**{tid: then[0] for tid, then in moved.items() if len(then) == 1}, **before}

    def issued_at(self, period: Period) -> dt.datetime | None:
        if period not in self._issued:
            at = self.ledger.issued_at(period)
            self._issued[period] = office_time(at, self.tz) if at else None
        return self._issued[period]

    def names_of(self, unit: str, period: Period) -> tuple[str, ...]:
        """The names the ledger may hold ``unit``'s returns of ``period`` under
        (`Directory.names_of`, ``unit`` first), but another form's of a merged unit
        (`kept_apart`): 市自然资源局's on-time June return is not 市林业局's, whose June 补报 is
        then no 重报, and whose refused June 补报 keeps its reply when 市自然资源局's June
        correction is taken (`replies`, `owed.answered` read the unit's files by them)."""
        apart = self.apart(period)
        return tuple(n for n in self.master.directory.names_of(unit) if n == unit or n not in apart)

    def reported(self, names: tuple[str, ...], period: Period) -> bool:
        return self.ledger.reported(names, period)

    def owes(self, unit: str, period: Period) -> bool:
        """Whether ``unit`` has no accepted return of ``period`` in the ledger (under a name of it)."""
        return not self.reported(self.names_of(unit, period), period)

    def accepted_at(self, names: tuple[str, ...], period: Period) -> dt.datetime | None:
        """When the unit's accepted return of ``period`` in the ledger was received, if any."""
        if period not in self._accepted:
            self._accepted[period] = self.ledger.accepted(period)
        return max((self._accepted[period][n].received for n in names if n in self._accepted[period]), default=None)

    def exempt(self, names: tuple[str, ...], period: Period) -> bool:
        if period not in self._exempt:
            self._exempt[period] = self.ledger.exempt_units(period)
        return bool(set(names) & self._exempt[period])

    def was_asked(self, unit: str, period: Period, by: dt.datetime | None = None) -> bool:
        """Whether a form of ``period`` went to ``unit`` (under a name of it), not exempt; with
        ``by``, one that went out on or before that day (a file sent before July's forms went
        out was no July return on the wrong form: 东城街道7月进展 mailed on 8 July is June's).
        When its first form went out (`Ledger.issued_first_of`): the month issued again on 28
        July leaves a file of 25 July July's, and a unit sent its form on 28 July alone was
        not asked on 25 July though the others were."""
        names = set(self.names_of(unit, period)) & self.asked().get(period, set())
        if not names or by is None:
            return bool(names)
        if period not in self._first:
            self._first[period] = {u: office_time(at, self.tz) for u, at in self.ledger.issued_first_of(period).items()}
        issued = min((self._first[period][n] for n in names if n in self._first[period]), default=None)
        return issued is None or issued.date() <= by.date()

    def was_exempt(self, unit: str, period: Period, by: dt.datetime | None = None) -> bool:
        """Whether ``unit`` was exempt for ``period`` (本期免报, no form), with ``by`` told so on
        or before that day (the month's forms went out then), as `was_asked` reads a form."""
        if not self.exempt(self.names_of(unit, period), period):
            return False
        issued = self.issued_at(period) if by is not None else None
        return issued is None or issued.date() <= by.date()

    def asked(self) -> dict[Period, set[str]]:
        """Each issued month, latest first → the units a form of it went to (not the exempt)."""
        if self._asked is None:
            self._asked = {}
            for p in reversed(self.periods()):
                self._exempt.setdefault(p, self.ledger.exempt_units(p))
                self._asked[p] = self.ledger.issued_units(p) - self._exempt[p]
        return self._asked


def as_issued(ledger: Ledger, period: Period, master: Master, received: dict[str, list[Receipt]],
              rows: dict[str, dict[str, Row]], apart: frozenset[str] = frozenset()) -> Master:
    """The master as ``period``'s forms gave it, once a later month's forms went out or
    today's plan renumbered the tasks they printed (`judged_by_forms`).

    Judged by today's sheet, a month merged again would change what its 通报 said in public.
    Who was asked what is then what the ledger recorded each unit's forms held
    (`Ledger.issued_tasks_of`, under current names): a unit issued a form stays, with its
    tasks; a task on no form is not the month's (a task that no unit has today, as the demo's
    16.1, stays: no form could carry it). A unit that sent a return without a form, or was
    issued none that month, keeps today's tasks, as `consolidate._not_issued` keeps it; but
    one the plan gained since, that sent nothing, is none of the month's (`joined_since`).

    A unit taken off a task since stays on it for the month. The master keeps no history and
    no reason: a wrong assignment corrected looks exactly like a task handed over later, and
    either way the month's form did ask the unit, and its 通报 said so when it went out.
    Dropping the unit would change a published verdict on a guess; keeping it is what the
    month's own 汇总表 showed. The office is told, unit by unit (`basis_of`), and corrects the
    通报 where the assignment was wrong.

    Each task is the one its forms printed (its texts and 完成时限 recorded at issue,
    `Ledger.issued_texts_of`, since version 8): a deadline moved since would change whether
    the month's 通报 called the task 超期, and a task reworded would show today's wording. A
    task deleted from 任务清单 since stays too, as printed, with its rows. For forms issued
    before version 8 nothing was recorded: a task is today's, and a deleted one stays under
    a title that says so, in the group of the task before it, its rows kept.

    Each unit's role on a task is the one its form gave (`Ledger.issued_roles_of`): a lead
    changed since (a 补报 collected after the edit is checked with today's roles) does not
    change who the month's 汇总表 and 通报 named 牵头. A form issued before the ledger kept
    roles (version 7) has none recorded; its role is then inferred, as before: the one its
    accepted row was checked with (the master at collection), else today's, else, for a
    unit no longer on the task, 牵头 when the task would otherwise have no lead (its lead
    then) and 配合 otherwise. Unchanged (today's 责任分工) for the month the office is on,
    whose forms it may still issue or edit, and where the ledger does not vouch for the
    whole issue. A merged unit's forms (``apart``: `kept_apart`) stay under the names they
    went to, each with its own tasks, in the month the office is on too (`merged_forms`:
    with today's texts and 任务清单; every other unit keeps today's 责任分工)."""
    past = judged_by_forms(ledger, period, received, master)
    forms = _assigned_of(ledger, period, master, apart) if past else merged_forms(ledger, period, master, apart)
    if not forms:
        return master
    texts = ledger.issued_texts_of(period) if past else {}
    # today's 责任分工 under the month's numbers (a revised plan renumbered, `renumbered`): the
    # old 1.2's 牵头 are 市政务服务数据管理局 and 各镇街（园区） in that order, not 34 names
    # sorted, though today's 1.2 is no task and its 2.1 another one
    then_of = {now: then for then, now in renumbered(texts.values(), master.tasks).items()} if texts else {}
    today = [replace(a, task=then_of[a.task]) for a in master.assignments if a.task in then_of] \
        if any(now != then for now, then in then_of.items()) else master.assignments
    now = {(a.task, a.unit): a.role for a in today}
    roles: dict[tuple[str, str], str | None] = {}  # (task, unit) -> role; None: not known
    for unit, given in forms.items():
        for tid, role in given.items():
            # the role the form printed; for a form issued before version 7 (none recorded),
            # the one its row was checked with (the master at collection: today's for a 补报),
            # else today's
            row = rows.get(unit, {}).get(tid)
            roles[(tid, unit)] = role or (row.role if row and row.role in (LEAD, COOP) else now.get((tid, unit)))
    # a unit that sent a return without a form, or was issued none that month (an issue of
    # some units only, a unit added since), keeps today's tasks: `_not_issued` then says
    # 本期未下发 for it, as the month's own 汇总表 did, never 未明确牵头单位
    # A task added to the plan since the month's forms went out is not the month's, whoever
    # has it: 县人社局, new with a task (六) imported on 20 August, stood in July's 通报 as
    # 本期未下发, one of 6 tasks where July's forms printed 5 (`added_since_issue`)
    # A unit the plan gained since (县统计局 on task 1, added after March's forms went out) is not
    # the month's unless it sent something: never 本期未下发, to be issued a form (`joined_since`)
    joined = joined_since(ledger, period, master, apart) - set(received) if past else frozenset()
    asked, added = {u for _, u in roles} | joined, added_since_issue(ledger, period, master) if past else frozenset()
    roles.update({(a.task, a.unit): a.role for a in master.assignments if a.unit not in asked and a.task not in added})
    led = {tid for (tid, _), role in roles.items() if role == LEAD}
    kept: list[Assignment] = []
    for a in today:  # today's order, then the units no longer on the task
        if (a.task, a.unit) in roles:
            role = roles.pop((a.task, a.unit)) or a.role
            kept.append(a if role == a.role else Assignment(a.task, a.unit, role))
    sources: dict[tuple[str, str], set[str]] = {}
    for a in today:
        sources.setdefault((a.task, a.role), set()).add(a.source)
    source = {(a.task, a.unit, a.role): a.source for a in today}
    resolve = master.directory.resolve
    for (tid, unit), known in sorted(roles.items()):
        role = known or (COOP if tid in led else LEAD)
        # shown within the group its fellows came from (市各有关部门), as it was, when they
        # all came from one; a unit merged into another (市林业局 into 市自然资源局), within
        # the group of the unit it is now part of: 2.1's 牵头 are 市府办 by name and
        # 市各有关部门, 市林业局 one of them then, not a name after them
        group = sources.get((tid, role), set())
        now = resolve(unit)
        merged = source.get((tid, now, role), EXPLICIT) if now not in (None, unit) else EXPLICIT
        kept.append(Assignment(tid, unit, role, next(iter(group)) if len(group) == 1 else merged))
    on_forms = {a.task for a in kept}
    # as printed; a task on no form (none recorded) is today's; the office's month keeps today's
    tasks = [texts.get(t.id, t) for t in master.tasks if not past or t.id in on_forms or not master.units_of(t.id)]
    deleted = [texts.get(tid) or _untold(tid, master) for tid in on_forms if master.task(tid) is None]
    # listed as its forms listed it, not by today's plan and numbers (`printed_order`, QA386)
    order = ledger.issued_order_of(period) if past else ({}, {})
    tasks, kept = forms_order(_in_order(tasks, deleted), kept, order, master.directory.resolve)
    return replace(master, tasks=tasks, assignments=kept)


def added_since_issue(ledger: Ledger, period: Period, master: Master) -> frozenset[str]:
    """Today's tasks (their ids in ``master``) that no form of ``period`` carried, once the
    plan is no longer the one any of its forms was made from: added to the plan after they
    went out. README: 之后新增的任务不计入该期 — a revised plan imported on 20 August with a
    task (六) led by a unit new to the plan (县人社局) made July, merged again, 6 tasks with
    one 本期未下发 and a 请核实 asking for a July form of a task July never had.
    A task is its texts (`renumbered`): one moved to another number was carried. Forms issued
    before version 8 recorded no texts: a task is then carried by its number. The month's
    forms made from today's plan (an issue of some units only, the rest still to come) leave
    nothing added: a unit not yet issued keeps today's tasks (`as_issued`). A plan edited
    after an issue of some units only (a 补发 month) keeps a task one of whose units was known
    then (issued a form, of any month, made from a plan the month's forms were made from) and
    not issued the month: a task of a unit left out, not one added since. 大竹's October, issued
    to 县民政局 alone, lost 9 of its 11 tasks once a 完成时限 was edited (QA383)."""
    made_from = ledger.issued_fingerprints(period)
    if master.fingerprint in made_from:
        return frozenset()
    texts = ledger.issued_texts_of(period)
    forms = ledger.issued_tasks_of(period)
    carried = set(renumbered(texts.values(), master.tasks).values()) if texts else set().union(*forms.values())
    if not carried:
        return frozenset()  # nothing recorded of the forms (before version 4): today's tasks
    resolve = master.directory.resolve
    issued, known = {resolve(u) or u for u in forms}, known_then(ledger, made_from, resolve)

    def added(tid: str) -> bool:
        units = master.units_of(tid)
        # a task no unit has (the demo's 16.1) no form could carry: `as_issued` keeps it, as ever
        return bool(units) and all(u in issued or u not in known for u in units)

    return frozenset(t.id for t in master.tasks if t.id not in carried and added(t.id))


def _untold(tid: str, master: Master) -> Task:
    """A deleted task whose texts no record kept (forms issued before version 8): its id, a
    title saying so, and the 一级/二级任务 of the task numbered before it (2.1 for 2.2), so
    the month's charts do not grow a group of its own."""
    parent = tid.rpartition(".")[0]
    fellow = next((t for t in master.tasks if parent and t.id.rpartition(".")[0] == parent), None)
    return Task(tid, fellow.level1 if fellow else "", fellow.level2 if fellow else "",
                UNTOLD_TITLE, "", "", complete=False)



def _in_order(tasks: list[Task], extra: list[Task]) -> list[Task]:
    """``tasks`` in their order, each of ``extra`` before the first one numbered after it."""
    out = list(tasks)
    for t in sorted(extra, key=lambda t: task_sort_key(t.id)):
        at = next((i for i, o in enumerate(out) if task_sort_key(o.id) > task_sort_key(t.id)), len(out))
        out.insert(at, t)
    return out


def basis_of(ledger: Ledger, period: Period, today: Master, month: Master,
             state: Callable[[str, str], str]) -> Basis | None:
    """How ``month`` (`as_issued`) differs from ``today``'s sheet; None when it does not
    (nothing edited that its forms carried). A task added since is no difference to tell: no
    form carried it, and nobody is named for it. The month the office is on is judged by
    today's sheet: where its forms, made from an earlier plan, differ (`plan_since`). ``state``:
    (unit, task id) → the unit's state on the task, as the month's sheets give it."""
    later = later_issue(ledger, period)
    if later is None and not renumbered_since(ledger, period, today):
        # the month the office is on, judged by today's sheet: told where its forms differ
        from .plan_since import since_forms  # deferred: it reads this module

        return since_forms(ledger, period, today, state)
    if month is today:
        return None
    # a task is its texts, not its number (`renumbered`): a revised plan that moved 1.2 to
    # 2.1 neither deleted 1.2 nor edited 2.1 (another task now), and 1.2's units are on 2.1
    ids = renumbered(month.tasks, today.tasks)
    now = {(a.task, a.unit): a.role for a in today.assignments}
    deleted = [t for t in month.tasks if t.id not in ids]
    moved = {t.id: ids[t.id] for t in month.tasks if ids.get(t.id, t.id) != t.id}
    edited = [(t, current) for t in month.tasks if (current := today.task(ids.get(t.id, ""))) is not None
              and (due_moved(t, current) if t.id in moved else task_edited(t, current))]
    changed = [(a.unit, a.task, str(a.role), state(a.unit, a.task)) for a in month.assignments
               if a.task in ids and now.get((ids[a.task], a.unit)) != a.role]
    units, order = {u: i for i, u in enumerate(month.units_with_tasks())}, month.task_order
    changed.sort(key=lambda c: (units.get(c[0], len(units)), order.get(c[1], 0)))
    merged = {unit: now for unit, *_ in changed if (now := today.directory.resolve(unit)) not in (None, unit)}
    joined = joined_of(month, today, ids)  # units the plan gained since: said, not asked for
    if not (changed or deleted or edited or moved or joined):
        return None
    from .basis import Basis  # deferred: `basis` says why

    return Basis(period, later, changed, deleted, edited, merged, moved, joined=joined)


def task_edited(then: Task, now: Task) -> bool:
    """Whether the office changed what a form showed of the task, or when it was due (a
    difference of spacing alone is none)."""
    return bool(texts_edited(then, now)) or due_moved(then, now)


def due_moved(then: Task, now: Task) -> bool:
    """Whether the task's 完成时限 as the office reads it changed (`deadline_beside`)."""
    return deadline_beside(then, now) != deadline_beside(now, then)


def texts_edited(then: Task, now: Task) -> list[str]:
    """The columns (一级任务 … 具体工作内容) whose text differs, spacing aside."""
    return [word for name, word in TEXT_FIELDS if key(getattr(then, name)) != key(getattr(now, name))]


def deadline_beside(task: Task, other: Task) -> str:
    """``task``'s 完成时限 as the office reads it beside ``other``'s: its text, with its date
    when only the 截止日期 tells the two apart."""
    said = clean(task.deadline_text) or "未明确"
    if key(task.deadline_text) != key(other.deadline_text) or \
            (task.deadline, task.ongoing) == (other.deadline, other.ongoing):
        return said
    return f"{said}（{'长期' if task.ongoing else cn_date(task.deadline) if task.deadline else '无截止日期'}）"


def not_issued_units(ledger: Ledger, period: Period, master: Master, received: dict[str, list[Receipt]],
                     apart: frozenset[str] = frozenset()) -> list[str]:
    """Units with tasks in the master that no form of ``period`` went to and that sent nothing.

    A unit added to the master after the forms went out was asked for nothing: unless it
    sent something anyway, it is left out of what is owed (and of the 通报's 未报送). The
    ledger vouches for who was asked only when it recorded the period's issue before any of
    its returns was collected: a ledger upgraded from before version 4 kept no record of
    the month's first issue, and one form sent again afterwards (`issue --dept`) must not
    make every other unit "not issued" and drop it from 未报送.
    """
    issued_units = {month_name(u, master, apart) for u in ledger.issued_units(period)}
    return [] if not vouches(ledger, period, received) else [
        u for u in master.units_with_tasks() if u not in issued_units and u not in received]


def received_of(ledger: Ledger, period: Period, master: Master, apart: frozenset[str] | None = None
                ) -> dict[str, list[Receipt]]:
    """`Ledger.units_received` under each unit's name in the month (as `issued_dues`), in the
    order received; a file the office stated the day of (`file_time.stated_times`) timed by it."""
    apart = kept_apart(ledger, period, master) if apart is None else apart
    return renamed(stated_times(ledger, ledger.units_received(period)), master,
                   lambda a, b: sorted(a + b, key=lambda r: (r.received_at, r.id)), apart)


def exempt_of(ledger: Ledger, period: Period, master: Master, apart: frozenset[str]) -> frozenset[str]:
    """`Ledger.exempt_units` under each unit's name in the month (as `issued_dues`): 本期免报."""
    return frozenset(month_name(u, master, apart) for u in ledger.exempt_units(period))


def __getattr__(name: str) -> Any:
    """`Basis`, from `basis` (which says why it is apart) when first asked for."""
    if name == "Basis":
        from .basis import Basis  # deferred: `basis` says why

        return Basis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
