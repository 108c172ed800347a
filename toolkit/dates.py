"""Published deadlines (完成时限) and dates typed by departments."""

from __future__ import annotations

import datetime as dt
import functools
import re

from .text import LazyPattern, squash_nfkc


@functools.lru_cache(maxsize=1024)
def month_end(year: int, month: int) -> dt.date:
    # Remembered: a check asks for its period's end once per row (W604), seven times a W2
    # return, and a date and a timedelta made each time were 0.6% of read+check.
    # the day before the next month's first, rather than calendar.monthrange: calendar
    # imports locale, 2 ms of every command's start for one subtraction
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


#: how far two clocks may disagree and a time still be taken as on the other side of a moment:
#: a department's PC, a mail server and the office's machine are each minutes (a badly set one
#: up to an hour) off. A mail dated later than now by less is no doubt (`evidence.doubt`); a
#: correction dated before the refused file was collected by less may have answered its reply
#: (`on_time.correction_by`): a wrong 逾期 in the 通报 is the worse error
CLOCK_SLACK = dt.timedelta(hours=1)


def resubmit_by(due: dt.date, today: dt.date, working_days: int) -> dt.date:
    """The date a reply to a refused return asks for the correction by: the later of the due date
    and the given number of working days after the reply (``today``), each a day that is no
    `day_off` (a reply of 30 December counted 元旦 and asked for 4 January, QA388). Never "today",
    never before the due date. The due date alone, while ahead, gave a return refused on the
    Friday before a Saturday deadline one day, a Saturday, where one refused on the Saturday got
    until Wednesday: the unit that sent first was named 逾期 in the 通报 (QA398). The one rule of
    the reply's date and the verdict: `on_time.timeliness` holds the office to the date its reply
    named; a form first issued after the month's deadline prints it too (`actions.issue`:
    今天起N个工作日). Only later than the deadline-while-ahead rule before it, never earlier: a
    date an earlier reply printed is never taken back."""
    day, left = today, working_days
    while left:
        day = next_working_day(day)
        left -= 1
    return max(due, day)


def weekday(day: dt.date) -> str:
    """``星期一`` … ``星期日``."""
    return "星期" + "一二三四五六日"[day.weekday()]


#: holidays by their date (全国年节及纪念日放假办法): (month, day) -> (name, first year). 劳动节's
#: second day from 2025 (the 2024 revision); 春节, 清明, 端午 and 中秋 move with the lunar calendar
#: or the solar terms and are not known, as no 调休 is
_FIXED_HOLIDAYS = {(1, 1): ("元旦", 0), (5, 1): ("劳动节", 0), (5, 2): ("劳动节", 2025),
                   (10, 1): ("国庆节", 0), (10, 2): ("国庆节", 0), (10, 3): ("国庆节", 0)}


def day_off(day: dt.date) -> str:
    """What makes ``day`` no working day as far as duban can know without a holiday calendar:
    星期六, 星期日, or a holiday by its date (`_FIXED_HOLIDAYS`: 元旦, 劳动节, 国庆节); '' otherwise.
    调休 (a Saturday worked, a week moved for 春节 or 国庆) is not known: said as a day to check,
    never judged by."""
    name, since = _FIXED_HOLIDAYS.get((day.month, day.day), ("", 0))
    if name and day.year >= since:
        return name
    return weekday(day) if day.weekday() >= 5 else ""


def next_working_day(day: dt.date) -> dt.date:
    """The first day after ``day`` that is not a `day_off`."""
    day += dt.timedelta(days=1)
    while day_off(day):
        day += dt.timedelta(days=1)
    return day


ONGOING_WORDS = ("长期", "持续", "常态化", "长效")
# Work done again and again (每季度, 每月, 按季度报送, 定期) or from a day on (2025年起) has no
# day it is done by: ongoing, as 长期坚持 is. Read as unreadable before (M103), with nothing
# said to tell it from a deadline duban could not read.
# Only where a clause starts (or after 起): 建立定期通报机制 says what is built, not when.
# Compiled on first use (`text.LazyPattern`): only a deadline read from a workbook or an import
# reads them, never `duban status` or a collect on the master's cache; the four took 0.83 ms
# of every start (min of 5 runs, 2-core EPYC, Python 3.11).
_RECURRING = LazyPattern(r"(?:^|[，,；;。（(并]|起|开始)(?:每(个)?(年度?|半年|季度?|月度?|双月|旬|周|星期)"
                        r"|按(年度?|半年|季度?|月度?|周)|定期|常年|逐月|逐季)")
