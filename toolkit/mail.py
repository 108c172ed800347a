"""E-mail in both directions: .eml drafts the coordinator sends, and mail that comes back.

Drafts carry ``X-Unsent: 1`` so Outlook opens them ready to send; Thunderbird and
Foxmail open them as messages to forward or edit. Attachment names are RFC 2231 encoded
in Content-Disposition and RFC 2047 encoded in Content-Type's ``name`` for old clients.

Received mail is parsed with the stdlib (policy.default) and tolerates what Chinese
mail systems send: raw GBK names, mislabelled charsets, forwarded messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .addresses import addresses_in, parse_addresses
from .cloud import CloudFile, cloud_files
from .errors import BadPeriod, BadTemplate
from .mail_auto import Bounce, acknowledgement, auto_reply, delivery_report, returned_ids
from .period import Period
from .rectification import mail_arrangement
from .text import clean
from .units import say_sections

if TYPE_CHECKING:
    from email.message import Message

# The email package is imported where it is used: it is about 11 ms of every start
# (measured after the stdlib modules duban loads anyway), and `duban collect` of a folder
# of .xlsx files, like `duban status`, never parses a mail.

XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---------------------------------------------------------------------------
# drafts


def render_mail_template(path: Path, context: dict[str, Any], sections: bool = False) -> tuple[str, str]:
    """(subject, body) from a jinja2 text template whose first line is ``主题：…``.

    ``sections``: the plan's units are a bureau's own 科室 (`units.of_sections`), and the
    template's own words say 贵科室, 各科室 where they say 贵单位, 各单位, as its 通报 does
    (`units.say_sections`); the values filled in (names, tasks, check messages) are kept.
    The subject says the plan's year once where ``project`` and ``period_label`` meet in it
    (`_year_once`), in the shipped templates and an office's own copies alike.
    ``rectification`` (a 整改清单: its mails say 整改任务 and 整改时限) is False unless given."""
    from jinja2 import TemplateError

    try:
        settled = {"rectification": False, **context}
        # the 下发 mail's 根据…安排, as the 通报 says it (`rectification.arrangement`)
        settled.setdefault("arrangement", mail_arrangement(str(settled.get("project") or ""),
                                                           bool(settled["rectification"])))
        text = _compiled(Path(path), Path(path).stat().st_mtime_ns, sections).render(**settled)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"第 {line} 行" if line else ""
        raise BadTemplate(f"邮件模板“{Path(path).name}”{where}有误：{exc}") from exc
    lines = text.lstrip("\n").split("\n")
    first = lines[0].strip()
    m = re.match(r"^(主题|subject)\s*[:：]\s*(.*)$", first, re.I)
    if m:
        subject, body = m.group(2).strip(), "\n".join(lines[1:]).strip("\n") + "\n"
    else:
        subject, body = "", text
    return _year_once(subject, context), body


def _year_once(subject: str, context: dict[str, Any]) -> str:
    """A subject naming the plan and the period side by side says the year once: 大竹's
    2016年民生实事 made 【请于2016年7月5日前报送】2016年民生实事2016年6月进展填报表 in every
    issue, reminder and reply mail; it reads 2016年民生实事6月进展填报表 (and, the other way
    round, 2016年6月民生实事, as the 通报's title says it)."""
    project, label = context.get("project"), context.get("period_label")
    if not (isinstance(project, str) and project and isinstance(label, str) and label):
        return subject
    try:
        period = Period.parse(label)
    except BadPeriod:
        return subject
    subject = subject.replace(project + label, project + period.label_after_name(project))
    return subject.replace(label + project, label + period.name_after_label(project))


@lru_cache(maxsize=16)
def _compiled(path: Path, _mtime: int, sections: bool = False):
    """A mail template compiled once per run (feedback mails are written by the dozen)."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    source = path.read_text(encoding="utf-8-sig")
    return env.from_string(say_sections(source) if sections else source)


def format_addresses(pairs: list[tuple[str, str]]) -> str:
    """A To:/Cc: header value: each display name encoded on its own (RFC 2047), commas between."""
    import email.utils

    return ", ".join(email.utils.formataddr((name, addr), charset="utf-8") for name, addr in pairs)


def build_draft(*, to: str | list[tuple[str, str]], subject: str, body: str,
                attachments: list[tuple[str, bytes]], sender: str = "",
                cc: str | list[tuple[str, str]] = "") -> bytes:
    """An unsent message with attachments, as .eml bytes, with its own Message-ID.

    Built with the compat32 MIME classes: EmailMessage's folding of a long Content-Type
    with a non-ASCII ``name`` corrupts the type, which some clients then refuse.
    """
    import email.utils
    from email import encoders
    from email.header import Header
    from email.mime.base import MIMEBase
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    to_pairs = parse_addresses(to)[0] if isinstance(to, str) else list(to)
    cc_pairs = parse_addresses(cc)[0] if isinstance(cc, str) else list(cc)
    from_pairs = parse_addresses(sender)[0] if sender else []
    msg = MIMEMultipart()
    if from_pairs:
        msg["From"] = format_addresses(from_pairs[:1])
    if to_pairs:
        msg["To"] = format_addresses(to_pairs)
    if cc_pairs:
        msg["Cc"] = format_addresses(cc_pairs)
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = from_pairs[0][1].rsplit("@", 1)[1] if from_pairs else "duban.invalid"
    msg["Message-ID"] = email.utils.make_msgid("duban", domain=domain)
    msg["X-Unsent"] = "1"
    msg.attach(MIMEText(body, "plain", "utf-8"))
    for name, data in attachments:
        maintype, subtype = XLSX_MIME if name.lower().endswith(".xlsx") else ("application", "octet-stream")
        # Content-Type's name as RFC 2047 words: Outlook over IMAP/POP, QQ Mail and Lotus
        # Notes read only that and show "ATT00001.xlsx" for an RFC 2231 one (what Outlook
        # and Thunderbird send themselves); Content-Disposition keeps the standard form.
        part = MIMEBase(maintype, subtype, name=_encoded_words(name))
        part.set_payload(data)
        encoders.encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 words (UTF-8, none over 75 characters, none splitting a
    character), space-separated; ASCII text as it is."""
    if text.isascii():
        return text
    from email.header import Header

    return " ".join(Header(text, "utf-8", maxlinelen=75).encode().split())


def message_id(eml: bytes) -> str:
    """The Message-ID of a draft or a received mail ("" when it has none)."""
    head = eml.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    m = re.search(rb"(?im)^message-id:\s*(<[^>\r\n]+>)", head)
    return m.group(1).decode("ascii", "replace") if m else ""


# ---------------------------------------------------------------------------
# received mail


@dataclass
class Attachment:
    """One file found inside a mail.

    A file inside a forwarded message (message/rfc822, Outlook's embedded message) was sent
    by that message, not by whoever forwarded it: ``date``, ``sender`` and ``subject`` are the
    forwarded message's own (the innermost one's when forwards nest), so that `unpack` dates
    it exactly as it dates a forwarded message attached as an .eml file. Each is empty when
    no forwarded message around the file has it: the file then goes by the mail itself.

    A forwarded message's Date and From stand unless it provably went to a unit, not the office
    (`addressed_to_office`): a village's mail to its town, forwarded by the town days later,
    reached the office with the forward. ``elsewhere``: it went to a unit's mailbox, so the
    forward's time and sender are the file's, firmly; ``unsure``: whom it went to cannot be
    told, so the file goes by its own Date (a wrong 逾期 is the worst) and the forward's time is
    said beside it when that would make the unit 逾期 (`evidence.on_time_on_weak_evidence`).
    """

    name: str
    data: bytes
    via: str = ""  # e.g. 转发的邮件“原主题”（发件人 …）
    date: dt.datetime | None = None
    sender: str = ""
    subject: str = ""
    #: whom the (forwarded) message was sent to besides its sender: To, Cc and Bcc, lower-cased
    to: tuple[str, ...] = ()
    elsewhere: bool = False
    unsure: bool = False
    #: the Message-IDs of the messages around the file, the mail's own first: one duban sent
    #: makes the file the office's own (`office_copies`)
    ids: tuple[str, ...] = ()


@dataclass
class ParsedMail:
    """What a received mail says and carries."""

    subject: str = ""
    sender: str = ""
    date: dt.datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    skipped_parts: int = 0
    #: the text bodies, ``(subtype, text)``, forwarded messages' included: read for `cloud`
    bodies: list[tuple[str, str]] = field(default_factory=list)
    #: each body's message, as `forwarded` gives its files (no ``via``: the mail's own)
    body_from: list[Attachment] = field(default_factory=list)
    #: files the mail links to instead of carrying them (QQ 超大附件, 网易云附件): `toolkit.cloud`
    cloud: list[CloudFile] = field(default_factory=list)
    #: an out-of-office or other automatic reply (`auto_reply`), most often to the office's own mail
    auto_reply: bool = False
    #: a person's reply that only acknowledges (收到，谢谢): `acknowledgement`
    acknowledgement: bool = False
    #: whom it was sent to besides its sender (To, Cc, Bcc), lower-cased: `addressed_to_office`
    to: tuple[str, ...] = ()
    #: a delivery report (退信, `mail_auto.delivery_report`) and the addresses it says failed
    report: bool = False
    bounced: list[Bounce] = field(default_factory=list)
    #: the Message-IDs of the mail it answers or returns (`mail_auto.returned_ids`)
    answers: list[str] = field(default_factory=list)
    #: the message it carries is the one it answers or returns, sent to the unit: a bounce, or an
    #: automatic reply by a header or subject that says so (Precedence bulk alone does not)
    quotes: bool = False


def _decode_bytes(raw: bytes, declared: str | None = None) -> str:
    for enc in filter(None, (declared, "utf-8", "gb18030")):
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


#: labels of one family, all read as GB18030 (`decode_declared`), whose words `decode_words` joins
_GB_LABELS = frozenset(("gb2312", "gbk", "x-gbk", "gb18030"))


def decode_declared(raw: bytes, charset: str | None) -> str:
    """Bytes in their declared charset, else UTF-8, else GB18030; GB2312 and GBK are read as
    their superset GB18030 (clients label GBK text gb2312). Mail headers and bodies, and the
    IMAP server's words (`imap_parse`), are read alike."""
    label = (charset or "").lower()
    return _decode_bytes(raw, "gb18030" if label in _GB_LABELS else label or None)


def _fix_mojibake(text: str) -> str:
    """Undo surrogate-escaped raw bytes and GBK read as Latin-1 in header values."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", "surrogateescape")
        return _decode_bytes(raw)
    if text and all(ord(ch) < 256 for ch in text) and any(ord(ch) >= 0x80 for ch in text):
        try:
            return _decode_bytes(text.encode("latin-1"))
        except UnicodeEncodeError:
            return text
    return text


def decode_words(value: str) -> str:
    """RFC 2047 words decoded with GB18030 as the fallback for mislabelled charsets."""
    if "=?" not in value:
        return _fix_mojibake(value)
    from email.header import decode_header

    # the stdlib joins adjacent words of one label only: a GBK character cut between a
    # gb2312 word and a gbk one (a client labelling by what each half needs) read as Latin-1
    parts: list[tuple[bytes | str, str | None]] = []
    for part, charset in decode_header(value):
        family = "gb18030" if (charset or "").lower() in _GB_LABELS else charset
        if isinstance(part, bytes) and parts and isinstance(parts[-1][0], bytes) and parts[-1][1] == family:
            parts[-1] = (parts[-1][0] + part, family)
        else:
            parts.append((part, family))
    return "".join(decode_declared(part, charset) if isinstance(part, bytes) else part for part, charset in parts)


def _header_source(msg: Message, name: str) -> str:
    """A header as the mail has it (unfolded), before policy.default decodes its words."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return re.sub(r"\r?\n(?=[ \t])", "", str(value))
    return ""


def header_text(msg: Message, name: str) -> str:
    """A header's text (Subject, From). policy.default decodes each RFC 2047 word alone, so a
    GBK character a client split across two words (seen from Foxmail and OA systems) comes out
    as U+FFFD, in a subject that may be all that names the unit; `decode_words` joins adjacent
    words of one charset before decoding."""
    text = decode_words(str(msg.get(name, "") or ""))
    if "\ufffd" in text:
        again = decode_words(_header_source(msg, name))
        if again.count("\ufffd") < text.count("\ufffd"):
            return again
    return text


def _raw_8bit_name(part: Message) -> str | None:
    """A file name sent as raw 8-bit bytes (GBK from older Chinese clients), decoded.

    policy.default decodes such bytes as UTF-8 with replacement characters; the raw
    header source keeps them as surrogate escapes, which we can still decode.
    """
    for header, value in part.raw_items():
        if header.lower() not in ("content-disposition", "content-type"):
            continue
        text = str(value)
        if not any("\udc80" <= ch <= "\udcff" for ch in text):
            continue
        # filename*=gb2312''王.xlsx in raw GBK (RFC 2231's form, its bytes unescaped) likewise
        m = re.search(r'(?:file)?name(?:\*\s*=\s*(?:[\w-]*\'[\w-]*\')?|\s*=)\s*"?([^";\r\n]+)"?', text, re.I)
        if m:
            return _decode_bytes(m.group(1).encode("utf-8", "surrogateescape"))
    return None


def attachment_name(part: Message) -> str:
    """The attachment's file name however the sender's client encoded it."""
    raw8 = _raw_8bit_name(part)
    if raw8:
        return clean(raw8)
    name: Any = None
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name is None:
        name = part.get_param("name")
    if isinstance(name, tuple):  # RFC 2231 triple from compat32 parsing
        charset, _, raw = name
        name = decode_declared(raw.encode("latin-1", "surrogateescape"), charset)
    name = str(name or "") or _unquoted_name(part)
    if "\ufffd" in name:
        # A charset label that lies, or a GBK character split across two RFC 2047 words (which
        # policy.default decodes one by one): decode the header's source again ourselves.
        raw = _header_source(part, "Content-Disposition") + ";" + _header_source(part, "Content-Type")
        m = re.search(r'(?:file)?name\s*=\s*"?([^";]+)"?', raw, re.I)
        if m:
            name = decode_words(m.group(1))
        else:
            name = _rfc2231_name(part) or name
    return clean(decode_words(name) if "=?" in name else _fix_mojibake(name))


def _rfc2231_name(part: Message) -> str:
    """An RFC 2231 name (``filename*=gb2312''%CD%F5…``, with or without continuations) decoded as
    `decode_declared` reads a label: policy.default takes gb2312 at its word, and a GBK-only
    character (喆, 镕, 堃) came out as U+FFFD in collect while `mail fetch` read it whole."""
    from email.message import Message as Compat  # compat32: an RFC 2231 value as its octets, undecoded

    for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        source = _header_source(part, header)
        if "*=" not in source:
            continue
        compat = Compat()
        compat[header] = source
        value = compat.get_param(param, header=header)
        with contextlib.suppress(UnicodeEncodeError):  # a raw byte compat32 made U+FFFD: no octets
            if isinstance(value, tuple):  # (charset, language, the octets as Latin-1)
                return decode_declared(value[2].encode("latin-1", "surrogateescape"), value[0])
    return ""


#: ``filename==?GBK?B?…?=``: an RFC 2047 word as a parameter, unquoted (Foxmail, OA systems)
_UNQUOTED_NAME = re.compile(r"(?:^|;)\s*(?:file)?name\s*=\s*(=\?[^\s\";]+\?=(?:\s*=\?[^\s\";]+\?=)*)", re.I)


def _unquoted_name(part: Message) -> str:
    """The file name of a parameter policy.default drops: an unquoted RFC 2047 word holds "=" and
    "?", which no token may, and the parser keeps no value. Without a name the attachment was
    left out of the mail when its type is no spreadsheet's (a town's 7z holding its form, QA300)."""
    for header in ("Content-Disposition", "Content-Type"):
        m = _UNQUOTED_NAME.search(_header_source(part, header))
        if m:
            return m.group(1)
    return ""


def _address(value: str) -> str:
    import email.utils

    text = decode_words(str(value or ""))
    realname, addr = email.utils.parseaddr(text)
    return f"{realname} <{addr}>" if realname and addr else (addr or text)


#: a Date's comments, "(CST)" in "+0800 (CST)": no part of its zone
_DATE_COMMENT = re.compile(r"\([^()]*\)")
#: a numeric zone, "+0800", "-0000", or the "+0800" of "GMT+0800" (JavaScript's Date); "+08:00" too
#: (PHP's DATE_ATOM offset): left unread, "+00:00" of a server on UTC was the office's wall time,
#: eight hours early, and a return sent after the deadline was 按时 (QA300)
_NUMERIC_ZONE = re.compile(r"(?<![\d:])([+-])(\d\d):?(\d\d)(?![\d:])")
#: "CST" alone, as Java's date formats write China Standard Time (Tue Jul 05 15:00:00 CST 2022)
_BARE_CST = re.compile(r"(?<![A-Za-z])CST(?![A-Za-z])", re.I)
_CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


#: 2022-07-05 15:00:00 +0800 (+08, CST), as some OA systems write a Date (not RFC 5322): unread, the
#: mail fell back to the saved file's time, days later for a mail saved by hand
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                       r"\s*(?:(Z|CST)|([+-])(\d{2})(?::?(\d{2}))?)?\s*(?:\([^()]*\))?\s*$")


