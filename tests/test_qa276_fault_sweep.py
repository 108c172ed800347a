"""A fault sweep over every command (QA276), the cells QA152's matrix and test_faults.py left:

- A file waiting in 收件箱 that cannot be read (Excel or WPS holds it open: a sharing
  violation; no read permission; a folder that cannot be listed) vanished from the
  "请核实：收件箱中还有 N 个文件尚未收取登记" line of status, merge and memo: the check that it
  is not already registered read it, met the OSError, and took the file for gone
  ("a collect took it"). The 通报 then named its unit 未报送 with no word of the file.
- ``master import`` into the workspace's own 任务分工表.xlsx, ``init --force`` over a
  workspace, and ``demo`` replacing an earlier demo's folder wrote (or deleted) what another
  run held: every other command that changes a workspace says exit 4 and waits for it.
- ``open 通报`` with the 通报 folder unreadable said "还没有生成过通报。请先运行 duban memo。"
- ``master import`` / ``init --master`` of a table that cannot be read said python-docx's or
  calamine's English ("无法作为 Word 文档打开（PackageNotFoundError）…请另存为 .docx"), a remedy
  for a broken file; a master workbook of duban's own whose first read failed was imported as
  a published table, its 单位名录 (addresses, contacts) dropped, exit 0.
- ``init`` stopped at the master (disk full, Ctrl-C) left duban.toml alone: run again, as the
  line asks, it refused "已经是一个工作区，无需再次创建".
"""

from __future__ import annotations

import errno
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import drop, on_time

from toolkit import inbox as inbox_module
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.workspace import find_workspace

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
NAME = "2022年6月_万江街道_进展填报表.xlsx"
BUSY_START = "错误：另一个督办程序正在处理这个工作区（"


def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args)


def _waiting(issued_ws):
    source = issued_ws.root / "下发" / "2022年6月" / NAME
    return drop(issued_ws, NAME, fill_return(source, Filling(answers={"1.2": DONE, "2.1": DONE})), on_time())


def _note(names: str, n: int = 1) -> str:
    return (f"请核实：收件箱中还有 {n} 个文件尚未收取登记（{names}），其中的报送没有计入报送情况，"
            "其单位可能被误列为未报送。请先运行 duban collect（或双击“2-收取并汇总”），再查看报送情况、生成汇总表和通报。")


def _sha_fails(monkeypatch, path, exc: type[OSError], code: int) -> None:
    """Taking ``path``'s hash fails with ``exc`` (Excel holding it: EACCES; gone: ENOENT). A
    receipt of its size is made to exist: `inbox.not_collected` reads no file of a size no
    receipt has, and would not come to the hash."""
    size, sizes = os.path.getsize(path), Ledger.sizes
    monkeypatch.setattr(Ledger, "sizes", lambda self: sizes(self) | {size})
    real = inbox_module.file_sha

    def failing(p, *args, **kwargs):
        if os.path.abspath(p) == os.path.abspath(path):
            raise exc(code, os.strerror(code), str(p))
        return real(p, *args, **kwargs)

    monkeypatch.setattr(inbox_module, "file_sha", failing)


def test_a_waiting_file_is_said_when_nothing_fails(issued_ws):
    _waiting(issued_ws)
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert _note(NAME) in result.output


def test_a_waiting_file_that_cannot_be_read_is_still_said(issued_ws, monkeypatch):
    """Excel holds the file open (Windows: a sharing violation, EACCES to Python): its hash
    cannot be taken; it is still in 收件箱 and not registered."""
    path = _waiting(issued_ws)
    _sha_fails(monkeypatch, path, PermissionError, errno.EACCES)
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert result.exit_code == 1, result.output
    assert _note(NAME) in result.output
    assert "Permission" not in result.output


def test_a_waiting_file_without_read_permission_is_still_said(issued_ws, monkeypatch):
    """chmod 000 (root reads it anyway: os.access is what scan_inbox asks)."""
    path = _waiting(issued_ws)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k:
                        False if os.path.abspath(p) == os.path.abspath(path) else real(p, mode, *a, **k))
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert _note(NAME) in result.output


def test_a_waiting_file_gone_meanwhile_is_not_said(issued_ws, monkeypatch):
    """Gone between the listing and the read: a collect took it (the one OSError that means so)."""
    path = _waiting(issued_ws)
    _sha_fails(monkeypatch, path, FileNotFoundError, errno.ENOENT)
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert "收件箱中还有" not in result.output


