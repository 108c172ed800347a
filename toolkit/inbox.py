"""The inbox (收件箱) and the archive (归档): reading what arrived, keeping it byte for byte.

Files are read from 收件箱 (never following links, skipping office lock files), archived
under 归档/<期>/ named by their sha256, and removed from the inbox only once archived and
recorded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

# shutil, and unpack (zipfile, hashing, its Item): imported where archiving and reading use
# them. `duban status` reads this module for `not_collected` alone, and took 4 ms longer in
# process with them (min of 30 runs on a W1 workspace).
from . import errors
from .files import atomic_write, file_sha, replace, temp_dir, temp_file
from .logs import log
from .period import Period
from .report import make_issue
from .sniff import detect, is_junk
from .text import safe_filename, unescape_name
from .vocab import Outcome, TimeSource
from .workspace import ARCHIVE, Workspace, period_folder

if TYPE_CHECKING:
    from .settings import Limits
    from .unpack import Item

UNFILED = "未分期"


def mtime(path: Path) -> dt.datetime:
    """The file's modification time as an aware moment (weak evidence of when it was sent)."""
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except (OverflowError, ValueError, OSError):  # a time stamp no calendar has
        return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # doubtful: before any issue



def read_input(path: Path, rel: str, limits: Limits) -> Item | None:
    """One inbox file as an Item; an oversized file is hashed, not read into memory."""
    from .unpack import Item  # deferred: `duban status` imports this module and reads no file

    st = path.lstat()
    if not stat.S_ISREG(st.st_mode):
        log.warning("收件箱中的“%s”不是普通文件（快捷方式、管道或设备），未处理，请把文件本身放入收件箱", rel)
        return None
    name, source = safe_filename(unescape_name(path.name)), f"收件箱/{rel}"
    if st.st_size <= limits.max_file_bytes:
        return Item(name, path.read_bytes(), source, mtime(path), inbox_path=rel, inbox_file=path,
                    time_source=TimeSource.MTIME)
    with open(path, "rb") as f:
        head = f.read(4096)
    item = Item(name, b"", source, mtime(path), inbox_path=rel, size=st.st_size, path=path,
                sha256=file_sha(path), inbox_file=path, time_source=TimeSource.MTIME)
    item.kind, item.outcome = detect(head, name), Outcome.UNREADABLE
    detail = f"文件 {st.st_size // 1048576} MB，超过 {limits.max_file_mb} MB"
    item.issues.append(make_issue("E104", file=name, detail=detail))
    return item


#: Windows refuses paths longer than this without the \\?\ prefix most programs lack.
MAX_PATH = 259


#: The reasons `scan_inbox` gives for a file it cannot read, which `not_collected` still counts
NO_READ = "没有读取权限"
UNREADABLE_DIR = "文件夹无法读取"


