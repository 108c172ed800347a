"""LibreOffice headless: PDF for the memo, and the round trips tests use to act as a
department's office suite. Optional: callers get None or a clear error when it is absent."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from . import errors, files
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
    with files.temp_folder(outdir, "lo") as profile:
        cmd = [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src)]
        proc = _run(cmd, env, timeout, src)
    ext = fmt.split(":")[0]
    out = outdir / (src.stem + "." + ext)
    if proc.returncode != 0 or not out.exists():
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise errors.UsageError(f"LibreOffice 未能转换“{src.name}”：{detail[-1] if detail else '未知原因'}")
    return out


def _run(cmd: list[str], env: dict[str, str], timeout: int, src: Path) -> subprocess.CompletedProcess:
    """Run LibreOffice in its own process group, and end the whole group (soffice starts
    soffice.bin as a child) if the conversion times out or duban is interrupted: an orphaned
    soffice.bin would keep writing into the profile folder being removed."""
    posix = os.name != "nt"
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            stdin=subprocess.DEVNULL, start_new_session=posix,
                            creationflags=0 if posix else subprocess.CREATE_NEW_PROCESS_GROUP)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _end(proc)
        raise errors.UsageError(f"LibreOffice 转换“{src.name}”超时。") from exc
    except BaseException:
        _end(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _end(proc: subprocess.Popen) -> None:
    if os.name != "nt":
        import signal

        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.communicate(timeout=10)
