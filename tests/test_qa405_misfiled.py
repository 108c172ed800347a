"""QA405: a return on another unit's form, answered ``sender --not-theirs``, is the refused (退回)
return of the unit its other evidence named.

石排镇 filled in 石碣镇's form with its own situation and mailed it as 石排镇6月.xlsx before the
deadline. collect registered it under 石碣镇 (its _meta) and asked (W206): "目前石排镇…计为未报送；
如这份就是石排镇的报送，通报中不应把石排镇列为未报送". The office answered ``--not-theirs``: the
file became no unit's return and 石排镇 stood 未报送, the very thing the question said the 通报
should not say; its resend on its own form after the deadline stood 逾期, no reply ever sent.
Now 石排镇 stands 退回待改 until it sends a good return, by the date the answer gives it
(three working days from the answer's day, never before the due date), and a reply asks it to.
"""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from conftest import PERIOD, drop, set_clock, shanghai
from test_qa356_disowned_w206 import FILE, SENDER, SJ, SP, _at, _state, _status, _text, _wrong_form, undone_lines

from toolkit import memo
from toolkit.consolidate import consolidate
from toolkit.ledger import Ledger, Receipt, answers
from toolkit.misfiled import misfiled
from toolkit.office_cases import Disputed
from toolkit.reply_renew import renew

pytestmark = pytest.mark.slow  # each plays a month

OWN = f"{PERIOD.label}_石排镇_进展填报表.xlsx"
ANSWERED = dt.date(2022, 7, 8)  # a Friday: three working days are the 11th, 12th and 13th
REPLY = "反馈/2022年6月/2022-07-08/石排镇_校验反馈.eml"
UNDO = "如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 石碣镇 --undo"


def _resend_on(ws, make_return, run, monkeypatch, day: dt.date) -> None:
    """石排镇 resends on its own form at 09:00 of ``day``, collected that day."""
    drop(ws, OWN, make_return(SP, _text("石排镇本月推进情况。")), shanghai(dt.datetime.combine(day, dt.time(9))))
    set_clock(monkeypatch, day)
    assert run(["collect"], cwd=ws.root).exit_code in (0, 1)


def _answer(ws, run, monkeypatch, *how: str, day: dt.date = ANSWERED):
    """``sender --dept 石碣镇`` ``how`` (``--not-theirs``), answered on ``day`` at 18:00 Beijing time."""
    set_clock(monkeypatch, day)
    at = dt.datetime.combine(day, dt.time(18), tzinfo=ZoneInfo("Asia/Shanghai")).astimezone().replace(tzinfo=None)
    monkeypatch.setattr(answers, "answered_now", lambda: at.isoformat(sep=" ", timespec="microseconds"))
    return run([*SENDER, "--dept", SJ, *(how or ("--not-theirs",))], cwd=ws.root)


def _recorded(ws, was: str) -> str:
    return (f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由{was}改计为未报送。"
            f"石排镇：未报送 → 退回待改，请其于2022年7月13日前用本单位的填报表重报（反馈邮件草稿：{REPLY}）。"
            "汇总、查看报送情况和生成通报时不再提示。")


def _told(sp: str) -> str:
    return (f"已核实：“{FILE}”不是石碣镇的报送（2022-07-08 18:00 记录），不计入石碣镇：石碣镇 在2022年6月计为未报送；"
            f"石排镇 在2022年6月计为{sp}。{UNDO}")


@pytest.fixture
def answered(issued_ws, make_return, monkeypatch, run):
    """The month up to the answer: 石排镇's text on 石碣镇's form of 4 July, collected on the 8th,
    answered --not-theirs that evening."""
    _wrong_form(issued_ws, make_return, monkeypatch, run)
    done = _answer(issued_ws, run, monkeypatch)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [_recorded(issued_ws, f"按时报送（报送时间 {_at(issued_ws)}）"),
                                        "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"]
    return issued_ws


