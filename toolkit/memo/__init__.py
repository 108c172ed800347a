"""The monthly memo (通报): its context, template check, rendering and GB/T 9704 layout."""

from .context import MemoContext, build_context, render_markdown
from .gbt9704 import write_default_template
from .naming import memo_filename
from .render import for_libreoffice, render_docx
from .template_check import check_template

__all__ = ["MemoContext", "build_context", "check_template", "for_libreoffice", "memo_filename",
           "render_docx", "render_markdown", "write_default_template"]
