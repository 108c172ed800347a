#!/usr/bin/env bash
# shellcheck disable=SC1111  # “…” in messages are Chinese quotation marks, meant literally
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # started as "sh 名字.sh": these scripts need bash
# 督办 - 首次安装（Linux 运行 .sh，macOS 双击 .command）：在工作区里建 .venv，从离线安装包安装督办。
# 用法：bash 0-首次安装.sh              安装到本脚本所在的工作区
#       bash 0-首次安装.sh 原来的工作区   用本安装包升级那个工作区（只换程序和双击脚本，数据不动）
#
# Never uses the network: pip runs with --no-index on the kit's wheels folder. Each failure
# names its cause (no Python, too old or not one the kit holds wheels for, no wheel for this
# machine, disk full, read-only); the network is blamed only when installing from a source
# checkout, which does use it. A .venv whose duban does not run (an install that stopped
# midway) is not an earlier install: it is made anew.

HERE="$(cd "$(dirname "$0")" && pwd)" || exit 2
NEEDED_MB=300
LOG=""
STEP_LOG=""

pause() {
  trap - INT  # Ctrl-C at the pause closes the window
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  return 0
}

# fail "what happened" ["what to do"]
fail() {
  echo
  echo "【失败】$1"
  [ -n "${2:-}" ] && echo "$2"
  [ -n "$LOG" ] && [ -f "$LOG" ] && printf '【失败】%s\n%s\n' "$1" "${2:-}" >> "$LOG"
  [ -n "$LOG" ] && [ -f "$LOG" ] && echo "安装过程记录在：$LOG（求助时请发给技术支持）"
  [ -n "$STEP_LOG" ] && rm -f "$STEP_LOG"
  pause
  exit 2
}

# Ctrl-C mid-install: said, with the pause, not a window that closes with nothing said. The
# next run makes a .venv whose duban does not run anew (see the venv below), so it finishes.
trap 'fail "安装被中断（按了 Ctrl-C），没有装完。" "请重新运行本文件：没装完的部分会重新安装，工作区里的数据不受影响。"' INT

# step "what" command…: run one install step, its output kept in the log, not on screen.
step() {
  local what="$1"
  shift
  "$@" > "$STEP_LOG" 2>&1
  local rc=$?
  cat "$STEP_LOG" >> "$LOG"
  [ "$rc" -eq 0 ] || step_failed "$what"
  return 0
}

# The cause, read from pip's or venv's own words (error numbers, not localised text).
step_failed() {
  local what="$1" missing python damaged
  if grep -qE "Errno 28|No space left on device" "$STEP_LOG"; then
    fail "$what时磁盘空间不足。" "请腾出至少 $NEEDED_MB MB 空间，或把安装包复制到空间更大的磁盘后再运行。"
  fi
  if grep -qE "Errno 36|Errno 63|File name too long" "$STEP_LOG"; then
    fail "$what时路径太长：工作区所在的文件夹太深。" \
      "请把安装包（升级时是原来的工作区）整个移到路径短的文件夹里，例如 ~/督办，再运行本文件。"
  fi
  if grep -qE "Errno 13|Errno 30|Permission denied|Read-only file system" "$STEP_LOG"; then
    fail "$what时无法写入文件：文件夹是只读的，或者你没有写入权限。" \
      "请把整个安装包复制到自己的文件夹（例如主目录）里，再从那里运行本文件。"
  fi
  # A wheel cut short on the USB stick or by an unzip that stopped: copying the kit again fixes it.
  if [ -z "$SOURCE" ] && grep -qE "is invalid|invalid wheel|BadZipFile" "$STEP_LOG"; then
    damaged="$(grep -oE "located at .*\.whl is invalid" "$STEP_LOG" | head -n 1)"
    damaged="${damaged% is invalid}"
    damaged="${damaged##*/}"
    fail "安装包里的文件已损坏（可能拷贝或解压时没有完整）${damaged:+：$damaged}。" \
      "请把完整的安装包重新拷到这台电脑上（用压缩包时重新解压），再运行本文件；仍然不行时请技术支持重新生成安装包。"
  fi
  if [ -z "$SOURCE" ] && grep -qE "No matching distribution found|Could not find a version that satisfies" "$STEP_LOG"; then
    missing="$(grep -oE "No matching distribution found for [^ ]+" "$STEP_LOG" | head -n 1 | awk '{print $NF}')"
    python="$(".venv/bin/python" -c 'import platform; print(platform.python_version())' 2>/dev/null)"
    if [ "$(uname -s)" = "Darwin" ]; then
      fail "离线安装包只有 Windows 和 Linux 的组件${missing:+（缺少 $missing）}，不能装在 macOS 上。" \
        "macOS 请在能上网时从督办的源代码安装：python3 -m pip install 源代码文件夹。"
    fi
    fail "安装包里没有适合这台电脑的组件${missing:+（缺少 $missing）}：本机是 $(uname -s) $(uname -m)，Python ${python:-未知}。" \
      "${RANGE:-本安装包适用于 Windows 64 位和 Linux x86_64/ARM64 上的 Python ${WANT:-3.10–3.14}。}请改用这个范围内的 Python（删除工作区里的 .venv 后重新运行），或请技术支持用 duban kit 生成包含本机平台的安装包。"
  fi
  if [ -n "$SOURCE" ] && grep -qE "NewConnectionError|Failed to establish|name resolution|Max retries exceeded|ProxyError|SSLError" "$STEP_LOG"; then
    fail "从源代码安装需要联网下载组件，但连不上软件包仓库。" "请检查网络后重试，或改用离线安装包。"
  fi
  # not pip's English lines: the log named below holds them for whoever helps
  fail "$what没有完成：原因不是常见的几种（磁盘已满、文件夹只读、路径太长、缺少组件、文件损坏），完整记录见下面的日志文件。"
}

