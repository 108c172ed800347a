"""The directory of units (单位名录): canonical names, aliases, kinds and contacts.

Departments write their names in many ways (市人社局, 东莞市人力资源和社会保障局 …); every
reader resolves them here to one canonical name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .resources import resource
from .text import clean, key
from .vocab import Kind

CITY, TOWN = Kind.CITY, Kind.TOWN
KINDS = tuple(Kind)

# Group phrases of the 责任部门 grammar and the kind each expands to.
GROUPS: dict[str, str] = {
    "各镇街（园区）": TOWN,
    "市各有关部门": CITY,
}
_GROUP_ALIASES = {
    "各镇街（园区）": TOWN, "各镇街(园区)": TOWN, "各镇街": TOWN, "各镇街园区": TOWN,
    "各镇（街道）、园区": TOWN, "各镇街道": TOWN, "各镇（街）": TOWN,
    "市各有关部门": CITY, "市直各有关部门": CITY, "各有关部门": CITY, "市有关部门": CITY,
    "市直有关部门": CITY, "市各相关部门": CITY, "各相关部门": CITY,
}
GROUP_NAME_BY_KIND = {TOWN: "各镇街（园区）", CITY: "市各有关部门"}
DIRECTORY_HEADERS = ("单位", "简称/别名", "类别", "联系人", "电话", "邮箱")


def group_kind(name: str) -> str | None:
    """The kind a group phrase expands to (``各镇街（园区）`` -> 镇街), or None."""
    k = key(name)
    for alias, kind in _GROUP_ALIASES.items():
        if key(alias) == k:
            return kind
    return None


def guess_kind(name: str) -> str:
    """Kind of a unit the directory does not know, from how its name ends."""
    n = clean(name)
    if re.search(r"(镇|街道|园区|高新区|新区)$", n) and not n.startswith(("市", "东莞市")):
        return TOWN
    return CITY


@dataclass(frozen=True)
class Unit:
    """One reporting unit."""

    name: str
    kind: str = CITY
    aliases: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Directory:
    """All units, with name and alias lookup."""

    units: list[Unit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._index: dict[str, str] = {}
        for u in self.units:
            self._register(u)

    def _register(self, unit: Unit) -> None:
        for n in (unit.name, *unit.aliases):
            self._index.setdefault(key(n), unit.name)
        self._index[key(unit.name)] = unit.name

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        return iter(self.units)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) is not None

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def get(self, name: str) -> Unit | None:
        canonical = self.resolve(name)
        for u in self.units:
            if u.name == canonical:
                return u
        return None

    def resolve(self, name: object) -> str | None:
        """Canonical name for a name or alias, tolerant of 东莞市 prefixes and spacing."""
        k = key(name)
        if not k:
            return None
        if k in self._index:
            return self._index[k]
        for prefix, repl in (("东莞市", "市"), ("东莞", ""), ("市", "东莞市")):
            if k.startswith(prefix) and key(repl + k[len(prefix):]) in self._index:
                return self._index[key(repl + k[len(prefix):])]
        return None

    def find_in(self, text: str) -> str | None:
        """The unit whose name or alias is the longest match inside ``text`` (a file name).

        Ambiguous matches (two different units, same length) give None: the caller must
        not guess which department sent a file.
        """
        k = key(text)
        best: tuple[int, set[str]] = (0, set())
        for alias, canonical in self._index.items():
            if len(alias) >= 2 and alias in k:
                if len(alias) > best[0]:
                    best = (len(alias), {canonical})
                elif len(alias) == best[0]:
                    best[1].add(canonical)
        return next(iter(best[1])) if len(best[1]) == 1 else None

    def of_kind(self, kind: str) -> list[str]:
        return [u.name for u in self.units if u.kind == kind]

    def add(self, unit: Unit) -> None:
        self.units.append(unit)
        self._register(unit)

    def with_contacts(self, name: str, **changes: str) -> None:
        """Update one unit's contact fields in place."""
        for i, u in enumerate(self.units):
            if u.name == name:
                self.units[i] = replace(u, **changes)

    # ---- table form (CSV shipped in templates/, sheet 单位名录 in the master) ----

    def to_rows(self) -> list[list[str]]:
        return [[u.name, "、".join(u.aliases), u.kind, u.contact, u.phone, u.email]
                for u in self.units]

    @classmethod
    def from_rows(cls, rows: list[list[object]]) -> Directory:
        units = []
        for r in rows:
            r = [clean(v) for v in (list(r) + [""] * 6)[:6]]
            if not r[0]:
                continue
            aliases = tuple(a for a in re.split(r"[、,，;；/\n]+", r[1]) if a.strip())
            kind = r[2] if r[2] in KINDS else guess_kind(r[0])
            units.append(Unit(r[0], kind, aliases, r[3], r[4], r[5]))
        return cls(units)

    @classmethod
    def from_csv(cls, path: Path) -> Directory:
        text = Path(path).read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        if rows and key(rows[0][0]) == key("单位"):
            rows = rows[1:]
        return cls.from_rows(rows)


def default_directory() -> Directory:
    """The directory shipped in ``templates/单位名录.csv``."""
    return Directory.from_csv(resource("templates", "单位名录.csv"))
