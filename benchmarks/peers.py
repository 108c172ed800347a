"""The peers: the read-concat-write job as a data person would script it, each in its own
virtual environment under the work folder, so that duban's environment stays as users get it.

The environments are built on first use and reused while their requirements stay the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import HERE


@dataclass(frozen=True)
class Peer:
    name: str
    label: str
    script: str
    requirements: tuple[str, ...]
    packages: tuple[str, ...]  # whose versions the results record


PEERS = (
    Peer("naive_pandas", "naive pandas (openpyxl)", "naive_pandas.py", ("pandas", "openpyxl"),
         ("pandas", "openpyxl")),
    Peer("pandas_calamine", "pandas + calamine + xlsxwriter", "pandas_calamine.py",
         ("pandas", "python-calamine", "xlsxwriter"), ("pandas", "python-calamine", "xlsxwriter")),
    Peer("polars", "polars → xlsx", "polars_xlsx.py", ("polars", "fastexcel", "xlsxwriter"),
         ("polars", "fastexcel", "xlsxwriter")),
    # The excel extension ships as a wheel built for one DuckDB release: keep the two together.
    Peer("duckdb", "duckdb read_xlsx → xlsx", "duckdb_xlsx.py", ("duckdb==1.4.4", "duckdb-ext-excel==1.4.4.20260205"),
         ("duckdb", "duckdb-ext-excel")),
)


def _python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _cached(folder: Path, requirements: list[str]) -> dict | None:
    """The stamp of an environment built for exactly these requirements, if there is one."""
    stamp = folder / ".ready"
    if stamp.exists() and _python(folder).exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("requirements") == requirements:
            return info
    return None


def _build(folder: Path, requirements: list[str], install: list[str]) -> str | None:
    """A fresh environment with ``pip install *install``; None, or why it failed."""
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    done = subprocess.run([str(_python(folder)), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           *install], capture_output=True, text=True)
    if done.returncode != 0:
        return f"pip install failed: {done.stderr.strip().splitlines()[-1:]}"
    (folder / ".ready").write_text(json.dumps({"requirements": requirements}), encoding="utf-8")
    return None


def environment(workdir: Path, peer: Peer, build: bool) -> tuple[Path | None, dict[str, str], str]:
    """(python of the peer's environment or None, package versions, how it was had)."""
    folder = workdir / "venvs" / peer.name
    info = _cached(folder, list(peer.requirements))
    if info and "versions" in info:
        return _python(folder), info["versions"], "cached"
    if not build:
        return None, {}, "skipped: no cached environment (a full run builds it)"
    t0 = time.perf_counter()
    failed = _build(folder, list(peer.requirements), list(peer.requirements))
    if failed:
        return None, {}, f"skipped: {failed}"
    probe = ("import json, importlib.metadata as m; "
             f"print(json.dumps({{p: m.version(p) for p in {list(peer.packages)!r}}}))")
    versions = json.loads(subprocess.run([str(_python(folder)), "-c", probe], capture_output=True, text=True,
                                         check=True).stdout)
    (folder / ".ready").write_text(json.dumps({"requirements": list(peer.requirements), "versions": versions}),
                                   encoding="utf-8")
    return _python(folder), versions, f"built in {time.perf_counter() - t0:.0f} s"


def _runtime_requirements() -> list[str]:
    """duban's declared run-time dependencies (setup.cfg install_requires), one per line."""
    lines, inside = [], False
    for line in (HERE.parent / "setup.cfg").read_text(encoding="utf-8").splitlines():
        if line.startswith("install_requires"):
            inside = True
        elif inside and line.startswith((" ", "\t")) and line.strip():
            lines.append(line.strip())
        elif inside:
            break
    return lines


def duban_environment(workdir: Path, build: bool) -> tuple[Path, str]:
    """(python, how) of duban's own environment as users get it: ``pip install`` of the
    checkout, run-time dependencies only.

    The development environment carries the test extras, and pandas there brings numpy,
    which openpyxl imports whenever it can: 40 ms more on every duban start that writes a
    workbook (measured: ``import openpyxl`` 75 ms alone, 120 ms beside numpy), a cost no
    coordinator's install has (README's install and the offline kit bring no numpy). The
    timed processes still import the checkout's code (PYTHONPATH, see common.child_env).
    Falls back to this interpreter, saying so, when the environment cannot be built.
    """
    folder = workdir / "venvs" / "duban"
    wanted = _runtime_requirements()
    if _cached(folder, wanted) is not None:
        return _python(folder), "cached"
    if not build:
        return Path(sys.executable), "this interpreter (no cached environment; a full run builds it)"
    t0 = time.perf_counter()
    failed = _build(folder, wanted, [str(HERE.parent)])
    if failed:
        return Path(sys.executable), f"this interpreter ({failed})"
    return _python(folder), f"built in {time.perf_counter() - t0:.0f} s"


def run_peer(python: Path, peer: Peer, inbox: Path, out: Path) -> float:
    """Wall time of the peer script as a whole process on the files of ``inbox``."""
    out.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    t0 = time.perf_counter()
    done = subprocess.run([str(python), str(HERE / "peers" / peer.script), str(inbox), str(out)],
                          capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{peer.name} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return wall