# --- which workspace ---------------------------------------------------------------------
if [ -n "${1:-}" ]; then
  [ -d "$1" ] || fail "找不到文件夹“$1”。" "升级时请指定原来的工作区文件夹（里面有 duban.toml）。"
  WS="$(cd "$1" && pwd)" || exit 2
else
  WS="$HERE"
fi
if [ ! -f "$WS/duban.toml" ]; then
  fail "“$WS”不是督办工作区（里面没有 duban.toml）。" \
    "请先把安装包完整解压，再运行解压出的“督办工作区”里的本文件；升级时请指定原来的工作区文件夹。"
fi
cd "$WS" || exit 2
echo "督办 - 首次安装"
echo "工作区：$WS"

# --- a folder duban can work in ------------------------------------------------------------
# SQLite opens no file whose path is over about 500 bytes (512 on Unix, less the "-wal" it
# adds; toolkit/errors.py _SQLITE_MAX_PATH_BYTES) and every command opens the ledger: a
# deeper workspace would install, then fail at every run. Bytes, not characters: a Chinese
# character takes three. (0-首次安装.bat checks Windows' own, shorter limit.)
LEDGER_MAX_BYTES=500
ledger="$WS/.duban/ledger.sqlite3"
ledger_bytes="$(LC_ALL=C; printf '%s' "${#ledger}")"
if [ "$ledger_bytes" -gt "$LEDGER_MAX_BYTES" ]; then
  fail "工作区的路径太长（$((ledger_bytes - 22)) 字节，最多 $((LEDGER_MAX_BYTES - 22)) 字节）：督办在这么深的文件夹里打不开自己的台账。" \
    "请把安装包（升级时是原来的工作区）整个移到路径短的文件夹里，例如 ~/督办，再运行本文件。"
fi

# Settings other software leaves in the environment (PYTHONHOME; pip's user=true or a
# constraints file that is not there) break a venv install: this run does without them.
unset PYTHONHOME PYTHONPATH PIP_USER PIP_TARGET PIP_PREFIX PIP_REQUIRE_VIRTUALENV PIP_CONSTRAINT \
  PIP_REQUIREMENT PIP_FIND_LINKS PIP_NO_BINARY PIP_ONLY_BINARY PIP_NO_INDEX
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

# --- can we write here -----------------------------------------------------------------------
probe="$WS/.duban-install-test.$$"
if ! { : > "$probe"; } 2>/dev/null; then
  fail "无法在工作区里写文件：这个文件夹是只读的，或者你没有写入权限。" \
    "请把整个安装包复制到自己的文件夹（例如主目录）里，再从那里运行本文件。"
fi
rm -f "$probe"
free_kb="$(df -Pk "$WS" 2>/dev/null | awk 'NR==2 {print $4}')"
if [ -n "$free_kb" ] && [ "$free_kb" -lt $((NEEDED_MB * 1024)) ]; then
  fail "磁盘空间不足：工作区所在的磁盘只剩 $((free_kb / 1024)) MB，安装需要约 $NEEDED_MB MB。" \
    "请删除一些文件腾出空间，或把安装包复制到空间更大的磁盘后再运行。"
fi
mkdir -p "日志" 2>/dev/null || fail "无法创建“日志”文件夹。" "请检查工作区的写入权限。"
LOG="$WS/日志/安装.log"
STEP_LOG="$WS/日志/.安装-本步.log"
{ echo; echo "=== $(date '+%Y-%m-%d %H:%M:%S') 0-首次安装：$HERE → $WS"; } >> "$LOG"

# --- the wheels ----------------------------------------------------------------------------------
FIND_LINKS=()
RANGE=""
KIT_PYTHONS=""
for dir in "$WS/wheels" "$HERE/wheels" "$HERE/../wheels" "$WS/../wheels" ${DUBAN_WHEELS:+"$DUBAN_WHEELS"}; do
  compgen -G "$dir/duban-*.whl" >/dev/null || continue
  dir="$(cd "$dir" && pwd)"
  case " ${FIND_LINKS[*]} " in *" $dir "*) continue ;; esac
  FIND_LINKS+=(--find-links "$dir")
  [ -z "$RANGE" ] && [ -f "$dir/适用范围.txt" ] && RANGE="$(head -n 1 "$dir/适用范围.txt")"
  # "3.10 3.11 3.12 3.13 3.14", written by duban kit (kit.PYTHONS_NAME); an older kit has none.
  [ -z "$KIT_PYTHONS" ] && [ -f "$dir/python-versions.txt" ] && KIT_PYTHONS="$(head -n 1 "$dir/python-versions.txt")"
