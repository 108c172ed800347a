"""`duban verify`: the month's open 请核实 questions, asked one by one, for an office that works
by double-click (5-逐条核实) and has no ``duban`` to type.

Each 请核实 line a consolidation says (`Consolidation.office_notes`) ends with the command that
answers it (``duban received --on``, ``duban sender --theirs``, ``duban mail checked``). An office
that runs the double-click scripts has no such command on its PATH, so the month's 通报 stayed
with its questions open, or went out with them. Here each question the office can answer at its
desk is put with numbered answers, and the answer is recorded by the same action the command
runs (`actions.received`, `actions.sender`): one rule for both. What only a file or a deadline
can settle (a return behind a link, a file not yet collected, a deadline edited after issue) is
listed for the office to deal with, not asked.

An answer typed wrong is taken back here too: each 已核实 line ends with the ``--undo`` command
that takes its answer back, which the double-click office cannot type either. `recorded_answers`
lists the month's answers as those lines say them, and `take_back` undoes one by the same
action ``--undo`` runs, about that answer alone; its question is asked again.

The library asks nothing: `open_questions` says what there is to ask, `answer` records one
answer and `take_back` undoes one; the CLI puts them to the office.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from .. import errors
from ..consolidate import Consolidation, consolidate
from ..dates import parse_date
from ..disputed import asked as disputed_asked
from ..disputed import disputed_answers, disputed_notes
from ..disputed import question as disputed_question
from ..file_time import DOUBTFUL, doubt_beside_late, file_time_answers, file_time_notes, refused
from ..ledger.answers import UNDO
from ..period import Period
from ..text import squash_nfkc
from ..too_big import BigMail, big_mail_answers, big_mail_notes
from ..too_big import open_questions as mail_questions
from ..vocab import TimeSource, UnitState
from ..workspace import Workspace
from .collect import collect
from .merge import answered, answers_since_merge
from .received import answer_received
from .sender import check_disputed_file, check_one_mail, check_sender


class Kind(str, enum.Enum):
    """What a question is about, and so which action records its answer."""

    FILE_TIME = "file_time"  # 逾期 on a file's modification time: `answer_received`
    SENDER = "sender"  # 按时 by a copy from an address no unit has: `check_sender`
    DISPUTED = "disputed"  # a W206 file another unit may own: `check_disputed_file`
    BIG_MAIL = "big_mail"  # a mail too big to fetch: `check_one_mail`


@dataclass(frozen=True)
class Question:
    """One open 请核实 the office answers here: ``facts`` says what happened, ``choices`` the
    answers offered (numbered from 1); the choice ``wants_day`` names also asks for a day."""

    kind: Kind
    period: Period
    unit: str  # '' for a mail no unit is known to have sent
    facts: str
    choices: tuple[str, ...]
    wants_day: int = 0
    mail: BigMail | None = None
    #: the file a W206 question is about (`Disputed.receipt`): a unit may have two; the file a
    #: file-time question is about (`FileTime.receipt`): a colleague's collect may change it
    receipt_id: int = 0
    #: the unit's deadline, of a file-time question: a day after it typed under 实际按时收到
    #: leaves the unit 逾期, which the office confirms before it is recorded
    due: dt.date | None = None
    #: the day the first choice states without asking one: a forward's, of a unit 按时 on the
    #: forwarded message's own Date (`file_time.forwarded_on_time`); None: the choice asks
    stated: dt.date | None = None


@dataclass
class Questions:
    """The month's open questions: those asked here, and the 请核实 lines settled elsewhere."""

    period: Period
    asked: list[Question] = field(default_factory=list)
    #: lines no answer here settles: a file to collect, a return behind a link, a deadline
    others: list[str] = field(default_factory=list)
    #: answers recorded after the month's 汇总表 was written (`unmerged_answers`): a walk stopped
    #: by Ctrl-C, or a merge that failed after it; `open_questions` alone counts them
    unmerged: int = 0


