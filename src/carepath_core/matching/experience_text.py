"""How alike two people's own words about their experience are.

Matching asks an `ExperienceScorer` for this, so a semantic scorer (sentence embeddings, when the
optional extra is installed) can take the place of the lexical one without touching the rest.
The lexical scorer here needs nothing beyond NumPy: each description becomes the set of its
words, weighted by how rare each word is among the supporters' descriptions (TF-IDF with
presence instead of counts, since descriptions are short), and two descriptions are compared
by the cosine of those weights. It sees the same words, not the same meaning: "grief" and
"loss" are different words to it. That is the gap a semantic scorer would close.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.weekly_hours import join_words
from carepath_core.search.text import fold

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORD_LENGTH = 3
SHOWN_WORDS = 3  # enough to show why two descriptions were found alike, short enough to read
# Words at least this share of supporters used go into a matrix product (at most MAX_COMMON_WORDS
# of them): for such words a row of weights is quicker than listing who used each.
COMMON_SHARE = 0.01
MAX_COMMON_WORDS = 128
# Words that carry no experience of their own. Carepath's own list, kept short on purpose: rare
# words are what the weighting rewards, and common ones already weigh little.
# fmt: off
STOP_WORDS = frozenset({
    "about", "after", "again", "all", "also", "and", "any", "are", "because", "been", "before", "being",
    "but", "can", "could", "did", "does", "doing", "down", "during", "each", "few", "for", "from", "had",
    "has", "have", "having", "her", "here", "hers", "herself", "him", "himself", "his", "how", "into",
    "its", "itself", "just", "more", "most", "myself", "not", "now", "off", "once", "only", "other",
    "our", "ours", "out", "over", "own", "same", "she", "should", "some", "such", "than", "that", "the",
    "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "too",
    "under", "until", "very", "was", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "get", "got",
    "really", "much", "many", "lot", "lots", "thing", "things", "feel", "felt", "feeling", "like",
    "know", "way", "even", "still", "ever", "well",
})
# fmt: on


class ExperienceScorer(Protocol):
    """Compares people's descriptions with a pool of supporters' descriptions, fixed when built."""

    def similarity(self, seeker_texts: Sequence[str]) -> NDArray[np.float32]:
        """One row per seeker text, one column per supporter, each from 0 (nothing alike) to 1."""
        ...

    def common_ground(self, seeker_text: str, supporter_position: int) -> str | None:
        """A sentence saying what the two descriptions share, or None when they share nothing."""
        ...


ExperienceScorerFactory = Callable[[Sequence[str]], ExperienceScorer]


def _stem(word: str) -> str:
    """Plural and singular as one word ("attacks", "attack"); deliberately no more than that."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def _key(word: str) -> str | None:
    """The stem a word is counted under, or None for a stop word or a very short one."""
    if len(word) < MIN_WORD_LENGTH or word in STOP_WORDS:
        return None
    return _stem(word)


# Every ASCII character that is not a letter, as a space: for plain ASCII text (most descriptions)
# this finds the same words as `WORD`, in a fraction of the time.
_ASCII_NON_LETTERS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalpha()})


def text_words(text: str) -> list[str]:
    """The words of a text, folded, in order: runs of letters, as `WORD` finds them."""
    if text.isascii():
        return text.lower().translate(_ASCII_NON_LETTERS).split()
    return WORD.findall(fold(text))


@lru_cache(maxsize=1 << 14)
def experience_words(text: str) -> dict[str, str]:
    """Each distinct word's stem -> the word as first written (folded), stop words left out.

    Kept for recent texts: a person's words are read when scoring and again when explaining.
    The result is shared, so callers must not change it.
    """
    words: dict[str, str] = {}
    for word in text_words(text):
        stem = _key(word)
        if stem is not None and stem not in words:
            words[stem] = word
    return words


def forget_recent_texts() -> None:
    """Drop every remembered text's words: called when an account is erased, so this process
    keeps none of that person's words (other processes lose them as newer texts push them out)."""
    experience_words.cache_clear()


