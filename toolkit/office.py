"""LibreOffice headless: PDF for the memo, and the round trips tests use to act as a
department's office suite. Optional: callers get None or a clear error when it is absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import errors
from .resources import resource


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def convert(src: Path, fmt: str, outdir: Path, fonts: Path | None = None,
            timeout: int = 180) -> Path:
    """Convert ``src`` with LibreOffice; ``fmt`` is a --convert-to argument such as
    ``pdf``, ``xlsx``, ``xls:"MS Excel 97"`` or ``ods``. Returns the written file."""
    binary = soffice()
    if binary is None:
        raise errors.UsageError("未安装 LibreOffice，无法转换文件。请安装 LibreOffice 后重试。")
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    font_file = fonts or resource("templates", "fonts.conf")
    if font_file.exists() and os.name != "nt":
        env["FONTCONFIG_FILE"] = str(font_file)
    # A private profile lets several conversions run at once and never touches the user's.
    with tempfile.TemporaryDirectory(prefix="duban-lo-") as profile:
        cmd = [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise errors.UsageError(f"LibreOffice 转换“{src.name}”超时。") from exc
    ext = fmt.split(":")[0]
    out = outdir / (src.stem + "." + ext)
    if proc.returncode != 0 or not out.exists():
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise errors.UsageError(f"LibreOffice 未能转换“{src.name}”：{detail[-1] if detail else '未知原因'}")
    return out
