"""Review qa235: `duban period --for-issue` (1-下发填报表's Enter, `workspace.period_to_issue`)
and the weak mail times of QA234 (`file_time.weak_how`, ledger ``weak_times``)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import drop, on_time, set_clock
from test_evidence import clean

from toolkit.period import Period


def _for_issue(run, ws) -> str:
    return run(["period", "--for-issue"], cwd=ws.root).output


def test_december_is_followed_by_january():
    assert str(Period.parse("2022-12").shift(1)) == "2023-01"


def test_a_stray_file_of_no_unit_does_not_move_enter_to_the_next_month(issued_ws, run):
    """Only unreadable files of no unit (a signature image, a note) came in after June was issued:
    no return did, so Enter still offers June (re-issuing it), not July, which issuing would make
    the current period."""
    drop(issued_ws, "签名.png", b"\x89PNG\r\n\x1a\nxxxx", on_time())
    drop(issued_ws, "说明.txt", "请查收".encode(), on_time())
    assert run(["collect"], cwd=issued_ws.root).exit_code == 1
    assert _for_issue(run, issued_ws) == "2022-06\n"


def test_a_refused_return_of_a_unit_moves_enter_to_the_next_month(issued_ws, run):
    """A unit's file refused (unreadable) is still its reply to the month's forms."""
    drop(issued_ws, "石龙镇.xlsx", b"not a workbook", on_time())
    run(["collect"], cwd=issued_ws.root)
    assert _for_issue(run, issued_ws) == "2022-07\n"


def test_enter_never_offers_a_month_whose_returns_came_in(issued_ws, make_return, run):
    """duban.toml's period left on June (a hand edit) while July was issued since and its
    returns came in: Enter offered July, whose forms went out and came back (QA232 again)."""
    drop(issued_ws, "石龙镇.xlsx", make_return("石龙镇", clean()), on_time())
    run(["collect"], cwd=issued_ws.root)
    assert run(["issue", "--period", "2022-07"], cwd=issued_ws.root).exit_code in (0, 1)
    from toolkit.ledger import Ledger

    with Ledger(issued_ws.ledger_path) as ledger:  # a July return, as collect would record it
        ledger.conn.execute(
            "INSERT INTO receipts(sha256, name, received_at, collected_at, period, unit, outcome, received_how)"
            " VALUES ('cd', '石龙镇7月.xlsx', '2022-08-03 09:00:00', '2022-08-03 10:00:00', '2022-07', '石龙镇',"
            " '采纳', '文件修改时间')")
    cfg = issued_ws.root / "duban.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('period = "2022-07"', 'period = "2022-06"'),
                   encoding="utf-8")
    assert run(["period"], cwd=issued_ws.root).output == "2022-06\n"
    assert _for_issue(run, issued_ws) == "2022-08\n"


def _refused_then_corrected(issued_ws, make_return, monkeypatch, run, refused) -> tuple[int, list[str]]:
    """石龙镇's damaged file brought in on 8 July by ``refused`` (ws, its bytes), its correction
    mailed by the town the next day, inside the reply's grace: status's exit code and notes."""
    from test_evidence import mail
    from test_qa210_mail import TOWN, with_office

    ws = with_office(issued_ws)
    good = make_return("石龙镇", clean())
    refused(ws, good[: len(good) // 2])
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)
    drop(ws, "来信.eml", mail([("石龙镇.xlsx", good)], sender=TOWN, date="Sat, 09 Jul 2022 09:10:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 7, 9))
    run(["collect"], cwd=ws.root)
    status = run(["status", "--format", "json"], cwd=ws.root)
    return status.exit_code, json.loads(status.stdout)["notes"]


def test_a_refused_file_on_a_weak_mail_time_that_denied_the_grace_is_asked_about(
        issued_ws, make_return, monkeypatch, run):
    """石龙镇's damaged file reached the office in a colleague's inline forward of 8 July (its own
    mail's time unknown); refused, its correction came by mail the next day, inside the reply's
    grace. Had the refused file come by 5 July, 石龙镇 would be 按时; it stands 逾期 on the
    forward's time alone, as on a refused file's modification time, which is asked about."""
    from test_evidence import mail

    def forwarded(ws, data):
        drop(ws, "转发.eml", mail([("石龙镇.xlsx", data)], sender="wang@dg.example.cn",
                                subject="转发：石龙镇6月进展报送", date="Fri, 08 Jul 2022 09:10:00 +0800"))

    code, notes = _refused_then_corrected(issued_ws, make_return, monkeypatch, run, forwarded)
    assert code == 1 and any("只因此前退回的文件按转发邮件的发送时间（2022-07-08 09:10）计为截止后收到，"
                             "原邮件是转发的，其发送时间不详，退回通知给的更正期限因此不计" in n for n in notes), notes


def test_the_refused_file_on_its_modification_time_is_asked_about(issued_ws, make_return, monkeypatch, run):
    """The same with the refused file saved into 收件箱 by hand on 8 July: asked (QA216)."""
    from conftest import late

    code, notes = _refused_then_corrected(issued_ws, make_return, monkeypatch, run,
                                          lambda ws, data: drop(ws, "石龙镇.xlsx", data, late()))
    assert code == 1 and any("只因此前退回的文件按文件修改时间（2022-07-08 09:30）" in n for n in notes), notes
