"""Finding services for a person: text, a place and a radius, online services, filters, open hours.

Two streams of candidates, each one indexed SQL query read a chunk at a time:
- *nearby*: services with a position within the radius (grid cells, then the exact radius), and,
  with words, only those the text index matches in the same cells; nearest first, the query is
  asked within growing radii, so a dense place needs only the few hundred services closest to it;
- *online*: services offered online or by phone in the place's country (or anywhere, without a place),
  and, with words, only those the text index matches.
Filters that are columns of the search entry run in SQL; "open at" is checked in Python on each
candidate's weekly windows (`carepath_core.search.hours`). The streams are merged by relevance or
name, or put one after the other when sorting by distance (nearby first). Only a relevance order
has the text index rank every match; otherwise just the hits shown are scored.

Every query is bounded: a radius is at most 200 km, the nearby stream looks at most at the
`POINT_BUDGET` positions nearest the place (a wide radius around a city is narrowed to the largest
ring that holds no more, and the outcome says how far it reached), each stream reads at most
`MAX_SCANNED` candidates, and results stop at number 500; when a bound cuts a search short the
result says so.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection

from carepath.directory import cell_positions
from carepath.directory.search_facets import query_facets
from carepath.directory.selectors.facet_sizes import narrow_facets
from carepath.directory.selectors.places import Place
from carepath.directory.selectors.prepared import prepared_cursor
from carepath.directory.text_index import (
    ENTRY_TABLE,
    POINT_TABLE,
    fine_place_token,
    online_token,
    place_token,
    text_index,
)
from carepath_core.search import geo, hours
from carepath_core.search.query import ServiceQuery

CHUNK = 200
MAX_SCANNED = 5000  # candidates read per stream, at most
POINT_BUDGET = 20_000  # positions the nearby stream may look at: about 10 km around central London
FEW_POSITIONS = 1000  # positions a nearest-first search reads in one query rather than ring by ring
RANK_POOL = 100  # matches near the place (the nearest) and online ones beside them, ranked by relevance
MAX_FINE_TOKENS = 256  # search cells asked of the text index (25 km across); wider, coarse cells
MIN_RING_KM = 1.0  # the smallest radius asked first when nearest come first
TEXT_MATCH_CAP = 5000  # matches of the words taken, at most, for a stream the place does not bound
ONLINE_MATCH_CAP = 2000  # of those, for the online services beside a search near a place
RANKED_MATCH_CAP = 500  # of those, ranked by relevance without a place (a score costs about 25 µs)
ENTRY_COLUMNS = "e.id, e.service_id, e.name_key, e.hours_24_7, e.open_windows"


@dataclass(frozen=True)
class Hit:
    entry_id: int
    service_id: str
    name_key: str
    score: float
    distance_km: float | None  # straight-line, None for an online service


@dataclass
class SearchOutcome:
    hits: list[Hit]
    has_more: bool
    place: Place | None
    capped: bool = False  # a bound cut the search short: there may be more that fit
    searched_radius_km: float | None = None  # set when the nearby stream stopped short of the radius
    notes: list[str] = field(default_factory=list)


@dataclass
class _Sql:
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def where(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "1 = 1"


def _any_of(column: str, values: frozenset[str]) -> tuple[str, list[str]]:
    """Entries whose bar-separated `column` holds any of the values."""
    ordered = sorted(values)
    return "(" + " OR ".join(f"{column} LIKE %s" for _ in ordered) + ")", [
        f"%|{value}|%" for value in ordered
    ]


def _filters(query: ServiceQuery, *, without: frozenset[str] = frozenset()) -> _Sql:
    """The query's filters on the search entry's columns, but those named in `without` (by their
    `search_facets.query_facets` names: the text index's facet tokens stand for them)."""
    sql = _Sql()
    if query.support_types and "support_types" not in without:
        marks = ", ".join(["%s"] * len(query.support_types))
        sql.add(f"e.support_type IN ({marks})", *sorted(query.support_types))
    for name, values in (
        ("languages", query.languages),
        ("topics", query.topics),
        ("modalities", query.modalities),
    ):
        if values and name not in without:
            condition, params = _any_of(f"e.{name}", values)
            sql.add(condition, *params)
    cost_parts: list[str] = []
    cost_params: list[Any] = []
    if query.costs and "costs" not in without:
        condition, params = _any_of("e.cost_kinds", query.costs)
        cost_parts.append(condition)
        cost_params.extend(params)
    if query.max_cost is not None:
        cost_parts.append("e.cost_lowest <= %s")
        cost_params.append(query.max_cost)
    if cost_parts:
        sql.add("(" + " OR ".join(cost_parts) + ")", *cost_params)
    if query.age is not None:
        sql.add(
            "(e.min_age IS NULL OR e.min_age <= %s) AND (e.max_age IS NULL OR e.max_age >= %s)",
            query.age,
            query.age,
        )
    if query.capacity and "capacity" not in without:
        sql.add("e.capacity_available > 0")
    if query.at is not None and "at" not in without:
        sql.add("(e.hours_24_7 = %s OR e.open_windows IS NOT NULL)", True)
    return sql


def _index_filters(query: ServiceQuery) -> tuple[list[list[str]], _Sql]:
    """What a lookup of the words asks the text index for besides (the facet tokens of the narrow
    filters: `facet_sizes`), and the filters left to check on each match's entry."""
    facets = narrow_facets(query_facets(query))
    return list(facets.values()), _filters(query, without=frozenset(facets))


def _condition(sql: _Sql | None) -> tuple[str, list[Any]] | None:
    """The conditions as the text index takes them, None when there are none (nothing to look up)."""
    return (sql.where(), sql.params) if sql is not None and sql.conditions else None


def _is_open(row: tuple[Any, ...], moment: dt.datetime | None) -> bool:
    if moment is None or row[3]:
        return True
    stored = row[4]
    if isinstance(stored, str):  # SQLite hands JSON back as text through a raw cursor
        stored = json.loads(stored)
    return stored is not None and hours.is_open(hours.decode(stored), moment)


class _ReadEnd:
    """A parameter `_read` replaces with the index of the last row it asks for (see `_nearest_first`)."""


READ_END = _ReadEnd()


def _read(cursor: Any, sql: str, params: list[Any], offset: int, size: int) -> Iterator[tuple[Any, ...]]:
    params = [offset + size - 1 if param is READ_END else param for param in params]
    cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, size, offset])
    while chunk := cursor.fetchmany(CHUNK):
        yield from chunk


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: list[Any]
    reach: Callable[[], bool] | None = None  # whether the search may go this far (asked before running)
    radius: float | None = None  # of a nearby query
    ranked: int | None = None  # the rows a relevance order ranks at most; its 8th column counts them
    # Whether the words match more listings than the query examines: asked only when the ranked
    # rows do not already show the search capped (see `_ranked_cap`).
    examined_all: Callable[[], bool] | None = None
    # Whether a later query gives the same rows for less work, so this one can be left out.
    skip: Callable[[], bool] | None = None
    prepared: bool = False  # the same text whatever the place: worth keeping planned (`prepared_cursor`)


