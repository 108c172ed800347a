"""Mail drafts on disk and in the ledger: written once, recorded, retired when pointless.

Every .eml duban writes for the coordinator (下发, 反馈, 催报) is recorded with its
Message-ID, so `duban mail send` knows what is live and what was already sent, and so a
draft that a later return or a later run made pointless is removed instead of piling up.

A draft made again for a unit whose mail of the same kind already went out (or may have:
sent when a run stopped) is *the same mail* and keeps that mail's Message-ID, so `mail send`
says it was sent instead of mailing it a second time (`same_mail`): `issue --emails` run
again to fill in one unit's address must not send every department its form twice. A unit's
mail goes again only when the office names the unit: `duban mail send <kind> --resend <单位>`
(`renumber`), or `duban issue --dept <单位>` (a later --due for one unit is a new form to mail).

Each draft is recorded with the addresses it was written to: one whose To/Cc are still those
(whatever else an editor changed in it) is addressed by duban, and `mail send` reads the
recipients of the 单位名录 when it goes; one whose To/Cc the office wrote goes to them
(`hand_addressed`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path

from .dates import day_text
from .files import atomic_write, file_sha
from .ledger import Draft, Ledger
from .period import Period
from .text import LazyPattern
from .workspace import Workspace

#: `write_draft`'s ``repeats`` when the caller has not looked the mail up (`same_mail`)
NOT_LOOKED = "?"


def write_draft(ws: Workspace, ledger: Ledger, *, kind: str, period: Period, unit: str, path: Path,
                eml: bytes, receipt_id: int | None = None, renew: bool = False, names: Iterable[str] = (),
                repeats: str | None = NOT_LOOKED) -> Path:
    """Write ``eml`` to ``path`` (atomically) and record it as the unit's live draft, under
    the Message-ID of the mail it repeats (`same_mail`) unless ``renew``, with the addresses
    it is written to (`hand_addressed`). ``names``: the unit's names (`Directory.names_of`),
    under which the mail it repeats may have gone; ``repeats``: that mail's Message-ID (or
    None), where the caller looked it up already to tell the office (`issue`, `remind`)."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import message_id

    if repeats == NOT_LOOKED:
        repeats = same_mail(ws, ledger, kind, period, unit, receipt_id, names)
    same = None if renew else repeats
    if same and same != message_id(eml):
        eml = with_message_id(eml, same)
    atomic_write(path, lambda tmp: tmp.write_bytes(eml))
    where = path.relative_to(ws.root).as_posix() if path.is_relative_to(ws.root) else str(path)
    ledger.record_draft(kind=kind, period=period, unit=unit, path=where,
                        sha256=hashlib.sha256(eml).hexdigest(), message_id=message_id(eml),
                        receipt_id=receipt_id, recipients=[a for _, a in header_pairs(eml)])
    return path


def same_mail(ws: Workspace, ledger: Ledger, kind: str, period: Period, unit: str,
              receipt_id: int | None = None, names: Iterable[str] = ()) -> str | None:
    """The Message-ID of the unit's mail that a draft of ``kind`` made now repeats, if that
    mail went out (or may have): for 下发, the unit's form of the month (the latest mailed);
    for 反馈, the reply to the same return (``receipt_id``); for 催报, a reminder mailed the
    same day in the office's time zone (a reminder on a later day is the next one).

    Looked for under the unit's ``names`` too, as `issue` reads what was mailed: a unit
    renamed after its form went out has that form. Not under the name of a unit issued
    beside it from one 任务分工表 (merged into it since): that form was the other unit's."""
    today = ws.now().date().isoformat()
    for row, about in _went_out(ledger, kind, period, unit, names):
        if kind == "issue":
            return row.message_id
        if kind == "feedback" and receipt_id is not None and about == receipt_id:
            return row.message_id
        if kind == "remind" and (row.sent_at or row.started_at)[:10] == today:
            return row.message_id
    return None


def reminded_before(ws: Workspace, ledger: Ledger, period: Period, unit: str, names: Iterable[str] = ()
                    ) -> list[dt.date]:
    """The days before the office's today a 催报 of ``period`` reached ``unit`` (under any of its
    ``names``, as `same_mail` looks), oldest first: a reminder on a later day is the next one,
    and the office's list says the unit was chased before (QA299). A send stopped in doubt
    (``sending``) is not said: the office was told to check it."""
    from .ledger.mail_records import SENT  # deferred, as in `_went_out`

    today = ws.now().date().isoformat()
    days = {row.sent_at[:10] for row, _ in _went_out(ledger, "remind", period, unit, names)
            if row.state == SENT and row.sent_at and row.sent_at[:10] < today}
    return [dt.date.fromisoformat(d) for d in sorted(days)]


