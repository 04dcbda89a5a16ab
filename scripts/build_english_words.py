"""Build the list of ordinary English words the intake's spelling correction leaves alone.

A word in this list is never "corrected" toward the lexicon (``unknot.intake.spelling``).
The list comes from wordfreq (word frequencies from many sources: Wikipedia,
subtitles, news, books, web text, Reddit, Twitter): every plain word with a
Zipf frequency of at least ``MIN_ZIPF`` (about once in 5 million words).
It also writes ``english_slips.txt.gz``: the rare words of that list (Zipf below
``SLIP_ZIPF``) that are one slip (a letter dropped, added, changed or two swapped)
from a word at least ``SLIP_GAP`` more frequent (a hundred times as common):
"realy" (really), "fel" (feel), "bak" (back), "mov" (move). Typed by someone in
pain, such a word is more likely the slip than itself, so the correction may
change it (toward the lexicon's words only, one slip away).

Shipped as data so that reading text never pays wordfreq's start-up
(about 1.2 s); run again after upgrading wordfreq:

    .venv/bin/pip install wordfreq && .venv/bin/python scripts/build_english_words.py
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

MIN_ZIPF = 2.3
SLIP_ZIPF = 3.2
SLIP_GAP = 2.0
ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "src" / "unknot" / "knowledge" / "data" / "lexicon"
OUT = FOLDER / "english_words.txt.gz"
SLIPS = FOLDER / "english_slips.txt.gz"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_slip(word: str) -> set[str]:
    """Every word one slip from ``word``: a letter dropped, added, changed, or two swapped."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in cuts if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
    changed = {a + c + b[1:] for a, b in cuts if b for c in LETTERS}
    added = {a + c + b for a, b in cuts for c in LETTERS}
    return (dropped | swapped | changed | added) - {word}


def write(path: Path, words: list[str]) -> None:
    # mtime=0: the same words give the same bytes
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"{len(words)} words -> {path}")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def main() -> None:
    zipf = {
        w: zipf_frequency(w, "en", "large")
        for w in iter_wordlist("en", "large")
        if WORD.fullmatch(w)
    }
    words = sorted(w for w, z in zipf.items() if z >= MIN_ZIPF)
    write(OUT, words)
    slips = sorted(
        w for w in words
        if zipf[w] < SLIP_ZIPF
        and any(zipf.get(v, 0.0) - zipf[w] >= SLIP_GAP for v in one_slip(w))
    )
    write(SLIPS, slips)


if __name__ == "__main__":
    main()
