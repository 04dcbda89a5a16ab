"""Tokens and sentences, as spaCy's English tokenizer and sentencizer make them.

The reader's context rules (``context.yaml``) count and match tokens, so the
text must be cut into tokens the way spaCy's ``English`` tokenizer cuts it
("don't" is "do" + "n't", "pain." is "pain" + ".", "co-worker" is three
tokens). This module is that tokenizer's algorithm in plain Python (whitespace
runs, special cases, prefixes, suffixes, infixes), with spaCy's special cases
and character lists copied into ``data/tokenizer_en.json`` by
``scripts/build_tokenizer_rules.py``; its long Unicode letter classes are
written here as Python's own letter tests. Sentences end as spaCy's
sentencizer ends them, after one of ``SENTENCE_ENDS``.

``tests/test_reader_tokens.py`` checks the tokens and sentences against
spaCy's on every narrative the project has. Nothing here logs or keeps text,
apart from a bounded cache of how single words split (like spaCy's own).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, overload

SENTENCE_ENDS = frozenset([".", "!", "?", ";", "\n", "\n\n", "…"])

# spaCy's LIST_PUNCT and LIST_QUOTES (lang/char_classes.py)
_PUNCT = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪"
_QUOTES = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉⟦⟧"
_HYPHENS = ("---", "--", "——", "-", "–", "—", "~")
_CACHE_LIMIT = 20_000


@dataclass(frozen=True)
class _Rules:
    specials: dict[str, tuple[str, ...]]
    after_digit: frozenset[str]  # units and currency split from a number ("5kg")
    after_digit_sizes: tuple[int, ...]
    num_words: frozenset[str]
    ordinal_words: frozenset[str]
    infix: re.Pattern[str]  # without the symbol class: for text all in ASCII
    split_cache: dict[str, tuple[str, ...]]
    # special cases whose own text the affix rules split ("m." -> "m" "."):
    # spaCy's tokenizer puts these back together after splitting
    rejoin: dict[tuple[str, ...], str]
    rejoin_sizes: tuple[int, ...]


@cache
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("unknot.intake").joinpath("data/tokenizer_en.json").read_text("utf-8")
    )
    return data


@cache
def _rules() -> _Rules:
    raw = _raw()
    infix = _infix_regex("")
    rules = _Rules(
        specials={k: tuple(v) for k, v in raw["specials"].items()},
        after_digit=frozenset(raw["units"]) | frozenset(raw["currency"]),
        after_digit_sizes=tuple(sorted({len(w) for w in [*raw["units"], *raw["currency"]]},
                                       reverse=True)),
        num_words=frozenset(raw["num_words"]),
        ordinal_words=frozenset(raw["ordinal_words"]),
        infix=infix,
        split_cache={},
        rejoin={},
        rejoin_sizes=(),
    )
    for key in rules.specials:
        if " " in key or not (
            _find_prefix(key, rules) or _find_suffix(key, rules) or _infixes(key, rules)
        ):
            continue
        pieces = _split_chunk(key, rules, specials=False)
        if len(pieces) > 1:
            rules.rejoin[pieces] = key
    sizes = tuple(sorted({len(k) for k in rules.rejoin}, reverse=True))
    return _Rules(**{**rules.__dict__, "rejoin_sizes": sizes})


def _infixes(string: str, rules: _Rules) -> bool:
    infix = rules.infix if string.isascii() else _full_infix()
    return any(m.start() != 0 for m in infix.finditer(string))


_LETTER = r"[^\W\d_]"
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0410-\u042f"
_Q = re.escape(_QUOTES)


def _infix_regex(symbols: str) -> re.Pattern[str]:
    """spaCy's English infixes (lang/en/punctuation.py); its long letter classes
    written as Python's own (a letter: ``[^\\W\\d_]``)."""
    return re.compile("|".join([
        r"\.\.+",
        "…",
        *([f"[{symbols}]"] if symbols else []),
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        rf"(?<=[^\W\d_{_UPPER}]|[{_Q}])\.(?=[{_UPPER}]|[{_Q}])",
        rf"(?<={_LETTER}),(?={_LETTER})",
        rf"(?<=[^\W_])(?:-|–|—|--|---|——|~)(?={_LETTER})",
        rf"(?<=[^\W_])[:<>=/](?={_LETTER})",
    ]))


@cache
def _symbols() -> re.Pattern[str]:
    return re.compile(f"[{_raw()['other_symbols']}]")


@cache
def _full_infix() -> re.Pattern[str]:
    return _infix_regex(_raw()["other_symbols"])


def _is_symbol(ch: str) -> bool:
    return not ch.isascii() and _symbols().match(ch) is not None


def _is_lower(ch: str) -> bool:
    return ch.islower()


def _is_upper(ch: str) -> bool:
    return ch.isupper()


