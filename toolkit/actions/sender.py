"""`duban sender`: the office's answer to the 请核实 line about a return from an address no
unit has (`senders`): the copy was the unit's, it was not, or take the answer back.

The answer is kept in the ledger (``sender_checks``, by receipt) and read by every
consolidation: the line is said no more, and a copy that was not the unit's no longer times
it (its own returns then decide 按时 or 逾期). The result says the verdict before and after,
so that a 逾期 the answer makes is never silent.

The same command answers the question about a file registered under the unit while its file
name, 填报单位 or sender named another (W206, `disputed`): ``--theirs`` records that it is the
unit's (``disputed_checks``); ``--not-theirs`` that it is not: another unit filled in the unit's
form, so the file is not the unit's return (`ledger.answers.DISOWNED`) and the unit stands as its own
returns leave it (未报送, or its own earlier one merged again), said before and after. The file's
rows are never made the other's: they are the unit's form, and the other unit resends on its own
(QA204, QA356); the file is the other unit's refused return (`misfiled`): it stands 退回待改, said
before and after, and its reply is written (`misfiled_reply`) or, the answer taken back, retired
(QA405). `check_mail` records that the office opened a mail too big to fetch (`too_big`,
``duban mail checked``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .. import errors
from ..addresses import addresses_in
from ..consolidate import Consolidation, consolidate
from ..dates import cn_date, resubmit_by
from ..disputed import OWES, Disputed, asked
from ..issued_month import kept_apart
from ..ledger import Ledger, Receipt
from ..ledger.answers import check_disputed, undo_hint
from ..ledger.answers import check_mail as record_mail_check
from ..logs import log
from ..misfiled_reply import retire_reply, standing_reply, write_reply
from ..owed import reason as why_failed
from ..period import Period
from ..senders import command, sender_answers
from ..too_big import BigMail, too_big_rows
from ..vocab import UnitState
from ..workspace import Workspace


@dataclass
class SenderCheck:
    """What `check_sender` recorded: the return answered about, the answer (None: taken back)
    and the unit's 报送状态 and 报送时间 before and after."""

    period: Period
    unit: str
    receipt: Receipt
    theirs: bool | None
    before: tuple[str, str]
    after: tuple[str, str]
    #: the unit another piece of evidence named, when the answer is about a W206 file (`disputed`)
    other: str = ""
    #: of an answer about a W206 file taken back (``theirs`` None), what it had said
    was_theirs: bool = True
    #: ``other``'s 报送状态 after the answer, when it still owes its return (未报送, 退回待改)
    other_owes: str = ""
    #: ``other``'s 报送状态 before the answer, and the date it is asked to resend by when the answer
    #: leaves it 退回待改 on the file (`misfiled`: the file is its refused return, QA405)
    other_was: str = ""
    other_now: str = ""
    other_by: dt.date | None = None
    #: the date the verdict held ``other``, 退回待改, to before the answer (`Consolidation.fix_by`)
    other_was_by: dt.date | None = None
    #: the reply draft written to ``other`` about the file, its refused return (`misfiled_reply`)
    reply: str = ""
    #: why that reply could not be written (disk full, no permission: `owed.reason`); the answer stands
    reply_failed: str = ""

    @property
    def changed(self) -> bool:
        """The answer changed the unit's verdict (or the other unit's): no 汇总表 or 通报 made before says it yet."""
        return self.after != self.before or self.other_now != self.other_was or self._date_moved

    def line(self) -> str:
        """What was recorded, and the verdict it leaves (`duban sender`, `duban verify`)."""
        r, label, unit = self.receipt, self.period.label, self.unit  # the 名录's name of --dept
        file = f"{unit} {label}的“{r.name}”（{r.received_at[:16]}）"
        if self.other:  # a file whose name, 填报单位 or sender named another unit (W206)
            if self.theirs:  # a 不是 changed to 是 makes the file the unit's again: its verdict said
                moved = f"{then(unit, self.before, self.after)}。" if self.after != self.before else ""
                return (f"已记录：{file}是{unit}的报送，不是{self.other}的；{moved}{self._other_moved()}"
                        "汇总、查看报送情况和生成通报时不再提示。")
            if self.theirs is None:  # the verdict said: taking back a 不是 makes the file the unit's again
                return (f"已撤销：{file}{'是' if self.was_theirs else '不是'}{unit}报送的核实；"
                        + ("" if self.was_theirs else f"{then(unit, self.before, self.after)}。")
                        + self._other_moved() + ASKED_AGAIN)
            owes = f"{self.other} 计为{self.other_owes}：如这份是其填报的，请其用本单位的填报表重报。"
            resend = self._other_moved() or (owes if self.other_owes else "")
            return (f"已记录：{file}不是{unit}的报送，不再计入{unit}；{then(unit, self.before, self.after)}。{resend}"
                    "汇总、查看报送情况和生成通报时不再提示。")
        said = {True: "由其报送或委托报送", False: f"不是{unit}报送，不再据此计算其报送时间", None: "的发件人核实"}
        # taken back, the question stands again: said so, not left for the next run to surprise
        return (f"{'已撤销' if self.theirs is None else '已记录'}：{file}{said[self.theirs]}；"
                f"{then(unit, self.before, self.after)}。{ASKED_AGAIN if self.theirs is None else ''}")

    def _other_moved(self) -> str:
        """The other unit's 报送状态 before and after, when the answer moved it (`misfiled`): never a
        silent change of a unit the 通报 names (石排镇：未报送 → 退回待改，请其于…前用本单位的填报表重报)."""
        now = self.other_now
        if not self.other_was or (now == self.other_was and not self.reply and not self.reply_failed
                                  and not self._date_moved):
            return ""
        if now == UnitState.TO_FIX and self.other_by is not None:
            draft = f"（反馈邮件草稿：{self.reply}）" if self.reply else ""
            if self.reply_failed:  # recorded all the same: the unit stands 退回待改 with no reply to send yet
                draft = (f"。反馈邮件草稿未能生成（{self.reply_failed.rstrip('。')}）：核实结果已记录，不必再次核实，"
                         f"问题排除后请运行 duban mail send feedback --period {self.period} --renew 生成，"
                         "改报日期从生成之日起算")
            # still 退回待改, on another file or with its date moved: never a new date or reply said in old words
            was_by, by = self.other_was_by, cn_date(self.other_by)
            moved = f"（改报日期由{cn_date(was_by)}改为{by}）" if was_by and self._date_moved else ""
            head = f"：{self.other_was} → {now}" if now != self.other_was else f" 仍为{now}{moved}"
            return f"{self.other}{head}，请其于{by}前用本单位的填报表重报{draft}。"
        return f"{self.other}：{self.other_was} → {now}。"

    @property
    def _date_moved(self) -> bool:
        """The answer left ``other`` 退回待改 but moved the date it is asked to resend by."""
        return (self.other_was == self.other_now == UnitState.TO_FIX and self.other_was_by is not None
                and self.other_by is not None and self.other_by != self.other_was_by)