@dataclass
class Answered:
    """What `answer` recorded: the lines saying it, and whether a unit's verdict changed."""

    lines: list[str]
    changed: bool = False


def open_questions(ws: Workspace, period: Period) -> Questions:
    """The questions of ``period`` the office has not answered, in the order the lines are said."""
    cons = consolidate(ws, period, tasks=False)
    questions = questions_of(cons)
    questions.unmerged = unmerged_answers(ws, cons)
    return questions


def unmerged_answers(ws: Workspace, cons: Consolidation) -> int:
    """How many of the office's answers about ``cons``'s month were recorded after its 汇总表 was
    last written, or with no 汇总表 at all (`merge.answers_since_merge`): a walk stopped by Ctrl-C
    (or whose merge failed) left them out of the 汇总表, and a walk run again has nothing left to
    record: by these it knows to merge."""
    after = answers_since_merge(ws, cons)
    if after is None:
        return len(answered(cons))
    return len(after)


def questions_of(cons: Consolidation) -> Questions:
    """`open_questions` of a consolidation already made."""
    p = cons.period
    asked: list[Question] = []
    answerable = set(file_time_notes(cons) + disputed_notes(cons) + big_mail_notes(cons))
    for f in cons.file_times:
        if not f.due or f.answered_at:
            continue
        if f.forward_at:
            asked.append(_forwarded(f, p))
            continue
        if f.how == DOUBTFUL:
            asked.append(_doubtful(f, p))
            continue
        when = f.receipt.received_at[:16]
        # a file's time: why it may be late; a weak mail time: `FileTime.but` says why, and this
        # names the time it is said of (after ``but``, "this time" read as the mail's own Date)
        saved = ("直接放进收件箱的文件，文件修改时间往往是另存的时间，可能晚于实际收到的时间。"
                 if f.how == TimeSource.MTIME else f"{f.how}可能晚于单位实际报送的时间。")
        if f.late_return is None:
            facts = f"{f.unit}的“{f.receipt.name}”按{f.how}（{when}）计为逾期报送（截止 {f.due:%Y-%m-%d}）{f.but}。"
            stated = "实际按时收到：按实际收到的日期计报送时间（接着输入日期）"
        else:  # the refused file before it: its time alone denied the correction the reply's grace
            late = f.late_return
            facts = (f"{f.unit}的报送“{late.name}”（{late.received_at[:16]}）计为逾期报送（截止 {f.due:%Y-%m-%d}），"
                     f"只因此前退回的“{f.receipt.name}”按{f.how}（{when}）计为截止后收到{f.but}，退回通知给的更正期限"
                     "因此不计。")
            stated = "退回的文件实际按时收到：按实际收到的日期计其收到时间（接着输入日期）"
        asked.append(Question(Kind.FILE_TIME, p, f.unit, facts + saved,
                              (stated, f"{f.how}无误：仍计为逾期报送" if f.how != TimeSource.MTIME
                               else "文件修改时间就是收到时间：仍计为逾期报送"), wants_day=1,
                              receipt_id=f.receipt.id, due=f.due))
    # a unit's unknown sender before its W206 file: `check_sender` answers them in that order
    for a in cons.unknown_senders:
        answerable.add(a.text)
        asked.append(Question(Kind.SENDER, p, a.unit, a.facts,
                              (f"是{a.unit}报送或委托报送：按时报送不变",
                               f"不是{a.unit}报送：不再据此计算其报送时间")))
    for d, state in disputed_asked(cons):
        if not d.checked_at:
            asked.append(Question(
                Kind.DISPUTED, p, d.unit, f"“{d.file}”：{disputed_question(cons, d, state)}",
                (f"确是{d.unit}的报送（只是文件名、填报单位或发件人写成了{d.other}）",
                 f"不是{d.unit}的报送（另一单位填在了{d.unit}的填报表上）：不再计为{d.unit}的报送"),
                receipt_id=d.receipt.id if d.receipt else 0))
    states = {u.unit: u.state for u in cons.units}
    seen: set[int] = set()  # a mail once, though a line of its unit and one of no unit name it
    for q in mail_questions(cons):
        for m in q.mails:
            if m.row in seen:
                continue
            seen.add(m.row)
            day = f"{m.received:%Y-%m-%d}"
            if m.unit and states.get(m.unit) == UnitState.LATE:  # its return came, late: was this it?
                choices: tuple[str, ...] = (f"已打开{m.text}核实：其中不是{m.unit}的填报表（如是，{m.unit}实为按时"
                                            "报送，请跳过，另行更正）",)
            else:
                choices = (f"已打开{m.text}核实：不是报送，或对方已重新发送",
                           f"是报送：已把其中的填报表下载后放进收件箱，按邮件收到的日期 {day} 收取")
            asked.append(Question(Kind.BIG_MAIL, p, m.unit, q.facts, choices, mail=m))
    others = [line for line in cons.office_notes() if line not in answerable]
    return Questions(p, asked, others)


