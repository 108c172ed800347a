"""The README is part of the product: its commands, code table and CI hook stay true."""

from __future__ import annotations

import re

from conftest import ROOT

from toolkit.cli import cli
from toolkit.report import CODES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_lines_are_the_two_commands():
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert block[0].startswith("python3 -m pip install . && duban demo")
    assert block[1].startswith('python3 -m pip install ".[test,msg]" && python3 -m pytest')
    assert README.index("```bash") < README.index("## ")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "# 安装并运行全部测试" in ci and "libreoffice-calc libreoffice-writer" in ci
    assert README.count("# 安装并运行全部测试") == 1
    # every real component the tests use is installed, and a missing one fails rather than skips
    for package in ("dovecot-imapd", "dovecot-lmtpd", "p7zip-full", "libarchive-tools", "shellcheck", "wine64",
                    "gcc-mingw-w64-x86-64-win32", "locales", "poppler-utils", "fonts-noto-cjk"):
        assert f" {package}" in ci, package
    assert "export DUBAN_REQUIRE_TOOLS=1" in ci and "export DUBAN_REQUIRE_MAIL_SERVERS=1" in ci


def test_every_code_is_listed_with_its_severity():
    for code in CODES.values():
        assert re.search(rf"^\| {code.code} \| {code.severity} \| {re.escape(code.title)}", README, re.M), code.code


def test_every_command_is_documented():
    def names(group, prefix="duban"):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if hasattr(command, "commands"):
                yield from names(command, f"{prefix} {name}")

    reference = README[README.index("## 命令参考"):README.index("## 校验规则")]
    for name in names(cli):
        assert f"`{name}" in reference, name


def test_exit_codes_and_what_the_scripts_say_for_each():
    """The README's exit-code table names every code the CLI uses and the scripts' words for it."""
    import toolkit.cli

    table = README[README.index("### 退出码"):README.index("## 校验规则")]
    documented = dict(re.findall(r"^\| (\d+) \| [^|]+ \| (【[^】]+】)", table, re.M))
    assert set(documented) == {"0", "1", "2", "3", "4", "130"}
    for code in documented:
        assert code in toolkit.cli.__doc__
    common = (ROOT / "workbooks" / "_公共.sh").read_text(encoding="utf-8")
    for code, label in documented.items():
        assert f'{code}) echo "{label}' in common, (code, label)


def test_screenshots_exist():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).exists(), image


def test_every_promise_names_a_test_that_exists():
    section = README[README.index("## What duban promises"):README.index("## Performance")]
    current = None
    named = 0
    for m in re.finditer(r"`(?:(test_\w+\.py))?::(test_\w+)`", section):
        current = m.group(1) or current
        assert current, m.group(0)
        assert f"def {m.group(2)}(" in (ROOT / "tests" / current).read_text(encoding="utf-8"), m.group(0)
        named += 1
    assert named >= 20
