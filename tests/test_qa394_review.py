"""QA394: a read-only review of the day's changes (stop 57) found, each fixed here:

- a lead's 已完成 its refused return took back (QA390's `taken_back`) came back the month after,
  when the lead was silent, and the task was announced 本期新完成 with nothing asked;
- a file refused as another month's (E202) was read again under any new words ("(1)", "Re: …"):
  each copy one more refusal and one more reply, each moving the date its correction was owed
  (逾期 turned 按时); only words naming another month read it again;
- a 配合 unit's refused row was said to take back "牵头单位"'s 已完成 (a false 请核实);
- a month issued before ledger version 25 (no name recorded) took the new project name, and one
  `issue --dept` after the rename named the whole month.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from conftest import invoke_cli
from test_qa96_done_units_exempt import _june_template  # noqa: F401 (fixture)
from test_qa370_other_forms import OCT, issued  # noqa: F401  (issued: a fixture)
from test_qa387_quarter import office  # noqa: F401  (a fixture)

from toolkit.filling import Filling
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.report import Row
from toolkit.taken_back import taken_back
from toolkit.vocab import Outcome


@pytest.mark.slow
def test_a_taken_back_done_is_not_carried_back_the_month_after(tmp_path, _june_template):  # noqa: F811
    from conftest import workspace_copy
    from test_qa96_done_units_exempt import AUGUST, DONE, HEALTH, JULY, TAX, at, on_day, send

    from toolkit.actions.collect import collect
    from toolkit.actions.issue import issue_returns
    from toolkit.consolidate import consolidate
    from toolkit.filling import Answer
    from toolkit.memo.context import build_context

    ws = workspace_copy(_june_template, tmp_path / "ws")
    said = Answer(status="序时推进", progress=90, work="已完成九成。", problems="城镇居民数据尚未发布")
    with pytest.MonkeyPatch.context() as mp:
        on_day(mp, dt.date(2022, 7, 6))
        invoke_cli(["merge", "--period", "2022-06"], cwd=ws.root)
        on_day(mp, dt.date(2022, 7, 20))
        issue_returns(ws, JULY)
        on_day(mp, dt.date(2022, 8, 6))
        send(ws, JULY, TAX, Filling(default=DONE), at(2022, 8, 4, 9))
        send(ws, JULY, HEALTH, Filling(answers={"6.2": said}, default=Answer(work="")), at(2022, 8, 4, 10))
        collect(ws, JULY)
        on_day(mp, dt.date(2022, 8, 20))
        issue_returns(ws, AUGUST)
        on_day(mp, dt.date(2022, 9, 6))
        send(ws, AUGUST, TAX, Filling(default=DONE), at(2022, 9, 4, 9))  # 市卫生健康局 silent in August
        collect(ws, AUGUST)
        cons = consolidate(ws, AUGUST)
    task = next(ts for ts in cons.tasks if ts.task.id == "6.2")
    assert task.status != "已完成", (task.status, task.lead_states)
    assert "6.2" not in [t.id for t in build_context(cons).completed]


@pytest.mark.slow
def test_a_refused_file_sent_again_under_words_naming_no_other_month_stays_a_duplicate(office):  # noqa: F811
    root, send, run = office
    data = send(OCT, "民政局11月进展.xlsx")  # October's form, named for November: refused as November's
    assert "已按2026年11月退回（期次不符）" in run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03").output
    (root / "收件箱" / "民政局11月进展(1).xlsx").write_bytes(data)  # a browser's copy of the same file
    again = run(dt.date(2026, 12, 5), "collect", "--received", "2026-12-05")
    assert "重复 1" in again.output and "退回 1" not in again.output, again.output


def test_a_cooperating_units_refused_row_takes_back_nothing():
    done = Row("3", "配合", "已完成", 100, "已完成。", "", "", None, "", 5)
    refused = SimpleNamespace(id=7, outcome=Outcome.RETURNED, received_at="2026-11-05 09:00:00", name="农业农村局10月.xlsx")
    ledger = SimpleNamespace(rows_of=lambda rid: [Row("3", "配合", "序时推进", 90, "九成。", "", "", None, "", 5)])
    before = {"农业农村局": {"3": done}}
    assert taken_back(ledger, before, {"农业农村局": [refused]}, {}) == (before, [])
    ledger = SimpleNamespace(rows_of=lambda rid: [Row("3", "牵头", "序时推进", 90, "九成。", "", "", None, "", 5)])
    lead = {"农业农村局": {"3": Row("3", "牵头", "已完成", 100, "已完成。", "", "", None, "", 5)}}
    assert [t.task for t in taken_back(ledger, lead, {"农业农村局": [refused]}, {})[1]] == ["3"]


def test_a_month_whose_forms_recorded_no_name_is_not_named_by_one_form_issued_since(tmp_path):
    month = Period(2026, 12)
    with Ledger(tmp_path / "ledger.sqlite") as ledger:
        for unit in ("县民政局", "县财政局", "县教育局"):  # as recorded before version 25: no name
            ledger.record_issued(month, unit, "f1", ["1"], dt.date(2027, 1, 5))
        ledger.record_issued(month, "县商务局", "f1", ["1"], dt.date(2027, 1, 5), project="2027年民生实事")
        assert ledger.issued_project(month) is None  # duban.toml's, as before version 25
        ledger.name_unnamed("2026年民生实事")  # what a plan's import gives them first
        assert ledger.issued_project(month) == "2026年民生实事"