def _ranked_cap(statement: _Statement, found: int) -> bool:
    """Whether a ranked query's first read (`found` rows) shows the search capped.

    With more rows than it ranks, it is. With fewer, the query read every match it examines, and
    the search is capped only if the words match more than that: a common word matches thousands,
    and counting them costs as much as the search itself (on PostgreSQL the whole index read
    again), so they are counted only then.
    """
    if statement.ranked is not None and found > statement.ranked:
        return True
    return statement.examined_all is not None and statement.examined_all()


def _rows(
    statements: list[_Statement], moment: dt.datetime | None, wanted: int, state: dict[str, Any]
) -> Iterator[tuple[Any, ...]]:
    """Rows of the last ordered query that are open at `moment`, at most MAX_SCANNED of them read.

    The queries before the last one are cheaper ones whose rows are the first rows of the next one
    (the same order, a smaller radius), so they are asked first and each later one is read from
    where the one before ran out. Without a moment every filter ran in SQL, so the first read (one
    more row than the page needs) is usually the only one; with one, a second read takes the rest,
    up to the bound, a chunk at a time. SQLite hands rows over as they are stepped through, so
    there one read asks for everything up to the bound and the query never runs twice.
    A query whose `reach` says no is not run: the search stops there, capped; one whose `skip`
    says yes is left out, the next one read from the same row.
    """
    scanned, lazy = 0, connection.vendor == "sqlite"
    for statement in statements:
        if statement.skip is not None and statement.skip():
            continue
        if statement.reach is not None and not statement.reach():
            state["capped"] = True
            return
        with prepared_cursor() if statement.prepared else connection.cursor() as cursor:
            sql, params = statement.sql, statement.params
            # A query that reads only up to the last row asked for (READ_END) is asked for the page.
            stepped = lazy and not any(param is READ_END for param in params)
            # A ranked query has at most its cap's rows: with "open at" dropping some of them, all
            # are read at once rather than the query run again for the rest.
            whole = moment is not None and statement.ranked is not None
            size = MAX_SCANNED if stepped or whole else max(wanted + 1 - scanned, 1)
            first_read = True
            while True:
                size = min(size, MAX_SCANNED - scanned)
                read = 0
                for row in _read(cursor, sql, params, scanned, size):
                    if read == 0 and first_read and statement.ranked is not None:
                        state["capped"] = state["capped"] or _ranked_cap(statement, row[7])
                    read += 1
                    if _is_open(row, moment):
                        yield row
                if read == 0 and first_read and statement.ranked is not None:
                    state["capped"] = state["capped"] or _ranked_cap(statement, 0)
                first_read = False
                scanned += read
                if read < size:
                    break  # this query has no more rows: on to the next, or the end
                if scanned >= MAX_SCANNED:
                    state["capped"] = True
                    return
                size = MAX_SCANNED