def test_the_other_unit_stands_sent_back_in_status_the_summary_book_and_the_memo(answered, monkeypatch, run):
    ws = answered
    set_clock(monkeypatch, dt.date(2022, 7, 12))  # still within the correction window
    code, data = _status(run, ws)
    assert code == 0 and data["notes"] == [] and data["told"] == [_told("退回待改")]
    assert (_state(data, SJ), _state(data, SP)) == (("未报送", ""), ("退回待改", _at(ws)))
    screen = run(["status"], cwd=ws.root).output.splitlines()
    assert screen[0] == "2022年6月报送情况（截止 2022-07-05）：应报 54，按时报送 0，逾期报送 0，未报送 53，退回待改 1"
    cons = consolidate(ws, PERIOD)
    assert cons.fix_by == {SP: dt.date(2022, 7, 13)} and cons.awaited_by(SP) == dt.date(2022, 7, 13)
    assert SP not in cons.details._accepted and SJ not in cons.details._accepted
    # its rows are 石碣镇's form: merged for no one
    assert not [t for t in cons.tasks if "石排镇本月推进情况" in t.progress_text]
    # 报送情况, 收件登记 and 校验问题 say one thing: the file is 石排镇's, sent back
    unit = next(u for u in cons.units if u.unit == SP)
    assert (unit.state, unit.file, unit.errors) == ("退回待改", FILE, 1)
    (row,) = [r for r in cons.receipts if r.name == FILE]
    assert (row.unit, row.outcome, row.identified_by, row.errors) == (
        SP, "退回", "表内标识为石碣镇，已核实不是其报送，计为石排镇的退回报送", 1)
    rows = [i for i in cons.issues if i["file"] == FILE]
    assert {(i["unit"], i["outcome"]) for i in rows} == {(SP, "退回")}
    # the error it went back for, as its reply says it; the W206 collect said stays beside it
    assert [(i["code"], i["severity"], i["message"]) for i in rows if i["severity"] == "错误"] == [
        ("E213", "错误", "这份报送按表内标识登记为石碣镇，经核实不是石碣镇的报送，已作为本单位的报送退回，"
         "表中内容不计入汇总。请用本单位的填报表（附件，已按原表填入本单位任务的内容）核对填写后重新报送。")]
    assert unit.warnings == sum(i["severity"] == "警告" for i in rows)
    # the 通报: 石排镇 among the units sent back, not among those that did not report
    ctx = memo.build_context(cons)
    assert SP in ctx.returned_names and SP not in ctx.missing_names and SJ in ctx.missing_names
    assert run(["merge"], cwd=ws.root).exit_code == 0


def test_a_resend_on_its_own_form_by_the_date_is_on_time(answered, make_return, monkeypatch, run):
    _resend_on(answered, make_return, run, monkeypatch, dt.date(2022, 7, 13))
    code, data = _status(run, answered)
    assert code == 0 and _state(data, SP) == ("按时报送", "2022-07-13 09:00") and _state(data, SJ) == ("未报送", "")
    assert data["told"] == [_told("按时报送")]
    unit = next(u for u in consolidate(answered, PERIOD).units if u.unit == SP)
    assert unit.graced == "退回后于退回意见要求的2022年7月13日前改报，算按时报送"


def test_a_resend_after_the_date_is_late(answered, make_return, monkeypatch, run):
    _resend_on(answered, make_return, run, monkeypatch, dt.date(2022, 7, 14))
    code, data = _status(run, answered)
    assert _state(data, SP) == ("逾期报送", "2022-07-14 09:00") and data["told"] == [_told("逾期报送")]
    # late by the answer's correction date, on a file's time: asked, as any such 逾期 is
    assert code == 1 and data["notes"] == [
        f"请核实：{OWN}：石排镇按文件修改时间（2022-07-14 09:00）计为逾期报送（截止 2022-07-13）。如实际按时收到，请运行 "
        "duban received --period 2022-06 --dept 石排镇 --on 收到日期，按收到日期计报送时间；如文件修改时间就是收到时间，请运行 "
        "duban received --period 2022-06 --dept 石排镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。"]


