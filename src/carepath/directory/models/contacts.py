"""Ways to reach and attend: contacts, phones, languages, schedules.

Each can belong to several records at once (a phone of a service, at a location, of a contact),
which HSDS expresses with one optional link column per kind of owner.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import HsdsRecord, date, link, number, short_text, text, whole_number


class Contact(HsdsRecord):
    organization = link("Organization", "contacts")
    service = link("Service", "contacts")
    service_at_location = link("ServiceAtLocation", "contacts")
    location = link("Location", "contacts")
    name = text(_("name"))
    title = text(_("title"))
    department = text(_("department"))
    email = text(_("email"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return str(self.name or self.id)


class Phone(HsdsRecord):
    location = link("Location", "phones")
    service = link("Service", "phones")
    organization = link("Organization", "phones")
    contact = link("Contact", "phones")
    service_at_location = link("ServiceAtLocation", "phones")
    number = text(_("number"))
    extension = whole_number(_("extension"))
    type = text(_("type"))
    description = text(_("description"))

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return str(self.number)


class Language(HsdsRecord):
    service = link("Service", "languages")
    location = link("Location", "languages")
    phone = link("Phone", "languages")
    name = text(_("name"))
    code = text(_("code"))
    note = text(_("note"))

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return str(self.name or self.code)


class Schedule(HsdsRecord):
    """When a service or location is open, as iCalendar (RFC 5545) recurrence parts."""

    service = link("Service", "schedules")
    location = link("Location", "schedules")
    service_at_location = link("ServiceAtLocation", "schedules")
    valid_from = date(_("valid from"))
    valid_to = date(_("valid to"))
    dtstart = date(_("first occurrence"))
    timezone = number(_("UTC offset"))
    until = date(_("last occurrence"))
    count = whole_number(_("occurrences"))
    wkst = short_text(_("week starts on"), 2)
    freq = short_text(_("frequency"), 16)
    interval = whole_number(_("interval"))
    byday = text(_("days"))
    byweekno = text(_("weeks of the year"))
    bymonthday = text(_("days of the month"))
    byyearday = text(_("days of the year"))
    description = text(_("description"))
    opens_at = short_text(_("opens at"))  # HH:MM[:SS] with an optional offset, as given
    closes_at = short_text(_("closes at"))
    schedule_link = text(_("schedule link"))
    attending_type = text(_("attending type"))
    notes = text(_("notes"))

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return str(self.description[:60] or self.id)