def _distance_sql(centre: geo.Point) -> tuple[str, list[Any]]:
    """The squared straight-line distance in km² (equirectangular), its values apart from the text."""
    scale = geo.longitude_scale(centre.latitude)
    return (
        f"((p.latitude - %s) * {geo.KM_PER_DEGREE}) * ((p.latitude - %s) * {geo.KM_PER_DEGREE}) + "
        "((p.longitude - %s) * %s) * ((p.longitude - %s) * %s)",
        [centre.latitude, centre.latitude, centre.longitude, scale, centre.longitude, scale],
    )


def _rings(radius: float) -> list[float]:
    """Radii to try nearest first: halving the radius down to about MIN_RING_KM, the whole radius last."""
    rings = [radius]
    while rings[0] / 2 >= MIN_RING_KM:
        rings.insert(0, rings[0] / 2)
    return rings


def _nearby_statements(
    query: ServiceQuery, place: Place, order: str, state: dict[str, Any]
) -> list[_Statement]:
    """The nearby stream's query; nearest first, also the same query within smaller radii to ask first.

    In distance order the services within a smaller radius are exactly the first rows of the whole
    radius, so a page near a dense place is found among a few hundred rows, not every row in range;
    a larger ring is asked only if its positions are within POINT_BUDGET. In the other orders every
    row in range is ranked, so the radius is narrowed first to the largest ring within the budget.
    """
    centre = place.point
    if order == "distance":
        statements: list[_Statement] = []
        reached = 0.0
        rings = _rings(query.radius_km)
        few = _FewWithin(centre, query.radius_km)
        prepared = _nearest_first_applies(query, order)  # the same for every ring
        for radius in rings:
            reach = _reach(centre, radius, state, reached, few) if statements else None
            skip = few if statements and radius < rings[-1] else None
            sql, params = _nearby(query, place, order, radius)
            statements.append(_Statement(sql, params, reach, radius, skip=skip, prepared=prepared))
            reached = radius
        return statements
    radius = _reachable_radius(centre, query.radius_km)
    among: list[int] | None = None
    if query.words and order == "relevance":
        radius, among = _ranked_radius(query, place, radius)
    if radius < query.radius_km:
        state["capped"], state["searched_radius"] = True, radius
    if among is not None and not among:
        return []  # nothing near matches the words and the filters
    return [_Statement(*_nearby(query, place, order, radius, among))]


def _reach(
    centre: geo.Point, radius: float, state: dict[str, Any], reached: float, few: _FewWithin
) -> Callable[[], bool]:
    def check() -> bool:
        if few.answer or _within_budget(centre, radius):
            return True
        state["searched_radius"] = reached
        return False

    return check


