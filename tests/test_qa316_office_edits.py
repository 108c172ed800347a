"""QA316: the office's kept 修改稿 beside the new 通报 or 汇总表 (QA313) is never taken for it.

The line tells the office to open the kept copy and copy its edits across; Excel asks to save
on closing it (the workbook is recalculated on opening), and the copy is then the newest file
in the folder. `duban open 汇总` / `通报` (and the double-click scripts after them) opened the
copy, and W209 quoted its save time as when the month was merged.
"""

from __future__ import annotations

import datetime as dt
import os

from toolkit.actions.open import find_output
from toolkit.merge_time import merged_at
from toolkit.office_edits import Kept, is_kept_copy
from toolkit.period import Period

MEMO = "关于东莞市2022年政务服务全域标准化专项行动6月进展情况的通报"
SUMMARY = "2022年6月_进展汇总表"
WRITTEN = dt.datetime(2022, 7, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()


def _files(folder, names: list[str], later: str) -> None:
    """``names`` in ``folder``, written when duban wrote them; ``later`` saved an hour after."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(b"PK")
        when = WRITTEN + (3600 if name == later else 0)
        os.utime(folder / name, (when, when))


def test_open_takes_the_new_file_not_the_kept_copy_saved_after_it(ws):
    book, copy = f"{SUMMARY}.xlsx", f"{SUMMARY}（修改稿，7月8日09时05分保存）.xlsx"
    _files(ws.root / "汇总" / "2022年6月", [book, copy], later=copy)
    memo, old = f"{MEMO}.docx", f"{MEMO}（旧版，7月8日09时05分保存，2）.docx"
    _files(ws.root / "通报" / "2022年6月", [memo, old], later=old)
    assert find_output(ws, "汇总", "2022-06").name == book
    assert find_output(ws, "通报", "2022-06").name == memo
    # the office's own file of another name is still the newest, as before (its 定稿)
    _files(ws.root / "通报" / "2022年6月", [f"{MEMO}（定稿）.docx"], later=f"{MEMO}（定稿）.docx")
    assert find_output(ws, "通报", "2022-06").name == f"{MEMO}（定稿）.docx"


def test_open_takes_a_kept_copy_when_it_is_all_there_is(ws):
    copy = f"{SUMMARY}（修改稿，7月8日09时05分保存）.xlsx"
    _files(ws.root / "汇总" / "2022年6月", [copy], later="")
    assert find_output(ws, "汇总", "2022-06").name == copy


def test_the_month_was_merged_when_duban_wrote_its_summary_not_when_a_copy_was_saved(ws):
    copy = f"{SUMMARY}（修改稿，7月8日09时05分保存）.xlsx"
    _files(ws.root / "汇总" / "2022年6月", [f"{SUMMARY}.xlsx", copy], later=copy)
    assert merged_at(ws, Period.parse("2022-06")) == dt.datetime(2022, 7, 8, 10, 0)  # wall clock, Beijing


def test_what_is_a_kept_copy():
    for name in (f"{MEMO}（修改稿，12月6日14时05分保存）.docx", f"{SUMMARY}（旧版，1月1日00时00分保存，12）.xlsx",
                 "关（修改稿，7月8日14时05分保存）.md"):
        assert is_kept_copy(os.path.join("通报", name)), name
    for name in (f"{MEMO}.docx", f"{MEMO}（定稿）.docx", f"{SUMMARY}（修改稿）.xlsx", "桥头镇（修改后）.xlsx"):
        assert not is_kept_copy(os.path.join("通报", name)), name


def test_a_summary_saved_is_said_as_saved_not_as_edited(tmp_path):
    """Excel recalculates duban's workbook on opening and asks to save it on closing, though
    nothing changed (LibreOffice's save over it alike): the bytes tell a 汇总表 saved, not one
    edited. Kept all the same (a highlight is an edit no cell value shows), said as what it is;
    a 通报 is saved by Word only when edited."""
    book, copy = tmp_path / f"{SUMMARY}.xlsx", tmp_path / f"{SUMMARY}（修改稿，7月8日14时05分保存）.xlsx"
    assert Kept("汇总表", book, copy, True).line == (
        f"汇总表已按最新数据重新生成；原汇总表生成后在 Excel/WPS 中保存过，已另存为“{copy.name}”，"
        f"如有修改请抄到新汇总表“{book.name}”中。")
    memo, kept = tmp_path / f"{MEMO}.docx", tmp_path / f"{MEMO}（修改稿，7月8日14时05分保存）.docx"
    assert Kept("通报", memo, kept, True).line == (
        f"通报已按最新数据重新生成；您修改过的旧版本已另存为“{kept.name}”，请把修改抄到新通报“{memo.name}”中。")


def test_the_help_of_each_writer_says_an_edited_file_is_kept():
    """merge, memo and run keep the office's edited 汇总表/通报 beside the new one: their --help says so."""
    from click.testing import CliRunner

    from toolkit.cli import cli

    for command, suffix in (("merge", ".xlsx"), ("memo", ".docx"), ("run", "")):
        said = "".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
        assert f"另存为“…（修改稿，{'M月D日HH时MM分' if suffix else '…'}保存）{suffix}”" in said, command
