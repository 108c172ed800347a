"""销号: a unit whose every task was reported 已完成 stops reporting, when the office says so.

June 2022 in the demo's 东莞 plan: 市残联 and 东莞市税务局 report every task of their forms
已完成. 市医保局 reports its six lead tasks 已完成 but 14.1, where it is 配合, 序时推进: a unit is
exempt only when every one of ITS tasks was reported 已完成 by itself, so it is still asked.
6.2 is led by 市卫生健康局 and 东莞市税务局, with 市政务服务数据管理局 配合; both leads report it
已完成 and the cooperating unit does not: the task is 已完成 (综合状态 is the leads'), and the
cooperating unit's own unfinished row keeps it asked without keeping the leads asked.

July is issued with duban.toml's ``[issue] skip_done_units = true``: the two units get no form,
``issue`` says so, the ledger records them exempt for July (``issued.exempt``, migration 9),
and July's 汇总表 and 通报 neither owe nor name them, give them 本期免报, keep their tasks
已完成 and say in one sentence who was exempt and why. Without the setting nothing changes.
"""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from conftest import drop, issued_path, ledger_at, shanghai, workspace_copy
from openpyxl import load_workbook
from test_crosscheck import check, outputs, table

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import LATEST, Ledger, schema_version, store
from toolkit.memo.context import build_context
from toolkit.period import Period
from toolkit.returns import build_return
from toolkit.settings import BadConfig, settings_from
from toolkit.style import load_style
from toolkit.vocab import Owed, Status, UnitState
from toolkit.workspace import Workspace, find_workspace

# months played again and again: run in CI, out of the quick loop (its minute)
pytestmark = pytest.mark.slow

JUNE, JULY, AUGUST = Period(2022, 6), Period(2022, 7), Period(2022, 8)
CANLIAN, TAX, HEALTH, MEDICAL, SZ = "市残联", "东莞市税务局", "市卫生健康局", "市医保局", "市政务服务数据管理局"
EXEMPT = [CANLIAN, TAX]  # in the directory's order
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东残〔2022〕15号")
ONGOING = Answer(status="序时推进", progress=60, work="数据比对已完成六成。")
LAG = Answer(status="滞后", progress=40, work="设备采购延后。", problems="采购流程未走完。")


def at(*moment) -> float:
    return shanghai(dt.datetime(*moment))


