"""QA helper 78: how returns are received (an Outlook .msg's date; W206 on a unit's full name)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import types

import pytest
from conftest import drop, on_time, skip_unless_required, workspace_copy
from test_evidence import clean, mail, state
from test_qa69_times_and_verdicts import _form_with_unit_cell

from toolkit.actions.collect import collect
from toolkit.mail import parse_mail
from toolkit.mail_msg import parse_msg
from toolkit.vocab import UnitState

# a month played in the module's fixture (1-2 s): CI's full run, not the quick loop
pytestmark = pytest.mark.slow

UTC = dt.timezone.utc
#: what Outlook's MIME reader stores for "15:00:00 CST": US Central (-0600), 21:00 UTC
OUTLOOK_SUBMIT = dt.datetime(2022, 7, 5, 21, 0, tzinfo=UTC)


def _fake_msg(monkeypatch, headers: str | None, submit: dt.datetime | None):
    """An extract-msg message as parse_msg reads it: Internet headers and submit time."""
    message = types.SimpleNamespace(subject="石龙镇报送", sender="sl@example.cn", date=submit,
                                    attachments=[types.SimpleNamespace(data=b"PK", longFilename="石龙镇.xlsx")],
                                    close=lambda: None)
    if headers is not None:
        message.headerText = headers
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: message))
    return parse_msg(b"\xd0\xcf\x11\xe0")


@pytest.mark.parametrize("date", [
    "Tue, 05 Jul 2022 15:00:00 CST", "Tue Jul 05 15:00:00 CST 2022", "Tue, 05 Jul 2022 07:00:00 -0000",
    "Tue Jul 05 2022 15:00:00 GMT+0800 (CST)", "2022-07-05 15:00:00 +08", "2022-07-05 15:00:00 CST",
    "Tue, 05 Jul 2022 15:00:00"])
def test_an_outlook_msgs_date_is_its_headers_date_read_as_an_eml_reads_it(monkeypatch, date):
    """Saved as .msg, the mail dated 15:00 CST on the deadline day kept only Outlook's submit
    time (21:00 UTC, CST read as US Central): 05:00 on 6 July, 逾期报送; saved as .eml, 按时."""
    headers = f"From: sl@example.cn\r\nSubject: =?utf-8?b?5oql6YCB?=\r\nDate: {date}\r\n\r\n"
    as_msg = _fake_msg(monkeypatch, headers, OUTLOOK_SUBMIT)
    assert as_msg.date == parse_mail(mail([("a.xlsx", b"x")], date=date)).date
    assert as_msg.attachments[0].date is None  # the message's own: unpack gives it the mail's


def test_an_embedded_outlook_message_is_dated_by_its_own_headers(monkeypatch):
    """Forwarded as attachment, the department's message keeps its own headers."""
    # sent to the office (QA210: a forwarded message's Date stands only then), as the forward is
    embedded = types.SimpleNamespace(subject="中堂镇6月进展填报表", sender="zt@example.cn",
                                     date=OUTLOOK_SUBMIT, headerText="Date: Tue, 05 Jul 2022 15:00:00 CST\r\n"
                                                                    "To: office@example.cn\r\n\r\n",
                                     attachments=[types.SimpleNamespace(data=b"PK", longFilename="中堂镇.xlsx")])
    outer = types.SimpleNamespace(subject="Fwd: 报送", sender="colleague@example.cn", to="office@example.cn",
                                  date=dt.datetime(2022, 7, 8, 1, 0, tzinfo=UTC),
                                  attachments=[types.SimpleNamespace(data=embedded)], close=lambda: None)
    monkeypatch.setitem(sys.modules, "extract_msg", types.SimpleNamespace(openMsg=lambda _f: outer))
    (att,) = parse_msg(b"\xd0\xcf\x11\xe0").attachments
    assert att.date == dt.datetime(2022, 7, 5, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("headers, submit, expected", [
    # a message from the Sent folder has no Internet headers: the submit time is all there is
    (None, OUTLOOK_SUBMIT, OUTLOOK_SUBMIT),
    ("", OUTLOOK_SUBMIT, OUTLOOK_SUBMIT),
    # headers without a Date, or one no reader can read: Outlook's submit time
    ("From: sl@example.cn\r\n\r\n", OUTLOOK_SUBMIT, OUTLOOK_SUBMIT),
    ("Date: 下午三点\r\n\r\n", OUTLOOK_SUBMIT, OUTLOOK_SUBMIT),
    # Exchange's prefix before the headers
    ("Microsoft Mail Internet Headers Version 2.0\r\nDate: Tue, 05 Jul 2022 15:00:00 CST\r\n\r\n",
     OUTLOOK_SUBMIT, dt.datetime(2022, 7, 5, 7, 0, tzinfo=UTC)),
    # MS-OXCDATA's "no time" is no date (it was taken for a date in 4500: W207)
    (None, dt.datetime(4500, 8, 31, 23, 59), None),
    # a FILETIME is UTC even where extract-msg leaves it naive (before 1970)
    (None, dt.datetime(1969, 12, 31, 16, 0), dt.datetime(1969, 12, 31, 16, 0, tzinfo=UTC)),
])
def test_an_outlook_msg_without_a_readable_header_date_keeps_its_submit_time(monkeypatch, headers, submit, expected):
    assert _fake_msg(monkeypatch, headers, submit).date == expected


# ---------------------------------------------------------------------------
# a real .msg (compound file) read by extract-msg, when the `msg` extra is installed


def _outlook_msg(headers: str, submit: dt.datetime, name: str, data: bytes) -> bytes:
    """A received Outlook message: Internet headers, submit time, one attachment (MS-OXMSG)."""
    try:
        import extract_msg
    except ImportError:
        skip_unless_required("extract-msg（可选组件 msg）未安装")

    def prop(tag: int, value: bytes) -> bytes:
        return struct.pack("<II", tag, 6) + value

    ticks = (submit - dt.datetime(1601, 1, 1, tzinfo=UTC)) // dt.timedelta(microseconds=1) * 10
    writer = extract_msg.OleWriter()
    writer.addEntry("__properties_version1.0", bytes(8) + struct.pack("<IIII", 1, 1, 0, 1) + bytes(8)
                    + prop(0x00390040, struct.pack("<Q", ticks)) + prop(0x0E070003, struct.pack("<Q", 1)))
    writer.addEntry("__substg1.0_001A001F", "IPM.Note".encode("utf-16-le"))
    writer.addEntry("__substg1.0_0037001F", "石龙镇报送".encode("utf-16-le"))
    writer.addEntry("__substg1.0_007D001F", headers.encode("utf-16-le"))
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    att = "__attach_version1.0_#00000000"
    writer.addEntry(att, storage=True)
    writer.addEntry(att + "/__properties_version1.0", bytes(8) + prop(0x37050003, struct.pack("<Q", 1)))
    writer.addEntry(att + "/__substg1.0_37010102", data)
    writer.addEntry(att + "/__substg1.0_3707001F", name.encode("utf-16-le"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_return_in_an_outlook_msg_sent_at_3pm_cst_on_the_deadline_day_is_on_time(issued_ws, make_return):
    data = _outlook_msg("From: 石龙镇 <sl@example.cn>\r\nDate: Tue, 05 Jul 2022 15:00:00 CST\r\n\r\n",
                        OUTLOOK_SUBMIT, "石龙镇.xlsx", make_return("石龙镇", clean()))
    drop(issued_ws, "石龙镇报送.msg", data)
    collect(issued_ws)
    assert state(issued_ws, "石龙镇") == UnitState.ON_TIME


# ---------------------------------------------------------------------------
# W206: the 填报单位 cell names the unit by a full name the directory does not know


@pytest.fixture(scope="module")
def _traffic_template(tmp_path_factory, _session_workspace):
    """The renamed and issued workspace, made once for the module (2 s a test otherwise)."""
    from test_qa54_unit_names import rename_units

    from toolkit.actions.issue import issue_returns

    def prepare(ws):
        rename_units(ws, {"市民政局": "市公安局交警支队"})
        issue_returns(ws, "2022-06")
    return workspace_copy(_session_workspace, tmp_path_factory.mktemp("traffic") / "ws", prepare).root


@pytest.fixture
def traffic_ws(tmp_path, _traffic_template):
    """A directory with both 市公安局 and 市公安局交警支队 (a renamed seed unit), issued for June."""
    return workspace_copy(_traffic_template, tmp_path / "traffic")


@pytest.mark.parametrize("typed", ["东莞市公安局交通警察支队", "市公安局交通警察支队", "东莞市公安局交警支队"])
def test_a_units_official_name_holding_another_units_name_is_no_w206(traffic_ws, typed):
    """交警支队 writes its official name: it holds 市公安局, and the honest return was W206
    (填报单位指向市公安局), the office told to check it and to have 市公安局 report again."""
    drop(traffic_ws, "a.xlsx", _form_with_unit_cell(traffic_ws, "市公安局交警支队", typed), on_time())
    assert collect(traffic_ws).disputed == []


@pytest.mark.parametrize("typed", ["市公安局", "东莞市公安局", "东莞市公安局（治安支队）"])
def test_the_parent_bureaus_name_on_the_squads_form_is_still_w206(traffic_ws, typed):
    drop(traffic_ws, "a.xlsx", _form_with_unit_cell(traffic_ws, "市公安局交警支队", typed), on_time())
    (message,) = [m for _, m in collect(traffic_ws).disputed]
    assert "表中的填报单位指向市公安局" in message


def test_a_towns_government_named_on_a_neighbours_form_is_still_w206(issued_ws):
    drop(issued_ws, "a.xlsx", _form_with_unit_cell(issued_ws, "中堂镇", "东莞市石龙镇人民政府"), on_time())
    (message,) = [m for _, m in collect(issued_ws).disputed]
    assert "表中的填报单位指向石龙镇" in message
