"""QA191 review of d03468e (`duban mail send`: a draft made again is the mail that went,
`--resend`, recipients from the 单位名录 at send time, delivery per address, IDN domains),
played as the office and as the departments' mailboxes against the real servers of
tests/mailservers.py, through the CLI.

The tests marked xfail show a problem (see the QA191 report for the ranking); the others are
what was checked and found right, kept as regression tests.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from zoneinfo import ZoneInfo

import mailservers
import pytest
import test_mail_send
from conftest import drop, issued_path
from openpyxl import load_workbook
from test_evidence import mail as return_mail
from test_mail_fetch import DUBAN, mail_ws
from test_mail_send import UNITS, address, give_emails, issued_with_emails, received
from test_qa175_replies import REFUSED
from test_qa185_review import _printed_command, _stop_in_data
from test_renamed_units import rename

from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import store
from toolkit.workspace import Workspace

pytestmark = pytest.mark.slow

servers = test_mail_send.servers  # the fixtures (see mailservers.py on ruff's F811)
clock = test_mail_send.clock

CST = ZoneInfo("Asia/Shanghai")
IDN = "bgs@xn--xhq771k.xn--zfr164b"  # bgs@东莞.政务


def _count(s, *numbers: int) -> list[int]:
    return [len(s.mailbox(address(n))) for n in numbers]


def _send(run, ws, kind: str = "issue", *extra: str):
    return run(["-w", str(ws.root), "mail", "send", kind, "--yes", *extra])


def _run_printed(run, ws, text: str):
    """The office runs the command the screen printed, answering y if asked."""
    return run(["-w", str(ws.root), *_printed_command(text)], input="y\n")


def _subjects(s, n: int) -> list[str]:
    return [str(m["Subject"]) for m in received(s, address(n))]


def _at(monkeypatch, when: dt.datetime) -> None:
    """The office's clock at ``when`` (as conftest.set_clock, to the minute)."""
    monkeypatch.setattr(store, "now", lambda: when.astimezone().replace(tzinfo=None).isoformat(sep=" "))
    monkeypatch.setattr(Workspace, "now", lambda self: when.astimezone(self.tz))


