"""QA helper 75: review of the ISO mail Date, province groups, winmail.dat and the single W302."""

from __future__ import annotations

import pytest
from conftest import drop
from test_evidence import clean, mail, state

from toolkit.actions.collect import collect
from toolkit.vocab import UnitState


@pytest.mark.parametrize("date", ["0001-01-01 00:00:00 +1400", "Fri, 31 Dec 9999 23:59:59 -1400"])
def test_a_date_at_the_end_of_the_calendar_is_doubtful_and_does_not_stop_collect(
        issued_ws, make_return, date):
    """0001-01-01 +1400 (now read, the ISO way) and 9999-12-31 -1400 are no moment the
    workspace's zone can show: collect stopped with OverflowError. Either is a doubtful time
    (W207) that names no department 逾期."""
    drop(issued_ws, "报送.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))], date=date))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_column_dragged_away_leaves_its_place_empty_not_a_column_inserted(issued_ws, make_return):
    """完成状态 dragged from H to the far right leaves H empty: the W302 said 第I列前插入了一列
    besides the move, an insertion the department never made."""
    from conftest import edit
    from test_qa74_columns import DONE, check, unprotected

    from toolkit.filling import Filling

    report = check(issued_ws, edit(make_return("石龙镇", Filling(answers={"1.2": DONE})),
                                   unprotected(lambda ws: ws.move_range("H4:H100", cols=20))))
    assert [(i.code, i.cell, i.message) for i in report.issues] == [
        ("W302", "AB4", "“完成状态”列移到了AB列：已按列名读取。")]
    assert report.outcome == "采纳"


def test_a_column_dragged_away_after_an_inserted_one_is_still_only_moved():
    from test_qa74_columns import HEADERS, TEMPLATE, _found

    from toolkit.column_changes import column_changes

    header = ["序号", *HEADERS[:7], None, *HEADERS[8:], HEADERS[7]]  # 序号 in front, 完成状态 to the end
    assert column_changes(TEMPLATE, _found(header), header) == (
        0, "第A列前插入了“序号”列，“完成状态”列移到了P列：已按列名读取")


def test_an_inserted_column_headed_by_a_number_is_named_as_typed():
    """A header typed as 2022 reads as the float 2022.0: the W302 said “2022.0”列."""
    from test_qa74_columns import HEADERS, TEMPLATE, _found

    from toolkit.column_changes import column_changes

    header = [*HEADERS[:5], 2022.0, *HEADERS[5:]]
    assert column_changes(TEMPLATE, _found(header), header) == (
        5, "第F列前插入了“2022”列，其后各列右移一列：已按列名读取")