_FROM_ON = LazyPattern(r"(自|从)?\d{4}年(\d{1,2}月)?(\d{1,2}[日号])?(起|开始|以后)(实施|执行|推进|开展)?")
# Where a deadline's clauses end. What follows a date may also start at 并 or a bracket
# (2024年6月底前完成并长期坚持, 2024年底前完成（每季度报送）); stages are clauses alone.
_CLAUSE_ENDS = "，,；;。"
# 2024年—2025年, 2024-2025年, 2024年6月至12月: a span is done by its end.
_SPAN = LazyPattern(r"[—–－~～]+|-|至|到")

_QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
# What a deadline may say is to be done by then (2024年12月底前建成): only 完成 was read, and
# a 建成 deadline was lost (with 并持续推进 after it, the task is ongoing: see `milestone`).
# A stage (启动, 试点, 全面推开) is read the same way: see `_stages_end`.
# 投入使用 and 竣工 are done too: 大竹 2016's 9月投入使用 (新建2座人行天桥) read no date (M103).
_DONE = (r"(?:完成|建成|落实|实现|出台|到位|上线|印发|制定|建立|启动|开工|试点|推开|推广"
         r"|基本|全面|全覆盖|投入使用|投入运行|投用|竣工|交付使用)*")
# A date inside a clause's words, as `parse_deadline` reads one (2024年6月底前 of 2024年6月底前印发方案,
# 12月底前 of 其它事项12月底前取得明显成效, 年底前, 三季度末, 2024.6.30): what `milestone` looks for.
# The dotted forms only with their year: 1.建立机制 is a list's number, not January
_DATED = LazyPattern(r"\d{4}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?前?"
                     r"|(?:\d{4}年)?(?:(?<!\d)\d{1,2}月(?:\d{1,2}[日号])?(?:底|末|中旬|上旬|下旬)?|[上下]半年底?"
                     r"|第?[一二三四1-4]季度[末底]?)前?"
                     r"|\d{4}年[底末内]?前?|(?<!\d)年[底末内]前?")
# What makes the date before it a start, not a day anything is done by (2024年3月启动, 2024年起, the
# first day of a span: 2024年6月至12月底前); a date with 前 never is (6月底前启动 is a deadline)
_STARTS = LazyPattern(r"起|开始|启动|以后|以来|至(?!少)|到|[—–~～-]")
# 上旬 and 中旬 end on the 10th and the 20th: read as the month's end, such a task was
# overdue two or three weeks late.
_TEN_DAYS = {"上旬": 10, "中旬": 20}


def title_year(title: str) -> int | None:
    """The plan's own year from its title (2016年民生实事…), for a 完成时限 that gives none
    (12月底前, 年底前); None when the title names none, or two (2023—2025年)."""
    years = set(re.findall(r"(?<!\d)(20\d\d)(?!\d)", title or ""))
    return int(years.pop()) if len(years) == 1 else None


# 立行立改 (a 整改清单's "put right at once"): no date of its own. Said as unreadable before (M103),
# and 立行立改，2024年6月底前完成 lost its date; what follows it is the deadline (QA318), wherever a
# 完成时限 is read (`parse_deadline`: the import, a row the office adds to 任务清单, a form's own
# text); alone, the issue's and the 通报's words for a task without a date say so (QA320).
# 立即整改并于2024年9月底前完成 (the word 于 before the date) lost the date as well.
# compiled on first use, as the patterns above: a deadline read from a workbook or an import
# needs it, `duban status` never does (1.9 M instructions of its 478 M, callgrind)
_AT_ONCE = LazyPattern(r"^\s*(立行立改|立即整改|即知即改)\s*[，,；;、]?\s*并?\s*[于在]?\s*")


def at_once(text: str) -> bool:
    """Whether a 完成时限 is 立行立改 alone: no date written, on purpose, not one duban misread."""
    return bool((text or "").strip()) and not _AT_ONCE.sub("", text, count=1).strip()


def _squashed(text: str) -> str:
    return _AT_ONCE.sub("", squash_nfkc(text or ""), count=1)


