"""`duban kit`: an offline install kit for a coordinator's PC without internet or admin rights.

The kit is one folder (and a .zip of it) carried on a USB stick:

    督办离线安装包/
      安装说明.txt      one page for the coordinator and IT
      wheels/          duban's wheel, pip's wheel, every dependency as a binary wheel for each
                       platform × Python, 适用范围.txt (shown by 0-首次安装 when it fails) and
                       python-versions.txt (checked by 0-首次安装 before it makes .venv)
      督办工作区/        a ready workspace: double-click scripts, master workbook, templates, 收件箱

Building needs the package registry once; using the kit never does: ``0-首次安装`` creates
``.venv`` inside the workspace and runs ``pip install --no-index --find-links wheels duban``.

Why pip runs with a patched marker environment: ``pip download --platform win_amd64`` still
evaluates environment markers (``sys_platform == "win32"``) against the machine it runs on
(pypa/pip#4289, #6117, #13262), so a kit built on Linux would silently lack tzdata and
pywin32-ctypes for Windows, and carry SecretStorage it does not need. pip runs in a child
process whose ``packaging.markers.default_environment`` answers for the target instead; the
same trick verifies afterwards that every target resolves from the kit alone, offline.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import errors
from ..progress import Progress, no_progress
from .kit_files import fix_line_ends as _fix_line_ends
from .kit_files import replace_folder as _replace_folder
from .kit_files import stamp_version as _stamp_version
from .kit_files import zip_folder as _zip_folder

DEFAULT_FOLDER = "督办离线安装包"
WORKSPACE_FOLDER = "督办工作区"
WHEELS_FOLDER = "wheels"
GUIDE_NAME = "安装说明.txt"
RANGE_NAME = "适用范围.txt"
# One line, "3.10 3.11 3.12 3.13 3.14": the Pythons the kit holds wheels for, which 0-首次安装 checks
# the PC's Python against before making .venv (pip's own failure would come after, in English).
PYTHONS_NAME = "python-versions.txt"
INSTALLER = "0-首次安装"

PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
# UOS 20 and Kylin V10 ship glibc 2.28: a wheel tagged for a newer glibc would not load there.
GLIBC_MAX = 28
# Free space 0-首次安装 asks for; the scripts state the same figure.
NEEDED_MB = 300
# Longest workspace path 0-首次安装.bat installs into (why: its comment; the tests keep it true).
MAX_WORKSPACE_CHARS = 120
# What a full kit takes, folder and zip together (all platforms and Pythons).
KIT_MB = 300
# pip runs at once: a download spends most of its time waiting for index pages, one after
# another, so more runs than cores keep both the line and the CPU busy.
WORKERS = 8


class KitError(errors.UsageError):
    """The kit cannot be built (no registry, no source, a bad option)."""


@dataclass(frozen=True)
class Platform:
    key: str
    label: str
    pip_platforms: tuple[str, ...]
    markers: tuple[tuple[str, str], ...]


def _manylinux(arch: str) -> tuple[str, ...]:
    # pip expands neither PEP 600 tags nor manylinux2014 on aarch64, so list every glibc
    # from the ceiling down to the oldest manylinux, plus the legacy aliases.
    tags = [f"manylinux_2_{minor}_{arch}" for minor in range(GLIBC_MAX, 4, -1)]
    tags.append(f"manylinux2014_{arch}")
    if arch == "x86_64":
        tags += [f"manylinux2010_{arch}", f"manylinux1_{arch}"]
    return tuple(tags)


_LINUX = (("sys_platform", "linux"), ("os_name", "posix"), ("platform_system", "Linux"))
PLATFORMS: dict[str, Platform] = {
    "win_amd64": Platform("win_amd64", "Windows 64 位", ("win_amd64",),
                          (("sys_platform", "win32"), ("os_name", "nt"), ("platform_system", "Windows"),
                           ("platform_machine", "AMD64"), ("platform_release", "10"))),
    "manylinux_x86_64": Platform("manylinux_x86_64", "Linux x86_64", _manylinux("x86_64"),
                                 (*_LINUX, ("platform_machine", "x86_64"))),
    "manylinux_aarch64": Platform("manylinux_aarch64", "Linux ARM64（aarch64）", _manylinux("aarch64"),
                                  (*_LINUX, ("platform_machine", "aarch64"))),
}
_PLATFORM_ALIASES = {
    "win": "win_amd64", "windows": "win_amd64", "win64": "win_amd64", "amd64": "win_amd64",
    "linux": "manylinux_x86_64", "x86_64": "manylinux_x86_64", "linux_x86_64": "manylinux_x86_64",
    "aarch64": "manylinux_aarch64", "arm64": "manylinux_aarch64", "linux_aarch64": "manylinux_aarch64",
}

# Runs pip with the marker environment of the target (see the module docstring).
_PIP_FOR_TARGET = """\
import json, sys
import pip._vendor.packaging.markers as markers
target = json.loads(sys.argv[1])
host = markers.default_environment
def default_environment():
    env = host()
    env.update(target)
    return env
