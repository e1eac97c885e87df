"""The HSDS 3.1 tables as Carepath reads and writes them: columns, value kinds, links and nesting.

One `HsdsTable` per object of the Open Referral Human Services Data Specification 3.1. Columns
are in the order of the official tabular descriptor (`datapackage.json`), corrected where that
descriptor is wrong (see `docs/hsds.md`); `tests/unit/test_hsds_tables.py` checks them against
the official schemas so this file and the standard cannot drift apart.

`profile_columns` are the fields the Carepath HSDS profile adds (`service` only; see
docs/hsds-profile.md): optional, stored beside the official columns and written after them, so
`all_columns` is what Carepath reads and writes while `columns` stays exactly the standard's.

Nesting describes the JSON form: `children` are arrays of records that point back at the
enclosing record through a link column (`service.phones` → `phone.service_id`); `embedded` are
single records the enclosing record points at (`service.organization` ← `service.organization_id`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property


class Kind(Enum):
    """How a column's value is read, checked and stored. Anything not listed is text."""

    TEXT = "text"
    WHOLE_NUMBER = "whole number"
    NUMBER = "number"
    COORDINATE = "coordinate"
    DATE = "date"
    TIME = "time"
    DATE_TIME = "date-time"
    BOOLEAN = "boolean"
    TEXT_LIST = "list of text"  # a JSON array of strings; in CSV, a cell holding that JSON array


@dataclass(frozen=True)
class Child:
    key: str  # the JSON array on the enclosing record
    table: str
    link: str  # the child's column naming the enclosing record


@dataclass(frozen=True)
class Embedded:
    key: str  # the JSON object on the enclosing record
    table: str
    link: str  # the enclosing record's column naming the embedded record


@dataclass(frozen=True)
class HsdsTable:
    name: str
    path: str
    columns: tuple[str, ...]
    kinds: Mapping[str, Kind] = field(default_factory=dict)
    # Link columns that must name a record in the import or the directory (ownership).
    links: Mapping[str, str] = field(default_factory=dict)
    # Link columns that may name a record published elsewhere; kept as given, noted if unknown.
    cross_references: Mapping[str, str] = field(default_factory=dict)
    children: tuple[Child, ...] = ()
    embedded: tuple[Embedded, ...] = ()
    # Fields the Carepath HSDS profile adds (docs/hsds-profile.md); written after the official ones.
    profile_columns: tuple[str, ...] = ()

    # The derived properties below are cached: readers ask them for every value of every record.

    @cached_property
    def all_columns(self) -> tuple[str, ...]:
        """The official columns, then the profile's: what Carepath reads, stores and writes."""
        return self.columns + self.profile_columns

    @cached_property
    def column_set(self) -> frozenset[str]:
        """`all_columns` as a set, to ask whether a name is a column."""
        return frozenset(self.all_columns)

    @cached_property
    def profile_column_set(self) -> frozenset[str]:
        return frozenset(self.profile_columns)

    def kind(self, column: str) -> Kind:
        return self.kinds.get(column, Kind.TEXT)

    @cached_property
    def link_columns(self) -> frozenset[str]:
        """Every column that names another record: links, cross-references, link_id, resource_id."""
        polymorphic = {POLYMORPHIC_LINK[self.name]} if self.name in POLYMORPHIC_LINK else set()
        return frozenset(self.links) | frozenset(self.cross_references) | polymorphic


# Attributes and metadata can hang from any record; they name it by id, not by a foreign key.
ATTRIBUTES = Child("attributes", "attribute", "link_id")
METADATA = Child("metadata", "metadata", "resource_id")
POLYMORPHIC_ENTITY = {"attribute": "link_entity", "metadata": "resource_type"}
POLYMORPHIC_LINK = {"attribute": "link_id", "metadata": "resource_id"}
ANNOTATIONS = (ATTRIBUTES, METADATA)


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def _annotated(*children: Child) -> tuple[Child, ...]:
    return (*children, *ANNOTATIONS)


def _simple(name: str, path: str, columns: str, links: Mapping[str, str] | None = None) -> HsdsTable:
    return HsdsTable(name, path, _columns(columns), links=links or {}, children=ANNOTATIONS)


ORGANIZATION = HsdsTable(
    "organization",
    "organizations.csv",
    _columns(
        "id name alternate_name description email website tax_status tax_id year_incorporated "
        "legal_status logo uri parent_organization_id"
    ),
    kinds={"year_incorporated": Kind.WHOLE_NUMBER},
    cross_references={"parent_organization_id": "organization"},
    children=_annotated(
        Child("additional_websites", "url", "organization_id"),
        Child("funding", "funding", "organization_id"),
        Child("contacts", "contact", "organization_id"),
        Child("phones", "phone", "organization_id"),
        Child("locations", "location", "organization_id"),
        Child("programs", "program", "organization_id"),
        Child("organization_identifiers", "organization_identifier", "organization_id"),
    ),
)
# Only an organization at the top of a document lists its services (compiled organization.json).
ORGANIZATION_SERVICES = Child("services", "service", "organization_id")

