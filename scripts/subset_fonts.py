"""Make the fonts shipped in src/unknot/fonts from Debian's fonts-dejavu-core.

The PDF summary embeds DejaVu Sans. The full fonts take about 1 s to load and
subset on every PDF; these copies keep the scripts a diary may hold (Latin with
all its extensions, Greek, Cyrillic, Armenian, Georgian, Hebrew, punctuation,
arrows and common symbols) and drop what fpdf2 does not use without text
shaping (GSUB/GPOS/GDEF/kern layout tables and hinting). The DejaVu licence
(Bitstream Vera terms) allows modified copies under a name without "Bitstream"
or "Vera"; the fonts keep their name and copyright notices.

Run: .venv/bin/python scripts/subset_fonts.py   (needs fonts-dejavu-core)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parents[1] / "src" / "unknot" / "fonts"
FACES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
UNICODES = ",".join([
    "U+0000-024F", "U+0250-02FF", "U+0300-036F", "U+0370-03FF", "U+0400-052F", "U+0530-058F",
    "U+0590-05FF", "U+10A0-10FF", "U+1E00-1EFF", "U+1F00-1FFF", "U+2000-206F", "U+2070-209F",
    "U+20A0-20CF", "U+2100-214F", "U+2150-218F", "U+2190-21FF", "U+2200-22FF", "U+2500-257F",
    "U+25A0-25FF", "U+2600-26FF", "U+2700-27BF", "U+2C60-2C7F", "U+A720-A7FF", "U+FB00-FB4F",
    "U+FFFD",
])


def main() -> None:
    for face in FACES:
        subprocess.run(
            [sys.executable, "-m", "fontTools.subset", str(SOURCE / f"{face}.ttf"),
             f"--unicodes={UNICODES}", "--layout-features=", "--no-hinting",
             "--drop-tables+=GSUB,GPOS,GDEF,kern", "--name-IDs=*", "--name-legacy",
             "--name-languages=*", "--glyph-names", f"--output-file={TARGET / f'{face}.ttf'}"],
            check=True,
        )


if __name__ == "__main__":
    main()
