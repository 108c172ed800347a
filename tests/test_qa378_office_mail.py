"""QA378: the office's own mail coming back, recorded by kind and said while it stands (QA373's leftovers).

5. 收件登记 knew the office's copies and the automatic mail carrying them by phrases of the receipt's
   note, which quotes the mail's subject: a unit's own mail whose subject held "；退信：…" read 退信.
   The ledger records the kind (``receipts.office``, migration 22).
6. A bounce (the unit's address did not take the office's mail, 请核实) was said by `collect` alone;
   status, merge and memo named the unit 未报送 with nothing said, as other 请核实 lines are said
   again (`Consolidation.office_notes`). Said while the address is the unit's in 单位名录 and the
   unit is 未报送.
"""
from __future__ import annotations

import test_qa373_office_copies
from conftest import PERIOD, drop, ledger_at
from test_evidence import mail, set_email
from test_qa373_office_copies import OTHER, OTHER_ADDR, UNIT_ADDR, _draft, bounce_of

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.ledger import LATEST, Ledger, schema_version

mailed_ws = test_qa373_office_copies.mailed_ws  # the fixture (see mailservers.py on ruff's F811)
SUBJECT = "6月进展；退信：邮件未送达张三，不是报送"


def test_a_units_subject_saying_bounce_is_no_bounce(mailed_ws):
    drop(mailed_ws, "报送.eml", mail([("说明.pdf", b"%PDF-1.4\n%%EOF\n")], sender=UNIT_ADDR, subject=SUBJECT))
    collect(mailed_ws)
    register = {r.name: r for r in consolidate(mailed_ws, PERIOD).receipts}
    assert register["报送.eml"].outcome == "已拆包", register["报送.eml"]


def test_a_bounce_is_asked_again_while_it_stands(mailed_ws):
    drop(mailed_ws, "退信.eml", bounce_of(_draft(mailed_ws, OTHER), OTHER_ADDR))
    collect(mailed_ws)
    notes = [n for n in consolidate(mailed_ws, PERIOD).office_notes() if "退信" in n]
    assert len(notes) == 1 and notes[0].startswith(f"请核实：退信：督办部门发给{OTHER}的邮件“"), notes
    assert OTHER_ADDR in notes[0] and "5.2.2" in notes[0] and f"--resend {OTHER}" in notes[0], notes
    assert notes[0].about == ("退信.eml",)  # `run` asks once: collect's line said it (`cli.month`)
    set_email(mailed_ws, **{OTHER: "zt2@dg.example.cn"})  # the office corrected the address
    assert not [n for n in consolidate(mailed_ws, PERIOD).office_notes() if "退信" in n]


def test_version_22_records_the_kind_of_the_office_mail_already_received(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts (sha256, name, kind, source, received_at, collected_at, archive_path, size,"
              " outcome, note) VALUES (?, ?, 'eml', '', '2022-07-06 17:05:00', '2022-07-06 18:00:00', '', 1, ?, ?)")
    ledger_at(path, 21,
              (insert, ("a", "退信.eml", "已拆包", "邮件“x”；退信：邮件未送达zt@dg.example.cn，不是报送")),
              (insert, ("b", "自动回复.eml", "已拆包", "邮件“x”；自动回复，不是报送")),
              (insert, ("c", "表.xlsx", "重复", "督办部门发给石龙镇的下发邮件所附的文件，不是单位的报送，不计入")),
              (insert, ("d", "报送.eml", "已拆包", "邮件“y”")))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 22
        assert [r.office for r in ledger.receipts()] == ["bounced", "auto", "copy", ""]


def test_the_blank_form_sent_back_does_not_answer_a_mail_too_big(issued_ws, monkeypatch, run):
    """4. `too_big._last_received` took the office's own form back (重复, 不计入) for a return resent slim."""
    import datetime as dt
    import json

    from conftest import issued_path, set_clock
    from test_qa190_double_click import CST, too_big

    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    blank = issued_path(issued_ws, "石龙镇").read_bytes()
    drop(issued_ws, "石龙镇重发.eml", mail([("石龙镇6月进展.xlsx", blank)], sender="石龙镇 <sl@dg.gov.cn>",
                                       date="Tue, 05 Jul 2022 09:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    collect(issued_ws)
    status = run(["status", "--format", "json"], cwd=issued_ws.root)
    assert [n for n in json.loads(status.stdout)["notes"] if "石龙镇" in n and "1.8 MB" in n], status.stdout
