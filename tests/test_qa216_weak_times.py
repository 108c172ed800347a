"""QA216: a unit 逾期 on its file's modification time alone, asked about until the office answers.

石龙镇 mailed its June return on 4 July; the clerk saved the attachment into 收件箱 on 6 July at
09:00, and the file's time (文件修改时间) made 石龙镇 逾期 (截止 7月5日). `collect` said so once;
status, merge, memo and run then said nothing (exit 0) and the 通报 named 石龙镇 逾期 in public
(the demo month: 市司法局, 望牛墩镇, 谢岗镇, 桥头镇, 市金融工作局). The question is now asked on
every screen while the unit stands 逾期 on such a time (exit 1), and answered without digging
the file out of 归档: `duban received --dept 石龙镇 --on 2022-07-04` (the day the office got it:
judged by it, as `collect --received` would) or `--confirm` (the time is right: 逾期 stands, said
instead of the question); `--undo` takes either back.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
from conftest import PERIOD, drop, ledger_at, set_clock, shanghai
from conftest import status_notes as _status
from test_evidence import clean

from toolkit.consolidate import consolidate
from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.answers import answer_time, time_answers
from toolkit.vocab import TimeSource, UnitState

RECEIVED = ["received", "--period", "2022-06", "--dept", "石龙镇"]
SAVED = shanghai(dt.datetime(2022, 7, 6, 9, 0))  # when the clerk saved the mail's attachment
NOTE = ("请核实：石龙镇.xlsx：石龙镇按文件修改时间（2022-07-06 09:00）计为逾期报送（截止 2022-07-05）。如实际按时收到，"
        "请运行 duban received --period 2022-06 --dept 石龙镇 --on 收到日期，按收到日期计报送时间；如文件修改时间就是"
        "收到时间，请运行 duban received --period 2022-06 --dept 石龙镇 --confirm，此提示即不再出现。也可双击“5-逐条核实”逐条回答。")
UNDO = "如需撤销，请双击“5-逐条核实”或运行 duban received --period 2022-06 --dept 石龙镇 --undo"


def _saved_late(ws, make_return, monkeypatch, run) -> bytes:
    """石龙镇's return, saved into 收件箱 on 6 July, collected on 8 July."""
    data = make_return("石龙镇", clean())
    drop(ws, "石龙镇.xlsx", data, SAVED)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    assert run(["collect"], cwd=ws.root).exit_code == 1
    return data




def _unit(ws) -> tuple[str, str]:
    u = next(u for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == "石龙镇")
    return u.state, u.received_at


# ---------------------------------------------------------------------------
# the question, on every screen


def test_status_merge_memo_and_run_ask_while_the_unit_stands_late_on_the_files_time(
        issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    code, notes, told = _status(run, issued_ws)
    assert (code, notes, told) == (1, [NOTE], [])
    table = run(["status"], cwd=issued_ws.root)
    assert table.exit_code == 1 and NOTE in table.output.splitlines()
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 1 and NOTE in merged.output.splitlines()
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert memo.exit_code == 1 and NOTE in memo.output.splitlines()


def test_run_says_collects_line_and_the_months_once(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), SAVED)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    ran = run(["run"], cwd=issued_ws.root)
    assert ran.exit_code == 1
    assert ran.stdout.splitlines().count("  " + NOTE) == 1 and ran.output.count("石龙镇按文件修改时间") == 1


def test_a_unit_on_time_or_late_by_a_mail_is_not_asked_about(issued_ws, make_return, monkeypatch, run):
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), shanghai(dt.datetime(2022, 7, 5, 17, 0)))
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=issued_ws.root)
    assert not [n for n in _status(run, issued_ws)[1] if "文件修改时间" in n]
    refused = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert refused.exit_code == 2
    assert ("错误：石龙镇 在2022年6月没有需要核实报送时间的报送（按文件修改时间、转发邮件或邮箱收到时间计为逾期，"
            "或只按被转发的原邮件的发送时间、存疑的报送时间计为按时的），无需核实（见 duban status 的“请核实”）。"
            in refused.output.splitlines())


