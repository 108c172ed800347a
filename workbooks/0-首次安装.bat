@echo off
chcp 65001 >nul
setlocal
title 督办 - 首次安装
rem 督办 - 首次安装：在工作区里建 .venv，从离线安装包的 wheels 文件夹安装督办。不需要网络，也不需要管理员权限。
rem 把原来的工作区文件夹拖到本文件上松开：用本安装包升级那个工作区（只换程序和双击脚本，数据不动）。
rem Never uses the network: pip runs with --no-index on the kit's wheels. Every failure names its
rem cause (no Python or only the Store stub, too old, 32-bit, no wheel for this PC, disk full,
rem read-only); the network is blamed only when installing from a source checkout, which uses it.
rem No "for /f" over a command anywhere: it breaks on paths with spaces. Output goes through a
rem temp file and "set /p" instead. No parenthesised blocks around paths: a ")" in a path
rem (Program Files (x86)) would end the block. Failures are tested with "if errorlevel", not
rem "||", which Wine's cmd (used to test these scripts) gets wrong.
set "HERE=%~dp0"
if "%HERE:~-1%"=="\" set "HERE=%HERE:~0,-1%"
set "WS=%HERE%"
if not "%~1"=="" set "WS=%~f1"
set "NEEDED_MB=300"
set "LOG="
set "STEP="
set "SOURCE="
if not exist "%WS%\duban.toml" goto not_workspace
pushd "%WS%"
echo 督办 - 首次安装
for %%p in ("%WS%") do echo 工作区：%%~p

