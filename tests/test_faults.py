"""Faults as an office meets them: a full disk, read-only folders, Ctrl-C, SIGTERM, a PDF
open in a reader. Each ends in one Chinese line with exit 0, 1, 2 or 130, leaves the
ledger sound, the inbox accounted for, earlier outputs intact and no process running,
and a re-run finishes the work exactly once, owed feedback included.

The commands run in subprocesses (`tests/faults.py`): "unprivileged" is root without any
capability, to which file permissions apply as to any user; a full disk is a small tmpfs
(or RLIMIT_FSIZE where mounting is not allowed). The sweeps are marked slow.
"""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from conftest import drop, on_time
from faults import (
    assert_sound,
    can_drop_privileges,
    children,
    duban,
    fill,
    inbox_files,
    outputs,
    processes_in,
    small_disk,
    start,
    state,
    tmpfs_works,
    wait_for_children,
    wait_no_processes_in,
)

from toolkit import errors, files, parallel
from toolkit.filling import Answer, Filling, fill_return
from toolkit.workspace import RunLock, find_workspace

pytestmark = pytest.mark.skipif(os.name == "nt", reason="signals, tmpfs and capabilities are POSIX")
needs_unprivileged = pytest.mark.skipif(not can_drop_privileges(), reason="needs root and setpriv")
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
UNITS = 20  # blank returns in the inbox: each is returned with feedback (more than the pool's 16)


# ---------------------------------------------------------------------------
# fixtures: a month's inbox, and what a clean collect makes of it