# ---------------------------------------------------------------------------
# --on: the day the office got it


def test_a_stated_day_judges_the_unit_and_is_said_instead(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    answered = run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert answered.stdout == (
        "已记录：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）实际于 2022-07-04 收到，按该日期计报送时间；"
        "石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为按时报送（报送时间 2022-07-04 00:00）。\n"
        "请重新运行 duban merge 和 duban memo（或一键月报），更新汇总表和通报。\n")
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    assert told == [f"已核实：石龙镇 2022年6月的“石龙镇.xlsx”（文件修改时间 2022-07-06 09:00）按督办部门指定的收到日期 "
                    f"2022-07-04 计报送时间（{told[0].split('计报送时间（')[1][:16]} 记录），石龙镇 计为按时报送"
                    f"（报送时间 2022-07-04 00:00）。{UNDO}"]
    merged = run(["merge"], cwd=issued_ws.root)
    assert merged.exit_code == 0 and told[0] in merged.output.splitlines() and NOTE not in merged.output
    # 收件登记 keeps the file's own time, with the office's day beside how it was timed
    sheet = openpyxl.load_workbook(issued_ws.root / "汇总" / "2022年6月" / "2022年6月_进展汇总表.xlsx")["收件登记"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if "时间依据" in r)
    (row,) = [r for r in rows if "石龙镇.xlsx" in r]
    assert row[header.index("时间依据")] == "文件修改时间（督办部门指定收到日期 2022-07-04）"


def test_a_stated_day_is_the_one_rule_collect_received_follows(issued_ws, make_return, monkeypatch, run):
    """The same verdict and 报送时间 as the file put back and collected with --received."""
    data = _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    by_answer = _unit(issued_ws)
    undone = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert undone.stdout.startswith("已撤销：石龙镇 2022年6月的“石龙镇.xlsx”的收到日期 2022-07-04；石龙镇 由按时报送")
    assert "将重新提示“请核实”" in undone.stdout and _unit(issued_ws)[0] == UnitState.LATE
    drop(issued_ws, "石龙镇.xlsx", data, SAVED)
    run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert _unit(issued_ws) == by_answer == (UnitState.ON_TIME, "2022-07-04 00:00")
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        hows = [r.received_how for r in ledger.receipts(PERIOD) if r.name == "石龙镇.xlsx"]
    assert hows == [TimeSource.MTIME, TimeSource.STATED]


def test_a_stated_day_after_the_deadline_leaves_it_late_and_asks_no_more(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    answered = run([*RECEIVED, "--on", "2022-07-06"], cwd=issued_ws.root)
    assert "石龙镇 由逾期报送（报送时间 2022-07-06 09:00）改计为逾期报送（报送时间 2022-07-06 00:00）" in answered.stdout
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, []) and "石龙镇 计为逾期报送（报送时间 2022-07-06 00:00）" in told[0]


def test_a_day_after_today_is_refused(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    refused = run([*RECEIVED, "--on", "2022-07-09"], cwd=issued_ws.root)
    assert refused.exit_code == 2
    assert "错误：收到日期 2022-07-09 晚于今天（2022-07-08），请写实际收到报送的日期。" in refused.output.splitlines()
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert time_answers(ledger.conn) == {}


# ---------------------------------------------------------------------------
# --confirm and --undo


def test_a_confirmed_time_keeps_it_late_and_is_said_instead(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    confirmed = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout == ("已记录：石龙镇 2022年6月的“石龙镇.xlsx”的文件修改时间（2022-07-06 09:00）无误；"
                                "石龙镇 计为逾期报送（报送时间 2022-07-06 09:00）。汇总、查看报送情况和生成通报时不再提示。\n")
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    (said,) = told
    assert said.startswith("已核实：石龙镇 2022年6月的“石龙镇.xlsx”按文件修改时间（2022-07-06 09:00）计为逾期报送"
                           "（截止 2022-07-05），督办部门已确认该时间无误（")
    assert said.endswith(f"记录）。{UNDO}")
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert memo.exit_code == 0 and said in memo.output.splitlines() and NOTE not in memo.output
    again = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert again.exit_code == 2 and ("错误：石龙镇 2022年6月的“石龙镇.xlsx”的文件修改时间已记录为无误，无需再次运行。"
                                     in again.output.splitlines())


def test_undo_asks_again_and_twice_is_refused(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    undone = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0
    assert undone.stdout == ("已撤销：石龙镇 2022年6月的“石龙镇.xlsx”文件修改时间无误的核实；石龙镇 计为逾期报送"
                             "（报送时间 2022-07-06 09:00）。汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    assert _status(run, issued_ws) == (1, [NOTE], [])
    twice = run([*RECEIVED, "--undo"], cwd=issued_ws.root)
    assert twice.exit_code == 2
    assert "错误：石龙镇 在2022年6月没有已记录的收到日期或报送时间核实，无需撤销。" in twice.output.splitlines()


def test_answering_again_changes_the_answer(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    confirmed = run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    assert "石龙镇 由按时报送（报送时间 2022-07-04 00:00）改计为逾期报送（报送时间 2022-07-06 09:00）" in confirmed.stdout
    assert _unit(issued_ws)[0] == UnitState.LATE and _status(run, issued_ws)[:2] == (0, [])
    run([*RECEIVED, "--on", "2022-07-05"], cwd=issued_ws.root)
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-05 00:00")


def test_one_answer_is_asked_for(issued_ws, run):
    for args in ([], ["--confirm", "--undo"], ["--on", "2022-07-04", "--confirm"]):
        r = run([*RECEIVED, *args], cwd=issued_ws.root)
        assert r.exit_code == 2 and ("错误：请写明且只写一个核实结果：--on 收到日期（实际收到的日期）、--confirm（该时间无误）"
                                     "或 --undo（撤销）。") in r.output.splitlines()
    bad = run([*RECEIVED, "--on", "7月4日"], cwd=issued_ws.root)
    assert bad.exit_code == 2 and "“7月4日”不是日期，请写成 2022-07-04 这样的格式。" in bad.output


def test_the_received_help_is_chinese_with_examples(run, tmp_path):
    helped = run(["received", "--help"], cwd=tmp_path)
    assert helped.exit_code == 0
    for example in ("duban received --period 2022-06 --dept 市司法局 --on 2022-07-04",
                    "duban received --period 2022-06 --dept 市司法局 --confirm",
                    "duban received --period 2022-06 --dept 市司法局 --undo"):
        assert example in helped.output
    assert "Usage" not in helped.output and "Options" not in helped.output


# ---------------------------------------------------------------------------
# the ledger's migration 16


def test_a_version_15_ledger_gains_the_answers_about_a_files_time(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome, received_how)"
              " VALUES (7, 'ab', '石龙镇.xlsx', '2022-07-06 09:00:00', '2022-07-08 09:00:00', '2022-06', '石龙镇', '采纳',"
              " '文件修改时间')")
    ledger_at(path, 15, (insert, ()))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 16
        assert time_answers(ledger.conn) == {}
        answer_time(ledger.conn, 7, "2022-07-04")
        assert [(i, on) for i, (on, _) in time_answers(ledger.conn).items()] == [(7, "2022-07-04")]
        answer_time(ledger.conn, 7, None)
        assert [(i, on) for i, (on, _) in time_answers(ledger.conn).items()] == [(7, "")]
        answer_time(ledger.conn, 7, None, answered=False)
        assert time_answers(ledger.conn) == {}
        assert ledger.get(7).received_at == "2022-07-06 09:00:00"  # the receipt itself is never rewritten
