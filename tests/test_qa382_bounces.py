"""QA382: a bounce of the office's mail said wherever a unit is chased, and not chased there (QA381's review).

1. A bounce's 请核实 never showed on `status` (table and ``--format json``), `remind` or `mail send
   remind`: it was read from ``cons.receipts``, which a consolidation of the units' states alone (``tasks``
   False) leaves empty. The month's bounces are read from the ledger for every consolidation
   (``Consolidation.bounces``); `mail send remind` holds a 催报 whose every address bounced (named by
   --resend, it goes: the office found the 邮箱 right).
3. An address two units share named no unit, so the bounce was never said again: the unit the returned
   mail went to is, when it is one of them. A bounce collected before version 22 recorded no addresses
   (``receipts.bounced`` ''): migration 24 reads them back from its note.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest
import test_qa373_office_copies
from conftest import PERIOD, drop, ledger_at
from test_evidence import set_email
from test_qa358_drafts import _dry
from test_qa373_office_copies import OTHER, OTHER_ADDR, UNIT, UNIT_ADDR, _draft, bounce_of

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.ledger import LATEST, Ledger, schema_version

mailed_ws = test_qa373_office_copies.mailed_ws  # the fixture (see mailservers.py on ruff's F811)
LINE = f"请核实：退信：督办部门发给{OTHER}的邮件“"
HELD = "邮箱曾退信、不发送的催报"


def _bounced(ws, collecting_on) -> None:
    collecting_on(dt.date(2022, 7, 6))
    drop(ws, "退信.eml", bounce_of(_draft(ws, OTHER), OTHER_ADDR))
    collect(ws)


def _said(cons) -> list[str]:
    return [n for n in cons.office_notes() if "退信" in n]


def test_a_units_states_alone_say_the_bounce(mailed_ws, collecting_on):
    _bounced(mailed_ws, collecting_on)
    said = _said(consolidate(mailed_ws, PERIOD, tasks=False))  # status's and the reminders'
    assert len(said) == 1 and said[0].startswith(LINE) and OTHER_ADDR in said[0], said
    assert said[0].about == ("退信.eml",)
    assert said == _said(consolidate(mailed_ws, PERIOD))  # merge's, memo's


def test_an_address_two_units_share_is_the_one_the_mail_went_to(mailed_ws, collecting_on):
    set_email(mailed_ws, **{UNIT: UNIT_ADDR, OTHER: OTHER_ADDR, "东坑镇": OTHER_ADDR})  # one mailbox, two towns
    _bounced(mailed_ws, collecting_on)
    said = _said(consolidate(mailed_ws, PERIOD))
    assert len(said) == 1 and said[0].startswith(LINE) and "东坑镇" not in said[0], said
    set_email(mailed_ws, **{UNIT: UNIT_ADDR, OTHER: "zt2@dg.example.cn", "东坑镇": OTHER_ADDR})  # corrected
    assert not _said(consolidate(mailed_ws, PERIOD))  # 东坑镇's address now, never mailed 中堂镇's form there


@pytest.mark.slow  # collect, remind and a dry run of a month: out of the quick loop
def test_status_remind_and_mail_send_say_it_and_hold_the_reminder(mailed_ws, collecting_on, run):
    _bounced(mailed_ws, collecting_on)
    root = str(mailed_ws.root)
    status = run(["-w", root, "status"])
    assert status.exit_code == 1 and LINE in status.output, status.output
    notes = json.loads(run(["-w", root, "status", "--format", "json"]).stdout)["notes"]
    assert [n for n in notes if n.startswith(LINE)], notes
    remind = run(["-w", root, "remind"])
    assert LINE in remind.output, remind.output
    lines = _dry(run, root, "remind")
    assert f"  {UNIT} → {UNIT_ADDR}；无附件" in lines, lines
    assert not [x for x in lines if x.startswith(f"  {OTHER} →")], lines
    held = [x for x in lines if x.startswith(HELD)]
    assert held and f"{OTHER}（{OTHER_ADDR}）" in held[0] and f"--resend {OTHER}" in held[0], lines
    # the office found the 邮箱 right (the mailbox emptied): named, the 催报 goes
    said = run(["-w", root, "mail", "send", "remind", "--dry-run", "--resend", OTHER]).output.splitlines()
    assert [x for x in said if x.startswith(f"  {OTHER} → {OTHER_ADDR}")] and not any(
        x.startswith(HELD) for x in said), said
    # corrected in 单位名录: the bounce no longer stands, the 催报 goes to the new address
    set_email(mailed_ws, **{UNIT: UNIT_ADDR, OTHER: "zt2@dg.example.cn"})
    lines = _dry(run, root, "remind")
    assert [x for x in lines if x.startswith(f"  {OTHER} → zt2@dg.example.cn")], lines
    assert not any(x.startswith(HELD) or x.startswith(LINE) for x in lines), lines


def test_version_24_reads_an_old_bounce_s_addresses_from_its_note(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts (id, parent_id, sha256, name, kind, source, received_at, collected_at,"
              " archive_path, size, outcome, note, unit, period)"
              " VALUES (?, ?, ?, ?, 'eml', '', '2022-07-06 17:05:00', '2022-07-06 18:00:00', '', 1, ?, ?, ?, ?)")
    ledger_at(path, 21,
              (insert, (1, None, "a", "退信.eml", "已拆包",
                        "邮件“Undelivered”（发件人 MAILER-DAEMON@dg.example.cn）；退信：邮件未送达zt@dg.example.cn，不是报送",
                        None, "2022-06")),
              (insert, (2, 1, "b", "表.xlsx", "重复", "督办部门发给中堂镇的下发邮件所附的文件，不是单位的报送，不计入",
                        "中堂镇", "2022-06")),
              (insert, (3, None, "c", "退信2.eml", "已拆包",
                        "邮件“x”；退信：邮件未送达a@x.cn、b@y.cn，不是报送；没有附件", None, None)),
              (insert, (4, None, "d", "退信3.eml", "已拆包", "邮件“x”；退信：邮件未送达收件人，不是报送；没有附件", None, None)),
              (insert, (5, None, "e", "报送.eml", "已拆包", "邮件“6月进展；退信：邮件未送达张三，不是报送”", None, None)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 24
        got = {r.name: r.bounced for r in ledger.receipts()}
    assert json.loads(got["退信.eml"]) == {"unit": "中堂镇", "subject": "", "failed": [["zt@dg.example.cn", ""]]}
    assert json.loads(got["退信2.eml"])["failed"] == [["a@x.cn", ""], ["b@y.cn", ""]]
    assert got["退信3.eml"] == got["报送.eml"] == got["表.xlsx"] == ""


def test_version_24_leaves_a_bounce_recorded_since_as_it_is(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    said = json.dumps({"unit": "中堂镇", "subject": "s", "failed": [["zt@dg.example.cn", "5.2.2"]]}, ensure_ascii=False)
    ledger_at(path, 23, ("INSERT INTO receipts (sha256, name, kind, source, received_at, collected_at, archive_path,"
                         " size, outcome, note, office, bounced) VALUES ('a', '退信.eml', 'eml', '', '2022-07-06',"
                         " '2022-07-06', '', 1, '已拆包', '邮件“x”；退信：邮件未送达zt@dg.example.cn，不是报送',"
                         " 'bounced', ?)", (said,)))
    with Ledger(path) as ledger:
        assert [r.bounced for r in ledger.receipts()] == [said]
