#!/bin/sh
# Packs the Linux bundle for distribution: dist/ptce-toolkit-VERSION-linux-ARCH.tar.gz
# holding ptce-toolkit/ (the bundle), install.sh, the menu entry and the icon.
# Usage (after `make bundle`): sh packaging/linux/make_tarball.sh
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -n 1)
NAME=ptce-toolkit-$VERSION-linux-$(uname -m)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir "$STAGE/$NAME"
cp -a "$ROOT/dist/ptce-toolkit" "$STAGE/$NAME/ptce-toolkit"
cp "$ROOT/packaging/linux/install.sh" "$ROOT/packaging/linux/fr.ptce_toolkit.PTCEToolkit.desktop" \
   "$ROOT/packaging/icons/ptce-toolkit.png" "$STAGE/$NAME/"
tar -C "$STAGE" -czf "$ROOT/dist/$NAME.tar.gz" "$NAME"
echo "$ROOT/dist/$NAME.tar.gz"