def _forwarded(f, p: Period) -> Question:
    """The question of a unit 按时 on a forwarded message's own Date whose forward reached the office
    after the deadline (`FileTime.forward_at`, QA374): whom the message was for; the forward's day is
    the one to state, not typed."""
    forward = dt.date.fromisoformat(f.forward_at[:10])
    facts = (f"{f.unit}的“{f.receipt.name}”按{f.how}（{f.receipt.received_at[:16]}）计为按时报送"
             f"（截止 {f.due:%Y-%m-%d}），转发邮件到督办部门的时间是 {f.forward_at[:16]}；"
             "不能确认原邮件是发给督办部门的（如单位内部转给领导审核、村委会发给镇里，再由其转发）。")
    return Question(Kind.FILE_TIME, p, f.unit, facts,
                    (f"原邮件不是发给督办部门的：按转发邮件到督办部门的日期 {forward.isoformat()} 计报送时间",
                     "原邮件是发给督办部门的：仍计为按时报送"), receipt_id=f.receipt.id, stated=forward)


def _doubtful(f, p: Period) -> Question:
    """The question of a unit 按时 on a doubtful time (W207) collected after the deadline (QA388):
    when the file really came; a day after the deadline makes it 逾期. Of a refused file so timed,
    the correction after it 按时 by its reply; of a return so timed collected after the one the unit
    stands 逾期 on, whether it came by the deadline (QA403)."""
    choices = ("知道实际收到的日期：按该日期计报送时间（接着输入日期；截止后收到的计为逾期报送）",
               "确是按时收到的：仍计为按时报送")
    late = f.late_return
    if late is None:
        why = "：" + f.but if f.but else ""
        facts = (f"{f.unit}的“{f.receipt.name}”报送时间存疑{why}；按收取时间（{f.receipt.received_at[:16]}）登记，"
                 f"已过截止日期（{f.due:%Y-%m-%d}），暂计为按时报送。")
    else:  # the line's own facts (`doubt_beside_late`), the choices after them
        facts = doubt_beside_late(f.unit, f.receipt, f.but, f.due, late)
        if not refused(f.receipt):
            choices = ("实际在截止前收到：按该日期计报送时间（接着输入日期）", "确是其后收到的：仍计为逾期报送")
    return Question(Kind.FILE_TIME, p, f.unit, facts, choices, wants_day=1, receipt_id=f.receipt.id, due=f.due)


def current(ws: Workspace, question: Question) -> Question | None:
    """``question`` as it stands now (its choices follow the unit's verdict), or None when it is
    no longer open: an answer given earlier in the walk, or a colleague's meanwhile, settled it."""
    return next((q for q in open_questions(ws, question.period).asked if _key(q) == _key(question)), None)


def file_now(ws: Workspace, question: Question) -> Question | None:
    """The file-time question of ``question``'s unit as it stands now (None: none, or ``question``
    is of another kind): a colleague's collect made the unit 逾期 on another file than the one
    asked about (its answer refused, `FileChanged`, or its turn come)."""
    if question.kind is not Kind.FILE_TIME:
        return None
    return next((q for q in open_questions(ws, question.period).asked
                 if q.kind is Kind.FILE_TIME and q.unit == question.unit), None)


