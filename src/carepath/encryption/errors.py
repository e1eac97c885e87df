"""Errors of encryption at rest. They are faults of the installation (a key missing from
CAREPATH_ENCRYPTION_KEYS, a damaged value), not of a request, so they are not ApplicationErrors:
a page that meets one fails as a server error and the operator reads the message in the log."""

from __future__ import annotations


class EncryptionError(Exception):
    """Something about encryption at rest that an operator must fix."""


class UnreadableValue(EncryptionError):
    """A stored value that none of the configured keys opens. Names where it is, never what it holds."""

    def __init__(self, table: str, column: str, row: object = None) -> None:
        self.table, self.column, self.row = table, column, row
        where = f"table {table}, column {column}" + (f", row {row}" if row is not None else "")
        super().__init__(
            f"{where}: the value cannot be decrypted with any key in CAREPATH_ENCRYPTION_KEYS "
            "(its key was removed, or the value is damaged). Run `carepath encryption check` to list "
            "every such row."
        )
