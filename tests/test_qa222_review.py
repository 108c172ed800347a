"""QA222: review of QA216 (`duban received` about a file's modification time) and QA221 (a
forwarded message capped at its forward's time).

June 2022 of the fixture's plan (报送截止 Tuesday 5 July). 石龙镇 mails its return; the clerk
saves the attachment into 收件箱 days later, and the file's time makes it 逾期 until the office
answers. xfail(strict) marks a wrong result found in review, asserting the right one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, set_clock, shanghai
from conftest import status_notes as _status
from test_evidence import clean, state
from test_qa210_mail import OFFICE, TOWN, receipt, village_mail, with_office
from test_qa212_forward_and_reply import CLERK
from test_qa218_review import wrap

from toolkit.actions.collect import collect
from toolkit.consolidate import consolidate
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.ledger.answers import time_answers
from toolkit.vocab import TimeSource, UnitState
from toolkit.workspace import find_workspace

pytestmark = pytest.mark.slow

RECEIVED = ["received", "--period", "2022-06", "--dept", "石龙镇"]
SAVED = shanghai(dt.datetime(2022, 7, 6, 9, 0))
AGAIN = Filling(answers={"1.2": Answer(status="已完成", progress=100, work="已按要求全面完成，并完成复核。",
                                       evidence="东政数〔2022〕8号")})
LATER = shanghai(dt.datetime(2022, 7, 7, 9, 0))


def _saved_late(ws, make_return, monkeypatch, run, name="石龙镇.xlsx", when=SAVED, fill=None) -> bytes:
    data = make_return("石龙镇", fill or clean())
    drop(ws, name, data, when)
    set_clock(monkeypatch, dt.date(2022, 7, 8))
    run(["collect"], cwd=ws.root)
    return data


def _unit(ws) -> tuple[str, str]:
    u = next(u for u in consolidate(ws, PERIOD, tasks=False).units if u.unit == "石龙镇")
    return u.state, u.received_at




# ---------------------------------------------------------------------------
# QA216: --on a day the return cannot have come


def test_a_day_before_the_month_began_is_refused(issued_ws, make_return, monkeypatch, run):
    """(A strict xfail until the mend: the unit turned 按时 on 2022-05-20, an impossible date.)"""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    answered = run([*RECEIVED, "--on", "2022-05-20"], cwd=issued_ws.root)
    assert answered.exit_code == 2
    assert answered.output == ("错误：收到日期 2022-05-20 早于2022年6月开始（2022-06-01），"
                               "2022年6月的报送不会在此之前收到，请写实际收到报送的日期。\n")
    with Ledger(issued_ws.ledger_path, readonly=True) as ledger:
        assert time_answers(ledger.conn) == {}
    assert _unit(issued_ws)[0] == UnitState.LATE


def test_a_stated_day_in_the_month_judges_it(issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    assert run([*RECEIVED, "--on", "2022-07-01"], cwd=issued_ws.root).exit_code == 0
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-01 00:00")


# ---------------------------------------------------------------------------
# QA216: more files of the unit


def test_two_late_files_the_question_names_the_first_and_the_answer_applies_to_it(
        issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    _saved_late(issued_ws, make_return, monkeypatch, run, "石龙镇（更正）.xlsx", LATER, fill=AGAIN)
    code, notes, _ = _status(run, issued_ws)
    asked = [n for n in notes if "文件修改时间" in n]
    assert code == 1 and len(asked) == 1 and asked[0].startswith("请核实：石龙镇.xlsx：") and "2022-07-06 09:00" in asked[0]
    answered = run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    assert "“石龙镇.xlsx”" in answered.stdout
    assert _unit(issued_ws)[0] == UnitState.ON_TIME
    assert not [n for n in _status(run, issued_ws)[1] if "文件修改时间" in n]


def test_a_stated_day_then_a_later_file_leaves_it_on_time_and_asks_nothing(
        issued_ws, make_return, monkeypatch, run):
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--on", "2022-07-04"], cwd=issued_ws.root)
    _saved_late(issued_ws, make_return, monkeypatch, run, "石龙镇_修改.xlsx", shanghai(dt.datetime(2022, 7, 8, 9)), AGAIN)
    assert _unit(issued_ws)[0] == UnitState.ON_TIME
    _, notes, told = _status(run, issued_ws)
    assert not [n for n in notes if "文件修改时间" in n]
    assert [t for t in told if "2022-07-04" in t and "按时报送" in t]


def test_a_stated_day_late_then_a_later_file_asks_about_neither(issued_ws, make_return, monkeypatch, run):
    """--on 7月6日 (still 逾期): the first file decides; a later file's own time is not asked about."""
    _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--on", "2022-07-06"], cwd=issued_ws.root)
    _saved_late(issued_ws, make_return, monkeypatch, run, "石龙镇_修改.xlsx", shanghai(dt.datetime(2022, 7, 8, 9)), AGAIN)
    assert _unit(issued_ws) == (UnitState.LATE, "2022-07-06 00:00")
    assert not [n for n in _status(run, issued_ws)[1] if "文件修改时间" in n]


def test_confirm_then_the_file_collected_with_received_is_on_time_and_not_told_late(
        issued_ws, make_return, monkeypatch, run):
    data = _saved_late(issued_ws, make_return, monkeypatch, run)
    run([*RECEIVED, "--confirm"], cwd=issued_ws.root)
    drop(issued_ws, "石龙镇.xlsx", data, SAVED)
    run(["collect", "--received", "2022-07-04"], cwd=issued_ws.root)
    assert _unit(issued_ws) == (UnitState.ON_TIME, "2022-07-04 00:00")
    code, notes, told = _status(run, issued_ws)
    assert code == 0 and not [n for n in notes if "文件修改时间" in n]
    assert not [t for t in told if "逾期" in t], told


