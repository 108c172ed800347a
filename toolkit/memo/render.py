"""Rendering a 通报: the docxtpl template filled with a `MemoContext`, and a copy for LibreOffice.

Rendering uses autoescape (departments type ``&`` and ``<``; without escaping docxtpl
writes broken XML that its recovering parser silently truncates) and StrictUndefined.
"""

from __future__ import annotations

from pathlib import Path

from .. import errors
from ..rectification import MEMO_CELLS, MEMO_HEADINGS
from .context import MemoContext, context_dict
from .gbt9704 import LO_CONDENSE, W_NS
from .template_check import has_appendices, scan_template, strict_body


def render_docx(ctx: MemoContext, template: Path, out: Path, scanned: bool = False) -> Path:
    """Fill ``template`` with ``ctx`` and save to ``out`` (autoescape, StrictUndefined).

    ``scanned``: `scan_template` already found nothing wrong with these very bytes (the
    caller remembers it by `scan_key`), so it is not run again.
    """
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, TemplateError, UndefinedError

    template = Path(template)
    missing = [] if scanned else scan_template(template)
    if missing:
        names = "、".join(dict.fromkeys(name for name, _ in missing))
        raise errors.BadTemplate(f"{missing[0][1]}用到了不存在的变量：{names}。可用的变量见 模板/README.md。")
    if ctx.appendices and not has_appendices(template):
        # the text says 名单见附件: without the appendix the names would be printed nowhere
        raise errors.BadTemplate(f"通报模板“{template.name}”没有附件部分（appendices），无法列出"
                                 f"{ctx.appendices[0].title}。请用软件自带的模板，或参照 模板/README.md 添加附件部分。")
    tpl = DocxTemplate(str(template))
    env = Environment(undefined=StrictUndefined, autoescape=True)
    context = context_dict(ctx)
    # The filled body is checked strictly as docxtpl builds it (`strict_body`): checking
    # it in a separate fill first rendered the body twice (30 ms of a 67 ms memo on W1).
    build_body = tpl.build_xml

    def checked_build_xml(context: dict, jinja_env=None) -> str:
        xml = build_body(context, jinja_env)
        strict_body(xml, template)
        return xml

    tpl.build_xml = checked_build_xml
    try:
        tpl.render(context, env, autoescape=True)
    except UndefinedError as exc:
        raise errors.BadTemplate(f"通报模板“{template.name}”用到了不存在的变量（{exc.message}）。"
                                 "可用的变量见 模板/README.md。") from exc
    except TemplateError as exc:
        raise errors.BadTemplate(f"通报模板“{template.name}”无法填写：{exc}。请用 duban memo --check-template "
                                 "检查模板。") from exc
    if ctx.rectification:
        _rectification_headings(tpl.docx)
    props = tpl.docx.core_properties
    props.title, props.author, props.subject = ctx.title, ctx.organiser, ctx.project
    tpl.save(str(out))
    return Path(out)


def _rectification_headings(doc) -> None:
    """A 整改清单's 通报: the template's headings of section 二, 三 and 五 as `MEMO_HEADINGS` says
    them (本期完成整改情况, not 本期完成的任务), and its table's 任务数 header (`MEMO_CELLS`) as
    the 汇总表's 总览 counts them. A heading the office reworded is its own. The template's own
    words only: the sentences filled in are made with the 整改清单's (`rectification.Words`)."""
    cells = ((p, MEMO_CELLS) for table in doc.tables for row in table.rows for cell in row.cells
             for p in cell.paragraphs)
    for p, words in [*((p, MEMO_HEADINGS) for p in doc.paragraphs), *cells]:
        new = words.get(p.text.strip())
        if new and p.runs:
            p.runs[0].text = new
            for run in p.runs[1:]:
                run.text = ""


def for_libreoffice(src: Path, dst: Path) -> Path:
    """A copy of the memo that LibreOffice lays out like Word: 28 characters a line.

    Word fits 28 3号 characters in the 156 mm line by shrinking the grid pitch (negative
    charSpace). LibreOffice never shrinks: a 16 pt character in a 15.8 pt grid cell takes
    two cells, halving the line. The copy keeps the line grid only and condenses every
    character by the same 0.25 pt through the document default, which LibreOffice honours.
    """
    import zipfile

    from lxml import etree

    w = f"{{{W_NS}}}"
    after_spacing = {w + n for n in ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
                                     "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout")}

    def patch_document(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for grid in root.iter(w + "docGrid"):
            if grid.get(w + "type") in ("linesAndChars", "snapToChars"):
                grid.set(w + "type", "lines")
                grid.attrib.pop(w + "charSpace", None)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def patch_styles(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        rpr = root.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr")
        if rpr is not None and rpr.find(w + "spacing") is None:
            spacing = etree.Element(w + "spacing", {w + "val": str(LO_CONDENSE)})
            later = next((i for i, child in enumerate(rpr) if child.tag in after_spacing), len(rpr))
            rpr.insert(later, spacing)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = patch_document(data)
            elif info.filename == "word/styles.xml":
                data = patch_styles(data)
            zout.writestr(info, data)
    return dst