@pytest.fixture(scope="module")
def month(_session_issued, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults") / "month"
    shutil.copytree(_session_issued, root)
    ws = find_workspace(root)
    issued = sorted((root / "下发" / "2022年6月").glob("*.xlsx"))
    for path in issued[:UNITS]:
        # saved again with nothing filled in: refused (E501), as a form sent back untouched is; the
        # issued file's own bytes are the office's form, no return at all (QA373)
        drop(ws, path.name, fill_return(path, Filling(default=None)), on_time())
    filled = fill_return(issued[UNITS], Filling(answers={"1.2": DONE, "2.1": DONE, "1.1": DONE}))
    drop(ws, "子目录/已填.xlsx", filled, on_time())
    return root


@pytest.fixture(scope="module")
def reference(month, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("faults") / "reference"
    shutil.copytree(month, root)
    done = duban(root, "collect")
    assert done.returncode == 1, done.stderr  # blank returns are returned
    return state(root)


def fresh(month: Path, where: Path) -> Path:
    shutil.copytree(month, where, symlinks=True)
    return where


def assert_finished_like(root: Path, reference: dict) -> None:
    assert state(root) == reference


def rerun_until_done(root: Path, reference: dict, **kwargs) -> None:
    """A re-run completes; once more changes nothing (exactly once)."""
    again = duban(root, "collect", **kwargs)
    assert again.returncode in (0, 1), again.stderr
    assert "Traceback" not in again.stderr
    assert_finished_like(root, reference)
    once_more = duban(root, "collect", **kwargs)
    assert once_more.returncode == 0, once_more.stderr
    assert_finished_like(root, reference)


# ---------------------------------------------------------------------------
# operating-system failures: one line naming the file and what to do


@pytest.mark.parametrize(("exc", "cls", "words"), [
    (OSError(errno.ENOSPC, "No space left on device", "/w/汇总/a.xlsx"), errors.DiskFull, "磁盘已满"),
    (OSError(errno.EFBIG, "File too large", "/w/汇总/a.xlsx"), errors.DiskFull, "磁盘已满"),
    # no word of what was refused: EACCES is the same for a read and a write (QA280)
    (PermissionError(errno.EACCES, "Permission denied", "/w/汇总"), errors.NoPermission, "没有访问权限"),
    (OSError(errno.EROFS, "Read-only file system", "/w/汇总"), errors.NoPermission, "没有写入权限"),
    (OSError(errno.ENAMETOOLONG, "File name too long", "/w/x"), errors.PathTooLong, "路径过长"),
    (OSError(errno.EBUSY, "Device or resource busy", "/w/x"), errors.FileInUse, "被其他程序占用"),
    (FileExistsError(errno.EEXIST, "File exists", "/w/汇总"), errors.SystemFault, "同名的文件或文件夹已经存在"),
    (NotADirectoryError(errno.ENOTDIR, "Not a directory", "/w/a/b"), errors.SystemFault, "是文件，不是文件夹"),
    (OSError(errno.EIO, "Input/output error", "/w/x"), errors.SystemFault, "磁盘读写出错"),
    (OSError(errno.ECHILD, "No child processes", "/w/x"), errors.SystemFault, "操作系统拒绝了这次操作（ECHILD）"),
    (sqlite3.OperationalError("database or disk is full"), errors.DiskFull, "磁盘已满"),
    (sqlite3.OperationalError("attempt to write a readonly database"), errors.NoPermission, "没有写入权限"),
    (sqlite3.DatabaseError("file is not a database"), errors.SystemFault, "已损坏"),
    (sqlite3.DatabaseError("database disk image is malformed"), errors.SystemFault, "已损坏"),
])
def test_os_failures_become_one_chinese_line(exc, cls, words):
    fault = errors.os_fault(exc)
    assert isinstance(fault, cls) and fault.exit_code == 2
    assert words in fault.message and "\n" not in fault.message
    assert not getattr(exc, "strerror", None) or exc.strerror not in fault.message  # English stays out
    wrapped = RuntimeError("wrapped")
    wrapped.__cause__ = exc
    assert isinstance(errors.os_fault(wrapped), cls)
    assert errors.os_fault(ValueError("a bug")) is None



@pytest.mark.parametrize(("op", "words"), [
    ("write", "没有写入权限：“/w/汇总”。请检查该文件或文件夹是否只读、是否有修改权限，改正后重新运行。"),
    ("read", "没有读取权限：“/w/汇总”。请检查是否有打开该文件或文件夹的权限（网络共享盘还要看共享权限），"
             "或它是否正被其他用户独占打开，改正后重新运行。"),
    (None, "没有访问权限：“/w/汇总”。请检查是否有读取和修改该文件或文件夹的权限（网络共享盘还要看共享权限），"
           "或它是否正被其他用户或程序占用，改正后重新运行。"),
])
def test_no_permission_says_the_read_or_the_write_refused(op, words):
    """"没有写入权限…是否只读" of a file nobody may read sent the office to the folder's
    read-only flag, not to the share's rights or the colleague holding the file (QA280)."""
    for code in (errno.EACCES, errno.EPERM):
        fault = errors.os_fault(PermissionError(code, "Permission denied", "/w/汇总"), op=op)
        assert isinstance(fault, errors.NoPermission) and fault.message == words
    # a read-only file system refuses writes alone
    assert errors.os_fault(OSError(errno.EROFS, "Read-only file system", "/w/汇总"), op=op).message.startswith(
        "没有写入权限：")


def test_no_permission_unknown_op_goes_by_the_paths_mode(tmp_path, monkeypatch):
    """The CLI's last catch does not know what was refused: a path the user may read but not
    write was refused a write, and the other way round."""
    path = tmp_path / "汇总.xlsx"
    path.write_bytes(b"PK")
    exc = PermissionError(errno.EACCES, "Permission denied", str(path))
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: mode != os.W_OK)
    assert errors.os_fault(exc).message.startswith("没有写入权限：")
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: mode != os.R_OK)
    assert errors.os_fault(exc).message.startswith("没有读取权限：")
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: True)  # an ACL, a share, root
    assert errors.os_fault(exc).message.startswith("没有访问权限：")


def test_the_reason_in_a_skipped_files_line_is_chinese():
    """收件箱 lines ("无法读取（…）", "文件夹无法读取（…）") say why in Chinese, not in errno's English."""
    assert errors.os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert errors.os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或文件夹不存在"
    assert errors.os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘已满"
    assert errors.os_reason(OSError("no errno at all")) == "操作系统拒绝了这次操作（OSError）"

