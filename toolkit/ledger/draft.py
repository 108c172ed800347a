"""A mail draft as the ledger records it (`Draft`), read back by `Ledger.drafts`.

Apart from `ledger.store`, which every command loads: `duban status` reads the month's 反馈
drafts (`on_time.replied_on`), and most months have none; creating the dataclass at import
(Python 3.11 compiles each generated method) was 1.9 M instructions of such a status's 398.3 M
(W1, callgrind; QA347, issue 19).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ..period import Period


@dataclass(eq=False, repr=False)  # never compared nor shown: start-up (docs/design.md)
class Draft:
    """A mail draft duban wrote (下发, 反馈 or 催报), as recorded in the ledger."""

    id: int
    kind: str
    period: Period
    unit: str
    path: str
    sha256: str
    message_id: str
    receipt_id: int | None
    created_at: str
    obsolete_at: str | None
    obsolete_reason: str
    #: the To/Cc addresses duban wrote (`drafts.hand_addressed`); None: recorded before version 13
    recipients: list[str] | None = None


def from_row(row: sqlite3.Row) -> Draft:
    d = {k: row[k] for k in row.keys()}  # noqa: SIM118 - iterating a Row gives values
    d["period"] = Period.parse(d["period"])
    d["recipients"] = json.loads(d["recipients"]) if d.get("recipients") is not None else None
    return Draft(**d)
