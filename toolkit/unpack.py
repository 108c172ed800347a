"""Opening containers: mails (.eml, .msg) and archives (.zip) into the files they carry.

Every received input becomes an `Item`; a mail or an archive gets one child `Item` per file
inside it, recursively, within the limits (depth, nesting, entry count, unpacked size,
compression ratio). Nothing is written here; `collect` archives and records the tree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .period import Period
from .report import Issue, Report, make_issue
from .settings import Limits
from .sniff import ARCHIVE_KINDS, EMPTY_ARCHIVE, detect, is_junk, last_part, leaf_name
from .text import decode_name, safe_filename
from .vocab import Outcome, TimeSource

if TYPE_CHECKING:
    from .mail import Attachment

CONTAINER, UNREADABLE = Outcome.CONTAINER, Outcome.UNREADABLE


@dataclass
class Item:
    """One received input: an inbox file, or a file found inside a mail or zip."""

    name: str
    data: bytes
    source: str
    received_at: dt.datetime
    kind: str = ""
    inbox_path: str | None = None
    depth: int = 0                 # archives around this item (limits.max_zip_depth)
    level: int = 0                 # containers of any kind around this item (limits.max_nesting)
    size: int = -1                 # bytes; data is empty for an oversized inbox file
    path: Path | None = None       # oversized inbox file, archived by streaming copy
    inbox_file: Path | None = None  # the inbox file itself (inbox_path is its name as text)
    budget: list[int] | None = None  # bytes still allowed to unpack, shared by one input's tree
    children: list[Item] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    report: Report | None = None
    outcome: str = ""
    note: str = ""
    sha256: str = ""
    archive_rel: str = ""
    receipt_id: int | None = None
    # evidence (docs/design.md "Evidence rules"): who sent it and how its time is known
    sender: str = ""               # the mail's From, inherited by what the mail carries
    subject: str = ""              # the mail's subject, likewise
    entry: str = ""                # path inside the archive that held this file
    time_source: str = ""          # a `TimeSource`; received_at is aware until collect settles it
    doubt: str = ""                # why received_at decides no 逾期 ('' when it can)
    # the carrying mail's own Date when the mailbox's INTERNALDATE is the time used instead:
    # said on screen when the two fall either side of the deadline
    mail_date: dt.datetime | None = None
    # attribution of a file that has no report of its own (refused, duplicate, not a sheet)
    unit: str | None = None
    period: Any = None             # a Period
    identified_by: str = ""
    released: bool = False         # data dropped once archived: `read_back` reads the archive
    # a mail's files sent as links (超大附件, 云附件: `toolkit.cloud`), to be downloaded by hand
    cloud: list[Any] = field(default_factory=list)
    auto_reply: bool = False       # an automatic reply or an acknowledgement (收到) carrying nothing: not a return
    # in a forwarded message without a usable Date: timed by the forward, not by the department
    forward_timed: bool = False
    # downloaded from the link in a mail forwarded inline (转发：, `downloads`): timed, as that
    # mail's attachments are, by a Date that may be days after the department sent it
    linked_inline: bool = False
    # timed by a forwarded message's own Date (`TimeSource.FORWARDED`) not known to have been sent
    # to the office: when the forward carrying it reached the office, set by collect as it settles
    # the times and said when it would have made the unit 逾期 (`evidence.on_time_on_weak_evidence`)
    forward_time: dt.datetime | None = None
    # a forwarded message's own Date later than the mail that carried it (a wrong zone on the
    # department's PC): received_at is that mail's instead, set by collect (`evidence.cap_at_carrier`)
    capped_from: dt.datetime | None = None
    # the office's own addresses (`MailSettings.addresses`) and its units' (`addresses.directory_addresses`),
    # given to an inbox file by collect: whom a forwarded message was sent to (`mail.addressed_to_office`)
    office: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    # whom the innermost mail carrying this item was sent to (`ParsedMail.to`); None: no mail carries it
    mail_to: tuple[str, ...] | None = None
    # the names of the archives (.zip, .7z, .rar) holding it, nearest first: evidence of its unit as
    # a path inside one is. 石排镇's form sent as 2022年6月_石龙镇_进展填报表.zip went in as 石排镇's
    # with nobody asked, and 石龙镇 stood 未报送 (QA252)
    carriers: tuple[str, ...] = ()
    # a zip entry's own date: which of two versions of a return in one archive is the newer
    # (`versions`), never when it was sent (`TimeSource.CARRIER`); None when it has none
    entry_time: dt.datetime | None = None
    # what the office sent, given by collect (`office_copies.OfficeCopies`): its own files coming
    # back (an automatic reply's, a bounce's, a blank form) are no return; why one is (`office_copies`)
    copies: Any = None
    copy_of: str = ""
    # an automatic reply or a delivery report (`office_copies.AUTO_REPLY`, `BOUNCE`): the addresses
    # a bounce says failed (`mail_auto.Bounce`), the unit its returned mail went to, that mail's subject
    automatic: str = ""
    bounced: list[Any] = field(default_factory=list)
    bounced_unit: str = ""
    returned_subject: str = ""

    def __post_init__(self) -> None:
        if self.size < 0:
            self.size = len(self.data)
        if not self.sha256:
            self.sha256 = hashlib.sha256(self.data).hexdigest()

    def release(self) -> None:
        """Drop the bytes of an archived item (``archive_rel`` holds them)."""
        if self.archive_rel and self.data:
            self.data, self.released = b"", True

    @property
    def bytes_ref(self) -> bytes | tuple[str, str]:
        """The bytes, or where they are archived once released: for `read_back`."""
        return (self.archive_rel, self.sha256) if self.released else self.data

    @property
    def hints(self) -> list[str]:
        """Weakest evidence of unit and period, strongest first: file name, archive path, subject,
        the names of the archives holding it."""
        return [Path(self.name).stem, self.entry, self.subject, *(Path(c).stem for c in self.carriers)]

    @property
    def hint_words(self) -> list[str]:
        """Each of `hints` as a question to the office names it (W206)."""
        return [f"文件名“{self.name}”", f"压缩包内路径“{self.entry}”", f"邮件主题“{self.subject}”",
                *(f"压缩包“{c}”" for c in self.carriers)]

    def inherit(self, child: Item) -> Item:
        """Give a file found inside this one the evidence of what carried it."""
        child.sender, child.subject, child.time_source = self.sender, self.subject, TimeSource.CARRIER
        child.forward_timed, child.office, child.units = self.forward_timed, self.office, self.units
        child.mail_to, child.copies = self.mail_to, self.copies
        child.carriers = ((self.name,) if self.kind in ("zip", *ARCHIVE_KINDS) else ()) + self.carriers
        return child

    def carry(self, child: Item, entry: str = "") -> Item:
        """`inherit`, and keep the file as a child (``entry``: its path in an archive)."""
        child.entry = entry or child.entry
        self.children.append(self.inherit(child))
        return child

    def walk(self) -> Iterable[Item]:
        yield self
        for c in self.children:
            yield from c.walk()


def read_back(root: Path, ref: bytes | tuple[str, str]) -> bytes:
    """An item's bytes from its `Item.bytes_ref`: read back from the archive, checked again."""
    if isinstance(ref, bytes):
        return ref
    rel, sha256 = ref
    data = (root / rel).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OSError(f"归档文件已被改动：{rel}")
    return data


