"""The registry of personal-data sources covers every model that points at an account."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from carepath.rights.erasure_context import ErasureContext
from carepath.rights.registry import Erasure, installed_sources

pytestmark = pytest.mark.django_db


def links_to_accounts() -> set[tuple[str, str]]:
    """(model label, field) for every foreign key and one-to-one to the user model, in every app."""
    user_model = get_user_model()
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model is user_model
    }


def covered() -> set[tuple[str, str]]:
    return {
        (source.model, lookup.split("__")[0]) for source in installed_sources() for lookup in source.links
    }


def test_every_link_to_an_account_has_a_source() -> None:
    missing = links_to_accounts() - covered()
    assert not missing, (
        f"These fields point at an account but no source in carepath.rights.registry covers them: "
        f"{sorted(missing)}. Add a Source: how to find the person's rows, export them, and erase them."
    )


def test_the_walk_sees_the_links_it_must() -> None:
    found = links_to_accounts()
    assert {("screening.Assessment", "person"), ("referrals.ContactEntry", "author")} <= found
    assert ("audit.AuditEvent", "actor") in found


def test_every_source_finds_rows_with_a_query_that_runs(make_account: Any) -> None:
    context = ErasureContext.of(make_account("someone", email="someone@example.org"), timezone.now())
    for source in installed_sources():
        rows = source.rows(context)
        if rows is not None:
            rows.count()  # a wrong lookup fails here, by the source's name in the traceback


def test_rows_that_stay_say_why_and_pseudonymised_rows_say_what_is_emptied() -> None:
    for source in installed_sources():
        if source.erasure is not Erasure.DELETE:
            assert source.reason, f"{source.model} ({source.section}) keeps rows without saying why"
        if source.erasure is Erasure.PSEUDONYMISE:
            assert source.columns or source.redact or source.erase_step, source.model


def test_every_source_that_exports_has_its_own_section() -> None:
    exporting = [source.section for source in installed_sources() if source.export is not None]
    assert len(exporting) == len(set(exporting))
    assert {source.section for source in installed_sources()} <= set(exporting)
