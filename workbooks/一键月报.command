#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # started as "sh 名字.sh": these scripts need bash
# 督办 - 一键月报：收取、汇总、通报一次完成（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
# A link to this file (on the desktop) runs in the workspace it points into; a copy has no
# _公共.sh beside it, and says so rather than leave bash's English error. macOS before 12.3 has no
# readlink -f: there a link is followed one step (its target's own link, rarer still, is not).
L="$(readlink -f "$0" 2>/dev/null || readlink "$0" 2>/dev/null)"; case "$L" in ""|/*) ;; *) L="$(dirname "$0")/$L" ;; esac
HERE="$(dirname "${L:-$0}")"
[ -f "$HERE/_公共.sh" ] || { echo "【失败】本文件旁边没有“_公共.sh”：请到工作区文件夹里运行它，不要把它单独复制出来（桌面上可以放它的链接）。"; [ -t 0 ] && read -r -p "按回车键关闭……" _; exit 2; }
# shellcheck source=SCRIPTDIR/_公共.sh
. "$HERE/_公共.sh" || exit 2
PERIOD_FOR=--for-returns  # Enter: the month whose returns come in (the one before till this one ends)
ask_period
"${DUBAN[@]}" run --period "$PERIOD"
finish $? "收取、汇总、通报全部完成，正在打开汇总文件夹。" "${DUBAN[@]}" open 汇总 --period "$PERIOD" -q