rem ---- a folder Windows can install into. Unless long paths are enabled (they are not by
rem default) Windows refuses a path of 260 characters or more, and pip stops midway with an
rem English OSError. The deepest files an install writes are in .venv\Lib\site-packages\
rem (25 characters) plus up to about 100 (lxml's iso_schematron_skeleton_for_xslt1.xsl is 91;
rem a .pyc is first written under its name plus "." and about 14 digits, 97 for pip's deepest),
rem so the workspace's path may take 120 characters: some room for deeper files in later
rem versions, and the outputs' paths stay under the 218 characters Excel opens.
rem kit.MAX_WORKSPACE_CHARS; tests/test_qa63_deep_install.py. Counted one character at a time:
rem the character at offset 120 of WS would do on Windows, but Wine's cmd (the tests' Windows)
rem reads past the end of a shorter string for it instead of giving nothing.
set "MAX_CHARS=120"
set "WS_LEFT=%WS%"
set "WS_CHARS=0"
:count_ws
if defined WS_LEFT set "WS_LEFT=%WS_LEFT:~1%" & set /a WS_CHARS+=1 & goto count_ws
rem An upgrade into a workspace whose .venv is already there writes no deeper than its first
rem install did: only a new install is stopped (pip's own long-path failure still says so).
if %WS_CHARS% GTR %MAX_CHARS% if not exist "%WS%\.venv\Scripts\python.exe" goto path_too_long

rem Settings other software leaves behind (ArcGIS sets PYTHONHOME; a pip.ini with user=true or
rem a constraints file that is not there) break a venv install: this run does without them.
set "PYTHONHOME="
set "PYTHONPATH="
set "PIP_USER="
set "PIP_TARGET="
set "PIP_PREFIX="
set "PIP_REQUIRE_VIRTUALENV="
set "PIP_CONSTRAINT="
set "PIP_REQUIREMENT="
set "PIP_FIND_LINKS="
set "PIP_NO_BINARY="
set "PIP_ONLY_BINARY="
set "PIP_NO_INDEX="
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"

rem ---- can we write here
set "PROBE=%WS%\.duban-install-test.tmp"
echo.>"%PROBE%" 2>nul
if not exist "%PROBE%" goto readonly
del "%PROBE%" >nul 2>nul
if not exist "%WS%\日志" mkdir "%WS%\日志" 2>nul
if not exist "%WS%\日志" goto readonly
set "LOG=%WS%\日志\安装.log"
set "STEP=%WS%\日志\.安装-本步.log"
echo.>>"%LOG%"
echo === %DATE% %TIME% 0-首次安装>>"%LOG%"

rem ---- the wheels: in the workspace, or beside it as the kit lays them out
set "FIND_LINKS="
set "RANGEFILE="
set "KIT_PYTHONS="
call :add_wheels "%WS%\wheels"
call :add_wheels "%WS%\..\wheels"
if /i not "%HERE%"=="%WS%" call :add_wheels "%HERE%\wheels"
if /i not "%HERE%"=="%WS%" call :add_wheels "%HERE%\..\wheels"
if defined DUBAN_WHEELS call :add_wheels "%DUBAN_WHEELS%"
if defined FIND_LINKS goto have_wheels
rem A developer's checkout: install from the source tree, which does use the network.
if defined DUBAN_SOURCE set "SOURCE=%DUBAN_SOURCE%"
if not defined SOURCE if exist "%HERE%\..\setup.cfg" for %%d in ("%HERE%\..") do set "SOURCE=%%~fd"
if not defined SOURCE goto no_wheels
:have_wheels

rem ---- the venv: keep a working one (upgrade), else make one
set "VPY=%WS%\.venv\Scripts\python.exe"
set "OLD_VERSION="
if not exist "%VPY%" goto make_venv
"%VPY%" -c "import sys; sys.exit(10 if sys.version_info < (3, 10) else 0)" >nul 2>nul
if errorlevel 1 goto broken_venv
rem An earlier install is one whose duban runs: a .venv left by an install that stopped midway
rem (pip failed, the window was closed) has a Python but no duban, and is made anew.
rem -X utf8: "duban，版本 …" goes through a file that "set /p" reads in this window's code page,
rem 65001; Python writes files in the ANSI code page (GBK on a Chinese Windows) otherwise, and
rem -I makes it ignore PYTHONIOENCODING.
"%VPY%" -X utf8 -I -m toolkit --version >"%STEP%" 2>nul
if errorlevel 1 goto unfinished_venv
set /p OLD_VERSION=<"%STEP%"
if not defined OLD_VERSION goto unfinished_venv
echo 已经安装过（%OLD_VERSION%），现在升级；工作区里的数据不会改动。
"%VPY%" -c "import shutil, sys; sys.exit(12 if shutil.disk_usage('.').free < %NEEDED_MB% * 2**20 else 0)"
if errorlevel 12 goto disk_full
goto install

:unfinished_venv
if %WS_CHARS% GTR %MAX_CHARS% goto path_too_long
echo 上次安装没有完成（.venv 里的督办不能运行），删除 .venv 重新安装。
goto remove_venv

:broken_venv
rem A new .venv is a new install: the same path-length stop as for a first one.
if %WS_CHARS% GTR %MAX_CHARS% goto path_too_long
echo 原来的 .venv 无法使用（可能 Python 被卸载或换过），重新创建。
:remove_venv
rmdir /s /q "%WS%\.venv" 2>nul
if exist "%WS%\.venv" goto venv_locked

:make_venv
call :find_python
if defined PY goto have_python
if defined OUTPY goto python_outside_kit
if defined OLDPY goto python_old
if defined PY32 goto python_32
where python 2>nul | findstr /i "WindowsApps" >nul && goto python_stub
goto python_missing

:have_python
echo 使用 Python：
"%PY%" %PYARG% -c "import sys; print(sys.version.split()[0], sys.executable)"
"%PY%" %PYARG% -c "import shutil, sys; sys.exit(12 if shutil.disk_usage('.').free < %NEEDED_MB% * 2**20 else 0)"
if errorlevel 12 goto disk_full
echo 正在创建 .venv ……
set "WHAT=创建 .venv "
"%PY%" %PYARG% -m venv "%WS%\.venv" >"%STEP%" 2>&1
set "RC=%ERRORLEVEL%"
type "%STEP%" >>"%LOG%"
if not "%RC%"=="0" goto step_failed

:install
set "WHAT=安装督办"
if defined SOURCE goto install_source
echo 正在安装督办（不需要网络，约一两分钟）……
rem PIP_CONFIG_FILE=nul (os.devnull): the kit alone decides what is installed, whatever pip.ini says.
set "PIP_CONFIG_FILE=nul"
rem --upgrade, never a downgrade: each kit stamps its duban (0.1.0+20261206.165312, kit.py), so a
rem newer kit's duban is newer even when its version number is the same.
"%VPY%" -m pip install --no-index %FIND_LINKS% --upgrade duban >"%STEP%" 2>&1
set "RC=%ERRORLEVEL%"
set "PIP_CONFIG_FILE="
goto installed
:install_source
for %%p in ("%SOURCE%") do echo 正在从源代码安装督办（需要联网）：%%~p
"%VPY%" -m pip install --upgrade "%SOURCE%" >"%STEP%" 2>&1
set "RC=%ERRORLEVEL%"
:installed
type "%STEP%" >>"%LOG%"
if not "%RC%"=="0" goto step_failed

set "WHAT=启动督办"
set "NEW_VERSION="
rem duban --version, run the way the other scripts run it: .venv\Scripts\duban.exe holds the
rem absolute path of wherever the workspace was when duban was last installed; python -m does not.
"%VPY%" -X utf8 -I -m toolkit --version >"%STEP%" 2>&1
set "RC=%ERRORLEVEL%"
set /p NEW_VERSION=<"%STEP%"
type "%STEP%" >>"%LOG%"
if not "%RC%"=="0" goto step_failed
if defined SOURCE goto done
rem Scripts that match the new version. The running .bat is left alone: cmd rereads it by
rem byte offset, so replacing it now would run the middle of some other line.
set "WHAT=更新双击脚本"
set "KEEP=1"
if /i not "%HERE%"=="%WS%" set "KEEP=0"
"%VPY%" -I -c "import sys; from toolkit.actions.kit import refresh_scripts; refresh_scripts(sys.argv[1], sys.argv[2] == '1')" "%WS%" %KEEP% >"%STEP%" 2>&1
set "RC=%ERRORLEVEL%"
type "%STEP%" >>"%LOG%"
if not "%RC%"=="0" goto step_failed

:done
del "%STEP%" >nul 2>nul
echo.
if not defined OLD_VERSION goto done_new
if "%OLD_VERSION%"=="%NEW_VERSION%" echo 【成功】安装完成：已经是 %NEW_VERSION%，无需升级。工作区里的数据没有改动。
if not "%OLD_VERSION%"=="%NEW_VERSION%" echo 【成功】安装完成：已从 %OLD_VERSION% 升级到 %NEW_VERSION%。工作区里的数据没有改动。
goto done_where
:done_new
echo 【成功】安装完成：%NEW_VERSION%
:done_where
for %%p in ("%WS%\.venv") do echo 程序装在：%%~p
echo 以后每月双击“一键月报.bat”即可；也可以分步双击 1-下发填报表、2-收取并汇总、3-生成通报、4-发送邮件。
pause
popd
exit /b 0

rem ---- subroutines

:add_wheels
if not exist "%~1\duban-*.whl" goto :eof
set FIND_LINKS=%FIND_LINKS% --find-links "%~f1"
if not defined RANGEFILE if exist "%~f1\适用范围.txt" set "RANGEFILE=%~f1\适用范围.txt"
rem "3.10 3.11 3.12 3.13 3.14", written by duban kit (kit.PYTHONS_NAME, CRLF for "set /p"); an older kit has none.
if not defined KIT_PYTHONS if exist "%~f1\python-versions.txt" set /p KIT_PYTHONS=<"%~f1\python-versions.txt"
goto :eof

:find_python
rem The py launcher picks a version the kit has wheels for; then python on PATH; then the
rem folders python.org's installer uses when "Add to PATH" was not ticked.
set "PY="
set "PYARG="
set "OLDPY="
set "PY32="
set "OUTPY="
for %%v in (3.12 3.11 3.13 3.14 3.10) do if not defined PY call :try_python "py" "-%%v"
if not defined PY call :try_python "py" "-3"
if not defined PY call :try_python "python" ""
if not defined PY for /d %%d in ("%LOCALAPPDATA%\Programs\Python\Python3*") do if not defined PY call :try_python "%%~fd\python.exe" ""
rem Python 3.14's install manager (pymanager, python.org's default download for Windows since
rem 3.14) puts each runtime in %LOCALAPPDATA%\Python\pythoncore-3.14-64 and the like.
if not defined PY for /d %%d in ("%LOCALAPPDATA%\Python\pythoncore-3*") do if not defined PY call :try_python "%%~fd\python.exe" ""
if not defined PY for /d %%d in ("%ProgramFiles%\Python3*") do if not defined PY call :try_python "%%~fd\python.exe" ""
goto :eof

