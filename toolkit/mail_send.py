"""`duban mail send issue|feedback|remind`: the drafts duban wrote, sent through SMTP once.

The idempotency key is the draft's Message-ID (recorded in the ledger when the draft was
written, kept in the message sent). One SMTP transaction per draft, done step by step so
that only one step can leave doubt:

1. ``MAIL FROM`` (with ``SIZE=``, so an oversized message is refused before its data goes)
   and one ``RCPT TO`` per recipient. A refused recipient is noted; the others still get
   the message. Nothing can be delivered yet, so a failure here (even a dropped connection)
   leaves nothing to doubt: the draft stays unsent and the next run sends it.
2. A ``sending`` row is committed in the ledger, *then* ``DATA`` goes out.
3. On the server's 250 the row becomes ``sent`` (committed), then a copy is saved in the
   mailbox's Sent folder over IMAP (when ``imap_host`` is set), as a desktop client does.

A row left in ``sending`` means the run stopped (killed, connection dropped) while the server
had the data: the message may or may not have gone out. It is **never resent blindly**. The
next run looks for its Message-ID in the Sent folder (servers such as Coremail keep a copy of
what is submitted; duban's own copy is made right after step 3): found -> recorded as sent;
not found -> listed as "可能已发送，请核对". Resending it would risk a department receiving
the same return twice; to send it after all, the coordinator regenerates the draft, which
gets a new Message-ID.

``send_per_minute`` is kept between the starts of two messages; the clock is injectable
(`Clock`) so tests need not wait.
"""

from __future__ import annotations

import datetime as dt
import email
import email.utils
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from .errors import BadConfig, UsageError
from .imap_parse import decode_words
from .ledger import DRAFT_KINDS, Draft, Ledger
from .ledger.mail_records import SENDING, SENT, MailRecords
from .mail import format_addresses, parse_mail
from .mailbox import (
    Imap,
    MailboxError,
    Password,
    close_smtp,
    get_password,
    open_smtp,
    require_smtp,
    smtp_endpoint,
)
from .period import Period
from .progress import Progress, no_progress
from .workspace import Workspace

log = logging.getLogger("duban")

KIND_LABELS = {"issue": "下发", "feedback": "反馈", "remind": "催报"}
#: How the coordinator makes a kind's drafts again.
REMAKE = {"issue": "duban issue --emails", "feedback": "duban collect", "remind": "duban remind"}


