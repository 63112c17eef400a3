"""Bonding and bridging networks, built as edge arrays with numpy and used as sparse matrices.

Ties are drawn in the manner of a Chung-Lu graph: both ends of a tie are picked with
probability proportional to the household's tie propensity, so expected degree follows
propensity (and so, through the class profiles, social capital). With probability
``homophily`` the partner is drawn from the household's own class only.

- **Bonding** ties (family, close friends, the street): a share ``bonding_outside`` joins
  households of different neighbourhoods (family and friends elsewhere in town; none when the
  town has one neighbourhood), the rest stay within the neighbourhood; weight 1.
- **Bridging** ties cross groups: the partner is drawn from the whole population, and a tie
  whose ends share both neighbourhood and class is redrawn; weight ``bridging_weight``.

A pair of households holds at most one tie: a bridging candidate that is already a bonding
pair is passed over. Each network is drawn from its own random stream, in rounds of a fixed
number of candidates, until the requested number of distinct ties is placed; if the
population cannot hold them, that is a ``ConfigError``. So the bridging ties of a population
do not depend on how many bonding ties it has, except where a bridging candidate is a bonding
pair in one variant and not in the other (it is then replaced by the next candidate).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from simulation.config import ConfigError, NetworkConfig
from simulation.parallel import product, threads_for

if TYPE_CHECKING:
    import networkx as nx

MAX_ROUNDS = 50


@dataclass
class Networks:
    """The two tie networks as symmetric weighted CSR matrices (household x household)."""

    bonding: sp.csr_array
    bridging: sp.csr_array

    @property
    def bonding_strength(self) -> np.ndarray:
        """Summed weight of each household's bonding ties."""
        return np.asarray(self.bonding.sum(axis=1)).ravel()

    @property
    def bridging_strength(self) -> np.ndarray:
        """Summed weight of each household's bridging ties."""
        return np.asarray(self.bridging.sum(axis=1)).ravel()

    def to_networkx(self, nodes: np.ndarray | None = None) -> nx.Graph:
        """A networkx graph of both networks (edge attribute ``kind``), optionally of a subset of nodes."""
        import networkx as nx  # only here: the engine runs on the sparse matrices

        graph = nx.Graph()
        keep = np.arange(self.bonding.shape[0]) if nodes is None else np.asarray(nodes)
        graph.add_nodes_from(keep.tolist())
        for kind, matrix in (("bonding", self.bonding), ("bridging", self.bridging)):
            sub = sp.triu(matrix[keep][:, keep], k=1).tocoo()
            graph.add_edges_from(
                (int(keep[i]), int(keep[j]), {"kind": kind, "weight": float(w)})
                for i, j, w in zip(sub.row, sub.col, sub.data, strict=True)
            )
        return graph

    def with_bridging_ties(self, a: np.ndarray, b: np.ndarray, weight: float) -> Networks:
        """The networks with bridging ties of ``weight`` added between ``a[k]`` and ``b[k]``.

        Self-pairs, repeated pairs and pairs that already hold a tie (bonding or bridging) are left out.
        """
        n = self.bonding.shape[0]
        keep = a != b
        keys = np.unique(_pair_keys(a[keep], b[keep], n))
        existing = np.concatenate([_upper_keys(self.bonding), _upper_keys(self.bridging)])
        keys = keys[~np.isin(keys, existing)]
        return Networks(self.bonding, (self.bridging + _to_matrix(keys, n, weight)).tocsr())


class _BlockSampler:
    """Draws households with probability proportional to a weight, within blocks of a key."""

    def __init__(self, key: np.ndarray, weight: np.ndarray) -> None:
        self.order = np.argsort(key, kind="stable")
        sorted_key = key[self.order]
        self.cumulative = np.cumsum(weight[self.order])
        n_blocks = int(key.max()) + 1
        self.start = np.searchsorted(sorted_key, np.arange(n_blocks), side="left")
        self.end = np.searchsorted(sorted_key, np.arange(n_blocks), side="right")
        before = np.concatenate(([0.0], self.cumulative))
        self.low = before[self.start]
        self.high = before[self.end]

    def draw(self, blocks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One household from each of the given blocks (blocks must be non-empty)."""
        target = self.low[blocks] + rng.random(blocks.size) * (self.high[blocks] - self.low[blocks])
        # Looked up in increasing order, so that each search starts where the one before ended and
        # memory is read in order (the same households as looking them up as drawn).
        ascending = np.argsort(target)
        position = np.searchsorted(self.cumulative, target[ascending], side="right")
        in_block = blocks[ascending]
        np.minimum(position, self.end[in_block] - 1, out=position)  # within the block, whatever the rounding
        np.maximum(position, self.start[in_block], out=position)
        drawn = np.empty(target.size, dtype=self.order.dtype)
        drawn[ascending] = self.order[position]
        return drawn


def _first_new(values: np.ndarray, taken: np.ndarray) -> np.ndarray:
    """``values`` without repeats and without those in ``taken`` (sorted), each kept where it first occurs, in
    their order. One stable sort serves both: repeats are neighbours, and ``taken`` is searched in order."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    keep = np.ones(values.size, dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    if taken.size:
        position = np.minimum(np.searchsorted(taken, ordered), taken.size - 1)
        keep &= taken[position] != ordered
    return values[np.sort(order[keep])]


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    return np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)


