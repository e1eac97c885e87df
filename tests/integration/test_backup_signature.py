"""The backup manifest's signature: who may change a backup file and still have it restored.

The per-table checksums catch damage; these tests are about someone who changes rows on purpose
and writes matching checksums into the manifest. Each refusal leaves the database as it was.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carepath.accounts.models import User
from carepath.audit.models import AuditAction, AuditEvent
from carepath.backup.archive import SIGNATURE, DamagedBackup
from carepath.backup.codec import Kind, TableDigest
from carepath.backup.services import make_backup, restore_backup
from carepath.backup.signature import SignatureRefused, signing_keys, verify
from carepath.encryption.keys import new_key
from carepath.matching.models import MatchingWishes
from tests.integration.test_backup_file import digests

SECRET = "the night shifts at the bakery"
OLD_KEY, NEW_KEY, STRANGERS_KEY = new_key(), new_key(), new_key()


def rewritten(source: Path, changes: dict[str, Callable[[bytes], bytes | None]]) -> Path:
    """A copy of a backup with members passed through `changes` (None leaves a member out)."""
    target = source.with_name(f"rewritten-{len(list(source.parent.iterdir()))}.zip")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data: bytes | None = old.read(item.filename)
            if item.filename in changes:
                data = changes[item.filename](data)
            if data is not None:
                new.writestr(item.filename, data)
    return target


def forged(source: Path) -> Path:
    """What a forger would write: one account renamed, and that table's checksum worked out again."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        lines = archive.read("tables/accounts_user.jsonl").decode().splitlines()
    entry = next(item for item in manifest["tables"] if item["table"] == "accounts_user")
    rows = [json.loads(line) for line in lines]
    name = entry["columns"].index("username")
    for row in rows:
        if row[name] == "other-seeker":
            row[name] = "intruder"
    digest = TableDigest(entry["columns"], [Kind(kind) for kind in entry["kinds"]])
    for row in rows:
        digest.add(row)
    entry["sha256"] = digest.sha256
    table_text = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows)
    return rewritten(
        source,
        {
            "manifest.json": lambda _: json.dumps(manifest, indent=1).encode(),
            "tables/accounts_user.jsonl": lambda _: table_text.encode(),
        },
    )


@pytest.fixture
def keys(settings: Any) -> Any:
    settings.CAREPATH_ENCRYPTION_KEYS = (OLD_KEY,)
    return settings


@pytest.fixture
def backed_up(keys: Any, personas: dict[str, Any], tmp_path: Path) -> Path:
    MatchingWishes.objects.create(person=personas["help_seeker"], experience=SECRET, topics=["work"])
    path = tmp_path / "backup.zip"
    make_backup(path)
    return path


def test_signing_keys_are_derived_apart_from_the_encryption_keys_and_named_by_an_id() -> None:
    old, new = signing_keys([OLD_KEY, NEW_KEY])
    assert old != new and len(old.secret) == 32 and len(old.key_id) == 16
    assert signing_keys([OLD_KEY]) == [old]  # the same key always derives the same signing key
    assert old.secret.hex() not in OLD_KEY and old.key_id not in OLD_KEY
    manifest = b'{"format": "carepath-backup"}'
    signed = json.dumps(
        {"algorithm": "HMAC-SHA256", "key_id": old.key_id, "signature": old.sign(manifest).hex()}
    )
    assert verify(manifest, signed.encode(), [new, old]) == old
    with pytest.raises(SignatureRefused, match="does not match its signature"):
        verify(manifest + b" ", signed.encode(), [old])
    with pytest.raises(SignatureRefused, match="not among CAREPATH_ENCRYPTION_KEYS"):
        verify(manifest, signed.encode(), [new])
    with pytest.raises(SignatureRefused, match="not signed"):
        verify(manifest, None, [old])
    with pytest.raises(SignatureRefused, match="damaged"):
        verify(manifest, b"{", [old])


