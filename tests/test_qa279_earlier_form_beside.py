"""QA279: a department sends last month's form again beside this month's.

石龙镇's May return was collected on 2 June and May merged on the 6th; June's forms went out on
20 June (due 5 July). On 4 July the town mails its June form and, beside it, its May form
re-saved (a late correction of May). Collected under the period the office confirmed at the
double-click's prompt (``collect --fetch --merge --period 2022-06``), the May form was refused
as June's (E202: a "June 退回" row for a May form, beside the accepted June return) and the May
correction was lost. A form of another month is filed under its own month (README 报送时间和逾期,
补报) unless it may be this month's return on the wrong form: beside the unit's own June form it
is a May 重报 (W209, May is merged). Alone, whatever its name says (a copied file keeps 5月 in
its name), it stays refused as June's under the office's period, the reply asking for June's form.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from conftest import drop, edit, invoke_cli, issued_path, set_clock
from test_evidence import DONE, clean, mail, reply_path, state

from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.vocab import Outcome, UnitState

pytestmark = pytest.mark.slow  # plays May and June: run in CI, out of the quick loop

MAY, JUNE = Period(2022, 5), Period(2022, 6)
SL = "石龙镇"
DOUBLE_CLICK = ["collect", "--fetch", "--merge", "--period", "2022-06"]
REDO_MAY = ("  重报：石龙镇 重新报送了2022年5月的填报表（此前已报送并采纳），该期已汇总；请运行 duban merge --period 2022-05"
            "（或双击“2-收取并汇总”，期次输入 2022-05）更新。")
JUNE_WORDS = Filling(answers={"1.2": Answer(status="已完成", progress=100, work="6月已全面完成。",
                                            evidence="东政数〔2022〕8号")})


def may_merged_june_issued(ws, monkeypatch) -> tuple[bytes, bytes]:
    """May's forms issued 28 April, 石龙镇's May return collected 2 June, May merged 6 June,
    June's forms issued 20 June: the town's May return as collected and its June form filled."""
    set_clock(monkeypatch, dt.date(2022, 4, 28))
    issue_returns(ws, "2022-05")
    may = fill_return(issued_path(ws, SL, MAY), clean())
    drop(ws, "sl5.eml", mail([(f"{SL}5月进展.xlsx", may)], date="Thu, 02 Jun 2022 10:00:00 +0800"))
    set_clock(monkeypatch, dt.date(2022, 6, 2))
    assert invoke_cli(["collect", "--period", "2022-05"], cwd=ws.root).exit_code == 0
    set_clock(monkeypatch, dt.date(2022, 6, 6))
    invoke_cli(["merge", "--period", "2022-05"], cwd=ws.root)
    set_clock(monkeypatch, dt.date(2022, 6, 20))
    issue_returns(ws, "2022-06")
    set_clock(monkeypatch, dt.date(2022, 7, 4))
    return may, fill_return(issued_path(ws, SL, JUNE), clean())


def corrected(may: bytes) -> bytes:
    """The May return opened again, a word added to its evidence, saved: other bytes."""
    def change(wb):
        for row in wb.worksheets[0].iter_rows():
            for cell in row:
                if cell.value == DONE.work:
                    cell.value = "已按要求全面完成（补充佐证材料）。"
                    return
        raise AssertionError("no progress cell")
    return edit(may, change)


def zipped(files) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            z.writestr(name, data)
    return buf.getvalue()


def records(ws) -> list[tuple[str, str, str]]:
    """(name, period, outcome) of 石龙镇's files collected on 4 July."""
    with Ledger(ws.ledger_path, readonly=True) as ledger:
        rows = ledger.conn.execute("SELECT name, period, outcome FROM receipts WHERE unit = ? "
                                   "AND received_at >= '2022-07-04' ORDER BY id", (SL,)).fetchall()
    return [tuple(r) for r in rows]


@pytest.mark.parametrize(("by", "command"), [("mail", DOUBLE_CLICK), ("zip", DOUBLE_CLICK), ("mail", ["collect"]),
                                             ("mail", ["collect", "--period", "2022-06"]),
                                             ("mail", ["run", "--period", "2022-06", "--no-fetch"])])
