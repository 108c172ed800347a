#!/usr/bin/env bash
# 督办 - 生成通报（macOS 双击 .command，Linux 运行 .sh；与 .bat 做同样的事）
cd "$(dirname "$0")" || exit 2
if [ -x ".venv/bin/duban" ]; then
  DUBAN=".venv/bin/duban"; PYTHON=".venv/bin/python"
elif command -v duban >/dev/null 2>&1; then
  DUBAN="duban"; PYTHON="python3"
else
  echo "【失败】还没有安装督办工具。请先运行“0-首次安装”。"
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  exit 2
fi
DEFAULT="$("$PYTHON" -c 'import datetime as d; t=d.date.today().replace(day=1)-d.timedelta(days=1); print(t.strftime("%Y-%m"))')"
read -r -p "请输入期次，如 2022-06（直接回车为 $DEFAULT）：" PERIOD
PERIOD="${PERIOD:-$DEFAULT}"
"$DUBAN" memo --period "$PERIOD"
RC=$?
echo
if [ "$RC" -eq 0 ]; then
  echo "【成功】通报已生成，正在打开。"
elif [ "$RC" -eq 1 ]; then
  echo "【已完成，但有问题需要处理】请看上面的红色提示（退回的单位已生成反馈表和邮件草稿）。"
else
  echo "【失败】请按上面一行的提示处理；需要帮助时，把“日志/duban.log”发给技术支持。"
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  exit "$RC"
fi
"$DUBAN" open 通报 --period "$PERIOD" -q
[ -t 0 ] && read -r -p "按回车键关闭……" _
exit "$RC"
