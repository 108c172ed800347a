"""QA193: `duban mail send --resend` remembered until done, recipients the office wrote in a
draft judged by the addresses (not the bytes), renamed and merged units, a send in doubt for
one address (the QA191 review's findings; its tests are tests/test_qa191_review.py). Played
as the office against the real servers of tests/mailservers.py, through the CLI, on 东莞's units.
"""

from __future__ import annotations

import datetime as dt

import pytest
import test_mail_send
from conftest import PERIOD, issued_path
from test_mail_fetch import DUBAN
from test_mail_send import UNITS, address, give_emails, issued_with_emails, received
from test_qa185_review import _printed_command, _stop_in_data
from test_qa191_review import _merge

from toolkit import mail_send
from toolkit.drafts import hand_addressed
from toolkit.ledger import Draft, Ledger
from toolkit.ledger.mail_records import SENDING
from toolkit.mail import build_draft

servers = test_mail_send.servers  # the fixtures (see mailservers.py on ruff's F811)
clock = test_mail_send.clock


def _count(s, *numbers: int) -> list[int]:
    return [len(s.mailbox(address(n))) for n in numbers]


def _send(run, ws, kind: str = "issue", *extra: str):
    return run(["-w", str(ws.root), "mail", "send", kind, "--yes", *extra])


def _line(output: str, start: str) -> str:
    [line] = [x for x in output.splitlines() if x.startswith(start)]
    return line


# ---------------------------------------------------------------------------
# what counts as addressed by the office: the recipients, not the bytes


def _draft(recipients: list[str] | None, eml: bytes) -> Draft:
    import hashlib

    return Draft(1, "issue", PERIOD, "市民政局", "下发/x.eml", hashlib.sha256(eml).hexdigest(), "<m@dg>", None,
                 "", None, "", recipients)


def test_a_draft_is_the_offices_when_its_recipients_are_not_those_duban_wrote():
    eml = build_draft(to=f"市民政局 <{address(1)}>", subject="2022年6月进展填报表", body="请填报。", attachments=[])
    d = _draft([address(1)], eml)
    assert not hand_addressed(d, eml)
    assert not hand_addressed(d, eml.replace(b"\n", b"\r\n"))  # re-saved by an editor
    assert not hand_addressed(d, eml.replace(address(1).encode(), address(1).upper().encode()))
    assert hand_addressed(d, eml.replace(address(1).encode(), address(7).encode()))
    assert not hand_addressed(d, eml.replace(f"To: 市民政局 <{address(1)}>\n".encode(), b""))  # cleared: the 名录's
    blank = build_draft(to="", subject="2022年6月进展填报表", body="请填报。", attachments=[])
    assert hand_addressed(_draft([], blank), b"To: " + address(1).encode() + b"\n" + blank)  # typed in
    # recorded before version 13: by its bytes, line ends aside
    assert not hand_addressed(_draft(None, eml), eml.replace(b"\n", b"\r\n"))
    assert hand_addressed(_draft(None, eml), eml.replace(address(1).encode(), address(7).encode()))


@pytest.mark.slow
def test_a_recipient_typed_into_the_draft_is_said_on_the_plan_and_its_refusal_sends_the_office_to_the_draft(
        issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS) if u != "市民政局"}
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    draft = issued_path(ws, "市民政局").with_suffix(".eml")
    draft.write_bytes(b"To: u01@dg.example.cm\n" + draft.read_bytes())
    first = _send(run, ws)
    assert _line(first.output, "  市民政局 → ").endswith("（收件人为草稿中填写的）")
    assert "  市民政局：收件人 u01@dg.example.cm 收件地址不存在或被拒收，请改正草稿中填写的收件人（服务器代码 550）" \
        in first.output.splitlines()
    assert "市民政局 的收件人是草稿中填写的：请在草稿中改正；或删去草稿中的收件人，改按单位名录中的邮箱发送。" \
        in first.output.splitlines()
    # the office clears the typed address and fills in the 名录 instead
    draft.write_bytes(draft.read_bytes().replace(b"To: u01@dg.example.cm\n", b""))
    give_emails(ws, {"市民政局": address(1)})
    second = _send(run, ws)
    assert "（收件人为草稿中填写的）" not in second.output and _count(s, 0, 1, 2, 3, 4) == [1] * 5


# ---------------------------------------------------------------------------
# --resend


@pytest.mark.slow
def test_resend_all_says_again_only_of_the_units_mailed_before(issued_ws, servers, clock, run):
    s = servers
    emails = {u: address(n) for n, u in enumerate(UNITS) if u != "市民政局"}
    ws = issued_with_emails(issued_ws, s, UNITS, emails)
    _send(run, ws)
    give_emails(ws, {"市民政局": address(1)})
    again = _send(run, ws, "issue", "--resend", "全部")
    for unit in UNITS:
        assert ("（再次发送）" in _line(again.output, f"  {unit} → ")) == (unit != "市民政局"), unit
    assert _count(s, 0, 1, 2, 3, 4) == [2, 1, 2, 2, 2]