def _merge(ws, old: str, into: str) -> None:
    """机构改革 in Excel: ``old``'s tasks go to ``into``, its row leaves the 单位名录 and its
    name becomes one of ``into``'s 简称/别名."""
    wb = load_workbook(ws.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if row[1].value == old:
            row[1].value = into
    sheet = wb["单位名录"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == into:
            row[1].value = "、".join(filter(None, [row[1].value, old]))
    [gone] = [row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == old]
    sheet.delete_rows(gone)
    wb.save(ws.master_path)


# ---------------------------------------------------------------------------
# forms corrected for everyone, --resend 全部 stopped half-way


def test_resend_all_stopped_by_ctrl_c_then_the_printed_command_sends_the_corrected_forms_to_the_rest(
        issued_ws, servers, clock, run, monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    assert _send(run, ws).exit_code == 0 and _count(s, 0, 1, 2, 3, 4) == [1, 1, 1, 1, 1]
    # the deadline corrected for everyone: the screen says to run --resend 全部
    again = run(["-w", str(ws.root), "issue", "--emails", "--due", "2022-07-20"])
    told = again.output[again.output.index("其中 5 个单位本期的填报表已通过邮件发出"):]
    assert "duban mail send issue --resend 全部" in told
    with monkeypatch.context() as m:
        _stop_in_data(m, 3)  # Ctrl-C while the third form goes out
        stopped = run(["-w", str(ws.root), *_printed_command(told)], input="y\n")
    assert stopped.exit_code == 130
    [line] = [x for x in stopped.output.splitlines() if x.startswith("已取消：")]
    left = re.search(r"未发送 \d+ 封（([^）]*)）", line).group(1).split("、")
    assert left and "再次运行 duban mail send issue 会接着发送未发出的" in line
    _run_printed(run, ws, line)  # as the screen says
    for unit in left:
        n = UNITS.index(unit)
        assert len(s.mailbox(address(n))) == 2, (unit, line)
        assert "2022年7月20日" in _subjects(s, n)[-1]  # the corrected form


def test_resend_all_cut_by_a_dropped_connection_then_the_printed_command_sends_the_rest(
        issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    assert _send(run, ws).exit_code == 0
    assert run(["-w", str(ws.root), "issue", "--emails", "--due", "2022-07-20"]).exit_code == 0
    s.smtp_fail_after = 2  # the server drops the line after two messages
    cut = _send(run, ws, "issue", "--resend", "全部")
    [line] = [x for x in cut.output.splitlines() if x.startswith("连接中断：")]
    assert "还有 3 封没有发送。再次运行 duban mail send issue 会从中断处继续" in line
    s.smtp_fail_after = None
    _run_printed(run, ws, line)
    assert all(len(s.mailbox(address(n))) == 2 for n in range(5)), _count(s, 0, 1, 2, 3, 4)


# ---------------------------------------------------------------------------
# what counts as "addressed by hand"


def test_a_recipient_typed_into_the_draft_refused_then_corrected_as_the_screen_says_reaches_the_unit(
        issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS) if u != "市民政局"}
    ws = issued_with_emails(issued_ws, s, UNITS, emails)  # issue: 请在草稿中填写收件人，或在…单位名录…补充邮箱
    draft = issued_path(ws, "市民政局").with_suffix(".eml")
    draft.write_bytes(b"To: u01@dg.example.cm\n" + draft.read_bytes())  # .cm for .cn
    first = _send(run, ws)
    [why] = [x for x in first.output.splitlines() if x.startswith("  市民政局：")]
    if "单位名录" in why:  # correct what the screen names
        give_emails(ws, {"市民政局": address(1)})
    else:
        draft.write_bytes(draft.read_bytes().replace(b"u01@dg.example.cm", address(1).encode()))
    _send(run, ws)
    assert _count(s, 0, 1, 2, 3, 4) == [1, 1, 1, 1, 1]


def test_a_draft_resaved_with_crlf_line_ends_goes_to_the_corrected_directory_address(issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS)}
    emails["市公安局"] = "u00@dg.example.cm"
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    draft = issued_path(ws, "市公安局").with_suffix(".eml")
    data = draft.read_bytes()
    assert b"\r\n" not in data
    draft.write_bytes(data.replace(b"\n", b"\r\n"))  # opened to check the recipient, saved: recipients untouched
    first = _send(run, ws)
    assert "  市公安局：收件人 u00@dg.example.cm 收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）" \
        in first.output.splitlines()
    give_emails(ws, {"市公安局": address(0)})  # corrected, as the screen asked
    _send(run, ws)
    assert _count(s, 0, 1, 2, 3, 4) == [1, 1, 1, 1, 1]


def test_a_hand_addressed_draft_resent_again_after_a_stopped_resend_goes_where_the_office_addressed_it(
        issued_ws, servers, clock, run, monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2])
    draft = issued_path(ws, "市民政局").with_suffix(".eml")
    draft.write_bytes(draft.read_bytes().replace(address(1).encode(), address(7).encode()))  # its real mailbox
    assert _send(run, ws).exit_code == 0 and _count(s, 1, 7) == [0, 1]
    with monkeypatch.context() as m:
        _stop_in_data(m, 1)
        assert _send(run, ws, "issue", "--resend", "市民政局").exit_code == 130
    unsure = _send(run, ws).output
    assert "可能已发送，请核对 1 封：市民政局" in unsure
    _run_printed(run, ws, unsure[unsure.index("可能已发送"):])  # nothing came: --resend as printed
    assert _count(s, 1, 7) == [0, 2]


# ---------------------------------------------------------------------------
# renamed and merged units


def test_a_unit_renamed_after_its_form_was_mailed_is_not_mailed_it_again_by_issue_emails(
        issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    assert _send(run, ws).exit_code == 0
    rename(ws, "市民政局", "东莞市民政和社会事务局")  # old name kept as 简称/别名
    again = run(["-w", str(ws.root), "issue", "--emails"])  # e.g. to fill in another unit's address
    [kept] = [x for x in again.output.splitlines() if "本期的填报表已通过邮件发出" in x]
    _send(run, ws)
    assert _count(s, 0, 1, 2, 3, 4) == [1, 1, 1, 1, 1], kept


def test_a_merged_units_old_draft_does_not_land_in_the_merged_units_mailbox(issued_ws, servers, clock, run):
    s = servers
    emails = {"市林业局": address(5), "市自然资源局": address(6)}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)  # drafts made, not sent yet
    _merge(ws, "市林业局", "市自然资源局")
    assert run(["-w", str(ws.root), "issue", "--emails"]).exit_code == 0  # forms after 机构改革
    _send(run, ws)
    subjects = _subjects(s, 6)
    assert len(subjects) == 1 and "市自然资源局" in subjects[0], subjects


# ---------------------------------------------------------------------------
# per address


def test_a_send_to_a_missed_address_stopped_then_resent_as_printed_does_not_mail_the_other_again(
        issued_ws, servers, clock, run, monkeypatch):
    s = servers
    emails = {"市公安局": address(0), "市民政局": f"{address(1)}；ghost@dg.example.cn"}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    _send(run, ws)  # ghost refused: u01 has the form
    give_emails(ws, {"市民政局": f"{address(1)}；{address(6)}"})
    with monkeypatch.context() as m:
        _stop_in_data(m, 1)  # Ctrl-C while it goes to u06 only
        _send(run, ws)
    unsure = _send(run, ws).output
    line = unsure[unsure.index("可能已发送"):]
    # the office checks with 市民政局's u06 mailbox: nothing came
    _run_printed(run, ws, line)
    assert _count(s, 1, 6) == [1, 1], line


# ---------------------------------------------------------------------------
# checked and found right


def test_a_second_refused_return_gets_its_own_reply_the_same_day(issued_ws, servers, clock, run, collecting_on):
    s = servers
    give_emails(issued_ws, {"中堂镇": address(4)})
    ws = mail_ws(issued_ws, s)
    collecting_on(dt.date(2022, 7, 4))
    form = fill_return(issued_path(ws, "中堂镇"), REFUSED)
    drop(ws, "zt.eml", return_mail([("中堂镇6月进展.xlsx", form)], sender=address(3)))
    run(["-w", str(ws.root), "collect"])
    assert _send(run, ws, "feedback").exit_code == 0 and _count(s, 3, 4) == [1, 1]
    corrected = Filling(answers={"1.2": Answer(status="滞后", progress=40, problems="")})  # still no 存在问题
    drop(ws, "zt2.eml", return_mail([("中堂镇6月进展（修改）.xlsx", fill_return(issued_path(ws, "中堂镇"), corrected))],
                                    sender=address(3), date="Mon, 04 Jul 2022 17:00:00 +0800"))
    assert "退回：中堂镇6月进展（修改）.xlsx" in run(["-w", str(ws.root), "collect"]).output
    _send(run, ws, "feedback")
    assert _count(s, 3, 4) == [2, 2]
    first, second = received(s, address(3))
    assert first["Message-ID"] != second["Message-ID"]


def test_reminders_follow_the_office_day_on_a_utc_machine(issued_ws, servers, clock, run, monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    counts, machine = [], os.environ.get("TZ")
    os.environ["TZ"] = "UTC"  # the laptop's clock
    time.tzset()
    try:
        for when in (dt.datetime(2022, 7, 6, 23, 30, tzinfo=CST),  # 15:30 UTC on the 6th
                     dt.datetime(2022, 7, 7, 7, 30, tzinfo=CST),   # 23:30 UTC on the 6th: the office's next day
                     dt.datetime(2022, 7, 7, 9, 0, tzinfo=CST)):   # 01:00 UTC on the 7th: the office's same day
            _at(monkeypatch, when)
            run(["-w", str(ws.root), "remind"])
            _send(run, ws, "remind")
            counts.append(_count(s, 0, 1, 2, 3, 4))
    finally:
        if machine is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = machine
        time.tzset()
    assert counts == [[1] * 5, [2] * 5, [2] * 5]


def test_a_version_11_ledger_with_a_partly_refused_form_sends_only_to_the_corrected_address(
        issued_ws, servers, clock, run):
    s = servers
    emails = {"市公安局": address(0), "市民政局": f"{address(1)}；ghost@dg.example.cn"}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    _send(run, ws)
    with sqlite3.connect(ws.ledger_path) as conn:  # as release 11 left it
        conn.execute("ALTER TABLE mail_sent DROP COLUMN delivered")
        conn.execute("ALTER TABLE drafts DROP COLUMN recipients")  # (migration 13, QA193)
        conn.execute("DROP TABLE disputed_checks")  # (migration 14, QA204)
        conn.execute("ALTER TABLE mail_fetched DROP COLUMN checked_at")  # (migration 15, QA204)
        conn.execute("DROP TABLE time_answers")  # (migration 16, QA216)
        conn.execute("DROP TABLE weak_times")  # (migration 17, QA234)
        conn.execute("DROP TABLE mail_fetch_runs")  # (migration 18, QA277)
        conn.execute("DROP TABLE outputs")  # (migration 19, QA313)
        conn.execute("ALTER TABLE issued DROP COLUMN changed_at")  # (migration 21, QA378)
        conn.execute("ALTER TABLE receipts DROP COLUMN office")  # (migration 22, QA378)
        conn.execute("ALTER TABLE receipts DROP COLUMN bounced")
        conn.execute("ALTER TABLE issued DROP COLUMN project")  # (migration 25, QA389)
        conn.execute("ALTER TABLE issued_texts DROP COLUMN seq")
        conn.execute("ALTER TABLE issued_texts DROP COLUMN units")
        conn.execute("PRAGMA user_version = 11")
    conn.close()
    give_emails(ws, {"市民政局": f"{address(1)}；{address(6)}"})
    again = _send(run, ws)
    assert "（补发给上次没有收到的地址）" in again.output and again.exit_code == 0
    assert _count(s, 0, 1, 6) == [1, 1, 1]
    assert "都已发送过" in _send(run, ws).output


def test_an_address_changed_or_removed_between_issue_and_send(issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    give_emails(ws, {"市民政局": address(8), "石龙镇": ""})
    sent = _send(run, ws)
    assert "没有收件人、不发送的 1 封：石龙镇" in sent.output
    assert _count(s, 0, 1, 2, 3, 4, 8) == [1, 0, 0, 1, 1, 1]


@pytest.fixture
def idn_servers(tmp_path_factory, monkeypatch):
    users = {DUBAN: "duban-Secret-1", **{address(n): f"pw-{n}" for n in range(5)}, IDN: "pw-idn"}
    with mailservers.start_mail_servers(tmp_path_factory.mktemp("mail"), users) as s:
        monkeypatch.setenv("DUBAN_MAIL_PASSWORD", users[DUBAN])
        yield s


def test_a_chinese_domain_reaches_its_mailbox(issued_ws, idn_servers, clock, run):
    s = idn_servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2], {"市公安局": address(0), "市民政局": "办公室 <bgs@东莞.政务>"})
    assert _send(run, ws).exit_code == 0
    [msg] = received(s, IDN)
    assert msg["To"].addresses[0].addr_spec == IDN and "市民政局" in str(msg["Subject"])
