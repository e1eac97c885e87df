"""Demo data: one persona per role and a few organisations, safe to load again and again;
and a synthetic directory of any size (`load_demo_directory`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from carepath.accounts.models import User
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.demo.directory_generator import demo_directory
from carepath.directory.services import ensure_organization
from carepath.directory.services.hsds_bulk import bulk_load_session, insert_hsds_rows
from carepath.directory.services.search_index import refresh_search_entries
from carepath_core.roles import Role

# A demo password is public by design; `carepath demo` refuses to run in production mode.
DEMO_PASSWORD = "calm-harbour-demo"


@dataclass(frozen=True)
class Persona:
    username: str
    display_name: str
    role: Role


PERSONAS = (
    Persona("demo-seeker", "Sam (demo)", Role.HELP_SEEKER),
    Persona("demo-peer", "Priya (demo peer supporter)", Role.PEER_SUPPORTER),
    Persona("demo-professional", "Dr Alex Morgan (demo)", Role.PROFESSIONAL),
    Persona("demo-coordinator", "Chris (demo coordinator)", Role.COORDINATOR),
)

ORGANIZATIONS = (
    (
        "Harbour Peer Network (demo)",
        "A volunteer-run network of peer supporters who have lived through depression, anxiety "
        "or bereavement and offer one-to-one and group conversations.",
    ),
    (
        "Riverside Counselling Clinic (demo)",
        "A clinic of registered counsellors and psychologists offering talking therapies, "
        "with a sliding scale for people on low incomes.",
    ),
    (
        "Northgate Community Wellbeing Hub (demo)",
        "A community centre that runs peer groups alongside sessions with a mental-health nurse.",
    ),
)


def load_demo_data() -> list[Persona]:
    """Create whatever demo data is missing; returns the personas created this time."""
    created: list[Persona] = []
    with transaction.atomic():
        for persona in PERSONAS:
            if User.objects.filter(username=persona.username).exists():
                continue
            account = User(username=persona.username, display_name=persona.display_name, role=persona.role)
            account.set_password(DEMO_PASSWORD)
            account.save()
            created.append(persona)
        for name, description in ORGANIZATIONS:
            ensure_organization(name=name, description=description)
        if created:
            record_event(
                actor=None,
                actor_label="system",
                action=AuditAction.DEMO_LOADED,
                details={"personas": [p.username for p in created]},
            )
    return created


@dataclass
class DirectoryLoad:
    services: int = 0
    organizations: int = 0
    records: dict[str, int] = field(default_factory=dict)


def load_demo_directory(
    *, services: int, seed: int, progress: Callable[[int, int], None] | None = None
) -> DirectoryLoad:
    """Write `services` synthetic services (deterministic by seed) in one transaction, batch by batch."""
    load = DirectoryLoad()
    with bulk_load_session(), transaction.atomic():
        for batch in demo_directory(services, seed):
            for table, count in insert_hsds_rows(batch.rows).items():
                load.records[table] = load.records.get(table, 0) + count
            refresh_search_entries(row["id"] for row in batch.rows.get("service", ()))
            load.services += batch.services
            load.organizations += batch.organizations
            if progress is not None:
                progress(load.services, services)
        record_event(
            actor=None,
            actor_label="system",
            action=AuditAction.DEMO_LOADED,
            subject_type="directory",
            details={"directory_services": load.services, "seed": seed, "records": load.records},
        )
    return load
