"""The searches the search benchmark sends: realistic ones for the latency targets, and the worst shapes.

Places are real towns drawn like the demo directory draws them (a country by its share, then a town
by the square root of its population), plus London (the densest) and a few sparse towns; words are
what people look for (topics, "peer support", counselling, grief); filters are support type,
language and cost. "Open now" is a fixed Wednesday at 11:00 in the town's own time zone, or 03:00
for the night-time worst cases.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from carepath.demo.directory_towns import Town, TownPicker

Params = dict[str, list[str]]
DAY = dt.date(2026, 12, 2)  # a Wednesday
DAYTIME = dt.time(11, 0)
NIGHT = dt.time(3, 0)
DENSEST = ("London", "GB", "Europe/London")
DENSE = (DENSEST, ("Dublin", "IE", "Europe/Dublin"), ("Auckland", "NZ", "Pacific/Auckland"))
SPARSE = (  # among the smallest towns the demo directory uses
    ("Kenora", "CA", "America/Winnipeg"),
    ("Echuca", "AU", "Australia/Melbourne"),
    ("Dumas", "US", "America/Chicago"),
    ("Larkhall", "GB", "Europe/London"),
)
WORDS = (
    "anxiety", "depression", "grief", "bereavement", "peer support", "counselling", "loneliness",
    "trauma", "eating disorders", "psychosis", "self harm", "recovery", "carers", "perinatal",
    "addiction recovery", "hearing voices", "talking therapy", "crisis",
)  # fmt: skip
FILTERS = (  # two filters each
    {"support_type": ["peer"], "language": ["en"]},
    {"support_type": ["professional"], "cost": ["sliding_scale"]},
    {"language": ["en"], "cost": ["free"]},
    {"support_type": ["peer", "hybrid"], "cost": ["free"]},
    {"support_type": ["professional"], "language": ["fr"]},
    {"language": ["cy", "ga"], "cost": ["free", "sliding_scale"]},
)


@dataclass(frozen=True)
class Search:
    params: Params
    now: dt.datetime
    home_country: str

    def url_query(self) -> str:
        return urlencode([(key, value) for key, values in self.params.items() for value in values])

    def http_query(self) -> str:
        """The same search for a server, whose clock is not ours: "open now" becomes "open at" our now."""
        if self.params.get("open") != ["now"]:
            return self.url_query()
        zone = self.params.get("tz", ["UTC"])[0]
        local = self.now.astimezone(ZoneInfo(zone)).replace(tzinfo=None).isoformat(timespec="minutes")
        return Search({**self.params, "open": ["at"], "at": [local]}, self.now, self.home_country).url_query()


def _now(zone: str, time_of_day: dt.time) -> dt.datetime:
    return dt.datetime.combine(DAY, time_of_day, tzinfo=ZoneInfo(zone))


def towns(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(name, country, zone) of `count` towns drawn like the data, with London and sparse towns among them."""
    picker, rng = TownPicker(), random.Random(seed)
    drawn: list[Town] = [picker.pick(rng) for _ in range(count)]
    chosen = [(town.name, town.country, town.timezone) for town in drawn]
    fixed = [*DENSE, *SPARSE]
    return (fixed + chosen)[:count] if count > len(fixed) else fixed[:count]


def _place(town: tuple[str, str, str]) -> Params:
    return {"near": [f"{town[0]}, {town[1]}"]}


def radius_only(count: int) -> list[Search]:
    """near a town, 10 km, top 20 (the default page), nearest first."""
    return [
        Search({**_place(town), "radius_km": ["10"]}, _now(town[2], DAYTIME), town[1])
        for town in towns(count)
    ]


def text_radius_filters_open(count: int, seed: int = 11) -> list[Search]:
    """words near a town, 25 km, two filters, open now (11:00 local on a weekday), top 20."""
    rng = random.Random(seed)
    found = []
    for town in towns(count):
        params: Params = {
            "q": [rng.choice(WORDS)],
            **_place(town),
            "radius_km": ["25"],
            "open": ["now"],
            "tz": [town[2]],
            **rng.choice(FILTERS),
        }
        found.append(Search(params, _now(town[2], DAYTIME), town[1]))
    return found


def worst_shapes() -> dict[str, Search]:
    """Shapes a person can send that make the search do the most work, by name."""
    london, night = _place(DENSEST), _now(DENSEST[2], NIGHT)
    day = _now(DENSEST[2], DAYTIME)
    wide = {**london, "radius_km": ["200"]}
    deep = {"page": ["25"], "per_page": ["20"]}
    at_night = {"open": ["now"], "tz": [DENSEST[2]]}
    every_filter = {
        "support_type": ["peer", "hybrid", "professional"],
        "language": ["en", "fr", "cy"],
        "cost": ["free", "sliding_scale"],
        "modality": ["in_person", "online"],
        "topic": ["anxiety", "bereavement"],
        "age": ["30"],
        "max_cost": ["40"],
    }
    shapes: dict[str, Params] = {
        "q=support, no place": {"q": ["support"]},
        "q=support, no place, sort=name, page 25": {"q": ["support"], "sort": ["name"], **deep},
        "q=demo (every listing), no place, open at night, page 25": {"q": ["demo"], **at_night, **deep},
        "q=support, no place, every filter, open at night": {"q": ["support"], **every_filter, **at_night},
        "q=support, no place, capacity=true (none match)": {"q": ["support"], "capacity": ["true"]},
        "12 common words, no place": {
            "q": [
                "mental health support peer group demo listing fictional data carepath service organisation"
            ]
        },
        "London 200 km, nearest first, page 25": {**wide, **deep},
        "London 200 km, sort=name, page 25": {**wide, "sort": ["name"], **deep},
        "London 200 km, open at night, peer only": {**wide, **at_night, "support_type": ["peer"]},
        "London 200 km, open at night, page 25": {**wide, **at_night, **deep},
        "London 200 km, capacity=true (none match)": {**wide, "capacity": ["true"]},
        "London 200 km, age=10 (none match)": {**wide, "age": ["10"]},
        "London 200 km, every filter, open at night": {**wide, **every_filter, **at_night},
        "q=support, London 200 km": {"q": ["support"], **wide},
        "q=support, London 200 km, sort=name, page 25": {"q": ["support"], **wide, "sort": ["name"], **deep},
        "q=support, London 200 km, sort=distance, open at night, page 25": {
            "q": ["support"],
            **wide,
            "sort": ["distance"],
            **at_night,
            **deep,
        },
        "q=demo, London 200 km, every filter, open at night": {
            "q": ["demo"],
            **wide,
            **every_filter,
            **at_night,
        },
        "q=peer support, London 10 km, sort=name, page 25": {
            "q": ["peer support"],
            **london,
            "sort": ["name"],
            **deep,
        },
        "virtual=only, London, open at night, page 25": {**london, "virtual": ["only"], **at_night, **deep},
        "virtual=only, London, language=xx (none match)": {**london, "virtual": ["only"], "language": ["xx"]},
        "q=support, virtual=only, London, sort=name, page 25": {
            "q": ["support"],
            **london,
            "virtual": ["only"],
            "sort": ["name"],
            **deep,
        },
        "lat/lon at sea, 200 km": {"lat": ["50.0"], "lon": ["-20.0"], "radius_km": ["200"]},
        "q=zzzz (no match), London 200 km": {"q": ["zzzz"], **wide},
    }
    return {name: Search(params, night if "open" in params else day, "GB") for name, params in shapes.items()}
