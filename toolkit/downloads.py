"""Files the office downloaded from a mail's cloud-attachment link (W211): which mail each came from.

A department that links its return (QQ 超大附件, 网易云附件: `toolkit.cloud`) sent it when the
mail went, whenever the office downloads it: the file, dropped into 收件箱 under the name the
mail gave it (a browser's "(1)" aside), takes that mail's time and source, as it would have
had it been attached. Its modification time is the day of the download, and the 通报 would
name the unit 逾期 on it. It takes the mail's time as weak as an attachment would (a mail
forwarded inline, the mailbox's time beside an on-time Date: `evidence.weak_kind`), read from
the mail in this run or from what collect kept of it by receipt (`ledger.time_basis`): a unit
逾期 on that alone is asked about (`file_time`), not named 逾期 with nothing said. A link in a
forwarded message (message/rfc822: `cloud.CloudFile.sent_in`) times its file as a file attached
to that message would be (QA242): by the message's own Date (`TimeSource.FORWARDED` when whom it
went to cannot be told, the forward's time said beside it), else by the forward, weakly.

Units link one name every month (市残联进展填报表.xlsx in June and in July), so the name alone
decides nothing. Among the mails of the file's own unit (or of none known) that gave the name,
in this run or an earlier one, the file goes to the one mail left:

* a mail that says another month than the form says of itself (_meta, 填报期) is not it: the
  month in its subject or its words above the link (`evidence.mail_period`);
* of several, those collect filed under the form's month, then those whose stated size fits
  the file (`cloud.size_fits`), then those whose link had not expired when the file was saved.

What is left ambiguous, or matches no mail any more, is said on screen with what to do
(``collect --received``); nothing is guessed. A date the office states that way stands: a
mail of another day linking the file is only said. docs/design.md, W211.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .addresses import office_mailboxes
from .evidence import local, mail_period, mail_unit, settle_time, take_weak_kind, weak_kind
from .ledger.time_basis import weak_times
from .logs import log
from .period import Period
from .unpack import Item, adopt_forwarded
from .vocab import TimeSource

if TYPE_CHECKING:
    from .cloud import CloudFile

#: a browser's name for a second download of one file: 填报表 (1).xlsx, 填报表(2).xlsx
_COPY_MARK = re.compile(r"\s*[(（]\d{1,3}[)）](?=\.[^.]+$|$)")
_BY_MAIL = (TimeSource.MAIL, TimeSource.MAILBOX)
_AGAIN = "请把文件放回收件箱，运行 duban collect --received "


def cloud_key(name: str) -> str:
    """A cloud attachment's file name as the file downloaded from its link is matched by."""
    return _COPY_MARK.sub("", unicodedata.normalize("NFKC", name or "").strip()).casefold()


def cloud_name(message: str) -> str:
    """The file a W211 message names (its first quoted words), as `cloud_key`; '' for none."""
    m = re.match(r"“([^”]+)”", message or "")
    return cloud_key(m.group(1)) if m and m.group(1) != "（未写文件名）" else ""


@dataclass(frozen=True)
class Link:
    """One mail's link to a file of a name (`cloud_key`)."""

    key: str
    when: dt.datetime               # the time a file attached beside the link takes (`_timed`)
    how: str                        # its `TimeSource`
    mail: str                       # the mail's file name, as 收件登记 shows it
    subject: str                    # its subject (the forwarded message's, for a link in one)
    unit: str | None
    filed: Period | None            # the period collect filed the mail under
    said: Period | None             # the period the mail itself says (`evidence.mail_period`)
    file: CloudFile | None          # None: the archived mail could not be read again
    #: why the mail's time may not be when the department sent it (`evidence.weak_kind`: a mail
    #: forwarded inline, the mailbox's time beside its Date); None: it is the mail's own
    weak: tuple[str, str | None] | None = None
    #: when the forward brought a forwarded message timed by its own Date (`TimeSource.FORWARDED`)
    forward_time: dt.datetime | None = None
    via: str = ""                   # the forwarded message holding the link, as `unpack` names it

    @property
    def label(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} 的邮件“{self.subject or self.mail}”"


