"""Demo data: one persona per role and a few organisations, safe to load again and again;
a synthetic directory of any size (`load_demo_directory`); synthetic episodes of support with
check-ins for the programme outcomes dashboard (`load_demo_outcomes`); and synthetic peer
supporter profiles for matching (`load_demo_supporters`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from carepath.accounts.models import User
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.demo.directory_generator import demo_directory
from carepath.demo.outcomes_generator import DemoEpisode, demo_episodes
from carepath.demo.supporters_generator import DemoSupporter, demo_supporters
from carepath.directory.models import Service
from carepath.directory.services import ensure_organization
from carepath.directory.services.hsds_bulk import bulk_load_session, insert_hsds_rows
from carepath.directory.services.search_index import compact_cell_positions, refresh_search_entries
from carepath.directory.text_index import optimize_text_index
from carepath.matching.models import PeerSupporterProfile
from carepath.matching.profile_input import past_date, read_supporter_fields
from carepath.outcomes.models import Episode
from carepath.outcomes.report_rows import refresh_report_rows
from carepath.outcomes.selectors import talking_therapies_rules
from carepath.screening.models import Assessment
from carepath.screening.selectors import instrument_registry
from carepath_core.outcomes import MeasureRule
from carepath_core.roles import Role

# A demo password is public by design; `carepath demo` refuses to run in production mode.
DEMO_PASSWORD = "calm-harbour-demo"  # nosec B105 # the demo accounts' published password; demo refuses production


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
        compact_cell_positions()
        record_event(
            actor=None,
            actor_label="system",
            action=AuditAction.DEMO_LOADED,
            subject_type="directory",
            details={"directory_services": load.services, "seed": seed, "records": load.records},
        )
    optimize_text_index()  # the batches left the text index in pieces
    return load


DEMO_OUTCOME_PREFIX = "demo-person-"
_DEMO_SERVICES = 6  # episodes spread over this many directory services, when the directory has them


def load_demo_outcomes(*, episodes: int, seed: int, today: dt.date) -> int:
    """Synthetic people (who cannot sign in), their episodes and check-ins, in one transaction."""
    generated = demo_episodes(episodes, seed, today)
    service_ids = list(Service.objects.order_by("name", "id").values_list("id", flat=True)[:_DEMO_SERVICES])
    with transaction.atomic():
        people = User.objects.bulk_create(
            [_demo_person(item.number, seed) for item in generated], batch_size=500
        )
        created = Episode.objects.bulk_create(
            [_episode_row(item, person, service_ids) for item, person in zip(generated, people, strict=True)],
            batch_size=500,
        )
        Assessment.objects.bulk_create(
            [
                _check_in_row(check_in.instrument, check_in.total, check_in.day, person)
                for item, person in zip(generated, people, strict=True)
                for check_in in item.check_ins
            ],
            batch_size=1000,
        )
        # bulk_create skips the outcomes services, so the programme report's rows are written here.
        refresh_report_rows(episode.pk for episode in created)
        record_event(
            actor=None,
            actor_label="system",
            action=AuditAction.DEMO_LOADED,
            subject_type="outcomes",
            details={"episodes": len(generated), "seed": seed},
        )
    return len(generated)


def demo_outcomes_exist() -> bool:
    return User.objects.filter(username__startswith=DEMO_OUTCOME_PREFIX).exists()


def _demo_person(number: int, seed: int) -> User:
    person = User(
        username=f"{DEMO_OUTCOME_PREFIX}{seed}-{number:05d}",
        display_name=f"Demo person {number + 1}",
        role=Role.HELP_SEEKER,
    )
    person.set_unusable_password()  # a record in the figures, not a login
    return person


def _episode_row(item: DemoEpisode, person: User, service_ids: list[str]) -> Episode:
    return Episode(
        person=person,
        pathway=item.pathway,
        service_id=service_ids[item.service_index % len(service_ids)] if service_ids else None,
        started_on=item.started_on,
        ended_on=item.ended_on,
        sessions_attended=item.sessions_attended,
        requested_on=item.requested_on,
        first_contact_on=item.first_contact_on,
        cost=item.cost,
    )


def _outcome_rule(code: str) -> MeasureRule:
    rules = talking_therapies_rules()
    return rules.depression if code == rules.depression.code else rules.anxiety


def _check_in_row(code: str, total: int, day: dt.date, person: User) -> Assessment:
    instrument = instrument_registry()[code]
    index, band = next((i, b) for i, b in enumerate(instrument.bands) if b.contains(total))
    return Assessment(
        person=person,
        instrument=code,
        instrument_version=instrument.version,
        answers={},
        total=total,
        band_index=index,
        band_label=band.label,
        caseness=_outcome_rule(code).is_case(total),
        completed_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
    )


DEMO_SUPPORTER_PREFIX = "demo-supporter-"


def load_demo_supporters(*, count: int, seed: int, today: dt.date) -> int:
    """Synthetic peer supporters (who cannot sign in) with profiles, in one transaction."""
    generated = demo_supporters(count, seed)
    with transaction.atomic():
        people = User.objects.bulk_create([_demo_supporter_account(item, seed) for item in generated])
        PeerSupporterProfile.objects.bulk_create(
            [_supporter_row(item, person, today) for item, person in zip(generated, people, strict=True)]
        )
        record_event(
            actor=None,
            actor_label="system",
            action=AuditAction.DEMO_LOADED,
            subject_type="matching",
            details={"peer_supporters": len(generated), "seed": seed},
        )
    return len(generated)


def demo_supporters_exist() -> bool:
    return User.objects.filter(username__startswith=DEMO_SUPPORTER_PREFIX).exists()


def _demo_supporter_account(item: DemoSupporter, seed: int) -> User:
    account = User(
        username=f"{DEMO_SUPPORTER_PREFIX}{seed}-{item.number:03d}",
        display_name=item.display_name,
        role=Role.PEER_SUPPORTER,
    )
    account.set_unusable_password()  # someone to be suggested, not a login
    return account


def _supporter_row(item: DemoSupporter, person: User, today: dt.date) -> PeerSupporterProfile:
    # Read by the same rules as a profile saved on the page, so the demo never holds what a
    # supporter could not enter.
    _, fields = read_supporter_fields(item.profile)
    data = item.profile
    return PeerSupporterProfile(
        user=person,
        topics=fields.topics,
        experience=data["experience"],
        languages=fields.languages,
        hours=fields.hours,
        utc_offset=fields.utc_offset,
        availability=fields.availability,
        modalities=fields.modalities,
        latitude=fields.latitude,
        longitude=fields.longitude,
        capacity=data["capacity"],
        current_load=data["current_load"],
        training=data["training"],
        trained_on=past_date(data, "trained_on", today),
        certification=data["certification"],
        supervisor_name=data["supervisor_name"],
        confidentiality_statement=data["confidentiality_statement"],
    )
