"""Opening spreadsheets nobody here wrote: what they are, and guards before any parser.

Departments send what their office suite saved, and sometimes something else. Before
python-calamine sees a byte, the guards here bound what a file can make it allocate
(decompression bombs, a cell at XFD1048576, an ODF row repeated a million times, a damaged
.xls header); every refusal is a `ReadFailure` carrying the code to record (E101–E105).
The sheet guards themselves are `extent` (.xlsx and .ods markup) and `ole` (.xls); here
are the package walk that feeds them and the opening of the file.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .errors import ReadFailure
from .extent import _Extent, longest_shared_string
from .logs import log
from .ole import guard_xls
from .settings import Limits
from .sniff import DEFAULT_ADVICE, SAVE_AS_ADVICE, TNEF_ADVICE, WPS_SHEET_EXTS, detect, zip_kind

SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")
_ARCHIVE_EXTS = (".zip", ".7z", ".rar")  # what `unpack` opens, by content


def _may_hold_cells(name: str, kind: str) -> bool:
    """Whether calamine may read ``name`` as a sheet. An .ods sheet is always content.xml; an
    .xlsx sheet is wherever its workbook's relationships point, any part name at all (a
    worksheet stored as docProps/x.xml or xl/theme/x.xml is read like any other, and so is an
    xl/sharedStrings.xml that is both): every part of an .xlsx is scanned. Skipping the parts
    that normally hold no cells let a 1.5 KB file with its sheet under such a name past."""
    return name == "content.xml" if kind == "ods" else True


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """The stored bytes of a member of at most 1 MB, straight from ``data``; None when it
    needs `_chunks` (larger, encrypted, another method, an odd local header). Opening each
    part through zipfile cost about 20 µs; an .xlsx has ten or so parts, every one of which
    is scanned."""
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
    return raw if len(raw) == info.compress_size else None


def _inflate(raw: memoryview, info: zipfile.ZipInfo) -> bytes:
    """A `_raw_member` inflated up to its declared size, as zipfile and calamine read it."""
    if info.compress_type == zipfile.ZIP_STORED or not info.file_size:
        return bytes(raw[:info.file_size])  # (zlib reads a max_length of 0 as "no limit")
    return zlib.decompressobj(-15).decompress(raw, info.file_size)


def _si_start(part: bytes) -> bool:
    """Whether ``part`` may hold the start of an element whose local name is si, as
    `longest_shared_string` finds one (``<si`` or ``:si``, then a space, tab, CR, LF or the
    tag's end; ``<si/>`` holds no text). A part without one gives it nothing to read; a
    theme or styles part holds "si" only in words such as "version". (A regex for this took
    0.5 ms a return, having no literal to look for first; ``find`` is memchr-fast.)"""
    i = part.find(b"si")
    while i >= 0:
        if i and part[i - 1] in b"<:" and part[i + 2:i + 3] in (b" ", b"\t", b"\r", b"\n", b">"):
            return True
        i = part.find(b"si", i + 2)
    return False


# Parts without a cell (theme, styles, docProps, relationships) are the same bytes in most
# returns: every copy of Excel writes the same theme1.xml, and a form sent back unedited
# keeps duban's. Their scan is remembered by the stored bytes themselves, which inflate to
# the same part, so no other content can share a verdict. Looked up by what the directory
# says of the part, (kind, method, declared size, stored size, CRC-32) → (stored bytes,
# inflated length, the part's shared-string marks), and a hit only when the stored bytes are
# equal: a part whose directory entry copies a remembered one's (a CRC is the sender's to
# write) is scanned like any other. A hit costs a comparison of a few KB, where inflating
# and scanning the eight such parts of a W2 return took 0.2 ms of its 0.45 ms guard (W2
# profile); a miss (every sheet) costs a dict lookup, where a key of the stored bytes
# themselves copied and hashed every part of 16 KB or less, sheets included (callgrind, W2:
# guard_zip per return 2.63 M → 2.59 M instructions, read + check 10.77 M → 10.72 M; QA340).
_PLAIN_PARTS: dict[tuple[str, int, int, int, int], tuple[bytes, int, int]] = {}
_PLAIN_MAX_STORED = 16 << 10  # bytes of one remembered part, stored
_PLAIN_MAX_PARTS = 256  # at most 4 MB; forgotten all at once when full


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

    def unpacked(total: int, more: int) -> int:
        """``total`` unpacked bytes and ``more``, refused past the limit."""
        total += more
        if total > max_total:
            raise ReadFailure("E104", detail=f"解压后超过 {limits.max_unpacked_mb} MB")
        return total

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
        ods = kind == "ods"  # every part of any other package may hold cells (`_may_hold_cells`)
        total = sum(i.file_size for i in infos if not _may_hold_cells(i.filename, kind)) if ods else 0
        shared_cells, longest, strings = 0, 0, []  # .xlsx: shared-string copies (see below)
        for i in infos:
            if ods and not _may_hold_cells(i.filename, kind):
                continue  # bounded by its declared size, which zipfile and calamine stop at
            raw = _raw_member(data, i) if data is not None else None
            known = None
            if raw is not None and len(raw) <= _PLAIN_MAX_STORED and kind != "ods":
                known = (kind, i.compress_type, i.file_size, len(raw), i.CRC)
                seen = _PLAIN_PARTS.get(known)
                if seen is not None and seen[0] == raw.tobytes():  # (a memoryview compares bytewise)
                    _, length, marks = seen
                    total = unpacked(total, length)
                    shared_cells += marks
                    longest = max(longest, length)
                    continue
            # A part is scanned whole (at most the unpacked limit, which calamine would hold
            # too): no tag is ever cut at a chunk boundary, and the fast path judges the whole
            # part or none of it.
            parts: list[bytes] = []
            for chunk in [_inflate(raw, i)] if raw is not None else _chunks(z, i):
                total = unpacked(total, len(chunk))
                parts.append(chunk)
            part = b"".join(parts)
            extent = _Extent(kind == "ods", max_cells, max_total)
            cells = extent.feed_whole(part)
            marks = 0
            if kind != "ods":
                # A cell calamine reads as a shared string has t="s" or t='s'. A part the
                # fast path placed has no more such cells than cell tags; any other part
                # counts every value that is exactly s, which may count more, never fewer.
                # (A regex for the attribute took 0.7 ms a return; the two counts, 49 µs on
                # a 35 KB sheet, are skipped where the cell tags were counted anyway.)
                marks = cells if cells is not None else part.count(b'"s"') + part.count(b"'s'")
                shared_cells += marks
                longest = max(longest, len(part))
                if b"si" in part:
                    strings.append(part)
            # a part remembered holds no cell and no si element: on a hit it adds nothing
            # to the grid or to the strings read when copies are bounded
            if known is not None and not extent.placed and not _si_start(part):
                if len(_PLAIN_PARTS) >= _PLAIN_MAX_PARTS:
                    _PLAIN_PARTS.clear()
                _PLAIN_PARTS[known] = (raw.tobytes(), len(part), marks)
        # calamine copies a shared string into every cell that uses it: one string of 1 MB
        # (1 KB deflated) in 3,000 cells of a 9 KB file is 3 GB. Bounded like unpacked bytes:
        # by the longest part first (free), and only when that could be too much, by the
        # longest string calamine would read.
        if shared_cells * longest > max_total:
            copied = shared_cells * max(map(longest_shared_string, strings), default=0)
            if copied > max_total:
                raise ReadFailure("E104", detail=f"工作表引用的共享文字过多（复制后约 {copied >> 20} MB，"
                                                 f"超过 {limits.max_unpacked_mb} MB）")
    except ReadFailure:
        raise
    except RuntimeError as exc:  # zipfile: "encrypted, password required"
        raise ReadFailure("E102") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError) as exc:
        raise ReadFailure("E101", reason=f"压缩结构损坏：{type(exc).__name__}") from exc
    except Exception as exc:  # zlib.error and friends from a mangled stream
        raise ReadFailure("E101", reason=f"内容损坏：{type(exc).__name__}") from exc


def open_spreadsheet(data: bytes, name: str, limits: Limits):
    """(calamine workbook, kind) for bytes that should be a spreadsheet; else ReadFailure.
    A WPS .et or .ett is the .xls (or .xlsx) it holds: its kind is that one."""
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
    if kind == "encrypted":
        raise ReadFailure("E102")
    if kind == "empty":
        raise ReadFailure("E101", reason="文件是空的")
    if kind not in ("xlsx", "xlsm", "xls", "ods"):
        ext = Path(name).suffix.lower()  # only a refusal names it: a Path is 5 µs of a read
        if kind == "odd-xlsx":
            raise ReadFailure("E101", reason="内部结构不规范，多见于不常用的软件导出")
        if kind in ("broken-zip", "unknown", "ole") and ext in SPREADSHEET_EXTS:
            raise ReadFailure("E101", reason="文件已损坏或不是 Excel 文件")
        if kind in ("broken-zip", "unknown") and ext in _ARCHIVE_EXTS:
            # an archive that does not open was 不支持的文件格式“.zip”, when .zip is what we ask for (QA368)
            why = ("压缩包已损坏，无法解开；请重新压缩后报送，或直接附上填报表" if ext == ".zip"
                   else "压缩包已损坏，或只是改了扩展名；请直接报送 .xlsx 填报表，或改用 .zip 压缩")
            raise ReadFailure("E101", reason=why)
        raise _unsupported(kind, ext)
    try:
        if package is not None:
            guard_zip(package, limits, kind, data)
        elif kind == "xls":
            guard_xls(data, limits)
        return _calamine(data), kind
    except ReadFailure as exc:
        # A WPS .et (.ett) is read as the workbook it holds; one that cannot be read (WPS's
        # own encryption, a private format) is fixed in WPS by 另存为 .xlsx, not by a repair
        ext = Path(name).suffix.lower()
        if exc.code == "E101" and ext in WPS_SHEET_EXTS:
            raise _unsupported("et", ext) from exc
        raise


def _unsupported(kind: str, ext: str) -> ReadFailure:
    """E103 for a file of ``kind`` named ``ext``: what it is, and what to save it as."""
    shown = {"docx": ".docx", "pdf": ".pdf", "doc": ".doc", "numbers": ".numbers",
             "xlsb": ".xlsb", "odf": ext or ".odt"}.get(kind, ext or "（无扩展名）")
    advice = TNEF_ADVICE if kind == "tnef" else SAVE_AS_ADVICE.get(shown, DEFAULT_ADVICE)
    return ReadFailure("E103", ext=shown, advice=advice)


def _calamine(data: bytes):
    """The calamine workbook of bytes past the guards; ReadFailure E101/E102 if it fails."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        with native_stderr_silenced():
            return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise ReadFailure("E102") from exc
    except BaseException as exc:  # calamine raises several types for damaged files, and panics
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise  # KeyboardInterrupt, SystemExit
        text = str(exc)
        if "password" in text.lower() or "encrypt" in text.lower():
            raise ReadFailure("E102") from exc
        raise ReadFailure("E101", reason=short_reason(text)) from exc


class native_stderr_silenced:  # used as a function: ``with native_stderr_silenced():``
    """Keep calamine's Rust panic message ("thread panicked at …") off the console.

    The panic itself is caught and recorded as E101; its message is written by Rust
    straight to file descriptor 2, where it would alarm a coordinator for nothing.

    A class, not a generator: a read enters it three times or more (once around the whole
    read, then nested, as a no-op, around the open and each sheet read); the generator's
    machinery made a nested use cost 2.2 µs, now 0.5, and the outer one 10 µs, now 6 (the
    six system calls). The null device is opened once a process (`_null_device`), not at
    each read: its open and close were 7 µs of the 10 µs that silencing took (W2, QA396).
    """

    __slots__ = ("saved",)

    def __enter__(self) -> None:
        self.saved = None
        if _SILENCED[0]:  # nested: the outer block already holds descriptor 2
            return
        # The copy of descriptor 2 is kept the moment it is made, so that a Ctrl-C anywhere
        # in between (raised as os.dup or os.dup2 returns) gives back what was taken.
        try:
            devnull = _null_device()
            self.saved = os.dup(2)
            _SILENCED[0] = True
            os.dup2(devnull, 2)
        except OSError:  # no console at all (pythonw under Excel): nothing to protect
            self.__exit__()
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *exc: object) -> None:
        saved = self.saved
        if saved is None:
            return
        try:
            os.dup2(saved, 2)
        finally:
            # so that an interrupt while giving back still closes the copy
            self.saved = None
            _SILENCED[0] = False
            os.close(saved)


# Whether descriptor 2 is redirected now: a return's read silences once around its open and
# its sheet reads (four system calls each time; three times per return before QA116).
_SILENCED = [False]
# The null device's descriptor, open for the life of the process from the first read that
# silenced descriptor 2 (passed to no program started: Python's descriptors are not inheritable).
_NULL = [-1]


def _null_device() -> int:
    """The null device's descriptor, opened on first use (OSError: none to open)."""
    if _NULL[0] < 0:
        _NULL[0] = os.open(os.devnull, os.O_WRONLY)
    return _NULL[0]


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
