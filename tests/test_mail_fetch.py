"""Issue 18: `duban mail fetch` against a real Dovecot (tests/mailservers.py) -- returns found,
stored byte for byte, never twice, sizes checked before download, every fault one Chinese line.

Also the helpers test_mail_send.py shares: a workspace pointed at the test servers, a
return mail as a department's client sends it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import keyring
import mailservers
import pytest
from conftest import PERIOD, zip_bytes
from keyring.backend import KeyringBackend
from keyring.backends import fail
from mailservers import untrusted_ca_file

from toolkit.actions import mail as mail_action
from toolkit.actions.collect import collect
from toolkit.actions.merge import merge
from toolkit.errors import BadConfig
from toolkit.filling import Answer, Filling
from toolkit.imap_parse import body_parts, imap_utf7_decode, imap_utf7_encode, parse_fetch, uid_set
from toolkit.ledger import LATEST, MIGRATIONS, Ledger, schema_version
from toolkit.ledger.mail_records import MailRecords
from toolkit.mail import build_draft
from toolkit.mailbox import Imap, MailboxError
from toolkit.workspace import find_workspace

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)

DUBAN = "duban@example.org"
CST = dt.timezone(dt.timedelta(hours=8))
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------
# shared helpers (test_mail_send.py imports them)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def mail_ws(ws, s, *, port: str = "ssl", limits: dict | None = None, **settings):
    """The workspace with [mail] pointed at the test servers (implicit TLS by default)."""
    values = {"imap_host": s.imap_host, "smtp_host": s.smtp_host, "security": "ssl",
              "imap_port": s.imaps_port, "smtp_port": s.smtps_port, "user": DUBAN, "from": DUBAN,
              "ca_file": str(s.ca_file), "send_per_minute": 600}
    if port == "starttls":
        values.update(security="starttls", imap_port=s.imap_port, smtp_port=s.smtp_port)
    values.update({("from" if k == "from_" else k): v for k, v in settings.items()})
    block = "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items() if v is not None)
    original = ws.root / ".duban.toml.orig"  # each call starts from the workspace's own file
    if not original.exists():
        original.write_bytes(ws.config_path.read_bytes())
    text = original.read_text(encoding="utf-8")
    text = text.replace("[mail]\n", "[mail]\n" + block, 1)
    for k, v in (limits or {}).items():
        text = re.sub(rf"(?m)^{k} = \d+", f"{k} = {v}", text)
    ws.config_path.write_text(text, encoding="utf-8")
    return find_workspace(ws.root, explicit=True)


def return_mail(unit: str, data: bytes, *, sender: str, when: dt.datetime, subject: str | None = None,
                filename: str | None = None, extra: list[tuple[str, bytes]] = ()) -> bytes:
    """A department's mail carrying its return, as its client sends it (CRLF)."""
    eml = build_draft(to=DUBAN, subject=subject if subject is not None else f"{unit}{PERIOD.label}进展填报",
                      body="请查收本单位进展填报表。", sender=sender,
                      attachments=[(filename or f"{PERIOD.label}_{unit}_进展填报表.xlsx", data), *extra])
    eml = re.sub(rb"(?m)^Date: .*$", f"Date: {email.utils.format_datetime(when)}".encode(), eml, count=1)
    eml = eml.replace(b"X-Unsent: 1\n", b"")
    return eml.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def plain_mail(subject: str, *, sender: str = "news@example.com", when: dt.datetime | None = None,
               attachment: tuple[str, bytes] | None = None) -> bytes:
    eml = build_draft(to=DUBAN, subject=subject, body="会议通知。", sender=sender,
                      attachments=[attachment] if attachment else [])
    if when is not None:
        eml = re.sub(rb"(?m)^Date: .*$", f"Date: {email.utils.format_datetime(when)}".encode(), eml, count=1)
    return eml.replace(b"X-Unsent: 1\n", b"").replace(b"\n", b"\r\n")


def inbox_files(ws) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(ws.inbox.iterdir()) if p.is_file()}


def fetched_rows(ws) -> list:
    with Ledger(ws.ledger_path) as ledger:
        return [dict(r) for r in ledger.conn.execute("SELECT * FROM mail_fetched ORDER BY id")]