def reminded_note(days: Iterable[dt.date], today: dt.date) -> str:
    """"（已于7月6日、7月7日催报）" after a unit's name in the office's list of who is reminded,
    `remind`'s and `mail send remind`'s alike: the days `reminded_before` gave; "" for none."""
    days = list(days)
    return f"（已于{'、'.join(day_text(d, today) for d in days)}催报）" if days else ""


def _went_out(ledger: Ledger, kind: str, period: Period, unit: str, names: Iterable[str]) -> list:
    """`MailRecords.went_out` for the unit under its ``names``, but not under the name of a unit
    issued beside it from one 任务分工表 (see `same_mail`)."""
    from .ledger.mail_records import MailRecords  # deferred: 1.8 ms of every ledger open (migrations.py)

    rows = MailRecords(ledger.conn).went_out(kind, str(period), {unit, *names})
    if any(row.unit != unit for row, _ in rows):  # read only then: a 1,000-unit issue asks once a unit
        together = [set(forms) for forms in ledger.issued_units_by_master(period).values()]
        rows = [(row, about) for row, about in rows
                if row.unit == unit or not any(unit in t and row.unit in t for t in together)]
    return rows


def with_message_id(eml: bytes, message_id: str) -> bytes:
    """``eml`` with its Message-ID header (folded lines too) replaced by ``message_id``."""
    nl = b"\r\n" if b"\r\n" in eml[:2000] else b"\n"
    head, sep, body = eml.partition(nl + nl)
    lines, kept, dropping = head.split(nl), [], False
    for line in lines:
        if line[:1] in (b" ", b"\t") and dropping:
            continue
        dropping = line.split(b":", 1)[0].strip().lower() == b"message-id"
        if not dropping:
            kept.append(line)
    kept.append(b"Message-ID: " + message_id.encode("ascii"))
    return nl.join(kept) + sep + body


def renumber(ws: Workspace, ledger: Ledger, drafts: list[tuple[Draft, bytes]], domain: str
             ) -> list[tuple[Draft, bytes]]:
    """The drafts under new Message-IDs: what `mail send --resend` sends, each a mail of its
    own beside the one that went (or may have). All are recorded at once, before the first
    goes out: a run stopped half-way leaves the rest unsent, for the next run to send,
    never "sent" under the old mail's Message-ID. Each keeps the recipients it was written
    to: a draft the office addressed by hand stays addressed by hand (`hand_addressed`).
    The files are rewritten after (the ledger's Message-ID is the one that goes)."""
    import email.utils  # deferred: as in `write_draft`

    ids = [email.utils.make_msgid("duban", domain=domain) for _ in drafts]
    new = [with_message_id(eml, mid) for (_, eml), mid in zip(drafts, ids)]
    records = ledger.renumber_drafts(
        [(d, mid, hashlib.sha256(eml).hexdigest(), written_to(d, old))
         for (d, old), mid, eml in zip(drafts, ids, new)], "再次发送，已改用新的邮件编号")
    for d, eml in zip(records, new):
        with contextlib.suppress(OSError):  # the copy on disk only shows it
            atomic_write(ws.root / d.path, lambda tmp, eml=eml: tmp.write_bytes(eml))
    return list(zip(records, new))


def written_to(d: Draft, eml: bytes) -> list[str]:
    """The addresses duban wrote the draft to (a draft recorded before version 13: its own,
    unless edited since; then none, so that its own read as the office's)."""
    if d.recipients is not None:
        return d.recipients
    return [] if hand_addressed(d, eml) else [a for _, a in header_pairs(eml)]


def hand_addressed(d: Draft, eml: bytes) -> bool:
    """Whether the office wrote the draft's recipients: its To/Cc/Bcc name anyone and are
    not the addresses duban wrote. Judged by the addresses, not the bytes: an editor that
    saved the draft again (CRLF line ends, another encoding of its headers) changed no
    recipient, and an address cleared from the draft is the office's wish for the 单位名录's.
    A draft recorded before version 13 (no recipients recorded) by its bytes, line ends aside."""
    own = {a.lower() for _, a in header_pairs(eml)}
    if not own:
        return False
    if d.recipients is None:
        return d.sha256 not in {hashlib.sha256(b).hexdigest() for b in (eml, eml.replace(b"\r\n", b"\n"))}
    return own != {a.lower() for a in d.recipients}