def test_a_waiting_file_gone_before_its_size_was_read_is_not_said(issued_ws, monkeypatch):
    """Gone between the listing and the look at its size (no receipt has a file's size, so its
    content is not read, issue 19): a collect took it, as when gone before its hash."""
    path = _waiting(issued_ws)
    listed = inbox_module.scan_inbox

    def listing_then_taken(*args, **kwargs):
        found = listed(*args, **kwargs)
        path.unlink()
        return found

    monkeypatch.setattr(inbox_module, "scan_inbox", listing_then_taken)
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert result.exit_code == 0, result.output
    assert "收件箱中还有" not in result.output


def test_an_inbox_that_cannot_be_listed_is_said(issued_ws, monkeypatch):
    """收件箱 itself refuses a listing (a network share without the right): what waits there is
    unknown, and the 未报送 may be wrong."""
    _waiting(issued_ws)
    inbox = os.path.abspath(issued_ws.inbox)
    real_scandir = os.scandir

    def refuse(p=".", *args, **kwargs):
        if not isinstance(p, int) and os.path.abspath(os.fsdecode(p)) == inbox:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(p))
        return real_scandir(p, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", refuse)
    result = _invoke(["-w", str(issued_ws.root), "status"])
    assert _note("收件箱") in result.output, result.output


def test_memo_says_a_waiting_file_that_cannot_be_read(issued_ws, monkeypatch):
    """The 通报 is what names units in public: the line must reach memo too."""
    root = issued_ws.root
    first = root / "下发" / "2022年6月" / "2022年6月_莞城街道_进展填报表.xlsx"
    drop(issued_ws, first.name, fill_return(first, Filling(answers={"1.2": DONE})), on_time())
    assert _invoke(["-w", str(root), "collect"]).exit_code in (0, 1)
    path = _waiting(issued_ws)
    _sha_fails(monkeypatch, path, PermissionError, errno.EACCES)
    result = _invoke(["-w", str(root), "memo"])
    assert result.exit_code in (0, 1), result.output
    assert "收件箱中还有 1 个文件尚未收取登记（2022年6月_万江街道_进展填报表.xlsx）" in result.output


# ---------------------------------------------------------------------------
# a second run holding the workspace


def test_master_import_into_the_workspace_waits_for_the_run_holding_it(ws, tmp_path):
    source = tmp_path / "分工表来稿.xlsx"
    shutil.copyfile(ws.master_path, source)
    before = ws.master_path.read_bytes()
    with find_workspace(ws.root).lock():
        result = _invoke(["-w", str(ws.root), "master", "import", str(source)])
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith(BUSY_START) and result.stderr.strip().endswith("请等它结束后再运行。")
    assert ws.master_path.read_bytes() == before
    assert _invoke(["-w", str(ws.root), "master", "import", str(source)]).exit_code in (0, 1)


def test_master_import_elsewhere_needs_no_lock(ws, tmp_path):
    """--out another file: the workspace is not touched, a run holding it is no reason to wait."""
    with find_workspace(ws.root).lock():
        result = _invoke(["-w", str(ws.root), "master", "import", str(ws.master_path),
                          "--out", str(tmp_path / "另存.xlsx")])
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "另存.xlsx").is_file()


def test_init_force_over_a_workspace_waits_for_the_run_holding_it(ws):
    config = (ws.root / "duban.toml").read_bytes()
    master = ws.master_path.read_bytes()
    with find_workspace(ws.root).lock():
        result = _invoke(["init", str(ws.root), "--force", "--period", "2022-07"])
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith(BUSY_START), result.stderr
    assert (ws.root / "duban.toml").read_bytes() == config
    assert ws.master_path.read_bytes() == master


