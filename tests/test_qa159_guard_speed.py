"""Reading a return costs less and means the same (QA159, W2 read + check per return): the
extent guard's tag pattern, its name matched once and its repeats possessive on Python 3.11
and later, finds the tags the patterns before it found, on 3.10 too; and a header as issued
is passed without comparing its columns one by one, while a renamed or a deleted column is
still said."""

from __future__ import annotations

import re
import sys

from conftest import edit
from hypothesis import given, settings
from hypothesis import strategies as st
from test_qa85_read_check_speed import _ALTERNATION, _FAST_TAG, as_alternation
from test_qa85_read_check_speed import tags as written_tags

from toolkit import extent as guard
from toolkit.checks import CheckContext, check_return
from toolkit.extent import _Extent
from toolkit.period import Period

# the pattern before QA159: three alternatives, each naming its tag, no possessive repeat
_BEFORE = re.compile(
    rb'<(?:c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: (?!r=)[a-z]{1,3}="[^"<>\']*")* ?(/?)>'
    rb'|row r="[1-9][0-9]{0,6}"(?: (?!r=)[A-Za-z0-9:]{1,24}="[^"<>\']*")* ?/?>'
    rb'|(c|row)[\s/>])')
# the pattern as Python 3.10 reads it (no possessive repeat), tested on any Python
_ON_310 = re.compile(_FAST_TAG.pattern.replace(b"+", b""))


@st.composite
def edges(draw) -> bytes:
    """Tags at the edges a possessive repeat could change: names and references one letter or
    digit past their limits, a value running into a quote, ``r`` among the names, ``/`` and
    ``>`` where an attribute was expected, and text between the tags."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        name = draw(st.sampled_from(["c", "row", "cc", "rows", "c:x"]))
        letters = draw(st.sampled_from(["", "A", "XF", "XFD", "XFDA", "a"]))
        digits = draw(st.sampled_from(["", "1", "0", "1234567", "12345678", "9x"]))
        ref = f' r="{letters}{digits}"' if draw(st.booleans()) else ""
        attrs = ""
        for _ in range(draw(st.integers(0, 3))):
            key = draw(st.sampled_from(["r", "s", "t", "abc", "abcd", "R", "r1", "x" * 24, "x" * 25, "cm"]))
            value = draw(st.sampled_from(["", "1", 'a"b', "a'b", "a>b", "/", " ", "\t"]))
            attrs += draw(st.sampled_from([" ", "", "  "])) + key + draw(st.sampled_from(['="', "='", "="])) + value + '"'
        end = draw(st.sampled_from([">", "/>", " />", " >", "  >", "", "/", " / >"]))
        text = draw(st.sampled_from(["", "<v>1</v></c>", "</row>", "进展 r=\"A1\"", "<c"]))
        out.append(f"<{name}{ref}{attrs}{end}{text}")
    return "".join(out).encode()


@settings(max_examples=300, deadline=None)  # 1,500 took 4.9 s of the quick loop
@given(xml=st.one_of(edges(), written_tags()))
def test_the_tag_pattern_finds_the_tags_the_patterns_before_it_found(xml: bytes) -> None:
    before = _BEFORE.findall(xml)
    assert as_alternation(_FAST_TAG.findall(xml)) == before == _ALTERNATION.findall(xml)
    assert as_alternation(_ON_310.findall(xml)) == before


def test_the_pattern_is_possessive_where_python_reads_it() -> None:
    assert (b"*+" in _FAST_TAG.pattern) == (sys.version_info >= (3, 11))
    assert _ON_310.pattern.count(b"(") == _FAST_TAG.pattern.count(b"(")
    for pattern in (guard._FAST_TAG, guard._CELL_REST, guard._ROW_REST):  # the guard's own, since QA336
        assert (b"*+" in pattern.pattern) == (sys.version_info >= (3, 11))


def test_a_sheet_is_placed_as_before() -> None:
    """Cells placed by their references, an empty one not; a second r or a tag written
    otherwise leaves the part to the token-by-token reading."""
    sheet = (b'<worksheet><sheetData><row r="2" spans="1:3"><c r="B2" s="1" t="inlineStr"><is><t>'
             b'\xe8\xbf\x9b\xe5\xb1\x95</t></is></c><c r="XFD3" s="2"/></row><row r="7">'
             b'<c r="C7" t="n"><v>80</v></c></row></sheetData></worksheet>')
    extent = _Extent(False, 10_000)
    assert extent._fast(sheet) == 3
    assert (extent.min_row, extent.max_row, extent.min_col, extent.max_col) == (1, 6, 1, 2)
    assert _Extent(False, 10_000)._fast(sheet.replace(b' s="1"', b' r="A1"')) is None
    assert _Extent(False, 10_000)._fast(sheet.replace(b'<c r="C7"', b'<c  r="C7"')) is None


def _check(ws, data: bytes):
    ctx = CheckContext(ws.load_master(), ws.limits, period=Period.parse("2022-06"))
    return check_return(data, "石龙镇.xlsx", ctx)


def _header(ref: str, value: str | None):
    def change(wb) -> None:
        wb["进展填报"][ref].value = value
    return change


def test_a_header_as_issued_says_nothing_and_a_changed_one_still_does(make_return, issued_ws) -> None:
    data = make_return("石龙镇")
    assert not [i for i in _check(issued_ws, data).issues if i.code in ("W302", "E301")]
    renamed = [i for i in _check(issued_ws, edit(data, _header("J4", "进展情况"))).issues if i.code == "W302"]
    assert [i.cell for i in renamed] == ["J4"] and "进展情况" in renamed[0].message
    deleted = [i for i in _check(issued_ws, edit(data, _header("K4", None))).issues if i.code == "E301"]
    assert [i.cell for i in deleted] == ["4:4"]
