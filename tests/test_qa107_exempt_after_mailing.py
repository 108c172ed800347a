"""销号 after the forms went out: a form already mailed is not taken back.

June 2022 in the demo's 东莞 plan, as test_qa96 plays it: 市残联 and 东莞市税务局 report every
task 已完成. On 20 July the office issues July with mail drafts, not yet exempting anyone, and
`duban mail send` sends 市残联's draft (the ledger's ``mail_sent``); 东莞市税务局's draft is
still unsent. The office then turns ``skip_done_units`` on and issues July again.

- 市残联 has its form in its mailbox and may reply: it is not exempted. Its form, draft and
  ledger record stay as mailed (a new draft would be a second mail), it owes July as any
  asked unit, and `issue` says so in one line.
- 东莞市税务局's form was only written: it is exempted as before, form and draft withdrawn.
- A mail handed to the server without an answer (``sending``) may have arrived: the same.
"""
from __future__ import annotations

import datetime as dt

import pytest
from test_qa96_done_units_exempt import CANLIAN, JULY, TAX, _june_template, june, skip_done  # noqa: F401

from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger
from toolkit.ledger.mail_records import MailRecords
from toolkit.vocab import UnitState

FORM = "{period}_{unit}_进展填报表.xlsx"


def mail(ws, unit, sent=True):
    """What `duban mail send` records for ``unit``'s July draft."""
    with Ledger(ws.ledger_path) as ledger:
        [draft] = [d for d in ledger.drafts("issue", JULY) if d.unit == unit]
        records = MailRecords(ledger.conn)
        records.begin_sending(message_id=draft.message_id, draft_id=draft.id, kind="issue", period=str(JULY),
                              unit=unit, recipients=["cl@dg.gov.cn"], started_at="2022-07-20T10:00:00")
        if sent:
            records.mark_sent(draft.message_id, "2022-07-20T10:00:05")
        ledger.conn.commit()
    return draft


def form(ws, unit):
    return ws.root / "下发" / JULY.label / FORM.format(period=JULY.label, unit=unit)


@pytest.mark.parametrize("sent", [True, False], ids=["sent", "sending"])
def test_a_unit_whose_form_was_mailed_is_not_exempted_later(june, run, collecting_on, sent):  # noqa: F811
    collecting_on(dt.date(2022, 7, 20))
    first = run(["issue", "--period", "2022-07", "--emails"], cwd=june.root)
    assert first.exit_code == 0, first.stdout
    draft = mail(june, CANLIAN, sent)
    mailed_form = form(june, CANLIAN).read_bytes()
    ws = skip_done(june)
    r = run(["issue", "--period", "2022-07", "--emails"], cwd=ws.root)
    assert r.exit_code == 0, r.stdout
    lines = r.stdout.splitlines()
    told = [line for line in lines if line.startswith("未予免报")]
    assert told == ["未予免报：市残联上次报送的任务均为“已完成”，但本期的填报表已通过邮件发出：仍按已发出的填报表报送"
                    "（确认“已完成”即可，本次未重新生成），否则将在通报中列为未报送。"], r.stdout
    assert any(line.startswith(f"本期免报 1 个单位：{TAX}。") for line in lines), r.stdout
    assert not any(line.startswith("请注意") and CANLIAN in line for line in lines), r.stdout
    assert lines[0].startswith("已生成 2022年7月进展填报表 52 份"), r.stdout

    # 市残联 keeps the form and draft it was mailed; 东莞市税务局's, never sent, are withdrawn
    assert form(ws, CANLIAN).read_bytes() == mailed_form
    assert (ws.root / draft.path).exists()
    assert not form(ws, TAX).exists()
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.exempt_units(JULY) == {TAX}
        live = {d.unit: d for d in ledger.drafts("issue", JULY)}
        assert live[CANLIAN].id == draft.id and TAX not in live

    # July owes 市残联's return as issued; 东莞市税务局 is 本期免报
    cons = consolidate(ws, JULY)
    state = {u.unit: u.state for u in cons.units}
    assert state[CANLIAN] == UnitState.NOT_REPORTED and state[TAX] == UnitState.EXEMPT
    assert cons.exempt == [TAX]
