"""QA204: two 请核实 questions the office could not answer, so a month kept exiting 1.

(a) 石碣镇 filled in its own form and sent it as 石排镇6月.xlsx (W206): registered as 石碣镇's, the
    file was asked about in status, merge, memo and run while 石排镇 stood 未报送. The office
    phoned: the file is 石碣镇's. `duban sender --dept 石碣镇 --theirs` now says so, and ``--undo``
    takes it back; ``--not-theirs`` was refused (the rows are 石碣镇's form: 石排镇 resends), and since
    QA356 takes the file off 石碣镇 (no unit's return).
(b) 张伟 mailed 东莞's office 1.8 MB of site photos from his own 163.com box, “6月进展填报表”: a
    mail too big to fetch of no known unit, asked about while any unit stood 未报送, even after the
    office opened it. `duban mail checked "2022-07-04 10:00"` (or the sender's address) says the
    office opened it and dealt with it; ``--undo`` takes it back.
"""

from __future__ import annotations

import datetime as dt

from conftest import PERIOD, drop, ledger_at, on_time, set_clock
from conftest import status_notes as _status
from test_disputed import LINE
from test_qa190_double_click import CST, too_big
from test_qa200_mail_leftovers import ZHANG, _line, _zhang
from test_qa356_disowned_w206 import sent_back_line

from toolkit.ledger import LATEST, Ledger, schema_version
from toolkit.ledger.answers import check_disputed, check_mail, disputed_checks
from toolkit.ledger.mail_records import TOO_BIG, MailRecords
from toolkit.too_big import too_big_rows

SENDER = ["sender", "--period", "2022-06"]
FILE = "石排镇6月.xlsx"




def _wrong_name(ws, make_return, monkeypatch, run) -> None:
    """石碣镇's form, sent as 石排镇6月.xlsx on time, collected on 8 July."""
    drop(ws, FILE, make_return("石碣镇"), on_time())
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)


def _received_at(ws) -> str:
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        (rec,) = [r for r in ledger.receipts(PERIOD) if r.name == FILE]
    return rec.received_at[:16]


# ---------------------------------------------------------------------------
# (a) a file named for another unit, answered as its registered unit's


