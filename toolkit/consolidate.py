"""The consolidation of a period: every task's status, every unit's state, from the ledger.

`consolidate` computes everything from the ledger and the master list into a plain
`Consolidation`, the one source of the 汇总表 (`summary_book`) and the memo. Every cell value
is a function of the ledger (and, before a unit's deadline, of the day: 未报送（尚未截止）), so
re-running gives the same values.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any

from . import set_aside
from .dates import units_dues_text
from .deadline_notes import extended_notes
from .details import Details
from .disputed import disowned_of, disputed_marked, disputed_returns, disputed_told
from .file_time import (
    answered_times,
    file_time_notes,
    file_time_told,
    file_times,
    on_time_asked,
    on_time_times,
    time_marked,
    weak_kept,
)
from .issued_month import (
    as_issued,
    basis_of,
    exempt_of,
    issued_dues,
    judged_by_forms,
    kept_apart,
    not_issued_units,
    received_of,
    renamed,
)
from .ledger import Ledger, Receipt, common_due
from .ledger.answers import disowned_files
from .mail_notes import big_mail_told, big_mails, chase_notes, mails_without_files
from .master import Master, Task
from .master.date_columns import column_notes
from .master.model import renumbered
from .misfiled import as_others, refused_returns, sent_back_units, unit_receipts
from .month_due import stated_due, units_not_yet_due
from .month_receipts import asked_of, inbox_notes, later_of, look_in_inbox, of_period, refused_of, uncollected_files
from .office_copies import BOUNCED
from .on_time import denied_grace, grace_words, held_to, later_correction, replied_on, reply_date, timeliness, unit_due
from .other_forms import deadlines, other_forms
from .period import Period
from .record import FACTORY, record
from .reopened import reopened_told
from .report import Row
from .revised import carried, in_month, numbered
from .senders import Check, checked_notes, disowned, marked, sender_answers, unknown_senders
from .taken_back import TakenBack, taken_back, taken_back_notes
from .task_rule import effective_progress, history_of, judged, missing_word, owes
from .text import unended
from .units import of_sections
from .versions import kept_versions, version_notes
from .vocab import (
    NOT_YET_DUE,
    OVERDUE_EARLY,
    OVERDUE_WAITING,
    PAST_DUE,
    TASK_STATUSES,
    UNIT_STATES,
    Outcome,
    Owed,
    Role,
    Status,
    UnitState,
)
from .workspace import Workspace

if TYPE_CHECKING:  # each imported where one of its own is made (`basis`, `office_cases`, `task_summary`, `too_big`)
    from .basis import Basis
    from .office_cases import Asked, Disputed, FileTime
    from .task_summary import TaskSummary
    from .too_big import BigMail


def __getattr__(name: str) -> Any:
    """`TaskSummary`, from `task_summary` (which says why it is apart) when first asked for."""
    if name == "TaskSummary":
        from .task_summary import TaskSummary  # deferred: `duban status` makes none

        return TaskSummary
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DONE, LAGGING, NOT_REPORTED = Status.DONE, Status.LAGGING, Status.NOT_REPORTED
ON_TIME, LATE, TO_FIX, EXEMPT = UnitState.ON_TIME, UnitState.LATE, UnitState.TO_FIX, UnitState.EXEMPT
LEAD, COOP = Role.LEAD, Role.COOP
NOT_ISSUED = Owed.NOT_ISSUED


@record()  # compared: test_merge checks the units alone against the whole consolidation
class UnitStatus:
    """One row of 报送情况."""

    unit: str
    kind: str
    tasks: int
    state: str
    received_at: str = ""
    file: str = ""
    errors: int = 0
    warnings: int = 0
    done: int = 0
    lagging: int = 0
    avg_progress: float | None = None
    email: str = ""
    #: the file whose time is 报送时间, when not ``file``: the first valid return decides
    #: 按时 or 逾期, and a later correction is what is merged (`timeliness`)
    timed_by: str = ""
    #: why 报送时间 past the deadline is 按时: by the date a reply asked the correction by (`on_time.grace_words`)
    graced: str = ""

    def __init__(self, unit: str, kind: str, tasks: int, state: str, received_at: str = "", file: str = "",
                 errors: int = 0, warnings: int = 0, done: int = 0, lagging: int = 0, avg_progress: float | None = None,
                 email: str = "", timed_by: str = "", graced: str = "") -> None:
        self.unit = unit
        self.kind = kind
        self.tasks = tasks
        self.state = state
        self.received_at = received_at
        self.file = file
        self.errors = errors
        self.warnings = warnings
        self.done = done
        self.lagging = lagging
        self.avg_progress = avg_progress
        self.email = email
        self.timed_by = timed_by
        self.graced = graced

    @property
    def file_text(self) -> str:
        """``file`` as the 汇总表 shows it: beside 报送时间, which file that time is of. Not
        "首次报送": a file sent earlier and sent back (退回) was the unit's first sending, and
        the time shown is then a later one's (README: 第一份合格报送); why a time past the deadline
        is 按时 (`on_time.grace_words`, QA346). An exempt unit's says why it sent nothing."""
        if not self.timed_by and not self.graced:
            return "任务均已报告完成，未下发填报表" if self.state == EXEMPT else self.file
        timed = self.timed_by and ("再次报送；报送时间为第一份合格报送的时间" if self.timed_by == self.file
                                   else f"报送时间为第一份合格报送“{self.timed_by}”的时间")
        return f"{self.file}（{'；'.join(filter(None, (timed, self.graced)))}）"


