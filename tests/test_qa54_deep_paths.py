"""A workspace in a deep folder (a QA helper's scenario): the ledger's path is longer than
SQLite takes (about 500 bytes on Linux and macOS, 260 characters on Windows without long
paths). duban must say the path is too long and where to move the workspace, not "没有写入
权限" (the coordinator would check permissions that are fine)."""
from __future__ import annotations

import shutil
import sqlite3

from toolkit import errors


def deep_copy(ws, tmp_path):
    """The workspace moved under C:\\Users\\张三\\Desktop\\2024年督办\\… as deep as offices nest it."""
    folder = tmp_path / "桌面"
    while len(str(folder / ".duban" / "ledger.sqlite3").encode()) < 560:
        folder = folder / "2024年督办工作（东莞市政务服务全域标准化专项行动）"
    shutil.copytree(ws.root, folder / "ws")
    return folder / "ws"


def test_a_workspace_too_deep_for_the_ledger_says_the_path_is_too_long(ws, tmp_path, run):
    root = deep_copy(ws, tmp_path)
    result = run(["-w", str(root), "issue", "--period", "2022-06"])
    assert result.exit_code == 2, result.output
    assert "路径过长" in result.output and "没有写入权限" not in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_deep_workspace_with_a_ledger_says_the_path_is_too_long_when_read(issued_ws, tmp_path, run):
    """Moved deeper after June's forms went out: reading commands cannot open the ledger either."""
    root = deep_copy(issued_ws, tmp_path)
    result = run(["-w", str(root), "status"])
    assert result.exit_code == 2, result.output
    assert "路径过长" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_sqlites_cannot_open_is_path_too_long_only_for_a_long_path(tmp_path):
    cannot = sqlite3.OperationalError("unable to open database file")
    assert isinstance(errors.os_fault(cannot, tmp_path / ".duban" / "ledger.sqlite3"), errors.NoPermission)
    deep = tmp_path / ("很深的文件夹" * 30) / ".duban" / "ledger.sqlite3"
    fault = errors.os_fault(cannot, deep)
    assert isinstance(fault, errors.PathTooLong) and "路径过长" in fault.message


LONG_PROJECT = ("东莞市2022年政务服务全域标准化专项行动暨优化营商环境改革攻坚行动及数字政府建设三年行动计划"
                "（2022—2024年）重点任务分工落实情况跟踪督办专项工作")


def test_a_long_project_name_gives_a_memo_name_every_file_system_takes():
    from types import SimpleNamespace

    from toolkit.memo.naming import memo_filename
    from toolkit.period import Period

    for project in (LONG_PROJECT, LONG_PROJECT.replace("重点任务", "主要任务")):
        name = memo_filename(SimpleNamespace(project=project, period=Period(2022, 6)))
        # LibreOffice's lock file beside it (".~lock.<name>#") must fit in 255 bytes too
        assert len(f".~lock.{name}#".encode()) <= 255 and name.startswith("关于2022年6月东莞市") and name.endswith("通报.docx")
    assert memo_filename(SimpleNamespace(project=LONG_PROJECT, period=Period(2022, 6))) != memo_filename(
        SimpleNamespace(project=LONG_PROJECT.replace("重点任务", "主要任务"), period=Period(2022, 6)))


def test_an_os_failure_outside_the_ledger_names_its_own_file_not_the_ledger(tmp_path):
    """The CLI passes the ledger's path for SQLite, which never names its file; an OSError that
    names one (a memo name too long for the disk) is about that file."""
    import errno

    memo = tmp_path / "通报" / "2022年6月" / ("关于" + "很长" * 90 + ".docx")
    exc = OSError(errno.ENAMETOOLONG, "File name too long", str(memo))
    fault = errors.os_fault(exc, fallback=tmp_path / ".duban" / "ledger.sqlite3")
    assert isinstance(fault, errors.PathTooLong) and str(memo) in fault.message
    cannot = sqlite3.OperationalError("disk I/O error")
    assert "ledger.sqlite3" in errors.os_fault(cannot, fallback=tmp_path / ".duban" / "ledger.sqlite3").message