:try_python
rem Exit 10: older than 3.10; 11: 32-bit; 13: not one of the kit's versions (pip would find no
rem wheels for it, and say so in English only after .venv is made). Anything else (9009 from
rem the Store stub, "not found") means this one does not run at all. No "%" in the Python:
rem cmd would expand it.
"%~1" %~2 -c "import struct, sys; v = sys.version_info; kit = ' '.join(sys.argv[1:]).split(); sys.exit(10 if v < (3, 10) else 11 if struct.calcsize('P') < 8 else 13 if kit and '.'.join(map(str, v[:2])) not in kit else 0)" "%KIT_PYTHONS%" >nul 2>nul
set "TRC=%ERRORLEVEL%"
if "%TRC%"=="0" set "PY=%~1"
if "%TRC%"=="0" set "PYARG=%~2"
if "%TRC%"=="10" if not defined OLDPY set OLDPY="%~1" %~2
if "%TRC%"=="11" if not defined PY32 set PY32="%~1" %~2
if "%TRC%"=="13" if not defined OUTPY set OUTPY="%~1" %~2
goto :eof

rem ---- failures: what happened, then what to do

:not_workspace
echo.
for %%p in ("%WS%") do echo 【失败】“%%~p”不是督办工作区（里面没有 duban.toml）。
echo 请先把安装包完整解压（右键→全部解压缩），再双击解压出的“督办工作区”里的本文件；不要在压缩包里直接双击。
echo 升级时，请把原来的工作区文件夹（里面有 duban.toml）拖到本文件上。
goto fail_end