def scan_inbox(inbox: Path, skipped: list[tuple[str, str]] | None = None, put_back: bool = True,
               taking: bool = False) -> list[Path]:
    """Files under the inbox, sorted. Office temp files are ignored; anything else that is
    not read (hidden, a link, a path too long) is put in ``skipped`` with the reason, so the
    coordinator is told rather than left to wonder why a department shows 未报送.
    ``put_back=False`` (a look that holds no lock) leaves a file collect is taking out alone,
    and lists it under its taken-aside name when ``taking``."""
    found: list[Path] = []
    skipped = skipped if skipped is not None else []
    if not inbox.exists():
        return found

    def note(p: Path, why: str) -> None:
        skipped.append((p.relative_to(inbox).as_posix(), why))

    if not inbox.is_dir():  # a file (or a link to one) where the folder should be
        skipped.append((inbox.name, f"“{inbox.name}”应是一个文件夹，现在是一个文件；请把它改名或移走，"
                                    f"再新建名为“{inbox.name}”的文件夹"))
        return found

    def unreadable_dir(exc: OSError) -> None:
        skipped.append((Path(exc.filename or "").name, f"{UNREADABLE_DIR}（{errors.os_reason(exc)}）"))

    for root, dirs, files in os.walk(inbox, followlinks=False, onerror=unreadable_dir):
        for d in sorted(dirs):
            if d.startswith("."):
                note(Path(root) / d, "隐藏文件夹，未读取")
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            p = Path(root) / f
            if f.startswith(TAKING) and not put_back:
                if taking and not os.path.islink(p):
                    found.append(p)
                continue
            if f.startswith(TAKING):
                p = _put_back(p)  # a run stopped while taking it out: it is still unprocessed
                f = p.name
            if is_junk(f) or f.startswith(".duban-"):
                continue  # Office / macOS / Windows by-products, and mail fetch's own half-written file
            if f.startswith("."):
                note(p, "隐藏文件，未读取；如是报送文件，请去掉文件名开头的“.”")
            elif p.is_symlink():  # never followed: it could point anywhere on the machine
                note(p, "快捷方式（符号链接），未读取；请把文件本身放入收件箱")
            elif not p.is_file():  # a pipe or a device: reading could block the run forever
                note(p, "不是普通文件（管道或设备），未读取；请把文件本身放入收件箱")
            elif os.name == "nt" and len(str(p)) > MAX_PATH:
                note(p, f"路径过长（{len(str(p))} 个字符），请把文件移到收件箱第一层并缩短文件名")
            elif not os.access(p, os.R_OK):
                note(p, NO_READ)
            else:
                found.append(p)
    return found


#: What `look` saw in 收件箱: each file's name, path and size, and the names of those not readable
Look = tuple[list[tuple[str, Path, int]], list[str]]


def look(inbox: Path) -> Look:
    """The files under ``inbox`` as `not_collected` weighs them, listed before the ledger is
    read (`month_receipts.look_in_inbox`): one collect takes away once its commit is in the
    ledger, so a file is either listed here or known there. A file collect has taken aside
    (`TAKING`) and not yet recorded waits as much as any other, and is named by its own name."""
    skipped: list[tuple[str, str]] = []
    found = []
    for p in scan_inbox(inbox, skipped, put_back=False, taking=True):
        try:
            size = p.stat().st_size
        except FileNotFoundError:  # gone before the ledger is read: it is known there
            continue
        except OSError:  # held open by Excel or WPS, or refused: weighed as not known
            size = -1
        name = p.with_name(p.name.removeprefix(TAKING)).relative_to(inbox).as_posix()
        found.append((name, p, size))
    # what cannot be read waits as much as what can: its unit would stand 未报送 unsaid (QA276)
    return found, [name for name, why in skipped if why.startswith((NO_READ, UNREADABLE_DIR))]


def not_collected(inbox: Path, known: Callable[[str], bool], sizes: Collection[int] | None = None,
                  looked: Look | None = None, settled: Callable[[], bool] | None = None) -> list[str]:
    """Files under ``inbox`` (as `scan_inbox` reads it, or as ``looked`` by `look` before the
    ledger was read) whose content no receipt has (``known``: a sha256 the ledger holds):
    waiting for `duban collect`, which alone counts them. A file collect could not move away
    is registered, and so not among them. One gone since it was listed a collect took: known to
    the ledger's reading when ``settled`` (nothing committed since that reading began), else
    waiting still, for a status that said 未报送 of its unit in silence was worse than one asking.

    ``sizes``, the byte sizes of every receipt (`Ledger.sizes`), spares reading and hashing a
    file of any other size: a receipt's size is that of the bytes its sha256 is of. Mail
    fetched and not yet collected is new, so none of it is read: hashing W1's 54 waiting returns
    (0.85 MB), with OpenSSL loaded for them, was 4.1 ms of a `duban status` (83.1 → 79.0 ms, min
    of 30 runs; 38 M of its 444 M instructions, callgrind)."""
    found, unread = looked if looked is not None else look(inbox)
    waiting = []
    for name, p, size in found:
        try:
            if (sizes is not None and size not in sizes) or not known(_sha_taken(p)):
                waiting.append(name)
        except FileNotFoundError:  # gone meanwhile: a collect took it
            if settled is not None and not settled():
                waiting.append(name)
        except OSError:  # still there, but held open by Excel or WPS, or refused: not known either
            waiting.append(name)
    return waiting + unread


