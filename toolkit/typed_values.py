"""What a department typed into a return's cells, read as values: a 进展状态 word, a 完成进度,
a 工作进展 that says nothing. The checks (`checks`) judge them; this module only reads.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .text import clean, key, squash_nfkc
from .vocab import REPORTABLE, STATUS_SYNONYMS

_STATUS_BY_KEY = {key(s): s for s in REPORTABLE}
_SYNONYM_BY_KEY = {key(w): s for w, s in STATUS_SYNONYMS.items()}


def parse_status(value: Any) -> tuple[str, str | None]:
    """(normalised status or "", synonym that was used). Unknown values give ("?", None)."""
    if value in REPORTABLE:
        return value, None
    s = clean(value)
    if not s:
        return "", None
    k = key(s)
    if k in _STATUS_BY_KEY:
        return _STATUS_BY_KEY[k], None
    # "已完成。" typed as a sentence: the stop is no reason to send the return back
    bare = k.rstrip(TRAILING_MARKS)
    if bare in _STATUS_BY_KEY:
        return _STATUS_BY_KEY[bare], s
    if bare in _SYNONYM_BY_KEY:
        return _SYNONYM_BY_KEY[bare], s
    return "?", None


TRAILING_MARKS = "。.,;!?、~…"  # after key(): NFKC has made ，；！？～ half-width

# What a 工作进展 holds when it says nothing, after key() (NFKC made ／－０ half-width, spaces
# gone) and its trailing marks are stripped; a cell of dashes, slashes or stops alone is one
# too. The 填报说明 says 不要只写“无”“同上”; "本月无新进展" is a statement, not among them.
_NOTHING_SAID = frozenset({"无", "暂无", "同上", "略", "无进展", "暂无进展", "0"})


def says_nothing(text: str) -> bool:
    """Whether a 工作进展 is only a placeholder ("无", "/", "同上" …), W510. A text longer
    than any placeholder with its spaces and marks says something: normalising every row's
    进展 to look cost a W2 return 100 µs of its 1.2 ms read and check (3,326 NFKC calls)."""
    return _placeholder(text, _NOTHING_SAID)


def _placeholder(text: str, words: frozenset[str]) -> bool:
    """Whether ``text`` is one of ``words`` or a cell of dashes, slashes or stops alone, after key()
    with its trailing marks stripped (`says_nothing`, `says_no_problem`)."""
    if not text or len(text) > _NOTHING_LONGEST:
        return False
    bare = key(text).rstrip(TRAILING_MARKS)
    return bare in words or not bare.strip("-—–/\\_")


_NOTHING_LONGEST = 16  # 暂无进展 with spaces and a 。, or a cell of dashes

# What a 存在问题 holds when the unit has none to state, after key() with its trailing marks
# stripped: the 通报 printed "县住建局反映：无" and 任务汇总 "【县住建局】无" (QA368). The unit's
# own row (单位明细) keeps what it wrote.
_NO_PROBLEM = frozenset({"无", "暂无", "没有", "无问题", "暂无问题", "无困难", "暂无困难", "无困难和问题",
                         "无问题和困难", "暂未发现问题", "0"})


def says_no_problem(text: str) -> bool:
    """Whether a 存在问题 only says there is none ("无", "暂无问题", "/"): left out where the
    problems of a task are gathered (任务汇总, 滞后超期, the 通报)."""
    return _placeholder(text, _NO_PROBLEM)


# A progress in words with one number in it: "约80%", "80%左右", "八成". E504 still refuses
# it (how far a task is is the department's to say), and its message offers the number.
_ABOUT = re.compile(r"(?:约|大约|大概|接近|已完成|完成)?(.+?)(?:左右|上下)?")
_NOTE_AFTER = re.compile(r"\([^()]*\)$")  # after NFKC: （） are ()
_TENTHS = {c: (i + 1) * 10 for i, c in enumerate("一二三四五六七八九十")}
# The status typed for the progress: all done is plainly 100 (“基本完成” is no number).
_DONE_WORDS = frozenset({"完成", "已完成", "全部完成", "已全部完成", "全面完成", "已全面完成"})


def progress_meant(value: str) -> int | None:
    """The whole percent a refused 完成进度 plainly means, for E504's advice; else None."""
    bare = squash_nfkc(value).rstrip(TRAILING_MARKS)
    # the status said again beside it: "100%（已完成）", "60%(序时推进)"
    bare = _NOTE_AFTER.sub("", bare) or bare
    if bare in _DONE_WORDS:
        return 100
    about = _ABOUT.fullmatch(bare)
    if about is None:  # nothing but spaces
        return None
    inner = about.group(1)
    if inner.endswith("成") and len(inner) == 2:
        return _TENTHS.get(inner[0]) or (int(inner[0]) * 10 if inner[0] in "123456789" else None)
    progress, ok = parse_progress(inner)
    return progress if ok and inner[0].isdigit() else None


def parse_progress(value: Any) -> tuple[int | None, bool]:
    """(whole percent or None, ok). "80%", "0.8" (a percent-formatted cell), "８０" and
    80.0 from .ods all give 80."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        return None, False
    percent = False
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        s = squash_nfkc(str(value))
        if s.endswith("%"):
            percent, s = True, s[:-1]
        try:
            x = float(s)
        except ValueError:
            return None, False
    if not math.isfinite(x):
        return None, False
    if not percent and 0 < x < 1:
        x *= 100  # a percent-formatted cell stores 0.8 for 80%
    if not (0 <= x <= 100) or abs(x - round(x)) > 1e-6:
        return None, False
    return round(x), True


def cell_text(value: Any) -> str:
    """A cell's value as the department sees it in Excel or WPS, stripped."""
    if type(value) is str:
        # clean() inlined for the common case, a printable string (94 calls a W2 return)
        return value.strip() if value.isprintable() else clean(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):  # as Excel and WPS show a logical cell, not Python's True
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        # a cell formatted [h]:mm:ss, as Excel and WPS show it: str() said "1 day, 2:00:00"
        seconds = round(value.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return clean(value)


def quoted(text: str, limit: int = 50) -> str:
    """What a department typed, shortened for a message when it is long (a 100,000-character
    cell must not become a 100,000-character message in the ledger and the 汇总表)."""
    if len(text) <= limit:
        return text
    return " ".join(text[:limit * 2].split())[:limit] + "…"
