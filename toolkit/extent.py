"""The extent guard: how large a grid a sheet makes calamine allocate, read from its XML.

calamine builds a dense grid spanning a sheet's used range, so one cell at XFD1048576 (or an
ODF cell repeated a million times) would need tens of gigabytes, and the process aborts
instead of raising. `_Extent` bounds that grid for an .xlsx sheet part (reading it as
calamine's XlsxCellReader does, with a fast path for canonical sheets) and `_ods_sheets` for
an .ods content.xml (every table, and the text calamine copies per repeated cell), before
calamine sees the file. `spreadsheet.guard_zip` feeds them every part of a package.
"""

from __future__ import annotations

import re
import sys

from .errors import ReadFailure
from .text import LazyPattern, column_number

# Markup as quick-xml tokenizes it with calamine's settings (comments unchecked, end names
# unchecked, empty elements expanded): a ``>`` inside a quoted attribute value does not end a
# tag; a tag name runs to the first space, tab, CR or LF, and its local name follows the first
# colon (``<x/:c``, ``<x=:c``, ``<9:c`` are cells). DOCTYPEs are refused before this runs.
# _XML_TOKEN and _ODS_TOKEN are compiled on first use: a canonically written part (every
# part of a W1 return) is placed by _FAST_TAG alone, and the two took 0.25 ms of its start.
_XML_TOKEN = LazyPattern(rb"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</([^>]*)>"""
                          rb"""|<((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_DOCTYPE = re.compile(rb"<!doctype", re.I)
# A reference as calamine's get_row_and_optional_column reads it: letters, then digits, each
# accumulated in a wrapping u32 (``XFD0001048576`` and ``A4294967297`` are valid; so is a
# column of any number of letters).
_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")
_WS = b" \t\n\r\x0c"  # Rust's is_ascii_whitespace, which calamine's attribute reader skips
_MAX_TAG = 1 << 20   # longest markup token carried across chunks
# The fast path: a sheet as Excel, WPS, LibreOffice and openpyxl write it is placed by its
# cells' references alone, with a few regex passes (0.16 ms for a 35 KB return sheet, where
# the token-by-token reading below takes 2.1 ms). It is taken only when every cell and
# row start tag in the part has that canonical shape: a plain reference first, then simple
# attributes (never a second ``r``) whose values hold no quote or angle bracket; no comment,
# CDATA, DOCTYPE or processing instruction after the declaration; no prefixed cell or row,
# unless one plain prefix is on every tag (`_unprefixed`).
# Then calamine places every valued cell by its own reference, and nothing it ignores (a tag
# inside another cell's text, a stray ``</row>``) can do more than make the box larger.
# One pass finds every cell and row start tag: ``<c`` or ``<row``, then a plain reference and
# the rest of the tag up to its first ``>`` (a canonical cell: column, row, rest; a canonical
# row: its rest), or one of ``[\s/>]`` (a tag not canonical: every group empty). The rests are
# judged by `_CELL_REST` and `_ROW_REST` once for each distinct one (a sheet's cells have a few
# shapes: `` s="9" t="inlineStr">``). An attribute is never a second r: a name that is not r, by
# a look-ahead (``(?!r=)``; 1-3 lowercase letters for a cell, up to 24 for a row). One space
# before "/>" is how the .NET Open XML SDK, which WPS uses, ends an empty element. Every repeat
# is possessive (``+``) where Python reads it (3.11 on; 3.10 reads the same patterns without):
# what a repeat gives back can never start what follows it (a letter before ``=`` or a digit,
# a digit or a value's character before ``"``, an attribute before ``>`` or ``/>``).
# The canonical tags are those QA159's pass found, whose pattern matched each cell's
# attributes in the pass, a turn of a repeated group each, and every part is placed or refused
# as it did (tests/test_qa336_guard_speed.py). Callgrind, a W2 return's three sheets: the pass
# 1.42 M → 0.97 M instructions, `_fast` 2.09 M → 1.83 M (the shapes judged once, `_canonical`);
# guard_zip per return 2.89 M → 2.60 M, read + check 11.07 M → 10.72 M (the calamine floor's
# read of the data sheet: 5.32 M).
_RELAXED = b"" if sys.version_info < (3, 11) else b"+"
_FAST_TAG = re.compile((
    rb'<(?:c(?: r="([A-Z]{1,3}+)([1-9][0-9]{0,6}+)"([^>]*+>)|[\s/>])'
    rb'|row(?: r="[1-9][0-9]{0,6}+"([^>]*+>)|[\s/>]))').replace(b"+", _RELAXED))
_CELL_REST = re.compile(rb'(?: (?!r=)[a-z]{1,3}+="[^"<>\']*+")*+ ?/?>'.replace(b"+", _RELAXED))
_ROW_REST = re.compile(rb'(?: (?!r=)[A-Za-z0-9:]{1,24}+="[^"<>\']*+")*+ ?/?>'.replace(b"+", _RELAXED))
_PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")
# the prefix on every tag of a sheet some writers qualify throughout (WPS ``x:``, Tencent
# Docs ``ns2:``); a plain name, so that calamine's local name is what follows its colon
_ONE_PREFIX = re.compile(rb"<(?!\?)/?([A-Za-z_][A-Za-z0-9_.-]{0,15}):")


class _Extent:
    """The rectangle of cells a sheet part makes a reader allocate, from its XML stream.

    calamine builds a dense grid spanning the used range, so one cell at XFD1048576 (or an
    ODF cell repeated a million times) would need tens of gigabytes: the process aborts
    instead of raising. This scan bounds that grid before calamine sees the file. Cells
    without a value (self-closing) are not counted, as calamine does not place them.
    """

    def __init__(self, ods: bool, cap: int, text_budget: int = 200 << 20):
        self.ods, self.cap, self.text_budget = ods, cap, text_budget
        self.carry = b""
        self.row = self.col = -1
        self.min_row = self.min_col = 1 << 40
        self.max_row = self.max_col = -1

    def feed_whole(self, part: bytes) -> int | None:
        """Scan a whole part: an .xlsx part by references alone when it is written
        canonically (see _FAST_TAG), anything else like `feed`. Returns the number of cell
        start tags when the fast path placed the part (every cell calamine can read is one of
        them), else None."""
        if self.ods:
            _ods_sheets(part, self.cap, self.text_budget, self)
            return None
        cells = self._fast(part)
        if cells is not None:
            self._check_area()
        else:
            self.feed(part)
        return cells

    @property
    def placed(self) -> bool:
        """Whether any cell was placed: a part with none makes calamine allocate no grid."""
        return self.max_row >= 0

    def feed(self, chunk: bytes) -> None:
        if self.ods:  # a table's rows may not be split: content.xml is scanned whole
            raise ValueError("an .ods part is scanned whole, with feed_whole")
        buf = self.carry + chunk
        if _DOCTYPE.search(buf):
            raise ReadFailure("E101", reason="文件内部 XML 含有文档类型声明")
        self.carry = self._xlsx(buf)
        if len(self.carry) > _MAX_TAG:
            raise ReadFailure("E104", detail="工作表中有超过 1 MB 的标记")
        self._check_area()

    def _check_area(self) -> None:
        if self.area > self.cap:
            raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {self.rows} 行 × {self.cols} 列，"
                                             f"超过 {self.cap} 个单元格），请删除多余的行列后重新保存")

    @property
    def rows(self) -> int:
        return max(0, self.max_row - min(self.min_row, self.max_row) + 1)

    @property
    def cols(self) -> int:
        return max(0, self.max_col - min(self.min_col, self.max_col) + 1)

    @property
    def area(self) -> int:
        return self.rows * self.cols

    def _place(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self.min_row, self.max_row = min(self.min_row, row), max(self.max_row, row + rows - 1)
        self.min_col, self.max_col = min(self.min_col, col), max(self.max_col, col + cols - 1)

    def _xlsx(self, buf: bytes) -> bytes:
        """Follow calamine's XlsxCellReader over the complete tokens of ``buf``; return the
        unfinished rest. Anything calamine would read differently from a plain nesting of
        elements (a cell's content closed out of order, a row or cell inside a cell) is
        refused: no office suite writes it."""
        pos = 0
        for m in _XML_TOKEN.finditer(buf):
            pos = m.end()
            end, start = m.group(1), m.group(2)
            if end is None and start is None:
                continue  # comment, CDATA, processing instruction
            if end is not None:
                name = end.rstrip(b" \t\r\n")
                local = name.split(b":", 1)[-1]
                self._end(name, local)
                continue
            empty = start.endswith(b"/")
            name, attrs = _tag_name(start[:-1] if empty else start)
            local = name.split(b":", 1)[-1]
            self._start(name, local, attrs, empty)
            if empty:
                self._end(name, local)
        rest = buf[pos:]
        lt = rest.find(b"<")
        return rest[lt:] if lt >= 0 else b""

    def _fast(self, buf: bytes) -> int | None:
        """Place a canonically written part by its references (see _FAST_TAG) and return
        its number of cell tags; None when the part is not written so, and must be read token
        by token."""
        if _prefixed(buf):
            buf = _unprefixed(buf)
            if buf is None or _prefixed(buf):
                return None
        tags = _FAST_TAG.findall(buf)
        if not tags:
            return 0  # no cell or row at all (theme, styles, docProps): nothing to place
        # "!" and "?" are rare in a sheet, "<" is in every tag: looking for those first is 10x
        # cheaper (3 µs against 30 on a 35 KB sheet)
        if b"!" in buf and b"<!" in buf:
            return None  # a comment, CDATA or DOCTYPE
        if b"?" in buf:
            declaration = buf.find(b"<?")
            if declaration > 3 or (declaration >= 0 and buf.find(b"<?", declaration + 2) >= 0):
                return None  # a processing instruction after the declaration
        # one loop, no list beside the tags: a sheet of 500,000 rows has a million tags
        shapes: set[bytes] = set()
        row_shapes: set[bytes] = set()
        letters: set[bytes] = set()
        digits: set[bytes] = set()
        rows = 0
        # the adds bound once, three a cell (callgrind, the loop over a W2 return's 300 tags:
        # 350,000 → 333,000 instructions; with `_canonical`'s subset test, guard_zip 2.84 M → 2.82 M)
        shape, letter, digit = shapes.add, letters.add, digits.add
        for c, r, rest, row_rest in tags:
            if c:
                shape(rest)
                letter(c)
                digit(r)
            elif row_rest:
                row_shapes.add(row_rest)
                rows += 1
            else:
                return None  # a cell or row tag not written canonically
        if not (_canonical(shapes, _CELL_REST, _CELL_RESTS) and _canonical(row_shapes, _ROW_REST, _ROW_RESTS)):
            return None  # attributes not written canonically
        empty = {s for s in shapes if s.endswith(b"/>")}
        if empty:  # calamine places no empty cell: the valued ones' references again
            letters, digits = set(), set()
            for c, r, rest, _ in tags:
                if c and rest not in empty:
                    letters.add(c)
                    digits.add(r)
        if letters:
            numbers = list(map(int, digits))
            # columns of one to three letters are in order by length, then as bytes: the two
            # ends are the only ones converted (a W2 sheet has 14 letters, 0.4 µs each)
            cols = sorted(letters)
            cols.sort(key=len)
            self._place(min(numbers) - 1, column_number(cols[0].decode("ascii")) - 1)
            self._place(max(numbers) - 1, column_number(cols[-1].decode("ascii")) - 1)
        return len(tags) - rows

    # calamine's reader state: before <sheetData>, in it, in a cell (with the stack of the
    # cell's open child elements), after </sheetData>
    phase = 0
    stack: list[bytes] | None = None

    def _odd(self) -> None:
        raise ReadFailure("E101", reason="工作表结构异常")

    def _start(self, name: bytes, local: bytes, attrs: bytes, empty: bool) -> None:
        if self.phase == 0:
            if local == b"sheetData":
                self.phase = 1
            return
        if self.phase != 1:
            return
        if self.stack is not None:  # inside a cell: calamine reads no row or cell here
            if local in (b"row", b"c"):
                self._odd()
            self.stack.append(name)
            return
        if local == b"row":
            ref = _attr(attrs, b"r", first=True)
            if ref is not None:
                self.row = _ref(ref)[0]
        elif local == b"c":
            ref = _attr(attrs, b"r", first=False)
            r, c = _ref(ref) if ref is not None else (max(self.row, 0), max(self.col, 0))
            self.col = c
            if not empty:  # an empty cell (``<c r="XFD9" s="1"/>``) holds no value: not placed
                self._place(r, c)
            self.stack = []

    def _end(self, name: bytes, local: bytes) -> None:
        if self.phase != 1:
            return
        if self.stack is not None:
            if self.stack:
                if name != self.stack.pop():
                    self._odd()
            elif local == b"c":
                self.stack = None
                self.col = max(self.col, 0) + 1
            else:
                self._odd()
            return
        if local == b"row":
            self.row, self.col = max(self.row, 0) + 1, 0
        elif local == b"c":
            self._odd()
        elif local == b"sheetData":
            self.phase = 2


def _canonical(rests: set[bytes], pattern: re.Pattern[bytes], known: set[bytes]) -> bool:
    """Whether each of a part's distinct tag rests is canonical (``pattern``); those found so are
    remembered in ``known`` (at most `_KNOWN_RESTS`, forgotten all at once): the returns of a
    month share their few shapes, each a pattern match of 3,000 instructions."""
    if rests <= known:  # every shape met before: no set made (each return's three sheets)
        return True
    rests = rests - known
    if not all(map(pattern.fullmatch, rests)):
        return False
    if len(known) + len(rests) > _KNOWN_RESTS:
        known.clear()
    if len(rests) <= _KNOWN_RESTS:
        known |= rests
    return True


_CELL_RESTS: set[bytes] = set()
_ROW_RESTS: set[bytes] = set()
_KNOWN_RESTS = 1024


def _tag_name(body: bytes) -> tuple[bytes, bytes]:
    """(name, attributes) of a start tag's body: quick-xml ends a name at the first space, tab,
    CR or LF, and nothing else (a vertical tab or ``=`` is part of the name)."""
    cut = len(body)
    for w in b" \t\r\n":
        i = body.find(bytes([w]))
        if 0 <= i < cut:
            cut = i
    return body[:cut], body[cut:]


def _prefixed(buf: bytes) -> bool:
    """Whether ``buf`` holds a prefixed cell or row tag name (`_PREFIX_HINT`). The regex has no
    literal to skip to and took 10 µs on a W2 return's 35 KB sheet; its 17 colons (http:,
    A1:N14 …) are found in 2.3 µs, each checked where it is. A part with more colons (times
    typed in its text) is searched by the regex from the 64th on."""
    i = buf.find(b":")
    for _ in range(64):
        if i < 0:
            return False
        if buf.startswith(_PREFIXED_NAMES, i + 1) and _PREFIX_HINT.match(buf, i):
            return True
        i = buf.find(b":", i + 1)
    return i >= 0 and _PREFIX_HINT.search(buf, i) is not None


_PREFIXED_NAMES = (b"c", b"row")


def _unprefixed(buf: bytes) -> bytes | None:
    """``buf`` without the one namespace prefix that every one of its tags carries, or None.

    calamine matches tags by their local name, so ``<x:c r="B2">`` is read as ``<c r="B2">``:
    when every tag but the declaration has the same plain prefix, the part without it is
    placed exactly as calamine places the original, and the canonical fast path applies
    (Tencent Docs' 133 KB export: 27 ms token by token). Anything else (mixed or odd
    prefixes) returns None and is read token by token.
    """
    first = _ONE_PREFIX.search(buf)
    if first is None:
        return None
    prefix = first.group(1)
    opening, closing = b"<" + prefix + b":", b"</" + prefix + b":"
    declared = 1 if 0 <= buf.find(b"<?") <= 3 else 0  # after a byte order mark, as in _fast
    if buf.count(b"<") != buf.count(opening) + buf.count(closing) + declared:
        return None
    return buf.replace(opening, b"<").replace(closing, b"</")


def _attrs(raw: bytes):
    """(key, value) pairs as calamine's RawAttrIter reads them; stops at a malformed one
    (calamine then fails the sheet)."""
    pos, n = 0, len(raw)
    while True:
        while pos < n and raw[pos] in _WS:
            pos += 1
        if pos >= n:
            return
        eq = raw.find(b"=", pos)
        if eq < 0:
            return
        key = raw[pos:eq].rstrip(_WS)
        pos = eq + 1
        while pos < n and raw[pos] in _WS:
            pos += 1
        if pos >= n or raw[pos] not in b"\"'":
            return
        q = raw.find(raw[pos:pos + 1], pos + 1)
        q = n if q < 0 else q
        yield key, raw[pos + 1:q]
        pos = q + 1


def _attr(raw: bytes, key: bytes, first: bool) -> bytes | None:
    """A row's ``r`` (calamine's raw_attr: the first) or a cell's (get_attrs! over r, s, t:
    the last ``r`` seen before three of those keys have been counted)."""
    found, value = 0, None
    for k, v in _attrs(raw):
        if k == key:
            if first:
                return v
            value = v
        if k in (b"r", b"s", b"t"):
            found += 1
            if found == 3:
                break
    return value


def _ref(ref: bytes) -> tuple[int, int]:
    """(row, col), 0-based, as calamine computes them (wrapping u32); a reference calamine
    rejects is placed far away, so that it can never shrink the box."""
    m = _REF.fullmatch(ref)
    if m is None:
        return 0, 0  # calamine fails the sheet: nothing is allocated
    col = 0
    for ch in m.group(1).upper():
        col = (col * 26 + ch - 64) & 0xFFFFFFFF
    row = int(m.group(2)) & 0xFFFFFFFF
    return max(row - 1, 0), max(col - 1, 0)


_ODS_CELLS = (b"table:table-cell", b"table:covered-table-cell")
_ODS_VALUES = (b"office:value", b"office:string-value", b"office:date-value", b"office:time-value",
               b"office:boolean-value")
_ODS_CHAR_REF = re.compile(rb"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|apos|quot);")
# _XML_TOKEN with its start tag unrolled (the same tokens, several times faster on long parts)
_ODS_TOKEN = LazyPattern(rb"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</([^>]*)>"""
                          rb"""|<([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)>""", re.S)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _rust_usize(raw: bytes | None, unescape: bool) -> int:
    """A repeat count as calamine parses it: Rust's ``usize::from_str`` (an optional ``+``, then
    ASCII digits), after entity unescaping for a row count (decode_attr). A value calamine
    cannot parse fails the whole file there: it is refused here too."""
    if raw is None:
        return 1
    if unescape and b"&" in raw:
        def one(m: re.Match) -> bytes:
            ref = m.group(1)
            if ref.startswith(b"#x"):
                return chr(int(ref[2:], 16)).encode("utf-8", "replace")
            if ref.startswith(b"#"):
                return chr(min(int(ref[1:]), 0x10FFFF)).encode("utf-8", "replace")
            return {b"lt": b"<", b"gt": b">", b"amp": b"&", b"apos": b"'", b"quot": b'"'}[ref]
        raw = _ODS_CHAR_REF.sub(one, raw)
    digits = raw[1:] if raw[:1] == b"+" else raw
    if not digits or not digits.isdigit() or not digits.isascii():
        raise ReadFailure("E101", reason="工作表中的重复次数无法识别")
    return int(digits)


