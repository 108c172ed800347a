"""QA407: small mends a final read named.

The facts of a doubtful-time question beside a return (QA403) written once for the line and for
5-逐条核实; one probe of "the verdict had this file been timed otherwise" (`on_time.timed_as`); an
error message without a full stop no longer runs into the next sentence (`text.sentence`); a
退回待改 unit's blank form says 退回待改, not 未报送; ``issue --no-skip-done`` with skip_done_units
already on does not advise turning it on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from conftest import drop, on_time
from test_evidence import clean, mail, state

from toolkit import errors
from toolkit.actions.issue import IssueResult
from toolkit.actions.verify import _doubtful
from toolkit.file_time import doubt_beside_late, doubt_beside_late_note
from toolkit.filling import Answer, Filling
from toolkit.issue_notes import issue_notes
from toolkit.ledger import Receipt
from toolkit.on_time import denied_grace, timed_as, timeliness
from toolkit.period import Period
from toolkit.text import sentence
from toolkit.vocab import Outcome, TimeSource, UnitState

JUNE = Period.parse("2022-06")
DUE = dt.date(2022, 7, 5)
UNIT = "石龙镇"


def _receipt(i: int, name: str, at: str, outcome: str, how: str = TimeSource.MAIL) -> Receipt:
    return Receipt(i, None, f"sha{i}", name, "return", "mail", at, at, "", 1, JUNE, UNIT, outcome, 0, 0, "", {},
                   None, "", received_how=how, run_id=i)


LATE = _receipt(2, "石龙镇改.xlsx", "2022-07-08 10:00:00", Outcome.ACCEPTED)


def test_the_doubt_beside_a_return_is_one_text_for_the_line_and_the_question():
    for outcome in (Outcome.RETURNED, Outcome.ACCEPTED):
        doubtful = _receipt(1, "石龙镇.xlsx", "2022-07-09 09:00:00", outcome, TimeSource.DOUBTFUL)
        facts = doubt_beside_late(UNIT, doubtful, "文件时间早于本期", DUE, LATE)
        line = doubt_beside_late_note(UNIT, doubtful, "文件时间早于本期", DUE, JUNE, LATE)
        question = _doubtful(SimpleNamespace(unit=UNIT, receipt=doubtful, but="文件时间早于本期", due=DUE,
                                             late_return=LATE), JUNE)
        assert question.facts == facts and line.startswith(facts + "如"), (facts, line)
    # the line's words stand as QA403 wrote them (test_qa403_doubtful_refusal)
    refused = _receipt(1, "石龙镇.xlsx", "2022-07-09 09:00:00", Outcome.RETURNED, TimeSource.DOUBTFUL)
    assert doubt_beside_late_note(UNIT, refused, "", DUE, JUNE, LATE) == (
        "石龙镇的报送“石龙镇改.xlsx”（2022-07-08 10:00）暂计为按时报送：此前退回的“石龙镇.xlsx”报送时间存疑，"
        "已按收取时间（2022-07-09 09:00）登记，收取时间已过截止日期（2022-07-05），但存疑的时间不作逾期依据，"
        "退回通知给的更正期限照计。如知道退回的文件实际收到的日期，请运行 duban received --period 2022-06 "
        "--dept 石龙镇 --on 收到日期，按该日期计其收到时间（截止后收到的，更正期限不计）；如确是按时收到的，请运行 "
        "duban received --period 2022-06 --dept 石龙镇 --confirm，仍计为按时报送，此提示即不再出现。"
        "也可双击“5-逐条核实”逐条回答。")


class _Replies:
    """`on_time.ReplyDates` without a workspace: a reply asks by the 11th, collected at the receipt's time."""

    def __call__(self, receipt: Receipt) -> dt.date:
        return dt.date(2022, 7, 11)

    def collected(self, receipt: Receipt) -> dt.datetime:
        return dt.datetime.fromisoformat(receipt.collected_at)


def test_one_probe_times_a_file_otherwise():
    refused = _receipt(1, "石龙镇.xlsx", "2022-07-06 09:00:00", Outcome.RETURNED, TimeSource.MTIME)
    theirs = [refused, LATE]
    # saved into 收件箱 on the 6th: no grace, 逾期; stated by the deadline, its reply's date holds
    assert timeliness(LATE, theirs, DUE, _Replies())[0] == UnitState.LATE
    assert timed_as(LATE, theirs, DUE, _Replies(), refused, TimeSource.STATED, "2022-07-05 00:00:00") \
        == UnitState.ON_TIME
    assert denied_grace(LATE, theirs, DUE, _Replies(), lambda r: True) == refused
    # a doubtful time keeps the reply's date; timed as any other file's, the grace goes
    doubtful = _receipt(1, "石龙镇.xlsx", "2022-07-06 09:00:00", Outcome.RETURNED, TimeSource.DOUBTFUL)
    assert timeliness(LATE, [doubtful, LATE], DUE, _Replies())[0] == UnitState.ON_TIME
    assert timed_as(LATE, [doubtful, LATE], DUE, _Replies(), doubtful, TimeSource.MAIL) == UnitState.LATE


