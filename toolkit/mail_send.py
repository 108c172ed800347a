"""`duban mail send issue|feedback|remind`: the drafts duban wrote, sent through SMTP once.

Which drafts go, and to whom, is `toolkit.mail_plan` (`plan_send`). The idempotency key is
the draft's Message-ID (recorded in the ledger when the draft was written, kept in the
message sent; a draft made again for a unit whose mail went out keeps that mail's,
`drafts.same_mail`). One SMTP transaction per draft, done step by step so that only one
step can leave doubt:

1. ``MAIL FROM`` (with ``SIZE=``, so an oversized message is refused before its data goes)
   and one ``RCPT TO`` per recipient. A refused recipient is noted; the others still get
   the message. Nothing can be delivered yet, so a failure here (even a dropped connection)
   leaves nothing to doubt: the draft stays unsent and the next run sends it.
2. A ``sending`` row is committed in the ledger, *then* ``DATA`` goes out.
3. On the server's 250 the row becomes ``sent`` (committed), the addresses it reached
   recorded (``delivered``), then a copy is saved in the mailbox's Sent folder over IMAP
   (when ``imap_host`` is set), as a desktop client does.

A recipient refused while others took the message (a 450 greylisting, a 550) is not
delivered: the next run sends the message, under the same Message-ID, to the unit's
addresses it has not reached, and to no other.

A row left in ``sending`` means the run stopped (killed, connection dropped) while the server
had the data: the message may or may not have gone out. It is **never resent blindly**. The
next run looks for its Message-ID in the Sent folder (servers such as Coremail keep a copy of
what is submitted; duban's own copy is made right after step 3): found -> recorded as sent;
not found -> listed as "可能已发送，请核对". Resending it would risk a department receiving
the same return twice; to send it after all, the coordinator runs ``duban mail send <kind>
--resend <单位>``, which sends the unit's draft under a new Message-ID (`drafts.renumber`),
or, for a message that had reached the unit's other addresses before, sends it again under
its own to the addresses in doubt. Every draft ``--resend`` names gets its new Message-ID
before the first message goes: a run stopped half-way leaves the rest unsent, not "sent"
under the old mail's Message-ID, and the next run sends them.

``send_per_minute`` is kept between the starts of two messages; the clock is injectable
(`Clock`) so tests need not wait.
"""

from __future__ import annotations

import email.utils
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .addresses import shown_address
from .drafts import renumber
from .ledger import Ledger
from .ledger.mail_records import SENDING, SENT, MailRecords
from .logs import log
from .mail_plan import (
    KIND_LABELS,
    Outgoing,
    SendPlan,
    cancelled_line,
    draft_message_id,
    office_now,
    plan_send,
    sender_of,
    size_text,
    units_text,
    unsure_line,
)
from .mailbox import Imap, MailboxError, Password, close_smtp, get_password, open_smtp, require_smtp, smtp_endpoint
from .period import Period
from .progress import Progress, no_progress
from .workspace import Workspace

__all__ = ["CLOCK", "Clock", "Outgoing", "SendPlan", "SendResult", "cancelled_line", "draft_message_id",
           "outgoing_bytes", "plan_send", "send"]