class _FewWithin:
    """Whether the whole circle holds at most FEW_POSITIONS positions (counted once, when first asked).

    Asked when the smallest ring did not fill the page: in a sparse place, or at sea, the rings
    between it and the whole radius would each be a query for the same few rows, so the whole
    radius is asked at once instead (its first rows are the smaller rings' rows). Few positions
    are within the budget, so then the whole radius needs no count of its own (`answer`)."""

    def __init__(self, centre: geo.Point, radius: float) -> None:
        self.centre, self.radius = centre, radius
        self.answer: bool | None = None  # not asked yet

    def __call__(self) -> bool:
        if self.answer is None:
            self.answer = _within_budget(self.centre, self.radius, min(FEW_POSITIONS, POINT_BUDGET))
        return self.answer


def _reachable_radius(centre: geo.Point, radius: float) -> float:
    """`radius`, or the largest ring inside it with at most POINT_BUDGET positions (the smallest at least)."""
    if _within_budget(centre, radius):
        return radius
    rings = _rings(radius)
    reachable = rings[0]
    for ring in rings[1:-1]:
        if not _within_budget(centre, ring):
            break
        reachable = ring
    return reachable


def _within_budget(centre: geo.Point, radius: float, budget: int | None = None) -> bool:
    """Whether the box around the circle holds at most `budget` positions (POINT_BUDGET if None).

    The database keeps a count per grid cell (`cell_positions`): the cells wholly inside the box
    hold at least, and all the cells it touches at most, what the box holds; only in between are
    positions counted (index only), in the cells on its edge, up to one more than the budget."""
    budget = POINT_BUDGET if budget is None else budget
    with prepared_cursor() as cursor:
        held = cell_positions.held(cursor, connection.vendor, geo.cells_within(centre, radius))
    everywhere = sum(held.values())
    if everywhere <= budget:
        return True
    box = geo.box_around(centre, radius)
    edge = [cell for cell in held if not geo.cell_inside(cell, box)]
    inside = everywhere - sum(held[cell] for cell in edge)
    if inside > budget:
        return False
    return inside + _positions_in(_area(centre, radius, cells=edge), budget + 1 - inside) <= budget


def _positions_in(area: _Sql, at_most: int) -> int:
    """Positions in the area, counted up to `at_most` (index only)."""
    with prepared_cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {POINT_TABLE} p WHERE {area.where()} LIMIT %s) counted",
            [*area.params, at_most],
        )
        (count,) = cursor.fetchone()
    return int(count)


def _area(centre: geo.Point, radius: float, *, cells: bool | list[int] = True) -> _Sql:
    """Positions in the grid cells and the box the circle can touch (the exact radius is checked
    apart); with `cells` False, in the box only (a position looked up by its entry), and with a
    list, in those of the cells only."""
    area = _Sql()
    listed = geo.cells_within(centre, radius) if cells is True else cells
    if listed is not False:
        condition, params = cell_positions.cells_condition("p.cell", listed, connection.vendor)
        area.add(condition, *params)
    box = geo.box_around(centre, radius)
    area.add("p.latitude BETWEEN %s AND %s", box.south, box.north)
    if box.west is not None:
        area.add("p.longitude BETWEEN %s AND %s", box.west, box.east)
    # else across the antimeridian: the cells bound the search; no distance is worked out across it
    return area


