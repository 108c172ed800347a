"""Exceptions: only for "cannot continue". Problems found in data are `Issue` records.

Every exception carries a one-line Chinese message for the coordinator; the CLI prints
it in one place and exits with the class's ``exit_code``.

    DubanError                      anything duban cannot continue from
    ├── UsageError                  the command was asked for something impossible (exit 2)
    │   ├── BadPeriod               a period that is not like 2022-06
    │   ├── UnknownUnit             a --dept name not in the directory
    │   ├── BadTemplate             a memo or mail template that cannot be rendered
    │   ├── NotIssued               a period no return was ever issued for (without --force)
    │   ├── FileChanged             an answer about a file the unit no longer stands 逾期 on (verify)
    │   └── KitError                the offline kit cannot be built (actions/kit.py)
    ├── InputFileError              an input the user pointed at cannot be used (exit 2)
    │   ├── FileMissing             the file does not exist
    │   ├── UnsupportedFile         not a format this command reads
    │   ├── EncryptedFile           protected by a password
    │   └── NotAMasterList          no task table, or not the expected headers
    ├── WorkspaceError              the work folder is missing or unusable (exit 2)
    │   ├── WorkspaceNotFound       no duban.toml here or above
    │   ├── WorkspaceExists         init over a folder that already has one
    │   ├── BadConfig               duban.toml cannot be parsed
    │   ├── NoTasks                 the master workbook lists no task
    │   └── LedgerMissing           no ledger (or an empty one) beside a 归档 holding files
    ├── OutputLocked                a target file is open in Excel/WPS (exit 2)
    ├── SystemFault                 the operating system refused (exit 2), see `os_fault`
    │   ├── DiskFull                no space left (also SQLite "database or disk is full")
    │   ├── NoPermission            no right to read or write a file or folder
    │   ├── FileInUse               another program holds the file
    │   └── PathTooLong             the path is longer than the system allows
    ├── MailboxError                a mailbox step cannot continue: connect, TLS, login… (mailbox.py)
    ├── NothingToDo                 e.g. no accepted return yet for the period (exit 1, "提示：")
    └── WorkspaceBusy               another run holds the lock (exit 4)

    ReadFailure                     internal, never reaches the CLI: a received file cannot
                                    be read as a return (E101–E105); the check records it
                                    as an Issue (spreadsheet.py, extent.py, ole.py, returns.py)
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Any

from .text import LazyPattern

# shutil: imported in the functions that use them. Most commands never do, and
# without these (and calendar) `duban status` starts about 10 ms sooner (measured).


class DubanError(Exception):
    """Base class: a condition under which duban cannot continue."""

    exit_code = 2
    #: The word the CLI puts before the message: the double-click scripts tell the office to
    #: act on the line that starts with 错误 (exit 2)
    heading = "错误"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(DubanError):
    """The command was asked for something it cannot do."""


class BadPeriod(UsageError):
    """A period string that is not a month like 2022-06."""


class UnknownUnit(UsageError):
    """A unit name that the directory does not know."""


class BadTemplate(UsageError):
    """A template that cannot be parsed or rendered."""


class NotIssued(UsageError):
    """A period for which no return was ever issued: its 汇总 would name every unit 未报送."""


class FileChanged(UsageError):
    """An answer about the file a unit stood 逾期 on when asked, typed after a colleague's
    collect made it stand 逾期 on another (`actions.received.answer_received`): not recorded."""


class InputFileError(DubanError):
    """An input file named by the user cannot be used."""


class FileMissing(InputFileError):
    """The named file does not exist."""


class UnsupportedFile(InputFileError):
    """The file is not in a format this command reads."""


class EncryptedFile(InputFileError):
    """The file is protected by a password."""


class NotAMasterList(InputFileError):
    """The file holds no recognisable task-division table."""


class WorkspaceError(DubanError):
    """The work folder is missing or unusable."""


class WorkspaceNotFound(WorkspaceError):
    """No duban.toml in the folder or any folder above it."""


class WorkspaceExists(WorkspaceError):
    """`init` was asked to create a workspace where one already exists."""


class BadConfig(WorkspaceError):
    """duban.toml cannot be read."""


class NoTasks(WorkspaceError):
    """The master workbook is missing or lists no task."""


class LedgerMissing(WorkspaceError):
    """The ledger is gone or empty while 归档 holds received files."""


class OutputLocked(DubanError):
    """A file to be written is open (locked) in another program."""


class NothingToDo(DubanError):
    """The command has no input to work on."""

    exit_code = 1
    # nothing went wrong: there was nothing to do yet (`merge` before any return came)
    heading = "提示"


class WorkspaceBusy(DubanError):
    """Another duban run holds the workspace lock."""

    exit_code = 4


class SystemFault(DubanError):
    """The operating system refused a file operation; the message names the file and the remedy."""


class DiskFull(SystemFault):
    """No space left on the disk (or the user's quota is used up)."""


class NoPermission(SystemFault):
    """No permission to write (or read) a file or folder, or the folder is read-only."""


class FileInUse(SystemFault):
    """Another program holds the file open (Windows sharing violation, busy file)."""


class PathTooLong(SystemFault):
    """A path longer than the file system or Windows allows."""


# compiled on first use: only a failed save reads it (0.10-0.18 ms of every start)
_IO_ERRNO = LazyPattern(r"\bIO_(E[A-Z]+)\b")
_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}
_BUSY = {errno.EBUSY, errno.ETXTBSY}
_WIN_IN_USE = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
_WIN_TOO_LONG = {206}   # ERROR_FILENAME_EXCED_RANGE
# What the other common failures mean, in Chinese: strerror is English on Linux and macOS
# ("File exists" when a folder to create is a file).
_MEANING = {
    errno.EEXIST: "同名的文件或文件夹已经存在",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EIO: "磁盘读写出错",
    errno.EINVAL: "文件名或路径不被系统接受",
    errno.ELOOP: "路径中的链接互相指向，绕成了环",
    errno.EMFILE: "同时打开的文件太多",
}


