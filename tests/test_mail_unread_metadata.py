"""A message whose metadata the server describes in a way duban does not read (`message_info`
gives None: an odd UID or INTERNALDATE, or the message moved away between SEARCH and FETCH) was
neither fetched nor recorded, and no one was told: a return in it left its unit 未报送. Now the
fetch says which UIDs it could not read, with exit 1 (and so does every fetch while the message
is there), and fetches it as soon as it can be read. Real Dovecot (tests/mailservers.py)."""
from __future__ import annotations

import mailservers
import pytest
from test_mail_fetch import DUBAN, inbox_files, july, mail_ws, return_mail

from toolkit import imap_parse, mailbox

mail_servers = mailservers.mail_servers  # the fixture (see mailservers.py on ruff's F811)
pytestmark = pytest.mark.slow  # a real Dovecot


def test_a_message_not_described_is_named_and_fetched_once_readable(issued_ws, make_return, mail_servers,
                                                                   monkeypatch, run):
    monkeypatch.setenv("DUBAN_MAIL_PASSWORD", mail_servers.users[DUBAN])
    ws = mail_ws(issued_ws, mail_servers)
    mail_servers.deliver(DUBAN, return_mail("石龙镇", make_return("石龙镇"), sender="石龙镇 <sl@dg.gov.cn>",
                                            when=july(4)), internaldate=july(4, 10, 0))
    odd = mail_servers.deliver(DUBAN, return_mail("东城街道", make_return("东城街道"), sender="dc@dg.gov.cn",
                                                  when=july(5)), internaldate=july(5, 10, 0))

    def described(item):
        info = imap_parse.message_info(item)
        return None if info is not None and info.uid == odd else info

    monkeypatch.setattr(mailbox, "message_info", described)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 1, result.output
    assert (f"邮箱中有 1 封邮件（UID {odd}）读不到邮件信息（可能刚被移走或删除），没有收取：请在网页邮箱中查看，"
            "如是报送，请把邮件或附件下载到收件箱后运行 duban collect。") in result.output.splitlines()
    assert len(inbox_files(ws)) == 1

    monkeypatch.setattr(mailbox, "message_info", imap_parse.message_info)
    result = run(["-w", str(ws.root), "mail", "fetch"])
    assert result.exit_code == 0, result.output
    assert "读不到邮件信息" not in result.output and len(inbox_files(ws)) == 2
