"""Why `duban mail send` holds a draft back, or may have sent it, as the office reads it: the lines
`mail_plan.SendPlan` says them in, each with the command that mends it (moved out of `mail_plan`,
which holds what is sent)."""

from __future__ import annotations

import datetime as dt

from .dates import cn_date
from .drafts import DUE_CHANGED, NOT_OWED, REFUSED_SINCE, REISSUED_SINCE


def units_text(units: list[str]) -> str:
    """Up to ten unit names, then how many in all."""
    return "、".join(units[:10]) + (f" 等 {len(units)} 个单位" if len(units) > 10 else "")


def unsure_line(units: list[str], kind: str, month: str = "", doubt: dict[str, list[str]] | None = None) -> str:
    """The mails a run stopped while sending: never resent unless the office says so.
    ``doubt``: a unit's addresses in doubt, when the mail had reached its others before
    (`--resend` then sends it to those alone)."""
    doubt = doubt or {}
    shown = [f"{u}（发给 {'，'.join(doubt[u])} 的）" if doubt.get(u) else u for u in units]
    only = "（只发给尚未确认收到的地址）" if any(doubt.get(u) for u in units) else ""
    return (f"可能已发送，请核对 {len(units)} 封：{units_text(shown)}。上次发送在传送这些邮件时中断，"
            f"无法确定对方是否已收到；为免重复，不会自动重发。请到邮箱的“已发送”中核对或电话确认，如对方确实没有收到，"
            f"请运行 duban mail send {kind}{month}{options('--resend', units)} 再次发送{only}。")


def passed_line(kind: str, month: str, passed: list[tuple[str, dt.date]], unaddressed: bool = False) -> str:
    """The drafts not sent because the date they ask by has passed, and how to write them anew:
    a 催报 by `duban remind` (4-发送邮件's 催报 writes them first); a 反馈 by `mail send feedback
    --renew` (`reply_renew`: the reply of today, from the archived file; 4-发送邮件's 反馈 offers
    it, asking `--renewable` first), or by hand. ``unaddressed``: of drafts said without a recipient (the
    单位名录 has no usable 邮箱 for the unit), written again once it is filled in."""
    shown = units_text([f"{u}（{cn_date(d)}前）" for u, d in passed])
    what = "催报" if kind == "remind" else "反馈"
    if unaddressed:
        head = f"其中 {len(passed)} 封{what}草稿中的日期也已过：{shown}。这几封在邮箱填好后，"
    elif kind == "remind":
        head = f"草稿中“请于…前报送”的日期已过、不发送的 {len(passed)} 封：{shown}。"
    else:
        head = f"草稿中要求重新报送的日期已过、不发送的 {len(passed)} 封：{shown}。"
    if kind == "remind":
        return head + (f"请先运行 duban remind{month} 按今天重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），"
                       "再发送。")
    return head + (f"如这些单位仍未改报，请运行 duban mail send feedback{month} --renew，按今天重新生成反馈邮件"
                   "和标出错误的表格（改报日期从今天起算，是否按时改报按新的日期判断）后发送；"
                   "或用邮件客户端打开该单位的反馈邮件草稿，改写日期后发出。")


def superseded_lines(superseded: list[tuple[str, str]], month: str) -> list[str]:
    """The 催报 not sent because the unit's return was refused, or its form issued again, after
    they were written, or because it owes nothing now (`drafts.Superseded`): what the unit is to
    correct, and by when, is its reply's to say; the deadline, its new form's."""
    again = f"请先运行 duban remind{month} 重新生成催报草稿（或双击“4-发送邮件”，选 3 催报），再发送。"
    reissued = [u for u, why in superseded if why == REISSUED_SINCE]
    refused = [u for u, why in superseded if why == REFUSED_SINCE]
    owed_none = [u for u, why in superseded if why == NOT_OWED]
    moved = [u for u, why in superseded if why == DUE_CHANGED]
    out = []
    if owed_none:
        out.append(f"单位现已报送（或本期免报）、无需催报、不发送的催报 {len(owed_none)} 封：{units_text(owed_none)}。"
                   f"运行 duban remind{month} 会撤回这些草稿。")
    if refused:
        out.append(f"草稿写于该单位的报送被退回（写出反馈邮件）之前、已不适用、不发送的催报 {len(refused)} 封："
                   f"{units_text(refused)}。要改正的内容和改报日期见其反馈邮件：请运行 duban mail send feedback{month} "
                   f"发送（已发送的不会重发）；如还要催其改报，{again}")
    if reissued:
        out.append(f"草稿写于该单位的填报表重新下发之前、已不适用、不发送的催报 {len(reissued)} 封："
                   f"{units_text(reissued)}。催报中的截止日期和附件可能已与新下发的填报表不同；如还要催报，{again}")
    if moved:
        out.append(f"草稿中的报送截止日期已不是该单位现在的截止日期（截止日期在草稿写出后改过）、不发送的催报 "
                   f"{len(moved)} 封：{units_text(moved)}。如还要催报，{again}")
    return out


def bounced_line(bounced: list[tuple[str, str]], month: str) -> str:
    """The 催报 not sent because a bounce of the month says the unit's address did not take the office's
    mail (`office_copies.standing_bounces`): sent there it is bounced too. The office corrects the
    邮箱, or, having found it right (a full mailbox emptied), names the unit to send it all the same."""
    units = [u for u, _ in bounced]
    shown = units_text([f"{u}（{a}）" for u, a in bounced])
    return (f"邮箱曾退信、不发送的催报 {len(bounced)} 封：{shown}。本月发给这些单位的邮件被退回，没有送达上述邮箱，"
            f"催报发到同一邮箱也会被退回。请向该单位核实邮箱，在任务分工表“单位名录”中改正后再次运行 "
            f"duban mail send remind{month}；如核实邮箱无误（如对方已清理邮箱），请运行 "
            f"duban mail send remind{month}{options('--resend', units)} 发送。")


def remake(kind: str, month: str, units: list[str]) -> str:
    """How to write deleted drafts again. A unit whose mail went out keeps it sent whatever
    command makes its draft again (`drafts.same_mail`): naming the units is for the office."""
    if kind == "issue":
        return f"如需发送，请运行 duban issue --emails{month}{options('--dept', units)} 重新生成草稿。"
    if kind == "remind":
        return f"如需发送，请运行 duban remind{month} 重新生成草稿（今天已发出的催报不会重发）。"
    # collect writes a reply when a return comes in, never again for one already answered
    return "如需发送，请用邮件客户端把同一文件夹中该单位的“_校验反馈.xlsx”发给该单位。"


def options(option: str, units: list[str]) -> str:
    """`` --resend 市府办 --resend "A B"``: each unit after ``option``, quoted when it holds a space."""
    return "".join(f' {option} "{u}"' if " " in u else f" {option} {u}" for u in units)
