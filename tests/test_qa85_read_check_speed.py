"""Reading and checking a return costs less (W2 read + check per return) and means the same:
the extent guard's look-ahead pattern finds the tags the alternation found, the cells of a
row are named when asked, the master's texts compared raw first still give W405 for an edit,
and only short texts' keys are remembered."""

from __future__ import annotations

import re
import sys

from conftest import edit
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.checks import CheckContext, check_return
from toolkit.period import Period
from toolkit.returns import read_return
from toolkit.text import _short_key, key, short_key

# the pattern before: each attribute name an alternation, the attributes a greedy repeat
_ALTERNATION = re.compile(
    rb'<(?:c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: (?:[a-qs-z][a-z]{0,2}|r[a-z]{1,2})="[^"<>\']*")* ?(/?)>'
    rb'|row r="[1-9][0-9]{0,6}"(?: (?:[A-Za-qs-z0-9:][A-Za-z0-9:]{0,23}|r[A-Za-z0-9:]{1,23})="[^"<>\']*")* ?/?>'
    rb'|(c|row)[\s/>])')

# QA159's pattern, the extent guard's from then to QA336: one pass, each cell's attributes
# matched in it (QA336 judges a tag's attributes once for each distinct shape and places every
# part as this pattern's pass did: test_qa336_guard_speed.py)
_FAST_TAG = re.compile((
    rb'<(?:c(?: r="([A-Z]{1,3}+)([1-9][0-9]{0,6}+)"(?: (?!r=)[a-z]{1,3}+="[^"<>\']*+")*+ ?(/?)>|([\s/>]))'
    rb'|row(?: r="[1-9][0-9]{0,6}+"(?: (?!r=)[A-Za-z0-9:]{1,24}+="[^"<>\']*+")*+ ?/?>|([\s/>])))'
).replace(b"+", b"" if sys.version_info < (3, 11) else b"+"))

_NAMES = ["s", "t", "r", "rr", "R", "cm", "vm", "abcd", "spans", "ht", "customHeight", "x14ac:dyDescent",
          "r1", "1r", ":", "a" * 24, "a" * 25, "r" + "a" * 23, "r" + "a" * 24]
_VALUES = ["1", "", "inlineStr", "1:14", "0.25", "a>b", "a<b", "a'b", 'a"b', "/"]


@st.composite
def tags(draw) -> bytes:
    """Cell and row start tags as writers make them, and as a file can be made to hold them:
    second r attributes, long or odd names, quotes and angle brackets in values, spacing."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(["c", "row", "x:c", "col"]))
        ref = draw(st.sampled_from(["A1", "B12", "XFD1048576", "AAAA1", "A0", "A12345678", "5", ""]))
        attrs = "".join(" " * draw(st.sampled_from([1, 1, 1, 0, 2])) + draw(st.sampled_from(_NAMES)) + '="'
                        + draw(st.sampled_from(_VALUES)) + '"' for _ in range(draw(st.integers(0, 4))))
        head = f'<{name} r="{ref}"' if ref else f"<{name}"
        end = draw(st.sampled_from([">", "/>", " />", "  >", "", "\t>"]))
        out.append(head + attrs + end + draw(st.sampled_from(["", "<v>1</v></c>", "<is><t>进展</t></is>"])))
    return "".join(out).encode()


@settings(max_examples=1000, deadline=None)
@given(xml=tags())
def test_the_look_ahead_pattern_finds_the_tags_the_alternation_found(xml: bytes) -> None:
    assert as_alternation(_FAST_TAG.findall(xml)) == _ALTERNATION.findall(xml)


def as_alternation(found: list[tuple[bytes, ...]]) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """`_FAST_TAG`'s tags in the alternation's groups: since QA159 a tag's name is matched once,
    and a tag not canonical is in its cell or its row group, where the last group named it."""
    return [(c, r, empty, b"c" if odd_cell else b"row" if odd_row else b"")
            for c, r, empty, odd_cell, odd_row in found]


def test_a_row_names_its_cells_when_asked(make_return, issued_ws) -> None:
    raw = read_return(make_return("石龙镇"), "石龙镇.xlsx", issued_ws.limits)
    first = raw.rows[0]
    assert first.row == 5
    assert first.cell("task") == "A5" and first.cell("progress") == "I5" and first.cell("evidence") == "N5"
    assert first.cell("no such field") == ""


def _check(ws, data: bytes):
    ctx = CheckContext(ws.load_master(), ws.limits, period=Period.parse("2022-06"))
    return check_return(data, "石龙镇.xlsx", ctx)


def _set(ref: str, value: str):
    def change(wb) -> None:
        wb["进展填报"][ref].value = value
    return change


def test_master_texts_compared_raw_first_still_see_an_edit(make_return, issued_ws) -> None:
    """A row as issued (its texts equal the master's) and one whose text only gained spaces or
    full-width forms give no W405; a changed 工作任务 does, at its cell."""
    data = make_return("石龙镇")
    assert not [i for i in _check(issued_ws, data).issues if i.code == "W405"]
    name = load_text(data, "D5")
    spaced = edit(data, _set("D5", f" {name} "))
    assert not [i for i in _check(issued_ws, spaced).issues if i.code == "W405"]
    changed = edit(data, _set("D5", name + "（已调整）"))
    found = [i for i in _check(issued_ws, changed).issues if i.code == "W405"]
    assert [i.cell for i in found] == ["D5"]


def load_text(data: bytes, ref: str) -> str:
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))["进展填报"][ref].value


def test_only_short_texts_have_their_keys_remembered() -> None:
    _short_key.cache_clear()
    assert short_key("填报单位") == key("填报单位") and short_key(" 1．2 ") == key(" 1．2 ")
    long = "东莞市" * 200
    assert short_key(long) == key(long)
    assert _short_key.cache_info().currsize == 2
