#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
# 督办 - 发送邮件（Linux 运行 .sh，macOS 双击 .command；与 .bat 做同样的事）
# Sending stays deliberate: the user picks the kind here, and `duban mail send` lists what
# will go out and asks once more before sending anything.
. "$(dirname "$0")/_公共.sh" || exit 2
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
ask_period
"${DUBAN[@]}" mail send "$KIND" --period "$PERIOD"
finish $? "发送情况见上面的列表。"
