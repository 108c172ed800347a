"""Look and feel from ``templates/样式.toml``, so an office restyles without code.

Values missing from an edited file fall back to the shipped defaults, key by key.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import errors
from .resources import resource

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

STYLE_FILE = "样式.toml"
#: Status words renamed since a workspace's 样式.toml was copied: its colour for the old word
#: is the new word's (an on-time unit was 已报送 until December 2026, beside 已报送N个 in the
#: memo counting late units too).
RENAMED_STATUSES = {"已报送": "按时报送"}
#: Shipped values since changed, which a workspace's copy still holds though nobody chose them:
#: the form's locked fill was F2F2F2 until December 2026, barely darker than its white inputs on
#: screen or a black and white page (QA391). A workspace's copy with it takes the new one.
OLD_DEFAULTS = {("return", "locked_fill"): "F2F2F2"}


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
    """The shipped style, overlaid with ``path`` (a workspace's 样式.toml) when given.

    The result is shared between calls (a collect writes dozens of feedback workbooks):
    treat it as read-only.
    """
    own = Path(path) if path is not None and Path(path).exists() else None
    if own == resource("templates", STYLE_FILE):
        own = None
    return _load(own, own.stat().st_mtime_ns if own else 0)


@lru_cache(maxsize=8)
def _load(own: Path | None, _mtime: int) -> dict[str, Any]:
    style = _read(resource("templates", STYLE_FILE))
    if own is None:
        return style
    override = _read(own)
    for (table, key), old in OLD_DEFAULTS.items():
        section = override.get(table)
        if isinstance(section, dict) and color(section.get(key), "") == old:
            del section[key]
    fills = override.get("summary", {}).get("status_fills")
    if isinstance(fills, dict):
        for old, new in RENAMED_STATUSES.items():
            if old in fills and new not in fills:
                fills[new] = fills.pop(old)
    return _merge(style, override)


def color(value: object, default: str = "FFFFFF") -> str:
    s = str(value or "").strip().lstrip("#").upper()
    return s if len(s) == 6 and all(c in "0123456789ABCDEF" for c in s) else default
