"""Opening the ledger's SQLite connection: for writing (WAL, a new ledger made by two runs at
once), or for reading only, where SQLite cannot read in place too (`open_readonly`); and
bringing its schema up to date (`migrate`)."""

from __future__ import annotations

import os  # loaded by Python itself at start-up: no cost to `duban status`
import sqlite3
import time
from pathlib import Path

from .migrations import LATEST, MIGRATIONS

#: how long a run waits for another's lock on the ledger, seconds
BUSY_SECONDS = 30
#: each step of that wait: SQLite's busy timeout, which sleeps in C where Ctrl-C is not answered
STEP_SECONDS = 0.1


class _Patient(sqlite3.Connection):
    """A connection that waits for another program's lock on the ledger (a colleague's SQLite
    browser, a sync client) up to `BUSY_SECONDS` in steps of `STEP_SECONDS`. SQLite's own wait
    sleeps inside C, and Python answers Ctrl-C only when it returns: pressed two seconds into
    a wait, Ctrl-C was answered 28 s later, the window silent meanwhile (QA342). A statement
    refused as busy did nothing (an autocommit write, ``BEGIN IMMEDIATE``; every transaction
    begins so), so trying it again is safe."""

    def execute(self, sql, parameters=(), /):
        return _patiently(super().execute, sql, parameters)

    def executemany(self, sql, parameters, /):
        # an iterator is read once: kept for a second try (the ledger passes lists, used as they are)
        return _patiently(super().executemany, sql,
                          parameters if isinstance(parameters, (list, tuple)) else list(parameters))


def _patiently(run, sql, parameters):
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        tried = time.monotonic()
        try:
            return run(sql, parameters)
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            # refused at once, not after a step (a deadlock SQLite sees, the switch to WAL): no spin
            time.sleep(max(0.0, STEP_SECONDS - (time.monotonic() - tried)))


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def open_writable(path: Path) -> sqlite3.Connection:
    """A connection that writes, in WAL mode, every commit synced. A new ledger's switch to
    WAL takes an exclusive lock: two runs making it at once (two colleagues' first double-click)
    each hold a shared lock and want it, and SQLite answers one at once with "database is
    locked" instead of calling the busy handler, which would deadlock. That one tries again
    (`_patiently`, as every statement refused as busy)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=STEP_SECONDS, isolation_level=None, factory=_Patient)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that never writes: ``mode=ro``; where SQLite cannot read in place (a
    write-protected folder or a full disk: no WAL index can be made) an in-memory copy of the
    file, with its WAL's commits (`_copied`); an empty one when there is no ledger yet."""
    if not path.exists():
        return sqlite3.connect(":memory:", isolation_level=None)
    uri = path.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if schema_version(conn) >= LATEST:
            return conn
        source = conn
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise  # another program holds it (said as such): never read around its lock
        if _wal_holds_commits(path):
            return _copied(path)
        # the file is the whole ledger (a full disk, a write-protected folder after a clean
        # close): read as it is, and a path too long for SQLite is said as such
        source = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
    return _in_memory(source)


def _in_memory(source: sqlite3.Connection) -> sqlite3.Connection:
    """An in-memory copy of ``source``, which is closed."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        source.backup(memory)
    finally:
        source.close()
    return memory


def _wal_holds_commits(path: Path) -> bool:
    """Whether the ledger's WAL holds pages: commits not yet checkpointed into the file."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _copied(path: Path) -> sqlite3.Connection:
    """An in-memory copy of the ledger as its last commits left it, where SQLite cannot open
    it read-only in place (a write-protected folder: no WAL index can be made there). The
    file and its WAL are copied to a temporary folder and opened there: the file alone, opened
    immutable, skips the commits still in the WAL (a collect stopped before its checkpoint),
    and status would say 未报送 of a unit whose return the ledger holds (QA152)."""
    import shutil  # only here: a read-only workspace is rare
    import tempfile

    with tempfile.TemporaryDirectory(prefix="duban-ledger-") as tmp:
        copy = Path(tmp) / path.name
        for suffix in ("", "-wal"):
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        return _in_memory(sqlite3.connect(copy, isolation_level=None))


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring ``conn`` to the latest schema; returns the version it had.

    A ledger that already holds data is copied to ``ledger.sqlite3.v<old>.bak`` first
    (``path`` given), so an upgrade can always be undone by hand.
    """
    version = schema_version(conn)
    if version >= LATEST:
        return version
    if path is not None and version > 0:
        backup = path.with_name(f"{path.name}.v{version}.bak")
        if not _sound(backup, version):
            _back_up(conn, backup)
    for number, _purpose, sql in MIGRATIONS:
        if number <= version:
            continue
        conn.execute("BEGIN IMMEDIATE")
        # Another process may have opened the new ledger at the same moment and applied this
        # migration while we waited for the write lock: read the version again under it.
        if schema_version(conn) >= number:
            conn.execute("COMMIT")
            continue
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version


def _back_up(conn: sqlite3.Connection, backup: Path) -> None:
    """Copy the ledger to ``backup`` under a temporary name first: written straight to its
    name, a full disk left it empty, and an empty backup was taken for one and never written
    again, the upgrade then going ahead with none (QA397)."""
    tmp = backup.with_name(f"{backup.name}.{os.getpid()}.tmp")  # two first runs at once: each its own
    try:
        copy = sqlite3.connect(str(tmp))
        try:
            conn.backup(copy)
        finally:
            copy.close()
        tmp.replace(backup)
    finally:
        tmp.unlink(missing_ok=True)


def _sound(backup: Path, version: int) -> bool:
    """Whether ``backup`` is a whole copy of the ledger at ``version`` (read only at an upgrade)."""
    try:
        if backup.stat().st_size == 0:
            return False
        copy = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return (schema_version(copy) == version
                    and copy.execute("PRAGMA quick_check").fetchone()[0] == "ok")
        finally:
            copy.close()
    except (OSError, sqlite3.Error):
        return False


def _statements(sql: str) -> list[str]:
    """The statements of a migration script, run one by one inside its transaction
    (``executescript`` would commit on its own)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