#: said when an answer is taken back
ASKED_AGAIN = "汇总、查看报送情况和生成通报时将重新提示“请核实”。"


def then(unit: str, before: tuple[str, str], after: tuple[str, str]) -> str:
    """The unit's verdict an answer leaves (``before``, ``after``: 报送状态, 报送时间), said
    whether or not it changed: 市司法局 由逾期报送（报送时间 …）改计为按时报送（报送时间 …）."""
    was, now = (f"{word}（报送时间 {when}）" if when else word for word, when in (before, after))
    return f"{unit} 由{was}改计为{now}" if after != before else f"{unit} 计为{now}"


def unit_verdict(ws: Workspace, period: Period, unit: str) -> tuple[str, tuple[str, str], Consolidation]:
    """``unit`` as the 名录 names it (an alias or its place written: `Directory.resolve`), its
    报送状态 and 报送时间, and the month's consolidation."""
    cons = consolidate(ws, period, tasks=False)
    # a name the month counts by is taken as written (市林业局, kept apart in a month before it
    # merged into 市自然资源局); any other as the 名录 resolves it
    if all(u.unit != unit for u in cons.units):
        unit = cons.master.directory.resolve(unit) or unit
    u = next((u for u in cons.units if u.unit == unit), None)
    if u is None:
        raise errors.UnknownUnit(f"{unit} 不在{period.label}的应报单位中，请按单位名录中的名称填写 --dept。")
    return unit, (u.state, u.received_at), cons


