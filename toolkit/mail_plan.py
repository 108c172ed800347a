"""What `duban mail send issue|feedback|remind` would send: the live drafts sorted into to
send, sent before, without recipient, file deleted and unsure (`plan_send`); the sending
itself is `toolkit.mail_send`.

Recipients are read when the mail goes, not when the draft was written: a draft that reads
as duban wrote it and whose addresses came from the 单位名录 (下发 and 催报; a 反馈 to a file
that came without a sender) goes to the unit's 邮箱 as the 单位名录 gives it *now*. The office
told "请在单位名录中填写/改正" fills in or corrects the cell and runs `mail send` again; the
old draft went to the old address, or to no one, however often it was sent. A draft whose
recipients the office wrote (typed into one written without, or changed: not the addresses
duban wrote, `drafts.hand_addressed`) goes to them, and the screen says so: a refused one is
corrected in the draft, or cleared from it for the 单位名录's. A reply to the sender of a
mailed return goes to that sender, Cc the unit's 邮箱 as the 单位名录 gives it now (an address
refused there is corrected in the 名录, as the refusal says).

A message is followed per address (`SentMail.delivered`): one the server refused for some of
its addresses (a 450 greylisting, a 550 corrected since) goes again, under its Message-ID,
to the unit's current addresses it has not reached; the others are not mailed twice. A send
to those addresses stopped while the server had it is in doubt for them alone: named with
``--resend`` it goes to them again, under its Message-ID, not to the addresses it reached.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import owed
from .addresses import address_problem, parse_addresses, shown_address
from .consolidate import consolidate
from .dates import cn_date
from .drafts import (
    Superseded,
    hand_addressed,
    header_pairs,
    passed_date,
    reminded_before,
    reminded_note,
    same_mail,
    unique_pairs,
)
from .errors import BadConfig, UsageError
from .imap_parse import decode_words
from .ledger import DRAFT_KINDS, Draft, Ledger
from .ledger.answers import disowned_files
from .ledger.mail_records import SENDING, SENT, MailRecords
from .logs import log
from .mail import format_addresses, parse_mail
from .mail_auto import robot_address
from .mail_held import bounced_line, options, passed_line, remake, superseded_lines, units_text, unsure_line
from .mail_notes import chase_notes, fetch_note, returns_from
from .mailbox import Imap, MailboxError, get_password, require_smtp, smtp_endpoint
from .misfiled import reply_held
from .office_copies import standing_bounces
from .period import Period
from .senders import command
from .units import Directory
from .vocab import UnitState
from .workspace import Workspace

KIND_LABELS = {"issue": "下发", "feedback": "反馈", "remind": "催报"}
#: How the coordinator makes a kind's drafts (`SendPlan.lines` when there are none).
MAKE = {"issue": "duban issue --emails", "feedback": "duban collect", "remind": "duban remind"}
#: The double-click script that runs `MAKE`'s command (4-发送邮件's 催报 writes the reminders, then sends).
CLICK = {"issue": "（或双击“1-下发填报表”）", "feedback": "（或双击“2-收取并汇总”）",
         "remind": "（或双击“4-发送邮件”，选 3 催报）"}

Pair = tuple[str, str]  # (display name, address)
SENT_WORD = "已发送"  # what became of a draft sent (`SendPlan.past`)


@dataclass
class Outgoing:
    """One draft to send."""

    draft: Draft
    path: Path
    eml: bytes
    to: list[Pair]                         # (display name, address) for the screen: the envelope's
    recipients: list[str]                  # envelope addresses
    attachments: list[tuple[str, int]]     # (name, bytes)
    header_to: str | None = None           # the To: header from the 单位名录 when it differs from the draft's
    again: bool = False                    # the message, sent before, to the addresses it has not reached
    resend: bool = False                   # `--resend`: to be sent once more under a new Message-ID
    settle: bool = False                   # `--resend` of a send to missed addresses left in doubt
    repeat: bool = False                   # the unit had this mail before: "（再次发送）"
    typed: bool = False                    # recipients the office wrote in the draft
    #: a 催报's "（已于7月6日催报）": the days before today the month's reminder reached the unit
    #: (`drafts.reminded_note`), said in the list as `remind` says it (QA312)
    chased: str = ""
    #: a reply's addresses (lower case) that are its return's sender's, not the 单位名录's:
    #: one refused is checked with the sender or corrected in the draft (`_recipients`)
    to_sender: frozenset[str] = frozenset()
    #: with ``header_to``, the Cc: header: a reply to its return's sender, Cc the 单位名录's 邮箱
    #: as it is now (`_recipients`)
    header_cc: str | None = None

    @property
    def unit(self) -> str:
        return self.draft.unit

    @property
    def message_id(self) -> str:
        return draft_message_id(self.draft)


@dataclass
class Also:
    """A neighbouring month's replies not yet sent (`also_unsent`): how many `mail send feedback
    --period` would send, and the units whose reply it would not: those `--renew` would write again
    first (their date passed), those with no usable 邮箱 in 单位名录, and those held for another
    reason (a draft deleted, or edited and its date passed)."""

    period: Period
    send: int
    renew: list[str] = field(default_factory=list)
    unaddressed: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)


@dataclass
class SendPlan:
    """What `send` would do; `lines` shows it before the coordinator confirms."""

    kind: str
    period: Period
    sender: str
    server: str
    drafts: list[Outgoing] = field(default_factory=list)
    sent_before: list[str] = field(default_factory=list)
    no_recipient: list[str] = field(default_factory=list)
    bad_address: list[tuple[str, str, str]] = field(default_factory=list)  # unit, 邮箱 cell, why
    missing: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)  # found in Sent after an interrupted run
    doubt: dict[str, list[str]] = field(default_factory=dict)  # unsure unit → the addresses in doubt
    asked: tuple[str, ...] = ()  # --resend as the office wrote it
    total: int = 0
    plain: bool = False
    month: str = ""  # " --period 2022-05" when not the workspace's current period
    #: 催报 about to go while a unit's return may wait uncollected (`mail_notes.chase_notes`):
    #: drafts written days before, then mail fetched into 收件箱, went to units that had reported;
    #: first, when the mailbox was last fetched, when not today (`mail_notes.fetch_note`)
    notes: list[str] = field(default_factory=list)
    #: 催报 with no live draft: False when no unit is 未报送 or 退回待改 (`remind` wrote none and
    #: withdrew the old ones), said as such, not "请先运行 duban remind", which 4-发送邮件 just ran
    owed: bool = True
    #: a dry run's: why a real send could not go (duban.toml's [mail] lacks the sending server or
    #: the account): the drafts are listed all the same, sending nothing needs neither
    unset: str = ""
    #: (unit, date) of drafts whose 请于…前 date has passed (`drafts.passed_date`): not sent
    passed: list[tuple[str, dt.date]] = field(default_factory=list)
    #: of ``no_recipient`` and ``bad_address``, the units whose draft's date has passed too: once the
    #: 邮箱 is filled in, the draft is written again before it goes (`passed_line`), not sent as it is
    passed_too: dict[str, dt.date] = field(default_factory=dict)
    #: (unit, why) of 催报 written before the unit's return was refused or its form issued again, or
    #: to a unit that owes the month nothing now (`drafts.Superseded`): the wrong letter, not sent
    superseded: list[tuple[str, str]] = field(default_factory=list)
    #: (unit, addresses) of 催报 to a unit whose every address a bounce of the month's mail said did not
    #: take it, while the bounce stands (`office_copies.standing_bounces`): bounced again, not sent
    bounced: list[tuple[str, str]] = field(default_factory=list)
    #: 反馈 about a file the office said was not its unit's (`sender --not-theirs`): no unit's return,
    #: so no reply to send; told, not sent (QA360's note)
    disowned: list[str] = field(default_factory=list)
    #: with no draft live: the month's earlier ones, (unit, what became of it: 已发送 or why it was
    #: withdrawn); "没有反馈邮件草稿" was said of a month whose reply went, or was withdrawn (QA371)
    past: list[tuple[str, str]] = field(default_factory=list)
    #: 反馈: a neighbouring month's replies not yet sent — the current month's or the one before
    #: (`also_unsent`): Enter on 4-发送邮件 → 2 offers one month, a refused early return's reply is
    #: the other's (QA360's note); said, not sent
    also: list[Also] = field(default_factory=list)
    #: `--renew`: the replies written again today, (unit, the date each now asks by), and those
    #: held back still, (unit, why) (`reply_renew.renew`)
    renewed: list[tuple[str, dt.date]] = field(default_factory=list)
    not_renewed: list[tuple[str, str]] = field(default_factory=list)
    #: `--renew --dry-run`: the replies it would write again, (unit, the date each would ask by);
    #: nothing written, said as a dry run (`renew_lines`)
    would_renew: list[tuple[str, dt.date]] = field(default_factory=list)

    @property
    def held(self) -> bool:
        """Whether drafts are held back for the office to write again, or its 邮箱 to check (exit 1)."""
        return bool(self.passed or self.superseded or self.passed_too or self.bounced)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def renew_lines(self, asked: bool = False) -> list[str]:
        """`--renew --dry-run`: the replies a real run would write again, said as what the dry run
        did not do (`would_renew`), each with the date it asked by and the one it would ask by.
        ``asked``: `--renewable` (no dry run was asked for, but nothing is written either)."""
        if not self.would_renew:
            return []
        dry, how = ("", "运行") if asked else ("演练：", "不加 --dry-run 运行")
        was = dict(self.passed) | self.passed_too
        shown = units_text([f"{u}（原为{cn_date(was[u])}前，重新生成后为{cn_date(d)}前）" if u in was
                            else f"{u}（重新生成后为{cn_date(d)}前）" for u, d in self.would_renew])
        return [f"{dry}要求重新报送的日期已过的反馈草稿 {len(self.would_renew)} 封，没有重新生成：{shown}。"
                f"{how} duban mail send feedback{self.month} --renew 时，按今天重新生成反馈邮件和标出"
                "错误的表格（改报日期从今天起算，是否按时改报按新的日期判断）后发送。"]

    def lines(self) -> list[str]:
        if not self.unset:
            return self._listed()
        # a dry run without the sending settings: what would go, then what a real send lacks
        return [*self._listed(), "演练：没有连接发信服务器，没有发送任何邮件。", self.unset]

    def _listed(self) -> list[str]:
        out = []
        if self.plain:
            out.append("注意：[mail] 设置为不加密连接（security = \"plain\"），密码和邮件以明文传送。")
        if not self.total and not self.owed:
            return [*out, f"{self.period.label}所有单位都已报送并采纳，无需催报。"]
        if not self.total:
            # collect writes a reply only to a unit whose file was refused: after a collect that
            # took every file, "run duban collect" sent the office round to do it again
            why = "反馈邮件只写给报送被退回或无法读取的单位；还没有收取的，" if self.kind == "feedback" else ""
            # collect's --period is the month it takes returns for, not where replies are
            make = MAKE[self.kind] + (self.month if self.kind != "feedback" else "") + CLICK[self.kind]
            if self.past:
                went = [u for u, what in self.past if what == SENT_WORD]
                gone = [f"{u}：{what}" for u, what in self.past if what != SENT_WORD]
                said = [f"已发送 {len(went)} 封（{units_text(went)}）"] * bool(went) + [
                    f"已作废 {len(gone)} 封（{units_text(gone)}）"] * bool(gone)
                return [*out, f"{self.period.label}没有待发送的{self.label}邮件草稿：{'；'.join(said)}。"
                              f"如需新的{self.label}邮件，请运行 {make}。", *self.also_lines()]
            return [*out, f"{self.period.label} 没有{self.label}邮件草稿。{why}请先运行 {make}。", *self.also_lines()]
        if self.renewed:
            shown = units_text([f"{u}（请于{cn_date(d)}前重新报送）" for u, d in self.renewed])
            out.append(f"要求重新报送的日期已过的反馈草稿，已按今天重新生成 {len(self.renewed)} 封：{shown}。")
        out.extend(self.renew_lines())
        if self.confirmed:
            out.append(f"上次中断时正在发送的 {len(self.confirmed)} 封已在“已发送”中找到，记为已发送："
                       f"{units_text(self.confirmed)}。")
        if self.drafts:
            size = sum(len(o.eml) for o in self.drafts)
            via = f"，发件人 {self.sender}，经{self.server}" if not self.unset else ""
            out.append(f"{self.period.label} {self.label}邮件：待发送 {len(self.drafts)} 封"
                       f"（共 {size_text(size)}）{via}。")
            for o in self.drafts:
                files = "；".join(f"{n}（{size_text(s)}）" for n, s in o.attachments) or "无附件"
                note = "（再次发送）" if o.repeat else "（补发给上次没有收到的地址）" if o.again else ""
                note += "（按单位名录现在的邮箱）" if o.header_to is not None else ""
                note += "（收件人为草稿中填写的）" if o.typed else ""
                out.append(f"  {o.unit}{o.chased} → {_addresses(o.to)}；{files}{note}")
        if self.sent_before:
            out.append(f"已发送过的 {len(self.sent_before)} 封不再发送：{units_text(self.sent_before)}。")
        again = f"再次运行 duban mail send {self.kind}{self.month}"
        if self.no_recipient:
            fresh = all(u not in self.passed_too for u in self.no_recipient)
            out.append(f"没有收件人、不发送的 {len(self.no_recipient)} 封：{units_text(self.no_recipient)}。"
                       f"请在任务分工表“单位名录”的邮箱列填写后{again}" + ("，草稿不必重新生成。" if fresh else "。"))
        if self.bad_address:
            shown = "；".join(f"{u} 的邮箱“{cell}”{why}" for u, cell, why in self.bad_address[:10])
            out.append(f"单位名录中的邮箱有误、不发送的 {len(self.bad_address)} 封：{shown}。"
                       f"请在任务分工表“单位名录”的邮箱列改正后{again}。")
        if self.passed_too:
            out.append(passed_line(self.kind, self.month, list(self.passed_too.items()), unaddressed=True))
        if self.superseded:
            out.extend(superseded_lines(self.superseded, self.month))
        if self.bounced:
            out.append(bounced_line(self.bounced, self.month))
        if self.disowned:
            undo = "；".join(command(self.period, u, "--undo") for u in dict.fromkeys(self.disowned))
            out.append(f"核实为不是该单位报送的文件，其反馈邮件不发送 {len(self.disowned)} 封："
                       f"{units_text(self.disowned)}。如核实有误，请运行 {undo} 撤销核实结果后再发送。")
        if self.missing:
            out.append(f"草稿文件已被删除、不发送的 {len(self.missing)} 封：{units_text(self.missing)}。"
                       + remake(self.kind, self.month, self.missing))
        if self.unsure:
            out.append(unsure_line(self.unsure, self.kind, self.month, self.doubt))
        # `--renew` just ran (or its dry run): said why each is held back still, or that it would
        # be written again (`renew_lines`), not told to run --renew
        kept = dict(self.not_renewed)
        would = {u for u, _ in self.would_renew}
        if passed := [(u, d) for u, d in self.passed if u not in kept and u not in would]:
            out.append(passed_line(self.kind, self.month, passed))
        if self.not_renewed:
            why = "；".join(f"{u}：{why}" for u, why in kept.items())
            out.append(f"以下反馈草稿没有重新生成，仍不发送：{why}。")
        if self.notes and self.drafts:
            out.extend(self.notes)
            out.append(f"以上催报邮件中可能有发给已报送单位的：请先核实，收取登记后（已报送单位的草稿即撤回）"
                       f"再运行 duban mail send remind{self.month}。")
        if not (self.drafts or self.unsure or self.no_recipient or self.bad_address or self.missing or self.held
                or self.disowned):
            out.append(f"{self.period.label} 的{self.label}邮件都已发送过，没有要发送的。")
        return out + self.also_lines()

    def also_lines(self) -> list[str]:
        """The neighbouring months' replies not yet sent (`also`), each with the command that sends
        them: `--renew` for those whose date passed, the dry run that says why for the others."""
        out = []
        for a in self.also:
            p, click = a.period, f"（双击“4-发送邮件”选 2 反馈时输入 {a.period}"
            if a.send:
                out.append(f"另有{p.label}的反馈邮件 {a.send} 封尚未发送：请运行 duban mail send feedback --period {p}"
                           f"{click}）。")
            if a.renew:
                out.append(f"另有{p.label}要求重新报送的日期已过、不会发送的反馈邮件 {len(a.renew)} 封："
                           f"{units_text(a.renew)}。如这些单位仍未改报，请运行 duban mail send feedback --period {p} "
                           f"--renew，按今天重新生成反馈邮件后发送{click}，再按提示重新生成）。")
            if a.unaddressed:
                out.append(f"另有{p.label}的反馈邮件 {len(a.unaddressed)} 封尚未发送、单位名录中没有可用的邮箱："
                           f"{units_text(a.unaddressed)}。请在任务分工表“单位名录”的邮箱列填写或改正后运行 "
                           f"duban mail send feedback --period {p}{click}）。")
            if a.held:
                out.append(f"另有{p.label}暂不能发送的反馈邮件 {len(a.held)} 封：{units_text(a.held)}。原因请运行 "
                           f"duban mail send feedback --period {p} --dry-run 查看。")
        return out


def also_unsent(ws: Workspace, ledger: Ledger, records: MailRecords, directory: Directory, period: Period,
                disowned: frozenset[int]) -> list[Also]:
    """Of the current month and the one before, each but ``period`` with 反馈 drafts live and not
    sent to every address (nor in doubt): `SendPlan.also`, sorted as `mail send feedback --period`
    would sort them (`_sort`). A reply refused for some address is still to send; one whose file was
    deleted or whose date passed is not sent by that command, nor named as if it were (QA364).
    ``disowned``: the files said not their unit's (`disowned_files`), whose replies are never sent
    (`SendPlan.disowned`): none to name (QA363)."""
    from .reply_renew import held  # deferred: reply_renew imports this module

    current = ws.period()
    out = []
    for p in dict.fromkeys((current.shift(-1), current)):
        if p == period:
            continue
        waiting = [d for d in ledger.drafts("feedback", p) if not reply_held(ledger, d.receipt_id, d.unit, disowned)
                   and ((row := records.sent(draft_message_id(d))) is None or (row.state == SENT and row.refused))]
        if not waiting:  # read no further: most months have none, and sorting reads the month
            continue
        other, cons = SendPlan("feedback", p, "", ""), consolidate(ws, p, tasks=False)
        _sort(ws, ledger, records, directory, other, waiting, set(), cons, disowned)
        renew = [d.unit for d, _ in held(ws, ledger, cons, p)[0]]
        # written again by --renew, a reply without an address is still without: said with the date
        unaddressed = [u for u in [*other.no_recipient, *(u for u, _, _ in other.bad_address)] if u not in renew]
        stuck = [u for u in dict.fromkeys([*other.missing, *(u for u, _ in other.passed)]) if u not in renew]
        if other.drafts or renew or unaddressed or stuck:
            out.append(Also(p, len(other.drafts), renew, unaddressed, stuck))
    return out


def plan_send(ws: Workspace, kind: str, period: Period | None = None, resend: Iterable[str] = (),
              dry_run: bool = False, renew: bool = False) -> SendPlan:
    """The live drafts of ``kind`` for the period, sorted into: to send, sent before, without
    recipient, file deleted, and unsure (interrupted while sending). ``resend``: units whose
    mail goes once more, under a new Message-ID, sent or unsure before or not (a send to the
    addresses a mail missed, stopped in doubt, goes to those again under its own). A ``dry_run``
    lists them without the [mail] settings sending needs (`SendPlan.unset` says what is missing).
    ``renew``: the 反馈 drafts whose date has passed are written again today first (`reply_renew`);
    a dry run writes nothing and says which it would write (`SendPlan.would_renew`)."""
    if kind not in DRAFT_KINDS:
        raise UsageError(f"不认识的邮件类别“{kind}”：可选 issue（下发）、feedback（反馈）、remind（催报）。")
    if renew and kind != "feedback":
        raise UsageError("--renew 只用于反馈邮件（duban mail send feedback --renew）。催报草稿请运行 duban remind "
                         "按今天重新生成。")
    mail, unset, sender, server = ws.settings.mail, "", ("", ""), ""
    try:
        require_smtp(ws)
        sender, server = sender_of(ws), str(smtp_endpoint(mail))
    except BadConfig as exc:
        if not dry_run:
            raise
        unset = exc.message
    period = ws.period(period)
    plan = SendPlan(kind, period, sender[1], server, plain=mail.security == "plain" and not unset,
                    month=f" --period {period}" if period != ws.period() else "", asked=tuple(resend), unset=unset)
    directory = ws.load_master().directory
    if renew:
        from .reply_renew import renew as renew_replies  # deferred: writing a reply is openpyxl's

        # a dry run writes nothing: what --renew would write, said as such (`renew_lines`)
        renewed = renew_replies(ws, period, dry_run=dry_run)
        if dry_run:
            plan.would_renew = renewed.written
        else:
            plan.renewed = renewed.written
        plan.not_renewed = renewed.kept
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        drafts = ledger.drafts(kind, period)
        plan.total = len(drafts)
        if not drafts and kind != "issue":
            for d in ledger.drafts(kind, period, live_only=False):
                row = records.sent(draft_message_id(d))
                plan.past.append((d.unit, SENT_WORD if row is not None and row.state == SENT
                                  else d.obsolete_reason or "已作废"))
        named = _named(directory, resend, drafts, plan)
        # a 催报 or 反馈 asks by a date, which may have passed since it was written
        cons = consolidate(ws, period, tasks=False) if kind != "issue" and drafts else None
        # a reply about such a file told its registered unit (or its sender) that "its" return was refused
        disowned = disowned_files(ledger.conn) if kind == "feedback" else frozenset()
        interrupted = _sort(ws, ledger, records, directory, plan, drafts, named, cons, disowned)
        if interrupted:
            _settle_interrupted(ws, records, interrupted, plan)
        if kind == "feedback":
            plan.also = also_unsent(ws, ledger, records, directory, period, disowned)
        unfetched = (fetch_note(ws, records, returns_from(ledger, period, ws.tz))
                     if kind == "remind" and plan.drafts else "")
    if kind == "remind" and plan.drafts:
        plan.notes = [unfetched] * bool(unfetched) + chase_notes(cons or consolidate(ws, period, tasks=False))
    elif kind == "remind" and not plan.total:  # a month not issued has every unit 未报送: remind says it
        plan.owed = any(u.state in (UnitState.NOT_REPORTED, UnitState.TO_FIX)
                        for u in consolidate(ws, period, tasks=False).units)
    return plan


def _sort(ws: Workspace, ledger: Ledger, records: MailRecords, directory: Directory, plan: SendPlan,
          drafts: list[Draft], named: set[str], cons, disowned: frozenset[int]) -> list[tuple[Draft, object]]:
    """Sort the ``drafts`` into ``plan`` (see `plan_send`); the mails a run stopped sending, (draft,
    its row), are returned for `_settle_interrupted`. ``cons``: the month's units (`consolidate`), None
    for 下发; ``disowned``: the files said not their unit's (`disowned_files`)."""
    kind, period = plan.kind, plan.period
    superseded = Superseded(ledger, cons, period, ws.root) if cons is not None and kind == "remind" else None
    bounced = {(b.unit, b.address.lower()) for b in standing_bounces(cons)} if superseded is not None else set()
    interrupted = []
    for d in drafts:
        mid = draft_message_id(d)
        row = records.sent(mid)
        named_unit = d.unit in named
        # named by --resend: a send to the addresses it missed that stopped in doubt goes
        # to those again; any other goes once more, as a new mail, whatever went before
        settle = named_unit and row is not None and row.state == SENDING and bool(row.delivered)
        went = row if settle or not named_unit else None
        if went is not None and went.state == SENDING and not settle:
            interrupted.append((d, went))
            continue
        if went is not None and went.state == SENT and not went.refused:
            plan.sent_before.append(d.unit)
            continue
        if reply_held(ledger, d.receipt_id, d.unit, disowned):  # not the reply to the unit it named (QA405)
            plan.disowned.append(d.unit)
            continue
        names = directory.names_of(d.unit)
        if superseded is not None and (why := superseded.why(d, names)):
            plan.superseded.append((d.unit, why))  # the wrong letter, whatever its date or address
            continue
        passed = passed_date(ws, ledger, cons, d) if cons is not None else None
        path = ws.root / d.path
        try:
            eml = path.read_bytes()
        except OSError:
            if passed:  # written again, it is written whole: the date is what to say
                plan.passed.append((d.unit, passed))
            else:
                plan.missing.append(d.unit)
            continue
        pairs, (header_to, header_cc), cell, typed, to_sender = _recipients(ws, ledger, directory, d, eml)
        if not pairs:
            # a cell holding something like an address says what is wrong with it; an
            # empty one, 无 or a telephone number is one to fill in: said first, whatever
            # the draft's date (`SendPlan.passed_too`), as no date written again mends it
            why = address_problem(cell) if "@" in cell or "＠" in cell else ""
            if why:
                plan.bad_address.append((d.unit, cell, why))
            else:
                plan.no_recipient.append(d.unit)
            if passed:
                plan.passed_too[d.unit] = passed
            continue
        if passed:
            plan.passed.append((d.unit, passed))
            continue
        if bounced and not named_unit and all(((directory.resolve(d.unit) or d.unit), a.lower()) in bounced
                                              for _, a in pairs):  # --resend: the office found the 邮箱 right
            plan.bounced.append((d.unit, "，".join(a for _, a in pairs)))
            continue
        again = went is not None and went.state in (SENT, SENDING)  # refused (or in doubt) for some addresses
        if again:
            pairs = [p for p in pairs if not went.reached(p[1])]
            if not pairs:
                plan.sent_before.append(d.unit)
                continue
        # "（再次发送）" for a unit that had this mail before: named by --resend, or left
        # under a new Message-ID by a --resend that stopped before it (`drafts.renumber`)
        same = same_mail(ws, ledger, kind, period, d.unit, d.receipt_id, names)
        repeat = not again and ((named_unit and row is not None and row.state in (SENT, SENDING))
                                or same not in (None, mid))
        attachments = [(a.name, len(a.data)) for a in parse_mail(eml).attachments]
        # chased on an earlier day, as remind's list says it (a reminder today is this mail)
        chased = (reminded_note(reminded_before(ws, ledger, period, d.unit, names), ws.now().date())
                  if kind == "remind" else "")
        plan.drafts.append(Outgoing(d, path, eml, pairs, [a for _, a in pairs], attachments, header_to,
                                    again=again, resend=named_unit and not settle, settle=settle,
                                    repeat=repeat, typed=typed, to_sender=to_sender, chased=chased,
                                    header_cc=header_cc))
    return interrupted


#: ``--resend 全部``: every unit's draft of the kind goes once more (forms issued again to all
#: after a task's text was corrected: one word, not fifty-four --resend)
EVERY_UNIT = ("全部", "所有单位")


def _named(directory: Directory, resend: Iterable[str], drafts: list[Draft], plan: SendPlan) -> set[str]:
    """The draft units ``resend`` names (as written, an alias, or the 名录's name), read as
    `issue --dept` reads them."""
    by_unit = {directory.resolve(d.unit) or d.unit: d.unit for d in drafts}
    if any(name.strip() in EVERY_UNIT for name in resend):  # forms corrected for everyone, mailed again
        return set(by_unit.values())
    named = set()
    for name in resend:
        unit = directory.resolve(name) or directory.find_in(name) or name
        if unit not in by_unit:
            raise UsageError(f"{plan.period.label}没有“{name}”的{plan.label}邮件草稿，无法再次发送。"
                             f"请核对单位名称（duban mail send {plan.kind}{plan.month} 会列出各单位的草稿）。")
        named.add(by_unit[unit])
    return named


def _settle_interrupted(ws: Workspace, records: MailRecords, interrupted: list, plan: SendPlan) -> None:
    """A message a run stopped sending: found in Sent -> sent, else unsure. One sent before to
    other addresses is in Sent already whatever became of the last attempt: it stays unsure."""
    first = [draft_message_id(d) for d, row in interrupted if not row.delivered]
    found = _found_in_sent(ws, first) if first else set()
    for d, row in interrupted:
        mid = draft_message_id(d)
        if mid in found:
            # sent when it was handed over, not when found: a day-1 reminder confirmed on day 2
            # is day 1's (`drafts.same_mail`: a reminder made again on day 2 is the next one)
            records.mark_sent(mid, row.started_at)
            records.mark_copy(mid, "已发送文件夹中已有")
            plan.confirmed.append(d.unit)
        else:
            plan.unsure.append(d.unit)
            if row.delivered:  # the unit has it: in doubt for the addresses of the last attempt
                plan.doubt[d.unit] = [a for a in row.recipients if not row.reached(a) and a not in row.refused]


def _recipients(ws: Workspace, ledger: Ledger, directory: Directory, d: Draft, eml: bytes
                ) -> tuple[list[Pair], tuple[str | None, str | None], str, bool, frozenset[str]]:
    """`_addressed`, without MAILER-DAEMON@, postmaster@ and no-reply@ (`mail_auto.robot_address`): a
    reply written To a bounce's or a notice's sender is read by no one (the server refuses it, 550)
    and the unit it was meant for never hears of it (QA373); the others it was written to get it,
    and a mail left with nobody is said as one without 邮箱 is. Here, where every send and count
    (`also_unsent`) reads its recipients, not after the plan was made."""
    pairs, (header_to, header_cc), cell, typed, sender = _addressed(ws, ledger, directory, d, eml)
    robots = {a.lower() for _, a in pairs if robot_address(a)}
    if not robots:
        return pairs, (header_to, header_cc), cell, typed, sender
    pairs = [p for p in pairs if p[1].lower() not in robots]
    if header_to is None:  # the draft's own To and Cc, written again without them
        header_to, header_cc = (format_addresses(pairs) if pairs else None), None
    else:
        to = [p for p in parse_addresses(header_to)[0] if p[1].lower() not in robots]
        cc = [p for p in parse_addresses(header_cc or "")[0] if p[1].lower() not in robots]
        to, cc = (to, cc) if to else (cc, [])
        header_to, header_cc = format_addresses(to) if to else None, format_addresses(cc) if cc else None
    return pairs, (header_to, header_cc), cell, typed, sender


def _addressed(ws: Workspace, ledger: Ledger, directory: Directory, d: Draft, eml: bytes
               ) -> tuple[list[Pair], tuple[str | None, str | None], str, bool, frozenset[str]]:
    """(recipients, the To: and Cc: headers to send when they are not the draft's, the 单位名录
    cell, whether the office wrote them in the draft, those that are the return's sender's): the
    unit's 邮箱 now for a draft addressed from the 单位名录 (see the module doc), else the draft's
    own. A reply to its return's sender goes to that sender, Cc the 单位名录's 邮箱 as it is now:
    the address written in the Cc, refused and told "请核对单位名录中的邮箱", was corrected there
    and refused again, however often the office sent it."""
    own = header_pairs(eml)
    if hand_addressed(d, eml):
        return own, (None, None), "", True, frozenset()
    entry = directory.get(d.unit)
    if entry is None:
        return own, (None, None), "", False, frozenset()  # a unit gone from the 名录 (merged)
    pairs = unique_pairs(parse_addresses(entry.email)[0])
    sender = _return_sender(ws, ledger, d, own) if d.kind == "feedback" else None
    if sender is not None:  # to the return's sender, Cc the 名录
        to = [p for p in own if p[1].lower() in sender]
        cc = [p for p in pairs if p[1].lower() not in sender]
        if not to or {a.lower() for _, a in cc} == {a.lower() for _, a in own if a.lower() not in sender}:
            return own, (None, None), "", False, sender
        return to + cc, (format_addresses(to), format_addresses(cc) if cc else None), "", False, sender
    if [a.lower() for _, a in pairs] == [a.lower() for _, a in own]:
        return own, (None, None), entry.email, False, frozenset()
    return pairs, (format_addresses(pairs) if pairs else None, None), entry.email, False, frozenset()


def _return_sender(ws: Workspace, ledger: Ledger, d: Draft, own: list[Pair]) -> frozenset[str] | None:
    """The addresses (lower case) of the sender of the return a reply answers, which
    `feedback.write_feedback` wrote it To; None for a reply addressed from the 单位名录 (the
    return came with no sender)."""
    rec = ledger.get(d.receipt_id) if d.receipt_id is not None else None
    if rec is None:  # its receipt gone: the draft's own, whoever they are
        return frozenset() if own else None
    sent_from = parse_addresses(owed.sender_of(ws, ledger, rec))[0]
    return frozenset(a.lower() for _, a in sent_from) if sent_from else None


def cancelled_line(ws: Workspace, plan: SendPlan) -> str:
    """"已取消：…" for a send stopped by the user (Ctrl-C, a closed console), from the ledger:
    which of the plan's mails went, which did not, and the one the server may have had when
    the stop came. A bare 已取消。 left the office not knowing which departments have their
    form (QA161)."""
    # the month named when it is not the workspace's: else the advice sends the current month's
    month = f" --period {plan.period}" if plan.period != ws.period() else ""
    if any(o.resend for o in plan.drafts):  # stopped before `drafts.renumber`: nothing went
        return (f"已取消：没有发送任何邮件。如需再次发送，请重新运行 duban mail send {plan.kind}{month}"
                f"{options('--resend', list(plan.asked))}。")
    sent, unsure, left = [], [], []
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        records = MailRecords(ledger.conn)
        for o in plan.drafts:
            row = records.sent(o.message_id)
            if row is None:
                left.append(o.unit)
            elif row.state == SENDING:
                unsure.append(f"{o.unit}（发给 {'，'.join(o.recipients)} 的）" if o.again else o.unit)
            elif row.state == SENT and all(row.reached(a) for a in o.recipients):
                sent.append(o.unit)
            else:
                left.append(o.unit)
    line = f"已取消：本次已发送{plan.period.label}{plan.label}邮件 {len(sent)} 封"
    line += f"（{units_text(sent)}）" if sent else ""
    line += f"，未发送 {len(left)} 封" + (f"（{units_text(left)}）" if left else "")
    if unsure:
        line += f"；{units_text(unsure)} 的邮件在传送时被取消，可能已发出，下次发送时会核对，不会自动重发"
    return line + f"。再次运行 duban mail send {plan.kind}{month} 会接着发送未发出的，已发出的不会重发。"


def _found_in_sent(ws: Workspace, message_ids: list[str]) -> set[str]:
    """Message-IDs present in the Sent folder (empty when IMAP is not set up or unreachable:
    the messages then stay "unsure", which is the safe side)."""
    if not ws.settings.mail.imap_host:
        return set()
    try:
        with Imap.open(ws, get_password(ws.settings.mail)) as imap:
            folder = imap.sent_folder(create=False)
            if folder is None:
                return set()
            imap.select(folder, readonly=True)
            return {m for m in message_ids if imap.has_message_id(m)}
    except MailboxError as exc:
        log.warning("核对“已发送”失败：%s", exc.message)
        return set()


def sender_of(ws: Workspace) -> tuple[str, str]:
    """(From: header, envelope address) from ``from`` (else ``sender``, else ``user``)."""
    name, addr = email.utils.parseaddr(ws.settings.mail.from_address)
    if "@" not in addr:
        raise BadConfig("duban.toml 的 [mail] 中没有发信地址。请加一行 from = \"dbb@xxx.gov.cn\"（单位邮箱地址）。")
    return format_addresses([(decode_words(name), addr)]), addr


def draft_message_id(d: Draft) -> str:
    """The draft's recorded Message-ID, the idempotency key (a draft recorded without one
    gets a stable one from its ledger id and hash)."""
    return d.message_id or f"<duban-draft-{d.id}-{d.sha256[:16]}@duban.invalid>"


def office_now(ws: Workspace) -> dt.datetime:
    """The office's time to the second: what the ledger's send times and a mail's Date say."""
    return ws.now().replace(microsecond=0)


def _addresses(pairs: list[Pair]) -> str:
    """The recipients as the confirmation screen shows them (a Chinese domain in Unicode)."""
    return "，".join(f"{n} <{shown_address(a)}>" if n else shown_address(a) for n, a in pairs)


def size_text(n: int) -> str:
    """A mail's or an attachment's size as the screen says it (KB, MB)."""
    if n >= 1048576:
        return f"{n / 1048576:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"
