"""Issue 14: `duban kit`, the offline install kit, and 0-首次安装 installing from it with the
network cut off.

The fast tests drive build_kit with pip faked out (options, refusals, a gap reported, the
zip). The slow ones build the real kit once per session from the package registry (about
two minutes, CPU-bound), then install from it inside a network namespace with no
interfaces (`unshare -n`; `unshare -rn` as non-root) and with proxies that refuse
everything, from a path with a space and Chinese characters, and run a month on it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, on_time

from toolkit import errors
from toolkit.actions import kit
from toolkit.actions.kit import Gap, KitError, build_kit, refresh_scripts
from toolkit.cli import cli
from toolkit.workspace import SCRIPT_COMMON, SCRIPTS

WORKBOOKS = ROOT / "workbooks"
# duban as a kit holds it: its version with the kit's build time (kit_files.stamp_version)
STAMPED = r"duban，版本 0\.1\.0\+\d{8}\.\d{6}"
SCRIPT_FILES = {SCRIPT_COMMON, *(s + e for s in SCRIPTS for e in (".bat", ".command", ".sh"))}


# ---------------------------------------------------------------------------
# fast: options and refusals, before any download


@pytest.mark.parametrize("args, message", [
    (["--platform", "mips64el"], "不认识的平台“mips64el”。可选：win_amd64、manylinux_x86_64、manylinux_aarch64。"),
    (["--python", "3.9"], "不支持的 Python 版本“3.9”。可选：3.10、3.11、3.12、3.13、3.14。"),
    (["--wheel", "没有这个文件.whl"], "找不到安装文件“没有这个文件.whl”。"),
])
def test_bad_options_are_one_chinese_line(run, tmp_path, args, message):
    result = run(["kit", "--out", str(tmp_path / "kit"), *args], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"错误：{message}\n"


def test_a_folder_that_is_not_a_kit_is_never_replaced(run, tmp_path):
    precious = tmp_path / "资料"
    precious.mkdir()
    (precious / "重要.xlsx").write_bytes(b"x")
    result = run(["kit", "--out", str(precious)], cwd=tmp_path)
    assert result.exit_code == 2 and "已存在且不是督办安装包" in result.stderr
    assert (precious / "重要.xlsx").read_bytes() == b"x"


def test_platform_and_python_spellings():
    assert kit._platforms(["Windows", "manylinux2014_x86_64", "manylinux_2_17_aarch64", "win_amd64"]) == [
        "win_amd64", "manylinux_x86_64", "manylinux_aarch64"]
    assert kit._pythons(["311", "3.12", "3.11"]) == ["3.11", "3.12"]
    tags = kit.PLATFORMS["manylinux_x86_64"].pip_platforms
    assert tags[0] == "manylinux_2_28_x86_64" and "manylinux_2_17_x86_64" in tags and "manylinux2014_x86_64" in tags
    assert "manylinux_2_31_x86_64" not in tags, "UOS 20 and Kylin V10 have glibc 2.28"
    assert "linux_x86_64" not in tags, "a plain linux wheel is built for one distribution only"


def test_registry_unreachable_blames_the_network(tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "3")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    with pytest.raises(KitError) as caught:
        build_kit(tmp_path / "kit", ["win_amd64"], ["3.11"], make_zip=False)
    assert caught.value.message == ("无法连接软件包仓库 http://127.0.0.1:9/simple（Connection refused）。"
                                    "生成安装包需要联网一次，请在能访问 PyPI（或单位内部镜像）的电脑上运行 duban kit。")
    assert not (tmp_path / "kit").exists() and not list(tmp_path.glob(".~duban-*")), "nothing half-built is left"


def test_full_disk_and_no_permission_are_one_line(tmp_path, monkeypatch):
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kit, "_build", full)
    with pytest.raises(KitError) as caught:
        build_kit(tmp_path / "kit")
    assert caught.value.message == (f"磁盘空间不足，无法在“{tmp_path}”生成安装包（约需 300 MB）。"
                                    "请腾出空间，或用 --out 指定别的磁盘。")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "kit"))

    monkeypatch.setattr(kit, "_build", denied)
    with pytest.raises(KitError) as caught:
        build_kit(tmp_path / "kit")
    assert caught.value.message == f"没有权限写入“{tmp_path / 'kit'}”。请用 --out 指定一个自己有写权限的文件夹。"

    def staging(*args, **kwargs):  # the hidden folder the kit is made in is not the one to name (QA280)
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".~duban-kit-x1" / "wheels"))

    monkeypatch.setattr(kit, "_build", staging)
    with pytest.raises(KitError) as caught:
        build_kit(tmp_path / "kit")
    assert caught.value.message == f"没有权限写入“{tmp_path}”。请用 --out 指定一个自己有写权限的文件夹。"

    def wheel_unreadable(*args, **kwargs):  # the --wheel given, outside the kit: a read (QA280)
        raise PermissionError(errno.EACCES, "Permission denied", "/mnt/共享/duban-0.1.0-py3-none-any.whl")

    monkeypatch.setattr(kit, "_build", wheel_unreadable)
    with pytest.raises(errors.NoPermission) as caught:
        build_kit(tmp_path / "kit")
    assert caught.value.message.startswith("没有读取权限：“/mnt/共享/duban-0.1.0-py3-none-any.whl”。")


def test_gaps_are_parsed_precisely():
    target = kit.Target(kit.PLATFORMS["manylinux_aarch64"], "3.13")
    missing = ("ERROR: Could not find a version that satisfies the requirement pyppmd<1.3.0,>=1.1.0 (from py7zr) "
               "(from versions: none)\nERROR: No matching distribution found for pyppmd<1.3.0,>=1.1.0\n")
    assert kit._gap(target, missing) == Gap("manylinux_aarch64", "3.13", "pyppmd", "没有适用的二进制安装文件")
    wrong = "ERROR: Package 'docxtpl' requires a different Python: 3.13.0 not in '<3.13,>=3.9'\n"
    assert kit._gap(target, wrong) == Gap("manylinux_aarch64", "3.13", "docxtpl", "不支持 Python 3.13")
    assert kit._network_failed("WARNING: Retrying (Retry(total=4)) after connection broken by "
                               "'NewConnectionError(...: Failed to establish a new connection)'")
    assert not kit._network_failed(missing)


def _fake_duban_wheel(folder: Path, version: str = "0.1.0") -> Path:
    path = folder / f"duban-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        for name in SCRIPT_FILES:
            z.write(WORKBOOKS / name, f"toolkit/_workbooks/{name}")
        z.writestr(f"duban-{version}.dist-info/METADATA", f"Name: duban\nVersion: {version}\n")
    return path


def test_a_missing_wheel_is_reported_not_hidden(tmp_path, monkeypatch):
    """One platform × Python without a binary wheel: the kit is still built for the others,
    and the gap is named (package, platform, Python) on screen and in 安装说明.txt."""
    calls = []

    def fake_pip(args, target=None, offline=False):
        calls.append((args[0], target.name if target else None, offline))
        dest = Path(args[args.index("--dest") + 1]) if "--dest" in args else None
        if target is not None and target.name == "manylinux_aarch64-py3.13" and args[0] == "download":
            return subprocess.CompletedProcess(args, 1, "", "ERROR: No matching distribution found for pyppmd\n")
        if args[0] == "download" and dest is not None:
            tag = "py3-none-any" if target is None else f"cp{target.python.replace('.', '')}-none-any"
            name = "pip-24.0-py3-none-any.whl" if target is None else f"lxml-5.0-{tag}.whl"
            (dest / name).write_bytes(b"wheel")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(kit, "_pip", fake_pip)
    result = build_kit(tmp_path / "套件", ["win_amd64", "manylinux_aarch64"], ["3.12", "3.13"],
                       wheel=_fake_duban_wheel(tmp_path))
    assert result.gaps == [Gap("manylinux_aarch64", "3.13", "pyppmd", "没有适用的二进制安装文件")]
    assert ("manylinux_aarch64", "3.13") not in result.verified and len(result.verified) == 3
    lines = result.lines()
    assert "【注意】以下电脑用不了本安装包，缺少二进制安装文件：" in lines
    assert "  Linux ARM64（aarch64） / Python 3.13：pyppmd（没有适用的二进制安装文件）" in lines
    guide = (result.folder / "安装说明.txt").read_text(encoding="utf-8-sig")
    assert "Linux ARM64（aarch64） / Python 3.13：pyppmd" in guide
    assert "python-3.13.x-amd64.exe" in guide, "the example installer is one the kit holds wheels for"
    assert ("install", "manylinux_aarch64-py3.13", True) not in calls, "a gap is not verified again"
    assert all(offline for verb, _, offline in calls if verb == "install"), "the check never uses the index"
    # the Windows targets got a second download with this machine's markers (see _download)
    assert ("download", "win_amd64-py3.12", False) in calls or sys.platform == "win32"


def test_zip_keeps_modes_empty_folders_and_chinese_names(tmp_path):
    folder = tmp_path / "督办离线安装包"
    (folder / "督办工作区" / "收件箱").mkdir(parents=True)
    (folder / "督办工作区" / "1-下发填报表.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (folder / "wheels").mkdir()
    (folder / "wheels" / "x-1.0-py3-none-any.whl").write_bytes(b"PK")
    target = tmp_path / "kit.zip"
    kit._zip_folder(folder, target)
    with zipfile.ZipFile(target) as z:
        infos = {i.filename: i for i in z.infolist()}
    assert "督办离线安装包/督办工作区/收件箱/" in infos
    script = infos["督办离线安装包/督办工作区/1-下发填报表.sh"]
    assert script.external_attr >> 16 == 0o100755 and script.create_system == 3
    assert script.flag_bits & 0x800, "UTF-8 names, so Windows 10/11 and Linux unzip show them right"
    assert infos["督办离线安装包/wheels/x-1.0-py3-none-any.whl"].compress_type == zipfile.ZIP_STORED


def test_refresh_scripts_replaces_scripts_only(tmp_path):
    (tmp_path / "duban.toml").write_text("keep", encoding="utf-8")
    (tmp_path / "1-下发填报表.sh").write_text("old", encoding="utf-8")
    (tmp_path / "0-首次安装.bat").write_text("running", encoding="utf-8")
    written = refresh_scripts(tmp_path, keep_installer=True)
    assert (tmp_path / "1-下发填报表.sh").read_bytes() == (WORKBOOKS / "1-下发填报表.sh").read_bytes()
    assert os.access(tmp_path / "1-下发填报表.sh", os.X_OK)
    assert (tmp_path / "0-首次安装.bat").read_text(encoding="utf-8") == "running"
    assert (tmp_path / "duban.toml").read_text(encoding="utf-8") == "keep"
    assert {p.name for p in written} == SCRIPT_FILES - {f"0-首次安装{e}" for e in (".bat", ".sh", ".command")}
    assert not list(tmp_path.glob(".~duban-*"))
    refresh_scripts(tmp_path)
    assert (tmp_path / "0-首次安装.bat").read_bytes() == (WORKBOOKS / "0-首次安装.bat").read_bytes()


def test_cli_prints_the_result_lines(run, tmp_path, monkeypatch):
    result = kit.KitResult(tmp_path / "k", tmp_path / "k-0.1.0.zip", "0.1.0", ["win_amd64"], ["3.11"], wheels=40,
                           size=120 * 2**20, zip_size=118 * 2**20, verified=[("win_amd64", "3.11")])
    monkeypatch.setattr(kit, "build_kit", lambda *a, **k: result)
    shown = run(["kit"], cwd=tmp_path)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines() == [
        f"离线安装包：{tmp_path / 'k'}",
        "  督办 0.1.0；安装文件 40 个，共 120 MB",
        "  适用于：Windows 64 位：Python 3.11（已逐一验证可以不联网安装）",
        f"压缩包：{tmp_path / 'k-0.1.0.zip'}（118 MB）",
        "下一步：把压缩包拷到要安装的电脑上，按“安装说明.txt”双击“督办工作区”里的 0-首次安装。",
    ]
    assert "kit" in cli.commands


# ---------------------------------------------------------------------------
# slow: the real kit, from the registry


CACHE = Path(os.environ.get("DUBAN_KIT_TEST_CACHE", Path.home() / ".cache" / "duban-kit-test"))


def _cache_key() -> str:
    """Changes with duban's dependencies, with how kits are made, and every week (so new
    releases on the registry get tried)."""
    import datetime as dt

    setup = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    requires = setup[setup.index("install_requires"):setup.index("[options.package_data]")]
    year, week, _ = dt.date.today().isocalendar()
    source = Path(kit.__file__).read_bytes() + requires.encode() + f"{year}-{week}".encode()
    return hashlib.sha256(source).hexdigest()[:16]


@pytest.fixture(scope="session")
def real_kit(tmp_path_factory):
    """The kit for every platform and Python, built once per session, in a folder whose path
    has a space and Chinese characters.

    The first build fetches from the package registry (about two minutes on two cores). The
    wheels are then kept in ~/.cache/duban-kit-test, and later builds resolve from there with
    no index at all: pip's own HTTP cache cannot be relied on (some proxies make every
    response uncacheable). duban's wheel is always built from this checkout.
    """
    out = tmp_path_factory.mktemp("kit") / "U盘 拷贝" / "督办离线安装包"
    cached = CACHE / _cache_key()
    env = {}
    if (cached / "complete").exists():
        env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(cached), "PIP_CONFIG_FILE": os.devnull}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = build_kit(out)
    except KitError as exc:
        if "无法连接软件包仓库" in exc.message:
            pytest.skip(f"没有网络，无法生成安装包：{exc.message}")
        raise
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if not env and not result.gaps:
        shutil.rmtree(cached, ignore_errors=True)
        cached.mkdir(parents=True)
        for wheel in (out / "wheels").glob("*.whl"):
            if not wheel.name.startswith("duban-"):
                shutil.copy2(wheel, cached)
        # pip wheel builds duban in an isolated environment: it needs these from the index too
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--dest", str(cached), "setuptools>=64",
                        "wheel"], check=True, env=kit._pip_env())
        (cached / "complete").write_text(str(result.verified), encoding="utf-8")
    return result


def offline_prefix() -> list[str]:
    """A network namespace with no interfaces: `unshare -n` as root, `unshare -rn` (a user
    namespace) otherwise; nothing where neither works, and then the refusing proxies and
    pip's --no-index are the fence."""
    if not shutil.which("unshare"):
        return []
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return []


