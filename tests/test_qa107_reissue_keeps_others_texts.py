"""A form issued again to some units (``issue --dept``) after an edit does not rewrite what
the other units' forms of the month printed (the seed plan, 东莞市2022年政务服务全域标准化专项行动).

June's 54 forms go out on 28 June, 3.2 (eight units) due 2022年6月 and 7.3 (the 政数局's alone)
due 2022年9月. The office then moves 3.2 to 2022年9月 and 7.3 to 2022年6月, rewording 7.3 (as
test_qa103 does), and sends 市司法局 and the 政数局 new June forms. Seven of 3.2's units still
hold forms that print 2022年6月: June's record of 3.2 (ledger ``issued_texts``, by which a
June merged again after July's forms judges 超期) stays 2022年6月. Every form carrying 7.3 was
issued again: 7.3's record is the new one. A full re-issue of June then records 3.2's new texts.
"""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import set_clock, workspace_copy
from test_qa103_past_month_deadlines import MOVED_EARLIER, MOVED_LATER, REWORDED, move_deadlines

from toolkit.actions.issue import issue_returns
from toolkit.ledger import Ledger
from toolkit.period import Period

JUNE = Period(2022, 6)


def june_texts(ws):
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return ledger.issued_texts_of(JUNE)


@pytest.mark.slow  # plays a month (1.7 s): CI runs it, the quick loop need not
def test_a_reissue_to_some_units_keeps_what_the_others_forms_printed(_session_issued, tmp_path, monkeypatch):
    ws = workspace_copy(_session_issued, tmp_path / "ws")
    assert june_texts(ws)[MOVED_LATER].deadline_text == "2022年6月"
    move_deadlines(ws)
    set_clock(monkeypatch, dt.date(2022, 6, 30))
    issue_returns(ws, JUNE, units=["市司法局", "市政务服务数据管理局"])
    texts = june_texts(ws)
    assert (texts[MOVED_LATER].deadline_text, texts[MOVED_LATER].deadline) == ("2022年6月", dt.date(2022, 6, 30))
    assert (texts[MOVED_EARLIER].deadline_text, texts[MOVED_EARLIER].name) == ("2022年6月", REWORDED)

    issue_returns(ws, JUNE)  # every form of June issued again
    assert june_texts(ws)[MOVED_LATER].deadline_text == "2022年9月"