def test_theirs_says_the_file_is_the_registered_units_and_the_question_stops(issued_ws, make_return,
                                                                               monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    _, notes, _ = _status(run, issued_ws)
    assert LINE in notes
    answered = run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert answered.output == (f"已记录：石碣镇 2022年6月的“{FILE}”（{_received_at(issued_ws)}）是石碣镇的报送，不是石排镇的；"
                               "汇总、查看报送情况和生成通报时不再提示。\n")
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    (said,) = [t for t in told if FILE in t]
    assert said.startswith(f"已核实：“{FILE}”是石碣镇的报送，不是石排镇的（")
    assert said.endswith("记录）；石排镇 在2022年6月计为未报送。如需撤销，请双击“5-逐条核实”或运行 duban sender --period 2022-06 --dept 石碣镇 --undo")
    memo = run(["memo", "--format", "md"], cwd=issued_ws.root)
    assert said in memo.output.splitlines() and LINE not in memo.output.replace("\n", "")


def test_undo_asks_again(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    run([*SENDER, "--dept", "石碣镇", "--theirs"], cwd=issued_ws.root)
    undone = run([*SENDER, "--dept", "石碣镇", "--undo"], cwd=issued_ws.root)
    assert undone.exit_code == 0
    assert undone.output == (f"已撤销：石碣镇 2022年6月的“{FILE}”（{_received_at(issued_ws)}）是石碣镇报送的核实；"
                             "汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    code, notes, told = _status(run, issued_ws)
    assert code == 1 and LINE in notes and not [t for t in told if FILE in t]
    again = run([*SENDER, "--dept", "石碣镇", "--undo"], cwd=issued_ws.root)
    assert again.exit_code == 2 and "错误：石碣镇 在2022年6月没有已记录的发件人核实，无需撤销。" in again.output


def test_not_theirs_takes_the_file_off_the_registered_unit(issued_ws, make_return, monkeypatch, run):
    # refused until QA356 (the rows are 石碣镇's form, never 石排镇's); now the file is no unit's
    # return: 石碣镇, which never reported, is no longer 按时报送 on it (test_qa356_disowned_w206.py)
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    answered = run([*SENDER, "--dept", "石碣镇", "--not-theirs"], cwd=issued_ws.root)
    assert answered.exit_code == 0, answered.output
    assert answered.output.splitlines()[0] == (
        f"已记录：石碣镇 2022年6月的“{FILE}”（{_received_at(issued_ws)}）不是石碣镇的报送，不再计入石碣镇；石碣镇 由按时报送"
        f"（报送时间 {_received_at(issued_ws)}）改计为未报送。{sent_back_line(issued_ws)}"
        "汇总、查看报送情况和生成通报时不再提示。")
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        ((at, theirs),) = disputed_checks(ledger.conn).values()
        assert at and theirs is False
    code, notes, _ = _status(run, issued_ws)
    assert code == 0 and LINE not in notes


def test_an_answer_about_the_unit_named_points_at_the_registered_one(issued_ws, make_return, monkeypatch, run):
    _wrong_name(issued_ws, make_return, monkeypatch, run)
    r = run([*SENDER, "--dept", "石排镇", "--not-theirs"], cwd=issued_ws.root)
    assert r.exit_code == 2
    assert (f"错误：“{FILE}”已按石碣镇登记，请按登记的单位回答：核实确是石碣镇的报送，请运行 duban sender --period 2022-06"
            " --dept 石碣镇 --theirs；是石排镇的，请运行 duban sender --period 2022-06 --dept 石碣镇 --not-theirs"
            "（不再计为石碣镇的报送），并请石排镇用本单位的填报表重报（已重报的不必再报）。") in r.output.splitlines()


def test_the_sender_help_names_the_w206_answer(run, tmp_path):
    helped = run(["sender", "--help"], cwd=tmp_path)
    assert "duban sender --period 2022-06 --dept 石碣镇 --theirs" in helped.output
    assert "“石排镇6月.xlsx”" in helped.output


# ---------------------------------------------------------------------------
# (b) a mail too big to fetch, checked by the office


def test_a_mail_checked_is_asked_about_no_more_and_said_instead(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    line = _line(issued_ws)
    assert line in _status(run, issued_ws)[1]
    checked = run(["mail", "checked", "2022-07-04 10:00"], cwd=issued_ws.root)
    assert checked.exit_code == 0, checked.output
    mail = f"邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）"
    assert checked.output == (f"已记录：{mail}已打开核实，汇总、查看报送情况和生成通报时不再提示。如需撤销，请双击“5-逐条核实”或运行 "
                              'duban mail checked "2022-07-04 10:00" --undo\n')
    code, notes, told = _status(run, issued_ws)
    assert (code, notes) == (0, [])
    (said,) = [t for t in told if ZHANG in t]
    assert said.startswith(f"已核实：{mail}已打开核实（") and said.endswith(
        '记录），不再提示。如需撤销，请双击“5-逐条核实”或运行 duban mail checked "2022-07-04 10:00" --undo')
    merged = run(["merge"], cwd=issued_ws.root)
    assert said in merged.output.splitlines() and line not in merged.output.splitlines()


def test_by_the_senders_address_and_undone(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    assert run(["mail", "checked", "Zhang.Wei@163.com"], cwd=issued_ws.root).exit_code == 0
    undone = run(["mail", "checked", ZHANG, "--undo"], cwd=issued_ws.root)
    assert undone.output == (f"已撤销：邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）的核实记录；"
                             "汇总、查看报送情况和生成通报时将重新提示“请核实”。\n")
    code, notes, told = _status(run, issued_ws)
    assert code == 1 and _line(issued_ws) in notes and not [t for t in told if ZHANG in t]
    again = run(["mail", "checked", ZHANG, "--undo"], cwd=issued_ws.root)
    assert again.exit_code == 2 and (f"错误：邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）"
                                     "没有记录为已核实，无需撤销。") in again.output.splitlines()


def _second(ws, when: dt.datetime, uid: int = 8, folder: str = "INBOX", message_id: str = "<big-2@163.com>",
            subject: str = "现场照片") -> None:
    with Ledger(ws.ledger_path) as ledger:
        MailRecords(ledger.conn).record_fetch(
            account="duban@dg.gov.cn", folder=folder, uidvalidity=1, uid=uid, message_id=message_id,
            internaldate=when, size=2_097_152, sender=ZHANG, subject=subject, state=TOO_BIG,
            fetched_at="2022-07-06T18:00:00+08:00", after_fetch="keep")


def test_a_sender_of_two_mails_is_refused_and_the_note_names_how_to_answer_each(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    _second(issued_ws, dt.datetime(2022, 7, 5, 9, 30, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    (note,) = [n for n in _status(run, issued_ws)[1] if ZHANG in n]
    assert note.endswith('请逐封运行 duban mail checked "收到时间"（如 duban mail checked "2022-07-04 10:00"），'
                         "此提示即不再出现。")
    r = run(["mail", "checked", ZHANG], cwd=issued_ws.root)
    assert r.exit_code == 2
    assert (f"错误：有 2 封过大的邮件符合“{ZHANG}”：邮件“6月进展填报表”（{ZHANG}，1.8 MB，2022-07-04 10:00 收到）、"
            f"邮件“现场照片”（{ZHANG}，2.0 MB，2022-07-05 09:30 收到）。请写明收到时间，一次核实一封，"
            '如 duban mail checked "2022-07-04 10:00"。') in r.output.splitlines()
    assert run(["mail", "checked", "2022-07-05 09:30"], cwd=issued_ws.root).exit_code == 0
    (note,) = [n for n in _status(run, issued_ws)[1] if ZHANG in n]  # the first still asked about
    assert "现场照片" not in note and note.endswith('请运行 duban mail checked "2022-07-04 10:00"，此提示即不再出现。')
    assert run(["mail", "checked", "2022-07-04"], cwd=issued_ws.root).exit_code == 0  # the day alone: one left
    assert not [n for n in _status(run, issued_ws)[1] if ZHANG in n]


def test_no_such_mail_is_a_usage_error(issued_ws, run):
    r = run(["mail", "checked", "2022-08-01"], cwd=issued_ws.root)
    assert r.exit_code == 2
    assert ('错误：没有符合“2022-08-01”的过大邮件（发件地址或收到时间，如 duban mail checked "2022-07-04 10:00"；'
            "见 duban status 的“请核实”）。") in r.output.splitlines()


def test_the_same_mail_seen_again_in_another_folder_stays_checked(issued_ws, monkeypatch, run):
    _zhang(issued_ws)
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    run(["mail", "checked", "2022-07-04 10:00"], cwd=issued_ws.root)
    # moved by the office to 已处理 and seen there by the next fetch: a second row, not checked
    _second(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST), uid=3, folder="已处理",
            message_id="<big-1@dg.gov.cn>", subject="6月进展填报表")
    assert not [n for n in _status(run, issued_ws)[1] if ZHANG in n]


def test_a_units_own_mail_checked_stops_its_note_too(issued_ws, monkeypatch, run):
    """石龙镇's mail was its photos, not its return: opened, checked; 石龙镇 still 未报送."""
    too_big(issued_ws, dt.datetime(2022, 7, 4, 10, 0, tzinfo=CST))
    set_clock(monkeypatch, dt.date(2022, 7, 6))
    (note,) = [n for n in _status(run, issued_ws)[1] if n.startswith("请核实：石龙镇 ")]
    assert note.endswith('请运行 duban mail checked "2022-07-04 10:00"，此提示即不再出现。')
    assert run(["mail", "checked", "sl@dg.gov.cn"], cwd=issued_ws.root).exit_code == 0
    _, notes, told = _status(run, issued_ws)
    assert not [n for n in notes if "sl@dg.gov.cn" in n] and [t for t in told if "sl@dg.gov.cn" in t]


def test_the_mail_checked_help_is_chinese_with_examples(run, tmp_path):
    helped = run(["mail", "checked", "--help"], cwd=tmp_path)
    assert helped.exit_code == 0
    assert 'duban mail checked "2022-07-04 10:00"' in helped.output and "--undo" in helped.output
    assert "Usage" not in helped.output and "Options" not in helped.output


# ---------------------------------------------------------------------------
# the ledger's migrations 14 and 15


def test_a_version_13_ledger_gains_the_answers_about_a_disputed_file(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO receipts(id, sha256, name, received_at, collected_at, period, unit, outcome)"
              " VALUES (7, 'ab', ?, '2022-07-04 10:00:00', '2022-07-08 09:00:00', '2022-06', '石碣镇', '已接收')")
    ledger_at(path, 13, (insert, (FILE,)))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 14
        assert disputed_checks(ledger.conn) == {}
        check_disputed(ledger.conn, 7, True)
        assert list(disputed_checks(ledger.conn)) == [7]
        check_disputed(ledger.conn, 7, False)
        assert disputed_checks(ledger.conn) == {}


def test_a_version_14_ledger_keeps_its_too_big_mails_unchecked_and_can_check_them(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    insert = ("INSERT INTO mail_fetched(account, folder, uidvalidity, uid, message_id, internaldate, size, sender,"
              " subject, state, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
    row = ("duban@dg.gov.cn", "INBOX", 1, 7, "<big-1@dg.gov.cn>", "2022-07-04T10:00:00+08:00", 1_887_436, ZHANG,
           "6月进展填报表", "too_big", "2022-07-06T18:00:00+08:00")
    ledger_at(path, 14, (insert, row), (insert, (*row[:1], "已处理", 1, 3, *row[4:])))
    with Ledger(path) as ledger:
        assert schema_version(ledger.conn) == LATEST >= 15
        (mail,) = too_big_rows(ledger, CST)
        assert mail.checked_at == "" and mail.received == dt.datetime(2022, 7, 4, 10, 0)
        check_mail(ledger.conn, mail.row, mail.message_id, True)
        assert ledger.conn.execute("SELECT count(*) FROM mail_fetched WHERE checked_at IS NOT NULL").fetchone()[0] == 2
        assert too_big_rows(ledger, CST)[0].checked_at
        check_mail(ledger.conn, mail.row, mail.message_id, False)
        assert too_big_rows(ledger, CST)[0].checked_at == ""
