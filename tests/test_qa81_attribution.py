"""QA helper 81: a received return goes to the right unit when unit names overlap, and a refused
file of no readable month to the month its unit still owed.

Dongguan names hold one another: 东莞市公安局交通警察支队 (市公安局交警支队) holds 市公安局,
中共东莞市委员会宣传部 (市委宣传部) holds 市委. The shorter unit won, and the 通报 called the
squad 未报送 while 市公安局 stood 退回待改 for a form it never sent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import PERIOD, drop, edit, issued_path, on_time, shanghai, workspace_copy
from test_evidence import clean, mail, receipts, set_email, state
from test_qa54_unit_names import rename_units

from toolkit.actions.collect import collect
from toolkit.actions.issue import issue_returns
from toolkit.filling import Answer, Filling, fill_return
from toolkit.units import Directory, Unit
from toolkit.vocab import UnitState

# a month played in the module's fixture (1-2 s): CI's full run, not the quick loop
pytestmark = pytest.mark.slow

SQUAD = "市公安局交警支队"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(scope="module")
def _named_template(tmp_path_factory, _session_workspace):
    """The renamed and issued workspace, made once for the module (2 s a test otherwise)."""
    def prepare(ws):
        rename_units(ws, {"市民政局": SQUAD, "市府办": "市委", "市司法局": "市委宣传部"})
        issue_returns(ws, "2022-06")
    return workspace_copy(_session_workspace, tmp_path_factory.mktemp("named") / "ws", prepare).root


@pytest.fixture
def named_ws(tmp_path, _named_template):
    """Seed directory plus 市公安局交警支队, 市委 and 市委宣传部 (renamed seed units), June issued.
    `rename_units` gives every unit a mailbox unitN@dg.example.cn."""
    return workspace_copy(_named_template, tmp_path / "named")


def _form(ws, unit: str, label: str | None = None, meta: bool = False, period_cell: bool = True, filling=None):
    """``unit``'s June form filled in, saved as a new workbook keeps it: without _meta, its
    填报单位 typed as ``label``, its 填报期 blank unless ``period_cell``."""
    data = fill_return(issued_path(ws, unit), filling or clean())

    def change(wb):
        if not meta:
            del wb["_meta"]
        sheet = wb["进展填报"]
        for row in sheet.iter_rows(max_row=3):
            for c in row:
                if c.value == "填报单位" and label is not None:
                    sheet.cell(c.row, c.column + 1).value = label
                if c.value == "填报期" and not period_cell:
                    sheet.cell(c.row, c.column + 1).value = None
    return edit(data, change)


def _receipt(ws, name: str):
    return next(r for r in receipts(ws) if r.name == name)


def collected_file(ws, name: str, data: bytes = PDF):
    """A file named ``name`` (a stamped PDF unless ``data`` says otherwise) saved into 收件箱
    before the deadline and collected: its receipt, and what collect said."""
    drop(ws, name, data, on_time())
    result = collect(ws)
    return _receipt(ws, name), result


# ---------------------------------------------------------------------------
# 1. the longer name holding the match, spelled in order


def test_find_in_prefers_the_longer_name_spelled_in_order():
    d = Directory([Unit("市公安局"), Unit(SQUAD), Unit("市委"), Unit("市委宣传部"), Unit("石龙镇", aliases=("石龙",)),
                   Unit("市府办", aliases=("市人民政府办公室",))])
    assert d.find_in("东莞市公安局交通警察支队6月进展") == SQUAD
    assert d.find_in("中共东莞市委员会宣传部") == "市委宣传部"
    assert d.find_in("东莞市石龙镇人民政府办公室") == "石龙镇"  # 市人民政府办公室 holds no 石龙镇
    assert d.find_in("东莞市公安局（治安支队）") == "市公安局"
    assert d.find_in("市委办公室") == "市委"
    # two longer names both spelled: a true tie names no unit, never an arbitrary one
    d.add(Unit("市公安局治安支队"))
    assert d.find_in("东莞市公安局交通治安警察支队") is None


@pytest.mark.parametrize("name, unit", [("东莞市公安局交通警察支队6月报表.pdf", SQUAD),
                                        ("中共东莞市委员会宣传部报送.pdf", "市委宣传部"),
                                        ("东莞市石龙镇人民政府.pdf", "石龙镇")])
def test_an_unreadable_file_named_by_the_longer_name_is_that_units(named_ws, name, unit):
    assert collected_file(named_ws, name)[0].unit == unit
    assert state(named_ws, unit) == UnitState.TO_FIX


def test_the_squads_form_with_its_official_name_typed_is_the_squads(named_ws):
    drop(named_ws, "进展表.xlsx", _form(named_ws, SQUAD, "东莞市公安局交通警察支队"), on_time())
    result = collect(named_ws)
    assert (result.accepted, result.returned, result.disputed) == (1, 0, [])
    assert state(named_ws, SQUAD) == UnitState.ON_TIME
    assert state(named_ws, "市公安局") == UnitState.NOT_REPORTED


# ---------------------------------------------------------------------------
# 2. rows > sender > file name > 填报单位


def test_the_rows_of_the_squads_form_outweigh_its_parents_name_typed(named_ws):
    """No _meta (saved as a new workbook), 填报单位 市公安局: the rows are the squad's."""
    drop(named_ws, "报表.xlsx", _form(named_ws, SQUAD, "东莞市公安局"), on_time())
    result = collect(named_ws)
    rec = _receipt(named_ws, "报表.xlsx")
    assert (rec.unit, rec.identified_by, rec.outcome) == (SQUAD, "任务行", "采纳")
    (message,) = [m for _, m in result.disputed]
    assert message.startswith(f"表中的任务行是{SQUAD}，但表中的填报单位指向市公安局")
    assert state(named_ws, "市公安局") == UnitState.NOT_REPORTED