def _key(q: Question) -> tuple:
    # a file's time by its file (its receipt, and the facts naming it); a W206 file by its
    # receipt; a mail by its row
    return (q.kind, q.unit, q.facts if q.kind is Kind.FILE_TIME else "", q.receipt_id, q.mail.row if q.mail else 0)


def day_typed(typed: str, example: dt.date) -> dt.date | None:
    """The day the office typed it received a file, None when it names no day: a date
    (`parse_date`), or a day without its year as a Chinese office types it (7月4日, 7.4, 7/4),
    of the year that puts it nearest ``example`` (a day of the month asked about: December's
    returns come in January)."""
    text = squash_nfkc(typed)
    if (day := parse_date(text, day_required=True)) is not None:
        return day
    m = re.fullmatch(r"(\d{1,2})(?:月|[.\-/])(\d{1,2})[日号]?", text)
    if not m:
        return None
    days = []
    for year in (example.year - 1, example.year, example.year + 1):
        with contextlib.suppress(ValueError):
            days.append(dt.date(year, int(m.group(1)), int(m.group(2))))
    return min(days, key=lambda d: abs(d - example), default=None)


def inbox_files(ws: Workspace) -> list[str]:
    """The files collect would take from 收件箱 now: choice 2 of a mail too big collects them all
    as received on the mail's day (``collect --received``), so the office confirms them first;
    another unit's late return lying there would be backdated with them."""
    from ..inbox import scan_inbox  # deferred: its imports (archives, unpack) serve this choice alone

    return sorted(f.relative_to(ws.inbox).as_posix() for f in scan_inbox(ws.inbox, put_back=False))


def answer(ws: Workspace, question: Question, choice: int, day: dt.date | None = None,
           files: list[str] | None = None) -> Answered:
    """Record ``choice`` (numbered from 1) of ``question``; ``day`` for the choice that wants one;
    ``files``: for choice 2 of a mail too big, the files of 收件箱 the office confirmed are the
    mail's (`inbox_files`), refused when 收件箱 holds others by then. Refused as the command
    refuses it (`errors.UsageError`: a day in the future, a question another colleague answered
    meanwhile)."""
    assert 1 <= choice <= len(question.choices), (choice, question.kind)  # the CLI asks until it is one
    p, unit = question.period, question.unit
    if question.kind is Kind.FILE_TIME:
        # the file shown: a colleague's collect meanwhile may have made the unit 逾期 on another
        done = answer_received(ws, p, unit, (question.stated or day) if choice == 1 else None,
                               receipt_id=question.receipt_id)
        return Answered([done.line()], done.changed)
    if question.kind is Kind.DISPUTED:  # never the unit's unknown-sender question, skipped or not
        checked = check_disputed_file(ws, p, unit, question.receipt_id, theirs=choice == 1)
        return Answered([checked.line()], checked.changed)
    if question.kind is Kind.SENDER:
        checked = check_sender(ws, p, unit, choice == 1)
        return Answered([checked.line()], checked.changed)
    mail = question.mail
    assert mail is not None
    lines: list[str] = []
    moved: list[str] = []
    if choice == 2:  # the form downloaded into 收件箱: collected as received that day (collect --received)
        day = mail.received.date()
        here = inbox_files(ws)
        if not here:
            raise errors.UsageError(EMPTY_INBOX)
        if current(ws, question) is None:  # checked by a colleague meanwhile: nothing collected for it
            raise errors.UsageError(f"{mail.text}已记录为已核实，无需再次运行。")
        if files is None or sorted(files) != here:
            raise errors.UsageError(f"收件箱中现有的文件（{'、'.join(here)}）与确认的不同，没有收取："
                                    "请重新选择并确认。")
        before = _verdicts(ws, p)
        got = collect(ws, p, received=day)
        lines.append(f"已收取收件箱中的 {got.inputs} 个文件（按 {day.isoformat()} 收到计）：{got.tally()}"
                     + ("；退回的详见 反馈 文件夹和 duban status。" if got.returned or got.unreadable else "。"))
        # each verdict the collect changed: a file 重复 of a late return, received earlier, makes
        # its unit 按时 though the tally says 采纳 0
        moved = [f"{unit} 由{_said(before.get(unit))}改计为{_said(now)}。"
                 for unit, now in _verdicts(ws, p).items() if before.get(unit) != now]
        lines += moved
    lines += check_one_mail(ws, mail).lines()
    # a return accepted changes the 汇总表's and the 通报's figures though no verdict moved
    return Answered(lines, bool(moved) or bool(choice == 2 and got.accepted))


