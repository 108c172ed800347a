"""QA285: a fetch that looked only at recent mail (``mail fetch --since``) is no fetch of the month.

`remind` and `mail send remind` say when the mailbox was last fetched unless a fetch completed
today (QA277). A fetch run today with ``--since`` after the month's forms went out skipped the
mail received before that day: a unit whose return sits there unfetched would be chased all the
same. Such a run counts only where it joins runs that reached back to the issue (each started
on or after the day the next one looked from): the note says the last fetch that did, and the
narrower one. ``mail_fetch_runs.since`` (migration 18) has what is needed: no new column.
"""
from __future__ import annotations

import datetime as dt

from conftest import PERIOD
from test_qa277_mailbox_fetched_today import CST, DO, with_mail

from toolkit.actions.remind import write_reminders
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import MailRecords


def _issued_on(ws, day: dt.date) -> None:
    """The month's forms went out on ``day`` at 09:00 (the machine's wall time, as the ledger keeps it)."""
    at = dt.datetime.combine(day, dt.time(9, 0), tzinfo=CST).astimezone().replace(tzinfo=None).isoformat(sep=" ")
    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE issued SET issued_at=?, first_issued_at=? WHERE period=?", (at, at, str(PERIOD)))


def _fetched(ws, when: dt.datetime, since: dt.date, complete: bool = True) -> None:
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        run = records.begin_fetch_run(account=ws.settings.mail.account, folder="INBOX", since=since,
                                      started_at=when.isoformat())
        records.finish_fetch_run(run, finished_at=(when + dt.timedelta(seconds=20)).isoformat(), complete=complete,
                                 looked_at=3, stored=0)


def _ws(issued_ws, collecting_on):
    ws = with_mail(issued_ws)
    _issued_on(ws, dt.date(2022, 6, 28))
    collecting_on(dt.date(2022, 7, 6))
    return ws


def test_a_fetch_today_of_recent_mail_only_is_not_the_months_fetch(issued_ws, collecting_on):
    ws = _ws(issued_ws, collecting_on)
    _fetched(ws, dt.datetime(2022, 7, 2, 9, 0, tzinfo=CST), dt.date(2022, 6, 1))
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 7, 5))
    assert write_reminders(ws, PERIOD).notes[0] == (
        "邮箱上次收取是 7月2日 09:00（今天 10:02 的收取只看了7月5日以后收到的邮件）" + DO)


def test_a_fetch_of_recent_mail_only_that_was_never_preceded_says_so(issued_ws, collecting_on):
    ws = _ws(issued_ws, collecting_on)
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 7, 6))
    assert write_reminders(ws, PERIOD).notes[0] == (
        "还没有收取过邮箱（今天 10:02 的收取只看了7月6日以后收到的邮件）" + DO)


def test_a_fetch_since_the_issue_day_is_the_months_fetch(issued_ws, collecting_on):
    ws = _ws(issued_ws, collecting_on)
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 6, 28))
    assert write_reminders(ws, PERIOD).notes == []


def test_a_recent_fetch_that_joins_an_earlier_full_one_is_the_months_fetch(issued_ws, collecting_on):
    """Fetched in full on 4 July, then today since the 4th: nothing received since the issue was skipped."""
    ws = _ws(issued_ws, collecting_on)
    _fetched(ws, dt.datetime(2022, 7, 4, 17, 0, tzinfo=CST), dt.date(2022, 6, 1))
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 7, 4))
    assert write_reminders(ws, PERIOD).notes == []


def test_a_recent_fetch_with_a_gap_before_it_is_not(issued_ws, collecting_on):
    """Fetched in full on 3 July, then today since the 5th: mail of the 4th was never looked at."""
    ws = _ws(issued_ws, collecting_on)
    _fetched(ws, dt.datetime(2022, 7, 3, 17, 0, tzinfo=CST), dt.date(2022, 6, 1))
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 7, 5))
    assert write_reminders(ws, PERIOD).notes[0].startswith("邮箱上次收取是 7月3日 17:00（今天 10:02 的收取只看了")


def test_a_month_whose_issue_is_not_recorded_reaches_back_to_its_first_day(issued_ws, collecting_on):
    ws = with_mail(issued_ws)
    with Ledger(ws.ledger_path) as ledger:
        ledger.conn.execute("DELETE FROM issued WHERE period=?", (str(PERIOD),))
    collecting_on(dt.date(2022, 7, 6))
    _fetched(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), dt.date(2022, 6, 1))
    assert write_reminders(ws, PERIOD).notes == []


def test_a_default_fetch_reaches_back_to_forms_issued_before_their_month(issued_ws):
    """June's forms out on 28 May (a first month of duban: no May issued): the default fetch looked
    from 1 June, missed the returns of the 29th, and remind said so after every fetch."""
    from toolkit.actions.mail import _default_since

    ws = with_mail(issued_ws)
    with Ledger(ws.ledger_path) as ledger:
        assert ws.period() == PERIOD and _default_since(ws, ledger) == dt.date(2022, 6, 1)
    _issued_on(ws, dt.date(2022, 5, 28))
    with Ledger(ws.ledger_path) as ledger:
        assert _default_since(ws, ledger) == dt.date(2022, 5, 28)
