"""The words of the trade, defined once: task statuses, unit states, outcomes, roles, severities.

Every word is a ``(str, Enum)`` member, so it compares equal to the Chinese text stored in
the ledger and typed in sheets (``Status.DONE == "已完成"``) and prints as that text in an
f-string, a cell or JSON. No other module spells these words.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Word(str, Enum):
    """A vocabulary word: a ``str`` whose text is its Chinese value, on every Python."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        # Python 3.11 formats (str, Enum) members as "Status.DONE"; the value is meant.
        return format(self.value, spec)


class Status(Word):
    """A task's status: what a department reports, and 未报送 when no lead reported."""

    DONE = "已完成"
    ON_TRACK = "序时推进"
    LAGGING = "滞后"
    NOT_STARTED = "未启动"
    NOT_REPORTED = "未报送"


#: The statuses a department may choose in its return, in dropdown order.
REPORTABLE = (Status.DONE, Status.ON_TRACK, Status.LAGGING, Status.NOT_STARTED)
#: Every task status, in the order sheets, charts and the memo list them.
TASK_STATUSES = tuple(Status)

#: What departments type instead of the dropdown values (W503 normalises them).
STATUS_SYNONYMS: dict[str, Status] = {
    "完成": Status.DONE, "已经完成": Status.DONE, "全部完成": Status.DONE, "完成了": Status.DONE,
    "已办结": Status.DONE,
    "进行中": Status.ON_TRACK, "正常推进": Status.ON_TRACK, "推进中": Status.ON_TRACK,
    "按序时推进": Status.ON_TRACK, "正在推进": Status.ON_TRACK, "正常": Status.ON_TRACK,
    "序时": Status.ON_TRACK, "持续推进": Status.ON_TRACK, "序时推进中": Status.ON_TRACK,
    "延期": Status.LAGGING, "滞后推进": Status.LAGGING, "延迟": Status.LAGGING, "落后": Status.LAGGING,
    "推迟": Status.LAGGING,
    "未开始": Status.NOT_STARTED, "未开展": Status.NOT_STARTED, "尚未启动": Status.NOT_STARTED,
    "没开始": Status.NOT_STARTED,
}


class UnitState(Word):
    """A unit's reporting state for a period (报送状态)."""

    ON_TIME = "按时报送"
    LATE = "逾期报送"
    NOT_REPORTED = "未报送"
    TO_FIX = "退回待改"
    #: no form went out: the unit's latest return gave every task of its form 已完成 and the
    #: office exempts such units (duban.toml ``skip_done_units``, 销号); owed nothing, counted
    #: in no 应报, last in the order so the four reporting states keep their places
    EXEMPT = "本期免报"


UNIT_STATES = tuple(UnitState)

#: The figures (`consolidate.UnitStatus` fields) a unit in a state has none of, having no accepted
#: return: printed 0, a 未报送 unit's 已完成数 and 滞后数 read as "reported, none done" (QA292); a
#: sent-back unit's 错误数 and 警告数 say why. Blank in the 汇总表, empty in `duban status --format
#: csv` and null in its json (QA299), as the unit's 平均进度 is.
NO_FIGURES: dict[str, frozenset[str]] = {
    UnitState.NOT_REPORTED: frozenset({"errors", "warnings", "done", "lagging"}),
    UnitState.TO_FIX: frozenset({"done", "lagging"}),
}


def figures(unit: Any, *fields: str) -> list[int | None]:
    """A `consolidate.UnitStatus`'s ``fields``, None where its state has no such figure
    (`NO_FIGURES`): the 汇总表 leaves those cells blank, status's csv and json empty and null."""
    none = NO_FIGURES.get(unit.state, frozenset())
    return [None if f in none else getattr(unit, f) for f in fields]

