"""What a document's title and cover letter say about it: who issued it (the 通报's 落款) and the
name of the action (printed on every form, the 汇总表 and the memo).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from ..text import squash

_BODY_ENDS = (r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|办公室|办公厅"
              r"|委员会|领导小组|指挥部|管委会|政府|局|厅|委|办|部|署|中心|室)")
_ISSUER = re.compile(rf"^(?P<body>国务院办公厅|国务院|.{{2,40}}?{_BODY_ENDS})(?:关于|印发|转发)")
# 青山县农业农村局2026年重点工作任务分工表: a body's name before the plan's year. Its own plan where the
# plan's units are its 科室 (QA338: the project was 青山县农业农村局2026年, the 通报 had no 落款, M111);
# otherwise maybe its extract of another's (谯城区教育局2025年政府工作报告…, the 区政府's table)
OWN_PLAN = re.compile(rf"^(?P<body>[\u4e00-\u9fff]{{2,40}}?{_BODY_ENDS})(?=\d{{4}}年)")


def unwrapped(title: str) -> str:
    """The title without 《》 around all of it. Reprints and document lists quote a notice's whole
    title (成都 2019: ``《成都市人民政府办公厅关于印发…的通知》``): the issuer was 《成都市人民政府办公厅,
    printed on every form and memo, and the action was named after the whole notice."""
    t = squash(title)
    if t.startswith("《") and t.endswith("》") and "》" not in t[1:-1]:
        return t[1:-1]
    return t


# 长沙市人民政府2012年《政府工作报告》目标任务责任分解表: a government's own table, its name before the
# year (QA359: the sheet's 通报 had no 落款, M111, though the Word copy's notice named it)
_GOVERNMENT_PLAN = re.compile(r"^(?P<body>[\u4e00-\u9fff]{2,20}?[省市县区旗州盟](?:人民)?政府(?:办公室|办公厅)?)"
                              r"(?=\d{4}年)")


def issuing_body(title: str) -> str:
    """The issuing body a title names: ``XX市人民政府办公室关于印发…的通知`` -> XX市人民政府办公室."""
    m = _ISSUER.match(unwrapped(title)) or _GOVERNMENT_PLAN.match(unwrapped(title))
    return m.group("body") if m else ""


#: an issuer named by its level alone, as a county's own notices title themselves
#: (区人民政府办公室关于印发…, 县委办公室…): whose it is, the letter's signature says
_BARE_ISSUER = re.compile(r"(省|市|区|县|旗|州|盟|镇|乡|街道)(人民政府|政府|委|党委|党工委|办事处)")


def signed_in_full(body: str, paragraphs: list[str]) -> str:
    """``body`` as the document signs it, when the title names it without its place: 蔡甸区人民
    政府办公室 under the letter of 区人民政府办公室关于印发… (蔡甸 2023). Each 通报 is signed
    with it, and 区人民政府办公室 there says no district. '' when the title names a place or no
    line signs it."""
    if not _BARE_ISSUER.match(body):
        return ""
    # the place before the body (not a sentence ending 报区人民政府办公室。)
    signed = _signatures(paragraphs, lambda line: line.endswith(body) and line != body
                         and re.fullmatch(r"[\u4e00-\u9fff]{1,8}", line[:-len(body)]) is not None)
    return signed[-1] if signed else ""


#: a cover letter's signature on a line of its own: a government body after its place
#: (兴义市人民政府办公室, 济南市钢城区人民政府办公室), not a sentence that names one; or a
#: department after its place (四川省发展和改革委员会 signs 四川 2022's letter: M111 said nobody did),
#: never a party office (中共兴义市委办公室, 石景山区委办公室), which co-signs beside the government's
_SIGNATURE = re.compile(r"[\u4e00-\u9fff]{1,20}[省市县区旗州盟](人民)?政府(办公室|办公厅)?"
                        r"|(?!中共)(?!.*[省市县区旗州盟]委(办公室)?$)"
                        r"[\u4e00-\u9fff]{1,8}?[省市县区旗州盟][\u4e00-\u9fff]{1,16}(委员会|局|厅|委|办公室)")


def letter_signer(paragraphs: list[str]) -> str:
    """The body that signs the cover letter over its date, for a document whose title names no
    issuer: 兴义 2021 prints its 要点 under a letter signed 兴义市人民政府办公室 / 2021年6月24日, and
    its 通报 went out with no 落款 (M111) though the document says who issued it. ''
    when no line signs it."""
    signed = _signatures(paragraphs, lambda line: _SIGNATURE.fullmatch(line) is not None)
    return signed[0] if signed else ""


def _signatures(paragraphs: list[str], fits: Callable[[str], bool]) -> list[str]:
    """The lines that sign a letter: a line of its own that ``fits``, the date on the next."""
    lines = [squash(t) for t in paragraphs]
    return [line for line, after in itertools.pairwise(lines) if fits(line) and _DATE_LINE.fullmatch(after)]


_DATE_LINE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年"
                        r"[\d〇一二三四五六七八九十]{1,3}月[\d〇一二三四五六七八九十]{1,3}日")


def project_name(title: str, fallback: str) -> str:
    """The action's name from the document title: the 《…》 it issues, without 分工表 words."""
    t = unwrapped(title)
    own = _GOVERNMENT_PLAN.match(t)  # 长沙市人民政府2012年…: the action is named from the year
    t = t[own.end():] if own else t
    inner = re.search(r"《(.+?)》", t)
    # 2023年区《政府工作报告》确定的主要目标任务责任分解方案 (蔡甸 2023) says 确定的 first
    # …《政府工作报告》目标任务 (长沙 2012) as 主要目标任务: the report's targets (QA359)
    key_words = r"确定的(重点|主要)(工作)?(目标)?(任务)?|(重点|主要)(工作)?(任务)?|目标任务"
    key_tasks = re.match(key_words, t[inner.end():]) if inner else None
    if inner and key_tasks and re.search(r"报告|纲要|规划$", inner.group(1)):
        # 2024年《政府工作报告》重点工作目标任务分解表: the action is the report's key tasks, not
        # the report (named 政府工作报告 in every form, the 汇总表 and the memo before)
        # 关于对2012年《…》…实施责任分解管理的通知 (长沙 2012): from the year
        return re.sub(r"^.*?关于(印发)?(对(?=\d{4}年|《))?", "", t[:inner.end()]) + key_tasks.group(0)
    if inner:
        t = inner.group(1)
    elif issuing_body(t):
        t = re.sub(r"^.*?关于(印发)?", "", t)
    t = re.sub(r"^关于(印发)?", "", t)  # a notice whose issuer the title does not name
    t = re.sub(r"的(通知|若干意见|指导意见|意见|决定)$", "", t)
    # 关于对2016年民生实事进行重点督办的通知 (大竹 2016): the work is what is supervised
    # (not 对口帮扶 or 对外开放, whose 对 is the work's own)
    t = re.sub(r"^对(?![口外标接照])(.+?)(进行|开展|实行|实施)(重点)?(督办|督查|督导|督促)$", r"\1", t)
    named = t
    # a progress sheet's title (崇川 2023, 苍南 2022, 泗洲头镇 2024's 二季度执行情况): its "as of"
    # note and 进度表 words name the sheet, not the work; the memo adds 进展情况 itself
    t = re.sub(r"[（(](截至|截止|\d{1,2}[-—~－至]\d{1,2}月)[^（）()]*[）)]$", "", t)
    t = re.sub(r"(推进|进展|完成|执行)?(情况|进度)(表|统计表|汇总表)?$|进度表$", "", t)
    # ...重点工作(预下达)一季度进展情况表 (绍兴 2020): the quarter is the sheet's, not the work's
    if t != named:
        t = re.sub(r"(第?[一二三四1-4]季度|上半年|前三季度)$", "", t)
    # 市政府工作报告重点工作责任分解(2023年) (丽水 2023): the year bracketed after the name is the
    # plan's own; put first, as 2020年市政府重点工作及责任分解 writes it, the list's words below go
    # and the memo's title says the year once (关于2023年6月市政府工作报告重点工作进展情况的通报)
    year = re.search(r"[（(](\d{4}年)[）)]$", t)
    if year:
        t = t[:year.start()] if t.startswith(year.group(1)) else year.group(1) + t[:year.start()]
    # 2021年政务公开工作重点任务台账 (广东省卫健委 2021): the ledger names the list, not the work
    # (根据…重点任务台账工作安排, …台账进展情况的通报, QA265)
    t = re.sub(r"台账$", "", t)
    t = re.sub(r"(任务分解和)?(责任)?分工方案$|(主要)?(重点)?(工作)?任务(分工|分解)?(表|清单)$|(主要)?任务分工$", "", t)
    # 2025年开发区重点工作及责任清单, 2020年市政府重点工作及责任分解: the work, not its list
    # (主体责任 is the work itself: 全面从严治党主体责任清单 loses its 清单 only)
    t = re.sub(r"(?<=主体责任)(清单|表)$|(及|和|与)?(?<!主体)责任(分工表?|分解表?|清单|表)$", "", t)
    if not _has_name(t):
        # 2023年重点工作任务分工表: the list's words were all its name; only 分工表 goes (review)
        gentle = re.sub(r"(分工|分解)?(表|清单|方案)$", "", named)
        t = gentle if _has_name(gentle, 3) else ""
    return t or fallback


def _has_name(text: str, chars: int = 2) -> bool:
    """Whether a project name says more than its year and place (2023年, 东莞市2023年)."""
    return bool(re.search(f"[\u4e00-\u9fff]{{{chars},}}", re.sub(r"\d{4}年度?|^.{0,6}?[省市县区]", "", text)))
