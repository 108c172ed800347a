"""QA370: a unit 未报送 in a month whose return came on another month's form is asked about
until it reports the month (`toolkit.other_forms`).

大竹 2016, November 2026: 县民政局 was sent October's form again (`issue --period 2026-10 --dept`),
filled it and sent it on 3 December, before November's deadline. collect said so once (and
without its closing 。); status, merge, verify --check and memo then said nothing, the 通报 listed
县民政局 among 未报送的单位, and memo's own 请核实 said no return had been registered at all.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import invoke_cli, played_month, set_clock

from toolkit.filling import Filling, fill_return
from toolkit.other_forms import owed_after, owed_before
from toolkit.period import Period

DAZHU = Path(__file__).parent / "corpus" / "masters" / "dazhu_mssx_2016.docx"
OCT, NOV, DEC = Period(2026, 10), Period(2026, 11), Period(2026, 12)
UNIT = "县民政局"
ASKED = f"请核实：{UNIT} 在2026年11月计为未报送，但收到了其用其他期次填报表的报送"


class _Months:
    """An `EarlierMonths` as the rule reads it: the months issued, when each went to the unit,
    and the months it reported."""

    def __init__(self, issued: dict[Period, dt.date], reported: set[Period] = frozenset()) -> None:
        self.issued, self.reported = issued, reported

    def periods(self) -> list[Period]:
        return sorted(self.issued)

    def was_asked(self, unit: str, period: Period, by: dt.datetime) -> bool:
        return period in self.issued and self.issued[period] <= by.date()

    def owes(self, unit: str, period: Period) -> bool:
        return period not in self.reported


def _at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026 + (month > 12), (month - 1) % 12 + 1, day, 10, 0)


def test_an_earlier_form_is_read_as_the_first_later_month_it_owes():
    months = _Months({OCT: dt.date(2026, 11, 30), NOV: dt.date(2026, 11, 30), DEC: dt.date(2026, 12, 1)})
    assert owed_after(months, UNIT, OCT, _at(12, 3)) == NOV
    # November reported: December, whose form it then had
    assert owed_after(_Months(months.issued, {NOV}), UNIT, OCT, _at(12, 3)) == DEC
    # sent before November's form went out: no later month's
    assert owed_after(months, UNIT, OCT, _at(11, 20)) is None


def test_a_later_form_before_its_month_is_over_is_read_as_the_month_before():
    months = _Months({OCT: dt.date(2026, 10, 31), NOV: dt.date(2026, 11, 30), DEC: dt.date(2026, 12, 1)})
    assert owed_before(months, UNIT, DEC, _at(12, 3)) == NOV
    assert owed_before(_Months(months.issued, {NOV}), UNIT, DEC, _at(12, 3)) == OCT
    assert owed_before(_Months(months.issued, {OCT, NOV}), UNIT, DEC, _at(12, 3)) is None
    # December over: December's progress
    assert owed_before(months, UNIT, DEC, _at(13, 3)) is None


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """大竹 2016 with November 2026 issued on 30 November and October's form sent again to 县民政局."""
    tmp = tmp_path_factory.mktemp("dazhu")
    root = tmp / "ws"
    mp, _log, run = played_month(root, dt.date(2026, 11, 30), "--master", str(DAZHU), "--period", "2026-11",
                                 "--organiser", "大竹县人民政府办公室")
    run("issue")
    run("issue", "--period", "2026-10", "--dept", UNIT)
    yield root
    mp.undo()
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def office(issued, tmp_path, monkeypatch):
    """A copy of ``issued``: (send, run), a sender of 县民政局's filled form of a month and a runner of its commands on a day."""
    root = tmp_path / "ws"
    shutil.copytree(issued, root)

    def send(period: Period, name: str, filling: Filling | None = None) -> None:
        form = root / "下发" / period.label / f"{period.label}_{UNIT}_进展填报表.xlsx"
        (root / "收件箱" / name).write_bytes(fill_return(form.read_bytes(), filling or Filling()))

    def run(day: dt.date, *args: str, input: str | None = None):
        set_clock(monkeypatch, day)
        result = invoke_cli(["-w", str(root), *args], input=input)
        assert result.exit_code in (0, 1), result.output
        return result

    return send, run


def _notes(run, day: dt.date, period: Period = NOV) -> list[str]:
    return json.loads(run(day, "status", "--period", str(period), "--format", "json").stdout)["notes"]


def _october_reported(send, run) -> None:
    """县民政局's October return, on October's form, taken on 1 December: the file of 3 December on
    that form again is last month's file used again, the case asked about (QA375)."""
    send(OCT, "民政局10月.xlsx", Filling(contact={"填报人": "王芳", "联系电话": "0818-6222000", "审核人": "刘明",
                                                 "填报日期": dt.date(2026, 12, 1)}))
    run(dt.date(2026, 12, 1), "collect", "--received", "2026-12-01")


@pytest.mark.slow
def test_a_first_return_of_an_earlier_month_on_its_own_form_is_that_months(office):
    # QA375: a unit's late October return on October's form (its first) was asked about in November
    # for good, with no answer that closes it
    send, run = office
    send(OCT, "民政局进展.xlsx")
    run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert not [n for n in _notes(run, dt.date(2026, 12, 6)) if n.startswith(ASKED)]


