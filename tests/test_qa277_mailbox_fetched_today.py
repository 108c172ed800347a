"""`remind` says when the mailbox was last fetched (QA277).

An office that takes returns by mail (`duban mail fetch`, [mail] imap_host) reminded a unit whose
mail sat in the mailbox, not yet fetched: no file in 收件箱, no 请核实, nothing said. A fetch that
found nothing new left no row in ``mail_fetched``, so nothing could tell "fetched this morning"
from "not fetched for a week". Every fetch run is now recorded (``mail_fetch_runs``, migration
18), and `remind` and `mail send remind` say when the mailbox was last fetched unless a fetch
completed today: `remind` still writes the drafts and exits 1, as for the other lines that say a
unit reminded may have reported (`mail_notes.chase_notes`). A workspace without a mailbox says
nothing new.
"""
from __future__ import annotations

import datetime as dt
import socket

import pytest
import test_mail_send
from conftest import PERIOD, ledger_at
from test_evidence import clean
from test_mail_fetch import return_mail

from toolkit.actions.collect import collect
from toolkit.actions.remind import write_reminders
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.mail_records import SKIPPED, FetchRun, MailRecords
from toolkit.workspace import find_workspace

servers = test_mail_send.servers  # the fixture (see mailservers.py on ruff's F811)
CST = dt.timezone(dt.timedelta(hours=8))
DO = "；催报前请先收取邮箱并登记（duban collect --fetch，或双击“2-收取并汇总”），以免催到已经发来材料的单位。"
CHECK_FIRST = ("以上催报邮件草稿中可能有已报送的单位：请先核实，收取登记后再运行 duban remind"
               "（已报送单位的草稿即撤回），再发送催报邮件。")
SEND_CHECK_FIRST = ("以上催报邮件中可能有发给已报送单位的：请先核实，收取登记后（已报送单位的草稿即撤回）"
                    "再运行 duban mail send remind。")
ACCOUNT = "duban@dg.gov.cn @ imap.dg.gov.cn"


def with_mail(ws, **settings):
    """The workspace with [mail] set up (no server: `remind` reads the ledger alone)."""
    values = {"imap_host": "imap.dg.gov.cn", "user": "duban@dg.gov.cn", **settings}
    block = "".join(f'{k} = {v if isinstance(v, int) else repr(v).replace(chr(39), chr(34))}\n'
                    for k, v in values.items())
    original = ws.root / ".duban.toml.orig"  # each call starts from the workspace's own file
    if not original.exists():
        original.write_bytes(ws.config_path.read_bytes())
    text = original.read_text(encoding="utf-8").replace("[mail]\n", "[mail]\n" + block, 1)
    ws.config_path.write_text(text, encoding="utf-8")
    return find_workspace(ws.root, explicit=True)


def fetched_at(ws, when: dt.datetime, complete: bool = True, problem: str = "") -> None:
    """What a run of `mail fetch` started at ``when`` records."""
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        run = records.begin_fetch_run(account=ws.settings.mail.account, folder="INBOX", since=dt.date(2022, 6, 1),
                                      started_at=when.isoformat())
        records.finish_fetch_run(run, finished_at=(when + dt.timedelta(seconds=20)).isoformat(), complete=complete,
                                 looked_at=3, stored=0, problem=problem)


def runs(ws) -> list[tuple]:
    with Ledger(ws.ledger_path) as ledger:
        return [tuple(r) for r in ledger.conn.execute(
            "SELECT account, folder, since, complete, looked_at, stored, problem, finished_at IS NOT NULL"
            " FROM mail_fetch_runs ORDER BY id")]


def test_remind_says_when_the_mailbox_was_last_fetched_unless_today(issued_ws, collecting_on, run):
    ws = with_mail(issued_ws)
    collecting_on(dt.date(2022, 7, 6))
    never = run(["remind"], cwd=ws.root)
    assert never.exit_code == 1, never.output
    lines = never.output.splitlines()
    assert lines[0].startswith(f"{PERIOD.label}：已为 ") and "  未报送 石龙镇" in lines  # the drafts are written
    assert lines[-2:] == ["还没有收取过邮箱" + DO, CHECK_FIRST]
    fetched_at(ws, dt.datetime(2021, 12, 30, 15, 0, tzinfo=CST))
    assert run(["remind"], cwd=ws.root).output.splitlines()[-2:] == ["邮箱上次收取是 2021年12月30日 15:00" + DO,
                                                                     CHECK_FIRST]
    fetched_at(ws, dt.datetime(2022, 7, 5, 9, 12, tzinfo=CST))
    yesterday = run(["remind"], cwd=ws.root)
    assert yesterday.exit_code == 1
    assert yesterday.output.splitlines()[-2:] == ["邮箱上次收取是 7月5日 09:12" + DO, CHECK_FIRST]
    # this morning's fetch was cut off: the last complete one is still yesterday's
    fetched_at(ws, dt.datetime(2022, 7, 6, 10, 2, tzinfo=CST), complete=False, problem="下载邮件时连接中断。")
    assert run(["remind"], cwd=ws.root).output.splitlines()[-2] == (
        "邮箱上次收取是 7月5日 09:12（今天 10:02 的收取没有完成）" + DO)
    # fetched today: nothing to say; the time is the office's, in its zone (UTC 01:00 is 09:00 there)
    fetched_at(ws, dt.datetime(2022, 7, 6, 1, 0, tzinfo=dt.timezone.utc))
    today = run(["remind"], cwd=ws.root)
    assert today.exit_code == 0 and DO not in today.output and CHECK_FIRST not in today.output, today.output
    assert write_reminders(ws, PERIOD).notes == []


