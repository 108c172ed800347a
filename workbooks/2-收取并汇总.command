#!/usr/bin/env bash
# 督办 - 收取并汇总（macOS 双击 .command，Linux 运行 .sh；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"$DUBAN" collect --period "$PERIOD"
RC=$?
if [ "$RC" -lt 2 ]; then
  "$DUBAN" merge --period "$PERIOD" || RC=$?
fi
finish "$RC" "已收取并生成汇总表，正在打开文件夹。" "$DUBAN" open 汇总 --period "$PERIOD" -q
