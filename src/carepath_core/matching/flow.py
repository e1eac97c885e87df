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
    potentials = _potentials(tails, heads, capacities=capacities, costs=costs, flows=flows, nodes=node_count)
    return FlowSolution(edge_of, supporter_of, potentials, pair_unit, match_bonus, seeker_count)


def _potentials(tails: Ints, heads: Ints, *, capacities: Ints, costs: Ints, flows: Ints, nodes: int) -> Ints:
    """Shortest-path distances in the residual graph from a root joined to every node at cost 0."""
    forward, backward = flows < capacities, flows > 0
    arc_tails = np.concatenate([tails[forward], heads[backward]])
    arc_heads = np.concatenate([heads[forward], tails[backward]])
    arc_costs = np.concatenate([costs[forward], -costs[backward]])
    order = np.argsort(arc_heads, kind="stable")
    arc_tails, arc_heads, arc_costs = arc_tails[order], arc_heads[order], arc_costs[order]
    distance = np.zeros(nodes, dtype=np.int64)
    if len(arc_heads) == 0:
        return distance
    firsts = np.flatnonzero(np.r_[True, arc_heads[1:] != arc_heads[:-1]])
    targets = arc_heads[firsts]
    # Bellman-Ford, all arcs at once per round. An optimal flow leaves no negative cycle, so
    # this settles within `nodes` rounds; in practice it takes a few dozen.
    for _ in range(nodes + 1):
        reached = np.minimum.reduceat(distance[arc_tails] + arc_costs, firsts)
        better = reached < distance[targets]
        if not better.any():
            return distance
        distance[targets[better]] = reached[better]
    raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")


def near_pairs(
    solution: FlowSolution,
    first_row: int,
    scaled: NDArray[np.int32],
    left_out: NDArray[np.bool_],
    margin: int,
) -> tuple[bool, Ints, Ints]:
    """Left-out pairs of a block of rows (people from `first_row`) that could raise the total.

    A pair (i, j) with score s could when s * unit + bonus > d(i) - d(j): its reduced cost under
    the potentials d is negative. Returns whether any pair of the block could, and the rows and
    columns of every pair within `margin` of it. `left_out` marks the pairs to test (allowed and
    not in the solved graph).
    """
    people = solution.potentials[first_row : first_row + scaled.shape[0]] - solution.match_bonus
    supporters = solution.supporter_potentials()
    widest = int(np.abs(solution.potentials).max(initial=0)) + int(scaled.max(initial=0)) * solution.pair_unit
    # Plain 32-bit arithmetic when the numbers allow it (they nearly always do): half the memory
    # traffic over what is usually millions of pairs.
    kind = np.dtype(np.int32) if widest + margin < 2**30 else np.dtype(np.int64)
    reach: NDArray[Any] = scaled.astype(kind) * solution.pair_unit
    reach += supporters.astype(kind)[None, :]
    threshold: NDArray[Any] = people.astype(kind)
    near = reach > (threshold - margin)[:, None]
    near &= left_out
    rows, columns = np.nonzero(near)
    improving = bool((reach[rows, columns] > threshold[rows]).any())
    return improving, (rows + first_row).astype(np.int64), columns.astype(np.int64)
