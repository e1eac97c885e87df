"""Text as the search index sees it: case- and accent-insensitive, split into words.

Both search backends (SQLite FTS5 and PostgreSQL full text) stem English words themselves; folding
accents here, on the indexed text and on the query alike, makes "Montréal" and "montreal" the same
word on both, without depending on a database extension.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 12  # more words than this narrow nothing further and only cost time
MAX_WORD_LENGTH = 40


def fold(text: str) -> str:
    """Lower case without accents: "Zoë's CAFÉ" -> "zoe's cafe"."""
    if text.isascii():  # most listings: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def query_words(text: str) -> list[str]:
    """The distinct words of a query, folded, in order; punctuation and operators are dropped.

    Only letters and digits reach a backend, so nothing a person types can change the shape of
    the full-text query (no FTS5 or tsquery syntax, no injection).
    """
    seen: list[str] = []
    for found in WORD.findall(fold(text)):
        word = found.strip("_")[:MAX_WORD_LENGTH]
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_WORDS]
