"""The best assignment of people to supporters with places, as a minimum-cost flow (OR-Tools).

Each person sends one unit of flow, either through a supporter (cost: minus the pair's score)
or straight to the sink (cost 0: left without a supporter); each supporter passes at most their
free places. The cheapest flow is the assignment with the highest total score. Scores are
integers (millionths), so the solver's answer is exact, not approximate.

Ties: with `favour_more_matches`, each matched pair also earns one extra unit, worth less than
a millionth of score in all, so among assignments with the same total the one that matches more
people wins. Scores from profiles never need it: every allowed pair scores above 0, so nobody is
left out while a supporter who fits them has room. Given scores may be 0, and then it matters.
Beyond that, the solver's answer for the graph as built (in id order) stands, so the same input
always gives the same assignment.

Proof of optimality when pairs were left out: from the solved flow, shortest-path distances in
its residual graph give node potentials. The flow is optimal for any larger graph in which every
added pair has a non-negative reduced cost under those potentials (the standard optimality
condition for minimum-cost flow). `near_pairs` finds the left-out pairs that break it; the caller
adds them and solves again, so leaving pairs out never costs score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

Ints = NDArray[np.int64]
UNASSIGNED = -1
# The score `near_pairs` reads for a pair it must not pick (ruled out, or already in the graph):
# far below any score plus any potential the 32-bit test is used for.
CLOSED = -(2**30)


@dataclass(frozen=True)
class Edges:
    """Pairs that may be matched: positions of person and supporter, score in millionths (>= 0)."""

    seeker: Ints
    supporter: Ints
    scaled: Ints

    @classmethod
    def empty(cls) -> Edges:
        nothing = np.zeros(0, dtype=np.int64)
        return cls(nothing, nothing, nothing)

    @classmethod
    def joined(cls, parts: list[Edges]) -> Edges:
        if not parts:
            return cls.empty()
        return cls(
            np.concatenate([part.seeker for part in parts]),
            np.concatenate([part.supporter for part in parts]),
            np.concatenate([part.scaled for part in parts]),
        )

    def __len__(self) -> int:
        return len(self.seeker)


@dataclass(frozen=True)
class FlowSolution:
    edge_of: Ints  # for each person, the index of their chosen edge, or UNASSIGNED
    supporter_of: Ints  # for each person, the position of their supporter, or UNASSIGNED
    potentials: Ints  # one per node: people, then supporters, then the sink
    pair_unit: int  # what one millionth of score is worth in the solver's costs
    match_bonus: int  # what being matched at all is worth (0 or 1)
    seeker_count: int

    def supporter_potentials(self) -> Ints:
        return self.potentials[self.seeker_count : -1]


def _arcs(
    edges: Edges, seeker_count: int, free_places: Ints, pair_unit: int, match_bonus: int
) -> tuple[Ints, Ints, Ints, Ints]:
    supporters = len(free_places)
    sink = seeker_count + supporters
    tails = np.concatenate([edges.seeker, np.arange(seeker_count), seeker_count + np.arange(supporters)])
    heads = np.concatenate(
        [seeker_count + edges.supporter, np.full(seeker_count, sink), np.full(supporters, sink)]
    )
    capacities = np.concatenate(
        [np.ones(len(edges) + seeker_count, dtype=np.int64), np.maximum(free_places, 0)]
    )
    costs = np.concatenate(
        [-(edges.scaled * pair_unit + match_bonus), np.zeros(seeker_count + supporters, dtype=np.int64)]
    )
    return tails, heads, capacities, costs


def solve(
    edges: Edges, seeker_count: int, free_places: Ints, *, favour_more_matches: bool = False
) -> FlowSolution:
    """The assignment with the highest total score over `edges` (see the module's note on ties)."""
    # With the bonus, one millionth of score must outweigh every person's bonus together.
    pair_unit, match_bonus = (seeker_count + 1, 1) if favour_more_matches else (1, 0)
    tails, heads, capacities, costs = _arcs(edges, seeker_count, free_places, pair_unit, match_bonus)
    node_count = seeker_count + len(free_places) + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    supplies = np.zeros(node_count, dtype=np.int64)
    supplies[:seeker_count] = 1
    supplies[-1] = -seeker_count
    solver.set_nodes_supplies(np.arange(node_count, dtype=np.int32), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"the assignment solver stopped with status {status}")
    flows = np.asarray(solver.flows(np.arange(len(tails), dtype=np.int32)), dtype=np.int64)
    edge_of = np.full(seeker_count, UNASSIGNED, dtype=np.int64)
    chosen = np.flatnonzero(flows[: len(edges)] > 0)
    edge_of[edges.seeker[chosen]] = chosen
    supporter_of = np.full(seeker_count, UNASSIGNED, dtype=np.int64)
    supporter_of[edges.seeker[chosen]] = edges.supporter[chosen]
    pairs = len(edges)
    places = capacities[pairs + seeker_count :]
    potentials = _potentials(edges, -costs[:pairs], flows[:pairs] > 0, seeker_count, places)
    return FlowSolution(edge_of, supporter_of, potentials, pair_unit, match_bonus, seeker_count)


def _potentials(edges: Edges, gains: Ints, used: NDArray[np.bool_], seeker_count: int, places: Ints) -> Ints:
    """Shortest-path distances in the residual graph from a root joined to every node at cost 0.

    The residual graph has an arc person -> supporter (cost: minus the pair's gain) for each
    pair not chosen, supporter -> person (cost: the gain) for each chosen pair, person -> sink for
    everyone placed, sink -> person for everyone not, supporter -> sink while a supporter has
    room and sink -> supporter once they have someone. Every person is entered from just one
    node besides the root (their supporter, or the sink), so the paths are worked out between
    the supporters and the sink alone, "hubs", each arc from a hub to a hub being a way through
    one person: the same distances as the whole graph's, in about half the rounds, each round
    reading only the arcs of the hubs whose distance changed in the last.
    """
    supporter_count = len(places)
    sink = supporter_count
    # Each person's way in from a hub: back along their pair from their supporter, or from the sink.
    entered_from = np.full(seeker_count, sink, dtype=np.int64)
    entry_cost = np.zeros(seeker_count, dtype=np.int64)
    entered_from[edges.seeker[used]] = edges.supporter[used]
    entry_cost[edges.seeker[used]] = gains[used]
    load = np.bincount(edges.supporter[used], minlength=supporter_count)
    open_pairs = ~used
    people, placed = edges.seeker[open_pairs], np.flatnonzero(entered_from != sink)
    room, taken = np.flatnonzero(load < places), np.flatnonzero(load > 0)
    tails = np.concatenate([entered_from[people], entered_from[placed], room, np.full(len(taken), sink)])
    heads = np.concatenate([edges.supporter[open_pairs], np.full(len(placed) + len(room), sink), taken])
    costs = np.concatenate(
        [
            entry_cost[people] - gains[open_pairs],
            entry_cost[placed],
            np.zeros(len(room) + len(taken), dtype=np.int64),
        ]
    )
    order = np.argsort(tails)  # any order within a hub's arcs: the least of whole numbers is exact
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.searchsorted(tails, np.arange(supporter_count + 2))
    # From the root each person starts at 0, so each hub at most the cheapest arc into it from a person.
    distance = np.zeros(supporter_count + 1, dtype=np.int64)
    np.minimum.at(distance, edges.supporter[open_pairs], -gains[open_pairs])
    changed = np.arange(supporter_count + 1)
    # Bellman-Ford from the hubs that changed. An optimal flow leaves no negative cycle, so this
    # settles within as many rounds as there are hubs; in practice it takes a few dozen.
    for _ in range(supporter_count + 2):
        counts = starts[changed + 1] - starts[changed]
        ends = np.cumsum(counts)
        arcs = np.repeat(starts[changed] - (ends - counts), counts) + np.arange(int(ends[-1]))
        reached = distance.copy()
        np.minimum.at(reached, heads[arcs], distance[tails[arcs]] + costs[arcs])
        changed = np.flatnonzero(reached < distance)
        if not len(changed):
            return np.concatenate([np.minimum(0, distance[entered_from] + entry_cost), distance])
        distance = reached
    raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")


def near_pairs(
    solution: FlowSolution, first_row: int, unseen: NDArray[np.int32], margin: int, highest: int
) -> tuple[bool, Ints, Ints]:
    """Pairs of a block of rows (people from `first_row`) left out of the graph that could raise the total.

    A pair (i, j) with score s could when s * unit + bonus > d(i) - d(j): its reduced cost under
    the potentials d is negative. Returns whether any pair of the block could, and the rows and
    columns of every pair within `margin` of it. `unseen` holds the scores of the pairs to test
    (allowed and not in the solved graph) and CLOSED everywhere else; no score is above `highest`.
    """
    people = solution.potentials[first_row : first_row + unseen.shape[0]] - solution.match_bonus
    supporters = solution.supporter_potentials()
    widest = int(np.abs(solution.potentials).max(initial=0)) + max(highest, 0) * solution.pair_unit
    reach: NDArray[Any]
    threshold: NDArray[Any]
    if solution.pair_unit == 1 and widest + margin < -CLOSED:
        # Plain 32-bit arithmetic when the numbers allow it (they nearly always do): less memory
        # traffic over what is usually millions of pairs. Potentials are never above 0, so a
        # CLOSED pair reaches at most CLOSED, below every threshold: it needs no mask.
        reach = unseen + supporters.astype(np.int32)[None, :]
        threshold = people.astype(np.int32)
        near = reach > (threshold - margin)[:, None]
    else:
        reach = unseen.astype(np.int64) * solution.pair_unit + supporters[None, :]
        threshold = people
        near = reach > (threshold - margin)[:, None]
        near &= unseen != CLOSED
    rows, columns = np.nonzero(near)
    improving = bool((reach[rows, columns] > threshold[rows]).any())
    return improving, (rows + first_row).astype(np.int64), columns.astype(np.int64)
