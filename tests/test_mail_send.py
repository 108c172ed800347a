"""Issue 18: `duban mail send` against real SMTP (aiosmtpd -> Dovecot LMTP) and IMAP servers --
each department gets exactly its own mail, once, even across a dropped connection or a kill."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import itertools
import os
import re
import signal
import smtplib
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import mailservers
import pytest
from conftest import PERIOD
from mailservers import untrusted_ca_file
from openpyxl import load_workbook
from test_mail_fetch import DUBAN, ROOT, mail_ws

from toolkit import mail_send
from toolkit.actions import mail as mail_action
from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.drafts import write_draft
from toolkit.ledger import Ledger
from toolkit.mail import build_draft
from toolkit.mail_send import Clock, outgoing_bytes
from toolkit.workspace import find_workspace
from toolkit.xlsx import atomic_save

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)

UNITS = ["市公安局", "市民政局", "石龙镇", "东城街道", "虎门镇"]


class FakeClock:
    """`send`'s clock in tests: time moves only when it sleeps."""

    def __init__(self):
        self.t, self.sleeps = 1000.0, []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.t += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(mail_send, "CLOCK", Clock(fake.now, fake.sleep))
    return fake


def address(n: int) -> str:
    return f"u{n:02d}@dg.example.cn"


def give_emails(ws, emails: dict[str, str]) -> None:
    """Fill the 邮箱 column of 单位名录, as the coordinator does in Excel."""
    wb = load_workbook(ws.master_path)
    sheet = wb["单位名录"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in emails:
            row[5].value = emails[row[0].value]
    atomic_save(wb, ws.master_path)


@pytest.fixture
def servers(tmp_path_factory, monkeypatch):
    """Servers whose users are the office and one mailbox per unit in UNITS (and 54 more)."""
    users = {DUBAN: "duban-Secret-1", **{address(n): f"pw-{n}" for n in range(60)}}
    with mailservers.start_mail_servers(tmp_path_factory.mktemp("mail"), users) as s:
        monkeypatch.setenv("DUBAN_MAIL_PASSWORD", users[DUBAN])
        yield s


def issued_with_emails(ws, s, units: list[str], emails: dict[str, str] | None = None, **settings):
    emails = emails or {u: address(n) for n, u in enumerate(units)}
    give_emails(ws, emails)
    ws = mail_ws(ws, s, **settings)
    issue_returns(ws, PERIOD, units=units, emails=True)
    return ws


def issue_drafts(ws) -> dict[str, object]:
    with Ledger(ws.ledger_path) as ledger:
        return {d.unit: d for d in ledger.drafts("issue", PERIOD)}


def received(s, addr: str) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(m["raw"], policy=email.policy.default) for m in s.mailbox(addr)]


def attachments(msg) -> list[tuple[str, bytes]]:
    return [(a.get_filename(), a.get_content()) for a in msg.iter_attachments()]


def _check_each_unit_got_its_own(ws, s, units: list[str]) -> None:
    drafts = issue_drafts(ws)
    for n, unit in enumerate(units):
        [msg] = received(s, address(n))
        issued = ws.root / "下发" / PERIOD.label / f"{PERIOD.label}_{unit}_进展填报表.xlsx"
        assert attachments(msg) == [(issued.name, issued.read_bytes())]
        assert msg["Message-ID"] == drafts[unit].message_id
        assert unit in msg["Subject"] and "X-Unsent" not in msg and msg["Delivered-To"] == address(n)


