"""QA163: review of the 汇总表 writer, the CLI split and QA162's 请核实 line.

* A form of a renamed unit (its ``_meta`` names 市政务服务数据管理局, the 名录 now says
  市政务服务和数据管理局 with no alias) is refused E201 and attributed to no unit. collect said
  two 请核实 lines about it: QA162's "看不出是哪个单位报送的（没有下发填报表的单位信息…）…请该单位用
  下发的填报表重新报送", false (the form names its unit) and against the renamed-unit line below it,
  which asks for the old name as an alias and the file put back. One file, one 请核实.
* `run` imported `toolkit.interrupts` after `main` had given the stop signals back to Python:
  a Ctrl-C in those 0.8 ms printed the KeyboardInterrupt traceback QA161 removed.
* `_end_process` handed any code but a str to `os._exit`: ``sys.exit(2.5)`` (or any object)
  ended in a TypeError traceback instead of sys.exit's "text on stderr, exit 1".
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, drop, on_time
from test_renamed_units import DONE, OLD, rename

from toolkit.filling import Filling


def test_a_renamed_units_form_is_asked_about_once(issued_ws, make_return, run):
    data = make_return(OLD, Filling(answers={"1.1": DONE}))
    rename(issued_ws, alias=False)
    drop(issued_ws, "2022年6月_市政务服务数据管理局_进展填报表.xlsx", data, on_time())
    out = run(["-w", str(issued_ws.root), "collect"]).output
    asked = [line.strip() for line in out.splitlines() if line.strip().startswith("请核实")]
    assert len(asked) == 1, asked
    assert f"表中的单位“{OLD}”下发过填报表，但已不在单位名录中" in asked[0]
    assert "看不出是哪个单位报送的" not in out


def test_a_file_of_no_unit_is_still_asked_about(issued_ws, run):
    """QA162's line stays for a file nothing attributes (a PDF named after no unit)."""
    drop(issued_ws, "情况说明.pdf", b"%PDF-1.4\n%%EOF\n", on_time())
    out = run(["-w", str(issued_ws.root), "collect"]).output
    (line,) = [x.strip() for x in out.splitlines() if x.strip().startswith("请核实")]
    assert line.startswith("请核实：情况说明.pdf 看不出是哪个单位报送的")


def _python(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_the_stop_handling_is_loaded_with_the_commands():
    done = _python("import sys; import toolkit.cli.app; print('toolkit.interrupts' in sys.modules)")
    assert done.stdout.strip() == "True", done.stderr


def test_an_exit_code_that_is_no_number_exits_1_with_its_text():
    done = _python("from toolkit.cli.app import _end_process; _end_process(2.5)")
    assert done.returncode == 1 and done.stderr == "2.5\n", done.stderr
    done = _python("from toolkit.cli.app import _end_process; _end_process(None)")
    assert done.returncode == 0 and not done.stderr, done.stderr
