"""Keeping report rows right where no outcomes service is in the way.

- A check-in can be deleted by routes that have no service of their own: with its person (CASCADE),
  from a queryset, or by code written later. `post_delete` fires for each of them, inside the
  deleting transaction, so the rows of the person's episodes are rewritten there (update only:
  when the person is going, their rows go too, and must not be written back).
- `migrate` writes the rows that are missing (a database upgraded to the release that added them)
  or were written by other outcome definitions (a release that changed one). The rows are derived
  by the current code, which a migration frozen in time could not follow; see docs/decisions/0003.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS

from carepath.outcomes.report_rows import check_in_changed, rebuild_report_rows


def check_in_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    check_in_changed(person_id=instance.person_id, instrument_code=instance.instrument, update_only=True)


def rows_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    try:  # not after migrating backwards to before the rows existed
        kwargs["apps"].get_model("outcomes", "EpisodeReportRow")
    except LookupError:
        return
    if using == DEFAULT_DB_ALIAS:
        rebuild_report_rows()
