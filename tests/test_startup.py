"""Start-up cost: commands that only read import nothing heavy.

`duban status` is typed many times a day; pandas (about 320 ms) and openpyxl (about 100 ms)
would make it several times slower than the Python interpreter itself. The test runs the
real command in a subprocess with ``-X importtime`` and reads which modules it loaded.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, drop, issued_path, on_time

HEAVY = ("pandas", "numpy", "openpyxl", "docx", "docxtpl", "jinja2", "lxml", "py7zr", "keyring")


def imported_by(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "toolkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    names = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", done.stderr, flags=re.M))
    return done, names


def heavy(names: set[str]) -> list[str]:
    return sorted(n for n in names if n.split(".")[0] in HEAVY)


def test_status_imports_nothing_heavy(ws) -> None:
    done, names = imported_by(["-w", str(ws.root), "status", "--force"], ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "toolkit.cli" in names  # the importtime output was read
    assert heavy(names) == []


def test_status_after_collect_imports_nothing_heavy(issued_ws) -> None:
    from toolkit.actions.collect import collect

    for unit in ("市发展改革局", "莞城街道"):
        drop(issued_ws, issued_path(issued_ws, unit).name, issued_path(issued_ws, unit).read_bytes(), on_time())
    collect(issued_ws, "2022-06")
    done, names = imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "toolkit.cli" in names
    assert heavy(names) == []
    # the master's importer (grammar, columns, prose) is for `master import` only, and the
    # checker with its spreadsheet readers for what reads a return (a past month's record
    # brought them in once: 10 modules, ~12 ms of every status)
    assert not {"toolkit.master.importer", "toolkit.master.grammar", "toolkit.checks", "toolkit.spreadsheet",
                "toolkit.returns"} & names
    # nor the evidence rules and reply bookkeeping a rare 请核实 line reads senders with
    # (`senders.unknown_senders`: 10 ms of every status when imported at the top)
    assert not {"toolkit.evidence", "toolkit.owed"} & names
    # nor hashlib, which loads OpenSSL's libcrypto (_hashlib: 3 ms of every status); the master
    # cache hashes with the interpreter's own BLAKE2b (`master.cache`), not its sha256: 1.6 M
    # instructions of every status where sha256 was 5.4 M (QA395)
    assert not {"hashlib", "_hashlib", "_sha256", "_sha2"} & names
    assert "_blake2" in names
    # nor the logging package, with traceback, linecache, tokenize, textwrap and string: status's
    # two lines go straight to 日志/duban.log (`run_log`; 17.3 M of its 369 M instructions, QA384)
    assert not {"logging", "traceback", "toolkit.logs"} & names


    # nor the commands of other modules than its own: loaded when named
    # (`cli.base.COMMAND_MODULES`, 1.8 ms of every status; `month`'s, 3.2 M instructions, QA384)
    assert not {"toolkit.cli.desk", "toolkit.cli.issue", "toolkit.cli.setup", "toolkit.cli.month"} & names
    # nor the utf-8-sig codec duban.toml was decoded with (`settings.decode_config`: 0.7 M)
    assert "encodings.utf_8_sig" not in names
    # QA339 (each per-module import time, min of 8 runs): tomllib, duban.toml being parsed
    # already (`settings._parsed`, 1.5 ms); the
    # import summary and its `Words` (`master.workbook`, `cli.month._echo_figures`, 1.4 ms); the
    # codes table (`codes`, 0.9 ms); fcntl, status taking no lock
    assert not {"tomllib", "fcntl", "toolkit.rectification",
                "toolkit.master.summary", "toolkit.codes", "toolkit.import_codes"} & names
    # nor the classes status makes none of: task rows (`task_summary`, 3.3 M instructions) and an
    # import's report (`master.import_report`, 2.0 M) (QA347)
    assert not {"toolkit.task_summary", "toolkit.master.import_report"} & names


def test_loading_the_monthly_commands_opens_no_workspace() -> None:
    """`import toolkit.cli.app` (what `main` loads before any command runs) loaded `workspace`
    with settings, tomllib, the master's model and report's table through `interrupts`' and
    `cli.base`'s imports: 97 M of its 343 M instructions (callgrind; QA339). A command loads
    them when it opens its workspace."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", "import sys, toolkit.cli.app; print(' '.join(sys.modules))"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set(done.stdout.split())
    assert "toolkit.cli.base" in names
    # nor any command's module: each loads when its command is named (`base.COMMAND_MODULES`);
    # `month`'s other commands were 3.2 M of every status's 351 M instructions (QA384)
    assert not {n for n in names if n.startswith("toolkit.cli.") and n not in ("toolkit.cli.app", "toolkit.cli.base")}
    assert not {"toolkit.workspace", "toolkit.settings", "toolkit.report", "toolkit.units", "toolkit.master.model",
                "tomllib"} & names