def test_temporary_files_live_in_duban_tmp_and_dead_runs_leftovers_go(issued_ws, monkeypatch):
    seen = []
    target = issued_ws.root / "汇总" / "2022年6月" / "x.xlsx"
    files.atomic_write(target, lambda tmp: seen.append(tmp) or tmp.write_bytes(b"data"))
    assert seen[0].parent == issued_ws.root / ".duban" / "tmp" and not seen[0].exists()
    assert target.read_bytes() == b"data" and sorted(p.name for p in target.parent.iterdir()) == ["x.xlsx"]
    tmp = issued_ws.root / ".duban" / "tmp"
    dead = tmp / "999999999-abc.xlsx"
    dead.write_bytes(b"half")
    (tmp / "999999999-lo-x").mkdir()
    live = tmp / f"{os.getpid()}-mine.xlsx"
    live.write_bytes(b"being written")
    old = issued_ws.root / "汇总" / "2022年6月" / "tmpab12cd_e.xlsx"  # left by older versions
    old.write_bytes(b"half")
    with issued_ws.lock():
        pass
    assert sorted(p.name for p in tmp.iterdir()) == [live.name]
    assert not old.exists()


def test_open_never_opens_a_temporary_file(issued_ws):
    from toolkit.actions.open import find_output

    folder = issued_ws.root / "汇总" / "2022年6月"
    folder.mkdir(parents=True, exist_ok=True)
    real = folder / "2022年6月_进展汇总表.xlsx"
    real.write_bytes(b"x")
    os.utime(real, (1, 1))
    for name in ("tmpk2j4h5_x.xlsx", ".~duban-1234.xlsx", "~$2022年6月_进展汇总表.xlsx"):
        (folder / name).write_bytes(b"half")
    assert find_output(issued_ws, "汇总") == real


def test_atomic_write_to_a_read_only_folder_names_the_folder(issued_ws, monkeypatch):
    target = issued_ws.root / "汇总" / "2022年6月" / "x.xlsx"
    target.parent.mkdir(parents=True)

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(errors.NoPermission) as caught:
        files.atomic_write(target, lambda tmp: tmp.write_bytes(b"x"))
    assert str(target.parent) in caught.value.message and ".duban" not in caught.value.message
    assert not list((issued_ws.root / ".duban" / "tmp").iterdir())


# ---------------------------------------------------------------------------
# the worker pool and the lock


def _square(x: int) -> int:
    if x == 7:
        raise OSError(errno.ENOSPC, "No space left on device", "/x")
    return x * x


def test_parallel_results_in_order_and_errors_raised_in_the_parent():
    assert parallel.run(_square, range(7), 2) == [x * x for x in range(7)]
    with pytest.raises(OSError):
        parallel.run(_square, range(20), 2)
    assert not children(os.getpid())


def _beside(x: str) -> int:
    if x == "fail":
        raise errors.OutputLocked("“通报.docx”正被 Excel/WPS 打开，请先关闭该文件再运行。")
    if x == "sleep":
        time.sleep(60)
    return os.getpid()


def test_a_background_job_runs_in_another_process_and_raises_in_the_caller():
    assert parallel.Background(_beside, "ok").result() != os.getpid()
    with pytest.raises(errors.OutputLocked, match=r"通报\.docx"):
        parallel.Background(_beside, "fail").result()
    assert not children(os.getpid())


def test_a_background_job_is_killed_when_the_caller_fails():
    started = time.monotonic()
    with pytest.raises(ZeroDivisionError), parallel.Background(_beside, "sleep"):
        1 / 0  # noqa: B018 - the caller's own failure
    assert not children(os.getpid()) and time.monotonic() - started < 10


def test_a_background_job_runs_in_the_caller_where_nothing_forks(monkeypatch):
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert parallel.Background(_beside, "ok").result() == os.getpid()


def test_a_background_job_runs_in_the_caller_when_no_process_can_be_had(monkeypatch):
    def no_fork(*args, **kwargs):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel, "Pool", no_fork)
    assert parallel.Background(_beside, "ok").result() == os.getpid()


