"""Review qa246: what landed with qa238-qa242, probed for wrong verdicts and advice.

1. A return linked in a forwarded message whose recipient cannot be told is said 按时 by the
   message's own Date, and collect tells the office, if the message did not go to it, to put the
   file back and state the forward's day (QA242). Done so, collect answered with another 请核实
   (exit 1) telling it to state the message's own day instead: the two lines sent the office back
   and forth. The day it was told to state is taken without a word.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop, shanghai
from test_evidence import state
from test_qa87_cloud_attachments import QQ_NAME
from test_qa242_forwarded_links import CLERK, ON_TIME_UNSURE, _play

from toolkit.ledger import Ledger
from toolkit.vocab import UnitState

pytestmark = pytest.mark.slow  # run in CI, out of the quick loop: each plays collect twice


@pytest.mark.parametrize("how", ["one collect", "downloaded later"])
def test_following_the_forwarded_advice_for_a_download_is_not_contradicted(
        issued_ws, make_return, collecting_on, run, how):
    ws = issued_ws
    collected = _play(ws, make_return, collecting_on, run, CLERK, "Mon, 04 Jul 2022 16:20:00 +0800", how)
    assert f"请核实：{QQ_NAME}：{ON_TIME_UNSURE}" in [x.strip() for x in collected.output.splitlines()]
    assert state(ws, "东坑镇") == UnitState.ON_TIME
    # the office knows the message went to the clerk: it does what the line says
    with Ledger(ws.ledger_path) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == QQ_NAME)
        data = (ws.root / rec.archive_path).read_bytes()
    collecting_on(dt.date(2022, 7, 10))
    drop(ws, QQ_NAME, data, mtime=shanghai(dt.datetime(2022, 7, 10, 11, 0)))
    again = run(["collect", "--received", "2022-07-08"], cwd=ws.root)
    assert state(ws, "东坑镇") == UnitState.LATE
    # not told, in the same breath, to state the message's own day (07-04) instead
    assert "2022-07-04" not in again.output, again.output
    assert again.exit_code == 0, again.output