REFUSE_EVERYTHING = {name: "http://127.0.0.1:9" for name in (
    "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")}


def script_env(**extra: str) -> dict[str, str]:
    """What a coordinator's terminal has: no venv, no pip settings, proxies that refuse."""
    python_dir = str(Path(getattr(sys, "_base_executable", sys.executable)).parent)
    path = "/usr/local/bin:/usr/bin:/bin"
    env = {"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8", "DUBAN_OPEN_COMMAND": "true",
           "no_proxy": "", "NO_PROXY": "", **REFUSE_EVERYTHING}
    usable = shutil.which("python3", path=path)
    if not usable or subprocess.run([usable, "-c", "import sys; sys.exit(sys.version_info < (3, 10))"]).returncode:
        env["PATH"] = f"{path}:{python_dir}"
        env["PYTHON"] = getattr(sys, "_base_executable", sys.executable)
    env.update(extra)
    return env


def run_offline(script: Path, *args: str, answer: str = "", env: dict | None = None,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*offline_prefix(), "bash", str(script), *args], input=answer, text=True,
                          capture_output=True, env=env or script_env(), timeout=600, cwd=cwd or script.parent)


@pytest.mark.slow
def test_kit_has_everything_and_nothing_else(real_kit):
    result = real_kit
    assert result.gaps == [], "\n".join(result.lines())
    assert sorted(result.verified) == sorted((p, v) for p in kit.PLATFORMS for v in kit.PYTHONS)
    folder = result.folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(["安装说明.txt", "wheels", "督办工作区"])
    wheels = folder / "wheels"
    others = [p.name for p in wheels.iterdir() if p.suffix != ".whl"]
    assert sorted(others) == sorted([kit.RANGE_NAME, kit.PYTHONS_NAME]), "binary wheels only: no sdist"
    assert (wheels / kit.PYTHONS_NAME).read_bytes() == " ".join(kit.PYTHONS).encode() + b"\r\n"
    names = [p.name for p in wheels.glob("*.whl")]
    # the wheel's name has the version as packaging normalises it: a local segment is a number, so a
    # kit built before 10:00 (…+20261207.001234) is named …+20261207.1234 (it sorts the same)
    wheel = r"duban-0\.1\.0\+\d{8}\.\d{1,6}-py3-none-any\.whl"
    assert any(re.fullmatch(wheel, n) for n in names), ("stamped", names)
    assert any(n.startswith("pip-") for n in names), "pip for Pythons without ensurepip"
    for platform in ("win_amd64", "manylinux", "aarch64"):
        for py in (f"cp{v.replace('.', '')}" for v in kit.PYTHONS):
            assert any(py in n and platform in n and n.startswith("lxml-") for n in names), (platform, py)
    assert any(n.startswith("tzdata-") for n in names) and any(n.startswith("pywin32_ctypes-") for n in names)
    guide = (folder / "安装说明.txt").read_bytes()
    assert guide.startswith(b"\xef\xbb\xbf") and b"\r\n" in guide and b"\n" not in guide.replace(b"\r\n", b"")
    text = guide.decode("utf-8-sig")
    assert "督办 0.1.0" in text and "0-首次安装.bat" in text and "升级" in text and "3.10" in text
    assert len(text.splitlines()) <= 60, "one page"
    ws = folder / "督办工作区"
    for name in ("duban.toml", "任务分工表.xlsx", "模板/月度通报.docx", *SCRIPT_FILES):
        assert (ws / name).exists(), name
    assert (ws / "收件箱").is_dir() and not any((ws / "收件箱").iterdir())
    assert not (ws / ".venv").exists()
    lines = result.lines()
    assert lines[0] == f"离线安装包：{folder}" and "已逐一验证可以不联网安装" in lines[2]
    with zipfile.ZipFile(result.zip_path) as z:
        zipped = set(z.namelist())
    assert "督办离线安装包/督办工作区/收件箱/" in zipped
    assert f"督办离线安装包/wheels/{names[0]}" in zipped