def header_pairs(eml: bytes) -> list[tuple[str, str]]:
    """The draft's To, Cc and Bcc (display name, address), each address once."""
    # deferred: the email package and toolkit.imap_parse (toolkit.mail with it) are a few ms
    # of start-up that only mail needs (as in `write_draft`)
    import email
    import email.utils
    from email import policy

    from .imap_parse import decode_words  # deferred: as the email package above

    msg = email.message_from_bytes(eml, policy=policy.compat32)
    pairs: list[tuple[str, str]] = []
    for header in ("To", "Cc", "Bcc"):
        values = [str(v) for v in msg.get_all(header, [])]
        pairs.extend((decode_words(n), a.strip()) for n, a in email.utils.getaddresses(values))
    return unique_pairs([p for p in pairs if "@" in p[1]])


def unique_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each address once (the first), whatever its case."""
    seen: set[str] = set()
    out = []
    for name, addr in pairs:
        if addr.lower() not in seen:
            seen.add(addr.lower())
            out.append((name, addr))
    return out


def addressed(eml: bytes) -> bool:
    """Whether a draft names anyone to send it to (To or Cc): `mail.build_draft` leaves both
    out when the 单位名录 has no usable 邮箱 for the unit ('', 无, a telephone number). Such a
    draft is said to the office when written, as `issue --emails` says it: it would otherwise
    wait in its folder for a recipient no one knows it lacks."""
    # deferred: the email package is a few ms of start-up that only writing a draft needs
    from email.parser import BytesHeaderParser

    headers = BytesHeaderParser().parsebytes(eml)
    return bool((headers.get("To") or "").strip() or (headers.get("Cc") or "").strip())


def retire_drafts(ws: Workspace, ledger: Ledger, drafts: list[Draft], reason: str) -> list[Path]:
    """Delete these drafts' files (those not rewritten since) and mark them obsolete."""
    removed = []
    for d in drafts:
        path = ws.root / d.path
        with contextlib.suppress(OSError):
            if path.exists() and file_sha(path) == d.sha256:
                path.unlink()
                removed.append(path)
    ledger.obsolete_drafts([d.id for d in drafts], reason)
    return removed


#: why a 催报 is the wrong letter (`Superseded`): the unit's return refused since it was written,
#: its form issued again (`issue --dept … --due`: another deadline, another form), or the unit owing
#: the month nothing now (reported, or 本期免报)
REFUSED_SINCE, REISSUED_SINCE, NOT_OWED = "refused", "reissued", "not owed"
#: its deadline moved since it was written, with no form issued again (duban.toml's due_day edited):
#: the 催报 names a date that is not the unit's now (QA381)
DUE_CHANGED = "due changed"