def _nearby(
    query: ServiceQuery, place: Place, order: str, radius: float, among: list[int] | None = None
) -> tuple[str, list[Any]]:
    """The nearby stream's query; with `among`, only those entries are scored (every match in range)."""
    centre = place.point
    sql = _filters(query)
    if _nearest_first_applies(query, order):
        return _nearest_first(centre, radius)
    distance, distance_params = _distance_sql(centre)
    point_sql = _area(centre, radius)
    source, source_params, first, first_params = f"{ENTRY_TABLE} e", list[Any](), "", list[Any]()
    score = "0"
    if query.words and among is not None:
        match, source_params = text_index().scores(query.words, among)
        source, score = f"({match}) m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id", "m.score"
    elif query.words:
        facets, unindexed = _index_filters(query)
        index = text_index()
        # The positions joined below decide the circle; the cells only narrow the text lookup.
        cells = _place_tokens(centre, radius)
        if index.most_cells_with_words is not None and len(cells) > index.most_cells_with_words:
            cells = []
        match, source_params = index.matches(
            query.words,
            cells,
            facets=facets,
            word_places=_coarse_tokens(centre, radius),
            **_scoring(order, unindexed, _circle(centre, radius)),
        )
        source, score = f"({match}) m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id", "m.score"
        if order == "relevance" and not text_index().costly_scores:
            first, first_params, source_params = _text_first(match, source_params)
            source = f"m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id"
    ordering = {
        "relevance": "score DESC, distance2",
        "distance": "distance2, e.name_key",
        "name": "e.name_key",
    }[order]
    if first:
        return _ranked_by_entry(first, first_params, centre=centre, radius=radius, sql=sql, ordering=ordering)
    statement = (
        f"SELECT {ENTRY_COLUMNS}, {score} AS score, MIN({distance}) AS distance2 "
        f"FROM {source} JOIN {POINT_TABLE} p ON p.entry_id = e.id "
        f"WHERE {_by_entry(point_sql.where()) if query.words else point_sql.where()} AND {sql.where()} "
        f"GROUP BY {ENTRY_COLUMNS}{', m.score' if query.words else ''} HAVING MIN({distance}) <= %s "
        f"ORDER BY {ordering}, e.id"
    )
    params = (
        distance_params + source_params + point_sql.params + sql.params + distance_params + [radius * radius]
    )
    return statement, params


def _ranked_by_entry(
    first: str, first_params: list[Any], *, centre: geo.Point, radius: float, sql: _Sql, ordering: str
) -> tuple[str, list[Any]]:
    """The ranked matches read first (`_text_first`, PostgreSQL), each with its nearest position
    looked up by its entry id (the covering `search_point_entry` index).

    Joining them to the positions in range instead left the plan to the planner's guess of how
    many matches a ring holds, and it cannot tell how many listings a word filed by place holds:
    guessing a few dozen, it compared every match with every position in range (97 ms for one
    search at a million listings, 8 ms looked up by entry). Hiding the cell index from that join
    instead made it read every position when it guessed thousands (106 ms for 22 matches). The
    ring was chosen to hold about RANK_POOL matches, so looking each up is bounded.
    """
    distance, distance_params = _distance_sql(centre)
    box = _area(centre, radius, cells=False)
    statement = (
        f"{first}SELECT {ENTRY_COLUMNS}, m.score AS score, near.distance2 "
        f"FROM m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id CROSS JOIN LATERAL ("
        f"SELECT MIN({distance}) AS distance2 FROM {POINT_TABLE} p "
        f"WHERE p.entry_id = m.entry_id AND {box.where()}) near "
        f"WHERE near.distance2 <= %s AND {sql.where()} ORDER BY {ordering}, e.id"
    )
    return statement, [*first_params, *distance_params, *box.params, radius * radius, *sql.params]


def _nearest_first_applies(query: ServiceQuery, order: str) -> bool:
    return order == "distance" and not query.words and not _filters(query).conditions


def _nearest_first(centre: geo.Point, radius: float) -> tuple[str, list[Any]]:
    """Services within the radius, nearest first, when no filter needs their search entries.

    Each position's distance is worked out from the position index alone, and only the entries
    that can be on the page are read: those no farther than the last row asked for (READ_END),
    ties included, so the order by distance, then name, then id is the same as reading them all.
    Near a city centre that is 20-odd entries read instead of every one in the ring (hundreds).
    """
    distance, distance_params = _distance_sql(centre)
    area = _area(centre, radius)
    statement = (
        f"WITH near AS (SELECT p.entry_id, MIN({distance}) AS distance2 FROM {POINT_TABLE} p "
        f"WHERE {area.where()} GROUP BY p.entry_id HAVING MIN({distance}) <= %s), "
        "cut AS (SELECT distance2 FROM near ORDER BY distance2 LIMIT 1 OFFSET %s) "
        f"SELECT {ENTRY_COLUMNS}, 0 AS score, near.distance2 "
        f"FROM near JOIN {ENTRY_TABLE} e ON e.id = near.entry_id "
        "WHERE near.distance2 <= COALESCE((SELECT distance2 FROM cut), %s) "
        "ORDER BY near.distance2, e.name_key, e.id"
    )
    radius2 = radius * radius
    return statement, [
        *distance_params,
        *area.params,
        *distance_params,
        radius2,
        READ_END,
        radius2,
    ]


