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

# Start tags of rows and cells in SpreadsheetML (any namespace prefix) and in ODF content,
# and the end of an ODF row; attributes are parsed only for these.
# A namespace prefix as calamine accepts it: it matches tags by their local name, so any run
# of characters before a colon (``<9:c``, ``<:c``, ``<前:c``) makes a cell.
_PREFIX = rb"[^\s<>/:!?\"'=]*:"
_XLSX_TAG = re.compile(rb"<(?:" + _PREFIX + rb")?(row|c)(?=[\s/>])([^>]*)>")
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>")
# Every unprefixed cell and row start tag, with its reference when it comes first as Excel,
# WPS, LibreOffice and openpyxl write it (an empty group otherwise): one pass finds both the
# positions and whether any tag lacks them. Measured on a 35 KB return sheet: 0.05 ms, where
# matching referenced tags and counting all tags separately (four passes) took 0.2 ms.
_CELL_TAG = re.compile(rb'<c(?=[\s/>])(?: r="([A-Z]{1,3})(\d{1,7})")?([^>]*)>')
_ROW_TAG = re.compile(rb'<row(?=[\s/>])(?: r="(\d{1,7})")?')
# What any prefixed cell or row tag contains; cheaper to look for than the whole tag (0.01 ms
# on a 35 KB sheet against 0.05 ms), and where it shows up (even in a cell's text) the sheet
# is simply walked.
_PREFIX_HINT = re.compile(rb":(?:c|row)[\s/>]")
# ``r=`` with any spacing: never in the other attributes Excel and its kin write, and found
# with a literal scan where _R_ATTR, which starts at any whitespace, takes 0.02 ms per sheet
_R_EQ = re.compile(rb"r\s*=")
# An ``r`` attribute as calamine's XML reader finds it: after whitespace, or straight after the
# previous attribute's closing quote (``<c r="B1"r="XFD1048576">`` is read, and placed by the
# last ``r``), or first in a cell's remaining attributes (a NUL joins them in `_Extent._xlsx`).
_R_ATTR = re.compile(rb"""(?:^|(?<=[\s"'\0]))r\s*=\s*["']\$?([A-Za-z]{0,3})\$?(\d{0,7})["']""")
_ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d{1,9})["']""")
_COLS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d{1,9})["']""")


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

    def feed(self, chunk: bytes) -> None:
        buf = self.carry + chunk
        cut = buf.rfind(b"<")
        if cut >= 0 and buf.find(b">", cut) < 0:
            buf, self.carry = buf[:cut], buf[cut:][:4096]
        else:
            self.carry = b""
        (self._ods if self.ods else self._xlsx)(buf)
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

    def _xlsx(self, buf: bytes) -> None:
        # A namespace-prefixed cell or row (``<x:c``) is placed by the walk, as calamine
        # reads it by its local name.
        if _PREFIX_HINT.search(buf) is None:
            if b"<c" not in buf and b"<row" not in buf:
                return  # theme, docProps, relationships: scanned for bytes only
            cells, rows = _CELL_TAG.findall(buf), _ROW_TAG.findall(buf)
            if not cells and not rows:
                return
            # Column-wise tests instead of one per cell (0.06 ms against 0.17 ms for a 35 KB
            # sheet): a cell or row without a leading reference, or a cell with a second ``r``
            # (calamine takes the last; the attributes are joined so one search finds it), is
            # placed by the walk.
            letters, digits, rests = zip(*cells) if cells else ((), (), ())
            joined = b"\0".join(rests)
            if b"" not in letters and b"" not in rows and not (_R_EQ.search(joined) and _R_ATTR.search(joined)):
                # Every row and cell says where it is; self-closing cells hold no value and
                # calamine does not place them.
                valued = [(c, r) for c, r, rest in cells if rest[-1:] != b"/"]
                if valued:
                    letters, digits = zip(*valued)
                    numbers = [int(r) - 1 for r in set(digits)]
                    cols = [_column_number(c) - 1 for c in set(letters)]
                    self._place(min(numbers), min(cols))
                    self._place(max(numbers), max(cols))
                # where a later cell without ``r`` would go: the row element's row (a cell's
                # own reference never moves it), one column after the previous cell
                if rows:
                    self.row = int(rows[-1]) - 1
                if rows and buf.rfind(b"<row ") > buf.rfind(b"<c r="):
                    self.col = -1
                elif cells:
                    self.col = _column_number(cells[-1][0]) - 1
                return
        self._walk_xlsx(_XLSX_TAG.findall(buf))

    def _walk_xlsx(self, tags: list[tuple[bytes, bytes]]) -> None:
        """Cells placed one after another, as calamine does for cells without an ``r``: a row
        without ``r`` follows the previous row element, a cell without ``r`` sits in its row
        element's row, one column right of the previous cell."""
        row, col = self.row, self.col
        min_r, max_r, min_c, max_c = self.min_row, self.max_row, self.min_col, self.max_col
        for n, (name, attrs) in enumerate(tags):
            if name == b"row":
                ref = _R_ATTR.search(attrs)
                row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
                col = -1
                continue
            # calamine takes a cell's last ``r`` (``<c r="B1" r="Z300">`` sits at Z300)
            refs = _R_ATTR.findall(attrs)
            letters, digits = refs[-1] if refs else (b"", b"")
            r = row
            if letters:
                col = _column_number(letters) - 1
                if digits:
                    r = int(digits) - 1  # this cell's row; the row counter stays
            else:
                col += 1
            if attrs.endswith(b"/"):
                continue
            r = r if r > 0 else 0
            min_r, max_r = (r if r < min_r else min_r), (r if r > max_r else max_r)
            min_c, max_c = (col if col < min_c else min_c), (col if col > max_c else max_c)
            if n % 4096 == 0 and (max_r - min_r + 1) * (max_c - min_c + 1) > self.cap:
                break
        self.row, self.col = row, col
        self.min_row, self.max_row, self.min_col, self.max_col = min_r, max_r, min_c, max_c

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
                rep = _ROWS_REPEATED.search(attrs)
                self.repeat = max(1, int(rep.group(1))) if rep else 1
                self.col = 0
                if attrs.endswith(b"/"):
                    self._end_row()
                continue
            if closing:
                continue
            rep = _COLS_REPEATED.search(attrs)
            n = max(1, int(rep.group(1))) if rep else 1
            if b"value-type" in attrs or not attrs.endswith(b"/"):
                self._place(max(self.row, 0), self.col, self.repeat, n)
                if self.area > self.cap:
                    return
            self.col += n

    def _end_row(self) -> None:
        self.row = max(self.row, 0) + self.repeat
        self.repeat = 1


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _may_hold_cells(name: str, kind: str) -> bool:
    """Whether calamine may read ``name`` as a sheet. An .ods sheet is always content.xml; an
    .xlsx sheet is wherever its workbook's relationships point, any part name at all (a
    worksheet stored as docProps/x.xml or xl/theme/x.xml is read like any other): every
    part of an .xlsx is scanned. Skipping the parts that normally hold no cells (theme,
    styles, docProps) let a 1.5 KB file with its sheet under such a name past the guard."""
    return name == "content.xml" if kind == "ods" else True


def guard_zip(z: zipfile.ZipFile, limits: Limits, kind: str = "") -> None:
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
            extent = _Extent(kind == "ods", max_cells)
            with z.open(i) as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
                    if total > max_total:
                        raise ReadFailure("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
                    if extent is not None:
                        extent.feed(chunk)
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
        guard_zip(package, limits, kind)
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
