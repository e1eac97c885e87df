"""`carepath score`: one form, JSON, batches from a file or stdin, crisis help first, exit 2 on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CAREPATH = str(Path(sys.executable).with_name("carepath"))


def run(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        call_command("score", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = sys.__stdin__
    return out.getvalue(), err.getvalue()


def test_one_form_in_item_order() -> None:
    out, _ = run("phq9", "--answers", "0,1,2,0,1,0,0,1,0")
    assert out.splitlines() == ["PHQ-9: 5 of 27 — Mild", "At or past the screening cut-off: no"]


def test_json_matches_the_api_shape() -> None:
    out, _ = run("gad7", "--answers", "3,3,3,2,2,1,0", "--json")
    result = json.loads(out)
    assert (result["total"], result["band"], result["caseness"]) == (14, "Moderate", True)
    assert next(iter(result)) == "safety"


def test_risk_prints_crisis_help_before_the_score() -> None:
    out, _ = run("phq9", "--answers", "0,0,0,0,0,0,0,0,1", "--region", "CA")
    assert out.startswith("CRISIS HELP FIRST")
    assert out.index("Emergency: 911") < out.index("PHQ-9: 1 of 27")
    assert "9-8-8" in out


def test_a_batch_from_stdin_in_csv_and_json_lines() -> None:
    forms = "0,0,0,0,0\n" + json.dumps({"answers": {f"who5_{i}": 5 for i in range(1, 6)}}) + "\n"
    out, _ = run("who5", "--file", "-", "--json", stdin=forms)
    totals = [json.loads(line)["percentage"] for line in out.splitlines()]
    assert totals == [0, 100]


def test_a_batch_file_reports_every_bad_form_and_exits_2(tmp_path: Path) -> None:
    batch = tmp_path / "forms.csv"
    batch.write_text("0,1,2,0,1,0,0,1,0\n0,1,x,0,1,0,0,1,0\n0,1\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("score", "phq9", "--file", str(batch), stdout=io.StringIO(), stderr=err)
    assert refusal.value.returncode == 2
    assert "form 2: phq9_3: answer 'x' is not a whole number" in err.getvalue()
    assert "form 3: phq9_3: is missing" in err.getvalue()


def test_an_incomplete_form_with_a_risk_answer_still_gets_crisis_help() -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("score", "phq9", "--answers", ",,,,,,,,2", stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("CRISIS HELP FIRST")


def test_unknown_instrument_exits_2_as_a_real_process() -> None:
    result = subprocess.run(
        [CAREPATH, "score", "beck", "--answers", "1"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert "'beck' is not a known questionnaire" in result.stderr
