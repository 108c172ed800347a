"""`duban mail send feedback --renew`: a reply to a refused file left unsent past the date it
asked the correction by, written again today.

A 反馈 names the date its unit is to correct by (`feedback.write_feedback`: working days from the
day it is written), and `mail send` holds one back once that date has passed (`drafts.passed_date`):
sent, it would ask for a correction by a day gone by. Written again, it is the reply of today: built
as `collect` builds it, from the ledger and the archived file (`replies.resume` does the same for a
reply a stopped run owed), in today's folder (反馈/<期>/<今天>/), the old one retired
(`replies.record`). Its date is counted from today, as the date of a reply a stopped run owed is
(`on_time.replied_on`: the day the last reply was written): the unit, never told the old date, is
held to the one it is told.

A reply that went out (or may have: a send stopped in doubt) is not written again, whatever its
date: the unit was told that date, and holding it to a later one would move its verdict after the
fact. A draft the office changed since duban wrote it (its bytes not those recorded) is not written over:
it stays held back, for the office to send from its mail client with a date it writes.

A dry run (`mail send feedback --renew --dry-run`, `--renewable`) says what would be written and
writes nothing. A 催报 that attaches the reply's workbook (`remind --attach`) to a unit whose
correction date has passed attaches it as it says the day's truth (`said_today`): 尽快, as the
催报 says, the unit's verdict date untouched, all of it or none (a workbook the office edited since
is attached as it left it); `unsent_past` names the replies never sent whose date passed, for
`remind` to say that `--renew` would give the unit a date of today.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from . import owed
from .consolidate import consolidate
from .dates import cn_date
from .drafts import passed_date
from .files import file_sha
from .issued_month import EarlierMonths
from .ledger import Draft, Ledger
from .ledger.answers import disowned_files
from .ledger.mail_records import SENDING, SENT, MailRecords
from .mail_plan import draft_message_id
from .misfiled import misfiled, reply_held
from .misfiled_reply import named_reply, unreplied, write_reply
from .on_time import reply_date
from .period import Period
from .workspace import Workspace

if TYPE_CHECKING:
    from .office_cases import Disputed


@dataclass
class Renewed:
    """What `renew` wrote: (unit, the date the new reply asks by); (unit, why) of those it did not."""

    written: list[tuple[str, dt.date]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)


#: why a held-back reply was not written again: the office's own edit of it is kept
EDITED = "草稿已改动过，没有重新生成：请用邮件客户端打开该草稿，改写日期后发出"


def held(ws: Workspace, ledger: Ledger, cons, period: Period) -> tuple[list[tuple[Draft, dt.date]], list[Draft]]:
    """The month's live 反馈 drafts held back by a passed date (`drafts.passed_date`) and never sent
    (nor in doubt): (draft, the date it asked by) of those duban wrote as they are, and those the
    office changed since (see the module doc). ``cons``: the month's units (`consolidate`)."""
    records = MailRecords(ledger.conn)
    # a reply about a file the office said was not its unit's is never sent (`mail_plan`): written
    # again, it lost that file and went as a reply to the unit's own refused return (QA363)
    disowned = disowned_files(ledger.conn)
    ours, edited = [], []
    for d in ledger.drafts("feedback", period):
        if (d.receipt_id is None or reply_held(ledger, d.receipt_id, d.unit, disowned)
                or not (asked := passed_date(ws, ledger, cons, d))):
            continue
        went = records.sent(draft_message_id(d))
        if went is not None and went.state in (SENT, SENDING):  # told its date: `mail send` says so
            continue
        path = ws.root / d.path
        if path.exists() and file_sha(path) != d.sha256:
            edited.append(d)
        else:
            ours.append((d, asked))
    return ours, edited


