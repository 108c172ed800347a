"""Writing files the coordinator will open: atomically, never over a file open in Excel.

Every output is written to a temporary file in the workspace's ``.duban/tmp/`` and renamed
onto its target in one step, so a crash or a locked target never leaves half a file, and
nothing temporary ever sits beside an output (where `duban open` or the coordinator could
take it for the real thing, and where a read-only folder would refuse it). Outside any
workspace (``master import --out``), or where ``.duban/tmp`` refuses new files (made by
another account), the temporary file is a hidden ``.~duban-*`` beside the target.
Temporary names in ``.duban/tmp`` start with the writer's process id, so a run clears
exactly what dead runs left (`clear_temp`).

Every operating-system failure while writing becomes one Chinese line (`errors.os_fault`).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

# shutil and tempfile: imported in the functions that use them. Most commands never do, and
# without these (and calendar) `duban status` starts about 10 ms sooner (measured).
from . import errors
from .errors import OutputLocked

STATE_DIR = ".duban"
TMP_DIR = "tmp"


def lock_files(path: Path) -> list[Path]:
    """Owner files Excel, WPS and LibreOffice leave beside a workbook they have open."""
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name(".~lock." + name + "#")]
    if len(name) > 2:
        candidates.append(path.with_name("~$" + name[2:]))
    return [p for p in candidates if _exists(p)]


def _exists(path: Path) -> bool:
    """``path.exists()``, False where the name itself is refused (".~lock.<name>#" one byte
    past the file system's 255, a character it does not take): no owner file can be there."""
    try:
        return path.exists()
    except OSError:
        return False


def check_writable(path: Path) -> None:
    """Raise OutputLocked if ``path`` is open in Excel, WPS or LibreOffice."""
    if lock_files(path):
        # the 通报 is open in Word: "Excel/WPS" sent the office to look for a workbook (QA323)
        program = "Word/WPS" if path.suffix.lower() in (".docx", ".doc") else "Excel/WPS"
        raise OutputLocked(f"“{path.name}”正被 {program} 打开，请先关闭该文件再运行。")


def temp_dir(near: Path) -> Path | None:
    """``.duban/tmp`` of the workspace holding ``near``, created if need be; None outside a
    workspace or when it cannot be created (read-only workspace)."""
    near = Path(os.path.abspath(near))
    state = near / STATE_DIR
    if not state.is_dir():
        # The walk up from a folder is remembered: collect archives a thousand files into a
        # few folders, and walking every time took 56 µs a file (W2: 60 ms of a collect).
        state = _STATE_OF.get(near.parent)
        if state is None:
            state = next((f / STATE_DIR for f in near.parents if (f / STATE_DIR).is_dir()), None)
            if state is None:
                return None
            _STATE_OF[near.parent] = state
    tmp = state / TMP_DIR
    try:
        tmp.mkdir(exist_ok=True)
    except OSError:
        return None
    return tmp


_STATE_OF: dict[Path, Path] = {}  # folder -> the .duban of the workspace holding it (`temp_dir`)


def temp_file(near: Path, suffix: str = "") -> Path:
    """A new empty temporary file for an output at ``near`` (see the module doc)."""
    import tempfile
    folder = temp_dir(near)
    if folder is not None:
        try:
            fd, name = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=suffix, dir=folder)
        except PermissionError:
            # .duban/tmp there but refusing (made by another account): beside the target, as
            # outside a workspace. Else atomic_write took the refusal for the target held open.
            folder = None
    if folder is None:
        fd, name = tempfile.mkstemp(prefix=".~duban-", suffix=suffix, dir=near.parent)
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def temp_folder(near: Path, label: str = "work") -> Iterator[Path]:
    """A temporary folder in ``.duban/tmp`` (else the system's), removed afterwards whatever
    happens; what cannot be removed now (a process still writing) the next run clears."""
    import shutil
    import tempfile
    folder = temp_dir(near)
    try:
        made = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{label}-" if folder else f"duban-{label}-",
                                     dir=folder))
    except PermissionError:
        if folder is None:
            raise
        made = Path(tempfile.mkdtemp(prefix=f"duban-{label}-"))  # .duban/tmp refusing: the system's
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def atomic_write(path: Path, write, before=None) -> Path:
    """Run ``write(tmp_path)`` then move the result onto ``path`` in one step; ``before(tmp_path)``,
    if given, runs between the two (`office_edits` keeps the office's version of ``path`` there:
    the new bytes are known, the old file not yet replaced)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fault(exc, path.parent) from exc
    check_writable(path)
    tmp: Path | None = None
    said: errors.DubanError | None = None  # `before`'s own line, passed on as it is
    try:
        tmp = temp_file(path, path.suffix)
        write(tmp)
        if before is not None:
            try:
                before(tmp)
            except errors.DubanError as exc:
                said = exc
                raise
        # mkstemp makes the file private; give it the mode an ordinary save would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        replace(tmp, path)
    except OutputLocked:
        raise
    except PermissionError as exc:
        if lock_files(path) or (path.exists() and os.access(path.parent, os.W_OK)):
            raise OutputLocked(f"无法写入“{path.name}”：文件正被其他程序打开，请关闭后重试。") from exc
        raise _fault(exc, path.parent) from exc
    except Exception as exc:
        if exc is said:
            raise
        fault = errors.os_fault(exc, path, op="write")
        if fault is None:
            raise
        raise _fault(exc, path) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return path


def replace(tmp: Path, path: Path) -> None:
    """``os.replace``, also when ``.duban/tmp`` and the target are on different disks."""
    import shutil
    import tempfile
    try:
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        beside = Path(tempfile.mkstemp(prefix=".~duban-", suffix=path.suffix, dir=path.parent)[1])
        try:
            shutil.copyfile(tmp, beside)
            os.chmod(beside, os.stat(tmp).st_mode & 0o777)
            os.replace(beside, path)
        finally:
            with contextlib.suppress(OSError):
                beside.unlink()


def file_sha(path: Path) -> str:
    """The sha256 of the file at ``path``, read a megabyte at a time (an inbox file may be large)."""
    import hashlib  # deferred: OpenSSL's 3-4 ms, which `duban status` never needs

    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _fault(exc: BaseException, where: Path) -> errors.DubanError:
    """The Chinese line for ``exc``, naming ``where`` (not the temporary file the OS named)."""
    fault = errors.os_fault(exc, where, op="write")
    if fault is not None:
        return fault
    # an OSError without an error number (a library's own): its text is English
    reason = errors.os_reason(exc) if isinstance(exc, OSError) else "写入失败"
    return errors.SystemFault(f"无法写入“{where}”：{reason}。请检查磁盘或网络盘后重新运行。")


def clear_temp(root: Path) -> int:
    """Delete what dead runs left in ``root/.duban/tmp``; entries of live processes are
    kept (their names start with the writer's pid)."""
    import shutil
    folder = root / STATE_DIR / TMP_DIR
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for entry in entries:
        pid = entry.name.split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or pid_alive(int(pid))):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def nothing_in(folder: Path) -> bool:
    """Whether ``folder`` is missing or empty. One that cannot be listed (no right to it, a
    network share gone) is not: what it holds is unknown, and may be waiting (QA276)."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
