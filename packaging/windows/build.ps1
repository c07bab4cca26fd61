# Builds the Windows bundle and its installer. Run from the repository root in PowerShell:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python 3.11 (python.org, 64-bit) and Inno Setup 6 (iscc.exe on PATH or in its
# default folder).
$ErrorActionPreference = "Stop"
$version = (Select-String -Path pyproject.toml -Pattern '^version = "(.+)"').Matches[0].Groups[1].Value
if (-not (Test-Path .venv)) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install --quiet --upgrade pip
.venv\Scripts\python -m pip install --quiet -e ".[dev,bundle]"
.venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build packaging\ptce-toolkit.spec
$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\ptce-toolkit.iss
.venv\Scripts\python -m pytest packaging\test_bundle.py -q