def july(day: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    return dt.datetime(2022, 7, day, hour, minute, tzinfo=CST)


@pytest.fixture
def password(monkeypatch, mail_servers):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    return mail_servers.users[DUBAN]


# ---------------------------------------------------------------------------
# parsing (no server)


def test_bodystructure_names_in_every_encoding():
    # RFC 2231 with continuations, RFC 2047 in name=, raw GBK, a forwarded mail with a return
    gbk = "石龙镇报表.xls".encode("gbk")
    data = [(b'7 (UID 42 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 10 1 NIL NIL NIL NIL)'
             b'("application" "octet-stream" NIL NIL NIL "base64" 4000 NIL ("attachment" ("filename*0*" '
             b'"utf-8\'\'%E4%B8%9C%E5%9F%8E" "filename*1*" "%E8%A1%97%E9%81%93.xlsx")) NIL NIL)'
             b'("application" "vnd.ms-excel" ("name" "=?gbk?b?yq/B+tXyLnhscw==?=") NIL NIL "base64" 800 NIL NIL NIL NIL)'
             b'("application" "vnd.ms-excel" ("name" {' + str(len(gbk)).encode() + b'}', gbk),
            b') NIL NIL "base64" 900 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 5000 ("date" "subj" NIL NIL '
            b'NIL NIL NIL NIL NIL "<x@y>") ("application" "zip" ("name" "a.zip") NIL NIL "base64" 3000 NIL NIL NIL NIL)'
            b' 70 NIL NIL NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL) RFC822.SIZE 12345)']
    [item] = parse_fetch(data)
    assert item["UID"] == "42" and item["RFC822.SIZE"] == "12345"
    parts = body_parts(item["BODYSTRUCTURE"])
    assert [(p.mime, p.name) for p in parts] == [
        ("text/plain", ""), ("application/octet-stream", "东城街道.xlsx"), ("application/vnd.ms-excel", "石龙镇.xls"),
        ("application/vnd.ms-excel", "石龙镇报表.xls"), ("message/rfc822", ""), ("application/zip", "a.zip")]
    assert parts[1].decoded_size == 4000 * 57 // 78  # base64 lines: 76 characters + CRLF per 57 bytes


def test_folder_names_and_uid_sets():
    assert imap_utf7_encode("已处理") == "&XfJZBHQG-" and imap_utf7_decode("&XfJZBHQG-") == "已处理"
    assert imap_utf7_encode("A&B 报送/2022") == "A&-B &YqWQAQ-/2022"
    assert imap_utf7_decode(imap_utf7_encode("A&B 报送/2022")) == "A&B 报送/2022"
    assert uid_set([5, 1, 2, 3, 9, 10]) == "1:3,5,9:10"


# ---------------------------------------------------------------------------
# fetching


def test_fetch_stores_each_return_mail_byte_for_byte_and_a_second_fetch_fetches_nothing(
        issued_ws, make_return, mail_servers, password, run):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    mails = {
        "石龙镇": return_mail("石龙镇", make_return("石龙镇", **{"1_2": DONE}), sender="石龙镇 <sl@dg.gov.cn>",
                           when=july(4)),
        "东城街道": return_mail("东城街道", make_return("东城街道"), sender="dc@dg.gov.cn", when=july(5, 16, 5)),
    }
    uids = {"石龙镇": s.deliver(DUBAN, mails["石龙镇"], internaldate=july(4, 10, 0)),
            "东城街道": s.deliver(DUBAN, mails["东城街道"], internaldate=july(3, 10, 0))}
    s.deliver(DUBAN, plain_mail("关于召开周例会的通知"), internaldate=july(4, 8))
    s.deliver(DUBAN, plain_mail("六月会议纪要", attachment=("纪要.pdf", b"%PDF-1.4 x")), internaldate=july(4, 8))
    s.deliver(DUBAN, plain_mail("五月的旧报表", attachment=("报表.xlsx", b"PK")), internaldate=dt.datetime(2022, 5, 30, tzinfo=CST))

    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 0, result.output
    files = inbox_files(ws)
    assert result.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年6月1日 以后收到的邮件。",
        "存入收件箱 2 封：",
        "  2022-07-04 10:00  石龙镇 <sl@dg.gov.cn>  石龙镇2022年6月进展填报",
        "  2022-07-03 10:00  dc@dg.gov.cn  东城街道2022年6月进展填报",
        "与报送无关的邮件 2 封，未收取（留在邮箱中，未作改动）。",
        "下一步：运行 duban collect 校验并登记。",
    ]
    # byte for byte what the server holds, named by time, subject and hash
    server = {m["uid"]: m for m in s.mailbox(DUBAN)}
    assert sorted(files.values()) == sorted(server[uids[u]]["raw"] for u in mails)
    sha = hashlib.sha256(server[uids["石龙镇"]]["raw"]).hexdigest()
    assert f"20220704-100000_石龙镇2022年6月进展填报_{sha[:8]}.eml" in files
    # nothing in the mailbox changed (after_fetch = keep): no \Seen, nothing moved
    assert all("\\Seen" not in m["flags"] for m in server.values()) and len(server) == 5
    # the ledger has the INTERNALDATE with its offset, for collect to find by sha256
    with Ledger(ws.ledger_path) as ledger:
        row = MailRecords(ledger.conn).fetched_by_sha(sha)
    # the same instant, in the offset the server gave (Dovecot: its own zone)
    assert row.internaldate == july(4, 10, 0) and row.internaldate.utcoffset() is not None
    assert row.uid == uids["石龙镇"] and row.message_id.startswith("<") and row.folder == "INBOX"
    assert row.inbox_name in files and row.size == len(server[uids["石龙镇"]]["raw"])
    assert [r["state"] for r in fetched_rows(ws)].count("skipped") == 2

    again = run(["-w", str(ws.root), "mail", "fetch"])
    assert again.exit_code == 0
    assert again.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年6月1日 以后收到的邮件。",
        "以前已收取过的 2 封，不再重复收取。",
        "没有新的报送邮件。",
    ]
    assert inbox_files(ws) == files
    # --since looks again at what was skipped, and still takes only returns
    since = run(["-w", str(ws.root), "mail", "fetch", "--since", "2022-05-01"])
    assert since.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年5月1日 以后收到的邮件。",
        "存入收件箱 1 封：",
        "  2022-05-30 00:00  news@example.com  五月的旧报表",
        "以前已收取过的 2 封，不再重复收取。",
        "与报送无关的邮件 2 封，未收取（留在邮箱中，未作改动）。",
        "下一步：运行 duban collect 校验并登记。",
    ]
    assert len(inbox_files(ws)) == 3


