# ruff: noqa: N999  (the command is `carepath demo-outcomes`)
"""`carepath demo-outcomes --episodes N --seed S [--if-empty]`: synthetic episodes for the
programme outcomes dashboard. The people cannot sign in; the same N, seed and day give the same
data. Refused in production mode."""

from __future__ import annotations

from django.utils import timezone

from carepath.demo.management.seeded import SeededDemoCommand
from carepath.demo.services import demo_outcomes_exist, load_demo_outcomes


class Command(SeededDemoCommand):
    help = "Generate synthetic episodes of support with PHQ-9 and GAD-7 check-ins across the three pathways."
    size_option, size_default, size_help = "--episodes", 300, "how many episodes (default 300)"
    if_empty_help = "only load when no demo episodes exist yet (used by `make run`)"
    refusal = "Refusing to load fictional outcome records in production mode."
    already_loaded_message = "Demo episodes already exist; not loaded again."

    def already_loaded(self) -> bool:
        return demo_outcomes_exist()

    def load(self, size: int, seed: int) -> str:
        count = load_demo_outcomes(episodes=size, seed=seed, today=timezone.localdate())
        return f"Demo outcomes ready: {count} episodes of support with check-ins."
