"""`duban open`: the latest 汇总表 or 通报, or a stage folder, in the system's default program."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .. import errors
from ..office_edits import is_kept_copy
from ..period import Period
from ..workspace import FEEDBACK, INBOX, ISSUED, MEMOS, MERGED, Workspace

OPEN_TARGETS = {
    "文件夹": None, "工作区": None, "folder": None,
    "汇总": MERGED, "汇总表": MERGED, "merged": MERGED,
    "通报": MEMOS, "memo": MEMOS,
    "收件箱": INBOX, "inbox": INBOX,
    "反馈": FEEDBACK, "feedback": FEEDBACK,
    "下发": ISSUED, "issued": ISSUED,
}


def find_output(ws: Workspace, what: str = "文件夹", period: str | Period | None = None) -> Path:
    """The file or folder ``duban open WHAT`` means: the latest 汇总表 or 通报, or a folder."""
    key = what.strip()
    if key not in OPEN_TARGETS:
        choices = "、".join(("文件夹", "汇总", "通报", "收件箱", "反馈", "下发"))
        raise errors.UsageError(f"不知道要打开“{what}”。可以打开：{choices}。")
    stage = OPEN_TARGETS[key]
    if stage is None:
        return ws.root
    if stage in (INBOX,):
        return ws.inbox
    base = ws.stage_dir(stage, Period.parse(period) if period else None)
    suffixes = {MERGED: (".xlsx",), MEMOS: (".docx",)}.get(stage)
    if suffixes:
        files = [p for p in _files_under(base) if p.suffix in suffixes and not is_temporary(p)]
        if not files:
            made, how = (("汇总表", "duban merge（或双击“2-收取并汇总”）") if stage == MERGED
                         else ("通报", "duban memo（或双击“3-生成通报”）"))
            raise errors.NothingToDo(f"还没有生成过{made}。请先运行 {how}。")
        # the office's version kept beside it (`office_edits`) is not the 通报, though saved later
        return max(files, key=lambda p: (not is_kept_copy(p), p.stat().st_mtime))
    if not base.exists():
        raise errors.NothingToDo(f"文件夹“{base}”还不存在。")
    return base


def _files_under(base: Path) -> list[Path]:
    """Every file below ``base`` (none when it does not exist). A folder that cannot be read
    raises: `Path.rglob` passed over it, and an office whose 通报 sat in it was told
    "还没有生成过通报" (QA276)."""
    def refuse(exc: OSError) -> None:
        if not (isinstance(exc, FileNotFoundError) and exc.filename == str(base)):
            raise (errors.os_fault(exc, op="read") or exc) from exc  # listing a folder is a read

    return [Path(folder) / name for folder, _, names in os.walk(base, onerror=refuse) for name in names]


_TEMPFILE = re.compile(r"tmp[a-z0-9_]{8}\.\w+")


def is_temporary(path: Path) -> bool:
    """Half-written or owner files: ours (``.~duban-*``), Office's (``~$*``, ``.~lock.*``),
    and tempfile names left in 汇总 by versions that wrote temporary files there."""
    return path.name.startswith((".", "~$")) or bool(_TEMPFILE.fullmatch(path.name))


def open_path(path: Path) -> bool:
    """Open a file or folder with the system's default application. False if impossible.

    ``DUBAN_OPEN_COMMAND`` overrides the opener (tests, or an office's own viewer).
    """
    override = os.environ.get("DUBAN_OPEN_COMMAND")
    try:
        if override:
            subprocess.Popen([*override.split(), str(path)])
            return True
        if sys.platform.startswith("win"):
            os.startfile(str(path))  # type: ignore[attr-defined]
            return True
        opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
        if not opener:
            return False
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except OSError:
        return False
