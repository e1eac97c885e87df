"""The search index: one row per service with what people filter on, its positions on a grid, and
what its result card shows.

Derived data, never edited by hand: `services.search_index` rebuilds a service's rows from its HSDS
records whenever they change. The words of a listing live beside these rows in each backend's own
full-text structure (an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL),
keyed by `SearchEntry.id`; the migration creates it and `selectors.search` reads it.

Multi-valued facts (languages, topics, modalities, cost kinds) are stored as text with each value
between bars, "|en|fr|", so one indexed row answers "speaks French" with a simple pattern.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    service_id = models.CharField(max_length=36, unique=True)
    organization_id = models.CharField(max_length=36, blank=True)
    name_key = models.CharField(max_length=120, blank=True, db_index=True)  # folded name, for A-Z order
    support_type = models.CharField(max_length=16, blank=True)
    country = models.CharField(max_length=2, blank=True)  # ISO 3166-1, from the service's addresses
    online = models.BooleanField(default=False)  # offered online or by phone, wherever the person is
    located = models.BooleanField(default=False)  # has a place on the map
    modalities = models.CharField(max_length=64, blank=True)
    languages = models.CharField(max_length=255, blank=True)
    topics = models.TextField(blank=True)
    cost_kinds = models.CharField(max_length=64, blank=True)
    cost_lowest = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    min_age = models.IntegerField(null=True)
    max_age = models.IntegerField(null=True)
    capacity_available = models.IntegerField(null=True)  # None: the listing does not say
    hours_24_7 = models.BooleanField(default=False)
    open_windows = models.JSONField(null=True)  # carepath_core.search.hours.encode; None: unknown
    last_checked = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["online", "country", "name_key"], name="search_online_country")]

    def __str__(self) -> str:
        return f"search entry for {self.service_id}"


class SearchPoint(models.Model):
    """A place where a service is offered, filed under its grid cell (carepath_core.search.geo)."""

    # Indexed below with the position, which serves the foreign key's lookups too.
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="points", db_index=False)
    cell = models.IntegerField()
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [
            # Covering: a radius search reads cell, position and entry from the index alone.
            models.Index(fields=["cell", "latitude", "longitude", "entry"], name="search_point_cell"),
            # Covering: whether a text match is within the circle is read from the index alone
            # (SQLite checks each match's positions by its entry: one seek instead of two).
            models.Index(fields=["entry", "latitude", "longitude", "cell"], name="search_point_entry"),
        ]

    def __str__(self) -> str:
        return f"({self.latitude}, {self.longitude})"


class SearchCard(models.Model):
    """What a result card shows of the entry's service, as `selectors.card_facts` reads it from the
    records (JSON text): a page of results reads its cards by entry id, one row each, rather than
    from six tables. Written with the entry, in the same transaction."""

    entry = models.OneToOneField(SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="card")
    facts = models.TextField()

    def __str__(self) -> str:
        return f"card facts for entry {self.entry_id}"


class UnlistedEntry(models.Model):
    """A service people's search does not list (one that is not active), kept findable by its words.

    The HSDS API lists every service whatever its status, and coordinators manage them all; their
    word searches read the text index for the listed services and this one for the rest. Its words
    live in each backend's full-text structure keyed by `UnlistedEntry.id`, made by
    `carepath.directory.record_words`; `services.search_index` keeps both indexes in step.
    """

    service_id = models.CharField(max_length=36, unique=True)

    def __str__(self) -> str:
        return f"unlisted entry for {self.service_id}"
