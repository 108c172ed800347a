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
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from .files import atomic_write
from .ledger import Draft, Ledger
from .period import Period
from .workspace import Workspace


def write_draft(ws: Workspace, ledger: Ledger, *, kind: str, period: Period, unit: str, path: Path,
                eml: bytes, receipt_id: int | None = None, renew: bool = False) -> Path:
    """Write ``eml`` to ``path`` (atomically) and record it as the unit's live draft, under
    the Message-ID of the mail it repeats (`same_mail`) unless ``renew``."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import message_id

    same = None if renew else same_mail(ws, ledger, kind, period, unit, receipt_id)
    if same and same != message_id(eml):
        eml = with_message_id(eml, same)
    atomic_write(path, lambda tmp: tmp.write_bytes(eml))
    where = path.relative_to(ws.root).as_posix() if path.is_relative_to(ws.root) else str(path)
    ledger.record_draft(kind=kind, period=period, unit=unit, path=where,
                        sha256=hashlib.sha256(eml).hexdigest(), message_id=message_id(eml),
                        receipt_id=receipt_id)
    return path


def same_mail(ws: Workspace, ledger: Ledger, kind: str, period: Period, unit: str,
              receipt_id: int | None = None) -> str | None:
    """The Message-ID of the unit's mail that a draft of ``kind`` made now repeats, if that
    mail went out (or may have): for 下发, the unit's form of the month (the latest mailed);
    for 反馈, the reply to the same return (``receipt_id``); for 催报, a reminder mailed the
    same day in the office's time zone (a reminder on a later day is the next one)."""
    from .ledger.mail_records import MailRecords  # deferred: 1.8 ms of every ledger open (migrations.py)

    today = ws.now().date().isoformat()
    for row, about in MailRecords(ledger.conn).went_out(kind, str(period), unit):
        if kind == "issue":
            return row.message_id
        if kind == "feedback" and receipt_id is not None and about == receipt_id:
            return row.message_id
        if kind == "remind" and (row.sent_at or row.started_at)[:10] == today:
            return row.message_id
    return None


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


def renumber(ws: Workspace, ledger: Ledger, draft: Draft, eml: bytes, domain: str) -> tuple[Draft, bytes]:
    """The draft under a new Message-ID, written and recorded (the old record obsolete): what
    `mail send --resend` sends, a mail of its own beside the one that went (or may have)."""
    import email.utils  # deferred: as in `write_draft`

    eml = with_message_id(eml, email.utils.make_msgid("duban", domain=domain))
    path = ws.root / draft.path
    write_draft(ws, ledger, kind=draft.kind, period=draft.period, unit=draft.unit, path=path, eml=eml,
                receipt_id=draft.receipt_id, renew=True)
    new = next(d for d in reversed(ledger.drafts(draft.kind, draft.period)) if d.path == draft.path)
    return new, eml


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
            if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == d.sha256:
                path.unlink()
                removed.append(path)
    ledger.obsolete_drafts([d.id for d in drafts], reason)
    return removed