def test_send_issue_each_department_gets_exactly_its_own_return(issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS, from_="督办办公室 <duban@example.org>")
    drafts = issue_drafts(ws)
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{PERIOD.label} 下发邮件：待发送 5 封（共 ")
    assert lines[0].endswith(f"），发件人 {DUBAN}，经发信服务器 127.0.0.1:{s.smtps_port}。")
    for n, unit in enumerate(UNITS):
        issued = f"{PERIOD.label}_{unit}_进展填报表.xlsx"
        kb = round((ws.root / "下发" / PERIOD.label / issued).stat().st_size / 1024)
        assert lines[1 + n] == f"  {unit} → {address(n)}；{issued}（{kb} KB）"
    assert lines[6:] == [f"已发送{PERIOD.label}下发邮件 5 封。", "已在邮箱的“Sent”中保存副本 5 封。"]
    assert all((ws.root / d.path).exists() for d in drafts.values())  # the drafts stay on disk
    _check_each_unit_got_its_own(ws, s, UNITS)
    # sent as the office: From rewritten, a fresh Date in the workspace's zone, CRLF, one per RCPT
    [(mail_from, _rcpts, data)] = [x for x in s.smtp_log if x[1] == [address(0)]]
    assert mail_from == DUBAN and b"\r\nX-Unsent" not in data
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert msg["From"].addresses[0].display_name == "督办办公室" and msg["Date"].datetime.utcoffset().seconds == 8 * 3600
    # a copy of each in Sent, byte for byte what went out
    sent_copies = sorted(m["raw"] for m in s.mailbox(DUBAN, "Sent"))
    assert sent_copies == sorted(x[2] for x in s.smtp_log)
    with Ledger(ws.ledger_path) as ledger:
        rows = [dict(r) for r in ledger.conn.execute("SELECT * FROM mail_sent ORDER BY id")]
    assert [(r["unit"], r["state"], r["message_id"]) for r in rows] == [
        (u, "sent", drafts[u].message_id) for u in UNITS]
    # kept to send_per_minute (600 here) without waiting for real
    assert clock.sleeps == [0.1] * 4

    again = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [f"已发送过的 5 封不再发送：{'、'.join(UNITS)}。",
                                         f"{PERIOD.label} 的下发邮件都已发送过，没有要发送的。"]
    assert len(s.smtp_log) == 5


@pytest.mark.slow
def test_send_issue_to_all_54_departments(issued_ws, servers, clock):
    s = servers
    units = issued_ws.load_master().units_with_tasks()
    ws = issued_with_emails(issued_ws, s, units)
    plan = mail_action.plan_send(ws, "issue", None)
    assert len(plan.drafts) == 54 and plan.period == PERIOD
    result = mail_action.send(ws, plan)
    assert result.failed == 0 and len(result.sent) == 54 and result.copies == 54
    _check_each_unit_got_its_own(ws, s, units)
    assert clock.sleeps == [0.1] * 53


