"""bench/report.py: writing a benchmark's figures again replaces them and keeps the notes written
by hand below the NOTES line."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import report


@pytest.fixture
def benchmarks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "benchmarks.md"
    monkeypatch.setattr(report, "BENCHMARKS", path)
    return path


def test_a_new_section_is_added_at_the_end(benchmarks: Path) -> None:
    benchmarks.write_text("# Benchmarks\n\n## Pages\n\nold pages\n", encoding="utf-8")
    report.write_section("Search", "## Search\n\nfigures\n")
    assert (
        benchmarks.read_text(encoding="utf-8")
        == "# Benchmarks\n\n## Pages\n\nold pages\n\n## Search\n\nfigures\n"
    )


def test_the_figures_are_replaced_and_the_notes_kept(benchmarks: Path) -> None:
    benchmarks.write_text(
        f"# Benchmarks\n\n## Search\n\nold figures\n\n{report.NOTES}\n\nHow the run went.\n\n"
        "## Pages\n\npages\n",
        encoding="utf-8",
    )
    report.write_section("Search", "## Search\n\nnew figures\n")
    written = benchmarks.read_text(encoding="utf-8")
    assert "old figures" not in written
    assert written == (
        "# Benchmarks\n\n## Pages\n\npages\n\n## Search\n\nnew figures\n\n"
        f"{report.NOTES}\n\nHow the run went.\n"
    )


def test_without_the_notes_line_the_whole_section_is_replaced(benchmarks: Path) -> None:
    benchmarks.write_text("# Benchmarks\n\n## Search\n\nold figures\n\nold words\n", encoding="utf-8")
    report.write_section("Search", "## Search\n\nnew figures\n")
    assert benchmarks.read_text(encoding="utf-8") == "# Benchmarks\n\n## Search\n\nnew figures\n"


def test_a_second_write_keeps_the_notes_once(benchmarks: Path) -> None:
    benchmarks.write_text(
        f"# Benchmarks\n\n## Search\n\nfigures\n\n{report.NOTES}\n\nNotes.\n", encoding="utf-8"
    )
    for _ in range(2):
        report.write_section("Search", "## Search\n\nfigures again\n")
    written = benchmarks.read_text(encoding="utf-8")
    assert written.count("Notes.") == 1 and written.count(report.NOTES) == 1
