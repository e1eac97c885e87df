"""Lookups the HSDS API (/hsds/) and the coordinators' lists need at a million services.

- `UnlistedEntry` and its text structure: the name and description words of every service people's
  search leaves out (not active), so a word search finds every service (`record_words`); filled
  here for the services already stored.
- Indexes on a service's last_modified (modified_after) and a location's position (proximity).
- On PostgreSQL, trigram indexes for text inside an organisation's name, alternate name and
  description (`icontains`, which Django writes as UPPER(column) LIKE UPPER(pattern)).

The text structures and the folding are written out here, as in 0004 and 0006, because a migration
must not change when the code does; they match `record_words` as it is written now.
"""

import unicodedata

from django.db import migrations, models

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_unlisted_text "
    "USING fts5(name, body, tokenize = 'porter unicode61 remove_diacritics 2')"
]
SQLITE_DROP = ["DROP TABLE IF EXISTS directory_unlisted_text"]
POSTGRESQL_CREATE = [
    "ALTER TABLE directory_unlistedentry ADD COLUMN IF NOT EXISTS document tsvector",
    "CREATE INDEX IF NOT EXISTS unlisted_entry_document ON directory_unlistedentry USING GIN (document)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS unlisted_entry_document",
    "ALTER TABLE directory_unlistedentry DROP COLUMN IF EXISTS document",
]
SQLITE_WRITE = "INSERT INTO directory_unlisted_text (rowid, name, body) VALUES (%s, %s, %s)"
POSTGRESQL_WRITE = (
    "UPDATE directory_unlistedentry SET document = setweight(to_tsvector('english', %s), 'A') || "
    "setweight(to_tsvector('english', %s), 'C') WHERE id = %s"
)
TRIGRAM_COLUMNS = ("name", "alternate_name", "description")
CHUNK = 1000


def _fold(text: str) -> str:
    """Lower case without accents, as carepath_core.search.text.fold."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def create_unlisted_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    service_model = apps.get_model("directory", "Service")
    entry_model = apps.get_model("directory", "UnlistedEntry")
    fields = ("id", "name", "alternate_name", "description", "eligibility_description")
    after = ""
    while True:
        chunk = list(
            service_model.objects.filter(id__gt=after)
            .exclude(status="active")
            .order_by("id")
            .values(*fields)[:CHUNK]
        )
        if not chunk:
            return
        after = chunk[-1]["id"]
        entries = entry_model.objects.bulk_create([entry_model(service_id=row["id"]) for row in chunk])
        if any(entry.pk is None for entry in entries):
            by_service = dict(
                entry_model.objects.filter(service_id__in=[row["id"] for row in chunk]).values_list(
                    "service_id", "id"
                )
            )
            for entry in entries:
                entry.pk = by_service[entry.service_id]
        documents = [
            (
                entry.pk,
                _fold(f"{row['name']} {row['alternate_name'] or ''}"),
                _fold(f"{row['description'] or ''} {row['eligibility_description'] or ''}"),
            )
            for entry, row in zip(entries, chunk, strict=True)
        ]
        with schema_editor.connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.executemany(SQLITE_WRITE, documents)
            elif vendor == "postgresql":
                cursor.executemany(POSTGRESQL_WRITE, [(name, body, pk) for pk, name, body in documents])


def drop_unlisted_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(statement)


def create_trigram_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension since 13
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS organization_{column}_trigram "
            f"ON directory_organization USING GIN (UPPER({column}) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS organization_{column}_trigram")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_search_fine_cell_tokens"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnlistedEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                ),
                ("service_id", models.CharField(max_length=36, unique=True)),
            ],
        ),
        migrations.RunPython(create_unlisted_index, drop_unlisted_index),
        migrations.AddIndex(
            model_name="location",
            index=models.Index(fields=["latitude", "longitude", "position_usable", "id"], name="location_position"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["last_modified", "id"], name="service_modified"),
        ),
        migrations.AddIndex(
            model_name="service",
            index=models.Index(fields=["id", "last_modified"], name="service_id_modified"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