@pytest.mark.slow
@pytest.mark.parametrize("platform, python", [
    ("win_amd64", "3.10"), ("win_amd64", "3.11"), ("win_amd64", "3.12"), ("win_amd64", "3.14"),
    ("manylinux_aarch64", "3.10"), ("manylinux_aarch64", "3.12"), ("manylinux_aarch64", "3.13"),
    ("manylinux_x86_64", "3.14"),
])
def test_wheelhouse_resolves_offline(real_kit, tmp_path, platform, python):
    """Issue 14's check, as written: pip install --dry-run --no-index --find-links <kit>/wheels
    --platform P --python-version V --only-binary=:all: duban. (--target only because pip
    before 23.3 refuses --platform without it, dry run or not.)"""
    pip_platforms = kit.PLATFORMS[platform].pip_platforms
    args = ["install", "--dry-run", "--no-index", "--find-links", str(real_kit.folder / "wheels"),
            *[x for tag in pip_platforms for x in ("--platform", tag)], "--python-version", python,
            "--only-binary=:all:", "--target", str(tmp_path / "nowhere"), "--report", "-", "--quiet", "duban"]
    env = dict(kit._pip_env(offline=True), **REFUSE_EVERYTHING)
    # Not for 3.14: pip judges py7zr's backports.zstd (python_version < "3.14") by this machine's
    # Python and asks for a cp314 wheel that does not exist; only the check below can tell.
    if python != "3.14":
        plain = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env,
                               timeout=300)
        assert plain.returncode == 0, plain.stderr
    # pip judges markers by this machine, so that check cannot see Windows-only needs. The same
    # resolution with the target's markers must include them and leave out Linux-only ones.
    target = kit.Target(kit.PLATFORMS[platform], python)
    marked = subprocess.run([sys.executable, "-c", kit._PIP_FOR_TARGET, json.dumps(target.markers()), *args],
                            capture_output=True, text=True, env=env, timeout=300)
    assert marked.returncode == 0, marked.stderr
    installed = {item["metadata"]["name"].lower() for item in json.loads(marked.stdout)["install"]}
    assert {"duban", "lxml", "python-calamine", "keyring", "py7zr", "openpyxl"} <= installed
    if platform == "win_amd64":
        assert {"tzdata", "pywin32-ctypes"} <= installed and "secretstorage" not in installed
    else:
        assert {"secretstorage", "jeepney", "cryptography"} <= installed and "tzdata" not in installed
    assert ("tomli" in installed) == (python == "3.10")


