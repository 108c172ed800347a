"""Evidence about a received file: which unit sent it, for which period, and when.

docs/design.md, "Evidence rules". The 通报 names departments in public as 未报送 or 逾期,
so every input is attributed whatever its fate, by the strongest evidence there is:

* unit: ``_meta`` > 填报单位 cell (both read by `checks`) > the sender's address in
  单位名录 > the file name, the zip entry path, the mail subject;
* received time: the mail's Date header, else the date the coordinator stated
  (``collect --received``), else the file's modification time (weak). Every time is taken
  in the workspace's time zone, never the machine's. A time in the future or before the
  returns were issued is doubtful (W207): it orders nothing and decides no 逾期.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from .addresses import addresses_in
from .dates import CLOCK_SLACK, month_end
from .file_time import late_on_file_time, late_on_weak_time, on_time_on_forward, stated_time, weak_words
from .ledger.time_basis import FORWARD, FORWARDED, INLINE, MAILBOX
from .period import Period
from .report import make_issue
from .text import key
from .units import Directory, Unit
from .vocab import Outcome, TimeSource

_PERIOD_IN_TEXT = re.compile(r"(20\d{2})\s*(?:年|[-_.])\s*(\d{1,2})(?!\d)\s*(?:月|期)?")
#: what follows a year and month when they are part of a full date ("2022.7.4", "2022年7月4日")
_DAY_AFTER = re.compile(r"\s*(?:[-_./]\s*\d{1,2}(?!\d)|\d{1,2}(?:\s*[-~—–、至到]\s*\d{1,2})?\s*[日号])")


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_CN_NUMBER = "〇零一二三四五六七八九十"
#: a year written in Chinese numerals (二〇二二年, 二零二二年)
_CN_YEAR = re.compile(r"(?<![〇零一二三四五六七八九十])二[〇零][〇零一二三四五六七八九]{2}(?=\s*年)")
#: a month in Chinese numerals (七月, 十一月, 元月份), the first of a range (一至7月, 六、7月) and
#: a day after a month (7月三十一日)
_CN_MONTH = re.compile(r"(?<![〇零一二三四五六七八九十])([一二三四五六七八九十]{1,3}|元)(?=\s*月)")
_CN_RANGE_START = re.compile(r"(?<![〇零一二三四五六七八九十])([一二三四五六七八九十]{1,3})"
                             r"(?=\s*(?:[-~—–、至到和])\s*\d{1,2}\s*月)")
_CN_DAY = re.compile(r"(?<=月)(\s*份?\s*)([〇零一二三四五六七八九十]{1,3})(?=\s*[日号])")
#: what makes 一 before a month part of another word: 统一月报, 上一月, 同一月份, 第一月
_CN_ONE_IN_A_WORD = "第统同每上下前后单唯逐这那某任之万"
#: a month followed by a number that is no day: 一月一次, 一月一报 ("once a month"), 三月三
_CN_NO_MONTH_AFTER = re.compile(r"\s*[〇零一二三四五六七八九十]+(?!\s*[〇零一二三四五六七八九十]*\s*[日号])")
#: a report "as of" a month's last day is that month's (截至7月31日, 截止到2022年7月31日: July's)
#: (截止 is also a deadline's word: 截止7月31日前报送 is a day, not a month reported)
_AS_OF_MONTH_END = re.compile(r"((?:截至|截止)(?:到|至)?\s*(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月份?)"
                              r"\s*(\d{1,2})\s*[日号](?!\s*(?:前|之前|以前))")


def _cn_value(run: str) -> int | None:
    """The number a run of Chinese numerals writes up to 99 (七, 十一, 二十, 三十一), None if none."""
    tens, ten, ones = run.partition("十")
    if not ten:
        return _CN_DIGITS.get(run)
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0)


def _cn_month(m: re.Match) -> str:
    run, text = m.group(1), m.string
    value = 1 if run == "元" else _cn_value(run)
    before = text[m.start() - 1] if m.start() else " "
    if value is None or not 1 <= value <= 12 or before == "第" or (
            run[0] in "一元" and (before in _CN_ONE_IN_A_WORD or before.isdigit() or before in "百千万亿")):
        return run
    if m.re is _CN_MONTH and _CN_NO_MONTH_AFTER.match(text, text.index("月", m.end()) + 1):
        return run
    return str(value)


def _as_of_month_end(m: re.Match) -> str:
    year, month, day = (int(g) if g else None for g in m.group(2, 3, 4))
    last = month_end(year or 2001, month).day if 1 <= month <= 12 else 0
    return m.group(1) + "底" if day == last or (not year and month == 2 and day == 29) else m.group(0)


def month_digits(text: str) -> str:
    """``text`` with its months written as the regexes here read them: NFKC, Chinese numerals as
    digits (东城街道七月份进展 → 7月份, 二〇二二年十一月 → 2022年11月, 一至七月 → 1至7月, 七月
    三十一日 → 7月31日), and a report "as of" a month's last day written as that month's end
    (截至7月31日 → 截至7月底: July's, not a day). Not a month: 一月一次/一月一报 (once a month),
    统一月报, 上一月, 第七月, 三个月 (no numeral before 月), 七一 (no 月)."""
    text = unicodedata.normalize("NFKC", text or "")
    if any(c in _CN_NUMBER or c == "元" for c in text):
        text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), text)
        text = _CN_MONTH.sub(_cn_month, text)
        text = _CN_RANGE_START.sub(_cn_month, text)
        text = _CN_DAY.sub(lambda m: m.group(1) + str(_cn_value(m.group(2)) or m.group(2)), text)
    return _AS_OF_MONTH_END.sub(_as_of_month_end, text)


def period_in(texts: Iterable[str]) -> Period | None:
    """The first period written in a file name, a zip path or a mail subject.

    A full date is not a period: "中堂镇2022.7.4报送" is the June return sent on 4 July,
    and filing it under July would show 中堂镇 as 未报送 for June."""
    dated, _ = _months_named(texts)
    return dated[0] if dated else None


#: a month written without its year (6月份进展, 1-7月); not a day (请于8月5日前), nor 第7月 (of what?)
_MONTH_IN_TEXT = re.compile(r"(?<![\d.第])(\d{1,2})\s*月")
#: two months written as one range or list (6-7月, 2022年6-7月, 6、7月): each end is named
_MONTH_RANGE = re.compile(r"(?<![\d.])(\d{1,2})\s*([-~—–、]|至|到|和)\s*(\d{1,2}\s*月)")


def _months_named(texts: Iterable[str]) -> tuple[list[Period], list[int]]:
    """The periods ``texts`` write with their year, in order, and the months they write without
    one (not those of the dated ones, nor a day's)."""
    dated: list[Period] = []
    bare: list[int] = []
    for text in texts:
        # 6-7月 names June as 6月至7月 does, and 2022年6-7月 is no date: the later end first, the
        # month such a name is for (2022年1-6月: June's), then the other with its own 月
        text = _MONTH_RANGE.sub(r"\3、\1月", month_digits(text))
        for m in _PERIOD_IN_TEXT.finditer(text):
            if 1 <= int(m.group(2)) <= 12 and not _DAY_AFTER.match(text, m.end()):
                dated.append(Period(int(m.group(1)), int(m.group(2))))
        text = _PERIOD_IN_TEXT.sub(" ", text)
        bare += [int(m.group(1)) for m in _MONTH_IN_TEXT.finditer(text)
                 if 1 <= int(m.group(1)) <= 12 and not _DAY_AFTER.match(text, m.end())]
    return dated, bare


def months_named(texts: Iterable[str], received: dt.datetime) -> list[Period]:
    """Every month ``texts`` name: those written with a year, then those without one, in the year
    that puts them on or before the month ``received`` (a return reports on a month begun)."""
    dated, bare = _months_named(texts)
    return dated + [Period(received.year - (month > received.month), month) for month in bare]


def mail_period(texts: Iterable[str], cloud: Iterable, received: dt.datetime) -> Period | None:
    """The period a mail that links its file (`bare_mails`; ``cloud``: its `cloud.CloudFile`s)
    says it is for: a year and month in ``texts`` (its file name, subject: `unpack.Item.hints`),
    its linked files' names or the sender's words above the link, else a month written
    there without a year (我会7月份进展), in the year that puts it on or before the month the
    mail was ``received``. None when it says none."""
    cloud = list(cloud)
    found = months_named([*texts, *(f.name for f in cloud), *(f.words for f in cloud)], received)
    return found[0] if found else None


def later_month_named(form: Period, named: Iterable[Period]) -> Period | None:
    """The month a unit that reported on last month's form meant (QA129): the first month after
    ``form`` (the form's own, by its `_meta`) that ``named`` holds (its file name, archive path,
    mail subject, 填报期 cell: 东城街道7月进展.xlsx mailed as 7月份进展情况), unless they name the
    form's month too (6月进展（7月补报）is June's). None when they name no later one."""
    named = list(named)
    return None if form in named else next((p for p in named if p > form), None)


#: a month written as when a file was sent or what it reaches back to, not the month it reports
#: (7月补报, 7月份以前, 7月初, 7月中旬): a refusal for July on such words would publish June 未报送
#: and July 退回待改 for an honest June 补报, where missing a real case only leaves the old 请核实
_NOT_ITS_MONTH = re.compile(r"(?:20\d{2}\s*年\s*)?\d{1,2}\s*月份?\s*"
                            r"(?:补报|补交|补送|补发|补充|再报|重报|以前|之前|前|初|[上中下]旬|\d{1,2}\s*[日号])")
#: a month written before a word for sending (7月报送, 7月上报, 7月报送材料, 7月份提交): the month the
#: file went, when that is the month it was received in; one sent in August saying 7月报送 reports July
_SENT_IN_MONTH = re.compile(r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月份?\s*"
                            r"(?=报送|上报|报来|呈报|呈送|报出|提交|递交|发送|寄送|送达)")


def _not_its_month(text: str, received: dt.datetime) -> str:
    """``text`` (`month_digits`) without the months it writes as when the file went or what it
    reaches back to (`_NOT_ITS_MONTH`), nor the month it was sent in said beside a word for
    sending (`_SENT_IN_MONTH`): 石龙镇7月报送 mailed on 4 July is no word about July's progress."""
    def sent(m: re.Match) -> str:
        year = int(m.group(1)) if m.group(1) else received.year
        return " " if (year, int(m.group(2))) == (received.year, received.month) else m.group(0)
    return _SENT_IN_MONTH.sub(sent, _NOT_ITS_MONTH.sub(" ", month_digits(text)))


def own_later_form(rep, expected: Period, hints: Iterable[str], received: dt.datetime,
                   asked: Callable[[str, Period, dt.datetime | None], bool],
                   owes: Callable[[str, Period], bool] | None = None, its_own: bool = False) -> bool:
    """Whether ``rep``, refused as not ``expected``'s (E202, ``collect --period``), is its unit's
    form of a later month its `_meta` says, issued to the unit before the file came (``asked``),
    that nothing the sender wrote (file name, archive path, mail subject, 填报期 typed) says is
    ``expected``'s: a July form mailed early while June's 补报 is caught up. Refused as June's, June
    named the unit 退回待改 for nothing it sent and July 未报送 (QA170); it is filed under its own
    month, as a collect without --period files it. Not an earlier month's form: last month's file
    with this month's progress typed in, the commonest reuse, as a June 重报 would replace the
    June return the 通报 published; nor a form its words say is ``expected``'s (寮步镇6月进展补报
    on the July form): both stay refused for ``expected``, the reply asking for its form (QA172).

    With ``owes`` (whether the unit still owes a month: no accepted return of it), an earlier
    month's form it owes is its own too: the June 补报 that July's double-click fetched, refused
    as July's, made July name the unit 退回待改 and June 未报送 (QA188); no published return of it
    is replaced. ``its_own``: an earlier month's form that came beside its unit's form of
    ``expected`` (`earlier_form.its_own_month`, QA279)."""
    if (rep.period_by != "_meta" or not rep.unit or rep.period is None or rep.period == expected
            or rep.outcome == Outcome.UNREADABLE or not any(i.code == "E202" for i in rep.issues)
            or (rep.period < expected and not its_own and (owes is None or not owes(rep.unit, rep.period)))):
        return False
    typed = [rep.label_period] if rep.label_period and rep.label_period != rep.period else []
    # a reply's subject is the office's own words (回复：关于报送2022年6月进展情况的通知), not the
    # sender's naming the month it reports (QA176)
    said = [h for h in hints if not _REPLY_SUBJECT.match(h or "")]
    if expected in [*typed, *months_named([month_digits(h) for h in said], received)]:
        return False
    # a form of a month before the run's went out before it came, whenever the ledger dates it
    return asked(rep.unit, rep.period, received if rep.period > expected else None)


#: the subject prefix a mail client gives a reply ("回复：", "答复：", "Re:", Outlook's "AW:"/"SV:")
_REPLY_SUBJECT = re.compile(r"\s*(?:回复|答复|回覆|re|aw|sv)\s*[:：]", re.I)


def meant_later(rep, name: str, hints: Iterable[str], received: dt.datetime,
                asked: Callable[[str, Period, dt.datetime], bool],
                exempt: Callable[[str, Period, dt.datetime], bool] | None = None,
                due: Callable[[Period], dt.date] | None = None,
                owes: Callable[[str, Period], bool] | None = None) -> list[tuple[str, str]]:
    """Refuse as E202 (期次不符), filed under the month it names, a return on last month's form
    that its file name, archive path, mail subject or 填报期 cell says is a later month's
    (`later_month_named`) whose form its unit was issued before the file was sent (``asked``,
    `EarlierMonths.was_asked`): as June's it would be a
    June 补报 or 重报 of July's progress (superseding the June return the 通报 published) and
    July would name the unit 未报送 with nobody told; as July's it is 退回待改 and the reply asks
    for July's form. Only a form whose `_meta` says its month: the other evidence is weaker.
    A unit ``exempt`` for that month (本期免报 by then, `EarlierMonths.was_exempt`) meant it too:
    refused there (July stays 本期免报, `owed.answered` drafts no reply), its June return stands.
    Never a form mailed by its own month's deadline (``due``: the month's, the date most of its
    forms carry, not one unit's extension) before the later month is over: that month's
    progress could not yet be reported. A unit's own deadline would not do: given 31 July for
    June, its June file with July's progress mailed on 30 July replaced its June return and
    left July 未报送 (QA195).
    Not yet issued that month's form, a unit that had reported the form's month (``owes``:
    `EarlierMonths.owes`) is asked about, not refused: 市交通运输局 mailed July's progress on
    15 July, before July's issue, on its June form named 2022年7月…; taken silently as a June
    重报, it put July's words into the June 汇总表 and 通报 (QA315).
    The screen line for the office (``name``: the file), none when nothing was refused or asked."""
    if rep.period_by != "_meta" or not rep.unit or rep.outcome == Outcome.UNREADABLE:
        return []
    # the 填报期 cell printed with the form says its month: only typed over is it the clerk's word
    typed = [rep.label_period] if rep.label_period and rep.label_period != rep.period else []
    # a month said as when the file went or what it reaches back to is not the one it reports:
    # 东城街道7月补报 is June's 补报 sent in July, 7月份以前的进展 June's (QA130)
    # (`Item.hints`: file name, archive path, subject, the archives' names: all but the subject are names)
    hints = list(hints)
    names, subject = ([_not_its_month(h, received) for h in part] for part in ([*hints[:2], *hints[3:]], hints[2:3]))
    later = later_month_named(rep.period, [*typed, *months_named([*names, *subject], received)])
    if later is None:
        return []
    # mailed by its month's deadline while the later month is still under way, the form's
    # month is the one being reported, whatever its words say: July's forms out early on 1
    # July, 石龙镇's June form mailed on 4 July (June due 5 July) as "石龙镇7月份进展" is June's
    if due is not None and received.date() <= min(due(rep.period), later.end):
        return []
    # exempt for that month (本期免报, no form: `was_exempt`), the unit still meant it, not a June
    # 重报: taken as June's, it replaced the June return the 通报 published with July's words
    free = not asked(rep.unit, later, received)
    said = "、".join(w for w, months in (("文件名", months_named(names, received)),
                                         ("邮件主题", months_named(subject, received)), ("填报期", typed))
                     if later in months)
    if free and not (exempt and exempt(rep.unit, later, received)):
        if owes is None or owes(rep.unit, rep.period):
            return []  # a month it owes: its 补报, whatever month the clerk wrote (东城街道7月进展 on 8 July)
        return [(name, f"{rep.unit}用{rep.period.label}的填报表报送，{said}写的是{later.label}，该单位尚未收到"
                       f"{later.label}的填报表：已登记为{rep.period.label}的报送，重新汇总{rep.period.label}时替代此前"
                       f"采纳的一份；如果填的是{later.label}的进展，请该单位重新报送{rep.period.label}的进展，"
                       f"{later.label}的进展用{later.label}下发的填报表报送。")]
    rep.issues.append(make_issue("E202", found=rep.period.label, expected=later.label, file=rep.file,
                                 sheet=rep.sheet))
    form, rep.period = rep.period, later
    if free:
        done = f"已记入{later.label}（期次不符，不采纳）"
        then = f"该单位{later.label}本期免报，无需重报，不发反馈邮件，其{form.label}的报送不变"
    else:
        done, then = f"已按{later.label}退回（期次不符）", f"请发出反馈邮件，请该单位用{later.label}下发的填报表重报"
    return [(name, f"{rep.unit}用{form.label}的填报表报送，{said}写的是{later.label}：{done}，"
                   f"未登记为{form.label}的报送；{then}。")]


#: the subject prefix a mail client gives a message forwarded inline ("转发：", "Fwd:", "FW:")
_FORWARD_SUBJECT = re.compile(r"\s*(?:转发|fwd?)\s*[:：]", re.I)


def forwarded_inline(subject: str) -> bool:
    """Whether a mail was forwarded inline: its Date is the forwarder's, not the sender's
    (the original's sending time survives only as text in the body)."""
    return bool(_FORWARD_SUBJECT.match(subject or ""))


def address_index(directory: Directory) -> dict[str, set[str]]:
    """Each 单位名录 address (lower-cased) → the units listing it; several per cell allowed.

    Built once per run: parsing every unit's cell for every mail was units × mails parses."""
    index: dict[str, set[str]] = {}
    for unit in directory:
        for addr in addresses_in(unit.email):
            index.setdefault(addr, set()).add(unit.name)
    return index


def unit_of_address(sender: str, index: dict[str, set[str]]) -> str | None:
    """The unit whose 单位名录 email matches the sender's address (`address_index`)."""
    found: set[str] = set()
    for addr in addresses_in(sender):
        found |= index.get(addr, set())
    return found.pop() if len(found) == 1 else None  # a shared address proves nothing


#: a bracket saying who sent a file for the unit it belongs to: 东坑镇6月进展（东城街道代报）,
#: 【东城代交】, (东城街道转报). Its unit is named outside; the name inside is only the messenger.
_ON_BEHALF = re.compile(r"[(（【\[〔［]([^()（）【】\[\]〔〕［］]*?(?:代为?(?:报送?|交|送|发|填报?)|转报|转交|转送)"
                        r"[^()（）【】\[\]〔〕［］]*)[)）】\]〕］]")


def without_senders(text: str) -> str:
    """``text`` without its brackets naming who sent the file on its unit's behalf (`_ON_BEHALF`):
    东城街道, the longer name, won over 东坑镇 in 东坑镇6月进展（东城街道代报）, and the 通报 named
    东坑镇 未报送 while crediting 东城街道 with a return it did not make."""
    return _ON_BEHALF.sub(" ", text) if text else text


#: a name saying one unit sends another's file, unbracketed: 市司法局转市公安局材料, 东城街道代东坑镇报送
_FORWARDS = re.compile(r"代为?(?:报送?|交|送|发|填报?)?|转(?:报|交|送|来|发)?")


def forwarded(text: str, directory: Directory) -> tuple[str, str] | None:
    """(messenger, owner) when ``text`` is a unit's name, a word of sending on its behalf
    (`_FORWARDS`) and another unit's name: the file is the second's. `Directory.find_in` saw the
    first, and 市司法局转石龙镇材料.pdf made 市司法局 退回待改 and left 石龙镇 未报送 (QA263). After
    转 with nothing following, the second name may be whom it went to (石龙镇进展转市府办): none."""
    for m in _FORWARDS.finditer(text or ""):
        before, after = text[:m.start()].rstrip(" _-—·、"), text[m.end():].lstrip(" _-—·、")
        messenger = _find_in(directory, before) if before and after else None
        if not messenger or not any(before.endswith(n) for n in directory.names_of(messenger)):
            continue
        owner = _find_in(directory, after)
        names = sorted(directory.names_of(owner), key=len, reverse=True) if owner else ()
        lead = next((n for n in names if after.startswith(n)), None)
        if owner and owner != messenger and lead and (m.group().startswith("代") or after[len(lead):].strip()):
            return messenger, owner
    return None


def sent_for_another(unit: str | None, texts: Iterable[str], directory: Directory) -> str | None:
    """``unit`` (the one a sender's mailbox is listed for), None when ``texts`` (file name, zip
    path, subject) name it as the messenger of another unit's file (`_ON_BEHALF`): 东城街道's
    mailbox sending 东坑镇6月进展（东城街道代报）.pdf is no evidence the file is 东城街道's."""
    if not unit:
        return unit
    for text in texts:
        for inside in _ON_BEHALF.findall(text or ""):
            if _find_in(directory, inside) == unit:
                return None
        if (fw := forwarded(without_senders(text or ""), directory)) and fw[0] == unit:
            return None
    return unit


#: an archive name saying it holds several units' files: 石龙镇等5镇报送, 石排镇等单位材料, 各镇街进展
#: (not 各村, 各社区: a town's own villages' files are the town's)
_GROUP = re.compile(r"等\s*(?:\d+|[一二三四五六七八九十两几多])?\s*个?\s*(?:镇|街|乡|县|区|市|单位|部门|家)"
                    r"|各\s*(?:镇|街|乡|县|区|单位|部门)")


def unit_hints(tops: Iterable, directory: Directory) -> dict[int, list[str]]:
    """`Item.hints` as evidence of a file's unit, by the id of each file whose hints are not all
    evidence: the name of an archive bundling several units' files names none of them, though
    it may name one (QA258). 石龙镇等5镇报送.zip, a colleague's 石排镇等3镇材料.zip, or a zip
    holding two units' forms asked 请核实 of every other unit's form in it, and a scan in it
    went to the unit named, which was made 退回待改 and sent a reply. Such an archive: its name
    says a group (`_GROUP`) or names a second unit, or its files' own evidence (a form's unit
    but by the sender, which is the same for all; its file name, its path) names two units, the
    one it names among them (石龙镇.zip of 石排镇's and 茶山镇's forms still asks of both)."""
    bundles: dict[int, tuple[str, ...]] = {}
    for top in tops:
        for arc in top.walk():
            if arc.kind not in ("zip", "7z", "rar") or not arc.children:
                continue
            inside = [d for d in arc.walk() if d is not arc]
            owners = {d.report.unit if d.report is not None and d.report.unit and d.report.identified_by != "发件人地址"
                      else unit_in_names(d.hints[:2], directory) for d in inside if d.outcome != Outcome.CONTAINER}
            stem = arc.name.rsplit(".", 1)[0]
            named = unit_in_names([stem], directory)
            rest = stem
            for n in sorted(directory.names_of(named), key=len, reverse=True) if named else ():
                rest = rest.replace(n, " ")
            owners = {directory.resolve(u) or u for u in owners if u}
            if ((len(owners) > 1 and (named is None or directory.resolve(named) in owners)) or _GROUP.search(stem)
                    or (named and unit_in_names([rest], directory))):
                for d in inside:
                    bundles[id(d)] = (*bundles.get(id(d), ()), arc.name)
    return {i: [h for h, c in zip(it.hints, [None, None, None, *it.carriers]) if c not in bundles[i]]
            for top in tops for it in top.walk() if (i := id(it)) in bundles}


def named_where(it, unit: str, directory: Directory, hints: list[str] | None = None) -> str:
    """Which of ``it``'s `hints` names ``unit``, as a W206 question says it: 邮件主题“虎门镇6月进展”,
    not 文件名“进展填报表.xlsx”, which names no unit (QA252). ``hints``: those weighed (`unit_hints`)."""
    for text, words in zip(it.hints, it.hint_words):
        if text and (hints is None or text in hints) and unit_in_names([text], directory) == unit:
            return words
    return f"文件名“{it.name}”"


def unit_in_names(texts: Iterable[str], directory: Directory) -> str | None:
    """The unit named in the first text that names exactly one (file name, zip path, subject),
    not counting the unit a bracket names as the messenger (`without_senders`).

    Quotes are matched whatever their shape: a name typed in a Chinese input method has
    “两新”, one copied from a system or a directory "两新" (full-width ＂ is " to `key`
    already, as （） are ()). `text.key` keeps “” apart from "" on purpose: it hashes task
    texts into every issued form's ``_meta``, which must not change."""
    for text in texts:
        text = without_senders(text)
        if text and text.strip():
            fw = forwarded(text, directory)
            found = fw[1] if fw else _find_in(directory, text)
            if found:
                return found
    return None


# Every quote mark one straight ": a name typed 县“两新”工委 in one place is 县‘两新’工委 or
# 县「两新」工委 in another, and a file named so must not go to a unit called 两新 (review)
_QUOTE_CHARS = frozenset("\"'“”〝〞‘’＂＇「」『』")
_QUOTES = str.maketrans({q: '"' for q in _QUOTE_CHARS})


class _QuoteBlind:
    """`Directory.find_in` with every quote straight, on text and on names alike. Where that
    makes two listed units one name (县“两新”工委 and 县"两新"工委 both listed), the text's
    own quotes decide between them, and a text that names neither exactly names no one: never
    a third unit (second review)."""

    def __init__(self, directory: Directory) -> None:
        self.directory, self.size = weakref.ref(directory), len(directory)
        self.owners: dict[str, set[str]] = {}  # each folded name's key -> the units it names
        for u in directory:
            for n in (u.name, *u.aliases):
                self.owners.setdefault(key(n).translate(_QUOTES), set()).add(u.name)
        # with the directory's place: 宜昌教育局“双减”进展 is read as 宜昌教育局 is (QA157)
        self.straight = Directory([Unit(u.name.translate(_QUOTES), u.kind,
                                        tuple(a.translate(_QUOTES) for a in u.aliases)) for u in directory],
                                  directory.organiser, directory.place)
        self.canonical = {u.name.translate(_QUOTES): u.name for u in directory}

    def find_in(self, text: str, directory: Directory) -> str | None:
        found = self.straight.find_in(text.translate(_QUOTES))
        if not found:
            return None
        owners = self.owners.get(key(found), {self.canonical.get(found)})
        if len(owners) == 1:
            return next(iter(owners))
        exact = directory.find_in(text)
        return exact if exact in owners else None


_QUOTE_BLIND: list[_QuoteBlind] = []  # the last directory's: collect asks for every file


def _find_in(directory: Directory, text: str) -> str | None:
    """`Directory.find_in`, blind to the shape of quotes when ``text`` has any (`_QuoteBlind`)."""
    if not _QUOTE_CHARS & set(text):
        return directory.find_in(text)
    blind = _QUOTE_BLIND[0] if _QUOTE_BLIND else None
    if blind is None or blind.directory() is not directory or blind.size != len(directory):
        blind = _QuoteBlind(directory)
        _QUOTE_BLIND[:] = [blind]
    return blind.find_in(text, directory)


def local(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A moment as wall-clock time in the workspace's zone; a naive time is already local."""
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    try:
        return moment.astimezone(tz).replace(tzinfo=None, microsecond=0)
    except OverflowError:  # 0001-01-01 +1400, 9999-12-31 -1400: the wall time as written,
        return moment.replace(tzinfo=None, microsecond=0)  # years off, so doubtful (W207)


def from_timestamp(stamp: float, tz: ZoneInfo) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(stamp, tz).replace(tzinfo=None, microsecond=0)
    except (OverflowError, ValueError, OSError):  # a time stamp no calendar has
        return None


def doubt(moment: dt.datetime, source: str, *, now: dt.datetime, issued: dt.datetime | None
          ) -> str:
    """Why a received time cannot be trusted to decide 逾期 ('' when it can)."""
    if source == TimeSource.STATED:
        # the office's word is trusted, but not for a day before the month could be received:
        # a year typed wrong (2026-01-05 for 2027-01-05) made a late unit 按时报送 without a
        # word; `received --on` refuses such a day (QA222), collect cannot refuse one file of
        # many, so it asks (W207: counted 按时 until answered, as every doubtful time is)
        if issued is not None and moment.date() < issued.date():
            return f"所写收到日期 {moment:%Y-%m-%d} 早于本期开始或填报表下发（{issued:%Y-%m-%d}）"
        return ""
    if moment > now + CLOCK_SLACK:
        return f"时间 {moment:%Y-%m-%d %H:%M} 晚于现在"
    if issued is not None and moment < issued - dt.timedelta(days=1):
        return f"时间 {moment:%Y-%m-%d %H:%M} 早于本期开始或填报表下发（{issued:%Y-%m-%d}）"
    return ""


#: the times a mail carrying a forwarded message can be known by: its Date, or the mailbox's
#: receipt of it; a zip's modification time or a date the coordinator stated bounds nothing
_SENT_TIMES = (TimeSource.MAIL, TimeSource.MAILBOX, TimeSource.FORWARDED)


def cap_at_carrier(item, carrier) -> None:
    """A forwarded message cannot have been sent after the mail that carried it: its own Date
    (``item``'s, an `unpack.Item` settled in the workspace's zone) later than ``carrier``'s time
    is a clock or zone gone wrong on one of the two PCs (石龙镇's mail of 5 July 20:00 written
    -0800 reads 6 July 12:00, inside the clerk's forward of 5 July 21:00), and 逾期 by it would
    be by a time the office had the file before. The file takes the carrier's time, timed by
    the forward as one without a usable Date is (`late_on_weak_evidence` says it when late);
    the Date is kept (``capped_from``): collect doubts the time when the cap alone made it 按时
    (W207, `weak_times.capped_doubt`)."""
    if carrier.time_source in _SENT_TIMES and item.received_at > carrier.received_at:
        item.capped_from, item.received_at, item.forward_timed = item.received_at, carrier.received_at, True


def settle_time(item, tz: ZoneInfo, stated: dt.date | None, carrier=None) -> None:
    """``item``'s (an `unpack.Item`) received time as wall-clock time in the workspace's zone,
    with its source, once ``carrier`` (what carried it, settled; None: an inbox file) is: a
    file inside a mail or an archive takes the time of what carried it (an entry's own 1980 zip
    date proves nothing); a loose file takes the coordinator's ``stated`` date, else its
    modification time; a forwarded message's own Date no later than what carried it
    (`cap_at_carrier`), and when the forward brought it (``forward_time``). Collect settles
    every item so; `downloads` a file downloaded from a link in a forwarded message, as one
    attached to it."""
    own = item.time_source in (TimeSource.MAIL, TimeSource.FORWARDED)  # a (forwarded) mail's own Date
    if item.time_source == TimeSource.CARRIER and carrier is not None:
        item.received_at, item.time_source = carrier.received_at, carrier.time_source
        item.mail_date, item.capped_from = carrier.mail_date, carrier.capped_from
        item.forward_timed = item.forward_timed or carrier.capped_from is not None  # capped: the forward's time
    elif item.time_source == TimeSource.MTIME and stated is not None:
        item.received_at, item.time_source = stated_time(stated), TimeSource.STATED
    else:
        item.received_at = local(item.received_at, tz)
    if own and carrier is not None:
        cap_at_carrier(item, carrier)
    if item.time_source == TimeSource.FORWARDED and carrier is not None:  # when the forward brought it
        item.forward_time = carrier.forward_time or carrier.received_at


def late_on_weak_evidence(it, unit: str, due: dt.date, period: Period) -> str:
    """What to say of a return of ``period`` judged late (``it``, an `unpack.Item`) on weak
    evidence: a file's modification time, the Date of a mail forwarded inline (or of a forward
    whose forwarded message has no Date of its own: `unpack.Item.forward_timed`), or the
    mailbox's receive time while the mail's own Date is on time (mail can wait hours in a
    server's queue). Answered by ``duban received``, and asked again until then (`file_time`):
    the same text. '' when the evidence is not weak."""
    if it.time_source == TimeSource.MTIME:
        return late_on_file_time(unit, f"{it.received_at:%Y-%m-%d %H:%M}", due, period)
    if (weak := weak_kind(it)) is None:
        return ""
    how, but = weak_words(*weak, it.time_source, due)
    return late_on_weak_time(unit, how, f"{it.received_at:%Y-%m-%d %H:%M}", but, due, period) if how else ""


def weak_kind(it) -> tuple[str, str | None] | None:
    """Why the time a mail gave ``it`` (an `unpack.Item`, settled) may not be when the department
    sent it, as collect keeps it by receipt (`ledger.time_basis`): (kind, the time set aside,
    ISO, or None). None: its time is the mail's own, or not a mail's. A forwarded message's own
    Date whose recipient cannot be told keeps the forward's time (`file_time.forward_times`)."""
    if it.time_source == TimeSource.FORWARDED:
        return (FORWARDED, it.forward_time.isoformat(sep=" ")) if it.forward_time is not None else None
    if it.time_source not in (TimeSource.MAIL, TimeSource.MAILBOX):
        return None
    if it.linked_inline or forwarded_inline(it.subject):
        return INLINE, None
    if it.forward_timed:  # the forwarded message has no usable Date of its own: the forward's
        return FORWARD, it.capped_from.isoformat(sep=" ") if it.capped_from is not None else None
    if it.time_source == TimeSource.MAILBOX and it.mail_date is not None:
        return MAILBOX, it.mail_date.isoformat(sep=" ")
    return None


def take_weak_kind(it, weak: tuple[str, str | None] | None) -> None:
    """Give ``it`` (an `unpack.Item` downloaded from a mail's link, `downloads`, and given that
    mail's time) the mail's `weak_kind` (``weak``: of the mail read in this run, or as collect
    kept it by receipt, `ledger.time_basis`; None: none), as the mail's attachments have it from
    their carrier (`actions.collect._settle_time`): said, kept and asked about alike."""
    kind, other = weak or ("", None)
    at = dt.datetime.fromisoformat(other) if other else None
    it.linked_inline, it.forward_timed = kind == INLINE, kind == FORWARD
    it.capped_from = at if kind == FORWARD else None
    it.mail_date = at if kind == MAILBOX else None


def on_time_on_weak_evidence(it, unit: str, due: dt.date, period: Period) -> str:
    """`late_on_weak_evidence`'s other side: a return of ``period`` judged on time (``it``, an
    `unpack.Item`) by a forwarded message's own Date not known to have been sent to the office
    (`TimeSource.FORWARDED`, `mail.addressed_to_office`: to the clerk's own mailbox, or to the
    town that forwarded its village's mail), whose forward reached the office after the
    deadline (``it.forward_time``). The lenient 按时 stands (a wrong 逾期 is worse); the office,
    which alone knows whom the message was for, is asked until it answers (`file_time`): the
    same text. '' when the forward came by the deadline too."""
    if it.time_source != TimeSource.FORWARDED or it.forward_time is None or it.forward_time.date() <= due:
        return ""
    return on_time_on_forward(unit, f"{it.received_at:%Y-%m-%d %H:%M}", f"{it.forward_time:%Y-%m-%d %H:%M}",
                              due, period)


def bare_mails(tops: Iterable, directory: Directory, run_period: Period,
               addresses: dict[str, set[str]], tz: ZoneInfo, now: dt.datetime) -> list:
    """Mails (`unpack.Item`) that carry no file at all (a download link, "see text"; not an
    automatic reply nor a reply of thanks, "收到": `mail.acknowledgement`),
    or that link a cloud attachment (QQ 超大附件, 网易云附件: `toolkit.cloud`) whatever else
    they carry. Recorded like every input (已拆包), under the unit their sender's address
    (``addresses``: `address_index`) or their name, subject or linked files' names name, so
    收件登记 shows the unit wrote; each linked file is a W211 on the mail (校验问题). Those
    with a unit are returned, and every one with a link, unit or not: its return waits behind it.
    ``now``: the office's wall time, against which a link has expired or not."""
    found = []
    for top in tops:
        for it in top.walk():
            if (it.kind not in ("eml", "msg") or it.outcome != Outcome.CONTAINER or (it.children and not it.cloud)
                    or it.auto_reply):
                continue
            unit, how = mail_unit(it, directory, addresses)
            if unit:
                it.unit, it.identified_by = unit, how
            elif not it.cloud:
                continue
            it.period = mail_period(it.hints, it.cloud, it.received_at) or run_period
            it.issues += [make_issue("W211", name=f.name or "（未写文件名）", service=f.service, link=shared(f),
                                     expiry=expiry_text(f, tz, now), file=it.name, again=run_again(it, [f]))
                          for f in it.cloud]
            found.append(it)
    return found


def mail_unit(it, directory: Directory, addresses: dict[str, set[str]]) -> tuple[str | None, str]:
    """The unit a mail with no file of its own (`bare_mails`) is from, and how it was known:
    its sender's address, else its name, subject or linked files' names."""
    unit = sent_for_another(unit_of_address(it.sender, addresses) if it.sender else None,
                            [*it.hints, *(f.name for f in it.cloud)], directory)
    if unit:
        return unit, "发件人地址"
    return unit_in_names([*it.hints, *(f.name for f in it.cloud)], directory), "文件名"


def expiry_text(f, tz: ZoneInfo, now: dt.datetime) -> str:
    """When a cloud attachment's link expires, as the office reads it: "（2022-07-19 09:30 到期）",
    "（已于 … 过期）"; '' when the mail does not say."""
    if f.expires is None:
        return "（邮件中说明已过期）" if f.expired else ""
    when = local(f.expires, tz)
    return f"（已于 {when:%Y-%m-%d %H:%M} 过期）" if when <= now or f.expired else f"（{when:%Y-%m-%d %H:%M} 到期）"


def shared(f) -> str:
    """A cloud file's link as the office follows it (`cloud.CloudFile`): with its 提取码."""
    return f"{f.link}（提取码 {f.code}）" if f.code else f.link


def run_again(it, files: list) -> str:
    """The collect that dates a file downloaded from ``it``'s links (``files``) by the mail: a
    link that gave the file's name is matched back by it (`downloads`); otherwise the file
    would go by the day of its download, so the mail's date is stated."""
    if files and all(f.name for f in files):
        return "duban collect（或双击“2-收取并汇总”），按这封邮件的时间计报送时间"
    return (f"duban collect --received {it.received_at:%Y-%m-%d}（按这封邮件的日期计报送时间；"
            "或双击“2-收取并汇总”，计为逾期的再双击“5-逐条核实”填写这一日期）")


def bare_mail_message(it, tz: ZoneInfo, now: dt.datetime) -> str:
    """Said on screen for a unit whose mail carried no file while it has no return of the
    period: the 通报 would name it 未报送, and it wrote (maybe with a link). A mail linking a
    cloud attachment (`toolkit.cloud`) says the file, the link, its 提取码 and its expiry.

    The file the office downloads is dated by its modification time, the day of the download:
    only one whose name a link gave is matched back to the mail (`downloads`). So the line
    says ``collect --received`` with the mail's date wherever no name can be matched: a 网盘 or
    金山文档 link names no file, and a mail with no file may link one in words duban does not read."""
    sender = f"{it.sender}，" if it.sender else ""
    mail = f"的邮件“{it.subject or '（无主题）'}”（{sender}{it.received_at:%Y-%m-%d %H:%M}）"
    if it.cloud:
        files = "；".join(f"“{f.name or '（未写文件名）'}”{expiry_text(f, tz, now)} {shared(f)}" for f in it.cloud)
        who = it.unit or "一封未能识别单位"
        still = (f"{it.period.label}该单位暂计为未报送" if it.unit
                 else "请核实是哪个单位报送的（可把文件名改为含单位名称）")
        return (f"{who}{mail}没有附上文件，而是{it.cloud[0].service}的下载链接：{files}。duban 不会下载链接中的文件，"
                f"{still}。请打开链接下载，放入收件箱后再运行 {run_again(it, it.cloud)}；"
                "链接已过期的，请该单位以附件重新报送。")
    return (f"{it.unit}{mail}没有附件，"
            f"不是填报表，{it.period.label}该单位仍计为未报送。如正文中有填报表的下载链接，请下载后放入收件箱，"
            f"再运行 {run_again(it, [])}；否则请该单位以附件重新报送。")