def _iso_date(text: str) -> dt.datetime | None:
    """A Date written the ISO way; naive (the office's wall time) without an offset."""
    m = _ISO_DATE.match(text)
    if not m:
        return None
    try:
        d = dt.datetime(*(int(g) for g in m.group(1, 2, 3, 4, 5)), int(m.group(6) or 0))
    except ValueError:
        return None
    if m.group(7):  # Java's yyyy-MM-dd HH:mm:ss z writes China Standard Time as CST
        return d.replace(tzinfo=dt.timezone.utc if m.group(7) == "Z" else _CHINA)
    zone = _zone(m.group(8), m.group(9), m.group(10) or "00") if m.group(8) else None
    return d.replace(tzinfo=zone) if zone is not None else d


def _zone(sign: str, hours: str, minutes: str) -> dt.timezone | None:
    """The zone of a numeric offset (+0800, -0000); None for one no zone can have (-9999:
    `dt.timezone` refuses it), read as no zone."""
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == "-" else 1)
    return dt.timezone(offset) if abs(offset) < dt.timedelta(days=1) else None


def _date(msg: Message) -> dt.datetime | None:
    import email.utils

    try:
        value = msg.get("Date")
        if not value:
            return None
        # Kept aware: collect turns it into the workspace's time zone, never the machine's.
        d = email.utils.parsedate_to_datetime(str(value))
    except Exception:  # TypeError, ValueError, OverflowError (year 1 in +14:00) ...
        return _iso_date(str(msg.get("Date") or ""))
    # The header as written: the parsed one has read CST as US Central (-0600), and left a
    # time naive (the office's wall time) for -0000 and for GMT+0800.
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "date"), "")
    words = _DATE_COMMENT.sub(" ", raw)
    zones = _NUMERIC_ZONE.findall(words)
    if d.tzinfo is None and len(zones) == 1:
        # -0000 is UTC from a system that does not say its own zone (RFC 5322; Python's
        # formatdate writes it), GMT-0800 is eight hours behind: as the office's wall time,
        # a return sent at 01:00 after the deadline day was 按时
        zone = _zone(*zones[0])
        if zone is not None:
            return d.replace(tzinfo=zone)
    if not zones and _BARE_CST.search(words):
        # Mail that reaches a Chinese office dated CST with no offset (Java-built OA and mail
        # systems) means China Standard Time, UTC+8. Read as US Central, a return sent at
        # 15:00 on the deadline day arrived "at 05:00 the next day": its unit was 逾期报送
        return d.replace(tzinfo=_CHINA)
    return d