def _collect_and_merge(ws):
    collect(ws)
    cons = merge(ws).consolidation
    with Ledger(ws.ledger_path) as ledger:
        accepted = ledger.accepted(PERIOD)
        rows = {u: [(r.task, r.status, r.progress, r.work, r.problems) for r in ledger.rows_of(rec.id)]
                for u, rec in accepted.items()}
        outcomes = sorted((r.unit or "", r.outcome) for r in ledger.receipts(PERIOD) if r.kind == "xlsx")
    return {"accepted": sorted(accepted), "rows": rows, "outcomes": outcomes,
            "units": [(u.unit, u.state, u.errors) for u in cons.units],
            "tasks": [(t.task.id, t.status, t.avg_progress) for t in cons.tasks]}


def _month_of_mail(s, make_return, units: list[str]) -> None:
    """Each unit's return mailed on a July morning; one unit sends an error, one a zip."""
    for n, unit in enumerate(units):
        when = july(1 + n % 6, 8 + n % 9, n % 60)
        if n == 1:  # 滞后 without 存在问题 (E603): sent back
            data = make_return(unit, filling=Filling(default=Answer(status="滞后", progress=10, work="推进中。")))
        else:
            data = make_return(unit)
        raw = return_mail(unit, data, sender=f"u{n}@dg.gov.cn", when=when)
        if n == 2:
            raw = return_mail(unit, zip_bytes({f"{unit}.xlsx": data}), sender=f"u{n}@dg.gov.cn", when=when,
                              filename=f"{unit}报表.zip")
        s.deliver(DUBAN, raw, internaldate=when)


def _compare_fetched_with_hand_saved(tmp_path, issued_ws, make_return, s, units):
    hand_root = tmp_path / "hand"
    shutil.copytree(issued_ws.root, hand_root)
    ws = mail_ws(issued_ws, s)
    _month_of_mail(s, make_return, units)
    s.deliver(DUBAN, plain_mail("不相关"), internaldate=july(2))
    result = mail_action.fetch(ws)
    assert len(result.stored) == len(units) and result.problems == []
    # the coordinator's way: every message saved from the mail client into 收件箱
    hand = find_workspace(hand_root, explicit=True)
    for m in s.mailbox(DUBAN):
        if b"Subject: =?utf-8?b?5LiN55u45YWz?=" not in m["raw"]:
            (hand.inbox / f"邮件{m['uid']}.eml").write_bytes(m["raw"])
    fetched, saved = _collect_and_merge(ws), _collect_and_merge(hand)
    assert fetched == saved
    assert len(fetched["accepted"]) == len(units) - 1 and units[1] not in fetched["accepted"]
    assert (units[1], "退回") in fetched["outcomes"]
    assert mail_action.fetch(ws).stored == []


def test_fetched_returns_collect_and_merge_like_mails_saved_by_hand(tmp_path, issued_ws, make_return,
                                                                     mail_servers, password):
    units = ["石龙镇", "东城街道", "市公安局", "市民政局", "虎门镇", "长安镇"]
    _compare_fetched_with_hand_saved(tmp_path, issued_ws, make_return, mail_servers, units)


@pytest.mark.slow
def test_a_whole_month_fetched_collects_and_merges_like_mails_saved_by_hand(tmp_path, issued_ws, make_return,
                                                                             mail_servers, password):
    units = issued_ws.load_master().units_with_tasks()
    assert len(units) == 54
    _compare_fetched_with_hand_saved(tmp_path, issued_ws, make_return, mail_servers, units)


_KILLER = textwrap.dedent("""
    import os, signal, sys
    from toolkit.ledger import mail_records
    from toolkit.cli import main

    real = mail_records.MailRecords.record_fetch
    calls = {"n": 0}

    def record_fetch(self, **kw):
        if kw["state"] == "fetched":
            calls["n"] += 1
            if calls["n"] == int(os.environ["KILL_AT"]):
                os.kill(os.getpid(), signal.SIGKILL)  # the .eml is in 收件箱, its row not committed
        return real(self, **kw)

    mail_records.MailRecords.record_fetch = record_fetch
    sys.argv = ["duban", *sys.argv[1:]]
    main()
""")


