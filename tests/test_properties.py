"""Property tests (hypothesis): what departments type comes back exactly; what a mangled
file does never escapes `check` or `collect`; the guards never under-count.

Examples are derandomized (the same in CI every time) and no example database is kept.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.extent import _Extent
from toolkit.filling import Answer, Filling, fill_return
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.text import MAX_NAME_BYTES, safe_filename
from toolkit.vocab import REPORTABLE as STATUSES
from toolkit.workspace import find_workspace

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
UNITS = ("石龙镇", "市公安局", "虎门镇")


@pytest.fixture(scope="module")
def issued_template(_session_issued) -> Path:
    return _session_issued


@pytest.fixture(scope="module")
def master(issued_template):
    return find_workspace(issued_template).load_master()


class Scratch:
    """A fresh copy of the issued workspace per example (fixtures are per test, not per example)."""

    def __init__(self, template: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="duban-prop-"))
        self.root = self.dir / "ws"
        shutil.copytree(template, self.root)
        self.ws = find_workspace(self.root)

    def __enter__(self):
        return self.ws

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)


def issued(template: Path, unit: str) -> Path:
    return template / "下发" / "2022年6月" / f"2022年6月_{unit}_进展填报表.xlsx"


# ---------------------------------------------------------------------------
# random valid fills


# What a department types: Chinese, ASCII, full-width forms, emoji, line breaks inside.
# Excluded: what `clean` removes by design (controls, bidi marks, outer spaces), and the
# OOXML escape pattern _xHHHH_, which Excel itself writes as _x005F_xHHHH_.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.sampled_from("，。、；：？！“”‘’（）【】《》—…％＋－＝＠\n😀①②"),
)
TEXT = st.text(_ALPHABET, min_size=1, max_size=60).map(lambda s: re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"-\1", s)).filter(
    lambda s: s == s.strip() and "\n\n" not in s and s.strip() != "")
OPTIONAL_TEXT = st.one_of(st.just(""), TEXT)


@st.composite
def answers(draw) -> Answer:
    status = draw(st.sampled_from(STATUSES))
    progress = {"已完成": 100, "未启动": 0}.get(status)
    if progress is None:
        progress = draw(st.integers(0, 99))
    return Answer(
        status=status, progress=progress, work=draw(TEXT),
        problems=draw(TEXT) if status == "滞后" else draw(OPTIONAL_TEXT),
        next_plan=draw(OPTIONAL_TEXT),
        eta=draw(st.one_of(st.none(), st.dates(dt.date(2022, 1, 1), dt.date(2035, 12, 31)))),
        evidence=draw(TEXT) if status == "已完成" else draw(OPTIONAL_TEXT))


def fills(master, unit: str):
    tasks = [t.id for t, _ in master.tasks_of(unit)]
    return st.fixed_dictionaries({tid: answers() for tid in tasks})


@pytest.mark.parametrize("unit", UNITS)
def test_random_valid_fill_is_read_back_exactly(issued_template, master, unit):
    """check: every status, progress, text and date a department types is what the report holds."""
    source = issued(issued_template, unit).read_bytes()
    ctx = CheckContext(master, find_workspace(issued_template).limits, period=Period(2022, 6))

    @settings(max_examples=15, **SETTINGS)
    @given(fill=fills(master, unit))
    def prop(fill):
        data = fill_return(source, Filling(answers=fill))
        report = check_return(data, f"{unit}.xlsx", ctx)
        assert report.errors == 0, [i.message for i in report.issues if i.is_error]
        assert report.outcome == "采纳"
        got = {r.task: r for r in report.rows}
        assert set(got) == set(fill)
        for tid, a in fill.items():
            r = got[tid]
            assert (r.status, r.progress, r.work, r.problems, r.next_plan, r.eta, r.evidence) == (
                a.status, a.progress, a.work, a.problems, a.next_plan, a.eta, a.evidence), tid

    prop()


def test_random_valid_fills_survive_collect_and_merge_exactly(issued_template, master):
    """collect + merge: the 单位明细 sheet of the 汇总表 holds every typed value, unchanged."""
    from toolkit.actions.merge import merge

    sources = {u: issued(issued_template, u).read_bytes() for u in UNITS[:2]}

    @settings(max_examples=6, **SETTINGS)
    @given(fill_a=fills(master, UNITS[0]), fill_b=fills(master, UNITS[1]))
    def prop(fill_a, fill_b):
        with Scratch(issued_template) as ws:
            for unit, fill in ((UNITS[0], fill_a), (UNITS[1], fill_b)):
                (ws.inbox / f"{unit}.xlsx").write_bytes(fill_return(sources[unit], Filling(answers=fill)))
            result = collect(ws, "2022-06", feedback=False)
            assert result.accepted == 2, [i.message for t in result.items for it in t.walk()
                                          for i in (it.report.issues if it.report else []) if i.is_error]
            path = merge(ws, "2022-06").path
            sheet = load_workbook(path, read_only=True)["单位明细"]
            found = {}
            for row in sheet.iter_rows(min_row=4, values_only=True):
                task, unit, status, progress, work, problems, plan, eta, evidence = (
                    row[0], row[4], row[6], row[7], row[8], row[9], row[10], row[11], row[12])
                found[(unit, task)] = (status, progress, work or "", problems or "", plan or "",
                                       eta.date() if isinstance(eta, dt.datetime) else (eta or None),
                                       evidence or "")
            for unit, fill in ((UNITS[0], fill_a), (UNITS[1], fill_b)):
                for tid, a in fill.items():
                    assert found[(unit, tid)] == (a.status, a.progress, a.work, a.problems, a.next_plan,
                                                  a.eta, a.evidence), (unit, tid)

    prop()


# ---------------------------------------------------------------------------
# random damage never escapes


def _valid_return(template: Path) -> bytes:
    a = Answer(status="已完成", progress=100, work="已完成。", evidence="文号")
    return fill_return(issued(template, "石龙镇"), Filling(answers={"1.2": a}))


@st.composite
def byte_mutations(draw, size: int):
    kind = draw(st.sampled_from(["flip", "truncate", "splice", "zero"]))
    if kind == "flip":
        return kind, draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, 255)), min_size=1, max_size=30))
    if kind == "truncate":
        return kind, draw(st.integers(0, size - 1))
    a = draw(st.integers(0, size - 1))
    return kind, (a, draw(st.integers(a, min(size, a + 4096))))


def mutate(data: bytes, mutation) -> bytes:
    kind, arg = mutation
    buf = bytearray(data)
    if kind == "flip":
        for pos, value in arg:
            buf[pos] = value
        return bytes(buf)
    if kind == "truncate":
        return bytes(buf[:arg])
    a, b = arg
    if kind == "zero":
        buf[a:b] = b"\0" * (b - a)
        return bytes(buf)
    return bytes(buf[:a] + buf[b:] + buf[a:b])  # a block moved to the end


@st.composite
def xml_mutations(draw):
    """Damage inside the XML of one part, re-zipped: it reaches the spreadsheet parser."""
    part = draw(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/workbook.xml",
                                 "xl/styles.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]))
    edits = draw(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
        [b"", b"<", b">", b"&", b"&lol;", b'"', b"\xff\xfe", b"<c r=\"XFD1048576\"><v>1</v></c>",
         b"<row r=\"0\">", b"]]>", b"\x00", b"<!DOCTYPE x [<!ENTITY a \"b\">]>", b"r=\"A0\"",
         b"t=\"e\"", b"<v>1e999</v>", b"<v>NaN</v>"])), min_size=1, max_size=8))
    return part, edits


def xml_mutate(data: bytes, mutation) -> bytes:
    part, edits = mutation
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == part:
                for where, text in edits:
                    at = int(where * len(body))
                    body = body[:at] + text + body[at + 1:]
            z.writestr(info, body)
    return out.getvalue()


def test_random_byte_damage_never_raises_from_check(issued_template, master):
    data = _valid_return(issued_template)
    ctx = CheckContext(master, find_workspace(issued_template).limits, period=Period(2022, 6))

    @settings(max_examples=150, **SETTINGS)
    @given(mutation=byte_mutations(len(data)))
    def prop(mutation):
        report = check_return(mutate(data, mutation), "石龙镇.xlsx", ctx)
        assert report.outcome in ("采纳", "退回", "无法读取")
        assert all(i.message for i in report.issues)

    prop()


def test_random_xml_damage_never_raises_from_check(issued_template, master):
    data = _valid_return(issued_template)
    ctx = CheckContext(master, find_workspace(issued_template).limits, period=Period(2022, 6))

    @settings(max_examples=150, **SETTINGS)
    @given(mutation=xml_mutations())
    def prop(mutation):
        report = check_return(xml_mutate(data, mutation), "石龙镇.xlsx", ctx)
        assert report.outcome in ("采纳", "退回", "无法读取")
        internal = [i for i in report.issues if "校验时出错" in i.message]
        assert not internal, internal  # a bug in the checks, not damage in the file

    prop()


def test_random_damage_never_raises_from_collect(issued_template):
    """collect with a damaged return (as a file, in a zip, in a mail): never raises, and
    every damaged input is archived byte for byte and recorded."""
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart

    data = _valid_return(issued_template)

    @settings(max_examples=20, **SETTINGS)
    @given(mutation=st.one_of(byte_mutations(len(data)).map(lambda m: ("bytes", m)),
                              xml_mutations().map(lambda m: ("xml", m))),
           wrapper=st.sampled_from(["file", "zip", "eml"]))
    def prop(mutation, wrapper):
        damaged = mutate(data, mutation[1]) if mutation[0] == "bytes" else xml_mutate(data, mutation[1])
        if wrapper == "zip":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("石龙镇.xlsx", damaged)
            payload, name = buf.getvalue(), "报送.zip"
        elif wrapper == "eml":
            msg = MIMEMultipart()
            msg["Subject"] = "report"
            part = MIMEApplication(damaged, "octet-stream")
            part.add_header("Content-Disposition", "attachment", filename="石龙镇.xlsx")
            msg.attach(part)
            payload, name = msg.as_bytes(), "报送.eml"
        else:
            payload, name = damaged, "石龙镇.xlsx"
        with Scratch(issued_template) as ws:
            (ws.inbox / name).write_bytes(payload)
            result = collect(ws)
            assert result.inputs == 1 and result.receipts >= 1
            assert not list(ws.inbox.iterdir())
            with Ledger(ws.ledger_path) as ledger:
                rows = ledger.receipts()
                top = next(r for r in rows if r.parent_id is None)
                assert (ws.root / top.archive_path).read_bytes() == payload
                for r in rows:
                    assert r.outcome
                    if r.outcome in ("退回", "无法读取"):
                        assert any(i.is_error for i in ledger.issues_of(r.id))

    prop()


# ---------------------------------------------------------------------------
# the guards


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@st.composite
def sparse_sheets(draw):
    """Rows and cells with and without ``r``, with or without a value, in any mix; now and
    then a namespace prefix calamine accepts (it matches local names) or a second ``r``, with
    or without a space before it."""
    rows, r = [], 0
    prefixes = st.sampled_from(["", "", "", "x:", "9:", ":", "前:"])
    for _ in range(draw(st.integers(1, 12))):
        r = draw(st.integers(r + 1, r + 40))
        cells, c = [], 0
        for _ in range(draw(st.integers(0, 6))):
            c = draw(st.integers(c + 1, c + 30))
            ref = f' r="{_letters(c)}{r}"' if draw(st.booleans()) else ""
            if ref and draw(st.integers(0, 9)) == 0:
                # calamine takes the last, also straight after a closing quote
                ref = f' r="A{r}"' + draw(st.sampled_from(["", " ", ' s="1"'])) + ref.lstrip()
            p = draw(prefixes)
            cells.append(f"<{p}c{ref}><v>{c}</v></{p}c>" if draw(st.booleans()) else f'<{p}c{ref} s="1"/>')
        p = draw(prefixes)
        rows.append((f'<{p}row r="{r}">' if draw(st.booleans()) else f"<{p}row>") + "".join(cells) + f"</{p}row>")
    return "".join(rows)


def test_sheet_extent_never_undercounts_what_calamine_allocates():
    from python_calamine import CalamineWorkbook
    from test_hostile import package, sheet_xml

    @settings(max_examples=200, **SETTINGS)
    @given(rows=sparse_sheets(), chunk=st.integers(7, 400))
    def prop(rows, chunk):
        xml = sheet_xml(rows).encode()
        extent = _Extent(False, 10**12)  # token by token, in chunks
        for i in range(0, len(xml), chunk):
            extent.feed(xml[i:i + chunk])
        whole = _Extent(False, 10**12)  # as guard_zip scans a part: the fast path when it applies
        whole.feed_whole(xml)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(package(xml))).get_sheet_by_index(0)
        if sheet.start is None:
            return
        (r0, c0), (r1, c1) = sheet.start, sheet.end
        allocated = (r1 - r0 + 1) * (c1 - c0 + 1)
        assert extent.area >= allocated, (extent.rows, extent.cols, sheet.start, sheet.end)
        assert whole.area >= allocated, (whole.rows, whole.cols, sheet.start, sheet.end)

    prop()


@st.composite
def prefixed_sheets(draw):
    """A whole sheet with one namespace prefix on every tag, as WPS (``x:``) and Tencent Docs
    (``ns2:``) write it, empty cells now and then ending in " />"; now and then one tag
    without the prefix or with another, which must send the part token by token."""
    p = draw(st.sampled_from(["x:", "ns2:"]))
    rows, r = [], 0
    for _ in range(draw(st.integers(1, 10))):
        r = draw(st.integers(r + 1, r + 40))
        cells, c = [], 0
        for _ in range(draw(st.integers(0, 6))):
            c = draw(st.integers(c + 1, c + 30))
            q = draw(st.sampled_from([p] * 12 + ["", "y:"]))
            cells.append(f'<{q}c r="{_letters(c)}{r}" s="1"><{p}v>{c}</{p}v></{q}c>' if draw(st.booleans())
                         else f'<{q}c r="{_letters(c)}{r}" s="1"{draw(st.sampled_from(["", " "]))}/>')
        rows.append(f'<{p}row r="{r}">' + "".join(cells) + f"</{p}row>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}worksheet xmlns:{p[:-1]}='
            f'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><{p}sheetData>{"".join(rows)}'
            f"</{p}sheetData></{p}worksheet>")


def test_prefixed_sheet_extent_never_undercounts_what_calamine_allocates():
    """The fast path for prefixed sheets (`_unprefixed`) against calamine, and against the
    token-by-token reading, which it must match whenever it applies."""
    from python_calamine import CalamineWorkbook
    from test_hostile import package

    @settings(max_examples=150, **SETTINGS)
    @given(xml=prefixed_sheets())
    def prop(xml):
        data = xml.encode()
        slow, whole = _Extent(False, 10**12), _Extent(False, 10**12)
        slow.feed(data)
        if whole._fast(data) is not None:
            assert (whole.min_row, whole.max_row, whole.min_col, whole.max_col) == (
                slow.min_row, slow.max_row, slow.min_col, slow.max_col)
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(package(data))).get_sheet_by_index(0)
        if sheet.start is not None:
            (r0, c0), (r1, c1) = sheet.start, sheet.end
            assert slow.area >= (r1 - r0 + 1) * (c1 - c0 + 1)

    prop()


@pytest.mark.parametrize("name", ["wps_x-prefixed-ns_cjk-sheetname.xlsx", "tencent-docs_ns2-prefixed_cjk.xlsx"])
def test_real_prefixed_sheets_take_the_fast_path(name):
    """WPS's x: and Tencent Docs' ns2: exports are placed by their references (Tencent's
    133 KB sheet took 27 ms token by token), at the same extent."""
    data = zipfile.ZipFile(Path(__file__).parent / "corpus" / "foreign" / name).read("xl/worksheets/sheet1.xml")
    fast, slow = _Extent(False, 10**12), _Extent(False, 10**12)
    slow.feed(data)
    assert fast._fast(data) is not None
    assert (fast.min_row, fast.max_row, fast.min_col, fast.max_col) == (
        slow.min_row, slow.max_row, slow.min_col, slow.max_col)


@settings(max_examples=500, **SETTINGS)
@given(name=st.text(min_size=0, max_size=300))
def test_safe_filename_stays_in_its_folder(name):
    safe = safe_filename(name)
    assert safe and safe not in (".", "..")
    assert not set(safe) & set('/\\<>:"|?*\0')
    assert len(safe.encode()) <= MAX_NAME_BYTES
    assert not re.fullmatch(r"(?i)(con|prn|aux|nul|com\d|lpt\d)", safe.split(".")[0].strip())
    assert not safe.endswith((" ", "."))
    folder = Path("/srv/ws/归档/2022年6月")
    assert (folder / f"0123456789ab_{safe}").parent == folder
    safe.encode("utf-8")  # no lone surrogates


@pytest.mark.libreoffice
def test_random_damage_to_an_xls_never_raises(lo, issued_template, master, tmp_path):
    """The same for an .xls (OLE2 compound file, read by duban's own stream reader first)."""
    src = tmp_path / "石龙镇.xlsx"
    src.write_bytes(_valid_return(issued_template))
    data = lo(src, "xls", tmp_path).read_bytes()
    ctx = CheckContext(master, find_workspace(issued_template).limits, period=Period(2022, 6))
    assert check_return(data, "石龙镇.xls", ctx).outcome == "采纳"

    @settings(max_examples=150, **SETTINGS)
    @given(mutation=byte_mutations(len(data)))
    def prop(mutation):
        report = check_return(mutate(data, mutation), "石龙镇.xls", ctx)
        assert report.outcome in ("采纳", "退回", "无法读取")

    prop()


@settings(max_examples=500, **SETTINGS)
@given(address=st.from_regex(r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]{1,8}(\.[A-Za-z0-9!#$%&'*+/^_`{|}~-]{1,5}){0,2}"
                             r"@[A-Za-z0-9]([A-Za-z0-9-]{0,6}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,4}[A-Za-z0-9])?){1,3}",
                             fullmatch=True))
def test_plain_address_shortcut_accepts_only_what_the_stdlib_accepts(address):
    """The directory's 邮箱 check skips the stdlib parser for plain addresses: each must be
    one the parser accepts too, so the shortcut never lets a bad address through."""
    import email.utils
    from email.headerregistry import Address

    from toolkit.addresses import PLAIN_ADDRESS, _parsed_address, parse_addresses

    assert PLAIN_ADDRESS.fullmatch(address)
    assert _parsed_address(address) == ("", address), address
    # what mail drafts and sender matching would read with the stdlib
    assert email.utils.parseaddr(address) == ("", address)
    assert Address(addr_spec=address).addr_spec == address
    assert parse_addresses(address)[0] == [("", address)]


@settings(max_examples=500, **SETTINGS)
@given(text=st.text(max_size=200) | st.text(alphabet=st.characters(min_codepoint=0x1000, max_codepoint=0xffff),
                                            max_size=200))
def test_display_width_counts_each_wide_character_twice(text):
    """display_width counts the narrow characters (fast on CJK text), or for a short text
    each character: both the same as one cell per character plus one more for each wide
    (CJK, full-width) character."""
    from toolkit.text import _WIDE, display_width

    wide = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _WIDE) + "]")
    assert display_width(text) == len(text) + len(wide.findall(text))


def test_short_and_long_texts_agree_on_every_character():
    """The per-character test (short texts) and the compiled class (long ones) agree on
    every code point."""
    from toolkit.text import _is_wide, _narrow

    narrow = _narrow()
    assert [c for c in range(0x110000) if _is_wide(c) == bool(narrow.match(chr(c)))] == []
