#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 一键月报：收取、汇总、通报一次完成（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"${DUBAN[@]}" run --period "$PERIOD"
finish $? "收取、汇总、通报全部完成，正在打开汇总文件夹。" "${DUBAN[@]}" open 汇总 --period "$PERIOD" -q
