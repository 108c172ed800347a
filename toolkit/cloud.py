"""Cloud attachments: a file a mail points to instead of carrying it (超大附件, 云附件, 网盘).

QQ Mail, 163/126 Mail, Foxmail and the Coremail systems most 政务邮箱 run on send a file too
large for the mail (or any file, by the sender's habit) as a link: the body holds a block
headed 从QQ邮箱发来的超大附件 / 从网易163邮箱发来的超大附件 / 从网易企业邮箱发来的云附件, with the
file's name, size and when the link expires. duban never downloads (it works offline); it
reads the block so that collect can name the file, the link and its expiry, and the office
downloads it by hand. Read from the markup those services write (see the test fixtures in
tests/test_qa87_cloud_attachments.py for where each shape was seen).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass(frozen=True)
class CloudFile:
    """One file a mail links to: its name as the mail shows it ('' when it shows none)."""

    name: str
    link: str
    service: str                    # QQ邮箱超大附件, 网易163邮箱超大附件, OneDrive 共享文件 ...
    expires: dt.datetime | None = None  # aware from an epoch attribute, naive as written in text
    expired: bool = False           # the body itself says the file has expired
    size: str = ""                  # as the mail states it: 12.35M; exact bytes (163's filesize): 25892710
    words: str = ""                 # the sender's words above the block: 请查收我会7月份进展填报表…
    code: str = ""                  # the share's 提取码 (百度网盘 ?pwd= or the words after the link)
    #: the forwarded message (message/rfc822) whose words hold the link, as `mail.Attachment`'s
    #: evidence template (`mail.forwarded`); None: the mail's own. A file downloaded from it is
    #: timed as one attached to that message would be (`downloads`)
    sent_in: Any = field(default=None, compare=False)


#: link hosts and paths of each service's download page, strongest first
_SERVICES = (
    (re.compile(r"^https?://(?:[\w-]+\.)*exmail\.qq\.com/\S*ftn", re.I), "腾讯企业邮箱超大附件"),
    (re.compile(r"^https?://(?:[\w-]+\.)*mail\.qq\.com/\S*ftn", re.I), "QQ邮箱超大附件"),
    (re.compile(r"^https?://(?:[\w-]+\.)*edisk\.qiye\.163\.com/", re.I), "网易企业邮箱云附件"),
    (re.compile(r"^https?://mail\.(?:163|126)\.com/large-attachment-download/", re.I), "网易邮箱超大附件"),
    # 163's older download page (fs.163.com/fs/display/?p=X-NETEASE-HUGE-ATTACHMENT…) and any page
    # carrying that key; not all of dashi.163.com: 网易邮箱大师's signature editor is there
    (re.compile(r"^https?://fs\.163\.com/fs/display/|^https?://(?:[\w-]+\.)*(?:163|126)\.com/\S*"
                r"X-NETEASE-HUGE-ATTACHMENT", re.I), "网易邮箱超大附件"),
    (re.compile(r"^https?://[^/\s]+/coremail/\S*(?:nfFile|share_link|largeattach|bigattach)", re.I),
     "Coremail 网盘附件"),
    (re.compile(r"^https?://(?:1drv\.ms|onedrive\.live\.com|[\w-]+\.sharepoint\.com)/", re.I), "OneDrive 共享文件"),
    # the 网盘 and online documents Chinese offices share a file by: a share page, named by no
    # file (its name shows only once opened), often with a 提取码 beside the link (`_code`)
    (re.compile(r"^https?://(?:[\w-]+\.)*kdocs\.cn/(?:view/)?l/", re.I), "金山文档"),
    (re.compile(r"^https?://(?:[\w-]+\.)*wps\.cn/(?:view/)?(?:l|s|f)/", re.I), "WPS云文档"),
    (re.compile(r"^https?://(?:pan|yun)\.baidu\.com/(?:s/|share/)", re.I), "百度网盘"),
    (re.compile(r"^https?://(?:www\.)?(?:aliyundrive|alipan)\.com/s/", re.I), "阿里云盘"),
    (re.compile(r"^https?://share\.weiyun\.com/", re.I), "腾讯微云"),
    (re.compile(r"^https?://(?:h5\.)?cloud\.189\.cn/(?:t/|web/share|share\.html)", re.I), "天翼云盘"),
    (re.compile(r"^https?://(?:www\.)?123pan\.(?:com|cn)/s/", re.I), "123云盘"),
    (re.compile(r"^https?://(?:[\w-]+\.)*lanzou[a-z]?\.com/", re.I), "蓝奏云"),
    (re.compile(r"^https?://(?:www\.)?jianguoyun\.com/p/", re.I), "坚果云"),
    (re.compile(r"^https?://docs\.qq\.com/(?:sheet|doc|s|form|smartsheet)/", re.I), "腾讯文档"),
    (re.compile(r"^https?://pan\.quark\.cn/s/", re.I), "夸克网盘"),
)
#: a share's 提取码 (百度网盘, 阿里云盘), 访问码 (天翼云盘) or 密码 (蓝奏云) after its link, or
#: 百度网盘's ?pwd= in it
_CODE = re.compile(r"^[^\n]{0,40}?(?:提取码|访问码|提取密码|密码)\s*[:：]?\s*([A-Za-z0-9]{4,8})(?![A-Za-z0-9])"
                   r"|^\s*\n[^\n]{0,10}?(?:提取码|访问码|提取密码|密码)\s*[:：]?\s*([A-Za-z0-9]{4,8})(?![A-Za-z0-9])")
_PWD = re.compile(r"[?&]pwd=([A-Za-z0-9]{4,8})(?:&|$)", re.I)
#: the block heading these services put above the files: 从QQ邮箱发来的超大附件
_HEADING = re.compile(r"从\s*([^\s<>，。]{1,20}?)\s*发来的(超大附件|云附件)")
#: other download links a headed block may hold (a Coremail 政务邮箱 on its own host)
_DOWNLOAD_PATH = re.compile(r"(?:download|share|ftn|attach|nfFile|/file)", re.I)
#: a preview page, an icon, or the 163 client's advertisement: no file to download there
_NOT_A_FILE = re.compile(r"(?:/preview|\.(?:gif|png|jpe?g)(?:\?|$)|^https?://u\.163\.com/|res\.mail\.qq\.com)",
                         re.I)
#: a link: whole as an html body's href (`_Text` writes it between < >), else up to a space, a
#: bracket or a CJK character (提取码 written right after it; ，；after NFKC are , ; which
#: `_files_in` strips from its end)
_URL = re.compile(r"(?<=<)https?://[^\s<>\"]+(?=>)"
                  r"|https?://[^\s<>\"'（）()，。、；\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+", re.I)
_FILE_NAME = re.compile(r"([^\s<>()（）\"'“”:：/\\|*?]+\.[A-Za-z][A-Za-z0-9]{0,4})(?![A-Za-z0-9])")
_DATE = (r"(\d{4})\s*[年/-]\s*(\d{1,2})\s*[月/-]\s*(\d{1,2})\s*日?\s*(?:[(（]?星期.[)）]?\s*)?"
         r"(?:(\d{1,2})[:：](\d{2})(?::\d{2})?)?")
_EXPIRY = re.compile(rf"(?:到期时间|过期时间|有效时间到|有效期至|有效期到)\s*[:：]?\s*{_DATE}|{_DATE}\s*到期")
_EXPIRED = re.compile(r"(?:附件|文件|链接)(?:已|已经)(?:过期|失效|被删除)")
#: the size beside a file: QQ's title 文件大小：12.35M, both services' "(24.69M, … 到期)"; a
#: bare "(1)" of a file name is no size
_SIZE = re.compile(r"文件大小\s*[:：]?\s*(\d+(?:\.\d+)?\s*(?:[KMGT]B?|B)?)"
                   r"|[(（]\s*(\d+(?:\.\d+)?\s*(?:[KMGT]B?|B))\s*[,，)）]", re.I)
_SIZE_VALUE = re.compile(r"(\d+)(?:\.(\d+))?\s*([KMGT]?)B?", re.I)
#: how much of the sender's words above the block is kept: a line or two say the month
_WORDS = 300


def service_of(link: str) -> str:
    """The service a download link belongs to ('' for any other link)."""
    if _NOT_A_FILE.search(link):
        return ""
    return next((name for pattern, name in _SERVICES if pattern.search(link)), "")


def size_fits(size: str, nbytes: int) -> bool | None:
    """Whether a file of ``nbytes`` is the one a mail states the size of (`CloudFile.size`):
    exact bytes must be equal; 12.35M may be rounded or cut to its places, in 1024s or
    1000s. None when the mail states none."""
    m = _SIZE_VALUE.fullmatch(" ".join(size.split()))
    if not m:
        return None
    whole, places, unit = m.groups()
    if not unit and places is None:
        return int(whole) == nbytes
    value = float(f"{whole}.{places or 0}")
    power = "KMGT".index(unit.upper()) + 1 if unit else 0
    return any(abs(nbytes / base ** power - value) <= 10.0 ** -len(places or "") for base in (1024, 1000))


def cloud_files(bodies: list[tuple[str, str]]) -> list[CloudFile]:
    """The cloud attachments a mail's bodies (``(subtype, text)``: plain and html) link to,
    one per link, in order; the html body's when both say the same."""
    found: dict[str, CloudFile] = {}
    for subtype, text in sorted(bodies, key=lambda b: b[0] != "html"):
        if subtype == "html":
            text, names, expiries, sizes = _html_text(text)
        else:
            names, expiries, sizes = {}, {}, {}
        for f in _files_in(unicodedata.normalize("NFKC", text), names, expiries, sizes):
            old = found.get(f.link)
            if old is None:
                found[f.link] = f
            elif not old.name or old.expires is None or not old.size or not old.words or not old.code:
                found[f.link] = CloudFile(old.name or f.name, f.link, old.service, old.expires or f.expires,
                                          old.expired or f.expired, old.size or f.size, old.words or f.words,
                                          old.code or f.code)
    return list(found.values())