def check_sender(ws: Workspace, period: Period, unit: str, theirs: bool | None,
                 receipt_id: int | None = None) -> SenderCheck:
    """Record whether the return the 请核实 line about ``unit`` names was its own (``theirs``),
    or take back the answer given (None). Answering again changes the answer. The question about
    a return from an address no unit has is answered first; then one about a W206 file
    (`disputed`), which only ``theirs`` answers. ``--undo`` takes back the latest answer;
    ``receipt_id`` (with ``theirs`` None): the answer about that return alone (`duban verify`,
    which listed it among the answers recorded)."""
    unit, before, cons = unit_verdict(ws, period, unit)
    with Ledger(ws.ledger_path) as ledger:
        # under the month's names: an answer given before the unit was renamed is still its
        answers = sender_answers(ledger, period, cons.master, kept_apart(ledger, period, cons.master))
        # the latest last: by when answered (to the microsecond, `answered_now`), then by the ledger row (the
        # receipt's id, both tables' key), so that --undo never takes back an earlier answer
        answered = sorted(((r, at) for r, _, at in answers if r.unit == unit), key=lambda a: (a[1], a[0].id))
        pending = next((a.sent for a in cons.unknown_senders if a.unit == unit), None)
        # an answer already given is changed by answering again; --theirs answers a W206 question
        # still open first, but --not-theirs, with an answer given about the unit's unknown sender,
        # changes that answer (QA213; `duban verify` answers the W206 file by itself)
        if pending is None and theirs is not None and (not answered or (
                theirs and any(d.unit == unit and not d.checked_at for d, _ in asked(cons)))):
            return _verdict_after(ws, _check_disputed(ledger, period, unit, theirs, cons, before), cons)
        if theirs is None and receipt_id is None:  # the latest answer of either kind is taken back
            done = max((d for d in cons.disputed if d.unit == unit and d.checked_at), default=None,
                       key=lambda d: (d.checked_at, d.receipt.id if d.receipt else 0))
            if done is not None and (not answered or (done.checked_at, done.receipt.id if done.receipt else 0)
                                     >= (answered[-1][1], answered[-1][0].id)):
                return _verdict_after(ws, _undo_disputed(ledger, period, unit, done, before), cons)
        target = pending if theirs is not None and pending is not None else (answered[-1][0] if answered else None)
        if theirs is None and receipt_id is not None:  # the answer listed, not the unit's latest
            target = next((r for r, _ in answered if r.id == receipt_id), None)
        if target is None:
            raise errors.UsageError(
                f"{unit} 在{period.label}没有已记录的发件人核实，无需撤销。" if theirs is None else
                f"{unit} 在{period.label}没有需要核实发件人的报送（见 duban status 的“请核实”）。")
        # by receipt, not by name: the ledger's name of the merged return may be the unit's old one
        if theirs is False and target.id in {r.id for r in ledger.accepted(period).values()}:
            # the copy is what the 汇总表 merges, not only what times the unit: no answer fixes that
            raise errors.UsageError(
                f"“{target.name}”是{unit}{period.label}汇总所用的报送，不能只改报送时间：请该单位从其邮箱重新报送，"
                "收取后再运行此命令。")
        ledger.check_sender(target.id, theirs)
    _, after, _ = unit_verdict(ws, period, unit)
    return SenderCheck(period, unit, target, theirs, before, after)


