"""QA397's F3: the ledger's backup before an upgrade is written under a temporary name and
then given its own; one left empty (a full disk) is written again; an upgrade a full disk
refuses is said, not passed over by the office's outputs."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from conftest import ledger_at

from toolkit import errors
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.office_edits import write_output


def _full_disk_on_backup(monkeypatch) -> None:
    real = Path.replace

    def replace(self, target):
        if str(target).endswith(".bak"):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        version = schema_version(conn)
    conn.close()
    return version


def test_a_backup_the_disk_refuses_leaves_no_backup_and_the_ledger_as_it_was(tmp_path, monkeypatch) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 24)
    _full_disk_on_backup(monkeypatch)
    with pytest.raises(OSError):
        Ledger(path)
    assert not [p.name for p in tmp_path.iterdir() if ".bak" in p.name]  # no backup, no temporary one
    assert _version(path) == 24
    monkeypatch.undo()
    Ledger(path).close()
    backup = tmp_path / "ledger.sqlite3.v24.bak"
    assert _version(backup) == 24 and _version(path) == LATEST


@pytest.mark.parametrize("left", [b"", b"not a database at all, a torn copy"])
def test_an_empty_or_broken_backup_is_written_again(tmp_path, left) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 24)
    backup = tmp_path / "ledger.sqlite3.v24.bak"
    backup.write_bytes(left)
    Ledger(path).close()
    assert _version(backup) == 24
    assert _version(path) == LATEST


def test_a_sound_backup_is_kept(tmp_path) -> None:
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 24)
    backup = tmp_path / "ledger.sqlite3.v24.bak"
    ledger_at(backup, 24)
    stamp = backup.stat().st_mtime_ns
    Ledger(path).close()
    assert backup.stat().st_mtime_ns == stamp


def test_an_output_written_while_the_disk_refuses_the_upgrade_says_so(ws, monkeypatch) -> None:
    """`merge` and `memo` open the ledger to record what they wrote: an upgrade refused there
    by a full disk was passed over, and the next command upgraded it with an empty backup."""
    ws.ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ws.ledger_path.unlink(missing_ok=True)
    ledger_at(ws.ledger_path, 24)
    _full_disk_on_backup(monkeypatch)
    out = ws.root / "汇总" / "x.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(errors.DiskFull) as raised:
        write_output(ws, out, lambda tmp: tmp.write_text("x", encoding="utf-8"), "汇总表")
    assert str(raised.value).startswith("磁盘已满")
    assert _version(ws.ledger_path) == 24
