"""QA397's F4: a first `issue` of a month stopped part-way says how many forms were made and
that the month counts only their units until `issue` runs again (each unit is recorded in its
own transaction)."""

from __future__ import annotations

from toolkit.ledger import Ledger
from toolkit.period import Period


def _stop_after(monkeypatch, n: int) -> None:
    import toolkit.actions.issue as issuing

    real, calls = issuing._issue_one, []

    def issue_one(*args, **kwargs):
        if len(calls) == n:
            raise KeyboardInterrupt
        calls.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(issuing, "_issue_one", issue_one)


def test_a_first_issue_stopped_part_way_says_how_many_forms_count(ws, run, monkeypatch) -> None:
    total = len(ws.load_master().units_with_tasks())
    _stop_after(monkeypatch, 14)
    result = run(["issue", "--period", "2022-06"], cwd=ws.root)
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == (
        f"已取消：填报表已生成14个，共{total}个；本期暂只计这14个单位，请重新运行 duban issue 生成其余填报表。")
    with Ledger(ws.ledger_path) as ledger:
        assert len(ledger.issued_units(Period(2022, 6))) == 14
    monkeypatch.undo()
    assert run(["issue", "--period", "2022-06"], cwd=ws.root).exit_code == 0
    with Ledger(ws.ledger_path) as ledger:
        assert len(ledger.issued_units(Period(2022, 6))) == total


def test_an_issue_stopped_before_any_form_or_issued_again_keeps_the_short_line(ws, run, monkeypatch) -> None:
    _stop_after(monkeypatch, 0)
    result = run(["issue", "--period", "2022-06"], cwd=ws.root)
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == "已取消：填报表未全部生成，请重新运行。"
    monkeypatch.undo()
    assert run(["issue", "--period", "2022-06"], cwd=ws.root).exit_code == 0
    _stop_after(monkeypatch, 3)  # the month went out whole before: every unit still counts
    result = run(["issue", "--period", "2022-06"], cwd=ws.root)
    assert result.stderr.strip().splitlines()[-1] == "已取消：填报表未全部生成，请重新运行。"