def check_disputed_file(ws: Workspace, period: Period, unit: str, receipt_id: int,
                        undo: bool = False, theirs: bool = True) -> SenderCheck:
    """`check_sender --theirs` (``theirs`` False: ``--not-theirs``) of ``unit``'s open W206
    question about the file ``receipt_id`` alone (`duban verify`, which showed that file): with
    the unit's unknown-sender question still open, ``--theirs`` answers that one first, and of two
    W206 files it answers the first, so a walk that skipped one recorded another than it showed.
    ``undo``: `check_sender --undo` of the answer about that file alone (the unit's latest answer
    may be another)."""
    unit, before, cons = unit_verdict(ws, period, unit)
    with Ledger(ws.ledger_path) as ledger:
        if not undo:
            done = _check_disputed(ledger, period, unit, theirs, cons, before, receipt_id)
        else:
            found = next((d for d in cons.disputed if d.unit == unit and d.checked_at and d.receipt is not None
                          and d.receipt.id == receipt_id), None)
            if found is None:
                raise errors.UsageError(f"{unit} 在{period.label}没有已记录的发件人核实，无需撤销。")
            done = _undo_disputed(ledger, period, unit, found, before)
    return _verdict_after(ws, done, cons)


def _verdict_after(ws: Workspace, done: SenderCheck, was: Consolidation) -> SenderCheck:
    """``done`` with its unit's verdict after the answer: a W206 file said not the unit's (or
    such an answer taken back) moves it; one said the unit's leaves it as it was. The other unit
    (``was``: the month before the answer) is moved too where the file is its refused return
    (`misfiled`), and said so, before and after."""
    other_was = next((u.state for u in was.units if u.unit == done.other), "")
    if (done.theirs or (done.theirs is None and done.was_theirs)) and not _disowned(was, done.receipt):
        return done  # a 是 given to an open question, or taken back: the file was and stays its unit's
    # any answer about a file said 不是 moves both units, whatever the other's state: a 是 that replaced
    # the 不是 made 石排镇, 按时 by its reply's date, 逾期 with nothing said (QA409)
    _, after, cons = unit_verdict(ws, done.period, done.unit)
    now = next((u for u in cons.units if u.unit == done.other), None)
    owes = now.state if now is not None and now.state in OWES else ""
    owed = owes == UnitState.TO_FIX and now is not None and now.file == done.receipt.name
    reply, failed = _reply(ws, done, cons, owed)
    # the date the reply just written asks (`feedback.write_feedback`: from today), never before the verdict's
    # `awaited_by`; that alone, for a file itself late, is the due date, already past (QA409)
    by = (max(cons.awaited_by(done.other), resubmit_by(cons.due_of(done.other), ws.now().date(),
                                                       ws.settings.resubmit_working_days)) if reply
          else cons.awaited_by(done.other) if owes == UnitState.TO_FIX else None)
    return dataclasses.replace(done, after=after, other_owes=owes, other_was=other_was,
                               other_now=now.state if now is not None else "", other_by=by, reply=reply,
                               reply_failed=failed,
                               other_was_by=was.fix_by.get(done.other) if other_was == UnitState.TO_FIX else None)


def _disowned(cons: Consolidation, receipt: Receipt) -> bool:
    """Whether ``receipt`` stood said not its registered unit's (``--not-theirs``) in ``cons``."""
    return any(d.receipt is not None and d.receipt.id == receipt.id and d.checked_at and not d.theirs
               for d in cons.disputed)


