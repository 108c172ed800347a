"""A fault sweep (QA301): what QA152, QA276 and QA280 left, met for real (no capability,
a full tmpfs, deep paths, signals) over every command that writes.

- ``.duban/tmp`` that refuses new files (a workspace copied from a colleague's account, a
  share whose hidden folder another user made): every output's temporary file is made
  there, the refusal was taken for the target held open, and merge and memo said
  "无法写入“2022年6月_进展汇总表.xlsx”：文件正被其他程序打开，请关闭后重试。" about a file
  nobody had open (issue and remind named 下发/汇总 folders that were writable). Closing
  Excel and retrying changed nothing. The temporary file now goes beside the target
  then, as outside a workspace, and the output is written.
"""

from __future__ import annotations

import errno
import os
import tempfile

import pytest
from click.testing import CliRunner
from conftest import drop, on_time
from faults import can_drop_privileges, duban

from toolkit import files
from toolkit.cli import cli
from toolkit.filling import Answer, Filling, fill_return

DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
NAME = "2022年6月_万江街道_进展填报表.xlsx"


def _tmp_refuses(monkeypatch, root) -> None:
    """New files and folders in ``root/.duban/tmp`` are refused, as a folder without write
    permission refuses them (root ignores the mode, so the refusal is played)."""
    tmp = os.path.abspath(root / ".duban" / "tmp")
    real_file, real_dir = tempfile.mkstemp, tempfile.mkdtemp

    def refused(real):
        def make(*args, dir=None, **kwargs):
            if dir is not None and os.path.abspath(dir) == tmp:
                raise PermissionError(errno.EACCES, "Permission denied", os.path.join(tmp, "x"))
            return real(*args, dir=dir, **kwargs)
        return make

    monkeypatch.setattr(tempfile, "mkstemp", refused(real_file))
    monkeypatch.setattr(tempfile, "mkdtemp", refused(real_dir))


def _collected(issued_ws):
    source = issued_ws.root / "下发" / "2022年6月" / NAME
    drop(issued_ws, NAME, fill_return(source, Filling(answers={"1.2": DONE, "2.1": DONE})), on_time())
    done = CliRunner().invoke(cli, ["-w", str(issued_ws.root), "collect"])
    assert done.exit_code in (0, 1), done.output
    return issued_ws


def test_an_output_is_written_when_the_temporary_folder_refuses(issued_ws, monkeypatch):
    target = issued_ws.root / "汇总" / "2022年6月" / "x.xlsx"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old")
    _tmp_refuses(monkeypatch, issued_ws.root)
    files.atomic_write(target, lambda tmp: tmp.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.xlsx"]  # nothing temporary left


@pytest.mark.parametrize(("command", "folder"), [("merge", "汇总"), ("memo", "通报")])
def test_merge_and_memo_write_when_the_temporary_folder_refuses(issued_ws, monkeypatch, command, folder):
    ws = _collected(issued_ws)
    first = CliRunner().invoke(cli, ["-w", str(ws.root), command])
    assert first.exit_code in (0, 1), first.output
    _tmp_refuses(monkeypatch, ws.root)
    again = CliRunner().invoke(cli, ["-w", str(ws.root), command])
    assert again.exit_code in (0, 1), again.output
    assert "正被其他程序打开" not in again.output and "错误" not in again.output
    written = list((ws.root / folder / "2022年6月").iterdir())
    assert [p.name for p in written if p.name.startswith(".~")] == []


@pytest.mark.skipif(not can_drop_privileges(), reason="needs root and setpriv to run without capabilities")
def test_a_read_only_temporary_folder_for_real(issued_ws):
    ws = _collected(issued_ws)
    assert duban(ws.root, "merge").returncode in (0, 1)
    tmp = ws.root / ".duban" / "tmp"
    tmp.mkdir(exist_ok=True)
    os.chmod(tmp, 0o555)
    try:
        done = duban(ws.root, "merge", unprivileged=True)
    finally:
        os.chmod(tmp, 0o755)
    assert done.returncode in (0, 1), done.stderr
    assert "正被其他程序打开" not in done.stderr and "错误" not in done.stderr
