"""Write src/unknot/intake/data/tokenizer_en.json from spaCy's English tokenizer rules.

The reader (``unknot.intake.tokens``) tokenizes like spaCy's ``English``
tokenizer without importing spaCy: this script copies the data it needs (the
special cases such as "don't" -> "do" + "n't", the unit and currency words, the
"other symbol" character class, the number words of ``like_num``) into a small
JSON file. spaCy is MIT-licensed (Explosion AI). Run it after upgrading spaCy
(a dev dependency); tests/test_reader_tokens.py checks the file is current.

    .venv/bin/python scripts/build_tokenizer_rules.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src/unknot/intake/data/tokenizer_en.json"


def rules() -> dict[str, Any]:
    import spacy
    from spacy.lang import char_classes
    from spacy.lang.en import lex_attrs

    nlp = spacy.blank("en")
    specials = {
        key: [piece[65] for piece in value]  # 65: spaCy's ORTH attribute id
        for key, value in sorted(nlp.tokenizer.rules.items())
    }
    return {
        "source": "spaCy English tokenizer rules (MIT licence, Explosion AI)",
        "specials": specials,
        "units": char_classes.UNITS.split("|"),
        "currency": [c.replace("\\", "") for c in char_classes.CURRENCY.split("|")],
        "other_symbols": char_classes._other_symbols,
        "num_words": sorted(lex_attrs._num_words),
        "ordinal_words": sorted(lex_attrs._ordinal_words),
    }


def main() -> None:
    data = json.dumps(rules(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == data else 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(data, encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