def parse_deadline(text: str, year: int | None = None) -> tuple[dt.date | None, bool]:
    """Published 完成时限 -> (due date, ongoing). ``(None, False)`` when not understood.

    ``2022年6月`` means the end of June; ``长期开展`` is ongoing and never overdue. ``year``
    is the plan's own year, for a deadline that gives none (``12月底前``, ``年底前``). A
    deadline that dates only the work's start (`starts_only`: 5月底前动工) is no day the
    task is done by: ``(None, False)``, as one not understood.
    """
    day, ongoing = _parse(text, year)
    if day is not None and starts_only(text):
        return None, False
    return day, ongoing


def _parse(text: str, year: int | None = None) -> tuple[dt.date | None, bool]:
    s = _squashed(text)
    if not s:
        return None, False
    if any(w in s for w in ONGOING_WORDS):
        # 2024年6月底前完成，长期坚持: a first milestone, then the work kept up. Read as due on
        # the milestone, the task was 逾期 every month after it, whatever its units reported
        # (持续推进 is no 已完成): ongoing, as 长期坚持 alone is. The import names such tasks
        # (`milestone`), for an office that wants the milestone judged to date it.
        return None, True
    if _RECURRING.search(s) or _FROM_ON.fullmatch(s):
        # 每季度报送，2024年底前完成 (or the other way round): the reporting recurs, the work is
        # done by the date. Without one, ongoing.
        for clause in reversed(re.split(rf"[{_CLAUSE_ENDS}并（()）]", s)):
            if clause and clause != s and not _RECURRING.search(clause):
                dated, _ = _parse(clause, year)
                if dated is not None:
                    return dated, False
        return None, True
    if year is not None and not re.match(r"\d{4}", s):
        s = f"{year}年{s.removeprefix('年')}" if not s.startswith(("上半年", "下半年")) else f"{year}{s}"
    m = re.match(r"(\d{4})年?(?:[.\-/]|年)?", s)
    if not m:
        return None, False
    day = _day(m, s)
    return (day, False) if day is not None else (_span_end(s) or _stages_end(s, year), False)


# What makes a day the work's start rather than its end (大竹 2016: 建成县残疾人综合服务中心,
# 5月底前动工): judged by it, every project not yet built was 逾期 in the 通报 from June on.
_START_WORDS = LazyPattern(r"前?(?:开工|动工|开建|启动|开始|破土|进场|起(?!草))")
_DONE_WORDS = ("完成", "建成", "竣工", "投入使用", "投用", "交付", "到位", "全覆盖")


def starts_only(text: str) -> bool:
    """Whether a deadline's last day is when the work starts, not when it is done (5月底前动工,
    6月底前启动, 2024年底前完成设计，2025年3月开工): no day to judge 逾期 by, as the task's own
    words (建成…) are not done then. A start before a later end (2024年6月底前启动，2025年底前完成)
    is a stage, not this."""
    clauses = [c for c in re.split(f"[{_CLAUSE_ENDS}、]", _squashed(text)) if c]
    if not clauses or any(w in clauses[-1] for w in _DONE_WORDS):
        return False
    last = clauses[-1]
    days = list(_DATED.finditer(last))
    return bool(days) and bool(_START_WORDS.match(last, days[-1].end()))


def milestone(text: str, year: int | None = None) -> dt.date | None:
    """The date a deadline kept up afterwards names first (2024年6月底前完成，长期坚持,
    2024年12月底前建成并持续推进 -> that day); None for any other deadline. The date of the first
    clause that holds one (`_DATED`), whatever words go on from it: 同心县's "方舱医院升级改造…，
    1月底前完成；其它事项12月底前取得明显成效并长期坚持" names 1月底 after the work it dates (QA198),
    "2024年6月底前印发方案，12月底前完成试点" 6月底 (QA205: 印发方案 is no deadline's word, and
    12月底 was named). A start (2024年3月启动, 2024年3月起, 自2024年3月, 2024年6月至…) is no day
    anything is done by: passed over, its year kept for the clauses after it; a clause of work
    that recurs (每年底前报送) names none."""
    s = squash_nfkc(text or "")
    clauses = [c for c in re.split(rf"[{_CLAUSE_ENDS}并（(]", s) if c]
    if len(clauses) < 2 or not any(w in s for w in ONGOING_WORDS):
        return None
    for clause in (c for c in clauses if not _RECURRING.search(c)):
        for m in _DATED.finditer(clause):
            day, _ = parse_deadline(m[0], year)
            if day is None:
                continue
            if m[0].endswith("前") or not (_STARTS.match(clause, m.end()) or re.search("[自从]$", clause[:m.start()])):
                return day
            year = day.year  # 2024年3月启动，6月底前完成: June of 2024
    return None