@pytest.mark.slow
def test_last_months_form_sent_this_month_is_asked_about_until_the_month_is_reported(office):
    send, run = office
    _october_reported(send, run)
    send(OCT, "民政局进展.xlsx")
    collected = run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert (f"请核实：民政局进展.xlsx（{UNIT}）是2026年10月的填报表，已登记为2026年10月的报送；如果填的是2026年11月的进展，"
            "请该单位用2026年11月下发的填报表重报。\n") in collected.output
    after = dt.date(2026, 12, 6)
    notes = [n for n in _notes(run, after) if n.startswith(ASKED)]
    assert len(notes) == 1, notes
    assert "12月3日收到的“民政局进展.xlsx”是2026年10月的填报表，已登记为2026年10月的报送。" in notes[0]
    # no --period: it would refuse every other month's file in 收件箱 (QA375)
    assert "duban collect --received 2026-12-03" in notes[0] and "--period" not in notes[0]
    for args in (("status",), ("merge",), ("memo", "--format", "md")):
        result = run(after, *args)
        assert ASKED in result.output, args
        assert result.exit_code == 1, args
    memo = run(after, "memo", "--format", "md").output
    assert "本期没有收取登记任何单位的报送" not in memo
    assert (f"本期没有收取登记任何单位用2026年11月填报表的报送（{UNIT}报来的是其他期次的填报表，见上）。") in memo
    check = run(after, "verify", "--check")
    assert check.exit_code == 0 and "另有 1 项“请核实”需要另行办理" in check.output
    assert ASKED in run(after, "verify", input="\n").output
    # the office does as told: November's form, with the day the file came
    send(NOV, "民政局11月.xlsx")
    run(after, "collect", "--received", "2026-12-03")
    assert not [n for n in _notes(run, after) if n.startswith(ASKED)]
    status = json.loads(run(after, "status", "--format", "json", "--all").stdout)
    assert {u["单位"]: u["报送状态"] for u in status["units"]}[UNIT] == "按时报送"


@pytest.mark.slow
def test_collect_and_merge_ask_once(office):
    send, run = office
    _october_reported(send, run)
    send(OCT, "民政局进展.xlsx")
    out = run(dt.date(2026, 12, 6), "collect", "--received", "2026-12-03", "--merge").output
    assert out.count("民政局进展.xlsx") == 1, out
    assert ASKED in out


@pytest.mark.slow
def test_next_months_form_before_that_month_is_over_is_asked_about(office):
    send, run = office
    run(dt.date(2026, 12, 1), "issue", "--period", "2026-12")
    send(DEC, "民政局进展.xlsx")
    collected = run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")  # December's run: the current period
    assert (f"请核实：民政局进展.xlsx（{UNIT}）是2026年12月的填报表，已登记为2026年12月的报送；如果填的是2026年11月的进展，"
            "请该单位用2026年11月下发的填报表重报。") in collected.output
    assert collected.exit_code == 1
    notes = [n for n in _notes(run, dt.date(2026, 12, 6)) if n.startswith(ASKED)]
    assert len(notes) == 1 and "是2026年12月的填报表，其时2026年12月尚未结束，已登记为2026年12月的报送" in notes[0]
    assert not [n for n in _notes(run, dt.date(2026, 12, 6), DEC) if "其他期次填报表" in n]


@pytest.mark.slow
def test_next_months_form_after_that_month_is_its_own(office):
    send, run = office
    run(dt.date(2026, 12, 1), "issue", "--period", "2026-12")
    send(DEC, "民政局12月.xlsx")
    collected = run(dt.date(2027, 1, 3), "collect", "--received", "2027-01-03")
    assert "请核实：民政局12月.xlsx" not in collected.output
    assert not [n for n in _notes(run, dt.date(2027, 1, 3)) if n.startswith(ASKED)]


@pytest.mark.slow
def test_a_unit_that_reported_the_month_is_not_asked(office):
    send, run = office
    send(NOV, "民政局11月.xlsx")
    run(dt.date(2026, 12, 2), "collect", "--received", "2026-12-02")
    send(OCT, "民政局10月.xlsx")
    run(dt.date(2026, 12, 3), "collect", "--received", "2026-12-03")
    assert not [n for n in _notes(run, dt.date(2026, 12, 6)) if "其他期次填报表" in n]


def test_memo_does_not_say_nothing_was_registered_when_another_months_form_was():
    from types import SimpleNamespace

    from toolkit.actions.memo import none_reported_notes
    from toolkit.vocab import UnitState

    units = [SimpleNamespace(unit=u, state=UnitState.NOT_REPORTED) for u in ("县水务局", UNIT)]
    cons = SimpleNamespace(units=units, period=NOV, not_yet_due=lambda today: [], other_forms={UNIT: ["…"]})
    (note,) = none_reported_notes(cons, dt.date(2026, 12, 6))
    assert "本期没有收取登记任何单位的报送" not in note
    assert f"本期没有收取登记任何单位用2026年11月填报表的报送（{UNIT}报来的是其他期次的填报表，见上）。" in note