def _verdicts(ws: Workspace, period: Period) -> dict[str, tuple[str, str]]:
    return {u.unit: (u.state, u.received_at) for u in consolidate(ws, period, tasks=False).units}


def _said(verdict: tuple[str, str] | None) -> str:
    state, when = verdict or (UnitState.NOT_REPORTED, "")
    return f"{state}（报送时间 {when[:16]}）" if when else str(state)


def still_open(question: Question, questions: Questions) -> bool:
    """``question`` (skipped in a walk) is among ``questions``: an answer after it did not settle it."""
    return any(_key(q) == _key(question) for q in questions.asked)


EMPTY_INBOX = "收件箱是空的：请先在邮箱中打开这封邮件，把其中的填报表下载后放进收件箱，再选 2。"


@dataclass(frozen=True)
class Recorded:
    """One answer recorded about the month, as its 已核实 line says it (``text``, without how
    to take it back): `take_back` undoes it, about its file (``receipt_id``) or mail alone."""

    kind: Kind
    period: Period
    unit: str
    text: str
    receipt_id: int = 0
    mail: BigMail | None = None


def recorded_answers(ws: Workspace, period: Period) -> list[Recorded]:
    """The office's answers about ``period`` that its 已核实 lines say (`Consolidation.told`), in
    their order: a sender, a W206 file, a mail too big, a file's time."""
    cons = consolidate(ws, period, tasks=False)
    said = [(Kind.SENDER, r.unit or "", line, r.id, None) for (r, _, _), line in cons.sender_checks]
    said += [(Kind.DISPUTED, d.unit, line, d.receipt.id if d.receipt else 0, None)
             for d, line in disputed_answers(cons)]
    said += [(Kind.BIG_MAIL, m.unit, line, 0, m) for m, line in big_mail_answers(cons)]
    said += [(Kind.FILE_TIME, f.unit, line, f.receipt.id, None) for f, line in file_time_answers(cons)]
    # an answer about no unit's return (a copy whose unit the ledger lost) is taken back by no --dept
    return [Recorded(kind, period, unit, line.partition(UNDO)[0], rid, mail)
            for kind, unit, line, rid, mail in said if unit or kind is Kind.BIG_MAIL]


def take_back(ws: Workspace, recorded: Recorded) -> Answered:
    """Undo ``recorded`` as its ``--undo`` command does (``duban received``, ``duban sender``,
    ``duban mail checked``), about that answer alone: the lines say the verdict it leaves and
    that the question is asked again. Refused (`errors.UsageError`) when it is recorded no
    more (taken back by a colleague meanwhile)."""
    p, unit = recorded.period, recorded.unit
    if recorded.kind is Kind.FILE_TIME:
        done = answer_received(ws, p, unit, None, undo=True, receipt_id=recorded.receipt_id)
        return Answered([done.line()], done.changed)
    if recorded.kind is Kind.BIG_MAIL:
        assert recorded.mail is not None
        return Answered(check_one_mail(ws, recorded.mail, checked=False).lines())
    checked = (check_disputed_file(ws, p, unit, recorded.receipt_id, undo=True) if recorded.kind is Kind.DISPUTED
               else check_sender(ws, p, unit, None, receipt_id=recorded.receipt_id))
    return Answered([checked.line()], checked.changed)
