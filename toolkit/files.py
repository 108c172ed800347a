"""Writing files the coordinator will open: atomically, never over a file open in Excel.

Every output is written to a temp file in the same folder and renamed onto its target in
one step, so a crash or a locked target never leaves half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputLocked


def lock_files(path: Path) -> list[Path]:
    """Owner files Excel, WPS and LibreOffice leave beside a workbook they have open."""
    name = path.name
    candidates = [path.with_name("~$" + name), path.with_name(".~lock." + name + "#")]
    if len(name) > 2:
        candidates.append(path.with_name("~$" + name[2:]))
    return [p for p in candidates if p.exists()]


def check_writable(path: Path) -> None:
    """Raise OutputLocked if ``path`` is open in Excel, WPS or LibreOffice."""
    if lock_files(path):
        raise OutputLocked(f"“{path.name}”正被 Excel/WPS 打开，请先关闭该文件再运行。")


def atomic_write(path: Path, write) -> Path:
    """Run ``write(tmp_path)`` then move the result onto ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    check_writable(path)
    fd, tmp = tempfile.mkstemp(prefix=".~duban-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        # mkstemp makes the file private; give it the mode an ordinary save would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        os.replace(tmp, path)
    except PermissionError as exc:
        raise OutputLocked(f"无法写入“{path.name}”：文件正被其他程序打开或没有写入权限，请关闭后重试。") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


