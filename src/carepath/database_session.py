"""What each new PostgreSQL connection is set to, and where the few analytical queries set it back.

PostgreSQL compiles a query to machine code (JIT) when its planner's cost estimate passes
`jit_above_cost` (100,000 by default). That pays for long analytical queries and costs short ones:
a ranked words search near a place is estimated far above the threshold (the planner cannot tell
how few listings a word filed by place holds) yet runs in about 5 ms, and compiling it took about
20 ms more, on every search, prepared or not; at a million listings 4 of the benchmark's 200 words
searches went from 44 to 50 ms to 12 to 20 ms without it (docs/benchmarks.md). Pages, searches and
the API are short queries, so each connection starts with JIT off (unless `CAREPATH_POSTGRES_JIT`
keeps the server's setting); the outcomes reports, which add up every episode's row, get the
server's setting back for their own transaction (`allow_jit_in_transaction`): 0.09 s a report
with it, 0.14 s without, at 200,000 episodes.

Set with SET rather than a connection option (`-c jit=off`): pooling proxies such as PgBouncer
refuse a startup `options` parameter; a SET they pass on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection


def set_up_session(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: JIT off on PostgreSQL, unless the settings keep it."""
    if connection.vendor != "postgresql" or settings.CAREPATH_POSTGRES_JIT:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")


def allow_jit_in_transaction() -> None:
    """The server's JIT setting (as the session started) for the rest of the current transaction:
    for analytical queries, inside `transaction.atomic()`. It ends with the transaction."""
    if connection.vendor != "postgresql" or settings.CAREPATH_POSTGRES_JIT:
        return
    if not connection.in_atomic_block:
        raise RuntimeError("allow_jit_in_transaction needs a transaction: it would last for the session")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', reset_val, true) FROM pg_settings WHERE name = 'jit'")