def _run_killed(ws, args: list[str], kill_at: int, password: str):
    env = dict(os.environ, KILL_AT=str(kill_at), DUBAN_MAIL_PASSWORD=password,
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-c", _KILLER, "-w", str(ws.root), *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_fetch_killed_midway_then_rerun_fetches_each_message_exactly_once(issued_ws, make_return,
                                                                          mail_servers, password):
    s = mail_servers
    ws = mail_ws(issued_ws, s, after_fetch="seen")
    units = ["石龙镇", "东城街道", "市公安局", "市民政局", "虎门镇"]
    for n, unit in enumerate(units):
        s.deliver(DUBAN, return_mail(unit, make_return(unit), sender=f"u{n}@dg.gov.cn", when=july(4, 9, n)),
                  internaldate=july(4, 9, n))
    killed = _run_killed(ws, ["mail", "fetch"], kill_at=3, password=password)
    assert killed.returncode == -signal.SIGKILL
    assert len(inbox_files(ws)) == 3 and len([r for r in fetched_rows(ws) if r["state"] == "fetched"]) == 2
    assert all("\\Seen" not in m["flags"] for m in s.mailbox(DUBAN))  # after_fetch had not run

    result = mail_action.fetch(ws)
    assert [x.subject for x in result.stored] == [f"{u}{PERIOD.label}进展填报" for u in units[2:]]
    files = inbox_files(ws)
    server = sorted(m["raw"] for m in s.mailbox(DUBAN))
    assert sorted(files.values()) == server  # each message once, byte for byte
    rows = fetched_rows(ws)
    assert len(rows) == 5 and {r["state"] for r in rows} == {"fetched"}
    assert sorted(r["inbox_name"] for r in rows) == sorted(files)
    assert all("\\Seen" in m["flags"] for m in s.mailbox(DUBAN))  # the killed run's two as well
    assert not list(ws.inbox.glob(".*"))
    assert mail_action.fetch(ws).stored == []


def test_a_file_collected_between_a_killed_fetch_and_the_rerun_is_not_fetched_again(
        issued_ws, make_return, mail_servers, password, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    for n, unit in enumerate(["石龙镇", "东城街道"]):
        s.deliver(DUBAN, return_mail(unit, make_return(unit), sender=f"u{n}@dg.gov.cn", when=july(4, 9, n)),
                  internaldate=july(4, 9, n))
    real = MailRecords.record_fetch

    def crash_on_second(self, **kw):
        if kw["state"] == "fetched" and kw["uid"] == 2:
            raise KeyboardInterrupt  # stopped after the rename, before the commit
        return real(self, **kw)

    monkeypatch.setattr(MailRecords, "record_fetch", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        mail_action.fetch(ws)
    monkeypatch.setattr(MailRecords, "record_fetch", real)
    assert len(inbox_files(ws)) == 2
    first = collect(ws)  # the coordinator collects before fetching again
    assert first.accepted == 2 and inbox_files(ws) == {}
    again = mail_action.fetch(ws)
    assert [x.subject for x in again.stored] == [f"东城街道{PERIOD.label}进展填报"]
    assert inbox_files(ws) == {}  # already archived and recorded: not written again
    assert collect(ws).duplicates == 0
    assert mail_action.fetch(ws).stored == []


def _quiet_log(s, quiet: float = 0.5) -> int:
    """Wait until Dovecot has logged the sessions so far (its log stops growing); its size."""
    size, since = -1, time.monotonic()
    while time.monotonic() - since < quiet:
        now = len(s.dovecot_log.read_bytes())
        if now != size:
            size, since = now, time.monotonic()
        time.sleep(0.05)
    return size


def _logged_out_bytes(s, offset: int, sessions: int, timeout: float = 5.0) -> list[int]:
    """Bytes Dovecot sent in each IMAP session that logged out since ``offset`` of its log
    (its log process writes a moment after the logout)."""
    deadline = time.monotonic() + timeout
    while True:
        text = s.dovecot_log.read_bytes()[offset:].decode("utf-8", "replace")
        outs = [int(x) for x in re.findall(r"Logged out in=\d+ out=(\d+)", text)]
        if len(outs) >= sessions or time.monotonic() > deadline:
            return outs
        time.sleep(0.05)


def test_oversized_message_is_refused_before_download(issued_ws, make_return, mail_servers, password, run):
    s = mail_servers
    ws = mail_ws(issued_ws, s, after_fetch="seen", limits={"max_file_mb": 1})
    big = os.urandom(1_400_000)
    raw = return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>", when=july(4),
                      extra=[("现场照片.zip", big)])
    s.deliver(DUBAN, raw, internaldate=july(4))
    small = return_mail("虎门镇", make_return("虎门镇"), sender="hm@dg.gov.cn", when=july(4, 11))
    s.deliver(DUBAN, small, internaldate=july(4, 11, 0))
    log_offset = _quiet_log(s)

    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 1
    size_mb = f"{len(raw) / 1048576:.1f}"
    assert result.output.splitlines() == [
        f"收取邮箱 {DUBAN} 的文件夹“INBOX”中 2022年6月1日 以后收到的邮件。",
        "存入收件箱 1 封：",
        "  2022-07-04 11:00  hm@dg.gov.cn  虎门镇2022年6月进展填报",
        "已在邮箱中把 1 封标为已读。",
        f"邮件过大，未下载：石龙镇 <sl@dg.gov.cn>“石龙镇2022年6月进展填报”（2022-07-04 09:30 收到）{size_mb} MB，"
        "超过上限 1 MB，最大的附件“现场照片.zip”约 1.3 MB。请对方去掉多余的附件、只发填报表后重新发送。",
        "下一步：运行 duban collect 校验并登记。",
    ]
    # the server never sent the big body: Dovecot logs each session's bytes out at logout
    outs = _logged_out_bytes(s, log_offset, sessions=1)  # fetch's one IMAP session
    assert outs and max(outs) < len(big) // 2, outs
    [big_on_server, small_on_server] = s.mailbox(DUBAN)
    assert "\\Seen" not in big_on_server["flags"] and "\\Seen" in small_on_server["flags"]
    assert list(inbox_files(ws).values()) == [small_on_server["raw"]]
    # named once; later runs mention it without failing again
    again = run(["-w", str(ws.root), "mail", "fetch"])
    assert again.exit_code == 0
    assert again.output.splitlines()[1:] == ["以前已收取过的 1 封，不再重复收取。", "另有 1 封过大的邮件此前已报告，仍未下载。",
                                            "没有新的报送邮件。"]


def test_move_to_a_chinese_folder_created_on_the_way(issued_ws, make_return, mail_servers, password):
    s = mail_servers
    ws = mail_ws(issued_ws, s, after_fetch="move:已处理/2022年6月")
    s.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="sl@dg.gov.cn", when=july(4)),
              internaldate=july(4))
    s.deliver(DUBAN, plain_mail("会议通知"), internaldate=july(4))
    result = mail_action.fetch(ws)
    assert result.after == "已把 1 封移到邮箱的文件夹“已处理/2022年6月”。"
    assert "已处理/2022年6月" in s.folders(DUBAN)
    [moved] = s.mailbox(DUBAN, "已处理/2022年6月")
    assert moved["raw"] == next(iter(inbox_files(ws).values()))
    [left] = s.mailbox(DUBAN)
    assert b"Subject: =?utf-8?b?" in left["raw"] and "\\Seen" not in left["flags"]
    assert mail_action.fetch(ws).stored == []


