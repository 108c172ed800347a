"""Power cuts and double clicks: `duban collect` and `duban merge` killed with SIGKILL at
chosen and at random points, in a subprocess; two runs at once on one workspace.

After any kill the ledger opens and is consistent (SQLite transactions), every recorded
file is archived byte for byte, the previous consolidated workbook is intact, and a
re-run finishes the work exactly once: the same receipts, outcomes and 汇总表 values as a
run that was never interrupted.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import drop, late, on_time, zip_bytes
from openpyxl import load_workbook

from toolkit.filling import Answer, Filling, fill_return
from toolkit.workspace import find_workspace

ROOT = Path(__file__).resolve().parent.parent
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
BUSY = "错误：另一个督办程序正在处理这个工作区"
pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork are POSIX")

# Runs duban's CLI in this process after wrapping one function so that its n-th call
# kills the process (SIGKILL: no cleanup, no finally, like a power cut), before or after
# the call. Test code only: nothing in duban knows about it.
KILLER = r"""
import importlib, os, signal, sys
spec = os.environ.get("DUBAN_TEST_KILL")
if spec:
    module_name, attr, nth, when = spec.split(":")
    module = importlib.import_module(module_name)
    owner, name = module, attr
    if "." in attr:
        cls, name = attr.split(".")
        owner = getattr(module, cls)
    original = getattr(owner, name)
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        hit = calls[0] == int(nth)
        if hit and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if hit and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, name, wrapper)
pause = os.environ.get("DUBAN_TEST_PAUSE")
if pause:  # "module:function:GATE": the first call writes GATE.reached, then waits for GATE
    import pathlib, time
    module_name, attr, gate = pause.split(":", 2)
    module = importlib.import_module(module_name)
    original_paused = getattr(module, attr)
    gate = pathlib.Path(gate)

    def paused(*args, **kwargs):
        if not gate.with_suffix(".reached").exists():
            gate.with_suffix(".reached").write_text(str(os.getpid()))
            deadline = time.monotonic() + 120
            while not gate.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        return original_paused(*args, **kwargs)

    setattr(module, attr, paused)
from toolkit.cli import main
sys.argv = ["duban", *sys.argv[1:]]
main()
"""


def _env(kill: str | None = None, pause: str | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("DUBAN_TEST_KILL", None)
    env.pop("DUBAN_TEST_PAUSE", None)
    if kill:
        env["DUBAN_TEST_KILL"] = kill
    if pause:
        env["DUBAN_TEST_PAUSE"] = pause
    return env


def duban(root: Path, *args: str, kill: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", KILLER, *args], cwd=root, env=_env(kill),
                          capture_output=True, text=True, timeout=timeout)


def start(root: Path, *args: str, pause: str | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", KILLER, *args], cwd=root, env=_env(pause=pause),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_clean_exit(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode in (0, 1), (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stderr, proc.stderr


# ---------------------------------------------------------------------------
# the state a run leaves


def ledger_state(root: Path) -> dict:
    """What must be the same after any crash and re-run: receipts, outcomes, rows, issues."""
    con = sqlite3.connect(root / ".duban" / "ledger.sqlite3")
    con.row_factory = sqlite3.Row
    try:
        receipts = con.execute("SELECT * FROM receipts ORDER BY id").fetchall()
        path_of = {r["id"]: (r["inbox_path"] or r["name"], r["sha256"]) for r in receipts}

        def key(r):
            chain, node = [], r
            while node is not None:
                chain.append(path_of[node["id"]])
                node = next((p for p in receipts if p["id"] == node["parent_id"]), None)
            return tuple(reversed(chain))

        out = {}
        for r in receipts:
            rows = con.execute("SELECT task, role, status, progress, work, problems, next_plan, eta, evidence "
                               "FROM rows WHERE receipt_id=? ORDER BY rowid", (r["id"],)).fetchall()
            issues = con.execute("SELECT code, cell, task FROM issues WHERE receipt_id=? ORDER BY code, cell, task",
                                 (r["id"],)).fetchall()
            k = key(r)
            assert k not in out, f"recorded twice: {k}"
            out[k] = (r["outcome"], r["unit"], r["period"], r["archive_path"], r["size"],
                      [tuple(x) for x in rows], [tuple(x) for x in issues])
        return out
    finally:
        con.close()


def assert_consistent(root: Path) -> None:
    """After a kill: the ledger opens, passes integrity_check, and every receipt it holds
    has its file archived byte for byte; no receipt lacks its parent."""
    db = root / ".duban" / "ledger.sqlite3"
    if not db.exists():
        return
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in con.execute("SELECT id FROM receipts")}
        for _rid, parent, sha, archive in con.execute("SELECT id, parent_id, sha256, archive_path FROM receipts"):
            assert parent is None or parent in ids
            assert hashlib.sha256((root / archive).read_bytes()).hexdigest() == sha, archive
        orphans = con.execute("SELECT COUNT(*) FROM rows WHERE receipt_id NOT IN (SELECT id FROM receipts)")
        assert orphans.fetchone()[0] == 0
    finally:
        con.close()


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(c for c in row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def debris(root: Path) -> list[Path]:
    """Temporary files a killed atomic write leaves (never a half-written target)."""
    return [p for p in root.rglob(".~duban-*")]


# ---------------------------------------------------------------------------
# fixtures: one inbox, and the state an uninterrupted run reaches


def _fill(issued_root: Path, unit: str, **answers: Answer) -> bytes:
    filling = Filling(answers={"1.2": DONE})
    filling.answers.update({k.replace("_", "."): v for k, v in answers.items()})
    return fill_return(issued_root / "下发" / "2022年6月" / f"2022年6月_{unit}_进展填报表.xlsx", filling)


@pytest.fixture(scope="module")
def prepared(_session_issued, tmp_path_factory) -> Path:
    """A workspace with a month's mixed inbox, not yet collected (built once per module)."""
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart

    root = tmp_path_factory.mktemp("crash") / "prepared"
    shutil.copytree(_session_issued, root)
    ws = find_workspace(root)

    def fill(unit: str, **answers: Answer) -> bytes:
        return _fill(root, unit, **answers)

    msg = MIMEMultipart()
    msg["Subject"] = "report"
    msg["Date"] = "Mon, 04 Jul 2022 10:00:00 +0800"
    for name, data in (("dongcheng.xlsx", fill("东城街道")), ("nancheng.xlsx", fill("南城街道"))):
        part = MIMEApplication(data, "octet-stream")
        part.add_header("Content-Disposition", "attachment", filename=name)
        msg.attach(part)
    shilong = fill("石龙镇")
    drop(ws, "石龙镇.xlsx", shilong, on_time())
    drop(ws, "虎门镇.xlsx", fill("虎门镇", **{"1_2": Answer(status="滞后", problems="")}), on_time())
    drop(ws, "虎门镇_改.xlsx", fill("虎门镇", **{"1_2": Answer(status="滞后", problems="场地未落实")}), late())
    drop(ws, "镇街.zip", zip_bytes({"万江.xlsx": fill("万江街道"), "莞城.xlsx": fill("莞城街道"), "说明.txt": b"hi"}),
         on_time())
    drop(ws, "邮件.eml", msg.as_bytes(), on_time())
    drop(ws, "厚街镇_坏文件.xlsx", b"PK\x03\x04broken", on_time())  # attributed by its name: a reply
    drop(ws, "子目录/长安镇.xlsx", fill("长安镇"), on_time())
    drop(ws, "石龙镇_再发.xlsx", shilong, late())  # the very same bytes again: W204
    return root


