"""The service directory as Open Referral HSDS 3.1 objects, one model per HSDS table.

Field names are HSDS names (a link is a foreign key whose column is the HSDS `*_id` column),
so import and export map one to one; `HSDS_MODELS` names the model of each HSDS table.
"""

from __future__ import annotations

from django.db import models

from carepath.directory.models.base import HsdsRecord, new_hsds_id
from carepath.directory.models.contacts import Contact, Language, Phone, Schedule
from carepath.directory.models.locations import Accessibility, Address, Location, LocationType
from carepath.directory.models.organizations import (
    Funding,
    Organization,
    OrganizationIdentifier,
    Program,
    Url,
)
from carepath.directory.models.search import SearchCard, SearchEntry, SearchPoint, UnlistedEntry
from carepath.directory.models.services import (
    CostOption,
    RequiredDocument,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    SupportType,
    Unit,
)
from carepath.directory.models.taxonomies import (
    Attribute,
    Metadata,
    MetaTableDescription,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_MODELS: dict[str, type[models.Model]] = {
    "organization": Organization,
    "program": Program,
    "service": Service,
    "attribute": Attribute,
    "service_at_location": ServiceAtLocation,
    "location": Location,
    "phone": Phone,
    "contact": Contact,
    "address": Address,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "language": Language,
    "accessibility": Accessibility,
    "taxonomy_term": TaxonomyTerm,
    "metadata": Metadata,
    "meta_table_description": MetaTableDescription,
    "cost_option": CostOption,
    "organization_identifier": OrganizationIdentifier,
    "taxonomy": Taxonomy,
    "service_capacity": ServiceCapacity,
    "unit": Unit,
    "url": Url,
}

__all__ = [
    "HSDS_MODELS",
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "CostOption",
    "Funding",
    "HsdsRecord",
    "Language",
    "Location",
    "LocationType",
    "MetaTableDescription",
    "Metadata",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "Program",
    "RequiredDocument",
    "Schedule",
    "SearchCard",
    "SearchEntry",
    "SearchPoint",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceCapacity",
    "ServiceStatus",
    "SupportType",
    "Taxonomy",
    "TaxonomyTerm",
    "Unit",
    "UnlistedEntry",
    "Url",
    "new_hsds_id",
]
