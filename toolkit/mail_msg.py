"""Outlook .msg mail as `mail.parse_mail` reads an .eml: the same `mail.ParsedMail`, dated
and addressed as the .eml saved from the same mail would be.

Read with the optional extract-msg package (GPL-3.0, extra ``msg``), imported where it is
used. Kept apart from `mail` (drafts and .eml parsing) for its size alone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from .mail import (
    _BODY_LIMIT,
    Attachment,
    ParsedMail,
    _date,
    _decode_bytes,
    _links_sent_in,
    _recipients,
    _sent_to,
    forwarded,
)
from .text import clean

if TYPE_CHECKING:
    from email.message import Message


def parse_msg(data: bytes, office: frozenset[str] = frozenset(), units: frozenset[str] = frozenset()) -> ParsedMail:
    """Outlook .msg via the optional extract-msg package (GPL-3.0, extra ``msg``); ``office``
    and ``units`` as `parse_mail`'s. An embedded message (Outlook's "forward as attachment")
    gives its files and its links that message's Date, sender and recipients (`mail.forwarded`),
    as a message/rfc822 part of an .eml does."""
    import io

    import extract_msg

    m = extract_msg.openMsg(io.BytesIO(data))
    out = ParsedMail(subject=clean(m.subject or ""), sender=clean(m.sender or ""))
    out.date = _msg_date(m)
    out.to = _msg_to(m)

    def take(message, around: Attachment) -> None:
        # the message's words, read for links: an embedded message's with it (`mail._links_sent_in`)
        for subtype, body in (("plain", _msg_body(message, "body")), ("html", _msg_body(message, "htmlBody"))):
            if body:
                out.bodies.append((subtype, body))
                out.body_from.append(around)
        for att in getattr(message, "attachments", []):
            data_ = getattr(att, "data", None)
            if isinstance(data_, (bytes, bytearray)):
                name = clean(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "未命名附件")
                out.attachments.append(Attachment(name, bytes(data_), around.via, around.date,
                                                  around.sender, around.subject, around.to, around.elsewhere,
                                                  around.unsure))
            elif data_ is not None and hasattr(data_, "attachments"):
                # Outlook's "forward as attachment": an embedded message, dated by itself.
                inner = clean(getattr(data_, "sender", "") or "")
                take(data_, forwarded(around, clean(getattr(data_, "subject", "") or ""), inner, _msg_date(data_),
                                      _msg_to(data_), office, units))

    take(m, Attachment("", b"", to=out.to))
    # a link in an embedded message carries it, as one in a forwarded .eml part does (QA242):
    # its download is timed as a file attached there would be (`downloads`)
    out.cloud = _links_sent_in(out.bodies, out.body_from)
    m.close()
    return out


def _msg_to(message: Any) -> tuple[str, ...]:
    """An Outlook message's To, Cc and Bcc as `_sent_to` reads a mail's: from the Internet
    headers it was received with, as its Date (`_msg_date`), else Outlook's own fields (a
    Sent copy has no headers, and its Bcc only there)."""
    headers = _transport_headers(message)
    if headers is not None and any(headers.get_all(name) for name in ("To", "Cc", "Bcc")):
        return _sent_to(headers)

    def text(attr: str) -> str:
        try:
            value = getattr(message, attr, "")
        except Exception:
            return ""
        return value if isinstance(value, str) else ""

    return _recipients(text("sender"), [text("to"), text("cc"), text("bcc")])


def _msg_body(message: Any, attr: str) -> str:
    """An Outlook message's plain or html body as text ('' when it has none or it is unreadable)."""
    try:
        body = getattr(message, attr)
    except Exception:
        return ""
    if isinstance(body, bytes):
        return _decode_bytes(body[:_BODY_LIMIT])
    return body[:_BODY_LIMIT] if isinstance(body, str) else ""


def _msg_date(message: Any) -> dt.datetime | None:
    """An Outlook message's sending time (aware; collect localises it), None when unreadable.

    A received message keeps its Internet headers (PR_TRANSPORT_MESSAGE_HEADERS): their Date,
    as the sender's system wrote it, is read exactly as an .eml's (`_date`), so one mail
    saved either way is one moment. Outlook's own submit time is that Date as its MIME
    reader converted it to UTC (MS-OXCMAIL), bare CST read as US Central (RFC 822): a
    return sent at 15:00 on the deadline day from a Java-built OA system was 逾期报送
    saved as .msg and 按时 saved as .eml. The submit time decides only without the
    headers' Date (a message from the Sent folder, or one Outlook wrote itself)."""
    headers = _transport_headers(message)
    date = _date(headers) if headers is not None else None
    if date is not None:
        return date
    try:
        date = message.date
    except Exception:
        return None
    if not isinstance(date, dt.datetime) or date.year >= 4500:
        return None  # MS-OXCDATA's "no time" (4500-08-31, 4501-01-01): no date at all
    # a FILETIME is UTC; extract-msg leaves the ones before 1970 naive
    return date if date.tzinfo is not None else date.replace(tzinfo=dt.timezone.utc)


def _transport_headers(message: Any) -> Message | None:
    """The Internet headers an Outlook message was received with, parsed as `parse_mail`
    parses a mail's; None when it has none."""
    import email
    from email import policy

    try:
        text = message.headerText
    except Exception:
        return None
    if not isinstance(text, str) or not text.strip():
        return None
    # Exchange's prefix before the headers (extract-msg strips it the same way)
    text = re.sub(r"^\s*Microsoft Mail Internet Headers Version 2\.0\s*", "", text)
    try:
        return email.message_from_string(text, policy=policy.default)
    except Exception:
        return None