def test_a_dropped_connection_is_reported_and_a_rerun_resumes_without_duplicates(issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    s.smtp_fail_after = 2
    first = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert first.exit_code == 1
    assert first.stdout.splitlines()[6:] == [
        f"已发送{PERIOD.label}下发邮件 2 封（共 5 封）。",
        "已在邮箱的“Sent”中保存副本 2 封。",
        f"连接中断：发信服务器 127.0.0.1:{s.smtps_port} 在发送“石龙镇”的邮件时断开，还有 3 封没有发送。"
        "再次运行 duban mail send issue 会从中断处继续，已发出的不会重发。",
    ]
    s.smtp_fail_after = None
    second = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[0].startswith(f"{PERIOD.label} 下发邮件：待发送 3 封")
    assert second.stdout.splitlines()[4] == f"已发送过的 2 封不再发送：{UNITS[0]}、{UNITS[1]}。"
    _check_each_unit_got_its_own(ws, s, UNITS)
    assert len(s.smtp_log) == 5 and len(s.mailbox(DUBAN, "Sent")) == 5


_KILLER = textwrap.dedent("""
    import os, signal, sys
    from toolkit.ledger import mail_records
    from toolkit.cli import main

    real = mail_records.MailRecords.mark_sent
    calls = {"n": 0}

    def mark_sent(self, *args, **kw):
        calls["n"] += 1
        if calls["n"] == int(os.environ["KILL_AT"]):
            os.kill(os.getpid(), signal.SIGKILL)  # the server took the data; "sent" not committed
        return real(self, *args, **kw)

    mail_records.MailRecords.mark_sent = mark_sent
    sys.argv = ["duban", *sys.argv[1:]]
    main()
""")


def test_killed_while_the_server_had_the_message_it_is_never_resent_blindly(issued_ws, servers, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    env = dict(os.environ, KILL_AT="2", PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    killed = subprocess.run([sys.executable, "-c", _KILLER, "-w", str(ws.root), "mail", "send", "issue", "--yes"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(s.smtp_log) == 2  # 市民政局's message went out, its "sent" never recorded

    second = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    lines = second.stdout.splitlines()
    assert lines[0].startswith(f"{PERIOD.label} 下发邮件：待发送 3 封")
    unsure = ("可能已发送，请核对 1 封：市民政局。上次发送在传送这些邮件时中断，无法确定对方是否已收到；为免重复，不会自动重发。"
              "请到邮箱的“已发送”中核对或电话确认，如对方确实没有收到，请运行 duban mail send issue --resend 市民政局 再次发送。")
    assert lines[4:6] == ["已发送过的 1 封不再发送：市公安局。", unsure]
    assert second.exit_code == 0  # the plan names it; the three sent fine
    _check_each_unit_got_its_own(ws, s, UNITS)  # exactly one each: 市民政局 not twice
    assert run(["-w", str(ws.root), "mail", "send", "issue", "--yes"]).stdout.splitlines()[-1] == unsure

    # a server that files submitted mail in Sent (as Coremail does) settles the doubt
    [data] = [x[2] for x in s.smtp_log if x[1] == [address(1)]]
    s.deliver(DUBAN, data, folder="Sent")
    third = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert third.stdout.splitlines() == [
        "上次中断时正在发送的 1 封已在“已发送”中找到，记为已发送：市民政局。",
        f"已发送过的 4 封不再发送：{'、'.join(u for u in UNITS if u != '市民政局')}。",
        f"{PERIOD.label} 的下发邮件都已发送过，没有要发送的。"]
    assert len(s.mailbox(address(1))) == 1


def test_refused_recipients_and_a_full_mailbox_do_not_stop_the_rest(issued_ws, servers, clock, run):
    s = servers
    emails = {"市公安局": "nobody@dg.example.cn", "市民政局": f"{address(1)}；ghost@dg.example.cn",
              "石龙镇": address(2), "东城街道": address(3)}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    s.set_quota(address(2), 1000)
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[5:] == [
        f"已发送{PERIOD.label}下发邮件 2 封（共 4 封）。",
        "已在邮箱的“Sent”中保存副本 2 封。",
        "以下收件人被拒收（同一封邮件的其他收件人已收到）：",
        "  市民政局 ghost@dg.example.cn：收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）",
        "以下邮件没有发出：",
        "  市公安局：收件人 nobody@dg.example.cn 收件地址不存在或被拒收，请核对单位名录中的邮箱（服务器代码 550）",
        "  石龙镇：对方邮箱已满（服务器代码 552）",
        "改正后再次运行 duban mail send issue 会补发没有发出的邮件，已发出的不会重发。",
    ]
    assert [len(s.mailbox(address(n))) for n in range(4)] == [0, 1, 0, 1]
    s.set_quota(address(2), None)
    again = mail_action.send(ws, mail_action.plan_send(ws, "issue", None))
    assert again.sent == ["石龙镇"] and [u for u, _ in again.failures] == ["市公安局"]
    assert [len(s.mailbox(address(n))) for n in range(4)] == [0, 1, 1, 1]


def test_send_per_minute_spaces_the_messages(issued_ws, servers, clock):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:4], send_per_minute=20)
    mail_action.send(ws, mail_action.plan_send(ws, "issue", None))
    assert clock.sleeps == [3.0, 3.0, 3.0]
    assert len(s.smtp_log) == 4


def test_send_per_minute_with_the_real_clock(issued_ws, servers, monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:3], send_per_minute=300, imap_host="")
    starts, real_mail = [], smtplib.SMTP.mail

    def mail(self, *args, **kw):  # when each transaction starts, as the client sees it
        if not isinstance(self, smtplib.LMTP):  # not the harness delivering to Dovecot
            starts.append(time.monotonic())
        return real_mail(self, *args, **kw)

    monkeypatch.setattr(smtplib.SMTP, "mail", mail)
    result = mail_action.send(ws, mail_action.plan_send(ws, "issue", None))
    assert len(result.sent) == 3 and result.copies == 0 and len(s.smtp_rate_log) == 3
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 2 and min(gaps) >= 0.2 - 0.005, gaps


def test_dry_run_logs_in_and_sends_nothing(issued_ws, servers, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2])
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:] == [
        f"演练：已连接并登录发信服务器 127.0.0.1:{s.smtps_port}（账号 {DUBAN}），没有发送任何邮件。",
        "去掉 --dry-run 再运行即可发送 2 封下发邮件。"]
    assert s.smtp_log == [] and (DUBAN, "PLAIN", True) in s.smtp_auth_log