def _find_prefix(s: str, rules: _Rules) -> int:
    """Length of the prefix spaCy's English prefix rules split off (0: none)."""
    c = s[0]
    if c == "." and s.startswith(".."):
        n = 2
        while n < len(s) and s[n] == ".":
            n += 1
        return n
    if c in "§%=—–" or c in _PUNCT or c in _QUOTES:
        return 1
    if c == "+":
        return 0 if len(s) > 1 and s[1].isdigit() else 1
    for cur in ("US$", "C$", "A$"):
        if s.startswith(cur):
            return len(cur)
    if c in "$£€¥฿₽﷼" or "\u20a0" <= c <= "\u20bf":
        return 1
    if _is_symbol(c):
        return 1
    return 0


def _find_suffix(s: str, rules: _Rules) -> int:
    """Length of the suffix spaCy's English suffix rules split off (0: none).

    spaCy searches its suffix alternatives with ``re.search``: the match that
    starts leftmost wins, and of those the first alternative.
    """
    n = len(s)
    best = 0
    # "\.\.+$": a run of dots at the end (two or more)
    k = n
    while k > 0 and s[k - 1] == ".":
        k -= 1
    if n - k >= 2:
        best = n - k
    last = s[-1]
    if last in _PUNCT or last in _QUOTES or last in "—–" or _is_symbol(last):
        best = max(best, 1)
    if s.endswith(("'s", "'S", "’s", "’S")):
        best = max(best, 2)
    if s.endswith("……"):
        best = max(best, 2)
    if n >= 2 and last == "+" and s[-2].isdigit():
        best = max(best, 1)
    if n >= 3 and last == "." and s[-3] == "°" and s[-2] in "FfCcKk":
        best = max(best, 1)
    for size in rules.after_digit_sizes:
        if n > size and s[n - size - 1] in "0123456789" and s[n - size:] in rules.after_digit:
            best = max(best, size)
            break
    if last == "." and n >= 2:
        before = s[-2]
        after_small = (
            (before.isdigit() and before.isascii()) or _is_lower(before)
            or before in "%²-+|" or before in _PUNCT or before in _QUOTES
        )
        after_capitals = n >= 3 and _is_upper(before) and _is_upper(s[-3])  # "UK."
        if after_small or after_capitals:
            best = max(best, 1)
    return best


def _url_like(s: str) -> bool:
    return "://" in s or s.lower().startswith("www.")


def _split_chunk(chunk: str, rules: _Rules, *, specials: bool = True) -> tuple[str, ...]:
    """One whitespace-free piece of text as spaCy's tokenizer splits it
    (``specials=False``: the affix rules alone)."""
    pieces = _affix_split(chunk, rules, rules.specials if specials else {})
    if specials and rules.rejoin_sizes and len(pieces) > 1:
        pieces = _rejoin(pieces, rules)
    return pieces


def _rejoin(pieces: tuple[str, ...], rules: _Rules) -> tuple[str, ...]:
    """spaCy's second pass: split-up special cases put back ("38m." -> "38" "m.")."""
    found: list[tuple[int, int, str]] = []
    for size in rules.rejoin_sizes:
        for i in range(len(pieces) - size + 1):
            key = rules.rejoin.get(pieces[i:i + size])
            if key is not None:
                found.append((i, i + size, key))
    if not found:
        return pieces
    found.sort(key=lambda f: (f[1] - f[0], f[0]))
    seen: set[int] = set()
    kept: dict[int, tuple[int, str]] = {}
    for start, end, key in reversed(found):
        if start not in seen and end - 1 not in seen:
            kept[start] = (end, key)
        seen.update(range(start, end))
    out: list[str] = []
    i = 0
    while i < len(pieces):
        if i in kept:
            end, key = kept[i]
            out.extend(rules.specials[key])
            i = end
        else:
            out.append(pieces[i])
            i += 1
    return tuple(out)


