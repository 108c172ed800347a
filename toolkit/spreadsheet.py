"""Opening spreadsheets nobody here wrote: what they are, and guards before any parser.

Departments send what their office suite saved, and sometimes something else. Before
python-calamine sees a byte, the guards here bound what a file can make it allocate
(decompression bombs, a cell at XFD1048576, an ODF row repeated a million times, a damaged
.xls header); every refusal is a `ReadFailure` carrying the code to record (E101–E105).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .settings import Limits
from .sniff import DEFAULT_ADVICE, SAVE_AS_ADVICE, detect, zip_kind

log = logging.getLogger("duban")


class ReadFailure(Exception):
    """Internal: the file cannot be read as a return. Carries the Issue code to record."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params



SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")

# Markup as quick-xml tokenizes it with calamine's settings (comments unchecked, end names
# unchecked, empty elements expanded): a ``>`` inside a quoted attribute value does not end a
# tag; a tag name runs to the first space, tab, CR or LF, and its local name follows the first
# colon (``<x/:c``, ``<x=:c``, ``<9:c`` are cells). DOCTYPEs are refused before this runs.
_XML_TOKEN = re.compile(rb"""<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|</([^>]*)>"""
                        rb"""|<((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
# ODF rows and cells; a ``>`` inside a quoted attribute value does not end the tag
_ODS_TAG = re.compile(rb"""<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"""
                      rb"""((?:[^>"']|"[^"]*"|'[^']*')*)>""")
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
_ANY_TAG = re.compile(rb"<(c|row)[\s/>]")  # every cell and row start tag, canonical or not
# (one space before "/>" is how the .NET Open XML SDK, which WPS uses, ends an empty element)
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: (?!r=)[a-z]{1,3}="[^"<>\']*")* ?(/?)>')
_FAST_ROW = re.compile(rb'<row r="[1-9][0-9]{0,6}"(?: (?!r=)[A-Za-z0-9:]{1,24}="[^"<>\']*")* ?/?>')
_PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")
# the prefix on every tag of a sheet some writers qualify throughout (WPS ``x:``, Tencent
# Docs ``ns2:``); a plain name, so that calamine's local name is what follows its colon
_ONE_PREFIX = re.compile(rb"<(?!\?)/?([A-Za-z_][A-Za-z0-9_.-]{0,15}):")
# any number of digits (calamine reads "0000016384" as 16384); the largest when repeated
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["']\s*(\d+)""")
_COLS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["']\s*(\d+)""")


class _Extent:
    """The rectangle of cells a sheet part makes a reader allocate, from its XML stream.

    calamine builds a dense grid spanning the used range, so one cell at XFD1048576 (or an
    ODF cell repeated a million times) would need tens of gigabytes: the process aborts
    instead of raising. This scan bounds that grid before calamine sees the file. Cells
    without a value (self-closing) are not counted, as calamine does not place them.
    """

    def __init__(self, ods: bool, cap: int):
        self.ods, self.cap = ods, cap
        self.carry = b""
        self.row = self.col = -1
        self.min_row = self.min_col = 1 << 40
        self.max_row = self.max_col = -1
        self.repeat = 1  # ODF: how often the current row repeats

    def feed_whole(self, part: bytes) -> None:
        """Scan a whole part: an .xlsx part by references alone when it is written
        canonically (see _FAST_CELL), anything else like `feed`."""
        if not self.ods and self._fast(part):
            self._check_area()
        else:
            self.feed(part)

    def feed(self, chunk: bytes) -> None:
        buf = self.carry + chunk
        if self.ods:
            cut = buf.rfind(b"<")
            if cut >= 0 and buf.find(b">", cut) < 0:
                buf, self.carry = buf[:cut], buf[cut:][:4096]
            else:
                self.carry = b""
            self._ods(buf)
        else:
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
            body = start[:-1] if empty else start
            cut = len(body)
            for w in b" \t\r\n":
                i = body.find(bytes([w]))
                if 0 <= i < cut:
                    cut = i
            name, attrs = body[:cut], body[cut:]
            local = name.split(b":", 1)[-1]
            self._start(name, local, attrs, empty)
            if empty:
                self._end(name, local)
        rest = buf[pos:]
        lt = rest.find(b"<")
        return rest[lt:] if lt >= 0 else b""

    def _fast(self, buf: bytes) -> bool:
        """Place a canonically written part by its references (see _FAST_CELL); False when
        the part is not written so, and must be read token by token."""
        if _PREFIX_HINT.search(buf) is not None:
            buf = _unprefixed(buf)
            if buf is None or _PREFIX_HINT.search(buf) is not None:
                return False
        tags = _ANY_TAG.findall(buf)
        if not tags:
            return True  # no cell or row at all (theme, styles, docProps): nothing to place
        # "!" and "?" are rare in a sheet, "<" is in every tag: looking for those first is 10x
        # cheaper (3 µs against 30 on a 35 KB sheet)
        if b"!" in buf and b"<!" in buf:
            return False  # a comment, CDATA or DOCTYPE
        if b"?" in buf:
            declaration = buf.find(b"<?")
            if declaration > 3 or (declaration >= 0 and buf.find(b"<?", declaration + 2) >= 0):
                return False  # a processing instruction after the declaration
        cells = _FAST_CELL.findall(buf)
        if len(cells) != tags.count(b"c") or len(_FAST_ROW.findall(buf)) != len(tags) - len(cells):
            return False
        valued = [(c, r) for c, r, empty in cells if not empty]  # calamine places no empty cell
        if valued:
            letters, digits = zip(*valued)
            numbers = [int(r) - 1 for r in set(digits)]
            cols = [_column_number(c) - 1 for c in set(letters)]
            self._place(min(numbers), min(cols))
            self._place(max(numbers), max(cols))
        return True

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

    def _ods(self, buf: bytes) -> None:
        for m in _ODS_TAG.finditer(buf):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"table":
                if not closing:
                    self.row, self.col = 0, 0
                continue
            if name == b"table-row":
                if closing:
                    self._end_row()
                    continue
                self.repeat = max([1, *map(int, _ROWS_REPEATED.findall(attrs))])
                self.col = 0
                if attrs.endswith(b"/"):
                    self._end_row()
                continue
            if closing:
                continue
            n = max([1, *map(int, _COLS_REPEATED.findall(attrs))])
            if b"value-type" in attrs or not attrs.endswith(b"/"):
                self._place(max(self.row, 0), self.col, self.repeat, n)
                if self.area > self.cap:
                    return
            self.col += n

    def _end_row(self) -> None:
        self.row = max(self.row, 0) + self.repeat
        self.repeat = 1


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


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _may_hold_cells(name: str, kind: str) -> bool:
    """Whether calamine may read ``name`` as a sheet. An .ods sheet is always content.xml; an
    .xlsx sheet is wherever its workbook's relationships point, any part name at all (a
    worksheet stored as docProps/x.xml or xl/theme/x.xml is read like any other, and so is an
    xl/sharedStrings.xml that is both): every part of an .xlsx is scanned. Skipping the parts
    that normally hold no cells let a 1.5 KB file with its sheet under such a name past."""
    return name == "content.xml" if kind == "ods" else True


def _small_member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A member of at most 1 MB inflated straight from ``data``, up to its declared size (as
    zipfile and calamine read it); None when it needs `_chunks` (larger, encrypted, another
    method, an odd local header). Opening each part through zipfile cost about 20 µs; an
    .xlsx has ten or so parts, every one of which is scanned."""
    if (info.file_size > 1 << 20 or info.flag_bits & 0x1
            or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)):
        return None
    at = info.header_offset
    head = data[at:at + 30]
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    start = at + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED or not info.file_size:
        return bytes(raw[:info.file_size])  # (zlib reads a max_length of 0 as "no limit")
    return zlib.decompressobj(-15).decompress(raw, info.file_size)


def _chunks(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member through zipfile, a megabyte at a time, up to its declared size."""
    with z.open(info) as f:
        while chunk := f.read(1 << 20):
            yield chunk


def guard_zip(z: zipfile.ZipFile, limits: Limits, kind: str = "", data: bytes | None = None) -> None:
    """Refuse decompression bombs and oversized sheets before any parser sees the bytes.

    Declared sizes are checked first; then every entry is inflated in a bounded stream
    (a crafted header can understate the size; zipfile and calamine both stop at the
    declared size, so the stream counts what a parser can get), and the rows and cells
    of sheet parts are scanned so that no sheet makes calamine allocate a huge grid.
    """
    max_total = limits.max_unpacked_bytes
    max_cells = limits.max_cells
    try:
        infos = [i for i in z.infolist() if not i.is_dir()]
        if len(infos) > limits.max_entries:
            raise ReadFailure("E104", detail=f"压缩包内有 {len(infos)} 个文件")
        declared = sum(i.file_size for i in infos)
        if declared > max_total:
            raise ReadFailure("E104", detail=f"解压后约 {declared // 1048576} MB")
        for i in infos:
            if i.file_size > 1048576 and i.compress_size and i.file_size / i.compress_size > limits.max_ratio:
                raise ReadFailure("E104", detail=f"压缩比 {i.file_size // max(i.compress_size, 1)}:1")
        total = sum(i.file_size for i in infos if not _may_hold_cells(i.filename, kind))
        for i in infos:
            if not _may_hold_cells(i.filename, kind):
                continue  # bounded by its declared size, which zipfile and calamine stop at
            # A part is scanned whole (at most the unpacked limit, which calamine would hold
            # too): no tag is ever cut at a chunk boundary, and the fast path judges the whole
            # part or none of it.
            small = _small_member(data, i) if data is not None else None
            parts: list[bytes] = []
            for chunk in [small] if small is not None else _chunks(z, i):
                total += len(chunk)
                if total > max_total:
                    raise ReadFailure("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
                parts.append(chunk)
            _Extent(kind == "ods", max_cells).feed_whole(b"".join(parts))
    except ReadFailure:
        raise
    except RuntimeError as exc:  # zipfile: "encrypted, password required"
        raise ReadFailure("E102") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise ReadFailure("E101", reason=f"压缩结构损坏：{type(exc).__name__}") from exc
    except Exception as exc:  # zlib.error and friends from a mangled stream
        raise ReadFailure("E101", reason=f"内容损坏：{type(exc).__name__}") from exc


_ENDOFCHAIN = 0xFFFFFFFE
# BIFF records holding a value at (row, col): NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA,
# RSTRING (BLANK/MULBLANK carry no value: calamine does not place them); MULRK spans columns.
_BIFF_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}
_BIFF_MULRK, _BIFF_BOF, _BIFF_DIMENSIONS = 0x00BD, 0x0809, 0x0200
_BIFF_FILEPASS = 0x002F


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first of ``names`` in an OLE2 compound file (an .xls), read with no library.

    Follows the FAT (and mini FAT) chains with loop protection; None if not found.
    Raises ValueError/struct.error for a damaged file.
    """
    if len(data) < 512:
        raise ValueError("short OLE header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 4 <= mini_shift < shift:
        raise ValueError("bad sector size")
    size, mini_size = 1 << shift, 1 << mini_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    n_sectors = max(0, len(data) // size - 1)

    def sector(n: int) -> bytes:
        if n >= n_sectors:
            raise ValueError("sector out of range")
        return data[(n + 1) * size:(n + 2) * size]

    # A damaged header makes calamine's own reader allocate gigabytes and abort the
    # process: the FAT sector list must be exactly what the header says, each sector once.
    header_ids = struct.unpack_from("<109I", data, 0x4C)
    fat_ids = list(header_ids[:n_fat])
    if any(x != 0xFFFFFFFF for x in header_ids[n_fat:]):
        raise ValueError("DIFAT entries past the FAT count")
    d, seen = first_difat, 0
    while len(fat_ids) < n_fat and seen < n_difat:
        entries = struct.unpack(f"<{size // 4}I", sector(d))
        fat_ids += entries[:-1][:n_fat - len(fat_ids)]
        d, seen = entries[-1], seen + 1
    if (len(fat_ids) != n_fat or n_fat == 0 or len(set(fat_ids)) != n_fat
            or any(x >= n_sectors for x in fat_ids)):
        raise ValueError("inconsistent FAT sector list")
    fat: list[int] = []
    for f in fat_ids:
        fat += struct.unpack(f"<{size // 4}I", sector(f))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out = []
        while start < len(table) and len(out) <= limit:
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(first_dir, fat, n_sectors))
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root_start = struct.unpack_from("<I", entries[0], 0x74)[0]
    wanted = {n: i for i, n in enumerate(names)}
    found = []
    for e in entries:
        if e[0x42] in (1, 2, 5) and struct.unpack_from("<I", e, 0x78)[0] > len(data) * 8:
            raise ValueError("stream larger than the file could hold")
        length = min(struct.unpack_from("<H", e, 0x40)[0], 64)
        name = e[:max(0, length - 2)].decode("utf-16-le", "replace")
        if e[0x42] == 2 and name in wanted:
            found.append((wanted[name], e))
    if not found:
        return None
    e = min(found, key=lambda x: x[0])[1]
    start, length = struct.unpack_from("<II", e, 0x74)
    if length >= cutoff:
        return b"".join(sector(n) for n in chain(start, fat, n_sectors))[:length]
    mini_fat: list[int] = []
    for n in chain(first_minifat, fat, n_sectors):
        mini_fat += struct.unpack(f"<{size // 4}I", sector(n))
    mini_stream = b"".join(sector(n) for n in chain(root_start, fat, n_sectors))
    parts = [mini_stream[m * mini_size:(m + 1) * mini_size] for m in chain(start, mini_fat, len(mini_fat))]
    return b"".join(parts)[:length]


def guard_xls(data: bytes, limits: Limits) -> None:
    """Refuse an .xls whose value cells span a grid calamine cannot allocate.

    A 6 KB .xls with values in A1 and IV65536 makes calamine build 16.7 million cells
    (over 1 GB). The BIFF cell records of each sheet are scanned for their extent.
    """
    cap = limits.max_cells
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
    except (ValueError, struct.error, IndexError) as exc:
        raise ReadFailure("E101", reason=f"文件结构损坏：{type(exc).__name__}") from exc
    if stream is None:
        return  # calamine says what is wrong
    pos, end = 0, len(stream)
    box = [1 << 20, -1, 1 << 20, -1]  # min row, max row, min col, max col
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if kind == _BIFF_FILEPASS:
            # XOR / RC4 / CryptoAPI protection: every record after this one is ciphertext,
            # which calamine would report as a damaged file (E101) rather than a password.
            raise ReadFailure("E102")
        if kind == _BIFF_BOF:
            box = [1 << 20, -1, 1 << 20, -1]
            continue
        if kind == _BIFF_DIMENSIONS and length in (10, 14) and pos <= end:
            # calamine sizes its cell buffer from this record: it must be sane and bounded
            fmt = "<IIHH" if length == 14 else "<HHHH"
            first_row, end_row, first_col, end_col = struct.unpack_from(fmt, stream, body)
            if first_row > end_row or first_col > end_col or end_row > 65536 or end_col > 256:
                raise ReadFailure("E101", reason="工作表尺寸记录损坏")
            rows, cols = end_row - first_row, end_col - first_col
            if rows * cols > cap:
                raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {rows} 行 × {cols} 列，"
                                                 f"超过 {cap} 个单元格），请删除多余的行列后重新保存")
            continue
        if kind in _BIFF_CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            last = col
        elif kind == _BIFF_MULRK and length >= 6 and pos <= end:
            row, col = struct.unpack_from("<HH", stream, body)
            last = struct.unpack_from("<H", stream, pos - 2)[0]
        else:
            continue
        box = [min(box[0], row), max(box[1], row), min(box[2], col), max(box[3], last, col)]
        rows, cols = box[1] - box[0] + 1, box[3] - box[2] + 1
        if rows * cols > cap:
            raise ReadFailure("E104", detail=f"工作表的使用范围过大（约 {rows} 行 × {cols} 列，"
                                             f"超过 {cap} 个单元格），请删除多余的行列后重新保存")


def open_spreadsheet(data: bytes, name: str, limits: Limits):
    """(calamine workbook, kind) for bytes that should be a spreadsheet; else ReadFailure."""
    from python_calamine import CalamineWorkbook, PasswordError

    if len(data) > limits.max_file_bytes:
        raise ReadFailure("E104", detail=f"文件 {len(data) // 1048576} MB，超过 {limits.max_file_mb} MB")
    package = None
    if data.startswith(b"PK"):
        # One parse of the zip directory serves both the kind and the bomb guard.
        try:
            package = zipfile.ZipFile(io.BytesIO(data))
            kind = zip_kind(package, name)
        except Exception:  # BadZipFile, zlib.error, RuntimeError (encrypted entry), ...
            kind = "broken-zip"
    else:
        kind = detect(data, name)
    ext = Path(name).suffix.lower()
    if kind == "encrypted":
        raise ReadFailure("E102")
    if kind == "empty":
        raise ReadFailure("E101", reason="文件是空的")
    if kind not in ("xlsx", "xlsm", "xls", "ods"):
        if kind == "odd-xlsx":
            raise ReadFailure("E101", reason="内部结构不规范，多见于不常用的软件导出")
        if kind in ("broken-zip", "unknown", "ole") and ext in SPREADSHEET_EXTS:
            raise ReadFailure("E101", reason="文件已损坏或不是 Excel 文件")
        shown = {"docx": ".docx", "pdf": ".pdf", "doc": ".doc", "et": ".et", "numbers": ".numbers",
                 "xlsb": ".xlsb", "odf": ext or ".odt"}.get(kind, ext or "（无扩展名）")
        raise ReadFailure("E103", ext=shown, advice=SAVE_AS_ADVICE.get(shown, DEFAULT_ADVICE))
    if package is not None:
        guard_zip(package, limits, kind, data)
    elif kind == "xls":
        guard_xls(data, limits)
    try:
        with native_stderr_silenced():
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise ReadFailure("E102") from exc
    except BaseException as exc:  # calamine raises several types for damaged files, and panics
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise  # KeyboardInterrupt, SystemExit
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise ReadFailure("E102") from exc
        raise ReadFailure("E101", reason=short_reason(text)) from exc
    return wb, kind


@contextlib.contextmanager
def native_stderr_silenced():
    """Keep calamine's Rust panic message ("thread panicked at …") off the console.

    The panic itself is caught and recorded as E101; its message is written by Rust
    straight to file descriptor 2, where it would alarm a coordinator for nothing.
    """
    if _SILENCED[0]:  # nested: the outer block already holds descriptor 2
        yield
        return
    try:
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # no console at all (pythonw under Excel): nothing to protect
        yield
        return
    _SILENCED[0] = True
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        _SILENCED[0] = False
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


# Whether descriptor 2 is redirected now: a return's read silences once around its open and
# its sheet reads (six system calls each time; three times per return before).
_SILENCED = [False]


def is_panic(exc: BaseException) -> bool:
    """A Rust panic inside calamine: pyo3 raises PanicException, a BaseException (not an
    Exception), which would otherwise pass every ``except Exception`` up to the user."""
    return type(exc).__name__ == "PanicException"


def short_reason(text: str) -> str:
    """A library's failure as a Chinese reason; its own (English) words go to the log only."""
    text = re.sub(r"\s+", " ", text).strip()
    log.info("读取失败的技术细节：%s", text)
    lower = text.lower()
    for needle, reason in _KNOWN_FAILURES:
        if needle in lower:
            return reason
    return "文件结构无法识别"


#: Known library failures (calamine, zipfile, zlib), matched on lower-cased text.
_KNOWN_FAILURES = (
    ("cannot detect file format", "文件格式无法识别"),
    ("string index", "文件中的文字表损坏"),
    ("shared string", "文件中的文字表损坏"),
    ("zip", "文件压缩结构损坏"),
    ("xml", "文件内部 XML 损坏"),
    ("eof", "文件不完整（可能未传完）"),
    ("unexpected end", "文件不完整（可能未传完）"),
    ("cfb", "文件结构损坏"),
    ("biff", "文件结构损坏"),
)