def test_confirmation_is_asked_and_no_sends_nothing(issued_ws, servers, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2])
    result = run(["-w", str(ws.root), "mail", "send", "issue"], input="n\n")
    assert result.exit_code == 0
    assert "确认发送以上邮件？" in result.output
    assert result.stdout.splitlines()[-1] == "已取消，没有发送任何邮件。"
    assert s.smtp_log == [] and s.smtp_auth_log == []


def test_a_unit_without_an_address_is_reported_not_sent(issued_ws, servers, clock, run):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:3], {UNITS[0]: address(0), UNITS[2]: address(2)})
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[3] == (
        "没有收件人、不发送的 1 封：市民政局。请在任务分工表“单位名录”的邮箱列填写后再次运行 duban mail send issue，"
        "草稿不必重新生成。")
    assert len(s.smtp_log) == 2


def test_nothing_to_send_says_how_to_make_drafts(issued_ws, servers, run):
    ws = mail_ws(issued_ws, servers)
    result = run(["-w", str(ws.root), "mail", "send", "remind"])
    assert result.exit_code == 0
    assert result.stdout == f"{PERIOD.label} 没有催报邮件草稿。请先运行 duban remind（或双击“4-发送邮件”，选 3 催报）。\n"


def test_send_feedback_drafts_and_a_message_too_big_for_the_server(issued_ws, tmp_path, monkeypatch, clock):
    users = {DUBAN: "pw-office", address(0): "a", address(1): "b"}
    with mailservers.start_mail_servers(tmp_path / "mail", users, data_size_limit=100_000) as s:
        monkeypatch.setenv("DUBAN_MAIL_PASSWORD", users[DUBAN])
        ws = mail_ws(issued_ws, s, port="starttls")
        folder = ws.root / "反馈" / PERIOD.label
        with Ledger(ws.ledger_path) as ledger:
            for n, (unit, size) in enumerate((("石龙镇", 2_000), ("虎门镇", 150_000))):
                eml = build_draft(to=f"{unit} <{address(n)}>", subject=f"{unit}报送反馈", body="请按反馈修改后重报。",
                                  attachments=[(f"{unit}_反馈.xlsx", os.urandom(size))], sender=DUBAN)
                write_draft(ws, ledger, kind="feedback", period=PERIOD, unit=unit, path=folder / f"{unit}.eml", eml=eml)
        plan = mail_action.plan_send(ws, "feedback", PERIOD)
        assert [o.to for o in plan.drafts] == [[("石龙镇", address(0))], [("虎门镇", address(1))]]
        result = mail_action.send(ws, plan)
        assert result.sent == ["石龙镇"]
        [(unit, why)] = result.failures
        size_kb = round(len(outgoing_bytes((folder / "虎门镇.eml").read_bytes(), from_header=DUBAN,
                                           message_id=plan.drafts[1].message_id, date="x")) / 1024)
        assert unit == "虎门镇" and why.startswith("邮件 ") and why.endswith(
            " KB，超过发信服务器允许的 98 KB，请压缩附件或分开发送")
        assert abs(int(why.split()[1]) - size_kb) <= 1
        assert len(s.mailbox(address(0))) == 1 and s.mailbox(address(1)) == []
        dry = mail_action.send(ws, mail_action.plan_send(ws, "feedback", PERIOD), dry_run=True)
        assert [u for u, _ in dry.too_big] == ["虎门镇"] and dry.failed == 1


def test_a_full_office_mailbox_loses_only_the_sent_copy(issued_ws, servers, clock):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2])
    s.create_folder(DUBAN, "Sent")
    s.set_quota(DUBAN, 1000)
    result = mail_action.send(ws, mail_action.plan_send(ws, "issue", None))
    assert result.sent == UNITS[:2] and result.failed == 0 and result.copies == 0
    assert result.lines()[1] == (
        f"已发出的邮件没有保存副本：把已发邮件保存到“Sent”失败：邮箱已满（收信服务器 127.0.0.1:{s.imaps_port}）。"
        "请在网页邮箱中删除不需要的邮件并清空“已删除”后重新运行。")
    assert len(s.mailbox(address(0))) == 1


# ---------------------------------------------------------------------------
# faults


