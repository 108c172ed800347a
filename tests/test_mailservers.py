"""The mail-server harness itself (tests/mailservers.py): real Dovecot + aiosmtpd on 127.0.0.1,
driven with the same stdlib clients `duban mail fetch/send` will use (imaplib, smtplib)."""

from __future__ import annotations

import email
import email.policy
import imaplib
import re
import smtplib
import ssl
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import mailservers
import pytest
from mailservers import DeliveryError, MailServers, imap_utf7_encode, untrusted_ca_file

# The fixture. `from mailservers import mail_servers` works as well, but ruff then reports each
# test's `mail_servers` parameter as a redefinition (F811) of the import.
mail_servers = mailservers.mail_servers

DUBAN = "duban@example.org"
ALICE = "alice@example.org"
BOB = "bob@example.net"
CST = timezone(timedelta(hours=8))


def _message(subject: str, to: str = ALICE, sender: str = DUBAN, attachment: bytes | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Mon, 01 Jul 2024 09:30:00 +0800"
    msg["Message-ID"] = f"<{abs(hash(subject))}@duban.test>"
    msg.set_content("请按时填报。\n")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="vnd.ms-excel", filename="进展表.xls")
    return msg


def _imaps(s: MailServers, user: str | None = None, context: ssl.SSLContext | None = None) -> imaplib.IMAP4_SSL:
    m = imaplib.IMAP4_SSL(s.imap_host, s.imaps_port, ssl_context=context or s.ssl_context(), timeout=10)
    if user:
        m.login(user, s.users[user])
    return m


def _smtp(s: MailServers, user: str = DUBAN) -> smtplib.SMTP:
    c = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10)
    c.starttls(context=s.ssl_context())
    c.login(user, s.users[user])
    return c


def test_imaps_trusts_only_the_harness_ca(mail_servers, tmp_path):
    s = mail_servers
    m = _imaps(s, DUBAN)
    assert m.select("INBOX")[0] == "OK"
    m.logout()
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(s.imap_host, s.imaps_port, ssl_context=ssl.create_default_context(), timeout=10)
    other = ssl.create_default_context(cafile=str(untrusted_ca_file(tmp_path)))
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(s.imap_host, s.imaps_port, ssl_context=other, timeout=10)
    # the certificate is also valid for "localhost"
    m = imaplib.IMAP4_SSL("localhost", s.imaps_port, ssl_context=s.ssl_context(), timeout=10)
    m.logout()


def test_imap_starttls_on_the_plain_port(mail_servers):
    s = mail_servers
    m = imaplib.IMAP4(s.imap_host, s.imap_port, timeout=10)
    assert "STARTTLS" in m.capabilities
    if s.imap_plaintext_refused:  # Linux: no LOGIN before STARTTLS, as on a remote server
        assert "LOGINDISABLED" in m.capabilities
        with pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"):
            m.login(DUBAN, s.users[DUBAN])
    m.logout()

    m = imaplib.IMAP4(s.imap_host, s.imap_port, timeout=10)
    m.starttls(ssl_context=s.ssl_context())
    assert m.login(DUBAN, s.users[DUBAN])[0] == "OK"
    caps = m.capability()[1][0].split()
    assert b"MOVE" in caps and b"UIDPLUS" in caps
    m.logout()


def test_wrong_password_is_refused(mail_servers):
    s = mail_servers
    m = _imaps(s)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        m.login(DUBAN, "wrong")
    m.logout()
    # bob's password has ':', '"', '\\' and spaces
    _imaps(s, BOB).logout()

    c = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10)
    c.starttls(context=s.ssl_context())
    with pytest.raises(smtplib.SMTPAuthenticationError):
        c.login(DUBAN, "wrong")
    c.quit()
    # no AUTH (and no MAIL) before STARTTLS on the submission port
    c = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=10)
    c.ehlo()
    assert not c.has_extn("auth")
    with pytest.raises(smtplib.SMTPNotSupportedError):
        c.login(DUBAN, s.users[DUBAN])
    c.quit()
    assert (DUBAN, "LOGIN", False) in s.smtp_auth_log or (DUBAN, "PLAIN", False) in s.smtp_auth_log