def _sha_taken(p: Path) -> str:
    """The file's sha256, or the one it has under the name collect takes it aside with."""
    try:
        return file_sha(p)
    except FileNotFoundError:
        if p.name.startswith(TAKING):
            raise
        return file_sha(p.with_name(TAKING + p.name))


def _archive_folder(item: Item, fallback: Period | None) -> str:
    if item.report and item.report.period:
        return period_folder(item.report.period)
    if item.period:
        return period_folder(item.period)
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
        if item.inbox_file is None or not _same_file(item.inbox_file, target):
            return
        # an inbox name still the archive's (put back as a link by a release before QA400's `_unshared`):
        # taken aside as in `_link_archive`, so that a copy-over in place leaves the archive alone
        target.unlink()
    if item.inbox_file is not None and _link_archive(item.inbox_file, target, item.sha256):
        return
    atomic_write(target, lambda tmp: tmp.write_bytes(item.data))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _link_archive(source: Path, target: Path, sha256: str) -> bool:
    """Archive an inbox file as a hard link to it; False when the caller must copy instead.

    A link writes no bytes: the inbox and the archive are one workspace, so usually one
    file system. Other file systems, FAT/exFAT sticks and shares without links fail the
    link and the caller copies. The inbox file is first renamed aside (`TAKING`), so that
    no inbox name shares the archive's bytes: a colleague copying a new version over the
    inbox file in place (cp, Explorer's 替换) truncated and rewrote the archived original
    with it, and the registered bytes survived nowhere (QA397). The new version now lands
    as a new file, collected next run. The file taken aside is hashed, as a copy would be:
    a file changed since it was read is put back and the caller copies the bytes it read.
    `_remove` deletes the name taken aside once the ledger has recorded the file; a run
    stopped before that puts it back (`scan_inbox`).
    """
    taking = source.with_name(TAKING + source.name)
    if len(os.fsencode(taking.name)) > 250:  # no room for the prefix (as in `_remove`): copy
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = temp_dir(target)  # .duban/tmp like every temporary name, never beside the archive
    tmp = (folder / f"{os.getpid()}-{sha256[:16]}.link" if folder is not None
           else target.with_name(f".~duban-{os.getpid()}-{target.name}"))
    try:
        os.replace(source, taking)  # refused for a file Excel holds open on Windows: copied
    except OSError:
        return False
    try:
        os.link(taking, tmp)
        if file_sha(tmp) == sha256:
            os.replace(tmp, target)
            return True
    except (OSError, NotImplementedError):
        pass
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
    _put_back(taking)
    return False


