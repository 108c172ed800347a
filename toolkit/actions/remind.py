"""`duban remind`: reminder mail drafts (催报) for units missing or asked to fix their return."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import misfiled_owed
from ..consolidate import consolidate
from ..dates import cn_date
from ..drafts import addressed, passed_date, reminded_before, retire_drafts, same_mail, write_draft
from ..errors import ReadFailure
from ..issued_month import EarlierMonths
from ..ledger import Ledger
from ..ledger.mail_records import MailRecords
from ..mail import build_draft, parse_mail, render_mail_template
from ..mail_notes import chase_notes, fetch_note, returns_from
from ..period import Period
from ..progress import Progress, no_progress
from ..rectification import is_rectification
from ..reply_renew import said_today, unsent_past
from ..returns import read_return, return_filename
from ..text import name_part, some_units, task_title
from ..vocab import Outcome, UnitState
from ..workspace import ISSUED, MERGED, Workspace


@dataclass
class RemindResult:
    """Drafts written by `write_reminders`."""

    period: Period
    folder: Path
    files: list[Path] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)
    retired: list[Path] = field(default_factory=list)   # earlier 催报 drafts removed
    no_email: list[str] = field(default_factory=list)   # drafts with no recipient: no 邮箱 in 单位名录
    # units reminded by `mail send` today already: the draft made again is that mail
    # (`drafts.same_mail`) and is not sent twice; a reminder on a later day is the next one
    kept_sent: list[str] = field(default_factory=list)
    #: the days before today a reminder of the month reached a unit (`drafts.reminded_before`):
    #: the list says the unit was chased before, a later day's being the next one (QA299)
    before: dict[str, list[dt.date]] = field(default_factory=dict)
    #: the month's 请核实 lines that say a unit may be reminded though it reported (`chase_notes`),
    #: first, when the mailbox was last fetched, when not today (`fetch_note`)
    notes: list[str] = field(default_factory=list)
    #: the units still on time (`_ask_by`), each asked by its date (【提醒】请于…前), not chased 尽快
    asked_by: dict[str, dt.date] = field(default_factory=dict)
    #: the month before, when its forms went out, some unit still owes it and no unit of this one
    #: is past its date yet: on 7 December, December's forms just out, the office chasing November's
    #: returns meant it
    earlier: Period | None = None
    #: units 退回待改 whose reply never went out and whose correction date has passed (the date):
    #: chased 尽快 while the verdict holds them to a date they were never told (`reply_renew.unsent_past`)
    unsent_past: dict[str, dt.date] = field(default_factory=dict)
    #: units past their correction date whose attached reply workbook is not the one their reply
    #: carries (edited in WPS or Excel since): attached as the office left it, its date not made
    #: 尽快 (`_as_of_today`), and the office told to look at it before it goes (`left_line`)
    as_left: list[str] = field(default_factory=list)
    attach: bool = False
    month: str = ""  # " --period 2022-05" when not the workspace's current period

    def unsent_line(self) -> str:
        """The units of `unsent_past`: what their 催报 says, how their verdict is judged, and how to
        give them a date of today (`mail send feedback --renew`, then the 催报 written again)."""
        shown = "、".join(f"{u}（{cn_date(d)}前）" for u, d in self.unsent_past.items())
        attached = "（附上的标出错误的表格也写明尽快）" if self.attach else ""
        return (f"反馈邮件还没有发出、其中的改报日期已过的退回待改单位 {len(self.unsent_past)} 个：{shown}。"
                f"催报请其尽快改报{attached}，是否按时改报仍按反馈邮件中的日期判断。如要按今天重新给出改报日期，"
                f"请先运行 duban mail send feedback{self.month} --renew（或双击“4-发送邮件”，选 2 反馈），"
                f"再运行 duban remind{self.month}{' --attach' if self.attach else ''} 重新生成催报。")

    def left_line(self) -> str:
        """The units of `as_left`: their 催报 says 尽快, the workbook beside it the office's words."""
        return ("以下单位的标出错误的表格在反馈邮件写好后改动过（如用 WPS 或 Excel 打开保存过），"
                f"催报按改动后的原样附上，其中的改报日期没有改为“尽快”：{some_units(self.as_left)}。"
                "请打开这些单位的催报草稿，核对附件中的日期与催报所说的是否一致后再发送。")

    def kept_line(self, current: Period) -> str:
        """The units mailed today already (`kept_sent`): their drafts made again are that mail,
        not sent twice; how to send once more. ``current``: the workspace's period."""
        month = f" --period {self.period}" if self.period != current else ""
        return (f"其中 {len(self.kept_sent)} 个单位今天已发过催报邮件：{some_units(self.kept_sent)}。"
                f"重新生成的草稿不会再次发送；如需再发，请运行 duban mail send remind{month} --resend "
                + ("全部" if len(self.kept_sent) > 1 else self.kept_sent[0]) + "。")

    def apart(self) -> list[str]:
        """What the list of units does not say: which drafts ask by a date and which chase, when
        some units are still on time ("其中提醒 53 个单位…", "催报 1 个单位…"); when none of
        the month is late yet, how to chase the month before (`earlier`); and the units chased 尽快
        whose reply never went out (`unsent_past`), and those whose workbook is attached as the office
        left it (`as_left`)."""
        unsent = [self.unsent_line()] * bool(self.unsent_past) + [self.left_line()] * bool(self.as_left)
        if not self.asked_by:
            return unsent
        dates = sorted(set(self.asked_by.values()))
        by = cn_date(dates[0]) if len(dates) == 1 else "各自的截止日期"
        out = [f"其中提醒 {len(self.asked_by)} 个单位：报送尚未截止，草稿请其于{by}前报送（【提醒】），"
               "不催其尽快报送。"]
        chased = [u for u, _ in self.units if u not in self.asked_by]
        if chased:
            out.append(f"催报 {len(chased)} 个单位：已过截止日期或退回待改（【催报】）。")
        if self.earlier:
            out.append(f"本期还没有单位过了截止日期。如要催报上一期（{self.earlier.label}）尚未报送的单位，"
                       f"请运行 duban remind --period {self.earlier}"
                       "（双击“4-发送邮件”选 3 催报时，直接回车即为上一期）。")
        return out + unsent


