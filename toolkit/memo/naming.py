"""The 通报's title and file name (`memo_title`, `memo_filename`), and department text made safe for
its XML (`xml_text`): apart from `context`, which builds the memo's variables from them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..period import Period
from ..rectification import is_rectification, memo_project
from ..text import NAME_PART_BYTES, LazyPattern, name_part

if TYPE_CHECKING:  # annotations only: consolidate is what the memo is built from, not needed to name it
    from ..consolidate import Consolidation

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def xml_text(value: object) -> str:
    """Department text made safe for XML: controls gone, line breaks unified and kept."""
    s = "" if value is None else str(value)
    return _CONTROL.sub("", s.replace("\r\n", "\n").replace("\r", "\n")).strip()



#: a plan's name saying its year (or span) first or after its place or body (lazy: a CJK class);
#: a town's or street's own plan (泗洲头镇2024年度…, QA311) as a county's
_NAMED_YEAR = LazyPattern(
    r"(?:[\u4e00-\u9fff]{1,11}?(?:[省市县区州旗盟镇乡]|街道|政府))?20\d\d(?:年|\s*[—–－\-~～至到])")


def memo_title(period: Period, project: str) -> str:
    """关于2022年6月<project>进展情况的通报; a project named from the period's own year says it
    once: 关于2016年6月民生实事…, not 关于2016年6月2016年民生实事… (大竹, 广东 2021;
    `Period.name_after_label`). A project whose name opens with a year it keeps (another year,
    2022年度…, a span 2023—2025年…) is named first and the month after it, the year said only
    where the name does not say it alone (`Period.label_after_name`): 关于2016年民生实事2017年1月…
    (QA137), 关于2022年度市县民生实事未完成项目10月… (苍南 2022, once 关于2022年10月2022年度…),
    关于2023—2025年…行动计划2024年3月…, 关于东莞市2022年…专项行动6月…: never two years side by
    side nor one said twice (QA275)."""
    if _NAMED_YEAR.match(project) and period.name_after_label(project) == project:
        return f"关于{project}{period.label_after_name(project)}进展情况的通报"
    return f"关于{period.label}{period.name_after_label(project)}进展情况的通报"


def memo_filename(cons: Consolidation) -> str:
    """The memo's title as a file name: ``关于2022年6月<project>进展情况的通报.docx``."""
    project = re.sub(r'[\\/:*?"<>|\r\n\t]', "_", xml_text(cons.project))
    project = memo_project(project) if is_rectification(getattr(cons, "master", None)) else project  # as its title
    # a long project name is cut (and hashed): Linux and macOS take 255 bytes in a name,
    # and LibreOffice's ".~lock.<name>#" beside it must fit too
    part = name_part(project)
    # a name cut and hashed (…~52b392) is no phrase to follow: the month before it, not 52b3926月
    if len(project.encode()) > NAME_PART_BYTES:
        return f"关于{cons.period.label}{part}进展情况的通报.docx"
    return memo_title(cons.period, part) + ".docx"
