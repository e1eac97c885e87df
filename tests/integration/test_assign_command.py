"""`carepath assign --input --output`: the result file; exit status 2 and nothing written on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

CAREPATH = str(Path(sys.executable).with_name("carepath"))

PROGRAMME: dict[str, Any] = {
    "seekers": [
        {
            "id": "s1",
            "languages": ["pl", "en"],
            "topics": ["anxiety", "bereavement"],
            "availability": [{"days": ["TU", "TH"], "from": "18:00", "to": "21:00"}],
            "utc_offset": "+01:00",
            "modalities": ["online"],
            "experience": "Panic attacks since my father died",
        },
        {"id": "s2", "languages": ["en"], "topics": ["depression"], "modalities": ["phone"]},
        {"id": "s3", "languages": ["fr"]},
    ],
    "supporters": [
        {
            "id": "p1",
            "capacity": 1,
            "languages": ["pl", "en"],
            "topics": ["anxiety", "bereavement"],
            "availability": [{"days": ["TU"], "from": "17:00", "to": "22:00"}],
            "modalities": ["online"],
            "experience": "My father died and the panic came after",
        },
        {
            "id": "p2",
            "capacity": 2,
            "current_load": 1,
            "languages": ["en"],
            "modalities": ["phone", "online"],
        },
    ],
}


def run(instance: Any, tmp_path: Path) -> tuple[Path, str]:
    source, target = tmp_path / "instance.json", tmp_path / "result.json"
    source.write_text(instance if isinstance(instance, str) else json.dumps(instance), encoding="utf-8")
    out = io.StringIO()
    call_command("assign", "--input", str(source), "--output", str(target), stdout=out)
    return target, out.getvalue()


def test_a_programme_is_assigned_and_written(tmp_path: Path) -> None:
    target, out = run(PROGRAMME, tmp_path)
    result = json.loads(target.read_text(encoding="utf-8"))
    assert [(row["seeker"], row["supporter"]) for row in result["assignments"]] == [
        ("s1", "p1"),
        ("s2", "p2"),
        ("s3", None),
    ]
    assert result["assignments"][0]["reasons"][:2] == [
        "You both have lived experience of anxiety and bereavement and grief",
        "Your free hours overlap on Tuesday evenings (3 hours a week)",
    ]
    assert result["assignments"][2] == {
        "seeker": "s3",
        "supporter": None,
        "score": None,
        "reasons": ["No supporter fits this person: 2 share no language with them"],
    }
    assert result["loads"] == {"p1": 1, "p2": 2}
    scores = [row["score"] for row in result["assignments"] if row["score"] is not None]
    assert result["total_score"] == pytest.approx(sum(scores), abs=1e-6)
    assert out.startswith("Assigned 2 of 3 people to 2 supporters; total score")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["instance.json", "result.json"]


def test_scores_given_pair_by_pair(tmp_path: Path) -> None:
    instance = {
        "seekers": [{"id": "a"}, {"id": "b"}],
        "supporters": [{"id": "x", "capacity": 1}, {"id": "y", "capacity": 1}],
        "scores": [["a", "x", 0.9], ["a", "y", 0.8], ["b", "x", 0.85], ["b", "y", 0.1]],
    }
    target, _ = run(instance, tmp_path)
    result = json.loads(target.read_text(encoding="utf-8"))
    assert [(row["seeker"], row["supporter"]) for row in result["assignments"]] == [("a", "y"), ("b", "x")]
    assert result["total_score"] == 1.65


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        ("{oops", "instance.json: instance: is not JSON: Expecting property name enclosed in double quotes"),
        ({**PROGRAMME, "seekers": [*PROGRAMME["seekers"], {"id": "s1", "languages": ["en"]}]},
         "instance.json: seekers[3].id: 's1' is listed twice"),
        ({"seekers": [], "supporters": [{"id": "x", "capacity": -1}], "scores": []},
         "instance.json: supporters[0].capacity: -1 is negative: must be 0 or more"),
        ({"seekers": [{"id": "a"}], "supporters": [{"id": "x", "capacity": 1}],
          "scores": [["a", "x", "0.5"]]},
         'instance.json: scores[0][2]: "0.5" is not a number'),
        ({"seekers": [{"id": "a"}], "supporters": [], "scores": [["a", "nobody", 0.5]]},
         "instance.json: scores[0][1]: no supporter has the id 'nobody'"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_record_and_writes_nothing(
    instance: Any, message: str, tmp_path: Path
) -> None:
    target = tmp_path / "result.json"
    target.write_text("the previous result", encoding="utf-8")
    with pytest.raises(CommandError) as refusal:
        run(instance, tmp_path)
    assert refusal.value.returncode == 2
    assert str(refusal.value).startswith(message)
    assert target.read_text(encoding="utf-8") == "the previous result"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["instance.json", "result.json"]


def test_a_missing_input_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refusal:
        call_command("assign", "--input", str(tmp_path / "none.json"), "--output", str(tmp_path / "out.json"))
    assert refusal.value.returncode == 2
    assert "cannot be read" in str(refusal.value)
    assert not (tmp_path / "out.json").exists()


def test_bad_input_exits_2_as_a_real_process(tmp_path: Path) -> None:
    source, target = tmp_path / "instance.json", tmp_path / "result.json"
    source.write_text(json.dumps({"seekers": [{"id": "a"}, {"id": "a"}], "supporters": [], "scores": []}))
    result = subprocess.run(
        [CAREPATH, "assign", "--input", str(source), "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "instance.json: seekers[1].id: 'a' is listed twice" in result.stderr
    assert not target.exists()


def test_a_good_file_exits_0_as_a_real_process(tmp_path: Path) -> None:
    source, target = tmp_path / "instance.json", tmp_path / "result.json"
    source.write_text(json.dumps(PROGRAMME))
    result = subprocess.run(
        [CAREPATH, "assign", "--input", str(source), "--output", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["loads"] == {"p1": 1, "p2": 2}