def _issued_before(ledger: Ledger, period: Period) -> Period | None:
    """The month before ``period`` when its forms went out; None when they did not."""
    before = period.shift(-1)
    return before if before in ledger.issued_periods() else None


def write_reminders(ws: Workspace, period: Period | None = None, attach: bool = False,
                    progress: Progress = no_progress) -> RemindResult:
    """One .eml draft per unit that is 未报送 or 退回待改, from templates/催报邮件.txt.

    The period's earlier 催报 drafts are replaced: a unit that has reported since gets
    none, and its old draft is removed.
    """
    cons = consolidate(ws, period, tasks=False)
    folder = ws.stage_dir(MERGED, cons.period) / "催报邮件"
    result = RemindResult(cons.period, folder, notes=chase_notes(cons), attach=attach,
                          month=f" --period {cons.period}" if cons.period != ws.period() else "")
    with Ledger(ws.ledger_path) as ledger:
        result.retired = retire_drafts(ws, ledger, ledger.drafts("remind", cons.period), "重新催报，已被替代")
        _write(ws, ledger, cons, attach, progress, result)
        to_fix = {u.unit for u in cons.units if u.state == UnitState.TO_FIX}
        if to_fix:  # by the unit's names in the month, its reply's and its return's (`unsent_past`)
            result.unsent_past = {u: d for u, d in unsent_past(ws, ledger, cons, cons.period).items() if u in to_fix}
        # drafts only: with every unit reported, none is chased whatever the mailbox holds
        if result.files and (unfetched := fetch_note(ws, MailRecords(ledger.conn),
                                                     returns_from(ledger, cons.period, ws.tz))):
            result.notes.insert(0, unfetched)
        if result.files and len(result.asked_by) == len(result.files):  # no unit of this month is late yet
            result.earlier = _issued_before(ledger, cons.period)
    if result.earlier is not None and not _owing(ws, result.earlier):
        result.earlier = None  # every unit reported the month before: nobody to chase there (QA388)
    return result


def _owing(ws: Workspace, period: Period) -> bool:
    """Whether some unit still owes ``period`` a return: 未报送 or 退回待改, what its 催报 chases."""
    return any(u.state in (UnitState.NOT_REPORTED, UnitState.TO_FIX)
               for u in consolidate(ws, period, tasks=False).units)


