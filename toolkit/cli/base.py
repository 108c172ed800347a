"""CLI plumbing: the shared state, the group, output helpers and option types.

`toolkit.cli` is the only package that imports click, prints or exits (docs/design.md).
Exceptions from the library become one Chinese line on stderr in `DubanGroup` (``--debug``
shows the traceback). Exit codes: 0 ok, 1 finished but problems need attention, 2 usage or
unusable input, 3 internal error (a bug), 4 another run holds the workspace, 130 interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import re
import sys
import time
from typing import TYPE_CHECKING

import click

from .. import __version__, click_zh, errors, run_log
from ..dates import parse_date
from ..period import Period
from ..text import display_width, wrap_display

if TYPE_CHECKING:
    from ..report import Issue



def _speak_chinese() -> None:
    """Give click's own texts (usage, errors, help headings) in Chinese: click binds
    gettext's ``_``/``ngettext`` in each module at import, so each binding is replaced."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = click_zh.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = click_zh.ngettext

    # "缺少参数 '文件...'." : click puts an ASCII stop after the quoted hint, outside its
    # catalog; the Chinese sentence ends in 。
    missing = click.exceptions.MissingParameter
    if not getattr(missing.format_message, "_duban", False):
        english = missing.format_message

        def format_message(self) -> str:
            return english(self).replace("'.", "'。", 1)

        format_message._duban = True  # type: ignore[attr-defined]
        missing.format_message = format_message  # type: ignore[method-assign]


_speak_chinese()


# ---------------------------------------------------------------------------
# plumbing


class State:
    """Options shared by every command."""

    def __init__(self, workspace: str | None, debug: bool, quiet: bool):
        self.workspace_dir = workspace
        self.debug = debug
        self.quiet = quiet
        self.exit_code = 0
        self._ws = None
        self.log_file: run_log.RunLog | None = None

    def workspace(self):
        if self._ws is None:
            # deferred: `workspace` (settings, the master's model, report) is for the commands
            # that open one; loading the monthly commands (`import toolkit.cli.app`) had it loaded
            # for each, 97 M of that import's 343 M instructions (callgrind, with `interrupts`')
            from ..workspace import find_workspace

            self._ws = find_workspace(self.workspace_dir, explicit=self.workspace_dir is not None)
            self._ws.ensure_folders()
            self._ws.check_ledger()
            self.log_file = _start_log(self._ws)
            _echo_setting_warnings(self)
        return self._ws

    @contextlib.contextmanager
    def locked(self):
        """The workspace, held with the run lock for the whole command."""
        ws = self.workspace()
        with ws.lock():
            yield ws

    def progress(self, items, label: str):
        """Wrap an iterable in a progress bar on stderr, unless quiet or not a terminal."""
        items = list(items)
        if self.quiet or not sys.stderr.isatty() or len(items) < 2:
            return items
        return _ProgressIter(items, label)


class _ProgressIter:
    def __init__(self, items, label):
        self.items, self.label = items, label

    def __iter__(self):
        with click.progressbar(self.items, label=self.label, file=sys.stderr,
                               show_pos=True, width=30) as bar:
            yield from bar

    def __len__(self):
        return len(self.items)


def _start_log(ws) -> run_log.RunLog | None:
    """Append this run to 日志/duban.log, which a coordinator can send when asking for help."""
    try:
        ws.log_path.parent.mkdir(parents=True, exist_ok=True)
        opened = run_log.start(ws.log_path, ws.tz)
    except OSError:
        return None
    log.info("运行：duban %s", " ".join(sys.argv[1:]))
    return opened


_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}  # the logging package's numbers


