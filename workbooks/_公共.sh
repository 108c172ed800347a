# 督办双击脚本（macOS .command / Linux .sh）的公共部分，由同一文件夹里的脚本调用，请勿直接运行。
# 找到督办程序、询问期次、显示结果并等待按键：与同名 .bat 做同样的事。

cd "$(dirname "${BASH_SOURCE[1]:-$0}")" || exit 2

pause_if_terminal() {
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  return 0
}

if [ -x ".venv/bin/duban" ]; then
  DUBAN=".venv/bin/duban"; PYTHON=".venv/bin/python"
elif command -v duban >/dev/null 2>&1; then
  DUBAN="duban"; PYTHON="python3"
else
  echo "【失败】还没有安装督办工具。请先运行“0-首次安装”。"
  pause_if_terminal
  exit 2
fi

# Asks for the period; Enter means last month.
ask_period() {
  local default
  default="$("$PYTHON" -c 'import datetime as d; t=d.date.today().replace(day=1)-d.timedelta(days=1); print(t.strftime("%Y-%m"))')"
  read -r -p "请输入期次，如 2022-06（直接回车为 $default）：" PERIOD
  PERIOD="${PERIOD:-$default}"
}

# finish RC "成功时的说明" [打开结果的命令 …]: the result line, the folder, the pause.
finish() {
  local rc="$1" ok="$2"
  shift 2
  echo
  if [ "$rc" -eq 0 ]; then
    echo "【成功】$ok"
  elif [ "$rc" -eq 1 ]; then
    echo "【已完成，但有问题需要处理】请看上面的红色提示（退回的单位已生成反馈表和邮件草稿）。"
  else
    echo "【失败】请按上面一行的提示处理；需要帮助时，把“日志/duban.log”发给技术支持。"
    pause_if_terminal
    exit "$rc"
  fi
  [ "$#" -gt 0 ] && "$@"
  pause_if_terminal
  exit "$rc"
}
