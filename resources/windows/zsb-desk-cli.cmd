@echo off
rem The desk's command line, installed next to zsb-review-desk.exe (the desk app itself).
rem The exe is a windowed (GUI-subsystem) program: "start /wait" makes cmd wait for it and
rem hands back its exit code (0 success, 1 input refused, 2 wrong usage); its output appears in
rem this console. Add --cli-output=FILE to also keep the output in a UTF-8 file.
rem Kept ASCII on purpose: cmd reads a .cmd file in the console's code page.
setlocal
for /f "tokens=2 delims=:." %%a in ('chcp') do set "DESK_OLD_CP=%%a"
chcp 65001 >nul
start "" /b /wait "%~dp0zsb-review-desk.exe" --cli %*
set "DESK_EXIT=%ERRORLEVEL%"
chcp %DESK_OLD_CP% >nul
exit /b %DESK_EXIT%
