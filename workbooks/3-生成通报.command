#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 生成通报（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"${DUBAN[@]}" memo --period "$PERIOD"
finish $? "通报已生成，正在打开。" "${DUBAN[@]}" open 通报 --period "$PERIOD" -q