def _text_first(match: str, params: list[Any]) -> tuple[str, list[Any], list[Any]]:
    """The matches of the words in the ring, read first (PostgreSQL, relevance order).

    The planner expects a few dozen positions in the ring's cells and box (it multiplies the three
    conditions as if independent) when there are thousands, so it would walk every position and
    test each listing's words. The ring was chosen to hold about RANK_POOL matches (see
    `_ranked_radius`), so reading the matches first is bounded: measured p95 79 → 23 ms at 1M.
    """
    return f"WITH m AS MATERIALIZED ({match}) ", params, []


def _circle(centre: geo.Point, radius: float) -> _Sql | None:
    """A position within the circle, for a text match to have (alias `p`): the cells' tokens reach
    past it, and only the matches that can be shown are worth scoring. Only where scoring a row is
    costly (see `TextIndex.costly_scores`): PostgreSQL ranks cheaply, and there the extra condition
    makes the planner walk every position in range instead of the text index."""
    if not text_index().costly_scores:
        return None
    area = _area(centre, radius)
    distance, distance_params = _distance_sql(centre)
    near = _Sql()
    near.add(
        f"{_by_entry(area.where())} AND {distance} <= %s", *area.params, *distance_params, radius * radius
    )
    return near


def _scoring(order: str, entries: _Sql, near: _Sql | None = None) -> dict[str, Any]:
    """How the text index is asked: ranked by relevance, only the matches that pass the filters the
    facet tokens leave (`entries`) and are `near` are scored."""
    if order != "relevance":
        return {"scored": False}
    return {"scored": True, "entries": _condition(entries), "near": _condition(near)}


def _place_tokens(centre: geo.Point, radius: float) -> list[str]:
    """The text index's tokens for the cells a circle touches: search cells for a small circle,
    coarse cells when that would take more than MAX_FINE_TOKENS (each token is a term to look up)."""
    cells = geo.cells_within(centre, radius)
    if len(cells) <= MAX_FINE_TOKENS:
        return [fine_place_token(cell) for cell in cells]
    return _coarse_tokens(centre, radius)


def _coarse_tokens(centre: geo.Point, radius: float) -> list[str]:
    """The coarse cells a circle touches: the places the text index files words under too."""
    return sorted({place_token(cell) for cell in geo.cells_within(centre, radius, geo.COARSE_CELL_DEGREES)})


def _ranked_radius(query: ServiceQuery, place: Place, radius: float) -> tuple[float, list[int] | None]:
    """The smallest ring holding at least RANK_POOL matches that pass the filters, or `radius`;
    and, when the whole radius holds fewer, every one of them (to score just those).

    Ranking by relevance scores every match in range, and a common word matches most listings:
    near a city that is thousands of scores for a page of twenty. The nearest matches are ranked
    instead, enough to fill the pages a person can ask for.

    Rare words or narrow filters leave too few in every ring, so the widest is asked first. Where
    the engine stops reading matches at a LIMIT (`TextIndex.stops_early`), that is the whole
    radius, and when it holds too few the matches found are all there are to rank: no ring is
    counted and the words are not looked up again; otherwise the rings are counted from the
    largest in. (Reading more of them, with their distances,
    to choose the ring from was measured slower: a common word's first thousand cost more than
    the counts.) Elsewhere (PostgreSQL finds every match in the cells before the first row) it is
    the largest ring inside the radius, a quarter of its area.
    """
    pool = _at_least_a_page(query, RANK_POOL)
    rings = _rings(radius)[:-1]
    if text_index().stops_early:
        found = _matching(query, place, radius, pool)
        if len(found) < pool:
            return radius, found
        for ring in rings:
            if _matches_within(query, place, ring, pool) >= pool:
                return ring, None
        return radius, None
    if not rings or _matches_within(query, place, rings[-1], pool) < pool:
        return radius, None
    # The largest inner ring holds enough; a smaller one may (counted from the smallest, as each
    # count here reads every match in its ring).
    for ring in rings[:-1]:
        if _matches_within(query, place, ring, pool) >= pool:
            return ring, None
    return rings[-1], None


