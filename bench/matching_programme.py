"""A made-up peer-support programme for the matching benchmark: people and supporters in one city.

The mix is meant to look like a real programme, not to flatter the solver: most people speak
English and some another language as well, anxiety and depression are the commonest topics,
evenings are the busiest hours, about half want to meet online only, and the descriptions are
short and written from a shared stock of words, so many pairs look somewhat alike.
"""

from __future__ import annotations

import random
from typing import Any

from carepath_core.matching import Modality, Seeker, Supporter, local_windows
from carepath_core.search.geo import Point
from carepath_core.vocabulary import lived_experience_topics

CENTRE = (53.4808, -2.2426)  # a city centre; everyone lives within about 30 km of it
OTHER_LANGUAGES = ("pl", "ur", "pa", "ar", "bn", "es", "zh", "fr")
TOPIC_WEIGHTS = {"anxiety": 8, "depression": 8, "bereavement": 4, "trauma": 3, "loneliness": 4, "caring": 3}
HOURS = (("09:00", "12:00"), ("13:00", "16:00"), ("18:00", "21:00"), ("18:00", "21:00"), ("19:00", "22:00"))
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORDS = {
    "anxiety": "panic attacks worry racing heart breathing exams pressure nervous dread shaking crowds "
    "trains avoidance reassurance overthinking deadlines interviews stomach tension restless",
    "depression": "low mood tired motivation bed isolation hopeless appetite numb empty winter "
    "withdrawn crying heavy slow worthless antidepressants therapy mornings routine",
    "bereavement": "loss father mother funeral grief anniversary memories widow partner husband wife "
    "hospice cancer illness goodbye inquest grave photos birthday christmas",
    "addiction_recovery": "drinking alcohol sober relapse meetings cravings gambling detox sponsor "
    "steps pub debts cocaine cannabis rehab clean sobriety",
    "psychosis": "voices hospital medication paranoia diagnosis recovery ward section delusions "
    "clozapine unusual beliefs sectioned",
    "eating_disorders": "food eating weight body image restricting binge purging calories mirror "
    "anorexia bulimia meals dietitian",
    "trauma": "flashbacks nightmares abuse accident violence safety trust startle assault war "
    "childhood police court numbness triggers",
    "perinatal": "pregnancy baby birth postnatal newborn feeding midwife miscarriage labour "
    "caesarean colic nursery maternity",
    "self_harm": "cutting urges scars coping distraction burning hiding sleeves secret",
    "suicide_bereavement": "suicide brother son shock guilt questions note inquest coroner why sister",
    "bipolar": "mania highs lows medication episodes diagnosis lithium spending racing sleepless",
    "caring": "carer dementia parent looking respite exhaustion appointments disability autism "
    "wheelchair benefits hospital nights",
    "loneliness": "alone lonely friends moved city retired evenings weekends quiet silence neighbours "
    "widowed divorced moving abroad",
}
# Everyday words of a life story: the common ones come first and are drawn more often.
COMMON = (
    "family work job money home friends partner children school college university housing rent "
    "debt divorce separation health doctor nurse walk talk months years weeks sleep weekend "
    "manager colleagues redundancy unemployed bills kids teenager daughter son mum dad brother "
    "sister grandmother church mosque temple gym running football music garden dog cat car bus "
    "night morning office shift nurse teacher builder driver student lecturer landlord council "
    "benefits universal credit counselling waiting list online group phone chat coffee cooking "
    "reading writing painting volunteering charity community village town flat move abroad "
    "language english culture migration visa asylum refugee wedding pregnancy retirement pension"
)


def _topics(rng: random.Random, count: int) -> frozenset[str]:
    codes = list(lived_experience_topics())
    weights = [TOPIC_WEIGHTS.get(code, 1) for code in codes]
    return frozenset(rng.choices(codes, weights, k=count))


def _languages(rng: random.Random, other_share: float) -> tuple[str, ...]:
    roll = rng.random()
    if roll < other_share / 3:
        return (rng.choice(OTHER_LANGUAGES),)
    if roll < other_share:
        return (rng.choice(OTHER_LANGUAGES), "en")
    return ("en",)


def _hours(rng: random.Random, windows: int) -> tuple[Any, ...]:
    found: list[Any] = []
    for _ in range(windows):
        starts, ends = rng.choice(HOURS)
        found.extend(local_windows(rng.sample(DAYS, rng.randint(1, 3)), starts, ends, 0))
    return tuple(found)


def _place(rng: random.Random) -> Point:
    return Point(CENTRE[0] + rng.uniform(-0.25, 0.25), CENTRE[1] + rng.uniform(-0.4, 0.4))


def _story(rng: random.Random, topics: frozenset[str]) -> str:
    common = COMMON.split()
    own = [word for topic in sorted(topics) for word in WORDS[topic].split()]
    words = rng.choices(common, [1 / (rank + 1) for rank in range(len(common))], k=rng.randint(6, 15))
    words += rng.choices(own, k=rng.randint(4, 12))
    rng.shuffle(words)
    return " ".join(words)


def seeker(rng: random.Random, number: int) -> Seeker:
    topics = _topics(rng, rng.randint(1, 3))
    ways = rng.choices(
        [{"online"}, {"online", "in_person"}, {"online", "phone"}, {"in_person"}, set()], [5, 2, 1, 1, 1]
    )[0]
    return Seeker(
        id=f"seeker-{number:06d}",
        languages=_languages(rng, 0.15),
        topics=topics,
        availability=() if rng.random() < 0.1 else _hours(rng, rng.randint(1, 3)),
        modalities=frozenset(Modality(way) for way in ways),
        location=_place(rng) if rng.random() < 0.8 else None,
        max_distance_km=rng.choice([5.0, 10.0, 10.0, 15.0, 25.0]),
        experience=_story(rng, topics) if rng.random() < 0.85 else "",
    )


def supporter(rng: random.Random, number: int) -> Supporter:
    topics = _topics(rng, rng.randint(2, 4))
    ways = {"online"} | {way for way, share in (("phone", 0.5), ("in_person", 0.4)) if rng.random() < share}
    capacity = rng.randint(8, 12)
    return Supporter(
        id=f"supporter-{number:05d}",
        languages=_languages(rng, 0.2),
        capacity=capacity,
        current_load=rng.randint(0, 3),
        topics=topics,
        availability=_hours(rng, rng.randint(2, 4)),
        modalities=frozenset(Modality(way) for way in ways),
        location=_place(rng),
        experience=_story(rng, topics),
    )


def programme(seekers: int, supporters: int, seed: int) -> tuple[list[Seeker], list[Supporter]]:
    rng = random.Random(seed)
    return [seeker(rng, n) for n in range(seekers)], [supporter(rng, n) for n in range(supporters)]


def _profile(record: Seeker | Supporter) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": record.id,
        "languages": list(record.languages),
        "topics": sorted(record.topics),
        "availability": [[window.start, window.end] for window in record.availability],
        "modalities": sorted(way.value for way in record.modalities),
        "experience": record.experience,
    }
    if record.location is not None:
        found["location"] = {"latitude": record.location.latitude, "longitude": record.location.longitude}
    return found


def as_instance(seekers: list[Seeker], supporters: list[Supporter]) -> dict[str, Any]:
    """The programme as a `carepath assign` input file (hours as UTC minutes of the week)."""
    people = [{**_profile(person), "max_distance_km": person.max_distance_km} for person in seekers]
    helpers = [
        {**_profile(helper), "capacity": helper.capacity, "current_load": helper.current_load}
        for helper in supporters
    ]
    return {"seekers": people, "supporters": helpers}
