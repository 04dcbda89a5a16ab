"""Build the list of ordinary English words the intake's spelling correction leaves alone.

A word in this list is never "corrected" toward the lexicon (``unknot.intake.spelling``).
The list comes from wordfreq (word frequencies from many sources: Wikipedia,
subtitles, news, books, web text, Reddit, Twitter): every plain word with a
Zipf frequency of at least ``MIN_ZIPF`` (about once in 5 million words).
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
OUT = (Path(__file__).resolve().parent.parent / "src" / "unknot" / "knowledge" / "data"
       / "lexicon" / "english_words.txt.gz")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def main() -> None:
    words = sorted(
        w for w in iter_wordlist("en", "large")
        if WORD.fullmatch(w) and zipf_frequency(w, "en", "large") >= MIN_ZIPF
    )
    # mtime=0: the same words give the same bytes
    with gzip.GzipFile(OUT, "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
