"""`duban mail login | fetch | send`: the office mailbox, from duban.toml's ``[mail]``.

``fetch`` stores every message that carries a return, whole and byte for byte as the server
holds it, as one .eml in 收件箱; `collect` then treats it exactly like a mail the
coordinator saved by hand. Exactly once, whatever stops a run:

* each message is looked at once: a ``mail_fetched`` row per (account, folder, UIDVALIDITY,
  UID); a message seen again under another UID (folder renamed, moved, UIDVALIDITY reset)
  is known by its Message-ID and size, or after download by the sha256 of its bytes;
* the .eml is written under a hidden temporary name in 收件箱 (`collect` skips names
  starting with "."), then renamed; the ledger row is committed after the rename. A run
  killed between the two left a file without a row: the next run downloads the same bytes,
  derives the same name, finds the file (or, if `collect` already took it, its sha256 among
  the ledger's receipts) and only records the row;
* ``after_fetch`` (mark seen, move) runs after the rows are committed, and is remembered per
  row, so a run killed before it does it next time.

Every run is recorded (``mail_fetch_runs``: when it started, whether it looked at every message,
how many it looked at and stored), one that finds nothing new too: `remind` says when the mailbox
was last fetched unless a fetch completed today (`mail_notes.fetch_note`).

Sizes come from RFC822.SIZE and BODYSTRUCTURE before any body is downloaded: a message over
``max_file_mb`` is never fetched; it is recorded and named once, with its largest attachment.
A small mail with a text part that nothing in its metadata marks as a return has its body read
once (BODY.PEEK, no \\Seen) for a link to one (QQ 超大附件, 163 网盘: `links_return`).

Sending (`plan_send`, `send`) lives in `toolkit.mail_send`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from ..addresses import addresses_in
from ..cloud import CloudFile
from ..dates import cn_date
from ..errors import BadConfig, UsageError
from ..evidence import address_index, unit_of_address
from ..ledger import Ledger
from ..ledger.mail_records import DUPLICATE, FETCHED, SKIPPED, TOO_BIG, MailRecords
from ..logs import log
from ..mail import auto_reply, parse_mail
from ..mail_auto import bounce_sender
from ..mail_notes import returns_from
from ..mail_send import SendPlan, SendResult, cancelled_line, plan_send, send
from ..mailbox import (
    Imap,
    MailboxError,
    MessageInfo,
    Password,
    account_key,
    close_smtp,
    get_password,
    imap_endpoint,
    open_smtp,
    require_imap,
    save_password,
    smtp_endpoint,
)
from ..period import Period
from ..progress import Progress, no_progress
from ..text import cn_number, key, safe_filename, sentence
from ..workspace import Workspace

__all__ = ["FetchResult", "LoginResult", "SendPlan", "SendResult", "cancelled_line", "fetch", "fetch_first", "login",
           "plan_send", "send"]

#: Attachments that may be a return (or hold one): spreadsheets, archives, saved mails. Those
#: collect cannot read (.numbers, a .csv saved from the form) are fetched all the same: it
#: tells the unit how to send again (`sniff.SAVE_AS_ADVICE`); left in the mailbox, the unit
#: stood 未报送 with nothing said.
RETURN_EXTENSIONS = (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods", ".et", ".ett", ".numbers", ".csv", ".zip", ".rar",
                     ".7z", ".eml", ".msg")
#: ms-tnef: Outlook's rich-text mail carries every attachment inside one winmail.dat, whose
#: files collect cannot take out: left in the mailbox, the unit stood 未报送 with nothing said
RETURN_TYPES = ("spreadsheet", "excel", "opendocument.spreadsheet", "zip", "x-rar", "vnd.rar", "x-7z", "message/rfc822",
                "ms-tnef", "ms-outlook", "apple.numbers", "iwork-numbers", "text/csv", "comma-separated")
#: Named attachments that say what they are and are not returns (sent as octet-stream too).
OTHER_EXTENSIONS = frozenset((".pdf", ".doc", ".docx", ".wps", ".ofd", ".txt", ".jpg", ".jpeg", ".png",
                              ".gif", ".bmp", ".tif", ".tiff", ".ppt", ".pptx", ".htm", ".html", ".ics",
                              ".vcf", ".p7s", ".mp3", ".mp4", ".wav", ".amr"))
PARTIAL_PREFIX = ".duban-fetch-"  # hidden: collect never reads a half-written mail
PLAIN_WARNING = "注意：[mail] 设置为不加密连接（security = \"plain\"），密码和邮件以明文传送。"


# ---------------------------------------------------------------------------
# login


@dataclass
class LoginResult:
    """What `login` checked and stored."""

    user: str
    server: str
    env_set: bool = False

    def lines(self) -> list[str]:
        out = [f"已登录{self.server}（账号 {self.user}），密码正确。",
               "密码已保存到系统凭据管理器，以后收发邮件不再询问。"]
        if self.env_set:
            out.append("注意：环境变量 DUBAN_MAIL_PASSWORD 也已设置，收发邮件时优先使用它。")
        return out


def login(ws: Workspace, password: str) -> LoginResult:
    """Check ``password`` by logging in (IMAP if set up, else SMTP), then keep it in the OS
    credential store. Nothing is stored when the login fails."""
    mail = ws.settings.mail
    if not mail.configured or not mail.user:
        raise BadConfig("duban.toml 的 [mail] 中还没有设置邮箱。请用记事本打开 duban.toml，在 [mail] 中加上 "
                        'imap_host = "imap.xxx.gov.cn"、smtp_host = "smtp.xxx.gov.cn" 和 user = "dbb@xxx.gov.cn"，'
                        "再运行 duban mail login。")
    if not password:
        raise UsageError("密码不能为空。请重新运行 duban mail login。")
    given = Password(password, "输入")
    if mail.imap_host:
        server = str(imap_endpoint(mail))
        Imap.open(ws, given).close()
    else:
        server = str(smtp_endpoint(mail))
        close_smtp(open_smtp(ws, given))
    save_password(mail, password)
    log.info("已验证并保存邮箱 %s 的密码", mail.user)
    return LoginResult(mail.user, server, env_set=bool(os.environ.get("DUBAN_MAIL_PASSWORD")))


# ---------------------------------------------------------------------------
# fetch


@dataclass
class Stored:
    """One message written to 收件箱."""

    name: str
    sender: str
    subject: str
    received: dt.datetime  # INTERNALDATE in the workspace's time zone


@dataclass
class FetchResult:
    """What one `fetch` did, for the screen and the tests."""

    user: str
    folder: str
    since: dt.date
    stored: list[Stored] = field(default_factory=list)
    skipped: int = 0            # not returns: left untouched in the mailbox
    known: int = 0              # fetched by an earlier run
    duplicates: int = 0         # the same message again (another folder, UID or copy)
    too_big_before: int = 0     # oversized, named by an earlier run
    too_big: int = 0            # oversized, named by this run (in ``problems``)
    after: str = ""             # what after_fetch did
    problems: list[str] = field(default_factory=list)
    plain: bool = False
    #: why the fetch stopped before it had looked at every message ('' when it did): the mail
    #: not looked at may hold returns (`fetch_first` goes no further)
    unfinished: str = ""

    @property
    def judged(self) -> int:
        """The messages new to the ledger this run looked at (`mail_fetch_runs.looked_at`)."""
        return len(self.stored) + self.skipped + self.duplicates + self.too_big

    def lines(self) -> list[str]:
        out = [PLAIN_WARNING] if self.plain else []
        out.append(f"收取邮箱 {self.user} 的文件夹“{self.folder}”中 {cn_date(self.since)} 以后收到的邮件。")
        if self.stored:
            out.append(f"存入收件箱 {len(self.stored)} 封：")
            for s in self.stored:
                out.append(f"  {s.received:%Y-%m-%d %H:%M}  {s.sender}  {s.subject or '（无主题）'}")
        if self.duplicates:
            out.append(f"与已收取的邮件相同的 {self.duplicates} 封（在别的文件夹或已被移动过），未重复收取。")
        if self.known:
            out.append(f"以前已收取过的 {self.known} 封，不再重复收取。")
        if self.skipped:
            out.append(f"与报送无关的邮件 {self.skipped} 封，未收取（留在邮箱中，未作改动）。")
        out.extend(self.big_before())
        if self.after:
            out.append(self.after)
        out.extend(self.problems)
        if self.stored:
            out.append("下一步：运行 duban collect 校验并登记。")
        elif not self.problems:
            out.append("没有新的报送邮件。")
        return out

    def brief(self) -> list[str]:
        """`duban run`'s and `collect --fetch`'s account (`lines` is `mail fetch`'s): what was
        fetched in one line (`summary`), after the plain-text warning, before what went wrong."""
        return ([PLAIN_WARNING] if self.plain else []) + [self.summary()] + self.problems + self.big_before()

    def big_before(self) -> list[str]:
        """The mails too big to fetch named by an earlier run, still in the mailbox: said on every
        run, not once (the units they may be from: `too_big.big_mail_notes`)."""
        return [f"另有 {self.too_big_before} 封过大的邮件此前已报告，仍未下载。"] if self.too_big_before else []

    def summary(self) -> str:
        """What was fetched, in one line."""
        box = self.user if self.folder == "INBOX" else f"{self.user} 的文件夹“{self.folder}”"
        line = f"收取邮箱 {box}（{cn_date(self.since)} 以后收到的邮件）：" + (
            f"新的报送邮件 {len(self.stored)} 封，已存入收件箱" if self.stored else "没有新的报送邮件")
        left = [f"以前已收取过的 {self.known} 封不再重复收取"] if self.known else []
        if self.duplicates:
            left.append(f"重复的 {self.duplicates} 封未收取")
        if self.skipped:
            left.append(f"与报送无关的 {self.skipped} 封未收取")
        return line + (f"（{'，'.join(left)}）" if left else "") + "。" + self.after


def fetch(ws: Workspace, since: dt.date | None = None, progress: Progress = no_progress,
          period: Period | None = None) -> FetchResult:
    """Fetch the messages that carry returns into 收件箱 (see the module doc).

    ``since`` (a date in the workspace's time zone) defaults to the first day of the
    previous period when its forms were issued, else of the current one: a return never
    arrives before its period starts, but the office issues a month's forms at its start
    (the current period moves on) while the previous month's returns are still arriving,
    some of them in that month's last days. ``period``: the month a command reads the mail for
    (`run --period`): the default reaches back to its first day when that is earlier (June's
    return mailed on 29 June, run for June in August), and a subject naming it is about returns.
    """
    mail = require_imap(ws)
    password = get_password(mail)
    folder = mail.folder or "INBOX"
    ws.inbox.mkdir(parents=True, exist_ok=True)
    _remove_partial_files(ws.inbox)
    addresses = address_index(ws.load_master().directory)
    with Ledger(ws.ledger_path) as ledger:
        start = since or min([_default_since(ws, ledger), *([period.start, returns_from(ledger, period, ws.tz)]
                                                             if period else [])])
        result = FetchResult(mail.user, folder, start, plain=mail.security == "plain")
        records = MailRecords(ledger.conn)
        # every run is recorded, whatever it finds: `remind` asks whether the mailbox was
        # fetched today before units are chased (`mail_notes.fetch_note`)
        run = records.begin_fetch_run(account=account_key(mail), folder=folder, since=start,
                                      started_at=_office_now(ws))
        try:
            with Imap.open(ws, password) as imap:
                _fetch_folder(ws, ledger, records, imap, since, period, progress, result, addresses)
        except BaseException as exc:
            with contextlib.suppress(Exception):  # the fault is what the office is told, not this
                records.finish_fetch_run(run, finished_at=_office_now(ws), complete=False, looked_at=result.judged,
                                         stored=len(result.stored), problem=getattr(exc, "message", "")
                                         or ("已取消" if isinstance(exc, KeyboardInterrupt) else type(exc).__name__))
            raise
        records.finish_fetch_run(run, finished_at=_office_now(ws), complete=not result.unfinished,
                                 looked_at=result.judged, stored=len(result.stored), problem=result.unfinished)
    log.info("收取邮件：存入 %d 封，跳过 %d 封，重复 %d 封，问题 %d 个", len(result.stored), result.skipped,
             result.duplicates, len(result.problems))
    return result


def _fetch_folder(ws: Workspace, ledger: Ledger, records: MailRecords, imap: Imap, since: dt.date | None,
                  period: Period | None, progress: Progress, result: FetchResult,
                  addresses: dict[str, set[str]]) -> None:
    """`fetch` inside its recorded run: look at the folder's mail since ``result.since``."""
    mail, tz, folder, start = ws.settings.mail, ws.tz, result.folder, result.since
    months = [ws.period().month, ws.period().shift(-1).month, *([period.month] if period else [])]
    job = _Job(ws, ledger, records, imap, account_key(mail), folder, tz, _subject_words(ws, period), months,
               result, addresses)
    job.uidvalidity = imap.select(folder, readonly=mail.after_fetch == "keep")
    seen = records.seen_uids(job.account, folder, job.uidvalidity)
    # SINCE compares dates in the server's zone: ask a day early, then decide in ours.
    found = imap.search(start - dt.timedelta(days=1))
    again = {SKIPPED} if since is not None else set()  # --since looks at skipped mail again
    new = [u for u in found if u not in seen or seen[u] in again]
    result.known = sum(1 for u in found if seen.get(u) == FETCHED)
    result.too_big_before = sum(1 for u in found if seen.get(u) == TOO_BIG)
    described = imap.infos(new)
    if unread := sorted(set(new) - {i.uid for i in described}):
        # a message the server described in a way not read here (`message_info`) was neither
        # fetched nor recorded, silently: a return in it would leave its unit 未报送. Said at
        # every fetch while it is there (nothing is recorded for it), so the office looks.
        shown = "、".join(map(str, unread[:10])) + ("等" if len(unread) > 10 else "")
        result.problems.append(f"邮箱中有 {len(unread)} 封邮件（UID {shown}）读不到邮件信息（可能刚被移走或删除），"
                               "没有收取：请在网页邮箱中查看，如是报送，请把邮件或附件下载到收件箱后运行 "
                               "duban collect。")
    infos = [i for i in described if i.internaldate.astimezone(tz).date() >= start]
    try:
        for info in progress(infos, "收取邮件"):
            job.take(info)
    except MailboxError as exc:
        # one sentence more, not a bracket after the fault's full stop (nor "0 封不受影响")
        result.unfinished = sentence(exc.message) + (
            f"已存入收件箱的 {len(result.stored)} 封不受影响。" if result.stored else "")
        result.problems.append(result.unfinished)
    job.after_fetch(mail.after_fetch)


def _office_now(ws: Workspace) -> str:
    """The office's time to the second, with its UTC offset (`ws.now`)."""
    return ws.now().replace(microsecond=0).isoformat()


def fetch_first(ws: Workspace, stopped: str, without: str, progress: Progress = no_progress,
                period: Period | None = None) -> FetchResult | None:
    """`fetch` as `duban mail fetch` does it (the default since-date, reaching back to
    ``period``'s first day), for a command that then reads 收件箱 for ``period`` (`duban run`,
    `duban collect --fetch`); None without an IMAP mailbox set up.

    A fetch that fails (no connection, login refused, no password saved, a wrong setting) or
    stops before it has looked at every message raises, saying what failed, that the command
    did not go on (``stopped``) and the two ways on: mend it and run again, or ``without``
    (the command reading 收件箱 only). Going on would merge, and write a 通报 naming 未报送
    the units whose returns are still in the mailbox.
    """
    if not ws.settings.mail.imap_host:
        return None
    try:
        result = fetch(ws, None, progress, period)
    except (MailboxError, BadConfig) as exc:  # the same class: the same exit code as `mail fetch`
        raise type(exc)(_not_fetched(exc.message, stopped, without)) from None
    if result.unfinished:
        raise MailboxError(_not_fetched(result.unfinished, stopped, without))
    return result


def _not_fetched(fault: str, stopped: str, without: str) -> str:
    fault = sentence(fault)
    again = "" if "重新运行" in fault else "处理好后重新运行；"  # said once: the fault often says it
    return (f"收取邮箱失败，{stopped}（邮箱中的报送还没有收到，会被当作未报送）：{fault}"
            f"{again}只用收件箱中已有的文件，请运行 {without}。")


@dataclass
class _Job:
    ws: Workspace
    ledger: Ledger
    records: MailRecords
    imap: Imap
    account: str
    folder: str
    tz: ZoneInfo
    words: list[str]
    months: list[int]  # the current and the previous period's: see `about_returns`
    result: FetchResult
    addresses: dict[str, set[str]] = field(default_factory=dict)  # 单位名录 address -> units
    uidvalidity: int = 0

    def _record(self, info: MessageInfo, state: str, **extra) -> None:
        self.records.record_fetch(
            account=self.account, folder=self.folder, uidvalidity=self.uidvalidity, uid=info.uid,
            message_id=info.message_id, internaldate=info.internaldate, size=info.size, sender=info.sender,
            subject=info.subject, state=state, fetched_at=dt.datetime.now(self.tz).replace(microsecond=0).isoformat(),
            **extra)

    def take(self, info: MessageInfo) -> None:
        """Judge one message by its metadata (else its body: `links_return`), store it if it carries a return."""
        pending = "" if self.ws.settings.mail.after_fetch != "keep" else "keep"
        limit = self.ws.limits.max_file_bytes
        if info.message_id and self.records.sent(info.message_id) is not None:
            # duban's own mail (issue, feedback, remind) copied to this mailbox: not a return
            self._record(info, SKIPPED, after_fetch="keep")
            self.result.skipped += 1
            return
        # A department writing about its return without the form (a download link, a Word
        # report) is fetched too: collect records it under the unit and says so while no
        # return of it came. Its other mail (a notice, "已收到") is left alone: the office's
        # mailbox is often its everyday one.
        raw = None
        # a bounce says a unit's address did not take the office's mail: collect names them
        # (`office_copies.notices`); one of the headers alone named no file and was left here
        report = delivery_report(info)
        if auto_reply(info.subject) and not any(p.name for p in info.parts) and not report:
            # an out-of-office reply to the office's own mail repeats its subject (the project,
            # the month): it is no return, and collect would ask the coordinator about it
            self._record(info, SKIPPED, after_fetch="keep")
            self.result.skipped += 1
            return
        if not report and not carries_return(info, self.words) and not (
                unit_of_address(info.sender, self.addresses) and about_returns(info.subject, self.months)):
            # A return behind a link (QQ 超大附件, 163 网盘) from a personal mailbox, its subject
            # naming neither the project nor the month (东坑镇进展情况), shows nothing of it before
            # the body is read: read the body of a small mail with a text part, once.
            if not _may_link(info):
                self._record(info, SKIPPED, after_fetch="keep")
                self.result.skipped += 1
                return
            raw = self.imap.body(info.uid)
            if raw is None:  # deleted or moved by someone else meanwhile: nothing to record
                return
            if not _links_return(raw, info.subject, self.ws.limits.max_mail_parts):
                self._record(info, SKIPPED, after_fetch="keep")
                self.result.skipped += 1
                return
        if self.records.fetched_message(info.message_id, info.size) is not None:
            self._record(info, DUPLICATE, after_fetch=pending)
            self.result.duplicates += 1
            return
        if info.size > limit:
            self._too_big(info, info.size)
            return
        raw = raw if raw is not None else self.imap.body(info.uid)
        if raw is None:  # deleted or moved by someone else meanwhile: nothing to record
            return
        if len(raw) > limit:
            self._too_big(info, len(raw))
            return
        sha = hashlib.sha256(raw).hexdigest()
        if self.records.fetched_by_sha(sha) is not None:
            self._record(info, DUPLICATE, after_fetch=pending, sha256=sha)
            self.result.duplicates += 1
            return
        name = self._name(info, sha)
        if not self.ledger.find_sha(sha):  # else a killed run's file was collected already
            name = _write_inbox(self.ws.inbox, name, raw, sha)
        self._record(info, FETCHED, inbox_name=name, sha256=sha, after_fetch=pending)
        self.result.stored.append(Stored(name, info.sender, info.subject, info.internaldate.astimezone(self.tz)))

    def _name(self, info: MessageInfo, sha: str) -> str:
        """The same message always gets the same name: its time, subject and hash."""
        when = info.internaldate.astimezone(self.tz)
        title = info.subject or info.sender or "邮件"
        return safe_filename(f"{when:%Y%m%d-%H%M%S}_{title[:40]}_{sha[:8]}.eml", limit=90)

    def _too_big(self, info: MessageInfo, size: int) -> None:
        self._record(info, TOO_BIG, after_fetch="keep")
        self.result.too_big += 1
        limits = self.ws.limits
        largest = max(info.parts, key=lambda p: p.decoded_size, default=None)
        extra = ""
        if largest is not None and largest.name:
            extra = f"，最大的附件“{largest.name}”约 {_mb(largest.decoded_size)}"
        self.result.problems.append(
            f"邮件过大，未下载：{info.sender or '（无发件人）'}“{info.subject or '（无主题）'}”"
            f"（{info.internaldate.astimezone(self.tz):%Y-%m-%d %H:%M} 收到）{_mb(size)}，超过上限 "
            f"{limits.max_file_mb} MB{extra}。请对方去掉多余的附件、只发填报表后重新发送。")

    def after_fetch(self, action: str) -> None:
        """Mark seen or move what this and earlier runs stored (remembered per message)."""
        if action == "keep":
            return
        waiting = self.records.awaiting_after_fetch(self.account, self.folder, self.uidvalidity)
        if not waiting:
            return
        uids = [w.uid for w in waiting]
        try:
            if action == "seen":
                self.imap.mark_seen(uids)
                self.result.after = f"已在邮箱中把 {len(uids)} 封标为已读。"
            else:
                target = action.split(":", 1)[1].strip()
                self.imap.move(uids, target)
                self.result.after = f"已把 {len(uids)} 封移到邮箱的文件夹“{target}”。"
        except MailboxError as exc:
            # run and collect --fetch (the double-click) fetch too: whichever comes next does it
            self.result.problems.append(f"{exc.message.rstrip('。')}（邮件已存入收件箱，下次收取邮箱时再处理）。")
            return
        self.records.mark_after_fetch([w.id for w in waiting], action)


def _default_since(ws: Workspace, ledger: Ledger) -> dt.date:
    """The first day of the previous period if its forms were issued, else of the current; or
    the day that period's forms went out when earlier (`mail_notes.returns_from`): July's issued
    on 28 June, a first month of duban, the returns of the 29th were never looked at, and remind
    said so after every fetch (QA285)."""
    current = ws.period()
    previous = current.shift(-1)
    first = previous if previous in ledger.issued_periods() else current
    return min(first.start, returns_from(ledger, first, ws.tz))


def delivery_report(info: MessageInfo) -> bool:
    """Whether a message is a delivery report (退信) by what its metadata shows: a
    message/delivery-status part (RFC 3464), or a mail system's sender (`mail_auto.bounce_sender`)."""
    return (any(p.mime == "message/delivery-status" for p in info.parts)
            or any(bounce_sender(a) for a in addresses_in(info.sender)))


def carries_return(info: MessageInfo, words: list[str]) -> bool:
    """Does the message carry a return: a spreadsheet, archive or mail attached, an attachment
    of unknown type, or a subject naming the project or the period?"""
    for part in info.parts:
        ext = os.path.splitext(part.name.lower())[1]
        if ext in RETURN_EXTENSIONS or any(t in part.mime for t in RETURN_TYPES):
            return True
        if part.mime == "application/octet-stream" and ext not in OTHER_EXTENSIONS:
            return True
    subject = key(info.subject)
    return any(w in subject for w in words)


# What a department's mail about its return says in the subject when it carries no form:
# besides the month (6月, 六月), one of these.
REPORT_WORDS = ("进展", "报送", "填报", "月报", "督办", "报表", "台账")


def about_returns(subject: str, months: list[int]) -> bool:
    """Whether a subject speaks of a return: a report word, or one of ``months``
    (the current and the previous period's) as 6月, 06月 or 六月."""
    s = key(subject)
    if any(w in s for w in REPORT_WORDS):
        return True
    names = [f"{m}月" for m in months] + [f"{m:02d}月" for m in months]
    names += [f"{cn_number(m)}月" for m in months]
    return any(re.search(rf"(?<![0-9一二三四五六七八九十]){n}", s) for n in names)


#: the largest mail whose body `fetch` reads for a link when nothing else says it is a return:
#: a 超大附件 mail is a few dozen kilobytes; a notice with a large PDF is not read
PEEK_BYTES = 1 << 20


def _may_link(info: MessageInfo) -> bool:
    """Whether a mail may hold a cloud attachment's link worth reading its body for: a text
    part (plain or html) and small enough (`PEEK_BYTES`)."""
    return info.size <= PEEK_BYTES and any(p.mime in ("text/plain", "text/html") for p in info.parts)


def links_return(files: list[CloudFile], subject: str) -> bool:
    """Whether a mail's cloud attachments (`toolkit.cloud`) may be a return: a linked file
    named like a spreadsheet or an archive, or of no name the mail shows, or a subject with a
    report word (`REPORT_WORDS`: 东坑镇进展情况, 报送材料). A link to 会议材料.pdf under
    "6月会议通知" is not."""
    if not files:
        return False
    subject = key(subject)
    return any(w in subject for w in REPORT_WORDS) or any(
        not _extension(f.name) or _extension(f.name) in RETURN_EXTENSIONS for f in files)


def _links_return(raw: bytes, subject: str, max_parts: int) -> bool:
    try:
        files = parse_mail(raw, max_parts).cloud
    except Exception as exc:  # a mail no parser reads: collect says so; left here, nobody would
        log.info("读取邮件正文中的链接失败：%s", subject, exc_info=exc)
        return True
    return links_return(files, subject)


def _extension(name: str) -> str:
    ext = os.path.splitext(name.strip().lower())[1]
    return ext if re.fullmatch(r"\.[a-z][a-z0-9]{0,4}", ext) else ""


def _subject_words(ws: Workspace, period: Period | None = None) -> list[str]:
    """The project's name and the current period (and ``period``) as people write them in a subject."""
    words = [ws.project]
    for p in dict.fromkeys([ws.period(), *([period] if period else [])]):
        words += [p.label, str(p), f"{p.year}年{p.month:02d}月", f"{p.year}.{p.month}"]
    return [key(w) for w in words if w and key(w)]


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 104858 else f"{max(1, round(size / 1024))} KB"


def _remove_partial_files(inbox: Path) -> None:
    """A killed fetch may leave a half-written hidden file; the lock says no fetch runs now."""
    for p in inbox.glob(PARTIAL_PREFIX + "*"):
        with contextlib.suppress(OSError):
            p.unlink()


def _write_inbox(inbox: Path, name: str, raw: bytes, sha: str) -> str:
    """Write the message as 收件箱/<name> in one step; returns the name used."""
    target = inbox / name
    if target.exists():
        with contextlib.suppress(OSError):
            if hashlib.sha256(target.read_bytes()).hexdigest() == sha:
                return name  # a killed run wrote it and died before recording it
        stem, ext = os.path.splitext(name)
        name = f"{stem}_{sha[8:16]}{ext}"
        target = inbox / name
    tmp = inbox / f"{PARTIAL_PREFIX}{secrets.token_hex(6)}"
    try:
        with open(tmp, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise MailboxError(_os_line(exc, inbox)) from None
    return name


def _os_line(exc: OSError, folder: Path) -> str:
    log.warning("写入收件箱：%s", exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "磁盘已满，请清理磁盘空间后重新运行"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "没有写入权限，请检查文件夹权限后重新运行"
    elif exc.errno == errno.ENAMETOOLONG:
        why = "路径过长，请把工作区放到较短的路径下（如 D:\\督办）"
    else:
        why = "请检查磁盘后重新运行"
    return f"无法把邮件写入收件箱“{folder}”：{why}"