def _stages_end(s: str, year: int | None) -> dt.date | None:
    """2024年6月底前启动，2025年底前全面完成: work in stages is due when its last stage is,
    when every clause reads as a day (a clause without a year takes the one before's). Such
    a task was unread (M103) and never judged."""
    return max(_stage_days(s, year), default=None)


# 分别于5月29日、12月10日前报送 (福建 2015's letter), 2021年2月公布预算信息: the words a stage may
# open with before its day
_STAGE_OPENS = LazyPattern(r"(?:分别)?[于在]?")


def _stage_days(s: str, year: int | None) -> list[dt.date]:
    """The day each stage of ``s`` names, when it names two or more and every stage opens
    with a day; else []. Stages are clauses, or days listed with 、 (福建 2015: 5月29日、12月10日前,
    read as no date at all). A stage whose words after its day are no deadline's (广东省卫健委
    2021: 2021年2月公布预算信息,2021年8月公布上年度决算信息, unread, M103) is read by its day,
    as `milestone` reads one; a stage without a day (另行通知) leaves the whole unread."""
    clauses = [c for c in re.split(f"[{_CLAUSE_ENDS}、]", s) if c]
    days: list[dt.date] = []
    for clause in clauses if len(clauses) > 1 else ():
        carried = days[-1].year if days else year
        day, _ = _parse(clause, carried)
        if day is None:
            opened = _DATED.match(clause, _STAGE_OPENS.match(clause).end())
            day = _parse(opened[0], carried)[0] if opened else None
        if day is None:
            return []
        days.append(day)
    return days


def deadline_steps(text: str, due: dt.date | None, year: int | None = None) -> list[dt.date]:
    """The days a deadline read by its last stage names (`_stage_days`), in its order, when
    that is how it was read (``due``: the day `parse_deadline` gave it, which the caller has:
    not read again): the earlier ones are milestones no 逾期 is judged by, said at import
    (M117). [] for any other deadline."""
    days = _stage_days(_squashed(text), year) if due is not None else []
    return days if days and max(days) == due else []


def _span_end(s: str) -> dt.date | None:
    """The end of a span (2024年—2025年, 2024.6-2025.12, 2024年6月至12月, 2024年起至2025年底),
    when both ends read as deadlines and the second is not before the first; else None."""
    for sep in _SPAN.finditer(s):
        start, end = s[: sep.start()], s[sep.end():]
        start = re.sub(r"(起|开始)$", "", start)
        first, _ = _parse(start)
        if first is None or not end:
            continue
        last, _ = _parse(end, first.year)
        if last is not None and last >= first:
            return last
    return None


def _day(m: re.Match, s: str) -> dt.date | None:
    """The day a deadline names, its year matched by ``m``; None when the rest is not read."""
    year = int(m.group(1))
    rest = s[m.end():]
    if re.fullmatch(r"(年)?(底前?|末前?|内|年底前?|年内|全年)?" + _DONE, rest):
        return dt.date(year, 12, 31)
    if re.fullmatch(r"上半年(前|底前?)?" + _DONE, rest):
        return dt.date(year, 6, 30)
    if re.fullmatch(r"下半年(前|底前?)?" + _DONE, rest):
        return dt.date(year, 12, 31)
    q = re.fullmatch(r"第?([一二三四1-4])季度(末|底)?前?" + _DONE, rest)
    if q:
        return month_end(year, _QUARTER_END[q.group(1)])
    d = re.fullmatch(r"(\d{1,2})(?:月|[.\-/])?(?:(\d{1,2})[日号]?)?(底|末|中旬|上旬|下旬)?前?" + _DONE, rest)
    if d:
        month = int(d.group(1))
        if not 1 <= month <= 12:
            return None
        if d.group(2):
            try:
                return dt.date(year, month, int(d.group(2)))
            except ValueError:
                return None
        if d.group(3) in _TEN_DAYS:
            return dt.date(year, month, _TEN_DAYS[d.group(3)])
        return month_end(year, month)
    return None


_EXCEL_EPOCH = dt.date(1899, 12, 30)


def excel_serial(day: dt.date) -> int:
    """Excel's serial number of ``day`` (1900 date system), as a data validation's bounds."""
    return (day - _EXCEL_EPOCH).days


