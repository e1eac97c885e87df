"""Places (physical, postal, virtual) and what describes a place only: addresses, accessibility."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import COORDINATE_PLACES, HsdsRecord, link, text


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


def coordinate(label: Any) -> Any:
    return models.DecimalField(
        label, max_digits=10 + COORDINATE_PLACES, decimal_places=COORDINATE_PLACES, null=True, blank=True
    )


class Location(HsdsRecord):
    location_type = models.CharField(_("location type"), max_length=16, choices=LocationType.choices)
    url = text(_("URL"))
    organization = link("Organization", "locations")
    name = text(_("name"))
    alternate_name = text(_("alternate name"))
    description = text(_("description"))
    transportation = text(_("transportation"))
    # Kept exactly as published, even when out of range; never clamped.
    latitude = coordinate(_("latitude"))
    longitude = coordinate(_("longitude"))
    # False unless both coordinates are present and within range: only then can the place be mapped.
    position_usable = models.BooleanField(_("position usable"), default=False)
    external_identifier = text(_("external identifier"))
    external_identifier_type = text(_("external identifier type"))

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        # The HSDS API's proximity (selectors.hsds_filters): the box around the circle, then the
        # haversine, from the index alone.
        indexes = [
            models.Index(fields=["latitude", "longitude", "position_usable", "id"], name="location_position")
        ]

    def __str__(self) -> str:
        return str(self.name or self.id)


class Address(HsdsRecord):
    location = link("Location", "addresses", owned=True)
    attention = text(_("attention"))
    address_1 = text(_("address line 1"))
    address_2 = text(_("address line 2"))
    city = text(_("city"))
    region = text(_("region"))
    state_province = text(_("state or province"))
    postal_code = text(_("postal code"))
    country = text(_("country"))
    address_type = models.CharField(_("address type"), max_length=16, choices=LocationType.choices)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        # "Near a postcode" looks addresses up by postal code (selectors.places).
        indexes = [models.Index(fields=["postal_code"], name="address_postal_code")]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class Accessibility(HsdsRecord):
    location = link("Location", "accessibility", owned=True)
    description = text(_("description"))
    details = text(_("details"))
    url = text(_("URL"))

    class Meta:
        verbose_name = _("accessibility provision")
        verbose_name_plural = _("accessibility provisions")

    def __str__(self) -> str:
        return str(self.description[:60])
