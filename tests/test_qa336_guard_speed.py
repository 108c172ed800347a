"""The extent guard places every part as before, at less cost (QA336, W2 read + check per
return): its pass takes a tag's attributes whole, up to the tag's first ``>``, and judges each
distinct shape once, where QA159's pass matched every cell's attributes; a part is placed, or
left to the token-by-token reading, exactly as QA159's pass and loop did it."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_qa85_read_check_speed import _FAST_TAG as QA159_TAG
from test_qa85_read_check_speed import tags as written_tags
from test_qa159_guard_speed import edges

import toolkit.extent as guard
from toolkit.extent import _Extent, _prefixed, _unprefixed
from toolkit.text import column_number

NOT_PLACED = (1 << 40, -1, 1 << 40, -1)


def qa159_fast(buf: bytes) -> tuple[int | None, tuple[int, int, int, int]]:
    """What QA159's `_Extent._fast` gave for ``buf``: its cell count (None: read token by
    token) and the box (first row, last row, first column, last column) it placed."""
    if _prefixed(buf):
        buf = _unprefixed(buf)
        if buf is None or _prefixed(buf):
            return None, NOT_PLACED
    tags = QA159_TAG.findall(buf)
    if not tags:
        return 0, NOT_PLACED
    declaration = buf.find(b"<?")
    if b"<!" in buf or declaration > 3 or (declaration >= 0 and buf.count(b"<?") > 1):
        return None, NOT_PLACED
    if any(odd_cell or odd_row for *_, odd_cell, odd_row in tags):
        return None, NOT_PLACED
    placed = [(int(r) - 1, column_number(c.decode("ascii")) - 1) for c, r, empty, _, _ in tags if c and not empty]
    rows, cols = [r for r, _ in placed], [c for _, c in placed]
    return sum(1 for t in tags if t[0]), (min(rows), max(rows), min(cols), max(cols)) if placed else NOT_PLACED


def now_fast(buf: bytes) -> tuple[int | None, tuple[int, int, int, int]]:
    extent = _Extent(False, 10 ** 9)
    return extent._fast(buf), (extent.min_row, extent.max_row, extent.min_col, extent.max_col)


@contextmanager
def read_as_on_310():
    """The guard's patterns as Python 3.10 reads them (no possessive repeat), nothing
    remembered from the patterns as they are."""
    saved = guard._FAST_TAG, guard._CELL_REST, guard._ROW_REST
    for name, pattern in zip(("_FAST_TAG", "_CELL_REST", "_ROW_REST"), saved):
        setattr(guard, name, re.compile(pattern.pattern.replace(b"+", b"")))
    guard._CELL_RESTS.clear()
    guard._ROW_RESTS.clear()
    try:
        yield
    finally:
        guard._FAST_TAG, guard._CELL_REST, guard._ROW_REST = saved
        guard._CELL_RESTS.clear()
        guard._ROW_RESTS.clear()


def in_sheet(tags: bytes) -> bytes:
    return b'<?xml version="1.0"?><worksheet><sheetData>' + tags + b"</sheetData></worksheet>"


@pytest.mark.slow  # 400 generated parts (1.6 s): CI runs it, the quick loop need not
@settings(max_examples=400, deadline=None)
@given(xml=st.one_of(edges(), written_tags()), wrapped=st.booleans(), prefix=st.sampled_from([b"", b"x:"]))
def test_a_part_is_placed_as_qa159_placed_it(xml: bytes, wrapped: bool, prefix: bytes) -> None:
    if prefix:  # every tag prefixed, as WPS writes a sheet
        xml = xml.replace(b"</", b"\x00").replace(b"<", b"<" + prefix).replace(b"\x00", b"</" + prefix)
    part = in_sheet(xml) if wrapped else xml
    assert now_fast(part) == qa159_fast(part)
    if sys.version_info >= (3, 11):
        with read_as_on_310():
            assert now_fast(part) == qa159_fast(part)


def test_the_edges_of_a_tag_taken_whole() -> None:
    cases = [
        b'<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>x</t></is></c><c r="C3" s="2"/><c r="D4" s="2" />'
        b'<c r="B2" t="n"><v>1</v></c></row>',  # empty cells, either way closed, not placed
        b'<row r="1"><c r="A1" x="a<c r=&quot;B9&quot;>"><v>1</v></c></row>',  # an angle bracket in a value
        b'<row r="1"><c r="A1" s="1" r="Z9"><v>1</v></c></row>',  # a second r
        b'<row r="1" r="2"><c r="A1"><v>1</v></c></row>',  # a row's second r
        b'<row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1"><v>1</v></c></row>',
        b'<row r="1"><c r="A1" s="1"',  # a cell tag never ended
        b'<row r="1"></row><row r="2"/>',  # rows alone
        b'<row r="1"><c r="A1" s="1">',  # no cell end: placed by its reference
        b'<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c><c>',  # a cell without a reference
        b'<c r="A1" s="1"\t><v>1</v></c>',  # a tab before the end
        b'<c r="A1"><v>1</v></c><row r="2" ht="15" customHeight="1" />',
    ]
    for case in cases:
        for part in (case, in_sheet(case)):
            assert now_fast(part) == qa159_fast(part), part
    assert now_fast(cases[0])[0] == 4 and now_fast(cases[0])[1] == (0, 1, 0, 1)  # A1:B2, not C3 or D4
    assert now_fast(cases[1])[0] is None and now_fast(cases[2])[0] is None


def test_a_return_s_parts_are_placed_as_before(make_return) -> None:
    with zipfile.ZipFile(io.BytesIO(make_return("石龙镇"))) as z:
        parts = [z.read(name) for name in z.namelist()]
    assert any(now_fast(p)[0] for p in parts)
    for part in parts:
        assert now_fast(part) == qa159_fast(part)


def test_the_shapes_remembered_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(guard, "_KNOWN_RESTS", 4)
    monkeypatch.setattr(guard, "_CELL_RESTS", set())
    many = b"".join(b'<c r="A%d" s="%d"><v>1</v></c>' % (i, i) for i in range(1, 10))
    assert now_fast(many) == qa159_fast(many) == (9, (0, 8, 0, 0))
    assert not guard._CELL_RESTS  # nine shapes: judged, none remembered
    few = b'<c r="A1" s="1"><v>1</v></c><c r="B1" s="2"><v>1</v></c>'
    assert now_fast(few)[0] == 2 and {b' s="1">', b' s="2">'} == guard._CELL_RESTS
    assert now_fast(few.replace(b's="2"', b's="2" r="C1"'))[0] is None  # an odd shape is never remembered
    assert {b' s="1">', b' s="2">'} == guard._CELL_RESTS
