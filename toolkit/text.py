"""Text hygiene shared by every reader and writer.

Departments paste from Word and WeChat: full-width forms, non-breaking spaces, bidi marks
and control characters arrive in cells. Readers compare normalised keys; writers store
cleaned text and never let a value become a formula.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

SPACES = re.compile(r"[\s\u3000\xa0]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


class LazyPattern:
    """A regular expression compiled on first use, then used as the compiled one.

    The patterns that recognise group phrases and addresses (`units`) took about 4 ms to
    compile, paid by every start of `duban status`, which uses none of them (measured). After
    the first use the compiled pattern's methods are bound on the instance, so a call costs
    what it costs on a compiled pattern.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags

    def __getattr__(self, name: str):  # only until compiled: after that the methods are attributes
        compiled = re.compile(self.pattern, self.flags)
        for method in ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


# C0/C1 controls except tab and newline, plus bidi overrides/isolates and zero-width marks,
# which can disguise text (a file name reading one way and running another). Compiled on
# first use: `clean` needs it only for text that is not printable, which status meets none of.
_CONTROL = LazyPattern(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)


def clean(value: object) -> str:
    """Cell text as stored: controls removed, newlines unified, outer space trimmed."""
    if value is None or value == "":
        return ""
    s = str(value)
    if s.isprintable():  # no character _CONTROL matches is printable: nothing to remove
        return s.strip()
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", s).strip()


def key(value: object) -> str:
    """Comparison key: NFKC (full-width to half-width), no spaces or line breaks, lower case."""
    s = unicodedata.normalize("NFKC", clean(value))
    return SPACES.sub("", s).lower()


def short_key(text: str) -> str:
    """`key` of a text, remembered when the text is short: a return's task ids, labels and
    sheet names (1.1, 填报单位, 进展填报) recur in every return. Only short texts, so that no
    file can fill the memory."""
    return _short_key(text) if len(text) <= 16 else key(text)


_short_key = functools.lru_cache(maxsize=4096)(key)


def squash(value: object) -> str:
    """Single-line text for headers and names: inner whitespace removed, NFKC kept off."""
    return SPACES.sub("", clean(value))


def squash_nfkc(text: str) -> str:
    """``text`` read as typed words are compared (a deadline, a date, a percent): NFKC (full-width
    to half-width) and every whitespace removed; unlike `key`, case and control characters kept."""
    return SPACES.sub("", unicodedata.normalize("NFKC", text))


# Where a task's first clause ends; 、 is not one (it separates the items of a list). Lazy, as
# _RESERVED below: neither is used by `duban status` or a W1 collect (0.17 and 0.12 ms).
_CLAUSE_END = LazyPattern(r"[，,。；;：:！!？?]")
TITLE_CHARS = 30
# Marks a title or heading never ends in: a table that gives a task only its text (崇川's) is
# imported with that sentence as its 工作任务, and the memo writes "……交通组织（任务24）" after it
_TITLE_END = "。；;，,、：:"


def unended(text: str) -> str:
    """A name or heading without the sentence mark it was copied with (做好财政信息公开。)."""
    return text.rstrip(_TITLE_END)


def sentence(text: str) -> str:
    """``text`` ended as a sentence, for a text to follow it: a message said in another's words (a
    fault's, an error's) may or may not end in one, and one without ran into the next (QA407)."""
    return text if text.endswith(("。", "！", "？", "；")) else text + "。"


def task_title(name: str, content: str, limit: int = TITLE_CHARS) -> str:
    """What a task is called in messages, the memo and the 汇总表.

    Its 工作任务 (``name``); where the published table has none (many give only the task's
    text, as 潍坊's and 南陵's do), the first clause of its 具体工作内容, cut to ``limit``
    characters with "…". ``""`` only for a task with neither.
    """
    title = unended(clean(name))
    if title:
        return title
    clause = _CLAUSE_END.split(squash(content), 1)[0]
    return clause if len(clause) <= limit else clause[:limit - 1] + "…"