def _files_in(text: str, names: dict[str, str], expiries: dict[str, dt.datetime | None],
              sizes: dict[str, str]) -> list[CloudFile]:
    heading = _HEADING.search(text)
    pieces = _URL.split(text)
    out: dict[str, CloudFile] = {}
    first = _URL.search(text)
    # the sender's own words: above the block's heading, else before the first link
    above = text[:heading.start()] if heading else text[:first.start()] if first else ""
    words = " ".join(above.split())[:_WORDS]
    for i, m in enumerate(_URL.finditer(text)):
        link = html.unescape(m.group()).rstrip(".,;")
        service = service_of(link)
        headed = heading is not None and heading.start() < m.start()
        if not service and not (headed and _DOWNLOAD_PATH.search(link) and not _NOT_A_FILE.search(link)):
            continue
        if heading is not None and headed:
            service = heading.group(1) + heading.group(2)  # as the mail names it
        before = pieces[i].rsplit("\n", 1)[-1]  # the line up to the link
        after = pieces[i + 1] if i + 1 < len(pieces) else ""
        name = names.get(link) or _last_name(before)
        expires = expiries.get(link) or _expiry(before) or _expiry(after)
        size = sizes.get(link) or _size(before) or _size(after)
        old = out.get(link)
        if old is not None:
            name, expires, size = old.name or name, old.expires or expires, old.size or size
        out[link] = CloudFile(name, link, service or "超大附件", expires,
                              bool(_EXPIRED.search(before + after)) or bool(old and old.expired), size, words,
                              (old.code if old else "") or _code(link, after))
    return list(out.values())


