# ruff: noqa: N999  (the command is `carepath two-factor`)
"""`carepath two-factor reset`: the audited way to reset someone's lost authenticator.

carepath two-factor reset --user NAME --by COORDINATOR --reason TEXT

Removes the account's authenticator-app device and recovery codes in one transaction with an
audit event naming the coordinator who did it and the reason. Professionals and coordinators
must set it up again at their next sign-in; anyone else signs in with their password alone until
they turn it on again. Check who is asking before running it (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carepath import policy
from carepath.accounts import two_factor_services
from carepath.accounts.models import User
from carepath.accounts.selectors import account_by_username
from carepath.errors import FieldProblem, NotPermitted

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Reset the two-factor sign-in of someone who lost their authenticator app and recovery codes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reset = sub.add_parser(
            "reset", help="remove an account's app and recovery codes; they set up again at next sign-in"
        )
        reset.add_argument("--user", required=True, help="the username of the account to reset")
        reset.add_argument("--by", required=True, help="the username of the coordinator doing it")
        reset.add_argument("--reason", required=True, help="why, e.g. how the person's identity was checked")

    def handle(self, *args: Any, **options: Any) -> None:
        account = self._account("--user", options["user"])
        coordinator = self._account("--by", options["by"])
        try:
            two_factor_services.reset(coordinator, account, options["reason"])
        except FieldProblem as problem:
            raise CommandError(f"--{problem.field}: {problem.problem}", returncode=BAD_INPUT) from problem
        except NotPermitted as refusal:
            raise CommandError(
                f"--by: {coordinator.get_username()} may not do this: only an active coordinator may "
                "reset two-factor sign-in, and not for their own account",
                returncode=BAD_INPUT,
            ) from refusal
        except two_factor_services.NothingToReset as nothing:
            raise CommandError(f"--user: {nothing}", returncode=BAD_INPUT) from nothing
        then = (
            "they must set it up again at their next sign-in"
            if policy.requires_two_factor(account)
            else "their password alone signs them in until they turn it on again"
        )
        self.stdout.write(
            f"Two-factor sign-in of {account.get_username()} is reset: their app and recovery codes no "
            f"longer work, and {then}. The audit trail records it as done by {coordinator.get_username()}."
        )

    def _account(self, option: str, username: str) -> User:
        account = account_by_username(username)
        if account is None:
            raise CommandError(f"{option}: no account is called '{username}'", returncode=BAD_INPUT)
        return account
