@echo off
chcp 65001 >nul
setlocal
rem pushd, not cd: a workspace opened from the network (\\server\share\...) gets a drive
rem letter for the run (cmd cannot stand in a UNC folder; cd left it in C:\Windows, and the
rem script then said duban was not installed); popd before each exit gives it back.
pushd "%~dp0"
title 督办 - 发送邮件
rem 督办 - 发送邮件（Windows 双击运行；与同名 .sh/.command 做同样的事）
set "PERIOD_FOR="
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
rem Sending stays deliberate: the user picks the kind here, and "duban mail send" lists what
rem will go out and asks once more before sending anything. 催报 writes the month's reminders
rem first (duban remind: a unit that has reported since gets none, its old draft withdrawn; a
rem unit mailed today keeps that mail, which is not sent again). remind exits 1 when a unit may
rem have reported (its 请核实 lines): the office is asked before anything is listed to send,
rem Enter sends nothing. Any other failure of remind sends nothing.
echo 要发送哪一种邮件？
echo   1  下发：各单位的填报表
echo   2  反馈：退回修改的单位
echo   3  催报：还没有报送的单位
set "CHOICE="
set /p "CHOICE=请输入 1、2 或 3（直接回车取消）："
if not defined CHOICE goto cancelled
set "CHOICE=%CHOICE:"=%"
set "KIND="
if "%CHOICE%"=="1" set "KIND=issue"
if "%CHOICE%"=="2" set "KIND=feedback"
if "%CHOICE%"=="3" set "KIND=remind"
if not defined KIND goto bad_choice
rem 反馈 and 催报 are about the returns coming in: on 7 December, December's forms just out, those
rem are November's, and Enter offers November (duban period --for-returns); 下发 the current month.
if not "%KIND%"=="issue" set "PERIOD_FOR=--for-returns"
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
set "OK=发送情况见上面的列表。"
set "OPEN="
if "%KIND%"=="remind" goto remind_first
:send
%DUBAN% mail send %KIND% --period "%PERIOD%"
set "RC=%ERRORLEVEL%"
rem A 反馈 whose correction date passed is held back (exit 1), its line saying --renew writes it
rem again today: a double-clicking office cannot type that, so it is asked here when --renewable
rem says some would be (exit 1; drafts edited or sent are never). Enter writes nothing.
if not "%KIND%"=="feedback" goto finish
if not "%RC%"=="1" goto finish
%DUBAN% mail send feedback --period "%PERIOD%" --renewable >nul 2>nul
if not "%ERRORLEVEL%"=="1" goto finish
echo.
echo 以上反馈邮件中有要求重新报送的日期已过、没有发送的（见上面几行）。按今天重新生成时，改报日期从今天起算，
echo 是否按时改报按新的日期判断。
set "GO="
set /p "GO=是否按今天重新生成这些反馈邮件？输入 y 重新生成并列出将发送的邮件（发送前还会再确认），直接回车不重新生成："
if not defined GO goto renew_no
set "GO=%GO:"=%"
if /i "%GO%"=="y" goto renew
:renew_no
echo.
echo 没有重新生成，日期已过的反馈邮件没有发送。
goto finish
:renew
%DUBAN% mail send feedback --period "%PERIOD%" --renew
set "RC=%ERRORLEVEL%"
goto finish

:remind_first
%DUBAN% remind --period "%PERIOD%"
set "RC=%ERRORLEVEL%"
if "%RC%"=="0" goto send
if not "%RC%"=="1" echo 没有发送任何催报邮件。& goto finish
echo.
echo 以上催报邮件中可能有发给已报送单位的（见上面几行）：建议先双击“2-收取并汇总”收取登记，或双击“5-逐条核实”逐条回答，
echo 再来催报（已报送单位的催报草稿会自动撤回）。
set "GO="
set /p "GO=仍要现在发送催报邮件吗？输入 y 列出将发送的邮件（发送前还会再确认），直接回车不发送："
if not defined GO goto remind_stop
set "GO=%GO:"=%"
if /i "%GO%"=="y" goto send
:remind_stop
echo.
echo 【未发送】没有发送任何催报邮件。请按上面各行核实后，再运行“4-发送邮件”。
pause
popd
exit /b 1

:cancelled
echo.
echo 【已取消】没有发送任何邮件。
pause
popd
exit /b 0

:bad_choice
echo.
echo 【未完成】输入的不是 1、2、3 中的一个，没有发送任何邮件。
pause
popd
exit /b 2

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