done
KIT_PYTHONS="${KIT_PYTHONS%$'\r'}"  # written with CRLF for the .bat's "set /p"
SOURCE=""
if [ "${#FIND_LINKS[@]}" -eq 0 ]; then
  # A developer's checkout: install from the source tree, which does use the network.
  if [ -n "${DUBAN_SOURCE:-}" ]; then
    SOURCE="$DUBAN_SOURCE"
  elif [ -f "$HERE/../setup.cfg" ]; then
    SOURCE="$(cd "$HERE/.." && pwd)"
  else
    fail "找不到安装文件（wheels 文件夹）。" \
      "请从完整解压的离线安装包里运行本文件，或把安装包里的 wheels 文件夹复制到工作区里再运行。"
  fi
fi

# --- the venv ----------------------------------------------------------------------------------
# Exit 10: older than 3.10; 13: not one of the versions given (the kit's: pip would find no
# wheels for it, and say so in English only after .venv is made). Any other failure means it
# does not run at all (a pyenv shim for a version that is not selected, a dangling link): try
# the next one.
PYCHECK='import sys; v = sys.version_info; kit = " ".join(sys.argv[1:]).split(); sys.exit(10 if v < (3, 10) else 13 if kit and "%d.%d" % v[:2] not in kit else 0)'
OLD_VERSION=""
VENV_RUNS=""
# An earlier install is one whose duban runs: a .venv left by an install that stopped midway
# (pip failed, the window was closed) has a Python but no duban, and is made anew.
if [ -x ".venv/bin/python" ] && ".venv/bin/python" -c "$PYCHECK" >/dev/null 2>&1; then
  VENV_RUNS=1
  OLD_VERSION="$(".venv/bin/python" -I -m toolkit --version 2>/dev/null)" || OLD_VERSION=""
fi
if [ -n "$OLD_VERSION" ]; then
  echo "已经安装过（$OLD_VERSION），现在升级；工作区里的数据不会改动。"
