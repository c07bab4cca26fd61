#!/bin/sh
# Installs the Linux bundle for the current user, without root:
#   sh install.sh [BUNDLE_FOLDER]      (default: the folder beside this script, or dist/ptce-toolkit)
# Copies the bundle to ~/.local/opt/ptce-toolkit, links the `ptce` command into
# ~/.local/bin, adds the menu entry and the icon. `sh install.sh --uninstall` removes them.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${XDG_DATA_HOME:-$HOME/.local/share}
TARGET=$HOME/.local/opt/ptce-toolkit
DESKTOP=$PREFIX/applications/fr.ptce_toolkit.PTCEToolkit.desktop
ICON=$PREFIX/icons/hicolor/512x512/apps/ptce-toolkit.png

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$TARGET" "$DESKTOP" "$ICON" "$HOME/.local/bin/ptce"
    echo "PTCE Toolkit désinstallé (vos données restent dans ${XDG_DATA_HOME:-$HOME/.local/share}/PTCE Toolkit)."
    exit 0
fi

SOURCE=${1:-}
if [ -z "$SOURCE" ]; then
    for candidate in "$HERE/ptce-toolkit" "$HERE/../dist/ptce-toolkit"; do
        [ -x "$candidate/ptce-toolkit" ] && SOURCE=$candidate && break
    done
fi
[ -n "$SOURCE" ] && [ -x "$SOURCE/ptce-toolkit" ] || { echo "Bundle introuvable : lancez d’abord « make bundle »." >&2; exit 1; }

mkdir -p "$(dirname "$TARGET")" "$PREFIX/applications" "$(dirname "$ICON")" "$HOME/.local/bin"
rm -rf "$TARGET"
cp -a "$SOURCE" "$TARGET"
ln -sf "$TARGET/ptce" "$HOME/.local/bin/ptce"
cp "$HERE/../icons/ptce-toolkit.png" "$ICON" 2>/dev/null || cp "$HERE/ptce-toolkit.png" "$ICON"
sed "s|@BUNDLE@|$TARGET|g" "$HERE/fr.ptce_toolkit.PTCEToolkit.desktop" > "$DESKTOP"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q "$PREFIX/icons/hicolor" 2>/dev/null || true
echo "PTCE Toolkit installé dans $TARGET (menu Bureautique ; commande « ptce » dans ~/.local/bin)."
