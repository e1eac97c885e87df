"""The backup file: a zip archive with `manifest.json`, its signature `manifest.sig`, and one
`tables/<table>.jsonl` per table.

Why zip rather than a gzip'd tar: a zip member can be written as a stream of unknown length (a
tar header needs the size first, so each table would have to be spooled to disk); the manifest,
written last once every count and checksum is known, can still be read first, without
decompressing everything before it; and each member carries its own CRC-32, so damage is
reported against the table it hit. Both are in Python's standard library.

Each table member holds one line per row: the row's values as a JSON array, in the manifest's
column order, in primary-key order. The file is written beside its destination and renamed
into place once complete, readable by its owner only: it holds everyone's personal data.

The signature (`signature`) is checked on the manifest's bytes as stored, before they are parsed.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from carepath.backup.codec import Kind
from carepath.errors import ApplicationError

FORMAT = "carepath-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
MAX_LINE = 64 * 1024 * 1024  # no row is near this; a longer line means a damaged file


class DamagedBackup(ApplicationError):
    """The file is not a Carepath backup, or something in it was changed or lost."""


@dataclass(frozen=True)
class TableEntry:
    name: str
    model: str
    primary_key: str
    columns: list[str]
    kinds: list[str]
    rows: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "model": self.model,
            "primary_key": self.primary_key,
            "columns": self.columns,
            "kinds": self.kinds,
            "rows": self.rows,
            "sha256": self.sha256,
        }


@dataclass
class Manifest:
    carepath_version: str
    database: str
    made_at: str
    migrations: dict[str, str]
    tables: list[TableEntry] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "carepath_version": self.carepath_version,
            "database": self.database,
            "made_at": self.made_at,
            "migrations": self.migrations,
            "tables": [entry.as_json() for entry in self.tables],
            "rebuilt_after_restore": self.rebuilt,
        }


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


# Writing ----------------------------------------------------------------------------------------


class BackupWriter:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._archive = archive

    @contextmanager
    def table(self, name: str) -> Iterator[IO[str]]:
        with (
            self._archive.open(member_name(name), "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text,
        ):
            yield text

    def manifest(self, manifest: Manifest, signature_of: Callable[[bytes], bytes]) -> None:
        """The manifest, and `signature_of` its bytes exactly as written."""
        text = json.dumps(manifest.as_json(), indent=1, ensure_ascii=False).encode("utf-8")
        self._archive.writestr(MANIFEST, text)
        self._archive.writestr(SIGNATURE, signature_of(text))


@contextmanager
def new_backup_file(path: Path) -> Iterator[BackupWriter]:
    """Write to a hidden file beside `path`, owner-only, and rename it into place when complete."""
    if path.exists():
        raise ApplicationError(f"{path}: already exists; choose a new name (backups are never overwritten)")
    if not path.parent.is_dir():
        raise ApplicationError(f"{path.parent}: no such folder")
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # left by a backup that was killed; it may be readable by others
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with (
            os.fdopen(handle, "wb") as stream,
            zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        ):
            yield BackupWriter(archive)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


# Reading ----------------------------------------------------------------------------------------


@contextmanager
def open_backup(
    path: Path, check_signature: Callable[[bytes, bytes | None], None]
) -> Iterator[tuple[zipfile.ZipFile, Manifest]]:
    """The archive and its manifest, once `check_signature(manifest bytes, signature bytes or None)`
    has accepted them (it raises to refuse)."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DamagedBackup(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise DamagedBackup(f"{path}: not a Carepath backup ({error})") from None
    with archive:
        raw = _member(archive, path, MANIFEST)
        if raw is None:
            raise DamagedBackup(f"{path}: not a Carepath backup (it has no {MANIFEST})")
        check_signature(raw, _member(archive, path, SIGNATURE))
        yield archive, read_manifest(raw, path)


def _member(archive: zipfile.ZipFile, path: Path, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError) as error:
        raise DamagedBackup(f"{path}: {name} is damaged ({error})") from None


def read_manifest(raw: bytes, path: Path) -> Manifest:
    try:
        document = json.loads(raw.decode("utf-8"))
    except ValueError as error:
        raise DamagedBackup(f"{path}: {MANIFEST} is damaged ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DamagedBackup(f"{path}: not a Carepath backup ({MANIFEST} does not say format {FORMAT!r})")
    if document.get("format_version") != FORMAT_VERSION:
        raise DamagedBackup(
            f"{path}: backup format version {document.get('format_version')!r}; "
            f"this Carepath reads version {FORMAT_VERSION}"
        )
    try:
        return Manifest(
            carepath_version=str(document["carepath_version"]),
            database=str(document["database"]),
            made_at=str(document["made_at"]),
            migrations={str(app): str(name) for app, name in document["migrations"].items()},
            tables=[_table_entry(item) for item in document["tables"]],
            rebuilt=[str(name) for name in document.get("rebuilt_after_restore", [])],
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise DamagedBackup(f"{path}: {MANIFEST} is incomplete ({error!r} is missing or wrong)") from None


def _table_entry(item: dict[str, Any]) -> TableEntry:
    entry = TableEntry(
        name=str(item["table"]),
        model=str(item["model"]),
        primary_key=str(item["primary_key"]),
        columns=[str(name) for name in item["columns"]],
        kinds=[Kind(kind).value for kind in item["kinds"]],
        rows=int(item["rows"]),
        sha256=str(item["sha256"]),
    )
    if len(entry.columns) != len(entry.kinds):
        raise ValueError(f"{entry.name}: columns and kinds")
    return entry


def table_lines(archive: zipfile.ZipFile, table: str) -> Iterator[tuple[int, list[Any]]]:
    """(line number, values) of each row of a table member; errors name the table and the line."""
    try:
        raw = archive.open(member_name(table))
    except KeyError:
        raise DamagedBackup(f"table {table}: missing from the backup file") from None
    number = 0
    try:
        with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
            while line := text.readline(MAX_LINE + 1):
                number += 1
                if len(line) > MAX_LINE or not line.endswith("\n"):
                    raise DamagedBackup(f"table {table}, line {number}: cut off or far too long")
                try:
                    values = json.loads(line)
                except ValueError as error:
                    raise DamagedBackup(f"table {table}, line {number}: not a JSON row ({error})") from None
                if not isinstance(values, list):
                    raise DamagedBackup(f"table {table}, line {number}: not a list of column values")
                yield number, values
    except (zipfile.BadZipFile, EOFError, UnicodeDecodeError, OSError) as error:
        raise DamagedBackup(f"table {table}: damaged in the file after line {number} ({error})") from None