SERVICE = HsdsTable(
    "service",
    "services.csv",
    _columns(
        "id organization_id program_id name alternate_name description url email status "
        "interpretation_services application_process fees_description wait_time fees accreditations "
        "eligibility_description minimum_age maximum_age assured_date assurer_email licenses alert "
        "last_modified"
    ),
    kinds={
        "minimum_age": Kind.NUMBER,
        "maximum_age": Kind.NUMBER,
        "assured_date": Kind.DATE,
        "last_modified": Kind.DATE_TIME,
        "lived_experience_topics": Kind.TEXT_LIST,
        "confidentiality_limits": Kind.TEXT_LIST,
        "outcome_measures": Kind.TEXT_LIST,
        "crisis_capable": Kind.BOOLEAN,
        "hours_24_7": Kind.BOOLEAN,
    },
    links={"organization_id": "organization", "program_id": "program"},
    children=_annotated(
        Child("additional_urls", "url", "service_id"),
        Child("phones", "phone", "service_id"),
        Child("schedules", "schedule", "service_id"),
        Child("service_areas", "service_area", "service_id"),
        Child("service_at_locations", "service_at_location", "service_id"),
        Child("languages", "language", "service_id"),
        Child("funding", "funding", "service_id"),
        Child("cost_options", "cost_option", "service_id"),
        Child("required_documents", "required_document", "service_id"),
        Child("contacts", "contact", "service_id"),
        Child("capacities", "service_capacity", "service_id"),
    ),
    embedded=(
        Embedded("organization", "organization", "organization_id"),
        Embedded("program", "program", "program_id"),
    ),
    profile_columns=_columns(
        "support_type lived_experience_topics licence_type licensing_body peer_certification "
        "training_standard supervision confidentiality_policy confidentiality_limits crisis_capable "
        "hours_24_7 evidence_notes outcome_measures"
    ),
)

SERVICE_AT_LOCATION = HsdsTable(
    "service_at_location",
    "service_at_location.csv",
    ("id", "service_id", "location_id", "description"),
    links={"service_id": "service", "location_id": "location"},
    children=_annotated(
        Child("service_areas", "service_area", "service_at_location_id"),
        Child("contacts", "contact", "service_at_location_id"),
        Child("phones", "phone", "service_at_location_id"),
        Child("schedules", "schedule", "service_at_location_id"),
    ),
    embedded=(Embedded("location", "location", "location_id"),),
)
# Only a service_at_location at the top of a document embeds its service.
SERVICE_AT_LOCATION_SERVICE = Embedded("service", "service", "service_id")

LOCATION = HsdsTable(
    "location",
    "locations.csv",
    _columns(
        "id location_type url organization_id name alternate_name description transportation "
        "latitude longitude external_identifier external_identifier_type"
    ),
    kinds={"latitude": Kind.COORDINATE, "longitude": Kind.COORDINATE},
    links={"organization_id": "organization"},
    children=_annotated(
        Child("languages", "language", "location_id"),
        Child("addresses", "address", "location_id"),
        Child("contacts", "contact", "location_id"),
        Child("accessibility", "accessibility", "location_id"),
        Child("phones", "phone", "location_id"),
        Child("schedules", "schedule", "location_id"),
    ),
)

PHONE = HsdsTable(
    "phone",
    "phones.csv",
    _columns(
        "id location_id service_id organization_id contact_id service_at_location_id number "
        "extension type description"
    ),
    kinds={"extension": Kind.WHOLE_NUMBER},
    links={
        "location_id": "location",
        "service_id": "service",
        "organization_id": "organization",
        "contact_id": "contact",
        "service_at_location_id": "service_at_location",
    },
    children=_annotated(Child("languages", "language", "phone_id")),
)

CONTACT = HsdsTable(
    "contact",
    "contacts.csv",
    _columns("id organization_id service_id service_at_location_id location_id name title department email"),
    links={
        "organization_id": "organization",
        "service_id": "service",
        "service_at_location_id": "service_at_location",
        "location_id": "location",
    },
    children=_annotated(Child("phones", "phone", "contact_id")),
)

SCHEDULE = HsdsTable(
    "schedule",
    "schedules.csv",
    _columns(
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone until "
        "count wkst freq interval byday byweekno bymonthday byyearday description opens_at closes_at "
        "schedule_link attending_type notes"
    ),
    kinds={
        "valid_from": Kind.DATE,
        "valid_to": Kind.DATE,
        "dtstart": Kind.DATE,
        "until": Kind.DATE,
        "timezone": Kind.NUMBER,
        "count": Kind.WHOLE_NUMBER,
        "interval": Kind.WHOLE_NUMBER,
        "opens_at": Kind.TIME,
        "closes_at": Kind.TIME,
    },
    links={
        "service_id": "service",
        "location_id": "location",
        "service_at_location_id": "service_at_location",
    },
    children=ANNOTATIONS,
)