:readonly
echo.
echo 【失败】无法在工作区里写文件：这个文件夹是只读的（例如在光盘、受保护的 U 盘或只读的共享文件夹里），或者你没有写入权限。
echo 请把整个安装包复制到本机硬盘上自己的文件夹（例如 D:\督办 或“文档”）里，再从那里双击本文件。
goto fail_end

:path_too_long
echo.
echo 【失败】工作区的路径太长：Windows 不能在这么深的文件夹里安装（工作区的路径最多 %MAX_CHARS% 个字符）。
echo 请把安装包（升级时是原来的工作区）整个移到路径短的文件夹里，例如 D:\督办，再双击本文件。
goto fail_end

:disk_full
echo.
echo 【失败】磁盘空间不足：安装需要约 %NEEDED_MB% MB。
echo 请删除一些文件腾出空间，或把安装包复制到空间更大的磁盘（例如 D 盘）后再运行。
goto fail_end

:no_wheels
echo.
echo 【失败】找不到安装文件（wheels 文件夹）。
echo 请从完整解压的离线安装包里运行本文件，或把安装包里的 wheels 文件夹复制到工作区里再运行。
goto fail_end

:venv_locked
echo.
echo 【失败】无法删除损坏的 .venv 文件夹，可能有督办程序还在运行。
echo 请关闭其他督办窗口，手动删除工作区里的 .venv 文件夹后再运行。
goto fail_end

:python_missing
echo.
echo 【失败】这台电脑上没有安装 Python。
goto python_advice

:python_stub
echo.
echo 【失败】这台电脑上的 python 只是 Microsoft Store 的占位程序（WindowsApps\python.exe），并没有安装 Python。
goto python_advice

:python_old
echo.
echo 【失败】这台电脑上的 Python 太旧，督办需要 Python 3.10 或更新版本。找到的是：
%OLDPY% --version
goto python_advice

:python_outside_kit
%OUTPY% --version >"%STEP%" 2>&1
set "OUTVER="
set /p OUTVER=<"%STEP%"
echo.
echo 【失败】本安装包只适用于 Python %KIT_PYTHONS: =、%，这台电脑上找到的是 %OUTVER%。
echo 请联系信息技术人员安装 Python %KIT_PYTHONS: =、% 中的一个版本（64 位），装好后再双击本文件；或请技术支持用 duban kit 生成适用于这个 Python 版本的安装包。
goto fail_end

