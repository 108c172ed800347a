"""The kit's own file steps (`actions.kit`): swapping the finished folder in, and the zip."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

from .. import errors


def replace_folder(staging: Path, folder: Path) -> None:
    """Swap the finished kit in; a previous kit is removed only once the new one is in place."""
    old = None
    if folder.exists():
        old = folder.parent / f".~duban-old-{folder.name}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    try:
        os.replace(staging, folder)
    except BaseException as exc:  # refused or Ctrl-C: the previous kit back, not hidden in .~duban-old (QA280)
        if old is not None:
            try:
                os.replace(old, folder)
            except OSError as again:
                reason = errors.os_reason(exc if isinstance(exc, OSError) else again)
                raise errors.SystemFault(f"无法把新的安装包放到“{folder}”（{reason}），"
                                         f"上一次生成的安装包已移到“{old}”。"
                                         "请把它改回原名，或用 --out 指定别的文件夹后重新运行。") from None
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def fix_line_ends(workbooks: Path) -> None:
    """The scripts as bash and cmd.exe need them, whatever the checkout did: a source cloned
    with Git for Windows' defaults (or a .sh saved by Notepad) has CRLF, and bash stops at
    the CR ("$'\\r': command not found") on the Linux PC the kit is carried to."""
    for path in workbooks.iterdir():
        if path.suffix not in (".sh", ".command", ".bat"):
            continue
        data = path.read_bytes()
        fixed = data.replace(b"\r\n", b"\n")
        if path.suffix == ".bat":
            fixed = fixed.replace(b"\n", b"\r\n")
        if fixed != data:
            path.write_bytes(fixed)


def stamp_version(init: Path, when: dt.datetime) -> None:
    """Give the duban a kit is built with its build time as a local version, 0.1.0 becoming
    0.1.0+20261206.165312. The version number rarely changes, so last month's kit and this
    month's both held duban 0.1.0: pip kept the installed one ("Requirement already
    satisfied") and an upgrade left the office on last month's code. Stamped, a newer kit's
    duban is newer for pip (local versions compare segment by segment), an older kit's is
    older and never replaces it, and ``duban --version`` tells the two apart."""
    text = init.read_text(encoding="utf-8")
    stamped = re.sub(r'^(__version__ = "[^"+]+)"', rf'\g<1>+{when:%Y%m%d.%H%M%S}"', text, count=1, flags=re.M)
    init.write_text(stamped, encoding="utf-8")


def zip_folder(folder: Path, zip_path: Path) -> None:
    """Zip the kit under its folder name. Modes are set explicitly (as if made on Unix), so
    .sh scripts keep their execute bit even when the kit was built on Windows; empty folders
    (收件箱) get their own entries; wheels are stored, as they are compressed already."""
    tmp = zip_path.with_name(f".~duban-{zip_path.name}")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path in [folder, *sorted(folder.rglob("*"))]:
                arc = folder.name + ("/" + path.relative_to(folder).as_posix() if path != folder else "")
                if path.is_dir():
                    info = zipfile.ZipInfo(arc + "/", _zip_time(path))
                    info.create_system = 3
                    info.external_attr = (0o40755 << 16) | 0x10
                    z.writestr(info, b"")
                    continue
                info = zipfile.ZipInfo(arc, _zip_time(path))
                info.create_system = 3
                executable = path.suffix in (".sh", ".command")
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                with open(path, "rb") as src, z.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, zip_path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _zip_time(path: Path) -> tuple[int, int, int, int, int, int]:
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
    return max(stamp, dt.datetime(1980, 1, 1)).timetuple()[:6]
