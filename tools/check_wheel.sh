#!/usr/bin/env bash
# Build the wheel, install it in a clean venv outside the checkout, and use it as a user would:
# `ptce demo --out`, `ptce report`, every module imported, the main window opened (offscreen).
# An editable install hides a subpackage missing from the wheel; this does not.
#   tools/check_wheel.sh            (PYTHON=python3 by default; KEEP=1 keeps the temporary folder)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ptce-wheel.XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
fail() { echo "Vérification du paquet : $*" >&2; exit 1; }

# Nothing from the checkout may leak in: no PYTHONPATH, and every command runs from $WORK/cwd.
unset PYTHONPATH PTCE_TOOLKIT_DB
export PTCE_TOOLKIT_DATA="$WORK/donnees" QT_QPA_PLATFORM=offscreen
mkdir -p "$WORK/cwd" "$WORK/dist"
cd "$WORK/cwd"

echo "== Construction de la roue (wheel)"
# From a copy of the files git knows (tracked, or new and not ignored): a stale build/ folder
# in the checkout would otherwise slip files into the wheel that the sources no longer ship.
mkdir -p "$WORK/src"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard \
  | tar -C "$ROOT" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$WORK/src" \
  || fail "copie des sources impossible."
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$WORK/src" > "$WORK/wheel.log" 2>&1 \
  || { cat "$WORK/wheel.log" >&2; fail "la roue n’a pas pu être construite."; }
WHEEL="$(ls "$WORK"/dist/ptce_toolkit-*.whl)"
echo "$(basename "$WHEEL")"

echo "== Environnement neuf et installation de la roue avec ses dépendances"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install --quiet "$WHEEL" > "$WORK/pip.log" 2>&1 || { cat "$WORK/pip.log" >&2; fail "l’installation de la roue a échoué."; }
"$VPY" -m pip list 2>/dev/null | grep -i -E '^(pyside6|shiboken6)' || true
SITE="$("$VPY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

echo "== ptce demo --out"
UUID="$("$WORK/venv/bin/ptce" --db "$WORK/demo.sqlite3" demo --out "$WORK/sortie")" || fail "« ptce demo » a échoué."
for f in demo.json demo.pdf demo.xlsx; do [ -s "$WORK/sortie/$f" ] || fail "« $f » manque dans la sortie de « ptce demo »."; done
"$VPY" - "$WORK/sortie" <<'PY' || fail "les fichiers de démonstration ne sont pas valides."
import json, sys, zipfile
from pathlib import Path
import openpyxl
out = Path(sys.argv[1])
data = json.loads((out / "demo.json").read_text(encoding="utf-8"))
assert data["format"] == "ptce-assessment", data.get("format")
assert (out / "demo.pdf").read_bytes()[:5] == b"%PDF-"
assert zipfile.is_zipfile(out / "demo.xlsx")
wb = openpyxl.load_workbook(out / "demo.xlsx", read_only=True)
assert "_meta" in wb.sheetnames, wb.sheetnames
wb.close()
PY
if command -v qpdf >/dev/null; then qpdf --check "$WORK/sortie/demo.pdf" >/dev/null || fail "demo.pdf est invalide (qpdf)."; fi

echo "== ptce report ${UUID:0:8} -o rapport.pdf"
"$WORK/venv/bin/ptce" --db "$WORK/demo.sqlite3" report "${UUID:0:8}" -o "$WORK/rapport.pdf" || fail "« ptce report » a échoué."
if command -v qpdf >/dev/null; then qpdf --check "$WORK/rapport.pdf" >/dev/null || fail "rapport.pdf est invalide (qpdf)."; fi

echo "== Import de chaque module et fenêtre principale (hors écran)"
"$VPY" "$ROOT/tools/wheel_probe.py" "$WORK/demo.sqlite3" "$UUID" "$SITE" || fail "modules ou fenêtre principale en échec."
echo "Roue vérifiée : installée hors du dépôt, démo, rapport, modules et fenêtre principale."
