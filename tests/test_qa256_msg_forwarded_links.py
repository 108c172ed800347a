"""QA256: a return linked in a message embedded in an Outlook .msg is timed as a file attached to it.

Outlook's "forward as attachment" keeps the department's mail as an embedded message. Its files
took that message's Date, sender and recipients (`mail.forwarded`), but `mail_msg.parse_msg`
read links only from the outer message's body: a link (QQ 超大附件) in the embedded message was
not found at all, no W211, and the downloaded file was timed by its modification time. Now the
embedded message's words are read too and each link there carries it (`cloud.CloudFile.sent_in`),
as a link in a forwarded .eml part does (QA242): the download is timed exactly as the .eml's.
The .msg is extract-msg's reading of it, faked as the other .msg tests fake it.
"""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from conftest import drop, shanghai, status_notes
from test_evidence import state
from test_mail_fetch import DONE, DUBAN
from test_qa87_cloud_attachments import QQ_NAME, qq_html, qq_text
from test_qa242_forwarded_links import CASES, SUBJECT

from toolkit.ledger import Ledger
from toolkit.ledger.time_basis import weak_times
from toolkit.mail import parse_mail
from toolkit.mail_msg import parse_msg
from toolkit.vocab import Outcome, TimeSource

CST = dt.timezone(dt.timedelta(hours=8))
FORWARDED_AT = dt.datetime(2022, 7, 8, 9, 0, tzinfo=CST)  # the colleague's forward: after the 5 July deadline
DEPARTMENT = "东坑镇党政办 <dk@dg.gov.cn>"
OTHER_LINK = "https://mail.qq.com/cgi-bin/ftnExs_download?k=outer0000&t=exs_ftn_download&code=abcd"


def _department(to: str, date: dt.datetime | None, attached: bytes | None) -> types.SimpleNamespace:
    """东坑镇's own mail as an embedded message: its return linked (QQ 超大附件), or ``attached``."""
    if attached is None:
        return types.SimpleNamespace(subject=SUBJECT, sender=DEPARTMENT, to=to, date=date, body=qq_text(),
                                     htmlBody=qq_html().encode(), attachments=[])
    return types.SimpleNamespace(subject=SUBJECT, sender=DEPARTMENT, to=to, date=date, body="请查收我镇6月份进展填报表。",
                                 attachments=[types.SimpleNamespace(data=attached, longFilename=QQ_NAME)])


def _forward(monkeypatch, inner: types.SimpleNamespace, body: str = "转给你，请查收。") -> bytes:
    """The colleague's Outlook forward of ``inner`` as an attachment, on 8 July 09:00: what
    extract-msg reads from any .msg from now on (bytes to drop as the .msg)."""
    outer = types.SimpleNamespace(subject="转发：" + SUBJECT, sender="王五 <wang@dg.example.cn>", to=DUBAN,
                                  date=FORWARDED_AT, body=body, attachments=[types.SimpleNamespace(data=inner)],
                                  close=lambda: None)
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: outer))
    # an OLE file sniffed as a .msg (`sniff.detect`), as tests/test_collect.py drops one
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "__substg1.0_0037001F".encode("utf-16-le") + b"\0" * 512


def test_a_link_in_an_embedded_message_carries_that_message(monkeypatch):
    sent = dt.datetime(2022, 7, 4, 16, 20, tzinfo=CST)
    _forward(monkeypatch, _department(DUBAN, sent, None))
    mail = parse_msg(b"", frozenset({DUBAN}))
    [f] = mail.cloud
    assert f.name == QQ_NAME and f.sent_in is not None
    assert (f.sent_in.via, f.sent_in.date, f.sent_in.subject, f.sent_in.unsure) == (
        f"转发的邮件“{SUBJECT}”（发件人 {DEPARTMENT}）", sent, SUBJECT, False)
    assert mail.date == FORWARDED_AT