def downloaded_from_links(ws, ledger, directory, tops: list, addresses: dict[str, set[str]],
                          run_period: Period) -> list[tuple[str, str]]:
    """Give each loose file (`unpack.Item`) downloaded from a mail's link that mail's time
    (see the module doc); what to say on screen, ``(file, message)``. Run once the files are
    read, so each one's unit and month are known."""
    loose = [it for it in tops if it.time_source in (TimeSource.MTIME, TimeSource.STATED)]
    if not loose:
        return []
    keys = {cloud_key(it.name) for it in loose}
    links = (_ledger_links(ws, ledger, directory, _units_by_key(loose))
             + _run_links(tops, directory, addresses, run_period, keys, ws.tz))
    said = []
    for top in loose:
        chosen, message = _choose(top, links, ws.tz)
        if top.time_source == TimeSource.STATED:
            # The office's own word (collect --received) stands over a time inferred from a file
            # name: it is the remedy the lines below tell it to use when the mail chosen is not
            # the one. A mail of another day linking the file is said, not silently taken.
            # The forward's day, stated for a message whose recipient cannot be told, is what
            # `evidence.on_time_on_weak_evidence` told the office to state: not contradicted.
            if chosen is not None and top.received_at.date() not in {
                    chosen.when.date(), chosen.forward_time.date() if chosen.forward_time else None}:
                said.append((top.name, f"“{top.name}”按 --received 指定的日期 {top.received_at:%Y-%m-%d} "
                                       f"计报送时间，未按同名超大附件的{chosen.label}计。如文件是从该邮件的"
                                       f"链接下载的，{_AGAIN}{chosen.when:%Y-%m-%d}。"))
            continue
        if chosen is not None:
            for d in top.walk():  # what a downloaded archive holds was carried with it
                d.received_at, d.time_source, d.forward_time = chosen.when, chosen.how, chosen.forward_time
                # timed as the mail's attachments are, weak alike: asked about when 逾期 on it alone
                take_weak_kind(d, chosen.weak)
            via = f" › {chosen.via}" if chosen.via else ""
            how = f"从邮件“{chosen.mail}”{via}的超大附件链接下载，按该邮件的时间计"
            top.note = "；".join(filter(None, (top.note, how)))
        if message:
            said.append((top.name, message))
    return said


def _units_of(top) -> set[str]:
    """The units the returns in a loose file (or the archive it is) name."""
    return {d.report.unit for d in top.walk() if d.report is not None and d.report.unit}


def _units_by_key(loose: list) -> dict[str, set[str] | None]:
    """Each loose file's `cloud_key` → the units its returns name (None: one names none, and
    any unit's mail may be where it came from), as `_choose` takes a mail."""
    out: dict[str, set[str] | None] = {}
    for top in loose:
        units = _units_of(top)
        key = cloud_key(top.name)
        out[key] = None if not units or (key in out and out[key] is None) else out.get(key, set()) | units
    return out