def snapshot(ws: Path) -> dict[str, str]:
    """Every data file of a workspace (not the program, the scripts or the install log)."""
    files = {}
    for path in sorted(ws.rglob("*")):
        rel = path.relative_to(ws).as_posix()
        if path.is_dir() or rel.startswith(".venv/") or rel in SCRIPT_FILES or rel.startswith("日志/"):
            continue
        files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


@pytest.fixture(scope="session")
def installed(real_kit, tmp_path_factory):
    """The kit copied to a path with a space and Chinese characters, then 0-首次安装.sh run
    there with the network cut off."""
    copy = tmp_path_factory.mktemp("offline") / "离线 电脑" / "督办离线安装包"
    shutil.copytree(real_kit.folder, copy, symlinks=True)
    ws = copy / "督办工作区"
    result = run_offline(ws / "0-首次安装.sh")
    return ws, result


@pytest.mark.slow
def test_offline_install_then_a_month(installed):
    from toolkit.filling import Answer, Filling, fill_return

    ws, install = installed
    assert install.returncode == 0, install.stdout + install.stderr
    out = install.stdout
    assert f"工作区：{ws}" in out and "正在安装督办（不需要网络" in out
    assert re.search(f"【成功】安装完成：{STAMPED}\n", out), out
    # script_env: this session's PYTHONPATH (a checkout) would stand in for the installed duban
    version = subprocess.run([str(ws / ".venv" / "bin" / "duban"), "--version"], capture_output=True, text=True,
                             env=script_env())
    assert re.fullmatch(STAMPED, version.stdout.strip()), version.stdout
    log = (ws / "日志" / "安装.log").read_text(encoding="utf-8")
    assert "Retrying" not in log and "NewConnectionError" not in log, "pip never tried the network"

    issued = run_offline(ws / "1-下发填报表.sh", answer="2022-06\n")
    assert issued.returncode == 0, issued.stdout + issued.stderr
    assert f"督办程序：本工作区的 .venv（{ws / '.venv'}）" in issued.stdout
    assert "已生成 2022年6月进展填报表 54 份" in issued.stdout
    assert issued.stdout.splitlines()[-1] == "【成功】填报表和邮件草稿已生成，正在打开下发文件夹。"

    returns = ws / "下发" / "2022年6月"
    done = Answer(status="已完成", progress=100, work="已完成。", evidence="东政数〔2022〕8号")
    (ws / "收件箱" / "石龙镇.xlsx").write_bytes(
        fill_return(returns / "2022年6月_石龙镇_进展填报表.xlsx", Filling(answers={"1.2": done})))
    (ws / "收件箱" / "虎门镇.xlsx").write_bytes(
        fill_return(returns / "2022年6月_虎门镇_进展填报表.xlsx", Filling(answers={"1.2": Answer(status="滞后")})))
    for path in (ws / "收件箱").iterdir():  # saved before the deadline: today's time would be a 逾期 asked about
        os.utime(path, (on_time(), on_time()))
    merged = run_offline(ws / "2-收取并汇总.sh", answer="2022-06\n")
    assert merged.returncode == 1, merged.stdout + merged.stderr  # 虎门镇 is sent back
    assert "采纳 1，退回 1" in merged.stdout
    assert merged.stdout.splitlines()[-1].startswith("【已完成，但有问题需要处理】")
    assert "反馈表" not in merged.stdout.splitlines()[-1]
    assert (ws / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx").exists()

    # Enter takes duban's own current period, whatever it is.
    current = subprocess.run([str(ws / ".venv" / "bin" / "python"), "-I", "-m", "toolkit", "-w", str(ws), "period"],
                             capture_output=True, text=True).stdout.strip()
    assert re.fullmatch(r"\d{4}-\d\d", current)
    (ws / "duban.toml").write_text(re.sub(r'(?m)^period = "[^"]*"', 'period = "2022-06"',
                                          (ws / "duban.toml").read_text(encoding="utf-8")), encoding="utf-8")
    memo = run_offline(ws / "3-生成通报.sh", answer="\n")
    assert memo.returncode == 0, memo.stdout + memo.stderr
    assert list((ws / "通报" / "2022年6月").glob("*.docx")), "Enter meant 2022-06, as duban.toml says"


@pytest.mark.slow
def test_the_workspace_can_be_moved(installed, tmp_path):
    """The scripts run python -m toolkit from .venv: a moved workspace keeps working."""
    ws, install = installed
    assert install.returncode == 0
    moved = tmp_path / "搬到 别处" / "我的督办"
    shutil.copytree(ws, moved, symlinks=True)
    result = run_offline(moved / "一键月报.sh", answer="2022-06\n")
    assert f"工作区：{moved}" in result.stdout
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "2022年6月月报完成" in result.stdout


def _newer_kit(tmp_path: Path, monkeypatch, ws: Path, version: str, mark: str = "") -> Path:
    """A kit beside ``ws``'s with duban built from this source as ``version`` (``mark`` added to
    its toolkit/__init__.py), its 0-首次安装.sh and the same wheels otherwise."""
    source = tmp_path / "src"
    for name in kit._SOURCE_ENTRIES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=kit._SOURCE_IGNORE)
        elif (ROOT / name).is_file():
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    init = source / "toolkit" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace('__version__ = "0.1.0"', f'__version__ = "{version}"')
                    + mark, encoding="utf-8")
    monkeypatch.setattr(kit, "_source_root", lambda: source)
    newer = kit._build_duban_wheel(tmp_path / "build")
    assert newer.name.startswith(f"duban-{version}+")
    new_kit = tmp_path / "新版 安装包"
    shutil.copytree(ws.parent, new_kit, ignore=shutil.ignore_patterns("督办工作区"))
    for old in (new_kit / "wheels").glob("duban-*.whl"):
        old.unlink()
    shutil.copy2(newer, new_kit / "wheels")
    (new_kit / "督办工作区").mkdir()
    shutil.copy2(WORKBOOKS / "0-首次安装.sh", new_kit / "督办工作区")
    (new_kit / "督办工作区" / "duban.toml").write_text("", encoding="utf-8")
    return new_kit


