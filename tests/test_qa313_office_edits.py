"""QA313: an office's edits to the 通报 or 汇总表 are never lost silently.

The office polishes the 通报 in Word (a paragraph, a leader's name) or annotates the 汇总表;
a late return comes and 3-生成通报 (or 2-收取并汇总) runs again. Both files were rewritten and
the edits were gone without a word. Now duban remembers what it wrote (the ledger's
``outputs``, migration 19) and keeps a file changed since beside the new one, saying so.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import sqlite3
import zipfile

import pytest
from conftest import ledger_at, set_clock, shanghai

from toolkit import files, office_edits
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.outputs import last_written, record_written

MEMO = "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
SUMMARY = "2022年6月_进展汇总表"
#: when the office saved its edits (Beijing time): the kept copy's name says it
SAVED = shanghai(dt.datetime(2022, 7, 8, 14, 5))
LATER = shanghai(dt.datetime(2022, 7, 9, 9, 30))


@pytest.fixture
def month(issued_ws, monkeypatch):
    """June's forms issued, its deadline past: merge and memo make the month's files."""
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    return issued_ws


def _memo_dir(ws):
    return ws.root / "通报" / "2022年6月"


def _merged_dir(ws):
    return ws.root / "汇总" / "2022年6月"


def _office_edits(path, text: bytes, when: float = SAVED) -> bytes:
    """The office opens ``path`` in Word or Excel, changes it and saves: ``text`` goes into the
    document's (or first sheet's) part, as a comment; the rest is copied."""
    if path.suffix == ".md":
        data = path.read_bytes() + text
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for item in old.infolist():
                part = old.read(item)
                if item.filename in ("word/document.xml", "xl/worksheets/sheet1.xml"):
                    part += b"<!--" + text + b"-->"
                new.writestr(item.filename, part)
        data = out.getvalue()
    path.write_bytes(data)
    os.utime(path, (when, when))
    return data


def _names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _kept_memo(label: str) -> str:
    return f"{MEMO}（{label}）.docx"


def _memo_line(kept: str, new: str = MEMO + ".docx") -> str:
    return f"通报已按最新数据重新生成；您修改过的旧版本已另存为“{kept}”，请把修改抄到新通报“{new}”中。"


def test_a_memo_the_office_edited_is_kept_beside_the_new_one(month, run):
    memo = _memo_dir(month) / (MEMO + ".docx")
    first = run(["memo"], cwd=month.root)
    same = run(["memo"], cwd=month.root)  # not edited: rewritten as ever, nothing kept, nothing said
    assert (same.exit_code, same.output) == (first.exit_code, first.output)
    assert _names(_memo_dir(month)) == [MEMO + ".docx"]
    edited = _office_edits(memo, b"leader's name")
    again = run(["memo"], cwd=month.root)
    kept = _kept_memo("修改稿，7月8日14时05分保存")
    assert again.stderr.splitlines()[0] == _memo_line(kept)
    assert again.exit_code == 1
    assert _names(_memo_dir(month)) == sorted([MEMO + ".docx", kept])
    assert (_memo_dir(month) / kept).read_bytes() == edited
    assert os.stat(_memo_dir(month) / kept).st_mtime == SAVED  # as the office saved it
    assert memo.read_bytes() != edited
    # the rest is as the first run said it: the path on stdout, the month's lines after
    assert again.stdout == first.stdout
    assert again.stderr.splitlines()[1:] == first.stderr.splitlines()
    # the new one is duban's own again: a third run keeps nothing more
    third = run(["memo"], cwd=month.root)
    assert "另存为" not in third.output
    assert _names(_memo_dir(month)) == sorted([MEMO + ".docx", kept])


def test_edited_twice_across_runs_keeps_both_versions(month, run):
    memo = _memo_dir(month) / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    first = _office_edits(memo, b"first edit")
    run(["memo"], cwd=month.root)
    second = _office_edits(memo, b"second edit", LATER)
    again = run(["memo"], cwd=month.root)
    assert again.stderr.splitlines()[0] == _memo_line(_kept_memo("修改稿，7月9日09时30分保存"))
    assert (_memo_dir(month) / _kept_memo("修改稿，7月8日14时05分保存")).read_bytes() == first
    assert (_memo_dir(month) / _kept_memo("修改稿，7月9日09时30分保存")).read_bytes() == second
    # saved in the same minute again: a name of its own, never over the copy kept before
    third = _office_edits(memo, b"third edit", LATER)
    run(["memo"], cwd=month.root)
    assert (_memo_dir(month) / _kept_memo("修改稿，7月9日09时30分保存，2")).read_bytes() == third
    assert (_memo_dir(month) / _kept_memo("修改稿，7月9日09时30分保存")).read_bytes() == second


def test_the_markdown_memo_is_kept_too(month, run):
    memo = _memo_dir(month) / (MEMO + ".md")
    run(["memo", "--format", "md"], cwd=month.root)
    edited = _office_edits(memo, "领导批示".encode())
    again = run(["memo", "--format", "md"], cwd=month.root)
    kept = f"{MEMO}（修改稿，7月8日14时05分保存）.md"
    assert again.stderr.splitlines()[0] == _memo_line(kept, MEMO + ".md")
    assert (_memo_dir(month) / kept).read_bytes() == edited


def test_an_annotated_summary_is_kept_beside_the_new_one(month, run):
    book = _merged_dir(month) / (SUMMARY + ".xlsx")
    first = run(["merge"], cwd=month.root)
    assert "另存为" not in first.output
    edited = _office_edits(book, b"annotated")
    again = run(["merge"], cwd=month.root)
    kept = f"{SUMMARY}（修改稿，7月8日14时05分保存）.xlsx"
    assert again.stderr.splitlines()[-1] == (
        f"汇总表已按最新数据重新生成；原汇总表生成后在 Excel/WPS 中保存过，已另存为“{kept}”，"
        f"如有修改请抄到新汇总表“{SUMMARY}.xlsx”中。")
    assert again.exit_code == 1
    assert (_merged_dir(month) / kept).read_bytes() == edited
    assert again.stdout == first.stdout
    # `duban open 汇总` opens the new one, not the copy (the newest)
    from toolkit.actions.open import find_output

    assert find_output(month, "汇总") == book


def test_a_file_duban_has_no_record_of_is_kept_when_it_differs(month, run):
    """A 通报 written before version 19 (or whose record was lost): it may hold the office's
    edits, so it is kept, said as what it is, once; one the same as the new file is not."""
    memo = _memo_dir(month) / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    with Ledger(month.ledger_path) as ledger:
        ledger.conn.execute("DELETE FROM outputs")
    again = run(["memo"], cwd=month.root)  # the same bytes as before: nothing to keep
    assert "另存为" not in again.output and _names(_memo_dir(month)) == [MEMO + ".docx"]
    with Ledger(month.ledger_path) as ledger:
        ledger.conn.execute("DELETE FROM outputs")
    old = _office_edits(memo, b"before the upgrade")
    again = run(["memo"], cwd=month.root)
    kept = _kept_memo("旧版，7月8日14时05分保存")
    assert again.stderr.splitlines()[0] == (
        f"通报已按最新数据重新生成；原有的通报没有生成记录（升级前生成），无法判断是否修改过，已另存为“{kept}”，"
        f"如有修改请抄到新通报“{MEMO}.docx”中。")
    assert (_memo_dir(month) / kept).read_bytes() == old
    assert "另存为" not in run(["memo"], cwd=month.root).output


def test_a_memo_open_in_word_is_refused_as_before_and_nothing_kept(month, run):
    memo = _memo_dir(month) / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    edited = _office_edits(memo, b"being edited")
    (_memo_dir(month) / ("~$" + memo.name[2:])).write_bytes(b"owner")
    again = run(["memo"], cwd=month.root)
    assert again.exit_code == 2
    assert again.stderr == f"错误：“{memo.name}”正被 Word/WPS 打开，请先关闭该文件再运行。\n"
    assert memo.read_bytes() == edited and not any("修改稿" in n for n in _names(_memo_dir(month)))


def test_a_full_disk_while_keeping_the_copy_leaves_the_office_file_alone(month, run, monkeypatch):
    memo = _memo_dir(month) / (MEMO + ".docx")
    run(["memo"], cwd=month.root)
    edited = _office_edits(memo, b"leader's name")

    def full(source, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(office_edits, "_copy", full)
    again = run(["memo"], cwd=month.root)
    kept = _memo_dir(month) / _kept_memo("修改稿，7月8日14时05分保存")
    assert again.exit_code == 2
    assert again.stderr == (
        f"错误：您修改过的通报“{memo.name}”原样保留，没有重新生成：重新生成前要先把它另存一份，"
        f"但磁盘已满，无法写入“{kept}”。请删除不需要的文件、腾出磁盘空间后重新运行。\n")
    assert memo.read_bytes() == edited and _names(_memo_dir(month)) == [memo.name]
    assert not list((month.state_dir / "tmp").iterdir())


def test_a_read_only_folder_while_keeping_the_copy_leaves_the_office_file_alone(month, run, monkeypatch):
    book = _merged_dir(month) / (SUMMARY + ".xlsx")
    run(["merge"], cwd=month.root)
    edited = _office_edits(book, b"annotated")
    real = files.os.replace

    def refused(src, dst):  # the folder refuses new files (a share the office may only read)
        raise PermissionError(errno.EACCES, "Permission denied", str(src), None, str(dst))

    monkeypatch.setattr(files.os, "replace", refused)
    again = run(["merge"], cwd=month.root)
    monkeypatch.setattr(files.os, "replace", real)
    assert again.exit_code == 2
    assert again.stderr.splitlines()[-1] == (
        f"错误：原有的汇总表“{book.name}”原样保留，没有重新生成：重新生成前要先把它另存一份，"
        f"但没有写入权限：“{book.parent}”。请检查该文件或文件夹是否只读、是否有修改权限，改正后重新运行。")
    assert book.read_bytes() == edited and _names(_merged_dir(month)) == [book.name]


def test_a_workspace_without_a_ledger_gets_none_made_for_the_record(ws):
    """No ledger: none is made to hold the record (it would hide `check_ledger`'s refusal of a
    folder copied without .duban); the file is written, and kept when it differs."""
    assert not ws.ledger_path.exists()
    root = ws.root
    target = root / "通报" / "a.md"
    assert office_edits.write_output(ws, target, lambda tmp: tmp.write_bytes(b"one"), "通报") is None
    assert not ws.ledger_path.exists()
    kept = office_edits.write_output(ws, target, lambda tmp: tmp.write_bytes(b"two"), "通报")
    assert kept is not None and not kept.known and kept.copy.read_bytes() == b"one"
    assert target.read_bytes() == b"two" and not ws.ledger_path.exists()


def test_a_long_name_is_cut_before_its_label():
    long = office_edits._named(office_edits.Path("/w") / ("关" * 70 + ".docx"), "修改稿，7月8日14时05分保存")
    assert long.name.endswith("（修改稿，7月8日14时05分保存）.docx")
    assert len(long.name.encode()) <= 240


# ---------------------------------------------------------------------------
# the ledger's migration 19


def test_a_version_18_ledger_gains_the_record_of_what_duban_wrote(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 18, ("INSERT INTO runs(command, started_at) VALUES ('memo', '2022-07-08 09:00:00')", ()))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 19
        assert last_written(ledger.conn, "通报/2022年6月/a.docx") is None
        record_written(ledger.conn, "通报/2022年6月/a.docx", "ab")
        record_written(ledger.conn, "通报/2022年6月/a.docx", "cd")
        assert last_written(ledger.conn, "通报/2022年6月/a.docx") == "cd"
        assert [tuple(r) for r in ledger.conn.execute("SELECT command FROM runs")] == [("memo",)]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM outputs").fetchone()[0] == 1
    conn.close()


@pytest.mark.slow  # collect, merge and memo three times (2 s): run in CI, out of the quick loop
def test_run_keeps_both_files_the_office_edited_and_says_each(month, run, make_return):
    """`duban run` (一键月报; 2-收取并汇总 and 3-生成通报 alike): the 汇总表 written here, the 通报
    in a worker process; each remembers what it wrote, each keeps the office's version."""
    from conftest import drop, on_time

    drop(month, "石龙镇.xlsx", make_return("石龙镇"), on_time())
    first = run(["run", "--no-fetch"], cwd=month.root)
    assert "另存为" not in first.output
    memo, book = _memo_dir(month) / (MEMO + ".docx"), _merged_dir(month) / (SUMMARY + ".xlsx")
    edited_memo, edited_book = _office_edits(memo, b"leader's name"), _office_edits(book, b"note")
    drop(month, "茶山镇.xlsx", make_return("茶山镇"), on_time())  # a late return comes
    again = run(["run", "--no-fetch"], cwd=month.root)
    kept_book = f"{SUMMARY}（修改稿，7月8日14时05分保存）.xlsx"
    kept_memo = _kept_memo("修改稿，7月8日14时05分保存")
    assert again.exit_code == 1
    err = again.stderr.splitlines()
    assert err[0] == (f"汇总表已按最新数据重新生成；原汇总表生成后在 Excel/WPS 中保存过，已另存为“{kept_book}”，"
                      f"如有修改请抄到新汇总表“{SUMMARY}.xlsx”中。")
    assert err[1] == _memo_line(kept_memo)
    assert (_merged_dir(month) / kept_book).read_bytes() == edited_book
    assert (_memo_dir(month) / kept_memo).read_bytes() == edited_memo
    third = run(["run", "--no-fetch"], cwd=month.root)
    assert "另存为" not in third.output


def test_collect_merge_says_the_summary_kept(month, run, make_return):
    """2-收取并汇总 (`collect --fetch --merge`): the line after the 汇总表's path."""
    from conftest import drop, on_time

    drop(month, "石龙镇.xlsx", make_return("石龙镇"), on_time())
    run(["collect", "--merge"], cwd=month.root)
    book = _merged_dir(month) / (SUMMARY + ".xlsx")
    edited = _office_edits(book, b"note")
    drop(month, "茶山镇.xlsx", make_return("茶山镇"), on_time())
    again = run(["collect", "--merge"], cwd=month.root)
    kept = f"{SUMMARY}（修改稿，7月8日14时05分保存）.xlsx"
    assert again.exit_code == 1
    assert again.stderr.splitlines()[-1] == (f"汇总表已按最新数据重新生成；原汇总表生成后在 Excel/WPS 中保存过，"
                                             f"已另存为“{kept}”，如有修改请抄到新汇总表“{SUMMARY}.xlsx”中。")
    assert again.stdout.splitlines()[-1] == f"汇总表：{book}"
    assert (_merged_dir(month) / kept).read_bytes() == edited
