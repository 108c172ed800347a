"""QA186: what departments receive from `duban mail send` when the office fixes what the
screen asked it to fix, whatever command it then types (tests/mailservers.py's servers).

* A draft made again for a unit whose mail went out is that mail (`drafts.same_mail`):
  `issue --emails` and `remind` run again re-sent every department its form or reminder.
  Only the office naming a unit sends it again (`mail send --resend`, `issue --dept`); a
  reminder on a later day is the next one.
* Recipients come from the 单位名录 when the mail goes (`mail_plan`): an address filled in or
  corrected is used without making the draft again; a reply to a return's sender, and a
  draft the office addressed by hand, go where they say.
* Delivery is recorded per address (ledger migration 12): an address refused beside one that
  took the mail gets it on the next send, and no one else does.
* A Chinese domain (bgs@东莞.政务) is written in its ASCII form, never an internal error, and
  a cell the 单位名录 check refused is said with its own problem.
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
import test_mail_send
from conftest import PERIOD, drop, issued_path, ledger_at
from test_evidence import mail
from test_mail_fetch import mail_ws
from test_mail_send import UNITS, address, give_emails, issued_with_emails, received
from test_qa175_replies import REFUSED

from toolkit.addresses import bad_addresses, parse_address
from toolkit.filling import fill_return
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.mail_records import SENT, MailRecords
from toolkit.mail import build_draft

# a real SMTP server, the month sent again and again: in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

servers = test_mail_send.servers  # the fixtures (see mailservers.py on ruff's F811)
clock = test_mail_send.clock


def _counts(s, n: int = 5) -> list[int]:
    return [len(s.mailbox(address(i))) for i in range(n)]


def _send(run, ws, kind: str = "issue", *extra: str):
    return run(["-w", str(ws.root), "mail", "send", kind, "--yes", *extra])


# ---------------------------------------------------------------------------
# a draft made again is the mail that went


def test_issue_made_again_for_every_unit_mails_none_twice_and_resend_mails_only_the_one_named(
        issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    assert _send(run, ws).exit_code == 0 and _counts(s) == [1, 1, 1, 1, 1]
    again = run(["-w", str(ws.root), "issue", "--emails"])  # what the screen used to advise
    assert again.exit_code == 0, again.output
    [kept] = [x for x in again.output.splitlines() if x.startswith("其中 5 个单位本期的填报表已通过邮件发出")]
    assert all(u in kept for u in UNITS) and "重新生成的草稿不会再次发送" in kept
    second = _send(run, ws)
    assert "已发送过的 5 封不再发送" in second.output and _counts(s) == [1, 1, 1, 1, 1]
    resent = _send(run, ws, "issue", "--resend", "东莞市公安局")  # as the office may write it
    assert resent.exit_code == 0, resent.output
    assert "  市公安局 → u00@dg.example.cn；" in resent.output and "（再次发送）" in resent.output
    assert _counts(s) == [2, 1, 1, 1, 1]
    first, later = received(s, address(0))
    assert first["Message-ID"] != later["Message-ID"]
    assert "已发送过的 5 封不再发送" in _send(run, ws).output and _counts(s) == [2, 1, 1, 1, 1]


def test_resend_of_a_unit_without_a_draft_is_one_chinese_line(issued_ws, servers, run):
    ws = issued_with_emails(issued_ws, servers, UNITS[:2])
    result = _send(run, ws, "issue", "--resend", "虎门镇")
    assert result.exit_code == 2
    assert "2022年6月没有“虎门镇”的下发邮件草稿，无法再次发送。" in result.output
    assert servers.smtp_log == []


def test_remind_made_again_the_same_day_mails_nobody_twice_and_a_later_day_reminds_again(
        issued_ws, servers, clock, run, collecting_on):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS) if u != "市民政局"}
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    collecting_on(dt.date(2022, 7, 6))
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0  # fetched first (QA277)
    assert run(["-w", str(ws.root), "remind"]).exit_code == 0
    first = _send(run, ws, "remind")
    assert "没有收件人、不发送的" in first.output and "市民政局" in first.output
    assert _counts(s) == [1, 0, 1, 1, 1]
    give_emails(ws, {"市民政局": address(1)})
    again = run(["-w", str(ws.root), "remind"])  # what the screen used to advise
    [kept] = [x for x in again.output.splitlines() if x.startswith("其中 4 个单位今天已发过催报邮件：")]
    assert "市民政局" not in kept and "重新生成的草稿不会再次发送" in kept
    _send(run, ws, "remind")
    assert _counts(s) == [1, 1, 1, 1, 1]
    collecting_on(dt.date(2022, 7, 8))  # two days on, still nothing: the next reminder
    run(["-w", str(ws.root), "remind"])
    _send(run, ws, "remind")
    assert _counts(s) == [2, 2, 2, 2, 2]


# ---------------------------------------------------------------------------
# recipients as the 单位名录 gives them when the mail goes


def test_a_reply_to_a_senders_return_goes_to_that_sender_whatever_the_directory_says_later(
        issued_ws, servers, clock, run):
    s = servers
    give_emails(issued_ws, {"中堂镇": address(4)})
    ws = mail_ws(issued_ws, s)
    form = fill_return(issued_path(ws, "中堂镇"), REFUSED)
    drop(ws, "zt.eml", mail([("中堂镇6月进展.xlsx", form)], sender=address(3)))
    assert "退回" in run(["-w", str(ws.root), "collect"]).output
    give_emails(ws, {"中堂镇": address(5)})  # the office updates the 名录 meanwhile
    sent = _send(run, ws, "feedback")
    assert sent.exit_code == 0, sent.output
    # To the sender, Cc the 名录 as it is now (QA358: an old Cc refused, corrected there, went to it again)
    assert [len(s.mailbox(address(n))) for n in (3, 4, 5)] == [1, 0, 1]


def test_a_draft_the_office_addressed_by_hand_goes_where_it_says(issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2])
    draft = issued_path(ws, "市公安局").with_suffix(".eml")
    draft.write_bytes(draft.read_bytes().replace(address(0).encode(), address(7).encode()))
    assert _send(run, ws).exit_code == 0
    assert [len(s.mailbox(address(n))) for n in (0, 1, 7)] == [0, 1, 1]


def test_two_addresses_separated_by_a_space_are_said_as_such_then_sent_once_corrected(
        issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS)}
    emails["市民政局"] = f"{address(1)} {address(6)}"
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    first = _send(run, ws)
    assert (f"单位名录中的邮箱有误、不发送的 1 封：市民政局 的邮箱“{address(1)} {address(6)}”几个地址之间只有空格，"
            "请用分号隔开。请在任务分工表“单位名录”的邮箱列改正后再次运行 duban mail send issue。") in first.output
    assert "没有收件人" not in first.output
    give_emails(ws, {"市民政局": f"{address(1)}；{address(6)}"})
    assert _send(run, ws).exit_code == 0
    assert [len(s.mailbox(address(n))) for n in (0, 1, 6)] == [1, 1, 1]


# ---------------------------------------------------------------------------
# per address


def test_a_second_address_refused_again_is_said_per_address_and_once_corrected_only_it_gets_the_form(
        issued_ws, servers, clock, run):
    s = servers
    emails = {"市公安局": address(0), "市民政局": f"{address(1)}；ghost@dg.example.cn"}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    _send(run, ws)
    second = _send(run, ws)  # not corrected yet: refused again, said per address; the unit has its form
    assert "  市民政局 → ghost@dg.example.cn；" in second.output and "（补发给上次没有收到的地址）" in second.output
    assert "  市民政局 ghost@dg.example.cn：收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）" \
        in second.output.splitlines()
    assert "以下邮件没有发出" not in second.output and second.exit_code == 1
    with Ledger(ws.ledger_path) as ledger:
        records = MailRecords(ledger.conn)
        assert "市民政局" in records.sent_units("issue", str(PERIOD))
        [(row, _)] = records.went_out("issue", str(PERIOD), "市民政局")
        assert row.state == SENT and row.delivered == [address(1)]
    give_emails(ws, {"市民政局": f"{address(1)}；{address(6)}"})  # corrected, as the screen asked
    assert _send(run, ws).exit_code == 0
    assert "都已发送过" in _send(run, ws).output
    assert [len(s.mailbox(address(n))) for n in (0, 1, 6)] == [1, 1, 1]
    assert received(s, address(1))[0]["Message-ID"] == received(s, address(6))[0]["Message-ID"]


def test_a_version_11_ledger_knows_which_addresses_its_sent_mail_reached(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO mail_sent(message_id, kind, period, unit, recipients, refused, state, started_at,"
              " sent_at) VALUES (?,?,?,?,?,?,?,?,?)")
    ledger_at(path, 11, (insert, ("<m1@dg>", "issue", "2022-06", "市民政局", f'["{address(1)}", "{address(6)}"]',
                                  f'{{"{address(6)}": "服务器暂时拒收"}}', "sent", "2022-07-01T09:00:00+08:00",
                                  "2022-07-01T09:00:01+08:00")))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 12
        records = MailRecords(ledger.conn)
        row = records.sent("<m1@dg>")
        assert row.delivered == [address(1)] and not row.reached(address(6))
        records.begin_sending(message_id="<m1@dg>", draft_id=None, kind="issue", period="2022-06",
                              unit="市民政局", recipients=[address(6)], started_at="2022-07-02T09:00:00+08:00")
        records.mark_sent("<m1@dg>", "2022-07-02T09:00:01+08:00")
        assert records.sent("<m1@dg>").delivered == [address(1), address(6)]


# ---------------------------------------------------------------------------
# addresses


def test_a_chinese_domain_is_written_in_its_ascii_form_and_a_chinese_name_before_the_at_is_m112():
    assert parse_address("bgs@东莞.政务") == ("", "bgs@xn--xhq771k.xn--zfr164b")
    assert bad_addresses("办公室 <bgs@东莞.政务>；dc@dg.gov.cn") == []
    assert bad_addresses("张三@dg.gov.cn") == ["张三@dg.gov.cn"]
    eml = build_draft(to="办公室 <bgs@东莞.政务>", subject="下发", body="见附件", attachments=[])
    msg = email.message_from_bytes(eml, policy=policy.default)
    assert msg["To"].addresses[0].addr_spec == "bgs@xn--xhq771k.xn--zfr164b"
    assert msg["To"].addresses[0].display_name == "办公室"


def test_resend_all_names_every_units_draft(tmp_path):
    """``--resend 全部``: forms corrected for every unit go once more, one word for 54 units."""
    from toolkit.mail_plan import EVERY_UNIT, _named
    from toolkit.units import Directory, Unit

    class _Draft:
        def __init__(self, unit):
            self.unit = unit

    directory = Directory([Unit("市民政局", "市直部门", (), "", "", ""), Unit("石龙镇", "镇街", (), "", "", "")])
    drafts = [_Draft("市民政局"), _Draft("石龙镇")]
    assert "全部" in EVERY_UNIT
    assert _named(directory, ["全部"], drafts, None) == {"市民政局", "石龙镇"}
    assert _named(directory, ["石龙镇"], drafts, None) == {"石龙镇"}