def _reply(ws: Workspace, done: SenderCheck, cons: Consolidation, owed: bool) -> tuple[str, str]:
    """The reply to the unit a W206 file named, written when the answer made the file its refused
    return and it stands 退回待改 on it (``owed``), retired when the answer is taken back
    (`misfiled_reply`): the draft written, relative to the workspace ('' for none), and why one owed
    was not written ('' for none). The answer is in the ledger by now: a write that fails (disk full,
    no permission) is said, never raised, or the unit stood 退回待改 with no reply and answering again
    was refused; `reply_renew.renew` writes it later (`misfiled_reply.unreplied`)."""
    d = next((d for d in cons.disputed if d.receipt is not None and d.receipt.id == done.receipt.id
              and d.other == done.other), None)
    if d is None or not (owed or done.theirs is not False):
        return "", ""
    try:
        with Ledger(ws.ledger_path) as ledger:
            if done.theirs is not False:
                retire_reply(ws, ledger, d)
                # the unit may stand 退回待改 on another file said not its unit's, whose reply this one replaced
                eml = standing_reply(ws, ledger, cons, done.other)
            else:
                eml = write_reply(ws, ledger, cons.master, d)
                if eml is None:  # the archived file unread: no reply, said as any failure
                    return "", f"归档中的原文件“{d.file}”无法读取"
    except Exception as exc:  # the answer stands (see above); the log keeps the trace
        log.warning("反馈邮件草稿未能生成（%s）", done.other, exc_info=exc)
        return "", why_failed(exc)
    return (eml.relative_to(ws.root).as_posix() if eml is not None else ""), ""


def _undo_disputed(ledger: Ledger, period: Period, unit: str, done: Disputed,
                   before: tuple[str, str]) -> SenderCheck:
    """Take back the W206 answer ``done``. Taking back a 是 changes no verdict (the file was the
    unit's, and counted as such, either way); a 不是 makes the file the unit's again."""
    check_disputed(ledger.conn, done.receipt.id, False)
    if not done.theirs:
        _kept_again(ledger, done.receipt)
    return SenderCheck(period, unit, done.receipt, None, before, before, done.other, done.theirs)


def _kept_again(ledger: Ledger, receipt: Receipt) -> None:
    """A W206 file its unit's again (a 不是 taken back, or changed to 是): the unit's returns kept as
    collect keeps them (`Ledger.resolve_superseded`, which passed the file over while it was not
    the unit's: a return of its own fetched since stood 采纳 beside it, the file received later)."""
    if receipt.unit and receipt.period:
        ledger.resolve_superseded(receipt.unit, receipt.period)


def _check_disputed(ledger: Ledger, period: Period, unit: str, theirs: bool, cons: Consolidation,
                    before: tuple[str, str], receipt_id: int | None = None) -> SenderCheck:
    """`check_sender` of the W206 file registered under ``unit`` that `disputed_notes` asks about
    (``receipt_id``: that file; None: its first open one, else the latest one answered the other
    way: answering again changes the answer); with no such file, the usage error of a unit
    nothing is asked about (or, for the unit the file named, which command answers it)."""
    said = [d for d, _ in asked(cons)]
    mine = [d for d in said if d.unit == unit and (receipt_id is None or (
        d.receipt is not None and d.receipt.id == receipt_id))]
    d: Disputed | None = next((d for d in mine if not d.checked_at), None) or max(
        (d for d in mine if d.theirs != theirs), default=None, key=lambda d: d.checked_at)
    if d is None:
        named = next((d for d in said if d.other == unit and not d.checked_at), None)
        if named is not None:  # the office answers about the unit the file named: the registered one's answer
            raise errors.UsageError(
                f"“{named.file}”已按{named.unit}登记，请按登记的单位回答：核实确是{named.unit}的报送，请运行 "
                f"{command(period, named.unit, '--theirs')}；是{unit}的，请运行 "
                f"{command(period, named.unit, '--not-theirs')}（不再计为{named.unit}的报送），"
                f"并请{unit}用本单位的填报表重报（已重报的不必再报）。")
        raise errors.UsageError(f"{unit} 在{period.label}没有需要核实发件人的报送（见 duban status 的“请核实”）。")
    # 不是: no unit's return; never re-registered as the other's, whose tasks its rows are not
    check_disputed(ledger.conn, d.receipt.id, True, theirs)
    if theirs and d.checked_at and not d.theirs:  # a 不是 changed to 是
        _kept_again(ledger, d.receipt)
    return SenderCheck(period, unit, d.receipt, theirs, before, before, d.other)