class _LogLines:
    """The CLI's own lines in the run's log: through the library's logger once a command has
    loaded it (`logs`: to the root logger too, as every record), else straight to the file
    (`run_log`, which says why), with the logger's levels, DEBUG not kept."""

    def debug(self, msg: str, *args: object, exc_info: object = None) -> None:
        self._line("DEBUG", msg, args, exc_info)

    def info(self, msg: str, *args: object, exc_info: object = None) -> None:
        self._line("INFO", msg, args, exc_info)

    def warning(self, msg: str, *args: object, exc_info: object = None) -> None:
        self._line("WARNING", msg, args, exc_info)

    def error(self, msg: str, *args: object, exc_info: object = None) -> None:
        self._line("ERROR", msg, args, exc_info)

    def exception(self, msg: str, *args: object) -> None:
        self._line("ERROR", msg, args, True)

    @staticmethod
    def _line(level: str, msg: str, args: tuple, exc_info: object) -> None:
        logs = sys.modules.get("toolkit.logs")
        if logs is not None:
            logs.log.log(_LEVELS[level], msg, *args, exc_info=exc_info)
            return
        if level == "DEBUG" or run_log.current is None:
            return
        text = msg % args if args else msg
        if exc_info:
            import traceback  # deferred: only an error's lines carry one (`run_log` says what it costs)

            if exc_info is True:
                exc_info = sys.exc_info()
            elif isinstance(exc_info, BaseException):
                exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
            shown = "".join(traceback.format_exception(*exc_info))
            text += "\n" + (shown[:-1] if shown.endswith("\n") else shown)
        run_log.current.write(level, text)


log = _LogLines()


