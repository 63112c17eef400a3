"""Products of a tie matrix and updates by blocks, split over threads, give the one-thread numbers, bit for bit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from simulation import parallel


@pytest.fixture
def large(monkeypatch):
    """Every town counts as large, so that products are split (the threshold is measured, not tested)."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setenv(parallel.THREADS_VARIABLE, "2")


def test_a_product_split_over_threads_is_the_same_as_one(large):
    rng = np.random.default_rng(5)
    matrix = sp.random_array((5_001, 5_001), density=0.002, format="csr", rng=rng)
    matrix = (matrix + matrix.T).tocsr()
    vector, block = rng.random(5_001), rng.random((5_001, 2))
    assert np.array_equal(parallel.product(matrix, vector), matrix @ vector), "a vector: the same sums"
    assert np.array_equal(parallel.product(matrix, block), matrix @ block), "two columns: the same sums"
    columns = parallel.product(matrix, block)
    assert np.array_equal(columns[:, 1], matrix @ block[:, 1]), "a column of a block is that column's product"


def test_one_thread_when_asked_and_a_bad_setting_is_named(monkeypatch):
    monkeypatch.setenv(parallel.THREADS_VARIABLE, "1")
    assert parallel.threads() == 1, "VEERKRACHT_THREADS=1 keeps products on one thread"
    monkeypatch.setenv(parallel.THREADS_VARIABLE, "two")
    with pytest.raises(ValueError, match=r"VEERKRACHT_THREADS='two' is not allowed: expected a whole number"):
        parallel.threads()


def test_ties_drawn_in_two_threads_are_the_ties_drawn_in_one(monkeypatch):
    from simulation import CrisisModel

    built = {}
    for count in ("1", "2"):
        monkeypatch.setenv(parallel.THREADS_VARIABLE, count)
        monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
        model = CrisisModel(scenario="flooding", households=3_000, seed=4)
        built[count] = model.networks
    for kind in ("bonding", "bridging"):
        one, two = (getattr(built[count], kind) for count in ("1", "2"))
        assert (one != two).nnz == 0 and one.nnz == two.nnz, f"the {kind} ties should not depend on the threads"


def test_an_update_by_blocks_over_threads_is_one_call_on_every_row(large, monkeypatch):
    from simulation import dynamics as dyn

    monkeypatch.setattr(parallel, "BLOCK", 1_000)
    rng = np.random.default_rng(3)
    blocked, target = rng.random(10_001), rng.random(10_001)
    whole, seen = blocked.copy(), []

    def update(rows: slice) -> None:
        seen.append((rows.start, rows.stop))
        dyn.relax_in_place(blocked[rows], target[rows], 0.3, 7.0)

    parallel.by_blocks(blocked.size, update)
    dyn.relax_in_place(whole, target, 0.3, 7.0)
    assert np.array_equal(blocked, whole), "by blocks over threads: the numbers of one call, bit for bit"
    bounds = sorted(seen)
    assert len(bounds) == 11 and bounds[0][0] == 0 and bounds[-1][1] == 10_001, f"expected 11 blocks, got {bounds}"
    assert all(stop == start for (_, stop), (start, _) in itertools.pairwise(bounds)), "each row in exactly one block"


def test_an_error_in_a_block_reaches_the_caller(large, monkeypatch):
    monkeypatch.setattr(parallel, "BLOCK", 100)

    def update(rows: slice) -> None:
        if rows.start <= 750 < rows.stop:
            raise ValueError("row 750")

    with pytest.raises(ValueError, match="row 750"):
        parallel.by_blocks(1_000, update)
