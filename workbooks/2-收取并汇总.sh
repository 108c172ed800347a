#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 收取并汇总（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
. "$(dirname "$0")/_公共.sh" || exit 2
ask_period
# --fetch: with [mail] imap_host set, the mailbox is fetched first; a fetch that fails stops here
# (exit 2), before a 汇总表 names units 未报送 whose returns are still in the mailbox.
# --merge: then the 汇总表, in the same run (also when some returns were sent back: the accepted
# ones still count), so each 请核实 is said once, not by collect and again by a separate merge.
"${DUBAN[@]}" collect --fetch --merge --period "$PERIOD"
finish $? "已收取并生成汇总表，正在打开汇总文件夹。" "${DUBAN[@]}" open 汇总 --period "$PERIOD" -q
