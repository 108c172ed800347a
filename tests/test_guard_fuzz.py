"""Shapes a differential fuzzing run found against calamine 0.37 (python-calamine 0.9.1):
each passed the .ods or .xls guard, and calamine then allocated gigabytes and aborted the
process (SIGABRT), or looped until it did. The guard alone is asked here (calamine is never
called); the harness that found them compares the two in a memory-capped child."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import xls_build as X
from test_hostile import DEFAULT_LIMITS, ods_package

A1 = '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
GAP = '<table:table-row table:number-rows-repeated="{}"><table:table-cell/></table:table-row>'
WIDE = ('<table:table-row><table:table-cell table:number-columns-repeated="{}" office:value-type="float" '
        'office:value="1"/></table:table-row>')


@pytest.mark.parametrize("rows", [
    A1 + GAP.format(5999) + WIDE.format("+16384"),  # usize::from_str takes a leading +
    A1 + GAP.format("+5999") + WIDE.format(16384),
    A1 + GAP.format("&#53;999") + WIDE.format(16384),  # a row count is entity-decoded first
    A1 + GAP.format(5999) + '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
                            'office:value="1"/></table:table-row>',  # a value with no value-type
    A1 + GAP.format(5999) + '<table:table-row><table:table-cell table:number-columns-repeated="16384" '
                            'office:boolean-value="true"/></table:table-row>',
    '<table:table-row><table:table-cell table:formula="of:=1"/></table:table-row>' + GAP.format(5999)
    + '<table:table-row><table:table-cell table:number-columns-repeated="16384" table:formula="of:=1"/>'
      '</table:table-row>',  # formulas alone: calamine's Range<String>
    A1 + GAP.format(5999) + "<!--<table:table>-->" + WIDE.format(16384),  # calamine skips comments
    A1 + GAP.format(5999) + "<![CDATA[<table:table>]]>" + WIDE.format(16384),
    A1 + GAP.format(5999) + '<table:table table:name="n">' + WIDE.format(16384),  # ignored inside a table
    '<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="3000">'
    '<text:p><text:s text:c="1000000"/></text:p></table:table-cell></table:table-row>',  # 3 GB of copies
], ids=["plus-cols", "plus-rows", "entity-rows", "value-no-type", "bool-no-type", "formula-only",
        "comment", "cdata", "nested-table", "text-s-copies"])
def test_ods_guard_follows_calamines_reader(rows):
    from toolkit.spreadsheet import ReadFailure, guard_zip

    data = ods_package(rows)
    with pytest.raises(ReadFailure) as refused:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "ods", data)
    assert refused.value.code in ("E101", "E104")


def test_ods_guard_counts_all_sheets_together():
    """calamine builds every table at open: 400 sheets of 1999 x 1000 cells are 26 GB."""
    from toolkit.spreadsheet import ReadFailure, guard_zip

    table = ('<table:table table:name="t{}"><table:table-row table:number-rows-repeated="1999">'
             '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/>'
             '</table:table-row></table:table>')
    one = ods_package("")
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        content = z.read("content.xml").decode()
    content = content.replace('<table:table table:name="进展填报"></table:table>',
                              "".join(table.format(i) for i in range(400)))
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(one)) as src, zipfile.ZipFile(buf, "w") as z:
        for info in src.infolist():
            z.writestr(info, content if info.filename == "content.xml" else src.read(info))
    data = buf.getvalue()
    with pytest.raises(ReadFailure) as refused:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "ods", data)
    assert refused.value.code == "E104"


FAR = 65535


def _evil() -> bytes:
    return X.workbook([X.sheet(X.number(0, 0), X.number(FAR, FAR))])


def _benign() -> bytes:
    return X.workbook([X.sheet(X.number(0, 0), X.number(1, 1))])


def _many_names() -> bytes:
    one = X.sheet(X.number(0, 0), X.number(1998, 999))
    names = [f"S{i}" for i in range(400)]
    head = len(X.bof(0x0005)) + sum(len(X.boundsheet(0, n)) for n in names) + len(X.eof())
    return X.xls(X.workbook([one] + [b""] * 399, names=names, offsets=[head] * 400))


def _hidden() -> bytes:
    hidden = X.sheet(X.number(0, 0), X.number(FAR, FAR))
    head = len(X.bof(0x0005)) + len(X.boundsheet(0, "S0")) + len(X.eof())
    off = head + len(X.sheet(X.number(0, 0))) + 4
    return X.xls(X.workbook([X.sheet(X.number(0, 0))], offsets=[off], tail=X.rec(0x0013, hidden)))


def _dir_cycle() -> bytes:
    data = bytearray(X.xls(_benign()))
    dir_start, = struct.unpack_from("<I", data, 0x30)
    fat_sector, = struct.unpack_from("<I", data, 0x4C)
    struct.pack_into("<I", data, 512 + fat_sector * 512 + 4 * dir_start, dir_start)
    return bytes(data)


def _difat_cycle() -> bytes:
    data = bytearray(X.xls(_benign(), extra_sectors=1))
    s = next(i for i in range((len(data) - 512) // 512) if data[512 + i * 512:1024 + i * 512] == bytes(512))
    struct.pack_into("<128I", data, 512 + s * 512, *([0xFFFFFFFF] * 127 + [s]))
    struct.pack_into("<I", data, 0x44, s)
    return bytes(data)


@pytest.mark.parametrize("build", [
    lambda: X.xls(X.workbook([X.sheet(X.number(0, 0), X.bof(0x0020), X.eof(), X.number(FAR, FAR))])),
    lambda: X.xls(X.workbook([X.number(0, 0) + X.sheet(X.number(FAR, FAR))])),  # cells before the BOF
    _hidden,  # BoundSheet8 points into another record's body
    _many_names,  # 400 BoundSheet8 records naming one 2 M-cell sheet
    lambda: X.xls(X.workbook([X.sheet(X.number(0, FAR), X.mulrk(FAR, FAR, 10921, last=10919))])),
    lambda: X.xls(X.workbook([X.sheet(X.dimensions(0, 65536, 256, 256), X.number(0, 0))])),
    lambda: X.ole([{"name": "Workbook", "data": X.pad_stream(_evil()), "typ": 0}]),  # any entry type
    lambda: X.ole([{"name": "Workbook", "data": X.pad_stream(_evil()), "name_len": 0}]),
    lambda: X.ole([{"name": "WORKBOOK", "data": X.pad_stream(_evil() + X.rec(0x13, "Workbook".encode("utf-16-le")))}]),
    lambda: X.ole([{"name": "Workbook", "data": X.pad_stream(_evil()), "typ": 0},
                   {"name": "Workbook", "data": X.pad_stream(_benign())}]),
    lambda: X.ole([{"name": "Decoy", "data": X.pad_stream(_benign())}],
                  mini_streams=[{"name": "Workbook", "data": _evil()}], cutoff=0),  # cutoff is 4096
    lambda: X.ole([{"name": "Workbook", "data": X.pad_stream(_evil()), "size": 100, "size_hi": 1}],
                  mini_streams=[{"name": "Decoy", "data": _benign()}], sector_shift=12),  # u64 size
    _dir_cycle,
    _difat_cycle,
    lambda: X.xls(X.workbook([X.sheet(*[X.labelsst(r, c) for r in range(40) for c in range(100)])] + [b""] * 29,
                             names=[f"S{i}" for i in range(30)], globals_extra=X.sst(["x" * 60000]),
                             offsets=[len(X.bof(5)) + len(X.sst(["x" * 60000]))
                                      + sum(len(X.boundsheet(0, f"S{i}")) for i in range(30)) + len(X.eof())] * 30)),
], ids=["nested-bof", "before-bof", "hidden-in-record", "many-boundsheets", "mulrk-wrap", "dimensions-col-256",
        "entry-type-0", "name-length-0", "uppercase-name", "decoy-entry", "cutoff-0", "size-high-dword",
        "directory-loop", "difat-loop", "shared-string-copies"])
def test_xls_guard_follows_calamines_reader(build):
    from toolkit.spreadsheet import ReadFailure, guard_xls

    with pytest.raises(ReadFailure) as refused:
        guard_xls(build(), DEFAULT_LIMITS)
    assert refused.value.code in ("E101", "E104")


def test_xls_guard_passes_plain_workbooks():
    from toolkit.spreadsheet import guard_xls

    guard_xls(X.xls(_benign()), DEFAULT_LIMITS)
    guard_xls(X.ole([], mini_streams=[{"name": "Workbook", "data": _benign()}]), DEFAULT_LIMITS)


# ---------------------------------------------------------------------------
# .xlsx: calamine copies a shared string into every cell that uses it

def _shared(string_xml: str, cells: int = 3000) -> bytes:
    from test_hostile import package, sheet_xml, sst_xml

    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                   + "</row>" for r in range(1, cells // 10 + 1))
    return package(sheet_xml(rows), sst_xml(string_xml))


BIG = "x" * 1_000_000


@pytest.mark.parametrize("string_xml", [
    f"<si><t>{BIG}</t></si>",  # 9 KB on disk, 3 GB in calamine
    f'<si><t>{BIG[:500_000]}</t><t a="</si>">{BIG[:500_000]}</t></si>',  # an end tag in a quoted value ends nothing
    f"<si><t>{BIG[:500_000]}</t><!--</si>--><t>{BIG[:500_000]}</t></si>",  # nor one in a comment
    f"<x:si><x:t>{BIG}</x:t></x:si>",  # any prefix
], ids=["plain", "quoted-end", "comment-end", "prefixed"])
def test_shared_string_copies_are_bounded(string_xml):
    from toolkit.spreadsheet import ReadFailure, guard_zip

    data = _shared(string_xml)
    with pytest.raises(ReadFailure) as refused:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "xlsx", data)
    assert refused.value.code == "E104" and "共享文字" in refused.value.params["detail"]


def test_long_shared_strings_used_a_few_times_pass():
    from toolkit.spreadsheet import guard_zip

    data = _shared(f"<si><t>{BIG}</t></si>", cells=100)  # 100 MB of copies: within the limit
    guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "xlsx", data)


def test_longest_shared_string_bounds_what_calamine_reads():
    from python_calamine import CalamineWorkbook
    from test_hostile import package, sheet_xml, sst_xml

    from toolkit.extent import longest_shared_string

    strings = "<si><t>短</t></si><si><r><t>富</t></r><r><t>文本&amp;</t></r></si><si><t><![CDATA[<b>]]>x</t></si>"
    sst = sst_xml(strings).encode()
    cells = "".join(f'<c r="A{i + 1}" t="s"><v>{i}</v></c>' for i in range(3))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(package(sheet_xml(f'<row r="1">{cells}</row>'), sst)))
    values = sheet.get_sheet_by_index(0).to_python()
    read = max(len(str(v).encode()) for row in values for v in row)
    assert longest_shared_string(sst) >= read