def test_a_message_is_ended_once():
    assert sentence("模板中缺少 {{ 单位 }}") == "模板中缺少 {{ 单位 }}。"
    for ended in ("请检查文件夹权限后重新运行。", "文件已被打开！", "是否已关闭？", "请关闭 Excel；"):
        assert sentence(ended) == ended


def test_a_run_whose_memo_failed_on_a_message_without_a_full_stop(run, issued_ws, make_return, monkeypatch):
    import toolkit.actions.run as running

    def refused(*_args, **_kwargs):
        raise errors.OutputLocked("通报模板中缺少占位符 {{ 单位 }}")

    monkeypatch.setattr(running, "write_memo", refused)
    done = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
    drop(issued_ws, "石龙镇.xlsx", make_return(UNIT, Filling(answers={"1.2": done})), on_time())
    result = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.exit_code == 1
    assert ("通报未生成：通报模板中缺少占位符 {{ 单位 }}。“通报”文件夹中如有通报，是此前生成的，未按本次数据更新。"
            in result.stdout), result.stdout


def test_a_unit_sent_back_that_mails_its_blank_form_stays_sent_back(issued_ws, make_return, collecting_on):
    from conftest import issued_path

    from toolkit.actions.collect import collect

    ws = issued_ws
    wrong = {"1_2": Answer(status="滞后", progress=30, work="推进中", problems="")}  # E603: refused
    drop(ws, f"{UNIT}.xlsx", make_return(UNIT, **wrong), on_time())
    collecting_on(dt.date(2022, 7, 4))
    assert collect(ws).returned == 1 and state(ws, UNIT) == UnitState.TO_FIX
    blank = issued_path(ws, UNIT)
    drop(ws, "石龙镇报送.eml", mail([(blank.name, blank.read_bytes())], sender="sl@example.cn"))
    result = collect(ws)
    assert result.returned == 0 and not result.feedback
    assert state(ws, UNIT) == UnitState.TO_FIX
    [line] = [text for name, text in result.disputed if name == blank.name]
    assert line == (f"{UNIT}发来的“{blank.name}”是下发的原表，没有填写（与下发的文件完全相同），不计入报送，"
                    f"{UNIT}仍为退回待改；请提醒该单位按退回意见修改后重新报送。"), line


def test_the_issue_line_advises_the_setting_only_when_it_is_off():
    def said(skip_set: bool) -> str:
        result = IssueResult(JUNE, DUE, Path("x"), all_done=["市残联"], skip_set=skip_set)
        return next(n.text for n in issue_notes(result, ["市残联"], skip_done=False) if n.text.startswith("请注意"))

    assert said(False).endswith("如这些单位可免报，请在 duban.toml 中设 skip_done_units = true，或下发时加 --skip-done。")
    assert said(True).endswith("如这些单位可免报，请下发时不加 --no-skip-done（duban.toml 中已设 skip_done_units = true）。")


def test_collect_says_the_doubtful_refusal_on_the_run_that_takes_the_correction(
        issued_ws, make_return, collecting_on, run):
    """QA403's town: its refused file (a hand-unzipped file's 1980 time) collected on 6 July, its correction
    on the 8th 按时 by the reply's date on the doubt. Status asked; collect's own screen said nothing."""
    from conftest import status_notes
    from test_qa403_doubtful_refusal import OLD, _corrected, _refused

    _refused(issued_ws, make_return, collecting_on, UNIT, OLD, dt.date(2022, 7, 6))
    collected = _corrected(issued_ws, make_return, collecting_on, run, UNIT, dt.date(2022, 7, 8))
    assert state(issued_ws, UNIT) == UnitState.ON_TIME
    [line] = [x for x in status_notes(run, issued_ws)[1] if "此前退回的“石龙镇.xlsx”报送时间存疑" in x]
    assert f"  {line}\n" in collected.stdout, collected.stdout
    assert line.startswith("请核实：石龙镇.xlsx：石龙镇的报送“石龙镇改.xlsx”（2022-07-08 10:00）暂计为按时报送："
                           "此前退回的“石龙镇.xlsx”报送时间存疑：") and line.endswith("也可双击“5-逐条核实”逐条回答。"), line
    # said once on the screen
    assert collected.stdout.count("此前退回的“石龙镇.xlsx”") == 1


def test_run_says_the_doubtful_refusal_once(issued_ws, make_return, collecting_on, run):
    """`run` collects (collect's line) and says the month's notes (status's): one line, said once."""
    from test_qa403_doubtful_refusal import OLD, _refused

    _refused(issued_ws, make_return, collecting_on, UNIT, OLD, dt.date(2022, 7, 6))
    drop(issued_ws, f"{UNIT}改.eml", mail([(f"{UNIT}改.xlsx", make_return(UNIT, clean()))],
                                          date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collecting_on(dt.date(2022, 7, 8))
    result = run(["run", "--period", "2022-06"], cwd=issued_ws.root)
    assert result.output.count("此前退回的“石龙镇.xlsx”报送时间存疑") == 1, result.output
