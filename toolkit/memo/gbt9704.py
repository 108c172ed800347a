"""The shipped 通报 template, laid out per GB/T 9704-2012 and built with python-docx.

A4, margins 37/35/28/26 mm, 22 lines x 28 characters (document grid), title 2号
方正小标宋简体, body 3号 仿宋_GB2312, headings 黑体 / 楷体, page numbers 4号 宋体 "— 1 —"
on the outside edge. `write_default_template` writes ``templates/月度通报.docx``;
`title_lines` and `signature_pads` place the memo's own title and 落款 on that page.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from pathlib import Path

from ..text import LazyPattern

# Page and type area in twentieths of a point (twips).
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
LINES, CHARS = 22, 28
BODY_PT = 16  # 3号
LINE_PITCH = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) // LINES  # 579: 22 lines fill the type area
# Grid pitch = body size + charSpace/4096 pt; 28 characters must fit the type width exactly,
# which a 16 pt character alone does not (28 x 16 pt > 156 mm: the line would hold 27).
CHAR_SPACE = math.floor(((PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 20 / CHARS - BODY_PT) * 4096)  # -849
# LibreOffice's copy: characters condensed by 0.25 pt (5 twips) so 28 fit in the line.
LO_CONDENSE = -5
FOOTER_DISTANCE = 1247  # 22 mm: puts the "—" line about 7 mm below the type area
HEADER_DISTANCE = 851  # 15 mm

FANGSONG, HEITI, KAITI, XBS, SONGTI = "仿宋_GB2312", "黑体", "楷体", "方正小标宋简体", "宋体"
# fontTable entries: Word falls back to altName when the named font is missing (Windows
# ships 仿宋 and 楷体 but not the _GB2312 ones, and no 方正小标宋简体).
_FONT_TABLE = {FANGSONG: ("仿宋", "modern", "fixed"), HEITI: ("SimHei", "modern", "fixed"),
               KAITI: ("楷体_GB2312", "modern", "fixed"), XBS: ("宋体", "script", "fixed"),
               SONGTI: ("SimSun", "auto", "variable")}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"



# ---- text placed by the memo: the title broken into lines, the 落款 indented ----

TITLE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm line
# A digit of the body's 3号 仿宋, in its characters: 2022年7月20日 is 7.53 in LibreOffice's PDF
# (0.5 each and the 0.2 gaps); the title's 0.6 put the 落款 a character too far left.
BODY_ALNUM = 0.5
_IDEOGRAPHIC_SPACE = "\u3000"


def text_width(text: str, alnum: float = 0.6) -> float:
    """Width in full-width characters, erring wide: a digit or Latin letter counts ``alnum``,
    other ASCII 0.4, and each change between a digit or letter and Chinese 0.2 more. Measured in
    LibreOffice's PDF of a 22 pt title: a digit 12.9 pt (0.585 em), the gap Asian typography
    puts between 年 and 2024 4.4 pt (0.2 em). Counting every ASCII character as half and no
    gap, 关于2024年6月江门市土地储备中心2024年 was 18.5 of 20 characters, and its 年 went alone
    onto a third line. The body's 仿宋 digits are half (`BODY_ALNUM`)."""
    width, prev = 0.0, ""
    for ch in text:
        if ord(ch) >= 128:
            width += 1 + (0.2 if prev == "alnum" else 0)
            prev = "cjk"
        elif ch.isalnum():
            width += alnum + (0.2 if prev == "cjk" else 0)
            prev = "alnum"
        else:
            width += 0.4
            prev = ""
    return width


