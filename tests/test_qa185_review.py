"""QA185 review: what departments receive from `duban mail send` (下发, 反馈, 催报) against the
real servers of tests/mailservers.py, played as the office and as the departments' mailboxes.

Each test follows the screen: when `mail send` says which command to run, the test runs that
command as printed (answering y where it asks), then counts what each department's mailbox
holds. Each failed before QA186 (see the QA185 report for the ranking).
"""

from __future__ import annotations

import re
import shlex
import smtplib

import mailservers
import pytest
import test_mail_send
from conftest import drop, issued_path
from test_mail_fetch import mail_ws
from test_mail_send import UNITS, address, give_emails, issued_with_emails
from test_qa175_replies import REFUSED

from toolkit.filling import fill_return

# a real SMTP server, the month sent again and again: in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

servers = test_mail_send.servers  # the fixtures (see mailservers.py on ruff's F811)
clock = test_mail_send.clock


def _counts(s, n: int = 5) -> list[int]:
    return [len(s.mailbox(address(i))) for i in range(n)]


def _printed_command(output: str) -> list[str]:
    """The command the screen tells the office to run ("…运行 duban … 重新生成…", "…运行 duban mail
    send … 再次发送", "…再次运行 duban mail send issue，…", "…再次运行 duban mail send issue 会接着发送…")."""
    m = re.search(r"运行 (duban [^，。；（]*?)(?= 重新生成| 再次发送| 会接着| 会从中断处|[，。；（])", output)
    assert m, output
    return shlex.split(m.group(1))[1:]


def _follow(run, ws, output: str):
    """Run the printed command as the office would, answering y to 确认发送以上邮件？ if asked."""
    return run(["-w", str(ws.root), *_printed_command(output)], input="y\n")


def _send(run, ws, kind: str = "issue"):
    return run(["-w", str(ws.root), "mail", "send", kind, "--yes"])


def _stop_in_data(monkeypatch, n: int) -> None:
    """Ctrl-C while the n-th message's DATA is going out (the harness's own LMTP untouched)."""
    real, calls = smtplib.SMTP.data, {"n": 0}

    def data(self, msg):
        if not isinstance(self, smtplib.LMTP):
            calls["n"] += 1
            if calls["n"] == n:
                raise KeyboardInterrupt
        return real(self, msg)

    monkeypatch.setattr(smtplib.SMTP, "data", data)


# ---------------------------------------------------------------------------
# what the screen tells the office to run after a send that did not reach everyone


def test_ctrl_c_then_resending_the_unsure_form_as_printed_mails_nobody_twice(issued_ws, servers, clock, run,
                                                                             monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    with monkeypatch.context() as m:
        _stop_in_data(m, 2)  # Ctrl-C while 市民政局's message goes out
        stopped = _send(run, ws)
    assert stopped.exit_code == 130 and "市民政局 的邮件在传送时被取消" in stopped.output
    second = _send(run, ws)
    assert "可能已发送，请核对 1 封：市民政局" in second.output
    assert _counts(s) == [1, 0, 1, 1, 1]
    # the office phones 市民政局: nothing came. It runs what the screen says, then sends again.
    assert _follow(run, ws, second.output).exit_code == 0
    _send(run, ws)
    assert _counts(s) == [1, 1, 1, 1, 1]


def test_a_missing_address_filled_in_then_the_printed_command_mails_nobody_twice(issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS) if u != "市民政局"}
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    first = _send(run, ws)
    assert "没有收件人、不发送的 1 封：市民政局" in first.output and _counts(s) == [1, 0, 1, 1, 1]
    give_emails(ws, {"市民政局": address(1)})
    assert _follow(run, ws, first.output).exit_code == 0
    _send(run, ws)
    assert _counts(s) == [1, 1, 1, 1, 1]


def test_a_refused_address_corrected_in_the_directory_gets_the_form_on_the_next_send(issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS)}
    emails["市公安局"] = "u00@dg.example.cm"  # .cm for .cn: the server answers 550
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    first = _send(run, ws)
    assert "  市公安局：收件人 u00@dg.example.cm 收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）" \
        in first.output.splitlines()
    assert "改正后再次运行 duban mail send issue 会补发没有发出的邮件，已发出的不会重发。" in first.output
    give_emails(ws, {"市公安局": address(0)})  # corrected, as the screen asked
    _send(run, ws)
    assert _counts(s) == [1, 1, 1, 1, 1]


def test_a_second_address_greylisted_gets_the_form_when_sent_again_later(issued_ws, servers, clock, run, monkeypatch):
    s = servers
    emails = {"市公安局": address(0), "市民政局": f"{address(1)}；{address(6)}"}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    grey = {address(6)}
    real = mailservers._SmtpHandler.handle_RCPT

    async def handle_rcpt(self, server, session, envelope, addr, options):
        if addr in grey:
            return f"450 4.7.1 <{addr}>: Recipient address rejected: Greylisted, please try again later"
        return await real(self, server, session, envelope, addr, options)

    monkeypatch.setattr(mailservers._SmtpHandler, "handle_RCPT", handle_rcpt)
    first = _send(run, ws)
    assert f"  市民政局 {address(6)}：服务器暂时拒收，请稍后重发（服务器代码 450）" in first.output.splitlines()
    grey.clear()  # later: the server now takes it
    _send(run, ws)
    assert [len(s.mailbox(address(n))) for n in (0, 1, 6)] == [1, 1, 1]


def test_a_reply_without_recipient_goes_out_once_the_address_is_filled_as_printed(issued_ws, servers, clock, run):
    s = servers
    ws = mail_ws(issued_ws, s)
    drop(ws, "中堂镇6月进展.xlsx", fill_return(issued_path(ws, "中堂镇"), REFUSED))  # saved by hand: no sender
    assert "退回：中堂镇6月进展.xlsx（中堂镇）" in run(["-w", str(ws.root), "collect"]).output
    first = _send(run, ws, "feedback")
    assert "没有收件人、不发送的 1 封：中堂镇" in first.output
    give_emails(ws, {"中堂镇": address(0)})
    _follow(run, ws, first.output)
    _send(run, ws, "feedback")
    assert len(s.mailbox(address(0))) == 1


# ---------------------------------------------------------------------------
# the 单位名录's addresses


def test_a_chinese_domain_in_the_directory_does_not_stop_issue_with_english_text(issued_ws, servers, run):
    give_emails(issued_ws, {"市公安局": address(0), "市民政局": "bgs@东莞.政务"})
    ws = mail_ws(issued_ws, servers)
    result = run(["-w", str(ws.root), "issue", "--emails", "--dept", "市公安局", "--dept", "市民政局"])
    assert "codec" not in result.output and "Error" not in result.output
    assert result.exit_code == 0