def unsent_past(ws: Workspace, ledger: Ledger, cons, period: Period) -> dict[str, dt.date]:
    """unit -> the date its reply asked the correction by, of the replies never sent whose date has
    passed and that `renew` would write again (`held`): the unit was never told that date. Each
    under its name in the month (``cons``), as `remind` lists it: a reply is recorded under the name
    its file was written for (`replies.record`), its return under the name it came in as; a unit
    renamed in 单位名录 since has them under a former name (`EarlierMonths.names_of`), QA364."""
    ours = held(ws, ledger, cons, period)[0]
    if not ours:
        return {}
    months = EarlierMonths(ledger, cons.master)
    # `held` passed over the replies to a file's registered unit about a file said not its own: one about
    # such a file is to the unit it named (`misfiled_reply`), whose file it is; the registered unit (石碣镇)
    # was never replied to, nor held to 石排镇's date
    disowned = disowned_files(ledger.conn)
    known = {}  # the names each reply is the unit's under: its own, its return's
    for d, asked in ours:
        rec = None if d.receipt_id in disowned else ledger.get(d.receipt_id)
        known[d.unit, rec.unit if rec is not None and rec.unit else d.unit] = asked
    out = {}
    for u in cons.units:
        names = set(months.names_of(u.unit, period))
        out.update((u.unit, asked) for pair, asked in known.items() if names & set(pair))
    return out


def renew(ws: Workspace, period: Period, dry_run: bool = False) -> Renewed:
    """Write again the month's live 反馈 drafts whose date has passed (see the module doc).
    ``dry_run``: what would be written, and the date each would ask by, writing nothing."""
    from . import replies  # deferred: replies imports feedback (openpyxl), only a renewal needs them
    from .feedback import write_feedback

    out = Renewed()
    master = ws.load_master()
    with Ledger(ws.ledger_path) as ledger:
        # a reply the answer that made a file its unit's refused return failed to write has no draft
        # (`actions.sender`, whose line sends the office here): no answer of the kind, none owed
        if not ledger.drafts("feedback", period) and not disowned_files(ledger.conn):
            return out
        cons = consolidate(ws, period, tasks=False)
        ours, edited = held(ws, ledger, cons, period)
        out.kept.extend((d.unit, EDITED) for d in edited)
        months = EarlierMonths(ledger, master)
        boxes = owed.mailboxes(ws, master) if ours and not dry_run else ()
        today = ws.now().date()
        for d, _asked in ours:
            rec = ledger.get(d.receipt_id)
            named = named_reply(cons, d)  # to the unit a file said not its unit's named: its own reply (QA405)
            report = None if rec is None or named else owed.report_of(ledger, rec, ws.settings.reply_to_warnings)
            if report is None and named is None:  # nothing left to say: `passed_date` asked of a refused file
                continue
            if dry_run:
                out.written.append((d.unit, reply_date(ws, cons.due_of(d.unit), {rec.id: today})(rec)))
                continue
            names = months.names_of(d.unit, period)
            if named is not None:
                _write_named(ws, ledger, master, cons, d.unit, named, out, UNREAD)
                continue
            try:
                paths = write_feedback(ws, master, report, (ws.root / rec.archive_path).read_bytes(), rec.name,
                                       owed.sender_of(ws, ledger, rec, *boxes),
                                       owed.documents_beside(ledger, names, rec))
            except Exception as exc:  # the old draft stays held back; the office is told why
                out.kept.append((d.unit, owed.reason(exc)))
                continue
            replies.record(ws, ledger, master, paths)
            out.written.append((d.unit, reply_date(ws, cons.due_of(d.unit), {rec.id: today})(rec)))
        for d in _never_written(ledger, cons):
            if dry_run:
                assert d.receipt is not None  # `unreplied` gives a file with its receipt
                out.written.append((d.other, reply_date(ws, cons.due_of(d.other), {d.receipt.id: today})(d.receipt)))
            else:
                _write_named(ws, ledger, master, cons, d.other, d, out, NEVER_WRITTEN)
        if not dry_run:
            replies.drop_empty_rounds(ws)
    return out


#: why the reply to the unit a misfiled file named was not written again: its archived file is gone
UNREAD = "归档中的原文件无法读取，没有重新生成：请用邮件客户端打开该草稿，改写日期后发出"
#: why one never written (`_never_written`) was not written now either
NEVER_WRITTEN = "归档中的原文件无法读取，反馈邮件草稿未能生成：请找回该文件后再运行此命令"