def title_lines(title: str, limit: float = TITLE_CHARS) -> str:
    """Break a long title between words (after 市/县/区/年/月, before 专项行动/进展情况),
    in as few lines as fit, as evenly as possible: GB/T 9704 wants titles broken with
    the sense intact and the lines symmetric."""
    if text_width(title) <= limit:
        return title
    # never inside 区政府, 市委, 市场 or 县直, before a closing mark, or inside brackets: (1-11月)
    # nor inside a word (市域, 区块链, 市民, 市县, 三年行动, 重点工作) or quotes (“百县千镇万村…”)
    cands = sorted({m.start() for m in re.finditer(
        # a 市 ends a place, not a word (城市更新, 都市圈); the month said after the plan's name
        # starts a line (…未完成项目 / 10月进展情况…, QA275), as a bracket of the plan's years does
        r"(?<=关于)|(?<![城都超]市)(?<=[市县区])(?!人民政府|政府|委|场|直|级|域|民|块|内|属|容|政|县)|(?<=\d月)"
        r"|(?<=\d年)(?!\d|度)|(?<![\d年—–\-])(?=(?:20\d\d年)?\d{1,2}月进展)|(?=[（(]20\d\d)"
        r"|(?=专项行动|进展情况)|(?<!重点|主要|中心)(?=工作进展)"
        # a document's name in 《》 is one word, and so are the parts a 暨 joins; an autonomous
        # prefecture (黔西南布依族苗族自治州) ends as a 市 does; a document's name ends at its kind
        # (…的通知) and 重点任务 starts a word: a long plan's title had no place to break and went
        # out whole, for Word to cut mid-word (QA174)
        r"|(?=《)|(?<=》)|(?=暨)|(?<=自治州)(?!人民政府|政府|委)|(?<=的通知|的意见|的决定|的方案)"
        r"|(?<!的)(?=重点任务|重点工作)", title)}
             - {0, len(title), len("关于")})  # never 关于 alone on the title's first line
    depth, inside = 0, set()
    for i, ch in enumerate(title):
        depth += (ch in "(（《〈【[“‘「『") - (ch in ")）》〉】]”’」』")
        if depth > 0:
            inside.add(i + 1)
    cands = [c for c in cands if c not in inside and title[c] not in ")）》〉】]”’」』、，。：；"]
    for n in (2, 3, 4):
        best: tuple[float, list[str]] | None = None
        for cut in itertools.combinations(cands, n - 1):
            bounds = [0, *cut, len(title)]
            lines = [title[a:b] for a, b in itertools.pairwise(bounds)]
            widths = [text_width(x) for x in lines]
            if max(widths) <= limit and (best is None or max(widths) - min(widths) < best[0]):
                best = (max(widths) - min(widths), lines)
        if best:
            return "\n".join(best[1])
    return title


# ---- the table by 一级任务: its first column ----

LEVEL1_NUMBER_W = 835  # twips: three 12 pt characters and 1 mm padding each side (任务数, 已完成 …)
CELL_PAD = 57  # twips each side of a table cell (1 mm, `_add_table`)
# Figures in a font the reader lacks: LibreOffice without the 仿宋 (or fonts.conf) draws them in
# its sans fallback (DejaVu Sans), whose digit is 0.64 em where 仿宋's is 0.5, and 33.3% broke in
# a 完成率 column of 835 twips as "33.3" / "%". Em widths of that font, erring wide.
FALLBACK_EM = {".": 0.32, "%": 0.95, ",": 0.32}
FALLBACK_ALNUM_EM = 0.64
FIGURE_PT = 12  # 小四: the table's figures (表格文字)


def figure_twips(text: str, pt: float = FIGURE_PT) -> int:
    """Twips ``text`` (a figure, a share such as 100.0%) takes at ``pt`` points in the widest
    font it may be drawn in (`FALLBACK_EM`); a Chinese character one em."""
    em = sum(FALLBACK_EM.get(c, FALLBACK_ALNUM_EM) if c.isascii() else 1.0 for c in text)
    return math.ceil(em * pt * 20)


# 序时推进 (on two lines) and 滞后 need two characters, not three: the twips they give up widen
# 完成率, whose shares (100.0% at the most) need more than three, and the 一级任务 column keeps
# its width (`LEVEL1_NAME_CHARS`).
LEVEL1_PAIR_W = 735  # two 12 pt characters, 9999 in the fallback (`figure_twips`: 615), 1 mm each side
LEVEL1_RATE_W = 3 * LEVEL1_NUMBER_W - 2 * LEVEL1_PAIR_W  # 1035: 100.0% in the fallback and 1 mm each side
#: the widths of the columns right of the names: 任务数 已完成 序时推进 滞后 未启动 未报送 完成率
LEVEL1_FIGURE_WS = (LEVEL1_NUMBER_W, LEVEL1_NUMBER_W, LEVEL1_PAIR_W, LEVEL1_PAIR_W, LEVEL1_NUMBER_W,
                    LEVEL1_NUMBER_W, LEVEL1_RATE_W)