def test_a_fetch_late_last_night_in_the_office_is_not_today(issued_ws, collecting_on, run):
    """23:30 on 5 July in Beijing is 15:30 UTC on the 5th; on the 6th it is yesterday's."""
    ws = with_mail(issued_ws)
    fetched_at(ws, dt.datetime(2022, 7, 5, 15, 30, tzinfo=dt.timezone.utc))
    collecting_on(dt.date(2022, 7, 6))
    assert write_reminders(ws, PERIOD).notes == ["邮箱上次收取是 7月5日 23:30" + DO]


def test_a_ledger_from_before_the_runs_were_recorded_says_when_a_mail_was_last_looked_at(issued_ws, collecting_on):
    """Its ``mail_fetched`` rows are all it knows of its fetches."""
    ws = with_mail(issued_ws)
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account=ACCOUNT, folder="INBOX", uidvalidity=1, uid=3, message_id="<n@dg.gov.cn>",
            internaldate=dt.datetime(2022, 7, 4, 9, 0, tzinfo=CST), size=900, sender="x@dg.gov.cn", subject="周例会",
            state=SKIPPED, fetched_at="2022-07-04T17:30:00+08:00", after_fetch="keep")
    collecting_on(dt.date(2022, 7, 6))
    assert write_reminders(ws, PERIOD).notes == ["邮箱上次收取是 7月4日 17:30" + DO]


def test_another_mailbox_or_folder_fetched_today_is_not_this_one(issued_ws, collecting_on):
    ws = with_mail(issued_ws)
    fetched_at(ws, dt.datetime(2022, 7, 5, 9, 12, tzinfo=CST))
    ws = with_mail(issued_ws, folder="报送")  # the office moved its returns to a folder of their own
    collecting_on(dt.date(2022, 7, 6))
    assert write_reminders(ws, PERIOD).notes == ["还没有收取过邮箱" + DO]


def test_a_workspace_without_a_mailbox_says_nothing_new(issued_ws, collecting_on, run):
    """Returns saved into 收件箱 by hand; or mail sent by duban, none fetched (no imap_host)."""
    collecting_on(dt.date(2022, 7, 6))
    plain = run(["remind"], cwd=issued_ws.root)
    assert plain.exit_code == 0 and DO not in plain.output, plain.output
    ws = with_mail(issued_ws, imap_host="", smtp_host="smtp.dg.gov.cn")
    sending_only = run(["remind"], cwd=ws.root)
    assert sending_only.exit_code == 0 and DO not in sending_only.output, sending_only.output


def test_a_fetch_that_cannot_connect_is_recorded_as_not_complete(issued_ws, collecting_on, monkeypatch, run):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ws = with_mail(issued_ws, imap_host="127.0.0.1", imap_port=port, security="ssl")
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "secret")
    collecting_on(dt.date(2022, 7, 6))
    failed = run(["mail", "fetch"], cwd=ws.root)
    assert failed.exit_code != 0
    ((account, folder, since, complete, looked_at, stored, problem, finished),) = runs(ws)
    assert (account, folder, since, complete, looked_at, stored, finished) == (
        "duban@dg.gov.cn @ 127.0.0.1", "INBOX", "2022-06-01", 0, 0, 0, True)
    assert problem.startswith(f"无法连接收信服务器 127.0.0.1:{port}（连接被拒绝）")
    assert write_reminders(ws, PERIOD).notes == ["还没有收取过邮箱（今天 18:00 的收取没有完成）" + DO]