def _write(ws: Workspace, ledger: Ledger, cons, attach: bool, progress: Progress, result: RemindResult) -> None:
    today = ws.now().date()  # the office's day, whatever the machine's zone
    template = ws.template("催报邮件.txt")
    sections = cons.of_sections  # 贵科室 in a bureau's own plan, as its 通报 says 科室
    months = EarlierMonths(ledger, cons.master)  # the month's mergers read once, not once a unit
    for u in progress([u for u in cons.units if u.state in (UnitState.NOT_REPORTED, UnitState.TO_FIX)], "催报邮件"):
        # the tasks on the unit's own form, by the deadline printed on it (`issue --due`): a
        # task added to the master after issue is not on the form the reminder points to. Each
        # is named as everywhere else (`task_title`): a master with no 工作任务 column (the
        # task written whole in 重点工作 or 具体任务) would list bare numbers
        asked = cons.tasks_asked(u.unit)
        tasks = [{"id": t.id, "role": role, "name": task_title(t.name, t.content),
                  "deadline": t.deadline_in(cons.period.year) or "未明确"} for t, role in asked]
        # 完成时限 is named where one of the unit's tasks has one: a plan that gives none (苍南's
        # 民生实事, every prose 分工意见) printed 完成时限：未明确 on each line. ``t.deadline`` keeps
        # 未明确, so that an office's own copy of the template, written before, reads as it did;
        # a 2016 task's 12月底前 says 2016年 in a January 2017 reminder, as the 通报 does (QA137)
        deadlines = any(t.deadline_text for t, _ in asked)
        # A unit asked to fix its return gets back its own file with the errors marked (the
        # reply's attachment), not a blank form to fill in all over again.
        marked = (_feedback_form(ws, ledger, cons, months.names_of(u.unit, cons.period))
                  if attach and u.state == UnitState.TO_FIX else None)
        blank = _blank_form(ws, cons, u.unit) if attach and marked is None else None  # (name, path)
        attachments = [_as_of_today(ws, ledger, cons, marked, u.unit, result)] if marked else []
        if blank:
            attachments.append((blank[0], blank[1].read_bytes()))
        ask_by = _ask_by(cons, u)
        if ask_by and u.state == UnitState.NOT_REPORTED:
            result.asked_by[u.unit] = ask_by
        subject, body = render_mail_template(template, {
            "project": cons.project, "unit": u.unit, "state": u.state, "period_label": cons.period.label,
            "due_text": cn_date(cons.due_of(u.unit)), "today_text": cn_date(today), "tasks": tasks,
            "deadlines": deadlines, "rectification": is_rectification(cons.master),
            # a unit sent back that may still correct on time is asked by the date its reply
            # named (`Consolidation.awaited_by`), not 尽快; past it, 尽快
            "fix_by_text": cn_date(ask_by) if ask_by and u.state == UnitState.TO_FIX else "",
            # any unit still on time (its deadline, or its correction's, not passed) is asked by
            # that date, not 尽快: a unit told to hurry a month before its deadline (QA351)
            "ask_by_text": cn_date(ask_by) if ask_by else "",
            # ``attached`` keeps its meaning (the blank form), so that an office's own copy of
            # the template, written before, never calls the marked file a blank one
            "organiser": cons.organiser, "contact": ws.contact,
            "attached": blank is not None, "feedback_attached": marked is not None},
            sections=sections)
        eml = build_draft(to=u.email, subject=subject, body=body, attachments=attachments, sender=ws.sender)
        names = months.names_of(u.unit, cons.period)  # reminded today under its former name
        repeats = same_mail(ws, ledger, "remind", cons.period, u.unit, names=names)
        if repeats:
            result.kept_sent.append(u.unit)
        if before := reminded_before(ws, ledger, cons.period, u.unit, names):
            result.before[u.unit] = before
        path = write_draft(ws, ledger, kind="remind", period=cons.period, unit=u.unit,
                           path=result.folder / f"催报_{name_part(u.unit)}.eml", eml=eml, names=names,
                           repeats=repeats)
        result.files.append(path)
        if not addressed(eml):
            result.no_email.append(u.unit)
        # named as status names it: 未报送（尚未截止） while the unit's deadline has not passed
        result.units.append((u.unit, cons.said(u.unit, u.state)))


def _ask_by(cons, u) -> dt.date | None:
    """The date ``u`` (未报送 or 退回待改) may still report or correct by on time, as status and
    the 汇总表 judge it (`Consolidation.awaited`: 未报送（尚未截止）); None once it has passed.
    A unit 未报送 by its deadline (`due_of`); one sent back by its reply's date if later
    (`awaited_by`)."""
    if u.unit not in cons.awaited:
        return None
    return cons.awaited_by(u.unit) if u.state == UnitState.TO_FIX else cons.due_of(u.unit)


