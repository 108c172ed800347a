"""Mails of a unit that carried no return, for the office while the unit stands 未报送 (QA210).

`collect` says once, on that run's screen, that a unit's mail carried no file (`evidence.bare_mails`):
a download link (超大附件, 网盘, 金山文档: `toolkit.cloud`, W211), or words only ("见正文", "已报").
A week later status, the 汇总表 and the 通报 named the unit 未报送 in public with nothing said
since. While it stands 未报送 in the month, the question is asked again before they go out
(`Consolidation.office_notes`: status, merge, memo, run; exit 1), as for a mail too big to fetch
(`too_big`) or a return other evidence said was the unit's (`disputed`).

What the office is told to run states the mail's date (``collect --received``): a file downloaded
later is otherwise dated by its download, and the unit named 逾期 on that.

Before units are chased (`remind`, `mail send remind`), an office that takes returns by mail is
told when its mailbox was last fetched, unless a fetch completed today (`fetch_note`, QA277):
a return still in the mailbox is no file in 收件箱, and nothing else would say it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .dates import day_text
from .disputed import disputed_notes
from .ledger.answers import office_time
from .office_copies import bounce_notes
from .other_forms import other_form_notes
from .text import LazyPattern
from .vocab import UnitState

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .ledger import Ledger, Receipt
    from .ledger.mail_records import MailRecords
    from .period import Period
    from .report import Issue
    from .too_big import BigMail
    from .units import Directory
    from .workspace import Workspace


class Note(str):
    """A line the month's notes say (`Consolidation.office_notes`), or a mail it names, with what
    it is about beside its words: ``about``, the names of the received files (mails) it asks of,
    as 收件登记 and collect's own lines name them (`CollectResult.disputed`). `run` and `collect
    --merge` say collect's line on a mail with no file or only a link and then the month's note
    on it, in other words: the screen asks once, by ``about`` (`cli.month`), and a note reworded
    asks no question twice (QA343, QA348). A ``str`` to every other reader: said, sorted, dumped
    as JSON as before."""

    about: tuple[str, ...]

    def __new__(cls, text: str, about: Iterable[str] = ()) -> Note:
        note = super().__new__(cls, text)
        note.about = tuple(about)
        return note


def _about(mails: list[str]) -> tuple[str, ...]:
    """The mails' names (each a `Note` of `mails_without_files`)."""
    return tuple(name for mail in mails for name in getattr(mail, "about", ()))


def _again(mails: list[str]) -> str:
    """The collect to run after downloading, with the first mail's date (``mails``: "2022-07-04 17:00 的邮件…")."""
    return (f"duban collect --received {mails[0][:10]}（按邮件的日期计报送时间；"
            "或双击“2-收取并汇总”，计为逾期的再双击“5-逐条核实”填写这一日期）")


#: the link (and 提取码) a W211 message names: "…的下载链接（…到期）：https://…（提取码 8k3q）。duban 不会…"
_LINK = LazyPattern(r"：(https?://[^。]+)。duban")


def behind_link(mail: Receipt, issues: list[Issue]) -> str:
    """A mail (已拆包) whose return waits behind a link, for ``Consolidation.behind_links``:
    "2022-07-04 17:00 的邮件“…”（链接 https://…（提取码 8k3q））", the links its W211 lines
    (``issues``) give, so that the question status, merge and memo ask again is whole; ''
    when it links nothing."""
    links = [m.group(1) if m else "" for i in issues if i.code == "W211" for m in [_LINK.search(i.message)]]
    if not links:
        return ""
    shown = "；".join(dict.fromkeys(x for x in links if x))
    return Note(f"{mail.received_at[:16]} 的邮件“{mail.name}”" + (f"（链接 {shown}）" if shown else ""), (mail.name,))


def mails_without_files(mails: list[tuple[str, Receipt]], issues: dict[int, list[Issue]]
                        ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Of a month's mails (已拆包: ``(unit, receipt)``, their ``issues`` by receipt id), per unit
    those whose return waits behind a link (`behind_link`: ``Consolidation.behind_links``) and
    those that carried no file and no link duban knows, nor were an automatic reply or a reply
    of thanks (收到，谢谢: `mail.acknowledgement`), as
    `unpack` noted them (；没有附件): "2022-07-04 17:00 的邮件“…”" (``Consolidation.bare_mails``)."""
    behind: dict[str, list[str]] = {}
    bare: dict[str, list[str]] = {}
    for unit, r in mails:
        if said := behind_link(r, issues.get(r.id, [])):
            behind.setdefault(unit, []).append(said)
        elif r.kind in ("eml", "msg") and r.note.endswith(BARE):
            bare.setdefault(unit, []).append(Note(f"{r.received_at[:16]} 的{_described(r)}", (r.name,)))
    return behind, bare


#: the end of a mail's note (``receipts.note``, `unpack`) that carried no file
BARE = "；没有附件"


def _described(mail: Receipt) -> str:
    """A mail as the office knows it in its mailbox: 邮件“主题”（发件人 …）, as `unpack` began its note;
    the name it was stored under (a fetched mail's is its subject cut short and a hash) when not."""
    said = mail.note.removesuffix(BARE)
    return said if said.startswith("邮件“") else f"邮件“{mail.name}”"


def link_notes(cons) -> list[Note]:
    """What the office must do before the 通报 names a unit of ``cons.behind_links`` 未报送."""
    return [Note(f"请核实：{unit} 在{cons.period.label}计为未报送，但其{'、'.join(mails)}只有超大附件（云附件、网盘）"
                 "的下载链接，文件不在邮件里（W211，见汇总表“校验问题”）。请打开链接下载，放入收件箱后运行 "
                 f"{_again(mails)}，再重新汇总和生成通报；链接已过期的，请该单位以附件重新报送。", _about(mails))
            for unit, mails in cons.behind_links.items()]


def bare_mail_notes(cons) -> list[Note]:
    """A 请核实 line per unit of ``cons.bare_mails`` (`Consolidation`) that stands 未报送 in the
    month and has no mail behind a link (`link_notes` asks of those)."""
    missing = {u.unit for u in cons.units if u.state == UnitState.NOT_REPORTED} - set(cons.behind_links)
    return [Note(f"请核实：{unit} 在{cons.period.label}计为未报送，但其{'、'.join(mails)}没有附件，不是填报表。"
                 f"如正文中有填报表的下载链接，请下载后放入收件箱，运行 {_again(mails)}，再重新汇总和生成通报；"
                 "否则请该单位以附件重新报送。", _about(mails))
            for unit, mails in cons.bare_mails.items() if unit in missing]


def chase_notes(cons) -> list[str]:
    """Of the month's 请核实 lines (`Consolidation.office_notes`, which status says), those that
    say a return may wait where no collect counted it, so that a unit reminded may have
    reported: files in 收件箱 not collected (`inbox_notes`), a mail with a link or no file
    (`link_notes`, `bare_mail_notes`), a mail too big to fetch (`big_mail_notes`), a file
    registered under another unit (`disputed_notes`), a return on another month's form
    (`other_forms.other_form_notes`); a bounce of the office's mail to the unit's address
    (`office_copies.bounce_notes`: a 催报 there fails too). Said where reminders are written
    (`remind`) and sent (`mail send remind`): unsaid, they went out to units whose return sat
    in 收件箱. The lines on 按时 and 逾期 or on the month's basis chase no one: left to status."""
    return (cons.inbox_notes() + link_notes(cons) + bare_mail_notes(cons) + _big_mail_notes(cons)
            + disputed_notes(cons) + other_form_notes(cons) + bounce_notes(cons))


def fetch_note(ws: Workspace, records: MailRecords, reach: dt.date) -> str:
    """Said before units are chased when the workspace fetches returns from a mailbox ([mail]
    imap_host) and no fetch of it completed on the office's today (`mail_fetch_runs`): a unit
    whose mail waits there, not yet fetched, is chased though it reported. '' otherwise, and
    without a mailbox (returns saved into 收件箱 by hand: `inbox_notes` says those).

    Today, not since the reminders were written: fetch, collect, remind and send on one day is
    the round the office is asked to make. A fetch counts when it, with the runs before it,
    looked at every mail received since ``reach`` (`returns_from`): one run with a later
    ``--since`` skipped the older mail, where a return may sit (QA285; `mail_records.fetched_back_to`). A ledger
    from before migration 18 knows only when a message was last looked at
    (`MailRecords.last_fetched_at`): that time is said."""
    mail = ws.settings.mail
    if not mail.imap_host:
        return ""
    from .ledger.mail_records import fetched_back_to  # remind's only: status loads this module, no mail record

    account, folder = mail.account, mail.folder or "INBOX"
    complete = records.complete_fetch_runs(account, folder)
    last = records.last_fetch_run(account, folder)
    done = fetched_back_to(complete, reach, ws.tz)
    today = ws.now().date()

    def at(when: dt.datetime) -> str:
        local = when.astimezone(ws.tz)
        return f"{'今天' if local.date() == today else day_text(local.date(), today)} {local:%H:%M}"

    if done is not None and done.started.astimezone(ws.tz).date() == today:
        return ""
    when = done.started if done is not None else None if complete else records.last_fetched_at(account, folder)
    said = f"邮箱上次收取是 {at(when)}" if when is not None else "还没有收取过邮箱"
    if complete and complete[0] is not done:
        narrow = complete[0]  # a later --since: the mail before it was not looked at
        since = day_text(dt.date.fromisoformat(narrow.since), today)
        said += f"（{at(narrow.started)} 的收取只看了{since}以后收到的邮件）"
    if last is not None and not last.complete:
        said += f"（{at(last.started)} 的收取没有完成）"
    return (f"{said}；催报前请先收取邮箱并登记（duban collect --fetch，或双击“2-收取并汇总”），"
            "以免催到已经发来材料的单位。")


def returns_from(ledger: Ledger, period: Period, tz: dt.tzinfo) -> dt.date:
    """The day ``period``'s returns may have come from, that a fetch must reach back to
    (`fetch_note`): when its forms first went out, on the office's clock; else its first day."""
    at = ledger.issued_at(period)
    return office_time(at, tz).date() if at is not None else period.start


# A mail too big to fetch (`too_big`) is rare: a ledger without one never imports that module, whose
# import (its frozen, hashed `BigMail` most of it) was 6.5 M instructions of `duban status`'s 458 M
# (callgrind, demo workspace). Each of these three is its namesake in `too_big` where a mail was
# recorded, and says what that would say of none.

def big_mails(ledger: Ledger, period: Period, directory: Directory, tz: ZoneInfo) -> list[BigMail]:
    """`too_big.big_mails`: none where `fetch` recorded no mail too big (`Ledger.has_mail_too_big`)."""
    if not ledger.has_mail_too_big():
        return []
    from . import too_big  # start-up: see above

    return too_big.big_mails(ledger, period, directory, tz)


def big_mail_told(cons) -> list[str]:
    """`too_big.big_mail_told` of ``cons.too_big`` (`Consolidation.told`)."""
    if not cons.too_big:
        return []
    from . import too_big  # start-up: see above

    return too_big.big_mail_told(cons)


def _big_mail_notes(cons) -> list[str]:
    """`too_big.big_mail_notes` of ``cons.too_big``."""
    if not cons.too_big:
        return []
    from . import too_big  # start-up: see above

    return too_big.big_mail_notes(cons)
