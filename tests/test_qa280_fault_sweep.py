"""A fault sweep over `duban kit` and the mail commands (QA280), the cells QA276 left.

Every write of the command (the kit's staging folder, wheels, workspace, guide, swap and
zip; a fetched mail's file in 收件箱; a draft rewritten by ``mail send --resend``; the
ledger's rows) is failed in turn with no permission, a full disk, a path too long and
Ctrl-C. Each case must end in one Chinese line and the documented exit code (2 for the
system's refusal, 130 for Ctrl-C), with nothing lost: a previous kit stays whole, a mail
not stored stays in the mailbox for the next fetch, a mail not sent is sent by the next run.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import mailservers
import pytest
import test_mail_send
from conftest import PERIOD

from toolkit.actions import kit
from toolkit.cli import cli

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)
servers = test_mail_send.servers  # the fixture: the office and one mailbox per unit
DUBAN = "duban@example.org"

FAULTS = {
    "no-permission": lambda p: PermissionError(errno.EACCES, "Permission denied", p),
    "disk-full": lambda p: OSError(errno.ENOSPC, "No space left on device", p),
    "too-long": lambda p: OSError(errno.ENAMETOOLONG, "File name too long", p),
    "ctrl-c": lambda p: KeyboardInterrupt(),
}
#: The first words of the line each fault must give (no permission at a write: the write's words)
# (无法写入…正被其他程序打开: a file there refused while its folder is writable, as Windows
# refuses a file held open; `files.atomic_write`)
FIRST_WORDS = {"no-permission": ("没有权限写入", "没有写入权限", "无法写入"), "disk-full": ("磁盘空间不足", "磁盘已满"),
               "too-long": ("路径过长",)}
KIT_MOVED = "无法把新的安装包放到"  # the new kit's name refused, and then the old one's way back


class Writes:
    """Counts the writes below ``under`` (opening for writing, os.open for writing, replace,
    rename, mkdir) and fails the ``fail_at``-th with ``fault``."""

    def __init__(self, monkeypatch, under: Path, fault: str | None = None, fail_at: int | None = None):
        self.under, self.fault, self.fail_at = os.path.abspath(under), fault, fail_at
        self.count, self.failed, self.paused = 0, None, False
        real_open, real_os_open = builtins.open, os.open
        real = {name: getattr(os, name) for name in ("replace", "rename", "mkdir")}

        def open_(file, mode="r", *args, **kwargs):
            if any(c in mode for c in "wax+"):
                self._write(file)
            return real_open(file, mode, *args, **kwargs)

        def os_open(file, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                self._write(file)
            return real_os_open(file, flags, *args, **kwargs)

        def wrap(name):
            def call(src, *args, **kwargs):
                if name == "mkdir" and os.path.isdir(src):
                    return real[name](src, *args, **kwargs)  # EEXIST: the OS refuses no right
                self._write(args[0] if args and name != "mkdir" else src)
                return real[name](src, *args, **kwargs)
            return call

        for where in (builtins, io):
            monkeypatch.setattr(where, "open", open_)
        monkeypatch.setattr(os, "open", os_open)
        for name in real:
            monkeypatch.setattr(os, name, wrap(name))

    def _write(self, file) -> None:
        if self.paused or not isinstance(file, (str, bytes, os.PathLike)):
            return
        path = os.path.abspath(os.fsdecode(file))
        if not (path + os.sep).startswith(self.under + os.sep):
            return
        self.count += 1
        # the OS refuses the path again when asked again (zipfile retries "w+b" as "wb");
        # Ctrl-C is pressed once
        again = self.failed == path and self.fault != "ctrl-c"
        if self.fault is not None and (again or (self.count - 1 == self.fail_at and self.failed is None)):
            self.failed = path
            raise FAULTS[self.fault](path)


def one_line(result, fault: str) -> str:
    """The one line said of the fault, checked for language and the exit code."""
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert not re.search(r"Error|errno|denied|No space|too long|Interrupt", line), line
    if fault == "ctrl-c":
        assert result.exit_code == 130, result.output
        assert line.startswith("已取消"), line
    else:
        assert result.exit_code == 2, result.output
        assert line.startswith("错误："), line
        assert line.removeprefix("错误：").startswith((*FIRST_WORDS[fault], KIT_MOVED)), line
    return line


# ---------------------------------------------------------------------------
# duban kit (pip faked out, as test_kit.py does: no registry)


def _fake_wheel(folder: Path) -> Path:
    from test_kit import _fake_duban_wheel

    return _fake_duban_wheel(folder)


@pytest.fixture
def fake_pip(monkeypatch):
    holder = {}

    def pip(args, target=None, offline=False):
        writes = holder.get("writes")
        if writes is not None:
            writes.paused = True  # pip is a process of its own: its failures are not ours to word
        try:
            dest = Path(args[args.index("--dest") + 1]) if "--dest" in args else None
            if args[0] == "download" and dest is not None:
                tag = "py3-none-any" if target is None else f"cp{target.python.replace('.', '')}-none-any"
                name = "pip-24.0-py3-none-any.whl" if target is None else f"lxml-5.0-{tag}.whl"
                (dest / name).write_bytes(b"wheel")
            return subprocess.CompletedProcess(args, 0, "", "")
        finally:
            if writes is not None:
                writes.paused = False

    monkeypatch.setattr(kit, "_pip", pip)
    return holder


def _kit(tmp_path, out: Path, wheel: Path):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, ["kit", "--out", str(out), "--platform", "win_amd64", "--python", "3.12",
                                    "--wheel", str(wheel)])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # a kit build: run in CI, out of the quick loop
def test_kit_writes_counted(tmp_path, monkeypatch, fake_pip):
    """The sweep below reaches every write: a clean build makes this many."""
    wheel = _fake_wheel(tmp_path)
    out = tmp_path / "出" / "督办离线安装包"
    writes = fake_pip["writes"] = Writes(monkeypatch, tmp_path / "出")
    result = _kit(tmp_path, out, wheel)
    assert result.exit_code == 0, result.output
    assert writes.count > 10


@pytest.mark.slow  # every write in turn, a run each: run in CI, out of the quick loop
@pytest.mark.parametrize("fault", FAULTS)
def test_kit_every_write_failed_is_one_line_and_the_previous_kit_stays(tmp_path, monkeypatch, fake_pip, fault):
    wheel = _fake_wheel(tmp_path)
    parent = tmp_path / "出"
    out = parent / "督办离线安装包"
    assert _kit(tmp_path, out, wheel).exit_code == 0
    (out / "旧的标记.txt").write_text("上一次生成的安装包", encoding="utf-8")
    before = _tree(out)
    with monkeypatch.context() as mp:
        counter = fake_pip["writes"] = Writes(mp, parent)
        assert _kit(tmp_path, out, wheel).exit_code == 0
    total = counter.count
    zips = sorted(parent.glob("*.zip"))
    for n in range(total):
        # the kit of the run before is what each failed run must leave
        if not (out / "旧的标记.txt").exists():
            (out / "旧的标记.txt").write_text("上一次生成的安装包", encoding="utf-8")
        previous = _tree(out)
        with monkeypatch.context() as mp:
            writes = fake_pip["writes"] = Writes(mp, parent, fault, n)
            result = _kit(tmp_path, out, wheel)
        fake_pip["writes"] = None
        if writes.failed is None:  # this run wrote fewer (a previous kit to move aside, or not)
            assert result.exit_code == 0, result.output
            continue
        assert result.exit_code != 0, f"write {n} of {total} ({writes.failed}) failed: exit 0\n{result.output}"
        line = one_line(result, fault)
        where = f"write {n} of {total} ({writes.failed}): {line}"
        # nothing left half-made beside the kit, and a kit is there, whole
        leftovers = [p for p in parent.iterdir() if p.name.startswith(".~duban")]
        if leftovers and fault != "ctrl-c":
            # refused the new kit's name, and then the old one's way back: the line says where it is
            assert [p.name for p in leftovers] == [f".~duban-old-{out.name}"], where
            assert f"上一次生成的安装包已移到“{leftovers[0]}”" in line, where
            os.replace(leftovers[0], out)
        assert not leftovers or fault != "ctrl-c", where + f" left {leftovers}"
        assert (out / "安装说明.txt").is_file() and (out / "wheels").is_dir(), where
        now = _tree(out)
        assert now == previous or "旧的标记.txt" not in now, where  # the old kit whole, or the new one
        assert sorted(parent.glob("*.zip")) == zips, where
    assert before  # the first kit was read


# ---------------------------------------------------------------------------
# one line for a read and for a write


# ---------------------------------------------------------------------------
# the mail commands (a real Dovecot and SMTP relay: tests/mailservers.py)

@pytest.fixture
def office_password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])


LEDGER_FAULTS = {
    "disk-full": lambda: sqlite3.OperationalError("database or disk is full"),
    "no-permission": lambda: sqlite3.OperationalError("attempt to write a readonly database"),
    "ctrl-c": lambda: KeyboardInterrupt(),
}


def _fetch_ready(issued_ws, make_return, s):
    from test_mail_fetch import DONE, july, mail_ws, return_mail

    ws = mail_ws(issued_ws, s)
    for day, unit in ((4, "石龙镇"), (5, "东城街道")):
        s.deliver(DUBAN, return_mail(unit, make_return(unit, **{"1_2": DONE}), sender=f"{unit} <u{day}@dg.gov.cn>",
                                     when=july(day)), internaldate=july(day, 10, 0))
    return ws


def _invoke(args, **kwargs):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, args, **kwargs)


def _stored_all(ws) -> None:
    """The next fetch, nothing failing, has both mails in 收件箱: nothing was lost."""
    again = _invoke(["-w", str(ws.root), "mail", "fetch"])
    assert again.exit_code == 0, again.output
    names = sorted(p.name for p in ws.inbox.iterdir() if p.is_file())
    assert len(names) == 2 and all(n.endswith(".eml") for n in names), names


@pytest.mark.slow  # every write in turn, a run each: run in CI, out of the quick loop
@pytest.mark.parametrize("fault", FAULTS)
def test_mail_fetch_every_inbox_write_failed(issued_ws, make_return, mail_servers, office_password, monkeypatch, fault):
    """收件箱 refuses the fetched mail's file (each write in turn): one Chinese line, the
    mail left in the mailbox, and the next fetch stores it."""
    s = mail_servers
    ws = _fetch_ready(issued_ws, make_return, s)
    with monkeypatch.context() as mp:
        counter = Writes(mp, ws.inbox)
        clean = _invoke(["-w", str(ws.root), "mail", "fetch", "--since", "2022-06-01"])
    assert clean.exit_code == 0 and counter.count >= 4, (counter.count, clean.output)
    for path in list(ws.inbox.iterdir()):
        path.unlink()
    _forget_fetched(ws)
    for n in range(counter.count):
        with monkeypatch.context() as mp:
            writes = Writes(mp, ws.inbox, fault, n)
            result = _invoke(["-w", str(ws.root), "mail", "fetch"])
        if writes.failed is None:
            continue
        where = f"write {n} ({writes.failed})"
        assert "Traceback" not in result.output and "内部错误" not in result.output, where + result.output
        if fault == "ctrl-c":
            assert result.exit_code == 130 and result.stderr.strip().startswith("已取消"), where + result.output
        else:
            # the run goes on to say what it stored; the refusal is one line among them, exit 1
            assert result.exit_code == 1, where + result.output
            said = [line for line in result.output.splitlines() if "无法把邮件写入收件箱" in line]
            assert len(said) == 1, where + result.output
            assert FIRST_LINE_OF_INBOX[fault] in said[0], where + said[0]
        _stored_all(ws)
        for path in list(ws.inbox.iterdir()):
            path.unlink()
        _forget_fetched(ws)


FIRST_LINE_OF_INBOX = {"no-permission": "没有写入权限", "disk-full": "磁盘已满", "too-long": "路径过长"}


def _forget_fetched(ws) -> None:
    from toolkit.ledger import Ledger

    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("DELETE FROM mail_fetched")


@pytest.mark.slow  # real mail servers, a run per fault: run in CI, out of the quick loop
@pytest.mark.parametrize("fault", LEDGER_FAULTS)
def test_mail_fetch_ledger_refused(issued_ws, make_return, mail_servers, office_password, monkeypatch, fault):
    """The ledger refuses the row of a mail stored: one line, and the next fetch has it."""
    from toolkit.ledger.mail_records import MailRecords

    ws = _fetch_ready(issued_ws, make_return, mail_servers)
    real = MailRecords.record_fetch

    def refused(self, **kw):
        if kw.get("state") == "fetched":
            raise LEDGER_FAULTS[fault]()
        return real(self, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(MailRecords, "record_fetch", refused)
        result = _invoke(["-w", str(ws.root), "mail", "fetch"])
    _ledger_line(result, fault, ws)
    _stored_all(ws)


def _ledger_line(result, fault: str, ws) -> str:
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.output
    if fault == "ctrl-c":
        assert result.exit_code == 130 and lines[0].startswith("已取消"), result.output
    else:
        assert result.exit_code == 2, result.output
        start = {"disk-full": "错误：磁盘已满，无法写入收件台账", "no-permission": "错误：没有写入权限："}[fault]
        assert lines[0].startswith(start) and str(ws.ledger_path) in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("fault", LEDGER_FAULTS)
def test_mail_checked_ledger_refused(issued_ws, monkeypatch, fault):
    """`mail checked` writes one row: refused, one line, and nothing recorded."""
    import datetime as dt

    from toolkit.ledger import Ledger
    from toolkit.ledger.mail_records import TOO_BIG, MailRecords

    ws = issued_ws
    when = dt.datetime(2022, 7, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn @ imap.dg.gov.cn", folder="INBOX", uidvalidity=1, uid=7,
            message_id="<big@dg.gov.cn>", internaldate=when, size=80 << 20, sender="zw@dg.gov.cn",
            subject="石龙镇6月进展", state=TOO_BIG, fetched_at=when.isoformat())

    def refused(*args, **kwargs):
        raise LEDGER_FAULTS[fault]()

    with monkeypatch.context() as mp:
        mp.setattr("toolkit.actions.sender.record_mail_check", refused)
        result = _invoke(["-w", str(ws.root), "mail", "checked", "2022-07-04 10:00"])
    _ledger_line(result, fault, ws)
    ok = _invoke(["-w", str(ws.root), "mail", "checked", "2022-07-04 10:00"])
    assert ok.exit_code == 0, ok.output


@pytest.mark.slow  # real mail servers, a run per fault: run in CI, out of the quick loop
@pytest.mark.parametrize("errno_", [errno.ENOSPC, errno.EACCES])
def test_mail_login_keyring_refused_by_the_system_says_why(issued_ws, mail_servers, run, errno_):
    """A keyring that keeps its passwords in a file (keyrings.alt, a Linux desktop's) on a full
    disk or a folder without the right: "这台电脑上没有可用的凭据管理器" was not what went wrong."""
    import keyring
    from keyring.backend import KeyringBackend
    from test_mail_fetch import mail_ws

    class Refusing(KeyringBackend):
        priority = 1

        def set_password(self, service, username, password):
            raise OSError(errno_, os.strerror(errno_), "/root/.local/share/python_keyring/keyring_pass.cfg")

        def get_password(self, service, username):
            return None

        def delete_password(self, service, username):
            pass

    ws = mail_ws(issued_ws, mail_servers)
    previous = keyring.get_keyring()
    keyring.set_keyring(Refusing())
    try:
        result = run(["-w", str(ws.root), "mail", "login"], input=mail_servers.users[DUBAN] + "\n")
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 2, result.output
    why = {errno.ENOSPC: "磁盘已满", errno.EACCES: "没有权限"}[errno_]
    assert result.output.splitlines()[-1] == (
        f"错误：无法把密码保存到系统凭据管理器（{why}：“/root/.local/share/python_keyring/keyring_pass.cfg”）。"
        "请改正后重新运行 duban mail login，或改为设置环境变量 DUBAN_MAIL_PASSWORD。")


def _sent_ready(issued_ws, s):
    from test_mail_send import UNITS, issued_with_emails

    return issued_with_emails(issued_ws, s, UNITS[:3]), UNITS[:3]


def _sent_once_each(ws, s, units) -> None:
    """The next run, nothing failing, leaves each unit exactly one mail: none lost, none twice."""
    from test_mail_send import address, received

    again = _invoke(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert again.exit_code == 0, again.output
    assert [len(received(s, address(n))) for n in range(len(units))] == [1] * len(units)


@pytest.mark.slow  # real mail servers, a run per fault: run in CI, out of the quick loop
@pytest.mark.parametrize("fault", LEDGER_FAULTS)
def test_mail_send_ledger_refused(issued_ws, servers, monkeypatch, fault):
    """The ledger refuses the row that says the second mail is being sent (before it goes)."""
    from toolkit.ledger.mail_records import MailRecords

    ws, units = _sent_ready(issued_ws, servers)
    real, calls = MailRecords.begin_sending, []

    def refused(self, **kw):
        calls.append(kw)
        if len(calls) == 2:
            raise LEDGER_FAULTS[fault]()
        return real(self, **kw)

    with monkeypatch.context() as mp:
        mp.setattr(MailRecords, "begin_sending", refused)
        result = _invoke(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    line = _ledger_line(result, fault, ws)
    if fault == "ctrl-c":
        assert "下发邮件 1 封" in line, line
    _sent_once_each(ws, servers, units)


@pytest.mark.slow  # every write in turn, a run each: run in CI, out of the quick loop
@pytest.mark.parametrize("fault", FAULTS)
def test_mail_send_resend_every_draft_write_failed(issued_ws, servers, monkeypatch, fault):
    """--resend renumbers each draft in the drafts folder before the first goes: each of those
    writes refused in turn is one line, and the next run sends them."""
    from test_mail_send import address, received

    from toolkit.ledger import Ledger

    s = servers
    ws, units = _sent_ready(issued_ws, s)
    assert _invoke(["-w", str(ws.root), "mail", "send", "issue", "--yes"]).exit_code == 0
    with Ledger(ws.ledger_path) as ledger:
        folder = (ws.root / ledger.drafts("issue", PERIOD)[0].path).parent
    args = ["-w", str(ws.root), "mail", "send", "issue", "--yes", "--resend", units[0]]
    with monkeypatch.context() as mp:
        counter = Writes(mp, folder)
        assert _invoke(args).exit_code == 0
    assert counter.count >= 1 and len(received(s, address(0))) == 2
    for n in range(counter.count):
        with monkeypatch.context() as mp:
            writes = Writes(mp, folder, fault, n)
            result = _invoke(args)
        if writes.failed is None:
            continue
        one_line(result, fault)
        before = len(received(s, address(0)))
        assert _invoke(args).exit_code == 0
        assert len(received(s, address(0))) == before + 1  # sent, once


# ---------------------------------------------------------------------------
# no permission at a read says the read (QA280): "没有写入权限…是否只读" sent the office to the
# folder's read-only flag, not to the share's rights or a colleague holding the file

READ_REFUSED = "没有读取权限：“{}”。请检查是否有打开该文件或文件夹的权限（网络共享盘还要看共享权限），" \
               "或它是否正被其他用户独占打开，改正后重新运行。"


def test_a_master_table_nobody_may_read_says_read(ws, tmp_path, monkeypatch):
    from toolkit import errors
    from toolkit.master import tables, workbook

    source = tmp_path / "分工表.xlsx"
    source.write_bytes(ws.master_path.read_bytes())

    def refuse(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("python_calamine.load_workbook", refuse)
    with pytest.raises(errors.NoPermission) as caught:
        tables.xlsx_grids(source)
    assert caught.value.message == READ_REFUSED.format(source)
    monkeypatch.setattr(type(source), "read_bytes", lambda self: refuse(self))
    for read in (workbook.read_own_workbook, tables.read_docx):  # read by their bytes
        with pytest.raises(errors.NoPermission) as caught:
            read(source)
        assert caught.value.message == READ_REFUSED.format(source)


def test_a_ledger_sqlite_cannot_open_is_not_called_read_only(tmp_path):
    """"unable to open database file" is a ledger nobody may read as often as a folder nobody
    may write: the line names neither alone."""
    from toolkit import errors

    fault = errors.os_fault(sqlite3.OperationalError("unable to open database file"), fallback=tmp_path / "台账.db")
    assert isinstance(fault, errors.NoPermission)
    assert fault.message == (f"无法打开收件台账“{tmp_path / '台账.db'}”：没有访问权限。请检查是否有读取和修改工作区文件夹"
                             "及其中台账文件的权限（网络共享盘还要看共享权限），改正后重新运行。")