def test_smtp_starttls_send_is_delivered_to_the_inbox(mail_servers):
    s = mail_servers
    before = datetime.now(timezone.utc).replace(microsecond=0)
    with _smtp(s) as c:
        assert c.send_message(_message("2024年6月进展填报")) == {}
    [(mail_from, rcpts, data)] = s.smtp_log
    assert (mail_from, rcpts) == (DUBAN, [ALICE])
    assert len(s.smtp_rate_log) == 1

    m = _imaps(s, ALICE)
    m.select("INBOX")
    typ, data = m.fetch("1", "(INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT DELIVERED-TO)])")
    assert typ == "OK"
    meta, header = data[0]
    assert b"Delivered-To: alice@example.org" in header
    assert b"=?utf-8?" in header.lower()  # the Chinese subject, RFC 2047-encoded
    stamp = imaplib.Internaldate2tuple(meta)
    assert stamp is not None
    m.logout()

    [got] = s.mailbox(ALICE)
    assert before <= got["internaldate"] <= datetime.now(timezone.utc) + timedelta(seconds=1)
    parsed = email.message_from_bytes(got["raw"], policy=email.policy.default)
    assert parsed["Subject"] == "2024年6月进展填报"
    assert parsed.get_body().get_content().strip() == "请按时填报。"
    assert "\\Seen" not in got["flags"]


def test_smtps_implicit_tls_send(mail_servers):
    s = mail_servers
    with smtplib.SMTP_SSL(s.smtp_host, s.smtps_port, context=s.ssl_context(), timeout=10) as c:
        c.login(BOB, s.users[BOB])
        c.send_message(_message("SMTPS", to=DUBAN, sender=BOB))
    assert [m["size"] > 0 for m in s.mailbox(DUBAN)] == [True]
    with pytest.raises(ssl.SSLCertVerificationError):
        smtplib.SMTP_SSL(s.smtp_host, s.smtps_port, context=ssl.create_default_context(), timeout=10)


def test_append_with_date_sets_internaldate(mail_servers):
    s = mail_servers
    when = datetime(2024, 6, 30, 23, 59, 58, tzinfo=CST)
    raw = _message("六月报表").as_bytes(policy=email.policy.SMTP)  # CRLF, as IMAP wants
    uid = s.deliver(DUBAN, raw, internaldate=when)
    [got] = s.mailbox(DUBAN)
    assert got["uid"] == uid
    assert got["internaldate"] == when
    assert got["raw"] == raw and got["size"] == len(raw)
    # the same through imaplib directly
    m = _imaps(s, DUBAN)
    m.select("INBOX", readonly=True)
    _typ, data = m.uid("FETCH", str(uid), "(INTERNALDATE)")
    # dovecot writes INTERNALDATE in its own (the machine's) zone: compare the moment, not the text
    found = re.search(rb'INTERNALDATE "([^"]+)"', data[0])
    assert found and mailservers._parse_internaldate(found.group(1).decode()) == when
    m.logout()


def test_unknown_recipient_is_refused_550_and_the_others_get_the_message(mail_servers):
    s = mail_servers
    with _smtp(s) as c:
        refused = c.send_message(_message("群发"), to_addrs=[ALICE, "nobody@example.org", BOB])
    assert list(refused) == ["nobody@example.org"]
    assert refused["nobody@example.org"][0] == 550
    assert s.smtp_log[0][1] == [ALICE, BOB]
    assert len(s.mailbox(ALICE)) == len(s.mailbox(BOB)) == 1
    # all recipients unknown: SMTPRecipientsRefused, nothing accepted
    with _smtp(s) as c, pytest.raises(smtplib.SMTPRecipientsRefused):
        c.send_message(_message("无人"), to_addrs=["x@example.org"])
    assert len(s.smtp_log) == 1


