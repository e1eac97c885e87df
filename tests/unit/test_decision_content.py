"""The decision aid's content file, checked against the IPDAS minimum standards it claims to meet.

Read with plain `json` on purpose: these tests check the data as written, whatever the parser does.
Run this file as a script to print the reading grade that `reading_level` must record:

    .venv/bin/python tests/unit/test_decision_content.py
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import textstat

CONTENT = Path(__file__).parents[2] / "src" / "carepath_core" / "decision" / "content" / "decision_aid.json"
# CI checks out shared/ beside the clone, so this resolves to <workspace>/shared/mission/source-essay.txt.
ESSAY = Path(__file__).parents[3] / "shared" / "mission" / "source-essay.txt"

DIMENSION_IDS = (
    "scope",
    "qualifications",
    "role",
    "emotional_connection",
    "evidence",
    "confidentiality",
    "accessibility",
    "cost",
    "recovery_approach",
    "outcomes",
)
FAVOURS = {"peer", "professional", "neither"}
CERTAINTY = {"high", "moderate", "low", "very_low"}
META_TEXT = ("update_policy", "made_by", "funding", "conflicts_of_interest", "problem", "decision", "not_for")
MAX_ITEM_CHARS = 200
SHINGLE = 8


def load() -> dict[str, Any]:
    return json.loads(CONTENT.read_text(encoding="utf-8"))


AID = load()
DIMENSIONS = AID["dimensions"]


def measured_items(aid: dict[str, Any]) -> list[str]:
    """The person-facing text the reading level is measured over, in a fixed order."""
    items = [aid["problem"], aid["decision"], aid["not_for"]]
    items += [aid["options"][key]["summary"] for key in ("peer", "professional", "both")]
    for dimension in aid["dimensions"]:
        for side in ("peer", "professional"):
            view = dimension[side]
            items += [view["what_it_is_like"], *view["benefits"], *view["drawbacks"]]
        items += [dimension["both"]["what_it_is_like"], dimension["evidence"]["summary"]]
    return items


def reading_grade(aid: dict[str, Any]) -> float:
    """Flesch-Kincaid grade of the measured text; an item without a closing stop gets '. '."""
    sentences = (
        s.strip() if s.strip().endswith((".", "!", "?")) else s.strip() + "." for s in measured_items(aid)
    )
    return float(textstat.flesch_kincaid_grade(" ".join(sentences)))


def person_facing(aid: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every string a person may read, with where it is (citation texts are quoted titles, so excluded)."""
    for key in META_TEXT:
        yield key, aid[key]
    for key, option in aid["options"].items():
        yield f"options.{key}.name", option["name"]
        yield f"options.{key}.summary", option["summary"]
    for dimension in aid["dimensions"]:
        where = f"dimensions.{dimension['id']}"
        yield f"{where}.title", dimension["title"]
        yield f"{where}.question", dimension["question"]
        for side in ("peer", "professional"):
            view = dimension[side]
            yield f"{where}.{side}.what_it_is_like", view["what_it_is_like"]
            for i, item in enumerate(view["benefits"]):
                yield f"{where}.{side}.benefits[{i}]", item
            for i, item in enumerate(view["drawbacks"]):
                yield f"{where}.{side}.drawbacks[{i}]", item
        yield f"{where}.both.what_it_is_like", dimension["both"]["what_it_is_like"]
        yield f"{where}.evidence.summary", dimension["evidence"]["summary"]


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z]+", text.lower())
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def test_the_ten_dimensions_come_in_the_design_order() -> None:
    assert tuple(d["id"] for d in DIMENSIONS) == DIMENSION_IDS


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=lambda d: d["id"])
def test_each_dimension_has_a_title_a_question_and_a_valid_favours(dimension: dict[str, Any]) -> None:
    assert dimension["title"].strip()
    assert dimension["question"].strip().endswith("?")
    assert dimension["favours"] in FAVOURS


def test_no_option_is_favoured_across_the_board() -> None:
    favoured = [d["favours"] for d in DIMENSIONS]
    assert "peer" in favoured
    assert "professional" in favoured
    assert "neither" in favoured


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=lambda d: d["id"])
def test_benefits_and_drawbacks_come_in_equal_numbers(dimension: dict[str, Any]) -> None:
    # IPDAS certification criterion: positive and negative features shown in equal detail.
    counts = {
        (side, kind): len(dimension[side][kind])
        for side in ("peer", "professional")
        for kind in ("benefits", "drawbacks")
    }
    assert min(counts.values()) >= 1
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=lambda d: d["id"])
def test_peer_and_professional_get_similar_amounts_of_text(dimension: dict[str, Any]) -> None:
    lengths = {
        side: sum(len(item) for kind in ("benefits", "drawbacks") for item in dimension[side][kind])
        for side in ("peer", "professional")
    }
    assert min(lengths.values()) / max(lengths.values()) >= 0.75, lengths


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=lambda d: d["id"])
def test_every_benefit_and_drawback_is_short_and_not_empty(dimension: dict[str, Any]) -> None:
    for side in ("peer", "professional"):
        assert dimension[side]["what_it_is_like"].strip()
        for kind in ("benefits", "drawbacks"):
            for item in dimension[side][kind]:
                assert isinstance(item, str) and item.strip(), (side, kind)
                assert len(item) <= MAX_ITEM_CHARS, (side, kind, item)
    assert dimension["both"]["what_it_is_like"].strip()


