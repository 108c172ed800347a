"""The directory of units (单位名录): canonical names, aliases, kinds and contacts.

Departments write their names in many ways (市人社局, 东莞市人力资源和社会保障局 …); every
reader resolves them here to one canonical name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import field, replace
from pathlib import Path

# csv: imported in the functions that use them. Most commands never do, and
# without these (and calendar) `duban status` starts about 10 ms sooner (measured).
from .bodies import branch_after_town, goes_on_from_town, past_marks, town_words_end
from .places import (
    HIGHER_PLACE,
    RANK,
    after_other_place,
    before_other_place,
    follows_other_place,
    is_town,
    leading_level,
    marks_in,
    plan_place,
    prefecture_stem,
)
from .record import FACTORY, record
from .resources import resource
from .text import LazyPattern, clean, key, short_key
from .towns import DEPARTMENT_KIND as DEPARTMENT_KIND
from .towns import town_kind as town_kind
from .towns import town_phrase as town_phrase

# the kinds and `guess_kind` live in `unit_kinds`; named here too, where every reader looks for them
from .unit_kinds import CITY, TOWN
from .unit_kinds import CITY_GOVERNMENT as CITY_GOVERNMENT
from .unit_kinds import COUNTY_DEPT as COUNTY_DEPT
from .unit_kinds import COUNTY_GOVERNMENT as COUNTY_GOVERNMENT
from .unit_kinds import DEPT as DEPT
from .unit_kinds import DISTRICT_DEPT as DISTRICT_DEPT
from .unit_kinds import PARK as PARK
from .unit_kinds import PROVINCE_DEPT as PROVINCE_DEPT
from .unit_kinds import SECTION as SECTION
from .unit_kinds import ZONE as ZONE
from .unit_kinds import dept_kind as dept_kind
from .unit_kinds import guess_kind as guess_kind

#: A directory CSV's columns; an optional 7th, 督办单位落款, holds the name the coordinating
#: office signs the memo with (通报落款), on that office's row (`Directory.from_rows`). The
#: bundled Dongguan directory fills it.
DIRECTORY_HEADERS = ("单位", "简称/别名", "类别", "联系人", "电话", "邮箱")

# ---- the kinds of local governments; group phrases (各县(市、区)政府 …) are `toolkit.groups` ----

_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
# The kinds a directory gives a province's cities (地级以上市, 设区市, 市（州）, 市, 自治州, 盟 …)
# and a city's counties and districts (县（市、区）, 县区, 区): a government's, not a department's.
_CITY_KIND = LazyPattern(r"(地级以上|地级|设区的?|副省级|自治)?(市|州|盟|地区|地市|市州|州市|市、州|州、市)"
                         r"(人民)?(政府|行政公署)?")
# a kind listing county-level words (区、县级市: what M108 tells 广州's office to write for
# 各区、县级市; 区、县; 县（区）) is their governments too, not a department's kind
_COUNTY_KIND = LazyPattern(r"(县|区|县区|区县|县市区|县市、区|县、市、区|市县|旗县|县市|县级市|市辖区"
                           r"|(县级市|市辖区|县|区|旗)([、，,]?(县级市|市辖区|县|区|旗|市))+)(人民)?(政府)?")


#: Plan levels whose directory's 市 are county-level cities (英德市 in 清远市's, 延吉市 in 延边州's).
_CITY_LEVELS = ("市", "州", "盟")
_PLAIN_CITY = LazyPattern(r"市(人民)?(政府)?")


def government_kind(kind: str) -> str:
    """"city" or "county" when ``kind`` (a directory's 类别) names local governments below the
    plan's own (地级以上市, 设区市, 县（市、区）, 区), else ''. A plain 市 or 县 counts; 市直部门 not."""
    bare = unbracketed(key(kind))
    if _CITY_KIND.fullmatch(bare):
        return "city"
    return "county" if _COUNTY_KIND.fullmatch(bare) else ""


def government_level(kind: str, plan: str = "") -> str:
    """`government_kind` in a plan of level ``plan``: a plain 市 below a city, a 州 or a 盟 is a
    county-level city (英德市 in 清远市's directory), 地级以上市 never is."""
    found = government_kind(kind)
    plain = _PLAIN_CITY.fullmatch(unbracketed(key(kind)))
    return "county" if found == "city" and plain and plan in _CITY_LEVELS else found


def unbracketed(text: str) -> str:
    """A phrase or a kind without its brackets: 县（市、区） is 县市、区."""
    return re.sub(f"[{re.escape(_OPEN + _CLOSE)}]", "", text)


def below_plan(kind: str, plan: str) -> bool:
    """Whether a department's kind is of a government below the plan's (县直部门, 区直部门 in a
    city's plan: 英德市教育局 in 清远市's), not of the plan's own."""
    own = leading_level(kind)
    return bool(own and plan) and RANK.get(own, 0) > RANK.get(plan, 3) and not government_kind(kind)


def phrase_level(phrase: str) -> str:
    """The level a group phrase names after its 各/有关 (县各有关单位, 各市直部门: 县, 市), else ''."""
    return leading_level(re.sub(r"^(各|有关|相关)+", "", key(phrase)))


# A bureau's plan among its own 科室 (江门's, QA): its 通报, 汇总表 and mails speak of 科室, not
# 单位. Only the phrases these texts make are changed, never a name (人社局's 用人单位服务科):
# 单位 after a word that makes a phrase of it (各单位, 牵头单位, 应报单位, 贵单位, 经本单位审核: a
# 科室's form is checked by its 科室负责人, not by the bureau), or a heading that is 单位 alone
# (单位, 单位数).
_UNIT_PHRASE = LazyPattern(r"(?:(?<=牵头)|(?<=配合)|(?<=责任)|(?<=报送)|(?<=应报)|(?<=上述)|(?<=[各无个的贵本])"
                           r"|^(?=单位数?$))单位(?!名)")


def of_sections(kinds: Iterable[str]) -> bool:
    """Whether a plan's units, by their kinds, are all a bureau's own 科室: its texts then say
    科室 where they say 单位 (`say_sections`)."""
    kinds = list(kinds)
    return bool(kinds) and all(k == SECTION for k in kinds)


def say_sections(text: str) -> str:
    """``text`` as a plan among 科室 says it: 各科室, 牵头科室, 应报科室, 贵科室 (`of_sections`)."""
    return _UNIT_PHRASE.sub("科室", text)



def mentions_dongguan(texts: list[str]) -> bool:
    """Whether a table is Dongguan's: it names 东莞, or three of Dongguan's towns (one 长安镇
    exists elsewhere too; 虎门镇, 樟木头镇 and 松山湖 together do not). Only then is the
    bundled directory used unasked."""
    blob = "\n".join(t for t in texts if t)
    if "东莞" in blob:
        return True
    towns = [u for u in default_directory().units if u.kind == TOWN]
    return sum(any(n in blob for n in (u.name, *u.aliases) if len(n) >= 3) for u in towns) >= 3


def split_aliases(text: object) -> tuple[str, ...]:
    """The names in a 简称/别名 cell: separated by 、，,；;/ or line breaks."""
    return tuple(a.strip() for a in re.split(r"[、,，;；/\n]+", clean(text)) if a.strip())


@record(frozen=True)
class Unit:
    """One reporting unit."""

    name: str
    kind: str = CITY
    aliases: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""
    email: str = ""

    def __init__(self, name: str, kind: str = CITY, aliases: tuple[str, ...] = (), contact: str = "", phone: str = "",
                 email: str = "") -> None:
        d = self.__dict__  # as `master.model.Assignment`: stored straight, not through object.__setattr__
        d["name"] = name
        d["kind"] = kind
        d["aliases"] = aliases
        d["contact"] = contact
        d["phone"] = phone
        d["email"] = email


@record(eq=False)  # never compared: start-up (docs/design.md)
class Directory:
    """All units, with name and alias lookup."""

    units: list[Unit] = field(default_factory=list)
    #: Name the coordinating office signs the memo with (通报落款), when the directory says.
    organiser: str = ""
    #: The place of the plan's own government (宜昌市, 西平县, 蔡甸区: `locate`), which `resolve`
    #: tolerates written before a name or left out; '' when only the names can tell (`_own_place`).
    place: str = field(default="", compare=False)

    def __init__(self, units: list[Unit] = FACTORY, organiser: str = "", place: str = "") -> None:
        self.units = [] if units is FACTORY else units
        self.organiser = organiser
        self.place = place
        self.__post_init__()

    def __post_init__(self) -> None:
        self._index: dict[str, str] = {}
        self._longest = 0  # longest key in _index: `find_in` looks up no longer substring
        # Canonical name -> position in ``units``: `get` was a scan of the list, which made
        # the merge quadratic in units (2.06 s of 2.6 s at 10,000 units).
        self._at: dict[str, int] = {}
        self._holders: dict[str, list[str]] | None = None  # a name -> the longer names holding it
        self._places: frozenset[str] | None = None  # the place names the directory's names lead with
        self._towns: frozenset[str] | None = None  # towns' short names: 虎门 of 虎门镇
        self._all_towns: frozenset[str] | None = None  # every name of a town: 虎门镇, 虎门
        self._tolerance: tuple | None = None  # `_place_forms`, for the place it was made of
        self._bodies: tuple | None = None  # `_read_bodies`, for the tolerance it was made of
        self._placed_by = ""  # the text `locate` read `place` in (阳泉市城区人民政府办公室)
        # `_own_place`'s places found in the names (西平县 of 西平县司法局 and 县司法局), and those
        # awaiting the bare name: kept up as the importer adds units, not a scan each time
        self._led: set[str] | None = None
        self._unled: dict[str, set[str]] = {}
        for at, u in enumerate(self.units):
            self._register(u, at)

    def _register(self, unit: Unit, at: int) -> None:
        self._holders = self._places = self._towns = self._all_towns = self._bodies = None
        self._at.setdefault(unit.name, at)
        # each name's key made once, not three times: 1.0 M of `duban status`'s 347 M instructions (W1)
        keys = [key(n) for n in (unit.name, *unit.aliases)]
        for k in keys:
            self._index.setdefault(k, unit.name)
        self._index[keys[0]] = unit.name
        if self._led is not None:
            for k in keys:
                self._note_led(k)
        self._longest = max([self._longest, *map(len, keys)])

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
        at = self._at.get(canonical) if canonical is not None else None
        return None if at is None else self.units[at]

    def aliases_of(self, name: str) -> tuple[str, ...]:
        """The unit's other names (简称/别名), a renamed unit's old name among them: the ledger
        may hold its earlier returns under one. Asked with an old name (a receipt recorded
        before the rename), its current name is one of them."""
        unit = self.get(name)
        return tuple(n for n in (unit.name, *unit.aliases) if n != name) if unit else ()

    def names_of(self, name: str) -> tuple[str, ...]:
        """``name`` first, then `aliases_of`: every name the ledger may hold the unit under."""
        return (name, *self.aliases_of(name))

    def resolve(self, name: object) -> str | None:
        """Canonical name for a name or alias, tolerant of spacing and of the directory's own
        place (`_own_place`) written or left out: in 宜昌市's, 宜昌市教育局, 宜昌教育局 and
        湖北省宜昌市教育局 are 市教育局; 市教育局 is 宜昌市教育局 where only that is listed. A name
        those readings make two units' is none's, as in `find_in`."""
        # a check resolves its _meta's unit and its 填报单位 cell, the same few names in every
        # return: their keys remembered (`short_key`): 1.7 µs a name, 0.35 once known
        k = short_key(name) if type(name) is str else key(name)
        if not k:
            return None
        if k in self._index:
            return self._index[k]
        stem, lead, level, forms = self._place_forms()
        # the cheap test first (timeit, 东莞's directory): an unknown name 0.48 µs, 1.1 with the
        # pattern tried on every name, 0.39 when only 东莞 was tolerated; a place-led one 1.7 still
        at = lead.match(k) if stem in k else None
        if at:  # 宜昌市教育局, 宜昌教育局: the body after the place, or after its level too
            rest = k[at.end():]
            bodies = (rest, rest[1:]) if rest.startswith(level) else (rest,)
        elif k.startswith(level):  # 市教育局 where the directory lists 宜昌市教育局
            bodies = (k[1:],)
        else:
            return None
        found = {self._index[f + b] for b in bodies for f in forms if f + b in self._index}
        return found.pop() if len(found) == 1 else None

    def locate(self, organiser: str, title: str = "", found: str | None = None) -> None:
        """The plan's place from its organiser, else its title (`plan_place`), when they name one.
        ``found``: `plan_place`'s answer for them when already known (`master.cache` keeps it)."""
        found = plan_place(organiser, title) if found is None else found
        if len(found) > 1:
            self.place, self._placed_by = found, organiser or title

    def _own_place(self) -> str:
        """The place the plan's units belong to (`_known_place`), else 东莞市: the directory
        duban was first made for."""
        return self._known_place() or "东莞市"

    def _known_place(self) -> str:
        """`place`, else the one the directory's 落款 names, else the one its names lead with
        where it lists them with and without it (西平县司法局 and 县司法局); '' when none says."""
        if len(self.place) > 1:
            return self.place
        if len(signed := plan_place(self.organiser)) > 1:
            return signed
        if self._led is None:
            self._led = set()
            for n in self._index:
                self._note_led(n)
        return next(iter(self._led)) if len(self._led) == 1 else ""

    def _note_led(self, name: str) -> None:  # `_led` with a name's key added
        if m := _LEADING_PLACE.match(name):
            if name[len(m[1]):] in self._index:
                self._led.add(m[0])
            else:
                self._unled.setdefault(name[len(m[1]):], set()).add(m[0])
        if name in self._unled:
            self._led |= self._unled.pop(name)

    def _place_forms(self) -> tuple[str, re.Pattern, str, tuple[str, ...]]:
        """What `resolve` reads a name's place by, for `_own_place` (宜昌市): its name (宜昌); the
        pattern of it leading a name, with the places above it (湖北省宜昌市, 武汉市蔡甸区), written with
        or without its level; the level (市); the ways the directory may list a body (市教育局,
        教育局, 宜昌市教育局). An autonomous prefecture is written both ways (黔东南苗族侗族自治州教育局,
        黔东南州教育局): its short name is the stem, its peoples may follow. A party's office is its
        place's (中共宜昌市委), a province may go without its 省 (湖北宜昌: `HIGHER_PLACE`)."""
        def now() -> tuple:
            return self.place, self._placed_by, self.organiser, None if self._led is None else len(self._led)
        if self._tolerance is None or self._tolerance[0] != now():
            own = key(self._own_place())
            stem, level, peoples = own[:-1], own[-1], ""
            if short := prefecture_stem(own):
                stem, peoples = short, r"(?:[^\W\d_]{2,12}?自治)?"
            # a stem of one character (阳泉's 城区, 矿区) is no name after any place but the one its
            # 落款 writes before it: 晋城市城区 is 晋城's district, 阳泉市城区 this one
            said = key(self._placed_by or self.organiser)
            parent = said[:max(said.find(own), 0)]
            above = rf"{HIGHER_PLACE}{{0,2}}?" if len(stem) > 1 else rf"(?:{re.escape(parent)})?"
            lead = re.compile(rf"(?:中国共产党|中共)?{above}{re.escape(stem)}{peoples}")
            self._tolerance = (now(), stem, lead, level, tuple(dict.fromkeys((level, "", own, stem + level))))
        return self._tolerance[1:]

    def find_in(self, text: str) -> str | None:
        """The unit whose name or alias is the longest match inside ``text`` (a file name).

        A longer name holding that match and written in ``text`` as a name wins over it
        (`_spelled_longer`). A match starting or ending inside the place name the directory's
        names lead with is none (`_place_cuts`: 东莞城市更新 holds 莞城, not 莞城街道), nor a town's
        short name carried on into a place (`_carried_on`: 虎门大桥 is no 虎门镇). The plan's own
        place is read as `resolve` reads it (`_anchors`): written or left out before a body, it
        finds the unit (宜昌教育局6月, 市教育局6月进展 and 教育局-6月 are 宜昌市教育局's); another
        place before a name led by the plan's place or level finds none (马鞍山市财政局 is not
        鞍山's 市财政局, 大连市教育局 not 宜昌's 市教育局), nor any name right after it, marks or not
        (广州市市场监管局: `follows_other_place`). A name found as written beats a reading
        of the same length. Ambiguous matches (two different units, same length) give None: the
        caller must not guess which department sent a file.
        """
        k = key(text)
        n, longest = len(k), self._longest
        cuts = self._place_cuts(k)
        forms = self._place_forms()
        bodies, heads, led, known = self._read_bodies(forms)
        spans = marks_in(text, k)
        at = self._anchors(k, forms, spans, known)
        after = before_other_place(k, spans, known) if known else ()  # 市场监管局-广州市 (QA168)

        def gone(alias: str, j: int) -> bool:  # a town's name with its level before the mark too
            return (j in after or self._carried_on(alias, k, j)
                    or (bool(after) and alias in self._town_names() and town_words_end(k, j) in after))

        def placed(alias: str, i: int) -> bool:  # 市财政局 at i: its 市 begins no other place's name;
            if (m := led.get(alias)) is not None:  # 市场监管局 follows none (广州市市场监管局: QA165)
                return i + m in at
            return not (known and follows_other_place(k, i, spans, known))
        if n * min(n, longest) < len(self._index):
            # A file name has far fewer substrings than a province has names: look each up
            # (10,000 units: collect spent 4.3 s of CPU scanning every name for each file).
            found = {(j - i, True, k[i:j]) for i in range(n) if i not in cuts
                     for j in range(i + 2, min(n, i + longest) + 1)
                     if j not in cuts and k[i:j] in self._index and not gone(k[i:j], j)
                     and placed(k[i:j], i)}
        else:
            towns = self._town_names()
            found = {(len(alias), True, alias) for alias in self._index if len(alias) >= 2 and alias in k and (
                     (not cuts and not known and alias not in towns and alias not in led
                      and not all(gone(alias, i + len(alias)) for i in _starts(alias, k)))
                     or any(i not in cuts and (j := i + len(alias)) not in cuts and not gone(alias, j)
                            and placed(alias, i) for i in _starts(alias, k)))}
        # bodies after the plan's place, its level or nothing (宜昌教育局, 县水务局, 教育局-6月),
        # a body alone three characters at least (not 政府 of 市政府 in 6月政府工作). After a place
        # written, a name as listed is read too: 西平司法局 is 县司法局 or 司法局, none, as in `resolve`.
        # The cost (timeit, 10,000 units; 东莞's 名录): 2022年6月_测试00124镇_进展填报表 24 -> 30 µs,
        # 6月进展 3.5 -> 7, 2024年6月_东莞市交通运输局_进展填报表 16 -> 27 in 东莞's
        for s, begin in at.items():
            top = heads.get(k[s:s + 2], 0)  # most places start no body: one look-up
            if not top or s in cuts:
                continue
            for j in range(s + (2 if begin < s else 3), min(n, s + top) + 1):
                names = bodies.get(body := k[s:j], [])
                if begin < s and body in self._index:
                    names = [*names, body]
                if names and j not in cuts:
                    found.update((j - begin, False, alias) for alias in names if not gone(alias, j))
        size, exact, _ = max(found, default=(0, False, ""))
        owners = {self._spelled_longer(alias, k) for length, as_is, alias in found if (length, as_is) == (size, exact)}
        return next(iter(owners)) if len(owners) == 1 else None

    def _anchors(self, text: str, forms: tuple, spans: list[tuple[int, int]], known: str = "") -> dict[int, int]:
        """Where in ``text`` (a key) a unit's body may start, each with where the place written
        before it starts: after a boundary (the start, a digit, a mark, 年, 月, 关于, 附件 …:
        a space the key dropped: 复件 市司法局; ``spans``: `marks_in`),
        after the plan's level there (市教育局), after its place written from there, with the
        places above it or not (湖北省宜昌市, 宜昌, 中共大竹县). Never after another place: 马鞍山,
        大连市, 区 start at no boundary, and a mark after one (广州市-民政局, 大连市_教育局: QA164) only
        the plan's place (广东省-东莞市民政局), where ``known`` (the plan's place, said) says which."""
        stem, lead, level, _ = forms
        marks = sorted({0, *(end for _, end in spans)})
        other = after_other_place(text, spans, known) if known else ()
        at: dict[int, int] = {}
        for b in (b for b in marks if b not in other):
            at.setdefault(b, b)
            if text.startswith(level, b):
                at.setdefault(b + 1, b)
        p = text.find(stem)
        while p >= 0:  # read from the nearest boundary before it that reads one (湖北省宜昌: 0)
            for b in reversed(marks):
                if p - 20 <= b <= p and (m := lead.match(text, b)) and m.end() > p:
                    at.setdefault(m.end(), b)
                    if text.startswith(level, m.end()):
                        at.setdefault(m.end() + 1, b)
                    break
            p = text.find(stem, p + 1)
        return at

    def _read_bodies(self, forms: tuple) -> tuple[dict[str, list[str]], dict[str, int], dict[str, int], str]:
        """The names by their bodies as `resolve` reads them after the plan's place (教育局: 宜昌市教育局
        or 市教育局; `_place_forms`), and for a name led by that place or its level, the length of
        that lead (3 of 宜昌市教育局, 1 of 市教育局; none of 市场监管局 or, in 济南市's, 市中区财政局):
        none where the place is only assumed (no `_known_place`: 东莞市 for a 名录 of 市财政局 and no
        落款), as another place before a name can then be the plan's own (绍兴市财政局).
        Between them, the first two characters of the bodies and the names, with the longest
        starting so; last `_known_place`'s key, '' where assumed. ``forms``: `_place_forms`."""
        stem, _, level, forms = forms
        if self._bodies is None or self._bodies[0] is not self._tolerance:
            bodies: dict[str, list[str]] = {}
            led: dict[str, int] = {}
            own = forms[2]  # (level, "", own[, stem + level])
            said = bool(self._known_place())
            for a in self._index:
                lv = a.startswith(level) and leading_level(a) == level
                for f in forms:  # not "": a name as listed is found as such
                    if f and len(a) > len(f) and a.startswith(f) and (f != level or lv):
                        bodies.setdefault(a[len(f):], []).append(a)
                lead = next((p for p in (own, stem + level, stem) if a.startswith(p)), level if lv else "")
                if lead and said:
                    led[a] = len(lead)
            heads: dict[str, int] = {}
            for b in (*bodies, *self._index):
                heads[b[:2]] = max(heads.get(b[:2], 0), len(b))
            self._bodies = (self._tolerance, bodies, heads, led, key(self._known_place()))
        return self._bodies[1:]

    def _place_cuts(self, text: str) -> frozenset[int]:
        """The positions inside ``text``'s place names of the directory (东莞 of 东莞市公安局, known
        where the directory lists a name with and without it): no name starts or ends there."""
        if self._places is None:
            self._places = frozenset(m[1] for n in self._index if (m := _LEADING_PLACE.match(n))
                                     and n[len(m[1]):] in self._index)
        if not self._places:
            return frozenset()
        return frozenset(i for at in range(len(text)) for size in (2, 3, 4)  # _LEADING_PLACE's sizes
                         if text[at:at + size] in self._places for i in range(at + 1, at + size))

    def _short_towns(self) -> frozenset[str]:
        """The aliases of towns that do not say they are one (虎门 of 虎门镇)."""
        if self._towns is None:
            self._towns = frozenset(key(n) for u in self.units if u.kind == TOWN or is_town(u.name)
                                    for n in u.aliases if not is_town(n))
        return self._towns

    def _town_names(self) -> frozenset[str]:
        """The keys of every name of a town (虎门镇, 虎门, 敬南镇人民政府)."""
        if self._all_towns is None:
            self._all_towns = frozenset(key(n) for u in self.units if u.kind == TOWN or town_kind(u.kind)
                                        or is_town(u.name) for n in (u.name, *u.aliases))
        return self._all_towns

    def _carried_on(self, alias: str, text: str, end: int) -> bool:
        """Whether a town's name found in ``text`` before ``end`` goes on there into a place's,
        a structure's or a body's name (`goes_on_from_town`): 虎门大桥维修进展 from 市交通运输局 went
        to 虎门镇, a W206 against the bureau's own form; 塘厦公安分局6月进展 made 塘厦镇 按时 by a
        file the police sent (QA162). Any other name goes on so into its branch in a town."""
        if alias in (towns := self._town_names()):
            return goes_on_from_town(text, end, alias in self._short_towns())
        # a department's name going on into its branch in a town (东莞市公安局塘厦分局: QA168), a mark
        # between them or not (市公安局-塘厦镇派出所: QA201)
        at = past_marks(text, end)
        return any(text[at:at + n] in towns and branch_after_town(text, at + n) for n in range(2, 12))

    def _spelled_longer(self, alias: str, text: str) -> str | None:
        """The unit of the longest name holding ``alias`` that ``text`` writes as a name
        (`spells`), else ``alias``'s own unit; None when two units' names tie. 东莞市公安局交通警察支队
        holds 市公安局 but is 市公安局交警支队's name; 中共东莞市委员会宣传部 市委宣传部's, not 市委's:
        the shorter unit won, and the 通报 called the longer one 未报送. 市委6月份宣传部署落实情况
        holds 市委宣传部's characters in order, but is 市委's."""
        if self._holders is None:
            # every name's inner substrings looked up once: a scan of all names for each alias
            # found was quadratic (10,000 units: 0.48 ms a file, +20% on collect)
            holders: dict[str, set[str]] = {}
            for n in self._index:
                for i in range(len(n)):
                    for j in range(i + 2, len(n) + 1):
                        if (i or j < len(n)) and n[i:j] in self._index:  # inside n, not n itself
                            holders.setdefault(n[i:j], set()).add(n)
            self._holders = {a: sorted(ns, key=len, reverse=True) for a, ns in holders.items()}
        spelled = [n for n in self._holders.get(alias, ()) if spells(n, text)]
        if not spelled:
            return self._index[alias]
        owners = {self._index[n] for n in spelled if len(n) == len(spelled[0])}
        return owners.pop() if len(owners) == 1 else None

    def of_kind(self, kind: str) -> list[str]:
        return [u.name for u in self.units if u.kind == kind]

    def add(self, unit: Unit) -> None:
        self.units.append(unit)
        self._register(unit, len(self.units) - 1)

    def with_contacts(self, name: str, **changes: str) -> None:
        """Update one unit's contact fields in place."""
        at = self._at.get(name)
        if at is not None:
            self.units[at] = replace(self.units[at], **changes)

    # ---- table form (CSV shipped in templates/, sheet 单位名录 in the master) ----

    def to_rows(self) -> list[list[str]]:
        return [[u.name, "、".join(u.aliases), u.kind, u.contact, u.phone, u.email]
                for u in self.units]

    def copy(self) -> Directory:
        """An independent copy: the importer adds units without touching the caller's."""
        return Directory(list(self.units), self.organiser, self.place)

    @classmethod
    def from_rows(cls, rows: list[list[object]]) -> Directory:
        """Rows of 单位 | 简称/别名 | 类别 | 联系人 | 电话 | 邮箱 [| 督办单位落款].

        Any 类别 is kept as written (县(市、区), 乡镇(街道) …); a blank one is guessed.
        """
        units, organiser = [], ""
        for r in rows:
            r = [clean(v) for v in (list(r) + [""] * 7)[:7]]
            if not r[0]:
                continue
            aliases = split_aliases(r[1])
            units.append(Unit(r[0], r[2] or guess_kind(r[0]), aliases, r[3], r[4], r[5]))
            organiser = organiser or r[6]
        return cls(units, organiser)

    @classmethod
    def from_csv(cls, path: Path) -> Directory:
        import csv
        data = Path(path).read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # Excel on a Chinese Windows saves “CSV（逗号分隔）” in GBK
            text = data.decode("gb18030", errors="replace")
        rows = list(csv.reader(io.StringIO(text)))
        if rows and rows[0] and _is_header(rows[0]):
            rows = rows[1:]
        return cls.from_rows(rows)


def in_order(short: str, text: str) -> bool:
    """Whether every character of ``short`` is in ``text``, in order (a 简称 keeps its
    全称's characters so: 交警支队 of 交通警察支队)."""
    rest = iter(text)
    return bool(short) and all(ch in rest for ch in short)


# A name written short keeps the first characters of its full name's words. What the full
# name has between them is a word's tail (员会 of 委员会, 通 of 交通, 察 of 警察), a qualifier
# (交通治安警察支队 writes both squads), the place before a level (东莞 of 东莞市): three
# characters at most, all Chinese, none a date's or a joining word's. 市委6月份宣传部署,
# 市委本月宣传部署, 市委关于宣传部署 and 市委和宣传部 hold the characters of 市委宣传部 in
# order, as sentences do, and are no way of writing it.
_NAME_GAP = 3
_NOT_IN_A_GAP = LazyPattern(r"[^\u3400-\u9fff]|[年月日份期号季周的和与及或并转于]")
# Words of a report's prose, in no unit's name (工作 is: 市金融工作局 writes 市金融局). Between
# a name's characters, or carrying on its last one into a word (宣传部署 is no 宣传部), they
# make a sentence about the work: 市委落实宣传部署情况 is 市委's, not 市委宣传部's.
_PROSE = LazyPattern(r"落实|部署|推进|开展|贯彻|情况|进展|汇报|报告|安排|措施|办理|委托")
# a place name leading a unit's name before its level: 东莞 of 东莞市政务服务数据管理局, 阿拉善 of
# 阿拉善盟教育局, 黔东南 of 黔东南州教育局
_LEADING_PLACE = LazyPattern(r"([^\W\d_]{2,4}?)[市县区州盟旗]")


def spells(name: str, text: str) -> bool:
    """Whether ``text`` writes ``name`` as a name: all of it, or its characters in order with
    at most `_NAME_GAP` characters of a word between two of them (交通警察支队 writes
    交警支队, 中共东莞市委员会宣传部 writes 市委宣传部), never a sentence holding them (`_PROSE`)."""
    if not in_order(name, text):  # the cheap test first: most names are not even in order
        return False
    at = {i for i, ch in enumerate(text) if ch == name[0]}
    for ch in name[1:]:
        at = {j for i in at for j in range(i + 1, min(len(text), i + 2 + _NAME_GAP))
              if text[j] == ch and not _NOT_IN_A_GAP.search(text[i + 1:j]) and not _PROSE.search(text[i + 1:j])}
        if not at:
            return False
    return any(not _PROSE.match(text, j) for j in at)


def _starts(part: str, text: str):
    """Where ``part`` starts in ``text``, every occurrence."""
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _is_header(row: list[str]) -> bool:
    """The first row of a directory CSV names its columns: 单位 or 单位名称 …, 类别, 邮箱."""
    words = {key(c) for c in row}
    return key(row[0]) in {key("单位"), key("单位名称"), key("名称")} or bool(
        words & {key("类别"), key("邮箱"), key("电子邮箱"), key("简称/别名")})


def default_directory() -> Directory:
    """The Dongguan directory shipped in ``templates/单位名录.csv``."""
    return Directory.from_csv(resource("templates", "单位名录.csv"))


def is_bundled(directory: Directory) -> bool:
    """Whether ``directory`` is (still) the shipped Dongguan one, by its unit names."""
    return bool(directory.units) and set(directory.names) == set(default_directory().names)