def _affix_split(chunk: str, rules: _Rules, specials: dict[str, tuple[str, ...]]
                 ) -> tuple[str, ...]:
    if chunk in specials:
        return specials[chunk]
    prefixes: list[str] = []
    suffixes: list[str] = []
    string = chunk
    last_size = 0
    while string and len(string) != last_size:
        if string in specials:
            break
        last_size = len(string)
        pre_len = _find_prefix(string, rules)
        prefix = minus_pre = ""
        if pre_len:
            prefix, minus_pre = string[:pre_len], string[pre_len:]
            if minus_pre and minus_pre in specials:
                string = minus_pre
                prefixes.append(prefix)
                break
        rest = string[pre_len:]
        suf_len = _find_suffix(rest, rules) if rest else 0
        suffix = minus_suf = ""
        if suf_len:
            suffix, minus_suf = string[-suf_len:], string[:-suf_len]
            if minus_suf and minus_suf in specials:
                string = minus_suf
                suffixes.append(suffix)
                break
        if pre_len and suf_len and pre_len + suf_len <= len(string):
            string = string[pre_len:-suf_len]
            prefixes.append(prefix)
            suffixes.append(suffix)
        elif pre_len:
            string = minus_pre
            prefixes.append(prefix)
        elif suf_len:
            string = minus_suf
            suffixes.append(suffix)
        if string in specials:
            break
    out = list(prefixes)
    if string:
        if string in specials:
            out.extend(specials[string])
        elif _url_like(string):
            out.append(string)
        else:
            start = 0
            infix = rules.infix if string.isascii() else _full_infix()
            for m in infix.finditer(string):
                i_start, i_end = m.start(), m.end()
                if i_start == 0:
                    continue
                if i_start != start:
                    out.append(string[start:i_start])
                if i_start != i_end:
                    out.append(string[i_start:i_end])
                start = i_end
            if string[start:]:
                out.append(string[start:])
    out.extend(reversed(suffixes))
    return tuple(out)


def _pieces(chunk: str, rules: _Rules) -> tuple[str, ...]:
    cached = rules.split_cache.get(chunk)
    if cached is None:
        cached = _split_chunk(chunk, rules)
        if len(rules.split_cache) >= _CACHE_LIMIT:
            rules.split_cache.clear()
        rules.split_cache[chunk] = cached
    return cached


_RUNS = re.compile(r"\s+|\S+")


_OTHER_SPACE = re.compile(r"[^\S ]|  ")


def tokenize(text: str) -> list[tuple[int, str, bool]]:
    """Each token as (character offset, text, followed by one space)."""
    starts, words, spaces = _columns(text)
    return list(zip(starts, words, spaces, strict=True))


def _columns(text: str) -> tuple[list[int], list[str], list[bool]]:
    """The tokens of ``text`` as three lists: offsets, texts, followed by one space."""
    if text and text[0] != " " and text[-1] != " " and _OTHER_SPACE.search(text) is None:
        return _single_spaced(text)
    rules = _rules()
    out: list[tuple[int, str, bool]] = []
    for m in _RUNS.finditer(text):
        run = m.group()
        pos = m.start()
        if run[0].isspace():
            if run[0] == " " and out:
                # the first space belongs to the token before it
                i, t, _ = out[-1]
                out[-1] = (i, t, True)
                run, pos = run[1:], pos + 1
            elif run[0] == " " and not out:
                pass
            if run:
                pieces = _pieces(run, rules)
                for piece in pieces:
                    out.append((pos, piece, False))
                    pos += len(piece)
            continue
        for piece in _pieces(run, rules):
            out.append((pos, piece, False))
            pos += len(piece)
    return [t[0] for t in out], [t[1] for t in out], [t[2] for t in out]


def _single_spaced(text: str) -> tuple[list[int], list[str], list[bool]]:
    """``_columns`` for the usual text: words parted by single spaces, no other
    whitespace, none at either end (each chunk between spaces split by ``_pieces``)."""
    rules = _rules()
    cache = rules.split_cache
    starts: list[int] = []
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for chunk in text.split(" "):
        pieces = cache.get(chunk)
        if pieces is None:
            pieces = _pieces(chunk, rules)
        if len(pieces) == 1:
            starts.append(pos)
            words.append(chunk)
            spaces.append(False)
            pos += len(chunk)
        else:
            for piece in pieces:
                starts.append(pos)
                words.append(piece)
                spaces.append(False)
                pos += len(piece)
        spaces[-1] = True
        pos += 1
    spaces[-1] = False
    return starts, words, spaces


_PUNCT_SEEN: dict[str, bool] = {}


def is_punct(text: str) -> bool:
    """spaCy's IS_PUNCT: every character is punctuation."""
    known = _PUNCT_SEEN.get(text)
    if known is None:
        known = all(unicodedata.category(ch).startswith("P") for ch in text)
        if len(_PUNCT_SEEN) >= _CACHE_LIMIT:
            _PUNCT_SEEN.clear()
        _PUNCT_SEEN[text] = known
    return known


def like_num(text: str) -> bool:
    """spaCy's English LIKE_NUM."""
    rules = _rules()
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    lower = text.lower()
    if lower in rules.num_words or lower in rules.ordinal_words:
        return True
    return lower.endswith(("st", "nd", "rd", "th")) and lower[:-2].isdigit()


def word_shape(text: str) -> str:
    """spaCy's SHAPE: Xxxx, dddd... (runs of more than four alike cut to four)."""
    if len(text) >= 100:
        return "LONG"
    shape: list[str] = []
    last = ""
    seq = 0
    for char in text:
        if char.isalpha():
            shape_char = "X" if char.isupper() else "x"
        elif char.isdigit():
            shape_char = "d"
        else:
            shape_char = char
        if shape_char == last:
            seq += 1
        else:
            seq = 0
            last = shape_char
        if seq < 4:
            shape.append(shape_char)
    return "".join(shape)