def _draw_ties(
    n_ties: int,
    propensity: np.ndarray,
    own_block: np.ndarray,
    wide_block: np.ndarray,
    homophily: float,
    allowed,
    taken: Callable[[], np.ndarray],
    rng: np.random.Generator,
    name: str,
    degree: float,
) -> np.ndarray:
    """Draw ``n_ties`` distinct ties as sorted pair keys ``min * n + max``.

    Each tie: a source by propensity; with probability ``homophily`` a partner from the source's
    ``own_block``, else from its ``wide_block``. ``allowed(i, j)`` filters candidate pairs;
    pairs that ``taken()`` gives (sorted; asked for only once the first candidates are drawn, so that
    they may still be in the making) are not drawn again.
    """
    n = propensity.size
    weight = propensity + 1e-9  # every household can be drawn, however low its propensity
    everyone = _BlockSampler(np.zeros(n, dtype=np.int64), weight)
    own = _BlockSampler(own_block, weight)
    wide = _BlockSampler(wide_block, weight)
    keys = np.empty(0, dtype=np.int64)
    for round_number in range(MAX_ROUNDS):
        if keys.size >= n_ties:
            break
        # A fixed schedule of round sizes (not what is still missing), so that the candidates drawn
        # do not depend on which of them were passed over.
        m = int(n_ties * (1.2 if round_number == 0 else 0.2)) + 16
        source = everyone.draw(np.zeros(m, dtype=np.int64), rng)
        homophilous = rng.random(m) < homophily
        partner = np.where(homophilous, own.draw(own_block[source], rng), wide.draw(wide_block[source], rng))
        ok = (source != partner) & allowed(source, partner)
        keys = _first_new(np.concatenate((keys, _pair_keys(source[ok], partner[ok], n))), taken())[:n_ties]
    if keys.size < n_ties:
        raise ConfigError(
            f"network.{name}={degree!r} is not allowed: the population holds only about "
            f"{2 * keys.size / n:.2f} such ties per household with these settings "
            "(lower the degree or the homophily, or add households)"
        )
    return np.sort(keys)


INT32_BELOW = 2**31  # households and tie entries below which a tie end's index takes 4 bytes (np.int32), not 8


def _to_matrix(keys: np.ndarray, n: int, weight: float) -> sp.csr_array:
    i, j = np.divmod(keys, n)
    index = np.int32 if max(n, 2 * keys.size) < INT32_BELOW else np.int64
    rows = np.concatenate((i, j)).astype(index)
    cols = np.concatenate((j, i)).astype(index)
    data = np.full(rows.size, weight)
    return sp.csr_array((data, (rows, cols)), shape=(n, n))


def _upper_keys(matrix: sp.csr_array) -> np.ndarray:
    upper = sp.triu(matrix, k=1).tocoo()
    return upper.row.astype(np.int64) * matrix.shape[0] + upper.col