@pytest.mark.parametrize("config", ["broken", "gone"])
def test_init_force_mends_a_workspace_whose_config_cannot_be_read(ws, config):
    """--force is how a broken duban.toml is rebuilt: taking the lock must not need it."""
    if config == "broken":
        (ws.root / "duban.toml").write_text("period = [\n", encoding="utf-8")
    else:
        (ws.root / "duban.toml").unlink()
    result = _invoke(["init", str(ws.root), "--force", "--period", "2022-07"])
    assert result.exit_code == 0, result.output
    assert 'period = "2022-07"' in (ws.root / "duban.toml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# duban open


@pytest.mark.parametrize("folder", ["通报", "通报/2022年6月"])
def test_open_a_memo_in_a_folder_that_cannot_be_read_says_so_not_never_made(issued_ws, monkeypatch, folder):
    """`Path.rglob` passes over a folder it cannot list: `open 通报` said "还没有生成过通报。请先
    运行 duban memo。" of a 通报 that was there, behind a folder without the right to read it."""
    from toolkit.actions import open as opener

    memo = issued_ws.root / "通报" / "2022年6月" / "通报.docx"
    memo.parent.mkdir(parents=True)
    memo.write_bytes(b"PK")
    monkeypatch.setattr(opener, "open_path", lambda path: True)
    assert _invoke(["-w", str(issued_ws.root), "open", "通报"]).output == f"已打开：{memo}\n"
    refused = os.path.abspath(issued_ws.root / folder)
    real_scandir = os.scandir

    def refuse(p=".", *args, **kwargs):
        if not isinstance(p, int) and os.path.abspath(os.fsdecode(p)) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(p))
        return real_scandir(p, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", refuse)
    result = _invoke(["-w", str(issued_ws.root), "open", "通报"])
    assert result.exit_code == 2, result.output
    # listing a folder is a read: "没有写入权限…是否只读" sent the office to the wrong flag (QA280)
    assert result.stderr == (f"错误：没有读取权限：“{refused}”。请检查是否有打开该文件或文件夹的权限"
                             "（网络共享盘还要看共享权限），或它是否正被其他用户独占打开，改正后重新运行。\n")


def test_open_before_any_memo_still_says_none_was_made(issued_ws):
    result = _invoke(["-w", str(issued_ws.root), "open", "通报"])
    assert result.exit_code == 1
    assert result.stderr == "提示：还没有生成过通报。请先运行 duban memo（或双击“3-生成通报”）。\n"


# ---------------------------------------------------------------------------
# master import / init --master: the table cannot be read


def _refuse_reads_of(monkeypatch, path, exc, at: int | None = None):
    """Fail the ``at``-th (every, when None) opening of ``path`` for reading with ``exc``."""
    import builtins
    import io

    target, seen = os.path.abspath(path), []
    real_open, real_os_open = builtins.open, os.open

    def fails(file) -> bool:
        if not isinstance(file, (str, bytes, os.PathLike)) or os.path.abspath(os.fsdecode(file)) != target:
            return False
        seen.append(file)
        return at is None or len(seen) - 1 == at

    def open_(file, mode="r", *args, **kwargs):
        if "r" in mode and "+" not in mode and fails(file):
            raise exc
        return real_open(file, mode, *args, **kwargs)

    def os_open(file, flags, *args, **kwargs):
        if not flags & (os.O_WRONLY | os.O_RDWR) and fails(file):
            raise exc
        return real_os_open(file, flags, *args, **kwargs)

    for where in (builtins, io):
        monkeypatch.setattr(where, "open", open_)
    monkeypatch.setattr(os, "open", os_open)
    return seen


REFUSALS = {
    "in-use": lambda p: PermissionError(errno.EACCES, "Permission denied", str(p)),
    "disk-error": lambda p: OSError(errno.EIO, "Input/output error", str(p)),
}


@pytest.mark.parametrize("fault", REFUSALS)
def test_a_word_table_that_cannot_be_read_is_the_systems_line_not_a_broken_document(ws, tmp_path, monkeypatch,
                                                                                   fault, seed_docx):
    """python-docx read the file itself and said PackageNotFoundError (or PermissionError) of a
    .docx that Word or WPS holds: "无法作为 Word 文档打开（PackageNotFoundError）。请用 Word 或 WPS
    打开后另存为 .docx 再导入" — English, and a remedy for a broken file this is not."""
    source = tmp_path / "分工表来稿.docx"
    shutil.copyfile(seed_docx, source)
    before = ws.master_path.read_bytes()
    clean = _invoke(["-w", str(ws.root), "master", "import", str(source), "--out", str(tmp_path / "x.xlsx")])
    assert clean.exit_code in (0, 1), clean.output
    # every read after the first look (check_openable, which says the OS's line already)
    seen = _refuse_reads_of(monkeypatch, source, REFUSALS[fault](source))
    monkeypatch.setattr("toolkit.master.importer.check_openable", lambda *a, **k: None)
    result = _invoke(["-w", str(ws.root), "master", "import", str(source)])
    assert seen, "the table was never opened"
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("错误：") and f"“{source}”" in line, line
    assert "Error" not in line and "另存为" not in line, line
    assert ws.master_path.read_bytes() == before


@pytest.mark.parametrize("fault", REFUSALS)
def test_a_master_workbook_that_cannot_be_read_is_not_imported_as_a_published_table(ws, tmp_path, monkeypatch,
                                                                                    fault):
    """A master workbook duban wrote (last year's, a colleague's) is read whole, 单位名录 with
    its addresses (QA170). A read refused then was taken for "not one of ours", and the
    next read imported it as a published table: its addresses dropped, exit 0."""
    source = tmp_path / "去年的任务分工表.xlsx"
    shutil.copyfile(ws.master_path, source)
    from toolkit.master import workbook

    real = workbook.read_own_workbook
    calls = []

    def refused_once(path):
        if not calls:
            calls.append(path)
            _refuse_reads_of(monkeypatch, path, REFUSALS[fault](path), at=0)
        return real(path)

    monkeypatch.setattr("toolkit.master.importer.read_own_workbook", refused_once)
    result = _invoke(["init", str(tmp_path / "新"), "--master", str(source)])
    assert calls, "the own workbook was never looked at"
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("错误：") and f"“{source}”" in line, line
    assert not (tmp_path / "新" / "duban.toml").exists()


@pytest.mark.parametrize("fault", REFUSALS)
def test_an_excel_table_that_cannot_be_read_says_no_english(ws, tmp_path, monkeypatch, fault):
    """calamine's own words ("Permission denied (os error 13)") were put in the line."""
    from toolkit.master import tables

    source = tmp_path / "分工表.xlsx"
    shutil.copyfile(ws.master_path, source)

    def refuse(path):
        raise REFUSALS[fault](path)

    monkeypatch.setattr("python_calamine.load_workbook", refuse)
    with pytest.raises(Exception) as caught:
        tables.xlsx_grids(source)
    from toolkit import errors

    assert isinstance(caught.value, errors.SystemFault), caught.value
    assert f"“{source}”" in caught.value.message and "Error" not in caught.value.message


# ---------------------------------------------------------------------------
# init stopped half-way


@pytest.mark.parametrize("fault", ["disk-full", "ctrl-c"])
def test_init_stopped_at_the_master_can_be_run_again(tmp_path, monkeypatch, fault):
    """duban.toml was written before the master workbook: a disk full (or Ctrl-C) at the
    master left a folder that `duban init`, run again as the line asks, refused as "已经是一个
    工作区，无需再次创建", and every other command as having no 任务清单工作簿."""
    from toolkit import xlsx

    root = tmp_path / "督办"
    real = xlsx.atomic_save

    def stopped(wb, path, *args, **kwargs):
        if os.path.basename(path) == "任务分工表.xlsx":
            raise KeyboardInterrupt if fault == "ctrl-c" else OSError(errno.ENOSPC, "No space left on device",
                                                                        str(path))
        return real(wb, path, *args, **kwargs)

    with monkeypatch.context() as mp:
        mp.setattr(xlsx, "atomic_save", stopped)
        mp.setattr("toolkit.master.workbook.atomic_save", stopped)
        first = _invoke(["init", str(root), "--period", "2022-06"])
    assert first.exit_code == (130 if fault == "ctrl-c" else 2), first.output
    assert not (root / "任务分工表.xlsx").exists()
    again = _invoke(["init", str(root), "--period", "2022-06"])
    assert again.exit_code == 0, again.output
    assert (root / "任务分工表.xlsx").is_file()
    assert _invoke(["-w", str(root), "issue", "--dept", "万江街道"]).exit_code == 0


def test_demo_again_waits_for_the_run_holding_the_earlier_demo(tmp_path):
    """`duban demo` replaces an earlier demo's folder: double-clicked again while the first
    still ran (or a colleague's `duban run` in it), it deleted the folder under that run."""
    from toolkit.actions.demo import DEMO_MARK

    root = tmp_path / "督办演示"
    root.mkdir()
    (root / "duban.toml").write_text(DEMO_MARK + '\nperiod = "2022-06"\n', encoding="utf-8")
    (root / "汇总").mkdir()
    (root / "汇总" / "看着的汇总表.xlsx").write_bytes(b"PK")
    with find_workspace(root).lock():
        result = _invoke(["demo", str(root)])
    assert result.exit_code == 4, result.output
    assert result.stderr.startswith(BUSY_START), result.stderr
    assert (root / "汇总" / "看着的汇总表.xlsx").is_file()


def test_a_waiting_file_without_read_permission_for_real(issued_ws):
    """The same for real: chmod 000, and duban run as a user the permission binds (root
    without its capabilities, in a subprocess)."""
    from faults import can_drop_privileges, duban

    if not can_drop_privileges():
        pytest.skip("needs root and setpriv to run without the capability that reads any file")
    path = _waiting(issued_ws)
    path.chmod(0)
    try:
        result = duban(issued_ws.root, "status", unprivileged=True)
    finally:
        path.chmod(0o644)
    assert result.returncode == 1, result.stderr
    assert _note(NAME) in result.stdout
    assert "Traceback" not in result.stderr
