"""Opening spreadsheets nobody here wrote: what they are, and guards before any parser.

Departments send what their office suite saved, and sometimes something else. Before
python-calamine sees a byte, the guards here bound what a file can make it allocate
(decompression bombs, a cell at XFD1048576, an ODF row repeated a million times, a damaged
.xls header); every refusal is a `ReadFailure` carrying the code to record (E101–E105).
The sheet guards themselves are `extent` (.xlsx and .ods markup) and `ole` (.xls); here
are the package walk that feeds them and the opening of the file.
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

from .errors import ReadFailure
from .extent import _Extent, longest_shared_string
from .ole import guard_xls
from .settings import Limits
from .sniff import DEFAULT_ADVICE, SAVE_AS_ADVICE, detect, zip_kind

log = logging.getLogger("duban")


SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls", ".ods")


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
        shared_cells, longest, strings = 0, 0, []  # .xlsx: shared-string copies (see below)
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
            part = b"".join(parts)
            _Extent(kind == "ods", max_cells, max_total).feed_whole(part)
            if kind != "ods":
                # a cell calamine reads as a shared string has t="s" or t='s': counting every
                # value that is exactly s may count more, never fewer (a regex for the
                # attribute took 0.7 ms a return, these two counts 0.01 ms)
                shared_cells += part.count(b'"s"') + part.count(b"'s'")
                longest = max(longest, len(part))
                if b"si" in part:
                    strings.append(part)
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
