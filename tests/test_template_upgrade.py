"""An upgrade puts today's templates on disk where the office never edited the old ones
(`shipped_templates.refresh_templates`, run by 0-首次安装 through `kit.refresh_scripts`): the
office opening 模板/月度通报.docx to edit it edited an earlier version, whose missing parts its
edited copy then lost, and 模板/README.md listed old variables. Edited copies are never touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit import shipped_templates
from toolkit.actions.kit import refresh_scripts
from toolkit.resources import resource
from toolkit.workspace import EDITABLE_TEMPLATES, SUPERSEDED_TEMPLATES


def _workspace(tmp_path, templates="模板"):
    (tmp_path / "duban.toml").write_text(f'[paths]\ntemplates = "{templates}"\n', encoding="utf-8")
    folder = tmp_path / templates
    folder.mkdir()
    return folder


def _old(monkeypatch, folder, name, data: bytes):
    """``name`` in ``folder`` as an earlier version shipped it (its fingerprint listed)."""
    (folder / name).write_bytes(data)
    monkeypatch.setitem(SUPERSEDED_TEMPLATES, name, frozenset({hashlib.sha256(data).hexdigest()}))


def test_an_unedited_old_template_is_replaced_an_edited_one_kept(tmp_path, monkeypatch):
    folder = _workspace(tmp_path)
    _old(monkeypatch, folder, "月度通报.docx", "an earlier 通报 template".encode())
    _old(monkeypatch, folder, "README.md", "旧的模板说明".encode())
    (folder / "下发邮件.txt").write_text("办公室改过的下发邮件", encoding="utf-8")

    written = refresh_scripts(tmp_path)

    for name in ("月度通报.docx", "README.md"):
        assert (folder / name).read_bytes() == resource("templates", name).read_bytes(), name
        assert folder / name in written
    assert (folder / "下发邮件.txt").read_text(encoding="utf-8") == "办公室改过的下发邮件"
    assert folder / "下发邮件.txt" not in written
    assert not list(folder.glob(".~duban-*"))
    assert refresh_scripts(tmp_path)[-1].suffix != ".md", "replaced once: today's is no earlier version"


def test_the_templates_folder_duban_toml_names(tmp_path, monkeypatch):
    folder = _workspace(tmp_path, "我的模板")
    _old(monkeypatch, folder, "README.md", b"old guide")
    refresh_scripts(tmp_path)
    assert (folder / "README.md").read_bytes() == resource("templates", "README.md").read_bytes()


def test_a_duban_toml_it_cannot_read_gets_its_scripts_and_keeps_its_templates(tmp_path, monkeypatch):
    folder = _workspace(tmp_path)
    _old(monkeypatch, folder, "README.md", b"old guide")
    (tmp_path / "duban.toml").write_text("[paths\n", encoding="utf-8")
    written = refresh_scripts(tmp_path)
    assert (tmp_path / "1-下发填报表.sh").exists() and folder / "README.md" not in written
    assert (folder / "README.md").read_bytes() == b"old guide"


def test_a_template_that_cannot_be_written_is_left_as_it_was(tmp_path, monkeypatch):
    """A full disk (or a locked file) mid-copy: the old template stays whole, no temporary left."""
    import errno
    import shutil

    folder = _workspace(tmp_path)
    _old(monkeypatch, folder, "README.md", b"old guide")

    def full(source, target):
        Path(target).write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    assert shipped_templates.refresh_templates(folder) == []
    assert (folder / "README.md").read_bytes() == b"old guide" and sorted(p.name for p in folder.iterdir()) == ["README.md"]


def test_every_earlier_readme_is_listed_and_none_is_todays():
    """The guide's 29 earlier versions (git log templates/README.md); a list holding today's
    template would replace it by itself, and say an office's unedited copy was old."""
    assert len(SUPERSEDED_TEMPLATES["README.md"]) >= 29
    for name, known in SUPERSEDED_TEMPLATES.items():
        assert name in EDITABLE_TEMPLATES, name
        assert hashlib.sha256(resource("templates", name).read_bytes()).hexdigest() not in known, name
