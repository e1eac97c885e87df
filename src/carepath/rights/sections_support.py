"""Export sections for support between people: referrals, their histories and contact logs,
hand-offs, notices and sharing choices.

What someone wrote about another person stays with that person's record: a supporter's export
lists the contacts they logged by date, never the note; a person's export gives the peer notes
they can already read in Carepath, and lists clinical notes (date, length, author's role) without
their text, which the professional releases through their own access process (docs/rights.md).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Q

from carepath.referrals.models import ContactEntry, HandOff, NoteKind, Notification, Referral, StatusChange
from carepath.rights.json_values import plain, row

_CLINICAL_WITHHELD = "A clinical note: ask the professional for it through their own access process."


def referrals(account: Any) -> list[dict[str, Any]]:
    found = (
        Referral.objects.filter(Q(person=account) | Q(supporter=account))
        .select_related("supporter")
        .order_by("created_at", "id")
    )
    return [_referral(referral, account) for referral in found]


def _referral(referral: Referral, account: Any) -> dict[str, Any]:
    as_person = referral.person_id == account.pk
    document = row(referral, ("id", "kind", "status", "created_at", "accepted_at", "closed_at"))
    document["your_side"] = "person" if as_person else "supporter"
    # The person's supporter is part of their own record; the supporter's export names no one.
    document["supporter"] = referral.supporter.shown_name if as_person else None
    document["history"] = [
        {
            **row(change, ("at", "by_side", "from_status", "to_status")),
            # A supporter's export gives their own side's reasons only: the person's are the person's.
            "reason": change.reason if as_person or change.by_side == "supporter" else None,
        }
        for change in StatusChange.objects.filter(referral=referral)
    ]
    if as_person:
        contacts = ContactEntry.objects.filter(referral=referral).order_by("happened_on", "id")
        document["contacts"] = [_contact_for_person(entry) for entry in contacts]
    return document


def _contact_for_person(entry: ContactEntry) -> dict[str, Any]:
    document = row(entry, ("happened_on", "channel", "minutes", "note_kind"))
    if entry.note_kind == NoteKind.CLINICAL:
        document["note"] = None
        document["note_withheld"] = _CLINICAL_WITHHELD
    else:
        document["note"] = entry.note
    return document


def status_changes_written(account: Any) -> list[dict[str, Any]]:
    changes = StatusChange.objects.filter(actor=account).order_by("at", "id")
    return [row(change, ("referral_id", "at", "to_status", "reason")) for change in changes]


def contact_log_written(account: Any) -> list[dict[str, Any]]:
    """Contacts the account logged as a supporter: the notes are the other person's record."""
    entries = ContactEntry.objects.filter(author=account).order_by("happened_on", "id")
    return [
        row(entry, ("referral_id", "happened_on", "channel", "minutes", "note_kind")) for entry in entries
    ]


def hand_offs(account: Any) -> list[dict[str, Any]]:
    found = HandOff.objects.filter(Q(person=account) | Q(peer=account) | Q(professional=account))
    documents = []
    for hand_off in found.order_by("asked_at", "id"):
        document = row(hand_off, ("id", "status", "asked_at", "answered_at"))
        if hand_off.person_id == account.pk:
            document.update(your_side="person", reason=hand_off.reason, shared=plain(hand_off.snapshot))
        else:
            document["your_side"] = "peer" if hand_off.peer_id == account.pk else "professional"
        documents.append(document)
    return documents


def notifications(account: Any) -> list[dict[str, Any]]:
    notices = Notification.objects.filter(recipient=account).order_by("created_at", "id")
    return [row(notice, ("kind", "text", "link", "created_at", "read_at")) for notice in notices]


def sharing_choices(account: Any) -> list[dict[str, Any]]:
    model = apps.get_model("sharing", "SharingChoice")
    choices = model._default_manager.filter(person=account).select_related("recipient_account")
    return [_sharing_choice(choice) for choice in choices.order_by("changed_at", "id")]


def _sharing_choice(choice: Any) -> dict[str, Any]:
    document = {
        field.name: plain(getattr(choice, field.name))
        for field in choice._meta.concrete_fields
        if not field.is_relation and field.name != "id"
    }
    account = choice.recipient_account
    document["recipient_account"] = account.shown_name if account is not None else None
    document["recipient_organization_id"] = choice.recipient_organization_id
    return document


def sharing_choices_for_you(account: Any) -> dict[str, int]:
    """How many people let this account see their records; who they are is theirs to tell."""
    model = apps.get_model("sharing", "SharingChoice")
    return {"people": model._default_manager.filter(recipient_account=account).count()}
