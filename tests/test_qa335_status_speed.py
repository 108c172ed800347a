"""What `duban status` paid for and did not use (issue 19, QA335), each measured with callgrind
in the demo workspace (477 M instructions before, 445 M after):

- `too_big` imported (its frozen, hashed `BigMail`) by a ledger with no mail too big: 6.5 M
  (test_qa171_startup_speed checks status does not import it);
- the master cache's key hashed 136 KB of duban's own source each run: 7 M;
- `merged_forms` read every form's roles and tasks to keep those of no merged unit: 7.2 M;
- every 按时 unit's 邮箱 cell parsed (the address patterns compiled) for a line said of none: 5.1 M;
- the period asked for checked against every 下发/ folder's name, and `Period.parse`'s pattern
  compiled for 2022年6月: 1.7 M;
- `Settings` and `MailSettings` generated an `__eq__`, `__hash__` and `__repr__` nothing uses: 4.9 M.
"""

from __future__ import annotations

import datetime as dt
import os
import types

import pytest
from test_qa190_double_click import CST, too_big

from toolkit import errors
from toolkit.issued_month import kept_apart, merged_forms
from toolkit.ledger import Ledger
from toolkit.master import cache
from toolkit.period import Period, _parse
from toolkit.workspace import ISSUED, issued_periods, require_issued


def test_the_ledger_says_whether_fetch_recorded_a_mail_too_big(issued_ws) -> None:
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert not ledger.has_mail_too_big()
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert ledger.has_mail_too_big()


def test_a_period_written_as_duban_writes_it_reads_as_the_pattern_reads_it() -> None:
    for text, (year, month) in {"2022-06": (2022, 6), "2022-12": (2022, 12), "2000-01": (2000, 1),
                                "2100-12": (2100, 12), "2022-6": (2022, 6), "2022年6月": (2022, 6),
                                "202206": (2022, 6), " 2022-06": (2022, 6), "２０２２-06": (2022, 6),
                                "2022-０６": (2022, 6)}.items():
        assert _parse(text) == Period(year, month), text
    for bad in ("2022-13", "2022-00", "1999-06", "2101-01", "2022--1", "-022-06", "2022-+1", "2022-1a"):
        with pytest.raises(errors.BadPeriod):
            _parse(bad)


def test_a_period_issued_before_the_ledger_kept_it_is_still_found_in_its_folder(issued_ws) -> None:
    """A workspace issued before the ledger recorded issues: its 下发/<期> folder says so."""
    with Ledger(issued_ws.ledger_path) as ledger:
        ledger.conn.execute("DELETE FROM issued")
    assert Period(2022, 6) in issued_periods(issued_ws)
    assert require_issued(issued_ws, Period(2022, 6)) == Period(2022, 6)
    for folder in (issued_ws.root / ISSUED).iterdir():
        for f in folder.glob("*.xlsx"):
            f.unlink()
    with pytest.raises(errors.NotIssued, match="（还没有）"):
        require_issued(issued_ws, Period(2022, 6))


def test_a_month_with_no_merged_unit_has_no_merged_forms(issued_ws) -> None:
    master = issued_ws.load_master()
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        apart = kept_apart(ledger, Period(2022, 6), master)
        assert apart == frozenset()
        assert merged_forms(ledger, Period(2022, 6), master, apart) == {}


def test_the_reader_key_changes_with_any_reading_modules_stamp(monkeypatch) -> None:
    """The master cache's key names the reading code by its files' size and modification time."""
    cache._reader.cache_clear()
    before = cache._reader()
    real = os.stat

    def touched(path, *args, **kwargs):  # cells.py saved again: one second later, same size
        st = real(path, *args, **kwargs)
        if str(path).endswith(os.path.join("master", "cells.py")):
            return types.SimpleNamespace(st_size=st.st_size, st_mtime_ns=st.st_mtime_ns + 10**9)
        return st

    monkeypatch.setattr(os, "stat", touched)
    cache._reader.cache_clear()
    try:
        assert cache._reader() != before
    finally:
        monkeypatch.undo()
        cache._reader.cache_clear()
    assert cache._reader() == before