else
  if [ -n "$VENV_RUNS" ]; then
    echo "上次安装没有完成（.venv 里的督办不能运行），删除 .venv 重新安装。"
  elif [ -e ".venv" ]; then
    echo "原来的 .venv 无法使用（可能 Python 被卸载或换过），重新创建。"
  fi
  if [ -e ".venv" ]; then
    rm -rf ".venv" || fail "无法删除损坏的 .venv 文件夹。" "请手动删除工作区里的 .venv 文件夹后再运行。"
  fi
  PY=""
  OLD=""
  OUTSIDE=""
  for candidate in ${PYTHON:+"$PYTHON"} python3.12 python3.11 python3.13 python3.14 python3.10 python3 python; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    "$candidate" -c "$PYCHECK" "$KIT_PYTHONS" >/dev/null 2>&1
    case $? in
      0) PY="$candidate"; break ;;
      10) [ -z "$OLD" ] && OLD="$("$candidate" --version 2>&1)（$(command -v "$candidate")）" ;;
      13) [ -z "$OUTSIDE" ] && OUTSIDE="$("$candidate" --version 2>&1)（$(command -v "$candidate")）" ;;
    esac
  done
  if [ -z "$PY" ] && [ -n "$OUTSIDE" ]; then
    fail "本安装包只适用于 Python ${KIT_PYTHONS// /、}，这台电脑上找到的是 $OUTSIDE。" \
      "请联系信息技术人员安装 Python ${KIT_PYTHONS// /、} 中的一个版本，装好后再运行本文件；或请技术支持用 duban kit 生成适用于这个 Python 版本的安装包。"
  fi
  # The Pythons to ask IT for: the kit's own, or every version duban's kits hold (kit.PYTHONS).
  WANT="${KIT_PYTHONS// /、}"
  WANT="${WANT:-3.10–3.14}"
  if [ -z "$PY" ] && [ -n "$OLD" ]; then
    fail "这台电脑上的 Python 太旧：$OLD。督办需要 Python 3.10 或更新版本。" \
      "请联系信息技术人员安装 Python $WANT（统信 UOS 20、银河麒麟 V10 自带的 3.7/3.8 不够新），装好后再运行本文件。"
  fi
  if [ -z "$PY" ]; then
    fail "这台电脑上没有可用的 Python。" \
      "请联系信息技术人员安装 Python $WANT 中的一个版本，装好后再运行本文件。"
  fi
  echo "使用 Python：$("$PY" --version 2>&1)（$(command -v "$PY")）"
  echo "正在创建 .venv ……"
  if ! "$PY" -m venv .venv > "$STEP_LOG" 2>&1; then
    cat "$STEP_LOG" >> "$LOG"
    grep -q "ensurepip" "$STEP_LOG" || step_failed "创建 .venv "
    # Debian, UOS and Kylin ship venv's pip separately (python3-venv): bring pip from the kit.
    PIP_WHEEL=""
    for ((i = 1; i < ${#FIND_LINKS[@]}; i += 2)); do
      for wheel in "${FIND_LINKS[$i]}"/pip-*.whl; do [ -f "$wheel" ] && PIP_WHEEL="$wheel"; done
    done
    if [ -z "$PIP_WHEEL" ]; then
      fail "这台电脑的 Python 缺少创建虚拟环境所需的组件（python3-venv / ensurepip）。" \
        "请联系信息技术人员安装 python3-venv 后再运行本文件。"
    fi
    rm -rf .venv
    step "创建 .venv " "$PY" -m venv --without-pip .venv
    step "安装 pip " ".venv/bin/python" "$PIP_WHEEL/pip" install --no-index --no-deps "$PIP_WHEEL"
  else
    cat "$STEP_LOG" >> "$LOG"
  fi
fi

# --- duban ------------------------------------------------------------------------------------
if [ -n "$SOURCE" ]; then
  echo "正在从源代码安装督办（需要联网）：$SOURCE"
  step "安装督办" ".venv/bin/python" -m pip install --upgrade "$SOURCE"
else
  echo "正在安装督办（不需要网络，约一两分钟）……"
  # PIP_CONFIG_FILE=/dev/null: the kit alone decides what is installed, whatever pip.conf says.
  # --upgrade, never a downgrade: each kit stamps its duban (0.1.0+20261206.165312, kit.py), so
  # a newer kit's duban is newer even when its version number is the same.
  step "安装督办" env PIP_CONFIG_FILE=/dev/null ".venv/bin/python" -m pip install --no-index "${FIND_LINKS[@]}" \
    --upgrade duban
fi
# duban --version, run the way the other scripts run it: .venv/bin/duban holds the absolute
# path of wherever the workspace was when duban was last installed, python -m does not.
NEW_VERSION="$(".venv/bin/python" -I -m toolkit --version 2> "$STEP_LOG")" || {
  cat "$STEP_LOG" >> "$LOG"
  step_failed "启动督办"
}
echo "【成功】$NEW_VERSION" >> "$LOG"
if [ -z "$SOURCE" ]; then
  # Scripts that match the new version; nothing else in the workspace is touched.
  step "更新双击脚本" ".venv/bin/python" -I -c \
    'import sys; from toolkit.actions.kit import refresh_scripts; refresh_scripts(sys.argv[1])' "$WS"
fi
rm -f "$STEP_LOG"

echo
if [ "$OLD_VERSION" = "$NEW_VERSION" ]; then
  echo "【成功】安装完成：已经是 $NEW_VERSION，无需升级。工作区里的数据没有改动。"
elif [ -n "$OLD_VERSION" ]; then
  echo "【成功】安装完成：已从 $OLD_VERSION 升级到 $NEW_VERSION。工作区里的数据没有改动。"
else
  echo "【成功】安装完成：$NEW_VERSION"
fi
echo "程序装在：$WS/.venv"
echo "以后每月运行“一键月报”即可；也可以分步运行 1-下发填报表、2-收取并汇总、3-生成通报、4-发送邮件。"
pause
exit 0
