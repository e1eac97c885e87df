"""Words filed by place: a search near a place, or among online services in a country, reads each
word's short list there instead of its whole list, and finds exactly what the words themselves
find; an index written before gets the tokens a write gives."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from carepath.directory import text_index
from carepath.directory.selectors.find import find_services
from carepath.directory.services.search_index import rebuild_search_index

pytestmark = pytest.mark.django_db
WEDNESDAY_11_LONDON = dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.UTC)
WORDS = ("support", "anxiety group", "peer support", "counselling", "the", "zzzz")
PLACES: tuple[dict[str, list[str]], ...] = (
    {"near": ["London"], "radius_km": ["25"]},
    {"near": ["Manchester"], "radius_km": ["50"], "sort": ["distance"]},
    {"near": ["Birmingham"], "radius_km": ["200"], "sort": ["name"]},  # coarse cells for places too
    {"near": ["Leeds"], "radius_km": ["10"], "open": ["now"], "tz": ["Europe/London"], "cost": ["free"]},
    {"near": ["London"], "radius_km": ["25"], "virtual": ["only"]},
    {"near": ["Dublin, IE"], "radius_km": ["25"], "support_type": ["peer"]},
)
WORD_PLACE = f"{text_index.TOKEN_PREFIX}w"


@pytest.fixture
def demo_directory() -> None:
    from carepath.demo.services import load_demo_directory

    load_demo_directory(services=400, seed=3)  # clustered round real towns, every kind of listing


def _engine() -> Any:
    return type(text_index.text_index())


def _page(params: dict[str, list[str]]) -> tuple[Any, ...]:
    page = find_services(params, home_country="GB", now=WEDNESDAY_11_LONDON)
    cards = tuple((card.service_id, card.score, card.distance_km) for card in page.cards)
    return cards, page.has_more, page.capped, page.searched_radius_km


def _searches() -> list[dict[str, list[str]]]:
    return [{"q": [words], **place, "per_page": ["50"]} for words in WORDS for place in PLACES]


def test_words_by_place_find_what_the_words_find(
    demo_directory: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, ...]] = []
    lexemes = _engine().lexemes

    def counted(self: Any, words: Any) -> tuple[str, ...]:
        found = lexemes(self, words)
        asked.append(found)
        return tuple(found)

    monkeypatch.setattr(_engine(), "lexemes", counted)
    by_place = [_page(params) for params in _searches()]
    assert ("counsel",) in asked
    # Without terms the index is asked for the words themselves, as before words were filed by place.
    monkeypatch.setattr(_engine(), "lexemes", lambda self, words: ())
    assert by_place == [_page(params) for params in _searches()]
    # The comparison means something: every word but "zzzz" (and "the", which PostgreSQL's index
    # leaves out) finds listings, online ones among them.
    searched = list(zip(_searches(), by_place, strict=True))
    for words in WORDS[:4]:
        assert any(page[0] for params, page in searched if params["q"] == [words])
    assert any(page[0] for params, page in searched if "virtual" in params)


def _filed() -> dict[int, tuple[bool, str, bool, set[str], set[str], list[str]]]:
    """Each entry's (online, country, located, words, tokens filed under a place): the words as the
    engine indexes them, the tokens as the document holds them."""
    found: dict[int, tuple[bool, str, bool, set[str], set[str], list[str]]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT e.id, e.online, e.country, e.located, t.name || ' ' || t.keywords || ' ' || t.body, "
                "t.places FROM directory_searchentry e JOIN directory_search_text t ON t.rowid = e.id"
            )
            rows = cursor.fetchall()
            terms = text_index.SqliteFts5().terms(cursor, [(row[0], row[4]) for row in rows])
            for entry_id, online, country, located, _, places in rows:
                tokens = places.split()
                filed = {token for token in tokens if token.startswith(WORD_PLACE)}
                rest = [token for token in tokens if token not in filed]
                found[entry_id] = (bool(online), country, bool(located), set(terms[entry_id]), filed, rest)
            return found
        cursor.execute(
            "SELECT id, online, country, located, tsvector_to_array(document) FROM directory_searchentry"
        )
        for entry_id, online, country, located, lexemes in cursor.fetchall():
            filed = {lexeme for lexeme in lexemes if lexeme.startswith(WORD_PLACE)}
            words = {lexeme for lexeme in lexemes if not lexeme.startswith(text_index.TOKEN_PREFIX)}
            rest = [lexeme for lexeme in lexemes if lexeme not in filed]
            found[entry_id] = (online, country, located, words, filed, rest)
    return found


def test_a_write_files_each_word_under_the_listings_places(demo_directory: None) -> None:
    found = _filed()
    assert found
    for online, country, located, words, filed, rest in found.values():
        places = text_index.word_places(rest)
        assert (text_index.online_token(country) in places) == online
        assert any(place.startswith(f"{text_index.TOKEN_PREFIX}c") for place in places) == located
        assert words and filed == {text_index.word_place_token(p, w) for p in places for w in words}


def test_the_words_of_a_query_as_the_engine_indexes_them() -> None:
    engine = text_index.text_index()
    # PostgreSQL's English configuration leaves out words such as "the"; FTS5 keeps every word.
    expected = ("counsel", "group", "the") if connection.vendor == "sqlite" else ("counsel", "group")
    assert engine.lexemes(("Counselling", "groups", "the")) == expected


def _documents() -> dict[int, Any]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, name, keywords, body, places FROM directory_search_text")
        else:
            cursor.execute("SELECT id, document::text FROM directory_searchentry")
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _forget_words_by_place() -> None:
    """The documents as written before words were filed by place."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid, places FROM directory_search_text")
            cursor.executemany(
                "UPDATE directory_search_text SET places = %s WHERE rowid = %s",
                [
                    (" ".join(token for token in places.split() if not token.startswith(WORD_PLACE)), rowid)
                    for rowid, places in cursor.fetchall()
                ],
            )
            return
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's writes checked: DDL may follow
        cursor.execute(
            "UPDATE directory_searchentry SET document = ts_delete(document, ARRAY("
            "SELECT lexeme FROM unnest(tsvector_to_array(document)) lexeme WHERE left(lexeme, 3) = 'zzw'))"
        )


def test_an_index_written_before_gets_the_tokens_a_write_gives(demo_directory: None) -> None:
    rebuild_search_index()
    written = _documents()
    _forget_words_by_place()
    older = _documents()
    assert older.keys() == written.keys() and older != written
    migration = importlib.import_module("carepath.directory.migrations.0012_search_words_by_place")
    editor = SimpleNamespace(connection=connection)  # all the migration asks of its schema editor
    migration.file_words_by_place(None, editor)
    assert _documents() == written
    migration.file_words_by_place(None, editor)  # a second run changes nothing
    assert _documents() == written