def build_networks(
    cfg: NetworkConfig,
    household_class: np.ndarray,
    neighbourhood: np.ndarray,
    propensity: np.ndarray,
    bonding_rng: np.random.Generator,
    bridging_rng: np.random.Generator,
) -> Networks:
    """Draw the bonding and bridging networks, each from its own stream (see the module docstring)."""
    n = household_class.size
    n_classes = int(household_class.max()) + 1
    class_in_neighbourhood = neighbourhood.astype(np.int64) * n_classes + household_class
    no_ties = np.empty(0, dtype=np.int64)
    by_class = {"own_block": household_class.astype(np.int64), "wide_block": np.zeros(n, dtype=np.int64)}

    n_bonding = round(n * cfg.bonding_degree / 2)
    # With one neighbourhood there is no elsewhere: every bonding tie is local.
    n_outside = round(n_bonding * cfg.bonding_outside) if neighbourhood.max() > 0 else 0

    def draw_bonding() -> np.ndarray:
        local = _draw_ties(
            n_bonding - n_outside,
            propensity,
            own_block=class_in_neighbourhood,
            wide_block=neighbourhood.astype(np.int64),
            homophily=cfg.homophily,
            allowed=lambda a, b: np.ones(a.size, dtype=bool),
            taken=lambda: no_ties,
            rng=bonding_rng,
            name="bonding_degree",
            degree=cfg.bonding_degree,
        )
        outside = _draw_ties(
            n_outside,
            propensity,
            **by_class,
            homophily=cfg.homophily,
            allowed=lambda a, b: neighbourhood[a] != neighbourhood[b],
            taken=lambda: local,
            rng=bonding_rng,
            name="bonding_degree",
            degree=cfg.bonding_degree,
        )
        return np.sort(np.concatenate((local, outside)))

    def draw_bridging(taken: Callable[[], np.ndarray]) -> np.ndarray:
        return _draw_ties(
            round(n * cfg.bridging_degree / 2),
            propensity,
            **by_class,
            homophily=cfg.homophily,
            allowed=lambda a, b: class_in_neighbourhood[a] != class_in_neighbourhood[b],
            taken=taken,
            rng=bridging_rng,
            name="bridging_degree",
            degree=cfg.bridging_degree,
        )

    if threads_for(n) == 1:
        bonding = draw_bonding()
        bridging = draw_bridging(lambda: bonding)
    else:
        # The bridging ties come from a stream of their own: the bonding ties are drawn in a second
        # thread while the bridging candidates are drawn here (numpy releases the GIL), and those
        # that are bonding pairs passed over once the bonding ties are known: the same ties as
        # drawing one network after the other.
        with ThreadPoolExecutor(max_workers=1) as pool:
            bonding_ties = pool.submit(draw_bonding)
            bridging = draw_bridging(bonding_ties.result)
            bonding = bonding_ties.result()
    return Networks(_to_matrix(bonding, n, 1.0), _to_matrix(bridging, n, cfg.bridging_weight))


SLICE_BELOW = 0.1  # share of households below which products use the rows of a group, not the whole matrix


def row_entries(matrix: sp.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored entries of these rows of a CSR matrix: position in ``rows``, column and weight of each."""
    starts, lengths = matrix.indptr[rows], np.diff(matrix.indptr)[rows]
    row = np.repeat(np.arange(rows.size), lengths)
    entries = np.repeat(starts, lengths) + np.arange(row.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return row, matrix.indices[entries], matrix.data[entries]


def tied_pairs(matrix: sp.csr_array, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of households, one in mask ``a`` and one in mask ``b``, that a tie of ``matrix`` joins.

    Reads the rows of the smaller group; either way the pairs come ordered by their ``a`` end,
    then their ``b`` end.

    Returns:
        The ``a`` end and the ``b`` end of each pair.
    """
    in_a, in_b = np.flatnonzero(a), np.flatnonzero(b)
    if in_a.size <= in_b.size:
        position, other, _ = row_entries(matrix, in_a)
        first, second = in_a[position], other
    else:
        position, other, _ = row_entries(matrix, in_b)
        first, second = other, in_b[position]
    keep = a[first] & b[second]
    first, second = first[keep], second[keep]
    order = np.lexsort((second, first))
    return first[order], second[order]


class RowsOf:
    """Products of a symmetric tie matrix with the rows of a group of households.

    While the group is small (below ``SLICE_BELOW`` of all households) the entries of its rows
    are gathered once and every product works on them alone; otherwise a product with the whole
    matrix is cheaper. Both give the same sums.

    Args:
        matrix: a symmetric household x household matrix (CSR).
        rows: indices of the group's households.
    """

    def __init__(self, matrix: sp.csr_array, rows: np.ndarray) -> None:
        self.matrix, self.rows, self.n = matrix, rows, matrix.shape[0]
        self.gathered = rows.size < SLICE_BELOW * self.n
        if self.gathered:
            self.row, self.column, self.weight = row_entries(matrix, rows)

    def to_rows(self, vector: np.ndarray) -> np.ndarray:
        """For each household j of the group: ``sum_i w_ji * vector_i``."""
        if self.gathered:  # (bincount gives integers where no row has an entry)
            summed = np.bincount(self.row, weights=self.weight * vector[self.column], minlength=self.rows.size)
            return summed.astype(np.float64, copy=False)
        return product(self.matrix, vector)[self.rows]

    def from_rows(self, values: np.ndarray) -> np.ndarray:
        """For every household i: ``sum_j w_ij * values_j`` over the group's households j."""
        if self.gathered:
            return np.bincount(self.column, weights=self.weight * values[self.row], minlength=self.n).astype(
                np.float64, copy=False
            )
        full = np.zeros(self.n)
        full[self.rows] = values
        return product(self.matrix, full)


def social_capital(networks: Networks, scale: float) -> np.ndarray:
    """Social capital from ties: ``1 - exp(-strength / scale)``, strength = summed tie weights."""
    return 1.0 - np.exp(-(networks.bonding_strength + networks.bridging_strength) / scale)