def test_move_without_the_move_extension_copies_deletes_and_expunges(issued_ws, make_return, mail_servers,
                                                                     password, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s, after_fetch="move:已处理")
    s.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="sl@dg.gov.cn", when=july(4)),
              internaldate=july(4))
    real_open = Imap.open

    def open_without_move(*args, **kw):
        imap = real_open(*args, **kw)
        imap.caps.discard("MOVE")
        return imap

    monkeypatch.setattr(Imap, "open", open_without_move)
    mail_action.fetch(ws)
    assert s.mailbox(DUBAN) == [] and len(s.mailbox(DUBAN, "已处理")) == 1


def test_quota_exceeded_while_moving_is_one_line_and_the_move_is_retried(issued_ws, make_return, mail_servers,
                                                                          password, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s, after_fetch="move:已处理")
    raw = return_mail("石龙镇", make_return("石龙镇"), sender="sl@dg.gov.cn", when=july(4))
    s.deliver(DUBAN, raw, internaldate=july(4))
    s.set_quota(DUBAN, len(raw) + 100)  # the copy a move without MOVE makes does not fit
    real_open = Imap.open

    def open_without_move(*args, **kw):
        imap = real_open(*args, **kw)
        imap.caps.discard("MOVE")
        return imap

    monkeypatch.setattr(Imap, "open", open_without_move)
    result = mail_action.fetch(ws)
    assert len(result.stored) == 1
    assert result.problems == [
        f"把邮件移到文件夹“已处理”失败：邮箱已满（收信服务器 127.0.0.1:{s.imaps_port}）。"
        "请在网页邮箱中删除不需要的邮件并清空“已删除”后重新运行（邮件已存入收件箱，下次收取邮箱时再处理）。"]
    assert len(s.mailbox(DUBAN)) == 1
    s.set_quota(DUBAN, None)
    again = mail_action.fetch(ws)
    assert again.stored == [] and again.problems == [] and again.after == "已把 1 封移到邮箱的文件夹“已处理”。"
    assert s.mailbox(DUBAN) == [] and len(s.mailbox(DUBAN, "已处理")) == 1


