"""Draw the application icon and write it in the three formats the bundles need:
``icons/ptce-toolkit.png`` (Linux, 512 px), ``.ico`` (Windows) and ``.icns`` (macOS).

The icon: the four quadrants of the SWOT grid (grille AFOM) as rounded tiles, and a
white maturity radar over them. Run once after changing the drawing
(``.venv/bin/python packaging/make_icons.py``); the files are committed.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent / "icons"
SIZE = 1024  # drawn large, scaled down with antialiasing
# forces, faiblesses, opportunités, menaces
TILES = ("#2e7d5b", "#c9733a", "#2f6fa8", "#8e3b5e")
RADAR = (0.92, 0.82, 0.5, 0.88, 0.66, 0.95, 0.45, 0.8)  # a pole’s profile, 0–1 per axis


def draw(size: int = SIZE) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin, gap = size * 0.06, size * 0.035
    tile = (size - 2 * margin - gap) / 2
    for i, colour in enumerate(TILES):
        x = margin + (i % 2) * (tile + gap)
        y = margin + (i // 2) * (tile + gap)
        d.rounded_rectangle((x, y, x + tile, y + tile), radius=size * 0.09, fill=colour)
    # ImageDraw replaces pixels: the translucent radar is drawn on its own layer
    overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    centre, radius = size / 2, size * 0.36
    n = len(RADAR)
    for ring in (0.5, 1.0):
        ring_points = [(centre + radius * ring * math.sin(2 * math.pi * k / n),
                        centre - radius * ring * math.cos(2 * math.pi * k / n)) for k in range(n)]
        d.polygon(ring_points, outline=(255, 255, 255, 110), width=max(1, size // 90))
    points = [(centre + radius * v * math.sin(2 * math.pi * k / n),
               centre - radius * v * math.cos(2 * math.pi * k / n)) for k, v in enumerate(RADAR)]
    d.polygon(points, fill=(255, 255, 255, 90), outline=(255, 255, 255, 255), width=size // 45)
    for x, y in points:
        r = size * 0.025
        d.ellipse((x - r, y - r, x + r, y + r), fill="white")
    return Image.alpha_composite(img, overlay)


def main() -> None:
    ICONS.mkdir(exist_ok=True)
    big = draw()
    big.resize((512, 512), Image.Resampling.LANCZOS).save(ICONS / "ptce-toolkit.png")
    big.resize((256, 256), Image.Resampling.LANCZOS).save(
        ICONS / "ptce-toolkit.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(ICONS / "ptce-toolkit.icns")


if __name__ == "__main__":
    main()
