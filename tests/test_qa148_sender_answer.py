"""QA148: the office answers the 请核实 line about a copy from an unknown address once.

QA138's line (潢涌村, a village of 中堂镇 in no 单位名录, mailed 中堂镇's form on 2 July; 中堂镇's
own return came from its own address on 8 July, after the 5 July deadline) made every merge,
status and 一键月报 of the month exit 1 with the same question, and nothing could answer it.
``duban sender --period 2022-06 --dept 中堂镇 --theirs`` (the copy was sent for the town: 按时
stands) or ``--not-theirs`` (it was not: the copy times nothing, the town's own return of the
8th makes it 逾期报送) records the answer in the ledger; the line is said no more, the answer
is said on every run (exit 0) and in 收件登记, and ``--undo`` takes it back.
"""

from __future__ import annotations

import datetime as dt
import re

from conftest import PERIOD, ledger_at
from test_evidence import clean, set_email
from test_qa138_unknown_sender import EARLY, FORM, LATE, VILLAGE, ZT, ZT_MAIL, _send, _village_then_town, _zt

from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.vocab import UnitState

ASK = "请核实：中堂镇 在2022年6月计为按时报送"
COPY = "潢涌村_" + FORM


def _month(ws, make_return, collecting_on):
    set_email(ws, 中堂镇=ZT_MAIL)
    _village_then_town(ws, make_return, collecting_on)


def _lines(result, start: str) -> list[str]:
    return [x for x in result.output.splitlines() if x.startswith(start)]


def _checked_at(ws) -> str:
    """When the answer was recorded, as the lines say it: the ledger's stamp is the machine's wall
    clock; the lines say the office's (QA239)."""
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        ((_, _, at),) = ledger.sender_checks(PERIOD)
    return f"{dt.datetime.fromisoformat(at).astimezone(ws.tz):%Y-%m-%d %H:%M}"


def test_the_line_names_both_commands(issued_ws, make_return, collecting_on, run):
    _month(issued_ws, make_return, collecting_on)
    (line,) = _lines(run(["-w", str(issued_ws.root), "status"]), ASK)
    assert line.endswith(
        "请向中堂镇核实前一份是否由其报送或委托报送：是的，请运行 duban sender --period 2022-06 --dept 中堂镇 --theirs；"
        "不是的（如别的单位在其填报表上填了自己的情况），中堂镇应为逾期报送，请运行 "
        "duban sender --period 2022-06 --dept 中堂镇 --not-theirs，此后不再据前一份计算其报送时间。"
        "运行后此提示即不再出现。"), line


