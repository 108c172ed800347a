"""Issue 2: a non-editable install carries every template and workbook file it needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from toolkit.workspace import EDITABLE_TEMPLATES, SCRIPTS


@pytest.mark.slow
def test_wheel_contains_runtime_files(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                             "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("duban-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (*EDITABLE_TEMPLATES, "单位名录.csv"):
        assert f"toolkit/_templates/{template}" in names, template
    for stem in SCRIPTS:
        for ext in (".bat", ".command", ".sh"):
            assert f"toolkit/_workbooks/{stem}{ext}" in names
    assert "toolkit/_workbooks/任务分工表.docx" in names
    assert not any("截图" in n or n.startswith("tests/") for n in names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    assert "Provides-Extra: excel" in text and "Provides-Extra: test" in text and "Provides-Extra: msg" in text
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "duban = toolkit.cli:main" in entry


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "duban，版本 0.1.0"