def on_day(mp: pytest.MonkeyPatch, day: dt.date) -> None:
    """What conftest's ``collecting_on`` does, for a module's template: the ledger's clock and
    the workspace's on ``day`` at 18:00 in Dongguan."""
    when = dt.datetime.combine(day, dt.time(18, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    mp.setattr(store, "now", lambda: when.astimezone().replace(tzinfo=None).isoformat(sep=" "))
    mp.setattr(Workspace, "now", lambda self: when.astimezone(self.tz))


def send(ws, period: Period, unit: str, filling: Filling, when: float, path=None) -> None:
    drop(ws, f"{period.label}_{unit}.xlsx", fill_return(path or issued_path(ws, unit, period), filling), when)


def skip_done(ws, on: bool = True) -> Workspace:
    """The office's edit of duban.toml (init writes the key, switched off)."""
    text = ws.config_path.read_text(encoding="utf-8")
    assert "skip_done_units = false" in text or "skip_done_units = true" in text
    text = re.sub(r"skip_done_units = (true|false)", f"skip_done_units = {'true' if on else 'false'}", text)
    ws.config_path.write_text(text, encoding="utf-8")
    return find_workspace(ws.root)


def june_returns(ws) -> None:
    """June's returns, all on time (4 July), collected and merged on 4 July."""
    send(ws, JUNE, CANLIAN, Filling(default=DONE), at(2022, 7, 4, 9))
    send(ws, JUNE, TAX, Filling(default=DONE), at(2022, 7, 4, 9, 30))
    send(ws, JUNE, MEDICAL, Filling(answers={"14.1": ONGOING}, default=DONE), at(2022, 7, 4, 10))
    send(ws, JUNE, HEALTH, Filling(answers={"6.2": DONE}, default=ONGOING), at(2022, 7, 4, 10, 30))
    send(ws, JUNE, SZ, Filling(answers={"6.2": ONGOING}, default=ONGOING), at(2022, 7, 4, 11))
    collect(ws, JUNE)


def made(tmp_path_factory, src, name: str, *steps):
    """A module's template, made once: the workspace at ``src`` copied and taken through
    ``steps``, (day, step(ws)) pairs, each step run on its day."""
    def prepare(ws):
        with pytest.MonkeyPatch.context() as mp:
            for day, step in steps:
                on_day(mp, day)
                step(ws)
    return workspace_copy(src, tmp_path_factory.mktemp(name) / "ws", prepare).root


@pytest.fixture(scope="module")
def _june_template(tmp_path_factory, _session_issued):
    """June issued (the session's forms) and its returns collected."""
    return made(tmp_path_factory, _session_issued, "qa96june", (dt.date(2022, 7, 4), june_returns))


@pytest.fixture
def june(tmp_path, _june_template):
    return workspace_copy(_june_template, tmp_path / "june")


def july_returns(ws) -> None:
    """July's returns on 4 August: 市卫生健康局 6.2 已完成 again, 石龙镇 on time; 市医保局, the
    政数局 and everyone else silent."""
    send(ws, JULY, HEALTH, Filling(answers={"6.2": DONE}, default=ONGOING), at(2022, 8, 4, 9))
    send(ws, JULY, "石龙镇", Filling(), at(2022, 8, 4, 10))
    collect(ws, JULY)


@pytest.fixture(scope="module")
def _july_template(tmp_path_factory, _june_template):
    """June as above; July issued on 20 July with skip_done_units on, its returns collected."""
    return made(tmp_path_factory, _june_template, "qa96july",
                (dt.date(2022, 7, 20), lambda ws: issue_returns(skip_done(ws), JULY)),
                (dt.date(2022, 8, 4), july_returns))


@pytest.fixture
def july(tmp_path, _july_template):
    return workspace_copy(_july_template, tmp_path / "july")


# ---------------------------------------------------------------------------
# issue


def test_issue_with_the_setting_on_sends_no_form_to_units_whose_tasks_are_all_done(june, run, collecting_on):
    collecting_on(dt.date(2022, 7, 20))
    ws = skip_done(june)
    r = run(["issue", "--period", "2022-07"], cwd=ws.root)
    assert r.exit_code == 0, r.stdout
    lines = r.stdout.splitlines()
    assert lines[0] == "已生成 2022年7月进展填报表 52 份（报送截止：2022年8月5日）"
    assert ("本期免报 2 个单位：市残联、东莞市税务局。其上次报送的任务均为“已完成”，按 duban.toml 的 "
            "skip_done_units 设置不下发填报表，汇总表和通报不计入应报单位、不列为未报送；如需其报送，请运行 "
            "duban issue --dept 市残联 --dept 东莞市税务局 --no-skip-done") in lines, r.stdout
    assert "请注意" not in r.stdout  # no unit is asked again though done
    folder = ws.root / "下发" / JULY.label
    assert not (folder / f"{JULY.label}_{CANLIAN}_进展填报表.xlsx").exists()
    assert not (folder / f"{JULY.label}_{TAX}_进展填报表.xlsx").exists()
    # 市医保局's lead tasks are all done, its 配合 task 14.1 is not: it is asked
    assert (folder / f"{JULY.label}_{MEDICAL}_进展填报表.xlsx").exists()
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.exempt_units(JULY) == set(EXEMPT)
        assert ledger.exempt_units(JUNE) == set()
        # recorded with the tasks and roles a form would have carried: a past month merged
        # again keeps them (`consolidate.as_issued`)
        assert ledger.issued_tasks_of(JULY)[CANLIAN] == {t.id for t, _ in ws.load_master().tasks_of(CANLIAN)}
        assert ledger.issued_roles_of(JULY)[TAX]["14.1"] == "配合"


def test_without_the_setting_nothing_changes_and_the_option_decides_one_run(june, run, collecting_on):
    collecting_on(dt.date(2022, 7, 20))
    r = run(["issue", "--period", "2022-07", "--emails"], cwd=june.root)
    assert r.exit_code == 0 and "已生成 2022年7月进展填报表 54 份" in r.stdout, r.stdout
    assert ("请注意：市残联、东莞市税务局上次报送的任务均为“已完成”，本期仍向其下发了填报表：请提醒其按时报送"
            "（确认“已完成”即可），否则将在通报中列为未报送。如这些单位可免报，请在 duban.toml 中设 "
            "skip_done_units = true，或下发时加 --skip-done。") in r.stdout.splitlines(), r.stdout
    with Ledger(june.ledger_path, readonly=True) as ledger:
        assert ledger.exempt_units(JULY) == set()
    # the option, for one run: the two units issued again, now exempt (the latest issue decides)
    r = run(["issue", "--period", "2022-07", "--skip-done"], cwd=june.root)
    assert "已生成 2022年7月进展填报表 52 份" in r.stdout and "本期免报 2 个单位" in r.stdout, r.stdout
    with Ledger(june.ledger_path, readonly=True) as ledger:
        assert ledger.exempt_units(JULY) == set(EXEMPT)
        # their forms of the first issue are no longer theirs to send: no live draft, no file
        assert not [d for d in ledger.drafts("issue", JULY) if d.unit in EXEMPT]
    assert not (june.root / "下发" / JULY.label / f"{JULY.label}_{CANLIAN}_进展填报表.xlsx").exists()
    # and with the setting on, --no-skip-done asks one unit again
    ws = skip_done(june)
    r = run(["issue", "--period", "2022-07", "--dept", CANLIAN, "--no-skip-done"], cwd=ws.root)
    assert "已生成 2022年7月进展填报表 1 份" in r.stdout and "请注意：市残联上次报送" in r.stdout, r.stdout
    # the setting is on already: not advised again (QA407), only the option that asked it
    assert ("否则将在通报中列为未报送。如这些单位可免报，请下发时不加 --no-skip-done"
            "（duban.toml 中已设 skip_done_units = true）。") in r.stdout and "中设 skip_done_units" not in r.stdout
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        assert ledger.exempt_units(JULY) == {TAX}


def test_the_option_is_documented_in_the_help_and_the_setting_in_duban_toml(june, run):
    r = run(["issue", "--help"], cwd=june.root)
    assert "--skip-done / --no-skip-done" in r.stdout and "skip_done_units" in r.stdout, r.stdout
    text = june.config_path.read_text(encoding="utf-8")
    assert "[issue]" in text and "skip_done_units = false" in text
    assert not june.settings.skip_done_units
    assert settings_from({"issue": {"skip_done_units": True}}).skip_done_units
    with pytest.raises(BadConfig, match=r"\[issue\] 的 skip_done_units = \"是\" 不对：应为 true 或 false"):
        settings_from({"issue": {"skip_done_units": "是"}}, '[issue]\nskip_done_units = "是"\n')


# ---------------------------------------------------------------------------
# July's verdicts


def test_july_owes_nothing_of_the_exempt_units_and_their_tasks_stay_done(july):
    cons = consolidate(july, JULY)
    state = {u.unit: u.state for u in cons.units}
    assert [u for u in state if state[u] == UnitState.EXEMPT] == EXEMPT
    assert state[HEALTH] == state["石龙镇"] == UnitState.ON_TIME
    assert state[MEDICAL] == state[SZ] == UnitState.NOT_REPORTED  # asked (a task of theirs is open), silent
    assert cons.not_issued == [] and cons.exempt == EXEMPT  # no 请核实 “没有下发过”
    f = cons.figures()
    assert (f["应报单位"], f["本期免报"], f["未报送单位"], f["按时报送"]) == (52, 2, 50, 2)
    tasks = {t.task.id: t for t in cons.tasks}
    # 6.2: 市卫生健康局 again 已完成, 东莞市税务局 exempt with June's 已完成: the task stays done
    assert tasks["6.2"].status == Status.DONE and not tasks["6.2"].overdue
    # an exempt lead is done with the task: 滞后超期 lists no exempt unit among leads not done
    assert tasks["6.2"].lead_states == {HEALTH: Status.DONE, TAX: Status.DONE}
    assert tasks["2.3"].status == Status.LAGGING and tasks["2.3"].lead_states[CANLIAN] == Status.DONE
    assert tasks["6.2"].missing == [SZ]  # the cooperating unit, asked and silent
    for t in cons.tasks:
        assert not set(EXEMPT) & set(t.missing + t.sent_back + t.not_asked), t.task.id
    rows = [d for d in cons.details if d["unit"] in EXEMPT]
    assert len(rows) == 14 and {d["status"] for d in rows} == {Owed.EXEMPT}
    canlian = next(u for u in cons.units if u.unit == CANLIAN)
    assert (canlian.tasks, canlian.done, canlian.file_text) == (7, 7, "任务均已报告完成，未下发填报表")
    ctx = build_context(cons, dt.date(2022, 8, 8))
    assert (ctx.unit_total, ctx.unit_missing, ctx.unit_exempt, ctx.exempt_names) == (52, 50, 2, "市残联、东莞市税务局")
    assert ctx.reporting_text.endswith("另有2个单位（市残联、东莞市税务局）负责的任务此前均已报告完成，本期免于报送。")
    assert CANLIAN not in ctx.missing_names and "6.2" not in {t.id for t in ctx.completed}


def test_july_every_place_agrees(july, run):
    """test_crosscheck's check over July: status, 报送情况, 总览, 任务汇总, 单位明细, 滞后超期 and
    the 通报 count and name the same units, the exempt ones in none of the 未报送 lists."""
    o = outputs(run, july, JULY)
    expect = {CANLIAN: "本期免报", TAX: "本期免报", HEALTH: "按时报送", "石龙镇": "按时报送",
              MEDICAL: "未报送", SZ: "未报送"}
    problems = check(o, JULY, expect)
    assert not problems, "\n".join(problems)
    assert "没有下发过" not in o["merge"].stdout + o["table"]
    head = next(x for x in o["table"].splitlines() if x.startswith("2022年7月报送情况"))
    assert head.endswith("应报 52，按时报送 2，逾期报送 0，未报送 50，退回待改 0，本期免报 2"), head
    assert "报送：应报 52 个单位，按时 2，逾期 0，未报送 50，退回待改 0，本期免报 2" in o["merge"].stdout
    default = run(["status", "--period", "2022-07"], cwd=july.root).stdout
    assert CANLIAN not in default  # listed with --all only, as 按时报送 units are
    overview = {r[0]: r[1] for r in o["book"]["总览"].iter_rows(values_only=True) if r and r[0]}
    assert overview["应报单位"] == 52 and overview["本期免报（不计入应报）"] == 2
    lagging = table(o["book"], "滞后超期", "任务编号")
    assert "2.3" in [str(t["任务编号"]) for t in lagging]
    assert not [t for t in lagging if CANLIAN in (t["牵头单位状态"] or "") or TAX in (t["牵头单位状态"] or "")]
    units = {r["单位"]: r for r in table(o["book"], "报送情况", "单位")}
    assert units[CANLIAN]["报送文件"] == "任务均已报告完成，未下发填报表"
    assert "另有2个单位（市残联、东莞市税务局）负责的任务此前均已报告完成，本期免于报送。" in o["memo"]


# ---------------------------------------------------------------------------
# later: the setting changed, August issued, July merged again; a return sent anyway


def test_july_keeps_its_exemptions_after_the_setting_changes_and_august_goes_out(july, collecting_on):
    before = consolidate(july, JULY)
    ws = skip_done(july, on=False)
    collecting_on(dt.date(2022, 8, 20))
    result = issue_returns(ws, AUGUST)
    assert result.exempt == [] and set(EXEMPT) <= set(result.all_done)  # asked again in August
    after = consolidate(ws, JULY)  # a past month now (`as_issued`)
    assert [(u.unit, u.state, u.tasks) for u in after.units] == [(u.unit, u.state, u.tasks) for u in before.units]
    assert after.figures() == before.figures() and after.exempt == EXEMPT
    assert {t.task.id: t.status for t in after.tasks} == {t.task.id: t.status for t in before.tasks}
    august = consolidate(ws, AUGUST)
    assert {u.unit: u.state for u in august.units}[CANLIAN] == UnitState.NOT_REPORTED and august.exempt == []


def test_a_refusal_of_no_month_sent_before_augusts_forms_is_not_filed_under_its_exempt_july(july, collecting_on):
    """A refused file of no readable month, sent before a month's forms, goes to an earlier
    month its unit was issued a form for (qa81, qa93): July issued 市残联 none, so its PDF of
    10 August is not July's, and July stays 本期免报."""
    ws = skip_done(july, on=False)
    collecting_on(dt.date(2022, 8, 20))
    issue_returns(ws, AUGUST)
    drop(ws, "市残联进展.pdf", b"%PDF-1.4\n%%EOF\n", at(2022, 8, 10, 10))
    collect(ws)
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        rec = next(r for r in ledger.receipts() if r.name == "市残联进展.pdf")
    assert rec.unit == CANLIAN and rec.period != JULY
    assert consolidate(ws, JULY).exempt == EXEMPT


def volunteer(july, collecting_on, day: int) -> None:
    """市残联, exempt for July, sends on ``day`` August a July form it got from a colleague
    (none was issued to it), reopening 7.1."""
    form = july.root / "别处的表.xlsx"
    build_return(july.load_master(), CANLIAN, JULY, dt.date(2022, 8, 5), july.project, load_style(),
                 july.organiser).save(form)
    collecting_on(dt.date(2022, 8, day))
    send(july, JULY, CANLIAN, Filling(answers={"7.1": LAG}, default=DONE), at(2022, 8, day, 15), path=form)


def test_an_exempt_unit_that_sends_a_return_anyway_is_taken_as_any_other(july, collecting_on):
    """市残联 reopens 7.1 on a July form it got from a colleague (none was issued to it): the
    return is taken, the unit is owed and 按时报送, and 7.1's row is its July 滞后."""
    volunteer(july, collecting_on, 4)
    assert collect(july, JULY).accepted == 1
    cons = consolidate(july, JULY)
    assert cons.exempt == [TAX]
    canlian = next(u for u in cons.units if u.unit == CANLIAN)
    assert (canlian.state, canlian.done, canlian.lagging) == (UnitState.ON_TIME, 6, 1)
    assert cons.figures()["应报单位"] == 53
    row = next(d for d in cons.details if d["unit"] == CANLIAN and d["task"] == "7.1")
    assert row["status"] == Status.LAGGING


def test_an_exempt_unit_is_never_late_nor_sent_back_in_public(july, collecting_on):
    """Given no form and no deadline, a unit that volunteers a return after July's deadline is
    not 逾期 (review of QA 96), and one whose volunteered file is refused is not 退回待改: the
    通报 would name in public a unit it did not ask."""
    volunteer(july, collecting_on, 12)
    drop(july, f"{JULY.label}_{TAX}.pdf", b"%PDF-1.4 scanned", at(2022, 8, 12, 16))
    collect(july, JULY)
    cons = consolidate(july, JULY)
    states = {u.unit: u.state for u in cons.units}
    assert states[CANLIAN] == UnitState.ON_TIME and states[TAX] == UnitState.EXEMPT
    assert cons.exempt == [TAX] and cons.figures()["逾期报送"] == 0
    ctx = build_context(cons)
    assert CANLIAN not in ctx.late_names and TAX not in ctx.returned_names and TAX not in ctx.missing_names


def test_a_unit_renamed_since_its_done_return_is_exempt_under_its_new_name(june, collecting_on):
    """市残联's June return, under its old name; July's 单位名录 calls it 东莞市残疾人联合会 with
    市残联 as its alias: its latest accepted return is found under the old name."""
    new = "东莞市残疾人联合会"
    wb = load_workbook(june.master_path)
    for row in wb["责任分工"].iter_rows(min_row=2):
        if row[1].value == CANLIAN:
            row[1].value = new
    for row in wb["单位名录"].iter_rows(min_row=2):
        if row[0].value == CANLIAN:
            row[0].value, row[1].value = new, CANLIAN
    wb.save(june.master_path)
    ws = skip_done(june)
    collecting_on(dt.date(2022, 7, 20))
    assert issue_returns(ws, JULY).exempt == [new, TAX]
    cons = consolidate(ws, JULY)
    assert cons.exempt == [new, TAX] and {u.unit: u.state for u in cons.units}[new] == UnitState.EXEMPT


# ---------------------------------------------------------------------------
# the ledger


def test_a_version_8_ledger_is_upgraded_and_its_forms_owe_as_before(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledger_at(path, 8, (  # written by the release before migration 9
        "INSERT INTO issued(period, unit, fingerprint, tasks, issued_at, due, roles) VALUES"
        " ('2022-07', ?, 'f1', '[\"7.1\"]', '2022-07-20 09:00:00', '2022-08-05', '{\"7.1\": \"牵头\"}')", (CANLIAN,)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 9
        assert ledger.exempt_units(JULY) == set() and ledger.issued_units(JULY) == {CANLIAN}
        # exempt at a later issue, then asked again: the latest issue of the month decides
        ledger.record_issued(JULY, TAX, "f1", ["6.2"], dt.date(2022, 8, 5), roles={"6.2": "牵头"}, exempt=True)
        assert ledger.exempt_units(JULY) == {TAX}
        ledger.record_issued(JULY, TAX, "f2", ["6.2"], dt.date(2022, 8, 5), roles={"6.2": "牵头"})
        assert ledger.exempt_units(JULY) == set()
    assert (tmp_path / "ledger.sqlite3.v8.bak").exists()


def test_more_than_five_exempt_units_are_counted_and_pointed_to_not_listed():
    """A 通报 names up to five units inline (as a task's leads); more go by number, with where
    the list is."""
    from types import SimpleNamespace

    from toolkit.memo.context import MAX_INLINE_UNITS
    from toolkit.memo.sentences import exempt_text

    towns = ["石龙镇", "石碣镇", "茶山镇", "石排镇", "企石镇", "横沥镇"]
    assert exempt_text(SimpleNamespace(unit_exempt=6, exempt_names="、".join(towns)), MAX_INLINE_UNITS) == (
        "另有6个单位负责的任务此前均已报告完成，本期免于报送（名单见汇总表“报送情况”）。")
    assert exempt_text(SimpleNamespace(unit_exempt=0, exempt_names=""), MAX_INLINE_UNITS) == ""