_WIDE = ((0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
         (0xA000, 0xA4CF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFF60),
         (0xFFE0, 0xFFE6))
_WIDE_STARTS = [start for start, _ in _WIDE]
_SHORT = 64


@functools.cache
def _narrow() -> re.Pattern[str]:
    # compiled on first use: a class of 45,000 code points takes 7 ms to compile, which
    # `duban status` (a few unit names to pad) would otherwise pay at every start.
    # Written as the ranges between the wide ones, not as [^wide]: the same characters, but
    # `re` walks each BMP code point a class lists, 20,000 here against 45,000 negated, and
    # the compile took 1.65 ms against 2.65 (min of 15, 2-core EPYC, Python 3.11).
    gaps, start = [], 0
    for lo, hi in (*_WIDE, (0x110000, 0)):
        if lo > start:  # 3041-33FF and 3400-4DBF leave no gap
            gaps.append(f"{re.escape(chr(start))}-{re.escape(chr(lo - 1))}")
        start = hi + 1
    return re.compile("[" + "".join(gaps) + "]")


def display_width(text: str) -> int:
    """Width in terminal cells / Excel column units: CJK and full-width count double.

    A regex count rather than unicodedata per character: consolidated sheets have
    hundreds of thousands of cells. Department text is mostly CJK, so the few narrow
    characters are counted (4.5x faster than listing every wide one, measured on
    progress texts), and ASCII text is not scanned at all. A short text (a name on screen)
    is counted character by character until a long one has compiled the class.
    """
    if text.isascii():
        return len(text)
    if len(text) <= _SHORT and not _narrow.cache_info().currsize:
        # the common ideographs (一-鿿, one of `_WIDE`'s ranges) by comparison, the rest by
        # bisection: `duban status`'s 215 names and words on W1 in 0.13 ms against 0.38 (min of 50)
        return len(text) + sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or _is_wide(ord(ch)))
    # once compiled (the first long text), every text is counted by it: a consolidated
    # sheet's names and statuses counted character by character were 40 ms of W1's merge
    return 2 * len(text) - len(_narrow().findall(text))