def _archive_stream(ws: Workspace, item: Item, folder: str) -> None:
    """Archive an oversized inbox file by copying it, hashing what was copied."""
    assert item.path is not None
    base = ws.root / ARCHIVE / folder
    base.mkdir(parents=True, exist_ok=True)
    tmp = temp_file(base)  # in .duban/tmp, never beside the archive
    import hashlib  # deferred, as in `files.file_sha`: OpenSSL is 2.5 ms to load, and status reads this module

    try:
        h = hashlib.sha256()
        with open(item.path, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        item.sha256 = h.hexdigest()  # what was copied, should the file have changed since
        target = base / f"{item.sha256[:12]}_{safe_filename(item.name)}"
        replace(tmp, target)
        item.archive_rel = target.relative_to(ws.root).as_posix()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def archive(ws: Workspace, top: Item, expected: Period | None) -> None:
    """Archive every byte of one inbox input and everything found inside it."""
    top_folder = _archive_folder(top, expected)
    for it in top.walk():
        folder = _archive_folder(it, None) if (it.report and it.report.period) or it.period else top_folder
        _write_archive(ws, it, folder)


TAKING = ".duban-taking-"


def remove_from_inbox(ws: Workspace, path: Path, archive_rel: str, sha256: str, verify: bool = False,
                      failed: list[str] | None = None, lost: list[tuple[str, str]] | None = None) -> bool:
    """Remove an inbox file whose bytes are safely archived and recorded; True if gone.

    A file that stays in the inbox must not share its bytes with the archive (a hard link,
    see `_link_archive`): a colleague copying a new version over it in place would change
    the archived original too. The archive then gets bytes of its own. An archived file
    found holding other bytes than those recorded (written through a handle opened before
    `_link_archive` took the file aside) is named in ``lost``, with what to do, to be said
    on screen.
    """
    gone = _remove(ws, path, archive_rel, sha256, verify, failed, lost)
    if not gone and archive_rel:
        _unshare(ws, path, ws.root / archive_rel, sha256, lost)
    return gone


def _unshare(ws: Workspace, path: Path, archived: Path, sha256: str, lost: list[tuple[str, str]] | None) -> None:
    """Give an archived file its own copy of its bytes when a hard link still shares them."""
    try:
        if archived.stat().st_nlink < 2:
            return
        if file_sha(archived) != sha256:
            _lost(ws, path, archived, lost)
            return
        import shutil  # deferred, as at the top

        atomic_write(archived, lambda tmp: shutil.copyfile(archived, tmp))
    except FileNotFoundError:  # removed by `_lost`, or never archived
        return
    except OSError as exc:
        log.warning("无法为归档文件 %s 单独保存一份：%s", archived, exc)


def _lost(ws: Workspace, path: Path, archived: Path, lost: list[tuple[str, str]] | None) -> None:
    """The archived file shares changed bytes with an inbox file: the recorded original is gone.
    Its archive name is removed, so that nothing reads another file's bytes as the recorded
    one's (a reply, a renewed form); the new bytes stay in 收件箱 for the next run."""
    log.error("归档文件 %s 与登记时的内容不一致（收件箱中的同一文件在处理期间被原地改写），"
              "登记时的原件未能保留", archived)
    with contextlib.suppress(OSError):
        archived.unlink()
    if lost is not None:
        name = path.relative_to(ws.inbox).as_posix() if path.is_relative_to(ws.inbox) else path.name
        lost.append((name, "收取期间该文件被原地覆盖改写，登记时的原件未能保留在“归档”中；改写后的文件留在收件箱，"
                           "下次运行 duban collect 时收取。请向报送单位核实其报送的是哪一版本。"))


def _remove(ws: Workspace, path: Path, archive_rel: str, sha256: str, verify: bool,
            failed: list[str] | None, lost: list[tuple[str, str]] | None = None) -> bool:
    """Remove an inbox file whose bytes are safely archived and recorded; True if gone.

    The file is first renamed aside, then hashed: a department's colleague may have saved
    it again since it was read (Excel saves by replacing the file). Only bytes that hash to
    what was archived are deleted; anything else goes back into the inbox for the next run.
    ``verify`` also re-reads the archive: for files an earlier, interrupted run archived.
    A file that cannot be removed (read-only 收件箱) is named in ``failed``, with why.
    """
    archived = ws.root / archive_rel if archive_rel else None
    if archived is None:
        return False
    if not archived.exists() or (verify and file_sha(archived) != sha256):
        import shutil  # deferred, as at the top

        def copy(tmp: Path) -> None:
            shutil.copyfile(path, tmp)
            if file_sha(tmp) != sha256:
                raise _Changed

        try:
            atomic_write(archived, copy)
        except _Changed:
            log.warning("收件箱文件 %s 在处理期间被改动，暂不移出（下次运行会重新处理）", path)
            return False
        except FileNotFoundError:
            return False
    taking = path.with_name(TAKING + path.name)
    if len(os.fsencode(taking.name)) > 250:  # no room for the prefix: hash, then delete
        try:
            if file_sha(path) != sha256:
                log.warning("收件箱文件 %s 在处理期间被改动，暂不移出（下次运行会处理新版本）", path)
                return False
            path.unlink()
        except FileNotFoundError:
            return True
        except OSError as exc:
            _not_removed(ws, path, exc, failed)
            return False
        _remove_empty_dirs(path.parent, ws.inbox)
        return True
    try:
        if not os.path.lexists(taking):  # not already taken aside when archived (`_link_archive`)
            os.replace(path, taking)
    except FileNotFoundError:
        return True  # gone already (a colleague moved it); its recorded bytes are archived
    except OSError as exc:
        _not_removed(ws, path, exc, failed)
        return False
    try:
        same = file_sha(taking) == sha256
    except OSError:
        same = False
    if not same:
        log.warning("收件箱文件 %s 在处理期间被改动，已放回收件箱（下次运行会处理新版本）", path)
        if _same_file(taking, archived):  # written through a handle opened before it was taken aside
            _lost(ws, path, archived, lost)
        _put_back(taking)
        return False
    try:
        taking.unlink()
    except OSError as exc:
        _put_back(taking)
        _not_removed(ws, path, exc, failed)
        return False
    _remove_empty_dirs(path.parent, ws.inbox)
    return True


def _not_removed(ws: Workspace, path: Path, exc: OSError, failed: list[str] | None) -> None:
    log.warning("无法从收件箱移除 %s：%s（下次运行会再次处理，不会重复计数）", path, exc)
    if failed is not None:
        fault = errors.os_fault(exc, path.parent, op="write")
        failed.append(f"{path.relative_to(ws.inbox) if path.is_relative_to(ws.inbox) else path.name}"
                      f"（{_why(fault)}）")


def _why(fault: errors.DubanError | None) -> str:
    if isinstance(fault, errors.NoPermission):
        return "没有删除权限"
    if isinstance(fault, errors.FileInUse):
        return "正被其他程序打开"
    return "无法删除"


def _put_back(taking: Path) -> Path:
    """Give a file taken aside its inbox name again; if that name is taken by a newer save,
    keep both (nothing a department sent is ever dropped)."""
    original = taking.with_name(taking.name[len(TAKING):])
    source = _unshared(taking)
    for n in range(1000):
        target = original if n == 0 else original.with_name(f"{original.stem}（另一版本{n}）{original.suffix}")
        try:
            # link() never replaces: a save that lands meanwhile keeps its name and its bytes
            os.link(source, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some shares): check, then rename
            if target.exists():
                continue
            try:
                os.replace(source, target)
            except OSError:
                break
            source = taking
        for left in {source, taking}:
            with contextlib.suppress(OSError):
                left.unlink()
        return target
    if source != taking:
        with contextlib.suppress(OSError):
            source.unlink()
    return taking


def _unshared(taking: Path) -> Path:
    """``taking``, or a copy of it of its own where it still shares its bytes with its archive
    (`_link_archive`, a run stopped before removing it): put back as a link, the inbox name was
    the archive's, and a new version copied over it in place rewrote the archived original."""
    try:
        if taking.stat().st_nlink < 2:
            return taking
        import shutil  # deferred, as at the top

        copy = taking.with_name(".duban-copy-" + taking.name[len(TAKING):])  # passed over by `scan_inbox`
        shutil.copy2(taking, copy)  # with its modification time: the file's time as received (`mtime`)
        return copy
    except OSError:
        return taking


class _Changed(Exception):
    """The inbox file no longer has the bytes that were recorded."""


def _remove_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