# The 一级任务 column's names in 五号 (10.5 pt), the figures beside them in 小四: at 12 pt the
# column held 12 characters, and 东莞's 加强政务服务体系建设标准化 (13) put 化 alone on a second
# line (QA284); at 10.5 pt it holds 13, and longer names are broken evenly (`cell_lines`)
LEVEL1_NAME_PT = 10.5
LEVEL1_NAME_CHARS = ((PAGE_W - MARGIN_LEFT - MARGIN_RIGHT - sum(LEVEL1_FIGURE_WS) - 2 * CELL_PAD)
                     / (LEVEL1_NAME_PT * 20))  # 13.7
_OPENING, _CLOSING = "(（《〈【[“‘「『", ")）》〉】]”’」』、，。：；！？%％"
# where a name reads well broken: after a mark, a word's ending (…标准化 / 规范化, …体系建设 /
# 标准化), before a verb that starts a phrase (…支撑能力 / 推动…) or a quote. Word, and an even
# break alone, cut 一体化 and 推动 in two (QA284)
_GOOD_BREAK = LazyPattern(
    r"(?<=[、，；：化])|(?<=建设|体系|服务|工作|机制|能力|水平|改革|环境|治理|管理|发展|保障|中心)"
    r"|(?=推进|推动|加强|提升|打造|加快|深化|完善|健全|优化|强化|构建|建立|实施|开展|促进|落实|全面|持续|[“《（])")
_BAD_BREAK_COST = 3  # a break inside a word is worth this many characters of unevenness


def cell_lines(text: str, chars: float = LEVEL1_NAME_CHARS) -> str:
    """``text`` in as few lines of ``chars`` as hold it, as even as possible, at a good place
    (`_GOOD_BREAK`) when one is near: a cell breaks a long name where its width runs out, and
    加强政务服务体系建设标准化规范化便利化 (19) went 12 + 7, a 13-character one 12 + 1. Never
    before a closing mark or after an opening one, nor inside a run of digits or letters (5G,
    2022); out of quotes and brackets where it can."""
    if text_width(text) <= chars or len(text) < 2:
        return text
    depth, inside = 0, set()
    for i, ch in enumerate(text):
        depth += (ch in _OPENING) - (ch in _CLOSING[:10])
        if depth > 0:
            inside.add(i + 1)
    good = {m.start() for m in _GOOD_BREAK.finditer(text)}
    cands = [i for i in range(1, len(text)) if text[i] not in _CLOSING and text[i - 1] not in _OPENING
             and not (text[i - 1].isascii() and text[i - 1].isalnum() and text[i].isascii() and text[i].isalnum())]
    for n in range(math.ceil(text_width(text) / chars), 5):
        best: tuple[int, float, list[str]] | None = None
        # cuts near the even ones only (±5 characters): every combination of a 50-character
        # name's places took 0.17 s a row, these 2 ms
        near = [[i for i in cands if abs(i - k * len(text) / n) <= 5] for k in range(1, n)]
        for cut in itertools.product(*near):
            if any(a >= b for a, b in itertools.pairwise(cut)):
                continue
            lines = [text[a:b] for a, b in itertools.pairwise([0, *cut, len(text)])]
            widths = [text_width(x) for x in lines]
            score = (sum(c in inside for c in cut),
                     max(widths) - min(widths) + _BAD_BREAK_COST * sum(c not in good for c in cut), lines)
            if max(widths) <= chars and (best is None or score[:2] < best[:2]):
                best = score
        if best:
            return "\n".join(best[2])
    return text


def signature_pads(organiser: str, date_text: str) -> tuple[str, str]:
    """Leading full-width spaces placing 落款 per GB/T 9704 7.3.5.2 (no seal): the organiser
    ends two characters from the right; the date starts two characters right of the
    organiser's first character, or ends two from the right if it is the longer one. Unsigned
    (no organiser set yet), the date still ends two from the right, not at the left margin."""
    if not organiser:
        return "", _IDEOGRAPHIC_SPACE * max(0, math.floor(CHARS - 2 - text_width(date_text, BODY_ALNUM)))
    org_start = CHARS - 2 - text_width(organiser, BODY_ALNUM)
    date_start = org_start + 2
    if date_start + text_width(date_text, BODY_ALNUM) > CHARS - 2:
        date_start = CHARS - 2 - text_width(date_text, BODY_ALNUM)
        org_start = date_start - 2
    return (_IDEOGRAPHIC_SPACE * max(0, math.floor(org_start)),
            _IDEOGRAPHIC_SPACE * max(0, math.floor(date_start)))


