"""The Jacobson-Truax reliable change index and clinical-significance cut-offs, for any measure.

Jacobson NS, Truax P. J Consult Clin Psychol 1991;59(1):12-19 (anchors.md §5.3):

    SE     = SD · √(1 - r)          standard error of measurement (r: test-retest reliability or alpha)
    S_diff = √(2 · SE²)             standard error of the difference between two scores
    RCI    = (after - before) / S_diff
    reliable when |RCI| > criterion (1.96, read from outcomes/definitions/jacobson_truax.json)

Which SD and r to use is the caller's choice and must be published per measure: several variants
of the standard error exist (Maassen 2004 and others), and this module implements the original.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from carepath_core.errors import InvalidData
from carepath_core.outcomes.change import Change
from carepath_core.outcomes.checked import open_unit_interval, positive_number, real_number, true_or_false
from carepath_core.outcomes.rules import JacobsonTruaxMethod

# Jacobson & Truax define cut-offs a and b as two standard deviations from the relevant mean.
_CUTOFF_SDS = 2


@dataclass(frozen=True, slots=True)
class ReliableChange:
    rci: float
    reliable: bool
    direction: Change


@dataclass(frozen=True, slots=True)
class ClinicalCutoffs:
    a: float  # two SDs from the clinical mean, towards the healthy end: left the clinical range
    b: float  # two SDs from the normative mean, towards the clinical end: entered the normal range
    c: float  # where the two distributions meet, weighted by their SDs; preferred when they overlap


def standard_error_of_measurement(sd: object, reliability: object) -> float:
    return positive_number(sd, "sd") * math.sqrt(1 - open_unit_interval(reliability, "reliability"))


def standard_error_of_difference(standard_error: object) -> float:
    return math.sqrt(2 * positive_number(standard_error, "standard_error") ** 2)


def reliable_change_index(before: object, after: object, *, sd: object, reliability: object) -> float:
    start, end = real_number(before, "before"), real_number(after, "after")
    s_diff = standard_error_of_difference(standard_error_of_measurement(sd, reliability))
    return (end - start) / s_diff


def is_reliable(rci: float, method: JacobsonTruaxMethod) -> bool:
    # Strictly greater: the 1991 paper treats an RCI beyond ±1.96 as reliable, not one equal to it.
    return abs(rci) > method.criterion


def reliable_change(
    before: object,
    after: object,
    *,
    sd: object,
    reliability: object,
    method: JacobsonTruaxMethod,
    lower_is_better: object = True,
) -> ReliableChange:
    """The RCI and what it means. `lower_is_better` defaults to True because PHQ-9, GAD-7 and most
    symptom measures score worse as they rise; pass False for wellbeing scales such as WHO-5."""
    lower_better = true_or_false(lower_is_better, "lower_is_better")
    rci = reliable_change_index(before, after, sd=sd, reliability=reliability)
    if not is_reliable(rci, method):
        return ReliableChange(rci=rci, reliable=False, direction=Change.NONE)
    went_down = rci < 0
    direction = Change.IMPROVED if went_down == lower_better else Change.DETERIORATED
    return ReliableChange(rci=rci, reliable=True, direction=direction)


def clinical_cutoffs(
    *,
    clinical_mean: object,
    clinical_sd: object,
    normative_mean: object,
    normative_sd: object,
    lower_is_better: object = True,
) -> ClinicalCutoffs:
    """Cut-offs a, b and c; c = (SD_clin·M_norm + SD_norm·M_clin) / (SD_clin + SD_norm)."""
    m_clin = real_number(clinical_mean, "clinical_mean")
    m_norm = real_number(normative_mean, "normative_mean")
    sd_clin = positive_number(clinical_sd, "clinical_sd")
    sd_norm = positive_number(normative_sd, "normative_sd")
    lower_better = true_or_false(lower_is_better, "lower_is_better")
    # Swapped arguments would give plausible-looking but wrong cut-offs, so the means must sit on
    # the sides the direction implies.
    if lower_better and m_clin <= m_norm:
        raise InvalidData("clinical_mean", "must be above normative_mean when lower scores are better")
    if not lower_better and m_clin >= m_norm:
        raise InvalidData("clinical_mean", "must be below normative_mean when higher scores are better")
    towards_health = -1 if lower_better else 1
    return ClinicalCutoffs(
        a=m_clin + towards_health * _CUTOFF_SDS * sd_clin,
        b=m_norm - towards_health * _CUTOFF_SDS * sd_norm,
        c=(sd_clin * m_norm + sd_norm * m_clin) / (sd_clin + sd_norm),
    )
