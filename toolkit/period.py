"""The reporting period (期次): one month, the one type every layer passes around.

It enters as text from the command line, duban.toml, a return's ``_meta`` or a file name
(`Period.parse`), and leaves as text only in the ledger (``str(period)``, ``2022-06``) and
as a label for people (``period.label``, ``2022年6月``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from .dates import month_end
from .errors import BadPeriod
from .record import record
from .text import LazyPattern

# what may follow a year dropped before a name: not 度, 底, 上半年, 至, 和 … (the name's own span).
# Lazy: the class of 20,000 CJK code points took 0.86 ms to compile (min of 20, 2-core EPYC,
# Python 3.11) at every start, and only the 通报's title uses it (`name_after_label`)
_set = object.__setattr__  # a frozen record's own fields, as dataclass's __init__ sets them

_NAME_AFTER_YEAR = LazyPattern(r"(?![度底初末中上下前后内至到起第和及与暨])[\u4e00-\u9fff《“]")


@record(frozen=True, order=True)  # a dataclass whose __init__ is written out (`record`)
class Period:
    """A reporting month, written ``2022-06`` in files and ``2022年6月`` for people."""

    year: int
    month: int

    def __init__(self, year: int, month: int) -> None:
        _set(self, "year", year)
        _set(self, "month", month)

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        if type(text) is str and len(text) <= 16:
            # every return's _meta says its period: remembered (2.9 µs a parse, 0.2 once known)
            return _parse_short(text)
        return _parse(text)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def label_after_name(self, name: str) -> str:
        """`label` as written after a plan's ``name`` (a mail's subject): the month alone where
        the name already says this period's year and no other, as 2016年民生实事6月进展填报表
        (大竹), not 2016年民生实事2016年6月…; a name of another year or a span of years
        (2022年—2024年…) keeps the whole label. A name ending in a digit (one taken from a file
        name, 任务分工_2022) is kept apart by a space: 任务分工_20222024年6月 read as one number."""
        years = set(re.findall(r"(?<!\d)\d{4}(?!\d)", name))
        label = f"{self.month}月" if years == {str(self.year)} and f"{self.year}年" in name else self.label
        return f" {label}" if name[-1:].isdigit() else label

    def name_after_label(self, name: str) -> str:
        """A plan's ``name`` as written after `label` (the 通报's title): a name opening with
        this period's year says it once, 关于2016年6月民生实事… (大竹), not 2016年6月2016年民生实事;
        only where the year opens the name and is not its own span: 2022年度…, 2022年—2024年…,
        2022年底前… and 2022年上半年… are the name's (关于2022年10月度市县民生实事 said another
        thing; 苍南 2022)."""
        own_year = f"{self.year}年"
        if name.startswith(own_year) and _NAME_AFTER_YEAR.match(name[len(own_year):]):
            return name[len(own_year):]
        return name

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.month)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def due(self, day: int = 5) -> dt.date:
        """Default submission deadline: ``day`` of the following month."""
        nxt = self.shift(1)
        last = month_end(nxt.year, nxt.month).day
        return dt.date(nxt.year, nxt.month, min(max(day, 1), last))

    @classmethod
    def previous_month(cls, today: dt.date | None = None) -> Period:
        today = today or dt.date.today()
        return cls(today.year, today.month).shift(-1)


def _parse(text: str) -> Period:
    # 2022-06, as duban writes every period (duban.toml, the ledger): read without NFKC and the
    # pattern below, whose compiling was most of 1.6 M instructions of `duban status` (callgrind)
    if type(text) is str and len(text) == 7 and text[4] == "-" and text.isascii() and text.replace("-", "").isdigit():
        year, month = int(text[:4]), int(text[5:])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return Period(year, month)
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", s)
    if m:
        month, year = int(m.group(2) or m.group(3)), int(m.group(1))
        if not 1 <= month <= 12:
            raise BadPeriod(f"期次“{text}”的月份不对：月份应在 1 到 12 之间，如 2022-06。")
        if not 2000 <= year <= 2100:
            raise BadPeriod(f"期次“{text}”的年份超出范围：duban 只处理 2000 到 2100 年的期次。")
        return Period(year, month)
    raise BadPeriod(f"期次“{text}”格式不对，请写成 2022-06 这样的年-月。")


# Short texts only, so that no file can fill the memory; a text that is no period raises
# each time (lru_cache keeps no exception).
_parse_short = functools.lru_cache(maxsize=256)(_parse)