def test_bodystructure_shows_the_attachment_size(mail_servers):
    s = mail_servers
    payload = bytes(range(256)) * 12  # 3072 bytes
    raw = _message("带附件", attachment=payload).as_bytes(policy=email.policy.SMTP)
    s.deliver(DUBAN, raw)
    m = _imaps(s, DUBAN)
    m.select("INBOX", readonly=True)
    _typ, data = m.fetch("1", "(BODYSTRUCTURE RFC822.SIZE)")
    m.logout()
    text = data[0].decode() if isinstance(data[0], bytes) else data[0][0].decode()
    mm = re.search(r'\("application" "vnd\.ms-excel" (?:NIL|\([^)]*\)) NIL NIL "base64" (\d+)', text, re.IGNORECASE)
    assert mm, text
    # the size is the encoded (base64 + CRLF) size of the part's body
    part = raw.split(b"Content-Type: application/vnd.ms-excel")[1]
    body = part.split(b"\r\n\r\n", 1)[1].split(b"\r\n--")[0]
    assert int(mm.group(1)) == len(body)
    assert len(payload) <= int(mm.group(1)) * 3 / 4 < len(payload) * 1.05
    assert f"RFC822.SIZE {len(raw)}" in text


def test_uidvalidity_is_reported_by_select_and_status(mail_servers):
    s = mail_servers
    s.deliver(DUBAN, _message("a").as_bytes())
    m = _imaps(s, DUBAN)
    m.select("INBOX", readonly=True)
    [uidvalidity] = m.untagged_responses["UIDVALIDITY"]
    m.logout()
    assert int(uidvalidity) > 0
    assert s.status(DUBAN)["UIDVALIDITY"] == int(uidvalidity)
    assert s.status(DUBAN)["MESSAGES"] == 1


def test_store_seen_and_move_to_another_folder(mail_servers):
    s = mail_servers
    folder = "已处理"
    s.create_folder(DUBAN, folder)
    uid1 = s.deliver(DUBAN, _message("一").as_bytes())
    uid2 = s.deliver(DUBAN, _message("二").as_bytes())
    m = _imaps(s, DUBAN)
    m.select("INBOX")
    assert m.uid("STORE", str(uid1), "+FLAGS.SILENT", "(\\Seen)")[0] == "OK"
    typ, data = m.uid("MOVE", str(uid1), imap_utf7_encode(folder))
    assert typ == "OK", data
    m.logout()
    assert [x["uid"] for x in s.mailbox(DUBAN)] == [uid2]
    [moved] = s.mailbox(DUBAN, folder)
    assert "\\Seen" in moved["flags"] and b"Subject:" in moved["raw"]
    assert folder in s.folders(DUBAN)


def test_quota_exceeded_on_append_and_on_smtp_delivery(mail_servers):
    s = mail_servers
    s.set_quota(ALICE, 2000)
    s.deliver(ALICE, b"Subject: small\r\n\r\nok\r\n")
    big = b"Subject: big\r\n\r\n" + (b"x" * 70 + b"\r\n") * 42
    with pytest.raises(DeliveryError, match="OVERQUOTA"):
        s.deliver(ALICE, big)
    m = _imaps(s, ALICE)
    typ, data = m.append("INBOX", None, None, big)
    assert typ == "NO" and b"OVERQUOTA" in data[0]
    m.logout()
    with _smtp(s) as c, pytest.raises(smtplib.SMTPDataError) as e:
        c.sendmail(DUBAN, [ALICE], big)
    assert e.value.smtp_code == 552
    assert s.smtp_log == []
    s.set_quota(ALICE, None)
    s.deliver(ALICE, big)
    assert len(s.mailbox(ALICE)) == 2


def test_smtp_fail_after_drops_the_connection_midway(mail_servers):
    s = mail_servers
    s.smtp_fail_after = 2
    c = _smtp(s)
    c.send_message(_message("1"))
    c.send_message(_message("2"))
    with pytest.raises(smtplib.SMTPServerDisconnected):
        c.send_message(_message("3"))
    assert len(s.smtp_log) == 2 and len(s.smtp_rate_log) == 2 and s.smtp_dropped == 1
    assert s.smtp_rate_log[0] <= s.smtp_rate_log[1]
    s.smtp_fail_after = None
    with _smtp(s) as c:
        c.send_message(_message("3"))
    assert [x["raw"].count(b"Subject: ") for x in s.mailbox(ALICE)] == [1, 1, 1]
    assert s.dovecot_errors() == []