def test_a_renamed_folder_is_not_fetched_again(issued_ws, make_return, mail_servers, password):
    s = mail_servers
    ws = mail_ws(issued_ws, s, folder="报送")
    for n, unit in enumerate(["石龙镇", "东城街道"]):
        s.deliver(DUBAN, return_mail(unit, make_return(unit), sender=f"u{n}@dg.gov.cn", when=july(4, 9, n)),
                  internaldate=july(4, 9, n), folder="报送")
    assert len(mail_action.fetch(ws).stored) == 2
    with s.imap(DUBAN) as m:
        assert m.rename(f'"{imap_utf7_encode("报送")}"', f'"{imap_utf7_encode("2022年报送")}"')[0] == "OK"
    ws = mail_ws(issued_ws, s, folder="2022年报送")
    result = mail_action.fetch(ws)
    assert result.stored == [] and result.duplicates == 2
    assert len(inbox_files(ws)) == 2


def test_starttls_and_a_subject_naming_the_project(issued_ws, mail_servers, password):
    s = mail_servers
    ws = mail_ws(issued_ws, s, port="starttls")
    assert ws.project
    s.deliver(DUBAN, plain_mail(f"报送{ws.project}材料", attachment=("进展说明.pdf", b"%PDF-1.4")),
              internaldate=july(4))
    s.deliver(DUBAN, plain_mail("6月进展说明", attachment=("说明.pdf", b"%PDF-1.4")), internaldate=july(4))
    s.deliver(DUBAN, plain_mail("无名附件", attachment=("附件", b"\x00\x01")), internaldate=july(4))
    result = mail_action.fetch(ws)
    assert sorted(x.subject for x in result.stored) == sorted([f"报送{ws.project}材料", "无名附件"])
    assert result.skipped == 1


# ---------------------------------------------------------------------------
# faults: one Chinese line each


def test_wrong_password_is_one_line(issued_ws, mail_servers, run, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "wrong")
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (
        f"错误：收信服务器 127.0.0.1:{s.imaps_port} 拒绝登录（账号 {DUBAN}）：密码或授权码不对（密码取自环境变量 "
        "DUBAN_MAIL_PASSWORD）。政务邮箱一般要在网页邮箱的“设置—客户端设置”中开启 IMAP/SMTP 并生成客户端专用密码（授权码），"
        "再运行 duban mail login 保存。\n")
    assert "wrong" not in ws.log_path.read_text(encoding="utf-8")


def test_untrusted_certificate_is_one_line(issued_ws, mail_servers, password, run, tmp_path):
    s = mail_servers
    ws = mail_ws(issued_ws, s, ca_file=None)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (
        f"错误：收信服务器 127.0.0.1:{s.imaps_port} 的证书不受信任，连接已中止。如单位邮箱使用自己的根证书，"
        "请向邮箱管理员索取根证书文件（.pem 或 .crt），放进工作区，并在 duban.toml 的 [mail] 中加一行 "
        "ca_file = \"根证书.pem\"。\n")
    other = untrusted_ca_file(tmp_path)
    ws = mail_ws(issued_ws, s, ca_file=str(other))
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.output == (f"错误：收信服务器 127.0.0.1:{s.imaps_port} 的证书不受信任，连接已中止：ca_file“{other}”"
                             "不能验证它。请向邮箱管理员索取正确的根证书文件。\n")
    # the office CA, given relative to the workspace, works
    (ws.root / "单位根证书.pem").write_bytes(s.ca_file.read_bytes())
    ws = mail_ws(issued_ws, s, ca_file="单位根证书.pem")
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0


def test_unreachable_server_is_one_line(issued_ws, mail_servers, password, run):
    s = mail_servers
    port = mailservers.free_port()
    ws = mail_ws(issued_ws, s, imap_port=port)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (f"错误：无法连接收信服务器 127.0.0.1:{port}（连接被拒绝）。请检查 duban.toml [mail] 中的 "
                             "imap_host 和 imap_port，以及这台电脑能否访问该服务器（内网、VPN 或防火墙）。\n")
    ws = mail_ws(issued_ws, s, imap_host="imap.nonexistent.invalid")
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.output == ("错误：无法连接收信服务器 imap.nonexistent.invalid:" f"{s.imaps_port}（找不到这个服务器地址）。"
                             "请检查 duban.toml [mail] 中的 imap_host 和 imap_port，以及这台电脑能否访问该服务器（内网、VPN 或防火墙）。\n")


def test_wrong_security_for_the_port_is_one_line(issued_ws, mail_servers, password, run):
    s = mail_servers
    ws = mail_ws(issued_ws, s, imap_port=s.imap_port)  # ssl against the plain port
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (f"错误：无法与收信服务器 127.0.0.1:{s.imap_port} 建立加密连接。请核对 duban.toml [mail] 的 "
                             "security 与端口是否配套（ssl 用 993 收信、465 发信；starttls 用 143 收信、587 发信）。\n")
    ws = mail_ws(issued_ws, s, imap_port=s.smtps_port)  # the SMTP server's port
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.output == (f"错误：收信服务器 127.0.0.1:{s.smtps_port} 的应答不是收信服务器（IMAP）的应答。"
                             "请核对 duban.toml [mail] 中的 imap_host 和 imap_port。\n")