def test_undo_and_theirs_take_it_back(answered, monkeypatch, run):
    ws = answered
    undone = _answer(ws, run, monkeypatch, "--undo")
    assert undone.exit_code == 0, undone.output
    assert undone.output.splitlines() == undone_lines(_at(ws), "石排镇：退回待改 → 未报送。")
    code, data = _status(run, ws)
    assert code == 1 and _state(data, SP) == ("未报送", "")
    (row,) = [r for r in consolidate(ws, PERIOD).receipts if r.name == FILE]
    assert (row.unit, row.outcome) == (SJ, "采纳")

    assert _answer(ws, run, monkeypatch).exit_code == 0  # --not-theirs again
    changed = _answer(ws, run, monkeypatch, "--theirs")
    assert changed.exit_code == 0, changed.output
    # both units' change said (QA411): 石碣镇 stands on the file again
    assert changed.output.splitlines() == [
        f"已记录：石碣镇 2022年6月的“{FILE}”（{_at(ws)}）是石碣镇的报送，不是石排镇的；"
        f"石碣镇 由未报送改计为按时报送（报送时间 {_at(ws)}）。石排镇：退回待改 → 未报送。"
        "汇总、查看报送情况和生成通报时不再提示。", "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。"]
    code, data = _status(run, ws)
    assert _state(data, SP) == ("未报送", "") and _state(data, SJ) == ("按时报送", _at(ws))


def test_a_resend_after_the_merge_by_the_date_is_not_called_late(answered, make_return, monkeypatch, run):
    """collect's words agree with the verdict: no 逾期 on the file's time, no 补报 (July's forms out)."""
    set_clock(monkeypatch, dt.date(2022, 7, 12))
    assert run(["merge"], cwd=answered.root).exit_code == 0
    assert run(["issue", "--period", "2022-07"], cwd=answered.root).exit_code == 0
    drop(answered, OWN, make_return(SP, _text("石排镇本月推进情况。")), shanghai(dt.datetime(2022, 7, 13, 9)))
    set_clock(monkeypatch, dt.date(2022, 7, 13))
    collected = run(["collect"], cwd=answered.root)
    assert "逾期" not in collected.output and "补报" not in collected.output
    assert collected.output.splitlines()[2] == (
        "  按时报送：石排镇 报送了2022年6月的填报表（在规定时限内收到），该期已汇总；请运行 duban merge --period 2022-06"
        "（或双击“2-收取并汇总”，期次输入 2022-06）更新。")


def _live(ws) -> list[tuple[str, str]]:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        return [(d.unit, d.path) for d in ledger.drafts("feedback", PERIOD)]


def test_the_reply_asks_it_to_resend_on_its_own_form_by_the_date(answered, monkeypatch, run):
    ws = answered
    assert _live(ws) == [(SP, REPLY)]
    mail = message_from_bytes((ws.root / REPLY).read_bytes(), policy=policy.default)
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "【请修改后重新报送】东莞市2022年政务服务全域标准化专项行动6月进展填报表校验反馈（石排镇）"
    assert "贵单位报送的2022年6月进展填报表（石排镇6月.xlsx）已收到。经校验，发现 1 处错误，暂未采纳。" in body
    assert "于2022年7月13日前以附件文件重新报送" in body
    assert ("1. 这份报送按表内标识登记为石碣镇，经核实不是石碣镇的报送，已作为本单位的报送退回，表中内容不计入汇总。"
            "请用本单位的填报表（附件，已按原表填入本单位任务的内容）核对填写后重新报送。") in body
    (attached,) = [p.get_filename() for p in mail.iter_attachments()]
    assert attached == "石排镇_校验反馈.xlsx" and (ws.root / REPLY).with_suffix(".xlsx").exists()
    # it goes: held back is only a reply to 石碣镇 about the file (QA360)
    set_clock(monkeypatch, dt.date(2022, 7, 9))
    listed = run(["mail", "send", "feedback", "--dry-run"], cwd=ws.root).output
    assert SP in listed and "核实为不是该单位报送的文件" not in listed, listed
    # taken back, the reply goes with it
    assert _answer(ws, run, monkeypatch, "--undo").exit_code == 0
    assert _live(ws) == [] and not (ws.root / REPLY).exists()