class LexicalExperiences:
    """TF-IDF cosine between descriptions, computed for whole blocks of people at once.

    Words many supporters used are held as a small dense matrix; the long tail of rarer words as
    lists of who used each. Both give the same sums; the split only sends each kind of word down
    the path that is quick for it.
    """

    def __init__(self, supporter_texts: Sequence[str]) -> None:
        self._supporter_words = [experience_words(text) for text in supporter_texts]
        self._count = len(supporter_texts)
        frequency: dict[str, int] = {}
        for words in self._supporter_words:
            for stem in words:
                frequency[stem] = frequency.get(stem, 0) + 1
        # Commonest words first: the first `_common` ids are the ones the matrix product takes.
        ranked = sorted(frequency, key=lambda stem: (-frequency[stem], stem))
        self._vocabulary = {stem: index for index, stem in enumerate(ranked)}
        counts = np.array([frequency[stem] for stem in ranked], dtype=np.float64)
        # Smoothed inverse document frequency (as scikit-learn's default): never zero, so a word
        # every supporter uses still counts a little.
        self._idf = np.log((1 + self._count) / (1 + counts)) + 1.0
        self._unknown_idf = math.log(1 + self._count) + 1.0
        self._idf_squared = self._idf**2
        # Each word's sort key for `common_ground`, rarest (largest weight) first.
        self._rarity = dict(zip(ranked, (-self._idf_squared).tolist(), strict=True))
        used_widely = int(np.count_nonzero(counts >= max(2.0, COMMON_SHARE * self._count)))
        self._common = min(used_widely, MAX_COMMON_WORDS)
        self._index_supporters()

    def _index_supporters(self) -> None:
        """Weights of the common words as a matrix; for the rest, who used each word and its weight."""
        owners: list[int] = []
        word_ids: list[int] = []
        for position, words in enumerate(self._supporter_words):
            owners.extend([position] * len(words))
            word_ids.extend(self._vocabulary[stem] for stem in words)
        owner_array = np.asarray(owners, dtype=np.int64)
        word_array = np.asarray(word_ids, dtype=np.int64)
        weights = self._idf[word_array]
        norms = np.sqrt(np.bincount(owner_array, weights=weights**2, minlength=self._count))
        weights = weights / norms[owner_array]
        common = word_array < self._common
        self._common_weights = np.zeros((self._common, self._count))
        self._common_weights[word_array[common], owner_array[common]] = weights[common]
        rare_words, order = word_array[~common] - self._common, np.argsort(word_array[~common], kind="stable")
        self._post_supporter = owner_array[~common][order]
        self._post_weight = weights[~common][order]
        self._word_start = np.searchsorted(
            rare_words[order], np.arange(len(self._vocabulary) - self._common + 1)
        )

    def _seeker_weights(
        self, texts: Sequence[str]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        vocabulary = self._vocabulary
        words = [experience_words(text) for text in texts]
        flat = [vocabulary.get(stem, -1) for found in words for stem in found]
        ids = np.fromiter(flat, dtype=np.int64, count=len(flat))
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), [len(found) for found in words])
        known = ids >= 0
        rows, ids, unknown_rows = rows[known], ids[known], rows[~known]
        # Added up in word order, text by text, exactly as a plain sum of the squares would be.
        # A word no supporter used still makes the texts differ: it counts in the length.
        squared = np.bincount(rows, weights=self._idf_squared[ids], minlength=len(texts)) + (
            self._unknown_idf**2 * np.bincount(unknown_rows, minlength=len(texts))
        )
        norms = np.sqrt(squared)
        norms[norms == 0] = 1.0
        return rows, ids, self._idf[ids] / norms[rows]

    def similarity(self, seeker_texts: Sequence[str]) -> NDArray[np.float32]:
        rows, ids, weights = self._seeker_weights(seeker_texts)
        height, width = len(seeker_texts), self._count
        common = ids < self._common
        # Common words: a small matrix product, in double precision so that how a block is cut
        # cannot change a score in its sixth decimal place.
        ours = np.zeros((height, self._common))
        ours[rows[common], ids[common]] = weights[common]
        sums = (ours @ self._common_weights).ravel()
        # Rare words: each (person, word) becomes one entry per supporter who used the word, and
        # the products are added up per pair (a sparse product with NumPy alone).
        rows, ids, weights = rows[~common], ids[~common] - self._common, weights[~common]
        counts = self._word_start[ids + 1] - self._word_start[ids]
        ends = np.cumsum(counts, dtype=np.int64)
        total = int(ends[-1]) if len(ends) else 0
        postings = np.repeat(self._word_start[ids] - (ends - counts), counts) + np.arange(total)
        pairs = np.repeat(rows.astype(np.int64) * width, counts) + self._post_supporter[postings]
        np.add.at(sums, pairs, np.repeat(weights, counts) * self._post_weight[postings])
        return np.minimum(sums, 1.0).astype(np.float32).reshape(height, width)

    def common_ground(self, seeker_text: str, supporter_position: int) -> str | None:
        theirs = self._supporter_words[supporter_position]
        rarity = self._rarity
        # The rarest shared words say the most about why the two descriptions were found alike.
        shared = sorted(
            (rarity[stem], word) for stem, word in experience_words(seeker_text).items() if stem in theirs
        )
        if not shared:
            return None
        words = [word for _, word in shared[:SHOWN_WORDS]]
        return f"What they wrote about their own experience shares words with yours: {join_words(words)}"
