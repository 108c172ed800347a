"""日志/duban.log written without the logging package (`toolkit.run_log`): the CLI's own lines
straight to the file while no library module has loaded the logger (`duban status`), through
it once one has, the same lines either way."""

from __future__ import annotations

import datetime as dt
import re
import sys

from toolkit import logs, run_log
from toolkit.cli.base import log as cli_log

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+08:00"
TZ = dt.timezone(dt.timedelta(hours=8))


def _lines_written(tmp_path, monkeypatch, straight: bool) -> str:
    path = tmp_path / ("straight.log" if straight else "logged.log")
    if straight:  # as in `duban status`: no module that logs is loaded
        monkeypatch.delitem(sys.modules, "toolkit.logs")
    opened = run_log.start(path, TZ)
    try:
        cli_log.info("运行：duban %s", "status -w 督办")
        cli_log.debug("不写入：%s", "debug")
        cli_log.warning("%s", "提醒：50%")
        try:
            raise ValueError("坏了")
        except ValueError as exc:
            cli_log.exception("内部错误")
            cli_log.info("技术信息", exc_info=exc)
        cli_log.error("无参数的 %s 原样写入")
    finally:
        run_log.stop(opened)
    assert run_log.current is None
    return path.read_text(encoding="utf-8")


def test_the_clis_lines_are_the_same_straight_to_the_file_and_through_the_logger(tmp_path, monkeypatch) -> None:
    straight = _lines_written(tmp_path, monkeypatch, straight=True)
    monkeypatch.undo()
    logged = _lines_written(tmp_path, monkeypatch, straight=False)
    assert re.sub(STAMP, "T", straight) == re.sub(STAMP, "T", logged)
    lines = straight.splitlines()
    assert re.fullmatch(STAMP + " INFO 运行：duban status -w 督办", lines[0])
    assert re.fullmatch(STAMP + " WARNING 提醒：50%", lines[1])
    assert re.fullmatch(STAMP + " ERROR 内部错误", lines[2]) and lines[3] == "Traceback (most recent call last):"
    assert "ValueError: 坏了" in straight and "不写入" not in straight
    assert lines[-1].endswith(" ERROR 无参数的 %s 原样写入")


def test_the_librarys_records_reach_the_open_log_in_the_same_layout(tmp_path) -> None:
    path = tmp_path / "duban.log"
    opened = run_log.start(path, TZ)
    try:
        logs.log.info("收取：%d 个文件", 3)
        logs.log.debug("不写入")
    finally:
        run_log.stop(opened)
    logs.log.warning("日志已关闭：不写入")
    [line] = path.read_text(encoding="utf-8").splitlines()
    assert re.fullmatch(STAMP + " INFO 收取：3 个文件", line)


def test_a_log_that_cannot_be_written_says_nothing(tmp_path, capsys) -> None:
    opened = run_log.start(tmp_path / "duban.log", TZ)
    opened.stream.close()  # as a full disk or a log taken away would
    try:
        cli_log.info("写不进去")
        logs.log.warning("也写不进去")
    finally:
        run_log.stop(opened)
    assert capsys.readouterr().err == ""
