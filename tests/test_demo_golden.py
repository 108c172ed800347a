"""The demo month, pinned: issue 17 asks for "the same outputs on the demo month, byte for byte
where outputs were deterministic before", and this test keeps that checkable after every change.

`duban demo` plays June 2022 in this process with the clock frozen at 2022-07-20 10:00
(Asia/Shanghai). Its deterministic outputs are then normalised and digested:

* 汇总表: every member of the consolidated workbook;
* 通报: the text of word/document.xml, paragraph by paragraph (table cells included);
* ledger: each table's rows;
* 反馈: every member of each reply workbook;
* returns: the issued forms (下发) and the returns as archived (归档): one digest per workbook,
  and one per member name across all workbooks of that kind, so a failure names both;
* what the command printed.

The digests are compared with ``tests/golden/demo_month.json``; a readable summary (what was
printed, 总览 and 收件登记 values, each reply's 校验结果, the memo's text, the ledger's row
counts) with ``tests/golden/demo_month.md``, whose diff shows a reviewer what changed.

Left out or masked, and why (each varies from run to run with nothing changed):

* zip metadata (member dates, order, compression): openpyxl stamps members with the wall
  clock and with temporary files' modification times, so members are compared by content;
* ``docProps/*``: creation and modification times;
* sha256 values and the 12-hex prefix of archive names (ledger, 收件登记), and the size the
  ledger records for each received file: they measure whole files, whose zip dates and
  docProps times come from the wall clock (openpyxl's own, which is not frozen);
* ``.eml`` files and the ledger's ``drafts.sha256``/``message_id``: random MIME boundaries and
  Message-IDs;
* the workspace's absolute path.

A deliberate change of output is accepted with::

    DUBAN_REFRESH_GOLDEN=1 python -m pytest tests/test_demo_golden.py -n0

then ``git diff tests/golden`` is reviewed and committed with the change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import importlib
import json
import os
import pkgutil
import re
import sqlite3
import sys
import types
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from conftest import ROOT

import toolkit
from toolkit.actions.demo import DEMO_DAY

GOLDEN = ROOT / "tests" / "golden"
DIGESTS = GOLDEN / "demo_month.json"
SUMMARY = GOLDEN / "demo_month.md"
REFRESH = "DUBAN_REFRESH_GOLDEN"
HOW_TO_REFRESH = (f"If the change is deliberate, refresh the golden files with\n"
                  f"    {REFRESH}=1 python -m pytest tests/test_demo_golden.py -n0\n"
                  f"and review `git diff tests/golden` before committing it with the change.")

#: The office's clock during the demo: its own day (`demo.DEMO_DAY`), which dates its 通报 too.
FROZEN = DEMO_DAY
DIGEST_CHARS = 16  # 64 bits: plenty to see a change, short enough to keep the fixture small

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")
ARCHIVE_PREFIX = re.compile(r"(归档/[^/<\"']+/)[0-9a-f]{12}_")
VOLATILE_COLUMNS = {("receipts", "sha256"), ("receipts", "size"), ("drafts", "sha256"), ("drafts", "message_id")}
#: tables whose rows are written in an order the run does not fix: `duban run` writes the 通报 in
#: a worker while the 汇总表 is written (`actions.run`), and whichever is done first is recorded
#: first in ``outputs`` (CI at 51eeaeb, under load: the 通报's row came first)
ORDER_BY = {"outputs": "path"}


# ---------------------------------------------------------------------------
# a frozen clock


class _Frozen(type):
    """Metaclass of the frozen `date`/`datetime`: real instances still pass ``isinstance``
    (toolkit tests ``isinstance(cell, dt.datetime)`` on openpyxl's values)."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls.real)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls.real)


def _frozen_datetime_module(moment: dt.datetime) -> types.ModuleType:
    """A stand-in for the ``datetime`` module whose clock reads `moment`. A naive ``now()`` or
    ``today()`` is `moment`'s wall time, so nothing depends on this machine's time zone.
    Everything else is the real module, and what its classes make is a real date/datetime."""
    wall = moment.replace(tzinfo=None)

    class date(dt.date, metaclass=_Frozen):
        real = dt.date

        def __new__(cls, *args, **kwargs):
            return dt.date(*args, **kwargs)

        @classmethod
        def today(cls):
            return wall.date()

    class datetime(dt.datetime, metaclass=_Frozen):
        real = dt.datetime

        def __new__(cls, *args, **kwargs):
            return dt.datetime(*args, **kwargs)

        @classmethod
        def now(cls, tz=None):
            return wall if tz is None else moment.astimezone(tz)

        @classmethod
        def today(cls):
            return wall

        @classmethod
        def utcnow(cls):
            return moment.astimezone(dt.timezone.utc).replace(tzinfo=None)

    frozen = types.ModuleType("datetime", "datetime with a frozen clock (tests/test_demo_golden.py)")
    frozen.__dict__.update({k: v for k, v in vars(dt).items() if not k.startswith("__")})
    frozen.date, frozen.datetime = date, datetime
    return frozen


def _toolkit_modules() -> list[types.ModuleType]:
    return [m for name, m in list(sys.modules.items())
            if m is not None and (name == "toolkit" or name.startswith("toolkit."))]


@pytest.fixture
def frozen_clock(monkeypatch):
    """Freeze the clock the demo month reads.

    ``Workspace.now()`` is the office clock's seam, but other clock reads bypass it (when this
    was written: ``ledger.store.now`` for every ledger timestamp, the memo's date in
    ``memo.context``, ``actions.issue``'s today, ``returns``' generated_at, ``actions.collect``
    and ``actions.remind``). Every toolkit module does ``import datetime as dt``, so one
    mechanism covers all of them, the seam included: each module's ``dt`` becomes a
    ``datetime`` module whose clock is `FROZEN`. All toolkit modules are imported first, so
    none loaded during the run keeps the real clock (the test checks that afterwards).
    """
    for info in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue  # `python -m toolkit` runs the CLI when imported
        with contextlib.suppress(ImportError):  # an optional dependency the demo does not use
            importlib.import_module(info.name)
    frozen = _frozen_datetime_module(FROZEN)
    for module in _toolkit_modules():
        if getattr(module, "dt", None) is dt:
            monkeypatch.setattr(module, "dt", frozen)
    return frozen


# ---------------------------------------------------------------------------
# normalising and digesting


def _digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def _unroot(text: str, root: Path) -> str:
    for form in {str(root), root.as_posix()}:
        text = text.replace(form, "<ROOT>")
    return text


def _unhash(text: str) -> str:
    return ARCHIVE_PREFIX.sub(r"\1<hash>_", HEX64.sub("<sha256>", text))


def _members(path: Path, root: Path, unhash: bool = False) -> dict[str, str]:
    """Content digest of every member of a zip package but docProps/ (times)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.startswith("docProps/"):
                continue
            text = _unroot(z.read(name).decode("utf-8", "surrogateescape"), root)
            out[name] = _digest(_unhash(text) if unhash else text)
    return out


def _memo_paragraphs(path: Path) -> list[str]:
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        body = ElementTree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{ns}t")) for p in body.iter(f"{ns}p")]


def _ledger_rows(path: Path, root: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'"
                                            " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {"_schema": [f"user_version {con.execute('PRAGMA user_version').fetchone()[0]}"]
               + [sql for (sql,) in con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
                                                " AND name NOT LIKE 'sqlite_%' ORDER BY name")]}
        for table in tables:
            cur = con.execute(f'SELECT * FROM "{table}" ORDER BY {ORDER_BY.get(table, "rowid")}')
            cols = [d[0] for d in cur.description]
            rows = []
            for row in cur:
                cells = {c: ("<volatile>" if (table, c) in VOLATILE_COLUMNS else v) for c, v in zip(cols, row)}
                rows.append(_unhash(_unroot(json.dumps(cells, ensure_ascii=False, sort_keys=True), root)))
            out[table] = rows
        return out
    finally:
        con.close()


def _returns(paths: list[Path], root: Path, label: str) -> dict[str, str]:
    """One digest per workbook, and one per member name across all of them."""
    out, by_member = {}, {}
    for path in paths:
        members = _members(path, root)
        key = ARCHIVE_PREFIX.sub(r"\1<hash>_", path.relative_to(root).as_posix())
        out[key] = _digest(json.dumps(members, sort_keys=True))
        for name, digest in members.items():
            by_member.setdefault(name, []).append(f"{key} {digest}")
    for name, lines in by_member.items():
        out[f"{label}/*.xlsx!{name}"] = _digest("\n".join(sorted(lines)))
    return out


def _values(path: Path, sheet: str, columns: list[str] | None = None, min_row: int = 1) -> list[str]:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True, data_only=True)[sheet]
    rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(min_row=min_row, values_only=True)]
    if columns:
        header = next(r for r in rows if set(columns) <= set(r))
        at = [header.index(c) for c in columns]
        rows = [[r[i] if i < len(r) else "" for i in at] for r in rows[rows.index(header):]]
    lines = ["\t".join(r).rstrip("\t") for r in rows]
    return [line for line in lines if line]


def digest_demo(root: Path, stdout: str) -> tuple[dict[str, str], str, dict[str, list[str]]]:
    """(digests, readable summary, the ledger's normalised rows) of a demo workspace."""
    period = "2022年6月"
    merged = root / "汇总" / period / f"{period}_进展汇总表.xlsx"
    (memo,) = sorted((root / "通报" / period).glob("*.docx"))
    replies = sorted((root / "反馈" / period).rglob("*.xlsx"))
    issued = sorted((root / "下发" / period).glob("*.xlsx"))
    archived = sorted(p for p in (root / "归档" / period).glob("*.xlsx"))
    ledger = _ledger_rows(root / ".duban" / "ledger.sqlite3", root)
    printed = _unroot(stdout, root)
    paragraphs = _memo_paragraphs(memo)

    digests = {"stdout": _digest(printed)}
    digests.update({f"汇总/{merged.name}!{n}": d for n, d in _members(merged, root, unhash=True).items()})
    digests[f"通报/{memo.name}!word/document.xml text"] = _digest("\n".join(paragraphs))
    digests.update({f"ledger!{table}": _digest("\n".join(rows)) for table, rows in ledger.items()})
    for path in replies:
        key = path.relative_to(root).as_posix()
        digests.update({f"{key}!{n}": d for n, d in _members(path, root).items()})
    digests.update(_returns(issued, root, "下发"))
    digests.update(_returns(archived, root, "归档"))

    summary = [
        "# The demo month, as pinned by tests/test_demo_golden.py", "",
        f"Clock frozen at {FROZEN.isoformat()}. Generated by the test ({REFRESH}=1); do not edit by hand.", "",
        "## duban demo printed", "", "```", *printed.rstrip("\n").splitlines(), "```", "",
        "## 汇总表: 总览", "", "```", *_values(merged, "总览"), "```", "",
        "## 汇总表: 收件登记 (without hashes)", "", "```",
        *_values(merged, "收件登记", ["序号", "原文件名", "报送时间", "时间依据", "单位", "单位依据", "结果",
                                  "错误数", "警告数"]), "```", "",
        f"## 反馈 ({len(replies)} reply workbooks)", "",
    ]
    for path in replies:
        summary += [f"### {path.relative_to(root).as_posix()}", "", "```", *_values(path, "校验结果"), "```", ""]
    summary += ["## 通报: word/document.xml text", "", "```", *[p for p in paragraphs if p.strip()], "```", "",
                "## Ledger rows", "", *[f"- {t}: {len(rows)}" for t, rows in ledger.items() if t != "_schema"],
                f"- {ledger['_schema'][0]}", "",
                f"## Returns: {len(issued)} issued (下发), {len(archived)} archived (归档)", ""]
    return dict(sorted(digests.items())), "\n".join(summary), ledger


# ---------------------------------------------------------------------------
# the test


def _run_demo(folder: Path) -> str:
    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["demo", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.slow
def test_demo_month_outputs_match_the_golden_files(frozen_clock, tmp_path):
    root = tmp_path / "演示"
    stdout = _run_demo(root)
    unfrozen = [m.__name__ for m in _toolkit_modules() if getattr(m, "dt", None) is dt]
    assert not unfrozen, f"imported during the demo, so their clock was not frozen: {unfrozen}"
    digests, summary, ledger = digest_demo(root.resolve(), stdout)
    fixture = {"about": "Digests of the demo month's normalised outputs; see tests/test_demo_golden.py. "
                        + HOW_TO_REFRESH.replace("\n", " "),
               "clock": FROZEN.isoformat(), "digest": f"sha256, first {DIGEST_CHARS} hex digits",
               "digests": digests}

    if os.environ.get(REFRESH) == "1":
        GOLDEN.mkdir(exist_ok=True)
        DIGESTS.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        SUMMARY.write_text(summary + "\n", encoding="utf-8")
        pytest.skip(f"{REFRESH}=1: rewrote {DIGESTS.relative_to(ROOT)} and {SUMMARY.relative_to(ROOT)};"
                    " review `git diff tests/golden`")

    if not DIGESTS.exists() or not SUMMARY.exists():
        pytest.fail(f"golden files missing ({DIGESTS.relative_to(ROOT)}, {SUMMARY.relative_to(ROOT)}).\n"
                    + HOW_TO_REFRESH, pytrace=False)
    pinned = json.loads(DIGESTS.read_text(encoding="utf-8"))["digests"]
    changed = sorted(k for k in pinned.keys() & digests.keys() if pinned[k] != digests[k])
    gone = sorted(pinned.keys() - digests.keys())
    new = sorted(digests.keys() - pinned.keys())
    summary_diff = list(difflib.unified_diff(SUMMARY.read_text(encoding="utf-8").rstrip("\n").splitlines(),
                                             summary.splitlines(), "golden/demo_month.md", "this run",
                                             n=1, lineterm=""))
    if changed or gone or new or summary_diff:
        lines = ["The demo month's outputs differ from tests/golden/ (normalised as the module"
                 " docstring says, so this is a real change of output)."]
        for title, keys in (("changed", changed), ("no longer produced", gone), ("new", new)):
            if keys:
                lines.append(f"{title} ({len(keys)}):")
                lines += [f"  {k}" for k in keys[:40]] + ([f"  ... and {len(keys) - 40} more"] if len(keys) > 40 else [])
        # a ledger table's digest alone says nothing of what differed: its rows as this run wrote them
        for key in changed:
            if key.startswith("ledger!") and len(ledger.get(key[7:], ())) <= 20:
                lines.append(f"{key}, this run:")
                lines += [f"  {row}" for row in ledger[key[7:]]]
        if summary_diff:
            lines.append("readable summary, golden -> this run:")
            lines += summary_diff[:80] + ([f"... ({len(summary_diff) - 80} more lines)"] if len(summary_diff) > 80 else [])
        lines.append(HOW_TO_REFRESH)
        pytest.fail("\n".join(lines), pytrace=False)
