"""Move recovery codes stored in plain text (django-otp's otp_static) to salted hashes, then delete
the plain ones, in one transaction: afterwards no readable recovery code is left in the database.

Each person keeps the codes they wrote down, with what their old device knew (throttling, when it
was made and last used). Going back cannot bring plain codes back: reversing leaves the hashes to
be dropped with their table, and people renew their codes from their account page.
"""

from typing import Any

from django.db import migrations

from carepath.accounts.two_factor_models import new_salt, recovery_code_digest

CARRIED_OVER = (
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)


def hash_plain_codes(apps: Any, schema_editor: Any) -> None:
    StaticDevice = apps.get_model("otp_static", "StaticDevice")
    StaticToken = apps.get_model("otp_static", "StaticToken")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    for old in StaticDevice.objects.order_by("pk").iterator():
        kept = {field: getattr(old, field) for field in CARRIED_OVER}
        device = RecoveryCodeDevice.objects.create(user_id=old.user_id, **kept)
        # created_at is filled in on creation; the old device's moment is the one to keep.
        RecoveryCodeDevice.objects.filter(pk=device.pk).update(created_at=old.created_at)
        codes = []
        for token in StaticToken.objects.filter(device_id=old.pk).values_list("token", flat=True):
            # The sign-in step lower-cases and drops spaces and dashes before checking, so the
            # stored hash is of the code in that form.
            code = "".join(token.split()).replace("-", "").lower()
            salt = new_salt()
            codes.append(RecoveryCode(device=device, salt=salt, digest=recovery_code_digest(salt, code)))
        RecoveryCode.objects.bulk_create(codes)
    StaticToken.objects.all().delete()
    StaticDevice.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_recovery_code_hashes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_plain_codes, migrations.RunPython.noop, elidable=False)]