def test_missing_folder_is_one_line(issued_ws, mail_servers, password, run):
    s = mail_servers
    s.create_folder(DUBAN, "报送")
    ws = mail_ws(issued_ws, s, folder="报表")
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (f"错误：邮箱 {DUBAN} 中没有文件夹“报表”（收信服务器 127.0.0.1:{s.imaps_port}）。请核对 "
                             "duban.toml [mail] 的 folder（收件箱写 INBOX）；现有文件夹：INBOX、报送。\n")


def test_mail_not_set_up_names_the_keys(issued_ws, run):
    result = run(["-w", str(issued_ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == ("错误：duban.toml 的 [mail] 中没有设置 imap_host、user，无法收取邮件。请用记事本打开 duban.toml，"
                             "在 [mail] 中加上收信服务器和邮箱账号（smtp_host = \"smtp.xxx.gov.cn\"、imap_host = "
                             "\"imap.xxx.gov.cn\"、user = \"dbb@xxx.gov.cn\"）。\n")


def test_no_password_yet(issued_ws, mail_servers, run, monkeypatch):
    monkeypatch.delenv("DUBAN_MAIL_PASSWORD", raising=False)
    monkeypatch.setattr(keyring, "get_password", lambda *a: None)
    ws = mail_ws(issued_ws, mail_servers)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (f"错误：还没有保存邮箱 {DUBAN} 的密码。请先运行 duban mail login（只需一次），"
                             "或设置环境变量 DUBAN_MAIL_PASSWORD。\n")


def test_dropped_connection_while_downloading_keeps_what_was_stored(issued_ws, make_return, mail_servers,
                                                                    password, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    for n, unit in enumerate(["石龙镇", "东城街道"]):
        s.deliver(DUBAN, return_mail(unit, make_return(unit), sender=f"u{n}@dg.gov.cn", when=july(4, 9, n)),
                  internaldate=july(4, 9, n))
    real_body = Imap.body

    def drop_on_second(self, uid):
        if uid == 2:
            self.m.shutdown()
        return real_body(self, uid)

    monkeypatch.setattr(Imap, "body", drop_on_second)
    result = mail_action.fetch(ws)
    assert len(result.stored) == 1
    assert result.problems == [f"下载邮件时与收信服务器 127.0.0.1:{s.imaps_port} 的连接中断。请稍后重新运行"
                               "（已完成的部分不会重复）。已存入收件箱的 1 封不受影响。"]
    monkeypatch.setattr(Imap, "body", real_body)
    assert len(mail_action.fetch(ws).stored) == 1 and len(inbox_files(ws)) == 2


def test_library_raises_mailbox_errors_not_library_text(issued_ws, mail_servers, monkeypatch):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "nope")
    ws = mail_ws(issued_ws, mail_servers)
    with pytest.raises(MailboxError) as e:
        mail_action.fetch(ws)
    assert "AUTHENTICATIONFAILED" not in e.value.message and e.value.exit_code == 2


# ---------------------------------------------------------------------------
# duban mail login


@pytest.fixture
def memory_keyring(monkeypatch):
    class Backend(KeyringBackend):
        priority = -1  # never chosen by keyring's own discovery

        def __init__(self):
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    backend = Backend()
    keyring.set_keyring(backend)
    monkeypatch.delenv("DUBAN_MAIL_PASSWORD", raising=False)
    yield backend
    keyring.set_keyring(previous)


def test_login_checks_the_password_then_keeps_it_in_the_keyring(issued_ws, mail_servers, memory_keyring, run):
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    bad = run(["-w", str(ws.root), "mail", "login"], input="wrong\n")
    assert bad.exit_code == 2 and "拒绝登录" in bad.output and memory_keyring.store == {}
    ok = run(["-w", str(ws.root), "mail", "login"], input=s.users[DUBAN] + "\n")
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-2:] == [f"已登录收信服务器 127.0.0.1:{s.imaps_port}（账号 {DUBAN}），密码正确。",
                                           "密码已保存到系统凭据管理器，以后收发邮件不再询问。"]
    assert memory_keyring.store == {("duban", DUBAN): s.users[DUBAN]}
    assert s.users[DUBAN] not in ok.output and s.users[DUBAN] not in ws.log_path.read_text(encoding="utf-8")
    assert s.users[DUBAN] not in ws.config_path.read_text(encoding="utf-8")
    # later commands take it from the keyring
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0


def test_login_without_a_keyring_suggests_the_environment_variable(issued_ws, mail_servers, run, monkeypatch):
    s = mail_servers
    ws = mail_ws(issued_ws, s, imap_host="")  # SMTP only: checked against the SMTP server
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        result = run(["-w", str(ws.root), "mail", "login"], input=s.users[DUBAN] + "\n")
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == ("错误：无法把密码保存到系统凭据管理器（这台电脑上没有可用的凭据管理器）。"
                                              "可改为设置环境变量 DUBAN_MAIL_PASSWORD。")
    assert (DUBAN, "PLAIN", True) in s.smtp_auth_log or (DUBAN, "LOGIN", True) in s.smtp_auth_log


# ---------------------------------------------------------------------------
# accounts, passwords, time zones


def test_passwords_with_quotes_backslashes_and_chinese(issued_ws, make_return, mail_servers, monkeypatch, tmp_path):
    s = mail_servers
    bob = "bob@example.net"  # DEFAULT_USERS: 'b:o"b \\ pass 3'
    s.deliver(bob, return_mail("石龙镇", make_return("石龙镇"), sender="sl@dg.gov.cn", when=july(4)), internaldate=july(4))
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", s.users[bob])
    ws = mail_ws(issued_ws, s, user=bob)
    assert len(mail_action.fetch(ws).stored) == 1
    with mailservers.start_mail_servers(tmp_path / "cn", {DUBAN: "督办-密码 1"}) as cn:
        monkeypatch.setenv("DUBAN_MAIL_PASSWORD", "督办-密码 1")
        ws = mail_ws(issued_ws, cn)
        assert mail_action.fetch(ws).problems == []  # AUTHENTICATE PLAIN carries UTF-8


def test_plain_connection_only_when_allowed_and_the_server_may_still_refuse(issued_ws, mail_servers, password, run):
    s = mail_servers
    if not s.imap_plaintext_refused:
        pytest.skip("127.0.0.2 is not local here: Dovecot would take the client for a local one")
    with pytest.raises(BadConfig):  # duban.toml itself is refused without allow_plain
        mail_ws(issued_ws, s, security="plain", imap_port=s.imap_port)
    refused = run(["-w", str(issued_ws.root), "mail", "fetch"])
    assert refused.exit_code == 2 and "确需明文时再加一行 allow_plain = true" in refused.output
    ws = mail_ws(issued_ws, s, security="plain", allow_plain=True, imap_port=s.imap_port)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 2
    assert result.output == (f"错误：收信服务器 127.0.0.1:{s.imap_port} 不允许不加密登录。请把 duban.toml [mail] 的 "
                             "security 改为 ssl 或 starttls。\n")


def test_times_are_the_workspace_zone_whatever_the_machine_zone(issued_ws, make_return, mail_servers, password,
                                                               monkeypatch):
    s = mail_servers
    s.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="sl@dg.gov.cn", when=july(1, 0, 30)),
              internaldate=july(1, 0, 30))  # 2022-06-30 16:30 UTC
    outputs = []
    for tz in ("UTC", "America/New_York", "Asia/Shanghai"):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        ws = mail_ws(issued_ws, s, folder="INBOX")
        for p in ws.inbox.iterdir():
            p.unlink()
        with Ledger(ws.ledger_path) as ledger:
            ledger.conn.execute("DELETE FROM mail_fetched")
        result = mail_action.fetch(ws, since=dt.date(2022, 7, 1))
        outputs.append((result.lines(), sorted(inbox_files(ws))))
    monkeypatch.delenv("TZ")
    time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0][2] == "  2022-07-01 00:30  sl@dg.gov.cn  石龙镇2022年6月进展填报"