class _Formatter(click.HelpFormatter):
    """click's help layout measured in display columns. click counts characters, and a Chinese
    character takes two columns: every option with a Chinese metavar (文件, 单位) pushed its
    help right of the others', and Chinese help text was wrapped at twice the line's width."""

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((display_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            width = display_width(first)
            if width <= first_col - col_spacing:
                self.write(" " * (first_col - width))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_display(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    def write_text(self, text: str) -> None:
        """click's paragraphs (a blank line between; a ``\\b`` line keeps a block as written),
        wrapped by display columns; a docstring's line break inside Chinese joins without the
        space click puts there (责任部门， 拆分)."""
        out: list[str] = []
        for block in re.split(r"\n\s*\n", text.expandtabs().strip("\n")):
            lines = block.splitlines()
            indent = " " * (self.current_indent + len(lines[0]) - len(lines[0].lstrip()))
            if lines[0].strip() == "\b":
                out.append("\n".join(f"{' ' * self.current_indent}{line}" for line in lines[1:]))
                continue
            joined = ""
            for line in (line.strip() for line in lines):
                wide = joined and display_width(joined[-1]) == 2 and display_width(line[:1]) == 2
                joined += line if not joined or wide else " " + line
            width = max(self.width - len(indent), 10)
            out.append("\n".join(indent + line for line in wrap_display(joined, width)))
        self.write("\n\n".join(out) + "\n")


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context


class _Group(click.Group):
    """A group of subcommands (``duban mail``, ``duban master``), laid out like the rest."""

    context_class = _Context
    command_class = _Command


class DubanGroup(click.Group):
    """Turns library exceptions into one Chinese line and the documented exit codes."""

    context_class = _Context
    command_class = _Command
    group_class = _Group

    def invoke(self, ctx: click.Context):
        started = time.monotonic()
        wall = dt.datetime.now()
        try:
            result = super().invoke(ctx)
            state = ctx.find_object(State)
            _echo_master_issues(state)
            if state is not None and state.exit_code:
                ctx.exit(state.exit_code)
            return result
        except errors.DubanError as exc:
            _log_to_workspace(ctx)
            log.error("%s", exc.message)
            if _debug(ctx):
                _print_traceback()
            _say(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as stop:
            interrupts = _action("interrupts", package=True)
            interrupts.ignore()
            state = ctx.find_object(State)
            ws = state._ws if state else None
            interrupts.clear_left(ws)
            # a command that knows better what it did says it (`mail send`: how many went)
            line = getattr(stop, "cancelled_line", None) or \
                interrupts.cancelled_line(ws, ctx.invoked_subcommand or "", wall)
            log.warning("%s", line)
            click.echo(line, err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _reader_left(ctx)
        except Exception as exc:  # the one place that turns a bug into a readable line
            fault = errors.output_fault(exc) if _in_echo(exc) else None
            fault = fault or errors.os_fault(exc, fallback=_ledger_path(ctx))
            if fault is not None:  # the operating system said no: not a bug, one line, exit 2
                _log_to_workspace(ctx)
                log.error("%s", fault.message)
                log.info("技术信息", exc_info=exc)
                if _debug(ctx):
                    _print_traceback()
                _say(fault)
                ctx.exit(fault.exit_code)
            log.exception("内部错误")
            if _debug(ctx):
                _print_traceback()
            click.secho(f"内部错误：{type(exc).__name__}: {exc}。请加 --debug 重新运行，"
                        "并把“日志/duban.log”发给技术支持。", fg="red", err=True)
            ctx.exit(3)
        finally:
            log.info("结束，用时 %.1f 秒", time.monotonic() - started)
            state = ctx.find_object(State)
            if state is not None and state.log_file is not None:
                run_log.stop(state.log_file)
                state.log_file = None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _spelled_long(self.get_params(ctx), args))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported first if not yet: a name not in `COMMAND_MODULES`
        (a typo) loads them all, so click's 您是否要找 suggestion weighs every command."""
        if cmd_name not in self.commands:
            load_commands(COMMAND_MODULES.get(cmd_name))
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()  # --help lists every command
        return super().list_commands(ctx)

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        """``duban --help`` and ``--version`` print while the arguments are parsed, before
        `invoke`: a reader that closed the pipe there (``duban --help | head -1``) made click
        exit 1, where every other output of duban exits 0 for it, and a full disk
        (``duban --help > 帮助.txt``) gave a traceback (QA161)."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except BrokenPipeError:
            _reader_left(None)
            raise  # not reached: _reader_left exits
        except OSError as exc:
            fault = errors.output_fault(exc) if _in_echo(exc) else None
            if fault is None:
                raise
            _say(fault)
            raise click.exceptions.Exit(fault.exit_code) from None


def _spelled_long(params: list[click.Parameter], args: list[str]) -> list[str]:
    """``args`` with the group's own short options before the command (``-q -w DIR status``)
    spelled long (``--quiet --workspace DIR status``): the same options, read the same.

    click tries every option as a long one first, and a short one failing that raised
    NoSuchOption, whose suggestions imported difflib: 3.4 M instructions of the bench's
    `duban -q -w DIR status` (406.5 M, callgrind, W1; about 0.7 ms). The group's options are
    flags or take one value each, which is skipped; at anything else (the command, ``--``,
    ``--workspace=DIR``, ``-qw``, ``-w`` with no value) the rest is left as given, and
    click reads and words it as before."""
    names: dict[str, tuple[str, int]] = {}  # option → (its long name, the values that follow it)
    for p in params:
        if isinstance(p, click.Option):
            spelled = next((o for o in p.opts if o.startswith("--")), None)
            for o in p.opts:
                names[o] = (spelled or o, 0 if p.is_flag or p.count else p.nargs)
    out, i = list(args), 0
    while i < len(out) and out[i] in names:
        spelled, values = names[out[i]]
        if i + values >= len(out):
            break
        out[i] = spelled
        i += 1 + values
    return out


def _say(exc: errors.DubanError) -> None:
    """The one line for a condition duban cannot go on under, headed as its class says (错误 in
    red, 提示 in yellow for nothing to do yet): the same in `invoke` and in `make_context`."""
    click.secho(f"{exc.heading}：{exc.message}", fg="red" if exc.heading == "错误" else "yellow", err=True)


def _reader_left(ctx: click.Context | None) -> None:
    """The output was piped into head or more, which closed it early: the reader's choice,
    not a problem (exit 0, no line). stderr is closed so that nothing more is said there
    about the pipe while the process ends."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.close()
    if ctx is not None:
        ctx.exit(0)
    raise click.exceptions.Exit(0)


def _in_echo(exc: BaseException) -> bool:
    """Whether ``exc`` was raised writing duban's own output (stdout redirected to a full
    disk: ``duban status > 状态.txt``). The OS names no file for it; without this the
    ledger was named as the file that could not be written (QA161)."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name in ("echo", "secho") and tb.tb_frame.f_globals.get("__name__", "").startswith("click."):
            return True
        tb = tb.tb_next
    return False


def _echo_setting_warnings(state: State) -> None:
    """Keys of duban.toml this duban ignored (a newer duban's setting, a typo), once, when the
    workspace opens: a warning on stderr, leaving stdout and the exit code alone, as
    `_echo_master_issues` does."""
    for line in state._ws.settings.warnings:
        log.warning("%s", line)
        if not state.quiet:
            click.secho(f"提醒：{line}", fg="yellow", err=True)


def _echo_master_issues(state: State | None) -> None:
    """Problems in the master workbook (bad 单位名录 addresses, M112), after any command that
    read it: a warning on stderr, leaving stdout (JSON, tables) and the exit code alone."""
    ws = state._ws if state is not None else None
    issues = getattr(ws, "master_issues", None)
    if not issues or state.quiet:
        return
    for i in issues:
        log.warning("%s %s", i.code, i.message)
    click.secho(f"提醒：任务清单工作簿的单位名录有 {len(issues)} 处问题（不影响本次运行）：", fg="yellow", err=True)
    for i in issues:
        click.secho(format_issue(i), fg="yellow", err=True)


def _ledger_path(ctx: click.Context):
    """Where SQLite errors happened (SQLite never names its file)."""
    state = ctx.find_object(State)
    return state._ws.ledger_path if state is not None and state._ws is not None else None


def _log_to_workspace(ctx: click.Context) -> None:
    """Make sure an error met before the command ran (a bad option value) still reaches
    日志/duban.log, when there is a workspace to log to."""
    state = ctx.find_object(State)
    if state is not None and state.log_file is None:
        with contextlib.suppress(errors.DubanError, OSError):
            state.workspace()


def _debug(ctx: click.Context) -> bool:
    state = ctx.find_object(State)
    return bool(state and state.debug) or "--debug" in sys.argv


def _print_traceback() -> None:
    """``--debug``: the error's traceback on stderr."""
    import traceback  # deferred: only an error with --debug shows one (`run_log` says what it costs)

    traceback.print_exc()


def _set_state(attr: str):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value:
            state = ctx.ensure_object(State) if ctx.obj is None else ctx.obj
            setattr(state, attr, value)
        return value
    return callback


def pass_state(f):
    """Pass the shared State, and accept -w/-q/--debug after the command name too."""
    f = click.make_pass_decorator(State)(f)
    f = click.option("-w", "--workspace", "workspace_dir", expose_value=False, metavar="DIR",
                     callback=_set_state("workspace_dir"), help="工作区文件夹")(f)
    f = click.option("--debug", is_flag=True, expose_value=False, callback=_set_state("debug"),
                     help="出错时显示完整的技术信息")(f)
    f = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_state("quiet"),
                     help="只输出错误，不显示进度")(f)
    return f


def echo(state: State, text: str = "", **style) -> None:
    if not state.quiet:
        click.secho(text, **style) if style else click.echo(text)


def echo_kept(state: State, kept) -> None:
    """The office's edited 汇总表 (or 通报) kept beside the new one (`office_edits.Kept`): with the
    warnings, seen under -q too; exit 1, the new file lacks the office's edits until copied in."""
    if kept is not None:
        click.secho(kept.line, fg="yellow", err=True)
        state.exit_code = max(state.exit_code or 0, 1)


def format_issue(i: Issue) -> str:
    where = " ".join(x for x in (i.file, i.location) if x)
    return f"  [{i.severity} {i.code}] {where}：{i.message}" if where else \
        f"  [{i.severity} {i.code}] {i.message}"


def echo_issues(state: State, issues: list[Issue], title: str = "问题") -> None:
    if not issues:
        return
    errors_, warnings = sum(i.is_error for i in issues), sum(not i.is_error for i in issues)
    echo(state, f"{title}：错误 {errors_} 个，警告 {warnings} 个")
    for i in issues:
        echo(state, format_issue(i), fg="red" if i.is_error else "yellow")


class PeriodType(click.ParamType):
    """``--period 2022-06`` becomes a `Period` here, once, for every command."""

    name = "期次"

    def convert(self, value, param, ctx):
        return value if isinstance(value, Period) else Period.parse(value)


PERIOD = PeriodType()


class DateType(click.ParamType):
    """``--received 2022-07-04``: a calendar date, refused in Chinese when it is not one."""

    name = "日期"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"“{value}”不是日期，请写成 2022-07-04 这样的格式。", param, ctx)


DATE = DateType()


def period_option(help_text: str = "期次，如 2022-06；默认取 duban.toml 中的 period"):
    return click.option("--period", "-p", type=PERIOD, metavar="YYYY-MM", help=help_text)


force_option = click.option("--force", is_flag=True, help="期次没有下发过填报表时也照常处理")


def _issued(ws, period, force: bool):
    """The period to work on, refused when it was never issued (see workspace.require_issued)."""
    return _action("workspace", package=True).require_issued(ws, period, force)


def _action(name: str, package: bool = False):
    """The module behind a command, imported when the command runs.

    Start-up is paid on every double-click: importing every action up front pulls in
    openpyxl, docx and jinja2 (about 0.4 s measured on the CI machine) for a command such
    as ``duban status`` that needs none of them. ``package`` names a top-level module
    (``workspace``, ``master``, ``memo``) instead of one in `toolkit.actions`.

    Loaded the first time with the garbage collector off, and what is loaded then set aside
    from it (`gc.freeze`), as `main` loads the commands: importing creates tens of thousands
    of objects, none garbage, that each collection walked again (callgrind, `duban status` in
    the demo workspace: 1.6 M instructions fewer, beside `main`'s 10.7 M).
    """
    module = f"toolkit.{name}" if package else f"toolkit.actions.{name}"
    if module in sys.modules or not gc.isenabled():
        return importlib.import_module(module)
    gc.disable()
    try:
        return importlib.import_module(module)
    finally:
        gc.freeze()
        gc.enable()


# ---------------------------------------------------------------------------
# commands

#: The module (under toolkit.cli) of each command: imported when one of its commands is named
#: (`DubanGroup.get_command`) or all are listed; `app` imports none. Importing `desk`, `issue`
#: and `setup` with the monthly commands cost every `duban status` 1.8 ms of its ~95 (QA282's
#: profile), and `month`'s other commands 5 M of its 351 M instructions (QA384; issue 19).
#: tests/test_startup.py keeps this table whole.
COMMAND_MODULES: dict[str, str] = {
    "status": "status",
    **dict.fromkeys(("collect", "check", "merge", "remind", "memo", "run"), "month"),
    **dict.fromkeys(("demo", "open", "excel-console", "period", "sender", "received", "verify", "kit", "mail"),
                    "desk"),
    "issue": "issue",
    "init": "setup",
    "master": "setup",
}


def load_commands(module: str | None = None) -> None:
    """Register the commands of ``module`` (``None``: of every module) on `cli`, usage lines in
    Chinese like the rest."""
    for name in sorted(set(COMMAND_MODULES.values())) if module is None else (module,):
        if f"toolkit.cli.{name}" not in sys.modules:
            _action(f"cli.{name}", package=True)
            _chinese_metavars(cli)


def _chinese_metavars(group: click.Group) -> None:
    """``[OPTIONS]`` and ``COMMAND [ARGS]...`` in usage lines, in Chinese like the rest."""
    group.options_metavar, group.subcommand_metavar = "[选项]", "命令 [参数]..."
    for command in group.commands.values():
        command.options_metavar = "[选项]"
        if isinstance(command, click.Group):
            _chinese_metavars(command)


@click.group(cls=DubanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", metavar="DIR", help="工作区文件夹（默认：当前文件夹或其上级中含 duban.toml 的那个）")
@click.option("--debug", is_flag=True, help="出错时显示完整的技术信息")
@click.option("-q", "--quiet", is_flag=True, help="只输出错误，不显示进度（供脚本使用）")
@click.version_option(__version__, "-V", "--version", prog_name="duban")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, debug: bool, quiet: bool) -> None:
    """督办：专项行动月度进展填报的下发、收取、校验、汇总与通报。

    \b
    每月流程：
      duban issue   --period 2022-06   下发填报表
      duban collect                    收取收件箱中的报送并校验
      duban merge                      生成汇总表
      duban memo                       生成通报
      duban run                        一次完成 收取 → 汇总 → 通报

    先试试：duban demo
    """
    ctx.obj = State(workspace, debug, quiet)


def _parse_date_option(value: str | None, what: str = "报送截止日期"):
    if not value:
        return None
    d = parse_date(value)
    if d is None:
        raise errors.UsageError(f"{what}“{value}”无法识别，请写成 2022-07-05。")
    return d
