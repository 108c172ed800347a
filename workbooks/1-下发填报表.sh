#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 下发填报表（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
PERIOD_FOR=--for-issue  # Enter offers the next month once the current one's returns come in
ask_period
"${DUBAN[@]}" issue --period "$PERIOD" --emails
finish $? "填报表和邮件草稿已生成，正在打开下发文件夹。" "${DUBAN[@]}" open 下发 --period "$PERIOD" -q
