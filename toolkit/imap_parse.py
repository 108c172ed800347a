"""IMAP responses, parsed: FETCH items, BODYSTRUCTURE, ENVELOPE, LIST, folder names.

imaplib hands back raw lines and (line, literal) pairs; `duban mail fetch` needs to judge a
message -- its size, its attachments' names and sizes, its sender, subject and Message-ID --
before downloading a byte of it, so the data items of RFC 3501 section 4 are read here.
Header words come RFC 2047-encoded, attachment names RFC 2231-encoded (with continuations),
or as raw GBK from older Chinese clients; all of them end up as text.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .mail import decode_declared, decode_words


class _Reader:
    """IMAP data items (RFC 3501 section 4): atoms, quoted strings, literals, lists, NIL."""

    def __init__(self, buf: bytes):
        self.b, self.i = buf, 0

    def at_end(self) -> bool:
        self.skip()
        return self.i >= len(self.b)

    def skip(self) -> None:
        while self.i < len(self.b) and self.b[self.i] in b" \r\n\t":
            self.i += 1

    def value(self) -> Any:
        self.skip()
        b = self.b
        c = b[self.i:self.i + 1]
        if c == b"(":
            self.i += 1
            out = []
            while True:
                self.skip()
                if self.i >= len(b):
                    return out
                if b[self.i:self.i + 1] == b")":
                    self.i += 1
                    return out
                out.append(self.value())
        if c == b'"':
            self.i += 1
            buf = bytearray()
            while self.i < len(b) and b[self.i:self.i + 1] != b'"':
                if b[self.i:self.i + 1] == b"\\":
                    self.i += 1
                buf += b[self.i:self.i + 1]
                self.i += 1
            self.i += 1
            return bytes(buf)
        if c in (b"{", b"~") and re.match(rb"~?\{\d+\+?\}", b[self.i:self.i + 24]):
            m = re.match(rb"~?\{(\d+)\+?\}\r?\n?", b[self.i:])
            assert m is not None
            start = self.i + m.end()
            self.i = start + int(m.group(1))
            return b[start:self.i]
        start = self.i
        depth = 0
        while self.i < len(b):
            ch = b[self.i:self.i + 1]
            if ch == b"[":
                depth += 1
            elif ch == b"]":
                depth -= 1
            elif depth <= 0 and ch in (b" ", b"(", b")", b"\r", b"\n"):
                break
            self.i += 1
        atom = b[start:self.i].decode("ascii", "replace")
        if start == self.i:  # a stray character: step over it
            self.i += 1
        return None if atom.upper() == "NIL" else atom


def _joined(data: list) -> bytes:
    """imaplib's list of lines and (line, literal) pairs back into one byte string."""
    out = bytearray()
    for item in data:
        if item is None:
            continue
        if isinstance(item, tuple):
            head, literal = item
            out += head + b"\r\n" + literal
        else:
            out += b" " + item
    return bytes(out)


def parse_fetch(data: list) -> list[dict[str, Any]]:
    """FETCH responses as dicts of upper-case item name -> value (bytes, str, list, None)."""
    r = _Reader(_joined(data))
    out = []
    while not r.at_end():
        seq = r.value()
        if not isinstance(seq, str) or not seq.isdigit():
            continue
        items = r.value()
        if not isinstance(items, list):
            continue
        out.append({str(items[i]).upper(): items[i + 1] for i in range(0, len(items) - 1, 2)})
    return out


def parse_list(data: list) -> list[tuple[set[str], str]]:
    """LIST responses as (flags, decoded folder name)."""
    r = _Reader(_joined(data))
    out = []
    while not r.at_end():
        flags, _delim, name = r.value(), r.value(), r.value()
        if isinstance(name, bytes):
            name = name.decode("utf-8", "replace")
        if isinstance(flags, list) and name:
            out.append(({str(f).lower() for f in flags}, imap_utf7_decode(name)))
    return out


