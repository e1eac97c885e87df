# ruff: noqa: N999  (the command is `carepath demo-supporters`)
"""`carepath demo-supporters --count N --seed S [--if-empty]`: synthetic peer supporter profiles
so the matches page shows real suggestions. The supporters cannot sign in; the same N and seed
give the same people. Refused in production mode."""

from __future__ import annotations

from django.utils import timezone

from carepath.demo.management.seeded import SeededDemoCommand
from carepath.demo.services import demo_supporters_exist, load_demo_supporters


class Command(SeededDemoCommand):
    help = "Generate synthetic peer supporter profiles for the matching demo."
    size_option, size_default, size_help = "--count", 40, "how many supporters (default 40)"
    seed_help = "the same seed gives the same people (default 1)"
    if_empty_help = "only load when no demo supporters exist yet (used by `make run`)"
    refusal = "Refusing to load fictional peer supporters in production mode."
    already_loaded_message = "Demo peer supporters already exist; not loaded again."

    def already_loaded(self) -> bool:
        return demo_supporters_exist()

    def load(self, size: int, seed: int) -> str:
        count = load_demo_supporters(count=size, seed=seed, today=timezone.localdate())
        return f"Demo peer supporters ready: {count} profiles."