def _dies(_: object) -> None:
    os._exit(9)  # as a worker killed for memory would end


def test_a_background_worker_that_dies_is_reported_as_lost():
    with pytest.raises(parallel.WorkerLost):
        parallel.Background(_dies, None).result()
    assert not children(os.getpid())


def test_run_fills_the_memo_itself_when_its_worker_dies(month, tmp_path, monkeypatch):
    from toolkit.actions import run as run_action

    parent, real = os.getpid(), run_action._memo_job

    def killed_in_the_worker(job):
        if os.getpid() != parent:
            os._exit(9)
        return real(job)

    monkeypatch.setattr(run_action, "_memo_job", killed_in_the_worker)
    result = run_action.run_cycle(find_workspace(fresh(month, tmp_path / "ws")))
    assert result.memo is not None and result.memo.path.exists() and not result.memo_error
    assert not children(os.getpid())


def test_run_whose_workbook_is_locked_stops_its_memo_worker(month, tmp_path):
    """run fills the memo in a second process while it writes the workbook: a workbook open
    in Excel stops the run with the usual message, and no worker is left behind."""
    from toolkit.actions.run import run_cycle

    root = fresh(month, tmp_path / "ws")
    ws = find_workspace(root)
    book = root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"
    book.parent.mkdir(parents=True, exist_ok=True)
    book.with_name("~$" + book.name).write_bytes(b"x")
    with pytest.raises(errors.OutputLocked, match="正被 Excel/WPS 打开"):
        run_cycle(ws)
    assert not children(os.getpid())
    book.with_name("~$" + book.name).unlink()
    result = run_cycle(ws)
    assert result.merged.path == book and result.memo is not None and result.memo.path.exists()
    assert not children(os.getpid())


def test_a_lock_whose_owner_died_is_stale_even_if_an_orphan_holds_it(issued_ws):
    holder = subprocess.run(
        ["python3", "-c", (
            "import os, subprocess, sys\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "from toolkit.workspace import RunLock\n"
            "from pathlib import Path\n"
            "lock = RunLock(Path(sys.argv[2])).__enter__()\n"
            # a child that inherited the lock (as forked workers did) and outlives us
            "p = subprocess.Popen(['sleep', '60'], pass_fds=(lock.fd,), start_new_session=True,\n"
            "                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(p.pid)\n"
            "os._exit(0)\n"), str(Path(__file__).resolve().parent.parent), str(issued_ws.state_dir / "run.lock")],
        capture_output=True, text=True, timeout=30)
    orphan = int(holder.stdout.strip())
    try:
        assert files.pid_alive(orphan)
        with issued_ws.lock() as lock:
            assert "进程" in lock.previous
        time.sleep(0.2)
        assert not files.pid_alive(orphan) or Path(f"/proc/{orphan}/stat").read_text().split()[2] == "Z"
    finally:
        if files.pid_alive(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_a_live_lock_still_refuses(issued_ws):
    with issued_ws.lock(), pytest.raises(errors.WorkspaceBusy):
        RunLock(issued_ws.state_dir / "run.lock").__enter__()


# ---------------------------------------------------------------------------
# interrupts


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupt_during_the_worker_pool(month, reference, tmp_path, how):
    """Ctrl-C reaches the whole process group (a terminal); SIGTERM only the main process
    (closing the console window, a task manager). Either way: prompt 130, one line,
    no worker left, the lock free, and a re-run finishes exactly once."""
    root = fresh(month, tmp_path / "ws")
    before_inbox, before_outputs = inbox_files(root), outputs(root)
    proc = start(root, "collect", slow=0.3)
    assert wait_for_children(proc.pid, 2), "the worker pool never started"
    workers = children(proc.pid)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGTERM)
    started = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 10, "did not stop promptly"
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    assert proc.returncode == 130, err
    assert err.startswith("已取消：已登记 ") and "未处理 " in err
    assert_sound(root, result, before_inbox, before_outputs)
    assert not [p for p in workers if files.pid_alive(p)]
    rerun_until_done(root, reference)