markers.default_environment = default_environment
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""

# What pip prints when it could not reach the index; anything else is not the network's fault.
_NETWORK_SIGNS = ("NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
                  "Name or service not known", "getaddrinfo failed", "ConnectTimeoutError", "ReadTimeoutError",
                  "ProxyError", "SSLError", "Max retries exceeded", "Connection refused", "Network is unreachable",
                  "No route to host", "RemoteDisconnected", "ConnectionResetError")
_MISSING = re.compile(r"(?:No matching distribution found for|Could not find a version that satisfies the requirement)"
                      r"\s+([A-Za-z0-9][A-Za-z0-9._-]*)")
_WRONG_PYTHON = re.compile(r"Package '([^']+)' requires a different Python")

# Never copied into the wheel build: a developer's workspace outputs and caches.
_SOURCE_IGNORE = shutil.ignore_patterns(".venv", "__pycache__", "*.pyc", ".duban", "收件箱", "下发", "归档", "反馈",
                                        "汇总", "通报", "日志", ".pytest_cache", ".~duban-*")
_SOURCE_ENTRIES = ("setup.cfg", "setup.py", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in",
                   "toolkit", "templates", "workbooks")


@dataclass(frozen=True)
class Target:
    platform: Platform
    python: str

    @property
    def name(self) -> str:
        return f"{self.platform.key}-py{self.python}"

    @property
    def label(self) -> str:
        return f"{self.platform.label} / Python {self.python}"

    def markers(self) -> dict[str, str]:
        env = dict(self.platform.markers)
        env.update(python_version=self.python, python_full_version=f"{self.python}.0",
                   implementation_name="cpython", implementation_version=f"{self.python}.0",
                   platform_python_implementation="CPython")
        return env

    def pip_options(self) -> list[str]:
        options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", self.python]
        for tag in self.platform.pip_platforms:
            options += ["--platform", tag]
        return options


@dataclass(frozen=True)
class Gap:
    """One platform × Python the kit cannot install on, and the package that is missing."""

    platform: str
    python: str
    package: str
    reason: str

    def line(self) -> str:
        return f"  {PLATFORMS[self.platform].label} / Python {self.python}：{self.package}（{self.reason}）"