# ---------------------------------------------------------------------------
# expanding containers


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Entry name: UTF-8 when flagged, else the GBK that Windows' compressor writes."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return decode_name(raw)


def _entry_time(info: zipfile.ZipInfo) -> dt.datetime | None:
    """The entry's date as written (1980-01-01, the format's zero, is none)."""
    if info.date_time[:3] == (1980, 1, 1):
        return None
    try:
        return dt.datetime(*info.date_time)
    except ValueError:
        return None


def expand(item: Item, limits: Limits) -> None:
    """Detect what an item is and open mails and zips into child items, recursively."""
    item.kind = detect(item.data, item.name)
    if item.copies is not None and item.kind not in ("zip", "eml", "msg", *ARCHIVE_KINDS):
        from .office_copies import blank_form  # deferred: only a workspace's collect gives `copies`

        if blank_form(item):  # the form as issued, untouched: no return, never checked
            return
    if item.kind in ("zip", "eml", "msg", *ARCHIVE_KINDS) and item.level >= limits.max_nesting:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E104", file=item.name, detail=f"邮件和压缩包嵌套超过 {limits.max_nesting} 层"))
        return
    if item.kind == "zip":
        _expand_zip(item, limits)
    elif item.kind == "eml":
        _expand_mail(item, limits)
    elif item.kind == "msg":
        _expand_msg(item, limits)
    elif item.kind in ARCHIVE_KINDS:  # .7z and .rar: toolkit/archives.py, same guards as zip
        # deferred: a month of spreadsheets and mails meets no .7z or .rar, and importing
        # archives was 1.2 ms of every collect (-X importtime, min of 11)
        from .archives import expand_archive

        expand_archive(item, limits, _carried_by(item), expand)


