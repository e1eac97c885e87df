"""The manifest's signature: HMAC-SHA256 over the exact bytes of `manifest.json`.

The manifest holds every table's row count and SHA-256, and a restore checks every row against
it, so signing the manifest signs the whole file. The checksums alone catch damage; the signature
catches someone who changed rows and wrote the matching checksums into the manifest.

The key is neither in the database nor in the file: it is derived with HKDF-SHA256 from each of the
encryption keys (CAREPATH_ENCRYPTION_KEYS), under a label of its own, so it is never the key that
encrypts and knowing it gives no way back to that key. Why those keys rather than a new secret: a
backup is of no use without them already (its encrypted columns stay ciphertext), so whoever can
restore it holds them; they are already kept out of the database and away from the backups; and
there is no second secret to lose, rotate or leave unset in production. The newest key signs;
every configured key verifies, so a backup made before a key rotation still restores while the
old key stays at the end of the list, exactly as long as its ciphertext can be read.

Beside the signature the file names the key by a short id, derived under another label (it says
nothing about the key), so a refusal can tell "signed with a key this installation does not have"
from "the manifest was changed". Messages never show a key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from carepath.backup.archive import MANIFEST, SIGNATURE, DamagedBackup
from carepath.encryption.keys import ENV_NAME

ALGORITHM = "HMAC-SHA256"
_SIGNING_LABEL = b"carepath backup manifest signature v1"
_KEY_ID_LABEL = b"carepath backup manifest key id v1"


class SignatureRefused(DamagedBackup):
    """The manifest is unsigned, or its signature does not hold under any configured key."""


@dataclass(frozen=True)
class SigningKey:
    key_id: str  # 16 hex digits, safe to show and to store in the file
    secret: bytes

    def sign(self, manifest: bytes) -> bytes:
        return hmac.new(self.secret, manifest, hashlib.sha256).digest()


def _derive(encryption_key: str, label: bytes, length: int) -> bytes:
    material = base64.urlsafe_b64decode(encryption_key.encode("ascii"))
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label).derive(material)


def signing_keys(encryption_keys: Sequence[str]) -> list[SigningKey]:
    """One signing key per encryption key, in the same order (newest first)."""
    return [
        SigningKey(key_id=_derive(key, _KEY_ID_LABEL, 8).hex(), secret=_derive(key, _SIGNING_LABEL, 32))
        for key in encryption_keys
    ]


def configured_keys() -> list[SigningKey]:
    return signing_keys(tuple(settings.CAREPATH_ENCRYPTION_KEYS))


def signature_document(manifest: bytes, key: SigningKey) -> bytes:
    """The `manifest.sig` member for a manifest, signed with `key`."""
    return json.dumps(
        {"algorithm": ALGORITHM, "key_id": key.key_id, "signature": key.sign(manifest).hex()}, indent=1
    ).encode("utf-8")


def verify(manifest: bytes, signature: bytes | None, keys: Sequence[SigningKey]) -> SigningKey:
    """The configured key the manifest is signed with; refuses an unsigned or wrongly signed one."""
    if signature is None:
        raise SignatureRefused(
            f"the backup is not signed (it has no {SIGNATURE}): it was made by a Carepath from before "
            "backups were signed, or the signature was removed"
        )
    try:
        document = json.loads(signature.decode("utf-8"))
        algorithm, key_id = document["algorithm"], str(document["key_id"])
        claimed = bytes.fromhex(document["signature"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise SignatureRefused(f"{SIGNATURE} is damaged; the backup's origin cannot be checked") from None
    if algorithm != ALGORITHM:
        raise SignatureRefused(f"{SIGNATURE} uses {str(algorithm)[:40]!r}; this Carepath checks {ALGORITHM}")
    # Every key is tried, whatever the id says: the id only chooses the message.
    for key in keys:
        if hmac.compare_digest(key.sign(manifest), claimed):
            return key
    if any(key.key_id == key_id for key in keys):
        raise SignatureRefused(
            f"{MANIFEST} does not match its signature: it was changed after the backup was made"
        )
    raise SignatureRefused(
        f"the backup is signed with a key that is not among {ENV_NAME} here (key id {key_id[:16]}); "
        f"restore with the encryption keys of the installation it came from (an older key may stay "
        "at the end of the list)"
    )
