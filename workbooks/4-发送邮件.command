#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # started as "sh 名字.sh": these scripts need bash
# 督办 - 发送邮件（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
# Sending stays deliberate: the user picks the kind here, and `duban mail send` lists what
# will go out and asks once more before sending anything. 催报 writes the month's reminders
# first (`duban remind`: a unit that has reported since gets none, its old draft withdrawn; a
# unit mailed today keeps that mail, which is not sent again). remind exits 1 when a unit may
# have reported (its 请核实 lines): the office is asked before anything is listed to send,
# Enter sends nothing. Any other failure of remind sends nothing.
# A link to this file (on the desktop) runs in the workspace it points into; a copy has no
# _公共.sh beside it, and says so rather than leave bash's English error. macOS before 12.3 has no
# readlink -f: there a link is followed one step (its target's own link, rarer still, is not).
L="$(readlink -f "$0" 2>/dev/null || readlink "$0" 2>/dev/null)"; case "$L" in ""|/*) ;; *) L="$(dirname "$0")/$L" ;; esac
HERE="$(dirname "${L:-$0}")"
[ -f "$HERE/_公共.sh" ] || { echo "【失败】本文件旁边没有“_公共.sh”：请到工作区文件夹里运行它，不要把它单独复制出来（桌面上可以放它的链接）。"; [ -t 0 ] && read -r -p "按回车键关闭……" _; exit 2; }
# shellcheck source=SCRIPTDIR/_公共.sh
. "$HERE/_公共.sh" || exit 2
echo "要发送哪一种邮件？"
echo "  1  下发：各单位的填报表"
echo "  2  反馈：退回修改的单位"
echo "  3  催报：还没有报送的单位"
read -r -p "请输入 1、2 或 3（直接回车取消）：" CHOICE
case "$CHOICE" in
  1) KIND=issue ;;
  2) KIND=feedback ;;
  3) KIND=remind ;;
  "") echo; echo "【已取消】没有发送任何邮件。"; pause_if_terminal; exit 0 ;;
  *) echo; echo "【未完成】“$CHOICE”不是 1、2、3 中的一个，没有发送任何邮件。"; pause_if_terminal; exit 2 ;;
esac
# 反馈 and 催报 are about the returns coming in: on 7 December, December's forms just out, those
# are November's, and Enter offers November (`duban period --for-returns`); 下发 the current month.
[ "$KIND" = issue ] || PERIOD_FOR=--for-returns
ask_period
if [ "$KIND" = remind ]; then
  "${DUBAN[@]}" remind --period "$PERIOD"
  RC=$?
  if [ "$RC" -eq 1 ]; then
    echo
    echo "以上催报邮件中可能有发给已报送单位的（见上面几行）：建议先双击“2-收取并汇总”收取登记，或双击“5-逐条核实”逐条回答，"
    echo "再来催报（已报送单位的催报草稿会自动撤回）。"
    read -r -p "仍要现在发送催报邮件吗？输入 y 列出将发送的邮件（发送前还会再确认），直接回车不发送：" GO
    case "$GO" in
      y | Y) ;;
      *) echo; echo "【未发送】没有发送任何催报邮件。请按上面各行核实后，再运行“4-发送邮件”。"
         pause_if_terminal; exit 1 ;;
    esac
  elif [ "$RC" -ne 0 ]; then
    echo "没有发送任何催报邮件。"
    finish "$RC"
  fi
fi
"${DUBAN[@]}" mail send "$KIND" --period "$PERIOD"
RC=$?
# A 反馈 whose correction date passed is held back (exit 1), its line saying `--renew` writes it
# again today: a double-clicking office cannot type that, so it is asked here when `--renewable`
# says some would be (exit 1; drafts edited or sent are never). Enter writes nothing.
if [ "$KIND" = feedback ] && [ "$RC" -eq 1 ]; then
  "${DUBAN[@]}" mail send feedback --period "$PERIOD" --renewable >/dev/null 2>&1
  if [ $? -eq 1 ]; then
    echo
    echo "以上反馈邮件中有要求重新报送的日期已过、没有发送的（见上面几行）。按今天重新生成时，改报日期从今天起算，"
    echo "是否按时改报按新的日期判断。"
    read -r -p "是否按今天重新生成这些反馈邮件？输入 y 重新生成并列出将发送的邮件（发送前还会再确认），直接回车不重新生成：" GO
    case "$GO" in
      y | Y) "${DUBAN[@]}" mail send feedback --period "$PERIOD" --renew
             RC=$? ;;
      *) echo; echo "没有重新生成，日期已过的反馈邮件没有发送。" ;;
    esac
  fi
fi
finish "$RC" "发送情况见上面的列表。"