TAXONOMY_TERM = HsdsTable(
    "taxonomy_term",
    "taxonomy_terms.csv",
    _columns("id code name description parent_id taxonomy language taxonomy_id term_uri"),
    cross_references={"parent_id": "taxonomy_term", "taxonomy_id": "taxonomy"},
    children=(METADATA,),
    embedded=(Embedded("taxonomy_detail", "taxonomy", "taxonomy_id"),),
)

ATTRIBUTE = HsdsTable(
    "attribute",
    "attributes.csv",
    ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value", "label"),
    links={"taxonomy_term_id": "taxonomy_term"},
    children=(METADATA,),
    embedded=(Embedded("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
)

METADATA_TABLE = HsdsTable(
    "metadata",
    "metadata.csv",
    _columns(
        "id resource_id resource_type last_action_date last_action_type field_name previous_value "
        "replacement_value updated_by"
    ),
    kinds={"last_action_date": Kind.DATE},
)

SERVICE_CAPACITY = HsdsTable(
    "service_capacity",
    "service_capacity.csv",
    ("id", "service_id", "unit_id", "available", "maximum", "description", "updated"),
    kinds={"available": Kind.NUMBER, "maximum": Kind.NUMBER, "updated": Kind.DATE_TIME},
    links={"service_id": "service", "unit_id": "unit"},
    children=ANNOTATIONS,
    embedded=(Embedded("unit", "unit", "unit_id"),),
)

COST_OPTION = HsdsTable(
    "cost_option",
    "cost_options.csv",
    ("id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"),
    kinds={"valid_from": Kind.DATE, "valid_to": Kind.DATE, "amount": Kind.NUMBER},
    links={"service_id": "service"},
    children=ANNOTATIONS,
)

TABLE_LIST = (
    ORGANIZATION,
    _simple(
        "program",
        "programs.csv",
        "id organization_id name alternate_name description",
        {"organization_id": "organization"},
    ),
    SERVICE,
    ATTRIBUTE,
    SERVICE_AT_LOCATION,
    LOCATION,
    PHONE,
    CONTACT,
    _simple(
        "address",
        "addresses.csv",
        "id location_id attention address_1 address_2 city region state_province postal_code country "
        "address_type",
        {"location_id": "location"},
    ),
    SCHEDULE,
    _simple(
        "funding",
        "funding.csv",
        "id organization_id service_id source",
        {"organization_id": "organization", "service_id": "service"},
    ),
    _simple(
        "service_area",
        "service_areas.csv",
        "id service_id service_at_location_id name description extent extent_type uri",
        {"service_id": "service", "service_at_location_id": "service_at_location"},
    ),
    _simple(
        "required_document", "required_documents.csv", "id service_id document uri", {"service_id": "service"}
    ),
    _simple(
        "language",
        "languages.csv",
        "id service_id location_id phone_id name code note",
        {"service_id": "service", "location_id": "location", "phone_id": "phone"},
    ),
    _simple(
        "accessibility",
        "accessibility.csv",
        "id location_id description details url",
        {"location_id": "location"},
    ),
    TAXONOMY_TERM,
    METADATA_TABLE,
    HsdsTable(
        "meta_table_description",
        "meta_table_descriptions.csv",
        ("id", "name", "language", "character_set"),
        children=ANNOTATIONS,
    ),
    COST_OPTION,
    _simple(
        "organization_identifier",
        "organization_identifiers.csv",
        "id organization_id identifier_scheme identifier_type identifier",
        {"organization_id": "organization"},
    ),
    HsdsTable(
        "taxonomy", "taxonomies.csv", ("id", "name", "description", "uri", "version"), children=(METADATA,)
    ),
    SERVICE_CAPACITY,
    _simple("unit", "units.csv", "id name scheme identifier uri"),
    _simple(
        "url",
        "url.csv",
        "id label url organization_id service_id",
        {"organization_id": "organization", "service_id": "service"},
    ),
)

TABLES: Mapping[str, HsdsTable] = {table.name: table for table in TABLE_LIST}
# Profile columns holding a list, whose items a schema error may point into (`confidentiality_limits[2]`).
PROFILE_LIST_COLUMNS = frozenset(
    column for table in TABLE_LIST for column in table.profile_columns if table.kind(column) is Kind.TEXT_LIST
)

# The kinds of record a JSON document can hold at its top, and their official file-name stems.
DOCUMENT_KINDS = ("service_at_location", "service", "organization", "location", "taxonomy_term", "taxonomy")


def children_of(table: HsdsTable, *, top_level: bool) -> tuple[Child, ...]:
    if top_level and table.name == "organization":
        return (*table.children, ORGANIZATION_SERVICES)
    return table.children


def embedded_of(table: HsdsTable, *, top_level: bool) -> tuple[Embedded, ...]:
    if top_level and table.name == "service_at_location":
        return (*table.embedded, SERVICE_AT_LOCATION_SERVICE)
    return table.embedded