def test_duban_toml_is_decoded_as_the_utf_8_sig_codec_decodes_it(tmp_path) -> None:
    """`settings.decode_config` drops the BOM itself; what it reads is what the codec read."""
    from toolkit.errors import BadConfig
    from toolkit.settings import decode_config

    bom = b"\xef\xbb\xbf"
    for raw in (b'name = "x"\n', bom + 'name = "东莞"\n'.encode(), bom + bom + b"a", b"", bom,
                'name = "东莞"'.encode("gb18030")):
        try:
            expected = raw.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            expected = raw.decode("gb18030"), "gb18030"
        assert decode_config(raw, tmp_path / "duban.toml") == expected, raw
    with pytest.raises(BadConfig, match="编码无法识别"):  # neither: refused, as before
        decode_config(bom + "东莞".encode("gb18030"), tmp_path / "duban.toml")


def test_status_compiles_no_deadline_pattern(issued_ws) -> None:
    """The pattern that reads 立行立改 in a 完成时限 (`dates._AT_ONCE`) is for a workbook or an
    import being read: compiled at import, it was 1.9 M instructions of every status; so is the
    one that reads a 完成时限's leading year (`date_columns._LEADING_YEAR`: 0.25 M, QA395)."""
    imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)  # the master read, its cache written
    code = ("from toolkit import dates, find_workspace, status; from toolkit.master import date_columns; "
            f"status(find_workspace({str(issued_ws.root)!r})); "
            "print([sorted(getattr(p, '__dict__', {'compiled at import': 1}))"
            " for p in (dates._AT_ONCE, date_columns._LEADING_YEAR)])")
    done = subprocess.run([sys.executable, "-c", code], env=_quiet_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[['flags', 'pattern'], ['flags', 'pattern']]"  # `text.LazyPattern`s not yet compiled


def test_every_command_is_named_in_command_modules() -> None:
    """`duban` finds every command by `COMMAND_MODULES`: a command added to `month`, `status`,
    `desk`, `issue` or `setup` without its line there would be unknown."""
    from toolkit.cli import cli
    from toolkit.cli.base import COMMAND_MODULES

    where = {name: command.callback.__module__.rsplit(".", 1)[1] for name, command in cli.commands.items()}
    assert where == COMMAND_MODULES


def test_status_with_files_waiting_in_the_inbox_loads_no_archive_readers(issued_ws) -> None:
    """A file waiting in 收件箱 makes status hash it (`inbox.not_collected`, the 请核实 line
    about it); the inbox module's readers and archivers (zipfile with zlib, bz2 and lzma,
    shutil, unpack) are for collect: about 4 ms of every such status (W1, issue 19)."""
    unit = "市发展改革局"
    drop(issued_ws, issued_path(issued_ws, unit).name, issued_path(issued_ws, unit).read_bytes(), on_time())
    # the first command after the master changed reads it and writes its cache (calamine,
    # tempfile and with it shutil); every later status reads the cache
    imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)
    done, names = imported_by(["-w", str(issued_ws.root), "status"], issued_ws.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "toolkit.inbox" in names  # the waiting file was looked at
    assert not {"zipfile", "shutil", "bz2", "lzma", "toolkit.unpack"} & names
    # nor hashlib (OpenSSL): no receipt has the waiting file's size, so it is not read, nor
    # hashed (`inbox.not_collected`; 4.1 ms of a W1 status, QA347)
    assert not {"hashlib", "_hashlib"} & names



def test_collect_of_spreadsheets_loads_no_mail_parser_and_no_workers(issued_ws, make_return) -> None:
    """A city's month of clean .xlsx returns parses no mail, writes no reply and starts no
    worker: the email package (about 11 ms) and multiprocessing (about 5 ms) are imported
    only when used."""
    from test_evidence import clean

    for unit in ("市发展改革局", "莞城街道"):
        drop(issued_ws, f"{unit}.xlsx", make_return(unit, clean()), on_time())
    done, names = imported_by(["-w", str(issued_ws.root), "collect", "--period", "2022-06"], issued_ws.root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"toolkit.owed", "toolkit.parallel"} <= names
    assert not {n for n in names if n.split(".")[0] in ("email", "multiprocessing", "html")}
    # nor duban's mail and cloud-link readers (16 regexes, four dataclasses: 6-8 ms of a W1
    # collect, which had them for the directory's addresses and a reply never written)
    assert not {"toolkit.mail", "toolkit.cloud"} & names


def test_the_command_ends_without_teardown_but_with_its_log_and_output(issued_ws) -> None:
    """`duban` ends its process without the interpreter's teardown (14 ms of a status): what
    it printed and the last line of 日志/duban.log are there all the same, and the exit code is
    the command's."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-m", "toolkit", "-w", str(issued_ws.root), "status"],
                          cwd=issued_ws.root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("2022年6月报送情况") and done.stdout.endswith("\n")
    log = (issued_ws.root / "日志" / "duban.log").read_text(encoding="utf-8")
    assert "结束，用时" in log.rstrip().splitlines()[-1]  # written by the command's last log call
    wrong = subprocess.run([sys.executable, "-m", "toolkit", "-w", str(issued_ws.root), "status", "--period", "x"],
                           cwd=issued_ws.root, env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and wrong.stderr.strip()


def _quiet_env(**more: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("PYTHONIOENCODING", None)
    env.update(more)
    return env


def test_a_stop_while_the_commands_load_says_one_line_and_exits_130() -> None:
    """Ctrl-C or SIGTERM while click and the commands load (a tenth of a second, more on a slow
    PC) printed a KeyboardInterrupt traceback or ended the process without a word (QA161):
    `main` sets its stop handlers before loading them. (A stop before Python itself has
    started, while it reads its site-packages, is Python's own.)"""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        # as from a terminal: a background job (CI's own run, its test workers) may inherit the
        # stop signals ignored, and a signal the parent ignores stays ignored
        code = ("import os, signal, time; signal.signal(signal.SIGINT, signal.default_int_handler); "
                "signal.signal(signal.SIGTERM, signal.SIG_DFL); from toolkit import cli; cli._stop_while_loading(); "
                f"os.kill(os.getpid(), {int(sig)}); time.sleep(30)")
        done = subprocess.run([sys.executable, "-c", code], env=_quiet_env(), capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 130, (sig, done.stderr)
        assert done.stderr == "已取消：程序尚未开始处理，没有做任何操作。\n", sig


def test_a_console_that_cannot_write_chinese_gets_utf8_not_an_internal_error(issued_ws) -> None:
    """An output whose encoding cannot write Chinese — on an English Windows, `duban status >
    状态.txt` writes in cp1252 — ended in 内部错误 (UnicodeEncodeError, exit 3) on the first
    line (QA161). It gets UTF-8. (LC_ALL=C alone is no such case: Python then runs in UTF-8.)"""
    done = subprocess.run([sys.executable, "-m", "toolkit", "-w", str(issued_ws.root), "status"],
                          cwd=issued_ws.root, env=_quiet_env(PYTHONIOENCODING="cp1252"),
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert done.stdout.decode("utf-8").startswith("2022年6月报送情况")
