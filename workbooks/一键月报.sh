#!/usr/bin/env bash
# 督办 - 一键月报（macOS 双击 .command，Linux 运行 .sh；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"$DUBAN" run --period "$PERIOD" --open
finish $? "收取、汇总、通报全部完成。"
