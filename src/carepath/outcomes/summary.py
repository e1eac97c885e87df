"""The plain-language summary on the progress page, from the same definitions the reports use.

Written to be read by the person whose scores these are: calm, specific about what the numbers
can and cannot say, and never a verdict on them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from carepath.outcomes.selectors import MeasureSeries
from carepath_core.outcomes import Change, CourseOutcome


def progress_summary(series: list[MeasureSeries], outcome: CourseOutcome | None) -> list[str]:
    if not series:
        return [
            _(
                "There are no check-ins in this episode yet. A short check-in every couple of weeks "
                "lets you see how things are changing."
            )
        ]
    sentences = [_measure_sentence(s) for s in series]
    if outcome is not None:
        sentences.append(_overall_sentence(outcome))
    sentences.append(_("These numbers are a guide to talk about, not a diagnosis."))
    return sentences


def _measure_sentence(series: MeasureSeries) -> str:
    name, rule = series.instrument.short_name, series.rule
    first, last = series.first.total, series.last.total
    values = {"name": name, "first": first, "last": last, "size": rule.reliable_change}
    if len(series.points) == 1:
        text = _("You have one %(name)s check-in in this episode, with a score of %(last)s.") % values
        later = _("After your next one, this page can show how it is changing.")
        return f"{text} {_caseness_sentence(series)} {later}"
    change = series.last.change
    if change is Change.IMPROVED:
        text = _(
            "Your %(name)s score has come down from %(first)s to %(last)s. A change of %(size)s points "
            "or more is larger than everyday ups and downs, so it is a reliable improvement."
        )
    elif change is Change.DETERIORATED:
        text = _(
            "Your %(name)s score has gone up from %(first)s to %(last)s, which is more than everyday ups "
            "and downs. It may help to talk about this with the people supporting you."
        )
    else:
        text = _(
            "Your %(name)s score has moved from %(first)s to %(last)s. A change smaller than %(size)s "
            "points can come from everyday ups and downs, so it is not yet a clear change either way."
        )
    return f"{text % values} {_caseness_sentence(series)}"


def _caseness_sentence(series: MeasureSeries) -> str:
    values = {"cutoff": series.rule.caseness_from}
    if series.last.at_caseness:
        return (
            _("It is at or above %(cutoff)s, the level services use to decide who may need more help.")
            % values
        )
    return _("It is now below %(cutoff)s, the level services use to decide who may need more help.") % values


def _overall_sentence(outcome: CourseOutcome) -> str:
    if outcome.reliable_recovery:
        return _(
            "Taken together, your scores have come down by a reliable amount and are now below the level "
            "where services would count them as a concern. Services call this reliable recovery."
        )
    if outcome.recovered:
        return _(
            "Taken together, both scores are now below the level where services would count them as a "
            "concern, although the change is not yet larger than everyday ups and downs."
        )
    if outcome.reliable_improvement:
        return _("Taken together, your scores show a reliable improvement.")
    if outcome.reliable_deterioration:
        return _(
            "Taken together, your scores have risen by more than everyday ups and downs. You do not have "
            "to wait until this episode ends to talk about it."
        )
    return _("Taken together, there is no reliable change yet. Change often takes time.")
