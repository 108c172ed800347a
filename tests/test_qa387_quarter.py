"""QA387: 平湖 2023's plan played September to November 2026.

- an identical file sent again after it was refused as another month's (E202) is read again when it
  comes under other words: 经信局's September form named 经信局10月进展 was refused as October's; sent
  unchanged as 经信局9月补报 it was skipped as 重复 and September kept it 未报送 with nothing asked;
- of two identical copies collected together, the later is the 重复 (the inbox is read in name order:
  “发改局9月 - 副本” of 4 October came before “发改局9月” of the 3rd, and 报送情况 named the copy);
- a correction of last month's return sent by last month's deadline is last month's: 税务局's
  November return (2 December) and its 修改版 (4 December, before November's deadline) were asked
  about all December as if December's progress;
- a lead's refused return that says a task is not done takes back the lead's earlier 已完成 (the
  通报 announced 平湖's task 3 本期新完成 on 农业农村局's September word while its October return,
  refused for another row, said 序时推进 90), and the office is asked;
- a unit's return after its month was merged is not timed by a file the office said was not its own
  (`sender --not-theirs`): 经信局's September 补报 was said 按时报送 on 建设局's file of 5 October.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import drop, invoke_cli, set_clock, shanghai
from test_qa96_done_units_exempt import _june_template  # noqa: F401 (fixture)
from test_qa370_other_forms import NOV, OCT, UNIT, issued  # noqa: F401  (issued: a fixture)

from toolkit.actions.collect import collect
from toolkit.filling import Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period

DEC = Period(2026, 12)


def test_of_two_identical_copies_the_later_is_the_duplicate(issued_ws, make_return):
    data = make_return("石龙镇")
    drop(issued_ws, "石龙镇6月.xlsx", data, shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    drop(issued_ws, "石龙镇6月 - 副本.xlsx", data, shanghai(dt.datetime(2022, 7, 4, 9, 0)))  # sorts first by name
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        got = {r.name: (r.outcome, r.received_at[:16]) for r in ledger.receipts(Period(2022, 6))}
    assert got == {"石龙镇6月.xlsx": ("采纳", "2022-07-03 09:00"), "石龙镇6月 - 副本.xlsx": ("重复", "2022-07-04 09:00")}
    status = json.loads(invoke_cli(["status", "--format", "json"], cwd=issued_ws.root).stdout)
    row = next(u for u in status["units"] if u["单位"] == "石龙镇")
    assert row["报送文件"] == "石龙镇6月.xlsx", row


@pytest.fixture
def office(issued, tmp_path, monkeypatch):  # noqa: F811
    """A copy of ``issued`` (大竹 2016, November issued on 30 November, October's form sent again to
    县民政局): (send, run)."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(issued, root)

    def send(period: Period, name: str, filling: Filling | None = None) -> bytes:
        form = root / "下发" / period.label / f"{period.label}_{UNIT}_进展填报表.xlsx"
        data = fill_return(form.read_bytes(), filling or Filling())
        (root / "收件箱" / name).write_bytes(data)
        return data

    def run(day: dt.date, *args: str):
        set_clock(monkeypatch, day)
        result = invoke_cli(["-w", str(root), *args])
        assert result.exit_code in (0, 1), result.output
        return result

    return root, send, run


def _state(run, day: dt.date, period: Period) -> str:
    units = json.loads(run(day, "status", "--period", str(period), "--format", "json", "--all").stdout)["units"]
    return {u["单位"]: u["报送状态"] for u in units}[UNIT]


@pytest.mark.slow
def test_a_file_refused_as_another_months_sent_again_under_its_months_name_is_read_again(office):
    root, send, run = office
    data = send(OCT, "民政局11月进展.xlsx")  # October's form, named for November: refused as November's
    first = run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert "已按2026年11月退回（期次不符）" in first.output, first.output
    (root / "收件箱" / "民政局10月补报.xlsx").write_bytes(data)  # the same bytes, named for October
    again = run(dt.date(2026, 12, 4), "collect", "--received", "2026-12-04")
    assert "重复" not in again.output.replace("重复 0", ""), again.output
    assert _state(run, dt.date(2026, 12, 4), OCT) != "未报送"
    # the very same name again is the same words: a 重复, not refused twice
    (root / "收件箱" / "民政局11月进展.xlsx").write_bytes(data)
    third = run(dt.date(2026, 12, 5), "collect", "--received", "2026-12-05")
    assert "重复 1" in third.output, third.output


def _by(clerk: str) -> Filling:
    """A filling that differs from the default by its 填报人 (another version of the file)."""
    return Filling(contact={"填报人": clerk, "联系电话": "0818-6222000", "审核人": "王芳", "填报日期": dt.date(2026, 12, 1)})


def _other_form_notes(run, day: dt.date, period: Period) -> list[str]:
    notes = json.loads(run(day, "status", "--period", str(period), "--format", "json").stdout)["notes"]
    return [n for n in notes if "其他期次填报表" in n]


