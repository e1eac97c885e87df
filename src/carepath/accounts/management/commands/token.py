"""`carepath token create|list|revoke`: personal API tokens from the command line.

carepath token create --user NAME [--name LABEL] [--expires-days N]   prints the token, once
carepath token list --user NAME
carepath token revoke ID
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carepath.accounts import token_selectors, token_services
from carepath.accounts.models import User
from carepath.accounts.selectors import account_by_username
from carepath.errors import FieldProblem

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Make, list and revoke personal API tokens (sent as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token and print it (it is shown only once)")
        create.add_argument("--user", required=True, help="the username the token acts as")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument("--expires-days", type=int, default=None, help="stop working after N days")
        listing = sub.add_parser("list", help="list a person's tokens (never the tokens themselves)")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke", help="stop a token working at once")
        revoke.add_argument("id", type=int, help="the token's number, as `list` shows it")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(self._account(options["user"]), options["name"], options["expires_days"])
        elif action == "list":
            self._list(self._account(options["user"]))
        else:
            self._revoke(options["id"])

    def _account(self, username: str) -> User:
        account = account_by_username(username)
        if account is None:
            raise CommandError(f"--user: no account is called '{username}'", returncode=BAD_INPUT)
        return account

    def _create(self, account: User, name: str, expires_days: int | None) -> None:
        try:
            token, text = token_services.create_token(owner=account, name=name, expires_days=expires_days)
        except FieldProblem as problem:
            option = {"expires_days": "--expires-days", "user": "--user"}.get(problem.field, "--name")
            raise CommandError(f"{option}: {problem.problem}", returncode=BAD_INPUT) from problem
        self.stderr.write(
            f"Token {token.pk} '{token.name}' for {account.get_username()}. Copy it now: it is not "
            "stored and cannot be shown again."
        )
        self.stdout.write(text)

    def _list(self, account: User) -> None:
        tokens = list(token_selectors.tokens_of(account))
        if not tokens:
            self.stdout.write(f"{account.get_username()} has no API tokens.")
            return
        now = timezone.now()
        for token in tokens:
            expires = f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "never"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.state_at(now).value}\tcreated "
                f"{token.created_at:%Y-%m-%d %H:%M}\tlast used {used}\texpires {expires}\t{token.name}"
            )

    def _revoke(self, token_id: int) -> None:
        token = token_selectors.token_by_id(token_id)
        if token is None:
            raise CommandError(f"id: no API token has the number {token_id}", returncode=BAD_INPUT)
        already = token.revoked_at is not None
        token_services.revoke_token(token=token)
        state = "was already revoked" if already else "is revoked; it no longer works"
        self.stdout.write(f"Token {token.pk} '{token.name}' of {token.owner.get_username()} {state}.")
