"""Fonts shipped with Unknot: DejaVu Sans (see LICENSE-DejaVu.txt), for the PDF summary."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).parent
#: fpdf2 style -> file: regular, bold, italic (oblique).
DEJAVU_SANS = {
    "": FONT_DIR / "DejaVuSans.ttf",
    "B": FONT_DIR / "DejaVuSans-Bold.ttf",
    "I": FONT_DIR / "DejaVuSans-Oblique.ttf",
}
