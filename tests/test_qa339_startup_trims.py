"""What `duban status` no longer imports reads as before (QA339, issue 19).

- duban.toml parsed once (`settings._parsed`): kept with its whole text, so an edit is read
  whatever the file's size and time say, and only what JSON gives back exactly is kept.
"""

from __future__ import annotations

import json
import os

import pytest

from toolkit.errors import BadConfig
from toolkit.settings import PARSED_NAME, read_settings


def test_duban_toml_is_parsed_again_whenever_its_text_changed(ws):
    config, kept = ws.root / "duban.toml", ws.state_dir / PARSED_NAME
    assert read_settings(config) and not kept.exists()  # no .duban/ yet (a fresh copy): nothing kept
    ws.state_dir.mkdir()  # as the ledger, the master's cache or the lock make it
    first = read_settings(config)
    assert kept.exists() and json.loads(kept.read_bytes())["text"] == config.read_text(encoding="utf-8")
    # the same size and the same modification time: read by its text, not by its stat
    stat = config.stat()
    text = config.read_text(encoding="utf-8")
    changed = text.replace("due_day = 5", "due_day = 7", 1)
    assert len(changed.encode()) == len(text.encode()) and changed != text
    config.write_text(changed, encoding="utf-8")
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (first.due_day, read_settings(config).due_day) == (5, 7)
    assert json.loads(kept.read_bytes())["text"] == changed
    # a damaged cache is parsed past; a broken duban.toml is refused as before
    kept.write_bytes(b"{not json")
    assert read_settings(config).due_day == 7
    config.write_text(changed.replace('name = "', 'name = ', 1), encoding="utf-8")
    with pytest.raises(BadConfig, match="格式有误"):
        read_settings(config)


def test_only_what_json_gives_back_exactly_is_kept(ws):
    config, kept = ws.root / "duban.toml", ws.state_dir / PARSED_NAME
    ws.state_dir.mkdir()  # as the ledger, the master's cache or the lock make it
    # an unknown section with a date and a decimal: ignored with a warning, and never cached
    config.write_text(config.read_text(encoding="utf-8") + "\n[later]\nsince = 2022-07-01\nratio = 0.5\n",
                      encoding="utf-8")
    settings = read_settings(config)
    assert any("[later]" in w for w in settings.warnings)
    assert not kept.exists()
    assert read_settings(config).warnings == settings.warnings