def test_a_good_return_retires_the_reply(answered, make_return, monkeypatch, run):
    _resend_on(answered, make_return, run, monkeypatch, dt.date(2022, 7, 12))
    assert _live(answered) == []


def test_a_reply_past_its_date_is_written_again_for_the_unit_named(answered, monkeypatch, run):
    """`mail send feedback --renew` writes 石排镇's reply again from today (not one to 石碣镇), and the
    verdict follows the new date, as for any reply renewed."""
    set_clock(monkeypatch, dt.date(2022, 7, 20))  # a Wednesday: the 21st, 22nd and 25th
    done = renew(answered, PERIOD)
    assert done.written == [(SP, dt.date(2022, 7, 25))]
    again = "反馈/2022年6月/2022-07-20/石排镇_校验反馈.eml"
    assert _live(answered) == [(SP, again)] and not (answered.root / REPLY).exists()
    body = message_from_bytes((answered.root / again).read_bytes(), policy=policy.default).get_body(("plain",))
    assert "于2022年7月25日前以附件文件重新报送" in body.get_content()
    assert consolidate(answered, PERIOD, tasks=False).awaited_by(SP) == dt.date(2022, 7, 25)


def _file(rid: int) -> Receipt:
    return Receipt(id=rid, parent_id=None, sha256="", name=FILE, kind="xlsx", source="", received_at="2022-07-04 10:00:00",
                   collected_at="2022-07-08 18:00:00", archive_path="", size=1, period=PERIOD, unit=SJ,
                   outcome="采纳", errors=0, warnings=1, identified_by="_meta", contact={}, superseded_by=None, note="")


@pytest.mark.parametrize(("others", "units", "moved"), [
    ((SP,), {SJ, SP}, {1: SP}),  # named one unit of the month: its refused return
    ((SP,), {SJ}, {}),  # named a unit no form of the month went to: no unit's return, as before
    ((SP, "石龙镇"), {SJ, SP, "石龙镇"}, {}),  # named two: which one is not known, no unit's
])
def test_only_a_file_naming_one_unit_of_the_month_is_its_refused_return(others, units, moved):
    disputed = [Disputed(SJ, o, FILE, "", _file(1), "2022-07-08 18:00:00", False) for o in others]
    disputed.append(Disputed(SJ, SP, "其他.xlsx", "", _file(2), "", True))  # not answered: the registered unit's
    assert {i: d.other for i, d in misfiled(disputed, units).items()} == moved


def test_the_reply_never_goes_to_an_address_the_directory_gives_another_unit():
    """QA410: a file registered by its name or _meta as 石碣镇's may have come from 石碣镇's own mailbox:
    the reply to 石排镇 goes to 石排镇's 单位名录 address then, not To 石碣镇."""
    from types import SimpleNamespace

    from toolkit.misfiled_reply import _to

    master = SimpleNamespace(directory=[SimpleNamespace(name=SJ, email="shijie@dg.gov.cn"),
                                        SimpleNamespace(name=SP, email="shipai@dg.gov.cn")])
    assert _to("石碣镇办公室 <shijie@dg.gov.cn>", master, SP) == ""
    assert _to("<shipai@dg.gov.cn>", master, SP) == "<shipai@dg.gov.cn>"
    assert _to("clerk <someone@163.com>", master, SP) == "clerk <someone@163.com>"  # a clerk's own: who sent it
    assert _to("", master, SP) == ""