@dataclass
class KitResult:
    folder: Path
    zip_path: Path | None
    version: str
    platforms: list[str]
    pythons: list[str]
    wheels: int = 0
    size: int = 0
    zip_size: int = 0
    verified: list[tuple[str, str]] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    mixed_versions: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What `duban kit` prints."""
        out = [f"离线安装包：{self.folder}",
               f"  督办 {self.version}；安装文件 {self.wheels} 个，共 {_mb(self.size)} MB"]
        if self.verified:
            out.append(f"  适用于：{_range_text(self.verified)}（已逐一验证可以不联网安装）")
        if self.mixed_versions:
            parts = [f"{name} {'/'.join(versions)}" for name, versions in sorted(self.mixed_versions.items())]
            out.append("  以下组件在各平台上版本不一（最新版不支持其中一些平台或 Python，已选用能装的版本）："
                       + "、".join(parts))
        if self.zip_path is not None:
            out.append(f"压缩包：{self.zip_path}（{_mb(self.zip_size)} MB）")
        if self.gaps:
            out.append("【注意】以下电脑用不了本安装包，缺少二进制安装文件：")
            out += [gap.line() for gap in self.gaps]
        out.append(f"下一步：把{'压缩包' if self.zip_path else '整个文件夹'}拷到要安装的电脑上，"
                   f"按“{GUIDE_NAME}”双击“{WORKSPACE_FOLDER}”里的 {INSTALLER}。")
        return out


def build_kit(out: Path | None = None, platforms: list[str] | None = None, pythons: list[str] | None = None, *,
              wheel: Path | None = None, make_zip: bool = True, progress: Progress = no_progress) -> KitResult:
    """Build the offline kit folder (and its .zip) at ``out`` (default ./督办离线安装包).

    Every wheel is fetched once from the package registry configured for pip; afterwards each
    platform × Python is checked to install from the kit alone. A combination with no binary
    wheel for some package is reported in ``KitResult.gaps``, not hidden; when no combination
    works at all, `KitError` is raised.
    """
    chosen = _platforms(platforms)
    versions = _pythons(pythons)
    _check_pip()
    targets = [Target(PLATFORMS[p], v) for p in chosen for v in versions]
    folder = Path(out) if out else Path.cwd() / DEFAULT_FOLDER
    folder = folder.resolve()
    _check_out(folder)
    if wheel is not None:
        wheel = _check_wheel(Path(wheel))
    try:
        return _build(folder, targets, chosen, versions, wheel, make_zip, progress)
    except OSError as exc:
        raise _os_error(exc, folder) from exc
    except errors.SystemFault as fault:  # `init` in the staging folder names its hidden path
        raise (_os_error(fault.__cause__, folder) if isinstance(fault.__cause__, OSError) else fault) from fault


def _build(folder: Path, targets: list[Target], chosen: list[str], versions: list[str], wheel: Path | None,
           make_zip: bool, progress: Progress) -> KitResult:
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".~duban-kit-", dir=folder.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the kit is for sharing
    try:
        wheels = staging / WHEELS_FOLDER
        wheels.mkdir()
        _fetch_pip(wheels)  # first contact with the registry: a network failure surfaces here
        duban = _build_duban_wheel(staging / ".build") if wheel is None else wheel
        version = duban.name.split("-")[1]
        shutil.copy2(duban, wheels / duban.name)
        gaps = _download(targets, wheels / duban.name, staging / ".targets", wheels, progress)
        failed = {(g.platform, g.python) for g in gaps}
        good = [t for t in targets if (t.platform.key, t.python) not in failed]
        if not good:
            raise KitError("所有平台都缺少安装文件，无法生成安装包：" + "；".join(g.line().strip() for g in gaps))
        gaps += _verify(good, wheels, progress)
        failed = {(g.platform, g.python) for g in gaps}
        verified = [(t.platform.key, t.python) for t in targets if (t.platform.key, t.python) not in failed]
        if not verified:
            raise KitError("安装包验证失败，没有一个平台能离线安装：" + "；".join(g.line().strip() for g in gaps))
        shutil.rmtree(staging / ".targets", ignore_errors=True)
        shutil.rmtree(staging / ".build", ignore_errors=True)
        (wheels / RANGE_NAME).write_text(f"本安装包适用于：{_range_text(verified)}。\n", encoding="utf-8")
        (wheels / PYTHONS_NAME).write_text(_pythons_line(verified), encoding="ascii", newline="")
        _make_workspace(staging / WORKSPACE_FOLDER, wheels / duban.name)
        _write_guide(staging / GUIDE_NAME, version, verified, gaps)
        result = KitResult(folder, None, version, chosen, versions, verified=verified, gaps=gaps,
                           mixed_versions=_mixed_versions(wheels))
        result.wheels = sum(1 for p in wheels.iterdir() if p.suffix == ".whl")
        result.size = sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())
        _replace_folder(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if make_zip:
        result.zip_path = folder.parent / f"{folder.name}-{version}.zip"
        _zip_folder(folder, result.zip_path)
        result.zip_size = result.zip_path.stat().st_size
    return result


def _os_error(exc: OSError, folder: Path) -> KitError | OSError:
    """A full disk or a folder we may not write to is the user's to fix: say which. The
    folder the kit goes to is named, not the temporary one the OS named; a file outside it
    (the --wheel given) was read, and "没有权限写入" of it was wrong (QA280)."""
    named = Path(exc.filename) if exc.filename else folder.parent
    if not named.is_relative_to(folder.parent):
        return errors.os_fault(exc, named, op="read") or exc
    where = folder.parent if ".~duban-" in str(named.relative_to(folder.parent)) else named
    if isinstance(errors.os_fault(exc), errors.DiskFull):
        return KitError(f"磁盘空间不足，无法在“{folder.parent}”生成安装包（约需 {KIT_MB} MB）。"
                        "请腾出空间，或用 --out 指定别的磁盘。")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return KitError(f"没有权限写入“{where}”。请用 --out 指定一个自己有写权限的文件夹。")
    return errors.os_fault(exc, where, op="write") or exc


def refresh_scripts(root: str | Path, keep_installer: bool = False) -> list[Path]:
    """Replace a workspace's double-click scripts with those of the installed duban, and the
    templates an earlier version shipped that the office never edited (`refresh_templates`).

    ``0-首次安装`` calls this after an upgrade so new scripts match the new commands; nothing
    else in the workspace is touched. ``keep_installer`` leaves ``0-首次安装.*`` alone: cmd.exe
    rereads a running .bat by byte offset, so overwriting the installer while it runs would
    make it execute the middle of some other line. Each file is replaced in one rename, so
    bash (which keeps reading the file it opened) is safe.
    """
    # deferred: the installer runs this function alone (python -I -c) right after an upgrade,
    # and `duban kit`'s own start-up should not pay for the workspace module either
    from ..resources import resource_dir
    from ..settings import read_settings
    from ..shipped_templates import refresh_templates
    from ..workspace import CONFIG_NAME, SCRIPT_COMMON, SCRIPTS

    root = Path(root)
    src = resource_dir("workbooks")
    names = [SCRIPT_COMMON] + [stem + ext for stem in SCRIPTS for ext in (".bat", ".command", ".sh")]
    written = []
    for name in names:
        if keep_installer and name.startswith(INSTALLER):
            continue
        source = src / name
        if not source.is_file():
            continue
        target = root / name
        tmp = root / f".~duban-{name}"
        shutil.copy2(source, tmp)
        if not name.endswith(".bat"):
            tmp.chmod(0o755)
        os.replace(tmp, target)
        written.append(target)
    try:  # duban.toml's [paths] templates, as the workspace reads it
        folder = root / read_settings(root / CONFIG_NAME).templates
    except Exception:  # one this version cannot read: its scripts all the same, its templates not
        return written
    return written + refresh_templates(folder)


# ---------------------------------------------------------------------------
# options


def _platforms(given: list[str] | None) -> list[str]:
    if not given:
        return list(PLATFORMS)
    chosen = []
    for raw in given:
        key = raw.strip().lower().replace("-", "_")
        if key not in PLATFORMS:
            if key.startswith("manylinux"):
                key = "manylinux_aarch64" if key.endswith("aarch64") else \
                    "manylinux_x86_64" if key.endswith("x86_64") else key
            key = _PLATFORM_ALIASES.get(key, key)
        if key not in PLATFORMS:
            raise KitError(f"不认识的平台“{raw}”。可选：{'、'.join(PLATFORMS)}。")
        if key not in chosen:
            chosen.append(key)
    return chosen


def _pythons(given: list[str] | None) -> list[str]:
    if not given:
        return list(PYTHONS)
    chosen = []
    for raw in given:
        text = raw.strip()
        match = re.fullmatch(r"3\.?(\d{1,2})", text)
        version = f"3.{match.group(1)}" if match else text
        if version not in PYTHONS:
            raise KitError(f"不支持的 Python 版本“{raw}”。可选：{'、'.join(PYTHONS)}。")
        if version not in chosen:
            chosen.append(version)
    return sorted(chosen, key=PYTHONS.index)  # "3.12、3.14" in the range, however they were typed


def _check_out(folder: Path) -> None:
    """Refuse to replace a folder that is not a previous kit: it may hold someone's files."""
    if folder.is_file():
        raise KitError(f"“{folder}”是一个文件，请用 --out 指定一个文件夹。")
    if folder.is_dir() and any(folder.iterdir()) and not _is_kit(folder):
        raise KitError(f"文件夹“{folder}”已存在且不是督办安装包。为免覆盖其中的文件，请用 --out 指定一个新文件夹。")