@pytest.mark.slow
def test_resend_stopped_before_any_mail_went_says_so_and_its_command_sends_them(
        issued_ws, servers, clock, run, monkeypatch):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    _send(run, ws)

    def stopped(*args, **kw):
        raise KeyboardInterrupt  # Ctrl-C before the named drafts are given their new Message-IDs

    with monkeypatch.context() as m:
        m.setattr(mail_send, "renumber", stopped)
        cut = _send(run, ws, "issue", "--resend", "全部")
    assert cut.exit_code == 130
    line = _line(cut.output, "已取消：")
    assert line == "已取消：没有发送任何邮件。如需再次发送，请重新运行 duban mail send issue --resend 全部。"
    assert run(["-w", str(ws.root), *_printed_command(line)], input="y\n").exit_code == 0
    assert _count(s, 0, 1, 2, 3, 4) == [2] * 5


# ---------------------------------------------------------------------------
# a send in doubt for the one address it went to


@pytest.mark.slow
def test_a_send_to_a_missed_address_in_doubt_names_that_address(issued_ws, servers, clock, run, monkeypatch):
    s = servers
    emails = {"市公安局": address(0), "市民政局": f"{address(1)}；ghost@dg.example.cn"}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    _send(run, ws)
    give_emails(ws, {"市民政局": f"{address(1)}；{address(6)}"})
    with monkeypatch.context() as m:
        _stop_in_data(m, 1)
        cut = _send(run, ws)
    assert "市民政局（发给 u06@dg.example.cn 的） 的邮件在传送时被取消" in cut.output
    unsure = _line(_send(run, ws).output, "可能已发送")
    assert unsure.startswith("可能已发送，请核对 1 封：市民政局（发给 u06@dg.example.cn 的）。")
    assert unsure.endswith("请运行 duban mail send issue --resend 市民政局 再次发送（只发给尚未确认收到的地址）。")
    resent = run(["-w", str(ws.root), *_printed_command(unsure)], input="y\n")
    assert "（补发给上次没有收到的地址）" in _line(resent.output, "  市民政局 → u06@dg.example.cn；")
    assert _count(s, 0, 1, 6) == [1, 1, 1]
    [one], [six] = received(s, address(1)), received(s, address(6))
    assert one["Message-ID"] == six["Message-ID"]  # one mail, now at both addresses
    # asked again, the unit's mail goes once more, to every address, as a mail of its own
    _send(run, ws, "issue", "--resend", "市民政局")
    assert _count(s, 0, 1, 6) == [1, 2, 2]


# ---------------------------------------------------------------------------
# a reminder found in Sent the next day


@pytest.mark.slow
def test_a_reminder_found_in_sent_the_next_day_is_the_first_days_and_the_next_day_reminds_again(
        issued_ws, servers, clock, run, monkeypatch, collecting_on):
    s = servers
    ws = issued_with_emails(issued_ws, s, UNITS)
    collecting_on(dt.date(2022, 7, 6))
    run(["-w", str(ws.root), "remind"])
    with monkeypatch.context() as m:
        _stop_in_data(m, 1)
        assert _send(run, ws, "remind").exit_code == 130
    with Ledger(ws.ledger_path) as ledger:
        [(unit, mid)] = ledger.conn.execute("SELECT unit, message_id FROM mail_sent WHERE state=?",
                                            (SENDING,)).fetchall()
    # the server filed what was submitted in Sent (as Coremail does); the unit's mailbox did not get it
    s.deliver(DUBAN, f"Message-ID: {mid}\r\nSubject: 催报\r\n\r\n请报送。\r\n".encode(), folder="Sent")
    collecting_on(dt.date(2022, 7, 7))
    found = _send(run, ws, "remind")
    assert f"上次中断时正在发送的 1 封已在“已发送”中找到，记为已发送：{unit}。" in found.output
    with Ledger(ws.ledger_path) as ledger:
        [sent_at] = ledger.conn.execute("SELECT sent_at FROM mail_sent WHERE message_id=?", (mid,)).fetchone()
    assert sent_at.startswith("2022-07-06")  # when it was handed over, not when it was found
    again = run(["-w", str(ws.root), "remind"])  # the 7th: the others were reminded today, it was not
    assert unit not in _line(again.output, "其中 4 个单位今天已发过催报邮件：")
    _send(run, ws, "remind")
    n = UNITS.index(unit)
    assert len(s.mailbox(address(n))) == 1 and _count(s, *(i for i in range(5) if i != n)) == [1] * 4


# ---------------------------------------------------------------------------
# renamed and merged units


@pytest.mark.slow
def test_a_unit_merged_into_another_after_its_form_was_mailed_leaves_the_other_its_own_form(
        issued_ws, servers, clock, run):
    """A unit's mail is looked for under its former names (QA191's renamed unit), not under
    the name of a unit issued beside it: 市林业局's mailed form is not 市自然资源局's."""
    s = servers
    emails = {"市林业局": address(5), "市自然资源局": ""}
    ws = issued_with_emails(issued_ws, s, list(emails), emails)
    _send(run, ws)  # 市林业局's form went; 市自然资源局 has no 邮箱 yet
    assert _count(s, 5, 6) == [1, 0]
    _merge(ws, "市林业局", "市自然资源局")
    give_emails(ws, {"市自然资源局": address(6)})
    issued = run(["-w", str(ws.root), "issue", "--emails"])
    assert not [x for x in issued.output.splitlines() if "本期的填报表已通过邮件发出" in x and "市自然资源局" in x]
    _send(run, ws)
    [msg] = received(s, address(6))  # its own form, not "sent before" under 市林业局's Message-ID
    assert "市自然资源局" in str(msg["Subject"]) and _count(s, 5) == [1]
