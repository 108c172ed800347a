"""QA helper 69: a department named 逾期报送 (or a late one 按时) by the time of its return.

Each test plants what an office meets in a real month and asserts the unit's 报送状态 as
the 汇总表 and the 通报 print it (`consolidate`)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import drop
from test_evidence import clean, mail, state

from toolkit.actions.collect import collect
from toolkit.mail import parse_mail
from toolkit.vocab import UnitState

SHANGHAI_3PM = dt.datetime(2022, 7, 5, 15, 0)


@pytest.mark.parametrize("date, wall", [
    # Java's date formats (OA systems, mail gateways) write China Standard Time as CST
    ("Tue, 05 Jul 2022 15:00:00 CST", SHANGHAI_3PM),
    ("Tue Jul 05 15:00:00 CST 2022", SHANGHAI_3PM),
    # a comment is no zone; the offset decides
    ("Tue, 05 Jul 2022 15:00:00 +0800 (CST)", SHANGHAI_3PM),
    # RFC 5322: -0000 is UTC from a system that does not say its zone (Python's formatdate)
    ("Tue, 05 Jul 2022 07:00:00 -0000", SHANGHAI_3PM),
    # JavaScript's Date: the offset after GMT is the zone (the name in brackets a comment)
    ("Tue Jul 05 2022 15:00:00 GMT+0800 (CST)", SHANGHAI_3PM),
    ("Mon, 04 Jul 2022 23:00:00 GMT-0800", SHANGHAI_3PM),
    # no zone at all, or an offset no zone has: the office's own wall time, as before
    ("Tue, 05 Jul 2022 15:00:00 GMT-9999", SHANGHAI_3PM),
    ("Tue, 05 Jul 2022 15:00:00", SHANGHAI_3PM),
    # ISO, as some OA systems write it: it fell back to the saved file's time
    ("2022-07-05 15:00:00 +0800", SHANGHAI_3PM),
    ("2022-07-05T07:00:00Z", SHANGHAI_3PM),
    ("2022-07-05 15:00", SHANGHAI_3PM),
    ("2022-07-05 15:00:00 +08", SHANGHAI_3PM),
    ("2022-07-05 15:00:00 CST", SHANGHAI_3PM),  # Java's yyyy-MM-dd HH:mm:ss z
])
def test_a_mails_date_is_the_moment_its_zone_means(date, wall):
    from zoneinfo import ZoneInfo

    from toolkit.evidence import local

    parsed = parse_mail(mail([("a.xlsx", b"x")], date=date))
    assert local(parsed.date, ZoneInfo("Asia/Shanghai")) == wall


def test_a_return_sent_at_3pm_cst_on_the_deadline_day_is_on_time(issued_ws, make_return):
    """Read as US Central (-0600), 15:00 CST on 5 July was 05:00 on 6 July in Dongguan: the
    town was named 逾期报送 in the 通报, with nothing said on screen."""
    drop(issued_ws, "报送.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Tue, 05 Jul 2022 15:00:00 CST"))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_a_return_sent_after_midnight_dated_in_utc_with_minus_0000_is_late(issued_ws, make_return):
    """17:00 -0000 on 5 July is 01:00 on 6 July in Dongguan: taken as the office's wall time,
    the late town was named 按时."""
    drop(issued_ws, "报送.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                     date="Tue, 05 Jul 2022 17:00:00 -0000"))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.LATE


@pytest.mark.parametrize("stated, expected", [
    (dt.date(2022, 7, 8), UnitState.LATE), (dt.date(2022, 7, 4), UnitState.ON_TIME)])
def test_a_doubtful_time_gives_way_to_the_date_the_office_states_for_the_same_file(
        issued_ws, make_return, stated, expected):
    """A mail dated ten years ahead is W207, which asks the office to state the date with
    collect --received. The office saves the attachment into 收件箱 and states the day the
    mail came: that date decides (before, the doubtful copy kept the unit 按时 whatever the
    office stated)."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", data)], date="Tue, 05 Jul 2032 10:00:00 +0800"))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME  # decided by nothing yet
    drop(issued_ws, "石龙镇.xlsx", data)
    collect(issued_ws, received=stated)
    assert state(issued_ws, "石龙镇") == expected


def test_a_doubtful_time_of_another_version_still_names_no_one_late(issued_ws, make_return):
    """Only the same bytes vouch for a doubtful copy: a different version with a doubtful
    time may have been the one sent first, and the unit is not named 逾期 on a guess."""
    from toolkit.filling import Answer

    drop(issued_ws, "a.eml", mail([("石龙镇.xlsx", make_return("石龙镇", clean()))],
                                  date="Tue, 05 Jul 2032 10:00:00 +0800"))
    collect(issued_ws)
    other = make_return("石龙镇", clean(), **{"4_3": Answer(progress=70, work="更新后的进展。")})
    drop(issued_ws, "b.eml", mail([("石龙镇.xlsx", other)], date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def test_the_same_file_mailed_again_after_the_deadline_leaves_a_doubtful_time_deciding_nothing(
        issued_ws, make_return):
    """Only the date the office states vouches for a doubtful copy (review): a department that
    fixed its clock and sent the same file again on 8 July, when the office asked, may well
    have sent it first on time, and is not named 逾期 on its second mail's date."""
    data = make_return("石龙镇", clean())
    drop(issued_ws, "来信.eml", mail([("石龙镇.xlsx", data)], date="Tue, 05 Jul 2032 10:00:00 +0800"))
    collect(issued_ws)
    drop(issued_ws, "再发.eml", mail([("石龙镇.xlsx", data)], date="Fri, 08 Jul 2022 10:00:00 +0800"))
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


def _form_with_unit_cell(ws, unit: str, typed: str) -> bytes:
    """``unit``'s form filled in, its 填报单位 typed over with ``typed``."""
    from conftest import issued_path
    from openpyxl import load_workbook

    from toolkit.filling import fill_return

    wb = load_workbook(issued_path(ws, unit))
    sheet = wb["进展填报"]
    label = next(c for row in sheet.iter_rows(max_row=3) for c in row if c.value == "填报单位")
    sheet.cell(label.row, label.column + 1).value = typed
    form = ws.root / "借用.xlsx"
    wb.save(form)
    return fill_return(form, clean())


def test_a_neighbours_form_with_the_unit_typed_over_is_w206_on_screen(issued_ws):
    """石龙镇 fills in 中堂镇's form, its 填报单位 typed over with its own name (the sheet's
    protection has no password), and keeps the file's name. The form's _meta records it for
    中堂镇 as before; but nothing was said, and 石龙镇 stood 未报送 in the 通报 unseen."""
    from conftest import on_time

    drop(issued_ws, "2022年6月_中堂镇_进展填报表.xlsx", _form_with_unit_cell(issued_ws, "中堂镇", "石龙镇"), on_time())
    result = collect(issued_ws)
    assert [m for _, m in result.disputed] == [
        "填报表内置的单位信息是中堂镇，但表中的填报单位指向石龙镇。已按中堂镇登记；"
        "如实际是石龙镇报送的，请石龙镇用本单位的填报表重报。"]
    assert state(issued_ws, "中堂镇") == UnitState.ON_TIME


def test_a_unit_cell_naming_the_forms_own_unit_is_quiet(issued_ws):
    """The 填报单位 written out in full (东莞市中堂镇人民政府) names the same unit: no W206."""
    from conftest import on_time

    drop(issued_ws, "a.xlsx", _form_with_unit_cell(issued_ws, "中堂镇", "东莞市中堂镇人民政府"), on_time())
    assert collect(issued_ws).disputed == []