def _code(link: str, after: str) -> str:
    """The 提取码 of a shared link: in it (?pwd=), else written after it on its line or the next."""
    m = _PWD.search(link) or _CODE.search(after)
    return next((g for g in m.groups() if g), "") if m else ""


def _size(text: str) -> str:
    m = _SIZE.search(text)
    return "".join((m.group(1) or m.group(2)).split()).upper() if m else ""


def _last_name(text: str) -> str:
    found = _FILE_NAME.findall(text)
    return found[-1] if found else ""


def _expiry(text: str) -> dt.datetime | None:
    m = _EXPIRY.search(text)
    if not m:
        return None
    groups = [g for g in m.groups()]
    y, mo, d, hh, mm = groups[0:5] if groups[0] else groups[5:10]
    try:
        return dt.datetime(int(y), int(mo), int(d), int(hh or 23), int(mm or 59))
    except ValueError:
        return None


def _epoch(value: str) -> dt.datetime | None:
    """QQ's expiretime is in seconds, 163's in milliseconds; -1 (QQ: 无限期) is none."""
    try:
        stamp = int(value)
    except (TypeError, ValueError):
        return None
    if stamp <= 0:
        return None
    try:
        return dt.datetime.fromtimestamp(stamp / 1000 if stamp > 10**11 else stamp, dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


class _Text(HTMLParser):
    """An html body as text, each link written after its words as ``<link>``; the file name,
    expiry and size its attributes give (163: filename, expiretime, filesize in bytes; QQ:
    expiretime on the span around the link; 网易企业邮箱: file-name, expired) kept per link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.names: dict[str, str] = {}
        self.expiries: dict[str, dt.datetime | None] = {}
        self.sizes: dict[str, str] = {}
        self.links: list[str] = []  # open <a> elements' links
        self.span_expiry: dt.datetime | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag in ("br", "p", "div", "tr", "li"):
            self.out.append("\n")
        if "title" in a and "到期" in a["title"]:  # QQ: the file's block titled 到期时间：…
            self.out.append(" " + a["title"].replace("\n", " ").replace("\r", " ") + " ")
        if tag == "span" and a.get("expiretime"):
            self.span_expiry = _epoch(a["expiretime"])
        if tag != "a":
            return
        # a browser drops tabs and line breaks from a URL: an href folded over lines in the source is one link
        link = re.sub(r"[\t\r\n]", "", html.unescape(a.get("href", ""))).strip()
        self.links.append(link)
        if not link:
            return
        name = a.get("filename") or a.get("file-name")
        if name:
            self.names.setdefault(link, " ".join(name.split()))
        expiry = _epoch(a.get("expiretime") or a.get("expired") or "") or self.span_expiry
        if expiry is not None:
            self.expiries.setdefault(link, expiry)
        if a.get("filesize", "").strip().isdigit():
            self.sizes.setdefault(link, a["filesize"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            link = self.links.pop()
            if link:
                self.out.append(f" <{link}> ")
        elif tag == "span":
            self.span_expiry = None

    def handle_data(self, data: str) -> None:
        if self.links and self.links[-1] and _FILE_NAME.fullmatch(data.strip()):
            self.names.setdefault(self.links[-1], data.strip())
        self.out.append(data)


def html_text(text: str) -> str:
    """An html body as text (its links written after their words as ``<link>``)."""
    return _html_text(text)[0]


def _html_text(text: str) -> tuple[str, dict[str, str], dict[str, dt.datetime | None], dict[str, str]]:
    parser = _Text()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient; a body it cannot read is read as text
        return text, {}, {}, {}
    return "".join(parser.out), parser.names, parser.expiries, parser.sizes
