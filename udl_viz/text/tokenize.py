"""Turn raw text into tokens the way SST-2's lower-cased, PTB-tokenised text was made.

``"I didn't LOVE it!!"`` becomes ``["i", "did", "n't", "love", "it", "!", "!"]``, as in SST-2's
``i did n't love it ! !``. We write the rules out because no installed library reproduces
SST-2's conventions offline: nltk's Treebank tokenizer only splits the last full stop of a text
and its sentence splitter needs a download.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

#: Typographic characters people type (or phones insert) mapped to what SST-2 uses.
_CHARACTERS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": " -- ", "\u2014": " -- ", "\u2212": "-",
})
#: Words that keep their full stop, as in SST-2 ("mr.", "vs.", "etc."); "no." keeps it only
#: before a number ("no. 1"), since "I said no." is common in reviews.
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "jr", "sr", "st", "vs", "etc", "inc", "co",
                           "bros", "al", "sept", "oct", "nov", "dec", "jan", "feb", "aug"})
#: Fused forms that PTB splits in two.
_SPLIT_WORDS = {"cannot": "can not", "gonna": "gon na", "wanna": "wan na", "gotta": "got ta",
                "gimme": "gim me", "lemme": "lem me"}

_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    (r"\.\.\.+|\.\s\.\s\.", " ... "),                     # ellipses
    (r"--+", " -- "),                                     # dashes
    (r'^"', " `` "),                                      # opening double quotes
    (r'(?<=[\s(\[{<])"', " `` "),
    (r'"', " '' "),                                       # closing double quotes
    (r"(?<!\d),|,(?!\d)", " , "),                         # commas, but not in 2,500
    (r"\*+", r" \g<0> "),                                 # *** stays one token
    (r"(?<![a-z])&|&(?![a-z])", " & "),                   # & alone, but not in r&b
    (r"([;@#$%!?()\[\]{}+=<>|~^_\\])", r" \1 "),         # other punctuation stands alone
    (r":(?!\d)", " : "),                                  # colons, but not in 2:30
    (r"(?<![a-z0-9])'(?!(?:s|re|ve|ll|d|m|em|til|n)\b)(?=[a-z])", " ` "),  # opening single quote
    (r"(?<=[a-z])n't\b", " n't"),                         # didn't -> did n't, can't -> ca n't
    (r"(?<=[a-z0-9])('s|'re|'ve|'ll|'d|'m)\b", r" \1"),   # it's -> it 's, they'd've -> they 'd 've
    (r"(?<=[a-z0-9.!?])'(?!\w)", " ' "),                  # closing single quote / plural possessive
]]
_SPLIT_WORDS_RULE = re.compile(r"\b(" + "|".join(_SPLIT_WORDS) + r")\b")
_PERIOD = re.compile(r"^(.*[^.])\.$")
_HYPHENS = re.compile(r"(-)")


def _keeps_period(word: str) -> bool:
    """``mr.``, ``e.t.`` and single-letter initials keep their full stop, as in SST-2."""
    return word in ABBREVIATIONS or "." in word or (len(word) == 1 and word not in "ai")


def _split_symbols(text: str) -> str:
    """Give emoji and other symbols their own tokens so they never glue onto words."""
    return "".join(f" {c} " if unicodedata.category(c).startswith("S") and c not in "`$^|~+=<>"
                   else c for c in text)


def tokenize(text: str) -> list[str]:
    """SST-2-style tokens of raw text: lower-cased, punctuation split off, clitics split PTB-style."""
    text = unicodedata.normalize("NFKC", text).translate(_CHARACTERS).lower()
    text = _split_symbols(text)
    text = _SPLIT_WORDS_RULE.sub(lambda m: _SPLIT_WORDS[m.group(1)], text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    words = text.split()
    tokens: list[str] = []
    for i, token in enumerate(words):
        match = _PERIOD.match(token)
        number_follows = i + 1 < len(words) and words[i + 1][0].isdigit()
        if match and not _keeps_period(match.group(1)) and not (token == "no." and number_follows):
            tokens.extend([match.group(1), "."])
        else:
            tokens.append(token)
    return tokens


def split_unknown_hyphens(tokens: list[str], vocabulary: Container[str]) -> list[str]:
    """Hyphenated words ``vocabulary`` lacks, as their parts: ``pay-to-win`` -> ``pay - to - win``.

    GloVe's tokenizer keeps common compounds whole ("well-known"), so known ones stay whole.
    """
    out: list[str] = []
    for token in tokens:
        if token in vocabulary or "-" not in token.strip("-"):
            out.append(token)
        else:
            out.extend(part for part in _HYPHENS.split(token) if part)
    return out
