"""Every command the coordinator double-clicks or types, under every failure the operating
system or SQLite can answer with: each ends in one Chinese line naming the file or folder and
what to do, the documented exit code (2; 130 for Ctrl-C), no English from a library, nothing
half-written, a sound ledger, and a re-run after the fault is gone finishes as a clean run.

The faults are injected in-process (CliRunner) at the calls every write goes through: opening
a file for writing (Python's ``open`` and ``os.open``, which zipfile, openpyxl, python-docx
and tempfile use), ``os.replace``/``os.rename`` (the atomic step of `files.atomic_write` and
archiving), ``os.mkdir``, and the ledger's SQLite statements. Each fires at the first, a
middle and the last such call of a clean run ("the worst moment": after everything else was
written). test_faults.py meets the same faults for real (tmpfs, capabilities, signals) in
subprocesses for collect and merge; this matrix covers the rest of the commands.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import drop, on_time
from faults import state

from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.workspace import find_workspace

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")

# What the user would see: the OS's and SQLite's own words, which must never reach them.
FAULTS = {
    "disk-full": lambda f: OSError(errno.ENOSPC, "No space left on device", f),
    "read-only-folder": lambda f: PermissionError(errno.EACCES, "Permission denied", f),
    "read-only-disk": lambda f: OSError(errno.EROFS, "Read-only file system", f),
    "path-too-long": lambda f: OSError(errno.ENAMETOOLONG, "File name too long", f),
    "disk-error": lambda f: OSError(errno.EIO, "Input/output error", f),
    "busy": lambda f: OSError(errno.EBUSY, "Device or resource busy", f),
    "ledger-locked": lambda f: sqlite3.OperationalError("database is locked"),
    "ledger-io": lambda f: sqlite3.OperationalError("disk I/O error"),
    "ctrl-c": lambda f: KeyboardInterrupt(),
}
SQLITE_FAULTS = {"ledger-locked", "ledger-io"}
ENGLISH = ("No space", "Permission denied", "Read-only", "too long", "Input/output", "busy",
           "database is locked", "disk I/O", "Errno", "Traceback", "zipfile", "openpyxl", "docx",
           "Error", "内部错误")

# command -> (which workspace it starts from, its words; {root} is the workspace folder)
COMMANDS = {
    "init": ("none", ["init", "{root}", "--period", "2022-06"]),
    "demo": ("none", ["demo", "{root}"]),
    "master-import": ("bare", ["-w", "{root}", "master", "import", "{root}/分工表来稿.xlsx"]),
    "issue": ("bare", ["-w", "{root}", "issue", "--period", "2022-06", "--emails"]),
    "collect": ("inbox", ["-w", "{root}", "collect"]),
    "run": ("inbox", ["-w", "{root}", "run"]),
    "merge": ("collected", ["-w", "{root}", "merge"]),
    "memo": ("collected", ["-w", "{root}", "memo"]),
    "remind": ("collected", ["-w", "{root}", "remind"]),
    "status": ("collected", ["-w", "{root}", "status", "--all", "--format", "csv", "--out", "{root}/报送情况.csv"]),
}
MOMENTS = ("first", "middle", "last")

# Every case runs the command twice or three times (2–30 s, the demo a whole month): the
# module is slow. QUICK is the tenth to run first when iterating (-k picks it by its ids).
QUICK = {("init", "disk-full"), ("demo", "path-too-long"), ("master-import", "read-only-disk"),
         ("issue", "busy"), ("collect", "ledger-locked"), ("run", "disk-error"),
         ("merge", "read-only-folder"), ("memo", "disk-full"), ("remind", "ctrl-c"),
         ("status", "disk-full")}


# the commands that write the ledger: a SQLite fault has nothing to hit in the others
LEDGER_WRITERS = {"demo", "issue", "collect", "run", "remind"}
# the demo plays a whole month (14–30 s a case): three faults of the nine
DEMO_FAULTS = ("path-too-long", "disk-full", "ctrl-c")


def _cases():
    for command in COMMANDS:
        for fault in FAULTS:
            if ((fault in SQLITE_FAULTS and command not in LEDGER_WRITERS)
                    or (command == "demo" and fault not in DEMO_FAULTS)):
                continue
            # issue writes 54 forms (6 s a case): at the worst moment only, like the demo;
            # the module stays near three minutes on two cores
            for moment in MOMENTS if command not in ("demo", "issue") else ("last",):
                quick = (command, fault) in QUICK and moment == "last"
                yield pytest.param(command, fault, moment,
                                   id=f"{command}-{fault}-{moment}{'-quick' if quick else ''}",
                                   marks=pytest.mark.slow)


# ---------------------------------------------------------------------------
# the injection


class Injector:
    """Counts the write calls inside ``root`` and fails the ``at``-th (0-based) with ``make``."""

    def __init__(self, root: Path, make=None, at: int | None = None, sqlite: bool = False):
        self.root, self.make, self.at, self.sqlite = os.path.abspath(root), make, at, sqlite
        self.calls = 0
        self.fired = False

    def _inside(self, path) -> bool:
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(self.root)
        except TypeError:  # a file descriptor
            return False

    def hit(self, path) -> None:
        n, self.calls = self.calls, self.calls + 1
        if self.make is not None and n == self.at and not self.fired:
            self.fired = True
            raise self.make(os.fsdecode(path))

    def install(self, monkeypatch) -> None:
        real_open, real_os_open = builtins.open, os.open
        real_replace, real_rename, real_mkdir = os.replace, os.rename, os.mkdir
        real_connect = sqlite3.connect
        writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT
        files = not self.sqlite

        def open_(file, mode="r", *args, **kwargs):
            if files and isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+") \
                    and self._inside(file):
                self.hit(file)
            return real_open(file, mode, *args, **kwargs)

        def os_open(path, flags, *args, **kwargs):
            if files and flags & writing and self._inside(path):
                self.hit(path)
            return real_os_open(path, flags, *args, **kwargs)

        def replace(src, dst, *args, **kwargs):
            if files and self._inside(dst):
                self.hit(dst)
            return real_replace(src, dst, *args, **kwargs)

        def rename(src, dst, *args, **kwargs):
            if files and self._inside(dst):
                self.hit(dst)
            return real_rename(src, dst, *args, **kwargs)

        def mkdir(path, *args, **kwargs):
            if files and self._inside(path) and not os.path.isdir(path):
                self.hit(path)
            return real_mkdir(path, *args, **kwargs)

        injector = self

        class Connection(sqlite3.Connection):
            def execute(self, sql, *args):
                if re.match(r"\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN)", sql, re.I):
                    injector.hit(injector.root)
                return super().execute(sql, *args)

            def executemany(self, sql, *args):
                injector.hit(injector.root)
                return super().executemany(sql, *args)

        def connect(database, *args, **kwargs):
            if self.sqlite and isinstance(database, (str, os.PathLike)) and self._inside(database):
                kwargs.setdefault("factory", Connection)
            return real_connect(database, *args, **kwargs)

        for target in (builtins, io):
            monkeypatch.setattr(target, "open", open_)
        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(sqlite3, "connect", connect)


# ---------------------------------------------------------------------------
# workspaces


@pytest.fixture(scope="module")
def starts(_session_workspace, _session_issued, tmp_path_factory) -> dict[str, Path]:
    """The workspaces the commands start from, made once."""
    base = tmp_path_factory.mktemp("qa152")
    bare = base / "bare"
    shutil.copytree(_session_workspace, bare)
    shutil.copyfile(bare / "任务分工表.xlsx", bare / "分工表来稿.xlsx")  # as the office received it
    inbox = base / "inbox"
    shutil.copytree(_session_issued, inbox)
    ws = find_workspace(inbox)
    issued = sorted((inbox / "下发" / "2022年6月").glob("*.xlsx"))
    for path in issued[:2]:  # 万江街道 and another: filled, on time
        drop(ws, path.name, fill_return(path, Filling(answers={"1.2": DONE, "2.1": DONE, "1.1": DONE})), on_time())
    drop(ws, "子目录/空白.xlsx", issued[2].read_bytes(), on_time())  # returned with feedback
    collected = base / "collected"
    shutil.copytree(inbox, collected)
    assert _invoke(["-w", str(collected), "collect"]).exit_code in (0, 1)
    return {"bare": bare, "inbox": inbox, "collected": collected}


def _prepare(starts, command: str, where: Path) -> Path:
    kind, _ = COMMANDS[command]
    if kind == "none":
        where.mkdir(parents=True, exist_ok=True)
        return where / "督办"
    shutil.copytree(starts[kind], where / "ws")
    return where / "ws"


def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args)


def _args(command: str, root: Path) -> list[str]:
    return [a.replace("{root}", str(root)) for a in COMMANDS[command][1]]


def _finished(root: Path, demo: bool = False) -> dict:
    """What a finished run leaves, comparable between a clean run and a re-run (the demo's
    returns are filled anew, with other bytes, on every run: its ledger and archive are not
    compared)."""
    found = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith((".duban/", "日志/", *(("归档/", "反馈/") if demo else ())))\
                and "/." not in "/" + rel:
            found[rel] = p.suffix
    ledger = root / ".duban" / "ledger.sqlite3"
    if ledger.exists() and (root / "归档").exists() and not demo:
        s = state(root)
        found["(ledger)"] = repr({k: v for k, v in s.items() if k != "feedback"})
    return found


@pytest.fixture(scope="module")
def clean(starts, tmp_path_factory) -> dict:
    """Per command and kind of injection point: the clean run's exit code, what it leaves,
    and how many write calls it makes."""
    made: dict = {}

    def get(command: str, sqlite: bool):
        key = (command, sqlite)
        if key not in made:
            root = _prepare(starts, command, tmp_path_factory.mktemp("clean"))
            mp = pytest.MonkeyPatch()
            injector = Injector(root, sqlite=sqlite)
            injector.install(mp)
            try:
                result = _invoke(_args(command, root))
            finally:
                mp.undo()
            assert result.exit_code in (0, 1), (command, result.output)
            made[key] = (result.exit_code, _finished(root, command == "demo"), injector.calls)
        return made[key]

    return get


# ---------------------------------------------------------------------------
# the matrix


def _assert_one_chinese_line(result, root: Path, fault: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    said = re.sub(r"“[^”]*”", "", line)  # the files named may have any name
    for word in ENGLISH:
        assert word not in said, line
    if fault == "ctrl-c":
        assert result.exit_code == 130 and line.startswith("已取消"), (result.exit_code, line)
        return line
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert line.startswith("错误：") and "请" in line, line
    named = re.search(r"“([^”]+)”", line)
    assert named, f"names no file or folder: {line}"
    return line


def _assert_nothing_half_written(root: Path) -> None:
    if not root.exists():
        return
    # .duban/tmp may keep what a killed worker was writing: the next run clears it (below)
    debris = [p for p in root.rglob("*") if p.name.startswith(".~duban-")]
    assert not debris, debris
    for p in root.rglob("*"):
        if p.suffix in (".xlsx", ".docx") and p.is_file() and not {"收件箱", ".duban"} & set(p.parts):
            assert zipfile.is_zipfile(p), f"half-written: {p}"
            with zipfile.ZipFile(p) as z:
                assert z.testzip() is None, p
    ledger = root / ".duban" / "ledger.sqlite3"
    if ledger.exists():
        con = sqlite3.connect(ledger)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()


# A command stopped by a fault leaves openpyxl's row generators to be closed when collected;
# `cli.main` logs those (sys.unraisablehook), CliRunner does not
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("command", "fault", "moment"), list(_cases()))
def test_a_fault_is_one_chinese_line_and_a_rerun_finishes(starts, clean, tmp_path, monkeypatch,
                                                          command, fault, moment):
    sqlite = fault in SQLITE_FAULTS
    exit_clean, finished_clean, calls = clean(command, sqlite)
    if calls == 0:
        pytest.skip(f"{command} makes no such call")
    at = {"first": 0, "middle": calls // 2, "last": calls - 1}[moment]
    root = _prepare(starts, command, tmp_path)
    injector = Injector(root, FAULTS[fault], at, sqlite=sqlite)
    with monkeypatch.context() as mp:
        injector.install(mp)
        result = _invoke(_args(command, root))
    assert injector.fired, (command, fault, at, injector.calls)
    if result.exit_code in (0, 1) and fault != "ctrl-c":
        # a fault the command survives by design (an unwritable log, a reply owed to the next run)
        assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    else:
        _assert_one_chinese_line(result, root, fault)
    _assert_nothing_half_written(root)
    again = _invoke(_args(command, root) + (["--force"] if command == "init" else []))
    # a re-run finishes the work (collect: exit 0 when the first run had already met every return)
    assert again.exit_code in (0, exit_clean), (again.exit_code, again.output)
    assert _finished(root, command == "demo") == finished_clean
    tmp = root / ".duban" / "tmp"
    assert not (tmp.is_dir() and list(tmp.iterdir())), "a dead run's leftovers are cleared by the next"


def test_an_os_error_without_a_number_is_said_in_chinese(tmp_path, monkeypatch):
    """A folder that cannot be made for a reason the OS gives no number for: the line said
    "无法写入“…/汇总/2022年6月”：cannot create folder on this share", the library's English."""
    from toolkit import errors, files

    target = tmp_path / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx"

    def refuse(self, *args, **kwargs):
        raise OSError("cannot create folder on this share")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(errors.SystemFault) as caught:
        files.atomic_write(target, lambda tmp: tmp.write_bytes(b"x"))
    assert caught.value.message == (f"无法写入“{target.parent}”：操作系统拒绝了这次操作（OSError）。"
                                    "请检查磁盘或网络盘后重新运行。")