def _matching(query: ServiceQuery, place: Place, radius: float, limit: int) -> list[int]:
    """Entries matching the words and the filters within the radius, at most `limit` of them."""
    match, params = _matches_near(query, place, radius)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT m.entry_id FROM ({match}) m LIMIT {limit}", params)
        return [entry_id for (entry_id,) in cursor.fetchall()]


def _matches_within(query: ServiceQuery, place: Place, radius: float, limit: int) -> int:
    """Services matching the words and the filters within the ring, counted up to `limit`."""
    match, params = _matches_near(query, place, radius)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM ({match}) m LIMIT {limit}) counted", params)
        (count,) = cursor.fetchone()
    return int(count)


def _matches_near(query: ServiceQuery, place: Place, radius: float) -> tuple[str, list[Any]]:
    """The unscored matches of the words and the filters in the ring (in its cells, where the
    engine's scores are cheap: `_circle`)."""
    facets, unindexed = _index_filters(query)
    return text_index().matches(
        query.words,
        _place_tokens(place.point, radius),
        scored=False,
        facets=facets,
        entries=_condition(unindexed),
        near=_condition(_circle(place.point, radius)),
        word_places=_coarse_tokens(place.point, radius),
    )


def _by_entry(area: str) -> str:
    """The area as a filter only ("+cell"), so each text match finds its positions by entry id.

    Given the cell index, SQLite may look through every position of a cell for each text match.
    PostgreSQL plans this well, and there "+cell" would only hide the index.
    """
    return area.replace("p.cell IN", "+p.cell IN", 1) if connection.vendor == "sqlite" else area


def _online(query: ServiceQuery, place: Place | None, order: str, state: dict[str, Any]) -> _Statement:
    sql = _filters(query)
    sql.add("e.online = %s", True)
    if place is not None and place.country:
        sql.add("e.country = %s", place.country)  # one value, so the index also gives the A-Z order
    source, source_params, score = f"{ENTRY_TABLE} e", list[Any](), "0"
    if query.words:
        tokens = [online_token(place.country)] if place is not None and place.country else []
        # Beside the services near a place, online ones need only be a good few, not every match.
        examined, ranked = (ONLINE_MATCH_CAP, RANK_POOL) if place else (TEXT_MATCH_CAP, RANKED_MATCH_CAP)
        source, source_params, cap, examined_all = _text_source(
            query, tokens, order, state, online=not tokens, examined=examined, ranked=ranked
        )
        score = "m.score"
    else:
        cap, examined_all = None, None
    ordering = "score DESC, e.name_key" if order == "relevance" else "e.name_key"
    statement = _select(score, source, sql.where(), ordering, counted=cap is not None)
    return _Statement(statement, source_params + sql.params, ranked=cap, examined_all=examined_all)


def _text_source(
    query: ServiceQuery,
    tokens: list[str],
    order: str,
    state: dict[str, Any],
    *,
    online: bool = False,
    examined: int,
    ranked: int,
) -> tuple[str, list[Any], int | None, Callable[[], bool] | None]:
    """The matches a stream the place does not bound may read, joined to their entries, how many
    rows at most a relevance order ranks (None: not ranked), and, for a ranked order, whether the
    words match more than are examined (asked when the rows are read: `_ranked_cap`). `online`:
    only online services, which `tokens` do not already stand for.

    Only the first `examined` matches of the words (and tokens) the engine reads are looked at, so
    a common word cannot scan everything however few matches pass the filters; of those that pass, at most
    `ranked` (or the pages asked for) are ranked by relevance. Reaching either bound marks the
    search capped: in an order not by relevance the first here, the rest as the rows are read.
    """
    # No facet tokens here: only the first `examined` matches are read, and a filter in the index
    # would have it read on until as many pass (every match, when few do); at a million listings
    # a rare language among online services made this three to four times slower.
    index, filters = text_index(), _filters(query)
    if online:
        filters.add("e.online = %s", True)
    match, params = index.matches(
        query.words, tokens, **_scoring(order, filters), among_first=examined, word_places=tokens
    )
    if order != "relevance":
        if _more_than(query.words, tokens, examined):
            state["capped"] = True
        return f"({match}) m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id", params, None, None
    cap = _at_least_a_page(query, ranked)
    match = f"SELECT * FROM ({match}) ranked LIMIT {cap + 1}"  # one more tells that there are more
    source = f"({match}) m JOIN {ENTRY_TABLE} e ON e.id = m.entry_id"
    return source, params, cap, lambda: _more_than(query.words, tokens, examined)