@dataclass
class Clock:
    """Time as `send` sees it: replaced in tests so a month of mail is not a real wait."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


CLOCK = Clock()


# ---------------------------------------------------------------------------
# the plan


@dataclass
class Outgoing:
    """One draft to send."""

    draft: Draft
    path: Path
    eml: bytes
    to: list[tuple[str, str]]              # (display name, address) for the screen
    recipients: list[str]                  # envelope addresses, To + Cc + Bcc
    attachments: list[tuple[str, int]]     # (name, bytes)

    @property
    def unit(self) -> str:
        return self.draft.unit

    @property
    def message_id(self) -> str:
        return draft_message_id(self.draft)


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
    missing: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)  # found in Sent after an interrupted run
    total: int = 0
    plain: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def lines(self) -> list[str]:
        out = []
        if self.plain:
            out.append("注意：[mail] 设置为不加密连接（security = \"plain\"），密码和邮件以明文传送。")
        if not self.total:
            # collect writes a reply only to a unit whose file was refused: after a collect that
            # took every file, "run duban collect" sent the office round to do it again
            why = "反馈邮件只写给报送被退回或无法读取的单位；还没有收取的，" if self.kind == "feedback" else ""
            return [*out, f"{self.period.label} 没有{self.label}邮件草稿。{why}请先运行 {REMAKE[self.kind]}。"]
        if self.confirmed:
            out.append(f"上次中断时正在发送的 {len(self.confirmed)} 封已在“已发送”中找到，记为已发送："
                       f"{_units(self.confirmed)}。")
        if self.drafts:
            size = sum(len(o.eml) for o in self.drafts)
            out.append(f"{self.period.label} {self.label}邮件：待发送 {len(self.drafts)} 封（共 {_size(size)}），"
                       f"发件人 {self.sender}，经{self.server}。")
            for o in self.drafts:
                files = "；".join(f"{n}（{_size(s)}）" for n, s in o.attachments) or "无附件"
                out.append(f"  {o.unit} → {_addresses(o.to)}；{files}")
        if self.sent_before:
            out.append(f"已发送过的 {len(self.sent_before)} 封不再发送：{_units(self.sent_before)}。")
        if self.no_recipient:
            out.append(f"没有收件人、不发送的 {len(self.no_recipient)} 封：{_units(self.no_recipient)}。"
                       f"请在任务分工表“单位名录”的邮箱列填写后运行 {REMAKE[self.kind]} 重新生成草稿。")
        if self.missing:
            out.append(f"草稿文件已被删除、不发送的 {len(self.missing)} 封：{_units(self.missing)}。"
                       f"如需发送，请运行 {REMAKE[self.kind]} 重新生成草稿。")
        if self.unsure:
            out.append(_unsure_line(self.unsure, self.kind))
        if not self.drafts and not self.unsure and not self.no_recipient and not self.missing:
            out.append(f"{self.period.label} 的{self.label}邮件都已发送过，没有要发送的。")
        return out


def _unsure_line(units: list[str], kind: str) -> str:
    return (f"可能已发送，请核对 {len(units)} 封：{_units(units)}。上次发送在传送这些邮件时中断，"
            f"无法确定对方是否已收到；为免重复，不会自动重发。请到邮箱的“已发送”中核对或电话确认，如对方确实没有收到，"
            f"请运行 {REMAKE[kind]} 重新生成该单位的草稿后再发送。")


def plan_send(ws: Workspace, kind: str, period: Period | None = None) -> SendPlan:
    """The live drafts of ``kind`` for the period, sorted into: to send, sent before, without
    recipient, file deleted, and unsure (interrupted while sending)."""
    if kind not in DRAFT_KINDS:
        raise UsageError(f"不认识的邮件类别“{kind}”：可选 issue（下发）、feedback（反馈）、remind（催报）。")
    mail = require_smtp(ws)
    sender = _sender(ws)
    period = ws.period(period)
    plan = SendPlan(kind, period, sender[1], str(smtp_endpoint(mail)), plain=mail.security == "plain")
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        drafts = ledger.drafts(kind, period)
        plan.total = len(drafts)
        interrupted = []
        for d in drafts:
            row = records.sent(draft_message_id(d))
            if row is not None and row.state == SENT:
                plan.sent_before.append(d.unit)
                continue
            if row is not None and row.state == SENDING:
                interrupted.append(d)
                continue
            path = ws.root / d.path
            try:
                eml = path.read_bytes()
            except OSError:
                plan.missing.append(d.unit)
                continue
            out = _outgoing(d, path, eml)
            if not out.recipients:
                plan.no_recipient.append(d.unit)
                continue
            plan.drafts.append(out)
        if interrupted:
            found = _found_in_sent(ws, [draft_message_id(d) for d in interrupted])
            stamp = _now(ws).isoformat()
            for d in interrupted:
                if draft_message_id(d) in found:
                    records.mark_sent(draft_message_id(d), stamp)
                    records.mark_copy(draft_message_id(d), "已发送文件夹中已有")
                    plan.confirmed.append(d.unit)
                else:
                    plan.unsure.append(d.unit)
    return plan


def cancelled_line(ws: Workspace, plan: SendPlan) -> str:
    """"已取消：…" for a send stopped by the user (Ctrl-C, a closed console), from the ledger:
    which of the plan's mails went, which did not, and the one the server may have had when
    the stop came. A bare 已取消。 left the office not knowing which departments have their
    form (QA161)."""
    sent, unsure, left = [], [], []
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        records = MailRecords(ledger.conn)
        for o in plan.drafts:
            row = records.sent(o.message_id)
            state = row.state if row is not None else None
            (sent if state == SENT else unsure if state == SENDING else left).append(o.unit)
    line = f"已取消：本次已发送 {len(sent)} 封{plan.period.label}{plan.label}邮件"
    line += f"（{_units(sent)}）" if sent else ""
    line += f"，未发送 {len(left)} 封" + (f"（{_units(left)}）" if left else "")
    if unsure:
        line += f"；{_units(unsure)} 的邮件在传送时被取消，可能已发出，下次发送时会核对，不会自动重发"
    # the month named when it is not the workspace's: else the advice sends the current month's
    month = f" --period {plan.period}" if plan.period != ws.period() else ""
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


def _outgoing(d: Draft, path: Path, eml: bytes) -> Outgoing:
    msg = email.message_from_bytes(eml, policy=policy.compat32)
    pairs: list[tuple[str, str]] = []
    for header in ("To", "Cc", "Bcc"):
        values = [str(v) for v in msg.get_all(header, [])]
        pairs.extend(email.utils.getaddresses(values))
    seen: set[str] = set()
    to, recipients = [], []
    for name, addr in pairs:
        addr = addr.strip()
        if "@" not in addr or addr.lower() in seen:
            continue
        seen.add(addr.lower())
        to.append((decode_words(name), addr))
        recipients.append(addr)
    attachments = [(a.name, len(a.data)) for a in parse_mail(eml).attachments]
    return Outgoing(d, path, eml, to, recipients, attachments)


def _sender(ws: Workspace) -> tuple[str, str]:
    """(From: header, envelope address) from ``from`` (else ``sender``, else ``user``)."""
    name, addr = email.utils.parseaddr(ws.settings.mail.from_address)
    if "@" not in addr:
        raise BadConfig("duban.toml 的 [mail] 中没有发信地址。请加一行 from = \"dbb@xxx.gov.cn\"（单位邮箱地址）。")
    return format_addresses([(decode_words(name), addr)]), addr


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
    not_sent: list[str] = field(default_factory=list)                   # after the connection dropped
    dropped: str = ""
    copies: int = 0
    copy_folder: str = ""
    copy_problem: str = ""
    too_big: list[tuple[str, str]] = field(default_factory=list)        # dry run: unit, why

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
        out = [f"已发送 {len(self.sent)} 封{self.period.label}{label}邮件（共 {self.planned} 封）。"]
        if self.copies:
            out.append(f"已在邮箱的“{self.copy_folder}”中保存副本 {self.copies} 封。")
        if self.copy_problem:
            out.append(f"已发出的邮件没有保存副本：{self.copy_problem}")
        if self.refused:
            out.append("以下收件人被拒收（同一封邮件的其他收件人已收到）：")
            out.extend(f"  {unit} {addr}：{why}" for unit, addr, why in self.refused)
        if self.failures:
            out.append("以下邮件没有发出：")
            out.extend(f"  {unit}：{why}" for unit, why in self.failures)
        if self.dropped:
            out.append(self.dropped)
        if self.unsure:
            out.append(_unsure_line(self.unsure, self.kind))
        if self.failures or self.refused:
            out.append(f"改正后再次运行 duban mail send {self.kind} 会补发没有发出的邮件，已发出的不会重发。")
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
    result = SendResult(plan.kind, plan.period, plan.server, mail.user, dry_run=dry_run, planned=len(plan.drafts))
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
    from_header, envelope_from = _sender(ws)
    interval = 60.0 / mail.send_per_minute
    imap, sent_folder = _open_copies(ws, password, result)
    result.copy_folder = sent_folder or ""
    last: float | None = None
    try:
        with Ledger(ws.ledger_path) as ledger:
            records = MailRecords(ledger.conn)
            todo = list(plan.drafts)
            for n, o in enumerate(progress(todo, "发送邮件")):
                row = records.sent(o.message_id)
                if row is not None and row.state in (SENT, SENDING):  # another run got to it
                    continue
                data = outgoing_bytes(o.eml, from_header=from_header, message_id=o.message_id,
                                      date=email.utils.format_datetime(_now(ws)))
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
                    else:
                        result.not_sent.append(o.unit)
                    result.not_sent.extend(x.unit for x in todo[n + 1:])
                    left = len(result.not_sent)
                    result.dropped = (f"连接中断：{ep} 在发送“{o.unit}”的邮件时断开，还有 {left} 封没有发送。"
                                      f"再次运行 duban mail send {plan.kind} 会从中断处继续，已发出的不会重发。")
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
    """One message, step by step (see the module doc); True when the server took it."""
    mid = o.message_id
    common = dict(message_id=mid, draft_id=o.draft.id, kind=plan.kind, period=str(plan.period), unit=o.unit,
                  recipients=o.recipients)
    try:
        options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
        code, resp = smtp.mail(envelope_from, options)
        if code != 250:
            _rset(smtp)
            why = _reply_text(code, resp, len(data), _size_limit(smtp), sender=True)
            records.mark_failed(**common, error=f"{code} {_t(resp)}", at=_now(ws).isoformat())
            result.failures.append((o.unit, why))
            return False
        refused: dict[str, str] = {}
        for addr in o.recipients:
            code, resp = smtp.rcpt(addr)
            if code not in (250, 251):
                refused[addr] = _reply_text(code, resp, len(data), 0)
                log.warning("收件人 %s 被拒收：%s %s", addr, code, _t(resp))
        if len(refused) == len(o.recipients):
            _rset(smtp)
            records.mark_failed(**common, error="所有收件人都被拒收", at=_now(ws).isoformat())
            result.failures.extend((o.unit, f"收件人 {a} {why}") for a, why in refused.items())
            return False
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(False, str(exc)) from None
    records.begin_sending(**common, started_at=_now(ws).isoformat())
    try:
        code, resp = smtp.data(data)
    except smtplib.SMTPDataError as exc:  # DATA itself refused: nothing was taken
        code, resp = exc.smtp_code, exc.smtp_error
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(True, str(exc)) from None
    if code != 250:
        records.mark_failed(**common, error=f"{code} {_t(resp)}", at=_now(ws).isoformat())
        result.failures.append((o.unit, _reply_text(code, resp, len(data), _size_limit(smtp))))
        return False
    records.mark_sent(mid, _now(ws).isoformat(), refused)
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
        imap.append(folder, data, _now(ws))
    except MailboxError as exc:
        imap.close()
        return None, exc.message
    records.mark_copy(mid, folder)
    return imap, ""


def outgoing_bytes(eml: bytes, *, from_header: str, message_id: str, date: str) -> bytes:
    """The draft as it goes out: X-Unsent, Date, From, Message-ID and Bcc replaced or removed,
    every other byte kept, CRLF line ends (as SMTP and the Sent copy want)."""
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
        dropping = name in (b"x-unsent", b"date", b"from", b"message-id", b"bcc", b"sender")
        if not dropping:
            kept.append(line)
    new = [f"From: {from_header}".encode(), f"Date: {date}".encode(), f"Message-ID: {message_id}".encode()]
    return b"\r\n".join(new + kept) + b"\r\n\r\n" + body.replace(b"\n", b"\r\n")


def draft_message_id(d: Draft) -> str:
    """The draft's recorded Message-ID, the idempotency key (a draft recorded without one
    gets a stable one from its ledger id and hash)."""
    return d.message_id or f"<duban-draft-{d.id}-{d.sha256[:16]}@duban.invalid>"


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
    return f"邮件 {_size(size)}，超过发信服务器允许的 {_size(limit)}，请压缩附件或分开发送"


def _reply_text(code: int, resp: bytes | str, size: int, limit: int, sender: bool = False) -> str:
    """A refusal in Chinese (the server's own words go to the log)."""
    text = _t(resp)
    if code == 552 and ("5.3.4" in text or "size" in text.lower() or sender) and limit and size > limit:
        return _too_big_text(size, limit)
    if "5.2.2" in text or "quota" in text.lower() or "full" in text.lower():
        why = "对方邮箱已满"
    elif code == 552:
        why = "邮件过大或对方邮箱已满"
    elif code in (550, 551, 553) and not sender:
        why = "收件地址不存在或被拒收，请核对单位名录中的邮箱"
    elif code in (550, 553) and sender:
        why = "发信服务器不接受这个发件地址，请核对 duban.toml [mail] 的 from"
    elif 400 <= code < 500:
        why = "服务器暂时拒收，请稍后重发"
    else:
        why = "被服务器拒收"
    return f"{why}（服务器代码 {code}）"


def _t(resp: bytes | str) -> str:
    return resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)


def _now(ws: Workspace) -> dt.datetime:
    return ws.now().replace(microsecond=0)


def _units(units: list[str]) -> str:
    return "、".join(units[:10]) + (f" 等 {len(units)} 个单位" if len(units) > 10 else "")


def _addresses(pairs: list[tuple[str, str]]) -> str:
    return "，".join(f"{n} <{a}>" if n else a for n, a in pairs)


def _size(n: int) -> str:
    if n >= 1048576:
        return f"{n / 1048576:.1f} MB"
    return f"{max(1, round(n / 1024))} KB"