@record(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Consolidation:
    """Everything the consolidated workbook and the memo show for one period."""

    project: str
    organiser: str
    period: Period
    due: dt.date
    as_of: str
    tasks: list[TaskSummary]
    units: list[UnitStatus]
    details: Details
    issues: list[dict[str, Any]]
    receipts: list[Receipt]
    history: dict[Period, dict[str, tuple[str, float | None]]]
    master: Master
    #: units with tasks in the master that were issued no form of the period (added to the
    #: master afterwards) and sent nothing: not owed a return, so never named 未报送
    not_issued: list[str] = field(default_factory=list)
    #: the next period's deadline as `duban issue` prints it (or printed it), the earliest any
    #: of its forms carries: the 通报 announces it to 各单位, true for each (None: ``tasks`` False)
    next_due: dt.date | None = None
    #: per unit, the deadline printed on its own form when it differs from ``due`` (`issue --due`)
    unit_dues: dict[str, dt.date] = field(default_factory=dict)
    #: per unit, the tasks its forms of the period carried (`Ledger.issued_tasks_of`); a unit
    #: with no form recorded is owed every task the master gives it
    asked: dict[str, set[str]] = field(default_factory=dict)
    #: per unit still 未报送, the mails whose return waits behind a cloud-attachment link
    #: (W211): "2022-07-04 09:30 邮件“…”": the office downloads it, or the 通报 names it
    behind_links: dict[str, list[str]] = field(default_factory=dict)
    #: a past month judged by its forms (`issued_month.as_issued`) where they differ from
    #: today's 责任分工 or 任务清单: the office is told (`basis_notes`, the 汇总表's subtitle)
    basis: Basis | None = None
    #: units exempt at issue (`Ledger.exempt_units`) that sent nothing: 本期免报, in ``units``, owe nothing
    exempt: list[str] = field(default_factory=list)
    #: units 按时报送 only because duban.toml's due_day, edited after issue, is later than the
    #: date on their forms (`Workspace.due`): unit → (printed, applied); said (`due_notes`)
    extended: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)
    #: units 按时报送 by a copy from an address no unit has, late by their own (`senders`)
    unknown_senders: list[Asked] = field(default_factory=list)
    #: the office's answers about such copies, each with its line (`senders.checked_notes`): said
    sender_checks: list[tuple[Check, str]] = field(default_factory=list)
    #: the office's day the consolidation was made (`Workspace.now`, the clock memo's note
    #: reads): a unit 未报送 whose deadline has not passed on it is said `NOT_YET_DUE` (`waiting`)
    today: dt.date | None = None
    #: files waiting in 收件箱 that no collect has registered (`inbox.not_collected`)
    uncollected: list[str] = field(default_factory=list)
    #: per unit, the later deadline than ``next_due`` its form of the next period carries (the
    #: towns' extension): the 通报 names them beside ``next_due``
    next_unit_dues: dict[str, dt.date] = field(default_factory=dict)
    #: mails too big to fetch that may hold a unit's return (`too_big.big_mails`): said (`big_mail_notes`)
    too_big: list[BigMail] = field(default_factory=list)
    #: files registered under one unit that other evidence said were another's (W206): `disputed`
    disputed: list[Disputed] = field(default_factory=list)
    #: per unit, its mails of the month that carried no file nor link (`mail_notes.bare_mail_notes`)
    bare_mails: dict[str, list[str]] = field(default_factory=dict)
    #: per unit 退回待改, the date the office's reply asked the correction by (`on_time.correction_by`)
    #: where later than its deadline: a correction by then is 按时报送, so it is awaited until then
    fix_by: dict[str, dt.date] = field(default_factory=dict)
    #: units 逾期 on a file's modification time, and the office's answers about such files (`file_time`)
    file_times: list[FileTime] = field(default_factory=list)
    tz: dt.tzinfo | None = None  # the office's zone: answers' 记录 times said on it (`answers.on_office_clock`)
    versions: list[tuple[Receipt, str]] = field(default_factory=list)  # W212 on accepted returns (`versions`)
    #: the receipts the units' 报送 rest on: each one's merged return and the one its 报送时间 is
    #: of, or the refused files it stands 退回待改 on; a W206 file among them is asked about
    #: whoever else reported (`disputed.asked`)
    counted: frozenset[int] = frozenset()
    #: per unit, its returns on another month's form that may hold this month's progress (`other_forms`)
    other_forms: dict[str, list[Receipt]] = field(default_factory=dict)
    bounces: list[Receipt] = field(default_factory=list)  # the month's bounces of the office's mail (`office_copies`)
    taken_back: list[TakenBack] = field(default_factory=list)  # earlier 已完成 a refused return takes back

    def __init__(self, project: str, organiser: str, period: Period, due: dt.date, as_of: str, tasks: list[TaskSummary],
                 units: list[UnitStatus], details: Details, issues: list[dict[str, Any]], receipts: list[Receipt],
                 history: dict[Period, dict[str, tuple[str, float | None]]], master: Master,
                 not_issued: list[str] = FACTORY, next_due: dt.date | None = None,
                 unit_dues: dict[str, dt.date] = FACTORY, asked: dict[str, set[str]] = FACTORY,
                 behind_links: dict[str, list[str]] = FACTORY, basis: Basis | None = None, exempt: list[str] = FACTORY,
                 extended: dict[str, tuple[dt.date, dt.date]] = FACTORY, unknown_senders: list[Asked] = FACTORY,
                 sender_checks: list[tuple[Check, str]] = FACTORY, today: dt.date | None = None,
                 uncollected: list[str] = FACTORY, next_unit_dues: dict[str, dt.date] = FACTORY,
                 too_big: list[BigMail] = FACTORY, disputed: list[Disputed] = FACTORY,
                 bare_mails: dict[str, list[str]] = FACTORY, fix_by: dict[str, dt.date] = FACTORY,
                 file_times: list[FileTime] = FACTORY, tz: dt.tzinfo | None = None,
                 versions: list[tuple[Receipt, str]] = FACTORY, counted: frozenset[int] = frozenset(),
                 other_forms: dict[str, list[Receipt]] = FACTORY, bounces: list[Receipt] = FACTORY,
                 taken_back: list[TakenBack] = FACTORY) -> None:
        self.project = project
        self.organiser = organiser
        self.period = period
        self.due = due
        self.as_of = as_of
        self.tasks = tasks
        self.units = units
        self.details = details
        self.issues = issues
        self.receipts = receipts
        self.history = history
        self.master = master
        self.not_issued = [] if not_issued is FACTORY else not_issued
        self.next_due = next_due
        self.unit_dues = {} if unit_dues is FACTORY else unit_dues
        self.asked = {} if asked is FACTORY else asked
        self.behind_links = {} if behind_links is FACTORY else behind_links
        self.basis = basis
        self.exempt = [] if exempt is FACTORY else exempt
        self.extended = {} if extended is FACTORY else extended
        self.unknown_senders = [] if unknown_senders is FACTORY else unknown_senders
        self.sender_checks = [] if sender_checks is FACTORY else sender_checks
        self.today = today
        self.uncollected = [] if uncollected is FACTORY else uncollected
        self.next_unit_dues = {} if next_unit_dues is FACTORY else next_unit_dues
        self.too_big = [] if too_big is FACTORY else too_big
        self.disputed = [] if disputed is FACTORY else disputed
        self.bare_mails = {} if bare_mails is FACTORY else bare_mails
        self.fix_by = {} if fix_by is FACTORY else fix_by
        self.file_times = [] if file_times is FACTORY else file_times
        self.tz = tz
        self.versions = [] if versions is FACTORY else versions
        self.counted = counted
        self.other_forms = {} if other_forms is FACTORY else other_forms
        self.bounces = [] if bounces is FACTORY else bounces
        self.taken_back = [] if taken_back is FACTORY else taken_back

    def office_notes(self) -> list[str]:
        """The 请核实 lines the office reads before the 汇总表 and 通报 go out: merge, memo, status, run;
        first those that may mean a unit reported (`mail_notes.chase_notes`, which remind says too)."""
        return (chase_notes(self) + version_notes(self) + file_time_notes(self) + self.basis_notes()
                + self.due_notes() + [a.text for a in self.unknown_senders] + taken_back_notes(self))

    def inbox_notes(self) -> list[str]:
        """`mail fetch` stores mails in 收件箱 and only `collect` registers them (`month_receipts.inbox_notes`)."""
        return inbox_notes(self.uncollected)

    def told(self) -> list[str]:
        """What the office is told that asks nothing of it (shown, exit 0): a past month whose tasks a revised
        任务分工表 only renumbered (`Basis.asks`); the office's answers about a sender (`sender_checks`), a W206 file
        (`disputed_told`), a mail too big (`big_mail_told`) and a file's time (`file_time_told`); a task 已完成 last
        month that a lead now reports not done (`reopened_told`)."""
        return ((self.basis.notes() if self.basis and not self.basis.asks else [])
                + [line for _, line in self.sender_checks] + disputed_told(self) + big_mail_told(self)
                + file_time_told(self) + reopened_told(self))

    def due_notes(self) -> list[str]:
        """A deadline extended in duban.toml after issue that turns a return 逾期 by its form into 按时
        (`deadline_notes.extended_notes`); 任务清单's 完成时限 and 截止日期 giving two days (`date_columns`)."""
        return extended_notes(self) + column_notes(self.master.tasks, self.period, master=self.master)

    def basis_notes(self) -> list[str]:
        """Where a past month merged again is judged by its forms, not today's sheet."""
        return self.basis.notes() if self.basis and self.basis.asks else []

    def due_of(self, unit: str) -> dt.date:
        """The deadline ``unit`` is judged against: its own form's, else the period's."""
        return self.unit_dues.get(unit, self.due)

    def awaited_by(self, unit: str) -> dt.date:
        """The last day ``unit`` may still report or correct on time: its deadline (`due_of`), or
        the later date its reply asked the correction by when it is 退回待改 (`fix_by`)."""
        return self.fix_by.get(unit, self.due_of(unit))

    def not_yet_due(self, today: dt.date, sent_back: bool = False) -> list[str]:
        """The units 未报送 (``sent_back``: 退回待改 too) whose deadline (`due_of`) has not passed
        on ``today``: on the day itself a unit may still send, or correct, on time; one sent back
        until the date its reply asked the correction by, if later (`awaited_by`)."""
        return units_not_yet_due(self.units, self.due_of, today, sent_back, self.fix_by)

    @functools.cached_property
    def waiting_units(self) -> list[str]:
        """`not_yet_due` on the day the consolidation was made, in the units' order: said `NOT_YET_DUE`."""
        return self.not_yet_due(self.today) if self.today else []

    @functools.cached_property
    def waiting(self) -> frozenset[str]:
        """`waiting_units`, to ask of a unit."""
        return frozenset(self.waiting_units)

    @functools.cached_property
    def awaited(self) -> frozenset[str]:
        """The units a task's verdict waits on (`task_rule.task_status`): `waiting`, and those
        退回待改 not yet due, who may still correct on time (虎门镇, sent back on 2 August, on the 4th),
        until the date their reply asked the correction by if later (`awaited_by`: 市公安局, refused
        on the deadline day, 5 July, on the 6th: a correction by the 8th is 按时报送)."""
        return frozenset(self.not_yet_due(self.today, sent_back=True)) if self.today else frozenset()

    def said(self, unit: str, word: str) -> str:
        """``unit``'s 未报送 (its state, or its word for a task) as the 汇总表 and status name it:
        `NOT_YET_DUE` while its deadline has not passed; any other word as it is."""
        return NOT_YET_DUE if word == NOT_REPORTED and unit in self.waiting else word

    @functools.cached_property
    def waiting_tasks(self) -> frozenset[str]:
        """The tasks 未报送 whose leads are all yet to reach their deadline (`TaskSummary.not_yet_due`
        of `waiting`): named and counted `NOT_YET_DUE`, as those leads are. Listed 未报送 in
        滞后超期 on the 3rd, a month's every task read as missed by leads due on the 5th."""
        return frozenset(t.task.id for t in self.tasks if t.not_yet_due(self.awaited))

    @functools.cached_property
    def unissued_tasks(self) -> frozenset[str]:
        """The tasks no lead was issued a form for (`TaskSummary.issued_none`): 本期未下发, not
        未报送, in every sheet and count (a 补发 month's forms to 县民政局 alone, QA377)."""
        return frozenset(t.task.id for t in self.tasks if t.issued_none)

    def task_said(self, task: str, word: str) -> str:
        """``task``'s 综合状态 ``word`` as the 汇总表 and merge name it: `NOT_YET_DUE` while it is
        one of `waiting_tasks`, 本期未下发 for one of `unissued_tasks`; as it is otherwise."""
        if word != NOT_REPORTED:
            return word
        return NOT_YET_DUE if task in self.waiting_tasks else Owed.NOT_ISSUED if task in self.unissued_tasks else word

    @property
    def task_words(self) -> tuple[str, ...]:
        """The 综合状态 words the 汇总表 counts by: `TASK_STATUSES`, then `NOT_YET_DUE` and
        本期未下发 while some task is said so; after every deadline as before the word came."""
        return TASK_STATUSES + ((NOT_YET_DUE,) if self.waiting_tasks else ()) + \
            ((Owed.NOT_ISSUED,) if self.unissued_tasks else ())

    def missing_counts(self, label: str = NOT_REPORTED, tasks: bool = False) -> list[tuple[str, int]]:
        """The units (``tasks``: the tasks) 未报送 as counted: ``label`` and their number; while
        some are not yet due (`waiting`, `waiting_tasks`), those (`NOT_YET_DUE`) apart from the
        rest: units past their deadline (`PAST_DUE`), tasks by ``label`` as their cells say it
        (已截止 is not true of one no lead owes: 未明确牵头单位 is 未报送 before any deadline);
        tasks asked of no lead (`unissued_tasks`) last, as 本期未下发."""
        n = (self.task_counts() if tasks else self.unit_counts())[NOT_REPORTED]
        waiting = len(self.waiting_tasks if tasks else self.waiting)
        unissued = len(self.unissued_tasks) if tasks else 0  # asked of no one: never 未报送 (QA377)
        n -= unissued
        return ([(label if tasks else PAST_DUE, n - waiting), (NOT_YET_DUE, waiting)] if waiting
                else [(label, n)]) + [(Owed.NOT_ISSUED, unissued)] * bool(unissued)

    def overdue_counts(self, label: str = "超期未完成", waiting_label: str = OVERDUE_WAITING,
                       early_label: str = OVERDUE_EARLY) -> list[tuple[str, int]]:
        """超期未完成 as counted: ``label`` and the tasks past their 完成时限 not done; while some
        of them wait on leads not yet due (`waiting_tasks`), those apart (``waiting_label``: a
        整改清单's `rectification.Words.overdue_waiting`): nobody knows them unfinished yet. On
        3 July, 总览 counted six tasks 超期未完成 whose every lead still had until the 5th. Those
        whose deadline has not passed on the day (`overdue_early`) apart too (``early_label``): a
        book merged on 7 December counted a task due the 31st "超期未完成（完成时限已过）"."""
        early = {t.task.id for t in self.overdue_early()}
        waiting = sum(t.task.id in self.waiting_tasks and t.task.id not in early for t in self.overdue)
        counts = [(label, len(self.overdue) - waiting - len(early))]
        return counts + [(waiting_label, waiting)] * bool(waiting) + [(early_label, len(early))] * bool(early)

    @property
    def stated_due(self) -> dt.date:
        """The month's 报送截止 as the 汇总表, the 通报 and status state it: the ordinary one, not the
        last --due given (`month_due.stated_due`); ``due`` is the date most forms carry."""
        return stated_due(self)[0]

    def own_dues_text(self, fmt: Callable[[dt.date], str], most: int = 5) -> str:
        """The units judged by another deadline than `stated_due` (their form re-issued with
        ``--due``), for the line that states it: "麻涌镇 2022年8月10日"; '' when none.
        Without it a return after the date shown as 按时报送 looks like a missed 逾期."""
        return units_dues_text(stated_due(self)[1], fmt, most)

    def tasks_asked(self, unit: str) -> list[tuple[Task, str]]:
        """``unit``'s (task, role) pairs that its forms of the period carried: what it can be
        asked to report (a task added to the master after issue is not on its form)."""
        return [(t, role) for t, role in self.master.tasks_of(unit) if owes(unit, t.id, self.asked, {})]

    # ---- key figures ----
    def task_counts(self) -> dict[str, int]:
        c = Counter(t.status for t in self.tasks)
        return {s: c.get(s, 0) for s in TASK_STATUSES}

    @property
    def overdue(self) -> list[TaskSummary]:
        return [t for t in self.tasks if t.overdue]

    def overdue_early(self, today: dt.date | None = None) -> list[TaskSummary]:
        """The tasks counted 超期未完成 whose 完成时限 has not passed on ``today`` (default: the day
        of the consolidation): judged at the month's end, made earlier they say what is not yet so (QA352)."""
        day = today or self.today
        return [t for t in self.overdue if day and t.task.deadline is not None and t.task.deadline >= day]

    @property
    def owing(self) -> int:  # 应报单位: the units listed but the exempt (本期免报), who owe nothing
        return len(self.units) - len(self.exempt)

    def unit_counts(self) -> dict[str, int]:
        c = Counter(u.state for u in self.units)
        return {s: c.get(s, 0) for s in UNIT_STATES}

    @property
    def of_sections(self) -> bool:
        """Whether the plan's units are all a bureau's own 科室 (`units.of_sections`): its 通报,
        汇总表 and 催报 mails then say 科室 where they say 单位 (`units.say_sections`)."""
        return of_sections(u.kind for u in self.units)

    @property
    def grouped(self) -> bool:  # whether any task has a 一级任务: a table without one (大竹, 崇川) has no groups
        return any(t.task.level1 for t in self.tasks)

    def by_level1(self, said: bool = False) -> list[tuple[str, dict[str, int]]]:
        """Task counts per 一级任务, each heading without the 。 it may have been copied with;
        ``said``: by the words the 汇总表 says (`task_said`, `task_words`)."""
        out: dict[str, Counter] = {}
        for t in self.tasks:
            word = self.task_said(t.task.id, t.status) if said else t.status
            out.setdefault(unended(t.task.level1) or "（未分类）", Counter())[word] += 1
        words = self.task_words if said else TASK_STATUSES
        return [(k, {s: v.get(s, 0) for s in words}) for k, v in out.items()]

    def figures(self) -> dict[str, Any]:
        tc, uc = self.task_counts(), self.unit_counts()
        return {"任务总数": len(self.tasks), **{f"任务{k}": v for k, v in tc.items()},
                "超期未完成": len(self.overdue), "应报单位": self.owing,
                "按时报送": uc[ON_TIME], "逾期报送": uc[LATE], "未报送单位": uc[UnitState.NOT_REPORTED],
                "退回待改": uc[TO_FIX], "本期免报": uc[EXEMPT]}

