"""QA226 review: wrong verdicts around last session's answers and questions (the office's
answers about a file's time, W206 files, mails too big to fetch, a correction's date).

Each scenario is one a department or the office meets; a wrong behaviour not mended here is a
strict xfail naming what is said and what should be."""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop, set_clock, shanghai
from conftest import status_notes as _status
from test_evidence import clean, mail, refused
from test_qa190_double_click import CST, too_big

from toolkit.consolidate import consolidate
from toolkit.vocab import UnitState

RECEIVED = ["received", "--period", "2022-06", "--dept", "石龙镇"]


def _unit(ws, unit: str = "石龙镇") -> tuple[str, str]:
    u = next(u for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == unit)
    return u.state, u.received_at




# ---------------------------------------------------------------------------
# a mail too big to fetch, "answered" by a file that resent nothing


def test_a_later_file_that_is_no_return_leaves_the_question_about_a_mail_too_big(
        issued_ws, make_return, monkeypatch, run):
    """石龙镇's June return waits in a mail too big to fetch (4 July, on time); on 6 July it sends a
    damaged file named for July. It resent no June return and stands 未报送 in June, yet any later
    file counted as the answer (`too_big._last_received`): the question went silent and the 通报
    named 石龙镇 未报送 with nothing said. Mended: only a return read (采纳, 已被替代, 重复) answers."""
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    drop(issued_ws, "石龙镇7月.eml", mail([("石龙镇2022年7月.xlsx", refused("damaged", make_return))],
                                      date="Wed, 06 Jul 2022 09:00:00 +0800"))
    run(["collect"], cwd=issued_ws.root)
    assert _unit(issued_ws)[0] == UnitState.NOT_REPORTED
    code, notes, _ = _status(run, issued_ws)
    assert code == 1 and [n for n in notes if n.startswith("请核实：石龙镇 在2022年6月计为未报送，但邮箱中有其邮件")]