@pytest.mark.parametrize("dimension", DIMENSIONS, ids=lambda d: d["id"])
def test_each_dimension_states_its_evidence_and_certainty(dimension: dict[str, Any]) -> None:
    evidence = dimension["evidence"]
    assert evidence["summary"].strip()
    assert evidence["certainty"] in CERTAINTY
    assert evidence["citations"], "every dimension cites at least one source"


def test_every_cited_id_exists_and_every_citation_is_used() -> None:
    cited = {c for d in DIMENSIONS for c in d["evidence"]["citations"]}
    assert cited <= set(AID["citations"]), cited - set(AID["citations"])
    assert set(AID["citations"]) <= cited, set(AID["citations"]) - cited


@pytest.mark.parametrize("key", sorted(AID["citations"]))
def test_each_citation_is_complete_and_says_how_it_was_checked(key: str) -> None:
    citation = AID["citations"][key]
    assert citation["text"].strip()
    assert citation["url"].startswith("https://") or citation["url"].startswith("http://")
    assert isinstance(citation["verified"], bool)
    if citation["verified"]:
        assert citation["verified_how"].strip()


def test_required_meta_fields_are_present() -> None:
    assert AID["id"] == "carepath-decision-aid"
    assert re.fullmatch(r"\d+\.\d+\.\d+", AID["version"])
    assert AID["language"] == "en"
    for key in META_TEXT:
        assert isinstance(AID[key], str) and AID[key].strip(), key
    for key in ("peer", "professional", "both"):
        assert AID["options"][key]["name"].strip()
        assert AID["options"][key]["summary"].strip()


def test_dates_are_iso_and_the_next_review_is_within_six_months() -> None:
    produced = dt.date.fromisoformat(AID["produced"])
    next_review = dt.date.fromisoformat(AID["next_review"])
    dt.date.fromisoformat(AID["reading_level"]["measured_on"])
    assert produced < next_review <= produced + dt.timedelta(days=186)


def test_the_honest_gaps_are_stated() -> None:
    assert "not yet been tested" in AID["made_by"]
    assert "no outside funding" in AID["funding"]


def test_confidentiality_explains_the_limits_for_both_options() -> None:
    confidentiality = next(d for d in DIMENSIONS if d["id"] == "confidentiality")
    for side in ("peer", "professional"):
        assert "serious risk" in confidentiality[side]["what_it_is_like"], side
    assert "court" in confidentiality["professional"]["what_it_is_like"]


def test_dimension_text_carries_no_figures() -> None:
    # Numbers (effect sizes, percentages, prices) belong in the cited sources, not in the grid.
    for where, text in person_facing(AID):
        if where.startswith(("dimensions.", "options.")):
            assert not re.search(r"[0-9%£$€]", text), (where, text)


def test_the_recorded_reading_level_matches_a_fresh_measurement_and_meets_the_target() -> None:
    recorded = AID["reading_level"]
    assert recorded["measured_with"] == "textstat 0.7.4 flesch_kincaid_grade"
    assert version("textstat") == "0.7.4"
    fresh = reading_grade(AID)
    assert abs(fresh - recorded["flesch_kincaid_grade"]) <= 0.05, fresh
    assert fresh <= recorded["target"] <= 7.0


def test_no_person_facing_text_repeats_eight_words_of_the_source_essay() -> None:
    if not ESSAY.is_file():
        pytest.skip(f"source essay not found at {ESSAY}; it sits in shared/ beside the clone in CI")
    essay = shingles(ESSAY.read_text(encoding="utf-8"))
    copied = {
        where: sorted(" ".join(s) for s in shingles(text) & essay) for where, text in person_facing(AID)
    }
    assert not {where: found for where, found in copied.items() if found}


def test_the_shingle_check_would_catch_a_copied_sentence() -> None:
    sentence = "One two three four five six seven eight nine."
    assert shingles(sentence) & shingles("Zero, one two three four five six seven eight!")
    assert not shingles("one two three four five six seven") & shingles(sentence)


if __name__ == "__main__":
    print(f"{reading_grade(load()):.1f}")
