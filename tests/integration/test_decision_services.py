"""Loading rule sets (all or nothing, audited) and keeping recommendations."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from carepath.audit.models import AuditAction, AuditEvent
from carepath.decision import selectors, services
from carepath.decision.errors import RuleSetRefused
from carepath.decision.models import RuleSetVersion
from carepath.errors import NotPermitted
from carepath_core.errors import InvalidData

pytestmark = pytest.mark.django_db


def renamed(version: str) -> dict[str, Any]:
    document = copy.deepcopy(selectors.default_rules_document())
    document["version"] = version
    return document


def test_without_a_loaded_file_the_shipped_default_is_active() -> None:
    assert (selectors.active_rule_set().id, selectors.active_rule_set().version) == (
        "carepath-default",
        "1.0.0",
    )


def test_a_coordinator_loads_a_sound_rule_set_and_it_becomes_active(personas: dict[str, Any]) -> None:
    services.load_rule_set(actor=personas["coordinator"], document=renamed("1.1.0"))
    services.load_rule_set(actor=personas["coordinator"], document=renamed("1.2.0"))
    assert selectors.active_rule_set().version == "1.2.0"
    assert RuleSetVersion.objects.filter(active=True).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.RULES_LOADED).count() == 2


def test_an_unsound_rule_set_is_refused_and_the_active_one_stays(personas: dict[str, Any]) -> None:
    services.load_rule_set(actor=personas["coordinator"], document=renamed("1.1.0"))
    broken = renamed("2.0.0")
    broken["rules"][0]["then"]["pathway"] = "peer"
    with pytest.raises(RuleSetRefused) as refusal:
        services.load_rule_set(actor=personas["coordinator"], document=broken)
    assert refusal.value.problems[0].rule == "risk"
    assert selectors.active_rule_set().version == "1.1.0"
    assert RuleSetVersion.objects.count() == 1


def test_a_malformed_rule_set_names_the_field(personas: dict[str, Any]) -> None:
    broken = renamed("2.0.0")
    broken["rules"][3]["then"]["minimum_level"] = "lots"
    with pytest.raises(InvalidData) as refusal:
        services.load_rule_set(actor=personas["coordinator"], document=broken)
    assert refusal.value.field == "rules[3].then.minimum_level"
    assert not RuleSetVersion.objects.exists()


@pytest.mark.parametrize("role", ["help_seeker", "peer_supporter", "professional"])
def test_only_coordinators_load_rules(personas: dict[str, Any], role: str) -> None:
    with pytest.raises(NotPermitted):
        services.load_rule_set(actor=personas[role], document=renamed("9.9.9"))
    assert not RuleSetVersion.objects.exists()


def test_rules_load_and_show_on_the_command_line(tmp_path: Path) -> None:
    good = tmp_path / "rules.json"
    good.write_text(json.dumps(renamed("1.5.0")), encoding="utf-8")
    out = io.StringIO()
    call_command("rules", "load", str(good), stdout=out)
    assert "Loaded carepath-default 1.5.0" in out.getvalue()
    shown = io.StringIO()
    call_command("rules", "show", stdout=shown)
    assert json.loads(shown.getvalue())["version"] == "1.5.0"
    event = AuditEvent.objects.get(action=AuditAction.RULES_LOADED)
    assert event.actor is None and event.actor_label == "command line"


def test_a_refused_file_on_the_command_line_exits_2_and_names_the_rule(tmp_path: Path) -> None:
    broken = renamed("3.0.0")
    next(r for r in broken["rules"] if r["id"] == "high-scores")["then"]["pathway"] = "peer"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("rules", "load", str(path), stdout=io.StringIO(), stderr=err)
    assert refusal.value.returncode == 2
    assert "rule 'high-scores'" in err.getvalue()
    assert selectors.active_rule_set().version == "1.0.0"


def test_recommend_on_the_command_line(tmp_path: Path) -> None:
    request = {
        "screenings": [{"instrument": "phq9", "total": 16}],
        "preferences": {"qualifications": 4, "evidence": 4},
        "limits": {"budget_per_month": 0, "currency": "GBP"},
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    out = io.StringIO()
    call_command("recommend", "--input", str(path), "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert (payload["pathway"], payload["rule"]["rule_id"]) == ("professional", "high-scores-professional")
    text = io.StringIO()
    call_command("recommend", "--input", str(path), stdout=text)
    assert text.getvalue().startswith("Recommendation: professional")


def test_recommend_puts_crisis_help_first_and_refuses_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"in_danger": True}), encoding="utf-8")
    out = io.StringIO()
    call_command("recommend", "--input", str(path), "--region", "NZ", stdout=out)
    assert out.getvalue().startswith("CRISIS HELP FIRST") and "1737" in out.getvalue()
    path.write_text(json.dumps({"screenings": [{"instrument": "phq9", "total": 40}]}), encoding="utf-8")
    with pytest.raises(CommandError) as refusal:
        call_command("recommend", "--input", str(path), stdout=io.StringIO())
    assert refusal.value.returncode == 2 and "screenings[0].total" in str(refusal.value)
