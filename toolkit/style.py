"""Look and feel from ``templates/样式.toml``, so an office restyles without code.

Values missing from an edited file fall back to the shipped defaults, key by key.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from . import errors
from .resources import resource

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STYLE_FILE = "样式.toml"


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in override.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise errors.BadTemplate(f"样式文件 {path} 格式有误（{exc}）。") from exc


def load_style(path: Path | None = None) -> dict[str, Any]:
    """The shipped style, overlaid with ``path`` (a workspace's 样式.toml) when given."""
    style = _read(resource("templates", STYLE_FILE))
    if path is not None and Path(path).exists() and Path(path) != resource("templates", STYLE_FILE):
        style = _merge(style, _read(Path(path)))
    return style


def color(value: object, default: str = "FFFFFF") -> str:
    s = str(value or "").strip().lstrip("#").upper()
    return s if len(s) == 6 and all(c in "0123456789ABCDEF" for c in s) else default
