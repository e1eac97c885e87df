"""Writing a benchmark's figures into its own section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
# What follows this line in a section is written by hand (how a run went, what changed, what was
# tried): writing the figures again keeps it, after them.
NOTES = "<!-- Notes written by hand: kept when the figures above are written again. -->"


def write_section(heading: str, report: str) -> None:
    """Replace the `## heading` section (or append it) with `report`, which starts with that heading;
    the old section's notes (from the NOTES line to its end) are kept after the new figures."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n\n"
    start = text.find(f"## {heading}")
    notes = ""
    if start >= 0:
        end = text.find("\n## ", start + 1)
        old = text[start : end if end >= 0 else len(text)]
        if NOTES in old:
            notes = old[old.index(NOTES) :].rstrip("\n") + "\n"
        text = text[:start] + text[end + 1 if end >= 0 else len(text) :]
    section = report.rstrip("\n") + "\n" + (f"\n{notes}" if notes else "")
    BENCHMARKS.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