@pytest.fixture(scope="module")
def reference(prepared, tmp_path_factory) -> dict:
    """What an uninterrupted collect + merge produces from the prepared inbox."""
    root = tmp_path_factory.mktemp("crash") / "reference"
    shutil.copytree(prepared, root)
    assert_clean_exit(duban(root, "collect"))
    assert_clean_exit(duban(root, "merge", "--period", "2022-06"))
    merged = next((root / "汇总").rglob("*.xlsx"))
    feedback = sorted(p.relative_to(root).as_posix() for p in (root / "反馈").rglob("*") if p.is_file())
    return {"ledger": ledger_state(root), "merged": workbook_values(merged), "feedback": feedback,
            "root": root}


def fresh(prepared: Path, tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(prepared, root)
    return root


def assert_finished_like(root: Path, reference: dict) -> None:
    assert not [p for p in (root / "收件箱").rglob("*") if p.is_file()]
    assert ledger_state(root) == reference["ledger"]
    assert_consistent(root)
    con = sqlite3.connect(root / ".duban" / "ledger.sqlite3")
    try:
        assert con.execute("SELECT COUNT(*) FROM receipts WHERE parent_id IS NULL AND cleared=0").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL").fetchone()[0] == 0
    finally:
        con.close()
    feedback = sorted(p.relative_to(root).as_posix() for p in (root / "反馈").rglob("*") if p.is_file())
    assert feedback == reference["feedback"]


# ---------------------------------------------------------------------------
# collect


COLLECT_KILLS = [
    "toolkit.inbox:_write_archive:4:after",        # archived, not yet recorded
    "toolkit.ledger.store:Ledger.insert:2:after",         # inside the transaction of one input (quick loop)
    "toolkit.ledger.store:Ledger.resolve_superseded:2:after",  # superseding, before COMMIT
    "toolkit.actions.collect:remove_from_inbox:1:before",   # committed, all still in the inbox
    "toolkit.actions.collect:remove_from_inbox:5:before",   # some removed, none noted yet
    "toolkit.ledger.store:Ledger.mark_cleared:1:before",  # removed from the inbox, not yet noted
    "toolkit.replies:write:1:before",      # everything recorded, no feedback yet
    "toolkit.replies:write_feedback:1:after",      # half the feedback written
]


# Each kill is two duban processes and a comparison with the reference: one stays in the quick
# loop, the others are slow.
@pytest.mark.parametrize("kill", [k if k == COLLECT_KILLS[1] else pytest.param(k, marks=pytest.mark.slow)
                                  for k in COLLECT_KILLS])
def test_collect_killed_at_a_point_then_rerun(prepared, reference, tmp_path, kill):
    root = fresh(prepared, tmp_path, "ws")
    killed = duban(root, "collect", kill=kill)
    assert killed.returncode == -signal.SIGKILL, (kill, killed.returncode, killed.stderr)
    assert_consistent(root)
    assert not debris(root / ".duban")
    rerun = duban(root, "collect")
    assert_clean_exit(rerun)
    assert_finished_like(root, reference)
    if kill == COLLECT_KILLS[-1]:  # and the 汇总表 is the same as if nothing had happened
        assert_clean_exit(duban(root, "merge", "--period", "2022-06"))
        assert workbook_values(next((root / "汇总").rglob("*进展汇总表.xlsx"))) == reference["merged"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_collect_killed_at_a_random_moment_then_rerun(prepared, reference, tmp_path, seed):
    rng = random.Random(seed)
    root = fresh(prepared, tmp_path, "ws")
    for _attempt in range(2):  # two power cuts in a row, then a clean run
        proc = start(root, "collect")
        time.sleep(rng.uniform(0.3, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        assert_consistent(root)
    assert_clean_exit(duban(root, "collect"))
    assert_finished_like(root, reference)


# ---------------------------------------------------------------------------
# merge


MERGE_KILLS = [
    "toolkit.summary_book:build_summary_workbook:1:after",  # temp file being written
    "os:replace:1:before",                                # written in full, not yet in place
]


@pytest.mark.slow
@pytest.mark.parametrize("kill", [*MERGE_KILLS, "random:0"])
def test_merge_killed_keeps_the_previous_workbook(reference, tmp_path, kill):
    root = tmp_path / "ws"
    shutil.copytree(reference["root"], root)
    merged = next((root / "汇总").rglob("*进展汇总表.xlsx"))
    before = merged.read_bytes()
    drop_root = root / "收件箱"
    drop_root.mkdir(exist_ok=True)
    (drop_root / "高埗镇.xlsx").write_bytes(_fill(root, "高埗镇"))
    assert_clean_exit(duban(root, "collect"))
    if kill.startswith("random"):
        proc = start(root, "merge", "--period", "2022-06")
        time.sleep(random.Random(int(kill[-1])).uniform(0.5, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    else:
        killed = duban(root, "merge", "--period", "2022-06", kill=kill)
        assert killed.returncode == -signal.SIGKILL, (kill, killed.stderr)
    now = merged.read_bytes()
    assert now == before or kill.startswith("random")  # a random kill may come after the rename
    assert workbook_values(merged)  # opens, whole
    assert_consistent(root)
    assert_clean_exit(duban(root, "merge", "--period", "2022-06"))
    values = workbook_values(merged)
    assert any("高埗镇.xlsx" in row for row in values["报送情况"])
    assert values != reference["merged"]
    assert all(p.parent == merged.parent for p in debris(root))  # only temp files of the killed save


# ---------------------------------------------------------------------------
# two runs at once


HOLDER = r"""
import sys, time
from toolkit.workspace import find_workspace
with find_workspace(sys.argv[1]).lock():
    print("locked", flush=True)
    time.sleep(600)
"""


def test_second_run_refuses_while_the_first_holds_the_lock(issued_ws):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(issued_ws.root)], env=_env(),
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        for command in (["collect"], ["merge", "--period", "2022-06"]):
            busy = duban(issued_ws.root, *command)
            assert busy.returncode == 4, busy.stderr  # "busy" has its own exit code
            assert busy.stderr.startswith(BUSY), busy.stderr
            assert f"进程 {holder.pid}" in busy.stderr
    finally:
        holder.send_signal(signal.SIGKILL)  # a holder that dies never unlocks by itself
        holder.wait()
    lock_file = issued_ws.root / ".duban" / "run.lock"
    assert f"进程 {holder.pid}" in lock_file.read_text("utf-8", "replace")  # what it left behind
    after = duban(issued_ws.root, "collect")  # the stale lock is taken over
    assert_clean_exit(after)
    assert BUSY not in after.stderr
    assert f"进程 {holder.pid}" not in lock_file.read_text("utf-8", "replace")


def test_two_collects_at_once_count_everything_once(prepared, reference, tmp_path):
    root = fresh(prepared, tmp_path, "ws")
    lock_file = root / ".duban" / "run.lock"
    # The first collect is held mid-run (inside the lock, before its first archive write) until
    # the second has tried: on a busy machine the first could otherwise finish before the
    # second even starts, and the test would prove nothing.
    gate = tmp_path / "gate"
    first = start(root, "collect", pause=f"toolkit.inbox:_write_archive:{gate}")
    deadline = time.monotonic() + 120
    while not gate.with_suffix(".reached").exists():
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert f"进程 {first.pid}" in lock_file.read_text("utf-8", "replace")
    second = duban(root, "collect")
    gate.write_text("go")
    _out, err = first.communicate(timeout=180)
    assert first.returncode in (0, 1) and BUSY not in err, err
    assert second.returncode == 4 and second.stderr.startswith(BUSY), second.stderr
    assert_finished_like(root, reference)