def test_a_ledger_from_before_the_mailbox_is_upgraded_and_kept(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    with sqlite3.connect(path) as conn:  # a ledger written by the release before migration 3
        for number, _purpose, sql in MIGRATIONS[:2]:
            conn.executescript(sql)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("INSERT INTO runs(command, started_at) VALUES ('collect', '2022-07-05 10:00:00')")
    conn.close()
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST
        assert ledger.conn.execute("SELECT command FROM runs").fetchall()[0][0] == "collect"
        records = MailRecords(ledger.conn)
        assert records.fetched_by_sha("0" * 64) is None and records.sent("<x@y>") is None
    assert (tmp_path / "ledger.sqlite3.v2.bak").exists()


def test_collect_takes_the_servers_internaldate_for_a_fetched_mail(
        issued_ws, make_return, mail_servers, password, run):
    """A department's clock says 5 July (late); the office mailbox received it on 4 July."""
    s = mail_servers
    ws = mail_ws(issued_ws, s)
    mail = return_mail("石龙镇", make_return("石龙镇", **{"1_2": DONE}), sender="sl@dg.gov.cn", when=july(5, 16, 5))
    s.deliver(DUBAN, mail, internaldate=july(4, 10, 0))
    assert run(["-w", str(ws.root), "mail", "fetch"]).exit_code == 0
    run(["-w", str(ws.root), "collect"])
    with Ledger(ws.ledger_path) as ledger:
        top = next(r for r in ledger.receipts() if r.parent_id is None)
        attachment = next(r for r in ledger.receipts() if r.parent_id == top.id)
    assert (top.received_at, top.received_how) == ("2022-07-04 10:00:00", "邮箱收到时间")
    assert (attachment.received_at, attachment.received_how) == ("2022-07-04 10:00:00", "邮箱收到时间")
    status = run(["-w", str(ws.root), "status", "--format", "json"])
    row = next(u for u in json.loads(status.stdout)["units"] if u["单位"] == "石龙镇")
    assert row["报送状态"] == "按时报送"