@dataclass
class Clock:
    """Time as `send` sees it: replaced in tests so a month of mail is not a real wait."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


CLOCK = Clock()


# ---------------------------------------------------------------------------
# sending


@dataclass
class SendResult:
    """What `send` did; ``failed`` counts everything that did not go as planned (exit 1)."""

    kind: str
    period: Period
    server: str
    user: str
    dry_run: bool = False
    planned: int = 0
    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str, str]] = field(default_factory=list)   # unit, address, why
    failures: list[tuple[str, str]] = field(default_factory=list)       # unit, why
    unsure: list[str] = field(default_factory=list)
    doubt: dict[str, list[str]] = field(default_factory=dict)           # unsure unit → addresses in doubt
    typed: list[str] = field(default_factory=list)  # units refused an address the office wrote in the draft
    not_sent: list[str] = field(default_factory=list)                   # after the connection dropped
    dropped: str = ""
    copies: int = 0
    copy_folder: str = ""
    copy_problem: str = ""
    too_big: list[tuple[str, str]] = field(default_factory=list)        # dry run: unit, why
    month: str = ""  # " --period 2022-05" when not the workspace's current period (`SendPlan.month`)

    @property
    def failed(self) -> int:
        return len(self.refused) + len(self.failures) + len(self.unsure) + len(self.not_sent) + len(self.too_big)

    def lines(self) -> list[str]:
        label = KIND_LABELS[self.kind]
        if self.dry_run:
            out = [f"演练：已连接并登录{self.server}（账号 {self.user}），没有发送任何邮件。"]
            for unit, why in self.too_big:
                out.append(f"  {unit}：{why}")
            out.append(f"去掉 --dry-run 再运行即可发送 {self.planned} 封{label}邮件。")
            return out
        # the month before the count: "已发送 16 封2012年6月下发邮件（共 16 封）" ran the number into it (QA371)
        of = f"（共 {self.planned} 封）" if self.planned != len(self.sent) else ""
        out = [f"已发送{self.period.label}{label}邮件 {len(self.sent)} 封{of}。"]
        if self.copies:
            out.append(f"已在邮箱的“{self.copy_folder}”中保存副本 {self.copies} 封。")
        if self.copy_problem:
            out.append(f"已发出的邮件没有保存副本：{self.copy_problem}")
        if self.refused:
            out.append("以下收件人被拒收（同一封邮件的其他收件人已收到）：")
            out.extend(f"  {unit} {shown_address(addr)}：{why}" for unit, addr, why in self.refused)
        if self.failures:
            out.append("以下邮件没有发出：")
            out.extend(f"  {unit}：{why}" for unit, why in self.failures)
        if self.typed:
            out.append(f"{units_text(self.typed)} 的收件人是草稿中填写的：请在草稿中改正；"
                       "或删去草稿中的收件人，改按单位名录中的邮箱发送。")
        if self.dropped:
            out.append(self.dropped)
        if self.unsure:
            out.append(unsure_line(self.unsure, self.kind, self.month, self.doubt))
        if self.failures or self.refused:
            # true of a corrected address too: `mail send` reads the 单位名录 when it sends
            out.append(f"改正后再次运行 duban mail send {self.kind}{self.month} 会补发没有发出的邮件，"
                       "已发出的不会重发。")
        return out


class _Dropped(Exception):
    """The connection failed; ``unsure`` when it happened while the server had the data."""

    def __init__(self, unsure: bool, detail: str):
        super().__init__(detail)
        self.unsure = unsure


def send(ws: Workspace, plan: SendPlan, dry_run: bool = False, progress: Progress = no_progress,
         clock: Clock | None = None) -> SendResult:
    """Send the plan's drafts (see the module doc); ``dry_run`` connects, logs in, and checks
    sizes against the server's limit without sending."""
    clock = clock or CLOCK
    mail = require_smtp(ws)
    password = get_password(mail)
    result = SendResult(plan.kind, plan.period, plan.server, mail.user, dry_run=dry_run, planned=len(plan.drafts),
                        month=plan.month)
    smtp = open_smtp(ws, password)
    try:
        if dry_run:
            limit = _size_limit(smtp)
            for o in plan.drafts:
                if limit and len(o.eml) > limit:
                    result.too_big.append((o.unit, _too_big_text(len(o.eml), limit)))
            return result
        _send_all(ws, plan, smtp, password, result, progress, clock)
    finally:
        close_smtp(smtp)
    log.info("发送%s邮件：已发 %d 封，未发 %d 封，拒收 %d 个，待核对 %d 封", plan.label, len(result.sent),
             len(result.failures) + len(result.not_sent), len(result.refused), len(result.unsure))
    return result


