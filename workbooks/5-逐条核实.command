#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 逐条核实：逐条回答“请核实”事项，再重新生成汇总表（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
"${DUBAN[@]}" verify --period "$PERIOD"
finish $? "核实完成，正在打开汇总文件夹。" "${DUBAN[@]}" open 汇总 --period "$PERIOD" -q