def test_confirmed_as_the_towns_the_line_is_gone_and_on_time_stands(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _month(ws, make_return, collecting_on)
    (line,) = _lines(run(["-w", str(ws.root), "merge"]), ASK)
    command = re.search(r"是的，请运行 duban (sender [^；]+)；", line).group(1).split()
    done = run(["-w", str(ws.root), *command])
    assert done.exit_code == 0, done.output
    assert done.output == (f"已记录：中堂镇 2022年6月的“{COPY}”（2022-07-02 16:00）由其报送或委托报送；"
                           "中堂镇 计为按时报送（报送时间 2022-07-02 16:00）。\n")
    at = _checked_at(ws)
    told = (f"已核实：中堂镇 2022年6月的“{COPY}”（2022-07-02 16:00，发件人不在单位名录中）由其报送或委托报送"
            f"（{at} 记录），中堂镇 计为按时报送（报送时间 2022-07-02 16:00）。"
            "如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 中堂镇 --undo")
    for args in (["merge"], ["status"], ["memo", "--format", "md"]):
        r = run(["-w", str(ws.root), *args])
        assert r.exit_code == 0 and "请核实" not in r.output, (args, r.output)
        assert _lines(r, "已核实：") == [told], (args, r.output)
    unit = _zt(ws)
    assert (unit.state, unit.received_at) == (UnitState.ON_TIME, "2022-07-02 16:00")
    # 收件登记 shows the answer beside how the copy's unit was found
    (copy,) = [r for r in consolidate(ws).receipts if r.name == COPY]
    assert copy.identified_by == "表内标识（已核实是其报送）"


def test_not_the_towns_makes_it_late_and_says_so(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _month(ws, make_return, collecting_on)
    done = run(["-w", str(ws.root), "sender", "--period", "2022-06", "--dept", ZT, "--not-theirs"])
    assert done.exit_code == 0, done.output
    assert done.output == (f"已记录：中堂镇 2022年6月的“{COPY}”（2022-07-02 16:00）不是中堂镇报送，不再据此计算其报送时间；"
                           "中堂镇 由按时报送（报送时间 2022-07-02 16:00）改计为逾期报送（报送时间 2022-07-08 11:00）。\n"
                           "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。\n")
    unit = _zt(ws)
    assert (unit.state, unit.received_at, unit.timed_by) == (UnitState.LATE, "2022-07-08 11:00", "")
    at = _checked_at(ws)
    merged = run(["-w", str(ws.root), "merge"])
    assert merged.exit_code == 0 and "请核实" not in merged.output, merged.output
    assert _lines(merged, "已核实：") == [
        f"已核实：中堂镇 2022年6月的“{COPY}”（2022-07-02 16:00，发件人不在单位名录中）不是中堂镇报送（{at} 记录），"
        "不再据此计算报送时间，中堂镇 计为逾期报送（报送时间 2022-07-08 11:00）。"
        "如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 中堂镇 --undo"]
    memo = run(["-w", str(ws.root), "memo", "--format", "md"])
    assert memo.exit_code == 0, memo.output
    (md,) = (ws.root / "通报" / "2022年6月").glob("*.md")
    assert re.search(r"逾期报送的单位（\d+个）：[^\n]*中堂镇", md.read_text(encoding="utf-8"))
    (copy,) = [r for r in consolidate(ws).receipts if r.name == COPY]
    assert copy.identified_by == "表内标识（已核实不是其报送）"


def test_undo_asks_again_and_an_answer_can_be_changed(issued_ws, make_return, collecting_on, run):
    ws = issued_ws
    _month(ws, make_return, collecting_on)
    args = ["-w", str(ws.root), "sender", "--period", "2022-06", "--dept", ZT]
    assert run([*args, "--not-theirs"]).exit_code == 0
    # changed: the copy no longer times the town, but the answer about it can still be turned
    assert run([*args, "--theirs"]).exit_code == 0
    assert _zt(ws).state == UnitState.ON_TIME
    undone = run([*args, "--undo"])
    assert undone.exit_code == 0
    assert undone.output == (f"已撤销：中堂镇 2022年6月的“{COPY}”（2022-07-02 16:00）的发件人核实；"
                             "中堂镇 计为按时报送（报送时间 2022-07-02 16:00）。"
                             "汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    merged = run(["-w", str(ws.root), "merge"])
    assert merged.exit_code == 1 and len(_lines(merged, ASK)) == 1 and not _lines(merged, "已核实：")
    again = run([*args, "--undo"])
    assert again.exit_code == 2 and "错误：中堂镇 在2022年6月没有已记录的发件人核实，无需撤销。" in again.output


def test_nothing_to_answer_and_no_answer_are_usage_errors(issued_ws, run):
    args = ["-w", str(issued_ws.root), "sender", "--period", "2022-06", "--dept", ZT]
    r = run([*args, "--theirs"])
    assert r.exit_code == 2 and "错误：中堂镇 在2022年6月没有需要核实发件人的报送（见 duban status 的“请核实”）。" in r.output
    r = run(args)
    assert r.exit_code == 2 and "请写明核实结果" in r.output
    r = run(["-w", str(issued_ws.root), "sender", "--period", "2022-06", "--dept", "潢涌村", "--theirs"])
    assert r.exit_code == 2 and "潢涌村 不在2022年6月的应报单位中" in r.output


def test_a_copy_that_is_the_merged_return_cannot_be_disowned(issued_ws, make_return, collecting_on, run):
    """The town's own return of the 8th was refused: the village's copy is what the 汇总表
    merges, and saying it was not the town's would leave its rows in: refused, nothing recorded."""
    set_email(issued_ws, 中堂镇=ZT_MAIL)
    broken = Filling(answers={"1.2": Answer(status="不清楚")})
    _send(issued_ws, make_return, collecting_on, (VILLAGE, EARLY, COPY, clean(), "潢涌村6月进展"),
          (ZT_MAIL, LATE, FORM, broken, "中堂镇6月进展"))
    assert [x for x in consolidate(issued_ws).office_notes() if x.startswith(ASK)]
    r = run(["-w", str(issued_ws.root), "sender", "--period", "2022-06", "--dept", ZT, "--not-theirs"])
    assert r.exit_code == 2 and f"“{COPY}”是中堂镇2022年6月汇总所用的报送" in r.output, r.output
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert ledger.sender_checks(PERIOD) == []


def test_a_version_10_ledger_gains_the_answers(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome)"
              " VALUES (7, 'ab', ?, '2022-07-02 16:00:00', '2022-07-03 09:00:00', '2022-06', '中堂镇', '已被替代')")
    ledger_at(path, 10, (insert, (COPY,)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 11
        assert ledger.sender_checks(PERIOD) == []
        ledger.check_sender(7, False)
        ((rec, theirs, _),) = ledger.sender_checks(PERIOD)
        assert (rec.name, theirs) == (COPY, False)
        ledger.check_sender(7, True)
        assert [t for _, t, _ in ledger.sender_checks(PERIOD)] == [True]
        ledger.check_sender(7, None)
        assert ledger.sender_checks(PERIOD) == []


def test_the_unit_may_be_named_as_the_office_writes_it(issued_ws, make_return, collecting_on, run):
    """--dept 东莞市中堂镇 is the 名录's 中堂镇 (`Directory.resolve`), as issue --dept reads it."""
    ws = issued_ws
    _month(ws, make_return, collecting_on)
    done = run(["-w", str(ws.root), "sender", "--period", "2022-06", "--dept", "东莞市中堂镇", "--theirs"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"已记录：中堂镇 2022年6月的“{COPY}”"), done.output
    assert run(["-w", str(ws.root), "status"]).exit_code == 0
