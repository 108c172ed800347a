"""What a file really is, from its bytes: departments rename files and extensions lie."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from .text import LazyPattern, safe_filename

if TYPE_CHECKING:
    import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SEVEN_Z_MAGIC = b"7z\xbc\xaf\x27\x1c"
RAR_MAGICS = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")  # RAR 1.5-4.x, RAR 5
#: Outlook's rich-text mail packs its attachments into one winmail.dat (MS-OXTNEF signature
#: 0x223E9F78, little-endian); its files cannot be taken out here, and the department needs
#: to know how to send them so that they can
TNEF_MAGIC = b"\x78\x9f\x3e\x22"
SPREADSHEET_KINDS = ("xlsx", "xlsm", "xls", "ods")
#: WPS Spreadsheets' own extensions (workbook, template): read when they hold a workbook.
WPS_SHEET_EXTS = (".et", ".ett")
#: Archives opened by `archives` (py7zr, or a RAR program), not by zipfile.
ARCHIVE_KINDS = ("7z", "rar")
#: What macOS and Windows put beside files by themselves (unpack, inbox and archives use it).
JUNK_NAMES = (".ds_store", "thumbs.db", "desktop.ini")
#: Office's own lock and temporary files (Excel's and WPS's ~$name, Word's ~WRL*.tmp,
#: LibreOffice's .~lock.name#): never a return, never worth a word, loose in 收件箱 or zipped
#: with the folder while the return was open.
#: compiled on first use (`LazyPattern`): `duban status` loads this module and never uses it
OFFICE_TEMP = LazyPattern(r"^(~\$|~WRL.*\.tmp$|\.~lock\.|~.*\.tmp$)", re.IGNORECASE)
#: E101's reason for an archive that holds no file once `is_junk` ones are left out
EMPTY_ARCHIVE = "压缩包内没有文件"

# What to tell a department that sent something we cannot read, per extension. (An .et or
# .ett holding a workbook is read as the .xls or .xlsx it is; these are for the others.)
SAVE_AS_ADVICE = {
    ".et": "这是 WPS 表格格式，请在 WPS 中“另存为”→“Excel 工作簿(*.xlsx)”后再报送。",
    ".ett": "这是 WPS 模板格式，请在 WPS 中“另存为”→“Excel 工作簿(*.xlsx)”后再报送。",
    ".numbers": "这是 Numbers 格式，请在 Numbers 中“导出为”→“Excel”(.xlsx) 后再报送。",
    ".pdf": "请直接报送下发的 Excel 填报表（.xlsx），不要转成 PDF。",
    ".doc": "请报送下发的 Excel 填报表（.xlsx），不要把内容复制到 Word。",
    ".docx": "请报送下发的 Excel 填报表（.xlsx），不要把内容复制到 Word。",
    ".wps": "请报送下发的 Excel 填报表（.xlsx），不要把内容复制到 WPS 文字。",
    ".csv": "CSV 会丢失格式和校验信息，请报送下发的 Excel 填报表（.xlsx）。",
    ".txt": "请报送下发的 Excel 填报表（.xlsx）。",
    # Real .rar and .7z archives are opened (archives.py); these reach a department whose
    # file only carries the extension, or when a single file is checked.
    ".rar": "请直接报送 .xlsx 填报表；压缩包若无法解开（已损坏，或只是改了扩展名），请改用 .zip 压缩。",
    ".7z": "请直接报送 .xlsx 填报表；压缩包若无法解开（已损坏，或只是改了扩展名），请改用 .zip 压缩。",
}
DEFAULT_ADVICE = "请报送下发的 Excel 填报表，保存为 .xlsx 格式。"
#: Documents a unit sends beside its form, never as one: the stamped PDF or scan the office
#: asked for, a Word 说明. One mailed after the unit's accepted return of its month is no
#: failed correction (`replies.choose`), unlike a spreadsheet the office cannot read (an
#: .et calamine cannot read, a broken .xlsx).
DOCUMENT_EXTS = (".pdf", ".ofd", ".doc", ".docx", ".wps", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
TNEF_ADVICE = ("这是 Outlook 以“RTF 格式”发送邮件时生成的附件包，里面的文件无法取出。"
               "请在 Outlook 中把邮件格式改为 HTML 或纯文本后，重新附上 .xlsx 填报表发送。")


def ole_streams_mention(data: bytes, *names: str) -> bool:
    """True if an OLE directory names any of ``names`` (UTF-16LE, as OLE stores them)."""
    return any(n.encode("utf-16-le") in data for n in names)


def is_encrypted_ole(data: bytes) -> bool:
    """An OOXML file encrypted with a password is an OLE container with these streams."""
    return data.startswith(OLE_MAGIC) and ole_streams_mention(data, "EncryptionInfo", "EncryptedPackage")


def detect(data: bytes, name: str = "") -> str:
    """Kind of a file from its content: xlsx, xlsm, xls, ods, zip, 7z, rar, eml, msg,
    encrypted, docx, pdf, doc, tnef, empty or unknown; et for a file named .et or .ett whose
    content is none of these (WPS's encrypted or private formats)."""
    lower = name.lower()
    if not data:
        return "empty"
    if data.startswith(OLE_MAGIC):
        if is_encrypted_ole(data):
            return "encrypted"
        if ole_streams_mention(data, "__substg1.0_"):
            return "msg"
        if ole_streams_mention(data, "Workbook", "Book"):
            # WPS saves its own .et (and .ett) as the BIFF8 workbook it saves as .xls, the
            # same streams (ETExtData beside Workbook: tests/corpus/foreign): read as one
            return "xls"
        if ole_streams_mention(data, "WordDocument"):
            return "doc"
        return "ole"
    if data.startswith(b"PK"):
        # deferred: `duban status` imports this module (for the inbox's junk names) and opens
        # no zip; zipfile and what it loads (zlib, bz2, lzma, binascii) cost it 1.5 ms
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return zip_kind(z, name)
        except Exception:  # BadZipFile, zlib.error, RuntimeError (encrypted entry), ...
            return "broken-zip"
    if data.startswith(SEVEN_Z_MAGIC):
        return "7z"
    if data.startswith(RAR_MAGICS):
        return "rar"
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(TNEF_MAGIC):
        return "tnef"
    if lower.endswith(".eml") or _looks_like_mail(data):
        return "eml"
    if lower.endswith(WPS_SHEET_EXTS):
        return "et"
    return "unknown"


def zip_kind(z: zipfile.ZipFile, name: str = "") -> str:
    """Kind of an opened zip package: xlsx, xlsm, xlsb, ods, odf, docx, numbers or zip."""
    lower = name.lower()
    names = set(z.namelist())
    if "mimetype" in names:
        with z.open("mimetype") as f:  # never z.read(): the entry may be a bomb
            head = f.read(100)
        if b"spreadsheet" in head and "META-INF/manifest.xml" in names:
            with z.open("META-INF/manifest.xml") as f:
                manifest = f.read(1 << 16)
            if b"encryption-data" in manifest:  # ODF password: content.xml is ciphertext
                return "encrypted"
        return "ods" if b"spreadsheet" in head else "odf"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/vbaProject.bin" in names or lower.endswith(".xlsm"):
            return "xlsm"
        return "xlsb" if "xl/workbook.bin" in names else "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("Index/") for n in names) or lower.endswith(".numbers"):
        return "numbers"
    # Some writers store part names with backslashes or odd case ("xl\\workbook.xml"). It is
    # still one workbook, never a zip of 40 loose XML files to unpack and record one by one.
    if {n.replace("\\", "/").lstrip("/").lower() for n in names} & {"xl/workbook.xml", "[content_types].xml"}:
        return "odd-xlsx"
    return "zip"


def _looks_like_mail(data: bytes) -> bool:
    head = data[:4096].lower()
    return (head.startswith((b"from ", b"received:", b"return-path:", b"mime-version:",
                             b"message-id:", b"date:", b"subject:", b"from:", b"to:"))
            and b"\n\n" in data[:65536].replace(b"\r\n", b"\n") and b"content-type" in head)


# The names of files inside containers, for zip (`unpack`), 7z and rar (`archives`) alike. Here,
# not in `archives`: a collect of spreadsheets imported that module for them alone (1.2 ms,
# -X importtime, min of 11, 2-core EPYC, Python 3.11).
def is_junk(name: str) -> bool:
    """What macOS, Windows and Office add by themselves (a file in 收件箱, a path inside a zip,
    7z or rar). Judged on the name as written: `safe_filename` drops the dot that makes
    .DS_Store and ._x junk."""
    leaf = last_part(name)
    return (name.startswith("__MACOSX/") or leaf.startswith("._") or leaf.lower() in JUNK_NAMES
            or bool(OFFICE_TEMP.match(leaf)))


def last_part(name: str) -> str:
    """The last part of a path written with / or \\ (a zip member's, a mail client's)."""
    return name.replace("\\", "/").rstrip("/").split("/")[-1]


def leaf_name(name: str) -> str:
    """The file name a path inside a zip, 7z or rar is filed under (made safe to write)."""
    return safe_filename(last_part(name) or "未命名")
