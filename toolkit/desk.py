"""The coordinator's desk: the one-shot monthly run and opening outputs.

`run_cycle` is what 一键月报 and `duban run` do: collect, then merge, then memo.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .dates import Period
from .progress import Progress, no_progress
from .workspace import FEEDBACK, INBOX, ISSUED, MEMOS, MERGED, Workspace

log = logging.getLogger("duban")


@dataclass
class RunResult:
    """What one monthly run did and where its outputs are."""

    period: Period
    collected: object          # intake.CollectResult
    merged: object             # consolidate.MergeResult
    memo: object | None        # memo.MemoResult
    memo_error: str = ""

    @property
    def missing_units(self) -> list[str]:
        return [u.unit for u in self.merged.consolidation.units if u.state == "未报送"]

    @property
    def returned_units(self) -> list[str]:
        return [u.unit for u in self.merged.consolidation.units if u.state == "退回待改"]


def run_cycle(ws: Workspace, period: str | Period | None = None, pdf: bool = False,
              progress: Progress = no_progress) -> RunResult:
    """Collect the inbox for ``period``, merge, and write the memo."""
    from .consolidate import merge
    from .intake import collect
    from .ledger import Ledger

    target = ws.period(period)
    collected = collect(ws, str(target) if period else None, progress)
    with Ledger(ws.ledger_path) as ledger:
        received = ledger.receipts(str(target))
    if not received:
        raise errors.NothingToDo(f"收件箱是空的，{target.label}还没有收到任何报送。"
                                 f"请把报送的文件、邮件或压缩包放进“{ws.inbox.name}”文件夹后再运行。")
    merged = merge(ws, target)
    memo_result, memo_error = None, ""
    try:
        from .memo import write_memo

        memo_result = write_memo(ws, target, None, pdf)
    except errors.DubanError as exc:
        # The consolidated workbook is already safe; a broken memo template must not hide it.
        memo_error = exc.message
        log.error("通报未生成：%s", exc.message)
    return RunResult(target, collected, merged, memo_result, memo_error)


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
        files = [p for p in base.rglob("*") if p.suffix in suffixes and not p.name.startswith((".", "~$"))]
        if not files:
            raise errors.NothingToDo(f"还没有生成过{'汇总表' if stage == MERGED else '通报'}。"
                                     f"请先运行 {'duban merge' if stage == MERGED else 'duban memo'}。")
        return max(files, key=lambda p: p.stat().st_mtime)
    if not base.exists():
        raise errors.NothingToDo(f"文件夹“{base}”还不存在。")
    return base


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