@pytest.mark.slow
def test_upgrade_in_place_keeps_the_data(installed, tmp_path, monkeypatch):
    installed_ws, install = installed
    assert install.returncode == 0
    # Its own copy (moved, as a coordinator might): the other tests keep version 0.1.0.
    ws = tmp_path / "旧版 安装包" / "督办工作区"
    shutil.copytree(installed_ws.parent, ws.parent, symlinks=True)
    # A newer duban: this source with another version number, built into a wheel.
    new_kit = _newer_kit(tmp_path, monkeypatch, ws, "0.1.1")

    before = snapshot(ws)
    assert any(name.startswith("下发/2022年6月/") for name in before), "the month's data is there"
    (ws / "3-生成通报.sh").write_text("# 旧版本的脚本\n", encoding="utf-8")
    upgraded = run_offline(new_kit / "督办工作区" / "0-首次安装.sh", str(ws), cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert re.search(f"已经安装过（{STAMPED}），现在升级", upgraded.stdout), upgraded.stdout
    newer_stamped = STAMPED.replace(r"0\.1\.0", r"0\.1\.1")
    assert re.search(f"【成功】安装完成：已从 {STAMPED} 升级到 {newer_stamped}。工作区里的数据没有改动。", upgraded.stdout), \
        upgraded.stdout
    assert snapshot(ws) == before, "no data file changed"
    assert (ws / "3-生成通报.sh").read_bytes() == (WORKBOOKS / "3-生成通报.sh").read_bytes(), "scripts renewed"
    version = subprocess.run([str(ws / ".venv" / "bin" / "python"), "-I", "-m", "toolkit", "--version"],
                             capture_output=True, text=True)
    new_version = version.stdout.strip()
    assert re.fullmatch(newer_stamped, new_version), new_version
    # Run again from the workspace itself, beside the older kit: nothing newer there, and the
    # older duban never replaces the newer one.
    again = run_offline(ws / "0-首次安装.sh")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"【成功】安装完成：已经是 {new_version}，无需升级。工作区里的数据没有改动。" in again.stdout
    assert snapshot(ws) == before


@pytest.mark.slow
def test_a_newer_kit_with_the_same_version_number_is_installed(installed, tmp_path, monkeypatch):
    """QA325: duban's version number rarely changes, so last month's kit and this month's both
    held duban-0.1.0. pip took the installed 0.1.0 as "already satisfied" and kept the old
    code, and the installer said 无需升级: the office stayed on last month's bugs. Each kit now
    stamps its build time on duban's version."""
    installed_ws, install = installed
    assert install.returncode == 0
    ws = tmp_path / "上月 安装包" / "督办工作区"
    shutil.copytree(installed_ws.parent, ws.parent, symlinks=True)
    new_kit = _newer_kit(tmp_path, monkeypatch, ws, "0.1.0", mark='\nFIXED_IN_THIS_KIT = "QA325"\n')
    before = snapshot(ws)
    upgraded = run_offline(new_kit / "督办工作区" / "0-首次安装.sh", str(ws), cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    said = re.search(f"【成功】安装完成：已从 ({STAMPED}) 升级到 ({STAMPED})。工作区里的数据没有改动。", upgraded.stdout)
    assert said and said.group(1) < said.group(2), upgraded.stdout
    code = subprocess.run([str(ws / ".venv" / "bin" / "python"), "-I", "-c",
                           "import toolkit; print(toolkit.FIXED_IN_THIS_KIT)"], capture_output=True, text=True)
    assert code.stdout.strip() == "QA325", code.stderr
    assert snapshot(ws) == before


@pytest.mark.slow
def test_no_wheel_for_this_machine(real_kit, tmp_path):
    """A kit without the Linux x86_64 lxml: the failure names the package and this machine,
    and does not blame the network."""
    copy = tmp_path / "缺组件的 安装包"
    shutil.copytree(real_kit.folder, copy, ignore=shutil.ignore_patterns("lxml-*x86_64*.whl"))
    result = run_offline(copy / "督办工作区" / "0-首次安装.sh")
    assert result.returncode == 2
    assert "【失败】安装包里没有适合这台电脑的组件（缺少 lxml" in result.stdout
    assert f"本机是 Linux {os.uname().machine}" in result.stdout and "本安装包适用于：" in result.stdout
    assert "网络" not in result.stdout[result.stdout.index("【失败】"):]


@pytest.mark.slow
def test_python_without_ensurepip(real_kit, tmp_path):
    """Debian, UOS and Kylin without python3-venv: pip comes from the kit instead."""
    copy = tmp_path / "没有 venv"
    shutil.copytree(real_kit.folder, copy, ignore=shutil.ignore_patterns("*aarch64*", "*win_amd64*"))
    real = getattr(sys, "_base_executable", sys.executable)
    wrapper = tmp_path / "python3"
    wrapper.write_text(
        '#!/bin/bash\nif [ "$1 $2" = "-m venv" ] && [ "$3" != "--without-pip" ]; then\n'
        '  echo "The virtual environment was not successfully created because ensurepip is not available." >&2\n'
        f'  exit 1\nfi\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    result = run_offline(copy / "督办工作区" / "0-首次安装.sh", env=script_env(PYTHON=str(wrapper)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (copy / "督办工作区" / ".venv" / "bin" / "pip").exists()


def _pyenv(version: str) -> Path | None:
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    return found[-1] if found else None


@pytest.mark.slow
@pytest.mark.parametrize("version", ["3.10", "3.13", "3.14"])
def test_other_pythons_install_and_import(real_kit, tmp_path, version):
    """The oldest and newest Python the kit claims: compiled wheels load, not just resolve."""
    python = _pyenv(version)
    if python is None:
        pytest.skip(f"这台机器上没有 Python {version}（pyenv）")
    copy = tmp_path / f"Python {version} 安装包"
    shutil.copytree(real_kit.folder, copy, ignore=shutil.ignore_patterns("*aarch64*", "*win_amd64*"))
    ws = copy / "督办工作区"
    result = run_offline(ws / "0-首次安装.sh", env=script_env(PYTHON=str(python)))
    assert result.returncode == 0, result.stdout + result.stderr
    imports = ("import toolkit.actions.collect, toolkit.actions.merge, toolkit.actions.memo, lxml.etree, py7zr, "
               "python_calamine, keyring, openpyxl; import sys; print(sys.version_info[:2])")
    done = subprocess.run([str(ws / ".venv" / "bin" / "python"), "-c", imports], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tuple(int(x) for x in version.split(".")))