def _send_all(ws: Workspace, plan: SendPlan, smtp: smtplib.SMTP, password: Password, result: SendResult,
              progress: Progress, clock: Clock) -> None:
    mail = ws.settings.mail
    from_header, envelope_from = sender_of(ws)
    interval = 60.0 / mail.send_per_minute
    imap, sent_folder = _open_copies(ws, password, result)
    result.copy_folder = sent_folder or ""
    last: float | None = None
    try:
        with Ledger(ws.ledger_path) as ledger:
            records = MailRecords(ledger.conn)
            todo = list(plan.drafts)
            # the office's word, kept until done: every mail --resend names is a mail of its own
            # (`drafts.renumber`) before the first goes, so a run stopped half-way leaves the
            # rest unsent under their new Message-IDs, which the next run sends
            named = [o for o in todo if o.resend]
            if named:
                domain = envelope_from.rsplit("@", 1)[1]
                for o, (d, eml) in zip(named, renumber(ws, ledger, [(o.draft, o.eml) for o in named], domain)):
                    o.draft, o.eml, o.resend = d, eml, False
            for n, o in enumerate(progress(todo, "发送邮件")):
                row = records.sent(o.message_id)
                if row is not None and ((row.state == SENDING and not o.settle) or (  # another run got to it
                        row.state == SENT and all(row.reached(a) for a in o.recipients))):
                    continue
                data = outgoing_bytes(o.eml, from_header=from_header, message_id=o.message_id,
                                      date=email.utils.format_datetime(office_now(ws)), to=o.header_to,
                                      cc=o.header_cc)
                # the interval is kept between the transactions' starts, as the server sees
                # them: timed before the message was built, a slow build of one message
                # (a loaded machine) brought the next one closer than the interval
                if last is not None:
                    wait = last + interval - clock.now()
                    if wait > 0:
                        clock.sleep(wait)
                last = clock.now()
                try:
                    delivered = _transaction(smtp, records, plan, o, envelope_from, data, result, ws)
                except _Dropped as exc:
                    ep = smtp_endpoint(mail)
                    log.warning("发送 %s 时连接中断：%s", o.unit, exc)
                    if exc.unsure:
                        result.unsure.append(o.unit)
                        if o.again:  # the unit has it: in doubt for these addresses alone
                            result.doubt[o.unit] = o.recipients
                    else:
                        result.not_sent.append(o.unit)
                    result.not_sent.extend(x.unit for x in todo[n + 1:])
                    left = len(result.not_sent)
                    result.dropped = (f"连接中断：{ep} 在发送“{o.unit}”的邮件时断开，还有 {left} 封没有发送。"
                                      f"再次运行 duban mail send {plan.kind}{plan.month} 会从中断处继续，"
                                      "已发出的不会重发。")
                    return
                if delivered and imap is not None:
                    imap, problem = _save_copy(imap, sent_folder, o, data, records, ws)
                    if problem:
                        result.copy_problem = problem
                    elif imap is not None:
                        result.copies += 1
    finally:
        if imap is not None:
            imap.close()


def _transaction(smtp: smtplib.SMTP, records: MailRecords, plan: SendPlan, o: Outgoing, envelope_from: str,
                 data: bytes, result: SendResult, ws: Workspace) -> bool:
    """One message, step by step (see the module doc); True when the server took it. A
    refusal of a message that reached other addresses before (``o.again``) is said per
    address, as one beside recipients that took it: the unit has the mail."""
    mid = o.message_id
    common = dict(message_id=mid, draft_id=o.draft.id, kind=plan.kind, period=str(plan.period), unit=o.unit,
                  recipients=o.recipients)

    def refuse(error: str, refused: dict[str, str]) -> bool:
        records.mark_failed(**common, error=error, at=office_now(ws).isoformat(), refused=refused)
        if o.again:
            result.refused.extend((o.unit, a, why) for a, why in refused.items())
        else:
            result.failures.extend((o.unit, f"收件人 {shown_address(a)} {why}") for a, why in refused.items())
        return False

    try:
        options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
        code, resp = smtp.mail(envelope_from, options)
        if code != 250:
            _rset(smtp)
            why = _reply_text(code, resp, len(data), _size_limit(smtp), sender=True)
            records.mark_failed(**common, error=f"{code} {_t(resp)}", at=office_now(ws).isoformat())
            result.failures.append((o.unit, why))
            return False
        refused: dict[str, str] = {}
        for addr in o.recipients:
            code, resp = smtp.rcpt(addr)
            if code not in (250, 251):
                refused[addr] = _reply_text(code, resp, len(data), 0, typed=o.typed,
                                            to_sender=addr.lower() in o.to_sender)
                log.warning("收件人 %s 被拒收：%s %s", addr, code, _t(resp))
        if o.typed and any("草稿" in why for why in refused.values()):  # not a 450: to correct
            result.typed.append(o.unit)
        if len(refused) == len(o.recipients):
            _rset(smtp)
            return refuse("所有收件人都被拒收", refused)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(False, str(exc)) from None
    records.begin_sending(**common, started_at=office_now(ws).isoformat(), refused=refused)
    try:
        code, resp = smtp.data(data)
    except smtplib.SMTPDataError as exc:  # DATA itself refused: nothing was taken
        code, resp = exc.smtp_code, exc.smtp_error
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(True, str(exc)) from None
    if code != 250:
        why = _reply_text(code, resp, len(data), _size_limit(smtp))
        if o.again:
            return refuse(f"{code} {_t(resp)}", {**{a: why for a in o.recipients}, **refused})
        records.mark_failed(**common, error=f"{code} {_t(resp)}", at=office_now(ws).isoformat(),
                            refused={**{a: why for a in o.recipients}, **refused})
        result.failures.append((o.unit, why))
        return False
    records.mark_sent(mid, office_now(ws).isoformat(), refused)
    result.sent.append(o.unit)
    result.refused.extend((o.unit, a, why) for a, why in refused.items())
    return True