def test_rows_a_unit_cut_from_its_form_do_not_make_it_another_units(named_ws):
    """市发展改革局 deletes row 11.1 of its form (saved as a new workbook: no _meta); what is
    left is exactly 市委's form (市府办's tasks). Its file name and cell say 市发展改革局, whose
    form holds every row left: the return is its own (checked for the missing row), never 市委's
    (review: the rows had outranked all three, and 市发展改革局 stood 未报送)."""
    master = named_ws.load_master()
    mine = {t.id for t, _ in master.tasks_of("市发展改革局")}
    assert mine - {"11.1"} == {t.id for t, _ in master.tasks_of("市委")}

    def cut(wb):
        sheet = wb["进展填报"]
        row = next(r[0].row for r in sheet.iter_rows(min_row=5) if str(r[0].value) == "11.1")
        sheet.delete_rows(row)
    name = "2022年6月_市发展改革局_进展填报表.xlsx"
    drop(named_ws, name, edit(_form(named_ws, "市发展改革局", "市发展改革局"), cut), on_time())
    collect(named_ws)
    rec = _receipt(named_ws, name)
    assert (rec.unit, rec.identified_by) == ("市发展改革局", "文件名")
    assert state(named_ws, "市委") == UnitState.NOT_REPORTED


def test_the_senders_mailbox_outweighs_the_file_name_and_the_cell(named_ws):
    """The towns' forms hold the same rows: the mailbox of 石龙镇 decides, W206 names 石排镇."""
    master = named_ws.load_master()
    assert {t.id for t, _ in master.tasks_of("石龙镇")} == {t.id for t, _ in master.tasks_of("石排镇")}
    set_email(named_ws, 石龙镇="sl@example.cn", 石排镇="sp@example.cn")
    form = _form(named_ws, "石龙镇", "石排镇")
    drop(named_ws, "来信.eml", mail([("2022年6月_石排镇_进展填报表.xlsx", form)], sender="sl@example.cn"))
    result = collect(named_ws)
    rec = next(r for r in receipts(named_ws) if r.parent_id)
    assert (rec.unit, rec.identified_by) == ("石龙镇", "发件人地址")
    (message,) = [m for _, m in result.disputed]
    assert "发件人地址是石龙镇" in message and "石排镇" in message
    assert state(named_ws, "石排镇") == UnitState.NOT_REPORTED


def test_the_file_name_outweighs_the_cell(named_ws):
    drop(named_ws, "2022年6月_中堂镇_进展填报表.xlsx", _form(named_ws, "中堂镇", "石龙镇"), on_time())
    result = collect(named_ws)
    assert _receipt(named_ws, "2022年6月_中堂镇_进展填报表.xlsx").unit == "中堂镇"
    (message,) = [m for _, m in result.disputed]
    assert "文件名是中堂镇" in message and "表中的填报单位指向石龙镇" in message


def test_a_form_with_its_meta_still_goes_by_its_meta(named_ws):
    set_email(named_ws, 石排镇="sp@example.cn")
    drop(named_ws, "来信.eml", mail([("进展表.xlsx", _form(named_ws, "石龙镇", meta=True))], sender="sp@example.cn"))
    collect(named_ws)
    assert next(r for r in receipts(named_ws) if r.parent_id).unit == "石龙镇"


# ---------------------------------------------------------------------------
# 3. a refused file of no readable month, sent before this month's forms went out


def test_a_refusal_sent_before_julys_issue_is_filed_under_june(run, named_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 8))
    issue_returns(named_ws, "2022-07")  # July's forms out on 8 July; 石龙镇 never reported June
    refused = _form(named_ws, "石龙镇", period_cell=False, filling=Filling(default=Answer(status="乱填")))
    drop(named_ws, "石龙镇进展.xlsx", refused, shanghai(dt.datetime(2022, 7, 6, 10, 0)))
    result = run(["collect"], cwd=named_ws.root)
    rec = _receipt(named_ws, "石龙镇进展.xlsx")
    assert (rec.unit, str(rec.period), rec.outcome) == ("石龙镇", "2022-06", "退回")
    assert "（石龙镇，计入2022年6月）" in result.stdout
    assert list((named_ws.root / "反馈" / PERIOD.label).glob("*/石龙镇_校验反馈.eml"))
    assert not (named_ws.root / "反馈" / "2022年7月").exists()
    assert state(named_ws, "石龙镇", "2022-06") == UnitState.TO_FIX
    assert state(named_ws, "石龙镇", "2022-07") == UnitState.NOT_REPORTED


def test_a_refusal_sent_after_julys_issue_stays_in_july(named_ws, collecting_on):
    collecting_on(dt.date(2022, 7, 8))
    issue_returns(named_ws, "2022-07")
    drop(named_ws, "石龙镇进展.pdf", PDF, shanghai(dt.datetime(2022, 7, 9, 10, 0)))
    collect(named_ws)
    assert str(_receipt(named_ws, "石龙镇进展.pdf").period) == "2022-07"