@pytest.mark.slow  # 3–5 s: the quick loop keeps the shorter fault tests
def test_interrupt_after_everything_was_registered_says_so(month, reference, tmp_path):
    root = fresh(month, tmp_path / "ws")
    proc = start(root, "collect", slow=0.3)
    # wait for the feedback pool: every file registered by then
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((root / "归档").rglob("*.xlsx")):
        time.sleep(0.05)
    assert wait_for_children(proc.pid, 2)
    db = root / ".duban" / "ledger.sqlite3"
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as con:
            if con.execute("SELECT COUNT(*) FROM receipts").fetchone()[0] and children(proc.pid):
                break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.strip().startswith(f"已取消：已登记 {UNITS + 1} 个，未处理 0 个"), err
    rerun_until_done(root, reference)


# ---------------------------------------------------------------------------
# permissions (as an unprivileged user)


def _read_only(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        mode = p.stat().st_mode
        p.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _writable(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


@needs_unprivileged
@pytest.mark.slow  # 3–5 s: the quick loop keeps the shorter fault tests
def test_read_only_feedback_folder_owes_the_feedback_until_written(month, reference, tmp_path):
    root = fresh(month, tmp_path / "ws")
    folder = root / "反馈" / "2022年6月"
    folder.mkdir(parents=True)
    _read_only(root / "反馈")
    before_inbox = inbox_files(root)
    first = duban(root, "collect", unprivileged=True)
    assert_sound(root, first, before_inbox, {})
    assert first.returncode == 1
    owed = len(reference["feedback"]) // 2
    assert f"反馈表未能写出 {owed} 份" in first.stderr and "没有写入权限" in first.stderr, first.stderr
    assert str(folder) in first.stderr and "下次运行 duban collect（或双击“2-收取并汇总”）时补写" in first.stderr
    still = duban(root, "collect", unprivileged=True)  # still read-only: still owed, still said
    assert still.returncode == 1 and f"反馈表未能写出 {owed} 份" in still.stderr
    _writable(root / "反馈")
    written = duban(root, "collect", unprivileged=True)
    assert written.returncode == 0, written.stderr
    assert f"补写了上次未写出的 {owed} 个单位的反馈表及邮件草稿：" in written.stdout  # units, not files (QA368)
    assert_finished_like(root, reference)


@needs_unprivileged
@pytest.mark.parametrize("damage", ["overwritten", "truncated"])
def test_a_damaged_ledger_is_one_chinese_line_not_an_internal_error(month, reference, tmp_path, damage):
    """A ledger overwritten by another file, or cut short by an interrupted copy or sync:
    SQLite's English reaches nobody, and the line says the received files are safe."""
    root = fresh(month, tmp_path / "ws")
    assert duban(root, "collect").returncode == 1
    ledger = root / ".duban" / "ledger.sqlite3"
    if damage == "overwritten":
        ledger.write_bytes(b"PK\x03\x04 not a database " * 400)
    else:
        ledger.write_bytes(ledger.read_bytes()[:8192])
    for command in ("status", "collect", "merge"):
        done = duban(root, command)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "收件台账" in done.stderr and "已损坏" in done.stderr and "归档" in done.stderr, done.stderr
        assert "内部错误" not in done.stderr and "database" not in done.stderr, done.stderr


@pytest.mark.parametrize("loss", ["deleted", "emptied"])
def test_a_lost_ledger_beside_an_archive_is_refused_not_read_as_nothing_received(month, tmp_path, loss):
    """A workspace copied without .duban, or a ledger emptied: every unit would be 未报送 in
    status and the 通报. Refused with what to do, exit 2, before anything is read or written."""
    root = fresh(month, tmp_path / "ws")
    assert duban(root, "collect").returncode == 1
    ledger = root / ".duban" / "ledger.sqlite3"
    if loss == "deleted":
        shutil.rmtree(root / ".duban")
    else:
        ledger.write_bytes(b"")
    for command in ("status", "collect", "merge", "memo"):
        done = duban(root, command)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "收件台账“.duban/ledger.sqlite3”不见了或是空的，但“归档”中已有收到的文件" in done.stderr, done.stderr
    assert not ledger.exists() or ledger.stat().st_size == 0  # nothing recreated behind the refusal


def test_read_only_inbox_names_the_files_and_never_claims_them_removed(month, reference, tmp_path):
    root = fresh(month, tmp_path / "ws")
    _read_only(root / "收件箱")
    before_inbox = inbox_files(root)
    first = duban(root, "collect", unprivileged=True)
    assert_sound(root, first, before_inbox, {})
    assert first.returncode == 1
    assert f"收件箱中 {UNITS + 1} 个文件已登记、已归档，但未能移出收件箱" in first.stderr, first.stderr
    assert "子目录/已填.xlsx（没有删除权限）" in first.stderr
    again = duban(root, "collect", unprivileged=True)
    assert again.returncode == 1 and "已移出收件箱" not in again.stdout, again.stdout
    assert "未能移出收件箱" in again.stderr
    _writable(root / "收件箱")
    cleared = duban(root, "collect", unprivileged=True)
    assert cleared.returncode == 0, cleared.stderr
    assert f"上次中断时已登记的 {UNITS + 1} 个文件已移出收件箱" in cleared.stdout
    assert_finished_like(root, reference)


@needs_unprivileged
@pytest.mark.slow  # 3–5 s: the quick loop keeps the shorter fault tests
def test_read_only_output_folder_and_workspace(month, tmp_path):
    root = fresh(month, tmp_path / "ws")
    assert duban(root, "collect").returncode == 1
    assert duban(root, "merge").returncode == 0
    merged = root / "汇总" / "2022年6月"
    before = outputs(root)
    _read_only(merged)
    refused = duban(root, "merge", unprivileged=True)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr == f"错误：没有写入权限：“{merged}”。请检查该文件或文件夹是否只读、是否有修改权限，改正后重新运行。\n"
    assert outputs(root) == before
    # the whole workspace read-only: reading commands still work
    _read_only(root)
    try:
        status = duban(root, "status", unprivileged=True)
        assert status.returncode == 0 and "报送情况" in status.stdout, status.stderr
        again = duban(root, "merge", unprivileged=True)
        assert again.returncode == 2 and again.stderr.startswith("错误：没有写入权限："), again.stderr
        memo = duban(root, "memo", unprivileged=True)
        assert memo.returncode == 2 and memo.stderr.startswith("错误：没有写入权限："), memo.stderr
    finally:
        _writable(root)


# ---------------------------------------------------------------------------
# a full disk


@pytest.fixture
def disk(tmp_path):
    where = tmp_path / "disk"
    if not tmpfs_works(tmp_path / "probe"):
        pytest.skip("cannot mount a tmpfs here (the RLIMIT_FSIZE test covers a full disk)")
    with small_disk(where, 40) as mounted:
        yield mounted


def _full_disk_then_rerun(month, reference, disk, leave: int, command: str = "collect") -> str:
    root = fresh(month, disk / "ws")
    before_inbox, before_outputs = inbox_files(root), outputs(root)
    filler = fill(disk, leave)
    result = duban(root, command)
    filler.unlink()  # before looking: our own SQLite needs room to open a WAL ledger
    assert_sound(root, result, before_inbox, before_outputs)
    if result.returncode == 2:
        assert "磁盘已满" in result.stderr, result.stderr
    rerun_until_done(root, reference)
    return result.stderr


def test_disk_full_during_collect(month, reference, disk):
    said = _full_disk_then_rerun(month, reference, disk, 600_000)
    assert "磁盘已满" in said


def test_file_size_limit_during_collect(month, reference, tmp_path):
    """Where no tmpfs can be mounted: RLIMIT_FSIZE makes every larger write fail (EFBIG)."""
    root = fresh(month, tmp_path / "ws")
    before_inbox = inbox_files(root)
    result = duban(root, "collect", fsize=20_000)
    assert_sound(root, result, before_inbox, {})
    assert result.returncode in (1, 2) and "磁盘已满" in result.stderr, result.stderr
    rerun_until_done(root, reference)


@pytest.mark.slow
@pytest.mark.parametrize("leave", [0, 20_000, 100_000, 300_000, 1_000_000, 2_000_000, 4_000_000])
def test_disk_full_sweep_over_collect(month, reference, disk, leave):
    _full_disk_then_rerun(month, reference, disk, leave)


@pytest.mark.slow
@pytest.mark.parametrize("fsize", [4_096, 30_000, 60_000, 200_000, 1_000_000])
def test_file_size_limit_sweep_over_collect_and_merge(month, reference, tmp_path, fsize):
    root = fresh(month, tmp_path / "ws")
    before_inbox = inbox_files(root)
    result = duban(root, "collect", fsize=fsize)
    assert_sound(root, result, before_inbox, {})
    rerun_until_done(root, reference)
    before = outputs(root)
    merged = duban(root, "merge", fsize=fsize)
    assert_sound(root, merged, inbox_files(root), before)


@pytest.mark.slow
def test_reading_commands_on_a_full_disk(month, disk):
    root = fresh(month, disk / "ws")
    assert duban(root, "collect").returncode == 1
    fill(disk, 0)
    for args in (("status",), ("status", "--all"), ("check", str(next((root / "归档").rglob("*.xlsx"))))):
        result = duban(root, *args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
    merged = duban(root, "merge")
    assert merged.returncode == 2 and "磁盘已满" in merged.stderr, merged.stderr


# ---------------------------------------------------------------------------
# the memo's PDF


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_open_in_a_reader_is_reported_not_replaced(month, tmp_path, monkeypatch):
    from toolkit.actions import memo as memo_action
    from toolkit.office import soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    root = fresh(month, tmp_path / "ws")
    assert duban(root, "collect").returncode == 1
    ws = find_workspace(root)
    first = memo_action.write_memo(ws, pdf=True)
    assert first.pdf is not None and first.pdf.exists()
    before = first.pdf.read_bytes()
    real = memo_action.replace

    def locked(src, dst):  # what Windows does to a PDF open in a reader
        if Path(dst).suffix == ".pdf":
            raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))
        return real(src, dst)

    monkeypatch.setattr(memo_action, "replace", locked)
    again = memo_action.write_memo(ws, pdf=True)
    assert again.pdf is None and again.pdf_error == f"通报 PDF 正被其他程序打开，未更新：{first.pdf}"
    assert first.pdf.read_bytes() == before
    monkeypatch.undo()
    owner = first.pdf.with_name(".~lock." + first.pdf.name + "#")  # open in LibreOffice Draw
    owner.write_text("x")
    cli = duban(root, "memo", "--pdf")
    assert cli.returncode == 1 and f"通报 PDF 正被其他程序打开，未更新：{first.pdf}" in cli.stderr, cli.stderr
    assert first.pdf.read_bytes() == before


# ---------------------------------------------------------------------------
# sweeps: a signal at a random moment


def _signal_sweep(month, reference, tmp_path, args: tuple[str, ...], sig: int, seed: int, group: bool,
                  before_run=None) -> None:
    rng = random.Random(seed)
    root = fresh(month, tmp_path / f"ws{seed}")
    if before_run:
        before_run(root)
    before_inbox, before_outputs = inbox_files(root), outputs(root)
    proc = start(root, *args)
    time.sleep(rng.uniform(0.2, 6.0))
    try:
        if group:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
    except ProcessLookupError:
        pass
    out, err = proc.communicate(timeout=60)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    assert_sound(root, result, before_inbox, before_outputs)
    assert not wait_no_processes_in(root)
    if args[0] in ("collect", "run"):
        rerun_until_done(root, reference)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(("sig", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_signal_sweep_over_collect(month, reference, tmp_path, sig, group, seed):
    _signal_sweep(month, reference, tmp_path, ("collect",), sig, seed, group)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("sig", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_signal_sweep_over_merge(month, reference, tmp_path, sig, group, seed):
    def collected(root: Path) -> None:
        assert duban(root, "collect").returncode == 1
        assert duban(root, "merge").returncode == 0

    _signal_sweep(month, reference, tmp_path, ("merge",), sig, seed, group, before_run=collected)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("sig", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_signal_sweep_over_run_pdf(month, reference, tmp_path, sig, group, seed):
    from toolkit.office import soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    _signal_sweep(month, reference, tmp_path, ("run", "--pdf"), sig, seed, group)


# ---------------------------------------------------------------------------
# the ledger's owed work


def test_a_ledger_before_owed_work_is_upgraded(tmp_path):
    from toolkit.ledger import LATEST, MIGRATIONS, Ledger, schema_version

    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as conn:
        for number, _purpose, sql in MIGRATIONS[:3]:
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("INSERT INTO receipts(sha256, name, received_at, collected_at, outcome)"
                     " VALUES ('x', 'a.xlsx', '2022-07-01', '2022-07-01', '退回')")
    conn.close()
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 4
        ledger.owe("feedback", 1, "磁盘已满")
        ledger.owe("feedback", 1, "没有写入权限")  # one open entry per receipt
        assert ledger.owed("feedback") == [(1, "没有写入权限")]
        ledger.settle("feedback", 1)
        assert ledger.owed("feedback") == []
    assert (tmp_path / "ledger.sqlite3.v3.bak").exists()


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize(("sig", "group"), [(signal.SIGINT, True), (signal.SIGTERM, False)])
def test_interrupted_pdf_conversion_ends_libreoffice(month, reference, tmp_path, sig, group):
    from toolkit.office import soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    root = fresh(month, tmp_path / "ws")
    proc = start(root, "run", "--pdf")
    deadline = time.monotonic() + 120
    seen = False
    while time.monotonic() < deadline and not seen and proc.poll() is None:
        seen = any("soffice" in p for p in processes_in(root))
    assert seen, "LibreOffice never started"
    os.killpg(proc.pid, sig) if group else os.kill(proc.pid, sig)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.strip().startswith("已取消：已登记 "), err
    assert "Directory not empty" not in err and "Traceback" not in err
    assert not wait_no_processes_in(root), "LibreOffice still running"
    again = duban(root, "run", "--pdf")
    assert again.returncode in (0, 1) and "PDF：" in again.stdout, again.stderr
    assert not list((root / ".duban" / "tmp").iterdir())


def test_a_write_protected_ledger_is_read_with_the_commits_in_its_wal(tmp_path, monkeypatch):
    """A collect stopped before its checkpoint leaves commits in ledger.sqlite3-wal; a folder
    SQLite cannot open read-only in place was read as the file alone (immutable), without
    them: status said 未报送 of a unit whose return the ledger holds (QA152's note)."""
    import shutil
    import sqlite3

    from toolkit.ledger import connect

    live = tmp_path / "live" / "ledger.sqlite3"
    live.parent.mkdir()
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE receipts(unit TEXT)")
    writer.execute("INSERT INTO receipts VALUES ('石龙镇')")  # committed, only in the WAL
    shut = tmp_path / "shut"
    shut.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{live}{suffix}", shut / f"ledger.sqlite3{suffix}")
    writer.close()
    real = sqlite3.connect

    def no_read_only_here(target, *args, **kwargs):
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("unable to open database file")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(connect.sqlite3, "connect", no_read_only_here)
    conn = connect.open_readonly(shut / "ledger.sqlite3")
    assert conn.execute("SELECT unit FROM receipts").fetchall() == [("石龙镇",)]
    assert sorted(p.name for p in shut.iterdir()) == ["ledger.sqlite3", "ledger.sqlite3-wal"]  # untouched


def test_a_ledger_another_program_locks_is_not_read_around_its_lock(tmp_path, monkeypatch):
    import sqlite3

    import pytest

    from toolkit.ledger import connect

    (tmp_path / "ledger.sqlite3").write_bytes(b"")

    def locked(target, *args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(connect.sqlite3, "connect", locked)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        connect.open_readonly(tmp_path / "ledger.sqlite3")
