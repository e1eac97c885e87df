"""Assigning many people to many peer supporters at once by the match score, for the best total.

The answer is optimal for the scores of `scoring.py`: no supporter over their free places,
nobody with more than one supporter, nobody with a supporter a hard constraint rules out.

Every pair is scored (in blocks, kept as one small integer each), but the solver first sees only
the likely pairs: each person's best `candidates_per_seeker`. That never costs score: the
solution is then tested against every allowed pair left out (`flow.near_pairs`), the pairs that
could raise the total (and those close to it) are added, and the solver runs again until none
can. `Assignment.rounds` says how many solves that took.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray

from carepath_core.matching.assignment import Assignment, Placement, assignment_of, require_unique
from carepath_core.matching.constraints import why_not
from carepath_core.matching.experience_text import ExperienceScorerFactory, LexicalExperiences
from carepath_core.matching.flow import CLOSED, UNASSIGNED, Edges, FlowSolution, near_pairs, solve
from carepath_core.matching.pool import SupporterPool
from carepath_core.matching.profiles import Seeker, Supporter
from carepath_core.matching.reasons import placed_reasons
from carepath_core.matching.scoring import Part, as_score, score_block

# Each person's best pairs the solver starts from. Enough that the first solve is close to
# optimal, so that proving it adds pairs once, rarely twice (docs/benchmarks.md).
DEFAULT_CANDIDATES = 10
# When a solve is not yet proved optimal, pairs within this much score (in millionths) of raising
# the total are added too, not only those that would: the next solve moves the potentials a
# little, and they are the pairs most likely to matter then. It saves whole solves.
NEAR_SLACK = 20_000
BLOCK_PAIRS = 250_000  # pairs scored at once: large enough for NumPy to be quick, small for memory
SCORING_THREADS = 2  # the reference machine's cores; more would only queue
PARTS = tuple(Part)
Ints = NDArray[np.int64]


@dataclass
class _Programme:
    """Everyone's pairs: the scores of those left out, the pairs the solver sees, their parts where known."""

    unseen: NDArray[np.int32]  # (people, supporters); CLOSED where ruled out or in the graph already
    edges: list[Edges]
    parts: list[NDArray[np.float32]]  # (pairs, parts); NaN where not gathered yet
    meets: list[NDArray[np.uint8]]  # ways of meeting both accept (`facts.PairFacts.meets`)
    no_fit: dict[int, str]  # people no supporter fits, with why
    slots: list[int]  # each person's free half-hour slots (`weekly_hours.slot_bits`)
    fitting: list[Ints]  # how many supporters fit each person, block by block

    def add(self, rows: Ints, columns: Ints, parts: NDArray[np.float32], meets: NDArray[np.uint8]) -> None:
        self.edges.append(Edges(rows, columns, self.unseen[rows, columns].astype(np.int64)))
        self.parts.append(parts)
        self.meets.append(meets)
        self.unseen[rows, columns] = CLOSED

    def add_unexplained(self, rows: Ints, columns: Ints) -> None:
        """Pairs whose parts are gathered later, only if the solution chooses them."""
        missing = np.full((len(rows), len(PARTS)), np.nan, dtype=np.float32)
        self.add(rows, columns, missing, np.zeros(len(rows), dtype=np.uint8))

    def graph(self) -> tuple[Edges, NDArray[np.float32], NDArray[np.uint8]]:
        if not self.edges:
            self.add_unexplained(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        joined = Edges.joined(self.edges)
        self.edges, self.parts = [joined], [np.concatenate(self.parts)]
        self.meets = [np.concatenate(self.meets)]
        return joined, self.parts[0], self.meets[0]


def _blocks(count: int, pool: SupporterPool) -> list[range]:
    step = max(1, BLOCK_PAIRS // max(len(pool), 1))
    return [range(start, min(start + step, count)) for start in range(0, count, step)]


@dataclass(frozen=True)
class _Picked:
    """A block of people scored, with the pairs of it the solver starts from."""

    scaled: NDArray[np.int32]  # the scores in millionths; CLOSED where a hard constraint rules a pair out
    slots: tuple[int, ...]
    rows: Ints  # within the block
    columns: Ints
    parts: NDArray[np.float32]
    meets: NDArray[np.uint8]
    no_fit: dict[int, str]  # rows within the block that no supporter fits, with why
    fitting: Ints  # how many supporters fit each row


def _score_and_pick(seekers: Sequence[Seeker], pool: SupporterPool, keep: int | None) -> _Picked:
    block = score_block(seekers, pool)
    allowed = block.scaled >= 0
    if keep is None or keep >= len(pool):
        rows, columns = np.nonzero(allowed)
    else:
        best = np.argpartition(-block.scaled, keep - 1, axis=1)[:, :keep]
        rows, columns = np.repeat(np.arange(len(seekers)), keep), best.ravel()
        chosen = allowed[rows, columns]
        rows, columns = rows[chosen], columns[chosen]
    rows, columns = rows.astype(np.int64), columns.astype(np.int64)
    block.scaled[~allowed] = CLOSED  # what `near_pairs` needs: ruled out is never to be tested
    fitting = np.count_nonzero(allowed, axis=1)
    fit_nobody = np.flatnonzero(fitting == 0)
    no_fit = {
        row: why_not(codes)
        for row, codes in zip(fit_nobody.tolist(), block.exclusions_of(fit_nobody), strict=True)
    }
    return _Picked(
        block.scaled,
        block.facts.seekers.slot_sets,
        rows,
        columns,
        block.parts_at(rows, columns),
        block.facts.meets[rows, columns],
        no_fit,
        fitting,
    )


def _picked_blocks(
    people: Sequence[Seeker], pool: SupporterPool, keep: int | None
) -> Iterator[tuple[range, _Picked]]:
    """Each block of people scored against the pool, in order; two at a time on two threads.

    NumPy lets go of the interpreter lock in its large operations, so a second block can be
    scored while the first is; at most two blocks are held at once, to keep memory flat. The
    best pairs of each block are picked on its thread too, so the two threads share that work.
    """
    blocks = _blocks(len(people), pool)
    if len(blocks) == 1:
        yield blocks[0], _score_and_pick(list(people), pool, keep)
        return
    with ThreadPoolExecutor(max_workers=SCORING_THREADS) as workers:
        pending: deque[tuple[range, Future[_Picked]]] = deque()
        for rows in blocks:
            pending.append((rows, workers.submit(_score_and_pick, [people[row] for row in rows], pool, keep)))
            if len(pending) == SCORING_THREADS:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _score_everyone(people: Sequence[Seeker], pool: SupporterPool, keep: int | None) -> _Programme:
    count, width = len(people), len(pool)
    found = _Programme(np.empty((count, width), dtype=np.int32), [], [], [], {}, [], [])
    for rows, block in _picked_blocks(people, pool, keep):
        found.unseen[rows.start : rows.stop] = block.scaled
        found.slots.extend(block.slots)
        found.add(block.rows + rows.start, block.columns, block.parts, block.meets)
        found.no_fit.update((rows.start + row, why) for row, why in block.no_fit.items())
        found.fitting.append(block.fitting)
    return found


def _prove_optimal(found: _Programme, free_places: Ints) -> tuple[FlowSolution, int]:
    """Solve, then add the left-out pairs that could raise the total, until there are none."""
    rounds = 0
    count = found.unseen.shape[0]
    step = max(1, BLOCK_PAIRS // max(found.unseen.shape[1], 1))
    highest = int(found.unseen.max(initial=0))  # pairs only ever leave `unseen`: it stays the highest
    # The test of the left-out pairs is NumPy over millions of pairs: on two threads, in blocks.
    with ThreadPoolExecutor(max_workers=SCORING_THREADS) as workers:
        while True:
            solution = solve(found.graph()[0], count, free_places)
            rounds += 1
            near = list(
                workers.map(partial(_near_in_block, found, solution, step, highest), range(0, count, step))
            )
            if not any(improving for improving, _, _ in near):
                return solution, rounds
            for _, rows, columns in near:
                found.add_unexplained(rows, columns)


def _near_in_block(
    found: _Programme, solution: FlowSolution, step: int, highest: int, first: int
) -> tuple[bool, Ints, Ints]:
    return near_pairs(solution, first, found.unseen[first : first + step], NEAR_SLACK, highest)


def assign_profiles(
    seekers: Sequence[Seeker],
    supporters: Sequence[Supporter],
    *,
    candidates_per_seeker: int | None = DEFAULT_CANDIDATES,
    experiences: ExperienceScorerFactory = LexicalExperiences,
) -> Assignment:
    """The best assignment by the match score.

    `candidates_per_seeker=None` gives the solver every allowed pair from the start (the full
    graph); otherwise it starts from each person's best few and adds pairs until the total is
    proved the best there is.
    """
    if candidates_per_seeker is not None and candidates_per_seeker < 1:
        raise ValueError("candidates_per_seeker must be at least 1, or None for every pair")
    require_unique([seeker.id for seeker in seekers], "seekers")
    require_unique([supporter.id for supporter in supporters], "supporters")
    # People and supporters in id order: the same programme gives the same answer in any order.
    people = sorted(seekers, key=lambda seeker: seeker.id)
    pool = SupporterPool(sorted(supporters, key=lambda supporter: supporter.id), experiences)
    found = _score_everyone(people, pool, candidates_per_seeker)
    solution, rounds = _prove_optimal(found, pool.table.free_places)
    edges, parts, meets = found.graph()
    _gather_missing_parts(people, pool, solution, parts, meets)
    allowed = np.concatenate(found.fitting) if found.fitting else np.zeros(0, dtype=np.int64)
    placed = _placements(people, pool, solution, found, allowed)
    return assignment_of(
        [seeker.id for seeker in seekers],
        supporters,
        placed,
        pairs_allowed=int(allowed.sum()),
        pairs_solved=len(edges),
        rounds=rounds,
    )


def _gather_missing_parts(
    people: Sequence[Seeker],
    pool: SupporterPool,
    solution: FlowSolution,
    parts: NDArray[np.float32],
    meets: NDArray[np.uint8],
) -> None:
    """Score again the few chosen pairs that came in without their parts, for their reasons."""
    rows = np.flatnonzero(solution.edge_of != UNASSIGNED)
    rows = rows[np.isnan(parts[solution.edge_of[rows], 0])]
    for block_rows in _blocks(len(rows), pool):
        chunk = rows[block_rows.start : block_rows.stop]
        block = score_block([people[row] for row in chunk.tolist()], pool)
        local, columns = np.arange(len(chunk)), solution.supporter_of[chunk]
        edges = solution.edge_of[chunk]
        parts[edges] = block.parts_at(local, columns)
        meets[edges] = block.facts.meets[local, columns]


def _placements(
    people: Sequence[Seeker],
    pool: SupporterPool,
    solution: FlowSolution,
    found: _Programme,
    allowed: Ints,
) -> dict[str, Placement]:
    edges, parts, meets = found.graph()
    rows = np.flatnonzero(solution.edge_of != UNASSIGNED)
    chosen = solution.edge_of[rows]
    rows_list, columns = rows.tolist(), edges.supporter[chosen].tolist()
    slot_sets = pool.table.slot_sets
    reasons = placed_reasons(
        [people[row] for row in rows_list],
        pool,
        columns,
        parts[chosen],
        meets=meets[chosen].tolist(),
        shared_slots=[
            found.slots[row] & slot_sets[column] for row, column in zip(rows_list, columns, strict=True)
        ],
    )
    placed: dict[str, Placement] = {}
    for row, column, scaled, why in zip(
        rows_list, columns, edges.scaled[chosen].tolist(), reasons, strict=True
    ):
        person = people[row]
        placed[person.id] = Placement(person.id, pool.supporters[column].id, as_score(scaled), why)
    for row in np.flatnonzero(solution.edge_of == UNASSIGNED).tolist():
        person = people[row]
        reason = found.no_fit.get(row) or _all_full(int(allowed[row]))
        placed[person.id] = Placement(person.id, None, None, (reason,))
    return placed


def _all_full(fitting: int) -> str:
    if fitting == 1:
        return "The one supporter who fits this person is full after this assignment"
    return f"All {fitting} supporters who fit this person are full after this assignment"
