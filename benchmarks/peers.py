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


def environment(workdir: Path, peer: Peer, build: bool) -> tuple[Path | None, dict[str, str], str]:
    """(python of the peer's environment or None, package versions, how it was had)."""
    folder = workdir / "venvs" / peer.name
    stamp = folder / ".ready"
    if stamp.exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("requirements") == list(peer.requirements) and _python(folder).exists():
            return _python(folder), info["versions"], "cached"
    if not build:
        return None, {}, "skipped: no cached environment (a full run builds it)"
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
    done = subprocess.run([str(_python(folder)), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           *peer.requirements], capture_output=True, text=True)
    if done.returncode != 0:
        return None, {}, f"skipped: pip install failed: {done.stderr.strip().splitlines()[-1:]}"
    probe = ("import json, importlib.metadata as m; "
             f"print(json.dumps({{p: m.version(p) for p in {list(peer.packages)!r}}}))")
    versions = json.loads(subprocess.run([str(_python(folder)), "-c", probe], capture_output=True, text=True,
                                         check=True).stdout)
    stamp.write_text(json.dumps({"requirements": list(peer.requirements), "versions": versions}), encoding="utf-8")
    return _python(folder), versions, f"built in {time.perf_counter() - t0:.0f} s"


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