def test_the_outer_messages_own_link_carries_none(monkeypatch):
    # the forward's own words link a file too: that link is the forward's, as in an .eml
    _forward(monkeypatch, _department(DUBAN, None, b"PK"), body=f"另附：{OTHER_LINK}")
    [f] = parse_msg(b"").cloud
    assert (f.link, f.sent_in) == (OTHER_LINK, None)
    # a .msg of the department's own mail, nothing embedded: its link is its own
    own = _department(DUBAN, FORWARDED_AT, None)
    own.close = lambda: None
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: own))
    assert [(f.name, f.sent_in) for f in parse_msg(b"").cloud] == [(QQ_NAME, None)]


def test_the_link_reads_as_in_the_same_mail_saved_as_eml(monkeypatch):
    from test_qa242_forwarded_links import _department as eml_department
    from test_qa242_forwarded_links import _forward as eml_forward

    _forward(monkeypatch, _department("clerk@163.com", None, None))
    [a] = parse_msg(b"", frozenset({DUBAN})).cloud
    [b] = parse_mail(eml_forward(eml_department("clerk@163.com", None, None)), office=frozenset({DUBAN})).cloud
    assert (a.name, a.link, a.expires, a.sent_in.via, a.sent_in.unsure) == (
        b.name, b.link, b.expires, b.sent_in.via, b.sent_in.unsure)


def _play(ws, monkeypatch, make_return, collecting_on, run, to, date, how: str):
    """The .msg forward collected with its return attached, or linked and downloaded on 9 July
    11:00: in one collect, or the mail on 8 July and the download on 9 July."""
    data = make_return("东坑镇", **{"1_2": DONE})
    when = None if date is None else dt.datetime.strptime(date, "%a, %d %b %Y %H:%M:%S %z")
    msg = _forward(monkeypatch, _department(to, when, data if how == "attached" else None))
    if how == "attached":
        collecting_on(dt.date(2022, 7, 9))
        drop(ws, "转发.msg", msg)
        return run(["collect"], cwd=ws.root)
    drop(ws, "转发.msg", msg)
    if how == "downloaded later":
        collecting_on(dt.date(2022, 7, 8))
        collected = run(["collect"], cwd=ws.root)
        assert "超大附件" in collected.output, collected.output  # W211: the link was found
    collecting_on(dt.date(2022, 7, 9))
    drop(ws, QQ_NAME, data, mtime=shanghai(dt.datetime(2022, 7, 9, 11, 0)))
    return run(["collect"], cwd=ws.root)


@pytest.mark.slow  # run in CI, out of the quick loop: each plays collect, status and answers
@pytest.mark.parametrize("how", ["attached", "one collect", "downloaded later"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_return_linked_in_an_embedded_message_is_timed_as_attached_to_it(
        issued_ws, monkeypatch, make_return, collecting_on, run, case, how):
    ws = issued_ws
    to, date, when, source, verdict, said, asked = CASES[case]
    collected = _play(ws, monkeypatch, make_return, collecting_on, run, to, date, how)
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == QQ_NAME and r.outcome == Outcome.ACCEPTED)
        weak = weak_times(ledger.conn).get(rec.id, ("",))[0]
    assert (rec.unit, rec.received_at[:16], rec.received_how) == ("东坑镇", when, source), rec
    assert rec.received_how != TimeSource.MTIME
    assert weak == ("forwarded" if source == TimeSource.FORWARDED else "forward" if asked else "")  # kept by receipt for every later screen, as an attachment's
    if how != "attached":
        assert f"从邮件“转发.msg” › 转发的邮件“{SUBJECT}”（发件人 {DEPARTMENT}）的超大附件链接下载" in rec.note
    lines = [x.strip() for x in collected.output.splitlines() if "东坑镇按" in x]
    assert lines == ([f"请核实：{QQ_NAME}：{said}"] if said else []), collected.output
    assert status_notes(run, ws) == ((1, asked, []) if asked else (0, [], []))
    assert state(ws, "东坑镇") == verdict