def _is_wide(code: int) -> bool:
    i = bisect.bisect_right(_WIDE_STARTS, code) - 1
    return i >= 0 and code <= _WIDE[i][1]


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display cells (for aligned terminal tables)."""
    return text + " " * max(0, width - display_width(text))


def wrap_display(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` display columns: between any two Chinese
    characters, and at spaces between Latin words (a word longer than a line stays whole).
    As Chinese is set, a closing mark (，。）) never starts a line and an opening one (（“)
    never ends one: the character before the mark goes down with it."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        tokens: list[str] = []
        used = 0
        for token in re.findall(r"[\x21-\x7e]+|\s+|.", paragraph):
            if token.isspace() and not tokens:
                continue
            size = display_width(token)
            if used + size > width and not token.isspace() and any(not t.isspace() for t in tokens):
                cut = len(tokens)
                if token in _NO_LINE_START:  # take the character before it down as well
                    cut -= 1
                    while cut > 0 and tokens[cut] in _NO_LINE_START:
                        cut -= 1
                while cut > 0 and (tokens[cut - 1] in _NO_LINE_END or tokens[cut - 1].isspace()):
                    cut -= 1
                if cut > 0:
                    lines.append("".join(tokens[:cut]).rstrip())
                    tokens = tokens[cut:]
                    while tokens and tokens[0].isspace():
                        tokens.pop(0)
                    used = sum(display_width(t) for t in tokens)
            tokens.append(token)
            used += size
        lines.append("".join(tokens).rstrip())
    return lines


_NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…%,.;:!?)]}")
_NO_LINE_END = frozenset("（《「『【〔“‘([{")


def looks_like_formula(s: str) -> bool:
    # a cell of marks alone ("-", "－" for 无 in 存在问题) runs as nothing: no W508 for it
    return bool(s) and s.startswith(FORMULA_STARTS) and bool(s.strip(_FORMULA_MARKS))


_FORMULA_MARKS = "".join(FORMULA_STARTS)


_RESERVED = LazyPattern(r"(?i)(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)")
MAX_NAME_BYTES = 180  # UTF-8 bytes; file systems allow 255, archive names add a prefix


def unescape_name(name: str) -> str:
    """A file name as text: bytes the OS could not decode (GBK names from an old zip tool,
    kept by Python as surrogate escapes) decoded as UTF-8 or GB18030, never left as
    surrogates that no file system, database or workbook accepts."""
    if not any("\ud800" <= ch <= "\udfff" for ch in name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        raw = name.encode("utf-8", "surrogatepass")
    return decode_name(raw)


def decode_name(raw: bytes) -> str:
    """A file name stored as bytes: UTF-8, else the GBK (GB18030) that Chinese Windows tools
    write without saying so (zip, RAR, old file systems)."""
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def safe_filename(name: str, limit: int = 80) -> str:
    """A file name that stays inside its folder on Windows, macOS and Linux.

    A character Windows forbids becomes its full-width form, as in `name_part`: the name is
    evidence of the unit (a mail's attachment 县"两新"工委.xlsx), and `key` maps it back."""
    s = clean(name).replace("\n", " ")
    s = s.replace("\\", "/").split("/")[-1].translate(_FULL_WIDTH)
    s = re.sub("[\x00-\x1f\ud800-\udfff]", "_", s).strip(" .")  # surrogates: not encodable
    stem, dot, ext = s.rpartition(".")
    if not dot:
        stem, ext = s, ""
    # Windows reserves CON, NUL, COM1 ... whatever follows the first dot (con.tar.gz too)
    if _RESERVED.fullmatch(stem.split(".")[0].strip(" ")) or not stem:
        stem = "_" + stem
    ext = ext[:10]
    stem = stem[: max(1, limit - len(ext) - 1)]
    if len(f"{stem}.{ext}".encode()) > MAX_NAME_BYTES:
        while len(stem) > 1 and len(f"{stem}.{ext}".encode()) > MAX_NAME_BYTES:
            stem = stem[:-1]
        stem = stem.rstrip(" .") or "_"
    return f"{stem}.{ext}" if ext else stem


# The characters Windows forbids in a file name, as their full-width forms: NFKC (which
# `key` compares by) maps each back, so a file still names its unit.
_FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in '<>:"/\\|?*'})
NAME_PART_BYTES = 150  # UTF-8 bytes of a name inside a file name duban writes (50 CJK characters)


def name_part(name: str) -> str:
    """A unit's name as part of a file name duban writes (下发, 反馈, 催报): it stays in its
    folder and Windows accepts it (市委宣传部/市新闻办 -> 市委宣传部／市新闻办). A name over
    `NAME_PART_BYTES` is cut and ends with a hash of the whole, so two long names that begin
    alike never write one file, and a deep workspace stays within Windows' 260 characters."""
    s = _CONTROL.sub("", clean(name).replace("\n", " ")).translate(_FULL_WIDTH)
    if len(s.encode()) <= NAME_PART_BYTES:
        return s
    import hashlib  # only for a name this long: not paid by every start

    tag = "~" + hashlib.sha256(s.encode()).hexdigest()[:6]
    while len((s + tag).encode()) > NAME_PART_BYTES:
        s = s[:-1]
    return s.rstrip(" .") + tag


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (numbered points, months)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def column_number(letters: str) -> int:
    """1-based number of a spreadsheet column name (A -> 1, AA -> 27): `column_letter`'s inverse."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(n: int) -> str:
    """Spreadsheet column name of 1-based ``n`` (1 -> A, 27 -> AA), without importing openpyxl."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


NAMED = 10  # units named in one line before "等 N 个单位" (`some_units`)


def some_units(units: list[str], most: int = NAMED) -> str:
    """Up to ``most`` names, then how many in all: "市残联、东莞市税务局", "…等 12 个单位"."""
    return "、".join(units[:most]) + (f"等 {len(units)} 个单位" if len(units) > most else "")


def first_of(items: list[str], most: int, counter: str) -> str:
    """Up to ``most`` items, then how many in all, as a 通报's sentence writes it (no spaces):
    "2.6、3.1", "2、4、5、6、7等29项" (``counter`` 项, 个单位)."""
    return "、".join(items[:most]) + (f"等{len(items)}{counter}" if len(items) > most else "")