def _ledger_links(ws, ledger, directory, keys: dict[str, set[str] | None]) -> list[Link]:
    """Earlier runs' mails linking a file of one of ``keys`` (`_units_by_key`): each read again
    from the archive for what the ledger does not keep (its subject, words, the file's size and
    expiry), once, and only a mail `_choose` could take: units name their files alike every
    month, and another unit's mails would be parsed for nothing, a year's worth per download."""
    out = []
    read: dict[int, tuple[str, list[CloudFile]]] = {}  # a mail linking several files is read once
    kept: dict[int, tuple[str, str]] | None = None  # why a mail's time is weak, as collect kept it
    # whom a forwarded message went to, read as collect read it (`mail.addressed_to_office`)
    mailboxes: tuple[frozenset[str], frozenset[str]] | None = None
    for rec, issue in ledger.with_issue("W211"):
        key = cloud_name(issue.message)
        if key not in keys or rec.received_how not in _BY_MAIL:
            continue
        unit = (directory.resolve(rec.unit) or rec.unit) if rec.unit else None
        if unit is not None and keys[key] is not None and unit not in keys[key]:
            continue
        if rec.id not in read:
            mailboxes = mailboxes or office_mailboxes(ws.settings.mail.addresses, directory, ws.organiser)
            read[rec.id] = _read_again(ws, rec, *mailboxes)
        subject, files = read[rec.id]
        file = next((f for f in files if cloud_key(f.name) == key), None)
        said = mail_period([Path(rec.name).stem, subject], files, rec.received) if file else None
        kept = weak_times(ledger.conn) if kept is None else kept
        # the mail as collect settled it: its time, source and why that is weak, kept by receipt
        mail = Item(rec.name, b"", "", rec.received, time_source=rec.received_how, subject=subject)
        take_weak_kind(mail, kept.get(rec.id))
        out.append(Link(key, mail=rec.name, unit=unit, filed=rec.period, said=said, file=file,
                        **_timed(mail, file, ws.tz)))
    return out


def _timed(mail, f: CloudFile | None, tz) -> dict[str, Any]:
    """`Link`'s timing of a link ``f`` in ``mail`` (an `unpack.Item`, settled): the time a file
    attached beside the link would take. In a forwarded message (``f.sent_in``) that is the
    message's own, as `unpack.adopt_forwarded` and `evidence.settle_time` give a file attached
    to it, not the forward's with nothing said: the download is asked about, or said on time,
    alike (QA242)."""
    it, via = mail, ""
    if f is not None and f.sent_in is not None:
        it, via = mail.inherit(Item(f.name, b"", "", mail.received_at)), f.sent_in.via
        adopt_forwarded(it, f.sent_in)
        settle_time(it, tz, None, mail)
    return {"when": it.received_at, "how": it.time_source, "subject": it.subject, "weak": weak_kind(it),
            "forward_time": it.forward_time, "via": via}


def _read_again(ws, rec, office: frozenset[str], units: frozenset[str]) -> tuple[str, list[CloudFile]]:
    """The archived mail ``rec`` read again: its subject and links, each with the forwarded
    message holding it (``office``, ``units``: as collect read whom that went to)."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import parse_mail
    from .mail_msg import parse_msg

    try:
        data = (ws.root / rec.archive_path).read_bytes()
        mail = (parse_mail(data, ws.limits.max_mail_parts, office=office, units=units) if rec.kind == "eml"
                else parse_msg(data, office, units))
    except Exception as exc:  # the name alone still matches, as before the mails were read again
        log.info("无法从归档邮件读出超大附件：%s", rec.archive_path, exc_info=exc)
        return "", []
    return mail.subject, mail.cloud


def _run_links(tops: list, directory, addresses: dict[str, set[str]], run_period: Period,
               keys: set[str], tz) -> list[Link]:
    """This run's mails linking a file of one of ``keys``, filed as `evidence.bare_mails` will."""
    out = []
    for top in tops:
        for it in top.walk():
            if it.time_source not in _BY_MAIL or not it.cloud:
                continue
            unit = mail_unit(it, directory, addresses)[0]
            said = mail_period(it.hints, it.cloud, it.received_at)
            out += [Link(cloud_key(f.name), mail=it.name, unit=unit, filed=said or run_period, said=said, file=f,
                         **_timed(it, f, tz)) for f in it.cloud if cloud_key(f.name) in keys]
    return out