def _write_named(ws: Workspace, ledger: Ledger, master, cons, unit: str, d: Disputed, out: Renewed,
                 unread: str) -> None:
    """`write_reply` of the reply to ``unit``, which ``d``'s file named, into ``out``: written (with the date
    it asks by), or kept with why (``unread``: the archived file gone; else the write's own failure)."""
    assert d.receipt is not None  # `named_reply` and `unreplied` give a file with its receipt
    try:
        eml = write_reply(ws, ledger, master, d)
    except Exception as exc:  # the old draft, if any, stays held back; the office is told why
        out.kept.append((unit, owed.reason(exc)))
        return
    if eml is None:  # said, never dropped: the office would look for a reply that was not written
        out.kept.append((unit, unread))
        return
    out.written.append((unit, reply_date(ws, cons.due_of(unit), {d.receipt.id: ws.now().date()})(d.receipt)))


def _never_written(ledger: Ledger, cons) -> list[Disputed]:
    """The files of `misfiled` whose unit stands 退回待改 on one with no reply about it (`unreplied`):
    the answer that made it its refused return failed to write the reply (disk full, no permission)."""
    others = {d.other for d in misfiled(cons.disputed, [u.unit for u in cons.units]).values()}
    return [d for unit in sorted(others) if (d := unreplied(ledger, cons, unit)) is not None]


def said_today(xlsx: bytes, asked: dt.date) -> bytes | None:
    """The reply's workbook ``xlsx`` asking the correction 尽快, not by ``asked``, a date passed: its
    form's top (`feedback._owed_by`: "7月11日（改正后报送）"), its 填报说明 and its 校验结果's verdict
    ("于7月11日前重新报送本文件"), as the 催报 it goes with says it. Text only, in the workbook's
    XML, every other byte as the reply wrote it: read into openpyxl and saved again, the rows fitted
    to the department's text would come back fixed at their height (`xlsx.set_height`, QA124).

    All or none: None (attach it as it is) unless each of those texts in the workbook says ``asked``
    as duban wrote it. One edited in WPS or Excel since (its top made 7月20日) was swapped where it
    still read as written: the unit got 7月20日 at its top and 尽快 below it (QA364). A text the
    office rewrote whole is not found as one at all: the caller swaps only the reply's own workbook
    (`actions.remind._as_of_today`)."""
    day = cn_date(asked)
    swaps = ((f"{day}（改正后报送）", "尽快（改正后报送）"), (f"请于{day}前将", "请尽快将"),
             (f"于{day}前重新报送", "尽快重新报送"))
    said: list[str] = []  # every text of the workbook, swapped: what the unit would read
    changed = False

    def swapped(m: re.Match) -> str:
        nonlocal changed
        old = text = html.unescape(m[2])  # duban's cells write 虎 as &#34382; (`xlsx`)
        for before, after in swaps:
            text = text.replace(before, after)
        said.append(text)
        if text == old:
            return m[0]
        changed = True
        return m[1] + escape(text) + m[3]

    out = io.BytesIO()
    try:
        with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/sharedStrings.xml" or re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
                    data = _TEXT.sub(swapped, data.decode("utf-8")).encode("utf-8")
                dst.writestr(info, data)
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError):
        return None
    # the texts joined: a cell saved in runs (<r><t>…</t></r>) may have its date apart from the rest.
    # Not "no text names the date": the department's own cells may ("已于7月11日召开会议")
    if not changed or _UNSWAPPED.search("".join(said)):
        return None
    return out.getvalue()


#: a text node of a cell (inline, or shared): its opening tag, its text (escaped), its closing tag
_TEXT = re.compile(r"(<t(?:\s[^>]*)?>)([^<]*)(</t>)")
#: a text duban wrote with the date (`said_today`'s three) that does not say 尽快 once swapped: its
#: date was edited (7月20日（改正后报送）), so the workbook is not said as of today at all
_UNSWAPPED = re.compile(r"(?<!尽快)（改正后报送）|本期报送已退回，请(?!尽快将)|未采纳。请[^。；]*后，(?!尽快重新报送)")