def test_a_return_resent_slim_still_answers_the_mail_too_big(issued_ws, make_return, monkeypatch, run):
    """The other side: the June return resent slim (accepted) leaves nothing to ask."""
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    drop(issued_ws, "石龙镇.eml", mail([("石龙镇6月进展.xlsx", make_return("石龙镇", clean()))],
                                    date="Mon, 04 Jul 2022 11:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    run(["collect"], cwd=issued_ws.root)
    assert _unit(issued_ws)[0] == UnitState.ON_TIME
    assert not [n for n in _status(run, issued_ws)[1] if "石龙镇" in n]


# ---------------------------------------------------------------------------
# a refused file timed by its modification time decides no correction date, and nobody is asked


REFUSED_LATE = ("请核实：石龙镇.xlsx：石龙镇的报送“石龙镇.xlsx”（2022-07-08 10:00）计为逾期报送（截止 2022-07-05），"
                "只因此前退回的文件按文件修改时间（2022-07-06 09:00）计为截止后收到，退回通知给的更正期限因此不计。"
                "如该文件实际按时收到，请运行 duban received --period 2022-06 --dept 石龙镇 --on 收到日期，按收到日期计，"
                "在更正期限内收到的报送即为按时报送；如文件修改时间就是收到时间，请运行 "
                "duban received --period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")


def _refused_saved_late(ws, make_return, monkeypatch, run, corrected: str = "Fri, 08 Jul 2022 10:00:00 +0800",
                        on: dt.date = dt.date(2022, 7, 8)):
    """石龙镇's damaged file saved into 收件箱 on 6 July (deadline 5 July) and collected; its
    correction mailed on ``corrected`` and collected ``on``."""
    drop(ws, "石龙镇.xlsx", refused("damaged", make_return), shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    run(["collect"], cwd=ws.root)
    drop(ws, "c.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))], date=corrected))
    set_clock(monkeypatch, on)
    run(["collect"], cwd=ws.root)


def test_a_refused_file_saved_late_into_the_inbox_makes_the_correction_late_unasked(
        issued_ws, make_return, monkeypatch, run):
    """石龙镇 mailed a damaged file on 4 July (on time); the clerk saved it into 收件箱 on 6 July,
    so the refusal came 'after the deadline' and its reply's date did not count
    (`on_time.correction_by`). The correction mailed on 8 July, within the three working days the
    reply gave, stood 逾期报送 (报送时间 2022-07-08 10:00) in status and the 通报, exit 0, with
    nothing said: the verdict rested on the refused file's modification time alone. Mended
    (QA231): asked about as a 逾期 on an accepted file's time is (`file_time`, `on_time.denied_grace`),
    and ``received --on`` states the refused file's day: the reply's date then holds the correction."""
    _refused_saved_late(issued_ws, make_return, monkeypatch, run)
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-08 10:00")
    assert _status(run, issued_ws) == (1, [REFUSED_LATE], [])
    for command in (["merge"], ["memo"]):
        done = run(command, cwd=issued_ws.root)
        assert done.exit_code == 1 and REFUSED_LATE in done.output
    stated = run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    assert stated.exit_code == 0, stated.output
    assert stated.stdout.startswith(
        "已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 2022-07-04 收到，按该日期计收到时间；"
        "石龙镇 由逾期报送（报送时间 2022-07-08 10:00）改计为按时报送（报送时间 2022-07-08 10:00）。\n")
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-08 10:00")
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    assert told == [f"已核实：石龙镇 2022年6月的“石龙镇.xlsx”（已退回，文件修改时间 2022-07-06 09:00）按督办部门指定的收到日期 "
                    f"2022-07-04 计收到时间（{told[0].split('计收到时间（')[1][:16]} 记录），石龙镇 计为按时报送"
                    "（报送时间 2022-07-08 10:00）。如需撤销，请双击“5-逐条核实”或运行 duban received --period 2022-06 --dept 石龙镇 --undo"]
    # taken back: 逾期 on the refused file's time again, and asked again
    undone = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0 and undone.stdout.startswith(
        "已撤销：石龙镇 2022年6月的“石龙镇.xlsx”的收到日期 2022-07-04；石龙镇 由按时报送（报送时间 2022-07-08 10:00）"
        "改计为逾期报送（报送时间 2022-07-08 10:00）。汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    assert _status(run, issued_ws) == (1, [REFUSED_LATE], [])


def test_the_refused_file_s_time_confirmed_keeps_the_correction_late_and_says_so(
        issued_ws, make_return, monkeypatch, run):
    """--confirm: the file was really received on 6 July, after the deadline; 逾期 stands, the
    question goes and the answer is said instead (exit 0); --undo asks again."""
    _refused_saved_late(issued_ws, make_return, monkeypatch, run)
    confirmed = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout == ("已记录：石龙镇 2022年6月的“石龙镇.xlsx”的文件修改时间（2022-07-06 09:00）无误；石龙镇 计为逾期报送"
                                "（报送时间 2022-07-08 10:00）。汇总、查看报送情况和生成通报时不再提示。\n")
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-08 10:00")
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    assert told == ["已核实：石龙镇 2022年6月的“石龙镇.xlsx”（已退回）按文件修改时间（2022-07-06 09:00）计为截止（2022-07-05）"
                    "后收到，其后的报送“石龙镇.xlsx”（2022-07-08 10:00）计为逾期报送，督办部门已确认该时间无误"
                    f"（{told[0].split('无误（')[1][:16]} 记录）。如需撤销，请双击“5-逐条核实”或运行 duban received --period 2022-06 --dept 石龙镇 --undo"]
    assert run(["memo"], cwd=issued_ws.root).exit_code == 0
    again = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert again.exit_code == 2 and "已记录为无误，无需再次运行" in again.output
    undone = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0 and undone.stdout == (
        "已撤销：石龙镇 2022年6月的“石龙镇.xlsx”文件修改时间无误的核实；石龙镇 计为逾期报送（报送时间 2022-07-08 10:00）。"
        "汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    assert _status(run, issued_ws) == (1, [REFUSED_LATE], [])


def test_a_correction_late_whatever_the_refused_file_s_day_is_not_asked_about(
        issued_ws, make_return, monkeypatch, run):
    """The other side: a correction mailed on 20 July is past any date the reply could have
    given (three working days from 6 July): 逾期 does not rest on the refused file's time, and
    nothing is asked."""
    _refused_saved_late(issued_ws, make_return, monkeypatch, run, "Wed, 20 Jul 2022 10:00:00 +0800",
                        dt.date(2022, 7, 20))
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-20 10:00")
    assert not [n for n in _status(run, issued_ws)[1] if "石龙镇" in n]


# ---------------------------------------------------------------------------
# an answer given, then the file no longer decides


def test_a_confirmed_time_can_be_taken_back_after_a_stated_copy_decides(issued_ws, make_return, monkeypatch, run):
    """The office said 石龙镇's file time was right (逾期), then found the mail and collected the
    file again with --received 2022-07-04 (按时). 收件登记 still says 文件修改时间（已核实无误）
    beside the first copy, but --undo said 没有已记录的…核实，无需撤销: the answer it lists could
    not be taken back. Mended: the answer is kept in `Consolidation.file_times` (neither asked nor told)."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "石龙镇.xlsx", data, shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    assert run([*RECEIVED, "--confirm"], cwd=issued_ws.root).exit_code == 0
    drop(issued_ws, "石龙镇.xlsx", data, shanghai(dt.datetime(2022, 7, 6, 9, 0)))
    run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    assert _status(run, issued_ws) == (0, [], [])
    undone = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0, undone.output
    assert undone.stdout == ("已撤销：石龙镇 2022年6月的“石龙镇.xlsx”文件修改时间无误的核实；石龙镇 计为按时报送"
                             "（报送时间 2022-07-04 00:00）。\n")
    # nothing to confirm: the unit is 按时 by the stated copy
    again = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert again.exit_code == 2 and "没有需要核实报送时间的报送" in again.output

