"""What the apps' forms share: a date picker, and a service's refusal shown beside its field."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from carepath.errors import FieldProblem


def date_input() -> forms.DateInput:
    """A native date picker; the value is ISO (2026-03-01) whatever the browser's language."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def as_sentence(problem: FieldProblem) -> str:
    """A service's `problem` ("must not be in the future") as a sentence for a page."""
    return problem.problem[:1].upper() + problem.problem[1:] + "."


def show_problem(form: forms.Form, problem: FieldProblem, renamed: Mapping[str, str] | None = None) -> None:
    """Put a service's refusal beside its field (`renamed`: service field -> form field where they
    differ; `topics[2]` or `location.latitude` go beside `topics` or `location`), else on the form."""
    name = problem.field.split("[")[0].split(".")[0]
    field = (renamed or {}).get(name, name)
    form.add_error(field if field in form.fields else None, as_sentence(problem))