#: How a unit 未报送 is named and counted while its deadline has not passed (the deadline day
#: itself counts as not passed): a coordinator merges daily from the 1st and forwards the
#: 汇总表; a department yet to send two days before it is due must not read as one that missed
#: it. Not a `UnitState`: the state stays 未报送 (remind, memo and JSON go by it); only what
#: names or counts a unit says it (`Consolidation.said`), and the 汇总表 a task whose every lead
#: still owing is said so (`Consolidation.task_said`; its `Status` stays 未报送).
NOT_YET_DUE = "未报送（尚未截止）"
#: The units 未报送 past their deadline, counted beside `NOT_YET_DUE` (else "未报送 0" beside
#: "未报送（尚未截止） 53" reads as a contradiction); never said while no unit is waiting.
PAST_DUE = "未报送（已截止）"
#: The tasks past their 完成时限 not done that wait on leads not yet due (`NOT_YET_DUE`),
#: counted beside 超期未完成 (`Consolidation.overdue_counts`): not known unfinished before
#: their leads' deadline. Never said while no task waits.
OVERDUE_WAITING = "完成时限已过、报送尚未截止"
#: The tasks counted 超期未完成 whose 完成时限 has not passed on the day (`Consolidation.overdue_early`):
#: a 汇总表 merged before it judges the month at its end all the same; counted apart, as
#: "超期未完成（完成时限已过）" was not so (QA352). Never said when no such task is counted.
OVERDUE_EARLY = "按期末计超期、完成时限未过"


class Owed(Word):
    """Why a unit has no row for a task, beside 未报送 and 退回待改: the task was not asked of it."""

    #: the task was added to the master after the unit's form of the period went out
    NOT_ISSUED = "本期未下发"
    #: the unit was exempt for the period (`UnitState.EXEMPT`): its row stays the 已完成 it last gave
    EXEMPT = "本期免报"


class Outcome(Word):
    """What became of one received input (收件登记 结果)."""

    ACCEPTED = "采纳"
    RETURNED = "退回"
    UNREADABLE = "无法读取"
    SUPERSEDED = "已被替代"  # before 重复: the order of 收件登记's colour rules since the first round
    DUPLICATE = "重复"
    CONTAINER = "已拆包"


OUTCOMES = tuple(Outcome)


class TimeSource(Word):
    """Where a receipt's 报送时间 came from (收件登记 shows it beside the time)."""

    MAILBOX = "邮箱收到时间"   # the IMAP server's INTERNALDATE (duban mail fetch)
    MAIL = "邮件发送时间"
    #: a forwarded message's own Date, not known to have been sent to the office (`mail.addressed_to_office`):
    #: a copy of the same file with a date the office states (collect --received) decides instead
    FORWARDED = "被转发的原邮件的发送时间"  # as the 请核实 lines say it (`file_time.FORWARDED_DATE`); ledger 23
    STATED = "督办部门指定"
    MTIME = "文件修改时间"
    DOUBTFUL = "收取时间（原时间存疑）"
    #: a file inside a mail or an archive: the time of what carried it
    CARRIER = "随所在邮件或压缩包"


class Role(Word):
    """A unit's responsibility for a task (责任类型)."""

    LEAD = "牵头"
    COOP = "配合"


class Severity(Word):
    """How bad a problem is: an error sends a return back, a warning is reported."""

    ERROR = "错误"
    WARNING = "警告"


class Kind(Word):
    """The two kinds of reporting units in a city's directory (单位名录 类别)."""

    CITY = "市直部门"
    TOWN = "镇街"


#: Source of an assignment named in the table itself (as opposed to a group phrase).
EXPLICIT = "明确"


#: How a return's unit was identified, as the user reads it (收件登记 单位依据, ``duban check``).
#: The ledger keeps the word the checks use: ``_meta``, the hidden sheet, reads 表内标识.
EVIDENCE_WORDS = {"_meta": "表内标识"}


def evidence_word(how: str) -> str:
    """The Chinese word for an ``identified_by`` value (the others already are Chinese)."""
    return EVIDENCE_WORDS.get(how, how)