def os_fault(exc: BaseException, path: str | os.PathLike | None = None,
             fallback: str | os.PathLike | None = None, op: str | None = None) -> SystemFault | None:
    """The one-line Chinese error for an operating-system failure, or None if ``exc`` is not one.

    Looks through the exception's causes (openpyxl, zipfile and SQLite wrap OSError).
    ``path`` is the file being read or written (named instead of the temporary file the OS
    named); ``fallback`` the file to name only when the exception names none (SQLite never does).
    ``op`` is what was refused, ``"read"`` or ``"write"``: EACCES is the same number for
    both, and "没有写入权限…是否只读" of a file nobody may read sent the office to the folder's
    read-only flag instead of the share's rights or a colleague holding the file (QA280).
    Unknown (None), the words say neither unless the path's own permissions tell.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, SystemFault):
            return exc
        if isinstance(exc, OSError) and not isinstance(exc, (ConnectionError, TimeoutError)):
            fault = _from_oserror(exc, path if path is not None or exc.filename else fallback, op)
            if fault is not None:
                return fault
        named = _IO_ERRNO.search(str(exc)) if type(exc).__name__ == "SerialisationError" else None
        if named and isinstance(getattr(errno, named.group(1), None), int):  # lxml: "IO_ENOSPC"
            fault = _from_oserror(OSError(getattr(errno, named.group(1)), named.group(1)),
                                  path if path is not None else fallback, op)
            if fault is not None:
                return fault
        sqlite3 = sys.modules.get("sqlite3")  # not imported just for this: start-up time
        if sqlite3 is not None and isinstance(exc, sqlite3.Error):
            fault = _from_sqlite(exc, path if path is not None else fallback)
            if fault is not None:
                return fault
        exc = exc.__cause__ or exc.__context__
    return None


def output_fault(exc: BaseException) -> SystemFault | None:
    """The line for a failure writing duban's own output (stdout redirected to a file on a
    full disk, or to a device that refuses it): the OS names no file, and the workspace file
    `os_fault` would fall back to (the ledger) was not the one that failed."""
    while exc is not None and not isinstance(exc, OSError):
        exc = exc.__cause__ or exc.__context__
    if exc is None or exc.errno is None:
        return None
    if exc.errno in _FULL:
        return DiskFull("磁盘已满，屏幕输出（已转存到文件）无法写入。"
                        "请腾出磁盘空间，或把输出转存到其他磁盘后重新运行。")
    return SystemFault(f"屏幕输出无法写出（输出已转到文件或其他程序）：{os_reason(exc)}。"
                       "请检查输出转到的位置后重新运行。")


def _from_oserror(exc: OSError, given, op: str | None = None) -> SystemFault | None:
    where = Path(given) if given is not None else (Path(exc.filename) if exc.filename else None)
    code, winerror = exc.errno, getattr(exc, "winerror", None)
    if code is None and winerror is None:
        return None
    if code in _FULL:
        return DiskFull(f"磁盘已满，无法写入“{_show(where)}”。请删除不需要的文件、腾出磁盘空间后重新运行。")
    if code == errno.ENAMETOOLONG or winerror in _WIN_TOO_LONG or (
            where is not None and os.name == "nt" and len(str(where)) >= 260):
        return _too_long(where)
    if winerror in _WIN_IN_USE or code in _BUSY:
        return FileInUse(f"文件被其他程序占用：“{_show(where)}”。请关闭正在使用它的程序后重新运行。")
    if code in _DENIED:
        if where is not None and where.is_file() and _lock_owner_files(where):
            return FileInUse(f"文件被其他程序占用：“{_show(where)}”。请关闭正在使用它的程序后重新运行。")
        return _denied(where, "write" if code == errno.EROFS else op or _refused_by_mode(where))
    if where is not None:
        return SystemFault(f"无法读写“{_show(where)}”：{os_reason(exc)}。请检查磁盘或网络盘后重新运行。")
    return None


def _denied(where: Path | None, op: str | None) -> NoPermission:
    if op == "write":
        return NoPermission(f"没有写入权限：“{_show(where)}”。请检查该文件或文件夹是否只读、"
                            "是否有修改权限，改正后重新运行。")
    if op == "read":
        return NoPermission(f"没有读取权限：“{_show(where)}”。请检查是否有打开该文件或文件夹的权限"
                            "（网络共享盘还要看共享权限），或它是否正被其他用户独占打开，改正后重新运行。")
    return NoPermission(f"没有访问权限：“{_show(where)}”。请检查是否有读取和修改该文件或文件夹的权限"
                        "（网络共享盘还要看共享权限），或它是否正被其他用户或程序占用，改正后重新运行。")


def _refused_by_mode(where: Path | None) -> str | None:
    """Which right the path's own mode lacks, when it lacks one and not the other: the
    caller did not say what it did (the CLI's last catch). Both or neither: unknown (an
    ACL, a share's rights, a file another user holds, or root's tests)."""
    if where is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        if where.exists():
            readable, writable = os.access(where, os.R_OK), os.access(where, os.W_OK)
            if readable != writable:
                return "read" if writable else "write"
    return None


def os_reason(exc: OSError) -> str:
    """What went wrong, in a few Chinese words: Windows words its own messages in the system's
    language, errno's are English."""
    code, winerror = exc.errno, getattr(exc, "winerror", None)
    if code in _DENIED:
        return "没有权限"
    if code in _FULL:
        return "磁盘已满"
    return _MEANING.get(code) or (winerror is not None and exc.strerror) or \
        f"操作系统拒绝了这次操作（{errno.errorcode.get(code, code) if code is not None else type(exc).__name__}）"


