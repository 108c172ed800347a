"""Checking a 通报 template before anything is rendered: unknown variables, broken tags.

The coordinator edits the template in Word; `check_template` names every variable the
template uses that `MemoContext` lacks, and any syntax error, with the paragraph in
Chinese. `check_body_xml` catches tags that would break the document's XML.
"""

from __future__ import annotations

import contextlib
import re
import typing
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any

from .. import errors
from .context import MemoContext, context_dict

_ANY = object()  # type of an expression the checker cannot follow: anything goes
_JINJA_NAMES = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller",
                "true", "false", "none", "True", "False", "None"}
_BLOCK_TAGS = ("for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans")


@dataclass
class _Paragraph:
    part: str  # 正文 / 页眉 / 页脚
    number: int  # 1-based within its part
    text: str


def _template_paragraphs(path: Path) -> list[list[_Paragraph]]:
    """Paragraph texts of the body, headers and footers, as the coordinator sees them."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    if not path.exists():
        raise errors.FileMissing(f"找不到通报模板“{path}”。")
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a non-docx file
        raise errors.BadTemplate(f"通报模板“{path.name}”无法打开（{type(exc).__name__}），"
                                 "请确认它是用 Word 保存的 .docx 文件。") from exc

    def texts(root, part: str) -> list[_Paragraph]:
        out = []
        for i, p in enumerate(root.iter(qn("w:p")), 1):
            s = "".join(t.text or "" for t in p.iter(qn("w:t")))
            out.append(_Paragraph(part, i, s))
        return out

    parts = [texts(doc.element.body, "正文")]
    for rel in doc.part.rels.values():
        if rel.is_external:
            continue
        label = {RT.HEADER: "页眉", RT.FOOTER: "页脚"}.get(rel.reltype)
        if label:
            parts.append(texts(parse_xml(rel.target_part.blob), label))
    return parts


def _jinja_source(paragraphs: list[_Paragraph]) -> str:
    """One line per paragraph, docxtpl's tag extensions turned into plain jinja, so a
    syntax error's line number is the paragraph's number."""
    lines = []
    for p in paragraphs:
        s = p.text.replace("\n", " ")
        s = re.sub(r"(\{[%{#])(?:tr|tc|p|r)\s", r"\1 ", s)
        s = re.sub(r"\{%\s*(?:vm|hm)\s*%\}", "", s)
        s = re.sub(r"\{%\s*(?:colspan|cellbg)\s+(.*?)%\}", r"{{ \1 }}", s)

        def straight(m: re.Match) -> str:
            return m.group(0).replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")

        s = re.sub(r"\{[{%#].*?[}%#]\}", straight, s)
        lines.append(s)
    return "\n".join(lines)


def _where(path: Path, p: _Paragraph) -> str:
    snippet = p.text.strip()
    if len(snippet) > 40:
        snippet = snippet[:40] + "…"
    place = "" if p.part == "正文" else p.part
    return f"通报模板“{path.name}”{place}第 {p.number} 段（内容：“{snippet}”）"


def _unbalanced(paragraphs: list[_Paragraph]) -> tuple[_Paragraph, str] | None:
    """A paragraph whose tag is opened and not closed in it (``{{ x`` or ``{% if x``)."""
    for p in paragraphs:
        for opener, closer, shown in (("{{", "}}", "{{ … }}"), ("{%", "%}", "{% … %}")):
            if p.text.count(opener) > p.text.count(closer):
                return p, f"标签没有闭合：有“{opener}”却缺少对应的“{closer}”（应写成 {shown}）"
    return None


def _unclosed_block(env, source: str) -> tuple[int, str] | None:
    """(line, tag) of the innermost block tag never closed, e.g. ``{% if %}`` without endif."""
    stack: list[tuple[int, str]] = []
    tokens = list(env.lex(source))
    for i, (lineno, kind, _value) in enumerate(tokens):
        if kind != "block_begin":
            continue
        nxt = next(((ln, k, v) for ln, k, v in tokens[i + 1:] if k != "whitespace"), None)
        if nxt is None or nxt[1] != "name":
            continue
        word = nxt[2]
        if word in _BLOCK_TAGS:
            stack.append((lineno, word))
        elif word.startswith("end") and stack and stack[-1][1] == word[3:]:
            stack.pop()
    return stack[-1] if stack else None


def _syntax_message(env, exc, source: str) -> tuple[int | None, str]:
    """(line, Chinese description) for a jinja TemplateSyntaxError."""
    msg = str(exc.message or exc)
    if "Unexpected end of template" in msg or "unexpected end of template" in msg:
        opened = _unclosed_block(env, source)
        if opened:
            line, tag = opened
            return line, f"标签 {{% {tag} … %}} 没有对应的结束标签 {{% end{tag} %}}"
        return exc.lineno, "模板意外结束，有标签没有结束"
    m = re.search(r"Encountered unknown tag '(\w+)'", msg)
    if m:
        word = m.group(1)
        if word.startswith("end") or word in ("else", "elif"):
            return exc.lineno, f"标签 {{% {word} %}} 前面没有与之对应的开始标签"
        return exc.lineno, f"无法识别的标签“{word}”"
    m = re.search(r"No (filter|test) named '(\w+)'", msg)
    if m:
        return exc.lineno, f"不存在名为“{m.group(2)}”的{'过滤器' if m.group(1) == 'filter' else '判断'}"
    return exc.lineno, f"标签写法有误（{msg}）"


def scan_template(path: Path) -> list[tuple[str, str]]:
    """[(variable, where)] used by the template and missing from MemoContext.
    Raises BadTemplate for a syntax error, naming the paragraph."""
    from jinja2 import Environment, StrictUndefined, TemplateSyntaxError

    env = Environment(undefined=StrictUndefined, autoescape=True)
    missing: list[tuple[str, str]] = []
    for paragraphs in _template_paragraphs(path):
        if not paragraphs:
            continue
        bad = _unbalanced(paragraphs)
        if bad:
            raise errors.BadTemplate(f"{_where(path, bad[0])}有误：{bad[1]}。请在 Word 中改正后重试。")
        source = _jinja_source(paragraphs)
        try:
            ast = env.parse(source)
            env.compile(source)  # also finds unknown filters and tests
        except TemplateSyntaxError as exc:
            line, desc = _syntax_message(env, exc, source)
            if line and 1 <= line <= len(paragraphs):
                raise errors.BadTemplate(f"{_where(path, paragraphs[line - 1])}有误：{desc}。请在 Word 中改正后重试。")
            raise errors.BadTemplate(f"通报模板“{path.name}”有误：{desc}。请在 Word 中改正后重试。")
        checker = _Checker(_root_types())
        checker.block(ast.body, {})
        for name, line in checker.missing:
            p = paragraphs[line - 1] if line and 1 <= line <= len(paragraphs) else None
            missing.append((name, _where(path, p) if p else f"通报模板“{path.name}”"))
    return missing


def check_template(path: Path) -> list[str]:
    """Names of variables the template uses that MemoContext lacks ([] when fine), such as
    ``"task_count"`` or ``"t.nmae"``. A syntax error raises BadTemplate naming the paragraph;
    so does a template that would fill into broken XML (checked with sample values)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, TemplateError

    path = Path(path)
    seen: list[str] = []
    for name, _ in scan_template(path):
        if name not in seen:
            seen.append(name)
    if not seen:
        # A runtime error with sample values (e.g. a filter on a number) is not the
        # template's fault; the names are fine, so only broken XML is reported.
        with contextlib.suppress(TemplateError):
            check_body_xml(DocxTemplate(str(path)), context_dict(_sample_context()),
                            Environment(undefined=StrictUndefined, autoescape=True), path)
    return seen


def _sample_context() -> MemoContext:
    """A MemoContext with one item in every list, for trying a template out."""
    samples: dict[Any, Any] = {str: "示例", int: 1, bool: True}

    def value(tp: Any) -> Any:
        if typing.get_origin(tp) is list:
            return [value(typing.get_args(tp)[0])]
        if isinstance(tp, type) and is_dataclass(tp):
            return tp(**{k: value(v) for k, v in typing.get_type_hints(tp).items()})
        return samples.get(tp, "示例")

    return value(MemoContext)


def _root_types() -> dict[str, Any]:
    return typing.get_type_hints(MemoContext)


def _element_type(tp: Any) -> Any:
    if typing.get_origin(tp) is list:
        args = typing.get_args(tp)
        return args[0] if args else _ANY
    return _ANY


class _Checker:
    """Walks a jinja AST, following loop variables through MemoContext's field types, and
    records names and attributes that do not exist (``t.nmae`` inside ``for t in attention``)."""

    def __init__(self, roots: dict[str, Any]):
        self.roots = roots
        self.missing: list[tuple[str, int]] = []

    def block(self, body: list, scope: dict[str, Any]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, _element_type(self.expr(node.iter, scope)), inner)
            inner["loop"] = _ANY
            if node.test is not None:
                self.expr(node.test, inner)
            self.block(node.body, inner)
            self.block(node.else_, dict(scope))
        elif isinstance(node, nodes.Assign):
            tp = self.expr(node.node, scope)
            self.bind(node.target, tp, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.block(node.body, dict(scope))
            self.bind(node.target, _ANY, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope), inner)
            self.block(node.body, inner)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _ANY
            for d in node.defaults:
                self.expr(d, scope)
            inner["caller"] = _ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
            else:
                self.expr(node.call, scope)
            self.block(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def bind(self, target, tp: Any, scope: dict[str, Any]) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            scope[target.name] = tp
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _ANY, scope)

    def report(self, name: str, node) -> None:
        self.missing.append((name, node.lineno))

    def expr(self, node, scope: dict[str, Any]) -> Any:
        """Visit an expression; return its type (a MemoContext field type) or _ANY."""
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return _ANY
            if node.name in scope:
                return scope[node.name]
            if node.name in self.roots:
                return self.roots[node.name]
            if node.name not in _JINJA_NAMES:
                self.report(node.name, node)
            return _ANY
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            base = self.expr(node.node, scope)
            if isinstance(node, nodes.Getattr):
                attr = node.attr
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                attr = node.arg.value
            else:
                self.expr(node.arg, scope)
                return base if isinstance(node.arg, nodes.Slice) else _element_type(base)
            if isinstance(base, type) and is_dataclass(base):
                hints = typing.get_type_hints(base)
                if attr in hints:
                    return hints[attr]
                self.report(f"{_dotted(node.node)}.{attr}", node)
            return _ANY
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.visit(child, scope)
        return _ANY


def _dotted(node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        value = node.arg.value
        return f"{_dotted(node.node)}.{value}" if isinstance(value, str) else f"{_dotted(node.node)}[{value}]"
    return "…"


def check_body_xml(tpl, context: dict[str, Any], env, template: Path) -> None:
    """docxtpl parses the filled body with a recovering parser, which silently drops
    everything after broken XML (a plain {% %} tag spanning paragraphs does that). Parse it
    strictly first, so a broken template is reported instead of half a memo."""
    tpl.render_init()
    strict_body(tpl.build_xml(context, env), template)


def strict_body(xml: str, template: Path) -> None:
    """Raise BadTemplate when the filled body ``xml`` is not well-formed (see check_body_xml)."""
    from lxml import etree

    try:
        etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise errors.BadTemplate(
            f"通报模板“{template.name}”填写后的文档结构损坏。通常是因为跨段落或表格行的标签"
            "没有写成 {%p … %} 或 {%tr … %}，请参照 模板/README.md 修改。") from exc


def has_appendices(path: Path) -> bool:
    """Whether the template prints ``appendices`` after the memo (``{%p for a in appendices %}``,
    as the shipped one since 附件 came): an office's own template made before has no place for
    them, and a list moved out of the text into one would be named nowhere. A template that
    cannot be read has none."""
    return re.search(r"\bin\s+appendices\b", _body_text(path)) is not None


def has_problems_note(path: Path) -> bool:
    """Whether the template prints ``t.problems_note`` (the shipped one since `joint.reasons`
    came): one made before prints every 反映 of a task, none being left out with nothing said."""
    return re.search(r"\bproblems_note\b", _body_text(path)) is not None


def says_one_due(path: Path) -> bool:
    """Whether the template states the period's deadline by ``due_date_text`` alone, with
    neither ``due_text`` nor ``own_dues``: made before a unit could have its own (`issue --dept
    … --due`), it tells that unit the others' date."""
    body = _body_text(path)
    return re.search(r"\bdue_date_text\b", body) is not None and re.search(r"\b(due_text|own_dues)\b", body) is None


def _body_text(path: Path) -> str:
    """The template body's text, runs joined (Word splits a tag across runs); "" when it
    cannot be read."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    return re.sub(r"<[^>]*>", "", xml)


def scan_key(data: bytes) -> str:
    """What a clean `scan_template` result depends on: the template's bytes, the variables
    MemoContext offers down to the fields of its list items (a new duban may add, rename or
    drop some), and this module's rules (its own source)."""
    import hashlib

    h = hashlib.sha256(data + b"\0" + _variables().encode("utf-8"))
    with contextlib.suppress(OSError, TypeError):  # no source beside the module: variables only
        h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _variables() -> str:
    """Every name a template can reach, nested dataclasses included, as one text."""
    seen: list[str] = []

    def walk(tp: Any, prefix: str) -> None:
        tp = _element_type(tp) if typing.get_origin(tp) is list else tp
        if isinstance(tp, type) and is_dataclass(tp) and prefix.count(".") < 4:
            for name, sub in typing.get_type_hints(tp).items():
                seen.append(f"{prefix}{name}:{sub!r}")
                walk(sub, f"{prefix}{name}.")

    for name, tp in _root_types().items():
        seen.append(f"{name}:{tp!r}")
        walk(tp, f"{name}.")
    return "\n".join(sorted(seen))
