"""QA348: one answer to "when was this month's 汇总表 last written?" (`merge_time.merged_at`).

collect's W209 (a return of a month already merged) and memo's 汇总表不是最新的 asked it two ways:
W209 the newest workbook in the month's 汇总 folder by its modification time, memo the 汇总表's
own path by the later of that time and duban's record of writing it (QA344: a file server's
clock behind the machine's, FAT32's 2 s). A 汇总表 on a server whose clock ran 5 minutes behind:
W209 said the month merged at 09:55 when the office had merged it at 10:00, and a workbook of
the office's own saved in the folder afterwards was quoted as the merge.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from zoneinfo import ZoneInfo

from conftest import PERIOD, drop, on_time, shanghai
from test_evidence import _move_period, clean, merged_on

from toolkit.actions.collect import collect
from toolkit.filling import Answer
from toolkit.ledger import Ledger
from toolkit.ledger.answers import office_time
from toolkit.merge_time import merged_at, merged_path

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _record(ws, at: str) -> None:
    """duban's record of writing June's 汇总表 at ``at`` (the machine's clock, as the ledger keeps it)."""
    where = merged_path(ws, PERIOD).relative_to(ws.root).as_posix()
    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("INSERT OR REPLACE INTO outputs(path, sha256, written_at) VALUES (?,?,?)",
                            (where, "0" * 64, at))


def _book(ws, at: dt.datetime):
    """June's 汇总表 (bytes of no matter) whose file system says it was written at ``at`` (aware)."""
    book = merged_path(ws, PERIOD)
    book.parent.mkdir(parents=True, exist_ok=True)
    book.write_bytes(b"PK")
    os.utime(book, (at.timestamp(),) * 2)
    return book


def test_w209_quotes_when_the_month_was_merged_not_a_lagging_servers_stamp(issued_ws, make_return):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    book = merge(issued_ws, PERIOD).path
    with Ledger(issued_ws.ledger_path) as ledger:
        [(recorded,)] = ledger.conn.execute("SELECT written_at FROM outputs WHERE path LIKE '汇总/%'")
    stamp = book.stat().st_mtime - 300
    os.utime(book, (stamp, stamp))  # the file server's clock, 5 minutes behind the machine's
    ws = _move_period(issued_ws, "2022-08")
    drop(ws, "石龙镇补.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=9)}),
         shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    w209 = next(i for i in collect(ws).items[0].report.issues if i.code == "W209")
    merged = office_time(recorded, ws.tz)
    assert f"已于 {merged:%Y-%m-%d %H:%M} 汇总" in w209.message, (w209.message, merged)


def test_w209_quotes_the_summary_not_a_workbook_the_office_saved_beside_it(issued_ws, make_return):
    from toolkit.actions.merge import merge

    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    collect(issued_ws)
    book = merge(issued_ws, PERIOD).path
    merged_on(issued_ws, dt.datetime(2022, 7, 10, 9, 0))
    own = book.with_name("2022年6月汇总（报领导）.xlsx")  # the office's own, saved a day later
    own.write_bytes(b"PK")
    os.utime(own, (shanghai(dt.datetime(2022, 7, 11, 16, 30)),) * 2)
    ws = _move_period(issued_ws, "2022-08")
    drop(ws, "石龙镇补.xlsx", make_return("石龙镇", clean(), **{"4_3": Answer(progress=9)}),
         shanghai(dt.datetime(2022, 8, 2, 9, 0)))
    w209 = next(i for i in collect(ws).items[0].report.issues if i.code == "W209")
    assert "已于 2022-07-10 09:00 汇总" in w209.message, w209.message


def shanghai_dt(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SHANGHAI)


# ---- merged_at itself: the clock rule ----

def test_a_summary_stamped_behind_the_record_was_written_when_the_record_says(ws):
    written = shanghai_dt(2022, 7, 8, 10, 0, 30)
    _book(ws, written - dt.timedelta(minutes=5))
    _record(ws, written.astimezone().replace(tzinfo=None).isoformat(sep=" "))
    assert merged_at(ws, PERIOD) == dt.datetime(2022, 7, 8, 10, 0, 30)  # the office's clock, Beijing


def test_a_summary_saved_after_duban_wrote_it_is_as_new_as_its_file(ws):
    written = shanghai_dt(2022, 7, 8, 10, 0)
    _book(ws, written + dt.timedelta(hours=2))  # opened and saved in Excel
    _record(ws, written.astimezone().replace(tzinfo=None).isoformat(sep=" "))
    assert merged_at(ws, PERIOD) == dt.datetime(2022, 7, 8, 12, 0)


def test_a_summary_with_no_record_is_as_old_as_its_file_on_the_offices_clock(ws):
    _book(ws, shanghai_dt(2022, 7, 8, 10, 0))
    assert merged_at(ws, PERIOD) == dt.datetime(2022, 7, 8, 10, 0)


def test_a_month_never_merged_has_no_merge_time_whatever_workbooks_its_folder_holds(ws):
    folder = merged_path(ws, PERIOD).parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2022年6月汇总（报领导）.xlsx").write_bytes(b"PK")
    (folder / "2022年6月_进展汇总表（修改稿，7月8日09时05分保存）.xlsx").write_bytes(b"PK")
    assert merged_at(ws, PERIOD) is None


def test_a_summary_the_office_renamed_was_still_written_when_the_record_says(ws):
    """The office renamed the 汇总表 to send it (…（报领导）.xlsx): the month was merged, and a
    return since is not in it (W209 said so by the newest workbook in the folder)."""
    _record(ws, shanghai_dt(2022, 7, 8, 10, 0).astimezone().replace(tzinfo=None).isoformat(sep=" "))
    folder = merged_path(ws, PERIOD).parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2022年6月汇总（报领导）.xlsx").write_bytes(b"PK")
    assert merged_at(ws, PERIOD) == dt.datetime(2022, 7, 8, 10, 0)


def test_an_unreadable_record_leaves_the_files_time(ws):
    _book(ws, shanghai_dt(2022, 7, 8, 10, 0))
    _record(ws, "昨天")
    assert merged_at(ws, PERIOD) == dt.datetime(2022, 7, 8, 10, 0)


def test_the_record_is_read_on_a_connection_the_caller_holds(ws):
    _book(ws, shanghai_dt(2022, 7, 8, 9, 0))
    _record(ws, shanghai_dt(2022, 7, 8, 10, 0).astimezone().replace(tzinfo=None).isoformat(sep=" "))
    with Ledger(ws.ledger_path) as ledger:
        assert merged_at(ws, PERIOD, ledger.conn) == dt.datetime(2022, 7, 8, 10, 0)
    gone = sqlite3.connect(":memory:")  # a ledger of no outputs table (before migration 19)
    assert merged_at(ws, PERIOD, gone) == dt.datetime(2022, 7, 8, 9, 0)


def test_memo_compares_answers_on_the_offices_clock_with_the_machine_on_utc(ws, machine_tz):
    """The ledger keeps answers on the machine's clock; a laptop left on UTC: an answer given at
    10:05 Beijing time is 02:05 in the ledger, after a 汇总表 written at 10:00."""
    from types import SimpleNamespace

    from toolkit.actions.merge import answered_after

    machine_tz("UTC")
    _book(ws, shanghai_dt(2022, 7, 8, 10, 0))
    cons = SimpleNamespace(sender_checks=[], file_times=[SimpleNamespace(unit="石龙镇", answered_at="2022-07-08 02:05:00"),
                                                         SimpleNamespace(unit="中堂镇", answered_at="2022-07-08 01:55:00")],
                           disputed=[], too_big=[])
    assert answered_after(cons, merged_at(ws, PERIOD), ws.tz) == ["石龙镇"]
