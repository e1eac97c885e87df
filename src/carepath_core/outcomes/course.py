"""One person's course of support as the outcome definitions see it: first and last scores on the
pair of measures, and how many sessions were attended.

Values arrive from JSON, so `read_course` checks everything before a `Course` exists; the
definitions re-check a `Course` built in code (`checked_course`), because a dataclass does not
enforce its types and a figure computed from a PHQ-9 of 30 would be published as if it were real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carepath_core.errors import InvalidData
from carepath_core.outcomes.checked import count
from carepath_core.outcomes.rules import MeasureRule, TalkingTherapiesRules


@dataclass(frozen=True, slots=True)
class ScorePair:
    """A measure's total at the first and at the last session with a score."""

    first: int
    last: int

    def swapped(self) -> ScorePair:
        return ScorePair(first=self.last, last=self.first)


@dataclass(frozen=True, slots=True)
class Course:
    depression: ScorePair
    anxiety: ScorePair
    sessions_attended: int

    def swapped(self) -> Course:
        """The same course run backwards: what was the last score becomes the first."""
        return Course(self.depression.swapped(), self.anxiety.swapped(), self.sessions_attended)


def read_course(
    *, depression: object, anxiety: object, sessions_attended: object, rules: TalkingTherapiesRules
) -> Course:
    """A course from request-shaped values: each measure as `[first, last]`, named by its code."""
    return Course(
        depression=_read_pair(depression, rules.depression),
        anxiety=_read_pair(anxiety, rules.anxiety),
        sessions_attended=count(sessions_attended, "sessions_attended"),
    )


def checked_course(course: Course, rules: TalkingTherapiesRules) -> Course:
    return read_course(
        depression=(course.depression.first, course.depression.last),
        anxiety=(course.anxiety.first, course.anxiety.last),
        sessions_attended=course.sessions_attended,
        rules=rules,
    )


def _read_pair(raw: object, rule: MeasureRule) -> ScorePair:
    # A string is a Sequence too; "12" must not be read as the scores 1 and 2.
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence) or len(raw) != 2:
        raise InvalidData(rule.code, "must be a list of two totals: [first, last]")
    return ScorePair(
        first=rule.checked_score(raw[0], f"{rule.code}[0]"),
        last=rule.checked_score(raw[1], f"{rule.code}[1]"),
    )
