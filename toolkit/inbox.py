"""The inbox (收件箱) and the archive (归档): reading what arrived, keeping it byte for byte.

Files are read from 收件箱 (never following links, skipping office lock files), archived
under 归档/<期>/ named by their sha256, and removed from the inbox only once archived and
recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import stat
import tempfile
from collections import Counter
from pathlib import Path

from .files import atomic_write
from .period import Period
from .report import make_issue
from .settings import Limits
from .sniff import detect
from .text import safe_filename, unescape_name
from .unpack import JUNK_NAMES, Item
from .vocab import Outcome
from .workspace import ARCHIVE, Workspace, period_folder

log = logging.getLogger("duban")

UNFILED = "未分期"


def mtime(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except (OverflowError, ValueError, OSError):  # a time stamp no calendar has
        return dt.datetime.now().replace(microsecond=0)


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_input(path: Path, rel: str, limits: Limits) -> Item | None:
    """One inbox file as an Item; an oversized file is hashed, not read into memory."""
    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        log.warning("收件箱中的“%s”不是普通文件（快捷方式、管道或设备），未处理，请把文件本身放入收件箱", rel)
        return None
    name, source = safe_filename(unescape_name(path.name)), f"收件箱/{rel}"
    if st.st_size <= limits.max_file_bytes:
        return Item(name, path.read_bytes(), source, mtime(path), inbox_path=rel, inbox_file=path)
    with open(path, "rb") as f:
        head = f.read(4096)
    item = Item(name, b"", source, mtime(path), inbox_path=rel, size=st.st_size, path=path,
                sha256=file_sha(path), inbox_file=path)
    item.kind, item.outcome = detect(head, name), Outcome.UNREADABLE
    detail = f"文件 {st.st_size // 1048576} MB，超过 {limits.max_file_mb} MB"
    item.issues.append(make_issue("E104", file=name, detail=detail))
    return item


def scan_inbox(inbox: Path) -> list[Path]:
    """Files under the inbox, sorted; office lock files and hidden files are not inputs."""
    found = []
    if not inbox.exists():
        return found
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            p = Path(root) / f
            if f.startswith(("~$", ".~lock.", ".")) or f.lower() in JUNK_NAMES:
                continue
            if p.is_symlink():  # never followed: it could point anywhere on the machine
                log.warning("收件箱中的“%s”是快捷方式（符号链接），未读取，请把文件本身放入收件箱", p.name)
                continue
            found.append(p)
    return found



def _archive_folder(item: Item, fallback: Period | None) -> str:
    if item.report and item.report.period:
        return period_folder(item.report.period)
    periods = Counter(c.report.period for c in item.walk() if c.report and c.report.period)
    if periods:
        return period_folder(periods.most_common(1)[0][0])
    return period_folder(fallback) if fallback else UNFILED


def _write_archive(ws: Workspace, item: Item, folder: str) -> None:
    if item.path is not None:
        _archive_stream(ws, item, folder)
        return
    name = f"{item.sha256[:12]}_{safe_filename(item.name)}"
    target = ws.root / ARCHIVE / folder / name
    item.archive_rel = target.relative_to(ws.root).as_posix()
    if target.exists() and file_sha(target) == item.sha256:
        return
    if item.inbox_file is not None and _link_archive(item.inbox_file, target, item.sha256):
        return
    atomic_write(target, lambda tmp: tmp.write_bytes(item.data))


def _link_archive(source: Path, target: Path, sha256: str) -> bool:
    """Archive an inbox file as a hard link to it; False when the caller must copy instead.

    A link writes no bytes: the inbox and the archive are one workspace, so usually one
    file system. Other file systems, FAT/exFAT sticks and shares without links fail the
    link and the caller copies. The linked file is hashed, as a copy would be: an inbox
    file changed since it was read must not be archived under the old file's hash.
    The inbox name is removed once the ledger has recorded the file, leaving the archive
    the file's only name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".~duban-{os.getpid()}-{target.name}")
    try:
        os.link(source, tmp)
    except (OSError, NotImplementedError):
        return False
    try:
        if file_sha(tmp) != sha256:
            return False
        os.replace(tmp, target)
        return True
    except OSError:
        return False
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _archive_stream(ws: Workspace, item: Item, folder: str) -> None:
    """Archive an oversized inbox file by copying it, hashing what was copied."""
    assert item.path is not None
    base = ws.root / ARCHIVE / folder
    base.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~duban-", dir=base)
    try:
        h = hashlib.sha256()
        with open(item.path, "rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        item.sha256 = h.hexdigest()  # what was copied, should the file have changed since
        target = base / f"{item.sha256[:12]}_{safe_filename(item.name)}"
        os.replace(tmp, target)
        item.archive_rel = target.relative_to(ws.root).as_posix()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def archive(ws: Workspace, top: Item, expected: Period | None) -> None:
    """Archive every byte of one inbox input and everything found inside it."""
    top_folder = _archive_folder(top, expected)
    for it in top.walk():
        folder = _archive_folder(it, None) if it.report and it.report.period else top_folder
        _write_archive(ws, it, folder)


def remove_from_inbox(ws: Workspace, path: Path, archive_rel: str, sha256: str, verify: bool = False) -> bool:
    """Remove an inbox file whose bytes are safely archived and recorded; True if gone.

    ``verify`` re-reads the archive first: for files an earlier, interrupted run archived.
    """
    archived = ws.root / archive_rel if archive_rel else None
    if archived is None:
        return False
    if not archived.exists() or (verify and file_sha(archived) != sha256):
        def copy(tmp: Path) -> None:
            shutil.copyfile(path, tmp)
            if file_sha(tmp) != sha256:
                raise _Changed

        try:
            atomic_write(archived, copy)
        except _Changed:
            log.warning("收件箱文件 %s 在处理期间被改动，暂不移出（下次运行会重新处理）", path)
            return False
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("无法从收件箱移除 %s：%s（下次运行会再次处理，不会重复计数）", path, exc)
        return False
    _remove_empty_dirs(path.parent, ws.inbox)
    return True


class _Changed(Exception):
    """The inbox file no longer has the bytes that were recorded."""


def _remove_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
