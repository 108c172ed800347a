"""Mail a machine sent: automatic replies (out of office, read receipts) and delivery reports
(退信), read from the headers and the MIME structure (`mail.parse_mail` keeps what they say).

Neither is a unit's return, though both may carry the office's own mail back: an Exchange or
Coremail 自动回复 attaches the message it answers as message/rfc822, and a bounce (RFC 3464,
multipart/report) the message that could not be delivered, with the unit's blank form in it.
A bounce says something the office needs: the unit's address did not take the mail, so the unit
never got its form (`unpack`, `office_copies.notices`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .addresses import addresses_in
from .cloud import html_text

if TYPE_CHECKING:
    from email.message import Message

#: the subject mail clients give an automatic reply: Coremail and QQ 自动回复, Outlook 自动答复 /
#: Automatic reply, others Auto-Reply or Out of Office; it repeats the subject it answers, which
#: names the project and the month when it answers the office's own mail
_AUTO_SUBJECT = re.compile(r"\s*(?:自动回复|自动答复|自动应答|automatic\s+reply|auto[-\s]?reply"
                           r"|out\s+of\s+(?:the\s+)?office)\s*[:：]", re.I)


def auto_reply(subject: str, headers: Message | None = None, bulk: bool = True) -> bool:
    """Whether a mail was sent by a machine in reply (an out-of-office note), not by a person:
    RFC 3834's Auto-Submitted (other than "no"), the X-Autoreply / X-Autorespond or Precedence
    (auto_reply, bulk, junk) headers clients and servers add, else the subject (`_AUTO_SUBJECT`;
    all `mail fetch` sees before download). ``bulk``: Precedence bulk and junk count (some systems
    mark a unit's ordinary mail so: not proof enough that a message the mail carries is the office's)."""
    if headers is not None:
        submitted = str(headers.get("Auto-Submitted", "") or "").strip().lower()
        if submitted and submitted != "no":
            return True
        if headers.get("X-Autoreply") or headers.get("X-Autorespond"):
            return True
        precedence = ("auto_reply", "bulk", "junk") if bulk else ("auto_reply",)
        if str(headers.get("Precedence", "") or "").strip().lower() in precedence:
            return True
    return bool(_AUTO_SUBJECT.match(subject or ""))


#: a reply's own words that only acknowledge the office's mail: 收到，谢谢！ 已收悉。 好的，谢谢
_THANKS = re.compile(r"(?:(?:好的|好|ok|已?收到|已?收悉|已阅|谢谢|感谢|多谢|thanks?(?:\s+you)?)[\s,，.。!！~～、]*)+",
                     re.I)
#: words that mean a return was meant after all (见附件, 已报送, 链接): asked about as ever
_RETURN_WORDS = re.compile(r"附件|报送|已报|报表|填报|见正文|链接|提取码|下载|材料|进展", re.I)
#: where the quoted mail begins: ---- 原始邮件 ----, -----Original Message-----, > lines, 发件人:
_QUOTED = re.compile(r"^\s*(?:-{2,}.*|>.*|(?:发件人|From)\s*[:：].*|在.{0,80}写道[:：]?|On .{0,120}wrote:)\s*$",
                     re.M | re.I)


def acknowledgement(bodies: list[tuple[str, str]]) -> bool:
    """Whether a mail's own words (its first body above the quoted mail) only acknowledge the
    office's: a first line of thanks (收到，谢谢！; 已收悉), then a signature at most, no word of
    a return. Such a reply to the issue mail repeats its subject (回复：2022年6月进展填报表) and
    carries nothing: it is passed over like an automatic reply, not asked about as a return."""
    if not bodies:
        return False
    subtype, text = bodies[0]
    # an html reply quotes the mail it answers in a <blockquote> (others under a 原始邮件 line)
    text = html_text(re.split(r"<blockquote", text, maxsplit=1, flags=re.I)[0]) if subtype == "html" else text
    quoted = _QUOTED.search(text)
    own = (text[:quoted.start()] if quoted else text).strip()
    lines = [x.strip() for x in own.splitlines() if x.strip()]
    # the signature of a name, a unit and a telephone is short; a letter is no acknowledgement
    return bool(lines) and bool(_THANKS.fullmatch(lines[0])) and len("".join(own.split())) <= 80 and not (
        _RETURN_WORDS.search(own))


#: the local parts of a mail system's own sender: a bounce comes From MAILER-DAEMON@ or postmaster@;
#: no-reply boxes send notices nobody reads the answer to (a reply to any of them is lost)
_ROBOT = re.compile(r"^(?:mailer-?daemon|mail-?daemon|postmaster|no-?reply|do-?not-?reply|noreply-[\w.-]*|bounces?"
                    r"|mdaemon|mailer)(?:[+-][\w.+-]*)?$", re.I)


def robot_address(address: str) -> bool:
    """Whether an address is a mail system's own (MAILER-DAEMON@, postmaster@, no-reply@), which
    no person reads: a reply sent there is lost or refused."""
    local, at, _ = address.strip().strip("<>").rpartition("@")
    return bool(at) and bool(_ROBOT.match(local))


#: of those, the senders of bounces (a no-reply box sends notices, and an OA system may send returns)
_BOUNCER = re.compile(r"^(?:mailer-?daemon|mail-?daemon|postmaster)(?:[+-][\w.+-]*)?$", re.I)


def bounce_sender(address: str) -> bool:
    """Whether an address is the one a mail system sends bounces from (MAILER-DAEMON@, postmaster@)."""
    return bool(_BOUNCER.match(address.strip().strip("<>").rpartition("@")[0]))


@dataclass(frozen=True)
class Bounce:
    """One address a delivery report says the mail did not reach."""

    address: str
    why: str = ""  # the report's Status and Diagnostic-Code, as written


def delivery_report(msg: Message, sender: str) -> tuple[bool, list[Bounce], bool]:
    """(whether ``msg`` is a delivery report, the addresses it says failed, whether it is some
    other machine's report: a read receipt, MDN). A report is a multipart/report of
    report-type delivery-status or a message/delivery-status part (RFC 3464), or a mail from a
    mail system's own address (MAILER-DAEMON@, postmaster@: Coremail and Exchange bounces that
    are plain text). The failed addresses are the per-recipient fields whose Action is failed; a report
    without them names the addresses the returned message was sent to."""
    ctype = msg.get_content_type()
    kind = str(msg.get_param("report-type") or "").lower() if ctype == "multipart/report" else ""
    status = [p for p in msg.walk() if p.get_content_type() == "message/delivery-status"]
    robot = any(bounce_sender(a) for a in addresses_in(sender))
    if not (kind == "delivery-status" or status or robot):
        return False, [], ctype == "multipart/report"
    failed: list[Bounce] = []
    for part in status:
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            action = str(block.get("Action", "") or "").strip().lower()
            recipient = str(block.get("Final-Recipient", "") or block.get("Original-Recipient", "") or "")
            if action != "failed" or not recipient:
                continue
            why = " ".join(str(block.get(h, "") or "").strip() for h in ("Status", "Diagnostic-Code")).strip()
            failed += [Bounce(a, why) for a in sorted(addresses_in(recipient.rpartition(";")[2]))]
    if not failed and not status:
        failed = [Bounce(a) for a in returned_to(msg)]
    return True, failed, False


def returned_to(msg: Message) -> list[str]:
    """The addresses the message a report returns was sent to (its message/rfc822 or
    text/rfc822-headers part): lower-cased, in order."""
    import email
    from email import policy

    for part in msg.walk():
        ctype = part.get_content_type()
        inner = None
        if ctype == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
        elif ctype == "text/rfc822-headers":
            try:
                inner = email.message_from_string(part.get_content(), policy=policy.default)
            except Exception:  # a report's quoted headers are no reason to fail reading the mail
                inner = None
        if inner is not None:
            found = addresses_in("；".join(str(v) for h in ("To", "Cc") for v in inner.get_all(h, [])))
            if found:
                return sorted(found)
    return []


def returned_ids(msg: Message) -> list[str]:
    """The Message-IDs of the messages a report or an automatic reply returns (message/rfc822,
    text/rfc822-headers), and those its In-Reply-To and References name: the office's mail
    it answers, when duban sent it."""
    import email
    from email import policy

    ids = re.findall(r"<[^<>\s]+>", " ".join(str(v) for h in ("In-Reply-To", "References")
                                           for v in msg.get_all(h, [])))
    for part in msg.walk():
        if part.get_content_type() == "text/rfc822-headers":
            try:
                ids += re.findall(r"<[^<>\s]+>", str(email.message_from_string(
                    part.get_content(), policy=policy.default).get("Message-ID", "") or ""))
            except Exception:  # as `returned_to`
                continue
    return list(dict.fromkeys(ids))