#: an attachment with no name is kept when its type may be a return (an archive may hold one:
#: a town's 7z sent with no name was left out of its mail, QA300)
_SPREADSHEET_TYPES = ("spreadsheet", "excel", "ms-excel", "zip", "octet-stream", "opendocument", "rar", "7z")


def parse_mail(data: bytes, max_parts: int = 200, max_depth: int = 3,
               office: frozenset[str] = frozenset(), units: frozenset[str] = frozenset()) -> ParsedMail:
    """Subject, sender, date and every attached file, forwarded messages included.
    ``office``: the office's own addresses (`settings.MailSettings.addresses`), ``units``: those
    单位名录 gives its units (`addresses.directory_addresses`), by which a forwarded message's
    Date stands or not (`addressed_to_office`)."""
    import email
    from email import policy

    msg = email.message_from_bytes(data, policy=policy.default)
    out = ParsedMail(subject=header_text(msg, "Subject").strip(),
                     sender=_address(header_text(msg, "From")), date=_date(msg))
    out.defects = [type(d).__name__ for d in msg.defects]
    out.to = _sent_to(msg)
    budget = [max_parts]
    # the mail is "around" its forwarded messages: whom it was sent to
    _walk(msg, out, Attachment("", b"", to=out.to, ids=(_message_id(msg),)), budget, max_depth, office, units)
    out.cloud = _links_sent_in(out.bodies, out.body_from)
    out.report, out.bounced, receipt = delivery_report(msg, out.sender)
    out.auto_reply = auto_reply(out.subject, msg) or receipt or out.report
    out.quotes = out.report or receipt or auto_reply(out.subject, msg, bulk=False)
    out.answers = returned_ids(msg) if out.auto_reply else []
    out.acknowledgement = not out.attachments and not out.cloud and acknowledgement(out.bodies)
    return out


