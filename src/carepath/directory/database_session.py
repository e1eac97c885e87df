"""What each new PostgreSQL connection is set to before its first query.

PostgreSQL compiles a query to machine code (JIT) when its planner's cost estimate passes
`jit_above_cost` (100,000 by default). A ranked words search near a place is estimated far above
that (the planner cannot tell how few listings a word filed by place holds) yet runs in about
5 ms, and compiling it took about 20 ms more, on every search, prepared or not: at a million
listings, 4 of the benchmark's 200 words searches went from 44 to 50 ms to 12 to 20 ms without it
(docs/benchmarks.md). JIT is off unless `CAREPATH_POSTGRES_JIT` turns it on. The other long
queries, the outcomes reports' sums, are estimated far below the threshold (about 8,600 at 200,000
episodes), so JIT never ran for them: on, off, the same times in interleaved runs.

Set with SET rather than a connection option (`-c jit=off`): pooling proxies such as PgBouncer
refuse a startup `options` parameter; a SET they pass on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def set_up_session(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: JIT off on PostgreSQL, unless the settings keep it."""
    if connection.vendor != "postgresql" or settings.CAREPATH_POSTGRES_JIT:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
