"""The .xls guard: an OLE2 compound file read as calamine's Cfb and Xls readers read it.

calamine finds the workbook stream by name, follows the file's sector chains without loop
checks, and builds every sheet of the workbook at open, each a dense grid over its cells
with every shared string copied per cell. `guard_xls` walks the same stream the same way and
refuses (`ReadFailure`) a file whose sheets, together, or whose copied text would exceed
the limits, before calamine sees it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from .errors import ReadFailure
from .extent import too_large
from .settings import Limits

_ENDOFCHAIN, _DIFSECT, _RESERVED = 0xFFFFFFFE, 0xFFFFFFFC, 0xFFFFFFFA
# calamine opens the first of these streams it finds, in this order (cfb.rs get_stream)
_WORKBOOK_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")
_BIFF_BOF, _BIFF_EOF, _BIFF_DIMENSIONS, _BIFF_FILEPASS = 0x0809, 0x000A, 0x0200, 0x002F
_BIFF_BOUNDSHEET, _BIFF_SST, _BIFF_CONTINUE = 0x0085, 0x00FC, 0x003C
# Cell records calamine places (xls.rs parse_workbook), with the shortest body it parses:
# NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA; STRING (0x0207) lands on the last
# FORMULA's cell and MULRK spans columns. BLANK/MULBLANK carry no value: not placed.
_BIFF_CELLS = {0x0203: 14, 0x0204: 6, 0x00D6: 6, 0x0205: 8, 0x027E: 10, 0x00FD: 10, 0x0006: 20}
_BIFF_MULRK, _BIFF_STRING, _BIFF_FORMULA, _BIFF_LABELSST = 0x00BD, 0x0207, 0x0006, 0x00FD


def _ole_stream(data: bytes, names: tuple[str, ...] = _WORKBOOK_STREAMS) -> bytes | None:
    """The stream calamine's Cfb reader returns for the first of ``names`` it finds, read the
    way it reads it (cfb.rs): its DIFAT and FAT, its directory, its mini stream, and a
    stream's chain up to its length; None if no entry has one of the names.

    calamine finds an entry by its name alone (the 64-byte field up to the first NUL: neither
    the length field nor the entry type), decides between the mini stream and the FAT by a
    fixed 4096 (not the header's cutoff), reads a 4 KB-sector stream's size as 64 bits, and
    follows every chain with no loop check (a directory chain without end: gigabytes, then
    an abort). Anything it would loop on, or read past the file, raises ValueError here.
    """
    if len(data) < 512 or data[:8] != b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1":
        raise ValueError("not a compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise ValueError("bad sector size")
    size = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_minifat, n_minifat, first_difat = struct.unpack_from("<III", data, 0x3C)
    n_sectors = max(0, (len(data) - size) // size)  # whole sectors after the header
    # calamine reserves the FAT's u32 ids from the header's count before reading anything
    if n_fat > n_sectors:
        raise ValueError("FAT count larger than the file")

    def sector(n: int) -> bytes:
        if n >= n_sectors:
            raise ValueError("sector out of range")
        return data[(n + 1) * size:(n + 2) * size]

    # DIFAT: the header's 109 ids, then a chain of DIFAT sectors whose last id is the next
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    d, seen = first_difat, set()
    while d < _RESERVED:
        if d in seen:
            raise ValueError("DIFAT chain loops")
        seen.add(d)
        difat += struct.unpack(f"<{size // 4}I", sector(d))
        d = difat.pop()
    fat_ids = [x for x in difat if x < _DIFSECT]
    if not fat_ids or len(set(fat_ids)) != len(fat_ids) or len(fat_ids) > n_sectors:
        raise ValueError("inconsistent FAT sector list")
    fat: list[int] = []
    for f in fat_ids:
        fat += struct.unpack(f"<{size // 4}I", sector(f))

    def chain(start: int, table: list[int], length: int, read) -> bytes:
        """Sectors from ``start`` until ENDOFCHAIN or ``length`` bytes (calamine's get_chain);
        a chain longer than the file (a loop) is refused."""
        out, n, steps = [], 0, 0
        while start != _ENDOFCHAIN:
            steps += 1
            if steps > n_sectors * (size // 64) + 1:
                raise ValueError("sector chain loops")
            block = read(start)
            out.append(block[:length - n])
            n += len(out[-1])
            if n >= length:
                break
            if start >= len(table):
                raise ValueError("sector chain leaves its table")
            start = table[start]
        return b"".join(out)

    directory = chain(first_dir, fat, 1 << 62, sector)
    if len(directory) % 128:
        raise ValueError("partial directory entry")
    entries = [directory[i:i + 128] for i in range(0, len(directory), 128)]
    if not entries:
        raise ValueError("empty directory")

    def entry_name(e: bytes) -> str:
        return e[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]

    def entry_len(e: bytes) -> int:
        return struct.unpack_from("<Q" if size == 4096 else "<I", e, 0x78)[0]

    mini_stream, mini_fat = b"", []
    if n_minifat > 0:
        mini_stream = chain(struct.unpack_from("<I", entries[0], 0x74)[0], fat, entry_len(entries[0]), sector)
        raw = chain(first_minifat, fat, n_minifat * size, sector)
        mini_fat = list(struct.unpack(f"<{len(raw) // 4}I", raw[:len(raw) // 4 * 4]))

    def mini_sector(n: int) -> bytes:
        if (n + 1) * 64 > len(mini_stream):  # calamine would read on from wherever the file is
            raise ValueError("mini sector out of range")
        return mini_stream[n * 64:(n + 1) * 64]

    by_name = {}
    for e in entries:
        by_name.setdefault(entry_name(e), e)
    for name in names:
        e = by_name.get(name)
        if e is None:
            continue
        start, length = struct.unpack_from("<I", e, 0x74)[0], entry_len(e)
        if length < 4096:
            return chain(start, mini_fat, length, mini_sector)
        return chain(start, fat, length, sector)
    return None


def _biff_records(stream: bytes, pos: int) -> Iterator[tuple[int, bytes, list[bytes]]]:
    """(type, body, CONTINUE bodies) as calamine's RecordIter reads them from ``pos``; ends
    where it would fail (calamine then fails the whole workbook)."""
    end = len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + length > end:
            return
        body = stream[pos + 4:pos + 4 + length]
        pos += 4 + length
        conts = []
        if end - pos > 4 and struct.unpack_from("<H", stream, pos)[0] == _BIFF_CONTINUE:
            while end - pos > 4 and struct.unpack_from("<H", stream, pos)[0] == _BIFF_CONTINUE:
                n = struct.unpack_from("<H", stream, pos + 2)[0]
                if pos + 4 + n > end:
                    return
                conts.append(stream[pos + 4:pos + 4 + n])
                pos += 4 + n
        yield kind, body, conts


def _sst_sizes(body: bytes, conts: list[bytes]) -> list[int]:
    """Upper bound of each shared string's UTF-8 size (calamine's parse_sst reads cch
    characters across CONTINUE records); a damaged table ends the list early."""
    pieces = [body[8:], *conts]
    out: list[int] = []
    try:
        buf, i = pieces[0], 1
        while buf or i < len(pieces):
            if not buf:
                buf, i = pieces[i], i + 1
                continue
            if len(buf) < 3:
                break
            cch, flags = struct.unpack_from("<HB", buf)
            out.append(3 * cch)
            skip = 3 + (2 if flags & 8 else 0) + (4 if flags & 4 else 0)
            runs = struct.unpack_from("<H", buf, 3)[0] * 4 if flags & 8 else 0
            ext = struct.unpack_from("<i", buf, 3 + (2 if flags & 8 else 0))[0] if flags & 4 else 0
            left = cch * (2 if flags & 1 else 1)
            buf = buf[skip:]
            while True:  # the characters, each CONTINUE starting with its own high-byte flag
                take = min(len(buf), left)
                buf, left = buf[take:], left - take
                if left <= 0:
                    break
                if i >= len(pieces):
                    return out
                chars_left = left // (2 if flags & 1 else 1)
                flags = (flags & ~1) | (pieces[i][0] & 1 if pieces[i] else 0)
                buf, i = pieces[i][1:], i + 1
                left = chars_left * (2 if flags & 1 else 1)
            rest = runs + max(ext, 0)
            while rest > 0:
                if not buf:
                    if i >= len(pieces):
                        return out
                    buf, i = pieces[i], i + 1
                take = min(len(buf), rest)
                buf, rest = buf[take:], rest - take
    except struct.error:
        pass
    return out


def guard_xls(data: bytes, limits: Limits) -> None:
    """Refuse an .xls whose sheets make calamine allocate more than the limits allow.

    calamine (xls.rs parse_workbook) reads the workbook globals up to their EOF, then every
    sheet from the offset its BoundSheet8 record gives, up to that sheet's EOF (skipping
    nested BOF..EOF substreams), into a dense Range<Data> over its cells (and a Range<String>
    over its formulas); every sheet is built at open, and a LABELSST cell is a copy of its
    shared string. The same walk is made here: each sheet, and all of them together, must
    stay within ``max_cells``, a DIMENSIONS record's reservation too, and the copied text
    within the unpacked-size limit. A 6 KB .xls with values in A1 and IV65536 makes calamine
    build 16.7 million cells (over 1 GB).
    """
    cap = limits.max_cells
    try:
        stream = _ole_stream(data)
        if stream is None:
            return  # calamine finds no workbook stream and says so
        # Protection: every record after FilePass is ciphertext, which calamine would report
        # as a damaged file (E101) rather than a password.
        for kind, _, _ in _biff_records(stream, 0):
            if kind == _BIFF_FILEPASS:
                raise ReadFailure("E102")
        offsets, strings = [], []
        for kind, body, conts in _biff_records(stream, 0):
            if kind == _BIFF_EOF:
                break
            if kind == _BIFF_BOUNDSHEET and len(body) >= 4:
                offsets.append(struct.unpack_from("<I", body)[0])
            elif kind == _BIFF_SST:
                strings = _sst_sizes(body, conts)
        total_cells = total_text = 0
        for offset in offsets:
            if offset > len(stream):
                continue  # calamine panics on the slice: nothing is allocated
            box = [1 << 40, -1, 1 << 40, -1]  # min row, max row, min col, max col
            formulas = False
            fmla = (0, 0)
            seen_bof, depth = False, 0
            for kind, body, _ in _biff_records(stream, offset):
                if kind == _BIFF_BOF:
                    if seen_bof:
                        depth += 1
                    seen_bof = True
                    continue
                if kind == _BIFF_EOF:
                    if depth == 0:
                        break
                    depth -= 1
                    continue
                # A nested substream's cells are counted as well (a calamine without its
                # skipping places them; counting them can only make the box larger).
                cells: list[tuple[int, int]] = []
                text = 0
                if kind == _BIFF_DIMENSIONS and len(body) in (10, 14):
                    # calamine reserves (rl - rf) x (cl - cf) cells from this record, in
                    # wrapping u32 arithmetic, with colMic reset to 0 when above 255 or colMac
                    fmt = "<IIHH" if len(body) == 14 else "<HHHH"
                    rf, rl, cf, cl = struct.unpack_from(fmt, body)
                    if cf > 0xFF or cl < cf:
                        cf = 0
                    if rl >= 1 and cl >= 1:
                        rows, cols = (rl - 1 - rf + 1) & 0xFFFFFFFF, (cl - 1 - cf + 1) & 0xFFFFFFFF
                        if rows * cols > cap:
                            too_large(rows, cols, cap)
                    continue
                if kind in _BIFF_CELLS and len(body) >= _BIFF_CELLS[kind]:
                    row, col = struct.unpack_from("<HH", body)
                    if kind == _BIFF_FORMULA:
                        fmla, formulas = (row, col), True
                    elif kind == _BIFF_LABELSST:
                        i = struct.unpack_from("<I", body, 6)[0]
                        if i >= len(strings):
                            continue  # calamine places no cell for a missing string
                        text = strings[i]
                    elif kind in (0x0204, 0x00D6):
                        text = 3 * len(body)
                    cells.append((row, col))
                elif kind == _BIFF_STRING:
                    cells.append(fmla)
                    text = 3 * len(body)
                elif kind == _BIFF_MULRK and len(body) >= 6:
                    row, first = struct.unpack_from("<HH", body)
                    last = struct.unpack_from("<H", body, len(body) - 2)[0]
                    # calamine checks the length against colLast - colFirst + 1 in u16
                    # arithmetic (which wraps), then places one cell per 6-byte RK from colFirst
                    if len(body) != 6 + 6 * ((last - first + 1) & 0xFFFF):
                        continue
                    n = (len(body) - 6) // 6
                    if n:
                        cells += [(row, first), (row, first + n - 1)]
                else:
                    continue
                for row, col in cells:
                    box = [min(box[0], row), max(box[1], row), min(box[2], col), max(box[3], col)]
                rows, cols = box[1] - box[0] + 1, box[3] - box[2] + 1
                area = rows * cols * (2 if formulas else 1)
                if rows * cols > cap or total_cells + area > cap:
                    too_large(rows, cols, cap)
                total_text += text
                if total_text > limits.max_unpacked_bytes:
                    raise ReadFailure("E104", detail=f"工作表中的文字过多（超过 {limits.max_unpacked_mb} MB）")
            if box[1] >= 0:
                total_cells += (box[1] - box[0] + 1) * (box[3] - box[2] + 1) * (2 if formulas else 1)
    except ReadFailure:
        raise
    except (ValueError, struct.error, IndexError, OverflowError) as exc:
        raise ReadFailure("E101", reason=f"文件结构损坏：{type(exc).__name__}") from exc