def _links_sent_in(bodies: list[tuple[str, str]], around: list[Attachment]) -> list[CloudFile]:
    """`cloud_files`, each link in a forwarded message with that message (the innermost holding
    it; `CloudFile.sent_in`): the department sent it then, as a file attached there (QA242)."""
    where: dict[str, Attachment] = {}
    for body, a in sorted(zip(bodies, around), key=lambda b: -b[1].via.count(" › ") if b[1].via else 1):
        for f in cloud_files([body]) if a.via else ():
            where.setdefault(f.link, a)
    return [replace(f, sent_in=where[f.link]) if f.link in where else f for f in cloud_files(bodies)]


def _message_id(msg: Message) -> str:
    """A message's Message-ID as duban records one sent (``<…>``); '' when it has none."""
    found = re.search(r"<[^<>\s]+>", str(msg.get("Message-ID", "") or ""))
    return found.group(0) if found else ""


def _sent_to(msg: Message) -> tuple[str, ...]:
    """`_recipients` of a message's To, Cc and Bcc: a department's Sent copy keeps whom it
    blind-copied (To its 上级, Bcc the office), which a received message never shows."""
    return _recipients(msg.get("From", ""), [h for name in ("To", "Cc", "Bcc") for h in msg.get_all(name, [])])


def _recipients(sender: object, headers: list) -> tuple[str, ...]:
    """The addresses of To, Cc and Bcc ``headers``, lower-cased, but the ``sender``'s own (a town
    forwarding with itself in Cc): whom a message went to (`addressed_to_office`)."""
    own = addresses_in(decode_words(str(sender or "")))
    found = addresses_in("；".join(decode_words(str(h)) for h in headers if h))
    return tuple(sorted(found - own))


