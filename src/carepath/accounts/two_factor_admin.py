"""The admin has no two-factor pages: django-otp's device pages are taken out of it.

Those pages let whoever may use them delete a device without an audit event, move a device to
another account, or add recovery codes they chose to someone's account and sign in as them. A
lost authenticator is reset with `carepath two-factor reset` instead, which names the coordinator
and the reason in the audit trail (docs/operations.md). Nothing else in the admin needs the pages:
the person's own account page says whether two-factor sign-in is on.
"""

from __future__ import annotations

from django.contrib import admin

# Imported first so their registrations have happened, whatever order the admin modules load in.
from django_otp.plugins.otp_static import admin as static_admin  # noqa: F401
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