def test_smtp_faults_are_one_line_each(issued_ws, servers, run, monkeypatch, tmp_path):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:1], imap_host="")
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "wrong")
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--dry-run"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"错误：发信服务器 127.0.0.1:{s.smtps_port} 拒绝登录（账号 {DUBAN}）：密码或授权码不对（密码取自环境变量 "
        "DUBAN_MAIL_PASSWORD）。政务邮箱一般要在网页邮箱的“设置—客户端设置”中开启 IMAP/SMTP 并生成客户端专用密码（授权码），"
        "再运行 duban mail login 保存。")
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", s.users[DUBAN])
    ws = mail_ws(ws, s, imap_host="", ca_file=str(untrusted_ca_file(tmp_path)))
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(
        f"错误：发信服务器 127.0.0.1:{s.smtps_port} 的证书不受信任，连接已中止：ca_file“")
    port = mailservers.free_port()
    ws = mail_ws(ws, s, imap_host="", smtp_port=port)
    result = run(["-w", str(ws.root), "mail", "send", "issue", "--yes"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"错误：无法连接发信服务器 127.0.0.1:{port}（连接被拒绝）。请检查 duban.toml [mail] 中的 smtp_host 和 smtp_port，"
        "以及这台电脑能否访问该服务器（内网、VPN 或防火墙）。")
    assert s.smtp_log == []


def test_starttls_submission_port(issued_ws, servers, clock):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:1], port="starttls")
    result = mail_action.send(ws, mail_action.plan_send(ws, "issue", None))
    assert result.sent == UNITS[:1] and result.copies == 1


def test_send_without_smtp_settings_names_the_keys(issued_ws, run):
    result = run(["-w", str(issued_ws.root), "mail", "send", "issue"])
    assert result.exit_code == 2
    assert result.output == ("错误：duban.toml 的 [mail] 中没有设置 smtp_host、user，无法发送邮件。请用记事本打开 duban.toml，"
                             "在 [mail] 中加上发信服务器和邮箱账号（smtp_host = \"smtp.xxx.gov.cn\"、imap_host = "
                             "\"imap.xxx.gov.cn\"、user = \"dbb@xxx.gov.cn\"）。\n")


# ---------------------------------------------------------------------------
# the message as it goes out


def test_outgoing_bytes_keep_the_draft_and_replace_only_the_sending_headers():
    eml = build_draft(to="a@x.cn, 乙 <b@x.cn>", subject="主题很长" * 20, body="正文\n第二行",
                      attachments=[("表.xlsx", b"PK\x03\x04" * 100)], sender="草稿 <draft@x.cn>")
    out = outgoing_bytes(eml, from_header="duban@example.org", message_id="<m1@x>",
                         date="Mon, 04 Jul 2022 09:30:00 +0800")
    assert b"\r\n" in out and b"\n" not in out.replace(b"\r\n", b"")
    msg = email.message_from_bytes(out, policy=email.policy.default)
    assert msg["From"] == "duban@example.org" and msg["Message-ID"] == "<m1@x>" and "X-Unsent" not in msg
    assert msg["Date"] == "Mon, 04 Jul 2022 09:30:00 +0800" and len(msg.get_all("Date")) == 1
    assert msg["Subject"] == "主题很长" * 20 and [a.addr_spec for a in msg["To"].addresses] == ["a@x.cn", "b@x.cn"]
    assert attachments(msg) == [("表.xlsx", b"PK\x03\x04" * 100)]
    body_in = eml.split(b"\n\n", 1)[1]
    assert out.split(b"\r\n\r\n", 1)[1] == body_in.replace(b"\n", b"\r\n")
    assert hashlib.sha256(out).hexdigest()  # deterministic for the same inputs
    assert outgoing_bytes(eml, from_header="duban@example.org", message_id="<m1@x>",
                          date="Mon, 04 Jul 2022 09:30:00 +0800") == out


def test_attachment_names_are_read_by_clients_that_know_only_rfc_2047():
    """Content-Disposition's filename* (RFC 2231) for standard clients, and Content-Type's
    name as RFC 2047 words for those that read only that (Outlook over IMAP/POP, QQ Mail,
    Lotus Notes showed "ATT00001.xlsx"): each word at most 75 characters and whole characters."""
    long_name = "东莞市2022年政务服务全域标准化专项行动" * 3 + "_校验反馈.xlsx"
    for name in ("虎门镇_校验反馈.xlsx", long_name):
        eml = build_draft(to="a@x.cn", subject="s", body="b", attachments=[(name, b"PK")])
        part = eml.decode("ascii").split("\n--")[-2]
        head = part.split("\n\n", 1)[0].replace("\n ", " ")
        value = re.search(r'Content-Type: .*?; name="([^"]+)"', head).group(1)
        words = value.split(" ")
        assert all(len(w) <= 75 and w.startswith("=?utf-8?b?") and w.endswith("?=") for w in words), words
        assert "".join(base64.b64decode(w[10:-2]).decode("utf-8") for w in words) == name
        assert "filename*=utf-8''" in head
        [att] = email.message_from_bytes(eml, policy=email.policy.default).iter_attachments()
        assert att.get_filename() == name
    plain = build_draft(to="a@x.cn", subject="s", body="b", attachments=[("report.xlsx", b"PK")])
    assert b'name="report.xlsx"' in plain