def text_of(value: Any) -> str:
    """An IMAP string or atom as text (undecodable bytes kept as surrogates)."""
    if value is None:
        return ""
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else str(value)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_internaldate(text: str) -> dt.datetime:
    """'04-Jul-2022 09:30:00 +0800' -> aware datetime in that offset (locale independent)."""
    m = re.fullmatch(r"\s*(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\s*", text)
    if not m:
        raise ValueError(f"bad INTERNALDATE {text!r}")
    d, mon, y, hh, mm, ss, sign, oh, om = m.groups()
    offset = dt.timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    return dt.datetime(int(y), _MONTHS.index(mon.title()) + 1, int(d), int(hh), int(mm), int(ss),
                       tzinfo=dt.timezone(offset))


def search_date(day: dt.date) -> str:
    """A date for SEARCH SINCE: 01-Jul-2022 (English month names, whatever the locale)."""
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"


def response_text(data: list) -> str:
    """A command's response lines as one text (for checks and the log)."""
    return " ".join(text_of(x[0] if isinstance(x, tuple) else x) for x in data or [] if x is not None)


def internaldate_arg(when: dt.datetime) -> str:
    """An aware datetime as a quoted IMAP date-time for APPEND."""
    off = int(when.utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
    sign, off = ("-" if off < 0 else "+"), abs(off)
    return (f'"{when.day:02d}-{_MONTHS[when.month - 1]}-{when.year:04d} {when:%H:%M:%S} '
            f'{sign}{off // 60:02d}{off % 60:02d}"')


@dataclass
class Part:
    """One leaf of a BODYSTRUCTURE (or a forwarded message/rfc822)."""

    mime: str          # lower case, e.g. application/vnd.ms-excel
    name: str
    size: int          # octets as transferred (base64 included)
    encoding: str
    disposition: str = ""

    @property
    def decoded_size(self) -> int:
        """About the attachment's own size: base64 takes 78 octets (76 + CRLF) per 57 bytes."""
        return self.size * 57 // 78 if self.encoding == "base64" else self.size


def _params(value: Any) -> dict[str, str]:
    if not isinstance(value, list):
        return {}
    return {text_of(value[i]).lower(): text_of(value[i + 1]) for i in range(0, len(value) - 1, 2)}


def _rfc2231(value: str) -> str:
    charset, _, rest = value.split("'", 2) if value.count("'") >= 2 else ("", "", value)
    return decode_declared(urllib.parse.unquote_to_bytes(rest), charset)


def _param(params: dict[str, str], key: str) -> str:
    """A parameter however it was encoded: plain, RFC 2047, RFC 2231 (with continuations)."""
    if params.get(key):
        return decode_words(params[key])
    if params.get(key + "*"):
        return _rfc2231(params[key + "*"])
    pieces = sorted((int(m.group(1)), bool(m.group(2)), v) for k, v in params.items()
                    if (m := re.fullmatch(re.escape(key) + r"\*(\d+)(\*?)", k)))
    if not pieces:
        return ""
    charset, raw = None, b""
    for n, encoded, v in pieces:
        if encoded:
            if n == 0 and v.count("'") >= 2:
                charset, _, v = v.split("'", 2)
            raw += urllib.parse.unquote_to_bytes(v)
        else:
            raw += v.encode("utf-8", "surrogateescape")
    return decode_declared(raw, charset)


def body_parts(structure: Any, depth: int = 0) -> list[Part]:
    """The leaves of a BODYSTRUCTURE, forwarded messages (and what they carry) included."""
    if not isinstance(structure, list) or not structure or depth > 20:
        return []
    if isinstance(structure[0], list):  # multipart: parts, then the subtype
        out = []
        for child in structure:
            if not isinstance(child, list):
                break
            out.extend(body_parts(child, depth + 1))
        return out
    fields_ = [*structure, *[None] * 12]
    mime = f"{text_of(fields_[0])}/{text_of(fields_[1])}".lower()
    params = _params(fields_[2])
    try:
        size = int(text_of(fields_[6]) or 0)
    except ValueError:
        size = 0
    if mime == "message/rfc822":
        ext = 10
    elif mime.startswith("text/"):
        ext = 8
    else:
        ext = 7
    disposition = fields_[ext + 1]
    disp_type, disp_params = "", {}
    if isinstance(disposition, list) and disposition:
        disp_type = text_of(disposition[0]).lower()
        disp_params = _params(disposition[1] if len(disposition) > 1 else None)
    name = _param(disp_params, "filename") or _param(params, "name")
    part = Part(mime, name, size, text_of(fields_[5]).lower(), disp_type)
    if mime == "message/rfc822":
        return [part, *body_parts(fields_[8], depth + 1)]
    return [part]


def _address(addresses: Any) -> str:
    """The first address of an ENVELOPE address list: 名称 <box@host>."""
    if not isinstance(addresses, list) or not addresses or not isinstance(addresses[0], list):
        return ""
    a = [*addresses[0], None, None, None, None]
    name = decode_words(text_of(a[0]))
    addr = f"{text_of(a[2])}@{text_of(a[3])}" if a[2] and a[3] else text_of(a[2])
    return f"{name} <{addr}>" if name and addr else addr or name


@dataclass
class MessageInfo:
    """What one FETCH of metadata says about a message, before its body is downloaded."""

    uid: int
    size: int
    internaldate: dt.datetime
    flags: set[str]
    subject: str
    sender: str
    message_id: str
    parts: list[Part]


def message_info(item: dict[str, Any]) -> MessageInfo | None:
    """A parsed FETCH response (UID RFC822.SIZE INTERNALDATE FLAGS ENVELOPE BODYSTRUCTURE)."""
    try:
        uid = int(text_of(item.get("UID")))
        internaldate = parse_internaldate(text_of(item.get("INTERNALDATE")))
    except (ValueError, TypeError):
        return None
    envelope = item.get("ENVELOPE")
    env = [*(envelope if isinstance(envelope, list) else []), *[None] * 10]
    try:
        size = int(text_of(item.get("RFC822.SIZE")) or 0)
    except ValueError:
        size = 0
    flags = item.get("FLAGS")
    return MessageInfo(uid=uid, size=size, internaldate=internaldate,
                       flags={text_of(f) for f in flags} if isinstance(flags, list) else set(),
                       subject=" ".join(decode_words(text_of(env[1])).split()),
                       sender=_address(env[2]), message_id=text_of(env[9]).strip(),
                       parts=body_parts(item.get("BODYSTRUCTURE")))


# ---------------------------------------------------------------------------
# modified UTF-7 folder names (RFC 3501 5.1.3)


def imap_utf7_encode(name: str) -> str:
    out, buf = [], []

    def flush() -> None:
        if buf:
            b64 = base64.b64encode("".join(buf).encode("utf-16-be")).decode().rstrip("=")
            out.append("&" + b64.replace("/", ",") + "-")
            buf.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            buf.append(ch)
    flush()
    return "".join(out)


def imap_utf7_decode(name: str) -> str:
    def dec(m: re.Match) -> str:
        s = m.group(1)
        if not s:
            return "&"
        s = s.replace(",", "/")
        try:
            return base64.b64decode(s + "=" * (-len(s) % 4)).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            return m.group(0)

    return re.sub(r"&([A-Za-z0-9+,]*)-", dec, name)


def mailbox_arg(name: str) -> str:
    """A folder name as a quoted IMAP mailbox argument, in modified UTF-7."""
    enc = imap_utf7_encode(name)
    return '"' + enc.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uid_set(uids: list[int]) -> str:
    """1,2,3,5 -> '1:3,5' (keeps commands short for a month of mail)."""
    out: list[str] = []
    for u in sorted(set(uids)):
        if out and ":" in out[-1] and int(out[-1].split(":")[1]) == u - 1:
            out[-1] = f"{out[-1].split(':')[0]}:{u}"
        elif out and ":" not in out[-1] and int(out[-1]) == u - 1:
            out[-1] = f"{out[-1]}:{u}"
        else:
            out.append(str(u))
    return ",".join(out)
