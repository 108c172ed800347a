"""Helpers for tests/test_faults.py: duban run in a subprocess as an office would meet it.

- `duban(...)` runs the real CLI (``main()``, so the signal handlers are installed) in a
  subprocess of its own session, optionally slowed down so that a signal lands while the
  worker processes run, optionally without any capability (root that respects file
  permissions: an unprivileged user) and with a file-size limit (RLIMIT_FSIZE).
- `small_disk` mounts a tmpfs of a given size (we are root in CI), `fill` leaves exactly
  so many bytes free on it.
- `assert_sound` checks what every fault must leave: an allowed exit code, no traceback,
  a ledger that passes integrity_check, every inbox file still there or archived, previous
  outputs intact, no worker or LibreOffice left running, nothing temporary beside outputs.
- `state` is what a finished run must produce, to compare a re-run with a clean run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The CLI, optionally slowed: DUBAN_TEST_SLOW seconds per checked return and per feedback,
# with the worker pool from 2 returns on, so that a signal can land mid-pool.
HARNESS = r"""
import os, sys, time
slow = float(os.environ.get("DUBAN_TEST_SLOW") or 0)
if slow:
    import toolkit.actions.collect as c
    import toolkit.replies as r  # where collect's replies are written (since e0a487b)
    c.PARALLEL_FROM = 2
    check, feedback = c.check_return, r.write_feedback
    def slow_check(*a, **k):
        time.sleep(slow)
        return check(*a, **k)
    def slow_feedback(*a, **k):
        time.sleep(slow)
        return feedback(*a, **k)
    c.check_return, r.write_feedback = slow_check, slow_feedback
