"""The fast paths of issue 19 keep their meaning: the archive links instead of copying but
still checks the hash; the directory looks names up by index."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import drop, issued_path, on_time

from toolkit.inbox import _link_archive, file_sha
from toolkit.units import Directory, Unit


def test_collect_archives_by_hard_link(issued_ws) -> None:
    from toolkit.actions.collect import collect

    unit = "市发展改革局"
    dropped = drop(issued_ws, issued_path(issued_ws, unit).name, issued_path(issued_ws, unit).read_bytes(),
                   on_time())
    inode = dropped.stat().st_ino
    result = collect(issued_ws, "2022-06")
    assert result.duplicates == 1  # the form as issued, no return (QA373): archived all the same
    archived = [p for p in (issued_ws.root / "归档").rglob("*.xlsx") if unit in p.name]
    assert len(archived) == 1
    assert archived[0].stat().st_ino == inode  # no bytes were copied
    assert not dropped.exists()


def test_link_refuses_a_file_that_changed_since_it_was_read(tmp_path: Path) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"first bytes")
    sha = file_sha(source)
    source.write_bytes(b"changed bytes")
    target = tmp_path / "archive" / "x.xlsx"
    assert _link_archive(source, target, sha) is False
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []  # no temp file left behind


def test_link_falls_back_when_the_file_system_refuses(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(b"bytes")

    def refuse(*_a, **_k):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    assert _link_archive(source, tmp_path / "a" / "x.xlsx", file_sha(source)) is False


def test_directory_lookup_is_indexed() -> None:
    n = 20_000
    d = Directory([Unit(f"测试{i:05d}局", aliases=(f"测{i:05d}",)) for i in range(n)])
    t0 = time.perf_counter()
    for i in range(n):
        assert d.get(f"测试{i:05d}局").name == f"测试{i:05d}局"
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, f"{n} look-ups took {elapsed:.2f} s: a scan per look-up?"
    assert d.get(f"测{n - 1:05d}").name == f"测试{n - 1:05d}局"
    assert d.get("不存在") is None
    d.add(Unit("新增单位"))
    assert d.get("新增单位").name == "新增单位"
    d.with_contacts("新增单位", email="a@b.cn")
    assert d.get("新增单位").email == "a@b.cn"


def test_directory_first_of_duplicate_names_wins() -> None:
    d = Directory([Unit("甲局", contact="first"), Unit("甲局", contact="second")])
    assert d.get("甲局").contact == "first"


def test_master_is_read_once_until_its_workbook_changes(ws) -> None:
    from toolkit.master import read_master_workbook, write_master_workbook

    first = ws.load_master()
    assert ws.load_master() is first  # collect then merge in one run: one read
    title = first.title + "（修订）"
    import dataclasses

    write_master_workbook(dataclasses.replace(first, title=title), ws.master_path)
    again = read_master_workbook(ws.master_path)
    assert again is not first and again.title == title


def test_a_file_left_in_the_inbox_no_longer_shares_bytes_with_its_archive(tmp_path):
    """Read-only 收件箱: the file stays, so the archive must not stay its hard link."""
    import hashlib
    import os

    from toolkit.inbox import remove_from_inbox
    from toolkit.workspace import Workspace

    root = tmp_path / "ws"
    (root / "收件箱").mkdir(parents=True)
    (root / "归档").mkdir()
    inbox_file = root / "收件箱" / "石龙镇.xlsx"
    inbox_file.write_bytes(b"original")
    archived = root / "归档" / "a_石龙镇.xlsx"
    os.link(inbox_file, archived)
    sha = hashlib.sha256(b"original").hexdigest()
    (root / "收件箱").chmod(0o555)  # cannot be removed (as root: simulate with a failing rename)
    try:
        real_replace = os.replace

        def refuse(src, dst, *a, **k):
            if str(src) == str(inbox_file):
                raise PermissionError(13, "Permission denied")
            return real_replace(src, dst, *a, **k)

        os.replace = refuse
        try:
            assert remove_from_inbox(Workspace(root), inbox_file, "归档/a_石龙镇.xlsx", sha) is False
        finally:
            os.replace = real_replace
    finally:
        (root / "收件箱").chmod(0o755)
    assert inbox_file.exists() and archived.stat().st_nlink == 1
    inbox_file.write_bytes(b"overwritten in place")  # a colleague copies a new version over it
    assert archived.read_bytes() == b"original"
