"""`carepath audit verify [--anchor SEQUENCE:HASH] [--batch-size N]`: check the hash chain.
`carepath audit head`: print the chain's latest sequence number and hash, to copy somewhere safe.

verify walks every event in sequence order, batch by batch, and prints "N events, chain intact" or
the first broken link, exiting 1 when it is broken (2 for bad input), so cron or monitoring can
alert. Each run's result is kept for the audit page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath.audit import services
from carepath.audit.selectors import chain_head
from carepath.audit.verification import BATCH_SIZE, describe_break, verify_chain
from carepath_core.audit_chain import GENESIS_HASH, read_anchor
from carepath_core.errors import InvalidData

BROKEN = 1
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Audit trail tasks. verify: check the hash chain end to end. head: print its latest link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every event's hash and link, in batches")
        verify.add_argument(
            "--anchor",
            default=None,
            help="SEQUENCE:HASH printed earlier by `carepath audit head`; also check that event still has it",
        )
        verify.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="events read at a time")
        sub.add_parser("head", help="print the latest sequence number and hash (SEQUENCE:HASH)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            head = chain_head()
            self.stdout.write(f"{head.sequence}:{head.hash}" if head else f"0:{GENESIS_HASH}")
            return
        self._verify(options["anchor"], options["batch_size"])

    def _verify(self, anchor_text: str | None, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size: must be a whole number of at least 1", returncode=BAD_INPUT)
        try:
            anchor = read_anchor(anchor_text) if anchor_text is not None else None
        except InvalidData as error:
            raise CommandError(f"--{error}", returncode=BAD_INPUT) from None
        show = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if show:
                self.stdout.write(f"\rChecked {done} of {total} events", ending="")
                self.stdout.flush()

        report = verify_chain(anchor=anchor, batch_size=batch_size, progress=progress)
        if show:
            self.stdout.write("")
        problem = describe_break(report.problem) if report.problem is not None else ""
        services.record_chain_check(
            intact=report.intact,
            events=report.checked.events,
            last_sequence=report.checked.sequence,
            last_hash=report.checked.hash,
            problem=problem,
        )
        if report.problem is not None:
            raise CommandError(problem, returncode=BROKEN)
        self.stdout.write(
            f"{report.checked.events} events, chain intact "
            f"(latest link {report.checked.sequence}:{report.checked.hash})"
        )