def _choose(top, links: list[Link], tz) -> tuple[Link | None, str]:
    """The mail ``top`` was downloaded from (None: none, or no one), and what to say."""
    units = _units_of(top)
    named = [x for x in links if x.key == cloud_key(top.name) and (x.unit is None or not units or x.unit in units)]
    if not named:
        return None, ""
    # deferred to a file some mail links: parsing mail (email, html.parser, toolkit.cloud)
    # is 6-10 ms of a collect's start, and most loose files were never linked
    from .cloud import size_fits

    periods = {d.report.period for d in top.walk() if d.report is not None and d.report.period
               and d.report.period_by in ("_meta", "填报期")}
    period = periods.pop() if len(periods) == 1 else None
    how = f"{top.time_source}（{top.received_at:%Y-%m-%d %H:%M}）"
    kept = [x for x in named if period is None or x.said in (None, period)]
    if not kept:
        months = "、".join(sorted({x.said.label for x in named if x.said}))
        return None, (f"“{top.name}”与{_mails(named)}中超大附件的文件名相同，"
                      f"但这份是{period.label}的填报表，邮件说的是{months}，不是这些邮件链接的文件，"
                      f"未按邮件的时间计，按{how}计报送时间。如确是从邮件的链接下载的，{_AGAIN}该邮件的日期"
                      "（计为逾期的也可双击“5-逐条核实”按该邮件的日期回答）。")
    expired: list[Link] = []
    prefer: tuple[Callable[[Link], bool], ...] = (
        lambda x: period is not None and x.filed == period,
        lambda x: x.file is None or size_fits(x.file.size, top.size) is not False,
        lambda x: not _expired_before(x, top, tz))
    for n, good in enumerate(prefer):
        if len(_times(kept)) > 1 and any(good(x) for x in kept):
            expired = [x for x in kept if not good(x)] if n == len(prefer) - 1 else []
            kept = [x for x in kept if good(x)]
    if len(_times(kept)) > 1:
        return None, (f"“{top.name}”与{len(_times(kept))}封邮件中超大附件的文件名相同（{_mails(kept)}），"
                      "从邮件所说的月份、文件大小和链接有效期都无法确定是从哪一封的链接下载的，"
                      f"未按邮件的时间计，暂按{how}计报送时间。请核实是哪一封，{_AGAIN}该邮件的日期"
                      "（计为逾期的也可双击“5-逐条核实”按该邮件的日期回答）。")
    chosen = kept[0]
    earlier = sorted((x for x in expired if x.when < chosen.when), key=lambda x: x.when)
    if not earlier:
        return chosen, ""
    first = earlier[0]
    saved = f"{top.received_at:%Y-%m-%d %H:%M}"
    return chosen, (f"“{top.name}”按{chosen.label}计报送时间：同名的{first.label}中的链接已于 "
                    f"{_expiry(first, tz)}过期，早于文件的修改时间（{saved}），文件不是从那里下载的。"
                    f"如该单位在那封邮件中已报送同一文件，{_AGAIN}{first.when:%Y-%m-%d}。")


def _times(links: Iterable[Link]) -> set[tuple[dt.datetime, str]]:
    """The mails among ``links``: one mail is one time (the same mail read twice is one)."""
    return {(x.when, x.how) for x in links}


def _mails(links: Iterable[Link]) -> str:
    seen: dict[tuple[dt.datetime, str], Link] = {}
    for x in sorted(links, key=lambda x: x.when):
        seen.setdefault((x.when, x.how), x)
    return "、".join(x.label for x in seen.values())


def _expired_before(link: Link, top: Any, tz) -> bool:
    """Whether the link had expired when the file was saved (its modification time): it was
    not downloaded from there. A mail that said its link had expired was dead from the start."""
    if link.file is None or top.time_source != TimeSource.MTIME:
        return False
    return link.file.expired or (link.file.expires is not None and local(link.file.expires, tz) < top.received_at)


def _expiry(link: Link, tz) -> str:
    return f"{local(link.file.expires, tz):%Y-%m-%d %H:%M} " if link.file and link.file.expires else ""