def _open_copies(ws: Workspace, password: Password, result: SendResult) -> tuple[Imap | None, str | None]:
    """The IMAP session and Sent folder for copies; (None, None) without IMAP or on failure
    (a missing copy never stops the sending)."""
    if not ws.settings.mail.imap_host:
        return None, None
    try:
        imap = Imap.open(ws, password)
    except MailboxError as exc:
        result.copy_problem = exc.message
        return None, None
    try:
        folder = imap.sent_folder()
        assert folder is not None
        imap.select(folder, readonly=True)
    except MailboxError as exc:
        imap.close()
        result.copy_problem = exc.message
        return None, None
    return imap, folder


def _save_copy(imap: Imap, folder: str | None, o: Outgoing, data: bytes, records: MailRecords,
               ws: Workspace) -> tuple[Imap | None, str]:
    """Append the sent message to Sent unless the server already filed it there."""
    assert folder is not None
    mid = o.message_id
    try:
        if imap.has_message_id(mid):
            records.mark_copy(mid, f"{folder}（服务器已保存）")
            return imap, ""
        imap.append(folder, data, office_now(ws))
    except MailboxError as exc:
        imap.close()
        return None, exc.message
    records.mark_copy(mid, folder)
    return imap, ""


def outgoing_bytes(eml: bytes, *, from_header: str, message_id: str, date: str, to: str | None = None,
                   cc: str | None = None) -> bytes:
    """The draft as it goes out: X-Unsent, Date, From, Message-ID and Bcc replaced or removed,
    every other byte kept, CRLF line ends (as SMTP and the Sent copy want). ``to``: the
    recipients the 单位名录 gives now (`mail_plan`), in place of the draft's To and Cc, with
    ``cc`` (a reply to its return's sender, Cc the 名录's 邮箱 now)."""
    text = eml.replace(b"\r\n", b"\n")
    head, _sep, body = text.partition(b"\n\n")
    kept: list[bytes] = []
    dropping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                kept.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        dropping = name in (b"x-unsent", b"date", b"from", b"message-id", b"bcc", b"sender") or (
            to is not None and name in (b"to", b"cc"))
        if not dropping:
            kept.append(line)
    new = [f"From: {from_header}".encode(), f"Date: {date}".encode(), f"Message-ID: {message_id}".encode()]
    if to is not None:
        new.append(f"To: {to}".encode())
        if cc:
            new.append(f"Cc: {cc}".encode())
    return b"\r\n".join(new + kept) + b"\r\n\r\n" + body.replace(b"\n", b"\r\n")


def _rset(smtp: smtplib.SMTP) -> None:
    try:
        smtp.rset()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(False, str(exc)) from None


def _size_limit(smtp: smtplib.SMTP) -> int:
    try:
        return int(smtp.esmtp_features.get("size", "0") or 0)
    except ValueError:
        return 0


def _too_big_text(size: int, limit: int) -> str:
    return f"邮件 {size_text(size)}，超过发信服务器允许的 {size_text(limit)}，请压缩附件或分开发送"


def _reply_text(code: int, resp: bytes | str, size: int, limit: int, sender: bool = False, typed: bool = False,
                to_sender: bool = False) -> str:
    """A refusal in Chinese (the server's own words go to the log); ``typed``: of an address
    the office wrote in the draft, corrected there (the 单位名录's is not the one that went);
    ``to_sender``: a reply's address that sent the return, not the 单位名录's (a 名录 corrected
    would not redirect it: the draft's To is)."""
    text = _t(resp)
    if code == 552 and ("5.3.4" in text or "size" in text.lower() or sender) and limit and size > limit:
        return _too_big_text(size, limit)
    if "5.2.2" in text or "quota" in text.lower() or "full" in text.lower():
        why = "对方邮箱已满"
    elif code == 552:
        why = "邮件过大或对方邮箱已满"
    elif code in (550, 551, 553) and not sender:
        why = "收件地址不存在或被拒收，" + ("请改正草稿中填写的收件人" if typed else
                                          "该地址是报送邮件的发件人，请向该单位核实，或在草稿中改写收件人" if to_sender
                                          else "请核对单位名录中的邮箱")
    elif code in (550, 553) and sender:
        why = "发信服务器不接受这个发件地址，请核对 duban.toml [mail] 的 from"
    elif 400 <= code < 500:
        why = "服务器暂时拒收，请稍后重发"
    else:
        why = "被服务器拒收"
    return f"{why}（服务器代码 {code}）"


def _t(resp: bytes | str) -> str:
    return resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
