"""Low-level text helpers that the registry-page reader shares with its readers of MedPath's flattened tables.

The bounds every reader of a glued row keeps (how much of a row is scanned, how long a name may be, how much of
a page is indexed), the words of a page's free text (a token found among them is a real word, not two cells
glued together), and the full stop that ends a sentence. Every regex is linear (no unbounded nested
quantifiers), because the text is untrusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Flattened table rows are cut by trying split points; long rows are cut only within this prefix.
MAX_ROW_SCAN = 600
MAX_NAME_LEN = 120
# How much of a page's text is indexed for the intervention names it writes out.
MAX_INDEX_CHARS = 300_000

#: A word, as the page's word lists count it: a run of letters and digits.
WORD = re.compile(r"[^\W_]+")


def page_words(lines: Iterable[str]) -> frozenset[str]:
    """The words of a page's free text, lower-cased: a token found here is a real word, not two cells glued."""
    return frozenset(w.lower() for line in lines for w in WORD.findall(line))


def cased_words(lines: Iterable[str]) -> frozenset[str]:
    """The words of a page's free text as written, but for the case of their first letter ("ospA", "pTLDS")."""
    return frozenset(w[:1].lower() + w[1:] for line in lines for w in WORD.findall(line))


def sentence_end(cell: str, i: int) -> bool:
    """Whether ``cell[i - 1]`` is a full stop that ends a sentence (after a word or a bracket, not "3." or "v.")."""
    return cell[i - 1] == "." and (cell[i - 3 : i - 1].isalpha() or cell[i - 2 : i - 1] in {")", "]"})
