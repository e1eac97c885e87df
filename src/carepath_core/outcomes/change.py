"""The three verdicts a reliable-change rule can reach, shared by the NHS and Jacobson-Truax rules."""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    IMPROVED = "improved"
    DETERIORATED = "deteriorated"
    NONE = "no reliable change"