def _at_least_a_page(query: ServiceQuery, count: int) -> int:
    """`count`, or more when the page asked for lies beyond it (and one more, to know there is more)."""
    return max(count, query.page * query.per_page + 1)


def _more_than(words: tuple[str, ...], tokens: list[str], count: int) -> bool:
    """Whether the words (and tokens) match more than `count` listings (reading at most one more)."""
    match, params = text_index().matches(words, tokens, scored=False, word_places=tokens)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({match}) counted LIMIT {count + 1}) enough", params
        )
        (found,) = cursor.fetchone()
    return int(found) > count


def _select(score: str, source: str, where: str, ordering: str, *, counted: bool) -> str:
    # `found`: how many rows a ranked query has, so its first row tells whether the cap was reached.
    # Only there: counting makes the database produce every row before the first, which an
    # A-Z order read from an index would not.
    found = ", COUNT(*) OVER () AS found" if counted else ""
    return (
        f"SELECT {ENTRY_COLUMNS}, {score} AS score, NULL AS distance2{found} "
        f"FROM {source} WHERE {where} ORDER BY {ordering}, e.id"
    )


def _everywhere(query: ServiceQuery, state: dict[str, Any]) -> _Statement:
    """Words without a place: every matching service, located or online (the first matches only)."""
    sql = _filters(query)
    source, params, cap, examined_all = _text_source(
        query, [], query.order, state, examined=TEXT_MATCH_CAP, ranked=RANKED_MATCH_CAP
    )
    ordering = "m.score DESC" if query.order == "relevance" else "e.name_key"
    statement = _select("m.score", source, sql.where(), ordering, counted=cap is not None)
    return _Statement(statement, params + sql.params, ranked=cap, examined_all=examined_all)


def _hit(row: tuple[Any, ...]) -> Hit:
    distance2 = row[6]
    return Hit(
        row[0],
        row[1],
        row[2],
        float(row[5] or 0),
        None if distance2 is None else math.sqrt(max(distance2, 0.0)),
    )


def search_services(query: ServiceQuery, place: Place | None) -> SearchOutcome:
    """One page of services for the query (`place` is the query's place, already resolved)."""
    if place is None and not query.words:
        raise ValueError("a search needs words or a place; parse_query's caller checks this")
    order, moment = query.order, query.at
    state: dict[str, Any] = {"capped": False, "searched_radius": None}
    wanted = query.page * query.per_page
    streams: list[Iterator[tuple[Any, ...]]] = []
    if place is None:
        streams.append(_rows([_everywhere(query, state)], moment, wanted, state))
    else:
        if query.virtual != "only":
            streams.append(_rows(_nearby_statements(query, place, order, state), moment, wanted, state))
        if query.virtual != "exclude":
            streams.append(_rows([_online(query, place, order, state)], moment, wanted, state))
    combined = _combine(streams, order)
    first = (query.page - 1) * query.per_page
    hits: list[Hit] = []
    has_more = False
    for index, row in enumerate(combined):
        if index >= wanted:
            has_more = True
            break
        if index >= first:
            hits.append(_hit(row))
    if query.words and order != "relevance" and hits:
        hits = _scored(query, hits)
    capped = bool(state["capped"])
    return SearchOutcome(hits, has_more, place, capped, state["searched_radius"])


def _scored(query: ServiceQuery, hits: list[Hit]) -> list[Hit]:
    """The hits with their relevance scores, when the order did not need them (asked for the page only)."""
    sql, params = text_index().scores(query.words, [hit.entry_id for hit in hits])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {entry_id: float(score or 0) for entry_id, score in cursor.fetchall()}
    return [replace(hit, score=found.get(hit.entry_id, 0.0)) for hit in hits]


def _combine(streams: list[Iterator[tuple[Any, ...]]], order: str) -> Iterator[tuple[Any, ...]]:
    if len(streams) == 1:
        return streams[0]
    if order == "distance":
        return (row for stream in streams for row in stream)
    if order == "relevance":
        return heapq.merge(*streams, key=lambda row: (-float(row[5] or 0), row[2]))
    return heapq.merge(*streams, key=lambda row: row[2])
