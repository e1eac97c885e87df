"""Organisations and what hangs from them only: programmes, identifiers, funding, web addresses."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import HsdsRecord, link, text, whole_number


class Organization(HsdsRecord):
    name = text(_("name"))
    alternate_name = text(_("alternate name"))
    description = text(_("description"))
    email = text(_("email"))
    website = text(_("website"))
    tax_status = text(_("tax status"))
    tax_id = text(_("tax id"))
    year_incorporated = whole_number(_("year incorporated"))
    legal_status = text(_("legal status"))
    logo = text(_("logo"))
    uri = text(_("uri"))
    # May name an organisation published elsewhere; kept as given.
    parent_organization = link("Organization", "child_organizations")
    last_modified = models.DateTimeField(auto_now=True)  # Carepath's own bookkeeping, not HSDS

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        # The coordinators' list pages through organisations by name; without this each page
        # sorted every name in the directory first.
        indexes = [models.Index(fields=["name", "id"], name="organization_name_id")]

    def __str__(self) -> str:
        return str(self.name)


class Program(HsdsRecord):
    organization = link("Organization", "programs", owned=True)
    name = text(_("name"))
    alternate_name = text(_("alternate name"))
    description = text(_("description"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return str(self.name)


class OrganizationIdentifier(HsdsRecord):
    organization = link("Organization", "organization_identifiers", owned=True)
    identifier_scheme = text(_("identifier scheme"))
    identifier_type = text(_("identifier type"))
    identifier = text(_("identifier"))

    class Meta:
        verbose_name = _("organisation identifier")
        verbose_name_plural = _("organisation identifiers")

    def __str__(self) -> str:
        return f"{self.identifier_scheme} {self.identifier}".strip()


class Funding(HsdsRecord):
    organization = link("Organization", "funding")
    service = link("Service", "funding")
    source = text(_("source"))

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")

    def __str__(self) -> str:
        return str(self.source[:60])


class Url(HsdsRecord):
    """An extra web address of an organisation (additional_websites) or a service (additional_urls)."""

    label = text(_("label"))
    url = text(_("URL"))
    organization = link("Organization", "additional_websites")
    service = link("Service", "additional_urls")

    class Meta:
        verbose_name = _("web address")
        verbose_name_plural = _("web addresses")

    def __str__(self) -> str:
        return str(self.url)