class Superseded:
    """Why a 催报 is the wrong letter now (`REFUSED_SINCE`, `REISSUED_SINCE`, `NOT_OWED`): `why`. The month's
    drafts read once (``cons``: the month's units, `consolidate`), not once a unit.

    A unit 退回待改 by a return that came in after the 催报 was written: written while it was 未报送
    ("尚未收到…请于7月5日前报送"), or while an earlier file of its was refused (that file's marked
    form attached, its date), it would go beside the reply to the later file, which says what to
    correct and by when. After it by the ledger's order: a reply about that return written after
    the 催报 (`replies.record`; a reply written again, `reply_renew`), or the return collected
    after it (its reply owed). A unit whose form was issued to it again by mail after the 催报
    was written (`issue --dept … --emails`, a later --due): the 催报 named the old deadline, the
    form the new one; so was one whose form was issued again without --emails, mailed by hand
    (`Ledger.record_issued`'s time, after the 催报's); not a unit whose form was printed again the same
    (every form issued again to fill in one unit's 邮箱: ``changed_at``), nor, renamed since and issued
    under its new name, one whose form is then first recorded there (its names read together). A 催报
    recorded under a unit's former name is judged as the unit's (QA378). A unit 按时报送, 逾期报送 or 本期免报 now is
    chased for nothing: a 催报 left live by a way the unit came to be so other than a collect, which
    withdraws it (`replies.choose`), would tell a unit that reported "尚未收到". A 催报 that names
    a deadline (or a date to report by) other than the unit's now (`DUE_CHANGED`: duban.toml's due_day
    edited since, no form issued again; read from the draft in ``root``, `named_dates`) would tell it
    the old one (QA381). A 催报 written again today is about what stands."""

    def __init__(self, ledger: Ledger, cons, period: Period, root: Path | None = None):
        self.ledger, self.period, self.cons, self.root = ledger, period, cons, root
        self.state = {u.unit: u.state for u in cons.units}
        self.issued: dict[str, int] = {}  # unit -> its latest 下发 draft's id
        for i in ledger.drafts("issue", period, live_only=False):
            self.issued[i.unit] = max(i.id, self.issued.get(i.unit, 0))
        # per name its forms went to, each (when first issued, when last given anew, when last issued:
        # `Ledger.record_issued`): a form issued again with another deadline, tasks or master, or by
        # name (--dept), and that without --emails (mailed by hand) left no 下发 draft, only its record
        # (QA364); printed again the same, as when every form is issued again to fill in one unit's
        # 邮箱, it gave nothing new. By the ledger's clock, as a 催报's created_at; never an issue
        # dated after the ledger's now: written before the clock was set back (a machine's date
        # corrected), which came first cannot be told, and every 催报 would be held on it
        from .ledger import store  # the module's clock, as `Ledger.record_issued` reads it

        self.given: dict[str, list[tuple[str, str, str]]] = {}
        for unit, *times in ledger.conn.execute(
                "SELECT unit, COALESCE(first_issued_at, issued_at), COALESCE(changed_at, issued_at), issued_at"
                " FROM issued WHERE period=? AND exempt=0 AND issued_at<=?", (str(period), store.now())):
            self.given.setdefault(unit, []).append(tuple(times))
        self.replied: dict[int, int] = {}  # receipt id -> its latest 反馈 draft's id
        for r in ledger.drafts("feedback", period, live_only=False):
            if r.receipt_id is not None:
                self.replied[r.receipt_id] = max(r.id, self.replied.get(r.receipt_id, 0))

    def why(self, d: Draft, names: Iterable[str]) -> str | None:
        """Why the 催报 ``d`` is not to go (see the class doc); None: it is (or ``d`` is no 催报).
        ``names``: the unit's (`Directory.names_of`)."""
        from . import owed  # deferred: only `mail send remind` asks
        from .vocab import Outcome, UnitState

        names = tuple(dict.fromkeys([d.unit, *names]))
        # by its name in the month: a 催报 recorded under the name a unit had before it was renamed
        state = next((self.state[n] for n in names if n in self.state), None) if d.kind == "remind" else None
        if state in (UnitState.ON_TIME, UnitState.LATE, UnitState.EXEMPT):
            return NOT_OWED
        if state not in (UnitState.TO_FIX, UnitState.NOT_REPORTED):
            return None  # a unit gone from the month (merged into another): not judged here
        if self._reissued(d, names):
            return REISSUED_SINCE
        if state == UnitState.TO_FIX:
            about = owed.answered(self.ledger, names, self.period)
            if (about is not None and about.outcome in (Outcome.RETURNED, Outcome.UNREADABLE)
                    and (about.collected_at > d.created_at or self.replied.get(about.id, 0) > d.id)):
                return REFUSED_SINCE
        unit = next(n for n in names if n in self.state)
        return DUE_CHANGED if self._dated_otherwise(d, unit, state == UnitState.TO_FIX) else None

    def _dated_otherwise(self, d: Draft, unit: str, to_fix: bool) -> bool:
        """Whether the 催报 ``d`` names a date the unit (``unit``, its name in the month) is no longer
        held to: its 请于…前 (the date it may still be on time by: its reply's when ``to_fix``, as
        `actions.remind._ask_by` wrote it) or its 报送截止 (`named_dates`). Unread: nothing named."""
        if self.root is None:
            return False
        try:
            asked, due = named_dates((self.root / d.path).read_bytes())
        except OSError:  # deleted: `mail_plan` says so
            return False
        now = self.cons.awaited_by(unit) if to_fix else self.cons.due_of(unit)
        return bool(asked - {now} or due - {self.cons.due_of(unit)})


    def _reissued(self, d: Draft, names: tuple[str, ...]) -> bool:
        """Whether the unit (``names``) was given its form anew after the 催报 ``d`` was written: by
        the ledger's clock, under any of its names (a unit renamed since, issued again under its new
        name: that form's first issue is its re-issue); or by a 下发 draft written after it, unless
        the latest issue printed the form again the same (every form issued again, one 邮箱 filled)."""
        given = [t for n in names for t in self.given.get(n, ())]
        if given:
            first, anew = min(t[0] for t in given), max(t[1] for t in given)
            if first < anew and d.created_at < anew:
                return True
            _, changed, last = max(given, key=lambda t: t[2])
            if changed != last:
                return False  # printed again the same: nothing new to the unit
        return any(self.issued.get(n, 0) > d.id for n in names)