def _carried_by(parent: Item):
    """An Item factory for toolkit/archives.py: children inherit the carrier's evidence."""
    def make(name: str, data: bytes, source: str, received_at: dt.datetime, **kw: Any) -> Item:
        return parent.inherit(Item(name, data, source, received_at, **kw))
    return make


def _expand_zip(item: Item, limits: Limits) -> None:
    item.outcome = CONTAINER
    if item.depth >= limits.max_zip_depth:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E104", file=item.name,
                                      detail=f"压缩包嵌套超过 {limits.max_zip_depth} 层"))
        return
    # One allowance for everything unpacked from one inbox file, zips in zips included.
    if item.budget is None:
        item.budget = [limits.max_unpacked_bytes]
    budget = item.budget
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(item.data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if len(infos) > limits.max_entries:
                raise _Refuse("E104", detail=f"压缩包内有 {len(infos)} 个文件")
            if sum(i.file_size for i in infos) > budget[0]:
                raise _Refuse("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
            for info in infos:
                entry = _zip_name(info)
                leaf = leaf_name(entry)
                if is_junk(entry):
                    continue
                source = f"{item.source} › 压缩包“{item.name}”内的“{entry}”"
                if info.flag_bits & 0x1:
                    child = item.carry(Item(leaf, b"", source, item.received_at, depth=item.depth + 1,
                                            level=item.level + 1, budget=budget), entry)
                    child.kind, child.outcome = "encrypted", UNREADABLE
                    child.issues.append(make_issue("E102", file=leaf))
                    continue
                if (info.compress_size and info.file_size > 1048576
                        and info.file_size / info.compress_size > limits.max_ratio):
                    raise _Refuse("E104", detail=f"“{entry}”压缩比 {info.file_size // info.compress_size}:1")
                chunks = []
                with z.open(info) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        budget[0] -= len(chunk)
                        if budget[0] < 0:
                            raise _Refuse("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
                        chunks.append(chunk)
                item.carry(Item(leaf, b"".join(chunks), source, item.received_at, depth=item.depth + 1,
                                level=item.level + 1, budget=budget), entry)
                item.children[-1].entry_time = _entry_time(info)
            if not item.children:  # empty, folders only, or only what `is_junk` leaves out
                raise _Refuse("E101", reason=EMPTY_ARCHIVE)
    except _Refuse as refusal:
        budget[0] += total  # nothing of it is kept
        item.children.clear()
        item.outcome = UNREADABLE
        item.issues.append(make_issue(refusal.code, file=item.name, **refusal.params))
        return
    except RuntimeError:
        budget[0] += total
        item.outcome = UNREADABLE
        item.children.clear()
        item.issues.append(make_issue("E102", file=item.name))
        return
    except Exception as exc:  # zipfile and zlib raise many kinds for damaged archives
        budget[0] += total
        item.outcome = UNREADABLE
        item.children.clear()
        item.issues.append(make_issue("E101", file=item.name, reason=f"压缩包损坏（{type(exc).__name__}）"))
        return
    for child in item.children:
        if not child.outcome:
            expand(child, limits)


class _Refuse(Exception):
    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


def _expand_mail(item: Item, limits: Limits) -> None:
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import parse_mail

    item.outcome = CONTAINER
    try:
        mail = parse_mail(item.data, limits.max_mail_parts, office=item.office, units=item.units)
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E101", file=item.name, reason=f"邮件格式损坏（{type(exc).__name__}）"))
        return
    _adopt_mail(item, mail, limits)


def _adopt_mail(item: Item, mail, limits: Limits) -> None:
    # a mail attached to a mail is a forwarded one: its Date and From are the files' unless it
    # provably went to a unit, not the office (`mail.addressed_to_office`, as `adopt_forwarded`)
    from .mail import addressed_to_office
    from .office_copies import automatic_note, mail_copy

    sent = True if item.mail_to is None else addressed_to_office(mail.to, item.mail_to, item.office, item.units)
    if mail.date and sent is not False:  # not known whom it went to: its Date, the forward's said
        item.received_at, item.time_source = mail.date, TimeSource.MAIL if sent else TimeSource.FORWARDED
        item.forward_timed = False
    elif item.level and sent is not False:  # without a Date: its files go by the one forwarding it
        item.forward_timed = True
    if sent is not False:
        item.sender = mail.sender or item.sender
    item.subject, item.mail_to = mail.subject or item.subject, mail.to
    desc = f"邮件“{mail.subject or '（无主题）'}”"
    if mail.sender:
        desc += f"（发件人 {mail.sender}）"
    item.note = desc
    if mail.skipped_parts:
        item.issues.append(make_issue("E104", file=item.name,
                                      detail=f"邮件部分过多，另有 {mail.skipped_parts} 个部分未处理"))
    _automatic(item, mail)
    for att in mail.attachments:
        source = f"{item.source} › {desc}" + (f" › {att.via}" if att.via else "") + f"的附件“{att.name}”"
        # an attachment's name is one name: 市委宣传部/市新闻办_进展填报表.xlsx must not become
        # 市新闻办_进展填报表.xlsx, another unit's name (review); but a client that sends a whole
        # path (C:\Users\…\下发\2022年6月_东城街道_….pdf) means its last part (second review)
        name = att.name
        if re.match(r"([A-Za-z]:|[\\/])", name) or len(re.findall(r"[\\/]", name)) > 1:
            name = last_part(name)
        whole = name.replace("/", "／").replace("\\", "＼")
        child = item.carry(Item(safe_filename(whole), att.data, source, item.received_at,
                                depth=item.depth, level=item.level + 1, budget=item.budget))
        adopt_forwarded(child, att)
        if not mail_copy(item, mail, att, child):  # the office's own mail's files are no return
            expand(child, limits)
    item.note += automatic_note(mail)
    item.cloud = list(mail.cloud)
    if item.cloud:
        item.note += f"；{item.cloud[0].service} {len(item.cloud)} 个（链接，需手动下载）"
    elif not item.children:
        # an acknowledgement (收到，谢谢) is passed over as an automatic reply is: no return was meant
        item.auto_reply = mail.auto_reply or mail.acknowledgement
        item.note += "；回复收到，没有附件" if mail.acknowledgement and not mail.auto_reply else "；没有附件"


def _automatic(item: Item, mail) -> None:
    """Mark a mail that is an automatic reply or a delivery report (`office_copies`): what it
    is, the addresses a bounce failed, and the unit and subject of the office's mail it returns."""
    from .office_copies import AUTO_REPLY, BOUNCE  # deferred: as `expand`'s, collect's alone

    if not (mail.report or mail.auto_reply):
        return
    item.automatic, item.bounced = (BOUNCE if mail.report else AUTO_REPLY), list(mail.bounced)
    own = item.copies.own([*mail.answers, *(i for a in mail.attachments for i in a.ids[1:])]) if item.copies else None
    item.bounced_unit = own[2] if own else ""
    if own and not item.period:  # in the month's 收件登记 (退信, 自动回复), a file of it or not
        item.period = Period.parse(own[1])
    item.returned_subject = next((a.subject for a in mail.attachments if a.via and a.subject), "")


def adopt_forwarded(child: Item, att: Attachment) -> None:
    """A file inside a forwarded message (message/rfc822) takes that message's Date and From,
    as it would had the message been forwarded as an .eml file (`_adopt_mail` on that file):
    the department sent it then, whenever a colleague forwarded it to the office. Whatever
    the forwarded message lacks stays the mail's, which `carry` gave; so does all of it when
    it provably went to a unit (`mail.addressed_to_office`: ``att.elsewhere``). Whom it went to
    not known (``att.unsure``), its Date is `TimeSource.FORWARDED`: the forward's time is said.
    So is a file downloaded from a link in it timed (`downloads`, QA242)."""
    if att.date:
        child.received_at = att.date
        child.time_source = TimeSource.FORWARDED if att.unsure else TimeSource.MAIL
        child.forward_timed = False
    elif att.via and not att.elsewhere:  # no Date: the forward's time, weak evidence
        child.forward_timed = True
    child.sender, child.subject = att.sender or child.sender, att.subject or child.subject
    if att.via:
        child.mail_to = att.to


def _expand_msg(item: Item, limits: Limits) -> None:
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail_msg import parse_msg

    try:
        mail = parse_msg(item.data, item.office, item.units)
    except ImportError:
        item.outcome = UNREADABLE
        item.issues.append(make_issue(
            "E103", file=item.name, ext=".msg",
            advice="读取 Outlook .msg 需要安装扩展：pip install \"duban[msg]\"（含 GPL-3.0 组件 extract-msg）；"
                   "或在 Outlook 中把附件另存到收件箱。"))
        return
    except Exception as exc:
        item.outcome = UNREADABLE
        item.issues.append(make_issue("E101", file=item.name, reason=f"Outlook 邮件损坏（{type(exc).__name__}）"))
        return
    item.outcome = CONTAINER
    _adopt_mail(item, mail, limits)
