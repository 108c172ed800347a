"""Files shipped with duban: templates/ and workbooks/.

In a source checkout they sit beside the package; a wheel installs them as the
``toolkit._templates`` and ``toolkit._workbooks`` package folders (see setup.cfg).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = {"templates": _PACKAGE / "_templates", "workbooks": _PACKAGE / "_workbooks"}


def resource_dir(kind: str) -> Path:
    """The shipped ``templates`` or ``workbooks`` folder."""
    installed = _INSTALLED[kind]
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / kind


def resource(kind: str, name: str) -> Path:
    """Path of one shipped file, e.g. ``resource("templates", "月度通报.docx")``."""
    return resource_dir(kind) / name