def _feedback_form(ws: Workspace, ledger: Ledger, cons, names: tuple[str, ...]) -> Path | None:
    """The reply's workbook for the return the reply to the unit (its ``names`` in the
    month, `EarlierMonths.names_of`) is about (`owed.answered`: its latest, a stamped PDF
    sent beside its form not counted), refused: 反馈/<期>/<日期>/<单位>_校验反馈.xlsx beside
    the live reply draft. None when the reply answers an earlier return (the latest one's
    reply failed and is owed), when that return could not be read, or when its workbook is
    gone: the unit then gets the blank form, never an old file marked for errors it may have
    fixed since. A file sent again unchanged (重复) is no later return. Attached as of today
    (`_as_of_today`)."""
    # a file on another unit's form the office said was not that unit's is this one's refused return,
    # its reply recorded against the file (`misfiled_reply`): its pre-filled form, not the blank one
    answered = misfiled_owed.answered(ledger, cons.master, names, cons.period)
    replies = [d for d in ledger.drafts("feedback", cons.period) if d.unit in names]
    if answered is None or not replies or replies[-1].receipt_id != answered.id:
        return None
    # A file that could not be read (damaged, encrypted, a PDF) is not in the reply's
    # workbook: that is a fresh form beside the reasons, nothing of the unit's marked in it.
    if answered.outcome != Outcome.RETURNED:
        return None
    marked = (ws.root / replies[-1].path).with_suffix(".xlsx")
    return marked if marked.is_file() else None


def _as_of_today(ws: Workspace, ledger: Ledger, cons, marked: Path, unit: str, result: RemindResult
                 ) -> tuple[str, bytes]:
    """The reply's workbook ``marked`` (`_feedback_form`) to attach, as (name, bytes). Past the date
    its reply asked the correction by (`drafts.passed_date`), it asks 尽快, as the 催报 does
    (`reply_renew.said_today`): at its top and in its 校验结果 it asked by a day gone by. The unit's
    verdict keeps that date; `mail send feedback --renew` alone, for a reply never sent, gives it
    one of today (`RemindResult.unsent_line`).

    Only the workbook the reply carries is said so: one edited in WPS or Excel since is the
    office's, attached as it left it, and ``unit`` is named in ``result.as_left`` for the office to
    look at. Not rewritten where it still reads as duban wrote it (a date the office moved at its
    top, 尽快 below it: QA364), nor held back: the unit is late, and the 催报 says 尽快 whatever
    the workbook beside it says."""
    data = marked.read_bytes()
    eml = marked.with_suffix(".eml")
    reply = next((d for d in ledger.drafts("feedback", cons.period) if ws.root / d.path == eml), None)
    if reply is not None and (asked := passed_date(ws, ledger, cons, reply)):
        said = said_today(data, asked) if _carried(eml, marked.name, data) else None
        if said is None:
            result.as_left.append(unit)
        data = said or data
    return marked.name, data


def _carried(eml: Path, name: str, data: bytes) -> bool:
    """Whether ``data`` is the workbook the reply draft ``eml`` carries as ``name``, byte for byte
    (`feedback.write_feedback` attaches the file it wrote); True when that cannot be told (the
    draft gone or carrying none of that name): `said_today` judges the texts alone then."""
    try:
        carried = [a.data for a in parse_mail(eml.read_bytes()).attachments if a.name == name]
    except OSError:
        return True
    return not carried or data in carried


def _blank_form(ws: Workspace, cons, unit: str) -> tuple[str, Path] | None:
    """The unit's form in 下发/<期>/ and the name to attach it under: under its current name,
    else under an old name kept as an alias (a unit renamed after issue; its form, and the
    ledger, still carry that name).

    Each name is looked for as `return_filename` writes it, then as versions before
    `text.name_part` wrote it (the name as typed: 市委宣传部/市新闻办 made a subfolder, A:B a
    name only Linux and macOS took). A form found under that old spelling is attached only
    when its ``_meta`` names this unit, and under the name written today: its own file name
    may name another unit (市新闻办_进展填报表.xlsx)."""
    folder = ws.stage_dir(ISSUED, cons.period)
    for name in cons.master.directory.names_of(unit):
        current = return_filename(cons.period, name)
        if (folder / current).exists():
            return current, folder / current
        legacy = folder / f"{cons.period.label}_{name}_进展填报表.xlsx"
        if legacy != folder / current and _form_of(ws, cons, unit, legacy, folder):
            return current, legacy
    return None


def _form_of(ws: Workspace, cons, unit: str, path: Path, folder: Path) -> bool:
    """Whether ``path`` is a form of ``unit`` inside ``folder``: a name as typed may hold ".."
    or be longer than a file system takes (`os.path.isfile` is then False, not an error)."""
    if not os.path.isfile(path):
        return False
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder)):
        return False
    try:
        meta = read_return(path.read_bytes(), path.name, ws.limits).meta
    except (OSError, ReadFailure):
        return False
    directory = cons.master.directory
    return directory.resolve(meta.get("department", "")) == directory.resolve(unit)
