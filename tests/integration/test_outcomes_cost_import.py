"""Importing episodes' costs (`carepath outcomes import-costs`): a good file sets the costs and the
programme report follows at once; any bad row refuses the whole file, naming line and field; a dry
run changes nothing; one audit event holds counts only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from carepath.audit.models import AuditAction, AuditEvent
from carepath.errors import NotPermitted
from carepath.outcomes.cost_import import CostFileProblems, set_episode_costs
from carepath.outcomes.models import Episode, EpisodeReportRow
from carepath.outcomes.report_query import ReportQuery
from carepath.outcomes.report_row_selectors import episodes_without_current_row
from carepath.outcomes.report_rows import rebuild_report_rows
from carepath.outcomes.report_services import read_outcomes_report
from carepath.screening.models import Assessment

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 5), dt.date(2026, 3, 2)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def course(person: Any, phq9: tuple[int, int], gad7: tuple[int, int], cost: Decimal | None = None) -> Episode:
    found = Episode.objects.create(
        person=person, pathway="peer", started_on=START, ended_on=END, sessions_attended=6, cost=cost
    )
    for code, (first, last) in (("phq9", phq9), ("gad7", gad7)):
        for total, when in ((first, at(START, 9)), (last, at(END, 18))):
            Assessment.objects.create(
                person=person,
                instrument=code,
                instrument_version="1",
                answers={},
                total=total,
                band_index=0,
                band_label="stored",
                completed_at=when,
            )
    return found


@pytest.fixture
def programme(make_account: Any, settings: Any) -> list[Episode]:
    """Two people who recovered and one who did not, with report rows written and no costs known."""
    settings.CAREPATH_SUPPRESS_BELOW = 1
    episodes = [
        course(make_account("r1"), (18, 6), (14, 5)),
        course(make_account("r2"), (20, 4), (15, 3)),
        course(make_account("n1"), (18, 17), (14, 13), cost=Decimal("50")),
    ]
    rebuild_report_rows(everything=True)
    return episodes


def cost_per_recovered() -> Decimal | None:
    report = read_outcomes_report(actor=None, query=ReportQuery(), channel="test")
    (group,) = report.figures.groups
    return group.cost_per_recovered.per_recovered


def costs() -> dict[int, Decimal | None]:
    return dict(Episode.objects.values_list("pk", "cost"))


def import_file(tmp_path: Path, text: str, *extra: str) -> str:
    path = tmp_path / "costs.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("outcomes", "import-costs", str(path), *extra, stdout=out)
    return out.getvalue()


def imported_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.OUTCOMES_COSTS_IMPORTED))


def test_a_good_file_sets_costs_and_the_report_follows_at_once(
    programme: list[Episode], tmp_path: Path
) -> None:
    r1, r2, n1 = programme
    assert cost_per_recovered() is None  # one costed episode, nobody recovered among it
    text = f"episode_id,cost\n{r1.pk},300\n{r2.pk},  450.50 \n{n1.pk},50.00\n"
    out = import_file(tmp_path, text)
    assert "3 episodes: 2 costs set, 0 cleared, 1 unchanged." in out
    assert costs() == {r1.pk: Decimal("300"), r2.pk: Decimal("450.50"), n1.pk: Decimal("50")}
    assert EpisodeReportRow.objects.get(pk=r2.pk).cost_cents == 45050
    assert not episodes_without_current_row().exists()  # the report reads rows, not a fallback
    assert cost_per_recovered() == Decimal("400.25")  # (300 + 450.50 + 50) / 2 recovered

    out = import_file(tmp_path, f"episode_id,cost\n{r2.pk},\n")  # back to unknown
    assert "1 episodes: 0 costs set, 1 cleared, 0 unchanged." in out
    assert costs()[r2.pk] is None and EpisodeReportRow.objects.get(pk=r2.pk).cost_cents is None
    assert cost_per_recovered() == Decimal("350.00")  # (300 + 50) / 1 recovered


def test_one_audit_event_per_import_with_counts_only(programme: list[Episode], tmp_path: Path) -> None:
    r1, r2, n1 = programme
    import_file(tmp_path, f"episode_id,cost\n{r1.pk},10\n{r2.pk},20\n{n1.pk},\n")
    (event,) = imported_events()
    assert event.details == {"rows": 3, "changed": 2, "cleared": 1}
    assert (event.actor_label, event.subject_type, event.subject_id) == ("command line", "episode_costs", "")


def test_a_coordinator_may_import_and_other_roles_may_not(
    programme: list[Episode], personas: dict[str, Any]
) -> None:
    r1 = programme[0]
    lines = ["episode_id,cost", f"{r1.pk},12.5"]
    with pytest.raises(NotPermitted):
        set_episode_costs(lines, actor=personas["help_seeker"])
    assert costs()[r1.pk] is None
    result = set_episode_costs(lines, actor=personas["coordinator"])
    assert (result.rows, result.changed) == (1, 1) and costs()[r1.pk] == Decimal("12.5")
    assert imported_events()[0].actor == personas["coordinator"]


BAD_ROWS = [
    ("{unknown},10", "line 3, field episode_id: no episode has the id"),
    ("99999999999999999999,10", "line 3, field episode_id: no episode has the id 99999999999999999999"),
    ("abc,10", "line 3, field episode_id: must be a whole number, not 'abc'"),
    ("{id},ten", "line 3, field cost: must be an amount"),
    ("{id},1e3", "line 3, field cost: must be an amount"),
    ("{id},-5", "line 3, field cost: cannot be negative"),
    ("{id},12.345", "line 3, field cost: has more than 2 decimal places"),
    ("{id},12345678901", "line 3, field cost: is too large"),
    ("{id},10,extra", "line 3, field cost: expected 2 values"),
    ("{first},20", "line 3, field episode_id: episode {first} is already on line 2"),
]


@pytest.mark.parametrize(("row", "problem"), BAD_ROWS)
def test_a_bad_row_changes_nothing_and_names_line_and_field(
    programme: list[Episode], tmp_path: Path, row: str, problem: str
) -> None:
    r1, r2, _ = programme
    values = {"unknown": r1.pk + 1000, "id": r2.pk, "first": r1.pk}
    before = costs()
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, f"episode_id,cost\n{r1.pk},99\n{row.format(**values)}\n")
    assert "nothing was changed" in str(refused.value)
    assert problem.format(**values) in str(refused.value)
    assert costs() == before and not imported_events()
    assert EpisodeReportRow.objects.get(pk=r1.pk).cost_cents is None


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("episode_id", "line 1, field cost: missing from the header"),
        ("episode_id,cost,note", "line 1, field note: not a column of this file"),
        ("cost,episode_id", "line 1, field header: the columns must come in the order episode_id,cost"),
        ("", "line 1, field header: the file is empty"),
    ],
)
def test_a_bad_header_changes_nothing(programme: list[Episode], header: str, problem: str) -> None:
    with pytest.raises(CostFileProblems) as refused:
        set_episode_costs([header, f"{programme[0].pk},10"] if header else [])
    assert refused.value.problems == [problem] or refused.value.problems[0].startswith(problem)
    assert costs()[programme[0].pk] is None and not imported_events()


def test_every_problem_in_the_file_is_reported_in_line_order(programme: list[Episode]) -> None:
    r1, r2, _ = programme
    lines = ["episode_id,cost", f"{r1.pk},-1", "", "x,", f"{r2.pk},1.234", f"{r1.pk},5", "999999999,1"]
    with pytest.raises(CostFileProblems) as refused:
        set_episode_costs(lines)
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "line 2, field cost",
        "line 4, field episode_id",
        "line 5, field cost",
        "line 6, field episode_id",
        "line 7, field episode_id",
    ]
    assert costs()[r1.pk] is None


def test_a_dry_run_counts_and_changes_nothing(programme: list[Episode], tmp_path: Path) -> None:
    r1, r2, n1 = programme
    rows_before = list(EpisodeReportRow.objects.order_by("pk").values())
    out = import_file(tmp_path, f"episode_id,cost\n{r1.pk},10\n{r2.pk},\n{n1.pk},\n", "--dry-run")
    assert "Dry run, nothing changed: 3 episodes: 1 costs set, 1 cleared, 1 unchanged." in out
    assert costs()[r1.pk] is None and costs()[n1.pk] == Decimal("50")
    assert list(EpisodeReportRow.objects.order_by("pk").values()) == rows_before
    assert not imported_events()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.csv: "):
        call_command("outcomes", "import-costs", str(tmp_path / "nowhere.csv"))
