"""duban.toml messages name the line to fix, though the line is looked up only for a message;
`LazyPattern` behaves as the compiled pattern it stands for."""

from __future__ import annotations

import re

import pytest

from toolkit.errors import BadConfig
from toolkit.settings import read_settings
from toolkit.text import LazyPattern

CONFIG = """\
[project]
name = "某某专项行动"
due_day = 5

[limits]
max_rows = {max_rows}
{extra}
"""


def message(tmp_path, **fields) -> str:
    path = tmp_path / "duban.toml"
    path.write_text(CONFIG.format(**{"max_rows": 5000, "extra": "", **fields}), encoding="utf-8")
    with pytest.raises(BadConfig) as caught:
        read_settings(path)
    return str(caught.value)


def test_a_value_out_of_range_names_its_line(tmp_path) -> None:
    path = tmp_path / "duban.toml"
    assert message(tmp_path, max_rows=0) == (f"配置文件 {path} 第 6 行：[limits] 的 max_rows = 0 超出范围："
                                             "应为 1—1000000000 的整数（安全限制）。")


def test_a_value_of_the_wrong_kind_names_its_line(tmp_path) -> None:
    assert "第 6 行：[limits] 的 max_rows = \"很多\" 不对" in message(tmp_path, max_rows='"很多"')


def test_an_unknown_key_names_its_line(tmp_path) -> None:
    path = tmp_path / "duban.toml"
    path.write_text(CONFIG.format(max_rows=5000, extra="max_row = 10"), encoding="utf-8")
    (warning,) = read_settings(path).warnings  # ignored, not refused (a newer duban's key, or a typo)
    assert "第 7 行：[limits] 中的“max_row”这一项不认识，已忽略" in warning and "是否是“max_rows”" in warning


def test_a_good_file_reads(tmp_path) -> None:
    path = tmp_path / "duban.toml"
    path.write_text(CONFIG.format(max_rows=300, extra=""), encoding="utf-8")
    settings = read_settings(path)
    assert settings.name == "某某专项行动" and settings.limits.max_rows == 300


def test_lazy_pattern_acts_as_the_compiled_one() -> None:
    source = r"(?P<n>\d+)号"
    lazy, compiled = LazyPattern(source), re.compile(source)
    assert "match" not in vars(lazy)  # nothing compiled yet
    text = "第3号和第12号"
    assert lazy.search(text).group("n") == compiled.search(text).group("n") == "3"
    assert "match" in vars(lazy)  # bound after the first use
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("#", text) == compiled.sub("#", text)
    assert lazy.split(text) == compiled.split(text)
    assert lazy.fullmatch("7号") and not lazy.match("号")
    assert lazy.groupindex == compiled.groupindex and lazy.pattern == source