@pytest.mark.slow  # real mail servers: run in CI, out of the quick loop
def test_every_fetch_is_recorded_and_remind_after_one_today_says_nothing(issued_ws, make_return, servers, run):
    """The real mailbox: a fetch that stores a return, then one that finds nothing new (no
    ``mail_fetched`` row), each a run; remind on the same day says nothing of the mailbox."""
    ws = test_mail_send.issued_with_emails(issued_ws, servers, test_mail_send.UNITS)
    duban = ws.settings.mail.user
    servers.deliver(duban, return_mail("石龙镇", make_return("石龙镇", clean()), sender="u02@dg.example.cn",
                                       when=dt.datetime(2022, 7, 4, 9, 0, tzinfo=CST)),
                    internaldate=dt.datetime(2022, 7, 4, 9, 1, tzinfo=CST))
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    assert run(["-w", str(ws.root), "mail", "fetch"]).output.splitlines()[-1] == "没有新的报送邮件。"
    account = ws.settings.mail.account
    assert runs(ws) == [(account, "INBOX", "2022-06-01", 1, 1, 1, "", True),
                        (account, "INBOX", "2022-06-01", 1, 0, 0, "", True)]
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        done, last = records.complete_fetch_runs(account, "INBOX")[0], records.last_fetch_run(account, "INBOX")
    assert isinstance(done, FetchRun) and done == last and done.started.date() == ws.now().date()
    collect(ws)
    reminded = run(["-w", str(ws.root), "remind"])
    assert reminded.exit_code == 0 and DO not in reminded.output, reminded.output
    assert "石龙镇" not in reminded.output


@pytest.mark.slow  # real mail servers: run in CI, out of the quick loop
def test_mail_send_remind_says_when_the_mailbox_was_last_fetched(issued_ws, servers, collecting_on, run):
    """The 催报 drafts were written yesterday after a fetch; the office sends them today without
    fetching: the list it confirms says when the mailbox was last fetched. Written after the
    deadline (尽快): one written by it asked by a date passed since, and is not sent (QA354)."""
    ws = test_mail_send.issued_with_emails(issued_ws, servers, test_mail_send.UNITS)
    fetched_at(ws, dt.datetime(2022, 7, 6, 9, 12, tzinfo=CST))
    collecting_on(dt.date(2022, 7, 6))
    assert run(["-w", str(ws.root), "remind"]).exit_code == 0
    collecting_on(dt.date(2022, 7, 7))
    lines = run(["-w", str(ws.root), "mail", "send", "remind", "--dry-run"]).output.splitlines()
    assert "  石龙镇 → u02@dg.example.cn；无附件" in lines
    at = lines.index("邮箱上次收取是 7月6日 09:12" + DO)
    assert lines[at + 1] == SEND_CHECK_FIRST
    fetched_at(ws, dt.datetime(2022, 7, 7, 8, 0, tzinfo=CST))
    listed = run(["-w", str(ws.root), "mail", "send", "remind", "--dry-run"])
    assert "邮箱上次收取" not in listed.output and SEND_CHECK_FIRST not in listed.output, listed.output


def test_a_version_17_ledger_gains_the_fetch_runs(tmp_path):
    """Migration 18: an older ledger has no run recorded; its fetched mail is kept, and the
    last time a message was looked at is what it knows of its last fetch."""
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 17, (
        "INSERT INTO mail_fetched(account, folder, uidvalidity, uid, message_id, internaldate, size, state,"
        " fetched_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (ACCOUNT, "INBOX", 1, 7, "<a@dg.gov.cn>", "2022-07-04T09:00:00+08:00", 900, "fetched",
         "2022-07-04T17:30:00+08:00")))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 18
        records = MailRecords(ledger.conn)
        assert (records.complete_fetch_runs(ACCOUNT, "INBOX"), records.last_fetch_run(ACCOUNT, "INBOX")) == ([], None)
        assert records.last_fetched_at(ACCOUNT, "INBOX") == dt.datetime(2022, 7, 4, 17, 30, tzinfo=CST)
        assert records.last_fetched_at(ACCOUNT, "报送") is None
        run = records.begin_fetch_run(account=ACCOUNT, folder="INBOX", since=dt.date(2022, 6, 1),
                                      started_at="2022-07-06T09:00:00+08:00")
        assert (records.complete_fetch_runs(ACCOUNT, "INBOX"), records.last_fetch_run(ACCOUNT, "INBOX")) == ([], FetchRun(
            run, ACCOUNT, "INBOX", "2022-06-01", "2022-07-06T09:00:00+08:00", None, False, 0, 0, ""))
        records.finish_fetch_run(run, finished_at="2022-07-06T09:00:12+08:00", complete=True, looked_at=4, stored=1)
        [done], last = records.complete_fetch_runs(ACCOUNT, "INBOX"), records.last_fetch_run(ACCOUNT, "INBOX")
        assert done == last and (done.complete, done.looked_at, done.stored) == (True, 4, 1)
    assert path.with_name("ledger.sqlite3.v17.bak").exists()
