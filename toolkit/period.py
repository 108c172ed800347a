"""The reporting period (期次): one month, the one type every layer passes around.

It enters as text from the command line, duban.toml, a return's ``_meta`` or a file name
(`Period.parse`), and leaves as text only in the ledger (``str(period)``, ``2022-06``) and
as a label for people (``period.label``, ``2022年6月``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .dates import month_end
from .errors import BadPeriod


@dataclass(frozen=True, order=True)
class Period:
    """A reporting month, written ``2022-06`` in files and ``2022年6月`` for people."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        if isinstance(text, Period):
            return text
        s = unicodedata.normalize("NFKC", str(text)).strip()
        m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", s)
        if m:
            month, year = int(m.group(2) or m.group(3)), int(m.group(1))
            if not 1 <= month <= 12:
                raise BadPeriod(f"期次“{text}”的月份不对：月份应在 1 到 12 之间，如 2022-06。")
            if not 2000 <= year <= 2100:
                raise BadPeriod(f"期次“{text}”的年份超出范围：duban 只处理 2000 到 2100 年的期次。")
            return cls(year, month)
        raise BadPeriod(f"期次“{text}”格式不对，请写成 2022-06 这样的年-月。")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

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
