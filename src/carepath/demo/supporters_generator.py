"""Synthetic peer supporter profiles for the matching demo.

Plain data, no database: the same count and seed always give the same people. The mix is set
so that the demo help-seeker sees real suggestions and real reasons: most supporters speak
English, most are free some evenings, a few are full, a few speak only another language, and
their topics cover the whole vocabulary. Every name and sentence is invented for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from carepath_core.vocabulary import lived_experience_topics

FIRST_NAMES = (
    "Alex", "Bea", "Cal", "Dana", "Eli", "Fern", "Gus", "Hana", "Ivo", "Jess", "Kit", "Lena", "Milo",
    "Nia", "Omar", "Pip", "Quinn", "Rosa", "Sol", "Tess", "Uma", "Vic", "Wren", "Yusuf", "Zoe",
)  # fmt: skip
# One sentence per topic, in the first person, for the supporter's own words.
EXPERIENCE = {
    "depression": "I had two long spells of depression and know how heavy mornings can be",
    "anxiety": "Panic attacks kept me at home for a year; small steps got me out again",
    "bereavement": "I lost my partner suddenly and learned to live alongside grief",
    "addiction_recovery": "I have been in recovery from alcohol for six years",
    "psychosis": "I heard voices in my twenties and found a way to live well with them",
    "eating_disorders": "I spent my teens fighting an eating disorder and came through it",
    "trauma": "After an assault I went through years of flashbacks and sleepless nights",
    "perinatal": "I struggled badly after my first baby was born and felt I could not tell anyone",
    "self_harm": "I hurt myself for years and know how hard it is to talk about",
    "suicide_bereavement": "My brother took his own life and I know the questions that leaves",
    "bipolar": "I live with bipolar disorder and have learned my early signs",
    "caring": "I cared for my mother through dementia while working full time",
    "loneliness": "I moved to a new city alone and went months without a real conversation",
}
OTHER_LANGUAGES = ("pl", "ur", "ar", "es", "cy", "bn", "zh")
# (days, from, to): mostly evenings, some daytime and weekends.
HOURS = (
    (["MO", "WE"], "18:00", "21:00"),
    (["TU", "TH"], "18:00", "21:00"),
    (["TU"], "17:00", "20:00"),
    (["SA", "SU"], "10:00", "13:00"),
    (["MO", "TU", "WE", "TH", "FR"], "12:00", "14:00"),
    (["WE", "FR"], "19:00", "22:00"),
)
WAYS = (["online"], ["online", "phone"], ["in_person", "online"], ["phone"], ["in_person"])
CENTRE = (51.5074, -0.1278)  # the demo directory's towns are British; supporters around London


@dataclass(frozen=True)
class DemoSupporter:
    number: int
    display_name: str
    profile: dict[str, Any]  # the document `matching.profile_input` reads


def demo_supporters(count: int, seed: int) -> list[DemoSupporter]:
    chooser = random.Random(f"carepath-demo-supporters:{seed}")  # noqa: S311  # nosec B311 # made-up people, not secrets
    codes = list(lived_experience_topics())
    return [_supporter(number, chooser, codes) for number in range(count)]


def _supporter(number: int, chooser: random.Random, codes: list[str]) -> DemoSupporter:
    # Topics rotate so the whole vocabulary is covered even by a small demo.
    topics = sorted({codes[number % len(codes)], *chooser.sample(codes, chooser.randint(0, 2))})
    languages = _languages(number, chooser)
    days, starts, ends = HOURS[chooser.randrange(len(HOURS))]
    capacity = chooser.randint(1, 4)
    full = number % 9 == 4  # a few have no free place, so the page shows why they were left out
    profile = {
        "topics": topics,
        "experience": ". ".join(EXPERIENCE[code] for code in topics) + ".",
        "languages": languages,
        "availability": [{"days": days, "from": starts, "to": ends}],
        "utc_offset": "+00:00",
        "modalities": WAYS[chooser.randrange(len(WAYS))],
        "location": {
            "latitude": round(CENTRE[0] + chooser.uniform(-0.15, 0.15), 4),
            "longitude": round(CENTRE[1] + chooser.uniform(-0.25, 0.25), 4),
        },
        "capacity": capacity,
        "current_load": capacity if full else chooser.randint(0, capacity - 1),
        "training": "Carepath demo peer support course (fictional)",
        "trained_on": f"2025-{chooser.randint(1, 12):02d}-{chooser.randint(1, 28):02d}",
        "certification": "Demo certified peer supporter" if number % 3 else "",
        "supervisor_name": "Chris (demo coordinator)",
        "confidentiality_statement": (
            "What you tell me stays between us, unless I believe you or someone else is in danger; "
            "then I would tell my supervisor, and tell you first if I can."
        ),
    }
    name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} (demo supporter {number + 1})"
    return DemoSupporter(number, name, profile)


def _languages(number: int, chooser: random.Random) -> list[str]:
    if number % 11 == 7:  # a few who do not speak English, left out for the demo seeker
        return [OTHER_LANGUAGES[number % len(OTHER_LANGUAGES)]]
    if chooser.random() < 0.35:
        return ["en", OTHER_LANGUAGES[chooser.randrange(len(OTHER_LANGUAGES))]]
    return ["en"]