@dataclass
class MailCheck:
    """What `check_mail` recorded: the mails too big to fetch, checked (or taken back: False)."""

    mails: list[BigMail] = field(default_factory=list)
    checked: bool = True

    def lines(self) -> list[str]:
        """What was recorded, a line per mail (`duban mail checked`, `duban verify`)."""
        return [f"已记录：{m.text}已打开核实，汇总、查看报送情况和生成通报时不再提示。"
                f"{undo_hint(m.command(undo=True))}" if self.checked else
                f"已撤销：{m.text}的核实记录；{ASKED_AGAIN}" for m in self.mails]


def check_mail(ws: Workspace, which: str, checked: bool) -> MailCheck:
    """Record that the office opened the mail too big to fetch that ``which`` names (its sender's
    address, or when it was received: 2022-07-04 10:00, or the day alone) and dealt with it
    (``checked``), or take that back (False). A sender or day of several mails is refused: the
    office names the one it opened by its time (mails of one minute are one answer)."""
    with Ledger(ws.ledger_path) as ledger:
        mails = [m for m in too_big_rows(ledger, ws.tz) if _names(which, m)]
        todo = [m for m in mails if bool(m.checked_at) != checked]
        example = f'duban mail checked "{{}}"{"" if checked else " --undo"}'
        if not todo:
            if mails:
                raise errors.UsageError("、".join(m.text for m in mails) + (
                    "已记录为已核实，无需再次运行。" if checked else "没有记录为已核实，无需撤销。"))
            raise errors.UsageError(f"没有符合“{which}”的过大邮件（发件地址或收到时间，如 "
                                    f"{example.format('2022-07-04 10:00')}；见 duban status 的“请核实”）。")
        if len({f"{m.received:%Y-%m-%d %H:%M}" for m in todo}) > 1:
            first = f"{todo[0].received:%Y-%m-%d %H:%M}"
            raise errors.UsageError(f"有 {len(todo)} 封过大的邮件符合“{which}”：{'、'.join(m.text for m in todo)}。"
                                    f"请写明收到时间，一次核实一封，如 {example.format(first)}。")
        for m in todo:
            record_mail_check(ledger.conn, m.row, m.message_id, checked)
    return MailCheck(todo, checked)


def check_one_mail(ws: Workspace, mail: BigMail, checked: bool = True) -> MailCheck:
    """`check_mail` of ``mail`` alone (`duban verify`, which shows each mail before its answer,
    and lists it among the answers recorded to take one back: ``checked`` False): by its
    minute, another mail of the same minute, never shown, was checked (or taken back) with it."""
    with Ledger(ws.ledger_path) as ledger:
        now = next((m for m in too_big_rows(ledger, ws.tz) if m.row == mail.row), None)
        if now is None or bool(now.checked_at) == checked:
            raise errors.UsageError(f"{mail.text}" + ("已记录为已核实，无需再次运行。" if checked else
                                                      "没有记录为已核实，无需撤销。"))
        record_mail_check(ledger.conn, now.row, now.message_id, checked)
    return MailCheck([now], checked)


def _names(which: str, mail: BigMail) -> bool:
    """Whether ``which`` names ``mail``: its sender's address (any case), its minute or its day."""
    which = which.strip()
    if "@" in which:
        # a whole address, as the 单位名录 is matched: wei@163.com is not zhang.wei@163.com
        return bool(addresses_in(which) & addresses_in(mail.sender))
    for shape in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            when = dt.datetime.strptime(" ".join(which.replace("T", " ").split()), shape)
        except ValueError:
            continue
        if shape == "%Y-%m-%d":
            return mail.received.date() == when.date()
        return mail.received.replace(second=0, microsecond=0) == when.replace(second=0)
    return False
