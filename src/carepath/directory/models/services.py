"""Services and what describes them only: where, for whom, at what cost, with what capacity."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import HsdsRecord, date, link, number, short_text, text


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class Service(HsdsRecord):
    organization = link("Organization", "services")
    program = link("Program", "services")
    name = text(_("name"))
    alternate_name = text(_("alternate name"))
    description = text(_("description"))
    url = text(_("URL"))
    email = text(_("email"))
    status = models.CharField(_("status"), max_length=32, choices=ServiceStatus.choices)
    interpretation_services = text(_("interpretation services"))
    application_process = text(_("application process"))
    fees_description = text(_("fees description"))
    wait_time = text(_("wait time"))
    fees = text(_("fees"))
    accreditations = text(_("accreditations"))
    eligibility_description = text(_("eligibility description"))
    minimum_age = number(_("minimum age"))
    maximum_age = number(_("maximum age"))
    assured_date = date(_("assured date"))
    assurer_email = text(_("assurer email"))
    licenses = text(_("licences"))
    alert = text(_("alert"))
    last_modified = short_text(_("last modified"), 64)  # RFC 3339 as given, with its offset

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return str(self.name)


class ServiceAtLocation(HsdsRecord):
    service = link("Service", "service_at_locations", owned=True)
    location = link("Location", "service_at_locations", owned=True)
    description = text(_("description"))

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class ServiceArea(HsdsRecord):
    service = link("Service", "service_areas")
    service_at_location = link("ServiceAtLocation", "service_areas")
    name = text(_("name"))
    description = text(_("description"))
    extent = text(_("extent"))
    extent_type = text(_("extent type"))
    uri = text(_("URI"))

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return str(self.name[:60])


class CostOption(HsdsRecord):
    service = link("Service", "cost_options", owned=True)
    valid_from = date(_("valid from"))
    valid_to = date(_("valid to"))
    option = text(_("option"))
    currency = text(_("currency"))
    amount = number(_("amount"))
    amount_description = text(_("amount description"))

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")

    def __str__(self) -> str:
        return f"{self.option} {self.amount} {self.currency}".strip()


class RequiredDocument(HsdsRecord):
    service = link("Service", "required_documents", owned=True)
    document = text(_("document"))
    uri = text(_("URI"))

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return str(self.document[:60])


class Unit(HsdsRecord):
    name = text(_("name"))
    scheme = text(_("scheme"))
    identifier = text(_("identifier"))
    uri = text(_("URI"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return str(self.name)


class ServiceCapacity(HsdsRecord):
    service = link("Service", "capacities", owned=True)
    unit = link("Unit", "capacities")
    available = number(_("available"))
    maximum = number(_("maximum"))
    description = text(_("description"))
    updated = short_text(_("updated"), 64)  # RFC 3339 as given, with its offset

    class Meta:
        verbose_name = _("service capacity")
        verbose_name_plural = _("service capacities")

    def __str__(self) -> str:
        return f"{self.available} / {self.maximum}"
