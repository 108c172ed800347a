"""QA360: a fresh-eyes review of QA352–QA356 and the day's d05f15b and c716a5e.

1. A 汇总表 merged before a deadline it counts as passed (d05f15b) said so on `duban merge`'s
   screen only: 2-收取并汇总 (``collect --merge``), which the office double-clicks, said nothing.
   And the 提醒 called every such task 超期未完成, the line above it counting one of them apart
   (完成时限已过、报送尚未截止: its lead not yet due), not 超期未完成; and said a deadline falling
   on the day merged 还没到 (it has come, not passed: QA141's 尚未过), so did the subtitle and the
   通报's 请核实.
2. A W206 file the office said was not its unit's (``sender --not-theirs``, QA356) stood 采纳 in
   收件登记 and under 校验问题, the unit 未报送 in 报送情况 beside it; the 通报's list of units that
   copied last month's text (W608 on an accepted return) would name that unit for it.
3. The unit's own return, sent before that file and fetched after the answer, was said 已被替代
   by it on collect's screen and given its W205, though it is the one merged.
4. `disputed.question`'s branch for the other unit 本期免报 had no test.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import PERIOD, drop, issued_path, played_month, set_clock, shanghai, sheet_table
from test_mail_send import give_emails
from test_qa356_disowned_w206 import FILE, SENDER, SJ, SP, _resend, _state, _status, _text, _wrong_form

from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import Outcome
from toolkit.workspace import find_workspace

UNIT, OTHER = "县农业农村局", "县财政局"
PLAN = [["青山县农业农村局2025年重点工作任务分工表"],
        ["序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"],
        [1, "党建工作", "开展主题党日活动。", UNIT, "", "2025年12月底前"],
        [2, "财政保障", "保障项目资金。", OTHER, "", "2025年12月底前"],  # its lead yet to report, on time
        [3, "信息报送", "报送年度信息。", UNIT, "", "2025年12月7日"]]  # due the day merged: not passed yet


@pytest.fixture(scope="module")
def seventh(tmp_path_factory):
    """December 2025: 县农业农村局 reports task 1 序时推进 on the 7th; 县财政局 (task 2) not yet,
    its deadline 5 January. Collected and merged by 2-收取并汇总, then by merge, on the 7th."""
    base = tmp_path_factory.mktemp("qa360")
    root = base / "ws"
    mp, log, run = played_month(root, dt.date(2025, 11, 28), "--master",
                                str(sheet_table(base / "分工表.xlsx", PLAN)), "--period", "2025-12")
    try:
        run("issue", "--period", "2025-12")
        ws = find_workspace(root)
        data = fill_return(issued_path(ws, UNIT, Period(2025, 12)).read_bytes(),
                           Filling(answers={"1": Answer("序时推进", 60, "已开展2次。"),
                                            "3": Answer("序时推进", 80, "已报送4条。")}))
        drop(ws, f"{UNIT}.xlsx", data, shanghai(dt.datetime(2025, 12, 7, 10)))
        set_clock(mp, dt.date(2025, 12, 7))
        log["collect --merge"] = run("collect", "--merge").output
        log["merge"] = run("merge").output
        log["memo"] = run("memo", "--format", "md").output
        book = openpyxl.load_workbook(next((root / "汇总").rglob("*_进展汇总表.xlsx")), read_only=True)
        log["subtitle"] = next(book["滞后超期"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    finally:
        mp.undo()
    return log


TOLD = ("提醒：汇总表按期末（2025年12月31日）的情况计超期：任务1、2、3按完成时限已过计，今天（2025年12月7日）完成时限还没过"
        "（最早为2025年12月7日），汇总表的副标题已注明。完成时限过后重新汇总即按当时情况计。")


@pytest.mark.slow  # plays a month
def test_merge_says_the_early_overdue_as_its_figures_count_them(seventh):
    merged = seventh["merge"]
    # the figures count the three apart (none's deadline has passed; task 2's lead may still report
    # too); the 提醒 called them 超期未完成
    assert "超期未完成 0，按期末计超期、完成时限未过 3" in merged
    assert "计为超期未完成的任务1、2" not in merged
    # task 3 is due today: its deadline has come, not passed (还没到 was false of it: QA141's word)
    assert TOLD in merged.splitlines()
    assert seventh["subtitle"].endswith("；超期按期末（2025年12月31日）计，其中 3 项的完成时限在2025年12月7日尚未过")


@pytest.mark.slow
def test_collect_and_merge_says_it_as_merge_does(seventh):
    assert TOLD in seventh["collect --merge"].splitlines()


@pytest.mark.slow
def test_the_memos_note_says_what_the_memo_writes(seventh):
    # of task 2 the 通报 writes 完成时限已过、报送尚未截止, not 仍未完成
    assert ("请核实：本期按期末（2025年12月31日）的情况判断，通报写作完成时限已过的任务1、2、3，今天（2025年12月7日）"
            "完成时限还没有过（最早为2025年12月7日）。") in seventh["memo"]


# ---------------------------------------------------------------------------
# a W206 file said not its unit's: not 采纳 anywhere the 汇总表 lists it


def test_a_disowned_file_is_not_said_taken_in_the_register_or_the_issues(issued_ws, make_return, monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    _resend(issued_ws, make_return, run)
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    cons = consolidate(issued_ws, PERIOD)
    assert next(u.state for u in cons.units if u.unit == SJ) == "未报送"
    # 石排镇's refused return (QA405: the unit its file name named), though it resent on its own form since
    (kept,) = [r for r in cons.receipts if r.name == FILE]
    assert (kept.unit, kept.outcome, kept.identified_by) == (SP, "退回", "表内标识为石碣镇，已核实不是其报送，计为石排镇的退回报送")
    rows = [i for i in cons.issues if i["file"] == FILE]
    assert rows and {(i["unit"], i["outcome"]) for i in rows} == {(SP, "退回")}
    # the 通报's 照抄上月 list (W608 on a return taken) reads the same rows: 石碣镇 is never in it
    assert not [i for i in cons.issues if i["unit"] == SJ and i["outcome"] == Outcome.ACCEPTED]


def test_the_named_unit_exempt_still_asks_whether_the_registered_one_reported(issued_ws, make_return,
                                                                               monkeypatch, run):
    """`disputed.question`'s branch for another unit 本期免报 (no form went out to it, 销号): no
    test reached it. The file still makes 石碣镇 按时报送, so it is asked, and said as the unit stands."""
    with Ledger(issued_ws.ledger_path) as ledger:
        ledger.conn.execute("UPDATE issued SET exempt=1 WHERE unit=? AND period=?", ("石排镇", str(PERIOD)))
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    status = run(["status"], cwd=issued_ws.root)
    assert status.exit_code == 1
    (asked,) = [line for line in status.output.splitlines() if line.startswith(f"请核实：{FILE}：")]
    assert "石排镇在2022年6月计为本期免报，这份仍计为石碣镇的报送，石碣镇在2022年6月计为按时报送" in asked
    assert "已另行报送" not in asked and "如这份是石排镇填报的" in asked  # no 也: it sent nothing


# ---------------------------------------------------------------------------
# the unit's own return collected after the answer, sent before the file taken off it


def test_the_units_own_return_is_not_superseded_by_the_file_taken_off_it(issued_ws, make_return, monkeypatch, run):
    """石碣镇's own return, mailed on 3 July, fetched after the office said the 4 July file was not
    its: collect said 采纳 0、已被替代 1 of the return it then merged (by 收件登记 and status 采纳,
    按时报送 on 3 July), W205 naming the file no unit's."""
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    own = f"{PERIOD.label}_石碣镇_进展填报表.xlsx"
    drop(issued_ws, own, make_return(SJ, _text("石碣镇自己的进展。")), shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    collected = run(["collect"], cwd=issued_ws.root).output
    assert "  采纳 1，退回 0，无法读取 0，重复 0，已被替代 0" in collected.splitlines(), collected
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        mine = next(r for r in ledger.receipts(PERIOD) if r.name == own)
        assert mine.outcome == "采纳" and "W205" not in [i.code for i in ledger.issues_of(mine.id)]
    assert _state(_status(run, issued_ws)[1], SJ) == ("按时报送", "2022-07-03 09:00")
    # taken back, the file is 石碣镇's again and, received later, the one merged, as collect keeps them
    assert run([*SENDER, "--dept", SJ, "--undo"], cwd=issued_ws.root).exit_code == 0
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert {r.name: r.outcome for r in ledger.receipts(PERIOD)} == {FILE: "采纳", own: "已被替代"}
    cons = consolidate(issued_ws, PERIOD)
    assert cons.details._accepted[SJ].name == FILE
    assert _state(_status(run, issued_ws)[1], SJ) == ("按时报送", "2022-07-03 09:00")


def test_a_not_theirs_changed_to_theirs_keeps_the_units_returns_as_collect_would(issued_ws, make_return,
                                                                                 monkeypatch, run):
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    own = f"{PERIOD.label}_石碣镇_进展填报表.xlsx"
    drop(issued_ws, own, make_return(SJ, _text("石碣镇自己的进展。")), shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    run(["collect"], cwd=issued_ws.root)
    assert run([*SENDER, "--dept", SJ, "--theirs"], cwd=issued_ws.root).exit_code == 0
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert {r.name: r.outcome for r in ledger.receipts(PERIOD)} == {FILE: "采纳", own: "已被替代"}
    assert consolidate(issued_ws, PERIOD).details._accepted[SJ].name == FILE


def test_a_reply_about_a_file_said_not_the_units_is_not_sent(issued_ws, make_return, monkeypatch, run):
    """The W206 file refused (E501) was answered --not-theirs: its 反馈 draft stayed live, and `mail send
    feedback` would have told 石碣镇 that "its" return was refused (QA360's note). Told, not sent."""
    drop(issued_ws, FILE, make_return(SJ, Filling(default=Answer(status=None, work="石排镇本月推进情况。"))),
         shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    run(["collect"], cwd=issued_ws.root)
    listed = run(["mail", "send", "feedback", "--dry-run"], cwd=issued_ws.root).output
    assert SJ in listed and "核实为不是该单位报送的文件" not in listed  # the reply is asked about first
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    listed = run(["mail", "send", "feedback", "--dry-run"], cwd=issued_ws.root).output
    assert (f"核实为不是该单位报送的文件，其反馈邮件不发送 1 封：{SJ}。如核实有误，请运行 "
            f"duban sender --period {PERIOD} --dept {SJ} --undo 撤销核实结果后再发送。") in listed, listed
    assert "都已发送过" not in listed


def test_mail_send_feedback_names_the_other_months_replies_not_sent(issued_ws, make_return, monkeypatch, run):
    """4-发送邮件 → 2 offers one month on Enter (the month before while the current one has not ended,
    QA357): a reply to a refused return of the other month went unsaid (QA360's note). Said, with the
    command that sends them; nothing of that month is sent. 石碣镇 given a 邮箱: without one, that command
    would not send it either, and the line says so instead (QA364, tests/test_qa364_mail_path.py)."""
    give_emails(issued_ws, {SJ: "sj@dg.example.cn"})
    drop(issued_ws, FILE, make_return(SJ, Filling(default=Answer(status=None, work="石碣镇本月推进情况。"))),
         shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    run(["collect"], cwd=issued_ws.root)
    other = run(["mail", "send", "feedback", "--period", "2022-05", "--dry-run"], cwd=issued_ws.root).output
    assert (f"另有{PERIOD.label}的反馈邮件 1 封尚未发送：请运行 duban mail send feedback --period {PERIOD}"
            f"（双击“4-发送邮件”选 2 反馈时输入 {PERIOD}）。") in other, other
    assert "另有" not in run(["mail", "send", "feedback", "--dry-run"], cwd=issued_ws.root).output


def test_a_reply_about_a_disowned_file_is_never_written_again(issued_ws, make_return, monkeypatch, run):
    """QA363: past its date, `--renewable` offered the reply about the file said not 石碣镇's, and `--renew`
    wrote it again as a reply to 石碣镇's own return ("请于7月28日前重新报送"), no longer held back."""
    drop(issued_ws, FILE, make_return(SJ, Filling(default=Answer(status=None, work="石排镇本月推进情况。"))),
         shanghai(dt.datetime(2022, 7, 3, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    run(["collect"], cwd=issued_ws.root)
    assert run([*SENDER, "--dept", SJ, "--not-theirs"], cwd=issued_ws.root).exit_code == 0
    set_clock(monkeypatch, dt.date(2022, 7, 25))
    # 石排镇's reply, the file its refused return (QA405), is renewed; 石碣镇's never
    asked = run(["mail", "send", "feedback", "--renewable"], cwd=issued_ws.root)
    assert asked.exit_code == 1 and SJ not in asked.output, asked.output
    renewed = run(["mail", "send", "feedback", "--renew", "--dry-run"], cwd=issued_ws.root).output
    assert "石排镇（原为2022年7月7日前，重新生成后为2022年7月28日前）" in renewed, renewed
    assert f"核实为不是该单位报送的文件，其反馈邮件不发送 1 封：{SJ}。" in renewed, renewed