def parse_date(value: object, *, day_required: bool = False) -> dt.date | None:
    """A date typed by a department, in any of the usual shapes; None if not a date.

    Accepts real dates, Excel serial numbers, ``2022年7月15日``, ``2022/7/15``,
    ``2022-07-15``, ``2022.7.15`` and ``2022年7月`` (end of month). ``day_required``: a
    month without its day is None, not the month's last day: a day the office says it got a
    file (`duban verify`) read as the 30th would time the file by a day nobody said.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        # Excel serial days; plausible range 1982..2064 avoids reading "80" as a date.
        if 30000 <= value <= 60000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    s = squash_nfkc(str(value))
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})[年.\-/](\d{1,2})[月.\-/]?(?:(\d{1,2})[日号]?)?(?:(?:T|\d{0,2}:).*)?", s)
    if not m:
        m8 = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
        if not m8:
            return None
        m = m8
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:  # month_end would read 2022年13月 as January 2023
        return None
    try:
        if m.group(3):
            return dt.date(year, month, int(m.group(3)))
        return None if day_required else month_end(year, month)
    except ValueError:
        return None


def number_shown_as_date(value: object) -> str | None:
    """What was typed, when a date cell holds a number too small for a day of ours: 2022.12
    (or 2022.9) typed for a month into the 预计完成时间 cell, which its date format shows as
    1905年7月14日. The validation's range keeps Excel from taking it; a paste or another
    program does not, and the return was taken with 1905 as the planned date (QA179). None
    for a day from 1982 on, the first an Excel serial number is read as (`parse_date`)."""
    if not isinstance(value, (dt.date, dt.datetime)) or value.year >= 1982:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    serial = (moment - dt.datetime.combine(_EXCEL_EPOCH, dt.time())).total_seconds() / 86400
    return f"{round(serial, 6):g}（表中显示为 {cn_date(moment.date())}）"


# A day written without its year: 7月底, 9月30日, 年底前, 三季度 (not a lone 底 or 30).
_YEARLESS = LazyPattern(r"\d{1,2}月|年[底末内]|[上下]半年|第?[一二三四1-4]季度")


def parse_planned_date(value: object, after: dt.date | None = None,
                       deadline: dt.date | None = None) -> dt.date | None:
    """A 预计完成时间 as departments write it; None if not a date.

    What `parse_date` reads, and the words of a 完成时限, which departments copy (2022年底前,
    2022年7月底, 2022年12月31日前, 2022年三季度): refused as "not a date" (E505) before, while
    2022年7月 was read. A day without its year (7月底, 9月30日) is planned, so the first such
    day on or after ``after`` (the period's first day); without ``after``, not read. The
    task's own 完成时限 copied without its year (``deadline``'s month and day: 5月底前 of a
    task due in May, overdue in June's return) is that day, not the next year's.
    """
    day = parse_date(value)
    if day is not None or not isinstance(value, str):
        return day
    s = squash_nfkc(value).rstrip("。.")
    if re.match(r"\d{4}(?!\d)", s):  # not 44834, a serial number typed as text
        day, _ = parse_deadline(s)
        return day
    if after is None or not _YEARLESS.match(s):
        return None
    day, _ = parse_deadline(s, after.year)
    if day is not None and deadline is not None and (day.month, day.day) == (deadline.month, deadline.day):
        return deadline
    if day is not None and day < after:
        day, _ = parse_deadline(s, after.year + 1)
    return day


def cn_date(d: dt.date) -> str:
    """``2022年7月6日``, as official documents write dates."""
    return f"{d.year}年{d.month}月{d.day}日"


def day_text(d: dt.date, today: dt.date) -> str:
    """``7月6日`` in ``today``'s year, else `cn_date`: a day on a screen line, never 今天 (a day a
    fetch looked from: 今天以后 reads as tomorrow)."""
    return f"{d.month}月{d.day}日" if d.year == today.year else cn_date(d)


def units_dues_text(own: list[tuple[str, dt.date]], fmt=cn_date, most: int = 5) -> str:
    """Units with their own deadline, beside the one most forms carry: "麻涌镇 2022年7月10日",
    the first ``most`` and "等 8 个单位" for more; '' when none."""
    text = "、".join(f"{unit} {fmt(d)}" for unit, d in own[:most])
    return f"{text}等 {len(own)} 个单位" if len(own) > most else text