from toolkit.cli import main
sys.argv = ["duban", *sys.argv[1:]]
main()
"""

ALLOWED_EXITS = {0, 1, 2, 130}


def can_drop_privileges() -> bool:
    return shutil.which("setpriv") is not None and os.name == "posix" and os.geteuid() == 0


def _command(args: tuple[str, ...], unprivileged: bool) -> list[str]:
    cmd = [sys.executable, "-c", HARNESS, *args]
    if unprivileged:
        # root without any capability: file permissions apply to it as to any user
        cmd = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", *cmd]
    return cmd


def _env(slow: float) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("DUBAN_TEST_KILL", None)
    env["DUBAN_TEST_SLOW"] = str(slow) if slow else ""
    env.setdefault("LANG", "C.UTF-8")
    return env


def _limits(fsize: int | None):
    def apply() -> None:
        # As a terminal starts its foreground command: Ctrl-C at its default. A test run
        # started in the background (`nohup .ci/run &`) hands every child SIGINT ignored,
        # Python then never raises KeyboardInterrupt, and the Ctrl-C tests would see the run
        # finish instead (exit 1).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return apply


def start(root: Path, *args: str, slow: float = 0, unprivileged: bool = False,
          fsize: int | None = None) -> subprocess.Popen:
    return subprocess.Popen(_command(args, unprivileged), cwd=root, env=_env(slow), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=_limits(fsize))


def duban(root: Path, *args: str, slow: float = 0, unprivileged: bool = False, fsize: int | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess:
    proc = start(root, *args, slow=slow, unprivileged=unprivileged, fsize=fsize)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"duban {' '.join(args)} hung for {timeout} s: {err}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def wait_for_children(pid: int, n: int, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(children(pid)) >= n:
            return True
        time.sleep(0.02)
    return False


def processes_in(root: Path) -> list[str]:
    """Processes still working in ``root`` (cwd or command line inside it): leftovers."""
    where = str(root.resolve())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z" and (cwd.startswith(where) or where in cmdline):
                found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def wait_no_processes_in(root: Path, timeout: float = 10) -> list[str]:
    deadline = time.monotonic() + timeout
    left = processes_in(root)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = processes_in(root)
    return left


# ---------------------------------------------------------------------------
# small disks


@contextlib.contextmanager
def small_disk(where: Path, size_mb: int):
    """A tmpfs of ``size_mb`` mounted at ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0777", "tmpfs", str(where)],
                   check=True, capture_output=True)
    try:
        yield where
    finally:
        for _ in range(50):
            if subprocess.run(["umount", str(where)], capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        else:
            # Still busy after 5 s (a killed child's file not yet closed): detach it lazily, or
            # the mount outlives the test and pytest warns it cannot remove tmp_path.
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def tmpfs_works(where: Path) -> bool:
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    try:
        with small_disk(where, 1):
            return True
    except (subprocess.CalledProcessError, OSError):
        return False


def fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` so that only about ``leave`` bytes stay free; returns the filler file."""
    filler = disk / "filler.bin"
    free = shutil.disk_usage(disk).free + (filler.stat().st_size if filler.exists() else 0)
    size = max(free - leave, 0)
    with open(filler, "wb") as f:
        chunk = b"\0" * (1 << 20)
        while size > 0:
            n = min(size, len(chunk))
            try:
                f.write(chunk[:n])
                f.flush()
            except OSError:
                break
            size -= n
    return filler


# ---------------------------------------------------------------------------
# what must hold after any fault


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inbox_files(root: Path) -> dict[str, str]:
    inbox = root / "收件箱"
    return {p.relative_to(inbox).as_posix(): sha(p) for p in inbox.rglob("*") if p.is_file()}


def archived(root: Path) -> set[str]:
    return {sha(p) for p in (root / "归档").rglob("*") if p.is_file()}


def outputs(root: Path) -> dict[str, bytes]:
    """Every file in the output folders, by relative path."""
    out = {}
    for stage in ("汇总", "通报", "反馈"):
        for p in (root / stage).rglob("*"):
            if p.is_file():
                out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def assert_sound(root: Path, proc: subprocess.CompletedProcess, before_inbox: dict[str, str],
                 before_outputs: dict[str, bytes]) -> None:
    """What every fault must leave behind (see the module doc)."""
    assert proc.returncode in ALLOWED_EXITS, (proc.returncode, proc.stdout, proc.stderr)
    for noise in ("Traceback", "内部错误", "Exception ignored", "Error in atexit"):
        assert noise not in proc.stderr, proc.stderr
    if proc.returncode == 130:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("已取消"), proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.strip().startswith("错误："), proc.stderr
    db = root / ".duban" / "ledger.sqlite3"
    if db.exists():
        con = sqlite3.connect(db)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
    # nothing lost from the inbox without being archived
    now_inbox, kept = inbox_files(root), archived(root)
    for rel, digest in before_inbox.items():
        assert now_inbox.get(rel) == digest or digest in kept, f"lost from the inbox: {rel}"
    # previous outputs intact: unchanged, or replaced by a complete file
    for rel, data in before_outputs.items():
        path = root / rel
        if path.suffix in (".xlsx", ".docx") and path.exists() and path.read_bytes() != data:
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None, rel
        elif rel.startswith(("汇总", "通报")):
            assert path.exists(), f"previous output gone: {rel}"
    # nothing temporary beside outputs
    for stage in ("汇总", "通报", "反馈", "归档", "下发"):
        debris = [p for p in (root / stage).rglob("*") if p.name.startswith((".~duban-", "tmp"))]
        assert not debris, debris
    left = wait_no_processes_in(root)
    assert not left, f"still running after duban ended: {left}"


def state(root: Path) -> dict:
    """What a finished collect leaves, independent of ids and run times."""
    con = sqlite3.connect(root / ".duban" / "ledger.sqlite3")
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM receipts ORDER BY id").fetchall()
        by_id = {r["id"]: r for r in rows}

        def where(r) -> str:
            return r["inbox_path"] if r["parent_id"] is None else where(by_id[r["parent_id"]]) + "/" + r["name"]

        receipts = sorted((where(r), r["sha256"], r["outcome"], r["unit"] or "", r["period"] or "",
                           r["archive_path"], r["errors"], r["warnings"]) for r in rows)
        unfinished = con.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
        uncleared = con.execute("SELECT COUNT(*) FROM receipts WHERE parent_id IS NULL AND cleared=0").fetchone()[0]
        owed = con.execute("SELECT COUNT(*) FROM owed WHERE done_at IS NULL").fetchone()[0]
    finally:
        con.close()
    feedback = sorted(p.relative_to(root).as_posix() for p in (root / "反馈").rglob("*") if p.is_file())
    return {"receipts": receipts, "unfinished": unfinished, "uncleared": uncleared, "owed": owed,
            "feedback": feedback, "inbox": sorted(inbox_files(root))}