:python_32
echo.
echo 【失败】这台电脑上的 Python 是 32 位的，安装包里只有 64 位的组件。找到的是：
%PY32% --version
goto python_advice

:python_advice
rem The kit's own Pythons when it says them, else every version duban's kits hold (kit.PYTHONS).
set "WANT=3.10–3.14"
if defined KIT_PYTHONS set "WANT=%KIT_PYTHONS: =、%"
rem The example installer is the newest the kit holds (the list is oldest first), as the kit guide says.
set "NEWEST=3.12"
if defined KIT_PYTHONS for %%v in (%KIT_PYTHONS%) do set "NEWEST=%%v"
echo 请联系信息技术人员安装 Python %WANT% 的 64 位版本：python.org 的“Windows installer (64-bit)”，
echo 例如 python-%NEWEST%.x-amd64.exe。安装时选“Install Now”即可，不需要管理员权限。装好后再双击本文件。
goto fail_end

:step_failed
rem Ctrl-C: Windows ends a Python 0xC000013A (-1073741510, STATUS_CONTROL_C_EXIT); pip catches
rem it and exits 1, saying so. Said as the .sh says it, not as a failure of unknown cause.
if "%RC%"=="-1073741510" goto interrupted
findstr /c:"Operation cancelled by user" "%STEP%" >nul && goto interrupted
rem The cause, read from pip's or venv's own words: error numbers, not localised text.
findstr /c:"Errno 28" /c:"No space left" /c:"WinError 112" "%STEP%" >nul && goto disk_full
findstr /c:"WinError 206" /c:"Long Path" "%STEP%" >nul && goto path_too_long
findstr /c:"Errno 13" /c:"Errno 30" /c:"WinError 5]" /c:"WinError 19]" /c:"Permission denied" "%STEP%" >nul && goto readonly
rem A wheel cut short on the USB stick or by an unzip that stopped: copying the kit again fixes it.
if not defined SOURCE findstr /c:"is invalid" /c:"invalid wheel" /c:"BadZipFile" "%STEP%" >nul && goto corrupt_wheel
if not defined SOURCE findstr /c:"No matching distribution" /c:"Could not find a version" "%STEP%" >nul && goto no_wheel
if defined SOURCE findstr /c:"NewConnectionError" /c:"Failed to establish" /c:"getaddrinfo" /c:"Max retries exceeded" /c:"ProxyError" /c:"SSLError" "%STEP%" >nul && goto no_network
rem Not pip's English output: fail_end names the log that holds all of it for whoever helps.
echo.
echo 【失败】%WHAT%没有完成：原因不是常见的几种（磁盘已满、文件夹只读、路径太长、缺少组件、文件损坏），完整记录见下面的日志文件。
goto fail_end

:no_wheel
echo.
echo 【失败】安装包里没有适合这台电脑的组件：
findstr /c:"No matching distribution" "%STEP%"
echo 这台电脑的 Python：
"%VPY%" -c "import platform, sys; print(platform.python_version(), platform.architecture()[0], sys.platform)"
if defined RANGEFILE type "%RANGEFILE%"
echo 请改用上面范围内的 Python（删除工作区里的 .venv 文件夹后重新运行本文件），或请技术支持用 duban kit 生成包含这台电脑的安装包。
goto fail_end

:corrupt_wheel
echo.
echo 【失败】安装包里的文件已损坏（可能拷贝或解压时没有完整）。
echo 请把完整的安装包重新拷到这台电脑上（用压缩包时重新解压），再运行本文件；仍然不行时请技术支持重新生成安装包。
goto fail_end

:interrupted
echo.
echo 【失败】安装被中断（按了 Ctrl-C），没有装完。
echo 请重新运行本文件：没装完的部分会重新安装，工作区里的数据不受影响。
goto fail_end

:no_network
echo.
echo 【失败】从源代码安装需要联网下载组件，但连不上软件包仓库。请检查网络后重试，或改用离线安装包。
goto fail_end

:fail_end
if defined LOG echo 【失败】见上一步的记录。>>"%LOG%"
if defined LOG for %%p in ("%LOG%") do echo 安装过程记录在：%%~p（求助时请发给技术支持）
pause
popd
exit /b 2