def addressed_to_office(to: tuple[str, ...], around: tuple[str, ...], office: frozenset[str],
                        units: frozenset[str] = frozenset()) -> bool | None:
    """Whether a forwarded message, sent to ``to``, was sent to the office: its Date is then
    when the department sent its return to the office, whoever forwarded it later. False when
    it provably went to a unit, not the office: every address it was sent to is one 单位名录
    gives a unit (``units``) and none the office's (``office``: duban.toml [mail]); the village's
    mail to its town (To: lb@dg.gov.cn, 寮步镇's) reached the office when the town forwarded it
    (the message ``around`` it, sent to ``around``). None when it cannot be told.

    A message sent to the one who forwarded it, or to a personal mailbox 单位名录 does not
    know, is None, not False: so looks a department's mail to the office clerk's own mailbox
    (zhangsan@163.com) that the clerk forwarded to the office days later (QA173), and only the
    office knows. Without [mail], a message sent where the forward went was sent to the office
    (collect gives the organiser's 名录 addresses as ``office`` then: `addresses.office_mailboxes`).
    A message sent to no one it shows is None too (a Sent copy shows its Bcc: `_sent_to`).
    The caller then goes by the message's own Date and says the forward's when that would
    make the unit 逾期: a wrong 逾期 in a public 通报 is worse than a lenient 按时, so no unit
    is named 逾期 on a guess."""
    mine = set(to)
    if not mine:
        return None
    if mine & office or (not office and mine & set(around)):
        return True
    return False if mine <= units - office else None