def _from_sqlite(exc: Exception, given) -> SystemFault | None:
    text = str(exc).lower()
    where = Path(given) if given is not None else None
    if "disk is full" in text or ("disk i/o error" in text and _nearly_full(where)):
        return DiskFull(f"磁盘已满，无法写入收件台账“{_show(where)}”。请腾出磁盘空间后重新运行，"
                        "已完成的部分不会重复。")
    if "unable to open database" in text and _longer_than_sqlite_takes(where):
        return _too_long(where)
    if "readonly" in text or "read-only" in text:
        return NoPermission(f"没有写入权限：“{_show(where)}”。请检查工作区文件夹是否只读、是否有修改权限，"
                            "改正后重新运行。")
    if "unable to open database" in text:  # no right to read the ledger, or to write beside it
        return NoPermission(f"无法打开收件台账“{_show(where)}”：没有访问权限。请检查是否有读取和修改"
                            "工作区文件夹及其中台账文件的权限（网络共享盘还要看共享权限），改正后重新运行。")
    if "database is locked" in text:
        return FileInUse(f"收件台账“{_show(where)}”被其他程序占用。请关闭正在使用它的程序后重新运行。")
    if "disk i/o error" in text:
        return SystemFault(f"读写收件台账“{_show(where)}”时出现磁盘错误。请检查磁盘（或网络盘）"
                           "和剩余空间后重新运行。")
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        # overwritten, truncated by an interrupted copy or sync, or a different file
        return SystemFault(f"收件台账“{_show(where)}”已损坏，无法读取。收到的文件都还在“归档”文件夹中，"
                           "请不要删除它们；请先把这个台账文件另存一份，再把它和“日志/duban.log”发给技术支持。")
    return None


def _too_long(where: Path | None) -> PathTooLong:
    return PathTooLong(f"路径过长：“{_show(where)}”。请把工作区移到路径较短的文件夹（如 D:\\督办）后重新运行。")


#: The longest path SQLite opens: its Unix VFS takes 512 bytes (less the "-wal" it adds);
#: Windows without long paths 260 characters. Longer, it says only "unable to open database
#: file", which is otherwise a folder without write permission.
_SQLITE_MAX_PATH_BYTES = 500


def _longer_than_sqlite_takes(where: Path | None) -> bool:
    if where is None:
        return False
    if os.name == "nt":
        return len(os.path.abspath(where)) >= 260
    return len(os.fsencode(os.path.abspath(where))) > _SQLITE_MAX_PATH_BYTES


def _nearly_full(where: Path | None) -> bool:
    """SQLite reports a full disk as "disk I/O error" when the journal cannot grow."""
    import shutil
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
            return True  # a file-size limit (ulimit -f) fails writes as a full disk does
    folder = where
    while folder is not None and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return folder is not None and shutil.disk_usage(folder).free < 4 * 1024 * 1024
    except OSError:
        return False


def _lock_owner_files(path: Path) -> bool:
    name = path.name
    return any(p.exists() for p in (path.with_name("~$" + name), path.with_name(".~lock." + name + "#"),
                                    path.with_name("~$" + name[2:])))


def _show(where: Path | None) -> str:
    return str(where) if where is not None else "工作区"


class ReadFailure(Exception):
    """Internal: the file cannot be read as a return. Carries the Issue code to record."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params
