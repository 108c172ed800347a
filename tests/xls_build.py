"""A hand-written OLE2 (compound file) + BIFF8 writer for small hostile .xls files (from the guard fuzzing harness).

Every field the guard or calamine reads can be overridden, so that the two readers can be
made to disagree on purpose.
"""
from __future__ import annotations

import struct

ENDOFCHAIN, FREESECT, FATSECT, DIFSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF
SIG = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"


# ----------------------------------------------------------------- BIFF8 records
def rec(t: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", t, len(body)) + body


def bof(dt: int = 0x0010, vers: int = 0x0600) -> bytes:
    return rec(0x0809, struct.pack("<HHHHII", vers, dt, 0x0DBB, 0x07CC, 0, 0x0006))


def eof() -> bytes:
    return rec(0x000A)


def boundsheet(pos: int, name: str = "S") -> bytes:
    n = name.encode("latin-1")
    return rec(0x0085, struct.pack("<IBB", pos, 0, 0) + bytes([len(n), 0]) + n)


def number(r: int, c: int, v: float = 1.0) -> bytes:
    return rec(0x0203, struct.pack("<HHHd", r, c, 0, v))


def rk(r: int, c: int) -> bytes:
    return rec(0x027E, struct.pack("<HHHI", r, c, 0, (1 << 2) | 2))


def mulrk(r: int, first: int, n: int, last: int | None = None) -> bytes:
    last = first + n - 1 if last is None else last
    body = struct.pack("<HH", r, first & 0xFFFF) + b"".join(struct.pack("<HI", 0, (1 << 2) | 2) for _ in range(n))
    return rec(0x00BD, body + struct.pack("<H", last & 0xFFFF))


def label(r: int, c: int, text: str = "x") -> bytes:
    t = text.encode("latin-1")
    return rec(0x0204, struct.pack("<HHHHB", r, c, 0, len(t), 0) + t)


def labelsst(r: int, c: int, i: int = 0) -> bytes:
    return rec(0x00FD, struct.pack("<HHHI", r, c, 0, i))


def boolerr(r: int, c: int) -> bytes:
    return rec(0x0205, struct.pack("<HHHBB", r, c, 0, 1, 0))


def formula(r: int, c: int, v: float = 1.0) -> bytes:
    # value, grbit, chn, cce=3, PtgInt 1
    return rec(0x0006, struct.pack("<HHHdHIH", r, c, 0, v, 0, 0, 3) + b"\x1e\x01\x00")


def string_rec(text: str = "x") -> bytes:
    t = text.encode("latin-1")
    return rec(0x0207, struct.pack("<HB", len(t), 0) + t)


def blank(r: int, c: int) -> bytes:
    return rec(0x0201, struct.pack("<HHH", r, c, 0))


def dimensions(rf: int, rl: int, cf: int, cl: int) -> bytes:
    return rec(0x0200, struct.pack("<IIHHH", rf, rl, cf, cl, 0))


def sst(strings: list[str]) -> bytes:
    body = struct.pack("<II", len(strings), len(strings))
    for s in strings:
        b = s.encode("latin-1")
        body += struct.pack("<HB", len(b), 0) + b
    return rec(0x00FC, body)


def workbook(sheets: list[bytes], names: list[str] | None = None, globals_extra: bytes = b"",
             offsets: list[int] | None = None, tail: bytes = b"") -> bytes:
    """A Workbook stream: globals (BOF, ``globals_extra``, one BoundSheet8 per sheet, EOF),
    then each sheet's records as given (they should start with BOF and end with EOF).
    ``offsets`` overrides the BoundSheet8 positions (relative to the stream)."""
    names = names or [f"S{i}" for i in range(len(sheets))]
    head_len = len(bof(0x0005)) + len(globals_extra) + sum(len(boundsheet(0, n)) for n in names) + len(eof())
    pos, auto = head_len, []
    for s in sheets:
        auto.append(pos)
        pos += len(s)
    offsets = offsets if offsets is not None else auto
    head = bof(0x0005) + globals_extra + b"".join(boundsheet(o, n) for o, n in zip(offsets, names)) + eof()
    return head + b"".join(sheets) + tail


def sheet(*records: bytes) -> bytes:
    return bof(0x0010) + b"".join(records) + eof()


def pad_stream(stream: bytes, at_least: int = 4096) -> bytes:
    """Pad with an unknown record after everything, to push a stream past the mini cutoff."""
    while len(stream) < at_least:
        n = min(8000, at_least - len(stream) + 4)
        stream += rec(0x00FF if False else 0x0013, b"\x00" * max(n - 4, 0))  # 0x13 PASSWORD: ignored
    return stream


# ----------------------------------------------------------------- OLE2 writer
def dir_entry(name: str, typ: int, start: int, size: int, *, child=NOSTREAM, left=NOSTREAM, right=NOSTREAM,
              name_len: int | None = None, raw_name: bytes | None = None, size_hi: int = 0) -> bytes:
    n = raw_name if raw_name is not None else name.encode("utf-16-le") + b"\x00\x00"
    n = n[:64].ljust(64, b"\x00")
    nl = (len(name) + 1) * 2 if name_len is None else name_len
    e = n + struct.pack("<HBB", nl, typ, 1) + struct.pack("<III", left, right, child)
    e += b"\x00" * 16 + struct.pack("<I", 0) + b"\x00" * 16 + struct.pack("<III", start, size, size_hi)
    assert len(e) == 128, len(e)
    return e


def ole(streams: list[dict], *, sector_shift: int = 9, cutoff: int = 4096, header_over: dict | None = None,
        fat_over: dict | None = None, extra_sectors: int = 0, mini_streams: list[dict] | None = None,
        dir_over: callable | None = None) -> bytes:
    """A compound file holding ``streams`` (dicts: name, data, [typ, name_len, raw_name, size,
    size_hi]) in regular sectors and ``mini_streams`` (same keys) in the mini stream.

    header_over: {offset: bytes} patched into the header; fat_over: {sector: next} patched
    into the FAT; dir_over(entries) may rewrite the directory entry list."""
    size = 1 << sector_shift
    mini_streams = mini_streams or []
    sectors: list[bytes] = []
    fat: dict[int, int] = {}

    def alloc(data: bytes) -> int:
        if not data:
            return ENDOFCHAIN
        first = len(sectors)
        n = (len(data) + size - 1) // size
        for i in range(n):
            sectors.append(data[i * size:(i + 1) * size].ljust(size, b"\x00"))
            fat[first + i] = first + i + 1 if i < n - 1 else ENDOFCHAIN
        return first

    starts = [alloc(s["data"]) for s in streams]
    # mini stream
    mini_blob, mini_fat, mini_starts = b"", [], []
    for s in mini_streams:
        d = s["data"]
        n = max(1, (len(d) + 63) // 64)
        first = len(mini_fat)
        mini_starts.append(first)
        for i in range(n):
            mini_fat.append(first + i + 1 if i < n - 1 else ENDOFCHAIN)
        mini_blob += d.ljust(n * 64, b"\x00")
    root_start = alloc(mini_blob) if mini_blob else ENDOFCHAIN
    minifat_start = alloc(b"".join(struct.pack("<I", x) for x in mini_fat).ljust(size, b"\xff")) if mini_fat else ENDOFCHAIN
    n_minifat = 1 if mini_fat else 0
    for _ in range(extra_sectors):
        sectors.append(b"\x00" * size)
    # directory
    entries = [dir_entry("Root Entry", 5, root_start, len(mini_blob), child=1)]
    allst = [(s, st) for s, st in zip(streams, starts)] + [(s, st) for s, st in zip(mini_streams, mini_starts)]
    for i, (s, st) in enumerate(allst):
        entries.append(dir_entry(s["name"], s.get("typ", 2), s.get("start", st), s.get("size", len(s["data"])),
                                 right=(i + 2 if i + 1 < len(allst) else NOSTREAM),
                                 name_len=s.get("name_len"), raw_name=s.get("raw_name"),
                                 size_hi=s.get("size_hi", 0)))
    if dir_over:
        entries = dir_over(entries)
    per = size // 128
    while len(entries) % per:
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
                       + b"\x00" * 36 + struct.pack("<III", 0, 0, 0))
    dir_start = alloc(b"".join(entries))
    # FAT sectors (after everything else)
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (size // 4):
        n_fat += 1
    fat_ids = list(range(len(sectors), len(sectors) + n_fat))
    for f in fat_ids:
        fat[f] = FATSECT
    if fat_over:
        fat.update(fat_over)
    table = [fat.get(i, FREESECT) for i in range(n_fat * size // 4)]
    for k in range(n_fat):
        sectors.append(b"".join(struct.pack("<I", x) for x in table[k * size // 4:(k + 1) * size // 4]))
    assert n_fat <= 109
    header = bytearray(SIG + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3 if sector_shift == 9 else 4, 0xFFFE,
                                                         sector_shift, 6))
    header += b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, cutoff, minifat_start, n_minifat,
                                        ENDOFCHAIN, 0)
    header += b"".join(struct.pack("<I", x) for x in fat_ids + [FREESECT] * (109 - n_fat))
    assert len(header) == 512, len(header)
    for off, b in (header_over or {}).items():
        header[off:off + len(b)] = b
    header = bytes(header).ljust(size, b"\x00")
    return header + b"".join(sectors)


def xls(stream: bytes, name: str = "Workbook", **kw) -> bytes:
    """An .xls whose workbook stream is ``stream`` (padded past the mini stream cutoff)."""
    return ole([{"name": name, "data": pad_stream(stream)}], **kw)