# ---------------------------------------------------------------------------
# QA221: a forward timed by a file's modification time caps nothing


def test_a_saved_eml_without_a_date_caps_nothing(issued_ws, make_return):
    """The clerk's forward, saved with no Date of its own, is timed by the file's time (7月4日):
    the forwarded message's own Date (5 July 20:00) stands, not the file's time."""
    ws = with_office(issued_ws)
    inner = village_mail(make_return("石龙镇"), to=OFFICE, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", "Tue, 05 Jul 2022 20:00:00 +0800")
    outer = wrap(inner, CLERK, OFFICE, "Tue, 05 Jul 2022 21:00:00 +0800")
    del outer["Date"]
    drop(ws, "转发.eml", outer.as_bytes(), shanghai(dt.datetime(2022, 7, 4, 9)))
    collect(find_workspace(ws.root))
    r = receipt(ws)
    assert r.received_at == "2022-07-05 20:00:00" and r.received_how != TimeSource.DOUBTFUL


def test_nested_forwards_cap_the_inner_at_the_middle(issued_ws, make_return):
    """石龙镇's mail (6 July 12:00 by a -0800 zone) forwarded by 石龙镇 at 5 July 20:00, that
    forwarded again by the clerk at 5 July 21:00: the inner is capped, never 逾期 on its own Date."""
    ws = with_office(issued_ws)
    inner = village_mail(make_return("石龙镇"), to=OFFICE, sender=f"石龙镇 <{TOWN}>")
    inner.replace_header("Date", "Tue, 05 Jul 2022 20:00:00 -0800")
    middle = wrap(inner, f"石龙镇 <{TOWN}>", CLERK, "Tue, 05 Jul 2022 20:00:00 +0800")
    drop(ws, "转发.eml", wrap(middle, CLERK, OFFICE, "Tue, 05 Jul 2022 21:00:00 +0800").as_bytes())
    collect(find_workspace(ws.root))
    r = receipt(ws)
    # capped (at a forward of 5 July, not the inner's 6 July 12:00) and doubted (W207): 按时, stated date decides
    assert r.received_at.startswith("2022-07-05") and r.received_how == TimeSource.DOUBTFUL
    assert state(ws, "石龙镇") == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# QA216: a unit renamed since (机构改革: 市金融工作局 → 市地方金融监督管理局)


@pytest.mark.parametrize("named", ["市金融工作局", "市地方金融监督管理局"])
def test_a_unit_renamed_since_is_answered_under_either_name(tmp_path, _session_workspace, named):
    from test_qa96_done_units_exempt import at, on_day
    from test_qa119_reorganised_quarter import FIN, FIN_NOW, JUNE, ONGOING, june_issued, reorganise, send

    from toolkit.actions.received import answer_received
    with pytest.MonkeyPatch.context() as mp:
        ws = june_issued(mp, _session_workspace, tmp_path)
        on_day(mp, dt.date(2022, 7, 8))
        send(ws, JUNE, FIN, Filling(default=ONGOING), at(2022, 7, 8, 9))  # the clerk saved it on the 8th
        collect(ws)
        on_day(mp, dt.date(2022, 7, 10))
        reorganise(ws)

        def fin():
            cons = consolidate(ws, JUNE, tasks=False)
            return (next(u for u in cons.units if u.unit in (FIN, FIN_NOW)),
                    [n for n in cons.office_notes() if "文件修改时间" in n], cons.told())

        unit, asked, _ = fin()
        assert unit.state == UnitState.LATE and len(asked) == 1 and unit.unit in asked[0]
        answer_received(ws, JUNE, named, dt.date(2022, 7, 4))
        unit, asked, told = fin()
        assert (unit.state, unit.received_at, asked) == (UnitState.ON_TIME, "2022-07-04 00:00", [])
        assert [t for t in told if "2022-07-04" in t and unit.unit in t]


# ---------------------------------------------------------------------------
# QA221: no organiser in duban.toml, no [mail]


def test_without_an_organiser_no_address_is_the_offices():
    from test_qa212_forward_and_reply import SZ
    from test_qa221_forwards import _directory

    from toolkit.addresses import office_mailboxes
    directory = _directory(**{SZ: OFFICE, "石龙镇": TOWN})
    office, units = office_mailboxes(frozenset(), directory, "")
    assert office == frozenset() and {OFFICE, TOWN} <= units


def test_without_an_organiser_a_forward_is_read_as_before(issued_ws, make_return):
    """No organiser and no [mail]: the village's mail to 石龙镇 (3 July), forwarded on the 7th,
    came with the forward (逾期 by the mail's own time), and collect does not fail."""
    import re

    from test_evidence import set_email
    from test_qa210_mail import forward
    from test_qa212_forward_and_reply import SZ
    set_email(issued_ws, **{SZ: OFFICE, "石龙镇": TOWN})
    text = issued_ws.config_path.read_text(encoding="utf-8")
    issued_ws.config_path.write_text(re.sub(r'(?m)^organiser = ".*"', 'organiser = ""', text, count=1), encoding="utf-8")
    ws = find_workspace(issued_ws.root)
    assert ws.organiser == ""
    drop(ws, "来信.eml", forward(village_mail(make_return("石龙镇"))))
    collect(ws)
    assert (receipt(ws).received_at, receipt(ws).received_how) == ("2022-07-07 09:00:00", TimeSource.MAIL)
    assert state(ws, "石龙镇") == UnitState.LATE