def forwarded(around: Attachment, subject: str, sender: str, date: dt.datetime | None,
              to: tuple[str, ...] = (), office: frozenset[str] = frozenset(),
              units: frozenset[str] = frozenset(), own_id: str = "") -> Attachment:
    """The evidence a forwarded message gives the files inside it: its own subject, From and
    Date, each falling back to the message around it, as `unpack` does for an .eml file
    inside an .eml file (a bare template: name and data are the file's, filled in later).
    Its Date and From not when it provably went to a unit (`addressed_to_office`, ``to``);
    ``unsure`` when whom it went to cannot be told."""
    via = f"转发的邮件“{subject or '（无主题）'}”" + (f"（发件人 {sender}）" if sender else "")
    via = f"{around.via} › {via}" if around.via else via
    sent = addressed_to_office(to, around.to, office, units)
    ids = (*around.ids, own_id)
    if sent is False:  # delivered by the forward: the forward's time and sender
        return Attachment("", b"", via, around.date, around.sender, subject or around.subject, to, True,
                          around.unsure, ids)
    return Attachment("", b"", via, date or around.date, sender or around.sender, subject or around.subject, to,
                      around.elsewhere and not date, (sent is None) if date else around.unsure, ids)


def _walk(msg: Message, out: ParsedMail, around: Attachment, budget: list[int], depth: int,
          office: frozenset[str] = frozenset(), units: frozenset[str] = frozenset()) -> None:
    """Collect attachments part by part; a forwarded message/rfc822 is opened with its own
    subject, sender and date (``around``: those of the forwarded messages this part is in)."""
    from email.message import Message

    budget[0] -= 1
    if budget[0] < 0:
        out.skipped_parts += 1
        return
    ctype = msg.get_content_type()
    if ctype == "message/rfc822":
        inner = msg.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, Message) and depth > 0:
            here = forwarded(around, header_text(inner, "Subject").strip(),
                             _address(header_text(inner, "From")), _date(inner),
                             _sent_to(inner),
                             office, units, _message_id(inner))
            _walk(inner, out, here, budget, depth - 1, office, units)
        return
    if msg.is_multipart():
        payload = msg.get_payload()
        for part in payload if isinstance(payload, list) else []:
            if isinstance(part, Message):
                _walk(part, out, around, budget, depth, office, units)
        return
    disposition = (msg.get_content_disposition() or "").lower()
    name = attachment_name(msg)
    maintype = msg.get_content_maintype()
    if not name:
        if disposition != "attachment" and maintype in ("text", "multipart", "image"):
            if ctype in ("text/plain", "text/html"):  # the body: it may link a 超大附件
                out.bodies.append((msg.get_content_subtype(), _body_text(msg)))
                out.body_from.append(around)
            return  # the mail body or an inline picture
        if not any(t in ctype for t in _SPREADSHEET_TYPES):
            return
        name = "未命名附件.xlsx" if "spreadsheet" in ctype else "未命名附件"
    elif disposition == "inline" and maintype == "image":
        return  # a signature logo
    try:
        payload = msg.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = msg.get_payload()
        payload = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    if ctype == "application/applefile" and payload.startswith(_APPLEDOUBLE):
        # Apple Mail's multipart/appledouble: the Finder's data on the file, under the file's own
        # name; the file is the part after it. Kept, it was a second 寮步镇.xlsx 无法读取.
        return
    out.attachments.append(Attachment(name, payload, around.via, around.date, around.sender, around.subject,
                                      around.to, around.elsewhere, around.unsure, around.ids))


#: RFC 1740's AppleDouble header (magic number and version 2); AppleSingle (00051600) holds the file
_APPLEDOUBLE = b"\x00\x05\x16\x07"
#: a body read for links is cut here: a cloud attachment's block is a few kilobytes
_BODY_LIMIT = 1 << 20


def _body_text(part: Message) -> str:
    """A text part as text, its charset mislabelled or not (GBK sent as gb2312, as ASCII)."""
    try:
        raw = part.get_payload(decode=True) or b""
    except Exception:
        return ""
    return decode_declared(raw[:_BODY_LIMIT], part.get_content_charset())