#: a date as `dates.cn_date` writes it; the 催报's subject asks by one (【提醒】请于2022年7月5日前报送…),
#: its body names the deadline (报送截止时间为…, （报送截止：…）) as templates/催报邮件.txt writes them
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_ASKED, _DUE = LazyPattern(f"请于{_DATE}前"), LazyPattern(f"报送截止(?:时间为|：|:)\\s*{_DATE}")


def named_dates(eml: bytes) -> tuple[set[dt.date], set[dt.date]]:
    """The dates a 催报 draft names: the one its subject asks by (``请于…前``), and the deadline its
    body names (``报送截止…``); neither where the office's template words them otherwise. Its task
    lines (a task's own 于…前) are not read."""
    import email  # deferred: as `header_pairs`
    from email import policy

    msg = email.message_from_bytes(eml, policy=policy.default)
    subject = str(msg.get("Subject", ""))
    part = msg.get_body(("plain",))
    body = part.get_content() if part is not None else ""

    def days(pattern, text: str) -> set[dt.date]:
        out = set()
        for y, m, d in pattern.findall(text):
            with contextlib.suppress(ValueError):
                out.add(dt.date(int(y), int(m), int(d)))
        return out

    return days(_ASKED, subject), days(_DUE, body)


def passed_date(ws: Workspace, ledger: Ledger, cons, d: Draft) -> dt.date | None:
    """The date a 催报 or 反馈 draft asks its unit to report or correct by, when it has passed
    (the office's today is later); None when it names none or is not past. ``cons``: the month's
    units (`consolidate`). A draft is written with the day's dates and sent when the office
    sends it: `mail send remind` run alone, days after `remind`, sent "【提醒】请于7月5日前报送"
    on the 9th, and a 反馈 left unsent asked for a correction by a day gone by.

    A 催报 named the date its unit could still be on time by (`actions.remind._ask_by`: its
    deadline, or the date its reply asked the correction by) when written on or before it. A 反馈
    to a refused or unreadable file names the date `feedback.write_feedback` asks the correction
    by, from the day it was written."""
    from .ledger.answers import disowned_files, office_time  # deferred: only `mail send` asks
    from .on_time import reply_date, reply_day
    from .vocab import Outcome, UnitState

    today = ws.now().date()
    states = {u.unit: u.state for u in cons.units}
    # by the unit's name in the month: a draft recorded under its former name (renamed since)
    unit = d.unit if d.unit in states else cons.master.directory.resolve(d.unit) or d.unit
    if d.kind == "remind":
        state = states.get(unit)
        if state not in (UnitState.TO_FIX, UnitState.NOT_REPORTED):
            return None
        asked = cons.awaited_by(unit) if state == UnitState.TO_FIX else cons.due_of(unit)
        return asked if office_time(d.created_at, ws.tz).date() <= asked < today else None
    if d.kind != "feedback" or d.receipt_id is None:
        return None
    receipt = ledger.get(d.receipt_id)
    # a reply to the unit a file said not its registered unit's named is to its refused return (QA405)
    if receipt is None or (receipt.outcome not in (Outcome.RETURNED, Outcome.UNREADABLE) and (
            receipt.unit == d.unit or receipt.id not in disowned_files(ledger.conn))):
        return None  # accepted with warnings: its reply asks for no date
    # the date the reply asked, as the verdict holds the unit to it (`on_time.ReplyDates`)
    asked = reply_date(ws, cons.due_of(unit), {receipt.id: reply_day(d, ws.tz)})(receipt)
    return asked if asked < today else None