def _is_kit(folder: Path) -> bool:
    return (folder / GUIDE_NAME).is_file() and (folder / WHEELS_FOLDER).is_dir()


def _check_wheel(path: Path) -> Path:
    if not path.is_file():
        raise KitError(f"找不到安装文件“{path}”。")
    if path.suffix != ".whl" or not path.name.lower().startswith("duban-"):
        raise KitError(f"“{path.name}”不是督办的安装文件（应为 duban-版本-py3-none-any.whl）。")
    return path.resolve()


# ---------------------------------------------------------------------------
# pip


def _check_pip() -> None:
    """`pip install --dry-run` (the offline check) needs pip 22.2 or newer."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("pip")
    except PackageNotFoundError:
        raise KitError("生成安装包需要 pip，但当前 Python 没有安装 pip。") from None
    if _version_key(found)[:2] < (22, 2):
        raise KitError(f"pip {found} 太旧，生成安装包需要 22.2 或更新版本。"
                       "请先运行：python -m pip install --upgrade pip")


def _pip_env(offline: bool = False) -> dict[str, str]:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PYTHONIOENCODING="utf-8")
    if offline:
        # The check must see the kit only: no pip.conf find-links, no index, no proxy.
        env = {k: v for k, v in env.items() if not k.startswith("PIP_") or k in ("PIP_DISABLE_PIP_VERSION_CHECK",
                                                                                  "PIP_NO_INPUT")}
        env["PIP_CONFIG_FILE"] = os.devnull
    return env


def _pip(args: list[str], target: Target | None = None, offline: bool = False) -> subprocess.CompletedProcess:
    if target is None:
        command = [sys.executable, "-m", "pip", *args]
    else:
        command = [sys.executable, "-c", _PIP_FOR_TARGET, json.dumps(target.markers()), *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              env=_pip_env(offline), timeout=3600)
    except subprocess.TimeoutExpired as exc:
        raise KitError("下载安装文件超过 1 小时仍未完成，请检查与软件包仓库的连接后重试。") from exc


def _network_failed(output: str) -> bool:
    return any(sign in output for sign in _NETWORK_SIGNS)


def _disk_failed(output: str) -> bool:
    return "Errno 28" in output or "No space left on device" in output


def _last_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors_ = [line for line in lines if line.startswith("ERROR")]
    return (errors_ or lines or ["（pip 没有输出）"])[-1]


def _registry_error(output: str) -> KitError:
    found = re.search(r"Looking in indexes: (\S+?),?(?:\s|$)", output)
    index = found.group(1) if found else (os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple")
    reason = re.search(r"Failed to establish a new connection: (?:\[Errno -?\d+\] )?([^'\")]+)", output) or \
        re.search(r"(Temporary failure in name resolution|Name or service not known|getaddrinfo failed|"
                  r"Connection refused|Network is unreachable|No route to host|timed out|ProxyError|SSLError)", output)
    why = f"（{reason.group(1).strip()}）" if reason else ""
    return KitError(f"无法连接软件包仓库 {index}{why}。生成安装包需要联网一次，"
                    "请在能访问 PyPI（或单位内部镜像）的电脑上运行 duban kit。")


def _fetch_pip(dest: Path) -> None:
    """pip's own wheel, so 0-首次安装 can bootstrap pip where Python lacks ensurepip (Debian,
    UOS and Kylin without python3-venv). Also the first call to the registry: run with -vv,
    because pip names a connection it could not make only at debug level when it gives up."""
    done = _pip(["download", "-vv", "--no-deps", "--only-binary=:all:", "--progress-bar", "off", "--dest", str(dest),
                 "pip"])
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if _network_failed(output):
            raise _registry_error(output)
        raise KitError(f"软件包仓库里找不到 pip 的安装文件（{_last_error(output)}）。"
                       "请检查 pip 的仓库设置（PIP_INDEX_URL 或 pip.conf）。")


def _source_root() -> Path | None:
    root = Path(__file__).resolve().parents[2]
    return root if (root / "setup.cfg").is_file() and (root / "toolkit").is_dir() else None


def _build_duban_wheel(build: Path) -> Path:
    """duban's wheel from this source checkout, built from a clean copy: an in-tree build
    reuses build/lib, where a module deleted since the last build would still be packed."""
    root = _source_root()
    if root is None:
        raise KitError("找不到督办的源代码（当前安装的督办不是从源代码安装的）。"
                       "请用 --wheel 指定 duban 的安装文件（duban-版本-py3-none-any.whl）。")
    src = build / "src"
    src.mkdir(parents=True)
    for name in _SOURCE_ENTRIES:
        path = root / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=_SOURCE_IGNORE)
        elif path.is_file():
            shutil.copy2(path, src / name)
    if (src / "workbooks").is_dir():
        _fix_line_ends(src / "workbooks")
    _stamp_version(src / "toolkit" / "__init__.py", dt.datetime.now())
    done = _pip(["wheel", "--no-deps", "--progress-bar", "off", "--wheel-dir", str(build), str(src)])
    found = sorted(build.glob("duban-*.whl"))
    if done.returncode != 0 or not found:
        output = done.stdout + done.stderr
        if _network_failed(output):
            raise _registry_error(output)
        raise KitError(f"从源代码构建督办的安装文件失败：{_last_error(output)}")
    return found[-1]


def _download(targets: list[Target], duban: Path, work: Path, wheels: Path, progress: Progress) -> list[Gap]:
    """Download each target's closure into its own folder (parallel pip runs must not write
    the same file at once), then merge them into the wheelhouse.

    A target of another OS gets a second, best-effort download with this machine's markers:
    plain ``pip install --dry-run --platform win_amd64`` run here to check the kit evaluates
    markers for Linux and wants SecretStorage's cryptography for Windows too. With those few
    extra wheels that check passes as well (not for 3.14 on a machine with an older Python: it
    asks for py7zr's backports.zstd, gated on python_version < "3.14", which has no cp314
    wheel, so that download fails and is ignored); a real install never uses them.
    """
    work.mkdir()
    jobs = [(t, True) for t in targets] + [(t, False) for t in targets if t.markers()["sys_platform"] != sys.platform]

    def fetch(target: Target, patched: bool) -> subprocess.CompletedProcess:
        dest = work / f"{target.name}-{'target' if patched else 'host'}"
        dest.mkdir()
        return _pip(["download", "--progress-bar", "off", "--dest", str(dest), *target.pip_options(), str(duban)],
                    target if patched else None)

    gaps: list[Gap] = []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(jobs))) as pool:
        futures = {job: pool.submit(fetch, *job) for job in jobs}
        for target, patched in progress(jobs, "下载安装文件"):
            done = futures[target, patched].result()
            if done.returncode == 0 or not patched:
                continue
            output = done.stdout + done.stderr
            if _network_failed(output) or _disk_failed(output):
                for future in futures.values():
                    future.cancel()
                if _disk_failed(output):
                    raise OSError(errno.ENOSPC, "No space left on device")
                raise _registry_error(output)
            gaps.append(_gap(target, output))
    for folder in sorted(work.iterdir()):
        for path in sorted(folder.glob("*.whl")):  # --only-binary=:all: means there is nothing else
            dest = wheels / path.name
            if not dest.exists():
                os.replace(path, dest)
    return gaps


def _gap(target: Target, output: str) -> Gap:
    wrong = _WRONG_PYTHON.search(output)
    if wrong:
        return Gap(target.platform.key, target.python, wrong.group(1), f"不支持 Python {target.python}")
    missing = _MISSING.findall(output)
    if missing:
        return Gap(target.platform.key, target.python, missing[-1], "没有适用的二进制安装文件")
    return Gap(target.platform.key, target.python, "（依赖关系）", _last_error(output))


def _verify(targets: list[Target], wheels: Path, progress: Progress) -> list[Gap]:
    """Prove each target installs from the kit alone: a dry run with no index at all."""

    def check(target: Target) -> subprocess.CompletedProcess:
        # --target: pip before 23.3 refuses --platform without it, even for a dry run; nothing is written.
        with tempfile.TemporaryDirectory(prefix="duban-kit-check-") as nowhere:
            return _pip(["install", "--dry-run", "--ignore-installed", "--no-index", "--find-links", str(wheels),
                         "--target", nowhere, "--progress-bar", "off", *target.pip_options(), "duban"],
                        target, offline=True)

    gaps = []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(targets))) as pool:
        futures = {t: pool.submit(check, t) for t in targets}
        for target in progress(targets, "验证离线安装"):
            done = futures[target].result()
            if done.returncode != 0:
                gaps.append(_gap(target, done.stdout + done.stderr))
    return gaps


def _mixed_versions(wheels: Path) -> dict[str, list[str]]:
    """Packages present in more than one version (a newer one dropped some Python or platform)."""
    found: dict[str, set[str]] = {}
    for path in wheels.glob("*.whl"):
        name, version = path.name.split("-")[:2]
        name = re.sub(r"[-_.]+", "-", name).lower()
        if name in ("duban", "pip"):
            continue
        found.setdefault(name, set()).add(version)
    return {name: sorted(v, key=_version_key) for name, v in found.items() if len(v) > 1}


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", version))


# ---------------------------------------------------------------------------
# the rest of the kit


def _make_workspace(root: Path, duban: Path) -> None:
    """A workspace made by `duban init`, with the double-click scripts of the wheel the kit
    ships (with --wheel it may be another version than the duban running here)."""
    # deferred: init pulls in the master importer, needed only when a kit is built
    from ..workspace import SCRIPT_COMMON, SCRIPTS
    from .init import init_workspace

    init_workspace(root)
    names = {SCRIPT_COMMON, *(stem + ext for stem in SCRIPTS for ext in (".bat", ".command", ".sh"))}
    with zipfile.ZipFile(duban) as z:
        for info in z.infolist():
            folder, _, name = info.filename.rpartition("/")
            if folder == "toolkit/_workbooks" and name in names:
                target = root / name
                target.write_bytes(z.read(info))
                target.chmod(0o644 if name.endswith(".bat") else 0o755)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _range_text(verified: list[tuple[str, str]]) -> str:
    by_platform: dict[str, list[str]] = {}
    for platform, python in verified:
        by_platform.setdefault(platform, []).append(python)
    parts = [f"{PLATFORMS[p].label}：Python {'、'.join(v)}" for p, v in by_platform.items()]
    return "；".join(parts)


def _pythons_line(verified: list[tuple[str, str]]) -> str:
    """CRLF: cmd's "set /p" reads the line whole; the .sh drops the CR."""
    held = {python for _platform, python in verified}
    return " ".join(v for v in PYTHONS if v in held) + "\r\n"