def consolidate(ws: Workspace, period: Period | None = None, master: Master | None = None,
                *, tasks: bool = True) -> Consolidation:
    """Compute the consolidation of ``period`` from the ledger.

    ``tasks=False`` computes the units' states alone (报送情况, for `duban status` and the
    reminders): no task rows nor the rows' free texts, no receipts or issue list, and no history,
    whose reading of every earlier period's rows made `status` slower each month of the year."""
    master = master or ws.load_master()
    period, today, looked = ws.period(period), master, look_in_inbox(ws)  # 收件箱 first: `uncollected_files`
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        ledger.conn.execute("BEGIN")  # one snapshot (WAL): a commit between two reads hid returns (QA397)
        # The ledger keeps each unit under the name it had when its form was issued or its file collected; a unit
        # renamed since (the old name kept as an alias in 单位名录) is counted under its current name, never as a unit
        # that was issued nothing; a past month's forms to units merged since stay each its own (`kept_apart`)
        apart = kept_apart(ledger, period, master)
        unit_dues = issued_dues(ledger, period, master, apart, ws.due(period))
        due = ws.due(period, common_due(unit_dues))
        # the next month's forms each as judged: the 通报 tells 各单位 the earliest and names the
        # units given a later one; told the date most carry (the 33 towns' extension), a
        # department whose own form said the 5th sent on the 7th and stood 逾期
        # (the memo's alone: status and reminders, ``tasks`` False, show no next month and skip its reads)
        next_dues, next_due = {}, None  # unit → its date next month; the earliest of them
        if tasks:
            nxt = period.shift(1)
            next_dues = {u: ws.due(nxt, d)
                         for u, d in issued_dues(ledger, nxt, master, kept_apart(ledger, nxt, master)).items()}
            next_due = min(next_dues.values(), default=ws.due(nxt))
        accepted = renamed(ledger.accepted(period), master, later_of, apart)
        ids = [r.id for r in accepted.values()]  # their rows; their issues: W208/W210 excuses, W212 questions
        rows_by_receipt, accepted_issues = ledger.rows_of_many(ids, texts=tasks), ledger.issues_of_many(ids)
        accepted_rows = {u: {row.task: row for row in rows_by_receipt[r.id]} for u, r in accepted.items()}
        received = received_of(ledger, period, master, apart)
        checks = sender_answers(ledger, period, master, apart)  # the office's: a copy not the unit's times nothing
        # a month the office has moved past is who its forms asked what, not today's 责任分工
        master = as_issued(ledger, period, master, received, accepted_rows, apart)
        # status needs it too: 应报任务数 leaves out tasks a unit's forms did not carry
        asked = asked_of(ledger, period, accepted, master, apart, accepted_issues)
        replied = replied_on(ledger, period, ws.tz)
        uncollected = uncollected_files(ws, ledger, looked)
        too_big = big_mails(ledger, period, master.directory, ws.tz)
        others = other_forms(ledger, period, master, ws.tz, apart, deadlines(ws, ledger))  # said while 未报送
        bounces = ledger.receipts(period, office=BOUNCED)  # said while they stand, status's too (`bounce_notes`)
        disputed, versions = disputed_returns(ledger, received, master, apart), kept_versions(accepted, accepted_issues)
        # a copy the office said was not its unit's times nothing; a W206 file it said so of is no unit's return
        not_theirs = disowned(checks) | disowned_files(ledger.conn)
        answered, weak = answered_times(ledger, received), weak_kept(ledger)  # the office's answers; weak times
        forwards = on_time_times(ledger, received)  # 按时 on a forward's Date or a W207 time: `on_time_asked`
        not_issued = not_issued_units(ledger, period, master, received, apart)
        # 销号: exempt at issue. A unit that sent a return anyway is taken as any other, but
        # never 逾期: it was given no deadline. One whose every file was refused stays exempt:
        # not asked, it is not 退回待改 in public (its reply still goes back)
        exempt_at_issue = exempt_of(ledger, period, master, apart)
        project = ledger.issued_project(period) or ws.project or master.title  # the forms' name (QA386)
        exempt = exempt_at_issue - set(accepted)
        # a W206 file said not its unit's is the refused return of the unit its other evidence named (QA405)
        moved, refused_as, replied = refused_returns(disputed, set(master.units_with_tasks()) - set(not_issued),
                                                     ws.tz, replied, ledger.issues_of_many)
        sent_back = sent_back_units(received, accepted, not_theirs, refused_as)  # 退回待改 in every task row too

        def state(unit: str, task: str) -> str:  # as 单位明细 gives it
            row = accepted_rows.get(unit, {}).get(task)
            return row.status if row else missing_word(unit, task, asked, accepted_rows, sent_back, exempt)

        # where a past month's forms and today's sheet differ, for the office
        basis = basis_of(ledger, period, today, master, state)
        # mails (已拆包) whose return is behind a link: `Consolidation.behind_links`
        mails = [(u, r) for u, recs in received.items() for r in recs if r.outcome == Outcome.CONTAINER]
        behind, bare = mails_without_files(mails, ledger.issues_of_many([r.id for _, r in mails]))
        period_receipts = of_period(ledger.receipts(), period) if tasks else []
        issues_by = ledger.issues_of_many([r.id for r in period_receipts])
        history = {}
        before: dict[str, dict[str, Row]] = {}  # each unit's latest row per task before the month
        # a revised plan renumbers: rows and 历次进展 follow each task to its number (`renumbered`),
        # each month's read by the tasks its forms printed (`month_tasks`)
        printed: dict[Period, list[Task]] = {}
        # every earlier month that had returns or forms: a month whose forms went out and
        # got no return is a month of 未报送, not one to skip when comparing with last month
        for p in sorted(set(ledger.periods()) | set(ledger.issued_periods())) if tasks else ():
            if p >= period:
                continue
            apart_p = kept_apart(ledger, p, today)
            acc = renamed(ledger.accepted(p), today, later_of, apart_p)
            rows_p = ledger.rows_of_many([r.id for r in acc.values()])
            by_unit = {u: {row.task: row for row in rows_p[r.id]} for u, r in acc.items()}
            # each earlier month judged as its own 汇总表 was: a unit added to the master
            # since was issued nothing then, and its tasks did not wait for it
            rec_p = received_of(ledger, p, today, apart_p)
            master_p = as_issued(ledger, p, today, rec_p, by_unit, apart_p)
            tasks_p = numbered(ledger, p, today, master_p)
            if printed:
                before = carried(before, renumbered(printed[max(printed)], tasks_p))
            skip_p = set(not_issued_units(ledger, p, master_p, rec_p, apart_p))
            # as the month's own 汇总表 was; a 已完成 taken back stays so until an accepted row says it again (QA394)
            before = taken_back(ledger, before, rec_p, by_unit, not_theirs | disowned(ledger.sender_checks(p)))[0]
            history[p] = history_of(judged(master_p, by_unit, p, skip_p, asked_of(ledger, p, acc, master_p, apart_p),
                                           before), earlier=True)
            for u, rows in by_unit.items():
                before.setdefault(u, {}).update(rows)
            printed[p] = tasks_p
        # a past month (`as_issued`) as its forms numbered it; the office's month as today's sheet
        # (asked only when earlier months were read: status and reminders read none)
        if printed:
            before, history = in_month(before, history, printed, numbered(ledger, period, today, master)
                                       if judged_by_forms(ledger, period, received, today) else master.tasks)
        # a lead whose refused return says a task it had finished is not: its 已完成 not carried (QA387)
        before, taken = taken_back(ledger, before, received, accepted, not_theirs) if tasks else (before, [])
    skip = set(not_issued)
    day = ws.now().date()
    # each unit against the deadline printed on its own form, where it differs from the period's
    own_dues = {u: d for u in master.units_with_tasks()
                if u not in skip and (d := unit_due(ws, period, unit_dues, due, u)) != due}
    units: list[UnitStatus] = []
    extended: dict[str, tuple[dt.date, dt.date]] = {}
    fix_by: dict[str, dt.date] = {}  # `Consolidation.fix_by`
    timed = []  # (unit, the receipt of its time, its receipts, deadline) of each unit 按时
    counted: set[int] = set()  # `Consolidation.counted`
    on_file_time: dict[str, tuple] = {}  # units 逾期 on a file's modification time or a weak mail time (`file_times`)
    for unit in master.units_with_tasks():
        if unit in skip:
            continue
        entry = master.directory.get(unit)
        n_tasks = sum(owes(unit, t.id, asked, accepted_rows) for t, _ in master.tasks_of(unit))
        rec, (mine, own) = accepted.get(unit), unit_receipts(received, refused_as, not_theirs, unit)
        if rec is not None:
            deadline = own_dues.get(unit, due)
            theirs = [r for r in mine if r.id not in own or r.id == rec.id]
            reply_by = reply_date(ws, deadline, replied)
            state, sent = timeliness(rec, theirs, deadline, reply_by)
            counted.update((rec.id, sent.id))
            state = ON_TIME if unit in exempt_at_issue else state
            printed = unit_dues.get(unit)
            if (state == ON_TIME and printed and printed < deadline and unit not in exempt_at_issue
                    and timeliness(rec, theirs, printed,
                                   reply_date(ws, printed, replied))[0] == LATE):
                extended[unit] = (printed, deadline)  # 按时 only by duban.toml's later due_day
            if state == ON_TIME and unit not in exempt_at_issue:
                timed.append((unit, sent, theirs, deadline))
                if forward := on_time_asked(forwards, rec, sent, theirs, deadline, reply_by):  # QA374, QA388
                    on_file_time[unit] = forward
            elif state == LATE and (how := weak(sent, held := held_to(theirs, deadline, reply_by, sent))):  # QA300
                on_file_time[unit] = (sent, held, None, how)
            elif state == LATE and (denied := denied_grace(rec, theirs, deadline, reply_by,
                                                           lambda r, d=deadline: weak(r, d) is not None)):
                on_file_time[unit] = (denied, deadline, sent, weak(denied, deadline))  # a refused file's time
            rows = rows_by_receipt[rec.id]
            progresses = [p for p in (effective_progress(r) for r in rows) if p is not None]
            units.append(UnitStatus(
                unit, entry.kind if entry else "", n_tasks, state, sent.received_at[:16], rec.name,
                rec.errors, rec.warnings, sum(r.status == DONE for r in rows), sum(r.status == LAGGING for r in rows),
                round(sum(progresses) / len(progresses), 1) if progresses else None,
                entry.email if entry else "", sent.name if sent.id != rec.id else "",
                grace_words(theirs, deadline, reply_by, sent) if state == ON_TIME else ""))
            continue
        # a refused file of any kind (damaged, encrypted, a PDF) shows the unit did send
        rejected = refused_of(mine, own)
        if unit in exempt:  # every task it has was reported 已完成 (`actions.issue.all_done`)
            units.append(UnitStatus(unit, entry.kind if entry else "", n_tasks, EXEMPT, done=n_tasks,
                                    email=entry.email if entry else ""))
        elif rejected:
            last = rejected[-1]
            counted.update(r.id for r in rejected)  # 退回待改 rests on them
            # awaited until the date its reply asked the correction by, as `timeliness` holds it
            if by := later_correction([r for r in mine if r.id not in own], deadline := own_dues.get(unit, due),
                                      reply_date(ws, deadline, replied)):
                fix_by[unit] = by
            units.append(UnitStatus(unit, entry.kind if entry else "", n_tasks, TO_FIX,
                                    last.received_at[:16], last.name, last.errors, last.warnings,
                                    email=entry.email if entry else ""))
        else:
            units.append(UnitStatus(unit, entry.kind if entry else "", n_tasks, UnitState.NOT_REPORTED,
                                    email=entry.email if entry else ""))

    # a task's verdict waits on its leads not yet due (`task_rule.task_status`), those sent back
    # too (`Consolidation.awaited`): a correction may still come in time
    waiting = frozenset(units_not_yet_due(units, lambda u: own_dues.get(u, due), day, True, fix_by))
    current = judged(master, accepted_rows, period, skip, asked, before, waiting) if tasks else {}
    if tasks:
        history[period] = history_of(current)

    summaries: list[TaskSummary] = []
    if tasks:  # status and the reminders make no task row
        from .task_summary import TaskSummary  # deferred: `task_summary` says why
        from .typed_values import says_no_problem  # deferred: status makes no task row
    for t in master.tasks if tasks else ():
        all_leads = master.units_of(t.id, LEAD)
        leads = [u for u in all_leads if u not in skip]
        coops = [u for u in master.units_of(t.id, COOP) if u not in skip]
        status, avg, averaged, silent, _ = current[t.id]
        # a lead no form of the period went to is 本期未下发 in 任务汇总 (its 未报送单位 was blank: QA284)
        texts, problems, missing, returned, not_asked = [], [], [], [], [u for u in all_leads if u in skip]
        lead_states = {}
        for unit in leads + coops:
            row = accepted_rows.get(unit, {}).get(t.id)
            if row is None:
                # a lead silent on a task it finished earlier leaves the task 已完成 (`judged`)
                # but is still named here as not having reported this month, as 单位明细 says;
                # an exempt one (本期免报) was not asked to and is named nowhere
                word = missing_word(unit, t.id, asked, accepted_rows, sent_back, exempt)
                {NOT_ISSUED: not_asked, TO_FIX: returned, NOT_REPORTED: missing}.get(word, []).append(unit)
                if unit in leads:  # an exempt lead is done (滞后超期 lists only leads not done)
                    lead_states[unit] = DONE if word == Owed.EXEMPT else word
            else:
                if row.work:
                    texts.append(f"【{unit}】{row.work}")
                if row.problems and not says_no_problem(row.problems):
                    problems.append(f"【{unit}】{row.problems}")
                if unit in leads:
                    lead_states[unit] = row.status
        overdue = t.due_by(period.end) and status != DONE
        summaries.append(TaskSummary(t, leads, coops, status, avg, overdue, "\n".join(texts),
                                     "\n".join(problems), missing, lead_states, returned, not_asked,
                                     has_lead=bool(all_leads), averaged=averaged, silent=silent))
    details = Details(summaries, accepted, accepted_rows, sent_back, asked, exempt, period.year)

    # 佐证材料 of a unit whose return was taken, a blank form beside it: no 校验问题, 无需处理 (QA345)
    aside = set_aside.of_month(received, period_receipts, issues_by) if period_receipts else {}
    merged = frozenset(r.id for r in accepted.values())
    issue_rows = set_aside.issue_rows(*as_others(period_receipts, issues_by, moved), aside, merged,
                                      disowned_of(disputed).difference(moved))
    # 收件登记 shows the office's answers
    period_receipts = time_marked(marked(disputed_marked(set_aside.register_marked(period_receipts, aside), disputed,
                                                         merged, moved), checks), answered)
    as_of = max((r.received_at for r in period_receipts), default="")[:16]
    behind = {u.unit: behind[u.unit] for u in units if u.state == UnitState.NOT_REPORTED and u.unit in behind}
    cons = Consolidation(project, ws.organiser, period, due, as_of, summaries, units,
                         details, issue_rows, period_receipts, history, master, not_issued, next_due,
                         own_dues, asked, behind, basis, [u.unit for u in units if u.state == EXEMPT], extended,
                         unknown_senders(ws, period, master.directory, timed, checks),
                         checked_notes(period, checks, {u.unit: (u.state, u.received_at) for u in units}, ws.tz),
                         day, uncollected, {u: d for u, d in next_dues.items() if d > next_due}, too_big, disputed,
                         bare, fix_by, file_times(answered, on_file_time), ws.tz, versions, frozenset(counted))
    cons.other_forms, cons.bounces, cons.taken_back = others, bounces, taken
    cons.__dict__["awaited"] = waiting  # the cached_property, computed above from the same units and dues
    return cons
