"""Mail drafts on disk and in the ledger: written once, recorded, retired when pointless.

Every .eml duban writes for the coordinator (下发, 反馈, 催报) is recorded with its
Message-ID, so `duban mail send` knows what is live and what was already sent, and so a
draft that a later return or a later run made pointless is removed instead of piling up.
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
                eml: bytes, receipt_id: int | None = None) -> Path:
    """Write ``eml`` to ``path`` (atomically) and record it as the unit's live draft."""
    # deferred: parsing mail (email, html.parser, toolkit.cloud) is 6-10 ms of a collect's start
    from .mail import message_id

    atomic_write(path, lambda tmp: tmp.write_bytes(eml))
    where = path.relative_to(ws.root).as_posix() if path.is_relative_to(ws.root) else str(path)
    ledger.record_draft(kind=kind, period=period, unit=unit, path=where,
                        sha256=hashlib.sha256(eml).hexdigest(), message_id=message_id(eml),
                        receipt_id=receipt_id)
    return path


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
