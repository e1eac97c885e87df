"""How the set-up page shows a new device's key: a QR code for scanning and the same key as text.

The QR code is inline SVG drawn by segno with presentation attributes (fill, stroke), never a
style attribute, so the content security policy needs no exception. Its text is the standard
`otpauth://` address (issuer "Carepath", the username, SHA-1, 6 digits, 30 seconds) that
authenticator apps read; people who cannot scan type the key, shown in groups of four.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

GROUP = 4
QR_SCALE = 4  # about 230 px for a typical address: scannable, and it fits a 320 px screen


def key_text(device: TOTPDevice) -> str:
    """The key in the base32 letters apps expect, without the padding some apps reject."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def key_groups(device: TOTPDevice) -> list[str]:
    text = key_text(device)
    return [text[start : start + GROUP] for start in range(0, len(text), GROUP)]


def qr_code_svg(device: TOTPDevice) -> SafeString:
    label = _("QR code to add Carepath to an authenticator app")
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=QR_SCALE, svgclass="qr-code", lineclass=None, dark="#000", light="#fff"
    )
    # segno draws only paths from its own input; the label is escaped. role and label let screen
    # readers announce the picture instead of skipping it.
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(labelled)  # noqa: S308  # nosec B308 B703 # segno draws it; the label is escaped
