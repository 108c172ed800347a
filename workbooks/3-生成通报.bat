@echo off
chcp 65001 >nul
setlocal
rem pushd, not cd: a workspace opened from the network (\\server\share\...) gets a drive
rem letter for the run (cmd cannot stand in a UNC folder; cd left it in C:\Windows, and the
rem script then said duban was not installed); popd before each exit gives it back.
pushd "%~dp0"
title 督办 - 生成通报
rem 督办 - 生成通报（Windows 双击运行；与同名 .sh/.command 做同样的事）
rem Enter offers the month whose returns come in (duban period --for-returns): on 8 December,
rem December's forms out on the 6th, November's, whose late returns are collected and 通报 made.
set "PERIOD_FOR=--for-returns"
rem ==== 找到督办（各双击脚本相同的一段）====
rem The workspace's own .venv first, then a duban on PATH. The venv's python runs -m toolkit,
rem not .venv\Scripts\duban.exe: that launcher holds the absolute path it was installed at and
rem breaks when the workspace is moved. No "for /f" over a command (it breaks on paths with
rem spaces): output goes through a temp file and "set /p". No parenthesised blocks around
rem paths: a ")" in a path such as "Program Files (x86)" would end the block. -I keeps the
rem current folder off sys.path, so no file in it can stand in for a module. Failures are
rem tested with "if errorlevel", not "||", which Wine's cmd (used to test these) gets wrong.
set "PYTHONHOME="
set "PYTHONPATH="
set "WS=%CD%"
set "TMPF=%TEMP%\duban-%RANDOM%%RANDOM%.txt"
if exist "%WS%\.venv\Scripts\python.exe" goto duban_venv
where duban >nul 2>nul
if errorlevel 1 goto duban_missing
set DUBAN=duban -w "%WS%"
where duban >"%TMPF%" 2>nul
set /p WHICH=<"%TMPF%"
del "%TMPF%" >nul 2>nul
goto duban_found
:duban_venv
"%WS%\.venv\Scripts\python.exe" -I -c "import toolkit" >nul 2>nul
if errorlevel 1 goto duban_broken
set DUBAN="%WS%\.venv\Scripts\python.exe" -I -m toolkit -w "%WS%"
set "WHICH=本工作区的 .venv"
:duban_found
for %%p in ("%WS%") do echo 工作区：%%~p
for %%p in ("%WHICH%") do echo 督办程序：%%~p
rem ==== 找到督办：结束 ====
rem ==== 询问期次：直接回车取督办给的期次（duban period；下发用 --for-issue，收取、汇总、通报、核实、反馈、催报用 --for-returns）====
rem --why says on the console (stderr: the temp file keeps the period alone) why Enter's period is not duban.toml's.
set "CURRENT="
%DUBAN% period %PERIOD_FOR% --why >"%TMPF%"
set "RC=%ERRORLEVEL%"
set /p CURRENT=<"%TMPF%"
del "%TMPF%" >nul 2>nul
if not "%RC%"=="0" goto finish
set "PERIOD="
set /p "PERIOD=请输入期次，如 2022-06（直接回车为 %CURRENT%）："
if not defined PERIOD set "PERIOD=%CURRENT%"
if defined PERIOD set "PERIOD=%PERIOD:"=%"
rem ==== 询问期次：结束 ====
set "OK=通报已生成，正在打开。"
set "OPEN=通报"
%DUBAN% memo --period "%PERIOD%"
set "RC=%ERRORLEVEL%"
goto finish

rem ==== 结果：每个退出码一句实话（见 duban --help），生成了结果时（0、1）打开结果 ====
:finish
echo.
if "%RC%"=="0" goto finish_ok
if "%RC%"=="1" goto finish_issues
if "%RC%"=="2" echo 【未完成】请按上面以“错误：”开头的那一行处理后再运行。& goto finish_end
if "%RC%"=="3" echo 【程序出错】这是督办程序的问题，不是操作错误。请把“日志\duban.log”发给技术支持。& goto finish_end
if "%RC%"=="4" echo 【未运行】另一个督办程序正在处理这个工作区，请等它结束后再运行。& goto finish_end
if "%RC%"=="130" echo 【已取消】& goto finish_end
rem -1073741510 is 0xC000013A, STATUS_CONTROL_C_EXIT: Windows ends a process so when Ctrl-C
rem comes before duban can say 已取消 and exit 130 itself (while Python starts up).
if "%RC%"=="-1073741510" echo 【已取消】& goto finish_end
echo 【失败】督办没有正常结束（代码 %RC%）。请把本窗口截图和“日志\duban.log”发给技术支持。
goto finish_end
:finish_issues
rem 5-逐条核实 is named only when it has something to ask (duban verify --check exits 1): an
rem unknown file or another month's form is not among its questions, but dealt with as its line says.
%DUBAN% verify --check --period "%PERIOD%" >nul 2>nul
if "%ERRORLEVEL%"=="1" echo 【已完成，但有问题需要处理】请看上面列出的问题；其中要核实报送时间、发件人或过大邮件的，可双击“5-逐条核实”逐条回答。& goto finish_open
echo 【已完成，但有问题需要处理】请看上面列出的问题，按各行的说明办理。
goto finish_open
:finish_ok
echo 【成功】%OK%
rem Opened on 1 too: the 汇总表 or 通报 was made; what needs attention is said above it.
:finish_open
if defined OPEN %DUBAN% open %OPEN% --period "%PERIOD%" -q
:finish_end
pause
popd
exit /b %RC%

:duban_missing
echo 【失败】还没有安装督办工具。请先双击“0-首次安装.bat”。
pause
popd
exit /b 2

:duban_broken
echo 【失败】本工作区的督办安装不完整或已损坏（.venv 无法使用）。请重新双击“0-首次安装.bat”。
pause
popd
exit /b 2
