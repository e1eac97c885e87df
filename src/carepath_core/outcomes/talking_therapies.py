"""NHS Talking Therapies outcome definitions for one course, as pure functions.

Sources and the points the sources leave open are in docs/outcomes.md and
shared/reference/clinical-facts.md §6. In short:

- finished a course: at least `min_attended_sessions` (2) attended sessions;
- at caseness: at or above the cut-off on EITHER measure (PHQ-9 >= 10 or GAD-7 >= 8). The GAD-7
  caseness cut-off is 8, not the GAD-7 screening cut point of 10;
- recovered: at caseness at the start and not at the end, and "not at caseness" means below the
  cut-off on BOTH measures, so a person whose anxiety rises to caseness while their mood lifts has
  not recovered;
- reliable improvement / deterioration: the paired rule (see `_paired_change`);
- reliable recovery: recovered and reliably improved.

These describe the change between two sets of scores. Programme figures count them only for
finished courses (NHS Talking Therapies reports outcomes for finished courses alone); that filter
belongs to the report, and `finished` is returned beside the other flags so it can be applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from carepath_core.outcomes.change import Change
from carepath_core.outcomes.checked import count
from carepath_core.outcomes.course import Course, ScorePair, checked_course
from carepath_core.outcomes.rules import MeasureRule, TalkingTherapiesRules


@dataclass(frozen=True, slots=True)
class CourseOutcome:
    finished: bool
    caseness_start: bool
    caseness_end: bool
    recovered: bool
    reliable_improvement: bool
    reliable_recovery: bool
    reliable_deterioration: bool


def finished_course(sessions_attended: object, rules: TalkingTherapiesRules) -> bool:
    return count(sessions_attended, "sessions_attended") >= rules.min_attended_sessions


def at_caseness(depression: object, anxiety: object, rules: TalkingTherapiesRules) -> bool:
    """Either measure at or above its cut-off makes a clinical case."""
    return _is_case(
        rules.depression.checked_score(depression, rules.depression.code),
        rules.anxiety.checked_score(anxiety, rules.anxiety.code),
        rules,
    )


def measure_change(rule: MeasureRule, pair: ScorePair) -> Change:
    """Reliable change on one measure: a drop (improvement) or a rise of at least the stated size."""
    checked = ScorePair(
        first=rule.checked_score(pair.first, f"{rule.code}[0]"),
        last=rule.checked_score(pair.last, f"{rule.code}[1]"),
    )
    return _change(rule, checked)


def recovered(course: Course, rules: TalkingTherapiesRules) -> bool:
    return _recovered(checked_course(course, rules), rules)


def reliably_improved(course: Course, rules: TalkingTherapiesRules) -> bool:
    return _paired_change(checked_course(course, rules), rules) is Change.IMPROVED


def reliably_deteriorated(course: Course, rules: TalkingTherapiesRules) -> bool:
    return _paired_change(checked_course(course, rules), rules) is Change.DETERIORATED


def reliably_recovered(course: Course, rules: TalkingTherapiesRules) -> bool:
    course = checked_course(course, rules)
    return _recovered(course, rules) and _paired_change(course, rules) is Change.IMPROVED


def classify(course: Course, rules: TalkingTherapiesRules) -> CourseOutcome:
    # Checked once here; the private helpers below trust a checked course, so a programme report
    # classifying many courses does not pay for the same checks several times over.
    course = checked_course(course, rules)
    is_recovered = _recovered(course, rules)
    change = _paired_change(course, rules)
    return CourseOutcome(
        finished=course.sessions_attended >= rules.min_attended_sessions,
        caseness_start=_is_case(course.depression.first, course.anxiety.first, rules),
        caseness_end=_is_case(course.depression.last, course.anxiety.last, rules),
        recovered=is_recovered,
        reliable_improvement=change is Change.IMPROVED,
        reliable_recovery=is_recovered and change is Change.IMPROVED,
        reliable_deterioration=change is Change.DETERIORATED,
    )


def _is_case(depression: int, anxiety: int, rules: TalkingTherapiesRules) -> bool:
    return rules.depression.is_case(depression) or rules.anxiety.is_case(anxiety)


def _recovered(course: Course, rules: TalkingTherapiesRules) -> bool:
    # "Not at caseness" at the end means below the cut-off on both measures.
    at_start = _is_case(course.depression.first, course.anxiety.first, rules)
    return at_start and not _is_case(course.depression.last, course.anxiety.last, rules)


def _change(rule: MeasureRule, pair: ScorePair) -> Change:
    # "At least", on both sides: the sources give improvement as a decrease of >= 6 / >= 4, and
    # the same sizes are used for a rise so that running a course backwards swaps the two exactly.
    if pair.first - pair.last >= rule.reliable_change:
        return Change.IMPROVED
    if pair.last - pair.first >= rule.reliable_change:
        return Change.DETERIORATED
    return Change.NONE


def _paired_change(course: Course, rules: TalkingTherapiesRules) -> Change:
    """Improvement on one measure counts only if the other has not reliably deteriorated, and
    deterioration only if the other has not reliably improved. A course that improves reliably on
    one measure and deteriorates reliably on the other is therefore neither: the two verdicts are
    mutually exclusive and mirror each other when the course is run backwards.

    The improvement half is how the NHS Talking Therapies rule is usually implemented; its Manual
    wording, and the deterioration half, are unconfirmed (clinical-facts.md §6, anchors.md §5.2).
    """
    changes = {_change(rules.depression, course.depression), _change(rules.anxiety, course.anxiety)}
    if Change.IMPROVED in changes and Change.DETERIORATED not in changes:
        return Change.IMPROVED
    if Change.DETERIORATED in changes and Change.IMPROVED not in changes:
        return Change.DETERIORATED
    return Change.NONE
