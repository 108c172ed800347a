@echo off
chcp 65001 >nul
setlocal
cd /d "%~dp0"
title 督办 - 首次安装
echo 正在安装督办工具，首次需要几分钟，请保持网络连接……
set "PY="
where py >nul 2>nul && set "PY=py -3"
if not defined PY (
  where python >nul 2>nul && set "PY=python"
)
if not defined PY (
  echo 【失败】没有找到 Python。请先安装 Python 3.10 或更新版本（安装时勾选“Add python.exe to PATH”），再双击本文件。
  pause
  exit /b 2
)
if not exist ".venv\Scripts\python.exe" %PY% -m venv .venv
if errorlevel 1 goto fail
set "SRC=%DUBAN_SOURCE%"
if not defined SRC if exist "..\setup.cfg" set "SRC=.."
if not defined SRC for %%f in (duban-*.whl) do set "SRC=%%f"
if not defined SRC set "SRC=duban"
".venv\Scripts\python.exe" -m pip install --upgrade "%SRC%"
if errorlevel 1 goto fail
".venv\Scripts\duban.exe" --version
if errorlevel 1 goto fail
echo.
echo 【成功】安装完成。以后每月双击“一键月报.bat”即可。
pause
exit /b 0

:fail
echo.
echo 【失败】安装没有完成。请检查网络后重试；仍不行时，把本窗口截图发给技术支持。
pause
exit /b 2
