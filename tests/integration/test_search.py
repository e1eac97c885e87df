"""Directory search against a real database (SQLite FTS5 here, PostgreSQL full text in `make test`)."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from carepath.directory import text_index
from carepath.directory.models import Address, SearchEntry, SearchPoint, Service
from carepath.directory.selectors import search
from carepath.directory.selectors.find import find_services
from carepath.directory.services import search_index
from carepath.directory.services.search_index import rebuild_search_index, refresh_search_entries
from carepath.errors import ApplicationError
from carepath_core.errors import InvalidData
from tests.search_directory import IDS, file_words_by_place, load_search_directory

pytestmark = pytest.mark.django_db
MONDAY_10_LONDON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)  # London is on UTC in November
SUNDAY_10_LONDON = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def directory() -> None:
    load_search_directory()


def names(now: dt.datetime = MONDAY_10_LONDON, home: str = "GB", **params: Any) -> list[str]:
    as_lists = {key: value if isinstance(value, list) else [str(value)] for key, value in params.items()}
    return [card.name for card in find_services(as_lists, home_country=home, now=now).cards]


def test_every_active_service_is_indexed_and_inactive_ones_are_not() -> None:
    assert SearchEntry.objects.count() == 8
    assert not SearchEntry.objects.filter(service_id=IDS["closed"]).exists()
    assert SearchPoint.objects.count() == 7  # the online line has no position


def test_words_are_stemmed_and_case_and_accents_are_ignored() -> None:
    assert "Harbour Anxiety Peer Group" in names(q="GROUPS")
    assert names(q="montreal ecoute") == ["Montréal Écoute"]
    assert names(q="Montréal Écoute") == ["Montréal Écoute"]


def test_every_word_must_match_and_a_name_match_ranks_first() -> None:
    found = names(q="anxiety")
    assert found[0] in ("Harbour Anxiety Peer Group", "Harbour Youth Anxiety Circle")
    assert found.index("Quayside Counselling") > found.index("Harbour Anxiety Peer Group")
    assert names(q="anxiety café") == []


def test_query_syntax_is_never_passed_to_the_engine() -> None:
    for attack in ('anxiety" OR "x', "anxiety*", "NEAR(anxiety group)", "anxiety' ; DROP TABLE x; --", "a:b"):
        names(q=attack)  # no error: operators and quotes are dropped, only words are searched
    assert Service.objects.count() == 9


def test_radius_keeps_only_services_within_it() -> None:
    near_two = names(near="London", radius_km=2, virtual="exclude")
    assert "Quayside Counselling" not in near_two and "Harbour Anxiety Peer Group" in near_two
    assert "Quayside Counselling" in names(near="London", radius_km=6, virtual="exclude")
    assert "Mill Town Recovery Café" not in names(near="London", radius_km=100, virtual="exclude")


def test_nearest_first_then_online_services_of_the_same_country() -> None:
    found = names(near="London", radius_km=10, sort="distance")
    assert found[-1] == "Night Listening Line"
    assert set(found[:3]) == {
        "Harbour Anxiety Peer Group",
        "Harbour Youth Anxiety Circle",
        "Harbour Full Therapy Clinic",
    }
    assert names(near="Montreal", radius_km=10) == ["Montréal Écoute"]  # the GB line does not serve Canada


def test_online_only_and_in_person_only() -> None:
    assert names(near="Leeds", virtual="only") == ["Night Listening Line"]
    assert "Night Listening Line" not in names(near="London", virtual="exclude")


def test_open_at_a_time_uses_each_schedule_and_its_offset() -> None:
    monday = names(near="London", radius_km=10, open="now", now=MONDAY_10_LONDON)
    assert "Harbour Anxiety Peer Group" in monday and "Night Listening Line" in monday
    assert "Quayside Counselling" not in monday  # Tuesday evenings only
    assert "Harbour Full Therapy Clinic" not in monday  # no hours given: never said to be open
    sunday = names(near="London", radius_km=10, open="now", now=SUNDAY_10_LONDON)
    assert sunday == ["Night Listening Line"]
    tuesday_evening = names(near="London", radius_km=10, open="at", at="2026-11-24T18:30", tz="Europe/London")
    assert "Quayside Counselling" in tuesday_evening
    # Montreal is UTC-5: open at 09:00 there, which is 14:00 UTC, but not at 10:00 UTC.
    assert names(near="Montreal", open="at", at="2026-11-23T09:30", tz="America/Toronto") == [
        "Montréal Écoute"
    ]
    assert names(near="Montreal", open="now", now=MONDAY_10_LONDON) == []


def test_cost_filters_are_any_of() -> None:
    assert set(names(near="London", cost="free")) == {"Harbour Anxiety Peer Group", "Night Listening Line"}
    assert names(near="London", cost="sliding_scale") == ["Quayside Counselling"]
    assert names(near="London", cost="insurance") == ["Old Dock Peer and Therapy Hub"]
    both = set(names(near="London", cost=["sliding_scale", "insurance"]))
    assert both == {"Quayside Counselling", "Old Dock Peer and Therapy Hub"}
    cheap = set(names(near="London", max_cost=35))
    assert "Harbour Full Therapy Clinic" not in cheap and "Old Dock Peer and Therapy Hub" in cheap


def test_language_modality_support_type_topic_age_and_capacity() -> None:
    assert names(near="London", language="pl") == ["Harbour Anxiety Peer Group"]
    assert names(near="London", modality="online") == ["Night Listening Line"]
    assert set(names(near="London", support_type="peer")) == {
        "Harbour Anxiety Peer Group",
        "Harbour Youth Anxiety Circle",
    }
    assert names(near="Manchester", topic="addiction_recovery") == ["Mill Town Recovery Café"]
    assert "Harbour Youth Anxiety Circle" not in names(near="London", age=40)
    assert "Harbour Youth Anxiety Circle" in names(near="London", age=17)
    assert names(near="London", capacity="true") == ["Harbour Anxiety Peer Group"]


def test_a_language_tag_is_found_by_its_language() -> None:
    # The Montréal line's language is stored as `fr-CA`, as imported; the filter knows it as `fr`.
    assert names(q="ecoute", language="fr") == ["Montréal Écoute"]
    assert names(q="ecoute", language="en") == []


def test_cards_carry_the_ten_dimension_facts() -> None:
    page = find_services(
        {"q": ["anxiety peer group"], "near": ["London"]}, home_country="GB", now=MONDAY_10_LONDON
    )
    card = page.cards[0]
    assert card.name == "Harbour Anxiety Peer Group" and card.support_type_label == "Peer support"
    assert card.credentials == ["Peer certification: Peer support certificate"]
    assert card.confidentiality_limits == ["when someone's life is at risk"] and card.crisis_capable is False
    assert card.costs == ["Free — No charge."] and card.capacity == "3 place(s) free now"
    assert card.languages == ["English", "Polish"] and card.topics == ["Anxiety"]
    assert card.distance_km is not None and card.distance_km < 1  # GeoNames' centre of London is nearby
    assert card.last_checked == dt.date(2026, 11, 1) and card.stale is False
    old = find_services({"q": ["dock"]}, home_country="GB", now=MONDAY_10_LONDON).cards[0]
    assert old.stale is True  # last changed in 2019


def test_pages_and_has_more() -> None:
    first = find_services({"near": ["London"], "per_page": ["2"]}, home_country="GB", now=MONDAY_10_LONDON)
    second = find_services(
        {"near": ["London"], "per_page": ["2"], "page": ["2"]}, home_country="GB", now=MONDAY_10_LONDON
    )
    assert first.has_more and len(first.cards) == 2
    assert not {c.name for c in first.cards} & {c.name for c in second.cards}


def test_places_us_zip_listed_postcode_town_and_country_suffix() -> None:
    assert find_services({"near": ["10001"]}, home_country="", now=MONDAY_10_LONDON).place.country == "US"  # type: ignore[union-attr]
    listed = find_services({"near": ["e1  6an"]}, home_country="", now=MONDAY_10_LONDON).place
    assert listed is not None and listed.label == "E1 6AN" and listed.country == "GB"
    assert names(near="London, CA", virtual="exclude") == []  # London, Ontario
    with pytest.raises(InvalidData) as refused:
        names(near="Nowhere Atall")
    assert refused.value.field == "near"


def test_lat_lon_instead_of_a_place() -> None:
    assert "Harbour Anxiety Peer Group" in names(lat="51.5074", lon="-0.1278", radius_km=1)
    assert "Night Listening Line" in names(lat="51.5074", lon="-0.1278", radius_km=1)  # country found: GB


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"near": "London", "radius_km": "0"}, "radius_km"),
        ({"near": "London", "radius_km": "500"}, "radius_km"),
        ({"near": "London", "lat": "1", "lon": "2"}, "near"),
        ({"lat": "91", "lon": "0"}, "lat"),
        ({"lat": "51"}, "lon"),
        ({"near": "London", "open": "soon"}, "open"),
        ({"near": "London", "open": "at"}, "at"),
        ({"near": "London", "open": "at", "at": "tuesday"}, "at"),
        ({"near": "London", "open": "now", "tz": "Mars/Olympus"}, "tz"),
        ({"near": "London", "cost": "cheap"}, "cost"),
        ({"near": "London", "max_cost": "-1"}, "max_cost"),
        ({"near": "London", "support_type": "magic"}, "support_type"),
        ({"near": "London", "age": "old"}, "age"),
        ({"near": "London", "capacity": "maybe"}, "capacity"),
        ({"q": "x", "sort": "distance"}, "sort"),
        ({"near": "London", "page": "30", "per_page": "50"}, "page"),
        ({"near": "London", "per_page": "51"}, "per_page"),
    ],
)
def test_bad_parameters_name_the_field(params: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidData) as refused:
        names(**params)
    assert refused.value.field == field


def test_a_change_to_a_service_is_searchable_in_the_same_transaction() -> None:
    with transaction.atomic():
        Service.objects.filter(id=IDS["recovery"]).update(name="Mill Town Drop-in")
        refresh_search_entries([IDS["recovery"]])
    assert names(q="drop") == ["Mill Town Drop-in"] and names(q="recovery") == ["Mill Town Drop-in"]
    with transaction.atomic():
        Service.objects.filter(id=IDS["recovery"]).update(status="defunct")
        refresh_search_entries([IDS["recovery"]])
    assert names(q="drop") == []


@pytest.mark.django_db(transaction=True)
def test_refresh_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(ApplicationError):
        refresh_search_entries([IDS["recovery"]])


def test_rebuild_gives_the_same_results(capsys: Any) -> None:
    before = names(q="anxiety", near="London")
    SearchEntry.objects.all().delete()
    assert rebuild_search_index() == 8
    assert names(q="anxiety", near="London") == before
    call_command("search-index", "rebuild")
    assert "Indexed 8 active services of 9" in capsys.readouterr().out
    call_command("search-index", "rebuild", "--if-empty")
    assert "already built" in capsys.readouterr().out
    SearchEntry.objects.all().delete()
    call_command("search-index", "rebuild", "--if-empty")
    assert "Indexed 8 active services" in capsys.readouterr().out


def test_the_services_a_change_touches() -> None:
    from carepath.directory.selectors.search_facts import services_touched_by

    assert services_touched_by({"schedule": ["00000000-0000-4000-9000-000000000003"]}) == {IDS["recovery"]}
    # An address changes the places of the services offered there, and the countries of its
    # organisation, under which that organisation's online services are filed.
    address = Address.objects.select_related("location").get(id="00000000-0000-4000-a000-000000000002")
    of_organisation = set(
        Service.objects.filter(organization_id=address.location.organization_id).values_list("id", flat=True)
    )
    assert (
        services_touched_by({"address": [address.id]})
        == {IDS["counselling"], IDS["hybrid"]} | of_organisation
    )
    assert services_touched_by({"location": [IDS["montreal"]], "cost_option": []}) == {IDS["ecoute"]}
    assert services_touched_by({"organization": [IDS["org_ca"]]}) == {IDS["ecoute"]}
    assert services_touched_by({"unit": ["x"]}) == set()


@pytest.mark.parametrize("sort", ["distance", "name", "relevance"])
def test_a_dense_place_narrows_the_radius_to_the_position_budget_and_says_so(
    monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    params = {"near": ["London"], "radius_km": ["20"], "sort": [sort], "virtual": ["exclude"]}
    if sort == "relevance":
        params["q"] = ["london"]  # every listing here names the city
    wide = find_services(params, home_country="GB", now=MONDAY_10_LONDON)
    assert "Quayside Counselling" in [card.name for card in wide.cards]  # 5 km east of the centre
    assert not wide.capped and wide.searched_radius_km is None

    monkeypatch.setattr(search, "POINT_BUDGET", 3)  # the three services at the centre, no more
    narrow = find_services(params, home_country="GB", now=MONDAY_10_LONDON)
    assert "Quayside Counselling" not in [card.name for card in narrow.cards]
    assert narrow.capped
    assert narrow.searched_radius_km is not None and narrow.searched_radius_km < 5


def test_relevance_near_a_place_ranks_the_nearest_pool_of_matches_and_says_how_far(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    params = {"q": ["london"], "near": ["London"], "radius_km": ["20"], "virtual": ["exclude"]}
    assert "Quayside Counselling" in [
        card.name for card in find_services(params, home_country="GB", now=MONDAY_10_LONDON).cards
    ]
    monkeypatch.setattr(search, "RANK_POOL", 2)  # the centre alone holds more matches than that
    page = find_services({**params, "per_page": ["1"]}, home_country="GB", now=MONDAY_10_LONDON)
    assert page.capped and page.searched_radius_km is not None and page.searched_radius_km < 5
    assert page.has_more  # the pool still holds the next page


def test_a_common_word_reads_only_the_first_matches_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    everywhere = {"q": ["london"], "per_page": ["50"]}
    assert not find_services(everywhere, home_country="GB", now=MONDAY_10_LONDON).capped
    monkeypatch.setattr(search, "TEXT_MATCH_CAP", 2)
    page = find_services(everywhere, home_country="GB", now=MONDAY_10_LONDON)
    assert page.capped and 0 < len(page.cards) <= 2
    monkeypatch.setattr(search, "TEXT_MATCH_CAP", 5000)
    monkeypatch.setattr(search, "RANKED_MATCH_CAP", 1)
    ranked = find_services({"q": ["london"], "per_page": ["1"]}, home_country="GB", now=MONDAY_10_LONDON)
    assert ranked.capped and ranked.has_more  # two ranked: one shown, one to say there is more


def test_the_migration_gives_an_older_index_its_search_cell_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    words_near = {"q": ["london"], "near": ["London"], "radius_km": ["3"], "virtual": ["exclude"]}
    monkeypatch.setattr(search_index, "fine_place_token", lambda cell: "")  # as the index was written before
    monkeypatch.setattr(text_index, "word_places", lambda places: [])  # and before words by place (0012)
    with transaction.atomic():
        rebuild_search_index()
    assert find_services(words_near, home_country="GB", now=MONDAY_10_LONDON).cards == []

    migration = importlib.import_module("carepath.directory.migrations.0006_search_fine_cell_tokens")
    migration.add_fine_cell_tokens(None, _Statements())
    monkeypatch.undo()
    file_words_by_place()  # then, as in a real upgrade, migration 0012
    found = [card.name for card in find_services(words_near, home_country="GB", now=MONDAY_10_LONDON).cards]
    assert "Harbour Anxiety Peer Group" in found


class _Statements:
    """What the migration uses of a schema editor (SQLite refuses a real one inside a test's transaction)."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_a_web_worker_loads_the_gazetteers_before_its_first_request() -> None:
    import carepath.config.wsgi
    from carepath.directory.selectors import find, places

    find._towns_by_degree.cache_clear()
    places.towns_by_name.cache_clear()
    try:
        importlib.reload(carepath.config.wsgi)
    finally:
        gc.unfreeze()  # what a worker freezes (the next test): the test process collects as before
    assert find._towns_by_degree.cache_info().currsize == 1
    assert places.towns_by_name.cache_info().currsize == 1


def test_a_web_worker_leaves_what_it_loaded_out_of_garbage_collection() -> None:
    code = "import gc, carepath.config.wsgi; print(gc.get_freeze_count(), len(gc.get_objects()))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "carepath.config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked = (int(number) for number in result.stdout.split())
    # Django, the modules and the gazetteers (hundreds of thousands), and next to nothing besides.
    assert frozen > 100_000
    assert tracked < frozen / 100