@pytest.mark.django_db(transaction=True)
def test_a_signed_backup_restores_and_the_file_names_its_key(backed_up: Path) -> None:
    with zipfile.ZipFile(backed_up) as archive:
        signature = json.loads(archive.read(SIGNATURE))
    assert signature["algorithm"] == "HMAC-SHA256"
    assert signature["key_id"] == signing_keys([OLD_KEY])[0].key_id
    assert OLD_KEY not in json.dumps(signature)

    summary = restore_backup(backed_up, replace=True)

    assert summary.signed_by == signature["key_id"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == AuditAction.BACKUP_RESTORED and event.details["signed_by"] == signature["key_id"]
    assert MatchingWishes.objects.get().experience == SECRET


@pytest.mark.django_db(transaction=True)
def test_a_changed_row_is_refused_even_though_the_manifest_is_signed(backed_up: Path) -> None:
    changed = rewritten(
        backed_up, {"tables/accounts_user.jsonl": lambda data: data.replace(b"other-seeker", b"intruder")}
    )
    before = digests()
    with pytest.raises(DamagedBackup, match=r"table accounts_user.*do not match the manifest"):
        restore_backup(changed, replace=True)
    assert digests() == before


@pytest.mark.django_db(transaction=True)
def test_rows_changed_with_their_checksum_worked_out_again_are_refused_by_the_signature(
    backed_up: Path,
) -> None:
    before = digests()
    with pytest.raises(
        SignatureRefused, match=r"manifest\.json does not match its signature.*--allow-unsigned"
    ):
        restore_backup(forged(backed_up), replace=True)
    assert digests() == before
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_signed_with_another_installations_key_is_refused(backed_up: Path, keys: Any) -> None:
    keys.CAREPATH_ENCRYPTION_KEYS = (STRANGERS_KEY,)
    before = digests()
    with pytest.raises(
        SignatureRefused, match="signed with a key that is not among CAREPATH_ENCRYPTION_KEYS"
    ):
        restore_backup(backed_up, replace=True)
    assert digests() == before


@pytest.mark.django_db(transaction=True)
def test_after_a_key_rotation_the_old_key_at_the_end_of_the_list_still_verifies(
    backed_up: Path, keys: Any, tmp_path: Path
) -> None:
    keys.CAREPATH_ENCRYPTION_KEYS = (NEW_KEY, OLD_KEY)
    assert restore_backup(backed_up, replace=True).signed_by == signing_keys([OLD_KEY])[0].key_id
    assert MatchingWishes.objects.get().experience == SECRET
    newer = tmp_path / "after-rotation.zip"
    assert make_backup(newer).signed_by == signing_keys([NEW_KEY])[0].key_id  # the newest key signs


@pytest.mark.django_db(transaction=True)
def test_an_unsigned_backup_is_refused_unless_allowed_and_then_restored_with_a_warning(
    backed_up: Path,
) -> None:
    unsigned = rewritten(backed_up, {SIGNATURE: lambda _: None})
    before = digests()
    with pytest.raises(CommandError, match=r"not signed.*--allow-unsigned.*Nothing was restored"):
        call_command("restore", str(unsigned), "--replace", stdout=io.StringIO(), stderr=io.StringIO())
    assert digests() == before

    out, err = io.StringIO(), io.StringIO()
    call_command("restore", str(unsigned), "--replace", "--allow-unsigned", stdout=out, stderr=err)

    assert "Warning: the backup is not signed" in err.getvalue()
    assert "signature NOT checked" in out.getvalue()
    assert AuditEvent.objects.order_by("-sequence").first().details["signed_by"] is None


@pytest.mark.django_db(transaction=True)
def test_allow_unsigned_lets_a_forged_file_through_so_it_says_so_first(backed_up: Path) -> None:
    """The flag is a person's word that they trust the file: the checksums alone cannot tell."""
    warnings: list[str] = []
    restore_backup(forged(backed_up), replace=True, allow_unsigned=True, warn=warnings.append)
    assert warnings and "does not match its signature" in warnings[0]
    assert User.objects.filter(username="intruder").exists()
