#!/usr/bin/env bash
# 督办 - 首次安装（macOS 双击 .command，Linux 运行 .sh）：创建 .venv 并安装督办工具
cd "$(dirname "$0")" || exit 2
echo "正在安装督办工具，首次需要几分钟，请保持网络连接……"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$candidate"; break; fi
  done
fi
if [ -z "$PY" ]; then
  echo "【失败】没有找到 Python。请先安装 Python 3.10 或更新版本，再运行本文件。"
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  exit 2
fi
fail() {
  echo
  echo "【失败】安装没有完成。请检查网络后重试；仍不行时，把本窗口的内容发给技术支持。"
  [ -t 0 ] && read -r -p "按回车键关闭……" _
  exit 2
}
[ -x ".venv/bin/python" ] || "$PY" -m venv .venv || fail
SRC="${DUBAN_SOURCE:-}"
[ -z "$SRC" ] && [ -f "../setup.cfg" ] && SRC=".."
if [ -z "$SRC" ]; then
  for wheel in duban-*.whl; do [ -f "$wheel" ] && SRC="$wheel"; done
fi
[ -z "$SRC" ] && SRC="duban"
.venv/bin/python -m pip install --upgrade "$SRC" || fail
.venv/bin/duban --version || fail
echo
echo "【成功】安装完成。以后每月运行“一键月报”即可。"
[ -t 0 ] && read -r -p "按回车键关闭……" _
exit 0
