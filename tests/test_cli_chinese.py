"""click's own words reach the coordinator in Chinese: usage lines, errors, help headings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

from toolkit import click_zh


def test_a_mistyped_command_is_answered_in_chinese(run, tmp_path):
    result = run(["colect"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ("用法： cli [选项] 命令 [参数]...\n"
                             "运行“cli --help”查看帮助。\n\n"
                             "错误：没有 'colect' 这个命令。 是不是要用 'collect'？\n")


def test_a_wrong_choice_and_a_missing_value_are_answered_in_chinese(run, tmp_path):
    wrong = run(["status", "--format", "xml"], cwd=tmp_path)
    assert wrong.exit_code == 2
    assert wrong.stderr.splitlines()[-1] == "错误：'--format' 的值不对：'xml' 不是可选的值，可选：'table', 'json', 'csv'。"
    missing = run(["status", "--period"], cwd=tmp_path)
    assert missing.stderr.splitlines()[-1] == "错误：选项 '--period' 后面需要写一个值。"
    date = run(["collect", "--received", "7月4日"], cwd=tmp_path)
    assert date.stderr.splitlines()[-1] == "错误：'--received' 的值不对：“7月4日”不是日期，请写成 2022-07-04 这样的格式。"
    nothing = run(["check"], cwd=tmp_path)
    assert nothing.exit_code == 2
    assert nothing.stderr == ("用法： cli check [选项] 文件...\n"
                              "运行“cli check --help”查看帮助。\n\n"
                              "错误：缺少参数 '文件...'。\n")
    assert run(["master", "import"], cwd=tmp_path).stderr.splitlines()[-1] == "错误：缺少参数 '分工表'。"


def test_options_are_read_as_click_reads_them(run, tmp_path):
    """`cli.base._ShortOptionsParser` takes a short option for one without click's long-option
    try first: what is read, and every error with its suggestion, is as click gives it."""
    mistyped = run(["status", "--perod", "2022-06"], cwd=tmp_path)
    assert mistyped.exit_code == 2
    assert mistyped.stderr.splitlines()[-1] == "错误：没有 '--perod' 这个选项。 是不是要用 '--period'？"
    several = run(["status", "--fo"], cwd=tmp_path)
    assert several.stderr.splitlines()[-1] == "错误：没有 '--fo' 这个选项。 （是不是要用以下之一：'--force', '--format', '--out'？）"
    assert run(["status", "-x"], cwd=tmp_path).stderr.splitlines()[-1] == "错误：没有 '-x' 这个选项。"
    assert run(["-z", "status"], cwd=tmp_path).stderr.splitlines()[-1] == "错误：没有 '-z' 这个选项。"
    assert run(["status", "-o"], cwd=tmp_path).stderr.splitlines()[-1] == "错误：选项 '-o' 后面需要写一个值。"
    # short options joined, a value joined, the long form with =: one workspace, read the same
    for args in (["-qw", str(tmp_path / "无"), "status"], ["-w" + str(tmp_path / "无"), "-q", "status"],
                 [f"--workspace={tmp_path / '无'}", "--quiet", "status"]):
        assert run(args, cwd=tmp_path).stderr.startswith(f"错误：在 {tmp_path / '无'} 中找不到工作区"), args


def test_help_has_no_english_of_click(run, tmp_path):
    for args in (["--help"], ["collect", "--help"], ["mail", "--help"], ["mail", "send", "--help"],
                 ["sender", "--help"], ["received", "--help"]):
        text = run(args, cwd=tmp_path).stdout
        assert text.startswith("用法： cli")  # CliRunner names the program "cli"
        assert "显示本帮助后退出。" in text
        for english in ("Usage", "Options", "Commands", "Show this message", "[OPTIONS]", "[ARGS]", "default:",
                        "required"):
            assert english not in text, (args, english)


def test_every_text_click_marks_for_translation_is_in_the_catalog():
    """A click upgrade that adds a message fails here, not on a coordinator's screen."""
    singles, plurals = set(), set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id == "_" and texts:
                    singles.add(texts[0])
                elif node.func.id == "ngettext" and len(texts) == 2:
                    plurals.add(tuple(texts))
    # programmer errors (bad decorators) and shell-completion notes never reach a coordinator
    internal = re.compile(r"declaration|defined twice|Could not determine name|No options defined|"
                          r"Boolean option|DeprecationWarning|Bash|Unknown color|standard stream|"
                          r"Windows error|Editing failed|Choice\(|^d$")
    missing = {t for t in singles if t not in click_zh.CATALOG and not internal.search(t)}
    assert not missing
    assert plurals <= set(click_zh.PLURALS)


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_help_columns_line_up_in_display_columns(run, tmp_path):
    """A Chinese metavar (文件, 单位) is two columns a character: counted as one, it pushed its
    option's help two columns right of the others'. No help line runs past 80 columns."""
    from toolkit.cli import cli
    from toolkit.text import display_width

    for path in [(), *_commands(cli)]:
        text = run([*path, "--help"], cwd=tmp_path).stdout
        assert all(display_width(line) <= 80 for line in text.splitlines()), path
        # arguments are named in Chinese in the usage line too (not FILES..., FOLDER, WHAT)
        assert not re.search(r"[A-Z]{2,}", text.splitlines()[0]), (path, text.splitlines()[0])
        for section in re.split(r"\n(?=\S)", text):
            if not section.startswith(("选项", "命令")):
                continue
            rows = [line for line in section.splitlines()[1:] if line.strip()]
            starts = set()
            for line in rows:
                first = re.match(r"  (\S+(?: \S+)*?)( {2,})\S", line)
                if first:  # a term and its help on one line
                    starts.add(display_width(line[:first.end() - 1]))
                else:      # a continuation line, or a term too long for the column
                    indent = len(line) - len(line.lstrip())
                    assert indent == 2 or indent in starts or not starts, (path, line)
            assert len(starts) <= 1, (path, section)
    # a docstring's line break inside Chinese text joins without a space
    assert "责任部门，拆分" in run(["master", "import", "--help"], cwd=tmp_path).stdout


def test_wrap_display_breaks_chinese_by_columns_and_keeps_punctuation_in_place():
    from toolkit.text import display_width, wrap_display

    text = "收取报送：处理收件箱中的文件、邮件（.eml/.msg）和压缩包（.zip/.7z/.rar）。然后运行 duban collect。"
    for width in range(20, 60):
        lines = wrap_display(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert display_width(line) <= width + 2  # a closing mark may overhang
            assert line[:1] not in "，。、）" and line[-1:] not in "（“"
    assert wrap_display("输出格式  [默认：table]", 60) == ["输出格式  [默认：table]"]
    assert wrap_display("", 10) == [""]
