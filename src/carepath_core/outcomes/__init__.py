"""Outcomes: NHS Talking Therapies definitions, Jacobson-Truax reliable change, recovery rates,
Wilson intervals and small-number suppression, as pure functions. See docs/outcomes.md."""

from carepath_core.outcomes.change import Change
from carepath_core.outcomes.course import Course, ScorePair, checked_course, read_course
from carepath_core.outcomes.jacobson_truax import (
    ClinicalCutoffs,
    ReliableChange,
    clinical_cutoffs,
    is_reliable,
    reliable_change,
    reliable_change_index,
    standard_error_of_difference,
    standard_error_of_measurement,
)
from carepath_core.outcomes.recovery_rate import recovery_rate, recovery_rate_denominator
from carepath_core.outcomes.rules import (
    JacobsonTruaxMethod,
    MeasureRule,
    TalkingTherapiesRules,
    measure_rule,
    parse_jacobson_truax,
    parse_talking_therapies,
)
from carepath_core.outcomes.suppression import (
    DEFAULT_THRESHOLD,
    ShownCount,
    ShownRate,
    is_suppressed,
    shown_count,
    shown_rate,
)
from carepath_core.outcomes.talking_therapies import (
    CourseOutcome,
    at_caseness,
    classify,
    finished_course,
    measure_change,
    recovered,
    reliably_deteriorated,
    reliably_improved,
    reliably_recovered,
)
from carepath_core.outcomes.wilson import ConfidenceInterval, wilson_interval

__all__ = [
    "DEFAULT_THRESHOLD",
    "Change",
    "ClinicalCutoffs",
    "ConfidenceInterval",
    "Course",
    "CourseOutcome",
    "JacobsonTruaxMethod",
    "MeasureRule",
    "ReliableChange",
    "ScorePair",
    "ShownCount",
    "ShownRate",
    "TalkingTherapiesRules",
    "at_caseness",
    "checked_course",
    "classify",
    "clinical_cutoffs",
    "finished_course",
    "is_reliable",
    "is_suppressed",
    "measure_change",
    "measure_rule",
    "parse_jacobson_truax",
    "parse_talking_therapies",
    "read_course",
    "recovered",
    "recovery_rate",
    "recovery_rate_denominator",
    "reliable_change",
    "reliable_change_index",
    "reliably_deteriorated",
    "reliably_improved",
    "reliably_recovered",
    "shown_count",
    "shown_rate",
    "standard_error_of_difference",
    "standard_error_of_measurement",
    "wilson_interval",
]