@pytest.mark.slow
def test_a_correction_of_last_months_return_by_its_deadline_is_not_asked_about_this_month(office):
    _root, send, run = office
    run(dt.date(2026, 12, 1), "issue", "--period", "2026-12")
    send(NOV, "民政局11月.xlsx")
    run(dt.date(2026, 12, 2), "collect", "--received", "2026-12-02")
    send(NOV, "民政局11月（修改版）.xlsx", _by("刘明"))
    run(dt.date(2026, 12, 4), "collect", "--received", "2026-12-04")
    assert not _other_form_notes(run, dt.date(2026, 12, 7), DEC)
    # after November's deadline, November's form again may be December's progress: asked (QA375)
    send(NOV, "民政局进展.xlsx", _by("张伟"))
    run(dt.date(2027, 1, 4), "collect", "--received", "2027-01-04")
    assert len(_other_form_notes(run, dt.date(2027, 1, 5), DEC)) == 1


# ---------------------------------------------------------------------------
# 6.2 (two leads) 已完成 in June; in July 东莞市税务局 says 已完成 again and 市卫生健康局's return,
# refused for a blank row of another task, says 6.2 序时推进 90

@pytest.mark.slow
def test_a_leads_refused_return_saying_not_done_takes_back_its_earlier_done(tmp_path, _june_template):  # noqa: F811
    from conftest import workspace_copy
    from test_qa96_done_units_exempt import DONE, HEALTH, JULY, TAX, at, on_day, send

    from toolkit.actions.issue import issue_returns
    from toolkit.consolidate import consolidate
    from toolkit.filling import Answer

    ws = workspace_copy(_june_template, tmp_path / "ws")
    said = Answer(status="序时推进", progress=90, work="已完成九成。", problems="城镇居民数据尚未发布")
    with pytest.MonkeyPatch.context() as mp:
        for day, step in ((dt.date(2022, 7, 6), lambda: invoke_cli(["merge", "--period", "2022-06"], cwd=ws.root)),
                          (dt.date(2022, 7, 20), lambda: issue_returns(ws, JULY))):  # June's 通报 out, July issued
            on_day(mp, day)
            step()
        on_day(mp, dt.date(2022, 8, 6))
        send(ws, JULY, TAX, Filling(default=DONE), at(2022, 8, 4, 9))
        send(ws, JULY, HEALTH, Filling(answers={"6.2": said}, default=Answer(work="")), at(2022, 8, 4, 10))
        collect(ws, JULY)
        cons = consolidate(ws, JULY)
        merged = invoke_cli(["merge", "--period", "2022-07"], cwd=ws.root)
    task = next(ts for ts in cons.tasks if ts.task.id == "6.2")
    assert task.status != "已完成" and task.lead_states[HEALTH] == "退回待改", (task.status, task.lead_states)
    note = (f"请核实：任务 6.2 的牵头单位{HEALTH}此前报送为“已完成”，本期报来的“{JULY.label}_{HEALTH}.xlsx”已退回，"
            f"其中该任务报送为“序时推进”（进度90%，存在问题：城镇居民数据尚未发布）。汇总表和通报不采用退回的报送，"
            f"也不再按其此前的“已完成”计，该任务本期计为“{task.status}”，不列为本期新完成；请与{HEALTH}核实，其改正重报后按重报计。")
    assert note in merged.output, merged.output
    assert merged.exit_code == 1


@pytest.mark.slow
def test_a_late_return_after_the_merge_is_not_timed_by_another_units_file_on_its_form(issued_ws, make_return,
                                                                                      collecting_on):
    # 建设局 filled 经信局's form (W206), on time; the office said it was not 经信局's; 经信局's own
    # return after the merge was said 按时报送 on that file's time, while status said 逾期报送
    drop(issued_ws, "石排镇6月.xlsx", make_return("石碣镇"), shanghai(dt.datetime(2022, 7, 4, 9, 0)))
    collecting_on(dt.date(2022, 7, 6))
    collect(issued_ws)
    assert invoke_cli(["merge"], cwd=issued_ws.root).exit_code in (0, 1)
    said = invoke_cli(["sender", "--period", "2022-06", "--dept", "石碣镇", "--not-theirs"], cwd=issued_ws.root)
    assert said.exit_code == 0, said.output
    assert invoke_cli(["issue", "--period", "2022-07", "--dept", "石碣镇"], cwd=issued_ws.root).exit_code in (0, 1)
    drop(issued_ws, "石碣镇6月.xlsx", make_return("石碣镇", Filling(contact={"填报人": "王五"})),
         shanghai(dt.datetime(2022, 7, 9, 9, 0)))
    collecting_on(dt.date(2022, 7, 10))
    out = invoke_cli(["collect"], cwd=issued_ws.root).output  # July's run: June was merged
    assert "按时报送：石碣镇" not in out and "补报：石碣镇" in out, out