def test_send_remind_gives_a_unit_to_fix_its_own_marked_file(issued_ws, make_return, servers, clock, run):
    """`remind --attach` then `mail send remind`, with the office's own template copy written
    before the marked file existed: 虎门镇 (退回待改) receives the reply's workbook, byte for
    byte as on disk and named for every client, never called a blank form; 石龙镇 (未报送)
    the blank form."""
    from conftest import drop, on_time

    from toolkit.filling import Answer, Filling
    from toolkit.resources import resource

    ws = issued_with_emails(issued_ws, servers, UNITS)
    ws.templates_dir.mkdir(exist_ok=True)
    shipped = resource("templates", "催报邮件.txt").read_text(encoding="utf-8")
    old = re.sub(r"\{% if feedback_attached %\}.*?\{% elif attached %\}", "{% if attached %}", shipped)
    assert "feedback_attached" not in old and "{% if attached %}空白填报表见附件。{% endif %}" in old
    (ws.templates_dir / "催报邮件.txt").write_text(old, encoding="utf-8")
    wrong = Filling(answers={"1.2": Answer(status="滞后", problems="")})
    drop(ws, "虎门.xlsx", make_return("虎门镇", wrong), on_time())
    collect(ws)
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0  # fetched first (QA277)
    assert run(["-w", str(ws.root), "remind", "--attach"]).exit_code == 0
    result = run(["-w", str(ws.root), "mail", "send", "remind", "--yes"])
    assert result.exit_code == 0, result.output
    [marked] = (ws.root / "反馈" / PERIOD.label).glob("*/虎门镇_校验反馈.xlsx")
    [msg] = received(servers, address(UNITS.index("虎门镇")))
    assert attachments(msg) == [(marked.name, marked.read_bytes())]
    assert "空白" not in msg.get_body(("plain",)).get_content()
    [raw] = [m["raw"] for m in servers.mailbox(address(UNITS.index("虎门镇")))]
    assert b"filename*=utf-8''%E8%99%8E%E9%97%A8%E9%95%87_" in raw
    assert b'name="=?utf-8?b?' + base64.b64encode(marked.name.encode()) in raw.replace(b"\r\n ", b" ")
    [blank] = received(servers, address(UNITS.index("石龙镇")))
    form = ws.root / "下发" / PERIOD.label / f"{PERIOD.label}_石龙镇_进展填报表.xlsx"
    assert attachments(blank) == [(form.name, form.read_bytes())]
    assert "空白填报表见附件" in blank.get_body(("plain",)).get_content()


def test_mail_send_unknown_period_drafts_are_named(issued_ws, servers, run):
    ws = mail_ws(issued_ws, servers)
    result = run(["-w", str(ws.root), "mail", "send", "feedback", "--period", "2022-05"])
    assert result.stdout == ("2022年5月 没有反馈邮件草稿。反馈邮件只写给报送被退回或无法读取的单位；"
                             "还没有收取的，请先运行 duban collect（或双击“2-收取并汇总”）。\n")
    assert find_workspace(ws.root).settings.mail.user == DUBAN
    assert Path(ws.root / "duban.toml").exists()


def test_the_office_copied_on_its_own_mail_does_not_fetch_it_as_a_return(issued_ws, servers, clock):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS[:2], {UNITS[0]: f"{address(0)}；{DUBAN}", UNITS[1]: address(1)})
    assert len(mail_action.send(ws, mail_action.plan_send(ws, "issue", None)).sent) == 2
    [own] = s.mailbox(DUBAN)
    assert b"X-Unsent" not in own["raw"]
    result = mail_action.fetch(ws, since=PERIOD.start)
    assert result.stored == [] and result.skipped == 1