def _first_attr(attrs: bytes, key: bytes) -> bytes | None:
    """calamine's raw_attr: the value of the first attribute named exactly ``key``."""
    for k, v in _attrs(attrs):
        if k == key:
            return v
    return None


def _xml_events(buf: bytes):
    """(kind, name, attrs, text length) as quick-xml reports them with calamine's settings:
    'start'/'end' (an empty element is both), 'text' (CDATA too); comments, processing
    instructions and the declaration are skipped, a ``>`` in a quoted value ends no tag."""
    pos = 0
    for m in _ODS_TOKEN.finditer(buf):
        if m.start() > pos:
            yield "text", b"", b"", m.start() - pos
        pos = m.end()
        end, start = m.group(1), m.group(2)
        if end is None and start is None:
            if m.group(0).startswith(b"<![CDATA["):
                yield "text", b"", b"", m.end() - m.start()
            continue
        if end is not None:
            yield "end", end.rstrip(b" \t\r\n"), b"", 0
            continue
        empty = start.endswith(b"/")
        name, attrs = _tag_name(start[:-1] if empty else start)
        yield "start", name, attrs, 0
        if empty:
            yield "end", name, b"", 0
    if len(buf) > pos:
        yield "text", b"", b"", len(buf) - pos


def _ods_sheets(part: bytes, cap: int, text_budget: int, extent: _Extent | None = None) -> None:
    """Bound what calamine's Ods reader allocates for content.xml: it reads every table at open
    (parse_content → read_table → read_row → get_datatype), each into a dense Range<Data> over
    its valued cells and, if any cell has a formula, a Range<String> as large; every string and
    formula is cloned once per repeated column and row. Walks the markup as calamine does, so
    that nothing it skips (a comment, a CDATA section, a nested <table:table>, a cell's content)
    moves a row or a column here, and refuses the file when one sheet, or all of them together,
    exceed ``cap`` cells, or the cloned text exceeds ``text_budget`` bytes."""
    decl = _XML_ENCODING.match(part[:400])
    if decl and decl.group(1).strip().lower() not in (b"utf-8", b"utf8"):
        raise ReadFailure("E101", reason="文件内部 XML 编码不是 UTF-8")
    events = _xml_events(part)
    total_cells = total_text = 0
    for kind, name, attrs, _ in events:
        if kind != "start" or name != b"table:table" or _first_attr(attrs, b"table:name") is None:
            continue
        # read_table: rows until </table:table>; anything else (a nested table too) is skipped
        box = [1 << 62, -1, 1 << 62, -1]
        row = 0
        formulas = False
        for kind, name, attrs, _ in events:
            if kind == "end" and name == b"table:table":
                break
            if kind != "start" or name != b"table:table-row":
                continue
            repeat = _rust_usize(_first_attr(attrs, b"table:number-rows-repeated"), unescape=True)
            col = 0
            # read_row: cells until </table:table-row>
            for kind, name, attrs, _ in events:
                if kind == "end" and name == b"table:table-row":
                    break
                if kind != "start" or name not in _ODS_CELLS:
                    continue  # calamine fails the file here; counting on is the safe side
                n = _rust_usize(_first_attr(attrs, b"table:number-columns-repeated"), unescape=False)
                # get_datatype: the first value attribute wins; a value-type read before it
                # decides whether the cell's text is its value
                valued = string = False
                text = 0
                for k, v in _attrs(attrs):
                    if k in _ODS_VALUES and not valued:
                        valued = True
                        text += len(v)
                    elif k == b"office:value-type" and not valued:
                        string = v == b"string"
                    elif k == b"table:formula":
                        formulas = True
                        text += len(v) + 1
                if string and not valued:  # the text is the value: read to the first cell end tag
                    valued = True
                    for kind, name, attrs, size in events:
                        if kind == "end" and name in _ODS_CELLS:
                            break
                        if kind == "text":
                            text += size
                        elif kind == "start":
                            text += 1  # a new paragraph: "\n"
                            if name == b"text:s":
                                text += _rust_usize(_first_attr(attrs, b"text:c"), unescape=True)
                else:  # read_to_end_into: skip the cell, nested cells of the same name included
                    depth = 0
                    for kind, name2, _, _ in events:
                        if name2 != name:
                            continue
                        if kind == "start":
                            depth += 1
                        elif depth == 0:
                            break
                        else:
                            depth -= 1
                if valued or b"table:formula" in attrs:
                    box = [min(box[0], row), max(box[1], row + repeat - 1),
                           min(box[2], col), max(box[3], col + n - 1)]
                    total_text += text * n * repeat
                    if total_text > text_budget:
                        raise ReadFailure("E104", detail=f"工作表中重复的文字过多（超过 {text_budget >> 20} MB）")
                col += n
                area = (box[1] - box[0] + 1) * (box[3] - box[2] + 1) if box[1] >= 0 else 0
                if area > cap or total_cells + area * (2 if formulas else 1) > cap:
                    too_large(box[1] - box[0] + 1, box[3] - box[2] + 1, cap)
            row += repeat
        if box[1] >= 0:
            area = (box[1] - box[0] + 1) * (box[3] - box[2] + 1)
            total_cells += area * (2 if formulas else 1)
            if extent is not None:
                extent._place(box[0], box[2], box[1] - box[0] + 1, box[3] - box[2] + 1)


def too_large(rows: int, cols: int, cap: int) -> None:
    raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {rows} 行 × {cols} 列，"
                                     f"超过 {cap} 个单元格），请删除多余的行列后重新保存")


def longest_shared_string(part: bytes) -> int:
    """An upper bound of the longest string calamine's shared-string reader builds from
    ``part``: all text and CDATA from an ``si`` start tag (any prefix) to the next ``si`` end
    tag, tokenized as quick-xml does (a tag inside a comment, CDATA or a quoted value is not
    one). Entity references count as written, never less than what they stand for."""
    longest = current = pos = 0
    inside = False
    for m in _XML_TOKEN.finditer(part):
        if inside:
            current += m.start() - pos
            if m.group(0).startswith(b"<![CDATA["):
                current += m.end() - m.start()
        pos = m.end()
        end, start = m.group(1), m.group(2)
        if start is not None and not inside and not start.endswith(b"/"):
            inside = _tag_name(start)[0].split(b":", 1)[-1] == b"si"
            current = 0
        elif end is not None and inside and end.rstrip(b" \t\r\n").split(b":", 1)[-1] == b"si":
            longest, inside = max(longest, current), False
    if inside:
        longest = max(longest, current + len(part) - pos)
    return longest
