"""Classification and provenance: taxonomies, their terms, attributes, metadata, table notes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from carepath.directory.models.base import HsdsRecord, date, link, reference_id, text


class Taxonomy(HsdsRecord):
    name = text(_("name"))
    description = text(_("description"))
    uri = text(_("URI"))
    version = text(_("version"))

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return str(self.name)


class TaxonomyTerm(HsdsRecord):
    code = text(_("code"))
    name = text(_("name"))
    description = text(_("description"))
    # May name a term or taxonomy published elsewhere; kept as given.
    parent = link("TaxonomyTerm", "child_terms")
    taxonomy = text(_("taxonomy name"))
    language = text(_("language"))
    # HSDS calls this column taxonomy_id and the embedded object taxonomy_detail; `taxonomy` is text.
    taxonomy_detail = link("Taxonomy", "terms", db_column="taxonomy_id")
    term_uri = text(_("term URI"))

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return str(self.name)


class Attribute(HsdsRecord):
    """A taxonomy term applied to any record, named by `link_id` (and `link_entity`, its table)."""

    link_id = reference_id(_("linked record"))
    taxonomy_term = link("TaxonomyTerm", "attributes")
    link_type = text(_("link type"))
    link_entity = text(_("linked table"))
    value = text(_("value"))
    label = text(_("label"))

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return str(self.label or self.value or self.id)


class Metadata(HsdsRecord):
    """One change to one field of any record, named by `resource_id` (and `resource_type`)."""

    resource_id = reference_id(_("changed record"))
    resource_type = text(_("changed record type"))
    last_action_date = date(_("date of change"))
    last_action_type = text(_("kind of change"))
    field_name = text(_("field"))
    previous_value = text(_("previous value"))
    replacement_value = text(_("replacement value"))
    updated_by = text(_("updated by"))

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self) -> str:
        return f"{self.resource_type} {self.field_name} {self.last_action_date}"


class MetaTableDescription(HsdsRecord):
    name = text(_("name"))
    language = text(_("language"))
    character_set = text(_("character set"))

    class Meta:
        verbose_name = _("table description")
        verbose_name_plural = _("table descriptions")

    def __str__(self) -> str:
        return str(self.name)
