@echo off
chcp 65001 >nul
setlocal
cd /d "%~dp0"
title 督办 - 生成通报
set "DUBAN=%~dp0.venv\Scripts\duban.exe"
set "PYTHON=%~dp0.venv\Scripts\python.exe"
if not exist "%DUBAN%" (
  where duban >nul 2>nul || goto noinstall
  set "DUBAN=duban"
  set "PYTHON=python"
)
set "DEFAULT="
for /f %%i in ('"%PYTHON%" -c "import datetime as d; t=d.date.today().replace(day=1)-d.timedelta(days=1); print(t.strftime('%%Y-%%m'))"') do set "DEFAULT=%%i"
set "PERIOD="
set /p "PERIOD=请输入期次，如 2022-06（直接回车为 %DEFAULT%）："
if "%PERIOD%"=="" set "PERIOD=%DEFAULT%"
"%DUBAN%" memo --period %PERIOD%
set "RC=%ERRORLEVEL%"
echo.
if "%RC%"=="0" echo 【成功】通报已生成，正在打开。
if "%RC%"=="1" echo 【已完成，但有问题需要处理】请看上面的红色提示（退回的单位已生成反馈表和邮件草稿）。
if %RC% GEQ 2 (
  echo 【失败】请按上面一行的提示处理；需要帮助时，把“日志\duban.log”发给技术支持。
  pause
  exit /b %RC%
)
"%DUBAN%" open 通报 --period %PERIOD% -q
pause
exit /b %RC%

:noinstall
echo 【失败】还没有安装督办工具。请先双击“0-首次安装.bat”。
pause
exit /b 2