def _rpr(font: str, size_pt: float, bold: bool = False) -> str:
    half = int(size_pt * 2)
    return (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" '
            f'w:hint="eastAsia"/>{"<w:b/><w:bCs/>" if bold else ""}<w:kern w:val="0"/>'
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


def _ppr(*, jc: str = "both", first_line_chars: int = 0, size_pt: float = BODY_PT, exact: bool = True,
         keep_next: bool = False, outline: int | None = None, snap: bool = True, right_chars: int = 0,
         left_chars: int = 0, page_break: bool = False) -> str:
    """Paragraph properties in schema order (Word rejects misordered children)."""
    out = "<w:pPr>"
    if keep_next:
        out += "<w:keepNext/>"
    if page_break:
        out += "<w:pageBreakBefore/>"
    out += '<w:widowControl w:val="0"/>'
    if not snap:
        out += '<w:snapToGrid w:val="0"/>'
    # Exact 28.95 pt lines give 22 lines a page whatever the font's own line gap.
    out += (f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>' if exact
            else '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    twips_per_char = int(size_pt * 20)
    ind = []
    if left_chars:
        ind.append(f'w:leftChars="{left_chars * 100}" w:left="{left_chars * twips_per_char}"')
    if right_chars:
        ind.append(f'w:rightChars="{right_chars * 100}" w:right="{right_chars * twips_per_char}"')
    ind.append(f'w:firstLineChars="{first_line_chars * 100}" w:firstLine="{first_line_chars * twips_per_char}"')
    out += f"<w:ind {' '.join(ind)}/>"
    out += f'<w:jc w:val="{jc}"/>'
    if outline is not None:
        out += f'<w:outlineLvl w:val="{outline}"/>'
    return out + "</w:pPr>"


# (styleId, name shown in Word, type, pPr, rPr)
_STYLES = [
    # The title does not snap to the grid, or a 22 pt line would take two grid lines.
    ("MemoTitle", "通报标题", "paragraph", dict(jc="center", keep_next=True, snap=False), (XBS, 22)),
    ("MemoRecipients", "主送机关", "paragraph", dict(jc="both"), (FANGSONG, BODY_PT)),
    ("MemoBody", "通报正文", "paragraph", dict(first_line_chars=2), (FANGSONG, BODY_PT)),
    ("MemoHeading1", "一级标题（黑体）", "paragraph", dict(first_line_chars=2, keep_next=True, outline=0),
     (HEITI, BODY_PT)),
    ("MemoHeading2", "二级标题（楷体）", "paragraph", dict(first_line_chars=2, keep_next=True, outline=1),
     (KAITI, BODY_PT)),
    ("MemoItem", "三级标题（仿宋加粗）", "paragraph", dict(first_line_chars=2, keep_next=True),
     (FANGSONG, BODY_PT, True)),
    # Ends the text: kept on the page of 落款 (a 落款 alone on a page is not allowed).
    ("MemoBodyKeep", "通报正文（与落款同页）", "paragraph", dict(first_line_chars=2, keep_next=True),
     (FANGSONG, BODY_PT)),
    # Placed by leading full-width spaces (signature_pad / date_pad), which fill grid cells exactly.
    ("MemoSignature", "落款", "paragraph", dict(jc="left", keep_next=True), (FANGSONG, BODY_PT)),
    # 附件 and its number, GB/T 9704 §8: 3号黑体 at the top left of a page of its own
    ("MemoAppendixMark", "附件标识", "paragraph", dict(jc="left", keep_next=True, page_break=True), (HEITI, BODY_PT)),
    ("MemoCaption", "表题", "paragraph", dict(jc="center", keep_next=True, snap=False, size_pt=14),
     (HEITI, 14)),
    ("MemoTableHead", "表头", "paragraph", dict(jc="center", exact=False, snap=False, size_pt=12), (HEITI, 12)),
    ("MemoTableText", "表格文字", "paragraph", dict(jc="center", exact=False, snap=False, size_pt=12),
     (FANGSONG, 12)),
    ("MemoTableTextLeft", "表格文字（左对齐）", "paragraph", dict(jc="left", exact=False, snap=False, size_pt=12),
     (FANGSONG, 12)),
    ("MemoFooter", "页码", "paragraph", dict(jc="right", exact=False, snap=False, size_pt=14), (SONGTI, 14)),
    ("MemoHeading2Char", "二级标题字符（楷体）", "character", None, (KAITI, BODY_PT)),
]


def _install_styles(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    styles = doc.styles.element
    # Document defaults: East Asian fonts named explicitly (no theme fonts, which Word
    # would resolve to a Latin or Japanese face), Chinese language, no paragraph spacing.
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(0, parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault>{_rpr(FANGSONG, BODY_PT)}</w:rPrDefault>"
        f"<w:pPrDefault><w:pPr><w:spacing w:after='0' w:line='240' w:lineRule='auto'/></w:pPr></w:pPrDefault>"
        "</w:docDefaults>"))
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    normal.append(parse_xml(_ppr().replace("<w:pPr>", f"<w:pPr {nsdecls('w')}>", 1)))
    normal.append(parse_xml(_rpr(FANGSONG, BODY_PT).replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>", 1)))
    for sid, name, kind, ppr, rpr in _STYLES:
        font, size, *bold = rpr
        xml = (f'<w:style {nsdecls("w")} w:type="{kind}" w:customStyle="1" w:styleId="{sid}">'
               f'<w:name w:val="{name}"/>')
        if kind == "paragraph":
            xml += f'<w:basedOn w:val="Normal"/><w:next w:val="{"MemoBody" if sid != "MemoFooter" else sid}"/>'
            xml += "<w:qFormat/>" + _ppr(**ppr)
        else:
            xml += '<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/>'
        xml += _rpr(font, size, bool(bold and bold[0])) + "</w:style>"
        styles.append(parse_xml(xml))


def _install_settings(doc) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    settings = doc.settings
    settings.odd_and_even_pages_header_footer = True  # w:evenAndOddHeaders: outside-edge page numbers
    el = settings.element
    compat = el.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        # A department's line break (w:br) must not stretch its line across a justified page.
        compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {nsdecls('w')}/>"))
    lang = el.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _install_font_table(doc) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype != RT.FONT_TABLE:
            continue
        part = rel.target_part
        root = etree.fromstring(part.blob)
        have = {f.get(f"{{{W_NS}}}name") for f in root}
        for name, (alt, family, pitch) in _FONT_TABLE.items():
            if name in have:
                continue
            f = etree.SubElement(root, f"{{{W_NS}}}font", {f"{{{W_NS}}}name": name})
            etree.SubElement(f, f"{{{W_NS}}}altName", {f"{{{W_NS}}}val": alt})
            etree.SubElement(f, f"{{{W_NS}}}charset", {f"{{{W_NS}}}val": "86"})  # GB2312
            etree.SubElement(f, f"{{{W_NS}}}family", {f"{{{W_NS}}}val": family})
            etree.SubElement(f, f"{{{W_NS}}}pitch", {f"{{{W_NS}}}val": pitch})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number_paragraph(paragraph, odd: bool) -> None:
    """"— 1 —" in 4号 宋体: odd pages right with one character's space, even pages left."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p = paragraph._p
    for child in list(p):
        p.remove(child)
    ppr = _ppr(jc="right" if odd else "left", exact=False, snap=False, size_pt=14,
               right_chars=1 if odd else 0, left_chars=0 if odd else 1)
    ppr = ppr.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="MemoFooter"/>', 1)
    rpr = _rpr(SONGTI, 14)

    def run(inner: str) -> str:
        return f"<w:r>{rpr}{inner}</w:r>"

    xml = (f"<w:p {nsdecls('w')}>{ppr}"
           + run('<w:t xml:space="preserve">— </w:t>')
           + run('<w:fldChar w:fldCharType="begin"/>')
           + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
           + run('<w:fldChar w:fldCharType="separate"/>')
           + run("<w:t>1</w:t>")
           + run('<w:fldChar w:fldCharType="end"/>')
           + run('<w:t xml:space="preserve"> —</w:t>')
           + "</w:p>")
    for child in parse_xml(xml):
        p.append(child)


def _set_cell(cell, text: str, style: str, width: int, size_pt: float | None = None) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.shared import Pt, Twips

    cell.width = Twips(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.style = style
    if text:
        run = p.add_run(text)
        if size_pt:
            run.font.size = Pt(size_pt)


def _add_table(doc, headers: list[str], widths: list[int], loop: str, cells: list[str], left: int = 0,
               total: list[str] | None = None, split_rows: bool = False, first_pt: float | None = None) -> None:
    """A table across the type area (a width of 0 takes what the others leave): a header row
    repeated on every page, a row docxtpl repeats (``{%tr for <loop> %}``, its ``left`` cell
    left-aligned), and a 合计 row when ``total`` is given. Rows do not split across pages
    unless ``split_rows`` (a 类别 of 200 names is longer than one). ``first_pt``: the size of
    the repeated row's first cell, when not its style's."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    type_width = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
    widths = [type_width - sum(widths[1:]) if w == 0 else w for w in widths]
    table = doc.add_table(rows=4 + bool(total), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(w))
    rows = table.rows
    for i, (h, w) in enumerate(zip(headers, widths)):
        _set_cell(rows[0].cells[i], h, "表头", w)
        _set_cell(rows[1].cells[i], "{%tr for " + loop + " %}" if i == 0 else "", "表格文字", w)
        _set_cell(rows[2].cells[i], cells[i], "表格文字（左对齐）" if i == left else "表格文字", w,
                  first_pt if i == 0 else None)
        _set_cell(rows[3].cells[i], "{%tr endfor %}" if i == 0 else "", "表格文字", w)
        if total:
            _set_cell(rows[4].cells[i], total[i], "表头" if i == 0 else "表格文字", w)
    # Rows are at least 8 mm high; the header row repeats on every page. Children in schema
    # order: cantSplit, trHeight, tblHeader.
    for i, row in enumerate(rows):
        tr_pr = row._tr.get_or_add_trPr()
        if not (split_rows and i == 2):
            tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        tr_pr.append(parse_xml(f'<w:trHeight {nsdecls("w")} w:val="454" w:hRule="atLeast"/>'))
        if i == 0:
            tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    # 1 mm above and below too: a name on two lines touched the cell's borders (QA284); a row
    # of one line grows by about 1 mm in LibreOffice (the demo's 通报 keeps its five pages)
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{CELL_PAD}" w:type="dxa"/>'
                        f'<w:left w:w="{CELL_PAD}" w:type="dxa"/><w:bottom w:w="{CELL_PAD}" w:type="dxa"/>'
                        f'<w:right w:w="{CELL_PAD}" w:type="dxa"/></w:tblCellMar>')
    if layout is not None:
        layout.addnext(margins)
    else:
        tbl_pr.append(margins)
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(type_width))
        tbl_w.set(qn("w:type"), "dxa")


def _add_level1_table(doc) -> None:
    fields_ = ["name", "total", "done", "on_track", "lagging", "not_started", "not_reported", "done_pct"]
    # the first column takes what is left, its names in 五号 broken evenly (`LEVEL1_NAME_CHARS`)
    _add_table(doc, ["{{ level1_header }}", "任务数", "已完成", "序时\n推进", "滞后", "未启动", "未报送", "完成率"],
               [0, *LEVEL1_FIGURE_WS], "r in by_level1", ["{{ r.name_lines }}"]
               + ["{{ r." + f + " }}" for f in fields_[1:]],
               total=["{{ level1_total." + f + " }}" for f in fields_], first_pt=LEVEL1_NAME_PT)


def _add_appendix_table(doc) -> None:
    """An appendix's list by 类别: 序号, 类别 (six 12 pt characters: 县（市、区）), 单位数, the names."""
    _add_table(doc, ["序号", "类别", "单位数", "单位名称"], [700, 1554, 900, 0], "r in a.rows",
               ["{{ r.index }}", "{{ r.kind }}", "{{ r.count }}", "{{ r.names }}"], left=3, split_rows=True)


def write_default_template(path: Path) -> Path:
    """Build the shipped 月度通报.docx (GB/T 9704-2012 layout) at ``path``."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Twips

    doc = Document()
    # Word 2010 prefers stylesWithEffects.xml to styles.xml: drop python-docx's stale copy.
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.rels.pop(rid)
    # and its thumbnail, which Windows Explorer would show as this file's preview.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            doc.part.package.rels.pop(rid)
    _install_styles(doc)
    _install_settings(doc)
    _install_font_table(doc)

    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        from docx.oxml import OxmlElement

        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    _page_number_paragraph(section.footer.paragraphs[0], odd=True)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], odd=False)

    def para(text: str = "", style: str = "通报正文"):
        return doc.add_paragraph(text, style=style)

    def loop(open_tag: str, *lines: tuple[str, str], close: str = "{%p endfor %}") -> None:
        para(open_tag)
        for text, style in lines:
            para(text, style)
        para(close)

    def run_in(number_title: str, text: str, style: str = "通报正文") -> None:
        p = para("", style)
        p.add_run(number_title, style="二级标题字符（楷体）")
        p.add_run(text)

    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # python-docx's blank document starts empty; keep it that way
        body._p.getparent().remove(body._p)

    para("{{ title_lines }}", "通报标题")
    para("", "通报标题")
    para("{{ recipients }}", "主送机关")
    para("{{ intro }}")

    para("一、总体进展情况", "一级标题（黑体）")
    para("{{ overview_text }}")
    para("{{ period_label }}{{ level1_caption }}", "表题")
    _add_level1_table(doc)
    # the table has no 本期未下发 column: a task no lead was issued a form for is in 任务数 alone, and
    # its row did not add up with nothing said (QA383); a paragraph only in such a month
    note = "注：上表任务数含本期未向牵头单位下发填报表的任务{{ level1_total.not_issued }}项，未列入各状态。"
    loop("{%p if level1_total.not_issued %}", (note, "通报正文"), close="{%p endif %}")

    para("二、本期完成的任务", "一级标题（黑体）")
    para("{{ completed_text }}")
    loop("{%p for t in completed %}",
         ("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}，{{ lead_label }}：{{ t.leads_text }}）。", "通报正文"))

    def reasons() -> None:  # each unit's 存在问题 under a task of section 三
        loop("{%p for p in t.problems %}", ("{{ p.unit }}反映：{{ p.text }}", "通报正文"))

    para("三、滞后及超期任务", "一级标题（黑体）")
    para("{{ attention_text }}")
    para("{%p for t in attention %}")
    para("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}）", "三级标题（仿宋加粗）")
    para("{{ t.summary }}")
    reasons()
    # a task of many leads prints a few 反映 (`joint.reasons`): where the others are
    loop("{%p if t.problems_note %}", ("{{ t.problems_note }}", "通报正文"), close="{%p endif %}")
    para("{%p endfor %}")
    # the tasks on which a 配合 unit reported 滞后 while their leads did not: one sentence, reasons
    para("{%p if coop_lagging %}")
    para("{{ coop_lagging_text }}")
    para("{%p for t in coop_lagging %}")
    reasons()
    para("{%p endfor %}")
    para("{%p endif %}")

    para("四、报送情况", "一级标题（黑体）")
    para("{{ reporting_text }}")
    para("{%p for p in reporting_points %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}")
    para("{%p endfor %}")

    para("五、下月到期任务", "一级标题（黑体）")
    para("{{ due_next_text }}")
    loop("{%p for t in due_next %}",
         ("{{ loop.index }}．{{ t.name }}（任务{{ t.id }}，{{ lead_label }}：{{ t.leads_text }}，"
          "{{ t.status_text }}）。", "通报正文"))

    para("六、下一步工作要求", "一级标题（黑体）")
    para("{%p for p in requirements[:-1] %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}")
    para("{%p endfor %}")
    # The last point is kept on the page of 落款.
    para("{%p for p in requirements[-1:] %}")
    run_in("{{ p.number }}{{ p.title }}", "{{ p.text }}", "通报正文（与落款同页）")
    para("{%p endfor %}")

    para("", "通报正文（与落款同页）")
    # 附件说明 (GB/T 9704 §7.3.6): a line under the text, the 落款 a line under it
    para("{%p if appendices %}")
    para("{{ appendix_note }}", "通报正文（与落款同页）")
    para("", "通报正文（与落款同页）")
    para("{%p endif %}")
    para("{{ signature_pad }}{{ organiser }}", "落款")
    # the last line of the text: kept with nothing, so not with a 附件 on the next page
    para("{{ date_pad }}{{ issue_date_text }}", "落款").paragraph_format.keep_with_next = False

    # each 附件 on pages of its own (GB/T 9704 §8): 附件N on the first line, its title on the third
    para("{%p for a in appendices %}")
    para("附件{{ a.number }}", "附件标识")
    para("")
    para("{{ a.title }}", "通报标题")
    para("", "通报标题")
    _add_appendix_table(doc)
    para("{%p endfor %}")

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "月度通报模板", "duban", "duban"
    props.created = props.modified = dt.datetime(2022, 1, 1)
    props.revision = 1
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
