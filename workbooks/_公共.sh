# shellcheck shell=bash disable=SC1111  # sourced; “…” are Chinese quotation marks
# 督办双击脚本（Linux .sh / macOS .command）的公共部分，由同一文件夹里的脚本调用，请勿直接运行。
# 找到督办程序、询问期次、按退出码说明结果并等待按键：与同名 .bat 做同样的事。

# The workspace is this file's folder: the script sourcing it may be a link on the desktop.
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 2
WS="$(pwd)"

pause_if_terminal() {
  trap - INT  # Ctrl-C at the pause closes the window (the trap at the end would say 【已取消】 again)
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  return 0
}

# Software such as ArcGIS sets PYTHONHOME machine-wide, which breaks every other Python.
unset PYTHONHOME PYTHONPATH

# The workspace's own .venv first (0-首次安装 puts it there), then a duban on PATH. The venv's
# python runs `-m toolkit` rather than .venv/bin/duban: that launcher holds the absolute path
# of the folder it was installed in, so it breaks when the workspace is moved; python does not.
# -I keeps the current folder off sys.path, so no file in it can stand in for a module.
if [ -x ".venv/bin/python" ]; then
  if ! ".venv/bin/python" -I -c "import toolkit" >/dev/null 2>&1; then
    echo "【失败】本工作区的督办安装不完整或已损坏（.venv 无法使用）。请重新运行“0-首次安装”。"
    pause_if_terminal
    exit 2
  fi
  DUBAN=("$WS/.venv/bin/python" -I -m toolkit -w "$WS")
  WHICH="本工作区的 .venv（$WS/.venv）"
elif command -v duban >/dev/null 2>&1; then
  DUBAN=(duban -w "$WS")
  WHICH="$(command -v duban)"
else
  echo "【失败】还没有安装督办工具。请先运行“0-首次安装”。"
  pause_if_terminal
  exit 2
fi
echo "工作区：$WS"
echo "督办程序：$WHICH"

PERIOD_FOR=""  # none from the caller's environment: each script sets its own after sourcing this

# Asks for the period; Enter takes the period duban gives (`duban period`; with PERIOD_FOR set,
# as the .bat does: 1-下发填报表's --for-issue offers the next month once the current one's returns come in;
# --for-returns, for collecting, merging, verifying, the 通报 and 4-发送邮件's 反馈 and 催报, the month
# before while the current one has not ended). --why says on the screen (stderr: what is read here
# stays the period alone) why Enter's month is not duban.toml's; nothing when it is.
ask_period() {
  local current rc
  current="$("${DUBAN[@]}" period ${PERIOD_FOR:+"$PERIOD_FOR"} --why)"
  rc=$?
  [ "$rc" -eq 0 ] || finish "$rc"
  read -r -p "请输入期次，如 2022-06（直接回车为 $current）：" PERIOD
  PERIOD="${PERIOD:-$current}"
}

# The exit-1 line's advice: 5-逐条核实 only when it has something to ask (`duban verify --check`
# exits 1); a file of no unit or another month's form is not among its questions (QA239).
issues_advice() {
  local asks=0
  "${DUBAN[@]}" verify --check --period "$PERIOD" >/dev/null 2>&1 || asks=$?
  if [ "$asks" -eq 1 ]; then
    echo "请看上面列出的问题；其中要核实报送时间、发件人或过大邮件的，可双击“5-逐条核实”逐条回答。"
  else
    echo "请看上面列出的问题，按各行的说明办理。"
  fi
}

# finish RC ["成功时的说明" [打开结果的命令 …]]: one honest line for duban's exit code
# (see `duban --help`), the result opened when it was made (0, and 1: made, with problems said
# above it; most months end 1 while a 请核实 is open), then the pause.
finish() {
  local rc="$1" ok="${2:-完成。}"
  trap '' INT  # the ending is said whole (pause_if_terminal takes Ctrl-C back)
  shift
  [ "$#" -gt 0 ] && shift
  echo
  case "$rc" in
    0) echo "【成功】$ok" ;;
    1) echo "【已完成，但有问题需要处理】$(issues_advice)" ;;
    2) echo "【未完成】请按上面以“错误：”开头的那一行处理后再运行。" ;;
    3) echo "【程序出错】这是督办程序的问题，不是操作错误。请把“日志/duban.log”发给技术支持。" ;;
    4) echo "【未运行】另一个督办程序正在处理这个工作区，请等它结束后再运行。" ;;
    130) echo "【已取消】" ;;
    *) echo "【失败】督办没有正常结束（代码 $rc）。请把本窗口的内容和“日志/duban.log”发给技术支持。" ;;
  esac
  if [ "$rc" -le 1 ] && [ "$#" -gt 0 ]; then
    "$@"
  fi
  pause_if_terminal
  exit "$rc"
}

# Ctrl-C at a prompt, or while no duban runs (one that does says what it stopped and exits 130
# itself), ends as a cancelled run does: the 【已取消】 line and the pause, not a window that
# closes with nothing said. It runs finish, so a prompt never goes on with an empty answer.
trap 'finish 130' INT
