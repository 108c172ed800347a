"""Reading and checking a return costs less again (issue 19, W2: 1.18 -> 1.12 ms CPU a return)
and means the same: the prefix hint found by walking the colons finds what its pattern found,
descriptor 2 is silenced and given back as before by a class instead of a generator, the
periods, month ends and labels remembered are the ones computed, and an accepted file builds
no Path for a refusal it does not get."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.spreadsheet as spreadsheet
from toolkit.dates import month_end
from toolkit.errors import BadPeriod
from toolkit.extent import _PREFIX_HINT, _Extent, _prefixed
from toolkit.period import Period
from toolkit.returns import _label_of, read_return
from toolkit.settings import Limits
from toolkit.spreadsheet import ReadFailure, native_stderr_silenced, open_spreadsheet

CORPUS = Path(__file__).parent / "corpus" / "foreign"
_PIECES = [b":", b"c", b"row", b"r", b" ", b"\t", b"\x0b", b"\n", b"/", b">", b"<", b"x", b"http://", b"A1:N14",
           b"10:30", b"<x:c ", b"<c r=\"A1\">", b"</x:c>", b"\xe5\xa1\xab"]


@settings(max_examples=1500, deadline=None)
@given(parts=st.lists(st.sampled_from(_PIECES), max_size=400))
def test_the_colon_walk_finds_what_the_hint_pattern_found(parts: list[bytes]) -> None:
    """Up to 400 pieces: many texts hold more than the 64 colons walked one by one, after
    which the pattern searches the rest."""
    xml = b"".join(parts)
    assert _prefixed(xml) == (_PREFIX_HINT.search(xml) is not None)


def _sheet(times: int, cell: str) -> bytes:
    """A canonical sheet whose 工作进展 holds ``times`` clock times (9:30, each a colon) before
    a cell written as ``cell``."""
    text = "，".join(f"{9 + i % 9}:30 召开推进会" for i in range(times))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="5"><c r="J5" t="inlineStr"><is><t>{text}</t></is></c>{cell}</row>'
            '</sheetData></worksheet>').encode()


@pytest.mark.parametrize("times", [0, 63, 64, 65, 300])
def test_a_prefixed_cell_after_many_clock_times_is_still_seen(times: int) -> None:
    """A 工作进展 full of meeting times (9:30) puts its colons before a WPS-style x:c cell: the
    hint still sees it, past the 64th colon too, and the part is read token by token."""
    assert not _prefixed(_sheet(times, '<c r="K5" t="inlineStr"><is><t>无</t></is></c>'))
    odd = _sheet(times, '<x:c r="XFD1048576"><v>1</v></x:c>')
    assert _prefixed(odd)
    assert _Extent(False, 10**12)._fast(odd) is None


@pytest.mark.parametrize("name", ["wps_x-prefixed-ns_cjk-sheetname.xlsx", "tencent-docs_ns2-prefixed_cjk.xlsx"])
def test_real_prefixed_sheets_are_seen_as_prefixed(name: str) -> None:
    data = zipfile.ZipFile(CORPUS / name).read("xl/worksheets/sheet1.xml")
    assert _prefixed(data) and _PREFIX_HINT.search(data)


def _stderr_is_devnull() -> bool:
    return os.path.samestat(os.fstat(2), os.stat(os.devnull))


def test_stderr_is_silenced_nested_and_given_back() -> None:
    """A class, not a generator (1.5 µs a use, four uses a return); descriptor 2 goes to the
    null device for the outer block only, and comes back after an exception as after success."""
    assert isinstance(native_stderr_silenced, type)
    before = os.fstat(2)
    with native_stderr_silenced():
        assert _stderr_is_devnull()
        with native_stderr_silenced():
            assert _stderr_is_devnull()
        assert _stderr_is_devnull()  # the nested block gave nothing back early
    assert os.path.samestat(os.fstat(2), before)
    with pytest.raises(ValueError), native_stderr_silenced():
        raise ValueError("calamine")
    assert os.path.samestat(os.fstat(2), before)
    assert spreadsheet._SILENCED == [False]


def test_periods_and_month_ends_are_remembered_as_computed() -> None:
    """Every return's _meta says 2022-06: parsed once; a text that is no period still raises
    every time (nothing wrong is remembered)."""
    assert Period.parse("2022-06") is Period.parse("2022-06") == Period(2022, 6)
    assert Period.parse("2022年6月") == Period(2022, 6)
    for _ in range(2):
        with pytest.raises(BadPeriod):
            Period.parse("2022-13")
    long = "2022-06" + " " * 20  # not remembered, the same answer
    assert Period.parse(long) == Period(2022, 6)
    assert month_end(2022, 6).isoformat() == "2022-06-30" and month_end(2024, 2).day == 29
    assert month_end(2022, 12).isoformat() == "2022-12-31"
    assert month_end.cache_info().hits + month_end.cache_info().misses > 0


@pytest.mark.parametrize("text,label", [("填报单位", "填报单位"), ("填报单位：", "填报单位"), (" 联系电话: ", "联系电话"),
                                        ("填 报 期", "填报期"), ("市公安局", None), ("填报单位" * 10, None)])
def test_labels_are_named_as_before(text: str, label: str | None) -> None:
    assert _label_of(text) == label


def test_an_accepted_return_builds_no_path(make_return, issued_ws, monkeypatch) -> None:
    """The extension is only named in a refusal (E101/E103): 5 µs of every accepted read."""
    data = make_return("石龙镇")

    def no_path(*_a, **_k):
        raise AssertionError("Path built for an accepted file")

    monkeypatch.setattr(spreadsheet, "Path", no_path)
    raw = read_return(data, "石龙镇.xlsx", issued_ws.limits)
    assert raw.sheet == "进展填报" and raw.meta["department"] == "石龙镇"
    monkeypatch.undo()
    with pytest.raises(ReadFailure) as refused:
        open_spreadsheet(b"%PDF-1.7\n" + b"0" * 200, "石龙镇6月进展.pdf", Limits())
    assert refused.value.code == "E103" and refused.value.params["ext"] == ".pdf"
    with pytest.raises(ReadFailure) as broken:
        open_spreadsheet(b"PK\x03\x04" + b"\0" * 60, "石龙镇.xlsx", Limits())
    assert broken.value.code == "E101"
