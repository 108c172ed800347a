"""QA323: a bad day at the office while the 通报 or 汇总表 is written again.

Ctrl-C (a real SIGINT, sent by the process to itself at the moment named) between the 通报
replaced and its record written said "已取消：通报未更新，原有的通报保持不变" of a 通报 that was
replaced, its edits moved to a （修改稿…） copy; and the next run, finding duban's own file,
said nothing of the copy: the office sent the new 通报 without the leader's name. The
replace and its record are now done whole (`interrupts.held_stops`), and the stop's line says
what was written and where the office's version went.
"""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest
from conftest import set_clock

from toolkit import files, interrupts, office_edits
from toolkit.files import file_sha
from toolkit.ledger import Ledger
from toolkit.ledger.outputs import last_written

MEMO = "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
SUMMARY = "2022年6月_进展汇总表"


@pytest.fixture
def month(issued_ws, monkeypatch):
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    return issued_ws


def _edited(path) -> bytes:
    """The office saves the 通报 with a line of its own (Word rewrites the package)."""
    import docx

    d = docx.Document(str(path))
    d.add_paragraph("领导批示：请各单位抓紧落实。")
    d.save(str(path))
    return path.read_bytes()


def _stop_at(monkeypatch, when: str, name: str) -> None:
    """Ctrl-C (SIGINT to this process) ``when`` ("after-replace", "in-copy") for the file ``name``."""
    real_replace, real_copy = files.replace, office_edits._copy

    def replace(tmp, path):
        real_replace(tmp, path)
        if when == "after-replace" and path.name == name:
            os.kill(os.getpid(), signal.SIGINT)

    def copy(source, target):
        real_copy(source, target)
        if when == "in-copy" and source.name == name:
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(files, "replace", replace)
    monkeypatch.setattr(office_edits, "_copy", copy)


def _saved_earlier(path) -> None:
    """``path`` as duban made it a minute before: only ``docProps/core.xml`` differs."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            part = old.read(item)
            new.writestr(item.filename, part + b"<!-- -->" if item.filename == "docProps/core.xml" else part)
    path.write_bytes(out.getvalue())


def _recorded(ws, path) -> str | None:
    with Ledger(ws.ledger_path) as ledger:
        return last_written(ledger.conn, path.relative_to(ws.root).as_posix())


def _memo_edited_then_stopped(month, run, monkeypatch, when: str):
    """The 通报 written, edited by the office, then written again and stopped ``when``."""
    folder = month.root / "通报" / "2022年6月"
    memo = folder / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    edited = _edited(memo)
    _stop_at(monkeypatch, when, memo.name)
    stopped = run(["memo"], cwd=month.root)
    assert stopped.exit_code == 130
    return folder, memo, edited, stopped


def test_a_ctrl_c_as_the_edited_memo_is_replaced_names_the_copy_and_the_next_run_is_right(month, run, monkeypatch):
    folder, memo, edited, stopped = _memo_edited_then_stopped(month, run, monkeypatch, "after-replace")
    [kept] = [p for p in folder.iterdir() if office_edits.is_kept_copy(p)]
    assert stopped.stderr.splitlines()[-1] == (
        f"已取消：取消前通报已重新生成（“{memo.name}”），原通报已另存为“{kept.name}”，如有修改请抄到新通报中。")
    assert kept.read_bytes() == edited and memo.read_bytes() != edited
    assert _recorded(month, memo) == file_sha(memo)  # the replace and its record: both
    monkeypatch.undo()
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    again = run(["memo"], cwd=month.root)
    assert "另存为" not in again.output and [p for p in folder.iterdir() if office_edits.is_kept_copy(p)] == [kept]


def test_a_ctrl_c_while_the_copy_is_made_leaves_the_office_file_as_it_was(month, run, monkeypatch):
    folder, memo, edited, stopped = _memo_edited_then_stopped(month, run, monkeypatch, "in-copy")
    assert stopped.stderr.splitlines()[-1] == "已取消：通报未更新，原有的通报保持不变。"
    assert memo.read_bytes() == edited
    assert sorted(p.name for p in folder.iterdir()) == [memo.name]  # no half-made copy
    assert list((month.root / ".duban" / "tmp").iterdir()) == []


def test_a_ctrl_c_as_the_summary_is_replaced_says_it_was(month, run, monkeypatch):
    book = month.root / "汇总" / "2022年6月" / (SUMMARY + ".xlsx")
    run(["merge"], cwd=month.root)
    _stop_at(monkeypatch, "after-replace", book.name)
    stopped = run(["merge"], cwd=month.root)
    assert stopped.exit_code == 130
    assert stopped.stderr.splitlines()[-1] == f"已取消：取消前汇总表已重新生成（“{book.name}”）。"
    assert _recorded(month, book) == file_sha(book)


def test_held_stops_stop_after_the_block_and_leave_an_ignored_signal_ignored():
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts.held_stops():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("whole")
    assert done == ["whole"]
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with interrupts.held_stops():
            os.kill(os.getpid(), signal.SIGINT)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:  # Ctrl-C ignored for the rest of the worker's tests otherwise (QA327)
        signal.signal(signal.SIGINT, before)


def test_a_memo_whose_record_was_lost_to_a_kill_is_not_kept_when_it_is_duban_s_own(month, run):
    """`run`'s memo worker killed (Ctrl-C: SIGKILL) between the 通报 replaced and its record:
    the record is of the 通报 before. The next memo kept duban's own file as 您修改过的 (QA323)."""
    from toolkit.ledger.outputs import record_written

    folder = month.root / "通报" / "2022年6月"
    memo = folder / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    _saved_earlier(memo)  # made a minute before: its save time inside differs
    with Ledger(month.ledger_path) as ledger:
        record_written(ledger.conn, memo.relative_to(month.root).as_posix(), "0" * 64)
    again = run(["memo"], cwd=month.root)
    assert "另存为" not in again.output and sorted(p.name for p in folder.iterdir()) == [memo.name]
    assert _recorded(month, memo) == file_sha(memo)


def test_a_stop_after_a_memo_whose_record_never_came_is_told_by_the_file_s_time(month, run):
    """`run`'s memo worker is ended with SIGKILL on Ctrl-C, which nothing holds: killed after
    the 通报 was replaced, before its record, the line says what the file's change time tells."""
    folder = month.root / "通报" / "2022年6月"
    memo = folder / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    _edited(memo)
    started = dt.datetime.now()
    run(["memo"], cwd=month.root)
    [kept] = [p for p in folder.iterdir() if office_edits.is_kept_copy(p)]
    with Ledger(month.ledger_path) as ledger:  # as if never recorded this run
        ledger.conn.execute("UPDATE outputs SET written_at='2000-01-01 00:00:00.000000'")
    assert interrupts.cancelled_line(month, "memo", started) == (
        f"已取消：取消前通报已重新生成（“{memo.name}”），原通报已另存为“{kept.name}”，如有修改请抄到新通报中。")
    assert interrupts.cancelled_line(month, "merge", dt.datetime.now()) == "已取消：汇总表未更新，原有的汇总表保持不变。"
