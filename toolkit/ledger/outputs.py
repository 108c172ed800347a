"""What duban last wrote at each path the office may edit before it is written again (the 通报,
the 汇总表): table ``outputs`` (migration 19), one row a path, read by `toolkit.office_edits`.

A file on disk whose sha256 is not the one recorded was changed after duban wrote it (opened
and saved in Word, WPS or Excel); no row: written before version 19, or its record was lost.
Each write is one statement on the ledger's autocommit connection: durable when it returns.
"""

from __future__ import annotations

import sqlite3

from .answers import answered_now


def last_written(conn: sqlite3.Connection, path: str) -> str | None:
    """The sha256 duban last wrote at ``path`` (relative to the workspace); None: no record."""
    row = conn.execute("SELECT sha256 FROM outputs WHERE path=?", (path,)).fetchone()
    return row[0] if row else None


def written_at(conn: sqlite3.Connection, path: str) -> str | None:
    """When duban last wrote ``path`` (`answered_now`'s clock); None: no record."""
    row = conn.execute("SELECT written_at FROM outputs WHERE path=?", (path,)).fetchone()
    return row[0] if row else None


def record_written(conn: sqlite3.Connection, path: str, sha256: str) -> None:
    """Remember that duban wrote the bytes of ``sha256`` at ``path`` now."""
    conn.execute("INSERT OR REPLACE INTO outputs(path, sha256, written_at) VALUES (?,?,?)",
                 (path, sha256, answered_now()))
