"""Services and what describes them only: where, for whom, at what cost, with what capacity."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import (
    HsdsRecord,
    date,
    flag,
    link,
    number,
    short_text,
    text,
    text_list,
)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class SupportType(models.TextChoices):
    """The Carepath HSDS profile's `support_type` (docs/hsds-profile.md)."""

    PEER = "peer", _("Peer support")
    PROFESSIONAL = "professional", _("Professional support")
    HYBRID = "hybrid", _("Peer and professional support")
    SELF_HELP = "self_help", _("Self-help")
    CRISIS = "crisis", _("Crisis support")


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
    # The Carepath HSDS profile: optional, so a plain HSDS service leaves them empty.
    support_type = models.CharField(_("support type"), max_length=16, choices=SupportType.choices, blank=True)
    lived_experience_topics = text_list(_("lived-experience topics"))
    licence_type = text(_("licence type"))
    licensing_body = text(_("licensing body"))
    peer_certification = text(_("peer certification"))
    training_standard = text(_("training standard"))
    supervision = text(_("supervision"))
    confidentiality_policy = text(_("confidentiality policy"))
    confidentiality_limits = text_list(_("limits to confidentiality"))
    crisis_capable = flag(_("crisis capable"))
    hours_24_7 = flag(_("open 24/7"))
    evidence_notes = text(_("evidence notes"))
    outcome_measures = text_list(_("outcome measures used"))

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            # The HSDS API's modified_after (selectors.hsds_filters): the services changed since a
            # moment, few of them, by the first; most of them, walked by id from the second alone.
            models.Index(fields=["last_modified", "id"], name="service_modified"),
            models.Index(fields=["id", "last_modified"], name="service_id_modified"),
        ]

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