def _pythons_text(verified: list[tuple[str, str]]) -> str:
    """The Pythons the guide asks for: those the kit holds, "3.10–3.14" when they run unbroken
    (a kit built with --python 3.12 must not send IT to install 3.13)."""
    held = [v for v in PYTHONS if v in {python for _platform, python in verified}]
    run = PYTHONS[PYTHONS.index(held[0]):PYTHONS.index(held[-1]) + 1]
    return f"{held[0]}–{held[-1]}" if len(held) > 2 and list(run) == held else "、".join(held)


def _write_guide(path: Path, version: str, verified: list[tuple[str, str]], gaps: list[Gap]) -> None:
    lines = GUIDE.format(version=version, date=dt.date.today().isoformat(), range=_range_text(verified),
                         ws=WORKSPACE_FOLDER, installer=INSTALLER, needed=NEEDED_MB,
                         max_chars=MAX_WORKSPACE_CHARS, pythons=_pythons_text(verified),
                         newest=max((p for _platform, p in verified), key=PYTHONS.index)).splitlines()
    if gaps:
        lines += ["", "七、不能使用本安装包的组合（缺少安装文件）", *[g.line() for g in gaps]]
    # Notepad on older Windows needs CRLF; the BOM makes it read UTF-8 without guessing.
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig", newline="")


