"""Golden outputs (tests/golden): fresh runs reproduce the stored results bit for bit, whichever
path the engine takes for the size of a group or of the town.

A failure here means results moved. If that is meant, ``make golden`` writes the files anew and
prints what moved, and the commit says what moved and why.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from simulation import networks, parallel
from simulation.model import CrisisModel
from simulation.networks import RowsOf, tied_pairs
from tests.golden import CASES, config_of, differences, fingerprint, run_case, stored


def moved(case: str, results) -> list[str]:
    return differences(stored(case), fingerprint(results))


@pytest.mark.parametrize("case", CASES)
def test_a_fresh_run_reproduces_its_golden_output_bit_for_bit(case):
    changed = moved(case, run_case(case))
    assert not changed, (
        f"{case}: expected the results stored in tests/golden/{case}.json, bit for bit; {len(changed)} differ, "
        f"first {changed[:8]} (written with {stored(case)['written_with']}). If the change is meant, run "
        "`make golden` and say in the commit what moved and why"
    )


SWITCHES = {
    "whole matrix for every group": ("SLICE_BELOW", 0.0),
    "rows gathered for every group": ("SLICE_BELOW", math.inf),
    "8-byte tie indices": ("INT32_BELOW", 0),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", ["flooding_levers", "sea_level_rise_polarised"])
@pytest.mark.parametrize("switch", SWITCHES)
def test_each_size_switched_path_gives_the_golden_output(monkeypatch, case, switch):
    setting, value = SWITCHES[switch]
    monkeypatch.setattr(networks, setting, value)
    if setting == "INT32_BELOW":
        model = CrisisModel(config_of(case))
        assert model.networks.bonding.indices.dtype == np.int64, "expected the tie matrices to hold 8-byte indices"
    changed = moved(case, run_case(case))
    assert not changed, f"{case} with {switch}: expected the golden output bit for bit, {changed[:8]} differ"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["flooding_levers", "sea_level_rise_polarised"])
def test_updates_by_blocks_over_two_threads_give_the_golden_output(monkeypatch, case):
    monkeypatch.setattr(parallel, "BLOCK", 64)  # many blocks even in a small town
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # every town counts as large
    monkeypatch.setenv(parallel.THREADS_VARIABLE, "2")
    assert config_of(case).population.households > 4 * parallel.BLOCK, "expected several blocks per thread"
    changed = moved(case, run_case(case))
    assert not changed, (
        f"{case} by blocks over two threads: expected the golden output bit for bit, {changed[:8]} differ"
    )


def random_ties(n: int, ties: int, seed: int) -> sp.csr_array:
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, n, (2, ties))
    keep = i != j
    weight = rng.random(keep.sum())
    upper = sp.coo_array((weight, (i[keep], j[keep])), shape=(n, n))
    return (upper + upper.T).tocsr()


@pytest.mark.parametrize("group", [5, 150], ids=["small group", "large group"])
def test_rows_of_a_group_gathered_or_read_from_the_whole_matrix_give_identical_sums(monkeypatch, group):
    matrix, rng = random_ties(300, 1200, seed=group), np.random.default_rng(7)
    rows = np.sort(rng.choice(300, group, replace=False))
    vector, values = rng.random(300), rng.random(group)
    sums = {}
    for name, share in (("gathered", math.inf), ("whole", 0.0)):
        monkeypatch.setattr(networks, "SLICE_BELOW", share)
        of_group = RowsOf(matrix, rows)
        assert of_group.gathered == (name == "gathered"), f"expected the {name} path"
        sums[name] = of_group.to_rows(vector), of_group.from_rows(values)
    for gathered, whole in zip(sums["gathered"], sums["whole"], strict=True):
        np.testing.assert_array_equal(gathered, whole, err_msg="both paths should give the same sums, bit for bit")
    np.testing.assert_allclose(sums["whole"][0], (matrix @ vector)[rows], err_msg="to_rows: the group's rows of M v")


@pytest.mark.parametrize(("in_a", "in_b"), [(10, 200), (200, 10)], ids=["a smaller", "b smaller"])
def test_tied_pairs_read_from_either_side_are_the_ties_between_the_groups_in_order(in_a, in_b):
    matrix, rng = random_ties(300, 1500, seed=3), np.random.default_rng(in_a)
    a, b = np.zeros(300, dtype=bool), np.zeros(300, dtype=bool)
    a[rng.choice(300, in_a, replace=False)] = True
    b[rng.choice(300, in_b, replace=False)] = True
    dense = matrix.toarray() != 0
    expected = np.argwhere(dense & a[:, None] & b[None, :])  # row-major: ordered by the a end, then the b end
    first, second = tied_pairs(matrix, a, b)
    assert expected.size > 0, "the groups should share some ties"
    np.testing.assert_array_equal(np.column_stack((first, second)), expected, err_msg="expected every tie, in order")
