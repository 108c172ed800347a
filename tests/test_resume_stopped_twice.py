"""A collect stopped after archiving, then the next one stopped while writing the replies the first
owed (two power cuts in a row, test_crash under a loaded machine): the replies were lost. The
second run had marked the first finished before writing them, so the third owed it nothing and
石龙镇, refused, was never told what to fix."""
from __future__ import annotations

import pytest
from test_evidence import state
from test_qa118_replies_beside_forms import SL, _mail_form, _stopped_collect

import toolkit.replies as replies
from toolkit.actions.collect import collect
from toolkit.ledger import Ledger
from toolkit.vocab import UnitState


def test_replies_owed_by_a_stopped_run_survive_a_second_stop(issued_ws, monkeypatch):
    _mail_form(issued_ws, refused=True)
    _stopped_collect(issued_ws, monkeypatch)  # the first: files archived and recorded, no reply

    def stopped(*_args, **_kw):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:  # the second: stopped while writing the first's replies
        m.setattr(replies, "write_feedback", stopped)
        with pytest.raises(KeyboardInterrupt):
            collect(issued_ws)
    done = collect(issued_ws)
    assert [p.name for p in done.feedback] == [f"{SL}_校验反馈.xlsx", f"{SL}_校验反馈.eml"]
    assert state(issued_ws, SL) == UnitState.TO_FIX
    with Ledger(issued_ws.ledger_path) as ledger:
        assert not ledger.unfinished_runs("collect", before=10**9)

