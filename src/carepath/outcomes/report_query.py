"""The programme report's filters, read from query-string values (API, dashboard) or command options.

Every bad value is refused with `InvalidData(field, problem)` naming the parameter as the person
typed it (`from`, `to`, `group_by` …), which the API turns into a 422 and the dashboard into a
message beside the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from carepath.outcomes.models import Pathway
from carepath_core.errors import InvalidData
from carepath_core.outcomes.report import GroupBy

FIELDS = ("from", "to", "service", "organisation", "pathway", "group_by")
_ID_LENGTH = 64  # directory ids are HSDS ids (UUIDs, 36 characters); anything much longer is not one


@dataclass(frozen=True)
class ReportQuery:
    """Episodes that ended within [date_from, date_to] (both inclusive; either may be open)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    service_id: str | None = None
    organisation_id: str | None = None
    pathway: str | None = None
    group_by: GroupBy = GroupBy.PATHWAY

    def as_filters(self) -> dict[str, str]:
        """The query as it is written in audit events, exports and links: only the filters set."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "service": self.service_id or "",
            "organisation": self.organisation_id or "",
            "pathway": self.pathway or "",
            "group_by": self.group_by.value,
        }
        return {name: value for name, value in values.items() if value}


def read_report_query(raw: Mapping[str, str | None]) -> ReportQuery:
    date_from, date_to = _date(raw, "from"), _date(raw, "to")
    if date_from and date_to and date_to < date_from:
        raise InvalidData("to", "cannot be before 'from'")
    pathway = _text(raw, "pathway")
    if pathway is not None and pathway not in Pathway.values:
        raise InvalidData("pathway", f"must be one of {', '.join(Pathway.values)}")
    group_by = _text(raw, "group_by") or GroupBy.PATHWAY.value
    if group_by not in GroupBy.__members__.values():
        raise InvalidData("group_by", f"must be one of {', '.join(g.value for g in GroupBy)}")
    return ReportQuery(
        date_from=date_from,
        date_to=date_to,
        service_id=_identifier(raw, "service"),
        organisation_id=_identifier(raw, "organisation"),
        pathway=pathway,
        group_by=GroupBy(group_by),
    )


def _text(raw: Mapping[str, str | None], name: str) -> str | None:
    # An empty form field means "no filter", as a GET form sends every field whether set or not.
    value = raw.get(name)
    return value.strip() or None if value is not None else None


def _date(raw: Mapping[str, str | None], name: str) -> dt.date | None:
    value = _text(raw, name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidData(name, "must be a date written as YYYY-MM-DD") from None


def _identifier(raw: Mapping[str, str | None], name: str) -> str | None:
    value = _text(raw, name)
    if value is not None and (len(value) > _ID_LENGTH or not value.isprintable()):
        raise InvalidData(name, "is not a directory id")
    return value