class Token:
    """One token of a :class:`Doc` (the few attributes the reader uses)."""

    __slots__ = ("doc", "i")

    def __init__(self, doc: Doc, i: int) -> None:
        self.doc = doc
        self.i = i

    @property
    def text(self) -> str:
        return self.doc.words[self.i]

    @property
    def lower_(self) -> str:
        return self.doc.lowers[self.i]

    @property
    def idx(self) -> int:
        return self.doc.starts[self.i]

    @property
    def is_punct(self) -> bool:
        return is_punct(self.doc.words[self.i])

    @property
    def sent(self) -> Span:
        return self.doc.sent_of(self.i)

    def __len__(self) -> int:
        return len(self.doc.words[self.i])


class Span:
    """Tokens ``start`` to ``end`` (exclusive) of a :class:`Doc`."""

    __slots__ = ("doc", "start", "end", "label_")

    def __init__(self, doc: Doc, start: int, end: int, label: str = "") -> None:
        self.doc = doc
        self.start = start
        self.end = end
        self.label_ = label

    @property
    def start_char(self) -> int:
        return self.doc.starts[self.start] if self.end > self.start else 0

    @property
    def end_char(self) -> int:
        if self.end <= self.start:
            return 0
        last = self.end - 1
        return self.doc.starts[last] + len(self.doc.words[last])

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    @property
    def sent(self) -> Span:
        return self.doc.sent_of(self.start)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> Span: ...

    def __getitem__(self, i: int | slice) -> Token | Span:
        if isinstance(i, slice):
            lo, hi, _ = i.indices(len(self))
            return Span(self.doc, self.start + lo, self.start + max(lo, hi))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return Token(self.doc, self.start + i)

    def __iter__(self) -> Iterator[Token]:
        return (Token(self.doc, i) for i in range(self.start, self.end))

    def __len__(self) -> int:
        return max(0, self.end - self.start)


class Doc:
    """A text cut into tokens and sentences (see :func:`parse`)."""

    __slots__ = ("text", "starts", "words", "lowers", "spaces", "sent_starts", "_sent_index")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts, self.words, self.spaces = _columns(text)
        self.lowers = [w.lower() for w in self.words]
        self.sent_starts = _sentences(self.words)
        index: list[int] = []
        for n, start in enumerate(self.sent_starts):
            end = self.sent_starts[n + 1] if n + 1 < len(self.sent_starts) else len(self.words)
            index.extend([n] * (end - start))
        self._sent_index = index

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> Span: ...

    def __getitem__(self, i: int | slice) -> Token | Span:
        if isinstance(i, slice):
            lo, hi, _ = i.indices(len(self))
            return Span(self, lo, max(lo, hi))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return Token(self, i)

    def sent_bounds(self, i: int) -> tuple[int, int]:
        """(first token, end) of the sentence holding token ``i``."""
        n = self._sent_index[i]
        start = self.sent_starts[n]
        end = self.sent_starts[n + 1] if n + 1 < len(self.sent_starts) else len(self.words)
        return start, end

    def sent_of(self, i: int) -> Span:
        start, end = self.sent_bounds(i)
        return Span(self, start, end)

    def token_by_char(self, char: int) -> int:
        """The token holding character ``char`` (with its trailing space), or -1."""
        lo, hi = 0, len(self.words) - 1
        starts, words, spaces = self.starts, self.words, self.spaces
        while lo <= hi:
            mid = (lo + hi) // 2
            if char < starts[mid]:
                hi = mid - 1
            elif char >= starts[mid] + len(words[mid]) + spaces[mid]:
                lo = mid + 1
            else:
                return mid
        return -1

    def char_span(self, start_char: int, end_char: int, label: str = "") -> Span | None:
        """The tokens covering characters ``start_char`` to ``end_char`` (spaCy's
        ``char_span`` with ``alignment_mode="expand"``)."""
        start = self.token_by_char(start_char)
        if start < 0:
            return None
        end = self.token_by_char(end_char - 1)
        if end < 0:
            return None
        if start_char == self.starts[start] + len(self.words[start]):
            start += 1
        return Span(self, start, end + 1, label)


def _sentences(words: list[str]) -> list[int]:
    """First token of each sentence: spaCy's sentencizer with ``SENTENCE_ENDS``."""
    if not words:
        return []
    starts = [0]
    seen_end = False
    for i, word in enumerate(words):
        ends = word in SENTENCE_ENDS
        if seen_end and not ends and not is_punct(word):
            starts.append(i)
            seen_end = False
        elif ends:
            seen_end = True
    return starts


def parse(text: str) -> Doc:
    """Tokens and sentences of ``text``."""
    return Doc(text)
