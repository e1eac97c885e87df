"""Batch assignment: many people to many peer supporters at once, for the highest total score.

`carepath assign` and the coordinators' page both run the solver through `solve_instance`, so
the same input gives the same answer in both. An instance is read with the core's own reader
(`parse_instance`), which names the record at fault; nothing is stored either way. The page
proposes: it does not create requests for contact, because asking is each person's own choice
(docs/matching.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from threadpoolctl import threadpool_limits

from carepath import policy
from carepath.audit.models import AuditAction
from carepath.audit.services import record_event
from carepath.errors import NotPermitted
from carepath.matching import selectors
from carepath.matching.experience_scorers import experience_scorer
from carepath_core.errors import InvalidData
from carepath_core.matching import Assignment
from carepath_core.matching.instance import Instance, assign_instance, parse_instance, result_document

# Far more than a programme's people and supporters take (10,000 people and 1,000 supporters
# with profiles are about 4 MB); it keeps one upload from holding a worker for minutes.
MAX_INSTANCE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class BatchResult:
    assignment: Assignment
    document: dict[str, Any]  # the result file, as `carepath assign` writes it
    capacities: dict[str, int]  # each supporter's capacity, beside their load afterwards
    names: dict[str, str]  # names to show for the ids (empty for an uploaded file)


def solve_instance(instance: Instance) -> Assignment:
    # One BLAS thread: the matrix products are small, and extra threads only fight over the
    # cores with the rest of the work (and with anything else running on the machine).
    with threadpool_limits(limits=1, user_api="blas"):
        return assign_instance(instance, experiences=experience_scorer())


def read_instance_bytes(content: bytes) -> Instance:
    """An uploaded or read file as an instance; `InvalidData` names what is wrong."""
    if len(content) > MAX_INSTANCE_BYTES:
        megabytes = MAX_INSTANCE_BYTES // (1024 * 1024)
        raise InvalidData("instance", f"is larger than {megabytes} MB: split the programme into parts")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidData("instance", "is not UTF-8 text") from error
    return parse_instance(text)


def assign_uploaded(*, actor: Any, content: bytes) -> BatchResult:
    """The assignment of an instance file a coordinator sent. Nothing stored is read or changed."""
    _check_may_run(actor)
    instance = read_instance_bytes(content)
    return _result(instance, solve_instance(instance), {})


def assign_stored_programme(*, actor: Any) -> BatchResult:
    """A proposal for everyone waiting, from their saved wishes and the supporters' profiles.

    Audited: it reads what many people chose to say about themselves. The closest action there
    is stands in until the audit app has one for this (the event's subject says what it was).
    """
    _check_may_run(actor)
    programme = selectors.stored_programme()
    instance = Instance(programme.seekers, programme.supporters, None)
    assignment = solve_instance(instance)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=AuditAction.BATCH_ASSIGNMENT_RUN,
            subject_type="matching_batch_assignment",
            details={
                "people": len(programme.seekers),
                "supporters": len(programme.supporters),
                "assigned": sum(p.supporter_id is not None for p in assignment.placements),
            },
        )
    return _result(instance, assignment, programme.names)


def _check_may_run(actor: Any) -> None:
    if not policy.can_run_batch_assignment(actor):
        raise NotPermitted("only coordinators run a batch assignment")


def _result(instance: Instance, assignment: Assignment, names: dict[str, str]) -> BatchResult:
    capacities = {supporter.id: supporter.capacity for supporter in instance.supporters}
    return BatchResult(assignment, result_document(assignment), capacities, names)
