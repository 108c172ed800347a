"""The import's judgement calls on a 完成时限 (M117): a day duban chose among readings, or a
deadline that names no day the work is done by, said for the office to confirm.

A wrong 逾期 in the 通报 names a unit publicly: where a deadline reads two ways, the later day
is taken, and said; the office puts the day it means in 任务清单's 截止日期.
"""

from __future__ import annotations

import datetime as dt
import re

from ..dates import cn_date, deadline_steps, starts_only
from ..text import squash_nfkc

# 8月前 (广东省卫健委 2021: 2021年8月前) is read both ways in official writing: before August
# begins (by 31 July) or by August (by its end, as 8月底前 says plainly); so are 三季度前 and
# 8月中旬前 (by the 10th, or the 20th `dates` reads). Not 8月底前 or 8月10日前, which say their day.
_MONTH_BEFORE = re.compile(r"(?<![\d.])(\d{1,2})月前|第?([一二三四1-4])季度前|(?<![\d.])(\d{1,2}月[上中下]旬)前")

_CHECK = "请核实；如不对，请在“任务清单”表的“截止日期”列中改正。"


def deadline_doubt(text: str, deadline: dt.date | None, ongoing: bool,
                   year: int | None) -> tuple[str, str] | None:
    """(why, ask) of the M117 a 完成时限 calls for, as the import read it (``deadline``,
    ``ongoing``; ``year`` the plan's, for one written without); None when it reads one way.

    * a start, not an end (大竹 2016: 5月底前动工 of 建成县残疾人综合服务中心): no day, never
      逾期, said as what it is rather than as unread (M103);
    * several days (福建 2015: 5月29日、12月10日前): due on the last, the others milestones;
    * 8月前: the later of its two readings, the end of the month."""
    if ongoing:
        return None
    if deadline is None:
        if not starts_only(text):
            return None
        return ("写的是开工（启动）时间，不是完成时间，已按无时限导入，不判断逾期",
                "如该任务本身就是开工、要按这一时间判断逾期，请在“任务清单”表的“截止日期”列中填写该日期。")
    whys = []
    steps = deadline_steps(text, deadline, year)
    if steps:
        earlier = "、".join(cn_date(d) for d in steps if d != deadline)
        whys.append(f"写有 {len(steps)} 个时间，已按最晚的 {cn_date(deadline)} 作为截止日期判断逾期，"
                    f"其余的 {earlier} 作为阶段节点，不单独判断逾期")
    s = squash_nfkc(text)
    found = list(_MONTH_BEFORE.finditer(s))
    lead = "其中" if steps else "中的"
    if len(found) == 1:
        (before,) = found
        early, late = ((f"{before[1]}月1日前", f"{before[1]}月底前") if before[1]
                       else (f"{before[2]}季度开始前", f"{before[2]}季度末前") if before[2]
                       else (f"{before[3]}开始前", f"{before[3]}结束前"))
        whys.append(f"{lead}“{before[0]}”既可理解为{early}，也可理解为{late}，已按较晚的“{late}”计算"
                    + ("" if steps else f"，截止日期为 {cn_date(deadline)}") + "，以免误判逾期")
    elif found:  # 6月前启动，12月前完成
        whys.append(f"{lead}{''.join(f'“{m[0]}”' for m in found)}都既可理解为该时段开始前，"
                    "也可理解为该时段结束前，均已按较晚的结束前计算，以免误判逾期")
    if not whys:
        return None
    return "；".join(whys), _CHECK