GUIDE = """\
督办离线安装包　使用说明（督办 {version}，{date} 生成）

安装和使用都不需要网络，也不需要管理员权限。

一、里面有什么
  {ws}\\    现成的工作区：双击脚本、任务分工表、模板、收件箱
  wheels\\        督办和它需要的全部组件（不要改动，也不要删除）
  安装说明.txt    本文件

二、适用范围
  {range}。
  电脑上需要先有 Python {pythons}（64 位）：其他版本的 Python 没有对应的组件，装不上。
  统信 UOS 20、银河麒麟 V10 自带的 Python 是 3.7/3.8，太旧，需要另装。
  没有 Python 时请信息技术人员安装：Windows 用 python.org 的
  “Windows installer (64-bit)”（如 python-{newest}.x-amd64.exe），选“Install Now”，不需要管理员权限。

三、首次安装
  1. 先把压缩包解压（右键→全部解压缩），把解压出的整个文件夹放到本机硬盘上路径短的文件夹里，例如 D:\\督办
     （工作区的路径最多 {max_chars} 个字符，Windows 不能在太深的文件夹里安装）。
     不要在压缩包里直接双击，也不要只拷走“{ws}”而丢下 wheels。
  2. Windows：打开“{ws}”，双击 {installer}.bat。
     Linux：在终端运行  bash {ws}/{installer}.sh
  3. 看到【成功】就装好了（需要约 {needed} MB 空间，一两分钟）。程序装在工作区的 .venv 文件夹里。

四、每月使用（在“{ws}”里双击）
  1-下发填报表　2-收取并汇总　3-生成通报　4-发送邮件　5-逐条核实；或一键月报（收取、汇总、通报一次完成）。
  工作区可以改名或整个移动到别处，移动后照常双击即可。

五、升级到新版本（工作区里的数据不动）
  Windows：把原来的工作区文件夹拖到新安装包里的 {installer}.bat 图标上松开。
  Linux：bash 新安装包/{ws}/{installer}.sh 原来的工作区文件夹
  也可以把新安装包的 wheels 文件夹复制到原来的工作区里，再双击原工作区里的 {installer}。
  升级只更换程序、双击脚本和“模板”里没有改过的旧版文件；duban.toml、任务分工表、改过的模板、
  收件箱、下发、归档、反馈、汇总、通报和台账都保持原样。

六、遇到问题
  每个脚本失败时都写明原因和办法。安装过程记在工作区的“日志\\安装.log”，使用过程记在
  “日志\\duban.log”，求助时把它们发给技术支持。"""


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f}" if size >= 2**20 else f"{size / 2**20:.1f}"