def test_last_months_form_beside_this_months_is_filed_under_its_own_month(ws, monkeypatch, by, command):
    """Named 5月 or not (the file names here say so; the June form beside it is enough)."""
    may, june = may_merged_june_issued(ws, monkeypatch)
    files = [(f"{SL}进展（更正）.xlsx", corrected(may)), (f"{SL}6月进展.xlsx", june)]
    if by == "mail":
        drop(ws, "sl7.eml", mail(files, date="Mon, 04 Jul 2022 16:20:00 +0800"))
        result = invoke_cli(command, cwd=ws.root)
    else:
        drop(ws, f"{SL}报送.zip", zipped(files))
        result = invoke_cli([*command, "--received", "2022-07-04"], cwd=ws.root)
    if command[0] == "run":
        assert "采纳 2，退回 0" in result.output.splitlines()[1] and "反馈表" not in result.output, result.output
        assert records(ws) == [(f"{SL}进展（更正）.xlsx", "2022-05", Outcome.ACCEPTED),
                               (f"{SL}6月进展.xlsx", "2022-06", Outcome.ACCEPTED)]
        return
    lines = result.output.splitlines()
    assert lines[1] == "  采纳 2，退回 0，无法读取 0，重复 0，已被替代 0", result.output
    # said once, with no 请核实 of June's progress on the May form: June's form came with it
    assert lines[2] == REDO_MAY and not [line for line in lines if "请核实" in line], result.output
    assert not [line for line in lines if line.startswith("  退回")] and "需回复" not in result.output
    assert records(ws) == [(f"{SL}进展（更正）.xlsx", "2022-05", Outcome.ACCEPTED),
                           (f"{SL}6月进展.xlsx", "2022-06", Outcome.ACCEPTED)]
    assert state(ws, SL, "2022-06") == UnitState.ON_TIME
    assert state(ws, SL, "2022-05") == UnitState.ON_TIME
    assert not list(ws.root.glob("反馈/**/*.eml"))  # no reply drafted
    assert result.exit_code == 1  # the May 重报 asks for May to be merged again


@pytest.mark.parametrize("command", [DOUBLE_CLICK, ["collect", "--period", "2022-06"]])
def test_last_months_form_alone_under_a_period_stays_refused(ws, monkeypatch, command):
    """Alone, named 5月 or not: a period the office gave refuses another month's loose form (README:
    a mistyped period is undone by putting the files back). Its name is no proof of May: a
    department copying last month's file keeps its name, and filed as May's, June's progress in it
    would leave June 未报送 in the 通报."""
    may, _ = may_merged_june_issued(ws, monkeypatch)
    drop(ws, "sl7.eml", mail([(f"{SL}5月进展.xlsx", corrected(may))], subject="石龙镇5月进展（更正）",
                             date="Mon, 04 Jul 2022 16:20:00 +0800"))
    result = invoke_cli(command, cwd=ws.root)
    assert result.exit_code == 1 and result.output.splitlines()[1] == "  采纳 0，退回 1，无法读取 0，重复 0，已被替代 0"
    assert records(ws) == [(f"{SL}5月进展.xlsx", "2022-06", Outcome.RETURNED)]


def test_last_months_form_unchanged_beside_this_months_is_a_duplicate(ws, monkeypatch):
    may, june = may_merged_june_issued(ws, monkeypatch)
    drop(ws, "sl7.eml", mail([(f"{SL}5月进展.xlsx", may), (f"{SL}6月进展.xlsx", june)],
                             date="Mon, 04 Jul 2022 16:20:00 +0800"))
    result = invoke_cli(DOUBLE_CLICK, cwd=ws.root)
    assert result.exit_code == 0 and result.output.splitlines()[1] == "  采纳 1，退回 0，无法读取 0，重复 1，已被替代 0"
    assert records(ws) == [(f"{SL}5月进展.xlsx", "2022-05", Outcome.DUPLICATE),
                           (f"{SL}6月进展.xlsx", "2022-06", Outcome.ACCEPTED)]


@pytest.mark.parametrize("name", [f"{SL}6月进展.xlsx", f"{SL}进展.xlsx", "2022年5月_石龙镇_进展填报表.xlsx"])
def test_this_months_progress_on_last_months_form_stays_refused_as_this_months(ws, monkeypatch, name):
    """June's progress typed on the May form: named as June's, naming no month (QA172), or the May
    form's own name kept (the file copied from last month)."""
    may_merged_june_issued(ws, monkeypatch)
    drop(ws, "sl7.eml", mail([(name, fill_return(issued_path(ws, SL, MAY), JUNE_WORDS))],
                             date="Mon, 04 Jul 2022 16:20:00 +0800"))
    result = invoke_cli(DOUBLE_CLICK, cwd=ws.root)
    assert result.output.splitlines()[1:3] == [
        "  采纳 0，退回 1，无法读取 0，重复 0，已被替代 0",
        f"  退回：{name}（石龙镇） E202 这是2022年5月的填报表，不是本期（2022年6月）的。请使用本期下发的填报表。"], result.output
    assert records(ws) == [(name, "2022-06", Outcome.RETURNED)]
    assert state(ws, SL, "2022-06") == UnitState.TO_FIX
    assert reply_path(ws, SL, JUNE).exists()
    assert result.exit_code == 1
