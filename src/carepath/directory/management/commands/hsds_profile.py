"""`carepath hsds-profile compile --hsds DIR`: regenerate the profile's compiled schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.interop.hsds_profile import write_compiled

DEFAULT_HSDS = Path("..") / "shared" / "hsds" / "schema"


class Command(BaseCommand):
    help = "Apply the Carepath profile's merge patches to the HSDS 3.1 schemas and write the compiled result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["compile"])
        parser.add_argument("--hsds", default=str(DEFAULT_HSDS), help="the official HSDS schema folder")

    def handle(self, *args: Any, **options: Any) -> None:
        schema_dir = Path(options["hsds"])
        if not (schema_dir / "service.json").is_file():
            raise CommandError(
                f"{schema_dir} does not hold the HSDS schemas (service.json missing)", returncode=2
            )
        for path in write_compiled(schema_dir):
            self.stdout.write(f"wrote {path}")
