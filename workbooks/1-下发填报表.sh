#!/usr/bin/env bash
# 督办 - 下发填报表（macOS 双击 .command，Linux 运行 .sh；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"$DUBAN" issue --period "$PERIOD" --emails
finish $? "填报表和邮件草稿已生成，正在打开文件夹。" "$DUBAN" open 下发 --period "$PERIOD" -q
